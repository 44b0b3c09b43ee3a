/* Analytics (issue 8): the figures a dealership is run by, computed in SQL from the stored
 * records for any period and site. hub/ANALYTICS.md defines every figure (which record
 * counts, from which timestamp); the board (board_stats) and `showfloor report` both read
 * them from here, so the two never disagree.
 *
 * Periods are half-open [from, to) in UTC milliseconds. site_id 0 means every site.
 * Everything follows store.h's conventions (0 / -1 with *err; plain-data structs; rows
 * handed to callbacks are valid only during the call). Reads only: call outside a write
 * transaction; each function reads in one implicit read transaction, or the caller brackets
 * several in store_begin_read()/store_commit() for one consistent view. */
#ifndef SHOWFLOOR_STORE_ANALYTICS_H
#define SHOWFLOOR_STORE_ANALYTICS_H

#include "store.h"

#define STORE_ANALYTICS_MAX_BUCKETS 400 /* days (or weeks, months) in one series */

struct store_span {
    int64_t site_id;  /* 0: every site */
    int64_t from, to; /* UTC ms, [from, to) */
};

/* The headline figures of a period. Sums and counts, never averages: a reader divides
 * (sum / n) so that sites and periods add up exactly. */
struct store_kpi {
    /* reception: visits arrived in the period */
    int64_t visits;
    int64_t visits_first; /* the customer's first visit ever (no earlier visit) */
    /* leads created in the period */
    int64_t leads;
    int64_t leads_valid;     /* not invalidated */
    int64_t leads_followed;  /* with at least one follow-up (at any time up to `to`) */
    int64_t leads_converted; /* turned into an order (at any time up to `to`) */
    /* orders created in the period */
    int64_t orders;
    int64_t orders_cancelled; /* of them, cancelled by now */
    int64_t sales_fen;        /* total_fen of them, cancelled ones excluded */
    /* events that happened in the period */
    int64_t returns;      /* orders sent back for corrections (review failed), each time */
    int64_t deliveries;   /* orders delivered */
    int64_t sla_breaches; /* time limits missed (recorded in the period) */
    int64_t complaints;   /* opened */
    int64_t complaints_closed;
    /* order cycle: received (received_at, else created_at) -> delivered, of the orders
     * delivered in the period */
    int64_t cycle_n, cycle_sum_ms, cycle_max_ms;
    /* review: entered -> first review decision (initial_decided_at), of orders whose
     * decision fell in the period */
    int64_t review_n, review_sum_ms, review_max_ms;
    /* satisfaction: delivery ratings and complaint surveys recorded in the period, 1..5 */
    int64_t rating_n, rating_sum;
};
int store_analytics_kpi(struct store *s, const struct store_span *sp, struct store_kpi *out,
                        struct proto_error *err);

/* A series in local calendar buckets. utc_offset_min is the local time the buckets follow
 * (the site's; for every site, the first site's). */
enum store_bucket_unit { STORE_BUCKET_DAY, STORE_BUCKET_WEEK, STORE_BUCKET_MONTH };
struct store_bucket {
    int64_t start, end; /* UTC ms of the bucket's local start (inclusive) and end; the first
                         * and last are clipped to the period, so that the kpi of [start, end)
                         * has exactly the bucket's counts */
    int64_t visits, leads, orders, deliveries, sales_fen, returns;
};
/* Fills out[0..*n) with the buckets that overlap [sp->from, sp->to) (weeks start on Monday),
 * each counted as store_analytics_kpi would count its own span (the first and last bucket
 * clipped to the period). At most `cap` buckets; more is PROTO_E_OUT_OF_RANGE. */
int store_analytics_series(struct store *s, const struct store_span *sp, int utc_offset_min,
                           enum store_bucket_unit unit, struct store_bucket *out, size_t cap,
                           size_t *n, struct proto_error *err);

/* Orders of the period broken down by one dimension, most orders first (ties: key). */
enum store_dim {
    STORE_DIM_SITE,       /* key: site code,   label: site name */
    STORE_DIM_REGION,     /* key/label: the customer's lead region, "" unknown */
    STORE_DIM_MODEL,      /* key: model code,  label: model name */
    STORE_DIM_CONSULTANT, /* key: staff number, label: name; "" none */
    STORE_DIM_CHANNEL,    /* key: order channel; label: same */
};
struct store_breakdown {
    char key[PROTO_MAX_SHORT + 1];
    char label[PROTO_MAX_NAME + 1];
    int64_t orders, cancelled, sales_fen; /* created in the period, as store_kpi */
    int64_t deliveries;                   /* delivered in the period */
};
int store_analytics_orders_by(struct store *s, const struct store_span *sp, enum store_dim dim,
                              int (*cb)(void *ctx, const struct store_breakdown *row), void *ctx,
                              struct proto_error *err);

/* Leads of the period by their channel (PROTOCOL.md "Channels"), most leads first. */
struct store_lead_quality {
    char channel[PROTO_MAX_SHORT + 1];
    int64_t leads, valid, followed, converted; /* as store_kpi */
    int64_t grade_h, grade_a, grade_b;         /* current grade of the valid ones */
    int64_t overdue;                           /* follow-ups reported overdue in the period */
};
int store_analytics_leads_by_channel(struct store *s, const struct store_span *sp,
                                     int (*cb)(void *ctx, const struct store_lead_quality *row),
                                     void *ctx, struct proto_error *err);

/* Assessment figures per person (seeds 003/004; ANALYTICS.md "Assessment"). For
 * consultants: their orders (consultant_id), visits served, leads owned; for supervisors:
 * the orders whose review they decided. Ordered by orders (then deliveries) descending,
 * then staff number: the board's league table is the first rows of the consultants'. */
struct store_assessment {
    int64_t staff_id;
    char staff_no[PROTO_MAX_SHORT + 1];
    char name[PROTO_MAX_NAME + 1];
    enum domain_role role;
    int64_t visits;                  /* consultants: visits assigned to them that arrived */
    int64_t orders;                  /* consultants: created; supervisors: reviewed in the period */
    int64_t returns;                 /* accuracy: of those, times sent back for corrections */
    int64_t deliveries;              /* delivered in the period */
    int64_t cancelled;               /* of `orders`, cancelled by now */
    int64_t sales_fen;               /* of `orders`, not cancelled */
    int64_t review_n, review_sum_ms; /* timeliness: entered -> review decision */
    int64_t deliver_n, deliver_sum_ms; /* timeliness: received -> delivered */
    int64_t rating_n, rating_sum;      /* satisfaction of their deliveries */
    int64_t sla_breaches;              /* limits missed on their orders in the period */
};
int store_analytics_assessment(struct store *s, const struct store_span *sp, enum domain_role role,
                               int (*cb)(void *ctx, const struct store_assessment *row), void *ctx,
                               struct proto_error *err);

#endif

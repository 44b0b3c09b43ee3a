/* Gathers a report's figures from hub/store_analytics.h in one read transaction, so every
 * table of the report describes the same state of the database even while the hub writes. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Appends one row to a REPORT_LIST; the list doubles as it grows. -1 when out of memory. */
static int list_push(void **v, size_t *n, size_t *cap, size_t size, const void *row)
{
    if (*n == *cap) {
        size_t cap2 = *cap ? *cap * 2 : 16;
        void *v2 = realloc(*v, cap2 * size);
        if (!v2)
            return -1;
        *v = v2;
        *cap = cap2;
    }
    memcpy((char *)*v + *n * size, row, size);
    (*n)++;
    return 0;
}

#define LIST_PUSH(list, row) \
    list_push((void **)&(list).v, &(list).n, &(list).cap, sizeof *(list).v, (row))

static int take_breakdown(void *ctx, const struct store_breakdown *row)
{
    struct report *r = ((void **)ctx)[0];
    const enum report_dim *dim = ((void **)ctx)[1];
    return LIST_PUSH(r->by[*dim], row);
}

static int take_channel(void *ctx, const struct store_lead_quality *row)
{
    struct report *r = ctx;
    return LIST_PUSH(r->channels, row);
}

static int take_consultant(void *ctx, const struct store_assessment *row)
{
    struct report *r = ctx;
    return LIST_PUSH(r->consultants, row);
}

static int take_supervisor(void *ctx, const struct store_assessment *row)
{
    struct report *r = ctx;
    return LIST_PUSH(r->supervisors, row);
}

static const enum store_dim dim_of[REPORT_BY__COUNT] = {
    [REPORT_BY_SITE] = STORE_DIM_SITE,       [REPORT_BY_REGION] = STORE_DIM_REGION,
    [REPORT_BY_MODEL] = STORE_DIM_MODEL,     [REPORT_BY_CONSULTANT] = STORE_DIM_CONSULTANT,
    [REPORT_BY_CHANNEL] = STORE_DIM_CHANNEL,
};

/* The trend's days: a daily report looks back REPORT_TREND_DAYS before its day(s); longer
 * trends than REPORT_TREND_MAX_DAY_BUCKETS days go by week. Never more than
 * STORE_ANALYTICS_MAX_BUCKETS buckets: the trend then keeps the latest days. */
static void trend_span(struct report *r, struct store_span *sp)
{
    int64_t first = r->from_day - (r->unit == REPORT_DAILY ? REPORT_TREND_DAYS : 0);
    int64_t days = r->to_day - first + 1;
    r->trend_unit = days > REPORT_TREND_MAX_DAY_BUCKETS ? STORE_BUCKET_WEEK : STORE_BUCKET_DAY;
    if (r->trend_unit == STORE_BUCKET_DAY && days > STORE_ANALYTICS_MAX_BUCKETS)
        first = r->to_day - STORE_ANALYTICS_MAX_BUCKETS + 1;
    r->trend_from_day = first;
    sp->site_id = r->site_id;
    sp->from = report_day_start_ms(first, r->utc_offset_min);
    sp->to = r->to;
}

int report_collect(struct store *s, struct report *r, struct proto_error *err)
{
    struct store_span sp = {.site_id = r->site_id, .from = r->from, .to = r->to};
    struct store_span trend;
    trend_span(r, &trend);
    if (store_begin_read(s, err) != 0)
        return -1;
    int rc = store_analytics_kpi(s, &sp, &r->kpi, err);
    if (rc == 0)
        rc = store_analytics_series(s, &trend, r->utc_offset_min, r->trend_unit, r->trend,
                                    STORE_ANALYTICS_MAX_BUCKETS, &r->n_trend, err);
    for (int d = 0; rc == 0 && d < REPORT_BY__COUNT; d++) {
        enum report_dim dim = (enum report_dim)d;
        void *ctx[2] = {r, &dim};
        rc = store_analytics_orders_by(s, &sp, dim_of[d], take_breakdown, ctx, err);
    }
    if (rc == 0)
        rc = store_analytics_leads_by_channel(s, &sp, take_channel, r, err);
    if (rc == 0)
        rc = store_analytics_assessment(s, &sp, DOMAIN_ROLE_CONSULTANT, take_consultant, r, err);
    if (rc == 0)
        rc = store_analytics_assessment(s, &sp, DOMAIN_ROLE_SUPERVISOR, take_supervisor, r, err);
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

void report_free(struct report *r)
{
    for (int d = 0; d < REPORT_BY__COUNT; d++)
        free(r->by[d].v);
    free(r->channels.v);
    free(r->consultants.v);
    free(r->supervisors.v);
    memset(r->by, 0, sizeof r->by);
    memset(&r->channels, 0, sizeof r->channels);
    memset(&r->consultants, 0, sizeof r->consultants);
    memset(&r->supervisors, 0, sizeof r->supervisors);
}

/* Analytics: the headline figures of a period (store_analytics_kpi) and their series in
 * local calendar buckets (store_analytics_series), each one SQL statement of aggregates over
 * the records the hub writes. Definitions: hub/ANALYTICS.md. */
#include "store_analytics_internal.h"

#include <string.h>

#include "log.h"

#define DAY_MS    86400000LL
#define MINUTE_MS 60000LL

/* ---- shared by the analytics files ---- */

int store_analytics_span_check(struct store *s, const struct store_span *sp,
                               struct proto_error *err)
{
    if (sp->site_id < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "site_id", "site_id must be 0 or a site");
    if (sp->from < 0 || sp->to < 0)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "from",
                               "a period starts and ends at or after 1970-01-01");
    if (sp->from > sp->to)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "to", "the period ends before it starts");
    if (sp->site_id == 0)
        return 0;
    struct store_site site;
    if (store_sites_get(s, sp->site_id, &site, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "site_id", "no site %lld",
                            (long long)sp->site_id);
        return -1;
    }
    return 0;
}

int store_analytics_prepare(struct store *s, const char *sql, const struct store_span *sp,
                            sqlite3_stmt **out, struct proto_error *err)
{
    *out = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, 0, out, NULL) != SQLITE_OK) {
        store_fault(s, "prepare analytics", err);
        sqlite3_finalize(*out);
        *out = NULL;
        return -1;
    }
    if (store_bind(s, *out, err, "iii", sp->site_id, sp->from, sp->to)) {
        sqlite3_finalize(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- the headline figures ---- */

// clang-format off
static const char kpi_sql[] =
    "SELECT v.n, v.first, l.n, l.valid, l.followed, l.converted, o.n, o.cancelled, o.sales,"
    "  r.n, d.n, d.cycle_sum, d.cycle_max, b.n, c.opened, cc.closed, rv.n, rv.total, rv.longest,"
    "  sa.n, sa.total"
    " FROM"
    /* a first visit: no visit of the same customer before it (anywhere, ties by id) */
    " (SELECT count(*) AS n, ifnull(sum(NOT EXISTS (SELECT 1 FROM visits e"
    "    WHERE e.customer_id = v.customer_id AND (e.arrived_at < v.arrived_at"
    "    OR (e.arrived_at = v.arrived_at AND e.id < v.id)))), 0) AS first"
    "  FROM visits v WHERE v.site_id IN " SA_SITES " AND " SA_IN("v.arrived_at") ") v,"
    /* converted: its order was created before the period ended */
    " (SELECT count(*) AS n, ifnull(sum(l.status <> 'invalid'), 0) AS valid,"
    "   ifnull(sum(EXISTS (SELECT 1 FROM lead_followups f WHERE f.lead_id = l.id"
    "     AND f.at < ?3)), 0) AS followed,"
    "   ifnull(sum(EXISTS (SELECT 1 FROM orders x WHERE x.id = l.order_id"
    "     AND x.created_at < ?3)), 0) AS converted"
    "  FROM leads l WHERE l.site_id IN " SA_SITES " AND " SA_IN("l.created_at") ") l,"
    " (SELECT count(*) AS n, ifnull(sum(o.stage = 'cancelled'), 0) AS cancelled,"
    "   ifnull(sum(" SA_SALES("o") "), 0) AS sales"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.created_at") ") o,"
    " (SELECT count(*) AS n FROM audit a WHERE " SA_DECISION " AND " SA_IN("a.at")
    "   AND a.site_id IN " SA_SITES " AND " SA_RETURN("a") ") r,"
    " (SELECT count(*) AS n,"
    "   ifnull(sum(o.delivered_at - " SA_CYCLE_START("o") "), 0) AS cycle_sum,"
    "   ifnull(max(o.delivered_at - " SA_CYCLE_START("o") "), 0) AS cycle_max"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.delivered_at") ") d,"
    " (SELECT count(*) AS n FROM sla_breaches b CROSS JOIN orders o ON o.id = b.order_id"
    "  WHERE " SA_IN("b.at") " AND o.site_id IN " SA_SITES ") b,"
    /* the state terms (always true of a complaint) let complaints_site (site_id, state,
     * opened_at) be searched rather than scanned */
    " (SELECT count(*) AS opened FROM complaints k WHERE k.site_id IN " SA_SITES
    "   AND k.state IN ('open', 'closed') AND " SA_IN("k.opened_at") ") c,"
    " (SELECT count(*) AS closed FROM complaints k WHERE k.site_id IN " SA_SITES
    "   AND k.state = 'closed' AND " SA_IN("k.closed_at") ") cc,"
    /* review: entry to the first decision, of decisions that belong to the current entry */
    " (SELECT count(*) AS n, ifnull(sum(o.initial_decided_at - o.entered_at), 0) AS total,"
    "   ifnull(max(o.initial_decided_at - o.entered_at), 0) AS longest"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.initial_decided_at")
    "   AND o.entered_at > 0 AND o.entered_at <= o.initial_decided_at) rv,"
    " (SELECT count(*) AS n, ifnull(sum(x.score), 0) AS total FROM satisfaction x"
    "  WHERE x.site_id IN " SA_SITES " AND " SA_IN("x.at") ") sa";
// clang-format on

int store_analytics_kpi(struct store *s, const struct store_span *sp, struct store_kpi *out,
                        struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    if (store_analytics_span_check(s, sp, err))
        return -1;
    sqlite3_stmt *st;
    if (store_analytics_prepare(s, kpi_sql, sp, &st, err))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        int64_t *f[] = {
            &out->visits,         &out->visits_first,
            &out->leads,          &out->leads_valid,
            &out->leads_followed, &out->leads_converted,
            &out->orders,         &out->orders_cancelled,
            &out->sales_fen,      &out->returns,
            &out->deliveries,     &out->cycle_sum_ms,
            &out->cycle_max_ms,   &out->sla_breaches,
            &out->complaints,     &out->complaints_closed,
            &out->review_n,       &out->review_sum_ms,
            &out->review_max_ms,  &out->rating_n,
            &out->rating_sum,
        };
        for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++)
            *f[i] = store_col_int(st, i);
        out->cycle_n = out->deliveries; /* every delivered order has a cycle */
    } else if (rc == 0) {
        rc = store_fault(s, "analytics kpi returned no row", err);
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

/* ---- series in local calendar buckets ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Local day number (days since 1970-01-01 local) of a UTC time. */
static int64_t local_day(int64_t t, int64_t off_ms)
{
    int64_t local = t + off_ms;
    return local / DAY_MS - (local % DAY_MS < 0);
}

/* The local start (UTC ms) of the bucket containing t, and of the one after it. */
static void bucket_bounds(int64_t t, int64_t off_ms, enum store_bucket_unit unit, int64_t *start,
                          int64_t *next)
{
    int64_t day = local_day(t, off_ms);
    if (unit == STORE_BUCKET_MONTH) {
        int64_t y;
        int m;
        civil_from_days(day, &y, &m);
        *start = days_from_civil(y, m, 1) * DAY_MS - off_ms;
        *next = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) * DAY_MS -
                off_ms;
        return;
    }
    if (unit == STORE_BUCKET_WEEK) {
        int64_t wd = (day + 3) % 7; /* 1970-01-01 was a Thursday: Monday is 0 */
        if (wd < 0)
            wd += 7;
        day -= wd;
    }
    *start = day * DAY_MS - off_ms;
    *next = *start + (unit == STORE_BUCKET_WEEK ? 7 : 1) * DAY_MS;
}

/* The bucket of a record's time `t`, computed in SQL: ?4/?5 are bound per unit (see below). */
// clang-format off
#define SERIES_SQL(KEY)                                                                          \
    "SELECT k, sum(visits), sum(leads), sum(orders), sum(deliveries), sum(sales), sum(returns)"  \
    " FROM ("                                                                                    \
    " SELECT " KEY("v.arrived_at") " AS k, count(*) AS visits, 0 AS leads, 0 AS orders,"         \
    "   0 AS deliveries, 0 AS sales, 0 AS returns"                                               \
    "  FROM visits v WHERE v.site_id IN " SA_SITES " AND " SA_IN("v.arrived_at") " GROUP BY 1"   \
    " UNION ALL SELECT " KEY("l.created_at") ", 0, count(*), 0, 0, 0, 0"                         \
    "  FROM leads l WHERE l.site_id IN " SA_SITES " AND " SA_IN("l.created_at") " GROUP BY 1"    \
    " UNION ALL SELECT " KEY("o.created_at") ", 0, 0, count(*), 0, sum(" SA_SALES("o") "), 0"    \
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.created_at") " GROUP BY 1"   \
    " UNION ALL SELECT " KEY("o.delivered_at") ", 0, 0, 0, count(*), 0, 0"                       \
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.delivered_at") " GROUP BY 1" \
    " UNION ALL SELECT " KEY("a.at") ", 0, 0, 0, 0, 0, count(*)"                                 \
    "  FROM audit a WHERE " SA_DECISION " AND " SA_IN("a.at") " AND a.site_id IN " SA_SITES      \
    "   AND " SA_RETURN("a") " GROUP BY 1"                                                      \
    ") GROUP BY k ORDER BY k"
/* days and weeks have a fixed length: ?4 the first bucket's start, ?5 the length in ms */
#define KEY_FIXED(t) "((" t " - ?4) / ?5)"
/* months: ?4 the offset in ms, ?5 the first bucket's year * 12 + month; the local calendar
 * month of a time, as SQLite's date functions count it (the same proleptic calendar) */
#define KEY_MONTH(t)                                                                  \
    "(CAST(strftime('%Y', (" t " + ?4) / 1000, 'unixepoch') AS INTEGER) * 12"         \
    " + CAST(strftime('%m', (" t " + ?4) / 1000, 'unixepoch') AS INTEGER) - ?5)"
static const char series_fixed_sql[] = SERIES_SQL(KEY_FIXED);
static const char series_month_sql[] = SERIES_SQL(KEY_MONTH);
// clang-format on

int store_analytics_series(struct store *s, const struct store_span *sp, int utc_offset_min,
                           enum store_bucket_unit unit, struct store_bucket *out, size_t cap,
                           size_t *n, struct proto_error *err)
{
    *n = 0;
    if (utc_offset_min < -720 || utc_offset_min > 840)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "utc_offset_min",
                               "a UTC offset is -720..840 minutes");
    if (unit != STORE_BUCKET_DAY && unit != STORE_BUCKET_WEEK && unit != STORE_BUCKET_MONTH)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "unit", "unknown bucket unit");
    if (store_analytics_span_check(s, sp, err))
        return -1;
    if (sp->from == sp->to)
        return 0;
    int64_t off_ms = (int64_t)utc_offset_min * MINUTE_MS;
    /* the buckets, clipped to the period */
    size_t count = 0;
    int64_t first_start = 0, first_next = 0;
    bucket_bounds(sp->from, off_ms, unit, &first_start, &first_next);
    for (int64_t t = sp->from; t < sp->to; count++) {
        int64_t start, next;
        bucket_bounds(t, off_ms, unit, &start, &next);
        if (count >= cap || count >= STORE_ANALYTICS_MAX_BUCKETS)
            return proto_error_set(
                err, PROTO_E_OUT_OF_RANGE, "to", "the period has more than %zu buckets",
                cap < STORE_ANALYTICS_MAX_BUCKETS ? cap : (size_t)STORE_ANALYTICS_MAX_BUCKETS);
        memset(&out[count], 0, sizeof out[count]);
        out[count].start = t;
        out[count].end = next < sp->to ? next : sp->to;
        t = next;
    }
    sqlite3_stmt *st;
    if (store_analytics_prepare(s, unit == STORE_BUCKET_MONTH ? series_month_sql : series_fixed_sql,
                                sp, &st, err))
        return -1;
    int64_t p4 = first_start, p5 = unit == STORE_BUCKET_WEEK ? 7 * DAY_MS : DAY_MS;
    if (unit == STORE_BUCKET_MONTH) {
        int64_t y;
        int m;
        civil_from_days(local_day(sp->from, off_ms), &y, &m);
        p4 = off_ms;
        p5 = y * 12 + m;
    }
    if (sqlite3_bind_int64(st, 4, p4) != SQLITE_OK || sqlite3_bind_int64(st, 5, p5) != SQLITE_OK) {
        store_fault(s, "bind analytics series", err);
        sqlite3_finalize(st);
        return -1;
    }
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        int64_t k = store_col_int(st, 0);
        if (k < 0 || (size_t)k >= count) {
            /* the SQL and the C calendars disagree: a bug, not bad input */
            log_error("store", "analytics series: bucket %lld of %zu", (long long)k, count);
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
            break;
        }
        struct store_bucket *b = &out[k];
        b->visits = store_col_int(st, 1);
        b->leads = store_col_int(st, 2);
        b->orders = store_col_int(st, 3);
        b->deliveries = store_col_int(st, 4);
        b->sales_fen = store_col_int(st, 5);
        b->returns = store_col_int(st, 6);
    }
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    *n = count;
    return 0;
}

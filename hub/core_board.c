/* board_stats: the board's figures of the device's site (see core_board.h). Every number
 * comes from store_analytics_*; this file only picks the periods and shapes the JSON. */
#include "core_board.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_analytics.h"

#define CORE_BOARD_DAY_MS (24LL * 60 * 60 * 1000)

struct core_board_league {
    cJSON *list;
    int n;
    bool oom;
};

/* "YYYY-MM-DD" of the local day starting at `start` (UTC ms of a local midnight). */
static int core_board_day_name(int64_t start, int utc_offset_min, char out[STORE_DAY_LEN + 1])
{
    /* the local midnight, read as if it were UTC, gives the local calendar date */
    time_t t = (time_t)((start + (int64_t)utc_offset_min * 60000) / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, STORE_DAY_LEN + 1, "%Y-%m-%d", &tm) != STORE_DAY_LEN)
        return -1;
    return 0;
}

/* Adds key: number for each of n (key, value) pairs. 0, or -1 when out of memory. */
static int core_board_numbers(cJSON *obj, const char *const *keys, const int64_t *values, int n)
{
    for (int i = 0; i < n; i++)
        if (!cJSON_AddNumberToObject(obj, keys[i], (double)values[i]))
            return -1;
    return 0;
}

static cJSON *core_board_today(const struct store_kpi *k)
{
    static const char *const keys[] = {"visits", "leads", "orders", "deliveries", "sales_fen"};
    const int64_t v[] = {k->visits, k->leads, k->orders, k->deliveries, k->sales_fen};
    cJSON *o = cJSON_CreateObject();
    if (o && core_board_numbers(o, keys, v, 5) == 0)
        return o;
    cJSON_Delete(o);
    return NULL;
}

static cJSON *core_board_trend(const struct store_bucket *b, size_t n, int utc_offset_min)
{
    static const char *const keys[] = {"visits", "orders", "deliveries"};
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < n; i++) {
        char day[STORE_DAY_LEN + 1];
        const int64_t v[] = {b[i].visits, b[i].orders, b[i].deliveries};
        cJSON *o = cJSON_CreateObject();
        if (!o || core_board_day_name(b[i].start, utc_offset_min, day) ||
            !cJSON_AddStringToObject(o, "day", day) || core_board_numbers(o, keys, v, 3) ||
            !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            cJSON_Delete(list);
            return NULL;
        }
    }
    return list;
}

/* The assessment comes ordered as the league is (orders, deliveries, staff number): the
 * board shows its first rows. */
static int core_board_league_row(void *ctx, const struct store_assessment *r)
{
    struct core_board_league *l = ctx;
    if (l->oom || l->n >= CORE_BOARD_LEAGUE_MAX)
        return 0; /* keep walking: stopping would report the walk as failed */
    static const char *const keys[] = {"orders", "deliveries", "sales_fen", "rating_n",
                                       "rating_sum"};
    const int64_t v[] = {r->orders, r->deliveries, r->sales_fen, r->rating_n, r->rating_sum};
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "staff_no", r->staff_no) ||
        !cJSON_AddStringToObject(o, "name", r->name) || core_board_numbers(o, keys, v, 5) ||
        !cJSON_AddItemToArray(l->list, o)) {
        cJSON_Delete(o);
        l->oom = true;
        return 0;
    }
    l->n++;
    return 0;
}

int core_board_stats(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    (void)staff; /* the figures are the site's, for any board: no login needed */
    (void)args;  /* none (proto_table.c) */
    *data = NULL;
    struct core_day day;
    struct store_kpi kpi;
    struct store_bucket buckets[CORE_BOARD_TREND_DAYS];
    size_t nb = 0;
    struct core_board_league league = {0};
    cJSON *d = NULL;
    int rc = -1;
    if (store_begin_read(c->store, err))
        return -1;
    if (core_day(c, dev->site_id, now, &day, err))
        goto out;
    int off = day.site.utc_offset_min;
    /* Month to date: the local month's first midnight (fixed offsets: every day is 24 h). */
    int mday = (day.day[8] - '0') * 10 + (day.day[9] - '0');
    struct store_span today = {dev->site_id, day.start, day.end};
    struct store_span trend = {dev->site_id, day.end - CORE_BOARD_TREND_DAYS * CORE_BOARD_DAY_MS,
                               day.end};
    struct store_span month = {dev->site_id, day.start - (int64_t)(mday - 1) * CORE_BOARD_DAY_MS,
                               day.end};
    if (store_analytics_kpi(c->store, &today, &kpi, err) ||
        store_analytics_series(c->store, &trend, off, STORE_BUCKET_DAY, buckets,
                               CORE_BOARD_TREND_DAYS, &nb, err))
        goto out;
    if (nb != CORE_BOARD_TREND_DAYS) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "the trend has %zu days, not %d", nb,
                        CORE_BOARD_TREND_DAYS);
        goto out;
    }
    d = cJSON_CreateObject();
    if (!d || !cJSON_AddStringToObject(d, "day", day.day) ||
        !cJSON_AddNumberToObject(d, "now", (double)now) ||
        !cJSON_AddItemToObject(d, "today", core_board_today(&kpi)) ||
        !cJSON_AddItemToObject(d, "trend", core_board_trend(buckets, nb, off)) ||
        !(league.list = cJSON_AddArrayToObject(d, "league"))) {
        core_oom(err);
        goto out;
    }
    if (store_analytics_assessment(c->store, &month, DOMAIN_ROLE_CONSULTANT, core_board_league_row,
                                   &league, err))
        goto out;
    if (league.oom) {
        core_oom(err);
        goto out;
    }
    *data = d;
    d = NULL;
    rc = 0;
out:
    store_rollback(c->store); /* a read: nothing to commit */
    cJSON_Delete(d);
    return rc;
}

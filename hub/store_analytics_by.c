/* Analytics broken down: the orders of a period by site, region, model, consultant or
 * channel, and the leads of a period by channel with their quality. One GROUP BY statement
 * each; definitions in hub/ANALYTICS.md. */
#include "store_analytics_internal.h"

#include <stdio.h>
#include <string.h>

/* Key and label of an order `o` for each dimension, and the joins they need. */
struct dim_sql {
    const char *key, *label, *joins;
};
/* the region of the customer's latest lead made no later than the order: in the hub's flow
 * that is the inquiry the order converted (an index search on leads_customer) */
#define REGION                                                                 \
    "ifnull((SELECT l.region FROM leads l WHERE l.customer_id = o.customer_id" \
    " AND l.created_at <= o.created_at ORDER BY l.created_at DESC, l.id DESC LIMIT 1), '')"
static const struct dim_sql dims[] = {
    [STORE_DIM_SITE] = {"si.code", "si.name", " JOIN sites si ON si.id = o.site_id"},
    [STORE_DIM_REGION] = {REGION, REGION, ""},
    [STORE_DIM_MODEL] = {"o.model_code", "ifnull(m.name, o.model_code)",
                         " LEFT JOIN models m ON m.code = o.model_code"},
    [STORE_DIM_CONSULTANT] = {"ifnull(st.staff_no, '')", "ifnull(st.name, '')",
                              " LEFT JOIN staff st ON st.id = o.consultant_id"},
    [STORE_DIM_CHANNEL] = {"o.channel", "o.channel", ""},
};

int store_analytics_orders_by(struct store *s, const struct store_span *sp, enum store_dim dim,
                              int (*cb)(void *ctx, const struct store_breakdown *row), void *ctx,
                              struct proto_error *err)
{
    if ((int)dim < 0 || (size_t)dim >= sizeof dims / sizeof dims[0])
        return proto_error_set(err, PROTO_E_BAD_FIELD, "dim", "unknown breakdown dimension");
    if (store_analytics_span_check(s, sp, err))
        return -1;
    const struct dim_sql *d = &dims[dim];
    /* created and delivered orders are two index ranges; each is grouped before the union so
     * only one row per key leaves either side */
    char sql[4096];
    int len = snprintf(
        sql, sizeof sql,
        "SELECT key, max(label), sum(orders) AS n, sum(cancelled), sum(sales), sum(deliveries)"
        " FROM ("
        " SELECT %s AS key, %s AS label, count(*) AS orders, sum(o.stage = 'cancelled') AS "
        "cancelled,"
        "  sum(" SA_SALES(
            "o") ") AS sales, 0 AS deliveries"
                 "  FROM orders o%s WHERE o.site_id IN " SA_SITES " AND " SA_IN(
                     "o.created_at") " GROUP BY 1"
                                     " UNION ALL SELECT %s, %s, 0, 0, 0, count(*)"
                                     "  FROM orders o%s WHERE o.site_id IN " SA_SITES " AND " SA_IN(
                                         "o.delivered_at") "  GROUP BY 1"
                                                           ") GROUP BY key ORDER BY n DESC, key",
        d->key, d->label, d->joins, d->key, d->label, d->joins);
    if (len < 0 || (size_t)len >= sizeof sql)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "breakdown query too long");
    sqlite3_stmt *st;
    if (store_analytics_prepare(s, sql, sp, &st, err))
        return -1;
    struct store_breakdown row;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&row, 0, sizeof row);
        store_col_text(st, 0, row.key, sizeof row.key);
        store_col_text(st, 1, row.label, sizeof row.label);
        row.orders = store_col_int(st, 2);
        row.cancelled = store_col_int(st, 3);
        row.sales_fen = store_col_int(st, 4);
        row.deliveries = store_col_int(st, 5);
        if (cb(ctx, &row) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

// clang-format off
static const char channel_sql[] =
    "SELECT channel, sum(leads) AS n, sum(valid), sum(followed), sum(converted), sum(h), sum(a),"
    "  sum(b), sum(overdue)"
    " FROM ("
    " SELECT l.channel AS channel, count(*) AS leads, sum(l.status <> 'invalid') AS valid,"
    "  sum(EXISTS (SELECT 1 FROM lead_followups f WHERE f.lead_id = l.id AND f.at < ?3))"
    "    AS followed,"
    "  sum(EXISTS (SELECT 1 FROM orders x WHERE x.id = l.order_id AND x.created_at < ?3))"
    "    AS converted,"
    "  sum(l.status <> 'invalid' AND l.grade = 'H') AS h,"
    "  sum(l.status <> 'invalid' AND l.grade = 'A') AS a,"
    "  sum(l.status <> 'invalid' AND l.grade = 'B') AS b, 0 AS overdue"
    "  FROM leads l WHERE l.site_id IN " SA_SITES " AND " SA_IN("l.created_at") " GROUP BY 1"
    /* overdue reports of the period, whenever their lead was made */
    " UNION ALL SELECT l.channel, 0, 0, 0, 0, 0, 0, 0, count(*)"
    "  FROM lead_overdue_reports r CROSS JOIN leads l ON l.id = r.lead_id"
    "  WHERE " SA_IN("r.at") " AND l.site_id IN " SA_SITES " GROUP BY 1"
    ") GROUP BY channel ORDER BY n DESC, channel";
// clang-format on

int store_analytics_leads_by_channel(struct store *s, const struct store_span *sp,
                                     int (*cb)(void *ctx, const struct store_lead_quality *row),
                                     void *ctx, struct proto_error *err)
{
    if (store_analytics_span_check(s, sp, err))
        return -1;
    sqlite3_stmt *st;
    if (store_analytics_prepare(s, channel_sql, sp, &st, err))
        return -1;
    struct store_lead_quality row;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&row, 0, sizeof row);
        store_col_text(st, 0, row.channel, sizeof row.channel);
        int64_t *f[] = {&row.leads,   &row.valid,   &row.followed, &row.converted,
                        &row.grade_h, &row.grade_a, &row.grade_b,  &row.overdue};
        for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++)
            *f[i] = store_col_int(st, i + 1);
        if (cb(ctx, &row) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

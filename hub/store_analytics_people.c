/* Analytics per person: the assessment figures of consultants and supervisors (seeds 000,
 * 003, 004; hub/ANALYTICS.md "Assessment"). One statement per role: each source of figures
 * is grouped by person, the groups are summed and joined to the staff list. */
#include "store_analytics_internal.h"

#include <string.h>

/* The branches of `x` all have these columns (person key first), in this order. */
#define X_COLS                                                                           \
    "(who, visits, orders, returns, deliveries, cancelled, sales, review_n, review_sum," \
    " deliver_sum, rating_n, rating_sum, breaches)"
/* Sums x per person and lists the staff of the role: those of the site still active, and
 * anyone (of the role) with a figure in the period. ?4 is the role's name; ON is how a
 * staff row `st` matches a person key `g.who`. */
// clang-format off
#define PEOPLE_SQL(BRANCHES, ON)                                                              \
    "WITH x" X_COLS " AS (" BRANCHES "),"                                                     \
    " g AS (SELECT who, sum(visits) AS visits, sum(orders) AS orders, sum(returns) AS returns,"  \
    "   sum(deliveries) AS deliveries, sum(cancelled) AS cancelled, sum(sales) AS sales,"     \
    "   sum(review_n) AS review_n, sum(review_sum) AS review_sum,"                            \
    "   sum(deliver_sum) AS deliver_sum, sum(rating_n) AS rating_n,"                          \
    "   sum(rating_sum) AS rating_sum, sum(breaches) AS breaches"                             \
    "   FROM x WHERE who IS NOT NULL GROUP BY who)"                                           \
    " SELECT st.id, st.staff_no, st.name, ifnull(g.visits, 0), ifnull(g.orders, 0) AS n,"     \
    "  ifnull(g.returns, 0), ifnull(g.deliveries, 0) AS dn, ifnull(g.cancelled, 0),"          \
    "  ifnull(g.sales, 0), ifnull(g.review_n, 0), ifnull(g.review_sum, 0),"                   \
    "  ifnull(g.deliver_sum, 0), ifnull(g.rating_n, 0), ifnull(g.rating_sum, 0),"             \
    "  ifnull(g.breaches, 0)"                                                                 \
    " FROM staff st LEFT JOIN g ON " ON                                                       \
    " WHERE st.role = ?4 AND ((st.active = 1 AND st.site_id IN " SA_SITES ")"                 \
    "  OR g.who IS NOT NULL)"                                                                 \
    " ORDER BY n DESC, dn DESC, st.staff_no"

/* Consultants: the person is orders.consultant_id / visits.consultant_id. */
static const char consultant_sql[] = PEOPLE_SQL(
    " SELECT v.consultant_id, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0"
    "  FROM visits v WHERE v.site_id IN " SA_SITES " AND " SA_IN("v.arrived_at") " GROUP BY 1"
    /* their orders of the period */
    " UNION ALL SELECT o.consultant_id, 0, count(*), 0, 0, sum(o.stage = 'cancelled'),"
    "  sum(" SA_SALES("o") "), 0, 0, 0, 0, 0, 0"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.created_at") " GROUP BY 1"
    /* how often those were sent back before `to`: an order is sent back after it was
     * created, so only the period's returns can be about an order of the period */
    " UNION ALL SELECT o.consultant_id, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0"
    "  FROM audit a CROSS JOIN orders o ON o.order_no = a.entity_id"
    "  WHERE " SA_DECISION " AND " SA_IN("a.at") " AND a.site_id IN " SA_SITES
    "  AND " SA_RETURN("a") " AND " SA_IN("o.created_at") " GROUP BY 1"
    " UNION ALL SELECT o.consultant_id, 0, 0, 0, count(*), 0, 0, 0, 0,"
    "  sum(o.delivered_at - " SA_CYCLE_START("o") "), 0, 0, 0"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.delivered_at") " GROUP BY 1"
    " UNION ALL SELECT o.consultant_id, 0, 0, 0, 0, 0, 0, count(*),"
    "  sum(o.initial_decided_at - o.entered_at), 0, 0, 0, 0"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.initial_decided_at")
    "  AND o.entered_at > 0 AND o.entered_at <= o.initial_decided_at GROUP BY 1"
    " UNION ALL SELECT o.consultant_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(x.score), 0"
    "  FROM satisfaction x JOIN orders o ON o.id = x.order_id"
    "  WHERE x.site_id IN " SA_SITES " AND " SA_IN("x.at") " GROUP BY 1"
    " UNION ALL SELECT o.consultant_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)"
    "  FROM sla_breaches b CROSS JOIN orders o ON o.id = b.order_id"
    "  WHERE " SA_IN("b.at") " AND o.site_id IN " SA_SITES " GROUP BY 1",
    "g.who = st.id");

/* Supervisors: the person is the actor ("staff:<no>") of the audit record of a review. An
 * order's reviewer is the actor of its latest order_review record. */
#define REVIEWER(o)                                                                           \
    "(SELECT r.actor FROM audit r WHERE r.entity = 'order' AND r.entity_id = " o ".order_no"  \
    " AND r.action = 'order_review' ORDER BY r.id DESC LIMIT 1)"
#define REVIEWS "a.entity = 'order' AND a.action = 'order_review' AND " SA_IN("a.at") \
                " AND a.site_id IN " SA_SITES
static const char supervisor_sql[] = PEOPLE_SQL(
    /* decisions of the period: the orders decided, and how often they were sent back */
    " SELECT a.actor, 0, count(DISTINCT a.entity_id), sum(" SA_RETURN("a") "),"
    "  0, 0, 0, 0, 0, 0, 0, 0, 0"
    "  FROM audit a WHERE " REVIEWS " GROUP BY 1"
    " UNION ALL SELECT d.actor, 0, 0, 0, 0, sum(o.stage = 'cancelled'), sum(" SA_SALES("o") "),"
    "  0, 0, 0, 0, 0, 0"
    "  FROM (SELECT DISTINCT a.actor AS actor, a.entity_id AS no FROM audit a WHERE " REVIEWS ") d"
    "  JOIN orders o ON o.order_no = d.no GROUP BY 1"
    /* review time of the decisions of the period: the decision is the order's current one */
    " UNION ALL SELECT (SELECT a.actor FROM audit a WHERE a.entity = 'order'"
    "   AND a.entity_id = o.order_no AND a.action = 'order_review'"
    "   AND a.at = o.initial_decided_at ORDER BY a.id DESC LIMIT 1),"
    "  0, 0, 0, 0, 0, 0, count(*), sum(o.initial_decided_at - o.entered_at), 0, 0, 0, 0"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.initial_decided_at")
    "  AND o.entered_at > 0 AND o.entered_at <= o.initial_decided_at GROUP BY 1"
    " UNION ALL SELECT " REVIEWER("o") ", 0, 0, 0, count(*), 0, 0, 0, 0,"
    "  sum(o.delivered_at - " SA_CYCLE_START("o") "), 0, 0, 0"
    "  FROM orders o WHERE o.site_id IN " SA_SITES " AND " SA_IN("o.delivered_at") " GROUP BY 1"
    " UNION ALL SELECT " REVIEWER("o") ", 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(x.score), 0"
    "  FROM satisfaction x JOIN orders o ON o.id = x.order_id"
    "  WHERE x.site_id IN " SA_SITES " AND " SA_IN("x.at") " GROUP BY 1"
    " UNION ALL SELECT " REVIEWER("o") ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)"
    "  FROM sla_breaches b CROSS JOIN orders o ON o.id = b.order_id"
    "  WHERE " SA_IN("b.at") " AND o.site_id IN " SA_SITES " GROUP BY 1",
    "g.who = 'staff:' || st.staff_no");
// clang-format on

int store_analytics_assessment(struct store *s, const struct store_span *sp, enum domain_role role,
                               int (*cb)(void *ctx, const struct store_assessment *row), void *ctx,
                               struct proto_error *err)
{
    if (role != DOMAIN_ROLE_CONSULTANT && role != DOMAIN_ROLE_SUPERVISOR)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "role",
                               "assessment figures are kept for consultants and supervisors");
    if (store_analytics_span_check(s, sp, err))
        return -1;
    sqlite3_stmt *st;
    if (store_analytics_prepare(s, role == DOMAIN_ROLE_CONSULTANT ? consultant_sql : supervisor_sql,
                                sp, &st, err))
        return -1;
    if (sqlite3_bind_text(st, 4, domain_role_name(role), -1, SQLITE_STATIC) != SQLITE_OK) {
        store_fault(s, "bind analytics role", err);
        sqlite3_finalize(st);
        return -1;
    }
    struct store_assessment row;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&row, 0, sizeof row);
        row.staff_id = store_col_int(st, 0);
        store_col_text(st, 1, row.staff_no, sizeof row.staff_no);
        store_col_text(st, 2, row.name, sizeof row.name);
        row.role = role;
        int64_t *f[] = {&row.visits,         &row.orders,    &row.returns,    &row.deliveries,
                        &row.cancelled,      &row.sales_fen, &row.review_n,   &row.review_sum_ms,
                        &row.deliver_sum_ms, &row.rating_n,  &row.rating_sum, &row.sla_breaches};
        for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++)
            *f[i] = store_col_int(st, i + 3);
        row.deliver_n = row.deliveries; /* every delivered order has a delivery time */
        if (cb(ctx, &row) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

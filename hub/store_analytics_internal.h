/* Private to hub/store_analytics*.c: the SQL fragments every figure shares (which site, which
 * period, what a return is) and the span checks, so the files define a figure the same way.
 * hub/ANALYTICS.md is the prose of these fragments. */
#ifndef SHOWFLOOR_STORE_ANALYTICS_INTERNAL_H
#define SHOWFLOOR_STORE_ANALYTICS_INTERNAL_H

#include "store_analytics.h"
#include "store_internal.h"

/* Every analytics statement binds ?1 site_id (0: all), ?2 from, ?3 to (UTC ms, [from, to)).
 * The site test is an IN over sites, so a (site_id, time) index is searched once per site
 * rather than the table scanned when the report is for every site. */
#define SA_SITES "(SELECT id FROM sites WHERE ?1 IN (0, id))"
/* col in [from, to); the columns default to 0 for "not yet", which is never in a period */
#define SA_IN(col) "(" col " > 0 AND " col " >= ?2 AND " col " < ?3)"
/* SA_DECISION: audit record `a` is a review decision, the supervisor's order_review or the
 * manager's order_approve. SA_RETURN: the decision sent the order back for corrections (its
 * resulting stage is returned; the core's record carries the changed stage in `after`). */
#define SA_DECISION   "a.entity = 'order' AND a.action IN ('order_review', 'order_approve')"
#define SA_RETURN(a_) "json_extract(" a_ ".after, '$.stage') = 'returned'"
/* Joins from a table of events (breaches, overdue reports) to their order or lead are
 * written CROSS JOIN, which SQLite takes as "this table first": without ANALYZE statistics
 * the planner would rather walk every order of the site than the period's slice of the
 * event table's time index. */
/* Start of an order's cycle: when the order was received, else when it was created. */
#define SA_CYCLE_START(o) \
    "(CASE WHEN " o ".received_at > 0 THEN " o ".received_at ELSE " o ".created_at END)"
/* Sales of an order: its total unless it was cancelled. */
#define SA_SALES(o) "(CASE WHEN " o ".stage <> 'cancelled' THEN " o ".total_fen ELSE 0 END)"

/* Checks a span: site_id >= 0 and, when not 0, an existing site; 0 <= from <= to.
 * PROTO_E_BAD_FIELD / PROTO_E_OUT_OF_RANGE / PROTO_E_NOT_FOUND naming the field. */
int store_analytics_span_check(struct store *s, const struct store_span *sp,
                               struct proto_error *err);
/* Prepares a one-off statement and binds ?1..?3 from the span. The caller finalizes it
 * (sqlite3_finalize). Analytics statements are long, few and run seldom (a report, a board
 * every 10 s at most), so they are prepared per call instead of at every store_open. */
int store_analytics_prepare(struct store *s, const char *sql, const struct store_span *sp,
                            sqlite3_stmt **out, struct proto_error *err);

#endif

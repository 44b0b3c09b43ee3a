/* Order notes: the communication log (phone, email, face to face, ...) with who, when and a
 * summary. Customer-visible notes also reach the status kiosk and meet the ETA-notify limit. */
#include "store_internal.h"

#include <string.h>

static const char *const sql[] = {
    "INSERT INTO order_notes (order_id, way, summary, customer_visible, staff_id, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id, order_id, way, summary, customer_visible, staff_id, at FROM order_notes"
    " WHERE order_id = ?1 AND (?2 = 0 OR customer_visible = 1) ORDER BY at, id",
    "SELECT coalesce(max(at), 0) FROM order_notes WHERE order_id = ?1 AND customer_visible = 1"
    " AND at >= ?2",
};
enum { NOTE_ADD, NOTE_LIST, NOTE_VISIBLE_SINCE };
const struct store_sql_table store_notes_sql = {"notes", sql, sizeof sql / sizeof sql[0]};

int store_notes_add(struct store *s, const struct store_note *n, int64_t *id,
                    struct proto_error *err)
{
    if (domain_note_way_from_name(n->way) < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "way", "unknown way '%s'", n->way);
    if (!n->summary[0])
        return proto_error_set(err, PROTO_E_BAD_FIELD, "summary", "a note needs a summary");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_NOTES, NOTE_ADD);
    if (store_bind(s, st, err, "ittdIi", n->order_id, n->way, n->summary,
                   n->customer_visible ? 1 : 0, n->staff_id, n->at) ||
        store_exec(s, st, err))
        return -1;
    int64_t nid = store_last_id(s);
    /* a visible note is news for the customer's screen; a private one changes nothing seen */
    if (n->customer_visible && store_orders_set_notified(s, n->order_id, n->at, err))
        return -1;
    if (id)
        *id = nid;
    return 0;
}

int store_notes_list(struct store *s, int64_t order_id, bool visible_only,
                     int (*cb)(void *ctx, const struct store_note *n), void *ctx,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_NOTES, NOTE_LIST);
    if (store_bind(s, st, err, "id", order_id, visible_only ? 1 : 0))
        return -1;
    struct store_note n;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&n, 0, sizeof n);
        n.id = store_col_int(st, 0);
        n.order_id = store_col_int(st, 1);
        store_col_text(st, 2, n.way, sizeof n.way);
        store_col_text(st, 3, n.summary, sizeof n.summary);
        n.customer_visible = store_col_int(st, 4) != 0;
        n.staff_id = store_col_int(st, 5);
        n.at = store_col_int(st, 6);
        if (cb(ctx, &n) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_notes_visible_since(struct store *s, int64_t order_id, int64_t since, int64_t *at,
                              struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_NOTES, NOTE_VISIBLE_SINCE);
    if (store_bind(s, st, err, "ii", order_id, since))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1)
        *at = store_col_int(st, 0);
    store_done(st);
    if (rc == 0)
        return store_fault(s, "max over notes returned no row", err);
    return rc < 0 ? -1 : 0;
}

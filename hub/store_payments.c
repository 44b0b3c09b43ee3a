/* Payments and refunds: money finance confirmed for an order. Each row also moves the
 * order's counters (paid, down payment, disbursed, refunded) in the same transaction, so the
 * order row always equals the sum of its money rows plus what version 1 recorded. */
#include "store_internal.h"

#include <string.h>

static const char *const sql[] = {
    "INSERT INTO payments (order_id, kind, amount_fen, reference, at, staff_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id, order_id, kind, amount_fen, reference, at, staff_id FROM payments"
    " WHERE order_id = ?1 ORDER BY id",
    "INSERT INTO refunds (order_id, amount_fen, reference, at, staff_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
    "SELECT id, order_id, amount_fen, reference, at, staff_id FROM refunds"
    " WHERE order_id = ?1 ORDER BY id",
};
enum { PAY_ADD, PAY_LIST, REF_ADD, REF_LIST };
const struct store_sql_table store_payments_sql = {"payments", sql, sizeof sql / sizeof sql[0]};

int store_payments_add(struct store *s, const struct store_payment *p, int64_t *id,
                       struct proto_error *err)
{
    int kind = domain_pay_kind_from_name(p->kind);
    if (kind < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown payment kind '%s'",
                               p->kind);
    if (p->amount_fen <= 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "amount_fen", "amount must be > 0");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAYMENTS, PAY_ADD);
    if (store_bind(s, st, err, "ititiI", p->order_id, p->kind, p->amount_fen, p->reference, p->at,
                   p->staff_id) ||
        store_exec(s, st, err))
        return -1;
    int64_t pid = store_last_id(s);
    int64_t down = kind == DOMAIN_PAYK_DOWN_PAYMENT ? p->amount_fen : 0;
    int64_t disb = kind == DOMAIN_PAYK_LOAN_DISBURSEMENT ? p->amount_fen : 0;
    if (store_orders_add_money(s, p->order_id, p->amount_fen, down, disb, 0, p->at, err))
        return -1;
    if (id)
        *id = pid;
    return 0;
}

int store_payments_list(struct store *s, int64_t order_id,
                        int (*cb)(void *ctx, const struct store_payment *p), void *ctx,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAYMENTS, PAY_LIST);
    if (store_bind(s, st, err, "i", order_id))
        return -1;
    struct store_payment p;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&p, 0, sizeof p);
        p.id = store_col_int(st, 0);
        p.order_id = store_col_int(st, 1);
        store_col_text(st, 2, p.kind, sizeof p.kind);
        p.amount_fen = store_col_int(st, 3);
        store_col_text(st, 4, p.reference, sizeof p.reference);
        p.at = store_col_int(st, 5);
        p.staff_id = store_col_int(st, 6);
        if (cb(ctx, &p) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_refunds_add(struct store *s, const struct store_refund *r, int64_t *id,
                      struct proto_error *err)
{
    if (r->amount_fen <= 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "amount_fen", "amount must be > 0");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAYMENTS, REF_ADD);
    if (store_bind(s, st, err, "iitiI", r->order_id, r->amount_fen, r->reference, r->at,
                   r->staff_id) ||
        store_exec(s, st, err))
        return -1;
    int64_t rid = store_last_id(s);
    if (store_orders_add_money(s, r->order_id, 0, 0, 0, r->amount_fen, r->at, err))
        return -1;
    if (id)
        *id = rid;
    return 0;
}

int store_refunds_list(struct store *s, int64_t order_id,
                       int (*cb)(void *ctx, const struct store_refund *r), void *ctx,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAYMENTS, REF_LIST);
    if (store_bind(s, st, err, "i", order_id))
        return -1;
    struct store_refund r;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        memset(&r, 0, sizeof r);
        r.id = store_col_int(st, 0);
        r.order_id = store_col_int(st, 1);
        r.amount_fen = store_col_int(st, 2);
        store_col_text(st, 3, r.reference, sizeof r.reference);
        r.at = store_col_int(st, 4);
        r.staff_id = store_col_int(st, 5);
        if (cb(ctx, &r) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

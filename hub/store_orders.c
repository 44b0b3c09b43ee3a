/* Orders: the vehicle a customer bought, its stage in the life cycle and when each
 * customer-facing stage was reached. Adding or changing one appends order.created/updated. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

#define ORDER_COLS                                                                              \
    "o.id, o.site_id, o.order_no, o.customer_id, o.consultant_id, o.model_code, o.colour,"      \
    " o.quantity, o.unit_price_fen, o.total_fen, o.payment, o.paid_fen, o.stage, o.created_at," \
    " o.approved_at, o.allocated_at, o.paid_at, o.ready_at, o.delivered_at, o.updated_at,"      \
    " o.eta, o.delivery_at, o.delivery_place, o.remarks"

static const char *const sql[] = {
    "INSERT INTO order_seq (month, last) VALUES (?1, 1)"
    " ON CONFLICT (month) DO UPDATE SET last = last + 1 RETURNING last",
    "INSERT INTO orders (site_id, order_no, customer_id, consultant_id, model_code, colour,"
    " quantity, unit_price_fen, total_fen, payment, paid_fen, stage, created_at, approved_at,"
    " allocated_at, paid_at, ready_at, delivered_at, updated_at, eta, delivery_at,"
    " delivery_place, remarks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.id = ?1",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.order_no = ?1",
    "UPDATE orders SET stage = ?2, approved_at = ?3, allocated_at = ?4, paid_at = ?5,"
    " ready_at = ?6, delivered_at = ?7, updated_at = ?8 WHERE id = ?1",
    "UPDATE orders SET paid_fen = ?2, updated_at = ?3 WHERE id = ?1",
    "UPDATE orders SET eta = ?2, delivery_at = ?3, delivery_place = ?4, updated_at = ?5"
    " WHERE id = ?1",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1"
    " AND o.stage NOT IN ('delivered', 'closed', 'cancelled') ORDER BY o.created_at, o.id",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1 AND o.stage = 'ready'"
    " ORDER BY o.delivery_at = 0, o.delivery_at, o.id",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1 AND (o.stage IN ('paid', 'ready')"
    " OR (o.stage IN ('delivered', 'closed') AND o.delivered_at >= ?2 AND o.delivered_at < ?3))"
    " ORDER BY o.delivery_at = 0, o.delivery_at, o.id",
    "SELECT " ORDER_COLS ", c.name, c.gender, c.phone, c.kind, m.name, m.name_en, s.name"
    " FROM orders o JOIN customers c ON c.id = o.customer_id"
    " JOIN models m ON m.code = o.model_code LEFT JOIN staff s ON s.id = o.consultant_id"
    " WHERE o.id = ?1",
};
enum {
    ORD_NEXT_SEQ,
    ORD_ADD,
    ORD_GET,
    ORD_BY_NO,
    ORD_SET_STAGE,
    ORD_SET_PAID,
    ORD_SET_SCHEDULE,
    ORD_LIST_OPEN,
    ORD_LIST_READY,
    ORD_LIST_WALL,
    ORD_JSON
};
const struct store_sql_table store_orders_sql = {"orders", sql, sizeof sql / sizeof sql[0]};

static void read_order(sqlite3_stmt *st, void *out)
{
    struct store_order *o = out;
    char buf[PROTO_MAX_SHORT + 1];
    o->id = store_col_int(st, 0);
    o->site_id = store_col_int(st, 1);
    store_col_text(st, 2, o->order_no, sizeof o->order_no);
    o->customer_id = store_col_int(st, 3);
    o->consultant_id = store_col_int(st, 4);
    store_col_text(st, 5, o->model_code, sizeof o->model_code);
    store_col_text(st, 6, o->colour, sizeof o->colour);
    o->quantity = (int)store_col_int(st, 7);
    o->unit_price_fen = store_col_int(st, 8);
    o->total_fen = store_col_int(st, 9);
    store_col_text(st, 10, buf, sizeof buf);
    o->payment =
        domain_payment_from_name(buf) == (int)DOMAIN_PAY_LOAN ? DOMAIN_PAY_LOAN : DOMAIN_PAY_FULL;
    o->paid_fen = store_col_int(st, 11);
    store_col_text(st, 12, buf, sizeof buf);
    int stage = domain_stage_from_name(buf);
    o->stage = stage < 0 ? DOMAIN_STAGE_ENTERED : (enum domain_stage)stage;
    o->times.created_at = store_col_int(st, 13);
    o->times.approved_at = store_col_int(st, 14);
    o->times.allocated_at = store_col_int(st, 15);
    o->times.paid_at = store_col_int(st, 16);
    o->times.ready_at = store_col_int(st, 17);
    o->times.delivered_at = store_col_int(st, 18);
    o->updated_at = store_col_int(st, 19);
    o->eta = store_col_int(st, 20);
    o->delivery_at = store_col_int(st, 21);
    store_col_text(st, 22, o->delivery_place, sizeof o->delivery_place);
    store_col_text(st, 23, o->remarks, sizeof o->remarks);
}

int store_orders_next_seq(struct store *s, const char *month, int *seq, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_NEXT_SEQ);
    if (store_bind(s, st, err, "t", month))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1)
        *seq = (int)store_col_int(st, 0);
    if (rc == 1)
        rc = store_step(s, st, err); /* run the statement to completion */
    store_done(st);
    if (rc < 0)
        return -1;
    return 0;
}

int store_orders_next_no(struct store *s, int64_t created_at, char *out, size_t outsz,
                         struct proto_error *err)
{
    /* the month key is the number's own prefix ("SF2611-"), so it follows domain_order_no */
    char probe[STORE_ORDER_NO_MAX + 1];
    if (domain_order_no(created_at, 1, probe, sizeof probe))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot format an order number");
    char *dash = strrchr(probe, '-');
    if (dash)
        dash[1] = '\0';
    int seq = 0;
    if (store_orders_next_seq(s, probe, &seq, err))
        return -1;
    if (domain_order_no(created_at, seq, out, outsz))
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                               "order numbers for this month are used up (%d)", seq);
    return 0;
}

/* Appends `kind` with the full order. */
static int append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                        struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_orders_json(s, id, &full, err))
        return -1;
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToObject(wrap, "order", full)) {
        cJSON_Delete(wrap);
        cJSON_Delete(full);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    int rc = store_events_append_json(s, site_id, kind, at, wrap, NULL, err);
    cJSON_Delete(wrap);
    return rc;
}

int store_orders_add(struct store *s, const struct store_order *o, int64_t *id,
                     struct proto_error *err)
{
    const char *pn = domain_payment_name(o->payment);
    const char *sn = domain_stage_name(o->stage);
    if (!pn || !sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "unknown payment or stage");
    const struct domain_order_times *t = &o->times;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_ADD);
    if (store_bind(s, st, err, "itiIttdiititiiiiiiiiitt", o->site_id, o->order_no, o->customer_id,
                   o->consultant_id, o->model_code, o->colour, o->quantity, o->unit_price_fen,
                   o->total_fen, pn, o->paid_fen, sn, t->created_at, t->approved_at,
                   t->allocated_at, t->paid_at, t->ready_at, t->delivered_at,
                   o->updated_at ? o->updated_at : t->created_at, o->eta, o->delivery_at,
                   o->delivery_place, o->remarks) ||
        store_exec(s, st, err))
        return -1;
    int64_t oid = store_last_id(s);
    if (append_event(s, oid, "order.created", t->created_at, err))
        return -1;
    if (id)
        *id = oid;
    return 0;
}

int store_orders_get(struct store *s, int64_t id, struct store_order *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_order, out, "order", err);
}

int store_orders_find_by_no(struct store *s, const char *order_no, struct store_order *out,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_BY_NO);
    if (store_bind(s, st, err, "t", order_no))
        return -1;
    return store_one(s, st, read_order, out, "order", err);
}

int store_orders_set_stage(struct store *s, int64_t id, enum domain_stage stage, int64_t at,
                           struct proto_error *err)
{
    struct store_order o;
    const char *sn = domain_stage_name(stage);
    if (!sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "stage", "unknown stage");
    if (store_orders_get(s, id, &o, err))
        return -1;
    struct domain_order_times *t = &o.times;
    /* stamp the first time each customer-facing step is reached; going back keeps stamps */
    int64_t *stamp = NULL;
    switch (stage) {
    case DOMAIN_STAGE_APPROVED:
        stamp = &t->approved_at;
        break;
    case DOMAIN_STAGE_ALLOCATED:
        stamp = &t->allocated_at;
        break;
    case DOMAIN_STAGE_PAID:
        stamp = &t->paid_at;
        break;
    case DOMAIN_STAGE_READY:
        stamp = &t->ready_at;
        break;
    case DOMAIN_STAGE_DELIVERED:
        stamp = &t->delivered_at;
        break;
    default:
        break;
    }
    if (stamp && !*stamp)
        *stamp = at;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_SET_STAGE);
    if (store_bind(s, st, err, "itiiiiii", id, sn, t->approved_at, t->allocated_at, t->paid_at,
                   t->ready_at, t->delivered_at, at) ||
        store_exec(s, st, err))
        return -1;
    return append_event(s, id, "order.updated", at, err);
}

int store_orders_set_paid(struct store *s, int64_t id, int64_t paid_fen, int64_t at,
                          struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_SET_PAID);
    if (store_bind(s, st, err, "iii", id, paid_fen, at) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "order");
    return append_event(s, id, "order.updated", at, err);
}

int store_orders_set_schedule(struct store *s, int64_t id, int64_t eta, int64_t delivery_at,
                              const char *delivery_place, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_SET_SCHEDULE);
    if (store_bind(s, st, err, "iiiti", id, eta, delivery_at, delivery_place ? delivery_place : "",
                   at) ||
        store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "order");
    return append_event(s, id, "order.updated", at, err);
}

static int list_orders(struct store *s, sqlite3_stmt *st, bool open_only,
                       int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                       struct proto_error *err)
{
    struct store_order o;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_order(st, &o);
        /* the SQL filter names the closed stages; the domain rule has the last word */
        if (open_only && !domain_stage_is_open(o.stage))
            continue;
        if (cb(ctx, &o) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_orders_list_open(struct store *s, int64_t site_id,
                           int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                           struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_LIST_OPEN);
    if (store_bind(s, st, err, "i", site_id))
        return -1;
    return list_orders(s, st, true, cb, ctx, err);
}

int store_orders_list_ready(struct store *s, int64_t site_id,
                            int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_LIST_READY);
    if (store_bind(s, st, err, "i", site_id))
        return -1;
    return list_orders(s, st, false, cb, ctx, err);
}

int store_orders_list_wall(struct store *s, int64_t site_id, int64_t from, int64_t to,
                           int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                           struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_LIST_WALL);
    if (store_bind(s, st, err, "iii", site_id, from, to))
        return -1;
    return list_orders(s, st, false, cb, ctx, err);
}

static const char *col_str(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* Builds the full order from the joined row (order columns, then customer, model, staff). */
static cJSON *order_json_from_row(sqlite3_stmt *st)
{
    struct store_order o;
    read_order(st, &o);
    enum { C_NAME = 24, C_GENDER, C_PHONE, C_KIND, M_NAME, M_NAME_EN, S_NAME };
    cJSON *obj = cJSON_CreateObject();
    cJSON *cust = cJSON_CreateObject();
    cJSON *model = cJSON_CreateObject();
    cJSON *cons = store_json_ref(o.consultant_id, col_str(st, S_NAME));
    if (!obj || !cust || !model || !cons)
        goto oom;
    if (!cJSON_AddNumberToObject(cust, "id", (double)o.customer_id) ||
        !cJSON_AddStringToObject(cust, "name", col_str(st, C_NAME)) ||
        !cJSON_AddStringToObject(cust, "gender", col_str(st, C_GENDER)) ||
        !cJSON_AddStringToObject(cust, "phone", col_str(st, C_PHONE)) ||
        !cJSON_AddStringToObject(cust, "kind", col_str(st, C_KIND)) ||
        !cJSON_AddStringToObject(model, "code", o.model_code) ||
        !cJSON_AddStringToObject(model, "name", col_str(st, M_NAME)) ||
        !cJSON_AddStringToObject(model, "name_en", col_str(st, M_NAME_EN)))
        goto oom;
    if (!cJSON_AddNumberToObject(obj, "id", (double)o.id) ||
        !cJSON_AddNumberToObject(obj, "site_id", (double)o.site_id) ||
        !cJSON_AddStringToObject(obj, "order_no", o.order_no))
        goto oom;
    /* each Add hands ownership to obj; clear our pointer so the cleanup does not free twice */
    if (!cJSON_AddItemToObject(obj, "customer", cust))
        goto oom;
    cust = NULL;
    if (!cJSON_AddItemToObject(obj, "model", model))
        goto oom;
    model = NULL;
    if (!cJSON_AddStringToObject(obj, "colour", o.colour) ||
        !cJSON_AddNumberToObject(obj, "quantity", o.quantity) ||
        !cJSON_AddNumberToObject(obj, "unit_price_fen", (double)o.unit_price_fen) ||
        !cJSON_AddNumberToObject(obj, "total_fen", (double)o.total_fen) ||
        !cJSON_AddStringToObject(obj, "payment", domain_payment_name(o.payment)) ||
        !cJSON_AddNumberToObject(obj, "paid_fen", (double)o.paid_fen) ||
        !cJSON_AddStringToObject(obj, "stage", domain_stage_name(o.stage)))
        goto oom;
    if (!cJSON_AddItemToObject(obj, "consultant", cons))
        goto oom;
    cons = NULL;
    if (store_json_add_int_or_null(obj, "eta", o.eta) ||
        store_json_add_int_or_null(obj, "delivery_at", o.delivery_at) ||
        store_json_add_str_or_null(obj, "delivery_place", o.delivery_place) ||
        !cJSON_AddNumberToObject(obj, "created_at", (double)o.times.created_at) ||
        store_json_add_int_or_null(obj, "approved_at", o.times.approved_at) ||
        store_json_add_int_or_null(obj, "allocated_at", o.times.allocated_at) ||
        store_json_add_int_or_null(obj, "paid_at", o.times.paid_at) ||
        store_json_add_int_or_null(obj, "ready_at", o.times.ready_at) ||
        store_json_add_int_or_null(obj, "delivered_at", o.times.delivered_at) ||
        !cJSON_AddNumberToObject(obj, "updated_at", (double)o.updated_at))
        goto oom;
    return obj;
oom:
    cJSON_Delete(cons);
    cJSON_Delete(model);
    cJSON_Delete(cust);
    cJSON_Delete(obj);
    return NULL;
}

int store_orders_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_JSON);
    if (store_bind(s, st, err, "i", id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        *out = order_json_from_row(st);
        if (!*out)
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    store_done(st);
    if (rc == 0)
        return store_not_found(err, "order");
    return rc < 0 ? -1 : 0;
}

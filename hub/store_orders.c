/* Orders: the vehicle a customer bought, its stage in the life cycle with every sub-state
 * (allocation, preparation, money, loan, documents, cancellation) and the stamps the time
 * limits are measured from. Every change appends order.created/updated with the full order. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Column k of ORDER_COLS is bound as parameter k + 1 by bind_order, so one reader and one
 * binder serve the select, the insert (?2..) and the update (?1 = id, ?6..). */
#define ORDER_COLS                                                                             \
    "o.id, o.site_id, o.order_no, o.customer_id, o.created_at, o.consultant_id, o.model_code," \
    " o.colour, o.quantity, o.unit_price_fen, o.total_fen, o.payment, o.paid_fen, o.stage,"    \
    " o.approved_at, o.allocated_at, o.paid_at, o.ready_at, o.delivered_at, o.updated_at,"     \
    " o.eta, o.delivery_at, o.delivery_place, o.remarks, o.config, o.special_requests,"        \
    " o.channel, o.received_at, o.expected_delivery_at, o.alloc_kind, o.vin,"                  \
    " o.prep_cleaning_at, o.prep_inspection_at, o.prep_maintenance_at, o.invoice_no,"          \
    " o.loan_documents_at, o.loan_approved_at, o.loan_contract_at, o.down_payment_fen,"        \
    " o.loan_disbursed_fen, o.doc_invoice_at, o.doc_coc_at, o.doc_warranty_at,"                \
    " o.refund_due_fen, o.refunded_fen, o.entered_at, o.initial_decided_at, o.reviewed_at,"    \
    " o.final_decided_at, o.eta_changed_at, o.eta_notified_at, o.closed_at, o.cancelled_at,"   \
    " o.review_conditions, o.last_reason"
#define ORDER_NCOLS 55

/* order_list's filter: ?1 site, ?2 stage or NULL, ?3 consultant or NULL, ?4 q or NULL (the
 * exact order number, or at least 4 trailing digits of the customer's phone) */
#define ORDER_FILTER                                                               \
    " FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.site_id = ?1" \
    " AND (?2 IS NULL OR o.stage = ?2) AND (?3 IS NULL OR o.consultant_id = ?3)"   \
    " AND (?4 IS NULL OR o.order_no = ?4 OR (length(?4) >= 4"                      \
    " AND substr(sf_open(c.phone, c.key_id, 'phone'), -length(?4)) = ?4))"

static const char *const sql[] = {
    "INSERT INTO order_seq (month, last) VALUES (?1, 1)"
    " ON CONFLICT (month) DO UPDATE SET last = last + 1 RETURNING last",
    "INSERT INTO orders (site_id, order_no, customer_id, created_at, consultant_id,"
    " model_code, colour, quantity, unit_price_fen, total_fen, payment, paid_fen, stage,"
    " approved_at, allocated_at, paid_at, ready_at, delivered_at, updated_at, eta,"
    " delivery_at, delivery_place, remarks, config, special_requests, channel, received_at,"
    " expected_delivery_at, alloc_kind, vin, prep_cleaning_at, prep_inspection_at,"
    " prep_maintenance_at, invoice_no, loan_documents_at, loan_approved_at, loan_contract_at,"
    " down_payment_fen, loan_disbursed_fen, doc_invoice_at, doc_coc_at, doc_warranty_at,"
    " refund_due_fen, refunded_fen, entered_at, initial_decided_at, reviewed_at,"
    " final_decided_at, eta_changed_at, eta_notified_at, closed_at, cancelled_at,"
    " review_conditions, last_reason) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29,"
    " ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46,"
    " ?47, ?48, ?49, ?50, ?51, ?52, ?53, ?54, ?55)",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.id = ?1",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.order_no = ?1",
    "UPDATE orders SET consultant_id = ?6, model_code = ?7, colour = ?8, quantity = ?9,"
    " unit_price_fen = ?10, total_fen = ?11, payment = ?12, paid_fen = ?13, stage = ?14,"
    " approved_at = ?15, allocated_at = ?16, paid_at = ?17, ready_at = ?18,"
    " delivered_at = ?19, updated_at = ?20, eta = ?21, delivery_at = ?22,"
    " delivery_place = ?23, remarks = ?24, config = ?25, special_requests = ?26,"
    " channel = ?27, received_at = ?28, expected_delivery_at = ?29, alloc_kind = ?30,"
    " vin = ?31, prep_cleaning_at = ?32, prep_inspection_at = ?33, prep_maintenance_at = ?34,"
    " invoice_no = ?35, loan_documents_at = ?36, loan_approved_at = ?37,"
    " loan_contract_at = ?38, down_payment_fen = ?39, loan_disbursed_fen = ?40,"
    " doc_invoice_at = ?41, doc_coc_at = ?42, doc_warranty_at = ?43, refund_due_fen = ?44,"
    " refunded_fen = ?45, entered_at = ?46, initial_decided_at = ?47, reviewed_at = ?48,"
    " final_decided_at = ?49, eta_changed_at = ?50, eta_notified_at = ?51, closed_at = ?52,"
    " cancelled_at = ?53, review_conditions = ?54, last_reason = ?55 WHERE id = ?1",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1"
    " AND o.stage NOT IN ('delivered', 'closed', 'cancelled') ORDER BY o.created_at, o.id",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1 AND o.stage = 'ready'"
    " ORDER BY o.delivery_at = 0, o.delivery_at, o.id",
    "SELECT " ORDER_COLS " FROM orders o WHERE o.site_id = ?1 AND (o.stage IN ('paid', 'ready')"
    " OR (o.stage IN ('delivered', 'closed') AND o.delivered_at >= ?2 AND o.delivered_at < ?3))"
    " ORDER BY o.delivery_at = 0, o.delivery_at, o.id",
    "SELECT " ORDER_COLS ", sf_open(c.name, c.key_id, 'name'), c.gender, sf_open(c.phone, "
    "c.key_id, 'phone'), c.kind, m.name, m.name_en, s.name,"
    " c.credit_rating, c.credit_limit_fen"
    " FROM orders o JOIN customers c ON c.id = o.customer_id"
    " JOIN models m ON m.code = o.model_code LEFT JOIN staff s ON s.id = o.consultant_id"
    " WHERE o.id = ?1",
    "SELECT " ORDER_COLS ORDER_FILTER " ORDER BY o.created_at DESC, o.id DESC LIMIT ?5 OFFSET ?6",
    "SELECT count(*)" ORDER_FILTER,
};
enum {
    ORD_NEXT_SEQ,
    ORD_ADD,
    ORD_GET,
    ORD_BY_NO,
    ORD_UPDATE,
    ORD_LIST_OPEN,
    ORD_LIST_READY,
    ORD_LIST_WALL,
    ORD_JSON,
    ORD_LIST,
    ORD_COUNT
};
const struct store_sql_table store_orders_sql = {"orders", sql, sizeof sql / sizeof sql[0]};

static void read_order(sqlite3_stmt *st, void *out)
{
    struct store_order *o = out;
    char buf[PROTO_MAX_SHORT + 1];
    memset(o, 0, sizeof *o);
    int k = 0;
    o->id = store_col_int(st, k++);
    o->site_id = store_col_int(st, k++);
    store_col_text(st, k++, o->order_no, sizeof o->order_no);
    o->customer_id = store_col_int(st, k++);
    o->times.created_at = store_col_int(st, k++);
    o->consultant_id = store_col_int(st, k++);
    store_col_text(st, k++, o->model_code, sizeof o->model_code);
    store_col_text(st, k++, o->colour, sizeof o->colour);
    o->quantity = (int)store_col_int(st, k++);
    o->unit_price_fen = store_col_int(st, k++);
    o->total_fen = store_col_int(st, k++);
    store_col_text(st, k++, buf, sizeof buf);
    o->payment =
        domain_payment_from_name(buf) == (int)DOMAIN_PAY_LOAN ? DOMAIN_PAY_LOAN : DOMAIN_PAY_FULL;
    o->paid_fen = store_col_int(st, k++);
    store_col_text(st, k++, buf, sizeof buf);
    int stage = domain_stage_from_name(buf);
    o->stage = stage < 0 ? DOMAIN_STAGE_ENTERED : (enum domain_stage)stage;
    o->times.approved_at = store_col_int(st, k++);
    o->times.allocated_at = store_col_int(st, k++);
    o->times.paid_at = store_col_int(st, k++);
    o->times.ready_at = store_col_int(st, k++);
    o->times.delivered_at = store_col_int(st, k++);
    o->updated_at = store_col_int(st, k++);
    o->eta = store_col_int(st, k++);
    o->delivery_at = store_col_int(st, k++);
    store_col_text(st, k++, o->delivery_place, sizeof o->delivery_place);
    store_col_text(st, k++, o->remarks, sizeof o->remarks);
    store_col_text(st, k++, o->config, sizeof o->config);
    store_col_text(st, k++, o->special_requests, sizeof o->special_requests);
    store_col_text(st, k++, o->channel, sizeof o->channel);
    o->received_at = store_col_int(st, k++);
    o->expected_delivery_at = store_col_int(st, k++);
    store_col_text(st, k++, o->alloc_kind, sizeof o->alloc_kind);
    store_col_text(st, k++, o->vin, sizeof o->vin);
    o->prep_cleaning_at = store_col_int(st, k++);
    o->prep_inspection_at = store_col_int(st, k++);
    o->prep_maintenance_at = store_col_int(st, k++);
    store_col_text(st, k++, o->invoice_no, sizeof o->invoice_no);
    o->loan_documents_at = store_col_int(st, k++);
    o->loan_approved_at = store_col_int(st, k++);
    o->loan_contract_at = store_col_int(st, k++);
    o->down_payment_fen = store_col_int(st, k++);
    o->loan_disbursed_fen = store_col_int(st, k++);
    o->doc_invoice_at = store_col_int(st, k++);
    o->doc_coc_at = store_col_int(st, k++);
    o->doc_warranty_at = store_col_int(st, k++);
    o->refund_due_fen = store_col_int(st, k++);
    o->refunded_fen = store_col_int(st, k++);
    o->entered_at = store_col_int(st, k++);
    o->initial_decided_at = store_col_int(st, k++);
    o->reviewed_at = store_col_int(st, k++);
    o->final_decided_at = store_col_int(st, k++);
    o->eta_changed_at = store_col_int(st, k++);
    o->eta_notified_at = store_col_int(st, k++);
    o->closed_at = store_col_int(st, k++);
    o->cancelled_at = store_col_int(st, k++);
    store_col_text(st, k++, o->review_conditions, sizeof o->review_conditions);
    store_col_text(st, k++, o->last_reason, sizeof o->last_reason);
}

/* Binds every column of o as parameters 1..ORDER_NCOLS (see ORDER_COLS). */
static int bind_order(struct store *s, sqlite3_stmt *st, const struct store_order *o,
                      int64_t updated_at, struct proto_error *err)
{
    const char *pn = domain_payment_name(o->payment);
    const char *sn = domain_stage_name(o->stage);
    if (!pn || !sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "unknown payment or stage");
    const struct domain_order_times *t = &o->times;
    return store_bind(
        s, st, err,
        "iitii"            /* id, site, number, customer, created */
        "Ittdiititiiiiii"  /* consultant .. updated_at */
        "iitttttii"        /* eta .. expected_delivery_at */
        "ttiiitiiiiiiiiii" /* alloc_kind .. refunded_fen */
        "iiiiiiiitt",      /* entered_at .. last_reason */
        o->id, o->site_id, o->order_no, o->customer_id, t->created_at, o->consultant_id,
        o->model_code, o->colour, o->quantity, o->unit_price_fen, o->total_fen, pn, o->paid_fen, sn,
        t->approved_at, t->allocated_at, t->paid_at, t->ready_at, t->delivered_at, updated_at,
        o->eta, o->delivery_at, o->delivery_place, o->remarks, o->config, o->special_requests,
        o->channel, o->received_at, o->expected_delivery_at, o->alloc_kind, o->vin,
        o->prep_cleaning_at, o->prep_inspection_at, o->prep_maintenance_at, o->invoice_no,
        o->loan_documents_at, o->loan_approved_at, o->loan_contract_at, o->down_payment_fen,
        o->loan_disbursed_fen, o->doc_invoice_at, o->doc_coc_at, o->doc_warranty_at,
        o->refund_due_fen, o->refunded_fen, o->entered_at, o->initial_decided_at, o->reviewed_at,
        o->final_decided_at, o->eta_changed_at, o->eta_notified_at, o->closed_at, o->cancelled_at,
        o->review_conditions, o->last_reason);
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

int store_orders_append_event(struct store *s, int64_t id, const char *kind, int64_t at,
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
    struct store_order r = *o;
    /* an order is entered when it is created, unless the caller says otherwise */
    if (!r.entered_at)
        r.entered_at = r.times.created_at;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_ADD);
    if (bind_order(s, st, &r, r.updated_at ? r.updated_at : r.times.created_at, err) ||
        store_exec(s, st, err))
        return -1;
    int64_t oid = store_last_id(s);
    if (store_orders_append_event(s, oid, "order.created", r.times.created_at, err))
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

int store_orders_update(struct store *s, const struct store_order *o, int64_t at,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_UPDATE);
    if (bind_order(s, st, o, at, err) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "order");
    return store_orders_append_event(s, o->id, "order.updated", at, err);
}

/* The setters share one shape: read, change one thing, write back with its event. */
#define WITH_ORDER(s, id, o, err)               \
    struct store_order o;                       \
    if (store_orders_get((s), (id), &o, (err))) \
    return -1

int store_orders_set_stage(struct store *s, int64_t id, enum domain_stage stage, int64_t at,
                           struct proto_error *err)
{
    if (!domain_stage_name(stage))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "stage", "unknown stage");
    WITH_ORDER(s, id, o, err);
    struct domain_order_times *t = &o.times;
    /* customer-facing steps are stamped the first time they are reached (going back keeps
     * them); the time-limit stamps move on every re-entry */
    int64_t *stamp = NULL;
    switch (stage) {
    case DOMAIN_STAGE_ENTERED:
        o.entered_at = at;
        break;
    case DOMAIN_STAGE_REVIEWED:
        o.initial_decided_at = o.reviewed_at = at;
        break;
    case DOMAIN_STAGE_RETURNED:
        if (o.stage == DOMAIN_STAGE_REVIEWED)
            o.final_decided_at = at;
        else
            o.initial_decided_at = at;
        break;
    case DOMAIN_STAGE_APPROVED:
        if (o.stage == DOMAIN_STAGE_REVIEWED)
            o.final_decided_at = at;
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
    case DOMAIN_STAGE_CLOSED:
        o.closed_at = at;
        break;
    case DOMAIN_STAGE_CANCELLED:
        o.cancelled_at = at;
        break;
    case DOMAIN_STAGE__COUNT:
        break;
    }
    if (stamp && !*stamp)
        *stamp = at;
    o.stage = stage;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_paid(struct store *s, int64_t id, int64_t paid_fen, int64_t at,
                          struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    o.paid_fen = paid_fen;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_schedule(struct store *s, int64_t id, int64_t eta, int64_t delivery_at,
                              const char *delivery_place, int64_t at, struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    o.eta = eta;
    o.delivery_at = delivery_at;
    snprintf(o.delivery_place, sizeof o.delivery_place, "%s", delivery_place ? delivery_place : "");
    return store_orders_update(s, &o, at, err);
}

/* Copies text into a fixed field, refusing what would not fit (the schema's limit). */
static int set_text(char *dst, size_t sz, const char *src, const char *field,
                    struct proto_error *err)
{
    if (!src)
        src = "";
    if (strlen(src) >= sz)
        return proto_error_set(err, PROTO_E_BAD_FIELD, field, "%s is longer than %zu bytes", field,
                               sz - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

int store_orders_set_allocation(struct store *s, int64_t id, const char *kind, const char *vin,
                                int64_t at, struct proto_error *err)
{
    if (kind && *kind && domain_alloc_from_name(kind) < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "alloc_kind", "unknown allocation '%s'",
                               kind);
    if (vin && *vin && !store_vin_valid(vin))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "vin", "not a valid VIN");
    WITH_ORDER(s, id, o, err);
    if (set_text(o.alloc_kind, sizeof o.alloc_kind, kind, "alloc_kind", err) ||
        set_text(o.vin, sizeof o.vin, vin, "vin", err))
        return -1;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_prep(struct store *s, int64_t id, const char *step, int64_t at,
                          struct proto_error *err)
{
    int p = step ? domain_prep_step_from_name(step) : -1;
    if (p < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "step", "unknown preparation step");
    WITH_ORDER(s, id, o, err);
    int64_t *slot[DOMAIN_PREP__COUNT] = {[DOMAIN_PREP_CLEANING] = &o.prep_cleaning_at,
                                         [DOMAIN_PREP_INSPECTION] = &o.prep_inspection_at,
                                         [DOMAIN_PREP_MAINTENANCE] = &o.prep_maintenance_at};
    *slot[p] = at;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_invoice(struct store *s, int64_t id, const char *invoice_no, int64_t at,
                             struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    if (set_text(o.invoice_no, sizeof o.invoice_no, invoice_no, "invoice_no", err))
        return -1;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_loan_step(struct store *s, int64_t id, const char *step, int64_t at,
                               struct proto_error *err)
{
    int l = step ? domain_loan_step_from_name(step) : -1;
    if (l < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "step", "unknown loan step");
    WITH_ORDER(s, id, o, err);
    int64_t *slot[DOMAIN_LOAN__COUNT] = {[DOMAIN_LOAN_DOCUMENTS] = &o.loan_documents_at,
                                         [DOMAIN_LOAN_BANK_APPROVED] = &o.loan_approved_at,
                                         [DOMAIN_LOAN_CONTRACT_SIGNED] = &o.loan_contract_at};
    *slot[l] = at;
    return store_orders_update(s, &o, at, err);
}

static void stamp_doc(int64_t *slot, bool on, int64_t at)
{
    if (!on)
        *slot = 0;
    else if (!*slot)
        *slot = at;
}

int store_orders_set_documents(struct store *s, int64_t id, bool invoice, bool coc, bool warranty,
                               int64_t at, struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    stamp_doc(&o.doc_invoice_at, invoice, at);
    stamp_doc(&o.doc_coc_at, coc, at);
    stamp_doc(&o.doc_warranty_at, warranty, at);
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_eta(struct store *s, int64_t id, int64_t eta, int64_t at,
                         struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    o.eta = eta;
    o.eta_changed_at = at;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_review(struct store *s, int64_t id, const char *conditions_json,
                            const char *reason, int64_t at, struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    if (set_text(o.review_conditions, sizeof o.review_conditions, conditions_json, "conditions",
                 err) ||
        (reason && *reason && set_text(o.last_reason, sizeof o.last_reason, reason, "reason", err)))
        return -1;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_refund_due(struct store *s, int64_t id, int64_t refund_due_fen, int64_t at,
                                struct proto_error *err)
{
    if (refund_due_fen < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "refund_due_fen", "negative refund");
    WITH_ORDER(s, id, o, err);
    o.refund_due_fen = refund_due_fen;
    return store_orders_update(s, &o, at, err);
}

int store_orders_add_money(struct store *s, int64_t id, int64_t paid, int64_t down_payment,
                           int64_t disbursed, int64_t refunded, int64_t at, struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    o.paid_fen += paid;
    o.down_payment_fen += down_payment;
    o.loan_disbursed_fen += disbursed;
    o.refunded_fen += refunded;
    return store_orders_update(s, &o, at, err);
}

int store_orders_set_notified(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    WITH_ORDER(s, id, o, err);
    o.eta_notified_at = at;
    return store_orders_update(s, &o, at, err);
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

int store_orders_list(struct store *s, const struct store_order_filter *f,
                      int (*cb)(void *ctx, const struct store_order *o), void *ctx, int *total,
                      struct proto_error *err)
{
    const char *stage = NULL;
    if (f->stage >= 0 && !(stage = domain_stage_name((enum domain_stage)f->stage)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "stage", "unknown stage");
    const char *q = f->q && *f->q ? f->q : NULL;
    int64_t limit = f->limit > 0 ? f->limit : 50;
    int64_t offset = f->offset > 0 ? f->offset : 0;
    if (total) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_COUNT);
        if (store_bind(s, st, err, "itIt", f->site_id, stage, f->consultant_id, q))
            return -1;
        int rc = store_step(s, st, err);
        if (rc == 1)
            *total = (int)store_col_int(st, 0);
        store_done(st);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_ORDERS, ORD_LIST);
    if (store_bind(s, st, err, "itItii", f->site_id, stage, f->consultant_id, q, limit, offset))
        return -1;
    return list_orders(s, st, false, cb, ctx, err);
}

static const char *col_str(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* The open request of `kind` as JSON, or JSON null; NULL with *err on failure. */
static cJSON *open_request_json(struct store *s, int64_t order_id, enum store_request_kind kind,
                                struct proto_error *err)
{
    struct store_request *r = malloc(sizeof *r); /* 10 KB: not on the stack */
    cJSON *out = NULL;
    if (!r) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (store_requests_open(s, order_id, kind, r, err) == 0)
        out = store_requests_json(r);
    else if (err->code == PROTO_E_NOT_FOUND)
        out = cJSON_CreateNull();
    else {
        free(r);
        return NULL;
    }
    free(r);
    if (!out)
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    return out;
}

static int add_ints(cJSON *obj, const char *const *keys, const int64_t *vals, size_t n,
                    bool zero_is_null)
{
    for (size_t i = 0; i < n; i++) {
        if (zero_is_null ? store_json_add_int_or_null(obj, keys[i], vals[i])
                         : !cJSON_AddNumberToObject(obj, keys[i], (double)vals[i]))
            return -1;
    }
    return 0;
}

/* The fields migration 2 added (hub/STORE.md "Order JSON"). */
static int add_life_cycle(cJSON *obj, const struct store_order *o)
{
    static const char *const times[] = {"received_at",        "expected_delivery_at",
                                        "prep_cleaning",      "prep_inspection",
                                        "prep_maintenance",   "loan_documents_at",
                                        "loan_approved_at",   "loan_contract_at",
                                        "doc_invoice",        "doc_coc",
                                        "doc_warranty",       "entered_at",
                                        "initial_decided_at", "reviewed_at",
                                        "final_decided_at",   "eta_changed_at",
                                        "eta_notified_at",    "closed_at",
                                        "cancelled_at"};
    const int64_t tv[] = {o->received_at,        o->expected_delivery_at, o->prep_cleaning_at,
                          o->prep_inspection_at, o->prep_maintenance_at,  o->loan_documents_at,
                          o->loan_approved_at,   o->loan_contract_at,     o->doc_invoice_at,
                          o->doc_coc_at,         o->doc_warranty_at,      o->entered_at,
                          o->initial_decided_at, o->reviewed_at,          o->final_decided_at,
                          o->eta_changed_at,     o->eta_notified_at,      o->closed_at,
                          o->cancelled_at};
    static const char *const money[] = {"down_payment_fen", "loan_disbursed_fen", "refund_due_fen",
                                        "refunded_fen"};
    const int64_t mv[] = {o->down_payment_fen, o->loan_disbursed_fen, o->refund_due_fen,
                          o->refunded_fen};
    if (store_json_add_str_or_null(obj, "remarks", o->remarks) ||
        store_json_add_str_or_null(obj, "config", o->config) ||
        store_json_add_str_or_null(obj, "special_requests", o->special_requests) ||
        store_json_add_str_or_null(obj, "channel", o->channel) ||
        store_json_add_str_or_null(obj, "alloc_kind", o->alloc_kind) ||
        store_json_add_str_or_null(obj, "vin", o->vin) ||
        store_json_add_str_or_null(obj, "invoice_no", o->invoice_no) ||
        store_json_add_str_or_null(obj, "last_reason", o->last_reason) ||
        add_ints(obj, times, tv, sizeof tv / sizeof tv[0], true) ||
        add_ints(obj, money, mv, sizeof mv / sizeof mv[0], false))
        return -1;
    cJSON *cond = o->review_conditions[0] ? cJSON_Parse(o->review_conditions) : NULL;
    if (!cond)
        cond = cJSON_CreateArray();
    if (!cond || !cJSON_AddItemToObject(obj, "review_conditions", cond)) {
        cJSON_Delete(cond);
        return -1;
    }
    return 0;
}

/* Builds the full order from the joined row (order columns, then customer, model, staff). */
static cJSON *order_json_from_row(sqlite3_stmt *st)
{
    struct store_order o;
    read_order(st, &o);
    enum {
        C_NAME = ORDER_NCOLS,
        C_GENDER,
        C_PHONE,
        C_KIND,
        M_NAME,
        M_NAME_EN,
        S_NAME,
        C_CREDIT,
        C_LIMIT
    };
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
        store_json_add_str_or_null(cust, "credit_rating", col_str(st, C_CREDIT)) ||
        !cJSON_AddNumberToObject(cust, "credit_limit_fen", (double)store_col_int(st, C_LIMIT)) ||
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
        !cJSON_AddNumberToObject(obj, "updated_at", (double)o.updated_at) ||
        add_life_cycle(obj, &o))
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
    if (rc < 0)
        return -1;
    /* the open requests come from their own table, after the order's statement is reset */
    static const struct {
        const char *key;
        enum store_request_kind kind;
    } reqs[] = {{"change_request", STORE_REQUEST_CHANGE}, {"cancel_request", STORE_REQUEST_CANCEL}};
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        struct proto_error e;
        cJSON *r = open_request_json(s, id, reqs[i].kind, &e);
        if (r && !cJSON_AddItemToObject(*out, reqs[i].key, r)) {
            cJSON_Delete(r);
            r = NULL;
            proto_error_set(&e, PROTO_E_INTERNAL, NULL, "out of memory");
        }
        if (!r) {
            cJSON_Delete(*out);
            *out = NULL;
            if (err)
                *err = e;
            return -1;
        }
    }
    return 0;
}

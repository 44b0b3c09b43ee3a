/* What every order command shares: load the order for a logged-in staff member of its site,
 * ask the rules (domain_order_check/apply), carry out their effects through the store, write
 * the row once, append the audit record and answer with the staff view. Runs inside
 * core_request's write transaction, so a failure anywhere changes nothing. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void core_order_actor(const struct core_staff *staff, char *out, size_t outsz)
{
    snprintf(out, outsz, "staff:%s", staff ? staff->staff_no : "");
}

int core_order_add_text(cJSON *obj, const char *key, const char *value)
{
    if (value && *value)
        return cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
    return cJSON_AddNullToObject(obj, key) ? 0 : -1;
}

bool core_order_has_text(const cJSON *args, const char *key)
{
    const char *s = proto_get_str(args, key);
    return s && *s;
}

/* The new values of a change request: {"field": {"old": v, "new": v}} -> bits and the
 * money-relevant values once applied. */
static void change_state(const struct store_request *r, struct domain_order_state *st)
{
    st->change_fields = 0;
    st->change_quantity = st->quantity;
    st->change_unit_price_fen = st->unit_price_fen;
    st->change_payment = st->payment;
    cJSON *ch = cJSON_Parse(r->changes);
    for (const cJSON *f = ch ? ch->child : NULL; f; f = f->next) {
        int fi = domain_order_field_from_name(f->string);
        if (fi < 0)
            continue;
        st->change_fields |= DOMAIN_OFIELD_BIT(fi);
        const cJSON *nv = cJSON_GetObjectItemCaseSensitive(f, "new");
        if (fi == DOMAIN_OFIELD_QUANTITY && cJSON_IsNumber(nv))
            st->change_quantity = (int)nv->valuedouble;
        else if (fi == DOMAIN_OFIELD_UNIT_PRICE && cJSON_IsNumber(nv))
            st->change_unit_price_fen = (int64_t)nv->valuedouble;
        else if (fi == DOMAIN_OFIELD_PAYMENT && cJSON_IsString(nv)) {
            int p = domain_payment_from_name(nv->valuestring);
            if (p >= 0)
                st->change_payment = (enum domain_payment)p;
        }
    }
    cJSON_Delete(ch);
}

void core_order_state(const struct store_order *o, const struct store_customer *cust,
                      const struct store_request *change, const struct store_request *cancel,
                      struct domain_order_state *st)
{
    memset(st, 0, sizeof *st);
    st->stage = o->stage;
    st->consultant_id = o->consultant_id;
    st->payment = o->payment;
    st->quantity = o->quantity;
    st->unit_price_fen = o->unit_price_fen;
    st->total_fen = o->total_fen;
    st->paid_fen = o->paid_fen;
    st->customer_kind = cust && cust->kind == STORE_CUSTOMER_COMPANY ? DOMAIN_CUSTOMER_COMPANY
                                                                     : DOMAIN_CUSTOMER_INDIVIDUAL;
    int cr = cust ? domain_credit_from_name(cust->credit_rating) : -1;
    st->credit_rating = cr < 0 ? DOMAIN_CREDIT_NONE : (enum domain_credit)cr;
    int ak = domain_alloc_from_name(o->alloc_kind);
    st->alloc_kind = ak < 0 ? DOMAIN_ALLOC_NONE : (enum domain_alloc)ak;
    st->has_vin = o->vin[0] != '\0';
    st->eta = o->eta;
    st->prep_at[DOMAIN_PREP_CLEANING] = o->prep_cleaning_at;
    st->prep_at[DOMAIN_PREP_INSPECTION] = o->prep_inspection_at;
    st->prep_at[DOMAIN_PREP_MAINTENANCE] = o->prep_maintenance_at;
    st->invoice_issued = o->invoice_no[0] != '\0';
    st->loan_at[DOMAIN_LOAN_DOCUMENTS] = o->loan_documents_at;
    st->loan_at[DOMAIN_LOAN_BANK_APPROVED] = o->loan_approved_at;
    st->loan_at[DOMAIN_LOAN_CONTRACT_SIGNED] = o->loan_contract_at;
    st->down_payment_fen = o->down_payment_fen;
    st->loan_disbursed_fen = o->loan_disbursed_fen;
    st->doc_at[DOMAIN_DOC_INVOICE] = o->doc_invoice_at;
    st->doc_at[DOMAIN_DOC_COC] = o->doc_coc_at;
    st->doc_at[DOMAIN_DOC_WARRANTY] = o->doc_warranty_at;
    if (change) {
        st->change_pending = true;
        st->change_needs_manager = change->needs_manager;
        st->change_supervisor_approved = change->supervisor_decision == STORE_DECISION_APPROVED;
        change_state(change, st);
    }
    if (cancel) {
        st->cancel_pending = true;
        st->cancel_needs_manager = cancel->needs_manager;
        st->cancel_supervisor_approved = cancel->supervisor_decision == STORE_DECISION_APPROVED;
    }
    st->refund_due_fen = o->refund_due_fen;
    st->refunded_fen = o->refunded_fen;
    st->times = (struct domain_order_times_sla){
        .received_at = o->received_at,
        .created_at = o->times.created_at,
        .entered_at = o->entered_at,
        .initial_decided_at = o->initial_decided_at,
        .reviewed_at = o->reviewed_at,
        .final_decided_at = o->final_decided_at,
        .eta_changed_at = o->eta_changed_at,
        .eta_notified_at = o->eta_notified_at,
        .delivered_at = o->times.delivered_at,
        .closed_at = o->closed_at,
        .cancelled_at = o->cancelled_at,
    };
}

/* The open request of a kind: 1 found, 0 none, -1 error. */
static int open_request(struct store *s, int64_t order_id, enum store_request_kind kind,
                        struct store_request *out, struct proto_error *err)
{
    if (store_requests_open(s, order_id, kind, out, err) == 0)
        return 1;
    return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
}

int core_order_load(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                    enum domain_order_cmd cmd, const cJSON *args, struct core_order_cmd *oc,
                    struct proto_error *err)
{
    memset(oc, 0, sizeof *oc);
    oc->c = c;
    oc->dev = dev;
    oc->staff = staff;
    oc->cmd = cmd;
    if (!staff)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_REQUIRED, NULL, "%s needs a staff login",
                               domain_order_cmd_name(cmd));
    oc->actor = (struct domain_actor){.staff_id = staff->id, .role = staff->role};
    const char *no = proto_get_str(args, "order_no");
    if (store_orders_find_by_no(c->store, no ? no : "", &oc->row, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "order_no", "no order %s", no ? no : "");
        return -1;
    }
    /* staff act for their own site only, whatever device they logged in on */
    if (oc->row.site_id != staff->site_id || oc->row.site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, "order_no",
                               "order %s belongs to another site", oc->row.order_no);
    if (store_customers_get(c->store, oc->row.customer_id, &oc->customer, err))
        return -1;
    int hc = open_request(c->store, oc->row.id, STORE_REQUEST_CHANGE, &oc->change, err);
    int hk =
        hc < 0 ? -1 : open_request(c->store, oc->row.id, STORE_REQUEST_CANCEL, &oc->cancel, err);
    if (hc < 0 || hk < 0)
        return -1;
    oc->has_change = hc == 1;
    oc->has_cancel = hk == 1;
    core_order_state(&oc->row, &oc->customer, oc->has_change ? &oc->change : NULL,
                     oc->has_cancel ? &oc->cancel : NULL, &oc->before);
    oc->st = oc->before;
    if (store_orders_json(c->store, oc->row.id, &oc->before_json, err))
        return -1;
    return 0;
}

void core_order_cmd_free(struct core_order_cmd *oc)
{
    cJSON_Delete(oc->before_json);
    cJSON_Delete(oc->detail);
    oc->before_json = oc->detail = NULL;
}

/* Stage stamps the customer timeline reads: set on reaching a stage, cleared when the order
 * goes back before it (a vehicle change after allocation returns it to approved). */
static void stamp_stage(struct store_order *o, enum domain_stage to, int64_t now)
{
    struct domain_order_times *t = &o->times;
    switch (to) {
    case DOMAIN_STAGE_APPROVED:
        t->approved_at = t->approved_at ? t->approved_at : now;
        t->allocated_at = t->paid_at = t->ready_at = 0;
        break;
    case DOMAIN_STAGE_ALLOCATED:
        t->allocated_at = now;
        t->paid_at = t->ready_at = 0;
        break;
    case DOMAIN_STAGE_PAID:
        if (!t->allocated_at)
            t->allocated_at = now; /* allocated with the money already in */
        t->paid_at = now;
        break;
    case DOMAIN_STAGE_READY:
        t->ready_at = now;
        break;
    case DOMAIN_STAGE_DELIVERED:
        t->delivered_at = now;
        break;
    case DOMAIN_STAGE_ENTERED:
    case DOMAIN_STAGE_RETURNED:
        t->approved_at = t->allocated_at = t->paid_at = t->ready_at = 0;
        break;
    default:
        break;
    }
}

/* The rules' state back into the row (what domain_order_apply owns). */
static void state_to_row(const struct domain_order_state *st, struct store_order *o)
{
    o->stage = st->stage;
    o->consultant_id = st->consultant_id;
    o->payment = st->payment;
    o->quantity = st->quantity;
    o->unit_price_fen = st->unit_price_fen;
    o->total_fen = st->total_fen;
    o->paid_fen = st->paid_fen;
    snprintf(o->alloc_kind, sizeof o->alloc_kind, "%s",
             st->alloc_kind == DOMAIN_ALLOC_NONE ? "" : domain_alloc_name(st->alloc_kind));
    if (!st->has_vin)
        o->vin[0] = '\0';
    o->eta = st->eta;
    o->prep_cleaning_at = st->prep_at[DOMAIN_PREP_CLEANING];
    o->prep_inspection_at = st->prep_at[DOMAIN_PREP_INSPECTION];
    o->prep_maintenance_at = st->prep_at[DOMAIN_PREP_MAINTENANCE];
    o->loan_documents_at = st->loan_at[DOMAIN_LOAN_DOCUMENTS];
    o->loan_approved_at = st->loan_at[DOMAIN_LOAN_BANK_APPROVED];
    o->loan_contract_at = st->loan_at[DOMAIN_LOAN_CONTRACT_SIGNED];
    o->down_payment_fen = st->down_payment_fen;
    o->loan_disbursed_fen = st->loan_disbursed_fen;
    o->doc_invoice_at = st->doc_at[DOMAIN_DOC_INVOICE];
    o->doc_coc_at = st->doc_at[DOMAIN_DOC_COC];
    o->doc_warranty_at = st->doc_at[DOMAIN_DOC_WARRANTY];
    o->refund_due_fen = st->refund_due_fen;
    o->refunded_fen = st->refunded_fen;
    o->received_at = st->times.received_at;
    o->entered_at = st->times.entered_at;
    o->initial_decided_at = st->times.initial_decided_at;
    o->reviewed_at = st->times.reviewed_at;
    o->final_decided_at = st->times.final_decided_at;
    o->eta_changed_at = st->times.eta_changed_at;
    o->eta_notified_at = st->times.eta_notified_at;
    o->closed_at = st->times.closed_at;
    o->cancelled_at = st->times.cancelled_at;
    if (st->times.delivered_at)
        o->times.delivered_at = st->times.delivered_at;
}

int core_order_start(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     enum domain_order_cmd cmd, const cJSON *args,
                     const struct domain_order_args *a, int64_t now, struct core_order_cmd *oc,
                     struct proto_error *err)
{
    if (core_order_load(c, dev, staff, cmd, args, oc, err) || core_order_decide(oc, a, now, err)) {
        core_order_cmd_free(oc);
        return -1;
    }
    return 0;
}

int core_order_decide(struct core_order_cmd *oc, const struct domain_order_args *a, int64_t now,
                      struct proto_error *err)
{
    if (domain_order_check(oc->cmd == DOMAIN_ORDER_CREATE ? NULL : &oc->before, &oc->actor, oc->cmd,
                           a, err))
        return -1;
    domain_order_apply(&oc->st, &oc->actor, oc->cmd, a, now, &oc->fx);
    state_to_row(&oc->st, &oc->row);
    if (oc->fx.stage_changed)
        stamp_stage(&oc->row, oc->fx.to, now);
    return 0;
}

/* Writes the values of the approved change request into the row. */
static int apply_change(struct core_order_cmd *oc, struct proto_error *err)
{
    cJSON *ch = cJSON_Parse(oc->change.changes);
    if (!ch)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "change request %lld is unreadable",
                               (long long)oc->change.id);
    struct store_order *o = &oc->row;
    for (const cJSON *f = ch->child; f; f = f->next) {
        const cJSON *nv = cJSON_GetObjectItemCaseSensitive(f, "new");
        const char *sv = cJSON_IsString(nv) ? nv->valuestring : "";
        int64_t iv = cJSON_IsNumber(nv) ? (int64_t)nv->valuedouble : 0;
        switch (domain_order_field_from_name(f->string)) {
        case DOMAIN_OFIELD_MODEL:
            snprintf(o->model_code, sizeof o->model_code, "%s", sv);
            break;
        case DOMAIN_OFIELD_CONFIG:
            snprintf(o->config, sizeof o->config, "%s", sv);
            break;
        case DOMAIN_OFIELD_COLOUR:
            snprintf(o->colour, sizeof o->colour, "%s", sv);
            break;
        case DOMAIN_OFIELD_EXPECTED_DELIVERY:
            o->expected_delivery_at = iv;
            break;
        case DOMAIN_OFIELD_DELIVERY_PLACE:
            snprintf(o->delivery_place, sizeof o->delivery_place, "%s", sv);
            break;
        case DOMAIN_OFIELD_SPECIAL_REQUESTS:
            snprintf(o->special_requests, sizeof o->special_requests, "%s", sv);
            break;
        case DOMAIN_OFIELD_REMARKS:
            snprintf(o->remarks, sizeof o->remarks, "%s", sv);
            break;
        default: /* quantity, price and payment came through the rules' state */
            break;
        }
    }
    cJSON_Delete(ch);
    return 0;
}

/* Vehicle, request and refund effects that the row alone does not carry. */
static int carry_out(struct core_order_cmd *oc, const cJSON *args, int64_t now,
                     struct proto_error *err)
{
    struct store *s = oc->c->store;
    const struct domain_order_effects *fx = &oc->fx;
    const char *reason = proto_get_str(args, "reason");
    bool approve = proto_get_bool(args, "approve", false);
    /* a reviewer's decision on an open request: the supervisor first, then the manager */
    if ((oc->cmd == DOMAIN_ORDER_CHANGE_REVIEW && oc->has_change) ||
        ((oc->cmd == DOMAIN_ORDER_CANCEL_REVIEW || oc->cmd == DOMAIN_ORDER_CANCEL_APPROVE) &&
         oc->has_cancel)) {
        bool is_change = oc->cmd == DOMAIN_ORDER_CHANGE_REVIEW;
        struct store_request *r = is_change ? &oc->change : &oc->cancel;
        enum store_reviewer who = oc->cmd == DOMAIN_ORDER_CANCEL_APPROVE ||
                                          (is_change && oc->before.change_supervisor_approved)
                                      ? STORE_REVIEWER_MANAGER
                                      : STORE_REVIEWER_SUPERVISOR;
        if (store_requests_decide(s, r->id, who, approve,
                                  proto_get_bool(args, "needs_manager", false), oc->staff->id,
                                  reason ? reason : "", now, r, err))
            return -1;
    }
    if (fx->change_applied) {
        if (apply_change(oc, err) || store_requests_set_applied(s, oc->change.id, now, err))
            return -1;
    }
    if (fx->cancelled && oc->has_cancel && oc->cancel.state == STORE_REQUEST_APPROVED &&
        store_requests_set_applied(s, oc->cancel.id, now, err))
        return -1;
    /* the vehicle in the row before the rules cleared it */
    const char *old_vin = cJSON_GetStringValue(cJSON_GetObjectItem(oc->before_json, "vin"));
    if (fx->release_vehicle && old_vin && *old_vin) {
        struct store_vehicle v;
        if (store_vehicles_find(s, old_vin, &v, err))
            return -1;
        if (v.state == STORE_VEHICLE_RESERVED && store_vehicles_release(s, old_vin, now, err))
            return -1;
    }
    if (fx->deliver_vehicle && store_vehicles_deliver(s, oc->row.vin, now, err))
        return -1;
    if (fx->cancelled || fx->change_rejected || fx->cancel_rejected || fx->change_applied) {
        snprintf(oc->row.last_reason, sizeof oc->row.last_reason, "%s",
                 reason ? reason : oc->row.last_reason);
    }
    return 0;
}

/* {key: before} / {key: after} for every top-level key whose value changed. */
static int diff(const cJSON *before, const cJSON *after, cJSON *b, cJSON *a)
{
    for (const cJSON *x = after ? after->child : NULL; x; x = x->next) {
        if (strcmp(x->string, "updated_at") == 0)
            continue; /* every write moves it; the record's own time says when */
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(before, x->string);
        if (y && cJSON_Compare(x, y, 1))
            continue;
        if (core_view_copy(b, before, x->string) || core_view_copy(a, after, x->string))
            return -1;
    }
    return 0;
}

/* The audit record of one command: before/after of what changed in the order, the command's
 * args (the signature's strokes are in the sign-off record) and oc->detail. "before" is null
 * for a new order and for a command that changed no order field (a note, a request). */
static int audit(struct core_order_cmd *oc, const cJSON *args, const cJSON *after_full, int64_t now,
                 struct proto_error *err)
{
    char actor[PROTO_MAX_SHORT + 8];
    core_order_actor(oc->staff, actor, sizeof actor);
    cJSON *b = cJSON_CreateObject(), *a = cJSON_CreateObject();
    cJSON *cargs = cJSON_Duplicate(args, 1);
    int rc = -1;
    if (!b || !a || !cargs || diff(oc->before_json, after_full, b, a))
        goto oom;
    cJSON *sig = cJSON_GetObjectItem(cargs, "signature");
    if (sig) { /* the strokes live in the sign-off record; the audit keeps their count */
        cJSON *count = cJSON_CreateNumber(cJSON_GetArraySize(cJSON_GetObjectItem(sig, "strokes")));
        if (!count || !cJSON_ReplaceItemInObject(sig, "strokes", count)) {
            cJSON_Delete(count);
            goto oom;
        }
    }
    if (!cJSON_AddItemToObject(a, "args", cargs))
        goto oom;
    cargs = NULL;
    if (oc->detail) {
        if (!cJSON_AddItemToObject(a, "detail", oc->detail))
            goto oom;
        oc->detail = NULL;
    }
    rc = store_audit_append_json(oc->c->store, oc->row.site_id, actor, "order", oc->row.order_no,
                                 domain_order_cmd_name(oc->cmd),
                                 oc->before_json && b->child ? b : NULL, a, now, NULL, err);
    goto out;
oom:
    core_oom(err);
out:
    cJSON_Delete(cargs);
    cJSON_Delete(b);
    cJSON_Delete(a);
    return rc;
}

static int eta_event(struct core_order_cmd *oc, const cJSON *after_full, int64_t now,
                     struct proto_error *err)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *o = cJSON_Duplicate(after_full, 1);
    int rc = -1;
    if (!d || !o || !cJSON_AddItemToObject(d, "order", o)) {
        cJSON_Delete(o);
        rc = core_oom(err);
        goto out;
    }
    if ((oc->before.eta ? !cJSON_AddNumberToObject(d, "previous_eta", (double)oc->before.eta)
                        : !cJSON_AddNullToObject(d, "previous_eta")) ||
        !cJSON_AddNumberToObject(d, "eta", (double)oc->st.eta)) {
        rc = core_oom(err);
        goto out;
    }
    rc = store_events_append_json(oc->c->store, oc->row.site_id, "order.eta_changed", now, d, NULL,
                                  err);
out:
    cJSON_Delete(d);
    return rc;
}

int core_order_finish(struct core_order_cmd *oc, const cJSON *args, int64_t now, cJSON **data,
                      struct proto_error *err)
{
    struct store *s = oc->c->store;
    cJSON *after = NULL;
    int rc = -1;
    /* create inserted its row itself (store_orders_add appended order.created) */
    if (oc->cmd != DOMAIN_ORDER_CREATE &&
        (carry_out(oc, args, now, err) || store_orders_update(s, &oc->row, now, err)))
        goto out;
    if (store_orders_json(s, oc->row.id, &after, err))
        goto out;
    if (oc->fx.eta_changed && eta_event(oc, after, now, err))
        goto out;
    if (audit(oc, args, after, now, err))
        goto out;
    cJSON *view = core_order_staff_view(oc->c, oc->row.id, err);
    cJSON *d = cJSON_CreateObject();
    if (!view || !d || !cJSON_AddItemToObject(d, "order", view)) {
        cJSON_Delete(view);
        cJSON_Delete(d);
        if (err && err->code != PROTO_E_INTERNAL)
            core_oom(err);
        goto out;
    }
    *data = d;
    rc = 0;
    log_info("core", "order %s: %s by %s (%s -> %s)", oc->row.order_no,
             domain_order_cmd_name(oc->cmd), oc->staff->staff_no,
             domain_stage_name(oc->before.stage), domain_stage_name(oc->st.stage));
out:
    cJSON_Delete(after);
    core_order_cmd_free(oc);
    return rc;
}

static int add_breach(void *ctx, const char *kind, int64_t due_at, int64_t at)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(ctx, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return cJSON_AddStringToObject(o, "kind", kind) &&
                   cJSON_AddNumberToObject(o, "due_at", (double)due_at) &&
                   cJSON_AddNumberToObject(o, "at", (double)at)
               ? 0
               : -1;
}

cJSON *core_order_staff_view(struct core *c, int64_t order_id, struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_orders_json(c->store, order_id, &full, err))
        return NULL;
    cJSON *list = cJSON_AddArrayToObject(full, "sla_breaches");
    if (!list) {
        cJSON_Delete(full);
        core_oom(err);
        return NULL;
    }
    if (store_sla_list(c->store, order_id, add_breach, list, err)) {
        cJSON_Delete(full);
        return NULL;
    }
    return full;
}

int core_order_vehicle_args(struct core *c, const cJSON *obj, struct domain_order_args *a,
                            unsigned *fields, struct proto_error *err)
{
    *fields = 0;
    for (int f = 0; f < DOMAIN_OFIELD__COUNT; f++)
        if (cJSON_GetObjectItemCaseSensitive(obj, domain_order_field_name(f)))
            *fields |= DOMAIN_OFIELD_BIT(f);
    const char *model = proto_get_str(obj, "model");
    if (model) {
        struct store_model m;
        if (store_models_find(c->store, model, &m, err)) {
            if (err && err->code != PROTO_E_NOT_FOUND)
                return -1;
            return proto_error_set(err, PROTO_E_BAD_FIELD, "model", "unknown model %s", model);
        }
    }
    a->has_quantity = *fields & DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_QUANTITY);
    a->quantity = (int)proto_get_int(obj, "quantity", 0);
    a->has_unit_price = *fields & DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE);
    a->unit_price_fen = proto_get_int(obj, "unit_price_fen", 0);
    const char *pay = proto_get_str(obj, "payment");
    a->has_payment = pay != NULL;
    if (pay) {
        int p = domain_payment_from_name(pay);
        if (p < 0)
            return proto_error_set(err, PROTO_E_BAD_FIELD, "payment", "unknown payment %s", pay);
        a->payment = (enum domain_payment)p;
    }
    return 0;
}

void core_order_vehicle_to_row(const cJSON *obj, struct store_order *o)
{
    const char *v;
    if ((v = proto_get_str(obj, "model")))
        snprintf(o->model_code, sizeof o->model_code, "%s", v);
    if ((v = proto_get_str(obj, "config")))
        snprintf(o->config, sizeof o->config, "%s", v);
    if ((v = proto_get_str(obj, "colour")))
        snprintf(o->colour, sizeof o->colour, "%s", v);
    if ((v = proto_get_str(obj, "delivery_place")))
        snprintf(o->delivery_place, sizeof o->delivery_place, "%s", v);
    if ((v = proto_get_str(obj, "special_requests")))
        snprintf(o->special_requests, sizeof o->special_requests, "%s", v);
    if ((v = proto_get_str(obj, "remarks")))
        snprintf(o->remarks, sizeof o->remarks, "%s", v);
    if (cJSON_GetObjectItemCaseSensitive(obj, "expected_delivery_at"))
        o->expected_delivery_at = proto_get_int(obj, "expected_delivery_at", 0);
}

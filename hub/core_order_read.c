/* Order reads for staff with a login: one order with its history (order_get) and a
 * filtered, paged list (order_list). Reads are not commands: no command id is stored and
 * each runs in one read transaction, so what it returns is one committed state. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

/* The array a list callback appends to, and where to report a failure. */
struct read_list {
    cJSON *arr;
    struct core *c;
    struct proto_error *err;
};

static int push(struct read_list *l, cJSON *o)
{
    if (!o || !cJSON_AddItemToArray(l->arr, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

static int add_audit(void *ctx, const struct store_audit *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *before = a->before ? cJSON_Parse(a->before) : cJSON_CreateNull();
    cJSON *after = a->after ? cJSON_Parse(a->after) : cJSON_CreateNull();
    bool ok = o && before && after && cJSON_AddNumberToObject(o, "id", (double)a->id) &&
              cJSON_AddNumberToObject(o, "at", (double)a->at) &&
              cJSON_AddStringToObject(o, "actor", a->actor) &&
              cJSON_AddStringToObject(o, "action", a->action) &&
              cJSON_AddItemToObject(o, "before", before);
    if (ok)
        before = NULL;
    ok = ok && cJSON_AddItemToObject(o, "after", after);
    if (ok)
        after = NULL;
    ok = ok && cJSON_AddStringToObject(o, "hash", a->hash);
    cJSON_Delete(before);
    cJSON_Delete(after);
    if (!ok) {
        cJSON_Delete(o);
        return -1;
    }
    return push(ctx, o);
}

static int add_note(void *ctx, const struct store_note *n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)n->id) ||
        !cJSON_AddNumberToObject(o, "at", (double)n->at) ||
        !cJSON_AddStringToObject(o, "way", n->way) ||
        !cJSON_AddStringToObject(o, "summary", n->summary) ||
        !cJSON_AddBoolToObject(o, "customer_visible", n->customer_visible) ||
        !cJSON_AddNumberToObject(o, "staff_id", (double)n->staff_id)) {
        cJSON_Delete(o);
        return -1;
    }
    return push(ctx, o);
}

static int add_payment(void *ctx, const struct store_payment *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)p->id) ||
        !cJSON_AddNumberToObject(o, "at", (double)p->at) ||
        !cJSON_AddStringToObject(o, "kind", p->kind) ||
        !cJSON_AddNumberToObject(o, "amount_fen", (double)p->amount_fen) ||
        !cJSON_AddStringToObject(o, "reference", p->reference) ||
        !cJSON_AddNumberToObject(o, "staff_id", (double)p->staff_id)) {
        cJSON_Delete(o);
        return -1;
    }
    return push(ctx, o);
}

static int add_refund(void *ctx, const struct store_refund *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)r->id) ||
        !cJSON_AddNumberToObject(o, "at", (double)r->at) ||
        !cJSON_AddNumberToObject(o, "amount_fen", (double)r->amount_fen) ||
        !cJSON_AddStringToObject(o, "reference", r->reference) ||
        !cJSON_AddNumberToObject(o, "staff_id", (double)r->staff_id)) {
        cJSON_Delete(o);
        return -1;
    }
    return push(ctx, o);
}

static int add_request(void *ctx, const struct store_request *r)
{
    return push(ctx, store_requests_json(r));
}

/* The sign-off record or null. */
static int add_signoff(struct core *c, cJSON *d, int64_t order_id, struct proto_error *err)
{
    struct store_signoff so;
    if (store_signoffs_get(c->store, order_id, &so, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            return cJSON_AddNullToObject(d, "signoff") ? 0 : core_oom(err);
        return -1;
    }
    cJSON *o = cJSON_AddObjectToObject(d, "signoff");
    cJSON *checklist = cJSON_Parse(so.checklist);
    cJSON *strokes = cJSON_Parse(so.strokes);
    int rc = -1;
    if (!o || !checklist || !strokes || !cJSON_AddNumberToObject(o, "id", (double)so.id) ||
        !cJSON_AddNumberToObject(o, "at", (double)so.at) ||
        !cJSON_AddNumberToObject(o, "staff_id", (double)so.staff_id) ||
        !cJSON_AddNumberToObject(o, "device_id", (double)so.device_id) ||
        !cJSON_AddItemToObject(o, "checklist", checklist)) {
        core_oom(err);
        goto out;
    }
    checklist = NULL;
    if (!cJSON_AddItemToObject(o, "strokes", strokes)) {
        core_oom(err);
        goto out;
    }
    strokes = NULL;
    if (core_order_add_text(o, "png_sha256", so.png_sha256) ||
        (so.rating ? !cJSON_AddNumberToObject(o, "rating", so.rating)
                   : !cJSON_AddNullToObject(o, "rating")) ||
        !cJSON_AddStringToObject(o, "comment", so.comment) ||
        !cJSON_AddStringToObject(o, "hash", so.hash)) {
        core_oom(err);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(checklist);
    cJSON_Delete(strokes);
    store_signoff_free(&so);
    return rc;
}

/* {"order": staff view, "audit", "notes", "payments", "refunds", "requests", "signoff"} */
static int history(struct core *c, const struct store_order *o, cJSON **out,
                   struct proto_error *err)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *view = core_order_staff_view(c, o->id, err);
    if (!d || !view || !cJSON_AddItemToObject(d, "order", view)) {
        cJSON_Delete(view);
        goto fail;
    }
    struct read_list l = {.c = c, .err = err};
    if (!(l.arr = cJSON_AddArrayToObject(d, "audit")) ||
        store_audit_list(c->store, "order", o->order_no, add_audit, &l, err) ||
        !(l.arr = cJSON_AddArrayToObject(d, "notes")) ||
        store_notes_list(c->store, o->id, false, add_note, &l, err) ||
        !(l.arr = cJSON_AddArrayToObject(d, "payments")) ||
        store_payments_list(c->store, o->id, add_payment, &l, err) ||
        !(l.arr = cJSON_AddArrayToObject(d, "refunds")) ||
        store_refunds_list(c->store, o->id, add_refund, &l, err) ||
        !(l.arr = cJSON_AddArrayToObject(d, "requests")) ||
        store_requests_list(c->store, o->id, add_request, &l, err) || add_signoff(c, d, o->id, err))
        goto fail;
    *out = d;
    return 0;
fail:
    cJSON_Delete(d);
    if (err && err->code == PROTO_E_OK)
        core_oom(err);
    return -1;
}

int core_order_read_get(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct core_order_cmd oc;
    struct domain_order_args a = {0};
    if (err)
        err->code = PROTO_E_OK;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = core_order_load(c, dev, staff, DOMAIN_ORDER_GET, args, &oc, err);
    if (rc == 0)
        rc = domain_order_check(&oc.before, &oc.actor, DOMAIN_ORDER_GET, &a, err);
    if (rc == 0)
        rc = history(c, &oc.row, data, err);
    core_order_cmd_free(&oc);
    store_rollback(c->store); /* a read: nothing to commit */
    return rc;
}

static int add_listed(void *ctx, const struct store_order *o)
{
    struct read_list *l = ctx;
    return push(l, core_order_staff_view(l->c, o->id, l->err));
}

int core_order_read_list(struct core *c, const struct core_device *dev,
                         const struct core_staff *staff, const cJSON *args, int64_t now,
                         cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (!staff)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_REQUIRED, NULL,
                               "order_list needs a staff login");
    if (staff->site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "staff of another site");
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_order_args a = {0};
    if (domain_order_check(NULL, &actor, DOMAIN_ORDER_LIST, &a, err))
        return -1;
    const char *stage = proto_get_str(args, "stage");
    struct store_order_filter f = {
        .site_id = staff->site_id,
        .stage = stage ? domain_stage_from_name(stage) : -1,
        .q = proto_get_str(args, "q"),
        .limit = (int)proto_get_int(args, "limit", 50),
        .offset = (int)proto_get_int(args, "offset", 0),
    };
    if (proto_get_int(args, "offset", 0) > 1000000000)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "offset", "offset is too large");
    cJSON *d = cJSON_CreateObject();
    struct read_list l = {.c = c, .err = err};
    int total = 0, rc = -1;
    if (!d || !(l.arr = cJSON_AddArrayToObject(d, "orders"))) {
        core_oom(err);
        goto out;
    }
    if (store_begin_read(c->store, err))
        goto out;
    const char *cons = proto_get_str(args, "consultant");
    if (cons) {
        struct store_staff st;
        if (store_staff_find(c->store, cons, &st, err)) {
            if (err && err->code == PROTO_E_NOT_FOUND)
                proto_error_set(err, PROTO_E_BAD_FIELD, "consultant", "no staff %s", cons);
            goto out;
        }
        f.consultant_id = st.id;
    }
    if (err)
        err->code = PROTO_E_OK;
    if (store_orders_list(c->store, &f, add_listed, &l, &total, err)) {
        if (err && err->code == PROTO_E_OK)
            core_oom(err);
        goto out;
    }
    if (!cJSON_AddNumberToObject(d, "total", total) ||
        !cJSON_AddNumberToObject(d, "limit", f.limit) ||
        !cJSON_AddNumberToObject(d, "offset", f.offset)) {
        core_oom(err);
        goto out;
    }
    *data = d;
    d = NULL;
    rc = 0;
out:
    store_rollback(c->store);
    cJSON_Delete(d);
    return rc;
}

/* order_lookup: a customer finds their order on a status kiosk by number and the last four
 * digits of their phone. A wrong number and a wrong tail answer the same not_found, and a
 * device that keeps failing is rate-limited, so the kiosk cannot be used to probe orders. */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

/* The device's failure record, created on first use; NULL when out of memory. */
static struct core_lookup_fails *fails_of(struct core *c, int64_t device_id, bool create)
{
    for (size_t i = 0; i < c->n_lookups; i++)
        if (c->lookups[i].device_id == device_id)
            return &c->lookups[i];
    if (!create)
        return NULL;
    if (c->n_lookups == c->cap_lookups) {
        size_t cap = c->cap_lookups ? c->cap_lookups * 2 : 8;
        struct core_lookup_fails *p = realloc(c->lookups, cap * sizeof *p);
        if (!p)
            return NULL;
        c->lookups = p;
        c->cap_lookups = cap;
    }
    struct core_lookup_fails *f = &c->lookups[c->n_lookups++];
    memset(f, 0, sizeof *f);
    f->device_id = device_id;
    return f;
}

/* Counts a failure; blocks the device once CORE_LOOKUP_MAX_FAILS fall within the window. */
static void record_failure(struct core *c, int64_t device_id, int64_t now)
{
    struct core_lookup_fails *f = fails_of(c, device_id, true);
    if (!f)
        return;
    f->at[f->next] = now;
    f->next = (f->next + 1) % CORE_LOOKUP_MAX_FAILS;
    /* after the write, at[next] is the oldest of the last MAX failures (0 if fewer) */
    int64_t oldest = f->at[f->next];
    if (oldest && now - oldest < CORE_LOOKUP_WINDOW_MS)
        f->blocked_until = now + CORE_LOOKUP_BLOCK_MS;
}

static int not_found(struct core *c, const struct core_device *dev, int64_t now,
                     struct proto_error *err)
{
    record_failure(c, dev->id, now);
    return proto_error_set(err, PROTO_E_NOT_FOUND, NULL, "no order with this number and phone");
}

static cJSON *timeline_json(const struct store_order *o)
{
    struct domain_timeline_entry tl[DOMAIN_TIMELINE_LEN];
    domain_order_timeline(o->stage, &o->times, tl);
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return NULL;
    for (int i = 0; i < DOMAIN_TIMELINE_LEN; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(arr, e)) {
            cJSON_Delete(e);
            goto oom;
        }
        if (!cJSON_AddStringToObject(e, "stage", domain_public_name(tl[i].stage)) ||
            !cJSON_AddStringToObject(e, "state", domain_step_state_name(tl[i].state)) ||
            (tl[i].at ? !cJSON_AddNumberToObject(e, "at", (double)tl[i].at)
                      : !cJSON_AddNullToObject(e, "at")))
            goto oom;
    }
    return arr;
oom:
    cJSON_Delete(arr);
    return NULL;
}

static int add_public_note(void *ctx, const struct store_note *n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(ctx, o)) {
        cJSON_Delete(o);
        return -1;
    }
    /* text and date only: who wrote it and how stays inside */
    return cJSON_AddStringToObject(o, "text", n->summary) &&
                   cJSON_AddNumberToObject(o, "at", (double)n->at)
               ? 0
               : -1;
}

/* PROTOCOL.md "PublicOrder" from the order row and its full JSON. */
static cJSON *public_order(const struct store_order *o, const cJSON *full, cJSON *notes)
{
    char name[PROTO_MAX_NAME + 32];
    core_view_customer_name(cJSON_GetObjectItem(full, "customer"), name, sizeof name);
    const cJSON *model = cJSON_GetObjectItem(full, "model");
    const cJSON *cons = cJSON_GetObjectItem(full, "consultant");
    const char *cons_name = cJSON_GetStringValue(cJSON_GetObjectItem(cons, "name"));
    enum domain_todo todo = domain_order_todo(o->stage, o->payment, o->paid_fen, o->total_fen);
    cJSON *obj = cJSON_CreateObject();
    cJSON *tl = timeline_json(o);
    cJSON *todos = cJSON_CreateArray();
    cJSON *todo_s = cJSON_CreateString(domain_todo_name(todo));
    if (!obj || !tl || !todos || !todo_s)
        goto oom;
    if (!cJSON_AddItemToArray(todos, todo_s))
        goto oom;
    todo_s = NULL;
    if (!cJSON_AddStringToObject(obj, "order_no", o->order_no) ||
        !cJSON_AddStringToObject(obj, "customer_name", name) ||
        core_view_copy(obj, model, "name") || /* renamed below: PublicOrder's "model" */
        !cJSON_AddStringToObject(obj, "colour", o->colour) ||
        !cJSON_AddStringToObject(obj, "public_stage",
                                 domain_public_name(domain_stage_public(o->stage))) ||
        (cons_name ? !cJSON_AddStringToObject(obj, "consultant", cons_name)
                   : !cJSON_AddNullToObject(obj, "consultant")) ||
        core_view_copy(obj, full, "eta") || core_view_copy(obj, full, "delivery_at") ||
        core_view_copy(obj, full, "delivery_place"))
        goto oom;
    cJSON *mname = cJSON_DetachItemFromObject(obj, "name");
    if (!cJSON_AddItemToObject(obj, "model", mname)) {
        cJSON_Delete(mname);
        goto oom;
    }
    if (!cJSON_AddItemToObject(obj, "timeline", tl))
        goto oom;
    tl = NULL;
    if (!cJSON_AddItemToObject(obj, "todo", todos))
        goto oom;
    todos = NULL;
    if (!cJSON_AddItemToObject(obj, "notes", notes))
        goto oom;
    return obj;
oom:
    cJSON_Delete(notes);
    cJSON_Delete(todo_s);
    cJSON_Delete(todos);
    cJSON_Delete(tl);
    cJSON_Delete(obj);
    return NULL;
}

int core_orders_lookup(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err)
{
    *data = NULL;
    struct core_lookup_fails *f = fails_of(c, dev->id, false);
    if (f && now < f->blocked_until)
        return proto_error_set(err, PROTO_E_RATE_LIMITED, NULL,
                               "too many failed lookups; try again in a minute");
    const char *order_no = proto_get_str(args, "order_no");
    const char *tail = proto_get_str(args, "phone_last4");
    if (!order_no || !tail)
        return not_found(c, dev, now, err);

    struct store_order o;
    struct store_customer cust;
    cJSON *full = NULL;
    cJSON *notes = cJSON_CreateArray();
    if (!notes)
        return core_oom(err);
    if (store_begin_read(c->store, err)) {
        cJSON_Delete(notes);
        return -1;
    }
    int rc = store_orders_find_by_no(c->store, order_no, &o, err);
    if (rc == 0)
        rc = store_customers_get(c->store, o.customer_id, &cust, err);
    if (rc == 0)
        rc = store_orders_json(c->store, o.id, &full, err);
    if (rc == 0)
        rc = store_notes_list(c->store, o.id, true, add_public_note, notes, err);
    store_rollback(c->store); /* a read: nothing to commit */
    if (rc != 0) {
        cJSON_Delete(full);
        cJSON_Delete(notes);
        if (err && err->code == PROTO_E_NOT_FOUND)
            return not_found(c, dev, now, err);
        return -1;
    }
    size_t len = strlen(cust.phone);
    /* orders of other sites are not this kiosk's to show: same answer as a wrong number */
    if (o.site_id != dev->site_id || len < 4 || strcmp(cust.phone + len - 4, tail) != 0) {
        cJSON_Delete(full);
        cJSON_Delete(notes);
        return not_found(c, dev, now, err);
    }
    cJSON *po = public_order(&o, full, notes); /* takes notes */
    cJSON_Delete(full);
    cJSON *d = cJSON_CreateObject();
    if (!po || !d || !cJSON_AddItemToObject(d, "order", po)) {
        cJSON_Delete(po);
        cJSON_Delete(d);
        return core_oom(err);
    }
    *data = d;
    return 0;
}

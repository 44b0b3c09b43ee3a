/* Changes and cancellations, each a request that reviewers decide (the supervisor first, a
 * manager second when the rules or the supervisor say so), and the communication log. A
 * change records old and new values per field and is applied only once fully approved. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

/* The order's current value of a change field, as JSON. NULL when out of memory. */
static cJSON *current_value(const struct store_order *o, enum domain_order_field f)
{
    switch (f) {
    case DOMAIN_OFIELD_MODEL:
        return cJSON_CreateString(o->model_code);
    case DOMAIN_OFIELD_CONFIG:
        return cJSON_CreateString(o->config);
    case DOMAIN_OFIELD_COLOUR:
        return cJSON_CreateString(o->colour);
    case DOMAIN_OFIELD_QUANTITY:
        return cJSON_CreateNumber(o->quantity);
    case DOMAIN_OFIELD_UNIT_PRICE:
        return cJSON_CreateNumber((double)o->unit_price_fen);
    case DOMAIN_OFIELD_PAYMENT:
        return cJSON_CreateString(domain_payment_name(o->payment));
    case DOMAIN_OFIELD_EXPECTED_DELIVERY:
        return o->expected_delivery_at ? cJSON_CreateNumber((double)o->expected_delivery_at)
                                       : cJSON_CreateNull();
    case DOMAIN_OFIELD_DELIVERY_PLACE:
        return cJSON_CreateString(o->delivery_place);
    case DOMAIN_OFIELD_SPECIAL_REQUESTS:
        return cJSON_CreateString(o->special_requests);
    case DOMAIN_OFIELD_REMARKS:
        return cJSON_CreateString(o->remarks);
    case DOMAIN_OFIELD__COUNT:
        break;
    }
    return cJSON_CreateNull();
}

/* {"field": {"old": v, "new": v}} for every field in `changes`. */
static char *changes_text(const struct store_order *o, const cJSON *changes)
{
    cJSON *out = cJSON_CreateObject();
    char *text = NULL;
    if (!out)
        return NULL;
    for (const cJSON *ch = changes->child; ch; ch = ch->next) {
        int f = domain_order_field_from_name(ch->string);
        cJSON *pair = cJSON_AddObjectToObject(out, ch->string);
        cJSON *old = f < 0 ? NULL : current_value(o, (enum domain_order_field)f);
        cJSON *nv = cJSON_Duplicate(ch, 1);
        if (!pair || !old || !nv || !cJSON_AddItemToObject(pair, "old", old)) {
            cJSON_Delete(old);
            cJSON_Delete(nv);
            goto out;
        }
        if (!cJSON_AddItemToObject(pair, "new", nv)) {
            cJSON_Delete(nv);
            goto out;
        }
    }
    text = cJSON_PrintUnformatted(out);
out:
    cJSON_Delete(out);
    return text;
}

int core_order_change_request(struct core *c, const struct core_device *dev,
                              const struct core_staff *staff, const cJSON *args, int64_t now,
                              cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const cJSON *changes = proto_get_obj(args, "changes");
    struct domain_order_args a = {.has_reason = core_order_has_text(args, "reason")};
    unsigned fields = 0;
    struct core_order_cmd oc;
    if (core_order_load(c, dev, staff, DOMAIN_ORDER_CHANGE_REQUEST, args, &oc, err))
        goto fail;
    if (core_order_vehicle_args(c, changes, &a, &fields, err))
        goto fail;
    if (!fields) {
        proto_error_set(err, PROTO_E_BAD_FIELD, "changes", "changes names no field to change");
        goto fail;
    }
    a.change_fields = fields;
    if (core_order_decide(&oc, &a, now, err))
        goto fail;
    char *text = changes_text(&oc.row, changes);
    if (!text) {
        core_oom(err);
        goto fail;
    }
    if (strlen(text) > STORE_CHANGES_MAX) {
        cJSON_free(text);
        proto_error_set(err, PROTO_E_TOO_LONG, "changes", "the change is too large to record");
        goto fail;
    }
    struct store_request r = {
        .order_id = oc.row.id,
        .kind = STORE_REQUEST_CHANGE,
        .needs_manager = domain_order_change_needs_manager(fields),
        .requested_by = staff->id,
        .requested_at = now,
    };
    snprintf(r.changes, sizeof r.changes, "%s", text);
    cJSON_free(text);
    snprintf(r.reason, sizeof r.reason, "%s", proto_get_str(args, "reason"));
    int64_t id = 0;
    if (store_requests_add(c->store, &r, &id, err))
        goto fail;
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

/* A reviewer's yes or no on the open change or cancellation; the store records it
 * (core_order.c carry_out) and the rules say whether it is now applied. */
static int decide(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                  enum domain_order_cmd cmd, const cJSON *args, int64_t now, cJSON **data,
                  struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {
        .pass = proto_get_bool(args, "approve", false),
        .has_reason = core_order_has_text(args, "reason"),
        .needs_manager = proto_get_bool(args, "needs_manager", false),
    };
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, cmd, args, &a, now, &oc, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_change_review(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    return decide(c, dev, staff, DOMAIN_ORDER_CHANGE_REVIEW, args, now, data, err);
}

int core_order_change_cancel_review(struct core *c, const struct core_device *dev,
                                    const struct core_staff *staff, const cJSON *args, int64_t now,
                                    cJSON **data, struct proto_error *err)
{
    return decide(c, dev, staff, DOMAIN_ORDER_CANCEL_REVIEW, args, now, data, err);
}

int core_order_change_cancel_approve(struct core *c, const struct core_device *dev,
                                     const struct core_staff *staff, const cJSON *args, int64_t now,
                                     cJSON **data, struct proto_error *err)
{
    return decide(c, dev, staff, DOMAIN_ORDER_CANCEL_APPROVE, args, now, data, err);
}

int core_order_change_cancel_request(struct core *c, const struct core_device *dev,
                                     const struct core_staff *staff, const cJSON *args, int64_t now,
                                     cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {.has_reason = core_order_has_text(args, "reason")};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_CANCEL_REQUEST, args, &a, now, &oc, err))
        return -1;
    struct store_request r = {
        .order_id = oc.row.id,
        .kind = STORE_REQUEST_CANCEL,
        .requested_by = staff->id,
        .requested_at = now,
    };
    snprintf(r.reason, sizeof r.reason, "%s", proto_get_str(args, "reason"));
    if (store_requests_add(c->store, &r, NULL, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_change_note(struct core *c, const struct core_device *dev,
                           const struct core_staff *staff, const cJSON *args, int64_t now,
                           cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {.customer_visible =
                                      proto_get_bool(args, "customer_visible", false)};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_NOTE, args, &a, now, &oc, err))
        return -1;
    struct store_note n = {
        .order_id = oc.row.id,
        .customer_visible = a.customer_visible,
        .staff_id = staff->id,
        .at = now,
    };
    snprintf(n.way, sizeof n.way, "%s", proto_get_str(args, "way"));
    snprintf(n.summary, sizeof n.summary, "%s", proto_get_str(args, "summary"));
    if (store_notes_add(c->store, &n, NULL, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

/* Fulfilment: allocation of a stock vehicle or a factory order, the factory car's arrival,
 * preparation steps, ETA changes, readiness for delivery, the delivery sign-off and closing. */
#include "core_internal.h"
#include "core_sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A VIN in the inventory that this order may take: same site, same model, in stock. 1 with
 * *v when found, 0 when the VIN is not in the inventory at all, -1 with *err otherwise. */
static int usable_vehicle(struct core *c, const struct store_order *o, const char *vin,
                          struct store_vehicle *v, struct proto_error *err)
{
    if (!store_vin_valid(vin))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "vin",
                               "a VIN is 17 characters of A-H, J-N, P, R-Z and 0-9");
    if (store_vehicles_find(c->store, vin, v, err))
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    if (v->site_id != o->site_id)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "vin", "vehicle %s is at another site", vin);
    if (strcmp(v->model_code, o->model_code) != 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "vin",
                               "vehicle %s is a %s, the order is for a %s", vin, v->model_code,
                               o->model_code);
    if (v->state != STORE_VEHICLE_IN_STOCK)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "vin", "vehicle %s is %s", vin,
                               store_vehicle_state_name(v->state));
    return 1;
}

int core_order_fulfil_allocate(struct core *c, const struct core_device *dev,
                               const struct core_staff *staff, const cJSON *args, int64_t now,
                               cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *vin = proto_get_str(args, "vin");
    struct domain_order_args a = {
        .has_vin = vin != NULL,
        .factory_eta = proto_get_int(args, "factory_eta", 0),
    };
    if (vin && cJSON_GetObjectItemCaseSensitive(args, "factory_eta"))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "factory_eta",
                               "give a vin (stock) or a factory_eta (factory order), not both");
    if (!vin && !cJSON_GetObjectItemCaseSensitive(args, "factory_eta"))
        return proto_error_set(err, PROTO_E_MISSING_FIELD, "vin",
                               "give a vin (stock) or a factory_eta (factory order)");
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_ALLOCATE, args, &a, now, &oc, err))
        return -1;
    if (vin) {
        struct store_vehicle v;
        int found = usable_vehicle(c, &oc.row, vin, &v, err);
        if (found == 0)
            proto_error_set(err, PROTO_E_BAD_FIELD, "vin", "no vehicle %s in the inventory", vin);
        if (found <= 0 || store_vehicles_reserve(c->store, vin, oc.row.id, now, err))
            goto fail;
        snprintf(oc.row.vin, sizeof oc.row.vin, "%s", vin);
    }
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

int core_order_fulfil_arrived(struct core *c, const struct core_device *dev,
                              const struct core_staff *staff, const cJSON *args, int64_t now,
                              cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *vin = proto_get_str(args, "vin");
    struct domain_order_args a = {.has_vin = true};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_VEHICLE_ARRIVED, args, &a, now, &oc, err))
        return -1;
    struct store_vehicle v;
    int found = usable_vehicle(c, &oc.row, vin ? vin : "", &v, err);
    if (found < 0)
        goto fail;
    if (found) { /* booked into stock before the order claimed it */
        if (store_vehicles_reserve(c->store, vin, oc.row.id, now, err))
            goto fail;
    } else { /* the factory car enters the inventory already reserved for its order */
        memset(&v, 0, sizeof v);
        v.site_id = oc.row.site_id;
        snprintf(v.vin, sizeof v.vin, "%s", vin);
        snprintf(v.model_code, sizeof v.model_code, "%s", oc.row.model_code);
        snprintf(v.colour, sizeof v.colour, "%s", oc.row.colour);
        v.state = STORE_VEHICLE_RESERVED;
        v.order_id = oc.row.id;
        v.created_at = v.updated_at = now;
        if (store_vehicles_add(c->store, &v, NULL, err))
            goto fail;
    }
    snprintf(oc.row.vin, sizeof oc.row.vin, "%s", vin);
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

int core_order_fulfil_prep(struct core *c, const struct core_device *dev,
                           const struct core_staff *staff, const cJSON *args, int64_t now,
                           cJSON **data, struct proto_error *err)
{
    *data = NULL;
    int step = domain_prep_step_from_name(proto_get_str(args, "step"));
    if (step < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "step", "unknown preparation step");
    struct domain_order_args a = {.prep_step = (enum domain_prep_step)step};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_VEHICLE_PREP, args, &a, now, &oc, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_fulfil_eta(struct core *c, const struct core_device *dev,
                          const struct core_staff *staff, const cJSON *args, int64_t now,
                          cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {
        .eta = proto_get_int(args, "eta", 0),
        .has_reason = core_order_has_text(args, "reason"),
    };
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_ETA, args, &a, now, &oc, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_fulfil_ready(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const cJSON *docs = proto_get_obj(args, "documents");
    struct domain_order_args a = {
        .documents_all = proto_get_bool(docs, "invoice", false) &&
                         proto_get_bool(docs, "coc", false) &&
                         proto_get_bool(docs, "warranty", false),
    };
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_READY, args, &a, now, &oc, err))
        return -1;
    oc.row.delivery_at = proto_get_int(args, "delivery_at", 0);
    snprintf(oc.row.delivery_place, sizeof oc.row.delivery_place, "%s",
             proto_get_str(args, "delivery_place"));
    return core_order_finish(&oc, args, now, data, err);
}

/* The sign-off record: checklist, strokes, rating, comment, who, where, when; the store
 * canonicalises it and keeps its BLAKE2b hash, and the hub's Ed25519 signature of the same
 * sealed bytes goes into the audit record (detail.signoff.sig), itself hash-chained. */
static int signoff(struct core_order_cmd *oc, const cJSON *args, int64_t now,
                   struct proto_error *err)
{
    const cJSON *sig = proto_get_obj(args, "signature");
    char *checklist = cJSON_PrintUnformatted(proto_get_obj(args, "checklist"));
    char *strokes = cJSON_PrintUnformatted(proto_get_arr(sig, "strokes"));
    int rc = -1;
    if (!checklist || !strokes) {
        core_oom(err);
        goto out;
    }
    struct store_signoff so = {
        .order_id = oc->row.id,
        .staff_id = oc->staff->id,
        .device_id = oc->dev->id,
        .at = now,
        .checklist = checklist,
        .strokes = strokes,
        .rating = (int)proto_get_int(args, "rating", 0),
    };
    const char *png = proto_get_str(sig, "png_sha256");
    snprintf(so.png_sha256, sizeof so.png_sha256, "%s", png ? png : "");
    snprintf(so.comment, sizeof so.comment, "%s",
             proto_get_str(args, "comment") ? proto_get_str(args, "comment") : "");
    int64_t id = 0;
    char hash[STORE_HASH_HEX_LEN + 1], seal_sig[CORE_SIGN_SIG_HEX_LEN + 1];
    const struct core_sign_key *key;
    if (core_sign_key_of(oc->c, &key, err) ||
        store_signoffs_add(oc->c->store, &so, &id, hash, err) ||
        core_sign_signoff(key, &so, seal_sig, err))
        goto out;
    oc->detail = cJSON_CreateObject();
    cJSON *rec = oc->detail ? cJSON_AddObjectToObject(oc->detail, "signoff") : NULL;
    if (!rec || !cJSON_AddNumberToObject(rec, "id", (double)id) ||
        !cJSON_AddStringToObject(rec, "hash", hash) ||
        !cJSON_AddStringToObject(rec, "sig", seal_sig) ||
        !cJSON_AddNumberToObject(rec, "strokes",
                                 cJSON_GetArraySize(proto_get_arr(sig, "strokes")))) {
        core_oom(err);
        goto out;
    }
    rc = 0;
out:
    cJSON_free(checklist);
    cJSON_free(strokes);
    return rc;
}

static bool all_checked(const cJSON *checklist)
{
    for (int i = 0; i < DOMAIN_CHECK__COUNT; i++)
        if (!proto_get_bool(checklist, domain_check_name((enum domain_check)i), false))
            return false;
    return true;
}

int core_order_fulfil_deliver(struct core *c, const struct core_device *dev,
                              const struct core_staff *staff, const cJSON *args, int64_t now,
                              cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {
        .checklist_all = all_checked(proto_get_obj(args, "checklist")),
        .rating = (int)proto_get_int(args, "rating", 0),
    };
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_DELIVER, args, &a, now, &oc, err))
        return -1;
    /* the rating joins the satisfaction figures; a low one opens a complaint at once */
    if (signoff(&oc, args, now, err) ||
        core_complaint_on_delivery(c, dev, staff, &oc.row, a.rating, proto_get_str(args, "comment"),
                                   now, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_fulfil_close(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {0};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_CLOSE, args, &a, now, &oc, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

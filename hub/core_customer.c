/* Personal data on request (PROTOCOL.md "Personal data", hub/PRIVACY.md): customer_export
 * hands a manager or admin everything the hub holds about one customer and records that read
 * in the access log; customer_erase erases the customer's personal data for good and leaves
 * an audit record that names nobody. Both come through the HTTP API only (domain_mode.c). */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

#include "store_customer_export.h"

/* A staff login of the device's site whose role may handle personal data on request. */
static int customer_staff(const struct core_device *dev, const struct core_staff *staff,
                          const char *what, struct proto_error *err)
{
    if (core_floor_login(dev, staff, what, err))
        return -1;
    if (staff->role != DOMAIN_ROLE_MANAGER && staff->role != DOMAIN_ROLE_ADMIN)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "%s is for managers and admins, not a %s", what,
                               domain_role_name(staff->role));
    return 0;
}

/* The customer named by args: exactly one of "customer_id" and "phone". */
static int customer_find(struct core *c, const cJSON *args, struct store_customer *out,
                         struct proto_error *err)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(args, "customer_id");
    const char *typed = proto_get_str(args, "phone");
    if ((id != NULL) == (typed != NULL))
        return proto_error_set(err, PROTO_E_BAD_FIELD, id ? "phone" : "customer_id",
                               "give exactly one of customer_id and phone");
    if (id) {
        int64_t cid = proto_get_int(args, "customer_id", 0);
        if (store_customers_get(c->store, cid, out, err) == 0)
            return 0;
        if (err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "customer_id", "no customer %lld",
                            (long long)cid);
        return -1;
    }
    char phone[PROTO_MAX_PHONE + 1];
    if (proto_phone_normalize(typed, phone, sizeof phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
    if (store_customers_find_by_phone(c->store, phone, out, err) == 0)
        return 0;
    if (err->code == PROTO_E_NOT_FOUND) /* the message must not repeat the phone */
        proto_error_set(err, PROTO_E_NOT_FOUND, "phone", "no customer has this phone number");
    return -1;
}

int core_customer_export(struct core *c, const struct core_device *dev,
                         const struct core_staff *staff, const cJSON *args, int64_t now,
                         cJSON **data, struct proto_error *err)
{
    if (customer_staff(dev, staff, "customer_export", err))
        return -1;
    /* A write transaction: the read is logged in the same commit as it is made, or not at
     * all (then nothing is returned either). */
    if (store_begin(c->store, err))
        return -1;
    struct store_customer cust;
    cJSON *out = NULL;
    struct store_access a = {.at = now,
                             .device_id = dev->mode == DOMAIN_MODE_API ? 0 : dev->id,
                             .site_id = dev->site_id};
    snprintf(a.what, sizeof a.what, "%s", "customer_export");
    core_floor_actor(dev, staff, a.actor, sizeof a.actor);
    if (customer_find(c, args, &cust, err) || store_customer_export(c->store, cust.id, &out, err))
        goto fail;
    a.customer_id = cust.id;
    if (store_access_add(c->store, &a, err))
        goto fail;
    if (!cJSON_AddNumberToObject(out, "exported_at", (double)now)) {
        core_oom(err);
        goto fail;
    }
    if (store_commit(c->store, err))
        goto fail;
    *data = out;
    return 0;
fail:
    store_rollback(c->store);
    cJSON_Delete(out);
    return -1;
}

int core_customer_erase(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err)
{
    struct store_customer cust;
    const char *reason = proto_get_str(args, "reason");
    if (customer_staff(dev, staff, "customer_erase", err))
        return -1;
    if (!reason || !reason[0])
        return proto_error_set(err, PROTO_E_MISSING_FIELD, "reason", "say why: reason");
    if (customer_find(c, args, &cust, err))
        return -1;
    if (cust.erased_at)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "customer %lld was erased already",
                               (long long)cust.id);
    /* The scrub is also part of store_customers_erase; run first, it says how many rows held
     * the customer's masked copies (the erase's own pass then finds none). */
    int64_t scrubbed = 0;
    if (store_privacy_scrub_customer(c->store, cust.id, &scrubbed, err) ||
        store_customers_erase(c->store, cust.id, now, err))
        return -1;
    /* The trail is hash-chained and never rewritten: it keeps the id and the reason only. */
    char actor[PROTO_MAX_SHORT + 16], id_text[24];
    core_floor_actor(dev, staff, actor, sizeof actor);
    snprintf(id_text, sizeof id_text, "%lld", (long long)cust.id);
    cJSON *after = cJSON_CreateObject();
    if (!after || !cJSON_AddStringToObject(after, "reason", reason)) {
        cJSON_Delete(after);
        return core_oom(err);
    }
    int rc = store_audit_append_json(c->store, dev->site_id, actor, "customer", id_text,
                                     "customer_erase", NULL, after, now, NULL, err);
    cJSON_Delete(after);
    if (rc)
        return -1;
    /* Old pages of the customer's row stay in the WAL file until a checkpoint copies the new
     * ones over them: core_batch.c truncates it once this command's transaction commits. */
    c->checkpoint_due = true;
    cJSON *d = cJSON_CreateObject();
    if (!d || !cJSON_AddNumberToObject(d, "customer_id", (double)cust.id) ||
        !cJSON_AddNumberToObject(d, "erased_at", (double)now) ||
        !cJSON_AddNumberToObject(d, "scrubbed", (double)scrubbed)) {
        cJSON_Delete(d);
        return core_oom(err);
    }
    *data = d;
    return 0;
}

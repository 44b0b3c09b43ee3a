/* What the handlers of leads, visits, conflicts and complaints share (hub/RECEPTION.md): the
 * staff login and site checks, the audit record of one change, staff references, paging and
 * the customer found by phone. Runs inside core_request's transaction like the handlers. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int core_floor_login(const struct core_device *dev, const struct core_staff *staff,
                     const char *what, struct proto_error *err)
{
    if (!staff)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_REQUIRED, NULL, "%s needs a staff login",
                               what);
    if (staff->site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "staff of another site");
    return 0;
}

int core_floor_same_site(const struct core_device *dev, int64_t site_id, const char *field,
                         struct proto_error *err)
{
    if (site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, field, "%s belongs to another site", field);
    return 0;
}

void core_floor_actor(const struct core_device *dev, const struct core_staff *staff, char *out,
                      size_t outsz)
{
    if (staff)
        snprintf(out, outsz, "staff:%s", staff->staff_no);
    else
        snprintf(out, outsz, "device:%lld", (long long)dev->id);
}

int core_floor_audit(struct core *c, int64_t site_id, const char *actor, const char *entity,
                     int64_t entity_id, const char *action, const cJSON *before, const cJSON *after,
                     const cJSON *args, const cJSON *detail, int64_t now, struct proto_error *err)
{
    cJSON *b = cJSON_CreateObject(), *a = cJSON_CreateObject();
    int rc = -1;
    if (!b || !a)
        goto oom;
    for (const cJSON *x = after ? after->child : NULL; x; x = x->next) {
        if (strcmp(x->string, "updated_at") == 0)
            continue; /* every write moves it; the record's own time says when */
        const cJSON *y = before ? cJSON_GetObjectItemCaseSensitive(before, x->string) : NULL;
        if (y && cJSON_Compare(x, y, 1))
            continue;
        /* x itself, not looked up again by name: a lookup per member made the copy quadratic */
        cJSON *dup = cJSON_Duplicate(x, 1);
        if (!dup || !cJSON_AddItemToObject(a, x->string, dup)) {
            cJSON_Delete(dup);
            goto oom;
        }
        if (before && core_view_copy(b, before, x->string))
            goto oom;
    }
    cJSON *dup = args ? cJSON_Duplicate(args, 1) : cJSON_CreateObject();
    if (!dup || !cJSON_AddItemToObject(a, "args", dup)) {
        cJSON_Delete(dup);
        goto oom;
    }
    if (detail) {
        dup = cJSON_Duplicate(detail, 1);
        if (!dup || !cJSON_AddItemToObject(a, "detail", dup)) {
            cJSON_Delete(dup);
            goto oom;
        }
    }
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)entity_id);
    rc = store_audit_append_tree(c->store, site_id, actor, entity, id, action,
                                 before && b->child ? b : NULL, a, now, NULL, err);
    goto out;
oom:
    core_oom(err);
out:
    cJSON_Delete(b);
    cJSON_Delete(a);
    return rc;
}

cJSON *core_floor_staff_ref(struct core *c, int64_t staff_id)
{
    struct store_staff st;
    struct proto_error err;
    if (staff_id <= 0 || store_staff_get(c->store, staff_id, &st, &err))
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)st.id) ||
        !cJSON_AddStringToObject(o, "name", st.name)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int core_floor_add_staff(struct core *c, cJSON *obj, const char *key, int64_t staff_id)
{
    cJSON *r = core_floor_staff_ref(c, staff_id);
    if (!r || !cJSON_AddItemToObject(obj, key, r)) {
        cJSON_Delete(r);
        return -1;
    }
    return 0;
}

cJSON *core_floor_wrap(const char *key, cJSON *item)
{
    cJSON *o = item ? cJSON_CreateObject() : NULL;
    if (!o || !cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(o);
        cJSON_Delete(item);
        return NULL;
    }
    return o;
}

void core_floor_page(const cJSON *args, int *limit, int *offset)
{
    *limit = (int)proto_get_int(args, "limit", 50);
    *offset = (int)proto_get_int(args, "offset", 0);
}

int core_floor_customer(struct core *c, const char *phone, const char *name,
                        enum domain_gender gender, int64_t now, struct store_customer *out,
                        bool *created, struct proto_error *err)
{
    if (created)
        *created = false;
    if (store_customers_find_by_phone(c->store, phone, out, err) == 0)
        return 0; /* an existing customer's record is kept as it is */
    if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    memset(out, 0, sizeof *out);
    snprintf(out->phone, sizeof out->phone, "%s", phone);
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    out->gender = gender;
    out->kind = STORE_CUSTOMER_INDIVIDUAL;
    out->created_at = now;
    /* an inquiry (lead, appointment, complaint) is given to be answered: that is its purpose;
     * a check-in later records the kiosk's consent over it */
    out->consent_at = now;
    snprintf(out->consent_version, sizeof out->consent_version, "%s", CORE_CONSENT_VERSION);
    snprintf(out->consent_purpose, sizeof out->consent_purpose, "%s", "inquiry");
    if (store_customers_add(c->store, out, &out->id, err))
        return -1;
    if (created)
        *created = true;
    return 0;
}

void core_floor_masked_name(const struct store_customer *cust, char *out, size_t outsz)
{
    int rc = cust->kind == STORE_CUSTOMER_COMPANY
                 ? domain_mask_company(cust->name, out, outsz)
                 : domain_mask_person(cust->name, cust->gender, out, outsz);
    if (rc != 0 && outsz > 0)
        snprintf(out, outsz, "%s", "顾客"); /* never fall back to the unmasked name */
}

int core_floor_staff_of_role(struct core *c, int64_t site_id, enum domain_role role, int64_t *ids,
                             size_t cap, size_t *n, struct proto_error *err)
{
    struct store_lead_candidate *cands = calloc(cap ? cap : 1, sizeof *cands);
    *n = 0;
    if (!cands)
        return core_oom(err);
    size_t got = 0;
    int rc = store_staff_candidates(c->store, site_id, role, cands, cap, &got, err);
    for (size_t i = 0; rc == 0 && i < got; i++)
        ids[i] = cands[i].staff_id;
    if (rc == 0)
        *n = got;
    free(cands);
    return rc;
}

/* A customer's data as one JSON document (store_customer_export.h). The records come from
 * each aggregate's own full-record JSON, so the export shows exactly what the hub keeps; only
 * the list of which records name the customer is queried here. */
#include "store_customer_export.h"

#include <stdbool.h>

#include "store_internal.h"

/* Every record naming the customer, grouped by kind in the order of `kinds` below. Prepared
 * per export, as the analytics statements are: exports are rare and this one is never hot. */
static const char records_sql[] = "SELECT 0, id FROM leads WHERE customer_id = ?1"
                                  " UNION ALL SELECT 1, id FROM visits WHERE customer_id = ?1"
                                  " UNION ALL SELECT 2, id FROM orders WHERE customer_id = ?1"
                                  " UNION ALL SELECT 3, id FROM appointments WHERE customer_id = ?1"
                                  " UNION ALL SELECT 4, id FROM complaints WHERE customer_id = ?1"
                                  " ORDER BY 1, 2";

static const struct {
    const char *key;
    int (*json)(struct store *s, int64_t id, cJSON **out, struct proto_error *err);
} kinds[] = {
    {"leads", store_leads_json},           {"visits", store_visits_json},
    {"orders", store_orders_json},         {"appointments", store_appointments_json},
    {"complaints", store_complaints_json},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static cJSON *customer_json(const struct store_customer *c)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddNumberToObject(o, "id", (double)c->id) &&
              cJSON_AddStringToObject(
                  o, "kind", c->kind == STORE_CUSTOMER_COMPANY ? "company" : "individual") &&
              cJSON_AddStringToObject(o, "gender", domain_gender_name(c->gender)) &&
              store_json_add_str_or_null(o, "name", c->name) == 0 &&
              store_json_add_str_or_null(o, "phone", c->phone) == 0 &&
              store_json_add_str_or_null(o, "id_number", c->id_number) == 0 &&
              store_json_add_str_or_null(o, "company_address", c->company_address) == 0 &&
              store_json_add_str_or_null(o, "legal_rep", c->legal_rep) == 0 &&
              store_json_add_str_or_null(o, "business_scope", c->business_scope) == 0 &&
              store_json_add_str_or_null(o, "contact_name", c->contact_name) == 0 &&
              store_json_add_str_or_null(o, "credit_rating", c->credit_rating) == 0 &&
              cJSON_AddNumberToObject(o, "credit_limit_fen", (double)c->credit_limit_fen) &&
              cJSON_AddNumberToObject(o, "created_at", (double)c->created_at) &&
              store_json_add_int_or_null(o, "erased_at", c->erased_at) == 0;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *consent_json(const struct store_customer *c)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && store_json_add_int_or_null(o, "at", c->consent_at) == 0 &&
              store_json_add_str_or_null(o, "version", c->consent_version) == 0 &&
              store_json_add_str_or_null(o, "purpose", c->consent_purpose) == 0;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Appends each record's full JSON to its kind's list in out. 0 or -1 with *err. */
static int export_records(struct store *s, int64_t id, cJSON *out, struct proto_error *err)
{
    cJSON *lists[N_KINDS];
    for (size_t k = 0; k < N_KINDS; k++)
        if (!(lists[k] = cJSON_AddArrayToObject(out, kinds[k].key)))
            return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, records_sql, -1, 0, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return store_fault(s, "prepare customer export", err);
    }
    int rc = store_bind(s, st, err, "i", id);
    while (rc == 0) {
        int step = store_step(s, st, err);
        if (step <= 0) {
            rc = step;
            break;
        }
        int64_t k = store_col_int(st, 0), rid = store_col_int(st, 1);
        cJSON *rec = NULL;
        if (k < 0 || (size_t)k >= N_KINDS) {
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "bad record kind in export");
        } else if (kinds[k].json(s, rid, &rec, err) == 0) {
            if (!cJSON_AddItemToArray(lists[k], rec)) {
                cJSON_Delete(rec);
                rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            }
        } else {
            rc = -1;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

struct access_ctx {
    cJSON *list;
    bool oom;
};

static int access_entry(void *ctx, const struct store_access *a)
{
    struct access_ctx *x = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "at", (double)a->at) ||
        !cJSON_AddStringToObject(o, "actor", a->actor) ||
        !cJSON_AddNumberToObject(o, "device_id", (double)a->device_id) ||
        !cJSON_AddNumberToObject(o, "site_id", (double)a->site_id) ||
        !cJSON_AddStringToObject(o, "what", a->what) || !cJSON_AddItemToArray(x->list, o)) {
        cJSON_Delete(o);
        x->oom = true;
    }
    return 0;
}

int store_customer_export(struct store *s, int64_t customer_id, cJSON **out,
                          struct proto_error *err)
{
    *out = NULL;
    struct store_customer c;
    if (store_customers_get(s, customer_id, &c, err))
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON *cust = customer_json(&c), *consent = consent_json(&c);
    if (!o || !cust || !cJSON_AddItemToObject(o, "customer", cust)) {
        cJSON_Delete(cust);
        cJSON_Delete(consent);
        goto oom;
    }
    if (!consent || !cJSON_AddItemToObject(o, "consent", consent)) {
        cJSON_Delete(consent);
        goto oom;
    }
    if (export_records(s, customer_id, o, err))
        goto fail;
    struct access_ctx ax = {.list = cJSON_AddArrayToObject(o, "access_log")};
    if (!ax.list)
        goto oom;
    if (store_access_list(s, customer_id, 0, STORE_CUSTOMER_EXPORT_ACCESS_MAX, access_entry, &ax,
                          err))
        goto fail;
    if (ax.oom)
        goto oom;
    *out = o;
    return 0;
oom:
    proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
fail:
    cJSON_Delete(o);
    return -1;
}

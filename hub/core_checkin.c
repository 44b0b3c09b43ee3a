/* The check-in command: a customer types a phone number at a reception kiosk; the hub finds
 * or creates the customer (recording consent), picks who serves them (domain rule), records
 * the visit and its event. Runs inside the command transaction of core_request.c. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Validated args of one check-in. */
struct checkin_args {
    char phone[PROTO_MAX_PHONE + 1];
    const char *name;
    enum domain_gender gender;
    const char *model;
    const char *source;
    int first_visit; /* -1 not said */
};

static int parse_args(struct core *c, const cJSON *args, struct checkin_args *a,
                      struct proto_error *err)
{
    const char *phone = proto_get_str(args, "phone");
    if (proto_phone_normalize(phone ? phone : "", a->phone, sizeof a->phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
    if (!proto_get_bool(args, "consent", false))
        return proto_error_set(err, PROTO_E_CONSENT_REQUIRED, "consent", NULL);
    a->name = proto_get_str(args, "name");
    const char *g = proto_get_str(args, "gender");
    int gi = g ? domain_gender_from_name(g) : (int)DOMAIN_GENDER_UNKNOWN;
    if (gi < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "gender", "unknown gender \"%s\"", g);
    a->gender = (enum domain_gender)gi;
    a->model = proto_get_str(args, "model");
    if (a->model && *a->model) {
        struct store_model m;
        if (store_models_find(c->store, a->model, &m, err)) {
            if (err && err->code != PROTO_E_NOT_FOUND)
                return -1;
            return proto_error_set(err, PROTO_E_BAD_FIELD, "model", "unknown model");
        }
    }
    a->source = proto_get_str(args, "source");
    if (a->source && *a->source && !domain_channel_valid(a->source))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "source", "unknown channel");
    const cJSON *fv = cJSON_GetObjectItemCaseSensitive(args, "first_visit");
    a->first_visit = cJSON_IsBool(fv) ? cJSON_IsTrue(fv) : -1;
    return 0;
}

/* Finds the customer by phone or creates them; records consent either way. */
static int find_or_create_customer(struct core *c, const struct checkin_args *a, int64_t now,
                                   struct store_customer *cust, struct proto_error *err)
{
    if (store_customers_find_by_phone(c->store, a->phone, cust, err) == 0)
        return store_customers_set_consent(c->store, cust->id, now, CORE_CONSENT_VERSION, err);
    if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    memset(cust, 0, sizeof *cust);
    snprintf(cust->phone, sizeof cust->phone, "%s", a->phone);
    snprintf(cust->name, sizeof cust->name, "%s", a->name ? a->name : "");
    cust->gender = a->gender;
    cust->kind = STORE_CUSTOMER_INDIVIDUAL;
    cust->consent_at = now;
    snprintf(cust->consent_version, sizeof cust->consent_version, "%s", CORE_CONSENT_VERSION);
    cust->created_at = now;
    return store_customers_add(c->store, cust, &cust->id, err);
}

/* Runs the assignment rule over the site's consultants for today. */
static int assign(struct core *c, const struct core_device *dev, int64_t now, int64_t owner_id,
                  int64_t invited_by, struct domain_checkin_out *out, struct proto_error *err)
{
    struct core_day day;
    if (core_day(c, dev->site_id, now, &day, err))
        return -1;
    struct store_consultant *sc = calloc(CORE_MAX_CONSULTANTS, sizeof *sc);
    struct domain_consultant *dc = calloc(CORE_MAX_CONSULTANTS, sizeof *dc);
    size_t n = 0;
    int rc = -1;
    if (!sc || !dc) {
        core_oom(err);
        goto out;
    }
    if (store_staff_consultants(c->store, dev->site_id, day.day, day.start, day.end, sc,
                                CORE_MAX_CONSULTANTS, &n, err))
        goto out;
    for (size_t i = 0; i < n; i++)
        dc[i] = sc[i].d;
    struct domain_checkin_in in = {
        .consultants = dc, .n = n, .owner_id = owner_id, .invited_by = invited_by, .now = now};
    domain_checkin_assign(&in, out);
    rc = 0;
out:
    free(sc);
    free(dc);
    return rc;
}

static cJSON *result_data(const cJSON *full, enum domain_assign how,
                          const struct domain_checkin_out *out)
{
    const cJSON *cust = cJSON_GetObjectItem(full, "customer");
    char name[PROTO_MAX_NAME + 32];
    core_view_customer_name(cust, name, sizeof name);
    cJSON *data = cJSON_CreateObject();
    cJSON *visit = core_view_visit(full);
    cJSON *co = cJSON_CreateObject();
    if (!data || !visit || !co || !cJSON_AddStringToObject(co, "name", name) ||
        !cJSON_AddBoolToObject(co, "new", cJSON_IsTrue(cJSON_GetObjectItem(cust, "new"))))
        goto oom;
    if (!cJSON_AddItemToObject(data, "visit", visit))
        goto oom;
    visit = NULL;
    if (!cJSON_AddItemToObject(data, "customer", co))
        goto oom;
    co = NULL;
    if (core_view_copy(data, full, "consultant") ||
        !cJSON_AddStringToObject(data, "assigned_by", domain_assign_name(how)) ||
        core_view_copy(data, full, "invited_by") ||
        !cJSON_AddNumberToObject(data, "queue_position", out->queue_position) ||
        !cJSON_AddNumberToObject(data, "estimated_wait_min", out->estimated_wait_min))
        goto oom;
    return data;
oom:
    cJSON_Delete(co);
    cJSON_Delete(visit);
    cJSON_Delete(data);
    return NULL;
}

int core_checkin_run(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct checkin_args a;
    struct store_customer cust;
    if (parse_args(c, args, &a, err) || find_or_create_customer(c, &a, now, &cust, err))
        return -1;

    int visits = 0;
    if (store_visits_count_for_customer(c->store, cust.id, &visits, err))
        return -1;
    struct store_lead lead;
    int64_t owner_id = 0, invited_by = 0;
    if (store_leads_open_for_customer(c->store, cust.id, &lead, err) == 0) {
        owner_id = lead.owner_id;
        invited_by = lead.invited_by;
    } else if (err && err->code != PROTO_E_NOT_FOUND) {
        return -1;
    }

    struct domain_checkin_out out;
    if (assign(c, dev, now, owner_id, invited_by, &out, err))
        return -1;

    struct store_visit v = {
        .site_id = dev->site_id,
        .customer_id = cust.id,
        .is_new = visits == 0,
        .consultant_id = out.consultant_id,
        .invited_by = invited_by,
        .assigned_by = out.how,
        .status = STORE_VISIT_WAITING,
        .arrived_at = now,
        .first_visit_said = a.first_visit,
        .device_id = dev->id,
    };
    snprintf(v.model_code, sizeof v.model_code, "%s", a.model ? a.model : "");
    snprintf(v.source, sizeof v.source, "%s", a.source ? a.source : "");
    int64_t visit_id = 0;
    if (store_visits_add(c->store, &v, &visit_id, err))
        return -1;
    if (out.consultant_id && store_staff_set_last_assigned(c->store, out.consultant_id, now, err))
        return -1;

    cJSON *full = NULL;
    if (store_visits_json(c->store, visit_id, &full, err))
        return -1;
    *data = result_data(full, out.how, &out);
    cJSON_Delete(full);
    if (!*data)
        return core_oom(err);
    log_info("core", "check-in: visit %lld at site %lld, %s, consultant %lld", (long long)visit_id,
             (long long)dev->site_id, domain_assign_name(out.how), (long long)out.consultant_id);
    return 0;
}

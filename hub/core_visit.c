/* Visits after check-in and appointments: a consultant starts serving, the customer departs
 * (grade after the visit, trade-in wish), telesales book appointments, the reception kiosk
 * calls staff; and the timer's part: no-shows and visits closed at closing time. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum domain_visit_status visit_status(enum store_visit_status st)
{
    int d = domain_visit_status_from_name(store_visit_status_name(st));
    return d < 0 ? DOMAIN_VISIT_WAITING : (enum domain_visit_status)d;
}

/* Staff login, the visit of args "visit_id" at the device's site, and the rules' verdict. */
static int load_visit(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      const cJSON *args, enum domain_visit_cmd cmd,
                      const struct domain_visit_args *va, struct store_visit *v, cJSON **before,
                      struct proto_error *err)
{
    *before = NULL;
    if (core_floor_login(dev, staff, domain_visit_cmd_name(cmd), err))
        return -1;
    int64_t id = proto_get_int(args, "visit_id", 0);
    if (store_visits_get(c->store, id, v, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "visit_id", "no visit %lld", (long long)id);
        return -1;
    }
    if (core_floor_same_site(dev, v->site_id, "visit_id", err))
        return -1;
    struct domain_visit_state st = {.status = visit_status(v->status),
                                    .consultant_id = v->consultant_id};
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    if (domain_visit_check(&st, &actor, cmd, va, err))
        return -1;
    return store_visits_json(c->store, v->id, before, err);
}

/* Audit of the visit and {"visit": full} as the result. Frees before. */
static int finish_visit(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, int64_t visit_id, const char *action,
                        cJSON *before, const cJSON *args, int64_t now, cJSON **data,
                        struct proto_error *err)
{
    cJSON *after = NULL;
    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    int rc = -1;
    if (store_visits_json(c->store, visit_id, &after, err) ||
        core_floor_audit(c, dev->site_id, actor, "visit", visit_id, action, before, after, args,
                         NULL, now, err))
        goto out;
    *data = core_floor_wrap("visit", after);
    after = NULL;
    rc = *data ? 0 : core_oom(err);
out:
    cJSON_Delete(before);
    cJSON_Delete(after);
    return rc;
}

int core_visit_serve(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct store_visit v;
    struct domain_visit_args va = {.now = now};
    cJSON *before = NULL;
    if (load_visit(c, dev, staff, args, DOMAIN_VISIT_SERVE, &va, &v, &before, err) ||
        store_visits_set_status(c->store, v.id, STORE_VISIT_SERVING, now, err)) {
        cJSON_Delete(before);
        return -1;
    }
    return finish_visit(c, dev, staff, v.id, "visit_serve", before, args, now, data, err);
}

/* The grade after a visit also grades the customer's open lead at the site. */
static int grade_lead(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      int64_t customer_id, char grade, int64_t now, struct proto_error *err)
{
    struct store_lead lead;
    if (store_leads_open_for_customer(c->store, customer_id, &lead, err))
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    if (lead.site_id != dev->site_id)
        return 0;
    struct domain_lead_state st;
    core_lead_state(&lead, &st);
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_args la = {.grade = grade};
    struct domain_lead_effects fx;
    cJSON *before = NULL, *data = NULL;
    if (store_leads_json(c->store, lead.id, &before, err))
        return -1;
    domain_lead_apply(&st, &actor, DOMAIN_LEAD_GRADE, &la, now, &fx);
    core_lead_state_to_row(&st, &lead);
    lead.grade_due = false;
    if (store_leads_update(c->store, &lead, now, err)) {
        cJSON_Delete(before);
        return -1;
    }
    int rc = core_lead_finish(c, dev, staff, lead.id, "visit_depart", before, NULL, NULL, now,
                              &data, err);
    cJSON_Delete(data);
    return rc;
}

int core_visit_depart(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *g = proto_get_str(args, "grade");
    int gv = g ? domain_grade_from_name(g) : -1;
    struct domain_visit_args va = {.grade = gv < 0 ? 0 : (char)gv, .now = now};
    const char *trade_in = proto_get_str(args, "trade_in");
    struct store_visit v;
    cJSON *before = NULL;
    if (load_visit(c, dev, staff, args, DOMAIN_VISIT_DEPART, &va, &v, &before, err) ||
        store_visits_depart(c->store, v.id, va.grade, trade_in ? trade_in : "", false, now, err) ||
        (va.grade && grade_lead(c, dev, staff, v.customer_id, va.grade, now, err))) {
        cJSON_Delete(before);
        return -1;
    }
    return finish_visit(c, dev, staff, v.id, "visit_depart", before, args, now, data, err);
}

/* The appointment's customer and lead: by lead id, or by phone (the customer's open lead, if
 * any, at this site). */
static int appointment_target(struct core *c, const struct core_device *dev, const cJSON *args,
                              int64_t now, struct store_appointment *a, struct store_lead *lead,
                              bool *has_lead, struct proto_error *err)
{
    *has_lead = false;
    const char *phone_in = proto_get_str(args, "phone");
    if (cJSON_GetObjectItemCaseSensitive(args, "lead_id")) {
        if (phone_in)
            return proto_error_set(err, PROTO_E_BAD_FIELD, "phone",
                                   "give a lead_id or a phone, not both");
        int64_t id = proto_get_int(args, "lead_id", 0);
        if (store_leads_get(c->store, id, lead, err)) {
            if (err && err->code == PROTO_E_NOT_FOUND)
                proto_error_set(err, PROTO_E_NOT_FOUND, "lead_id", "no lead %lld", (long long)id);
            return -1;
        }
        if (core_floor_same_site(dev, lead->site_id, "lead_id", err))
            return -1;
        a->lead_id = lead->id;
        a->customer_id = lead->customer_id;
        *has_lead = true;
        return 0;
    }
    char phone[PROTO_MAX_PHONE + 1];
    struct store_customer cust;
    if (proto_phone_normalize(phone_in ? phone_in : "", phone, sizeof phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
    if (core_floor_customer(c, phone, "", DOMAIN_GENDER_UNKNOWN, now, &cust, NULL, err))
        return -1;
    a->customer_id = cust.id;
    if (store_leads_open_for_customer(c->store, cust.id, lead, err) == 0) {
        if (lead->site_id == dev->site_id) {
            a->lead_id = lead->id;
            *has_lead = true;
        }
        return 0;
    }
    return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
}

int core_visit_appointment(struct core *c, const struct core_device *dev,
                           const struct core_staff *staff, const cJSON *args, int64_t now,
                           cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (core_floor_login(dev, staff, "appointment_create", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_visit_args va = {
        .at = proto_get_int(args, "at", 0),
        .now = now,
        .has_lead_or_phone = cJSON_GetObjectItemCaseSensitive(args, "lead_id") ||
                             cJSON_GetObjectItemCaseSensitive(args, "phone"),
    };
    if (domain_visit_check(NULL, &actor, DOMAIN_VISIT_APPOINTMENT_CREATE, &va, err))
        return -1;
    struct store_appointment a = {.site_id = dev->site_id,
                                  .telesales_id = staff->id,
                                  .at = va.at,
                                  .state = STORE_APPT_SCHEDULED,
                                  .created_at = now,
                                  .updated_at = now};
    struct store_lead lead;
    bool has_lead;
    char actor_s[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor_s, sizeof actor_s);
    if (appointment_target(c, dev, args, now, &a, &lead, &has_lead, err) ||
        store_appointments_add(c->store, &a, &a.id, err))
        return -1;
    if (has_lead && lead.invited_by != staff->id) {
        /* whoever books the visit is who invited them: notified when they arrive */
        cJSON *before = NULL, *ld = NULL;
        lead.invited_by = staff->id;
        if (store_leads_json(c->store, lead.id, &before, err) ||
            store_leads_update(c->store, &lead, now, err) ||
            core_lead_finish(c, dev, staff, lead.id, "appointment_create", before, args, NULL, now,
                             &ld, err)) {
            cJSON_Delete(before);
            return -1;
        }
        cJSON_Delete(ld);
    }
    cJSON *after = NULL;
    if (store_appointments_json(c->store, a.id, &after, err))
        return -1;
    if (core_floor_audit(c, dev->site_id, actor_s, "appointment", a.id, "appointment_create", NULL,
                         after, args, NULL, now, err)) {
        cJSON_Delete(after);
        return -1;
    }
    *data = core_floor_wrap("appointment", after);
    return *data ? 0 : core_oom(err);
}

int core_visit_call_staff(struct core *c, const struct core_device *dev,
                          const struct core_staff *staff, const cJSON *args, int64_t now,
                          cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_actor actor = {.staff_id = staff ? staff->id : 0,
                                 .role = staff ? staff->role : DOMAIN_ROLE_RECEPTION};
    struct domain_visit_args va = {.now = now};
    if (domain_visit_check(NULL, staff ? &actor : NULL, DOMAIN_VISIT_CALL_STAFF, &va, err))
        return -1;
    const char *reason = proto_get_str(args, "reason");
    char zh[PROTO_MAX_TEXT + 128], en[PROTO_MAX_TEXT + 128];
    snprintf(zh, sizeof zh, "%s 前台呼叫工作人员%s%s", dev->name, reason && *reason ? "：" : "",
             reason ? reason : "");
    snprintf(en, sizeof en, "%s: reception asks for staff%s%s", dev->name,
             reason && *reason ? ": " : "", reason ? reason : "");
    cJSON *refs = core_notify_refs("device_id", dev->id, NULL, 0);
    int n = 0;
    char actor_s[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor_s, sizeof actor_s);
    if (!refs)
        return core_oom(err);
    int rc = core_notify_role(c, dev->site_id, DOMAIN_ROLE_RECEPTION, DOMAIN_NOTIFY_STAFF_CALLED,
                              zh, en, refs, now, &n, err);
    cJSON_Delete(refs);
    cJSON *detail = rc == 0 ? cJSON_CreateObject() : NULL;
    if (rc == 0 && (!detail || !cJSON_AddNumberToObject(detail, "notified", n)))
        rc = core_oom(err);
    if (rc == 0)
        rc = core_floor_audit(c, dev->site_id, actor_s, "device", dev->id, "call_staff", NULL, NULL,
                              args, detail, now, err);
    cJSON_Delete(detail);
    if (rc)
        return -1;
    *data = cJSON_CreateObject();
    if (!*data || !cJSON_AddNumberToObject(*data, "notified", n))
        return core_oom(err);
    return 0;
}

/* ---- the timer ---- */

struct id_list {
    int64_t *v;
    size_t n, cap;
};

static int push_id(struct id_list *l, int64_t id)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        int64_t *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return -1;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return 0;
}

static int collect_appt(void *ctx, const struct store_appointment *a)
{
    return push_id(ctx, a->id);
}

static int collect_visit(void *ctx, const struct store_visit *v)
{
    return push_id(ctx, v->id);
}

static int collect_site(void *ctx, const struct store_site *site)
{
    return push_id(ctx, site->id);
}

static int no_show(struct core *c, int64_t appt_id, int grace, int64_t now, int *added,
                   struct proto_error *err)
{
    struct store_appointment a;
    struct store_customer cust;
    if (store_appointments_get(c->store, appt_id, &a, err))
        return -1;
    if (domain_appointment_state(a.at, grace, 0, now) != DOMAIN_APPT_NO_SHOW)
        return 0;
    if (store_appointments_set_state(c->store, a.id, STORE_APPT_NO_SHOW, 0, now, err) ||
        store_customers_get(c->store, a.customer_id, &cust, err))
        return -1;
    (*added)++;
    if (!a.telesales_id)
        return 0;
    char name[PROTO_MAX_NAME + 32], zh[512], en[512];
    core_floor_masked_name(&cust, name, sizeof name);
    snprintf(zh, sizeof zh, "邀约未到店：%s，请回访", name);
    snprintf(en, sizeof en, "No-show: %s did not come; please follow up", name);
    cJSON *refs = core_notify_refs("appointment_id", a.id, "lead_id", a.lead_id);
    int rc = refs ? core_notify(c, a.site_id, a.telesales_id, DOMAIN_NOTIFY_APPOINTMENT_NO_SHOW, zh,
                                en, refs, now, err)
                  : core_oom(err);
    cJSON_Delete(refs);
    return rc;
}

/* One site: appointments past their grace become no-shows; after closing time every visit
 * still open that arrived before it is closed with auto_closed. */
static int tick_site(struct core *c, int64_t site_id, int64_t now, int *added,
                     struct proto_error *err)
{
    struct store_site site;
    int grace = DOMAIN_APPT_GRACE_DEFAULT_MIN, minute = 21 * 60;
    struct id_list ids = {0};
    int rc = -1;
    if (store_sites_get(c->store, site_id, &site, err) ||
        store_settings_grace_minutes(c->store, site_id, &grace, err) ||
        store_settings_closing_minute(c->store, site_id, &minute, err) ||
        store_appointments_due(c->store, site_id, now - (int64_t)grace * 60000, collect_appt, &ids,
                               err))
        goto out;
    for (size_t i = 0; i < ids.n; i++)
        if (no_show(c, ids.v[i], grace, now, added, err))
            goto out;
    ids.n = 0;
    int64_t closing = domain_day_start(now, site.utc_offset_min) + (int64_t)minute * 60000;
    if (now >= closing) {
        if (store_visits_list(c->store, site_id, 0, closing, true, collect_visit, &ids, err))
            goto out;
        for (size_t i = 0; i < ids.n; i++) {
            if (store_visits_depart(c->store, ids.v[i], '\0', "", true, now, err))
                goto out;
            log_info("core", "visit %lld closed at closing time", (long long)ids.v[i]);
            (*added)++;
        }
    }
    rc = 0;
out:
    free(ids.v);
    return rc;
}

int core_visit_tick(struct core *c, int64_t now, struct proto_error *err)
{
    struct id_list sites = {0};
    int added = 0, rc = -1;
    if (store_sites_list(c->store, collect_site, &sites, err))
        goto out;
    for (size_t i = 0; i < sites.n; i++)
        if (tick_site(c, sites.v[i], now, &added, err))
            goto out;
    rc = added;
out:
    free(sites.v);
    return rc;
}

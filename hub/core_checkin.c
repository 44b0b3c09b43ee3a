/* The check-in command: a customer types a phone number at a reception kiosk; the hub finds
 * or creates the customer (recording consent), picks who serves them (domain rule), records
 * the visit and its event. Runs inside the command transaction of core_request.c. */
#include "core_internal.h"

#include <stdbool.h>
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

/* Finds the customer by phone or creates them (*created); records consent either way. */
static int find_or_create_customer(struct core *c, const struct checkin_args *a, int64_t now,
                                   struct store_customer *cust, bool *created,
                                   struct proto_error *err)
{
    *created = false;
    if (store_customers_find_by_phone(c->store, a->phone, cust, err) == 0)
        return store_customers_set_consent_for(c->store, cust->id, now, CORE_CONSENT_VERSION,
                                               "checkin", err);
    if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    memset(cust, 0, sizeof *cust);
    snprintf(cust->phone, sizeof cust->phone, "%s", a->phone);
    snprintf(cust->name, sizeof cust->name, "%s", a->name ? a->name : "");
    cust->gender = a->gender;
    cust->kind = STORE_CUSTOMER_INDIVIDUAL;
    cust->consent_at = now;
    snprintf(cust->consent_version, sizeof cust->consent_version, "%s", CORE_CONSENT_VERSION);
    snprintf(cust->consent_purpose, sizeof cust->consent_purpose, "checkin");
    cust->created_at = now;
    *created = true;
    return store_customers_add(c->store, cust, &cust->id, err);
}

/* Runs the assignment rule over the site's consultants for today. */
static int assign(struct core *c, const struct core_device *dev, const struct core_day *day,
                  int64_t now, int64_t owner_id, int64_t invited_by, struct domain_checkin_out *out,
                  struct proto_error *err)
{
    /* not calloc: only the n rows read are used, and zeroing the whole 45 KB cost a check-in
     * a twentieth of its instructions */
    struct store_consultant *sc = malloc(CORE_MAX_CONSULTANTS * sizeof *sc);
    struct domain_consultant *dc = malloc(CORE_MAX_CONSULTANTS * sizeof *dc);
    size_t n = 0;
    int rc = -1;
    if (!sc || !dc) {
        core_oom(err);
        goto out;
    }
    if (store_staff_consultants(c->store, dev->site_id, day->day, day->start, day->end, sc,
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

/* Counts the waiting visits for the same consultant that arrived before v. */
struct ahead {
    const struct store_visit *v;
    int count;
};

static int count_ahead(void *ctx, const struct store_visit *w)
{
    struct ahead *a = ctx;
    if (w->id != a->v->id && w->status == STORE_VISIT_WAITING &&
        w->consultant_id == a->v->consultant_id &&
        (w->arrived_at < a->v->arrived_at ||
         (w->arrived_at == a->v->arrived_at && w->id < a->v->id)))
        a->count++;
    return 0;
}

/* Where a customer already checked in today stands: their place among the visits waiting for
 * the same consultant, and the wait as check-in estimates it. */
static int standing(struct core *c, const struct core_day *day, const struct store_visit *v,
                    int64_t now, struct domain_checkin_out *out, struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    out->how = v->assigned_by;
    out->consultant_id = v->consultant_id;
    if (v->status != STORE_VISIT_WAITING || !v->consultant_id)
        return 0;
    struct store_consultant *sc = malloc(CORE_MAX_CONSULTANTS * sizeof *sc);
    size_t n = 0;
    if (!sc)
        return core_oom(err);
    struct ahead a = {.v = v};
    int rc =
        store_visits_list(c->store, v->site_id, day->start, day->end, true, count_ahead, &a, err);
    if (rc == 0)
        rc = store_staff_consultants(c->store, v->site_id, day->day, day->start, day->end, sc,
                                     CORE_MAX_CONSULTANTS, &n, err);
    if (rc == 0) {
        int64_t left = 0;
        for (size_t i = 0; i < n; i++)
            if (sc[i].d.staff_id == v->consultant_id && sc[i].d.serving) {
                int64_t used = (now - sc[i].d.serving_since) / 60000;
                left = used < DOMAIN_SERVICE_SLOT_MIN ? DOMAIN_SERVICE_SLOT_MIN - used : 0;
            }
        out->queue_position = a.count + 1;
        int64_t wait = (int64_t)DOMAIN_WAIT_PER_VISIT_MIN * a.count + left;
        out->estimated_wait_min = wait < 1 ? 1 : (int)wait;
    }
    free(sc);
    return rc;
}

/* The result for a customer already checked in today: that visit, nothing written. */
static int already_here(struct core *c, const struct core_day *day, const struct store_visit *v,
                        int64_t now, cJSON **data, struct proto_error *err)
{
    struct domain_checkin_out out;
    cJSON *full = NULL;
    if (standing(c, day, v, now, &out, err) || store_visits_json(c->store, v->id, &full, err))
        return -1;
    *data = result_data(full, v->assigned_by, &out);
    cJSON_Delete(full);
    if (!*data || !cJSON_AddBoolToObject(*data, "already_checked_in", true) ||
        !cJSON_AddArrayToObject(*data, "notified"))
        return core_oom(err);
    log_info("core", "check-in: customer %lld already here (visit %lld)", (long long)v->customer_id,
             (long long)v->id);
    return 0;
}

/* Who is told of the arrival, each person once: the inviter, the lead's owner, the assigned
 * consultant (DOMAIN.md "Visits and reception"). */
struct told {
    int64_t id[3];
    enum domain_notify kind[3];
    int n;
};

static void tell(struct told *t, int64_t id, enum domain_notify kind)
{
    if (!id)
        return;
    for (int i = 0; i < t->n; i++)
        if (t->id[i] == id)
            return;
    t->id[t->n] = id;
    t->kind[t->n++] = kind;
}

/* cons, inviter: the rows of the assigned consultant and of the inviter, read for the visit
 * (zeroed when none). */
static int notify_arrival(struct core *c, const struct core_device *dev,
                          const struct store_customer *cust, int64_t visit_id, int64_t lead_id,
                          const struct domain_checkin_out *out, const struct store_staff *cons,
                          const struct store_staff *inviter, const struct told *t, int64_t now,
                          cJSON *list, struct proto_error *err)
{
    char name[PROTO_MAX_NAME + 32], zh[384], en[384];
    core_floor_masked_name(cust, name, sizeof name);
    cJSON *refs = core_notify_refs("visit_id", visit_id, "lead_id", lead_id);
    if (!refs)
        return core_oom(err);
    int rc = -1;
    for (int i = 0; i < t->n; i++) {
        switch (t->kind[i]) {
        case DOMAIN_NOTIFY_INVITED_CUSTOMER_ARRIVED:
            snprintf(zh, sizeof zh, "您邀约的客户%s已到店%s%s", name,
                     cons->name[0] ? "，接待：" : "", cons->name);
            snprintf(en, sizeof en, "Your invited customer %s has arrived%s%s", name,
                     cons->name[0] ? "; served by " : "", cons->name);
            break;
        case DOMAIN_NOTIFY_OWNED_CUSTOMER_ARRIVED:
            snprintf(zh, sizeof zh, "您的客户%s已到店%s%s", name, cons->name[0] ? "，接待：" : "",
                     cons->name);
            snprintf(en, sizeof en, "Your customer %s has arrived%s%s", name,
                     cons->name[0] ? "; served by " : "", cons->name);
            break;
        default:
            snprintf(zh, sizeof zh, "%s到店，请到前台接待（排队第%d位）", name,
                     out->queue_position);
            /* a customer who gave no name is masked as 顾客: say so in English */
            snprintf(en, sizeof en, "%s%s is at reception for you (queue %d)",
                     cust->name[0] ? "Customer " : "A customer", cust->name[0] ? name : "",
                     out->queue_position);
            break;
        }
        /* the lead's owner is the only one not read yet */
        struct store_staff owner;
        const struct store_staff *st = t->id[i] == cons->id      ? cons
                                       : t->id[i] == inviter->id ? inviter
                                                                 : &owner;
        if ((st == &owner && store_staff_get(c->store, t->id[i], &owner, err)) ||
            core_notify_staff(c, dev->site_id, st, t->kind[i], zh, en, refs, now, err))
            goto out;
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            core_oom(err);
            goto out;
        }
        if (!cJSON_AddNumberToObject(o, "id", (double)st->id) ||
            !cJSON_AddStringToObject(o, "name", st->name) ||
            !cJSON_AddStringToObject(o, "reason", domain_notify_name(t->kind[i]))) {
            core_oom(err);
            goto out;
        }
    }
    rc = 0;
out:
    cJSON_Delete(refs);
    return rc;
}

/* The customer's open lead at this site (0 when none) and its owner's role. */
static int site_lead(struct core *c, int64_t site_id, int64_t customer_id, struct store_lead *lead,
                     enum domain_role *owner_role, struct proto_error *err)
{
    memset(lead, 0, sizeof *lead);
    *owner_role = DOMAIN_ROLE_CONSULTANT;
    if (store_leads_open_for_customer(c->store, customer_id, lead, err)) {
        memset(lead, 0, sizeof *lead);
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    }
    if (lead->site_id != site_id) {
        memset(lead, 0, sizeof *lead);
        return 0;
    }
    struct store_staff owner;
    if (lead->owner_id) {
        if (store_staff_get(c->store, lead->owner_id, &owner, err))
            return -1;
        *owner_role = owner.role;
    }
    return 0;
}

/* A booked appointment of the customer whose window contains now; *appt.id 0 when none. */
static int find_appointment(struct core *c, int64_t site_id, int64_t customer_id, int64_t now,
                            struct store_appointment *appt, struct proto_error *err)
{
    int grace = DOMAIN_APPT_GRACE_DEFAULT_MIN;
    memset(appt, 0, sizeof *appt);
    if (store_settings_grace_minutes(c->store, site_id, &grace, err))
        return -1;
    /* at in [now - grace, now + early]: domain_appointment_in_window decides the edges */
    int64_t from = now - (int64_t)grace * 60000,
            to = now + (int64_t)DOMAIN_APPT_EARLY_MIN * 60000 + 1;
    if (store_appointments_for_checkin(c->store, site_id, customer_id, from, to, now, appt, err)) {
        memset(appt, 0, sizeof *appt);
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    }
    if (!domain_appointment_in_window(appt->at, grace, now))
        memset(appt, 0, sizeof *appt);
    return 0;
}

int core_checkin_run(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct checkin_args a;
    struct store_customer cust;
    struct core_day day;
    bool created = false;
    if (parse_args(c, args, &a, err) || find_or_create_customer(c, &a, now, &cust, &created, err) ||
        core_day(c, dev->site_id, now, &day, err))
        return -1;
    int visits = 0;
    struct store_lead lead = {0};
    enum domain_role owner_role = DOMAIN_ROLE_CONSULTANT;
    struct store_appointment appt = {0};
    /* A customer created just now has no visit, lead or appointment to look up: rows that name
     * a customer can only name one that exists (foreign keys). */
    if (!created) {
        struct store_visit open;
        if (store_visits_open_for_customer(c->store, dev->site_id, cust.id, day.start, day.end,
                                           &open, err) == 0)
            return already_here(c, &day, &open, now, data, err);
        if (err && err->code != PROTO_E_NOT_FOUND)
            return -1;
        if (store_visits_count_for_customer(c->store, cust.id, &visits, err) ||
            site_lead(c, dev->site_id, cust.id, &lead, &owner_role, err) ||
            find_appointment(c, dev->site_id, cust.id, now, &appt, err))
            return -1;
    }
    int64_t owner_id = owner_role == DOMAIN_ROLE_CONSULTANT ? lead.owner_id : 0;
    int64_t invited_by = appt.id ? appt.telesales_id : lead.invited_by;

    struct domain_checkin_out out;
    if (assign(c, dev, &day, now, owner_id, invited_by, &out, err))
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
        .appointment_id = appt.id,
    };
    snprintf(v.model_code, sizeof v.model_code, "%s", a.model ? a.model : "");
    snprintf(v.source, sizeof v.source, "%s", a.source ? a.source : "");
    int64_t visit_id = 0;
    /* the names the visit shows, read once: the consultant's row serves the notices too */
    struct store_staff cons = {0}, inviter = {0};
    if ((out.consultant_id && store_staff_get(c->store, out.consultant_id, &cons, err)) ||
        (invited_by && store_staff_get(c->store, invited_by, &inviter, err)))
        return -1;
    const struct store_visit_names names = {&cust, cons.name, inviter.name};
    /* the visit as its event shows it: nothing below changes a column of it (staff, the
     * appointment, the lead and a conflict are other rows), so it is the result's too */
    cJSON *full = NULL;
    if (store_visits_add_full(c->store, &v, &names, &visit_id, &full, err))
        return -1;
    int rc = -1;
    if (out.consultant_id && store_staff_set_last_assigned(c->store, out.consultant_id, now, err))
        goto out;
    if (appt.id &&
        store_appointments_set_state(c->store, appt.id, STORE_APPT_SHOWN, visit_id, now, err))
        goto out;
    /* telesales hand the customer over when they visit: the serving consultant owns the lead */
    if (lead.id && !lead.owner_id && out.consultant_id &&
        store_leads_assign(c->store, lead.id, out.consultant_id, 0, "visit",
                           domain_lead_first_callback_due(now), now, NULL, err))
        goto out;
    if (lead.id && domain_conflict_detect(lead.owner_id, owner_role, out.consultant_id) &&
        core_conflict_open(c, dev, staff, &lead, out.consultant_id, visit_id, 0, now, NULL, err))
        goto out;

    struct told t = {0};
    tell(&t, invited_by, DOMAIN_NOTIFY_INVITED_CUSTOMER_ARRIVED);
    tell(&t, owner_id, DOMAIN_NOTIFY_OWNED_CUSTOMER_ARRIVED);
    tell(&t, out.consultant_id, DOMAIN_NOTIFY_CUSTOMER_ARRIVED);

    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    *data = result_data(full, out.how, &out);
    cJSON *told = *data ? cJSON_AddArrayToObject(*data, "notified") : NULL;
    if (!told || !cJSON_AddBoolToObject(*data, "already_checked_in", false)) {
        core_oom(err);
        goto out;
    }
    if (notify_arrival(c, dev, &cust, visit_id, lead.id, &out, &cons, &inviter, &t, now, told,
                       err) ||
        core_floor_audit(c, dev->site_id, actor, "visit", visit_id, "checkin", NULL, full, NULL,
                         NULL, now, err))
        goto out;
    rc = 0;
    log_info("core", "check-in: visit %lld at site %lld, %s, consultant %lld", (long long)visit_id,
             (long long)dev->site_id, domain_assign_name(out.how), (long long)out.consultant_id);
out:
    cJSON_Delete(full);
    if (rc) {
        cJSON_Delete(*data);
        *data = NULL;
    }
    return rc;
}

/* The path a check-in would take, worked out as core_checkin_run does but writing nothing:
 * "invited" (an appointment in its window, or a lead with an inviter), "owner" (a consultant
 * owns the customer's open lead here), "returning" (visited before), else "new". The answer
 * names no one: the kiosk only learns which screens to show. */
static int lookup_path(struct core *c, const struct core_device *dev, const char *phone,
                       int64_t now, const char **path, bool *here, struct proto_error *err)
{
    struct store_customer cust;
    struct core_day day;
    *path = "new";
    *here = false;
    if (store_customers_find_by_phone(c->store, phone, &cust, err))
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    struct store_visit open;
    if (core_day(c, dev->site_id, now, &day, err))
        return -1;
    if (store_visits_open_for_customer(c->store, dev->site_id, cust.id, day.start, day.end, &open,
                                       err) == 0)
        *here = true;
    else if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    int visits = 0;
    struct store_lead lead;
    enum domain_role owner_role;
    struct store_appointment appt;
    if (store_visits_count_for_customer(c->store, cust.id, &visits, err) ||
        site_lead(c, dev->site_id, cust.id, &lead, &owner_role, err) ||
        find_appointment(c, dev->site_id, cust.id, now, &appt, err))
        return -1;
    if (appt.id || lead.invited_by)
        *path = "invited";
    else if (lead.owner_id && owner_role == DOMAIN_ROLE_CONSULTANT)
        *path = "owner";
    else if (visits > 0)
        *path = "returning";
    return 0;
}

int core_checkin_lookup(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err)
{
    (void)staff;
    *data = NULL;
    char phone[PROTO_MAX_PHONE + 1];
    const char *typed = proto_get_str(args, "phone");
    if (proto_phone_normalize(typed ? typed : "", phone, sizeof phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
    const char *path = "new";
    bool here = false;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = lookup_path(c, dev, phone, now, &path, &here, err);
    store_rollback(c->store); /* a read: nothing to commit */
    if (rc)
        return -1;
    *data = cJSON_CreateObject();
    if (!*data || !cJSON_AddStringToObject(*data, "path", path) ||
        !cJSON_AddBoolToObject(*data, "already_checked_in", here)) {
        cJSON_Delete(*data);
        *data = NULL;
        return core_oom(err);
    }
    return 0;
}

/* Leads in the hub core: creating a lead (validated, deduplicated by phone, assigned by the
 * rule), a supervisor's reassignment, and the order-create hook (conflict, conversion). The
 * rules are domain_lead_*; the rows are store_leads_*. hub/RECEPTION.md has the flows. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum domain_lead_status status_of(enum store_lead_status st)
{
    int d = domain_lead_status_from_name(store_lead_status_name(st));
    return d < 0 ? DOMAIN_LEAD_OPEN : (enum domain_lead_status)d;
}

static enum store_lead_status store_status_of(enum domain_lead_status st)
{
    int s = store_lead_status_from_name(domain_lead_status_name(st));
    return s < 0 ? STORE_LEAD_OPEN : (enum store_lead_status)s;
}

void core_lead_state(const struct store_lead *l, struct domain_lead_state *st)
{
    memset(st, 0, sizeof *st);
    st->status = status_of(l->status);
    int r = domain_lead_invalid_from_name(l->invalid_reason);
    st->invalid_reason = r < 0 ? DOMAIN_LEAD_INVALID_NONE : (enum domain_lead_invalid)r;
    if (st->status == DOMAIN_LEAD_INVALID && st->invalid_reason == DOMAIN_LEAD_INVALID_NONE)
        st->invalid_reason = DOMAIN_LEAD_INVALID_OTHER;
    st->grade = domain_grade_valid(l->grade) ? l->grade : 0;
    st->owner_id = l->owner_id;
    st->telesales_id = l->telesales_id;
    st->assigned_at = l->assigned_at;
    st->first_callback_due_at = l->first_callback_due_at;
    st->next_due_at = l->next_due_at;
    st->last_followup_at = l->last_followup_at;
    st->graded_at = l->graded_at;
    st->created_at = l->created_at;
}

void core_lead_state_to_row(const struct domain_lead_state *st, struct store_lead *l)
{
    l->status = store_status_of(st->status);
    l->flagged_invalid = st->status == DOMAIN_LEAD_INVALID;
    const char *reason = st->invalid_reason == DOMAIN_LEAD_INVALID_NONE
                             ? ""
                             : domain_lead_invalid_name(st->invalid_reason);
    if (st->status == DOMAIN_LEAD_INVALID || !l->invalid_reason[0])
        snprintf(l->invalid_reason, sizeof l->invalid_reason, "%s", reason ? reason : "");
    l->grade = st->grade;
    l->owner_id = st->owner_id;
    l->telesales_id = st->telesales_id;
    l->assigned_at = st->assigned_at;
    l->first_callback_due_at = st->first_callback_due_at;
    l->next_due_at = st->next_due_at;
    l->last_followup_at = st->last_followup_at;
    l->graded_at = st->graded_at;
}

int core_lead_load(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                   const cJSON *args, const char *what, struct store_lead *lead,
                   struct domain_lead_state *st, cJSON **full, struct proto_error *err)
{
    if (full)
        *full = NULL;
    if (core_floor_login(dev, staff, what, err))
        return -1;
    int64_t id = proto_get_int(args, "lead_id", 0);
    if (store_leads_get(c->store, id, lead, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "lead_id", "no lead %lld", (long long)id);
        return -1;
    }
    if (core_floor_same_site(dev, lead->site_id, "lead_id", err))
        return -1;
    core_lead_state(lead, st);
    if (full && store_leads_json(c->store, lead->id, full, err))
        return -1;
    return 0;
}

int core_lead_finish(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     int64_t lead_id, const char *action, cJSON *before, const cJSON *args,
                     const cJSON *detail, int64_t now, cJSON **data, struct proto_error *err)
{
    cJSON *after = NULL;
    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    int rc = -1;
    if (store_leads_json(c->store, lead_id, &after, err) ||
        core_floor_audit(c, dev->site_id, actor, "lead", lead_id, action, before, after, args,
                         detail, now, err))
        goto out;
    if (!(*data = core_floor_wrap("lead", after))) {
        after = NULL;
        core_oom(err);
        goto out;
    }
    after = NULL;
    rc = 0;
out:
    cJSON_Delete(after);
    cJSON_Delete(before);
    return rc;
}

int core_lead_pick(struct core *c, int64_t site_id, enum domain_role role, const char *region,
                   const char *model, int64_t *chosen, struct proto_error *err)
{
    *chosen = 0;
    struct store_lead_candidate *sc = calloc(CORE_FLOOR_MAX_STAFF, sizeof *sc);
    struct domain_assignee *dc = calloc(CORE_FLOOR_MAX_STAFF, sizeof *dc);
    size_t n = 0;
    int rc = -1;
    if (!sc || !dc) {
        core_oom(err);
        goto out;
    }
    if (store_staff_candidates(c->store, site_id, role, sc, CORE_FLOOR_MAX_STAFF, &n, err))
        goto out;
    for (size_t i = 0; i < n; i++)
        dc[i] = (struct domain_assignee){.staff_id = sc[i].staff_id,
                                         .region = sc[i].region,
                                         .models = sc[i].models,
                                         .workload = sc[i].open_leads,
                                         .ability = sc[i].ability};
    if (n > 0)
        domain_lead_assign(dc, n, region, model, chosen);
    rc = 0;
out:
    free(sc);
    free(dc);
    return rc;
}

/* Tells the new holder of a lead, unless they gave it to themselves. */
static int notify_assigned(struct core *c, const struct core_staff *by, int64_t site_id,
                           const struct store_lead *lead, int64_t to, int64_t now,
                           struct proto_error *err)
{
    if (!to || (by && by->id == to))
        return 0;
    struct store_customer cust;
    if (store_customers_get(c->store, lead->customer_id, &cust, err))
        return -1;
    char name[PROTO_MAX_NAME + 32], zh[512], en[512];
    core_floor_masked_name(&cust, name, sizeof name);
    snprintf(zh, sizeof zh, "新线索分配给您：%s（%s），请在24小时内首次回访", name,
             lead->model_code[0] ? lead->model_code : "未定车型");
    snprintf(en, sizeof en, "Lead assigned to you: %s (%s); first callback within 24 h", name,
             lead->model_code[0] ? lead->model_code : "no model yet");
    cJSON *refs = core_notify_refs("lead_id", lead->id, NULL, 0);
    int rc = refs ? core_notify(c, site_id, to, DOMAIN_NOTIFY_LEAD_ASSIGNED, zh, en, refs, now, err)
                  : core_oom(err);
    cJSON_Delete(refs);
    return rc;
}

/* The create args that are the hub's to judge: the channel and a model code must be known. */
static int create_codes(struct core *c, const cJSON *args, struct proto_error *err)
{
    const char *channel = proto_get_str(args, "channel");
    if (!domain_channel_valid(channel))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "channel", "unknown channel \"%s\"",
                               channel);
    const char *model = proto_get_str(args, "model");
    if (model && *model) {
        struct store_model m;
        if (store_models_find(c->store, model, &m, err)) {
            if (err && err->code != PROTO_E_NOT_FOUND)
                return -1;
            return proto_error_set(err, PROTO_E_BAD_FIELD, "model", "unknown model %s", model);
        }
    }
    return 0;
}

/* The lead row of a new inquiry (not yet stored). */
static void inquiry_row(const cJSON *args, const struct domain_lead_verdict *v, int64_t site_id,
                        int64_t customer_id, int64_t created_at, struct store_lead *l)
{
    const char *s;
    memset(l, 0, sizeof *l);
    l->site_id = site_id;
    l->customer_id = customer_id;
    snprintf(l->channel, sizeof l->channel, "%s", proto_get_str(args, "channel"));
    if ((s = proto_get_str(args, "model")))
        snprintf(l->model_code, sizeof l->model_code, "%s", s);
    l->budget_fen = proto_get_int(args, "budget_fen", 0);
    if ((s = proto_get_str(args, "name")))
        snprintf(l->name, sizeof l->name, "%s", s);
    if ((s = proto_get_str(args, "region")))
        snprintf(l->region, sizeof l->region, "%s", s);
    if ((s = proto_get_str(args, "external_ref")))
        snprintf(l->external_ref, sizeof l->external_ref, "%s", s);
    /* the store keeps a grade on every lead: a fresh inquiry counts as B (within three
     * months) until a person grades it (graded_at stays 0, so the grade-due rule applies) */
    l->grade = 'B';
    l->created_at = created_at;
    l->updated_at = created_at;
    l->status = v->reason == DOMAIN_LEAD_INVALID_NONE ? STORE_LEAD_OPEN : STORE_LEAD_INVALID;
    l->flagged_invalid = l->status == STORE_LEAD_INVALID;
    if (v->reason != DOMAIN_LEAD_INVALID_NONE)
        snprintf(l->invalid_reason, sizeof l->invalid_reason, "%s",
                 domain_lead_invalid_name(v->reason));
}

/* {"lead": full, "merged": true} for an inquiry already known (same external_ref). */
static int known_ref(struct core *c, int64_t lead_id, cJSON **data, struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_leads_json(c->store, lead_id, &full, err))
        return -1;
    if (!(*data = core_floor_wrap("lead", full)) || !cJSON_AddBoolToObject(*data, "merged", true))
        return core_oom(err);
    return 0;
}

/* A new lead: stored, then given to its holder (the creator when telesales or a consultant,
 * else a telesales person by the rule). An invalid lead waits for marketing unassigned. */
static int create_new(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      struct store_lead *l, int64_t now, struct proto_error *err)
{
    if (store_leads_add(c->store, l, &l->id, err))
        return -1;
    if (l->status != STORE_LEAD_OPEN)
        return 0;
    int64_t to = 0;
    if (staff->role == DOMAIN_ROLE_TELESALES || staff->role == DOMAIN_ROLE_CONSULTANT)
        to = staff->id;
    else if (core_lead_pick(c, dev->site_id, DOMAIN_ROLE_TELESALES, l->region, l->model_code, &to,
                            err))
        return -1;
    if (!to)
        return 0; /* no telesales at the site: the lead waits for a supervisor */
    if (store_leads_assign(c->store, l->id, to, to == staff->id ? staff->id : 0, "new lead",
                           domain_lead_first_callback_due(now), now, NULL, err))
        return -1;
    return notify_assigned(c, staff, dev->site_id, l, to, now, err);
}

int core_lead_create(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (core_floor_login(dev, staff, "lead_create", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_args la = {0};
    if (domain_lead_check(NULL, &actor, DOMAIN_LEAD_CREATE, &la, err) || create_codes(c, args, err))
        return -1;
    struct domain_lead_input in = {
        .name = proto_get_str(args, "name"),
        .phone = proto_get_str(args, "phone"),
        .model = proto_get_str(args, "model"),
        .budget_fen = proto_get_int(args, "budget_fen", 0),
        .channel = proto_get_str(args, "channel"),
        .region = proto_get_str(args, "region"),
        .external_ref = proto_get_str(args, "external_ref"),
    };
    struct domain_lead_verdict v;
    if (domain_lead_validate(&in, &v, err))
        return -1;
    int64_t created_at = proto_get_int(args, "created_at", now);
    if (created_at > now)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "created_at", "created_at is in the future");

    struct store_lead known;
    if (in.external_ref && *in.external_ref) {
        if (store_leads_find_by_ref(c->store, dev->site_id, in.external_ref, &known, err) == 0)
            return known_ref(c, known.id, data, err); /* imported before: nothing twice */
        if (err && err->code != PROTO_E_NOT_FOUND)
            return -1;
    }
    const char *g = proto_get_str(args, "gender");
    int gi = g ? domain_gender_from_name(g) : (int)DOMAIN_GENDER_UNKNOWN;
    struct store_customer cust;
    if (core_floor_customer(c, v.phone, in.name, gi < 0 ? DOMAIN_GENDER_UNKNOWN : gi, now, &cust,
                            NULL, err))
        return -1;

    struct store_lead l;
    inquiry_row(args, &v, dev->site_id, cust.id, created_at, &l);
    cJSON *before = NULL;
    bool merged = false;
    bool found = store_leads_open_for_customer(c->store, cust.id, &known, err) == 0;
    if (!found && err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    if (found && known.site_id == dev->site_id) {
        /* the same customer asking again: one lead, the earliest time, one more source */
        if (store_leads_json(c->store, known.id, &before, err) ||
            store_leads_merge(c->store, known.id, &l, now, NULL, err)) {
            cJSON_Delete(before);
            return -1;
        }
        l.id = known.id;
        merged = true;
    } else if (create_new(c, dev, staff, &l, now, err)) {
        return -1;
    }
    if (core_lead_finish(c, dev, staff, l.id, "lead_create", before, args, NULL, now, data, err))
        return -1;
    if (!cJSON_AddBoolToObject(*data, "merged", merged))
        return core_oom(err);
    log_info("core", "lead %lld %s by %s", (long long)l.id, merged ? "merged" : "created",
             staff->staff_no);
    return 0;
}

int core_lead_assign(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct store_lead lead;
    struct domain_lead_state st;
    cJSON *before = NULL;
    if (core_lead_load(c, dev, staff, args, "lead_assign", &lead, &st, &before, err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    const char *staff_no = proto_get_str(args, "staff_no");
    const char *role_name = proto_get_str(args, "role");
    const char *reason = proto_get_str(args, "reason");
    struct domain_lead_args la = {.has_reason = reason && *reason};
    if (staff_no) {
        struct store_staff to;
        if (store_staff_find(c->store, staff_no, &to, err)) {
            if (err && err->code == PROTO_E_NOT_FOUND)
                proto_error_set(err, PROTO_E_BAD_FIELD, "staff_no", "no staff %s", staff_no);
            goto fail;
        }
        la.to_staff_id = to.id;
        la.to_role = to.role;
        la.to_active = to.active && to.site_id == lead.site_id;
    } else {
        int r = role_name ? domain_role_from_name(role_name) : (int)DOMAIN_ROLE_CONSULTANT;
        la.to_role = r < 0 ? DOMAIN_ROLE_CONSULTANT : (enum domain_role)r;
        if (core_lead_pick(c, lead.site_id, la.to_role, lead.region, lead.model_code,
                           &la.to_staff_id, err))
            goto fail;
        if (!la.to_staff_id) {
            proto_error_set(err, PROTO_E_BAD_FIELD, "staff_no", "no active %s at this site",
                            domain_role_name(la.to_role));
            goto fail;
        }
        la.to_active = true;
    }
    if (domain_lead_check(&st, &actor, DOMAIN_LEAD_ASSIGN, &la, err))
        goto fail;
    int64_t from = domain_lead_owner(&st);
    if (store_leads_assign(c->store, lead.id, la.to_staff_id, staff->id, reason ? reason : "",
                           domain_lead_first_callback_due(now), now, NULL, err) ||
        notify_assigned(c, staff, lead.site_id, &lead, la.to_staff_id, now, err))
        goto fail;
    cJSON *detail = cJSON_CreateObject();
    if (!detail || !cJSON_AddNumberToObject(detail, "from", (double)from) ||
        !cJSON_AddNumberToObject(detail, "to", (double)la.to_staff_id)) {
        cJSON_Delete(detail);
        core_oom(err);
        goto fail;
    }
    int rc = core_lead_finish(c, dev, staff, lead.id, "lead_assign", before, args, detail, now,
                              data, err);
    before = NULL;
    if (rc == 0) {
        cJSON *a = cJSON_AddObjectToObject(*data, "assignment");
        if (!a || core_floor_add_staff(c, a, "from", from) ||
            core_floor_add_staff(c, a, "to", la.to_staff_id) ||
            !cJSON_AddStringToObject(a, "reason", reason ? reason : "") ||
            !cJSON_AddNumberToObject(a, "at", (double)now))
            rc = core_oom(err);
    }
    cJSON_Delete(detail);
    return rc;
fail:
    cJSON_Delete(before);
    return -1;
}

int core_lead_on_order(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, int64_t customer_id, int64_t order_id,
                       int64_t now, struct proto_error *err)
{
    struct store_lead lead;
    if (store_leads_open_for_customer(c->store, customer_id, &lead, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            return 0; /* no lead: a walk-in who ordered at once */
        return -1;
    }
    if (lead.site_id != dev->site_id)
        return 0; /* another site's lead is theirs to convert */
    struct domain_lead_state st;
    core_lead_state(&lead, &st);
    if (!domain_lead_converts(&st))
        return 0;
    enum domain_role owner_role = DOMAIN_ROLE_CONSULTANT;
    if (lead.owner_id) {
        struct store_staff owner;
        if (store_staff_get(c->store, lead.owner_id, &owner, err))
            return -1;
        owner_role = owner.role;
    }
    if (domain_conflict_detect(lead.owner_id, owner_role, staff->id) &&
        core_conflict_open(c, dev, staff, &lead, staff->id, 0, order_id, now, NULL, err))
        return -1;
    cJSON *before = NULL, *data = NULL, *detail = cJSON_CreateObject();
    if (!detail || !cJSON_AddNumberToObject(detail, "order_id", (double)order_id)) {
        cJSON_Delete(detail);
        return core_oom(err);
    }
    int rc = -1;
    if (store_leads_json(c->store, lead.id, &before, err) ||
        store_leads_convert(c->store, lead.id, order_id, now, err))
        goto out;
    rc = core_lead_finish(c, dev, staff, lead.id, "order_create", before, NULL, detail, now, &data,
                          err);
    before = NULL;
    if (rc == 0)
        log_info("core", "lead %lld converted by order %lld", (long long)lead.id,
                 (long long)order_id);
out:
    cJSON_Delete(before);
    cJSON_Delete(data);
    cJSON_Delete(detail);
    return rc;
}

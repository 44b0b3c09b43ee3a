/* Conflicts (撞单) in the hub core: opened by check-in or order create when the customer's lead
 * belongs to another consultant (the serving one goes on), ruled once by a supervisor (the
 * lead moves to the winner), listed, and reported once by the timer when not ruled in 24 h. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Follow-ups of the lead per claimant: how many and the latest. */
struct tally {
    int64_t staff_id;
    int count;
    int64_t last_at;
};

static int count_followup(void *ctx, const struct store_lead_followup *f)
{
    struct tally *t = ctx;
    for (int i = 0; i < 2; i++)
        if (t[i].staff_id == f->staff_id) {
            t[i].count++;
            if (f->at > t[i].last_at)
                t[i].last_at = f->at;
        }
    return 0;
}

static int add_claimant(cJSON *list, const struct tally *t, const char *role,
                        int64_t lead_created_at)
{
    cJSON *o = cJSON_CreateObject(), *ev = NULL;
    if (!o || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    if (!cJSON_AddNumberToObject(o, "staff_id", (double)t->staff_id) ||
        !cJSON_AddStringToObject(o, "role", role) || !(ev = cJSON_AddObjectToObject(o, "evidence")))
        return -1;
    if ((lead_created_at ? !cJSON_AddNumberToObject(ev, "lead_created_at", (double)lead_created_at)
                         : !cJSON_AddNullToObject(ev, "lead_created_at")) ||
        !cJSON_AddNumberToObject(ev, "followups", t->count) ||
        (t->last_at ? !cJSON_AddNumberToObject(ev, "last_followup_at", (double)t->last_at)
                    : !cJSON_AddNullToObject(ev, "last_followup_at")))
        return -1;
    return 0;
}

/* The full conflict plus "due_at" (the ruling's 24 h). Caller frees; NULL with *err. */
static cJSON *conflict_full(struct core *c, int64_t id, struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_conflicts_json(c->store, id, &full, err))
        return NULL;
    const cJSON *opened = cJSON_GetObjectItem(full, "opened_at");
    int64_t at = cJSON_IsNumber(opened) ? (int64_t)opened->valuedouble : 0;
    if (!cJSON_AddNumberToObject(full, "due_at", (double)domain_conflict_due(at))) {
        cJSON_Delete(full);
        core_oom(err);
        return NULL;
    }
    return full;
}

static int notify_supervisors(struct core *c, int64_t site_id, int64_t conflict_id,
                              const struct store_lead *lead, enum domain_notify kind, int64_t now,
                              struct proto_error *err)
{
    struct store_customer cust;
    char name[PROTO_MAX_NAME + 32], zh[512], en[512];
    if (store_customers_get(c->store, lead->customer_id, &cust, err))
        return -1;
    core_floor_masked_name(&cust, name, sizeof name);
    if (kind == DOMAIN_NOTIFY_CONFLICT_OPENED) {
        snprintf(zh, sizeof zh, "撞单待裁定：%s，请在24小时内裁定", name);
        snprintf(en, sizeof en, "Conflict over %s: rule within 24 h", name);
    } else {
        snprintf(zh, sizeof zh, "撞单已超过24小时未裁定：%s", name);
        snprintf(en, sizeof en, "Conflict over %s not ruled within 24 h", name);
    }
    cJSON *refs = core_notify_refs("conflict_id", conflict_id, "lead_id", lead->id);
    if (!refs)
        return core_oom(err);
    int rc =
        core_notify_role(c, site_id, DOMAIN_ROLE_SUPERVISOR, kind, zh, en, refs, now, NULL, err);
    cJSON_Delete(refs);
    return rc;
}

int core_conflict_open(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const struct store_lead *lead,
                       int64_t serving_id, int64_t visit_id, int64_t order_id, int64_t now,
                       bool *opened, struct proto_error *err)
{
    if (opened)
        *opened = false;
    struct store_conflict cf;
    if (store_conflicts_open_for_lead(c->store, lead->id, &cf, err) == 0)
        return 0; /* one case per lead: the supervisor already has it */
    if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    struct tally t[2] = {{.staff_id = lead->owner_id}, {.staff_id = serving_id}};
    if (store_leads_followups(c->store, lead->id, count_followup, t, err))
        return -1;
    cJSON *claimants = cJSON_CreateArray();
    char *text = NULL;
    int rc = -1;
    if (!claimants || add_claimant(claimants, &t[0], "owner", lead->created_at) ||
        add_claimant(claimants, &t[1], "serving", 0) ||
        !(text = cJSON_PrintUnformatted(claimants)) || strlen(text) > STORE_JSON_SMALL_MAX) {
        core_oom(err);
        goto out;
    }
    memset(&cf, 0, sizeof cf);
    cf.site_id = lead->site_id;
    cf.customer_id = lead->customer_id;
    cf.lead_id = lead->id;
    snprintf(cf.claimants, sizeof cf.claimants, "%s", text);
    cf.state = STORE_CONFLICT_OPEN;
    cf.opened_at = now;
    if (store_conflicts_add(c->store, &cf, &cf.id, err) ||
        notify_supervisors(c, lead->site_id, cf.id, lead, DOMAIN_NOTIFY_CONFLICT_OPENED, now, err))
        goto out;
    cJSON *after = conflict_full(c, cf.id, err);
    cJSON *detail = core_notify_refs("visit_id", visit_id, "order_id", order_id);
    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    rc = after && detail ? core_floor_audit(c, lead->site_id, actor, "conflict", cf.id,
                                            "conflict_open", NULL, after, NULL, detail, now, err)
                         : (after ? core_oom(err) : -1);
    cJSON_Delete(after);
    cJSON_Delete(detail);
    if (rc == 0) {
        if (opened)
            *opened = true;
        log_info("core", "conflict %lld opened over lead %lld (%lld vs %lld)", (long long)cf.id,
                 (long long)lead->id, (long long)lead->owner_id, (long long)serving_id);
    }
out:
    cJSON_free(text);
    cJSON_Delete(claimants);
    return rc;
}

/* The claimants' staff ids from the stored JSON array (at most cap). */
static size_t claimant_ids(const struct store_conflict *cf, int64_t *ids, size_t cap)
{
    cJSON *arr = cJSON_Parse(cf->claimants);
    size_t n = 0;
    for (const cJSON *x = arr ? arr->child : NULL; x && n < cap; x = x->next) {
        const cJSON *id = cJSON_GetObjectItem(x, "staff_id");
        if (cJSON_IsNumber(id))
            ids[n++] = (int64_t)id->valuedouble;
    }
    cJSON_Delete(arr);
    return n;
}

/* Every claimant hears the ruling. */
static int notify_ruled(struct core *c, const struct store_conflict *cf,
                        const struct store_lead *lead, const struct store_staff *winner,
                        int64_t now, struct proto_error *err)
{
    struct store_customer cust;
    char name[PROTO_MAX_NAME + 32], zh[512], en[512];
    if (store_customers_get(c->store, lead->customer_id, &cust, err))
        return -1;
    core_floor_masked_name(&cust, name, sizeof name);
    snprintf(zh, sizeof zh, "撞单已裁定：%s归属%s", name, winner->name);
    snprintf(en, sizeof en, "Conflict over %s ruled: the customer is %s's", name, winner->name);
    cJSON *refs = core_notify_refs("conflict_id", cf->id, "lead_id", lead->id);
    if (!refs)
        return core_oom(err);
    int64_t ids[8];
    size_t n = claimant_ids(cf, ids, 8);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = core_notify(c, cf->site_id, ids[i], DOMAIN_NOTIFY_CONFLICT_RULED, zh, en, refs, now,
                         err);
    cJSON_Delete(refs);
    return rc;
}

int core_conflict_rule(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err)
{
    *data = NULL;
    if (core_floor_login(dev, staff, "conflict_rule", err))
        return -1;
    int64_t id = proto_get_int(args, "conflict_id", 0);
    struct store_conflict cf;
    if (store_conflicts_get(c->store, id, &cf, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "conflict_id", "no conflict %lld",
                            (long long)id);
        return -1;
    }
    if (core_floor_same_site(dev, cf.site_id, "conflict_id", err))
        return -1;
    const char *winner_no = proto_get_str(args, "winner");
    const char *reason = proto_get_str(args, "reason");
    struct store_staff winner = {0};
    if (store_staff_find(c->store, winner_no, &winner, err)) {
        if (err && err->code != PROTO_E_NOT_FOUND)
            return -1;
        winner.id = 0; /* not a claimant: the rules say so */
    }
    int64_t ids[8];
    struct domain_conflict_state st = {
        .status = cf.state == STORE_CONFLICT_RULED ? DOMAIN_CONFLICT_RULED : DOMAIN_CONFLICT_OPEN,
        .claimants = ids,
        .n_claimants = claimant_ids(&cf, ids, 8),
        .opened_at = cf.opened_at,
    };
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_conflict_args ca = {.winner_id = winner.id, .has_reason = reason && *reason};
    if (domain_conflict_check(&st, &actor, DOMAIN_CONFLICT_RULE, &ca, err))
        return -1;
    cJSON *before = conflict_full(c, cf.id, err), *after = NULL;
    struct store_lead lead;
    int rc = -1;
    if (!before || store_conflicts_rule(c->store, cf.id, winner.id, reason, staff->id, now, err) ||
        store_leads_get(c->store, cf.lead_id, &lead, err))
        goto out;
    /* the ruling is final: the lead (and with it the customer) belongs to the winner */
    if (lead.owner_id != winner.id &&
        store_leads_assign(c->store, lead.id, winner.id, staff->id, reason,
                           domain_lead_first_callback_due(now), now, NULL, err))
        goto out;
    if (notify_ruled(c, &cf, &lead, &winner, now, err) || !(after = conflict_full(c, cf.id, err)))
        goto out;
    char actor_s[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor_s, sizeof actor_s);
    if (core_floor_audit(c, cf.site_id, actor_s, "conflict", cf.id, "conflict_rule", before, after,
                         args, NULL, now, err))
        goto out;
    if (!(*data = core_floor_wrap("conflict", after))) {
        after = NULL;
        core_oom(err);
        goto out;
    }
    after = NULL;
    log_info("core", "conflict %lld ruled for %s by %s", (long long)cf.id, winner.staff_no,
             staff->staff_no);
    rc = 0;
out:
    cJSON_Delete(before);
    cJSON_Delete(after);
    return rc;
}

struct list_ctx {
    struct core *c;
    cJSON *list;
    struct proto_error *err;
};

static int add_listed(void *ctx, const struct store_conflict *cf)
{
    struct list_ctx *l = ctx;
    cJSON *full = conflict_full(l->c, cf->id, l->err);
    if (!full || !cJSON_AddItemToArray(l->list, full)) {
        cJSON_Delete(full);
        return -1;
    }
    return 0;
}

static int list_in_tx(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      const cJSON *args, cJSON **data, struct proto_error *err)
{
    if (core_floor_login(dev, staff, "conflict_list", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_conflict_args ca = {0};
    if (domain_conflict_check(NULL, &actor, DOMAIN_CONFLICT_LIST, &ca, err))
        return -1;
    int limit, offset, total = 0;
    core_floor_page(args, &limit, &offset);
    const char *status = proto_get_str(args, "status");
    int state = !status                        ? -1
                : strcmp(status, "ruled") == 0 ? STORE_CONFLICT_RULED
                                               : STORE_CONFLICT_OPEN;
    cJSON *d = cJSON_CreateObject();
    struct list_ctx l = {.c = c, .err = err};
    if (!d || !(l.list = cJSON_AddArrayToObject(d, "conflicts"))) {
        cJSON_Delete(d);
        return core_oom(err);
    }
    if (store_conflicts_list(c->store, dev->site_id, state, limit, offset, add_listed, &l, &total,
                             err)) {
        cJSON_Delete(d);
        return -1;
    }
    if (!cJSON_AddNumberToObject(d, "total", total) ||
        !cJSON_AddNumberToObject(d, "limit", limit) ||
        !cJSON_AddNumberToObject(d, "offset", offset)) {
        cJSON_Delete(d);
        return core_oom(err);
    }
    *data = d;
    return 0;
}

int core_conflict_list(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err)
{
    (void)now;
    *data = NULL;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = list_in_tx(c, dev, staff, args, data, err);
    store_rollback(c->store);
    return rc;
}

/* ---- the timer: open conflicts past their 24 h, reported once ---- */

struct open_list {
    struct store_conflict *v;
    size_t n, cap;
};

static int collect(void *ctx, const struct store_conflict *cf)
{
    struct open_list *o = ctx;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        struct store_conflict *p = realloc(o->v, cap * sizeof *p);
        if (!p)
            return -1;
        o->v = p;
        o->cap = cap;
    }
    o->v[o->n++] = *cf;
    return 0;
}

static int add_site(void *ctx, const struct store_site *site)
{
    struct core *c = ((void **)ctx)[0];
    struct open_list *o = ((void **)ctx)[1];
    struct proto_error err;
    return store_conflicts_list(c->store, site->id, STORE_CONFLICT_OPEN, 100000, 0, collect, o,
                                NULL, &err);
}

static int report_overdue(struct core *c, const struct store_conflict *cf, int64_t now,
                          struct proto_error *err)
{
    struct store_lead lead;
    cJSON *full = conflict_full(c, cf->id, err);
    cJSON *d = full ? core_floor_wrap("conflict", full) : NULL;
    int rc = -1;
    if (!d) {
        if (full)
            core_oom(err);
        return -1;
    }
    if (store_events_append_json(c->store, cf->site_id, "conflict.overdue", now, d, NULL, err) ||
        store_leads_get(c->store, cf->lead_id, &lead, err) ||
        notify_supervisors(c, cf->site_id, cf->id, &lead, DOMAIN_NOTIFY_CONFLICT_OVERDUE, now, err))
        goto out;
    rc = 0;
out:
    cJSON_Delete(d);
    return rc;
}

int core_conflict_tick(struct core *c, int64_t now, struct proto_error *err)
{
    struct open_list o = {0};
    void *ctx[2] = {c, &o};
    int added = 0, rc = -1;
    if (store_sites_list(c->store, add_site, ctx, err))
        goto out;
    for (size_t i = 0; i < o.n; i++) {
        int64_t ids[8];
        struct domain_conflict_state st = {.status = DOMAIN_CONFLICT_OPEN,
                                           .claimants = ids,
                                           .n_claimants = claimant_ids(&o.v[i], ids, 8),
                                           .opened_at = o.v[i].opened_at};
        if (!domain_conflict_overdue(&st, now))
            continue;
        bool is_new = false;
        if (store_deadlines_record(c->store, "conflict", o.v[i].id, "ruling",
                                   domain_conflict_due(o.v[i].opened_at), now, &is_new, err))
            goto out;
        if (!is_new)
            continue;
        if (report_overdue(c, &o.v[i], now, err))
            goto out;
        added++;
    }
    rc = added;
out:
    free(o.v);
    return rc;
}

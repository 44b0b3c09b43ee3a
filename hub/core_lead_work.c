/* Working a lead: follow-ups (next due date from the grade's cadence, grade due after three
 * calls in a week), grades, marketing's invalidation, and the supervisor's month end (B, L
 * and F leads of consultants go back to telesales). */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Follow-up times of a lead, for the grade-due rule. */
struct times {
    int64_t *v;
    size_t n, cap;
};

static int add_time(void *ctx, const struct store_lead_followup *f)
{
    struct times *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        int64_t *p = realloc(t->v, cap * sizeof *p);
        if (!p)
            return -1;
        t->v = p;
        t->cap = cap;
    }
    t->v[t->n++] = f->at;
    return 0;
}

/* Whether the grade becomes due with one more follow-up at `now` (none set a grade). */
static int grade_due_after(struct core *c, const struct store_lead *lead, int64_t now, bool *due,
                           struct proto_error *err)
{
    struct times t = {0};
    struct store_lead_followup this_one = {.at = now};
    int rc = -1;
    if (store_leads_followups(c->store, lead->id, add_time, &t, err))
        goto out;
    if (add_time(&t, &this_one)) {
        core_oom(err);
        goto out;
    }
    *due = domain_lead_grade_due(t.v, t.n, lead->graded_at) != 0;
    rc = 0;
out:
    free(t.v);
    return rc;
}

static char grade_arg(const cJSON *args)
{
    const char *g = proto_get_str(args, "grade");
    int v = g ? domain_grade_from_name(g) : -1;
    return v < 0 ? 0 : (char)v;
}

int core_lead_work_followup(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct store_lead lead;
    struct domain_lead_state st;
    cJSON *before = NULL;
    if (core_lead_load(c, dev, staff, args, "lead_followup", &lead, &st, &before, err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    const char *way = proto_get_str(args, "way");
    int w = way ? domain_followup_way_from_name(way) : -1;
    const char *content = proto_get_str(args, "content");
    const char *feedback = proto_get_str(args, "feedback");
    struct domain_lead_args la = {
        .grade = grade_arg(args),
        .has_way = w >= 0,
        .way = w < 0 ? DOMAIN_FWAY_PHONE : (enum domain_followup_way)w,
        .has_content = content && *content,
    };
    if (domain_lead_check(&st, &actor, DOMAIN_LEAD_FOLLOWUP, &la, err))
        goto fail;
    struct store_lead_followup f = {
        .lead_id = lead.id, .grade = la.grade, .staff_id = staff->id, .at = now};
    snprintf(f.way, sizeof f.way, "%s", way);
    snprintf(f.content, sizeof f.content, "%s", content);
    snprintf(f.feedback, sizeof f.feedback, "%s", feedback ? feedback : "");
    bool due = false;
    if (!la.grade && grade_due_after(c, &lead, now, &due, err))
        goto fail;
    struct domain_lead_state next = st;
    struct domain_lead_effects fx;
    domain_lead_apply(&next, &actor, DOMAIN_LEAD_FOLLOWUP, &la, now, &fx);
    int64_t id = 0;
    if (store_leads_followup(c->store, &f, next.next_due_at, due, &id, err))
        goto fail;
    if (fx.status_changed) { /* grade F: lost to a competitor */
        struct store_lead row;
        if (store_leads_get(c->store, lead.id, &row, err))
            goto fail;
        core_lead_state_to_row(&next, &row);
        row.grade_due = false;
        if (store_leads_update(c->store, &row, now, err))
            goto fail;
    }
    cJSON *detail = cJSON_CreateObject();
    if (!detail || !cJSON_AddNumberToObject(detail, "followup_id", (double)id)) {
        cJSON_Delete(detail);
        core_oom(err);
        goto fail;
    }
    int rc = core_lead_finish(c, dev, staff, lead.id, "lead_followup", before, args, detail, now,
                              data, err);
    cJSON_Delete(detail);
    return rc;
fail:
    cJSON_Delete(before);
    return -1;
}

/* grade and invalidate: the rules' new state written back as a whole. */
static int rewrite(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                   const cJSON *args, enum domain_lead_cmd cmd, const struct domain_lead_args *la,
                   int64_t now, cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct store_lead lead;
    struct domain_lead_state st;
    cJSON *before = NULL;
    if (core_lead_load(c, dev, staff, args, domain_lead_cmd_name(cmd), &lead, &st, &before, err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_effects fx;
    if (domain_lead_check(&st, &actor, cmd, la, err)) {
        cJSON_Delete(before);
        return -1;
    }
    domain_lead_apply(&st, &actor, cmd, la, now, &fx);
    core_lead_state_to_row(&st, &lead);
    if (cmd == DOMAIN_LEAD_GRADE)
        lead.grade_due = false;
    if (store_leads_update(c->store, &lead, now, err)) {
        cJSON_Delete(before);
        return -1;
    }
    return core_lead_finish(c, dev, staff, lead.id, domain_lead_cmd_name(cmd), before, args, NULL,
                            now, data, err);
}

int core_lead_work_grade(struct core *c, const struct core_device *dev,
                         const struct core_staff *staff, const cJSON *args, int64_t now,
                         cJSON **data, struct proto_error *err)
{
    const char *reason = proto_get_str(args, "reason");
    struct domain_lead_args la = {.grade = grade_arg(args), .has_reason = reason && *reason};
    return rewrite(c, dev, staff, args, DOMAIN_LEAD_GRADE, &la, now, data, err);
}

int core_lead_work_invalidate(struct core *c, const struct core_device *dev,
                              const struct core_staff *staff, const cJSON *args, int64_t now,
                              cJSON **data, struct proto_error *err)
{
    const char *reason = proto_get_str(args, "reason");
    int r = reason ? domain_lead_invalid_from_name(reason) : -1;
    struct domain_lead_args la = {
        .reason = r < 0 ? DOMAIN_LEAD_INVALID_OTHER : (enum domain_lead_invalid)r,
        .has_reason = true,
    };
    return rewrite(c, dev, staff, args, DOMAIN_LEAD_INVALIDATE, &la, now, data, err);
}

/* ---- month end ---- */

struct open_leads {
    struct store_lead *v;
    size_t n, cap;
};

static int add_lead(void *ctx, const struct store_lead *l)
{
    struct open_leads *o = ctx;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        struct store_lead *p = realloc(o->v, cap * sizeof *p);
        if (!p)
            return -1;
        o->v = p;
        o->cap = cap;
    }
    o->v[o->n++] = *l;
    return 0;
}

/* Every open lead of the site, gathered before anything is written (no list stays open). */
static int gather_open(struct core *c, int64_t site_id, struct open_leads *o,
                       struct proto_error *err)
{
    struct store_lead_filter f = {
        .site_id = site_id, .status = STORE_LEAD_OPEN, .limit = PROTO_LIST_PAGE_MAX};
    for (;;) {
        size_t before = o->n;
        if (store_leads_list(c->store, &f, add_lead, o, NULL, err))
            return -1;
        if (o->n - before < (size_t)f.limit)
            return 0;
        f.offset += f.limit;
    }
}

/* Moves one lead back to telesales; *to = 0 when the site has none (it stays). */
static int move_lead(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const struct store_lead *l, int64_t now, int64_t *to, struct proto_error *err)
{
    if (core_lead_pick(c, l->site_id, DOMAIN_ROLE_TELESALES, l->region, l->model_code, to, err))
        return -1;
    if (!*to)
        return 0;
    cJSON *before = NULL, *data = NULL;
    if (store_leads_json(c->store, l->id, &before, err))
        return -1;
    if (store_leads_assign(c->store, l->id, *to, staff->id, "month_end",
                           domain_lead_first_callback_due(now), now, NULL, err)) {
        cJSON_Delete(before);
        return -1;
    }
    int rc = core_lead_finish(c, dev, staff, l->id, "lead_month_end", before, NULL, NULL, now,
                              &data, err);
    cJSON_Delete(data);
    return rc;
}

static int add_moved(struct core *c, cJSON *list, const struct store_lead *l, int64_t to)
{
    cJSON *m = cJSON_CreateObject();
    char grade[2] = {l->grade, '\0'};
    if (!m || !cJSON_AddItemToArray(list, m)) {
        cJSON_Delete(m);
        return -1;
    }
    return cJSON_AddNumberToObject(m, "lead_id", (double)l->id) &&
                   !core_floor_add_staff(c, m, "from", l->owner_id) &&
                   !core_floor_add_staff(c, m, "to", to) &&
                   cJSON_AddStringToObject(m, "grade", grade)
               ? 0
               : -1;
}

int core_lead_work_month_end(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    (void)args; /* none: the month end takes the site's whole book */
    *data = NULL;
    if (core_floor_login(dev, staff, "lead_month_end", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_args la = {0};
    if (domain_lead_check(NULL, &actor, DOMAIN_LEAD_MONTH_END, &la, err))
        return -1;
    struct open_leads o = {0};
    cJSON *d = cJSON_CreateObject();
    cJSON *moved = d ? cJSON_AddArrayToObject(d, "moved") : NULL;
    int kept = 0, rc = -1;
    if (!moved) {
        core_oom(err);
        goto out;
    }
    if (gather_open(c, dev->site_id, &o, err))
        goto out;
    for (size_t i = 0; i < o.n; i++) {
        const struct store_lead *l = &o.v[i];
        if (!l->owner_id)
            continue; /* with telesales already */
        struct store_staff owner;
        if (store_staff_get(c->store, l->owner_id, &owner, err))
            goto out;
        if (!domain_lead_month_end_moves(owner.role, l->grade)) {
            kept += owner.role == DOMAIN_ROLE_CONSULTANT;
            continue;
        }
        int64_t to = 0;
        if (move_lead(c, dev, staff, l, now, &to, err))
            goto out;
        if (add_moved(c, moved, l, to)) {
            core_oom(err);
            goto out;
        }
    }
    if (!cJSON_AddNumberToObject(d, "kept", kept)) {
        core_oom(err);
        goto out;
    }
    log_info("core", "month end at site %lld by %s: %d moved, %d kept", (long long)dev->site_id,
             staff->staff_no, cJSON_GetArraySize(moved), kept);
    *data = d;
    d = NULL;
    rc = 0;
out:
    free(o.v);
    cJSON_Delete(d);
    return rc;
}

/* Reading complaints (complaint_get, complaint_list) in one read transaction each, and the
 * timer's part: every deadline found missed is recorded once, announced, and escalates the
 * complaint one level when the awaited response is still missing. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int get_in_tx(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    if (core_floor_login(dev, staff, "complaint_get", err))
        return -1;
    int64_t id = proto_get_int(args, "complaint_id", 0);
    struct store_complaint cp;
    if (store_complaints_get(c->store, id, &cp, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "complaint_id", "no complaint %lld",
                            (long long)id);
        return -1;
    }
    if (core_floor_same_site(dev, cp.site_id, "complaint_id", err))
        return -1;
    cJSON *full = core_complaint_full(c, id, now, err);
    if (!full)
        return -1;
    struct domain_complaint_state st;
    core_complaint_state(&cp, cJSON_IsObject(cJSON_GetObjectItem(full, "satisfaction")), &st);
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_complaint_args ca = {0};
    if (domain_complaint_check(&st, &actor, DOMAIN_COMPLAINT_GET, &ca, err)) {
        cJSON_Delete(full);
        return -1;
    }
    *data = core_floor_wrap("complaint", full);
    return *data ? 0 : core_oom(err);
}

int core_complaint_read_get(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = get_in_tx(c, dev, staff, args, now, data, err);
    store_rollback(c->store);
    return rc;
}

struct list_ctx {
    struct core *c;
    cJSON *list;
    int64_t now;
    struct proto_error *err;
};

static int add_listed(void *ctx, const struct store_complaint *cp)
{
    struct list_ctx *l = ctx;
    cJSON *full = core_complaint_full(l->c, cp->id, l->now, l->err);
    if (!full || !cJSON_AddItemToArray(l->list, full)) {
        cJSON_Delete(full);
        return -1;
    }
    return 0;
}

static int list_in_tx(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    if (core_floor_login(dev, staff, "complaint_list", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_complaint_args ca = {0};
    if (domain_complaint_check(NULL, &actor, DOMAIN_COMPLAINT_LIST, &ca, err))
        return -1;
    int limit, offset, total = 0;
    core_floor_page(args, &limit, &offset);
    const char *status = proto_get_str(args, "status");
    struct store_complaint_filter f = {
        .site_id = dev->site_id,
        .state = !status                         ? -1
                 : strcmp(status, "closed") == 0 ? STORE_COMPLAINT_CLOSED
                                                 : STORE_COMPLAINT_OPEN,
        .level = (int)proto_get_int(args, "level", 0),
        .limit = limit,
        .offset = offset,
    };
    cJSON *d = cJSON_CreateObject();
    struct list_ctx l = {.c = c, .now = now, .err = err};
    if (!d || !(l.list = cJSON_AddArrayToObject(d, "complaints"))) {
        cJSON_Delete(d);
        return core_oom(err);
    }
    if (store_complaints_list(c->store, &f, add_listed, &l, &total, err)) {
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

int core_complaint_read_list(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = list_in_tx(c, dev, staff, args, now, data, err);
    store_rollback(c->store);
    return rc;
}

/* ---- the timer ---- */

struct ids {
    int64_t *v;
    size_t n, cap;
};

static int push(struct ids *l, int64_t id)
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

static int collect_complaint(void *ctx, const struct store_complaint *cp)
{
    return push(ctx, cp->id);
}

static int collect_site(void *ctx, const struct store_site *site)
{
    return push(ctx, site->id);
}

/* A deadline recorded for the first time: escalate when the response is still missing (and
 * there is a level above), else just let the boards know. */
static int breach(struct core *c, const struct store_complaint *cp,
                  const struct domain_complaint_deadline *dl, int64_t now, struct proto_error *err)
{
    const char *what = domain_complaint_response_name(dl->kind);
    if (!dl->done && domain_complaint_escalate_level(cp->level)) {
        char reason[128];
        snprintf(reason, sizeof reason, "deadline missed: %s", what);
        return core_complaint_raise(c, cp, 0, reason, now, err);
    }
    cJSON *full = core_complaint_full(c, cp->id, now, err);
    if (!full)
        return -1;
    cJSON *d = core_floor_wrap("complaint", full);
    if (!d || !cJSON_AddStringToObject(d, "breach", what)) {
        cJSON_Delete(d);
        return core_oom(err);
    }
    int rc =
        store_events_append_json(c->store, cp->site_id, "complaint.updated", now, d, NULL, err);
    cJSON_Delete(d);
    return rc;
}

static int check_complaint(struct core *c, int64_t id, int64_t now, int *added,
                           struct proto_error *err)
{
    struct store_complaint cp;
    struct store_site site;
    if (store_complaints_get(c->store, id, &cp, err) ||
        store_sites_get(c->store, cp.site_id, &site, err))
        return -1;
    int ch = domain_complaint_channel_from_name(cp.channel);
    struct domain_complaint_times t = {
        .channel = ch < 0 ? DOMAIN_CCHAN_ON_SITE : (enum domain_complaint_channel)ch,
        .opened_at = cp.opened_at,
        .first_response_at = cp.first_response_at,
        .contact_at = cp.contact_at,
        .last_progress_at = cp.last_progress_at,
        .closed_at = cp.closed_at,
    };
    struct domain_complaint_deadline dl[DOMAIN_CRESP__COUNT];
    int n = domain_complaint_deadlines(&t, site.utc_offset_min, now, dl, DOMAIN_CRESP__COUNT);
    for (int i = 0; i < n; i++) {
        if (!dl[i].breached)
            continue;
        bool is_new = false;
        if (store_deadlines_record(c->store, "complaint", cp.id,
                                   domain_complaint_response_name(dl[i].kind), dl[i].due_at, now,
                                   &is_new, err))
            return -1;
        if (!is_new)
            continue;
        log_info("core", "complaint %lld: %s deadline missed (due %lld)", (long long)cp.id,
                 domain_complaint_response_name(dl[i].kind), (long long)dl[i].due_at);
        if (breach(c, &cp, &dl[i], now, err))
            return -1;
        (*added)++;
        /* an escalation changed the row: the next deadline sees the new level */
        if (store_complaints_get(c->store, id, &cp, err))
            return -1;
    }
    return 0;
}

int core_complaint_tick(struct core *c, int64_t now, struct proto_error *err)
{
    struct ids sites = {0}, open = {0};
    int added = 0, rc = -1;
    if (store_sites_list(c->store, collect_site, &sites, err))
        goto out;
    for (size_t i = 0; i < sites.n; i++) {
        struct store_complaint_filter f = {
            .site_id = sites.v[i], .state = STORE_COMPLAINT_OPEN, .limit = PROTO_LIST_PAGE_MAX};
        for (;;) {
            size_t before = open.n;
            if (store_complaints_list(c->store, &f, collect_complaint, &open, NULL, err))
                goto out;
            if (open.n - before < (size_t)f.limit)
                break;
            f.offset += f.limit;
        }
    }
    for (size_t i = 0; i < open.n; i++)
        if (check_complaint(c, open.v[i], now, &added, err))
            goto out;
    rc = added;
out:
    free(sites.v);
    free(open.v);
    return rc;
}

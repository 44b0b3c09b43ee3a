/* The hub's periodic check of order time limits: every order that may still have a limit
 * running (open, or delivered and waiting to be closed) is measured against its site's
 * settings; each limit found breached is recorded once and announced with order.sla_breached.
 * Then the floor's timers (hub/RECEPTION.md): overdue leads, appointment no-shows, visits
 * closed at closing time, conflicts not ruled in 24 h, complaint deadlines with escalation.
 * The hub's timer calls core_tick every 30 s; tests call it with a moved clock. */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

/* What the check needs of one order; gathered first so no list statement is open while the
 * breaches are written. */
struct tick_order {
    int64_t id;
    int64_t site_id;
    char order_no[STORE_ORDER_NO_MAX + 1];
    struct domain_order_times_sla times;
};

struct tick_list {
    struct tick_order *v;
    size_t n, cap;
};

static int collect(void *ctx, const struct store_order *o)
{
    struct tick_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct tick_order *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return -1;
        l->v = p;
        l->cap = cap;
    }
    struct domain_order_state st;
    core_order_state(o, NULL, NULL, NULL, &st);
    struct tick_order *t = &l->v[l->n++];
    t->id = o->id;
    t->site_id = o->site_id;
    memcpy(t->order_no, o->order_no, sizeof t->order_no);
    t->times = st.times;
    return 0;
}

static int add_sla_event(struct core *c, const struct tick_order *t,
                         const struct domain_deadline *d, int64_t now, struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_orders_json(c->store, t->id, &full, err))
        return -1;
    cJSON *data = cJSON_CreateObject();
    int rc = -1;
    if (!data || !cJSON_AddItemToObject(data, "order", full)) {
        cJSON_Delete(full);
        rc = core_oom(err);
        goto out;
    }
    if (!cJSON_AddStringToObject(data, "order_no", t->order_no) ||
        !cJSON_AddStringToObject(data, "kind", domain_sla_kind_name(d->kind)) ||
        !cJSON_AddNumberToObject(data, "due_at", (double)d->due_at)) {
        rc = core_oom(err);
        goto out;
    }
    rc = store_events_append_json(c->store, t->site_id, "order.sla_breached", now, data, NULL, err);
out:
    cJSON_Delete(data);
    return rc;
}

/* Records every breached limit of one order not recorded before. Returns how many were new,
 * or -1 with *err. */
static int check_order(struct core *c, const struct tick_order *t,
                       const struct domain_sla_settings *set, int64_t now, struct proto_error *err)
{
    struct domain_deadline dl[DOMAIN_SLA__COUNT];
    int n = domain_order_deadlines(&t->times, set, now, dl, DOMAIN_SLA__COUNT);
    int added = 0;
    for (int i = 0; i < n; i++) {
        if (!dl[i].breached)
            continue;
        bool is_new = false;
        if (store_sla_record(c->store, t->id, domain_sla_kind_name(dl[i].kind), dl[i].due_at, now,
                             &is_new, err))
            return -1;
        if (!is_new)
            continue;
        if (add_sla_event(c, t, &dl[i], now, err))
            return -1;
        log_info("core", "order %s: %s limit breached (due %lld)", t->order_no,
                 domain_sla_kind_name(dl[i].kind), (long long)dl[i].due_at);
        added++;
    }
    return added;
}

/* Orders of every site that may have a limit running: the open ones, and the delivered ones
 * (the close limit), page by page. */
struct tick_sites {
    int64_t *ids;
    size_t n, cap;
};

static int add_site(void *ctx, const struct store_site *site)
{
    struct tick_sites *s = ctx;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        int64_t *p = realloc(s->ids, cap * sizeof *p);
        if (!p)
            return -1;
        s->ids = p;
        s->cap = cap;
    }
    s->ids[s->n++] = site->id;
    return 0;
}

static int gather(struct core *c, struct tick_list *l, struct proto_error *err)
{
    struct tick_sites sites = {0};
    int rc = -1;
    if (store_sites_list(c->store, add_site, &sites, err))
        goto out;
    for (size_t i = 0; i < sites.n; i++) {
        if (store_orders_list_open(c->store, sites.ids[i], collect, l, err))
            goto out;
        struct store_order_filter f = {.site_id = sites.ids[i],
                                       .stage = DOMAIN_STAGE_DELIVERED,
                                       .limit = PROTO_ORDER_LIST_MAX};
        for (;;) {
            size_t before = l->n;
            if (store_orders_list(c->store, &f, collect, l, NULL, err))
                goto out;
            if (l->n - before < (size_t)f.limit)
                break;
            f.offset += f.limit;
        }
    }
    rc = 0;
out:
    free(sites.ids);
    return rc;
}

int core_tick(struct core *c, int64_t now)
{
    struct proto_error err = {0};
    struct tick_list l = {0};
    int total = 0;
    if (store_begin(c->store, &err))
        goto fail;
    if (gather(c, &l, &err))
        goto fail;
    int64_t site = 0;
    struct domain_sla_settings set;
    for (size_t i = 0; i < l.n; i++) {
        if (l.v[i].site_id != site || i == 0) {
            site = l.v[i].site_id;
            if (store_settings_sla(c->store, site, &set, &err))
                goto fail;
        }
        int added = check_order(c, &l.v[i], &set, now, &err);
        if (added < 0)
            goto fail;
        total += added;
    }
    /* leads, appointments and visits, conflicts, complaints (issue 4), in the same transaction */
    int (*const floor_ticks[])(struct core *, int64_t, struct proto_error *) = {
        core_lead_tick, core_visit_tick, core_conflict_tick, core_complaint_tick};
    for (size_t i = 0; i < sizeof floor_ticks / sizeof floor_ticks[0]; i++) {
        int added = floor_ticks[i](c, now, &err);
        if (added < 0)
            goto fail;
        total += added;
    }
    if (store_commit(c->store, &err))
        goto fail;
    free(l.v);
    return total;
fail:
    store_rollback(c->store);
    free(l.v);
    log_error("core", "time-limit check failed: %s",
              err.message[0] ? err.message : "out of memory");
    return -1;
}

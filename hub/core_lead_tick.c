/* The hub timer's part for leads: every open lead whose first callback or next follow-up is
 * past due is reported once per due time (lead.overdue for the boards, staff.notify to the
 * holder). Runs inside core_tick's write transaction. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"

struct due_lead {
    struct store_lead lead;
    int64_t due_at;
};

struct due_list {
    struct due_lead *v;
    size_t n, cap;
    int64_t now;
};

static int collect(void *ctx, const struct store_lead *l, int64_t due_at)
{
    struct due_list *d = ctx;
    /* the store finds candidates; the rule decides (exactly at the due time is in time) */
    struct domain_lead_state st;
    core_lead_state(l, &st);
    if (domain_lead_overdue(&st, d->now, &due_at) == DOMAIN_LEAD_DUE_NONE)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        struct due_lead *p = realloc(d->v, cap * sizeof *p);
        if (!p)
            return -1;
        d->v = p;
        d->cap = cap;
    }
    d->v[d->n++] = (struct due_lead){.lead = *l, .due_at = due_at};
    return 0;
}

static int report(struct core *c, const struct due_lead *d, int64_t now, struct proto_error *err)
{
    const struct store_lead *l = &d->lead;
    struct domain_lead_state st;
    core_lead_state(l, &st);
    int64_t holder = domain_lead_owner(&st);
    cJSON *data = cJSON_CreateObject(), *full = NULL, *refs = NULL;
    int rc = -1;
    if (!data || store_leads_json(c->store, l->id, &full, err))
        goto out;
    if (!cJSON_AddItemToObject(data, "lead", full)) {
        cJSON_Delete(full);
        core_oom(err);
        goto out;
    }
    if (core_floor_add_staff(c, data, "owner", holder) ||
        !cJSON_AddNumberToObject(data, "due_at", (double)d->due_at)) {
        core_oom(err);
        goto out;
    }
    if (store_events_append_json(c->store, l->site_id, "lead.overdue", now, data, NULL, err))
        goto out;
    if (holder) {
        struct store_customer cust;
        char name[PROTO_MAX_NAME + 32], zh[512], en[512];
        if (store_customers_get(c->store, l->customer_id, &cust, err))
            goto out;
        core_floor_masked_name(&cust, name, sizeof name);
        snprintf(zh, sizeof zh, "线索跟进已逾期：%s，请尽快回访", name);
        snprintf(en, sizeof en, "Follow-up overdue: %s; please call back", name);
        if (!(refs = core_notify_refs("lead_id", l->id, NULL, 0))) {
            core_oom(err);
            goto out;
        }
        if (core_notify(c, l->site_id, holder, DOMAIN_NOTIFY_LEAD_OVERDUE, zh, en, refs, now, err))
            goto out;
    }
    rc = 0;
out:
    cJSON_Delete(refs);
    cJSON_Delete(data);
    return rc;
}

int core_lead_tick(struct core *c, int64_t now, struct proto_error *err)
{
    struct due_list d = {.now = now};
    int added = 0, rc = -1;
    if (store_leads_overdue(c->store, 0, now, collect, &d, err))
        goto out;
    for (size_t i = 0; i < d.n; i++) {
        bool is_new = false;
        if (store_leads_overdue_record(c->store, d.v[i].lead.id, d.v[i].due_at, now, &is_new, err))
            goto out;
        if (!is_new)
            continue;
        if (report(c, &d.v[i], now, err))
            goto out;
        log_info("core", "lead %lld overdue (due %lld)", (long long)d.v[i].lead.id,
                 (long long)d.v[i].due_at);
        added++;
    }
    rc = added;
out:
    free(d.v);
    return rc;
}

/* The board snapshot's floor state (PROTOCOL.md "Snapshot state by mode"): today's staff
 * notifications, open conflicts, open complaints with their deadlines, overdue follow-ups per
 * holder and today's appointments, all masked like their events. Runs inside the snapshot's
 * read transaction (core_snapshot.c). */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

#define NOTIFY_KEEP 20 /* notifications a board starts with */

struct floor {
    struct core *c;
    const struct core_device *dev;
    int64_t day_start, now;
    cJSON *list;
    struct proto_error *err;
};

static int add_item(struct floor *f, cJSON *item)
{
    if (!item || !cJSON_AddItemToArray(f->list, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

/* One of today's notifications, newest first (store_events_notify_recent's order). */
static int add_notify(void *ctx, const struct store_event *ev)
{
    struct floor *f = ctx;
    cJSON *data = cJSON_Parse(ev->data);
    struct core_event ce = {
        .seq = ev->seq, .site_id = ev->site_id, .kind = ev->kind, .at = ev->at, .data = data};
    cJSON *v = data ? core_view_floor_event(f->c, &ce, f->dev->mode) : NULL;
    cJSON_Delete(data);
    if (!v || !cJSON_AddNumberToObject(v, "seq", (double)ev->seq) ||
        !cJSON_AddNumberToObject(v, "at", (double)ev->at)) {
        cJSON_Delete(v);
        return -1;
    }
    return add_item(f, v);
}

static int notifications(struct floor *f)
{
    return store_events_notify_recent(f->c->store, f->dev->site_id, f->day_start, NOTIFY_KEEP,
                                      add_notify, f, f->err);
}

static int add_conflict(void *ctx, const struct store_conflict *cf)
{
    struct floor *f = ctx;
    cJSON *full = NULL;
    if (store_conflicts_json(f->c->store, cf->id, &full, f->err))
        return -1;
    cJSON *v = core_view_conflict(full);
    cJSON_Delete(full);
    return add_item(f, v);
}

static int add_complaint(void *ctx, const struct store_complaint *cp)
{
    struct floor *f = ctx;
    cJSON *full = NULL;
    if (store_complaints_json(f->c->store, cp->id, &full, f->err))
        return -1;
    cJSON *v = core_view_complaint(f->c, full, f->now);
    cJSON_Delete(full);
    return add_item(f, v);
}

static int add_appointment(void *ctx, const struct store_appointment *a)
{
    struct floor *f = ctx;
    cJSON *full = NULL;
    if (store_appointments_json(f->c->store, a->id, &full, f->err))
        return -1;
    cJSON *v = core_view_appointment(full);
    cJSON_Delete(full);
    return add_item(f, v);
}

/* Overdue open leads counted per holder (owner, else telesales). */
struct holders {
    int64_t now;
    int64_t id[CORE_FLOOR_MAX_STAFF];
    int count[CORE_FLOOR_MAX_STAFF];
    size_t n;
};

static int count_overdue(void *ctx, const struct store_lead *l)
{
    struct holders *h = ctx;
    struct domain_lead_state st;
    core_lead_state(l, &st);
    if (domain_lead_overdue(&st, h->now, NULL) == DOMAIN_LEAD_DUE_NONE)
        return 0;
    int64_t who = domain_lead_owner(&st);
    size_t i = 0;
    while (i < h->n && h->id[i] != who)
        i++;
    if (i == h->n) {
        if (h->n == CORE_FLOOR_MAX_STAFF)
            return 0; /* more holders than a board shows */
        h->id[h->n++] = who;
    }
    h->count[i]++;
    return 0;
}

static int overdue(struct floor *f)
{
    struct holders *h = calloc(1, sizeof *h);
    int rc = -1;
    if (!h)
        return core_oom(f->err);
    h->now = f->now;
    struct store_lead_filter lf = {
        .site_id = f->dev->site_id, .status = STORE_LEAD_OPEN, .limit = PROTO_LIST_PAGE_MAX};
    for (;;) {
        int total = 0;
        if (store_leads_list(f->c->store, &lf, count_overdue, h, &total, f->err))
            goto out;
        if (lf.offset + lf.limit >= total)
            break;
        lf.offset += lf.limit;
    }
    for (size_t i = 0; i < h->n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (add_item(f, o) || core_floor_add_staff(f->c, o, "owner", h->id[i]) ||
            !cJSON_AddNumberToObject(o, "count", h->count[i]))
            goto out;
    }
    rc = 0;
out:
    free(h);
    return rc;
}

int core_snapshot_floor(struct core *c, const struct core_device *dev, int64_t day_start,
                        int64_t day_end, int64_t now, cJSON *state, struct proto_error *err)
{
    struct floor f = {.c = c, .dev = dev, .day_start = day_start, .now = now, .err = err};
    struct store_complaint_filter cf = {
        .site_id = dev->site_id, .state = STORE_COMPLAINT_OPEN, .limit = PROTO_LIST_PAGE_MAX};
    struct store_appointment_filter af = {.site_id = dev->site_id,
                                          .from = day_start,
                                          .to = day_end,
                                          .state = -1,
                                          .limit = PROTO_LIST_PAGE_MAX};
    if (!(f.list = cJSON_AddArrayToObject(state, "notifications")) || notifications(&f) ||
        !(f.list = cJSON_AddArrayToObject(state, "conflicts")) ||
        store_conflicts_list(c->store, dev->site_id, STORE_CONFLICT_OPEN, PROTO_LIST_PAGE_MAX, 0,
                             add_conflict, &f, NULL, err) ||
        !(f.list = cJSON_AddArrayToObject(state, "complaints")) ||
        store_complaints_list(c->store, &cf, add_complaint, &f, NULL, err) ||
        !(f.list = cJSON_AddArrayToObject(state, "overdue")) || overdue(&f) ||
        !(f.list = cJSON_AddArrayToObject(state, "appointments")) ||
        store_appointments_list(c->store, &af, add_appointment, &f, NULL, err))
        return -1;
    return 0;
}

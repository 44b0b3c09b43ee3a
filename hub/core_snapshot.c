/* Snapshots: the state a device of each mode starts from (PROTOCOL.md "Snapshot state by
 * mode"), read in one read transaction together with the seq it corresponds to. */
#include "core_internal.h"

#include <stdlib.h>

#include "log.h"
#include "store_fleet.h"

struct snap {
    struct core *c;
    const struct core_device *dev;
    struct core_day day;
    cJSON *list; /* the array being filled by a list callback */
    struct proto_error *err;
    int64_t now;
};

static int add_model(void *ctx, const struct store_model *m)
{
    struct snap *s = ctx;
    cJSON *o = core_view_model(m);
    if (!o || !cJSON_AddItemToArray(s->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

static int add_visit(void *ctx, const struct store_visit *v)
{
    struct snap *s = ctx;
    cJSON *full = NULL;
    if (store_visits_json(s->c->store, v->id, &full, s->err))
        return -1;
    cJSON *o = core_view_visit(full);
    cJSON_Delete(full);
    if (!o || !cJSON_AddItemToArray(s->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

static int add_order_with(struct snap *s, const struct store_order *ord,
                          cJSON *(*view)(const cJSON *full))
{
    cJSON *full = NULL;
    if (store_orders_json(s->c->store, ord->id, &full, s->err))
        return -1;
    cJSON *o = view(full);
    cJSON_Delete(full);
    if (!o || !cJSON_AddItemToArray(s->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

static int add_order(void *ctx, const struct store_order *o)
{
    struct snap *s = ctx;
    cJSON *full = NULL;
    if (store_orders_json(s->c->store, o->id, &full, s->err))
        return -1;
    cJSON *v = core_view_order_board(s->c, full);
    cJSON_Delete(full);
    if (!v || !cJSON_AddItemToArray(s->list, v)) {
        cJSON_Delete(v);
        return -1;
    }
    return 0;
}

static int add_wall(void *ctx, const struct store_order *o)
{
    return add_order_with(ctx, o, core_view_wall);
}

/* Adds an empty array under key and points s->list at it. */
static int begin_list(struct snap *s, cJSON *state, const char *key)
{
    s->list = cJSON_AddArrayToObject(state, key);
    return s->list ? 0 : -1;
}

static int state_reception(struct snap *s, cJSON *state)
{
    struct store *st = s->c->store;
    if (begin_list(s, state, "models") || store_models_list(st, add_model, s, s->err))
        return -1;
    return begin_list(s, state, "visits") ||
                   store_visits_list(st, s->dev->site_id, s->day.start, s->day.end, true, add_visit,
                                     s, s->err)
               ? -1
               : 0;
}

static int state_status(struct snap *s, cJSON *state)
{
    return begin_list(s, state, "wall") ||
                   store_orders_list_wall(s->c->store, s->dev->site_id, s->day.start, s->day.end,
                                          add_wall, s, s->err)
               ? -1
               : 0;
}

static int state_delivery(struct snap *s, cJSON *state)
{
    return begin_list(s, state, "deliveries") ||
                   store_orders_list_ready(s->c->store, s->dev->site_id, add_order, s, s->err)
               ? -1
               : 0;
}

static int add_consultants(struct snap *s, cJSON *state)
{
    struct store_consultant *sc = malloc(CORE_MAX_CONSULTANTS * sizeof *sc);
    size_t n = 0;
    int rc = -1;
    if (!sc || begin_list(s, state, "consultants") ||
        store_staff_consultants(s->c->store, s->dev->site_id, s->day.day, s->day.start, s->day.end,
                                sc, CORE_MAX_CONSULTANTS, &n, s->err))
        goto out;
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(s->list, o)) {
            cJSON_Delete(o);
            goto out;
        }
        if (!cJSON_AddNumberToObject(o, "id", (double)sc[i].d.staff_id) ||
            !cJSON_AddStringToObject(o, "name", sc[i].name) ||
            !cJSON_AddBoolToObject(o, "on_duty", sc[i].d.on_duty) ||
            !cJSON_AddBoolToObject(o, "busy", sc[i].d.waiting + sc[i].d.serving > 0))
            goto out;
    }
    rc = 0;
out:
    free(sc);
    return rc;
}

/* A fleet row for the board's strip: the site's kiosks (not api devices, not revoked). */
static int add_fleet_row(void *ctx, const struct store_device *d)
{
    struct snap *s = ctx;
    if (d->revoked_at || d->mode == DOMAIN_MODE_API)
        return 0;
    cJSON *o = store_devices_fleet_json(s->c->store, d, s->now);
    if (!o || !cJSON_AddItemToArray(s->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

static int state_board(struct snap *s, cJSON *state)
{
    struct store *st = s->c->store;
    if (begin_list(s, state, "fleet") ||
        store_devices_list(st, s->dev->site_id, add_fleet_row, s, s->err) ||
        begin_list(s, state, "visits") ||
        store_visits_list(st, s->dev->site_id, s->day.start, s->day.end, false, add_visit, s,
                          s->err) ||
        begin_list(s, state, "orders") ||
        store_orders_list_open(st, s->dev->site_id, add_order, s, s->err) ||
        add_consultants(s, state))
        return -1;
    /* leads, conflicts, complaints, notifications (core_snapshot_floor.c) */
    return core_snapshot_floor(s->c, s->dev, s->day.start, s->day.end, s->now, state, s->err);
}

static int (*const mode_state[DOMAIN_MODE__COUNT])(struct snap *s, cJSON *state) = {
    [DOMAIN_MODE_RECEPTION] = state_reception,
    [DOMAIN_MODE_STATUS] = state_status,
    [DOMAIN_MODE_DELIVERY] = state_delivery,
    [DOMAIN_MODE_BOARD] = state_board,
};

static int add_common(struct snap *s, cJSON *state, int64_t now)
{
    cJSON *site = cJSON_AddObjectToObject(state, "site");
    return site && cJSON_AddNumberToObject(site, "id", (double)s->day.site.id) &&
                   cJSON_AddStringToObject(site, "code", s->day.site.code) &&
                   cJSON_AddStringToObject(site, "name", s->day.site.name) &&
                   cJSON_AddNumberToObject(site, "utc_offset_min", s->day.site.utc_offset_min) &&
                   cJSON_AddNumberToObject(state, "now", (double)now)
               ? 0
               : -1;
}

cJSON *core_snapshot(struct core *c, const struct core_device *dev, int64_t now, int64_t *seq)
{
    struct proto_error err = {0};
    struct snap s = {.c = c, .dev = dev, .err = &err, .now = now};
    /* api devices do not subscribe (domain_mode_allows): they have no snapshot */
    if ((unsigned)dev->mode >= DOMAIN_MODE__COUNT || !mode_state[dev->mode])
        return NULL;
    cJSON *state = cJSON_CreateObject();
    if (!state || store_begin_read(c->store, &err))
        goto fail;
    /* the seq is read inside the same read transaction as the state: they agree exactly */
    if (store_events_last_seq(c->store, seq, &err) ||
        core_day(c, dev->site_id, now, &s.day, &err) || add_common(&s, state, now) ||
        mode_state[dev->mode](&s, state))
        goto fail;
    store_rollback(c->store); /* read only: ending it releases the snapshot */
    return state;
fail:
    store_rollback(c->store);
    log_error("core", "snapshot for device %lld failed: %s", (long long)dev->id,
              err.message[0] ? err.message : "out of memory");
    cJSON_Delete(state);
    return NULL;
}

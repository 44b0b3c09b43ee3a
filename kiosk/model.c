/* Hub state mirror (see model.h). Runs on the UI thread only. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "proto.h"

struct model {
    enum model_mode mode;
    int64_t seq;
    int64_t now;
    bool ready;
    cJSON *site;
    cJSON *visits;
    cJSON *orders;
    cJSON *wall;
    cJSON *deliveries;
    cJSON *consultants;
    cJSON *models;
    /* board only: the floor (PROTOCOL.md "Snapshot state by mode") */
    cJSON *notifications;
    cJSON *conflicts;
    cJSON *complaints;
    cJSON *overdue;
    cJSON *appointments;
    cJSON *fleet;       /* the site's screens (fleet rows), kept by id */
    cJSON *board_stats; /* the last board_stats answer, NULL before one */
};

/* Notifications a board keeps, newest first, as the hub's snapshot does. */
#define MODEL_NOTIFY_KEEP 20

/* The snapshot keys mirrored as lists, in the order of model_lists(). */
static const char *const model_list_keys[] = {
    "visits",        "orders",    "wall",       "deliveries", "consultants",  "models",
    "notifications", "conflicts", "complaints", "overdue",    "appointments", "fleet",
};
#define MODEL_NLISTS (int)(sizeof model_list_keys / sizeof model_list_keys[0])

static void model_lists(struct model *m, cJSON **l[MODEL_NLISTS])
{
    cJSON **all[] = {&m->visits,      &m->orders,  &m->wall,          &m->deliveries,
                     &m->consultants, &m->models,  &m->notifications, &m->conflicts,
                     &m->complaints,  &m->overdue, &m->appointments,  &m->fleet};
    for (int i = 0; i < MODEL_NLISTS; i++)
        l[i] = all[i];
}

static const char *const model_mode_names[] = {"reception", "status", "delivery", "board"};

int model_mode_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, model_mode_names[i]) == 0)
            return i;
    return -1;
}

const char *model_mode_name(enum model_mode mode)
{
    return (unsigned)mode < 4 ? model_mode_names[mode] : "";
}

static int model_reset_lists(struct model *m)
{
    cJSON_Delete(m->site);
    m->site = NULL;
    cJSON **l[MODEL_NLISTS];
    model_lists(m, l);
    int ok = 1;
    for (int i = 0; i < MODEL_NLISTS; i++) {
        cJSON_Delete(*l[i]);
        *l[i] = cJSON_CreateArray();
        if (!*l[i])
            ok = 0;
    }
    return ok ? 0 : -1;
}

struct model *model_new(enum model_mode mode)
{
    struct model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->mode = mode;
    if (model_reset_lists(m) != 0) {
        model_free(m);
        return NULL;
    }
    return m;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    cJSON **l[MODEL_NLISTS];
    model_lists(m, l);
    for (int i = 0; i < MODEL_NLISTS; i++)
        cJSON_Delete(*l[i]);
    cJSON_Delete(m->site);
    cJSON_Delete(m->board_stats);
    free(m);
}

void model_clear(struct model *m)
{
    model_reset_lists(m);
    cJSON_Delete(m->board_stats);
    m->board_stats = NULL;
    m->seq = 0;
    m->now = 0;
    m->ready = false;
}

/* A deep copy of state[key] when it is an array, else an empty array. */
static cJSON *model_copy_list(const cJSON *state, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(state, key);
    if (cJSON_IsArray(a))
        return cJSON_Duplicate(a, 1);
    return cJSON_CreateArray();
}

int model_apply_snapshot(struct model *m, int64_t seq, const cJSON *state)
{
    if (!cJSON_IsObject(state))
        return -1;
    const cJSON *site = cJSON_GetObjectItemCaseSensitive(state, "site");
    cJSON *nsite = cJSON_IsObject(site) ? cJSON_Duplicate(site, 1) : NULL;
    cJSON *lists[MODEL_NLISTS];
    bool ok = true;
    for (int i = 0; i < MODEL_NLISTS; i++)
        ok &= (lists[i] = model_copy_list(state, model_list_keys[i])) != NULL;
    if (!ok) {
        for (int i = 0; i < MODEL_NLISTS; i++)
            cJSON_Delete(lists[i]);
        cJSON_Delete(nsite);
        return -1;
    }
    cJSON **l[MODEL_NLISTS];
    model_lists(m, l);
    for (int i = 0; i < MODEL_NLISTS; i++) {
        cJSON_Delete(*l[i]);
        *l[i] = lists[i];
    }
    cJSON_Delete(m->site);
    m->site = nsite;
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(state, "now");
    m->now = cJSON_IsNumber(now) ? (int64_t)now->valuedouble : 0;
    m->seq = seq;
    m->ready = true;
    return 0;
}

/* Index of the item of `list` whose `key` equals that of `item` (number or string); -1. */
static int model_find(const cJSON *list, const cJSON *item, const char *key)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(item, key);
    if (!want)
        return -1;
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const cJSON *have = cJSON_GetObjectItemCaseSensitive(it, key);
        if (have && cJSON_IsNumber(want) && cJSON_IsNumber(have) &&
            have->valuedouble == want->valuedouble)
            return i;
        if (have && cJSON_IsString(want) && cJSON_IsString(have) &&
            strcmp(have->valuestring, want->valuestring) == 0)
            return i;
        i++;
    }
    return -1;
}

/* Replaces the item with the same key or appends a copy. 1 changed, 0 not (bad item). */
static int model_upsert(cJSON *list, const cJSON *item, const char *key)
{
    if (!cJSON_IsObject(item) || !cJSON_GetObjectItemCaseSensitive(item, key))
        return 0;
    cJSON *copy = cJSON_Duplicate(item, 1);
    if (!copy)
        return 0;
    int idx = model_find(list, item, key);
    if (idx >= 0)
        cJSON_ReplaceItemInArray(list, idx, copy);
    else
        cJSON_AddItemToArray(list, copy);
    return 1;
}

static int model_remove(cJSON *list, const cJSON *item, const char *key)
{
    int idx = model_find(list, item, key);
    if (idx < 0)
        return 0;
    cJSON_DeleteItemFromArray(list, idx);
    return 1;
}

static bool model_str_is(const cJSON *obj, const char *key, const char *value)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(s) && strcmp(s->valuestring, value) == 0;
}

static int model_apply_visit(struct model *m, const cJSON *visit)
{
    if (m->mode != MODEL_RECEPTION && m->mode != MODEL_BOARD)
        return 0;
    /* Reception mirrors open visits only; the board keeps today's, departed included. */
    if (m->mode == MODEL_RECEPTION && model_str_is(visit, "status", "departed"))
        return model_remove(m->visits, visit, "id");
    return model_upsert(m->visits, visit, "id");
}

static int model_apply_order(struct model *m, const cJSON *data)
{
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(data, "order");
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(data, "wall");
    switch (m->mode) {
    case MODEL_BOARD:
        if (!cJSON_IsObject(order))
            return 0;
        /* The board shows open orders; finished ones leave it. */
        if (model_str_is(order, "stage", "delivered") || model_str_is(order, "stage", "closed") ||
            model_str_is(order, "stage", "cancelled"))
            return model_remove(m->orders, order, "id");
        return model_upsert(m->orders, order, "id");
    case MODEL_DELIVERY:
        if (!cJSON_IsObject(order))
            return 0;
        /* deliveries holds the orders in stage ready, as the snapshot does. */
        if (model_str_is(order, "stage", "ready"))
            return model_upsert(m->deliveries, order, "id");
        return model_remove(m->deliveries, order, "id");
    case MODEL_STATUS:
        if (!cJSON_IsObject(wall))
            return 0;
        /* The wall is what the snapshot holds: vehicles being prepared or ready (public
         * stage ready) and today's handovers (delivered). Status kiosks get every order's
         * events; the others (a new order, one sent back to payment) leave or stay off. */
        if (model_str_is(wall, "public_stage", "ready") ||
            model_str_is(wall, "public_stage", "delivered"))
            return model_upsert(m->wall, wall, "ref");
        return model_remove(m->wall, wall, "ref");
    case MODEL_RECEPTION:
        break;
    }
    return 0;
}

/* Inserts a copy of item at the front (lists kept newest first) or replaces the item with
 * the same id in place. 1 changed, 0 not (bad item). */
static int model_upsert_front(cJSON *list, const cJSON *item)
{
    if (model_find(list, item, "id") >= 0)
        return model_upsert(list, item, "id");
    if (!cJSON_IsObject(item) || !cJSON_GetObjectItemCaseSensitive(item, "id"))
        return 0;
    cJSON *copy = cJSON_Duplicate(item, 1);
    if (!copy)
        return 0;
    if (cJSON_GetArraySize(list) == 0)
        cJSON_AddItemToArray(list, copy);
    else
        cJSON_InsertItemInArray(list, 0, copy);
    return 1;
}

/* A staff.notify joins the front of the board's notifications as the snapshot holds them:
 * the event's data plus "seq" and "at"; the oldest beyond MODEL_NOTIFY_KEEP leave. */
static int model_apply_notify(struct model *m, int64_t seq, int64_t at, const cJSON *data)
{
    if (m->mode != MODEL_BOARD)
        return 0;
    cJSON *n = cJSON_Duplicate(data, 1);
    if (!n)
        return 0;
    cJSON_DeleteItemFromObjectCaseSensitive(n, "seq");
    cJSON_DeleteItemFromObjectCaseSensitive(n, "at");
    if (!cJSON_AddNumberToObject(n, "seq", (double)seq) ||
        !cJSON_AddNumberToObject(n, "at", (double)at)) {
        cJSON_Delete(n);
        return 0;
    }
    if (cJSON_GetArraySize(m->notifications) == 0)
        cJSON_AddItemToArray(m->notifications, n);
    else
        cJSON_InsertItemInArray(m->notifications, 0, n);
    while (cJSON_GetArraySize(m->notifications) > MODEL_NOTIFY_KEEP)
        cJSON_DeleteItemFromArray(m->notifications, MODEL_NOTIFY_KEEP);
    return 1;
}

/* The board's open conflicts: a ruled case leaves them. */
static int model_apply_conflict(struct model *m, const char *kind, const cJSON *data)
{
    const cJSON *cf = cJSON_GetObjectItemCaseSensitive(data, "conflict");
    if (m->mode != MODEL_BOARD || !cJSON_IsObject(cf))
        return 0;
    if (strcmp(kind, "conflict.ruled") == 0 || model_str_is(cf, "status", "ruled"))
        return model_remove(m->conflicts, cf, "id");
    return model_upsert_front(m->conflicts, cf);
}

/* The board's open complaints (open or responded): a closed or surveyed one leaves. */
static int model_apply_complaint(struct model *m, const cJSON *data)
{
    const cJSON *cp = cJSON_GetObjectItemCaseSensitive(data, "complaint");
    if (m->mode != MODEL_BOARD || !cJSON_IsObject(cp))
        return 0;
    if (model_str_is(cp, "status", "closed") || model_str_is(cp, "status", "surveyed"))
        return model_remove(m->complaints, cp, "id");
    return model_upsert_front(m->complaints, cp);
}

/* A screen of the site went online or offline: the board's fleet strip follows. A revoked
 * screen is no longer one of the site's. */
static int model_apply_device(struct model *m, const cJSON *data)
{
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(data, "device");
    if (m->mode != MODEL_BOARD || !cJSON_IsObject(dev))
        return 0;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(dev, "revoked")))
        return model_remove(m->fleet, dev, "id");
    return model_upsert(m->fleet, dev, "id");
}

int model_apply_event(struct model *m, int64_t seq, int64_t at, const char *kind, const cJSON *data)
{
    if (seq <= m->seq || !kind || !cJSON_IsObject(data))
        return 0;
    /* The seq advances even for ignored kinds: it is "the last seq I received". */
    m->seq = seq;
    if (strcmp(kind, "visit.checked_in") == 0 || strcmp(kind, "visit.updated") == 0)
        return model_apply_visit(m, cJSON_GetObjectItemCaseSensitive(data, "visit"));
    /* An ETA change and a time limit breached carry the order as it now is. */
    if (strcmp(kind, "order.created") == 0 || strcmp(kind, "order.updated") == 0 ||
        strcmp(kind, "order.eta_changed") == 0 || strcmp(kind, "order.sla_breached") == 0)
        return model_apply_order(m, data);
    if (strcmp(kind, "staff.notify") == 0)
        return model_apply_notify(m, seq, at, data);
    if (strncmp(kind, "conflict.", 9) == 0)
        return model_apply_conflict(m, kind, data);
    if (strncmp(kind, "complaint.", 10) == 0)
        return model_apply_complaint(m, data);
    if (strcmp(kind, "device.online") == 0 || strcmp(kind, "device.offline") == 0)
        return model_apply_device(m, data);
    return 0;
}

int64_t model_seq(const struct model *m)
{
    return m->seq;
}

bool model_ready(const struct model *m)
{
    return m->ready;
}

const cJSON *model_site(const struct model *m)
{
    return m->site;
}
const cJSON *model_visits(const struct model *m)
{
    return m->visits;
}
const cJSON *model_orders(const struct model *m)
{
    return m->orders;
}
const cJSON *model_wall(const struct model *m)
{
    return m->wall;
}
const cJSON *model_deliveries(const struct model *m)
{
    return m->deliveries;
}
const cJSON *model_consultants(const struct model *m)
{
    return m->consultants;
}
const cJSON *model_models(const struct model *m)
{
    return m->models;
}
const cJSON *model_notifications(const struct model *m)
{
    return m->notifications;
}
const cJSON *model_conflicts(const struct model *m)
{
    return m->conflicts;
}
const cJSON *model_complaints(const struct model *m)
{
    return m->complaints;
}
const cJSON *model_overdue(const struct model *m)
{
    return m->overdue;
}
const cJSON *model_appointments(const struct model *m)
{
    return m->appointments;
}
const cJSON *model_fleet(const struct model *m)
{
    return m->fleet;
}

const cJSON *model_board_stats(const struct model *m)
{
    return m->board_stats;
}

/* True when obj is an object holding a number under every one of the n keys. */
static bool model_numbers_in(const cJSON *obj, const char *const *keys, int n)
{
    if (!cJSON_IsObject(obj))
        return false;
    for (int i = 0; i < n; i++)
        if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, keys[i])))
            return false;
    return true;
}

int model_set_board_stats(struct model *m, const cJSON *data)
{
    static const char *const today_keys[] = {"visits", "leads", "orders", "deliveries",
                                             "sales_fen"};
    static const char *const trend_keys[] = {"visits", "orders", "deliveries"};
    static const char *const league_keys[] = {"orders", "deliveries", "sales_fen", "rating_n",
                                              "rating_sum"};
    const cJSON *trend = cJSON_GetObjectItemCaseSensitive(data, "trend");
    const cJSON *league = cJSON_GetObjectItemCaseSensitive(data, "league");
    /* Checked once here, so the views read numbers without a check at every use. */
    if (m->mode != MODEL_BOARD || !cJSON_IsObject(data) || !proto_get_str(data, "day") ||
        !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(data, "now")) ||
        !model_numbers_in(cJSON_GetObjectItemCaseSensitive(data, "today"), today_keys, 5) ||
        !cJSON_IsArray(trend) || cJSON_GetArraySize(trend) != MODEL_TREND_DAYS ||
        !cJSON_IsArray(league))
        return -1;
    const cJSON *it;
    cJSON_ArrayForEach(it, trend)
    {
        if (!proto_get_str(it, "day") || !model_numbers_in(it, trend_keys, 3))
            return -1;
    }
    cJSON_ArrayForEach(it, league)
    {
        if (!proto_get_str(it, "name") || !model_numbers_in(it, league_keys, 5))
            return -1;
    }
    cJSON *copy = cJSON_Duplicate(data, 1);
    if (!copy)
        return -1;
    cJSON_Delete(m->board_stats);
    m->board_stats = copy;
    return 0;
}

int64_t model_snapshot_now(const struct model *m)
{
    return m->now;
}

const char *model_model_name(const struct model *m, const char *code, bool lang_en)
{
    const cJSON *it;
    if (!code)
        return "";
    cJSON_ArrayForEach(it, m->models)
    {
        if (model_str_is(it, "code", code)) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, lang_en ? "name_en" : "name");
            if (cJSON_IsString(n) && n->valuestring[0])
                return n->valuestring;
        }
    }
    return code;
}

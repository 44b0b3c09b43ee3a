/* Device health and remote commands (issue 9, hub/FLEET.md): heartbeats and connections keep
 * devices online, silence past the site's limit takes them offline (events + webhook), and the
 * remote commands' queue with its results (screenshots included). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fleet.h"

#define DAY_MS 86400000LL

#define CMD_COLS                                                             \
    "id, device_id, action, state, detail, coalesce(length(png), 0), actor," \
    " created_at, done_at"

static const char *const sql[] = {
    "UPDATE devices SET hostname = coalesce(?2, hostname), version = coalesce(?3, version),"
    " screen = coalesce(?4, screen), started_at = coalesce(?5, started_at), frames = ?6,"
    " last_frame_at = coalesce(?7, last_frame_at), watchdog_restarts = ?8,"
    " last_watchdog_at = coalesce(?9, last_watchdog_at), last_seen = max(last_seen, ?10)"
    " WHERE id = ?1",
    "UPDATE devices SET online = 1, online_changed_at = ?2"
    " WHERE id = ?1 AND online = 0 AND revoked_at = 0",
    "UPDATE devices SET last_seen = max(last_seen, ?2), client = coalesce(?3, client),"
    " reconnects = CASE WHEN reconnect_day = ?4 THEN reconnects + 1 ELSE 0 END,"
    " reconnect_day = ?4 WHERE id = ?1",
    /* the site's limit is read from site_texts in the same statement: one pass for all sites */
    "SELECT d.id FROM devices d WHERE d.online = 1 AND d.revoked_at = 0 AND d.last_seen < ?1 -"
    " 1000 * coalesce((SELECT CAST(t.value AS INTEGER) FROM site_texts t"
    " WHERE t.site_id = d.site_id AND t.key = 'kiosk.offline_after_s'), ?2) ORDER BY d.id",
    "UPDATE devices SET online = 0, online_changed_at = ?2 WHERE id = ?1 AND online = 1",
    "INSERT INTO device_commands (device_id, action, actor, created_at) VALUES (?1, ?2, ?3, ?4)",
    "SELECT " CMD_COLS " FROM device_commands WHERE id = ?1",
    "SELECT png FROM device_commands WHERE id = ?1",
    "UPDATE device_commands SET state = 'sent' WHERE id = ?1 AND state = 'pending'",
    "UPDATE device_commands SET state = ?2, detail = ?3, png = ?4, done_at = ?5"
    " WHERE id = ?1 AND state IN ('pending', 'sent')",
};
enum {
    FL_HEALTH,
    FL_ONLINE,
    FL_CONNECTED,
    FL_SILENT,
    FL_OFFLINE,
    CMD_ADD,
    CMD_GET,
    CMD_PNG,
    CMD_SENT,
    CMD_FINISH,
};
const struct store_sql_table store_fleet_sql = {"fleet", sql, sizeof sql / sizeof sql[0]};

static const char *const cmd_states[] = {"pending", "sent", "done", "failed"};
static const char *const cmd_actions[] = {"reload", "identify", "restart", "screenshot"};

/* ---- online / offline ---- */

static int64_t local_day(int64_t now, int utc_offset_min)
{
    int64_t local = now + (int64_t)utc_offset_min * 60000;
    return local >= 0 ? local / DAY_MS : (local - DAY_MS + 1) / DAY_MS;
}

/* device.online / device.offline {"device": fleet row} for the device's site; the offline one
 * also goes to the site's webhook (when set) as {"kind","site","seq","at","device"}. */
static int announce(struct store *s, int64_t id, const char *kind, int64_t now,
                    struct proto_error *err)
{
    struct store_device d;
    struct store_site site;
    if (store_devices_get(s, id, &d, err) || store_sites_get(s, d.site_id, &site, err))
        return -1;
    cJSON *row = store_devices_fleet_json(s, &d, now);
    cJSON *data = cJSON_CreateObject();
    char *payload = NULL;
    int rc = -1;
    if (!row || !data || !cJSON_AddItemToObject(data, "device", row)) {
        cJSON_Delete(row);
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        goto out;
    }
    int64_t seq = 0;
    if (store_events_append_json(s, d.site_id, kind, now, data, &seq, err))
        goto out;
    if (strcmp(kind, "device.offline") == 0) {
        char url[STORE_URL_MAX + 1];
        if (store_settings_text_get(s, d.site_id, "webhook_url", url, sizeof url, NULL, err))
            goto out;
        if (url[0]) {
            if (!cJSON_AddStringToObject(data, "kind", kind) ||
                !cJSON_AddStringToObject(data, "site", site.code) ||
                !cJSON_AddNumberToObject(data, "seq", (double)seq) ||
                !cJSON_AddNumberToObject(data, "at", (double)now) ||
                !(payload = cJSON_PrintUnformatted(data))) {
                proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
                goto out;
            }
            if (store_webhooks_enqueue(s, d.site_id, seq, payload, now, NULL, err))
                goto out;
        }
    }
    rc = 0;
out:
    cJSON_free(payload);
    cJSON_Delete(data);
    return rc;
}

/* Online again (unless revoked or online already): device.online. *events counts it. */
static int come_online(struct store *s, int64_t id, int64_t at, int *events,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, FL_ONLINE);
    if (store_bind(s, st, err, "ii", id, at) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return 0;
    if (announce(s, id, "device.online", at, err))
        return -1;
    if (events)
        (*events)++;
    return 0;
}

int store_devices_health(struct store *s, const struct store_device_health *h, size_t n,
                         int *events, struct proto_error *err)
{
    if (events)
        *events = 0;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, FL_HEALTH);
        if (store_bind(s, st, err, "iTTTIiIiIi", h[i].device_id, h[i].hostname, h[i].version,
                       h[i].screen, h[i].started_at, h[i].frames, h[i].last_frame_at,
                       h[i].watchdog_restarts, h[i].last_watchdog_at, h[i].seen_at) ||
            store_exec(s, st, err))
            return -1;
        if (store_changes(s) != 1)
            return store_not_found(err, "device");
        if (come_online(s, h[i].device_id, h[i].seen_at, events, err))
            return -1;
    }
    return 0;
}

int store_devices_connected(struct store *s, int64_t id, const char *client, int64_t local_day_no,
                            int64_t now, int *events, struct proto_error *err)
{
    if (events)
        *events = 0;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, FL_CONNECTED);
    if (store_bind(s, st, err, "iiTi", id, now, client, local_day_no) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "device");
    return come_online(s, id, now, events, err);
}

int store_devices_mark_offline(struct store *s, int64_t now, int *n, struct proto_error *err)
{
    if (n)
        *n = 0;
    /* ids first: the announcements write while the SELECT would still be stepping */
    int64_t *ids = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, FL_SILENT);
    long def = strtol(store_fleet_config_default("offline_after_s"), NULL, 10);
    if (store_bind(s, st, err, "ii", now, (int64_t)def))
        return -1;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            int64_t *p = realloc(ids, ncap * sizeof *ids);
            if (!p) {
                rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
                break;
            }
            ids = p;
            cap = ncap;
        }
        ids[count++] = store_col_int(st, 0);
    }
    store_done(st);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        st = store_stmt(s, STORE_AGG_FLEET, FL_OFFLINE);
        if (store_bind(s, st, err, "ii", ids[i], now) || store_exec(s, st, err) ||
            announce(s, ids[i], "device.offline", now, err))
            rc = -1;
        else if (n)
            (*n)++;
    }
    free(ids);
    return rc < 0 ? -1 : 0;
}

/* Times are numbers, 0 for never (PROTOCOL.md "FleetDevice"); only uptime_s may be null. */
static int add_num(cJSON *o, const char *key, int64_t v)
{
    return cJSON_AddNumberToObject(o, key, (double)v) ? 0 : -1;
}

cJSON *store_devices_fleet_json(struct store *s, const struct store_device *d, int64_t now)
{
    struct store_site site;
    struct proto_error e;
    if (store_sites_get(s, d->site_id, &site, &e))
        return NULL;
    bool online = d->online && !d->revoked_at;
    int64_t reconnects =
        d->reconnect_day == local_day(now, site.utc_offset_min) ? d->reconnects : 0;
    cJSON *o = cJSON_CreateObject();
    if (!o || add_num(o, "id", d->id) || !cJSON_AddStringToObject(o, "name", d->name) ||
        !cJSON_AddStringToObject(o, "site", site.code) ||
        !cJSON_AddStringToObject(o, "mode", domain_mode_name(d->mode)) ||
        !cJSON_AddBoolToObject(o, "online", online) || add_num(o, "last_seen", d->last_seen) ||
        add_num(o, "online_changed_at", d->online_changed_at) ||
        !cJSON_AddStringToObject(o, "version", d->version) ||
        !cJSON_AddStringToObject(o, "hostname", d->hostname) ||
        !cJSON_AddStringToObject(o, "screen", d->screen))
        goto oom;
    if (online && d->started_at > 0 && now >= d->started_at) {
        if (add_num(o, "uptime_s", (now - d->started_at) / 1000))
            goto oom;
    } else if (!cJSON_AddNullToObject(o, "uptime_s")) {
        goto oom;
    }
    if (add_num(o, "last_frame_at", d->last_frame_at) ||
        add_num(o, "reconnects_today", reconnects) ||
        add_num(o, "watchdog_restarts", d->watchdog_restarts) ||
        add_num(o, "last_watchdog_at", d->last_watchdog_at) ||
        !cJSON_AddBoolToObject(o, "maintenance", d->maintenance) ||
        !cJSON_AddBoolToObject(o, "revoked", d->revoked_at != 0))
        goto oom;
    return o;
oom:
    cJSON_Delete(o);
    return NULL;
}

/* ---- remote commands ---- */

static void read_command(sqlite3_stmt *st, void *out)
{
    struct store_device_command *c = out;
    char state[16];
    c->id = store_col_int(st, 0);
    c->device_id = store_col_int(st, 1);
    store_col_text(st, 2, c->action, sizeof c->action);
    store_col_text(st, 3, state, sizeof state);
    c->state = STORE_CMD_PENDING;
    for (size_t i = 0; i < sizeof cmd_states / sizeof cmd_states[0]; i++)
        if (strcmp(state, cmd_states[i]) == 0)
            c->state = (enum store_command_state)i;
    store_col_text(st, 4, c->detail, sizeof c->detail);
    c->png_len = (size_t)store_col_int(st, 5);
    store_col_text(st, 6, c->actor, sizeof c->actor);
    c->created_at = store_col_int(st, 7);
    c->done_at = store_col_int(st, 8);
}

int store_device_commands_add(struct store *s, int64_t device_id, const char *action,
                              const char *actor, int64_t now, int64_t *id, struct proto_error *err)
{
    bool known = false;
    for (size_t i = 0; action && i < sizeof cmd_actions / sizeof cmd_actions[0]; i++)
        known = known || strcmp(action, cmd_actions[i]) == 0;
    if (!known)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "action",
                               "unknown action '%s' (reload, identify, restart, screenshot)",
                               action ? action : "");
    if (actor && strlen(actor) > PROTO_MAX_SHORT)
        return proto_error_set(err, PROTO_E_TOO_LONG, "actor", "the actor is too long");
    struct store_device d;
    if (store_devices_get(s, device_id, &d, err))
        return -1;
    if (d.revoked_at)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "device \"%s\" is revoked",
                               d.name);
    if (d.mode == DOMAIN_MODE_API)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                               "device \"%s\" is an api device, not a kiosk", d.name);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, CMD_ADD);
    if (store_bind(s, st, err, "itti", device_id, action, actor ? actor : "", now) ||
        store_exec(s, st, err))
        return -1;
    int64_t cid = store_last_id(s);
    char data[160];
    snprintf(data, sizeof data, "{\"command_id\":%lld,\"device_id\":%lld,\"action\":\"%s\"}",
             (long long)cid, (long long)device_id, action);
    if (store_events_append(s, d.site_id, "device.command", now, data, NULL, err))
        return -1;
    if (id)
        *id = cid;
    return 0;
}

int store_device_commands_get(struct store *s, int64_t id, struct store_device_command *out,
                              struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, CMD_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_command, out, "command", err);
}

int store_device_commands_png(struct store *s, int64_t id, unsigned char **png, size_t *len,
                              struct proto_error *err)
{
    *png = NULL;
    *len = 0;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, CMD_PNG);
    if (store_bind(s, st, err, "i", id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        const void *blob = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        if (!blob || n <= 0) {
            rc = proto_error_set(err, PROTO_E_NOT_FOUND, NULL, "command %lld has no screenshot",
                                 (long long)id);
        } else if (!(*png = malloc((size_t)n))) {
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        } else {
            memcpy(*png, blob, (size_t)n);
            *len = (size_t)n;
            rc = 0;
        }
    } else if (rc == 0) {
        rc = store_not_found(err, "command");
    }
    store_done(st);
    return rc;
}

int store_device_commands_sent(struct store *s, int64_t id, int64_t now, struct proto_error *err)
{
    (void)now; /* `sent` has no time of its own: done_at is the one that matters */
    struct store_device_command c;
    if (store_device_commands_get(s, id, &c, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, CMD_SENT);
    if (store_bind(s, st, err, "i", id) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "command %lld is %s, not pending",
                               (long long)id, cmd_states[c.state]);
    return 0;
}

int store_device_commands_finish(struct store *s, int64_t id, bool ok, const char *detail,
                                 const unsigned char *png, size_t png_len, int64_t now,
                                 struct proto_error *err)
{
    struct store_device_command c;
    if (detail && strlen(detail) > PROTO_MAX_TEXT)
        return proto_error_set(err, PROTO_E_TOO_LONG, "detail", "detail is longer than %d bytes",
                               PROTO_MAX_TEXT);
    if (png && png_len > PROTO_SCREENSHOT_MAX)
        return proto_error_set(err, PROTO_E_TOO_LONG, "png",
                               "the screenshot is larger than %d bytes", PROTO_SCREENSHOT_MAX);
    if (store_device_commands_get(s, id, &c, err))
        return -1;
    if (c.state == STORE_CMD_DONE || c.state == STORE_CMD_FAILED)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "command %lld already %s",
                               (long long)id, cmd_states[c.state]);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET, CMD_FINISH);
    if (store_bind(s, st, err, "itt", id, ok ? "done" : "failed", detail ? detail : ""))
        return -1;
    int brc = png && png_len ? sqlite3_bind_blob64(st, 4, png, png_len, SQLITE_TRANSIENT)
                             : sqlite3_bind_null(st, 4);
    if (brc != SQLITE_OK || sqlite3_bind_int64(st, 5, now) != SQLITE_OK) {
        store_done(st);
        return store_fault(s, "bind a command's result", err);
    }
    if (store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "command %lld already finished",
                               (long long)id);
    return 0;
}

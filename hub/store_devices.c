/* Devices: paired kiosks, each bound to a site and a mode, known by the hash of its token.
 * The fleet's writes to these rows (health, configuration) are store_fleet*.c's. */
#include "store_internal.h"

#include <stdio.h>

/* Migration 7's fleet columns follow the original nine (hub/FLEET.md). */
#define DEVICE_COLS                                                                             \
    "id, site_id, name, mode, token_hash, created_at, last_seen, client, revoked_at, hostname," \
    " version, screen, started_at, frames, last_frame_at, online, online_changed_at,"           \
    " reconnect_day, reconnects, watchdog_restarts, last_watchdog_at, maintenance, config"

static const char *const sql[] = {
    "INSERT INTO devices (site_id, name, mode, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
    "SELECT " DEVICE_COLS " FROM devices WHERE id = ?1",
    "SELECT " DEVICE_COLS " FROM devices WHERE token_hash = ?1",
    "SELECT " DEVICE_COLS " FROM devices WHERE site_id = ?1 AND name = ?2",
    "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0",
    "UPDATE devices SET last_seen = ?2, client = coalesce(?3, client) WHERE id = ?1",
    "SELECT " DEVICE_COLS " FROM devices WHERE ?1 = 0 OR site_id = ?1 ORDER BY id",
};
enum { DEV_ADD, DEV_GET, DEV_BY_TOKEN, DEV_BY_NAME, DEV_REVOKE, DEV_SEEN, DEV_LIST };
const struct store_sql_table store_devices_sql = {"devices", sql, sizeof sql / sizeof sql[0]};

static void read_device(sqlite3_stmt *st, void *out)
{
    struct store_device *d = out;
    char mode[PROTO_MAX_SHORT + 1];
    d->id = store_col_int(st, 0);
    d->site_id = store_col_int(st, 1);
    store_col_text(st, 2, d->name, sizeof d->name);
    store_col_text(st, 3, mode, sizeof mode);
    int m = domain_mode_from_name(mode);
    d->mode = m < 0 ? DOMAIN_MODE_STATUS : (enum domain_mode)m;
    store_col_text(st, 4, d->token_hash, sizeof d->token_hash);
    d->created_at = store_col_int(st, 5);
    d->last_seen = store_col_int(st, 6);
    store_col_text(st, 7, d->client, sizeof d->client);
    d->revoked_at = store_col_int(st, 8);
    store_col_text(st, 9, d->hostname, sizeof d->hostname);
    store_col_text(st, 10, d->version, sizeof d->version);
    store_col_text(st, 11, d->screen, sizeof d->screen);
    d->started_at = store_col_int(st, 12);
    d->frames = store_col_int(st, 13);
    d->last_frame_at = store_col_int(st, 14);
    d->online = store_col_int(st, 15) != 0;
    d->online_changed_at = store_col_int(st, 16);
    d->reconnect_day = store_col_int(st, 17);
    d->reconnects = store_col_int(st, 18);
    d->watchdog_restarts = store_col_int(st, 19);
    d->last_watchdog_at = store_col_int(st, 20);
    d->maintenance = store_col_int(st, 21) != 0;
    store_col_text(st, 22, d->config, sizeof d->config);
}

int store_devices_add(struct store *s, int64_t site_id, const char *name, enum domain_mode mode,
                      const char *token_hash, int64_t now, int64_t *id, struct proto_error *err)
{
    const char *mn = domain_mode_name(mode);
    if (!mn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "mode", "unknown mode");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_ADD);
    if (store_bind(s, st, err, "ittti", site_id, name, mn, token_hash, now) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
}

int store_devices_get(struct store *s, int64_t id, struct store_device *out,
                      struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_device, out, "device", err);
}

int store_devices_find_by_token(struct store *s, const char *token_hash, struct store_device *out,
                                struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_BY_TOKEN);
    if (store_bind(s, st, err, "t", token_hash))
        return -1;
    return store_one(s, st, read_device, out, "device", err);
}

int store_devices_find_by_name(struct store *s, int64_t site_id, const char *name,
                               struct store_device *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_BY_NAME);
    if (store_bind(s, st, err, "it", site_id, name))
        return -1;
    return store_one(s, st, read_device, out, "device", err);
}

int store_devices_revoke(struct store *s, int64_t id, int64_t now, struct proto_error *err)
{
    struct store_device d;
    if (store_devices_get(s, id, &d, err))
        return -1;
    if (d.revoked_at)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "device %lld is already revoked",
                               (long long)id);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_REVOKE);
    if (store_bind(s, st, err, "ii", id, now) || store_exec(s, st, err))
        return -1;
    char data[64];
    snprintf(data, sizeof data, "{\"device_id\":%lld}", (long long)id);
    return store_events_append(s, d.site_id, "device.revoked", now, data, NULL, err);
}

int store_devices_revoke_by_name(struct store *s, int64_t site_id, const char *name, int64_t now,
                                 int64_t *id, struct proto_error *err)
{
    struct store_device d;
    if (store_devices_find_by_name(s, site_id, name, &d, err) ||
        store_devices_revoke(s, d.id, now, err))
        return -1;
    if (id)
        *id = d.id;
    return 0;
}

int store_devices_seen(struct store *s, int64_t id, int64_t now, const char *client,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_SEEN);
    if (store_bind(s, st, err, "iiT", id, now, client) || store_exec(s, st, err))
        return -1;
    return store_changes(s) == 1 ? 0 : store_not_found(err, "device");
}

int store_devices_list(struct store *s, int64_t site_id,
                       int (*cb)(void *ctx, const struct store_device *d), void *ctx,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEVICES, DEV_LIST);
    if (store_bind(s, st, err, "i", site_id))
        return -1;
    struct store_device d;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_device(st, &d);
        if (cb(ctx, &d) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

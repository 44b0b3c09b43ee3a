/* The kiosk fleet in the core (core_fleet.h; hub/FLEET.md): pairing before authentication,
 * heartbeats and offline detection, pushed configuration, remote commands' results and the
 * fleet view. Each writer runs its own transaction and commits before it returns. */
#include "core_fleet.h"

#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "core_secret.h"
#include "log.h"
#include "store_fleet.h"

#define DAY_MS 86400000LL

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static const char *arg_str(const cJSON *args, const char *key)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(args, key));
    return v ? v : "";
}

static int64_t arg_int(const cJSON *args, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsNumber(v) && v->valuedouble > 0 ? (int64_t)v->valuedouble : 0;
}

/* Commits when rc is 0 (the write's result), else rolls back. 0 or -1. */
static int finish_tx(struct core *c, int rc, struct proto_error *err)
{
    if (rc == 0 && store_commit(c->store, err) == 0)
        return 0;
    store_rollback(c->store);
    return -1;
}

/* ---- pairing ---- */

int core_pair_open(struct core *c, const cJSON *args, const char *peer, int64_t now,
                   struct core_pairing *out, struct proto_error *err)
{
    char claim_hash[CORE_SECRET_HASH_LEN + 1];
    const char *claim = arg_str(args, "claim");
    if (strlen(claim) < PROTO_CLAIM_MIN ||
        core_secret_token_hash(claim, claim_hash, sizeof claim_hash))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "claim", "the claim is too short");
    /* a peer address longer than the column (odd IPv6 forms) is cut, not refused */
    char peer_buf[PROTO_MAX_SHORT + 1];
    snprintf(peer_buf, sizeof peer_buf, "%s", peer ? peer : "");
    struct store_pairing p;
    bool created = false;
    if (store_begin(c->store, err) ||
        finish_tx(c,
                  store_pairings_open(c->store, claim_hash, arg_str(args, "hostname"),
                                      arg_str(args, "screen"), arg_str(args, "version"), peer_buf,
                                      now, &p, &created, err),
                  err))
        return -1;
    memset(out, 0, sizeof *out);
    out->id = p.id;
    snprintf(out->code, sizeof out->code, "%s", p.code);
    out->expires_at = p.expires_at;
    out->approved = p.state == STORE_PAIRING_APPROVED;
    log_info("core", "pairing %lld %s for %s (%s)", (long long)p.id,
             created ? "opened" : (out->approved ? "approved already" : "shown again"),
             peer_buf[0] ? peer_buf : "?", p.hostname[0] ? p.hostname : "no hostname");
    return 0;
}

/* core_device of a stored device (site code and name filled). */
static int fill_device(struct core *c, const struct store_device *d, struct core_device *out,
                       struct proto_error *err)
{
    struct store_site site;
    if (store_sites_get(c->store, d->site_id, &site, err))
        return -1;
    memset(out, 0, sizeof *out);
    out->id = d->id;
    out->site_id = d->site_id;
    out->mode = d->mode;
    snprintf(out->name, sizeof out->name, "%s", d->name);
    snprintf(out->site_code, sizeof out->site_code, "%s", site.code);
    snprintf(out->site_name, sizeof out->site_name, "%s", site.name);
    return 0;
}

int core_pair_claim(struct core *c, int64_t pairing_id, int64_t now, char *token,
                    struct core_device *dev, struct proto_error *err)
{
    struct store_pairing p;
    struct store_device d;
    char hash[CORE_SECRET_HASH_LEN + 1];
    token[0] = '\0';
    if (store_begin(c->store, err))
        return -1;
    if (store_pairings_get(c->store, pairing_id, &p, err))
        goto fail;
    if (p.state == STORE_PAIRING_PENDING) {
        store_rollback(c->store);
        return 0;
    }
    if (p.state == STORE_PAIRING_DONE) {
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                        "pairing %lld already handed out its token", (long long)pairing_id);
        goto fail;
    }
    if (store_devices_get(c->store, p.device_id, &d, err))
        goto fail;
    if (d.revoked_at) {
        proto_error_set(err, PROTO_E_DEVICE_REVOKED, NULL, NULL);
        goto fail;
    }
    if (core_secret_token_new(token, PROTO_MAX_TOKEN + 1, hash, sizeof hash)) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot make a token");
        goto fail;
    }
    if (store_pairings_done(c->store, pairing_id, hash, now, err) || fill_device(c, &d, dev, err) ||
        store_commit(c->store, err))
        goto fail;
    log_info("core", "pairing %lld done: device %lld \"%s\" (%s)", (long long)pairing_id,
             (long long)d.id, d.name, domain_mode_name(d.mode));
    return 1;
fail:
    store_rollback(c->store);
    sodium_memzero(token, PROTO_MAX_TOKEN + 1);
    return -1;
}

/* ---- health ---- */

void core_heartbeat_from_args(const cJSON *args, int64_t device_id, int64_t at,
                              struct core_heartbeat *hb)
{
    memset(hb, 0, sizeof *hb);
    hb->device_id = device_id;
    hb->at = at;
    hb->frames = arg_int(args, "frames");
    hb->uptime_s = arg_int(args, "uptime_s");
    hb->last_frame_at = arg_int(args, "last_frame_at");
    hb->watchdog_restarts = arg_int(args, "watchdog_restarts");
    hb->last_watchdog_at = arg_int(args, "last_watchdog_at");
    snprintf(hb->screen, sizeof hb->screen, "%s", arg_str(args, "screen"));
    snprintf(hb->version, sizeof hb->version, "%s", arg_str(args, "version"));
    snprintf(hb->hostname, sizeof hb->hostname, "%s", arg_str(args, "hostname"));
}

int core_fleet_heartbeats(struct core *c, const struct core_heartbeat *hb, size_t n)
{
    struct proto_error err = {0};
    struct store_device_health h;
    int events = 0, total = 0;
    if (store_begin(c->store, &err))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        memset(&h, 0, sizeof h);
        h.device_id = hb[i].device_id;
        snprintf(h.hostname, sizeof h.hostname, "%s", hb[i].hostname);
        snprintf(h.version, sizeof h.version, "%s", hb[i].version);
        snprintf(h.screen, sizeof h.screen, "%s", hb[i].screen);
        /* the kiosk's start in hub time: uptime counted back from when the beat arrived */
        h.started_at = hb[i].at - hb[i].uptime_s * 1000;
        h.frames = hb[i].frames;
        h.last_frame_at = hb[i].last_frame_at;
        h.watchdog_restarts = hb[i].watchdog_restarts;
        h.last_watchdog_at = hb[i].last_watchdog_at;
        h.seen_at = hb[i].at;
        if (store_devices_health(c->store, &h, 1, &events, &err)) {
            if (err.code != PROTO_E_NOT_FOUND)
                goto fail;
            /* a device deleted under a live session: skip it, keep the others */
            log_warn("core", "heartbeat of unknown device %lld dropped", (long long)h.device_id);
            continue;
        }
        total += events;
    }
    if (store_commit(c->store, &err))
        goto fail;
    return total;
fail:
    store_rollback(c->store);
    log_error("core", "heartbeats not recorded: %s", err.message);
    return -1;
}

int core_fleet_connected(struct core *c, const struct core_device *dev, const char *client,
                         int64_t now)
{
    struct proto_error err = {0};
    struct store_site site;
    int events = 0;
    if (store_begin(c->store, &err) || store_sites_get(c->store, dev->site_id, &site, &err))
        goto fail;
    int64_t local = now + (int64_t)site.utc_offset_min * 60000;
    int64_t day = local >= 0 ? local / DAY_MS : (local - DAY_MS + 1) / DAY_MS;
    if (store_devices_connected(c->store, dev->id, client, day, now, &events, &err) ||
        store_commit(c->store, &err))
        goto fail;
    return events;
fail:
    store_rollback(c->store);
    log_error("core", "connection of device %lld not recorded: %s", (long long)dev->id,
              err.message);
    return -1;
}

int core_fleet_check(struct core *c, int64_t now)
{
    struct proto_error err = {0};
    int n = 0;
    if (store_begin(c->store, &err) || store_devices_mark_offline(c->store, now, &n, &err) ||
        store_commit(c->store, &err)) {
        store_rollback(c->store);
        log_error("core", "offline check failed: %s", err.message);
        return -1;
    }
    if (n > 0)
        log_info("core", "%d device%s went offline", n, n == 1 ? "" : "s");
    return n;
}

/* ---- configuration ---- */

cJSON *core_device_config(struct core *c, int64_t device_id)
{
    struct proto_error err = {0};
    struct store_device d;
    if (store_devices_get(c->store, device_id, &d, &err)) {
        log_error("core", "configuration of device %lld: %s", (long long)device_id, err.message);
        return NULL;
    }
    cJSON *cfg = store_devices_config_json(c->store, &d, &err);
    if (!cfg)
        log_error("core", "configuration of device %lld: %s", (long long)device_id, err.message);
    return cfg;
}

int core_device_get(struct core *c, int64_t device_id, struct core_device *out)
{
    struct proto_error err = {0};
    struct store_device d;
    if (store_devices_get(c->store, device_id, &d, &err) || fill_device(c, &d, out, &err)) {
        if (err.code != PROTO_E_NOT_FOUND)
            log_error("core", "device %lld: %s", (long long)device_id, err.message);
        return -1;
    }
    return 0;
}

/* ---- remote commands ---- */

int core_control_sent(struct core *c, int64_t command_id, int64_t now)
{
    struct proto_error err = {0};
    if (store_begin(c->store, &err) ||
        store_device_commands_sent(c->store, command_id, now, &err) ||
        store_commit(c->store, &err)) {
        store_rollback(c->store);
        log_error("core", "command %lld not marked sent: %s", (long long)command_id, err.message);
        return -1;
    }
    return 0;
}

int core_control_failed(struct core *c, int64_t command_id, const char *detail, int64_t now)
{
    struct proto_error err = {0};
    if (store_begin(c->store, &err) ||
        store_device_commands_finish(c->store, command_id, false, detail, NULL, 0, now, &err) ||
        store_commit(c->store, &err)) {
        store_rollback(c->store);
        log_error("core", "command %lld not marked failed: %s", (long long)command_id, err.message);
        return -1;
    }
    log_info("core", "command %lld failed: %s", (long long)command_id, detail ? detail : "");
    return 0;
}

int core_control_result(struct core *c, const struct core_device *dev, int64_t command_id, bool ok,
                        const char *detail, const unsigned char *png, size_t png_len, int64_t now,
                        struct proto_error *err)
{
    struct store_device_command cmd;
    struct proto_error e;
    if (store_device_commands_get(c->store, command_id, &cmd, &e)) {
        if (e.code != PROTO_E_NOT_FOUND) {
            if (err)
                *err = e;
            return -1;
        }
        cmd.device_id = 0;
    }
    if (cmd.device_id != dev->id) /* another device's command reads as missing */
        return proto_error_set(err, PROTO_E_NOT_FOUND, "command_id", "no command %lld for %s",
                               (long long)command_id, dev->name);
    if (cmd.state == STORE_CMD_DONE || cmd.state == STORE_CMD_FAILED)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "command_id",
                               "command %lld is already finished", (long long)command_id);
    bool screenshot = strcmp(cmd.action, "screenshot") == 0;
    if (png && !screenshot)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "data", "only a screenshot carries data");
    if (ok && screenshot &&
        (!png || png_len < sizeof png_signature ||
         memcmp(png, png_signature, sizeof png_signature) != 0)) {
        /* the kiosk will not send it again: the command fails now rather than at the CLI's
         * timeout, and the kiosk is told why */
        core_control_failed(c, command_id, "the kiosk's screenshot is not a PNG", now);
        return proto_error_set(err, PROTO_E_BAD_FIELD, "data", "the screenshot is not a PNG");
    }
    if (store_begin(c->store, err) ||
        finish_tx(c,
                  store_device_commands_finish(c->store, command_id, ok, detail, ok ? png : NULL,
                                               ok ? png_len : 0, now, err),
                  err))
        return -1;
    log_info("core", "command %lld (%s) on device %lld: %s%s%s", (long long)command_id, cmd.action,
             (long long)dev->id, ok ? "done" : "failed", detail && *detail ? ": " : "",
             detail ? detail : "");
    return 0;
}

int core_control_get(struct core *c, int64_t command_id, int64_t *device_id, char *action,
                     size_t actionsz)
{
    struct store_device_command cmd;
    struct proto_error err;
    if (store_device_commands_get(c->store, command_id, &cmd, &err)) {
        if (err.code != PROTO_E_NOT_FOUND)
            log_error("core", "command %lld: %s", (long long)command_id, err.message);
        return -1;
    }
    if (device_id)
        *device_id = cmd.device_id;
    if (action && actionsz)
        snprintf(action, actionsz, "%s", cmd.action);
    return 0;
}

/* ---- fleet view ---- */

struct fleet_list {
    struct store *s;
    cJSON *list;
    int64_t now;
};

static int add_row(void *ctx, const struct store_device *d)
{
    struct fleet_list *fl = ctx;
    cJSON *row = store_devices_fleet_json(fl->s, d, fl->now);
    if (!row || !cJSON_AddItemToArray(fl->list, row)) {
        cJSON_Delete(row);
        return -1;
    }
    return 0;
}

cJSON *core_fleet_json(struct core *c, int64_t site_id, int64_t now)
{
    struct proto_error err = {0};
    cJSON *o = cJSON_CreateObject();
    struct fleet_list fl = {.s = c->store, .now = now};
    if (!o || !(fl.list = cJSON_AddArrayToObject(o, "devices")) ||
        !cJSON_AddNumberToObject(o, "now", (double)now))
        goto fail;
    if (store_begin_read(c->store, &err) ||
        store_devices_list(c->store, site_id, add_row, &fl, &err)) {
        store_rollback(c->store);
        goto fail;
    }
    store_rollback(c->store); /* read only */
    return o;
fail:
    log_error("core", "fleet view failed: %s", err.message[0] ? err.message : "out of memory");
    cJSON_Delete(o);
    return NULL;
}

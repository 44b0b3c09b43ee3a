/* The kiosk fleet on a connection (hub/FLEET.md, PROTOCOL.md "Kiosk fleet"): the pairing
 * state of a kiosk without a token, heartbeats kept until the fleet timer flushes them,
 * remote commands sent as `control` and answered with `control_result` (a screenshot arrives
 * base64 in parts and is reassembled here), and configuration pushed as `device_config`.
 * Hub thread only; the core commits every change before it returns. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "server.h"

/* At most this many kiosks may wait for approval from one address, and in all: a pairing
 * session costs a row and a socket, and nobody approves a hundred codes at once. */
#define SESSION_FLEET_PAIRING_PER_PEER 5
#define SESSION_FLEET_PAIRING_TOTAL    100
/* The code's own expiry is the store's; the session ends a little later, so the kiosk that
 * reconnects at once is sure to get a new code rather than the last second of the old one. */
#define SESSION_FLEET_EXPIRY_MARGIN_MS 1000
#define SESSION_FLEET_CLOSE_TRY_LATER  1013
#define SESSION_FLEET_SHOT_MAX         ((size_t)PROTO_SCREENSHOT_MAX)

static const unsigned char session_fleet_png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* ---- pairing ---- */

static enum lws_close_status session_fleet_close_status(enum proto_err code)
{
    switch (code) {
    case PROTO_E_INTERNAL:
        return LWS_CLOSE_STATUS_UNEXPECTED_CONDITION;
    case PROTO_E_RATE_LIMITED:
    case PROTO_E_UNAVAILABLE:
        return (enum lws_close_status)SESSION_FLEET_CLOSE_TRY_LATER;
    default:
        return LWS_CLOSE_STATUS_POLICY_VIOLATION;
    }
}

/* Refuses a `pair` the way a refused `auth` is refused: auth_failed, then close. */
static void session_fleet_pair_failed(struct session *s, const struct proto_error *err)
{
    log_info("hub", "pair refused conn=%llu peer=%s code=%s reason=%s",
             (unsigned long long)s->conn_id, s->peer, proto_error_code(err->code), err->message);
    session_finish(s, proto_encode_auth_failed(err), session_fleet_close_status(err->code),
                   proto_error_code(err->code));
}

/* Hands out the token of an approved pairing: `paired`, then a normal close (the kiosk
 * stores the token and reconnects with auth). 1 sent, 0 still pending, -1 with *err. */
static int session_fleet_claim(struct session *s, int64_t pairing_id, int64_t now,
                               struct proto_error *err)
{
    struct server *srv = s->srv;
    char token[PROTO_MAX_TOKEN + 1];
    struct core_device dev;
    int rc = core_pair_claim(srv->core, pairing_id, now, token, &dev, err);
    if (rc <= 0)
        return rc;
    /* The token is stored now: the kiosk must get it even if its config cannot be read (it
     * gets the config again with auth_ok). */
    cJSON *dj = session_device_json(s, &dev);
    if (!dj)
        dj = core_device_json(&dev);
    cJSON *m = cJSON_CreateObject();
    char *json = NULL;
    if (m && dj && cJSON_AddStringToObject(m, "token", token) &&
        cJSON_AddItemToObject(m, "device", dj)) {
        dj = NULL;
        json = proto_encode_push(PROTO_T_PAIRED, m);
    }
    cJSON_Delete(dj);
    if (m) {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "token");
        if (cJSON_IsString(t))
            sodium_memzero(t->valuestring, strlen(t->valuestring));
    }
    cJSON_Delete(m);
    sodium_memzero(token, sizeof token);
    if (!json) {
        log_error("hub", "paired frame not encoded conn=%llu device_id=%lld",
                  (unsigned long long)s->conn_id, (long long)dev.id);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    lws_set_timer_usecs(s->wsi, LWS_SET_TIMER_USEC_CANCEL);
    log_info("hub", "paired conn=%llu peer=%s pairing_id=%lld device_id=%lld device=\"%s\" site=%s",
             (unsigned long long)s->conn_id, s->peer, (long long)pairing_id, (long long)dev.id,
             dev.name, dev.site_code);
    session_finish(s, json, LWS_CLOSE_STATUS_NORMAL, "paired");
    return 1;
}

void session_fleet_pair(struct session *s, const struct proto_msg *msg)
{
    struct server *srv = s->srv;
    struct proto_error err;
    int64_t now = clock_now_ms(&srv->clock);
    int same_peer = 0, total = 0;
    for (const struct session *o = srv->sessions; o; o = o->next) {
        if (o->state != SESSION_PAIRING)
            continue;
        total++;
        if (strcmp(o->peer, s->peer) == 0)
            same_peer++;
    }
    if (same_peer >= SESSION_FLEET_PAIRING_PER_PEER || total >= SESSION_FLEET_PAIRING_TOTAL) {
        proto_error_set(&err, PROTO_E_RATE_LIMITED, NULL,
                        "too many kiosks are waiting for pairing%s; try again later",
                        same_peer >= SESSION_FLEET_PAIRING_PER_PEER ? " from this address" : "");
        session_fleet_pair_failed(s, &err);
        return;
    }
    struct core_pairing p;
    if (core_pair_open(srv->core, msg->args, s->peer, now, &p, &err) != 0) {
        session_fleet_pair_failed(s, &err);
        return;
    }
    if (p.approved) {
        /* Approved while the kiosk was away: the token goes out at once. */
        int rc = session_fleet_claim(s, p.id, now, &err);
        if (rc < 0)
            session_fleet_pair_failed(s, &err);
        if (rc != 0)
            return;
    }
    cJSON *m = cJSON_CreateObject();
    char *json = NULL;
    if (m && cJSON_AddStringToObject(m, "code", p.code) &&
        cJSON_AddNumberToObject(m, "expires_at", (double)p.expires_at))
        json = proto_encode_push(PROTO_T_PAIRING, m);
    cJSON_Delete(m);
    if (!json) {
        proto_error_set(&err, PROTO_E_INTERNAL, NULL, "the pairing code could not be sent");
        session_fleet_pair_failed(s, &err);
        return;
    }
    s->state = SESSION_PAIRING;
    s->pairing_id = p.id;
    s->pairing_expires_at = p.expires_at;
    int64_t left_ms = p.expires_at - now + SESSION_FLEET_EXPIRY_MARGIN_MS;
    lws_set_timer_usecs(s->wsi, (lws_usec_t)(left_ms > 1 ? left_ms : 1) * LWS_US_PER_MS);
    log_info("hub", "pairing conn=%llu peer=%s pairing_id=%lld code=%s expires_in_s=%lld",
             (unsigned long long)s->conn_id, s->peer, (long long)p.id, p.code,
             (long long)((p.expires_at - now) / 1000));
    session_send_json(s, json, false);
}

void session_fleet_pairing_expired(struct session *s)
{
    log_info("hub", "pairing expired conn=%llu peer=%s pairing_id=%lld",
             (unsigned long long)s->conn_id, s->peer, (long long)s->pairing_id);
    session_close(s, PROTO_E_INVALID_STATE, "the pairing code expired; a new one follows",
                  LWS_CLOSE_STATUS_NORMAL);
}

void session_fleet_paired(struct server *srv, int64_t pairing_id)
{
    int64_t now = clock_now_ms(&srv->clock);
    bool claimed = false;
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (s->state != SESSION_PAIRING || s->pairing_id != pairing_id)
            continue;
        struct proto_error err;
        if (claimed) {
            /* The same kiosk on a second connection (its old one not yet gone). */
            session_close(s, PROTO_E_INVALID_STATE,
                          "the pairing was completed on another connection",
                          LWS_CLOSE_STATUS_NORMAL);
            continue;
        }
        int rc = session_fleet_claim(s, pairing_id, now, &err);
        if (rc > 0) {
            claimed = true;
        } else if (rc < 0) {
            log_warn("hub", "pairing %lld not handed out: %s", (long long)pairing_id, err.message);
            session_close(s, err.code, err.message, LWS_CLOSE_STATUS_NORMAL);
        }
    }
}

/* ---- health ---- */

int session_fleet_heartbeat(struct session *s, const struct proto_msg *msg, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    core_heartbeat_from_args(msg->args, s->dev.id, now, &s->hb);
    s->hb_dirty = true;
    *data = cJSON_CreateObject();
    /* The site's silence limit, so a kiosk can beat often enough to stay online. */
    if (!*data || (s->offline_after_s > 0 &&
                   !cJSON_AddNumberToObject(*data, "offline_after_s", (double)s->offline_after_s)))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    return 0;
}

void session_fleet_tick(struct server *srv, int64_t now)
{
    size_t n = 0;
    for (const struct session *s = srv->sessions; s; s = s->next)
        n += s->hb_dirty && s->state == SESSION_READY;
    if (n) {
        struct core_heartbeat *hb = malloc(n * sizeof *hb);
        if (!hb) {
            log_error("hub", "out of memory flushing %zu heartbeats", n);
        } else {
            size_t i = 0;
            for (const struct session *s = srv->sessions; s && i < n; s = s->next)
                if (s->hb_dirty && s->state == SESSION_READY)
                    hb[i++] = s->hb;
            /* On a store error the heartbeats stay dirty and are tried again next time. */
            if (core_fleet_heartbeats(srv->core, hb, i) >= 0)
                for (struct session *s = srv->sessions; s; s = s->next)
                    if (s->state == SESSION_READY)
                        s->hb_dirty = false;
            free(hb);
        }
    }
    int off = core_fleet_check(srv->core, now);
    if (off > 0)
        log_info("hub", "fleet: %d device(s) went offline", off);
}

static void session_fleet_shot_drop(struct session *s)
{
    free(s->shot);
    s->shot = NULL;
    s->shot_len = s->shot_cap = 0;
    s->shot_parts = 0;
    s->shot_command_id = 0;
}

int session_fleet_forget(struct session *s)
{
    session_fleet_shot_drop(s);
    if (!s->hb_dirty || !s->authed)
        return 0;
    s->hb_dirty = false;
    return core_fleet_heartbeats(s->srv->core, &s->hb, 1) > 0;
}

/* ---- remote commands ---- */

void session_fleet_command(struct server *srv, int64_t command_id, int64_t device_id,
                           const char *action)
{
    int64_t now = clock_now_ms(&srv->clock);
    struct session *to = NULL;
    for (struct session *s = srv->sessions; s && !to; s = s->next)
        if (s->state == SESSION_READY && s->dev.id == device_id)
            to = s; /* the newest connection: an older one is on its way out */
    if (!to) {
        log_info("hub", "control command_id=%lld device_id=%lld action=%s: device offline",
                 (long long)command_id, (long long)device_id, action);
        if (core_control_failed(srv->core, command_id, "the device is offline", now) != 0)
            log_warn("hub", "command %lld could not be marked failed", (long long)command_id);
        return;
    }
    cJSON *m = cJSON_CreateObject();
    char *json = NULL;
    if (m && cJSON_AddNumberToObject(m, "command_id", (double)command_id) &&
        cJSON_AddStringToObject(m, "action", action))
        json = proto_encode_push(PROTO_T_CONTROL, m);
    cJSON_Delete(m);
    if (!json || session_send_json(to, json, false) != 0) {
        if (!json)
            log_error("hub", "control frame not encoded command_id=%lld action=%s",
                      (long long)command_id, action);
        core_control_failed(srv->core, command_id, "the command could not be sent to the device",
                            now);
        return;
    }
    log_info("hub", "control conn=%llu device_id=%lld device=\"%s\" command_id=%lld action=%s",
             (unsigned long long)to->conn_id, (long long)device_id, to->dev.name,
             (long long)command_id, action);
    if (core_control_sent(srv->core, command_id, now) != 0)
        log_warn("hub", "command %lld could not be marked sent", (long long)command_id);
}

/* The command must be this device's (another kiosk's id is answered as unknown, so ids of
 * other devices are not revealed). 0 with its action, -1 with *err. */
static int session_fleet_own_command(struct session *s, int64_t command_id, char *action,
                                     size_t actionsz, struct proto_error *err)
{
    int64_t device_id = 0;
    if (core_control_get(s->srv->core, command_id, &device_id, action, actionsz) != 0 ||
        device_id != s->dev.id)
        return proto_error_set(err, PROTO_E_NOT_FOUND, "command_id",
                               "this device has no command %lld", (long long)command_id);
    return 0;
}

/* A part of this session's screenshot went wrong: the command fails (the CLI hears at once),
 * the buffer goes, and the kiosk gets `err`. */
static int session_fleet_shot_fail(struct session *s, int64_t now, struct proto_error *err)
{
    char detail[PROTO_MAX_TEXT + 1];
    snprintf(detail, sizeof detail, "the screenshot could not be received: %s", err->message);
    if (core_control_failed(s->srv->core, s->shot_command_id, detail, now) != 0)
        log_warn("hub", "command %lld could not be marked failed", (long long)s->shot_command_id);
    session_fleet_shot_drop(s);
    return -1;
}

/* One base64 part of a screenshot. 0 when taken (and, on the last, recorded), -1 with *err. */
static int session_fleet_shot_part(struct session *s, const cJSON *args, int64_t command_id,
                                   const char *b64, int64_t now, struct proto_error *err)
{
    const cJSON *part = cJSON_GetObjectItemCaseSensitive(args, "part");
    if (!part)
        return proto_error_set(err, PROTO_E_MISSING_FIELD, "part",
                               "a screenshot part needs its number in part");
    int64_t i = proto_get_int(args, "part", 0);
    if (!proto_get_bool(args, "ok", false))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "data",
                               "a command that failed carries no data");
    if (i == 0) {
        char action[16];
        if (session_fleet_own_command(s, command_id, action, sizeof action, err) != 0)
            return -1;
        if (strcmp(action, "screenshot") != 0)
            return proto_error_set(err, PROTO_E_BAD_FIELD, "data",
                                   "command %lld is %s: only a screenshot carries data",
                                   (long long)command_id, action);
        session_fleet_shot_drop(s); /* a new screenshot replaces one left unfinished */
        s->shot_command_id = command_id;
    } else if (command_id != s->shot_command_id) {
        return proto_error_set(err, PROTO_E_INVALID_STATE, "part",
                               "part %lld of command %lld came without part 0", (long long)i,
                               (long long)command_id);
    } else if (i != s->shot_parts) {
        proto_error_set(err, PROTO_E_INVALID_STATE, "part",
                        "part %lld arrived where part %lld was expected", (long long)i,
                        (long long)s->shot_parts);
        return session_fleet_shot_fail(s, now, err);
    }
    size_t b64_len = strlen(b64);
    size_t most = b64_len / 4 * 3 + 3;
    if (s->shot_len + most > SESSION_FLEET_SHOT_MAX + 3) {
        proto_error_set(err, PROTO_E_TOO_LONG, "data", "a screenshot may have at most %d bytes",
                        PROTO_SCREENSHOT_MAX);
        return session_fleet_shot_fail(s, now, err);
    }
    if (!s->shot || s->shot_len + most > s->shot_cap) {
        size_t cap = s->shot_len + most;
        unsigned char *p = realloc(s->shot, cap);
        if (!p) {
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            return session_fleet_shot_fail(s, now, err);
        }
        s->shot = p;
        s->shot_cap = cap;
    }
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(s->shot + s->shot_len, s->shot_cap - s->shot_len, b64, b64_len, NULL,
                          &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len) {
        proto_error_set(err, PROTO_E_BAD_FIELD, "data", "part %lld is not base64", (long long)i);
        return session_fleet_shot_fail(s, now, err);
    }
    if (s->shot_len + got > SESSION_FLEET_SHOT_MAX) {
        proto_error_set(err, PROTO_E_TOO_LONG, "data", "a screenshot may have at most %d bytes",
                        PROTO_SCREENSHOT_MAX);
        return session_fleet_shot_fail(s, now, err);
    }
    s->shot_len += got;
    s->shot_parts++;
    if (!proto_get_bool(args, "last", false))
        return 0;
    if (s->shot_len < sizeof session_fleet_png_sig ||
        memcmp(s->shot, session_fleet_png_sig, sizeof session_fleet_png_sig) != 0) {
        proto_error_set(err, PROTO_E_BAD_FIELD, "data", "the screenshot is not a PNG");
        return session_fleet_shot_fail(s, now, err);
    }
    const char *detail = proto_get_str(args, "detail");
    int rc = core_control_result(s->srv->core, &s->dev, command_id, true, detail ? detail : "",
                                 s->shot, s->shot_len, now, err);
    log_info("hub", "screenshot conn=%llu device=\"%s\" command_id=%lld bytes=%zu parts=%lld %s",
             (unsigned long long)s->conn_id, s->dev.name, (long long)command_id, s->shot_len,
             (long long)s->shot_parts, rc == 0 ? "stored" : proto_error_code(err->code));
    session_fleet_shot_drop(s);
    return rc == 0 ? 0 : -1;
}

int session_fleet_control_result(struct session *s, const struct proto_msg *msg, int64_t now,
                                 cJSON **data, struct proto_error *err)
{
    const cJSON *args = msg->args;
    int64_t command_id = proto_get_int(args, "command_id", 0);
    const char *b64 = proto_get_str(args, "data");
    if (b64) {
        if (session_fleet_shot_part(s, args, command_id, b64, now, err) != 0)
            return -1;
    } else {
        if (cJSON_GetObjectItemCaseSensitive(args, "part") ||
            cJSON_GetObjectItemCaseSensitive(args, "last"))
            return proto_error_set(err, PROTO_E_MISSING_FIELD, "data",
                                   "a screenshot part carries its base64 in data");
        char action[16];
        bool ok = proto_get_bool(args, "ok", false);
        if (session_fleet_own_command(s, command_id, action, sizeof action, err) != 0)
            return -1;
        if (ok && strcmp(action, "screenshot") == 0)
            return proto_error_set(err, PROTO_E_MISSING_FIELD, "data",
                                   "a screenshot is answered with the PNG in data");
        const char *detail = proto_get_str(args, "detail");
        if (core_control_result(s->srv->core, &s->dev, command_id, ok, detail ? detail : "", NULL,
                                0, now, err) != 0)
            return -1;
        if (s->shot_command_id == command_id)
            session_fleet_shot_drop(s);
        log_info("hub", "control result conn=%llu device=\"%s\" command_id=%lld action=%s ok=%d",
                 (unsigned long long)s->conn_id, s->dev.name, (long long)command_id, action, ok);
    }
    *data = cJSON_CreateObject();
    if (!*data)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    return 0;
}

/* ---- configuration ---- */

void session_fleet_changed(struct server *srv, int64_t site_id, int64_t device_id)
{
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (s->state != SESSION_READY || s->dev.site_id != site_id ||
            s->dev.mode == DOMAIN_MODE_API || (device_id != 0 && s->dev.id != device_id))
            continue;
        struct core_device cur;
        cJSON *cfg = NULL;
        if (core_device_get(srv->core, s->dev.id, &cur) != 0 ||
            !(cfg = core_device_config(srv->core, s->dev.id))) {
            log_warn("hub", "device_config not pushed conn=%llu device_id=%lld: store error",
                     (unsigned long long)s->conn_id, (long long)s->dev.id);
            continue;
        }
        s->offline_after_s = proto_get_int(cfg, "offline_after_s", s->offline_after_s);
        cJSON *m = cJSON_CreateObject();
        char *json = NULL;
        if (m && cJSON_AddItemToObject(m, "config", cfg)) {
            cfg = NULL;
            json = proto_encode_push(PROTO_T_DEVICE_CONFIG, m);
        }
        cJSON_Delete(cfg);
        cJSON_Delete(m);
        if (!json) {
            log_error("hub", "device_config not encoded device_id=%lld", (long long)s->dev.id);
            continue;
        }
        log_info("hub", "device_config conn=%llu device_id=%lld device=\"%s\"",
                 (unsigned long long)s->conn_id, (long long)s->dev.id, s->dev.name);
        if (session_send_json(s, json, false) != 0)
            continue;
        /* A new mode needs the new mode's snapshot and rules: the kiosk reconnects. */
        if (cur.mode != s->dev.mode) {
            log_info("hub", "mode changed conn=%llu device_id=%lld %s -> %s: closing",
                     (unsigned long long)s->conn_id, (long long)s->dev.id,
                     domain_mode_name(s->dev.mode), domain_mode_name(cur.mode));
            session_close_after_queue(s, PROTO_E_UNAVAILABLE,
                                      "the device's mode changed; reconnecting",
                                      LWS_CLOSE_STATUS_NORMAL);
        }
    }
}

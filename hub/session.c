/* One showfloor.v1 connection: hello, the auth phase, frame reassembly, the outbound queue
 * written one frame per WRITEABLE callback, and closing with a final `closing` frame. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "server_guard.h"

#define SESSION_AUTH_TIMEOUT_US (10 * LWS_US_PER_SEC)
/* Close status for a subscriber cut off for not reading: 1013 "try again later". */
#define SESSION_CLOSE_TRY_LATER 1013
/* A session in SESSION_CLOSING whose peer never reads is killed after this long. */
#define SESSION_CLOSE_GRACE_S 5

static void session_link(struct session *s)
{
    s->next = s->srv->sessions;
    s->prev = NULL;
    if (s->next)
        s->next->prev = s;
    s->srv->sessions = s;
}

static void session_unlink(struct session *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else if (s->srv->sessions == s)
        s->srv->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static const char *session_device_label(const struct session *s)
{
    return s->authed ? s->dev.name : "-";
}

/* Queues the final frame and arranges the close. Anything queued before is dropped, since
 * the peer will not act on it once it reads the reason for closing, unless `keep`: then it
 * goes out first (a `device_config` before the close that makes the kiosk reconnect). */
static void session_finish_keep(struct session *s, char *json, enum lws_close_status status,
                                const char *reason, bool keep)
{
    if (s->state == SESSION_CLOSING) {
        free(json);
        return;
    }
    if (!keep)
        session_queue_clear(&s->out);
    s->state = SESSION_CLOSING;
    s->close_status = status;
    s->close_reason = reason;
    struct session_frame *f = session_queue_frame_new(json, false);
    if (f) {
        f->is_closing = true;
        if (session_queue_push(&s->out, f, core_durable_written(s->srv->core)) != 0)
            s->close_now = true;
        session_queue_frame_unref(f);
    } else {
        s->close_now = true; /* nothing to say (OOM): close at once */
    }
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, SESSION_CLOSE_GRACE_S);
    lws_callback_on_writable(s->wsi);
}

void session_finish(struct session *s, char *json, enum lws_close_status status, const char *reason)
{
    session_finish_keep(s, json, status, reason, false);
}

void session_close(struct session *s, enum proto_err code, const char *message,
                   enum lws_close_status status)
{
    struct proto_error err;
    proto_error_set(&err, code, NULL, "%s", message ? message : proto_error_default_message(code));
    session_finish(s, proto_encode_closing(&err), status, proto_error_code(code));
}

void session_close_after_queue(struct session *s, enum proto_err code, const char *message,
                               enum lws_close_status status)
{
    struct proto_error err;
    proto_error_set(&err, code, NULL, "%s", message ? message : proto_error_default_message(code));
    session_finish_keep(s, proto_encode_closing(&err), status, proto_error_code(code), true);
}

static void session_auth_failed(struct session *s, const struct proto_error *err,
                                enum lws_close_status status)
{
    log_info("hub", "auth failed conn=%llu peer=%s code=%s reason=%s",
             (unsigned long long)s->conn_id, s->peer, proto_error_code(err->code), err->message);
    session_finish(s, proto_encode_auth_failed(err), status, proto_error_code(err->code));
}

static void session_want_write(struct session *s);

int session_send(struct session *s, struct session_frame *f)
{
    if (s->state == SESSION_CLOSING || !f)
        return -1;
    const struct config *cfg = s->srv->cfg;
    if (f->is_event && (s->out.events + 1 > (size_t)cfg->max_pending_events ||
                        s->out.bytes + f->len > (size_t)cfg->max_pending_bytes)) {
        log_warn("hub",
                 "slow subscriber cut off conn=%llu device=%s pending_events=%zu "
                 "pending_bytes=%zu",
                 (unsigned long long)s->conn_id, session_device_label(s), s->out.events,
                 s->out.bytes);
        s->srv->metrics.slow_dropped++;
        session_close(s, PROTO_E_UNAVAILABLE,
                      "too many unsent events; resubscribe with your last seq",
                      (enum lws_close_status)SESSION_CLOSE_TRY_LATER);
        return -1;
    }
    if (session_queue_push(&s->out, f, core_durable_written(s->srv->core)) != 0) {
        session_close(s, PROTO_E_INTERNAL, "out of memory", LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
        return -1;
    }
    session_want_write(s);
    return 0;
}

int session_send_json(struct session *s, char *json, bool is_event)
{
    struct session_frame *f = session_queue_frame_new(json, is_event);
    if (!f) {
        session_close(s, PROTO_E_INTERNAL, "out of memory", LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
        return -1;
    }
    int rc = session_send(s, f);
    session_queue_frame_unref(f);
    return rc;
}

static void session_open(struct session *s, struct server *srv, struct lws *wsi)
{
    memset(s, 0, sizeof *s);
    s->srv = srv;
    s->wsi = wsi;
    s->conn_id = ++srv->next_conn_id;
    s->opened_mono = clock_mono_ms();
    s->state = SESSION_AUTH;
    if (!lws_get_peer_simple(wsi, s->peer, sizeof s->peer))
        snprintf(s->peer, sizeof s->peer, "?");
    _Static_assert(sizeof s->guard_key == SERVER_GUARD_KEY_MAX, "guard key size");
    if (server_guard_key_fd(lws_get_socket_fd(wsi), s->guard_key) == 0)
        s->guarded = server_guard_applies(srv->guard, s->guard_key);
    s->tokens = srv->cfg->request_burst;
    s->tokens_mono = s->opened_mono;
    s->rx_mono = s->opened_mono;
    session_link(s);
    srv->metrics.connections_pending++;
    log_info("hub", "connection open conn=%llu peer=%s", (unsigned long long)s->conn_id, s->peer);
    if (srv->shutting_down) {
        session_close(s, PROTO_E_UNAVAILABLE, "the hub is shutting down",
                      LWS_CLOSE_STATUS_GOINGAWAY);
        return;
    }
    session_send_json(
        s, proto_encode_hello(SHOWFLOOR_VERSION, core_hub_id(srv->core), clock_now_ms(&srv->clock)),
        false);
    lws_set_timer_usecs(wsi, SESSION_AUTH_TIMEOUT_US);
}

/* The held list: a session whose next frame rests on commits not yet synced waits on it
 * instead of asking lws for WRITEABLE in vain; session_release_held wakes it. */
static void session_hold(struct session *s)
{
    core_durable_kick(s->srv->core);
    if (s->held)
        return;
    s->held = true;
    s->held_prev = NULL;
    s->held_next = s->srv->held;
    if (s->held_next)
        s->held_next->held_prev = s;
    s->srv->held = s;
}

/* After a frame was queued: WRITEABLE if the first frame may leave now; else the session
 * waits on the held list (and the sync thread starts at once), which spares a WRITEABLE that
 * could only find it held (every answer of a batch would take two). */
static void session_want_write(struct session *s)
{
    if (session_queue_held(&s->out, core_durable_synced(s->srv->core)))
        session_hold(s);
    else
        lws_callback_on_writable(s->wsi);
}

static void session_unhold(struct session *s)
{
    if (!s->held)
        return;
    if (s->held_prev)
        s->held_prev->held_next = s->held_next;
    else
        s->srv->held = s->held_next;
    if (s->held_next)
        s->held_next->held_prev = s->held_prev;
    s->held = false;
    s->held_prev = s->held_next = NULL;
}

void session_release_held(struct server *srv)
{
    if (core_durable_failed(srv->core))
        return; /* server_run stops; what is held never leaves */
    uint64_t synced = core_durable_synced(srv->core);
    struct session *next;
    for (struct session *s = srv->held; s; s = next) {
        next = s->held_next;
        if (session_queue_held(&s->out, synced))
            continue;
        session_unhold(s);
        lws_callback_on_writable(s->wsi);
    }
}

static void session_closed(struct session *s)
{
    struct server *srv = s->srv;
    if (!srv)
        return; /* never opened */
    session_unlink(s);
    session_unhold(s);
    session_batch_forget(s); /* its queued commands must not outlive it */
    /* Its last heartbeat is recorded now; events that appends go out with the next fan-out
     * (the fleet timer's at the latest), not from inside a close callback. */
    session_fleet_forget(s);
    if (s->authed)
        srv->metrics.connections[s->dev.mode]--;
    else
        srv->metrics.connections_pending--;
    session_queue_clear(&s->out);
    free(s->rx);
    s->rx = NULL;
    log_info("hub", "connection closed conn=%llu peer=%s device=%s reason=%s duration_ms=%lld",
             (unsigned long long)s->conn_id, s->peer, session_device_label(s),
             s->close_reason ? s->close_reason : "peer",
             (long long)(clock_mono_ms() - s->opened_mono));
}

cJSON *session_device_json(struct session *s, const struct core_device *dev)
{
    cJSON *dj = core_device_json(dev);
    cJSON *cfg = dj ? core_device_config(s->srv->core, dev->id) : NULL;
    if (!cfg || !cJSON_AddItemToObject(dj, "config", cfg)) {
        cJSON_Delete(cfg);
        cJSON_Delete(dj);
        return NULL;
    }
    s->offline_after_s = proto_get_int(cfg, "offline_after_s", 0);
    return dj;
}

/* The session of an authenticated device enters READY (metrics and log line). */
static void session_ready(struct session *s, const struct core_device *dev)
{
    struct server *srv = s->srv;
    s->dev = *dev;
    s->authed = true;
    s->state = SESSION_READY;
    srv->metrics.connections_pending--;
    srv->metrics.connections[dev->mode]++;
    log_info("hub", "auth ok conn=%llu peer=%s device_id=%lld device=\"%s\" mode=%s site=%s",
             (unsigned long long)s->conn_id, s->peer, (long long)dev->id, dev->name,
             domain_mode_name(dev->mode), dev->site_code);
}

void session_guard_failure(struct session *s)
{
    /* Before auth_ok the failure is the device token's; after it, a staff PIN's. */
    server_auth_failed(s->srv, s->guarded ? s->guard_key : "",
                       s->state == SESSION_AUTH ? METRICS_AUTH_DEVICE_TOKEN
                                                : METRICS_AUTH_STAFF_PIN);
}

/* The request token bucket: request_rate per second, at most request_burst saved up. */
static bool session_take_token(struct session *s)
{
    const struct config *cfg = s->srv->cfg;
    if (!s->guarded || cfg->request_rate <= 0)
        return true;
    int64_t now = clock_mono_ms();
    s->tokens += (double)(now - s->tokens_mono) * cfg->request_rate / 1000.0;
    s->tokens_mono = now;
    if (s->tokens > cfg->request_burst)
        s->tokens = cfg->request_burst;
    if (s->tokens < 1.0)
        return false;
    s->tokens -= 1.0;
    return true;
}

/* The auth phase: the first frame must be a valid `auth` with a known, active token, or a
 * tokenless kiosk's `pair` (session_fleet.c). */
static void session_authenticate(struct session *s, const char *buf, size_t len)
{
    struct server *srv = s->srv;
    struct proto_msg msg;
    struct proto_error err;
    char id[PROTO_MAX_ID + 1];
    lws_set_timer_usecs(s->wsi, LWS_SET_TIMER_USEC_CANCEL);
    if (proto_decode(buf, len, PROTO_DIR_C2H, &msg, &err, id) != 0) {
        session_auth_failed(s, &err, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        return;
    }
    if (msg.type == PROTO_T_PAIR) {
        session_fleet_pair(s, &msg);
        proto_msg_free(&msg);
        return;
    }
    if (msg.type != PROTO_T_AUTH) {
        proto_error_set(&err, PROTO_E_NOT_AUTHENTICATED, NULL,
                        "the first frame must be auth, not %s", proto_type_name(msg.type));
        proto_msg_free(&msg);
        session_auth_failed(s, &err, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        return;
    }
    int64_t retry_s;
    if (server_auth_blocked(srv, s->guarded ? s->guard_key : "", &retry_s)) {
        proto_error_set(&err, PROTO_E_RATE_LIMITED, NULL,
                        "too many bad tokens from this address; try again in %lld s",
                        (long long)retry_s);
        proto_msg_free(&msg);
        session_auth_failed(s, &err, (enum lws_close_status)SESSION_CLOSE_TRY_LATER);
        return;
    }
    const char *token = proto_get_str(msg.args, "token");
    const char *client = proto_get_str(msg.args, "client");
    char client_copy[PROTO_MAX_SHORT + 1];
    snprintf(client_copy, sizeof client_copy, "%s", client ? client : "");
    int64_t now = clock_now_ms(&srv->clock);
    struct core_device dev;
    int rc = core_auth_device(srv->core, token ? token : "", client, now, &dev, &err);
    proto_msg_free(&msg);
    if (rc != 0) {
        if (err.code == PROTO_E_AUTH_FAILED || err.code == PROTO_E_DEVICE_REVOKED)
            session_guard_failure(s);
        session_auth_failed(s, &err, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        return;
    }
    cJSON *dj = session_device_json(s, &dev);
    char *json = dj ? proto_encode_auth_ok(dj, now) : NULL;
    cJSON_Delete(dj);
    if (!json) {
        session_close(s, PROTO_E_INTERNAL, "the device's configuration could not be read",
                      LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
        return;
    }
    session_ready(s, &dev);
    session_send_json(s, json, false);
    /* Kiosks only: an api client (DMS, CLI) is not part of the fleet and never goes offline. */
    if (dev.mode != DOMAIN_MODE_API && core_fleet_connected(srv->core, &dev, client_copy, now) > 0)
        server_fanout(srv);
}

/* A complete message (all fragments) has arrived. */
static void session_message(struct session *s, const char *buf, size_t len, bool binary)
{
    if (binary) {
        struct proto_error err;
        proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL, "binary frames are not allowed");
        if (s->state == SESSION_AUTH)
            session_auth_failed(s, &err, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        else if (s->state == SESSION_PAIRING)
            session_close(s, PROTO_E_NOT_AUTHENTICATED, "a kiosk waiting for pairing sends nothing",
                          LWS_CLOSE_STATUS_POLICY_VIOLATION);
        else
            session_send_json(s, proto_encode_result_err(NULL, &err), false);
        return;
    }
    if (s->state == SESSION_PAIRING) {
        /* Until approved the kiosk only listens: anything it says ends the pairing session. */
        log_info("hub", "frame while pairing conn=%llu peer=%s: closing",
                 (unsigned long long)s->conn_id, s->peer);
        session_close(s, PROTO_E_NOT_AUTHENTICATED, "a kiosk waiting for pairing sends nothing",
                      LWS_CLOSE_STATUS_POLICY_VIOLATION);
        return;
    }
    if (s->state == SESSION_AUTH) {
        session_authenticate(s, buf, len);
        return;
    }
    struct proto_msg msg;
    struct proto_error err;
    char id[PROTO_MAX_ID + 1];
    if (proto_decode(buf, len, PROTO_DIR_C2H, &msg, &err, id) != 0) {
        log_info("hub", "bad frame conn=%llu device=%s code=%s reason=%s",
                 (unsigned long long)s->conn_id, s->dev.name, proto_error_code(err.code),
                 err.message);
        if (err.code == PROTO_E_FRAME_TOO_LARGE) {
            session_close(s, err.code, err.message, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
            return;
        }
        session_send_json(s, proto_encode_result_err(id[0] ? id : NULL, &err), false);
        return;
    }
    if (!session_take_token(s)) {
        /* Answered, not obeyed, and the connection kept: a kiosk in a retry loop slows down
         * instead of reconnecting into the same limit. */
        proto_error_set(&err, PROTO_E_RATE_LIMITED, NULL,
                        "more than %d requests per second on this connection",
                        s->srv->cfg->request_rate);
        metrics_count_rate_limited(&s->srv->metrics, METRICS_LIMITED_REQUEST_RATE);
        session_send_json(s, proto_encode_result_err(msg.id, &err), false);
        proto_msg_free(&msg);
        return;
    }
    session_request_handle(s, &msg);
    proto_msg_free(&msg);
}

/* Most of an oversized message read and dropped before the hub closes regardless. */
#define SESSION_DISCARD_MAX (16 * PROTO_MAX_FRAME_IN)

static void session_too_large(struct session *s)
{
    struct proto_error err;
    proto_error_set(&err, PROTO_E_FRAME_TOO_LARGE, NULL, "a message may have at most %d bytes",
                    PROTO_MAX_FRAME_IN);
    if (s->state == SESSION_AUTH)
        session_auth_failed(s, &err, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
    else
        session_close(s, err.code, err.message, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
}

/* An oversized message is read to its end before the hub answers and closes: lws drops the
 * TCP connection when data frames arrive after its close frame, and the reset would destroy
 * the `closing` frame unread in the client's socket. A client that never ends the message
 * is closed after SESSION_DISCARD_MAX bytes all the same. */
static void session_discard(struct session *s, size_t len, bool complete)
{
    if (!s->rx_discard) {
        free(s->rx);
        s->rx = NULL;
        s->rx_len = s->rx_cap = 0;
        s->rx_discard = true;
        s->rx_discarded = 0;
    }
    s->rx_discarded += len;
    if (complete || s->rx_discarded > SESSION_DISCARD_MAX) {
        s->rx_discard = false;
        session_too_large(s);
    }
}

/* Reassembles a message delivered in pieces (fragments, or chunks of one large frame) up to
 * PROTO_MAX_FRAME_IN bytes; the common case of a whole message in one piece is not copied. */
static void session_receive(struct session *s, const char *in, size_t len)
{
    struct lws *wsi = s->wsi;
    if (s->state == SESSION_CLOSING)
        return;
    bool complete = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
    if (s->rx_discard) {
        session_discard(s, len, complete);
        return;
    }
    bool in_message = s->rx != NULL;
    if (!in_message) {
        s->rx_binary = lws_frame_is_binary(wsi);
        if (complete && len <= PROTO_MAX_FRAME_IN) {
            session_message(s, in, len, s->rx_binary);
            return;
        }
    }
    size_t want = s->rx_len + len + lws_remaining_packet_payload(wsi);
    if (want > PROTO_MAX_FRAME_IN) {
        session_discard(s, len, complete);
        return;
    }
    if (want > s->rx_cap || !s->rx) {
        size_t cap = want < 4096 ? 4096 : want;
        unsigned char *rx = realloc(s->rx, cap);
        if (!rx) {
            session_close(s, PROTO_E_INTERNAL, "out of memory",
                          LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
            return;
        }
        s->rx = rx;
        s->rx_cap = cap;
    }
    memcpy(s->rx + s->rx_len, in, len);
    s->rx_len += len;
    if (!complete)
        return;
    unsigned char *msg = s->rx;
    size_t msg_len = s->rx_len;
    s->rx = NULL;
    s->rx_len = s->rx_cap = 0;
    session_message(s, (const char *)msg, msg_len, s->rx_binary);
    free(msg);
}

static int session_writeable(struct session *s)
{
    struct lws *wsi = s->wsi;
    if (s->close_now) {
        lws_close_reason(wsi, s->close_status, NULL, 0);
        return -1;
    }
    if (s->ping_due) { /* one write per WRITEABLE: the ping, then whatever is queued */
        /* a payload: lws 4.1 hands an empty pong to nobody */
        unsigned char ping[LWS_PRE + 2] = {[LWS_PRE] = 's', [LWS_PRE + 1] = 'f'};
        s->ping_due = false;
        s->ping_sent_mono = clock_mono_ms();
        if (lws_write(wsi, ping + LWS_PRE, 2, LWS_WRITE_PING) < 0) {
            s->close_reason = "write_failed";
            return -1;
        }
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (s->out.frames == 0 && s->state == SESSION_READY && s->subscribed && !s->live)
        session_subscribe_catch_up(s);
    /* Nothing leaves before the commits it may rest on are on disk (store.h "Deferred
     * sync"); the sync's wake-up asks for WRITEABLE again. */
    uint64_t synced = core_durable_synced(s->srv->core);
    if (session_queue_held(&s->out, synced)) {
        session_hold(s);
        return 0;
    }
    /* A burst (fan-out under load): the queued frames leave in one write (session_queue.c). */
    unsigned char *burst;
    size_t burst_events, burst_len = session_queue_gather(&s->out, synced, &burst, &burst_events);
    if (burst_len) {
        int w = lws_write(wsi, burst, burst_len, LWS_WRITE_RAW);
        if (w < 0 || (size_t)w < burst_len) {
            s->close_reason = "write_failed";
            return -1;
        }
        s->srv->metrics.events_sent += burst_events;
        if (s->out.frames || (s->state == SESSION_READY && s->subscribed && !s->live))
            lws_callback_on_writable(wsi);
        return 0;
    }
    struct session_frame *f = session_queue_pop(&s->out);
    if (!f)
        return 0; /* spurious */
    int n = lws_write(wsi, session_queue_frame_data(f), f->len, LWS_WRITE_TEXT);
    if (n < 0 || (size_t)n < f->len) {
        session_queue_frame_unref(f);
        s->close_reason = "write_failed";
        return -1;
    }
    if (f->is_event)
        s->srv->metrics.events_sent++;
    /* Close only at the next WRITEABLE: lws calls it once the closing frame has left, even
     * when it had to buffer part of it. */
    if (f->is_closing)
        s->close_now = true;
    session_queue_frame_unref(f);
    if (s->close_now || s->out.frames || (s->state == SESSION_READY && s->subscribed && !s->live))
        lws_callback_on_writable(wsi);
    return 0;
}

void session_ping_sweep(struct server *srv, int64_t now_mono)
{
    int64_t interval = (int64_t)srv->cfg->ping_interval_seconds * 1000;
    int64_t timeout = (int64_t)srv->cfg->ping_timeout_seconds * 1000;
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (s->close_now)
            continue;
        if (s->ping_sent_mono && now_mono - s->ping_sent_mono >= timeout) {
            log_info("hub", "no pong conn=%llu peer=%s: dropped after %lld ms",
                     (unsigned long long)s->conn_id, s->peer, (long long)(now_mono - s->rx_mono));
            s->close_reason = "ping_timeout";
            /* a dead peer may never make the socket writeable: lws kills it itself */
            lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
            s->close_now = true;
        } else if (!s->ping_sent_mono && !s->ping_due && now_mono - s->rx_mono >= interval) {
            s->ping_due = true;
            lws_callback_on_writable(s->wsi);
        }
    }
}

int session_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
    struct session *s = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        session_open(s, server_from_wsi(wsi), wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        if (s && s->srv) {
            s->rx_mono = clock_mono_ms();
            s->ping_sent_mono = 0;
            session_receive(s, in, len);
        }
        return 0;
    case LWS_CALLBACK_RECEIVE_PONG:
        if (s && s->srv) {
            s->rx_mono = clock_mono_ms();
            s->ping_sent_mono = 0;
        }
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return s && s->srv ? session_writeable(s) : 0;
    case LWS_CALLBACK_TIMER:
        if (s && s->srv && s->state == SESSION_PAIRING)
            session_fleet_pairing_expired(s);
        if (s && s->srv && s->state == SESSION_AUTH) {
            struct proto_error err;
            proto_error_set(&err, PROTO_E_NOT_AUTHENTICATED, NULL,
                            "no auth within %d seconds of hello",
                            (int)(SESSION_AUTH_TIMEOUT_US / LWS_US_PER_SEC));
            session_auth_failed(s, &err, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        }
        return 0;
    case LWS_CALLBACK_CLOSED:
        if (s)
            session_closed(s);
        return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED: /* lws_cancel_service: the WAL sync's wake-up */
        session_release_held(server_from_wsi(wsi));
        return 0;
    default:
        return 0;
    }
}

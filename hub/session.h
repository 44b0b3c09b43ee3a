/* One WebSocket connection speaking showfloor.v1: the auth state machine, frame reassembly,
 * the outbound queue (written only from LWS_CALLBACK_SERVER_WRITEABLE) and closing.
 * Hub thread only. Requests after auth are handled in session_request.c, subscriptions and
 * replay in session_subscribe.c. */
#ifndef SHOWFLOOR_SESSION_H
#define SHOWFLOOR_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "core.h"
#include "core_fleet.h"
#include "session_queue.h"

struct server;

enum session_state {
    SESSION_AUTH,    /* hello queued; waiting for the auth frame */
    SESSION_PAIRING, /* a tokenless kiosk was given a pairing code; waits for approval */
    SESSION_READY,   /* authenticated; requests are served */
    SESSION_CLOSING, /* `closing` or `auth_failed` queued; input is ignored */
};

/* Lives in lws's per-session user space (zeroed by lws; freed by lws after CLOSED). */
struct session {
    struct session *next, *prev; /* server->sessions */
    struct server *srv;
    struct lws *wsi;
    uint64_t conn_id;
    char peer[64];
    int64_t opened_mono;
    char guard_key[48];  /* the peer's address as server_guard keys it; "" unknown */
    bool guarded;        /* the per-address and per-connection limits apply (not loopback) */
    double tokens;       /* request token bucket (request_rate, request_burst) */
    int64_t tokens_mono; /* when it was last refilled */
    enum session_state state;
    bool authed; /* auth succeeded (stays true while closing) */

    struct core_device dev; /* valid from SESSION_READY */
    bool has_staff;
    bool staff_expired; /* a login lapsed; the next request needing one gets session_expired */
    struct core_staff staff;
    int64_t staff_idle_ms;

    /* its next frame waits for the WAL sync (core_durable_synced): on server->held */
    bool held;
    struct session *held_prev, *held_next;

    bool subscribed;
    bool live;   /* caught up: takes events from fan-out; else reads them from the log */
    int64_t pos; /* last event seq queued (or skipped as invisible) for this session */

    struct session_queue out;
    bool close_now; /* the closing frame was written: close at the next WRITEABLE */
    /* liveness (session_ping_sweep): the last frame or pong from the peer, the ping
     * outstanding (0 none), and a ping waiting for the next WRITEABLE */
    int64_t rx_mono;
    int64_t ping_sent_mono;
    bool ping_due;
    enum lws_close_status close_status;
    const char *close_reason; /* for the log */

    unsigned char *rx; /* reassembly of a fragmented message */
    size_t rx_len, rx_cap;
    bool rx_binary;
    bool rx_discard;     /* an oversized message is being read to its end, then refused */
    size_t rx_discarded; /* bytes of it discarded so far */

    /* ---- the kiosk fleet (session_fleet.c) ---- */
    int64_t pairing_id; /* SESSION_PAIRING: the pairing whose code this kiosk shows */
    int64_t pairing_expires_at;
    struct core_heartbeat hb; /* the latest heartbeat, until the fleet timer flushes it */
    bool hb_dirty;
    int64_t offline_after_s;   /* the site's limit as last sent in the config (heartbeat reply) */
    int64_t shot_command_id;   /* screenshot being reassembled; 0 none */
    unsigned char *shot;       /* its decoded parts so far (malloc'd) */
    size_t shot_len, shot_cap; /* bytes so far, capacity */
    int64_t shot_parts;        /* parts received so far */
};

/* After a WAL sync (the loop is woken for it): every held session whose next frame is now
 * durable asks for WRITEABLE again. */
void session_release_held(struct server *srv);

/* A bad token or PIN from this session's address: counted by server_guard, which blocks the
 * address (logged once here) after auth_fail_max within auth_fail_window_seconds. */
void session_guard_failure(struct session *s);

/* The showfloor.v1 protocol callback. */
int session_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len);

/* Queues a frame (taking a new reference) and asks for WRITEABLE. Event frames count against
 * the slow-subscriber limits: past them the session is closed with `closing` unavailable.
 * 0 if queued, -1 if the session is closing or was just cut off. */
int session_send(struct session *s, struct session_frame *f);
/* Queues an encoded frame (takes `json`); 0 or -1 as session_send. */
int session_send_json(struct session *s, char *json, bool is_event);
/* Drops everything queued, queues `closing` with this error, and closes with `status` once
 * it is written. */
void session_close(struct session *s, enum proto_err code, const char *message,
                   enum lws_close_status status);
/* Like session_close, but what is already queued (a `device_config`) still goes out first. */
void session_close_after_queue(struct session *s, enum proto_err code, const char *message,
                               enum lws_close_status status);
/* Queues `json` (taken) as the last frame and closes with `status` once it is written; the
 * queue is dropped first. `reason` (static) is for the log. */
void session_finish(struct session *s, char *json, enum lws_close_status status,
                    const char *reason);
/* The device object of auth_ok and paired: core_device_json plus "config". NULL on a store
 * error or OOM. Caller frees. Sets s->offline_after_s from the config. */
cJSON *session_device_json(struct session *s, const struct core_device *dev);

/* session_request.c: handles one decoded request of an authenticated session. */
struct proto_msg;
void session_request_handle(struct session *s, const struct proto_msg *msg);
/* Queues the result of a request (rc 0: ok with `data`, taken; rc < 0: `err`; rc > 0: the
 * handler answered itself) and counts and logs it; t0 is when it started (metrics_now).
 * `text` (taken; may be NULL): data already printed (core_request_text), sent as it is. */
void session_request_reply(struct session *s, enum proto_type type, const char *id, int rc,
                           cJSON *data, char *text, struct proto_error *err, double t0);
/* core_request_text() for this session's device and staff login (text may be NULL); maps an
 * expired login's staff_login_required to session_expired. 0 with *data, or -1 with *err. */
int session_request_run_core(struct session *s, enum proto_type type, const char *id,
                             const cJSON *args, int64_t now, cJSON **data, char **text,
                             struct proto_error *err);

/* session_batch.c: group commit of the commands of one loop pass (core.h). */
/* Takes a command for the batch of this pass and arranges for the batch to run at the start
 * of the next pass (a 0-delay lws_sul): 0. -1 when it must run now instead (not known to be
 * a command, or out of memory); nothing is answered here either way. */
int session_batch_defer(struct session *s, const struct proto_msg *msg, int64_t now, double t0);
/* A session is going away: its commands still waiting are dropped (never answered, never
 * run: the client resends them with the same ids after it reconnects). */
void session_batch_forget(struct session *s);

/* session_fleet.c: pairing, heartbeats, remote commands and pushed configuration. */
/* A `pair` frame as the first frame (msg validated): queues `pairing` (or `paired` when the
 * pairing is approved already) or refuses with auth_failed. */
void session_fleet_pair(struct session *s, const struct proto_msg *msg);
/* The pairing code expired (the session's timer in SESSION_PAIRING). */
void session_fleet_pairing_expired(struct session *s);
/* Request handlers (session_request.c's table): 0 with *data, -1 with *err. */
int session_fleet_heartbeat(struct session *s, const struct proto_msg *msg, int64_t now,
                            cJSON **data, struct proto_error *err);
int session_fleet_control_result(struct session *s, const struct proto_msg *msg, int64_t now,
                                 cJSON **data, struct proto_error *err);
/* A session is going away: its unflushed heartbeat is recorded, its screenshot dropped.
 * Returns 1 when the store may have appended events (the caller fans out). */
int session_fleet_forget(struct session *s);
/* The fleet timer: records the sessions' latest heartbeats in one transaction and marks
 * silent devices offline (core_fleet_check); the caller fans out afterwards. */
void session_fleet_tick(struct server *srv, int64_t now);
/* Pings every connection silent for ping_interval_seconds and drops one whose ping went
 * unanswered for ping_timeout_seconds (monotonic ms). One pass over the sessions, run each
 * second by the server: lws's own idle policy keeps a timer per connection in a sorted list,
 * and rescheduling it on every pong is O(connections) (30 % of a core idle at 10,000). */
void session_ping_sweep(struct server *srv, int64_t now_mono);
/* Fan-out of the internal fleet events (server_fanout.c), outside the log read:
 * device.paired hands the token to the waiting kiosk, device.command sends `control` (or
 * fails the command when the device is not connected), device.changed pushes
 * `device_config` (and closes a session whose mode changed). */
void session_fleet_paired(struct server *srv, int64_t pairing_id);
void session_fleet_command(struct server *srv, int64_t command_id, int64_t device_id,
                           const char *action);
void session_fleet_changed(struct server *srv, int64_t site_id, int64_t device_id);

/* session_subscribe.c */
/* Answers a subscribe: queues the result, then the snapshot or starts the replay.
 * 0 when the result was queued, -1 with *err (nothing queued). */
int session_subscribe_handle(struct session *s, const struct proto_msg *msg, int64_t now,
                             struct proto_error *err);
/* For a subscribed session still replaying from the log: queues the next batch when its
 * queue runs low, and marks it live once it has read the log to its end. */
void session_subscribe_catch_up(struct session *s);
/* The event frame of `ev` for mode `m`, NULL if that mode must not see it. New reference. */
struct session_frame *session_subscribe_event_frame(struct core *c, const struct core_event *ev,
                                                    enum domain_mode m);

#endif

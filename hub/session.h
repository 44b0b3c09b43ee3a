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
#include "session_queue.h"

struct server;

enum session_state {
    SESSION_AUTH,    /* hello queued; waiting for the auth frame */
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
    enum session_state state;
    bool authed; /* auth succeeded (stays true while closing) */

    struct core_device dev; /* valid from SESSION_READY */
    bool has_staff;
    bool staff_expired; /* a login lapsed; the next request needing one gets session_expired */
    struct core_staff staff;
    int64_t staff_idle_ms;

    bool subscribed;
    bool live;   /* caught up: takes events from fan-out; else reads them from the log */
    int64_t pos; /* last event seq queued (or skipped as invisible) for this session */

    struct session_queue out;
    bool close_now; /* the closing frame was written: close at the next WRITEABLE */
    enum lws_close_status close_status;
    const char *close_reason; /* for the log */

    unsigned char *rx; /* reassembly of a fragmented message */
    size_t rx_len, rx_cap;
    bool rx_binary;
    bool rx_discard;     /* an oversized message is being read to its end, then refused */
    size_t rx_discarded; /* bytes of it discarded so far */
};

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

/* session_request.c: handles one decoded request of an authenticated session. */
struct proto_msg;
void session_request_handle(struct session *s, const struct proto_msg *msg);
/* Queues the result of a request (rc 0: ok with `data`, taken; rc < 0: `err`; rc > 0: the
 * handler answered itself) and counts and logs it; t0 is when it started (metrics_now). */
void session_request_reply(struct session *s, enum proto_type type, const char *id, int rc,
                           cJSON *data, struct proto_error *err, double t0);
/* core_request() for this session's device and staff login; maps an expired login's
 * staff_login_required to session_expired. 0 with *data, or -1 with *err. */
int session_request_run_core(struct session *s, enum proto_type type, const char *id,
                             const cJSON *args, int64_t now, cJSON **data, struct proto_error *err);

/* session_batch.c: group commit of the commands of one loop pass (core.h). */
/* Takes a command for the batch of this pass and arranges for the batch to run at the start
 * of the next pass (a 0-delay lws_sul): 0. -1 when it must run now instead (not known to be
 * a command, or out of memory); nothing is answered here either way. */
int session_batch_defer(struct session *s, const struct proto_msg *msg, int64_t now, double t0);
/* A session is going away: its commands still waiting are dropped (never answered, never
 * run: the client resends them with the same ids after it reconnects). */
void session_batch_forget(struct session *s);

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

/* Subscriptions: the subscribe result, then a snapshot or a replay read from the event log
 * in batches as the socket drains, then live events from fan-out, with no gap and no
 * duplicate because each session only takes events above its own position. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"

/* Events read from the log per catch-up step; the queue is refilled only once it is empty,
 * so a replay never counts against the slow-subscriber limits. */
#define SESSION_SUBSCRIBE_BATCH 100

struct session_frame *session_subscribe_event_frame(struct core *c, const struct core_event *ev,
                                                    enum domain_mode m)
{
    cJSON *view = core_event_view(c, ev, m);
    if (!view)
        return NULL;
    char *json = proto_encode_event(ev->seq, ev->kind, ev->at, view);
    cJSON_Delete(view);
    return session_queue_frame_new(json, true);
}

static int session_subscribe_result(struct session *s, const struct proto_msg *msg, int64_t seq,
                                    const char *mode, struct proto_error *err)
{
    cJSON *data = cJSON_CreateObject();
    if (!data || !cJSON_AddNumberToObject(data, "seq", (double)seq) ||
        !cJSON_AddStringToObject(data, "mode", mode)) {
        cJSON_Delete(data);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    char *json = proto_encode_result_ok(msg->id, data);
    cJSON_Delete(data);
    if (!json)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    session_send_json(s, json, false);
    return 0;
}

int session_subscribe_handle(struct session *s, const struct proto_msg *msg, int64_t now,
                             struct proto_error *err)
{
    struct core *c = s->srv->core;
    if (s->subscribed)
        return proto_error_set(err, PROTO_E_ALREADY_SUBSCRIBED, NULL,
                               "this connection is already subscribed");
    int64_t since = proto_get_int(msg->args, "since", 0);
    if (core_should_replay(c, since)) {
        int64_t seq = core_last_seq(c);
        if (session_subscribe_result(s, msg, seq, "replay", err) != 0)
            return -1;
        s->subscribed = true;
        s->live = false;
        s->pos = since;
        log_info("hub", "subscribe conn=%llu device=\"%s\" mode=replay since=%lld seq=%lld",
                 (unsigned long long)s->conn_id, s->dev.name, (long long)since, (long long)seq);
        return 0;
    }
    int64_t seq = 0;
    cJSON *state = core_snapshot(c, &s->dev, now, &seq);
    if (!state)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "could not read the snapshot");
    char *json = proto_encode_snapshot(seq, state);
    cJSON_Delete(state);
    if (!json) /* out of memory, or a state past the frame limit */
        return proto_error_set(err, PROTO_E_INTERNAL, NULL,
                               "the snapshot could not be encoded within %d bytes",
                               PROTO_MAX_FRAME_OUT);
    /* The snapshot's own seq is the session's position and the result's seq, so nothing
     * committed between reading the last seq and the snapshot is lost or repeated. */
    if (session_subscribe_result(s, msg, seq, "snapshot", err) != 0) {
        free(json);
        return -1;
    }
    s->subscribed = true;
    s->live = true;
    s->pos = seq;
    session_send_json(s, json, false);
    log_info("hub", "subscribe conn=%llu device=\"%s\" mode=snapshot since=%lld seq=%lld",
             (unsigned long long)s->conn_id, s->dev.name, (long long)since, (long long)seq);
    return 0;
}

static void session_subscribe_replay_event(void *ctx, const struct core_event *ev)
{
    struct session *s = ctx;
    if (ev->seq <= s->pos || s->state != SESSION_READY)
        return;
    s->pos = ev->seq;
    if (ev->site_id != s->dev.site_id)
        return;
    struct session_frame *f = session_subscribe_event_frame(s->srv->core, ev, s->dev.mode);
    if (f) {
        /* Straight onto the queue: a replay is paced by the socket, not by the limits. */
        if (session_queue_push(&s->out, f, core_durable_written(s->srv->core)) != 0)
            session_close(s, PROTO_E_INTERNAL, "out of memory",
                          LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
        session_queue_frame_unref(f);
    }
}

void session_subscribe_catch_up(struct session *s)
{
    while (s->state == SESSION_READY && !s->live && s->out.frames == 0) {
        int n = core_events_after(s->srv->core, s->pos, SESSION_SUBSCRIBE_BATCH,
                                  session_subscribe_replay_event, s);
        if (n < 0) {
            log_error("hub", "replay read failed conn=%llu device=\"%s\"",
                      (unsigned long long)s->conn_id, s->dev.name);
            session_close(s, PROTO_E_UNAVAILABLE, "could not read the event log",
                          LWS_CLOSE_STATUS_UNEXPECTED_CONDITION);
            return;
        }
        /* The log's end: from here fan-out delivers, starting above s->pos. */
        if (n < SESSION_SUBSCRIBE_BATCH)
            s->live = true;
    }
}

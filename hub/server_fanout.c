/* Fan-out: the event log is the single source of pushes. Each pass reads the events committed
 * after the last one fanned out, encodes each once per mode (shared by refcount among the
 * sessions of that mode) and queues it on every live subscriber of the event's site that has
 * not had it yet; a device.revoked event closes that device's sessions at once. */
#include "server.h"

#include <string.h>

#include "log.h"
#include "session.h"

#define SERVER_FANOUT_BATCH 500

static void server_fanout_revoked(struct server *srv)
{
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (s->state != SESSION_READY || core_device_active(srv->core, s->dev.id))
            continue;
        log_info("hub", "device revoked: closing conn=%llu device_id=%lld device=\"%s\"",
                 (unsigned long long)s->conn_id, (long long)s->dev.id, s->dev.name);
        session_close(s, PROTO_E_DEVICE_REVOKED, "this device has been revoked",
                      LWS_CLOSE_STATUS_POLICY_VIOLATION);
    }
}

static void server_fanout_event(void *ctx, const struct core_event *ev)
{
    struct server *srv = ctx;
    if (ev->seq > srv->last_fanned)
        srv->last_fanned = ev->seq;
    srv->metrics.events_committed++;
    if (strcmp(ev->kind, "device.revoked") == 0) {
        server_fanout_revoked(srv);
        return;
    }
    struct session_frame *frames[DOMAIN_MODE__COUNT] = {0};
    bool made[DOMAIN_MODE__COUNT] = {0};
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (s->state != SESSION_READY || !s->subscribed || !s->live ||
            s->dev.site_id != ev->site_id || ev->seq <= s->pos)
            continue;
        s->pos = ev->seq;
        enum domain_mode m = s->dev.mode;
        if (!made[m]) {
            frames[m] = session_subscribe_event_frame(srv->core, ev, m);
            made[m] = true;
        }
        if (frames[m])
            session_send(s, frames[m]);
    }
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++)
        session_queue_frame_unref(frames[m]);
}

void server_fanout(struct server *srv)
{
    double t0 = metrics_now();
    int total = 0;
    for (;;) {
        int n = core_events_after(srv->core, srv->last_fanned, SERVER_FANOUT_BATCH,
                                  server_fanout_event, srv);
        if (n < 0) {
            log_error("hub", "fan-out could not read the event log after seq %lld",
                      (long long)srv->last_fanned);
            break;
        }
        total += n;
        if (n < SERVER_FANOUT_BATCH)
            break;
    }
    /* Only passes that moved events are timed, so idle polls do not flatten the histogram. */
    if (total > 0)
        metrics_observe(&srv->metrics.fanout_seconds, metrics_now() - t0);
}

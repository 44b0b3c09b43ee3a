/* Fan-out: the event log is the single source of pushes. Each pass reads the events committed
 * after the last one fanned out, encodes each once per mode (shared by refcount among the
 * sessions of that mode) and queues it on every live subscriber of the event's site that has
 * not had it yet; a device.revoked event closes that device's sessions at once. The fleet's
 * internal events (device.paired, device.command, device.changed) act on the sessions of one
 * device (session_fleet.c); they write to the store, so they run after the log read, never
 * inside it. */
#include "server.h"

#include <stdlib.h>
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

enum server_fanout_fleet_kind { SERVER_FLEET_PAIRED, SERVER_FLEET_COMMAND, SERVER_FLEET_CHANGED };

/* An internal fleet event read from the log, acted on once the read is over. */
struct server_fanout_fleet {
    enum server_fanout_fleet_kind kind;
    int64_t site_id;
    int64_t id;        /* pairing_id, command_id or device_id (changed) */
    int64_t device_id; /* command */
    char action[16];   /* command */
};

struct server_fanout_pass {
    struct server *srv;
    struct server_fanout_fleet *fleet;
    size_t n, cap;
};

static const struct {
    const char *kind;
    enum server_fanout_fleet_kind fleet;
    const char *id_key;
} server_fanout_fleet_kinds[] = {
    {"device.paired", SERVER_FLEET_PAIRED, "pairing_id"},
    {"device.command", SERVER_FLEET_COMMAND, "command_id"},
    {"device.changed", SERVER_FLEET_CHANGED, "device_id"},
};

#define SERVER_FANOUT_FLEET_KINDS \
    (sizeof server_fanout_fleet_kinds / sizeof server_fanout_fleet_kinds[0])

/* The index of kind in server_fanout_fleet_kinds, SERVER_FANOUT_FLEET_KINDS if not one. */
static size_t server_fanout_fleet_index(const char *kind)
{
    size_t i = 0;
    while (i < SERVER_FANOUT_FLEET_KINDS && strcmp(kind, server_fanout_fleet_kinds[i].kind) != 0)
        i++;
    return i;
}

/* 1 if ev is a fleet event (kept for later in the pass), else 0. */
static int server_fanout_fleet_take(struct server_fanout_pass *p, const struct core_event *ev)
{
    size_t i = server_fanout_fleet_index(ev->kind);
    if (i == SERVER_FANOUT_FLEET_KINDS)
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        struct server_fanout_fleet *f = realloc(p->fleet, cap * sizeof *f);
        if (!f) {
            log_error("hub", "out of memory: fleet event seq=%lld %s dropped", (long long)ev->seq,
                      ev->kind);
            return 1;
        }
        p->fleet = f;
        p->cap = cap;
    }
    struct server_fanout_fleet *f = &p->fleet[p->n++];
    memset(f, 0, sizeof *f);
    f->kind = server_fanout_fleet_kinds[i].fleet;
    f->site_id = ev->site_id;
    f->id = proto_get_int(ev->data, server_fanout_fleet_kinds[i].id_key, 0);
    f->device_id = proto_get_int(ev->data, "device_id", 0);
    const char *action = proto_get_str(ev->data, "action");
    snprintf(f->action, sizeof f->action, "%s", action ? action : "");
    return 1;
}

static void server_fanout_fleet_run(struct server_fanout_pass *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct server_fanout_fleet *f = &p->fleet[i];
        switch (f->kind) {
        case SERVER_FLEET_PAIRED:
            session_fleet_paired(p->srv, f->id);
            break;
        case SERVER_FLEET_COMMAND:
            session_fleet_command(p->srv, f->id, f->device_id, f->action);
            break;
        case SERVER_FLEET_CHANGED:
            session_fleet_changed(p->srv, f->site_id, f->id);
            break;
        }
    }
    p->n = 0;
}

/* Is s a screen that has yet to be sent event seq of site_id? */
static bool server_fanout_owed(const struct session *s, int64_t seq, int64_t site_id)
{
    return s->state == SESSION_READY && s->subscribed && s->live && s->dev.site_id == site_id &&
           seq > s->pos;
}

/* Does the pass need the event's data: a fleet event, or a screen to send it to? */
static bool server_fanout_needs(void *ctx, int64_t seq, int64_t site_id, const char *kind)
{
    struct server_fanout_pass *pass = ctx;
    if (server_fanout_fleet_index(kind) < SERVER_FANOUT_FLEET_KINDS)
        return true;
    for (const struct session *s = pass->srv->sessions; s; s = s->next)
        if (server_fanout_owed(s, seq, site_id))
            return true;
    return false;
}

static void server_fanout_event(void *ctx, const struct core_event *ev)
{
    struct server_fanout_pass *pass = ctx;
    struct server *srv = pass->srv;
    if (ev->seq > srv->last_fanned)
        srv->last_fanned = ev->seq;
    srv->metrics.events_committed++;
    if (strcmp(ev->kind, "device.revoked") == 0) {
        server_fanout_revoked(srv);
        return;
    }
    if (!ev->data) /* no screen is owed it (server_fanout_needs) */
        return;
    if (server_fanout_fleet_take(pass, ev))
        return;
    struct session_frame *frames[DOMAIN_MODE__COUNT] = {0};
    bool made[DOMAIN_MODE__COUNT] = {0};
    for (struct session *s = srv->sessions; s; s = s->next) {
        if (!server_fanout_owed(s, ev->seq, ev->site_id))
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
    struct server_fanout_pass pass = {srv, NULL, 0, 0};
    for (;;) {
        int n = core_events_after_lazy(srv->core, srv->last_fanned, SERVER_FANOUT_BATCH,
                                       server_fanout_needs, server_fanout_event, &pass);
        /* Acting on a fleet event may commit further events: read again after it. */
        bool acted = pass.n > 0;
        server_fanout_fleet_run(&pass);
        if (n < 0) {
            log_error("hub", "fan-out could not read the event log after seq %lld",
                      (long long)srv->last_fanned);
            break;
        }
        total += n;
        if (n < SERVER_FANOUT_BATCH && !acted)
            break;
    }
    free(pass.fleet);
    /* Only passes that moved events are timed, so idle polls do not flatten the histogram. */
    if (total > 0)
        metrics_observe(&srv->metrics.fanout_seconds, metrics_now() - t0);
}

/* Requests of an authenticated session: the mode check, the handlers the network layer owns
 * (ping, subscribe, staff_login, staff_logout; the fleet's heartbeat and control_result in
 * session_fleet.c), everything else through core_request(), and one result per request with
 * its metrics and log line. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "server_guard.h"

/* 0 with *data (result ok), -1 with *err (result error), 1 when the handler queued the
 * result itself (subscribe must put its result before the snapshot). */
typedef int (*session_request_fn)(struct session *s, const struct proto_msg *msg, int64_t now,
                                  cJSON **data, struct proto_error *err);

static int session_request_ping(struct session *s, const struct proto_msg *msg, int64_t now,
                                cJSON **data, struct proto_error *err)
{
    *data = cJSON_CreateObject();
    if (!*data || !cJSON_AddNumberToObject(*data, "now", (double)now))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    return 0;
}

static int session_request_subscribe(struct session *s, const struct proto_msg *msg, int64_t now,
                                     cJSON **data, struct proto_error *err)
{
    return session_subscribe_handle(s, msg, now, err) == 0 ? 1 : -1;
}

static int session_request_staff_login(struct session *s, const struct proto_msg *msg, int64_t now,
                                       cJSON **data, struct proto_error *err)
{
    struct server *srv = s->srv;
    struct core_staff staff;
    const char *no = proto_get_str(msg->args, "staff_no");
    const char *pin = proto_get_str(msg->args, "pin");
    /* PIN guessing across staff numbers from one address is blocked like bad tokens; the
     * per-account lockout stays the core's. */
    if (server_auth_blocked(srv, s->guarded ? s->guard_key : "", NULL))
        return proto_error_set(err, PROTO_E_RATE_LIMITED, NULL,
                               "too many failed logins from this address; try again later");
    int rc =
        core_staff_login(srv->core, &s->dev, no ? no : "", pin ? pin : "", now, &staff, data, err);
    if (rc != 0) {
        if (err->code == PROTO_E_STAFF_LOGIN_FAILED)
            session_guard_failure(s);
        return -1;
    }
    s->has_staff = true;
    s->staff_expired = false;
    s->staff = staff;
    /* The core sets the first expiry from the site's idle time; keep that span per request. */
    s->staff_idle_ms =
        staff.expires_at > now ? staff.expires_at - now : srv->cfg->staff_idle_seconds * 1000;
    s->staff.expires_at = now + s->staff_idle_ms;
    log_info("hub", "staff login conn=%llu device=\"%s\" staff=%s", (unsigned long long)s->conn_id,
             s->dev.name, staff.staff_no);
    return 0;
}

static int session_request_staff_logout(struct session *s, const struct proto_msg *msg, int64_t now,
                                        cJSON **data, struct proto_error *err)
{
    s->has_staff = false;
    s->staff_expired = false;
    *data = cJSON_CreateObject();
    if (!*data)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    return 0;
}

static int session_request_core(struct session *s, const struct proto_msg *msg, int64_t now,
                                cJSON **data, struct proto_error *err)
{
    return session_request_run_core(s, msg->type, msg->id, msg->args, now, data, NULL, err);
}

static const struct {
    enum proto_type type;
    session_request_fn fn;
} session_request_handlers[] = {
    {PROTO_T_PING, session_request_ping},
    {PROTO_T_SUBSCRIBE, session_request_subscribe},
    {PROTO_T_STAFF_LOGIN, session_request_staff_login},
    {PROTO_T_STAFF_LOGOUT, session_request_staff_logout},
    {PROTO_T_HEARTBEAT, session_fleet_heartbeat},
    {PROTO_T_CONTROL_RESULT, session_fleet_control_result},
};

static session_request_fn session_request_find(enum proto_type t)
{
    for (size_t i = 0; i < sizeof session_request_handlers / sizeof session_request_handlers[0];
         i++)
        if (session_request_handlers[i].type == t)
            return session_request_handlers[i].fn;
    return session_request_core;
}

/* A staff login lapses after its idle time without a request; each request refreshes it. */
static void session_request_staff_idle(struct session *s, int64_t now)
{
    if (!s->has_staff)
        return;
    if (now > s->staff.expires_at) {
        log_info("hub", "staff login expired conn=%llu device=\"%s\" staff=%s",
                 (unsigned long long)s->conn_id, s->dev.name, s->staff.staff_no);
        s->has_staff = false;
        s->staff_expired = true;
        return;
    }
    s->staff.expires_at = now + s->staff_idle_ms;
}

void session_request_reply(struct session *s, enum proto_type type, const char *id, int rc,
                           cJSON *data, char *text, struct proto_error *err, double t0)
{
    struct server *srv = s->srv;
    if (rc == 0) {
        char *json =
            text ? proto_encode_result_ok_text(id, text) : proto_encode_result_ok(id, data);
        session_send_json(s, json, false);
    } else if (rc < 0) {
        session_send_json(s, proto_encode_result_err(id, err), false);
    }
    cJSON_Delete(data);
    free(text);

    double secs = metrics_now() - t0;
    metrics_count_command(&srv->metrics, type, rc >= 0);
    metrics_observe(&srv->metrics.command_seconds, secs);
    log_info(
        "hub", "request conn=%llu device_id=%lld device=\"%s\" type=%s id=%s result=%s ms=%.1f",
        (unsigned long long)s->conn_id, (long long)s->dev.id, s->dev.name, proto_type_name(type),
        id ? id : "-", rc >= 0 ? "ok" : proto_error_code(err->code), secs * 1000.0);
}

int session_request_run_core(struct session *s, enum proto_type type, const char *id,
                             const cJSON *args, int64_t now, cJSON **data, char **text,
                             struct proto_error *err)
{
    int rc = core_request_text(s->srv->core, &s->dev, s->has_staff ? &s->staff : NULL, type, id,
                               args, now, data, text, err);
    if (rc != 0 && err->code == PROTO_E_STAFF_LOGIN_REQUIRED && s->staff_expired)
        proto_error_set(err, PROTO_E_SESSION_EXPIRED, NULL,
                        "the staff login expired after inactivity; log in again");
    return rc == 0 ? 0 : -1;
}

void session_request_handle(struct session *s, const struct proto_msg *msg)
{
    struct server *srv = s->srv;
    double t0 = metrics_now();
    int64_t now = clock_now_ms(&srv->clock);
    struct proto_error err = {0};
    cJSON *data = NULL;
    int rc;
    session_request_fn fn = NULL;

    if (msg->type == PROTO_T_AUTH || msg->type == PROTO_T_PAIR) {
        rc = proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL, "already authenticated");
    } else if (!domain_mode_allows(s->dev.mode, msg->type)) {
        rc = proto_error_set(&err, PROTO_E_FORBIDDEN, NULL, "a %s device may not send %s",
                             domain_mode_name(s->dev.mode), proto_type_name(msg->type));
    } else {
        session_request_staff_idle(s, now);
        fn = session_request_find(msg->type);
        /* Group commit: a command joins the batch of this loop pass and is answered, after
         * the batch's COMMIT, by session_batch.c. */
        if (fn == session_request_core && session_batch_defer(s, msg, now, t0) == 0)
            return;
        rc = fn(s, msg, now, &data, &err);
    }
    session_request_reply(s, msg->type, msg->id, rc, data, NULL, &err, t0);

    /* The core may have committed events: push them now, after this request's result. */
    if (fn == session_request_core || fn == session_request_staff_login ||
        fn == session_fleet_control_result)
        server_fanout(srv);
}

/* The HTTP API's routes: login/logout (staff sessions in memory), /requests (a protocol
 * request in the body, the protocol's result back), GET /orders shorthands for order_list
 * and order_get, and GET /devices (the kiosk fleet, for admins and managers). Each request
 * authenticates its device by token, so a revoked device is refused at once; commands go
 * through core_request() and are fanned out to the WebSocket subscribers before the
 * response is queued. */
#include "http_api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core_fleet.h"
#include "log.h"
#include "metrics.h"
#include "server.h"

#define HTTP_API_SESSION_HEADER_MAX HTTP_API_SESSION_TOKEN_LEN
/* The id given to core_request() for the GET shorthands: reads store no id. */
#define HTTP_API_READ_ID "http-get"

/* ---- errors and statuses ---- */

static const struct {
    enum proto_err code;
    unsigned status;
} http_api_statuses[] = {
    {PROTO_E_OK, 200},
    {PROTO_E_FRAME_TOO_LARGE, 413},
    {PROTO_E_NOT_AUTHENTICATED, 401},
    {PROTO_E_AUTH_FAILED, 401},
    {PROTO_E_DEVICE_REVOKED, 401},
    {PROTO_E_STAFF_LOGIN_REQUIRED, 401},
    {PROTO_E_STAFF_LOGIN_FAILED, 401},
    {PROTO_E_SESSION_EXPIRED, 401},
    {PROTO_E_FORBIDDEN, 403},
    {PROTO_E_NOT_FOUND, 404},
    {PROTO_E_INVALID_STATE, 409},
    {PROTO_E_ID_REUSED, 409},
    {PROTO_E_ALREADY_SUBSCRIBED, 409},
    {PROTO_E_STAFF_LOCKED, 429},
    {PROTO_E_RATE_LIMITED, 429},
    {PROTO_E_INTERNAL, 500},
    {PROTO_E_UNAVAILABLE, 503},
};

unsigned http_api_status(enum proto_err code)
{
    for (size_t i = 0; i < sizeof http_api_statuses / sizeof http_api_statuses[0]; i++)
        if (http_api_statuses[i].code == code)
            return http_api_statuses[i].status;
    return 400; /* every other code judges the request: decode errors and domain validation */
}

/* JSON text of a cJSON value (cJSON prints integers up to 2^53 exactly); NULL on OOM. */
static char *http_api_print(const cJSON *v)
{
    char *t = cJSON_PrintUnformatted(v);
    if (!t)
        return NULL;
    /* cJSON's allocator is malloc here, but hand the caller memory from malloc for sure. */
    char *out = strdup(t);
    cJSON_free(t);
    return out;
}

static void http_api_fail(struct http_api_response *rs, const struct proto_error *err)
{
    rs->status = http_api_status(err->code);
    cJSON *o = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    if (e) {
        cJSON_AddStringToObject(e, "code", proto_error_code(err->code));
        cJSON_AddStringToObject(
            e, "message", err->message[0] ? err->message : proto_error_default_message(err->code));
        if (err->field[0])
            cJSON_AddStringToObject(e, "field", err->field);
    }
    rs->body = e ? http_api_print(o) : NULL;
    cJSON_Delete(o);
}

static void http_api_ok(struct http_api_response *rs, const cJSON *data)
{
    rs->status = 200;
    rs->body = http_api_print(data);
    if (!rs->body) {
        struct proto_error err;
        proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
        http_api_fail(rs, &err);
    }
}

/* A protocol result frame (the /requests answer), with the status of its error. */
static void http_api_result(struct http_api_response *rs, const char *id, int rc, const cJSON *data,
                            const struct proto_error *err)
{
    rs->status = rc == 0 ? 200 : http_api_status(err->code);
    rs->body = rc == 0 ? proto_encode_result_ok(id, data) : proto_encode_result_err(id, err);
    if (!rs->body) {
        struct proto_error e;
        proto_error_set(&e, PROTO_E_INTERNAL, NULL, "the result could not be encoded");
        rs->status = 500;
        rs->body = proto_encode_result_err(id, &e);
    }
}

/* ---- who is asking ---- */

/* The device of the bearer token; a revoked device's API sessions are dropped with it. */
static int http_api_device(struct server *srv, const struct http_api_request *rq, int64_t now,
                           struct core_device *dev, struct proto_error *err)
{
    const char *a = rq->auth;
    if (!a[0])
        return proto_error_set(err, PROTO_E_NOT_AUTHENTICATED, NULL,
                               "send the device token as Authorization: Bearer <token>");
    if (strncasecmp(a, "Bearer ", 7) != 0) {
        server_auth_failed(srv, rq->peer, METRICS_AUTH_HTTP_TOKEN);
        return proto_error_set(err, PROTO_E_AUTH_FAILED, NULL,
                               "the Authorization header must be Bearer <device token>");
    }
    a += 7;
    while (*a == ' ')
        a++;
    int rc =
        strlen(a) > PROTO_MAX_TOKEN
            ? proto_error_set(err, PROTO_E_AUTH_FAILED, NULL, NULL)
            : core_auth_device(srv->core, a, rq->client[0] ? rq->client : "http", now, dev, err);
    if (rc == 0)
        return 0;
    if (err->code == PROTO_E_DEVICE_REVOKED)
        http_api_session_prune(srv->api_sessions, srv->core, now);
    if (err->code == PROTO_E_AUTH_FAILED || err->code == PROTO_E_DEVICE_REVOKED) {
        log_info("hub", "http auth failed peer=%s path=%s code=%s", rq->peer[0] ? rq->peer : "-",
                 rq->path, proto_error_code(err->code));
        server_auth_failed(srv, rq->peer, METRICS_AUTH_HTTP_TOKEN);
    }
    return -1;
}

/* The staff session named by X-Showfloor-Session, if any. 0 with *staff (or none when the
 * header is absent: *has = false); -1 with session_expired when the header names no live
 * session of this device. A token that names no session at all counts against the address
 * (server_auth_failed); one that merely lapsed does not, since honest clients hit that. */
static int http_api_staff(struct server *srv, const struct http_api_request *rq,
                          const struct core_device *dev, int64_t now, struct core_staff *staff,
                          bool *has, struct proto_error *err)
{
    *has = false;
    if (!rq->session[0] && !rq->session_bad)
        return 0;
    enum http_api_session_use u = HTTP_API_SESSION_UNKNOWN;
    if (!rq->session_bad)
        u = http_api_session_use(srv->api_sessions, rq->session, dev->id, now, staff);
    if (u == HTTP_API_SESSION_EXPIRED)
        return proto_error_set(err, PROTO_E_SESSION_EXPIRED, NULL,
                               "the staff session expired after inactivity; log in again");
    if (u != HTTP_API_SESSION_OK) {
        server_auth_failed(srv, rq->peer, METRICS_AUTH_HTTP_SESSION);
        return proto_error_set(err, PROTO_E_SESSION_EXPIRED, NULL,
                               "unknown or ended staff session; log in again");
    }
    *has = true;
    return 0;
}

/* ---- running a request ---- */

/* Runs one decoded request for the device: the mode check, the staff session, the core.
 * Counts it in the command metrics, logs it, and fans out what it committed. */
static int http_api_run(struct server *srv, const struct http_api_request *rq,
                        const struct core_device *dev, enum proto_type type, const char *id,
                        const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    double t0 = metrics_now();
    struct core_staff staff;
    bool has_staff = false;
    int rc;
    *data = NULL;
    if (!domain_mode_allows(dev->mode, type))
        rc = proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "a %s device may not send %s",
                             domain_mode_name(dev->mode), proto_type_name(type));
    else if (http_api_staff(srv, rq, dev, now, &staff, &has_staff, err) != 0)
        rc = -1;
    else
        rc =
            core_request(srv->core, dev, has_staff ? &staff : NULL, type, id, args, now, data, err);
    double secs = metrics_now() - t0;
    metrics_count_command(&srv->metrics, type, rc == 0);
    metrics_observe(&srv->metrics.command_seconds, secs);
    log_info("hub",
             "http request device_id=%lld device=\"%s\" staff=%s type=%s id=%s result=%s "
             "ms=%.1f",
             (long long)dev->id, dev->name, has_staff ? staff.staff_no : "-", proto_type_name(type),
             id ? id : "-", rc == 0 ? "ok" : proto_error_code(err->code), secs * 1000.0);
    /* The command is committed: its events reach the subscribers as a WebSocket command's
     * do, before this response is even queued. */
    server_fanout(srv);
    return rc;
}

/* Logs a staff member in for the device and opens an API session. *data gets the login
 * result plus "session"; the expiry is the session's. A wrong PIN counts against the
 * address `peer` as on the WebSocket; the per-account lockout stays the core's. */
static int http_api_open_login(struct server *srv, const char *peer, const struct core_device *dev,
                               const cJSON *args, int64_t now, cJSON **data,
                               struct proto_error *err)
{
    double t0 = metrics_now();
    struct core_staff staff;
    const char *no = proto_get_str(args, "staff_no");
    const char *pin = proto_get_str(args, "pin");
    int rc;
    *data = NULL;
    if (!domain_mode_allows(dev->mode, PROTO_T_STAFF_LOGIN)) {
        rc = proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "a %s device may not log staff in",
                             domain_mode_name(dev->mode));
    } else {
        rc = core_staff_login(srv->core, dev, no ? no : "", pin ? pin : "", now, &staff, data, err);
        if (rc != 0 && err->code == PROTO_E_STAFF_LOGIN_FAILED)
            server_auth_failed(srv, peer, METRICS_AUTH_HTTP_PIN);
    }
    if (rc == 0) {
        char token[HTTP_API_SESSION_TOKEN_LEN + 1];
        int64_t expires_at;
        http_api_session_prune(srv->api_sessions, srv->core, now);
        if (http_api_session_open(srv->api_sessions, &staff, dev->id, now, token, &expires_at) ||
            !cJSON_AddStringToObject(*data, "session", token) ||
            !cJSON_ReplaceItemInObjectCaseSensitive(*data, "expires_at",
                                                    cJSON_CreateNumber((double)expires_at))) {
            cJSON_Delete(*data);
            *data = NULL;
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        }
        sodium_memzero(token, sizeof token);
    }
    double secs = metrics_now() - t0;
    metrics_count_command(&srv->metrics, PROTO_T_STAFF_LOGIN, rc == 0);
    metrics_observe(&srv->metrics.command_seconds, secs);
    log_info("hub", "http staff login peer=%s device_id=%lld device=\"%s\" staff=%s result=%s",
             peer[0] ? peer : "-", (long long)dev->id, dev->name, no ? no : "-",
             rc == 0 ? "ok" : proto_error_code(err->code));
    server_fanout(srv);
    return rc;
}

/* Decodes a body that is the args of `type` ({staff_no, pin} for login) with every rule of
 * the protocol: it must be one JSON object, and wrapped as that request's args it must pass
 * proto_decode. 0 with *msg (caller frees with proto_msg_free), -1 with *err. */
static int http_api_decode_args(const struct http_api_request *rq, enum proto_type type,
                                struct proto_msg *msg, struct proto_error *err)
{
    const char *end = NULL;
    cJSON *probe = cJSON_ParseWithLengthOpts(rq->body, rq->body_len, &end, 0);
    bool object = probe && cJSON_IsObject(probe);
    cJSON_Delete(probe);
    if (object)
        while (end < rq->body + rq->body_len && *end && strchr(" \t\r\n", *end))
            end++;
    if (!object || end != rq->body + rq->body_len)
        return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "the body must be one JSON object");
    /* The body is exactly one object, so it cannot reach outside "args" once wrapped. */
    static const char pre[] = "{\"type\":\"%s\",\"id\":\"http\",\"args\":";
    size_t cap = sizeof pre + PROTO_MAX_SHORT + rq->body_len + 2;
    char *text = malloc(cap);
    if (!text)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int n = snprintf(text, cap, pre, proto_type_name(type));
    memcpy(text + n, rq->body, rq->body_len);
    text[(size_t)n + rq->body_len] = '}';
    int rc = proto_decode(text, (size_t)n + rq->body_len + 1, PROTO_DIR_C2H, msg, err, NULL);
    free(text);
    return rc;
}

/* ---- routes ---- */

static void http_api_login(struct server *srv, const struct http_api_request *rq,
                           const struct core_device *dev, int64_t now, struct http_api_response *rs)
{
    struct proto_msg msg;
    struct proto_error err;
    cJSON *data = NULL;
    if (http_api_decode_args(rq, PROTO_T_STAFF_LOGIN, &msg, &err) != 0) {
        http_api_fail(rs, &err);
        return;
    }
    if (http_api_open_login(srv, rq->peer, dev, msg.args, now, &data, &err) == 0)
        http_api_ok(rs, data);
    else
        http_api_fail(rs, &err);
    cJSON_Delete(data);
    proto_msg_free(&msg);
}

static void http_api_logout(struct server *srv, const struct http_api_request *rq,
                            const struct core_device *dev, struct http_api_response *rs)
{
    /* Idempotent: logging out a session that already ended is not an error. */
    if (rq->session[0] && !rq->session_bad &&
        http_api_session_close(srv->api_sessions, rq->session, dev->id))
        log_info("hub", "http staff logout device_id=%lld device=\"%s\"", (long long)dev->id,
                 dev->name);
    cJSON *o = cJSON_CreateObject();
    http_api_ok(rs, o);
    cJSON_Delete(o);
}

/* POST /api/v1/requests: the body is a protocol request; the answer is its result frame. */
static void http_api_requests(struct server *srv, const struct http_api_request *rq,
                              const struct core_device *dev, int64_t now,
                              struct http_api_response *rs)
{
    struct proto_msg msg;
    struct proto_error err;
    char id[PROTO_MAX_ID + 1];
    cJSON *data = NULL;
    int rc;
    if (proto_decode(rq->body, rq->body_len, PROTO_DIR_C2H, &msg, &err, id) != 0) {
        http_api_result(rs, id[0] ? id : NULL, -1, NULL, &err);
        return;
    }
    switch (msg.type) {
    case PROTO_T_AUTH:
        rc = proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL,
                             "over HTTP the device token goes in the Authorization header");
        break;
    case PROTO_T_SUBSCRIBE:
    case PROTO_T_PAIR:
    case PROTO_T_HEARTBEAT:
    case PROTO_T_CONTROL_RESULT:
        /* the fleet's messages belong to a kiosk's connection (session_fleet.c) */
        rc = proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL, "%s needs a WebSocket connection",
                             proto_type_name(msg.type));
        break;
    case PROTO_T_PING:
        if (!domain_mode_allows(dev->mode, msg.type)) {
            rc = proto_error_set(&err, PROTO_E_FORBIDDEN, NULL, "a %s device may not send ping",
                                 domain_mode_name(dev->mode));
            break;
        }
        data = cJSON_CreateObject();
        rc = data && cJSON_AddNumberToObject(data, "now", (double)now)
                 ? 0
                 : proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
        break;
    case PROTO_T_STAFF_LOGIN:
        rc = http_api_open_login(srv, rq->peer, dev, msg.args, now, &data, &err);
        break;
    case PROTO_T_STAFF_LOGOUT:
        if (!domain_mode_allows(dev->mode, msg.type)) {
            rc = proto_error_set(&err, PROTO_E_FORBIDDEN, NULL,
                                 "a %s device may not send staff_logout",
                                 domain_mode_name(dev->mode));
            break;
        }
        if (rq->session[0] && !rq->session_bad)
            http_api_session_close(srv->api_sessions, rq->session, dev->id);
        data = cJSON_CreateObject();
        rc = data ? 0 : proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
        break;
    default:
        rc = http_api_run(srv, rq, dev, msg.type, msg.id, msg.args, now, &data, &err);
        break;
    }
    /* http_api_run and the login count their own requests */
    if (msg.type == PROTO_T_AUTH || msg.type == PROTO_T_SUBSCRIBE || msg.type == PROTO_T_PING ||
        msg.type == PROTO_T_STAFF_LOGOUT || msg.type == PROTO_T_PAIR ||
        msg.type == PROTO_T_HEARTBEAT || msg.type == PROTO_T_CONTROL_RESULT)
        metrics_count_command(&srv->metrics, msg.type, rc == 0);
    http_api_result(rs, msg.id, rc, data, &err);
    cJSON_Delete(data);
    proto_msg_free(&msg);
}

/* Query parameters as request args: limit and offset are integers, the rest text; an empty
 * value is the same as an absent one ("?stage=&q=SF2611"). NULL with *err. */
static cJSON *http_api_query_args(const struct http_api_request *rq, struct proto_error *err)
{
    if (rq->args_too_many) {
        proto_error_set(err, PROTO_E_TOO_LONG, NULL, "at most %d query parameters of %d bytes each",
                        HTTP_API_MAX_ARGS, HTTP_API_MAX_ARG);
        return NULL;
    }
    cJSON *args = cJSON_CreateObject();
    if (!args) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < rq->nargs; i++) {
        char name[HTTP_API_MAX_ARG + 1];
        snprintf(name, sizeof name, "%s", rq->args[i]);
        char *value = strchr(name, '=');
        if (value)
            *value++ = '\0';
        if (!value || !*value)
            continue;
        if (cJSON_GetObjectItemCaseSensitive(args, name)) {
            proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s is given twice", name);
            goto fail;
        }
        cJSON *v;
        if (strcmp(name, "limit") == 0 || strcmp(name, "offset") == 0) {
            char *end;
            long long n = strtoll(value, &end, 10);
            if (*end || end == value || strlen(value) > 16) {
                proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be an integer", name);
                goto fail;
            }
            v = cJSON_CreateNumber((double)n);
        } else {
            v = cJSON_CreateString(value);
        }
        if (!v || !cJSON_AddItemToObject(args, name, v)) {
            cJSON_Delete(v);
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto fail;
        }
    }
    return args;
fail:
    cJSON_Delete(args);
    return NULL;
}

/* GET /api/v1/orders and /api/v1/orders/{no}: order_list and order_get; data as the body. */
static void http_api_orders(struct server *srv, const struct http_api_request *rq,
                            const struct core_device *dev, int64_t now,
                            struct http_api_response *rs)
{
    struct proto_error err;
    cJSON *data = NULL, *args = NULL;
    bool one = rq->route == HTTP_ROUTE_ORDER;
    int t = proto_type_from_name(one ? "order_get" : "order_list", PROTO_DIR_C2H);
    if (t < 0) {
        proto_error_set(&err, PROTO_E_NOT_FOUND, NULL, "this hub has no order API");
        goto fail;
    }
    if (one) {
        const char *no = rq->path + strlen("/api/v1/orders/");
        if (rq->nargs) {
            proto_error_set(&err, PROTO_E_UNKNOWN_FIELD, NULL, "this path takes no parameters");
            goto fail;
        }
        args = cJSON_CreateObject();
        if (!args || !cJSON_AddStringToObject(args, "order_no", no)) {
            proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto fail;
        }
    } else if (!(args = http_api_query_args(rq, &err))) {
        goto fail;
    }
    if (proto_validate_args((enum proto_type)t, args, &err) != 0 ||
        http_api_run(srv, rq, dev, (enum proto_type)t, HTTP_API_READ_ID, args, now, &data, &err) !=
            0)
        goto fail;
    http_api_ok(rs, data);
    cJSON_Delete(data);
    cJSON_Delete(args);
    return;
fail:
    http_api_fail(rs, &err);
    cJSON_Delete(data);
    cJSON_Delete(args);
}

/* Keeps the fleet rows of one site (by code) in `all`; how many are left. */
static int http_api_devices_filter(cJSON *all, const char *code)
{
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(all, "devices");
    int kept = 0;
    for (cJSON *r = rows ? rows->child : NULL, *next; r; r = next) {
        next = r->next;
        const cJSON *site = cJSON_GetObjectItemCaseSensitive(r, "site");
        const char *rc = cJSON_IsString(site) ? site->valuestring
                                              : proto_get_str(site, "code"); /* {"code",...} */
        if (rc && strcmp(rc, code) == 0)
            kept++;
        else
            cJSON_Delete(cJSON_DetachItemViaPointer(rows, r));
    }
    return kept;
}

/* Who may read the fleet: an api device's staff session of an admin (every site) or a
 * manager (their own site; `site` another code is refused). The session's staff belong to
 * the device's site (core_staff_login checks it). 0 with *staff, -1 with *err. */
static int http_api_devices_allowed(struct server *srv, const struct http_api_request *rq,
                                    const struct core_device *dev, const char *site, int64_t now,
                                    struct core_staff *staff, bool *has_staff,
                                    struct proto_error *err)
{
    if (dev->mode != DOMAIN_MODE_API)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "the fleet is read with an api device's token, not a %s kiosk's",
                               domain_mode_name(dev->mode));
    if (http_api_staff(srv, rq, dev, now, staff, has_staff, err) != 0)
        return -1;
    if (!*has_staff)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_REQUIRED, NULL,
                               "the fleet needs an admin's or a manager's staff session");
    if (staff->role != DOMAIN_ROLE_ADMIN && staff->role != DOMAIN_ROLE_MANAGER)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "only an admin or a manager may see the fleet, not a %s",
                               domain_role_name(staff->role));
    if (staff->role == DOMAIN_ROLE_MANAGER && site && strcmp(site, dev->site_code) != 0)
        return proto_error_set(err, PROTO_E_FORBIDDEN, "site",
                               "a manager sees the fleet of their own site (%s) only",
                               dev->site_code);
    return 0;
}

/* GET /api/v1/devices[?site=CODE]: the fleet (core_fleet_json) for an admin or a manager. */
static void http_api_devices(struct server *srv, const struct http_api_request *rq,
                             const struct core_device *dev, int64_t now,
                             struct http_api_response *rs)
{
    double t0 = metrics_now();
    struct proto_error err = {0};
    struct core_staff staff = {0};
    bool has_staff = false;
    const char *site = NULL;
    cJSON *data = NULL;
    int rc = 0;
    if (rq->args_too_many)
        rc = proto_error_set(&err, PROTO_E_TOO_LONG, NULL, "at most %d query parameters",
                             HTTP_API_MAX_ARGS);
    for (size_t i = 0; i < rq->nargs && rc == 0; i++) {
        if (strncmp(rq->args[i], "site=", 5) == 0)
            site = rq->args[i][5] ? rq->args[i] + 5 : NULL; /* empty = absent, as on /orders */
        else
            rc = proto_error_set(&err, PROTO_E_UNKNOWN_FIELD, NULL,
                                 "this path takes only site=CODE");
    }
    if (rc == 0)
        rc = http_api_devices_allowed(srv, rq, dev, site, now, &staff, &has_staff, &err);
    if (rc == 0) {
        /* Site ids are the core's: the device's own site is asked for directly; another
         * site (an admin's ?site=) is picked out of the whole fleet by its code. */
        bool own = staff.role == DOMAIN_ROLE_MANAGER || (site && strcmp(site, dev->site_code) == 0);
        data = core_fleet_json(srv->core, own ? dev->site_id : 0, now);
        if (!data)
            rc = proto_error_set(&err, PROTO_E_INTERNAL, NULL, "the fleet could not be read");
        else if (site && !own)
            http_api_devices_filter(data, site);
    }
    log_info("hub", "http devices device_id=%lld staff=%s site=%s result=%s ms=%.1f",
             (long long)dev->id, has_staff ? staff.staff_no : "-", site ? site : "-",
             rc == 0 ? "ok" : proto_error_code(err.code), (metrics_now() - t0) * 1000.0);
    if (rc == 0)
        http_api_ok(rs, data);
    else
        http_api_fail(rs, &err);
    cJSON_Delete(data);
}

static void http_api_route(struct server *srv, const struct http_api_request *rq,
                           struct http_api_response *rs)
{
    struct proto_error err;
    struct core_device dev;
    int64_t now = clock_now_ms(&srv->clock);
    enum http_api_method want = rq->route == HTTP_ROUTE_ORDERS || rq->route == HTTP_ROUTE_ORDER ||
                                        rq->route == HTTP_ROUTE_DEVICES
                                    ? HTTP_API_GET
                                    : HTTP_API_POST;
    rs->status = 0;
    rs->body = NULL;
    if (rq->route < HTTP_ROUTE_LOGIN || rq->route > HTTP_ROUTE_DEVICES) {
        proto_error_set(&err, PROTO_E_NOT_FOUND, NULL, "no such API path");
        http_api_fail(rs, &err);
        return;
    }
    if (rq->method != want) {
        proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL, "use %s on %s",
                        want == HTTP_API_GET ? "GET" : "POST", http_stats_route_name(rq->route));
        http_api_fail(rs, &err);
        rs->status = 405;
        return;
    }
    if (rq->body_chunked) {
        proto_error_set(&err, PROTO_E_BAD_MESSAGE, NULL,
                        "send the body with a Content-Length, not chunked");
        http_api_fail(rs, &err);
        rs->status = 411;
        return;
    }
    if (rq->body_too_large) {
        proto_error_set(&err, PROTO_E_FRAME_TOO_LARGE, NULL,
                        "a request body may have at most %d bytes", HTTP_API_MAX_BODY);
        http_api_fail(rs, &err);
        return;
    }
    /* Checked before the token is: a blocked address is refused even with a good one. */
    int64_t retry_s;
    if (server_auth_blocked(srv, rq->peer, &retry_s)) {
        proto_error_set(&err, PROTO_E_RATE_LIMITED, NULL,
                        "too many bad tokens or PINs from this address; try again in %lld s",
                        (long long)retry_s);
        http_api_fail(rs, &err);
        return;
    }
    if (http_api_device(srv, rq, now, &dev, &err) != 0) {
        http_api_fail(rs, &err);
        return;
    }
    switch (rq->route) {
    case HTTP_ROUTE_LOGIN:
        http_api_login(srv, rq, &dev, now, rs);
        break;
    case HTTP_ROUTE_LOGOUT:
        http_api_logout(srv, rq, &dev, rs);
        break;
    case HTTP_ROUTE_REQUESTS:
        http_api_requests(srv, rq, &dev, now, rs);
        break;
    case HTTP_ROUTE_DEVICES:
        http_api_devices(srv, rq, &dev, now, rs);
        break;
    default:
        http_api_orders(srv, rq, &dev, now, rs);
        break;
    }
}

void http_api_handle(struct server *srv, const struct http_api_request *rq,
                     struct http_api_response *rs)
{
    http_api_route(srv, rq, rs);
    /* The answer may rest on commits the WAL sync thread has not reached yet (store.h
     * "Deferred sync"): an HTTP answer cannot be held like a frame, so the loop syncs here. */
    struct proto_error err;
    if (core_durable_flush(srv->core, &err) != 0) {
        free(rs->body);
        http_api_fail(rs, &err); /* and server_run stops (core_durable_failed) */
    }
}

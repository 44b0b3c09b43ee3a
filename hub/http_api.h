/* The hub's HTTP JSON API (/api/v1/...): the same requests as the WebSocket protocol, for
 * back-office tools, a dealer's DMS and the admin CLI. A request is authenticated by a
 * device token (Authorization: Bearer) and, where staff act, a session token from
 * POST /api/v1/login (X-Showfloor-Session). Bodies are decoded by the protocol library,
 * the device's mode is checked as on the WebSocket, and everything else goes through
 * core_request(), which commits before it returns. Bad tokens, PINs and session tokens count
 * against the peer's address as on the WebSocket (server_auth_failed), and a blocked address
 * gets 429 rate_limited on every route until the block ends. Hub thread only; no lws in here, so
 * http.c owns the sockets and this file only turns a parsed request into a response. */
#ifndef SHOWFLOOR_HTTP_API_H
#define SHOWFLOOR_HTTP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_api_session.h"
#include "http_stats.h"
#include "server_guard.h"

struct server;

#define HTTP_API_MAX_BODY PROTO_MAX_FRAME_IN /* request bodies, bytes (413 beyond) */
#define HTTP_API_MAX_ARGS 8                  /* query parameters */
#define HTTP_API_MAX_ARG  128                /* bytes of one "name=value", decoded */
#define HTTP_API_MAX_AUTH 192                /* bytes of the Authorization header */

enum http_api_method { HTTP_API_GET, HTTP_API_POST, HTTP_API_OTHER };

/* A parsed HTTP request. Strings are NUL-terminated and borrowed. */
struct http_api_request {
    enum http_route route;
    enum http_api_method method;
    const char *path;
    char args[HTTP_API_MAX_ARGS][HTTP_API_MAX_ARG + 1]; /* urldecoded "name=value" */
    size_t nargs;
    bool args_too_many;               /* more, or longer, query parameters than the limits */
    char auth[HTTP_API_MAX_AUTH + 1]; /* Authorization, "" if absent */
    char session[HTTP_API_SESSION_TOKEN_LEN + 2]; /* X-Showfloor-Session, "" if absent */
    bool session_bad;                             /* present but not a token */
    char client[PROTO_MAX_SHORT + 1];             /* User-Agent, for the device list */
    char peer[SERVER_GUARD_KEY_MAX]; /* the peer's address as server_guard keys it; "" unknown */
    const char *body;
    size_t body_len;
    bool body_too_large;
    bool body_chunked; /* Transfer-Encoding: the hub needs a Content-Length (411) */
};

struct http_api_response {
    unsigned status;
    char *body; /* malloc'd JSON text; caller frees */
};

/* Handles one request to an API route (route LOGIN..ORDER). Always fills *rs (a JSON
 * body even for errors); a command's result is committed, on disk (core_durable_flush) and
 * fanned out before this returns. */
void http_api_handle(struct server *srv, const struct http_api_request *rq,
                     struct http_api_response *rs);
/* HTTP status for an error code (PROTOCOL.md "HTTP API"). */
unsigned http_api_status(enum proto_err code);

#endif

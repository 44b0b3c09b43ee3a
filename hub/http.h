/* The HTTP side of the hub's port: GET /healthz, GET /metrics, the JSON API under /api/v1/
 * (http_api.c) and 404 for anything else. It is the vhost's first protocol, so it also
 * refuses WebSocket upgrades that did not ask for showfloor.v1 (lws binds those to the
 * first protocol). Hub thread only. */
#ifndef SHOWFLOOR_HTTP_H
#define SHOWFLOOR_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <libwebsockets.h>

#include "http_api.h"

#define HTTP_MAX_PATH 256

/* lws per-session data of an HTTP connection: one transaction at a time (keep-alive runs
 * them one after another on the same data, so each starts by clearing it). */
struct http_session {
    /* the request */
    struct http_api_request rq;
    char path[HTTP_MAX_PATH + 1];
    unsigned char *req; /* body read so far (up to HTTP_API_MAX_BODY); owned */
    size_t req_len;
    size_t req_seen;   /* body bytes received, kept or not */
    bool reading_body; /* between LWS_CALLBACK_HTTP and HTTP_BODY_COMPLETION */
    /* the response: headers in one HTTP_WRITEABLE, the body in the next */
    bool responding;
    bool headers_sent;
    bool close_after; /* the rest of the request was not read: close, do not keep alive */
    unsigned status;
    const char *ctype;
    unsigned char *body; /* LWS_PRE headroom, then len bytes; owned */
    size_t len;
};

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len);

#endif

/* The HTTP side of the hub's port: GET /healthz, GET /metrics, 404 for anything else. It is
 * the vhost's first protocol, so it also refuses WebSocket upgrades that did not ask for
 * showfloor.v1 (lws binds those to the first protocol). Hub thread only. */
#ifndef SHOWFLOOR_HTTP_H
#define SHOWFLOOR_HTTP_H

#include <stddef.h>

#include <libwebsockets.h>

/* lws per-session data of an HTTP connection. */
struct http_session {
    unsigned char *body; /* LWS_PRE headroom, then len bytes; owned */
    size_t len;
};

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len);

#endif

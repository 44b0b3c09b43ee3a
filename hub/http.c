/* HTTP on the hub's port: health and metrics for monitoring; headers go out from the HTTP
 * callback and the body from one HTTP_WRITEABLE, as lws's dynamic-content examples do. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "server.h"

/* Takes `text` (malloc'd) and keeps it with LWS_PRE headroom as the response body. */
static int http_set_body(struct http_session *hs, char *text)
{
    if (!text)
        return -1;
    size_t n = strlen(text);
    hs->body = malloc(LWS_PRE + n + 1);
    if (!hs->body) {
        free(text);
        return -1;
    }
    memcpy(hs->body + LWS_PRE, text, n + 1);
    hs->len = n;
    free(text);
    return 0;
}

static char *http_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static char *http_healthz(struct server *srv, unsigned int *status)
{
    char buf[256];
    if (core_health(srv->core) == 0) {
        *status = HTTP_STATUS_OK;
        snprintf(buf, sizeof buf, "{\"status\":\"ok\",\"seq\":%lld,\"version\":\"%s\"}\n",
                 (long long)core_last_seq(srv->core), SHOWFLOOR_VERSION);
    } else {
        *status = HTTP_STATUS_SERVICE_UNAVAILABLE;
        snprintf(buf, sizeof buf, "{\"status\":\"unavailable\",\"version\":\"%s\"}\n",
                 SHOWFLOOR_VERSION);
    }
    return http_strdup(buf);
}

static int http_request(struct lws *wsi, struct http_session *hs, const char *path)
{
    struct server *srv = server_from_wsi(wsi);
    unsigned int status = HTTP_STATUS_NOT_FOUND;
    const char *ctype = "text/plain; charset=utf-8";
    char *text;
    bool get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;

    if (get && strcmp(path, "/healthz") == 0) {
        text = http_healthz(srv, &status);
        ctype = "application/json";
    } else if (get && strcmp(path, "/metrics") == 0) {
        text = metrics_render(&srv->metrics, SHOWFLOOR_VERSION);
        status = HTTP_STATUS_OK;
        ctype = "text/plain; version=0.0.4; charset=utf-8";
    } else {
        text = http_strdup("not found\n");
    }
    if (http_set_body(hs, text) != 0)
        return -1;
    log_debug("hub", "http %s %u", path, status);

    unsigned char hdr[LWS_PRE + 512];
    unsigned char *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
    if (lws_add_http_common_headers(wsi, status, ctype, (lws_filepos_t)hs->len, &p, end) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    lws_callback_on_writable(wsi);
    return 0;
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    struct http_session *hs = user;
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* An upgrade that landed here did not offer showfloor.v1. */
        log_info("hub", "refused a WebSocket without the %s subprotocol", PROTO_SUBPROTOCOL);
        return -1;
    case LWS_CALLBACK_HTTP:
        return http_request(wsi, hs, in ? (const char *)in : "");
    case LWS_CALLBACK_HTTP_WRITEABLE: {
        if (!hs || !hs->body)
            return 0; /* spurious */
        int n = lws_write(wsi, hs->body + LWS_PRE, hs->len, LWS_WRITE_HTTP_FINAL);
        free(hs->body);
        hs->body = NULL;
        if (n < 0 || (size_t)n < hs->len)
            return -1;
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    }
    case LWS_CALLBACK_CLOSED_HTTP:
        if (hs) {
            free(hs->body);
            hs->body = NULL;
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

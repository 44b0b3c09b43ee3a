/* HTTP on the hub's port: health and metrics for monitoring and the JSON API. A request's
 * headers are copied when it arrives, its body is gathered (capped) from HTTP_BODY, and the
 * response is written only from HTTP_WRITEABLE, one lws_write per callback: the headers
 * first, the body at the next one, as the WebSocket side writes its frames. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "server.h"
#include "server_guard.h"
#include "server_webhook.h"

/* Most of an oversized body read and dropped before answering 413; a larger one is cut off
 * (the reset would lose the answer, so a sane client is never sent there). */
#define HTTP_DISCARD_MAX    (16 * HTTP_API_MAX_BODY)
#define HTTP_SESSION_HEADER "x-showfloor-session:"
#define HTTP_CTYPE_JSON     "application/json"

static char *http_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Forgets the previous transaction of a keep-alive connection. */
static void http_reset(struct http_session *hs)
{
    free(hs->req);
    free(hs->body);
    memset(hs, 0, sizeof *hs);
}

/* Queues the response (takes `text`, malloc'd) and asks for HTTP_WRITEABLE. */
static int http_respond(struct lws *wsi, struct http_session *hs, unsigned status,
                        const char *ctype, char *text)
{
    struct server *srv = server_from_wsi(wsi);
    if (!text)
        return -1;
    size_t n = strlen(text);
    hs->body = malloc(LWS_PRE + n + 1);
    if (!hs->body) {
        free(text);
        return -1;
    }
    memcpy(hs->body + LWS_PRE, text, n + 1);
    free(text);
    hs->len = n;
    hs->status = status;
    hs->ctype = ctype;
    hs->responding = true;
    hs->headers_sent = false;
    http_stats_count(&srv->http_stats, hs->rq.route, status);
    log_debug("hub", "http %s %u", hs->path, status);
    lws_callback_on_writable(wsi);
    return 0;
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

static int http_monitoring(struct lws *wsi, struct http_session *hs)
{
    struct server *srv = server_from_wsi(wsi);
    unsigned int status = HTTP_STATUS_NOT_FOUND;
    const char *ctype = "text/plain; charset=utf-8";
    char *text;
    bool get = hs->rq.method == HTTP_API_GET;
    if (get && hs->rq.route == HTTP_ROUTE_HEALTHZ) {
        text = http_healthz(srv, &status);
        ctype = HTTP_CTYPE_JSON;
    } else if (get && hs->rq.route == HTTP_ROUTE_METRICS) {
        srv->metrics.addresses_blocked_now =
            (int64_t)server_guard_blocked_count(srv->guard, clock_mono_ms());
        int64_t by_thread = 0, in_loop = 0;
        core_checkpoint_counts(srv->core, &by_thread, &in_loop);
        srv->metrics.checkpoints[0] = (uint64_t)by_thread;
        srv->metrics.checkpoints[1] = (uint64_t)in_loop;
        core_durable_counts(srv->core, &by_thread, &in_loop);
        srv->metrics.syncs[0] = (uint64_t)by_thread;
        srv->metrics.syncs[1] = (uint64_t)in_loop;
        text = server_webhook_metrics(
            srv->webhook,
            http_stats_render(&srv->http_stats, metrics_render(&srv->metrics, SHOWFLOOR_VERSION)));
        status = HTTP_STATUS_OK;
        ctype = "text/plain; version=0.0.4; charset=utf-8";
    } else {
        text = http_strdup("not found\n");
    }
    return http_respond(wsi, hs, status, ctype, text);
}

/* Copies what the API needs from the headers and the query while lws still holds them. */
static void http_copy_headers(struct lws *wsi, struct http_session *hs)
{
    struct http_api_request *rq = &hs->rq;
    /* The address bad tokens and PINs count against (server_guard), as on the WebSocket. */
    if (server_guard_key_fd(lws_get_socket_fd(wsi), rq->peer) != 0)
        rq->peer[0] = '\0';
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) > 0 &&
        lws_hdr_copy(wsi, rq->auth, sizeof rq->auth, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
        snprintf(rq->auth, sizeof rq->auth, "-"); /* too long to be a token: auth_failed */
    int n = lws_hdr_custom_length(wsi, HTTP_SESSION_HEADER, (int)strlen(HTTP_SESSION_HEADER));
    if (n > 0) {
        if (n > HTTP_API_SESSION_TOKEN_LEN ||
            lws_hdr_custom_copy(wsi, rq->session, sizeof rq->session, HTTP_SESSION_HEADER,
                                (int)strlen(HTTP_SESSION_HEADER)) < 0) {
            rq->session[0] = '\0';
            rq->session_bad = true;
        }
    }
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_USER_AGENT) > 0 &&
        lws_hdr_copy(wsi, rq->client, sizeof rq->client, WSI_TOKEN_HTTP_USER_AGENT) < 0)
        rq->client[0] = '\0';
    for (int i = 0; lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i) > 0; i++) {
        if (rq->nargs == HTTP_API_MAX_ARGS ||
            lws_hdr_copy_fragment(wsi, rq->args[rq->nargs], HTTP_API_MAX_ARG + 1,
                                  WSI_TOKEN_HTTP_URI_ARGS, i) < 0) {
            rq->args_too_many = true;
            break;
        }
        rq->nargs++;
    }
}

static int http_api_respond(struct lws *wsi, struct http_session *hs)
{
    struct http_api_response rs;
    hs->rq.body = hs->req ? (const char *)hs->req : "";
    hs->rq.body_len = hs->req_len;
    http_api_handle(server_from_wsi(wsi), &hs->rq, &rs);
    free(hs->req); /* rq.body pointed here: done with it */
    hs->req = NULL;
    hs->rq.body = NULL;
    hs->req_len = 0;
    return http_respond(wsi, hs, rs.status, HTTP_CTYPE_JSON, rs.body);
}

static int http_request(struct lws *wsi, struct http_session *hs, const char *path)
{
    char *uri;
    int uri_len;
    http_reset(hs);
    snprintf(hs->path, sizeof hs->path, "%s", path);
    hs->rq.path = hs->path;
    hs->rq.route = http_stats_route(hs->path);
    switch (lws_http_get_uri_and_method(wsi, &uri, &uri_len)) {
    case LWSHUMETH_GET:
        hs->rq.method = HTTP_API_GET;
        break;
    case LWSHUMETH_POST:
        hs->rq.method = HTTP_API_POST;
        break;
    default:
        hs->rq.method = HTTP_API_OTHER;
        break;
    }
    /* Every path under /api/ answers JSON, a 404 included. */
    if ((hs->rq.route < HTTP_ROUTE_LOGIN || hs->rq.route > HTTP_ROUTE_DEVICES) &&
        strncmp(hs->path, "/api/", 5) != 0)
        return http_monitoring(wsi, hs);

    http_copy_headers(wsi, hs);
    char clen[32] = "";
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
        lws_hdr_copy(wsi, clen, sizeof clen, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    long long declared = clen[0] ? atoll(clen) : 0;
    if (declared > HTTP_DISCARD_MAX) {
        /* Not worth reading: answer now and close. */
        hs->rq.body_too_large = true;
        hs->close_after = true;
        return http_api_respond(wsi, hs);
    }
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
        /* lws 4.1 does not de-chunk request bodies on the server: the body is never read. */
        hs->rq.body_chunked = true;
        hs->close_after = true;
        return http_api_respond(wsi, hs);
    }
    if (hs->rq.method == HTTP_API_POST && declared > 0) {
        hs->reading_body = true; /* answered at HTTP_BODY_COMPLETION */
        return 0;
    }
    return http_api_respond(wsi, hs);
}

/* Gathers the body up to the API's limit; beyond it the rest is read and dropped, and the
 * request answered 413 once complete. */
static int http_body(struct http_session *hs, const void *in, size_t len)
{
    if (!hs->reading_body)
        return 0;
    hs->req_seen += len;
    if (hs->req_seen > HTTP_DISCARD_MAX)
        return -1;
    if (hs->rq.body_too_large)
        return 0;
    if (hs->req_len + len > HTTP_API_MAX_BODY) {
        hs->rq.body_too_large = true;
        free(hs->req);
        hs->req = NULL;
        hs->req_len = 0;
        return 0;
    }
    if (!hs->req) {
        hs->req = malloc(HTTP_API_MAX_BODY + 1);
        if (!hs->req)
            return -1;
    }
    memcpy(hs->req + hs->req_len, in, len);
    hs->req_len += len;
    return 0;
}

static int http_writeable(struct lws *wsi, struct http_session *hs)
{
    if (!hs->responding)
        return 0; /* spurious */
    if (!hs->headers_sent) {
        unsigned char hdr[LWS_PRE + 512];
        unsigned char *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
        static const char no_store[] = "no-store";
        static const char bearer[] = "Bearer realm=\"showfloor\"";
        if (lws_add_http_common_headers(wsi, hs->status, hs->ctype, (lws_filepos_t)hs->len, &p,
                                        end) ||
            (strcmp(hs->ctype, HTTP_CTYPE_JSON) == 0 &&
             lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                          (const unsigned char *)no_store, (int)strlen(no_store),
                                          &p, end)) ||
            (hs->status == HTTP_STATUS_UNAUTHORIZED &&
             lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE,
                                          (const unsigned char *)bearer, (int)strlen(bearer), &p,
                                          end)) ||
            lws_finalize_write_http_header(wsi, start, &p, end))
            return -1;
        hs->headers_sent = true;
        lws_callback_on_writable(wsi);
        return 0;
    }
    int n = lws_write(wsi, hs->body + LWS_PRE, hs->len, LWS_WRITE_HTTP_FINAL);
    bool close_after = hs->close_after;
    http_reset(hs);
    if (n < 0 || close_after)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
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
        if (!hs)
            return -1;
        return http_request(wsi, hs, in ? (const char *)in : "");
    case LWS_CALLBACK_HTTP_BODY:
        return hs ? http_body(hs, in, len) : 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (!hs || !hs->reading_body)
            return 0;
        hs->reading_body = false;
        return http_api_respond(wsi, hs);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return hs ? http_writeable(wsi, hs) : 0;
    case LWS_CALLBACK_CLOSED_HTTP:
        if (hs)
            http_reset(hs);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

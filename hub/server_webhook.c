/* The staff-notification webhook: a 250 ms scan of the store's webhook outbox starts, for
 * each site with pending entries and nothing in flight, one POST of the site's oldest entry to
 * its webhook_url. The POST is an lws client connection on a client-only vhost of the hub's
 * own context, so it never blocks the loop; host names are resolved with glibc's
 * getaddrinfo_a (lws 4.1 as Debian builds it resolves synchronously). 2xx = delivered;
 * anything else is retried after 1 s, 2 s, 4 s ... 5 min, at most 20 tries, then the entry
 * is marked failed. The webhook keeps its own store handle: the network layer does not see
 * the core's, and the outbox is plain store state. */
#define _GNU_SOURCE /* getaddrinfo_a */
#include "server_webhook.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "privacy.h"
#include "server.h"
#include "store.h"

#define WEBHOOK_PROTOCOL   "showfloor-webhook"
#define WEBHOOK_URL_MAX    1024
#define WEBHOOK_HOST_MAX   255
#define WEBHOOK_ERROR_MAX  160
#define WEBHOOK_SITES_MAX  256 /* sites looked at per scan; more wait for the next one */
#define WEBHOOK_DNS_WAIT   2   /* seconds shutdown waits for a host-name lookup to end */
#define WEBHOOK_DROP_BATCH 100 /* entries of a site without a URL dropped per scan */
/* Text sent with every delivery, so a receiver can drop a repeat (a response lost after the
 * receiver acted on it makes the hub try again). */
#define WEBHOOK_ID_HEADER "x-showfloor-delivery:"

enum webhook_phase { WEBHOOK_IDLE, WEBHOOK_RESOLVING, WEBHOOK_SENDING };

/* A host-name lookup handed to glibc; glibc's thread owns it until gai_error() says done. */
struct webhook_dns {
    struct gaicb cb;
    struct addrinfo hints;
    char host[WEBHOOK_HOST_MAX + 1];
};

/* One site's delivery lane: at most one try in flight. Heap-allocated and never moved, as
 * lws callbacks find it through the connection's opaque user data. */
struct webhook_site {
    struct server_webhook *wh;
    int64_t site_id;
    char code[PROTO_MAX_SHORT + 1];
    enum webhook_phase phase;
    struct store_webhook entry; /* the entry being tried (its payload is the body) */
    /* the try under way */
    bool tls;
    int port;
    char host[WEBHOOK_HOST_MAX + 1]; /* as in the URL: Host header, SNI, certificate name */
    char host_hdr[WEBHOOK_HOST_MAX + 8];
    char addr[INET6_ADDRSTRLEN]; /* what is connected to */
    char path[WEBHOOK_URL_MAX + 1];
    struct webhook_dns *dns;
    struct lws *wsi;
    unsigned char *body; /* LWS_PRE headroom, then body_len bytes of JSON */
    size_t body_len;
    bool body_sent, killing;
    int status; /* HTTP status of the response, 0 before one arrived */
    int64_t deadline;
};

struct server_webhook {
    struct server *srv;
    struct store *store;
    struct lws_vhost *vhost;
    lws_sorted_usec_list_t sul;
    struct webhook_site **sites;
    size_t n_sites, cap_sites;
    uint64_t results[SERVER_WEBHOOK__RESULTS];
    bool stopping, in_scan;
};

static const char *const webhook_result_names[SERVER_WEBHOOK__RESULTS] = {"delivered", "retry",
                                                                          "failed"};

int64_t server_webhook_backoff_ms(int tries)
{
    int64_t d = SERVER_WEBHOOK_MIN_DELAY_MS;
    for (int i = 1; i < tries && d < SERVER_WEBHOOK_MAX_DELAY_MS; i++)
        d *= 2;
    return d < SERVER_WEBHOOK_MAX_DELAY_MS ? d : SERVER_WEBHOOK_MAX_DELAY_MS;
}

static void webhook_scan(lws_sorted_usec_list_t *sul);

/* Runs the scan at once (after a try ended, so the next entry need not wait a period). */
static void webhook_kick(struct server_webhook *wh)
{
    if (!wh->stopping && !wh->in_scan)
        lws_sul_schedule(wh->srv->ctx, 0, &wh->sul, webhook_scan, 1);
}

/* ---- the end of a try ---- */

/* Records the outcome of the try in the store and frees what it held. A store failure is
 * logged and leaves the entry as it was: it is tried again (at least once, never lost). */
static void webhook_finish(struct webhook_site *ws, bool ok, const char *why)
{
    struct server_webhook *wh = ws->wh;
    if (ws->wsi) {
        lws_set_opaque_user_data(ws->wsi, NULL); /* its later callbacks are not ours */
        ws->wsi = NULL;
    }
    free(ws->body);
    ws->body = NULL;
    ws->phase = WEBHOOK_IDLE;
    const struct store_webhook *e = &ws->entry;
    int64_t now = clock_now_ms(&wh->srv->clock);
    int tries = e->tries + 1;
    struct proto_error err;
    if (ok) {
        if (store_webhooks_sent(wh->store, e->id, now, &err) != 0)
            log_error("webhook", "site=%s seq=%lld delivered but not recorded: %s", ws->code,
                      (long long)e->seq, err.message);
        wh->results[SERVER_WEBHOOK_DELIVERED]++;
        log_info("webhook", "site=%s seq=%lld delivered status=%d tries=%d", ws->code,
                 (long long)e->seq, ws->status, tries);
    } else if (tries >= SERVER_WEBHOOK_MAX_TRIES) {
        if (store_webhooks_drop(wh->store, e->id, why, now, &err) != 0)
            log_error("webhook", "site=%s seq=%lld could not be marked failed: %s", ws->code,
                      (long long)e->seq, err.message);
        wh->results[SERVER_WEBHOOK_FAILED]++;
        log_error("webhook", "site=%s seq=%lld given up after %d tries: %s", ws->code,
                  (long long)e->seq, tries, why);
    } else {
        int64_t next = now + server_webhook_backoff_ms(tries);
        if (store_webhooks_retry(wh->store, e->id, next, why, &err) != 0)
            log_error("webhook", "site=%s seq=%lld retry not recorded: %s", ws->code,
                      (long long)e->seq, err.message);
        wh->results[SERVER_WEBHOOK_RETRY]++;
        log_warn("webhook", "site=%s seq=%lld try %d failed (%s); next in %lld ms", ws->code,
                 (long long)e->seq, tries, why, (long long)(next - now));
    }
    webhook_kick(wh);
}

/* The response (or its absence) decides. */
static void webhook_finish_response(struct webhook_site *ws, const char *when_none)
{
    char why[WEBHOOK_ERROR_MAX];
    if (ws->status >= 200 && ws->status < 300) {
        webhook_finish(ws, true, NULL);
        return;
    }
    if (ws->killing)
        snprintf(why, sizeof why, "no answer within %d s", SERVER_WEBHOOK_TIMEOUT_MS / 1000);
    else if (ws->status)
        snprintf(why, sizeof why, "HTTP %d", ws->status);
    else
        snprintf(why, sizeof why, "%s", when_none);
    webhook_finish(ws, false, why);
}

/* ---- the lws client connection ---- */

static int webhook_headers(struct lws *wsi, struct webhook_site *ws, unsigned char **p,
                           unsigned char *end)
{
    char len[24], id[PROTO_MAX_SHORT + 24];
    static const char ctype[] = "application/json; charset=utf-8";
    static const char agent[] = "showfloor-hub/" SHOWFLOOR_VERSION;
    int nl = snprintf(len, sizeof len, "%zu", ws->body_len);
    int ni = snprintf(id, sizeof id, "%s-%lld", ws->code, (long long)ws->entry.seq);
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, (const unsigned char *)ctype,
                                     (int)strlen(ctype), p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, (const unsigned char *)len,
                                     nl, p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT, (const unsigned char *)agent,
                                     (int)strlen(agent), p, end) ||
        lws_add_http_header_by_name(wsi, (const unsigned char *)WEBHOOK_ID_HEADER,
                                    (const unsigned char *)id, ni, p, end))
        return -1;
    /* the body follows the headers, from CLIENT_HTTP_WRITEABLE */
    lws_client_http_body_pending(wsi, 1);
    lws_callback_on_writable(wsi);
    return 0;
}

static int webhook_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                            size_t len)
{
    struct webhook_site *ws = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (ws)
            webhook_finish_response(ws, in ? (const char *)in : "connection failed");
        return 0;
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        if (!ws)
            return -1;
        return webhook_headers(wsi, ws, (unsigned char **)in, *(unsigned char **)in + len);
    case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
        if (!ws || ws->body_sent) /* spurious: nothing more to write */
            return 0;
        ws->body_sent = true;
        lws_client_http_body_pending(wsi, 0);
        if (lws_write(wsi, ws->body + LWS_PRE, ws->body_len, LWS_WRITE_HTTP_FINAL) !=
            (int)ws->body_len)
            return -1;
        return 0;
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        if (ws)
            ws->status = (int)lws_http_client_http_response(wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
        return 0; /* the response body is read and dropped */
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
        char buf[LWS_PRE + 1024], *p = buf + LWS_PRE;
        int n = (int)sizeof buf - LWS_PRE;
        return lws_http_client_read(wsi, &p, &n) < 0 ? -1 : 0;
    }
    case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
        if (ws)
            webhook_finish_response(ws, "empty response");
        return -1; /* one request per connection: close it */
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
    case LWS_CALLBACK_WSI_DESTROY:
        if (ws)
            webhook_finish_response(ws, "connection closed before a response");
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols webhook_protocols[] = {
    {WEBHOOK_PROTOCOL, webhook_callback, 0, 0, 0, NULL, 0}, {NULL, NULL, 0, 0, 0, NULL, 0}};

static void webhook_connect(struct webhook_site *ws)
{
    struct server_webhook *wh = ws->wh;
    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = wh->srv->ctx;
    i.vhost = wh->vhost;
    i.address = ws->addr;
    i.port = ws->port;
    i.path = ws->path;
    i.host = ws->host_hdr; /* lws strips the port for SNI and the certificate check */
    i.method = "POST";
    i.protocol = WEBHOOK_PROTOCOL;
    i.alpn = "http/1.1";
    i.opaque_user_data = ws;
    /* A receiver that redirects is misconfigured: lws would turn the POST into a GET. */
    i.ssl_connection = LCCSCF_HTTP_NO_FOLLOW_REDIRECT | (ws->tls ? LCCSCF_USE_SSL : 0);
    ws->phase = WEBHOOK_SENDING;
    struct lws *wsi = lws_client_connect_via_info(&i);
    if (ws->phase != WEBHOOK_SENDING)
        return; /* the attempt already failed inside the call (CONNECTION_ERROR) */
    if (!wsi) {
        webhook_finish(ws, false, "could not start the connection");
        return;
    }
    ws->wsi = wsi;
}

/* ---- host names ---- */

static void webhook_dns_free(struct webhook_dns *d)
{
    if (d->cb.ar_result)
        freeaddrinfo(d->cb.ar_result);
    free(d);
}

static int webhook_dns_start(struct webhook_site *ws)
{
    struct webhook_dns *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->host, sizeof d->host, "%s", ws->host);
    d->hints.ai_family = AF_UNSPEC;
    d->hints.ai_socktype = SOCK_STREAM;
    d->cb.ar_name = d->host;
    d->cb.ar_request = &d->hints;
    struct gaicb *list[1] = {&d->cb};
    if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0) {
        free(d);
        return -1;
    }
    ws->dns = d;
    ws->phase = WEBHOOK_RESOLVING;
    return 0;
}

/* Looks whether the lookup ended; connects to its first IPv4 address (else the first). */
static void webhook_dns_poll(struct webhook_site *ws, int64_t mono)
{
    struct webhook_dns *d = ws->dns;
    int rc = gai_error(&d->cb);
    if (rc == EAI_INPROGRESS) {
        if (mono > ws->deadline && gai_cancel(&d->cb) == EAI_CANCELED) {
            ws->dns = NULL;
            free(d);
            webhook_finish(ws, false, "host name lookup timed out");
        }
        return; /* glibc still owns it: wait for the end even past the deadline */
    }
    ws->dns = NULL;
    char why[WEBHOOK_ERROR_MAX];
    if (rc != 0) {
        snprintf(why, sizeof why, "cannot resolve %.64s: %s", ws->host, gai_strerror(rc));
        webhook_dns_free(d);
        webhook_finish(ws, false, why);
        return;
    }
    const struct addrinfo *pick = d->cb.ar_result;
    for (const struct addrinfo *a = d->cb.ar_result; a; a = a->ai_next)
        if (a->ai_family == AF_INET) {
            pick = a;
            break;
        }
    const void *raw = NULL;
    if (pick && pick->ai_family == AF_INET)
        raw = &((const struct sockaddr_in *)(const void *)pick->ai_addr)->sin_addr;
    else if (pick && pick->ai_family == AF_INET6)
        raw = &((const struct sockaddr_in6 *)(const void *)pick->ai_addr)->sin6_addr;
    if (!raw || !inet_ntop(pick->ai_family, raw, ws->addr, sizeof ws->addr)) {
        snprintf(why, sizeof why, "no usable address for %.64s", ws->host);
        webhook_dns_free(d);
        webhook_finish(ws, false, why);
        return;
    }
    webhook_dns_free(d);
    if (mono > ws->deadline) {
        webhook_finish(ws, false, "host name lookup timed out");
        return;
    }
    webhook_connect(ws);
}

/* ---- starting a try ---- */

/* http[s]://host[:port][/path][?query] into the site's try fields. 0, or -1 with why. */
static int webhook_parse_url(struct webhook_site *ws, const char *url, char *why, size_t whysz)
{
    const char *p = url;
    if (strncasecmp(p, "http://", 7) == 0) {
        ws->tls = false;
        ws->port = 80;
        p += 7;
    } else if (strncasecmp(p, "https://", 8) == 0) {
        ws->tls = true;
        ws->port = 443;
        p += 8;
    } else {
        snprintf(why, whysz, "webhook_url must start with http:// or https://");
        return -1;
    }
    for (const char *q = url; *q; q++)
        if ((unsigned char)*q <= ' ' || *q == 0x7f) {
            snprintf(why, whysz, "webhook_url contains a space or control character");
            return -1;
        }
    size_t hl;
    const char *after;
    if (*p == '[') { /* [IPv6] */
        const char *close = strchr(p, ']');
        if (!close) {
            snprintf(why, whysz, "webhook_url has an unclosed [");
            return -1;
        }
        p++;
        hl = (size_t)(close - p);
        after = close + 1;
    } else {
        hl = strcspn(p, ":/?#");
        after = p + hl;
    }
    if (hl == 0 || hl > WEBHOOK_HOST_MAX || memchr(p, '@', hl)) {
        snprintf(why, whysz, "webhook_url has no usable host");
        return -1;
    }
    memcpy(ws->host, p, hl);
    ws->host[hl] = '\0';
    if (*after == ':') {
        char *end;
        long port = strtol(after + 1, &end, 10);
        if (end == after + 1 || port < 1 || port > 65535 || (*end && !strchr("/?#", *end))) {
            snprintf(why, whysz, "webhook_url has a bad port");
            return -1;
        }
        ws->port = (int)port;
        after = end;
    }
    size_t pl = strcspn(after, "#"); /* a fragment is never sent */
    if (snprintf(ws->path, sizeof ws->path, "%s%.*s", *after == '/' ? "" : "/", (int)pl, after) >=
        (int)sizeof ws->path) {
        snprintf(why, whysz, "webhook_url is too long");
        return -1;
    }
    bool v6 = strchr(ws->host, ':') != NULL;
    if ((ws->port == (ws->tls ? 443 : 80)))
        snprintf(ws->host_hdr, sizeof ws->host_hdr, v6 ? "[%s]" : "%s", ws->host);
    else
        snprintf(ws->host_hdr, sizeof ws->host_hdr, v6 ? "[%s]:%d" : "%s:%d", ws->host, ws->port);
    return 0;
}

/* Reads the site's oldest pending entry into ws->entry and its webhook_url into url.
 * 1 when a try is due, 0 when not (nothing pending, waiting for a backoff, a store error
 * logged). Without a URL nobody can be told: the entries queued meanwhile are dropped, up
 * to WEBHOOK_DROP_BATCH per call, so a site that has no webhook never piles up a backlog. */
static int webhook_due(struct webhook_site *ws, int64_t now, char *url, size_t urlsz)
{
    struct server_webhook *wh = ws->wh;
    struct proto_error err;
    if (store_settings_text_get(wh->store, ws->site_id, "webhook_url", url, urlsz, NULL, &err) !=
        0) {
        log_error("webhook", "site=%s: cannot read webhook_url: %s", ws->code, err.message);
        return 0;
    }
    for (int dropped = 0;; dropped++) {
        if (store_webhooks_head(wh->store, ws->site_id, &ws->entry, &err) != 0) {
            if (err.code != PROTO_E_NOT_FOUND)
                log_error("webhook", "site=%s: cannot read the outbox: %s", ws->code, err.message);
            return 0;
        }
        if (url[0])
            return ws->entry.next_try_at <= now;
        if (dropped == WEBHOOK_DROP_BATCH)
            return 0;
        if (store_webhooks_drop(wh->store, ws->entry.id, "no webhook_url for the site", now,
                                &err) != 0) {
            log_error("webhook", "site=%s: cannot drop seq=%lld: %s", ws->code,
                      (long long)ws->entry.seq, err.message);
            return 0;
        }
        log_debug("webhook", "site=%s seq=%lld dropped: the site has no webhook_url", ws->code,
                  (long long)ws->entry.seq);
    }
}

/* Starts a try of the site's oldest pending entry when one is due. */
static void webhook_begin(struct webhook_site *ws, int64_t now, int64_t mono)
{
    char url[WEBHOOK_URL_MAX + 1], why[WEBHOOK_ERROR_MAX];
    if (!webhook_due(ws, now, url, sizeof url))
        return;
    ws->status = 0;
    ws->body_sent = ws->killing = false;
    ws->deadline = mono + SERVER_WEBHOOK_TIMEOUT_MS;
    ws->phase = WEBHOOK_SENDING; /* webhook_finish needs a try to end */
    if (webhook_parse_url(ws, url, why, sizeof why) != 0) {
        webhook_finish(ws, false, why);
        return;
    }
    /* The payload was written with the staff.notify event, in its transaction: sent as is. */
    size_t n = strlen(ws->entry.payload);
    ws->body = malloc(LWS_PRE + n);
    if (!ws->body) {
        webhook_finish(ws, false, "out of memory");
        return;
    }
    memcpy(ws->body + LWS_PRE, ws->entry.payload, n);
    ws->body_len = n;
    unsigned char probe[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, ws->host, probe) == 1 || inet_pton(AF_INET6, ws->host, probe) == 1) {
        snprintf(ws->addr, sizeof ws->addr, "%.45s", ws->host); /* numeric: it fits */
        webhook_connect(ws);
    } else if (webhook_dns_start(ws) != 0) {
        webhook_finish(ws, false, "cannot start the host name lookup");
    }
}

/* ---- the scan ---- */

static struct webhook_site *webhook_site(struct server_webhook *wh, int64_t site_id)
{
    for (size_t i = 0; i < wh->n_sites; i++)
        if (wh->sites[i]->site_id == site_id)
            return wh->sites[i];
    struct store_site site;
    struct proto_error err;
    if (store_sites_get(wh->store, site_id, &site, &err) != 0) {
        log_error("webhook", "site_id=%lld: %s", (long long)site_id, err.message);
        return NULL;
    }
    if (wh->n_sites == wh->cap_sites) {
        size_t cap = wh->cap_sites ? wh->cap_sites * 2 : 8;
        struct webhook_site **s = realloc(wh->sites, cap * sizeof *s);
        if (!s)
            return NULL;
        wh->sites = s;
        wh->cap_sites = cap;
    }
    struct webhook_site *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->wh = wh;
    ws->site_id = site_id;
    snprintf(ws->code, sizeof ws->code, "%s", site.code);
    wh->sites[wh->n_sites++] = ws;
    return ws;
}

struct webhook_ids {
    int64_t id[WEBHOOK_SITES_MAX];
    size_t n;
};

static int webhook_collect(void *ctx, int64_t site_id)
{
    struct webhook_ids *ids = ctx;
    if (ids->n < WEBHOOK_SITES_MAX)
        ids->id[ids->n++] = site_id;
    return 0;
}

static void webhook_scan(lws_sorted_usec_list_t *sul)
{
    struct server_webhook *wh = lws_container_of(sul, struct server_webhook, sul);
    int64_t now = clock_now_ms(&wh->srv->clock), mono = clock_mono_ms();
    wh->in_scan = true;
    for (size_t i = 0; i < wh->n_sites; i++) {
        struct webhook_site *ws = wh->sites[i];
        if (ws->phase == WEBHOOK_RESOLVING)
            webhook_dns_poll(ws, mono);
        else if (ws->phase == WEBHOOK_SENDING && ws->wsi && !ws->killing && mono > ws->deadline) {
            ws->killing = true; /* its closing callback records the failure */
            lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        }
    }
    /* Collected first: the tries write to the store, not while a listing is open. The
     * outbox's entries are the core's commits, which the WAL sync thread may not have
     * reached (store.h "Deferred sync"): they are made durable before any is sent. */
    struct webhook_ids ids = {.n = 0};
    struct proto_error err;
    if (core_durable_flush(wh->srv->core, &err) != 0) /* final: server_run stops */
        log_error("webhook", "the outbox is not read: %s", err.message);
    else if (store_webhooks_sites(wh->store, webhook_collect, &ids, &err) != 0)
        log_error("webhook", "cannot list the outbox: %s", err.message);
    for (size_t i = 0; i < ids.n; i++) {
        struct webhook_site *ws = webhook_site(wh, ids.id[i]);
        if (ws && ws->phase == WEBHOOK_IDLE)
            webhook_begin(ws, now, mono);
    }
    wh->in_scan = false;
    lws_sul_schedule(wh->srv->ctx, 0, &wh->sul, webhook_scan, SERVER_WEBHOOK_SCAN_US);
}

/* ---- life cycle ---- */

int server_webhook_start(struct server *srv)
{
    struct server_webhook *wh = calloc(1, sizeof *wh);
    if (!wh) {
        log_error("webhook", "out of memory");
        return -1;
    }
    wh->srv = srv;
    struct proto_error err;
    struct privacy_opts po = {.key_file = srv->cfg->privacy_key_file,
                              .keystore = srv->cfg->privacy_keystore};
    if (store_open_with(&wh->store, srv->cfg->database, &po, &err) != 0) {
        log_error("webhook", "cannot open the database %s: %s", srv->cfg->database, err.message);
        free(wh);
        return -1;
    }
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.vhost_name = "webhook";
    info.port = CONTEXT_PORT_NO_LISTEN; /* client connections only */
    info.protocols = webhook_protocols;
    /* The system CA store verifies https receivers (lws loads the OS defaults unless
     * LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS). */
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    wh->vhost = lws_create_vhost(srv->ctx, &info);
    if (!wh->vhost) {
        log_error("webhook", "could not create the webhook client vhost");
        store_close(wh->store);
        free(wh);
        return -1;
    }
    srv->webhook = wh;
    lws_sul_schedule(srv->ctx, 0, &wh->sul, webhook_scan, SERVER_WEBHOOK_SCAN_US);
    return 0;
}

void server_webhook_stop(struct server_webhook *wh)
{
    if (!wh)
        return;
    wh->stopping = true;
    lws_sul_cancel(&wh->sul);
    for (size_t i = 0; i < wh->n_sites; i++) {
        struct webhook_site *ws = wh->sites[i];
        if (ws->wsi) {
            lws_set_opaque_user_data(ws->wsi, NULL);
            ws->wsi = NULL;
        }
    }
}

void server_webhook_free(struct server_webhook *wh)
{
    if (!wh)
        return;
    for (size_t i = 0; i < wh->n_sites; i++) {
        struct webhook_site *ws = wh->sites[i];
        if (ws->dns) {
            struct webhook_dns *d = ws->dns;
            if (gai_cancel(&d->cb) == EAI_NOTCANCELED) {
                const struct gaicb *list[1] = {&d->cb};
                struct timespec ts = {WEBHOOK_DNS_WAIT, 0};
                gai_suspend(list, 1, &ts);
            }
            if (gai_error(&d->cb) != EAI_INPROGRESS)
                webhook_dns_free(d);
            else /* glibc's thread still writes into it: leaving it is the safe choice */
                log_warn("webhook", "site=%s: a host name lookup outlived the hub", ws->code);
        }
        free(ws->body);
        free(ws);
    }
    free(wh->sites);
    store_close(wh->store);
    free(wh);
}

char *server_webhook_metrics(const struct server_webhook *wh, char *text)
{
    if (!text)
        return NULL;
    char add[512];
    int n = snprintf(add, sizeof add,
                     "# HELP showfloor_webhook_deliveries_total Webhook tries by outcome.\n"
                     "# TYPE showfloor_webhook_deliveries_total counter\n");
    for (int r = 0; r < SERVER_WEBHOOK__RESULTS && n > 0 && (size_t)n < sizeof add; r++)
        n += snprintf(add + n, sizeof add - (size_t)n,
                      "showfloor_webhook_deliveries_total{result=\"%s\"} %llu\n",
                      webhook_result_names[r], wh ? (unsigned long long)wh->results[r] : 0ULL);
    size_t tl = strlen(text), al = strlen(add);
    char *out = realloc(text, tl + al + 1);
    if (!out) {
        free(text);
        return NULL;
    }
    memcpy(out + tl, add, al + 1);
    return out;
}

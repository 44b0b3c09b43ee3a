/* The hub's lws context: one vhost, HTTP + showfloor.v1 on one port, the 200 ms poll for
 * commits made by other processes, lws's own log routed into ours, and orderly shutdown. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "server_guard.h"
#include "server_webhook.h"
#include "session.h"

#define SERVER_POLL_US (200 * LWS_US_PER_MS)
/* Largest piece of a WebSocket message lws hands to a callback; session.c reassembles. lws
 * keeps a buffer this size for each connection from its first frame on: at 16 KiB, 10,000
 * held connections took 118-194 MB depending only on the order in which they came (how much
 * of each buffer the allocator had touched); at 4 KiB 97-127 MB (BENCHMARKS.md "Round 6").
 * Requests are a few hundred bytes; longer messages (screenshot parts) come in more pieces. */
#define SERVER_RX_BUFFER 4096
/* Most bytes lws hands to one send(): what it was while it followed the receive buffer
 * (lws_protocols: 0 means the receive buffer's size); a burst (session_queue_gather) is up
 * to 64 KiB and goes out in pieces this size. */
#define SERVER_TX_PACKET 16384
#define SERVER_DRAIN_MS  1500
/* Most staff sessions the HTTP API keeps at once (the least recently used goes first). */
#define SERVER_API_SESSIONS_MAX 4096
#define SERVER_SLA_FIRST_US     (1 * LWS_US_PER_SEC)
/* The fleet timer: heartbeats are written at most this often, and a silent kiosk is seen
 * offline at most this long after its site's limit. */
#define SERVER_FLEET_US (5 * LWS_US_PER_SEC)

/* Refused connections are logged at most this often (a flood would fill the log). */
#define SERVER_REFUSED_LOG_MS 10000

static int server_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                                void *in, size_t len);

static const struct lws_protocols server_protocols[] = {
    {"http", server_http_callback, sizeof(struct http_session), 0, 0, NULL, 0},
    {PROTO_SUBPROTOCOL, session_callback, sizeof(struct session), SERVER_RX_BUFFER, 0, NULL,
     SERVER_TX_PACKET},
    {NULL, NULL, 0, 0, 0, NULL, 0}};

struct server *server_from_wsi(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* lws offers every accepted TCP connection to protocols[0] before it reads a byte, so a
 * socket over its address's cap is dropped before it can hold a header buffer or count as a
 * pending WebSocket. Everything else is http.c's. */
static int server_http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                                void *in, size_t len)
{
    if (reason != LWS_CALLBACK_FILTER_NETWORK_CONNECTION)
        return http_callback(wsi, reason, user, in, len);
    const struct lws_filter_network_conn_args *a = user;
    struct server *srv = server_from_wsi(wsi);
    if (!a || !srv->guard ||
        server_guard_accept(srv->guard, a->accept_fd, (const struct sockaddr *)&a->cli_addr,
                            a->clilen) == 0)
        return 0;
    srv->refused++;
    srv->metrics.connections_refused++;
    int64_t now = clock_mono_ms();
    if (now - srv->refused_logged_ms >= SERVER_REFUSED_LOG_MS) {
        char key[SERVER_GUARD_KEY_MAX];
        if (server_guard_key((const struct sockaddr *)&a->cli_addr, a->clilen, key, NULL) != 0)
            snprintf(key, sizeof key, "?");
        log_warn("hub",
                 "connection refused peer=%s: max_connections_per_address=%d reached "
                 "(refused since start: %llu)",
                 key, srv->cfg->max_connections_per_address, (unsigned long long)srv->refused);
        srv->refused_logged_ms = now;
    }
    return 1;
}

void server_auth_failed(struct server *srv, const char *key, enum metrics_auth kind)
{
    metrics_count_auth_failure(&srv->metrics, kind);
    if (!key[0] || !server_guard_auth_failed(srv->guard, key, clock_mono_ms()))
        return;
    srv->metrics.addresses_blocked++;
    log_warn("hub", "address blocked peer=%s for %lld s: %d bad tokens or PINs within %lld s", key,
             (long long)srv->cfg->auth_block_seconds, srv->cfg->auth_fail_max,
             (long long)srv->cfg->auth_fail_window_seconds);
}

bool server_auth_blocked(struct server *srv, const char *key, int64_t *retry_s)
{
    int64_t now = clock_mono_ms(), until = now;
    if (!key[0] || !server_guard_blocked(srv->guard, key, now, &until))
        return false;
    metrics_count_rate_limited(&srv->metrics, METRICS_LIMITED_ADDRESS_BLOCKED);
    if (retry_s)
        *retry_s = (until - now + 999) / 1000;
    return true;
}

static void server_lws_log(int level, const char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    enum log_level lvl = level & LLL_ERR ? LOG_ERROR : level & LLL_WARN ? LOG_WARN : LOG_DEBUG;
    log_msg(lvl, "lws", "%.*s", (int)n, line);
}

/* The WAL sync's wake-up (core_durable_start), from the sync thread or from an inline sync
 * on the loop: lws_cancel_service is the one lws call made for other threads; the loop then
 * gets LWS_CALLBACK_EVENT_WAIT_CANCELLED (session_release_held). */
static void server_synced(void *arg)
{
    struct server *srv = arg;
    lws_cancel_service(srv->ctx);
}

static void server_poll(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, poll_sul);
    if (core_poll_external(srv->core))
        server_fanout(srv);
    lws_sul_schedule(srv->ctx, 0, &srv->poll_sul, server_poll, SERVER_POLL_US);
}

/* The order time limits: the core appends order.sla_breached events for deadlines that
 * passed (once each), and they go out like any other commit. The same tick drops lapsed
 * HTTP API sessions and those of revoked devices. */
static void server_sla(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, sla_sul);
    int64_t now = clock_now_ms(&srv->clock);
    int n = core_tick(srv->core, now);
    if (n > 0)
        log_info("hub", "order time limits: %d newly breached", n);
    http_api_session_prune(srv->api_sessions, srv->core, now);
    server_fanout(srv);
    lws_sul_schedule(srv->ctx, 0, &srv->sla_sul, server_sla,
                     srv->cfg->sla_check_seconds * LWS_US_PER_SEC);
}

/* The kiosk fleet's health: the sessions' latest heartbeats go to the store in one
 * transaction, then devices silent past their site's limit go offline; the device.online and
 * device.offline events that appends go out like any other commit. */
static void server_fleet(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, fleet_sul);
    session_fleet_tick(srv, clock_now_ms(&srv->clock));
    server_fanout(srv);
    server_guard_prune(srv->guard, clock_mono_ms());
    lws_sul_schedule(srv->ctx, 0, &srv->fleet_sul, server_fleet, SERVER_FLEET_US);
}

/* Liveness: ping the silent, drop the unanswered (session_ping_sweep). */
static void server_ping(lws_sorted_usec_list_t *sul)
{
    struct server *srv = lws_container_of(sul, struct server, ping_sul);
    session_ping_sweep(srv, clock_mono_ms());
    lws_sul_schedule(srv->ctx, 0, &srv->ping_sul, server_ping, LWS_US_PER_SEC);
}

/* Written to a temporary name and renamed, so a reader never sees a partial number. */
static int server_write_port_file(const char *path, int port)
{
    char tmp[CONFIG_PATH_MAX + 8];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%d\n", port) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* Frees what server_init allocates besides the lws context and the webhook. */
static void server_release(struct server *srv)
{
    http_api_session_table_free(srv->api_sessions);
    srv->api_sessions = NULL;
    server_guard_free(srv->guard);
    srv->guard = NULL;
}

int server_init(struct server *srv, const struct config *cfg, struct core *core,
                const struct clock *clk)
{
    memset(srv, 0, sizeof *srv);
    srv->cfg = cfg;
    srv->core = core;
    srv->clock = *clk;
    metrics_init(&srv->metrics);
    srv->last_fanned = core_last_seq(core);
    srv->api_sessions =
        http_api_session_table_new(cfg->api_session_idle_seconds * 1000, SERVER_API_SESSIONS_MAX);
    struct server_guard_limits lim = {
        .max_per_address = cfg->max_connections_per_address,
        .guard_loopback = cfg->guard_loopback,
        .fail_max = cfg->auth_fail_max,
        .fail_window_ms = cfg->auth_fail_window_seconds * 1000,
        .block_ms = cfg->auth_block_seconds * 1000,
    };
    srv->guard = server_guard_new(&lim);
    if (!srv->api_sessions || !srv->guard) {
        log_error("hub", "out of memory");
        server_release(srv);
        return -1;
    }

    /* lws's notices are routine (listening, closing) and its info level traces every frame:
     * a debug log takes the notices only. */
    lws_set_log_level(LLL_ERR | LLL_WARN | (cfg->log_level == LOG_DEBUG ? LLL_NOTICE : 0),
                      server_lws_log);

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.user = srv;
    info.server_string = "showfloor-hub";
    /* Always: the webhook's https client connections need OpenSSL even without our own TLS. */
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    srv->ctx = lws_create_context(&info);
    if (!srv->ctx) {
        log_error("hub", "could not create the libwebsockets context");
        server_release(srv);
        return -1;
    }

    info.vhost_name = "showfloor";
    info.port = cfg->port;
    info.iface = cfg->listen;
    info.protocols = server_protocols;
    if (config_tls_enabled(cfg)) {
        info.ssl_cert_filepath = cfg->tls_cert;
        info.ssl_private_key_filepath = cfg->tls_key;
    }
    /* Slowloris: a connection must finish its headers (and the upgrade) within this, however
     * slowly it trickles them; the same bound covers lws's other round trips. */
    info.timeout_secs = (unsigned int)cfg->header_timeout_seconds;
    info.timeout_secs_ah_idle = (unsigned int)cfg->header_timeout_seconds;
    /* A dead peer is found by session_ping_sweep (server_ping), not by lws's idle policy:
     * that keeps one timer per connection in a sorted list, rescheduled on every pong
     * (O(connections) each). A policy with no ping and no hangup switches it off; without
     * one, lws's default (5 minutes) would still keep and move those timers. */
    static const uint32_t server_retry_ms[] = {1000};
    srv->idle_policy =
        (lws_retry_bo_t){.retry_ms_table = server_retry_ms, .retry_ms_table_count = 1};
    info.retry_and_idle_policy = &srv->idle_policy;
    srv->vhost = lws_create_vhost(srv->ctx, &info);
    if (!srv->vhost) {
        log_error("hub", "could not listen on %s port %d (address in use, or bad TLS files?)",
                  cfg->listen, cfg->port);
        lws_context_destroy(srv->ctx);
        srv->ctx = NULL;
        server_release(srv);
        return -1;
    }
    struct proto_error perr;
    if (core_durable_start(core, server_synced, srv, &perr) != 0) {
        log_error("hub", "cannot start the WAL sync thread: %s", perr.message);
        lws_context_destroy(srv->ctx);
        srv->ctx = NULL;
        server_release(srv);
        return -1;
    }
    if (server_webhook_start(srv) != 0) {
        core_durable_stop(core);
        lws_context_destroy(srv->ctx);
        srv->ctx = NULL;
        server_release(srv);
        return -1;
    }
    int port = lws_get_vhost_listen_port(srv->vhost);
    log_info("hub", "listening on %s://%s:%d database=%s version=%s",
             config_tls_enabled(cfg) ? "wss" : "ws", cfg->listen, port, cfg->database,
             SHOWFLOOR_VERSION);
    if (cfg->port_file[0] && server_write_port_file(cfg->port_file, port) != 0) {
        log_error("hub", "could not write the port file %s: %s", cfg->port_file, strerror(errno));
        server_webhook_stop(srv->webhook);
        core_durable_stop(core);
        lws_context_destroy(srv->ctx);
        srv->ctx = NULL;
        server_webhook_free(srv->webhook);
        srv->webhook = NULL;
        server_release(srv);
        return -1;
    }
    lws_sul_schedule(srv->ctx, 0, &srv->poll_sul, server_poll, SERVER_POLL_US);
    /* The first check comes soon after start, so a hub that was down catches up at once. */
    lws_sul_schedule(srv->ctx, 0, &srv->sla_sul, server_sla, SERVER_SLA_FIRST_US);
    lws_sul_schedule(srv->ctx, 0, &srv->fleet_sul, server_fleet, SERVER_FLEET_US);
    lws_sul_schedule(srv->ctx, 0, &srv->ping_sul, server_ping, LWS_US_PER_SEC);
    return 0;
}

int server_run(struct server *srv, volatile sig_atomic_t *stop)
{
    int rc = 0;
    /* lws_service() returns at least every poll interval (the poll sul) and on signals. */
    while (!*stop) {
        if (lws_service(srv->ctx, 0) < 0) {
            log_error("hub", "libwebsockets service failed");
            rc = -1;
            break;
        }
        if (core_durable_failed(srv->core)) {
            /* commits may be visible here that the disk does not hold: answering anything
             * now could acknowledge one; the kiosks resend after the restart */
            log_error("hub", "the database could not be synced to disk: stopping");
            return -1;
        }
    }
    log_info("hub", "shutting down");
    srv->shutting_down = 1;
    for (struct session *s = srv->sessions; s; s = s->next)
        session_close(s, PROTO_E_UNAVAILABLE, "the hub is shutting down",
                      LWS_CLOSE_STATUS_GOINGAWAY);
    int64_t deadline = clock_mono_ms() + SERVER_DRAIN_MS;
    while (srv->sessions && clock_mono_ms() < deadline)
        if (lws_service(srv->ctx, 0) < 0)
            break;
    return rc;
}

void server_destroy(struct server *srv)
{
    if (!srv->ctx)
        return;
    lws_sul_cancel(&srv->poll_sul);
    lws_sul_cancel(&srv->sla_sul);
    lws_sul_cancel(&srv->fleet_sul);
    lws_sul_cancel(&srv->ping_sul);
    server_webhook_stop(srv->webhook);
    core_durable_stop(srv->core); /* its wake-up needs the context */
    lws_context_destroy(srv->ctx);
    srv->ctx = NULL;
    server_webhook_free(srv->webhook);
    srv->webhook = NULL;
    server_release(srv);
}

/* The hub's network server: one lws context and vhost serving HTTP (/healthz, /metrics) and
 * the showfloor.v1 WebSocket protocol on one port, the list of sessions, and fan-out of
 * committed events from the log to subscribers. One thread runs everything here. */
#ifndef SHOWFLOOR_SERVER_H
#define SHOWFLOOR_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "clock.h"
#include "config.h"
#include "core.h"
#include "http_api_session.h"
#include "http_stats.h"
#include "metrics.h"

struct session;
struct server_webhook;
struct server_guard;

struct server {
    const struct config *cfg; /* borrowed */
    struct core *core;        /* borrowed; closed by main after server_destroy */
    struct clock clock;
    struct metrics metrics;
    struct lws_context *ctx;
    struct lws_vhost *vhost;
    struct session *sessions; /* every WebSocket session, newest first */
    struct session *held;     /* sessions whose next frame waits for the WAL sync */
    int64_t last_fanned;      /* highest event seq fan-out has read from the log */
    uint64_t next_conn_id;    /* for log lines */
    int shutting_down;
    lws_sorted_usec_list_t poll_sul;        /* 200 ms poll for commits by other processes */
    lws_sorted_usec_list_t sla_sul;         /* every sla_check_seconds: core_tick(), then fan-out */
    lws_sorted_usec_list_t fleet_sul;       /* every 5 s: heartbeats, offline check, fan-out */
    struct http_api_sessions *api_sessions; /* staff sessions of the HTTP API */
    struct http_stats http_stats;           /* HTTP requests by route and status */
    struct server_webhook *webhook;         /* staff.notify to each site's webhook_url */
    struct server_guard *guard;             /* per-address connection caps and blocks */
    lws_sorted_usec_list_t ping_sul;        /* every 1 s: session_ping_sweep */
    lws_retry_bo_t idle_policy;             /* lws's own idle pings: off (see server.c) */
    uint64_t refused;                       /* connections refused by the per-address cap */
    int64_t refused_logged_ms;              /* when a refusal was last logged (mono) */
};

/* Creates the lws context and starts listening; writes the port to cfg->port_file when set.
 * 0, or -1 after logging why. */
int server_init(struct server *srv, const struct config *cfg, struct core *core,
                const struct clock *clk);
/* Services the loop until *stop becomes nonzero, then closes every session with `closing`
 * (unavailable, 1001) and waits briefly for them to go. 0, or -1 on a service failure. */
int server_run(struct server *srv, volatile sig_atomic_t *stop);
void server_destroy(struct server *srv);
/* The server that owns a connection (the context's user pointer). */
struct server *server_from_wsi(struct lws *wsi);

/* An authentication failure of `kind` (bad device token, staff PIN or API session token)
 * from peer address `key` ("" when unknown): counted in the metrics and against the address
 * (server_guard), which it may block. A block is logged once, here. Hub thread only. */
void server_auth_failed(struct server *srv, const char *key, enum metrics_auth kind);
/* true while peer address `key` is blocked after auth failures (never for "" or an exempt
 * loopback peer); the refusal is counted as rate_limited. *retry_s (optional) gets the whole
 * seconds until the block ends. Hub thread only. */
bool server_auth_blocked(struct server *srv, const char *key, int64_t *retry_s);

/* Reads every event committed after last_fanned and pushes it to the sessions that may
 * see it; closes the sessions of revoked devices. Call after any commit. (server_fanout.c) */
void server_fanout(struct server *srv);

#endif

/* Hub metrics: counters, gauges and fixed-bucket histograms, rendered as Prometheus text.
 * Plain data owned by the server; updated and read on the hub's one thread. */
#ifndef SHOWFLOOR_METRICS_H
#define SHOWFLOOR_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "domain.h"
#include "proto.h"

#define METRICS_BUCKETS 12

struct metrics_histogram {
    uint64_t counts[METRICS_BUCKETS + 1]; /* per bucket, last = above every bound (+Inf) */
    uint64_t count;
    double sum;
};

/* Authentication failures by kind (showfloor_auth_failures_total{kind}). */
enum metrics_auth {
    METRICS_AUTH_DEVICE_TOKEN, /* WebSocket auth: unknown or revoked token */
    METRICS_AUTH_STAFF_PIN,    /* WebSocket staff_login: wrong staff number or PIN */
    METRICS_AUTH_HTTP_TOKEN,   /* HTTP API Authorization: bad, unknown or revoked token */
    METRICS_AUTH_HTTP_PIN,     /* HTTP API login (or staff_login request): wrong PIN */
    METRICS_AUTH_HTTP_SESSION, /* HTTP API X-Showfloor-Session naming no session */
    METRICS_AUTH__COUNT
};

/* Requests refused with rate_limited, by reason (showfloor_rate_limited_total{reason}). */
enum metrics_limited {
    METRICS_LIMITED_REQUEST_RATE,    /* the per-connection token bucket */
    METRICS_LIMITED_ADDRESS_BLOCKED, /* from an address blocked after bad tokens or PINs */
    METRICS_LIMITED__COUNT
};

struct metrics {
    int64_t connections_pending;             /* WebSockets not yet authenticated */
    int64_t connections[DOMAIN_MODE__COUNT]; /* authenticated, by mode */
    uint64_t commands[PROTO_T__COUNT][2];    /* [type][0 ok, 1 error] */
    uint64_t events_committed;               /* events read from the log by fan-out */
    uint64_t events_sent;                    /* event frames written to sockets */
    uint64_t slow_dropped;                   /* subscribers cut off for not reading */
    uint64_t connections_refused;            /* TCP connections over the per-address cap */
    uint64_t addresses_blocked;              /* blocks started (auth failures) */
    int64_t addresses_blocked_now;           /* gauge: set by the caller before rendering */
    /* WAL checkpoints (store_checkpoint.c): [0] by the thread, [1] inline by the loop at the
     * backstop; set by the caller before rendering */
    uint64_t checkpoints[2];
    /* WAL syncs (store_sync.c): [0] by the sync thread, [1] inline by the loop (a lone
     * command, an HTTP answer, a webhook); set by the caller before rendering */
    uint64_t syncs[2];
    uint64_t auth_failures[METRICS_AUTH__COUNT];
    uint64_t rate_limited[METRICS_LIMITED__COUNT];
    struct metrics_histogram command_seconds; /* request handling incl. commit */
    struct metrics_histogram fanout_seconds;  /* one fan-out pass */
};

void metrics_init(struct metrics *m);
/* Monotonic time in seconds with sub-millisecond resolution, for the histograms. */
double metrics_now(void);
void metrics_observe(struct metrics_histogram *h, double seconds);
void metrics_count_command(struct metrics *m, enum proto_type t, int ok);
void metrics_count_auth_failure(struct metrics *m, enum metrics_auth kind);
void metrics_count_rate_limited(struct metrics *m, enum metrics_limited reason);
/* Prometheus text format 0.0.4. Returns a malloc'd string (caller frees), NULL on OOM. */
char *metrics_render(const struct metrics *m, const char *version);

#endif

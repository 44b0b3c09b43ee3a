/* Hub metrics rendered in the Prometheus text format; bucket bounds are fixed so series
 * from different hubs can be summed. */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double metrics_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

void metrics_init(struct metrics *m)
{
    memset(m, 0, sizeof *m);
}

double metrics_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void metrics_observe(struct metrics_histogram *h, double seconds)
{
    size_t i = 0;
    while (i < METRICS_BUCKETS && seconds > metrics_bounds[i])
        i++;
    h->counts[i]++;
    h->count++;
    h->sum += seconds;
}

void metrics_count_command(struct metrics *m, enum proto_type t, int ok)
{
    if ((int)t >= 0 && t < PROTO_T__COUNT)
        m->commands[t][ok ? 0 : 1]++;
}

static const char *const metrics_auth_names[METRICS_AUTH__COUNT] = {
    [METRICS_AUTH_DEVICE_TOKEN] = "device_token", [METRICS_AUTH_STAFF_PIN] = "staff_pin",
    [METRICS_AUTH_HTTP_TOKEN] = "http_token",     [METRICS_AUTH_HTTP_PIN] = "http_pin",
    [METRICS_AUTH_HTTP_SESSION] = "http_session",
};

static const char *const metrics_limited_names[METRICS_LIMITED__COUNT] = {
    [METRICS_LIMITED_REQUEST_RATE] = "request_rate",
    [METRICS_LIMITED_ADDRESS_BLOCKED] = "address_blocked",
};

void metrics_count_auth_failure(struct metrics *m, enum metrics_auth kind)
{
    if ((int)kind >= 0 && kind < METRICS_AUTH__COUNT)
        m->auth_failures[kind]++;
}

void metrics_count_rate_limited(struct metrics *m, enum metrics_limited reason)
{
    if ((int)reason >= 0 && reason < METRICS_LIMITED__COUNT)
        m->rate_limited[reason]++;
}

/* A growing text buffer; on OOM it stays failed and the render returns NULL. */
struct metrics_buf {
    char *s;
    size_t len, cap;
    int failed;
};

static void metrics_printf(struct metrics_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void metrics_printf(struct metrics_buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2 + (size_t)n + 1;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

static void metrics_histogram_render(struct metrics_buf *b, const char *name, const char *help,
                                     const struct metrics_histogram *h)
{
    metrics_printf(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    uint64_t cum = 0;
    for (size_t i = 0; i < METRICS_BUCKETS; i++) {
        cum += h->counts[i];
        metrics_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, metrics_bounds[i],
                       (unsigned long long)cum);
    }
    metrics_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)h->count);
    metrics_printf(b, "%s_sum %.6f\n%s_count %llu\n", name, h->sum, name,
                   (unsigned long long)h->count);
}

/* A counter with one label, a sample for each of its n values. */
static void metrics_counter_by(struct metrics_buf *b, const char *name, const char *help,
                               const char *label, const char *const *names, const uint64_t *values,
                               size_t n)
{
    metrics_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
    for (size_t i = 0; i < n; i++)
        metrics_printf(b, "%s{%s=\"%s\"} %llu\n", name, label, names[i],
                       (unsigned long long)values[i]);
}

char *metrics_render(const struct metrics *m, const char *version)
{
    struct metrics_buf b = {.cap = 4096};
    b.s = malloc(b.cap);
    if (!b.s)
        return NULL;
    b.s[0] = '\0';

    metrics_printf(&b,
                   "# HELP showfloor_build_info Hub version.\n"
                   "# TYPE showfloor_build_info gauge\n"
                   "showfloor_build_info{version=\"%s\",protocol=\"%d\"} 1\n",
                   version, PROTO_VERSION);
    metrics_printf(&b, "# HELP showfloor_connections Open WebSocket connections by device mode.\n"
                       "# TYPE showfloor_connections gauge\n");
    metrics_printf(&b, "showfloor_connections{mode=\"unauthenticated\"} %lld\n",
                   (long long)m->connections_pending);
    for (int i = 0; i < DOMAIN_MODE__COUNT; i++)
        metrics_printf(&b, "showfloor_connections{mode=\"%s\"} %lld\n",
                       domain_mode_name((enum domain_mode)i), (long long)m->connections[i]);

    metrics_printf(&b, "# HELP showfloor_commands_total Requests handled, by type and result.\n"
                       "# TYPE showfloor_commands_total counter\n");
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        for (int r = 0; r < 2; r++) {
            /* Every request type always appears, so a rate() never starts from a gap. */
            if (proto_type_from_name(proto_type_name((enum proto_type)t), PROTO_DIR_C2H) < 0 ||
                t == PROTO_T_AUTH)
                continue;
            metrics_printf(&b, "showfloor_commands_total{type=\"%s\",result=\"%s\"} %llu\n",
                           proto_type_name((enum proto_type)t), r == 0 ? "ok" : "error",
                           (unsigned long long)m->commands[t][r]);
        }
    }
    metrics_printf(&b,
                   "# HELP showfloor_events_committed_total Events read from the log for fan-out.\n"
                   "# TYPE showfloor_events_committed_total counter\n"
                   "showfloor_events_committed_total %llu\n",
                   (unsigned long long)m->events_committed);
    metrics_printf(&b,
                   "# HELP showfloor_events_sent_total Event frames written to subscribers.\n"
                   "# TYPE showfloor_events_sent_total counter\n"
                   "showfloor_events_sent_total %llu\n",
                   (unsigned long long)m->events_sent);
    metrics_printf(&b,
                   "# HELP showfloor_slow_subscribers_dropped_total Connections cut off for "
                   "too many unsent events or bytes.\n"
                   "# TYPE showfloor_slow_subscribers_dropped_total counter\n"
                   "showfloor_slow_subscribers_dropped_total %llu\n",
                   (unsigned long long)m->slow_dropped);
    metrics_printf(&b,
                   "# HELP showfloor_connections_refused_total TCP connections dropped by the "
                   "per-address cap.\n"
                   "# TYPE showfloor_connections_refused_total counter\n"
                   "showfloor_connections_refused_total %llu\n",
                   (unsigned long long)m->connections_refused);
    metrics_printf(&b,
                   "# HELP showfloor_addresses_blocked_total Addresses blocked after repeated "
                   "authentication failures.\n"
                   "# TYPE showfloor_addresses_blocked_total counter\n"
                   "showfloor_addresses_blocked_total %llu\n"
                   "# HELP showfloor_addresses_blocked Addresses blocked now.\n"
                   "# TYPE showfloor_addresses_blocked gauge\n"
                   "showfloor_addresses_blocked %lld\n",
                   (unsigned long long)m->addresses_blocked, (long long)m->addresses_blocked_now);
    static const char *const thread_or_loop[] = {"thread", "loop"};
    metrics_counter_by(&b, "showfloor_wal_checkpoints_total",
                       "WAL checkpoints: by the checkpoint thread, or inline by the event loop "
                       "when the WAL reached the backstop.",
                       "by", thread_or_loop, m->checkpoints, 2);
    metrics_counter_by(&b, "showfloor_wal_syncs_total",
                       "WAL fdatasyncs that made commits durable: by the sync thread, or inline "
                       "by the event loop (a lone command, an HTTP answer, a webhook scan).",
                       "by", thread_or_loop, m->syncs, 2);
    metrics_counter_by(&b, "showfloor_auth_failures_total",
                       "Bad device tokens, staff PINs and API session tokens, by kind.", "kind",
                       metrics_auth_names, m->auth_failures, METRICS_AUTH__COUNT);
    metrics_counter_by(&b, "showfloor_rate_limited_total",
                       "Requests refused with rate_limited, by reason.", "reason",
                       metrics_limited_names, m->rate_limited, METRICS_LIMITED__COUNT);
    metrics_histogram_render(&b, "showfloor_command_seconds",
                             "Time to handle one request, including its commit.",
                             &m->command_seconds);
    metrics_histogram_render(&b, "showfloor_fanout_seconds",
                             "Time of one fan-out pass over newly committed events.",
                             &m->fanout_seconds);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

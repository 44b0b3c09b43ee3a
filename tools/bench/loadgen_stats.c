/* The load generator's measurements: per-event send/ack times, every delivery's arrival
 * time, the server's CPU time and memory from /proc, and the report (percentiles computed
 * once at the end, so the hot path only appends). */
#include "loadgen.h"
#include "bench_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int loadgen_stats_init(struct loadgen_stats *st, const struct loadgen_opts *o)
{
    memset(st, 0, sizeof *st);
    st->o = o;
    return 0;
}

void loadgen_stats_free(struct loadgen_stats *st)
{
    free(st->ev);
    free(st->dl);
    free(st->rtt);
    memset(st, 0, sizeof *st);
}

struct loadgen_event *loadgen_stats_event(struct loadgen_stats *st, uint32_t key)
{
    if (key >= st->ev_cap) {
        size_t cap = st->ev_cap ? st->ev_cap : 4096;
        while (cap <= key)
            cap *= 2;
        struct loadgen_event *ev = realloc(st->ev, cap * sizeof *ev);
        if (!ev)
            return NULL;
        memset(ev + st->ev_cap, 0, (cap - st->ev_cap) * sizeof *ev);
        st->ev = ev;
        st->ev_cap = cap;
    }
    return &st->ev[key];
}

static bool in_window(const struct loadgen_stats *st, double t)
{
    return st->t_start > 0 && t >= st->t_start && (st->t_end == 0 || t < st->t_end);
}

static void mark_complete(struct loadgen_stats *st, struct loadgen_event *e)
{
    if (e->t_ack > 0 && e->delivered >= st->o->subs)
        st->complete++;
}

void loadgen_stats_ack(struct loadgen_stats *st, uint32_t key, double t_send, double now)
{
    struct loadgen_event *e = loadgen_stats_event(st, key);
    if (!e)
        return;
    e->t_send = t_send;
    e->t_ack = now;
    e->measured = in_window(st, t_send);
    st->acked++;
    if (in_window(st, now)) {
        st->acked_in_window++;
        if (st->n_rtt == st->rtt_cap) {
            size_t cap = st->rtt_cap ? st->rtt_cap * 2 : 4096;
            double *r = realloc(st->rtt, cap * sizeof *r);
            if (r) {
                st->rtt = r;
                st->rtt_cap = cap;
            }
        }
        if (st->n_rtt < st->rtt_cap)
            st->rtt[st->n_rtt++] = now - t_send;
    }
    mark_complete(st, e);
}

void loadgen_stats_delivery(struct loadgen_stats *st, uint32_t key, double now)
{
    struct loadgen_event *e = loadgen_stats_event(st, key);
    if (!e)
        return;
    e->delivered++;
    if (e->delivered == st->o->subs)
        mark_complete(st, e);
    if (st->t_start == 0)
        return; /* warm-up and ramp deliveries are not kept */
    if (st->n_dl == st->dl_cap) {
        size_t cap = st->dl_cap ? st->dl_cap * 2 : 65536;
        struct loadgen_delivery *d = realloc(st->dl, cap * sizeof *d);
        if (!d)
            return;
        st->dl = d;
        st->dl_cap = cap;
    }
    st->dl[st->n_dl++] = (struct loadgen_delivery){key, now};
}

long loadgen_stats_open(const struct loadgen_stats *st)
{
    return st->sent - st->complete - st->failed;
}

bool loadgen_may_send(const struct loadgen_opts *o, const struct loadgen_stats *st, double next_due,
                      double now, long unacked)
{
    if (unacked >= o->window)
        return false;
    if (o->mode == LOADGEN_FANOUT && o->subs > 0 && loadgen_stats_open(st) >= o->inflight)
        return false;
    return o->rate <= 0 || now >= next_due;
}

/* utime + stime of a process, in clock ticks; 0 when unreadable. */
static uint64_t proc_cpu_ticks(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p)
        return 0;
    unsigned long long ut = 0, stt = 0;
    /* fields after ")": state(3) ... utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &stt) != 2)
        return 0;
    return ut + stt;
}

/* A "Vm...:" line of /proc/<pid>/status in kB; -1 when unreadable. */
static long proc_status_kb(int pid, const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            v = strtol(line + kl + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double self_cpu0;

void loadgen_stats_window_start(struct loadgen_stats *st, double now)
{
    st->t_start = now;
    st->t_cpu0 = now;
    if (st->o->server_pid > 0)
        st->srv_cpu0 = proc_cpu_ticks(st->o->server_pid);
    self_cpu0 = self_cpu_s();
}

static double self_cpu_window;

void loadgen_stats_window_end(struct loadgen_stats *st, double now)
{
    st->t_end = now;
    st->t_cpu1 = now;
    if (st->o->server_pid > 0)
        st->srv_cpu1 = proc_cpu_ticks(st->o->server_pid);
    self_cpu_window = self_cpu_s() - self_cpu0;
}

void loadgen_stats_report(struct loadgen_stats *st)
{
    const struct loadgen_opts *o = st->o;
    double dur = st->t_end > st->t_start ? st->t_end - st->t_start : 0;
    size_t n_lat = 0, delivered_in_window = 0;
    double *lat = malloc((st->n_dl ? st->n_dl : 1) * sizeof *lat);
    double *e2e = malloc((st->n_dl ? st->n_dl : 1) * sizeof *e2e);
    for (size_t i = 0; i < st->n_dl && lat && e2e; i++) {
        const struct loadgen_delivery *d = &st->dl[i];
        if (in_window(st, d->t))
            delivered_in_window++;
        const struct loadgen_event *e = d->key < st->ev_cap ? &st->ev[d->key] : NULL;
        if (e && e->measured && e->t_ack > 0) {
            e2e[n_lat] = (d->t - e->t_send) * 1000.0;
            lat[n_lat++] = (d->t - e->t_ack) * 1000.0;
        }
    }
    /* Deliveries that never came, of events sent in the window and acknowledged. */
    long measured = 0, lost = 0;
    for (size_t k = 0; k < st->ev_cap; k++) {
        const struct loadgen_event *e = &st->ev[k];
        if (!e->measured || e->t_ack == 0)
            continue;
        measured++;
        if (e->delivered < o->subs)
            lost += o->subs - e->delivered;
    }
    if (lat && e2e) {
        bench_sort(lat, n_lat);
        bench_sort(e2e, n_lat);
    }
    bench_sort(st->rtt, st->n_rtt); /* a hold run has none, and no array */
    for (size_t i = 0; i < st->n_rtt; i++)
        st->rtt[i] *= 1000.0;

    long ticks = sysconf(_SC_CLK_TCK);
    double srv_cpu_s =
        o->server_pid > 0 && ticks > 0 ? (double)(st->srv_cpu1 - st->srv_cpu0) / (double)ticks : -1;
    long hwm = o->server_pid > 0 ? proc_status_kb(o->server_pid, "VmHWM") : -1;
    long rss = o->server_pid > 0 ? proc_status_kb(o->server_pid, "VmRSS") : -1;
    double p50 = bench_pct(lat, n_lat, 50), p99 = bench_pct(lat, n_lat, 99);
    double mx = n_lat ? lat[n_lat - 1] : -1;
    double dps = dur > 0 ? (double)delivered_in_window / dur : 0;
    double aps = dur > 0 ? (double)st->acked_in_window / dur : 0;
    double connect_s = st->t_ready > 0 ? st->t_ready - st->t_conn_start : -1;

    fprintf(stderr,
            "%s: subs=%d senders=%d rate=%g dur=%.1fs | events acked/s=%.0f deliveries/s=%.0f "
            "| latency ack->arrival p50=%.2fms p99=%.2fms max=%.2fms (n=%zu, lost=%ld) | "
            "send->arrival p50=%.2fms p99=%.2fms | "
            "cmd rtt p50=%.2fms p99=%.2fms | server cpu=%.0f%% rss=%ldkB peak=%ldkB | "
            "loadgen cpu=%.0f%% | connect %.2fs, failed=%d\n",
            o->label, o->subs, o->senders, o->rate, dur, aps, dps, p50, p99, mx, n_lat, lost,
            bench_pct(e2e, n_lat, 50), bench_pct(e2e, n_lat, 99), bench_pct(st->rtt, st->n_rtt, 50),
            bench_pct(st->rtt, st->n_rtt, 99),
            dur > 0 && srv_cpu_s >= 0 ? srv_cpu_s / dur * 100 : -1, rss, hwm,
            dur > 0 ? self_cpu_window / dur * 100 : -1, connect_s, st->conn_failed);
    printf("RESULT {\"label\":\"%s\",\"mode\":\"%s\",\"target\":\"%s\",\"qos\":%d,"
           "\"subs\":%d,\"senders\":%d,\"rate\":%g,\"duration_s\":%.3f,"
           "\"events_acked\":%ld,\"acks_per_s\":%.1f,\"deliveries\":%zu,"
           "\"deliveries_per_s\":%.1f,\"measured_events\":%ld,\"lost\":%ld,"
           "\"lat_n\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
           "\"e2e_p50_ms\":%.3f,\"e2e_p99_ms\":%.3f,\"e2e_max_ms\":%.3f,"
           "\"rtt_p50_ms\":%.3f,\"rtt_p99_ms\":%.3f,\"failed\":%ld,"
           "\"server_cpu_s\":%.2f,\"server_cpu_pct\":%.1f,\"server_rss_kb\":%ld,"
           "\"server_peak_rss_kb\":%ld,\"loadgen_cpu_pct\":%.1f,\"connected\":%d,"
           "\"conn_failed\":%d,\"connect_s\":%.3f}\n",
           o->label,
           o->mode == LOADGEN_FANOUT     ? "fanout"
           : o->mode == LOADGEN_COMMANDS ? "commands"
                                         : "hold",
           o->mqtt ? "mqtt" : "ws", o->qos, o->subs, o->senders, o->rate, dur, st->acked, aps,
           delivered_in_window, dps, measured, lost, n_lat, p50, p99, mx, bench_pct(e2e, n_lat, 50),
           bench_pct(e2e, n_lat, 99), n_lat ? e2e[n_lat - 1] : -1,
           bench_pct(st->rtt, st->n_rtt, 50), bench_pct(st->rtt, st->n_rtt, 99), st->failed,
           srv_cpu_s, dur > 0 && srv_cpu_s >= 0 ? srv_cpu_s / dur * 100 : -1, rss, hwm,
           dur > 0 ? self_cpu_window / dur * 100 : -1, st->subs_ready, st->conn_failed, connect_s);
    fflush(stdout);
    free(lat);
    free(e2e);
}

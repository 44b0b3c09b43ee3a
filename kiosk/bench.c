/* `--bench` measurements of the kiosk (see bench.h): printed on stderr for run.sh to parse. */
#include "bench.h"

#include <stdio.h>
#include <string.h>

#define BENCH_WARMUP_MS 1000

void bench_init(struct bench *b, double seconds, int64_t mono)
{
    memset(b, 0, sizeof *b);
    b->seconds = seconds;
    b->t_main = mono;
}

bool bench_continuous(const struct bench *b)
{
    return b->seconds > 0 && b->connected;
}

void bench_note(struct bench *b)
{
    if (b->t_start)
        b->notes++;
}

/* Peak resident set of this process, kB (VmHWM), or -1. */
static long bench_peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &v) == 1)
            break;
    fclose(f);
    return v;
}

bool bench_frame(struct bench *b, bool connected, int64_t mono, int64_t wall)
{
    if (b->seconds <= 0)
        return false;
    if (!b->first) {
        b->first = true;
        fprintf(stderr, "bench first_frame_ms=%lld wall_ms=%lld\n", (long long)(mono - b->t_main),
                (long long)wall);
    }
    if (connected && !b->connected) {
        b->connected = true;
        b->t_connected = mono;
        fprintf(stderr, "bench first_connected_frame_ms=%lld wall_ms=%lld\n",
                (long long)(mono - b->t_main), (long long)wall);
    }
    if (!b->connected)
        return false;
    if (!b->t_start) {
        if (mono - b->t_connected >= BENCH_WARMUP_MS) {
            b->t_start = mono;
            b->t_last_frame = mono;
        }
        return false;
    }
    b->frames++;
    double dt = (double)(mono - b->t_last_frame);
    if (dt > b->frame_ms_max)
        b->frame_ms_max = dt;
    b->t_last_frame = mono;
    double span = (double)(mono - b->t_start) / 1000.0;
    if (span < b->seconds)
        return false;
    fprintf(stderr,
            "bench fps=%.1f frames=%ld seconds=%.2f frame_ms_max=%.0f notes=%ld "
            "peak_rss_kb=%ld\n",
            (double)b->frames / span, b->frames, span, b->frame_ms_max, b->notes,
            bench_peak_rss_kb());
    return true;
}

/* Measurement hooks for `showfloor-kiosk --bench SECONDS` (tools/bench/run.sh): time from the
 * start of main() to the first frame and to the first frame drawn while connected, then
 * frames per second while redrawing continuously for SECONDS, events received meanwhile, and
 * peak RSS. Lines go to stderr as `bench key=value ...`. UI thread only. */
#ifndef SHOWFLOOR_KIOSK_BENCH_H
#define SHOWFLOOR_KIOSK_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct bench {
    double seconds; /* 0: not benchmarking */
    int64_t t_main; /* monotonic ms at main() */
    bool first, connected;
    int64_t t_connected, t_start; /* the measured span starts 1 s after connecting */
    long frames, notes;
    double frame_ms_max;
    int64_t t_last_frame;
};

void bench_init(struct bench *b, double seconds, int64_t mono);
/* Whether the UI should redraw at once, without waiting (the measured span). */
bool bench_continuous(const struct bench *b);
/* A frame was drawn at `mono` (`connected`: the hub connection is up). Returns true when the
 * measured span is over and the program should exit. */
bool bench_frame(struct bench *b, bool connected, int64_t mono, int64_t wall);
/* A message from the hub reached the UI. */
void bench_note(struct bench *b);

#endif

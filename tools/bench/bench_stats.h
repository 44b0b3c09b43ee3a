/* What the benchmark programs share: one clock, and one percentile definition, so figures
 * printed side by side in BENCHMARKS.md are computed the same way. */
#ifndef SHOWFLOOR_BENCH_STATS_H
#define SHOWFLOOR_BENCH_STATS_H

#include <stddef.h>

double bench_now(void); /* CLOCK_MONOTONIC seconds */
/* Ascending; n may be 0 (and v NULL). */
void bench_sort(double *v, size_t n);
/* Nearest-rank percentile (p in percent) of a sorted array; -1 when it is empty. */
double bench_pct(const double *v, size_t n, double p);

#endif

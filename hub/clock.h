/* The hub's one clock. Tests and demos move it with SHOWFLOOR_CLOCK_OFFSET_MS (added to the
 * real time), so rules that depend on time can be exercised without waiting. */
#ifndef SHOWFLOOR_CLOCK_H
#define SHOWFLOOR_CLOCK_H

#include <stdint.h>

struct clock {
    int64_t offset_ms;
};

/* Reads SHOWFLOOR_CLOCK_OFFSET_MS (if set and valid) into c. 0, or -1 if it is malformed. */
int clock_init(struct clock *c);
/* Wall-clock UTC milliseconds plus the offset. */
int64_t clock_now_ms(const struct clock *c);
/* Monotonic milliseconds, for measuring durations. */
int64_t clock_mono_ms(void);

#endif

/* The hub's clock: real UTC time plus an offset tests can set. */
#include "clock.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

int clock_init(struct clock *c)
{
    c->offset_ms = 0;
    const char *s = getenv("SHOWFLOOR_CLOCK_OFFSET_MS");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    c->offset_ms = v;
    return 0;
}

int64_t clock_now_ms(const struct clock *c)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + c->offset_ms;
}

int64_t clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Site-local calendar arithmetic on UTC milliseconds. Sites use a fixed UTC offset in v1
 * (China has no daylight saving), so no time zone database is involved. */
#include "domain.h"

#define TIME_DAY_MS    86400000LL
#define TIME_MINUTE_MS 60000LL

int64_t domain_day_start(int64_t now, int utc_offset_min)
{
    int64_t offset_ms = (int64_t)utc_offset_min * TIME_MINUTE_MS;
    int64_t local = now + offset_ms;
    /* Floor, not truncate: local times before the epoch still round down to midnight. */
    int64_t day = local / TIME_DAY_MS;
    if (local % TIME_DAY_MS < 0)
        day--;
    return day * TIME_DAY_MS - offset_ms;
}

/* The board's figures (issue 8; PROTOCOL.md "Board figures"): today's funnel, the 14-day
 * trend and the month's consultant league of the device's site, read through
 * store_analytics.h so the board and `showfloor report` never disagree. */
#ifndef SHOWFLOOR_CORE_BOARD_H
#define SHOWFLOOR_CORE_BOARD_H

#include "core_internal.h"

#define CORE_BOARD_TREND_DAYS 14 /* days in "trend", today last */
#define CORE_BOARD_LEAGUE_MAX 10 /* rows in "league" */

/* board_stats (a read; core_request.c's table): no args, no staff login. Reads in one read
 * transaction, so the three parts are one consistent view. *data gets
 * {"day","now","today":{...},"trend":[...],"league":[...]} (caller frees), or -1 with *err
 * (a store fault, or the device's site is gone). */
int core_board_stats(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err);

#endif

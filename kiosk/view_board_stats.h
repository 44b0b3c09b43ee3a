/* The board's figures page (PROTOCOL.md "Board figures"): today's funnel visits → orders →
 * deliveries with conversion, the 14-day trend of visits, orders and deliveries, and the
 * consultants' league of the month, from model_board_stats. UI thread only. */
#ifndef SHOWFLOOR_VIEW_BOARD_STATS_H
#define SHOWFLOOR_VIEW_BOARD_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct app;

/* Builds the figures page into `body`. */
void view_board_stats_build(struct app *a, struct ui_rect body);

/* Yuan of `fen`, whole, grouped by thousands ("379,600"), into out. Pure. */
void view_board_stats_yuan(int64_t fen, char *out, size_t outsz);

#endif

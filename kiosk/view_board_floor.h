/* The manager board's floor panels: staff notifications, open conflicts (撞单) and open
 * complaints, from the board model's lists; and the strip of the site's offline screens.
 * UI thread only. */
#ifndef SHOWFLOOR_VIEW_BOARD_FLOOR_H
#define SHOWFLOOR_VIEW_BOARD_FLOOR_H

#include <stdbool.h>

#include "layout.h"

struct app;

/* "通知 Notifications", newest first: time, staff member and text in the current
 * language, as many as fit in `panel`. */
void view_board_floor_notifications(struct app *a, struct ui_rect panel);
/* Conflicts to rule and open complaints in `panel`: side by side when `side_by_side`, else
 * one above the other. Each shows its count and the newest ones; a breached deadline says
 * "超时 Overdue" in words, not only in colour. */
void view_board_floor_alerts(struct app *a, struct ui_rect panel, bool side_by_side);

/* How many of the site's screens (model_fleet) are offline: heard from once, quiet now (a
 * screen never connected is not counted). */
int view_board_floor_fleet_offline(const struct app *a);
/* The strip naming the offline screens, longest offline first: "屏幕离线 2 · 前台 2 · 14:02
 * 起 …"; an icon and words, not colour alone. Build it only when some are offline. */
void view_board_floor_fleet(struct app *a, struct ui_rect strip);

#endif

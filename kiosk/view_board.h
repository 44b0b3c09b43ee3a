/* The manager's wall board: two pages that take turns every VIEW_BOARD_ROTATE_MS. The floor
 * page: visits in the showroom, open orders by stage, notifications, conflicts, complaints.
 * The figures page (view_board_stats.c): today's funnel, the 14-day trend and the month's
 * consultant league from board_stats. Both show the consultants on duty, the page tabs and,
 * when screens of the site are offline, a strip naming them. A tap on a tab shows that page
 * and pauses the turns for VIEW_BOARD_PAUSE_MS. Live; a tap on an order waiting for review or
 * on a conflict starts the acting flow of view_board_act.h (the turns wait for it). UI thread
 * only. */
#ifndef SHOWFLOOR_VIEW_BOARD_H
#define SHOWFLOOR_VIEW_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "view_board_act.h"

#define VIEW_BOARD_ROTATE_MS   20000 /* each page is shown this long */
#define VIEW_BOARD_PAUSE_MS    60000 /* a tap on a tab stops the turns this long */
#define VIEW_BOARD_STATS_MS    60000 /* figures asked this often when nothing happens */
#define VIEW_BOARD_STATS_MIN   10000 /* ... and at most this often while events arrive */
#define VIEW_BOARD_STATS_QUIET 1000  /* an event waits this long for others to join it */
#define VIEW_BOARD_STATS_RETRY 10000 /* after an unanswered or refused request */

enum view_board_page { VIEW_BOARD_FLOOR, VIEW_BOARD_FIGURES };

struct view_board {
    enum view_board_page page;
    int64_t page_since;              /* monotonic ms the page was shown */
    int64_t paused_until;            /* monotonic ms; turns paused by a tap until then */
    char stats_id[PROTO_MAX_ID + 1]; /* the board_stats request waiting, "" none */
    int64_t stats_sent;              /* monotonic ms of the last request, 0 never */
    int64_t stats_due;               /* monotonic ms the next request is due */
    struct view_board_act act;       /* approving, rejecting, ruling (view_board_act.h) */
};

struct app;
void view_board_build(struct app *a);
void view_board_action(struct app *a, const char *id);
void view_board_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_board_reset(struct app *a);
void view_board_tick(struct app *a);
const char *view_board_screen(const struct app *a);
bool view_board_idle(const struct app *a);

/* app.c's hooks. A snapshot was applied (subscribed, or again after a reconnect): ask for
 * the figures now. */
void view_board_snapshot(struct app *a);
/* An event of `kind` was applied: visits and orders change the figures, so they are asked
 * again soon (debounced: at most every VIEW_BOARD_STATS_MIN). */
void view_board_event(struct app *a, const char *kind);
/* Monotonic ms of the board's next turn or figures request, for the event loop. */
int64_t view_board_deadline(const struct app *a);

#endif

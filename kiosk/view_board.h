/* The manager's wall board: visits in the showroom, open orders by stage, consultants on
 * duty. Read-only and live. UI thread only. */
#ifndef SHOWFLOOR_VIEW_BOARD_H
#define SHOWFLOOR_VIEW_BOARD_H

#include <stdbool.h>

#include "proto.h"

struct app;
void view_board_build(struct app *a);
void view_board_action(struct app *a, const char *id);
void view_board_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_board_reset(struct app *a);
void view_board_tick(struct app *a);
const char *view_board_screen(const struct app *a);
bool view_board_idle(const struct app *a);

#endif

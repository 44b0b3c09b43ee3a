/* The screens of the board's acting flow (view_board_act.h): keypads, waiting, the detail
 * card of an order or a conflict, the reason chips and the outcome; and what the flow's two
 * files share. UI thread only. */
#ifndef SHOWFLOOR_VIEW_BOARD_ACT_DRAW_H
#define SHOWFLOOR_VIEW_BOARD_ACT_DRAW_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "i18n.h"
#include "view_board_act.h"

struct app;

/* The reason chips, in the order shown (ids "reason.<i>"); the text sent is the chip's, in
 * the language on screen. */
extern const enum i18n_key view_board_act_order_reasons[VIEW_BOARD_ACT_ORDER_REASONS];
extern const enum i18n_key view_board_act_rule_reasons[VIEW_BOARD_ACT_RULE_REASONS];

/* The order or conflict acted on, from the board's live model; NULL when it is no longer
 * there (decided elsewhere, closed). Borrowed until the model changes. */
const cJSON *view_board_act_order(const struct app *a);
const cJSON *view_board_act_conflict(const struct app *a);

void view_board_act_draw_pick(struct app *a);
void view_board_act_draw_keypad(struct app *a, bool pin);
void view_board_act_draw_wait(struct app *a);
void view_board_act_draw_card(struct app *a);
void view_board_act_draw_reason(struct app *a);
void view_board_act_draw_done(struct app *a);

#endif

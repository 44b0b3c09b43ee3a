/* Pieces every screen shares: the header (site, clock, connection, 中/EN toggle), the
 * revoked notice, Back/Cancel rows, keypads with their entry box, error texts for hub
 * error codes, and formatting of times and stage names. UI thread only. */
#ifndef SHOWFLOOR_VIEW_COMMON_H
#define SHOWFLOOR_VIEW_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "i18n.h"
#include "layout.h"
#include "proto.h"
#include "widget.h"

struct app;

/* Pixels for `units` layout units. */
int view_px(const struct app *a, double units);

/* Builds the header bar and sets a->body to the area below it (with margins). */
void view_common_header(struct app *a);
/* The full-screen notice of a revoked or unauthorised device. */
void view_common_revoked(struct app *a);
/* A round icon: `glyph` in white on a disc of colour bg, centred in r. Status is never shown
 * by colour alone: the glyph (or a word beside it) carries it. */
void view_common_icon(struct app *a, struct ui_rect r, const char *glyph, struct rgba bg);
/* A row of Back (if back_id) and Cancel (if cancel) buttons filling r from the left. */
void view_common_nav(struct app *a, struct ui_rect r, bool back, bool cancel);
/* An entry box (id "entry.display") showing `shown`, or `hint` greyed when empty. */
void view_common_entry_box(struct app *a, struct ui_rect r, const char *shown, const char *hint);
/* A 3-column keypad for `kind` over r: digits, plus '-' for order numbers, delete and
 * clear. */
void view_common_keypad(struct app *a, struct ui_rect r, enum entry_kind kind);
/* A keypad box wide enough for large keys, centred in `avail`: 3 x 4 keys of a square-ish
 * shape, never wider than max_w. */
struct ui_rect view_common_keypad_rect(struct app *a, struct ui_rect avail, int max_w);

/* i18n key for a hub error code, or -1 when the generic text + hub message is shown. */
int view_common_error_key(enum proto_err code);
/* Records a hub error (or "no answer" when res is NULL: key UNREACHABLE) for display. */
void view_common_set_error(int *key, char *text, size_t textsz, const struct proto_msg *res);
/* The text of a recorded error in the current language ("" for none). */
void view_common_error_text(const struct app *a, int key, const char *text, char *out,
                            size_t outsz);

/* The error line under an entry: msg in red with a warning sign before it (so a refusal
 * reads without colour); nothing drawn but the empty paragraph when msg is "". */
void view_common_error_line(struct app *a, struct ui_rect r, const char *id, const char *msg,
                            int size);

/* Local "HH:MM" of a UTC ms time. */
void view_common_hhmm(const struct app *a, int64_t ms, char *out, size_t outsz);
/* Local "M/D HH:MM" (or "HH:MM" for today) of a UTC ms time. */
void view_common_when(const struct app *a, int64_t ms, char *out, size_t outsz);
/* Whole minutes from `since` (hub ms) to the hub's now, at least 0. */
int view_common_minutes_since(const struct app *a, int64_t since);
/* i18n keys of wire codes; -1 when unknown (the code is then shown as is). */
int view_common_pstage_key(const char *public_stage);
int view_common_visit_key(const char *status);
int view_common_todo_key(const char *todo);
int view_common_role_key(const char *role);
/* The site name from the snapshot, else from auth_ok, else "". */
const char *view_common_site(const struct app *a);

#endif

/* An on-screen keyboard for short Latin / pinyin text (a delivery comment): digits,
 * letters with a shift key, a few punctuation marks, space, delete and done. Keys have ids
 * "kb.<char>" ("kb.a", "kb.1", "kb.,"), "kb.shift", "kb.space", "kb.del", "kb.done"; the view
 * passes the id of a tapped key to widget_keyboard_apply. Chinese input is out of scope (a
 * kiosk IME is a project of its own). Pure builders; UI thread only. */
#ifndef SHOWFLOOR_WIDGET_KEYBOARD_H
#define SHOWFLOOR_WIDGET_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"
#include "ui.h"

/* Adds the keyboard over r; `shift` shows capitals. `del` and `done` label those keys and
 * `space` the space bar (translated by the caller). Returns the number of keys added. */
int widget_keyboard(struct ui *ui, const struct theme *t, struct ui_rect r, bool shift,
                    const char *space, const char *del, const char *done);
/* The same without the digit row, for names: four rows, so each key is a quarter taller in
 * the same space. */
int widget_keyboard_letters(struct ui *ui, const struct theme *t, struct ui_rect r, bool shift,
                            const char *space, const char *del, const char *done);

enum widget_keyboard_result {
    WIDGET_KEYBOARD_NONE,    /* not a keyboard key, or refused (text full) */
    WIDGET_KEYBOARD_CHANGED, /* text changed */
    WIDGET_KEYBOARD_SHIFT,   /* *shift toggled */
    WIDGET_KEYBOARD_DONE,    /* the done key */
};

/* Applies the key `id` to text (NUL-terminated, at most size - 1 bytes; delete removes one
 * whole UTF-8 character). A letter typed with shift clears it again, as phones do. */
enum widget_keyboard_result widget_keyboard_apply(const char *id, char *text, size_t size,
                                                  bool *shift);

#endif

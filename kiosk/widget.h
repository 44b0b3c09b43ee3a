/* Widget builders (button, keypad, label, paragraph, chip, toggle, dot, panel) that add
 * styled widgets to the ui list, and the drawing of each widget kind through draw.h. The
 * builders are pure (tests call them); widget_draw_all needs a renderer. UI thread only. */
#ifndef SHOWFLOOR_WIDGET_H
#define SHOWFLOOR_WIDGET_H

#include <stdbool.h>

#include "draw.h"
#include "theme.h"
#include "ui.h"

enum widget_style {
    STYLE_PRIMARY,   /* the one action the screen is for */
    STYLE_SECONDARY, /* dark, other actions */
    STYLE_OUTLINE,   /* light with a border: back, cancel, decline */
};

struct widget *widget_panel(struct ui *ui, const struct theme *t, struct ui_rect r, struct rgba bg,
                            int radius);
struct widget *widget_label(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                            int px, struct rgba fg, enum widget_align align);
/* A label wrapped to r's width. */
struct widget *widget_para(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                           int px, struct rgba fg);
/* A button; `sub` (may be NULL) is a smaller second line, e.g. the other language. */
struct widget *widget_button(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                             const char *text, const char *sub, int px, enum widget_style style);
struct widget *widget_toggle(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                             const char *text, int px);
struct widget *widget_chip(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                           int px, struct rgba bg, struct rgba fg);
struct widget *widget_dot(struct ui *ui, struct ui_rect r, struct rgba c);

/* A keypad of `cols` columns over r: keys[i] is the key name ("1", "-", "del", "clear"),
 * labels[i] what it shows; ids are "key.<name>". Returns the number of keys added. */
int widget_keypad(struct ui *ui, const struct theme *t, struct ui_rect r, int cols, int gap, int px,
                  const char *const *keys, const char *const *labels, int n);

/* Draws every widget of the list; the one held down (ui_pressed) is drawn darker. */
void widget_draw_all(const struct ui *ui, struct draw *d);

#endif

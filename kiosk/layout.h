/* Screen geometry that scales with the window: one unit is min(w, h) / 720, so a layout
 * written for 1280x720 keeps its proportions from 720p to 4K, portrait or landscape,
 * without stretching. Pure integer rectangles; no SDL. */
#ifndef SHOWFLOOR_LAYOUT_H
#define SHOWFLOOR_LAYOUT_H

#include <stdbool.h>

struct ui_rect {
    int x, y, w, h;
};

struct layout {
    int w, h;
    double unit;
    bool portrait;
};

void layout_init(struct layout *l, int w, int h);
/* `units` scaled to pixels, rounded, at least 1 for a positive size. */
int layout_px(const struct layout *l, double units);

struct ui_rect layout_rect(int x, int y, int w, int h);
/* `r` shrunk by `d` pixels on each side. */
struct ui_rect layout_inset(struct ui_rect r, int d);
/* Cuts `n` pixels off the top/bottom/left/right of *r and returns them. */
struct ui_rect layout_cut_top(struct ui_rect *r, int n);
struct ui_rect layout_cut_bottom(struct ui_rect *r, int n);
struct ui_rect layout_cut_left(struct ui_rect *r, int n);
struct ui_rect layout_cut_right(struct ui_rect *r, int n);
/* Cell i (row-major) of a cols x rows grid over r with `gap` pixels between cells. */
struct ui_rect layout_cell(struct ui_rect r, int cols, int rows, int gap, int i);
/* A w x h rectangle centred in r. */
struct ui_rect layout_centre(struct ui_rect r, int w, int h);
bool layout_contains(struct ui_rect r, int x, int y);
bool layout_overlaps(struct ui_rect a, struct ui_rect b);
/* True when a lies entirely inside b. */
bool layout_inside(struct ui_rect a, struct ui_rect b);

#endif

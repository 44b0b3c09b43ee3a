/* Choice tiles and chips: a grid of large tappable cells for one choice among several (the
 * reception's model tiles, "how did you hear of us" chips, yes/no, gender). The chosen cell
 * carries a check mark and a thicker primary edge, so the choice never shows by colour
 * alone. Pure builders over ui.h; UI thread only. */
#ifndef SHOWFLOOR_WIDGET_TILES_H
#define SHOWFLOOR_WIDGET_TILES_H

#include <stdbool.h>

#include "theme.h"
#include "ui.h"

/* How n cells of at least min_w x min_h pixels (with `gap` between them) fit in r: as many
 * columns as fit (at most n, at most max_cols), the rows that follows, every cell the same
 * size, no taller than max_h. Fills cells[0..n-1] and returns how many fit inside r (the
 * first ones, row by row; the caller shows fewer or scrolls). */
int widget_tiles_grid(struct ui_rect r, int n, int min_w, int min_h, int max_h, int max_cols,
                      int gap, struct ui_rect *cells);

/* A tile: `title` large, `sub` (may be NULL or "") smaller under it; `selected` adds the
 * check mark and the primary edge. Returns the widget (a button) or NULL when the list is
 * full. */
struct widget *widget_tile(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                           const char *title, const char *sub, int px, bool selected);

#endif

/* Choice tiles (see widget_tiles.h). UI thread only. */
#include "widget_tiles.h"

#include <stdio.h>

#include "widget.h"

int widget_tiles_grid(struct ui_rect r, int n, int min_w, int min_h, int max_h, int max_cols,
                      int gap, struct ui_rect *cells)
{
    if (n <= 0 || r.w <= 0 || r.h <= 0)
        return 0;
    int cols = (r.w + gap) / (min_w + gap);
    if (cols < 1)
        cols = 1;
    if (cols > n)
        cols = n;
    if (max_cols > 0 && cols > max_cols)
        cols = max_cols;
    int rows = (n + cols - 1) / cols;
    int cw = (r.w - (cols - 1) * gap) / cols;
    int ch = (r.h - (rows - 1) * gap) / rows;
    if (ch > max_h)
        ch = max_h;
    if (ch < min_h)
        ch = min_h; /* too many rows for r: the later ones fall outside and are not counted */
    int fit = 0;
    for (int i = 0; i < n; i++) {
        int row = i / cols, col = i % cols;
        cells[i] = (struct ui_rect){r.x + col * (cw + gap), r.y + row * (ch + gap), cw, ch};
        if (cells[i].y + ch <= r.y + r.h)
            fit++;
    }
    return fit;
}

struct widget *widget_tile(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                           const char *title, const char *sub, int px, bool selected)
{
    char text[WIDGET_TEXT_MAX];
    /* U+2713 CHECK MARK: the choice is said by a sign, not only by the edge's colour */
    snprintf(text, sizeof text, "%s%s", selected ? "\xE2\x9C\x93 " : "", title ? title : "");
    struct widget *w =
        widget_button(ui, t, id, r, text, sub && sub[0] ? sub : NULL, px, STYLE_OUTLINE);
    if (!w)
        return NULL;
    if (selected) {
        w->bg = t->surface_alt;
        w->border = t->primary;
        w->fg = t->primary;
    }
    return w;
}

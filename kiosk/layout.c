/* Scaled screen geometry (see layout.h). */
#include "layout.h"

#include <math.h>

void layout_init(struct layout *l, int w, int h)
{
    l->w = w;
    l->h = h;
    int m = w < h ? w : h;
    l->unit = m > 0 ? m / 720.0 : 1.0;
    l->portrait = h > w;
}

int layout_px(const struct layout *l, double units)
{
    int px = (int)lround(units * l->unit);
    return units > 0 && px < 1 ? 1 : px;
}

struct ui_rect layout_rect(int x, int y, int w, int h)
{
    return (struct ui_rect){x, y, w, h};
}

struct ui_rect layout_inset(struct ui_rect r, int d)
{
    r.x += d;
    r.y += d;
    r.w -= 2 * d;
    r.h -= 2 * d;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

struct ui_rect layout_cut_top(struct ui_rect *r, int n)
{
    if (n > r->h)
        n = r->h;
    struct ui_rect out = {r->x, r->y, r->w, n};
    r->y += n;
    r->h -= n;
    return out;
}

struct ui_rect layout_cut_bottom(struct ui_rect *r, int n)
{
    if (n > r->h)
        n = r->h;
    struct ui_rect out = {r->x, r->y + r->h - n, r->w, n};
    r->h -= n;
    return out;
}

struct ui_rect layout_cut_left(struct ui_rect *r, int n)
{
    if (n > r->w)
        n = r->w;
    struct ui_rect out = {r->x, r->y, n, r->h};
    r->x += n;
    r->w -= n;
    return out;
}

struct ui_rect layout_cut_right(struct ui_rect *r, int n)
{
    if (n > r->w)
        n = r->w;
    struct ui_rect out = {r->x + r->w - n, r->y, n, r->h};
    r->w -= n;
    return out;
}

struct ui_rect layout_cell(struct ui_rect r, int cols, int rows, int gap, int i)
{
    int col = i % cols, row = i / cols;
    /* Integer division spreads the rounding so cells tile r exactly, gaps included. */
    int x0 = r.x + (r.w + gap) * col / cols;
    int x1 = r.x + (r.w + gap) * (col + 1) / cols - gap;
    int y0 = r.y + (r.h + gap) * row / rows;
    int y1 = r.y + (r.h + gap) * (row + 1) / rows - gap;
    return (struct ui_rect){x0, y0, x1 - x0, y1 - y0};
}

struct ui_rect layout_centre(struct ui_rect r, int w, int h)
{
    if (w > r.w)
        w = r.w;
    if (h > r.h)
        h = r.h;
    return (struct ui_rect){r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
}

bool layout_contains(struct ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

bool layout_overlaps(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool layout_inside(struct ui_rect a, struct ui_rect b)
{
    return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

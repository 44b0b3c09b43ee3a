/* A vertical list scroller for the touch widget layer: the caller lays its rows out in
 * content coordinates, and the scroller says where each lands in the viewport and which are
 * visible, so rows outside it are never built (the widget layer has no clipping). A finger
 * dragged past a threshold moves the content and cancels the tap under it; arrow buttons
 * above and below say "more here" and scroll by a page when tapped (mouse users, and a
 * reachable target for fingers). The state lives in the view's state; no allocation, no
 * drawing, no SDL. UI thread only. */
#ifndef SHOWFLOOR_WIDGET_SCROLL_H
#define SHOWFLOOR_WIDGET_SCROLL_H

#include <stdbool.h>

#include "layout.h"
#include "theme.h"
#include "ui.h"

/* Zero is a valid state: top of the list, no finger down. */
struct widget_scroll {
    int offset;          /* px of content above the viewport, 0..widget_scroll_max */
    int content_h;       /* px, from the last widget_scroll_frame */
    struct ui_rect view; /* the viewport on screen, from the last widget_scroll_frame */
    int threshold;       /* px a finger moves before it is a drag, not a tap */
    int step;            /* px of one row and its gap; 0: rows of any height */
    bool down;           /* a finger went down in the viewport (and there is something to scroll) */
    bool dragging;       /* ...and moved past the threshold */
    int start_y;         /* where it went down */
    int start_offset;    /* the offset then */
};

/* Takes this frame's viewport, content height, drag threshold (px) and row pitch (`step`,
 * px; 0 for none) and clamps the offset to them (content shorter than the viewport: 0). Call
 * before placing rows. With a step, paging and the end of a drag land on a row boundary, so
 * the top row is never one left out for being cut. */
void widget_scroll_frame(struct widget_scroll *s, struct ui_rect view, int content_h, int threshold,
                         int step);
/* The largest offset: 0 when everything fits; with a step, rounded up to a whole row (the
 * last page starts on a row). */
int widget_scroll_max(const struct widget_scroll *s);
/* Where content rows [y, y + h) land on screen (out); true when the row lies wholly inside
 * the viewport and should be built. Partly visible rows are left out, never drawn clipped. */
bool widget_scroll_place(const struct widget_scroll *s, int y, int h, struct ui_rect *out);
/* Scrolls by `pages` viewport heights (negative: up), clamped; with a step, by the whole rows
 * a viewport holds (at least one). True when the offset moved. */
bool widget_scroll_page(struct widget_scroll *s, int pages);

/* Pointer input. press: true when (x, y) is in a viewport that has something to scroll (the
 * caller then owns the gesture until release). motion: true when the offset moved (redraw);
 * once the finger has travelled past the threshold widget_scroll_dragging is true. release:
 * true when the gesture was a drag, i.e. NOT a tap on what is under the finger (the offset
 * then settles on the nearest row). */
bool widget_scroll_press(struct widget_scroll *s, int x, int y);
bool widget_scroll_motion(struct widget_scroll *s, int x, int y);
bool widget_scroll_dragging(const struct widget_scroll *s);
bool widget_scroll_release(struct widget_scroll *s);

/* The "more above" / "more below" arrow buttons, ids "<prefix>.up" and "<prefix>.down",
 * each built only when there is content on its side. px is the glyph size. */
void widget_scroll_arrows(struct ui *ui, const struct theme *t, const struct widget_scroll *s,
                          const char *prefix, struct ui_rect up, struct ui_rect down, int px);
/* Handles a tap on one of those arrows: true when `id` was one (scrolled by a page). */
bool widget_scroll_action(struct widget_scroll *s, const char *prefix, const char *id);

#endif

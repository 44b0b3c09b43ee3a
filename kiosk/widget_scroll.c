/* A vertical list scroller: offset clamping, row placement, drag and page scrolling, and the
 * arrow buttons (see widget_scroll.h). UI thread only. */
#include "widget_scroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widget.h"

static void widget_scroll_clamp(struct widget_scroll *s)
{
    int max = widget_scroll_max(s);
    if (s->offset > max)
        s->offset = max;
    if (s->offset < 0)
        s->offset = 0;
}

void widget_scroll_frame(struct widget_scroll *s, struct ui_rect view, int content_h, int threshold,
                         int step)
{
    s->view = view;
    s->content_h = content_h < 0 ? 0 : content_h;
    s->threshold = threshold < 1 ? 1 : threshold;
    s->step = step < 0 ? 0 : step;
    widget_scroll_clamp(s);
}

int widget_scroll_max(const struct widget_scroll *s)
{
    int max = s->content_h - s->view.h;
    if (max <= 0)
        return 0;
    if (s->step > 0)
        max = (max + s->step - 1) / s->step * s->step;
    return max;
}

/* The nearest row boundary to the offset (with a step), clamped. */
static void widget_scroll_settle(struct widget_scroll *s)
{
    if (s->step > 0)
        s->offset = (s->offset + s->step / 2) / s->step * s->step;
    widget_scroll_clamp(s);
}

bool widget_scroll_place(const struct widget_scroll *s, int y, int h, struct ui_rect *out)
{
    *out = layout_rect(s->view.x, s->view.y + y - s->offset, s->view.w, h);
    return out->y >= s->view.y && out->y + h <= s->view.y + s->view.h;
}

bool widget_scroll_page(struct widget_scroll *s, int pages)
{
    int before = s->offset, page = s->view.h;
    if (s->step > 0) {
        int rows = s->view.h / s->step;
        page = (rows > 0 ? rows : 1) * s->step;
    }
    s->offset += pages * page;
    widget_scroll_settle(s);
    return s->offset != before;
}

bool widget_scroll_press(struct widget_scroll *s, int x, int y)
{
    s->down = false;
    s->dragging = false;
    if (widget_scroll_max(s) == 0 || !layout_contains(s->view, x, y))
        return false;
    s->down = true;
    s->start_y = y;
    s->start_offset = s->offset;
    return true;
}

bool widget_scroll_motion(struct widget_scroll *s, int x, int y)
{
    (void)x; /* vertical only: a sideways wobble neither scrolls nor cancels the tap */
    if (!s->down)
        return false;
    int dy = y - s->start_y;
    if (!s->dragging && abs(dy) <= s->threshold)
        return false;
    s->dragging = true;
    int before = s->offset;
    s->offset = s->start_offset - dy; /* the content follows the finger */
    widget_scroll_clamp(s);
    return s->offset != before;
}

bool widget_scroll_dragging(const struct widget_scroll *s)
{
    return s->down && s->dragging;
}

bool widget_scroll_release(struct widget_scroll *s)
{
    bool drag = s->down && s->dragging;
    s->down = false;
    s->dragging = false;
    if (drag)
        widget_scroll_settle(s);
    return drag;
}

void widget_scroll_arrows(struct ui *ui, const struct theme *t, const struct widget_scroll *s,
                          const char *prefix, struct ui_rect up, struct ui_rect down, int px)
{
    char id[WIDGET_ID_MAX];
    /* Triangles, not words: they read in both languages and say which way the rest lies. */
    if (s->offset > 0) {
        snprintf(id, sizeof id, "%s.up", prefix);
        widget_button(ui, t, id, up, "\xE2\x96\xB2", NULL, px, STYLE_OUTLINE);
    }
    if (s->offset < widget_scroll_max(s)) {
        snprintf(id, sizeof id, "%s.down", prefix);
        widget_button(ui, t, id, down, "\xE2\x96\xBC", NULL, px, STYLE_OUTLINE);
    }
}

bool widget_scroll_action(struct widget_scroll *s, const char *prefix, const char *id)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0)
        return false;
    if (strcmp(id + n, ".up") == 0) {
        widget_scroll_page(s, -1);
        return true;
    }
    if (strcmp(id + n, ".down") == 0) {
        widget_scroll_page(s, 1);
        return true;
    }
    return false;
}

/* Widget builders and drawing (see widget.h). */
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widget_signature.h"

static void widget_set_text(struct widget *w, const char *text, const char *sub)
{
    snprintf(w->text, sizeof w->text, "%s", text ? text : "");
    snprintf(w->sub, sizeof w->sub, "%s", sub ? sub : "");
}

struct widget *widget_panel(struct ui *ui, const struct theme *t, struct ui_rect r, struct rgba bg,
                            int radius)
{
    struct widget *w = ui_add(ui, WIDGET_PANEL, "", r);
    if (w) {
        w->bg = bg;
        w->radius = radius;
        w->border = t->border;
        w->enabled = false;
    }
    return w;
}

struct widget *widget_label(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                            int px, struct rgba fg, enum widget_align align)
{
    struct widget *w = ui_add(ui, WIDGET_LABEL, id, r);
    if (w) {
        widget_set_text(w, text, NULL);
        w->size = px;
        w->fg = fg;
        w->align = align;
        w->enabled = false;
    }
    return w;
}

struct widget *widget_para(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                           int px, struct rgba fg)
{
    struct widget *w = widget_label(ui, id, r, text, px, fg, ALIGN_LEFT);
    if (w)
        w->wrap = true;
    return w;
}

struct widget *widget_button(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                             const char *text, const char *sub, int px, enum widget_style style)
{
    struct widget *w = ui_add(ui, WIDGET_BUTTON, id, r);
    if (!w)
        return NULL;
    widget_set_text(w, text, sub);
    w->size = px;
    w->sub_size = px * 55 / 100;
    w->align = ALIGN_CENTRE;
    w->radius = r.h / 5 < px / 2 ? r.h / 5 : px / 2;
    switch (style) {
    case STYLE_PRIMARY:
        w->bg = t->primary;
        w->fg = t->primary_text;
        w->border = t->primary;
        break;
    case STYLE_SECONDARY:
        w->bg = t->secondary;
        w->fg = t->secondary_text;
        w->border = t->secondary;
        break;
    case STYLE_OUTLINE:
        w->bg = t->surface;
        w->fg = t->text;
        w->border = t->border;
        break;
    }
    return w;
}

struct widget *widget_toggle(struct ui *ui, const struct theme *t, const char *id, struct ui_rect r,
                             const char *text, int px)
{
    struct widget *w = ui_add(ui, WIDGET_TOGGLE, id, r);
    if (!w)
        return NULL;
    widget_set_text(w, text, NULL);
    w->size = px;
    w->align = ALIGN_CENTRE;
    w->radius = r.h / 2;
    w->bg = t->header;
    w->fg = t->header_text;
    w->border = t->header_text;
    return w;
}

struct widget *widget_chip(struct ui *ui, const char *id, struct ui_rect r, const char *text,
                           int px, struct rgba bg, struct rgba fg)
{
    struct widget *w = ui_add(ui, WIDGET_CHIP, id, r);
    if (!w)
        return NULL;
    widget_set_text(w, text, NULL);
    w->size = px;
    w->align = ALIGN_CENTRE;
    w->radius = r.h / 2;
    w->bg = bg;
    w->fg = fg;
    w->enabled = false;
    return w;
}

struct widget *widget_dot(struct ui *ui, struct ui_rect r, struct rgba c)
{
    struct widget *w = ui_add(ui, WIDGET_DOT, "", r);
    if (w) {
        w->bg = c;
        w->enabled = false;
    }
    return w;
}

int widget_keypad(struct ui *ui, const struct theme *t, struct ui_rect r, int cols, int gap, int px,
                  const char *const *keys, const char *const *labels, int n)
{
    int rows = (n + cols - 1) / cols;
    int added = 0;
    for (int i = 0; i < n; i++) {
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof id, "key.%s", keys[i]);
        struct widget *w = ui_add(ui, WIDGET_KEY, id, layout_cell(r, cols, rows, gap, i));
        if (!w)
            break;
        widget_set_text(w, labels[i], NULL);
        bool digit = strlen(keys[i]) == 1;
        /* Word keys (delete, clear) use a smaller face so they fit the same key. */
        w->size = digit ? px : px * 55 / 100;
        w->align = ALIGN_CENTRE;
        w->radius = px / 4;
        w->bg = digit ? t->key : t->surface_alt;
        w->fg = t->key_text;
        w->border = t->border;
        added++;
    }
    return added;
}

static struct rgba widget_darker(struct rgba c)
{
    return (struct rgba){(uint8_t)(c.r * 3 / 4), (uint8_t)(c.g * 3 / 4), (uint8_t)(c.b * 3 / 4),
                         c.a};
}

static struct rgba widget_faded(struct rgba c)
{
    return (struct rgba){c.r, c.g, c.b, (uint8_t)(c.a * 2 / 5)};
}

static int widget_align_flags(enum widget_align a)
{
    return a == ALIGN_CENTRE ? DRAW_TEXT_CENTRE : a == ALIGN_RIGHT ? DRAW_TEXT_RIGHT : 0;
}

static void widget_draw_tappable(const struct widget *w, struct draw *d, bool pressed)
{
    struct rgba bg = pressed ? widget_darker(w->bg) : w->bg;
    struct rgba fg = w->enabled ? w->fg : widget_faded(w->fg);
    if (!w->enabled)
        bg = widget_faded(bg);
    int bw = w->r.h / 30 > 1 ? w->r.h / 30 : 2;
    draw_rrect(d, w->r, w->radius, bg);
    if (w->border.a && (w->kind != WIDGET_BUTTON || w->border.r != w->bg.r ||
                        w->border.g != w->bg.g || w->border.b != w->bg.b))
        draw_rrect_outline(d, w->r, w->radius, bw,
                           w->enabled ? w->border : widget_faded(w->border));
    struct ui_rect inner = layout_inset(w->r, w->r.h / 10);
    if (w->sub[0]) {
        int gap = w->size / 6;
        int total = w->size * 13 / 10 + gap + w->sub_size * 13 / 10;
        struct ui_rect top = {inner.x, inner.y + (inner.h - total) / 2, inner.w, w->size * 13 / 10};
        struct ui_rect bot = {inner.x, top.y + top.h + gap, inner.w, w->sub_size * 13 / 10};
        draw_text(d, w->text, w->size, fg, top, DRAW_TEXT_CENTRE);
        struct rgba sub = fg;
        sub.a = (uint8_t)(sub.a * 4 / 5);
        draw_text(d, w->sub, w->sub_size, sub, bot, DRAW_TEXT_CENTRE);
    } else {
        draw_text(d, w->text, w->size, fg, inner, widget_align_flags(w->align));
    }
}

/* The pad: paper, a signing line with its cross, and the ink from the shared rasteriser. */
static void widget_draw_signature(const struct widget *w, struct draw *d)
{
    const struct widget_signature *s = w->data;
    draw_rrect(d, w->r, w->radius, w->bg);
    draw_rrect_outline(d, w->r, w->radius, w->r.h / 120 > 1 ? w->r.h / 120 : 2, w->border);
    int line_y = w->r.y + w->r.h * 3 / 4, m = w->r.w / 16;
    draw_rect(d, layout_rect(w->r.x + m, line_y, w->r.w - 2 * m, w->r.h / 150 + 1), w->border);
    int cs = w->r.h / 14;
    draw_text(d, "\xC3\x97", cs * 2, w->border,
              layout_rect(w->r.x + m, line_y - cs * 3, cs * 3, cs * 3), DRAW_TEXT_CENTRE);
    if (!s || s->npoints == 0)
        return;
    uint8_t *cov = malloc((size_t)s->w * (size_t)s->h);
    if (!cov)
        return;
    widget_signature_render(s, cov, widget_signature_pen(s->h));
    draw_mask(d, cov, s->w, s->h, w->r, w->fg);
    free(cov);
}

void widget_draw_all(const struct ui *ui, struct draw *d)
{
    const char *pressed = ui_pressed(ui);
    for (int i = 0; i < ui_count(ui); i++) {
        const struct widget *w = ui_get(ui, i);
        switch (w->kind) {
        case WIDGET_PANEL:
            draw_rrect(d, w->r, w->radius, w->bg);
            break;
        case WIDGET_LABEL:
            draw_text(d, w->text, w->size, w->fg, w->r,
                      widget_align_flags(w->align) | (w->wrap ? DRAW_TEXT_WRAP : 0));
            break;
        case WIDGET_CHIP: {
            draw_rrect(d, w->r, w->radius, w->bg);
            struct ui_rect in = w->r;
            in.x += w->r.h / 3;
            in.w -= 2 * (w->r.h / 3);
            draw_text(d, w->text, w->size, w->fg, in, DRAW_TEXT_CENTRE);
            break;
        }
        case WIDGET_SIGNATURE:
            widget_draw_signature(w, d);
            break;
        case WIDGET_DOT:
            draw_circle(d, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2,
                        (w->r.w < w->r.h ? w->r.w : w->r.h) / 2, w->bg);
            break;
        case WIDGET_BUTTON:
        case WIDGET_KEY:
        case WIDGET_TOGGLE:
            widget_draw_tappable(w, d, pressed[0] && strcmp(pressed, w->id) == 0);
            break;
        }
    }
}

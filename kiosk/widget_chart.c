/* Charts from panels and labels (see widget_chart.h). UI thread only. */
#include "widget_chart.h"

#include <stdio.h>

#include "widget.h"

/* widget_panel only reads the theme for its border colour, which panels do not draw. */
static const struct theme widget_chart_no_theme;

int widget_chart_scale(int64_t v, int64_t max, int h, int min_px)
{
    if (v <= 0 || max <= 0 || h <= 0)
        return 0;
    if (v >= max)
        return h;
    /* in 64 bits: a count times a screen height cannot overflow */
    int px = (int)((v * (int64_t)h + max / 2) / max);
    if (px < min_px)
        px = min_px < h ? min_px : h;
    return px;
}

int widget_chart_percent(int64_t num, int64_t den, char *out, size_t outsz)
{
    if (den <= 0 || num < 0)
        return -1;
    long long pct = (long long)((num * 100 + den / 2) / den);
    snprintf(out, outsz, "%lld%%", pct);
    return 0;
}

struct ui_rect widget_chart_slot(struct ui_rect r, int n, int i)
{
    if (n <= 0)
        return r;
    /* slot edges from the running total, so n slots fill r.w exactly without drift */
    int x0 = r.x + (int)((int64_t)r.w * i / n), x1 = r.x + (int)((int64_t)r.w * (i + 1) / n);
    return layout_rect(x0, r.y, x1 - x0, r.h);
}

int64_t widget_chart_columns(struct ui *ui, const char *id, struct ui_rect r, const int64_t *v,
                             int n, int hi, const struct widget_chart_style *s)
{
    if (n > WIDGET_CHART_MAX_COLUMNS)
        n = WIDGET_CHART_MAX_COLUMNS;
    int64_t max = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    int base_h = r.h / 40 > 2 ? r.h / 40 : 2;
    struct ui_rect plot = r;
    struct ui_rect base = layout_cut_bottom(&plot, base_h);
    widget_panel(ui, &widget_chart_no_theme, base, s->base, 0);
    for (int i = 0; i < n; i++) {
        struct ui_rect slot = widget_chart_slot(plot, n, i);
        int gap = slot.w / 3;
        int h = widget_chart_scale(v[i], max > 0 ? max : 1, plot.h, base_h * 2);
        if (h == 0)
            continue;
        char bid[WIDGET_ID_MAX];
        snprintf(bid, sizeof bid, "%s.%d", id, i);
        struct ui_rect bar = {slot.x + gap / 2, plot.y + plot.h - h, slot.w - gap, h};
        struct widget *w = ui_add(ui, WIDGET_PANEL, bid, bar);
        if (w) {
            w->bg = i == hi ? s->accent : s->bar;
            w->radius = bar.w / 6 < h / 2 ? bar.w / 6 : h / 2;
            w->enabled = false;
        }
    }
    return max;
}

void widget_chart_column_labels(struct ui *ui, struct ui_rect r, const char *const *labels, int n,
                                int hi, const struct widget_chart_style *s)
{
    for (int i = 0; i < n && i < WIDGET_CHART_MAX_COLUMNS; i++) {
        if (!labels[i] || !labels[i][0])
            continue;
        widget_label(ui, "", widget_chart_slot(r, n, i), labels[i], s->label_px,
                     i == hi ? s->text : s->muted, ALIGN_CENTRE);
    }
}

void widget_chart_funnel(struct ui *ui, struct ui_rect r, const struct widget_chart_step *steps,
                         int n, int name_w, int note_w, const struct widget_chart_style *s)
{
    if (n <= 0)
        return;
    int64_t max = 0;
    for (int i = 0; i < n; i++)
        if (steps[i].value > max)
            max = steps[i].value;
    int gap = r.h / (n * 10);
    int row_h = (r.h - gap * (n - 1)) / n;
    for (int i = 0; i < n; i++) {
        const struct widget_chart_step *st = &steps[i];
        struct ui_rect bar_row = {r.x, r.y + i * (row_h + gap), r.w, row_h};
        struct ui_rect name = layout_cut_left(&bar_row, name_w);
        struct ui_rect note = layout_cut_right(&bar_row, note_w);
        widget_label(ui, "", name, st->name ? st->name : "", s->label_px, s->text, ALIGN_LEFT);
        if (st->note)
            widget_label(ui, "", layout_inset(note, note.h / 10), st->note, s->label_px, s->muted,
                         ALIGN_LEFT);
        int w = widget_chart_scale(st->value, max, bar_row.w, bar_row.w / 3);
        if (w < bar_row.w / 3)
            w = bar_row.w / 3; /* a zero still gets a bar: its "0" must be readable */
        struct ui_rect bar = {bar_row.x, bar_row.y, w, bar_row.h};
        /* an empty step is a pale bar with a dark "0": there is nothing to fill */
        widget_panel(ui, &widget_chart_no_theme, bar, st->value > 0 ? s->bar : s->base, bar.h / 5);
        char count[32];
        snprintf(count, sizeof count, "%lld", (long long)st->value);
        struct ui_rect in = layout_inset(bar, bar.h / 8);
        in.x += bar.h / 5;
        in.w -= bar.h / 5;
        widget_label(ui, st->id ? st->id : "", in, count, s->px,
                     st->value > 0 ? s->inside : s->text, ALIGN_LEFT);
    }
}

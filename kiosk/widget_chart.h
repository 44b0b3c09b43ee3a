/* Charts for the board's figures: columns (a bar per day on a baseline, with their labels),
 * a funnel (a bar per step, width by value, count inside, a note beside) and percentages.
 * Built from the widget kinds every screen uses (panels and labels), so a chart is part of
 * the widget list like any other: pure, tested without a screen, drawn by widget_draw_all,
 * moved by the burn-in shift. UI thread only. */
#ifndef SHOWFLOOR_WIDGET_CHART_H
#define SHOWFLOOR_WIDGET_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "theme.h"
#include "ui.h"

#define WIDGET_CHART_MAX_COLUMNS 64

struct widget_chart_style {
    struct rgba bar;    /* bars */
    struct rgba accent; /* the highlighted column (today) */
    struct rgba base;   /* the baseline under the columns */
    struct rgba text;   /* counts */
    struct rgba inside; /* counts drawn on a bar */
    struct rgba muted;  /* labels and notes */
    int px;             /* text size of counts, pixels */
    int label_px;       /* text size of labels and notes */
};

/* Pixels of a bar for value v when `max` fills h: 0 for v <= 0 (or max <= 0), h at max,
 * proportional between, and at least min_px for any positive value so a small count never
 * looks like none. Pure. */
int widget_chart_scale(int64_t v, int64_t max, int h, int min_px);

/* "42%" of num / den, rounded half up, into out. 0, or -1 when den <= 0 (the caller shows
 * a dash: no basis, no percentage) or num < 0. */
int widget_chart_percent(int64_t num, int64_t den, char *out, size_t outsz);

/* The slot of column i of n across r (full height of r): columns share r's width, a third of
 * each slot is the gap. Labels and bars use the same slots, so they line up. */
struct ui_rect widget_chart_slot(struct ui_rect r, int n, int i);

/* n (<= WIDGET_CHART_MAX_COLUMNS) values as columns standing on a baseline at r's bottom,
 * scaled to the largest (at least 1); column `hi` (-1: none) in the accent colour. Each bar
 * is a panel with id "<id>.<i>" (zero values: none, the baseline shows the zero). Returns
 * the largest value. */
int64_t widget_chart_columns(struct ui *ui, const char *id, struct ui_rect r, const int64_t *v,
                             int n, int hi, const struct widget_chart_style *s);

/* labels[i] centred in the slot of column i of n across r (NULL or "" skips one); label
 * `hi` in the text colour, the others muted. */
void widget_chart_column_labels(struct ui *ui, struct ui_rect r, const char *const *labels, int n,
                                int hi, const struct widget_chart_style *s);

/* One step of a funnel: the count label's id, the step's name and value, and a note shown
 * right of the bar (e.g. "42% of visits"; NULL: none). */
struct widget_chart_step {
    const char *id;
    const char *name;
    int64_t value;
    const char *note;
};

/* n steps as rows of r: the name in the first name_w pixels, the note in the last note_w,
 * between them a bar whose width follows value / largest value, never narrower than a
 * third of the space (the count inside must fit), with the count inside it. */
void widget_chart_funnel(struct ui *ui, struct ui_rect r, const struct widget_chart_step *steps,
                         int n, int name_w, int note_w, const struct widget_chart_style *s);

#endif

/* The report's charts as inline SVG, drawn by hand: horizontal bars, the trend (bars with
 * lines, axes, a grid and a legend) and the visits -> deliveries funnel. Every chart has a
 * fixed viewBox width and scales to the column it sits in; the text inherits the page's CJK
 * font, and label widths are estimated (CJK 1 em, Latin ~0.6 em) to keep labels clear of
 * each other without a layout engine. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "report.h"

#define SVG_W         700
#define FONT_PX       12
#define C_INK         "#1d2733"
#define C_MUTED       "#5b6b7b"
#define C_GRID        "#e4e9ef"
#define C_AXIS        "#9aa8b6"
#define C_VISITS      "#b9d0ea"
#define C_LEADS       "#6d9bd1"
#define C_ORDERS      "#1f4e8c"
#define C_DELIVERIES  "#2a9d8f"
#define C_BAR         "#1f4e8c"
#define C_PERIOD      "#fdf1dc" /* the period inside a longer trend */
#define C_PERIOD_KEY  "#f6d9a6"
#define DAY_MS        86400000LL
#define MAX_LABEL_LEN 256

/* Width in px of UTF-8 text at `px`: CJK and other wide characters 1 em, ASCII 0.6 em. */
static double text_width(const char *s, double px)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w += 0.6 * px;
        else if ((*p & 0xC0) != 0x80)
            w += px; /* a lead byte: one wide character */
    }
    return w;
}

/* Copies s into out, cut at a character boundary with "…" so it fits max_px. */
static void fit_text(const char *s, double px, double max_px, char out[MAX_LABEL_LEN])
{
    if (text_width(s, px) <= max_px) {
        snprintf(out, MAX_LABEL_LEN, "%s", s);
        return;
    }
    double w = px; /* room for the ellipsis */
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        /* One character: its lead byte and the continuation bytes actually there (never
         * past the terminator, even in a malformed sequence). */
        size_t len = 1;
        while (*p >= 0x80 && len < 4 && (p[len] & 0xC0) == 0x80)
            len++;
        double cw = *p < 0x80 ? 0.6 * px : px;
        if (w + cw > max_px || o + len + 4 > MAX_LABEL_LEN)
            break;
        memcpy(out + o, p, len);
        o += len;
        w += cw;
        p += len;
    }
    memcpy(out + o, "\xe2\x80\xa6", 4); /* U+2026 and the terminator */
}

static void text(FILE *f, double x, double y, const char *anchor, const char *attrs, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
            attrs ? " " : "", attrs ? attrs : "");
    report_escape(f, s);
    fputs("</text>", f);
}

static void svg_open(FILE *f, int w, int h, const char *label)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
            "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            w, h, w, h);
    report_escape(f, label);
    fprintf(f, "\" font-size=\"%d\" fill=\"%s\"><title>", FONT_PX, C_INK);
    report_escape(f, label);
    fputs("</title>", f);
}

/* A "nice" axis: step of 1, 2 or 5 times a power of ten giving at most 5 intervals. */
static void nice_axis(int64_t max, int64_t *top, int64_t *step)
{
    int64_t s = 1;
    while (s * 5 < max) {
        if (s * 2 * 5 >= max) {
            s *= 2;
            break;
        }
        if (s * 5 * 5 >= max) {
            s *= 5;
            break;
        }
        s *= 10;
    }
    *step = s;
    *top = max <= 0 ? 4 * s : ((max + s - 1) / s) * s;
}

void report_svg_bars(FILE *f, int width, const char *title, const struct report_bar *bars, size_t n)
{
    const double row = 24, label_w = width * 0.3 < 130 ? width * 0.3 : 130;
    const double value_w = width * 0.2, x0 = label_w + 8;
    const double bar_max = width - x0 - value_w;
    int h = (int)(row * (double)(n ? n : 1) + 8);
    svg_open(f, width, h, title);
    int64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    for (size_t i = 0; i < n; i++) {
        double y = 4 + row * (double)i;
        char label[MAX_LABEL_LEN];
        fit_text(bars[i].label, FONT_PX, label_w - 4, label);
        text(f, label_w, y + row / 2 + 4, "end", NULL, label);
        double w = max > 0 ? bar_max * (double)bars[i].value / (double)max : 0;
        if (bars[i].value > 0 && w < 2)
            w = 2; /* a non-zero figure stays visible */
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" "
                "fill=\"%s\"/>",
                x0, y + 4, w, row - 8, C_BAR);
        text(f, x0 + w + 6, y + row / 2 + 4, "start", "class=\"num\"", bars[i].value_text);
    }
    if (n == 0)
        text(f, width / 2.0, row / 2 + 8, "middle", "fill=\"" C_MUTED "\"", "无数据 No data");
    fputs("</svg>\n", f);
}

/* ---- trend ---- */

struct plot {
    double x0, y0, w, h; /* plot area: left, top, width, height */
    int64_t top;         /* value at the top of the axis */
    size_t n;            /* buckets */
};

static double plot_x(const struct plot *p, size_t i) /* centre of bucket i */
{
    return p->x0 + p->w * ((double)i + 0.5) / (double)p->n;
}

static double plot_y(const struct plot *p, int64_t v)
{
    return p->y0 + p->h - p->h * (double)v / (double)p->top;
}

static void bucket_label(const struct report *r, size_t i, char out[16])
{
    int64_t day = (r->trend[i].start + (int64_t)r->utc_offset_min * 60000) / DAY_MS;
    if (i == 0 && r->trend_unit != STORE_BUCKET_DAY)
        day = r->trend_from_day; /* the first week is clipped to the period */
    int y, m, d;
    report_civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%02d-%02d", m, d);
}

static void axes(FILE *f, const struct plot *p, int64_t step, const struct report *r)
{
    for (int64_t v = 0; v <= p->top; v += step) {
        double y = plot_y(p, v);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", p->x0,
                y, p->x0 + p->w, y, v == 0 ? C_AXIS : C_GRID);
        char num[REPORT_NUM_LEN];
        report_fmt_int(v, num);
        text(f, p->x0 - 6, y + 4, "end", "class=\"num\" fill=\"" C_MUTED "\"", num);
    }
    /* Labels at most every ~46 px, always including the last bucket (the report's end). */
    size_t every = (size_t)(46.0 * (double)p->n / p->w) + 1;
    for (size_t i = 0; i < p->n; i++) {
        size_t from_end = p->n - 1 - i;
        if (from_end % every != 0)
            continue;
        char label[16];
        bucket_label(r, i, label);
        double x = plot_x(p, i);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x,
                p->y0 + p->h, x, p->y0 + p->h + 4, C_AXIS);
        text(f, x, p->y0 + p->h + 17, "middle", "class=\"num\" fill=\"" C_MUTED "\"", label);
    }
}

static void legend(FILE *f, double x, double y, const char *colour, int line, const char *label)
{
    if (line)
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"2.5\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                x, y - 4, x + 18, y - 4, colour, x + 9, y - 4, colour);
    else
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"10\" fill=\"%s\"/>", x, y - 9,
                colour);
    text(f, x + 24, y, "start", NULL, label);
}

static void series_line(FILE *f, const struct plot *p, const struct report *r, size_t field,
                        const char *colour)
{
    fprintf(f,
            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
            "stroke-linejoin=\"round\" points=\"",
            colour);
    for (size_t i = 0; i < p->n; i++) {
        int64_t v = *(const int64_t *)((const char *)&r->trend[i] + field);
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", plot_x(p, i), plot_y(p, v));
    }
    fputs("\"/>", f);
    if (p->w / (double)p->n >= 8) /* dots only while they do not merge into a band */
        for (size_t i = 0; i < p->n; i++) {
            int64_t v = *(const int64_t *)((const char *)&r->trend[i] + field);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", plot_x(p, i),
                    plot_y(p, v), colour);
        }
}

void report_svg_trend(FILE *f, const struct report *r)
{
    const int h = 270;
    struct plot p = {.x0 = 48, .y0 = 34, .w = SVG_W - 48 - 12, .h = h - 34 - 30, .n = r->n_trend};
    int64_t max = 0;
    for (size_t i = 0; i < r->n_trend; i++) {
        const struct store_bucket *b = &r->trend[i];
        int64_t m = b->visits > b->leads ? b->visits : b->leads;
        if (b->orders > m)
            m = b->orders;
        if (b->deliveries > m)
            m = b->deliveries;
        if (m > max)
            max = m;
    }
    int64_t step;
    nice_axis(max, &p.top, &step);
    svg_open(f, SVG_W, h, "趋势 Trend");
    legend(f, p.x0, 14, C_VISITS, 0, "到店 Visits");
    legend(f, p.x0 + 120, 14, C_LEADS, 1, "线索 Leads");
    legend(f, p.x0 + 240, 14, C_ORDERS, 1, "订单 Orders");
    legend(f, p.x0 + 360, 14, C_DELIVERIES, 1, "交车 Deliveries");
    if (p.n == 0) {
        fputs("</svg>\n", f);
        return;
    }
    /* A daily report's trend starts before its period: shade the period's own days. */
    if (r->trend_unit == STORE_BUCKET_DAY && r->from_day > r->trend_from_day) {
        double x = p.x0 + p.w * (double)(r->from_day - r->trend_from_day) / (double)p.n;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x,
                p.y0, p.x0 + p.w - x, p.h, C_PERIOD);
        legend(f, p.x0 + p.w - 84, 14, C_PERIOD_KEY, 0, "本期 Period");
    }
    axes(f, &p, step, r);
    double slot = p.w / (double)p.n, bw = slot * 0.7;
    for (size_t i = 0; i < p.n; i++) {
        double y = plot_y(&p, r->trend[i].visits);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                plot_x(&p, i) - bw / 2, y, bw, p.y0 + p.h - y, C_VISITS);
    }
    series_line(f, &p, r, offsetof(struct store_bucket, leads), C_LEADS);
    series_line(f, &p, r, offsetof(struct store_bucket, orders), C_ORDERS);
    series_line(f, &p, r, offsetof(struct store_bucket, deliveries), C_DELIVERIES);
    fputs("</svg>\n", f);
}

/* ---- funnel ---- */

void report_svg_funnel(FILE *f, const struct store_kpi *k)
{
    static const char *const zh[] = {"到店", "线索", "订单", "交车"};
    static const char *const en[] = {"Visits", "Leads", "Orders", "Deliveries"};
    static const char *const fill[] = {C_VISITS, C_LEADS, C_ORDERS, C_DELIVERIES};
    static const char *const ink[] = {C_INK, "#ffffff", "#ffffff", "#ffffff"};
    int64_t v[4] = {k->visits, k->leads, k->orders, k->deliveries};
    const double row = 44, gap = 10, label_w = 96, fx = label_w + 8, fw = 380;
    const double cx = fx + fw / 2;
    int h = (int)(4 * row + 3 * gap + 8);
    svg_open(f, SVG_W, h, "漏斗 Funnel");
    int64_t max = 1;
    for (int i = 0; i < 4; i++)
        if (v[i] > max)
            max = v[i];
    double w[4];
    for (int i = 0; i < 4; i++)
        w[i] = 70 + (fw - 70) * (double)v[i] / (double)max; /* room for the count */
    for (int i = 0; i < 4; i++) {
        double y = 4 + (row + gap) * i;
        if (i > 0) /* the neck between two steps shows the narrowing (or widening) */
            fprintf(f,
                    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                    "fill=\"%s\"/>",
                    cx - w[i - 1] / 2, y - gap, cx + w[i - 1] / 2, y - gap, cx + w[i] / 2, y,
                    cx - w[i] / 2, y, C_GRID);
        if (v[i] > 0)
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
                    "fill=\"%s\"/>",
                    cx - w[i] / 2, y, w[i], row, fill[i]);
        else /* an empty step is an outline, not a bar that looks like a count */
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
                    "fill=\"#ffffff\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>",
                    cx - w[i] / 2, y, w[i], row, C_AXIS);
        text(f, label_w, y + 19, "end", "font-weight=\"600\"", zh[i]);
        text(f, label_w, y + 35, "end", "fill=\"" C_MUTED "\" font-size=\"11\"", en[i]);
        char num[REPORT_NUM_LEN], attrs[96];
        report_fmt_int(v[i], num);
        snprintf(attrs, sizeof attrs,
                 "class=\"num\" font-size=\"17\" font-weight=\"700\" "
                 "fill=\"%s\"",
                 ink[i]);
        text(f, cx, y + row / 2 + 6, "middle", v[i] > 0 ? attrs : "class=\"num\" font-size=\"17\"",
             num);
        if (i > 0) {
            char pct[REPORT_NUM_LEN], basis[160], line[200];
            report_fmt_pct(v[i], v[i - 1], pct);
            snprintf(line, sizeof line, "%s%s %s/%s", pct, v[i - 1] ? "%" : "", zh[i], zh[i - 1]);
            snprintf(basis, sizeof basis, "%s ÷ %s = %" PRId64 " / %" PRId64, en[i], en[i - 1],
                     v[i], v[i - 1]);
            text(f, fx + fw + 16, y + 19, "start", "font-weight=\"600\" class=\"num\"", line);
            text(f, fx + fw + 16, y + 35, "start", "fill=\"" C_MUTED "\" font-size=\"11\"", basis);
        }
    }
    fputs("</svg>\n", f);
}

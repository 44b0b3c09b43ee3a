/* `showfloor report`: the figures of one period (hub/store_analytics.h) gathered into one
 * plain struct, and the writers that turn it into a self-contained HTML document with SVG
 * charts or a spreadsheet-ready CSV. Collecting and writing are apart so both formats show
 * exactly the same numbers, read in one consistent store transaction. */
#ifndef SHOWFLOOR_REPORT_H
#define SHOWFLOOR_REPORT_H

#include <stdio.h>

#include "cli.h"
#include "store_analytics.h"

#define REPORT_MAX_DAYS   400 /* longest period a report covers */
#define REPORT_TREND_DAYS 14  /* a daily report's trend: the day and the 14 days before it */
/* Trends longer than this are drawn by week, so a bar stays wide enough to read. */
#define REPORT_TREND_MAX_DAY_BUCKETS 92

enum report_unit { REPORT_DAILY, REPORT_WEEKLY, REPORT_MONTHLY, REPORT_UNIT__COUNT };
const char *report_unit_name(enum report_unit u); /* "daily" */
int report_unit_from_name(const char *name);      /* -1 if unknown */

/* The breakdowns of orders a report shows, in order (store_analytics_orders_by). */
enum report_dim {
    REPORT_BY_SITE,
    REPORT_BY_REGION,
    REPORT_BY_MODEL,
    REPORT_BY_CONSULTANT,
    REPORT_BY_CHANNEL,
    REPORT_BY__COUNT
};

/* A growable list of plain rows; `v` is owned by the report. */
#define REPORT_LIST(type) \
    struct {              \
        type *v;          \
        size_t n, cap;    \
    }

struct report {
    /* what was asked */
    enum report_unit unit;
    int64_t site_id;                     /* 0: every site */
    char site_code[PROTO_MAX_SHORT + 1]; /* "" for every site */
    char site_name[PROTO_MAX_NAME + 1];  /* the site's name, or the first site's for all */
    int n_sites;
    int utc_offset_min;       /* local time of the days and buckets */
    int64_t from_day, to_day; /* local day numbers (days since 1970-01-01), inclusive */
    int64_t from, to;         /* UTC ms, [from, to) */
    int64_t generated_at;     /* UTC ms */
    /* what the store answered */
    struct store_kpi kpi;
    enum store_bucket_unit trend_unit;
    int64_t trend_from_day; /* first local day of the trend (before from_day for daily) */
    struct store_bucket trend[STORE_ANALYTICS_MAX_BUCKETS];
    size_t n_trend;
    REPORT_LIST(struct store_breakdown) by[REPORT_BY__COUNT];
    REPORT_LIST(struct store_lead_quality) channels;
    REPORT_LIST(struct store_assessment) consultants;
    REPORT_LIST(struct store_assessment) supervisors;
};

/* ---- the period (report_period.c) ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t report_days_from_civil(int y, int m, int d);
void report_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Parses a strict "YYYY-MM-DD" (a real calendar date, years 1970..9999) into a day number;
 * -1 if it is not one. */
int report_parse_day(const char *text, int64_t *day);
/* "YYYY-MM-DD" of a day number; out holds STORE_DAY_LEN + 1 bytes. */
void report_format_day(int64_t day, char out[STORE_DAY_LEN + 1]);
/* The default period of a unit for the local day `today`: daily = yesterday, weekly = the
 * last full Monday..Sunday week, monthly = the last full calendar month. */
void report_default_period(enum report_unit u, int64_t today, int64_t *from_day, int64_t *to_day);
/* UTC ms of the local midnight that starts `day`. */
int64_t report_day_start_ms(int64_t day, int utc_offset_min);

/* ---- gathering (report_data.c) ---- */

/* Fills r's store part from the store for the period already set in r (unit, site_id,
 * utc_offset_min, from_day, to_day, from, to), in one read transaction. 0, or -1 with *err.
 * report_free releases the lists in either case. */
int report_collect(struct store *s, struct report *r, struct proto_error *err);
void report_free(struct report *r);

/* ---- text helpers shared by the writers (report_format.c) ---- */

#define REPORT_NUM_LEN 48
/* What a figure divided by zero shows, in both formats: there is no such figure. */
#define REPORT_NONE "\xe2\x80\x94" /* U+2014 EM DASH */
/* Yuan with two decimals from fen; grouped adds thousands separators ("1,234.50"). */
void report_fmt_yuan(int64_t fen, bool grouped, char out[REPORT_NUM_LEN]);
/* An integer with thousands separators. */
void report_fmt_int(int64_t v, char out[REPORT_NUM_LEN]);
/* 100 * num / den with one decimal ("12.5"); REPORT_NONE when den is 0. */
void report_fmt_pct(int64_t num, int64_t den, char out[REPORT_NUM_LEN]);
/* sum / n of a duration in ms, in `unit_ms` (hours: 3600000) with one decimal; REPORT_NONE
 * when n is 0. */
void report_fmt_avg(int64_t sum, int64_t n, int64_t unit_ms, char out[REPORT_NUM_LEN]);
/* sum / n with `decimals` decimals (ratings); REPORT_NONE when n is 0. */
void report_fmt_ratio(int64_t sum, int64_t n, int decimals, char out[REPORT_NUM_LEN]);
/* Writes text with & < > " ' as entities (HTML and SVG alike). */
void report_escape(FILE *f, const char *text);
/* Zh/en label of a lead channel code; the code itself when unknown, "未知" for "". */
const char *report_channel_zh(const char *code);

/* "site name (CODE)", or "全部门店 All sites (N)" (with the name when there is one). */
void report_scope(const struct report *r, char *out, size_t len);
/* The text a breakdown row is known by: its label, the zh name of an order channel, or
 * "未知 Unknown" / "无顾问 None" for the row of records without one. */
#define REPORT_LABEL_LEN (PROTO_MAX_NAME + 16)
void report_breakdown_label(enum report_dim dim, const struct store_breakdown *b,
                            char out[REPORT_LABEL_LEN]);
/* Zh label of an order channel (consultant, online, phone, showroom); the code otherwise. */
const char *report_order_channel_zh(const char *code);

/* ---- writers ---- */

/* Both return 0, or -1 when writing failed (errno set). */
int report_html_write(FILE *f, const struct report *r);
int report_csv_write(FILE *f, const struct report *r);

/* The HTML writer's parts (report_html.c, report_html_tables.c). */
void report_html_breakdowns(FILE *f, const struct report *r); /* orders by site, region... */
void report_html_channels(FILE *f, const struct report *r);   /* leads by channel */
void report_html_assessment(FILE *f, const struct report *r); /* consultants, supervisors */

/* ---- SVG charts (report_svg.c): inline <svg> elements, sized by viewBox ---- */

struct report_bar {
    const char *label; /* borrowed */
    int64_t value;
    const char *value_text; /* what to print at the bar's end; borrowed */
};
/* Horizontal bars, one per row, longest = the largest value; `width` is the viewBox width
 * (the px width it is drawn at, so text keeps its size). */
void report_svg_bars(FILE *f, int width, const char *title, const struct report_bar *bars,
                     size_t n);
/* The trend: bars of orders per bucket with lines of visits and deliveries, axes, a grid,
 * bucket labels (thinned to stay legible) and a legend. */
void report_svg_trend(FILE *f, const struct report *r);
/* Visits -> leads -> orders -> deliveries as stacked trapezoids with counts, and each step's
 * ratio to the one before it. */
void report_svg_funnel(FILE *f, const struct store_kpi *k);

/* `showfloor report daily|weekly|monthly [--site C] [--from D --to D] [--format csv|html]
 * [--out FILE]` (cmd_report.c). */
int cmd_report(struct cli *c, int argc, char **argv);

#endif

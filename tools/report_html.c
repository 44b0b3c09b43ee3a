/* The HTML report: one self-contained UTF-8 file (inline CSS and SVG, no script, no external
 * resource) that reads on screen as A4 sheets and prints one section per page. Labels are
 * Chinese first with the English beneath (tools/README.md "Reports"). This file writes the
 * document, its header, the KPI tiles, the funnel and the trend; report_html_tables.c the
 * tables. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define DAY_MS  86400000LL
#define HOUR_MS 3600000LL

static const char css[] =
    "@page{size:A4;margin:12mm}"
    "*{box-sizing:border-box}"
    "html{background:#e8ecf0}"
    "body{margin:0;color:#1d2733;font:13px/1.45 \"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"WenQuanYi Micro Hei\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}"
    ".sheet{width:210mm;min-height:120mm;margin:8mm auto;padding:12mm;background:#fff;"
    "box-shadow:0 1px 4px rgba(0,0,0,.18)}"
    ".num{font-variant-numeric:tabular-nums}"
    ".en{display:block;font-size:10px;font-weight:400;color:#5b6b7b;letter-spacing:.01em}"
    "header.top{display:flex;justify-content:space-between;align-items:flex-end;"
    "border-bottom:3px solid #1f4e8c;padding-bottom:6px;margin-bottom:12px}"
    "h1{font-size:22px;margin:0;line-height:1.25}"
    "h1 .en{font-size:12px}"
    ".scope{font-size:15px;font-weight:600;margin-top:4px}"
    "dl.meta{margin:0;display:grid;grid-template-columns:auto auto;column-gap:10px;"
    "font-size:12px;text-align:right}"
    "dl.meta dt{color:#5b6b7b}dl.meta dd{margin:0;font-weight:600}"
    "h2{font-size:16px;margin:16px 0 8px;padding-left:8px;border-left:4px solid #1f4e8c;"
    "line-height:1.2}"
    "h2 .en,h3 .en{display:inline;margin-left:8px;font-size:11px}"
    "h3{font-size:13.5px;margin:14px 0 6px}"
    ".tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:6px}"
    ".tile{border:1px solid #d5dde6;border-radius:4px;padding:6px 8px 5px;break-inside:avoid}"
    ".tile .k{font-size:11.5px;font-weight:600;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}"
    ".tile .k .en{display:inline;margin-left:4px}"
    ".tile .v{font-size:21px;font-weight:700;line-height:1.3;color:#1f4e8c}"
    ".tile .v.long{font-size:16px;line-height:1.7}"
    ".tile .v small{font-size:12px;font-weight:600;margin-left:2px;color:#1d2733}"
    ".tile .b{font-size:10.5px;color:#5b6b7b;line-height:1.35}"
    "figure{margin:0;break-inside:avoid}"
    ".block{break-inside:avoid}h2,h3{break-after:avoid}"
    "svg.chart{display:block;width:100%;height:auto}"
    ".pair{display:grid;grid-template-columns:40% 1fr;gap:12px;align-items:start;"
    "break-inside:avoid}"
    "table{width:100%;border-collapse:collapse;font-size:11.5px}"
    "th{text-align:left;font-weight:600;vertical-align:bottom;border-bottom:1.5px solid #1d2733;"
    "padding:3px 5px}"
    "th .en{font-size:9.5px}"
    "td{padding:3px 5px;border-bottom:1px solid #e4e9ef;vertical-align:top}"
    "th.r,td.r{text-align:right}"
    "td.r{font-variant-numeric:tabular-nums;white-space:nowrap}"
    "td .sub{display:block;font-size:9.5px;color:#5b6b7b}"
    "tr.total td{font-weight:700;border-top:1.5px solid #1d2733;border-bottom:none}"
    "tbody tr:nth-child(even) td{background:#f6f8fa}"
    "thead{display:table-header-group}"
    "tr{break-inside:avoid}"
    ".note{font-size:10.5px;color:#5b6b7b;margin:6px 0 0}"
    ".empty{color:#5b6b7b;font-style:italic;padding:6px 0}"
    "@media print{html{background:#fff}"
    ".sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none;break-after:page}"
    ".sheet:last-child{break-after:auto}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static const char *const unit_zh[REPORT_UNIT__COUNT] = {"销售日报", "销售周报", "销售月报"};
static const char *const unit_en[REPORT_UNIT__COUNT] = {"Daily sales report", "Weekly sales report",
                                                        "Monthly sales report"};

/* "2026-06-03 09:12 UTC+8" in the report's local time. */
static void fmt_local_time(int64_t at, int offset_min, char out[64])
{
    time_t t = (time_t)((at + (int64_t)offset_min * 60000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    if (strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm) == 0)
        when[0] = '\0';
    int a = offset_min < 0 ? -offset_min : offset_min;
    if (a % 60)
        snprintf(out, 64, "%s UTC%c%d:%02d", when, offset_min < 0 ? '-' : '+', a / 60, a % 60);
    else
        snprintf(out, 64, "%s UTC%c%d", when, offset_min < 0 ? '-' : '+', a / 60);
}

static void header(FILE *f, const struct report *r)
{
    char from[STORE_DAY_LEN + 1], to[STORE_DAY_LEN + 1], gen[64], scope[PROTO_MAX_NAME + 64];
    report_format_day(r->from_day, from);
    report_format_day(r->to_day, to);
    fmt_local_time(r->generated_at, r->utc_offset_min, gen);
    report_scope(r, scope, sizeof scope);
    fprintf(f,
            "<header class=\"top\"><div><h1>%s<span class=\"en\">%s</span></h1>"
            "<div class=\"scope\">",
            unit_zh[r->unit], unit_en[r->unit]);
    report_escape(f, scope);
    fputs("</div></div><dl class=\"meta\"><dt>期间 Period</dt><dd class=\"num\">", f);
    if (r->from_day == r->to_day)
        fprintf(f, "%s", from);
    else
        fprintf(f, "%s – %s", from, to);
    fprintf(f,
            " (%" PRId64 " 天 days)</dd><dt>生成 Generated</dt><dd class=\"num\">%s</dd>"
            "</dl></header>\n",
            r->to_day - r->from_day + 1, gen);
}

/* One KPI tile: label (zh, en), value with an optional unit, and the line under it. Long
 * figures (the sales of a large group) get a smaller size so they stay inside the tile. */
static void tile(FILE *f, const char *zh, const char *en, const char *value, const char *unit,
                 const char *basis)
{
    fprintf(f,
            "<div class=\"tile\"><div class=\"k\">%s<span class=\"en\">%s</span></div>"
            "<div class=\"v num%s\">",
            zh, en, strlen(value) > 13 ? " long" : "");
    report_escape(f, value);
    if (unit && strcmp(value, REPORT_NONE) != 0)
        fprintf(f, "<small>%s</small>", unit);
    fputs("</div><div class=\"b num\">", f);
    report_escape(f, basis);
    fputs("</div></div>\n", f);
}

/* A percentage tile whose line says what was divided by what. */
static void pct_tile(FILE *f, const char *zh, const char *en, int64_t num, int64_t den,
                     const char *num_name, const char *den_name)
{
    char pct[REPORT_NUM_LEN], basis[160];
    report_fmt_pct(num, den, pct);
    snprintf(basis, sizeof basis, "%s ÷ %s = %" PRId64 " / %" PRId64, num_name, den_name, num, den);
    tile(f, zh, en, pct, "%", basis);
}

static void kpi_tiles(FILE *f, const struct store_kpi *k)
{
    char a[REPORT_NUM_LEN], b[REPORT_NUM_LEN], line[160];
    fputs("<h2>核心指标<span class=\"en\">Key figures</span></h2><div class=\"tiles\">\n", f);
    report_fmt_int(k->visits, a);
    snprintf(line, sizeof line, "首次到店 first visits %" PRId64, k->visits_first);
    tile(f, "到店", "Visits", a, NULL, line);
    report_fmt_int(k->leads, a);
    snprintf(line, sizeof line, "有效 valid %" PRId64, k->leads_valid);
    tile(f, "新增线索", "Leads", a, NULL, line);
    report_fmt_int(k->orders, a);
    snprintf(line, sizeof line, "其中已取消 cancelled %" PRId64, k->orders_cancelled);
    tile(f, "订单", "Orders", a, NULL, line);
    report_fmt_int(k->deliveries, a);
    snprintf(line, sizeof line, "退回修改 sent back %" PRId64, k->returns);
    tile(f, "交车", "Deliveries", a, NULL, line);

    report_fmt_yuan(k->sales_fen, true, a);
    tile(f, "销售额 (元)", "Sales, yuan", a, NULL, "不含取消订单 excl. cancelled");
    pct_tile(f, "线索转化率", "Conversion", k->leads_converted, k->leads, "converted", "leads");
    pct_tile(f, "线索跟进率", "Follow-up", k->leads_followed, k->leads, "followed", "leads");
    /* Deliveries of the period include orders entered before it, so "÷ orders" could pass
     * 100%; the ended orders (delivered or cancelled) are the base. */
    pct_tile(f, "交车成功率", "Success rate", k->deliveries, k->deliveries + k->orders_cancelled,
             "delivered", "(delivered + cancelled)");

    report_fmt_avg(k->cycle_sum_ms, k->cycle_n, DAY_MS, a);
    snprintf(line, sizeof line, "received → delivered, n = %" PRId64, k->cycle_n);
    tile(f, "平均订单周期", "Avg cycle", a, "天", line);
    report_fmt_avg(k->cycle_max_ms, k->cycle_n ? 1 : 0, DAY_MS, a);
    tile(f, "最长订单周期", "Longest cycle", a, "天", "本期交车 delivered in period");
    report_fmt_avg(k->review_sum_ms, k->review_n, HOUR_MS, a);
    report_fmt_avg(k->review_max_ms, k->review_n ? 1 : 0, HOUR_MS, b);
    snprintf(line, sizeof line, "最长 longest %s h, n = %" PRId64, b, k->review_n);
    tile(f, "平均审核时长", "Avg review", a, "小时", line);
    report_fmt_int(k->sla_breaches, a);
    tile(f, "超时", "Limits missed", a, NULL, "订单时限 order time limits");

    report_fmt_ratio(k->rating_sum, k->rating_n, 2, a);
    snprintf(line, sizeof line, "满分 5 分 of 5, n = %" PRId64, k->rating_n);
    tile(f, "满意度", "Satisfaction", a, "/ 5", line);
    report_fmt_int(k->complaints, a);
    snprintf(line, sizeof line, "已结案 closed %" PRId64, k->complaints_closed);
    tile(f, "投诉", "Complaints", a, NULL, line);
    pct_tile(f, "首次到店占比", "First visits", k->visits_first, k->visits, "first", "visits");
    report_fmt_int(k->orders - k->orders_cancelled, a);
    tile(f, "有效订单", "Orders kept", a, NULL, "订单 − 取消 orders − cancelled");
    fputs("</div>\n", f);
}

static void trend(FILE *f, const struct report *r)
{
    char from[STORE_DAY_LEN + 1], to[STORE_DAY_LEN + 1];
    report_format_day(r->trend_from_day, from);
    report_format_day(r->to_day, to);
    fprintf(f, "<h2>%s<span class=\"en\">%s, %s – %s</span></h2><figure>",
            r->trend_unit == STORE_BUCKET_DAY ? "每日趋势" : "每周趋势",
            r->trend_unit == STORE_BUCKET_DAY ? "Trend by day" : "Trend by week", from, to);
    report_svg_trend(f, r);
    fputs("</figure>\n", f);
}

int report_html_write(FILE *f, const struct report *r)
{
    char from[STORE_DAY_LEN + 1], to[STORE_DAY_LEN + 1], scope[PROTO_MAX_NAME + 64];
    report_format_day(r->from_day, from);
    report_format_day(r->to_day, to);
    report_scope(r, scope, sizeof scope);
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"showfloor report\">\n<title>",
          f);
    fprintf(f, "%s %s – ", unit_zh[r->unit], unit_en[r->unit]);
    report_escape(f, scope);
    fprintf(f, " – %s – %s</title>\n<style>%s</style>\n</head>\n<body>\n", from, to, css);

    fputs("<section class=\"sheet\">\n", f);
    header(f, r);
    kpi_tiles(f, &r->kpi);
    fputs("<h2>销售漏斗<span class=\"en\">Funnel: visits → leads → orders → deliveries"
          "</span></h2><figure>",
          f);
    report_svg_funnel(f, &r->kpi);
    fputs("</figure>\n", f);
    trend(f, r);
    fputs("</section>\n", f);

    report_html_breakdowns(f, r);
    report_html_channels(f, r);
    report_html_assessment(f, r);
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* The CSV report: UTF-8 with a byte order mark (so Excel on Chinese Windows does not read it
 * as GBK), RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes
 * doubled). Sections follow each other separated by one empty line: a title row, a header
 * row, then data rows. Money is yuan with two decimals; durations are hours with one decimal;
 * a figure whose denominator is 0 is REPORT_NONE, like in the HTML. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define HOUR_MS 3600000LL

struct csv {
    FILE *f;
    int col;      /* cells written on the current row */
    int sections; /* sections begun */
};

static void cell(struct csv *c, const char *text)
{
    if (c->col++)
        fputc(',', c->f);
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, c->f);
        return;
    }
    fputc('"', c->f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', c->f);
        fputc(*p, c->f);
    }
    fputc('"', c->f);
}

static void cell_int(struct csv *c, int64_t v)
{
    char n[24];
    snprintf(n, sizeof n, "%" PRId64, v);
    cell(c, n);
}

static void cell_yuan(struct csv *c, int64_t fen)
{
    char n[REPORT_NUM_LEN];
    report_fmt_yuan(fen, false, n);
    cell(c, n);
}

static void cell_pct(struct csv *c, int64_t num, int64_t den)
{
    char n[REPORT_NUM_LEN];
    report_fmt_pct(num, den, n);
    cell(c, n);
}

static void cell_hours(struct csv *c, int64_t sum_ms, int64_t n)
{
    char v[REPORT_NUM_LEN];
    report_fmt_avg(sum_ms, n, HOUR_MS, v);
    cell(c, v);
}

static void row_end(struct csv *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

/* A section's title row and header row; `cols` ends with NULL. */
static void section(struct csv *c, const char *title, const char *const *cols)
{
    if (c->sections++) /* one empty line between sections */
        row_end(c);
    cell(c, title);
    row_end(c);
    for (const char *const *p = cols; *p; p++)
        cell(c, *p);
    row_end(c);
}

static void about(struct csv *c, const struct report *r)
{
    static const char *const cols[] = {"项目 Item", "值 Value", NULL};
    char day[STORE_DAY_LEN + 1], gen[32], scope[PROTO_MAX_NAME + 64];
    section(c, "报告 Report", cols);
    cell(c, "报告 Report");
    cell(c, report_unit_name(r->unit));
    row_end(c);
    report_scope(r, scope, sizeof scope);
    cell(c, "范围 Scope");
    cell(c, scope);
    row_end(c);
    cell(c, "门店代码 Site code");
    cell(c, r->site_id ? r->site_code : "*");
    row_end(c);
    report_format_day(r->from_day, day);
    cell(c, "开始日 From (inclusive)");
    cell(c, day);
    row_end(c);
    report_format_day(r->to_day, day);
    cell(c, "结束日 To (inclusive)");
    cell(c, day);
    row_end(c);
    cell(c, "时区 UTC offset, minutes");
    cell_int(c, r->utc_offset_min);
    row_end(c);
    time_t t = (time_t)((r->generated_at + (int64_t)r->utc_offset_min * 60000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(gen, sizeof gen, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        gen[0] = '\0';
    cell(c, "生成时间 Generated (local)");
    cell(c, gen);
    row_end(c);
}

/* One row of the key figures: key, label, value, numerator, denominator, unit. */
static void kpi_row(struct csv *c, const char *key, const char *label, const char *value,
                    const char *num, const char *den, const char *unit)
{
    cell(c, key);
    cell(c, label);
    cell(c, value);
    cell(c, num);
    cell(c, den);
    cell(c, unit);
    row_end(c);
}

static void kpi_count(struct csv *c, const char *key, const char *label, int64_t v)
{
    char n[24];
    snprintf(n, sizeof n, "%" PRId64, v);
    kpi_row(c, key, label, n, "", "", "");
}

static void kpi_pct(struct csv *c, const char *key, const char *label, int64_t num, int64_t den)
{
    char v[REPORT_NUM_LEN], a[24], b[24];
    report_fmt_pct(num, den, v);
    snprintf(a, sizeof a, "%" PRId64, num);
    snprintf(b, sizeof b, "%" PRId64, den);
    kpi_row(c, key, label, v, a, b, "%");
}

/* An average duration in hours: numerator = the total in hours, denominator = the count. */
static void kpi_hours(struct csv *c, const char *key, const char *label, int64_t sum_ms, int64_t n)
{
    char v[REPORT_NUM_LEN], a[REPORT_NUM_LEN], b[24];
    report_fmt_avg(sum_ms, n, HOUR_MS, v);
    report_fmt_avg(sum_ms, 1, HOUR_MS, a);
    snprintf(b, sizeof b, "%" PRId64, n);
    kpi_row(c, key, label, v, a, b, "h");
}

static void kpis(struct csv *c, const struct store_kpi *k)
{
    static const char *const cols[] = {
        "代码 Key",         "指标 Figure", "数值 Value", "分子 Numerator",
        "分母 Denominator", "单位 Unit",   NULL};
    section(c, "核心指标 Key figures", cols);
    kpi_count(c, "visits", "到店 Visits", k->visits);
    kpi_count(c, "visits_first", "首次到店 First visits", k->visits_first);
    kpi_count(c, "leads", "新增线索 Leads", k->leads);
    kpi_count(c, "leads_valid", "有效线索 Valid leads", k->leads_valid);
    kpi_count(c, "leads_followed", "已跟进线索 Leads followed", k->leads_followed);
    kpi_count(c, "leads_converted", "已转化线索 Leads converted", k->leads_converted);
    kpi_count(c, "orders", "订单 Orders", k->orders);
    kpi_count(c, "orders_cancelled", "已取消订单 Orders cancelled", k->orders_cancelled);
    char v[REPORT_NUM_LEN];
    report_fmt_yuan(k->sales_fen, false, v);
    kpi_row(c, "sales_yuan", "销售额 Sales (excl. cancelled)", v, "", "", "yuan");
    kpi_count(c, "deliveries", "交车 Deliveries", k->deliveries);
    kpi_count(c, "returns", "退回修改 Sent back for corrections", k->returns);
    kpi_count(c, "sla_breaches", "超时 Time limits missed", k->sla_breaches);
    kpi_count(c, "complaints", "投诉 Complaints opened", k->complaints);
    kpi_count(c, "complaints_closed", "投诉结案 Complaints closed", k->complaints_closed);
    kpi_pct(c, "conversion_pct", "线索转化率 Conversion", k->leads_converted, k->leads);
    kpi_pct(c, "followup_pct", "线索跟进率 Follow-up rate", k->leads_followed, k->leads);
    kpi_pct(c, "success_pct", "交车成功率 Success rate (delivered / (delivered + cancelled))",
            k->deliveries, k->deliveries + k->orders_cancelled);
    kpi_pct(c, "first_visit_pct", "首次到店占比 First visits", k->visits_first, k->visits);
    kpi_hours(c, "cycle_avg_h", "平均订单周期 Avg cycle (received to delivered)", k->cycle_sum_ms,
              k->cycle_n);
    kpi_hours(c, "cycle_max_h", "最长订单周期 Longest cycle", k->cycle_max_ms, k->cycle_n ? 1 : 0);
    kpi_hours(c, "review_avg_h", "平均审核时长 Avg review", k->review_sum_ms, k->review_n);
    kpi_hours(c, "review_max_h", "最长审核时长 Longest review", k->review_max_ms,
              k->review_n ? 1 : 0);
    char a[24], b[24];
    report_fmt_ratio(k->rating_sum, k->rating_n, 2, v);
    snprintf(a, sizeof a, "%" PRId64, k->rating_sum);
    snprintf(b, sizeof b, "%" PRId64, k->rating_n);
    kpi_row(c, "rating_avg", "满意度 Satisfaction (1-5)", v, a, b, "/5");
}

static void trend(struct csv *c, const struct report *r)
{
    static const char *const cols[] = {
        "日期 Day",        "到店 Visits",         "线索 Leads",     "订单 Orders",
        "交车 Deliveries", "销售额 Sales (yuan)", "退回 Sent back", NULL};
    section(c,
            r->trend_unit == STORE_BUCKET_DAY ? "每日趋势 Trend by day"
                                              : "每周趋势 Trend by week (from the day shown)",
            cols);
    for (size_t i = 0; i < r->n_trend; i++) {
        const struct store_bucket *b = &r->trend[i];
        char day[STORE_DAY_LEN + 1];
        int64_t d = (b->start + (int64_t)r->utc_offset_min * 60000) / 86400000LL;
        report_format_day(i == 0 && d < r->trend_from_day ? r->trend_from_day : d, day);
        cell(c, day);
        cell_int(c, b->visits);
        cell_int(c, b->leads);
        cell_int(c, b->orders);
        cell_int(c, b->deliveries);
        cell_yuan(c, b->sales_fen);
        cell_int(c, b->returns);
        row_end(c);
    }
}

static void breakdowns(struct csv *c, const struct report *r)
{
    static const char *const titles[REPORT_BY__COUNT] = {
        [REPORT_BY_SITE] = "订单按门店 Orders by site",
        [REPORT_BY_REGION] = "订单按区域 Orders by region",
        [REPORT_BY_MODEL] = "订单按车型 Orders by model",
        [REPORT_BY_CONSULTANT] = "订单按销售顾问 Orders by consultant",
        [REPORT_BY_CHANNEL] = "订单按来源 Orders by channel",
    };
    static const char *const cols[] = {
        "代码 Key",        "名称 Name", "订单 Orders", "取消 Cancelled", "销售额 Sales (yuan)",
        "交车 Deliveries", NULL};
    for (int d = 0; d < REPORT_BY__COUNT; d++) {
        section(c, titles[d], cols);
        for (size_t i = 0; i < r->by[d].n; i++) {
            const struct store_breakdown *b = &r->by[d].v[i];
            cell(c, b->key);
            char label[REPORT_LABEL_LEN];
            report_breakdown_label((enum report_dim)d, b, label);
            cell(c, label);
            cell_int(c, b->orders);
            cell_int(c, b->cancelled);
            cell_yuan(c, b->sales_fen);
            cell_int(c, b->deliveries);
            row_end(c);
        }
    }
}

static void channels(struct csv *c, const struct report *r)
{
    static const char *const cols[] = {"渠道代码 Channel",
                                       "渠道 Name",
                                       "线索 Leads",
                                       "有效 Valid",
                                       "已跟进 Followed",
                                       "跟进率 Follow-up %",
                                       "已转化 Converted",
                                       "转化率 Conversion %",
                                       "H 级 Grade H",
                                       "A 级 Grade A",
                                       "B 级 Grade B",
                                       "逾期跟进 Overdue",
                                       NULL};
    section(c, "线索按渠道 Leads by channel", cols);
    for (size_t i = 0; i < r->channels.n; i++) {
        const struct store_lead_quality *q = &r->channels.v[i];
        cell(c, q->channel);
        cell(c, report_channel_zh(q->channel));
        cell_int(c, q->leads);
        cell_int(c, q->valid);
        cell_int(c, q->followed);
        cell_pct(c, q->followed, q->leads);
        cell_int(c, q->converted);
        cell_pct(c, q->converted, q->leads);
        cell_int(c, q->grade_h);
        cell_int(c, q->grade_a);
        cell_int(c, q->grade_b);
        cell_int(c, q->overdue);
        row_end(c);
    }
}

static void consultants(struct csv *c, const struct report *r)
{
    static const char *const cols[] = {"工号 Staff no",
                                       "姓名 Name",
                                       "接待 Visits",
                                       "订单 Orders",
                                       "退回 Sent back",
                                       "退回率 Sent back %",
                                       "交车 Delivered",
                                       "成功率 Success % (delivered / (delivered + cancelled))",
                                       "销售额 Sales (yuan)",
                                       "平均审核 Avg review (h)",
                                       "审核数 Reviews",
                                       "平均周期 Avg cycle (h)",
                                       "交车数 Cycles",
                                       "满意度 Rating avg",
                                       "评价数 Ratings",
                                       "超时 Missed limits",
                                       NULL};
    section(c, "销售顾问考核 Consultant assessment", cols);
    for (size_t i = 0; i < r->consultants.n; i++) {
        const struct store_assessment *a = &r->consultants.v[i];
        char v[REPORT_NUM_LEN];
        cell(c, a->staff_no);
        cell(c, a->name);
        cell_int(c, a->visits);
        cell_int(c, a->orders);
        cell_int(c, a->returns);
        cell_pct(c, a->returns, a->orders);
        cell_int(c, a->deliveries);
        cell_pct(c, a->deliveries, a->deliveries + a->cancelled);
        cell_yuan(c, a->sales_fen);
        cell_hours(c, a->review_sum_ms, a->review_n);
        cell_int(c, a->review_n);
        cell_hours(c, a->deliver_sum_ms, a->deliver_n);
        cell_int(c, a->deliver_n);
        report_fmt_ratio(a->rating_sum, a->rating_n, 2, v);
        cell(c, v);
        cell_int(c, a->rating_n);
        cell_int(c, a->sla_breaches);
        row_end(c);
    }
}

static void supervisors(struct csv *c, const struct report *r)
{
    static const char *const cols[] = {
        "工号 Staff no",  "姓名 Name",          "审核订单 Reviewed",
        "退回 Sent back", "退回率 Sent back %", "平均审核 Avg review (h)",
        "审核数 Reviews", "交车 Delivered",     "满意度 Rating avg",
        "评价数 Ratings", "超时 Missed limits", NULL};
    section(c, "销售主管考核 Supervisor assessment", cols);
    for (size_t i = 0; i < r->supervisors.n; i++) {
        const struct store_assessment *a = &r->supervisors.v[i];
        char v[REPORT_NUM_LEN];
        cell(c, a->staff_no);
        cell(c, a->name);
        cell_int(c, a->orders);
        cell_int(c, a->returns);
        cell_pct(c, a->returns, a->orders);
        cell_hours(c, a->review_sum_ms, a->review_n);
        cell_int(c, a->review_n);
        cell_int(c, a->deliveries);
        report_fmt_ratio(a->rating_sum, a->rating_n, 2, v);
        cell(c, v);
        cell_int(c, a->rating_n);
        cell_int(c, a->sla_breaches);
        row_end(c);
    }
}

int report_csv_write(FILE *f, const struct report *r)
{
    struct csv c = {.f = f};
    fputs("\xef\xbb\xbf", f); /* the BOM: see the file comment */
    about(&c, r);
    kpis(&c, &r->kpi);
    trend(&c, r);
    breakdowns(&c, r);
    channels(&c, r);
    consultants(&c, r);
    supervisors(&c, r);
    return ferror(f) ? -1 : 0;
}

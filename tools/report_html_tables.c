/* The HTML report's tables: orders by site, region, model, consultant and channel (each with
 * a bar chart of its first rows), lead quality by channel, and the assessment of consultants
 * and supervisors (seeds 003/004). Every percentage cell carries its numerator/denominator
 * beneath it; a zero denominator shows REPORT_NONE. */
#include <inttypes.h>
#include <string.h>

#include "report.h"

#define DAY_MS     86400000LL
#define HOUR_MS    3600000LL
#define CHART_ROWS 10  /* bars drawn beside a table; the table lists every row */
#define PAIR_SVG_W 300 /* viewBox width of a chart in the left column of a .pair */

static void th(FILE *f, const char *cls, const char *zh, const char *en)
{
    fprintf(f, "<th%s%s%s>%s<span class=\"en\">%s</span></th>", cls ? " class=\"" : "",
            cls ? cls : "", cls ? "\"" : "", zh, en);
}

static void td_int(FILE *f, int64_t v)
{
    char n[REPORT_NUM_LEN];
    report_fmt_int(v, n);
    fprintf(f, "<td class=\"r\">%s</td>", n);
}

static void td_yuan(FILE *f, int64_t fen)
{
    char n[REPORT_NUM_LEN];
    report_fmt_yuan(fen, true, n);
    fprintf(f, "<td class=\"r\">%s</td>", n);
}

static void td_pct(FILE *f, int64_t num, int64_t den)
{
    char n[REPORT_NUM_LEN];
    report_fmt_pct(num, den, n);
    fprintf(f, "<td class=\"r\">%s%s<span class=\"sub\">%" PRId64 "/%" PRId64 "</span></td>", n,
            den ? "%" : "", num, den);
}

/* An average of a duration with the count it averages over beneath it. */
static void td_avg(FILE *f, int64_t sum, int64_t n, int64_t unit_ms)
{
    char v[REPORT_NUM_LEN];
    report_fmt_avg(sum, n, unit_ms, v);
    fprintf(f, "<td class=\"r\">%s<span class=\"sub\">n=%" PRId64 "</span></td>", v, n);
}

static void td_rating(FILE *f, int64_t sum, int64_t n)
{
    char v[REPORT_NUM_LEN];
    report_fmt_ratio(sum, n, 2, v);
    fprintf(f, "<td class=\"r\">%s<span class=\"sub\">n=%" PRId64 "</span></td>", v, n);
}

/* A name cell: the label with its code beneath. */
static void td_name(FILE *f, const char *label, const char *code)
{
    fputs("<td>", f);
    report_escape(f, label);
    if (code && *code && strcmp(code, label) != 0) {
        fputs("<span class=\"sub\">", f);
        report_escape(f, code);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

/* ---- orders by ---- */

static const struct {
    enum report_dim dim;
    const char *zh, *en, *col_zh, *col_en;
} dims[] = {
    {REPORT_BY_SITE, "按门店", "Orders by site", "门店", "Site"},
    {REPORT_BY_REGION, "按区域", "Orders by region", "区域", "Region"},
    {REPORT_BY_MODEL, "按车型", "Orders by model", "车型", "Model"},
    {REPORT_BY_CONSULTANT, "按销售顾问", "Orders by consultant", "销售顾问", "Consultant"},
    {REPORT_BY_CHANNEL, "按订单来源", "Orders by channel", "来源", "Channel"},
};

/* Bytes of the leading words (up to and including a space) that every label shares, as
 * "星河汽车 " in "星河汽车 上海浦东店": the chart's narrow label column drops them (the
 * table beside it keeps the full name). A space is ASCII, so the cut is at a character. */
static size_t shared_prefix(char (*labels)[REPORT_LABEL_LEN], size_t n)
{
    if (n < 2)
        return 0;
    size_t cut = 0;
    for (size_t i = 0; labels[0][i]; i++) {
        for (size_t k = 1; k < n; k++)
            if (labels[k][i] != labels[0][i])
                return cut;
        if (labels[0][i] == ' ') {
            for (size_t k = 0; k < n; k++)
                if (!labels[k][i + 1])
                    return cut; /* a label would be left empty */
            cut = i + 1;
        }
    }
    return cut;
}

static void breakdown_block(FILE *f, const struct report *r, int i)
{
    enum report_dim dim = dims[i].dim;
    size_t n = r->by[dim].n;
    const struct store_breakdown *rows = r->by[dim].v;
    fprintf(f, "<div class=\"block\"><h3>%s<span class=\"en\">%s</span></h3>\n", dims[i].zh,
            dims[i].en);
    if (n == 0) {
        fputs("<p class=\"empty\">本期无订单 No orders in this period</p></div>\n", f);
        return;
    }
    size_t nb = n < CHART_ROWS ? n : CHART_ROWS;
    struct report_bar bars[CHART_ROWS];
    char labels[CHART_ROWS][REPORT_LABEL_LEN], values[CHART_ROWS][REPORT_NUM_LEN];
    for (size_t k = 0; k < nb; k++)
        report_breakdown_label(dim, &rows[k], labels[k]);
    size_t cut = shared_prefix(labels, nb);
    for (size_t k = 0; k < nb; k++) {
        report_fmt_int(rows[k].orders, values[k]);
        bars[k] = (struct report_bar){labels[k] + cut, rows[k].orders, values[k]};
    }
    fputs("<div class=\"pair\"><figure>", f);
    char title[128];
    snprintf(title, sizeof title, "%s %s", dims[i].zh, dims[i].en);
    report_svg_bars(f, PAIR_SVG_W, title, bars, nb);
    if (n > nb)
        fprintf(f, "<p class=\"note\">前 %d 名 top %d of %zu</p>", CHART_ROWS, CHART_ROWS, n);
    fputs("</figure><table><thead><tr>", f);
    th(f, NULL, dims[i].col_zh, dims[i].col_en);
    th(f, "r", "订单", "Orders");
    th(f, "r", "占比", "÷ all orders");
    th(f, "r", "取消", "Cancelled");
    th(f, "r", "销售额 (元)", "Sales, yuan");
    th(f, "r", "交车", "Delivered");
    fputs("</tr></thead><tbody>\n", f);
    int64_t orders = 0, cancelled = 0, sales = 0, deliveries = 0;
    for (size_t k = 0; k < n; k++) {
        char label[REPORT_LABEL_LEN];
        report_breakdown_label(dim, &rows[k], label);
        fputs("<tr>", f);
        td_name(f, label, rows[k].key);
        td_int(f, rows[k].orders);
        td_pct(f, rows[k].orders, r->kpi.orders);
        td_int(f, rows[k].cancelled);
        td_yuan(f, rows[k].sales_fen);
        td_int(f, rows[k].deliveries);
        fputs("</tr>\n", f);
        orders += rows[k].orders;
        cancelled += rows[k].cancelled;
        sales += rows[k].sales_fen;
        deliveries += rows[k].deliveries;
    }
    fputs("</tbody><tfoot><tr class=\"total\"><td>合计 Total</td>", f);
    td_int(f, orders);
    td_pct(f, orders, r->kpi.orders);
    td_int(f, cancelled);
    td_yuan(f, sales);
    td_int(f, deliveries);
    fputs("</tr></tfoot></table></div></div>\n", f);
}

void report_html_breakdowns(FILE *f, const struct report *r)
{
    fputs("<section class=\"sheet\">\n<h2>订单分布<span class=\"en\">Orders: created in the "
          "period; sales exclude cancelled orders; deliveries made in the period</span></h2>\n",
          f);
    for (int i = 0; i < (int)(sizeof dims / sizeof dims[0]); i++)
        if (dims[i].dim != REPORT_BY_SITE || r->n_sites > 1) /* one site: nothing to split */
            breakdown_block(f, r, i);
    fputs("</section>\n", f);
}

/* ---- leads by channel ---- */

void report_html_channels(FILE *f, const struct report *r)
{
    size_t n = r->channels.n;
    const struct store_lead_quality *rows = r->channels.v;
    fputs("<section class=\"sheet\">\n<h2>线索质量<span class=\"en\">Leads by channel: created "
          "in the period; followed and converted by the period's end</span></h2>\n",
          f);
    if (n == 0) {
        fputs("<p class=\"empty\">本期无线索 No leads in this period</p>\n</section>\n", f);
        return;
    }
    size_t nb = n < CHART_ROWS ? n : CHART_ROWS;
    struct report_bar bars[CHART_ROWS];
    char values[CHART_ROWS][REPORT_NUM_LEN + 32];
    for (size_t k = 0; k < nb; k++) {
        char pct[REPORT_NUM_LEN];
        report_fmt_pct(rows[k].converted, rows[k].leads, pct);
        snprintf(values[k], sizeof values[k], "%" PRId64 " 条 · 转化 %s%s", rows[k].leads, pct,
                 rows[k].leads ? "%" : "");
        bars[k] = (struct report_bar){report_channel_zh(rows[k].channel), rows[k].leads, values[k]};
    }
    fputs("<figure>", f);
    report_svg_bars(f, 700, "线索 Leads by channel (leads · converted ÷ leads)", bars, nb);
    fputs("</figure><table><thead><tr>", f);
    th(f, NULL, "渠道", "Channel");
    th(f, "r", "线索", "Leads");
    th(f, "r", "有效", "Valid");
    th(f, "r", "已跟进", "Followed");
    th(f, "r", "跟进率", "Followed ÷ leads");
    th(f, "r", "已转化", "Converted");
    th(f, "r", "转化率", "Converted ÷ leads");
    th(f, "r", "H 级", "Grade H");
    th(f, "r", "A 级", "Grade A");
    th(f, "r", "B 级", "Grade B");
    th(f, "r", "逾期跟进", "Overdue");
    fputs("</tr></thead><tbody>\n", f);
    struct store_lead_quality t = {0};
    for (size_t k = 0; k < n; k++) {
        const struct store_lead_quality *q = &rows[k];
        fputs("<tr>", f);
        td_name(f, report_channel_zh(q->channel), q->channel);
        td_int(f, q->leads);
        td_int(f, q->valid);
        td_int(f, q->followed);
        td_pct(f, q->followed, q->leads);
        td_int(f, q->converted);
        td_pct(f, q->converted, q->leads);
        td_int(f, q->grade_h);
        td_int(f, q->grade_a);
        td_int(f, q->grade_b);
        td_int(f, q->overdue);
        fputs("</tr>\n", f);
        t.leads += q->leads;
        t.valid += q->valid;
        t.followed += q->followed;
        t.converted += q->converted;
        t.grade_h += q->grade_h;
        t.grade_a += q->grade_a;
        t.grade_b += q->grade_b;
        t.overdue += q->overdue;
    }
    fputs("</tbody><tfoot><tr class=\"total\"><td>合计 Total</td>", f);
    td_int(f, t.leads);
    td_int(f, t.valid);
    td_int(f, t.followed);
    td_pct(f, t.followed, t.leads);
    td_int(f, t.converted);
    td_pct(f, t.converted, t.leads);
    td_int(f, t.grade_h);
    td_int(f, t.grade_a);
    td_int(f, t.grade_b);
    td_int(f, t.overdue);
    fputs("</tr></tfoot></table>\n</section>\n", f);
}

/* ---- assessment ---- */

static void consultants(FILE *f, const struct report *r)
{
    fputs("<h3>销售顾问<span class=\"en\">Consultants: accuracy (sent back), timeliness "
          "(review, cycle), satisfaction, success rate (delivered ÷ (delivered + "
          "cancelled))</span></h3>\n",
          f);
    if (r->consultants.n == 0) {
        fputs("<p class=\"empty\">无销售顾问 No consultants</p>\n", f);
        return;
    }
    fputs("<table><thead><tr>", f);
    th(f, NULL, "姓名", "Name");
    th(f, "r", "接待", "Visits");
    th(f, "r", "订单", "Orders");
    th(f, "r", "退回", "Sent back");
    th(f, "r", "退回率", "÷ orders");
    th(f, "r", "交车", "Delivered");
    th(f, "r", "成功率", "÷ (+ cancelled)");
    th(f, "r", "销售额 (元)", "Sales, yuan");
    th(f, "r", "审核 (时)", "Review, h");
    th(f, "r", "周期 (天)", "Cycle, d");
    th(f, "r", "满意度", "Rating /5");
    th(f, "r", "超时", "Missed");
    fputs("</tr></thead><tbody>\n", f);
    for (size_t k = 0; k < r->consultants.n; k++) {
        const struct store_assessment *a = &r->consultants.v[k];
        fputs("<tr>", f);
        td_name(f, a->name, a->staff_no);
        td_int(f, a->visits);
        td_int(f, a->orders);
        td_int(f, a->returns);
        td_pct(f, a->returns, a->orders);
        td_int(f, a->deliveries);
        td_pct(f, a->deliveries, a->deliveries + a->cancelled);
        td_yuan(f, a->sales_fen);
        td_avg(f, a->review_sum_ms, a->review_n, HOUR_MS);
        td_avg(f, a->deliver_sum_ms, a->deliver_n, DAY_MS);
        td_rating(f, a->rating_sum, a->rating_n);
        td_int(f, a->sla_breaches);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void supervisors(FILE *f, const struct report *r)
{
    fputs("<h3>销售主管<span class=\"en\">Supervisors: the orders whose review they decided"
          "</span></h3>\n",
          f);
    if (r->supervisors.n == 0) {
        fputs("<p class=\"empty\">无销售主管 No supervisors</p>\n", f);
        return;
    }
    fputs("<table><thead><tr>", f);
    th(f, NULL, "姓名", "Name");
    th(f, "r", "审核订单", "Reviewed");
    th(f, "r", "退回修改", "Sent back");
    th(f, "r", "退回率", "÷ reviewed");
    th(f, "r", "平均审核 (时)", "Avg review, h");
    th(f, "r", "交车", "Delivered");
    th(f, "r", "满意度", "Rating /5");
    th(f, "r", "超时", "Missed");
    fputs("</tr></thead><tbody>\n", f);
    for (size_t k = 0; k < r->supervisors.n; k++) {
        const struct store_assessment *a = &r->supervisors.v[k];
        fputs("<tr>", f);
        td_name(f, a->name, a->staff_no);
        td_int(f, a->orders);
        td_int(f, a->returns);
        td_pct(f, a->returns, a->orders);
        td_avg(f, a->review_sum_ms, a->review_n, HOUR_MS);
        td_int(f, a->deliveries);
        td_rating(f, a->rating_sum, a->rating_n);
        td_int(f, a->sla_breaches);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

void report_html_assessment(FILE *f, const struct report *r)
{
    fputs("<section class=\"sheet\">\n<h2>考核<span class=\"en\">Assessment "
          "(客户线索管理制度 / 业务接单管理制度)</span></h2>\n",
          f);
    consultants(f, r);
    supervisors(f, r);
    fputs("<p class=\"note\">定义见 hub/ANALYTICS.md。百分比下方为分子/分母；分母为 0 时显示 "
          "—。Definitions: hub/ANALYTICS.md. Beneath each percentage: numerator/denominator; "
          "— means the denominator is 0.</p>\n</section>\n",
          f);
}

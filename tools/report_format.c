/* Number and text formatting shared by the report's writers: money in yuan, percentages and
 * averages computed from the store's sums (a reader divides), and HTML/SVG escaping. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* 20 digits of a uint64_t with 6 separators fit in 27 bytes. */
#define GROUPED_LEN 32

static void group_digits(const char *digits, char out[GROUPED_LEN])
{
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < GROUPED_LEN; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void report_fmt_int(int64_t v, char out[REPORT_NUM_LEN])
{
    char digits[24];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(digits, sizeof digits, "%" PRIu64, mag);
    char grouped[GROUPED_LEN];
    group_digits(digits, grouped);
    snprintf(out, REPORT_NUM_LEN, "%s%s", v < 0 ? "-" : "", grouped);
}

void report_fmt_yuan(int64_t fen, bool grouped, char out[REPORT_NUM_LEN])
{
    /* Integer arithmetic: fen are exact, a double would round large sums. */
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24], whole[GROUPED_LEN];
    snprintf(digits, sizeof digits, "%" PRIu64, mag / 100);
    if (grouped)
        group_digits(digits, whole);
    else
        snprintf(whole, sizeof whole, "%s", digits);
    snprintf(out, REPORT_NUM_LEN, "%s%s.%02u", fen < 0 ? "-" : "", whole, (unsigned)(mag % 100));
}

/* num / den * scale rounded half up to `decimals` (0..2) places, in integers. */
static void fmt_div(int64_t num, int64_t den, int64_t scale, int decimals, char out[REPORT_NUM_LEN])
{
    if (den == 0) {
        snprintf(out, REPORT_NUM_LEN, "%s", REPORT_NONE);
        return;
    }
    int64_t p = decimals == 2 ? 100 : decimals == 1 ? 10 : 1;
    /* Long double keeps 64 bits of mantissa: exact for any count or ms sum we hold. */
    long double q = (long double)num * (long double)scale * (long double)p / (long double)den;
    int neg = q < 0;
    int64_t units = (int64_t)((neg ? -q : q) + 0.5L);
    if (decimals == 0)
        snprintf(out, REPORT_NUM_LEN, "%s%" PRId64, neg && units ? "-" : "", units);
    else
        snprintf(out, REPORT_NUM_LEN, "%s%" PRId64 ".%0*" PRId64, neg && units ? "-" : "",
                 units / p, decimals, units % p);
}

void report_fmt_pct(int64_t num, int64_t den, char out[REPORT_NUM_LEN])
{
    fmt_div(num, den, 100, 1, out);
}

void report_fmt_avg(int64_t sum, int64_t n, int64_t unit_ms, char out[REPORT_NUM_LEN])
{
    /* sum / n / unit_ms == sum / (n * unit_ms); n * unit_ms cannot overflow for real n. */
    fmt_div(sum, n * unit_ms, 1, 1, out);
}

void report_fmt_ratio(int64_t sum, int64_t n, int decimals, char out[REPORT_NUM_LEN])
{
    fmt_div(sum, n, 1, decimals, out);
}

void report_escape(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*p, f);
        }
    }
}

const char *report_channel_zh(const char *code)
{
    if (!code || !*code)
        return "未知";
    const char *zh = domain_channel_name_zh(code);
    return zh ? zh : code;
}

const char *report_order_channel_zh(const char *code)
{
    static const char *const rows[][2] = {
        {"consultant", "顾问"}, {"online", "线上"}, {"phone", "电话"}, {"showroom", "展厅"}};
    for (size_t i = 0; code && i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(code, rows[i][0]) == 0)
            return rows[i][1];
    return code && *code ? code : "未知";
}

void report_scope(const struct report *r, char *out, size_t len)
{
    if (r->site_id)
        snprintf(out, len, "%s (%s)", r->site_name, r->site_code);
    else if (r->n_sites == 1)
        snprintf(out, len, "全部门店 All sites: %s", r->site_name);
    else
        snprintf(out, len, "全部门店 All sites (%d)", r->n_sites);
}

void report_breakdown_label(enum report_dim dim, const struct store_breakdown *b,
                            char out[REPORT_LABEL_LEN])
{
    if (dim == REPORT_BY_CHANNEL)
        snprintf(out, REPORT_LABEL_LEN, "%s", report_order_channel_zh(b->key));
    else if (!b->key[0] && !b->label[0])
        snprintf(out, REPORT_LABEL_LEN, "%s",
                 dim == REPORT_BY_CONSULTANT ? "无顾问 None" : "未知 Unknown");
    else
        snprintf(out, REPORT_LABEL_LEN, "%s", b->label[0] ? b->label : b->key);
}

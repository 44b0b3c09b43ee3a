/* The board's figures page (see view_board_stats.h). UI thread only. */
#include "view_board_stats.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"
#include "widget_chart.h"

/* Figures older than this (or any while the hub is unreachable) say how old they are. */
#define VIEW_BOARD_STATS_STALE_MS    (2 * 60 * 1000)
#define VIEW_BOARD_STATS_LEAGUE_COLS 6
#define VIEW_BOARD_STATS_LEAGUE_MAX  10 /* rows shown at most, as the hub sends */

void view_board_stats_yuan(int64_t fen, char *out, size_t outsz)
{
    /* whole yuan, rounded half up: a wall board shows no fen */
    bool neg = fen < 0;
    unsigned long long y = (unsigned long long)((neg ? -fen : fen) + 50) / 100;
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof digits, "%llu", y);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(out, outsz, "%s%s", neg ? "-" : "", grouped);
}

static int64_t view_board_stats_num(const cJSON *obj, const char *key)
{
    return proto_get_int(obj, key, 0);
}

static struct widget_chart_style view_board_stats_style(const struct app *a, int px, int label_px)
{
    const struct theme *t = &a->theme;
    return (struct widget_chart_style){
        .bar = t->secondary,
        .accent = t->primary,
        .base = t->surface_alt,
        .text = t->text,
        .inside = t->primary_text,
        .muted = t->muted,
        .px = px,
        .label_px = label_px,
    };
}

/* A panel with its title; returns the area under the title, and the title row's right part
 * (for a note) in *right when asked. */
static struct ui_rect view_board_stats_panel(struct app *a, struct ui_rect box, const char *id,
                                             enum i18n_key title, int title_w,
                                             struct ui_rect *right)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, box, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(box, view_px(a, 16));
    struct ui_rect head = layout_cut_top(&in, view_px(a, 48));
    widget_label(a->ui, id, layout_cut_left(&head, view_px(a, title_w)), app_t(a, title),
                 view_px(a, 30), t->text, ALIGN_LEFT);
    if (right)
        *right = head;
    layout_cut_top(&in, view_px(a, 6));
    return in;
}

/* "占到店 42%" (orders of visits), or with a dash when there is no basis. */
static void view_board_stats_share(struct app *a, enum i18n_key key, int64_t num, int64_t den,
                                   char *out, size_t outsz)
{
    char pct[16];
    if (widget_chart_percent(num, den, pct, sizeof pct) != 0)
        snprintf(pct, sizeof pct, "%s", app_t(a, I18N_DASH));
    const char *args[] = {pct};
    i18n_format(out, outsz, app_t(a, key), args, 1);
}

static void view_board_stats_funnel(struct app *a, struct ui_rect box, const cJSON *stats)
{
    const struct theme *t = &a->theme;
    struct ui_rect right;
    struct ui_rect in =
        view_board_stats_panel(a, box, "board.stats.funnel", I18N_BOARD_FUNNEL, 120, &right);
    const cJSON *today = proto_get_obj(stats, "today");
    int64_t visits = view_board_stats_num(today, "visits");
    int64_t orders = view_board_stats_num(today, "orders");
    int64_t deliveries = view_board_stats_num(today, "deliveries");
    /* leads and sales beside the title: figures without a step in the funnel */
    char leads[24], yuan[48], money[64], extra[160];
    snprintf(leads, sizeof leads, "%lld", (long long)view_board_stats_num(today, "leads"));
    view_board_stats_yuan(view_board_stats_num(today, "sales_fen"), yuan, sizeof yuan);
    const char *ya[] = {yuan};
    i18n_format(money, sizeof money, app_t(a, I18N_BOARD_YUAN), ya, 1);
    const char *ea[] = {leads, money};
    i18n_format(extra, sizeof extra, app_t(a, I18N_BOARD_TODAY_EXTRA), ea, 2);
    widget_label(a->ui, "board.stats.extra", right, extra, view_px(a, 22), t->text, ALIGN_RIGHT);
    char of_visits[64], of_orders[64];
    view_board_stats_share(a, I18N_BOARD_OF_VISITS, orders, visits, of_visits, sizeof of_visits);
    view_board_stats_share(a, I18N_BOARD_OF_ORDERS, deliveries, orders, of_orders,
                           sizeof of_orders);
    const struct widget_chart_step steps[] = {
        {"board.stats.visits", app_t(a, I18N_BOARD_F_VISITS), visits, NULL},
        {"board.stats.orders", app_t(a, I18N_BOARD_F_ORDERS), orders, of_visits},
        {"board.stats.deliveries", app_t(a, I18N_BOARD_F_DELIVERIES), deliveries, of_orders},
    };
    int row = in.h / 3;
    struct widget_chart_style s = view_board_stats_style(
        a, row * 72 / 100 < view_px(a, 40) ? row * 72 / 100 : view_px(a, 40), view_px(a, 24));
    widget_chart_funnel(a->ui, in, steps, 3, view_px(a, 130), view_px(a, 180), &s);
}

/* "11/23" (zh) or "23/11" (en) of a "YYYY-MM-DD" day. */
static void view_board_stats_md(struct app *a, const char *day, char *out, size_t outsz)
{
    char m[8] = "", d[8] = "";
    if (day && strlen(day) == 10) {
        snprintf(m, sizeof m, "%d", (day[5] - '0') * 10 + (day[6] - '0'));
        snprintf(d, sizeof d, "%d", (day[8] - '0') * 10 + (day[9] - '0'));
    }
    const char *args[] = {m, d};
    i18n_format(out, outsz, app_t(a, I18N_BOARD_DAY_MD), args, 2);
}

static void view_board_stats_trend(struct app *a, struct ui_rect box, const cJSON *stats)
{
    const struct theme *t = &a->theme;
    struct ui_rect right;
    struct ui_rect in =
        view_board_stats_panel(a, box, "board.stats.trend", I18N_BOARD_TREND, 200, &right);
    const cJSON *trend = proto_get_arr(stats, "trend");
    int n = cJSON_GetArraySize(trend);
    if (n > MODEL_TREND_DAYS)
        n = MODEL_TREND_DAYS;
    if (n == 0)
        return;
    char first[16], last[16], range[48];
    view_board_stats_md(a, proto_get_str(cJSON_GetArrayItem(trend, 0), "day"), first, sizeof first);
    view_board_stats_md(a, proto_get_str(cJSON_GetArrayItem(trend, n - 1), "day"), last,
                        sizeof last);
    const char *ra[] = {first, last};
    i18n_format(range, sizeof range, app_t(a, I18N_BOARD_TREND_RANGE), ra, 2);
    widget_label(a->ui, "board.stats.range", right, range, view_px(a, 22), t->muted, ALIGN_RIGHT);

    /* Three rows of columns, each on its own scale, so a day of 3 orders is not a sliver
     * beside 40 visits: the name says what a row counts and today's number stands at its
     * end; the day numbers run under the last row. */
    static const char *const keys[] = {"visits", "orders", "deliveries"};
    static const enum i18n_key names[] = {I18N_BOARD_F_VISITS, I18N_BOARD_F_ORDERS,
                                          I18N_BOARD_F_DELIVERIES};
    int name_w = view_px(a, 120), value_w = view_px(a, 64);
    struct ui_rect labels = layout_cut_bottom(&in, view_px(a, 28));
    labels.x += name_w;
    labels.w -= name_w + value_w;
    int gap = view_px(a, 8);
    int row_h = (in.h - 2 * gap) / 3;
    struct widget_chart_style s = view_board_stats_style(a, view_px(a, 30), view_px(a, 18));
    for (int r = 0; r < 3; r++) {
        struct ui_rect row = layout_cut_top(&in, row_h);
        layout_cut_top(&in, gap);
        int64_t v[MODEL_TREND_DAYS];
        for (int i = 0; i < n; i++)
            v[i] = view_board_stats_num(cJSON_GetArrayItem(trend, i), keys[r]);
        widget_label(a->ui, "", layout_cut_left(&row, name_w), app_t(a, names[r]), view_px(a, 22),
                     t->text, ALIGN_LEFT);
        char today[24], id[40];
        snprintf(today, sizeof today, "%lld", (long long)v[n - 1]);
        snprintf(id, sizeof id, "board.trend.%s.today", keys[r]);
        widget_label(a->ui, id, layout_cut_right(&row, value_w), today, view_px(a, 30), t->text,
                     ALIGN_RIGHT);
        snprintf(id, sizeof id, "board.trend.%s", keys[r]);
        widget_chart_columns(a->ui, id, row, v, n, n - 1, &s);
    }
    char days[MODEL_TREND_DAYS][8];
    const char *dl[MODEL_TREND_DAYS];
    for (int i = 0; i < n; i++) {
        const char *day = proto_get_str(cJSON_GetArrayItem(trend, i), "day");
        snprintf(days[i], sizeof days[i], "%d",
                 day && strlen(day) == 10 ? (day[8] - '0') * 10 + (day[9] - '0') : 0);
        dl[i] = days[i];
    }
    widget_chart_column_labels(a->ui, labels, dl, n, n - 1, &s);
}

/* The league's columns: head key, width in units (0: the rest), alignment. */
static const struct {
    enum i18n_key head;
    int units;
    enum widget_align align;
} view_board_stats_cols[VIEW_BOARD_STATS_LEAGUE_COLS] = {
    {I18N_DASH, 40, ALIGN_LEFT}, /* rank: no head */
    {I18N_BOARD_L_NAME, 0, ALIGN_LEFT},
    {I18N_BOARD_L_ORDERS, 72, ALIGN_RIGHT},
    {I18N_BOARD_L_DELIVERIES, 100, ALIGN_RIGHT},
    {I18N_BOARD_L_SALES, 140, ALIGN_RIGHT},
    {I18N_BOARD_L_RATING, 80, ALIGN_RIGHT},
};

/* The cells of one league row across r. */
static void view_board_stats_cells(struct app *a, struct ui_rect r,
                                   struct ui_rect cells[VIEW_BOARD_STATS_LEAGUE_COLS])
{
    int fixed = 0;
    for (int i = 0; i < VIEW_BOARD_STATS_LEAGUE_COLS; i++)
        fixed += view_px(a, view_board_stats_cols[i].units);
    int rest = r.w - fixed;
    for (int i = 0; i < VIEW_BOARD_STATS_LEAGUE_COLS; i++) {
        int w = view_board_stats_cols[i].units ? view_px(a, view_board_stats_cols[i].units) : rest;
        cells[i] = layout_cut_left(&r, w);
    }
}

/* Figures as of their time; their age in words once stale or while the hub is away. */
static void view_board_stats_age(struct app *a, struct ui_rect r, const cJSON *stats)
{
    const struct theme *t = &a->theme;
    int64_t at = proto_get_int(stats, "now", 0);
    char hhmm[16], mins[24], text[96];
    view_common_hhmm(a, at, hhmm, sizeof hhmm);
    int64_t age = app_hub_now(a) - at;
    bool stale = age >= VIEW_BOARD_STATS_STALE_MS || a->conn != APP_CONN_CONNECTED;
    snprintf(mins, sizeof mins, "%lld", (long long)(age > 0 ? age / 60000 : 0));
    const char *args[] = {hhmm, mins};
    i18n_format(text, sizeof text, app_t(a, stale ? I18N_BOARD_FIGURES_OLD : I18N_BOARD_FIGURES_AT),
                args, 2);
    widget_label(a->ui, "board.stats.age", r, text, view_px(a, 20), stale ? t->warn : t->muted,
                 ALIGN_RIGHT);
}

static void view_board_stats_league(struct app *a, struct ui_rect box, const cJSON *stats)
{
    const struct theme *t = &a->theme;
    struct ui_rect right;
    struct ui_rect in =
        view_board_stats_panel(a, box, "board.stats.league", I18N_BOARD_LEAGUE, 330, &right);
    view_board_stats_age(a, right, stats);
    const cJSON *league = proto_get_arr(stats, "league");
    int total = cJSON_GetArraySize(league);
    if (total == 0) {
        widget_label(a->ui, "board.league.empty", layout_cut_top(&in, view_px(a, 44)),
                     app_t(a, I18N_BOARD_LEAGUE_EMPTY), view_px(a, 22), t->muted, ALIGN_LEFT);
        return;
    }
    struct ui_rect cells[VIEW_BOARD_STATS_LEAGUE_COLS];
    struct ui_rect head = layout_cut_top(&in, view_px(a, 34));
    head.x += view_px(a, 8);
    head.w -= view_px(a, 16);
    view_board_stats_cells(a, head, cells);
    for (int c = 1; c < VIEW_BOARD_STATS_LEAGUE_COLS; c++)
        widget_label(a->ui, "", cells[c], app_t(a, view_board_stats_cols[c].head), view_px(a, 19),
                     t->muted, view_board_stats_cols[c].align);
    int rowh = view_px(a, a->lay.portrait ? 46 : 40);
    int fit = in.h / rowh < total ? in.h / rowh : total;
    if (fit > VIEW_BOARD_STATS_LEAGUE_MAX)
        fit = VIEW_BOARD_STATS_LEAGUE_MAX;
    for (int i = 0; i < fit; i++) {
        const cJSON *p = cJSON_GetArrayItem(league, i);
        struct ui_rect row = layout_cut_top(&in, rowh);
        if (i % 2 == 0)
            widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
        row.x += view_px(a, 8);
        row.w -= view_px(a, 16);
        view_board_stats_cells(a, row, cells);
        char text[VIEW_BOARD_STATS_LEAGUE_COLS][64], id[48], yuan[48];
        snprintf(text[0], sizeof text[0], "%d", i + 1);
        snprintf(text[1], sizeof text[1], "%s", proto_get_str(p, "name"));
        snprintf(text[2], sizeof text[2], "%lld", (long long)view_board_stats_num(p, "orders"));
        snprintf(text[3], sizeof text[3], "%lld", (long long)view_board_stats_num(p, "deliveries"));
        view_board_stats_yuan(view_board_stats_num(p, "sales_fen"), yuan, sizeof yuan);
        const char *ya[] = {yuan};
        i18n_format(text[4], sizeof text[4], app_t(a, I18N_BOARD_YUAN), ya, 1);
        int64_t rn = view_board_stats_num(p, "rating_n"),
                rs = view_board_stats_num(p, "rating_sum");
        if (rn > 0) /* one decimal, rounded half up, in integers */
            snprintf(text[5], sizeof text[5], "%lld.%lld",
                     (long long)((rs * 10 + rn / 2) / rn / 10),
                     (long long)((rs * 10 + rn / 2) / rn % 10));
        else
            snprintf(text[5], sizeof text[5], "%s", app_t(a, I18N_DASH));
        const char *no = proto_get_str(p, "staff_no");
        for (int c = 0; c < VIEW_BOARD_STATS_LEAGUE_COLS; c++) {
            snprintf(id, sizeof id, "board.league.%d.%d", i, c);
            widget_label(a->ui, c == 1 && no ? id : "", cells[c], text[c],
                         view_px(a, c == 1 ? 24 : 22), c == 0 ? t->muted : t->text,
                         view_board_stats_cols[c].align);
        }
    }
}

void view_board_stats_build(struct app *a, struct ui_rect body)
{
    const struct theme *t = &a->theme;
    const cJSON *stats = model_board_stats(a->model);
    if (!stats) {
        widget_panel(a->ui, t, body, t->surface, view_px(a, 16));
        widget_label(a->ui, "board.stats.loading", body, app_t(a, I18N_BOARD_FIGURES_LOADING),
                     view_px(a, 30), t->muted, ALIGN_CENTRE);
        return;
    }
    int gap = view_px(a, 20);
    struct ui_rect funnel, trend, league;
    if (a->lay.portrait) {
        funnel = layout_cut_top(&body, body.h * 25 / 100);
        layout_cut_top(&body, gap);
        trend = layout_cut_top(&body, body.h * 42 / 100);
        layout_cut_top(&body, gap);
        league = body;
    } else {
        /* left: the funnel above the trend; right: the league */
        struct ui_rect left = layout_cut_left(&body, (body.w - gap) / 2);
        layout_cut_left(&body, gap);
        funnel = layout_cut_top(&left, left.h * 45 / 100);
        layout_cut_top(&left, gap);
        trend = left;
        league = body;
    }
    view_board_stats_funnel(a, funnel, stats);
    view_board_stats_trend(a, trend, stats);
    view_board_stats_league(a, league, stats);
}

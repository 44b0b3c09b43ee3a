/* The board's figures page and fleet strip: widget_chart.c (scales, percentages, columns,
 * funnel), the model's board_stats and fleet list, the board's requests (on subscribe,
 * debounced on events, every minute, retried), its page turns and tabs, and the layouts of
 * both pages at four sizes in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk_fixture.h"
#include "view_board_stats.h"
#include "widget.h"
#include "widget_chart.h"

static const struct widget_chart_style style = {
    .bar = {1, 1, 1, 255},
    .accent = {2, 2, 2, 255},
    .base = {3, 3, 3, 255},
    .text = {4, 4, 4, 255},
    .inside = {5, 5, 5, 255},
    .muted = {6, 6, 6, 255},
    .px = 20,
    .label_px = 14,
};

static void test_scale_and_percent(void **state)
{
    assert_int_equal(widget_chart_scale(0, 10, 100, 4), 0);
    assert_int_equal(widget_chart_scale(-3, 10, 100, 4), 0);
    assert_int_equal(widget_chart_scale(5, 0, 100, 4), 0);
    assert_int_equal(widget_chart_scale(10, 10, 100, 4), 100);
    assert_int_equal(widget_chart_scale(12, 10, 100, 4), 100); /* never past the box */
    assert_int_equal(widget_chart_scale(5, 10, 100, 4), 50);
    assert_int_equal(widget_chart_scale(1, 3, 100, 4), 33);   /* 33.3 rounds down */
    assert_int_equal(widget_chart_scale(2, 3, 100, 4), 67);   /* 66.7 rounds up */
    assert_int_equal(widget_chart_scale(1, 1000, 100, 4), 4); /* a small count stays seen */
    assert_int_equal(widget_chart_scale(1, 1000, 3, 4), 3);   /* ... within the box */
    char out[16];
    assert_int_equal(widget_chart_percent(5, 12, out, sizeof out), 0);
    assert_string_equal(out, "42%");
    assert_int_equal(widget_chart_percent(1, 8, out, sizeof out), 0);
    assert_string_equal(out, "13%"); /* 12.5 rounds half up */
    assert_int_equal(widget_chart_percent(7, 5, out, sizeof out), 0);
    assert_string_equal(out, "140%"); /* orders of earlier visitors: more than 100 % */
    assert_int_equal(widget_chart_percent(0, 5, out, sizeof out), 0);
    assert_string_equal(out, "0%");
    assert_int_equal(widget_chart_percent(3, 0, out, sizeof out), -1); /* no basis */
    assert_int_equal(widget_chart_percent(-1, 5, out, sizeof out), -1);
}

static void test_yuan(void **state)
{
    char out[48];
    view_board_stats_yuan(37960000, out, sizeof out);
    assert_string_equal(out, "379,600");
    view_board_stats_yuan(0, out, sizeof out);
    assert_string_equal(out, "0");
    view_board_stats_yuan(49, out, sizeof out);
    assert_string_equal(out, "0");
    view_board_stats_yuan(50, out, sizeof out);
    assert_string_equal(out, "1");
    view_board_stats_yuan(99999, out, sizeof out);
    assert_string_equal(out, "1,000");
    view_board_stats_yuan(123456789012LL, out, sizeof out);
    assert_string_equal(out, "1,234,567,890");
    view_board_stats_yuan(-150000, out, sizeof out);
    assert_string_equal(out, "-1,500");
}

static void test_columns(void **state)
{
    struct ui *ui = ui_new();
    ui_begin(ui, 1000, 1000);
    /* 205 high: a 5 px baseline under 200 px of plot, so the heights divide evenly */
    struct ui_rect r = {100, 100, 700, 205};
    const int64_t v[] = {4, 0, 8, 2, 8};
    assert_int_equal(widget_chart_columns(ui, "c", r, v, 5, 4, &style), 8);
    const struct widget *b0 = ui_find(ui, "c.0"), *b2 = ui_find(ui, "c.2"),
                        *b3 = ui_find(ui, "c.3");
    const struct widget *b4 = ui_find(ui, "c.4");
    assert_non_null(b0);
    assert_null(ui_find(ui, "c.1")); /* a zero is the baseline alone */
    /* heights by value on one scale; every bar stands on the same line */
    assert_int_equal(b2->r.h, b4->r.h);
    assert_int_equal(b0->r.h * 2, b2->r.h);
    assert_int_equal(b3->r.h * 4, b2->r.h);
    assert_int_equal(b0->r.y + b0->r.h, b2->r.y + b2->r.h);
    assert_true(b2->r.y >= r.y);
    assert_true(b2->r.y + b2->r.h <= r.y + r.h);
    /* left to right in their slots, today's in the accent colour */
    assert_true(b0->r.x < b2->r.x && b2->r.x < b3->r.x && b3->r.x < b4->r.x);
    assert_int_equal(b4->bg.r, style.accent.r);
    assert_int_equal(b0->bg.r, style.bar.r);
    for (int i = 0; i < 5; i++) {
        struct ui_rect s = widget_chart_slot(r, 5, i);
        const struct widget *b = ui_find(ui, (const char *[]){"c.0", "", "c.2", "c.3", "c.4"}[i]);
        if (b)
            assert_true(layout_inside(b->r, s));
    }
    /* slots tile the width exactly */
    assert_int_equal(widget_chart_slot(r, 7, 0).x, r.x);
    struct ui_rect last = widget_chart_slot(r, 7, 6);
    assert_int_equal(last.x + last.w, r.x + r.w);
    /* labels sit in the same slots as their columns */
    int before = ui_count(ui);
    const char *labels[] = {"10", "11", "", "13", "14"};
    widget_chart_column_labels(ui, (struct ui_rect){100, 300, 700, 30}, labels, 5, 4, &style);
    assert_int_equal(ui_count(ui), before + 4);
    const struct widget *l4 = ui_get(ui, ui_count(ui) - 1);
    assert_string_equal(l4->text, "14");
    assert_int_equal(l4->r.x, widget_chart_slot(r, 5, 4).x);
    assert_int_equal(l4->fg.r, style.text.r);
    ui_free(ui);
}

static void test_funnel(void **state)
{
    struct ui *ui = ui_new();
    ui_begin(ui, 1000, 1000);
    struct ui_rect r = {0, 0, 900, 300};
    const struct widget_chart_step steps[] = {
        {"f.v", "Visits", 12, NULL},
        {"f.o", "Orders", 6, "50% of visits"},
        {"f.d", "Deliveries", 0, "0% of orders"},
    };
    widget_chart_funnel(ui, r, steps, 3, 100, 200, &style);
    const struct widget *v = ui_find(ui, "f.v"), *o = ui_find(ui, "f.o"), *d = ui_find(ui, "f.d");
    assert_non_null(v);
    assert_string_equal(v->text, "12");
    assert_string_equal(o->text, "6");
    assert_string_equal(d->text, "0");
    assert_true(ui_has_text(ui, "50% of visits"));
    assert_true(ui_has_text(ui, "Deliveries"));
    /* rows top to bottom, inside r; the bars (panels holding the counts) by value, never
     * below a third of the bar space so "0" is readable */
    assert_true(v->r.y < o->r.y && o->r.y < d->r.y);
    int bars[3] = {0}, nb = 0;
    for (int i = 0; i < ui_count(ui); i++) {
        const struct widget *w = ui_get(ui, i);
        assert_true(layout_inside(w->r, r));
        if (w->kind == WIDGET_PANEL && nb < 3)
            bars[nb++] = w->r.w;
    }
    assert_int_equal(nb, 3);
    assert_int_equal(bars[0], 600);     /* 900 - name 100 - note 200 */
    assert_int_equal(bars[1], 300);     /* half */
    assert_int_equal(bars[2], 600 / 3); /* zero: the minimum */
    ui_free(ui);
}

/* A board_stats answer's data: 14 days ending 2026-11-23, the last `today_*`. */
static void stats_json(char *out, size_t outsz, int visits, int orders, int deliveries,
                       int league_rows)
{
    size_t n = (size_t)snprintf(out, outsz,
                                "{\"day\":\"2026-11-23\",\"now\":1763800000000,\"today\":"
                                "{\"visits\":%d,\"leads\":3,\"orders\":%d,\"deliveries\":%d,"
                                "\"sales_fen\":37960000},\"trend\":[",
                                visits, orders, deliveries);
    for (int i = 0; i < 14; i++)
        n += (size_t)snprintf(out + n, outsz - n,
                              "%s{\"day\":\"2026-11-%02d\",\"visits\":%d,\"orders\":%d,"
                              "\"deliveries\":%d}",
                              i ? "," : "", 10 + i, i == 13 ? visits : i % 5,
                              i == 13 ? orders : i % 3, i == 13 ? deliveries : i % 2);
    n += (size_t)snprintf(out + n, outsz - n, "],\"league\":[");
    static const char *const names[] = {"张伟", "李娜",   "王强", "欧阳娜娜", "Alexandra Smith",
                                        "赵敏", "钱多多", "孙悟", "周杰",     "吴用",
                                        "郑和"};
    for (int i = 0; i < league_rows; i++)
        n += (size_t)snprintf(out + n, outsz - n,
                              "%s{\"staff_no\":\"S%03d\",\"name\":\"%s\",\"orders\":%d,"
                              "\"deliveries\":%d,\"sales_fen\":%lld,\"rating_n\":%d,"
                              "\"rating_sum\":%d}",
                              i ? "," : "", i + 1, names[i % 11], 30 - i, 20 - i,
                              (long long)(30 - i) * 18980000LL, i == 2 ? 0 : 4, i == 2 ? 0 : 19);
    snprintf(out + n, outsz - n, "]}");
}

static void test_model_stats_and_fleet(void **state)
{
    struct model *m = model_new(MODEL_BOARD);
    char text[8192];
    stats_json(text, sizeof text, 12, 5, 2, 3);
    cJSON *good = cJSON_Parse(text);
    assert_null(model_board_stats(m));
    assert_int_equal(model_set_board_stats(m, good), 0);
    assert_int_equal(proto_get_int(proto_get_obj(model_board_stats(m), "today"), "visits", 0), 12);
    /* wrong shapes are refused and the figures kept */
    static const char *const bad[] = {
        "{\"day\":\"2026-11-23\",\"now\":1,\"today\":{},\"trend\":[],\"league\":[]}",
        "[]",
        "{\"now\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *b = cJSON_Parse(bad[i]);
        assert_int_equal(model_set_board_stats(m, b), -1);
        cJSON_Delete(b);
    }
    cJSON *b = cJSON_Duplicate(good, 1);
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(b, "trend"), 0); /* 13 days */
    assert_int_equal(model_set_board_stats(m, b), -1);
    cJSON_Delete(b);
    b = cJSON_Duplicate(good, 1);
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "league"), 1), "orders",
                              cJSON_CreateString("7"));
    assert_int_equal(model_set_board_stats(m, b), -1);
    cJSON_Delete(b);
    assert_int_equal(proto_get_int(proto_get_obj(model_board_stats(m), "today"), "orders", 0), 5);
    /* a fresh snapshot keeps the figures (their age is shown); a new database drops them */
    cJSON *snap = cJSON_Parse("{\"site\":{\"id\":1},\"now\":5,\"fleet\":["
                              "{\"id\":3,\"name\":\"Reception 2\",\"online\":true},"
                              "{\"id\":4,\"name\":\"Board 1\",\"online\":true}]}");
    assert_int_equal(model_apply_snapshot(m, 50, snap), 0);
    assert_non_null(model_board_stats(m));
    assert_int_equal(cJSON_GetArraySize(model_fleet(m)), 2);
    cJSON *ev = cJSON_Parse("{\"device\":{\"id\":3,\"name\":\"Reception 2\",\"online\":false,"
                            "\"online_changed_at\":1763790000000}}");
    assert_int_equal(model_apply_event(m, 51, 1, "device.offline", ev), 1);
    assert_false(proto_get_bool(cJSON_GetArrayItem(model_fleet(m), 0), "online", true));
    cJSON_Delete(ev);
    ev = cJSON_Parse("{\"device\":{\"id\":9,\"name\":\"Status 1\",\"online\":true}}");
    assert_int_equal(model_apply_event(m, 52, 1, "device.online", ev), 1);
    assert_int_equal(cJSON_GetArraySize(model_fleet(m)), 3);
    cJSON_Delete(ev);
    ev = cJSON_Parse("{\"device\":{\"id\":4,\"name\":\"Board 1\",\"online\":false,"
                     "\"revoked\":true}}");
    assert_int_equal(model_apply_event(m, 53, 1, "device.offline", ev), 1);
    assert_int_equal(cJSON_GetArraySize(model_fleet(m)), 2);
    cJSON_Delete(ev);
    ev = cJSON_Parse("{\"nodevice\":1}");
    assert_int_equal(model_apply_event(m, 54, 1, "device.offline", ev), 0);
    cJSON_Delete(ev);
    model_clear(m);
    assert_null(model_board_stats(m));
    assert_int_equal(cJSON_GetArraySize(model_fleet(m)), 0);
    model_free(m);
    /* other modes keep neither */
    m = model_new(MODEL_RECEPTION);
    assert_int_equal(model_set_board_stats(m, good), -1);
    ev = cJSON_Parse("{\"device\":{\"id\":3,\"online\":false}}");
    assert_int_equal(model_apply_event(m, 1, 1, "device.offline", ev), 0);
    cJSON_Delete(ev);
    model_free(m);
    cJSON_Delete(good);
    cJSON_Delete(snap);
}

static int count_sent(const struct fix *f, enum proto_type type)
{
    int n = 0;
    for (int i = 0; i < f->nsent; i++)
        n += f->sent_type[i] == type;
    return n;
}

static const char *last_id(const struct fix *f, enum proto_type type)
{
    for (int i = f->nsent - 1; i >= 0; i--)
        if (f->sent_type[i] == type)
            return f->sent_id[i];
    return "";
}

static void answer(struct fix *f, const char *id, const char *data)
{
    static char frame[10000];
    snprintf(frame, sizeof frame, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":%s}", id,
             data);
    fix_hub(f, frame);
}

static void advance(struct fix *f, int64_t ms)
{
    f->app.mono += ms;
    f->app.wall += ms;
    app_tick(&f->app);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

static void visit_event(struct fix *f, int seq)
{
    char frame[512];
    snprintf(frame, sizeof frame,
             "{\"type\":\"event\",\"seq\":%d,\"kind\":\"visit.checked_in\",\"at\":1763800000000,"
             "\"data\":{\"visit\":{\"id\":%d,\"status\":\"waiting\"}}}",
             seq, seq);
    fix_hub(f, frame);
}

static void test_requests_and_pages(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    char data[8192];
    stats_json(data, sizeof data, 12, 5, 2, 8);
    /* nothing is asked while the hub is away; without figures the floor stays, no turns */
    advance(&f, VIEW_BOARD_ROTATE_MS + 5000);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), 0);
    assert_string_equal(app_screen(&f.app), "board.main");
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), 1);
    assert_string_equal(f.sent_args[f.nsent - 1], "{}");
    advance(&f, 9000); /* answered within the request's 10 s */
    answer(&f, last_id(&f, PROTO_T_BOARD_STATS), data);
    assert_non_null(model_board_stats(f.app.model));

    /* events: one request for a burst, after a short quiet, never within 10 s of the last */
    int sent = count_sent(&f, PROTO_T_BOARD_STATS);
    visit_event(&f, 11);
    visit_event(&f, 12);
    advance(&f, 500);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent);
    advance(&f, 600); /* 10.1 s after the last request: never sooner */
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 1);
    answer(&f, last_id(&f, PROTO_T_BOARD_STATS), data);
    visit_event(&f, 13);
    int64_t deadline = app_next_deadline(&f.app);
    advance(&f, 2000);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 1); /* within 10 s */
    assert_true(deadline <= f.app.mono + 8000);
    advance(&f, 8000);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 2);
    /* an event of another kind does not ask */
    answer(&f, last_id(&f, PROTO_T_BOARD_STATS), data);
    fix_hub(&f, "{\"type\":\"event\",\"seq\":20,\"kind\":\"complaint.opened\",\"at\":1,"
                "\"data\":{\"complaint\":{\"id\":70,\"status\":\"open\"}}}");
    advance(&f, 15000);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 2);
    /* quiet: once a minute */
    advance(&f, 45000);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 3);
    /* unanswered: the request lapses after 10 s and is retried 10 s later; the figures stay */
    advance(&f, APP_REQUEST_TIMEOUT_MS);
    assert_non_null(model_board_stats(f.app.model));
    advance(&f, VIEW_BOARD_STATS_RETRY);
    assert_int_equal(count_sent(&f, PROTO_T_BOARD_STATS), sent + 4);
    /* a refusal keeps the figures too */
    char frame[256];
    snprintf(frame, sizeof frame,
             "{\"type\":\"result\",\"id\":\"%s\",\"ok\":false,\"error\":{\"code\":\"internal\","
             "\"message\":\"x\"}}",
             last_id(&f, PROTO_T_BOARD_STATS));
    fix_hub(&f, frame);
    assert_non_null(model_board_stats(f.app.model));

    /* pages turn every 20 s; a tab switches at once and pauses the turns for 60 s */
    f.app.bd.page_since = f.app.mono;
    f.app.bd.page = VIEW_BOARD_FLOOR;
    advance(&f, VIEW_BOARD_ROTATE_MS);
    assert_string_equal(app_screen(&f.app), "board.figures");
    assert_non_null(ui_find(f.app.ui, "board.stats.visits"));
    advance(&f, VIEW_BOARD_ROTATE_MS);
    assert_string_equal(app_screen(&f.app), "board.main");
    fix_tap(&f, "board.page.figures");
    assert_string_equal(app_screen(&f.app), "board.figures");
    advance(&f, VIEW_BOARD_ROTATE_MS + 1000);
    assert_string_equal(app_screen(&f.app), "board.figures");
    advance(&f, VIEW_BOARD_PAUSE_MS - VIEW_BOARD_ROTATE_MS);
    assert_string_equal(app_screen(&f.app), "board.main");
    fix_tap(&f, "board.page.floor"); /* the page shown: stays, and pauses */
    advance(&f, VIEW_BOARD_ROTATE_MS + 1000);
    assert_string_equal(app_screen(&f.app), "board.main");
    fix_fini(&f);
}

static void check_screen(struct fix *f, int w, int h)
{
    fix_build(f, w, h);
    const struct ui *ui = f->app.ui;
    const char *screen = app_screen(&f->app);
    struct ui_rect all = {0, 0, w, h};
    assert_int_equal(ui_overflow(ui), 0);
    for (int i = 0; i < ui_count(ui); i++) {
        const struct widget *a = ui_get(ui, i);
        if (!layout_inside(a->r, all))
            fail_msg("%s at %dx%d: widget '%s' (%s) is off screen", screen, w, h, a->id, a->text);
        /* legible across a showroom: no text under 15 units (15 px at 720p) */
        if ((a->kind == WIDGET_LABEL || a->kind == WIDGET_CHIP) && a->text[0] &&
            a->size < layout_px(&f->app.lay, 15))
            fail_msg("%s at %dx%d: '%s' at %d px is too small", screen, w, h, a->text, a->size);
        bool tappable = a->kind == WIDGET_BUTTON || a->kind == WIDGET_TOGGLE;
        if (!tappable)
            continue;
        if (a->r.h < layout_px(&f->app.lay, 40) || a->r.w < layout_px(&f->app.lay, 40))
            fail_msg("%s at %dx%d: '%s' too small to touch", screen, w, h, a->id);
        for (int j = i + 1; j < ui_count(ui); j++) {
            const struct widget *b = ui_get(ui, j);
            if ((b->kind == WIDGET_BUTTON || b->kind == WIDGET_TOGGLE) &&
                layout_overlaps(a->r, b->r))
                fail_msg("%s at %dx%d: '%s' overlaps '%s'", screen, w, h, a->id, b->id);
        }
    }
}

static const int sizes[][2] = {{1280, 720}, {720, 1280}, {3840, 2160}, {1080, 1920}};

static void check_pages(struct fix *f)
{
    for (int lang = 0; lang < 2; lang++) {
        f->app.lang = lang ? I18N_EN : I18N_ZH;
        for (int p = 0; p < 2; p++) {
            f->app.bd.page = p ? VIEW_BOARD_FIGURES : VIEW_BOARD_FLOOR;
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
                check_screen(f, sizes[i][0], sizes[i][1]);
        }
    }
    f->app.lang = I18N_ZH;
}

static void test_layouts_and_fleet(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    char data[8192];
    stats_json(data, sizeof data, 12, 5, 0, 11);
    answer(&f, last_id(&f, PROTO_T_BOARD_STATS), data);
    check_pages(&f);

    /* the figures page shows what the hub said */
    f.app.bd.page = VIEW_BOARD_FIGURES;
    fix_build(&f, 1280, 720);
    assert_string_equal(ui_find(f.app.ui, "board.stats.visits")->text, "12");
    assert_string_equal(ui_find(f.app.ui, "board.stats.orders")->text, "5");
    assert_string_equal(ui_find(f.app.ui, "board.stats.deliveries")->text, "0");
    assert_true(ui_has_text(f.app.ui, "占到店 42%"));
    assert_true(ui_has_text(f.app.ui, "占订单 0%"));
    assert_true(ui_has_text(f.app.ui, "新线索 3 · 销售额 ¥379,600"));
    assert_true(ui_has_text(f.app.ui, "11/10 – 11/23"));
    assert_string_equal(ui_find(f.app.ui, "board.trend.visits.today")->text, "12");
    assert_non_null(ui_find(f.app.ui, "board.trend.visits.13")); /* today's column */
    assert_null(ui_find(f.app.ui, "board.trend.visits.0"));      /* a day of 0 visits */
    assert_string_equal(ui_find(f.app.ui, "board.league.0.1")->text, "张伟");
    assert_true(ui_has_text(f.app.ui, "¥5,694,000")); /* 30 orders of 189,800 */
    assert_true(ui_has_text(f.app.ui, "4.8"));        /* 19 / 4 = 4.75 */
    assert_true(ui_has_text(f.app.ui, "截至 "));
    /* the league shows as many as fit, at least the top 5, never more than the hub's 10 */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        fix_build(&f, sizes[i][0], sizes[i][1]);
        assert_non_null(ui_find(f.app.ui, "board.league.4.1"));
        assert_null(ui_find(f.app.ui, "board.league.10.1"));
    }
    fix_build(&f, 1280, 720);
    f.app.lang = I18N_EN;
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, "42% of visits"));
    assert_true(ui_has_text(f.app.ui, "10/11 – 23/11"));
    /* old figures say how old, in words */
    advance(&f, 5 * 60000);
    f.app.bd.page = VIEW_BOARD_FIGURES; /* the pages turned meanwhile */
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, "min ago"));
    f.app.lang = I18N_ZH;

    /* no fleet strip while every screen is online */
    fix_hub(&f, "{\"type\":\"event\",\"seq\":29,\"kind\":\"device.online\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":3,\"name\":\"Reception 2\",\"mode\":\"reception\","
                "\"online\":true,\"online_changed_at\":1763790000000,\"revoked\":false}}}");
    assert_null(ui_find(f.app.ui, "board.fleet"));
    /* a screen added but never connected did not go offline */
    fix_hub(&f, "{\"type\":\"event\",\"seq\":30,\"kind\":\"device.offline\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":8,\"name\":\"Spare\",\"mode\":\"status\","
                "\"online\":false,\"online_changed_at\":0,\"last_seen\":0,\"revoked\":false}}}");
    assert_null(ui_find(f.app.ui, "board.fleet"));
    fix_hub(&f, "{\"type\":\"event\",\"seq\":31,\"kind\":\"device.offline\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":3,\"name\":\"Reception 2\",\"mode\":\"reception\","
                "\"online\":false,\"online_changed_at\":1763791000000,\"revoked\":false}}}");
    fix_hub(&f, "{\"type\":\"event\",\"seq\":32,\"kind\":\"device.offline\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":5,\"name\":\"展厅大屏\",\"mode\":\"board\","
                "\"online\":false,\"online_changed_at\":1763790000000,\"revoked\":false}}}");
    for (int p = 0; p < 2; p++) {
        f.app.bd.page = p ? VIEW_BOARD_FIGURES : VIEW_BOARD_FLOOR;
        fix_build(&f, 1280, 720);
        assert_string_equal(ui_find(f.app.ui, "board.fleet")->text, "屏幕离线 2");
        /* longest offline first, each with the time it went */
        const char *list = ui_find(f.app.ui, "board.fleet.list")->text;
        const char *big = strstr(list, "展厅大屏"), *rec = strstr(list, "Reception 2");
        assert_non_null(big);
        assert_non_null(rec);
        assert_true(big < rec);
        assert_non_null(strstr(list, " 起"));
    }
    check_pages(&f);
    fix_hub(&f, "{\"type\":\"event\",\"seq\":33,\"kind\":\"device.online\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":3,\"name\":\"Reception 2\",\"mode\":\"reception\","
                "\"online\":true,\"online_changed_at\":1763795000000,\"revoked\":false}}}");
    fix_hub(&f, "{\"type\":\"event\",\"seq\":34,\"kind\":\"device.online\",\"at\":1,"
                "\"data\":{\"device\":{\"id\":5,\"name\":\"展厅大屏\",\"mode\":\"board\","
                "\"online\":true,\"online_changed_at\":1763795000000,\"revoked\":false}}}");
    assert_null(ui_find(f.app.ui, "board.fleet"));
    fix_fini(&f);

    /* before the first answer the figures page says it is loading */
    fix_init(&f, MODEL_BOARD);
    fix_snapshot(&f);
    f.app.bd.page = VIEW_BOARD_FIGURES;
    check_pages(&f);
    f.app.bd.page = VIEW_BOARD_FIGURES;
    fix_build(&f, 1280, 720);
    assert_non_null(ui_find(f.app.ui, "board.stats.loading"));
    fix_fini(&f);
}

/* An order waiting for review counts down to its running time limit (sla_due_at) and says
 * "overdue" once it passes, before the hub records the breach. */
static void test_review_countdown(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    fix_build(&f, 1280, 720);
    char frame[1024];
    snprintf(frame, sizeof frame,
             "{\"type\":\"event\",\"seq\":11,\"kind\":\"order.updated\",\"at\":1,\"data\":"
             "{\"order\":{\"id\":9,\"order_no\":\"SF2611-0009\",\"customer\":{\"name\":"
             "\"周先生\"},\"model\":{\"code\":\"HX7\",\"name\":\"星河 7\"},\"stage\":"
             "\"entered\",\"public_stage\":\"received\",\"total_fen\":1,\"quantity\":1,"
             "\"created_at\":1,\"updated_at\":1,\"sla_breaches\":[],\"sla_due_at\":%lld}}}",
             (long long)(app_hub_now(&f.app) + 90 * 60000));
    fix_hub(&f, frame);
    const struct widget *w = ui_find(f.app.ui, "board.order_due.SF2611-0009");
    assert_non_null(w);
    assert_string_equal(w->text, "剩 1 小时 30 分");
    assert_null(ui_find(f.app.ui, "board.order_mark.SF2611-0009"));
    advance(&f, 61 * 60000);
    assert_string_equal(ui_find(f.app.ui, "board.order_due.SF2611-0009")->text, "剩 29 分钟");
    f.app.lang = I18N_EN;
    fix_build(&f, 1280, 720);
    assert_string_equal(ui_find(f.app.ui, "board.order_due.SF2611-0009")->text, "29 min left");
    f.app.lang = I18N_ZH;
    advance(&f, 30 * 60000);
    assert_null(ui_find(f.app.ui, "board.order_due.SF2611-0009"));
    assert_string_equal(ui_find(f.app.ui, "board.order_mark.SF2611-0009")->text, "超时");
    fix_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_and_percent),
        cmocka_unit_test(test_yuan),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_funnel),
        cmocka_unit_test(test_model_stats_and_fleet),
        cmocka_unit_test(test_requests_and_pages),
        cmocka_unit_test(test_layouts_and_fleet),
        cmocka_unit_test(test_review_countdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The scrolled list of today's deliveries (issue 5): with 20 deliveries the last one can be
 * dragged into view and picked; a drag is never a tap on the row under the finger; the
 * arrows scroll by a page; the offset clamps at both ends; rows outside the viewport are
 * not built; a list that fits has no arrows. Driven through app_press/motion/release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk_fixture.h"

#define N_ORDERS 20

static const char *const staff_ok =
    "\"ok\":true,\"data\":{\"staff\":{\"id\":4,\"staff_no\":\"S003\",\"name\":\"张伟\","
    "\"role\":\"consultant\"},\"expires_at\":1}";

/* Adds `n` ready orders of consultant 4 due today, SF2611-0101 .. in that order. */
static void add_orders(struct fix *f, int n)
{
    for (int i = 1; i <= n; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "{\"type\":\"event\",\"seq\":%d,\"kind\":\"order.updated\",\"at\":1,\"data\":{"
                 "\"order\":{\"id\":%d,\"order_no\":\"SF2611-01%02d\",\"customer\":{\"name\":"
                 "\"客户%d\",\"phone\":\"139****0001\"},\"model\":{\"code\":\"HX7\",\"name\":"
                 "\"星河 7\"},\"colour\":\"珍珠白\",\"stage\":\"ready\",\"consultant\":{\"id\":4,"
                 "\"name\":\"张伟\"},\"delivery_at\":%lld,\"delivery_place\":\"交车区 2\"}}}",
                 11 + i, 100 + i, i, i, 1763801000000LL + i * 60000LL);
        fix_hub(f, buf);
    }
}

static void setup(struct fix *f, int n, int w, int h)
{
    fix_init(f, MODEL_DELIVERY);
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    fix_build(f, w, h);
    fix_snapshot(f);
    add_orders(f, n);
}

static int last_of(const struct fix *f, enum proto_type t)
{
    for (int i = f->nsent - 1; i >= 0; i--)
        if (f->sent_type[i] == t)
            return i;
    return -1;
}

static void login(struct fix *f)
{
    fix_tap(f, "btn.login");
    for (const char *c = "003"; *c; c++) {
        char id[16];
        snprintf(id, sizeof id, "key.%c", *c);
        fix_tap(f, id);
    }
    fix_tap(f, "btn.next");
    for (const char *c = "1003"; *c; c++) {
        char id[16];
        snprintf(id, sizeof id, "key.%c", *c);
        fix_tap(f, id);
    }
    fix_tap(f, "btn.login_submit");
    int i = last_of(f, PROTO_T_STAFF_LOGIN);
    assert_true(i >= 0);
    char buf[512];
    snprintf(buf, sizeof buf, "{\"type\":\"result\",\"id\":\"%s\",%s}", f->sent_id[i], staff_ok);
    fix_hub(f, buf);
    assert_string_equal(app_screen(&f->app), "delivery.staff");
}

/* A finger from (x, y0) to (x, y1) in small steps, then lifted; the screen rebuilt. */
static void drag(struct fix *f, int x, int y0, int y1)
{
    app_press(&f->app, x, y0);
    fix_build(f, f->app.lay.w, f->app.lay.h);
    for (int i = 1; i <= 10; i++) {
        app_motion(&f->app, x, y0 + (y1 - y0) * i / 10);
        fix_build(f, f->app.lay.w, f->app.lay.h);
    }
    app_release(&f->app, x, y1);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

static const struct widget_scroll *scroll(const struct fix *f)
{
    return &f->app.dl.list_scroll;
}

/* Every row widget lies wholly in the viewport; returns how many rows are built. */
static int rows_inside(const struct fix *f)
{
    int rows = 0;
    for (int i = 0; i < ui_count(f->app.ui); i++) {
        const struct widget *w = ui_get(f->app.ui, i);
        if (strncmp(w->id, "delivery.order.", 15) != 0 && strncmp(w->id, "delivery.open.", 14) != 0)
            continue;
        assert_true(layout_inside(w->r, scroll(f)->view));
        rows += strncmp(w->id, "delivery.order.", 15) == 0;
    }
    return rows;
}

static void test_drag_to_the_last_and_pick(void **state)
{
    (void)state;
    struct fix f;
    setup(&f, N_ORDERS, 1280, 720);
    login(&f);
    int shown = rows_inside(&f);
    assert_true(shown > 0 && shown < N_ORDERS);
    assert_non_null(ui_find(f.app.ui, "delivery.open.SF2611-0101"));
    assert_null(ui_find(f.app.ui, "delivery.open.SF2611-0120"));
    assert_null(ui_find(f.app.ui, "delivery.scroll.up"));
    assert_non_null(ui_find(f.app.ui, "delivery.scroll.down"));
    assert_non_null(ui_find(f.app.ui, "delivery.more"));
    /* a long drag upwards, starting on a row: the list follows, nothing is opened */
    const struct widget *row = ui_find(f.app.ui, "delivery.open.SF2611-0103");
    int x = row->r.x + row->r.w / 2, y = row->r.y + row->r.h / 2;
    int sent = f.nsent;
    drag(&f, x, y, y - 5000);
    assert_int_equal(f.nsent, sent);
    assert_string_equal(app_screen(&f.app), "delivery.staff");
    assert_int_equal(scroll(&f)->offset, widget_scroll_max(scroll(&f))); /* clamped at the end */
    assert_true(scroll(&f)->offset > 0);
    assert_null(ui_find(f.app.ui, "delivery.open.SF2611-0101"));
    assert_non_null(ui_find(f.app.ui, "delivery.open.SF2611-0120"));
    assert_null(ui_find(f.app.ui, "delivery.scroll.down"));
    assert_null(ui_find(f.app.ui, "delivery.more"));
    assert_non_null(ui_find(f.app.ui, "delivery.scroll.up"));
    assert_true(rows_inside(&f) > 0);
    /* now a plain tap picks the 20th */
    fix_tap(&f, "delivery.open.SF2611-0120");
    assert_string_equal(app_screen(&f.app), "delivery.loading");
    int g = last_of(&f, PROTO_T_ORDER_GET);
    assert_true(g >= sent);
    assert_string_equal(f.sent_args[g], "{\"order_no\":\"SF2611-0120\"}");
    fix_fini(&f);
}

static void test_drag_is_not_a_tap(void **state)
{
    (void)state;
    struct fix f;
    setup(&f, N_ORDERS, 1280, 720);
    login(&f);
    const struct widget *row = ui_find(f.app.ui, "delivery.open.SF2611-0102");
    int x = row->r.x + row->r.w / 2, y = row->r.y + row->r.h / 2;
    int sent = f.nsent, far = layout_px(&f.app.lay, 30);
    /* down at the top: the list cannot move (clamped at 0), and it is still a drag */
    app_press(&f.app, x, y);
    assert_string_equal(ui_pressed(f.app.ui), "delivery.open.SF2611-0102");
    app_motion(&f.app, x, y + far);
    assert_string_equal(ui_pressed(f.app.ui), ""); /* no longer drawn pressed */
    app_motion(&f.app, x, y);                      /* back over the same row */
    app_release(&f.app, x, y);
    fix_build(&f, 1280, 720);
    assert_int_equal(scroll(&f)->offset, 0);
    assert_int_equal(f.nsent, sent);
    assert_string_equal(app_screen(&f.app), "delivery.staff");
    /* a wobble under the threshold is still a tap */
    int small = layout_px(&f.app.lay, 4);
    app_press(&f.app, x, y);
    app_motion(&f.app, x + small, y - small);
    app_release(&f.app, x + small, y - small);
    fix_build(&f, 1280, 720);
    assert_int_equal(scroll(&f)->offset, 0);
    assert_string_equal(app_screen(&f.app), "delivery.loading");
    int g = last_of(&f, PROTO_T_ORDER_GET);
    assert_string_equal(f.sent_args[g], "{\"order_no\":\"SF2611-0102\"}");
    fix_fini(&f);
}

static void test_arrows_page_and_clamp(void **state)
{
    (void)state;
    struct fix f;
    setup(&f, N_ORDERS, 1280, 720);
    login(&f);
    const struct widget *down = ui_find(f.app.ui, "delivery.scroll.down");
    assert_non_null(down);
    int mm9 = layout_px(&f.app.lay, 52);
    assert_true(down->r.w >= mm9 && down->r.h >= mm9); /* a finger's target */
    /* a page is the rows in view: the next tap shows the row after the last one shown */
    int shown = rows_inside(&f), max = widget_scroll_max(scroll(&f));
    assert_true(shown >= 2);
    char last[40], next[40];
    snprintf(last, sizeof last, "delivery.open.SF2611-01%02d", shown);
    snprintf(next, sizeof next, "delivery.open.SF2611-01%02d", shown + 1);
    assert_non_null(ui_find(f.app.ui, last));
    assert_null(ui_find(f.app.ui, next));
    int sent = f.nsent;
    fix_tap(&f, "delivery.scroll.down");
    int page = scroll(&f)->offset;
    assert_true(page > 0 && page < max); /* more than one page below */
    assert_null(ui_find(f.app.ui, last));
    assert_non_null(ui_find(f.app.ui, next));
    assert_int_equal(ui_find(f.app.ui, next)->r.y, scroll(&f)->view.y); /* on top, whole */
    assert_int_equal(rows_inside(&f), shown);
    assert_non_null(ui_find(f.app.ui, "delivery.scroll.up"));
    int taps = 1;
    while (ui_find(f.app.ui, "delivery.scroll.down")) {
        fix_tap(&f, "delivery.scroll.down");
        assert_true(++taps <= N_ORDERS);
    }
    assert_int_equal(scroll(&f)->offset, max); /* clamped, not beyond */
    fix_tap(&f, "delivery.scroll.up");
    assert_int_equal(scroll(&f)->offset, max - page);
    while (ui_find(f.app.ui, "delivery.scroll.up"))
        fix_tap(&f, "delivery.scroll.up");
    assert_int_equal(scroll(&f)->offset, 0);
    assert_int_equal(f.nsent, sent); /* arrows send nothing */
    assert_string_equal(app_screen(&f.app), "delivery.staff");
    fix_fini(&f);
}

/* Logged out, the list is not tappable but scrolls all the same; logging in starts at the
 * top again. */
static void test_public_list_scrolls(void **state)
{
    (void)state;
    struct fix f;
    setup(&f, N_ORDERS, 1080, 1920);
    assert_string_equal(app_screen(&f.app), "delivery.list");
    assert_null(ui_find(f.app.ui, "delivery.order.SF2611-0120"));
    const struct ui_rect v = scroll(&f)->view;
    drag(&f, v.x + v.w / 2, v.y + v.h - 10, v.y - 3000);
    assert_int_equal(scroll(&f)->offset, widget_scroll_max(scroll(&f)));
    assert_non_null(ui_find(f.app.ui, "delivery.order.SF2611-0120"));
    assert_null(ui_find(f.app.ui, "delivery.open.SF2611-0120"));
    rows_inside(&f);
    drag(&f, v.x + v.w / 2, v.y + 10, v.y + 5000); /* and back past the top */
    assert_int_equal(scroll(&f)->offset, 0);
    assert_non_null(ui_find(f.app.ui, "delivery.order.SF2611-0101"));
    fix_tap(&f, "delivery.scroll.down");
    assert_true(scroll(&f)->offset > 0);
    login(&f);
    assert_int_equal(scroll(&f)->offset, 0);
    fix_fini(&f);
}

static void test_nothing_to_scroll(void **state)
{
    (void)state;
    struct fix f;
    setup(&f, 3, 1280, 720);
    login(&f);
    assert_int_equal(rows_inside(&f), 3);
    assert_null(ui_find(f.app.ui, "delivery.scroll.up"));
    assert_null(ui_find(f.app.ui, "delivery.scroll.down"));
    assert_null(ui_find(f.app.ui, "delivery.more"));
    /* a drag on a list that fits: nothing moves, and the press is the buttons' as before */
    const struct widget *row = ui_find(f.app.ui, "delivery.open.SF2611-0101");
    int x = row->r.x + row->r.w / 2, y = row->r.y + row->r.h / 2;
    drag(&f, x, y, y - 300);
    assert_int_equal(scroll(&f)->offset, 0);
    assert_string_equal(app_screen(&f.app), "delivery.staff");
    fix_tap(&f, "delivery.open.SF2611-0103");
    assert_string_equal(app_screen(&f.app), "delivery.loading");
    fix_fini(&f);
}

/* The scroller alone: clamping, placement, paging. */
static void test_scroll_core(void **state)
{
    (void)state;
    struct widget_scroll s;
    memset(&s, 0, sizeof s);
    s.offset = 900;
    widget_scroll_frame(&s, layout_rect(0, 100, 400, 300), 1000, 10, 0);
    assert_int_equal(widget_scroll_max(&s), 700);
    assert_int_equal(s.offset, 700);
    struct ui_rect r;
    assert_true(widget_scroll_place(&s, 700, 100, &r));
    assert_int_equal(r.y, 100);
    assert_false(widget_scroll_place(&s, 650, 100, &r)); /* half above */
    assert_false(widget_scroll_place(&s, 950, 100, &r)); /* half below */
    assert_true(widget_scroll_page(&s, -1));
    assert_int_equal(s.offset, 400);
    assert_true(widget_scroll_page(&s, -5));
    assert_int_equal(s.offset, 0);
    assert_false(widget_scroll_page(&s, -1));
    assert_false(widget_scroll_press(&s, 10, 50)); /* outside the viewport */
    assert_true(widget_scroll_press(&s, 10, 200));
    assert_false(widget_scroll_motion(&s, 10, 195)); /* under the threshold */
    assert_false(widget_scroll_dragging(&s));
    assert_true(widget_scroll_motion(&s, 10, 150));
    assert_int_equal(s.offset, 50);
    assert_true(widget_scroll_release(&s));
    widget_scroll_frame(&s, layout_rect(0, 100, 400, 300), 250, 10, 0); /* content shrank */
    assert_int_equal(s.offset, 0);
    assert_false(widget_scroll_press(&s, 10, 200)); /* nothing to scroll */
    /* rows of 80 px: 3 whole rows a page; the end rounded up to a row; a drag settles */
    widget_scroll_frame(&s, layout_rect(0, 100, 400, 300), 1000, 10, 80);
    assert_int_equal(widget_scroll_max(&s), 720);
    assert_true(widget_scroll_page(&s, 1));
    assert_int_equal(s.offset, 240);
    assert_true(widget_scroll_page(&s, 9));
    assert_int_equal(s.offset, 720);
    assert_true(widget_scroll_press(&s, 10, 200));
    assert_true(widget_scroll_motion(&s, 10, 230)); /* 30 px down: between rows */
    assert_int_equal(s.offset, 690);
    assert_true(widget_scroll_release(&s));
    assert_int_equal(s.offset, 720); /* the nearest row */
    assert_true(widget_scroll_press(&s, 10, 200));
    assert_true(widget_scroll_motion(&s, 10, 250));
    assert_true(widget_scroll_release(&s));
    assert_int_equal(s.offset, 640);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drag_to_the_last_and_pick),
        cmocka_unit_test(test_drag_is_not_a_tap),
        cmocka_unit_test(test_arrows_page_and_clamp),
        cmocka_unit_test(test_public_list_scrolls),
        cmocka_unit_test(test_nothing_to_scroll),
        cmocka_unit_test(test_scroll_core),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

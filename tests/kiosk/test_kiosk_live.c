/* Screens that live on their own: a looked-up order refreshes on its events, the walls move
 * a few pixels every few minutes (burn-in), a disconnected screen keeps its data and says
 * how old it is, and only a logged-in staff member may close a fullscreen kiosk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk_fixture.h"

static void type(struct fix *f, const char *digits)
{
    for (const char *d = digits; *d; d++) {
        char id[16];
        snprintf(id, sizeof id, "key.%c", *d);
        fix_tap(f, id);
    }
}

static void result(struct fix *f, int i, const char *payload)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "{\"type\":\"result\",\"id\":\"%s\",%s}", f->sent_id[i], payload);
    fix_hub(f, buf);
}

#define PUBLIC_ORDER                                                                                     \
    "\"ok\":true,\"data\":{\"order\":{\"order_no\":\"SF2611-0005\",\"customer_name\":\"刘女士\","     \
    "\"model\":\"星河 7\",\"colour\":\"珍珠白\",\"public_stage\":\"%s\",\"consultant\":\"张伟\"," \
    "\"eta\":null,\"delivery_at\":null,\"delivery_place\":null,\"timeline\":[],\"todo\":[],"             \
    "\"notes\":[]}}"

static void wall_event(struct fix *f, int seq, const char *ref, const char *stage)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"type\":\"event\",\"seq\":%d,\"kind\":\"order.updated\",\"at\":1,\"data\":{"
             "\"wall\":{\"ref\":\"%s\",\"model\":\"星河 7\",\"public_stage\":\"%s\","
             "\"delivery_at\":null,\"delivery_place\":null}}}",
             seq, ref, stage);
    fix_hub(f, buf);
}

static void test_status_result_live(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_STATUS);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    fix_tap(&f, "btn.lookup");
    type(&f, "2611-0005");
    fix_tap(&f, "btn.next");
    type(&f, "0021");
    fix_tap(&f, "btn.search");
    char payload[1024];
    snprintf(payload, sizeof payload, PUBLIC_ORDER, "payment");
    result(&f, f.nsent - 1, payload);
    assert_string_equal(app_screen(&f.app), "status.result");
    int n = f.nsent;
    /* another order's event: nothing to refresh */
    wall_event(&f, 20,
               "\xE2\x80\xA6"
               "0099",
               "ready");
    assert_int_equal(f.nsent, n);
    /* this order's event (off the wall: still payment): looked up again with the same
     * number and phone tail */
    wall_event(&f, 21,
               "\xE2\x80\xA6"
               "0005",
               "payment");
    assert_int_equal(f.nsent, n + 1);
    assert_int_equal(f.sent_type[n], PROTO_T_ORDER_LOOKUP);
    assert_string_equal(f.sent_args[n], "{\"order_no\":\"SF2611-0005\",\"phone_last4\":\"0021\"}");
    /* a second event while that lookup is out does not pile up requests */
    wall_event(&f, 22,
               "\xE2\x80\xA6"
               "0005",
               "ready");
    assert_int_equal(f.nsent, n + 1);
    snprintf(payload, sizeof payload, PUBLIC_ORDER, "ready");
    result(&f, n, payload);
    assert_string_equal(app_screen(&f.app), "status.result");
    assert_string_equal(proto_get_str(f.app.st.order, "public_stage"), "ready");
    /* a failed refresh keeps what is shown */
    wall_event(&f, 23,
               "\xE2\x80\xA6"
               "0005",
               "ready");
    result(&f, f.nsent - 1, "\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"x\"}");
    assert_string_equal(app_screen(&f.app), "status.result");
    assert_non_null(f.app.st.order);
    /* leaving the result wipes the phone tail */
    fix_tap(&f, "btn.finish");
    assert_string_equal(entry_text(&f.app.st.last4), "");
    fix_fini(&f);
}

/* The position of the widget `id`, or fails. */
static struct ui_rect where(struct fix *f, const char *id)
{
    const struct widget *w = ui_find(f->app.ui, id);
    if (!w)
        fail_msg("no widget %s on %s", id, app_screen(&f->app));
    return w->r;
}

static void test_burn_in_shift(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    int64_t step = 3 * 60 * 1000;
    f.app.wall = (f.app.wall / step) * step + step * 8; /* step 0 of the loop */
    fix_build(&f, 1280, 720);
    struct ui_rect a = where(&f, "hdr.site");
    struct ui_rect bg = ui_get(f.app.ui, 1)->r; /* the header bar: full width */
    /* within a step nothing moves; the next step moves everything but full-width panels */
    f.app.wall += step - 1;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_int_equal(where(&f, "hdr.site").x, a.x);
    f.app.wall += 1;
    f.app.dirty = false;
    app_tick(&f.app);
    assert_true(f.app.dirty);
    fix_build(&f, 1280, 720);
    struct ui_rect b = where(&f, "hdr.site");
    assert_true(b.x != a.x || b.y != a.y);
    int dx = b.x - a.x, dy = b.y - a.y;
    assert_true(dx * dx + dy * dy <= 8 * 8); /* a few pixels, not a jump */
    struct ui_rect bg2 = ui_get(f.app.ui, 1)->r;
    assert_int_equal(bg2.x, bg.x);
    assert_int_equal(bg2.y, bg.y);
    /* the loop visits eight positions and comes back */
    int seen = 0;
    for (int i = 0; i < 8; i++) {
        int x, y;
        f.app.wall += step;
        assert_int_equal(app_burnin_offset(&f.app, &x, &y), (i + 2) % 8);
        seen |= 1 << ((i + 2) % 8);
    }
    assert_int_equal(seen, 0xff);
    /* the deadline wakes the loop for the next step even when nothing else happens */
    assert_true(app_next_deadline(&f.app) - f.app.mono <= step);
    fix_fini(&f);

    /* the status kiosk moves only its idle wall, not a screen someone is using */
    fix_init(&f, MODEL_STATUS);
    fix_snapshot(&f);
    f.app.wall = (f.app.wall / step) * step + step * 8 + step; /* step 1: (+1, 0) */
    fix_build(&f, 1280, 720);
    struct ui_rect wall = where(&f, "btn.lookup");
    fix_tap(&f, "btn.lookup");
    fix_tap(&f, "btn.back");
    f.app.wall -= step; /* step 0 */
    fix_build(&f, 1280, 720);
    assert_true(where(&f, "btn.lookup").x < wall.x);
    fix_tap(&f, "btn.lookup");
    struct ui_rect k1 = where(&f, "key.1");
    f.app.wall += step;
    fix_build(&f, 1280, 720);
    assert_int_equal(where(&f, "key.1").x, k1.x);
    fix_fini(&f);
}

static void test_data_age_when_disconnected(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_STATUS);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&f);
    assert_true(ui_has_text(f.app.ui, "星河 7")); /* the wall */
    app_on_conn(&f.app, APP_CONN_RECONNECTING, f.app.mono + 4000);
    fix_build(&f, 1280, 720);
    /* the last state stays, marked "just now" and reconnecting */
    assert_true(ui_has_text(f.app.ui, "星河 7"));
    assert_true(ui_has_text(f.app.ui, "数据更新于刚才"));
    assert_true(ui_has_text(f.app.ui, "4 秒"));
    assert_non_null(ui_find(f.app.ui, "hdr.conn_icon")); /* an icon, not colour alone */
    f.app.wall += 3 * 60000 + 5000;
    f.app.mono += 3 * 60000 + 5000;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, "数据更新于 3 分钟前"));
    assert_string_equal(app_screen(&f.app), "status.wall"); /* no error screen */
    f.app.lang = I18N_EN;
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, "Data from 3 min ago"));
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_build(&f, 1280, 720);
    assert_false(ui_has_text(f.app.ui, "Data from"));
    assert_null(ui_find(f.app.ui, "hdr.conn_icon"));
    fix_fini(&f);
}

static void test_quit_needs_staff(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    assert_false(app_may_quit(&f.app));
    fix_fini(&f);
    fix_init(&f, MODEL_DELIVERY);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    assert_false(app_may_quit(&f.app));
    fix_tap(&f, "btn.login");
    type(&f, "003");
    fix_tap(&f, "btn.next");
    type(&f, "1003");
    fix_tap(&f, "btn.login_submit");
    result(&f, f.nsent - 1,
           "\"ok\":true,\"data\":{\"staff\":{\"id\":4,\"staff_no\":\"S003\",\"name\":\"张伟\","
           "\"role\":\"consultant\"},\"expires_at\":1}");
    assert_true(app_may_quit(&f.app));
    fix_tap(&f, "btn.logout");
    assert_false(app_may_quit(&f.app));
    fix_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_result_live),
        cmocka_unit_test(test_burn_in_shift),
        cmocka_unit_test(test_data_age_when_disconnected),
        cmocka_unit_test(test_quit_needs_staff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

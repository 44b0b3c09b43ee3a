/* The delivery sign-off driven like a kiosk with a fake network: staff login and its
 * silent renewal, the checklist, summary, signature, rating, comment and complaint, the
 * order_deliver that leaves, and the offline queue (write-ahead, queued when the hub is
 * away or silent, resent with the ORIGINAL id, deleted only on ok, kept on a refusal).
 * Also: the idle reset wipes what a customer typed or signed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk_fixture.h"
#include "signq.h"

struct dfix {
    struct fix f;
    char dir[64];
    struct signq *q;
};

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

static const char *const staff_ok =
    "\"ok\":true,\"data\":{\"staff\":{\"id\":4,\"staff_no\":\"S003\",\"name\":\"张伟\","
    "\"role\":\"consultant\"},\"expires_at\":1}";

static const char *const order_ok =
    "\"ok\":true,\"data\":{\"order\":{\"id\":9,\"order_no\":\"SF2611-0009\",\"customer\":{"
    "\"id\":2,\"name\":\"宋立新\",\"phone\":\"13900000001\"},\"model\":{\"code\":\"HX7\","
    "\"name\":\"星河 7\"},\"colour\":\"珍珠白\",\"vin\":\"LSVAB4BR5PN000009\",\"stage\":"
    "\"ready\",\"special_requests\":\"脚垫, dashcam\",\"delivery_at\":1763810000000,"
    "\"delivery_place\":\"交车区 2\",\"consultant\":{\"id\":4,\"name\":\"张伟\"}},"
    "\"audit\":[],\"notes\":[],\"payments\":[],\"refunds\":[],\"requests\":[],\"signoff\":null}";

static void dfix_init(struct dfix *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "/tmp/kiosk-signq-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    char err[256];
    d->q = signq_open(d->dir, err, sizeof err);
    if (!d->q)
        fail_msg("%s", err);
    fix_init(&d->f, MODEL_DELIVERY);
    d->f.app.signq = d->q;
    app_on_conn(&d->f.app, APP_CONN_CONNECTED, 0);
    fix_snapshot(&d->f);
    /* a ready order of consultant 4, due today */
    fix_hub(&d->f,
            "{\"type\":\"event\",\"seq\":12,\"kind\":\"order.updated\",\"at\":1,\"data\":{"
            "\"order\":{\"id\":9,\"order_no\":\"SF2611-0009\",\"customer\":{\"name\":"
            "\"宋先生\",\"phone\":\"139****0001\"},\"model\":{\"code\":\"HX7\",\"name\":"
            "\"星河 7\"},\"colour\":\"珍珠白\",\"stage\":\"ready\",\"consultant\":{\"id\":4,"
            "\"name\":\"张伟\"},\"delivery_at\":1763810000000,\"delivery_place\":\"交车区 2\"}}}");
}

static void dfix_fini(struct dfix *d)
{
    fix_fini(&d->f);
    signq_close(d->q);
    char path[128];
    const char *files[] = {"signoffs.db", "signoffs.db-wal", "signoffs.db-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", d->dir, files[i]);
        unlink(path);
    }
    rmdir(d->dir);
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
    type(f, "003");
    fix_tap(f, "btn.next");
    type(f, "1003");
    assert_false(ui_has_text(f->app.ui, "1003")); /* the PIN is masked */
    fix_tap(f, "btn.login_submit");
    int i = last_of(f, PROTO_T_STAFF_LOGIN);
    assert_string_equal(f->sent_args[i], "{\"staff_no\":\"S003\",\"pin\":\"1003\"}");
    result(f, i, staff_ok);
    assert_string_equal(app_screen(&f->app), "delivery.staff");
}

/* Draws a name across the pad through the app's pointer input. */
static void sign(struct fix *f)
{
    const struct widget *pad = ui_find(f->app.ui, "sig.pad");
    assert_non_null(pad);
    struct ui_rect r = pad->r;
    app_press(&f->app, r.x + r.w / 10, r.y + r.h / 2);
    for (int i = 1; i <= 40; i++) {
        f->app.mono += 15;
        app_motion(&f->app, r.x + r.w / 10 + i * r.w * 8 / 400, r.y + r.h / 2 + (i % 2) * r.h / 8);
    }
    app_release(&f->app, r.x + r.w * 9 / 10, r.y + r.h / 2);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

/* From the staff list to the rating screen with everything ticked and signed. */
static void walk_to_rating(struct fix *f)
{
    fix_tap(f, "delivery.open.SF2611-0009");
    assert_string_equal(app_screen(&f->app), "delivery.loading");
    int g = last_of(f, PROTO_T_ORDER_GET);
    assert_string_equal(f->sent_args[g], "{\"order_no\":\"SF2611-0009\"}");
    result(f, g, order_ok);
    assert_string_equal(app_screen(&f->app), "delivery.checklist");
    /* the full order: VIN and ordered accessories shown */
    assert_true(ui_has_text(f->app.ui, "LSVAB4BR5PN000009"));
    assert_true(ui_has_text(f->app.ui, "脚垫, dashcam"));
    assert_true(ui_has_text(f->app.ui, "宋立新"));
    const char *checks[] = {"vehicle_clean", "invoice",     "coc",      "warranty",
                            "keys",          "accessories", "explained"};
    for (int i = 0; i < 7; i++) {
        assert_false(ui_find(f->app.ui, "btn.next")->enabled); /* every item first */
        char id[40];
        snprintf(id, sizeof id, "check.%s", checks[i]);
        fix_tap(f, id);
    }
    /* untick and tick again: a tap toggles */
    fix_tap(f, "check.keys");
    assert_false(ui_find(f->app.ui, "btn.next")->enabled);
    fix_tap(f, "check.keys");
    fix_tap(f, "btn.next");
    assert_string_equal(app_screen(&f->app), "delivery.summary");
    assert_true(ui_has_text(f->app.ui, "LSVAB4BR5PN000009"));
    fix_tap(f, "btn.sign");
    assert_string_equal(app_screen(&f->app), "delivery.sign");
    /* a dot is not a signature: Next says so and stays */
    const struct widget *pad = ui_find(f->app.ui, "sig.pad");
    app_press(&f->app, pad->r.x + 20, pad->r.y + 20);
    app_release(&f->app, pad->r.x + 20, pad->r.y + 20);
    fix_build(f, 1280, 720);
    fix_tap(f, "btn.next");
    assert_string_equal(app_screen(&f->app), "delivery.sign");
    assert_true(ui_has_text(f->app.ui, app_t(&f->app, I18N_SIG_TOO_SHORT)));
    fix_tap(f, "btn.sig_clear");
    assert_int_equal(f->app.dl.sig.npoints, 0);
    sign(f);
    assert_true(f->app.dl.sig.npoints > 10);
    fix_tap(f, "btn.next");
    assert_string_equal(app_screen(&f->app), "delivery.rating");
}

static void test_login_rows_and_renewal(void **state)
{
    struct dfix d;
    dfix_init(&d);
    struct fix *f = &d.f;
    assert_true(ui_has_text(f->app.ui, "SF2611-0009"));
    assert_null(ui_find(f->app.ui, "delivery.open.SF2611-0009")); /* not before a login */
    login(f);
    assert_true(ui_has_text(f->app.ui, "张伟（销售顾问）"));
    assert_non_null(ui_find(f->app.ui, "delivery.open.SF2611-0009"));
    /* the hub drops: the kiosk's session stays, and is renewed silently afterwards */
    app_on_conn(&f->app, APP_CONN_RECONNECTING, f->app.mono + 500);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "delivery.staff");
    int before = f->nsent;
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    assert_int_equal(f->nsent, before + 1);
    assert_int_equal(f->sent_type[before], PROTO_T_STAFF_LOGIN);
    assert_string_equal(f->sent_args[before], "{\"staff_no\":\"S003\",\"pin\":\"1003\"}");
    result(f, before, staff_ok);
    assert_true(f->app.dl.hub_login);
    /* a refused renewal (PIN changed, locked) ends the session, said on the list */
    app_on_conn(&f->app, APP_CONN_RECONNECTING, f->app.mono + 500);
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    result(f, f->nsent - 1,
           "\"ok\":false,\"error\":{\"code\":\"staff_locked\",\"message\":\"locked\"}");
    assert_string_equal(app_screen(&f->app), "delivery.list");
    assert_true(ui_has_text(f->app.ui, app_t(&f->app, I18N_ERR_LOCKED)));
    assert_string_equal(f->app.dl.staff_pin, "");
    /* logout on purpose sends staff_logout and wipes the PIN */
    login(f);
    fix_tap(f, "btn.logout");
    assert_int_equal(f->sent_type[f->nsent - 1], PROTO_T_STAFF_LOGOUT);
    assert_string_equal(f->app.dl.staff_pin, "");
    assert_string_equal(app_screen(&f->app), "delivery.list");
    dfix_fini(&d);
}

static void test_signoff_delivered(void **state)
{
    struct dfix d;
    dfix_init(&d);
    struct fix *f = &d.f;
    login(f);
    walk_to_rating(f);
    fix_tap(f, "rate.4");
    fix_tap(f, "btn.comment");
    assert_string_equal(app_screen(&f->app), "delivery.comment");
    const char *keys[] = {"kb.shift", "kb.H", "kb.i", "kb.space", "kb.x", "kb.del", "kb.!"};
    for (int i = 0; i < 6; i++)
        fix_tap(f, keys[i]);
    assert_null(ui_find(f->app.ui, keys[6])); /* not a key of this keyboard */
    fix_tap(f, "kb.done");
    assert_string_equal(app_screen(&f->app), "delivery.rating");
    assert_true(ui_has_text(f->app.ui, "Hi "));
    fix_tap(f, "btn.complaint");
    assert_true(ui_has_text(f->app.ui, app_t(&f->app, I18N_COMPLAINT_NOTE)));
    fix_tap(f, "btn.submit");
    assert_string_equal(app_screen(&f->app), "delivery.submitting");
    int s = last_of(f, PROTO_T_ORDER_DELIVER);
    assert_true(s >= 0);
    /* the args as the hub wants them; the complaint rides in the comment with a marker */
    cJSON *args = cJSON_Parse(f->sent_args[s]);
    assert_non_null(args);
    assert_string_equal(proto_get_str(args, "order_no"), "SF2611-0009");
    const cJSON *chk = proto_get_obj(args, "checklist");
    assert_int_equal(cJSON_GetArraySize(chk), 7);
    const cJSON *it;
    cJSON_ArrayForEach(it, chk) assert_true(cJSON_IsTrue(it));
    assert_int_equal(proto_get_int(args, "rating", 0), 4);
    assert_string_equal(proto_get_str(args, "comment"), "[complaint] Hi ");
    const cJSON *sig = proto_get_obj(args, "signature");
    assert_int_equal(strlen(proto_get_str(sig, "png_sha256")), 64);
    assert_true(cJSON_GetArraySize(proto_get_arr(sig, "strokes")) >= 1);
    cJSON_Delete(args);
    /* write-ahead: in the queue under the same id before any answer */
    struct signq_item items[2];
    assert_int_equal(signq_list(d.q, NULL, -1, items, 2), 1);
    assert_string_equal(items[0].id, f->sent_id[s]);
    assert_string_equal(items[0].staff_no, "S003");
    char *stored = signq_args(d.q, items[0].id);
    assert_string_equal(stored, f->sent_args[s]);
    free(stored);
    result(f, s,
           "\"ok\":true,\"data\":{\"order\":{\"order_no\":\"SF2611-0009\",\"stage\":"
           "\"delivered\"}}");
    assert_string_equal(app_screen(&f->app), "delivery.done");
    assert_int_equal(f->app.dl.outcome, DL_OUT_DELIVERED);
    assert_int_equal(signq_count(d.q, -1), 0); /* deleted after the ok */
    assert_int_equal(f->app.dl.sig.npoints, 0);
    fix_tap(f, "btn.finish");
    assert_string_equal(app_screen(&f->app), "delivery.staff");
    dfix_fini(&d);
}

static void test_signoff_offline_then_resent(void **state)
{
    struct dfix d;
    dfix_init(&d);
    struct fix *f = &d.f;
    login(f);
    walk_to_rating(f);
    app_on_conn(&f->app, APP_CONN_RECONNECTING, f->app.mono + 5000);
    fix_build(f, 1280, 720);
    /* the screen keeps the last state and says how old it is */
    assert_true(ui_has_text(f->app.ui, "5"));
    int before = f->nsent;
    fix_tap(f, "btn.submit");
    /* nothing can leave: saved on this kiosk, and the screen says so at once */
    assert_int_equal(f->nsent, before);
    assert_string_equal(app_screen(&f->app), "delivery.done");
    assert_int_equal(f->app.dl.outcome, DL_OUT_QUEUED);
    assert_true(ui_has_text(f->app.ui, app_t(&f->app, I18N_DONE_QUEUED)));
    struct signq_item items[2];
    assert_int_equal(signq_list(d.q, NULL, SIGNQ_QUEUED, items, 2), 1);
    char *stored = signq_args(d.q, items[0].id);
    fix_tap(f, "btn.finish");
    /* the hub is back: login renewed, then the sign-off resent with its ORIGINAL id */
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    int l = last_of(f, PROTO_T_STAFF_LOGIN);
    assert_true(l >= before);
    assert_int_equal(last_of(f, PROTO_T_ORDER_DELIVER), -1); /* not before the login */
    result(f, l, staff_ok);
    int s = last_of(f, PROTO_T_ORDER_DELIVER);
    assert_true(s > l);
    assert_string_equal(f->sent_id[s], items[0].id);
    assert_string_equal(f->sent_args[s], stored);
    /* no answer in time: kept, resent later with the same id again */
    f->app.mono += APP_REQUEST_TIMEOUT_MS + 1;
    app_tick(&f->app);
    assert_int_equal(signq_count(d.q, SIGNQ_QUEUED), 1);
    f->app.mono += 6000;
    app_tick(&f->app);
    int s2 = last_of(f, PROTO_T_ORDER_DELIVER);
    assert_true(s2 > s);
    assert_string_equal(f->sent_id[s2], items[0].id);
    result(f, s2, "\"ok\":true,\"data\":{\"order\":{\"stage\":\"delivered\"}}");
    assert_int_equal(signq_count(d.q, -1), 0);
    free(stored);
    dfix_fini(&d);
}

static void test_signoff_timeout_expiry_and_refusal(void **state)
{
    struct dfix d;
    dfix_init(&d);
    struct fix *f = &d.f;
    login(f);
    walk_to_rating(f);
    fix_tap(f, "btn.submit");
    int s = last_of(f, PROTO_T_ORDER_DELIVER);
    /* the hub's login lapsed: renewed, and the same command resent */
    result(f, s, "\"ok\":false,\"error\":{\"code\":\"session_expired\",\"message\":\"x\"}");
    assert_string_equal(app_screen(&f->app), "delivery.submitting");
    int l = last_of(f, PROTO_T_STAFF_LOGIN);
    assert_true(l > s);
    result(f, l, staff_ok);
    int s2 = last_of(f, PROTO_T_ORDER_DELIVER);
    assert_true(s2 > l);
    assert_string_equal(f->sent_id[s2], f->sent_id[s]);
    assert_string_equal(f->sent_args[s2], f->sent_args[s]);
    /* no answer at all within the timeout: queued, and said honestly */
    f->app.mono += APP_REQUEST_TIMEOUT_MS + 1;
    app_tick(&f->app);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "delivery.done");
    assert_int_equal(f->app.dl.outcome, DL_OUT_QUEUED);
    assert_int_equal(signq_count(d.q, SIGNQ_QUEUED), 1);
    fix_tap(f, "btn.finish");
    /* the resend is refused for good: kept, marked failed, shown, never resent */
    f->app.mono += 6000;
    app_tick(&f->app);
    int s3 = last_of(f, PROTO_T_ORDER_DELIVER);
    assert_string_equal(f->sent_id[s3], f->sent_id[s]);
    result(f, s3,
           "\"ok\":false,\"error\":{\"code\":\"invalid_state\",\"message\":\"order is "
           "cancelled\"}");
    assert_int_equal(signq_count(d.q, SIGNQ_FAILED), 1);
    assert_int_equal(signq_count(d.q, SIGNQ_QUEUED), 0);
    fix_build(f, 1280, 720);
    assert_true(ui_has_text(f->app.ui, "order is cancelled"));
    int n = f->nsent;
    f->app.mono += 60000;
    app_tick(&f->app);
    assert_int_equal(last_of(f, PROTO_T_ORDER_DELIVER), s3);
    (void)n;
    dfix_fini(&d);
}

static void test_idle_wipes_customer_data(void **state)
{
    struct dfix d;
    dfix_init(&d);
    struct fix *f = &d.f;
    login(f);
    walk_to_rating(f);
    fix_tap(f, "btn.back");
    assert_string_equal(app_screen(&f->app), "delivery.sign");
    assert_true(f->app.dl.sig.npoints > 0);
    /* longer than a customer screen's idle time is still fine while reading and signing */
    f->app.mono += 61000;
    app_tick(&f->app);
    assert_string_equal(app_screen(&f->app), "delivery.sign");
    /* but not forever: the reset wipes the signature, the order, the PIN */
    f->app.mono += 3 * 60 * 1000;
    app_tick(&f->app);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "delivery.list");
    assert_int_equal(f->app.dl.sig.npoints, 0);
    assert_int_equal(f->app.dl.sig.pts[0].x, 0);
    assert_null(f->app.dl.order);
    assert_string_equal(f->app.dl.staff_pin, "");
    assert_false(f->app.dl.session);
    assert_true(ui_has_text(f->app.ui, app_t(&f->app, I18N_DELIVERY_AUTO_LOGOUT)));
    assert_int_equal(f->sent_type[f->nsent - 1], PROTO_T_STAFF_LOGOUT);
    dfix_fini(&d);

    /* reception: a typed phone number is wiped too */
    struct fix r;
    fix_init(&r, MODEL_RECEPTION);
    fix_tap(&r, "btn.checkin");
    fix_tap(&r, "btn.agree");
    type(&r, "1391234");
    assert_string_equal(entry_text(&r.app.rec.phone), "1391234");
    r.app.mono += 61000;
    app_tick(&r.app);
    fix_build(&r, 1280, 720);
    assert_string_equal(app_screen(&r.app), "reception.attract");
    assert_string_equal(entry_text(&r.app.rec.phone), "");
    assert_false(ui_has_text(r.app.ui, "1391234"));
    fix_fini(&r);
}

static void test_layouts_fit(void **state)
{
    /* every sign-off screen at the two screenshot sizes: widgets inside the screen */
    static const int sizes[][2] = {{1280, 720}, {1080, 1920}, {3840, 2160}};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        struct dfix d;
        dfix_init(&d);
        struct fix *f = &d.f;
        login(f);
        walk_to_rating(f);
        enum view_delivery_screen screens[] = {DL_STAFF,  DL_CHECKLIST, DL_SUMMARY, DL_SIGN,
                                               DL_RATING, DL_COMMENT,   DL_DONE};
        for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
            f->app.dl.screen = screens[i];
            fix_build(f, sizes[z][0], sizes[z][1]);
            assert_int_equal(ui_overflow(f->app.ui), 0);
            struct ui_rect all = {0, 0, sizes[z][0], sizes[z][1]};
            for (int w = 0; w < ui_count(f->app.ui); w++) {
                const struct widget *wd = ui_get(f->app.ui, w);
                if (!layout_inside(wd->r, all))
                    fail_msg("%s at %dx%d: widget '%s' (%s) outside the screen",
                             app_screen(&f->app), sizes[z][0], sizes[z][1], wd->id, wd->text);
            }
        }
        dfix_fini(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_rows_and_renewal),
        cmocka_unit_test(test_signoff_delivered),
        cmocka_unit_test(test_signoff_offline_then_resent),
        cmocka_unit_test(test_signoff_timeout_expiry_and_refusal),
        cmocka_unit_test(test_idle_wipes_customer_data),
        cmocka_unit_test(test_layouts_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* app.c and the views driven like a kiosk: taps in, requests out, results and events in,
 * screens and texts checked. The network is a fake port. */
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
    char buf[2048];
    snprintf(buf, sizeof buf, "{\"type\":\"result\",\"id\":\"%s\",%s}", f->sent_id[i], payload);
    fix_hub(f, buf);
}

static void to_phone(struct fix *f)
{
    assert_string_equal(app_screen(&f->app), "reception.attract");
    fix_tap(f, "btn.checkin");
    assert_string_equal(app_screen(&f->app), "reception.consent");
    fix_tap(f, "btn.agree");
    assert_string_equal(app_screen(&f->app), "reception.phone");
}

static void test_reception_checkin(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    fix_hub(&f,
            "{\"type\":\"auth_ok\",\"now\":1763800000000,\"device\":{\"id\":3,\"name\":\"R1\","
            "\"mode\":\"reception\",\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"浦东店\"}}}");
    assert_true(ui_has_text(f.app.ui, "浦东店"));
    to_phone(&f);
    type(&f, "1381234");
    assert_true(ui_has_text(f.app.ui, "138 1234"));
    assert_false(ui_find(f.app.ui, "btn.submit")->enabled);
    type(&f, "5678");
    assert_true(ui_find(f.app.ui, "btn.submit")->enabled);
    fix_tap(&f, "btn.submit");
    /* the hub first says which path the number takes; a returning customer is checked in
     * at once, without the new-customer questions */
    assert_string_equal(app_screen(&f.app), "reception.lookup");
    assert_int_equal(f.nsent, 1);
    assert_int_equal(f.sent_type[0], PROTO_T_CHECKIN_LOOKUP);
    assert_string_equal(f.sent_args[0], "{\"phone\":\"13812345678\"}");
    result(&f, 0, "\"ok\":true,\"data\":{\"path\":\"returning\",\"already_checked_in\":false}");
    assert_string_equal(app_screen(&f.app), "reception.sending");
    assert_int_equal(f.nsent, 2);
    assert_int_equal(f.sent_type[1], PROTO_T_CHECKIN);
    assert_string_equal(f.sent_args[1], "{\"phone\":\"13812345678\",\"consent\":true}");
    assert_non_null(strstr(f.sent_id[1], "k3-"));
    result(&f, 1,
           "\"ok\":true,\"data\":{\"visit\":{\"id\":1},\"customer\":{\"name\":\"王先生\","
           "\"new\":false},\"consultant\":{\"id\":4,\"name\":\"张伟\"},"
           "\"assigned_by\":\"rotation\",\"invited_by\":null,\"queue_position\":2,"
           "\"estimated_wait_min\":7}");
    assert_string_equal(app_screen(&f.app), "reception.done");
    assert_true(ui_has_text(f.app.ui, "王先生"));
    assert_true(ui_has_text(f.app.ui, "张伟"));
    assert_true(ui_has_text(f.app.ui, "第 2 位"));
    assert_true(ui_has_text(f.app.ui, "7 分钟"));
    /* the number typed is gone from memory once sent */
    assert_string_equal(entry_text(&f.app.rec.phone), "");
    /* back to attract after ~15 s */
    f.app.mono += 15001;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "reception.attract");
    fix_fini(&f);
}

static void test_reception_errors_and_retry(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    to_phone(&f);
    /* as typed: an impossible prefix says so at once */
    type(&f, "12");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_REC_PHONE_INVALID)));
    fix_tap(&f, "key.clear");
    type(&f, "13912345678");
    fix_tap(&f, "btn.submit");
    /* the lookup unanswered within 10 s: a clear message; Retry asks again */
    f.app.mono += APP_REQUEST_TIMEOUT_MS + 1;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "reception.error");
    assert_non_null(ui_find(f.app.ui, "btn.call_staff"));
    fix_tap(&f, "btn.retry");
    assert_string_equal(app_screen(&f.app), "reception.lookup");
    assert_int_equal(f.nsent, 2);
    assert_int_equal(f.sent_type[1], PROTO_T_CHECKIN_LOOKUP);
    result(&f, 1, "\"ok\":true,\"data\":{\"path\":\"owner\",\"already_checked_in\":false}");
    assert_int_equal(f.nsent, 3);
    assert_int_equal(f.sent_type[2], PROTO_T_CHECKIN);
    /* no answer within 10 s: a clear message, never a hang */
    f.app.mono += APP_REQUEST_TIMEOUT_MS + 1;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "reception.error");
    assert_true(ui_has_text(f.app.ui, "无法连接"));
    assert_int_equal(f.ncancel, 2);
    /* retry resends the same command id: the hub runs it at most once */
    fix_tap(&f, "btn.retry");
    assert_int_equal(f.nsent, 4);
    assert_int_equal(f.sent_type[3], PROTO_T_CHECKIN);
    assert_string_equal(f.sent_id[3], f.sent_id[2]);
    assert_string_equal(f.sent_args[3], f.sent_args[2]);
    /* a hub error goes back to the keypad with the message, and a fresh id next time */
    result(&f, 3,
           "\"ok\":false,\"error\":{\"code\":\"invalid_phone\",\"message\":\"bad\","
           "\"field\":\"phone\"}");
    assert_string_equal(app_screen(&f.app), "reception.phone");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_ERR_INVALID_PHONE)));
    fix_tap(&f, "btn.submit");
    assert_int_equal(f.nsent, 5);
    result(&f, 4, "\"ok\":true,\"data\":{\"path\":\"invited\",\"already_checked_in\":false}");
    assert_int_equal(f.nsent, 6);
    assert_int_equal(f.sent_type[5], PROTO_T_CHECKIN);
    assert_string_not_equal(f.sent_id[5], f.sent_id[2]);
    /* an unknown error code shows the hub's message */
    result(&f, 5, "\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"disk on fire\"}");
    assert_true(ui_has_text(f.app.ui, "disk on fire"));
    fix_fini(&f);
}

static void test_reception_back_cancel_lang_idle(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    fix_tap(&f, "btn.checkin");
    fix_tap(&f, "btn.decline");
    assert_string_equal(app_screen(&f.app), "reception.attract");
    to_phone(&f);
    fix_tap(&f, "btn.back");
    assert_string_equal(app_screen(&f.app), "reception.consent");
    fix_tap(&f, "btn.agree");
    type(&f, "138");
    fix_tap(&f, "btn.cancel");
    assert_string_equal(app_screen(&f.app), "reception.attract");
    /* language toggle on every screen */
    assert_true(ui_has_text(f.app.ui, "到店登记"));
    fix_tap(&f, "btn.lang");
    assert_true(ui_has_text(f.app.ui, "Welcome"));
    assert_string_equal(ui_find(f.app.ui, "btn.lang")->text, "中文");
    /* idle: back to attract, typed data wiped, default language */
    to_phone(&f);
    type(&f, "1391");
    f.app.mono += 60001;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "reception.attract");
    assert_string_equal(entry_text(&f.app.rec.phone), "");
    assert_int_equal(f.app.lang, I18N_ZH);
    fix_fini(&f);
}

static void test_reception_call_staff(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    fix_hub(&f,
            "{\"type\":\"auth_ok\",\"now\":1763800000000,\"device\":{\"id\":3,\"name\":\"R1\","
            "\"mode\":\"reception\",\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"浦东店\"}}}");
    to_phone(&f);
    type(&f, "1381234");
    /* tapping on the phone screen sends exactly one call_staff, keeps screen and digits */
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 1);
    assert_int_equal(f.sent_type[0], PROTO_T_CALL_STAFF);
    assert_string_equal(f.sent_args[0], "{}");
    assert_non_null(strstr(f.sent_id[0], "k3-"));
    assert_string_equal(app_screen(&f.app), "reception.phone");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_REC_CALL_STAFF_CALLING)));
    assert_false(ui_find(f.app.ui, "btn.call_staff")->enabled); /* no second send meanwhile */
    result(&f, 0, "\"ok\":true,\"data\":{\"notified\":2}");
    assert_string_equal(ui_find(f.app.ui, "rec.call_notice")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_SENT));
    assert_true(ui_has_text(f.app.ui, "Staff have been told and are on their way"));
    assert_string_equal(ui_find(f.app.ui, "btn.call_staff")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_CALLED));
    assert_string_equal(entry_text(&f.app.rec.phone), "1381234");
    /* the customer goes on typing under the notice */
    type(&f, "5678");
    assert_string_equal(entry_text(&f.app.rec.phone), "13812345678");
    assert_true(ui_find(f.app.ui, "btn.submit")->enabled);
    /* the notice goes by itself after a few seconds; the button still says it was called */
    f.app.mono += 6001;
    assert_true(app_next_deadline(&f.app) <= f.app.mono);
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_null(ui_find(f.app.ui, "rec.call_notice"));
    assert_string_equal(ui_find(f.app.ui, "btn.call_staff")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_CALLED));
    /* a second tap within 30 s sends nothing and says so again; nor after a cancel */
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 1);
    assert_non_null(ui_find(f.app.ui, "rec.call_notice"));
    assert_string_equal(entry_text(&f.app.rec.phone), "13812345678");
    assert_string_equal(app_screen(&f.app), "reception.phone");
    fix_tap(&f, "btn.cancel");
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 1);
    /* after the gap the button calls again, with a fresh id */
    f.app.mono += REC_CALL_GAP_MS;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(ui_find(f.app.ui, "btn.call_staff")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF));
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 2);
    assert_int_equal(f.sent_type[1], PROTO_T_CALL_STAFF);
    assert_string_not_equal(f.sent_id[1], f.sent_id[0]);
    /* a hub error is shown, and the next tap tries again at once */
    result(&f, 1, "\"ok\":false,\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}");
    assert_string_equal(ui_find(f.app.ui, "rec.call_notice")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_FAILED));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_ERR_FORBIDDEN)));
    assert_string_equal(ui_find(f.app.ui, "btn.call_staff")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF));
    /* from the consent screen; no answer within 10 s: unreachable, said plainly */
    fix_tap(&f, "btn.checkin");
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 3);
    assert_string_equal(app_screen(&f.app), "reception.consent");
    f.app.mono += APP_REQUEST_TIMEOUT_MS + 1;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "reception.consent");
    assert_string_equal(ui_find(f.app.ui, "rec.call_notice")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_FAILED));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_UNREACHABLE)));
    /* an answer after the timeout changes nothing */
    result(&f, 2, "\"ok\":true,\"data\":{\"notified\":1}");
    assert_string_equal(ui_find(f.app.ui, "rec.call_notice")->text,
                        app_t(&f.app, I18N_REC_CALL_STAFF_FAILED));
    fix_tap(&f, "btn.call_staff");
    assert_int_equal(f.nsent, 4);
    fix_fini(&f);
}

static void test_revoked_and_connection(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_CONN_CONNECTING)));
    app_on_conn(&f.app, APP_CONN_RECONNECTING, f.app.mono + 4000);
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, "4 秒"));
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    fix_build(&f, 1280, 720);
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_CONN_CONNECTED)));
    to_phone(&f);
    type(&f, "13912345678");
    fix_tap(&f, "btn.submit");
    app_on_conn(&f.app, APP_CONN_REVOKED, 0);
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "revoked");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_REVOKED_TITLE)));
    assert_null(ui_find(f.app.ui, "key.1"));
    fix_fini(&f);
}

static void test_status_lookup(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_STATUS);
    fix_snapshot(&f);
    assert_string_equal(app_screen(&f.app), "status.wall");
    assert_true(ui_has_text(f.app.ui, "…0005"));
    fix_hub(&f, "{\"type\":\"event\",\"seq\":11,\"kind\":\"order.updated\",\"at\":1,"
                "\"data\":{\"wall\":{\"ref\":\"…0042\",\"model\":\"星河 9\","
                "\"public_stage\":\"ready\",\"delivery_at\":null,\"delivery_place\":null}}}");
    assert_true(ui_has_text(f.app.ui, "…0042"));
    assert_int_equal(f.seq, 11);
    fix_tap(&f, "btn.lookup");
    type(&f, "2611-0005");
    assert_true(ui_has_text(f.app.ui, "SF2611-0005"));
    fix_tap(&f, "btn.next");
    type(&f, "0021");
    fix_tap(&f, "btn.search");
    assert_int_equal(f.sent_type[0], PROTO_T_ORDER_LOOKUP);
    assert_string_equal(f.sent_args[0], "{\"order_no\":\"SF2611-0005\",\"phone_last4\":\"0021\"}");
    result(&f, 0, "\"ok\":false,\"error\":{\"code\":\"not_found\",\"message\":\"no\"}");
    assert_string_equal(app_screen(&f.app), "status.phone4");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_ERR_NOT_FOUND)));
    type(&f, "0021");
    fix_tap(&f, "btn.search");
    result(&f, 1,
           "\"ok\":true,\"data\":{\"order\":{\"order_no\":\"SF2611-0005\","
           "\"customer_name\":\"刘女士\",\"model\":\"星河 7\",\"colour\":\"珍珠白\","
           "\"public_stage\":\"ready\",\"consultant\":\"张伟\",\"eta\":null,"
           "\"delivery_at\":null,\"delivery_place\":null,\"timeline\":["
           "{\"stage\":\"ordered\",\"state\":\"done\",\"at\":1},"
           "{\"stage\":\"vehicle\",\"state\":\"done\",\"at\":2},"
           "{\"stage\":\"payment\",\"state\":\"done\",\"at\":3},"
           "{\"stage\":\"ready\",\"state\":\"current\",\"at\":null},"
           "{\"stage\":\"delivered\",\"state\":\"todo\",\"at\":null}],"
           "\"todo\":[\"attend_delivery\"]}}");
    assert_string_equal(app_screen(&f.app), "status.result");
    assert_non_null(ui_find(f.app.ui, "status.step.ready.current"));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_TODO_ATTEND_DELIVERY)));
    assert_true(ui_has_text(f.app.ui, "张伟"));
    fix_tap(&f, "btn.finish");
    assert_string_equal(app_screen(&f.app), "status.wall");
    fix_fini(&f);
}

static void test_board_live(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    fix_snapshot(&f);
    assert_true(ui_has_text(f.app.ui, "王先生"));
    assert_true(ui_has_text(f.app.ui, "SF2611-0005"));
    assert_non_null(ui_find(f.app.ui, "board.consultant.4"));
    fix_hub(&f, "{\"type\":\"event\",\"seq\":20,\"kind\":\"visit.checked_in\",\"at\":1,\"data\":"
                "{\"visit\":{\"id\":2,\"customer\":{\"name\":\"李女士\",\"phone\":\"1\",\"new\":"
                "true},\"consultant\":null,\"status\":\"waiting\",\"arrived_at\":1763799900000}}}");
    assert_true(ui_has_text(f.app.ui, "李女士"));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_BOARD_UNASSIGNED)));
    fix_hub(&f, "{\"type\":\"event\",\"seq\":21,\"kind\":\"brand.new_kind\",\"at\":1,\"data\":{}}");
    assert_int_equal(model_seq(f.app.model), 21);

    /* the floor: notifications in the current language, conflicts, complaints */
    assert_true(ui_has_text(f.app.ui, "王先生到店，由张伟接待"));
    assert_non_null(ui_find(f.app.ui, "board.conflict.3"));
    assert_true(ui_has_text(f.app.ui, "张伟 / 李娜"));
    assert_non_null(ui_find(f.app.ui, "board.complaint.7"));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_BOARD_OVERDUE))); /* its breach */
    fix_hub(&f, "{\"type\":\"event\",\"seq\":22,\"kind\":\"staff.notify\",\"at\":"
                "1763800000000,\"data\":{\"staff_id\":4,\"staff_no\":\"S001\",\"kind\":"
                "\"staff_called\",\"text_zh\":\"前台呼叫\",\"text_en\":\"Front desk calls\","
                "\"refs\":{}}}");
    assert_non_null(ui_find(f.app.ui, "board.notify.22"));
    assert_true(ui_has_text(f.app.ui, "前台呼叫"));
    fix_tap(&f, "btn.lang");
    assert_true(ui_has_text(f.app.ui, "Front desk calls"));
    fix_hub(&f, "{\"type\":\"event\",\"seq\":23,\"kind\":\"conflict.ruled\",\"at\":1,"
                "\"data\":{\"conflict\":{\"id\":3,\"status\":\"ruled\"}}}");
    assert_null(ui_find(f.app.ui, "board.conflict.3"));
    assert_non_null(ui_find(f.app.ui, "board.no_conflicts"));
    /* an order in review past its time limit is marked in words */
    fix_hub(&f, "{\"type\":\"event\",\"seq\":24,\"kind\":\"order.sla_breached\",\"at\":1,"
                "\"data\":{\"order\":{\"id\":6,\"order_no\":\"SF2611-0006\",\"stage\":"
                "\"entered\",\"customer\":{\"name\":\"周女士\"},\"sla_breaches\":"
                "[\"initial_review\"]},\"order_no\":\"SF2611-0006\",\"kind\":"
                "\"initial_review\",\"due_at\":1}}");
    assert_non_null(ui_find(f.app.ui, "board.order_mark.SF2611-0006"));
    assert_null(ui_find(f.app.ui, "board.order_mark.SF2611-0005")); /* ready, no breach */
    fix_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reception_checkin),
        cmocka_unit_test(test_reception_errors_and_retry),
        cmocka_unit_test(test_reception_back_cancel_lang_idle),
        cmocka_unit_test(test_reception_call_staff),
        cmocka_unit_test(test_revoked_and_connection),
        cmocka_unit_test(test_status_lookup),
        cmocka_unit_test(test_board_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

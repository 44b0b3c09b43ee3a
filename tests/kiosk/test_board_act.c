/* Acting on the manager board (kiosk/view_board_act.c) with a fake network: which cards and
 * rows are tappable, the login on the keypads, the command each decision sends (order_review
 * for an entered order, order_approve for a reviewed one, conflict_rule naming the winner by
 * staff number), a reason required to send back, the hub's refusal in words, a silent re-login
 * that resends the same command id, Retry after no answer with the same id, the idle end with
 * staff_logout and the PIN wiped, the page turns held while acting, the review clock from
 * order_get, and every screen at four sizes in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk_fixture.h"

#define NOW 1763800000000LL

static void snapshot(struct fix *f)
{
    fix_hub(f,
            "{\"type\":\"snapshot\",\"seq\":10,\"state\":{"
            "\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"星河汽车 上海浦东店\"},"
            "\"now\":1763800000000,\"visits\":[],"
            "\"orders\":["
            /* entered, with a final-review breach of an earlier round (sent back, resubmitted) */
            "{\"id\":1,\"order_no\":\"SF2611-0001\",\"customer\":{\"name\":\"宋先生\"},"
            "\"model\":{\"code\":\"XH9\",\"name\":\"星河 9 MPV\"},\"colour\":\"极光蓝\","
            "\"quantity\":1,\"total_fen\":25980000,\"payment\":\"loan\",\"stage\":\"entered\","
            "\"consultant\":{\"id\":4,\"name\":\"张伟\"},\"created_at\":1763700000000,"
            "\"updated_at\":1763790000000,\"sla_breaches\":[\"final_review\"]},"
            "{\"id\":2,\"order_no\":\"SF2611-0002\",\"customer\":{\"name\":\"刘女士\"},"
            "\"model\":{\"code\":\"XH7\",\"name\":\"星河 7\"},\"colour\":\"珍珠白\","
            "\"quantity\":2,\"total_fen\":37960000,\"payment\":\"full\",\"stage\":\"reviewed\","
            "\"consultant\":{\"id\":5,\"name\":\"李娜\"},\"created_at\":1763700000000,"
            "\"updated_at\":1763796400000,\"sla_breaches\":[]},"
            "{\"id\":3,\"order_no\":\"SF2611-0003\",\"customer\":{\"name\":\"黄女士\"},"
            "\"model\":{\"code\":\"XH7\",\"name\":\"星河 7\"},\"stage\":\"returned\","
            "\"consultant\":{\"id\":4,\"name\":\"张伟\"},\"updated_at\":1763796400000}],"
            "\"consultants\":[{\"id\":4,\"name\":\"张伟\",\"on_duty\":true,\"busy\":false}],"
            "\"notifications\":[],"
            "\"conflicts\":[{\"id\":3,\"customer\":{\"name\":\"赵先生\"},\"lead_id\":8,"
            "\"claimants\":[{\"staff_id\":4,\"staff_no\":\"S004\",\"name\":\"张伟\","
            "\"role\":\"owner\",\"evidence\":{\"lead_created_at\":1763000000000,"
            "\"followups\":3,\"last_followup_at\":1763700000000}},"
            "{\"staff_id\":5,\"staff_no\":\"S005\",\"name\":\"李娜\",\"role\":\"serving\","
            "\"evidence\":{\"followups\":0,\"last_followup_at\":null}}],"
            "\"opened_at\":1763790000000,\"due_at\":1763876400000,\"winner\":null,"
            "\"ruled_at\":null,\"status\":\"open\"}],"
            "\"complaints\":[],\"overdue\":[],\"appointments\":[]}}");
}

static void setup(struct fix *f)
{
    fix_init(f, MODEL_BOARD);
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    snapshot(f);
}

static int count_type(const struct fix *f, enum proto_type type)
{
    int n = 0;
    for (int i = 0; i < f->nsent; i++)
        n += f->sent_type[i] == type;
    return n;
}

static int last_index(const struct fix *f, enum proto_type type)
{
    for (int i = f->nsent - 1; i >= 0; i--)
        if (f->sent_type[i] == type)
            return i;
    fail_msg("nothing of type %d was sent", (int)type);
    return -1;
}

static void answer(struct fix *f, const char *id, const char *data)
{
    static char frame[4096];
    snprintf(frame, sizeof frame, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":%s}", id,
             data);
    fix_hub(f, frame);
}

static void refuse(struct fix *f, const char *id, const char *code, const char *message)
{
    static char frame[1024];
    snprintf(frame, sizeof frame,
             "{\"type\":\"result\",\"id\":\"%s\",\"ok\":false,\"error\":{\"code\":\"%s\","
             "\"message\":\"%s\"}}",
             id, code, message);
    fix_hub(f, frame);
}

static void advance(struct fix *f, int64_t ms)
{
    f->app.mono += ms;
    f->app.wall += ms;
    app_tick(&f->app);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

static void type_digits(struct fix *f, const char *digits)
{
    for (const char *p = digits; *p; p++) {
        char id[8] = "key.";
        id[4] = *p;
        fix_tap(f, id);
    }
}

static const char *role_json(const char *role)
{
    static char out[256];
    snprintf(out, sizeof out,
             "{\"staff\":{\"id\":8,\"staff_no\":\"S008\",\"name\":\"孙浩\",\"role\":\"%s\"},"
             "\"expires_at\":1763800300000}",
             role);
    return out;
}

/* From a tap on `tap_id` to the card, logged in as S008 with PIN 1008 and `role`. */
static void login(struct fix *f, const char *tap_id, const char *role)
{
    fix_tap(f, tap_id);
    assert_string_equal(app_screen(&f->app), "board.act.staff_no");
    type_digits(f, "008");
    fix_tap(f, "btn.next");
    assert_string_equal(app_screen(&f->app), "board.act.pin");
    type_digits(f, "1008");
    int before = f->nsent;
    fix_tap(f, "btn.login_submit");
    assert_string_equal(app_screen(&f->app), "board.act.logging_in");
    assert_int_equal(f->nsent, before + 1);
    assert_int_equal(f->sent_type[before], PROTO_T_STAFF_LOGIN);
    assert_string_equal(f->sent_args[before], "{\"staff_no\":\"S008\",\"pin\":\"1008\"}");
    answer(f, f->sent_id[before], role_json(role));
    assert_string_equal(app_screen(&f->app), "board.act.card");
}

static bool pin_wiped(const struct fix *f)
{
    const struct view_board_act *x = &f->app.bd.act;
    for (size_t i = 0; i < sizeof x->staff_pin; i++)
        if (x->staff_pin[i])
            return false;
    return entry_text(&x->pin)[0] == '\0';
}

static void test_tappable(void **state)
{
    struct fix f;
    setup(&f);
    const struct widget *w = ui_find(f.app.ui, "board.review.SF2611-0001");
    assert_non_null(w);
    assert_int_equal(w->kind, WIDGET_BUTTON);
    assert_non_null(ui_find(f.app.ui, "board.review.SF2611-0002"));
    /* sent back: the consultant's turn, nothing to decide on the board */
    assert_null(ui_find(f.app.ui, "board.review.SF2611-0003"));
    /* 720p has room for two cards in the column: "+1" opens the list of the rest */
    assert_int_equal(ui_find(f.app.ui, "board.review_more")->kind, WIDGET_BUTTON);
    w = ui_find(f.app.ui, "board.rule.3");
    assert_non_null(w);
    assert_int_equal(w->kind, WIDGET_BUTTON);
    /* a tap id that is neither starts nothing */
    app_action(&f.app, "board.rule.x");
    app_action(&f.app, "board.review.");
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_int_equal(view_board_act_order_command("entered"), PROTO_T_ORDER_REVIEW);
    assert_int_equal(view_board_act_order_command("reviewed"), PROTO_T_ORDER_APPROVE);
    assert_int_equal(view_board_act_order_command("returned"), -1);
    assert_int_equal(view_board_act_order_command(NULL), -1);
    fix_fini(&f);
}

static void test_approve(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.review.SF2611-0002", "manager");
    assert_true(ui_has_text(f.app.ui, "孙浩（销售经理）已登录"));
    assert_true(ui_has_text(f.app.ui, "待终审"));
    assert_true(ui_has_text(f.app.ui, "¥379,600 · 全款"));
    assert_true(ui_has_text(f.app.ui, "星河 7 · 珍珠白 × 2"));
    assert_true(ui_has_text(f.app.ui, "刘女士"));
    /* the review clock: the board's last change until order_get answers */
    assert_string_equal(ui_find(f.app.ui, "act.waited")->text, "1 小时 00 分");
    int get = last_index(&f, PROTO_T_ORDER_GET);
    assert_string_equal(f.sent_args[get], "{\"order_no\":\"SF2611-0002\"}");
    answer(&f, f.sent_id[get],
           "{\"order\":{\"order_no\":\"SF2611-0002\",\"stage\":\"reviewed\","
           "\"reviewed_at\":1763790000000,\"sla_breaches\":[{\"kind\":\"entry\","
           "\"due_at\":1763000000000,\"at\":1763000100000}]}}");
    assert_string_equal(ui_find(f.app.ui, "act.waited")->text, "2 小时 46 分");
    assert_string_equal(ui_find(f.app.ui, "act.limit")->text, "未超时 · 此前超时：录入");
    fix_tap(&f, "act.approve");
    assert_string_equal(app_screen(&f.app), "board.act.sending");
    int cmd = last_index(&f, PROTO_T_ORDER_APPROVE);
    assert_string_equal(f.sent_args[cmd], "{\"order_no\":\"SF2611-0002\",\"approve\":true}");
    answer(&f, f.sent_id[cmd], "{\"order\":{\"order_no\":\"SF2611-0002\",\"stage\":\"approved\"}}");
    assert_string_equal(app_screen(&f.app), "board.act.done");
    assert_true(ui_has_text(f.app.ui, "订单 SF2611-0002 已批准"));
    int sent = f.nsent;
    fix_tap(&f, "btn.finish");
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_int_equal(f.nsent, sent + 1);
    assert_int_equal(f.sent_type[sent], PROTO_T_STAFF_LOGOUT);
    assert_true(pin_wiped(&f));
    assert_false(f.app.bd.act.logged_in);
    fix_fini(&f);
}

static void test_return_needs_reason(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.review.SF2611-0001", "supervisor");
    assert_true(ui_has_text(f.app.ui, "待初审"));
    /* the board's kinds: the final-review breach is not this review's */
    assert_string_equal(ui_find(f.app.ui, "act.limit")->text, "未超时 · 此前超时：终审");
    fix_tap(&f, "act.reject");
    assert_string_equal(app_screen(&f.app), "board.act.reason");
    const struct widget *confirm = ui_find(f.app.ui, "act.confirm");
    assert_non_null(confirm);
    assert_false(confirm->enabled);
    int sent = f.nsent;
    app_action(&f.app, "act.confirm"); /* no reason yet: nothing goes */
    assert_int_equal(f.nsent, sent);
    fix_tap(&f, "reason.0");
    assert_true(ui_has_text(f.app.ui, "✓ 资料不全，请补齐"));
    assert_true(ui_find(f.app.ui, "act.confirm")->enabled);
    fix_tap(&f, "act.confirm");
    int cmd = last_index(&f, PROTO_T_ORDER_REVIEW);
    assert_string_equal(
        f.sent_args[cmd],
        "{\"order_no\":\"SF2611-0001\",\"pass\":false,\"reason\":\"资料不全，请补齐\"}");
    answer(&f, f.sent_id[cmd], "{\"order\":{\"stage\":\"returned\"}}");
    assert_true(ui_has_text(f.app.ui, "订单 SF2611-0001 已退回销售顾问：资料不全，请补齐"));
    /* the outcome ends by itself: logout, back to the floor */
    advance(&f, VIEW_BOARD_ACT_DONE_MS);
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_int_equal(f.sent_type[f.nsent - 1], PROTO_T_STAFF_LOGOUT);
    fix_fini(&f);
}

static void test_refused_in_words(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.review.SF2611-0001", "consultant");
    fix_tap(&f, "act.approve");
    int cmd = last_index(&f, PROTO_T_ORDER_REVIEW);
    assert_string_equal(f.sent_args[cmd], "{\"order_no\":\"SF2611-0001\",\"pass\":true}");
    refuse(&f, f.sent_id[cmd], "forbidden",
           "order_review needs the supervisor role, not consultant");
    assert_string_equal(app_screen(&f.app), "board.act.done");
    assert_true(ui_has_text(f.app.ui, "未执行"));
    assert_true(ui_has_text(f.app.ui, "孙浩（销售顾问）无权执行此操作，未作任何更改"));
    assert_true(ui_has_text(f.app.ui, "服务器说明：order_review needs the supervisor role"));
    assert_null(ui_find(f.app.ui, "btn.retry")); /* a refusal is an answer: no retry */
    /* Back: another decision on the card gets a new id */
    fix_tap(&f, "btn.back");
    assert_string_equal(app_screen(&f.app), "board.act.card");
    fix_tap(&f, "act.approve");
    int again = last_index(&f, PROTO_T_ORDER_REVIEW);
    assert_true(again > cmd);
    assert_string_not_equal(f.sent_id[again], f.sent_id[cmd]);
    fix_fini(&f);
}

static void test_login_refused(void **state)
{
    struct fix f;
    setup(&f);
    fix_tap(&f, "board.rule.3");
    type_digits(&f, "003");
    fix_tap(&f, "btn.next");
    type_digits(&f, "9999");
    fix_tap(&f, "btn.login_submit");
    refuse(&f, f.sent_id[last_index(&f, PROTO_T_STAFF_LOGIN)], "staff_login_failed",
           "wrong staff number or PIN");
    assert_string_equal(app_screen(&f.app), "board.act.pin");
    assert_true(ui_has_text(f.app.ui, "员工编号或 PIN 码错误"));
    assert_true(pin_wiped(&f));
    assert_false(ui_find(f.app.ui, "btn.login_submit")->enabled);
    /* Back to the staff number, Cancel to the floor: no logout, nobody logged in */
    fix_tap(&f, "btn.back");
    assert_string_equal(app_screen(&f.app), "board.act.staff_no");
    int sent = f.nsent;
    fix_tap(&f, "btn.cancel");
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_int_equal(f.nsent, sent);
    fix_fini(&f);
}

static void test_rule(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.rule.3", "supervisor");
    assert_true(ui_has_text(f.app.ui, "撞单 · 赵先生"));
    assert_string_equal(ui_find(f.app.ui, "act.winner.0")->text, "张伟");
    assert_true(ui_has_text(f.app.ui, "线索归属顾问 · 跟进 3 次，最近"));
    assert_true(ui_has_text(f.app.ui, "接待顾问 · 无跟进记录"));
    assert_int_equal(count_type(&f, PROTO_T_ORDER_GET), 0); /* nothing to read for a conflict */
    fix_tap(&f, "act.winner.1");
    assert_string_equal(app_screen(&f.app), "board.act.reason");
    assert_true(ui_has_text(f.app.ui, "裁定客户归 李娜，请选择理由"));
    fix_tap(&f, "btn.back");
    assert_string_equal(app_screen(&f.app), "board.act.card");
    fix_tap(&f, "act.winner.1");
    fix_tap(&f, "reason.2");
    fix_tap(&f, "act.confirm");
    int cmd = last_index(&f, PROTO_T_CONFLICT_RULE);
    assert_string_equal(f.sent_args[cmd],
                        "{\"conflict_id\":3,\"winner\":\"S005\",\"reason\":\"客户指定该顾问\"}");
    answer(&f, f.sent_id[cmd],
           "{\"conflict\":{\"id\":3,\"customer\":{\"name\":\"赵建国\"},"
           "\"winner\":{\"id\":5,\"name\":\"李娜\"},\"state\":\"ruled\"}}");
    /* the board's masked name, never the result's real one */
    assert_true(ui_has_text(f.app.ui, "已裁定：赵先生 归 李娜 跟进"));
    assert_false(ui_has_text(f.app.ui, "赵建国"));
    fix_fini(&f);
}

static void test_relogin_same_id(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.review.SF2611-0002", "manager");
    /* the connection drops and comes back: the hub forgot the login */
    app_on_conn(&f.app, APP_CONN_RECONNECTING, f.app.mono + 500);
    advance(&f, 100);
    app_on_conn(&f.app, APP_CONN_CONNECTED, 0);
    int logins = count_type(&f, PROTO_T_STAFF_LOGIN);
    fix_tap(&f, "act.reject");
    fix_tap(&f, "reason.4");
    fix_tap(&f, "act.confirm");
    /* a silent login first, with the PIN kept in memory; the command waits for it */
    assert_int_equal(count_type(&f, PROTO_T_STAFF_LOGIN), logins + 1);
    assert_int_equal(count_type(&f, PROTO_T_ORDER_APPROVE), 0);
    int li = last_index(&f, PROTO_T_STAFF_LOGIN);
    assert_string_equal(f.sent_args[li], "{\"staff_no\":\"S008\",\"pin\":\"1008\"}");
    answer(&f, f.sent_id[li], role_json("manager"));
    int cmd = last_index(&f, PROTO_T_ORDER_APPROVE);
    assert_string_equal(f.sent_args[cmd], "{\"order_no\":\"SF2611-0002\",\"approve\":false,"
                                          "\"reason\":\"付款方式需调整\"}");
    char first[PROTO_MAX_ID + 1];
    snprintf(first, sizeof first, "%s", f.sent_id[cmd]);
    /* the hub's idle lapse: login again, and the very same command id goes again */
    refuse(&f, first, "session_expired", "the staff login expired");
    assert_string_equal(app_screen(&f.app), "board.act.sending");
    li = last_index(&f, PROTO_T_STAFF_LOGIN);
    answer(&f, f.sent_id[li], role_json("manager"));
    int again = last_index(&f, PROTO_T_ORDER_APPROVE);
    assert_true(again > cmd);
    assert_string_equal(f.sent_id[again], first);
    assert_string_equal(f.sent_args[again], f.sent_args[cmd]);
    answer(&f, first, "{\"order\":{\"stage\":\"returned\"}}");
    assert_string_equal(app_screen(&f.app), "board.act.done");
    fix_fini(&f);
}

static void test_no_answer_retry(void **state)
{
    struct fix f;
    setup(&f);
    login(&f, "board.review.SF2611-0002", "manager");
    fix_tap(&f, "act.reject");
    fix_tap(&f, "reason.1");
    fix_tap(&f, "act.confirm");
    int cmd = last_index(&f, PROTO_T_ORDER_APPROVE);
    advance(&f, APP_REQUEST_TIMEOUT_MS + 1);
    assert_string_equal(app_screen(&f.app), "board.act.done");
    assert_true(ui_has_text(f.app.ui, "没有收到服务器的回答"));
    /* whatever the language now, Retry is the very same command (else id_reused) */
    fix_tap(&f, "btn.lang");
    fix_tap(&f, "btn.retry");
    int again = last_index(&f, PROTO_T_ORDER_APPROVE);
    assert_true(again > cmd);
    assert_string_equal(f.sent_id[again], f.sent_id[cmd]); /* recorded once at most */
    assert_string_equal(f.sent_args[again], "{\"order_no\":\"SF2611-0002\",\"approve\":false,"
                                            "\"reason\":\"价格或优惠需复核\"}");
    answer(&f, f.sent_id[again], "{\"order\":{\"stage\":\"returned\"}}");
    assert_true(
        ui_has_text(f.app.ui, "Order SF2611-0002 sent back to the consultant: 价格或优惠需复核"));
    fix_fini(&f);
}

static void test_idle_and_turns(void **state)
{
    struct fix f;
    setup(&f);
    /* figures present: the pages turn */
    char stats[2048];
    size_t n = (size_t)snprintf(stats, sizeof stats,
                                "{\"day\":\"2025-11-22\",\"now\":1763800000000,\"today\":"
                                "{\"visits\":1,\"leads\":0,\"orders\":0,\"deliveries\":0,"
                                "\"sales_fen\":0},\"trend\":[");
    for (int i = 0; i < 14; i++)
        n += (size_t)snprintf(stats + n, sizeof stats - n,
                              "%s{\"day\":\"2025-11-%02d\",\"visits\":1,\"orders\":0,"
                              "\"deliveries\":0}",
                              i ? "," : "", 9 + i);
    snprintf(stats + n, sizeof stats - n, "],\"league\":[]}");
    answer(&f, f.sent_id[last_index(&f, PROTO_T_BOARD_STATS)], stats);
    assert_non_null(model_board_stats(f.app.model));
    login(&f, "board.review.SF2611-0002", "manager");
    /* the pages wait while someone decides */
    f.app.bd.page_since = f.app.mono - VIEW_BOARD_ROTATE_MS; /* a turn is due */
    advance(&f, 1000);
    assert_string_equal(app_screen(&f.app), "board.act.card");
    assert_int_equal(f.app.bd.page, VIEW_BOARD_FLOOR);
    assert_false(app_idle(&f.app));
    /* 60 s without a tap: logged out, PIN wiped, the floor */
    advance(&f, 60000);
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_int_equal(f.sent_type[last_index(&f, PROTO_T_STAFF_LOGOUT)], PROTO_T_STAFF_LOGOUT);
    assert_true(pin_wiped(&f));
    assert_true(app_idle(&f.app));
    assert_true(f.app.bd.page == VIEW_BOARD_FLOOR); /* a full turn of the floor after it */
    assert_true(f.app.bd.page_since == f.app.mono);
    /* a kiosk without an idle time of its own: the flow's 60 s */
    f.app.idle_ms = 0;
    fix_tap(&f, "board.rule.3");
    type_digits(&f, "12");
    advance(&f, VIEW_BOARD_ACT_IDLE_MS - 1);
    assert_string_equal(app_screen(&f.app), "board.act.staff_no");
    assert_true(view_board_deadline(&f.app) <= f.app.mono + 1);
    advance(&f, 1);
    assert_string_equal(app_screen(&f.app), "board.main");
    assert_string_equal(entry_text(&f.app.bd.act.staff_no), "");
    fix_fini(&f);
}

static void test_pick_list(void **state)
{
    struct fix f;
    setup(&f);
    app_action(&f.app, "board.review_more");
    fix_build(&f, 1280, 720);
    assert_string_equal(app_screen(&f.app), "board.act.pick");
    assert_non_null(ui_find(f.app.ui, "board.review.SF2611-0001"));
    assert_non_null(ui_find(f.app.ui, "board.review.SF2611-0002"));
    assert_null(ui_find(f.app.ui, "board.review.SF2611-0003"));
    fix_tap(&f, "board.review.SF2611-0002");
    assert_string_equal(app_screen(&f.app), "board.act.staff_no");
    assert_string_equal(f.app.bd.act.order_no, "SF2611-0002");
    fix_fini(&f);
}

static void test_duration(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_BOARD);
    char out[64];
    view_board_act_duration(&f.app, 0, out, sizeof out);
    assert_string_equal(out, "0 分钟");
    view_board_act_duration(&f.app, -5000, out, sizeof out);
    assert_string_equal(out, "0 分钟");
    view_board_act_duration(&f.app, 59 * 60000 + 59999, out, sizeof out);
    assert_string_equal(out, "59 分钟");
    view_board_act_duration(&f.app, 3 * 3600000 + 5 * 60000, out, sizeof out);
    assert_string_equal(out, "3 小时 05 分");
    view_board_act_duration(&f.app, 50LL * 3600000, out, sizeof out);
    assert_string_equal(out, "2 天 2 小时");
    f.app.lang = I18N_EN;
    view_board_act_duration(&f.app, 3 * 3600000 + 5 * 60000, out, sizeof out);
    assert_string_equal(out, "3 h 05 min");
    assert_int_equal(view_board_act_late_bit("entry"), VIEW_BOARD_ACT_LATE_ENTRY);
    assert_int_equal(view_board_act_late_bit("final_review"), VIEW_BOARD_ACT_LATE_FINAL);
    assert_int_equal(view_board_act_late_bit("close"), 0);
    assert_int_equal(view_board_act_late_bit(NULL), 0);
    fix_fini(&f);
}

/* Every widget on screen, text legible, tappables large and apart. */
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
        if ((a->kind == WIDGET_LABEL || a->kind == WIDGET_CHIP) && a->text[0] &&
            a->size < layout_px(&f->app.lay, 15))
            fail_msg("%s at %dx%d: '%s' at %d px is too small", screen, w, h, a->text, a->size);
        if (a->kind != WIDGET_BUTTON && a->kind != WIDGET_KEY && a->kind != WIDGET_TOGGLE)
            continue;
        if (a->r.h < layout_px(&f->app.lay, 40) || a->r.w < layout_px(&f->app.lay, 40))
            fail_msg("%s at %dx%d: '%s' too small to touch", screen, w, h, a->id);
        for (int j = i + 1; j < ui_count(ui); j++) {
            const struct widget *b = ui_get(ui, j);
            if ((b->kind == WIDGET_BUTTON || b->kind == WIDGET_KEY || b->kind == WIDGET_TOGGLE) &&
                layout_overlaps(a->r, b->r))
                fail_msg("%s at %dx%d: '%s' overlaps '%s'", screen, w, h, a->id, b->id);
        }
    }
}

static void check_all(struct fix *f)
{
    static const int sizes[][2] = {{1280, 720}, {720, 1280}, {3840, 2160}, {1080, 1920}};
    for (int lang = 0; lang < 2; lang++) {
        f->app.lang = lang ? I18N_EN : I18N_ZH;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            check_screen(f, sizes[i][0], sizes[i][1]);
    }
    f->app.lang = I18N_ZH;
    fix_build(f, 1280, 720);
}

static void test_layouts(void **state)
{
    struct fix f;
    setup(&f);
    check_all(&f); /* the floor with its tappable cards and rows */
    app_action(&f.app, "board.review_more");
    check_all(&f);
    app_action(&f.app, "btn.cancel");
    fix_build(&f, 1280, 720);
    fix_tap(&f, "board.review.SF2611-0001");
    check_all(&f);
    type_digits(&f, "008");
    fix_tap(&f, "btn.next");
    type_digits(&f, "10");
    check_all(&f);
    type_digits(&f, "08");
    fix_tap(&f, "btn.login_submit");
    check_all(&f);
    answer(&f, f.sent_id[last_index(&f, PROTO_T_STAFF_LOGIN)], role_json("supervisor"));
    check_all(&f);
    fix_tap(&f, "act.reject");
    fix_tap(&f, "reason.3");
    check_all(&f);
    fix_tap(&f, "act.confirm");
    check_all(&f);
    refuse(&f, f.sent_id[last_index(&f, PROTO_T_ORDER_REVIEW)], "invalid_state",
           "order is reviewed (初审通过): order_review needs entered");
    check_all(&f);
    assert_true(ui_has_text(f.app.ui, "状态已有变化"));
    fix_tap(&f, "btn.finish");
    login(&f, "board.rule.3", "supervisor");
    check_all(&f);
    fix_tap(&f, "act.winner.0");
    fix_tap(&f, "reason.0");
    check_all(&f);
    fix_tap(&f, "act.confirm");
    advance(&f, APP_REQUEST_TIMEOUT_MS + 1); /* no answer: Retry, Back and Finish */
    check_all(&f);
    fix_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tappable),
        cmocka_unit_test(test_approve),
        cmocka_unit_test(test_return_needs_reason),
        cmocka_unit_test(test_refused_in_words),
        cmocka_unit_test(test_login_refused),
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_relogin_same_id),
        cmocka_unit_test(test_no_answer_retry),
        cmocka_unit_test(test_idle_and_turns),
        cmocka_unit_test(test_pick_list),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The reception's new-customer path (issue 5): the lookup decides whether the questions are
 * asked; model tiles from the snapshot, source chips, first visit, gender and a surname from
 * pinyin end in one checkin carrying the answers; Back keeps answers, Skip drops one, Cancel
 * and the idle reset wipe them all; the done screen shows the hub's masked name, consultant,
 * queue position and wait. Also the pure parts: pinyin candidates and the tile grid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk_fixture.h"
#include "pinyin_surname.h"
#include "widget_tiles.h"

#define NEW_PATH "\"ok\":true,\"data\":{\"path\":\"new\",\"already_checked_in\":false}"

static void type(struct fix *f, const char *digits)
{
    for (const char *d = digits; *d; d++) {
        char id[16];
        snprintf(id, sizeof id, "key.%c", *d);
        fix_tap(f, id);
    }
}

static void type_text(struct fix *f, const char *text)
{
    for (const char *c = text; *c; c++) {
        char id[16];
        snprintf(id, sizeof id, "kb.%c", *c);
        fix_tap(f, id);
    }
}

static void result(struct fix *f, int i, const char *payload)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "{\"type\":\"result\",\"id\":\"%s\",%s}", f->sent_id[i], payload);
    fix_hub(f, buf);
}

static void screen_is(struct fix *f, const char *name)
{
    assert_string_equal(app_screen(&f->app), name);
}

/* A reception kiosk with the fixture's catalogue, on the phone screen with a full number
 * typed and looked up as a new customer: on the model screen, one request sent. */
static void to_questions(struct fix *f)
{
    fix_init(f, MODEL_RECEPTION);
    fix_snapshot(f);
    fix_tap(f, "btn.checkin");
    fix_tap(f, "btn.agree");
    type(f, "13812345678");
    fix_tap(f, "btn.submit");
    screen_is(f, "reception.lookup");
    assert_int_equal(f->nsent, 1);
    assert_int_equal(f->sent_type[0], PROTO_T_CHECKIN_LOOKUP);
    result(f, 0, NEW_PATH);
    screen_is(f, "reception.model");
    assert_int_equal(f->nsent, 1); /* nothing written at the hub yet */
}

static void test_new_customer_answers_every_question(void **state)
{
    struct fix f;
    to_questions(&f);
    /* the tiles are the snapshot's catalogue, with the price; call staff on every step */
    assert_true(ui_has_text(f.app.ui, "星河 7"));
    assert_true(ui_has_text(f.app.ui, "18.98 万元起"));
    assert_true(ui_has_text(f.app.ui, "第 1 步，共 5 步"));
    assert_non_null(ui_find(f.app.ui, "btn.call_staff"));
    fix_tap(&f, "model.HX7");
    screen_is(&f, "reception.source");
    assert_non_null(ui_find(f.app.ui, "btn.call_staff"));
    fix_tap(&f, "source.referral");
    screen_is(&f, "reception.first_visit");
    fix_tap(&f, "first.no");
    screen_is(&f, "reception.gender");
    fix_tap(&f, "gender.female");
    screen_is(&f, "reception.name");
    assert_true(ui_has_text(f.app.ui, "第 5 步，共 5 步"));
    /* pinyin offers the surnames spelt so first: lin -> 林, then 令狐 */
    type_text(&f, "lin");
    assert_string_equal(ui_find(f.app.ui, "cand.0")->text, "林");
    assert_string_equal(ui_find(f.app.ui, "cand.1")->text, "令狐");
    fix_tap(&f, "cand.0");
    assert_string_equal(f.app.rec.ans.name, "林");
    assert_null(ui_find(f.app.ui, "cand.0")); /* chosen: no more candidates */
    /* Back walks the steps with the answers kept and marked */
    fix_tap(&f, "btn.back");
    screen_is(&f, "reception.gender");
    assert_string_equal(ui_find(f.app.ui, "gender.female")->text, "✓ 女士");
    assert_string_equal(ui_find(f.app.ui, "gender.male")->text, "先生");
    fix_tap(&f, "btn.back");
    fix_tap(&f, "btn.back");
    fix_tap(&f, "btn.back");
    screen_is(&f, "reception.model");
    assert_non_null(strstr(ui_find(f.app.ui, "model.HX7")->text, "✓"));
    fix_tap(&f, "btn.back");
    screen_is(&f, "reception.phone");
    assert_string_equal(entry_text(&f.app.rec.phone), "13812345678");
    /* forward again: a new lookup, the answers still there */
    fix_tap(&f, "btn.submit");
    result(&f, 1, NEW_PATH);
    fix_tap(&f, "model.HX7");
    fix_tap(&f, "source.referral");
    fix_tap(&f, "first.no");
    fix_tap(&f, "gender.female");
    screen_is(&f, "reception.name");
    fix_tap(&f, "kb.done");
    screen_is(&f, "reception.sending");
    assert_int_equal(f.nsent, 3);
    assert_int_equal(f.sent_type[2], PROTO_T_CHECKIN);
    assert_string_equal(f.sent_args[2],
                        "{\"phone\":\"13812345678\",\"consent\":true,\"model\":\"HX7\","
                        "\"source\":\"referral\",\"first_visit\":false,\"gender\":\"female\","
                        "\"name\":\"林\"}");
    result(&f, 2,
           "\"ok\":true,\"data\":{\"visit\":{\"id\":9},\"customer\":{\"name\":\"林女士\","
           "\"new\":true},\"consultant\":{\"id\":4,\"name\":\"张伟\"},\"assigned_by\":"
           "\"rotation\",\"invited_by\":null,\"queue_position\":3,\"estimated_wait_min\":12}");
    screen_is(&f, "reception.done");
    assert_true(ui_has_text(f.app.ui, "林女士，欢迎光临！"));
    assert_true(ui_has_text(f.app.ui, "张伟"));
    assert_true(ui_has_text(f.app.ui, "第 3 位"));
    assert_true(ui_has_text(f.app.ui, "约 12 分钟"));
    assert_non_null(ui_find(f.app.ui, "btn.call_staff"));
    /* nothing typed outlives the check-in */
    fix_tap(&f, "btn.finish");
    screen_is(&f, "reception.attract");
    assert_string_equal(f.app.rec.ans.name, "");
    assert_string_equal(f.app.rec.ans.model, "");
    fix_fini(&f);
}

static void test_skips_send_only_the_phone(void **state)
{
    struct fix f;
    to_questions(&f);
    /* a choice made and then skipped is not sent */
    fix_tap(&f, "model.HX7");
    fix_tap(&f, "btn.back");
    fix_tap(&f, "btn.skip");
    screen_is(&f, "reception.source");
    for (int i = 0; i < 3; i++)
        fix_tap(&f, "btn.skip");
    screen_is(&f, "reception.name");
    type_text(&f, "wa");
    fix_tap(&f, "btn.skip");
    screen_is(&f, "reception.sending");
    assert_string_equal(f.sent_args[1], "{\"phone\":\"13812345678\",\"consent\":true}");
    /* a nameless customer is greeted without the hub's placeholder, in English too */
    result(&f, 1,
           "\"ok\":true,\"data\":{\"visit\":{\"id\":9},\"customer\":{\"name\":\"顾客\","
           "\"new\":true},\"consultant\":null,\"assigned_by\":\"none\",\"invited_by\":null,"
           "\"queue_position\":1,\"estimated_wait_min\":1}");
    fix_tap(&f, "btn.lang");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_REC_DONE_GREETING_ANON)));
    assert_false(ui_has_text(f.app.ui, "顾客"));
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_REC_DONE_NO_CONSULTANT)));
    fix_fini(&f);
}

static void test_name_keyboard(void **state)
{
    struct fix f;
    to_questions(&f);
    for (int i = 0; i < 4; i++)
        fix_tap(&f, "btn.skip");
    screen_is(&f, "reception.name");
    /* a Latin name stays as typed; shift capitalises one letter */
    fix_tap(&f, "kb.shift");
    fix_tap(&f, "kb.S"); /* the keys show (and are) capitals while shift is on */
    type_text(&f, "mith");
    assert_string_equal(f.app.rec.ans.name, "Smith");
    fix_tap(&f, "kb.del");
    assert_string_equal(f.app.rec.ans.name, "Smit");
    for (int i = 0; i < 4; i++)
        fix_tap(&f, "kb.del");
    /* a chosen surname is whole: a letter after it starts over, delete removes it */
    type_text(&f, "wang");
    assert_string_equal(ui_find(f.app.ui, "cand.0")->text, "王");
    assert_string_equal(ui_find(f.app.ui, "cand.1")->text, "汪");
    fix_tap(&f, "cand.1");
    assert_string_equal(f.app.rec.ans.name, "汪");
    type_text(&f, "z");
    assert_string_equal(f.app.rec.ans.name, "z");
    fix_tap(&f, "kb.del");
    type_text(&f, "ouy");
    fix_tap(&f, "cand.0");
    assert_string_equal(f.app.rec.ans.name, "欧阳");
    fix_tap(&f, "kb.del");
    assert_string_equal(f.app.rec.ans.name, "欧");
    fix_tap(&f, "kb.del");
    /* only blanks is no name */
    fix_tap(&f, "kb.space");
    fix_tap(&f, "kb.done");
    assert_string_equal(f.sent_args[1], "{\"phone\":\"13812345678\",\"consent\":true}");
    fix_fini(&f);
}

static void test_cancel_and_idle_wipe_the_answers(void **state)
{
    struct fix f;
    to_questions(&f);
    fix_tap(&f, "model.HX7");
    fix_tap(&f, "source.auto_show");
    fix_tap(&f, "btn.cancel");
    screen_is(&f, "reception.attract");
    assert_string_equal(f.app.rec.ans.model, "");
    assert_string_equal(f.app.rec.ans.source, "");
    assert_string_equal(entry_text(&f.app.rec.phone), "");
    fix_fini(&f);

    to_questions(&f);
    fix_tap(&f, "model.HX7");
    fix_tap(&f, "source.web_autohome");
    fix_tap(&f, "first.yes");
    fix_tap(&f, "gender.male");
    type_text(&f, "zhang");
    fix_tap(&f, "cand.0");
    fix_tap(&f, "btn.lang");
    assert_string_equal(f.app.rec.ans.name, "张");
    /* no tap for the idle time: attract, everything typed gone, default language */
    f.app.mono += 60001;
    app_tick(&f.app);
    fix_build(&f, 1280, 720);
    screen_is(&f, "reception.attract");
    assert_string_equal(entry_text(&f.app.rec.phone), "");
    assert_string_equal(f.app.rec.ans.model, "");
    assert_string_equal(f.app.rec.ans.source, "");
    assert_string_equal(f.app.rec.ans.name, "");
    assert_int_equal(f.app.rec.ans.first_visit, -1);
    assert_int_equal(f.app.rec.ans.gender, REC_GENDER_UNSET);
    assert_false(f.app.rec.ask);
    assert_int_equal(f.app.lang, I18N_ZH);
    /* and the next customer starts from nothing: a returning one is not asked */
    fix_tap(&f, "btn.checkin");
    fix_tap(&f, "btn.agree");
    type(&f, "13912345678");
    fix_tap(&f, "btn.submit");
    result(&f, f.nsent - 1, "\"ok\":true,\"data\":{\"path\":\"new\",\"already_checked_in\":true}");
    screen_is(&f, "reception.sending");
    assert_string_equal(f.sent_args[f.nsent - 1], "{\"phone\":\"13912345678\",\"consent\":true}");
    fix_fini(&f);
}

static void test_lookup_errors(void **state)
{
    struct fix f;
    fix_init(&f, MODEL_RECEPTION);
    fix_snapshot(&f);
    fix_tap(&f, "btn.checkin");
    fix_tap(&f, "btn.agree");
    type(&f, "13812345678");
    fix_tap(&f, "btn.submit");
    /* refused: back on the keypad with the reason, digits kept */
    result(&f, 0,
           "\"ok\":false,\"error\":{\"code\":\"invalid_phone\",\"message\":\"bad\","
           "\"field\":\"phone\"}");
    screen_is(&f, "reception.phone");
    assert_true(ui_has_text(f.app.ui, app_t(&f.app, I18N_ERR_INVALID_PHONE)));
    assert_string_equal(entry_text(&f.app.rec.phone), "13812345678");
    /* a late answer to a lookup the customer left is ignored */
    fix_tap(&f, "btn.submit");
    fix_tap(&f, "btn.cancel");
    result(&f, 1, NEW_PATH);
    screen_is(&f, "reception.attract");
    /* only models of the catalogue count */
    fix_fini(&f);
    to_questions(&f);
    app_action(&f.app, "model.NOPE");
    fix_build(&f, 1280, 720);
    screen_is(&f, "reception.model");
    assert_string_equal(f.app.rec.ans.model, "");
    fix_fini(&f);
}

static void test_pinyin_surnames(void **state)
{
    const char *out[8];
    assert_int_equal(pinyin_surname_match("wang", out, 8), 2);
    assert_string_equal(out[0], "王");
    assert_string_equal(out[1], "汪");
    /* exact spellings first, then the longer ones, each by frequency */
    size_t n = pinyin_surname_match("Li", out, 8);
    assert_true(n >= 4);
    assert_string_equal(out[0], "李");
    assert_string_equal(out[1], "黎");
    assert_string_equal(out[2], "刘");
    assert_int_equal(pinyin_surname_match("zhuge", out, 8), 1);
    assert_string_equal(out[0], "诸葛");
    assert_int_equal(pinyin_surname_match("lv", out, 8), 1);
    assert_string_equal(out[0], "吕");
    /* capped, and nothing for what is not pinyin */
    assert_int_equal(pinyin_surname_match("z", out, 3), 3);
    assert_int_equal(pinyin_surname_match("", out, 8), 0);
    assert_int_equal(pinyin_surname_match(NULL, out, 8), 0);
    assert_int_equal(pinyin_surname_match("wa ng", out, 8), 0);
    assert_int_equal(pinyin_surname_match("王", out, 8), 0);
    assert_int_equal(pinyin_surname_match("xyzzy", out, 8), 0);
    assert_int_equal(pinyin_surname_match("aaaaaaaaaaaaaaaaaaaaaaaa", out, 8), 0);
}

static void test_tile_grid(void **state)
{
    struct ui_rect cells[12];
    struct ui_rect r = {0, 0, 1000, 400};
    /* 5 tiles of >= 300 wide: 3 columns, 2 rows, equal cells with the gaps */
    assert_int_equal(widget_tiles_grid(r, 5, 300, 100, 500, 0, 20, cells), 5);
    assert_int_equal(cells[0].w, (1000 - 40) / 3);
    assert_int_equal(cells[0].h, (400 - 20) / 2);
    assert_int_equal(cells[3].x, 0);
    assert_int_equal(cells[3].y, cells[0].h + 20);
    /* max height and max columns */
    assert_int_equal(widget_tiles_grid(r, 2, 100, 50, 120, 1, 10, cells), 2);
    assert_int_equal(cells[0].w, 1000);
    assert_int_equal(cells[0].h, 120);
    assert_int_equal(cells[1].y, 130);
    /* more than fit: the rows past the bottom are not counted */
    assert_int_equal(widget_tiles_grid(r, 12, 400, 150, 150, 0, 10, cells), 4);
    assert_int_equal(widget_tiles_grid(r, 0, 100, 100, 100, 0, 10, cells), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_customer_answers_every_question),
        cmocka_unit_test(test_skips_send_only_the_phone),
        cmocka_unit_test(test_name_keyboard),
        cmocka_unit_test(test_cancel_and_idle_wipe_the_answers),
        cmocka_unit_test(test_lookup_errors),
        cmocka_unit_test(test_pinyin_surnames),
        cmocka_unit_test(test_tile_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* i18n.c, conf.c, theme.c, script.c parsing, net.c's pure helpers: both string tables load
 * and define every key the code uses; templates fill; bad files are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "i18n.h"
#include "net.h"
#include "script.h"
#include "theme.h"

static void test_both_languages_complete(void **state)
{
    char err[256] = "";
    struct i18n *t = i18n_load(SHOWFLOOR_ASSETS_DIR "/strings", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    int differ = 0;
    for (int k = 0; k < I18N__COUNT; k++) {
        const char *zh = i18n_get(t, I18N_ZH, (enum i18n_key)k);
        const char *en = i18n_get(t, I18N_EN, (enum i18n_key)k);
        if (!zh[0] || !en[0])
            fail_msg("key %s is empty in %s", i18n_key_name((enum i18n_key)k), zh[0] ? "en" : "zh");
        differ += strcmp(zh, en) != 0;
    }
    assert_true(differ > I18N__COUNT * 9 / 10); /* really two languages */
    assert_string_equal(i18n_get(t, I18N_ZH, I18N_REC_CHECKIN), "到店登记");
    assert_string_equal(i18n_get(t, I18N_EN, I18N_REC_CHECKIN), "Check in");
    i18n_free(t);
}

static void test_missing_key_refused(void **state)
{
    char dir[] = "/tmp/kiosk-i18n-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/zh.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("lang.toggle = EN\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/en.ini", dir);
    f = fopen(path, "w");
    fputs("lang.toggle = 中文\n", f);
    fclose(f);
    char err[256] = "";
    assert_null(i18n_load(dir, err, sizeof err));
    assert_non_null(strstr(err, "missing key"));
    /* a line that is not key = value is an error naming the line */
    f = fopen(path, "w");
    fputs("# ok\n\nnot a pair\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/zh.ini", dir);
    remove(path);
    assert_null(i18n_load(dir, err, sizeof err));
    snprintf(path, sizeof path, "%s/en.ini", dir);
    remove(path);
    rmdir(dir);
}

static void test_format(void **state)
{
    char out[64];
    const char *args[] = {"张伟", "5"};
    i18n_format(out, sizeof out, "顾问 {1}，约 {2} 分钟{3}", args, 2);
    assert_string_equal(out, "顾问 张伟，约 5 分钟");
    assert_int_equal(i18n_format(out, 4, "abcdef", NULL, 0), 6);
    assert_string_equal(out, "abc");
    i18n_format(out, sizeof out, "{x} {1", args, 2);
    assert_string_equal(out, "{x} {1");
    assert_int_equal(i18n_lang_parse("en"), I18N_EN);
    assert_int_equal(i18n_lang_parse("fr"), -1);
}

static void test_theme(void **state)
{
    struct theme t;
    char err[256];
    assert_int_equal(theme_load(&t, SHOWFLOOR_ASSETS_DIR "/themes/default.ini", err, sizeof err),
                     0);
    assert_int_equal(t.bg.a, 255);
    struct rgba c;
    assert_int_equal(theme_parse_colour("#1D2A3AE6", &c), 0);
    assert_int_equal(c.r, 0x1D);
    assert_int_equal(c.a, 0xE6);
    assert_int_equal(theme_parse_colour("1D2A3A", &c), -1);
    assert_int_equal(theme_parse_colour("#12345G", &c), -1);
}

static void test_script_parse(void **state)
{
    char err[256];
    struct script *s = script_parse("# demo\nwait_screen reception.attract\n\ntap btn.checkin\n"
                                    "tap_xy 10 20\ntype 138-1\nsleep 100\nscreenshot /tmp/x.png\n"
                                    "wait_text 到店 登记\nexpect_connected\nquit\n",
                                    "t", err, sizeof err);
    assert_non_null(s);
    script_free(s);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"wait_screen\n", "t:1: wait_screen needs an argument"},
        {"\n\nfly away\n", "t:3: unknown command 'fly'"},
        {"quit now\n", "t:1: quit takes no argument"},
        {"tap_xy 1\n", "t:1: tap_xy needs X Y"},
        {"type 12a\n", "t:1: type takes digits"},
        {"sleep soon\n", "t:1: sleep takes milliseconds"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(script_parse(bad[i].text, "t", err, sizeof err));
        if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
            fail_msg("'%s' gave '%s'", bad[i].text, err);
    }
}

static void test_net_helpers(void **state)
{
    char host[64], path[64];
    int port, tls;
    assert_int_equal(
        net_parse_url("ws://127.0.0.1:7420/", host, sizeof host, &port, path, sizeof path, &tls),
        0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 7420);
    assert_string_equal(path, "/");
    assert_int_equal(tls, 0);
    assert_int_equal(
        net_parse_url("wss://hub.example", host, sizeof host, &port, path, sizeof path, &tls), 0);
    assert_int_equal(port, 443);
    assert_int_equal(tls, 1);
    assert_string_equal(path, "/");
    assert_int_equal(net_parse_url("http://x/", host, sizeof host, &port, path, sizeof path, &tls),
                     -1);
    assert_int_equal(
        net_parse_url("ws://x:99999/", host, sizeof host, &port, path, sizeof path, &tls), -1);
    assert_int_equal(net_parse_url("ws://:80/", host, sizeof host, &port, path, sizeof path, &tls),
                     -1);
    /* 0.5 s doubling to 10 s, jitter within +-25 %, never past 10 s */
    assert_int_equal(net_backoff_ms(0, 0.5), 500);
    assert_int_equal(net_backoff_ms(1, 0.5), 1000);
    assert_int_equal(net_backoff_ms(3, 0.5), 4000);
    assert_int_equal(net_backoff_ms(10, 0.5), 10000);
    assert_int_equal(net_backoff_ms(0, 0.0), 375);
    assert_true(net_backoff_ms(0, 0.999) < 625);
    assert_int_equal(net_backoff_ms(30, 0.999), 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_languages_complete),
        cmocka_unit_test(test_missing_key_refused),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_theme),
        cmocka_unit_test(test_script_parse),
        cmocka_unit_test(test_net_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

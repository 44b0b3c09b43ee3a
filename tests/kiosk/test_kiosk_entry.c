/* entry.c: keypad entry of phone, order and staff numbers, PINs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "entry.h"

static void type(struct entry *e, const char *keys)
{
    for (const char *k = keys; *k; k++) {
        char key[2] = {*k, '\0'};
        entry_key(e, key);
    }
}

static void test_phone(void **state)
{
    struct entry e;
    char shown[64];
    entry_init(&e, ENTRY_PHONE, 11, 11);
    assert_int_equal(entry_state(&e), ENTRY_INCOMPLETE);
    type(&e, "138");
    entry_display(&e, false, shown, sizeof shown);
    assert_string_equal(shown, "138");
    type(&e, "1234");
    entry_display(&e, false, shown, sizeof shown);
    assert_string_equal(shown, "138 1234");
    assert_int_equal(entry_state(&e), ENTRY_INCOMPLETE);
    type(&e, "5678");
    entry_display(&e, false, shown, sizeof shown);
    assert_string_equal(shown, "138 1234 5678");
    assert_int_equal(entry_state(&e), ENTRY_VALID);
    /* full: a 12th digit is refused */
    assert_int_equal(entry_key(&e, "9"), 0);
    assert_string_equal(entry_text(&e), "13812345678");
    assert_int_equal(entry_key(&e, "del"), 1);
    assert_string_equal(entry_text(&e), "1381234567");
    assert_int_equal(entry_state(&e), ENTRY_INCOMPLETE);
    /* dashes and letters are not phone keys */
    assert_int_equal(entry_key(&e, "-"), 0);
    assert_int_equal(entry_key(&e, "a"), 0);
    assert_int_equal(entry_key(&e, "clear"), 1);
    assert_string_equal(entry_text(&e), "");
    assert_int_equal(entry_key(&e, "del"), 0);
}

static void test_phone_invalid_as_typed(void **state)
{
    static const char *const bad[] = {"2", "12", "10", "0138"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct entry e;
        entry_init(&e, ENTRY_PHONE, 11, 11);
        type(&e, bad[i]);
        assert_int_equal(entry_state(&e), ENTRY_INVALID);
    }
    struct entry ok;
    entry_init(&ok, ENTRY_PHONE, 11, 11);
    type(&ok, "19");
    assert_int_equal(entry_state(&ok), ENTRY_INCOMPLETE);
}

static void test_order_no(void **state)
{
    struct entry e;
    char v[32], shown[64];
    entry_init(&e, ENTRY_ORDER_NO, 4, 20);
    assert_int_equal(entry_key(&e, "-"), 0); /* never first */
    type(&e, "2611");
    assert_int_equal(entry_key(&e, "-"), 1);
    assert_int_equal(entry_key(&e, "-"), 0);             /* never doubled */
    assert_int_equal(entry_state(&e), ENTRY_INCOMPLETE); /* never last */
    type(&e, "0012");
    assert_int_equal(entry_state(&e), ENTRY_VALID);
    assert_int_equal(entry_value(&e, v, sizeof v), 0);
    assert_string_equal(v, "SF2611-0012");
    entry_display(&e, false, shown, sizeof shown);
    assert_string_equal(shown, "SF2611-0012");
    assert_int_equal(entry_value(&e, v, 5), -1);
}

static void test_staff_and_pin(void **state)
{
    struct entry s, p;
    char v[32], shown[64];
    entry_init(&s, ENTRY_STAFF_NO, 1, 12);
    type(&s, "003");
    entry_value(&s, v, sizeof v);
    assert_string_equal(v, "S003");
    entry_init(&p, ENTRY_DIGITS, 4, 12);
    type(&p, "123");
    assert_int_equal(entry_state(&p), ENTRY_INCOMPLETE);
    type(&p, "4");
    assert_int_equal(entry_state(&p), ENTRY_VALID);
    entry_display(&p, true, shown, sizeof shown);
    assert_string_equal(shown, "\xE2\x97\x8F\xE2\x97\x8F\xE2\x97\x8F\xE2\x97\x8F");
    assert_null(strstr(shown, "1234"));
    entry_clear(&p);
    assert_string_equal(entry_text(&p), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_phone_invalid_as_typed),
        cmocka_unit_test(test_order_no),
        cmocka_unit_test(test_staff_and_pin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

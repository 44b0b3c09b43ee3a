/* The error table: codes unique and stable, reverse lookup, proto_error_set's contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static void test_codes_unique_and_reversible(void **state)
{
    for (int i = 0; i < PROTO_E__COUNT; i++) {
        const char *code = proto_error_code((enum proto_err)i);
        assert_non_null(code);
        assert_true(strlen(code) > 0);
        assert_true(strlen(proto_error_default_message((enum proto_err)i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(code, proto_error_code((enum proto_err)j));
        int known = 0;
        assert_int_equal(proto_error_from_code(code, &known), i);
        assert_int_equal(known, 1);
    }
}

static void test_codes_are_wire_stable(void **state)
{
    /* A few codes PROTOCOL.md spells out; renaming one breaks every deployed client. */
    assert_string_equal(proto_error_code(PROTO_E_BAD_FIELD), "bad_field");
    assert_string_equal(proto_error_code(PROTO_E_INVALID_PHONE), "invalid_phone");
    assert_string_equal(proto_error_code(PROTO_E_FRAME_TOO_LARGE), "frame_too_large");
    assert_string_equal(proto_error_code(PROTO_E_ALREADY_SUBSCRIBED), "already_subscribed");
}

static void test_unknown_codes(void **state)
{
    int known = 1;
    assert_int_equal(proto_error_from_code("no_such_code", &known), PROTO_E_INTERNAL);
    assert_int_equal(known, 0);
    known = 1;
    assert_int_equal(proto_error_from_code(NULL, &known), PROTO_E_INTERNAL);
    assert_int_equal(known, 0);
    assert_int_equal(proto_error_from_code("BAD_FIELD", NULL), PROTO_E_INTERNAL);
    assert_string_equal(proto_error_code(PROTO_E__COUNT), "internal");
    assert_string_equal(proto_error_code((enum proto_err) - 1), "internal");
}

static void test_error_set(void **state)
{
    struct proto_error e;
    assert_int_equal(proto_error_set(&e, PROTO_E_TOO_LONG, "name", NULL), -1);
    assert_int_equal(e.code, PROTO_E_TOO_LONG);
    assert_string_equal(e.field, "name");
    assert_string_equal(e.message, proto_error_default_message(PROTO_E_TOO_LONG));

    proto_error_set(&e, PROTO_E_OUT_OF_RANGE, NULL, "since must be >= %d, got %d", 0, -4);
    assert_string_equal(e.field, "");
    assert_string_equal(e.message, "since must be >= 0, got -4");

    assert_int_equal(proto_error_set(NULL, PROTO_E_INTERNAL, "x", "y"), -1);
}

static void test_error_set_truncates_on_character_boundary(void **state)
{
    char big[301];
    for (int i = 0; i < 100; i++)
        memcpy(big + (size_t)3 * i, "中", 3); /* 300 bytes, over the 200-byte message */
    big[300] = '\0';
    struct proto_error e;
    proto_error_set(&e, PROTO_E_BAD_FIELD, big, "%s", big);
    size_t n = strlen(e.message);
    assert_true(n < sizeof e.message);
    assert_int_equal(n % 3, 0); /* whole characters only */
    assert_true(n >= sizeof e.message - 3);
    assert_true(proto_utf8_valid(e.message, n));
    n = strlen(e.field);
    assert_int_equal(n, 45); /* 47 usable bytes, cut back to a whole character */
    assert_true(proto_utf8_valid(e.field, n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_unique_and_reversible),
        cmocka_unit_test(test_codes_are_wire_stable),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_error_set),
        cmocka_unit_test(test_error_set_truncates_on_character_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

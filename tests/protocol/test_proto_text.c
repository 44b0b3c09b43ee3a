/* Text rules: phone numbers as typed, prefix checks while typing, request ids, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

struct phone_case {
    const char *in;
    const char *want; /* NULL: invalid_phone */
};

static const struct phone_case phones[] = {
    /* Mainland mobiles, as people type them. */
    {"13800138000", "13800138000"},
    {"138 0013 8000", "13800138000"},
    {"138-0013-8000", "13800138000"},
    {" 138 - 0013 - 8000 ", "13800138000"},
    {"+8613800138000", "13800138000"},
    {"+86 138 0013 8000", "13800138000"},
    {"+86-138-0013-8000", "13800138000"},
    {"008613800138000", "13800138000"},
    {"0086 138 0013 8000", "13800138000"},
    {"19912345678", "19912345678"},
    /* International: + and 8..15 digits. */
    {"+44 20 7946 0958", "+442079460958"},
    {"+1-415-555-0100", "+14155550100"},
    {"+12345678", "+12345678"},
    {"+123456789012345", "+123456789012345"},
    {"+86 21 6888 8888", "+862168888888"}, /* a +86 landline is an "other" number */
    {"0086 21 6888 8888", "+862168888888"},
    /* Invalid. */
    {"", NULL},
    {"   ", NULL},
    {"-", NULL},
    {"+", NULL},
    {"138001380001", NULL},  /* 12 digits */
    {"1380013800", NULL},    /* 10 digits */
    {"12800138000", NULL},   /* starts 12 */
    {"10800138000", NULL},   /* starts 10 */
    {"23800138000", NULL},   /* starts 2 */
    {"1380013800a", NULL},   /* a letter */
    {"138.0013.8000", NULL}, /* only spaces and '-' are separators */
    {"(138)00138000", NULL},
    {"+123", NULL},              /* too short */
    {"+1234567", NULL},          /* 7 digits */
    {"+1234567890123456", NULL}, /* 16 digits */
    {"++8613800138000", NULL},
    {"138+00138000", NULL},              /* '+' only in front */
    {"8613800138000", NULL},             /* 86 without + or 00 */
    {"0013800138000", NULL},             /* 00 but not 0086: no + either */
    {"１３８００１３８０００", NULL},    /* full-width digits */
    {"1380013800012345678901234", NULL}, /* over 24 bytes as typed */
};

static void test_phone_normalize(void **state)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
        char out[PROTO_MAX_PHONE + 1];
        struct proto_error err;
        memset(&err, 0, sizeof err);
        int rc = proto_phone_normalize(phones[i].in, out, sizeof out, &err);
        if (phones[i].want) {
            if (rc != 0 || strcmp(out, phones[i].want) != 0) {
                print_error("\"%s\": want %s, got rc=%d \"%s\"\n", phones[i].in, phones[i].want, rc,
                            rc == 0 ? out : "");
                failures++;
            }
        } else if (rc != -1 || err.code != PROTO_E_INVALID_PHONE ||
                   strcmp(err.field, "phone") != 0 || out[0] != '\0') {
            print_error("\"%s\": want invalid_phone, got rc=%d code=%s out=\"%s\"\n", phones[i].in,
                        rc, proto_error_code(err.code), out);
            failures++;
        }
    }
    assert_int_equal(failures, 0);

    char out[PROTO_MAX_PHONE + 1];
    assert_int_equal(proto_phone_normalize(NULL, out, sizeof out, NULL), -1);
}

static void test_phone_prefix_ok(void **state)
{
    assert_true(proto_phone_prefix_ok(""));
    assert_true(proto_phone_prefix_ok("1"));
    assert_true(proto_phone_prefix_ok("13"));
    assert_true(proto_phone_prefix_ok("19"));
    assert_true(proto_phone_prefix_ok("1380013"));
    assert_true(proto_phone_prefix_ok("13800138000"));
    assert_false(proto_phone_prefix_ok("138001380001")); /* 12 digits */
    assert_false(proto_phone_prefix_ok("2"));
    assert_false(proto_phone_prefix_ok("0"));
    assert_false(proto_phone_prefix_ok("10"));
    assert_false(proto_phone_prefix_ok("12"));
    assert_false(proto_phone_prefix_ok("13a"));
    assert_false(proto_phone_prefix_ok("138 0"));
    assert_false(proto_phone_prefix_ok(NULL));
}

static void test_id_valid(void **state)
{
    char id[PROTO_MAX_ID + 2];
    memset(id, 'a', sizeof id - 1);
    id[PROTO_MAX_ID] = '\0';
    assert_true(proto_id_valid(id)); /* 64 */
    id[PROTO_MAX_ID] = 'a';
    id[PROTO_MAX_ID + 1] = '\0';
    assert_false(proto_id_valid(id)); /* 65 */
    assert_true(proto_id_valid("a"));
    assert_true(proto_id_valid("kiosk-1:17_b.Z9"));
    assert_true(proto_id_valid("550e8400-e29b-41d4-a716-446655440000"));
    assert_false(proto_id_valid(""));
    assert_false(proto_id_valid(NULL));
    assert_false(proto_id_valid("a b"));
    assert_false(proto_id_valid("a/b"));
    assert_false(proto_id_valid("a\"b"));
    assert_false(proto_id_valid("é"));
    assert_false(proto_id_valid("中"));
    assert_false(proto_id_valid("a\n"));
}

struct utf8_case {
    const char *s;
    size_t len;
    int valid;
};

// clang-format off
#define U(lit, v) {(lit), sizeof(lit) - 1, (v)}
// clang-format on

static const struct utf8_case utf8s[] = {
    U("", 1),
    U("plain ascii", 1),
    U("\xC2\xA9", 1), /* U+00A9 */
    U("中文", 1),
    U("\xF0\x9F\x98\x80", 1), /* U+1F600 */
    U("\xF4\x8F\xBF\xBF", 1), /* U+10FFFF, the last */
    U("\xEF\xBF\xBF", 1),     /* U+FFFF */
    U("\xED\x9F\xBF", 1),     /* U+D7FF, just below the surrogates */
    U("\xEE\x80\x80", 1),     /* U+E000, just above */
    U("\xC0\xAF", 0),         /* overlong '/' */
    U("\xC1\xBF", 0),         /* overlong */
    U("\xE0\x9F\xBF", 0),     /* overlong 3-byte */
    U("\xF0\x8F\xBF\xBF", 0), /* overlong 4-byte */
    U("\xED\xA0\x80", 0),     /* U+D800 */
    U("\xED\xBF\xBF", 0),     /* U+DFFF */
    U("\xF4\x90\x80\x80", 0), /* U+110000 */
    U("\xF5\x80\x80\x80", 0),
    U("\xFF", 0),
    U("\xFE", 0),
    U("\x80", 0),     /* continuation without a lead */
    U("\xE4\xB8", 0), /* truncated */
    U("a\xE4", 0),
    U("\xE4\xB8\x41", 0), /* bad continuation */
    U("\xC3\x28", 0),
};

static void test_utf8_valid(void **state)
{
    for (size_t i = 0; i < sizeof utf8s / sizeof utf8s[0]; i++) {
        if (proto_utf8_valid(utf8s[i].s, utf8s[i].len) != utf8s[i].valid)
            fail_msg("case %zu: want %d", i, utf8s[i].valid);
    }
    /* The length bounds the check: a valid prefix of an invalid buffer is valid. */
    assert_true(proto_utf8_valid("ab\xFF", 2));
    assert_false(proto_utf8_valid("中", 2)); /* cut inside a character */
    assert_true(proto_utf8_valid(NULL, 0));
}

static void test_utf8_len(void **state)
{
    assert_int_equal(proto_utf8_len(""), 0);
    assert_int_equal(proto_utf8_len("abc"), 3);
    assert_int_equal(proto_utf8_len("王先生"), 3);
    assert_int_equal(proto_utf8_len("a中\xF0\x9F\x98\x80"), 3);
    assert_int_equal(proto_utf8_len(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_normalize), cmocka_unit_test(test_phone_prefix_ok),
        cmocka_unit_test(test_id_valid),        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

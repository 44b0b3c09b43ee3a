/* Size and depth limits: at the limit decodes, one past fails with the right code, and
 * absurd input (100,000 brackets, 4 MiB frames) neither crashes nor recurses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static enum proto_err decode(const char *buf, size_t len, enum proto_dir dir)
{
    struct proto_msg m;
    struct proto_error err;
    if (proto_decode(buf, len, dir, &m, &err, NULL) == 0) {
        proto_msg_free(&m);
        return PROTO_E_OK;
    }
    assert_null(m.root);
    return err.code;
}

/* A valid ping padded with trailing blanks to exactly `len` bytes. Caller frees. */
static char *padded_ping(size_t len)
{
    static const char ping[] = "{\"type\":\"ping\",\"id\":\"a\"}";
    char *buf = malloc(len);
    assert_non_null(buf);
    memset(buf, ' ', len);
    memcpy(buf, ping, sizeof ping - 1);
    return buf;
}

static void test_client_frame_limit(void **state)
{
    char *buf = padded_ping(PROTO_MAX_FRAME_IN + 1);
    assert_int_equal(decode(buf, PROTO_MAX_FRAME_IN, PROTO_DIR_C2H), PROTO_E_OK);
    assert_int_equal(decode(buf, PROTO_MAX_FRAME_IN + 1, PROTO_DIR_C2H), PROTO_E_FRAME_TOO_LARGE);
    /* The size is checked before anything else, even on garbage. */
    memset(buf, 0xFF, PROTO_MAX_FRAME_IN + 1);
    assert_int_equal(decode(buf, PROTO_MAX_FRAME_IN + 1, PROTO_DIR_C2H), PROTO_E_FRAME_TOO_LARGE);
    free(buf);
}

static void test_hub_frame_limit(void **state)
{
    /* A snapshot whose state holds one long string, sized to hit the limit exactly. */
    static const char head[] = "{\"type\":\"snapshot\",\"seq\":1,\"state\":{\"s\":\"";
    static const char tail[] = "\"}}";
    size_t total = PROTO_MAX_FRAME_OUT + 1;
    char *buf = malloc(total);
    assert_non_null(buf);
    memcpy(buf, head, sizeof head - 1);
    memset(buf + sizeof head - 1, 'x', total - (sizeof head - 1));
    memcpy(buf + PROTO_MAX_FRAME_OUT - (sizeof tail - 1), tail, sizeof tail - 1);
    assert_int_equal(decode(buf, PROTO_MAX_FRAME_OUT, PROTO_DIR_H2C), PROTO_E_OK);
    /* The same bytes are far over a client's limit. */
    assert_int_equal(decode(buf, PROTO_MAX_FRAME_OUT, PROTO_DIR_C2H), PROTO_E_FRAME_TOO_LARGE);
    buf[PROTO_MAX_FRAME_OUT] = ' ';
    assert_int_equal(decode(buf, total, PROTO_DIR_H2C), PROTO_E_FRAME_TOO_LARGE);
    free(buf);
}

/* {"type":"snapshot","seq":1,"state":<state>} where state nests `depth` levels in all
 * (root counts as 1). Alternates arrays and objects so both are counted. */
static char *nested_snapshot(int depth)
{
    size_t cap = 64 + (size_t)depth * 8;
    char *buf = malloc(cap);
    assert_non_null(buf);
    int n = snprintf(buf, cap, "{\"type\":\"snapshot\",\"seq\":1,\"state\":{\"s\":");
    for (int i = 2; i < depth; i++)
        n += snprintf(buf + n, cap - (size_t)n, i % 2 ? "[" : "{\"k\":");
    for (int i = depth - 1; i >= 2; i--)
        n += snprintf(buf + n, cap - (size_t)n, i % 2 ? "]" : "}");
    snprintf(buf + n, cap - (size_t)n, "}}");
    return buf;
}

static void test_depth_16_ok_17_too_deep(void **state)
{
    char *ok = nested_snapshot(PROTO_MAX_DEPTH);
    char *deep = nested_snapshot(PROTO_MAX_DEPTH + 1);
    assert_int_equal(decode(ok, strlen(ok), PROTO_DIR_H2C), PROTO_E_OK);
    assert_int_equal(decode(deep, strlen(deep), PROTO_DIR_H2C), PROTO_E_TOO_DEEP);
    free(ok);
    free(deep);

    /* In a request: depth is checked before args are (16 deep gets as far as the field
     * check; 17 never reaches cJSON). */
    char buf[256];
    int n = snprintf(buf, sizeof buf, "{\"type\":\"ping\",\"id\":\"a\",\"args\":{\"x\":");
    for (int i = 0; i < 14; i++)
        buf[n++] = '[';
    for (int i = 0; i < 14; i++)
        buf[n++] = ']';
    snprintf(buf + n, sizeof buf - (size_t)n, "}}");
    assert_int_equal(decode(buf, strlen(buf), PROTO_DIR_C2H), PROTO_E_UNKNOWN_FIELD);
    n = snprintf(buf, sizeof buf, "{\"type\":\"ping\",\"id\":\"a\",\"args\":{\"x\":");
    for (int i = 0; i < 15; i++)
        buf[n++] = '[';
    for (int i = 0; i < 15; i++)
        buf[n++] = ']';
    snprintf(buf + n, sizeof buf - (size_t)n, "}}");
    assert_int_equal(decode(buf, strlen(buf), PROTO_DIR_C2H), PROTO_E_TOO_DEEP);
}

static void test_brackets_inside_strings_do_not_count(void **state)
{
    char buf[512];
    char brackets[90];
    memset(brackets, '[', sizeof brackets - 1);
    brackets[sizeof brackets - 1] = '\0';
    snprintf(buf, sizeof buf,
             "{\"type\":\"checkin\",\"id\":\"a\",\"args\":{\"phone\":\"1\",\"consent\":true,"
             "\"name\":\"\\\"%s{{{\"}}",
             brackets);
    assert_int_equal(decode(buf, strlen(buf), PROTO_DIR_C2H), PROTO_E_OK);
}

static void test_100000_brackets(void **state)
{
    const size_t n = 100000;
    char *buf = malloc(2 * n);
    assert_non_null(buf);
    const char *opens = "[{";
    for (int k = 0; k < 2; k++) {
        memset(buf, opens[k], n);
        assert_int_equal(decode(buf, n, PROTO_DIR_C2H), PROTO_E_FRAME_TOO_LARGE);
        assert_int_equal(decode(buf, n, PROTO_DIR_H2C), PROTO_E_TOO_DEEP);
        assert_int_equal(decode(buf, PROTO_MAX_FRAME_IN, PROTO_DIR_C2H), PROTO_E_TOO_DEEP);
    }
    /* Balanced, as a parser that recursed would need to go all the way down. */
    memset(buf, '[', n);
    memset(buf + n, ']', n);
    assert_int_equal(decode(buf, 2 * n, PROTO_DIR_H2C), PROTO_E_TOO_DEEP);
    /* {"a":{"a":... */
    static const char obj[] = "{\"a\":";
    size_t k = 0;
    while (k + sizeof obj - 1 <= 2 * n) {
        memcpy(buf + k, obj, sizeof obj - 1);
        k += sizeof obj - 1;
    }
    assert_int_equal(decode(buf, k, PROTO_DIR_H2C), PROTO_E_TOO_DEEP);
    memset(buf, ']', n);
    assert_int_equal(decode(buf, n, PROTO_DIR_H2C), PROTO_E_BAD_JSON);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_frame_limit),
        cmocka_unit_test(test_hub_frame_limit),
        cmocka_unit_test(test_depth_16_ok_17_too_deep),
        cmocka_unit_test(test_brackets_inside_strings_do_not_count),
        cmocka_unit_test(test_100000_brackets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

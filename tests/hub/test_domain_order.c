/* Orders as customers see them: public stage of every stage, the timeline of every stage,
 * the to-do of every stage x payment x balance, order numbers across month and year
 * boundaries in UTC+8, and wall references. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* UTC ms of a UTC civil time, computed by the C library (an oracle independent of ours). */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static void test_stage_public_and_open(void **state)
{
    static const struct {
        enum domain_stage stage;
        enum domain_public pub;
        int open;
    } cases[] = {
        {DOMAIN_STAGE_ENTERED, DOMAIN_PUBLIC_ORDERED, 1},
        {DOMAIN_STAGE_REVIEWED, DOMAIN_PUBLIC_ORDERED, 1},
        {DOMAIN_STAGE_RETURNED, DOMAIN_PUBLIC_ORDERED, 1},
        {DOMAIN_STAGE_APPROVED, DOMAIN_PUBLIC_VEHICLE, 1},
        {DOMAIN_STAGE_ALLOCATED, DOMAIN_PUBLIC_PAYMENT, 1},
        {DOMAIN_STAGE_PAID, DOMAIN_PUBLIC_READY, 1},
        {DOMAIN_STAGE_READY, DOMAIN_PUBLIC_READY, 1},
        {DOMAIN_STAGE_DELIVERED, DOMAIN_PUBLIC_DELIVERED, 0},
        {DOMAIN_STAGE_CLOSED, DOMAIN_PUBLIC_DELIVERED, 0},
        {DOMAIN_STAGE_CANCELLED, DOMAIN_PUBLIC_CANCELLED, 0},
    };
    assert_int_equal(N(cases), DOMAIN_STAGE__COUNT);
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(cases[i].stage, (int)i);
        assert_int_equal(domain_stage_public(cases[i].stage), cases[i].pub);
        assert_int_equal(domain_stage_is_open(cases[i].stage), cases[i].open);
    }
    assert_int_equal(domain_stage_is_open(DOMAIN_STAGE__COUNT), 0);
    assert_int_equal(domain_stage_is_open((enum domain_stage) - 1), 0);
}

/* Distinct times for every stamp, so a step showing the wrong one is caught. */
static const struct domain_order_times all_times = {
    .created_at = 1000,
    .approved_at = 2000,
    .allocated_at = 3000,
    .paid_at = 4000,
    .ready_at = 5000,
    .delivered_at = 6000,
};

static const enum domain_public steps[DOMAIN_TIMELINE_LEN] = {
    DOMAIN_PUBLIC_ORDERED, DOMAIN_PUBLIC_VEHICLE, DOMAIN_PUBLIC_PAYMENT, DOMAIN_PUBLIC_READY,
    DOMAIN_PUBLIC_DELIVERED};

/* Checks a timeline against a picture: 'D' done (with the given time), 'C' current, 'T'
 * todo (both with at == 0). */
static void check_timeline(enum domain_stage stage, const struct domain_order_times *t,
                           const char *want, const int64_t want_at[DOMAIN_TIMELINE_LEN])
{
    struct domain_timeline_entry out[DOMAIN_TIMELINE_LEN];
    memset(out, 0x5a, sizeof(out));
    domain_order_timeline(stage, t, out);
    for (int i = 0; i < DOMAIN_TIMELINE_LEN; i++) {
        enum domain_step_state st = want[i] == 'D'   ? DOMAIN_STEP_DONE
                                    : want[i] == 'C' ? DOMAIN_STEP_CURRENT
                                                     : DOMAIN_STEP_TODO;
        int64_t at = want[i] == 'D' ? want_at[i] : 0;
        if (out[i].stage != steps[i] || out[i].state != st || out[i].at != at)
            fail_msg("stage %s step %d: got (%d,%d,%lld) want (%d,%d,%lld)",
                     domain_stage_name(stage), i, (int)out[i].stage, (int)out[i].state,
                     (long long)out[i].at, (int)steps[i], (int)st, (long long)at);
    }
}

static void test_timeline_every_stage(void **state)
{
    static const int64_t at[DOMAIN_TIMELINE_LEN] = {1000, 3000, 4000, 5000, 6000};
    static const struct {
        enum domain_stage stage;
        const char *want;
    } cases[] = {
        {DOMAIN_STAGE_ENTERED, "CTTTT"},   {DOMAIN_STAGE_REVIEWED, "CTTTT"},
        {DOMAIN_STAGE_RETURNED, "CTTTT"},  {DOMAIN_STAGE_APPROVED, "DCTTT"},
        {DOMAIN_STAGE_ALLOCATED, "DDCTT"}, {DOMAIN_STAGE_PAID, "DDDCT"},
        {DOMAIN_STAGE_READY, "DDDCT"},     {DOMAIN_STAGE_DELIVERED, "DDDDD"},
        {DOMAIN_STAGE_CLOSED, "DDDDD"},    {DOMAIN_STAGE_CANCELLED, "DDDDD"},
    };
    assert_int_equal(N(cases), DOMAIN_STAGE__COUNT);
    for (size_t i = 0; i < N(cases); i++)
        check_timeline(cases[i].stage, &all_times, cases[i].want, at);
}

/* Times as they really are at each stage: only what has happened is stamped. */
static void test_timeline_realistic_times(void **state)
{
    struct domain_order_times t = {.created_at = 1000, .approved_at = 2000};
    static const int64_t at[DOMAIN_TIMELINE_LEN] = {1000, 3000, 4000, 5000, 6000};
    check_timeline(DOMAIN_STAGE_APPROVED, &t, "DCTTT", at);
    t.allocated_at = 3000;
    check_timeline(DOMAIN_STAGE_ALLOCATED, &t, "DDCTT", at);
    t.paid_at = 4000;
    check_timeline(DOMAIN_STAGE_PAID, &t, "DDDCT", at);
    t.ready_at = 5000; /* ready: the ready step stays current until delivery */
    check_timeline(DOMAIN_STAGE_READY, &t, "DDDCT", at);
    t.delivered_at = 6000;
    check_timeline(DOMAIN_STAGE_DELIVERED, &t, "DDDDD", at);
}

static void test_timeline_cancelled(void **state)
{
    static const int64_t at[DOMAIN_TIMELINE_LEN] = {1000, 3000, 4000, 5000, 6000};
    struct domain_order_times t = {0};
    check_timeline(DOMAIN_STAGE_CANCELLED, &t, "TTTTT", at);
    t.created_at = 1000;
    check_timeline(DOMAIN_STAGE_CANCELLED, &t, "DTTTT", at);
    t.approved_at = 2000; /* approval alone does not complete the vehicle step */
    check_timeline(DOMAIN_STAGE_CANCELLED, &t, "DTTTT", at);
    t.allocated_at = 3000;
    check_timeline(DOMAIN_STAGE_CANCELLED, &t, "DDTTT", at);
    t.allocated_at = 0;
    t.paid_at = 4000; /* a gap stays a gap: nothing is made up */
    check_timeline(DOMAIN_STAGE_CANCELLED, &t, "DTDTT", at);
}

static void test_timeline_missing_times(void **state)
{
    /* A done step whose stamp is missing reports 0 (the kiosk shows no date). */
    static const int64_t zero[DOMAIN_TIMELINE_LEN] = {0, 0, 0, 0, 0};
    struct domain_order_times t = {0};
    check_timeline(DOMAIN_STAGE_CLOSED, &t, "DDDDD", zero);
    check_timeline(DOMAIN_STAGE_PAID, &t, "DDDCT", zero);
    check_timeline(DOMAIN_STAGE_PAID, NULL, "DDDCT", zero);
}

static void test_todo_every_stage_payment_balance(void **state)
{
    static const int64_t total = 18980000;
    static const int64_t paid[] = {0, 5000000, total - 1, total, total + 1};
    for (int s = 0; s < DOMAIN_STAGE__COUNT; s++) {
        for (int p = DOMAIN_PAY_FULL; p <= DOMAIN_PAY_LOAN; p++) {
            for (size_t k = 0; k < N(paid); k++) {
                enum domain_todo want = DOMAIN_TODO_NONE;
                if (s == DOMAIN_STAGE_ALLOCATED && paid[k] < total)
                    want =
                        p == DOMAIN_PAY_FULL ? DOMAIN_TODO_PAY_BALANCE : DOMAIN_TODO_LOAN_DOCUMENTS;
                else if (s == DOMAIN_STAGE_READY)
                    want = DOMAIN_TODO_ATTEND_DELIVERY;
                enum domain_todo got =
                    domain_order_todo((enum domain_stage)s, (enum domain_payment)p, paid[k], total);
                if (got != want)
                    fail_msg("stage %s pay %d paid %lld: got %d want %d",
                             domain_stage_name((enum domain_stage)s), p, (long long)paid[k],
                             (int)got, (int)want);
            }
        }
    }
    /* Spot checks written out, so the loop above is not the only statement of the rule. */
    assert_int_equal(domain_order_todo(DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_FULL, 0, 100),
                     DOMAIN_TODO_PAY_BALANCE);
    assert_int_equal(domain_order_todo(DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_LOAN, 30, 100),
                     DOMAIN_TODO_LOAN_DOCUMENTS);
    assert_int_equal(domain_order_todo(DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_LOAN, 100, 100),
                     DOMAIN_TODO_NONE);
    assert_int_equal(domain_order_todo(DOMAIN_STAGE_READY, DOMAIN_PAY_FULL, 100, 100),
                     DOMAIN_TODO_ATTEND_DELIVERY);
    assert_int_equal(domain_order_todo(DOMAIN_STAGE_APPROVED, DOMAIN_PAY_FULL, 0, 100),
                     DOMAIN_TODO_NONE);
}

static void check_no(int64_t t, int seq, const char *want)
{
    char buf[32];
    memset(buf, 0x7e, sizeof(buf));
    int rc = domain_order_no(t, seq, buf, sizeof(buf));
    if (rc != 0 || strcmp(buf, want) != 0)
        fail_msg("order_no(%lld, %d) = %d \"%s\", want \"%s\"", (long long)t, seq, rc,
                 rc == 0 ? buf : "", want);
}

static void test_order_no_boundaries(void **state)
{
    /* 2026-10-31T16:30Z is already 1 November in UTC+8. */
    check_no(utc_ms(2026, 10, 31, 16, 30, 0, 0), 12, "SF2611-0012");
    check_no(utc_ms(2026, 10, 31, 15, 59, 59, 999), 12, "SF2610-0012");
    check_no(utc_ms(2026, 10, 31, 16, 0, 0, 0), 1, "SF2611-0001");
    check_no(utc_ms(2026, 11, 22, 8, 0, 0, 0), 5, "SF2611-0005");
    check_no(utc_ms(2026, 12, 31, 15, 59, 59, 999), 1, "SF2612-0001");
    check_no(utc_ms(2026, 12, 31, 16, 0, 0, 0), 1, "SF2701-0001"); /* new year */
    check_no(utc_ms(2028, 2, 28, 16, 0, 0, 0), 1, "SF2802-0001");  /* 29 Feb 2028 */
    check_no(utc_ms(2028, 2, 29, 16, 0, 0, 0), 1, "SF2803-0001");
    check_no(utc_ms(1999, 12, 31, 15, 59, 59, 999), 1, "SF9912-0001");
    check_no(utc_ms(1999, 12, 31, 16, 0, 0, 0), 1, "SF0001-0001");
    check_no(0, 1, "SF7001-0001"); /* the epoch is 08:00 in UTC+8 */
    check_no(-8LL * 3600 * 1000 - 1, 1, "SF6912-0001");
}

/* Every day 1990..2100 at both sides of local midnight, against the C library. */
static void test_order_no_sweep(void **state)
{
    const int64_t day = 86400000LL;
    int64_t start = utc_ms(1990, 1, 1, 16, 0, 0, 0), end = utc_ms(2100, 1, 1, 0, 0, 0, 0);
    for (int64_t t = start; t < end; t += day) {
        for (int side = 0; side < 2; side++) {
            int64_t at = side ? t : t - 1; /* local 00:00:00.000 and 23:59:59.999 */
            time_t local = (time_t)((at + 8LL * 3600 * 1000) / 1000);
            struct tm tm;
            gmtime_r(&local, &tm);
            char want[32];
            snprintf(want, sizeof(want), "SF%02d%02d-0042", tm.tm_year % 100, tm.tm_mon + 1);
            check_no(at, 42, want);
        }
    }
}

static void test_order_no_seq_and_buffer(void **state)
{
    int64_t t = utc_ms(2026, 11, 1, 0, 0, 0, 0);
    char buf[32];
    check_no(t, 1, "SF2611-0001");
    check_no(t, 999, "SF2611-0999");
    check_no(t, 9999, "SF2611-9999");
    static const int bad[] = {0, -1, 10000, 123456, -2147483647 - 1, 2147483647};
    for (size_t i = 0; i < N(bad); i++) {
        memset(buf, 0x7e, sizeof(buf));
        assert_int_equal(domain_order_no(t, bad[i], buf, sizeof(buf)), -1);
        assert_int_equal(buf[0], '\0');
    }
    memset(buf, 0x7e, sizeof(buf));
    assert_int_equal(domain_order_no(t, 12, buf, 12), 0); /* 11 characters + NUL */
    assert_string_equal(buf, "SF2611-0012");
    memset(buf, 0x7e, sizeof(buf));
    assert_int_equal(domain_order_no(t, 12, buf, 11), -1);
    assert_int_equal(buf[0], '\0');
    assert_int_equal((unsigned char)buf[11], 0x7e);
    memset(buf, 0x7e, sizeof(buf));
    assert_int_equal(domain_order_no(t, 12, buf, 0), -1);
    assert_int_equal((unsigned char)buf[0], 0x7e);
}

static void test_order_ref(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"SF2611-0012", "…0012"},
        {"SF2611-9999", "…9999"},
        {"1234", "…1234"},
        {"AB", "…AB"},
        {"", "…"},
        {"订单一二三四", "…一二三四"},
        {"X-长1", "…X-长1"},
    };
    char buf[32];
    for (size_t i = 0; i < N(cases); i++) {
        memset(buf, 0x7e, sizeof(buf));
        assert_int_equal(domain_order_ref(cases[i].in, buf, sizeof(buf)), 0);
        assert_string_equal(buf, cases[i].want);
        size_t need = strlen(cases[i].want) + 1;
        memset(buf, 0x7e, sizeof(buf));
        assert_int_equal(domain_order_ref(cases[i].in, buf, need), 0);
        assert_string_equal(buf, cases[i].want);
        memset(buf, 0x7e, sizeof(buf));
        assert_int_equal(domain_order_ref(cases[i].in, buf, need - 1), -1);
        assert_int_equal(buf[0], '\0');
        for (size_t k = need - 1; k < sizeof(buf); k++)
            assert_int_equal((unsigned char)buf[k], 0x7e);
    }
    assert_int_equal(domain_order_ref(NULL, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "…");
    memset(buf, 0x7e, sizeof(buf));
    assert_int_equal(domain_order_ref("SF2611-0012", buf, 0), -1);
    assert_int_equal((unsigned char)buf[0], 0x7e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_public_and_open),
        cmocka_unit_test(test_timeline_every_stage),
        cmocka_unit_test(test_timeline_realistic_times),
        cmocka_unit_test(test_timeline_cancelled),
        cmocka_unit_test(test_timeline_missing_times),
        cmocka_unit_test(test_todo_every_stage_payment_balance),
        cmocka_unit_test(test_order_no_boundaries),
        cmocka_unit_test(test_order_no_sweep),
        cmocka_unit_test(test_order_no_seq_and_buffer),
        cmocka_unit_test(test_order_ref),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

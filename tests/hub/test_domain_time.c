/* Staff login lockout edges and site-local day starts (UTC+8 and UTC-5 around midnight,
 * before the epoch, and a sweep of offsets checking the defining properties). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain.h"

#define N(a)    (sizeof(a) / sizeof((a)[0]))
#define DAY_MS  86400000LL
#define T0      1763800000000LL
#define LOCK_MS ((int64_t)DOMAIN_LOGIN_LOCK_MS)

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

static void test_login_lockout_edges(void **state)
{
    static const struct {
        int failures;
        int allowed;
        int64_t since_last; /* now - last_failure_at */
    } cases[] = {
        {0, 1, 0},
        {1, 1, 0},
        {4, 1, 0}, /* one short of the limit: still allowed right after a failure */
        {4, 1, 1},
        {5, 0, 0}, /* the fifth failure locks */
        {5, 0, 1},
        {5, 0, LOCK_MS / 2},
        {5, 0, LOCK_MS - 1},
        {5, 1, LOCK_MS}, /* the lock ends exactly LOCK_MS after the last */
        {5, 1, LOCK_MS + 1},
        {6, 0, LOCK_MS - 1},
        {6, 1, LOCK_MS},
        {100, 0, 0},
        {100, 1, 24LL * 3600 * 1000},
    };
    for (size_t i = 0; i < N(cases); i++) {
        int got = domain_login_allowed(cases[i].failures, T0 - cases[i].since_last, T0);
        if (got != cases[i].allowed)
            fail_msg("case %zu: failures %d since %lld: got %d", i, cases[i].failures,
                     (long long)cases[i].since_last, got);
    }
    assert_int_equal(DOMAIN_LOGIN_MAX_FAILURES, 5);
    assert_int_equal(DOMAIN_LOGIN_LOCK_MS, 600000);
}

static void test_day_start_utc8(void **state)
{
    const int off = 480;
    /* Local 2026-11-22 starts at 2026-11-21T16:00Z. */
    int64_t start = utc_ms(2026, 11, 21, 16, 0, 0, 0);
    assert_int_equal(domain_day_start(start, off), start);
    assert_int_equal(domain_day_start(start + 1, off), start);
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 22, 0, 0, 0, 0), off), start);
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 22, 15, 59, 59, 999), off), start);
    assert_int_equal(domain_day_start(start - 1, off), start - DAY_MS);
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 22, 16, 0, 0, 0), off), start + DAY_MS);
    /* The epoch is 08:00 local on 1970-01-01, which began before the epoch. */
    assert_int_equal(domain_day_start(0, off), -8LL * 3600 * 1000);
    assert_int_equal(domain_day_start(-8LL * 3600 * 1000 - 1, off), -8LL * 3600 * 1000 - DAY_MS);
}

static void test_day_start_utc_minus5(void **state)
{
    const int off = -300;
    /* Local 2026-11-22 starts at 2026-11-22T05:00Z. */
    int64_t start = utc_ms(2026, 11, 22, 5, 0, 0, 0);
    assert_int_equal(domain_day_start(start, off), start);
    assert_int_equal(domain_day_start(start + 1, off), start);
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 23, 4, 59, 59, 999), off), start);
    assert_int_equal(domain_day_start(start - 1, off), start - DAY_MS);
    /* 2026-11-22T02:00Z is still the 21st locally. */
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 22, 2, 0, 0, 0), off), start - DAY_MS);
    assert_int_equal(domain_day_start(utc_ms(2026, 11, 23, 5, 0, 0, 0), off), start + DAY_MS);
    assert_int_equal(domain_day_start(0, off), 5LL * 3600 * 1000 - DAY_MS);
}

static void test_day_start_utc(void **state)
{
    int64_t start = utc_ms(2026, 11, 22, 0, 0, 0, 0);
    assert_int_equal(domain_day_start(start, 0), start);
    assert_int_equal(domain_day_start(start + DAY_MS - 1, 0), start);
    assert_int_equal(domain_day_start(start - 1, 0), start - DAY_MS);
    assert_int_equal(domain_day_start(-1, 0), -DAY_MS);
}

/* For offsets from UTC-12 to UTC+14 and times around the epoch and today: the start is a
 * local midnight, is at most `now`, is less than a day before it, and is a fixed point. */
static void test_day_start_properties(void **state)
{
    const int64_t bases[] = {-3 * DAY_MS, 0, T0, utc_ms(2038, 1, 19, 3, 14, 8, 0)};
    for (int off = -720; off <= 840; off += 15) {
        int64_t off_ms = (int64_t)off * 60000;
        for (size_t b = 0; b < N(bases); b++) {
            for (int64_t d = -DAY_MS; d <= DAY_MS; d += 997LL * 61) {
                int64_t now = bases[b] + d;
                int64_t s = domain_day_start(now, off);
                assert_true(s <= now);
                assert_true(now - s < DAY_MS);
                int64_t local = s + off_ms;
                assert_int_equal(((local % DAY_MS) + DAY_MS) % DAY_MS, 0);
                assert_int_equal(domain_day_start(s, off), s);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_lockout_edges),  cmocka_unit_test(test_day_start_utc8),
        cmocka_unit_test(test_day_start_utc_minus5), cmocka_unit_test(test_day_start_utc),
        cmocka_unit_test(test_day_start_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Check-in assignment (DOMAIN.md "Visits and reception", PROTOCOL.md checkin): owner,
 * invitation, rotation with its tie-break, the all-busy fallback, nobody on duty, wait
 * estimates, and a simulated day checking that the rotation is fair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define MIN_MS   60000LL
#define T0       1763800000000LL /* an arbitrary "now" */
#define INVITER  700
#define STRANGER 999 /* a staff id in no list */

/* A consultant who is on duty and free. */
static struct domain_consultant cfree(int64_t id, int64_t last)
{
    struct domain_consultant c = {id, true, 0, 0, 0, last};
    return c;
}

static struct domain_consultant coff(int64_t id, int64_t last)
{
    struct domain_consultant c = {id, false, 0, 0, 0, last};
    return c;
}

/* On duty, with `waiting` queued and serving one customer since `since` (0: not serving). */
static struct domain_consultant cbusy(int64_t id, int64_t last, int waiting, int64_t since)
{
    struct domain_consultant c = {id, true, waiting, since ? 1 : 0, since, last};
    return c;
}

static struct domain_checkin_out run(const struct domain_consultant *cs, size_t n, int64_t owner,
                                     int64_t invited)
{
    struct domain_checkin_in in = {cs, n, owner, invited, T0};
    struct domain_checkin_out out;
    memset(&out, 0x5a, sizeof(out)); /* every field must be written */
    domain_checkin_assign(&in, &out);
    return out;
}

static void expect(struct domain_checkin_out o, enum domain_assign how, int64_t id, int pos,
                   int wait)
{
    assert_int_equal(o.how, how);
    assert_int_equal(o.consultant_id, id);
    assert_int_equal(o.queue_position, pos);
    assert_int_equal(o.estimated_wait_min, wait);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_owner_on_duty_free(void **state)
{
    struct domain_consultant cs[] = {cfree(1, 0), cfree(2, T0 - 9 * MIN_MS), cfree(3, 0)};
    /* 1 and 3 are earlier in the rotation, but the owner wins. */
    expect(run(cs, N(cs), 2, 0), DOMAIN_ASSIGN_OWNER, 2, 1, 1);
}

static void test_owner_on_duty_busy(void **state)
{
    struct domain_consultant cs[] = {cfree(1, 0), cbusy(2, T0, 2, T0 - 5 * MIN_MS)};
    /* Two waiting ahead (10 min) plus 10 min left of the current slot. */
    expect(run(cs, N(cs), 2, 0), DOMAIN_ASSIGN_OWNER, 2, 3, 20);
}

static void test_owner_off_duty_falls_back_to_rotation(void **state)
{
    struct domain_consultant cs[] = {coff(2, 0), cfree(5, T0 - 3 * MIN_MS),
                                     cfree(4, T0 - 8 * MIN_MS)};
    expect(run(cs, N(cs), 2, 0), DOMAIN_ASSIGN_ROTATION, 4, 1, 1);
}

static void test_owner_not_listed_falls_back_to_rotation(void **state)
{
    struct domain_consultant cs[] = {cfree(5, T0 - 3 * MIN_MS), cfree(4, T0 - 8 * MIN_MS)};
    expect(run(cs, N(cs), STRANGER, 0), DOMAIN_ASSIGN_ROTATION, 4, 1, 1);
}

static void test_owner_wins_over_invitation(void **state)
{
    struct domain_consultant cs[] = {cfree(1, 0), cbusy(2, T0, 0, T0)};
    expect(run(cs, N(cs), 2, INVITER), DOMAIN_ASSIGN_OWNER, 2, 1, 15);
}

static void test_owner_off_duty_invited_uses_rotation(void **state)
{
    struct domain_consultant cs[] = {coff(2, 0), cfree(3, T0 - MIN_MS), cfree(4, T0)};
    expect(run(cs, N(cs), 2, INVITER), DOMAIN_ASSIGN_INVITED, 3, 1, 1);
}

static void test_invited_with_free_consultant(void **state)
{
    struct domain_consultant cs[] = {cbusy(1, 0, 1, 0), cfree(2, T0 - 2 * MIN_MS),
                                     cfree(3, T0 - 7 * MIN_MS)};
    expect(run(cs, N(cs), 0, INVITER), DOMAIN_ASSIGN_INVITED, 3, 1, 1);
}

static void test_invited_all_busy(void **state)
{
    struct domain_consultant cs[] = {cbusy(1, T0 - MIN_MS, 1, 0),
                                     cbusy(2, T0 - 20 * MIN_MS, 0, T0 - 20 * MIN_MS), coff(3, 0)};
    /* Serving for 20 minutes: the slot is used up, so only the 1-minute minimum. */
    expect(run(cs, N(cs), 0, INVITER), DOMAIN_ASSIGN_INVITED, 2, 1, 1);
}

static void test_invited_nobody_on_duty(void **state)
{
    struct domain_consultant cs[] = {coff(1, 0), coff(2, 0)};
    expect(run(cs, N(cs), 0, INVITER), DOMAIN_ASSIGN_NONE, 0, 0, 0);
    expect(run(cs, N(cs), 1, INVITER), DOMAIN_ASSIGN_NONE, 0, 0, 0);
}

static void test_rotation_least_recent_first(void **state)
{
    struct domain_consultant cs[] = {cfree(1, T0 - 1 * MIN_MS), cfree(2, T0 - 30 * MIN_MS),
                                     cfree(3, T0 - 10 * MIN_MS)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_ROTATION, 2, 1, 1);
}

static void test_rotation_never_assigned_goes_first(void **state)
{
    struct domain_consultant cs[] = {cfree(1, T0 - 600 * MIN_MS), cfree(9, 0)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_ROTATION, 9, 1, 1);
}

static void test_rotation_skips_busy_and_off_duty(void **state)
{
    struct domain_consultant cs[] = {cbusy(1, 0, 1, 0), cbusy(2, 0, 0, T0), coff(3, 0),
                                     cfree(4, T0 - MIN_MS)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_ROTATION, 4, 1, 1);
}

/* Ties on last_assigned_at go to the lower id whatever order the rows come in: every
 * permutation of four consultants gives the same answer. */
static void test_rotation_tie_break_any_order(void **state)
{
    const struct domain_consultant base[4] = {cfree(7, T0 - 5 * MIN_MS), cfree(3, T0 - 5 * MIN_MS),
                                              cfree(5, T0 - 5 * MIN_MS), cfree(2, T0)};
    const struct domain_consultant never[4] = {cfree(8, 0), cfree(6, 0), cfree(4, T0),
                                               cfree(1, T0)};
    int perm[4];
    int count = 0;
    for (perm[0] = 0; perm[0] < 4; perm[0]++)
        for (perm[1] = 0; perm[1] < 4; perm[1]++)
            for (perm[2] = 0; perm[2] < 4; perm[2]++)
                for (perm[3] = 0; perm[3] < 4; perm[3]++) {
                    if (perm[0] == perm[1] || perm[0] == perm[2] || perm[0] == perm[3] ||
                        perm[1] == perm[2] || perm[1] == perm[3] || perm[2] == perm[3])
                        continue;
                    struct domain_consultant a[4], b[4];
                    for (int i = 0; i < 4; i++) {
                        a[i] = base[perm[i]];
                        b[i] = never[perm[i]];
                    }
                    expect(run(a, 4, 0, 0), DOMAIN_ASSIGN_ROTATION, 3, 1, 1);
                    expect(run(b, 4, 0, 0), DOMAIN_ASSIGN_ROTATION, 6, 1, 1);
                    count++;
                }
    assert_int_equal(count, 24);
}

static void test_all_busy_fallback(void **state)
{
    /* The least recently assigned, not the least loaded: 3 has the longest queue. */
    struct domain_consultant cs[] = {cbusy(1, T0 - 5 * MIN_MS, 0, T0 - 2 * MIN_MS),
                                     cbusy(3, T0 - 50 * MIN_MS, 2, T0 - 10 * MIN_MS),
                                     cbusy(2, T0 - 9 * MIN_MS, 1, 0), coff(4, 0)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_BUSY_ROTATION, 3, 3, 15);
}

static void test_all_busy_tie_break(void **state)
{
    struct domain_consultant cs[] = {cbusy(6, T0 - 5 * MIN_MS, 1, 0),
                                     cbusy(4, T0 - 5 * MIN_MS, 0, T0 - 3 * MIN_MS)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_BUSY_ROTATION, 4, 1, 12);
}

static void test_off_duty_free_is_not_used(void **state)
{
    struct domain_consultant cs[] = {coff(1, 0), cbusy(2, T0, 1, 0)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_BUSY_ROTATION, 2, 2, 5);
}

static void test_nobody_on_duty(void **state)
{
    struct domain_consultant cs[] = {coff(1, 0), coff(2, T0)};
    expect(run(cs, N(cs), 0, 0), DOMAIN_ASSIGN_NONE, 0, 0, 0);
    expect(run(cs, N(cs), 2, 0), DOMAIN_ASSIGN_NONE, 0, 0, 0);
}

static void test_empty_list(void **state)
{
    expect(run(NULL, 0, 0, 0), DOMAIN_ASSIGN_NONE, 0, 0, 0);
    expect(run(NULL, 0, 4, INVITER), DOMAIN_ASSIGN_NONE, 0, 0, 0);
}

/* The estimate for one consultant (made the owner, so chosen whatever their load). */
static void test_wait_estimates(void **state)
{
    static const struct {
        int waiting;
        int serving;
        int64_t since; /* absolute, or 0 */
        int pos, wait;
    } cases[] = {
        {0, 0, 0, 1, 1},                    /* free: minimum 1 */
        {1, 0, 0, 2, 5},                    /* one waiting, nobody served */
        {4, 0, 0, 5, 20},                   /* four waiting */
        {0, 1, T0, 1, 15},                  /* service just started */
        {0, 1, T0 - 59999, 1, 15},          /* under a minute: nothing used up */
        {0, 1, T0 - MIN_MS, 1, 14},         /* one minute in */
        {0, 1, T0 - 5 * MIN_MS + 1, 1, 11}, /* 4m59.999s: whole minutes */
        {0, 1, T0 - 5 * MIN_MS, 1, 10},     /* 5 minutes in */
        {0, 1, T0 - 14 * MIN_MS, 1, 1},     /* 1 minute left */
        {0, 1, T0 - 15 * MIN_MS, 1, 1},     /* slot used up: minimum 1 */
        {0, 1, T0 - 40 * MIN_MS, 1, 1},     /* serving longer than the slot */
        {2, 1, T0 - 40 * MIN_MS, 3, 10},    /* overrun counts as 0, not negative */
        {3, 1, T0 - 6 * MIN_MS, 4, 24},     /* 15 + 9 */
        {1, 2, T0 - 3 * MIN_MS, 2, 17},     /* two in service: oldest start counts */
        {0, 1, 0, 1, 15},                   /* no start time: a whole slot */
        {0, 1, T0 + 5 * MIN_MS, 1, 15},     /* start in the future (clock step) */
        {1000, 0, 0, 1001, 5000},           /* long queue */
    };
    for (size_t i = 0; i < N(cases); i++) {
        struct domain_consultant c = {
            42, true, cases[i].waiting, cases[i].serving, cases[i].since, T0 - MIN_MS};
        struct domain_checkin_out o = run(&c, 1, 42, 0);
        if (o.queue_position != cases[i].pos || o.estimated_wait_min != cases[i].wait)
            fail_msg("case %zu: pos %d wait %d, want pos %d wait %d", i, o.queue_position,
                     o.estimated_wait_min, cases[i].pos, cases[i].wait);
        assert_int_equal(o.how, DOMAIN_ASSIGN_OWNER);
    }
}

/* ---- a simulated day ---- */

#define SIM_N     7
#define SIM_QUEUE 256
#define SIM_OPEN  (9 * 60) /* minutes since local midnight */
#define SIM_CLOSE (21 * 60)

struct sim_consultant {
    struct domain_consultant c;
    int64_t serve_end;
    int queue[SIM_QUEUE]; /* service minutes of waiting visits, FIFO */
    int qhead, qlen;
    int assigned;
    bool fast;        /* serves in one minute: always free at the next arrival */
    bool always_free; /* on duty and free at every check-in of the day */
};

static uint64_t sim_rand(uint64_t *s)
{
    /* xorshift64*: fixed seeds give the same day on every platform. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void sim_tick(struct sim_consultant *sc, int64_t now)
{
    struct domain_consultant *c = &sc->c;
    if (c->serving && now >= sc->serve_end) {
        c->serving = 0;
        c->serving_since = 0;
    }
    if (!c->serving && sc->qlen > 0) {
        int minutes = sc->queue[sc->qhead];
        sc->qhead = (sc->qhead + 1) % SIM_QUEUE;
        sc->qlen--;
        c->waiting--;
        c->serving = 1;
        c->serving_since = now;
        sc->serve_end = now + minutes * MIN_MS;
    }
}

/* 1 if a comes before b in the rotation. */
static int sim_before(const struct domain_consultant *a, const struct domain_consultant *b)
{
    if (a->last_assigned_at != b->last_assigned_at)
        return a->last_assigned_at < b->last_assigned_at;
    return a->staff_id < b->staff_id;
}

static void sim_day(uint64_t seed)
{
    struct sim_consultant sc[SIM_N];
    struct domain_consultant view[SIM_N];
    memset(sc, 0, sizeof(sc));
    for (int i = 0; i < SIM_N; i++) {
        sc[i].c.staff_id = 10 + i;
        sc[i].c.on_duty = true;
        sc[i].fast = i < 3; /* ids 10, 11, 12 */
        sc[i].always_free = true;
    }
    sc[3].c.on_duty = false; /* id 13: rest day */
    /* id 14 takes a lunch break 12:00-13:30 (below); ids 14..16 are slow. */

    const int64_t day = 20000LL * 86400000; /* a local midnight, in ms */
    int64_t next_arrival = day + (SIM_OPEN + 1) * MIN_MS;
    int arrivals = 0, rotations = 0;

    for (int minute = SIM_OPEN; minute < SIM_CLOSE; minute++) {
        int64_t now = day + minute * MIN_MS;
        sc[4].c.on_duty = !(minute >= 12 * 60 && minute < 13 * 60 + 30);
        for (int i = 0; i < SIM_N; i++)
            sim_tick(&sc[i], now);
        if (now < next_arrival)
            continue;
        next_arrival = now + (int64_t)(3 + sim_rand(&seed) % 10) * MIN_MS;
        arrivals++;

        /* Owners are slow consultants, one on rest, or someone not listed. */
        static const int64_t owners[] = {14, 15, 16, 13, STRANGER};
        int64_t owner = sim_rand(&seed) % 5 == 0 ? owners[sim_rand(&seed) % 5] : 0;
        int64_t invited = sim_rand(&seed) % 6 == 0 ? INVITER : 0;

        bool any_on = false, any_free = false;
        const struct domain_consultant *best_free = NULL;
        for (int i = 0; i < SIM_N; i++) {
            const struct domain_consultant *c = &sc[i].c;
            bool is_free = c->on_duty && c->waiting == 0 && c->serving == 0;
            any_on |= c->on_duty;
            any_free |= is_free;
            if (is_free && (!best_free || sim_before(c, best_free)))
                best_free = c;
            if (!is_free)
                sc[i].always_free = false;
            view[i] = *c;
        }
        struct domain_checkin_in in = {view, SIM_N, owner, invited, now};
        struct domain_checkin_out out;
        domain_checkin_assign(&in, &out);

        assert_true(any_on);
        assert_true(any_free); /* the fast consultants guarantee it */
        struct sim_consultant *chosen = NULL;
        for (int i = 0; i < SIM_N; i++) {
            if (sc[i].c.staff_id == out.consultant_id)
                chosen = &sc[i];
        }
        assert_non_null(chosen);
        assert_true(chosen->c.on_duty);
        assert_int_equal(out.queue_position, chosen->c.waiting + 1);
        assert_true(out.estimated_wait_min >= 1);
        if (out.how == DOMAIN_ASSIGN_OWNER) {
            assert_int_equal(out.consultant_id, owner);
        } else {
            assert_int_equal(out.how, invited ? DOMAIN_ASSIGN_INVITED : DOMAIN_ASSIGN_ROTATION);
            assert_int_equal(out.consultant_id, best_free->staff_id);
            rotations++;
        }

        int minutes = chosen->fast ? 1 : (int)(10 + sim_rand(&seed) % 51);
        assert_true(chosen->qlen < SIM_QUEUE);
        chosen->queue[(chosen->qhead + chosen->qlen) % SIM_QUEUE] = minutes;
        chosen->qlen++;
        chosen->c.waiting++;
        chosen->c.last_assigned_at = now;
        chosen->assigned++;
    }

    assert_true(arrivals > 50);
    assert_true(rotations > 30);
    int n_free = 0, lo = 1 << 30, hi = -1;
    for (int i = 0; i < SIM_N; i++) {
        if (!sc[i].always_free)
            continue;
        n_free++;
        lo = sc[i].assigned < lo ? sc[i].assigned : lo;
        hi = sc[i].assigned > hi ? sc[i].assigned : hi;
    }
    assert_true(n_free >= 3); /* at least the fast ones */
    assert_true(lo >= 1);
    if (hi - lo > 1)
        fail_msg("seed %llu: always-free consultants got %d..%d visits", (unsigned long long)seed,
                 lo, hi);
    assert_int_equal(sc[3].assigned, 0); /* on rest all day */
}

static void test_simulated_days_rotation_is_fair(void **state)
{
    for (uint64_t seed = 1; seed <= 50; seed++)
        sim_day(seed * 0x9E3779B97F4A7C15ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_on_duty_free),
        cmocka_unit_test(test_owner_on_duty_busy),
        cmocka_unit_test(test_owner_off_duty_falls_back_to_rotation),
        cmocka_unit_test(test_owner_not_listed_falls_back_to_rotation),
        cmocka_unit_test(test_owner_wins_over_invitation),
        cmocka_unit_test(test_owner_off_duty_invited_uses_rotation),
        cmocka_unit_test(test_invited_with_free_consultant),
        cmocka_unit_test(test_invited_all_busy),
        cmocka_unit_test(test_invited_nobody_on_duty),
        cmocka_unit_test(test_rotation_least_recent_first),
        cmocka_unit_test(test_rotation_never_assigned_goes_first),
        cmocka_unit_test(test_rotation_skips_busy_and_off_duty),
        cmocka_unit_test(test_rotation_tie_break_any_order),
        cmocka_unit_test(test_all_busy_fallback),
        cmocka_unit_test(test_all_busy_tie_break),
        cmocka_unit_test(test_off_duty_free_is_not_used),
        cmocka_unit_test(test_nobody_on_duty),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_wait_estimates),
        cmocka_unit_test(test_simulated_days_rotation_is_fair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Order time limits: setting keys and defaults, setting validation, and every deadline at
 * its edges (one ms before, exactly at, one ms after the due time), for steps done and not
 * done, with custom settings, after cancellation, and driven by domain_order_apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define H    ((int64_t)3600 * 1000)
#define T0   ((int64_t)1700000000000) /* an arbitrary UTC ms */

static void test_keys_and_defaults(void **state)
{
    (void)state;
    static const struct {
        enum domain_sla_kind kind;
        const char *name, *key;
        int hours;
    } rows[] = {
        {DOMAIN_SLA_ENTRY, "entry", "entry_hours", 2},
        {DOMAIN_SLA_INITIAL_REVIEW, "initial_review", "initial_review_hours", 4},
        {DOMAIN_SLA_FINAL_REVIEW, "final_review", "final_review_hours", 8},
        {DOMAIN_SLA_ETA_NOTIFY, "eta_notify", "eta_notify_hours", 24},
        {DOMAIN_SLA_CLOSE, "close", "close_hours", 72},
    };
    assert_int_equal(N(rows), DOMAIN_SLA__COUNT);
    struct domain_sla_settings set;
    memset(&set, 0x7f, sizeof set);
    domain_sla_defaults(&set);
    for (size_t i = 0; i < N(rows); i++) {
        assert_int_equal(rows[i].kind, (int)i);
        assert_string_equal(domain_sla_kind_name(rows[i].kind), rows[i].name);
        assert_string_equal(domain_sla_key(rows[i].kind), rows[i].key);
        assert_int_equal(domain_sla_kind_from_name(rows[i].name), (int)i);
        assert_int_equal(domain_sla_kind_from_key(rows[i].key), (int)i);
        assert_int_equal(domain_sla_kind_from_key(rows[i].name), -1); /* names are not keys */
        assert_int_equal(set.hours[i], rows[i].hours);
    }
    assert_int_equal(DOMAIN_SLA_DEFAULT_ENTRY, 2);
    assert_int_equal(DOMAIN_SLA_DEFAULT_INITIAL_REVIEW, 4);
    assert_int_equal(DOMAIN_SLA_DEFAULT_FINAL_REVIEW, 8);
    assert_int_equal(DOMAIN_SLA_DEFAULT_ETA_NOTIFY, 24);
    assert_int_equal(DOMAIN_SLA_DEFAULT_CLOSE, 72);
    assert_null(domain_sla_kind_name(DOMAIN_SLA__COUNT));
    assert_null(domain_sla_key((enum domain_sla_kind) - 1));
    static const char *const bogus[] = {"", "entry_hour", "ENTRY_HOURS", "close_hours ", "x"};
    for (size_t i = 0; i < N(bogus); i++) {
        assert_int_equal(domain_sla_kind_from_key(bogus[i]), -1);
        assert_int_equal(domain_sla_kind_from_name(bogus[i]), -1);
    }
    assert_int_equal(domain_sla_kind_from_key(NULL), -1);
    assert_int_equal(domain_sla_kind_from_name(NULL), -1);
}

static void test_set(void **state)
{
    (void)state;
    struct domain_sla_settings set;
    domain_sla_defaults(&set);
    struct proto_error err;
    assert_int_equal(domain_sla_set(&set, "initial_review_hours", 6, &err), 0);
    assert_int_equal(set.hours[DOMAIN_SLA_INITIAL_REVIEW], 6);
    assert_int_equal(domain_sla_set(&set, "close_hours", 1, &err), 0);
    assert_int_equal(domain_sla_set(&set, "entry_hours", DOMAIN_SLA_MAX_HOURS, &err), 0);
    assert_int_equal(set.hours[DOMAIN_SLA_CLOSE], 1);
    assert_int_equal(set.hours[DOMAIN_SLA_ENTRY], DOMAIN_SLA_MAX_HOURS);

    struct domain_sla_settings before = set;
    static const struct {
        const char *key;
        int64_t hours;
        enum proto_err code;
        const char *field;
    } bad[] = {
        {"close_hours", 0, PROTO_E_OUT_OF_RANGE, "value"},
        {"close_hours", -3, PROTO_E_OUT_OF_RANGE, "value"},
        {"close_hours", DOMAIN_SLA_MAX_HOURS + 1, PROTO_E_OUT_OF_RANGE, "value"},
        {"close_hours", (int64_t)1 << 40, PROTO_E_OUT_OF_RANGE, "value"},
        {"close", 5, PROTO_E_BAD_FIELD, "key"},
        {"", 5, PROTO_E_BAD_FIELD, "key"},
        {NULL, 5, PROTO_E_BAD_FIELD, "key"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(domain_sla_set(&set, bad[i].key, bad[i].hours, &err), -1);
        assert_int_equal(err.code, bad[i].code);
        assert_string_equal(err.field, bad[i].field);
        assert_memory_equal(&set, &before, sizeof set);
    }
}

/* The deadlines of `t` at `now` with default settings, indexed by kind (kind absent: none). */
struct seen {
    int n;
    bool present[DOMAIN_SLA__COUNT];
    struct domain_deadline d[DOMAIN_SLA__COUNT];
};

static struct seen deadlines(const struct domain_order_times_sla *t,
                             const struct domain_sla_settings *set, int64_t now)
{
    struct domain_deadline out[DOMAIN_SLA__COUNT + 2];
    struct seen s;
    memset(&s, 0, sizeof s);
    s.n = domain_order_deadlines(t, set, now, out, N(out));
    assert_true(s.n >= 0 && s.n <= DOMAIN_SLA__COUNT);
    for (int i = 0; i < s.n; i++) {
        if (i > 0)
            assert_true(out[i].kind > out[i - 1].kind); /* enum order, no repeats */
        s.present[out[i].kind] = true;
        s.d[out[i].kind] = out[i];
    }
    return s;
}

/* Expected state of one deadline: 'P' pending (open, in time), 'L' late (open, breached),
 * 'M' met, 'X' done but late, '-' absent. */
static void expect_dl(int line, const struct seen *s, enum domain_sla_kind k, char want,
                      int64_t start, int64_t due)
{
    if (want == '-') {
        if (s->present[k])
            fail_msg("line %d: %s should not apply", line, domain_sla_kind_name(k));
        return;
    }
    if (!s->present[k])
        fail_msg("line %d: %s missing", line, domain_sla_kind_name(k));
    const struct domain_deadline *d = &s->d[k];
    char got = d->done ? (d->met ? 'M' : 'X') : (d->breached ? 'L' : 'P');
    if (got != want)
        fail_msg("line %d: %s is %c, want %c", line, domain_sla_kind_name(k), got, want);
    assert_int_equal(d->started_at, start);
    assert_int_equal(d->due_at, due);
    assert_int_equal(d->breached, want == 'L' || want == 'X');
    assert_int_equal(d->met, want == 'M');
}
#define DL(s, k, want, start, due) expect_dl(__LINE__, s, k, want, start, due)

static void test_nothing_yet(void **state)
{
    (void)state;
    struct domain_order_times_sla t = {0};
    struct seen s = deadlines(&t, NULL, T0);
    assert_int_equal(s.n, 0);
}

/* For each limit: the step not done one ms before, at and after the due time; then done
 * exactly at the due time and one ms late. */
static void test_edges(void **state)
{
    (void)state;
    struct domain_sla_settings set;
    domain_sla_defaults(&set);
    static const struct {
        enum domain_sla_kind kind;
        int hours;
    } kinds[] = {
        {DOMAIN_SLA_ENTRY, 2},       {DOMAIN_SLA_INITIAL_REVIEW, 4}, {DOMAIN_SLA_FINAL_REVIEW, 8},
        {DOMAIN_SLA_ETA_NOTIFY, 24}, {DOMAIN_SLA_CLOSE, 72},
    };
    for (size_t i = 0; i < N(kinds); i++) {
        enum domain_sla_kind k = kinds[i].kind;
        int64_t due = T0 + kinds[i].hours * H;
        /* open, at three instants (entry is always done: the order exists once created) */
        for (int open = 0; open < 2; open++) {
            for (int64_t delta = -1; delta <= 1; delta++) {
                int64_t done_at = open ? 0 : due + delta;
                struct domain_order_times_sla t = {0};
                switch (k) {
                case DOMAIN_SLA_ENTRY:
                    if (open)
                        continue;
                    t.received_at = T0;
                    t.created_at = done_at;
                    break;
                case DOMAIN_SLA_INITIAL_REVIEW:
                    t.entered_at = T0;
                    t.initial_decided_at = done_at;
                    break;
                case DOMAIN_SLA_FINAL_REVIEW:
                    t.reviewed_at = T0;
                    t.final_decided_at = done_at;
                    break;
                case DOMAIN_SLA_ETA_NOTIFY:
                    t.eta_changed_at = T0;
                    t.eta_notified_at = done_at;
                    break;
                default:
                    t.delivered_at = T0;
                    t.closed_at = done_at;
                    break;
                }
                int64_t now = open ? due + delta : due + 10 * H; /* done: now is irrelevant */
                struct seen s = deadlines(&t, &set, now);
                char want = open ? (delta > 0 ? 'L' : 'P') : (delta > 0 ? 'X' : 'M');
                expect_dl((int)(i * 10 + (size_t)open * 3 + (size_t)(delta + 1)), &s, k, want, T0,
                          due);
            }
        }
    }
}

static void test_custom_settings(void **state)
{
    (void)state;
    struct domain_sla_settings set;
    domain_sla_defaults(&set);
    struct proto_error err;
    assert_int_equal(domain_sla_set(&set, "initial_review_hours", 6, &err), 0);
    struct domain_order_times_sla t = {.received_at = T0, .created_at = T0, .entered_at = T0};
    struct seen s = deadlines(&t, &set, T0 + 5 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'P', T0, T0 + 6 * H); /* 4 h default would be late */
    s = deadlines(&t, NULL, T0 + 5 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'L', T0, T0 + 4 * H);
    /* a value outside 1..max (a corrupt row) falls back to the default */
    set.hours[DOMAIN_SLA_INITIAL_REVIEW] = 0;
    s = deadlines(&t, &set, T0);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'P', T0, T0 + 4 * H);
}

/* Reviews count only when they answer the latest submission. */
static void test_resubmission(void **state)
{
    (void)state;
    struct domain_order_times_sla t = {.received_at = T0,
                                       .created_at = T0,
                                       .entered_at = T0 + 10 * H, /* resubmitted */
                                       .initial_decided_at = T0 + H /* the old failure */};
    struct seen s = deadlines(&t, NULL, T0 + 11 * H);
    DL(&s, DOMAIN_SLA_ENTRY, 'M', T0, T0 + 2 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'P', T0 + 10 * H, T0 + 14 * H);
    DL(&s, DOMAIN_SLA_FINAL_REVIEW, '-', 0, 0);
    /* the old final review rejected an older pass: the new pass opens a new clock */
    t.initial_decided_at = T0 + 12 * H;
    t.reviewed_at = T0 + 12 * H;
    t.final_decided_at = T0 + 11 * H;
    s = deadlines(&t, NULL, T0 + 21 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'M', T0 + 10 * H, T0 + 14 * H);
    DL(&s, DOMAIN_SLA_FINAL_REVIEW, 'L', T0 + 12 * H, T0 + 20 * H);
    /* a new eta after a notification reopens the notice */
    t.eta_notified_at = T0 + 5 * H;
    t.eta_changed_at = T0 + 6 * H;
    s = deadlines(&t, NULL, T0 + 7 * H);
    DL(&s, DOMAIN_SLA_ETA_NOTIFY, 'P', T0 + 6 * H, T0 + 30 * H);
    t.eta_notified_at = T0 + 6 * H; /* same instant counts */
    s = deadlines(&t, NULL, T0 + 7 * H);
    DL(&s, DOMAIN_SLA_ETA_NOTIFY, 'M', T0 + 6 * H, T0 + 30 * H);
}

static void test_cancelled_and_cap(void **state)
{
    (void)state;
    struct domain_order_times_sla t = {.received_at = T0,
                                       .created_at = T0 + 3 * H, /* entered late */
                                       .entered_at = T0 + 3 * H,
                                       .eta_changed_at = T0 + 3 * H,
                                       .cancelled_at = T0 + 4 * H};
    struct seen s = deadlines(&t, NULL, T0 + 100 * H);
    assert_int_equal(s.n, 1); /* only what really happened remains */
    DL(&s, DOMAIN_SLA_ENTRY, 'X', T0, T0 + 2 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, '-', 0, 0);
    DL(&s, DOMAIN_SLA_ETA_NOTIFY, '-', 0, 0);

    struct domain_order_times_sla all = {.received_at = T0,
                                         .created_at = T0,
                                         .entered_at = T0,
                                         .reviewed_at = T0,
                                         .eta_changed_at = T0,
                                         .delivered_at = T0};
    struct domain_deadline out[DOMAIN_SLA__COUNT];
    memset(out, 0, sizeof out);
    assert_int_equal(domain_order_deadlines(&all, NULL, T0, out, DOMAIN_SLA__COUNT), 5);
    assert_int_equal(domain_order_deadlines(&all, NULL, T0, out, 2), 2);
    assert_int_equal(out[0].kind, DOMAIN_SLA_ENTRY);
    assert_int_equal(out[1].kind, DOMAIN_SLA_INITIAL_REVIEW);
    struct domain_deadline canary = out[0];
    assert_int_equal(domain_order_deadlines(&all, NULL, T0, out, 0), 0);
    assert_memory_equal(&out[0], &canary, sizeof canary); /* nothing written */
}

/* The stamps domain_order_apply keeps drive the limits: a clock moved across each. */
static void test_driven_by_apply(void **state)
{
    (void)state;
    struct domain_actor own = {7, DOMAIN_ROLE_CONSULTANT}, sup = {8, DOMAIN_ROLE_SUPERVISOR},
                        mgr = {9, DOMAIN_ROLE_MANAGER};
    struct domain_order_state o;
    struct domain_order_effects fx;
    struct domain_order_args create = {.quantity = 1,
                                       .unit_price_fen = 100,
                                       .payment = DOMAIN_PAY_FULL,
                                       .received_at = T0 - 3 * H};
    domain_order_apply(&o, &own, DOMAIN_ORDER_CREATE, &create, T0, &fx);
    struct seen s = deadlines(&o.times, NULL, T0);
    DL(&s, DOMAIN_SLA_ENTRY, 'X', T0 - 3 * H, T0 - H); /* entered three hours after receipt */
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'P', T0, T0 + 4 * H);
    s = deadlines(&o.times, NULL, T0 + 4 * H + 1);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'L', T0, T0 + 4 * H);

    struct domain_order_args pass = {.pass = true};
    domain_order_apply(&o, &sup, DOMAIN_ORDER_REVIEW, &pass, T0 + H, &fx);
    s = deadlines(&o.times, NULL, T0 + 9 * H);
    DL(&s, DOMAIN_SLA_INITIAL_REVIEW, 'M', T0, T0 + 4 * H);
    DL(&s, DOMAIN_SLA_FINAL_REVIEW, 'P', T0 + H, T0 + 9 * H);
    s = deadlines(&o.times, NULL, T0 + 9 * H + 1);
    DL(&s, DOMAIN_SLA_FINAL_REVIEW, 'L', T0 + H, T0 + 9 * H);
    domain_order_apply(&o, &mgr, DOMAIN_ORDER_APPROVE, &pass, T0 + 10 * H, &fx);
    s = deadlines(&o.times, NULL, T0 + 10 * H);
    DL(&s, DOMAIN_SLA_FINAL_REVIEW, 'X', T0 + H, T0 + 9 * H);

    struct domain_order_args eta = {.eta = T0 + 500 * H, .has_reason = true};
    domain_order_apply(&o, &own, DOMAIN_ORDER_ETA, &eta, T0 + 11 * H, &fx);
    s = deadlines(&o.times, NULL, T0 + 35 * H);
    DL(&s, DOMAIN_SLA_ETA_NOTIFY, 'P', T0 + 11 * H, T0 + 35 * H);
    struct domain_order_args note = {.customer_visible = true};
    domain_order_apply(&o, &own, DOMAIN_ORDER_NOTE, &note, T0 + 35 * H, &fx);
    s = deadlines(&o.times, NULL, T0 + 99 * H);
    DL(&s, DOMAIN_SLA_ETA_NOTIFY, 'M', T0 + 11 * H, T0 + 35 * H);
    DL(&s, DOMAIN_SLA_CLOSE, '-', 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_and_defaults), cmocka_unit_test(test_set),
        cmocka_unit_test(test_nothing_yet),       cmocka_unit_test(test_edges),
        cmocka_unit_test(test_custom_settings),   cmocka_unit_test(test_resubmission),
        cmocka_unit_test(test_cancelled_and_cap), cmocka_unit_test(test_driven_by_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

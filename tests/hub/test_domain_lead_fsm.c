/* Who may run which lead command: every command x status x actor written out by hand for a
 * consultant-owned and a telesales-owned lead, each argument rule on its own, the messages,
 * and then what each allowed command does to the lead (domain_lead_apply). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a)  (sizeof(a) / sizeof((a)[0]))
#define HOUR  ((int64_t)3600 * 1000)
#define DAY   (24 * HOUR)
#define T0    ((int64_t)1767225600000) /* 2026-01-01T00:00Z */
#define C_OWN 7                        /* consultant owning the lead */
#define T_OWN 9                        /* telesales owner */

/* An assigned lead in `st`: consultant C_OWN owns it, T_OWN was its telesales owner, the
 * first callback is due a day after assignment at T0. */
static struct domain_lead_state lead(enum domain_lead_status st, char grade)
{
    struct domain_lead_state s;
    memset(&s, 0, sizeof s);
    s.status = st;
    s.grade = grade;
    s.owner_id = C_OWN;
    s.telesales_id = T_OWN;
    s.created_at = T0 - DAY;
    s.assigned_at = T0;
    s.first_callback_due_at = T0 + DAY;
    return s;
}

/* ---- who may do what ---- */

/* Columns: one actor each. */
enum col {
    K_RECEPTION,
    K_TEL_OWN,   /* the lead's telesales owner */
    K_TEL_OTHER, /* another telesales person */
    K_CONS_OWN,  /* the consultant owning the lead */
    K_CONS_OTHER,
    K_SUPERVISOR,
    K_MANAGER,
    K_FINANCE,
    K_SERVICE,
    K_MARKETING,
    K_ADMIN,
    K__COUNT
};

static struct domain_actor actor_of(int col)
{
    static const enum domain_role roles[K__COUNT] = {
        DOMAIN_ROLE_RECEPTION,  DOMAIN_ROLE_TELESALES,  DOMAIN_ROLE_TELESALES,
        DOMAIN_ROLE_CONSULTANT, DOMAIN_ROLE_CONSULTANT, DOMAIN_ROLE_SUPERVISOR,
        DOMAIN_ROLE_MANAGER,    DOMAIN_ROLE_FINANCE,    DOMAIN_ROLE_SERVICE,
        DOMAIN_ROLE_MARKETING,  DOMAIN_ROLE_ADMIN,
    };
    struct domain_actor a = {.role = roles[col], .staff_id = 100 + col};
    if (col == K_TEL_OWN)
        a.staff_id = T_OWN;
    if (col == K_CONS_OWN)
        a.staff_id = C_OWN;
    return a;
}

static struct domain_lead_args good_args(enum domain_lead_cmd cmd)
{
    struct domain_lead_args a;
    memset(&a, 0, sizeof a);
    switch (cmd) {
    case DOMAIN_LEAD_ASSIGN:
        a.to_staff_id = 555;
        a.to_role = DOMAIN_ROLE_CONSULTANT;
        a.to_active = true;
        a.has_reason = true;
        break;
    case DOMAIN_LEAD_FOLLOWUP:
        a.has_way = true;
        a.way = DOMAIN_FWAY_PHONE;
        a.has_content = true;
        a.grade = 'A';
        break;
    case DOMAIN_LEAD_GRADE:
        a.grade = 'H';
        break;
    case DOMAIN_LEAD_INVALIDATE:
        a.reason = DOMAIN_LEAD_INVALID_UNREACHABLE;
        break;
    default:
        break;
    }
    return a;
}

static char outcome(int rc, const struct proto_error *err)
{
    if (rc == 0)
        return 'A';
    switch (err->code) {
    case PROTO_E_FORBIDDEN:
        return 'F';
    case PROTO_E_INVALID_STATE:
        return 'I';
    case PROTO_E_BAD_FIELD:
        return 'B';
    default:
        return '?';
    }
}

/* One command's expected outcome per status (open, invalid, converted, lost), one letter
 * per column: A allowed, F forbidden, I invalid_state, B bad_field. */
struct matrix_row {
    enum domain_lead_cmd cmd;
    const char *cells[DOMAIN_LEAD_STATUS__COUNT];
};

/* Columns: reception, telesales own, telesales other, consultant own, consultant other,
 * supervisor, manager, finance, service, marketing, admin. */
// clang-format off
/* The lead is owned by consultant C_OWN; T_OWN was its telesales owner. */
static const struct matrix_row matrix_consultant_owned[] = {
    {DOMAIN_LEAD_CREATE,     {"AAAAAAAFFAF", "AAAAAAAFFAF", "AAAAAAAFFAF", "AAAAAAAFFAF"}},
    {DOMAIN_LEAD_ASSIGN,     {"FFFFFAAFFFF", "FFFFFIIFFFF", "FFFFFIIFFFF", "FFFFFIIFFFF"}},
    {DOMAIN_LEAD_FOLLOWUP,   {"FFFAFAFFFFF", "FFFIFIFFFFF", "FFFIFIFFFFF", "FFFIFIFFFFF"}},
    {DOMAIN_LEAD_GRADE,      {"FFFAFAFFFFF", "FFFIFIFFFFF", "FFFIFIFFFFF", "FFFIFIFFFFF"}},
    {DOMAIN_LEAD_INVALIDATE, {"FFFFFFFFFAF", "FFFFFFFFFIF", "FFFFFFFFFIF", "FFFFFFFFFIF"}},
    {DOMAIN_LEAD_MONTH_END,  {"FFFFFAFFFFF", "FFFFFAFFFFF", "FFFFFAFFFFF", "FFFFFAFFFFF"}},
    {DOMAIN_LEAD_GET,        {"FAFAFAAFFAF", "FAFAFAAFFAF", "FAFAFAAFFAF", "FAFAFAAFFAF"}},
    {DOMAIN_LEAD_LIST,       {"FAAAAAAFFAF", "FAAAAAAFFAF", "FAAAAAAFFAF", "FAAAAAAFFAF"}},
};
/* The lead is owned by telesales T_OWN only (no consultant yet). */
static const struct matrix_row matrix_telesales_owned[] = {
    {DOMAIN_LEAD_CREATE,     {"AAAAAAAFFAF", "AAAAAAAFFAF", "AAAAAAAFFAF", "AAAAAAAFFAF"}},
    {DOMAIN_LEAD_ASSIGN,     {"FFFFFAAFFFF", "FFFFFIIFFFF", "FFFFFIIFFFF", "FFFFFIIFFFF"}},
    {DOMAIN_LEAD_FOLLOWUP,   {"FAFFFAFFFFF", "FIFFFIFFFFF", "FIFFFIFFFFF", "FIFFFIFFFFF"}},
    {DOMAIN_LEAD_GRADE,      {"FAFFFAFFFFF", "FIFFFIFFFFF", "FIFFFIFFFFF", "FIFFFIFFFFF"}},
    {DOMAIN_LEAD_INVALIDATE, {"FFFFFFFFFAF", "FFFFFFFFFIF", "FFFFFFFFFIF", "FFFFFFFFFIF"}},
    {DOMAIN_LEAD_MONTH_END,  {"FFFFFAFFFFF", "FFFFFAFFFFF", "FFFFFAFFFFF", "FFFFFAFFFFF"}},
    {DOMAIN_LEAD_GET,        {"FAFFFAAFFAF", "FAFFFAAFFAF", "FAFFFAAFFAF", "FAFFFAAFFAF"}},
    {DOMAIN_LEAD_LIST,       {"FAAAAAAFFAF", "FAAAAAAFFAF", "FAAAAAAFFAF", "FAAAAAAFFAF"}},
};
// clang-format on

static void run_matrix(const struct matrix_row *rows, size_t n, bool consultant_owned)
{
    int failures = 0;
    assert_int_equal(n, DOMAIN_LEAD_CMD__COUNT);
    for (size_t r = 0; r < n; r++) {
        for (int st = 0; st < DOMAIN_LEAD_STATUS__COUNT; st++) {
            assert_int_equal(strlen(rows[r].cells[st]), K__COUNT);
            for (int col = 0; col < K__COUNT; col++) {
                struct domain_lead_state s = lead((enum domain_lead_status)st, 'B');
                if (!consultant_owned)
                    s.owner_id = 0;
                struct domain_lead_state before = s;
                struct domain_actor a = actor_of(col);
                struct domain_lead_args args = good_args(rows[r].cmd);
                struct proto_error err = {0};
                char got = outcome(domain_lead_check(&s, &a, rows[r].cmd, &args, &err), &err);
                assert_memory_equal(&s, &before, sizeof s); /* a check changes nothing */
                if (got != rows[r].cells[st][col]) {
                    print_error("%s status %s col %d: got %c want %c (%s)\n",
                                domain_lead_cmd_name(rows[r].cmd), domain_lead_status_name(st), col,
                                got, rows[r].cells[st][col], err.message);
                    failures++;
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void test_matrix_consultant_owned(void **state)
{
    (void)state;
    run_matrix(matrix_consultant_owned, N(matrix_consultant_owned), true);
}

static void test_matrix_telesales_owned(void **state)
{
    (void)state;
    run_matrix(matrix_telesales_owned, N(matrix_telesales_owned), false);
}

/* Checks one argument case for the supervisor on an open consultant-owned lead. */
static void expect_field(enum domain_lead_cmd cmd, struct domain_lead_args args, const char *field)
{
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    struct domain_actor a = {.role = DOMAIN_ROLE_SUPERVISOR, .staff_id = 3};
    if (cmd == DOMAIN_LEAD_INVALIDATE)
        a.role = DOMAIN_ROLE_MARKETING;
    struct proto_error err = {0};
    assert_int_equal(domain_lead_check(&s, &a, cmd, &args, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_string_equal(err.field, field);
}

static void test_arguments(void **state)
{
    (void)state;
    struct domain_lead_args a = good_args(DOMAIN_LEAD_ASSIGN);
    a.to_staff_id = 0;
    expect_field(DOMAIN_LEAD_ASSIGN, a, "staff_no");
    a = good_args(DOMAIN_LEAD_ASSIGN);
    a.to_role = DOMAIN_ROLE_RECEPTION;
    expect_field(DOMAIN_LEAD_ASSIGN, a, "staff_no");
    a = good_args(DOMAIN_LEAD_ASSIGN);
    a.to_active = false;
    expect_field(DOMAIN_LEAD_ASSIGN, a, "staff_no");
    a = good_args(DOMAIN_LEAD_ASSIGN);
    a.to_staff_id = C_OWN;
    expect_field(DOMAIN_LEAD_ASSIGN, a, "staff_no");

    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    a.has_way = false;
    expect_field(DOMAIN_LEAD_FOLLOWUP, a, "way");
    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    a.way = DOMAIN_FWAY__COUNT;
    expect_field(DOMAIN_LEAD_FOLLOWUP, a, "way");
    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    a.has_content = false;
    expect_field(DOMAIN_LEAD_FOLLOWUP, a, "content");
    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    a.grade = 'O';
    expect_field(DOMAIN_LEAD_FOLLOWUP, a, "grade");
    a.grade = 'Z';
    expect_field(DOMAIN_LEAD_FOLLOWUP, a, "grade");

    a = good_args(DOMAIN_LEAD_GRADE);
    a.grade = 0;
    expect_field(DOMAIN_LEAD_GRADE, a, "grade");
    a.grade = 'O';
    expect_field(DOMAIN_LEAD_GRADE, a, "grade");

    a = good_args(DOMAIN_LEAD_INVALIDATE);
    a.reason = DOMAIN_LEAD_INVALID_NONE;
    expect_field(DOMAIN_LEAD_INVALIDATE, a, "reason");
    a.reason = DOMAIN_LEAD_INVALID__COUNT;
    expect_field(DOMAIN_LEAD_INVALIDATE, a, "reason");

    /* what is allowed: a follow-up without a grade, any settable grade, a reassignment to
     * a telesales person (the telesales owner too: the consultant owns it now), no reason */
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    struct domain_actor sup = {.role = DOMAIN_ROLE_SUPERVISOR, .staff_id = 3};
    struct proto_error err;
    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    a.grade = 0;
    assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_FOLLOWUP, &a, &err), 0);
    for (const char *g = "HABFL"; *g; g++) {
        a = good_args(DOMAIN_LEAD_GRADE);
        a.grade = *g;
        assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_GRADE, &a, &err), 0);
    }
    a = good_args(DOMAIN_LEAD_ASSIGN);
    a.to_staff_id = T_OWN;
    a.to_role = DOMAIN_ROLE_TELESALES;
    a.has_reason = false;
    assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_ASSIGN, &a, &err), 0);
    /* NULL args are "nothing given" */
    assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_GRADE, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

static void test_check_messages_and_edges(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_LOST, 'F');
    struct domain_actor sup = {.role = DOMAIN_ROLE_SUPERVISOR, .staff_id = 3};
    struct domain_lead_args a = good_args(DOMAIN_LEAD_GRADE);
    struct proto_error err;
    assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_GRADE, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_non_null(strstr(err.message, "lead is lost (战败)"));
    struct domain_actor fin = {.role = DOMAIN_ROLE_FINANCE, .staff_id = 3};
    assert_int_equal(domain_lead_check(&s, &fin, DOMAIN_LEAD_ASSIGN, NULL, &err), -1);
    assert_string_equal(err.message,
                        "lead_assign needs the supervisor or manager role, not finance");
    /* stateful commands need a state; stateless ones do not */
    assert_int_equal(domain_lead_check(NULL, &sup, DOMAIN_LEAD_GRADE, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_int_equal(domain_lead_check(NULL, &sup, DOMAIN_LEAD_MONTH_END, NULL, &err), 0);
    assert_int_equal(domain_lead_check(NULL, &sup, DOMAIN_LEAD_LIST, NULL, &err), 0);
    assert_int_equal(domain_lead_check(NULL, &sup, DOMAIN_LEAD_CREATE, NULL, &err), 0);
    /* bad inputs */
    assert_int_equal(domain_lead_check(&s, NULL, DOMAIN_LEAD_GET, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    struct domain_actor bad = {.role = DOMAIN_ROLE__COUNT, .staff_id = 3};
    assert_int_equal(domain_lead_check(&s, &bad, DOMAIN_LEAD_GET, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    assert_int_equal(domain_lead_check(&s, &sup, DOMAIN_LEAD_CMD__COUNT, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    /* an unowned lead: telesales and consultants may not touch it; the supervisor may */
    struct domain_lead_state u = lead(DOMAIN_LEAD_OPEN, 'B');
    u.owner_id = u.telesales_id = 0;
    struct domain_actor tel = {.role = DOMAIN_ROLE_TELESALES, .staff_id = 0};
    a = good_args(DOMAIN_LEAD_FOLLOWUP);
    assert_int_equal(domain_lead_check(&u, &tel, DOMAIN_LEAD_FOLLOWUP, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    assert_int_equal(domain_lead_check(&u, &sup, DOMAIN_LEAD_FOLLOWUP, &a, &err), 0);
}

/* ---- what the commands do ---- */

static void test_apply_assign(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    s.owner_id = 0; /* telesales-owned */
    struct domain_actor sup = {.role = DOMAIN_ROLE_SUPERVISOR, .staff_id = 3};
    struct domain_lead_args a = good_args(DOMAIN_LEAD_ASSIGN);
    struct domain_lead_effects fx;
    domain_lead_apply(&s, &sup, DOMAIN_LEAD_ASSIGN, &a, T0 + 5 * DAY, &fx);
    assert_true(fx.owner_changed);
    assert_int_equal(fx.from_owner, T_OWN);
    assert_int_equal(fx.to_owner, 555);
    assert_false(fx.status_changed);
    assert_int_equal(s.owner_id, 555);
    assert_int_equal(s.telesales_id, T_OWN);
    assert_int_equal(s.assigned_at, T0 + 5 * DAY);
    assert_int_equal(s.first_callback_due_at, T0 + 6 * DAY);
    /* the new owner's first callback is due in 24 h */
    assert_int_equal(domain_lead_overdue(&s, T0 + 6 * DAY, NULL), DOMAIN_LEAD_DUE_NONE);
    assert_int_equal(domain_lead_overdue(&s, T0 + 6 * DAY + 1, NULL),
                     DOMAIN_LEAD_DUE_FIRST_CALLBACK);
}

static void test_apply_followup_and_grade(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    struct domain_actor own = {.role = DOMAIN_ROLE_CONSULTANT, .staff_id = C_OWN};
    struct domain_lead_args a = good_args(DOMAIN_LEAD_FOLLOWUP);
    struct domain_lead_effects fx;
    /* without a grade: the B cadence from the call */
    a.grade = 0;
    domain_lead_apply(&s, &own, DOMAIN_LEAD_FOLLOWUP, &a, T0 + HOUR, &fx);
    assert_false(fx.graded);
    assert_int_equal(s.last_followup_at, T0 + HOUR);
    assert_int_equal(s.next_due_at, T0 + HOUR + 15 * DAY);
    assert_int_equal(s.graded_at, 0);
    assert_int_equal(domain_lead_overdue(&s, T0 + 2 * DAY, NULL), DOMAIN_LEAD_DUE_NONE);
    /* with grade H: 3 days from this call */
    a.grade = 'H';
    domain_lead_apply(&s, &own, DOMAIN_LEAD_FOLLOWUP, &a, T0 + DAY, &fx);
    assert_true(fx.graded);
    assert_int_equal(s.grade, 'H');
    assert_int_equal(s.graded_at, T0 + DAY);
    assert_int_equal(s.next_due_at, T0 + 4 * DAY);
    /* lead_grade to A: the cadence runs from the latest call */
    struct domain_lead_args g = good_args(DOMAIN_LEAD_GRADE);
    g.grade = 'A';
    domain_lead_apply(&s, &own, DOMAIN_LEAD_GRADE, &g, T0 + 2 * DAY, &fx);
    assert_true(fx.graded);
    assert_int_equal(s.graded_at, T0 + 2 * DAY);
    assert_int_equal(s.next_due_at, T0 + DAY + 7 * DAY);
    /* never called: from now */
    struct domain_lead_state fresh = lead(DOMAIN_LEAD_OPEN, 0);
    domain_lead_apply(&fresh, &own, DOMAIN_LEAD_GRADE, &g, T0 + 3 * HOUR, &fx);
    assert_int_equal(fresh.next_due_at, T0 + 3 * HOUR + 7 * DAY);
    /* grade F: lost, no further due */
    a.grade = 'F';
    domain_lead_apply(&s, &own, DOMAIN_LEAD_FOLLOWUP, &a, T0 + 3 * DAY, &fx);
    assert_true(fx.status_changed);
    assert_int_equal(fx.from_status, DOMAIN_LEAD_OPEN);
    assert_int_equal(fx.to_status, DOMAIN_LEAD_LOST);
    assert_int_equal(s.status, DOMAIN_LEAD_LOST);
    assert_int_equal(s.next_due_at, 0);
    /* grade L stays open, without a cadence */
    struct domain_lead_state l = lead(DOMAIN_LEAD_OPEN, 'A');
    g.grade = 'L';
    domain_lead_apply(&l, &own, DOMAIN_LEAD_GRADE, &g, T0, &fx);
    assert_false(fx.status_changed);
    assert_int_equal(l.status, DOMAIN_LEAD_OPEN);
    assert_int_equal(l.next_due_at, 0);
}

static void test_apply_invalidate_and_reads(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    s.next_due_at = T0 + DAY;
    struct domain_actor mkt = {.role = DOMAIN_ROLE_MARKETING, .staff_id = 4};
    struct domain_lead_args a = good_args(DOMAIN_LEAD_INVALIDATE);
    struct domain_lead_effects fx;
    domain_lead_apply(&s, &mkt, DOMAIN_LEAD_INVALIDATE, &a, T0, &fx);
    assert_true(fx.status_changed);
    assert_int_equal(s.status, DOMAIN_LEAD_INVALID);
    assert_int_equal(s.invalid_reason, DOMAIN_LEAD_INVALID_UNREACHABLE);
    assert_int_equal(s.next_due_at, 0);
    assert_int_equal(s.owner_id, C_OWN); /* kept, flagged: nothing else changes */
    for (int c = 0; c < DOMAIN_LEAD_CMD__COUNT; c++) {
        if (c == DOMAIN_LEAD_ASSIGN || c == DOMAIN_LEAD_FOLLOWUP || c == DOMAIN_LEAD_GRADE ||
            c == DOMAIN_LEAD_INVALIDATE)
            continue;
        struct domain_lead_state t = lead(DOMAIN_LEAD_OPEN, 'B');
        struct domain_lead_state before = t;
        domain_lead_apply(&t, &mkt, (enum domain_lead_cmd)c, NULL, T0, &fx);
        assert_memory_equal(&t, &before, sizeof t);
        assert_false(fx.owner_changed || fx.status_changed || fx.graded);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_consultant_owned),
        cmocka_unit_test(test_matrix_telesales_owned),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_check_messages_and_edges),
        cmocka_unit_test(test_apply_assign),
        cmocka_unit_test(test_apply_followup_and_grade),
        cmocka_unit_test(test_apply_invalidate_and_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

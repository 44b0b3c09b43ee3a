/* Visit, appointment and conflict rules: who may serve and close a visit in each status
 * (every command x status x actor, written out by hand), the arguments, no double check-in
 * across local midnight in UTC+8, the appointment window and no-show at their edges, and
 * claim conflicts (撞单): detection, the final ruling and its 24 h limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a)  (sizeof(a) / sizeof((a)[0]))
#define MIN   ((int64_t)60 * 1000)
#define HOUR  (60 * MIN)
#define DAY   (24 * HOUR)
#define T0    ((int64_t)1767225600000) /* 2026-01-01T00:00Z = 08:00 in UTC+8 */
#define CN    480                      /* UTC+8, minutes */
#define C_OWN 7                        /* the visit's consultant */

/* ---- names ---- */

static void test_names(void **state)
{
    (void)state;
    static const struct {
        enum domain_visit_status s;
        const char *wire, *zh;
    } st[] = {
        {DOMAIN_VISIT_WAITING, "waiting", "等待接待"},
        {DOMAIN_VISIT_SERVING, "serving", "接待中"},
        {DOMAIN_VISIT_DEPARTED, "departed", "已离店"},
    };
    assert_int_equal(N(st), DOMAIN_VISIT_STATUS__COUNT);
    for (size_t i = 0; i < N(st); i++) {
        assert_string_equal(domain_visit_status_name(st[i].s), st[i].wire);
        assert_string_equal(domain_visit_status_name_zh(st[i].s), st[i].zh);
        assert_int_equal(domain_visit_status_from_name(st[i].wire), st[i].s);
    }
    assert_null(domain_visit_status_name(DOMAIN_VISIT_STATUS__COUNT));
    static const struct {
        enum proto_type t;
        enum domain_visit_cmd c;
        const char *name;
    } cmds[] = {
        {PROTO_T_VISIT_SERVE, DOMAIN_VISIT_SERVE, "visit_serve"},
        {PROTO_T_VISIT_DEPART, DOMAIN_VISIT_DEPART, "visit_depart"},
        {PROTO_T_APPOINTMENT_CREATE, DOMAIN_VISIT_APPOINTMENT_CREATE, "appointment_create"},
        {PROTO_T_CALL_STAFF, DOMAIN_VISIT_CALL_STAFF, "call_staff"},
    };
    assert_int_equal(N(cmds), DOMAIN_VISIT_CMD__COUNT);
    for (size_t i = 0; i < N(cmds); i++) {
        assert_string_equal(domain_visit_cmd_name(cmds[i].c), cmds[i].name);
        assert_int_equal(domain_visit_cmd_from_name(cmds[i].name), cmds[i].c);
        assert_int_equal(domain_visit_cmd_of_type(cmds[i].t), cmds[i].c);
    }
    assert_int_equal(domain_visit_cmd_of_type(PROTO_T_CHECKIN), -1);
    static const char *const appt[][2] = {
        {"pending", "待到店"}, {"shown", "已到店"}, {"no_show", "未到店"}};
    for (int i = 0; i < DOMAIN_APPT_STATE__COUNT; i++) {
        assert_string_equal(domain_appt_state_name(i), appt[i][0]);
        assert_string_equal(domain_appt_state_name_zh(i), appt[i][1]);
        assert_int_equal(domain_appt_state_from_name(appt[i][0]), i);
    }
    assert_string_equal(domain_conflict_status_name(DOMAIN_CONFLICT_OPEN), "open");
    assert_string_equal(domain_conflict_status_name_zh(DOMAIN_CONFLICT_RULED), "已裁定");
    assert_int_equal(domain_conflict_status_from_name("ruled"), DOMAIN_CONFLICT_RULED);
    assert_int_equal(domain_conflict_cmd_of_type(PROTO_T_CONFLICT_RULE), DOMAIN_CONFLICT_RULE);
    assert_int_equal(domain_conflict_cmd_of_type(PROTO_T_CONFLICT_LIST), DOMAIN_CONFLICT_LIST);
    assert_int_equal(domain_conflict_cmd_of_type(PROTO_T_LEAD_LIST), -1);
    assert_string_equal(domain_conflict_cmd_name(DOMAIN_CONFLICT_RULE), "conflict_rule");
    /* notification kinds: both tables filled, names unique */
    for (int i = 0; i < DOMAIN_NOTIFY__COUNT; i++) {
        assert_non_null(domain_notify_name(i));
        assert_non_null(domain_notify_name_zh(i));
        assert_int_equal(domain_notify_from_name(domain_notify_name(i)), i);
    }
    assert_string_equal(domain_notify_name(DOMAIN_NOTIFY_INVITED_CUSTOMER_ARRIVED),
                        "invited_customer_arrived");
    assert_string_equal(domain_notify_name(DOMAIN_NOTIFY_APPOINTMENT_NO_SHOW),
                        "appointment_no_show");
    assert_null(domain_notify_name(DOMAIN_NOTIFY__COUNT));
}

/* ---- who may do what with a visit ---- */

enum col {
    K_RECEPTION,
    K_TELESALES,
    K_CONS_OWN, /* the visit's consultant */
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
        DOMAIN_ROLE_RECEPTION,  DOMAIN_ROLE_TELESALES,  DOMAIN_ROLE_CONSULTANT,
        DOMAIN_ROLE_CONSULTANT, DOMAIN_ROLE_SUPERVISOR, DOMAIN_ROLE_MANAGER,
        DOMAIN_ROLE_FINANCE,    DOMAIN_ROLE_SERVICE,    DOMAIN_ROLE_MARKETING,
        DOMAIN_ROLE_ADMIN,
    };
    struct domain_actor a = {.role = roles[col], .staff_id = 100 + col};
    if (col == K_CONS_OWN)
        a.staff_id = C_OWN;
    return a;
}

static struct domain_visit_args good_args(void)
{
    struct domain_visit_args a;
    memset(&a, 0, sizeof a);
    a.grade = 'A';
    a.now = T0;
    a.at = T0 + DAY;
    a.has_lead_or_phone = true;
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

/* Columns: reception, telesales, consultant own, consultant other, supervisor, manager,
 * finance, service, marketing, admin. Statuses: waiting, serving, departed. */
// clang-format off
static const struct {
    enum domain_visit_cmd cmd;
    const char *cells[DOMAIN_VISIT_STATUS__COUNT];
} visit_matrix[] = {
    {DOMAIN_VISIT_SERVE,              {"FFAFAFFFFF", "FFIFIFFFFF", "FFIFIFFFFF"}},
    {DOMAIN_VISIT_DEPART,             {"AFAFAFFFFF", "AFAFAFFFFF", "IFIFIFFFFF"}},
    {DOMAIN_VISIT_APPOINTMENT_CREATE, {"FAAAAFFFFF", "FAAAAFFFFF", "FAAAAFFFFF"}},
    {DOMAIN_VISIT_CALL_STAFF,         {"AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA"}},
};
// clang-format on

static void test_visit_matrix(void **state)
{
    (void)state;
    int failures = 0;
    assert_int_equal(N(visit_matrix), DOMAIN_VISIT_CMD__COUNT);
    for (size_t r = 0; r < N(visit_matrix); r++) {
        for (int st = 0; st < DOMAIN_VISIT_STATUS__COUNT; st++) {
            assert_int_equal(strlen(visit_matrix[r].cells[st]), K__COUNT);
            for (int col = 0; col < K__COUNT; col++) {
                struct domain_visit_state s = {.status = st, .consultant_id = C_OWN};
                struct domain_actor a = actor_of(col);
                struct domain_visit_args args = good_args();
                struct proto_error err = {0};
                char got =
                    outcome(domain_visit_check(&s, &a, visit_matrix[r].cmd, &args, &err), &err);
                if (got != visit_matrix[r].cells[st][col]) {
                    print_error("%s %s col %d: got %c want %c (%s)\n",
                                domain_visit_cmd_name(visit_matrix[r].cmd),
                                domain_visit_status_name(st), col, got,
                                visit_matrix[r].cells[st][col], err.message);
                    failures++;
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void expect_visit(const struct domain_visit_state *s, const struct domain_actor *a,
                         enum domain_visit_cmd cmd, const struct domain_visit_args *args,
                         enum proto_err code, const char *field)
{
    struct proto_error err = {0};
    int rc = domain_visit_check(s, a, cmd, args, &err);
    if (code == PROTO_E_OK) {
        if (rc != 0)
            fail_msg("%s: %s", domain_visit_cmd_name(cmd), err.message);
        return;
    }
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, code);
    if (field)
        assert_string_equal(err.field, field);
}

static void test_visit_arguments(void **state)
{
    (void)state;
    struct domain_visit_state s = {.status = DOMAIN_VISIT_SERVING, .consultant_id = C_OWN};
    struct domain_actor own = actor_of(K_CONS_OWN);
    struct domain_visit_args a = good_args();
    /* grade after the visit: none or H A B F L; never O */
    for (const char *g = "HABFL"; *g; g++) {
        a.grade = *g;
        expect_visit(&s, &own, DOMAIN_VISIT_DEPART, &a, PROTO_E_OK, NULL);
    }
    a.grade = 0;
    expect_visit(&s, &own, DOMAIN_VISIT_DEPART, &a, PROTO_E_OK, NULL);
    a.grade = 'O';
    expect_visit(&s, &own, DOMAIN_VISIT_DEPART, &a, PROTO_E_BAD_FIELD, "grade");
    a.grade = 'x';
    expect_visit(&s, &own, DOMAIN_VISIT_DEPART, &a, PROTO_E_BAD_FIELD, "grade");
    /* a visit nobody was assigned to (reception took over) is reception's or a supervisor's */
    struct domain_visit_state none = {.status = DOMAIN_VISIT_WAITING, .consultant_id = 0};
    a = good_args();
    expect_visit(&none, &own, DOMAIN_VISIT_SERVE, &a, PROTO_E_FORBIDDEN, NULL);
    struct domain_actor sup = actor_of(K_SUPERVISOR), rec = actor_of(K_RECEPTION);
    expect_visit(&none, &sup, DOMAIN_VISIT_SERVE, &a, PROTO_E_OK, NULL);
    expect_visit(&none, &rec, DOMAIN_VISIT_DEPART, &a, PROTO_E_OK, NULL);
    /* appointments: a lead or phone; strictly after now; at most 90 days ahead */
    struct domain_actor tel = actor_of(K_TELESALES);
    a = good_args();
    a.has_lead_or_phone = false;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_BAD_FIELD, "phone");
    a = good_args();
    a.at = a.now;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_BAD_FIELD, "at");
    a.at = a.now - 1;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_BAD_FIELD, "at");
    a.at = a.now + 1;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_OK, NULL);
    a.at = a.now + 90 * DAY;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_OK, NULL);
    a.at = a.now + 90 * DAY + 1;
    expect_visit(NULL, &tel, DOMAIN_VISIT_APPOINTMENT_CREATE, &a, PROTO_E_BAD_FIELD, "at");
    /* call_staff from the reception kiosk with nobody logged in */
    expect_visit(NULL, NULL, DOMAIN_VISIT_CALL_STAFF, NULL, PROTO_E_OK, NULL);
    /* anything else needs a known actor and a state */
    expect_visit(&s, NULL, DOMAIN_VISIT_SERVE, &a, PROTO_E_FORBIDDEN, NULL);
    struct domain_actor bad = {.role = DOMAIN_ROLE__COUNT};
    expect_visit(&s, &bad, DOMAIN_VISIT_DEPART, &a, PROTO_E_FORBIDDEN, NULL);
    expect_visit(NULL, &own, DOMAIN_VISIT_SERVE, &a, PROTO_E_INTERNAL, NULL);
    expect_visit(NULL, &own, DOMAIN_VISIT_DEPART, &a, PROTO_E_INTERNAL, NULL);
    expect_visit(&s, &own, DOMAIN_VISIT_CMD__COUNT, &a, PROTO_E_INTERNAL, NULL);
    /* the message names the status in words */
    struct proto_error err;
    struct domain_visit_state gone = {.status = DOMAIN_VISIT_DEPARTED, .consultant_id = C_OWN};
    assert_int_equal(domain_visit_check(&gone, &own, DOMAIN_VISIT_DEPART, &a, &err), -1);
    assert_non_null(strstr(err.message, "visit is departed (已离店)"));
}

/* ---- one check-in per local day ---- */

static void test_same_day_utc8(void **state)
{
    (void)state;
    /* local midnight in UTC+8 is 16:00Z */
    const int64_t midnight = T0 + 16 * HOUR; /* 2026-01-02 00:00 local */
    assert_int_equal(domain_visit_same_day(T0, midnight - 1, CN), 1);
    assert_int_equal(domain_visit_same_day(T0, midnight, CN), 0);
    assert_int_equal(domain_visit_same_day(midnight, midnight + DAY - 1, CN), 1);
    assert_int_equal(domain_visit_same_day(midnight - 1, midnight, CN), 0);
    /* in UTC the same pair is one day */
    assert_int_equal(domain_visit_same_day(T0 + 15 * HOUR, midnight, 0), 1);
    assert_int_equal(domain_visit_same_day(T0 - 1, T0, 0), 0);
    /* an open visit from 23:00 local is the same visit until local midnight */
    const int64_t arrived = midnight - HOUR;
    for (int st = 0; st < DOMAIN_VISIT_STATUS__COUNT; st++) {
        int open = st != DOMAIN_VISIT_DEPARTED;
        assert_int_equal(domain_visit_already_checked_in(st, arrived, midnight - 1, CN), open);
        assert_int_equal(domain_visit_already_checked_in(st, arrived, midnight, CN), 0);
        assert_int_equal(domain_visit_already_checked_in(st, arrived, arrived, CN), open);
    }
    /* yesterday's visit still open (nobody closed it): a new check-in today */
    assert_int_equal(
        domain_visit_already_checked_in(DOMAIN_VISIT_WAITING, arrived - DAY, arrived, CN), 0);
}

/* ---- appointments ---- */

static void test_appointment_window(void **state)
{
    (void)state;
    const int64_t at = T0 + 6 * HOUR; /* 14:00 local */
    /* shown: from 4 h before to grace after, both ends included */
    assert_int_equal(domain_appointment_in_window(at, 60, at - 240 * MIN - 1), 0);
    assert_int_equal(domain_appointment_in_window(at, 60, at - 240 * MIN), 1);
    assert_int_equal(domain_appointment_in_window(at, 60, at), 1);
    assert_int_equal(domain_appointment_in_window(at, 60, at + 60 * MIN), 1);
    assert_int_equal(domain_appointment_in_window(at, 60, at + 60 * MIN + 1), 0);
    assert_int_equal(domain_appointment_in_window(at, 15, at + 15 * MIN), 1);
    assert_int_equal(domain_appointment_in_window(at, 15, at + 15 * MIN + 1), 0);
    /* a bad grace setting counts as the default 60 minutes */
    static const int bad[] = {0, -5, 1441};
    for (size_t i = 0; i < N(bad); i++) {
        assert_int_equal(domain_appointment_in_window(at, bad[i], at + 60 * MIN), 1);
        assert_int_equal(domain_appointment_in_window(at, bad[i], at + 60 * MIN + 1), 0);
    }
    assert_int_equal(domain_appointment_in_window(at, 1440, at + 1440 * MIN), 1);
    assert_int_equal(domain_appointment_in_window(at, 1, at + MIN + 1), 0);
}

static void test_appointment_state(void **state)
{
    (void)state;
    const int64_t at = T0 + 6 * HOUR;
    const int64_t end = at + 60 * MIN;
    /* no check-in: pending up to and including at + grace, then no-show */
    assert_int_equal(domain_appointment_state(at, 60, 0, at - DAY), DOMAIN_APPT_PENDING);
    assert_int_equal(domain_appointment_state(at, 60, 0, end - 1), DOMAIN_APPT_PENDING);
    assert_int_equal(domain_appointment_state(at, 60, 0, end), DOMAIN_APPT_PENDING);
    assert_int_equal(domain_appointment_state(at, 60, 0, end + 1), DOMAIN_APPT_NO_SHOW);
    /* checked in within the window: shown, whatever now is */
    assert_int_equal(domain_appointment_state(at, 60, at - HOUR, at - HOUR), DOMAIN_APPT_SHOWN);
    assert_int_equal(domain_appointment_state(at, 60, end, end + DAY), DOMAIN_APPT_SHOWN);
    /* checked in too late: no-show once the window closed (the visit itself still counts) */
    assert_int_equal(domain_appointment_state(at, 60, end + 1, end + 1), DOMAIN_APPT_NO_SHOW);
    /* checked in far too early (a different day's visit): still waiting for them */
    assert_int_equal(domain_appointment_state(at, 60, at - DAY, at), DOMAIN_APPT_PENDING);
    assert_int_equal(domain_appointment_state(at, 60, at - DAY, end + 1), DOMAIN_APPT_NO_SHOW);
    /* grace setting */
    assert_int_equal(domain_appointment_state(at, 30, 0, at + 30 * MIN + 1), DOMAIN_APPT_NO_SHOW);
    assert_int_equal(domain_appointment_state(at, 0, 0, at + 30 * MIN + 1), DOMAIN_APPT_PENDING);
}

/* ---- conflicts ---- */

static void test_conflict_detect(void **state)
{
    (void)state;
    static const struct {
        int64_t owner;
        enum domain_role owner_role;
        int64_t staff;
        int conflict;
    } rows[] = {
        {7, DOMAIN_ROLE_CONSULTANT, 8, 1}, /* X owns, Y serves */
        {7, DOMAIN_ROLE_CONSULTANT, 7, 0}, /* the owner serves */
        {7, DOMAIN_ROLE_CONSULTANT, 0, 0}, /* nobody serves (reception) */
        {0, DOMAIN_ROLE_CONSULTANT, 8, 0}, /* no owner */
        {9, DOMAIN_ROLE_TELESALES, 8, 0},  /* telesales hands over: the normal path */
        {9, DOMAIN_ROLE_SUPERVISOR, 8, 0}, /* not a sales claim */
        {9, DOMAIN_ROLE_MANAGER, 8, 0},
    };
    for (size_t i = 0; i < N(rows); i++)
        assert_int_equal(domain_conflict_detect(rows[i].owner, rows[i].owner_role, rows[i].staff),
                         rows[i].conflict);
}

static void test_conflict_matrix(void **state)
{
    (void)state;
    static const int64_t claimants[] = {7, 8};
    /* Columns as for visits. Statuses: open, ruled. */
    // clang-format off
    static const struct {
        enum domain_conflict_cmd cmd;
        const char *cells[DOMAIN_CONFLICT__COUNT];
    } rows[] = {
        {DOMAIN_CONFLICT_RULE, {"FFFFAFFFFF", "FFFFIFFFFF"}},
        {DOMAIN_CONFLICT_LIST, {"FFFFAAFFFF", "FFFFAAFFFF"}},
    };
    // clang-format on
    int failures = 0;
    for (size_t r = 0; r < N(rows); r++) {
        for (int st = 0; st < DOMAIN_CONFLICT__COUNT; st++) {
            for (int col = 0; col < K__COUNT; col++) {
                struct domain_conflict_state s = {st, claimants, 2, T0};
                struct domain_actor a = actor_of(col);
                struct domain_conflict_args args = {.winner_id = 8, .has_reason = true};
                struct proto_error err = {0};
                char got = outcome(domain_conflict_check(&s, &a, rows[r].cmd, &args, &err), &err);
                if (got != rows[r].cells[st][col]) {
                    print_error("%s %d col %d: got %c (%s)\n",
                                domain_conflict_cmd_name(rows[r].cmd), st, col, got, err.message);
                    failures++;
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void test_conflict_rule_args(void **state)
{
    (void)state;
    static const int64_t claimants[] = {7, 8};
    struct domain_conflict_state s = {DOMAIN_CONFLICT_OPEN, claimants, 2, T0};
    struct domain_actor sup = actor_of(K_SUPERVISOR);
    struct proto_error err;
    static const struct {
        int64_t winner;
        bool reason;
        const char *field; /* NULL: allowed */
    } rows[] = {
        {7, true, NULL},     {8, true, NULL},      {9, true, "winner"},
        {0, true, "winner"}, {-7, true, "winner"}, {7, false, "reason"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        struct domain_conflict_args a = {.winner_id = rows[i].winner, .has_reason = rows[i].reason};
        int rc = domain_conflict_check(&s, &sup, DOMAIN_CONFLICT_RULE, &a, &err);
        if (!rows[i].field) {
            assert_int_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, PROTO_E_BAD_FIELD);
        assert_string_equal(err.field, rows[i].field);
    }
    /* no claimants recorded: nobody can win */
    struct domain_conflict_state empty = {DOMAIN_CONFLICT_OPEN, NULL, 0, T0};
    struct domain_conflict_args a = {.winner_id = 7, .has_reason = true};
    assert_int_equal(domain_conflict_check(&empty, &sup, DOMAIN_CONFLICT_RULE, &a, &err), -1);
    assert_string_equal(err.field, "winner");
    /* the ruling is final */
    s.status = DOMAIN_CONFLICT_RULED;
    assert_int_equal(domain_conflict_check(&s, &sup, DOMAIN_CONFLICT_RULE, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_non_null(strstr(err.message, "final"));
    /* bad inputs */
    assert_int_equal(domain_conflict_check(NULL, &sup, DOMAIN_CONFLICT_RULE, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_int_equal(domain_conflict_check(NULL, &sup, DOMAIN_CONFLICT_LIST, NULL, &err), 0);
    assert_int_equal(domain_conflict_check(&s, NULL, DOMAIN_CONFLICT_LIST, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    assert_int_equal(domain_conflict_check(&s, &sup, DOMAIN_CONFLICT_CMD__COUNT, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
}

static void test_conflict_deadline(void **state)
{
    (void)state;
    struct domain_conflict_state s = {DOMAIN_CONFLICT_OPEN, NULL, 0, T0};
    assert_int_equal(domain_conflict_due(T0), T0 + DAY);
    assert_int_equal(domain_conflict_overdue(&s, T0 + DAY - 1), 0);
    assert_int_equal(domain_conflict_overdue(&s, T0 + DAY), 0);
    assert_int_equal(domain_conflict_overdue(&s, T0 + DAY + 1), 1);
    s.status = DOMAIN_CONFLICT_RULED;
    assert_int_equal(domain_conflict_overdue(&s, T0 + DAY + 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_visit_matrix),
        cmocka_unit_test(test_visit_arguments),
        cmocka_unit_test(test_same_day_utc8),
        cmocka_unit_test(test_appointment_window),
        cmocka_unit_test(test_appointment_state),
        cmocka_unit_test(test_conflict_detect),
        cmocka_unit_test(test_conflict_matrix),
        cmocka_unit_test(test_conflict_rule_args),
        cmocka_unit_test(test_conflict_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Complaint rules: names, the handler chain and escalation levels, delivery-rating
 * thresholds, site-local working days across a weekend and at local midnight in UTC+8, every
 * response deadline at its edges, and who may run which complaint command in which state
 * (every command x state x role, written out by hand) with each argument rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MIN  ((int64_t)60 * 1000)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)
#define T0   ((int64_t)1767225600000) /* 2026-01-01T00:00Z, a Thursday: 08:00 in UTC+8 */
#define CN   480                      /* UTC+8 */

/* 2026-01-dd hh:mm site-local time in UTC+8, as UTC ms. Jan 1 is a Thursday, 3 a Saturday,
 * 5 a Monday. */
static int64_t cn(int dd, int hh, int mm)
{
    return T0 + (dd - 1) * DAY + (hh - 8) * HOUR + mm * MIN;
}

/* ---- names ---- */

static void test_names(void **state)
{
    (void)state;
    static const char *const chan[][2] = {
        {"on_site", "现场"},   {"call_centre", "呼叫中心"}, {"phone", "电话"},  {"fax", "传真"},
        {"email", "电子邮件"}, {"media", "媒体"},           {"letter", "信函"},
    };
    assert_int_equal(N(chan), DOMAIN_CCHAN__COUNT);
    for (int i = 0; i < DOMAIN_CCHAN__COUNT; i++) {
        assert_string_equal(domain_complaint_channel_name(i), chan[i][0]);
        assert_string_equal(domain_complaint_channel_name_zh(i), chan[i][1]);
        assert_int_equal(domain_complaint_channel_from_name(chan[i][0]), i);
    }
    assert_int_equal(domain_complaint_channel_from_name("call_center"), -1);
    assert_null(domain_complaint_channel_name(DOMAIN_CCHAN__COUNT));
    assert_string_equal(domain_complaint_kind_name(DOMAIN_CKIND_PRODUCT), "product");
    assert_string_equal(domain_complaint_kind_name_zh(DOMAIN_CKIND_SERVICE), "服务质量");
    assert_int_equal(domain_complaint_kind_from_name("service"), DOMAIN_CKIND_SERVICE);
    assert_int_equal(domain_complaint_kind_from_name("price"), -1);
    static const char *const valid[] = {"pending", "valid", "invalid"};
    for (int i = 0; i < DOMAIN_CVALID__COUNT; i++) {
        assert_string_equal(domain_complaint_validity_name(i), valid[i]);
        assert_int_equal(domain_complaint_validity_from_name(valid[i]), i);
    }
    assert_string_equal(domain_complaint_validity_name_zh(DOMAIN_CVALID_INVALID), "无效");
    static const char *const st[][2] = {
        {"open", "待响应"}, {"responded", "处理中"}, {"closed", "已关闭"}, {"surveyed", "已回访"}};
    for (int i = 0; i < DOMAIN_CSTATE__COUNT; i++) {
        assert_string_equal(domain_complaint_status_name(i), st[i][0]);
        assert_string_equal(domain_complaint_status_name_zh(i), st[i][1]);
        assert_int_equal(domain_complaint_status_from_name(st[i][0]), i);
    }
    static const char *const resp[] = {"first_response", "contact", "progress"};
    for (int i = 0; i < DOMAIN_CRESP__COUNT; i++) {
        assert_string_equal(domain_complaint_response_name(i), resp[i]);
        assert_int_equal(domain_complaint_response_from_name(resp[i]), i);
    }
    static const struct {
        enum proto_type t;
        enum domain_complaint_cmd c;
        const char *name;
    } cmds[] = {
        {PROTO_T_COMPLAINT_OPEN, DOMAIN_COMPLAINT_OPEN, "complaint_open"},
        {PROTO_T_COMPLAINT_RESPOND, DOMAIN_COMPLAINT_RESPOND, "complaint_respond"},
        {PROTO_T_COMPLAINT_VALIDITY, DOMAIN_COMPLAINT_VALIDITY, "complaint_validity"},
        {PROTO_T_COMPLAINT_ESCALATE, DOMAIN_COMPLAINT_ESCALATE, "complaint_escalate"},
        {PROTO_T_COMPLAINT_CLOSE, DOMAIN_COMPLAINT_CLOSE, "complaint_close"},
        {PROTO_T_COMPLAINT_SURVEY, DOMAIN_COMPLAINT_SURVEY, "complaint_survey"},
        {PROTO_T_COMPLAINT_GET, DOMAIN_COMPLAINT_GET, "complaint_get"},
        {PROTO_T_COMPLAINT_LIST, DOMAIN_COMPLAINT_LIST, "complaint_list"},
    };
    assert_int_equal(N(cmds), DOMAIN_COMPLAINT_CMD__COUNT);
    for (size_t i = 0; i < N(cmds); i++) {
        assert_string_equal(domain_complaint_cmd_name(cmds[i].c), cmds[i].name);
        assert_int_equal(domain_complaint_cmd_from_name(cmds[i].name), cmds[i].c);
        assert_int_equal(domain_complaint_cmd_of_type(cmds[i].t), cmds[i].c);
        assert_int_equal(domain_complaint_cmd_is_read(cmds[i].c),
                         cmds[i].c == DOMAIN_COMPLAINT_GET || cmds[i].c == DOMAIN_COMPLAINT_LIST);
    }
    assert_int_equal(domain_complaint_cmd_of_type(PROTO_T_ORDER_DELIVER), -1);
}

/* ---- levels and ratings ---- */

static void test_levels(void **state)
{
    (void)state;
    static const struct {
        int level, next, role;
        const char *name, *zh;
    } rows[] = {
        {0, 0, -1, NULL, NULL},
        {1, 2, DOMAIN_ROLE_SUPERVISOR, "supervisor", "销售主管"},
        {2, 3, DOMAIN_ROLE_MANAGER, "manager", "部门经理"},
        {3, 0, DOMAIN_ROLE_MANAGER, "general_manager", "总经理"},
        {4, 0, -1, NULL, NULL},
        {-1, 0, -1, NULL, NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        assert_int_equal(domain_complaint_escalate_level(rows[i].level), rows[i].next);
        assert_int_equal(domain_complaint_level_role(rows[i].level), rows[i].role);
        if (rows[i].name) {
            assert_string_equal(domain_complaint_level_name(rows[i].level), rows[i].name);
            assert_string_equal(domain_complaint_level_name_zh(rows[i].level), rows[i].zh);
        } else {
            assert_null(domain_complaint_level_name(rows[i].level));
            assert_null(domain_complaint_level_name_zh(rows[i].level));
        }
    }
}

static void test_ratings(void **state)
{
    (void)state;
    /* rating: opens a complaint, valid satisfaction */
    static const int rows[][3] = {
        {-1, 0, 0}, {0, 0, 0}, {1, 1, 1}, {2, 1, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {6, 0, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        assert_int_equal(domain_rating_opens_complaint(rows[i][0]), rows[i][1]);
        assert_int_equal(domain_satisfaction_valid(rows[i][0]), rows[i][2]);
    }
}

/* ---- working days ---- */

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(domain_weekday(cn(1, 8, 0), CN), 3); /* Thursday */
    assert_int_equal(domain_weekday(cn(1, 23, 59), CN), 3);
    assert_int_equal(domain_weekday(cn(2, 0, 0), CN), 4); /* local midnight: Friday */
    assert_int_equal(domain_weekday(cn(2, 0, 0) - 1, CN), 3);
    assert_int_equal(domain_weekday(cn(3, 12, 0), CN), 5);
    assert_int_equal(domain_weekday(cn(4, 12, 0), CN), 6);
    assert_int_equal(domain_weekday(cn(5, 0, 0), CN), 0);
    /* the same instant is still Thursday in UTC */
    assert_int_equal(domain_weekday(cn(2, 0, 0), 0), 3);
    assert_int_equal(domain_weekday(0, 0), 3);  /* 1970-01-01 */
    assert_int_equal(domain_weekday(-1, 0), 2); /* before the epoch */
    assert_int_equal(domain_weekday(-DAY, 0), 2);
}

static void test_add_working_days(void **state)
{
    (void)state;
    /* weekdays */
    assert_int_equal(domain_add_working_days(cn(1, 10, 0), 1, CN), cn(2, 10, 0));
    assert_int_equal(domain_add_working_days(cn(1, 15, 0), 2, CN), cn(5, 15, 0));
    /* a whole working week from Monday 00:00 ends Friday 24:00 (= Saturday 00:00) */
    assert_int_equal(domain_add_working_days(cn(5, 0, 0), 5, CN), cn(10, 0, 0));
    assert_int_equal(domain_add_working_days(cn(5, 0, 0) + 1, 5, CN), cn(12, 0, 0) + 1);
    assert_int_equal(domain_add_working_days(cn(5, 9, 30), 10, CN), cn(19, 9, 30));
    /* across the weekend */
    assert_int_equal(domain_add_working_days(cn(2, 15, 0), 1, CN), cn(5, 15, 0));
    assert_int_equal(domain_add_working_days(cn(2, 15, 0), 2, CN), cn(6, 15, 0));
    /* local midnight: Friday 00:00 + 1 is the end of Friday, + 2 the end of Monday */
    assert_int_equal(domain_add_working_days(cn(2, 0, 0), 1, CN), cn(3, 0, 0));
    assert_int_equal(domain_add_working_days(cn(2, 0, 0), 2, CN), cn(6, 0, 0));
    assert_int_equal(domain_add_working_days(cn(3, 0, 0) - 1, 1, CN), cn(6, 0, 0) - 1);
    /* opened on the weekend: the clock starts Monday 00:00 */
    assert_int_equal(domain_add_working_days(cn(3, 0, 0), 1, CN), cn(6, 0, 0));
    assert_int_equal(domain_add_working_days(cn(3, 10, 0), 1, CN), cn(6, 0, 0));
    assert_int_equal(domain_add_working_days(cn(4, 23, 59), 1, CN), cn(6, 0, 0));
    assert_int_equal(domain_add_working_days(cn(4, 23, 59), 2, CN), cn(7, 0, 0));
    /* the same instant in UTC is still Friday: it does not wait for Monday */
    int64_t fri_20z = cn(3, 4, 0); /* Saturday 04:00 local = Friday 20:00Z */
    assert_int_equal(domain_add_working_days(fri_20z, 1, CN), cn(6, 0, 0));
    assert_int_equal(domain_add_working_days(fri_20z, 1, 0), fri_20z + 3 * DAY);
    /* nothing to add */
    assert_int_equal(domain_add_working_days(cn(3, 10, 0), 0, CN), cn(3, 10, 0));
    assert_int_equal(domain_add_working_days(cn(3, 10, 0), -2, CN), cn(3, 10, 0));
}

/* ---- deadlines ---- */

static int deadlines(enum domain_complaint_channel ch, int64_t opened, int64_t first,
                     int64_t contact, int64_t progress, int64_t closed, int64_t now,
                     struct domain_complaint_deadline out[DOMAIN_CRESP__COUNT])
{
    struct domain_complaint_times t = {ch, opened, first, contact, progress, closed};
    memset(out, 0x55, sizeof(struct domain_complaint_deadline) * DOMAIN_CRESP__COUNT);
    return domain_complaint_deadlines(&t, CN, now, out, DOMAIN_CRESP__COUNT);
}

static void expect_due(const struct domain_complaint_deadline *d,
                       enum domain_complaint_response kind, int64_t start, int64_t due, bool done,
                       bool met, bool breached)
{
    assert_int_equal(d->kind, kind);
    assert_int_equal(d->started_at, start);
    assert_int_equal(d->due_at, due);
    assert_int_equal(d->done, done);
    assert_int_equal(d->met, met);
    assert_int_equal(d->breached, breached);
}

static void test_first_response_limits(void **state)
{
    (void)state;
    struct domain_complaint_deadline d[DOMAIN_CRESP__COUNT];
    const int64_t t = cn(2, 15, 0);
    /* on site: 10 minutes */
    const int64_t due = t + 10 * MIN;
    assert_int_equal(deadlines(DOMAIN_CCHAN_ON_SITE, t, 0, 0, 0, 0, due - 1, d), 1);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, due, false, false, false);
    deadlines(DOMAIN_CCHAN_ON_SITE, t, 0, 0, 0, 0, due, d);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, due, false, false, false);
    deadlines(DOMAIN_CCHAN_ON_SITE, t, 0, 0, 0, 0, due + 1, d);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, due, false, false, true);
    deadlines(DOMAIN_CCHAN_ON_SITE, t, due, 0, 0, 0, due + DAY, d);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, due, true, true, false);
    deadlines(DOMAIN_CCHAN_ON_SITE, t, due + 1, 0, 0, 0, due + 1, d);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, due, true, false, true);
    /* every other channel but the call centre: 24 hours (plain hours, weekend included) */
    static const enum domain_complaint_channel others[] = {DOMAIN_CCHAN_PHONE, DOMAIN_CCHAN_FAX,
                                                           DOMAIN_CCHAN_EMAIL, DOMAIN_CCHAN_MEDIA,
                                                           DOMAIN_CCHAN_LETTER};
    for (size_t i = 0; i < N(others); i++) {
        assert_int_equal(deadlines(others[i], t, 0, 0, 0, 0, t + DAY, d), 1);
        expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, t + DAY, false, false, false);
        deadlines(others[i], t, 0, 0, 0, 0, t + DAY + 1, d);
        assert_true(d[0].breached);
    }
}

static void test_call_centre_limits(void **state)
{
    (void)state;
    struct domain_complaint_deadline d[DOMAIN_CRESP__COUNT];
    /* opened Friday 15:00 local: reply by 17:00, contact by Monday 15:00 */
    const int64_t t = cn(2, 15, 0);
    assert_int_equal(deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, 0, 0, 0, 0, t + 2 * HOUR, d), 2);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, t + 2 * HOUR, false, false, false);
    expect_due(&d[1], DOMAIN_CRESP_CONTACT, t, cn(5, 15, 0), false, false, false);
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, 0, 0, 0, 0, t + 2 * HOUR + 1, d);
    assert_true(d[0].breached);
    assert_false(d[1].breached);
    /* the weekend does not count against the contact limit */
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, 0, 0, 0, 0, cn(5, 15, 0), d);
    assert_false(d[1].breached);
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, 0, 0, 0, 0, cn(5, 15, 0) + 1, d);
    assert_true(d[1].breached);
    /* first reply Friday 16:00: progress every 2 working days from it -> Tuesday 16:00 */
    const int64_t first = cn(2, 16, 0);
    assert_int_equal(deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, first, 0, 0, 0, cn(6, 16, 0), d), 3);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, t + 2 * HOUR, true, true, false);
    expect_due(&d[2], DOMAIN_CRESP_PROGRESS, first, cn(6, 16, 0), false, false, false);
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, first, 0, 0, 0, cn(6, 16, 0) + 1, d);
    assert_true(d[2].breached);
    /* a progress report Tuesday 10:00 moves it to Thursday 10:00 */
    const int64_t prog = cn(6, 10, 0);
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, first, cn(5, 9, 0), prog, 0, cn(8, 10, 0), d);
    expect_due(&d[1], DOMAIN_CRESP_CONTACT, t, cn(5, 15, 0), true, true, false);
    expect_due(&d[2], DOMAIN_CRESP_PROGRESS, prog, cn(8, 10, 0), false, false, false);
    /* a contact made late is breached even once done */
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, first, cn(5, 15, 0) + 1, 0, 0, cn(9, 0, 0), d);
    assert_true(d[1].done);
    assert_true(d[1].breached);
    assert_false(d[1].met);
    /* opened Saturday 10:00: contact due at the end of Monday (Tuesday 00:00) */
    const int64_t sat = cn(3, 10, 0);
    deadlines(DOMAIN_CCHAN_CALL_CENTRE, sat, 0, 0, 0, 0, sat, d);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, sat, sat + 2 * HOUR, false, false, false);
    expect_due(&d[1], DOMAIN_CRESP_CONTACT, sat, cn(6, 0, 0), false, false, false);
    /* cap */
    struct domain_complaint_times tt = {DOMAIN_CCHAN_CALL_CENTRE, t, first, 0, 0, 0};
    assert_int_equal(domain_complaint_deadlines(&tt, CN, t, d, 1), 1);
    assert_int_equal(d[0].kind, DOMAIN_CRESP_FIRST_RESPONSE);
    assert_int_equal(domain_complaint_deadlines(&tt, CN, t, d, 0), 0);
}

static void test_closed_limits(void **state)
{
    (void)state;
    struct domain_complaint_deadline d[DOMAIN_CRESP__COUNT];
    const int64_t t = cn(2, 15, 0);
    /* closed without any response: nothing is still awaited */
    assert_int_equal(deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, 0, 0, 0, t + HOUR, t + 9 * DAY, d), 0);
    assert_int_equal(deadlines(DOMAIN_CCHAN_ON_SITE, t, 0, 0, 0, t + HOUR, t + 9 * DAY, d), 0);
    /* responses that happened keep their verdict; progress stops with the closure */
    assert_int_equal(deadlines(DOMAIN_CCHAN_CALL_CENTRE, t, t + 3 * HOUR, t + 4 * HOUR, 0,
                               t + 5 * HOUR, t + 30 * DAY, d),
                     2);
    expect_due(&d[0], DOMAIN_CRESP_FIRST_RESPONSE, t, t + 2 * HOUR, true, false, true);
    expect_due(&d[1], DOMAIN_CRESP_CONTACT, t, cn(5, 15, 0), true, true, false);
}

/* ---- who may do what ---- */

enum col {
    K_RECEPTION,
    K_TELESALES,
    K_CONSULTANT,
    K_SUPERVISOR,
    K_MANAGER,
    K_FINANCE,
    K_SERVICE,
    K_MARKETING,
    K_ADMIN,
    K__COUNT
};

static struct domain_complaint_state complaint(enum domain_complaint_status st, int level)
{
    struct domain_complaint_state s;
    memset(&s, 0, sizeof s);
    s.state = st;
    s.channel = DOMAIN_CCHAN_CALL_CENTRE;
    s.validity = DOMAIN_CVALID_PENDING;
    s.level = level;
    s.handler_id = 30;
    s.first_response_at = st == DOMAIN_CSTATE_OPEN ? 0 : T0 + HOUR;
    return s;
}

static struct domain_complaint_args good_args(void)
{
    struct domain_complaint_args a;
    memset(&a, 0, sizeof a);
    a.channel = DOMAIN_CCHAN_ON_SITE;
    a.kind = DOMAIN_CKIND_SERVICE;
    a.has_summary = true;
    a.has_phone = true;
    a.response = DOMAIN_CRESP_CONTACT;
    a.has_text = true;
    a.validity = DOMAIN_CVALID_VALID;
    a.has_reason = true;
    a.satisfaction = 4;
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

struct matrix_row {
    enum domain_complaint_cmd cmd;
    const char *cells[DOMAIN_CSTATE__COUNT];
};

/* Columns: reception, telesales, consultant, supervisor, manager, finance, service,
 * marketing, admin. States: open, responded, closed, surveyed. */
// clang-format off
static const struct matrix_row matrix_level1[] = {
    {DOMAIN_COMPLAINT_OPEN,     {"AFAAAFAFF", "AFAAAFAFF", "AFAAAFAFF", "AFAAAFAFF"}},
    {DOMAIN_COMPLAINT_RESPOND,  {"FFFAAFAFF", "FFFAAFAFF", "FFFIIFIFF", "FFFIIFIFF"}},
    {DOMAIN_COMPLAINT_VALIDITY, {"FFFAAFFFF", "FFFAAFFFF", "FFFIIFFFF", "FFFIIFFFF"}},
    {DOMAIN_COMPLAINT_ESCALATE, {"FFFAAFAFF", "FFFAAFAFF", "FFFIIFIFF", "FFFIIFIFF"}},
    {DOMAIN_COMPLAINT_CLOSE,    {"FFFAAFFFF", "FFFAAFFFF", "FFFIIFFFF", "FFFIIFFFF"}},
    {DOMAIN_COMPLAINT_SURVEY,   {"FFFFFFIFF", "FFFFFFIFF", "FFFFFFAFF", "FFFFFFIFF"}},
    {DOMAIN_COMPLAINT_GET,      {"FFFAAFAFF", "FFFAAFAFF", "FFFAAFAFF", "FFFAAFAFF"}},
    {DOMAIN_COMPLAINT_LIST,     {"FFFAAFAFF", "FFFAAFAFF", "FFFAAFAFF", "FFFAAFAFF"}},
};
/* At level 2 the supervisor can no longer close it. */
static const struct matrix_row matrix_level2[] = {
    {DOMAIN_COMPLAINT_ESCALATE, {"FFFAAFAFF", "FFFAAFAFF", "FFFIIFIFF", "FFFIIFIFF"}},
    {DOMAIN_COMPLAINT_CLOSE,    {"FFFFAFFFF", "FFFFAFFFF", "FFFIIFFFF", "FFFIIFFFF"}},
};
/* At level 3 (general manager) there is nowhere further to escalate. */
static const struct matrix_row matrix_level3[] = {
    {DOMAIN_COMPLAINT_ESCALATE, {"FFFIIFIFF", "FFFIIFIFF", "FFFIIFIFF", "FFFIIFIFF"}},
    {DOMAIN_COMPLAINT_CLOSE,    {"FFFFAFFFF", "FFFFAFFFF", "FFFIIFFFF", "FFFIIFFFF"}},
};
// clang-format on

static void run_matrix(const struct matrix_row *rows, size_t n, int level)
{
    static const enum domain_role roles[K__COUNT] = {
        DOMAIN_ROLE_RECEPTION,  DOMAIN_ROLE_TELESALES, DOMAIN_ROLE_CONSULTANT,
        DOMAIN_ROLE_SUPERVISOR, DOMAIN_ROLE_MANAGER,   DOMAIN_ROLE_FINANCE,
        DOMAIN_ROLE_SERVICE,    DOMAIN_ROLE_MARKETING, DOMAIN_ROLE_ADMIN,
    };
    int failures = 0;
    for (size_t r = 0; r < n; r++) {
        for (int st = 0; st < DOMAIN_CSTATE__COUNT; st++) {
            assert_int_equal(strlen(rows[r].cells[st]), K__COUNT);
            for (int col = 0; col < K__COUNT; col++) {
                struct domain_complaint_state s = complaint(st, level);
                struct domain_actor a = {.role = roles[col], .staff_id = 100 + col};
                struct domain_complaint_args args = good_args();
                struct proto_error err = {0};
                char got = outcome(domain_complaint_check(&s, &a, rows[r].cmd, &args, &err), &err);
                if (got != rows[r].cells[st][col]) {
                    print_error("level %d %s %s col %d: got %c want %c (%s)\n", level,
                                domain_complaint_cmd_name(rows[r].cmd),
                                domain_complaint_status_name(st), col, got, rows[r].cells[st][col],
                                err.message);
                    failures++;
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void test_matrix(void **state)
{
    (void)state;
    assert_int_equal(N(matrix_level1), DOMAIN_COMPLAINT_CMD__COUNT);
    run_matrix(matrix_level1, N(matrix_level1), 1);
    run_matrix(matrix_level2, N(matrix_level2), 2);
    run_matrix(matrix_level3, N(matrix_level3), 3);
}

static void expect(const struct domain_complaint_state *s, enum domain_role role,
                   enum domain_complaint_cmd cmd, const struct domain_complaint_args *a,
                   enum proto_err code, const char *field)
{
    struct domain_actor actor = {.role = role, .staff_id = 30};
    struct proto_error err = {0};
    int rc = domain_complaint_check(s, &actor, cmd, a, &err);
    if (code == PROTO_E_OK) {
        if (rc != 0)
            fail_msg("%s: %s", domain_complaint_cmd_name(cmd), err.message);
        return;
    }
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, code);
    if (field)
        assert_string_equal(err.field, field);
}

static void test_arguments(void **state)
{
    (void)state;
    struct domain_complaint_state open = complaint(DOMAIN_CSTATE_OPEN, 1);
    struct domain_complaint_state resp = complaint(DOMAIN_CSTATE_RESPONDED, 1);
    struct domain_complaint_args a = good_args();
    const enum domain_role SVC = DOMAIN_ROLE_SERVICE, SUP = DOMAIN_ROLE_SUPERVISOR,
                           MGR = DOMAIN_ROLE_MANAGER;
    /* open */
    a.has_phone = false;
    expect(NULL, SVC, DOMAIN_COMPLAINT_OPEN, &a, PROTO_E_BAD_FIELD, "phone");
    a = good_args();
    a.channel = DOMAIN_CCHAN__COUNT;
    expect(NULL, SVC, DOMAIN_COMPLAINT_OPEN, &a, PROTO_E_BAD_FIELD, "channel");
    a = good_args();
    a.kind = DOMAIN_CKIND__COUNT;
    expect(NULL, SVC, DOMAIN_COMPLAINT_OPEN, &a, PROTO_E_BAD_FIELD, "kind");
    a = good_args();
    a.has_summary = false;
    expect(NULL, SVC, DOMAIN_COMPLAINT_OPEN, &a, PROTO_E_BAD_FIELD, "summary");
    expect(NULL, SVC, DOMAIN_COMPLAINT_OPEN, NULL, PROTO_E_BAD_FIELD, "phone");
    /* respond: the first response once; progress only after it; text required */
    a = good_args();
    a.response = DOMAIN_CRESP_FIRST_RESPONSE;
    expect(&open, SVC, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_OK, NULL);
    expect(&resp, SVC, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_INVALID_STATE, NULL);
    a.response = DOMAIN_CRESP_PROGRESS;
    expect(&open, SUP, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_INVALID_STATE, NULL);
    expect(&resp, SUP, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_OK, NULL);
    a.response = DOMAIN_CRESP_CONTACT;
    expect(&open, MGR, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_OK, NULL);
    a.has_text = false;
    expect(&open, MGR, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_BAD_FIELD, "text");
    a = good_args();
    a.response = DOMAIN_CRESP__COUNT;
    expect(&open, MGR, DOMAIN_COMPLAINT_RESPOND, &a, PROTO_E_BAD_FIELD, "kind");
    /* validity: valid needs nothing more, invalid needs a reason, pending is no answer */
    a = good_args();
    a.has_reason = false;
    expect(&open, SUP, DOMAIN_COMPLAINT_VALIDITY, &a, PROTO_E_OK, NULL);
    a.validity = DOMAIN_CVALID_INVALID;
    expect(&open, SUP, DOMAIN_COMPLAINT_VALIDITY, &a, PROTO_E_BAD_FIELD, "reason");
    a.has_reason = true;
    expect(&open, SUP, DOMAIN_COMPLAINT_VALIDITY, &a, PROTO_E_OK, NULL);
    a.validity = DOMAIN_CVALID_PENDING;
    expect(&open, SUP, DOMAIN_COMPLAINT_VALIDITY, &a, PROTO_E_BAD_FIELD, "valid");
    /* escalate: a reason */
    a = good_args();
    a.has_reason = false;
    expect(&open, SVC, DOMAIN_COMPLAINT_ESCALATE, &a, PROTO_E_BAD_FIELD, "reason");
    /* close: a resolution; a must-resolve case (low delivery rating) is the manager's */
    a = good_args();
    a.has_text = false;
    expect(&open, SUP, DOMAIN_COMPLAINT_CLOSE, &a, PROTO_E_BAD_FIELD, "resolution");
    struct domain_complaint_state must = complaint(DOMAIN_CSTATE_OPEN, 2);
    must.must_resolve = true;
    a = good_args();
    expect(&must, SUP, DOMAIN_COMPLAINT_CLOSE, &a, PROTO_E_FORBIDDEN, NULL);
    expect(&must, MGR, DOMAIN_COMPLAINT_CLOSE, &a, PROTO_E_OK, NULL);
    must.level = 1; /* even if it were at level 1 */
    expect(&must, SUP, DOMAIN_COMPLAINT_CLOSE, &a, PROTO_E_FORBIDDEN, NULL);
    /* survey: satisfaction 1..5 */
    struct domain_complaint_state closed = complaint(DOMAIN_CSTATE_CLOSED, 1);
    static const struct {
        int v;
        bool ok;
    } sat[] = {{0, false}, {1, true}, {5, true}, {6, false}, {-1, false}};
    for (size_t i = 0; i < N(sat); i++) {
        a = good_args();
        a.satisfaction = sat[i].v;
        expect(&closed, SVC, DOMAIN_COMPLAINT_SURVEY, &a,
               sat[i].ok ? PROTO_E_OK : PROTO_E_BAD_FIELD, sat[i].ok ? NULL : "satisfaction");
    }
    /* messages and bad inputs */
    struct proto_error err;
    struct domain_actor fin = {.role = DOMAIN_ROLE_FINANCE, .staff_id = 1};
    assert_int_equal(domain_complaint_check(&open, &fin, DOMAIN_COMPLAINT_CLOSE, &a, &err), -1);
    assert_string_equal(err.message,
                        "complaint_close needs the supervisor or manager role, not finance");
    struct domain_actor svc = {.role = DOMAIN_ROLE_SERVICE, .staff_id = 1};
    assert_int_equal(domain_complaint_check(&open, &svc, DOMAIN_COMPLAINT_SURVEY, &a, &err), -1);
    assert_non_null(strstr(err.message, "complaint is open (待响应)"));
    expect(NULL, SVC, DOMAIN_COMPLAINT_GET, &a, PROTO_E_INTERNAL, NULL);
    expect(NULL, SVC, DOMAIN_COMPLAINT_LIST, &a, PROTO_E_OK, NULL);
    expect(&open, SVC, DOMAIN_COMPLAINT_CMD__COUNT, &a, PROTO_E_INTERNAL, NULL);
    expect(&open, DOMAIN_ROLE__COUNT, DOMAIN_COMPLAINT_GET, &a, PROTO_E_FORBIDDEN, NULL);
    assert_int_equal(domain_complaint_check(&open, NULL, DOMAIN_COMPLAINT_GET, &a, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_ratings),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_add_working_days),
        cmocka_unit_test(test_first_response_limits),
        cmocka_unit_test(test_call_centre_limits),
        cmocka_unit_test(test_closed_limits),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

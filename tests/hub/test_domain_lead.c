/* Lead rules: names, validation and the invalid reasons, duplicate merging, assignment order
 * with every tie-break, cadence and first-callback due times at their edges (due - 1 ms, due,
 * due + 1 ms), grade due after three calls in a week, month-end moves for every grade and
 * owner role. Who may run which lead command is test_domain_lead_fsm.c. */
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

/* ---- names ---- */

static void test_status_names(void **state)
{
    (void)state;
    static const struct {
        enum domain_lead_status s;
        const char *wire, *zh;
    } rows[] = {
        {DOMAIN_LEAD_OPEN, "open", "跟进中"},
        {DOMAIN_LEAD_INVALID, "invalid", "无效线索"},
        {DOMAIN_LEAD_CONVERTED, "converted", "已成交"},
        {DOMAIN_LEAD_LOST, "lost", "战败"},
    };
    assert_int_equal(N(rows), DOMAIN_LEAD_STATUS__COUNT);
    for (size_t i = 0; i < N(rows); i++) {
        assert_string_equal(domain_lead_status_name(rows[i].s), rows[i].wire);
        assert_string_equal(domain_lead_status_name_zh(rows[i].s), rows[i].zh);
        assert_int_equal(domain_lead_status_from_name(rows[i].wire), rows[i].s);
    }
    assert_null(domain_lead_status_name(DOMAIN_LEAD_STATUS__COUNT));
    assert_null(domain_lead_status_name_zh((enum domain_lead_status) - 1));
    assert_int_equal(domain_lead_status_from_name("Open"), -1);
    assert_int_equal(domain_lead_status_from_name(""), -1);
    assert_int_equal(domain_lead_status_from_name(NULL), -1);
}

static void test_invalid_reason_names(void **state)
{
    (void)state;
    static const char *const wire[DOMAIN_LEAD_INVALID__COUNT] = {
        "",
        "missing_name",
        "missing_model",
        "missing_budget",
        "unknown_channel",
        "unknown_model",
        "unreachable",
        "duplicate",
        "not_buying",
        "other",
    };
    for (int i = 0; i < DOMAIN_LEAD_INVALID__COUNT; i++) {
        assert_string_equal(domain_lead_invalid_name(i), wire[i]);
        assert_non_null(domain_lead_invalid_name_zh(i));
        assert_int_equal(domain_lead_invalid_from_name(wire[i]), i == 0 ? -1 : i);
    }
    assert_string_equal(domain_lead_invalid_name_zh(DOMAIN_LEAD_INVALID_MISSING_MODEL),
                        "缺少意向车型");
    assert_null(domain_lead_invalid_name(DOMAIN_LEAD_INVALID__COUNT));
}

static void test_grades(void **state)
{
    (void)state;
    static const struct {
        char g;
        int valid, settable, cadence;
    } rows[] = {
        {'H', 1, 1, 3}, {'A', 1, 1, 7}, {'B', 1, 1, 15}, {'F', 1, 1, 0}, {'L', 1, 1, 0},
        {'O', 1, 0, 0}, {'C', 0, 0, 0}, {'h', 0, 0, 0},  {0, 0, 0, 0},   {'X', 0, 0, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        assert_int_equal(domain_grade_valid(rows[i].g), rows[i].valid);
        assert_int_equal(domain_grade_settable(rows[i].g), rows[i].settable);
        assert_int_equal(domain_grade_cadence_days(rows[i].g), rows[i].cadence);
        assert_int_equal(domain_grade_name_zh(rows[i].g) != NULL, rows[i].valid);
    }
    assert_string_equal(domain_grade_name_zh('F'), "F级(战败)");
    assert_int_equal(domain_grade_from_name("H"), 'H');
    assert_int_equal(domain_grade_from_name("O"), 'O');
    assert_int_equal(domain_grade_from_name("HA"), -1);
    assert_int_equal(domain_grade_from_name("h"), -1);
    assert_int_equal(domain_grade_from_name(""), -1);
    assert_int_equal(domain_grade_from_name(NULL), -1);
}

static void test_followup_ways_and_cmds(void **state)
{
    (void)state;
    static const char *const ways[DOMAIN_FWAY__COUNT] = {"phone", "sms", "email", "visit",
                                                         "test_drive_invite"};
    for (int i = 0; i < DOMAIN_FWAY__COUNT; i++) {
        assert_string_equal(domain_followup_way_name(i), ways[i]);
        assert_int_equal(domain_followup_way_from_name(ways[i]), i);
        assert_non_null(domain_followup_way_name_zh(i));
    }
    assert_int_equal(domain_followup_way_from_name("wechat"), -1);
    static const struct {
        enum proto_type t;
        enum domain_lead_cmd c;
        const char *name;
    } cmds[] = {
        {PROTO_T_LEAD_CREATE, DOMAIN_LEAD_CREATE, "lead_create"},
        {PROTO_T_LEAD_ASSIGN, DOMAIN_LEAD_ASSIGN, "lead_assign"},
        {PROTO_T_LEAD_FOLLOWUP, DOMAIN_LEAD_FOLLOWUP, "lead_followup"},
        {PROTO_T_LEAD_GRADE, DOMAIN_LEAD_GRADE, "lead_grade"},
        {PROTO_T_LEAD_INVALIDATE, DOMAIN_LEAD_INVALIDATE, "lead_invalidate"},
        {PROTO_T_LEAD_MONTH_END, DOMAIN_LEAD_MONTH_END, "lead_month_end"},
        {PROTO_T_LEAD_GET, DOMAIN_LEAD_GET, "lead_get"},
        {PROTO_T_LEAD_LIST, DOMAIN_LEAD_LIST, "lead_list"},
    };
    assert_int_equal(N(cmds), DOMAIN_LEAD_CMD__COUNT);
    for (size_t i = 0; i < N(cmds); i++) {
        assert_string_equal(domain_lead_cmd_name(cmds[i].c), cmds[i].name);
        assert_int_equal(domain_lead_cmd_from_name(cmds[i].name), cmds[i].c);
        assert_int_equal(domain_lead_cmd_of_type(cmds[i].t), cmds[i].c);
        assert_int_equal(domain_lead_cmd_is_read(cmds[i].c),
                         cmds[i].c == DOMAIN_LEAD_GET || cmds[i].c == DOMAIN_LEAD_LIST);
    }
    assert_int_equal(domain_lead_cmd_of_type(PROTO_T_ORDER_GET), -1);
    assert_int_equal(domain_lead_cmd_of_type(PROTO_T_CHECKIN), -1);
    assert_int_equal(domain_lead_cmd_of_type(PROTO_T__COUNT), -1);
    assert_string_equal(domain_lead_due_name(DOMAIN_LEAD_DUE_FIRST_CALLBACK), "first_callback");
    assert_string_equal(domain_lead_due_name(DOMAIN_LEAD_DUE_FOLLOWUP), "followup");
    assert_string_equal(domain_lead_due_name(DOMAIN_LEAD_DUE_NONE), "");
    assert_string_equal(domain_lead_field_name(DOMAIN_LFIELD_BUDGET), "budget_fen");
    assert_null(domain_lead_field_name(DOMAIN_LFIELD__COUNT));
}

/* ---- validation ---- */

static void test_validate(void **state)
{
    (void)state;
    static char long_name[PROTO_MAX_NAME + 2];
    static char long_region[DOMAIN_LEAD_REGION_MAX + 2];
    memset(long_name, 'a', PROTO_MAX_NAME + 1);
    memset(long_region, 'r', DOMAIN_LEAD_REGION_MAX + 1);
    static const struct {
        struct domain_lead_input in;
        int rc;
        enum domain_lead_invalid reason; /* rc 0 */
        const char *phone;               /* rc 0 */
        enum proto_err code;             /* rc -1 */
        const char *field;               /* rc -1 */
    } rows[] = {
        /* valid */
        {{"王伟", "138 1234 1234", "XH7", 1, "web_autohome", "浦东", "AH-1"},
         0,
         DOMAIN_LEAD_INVALID_NONE,
         "13812341234",
         0,
         NULL},
        {{"Anna Schmidt", "+49 151 12345678", "XH9", 25000000, "walk_in", NULL, NULL},
         0,
         DOMAIN_LEAD_INVALID_NONE,
         "+4915112345678",
         0,
         NULL},
        /* flagged, kept: first problem in name, model, budget, channel order */
        {{"", "13812341234", "XH7", 1, "walk_in", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_NAME,
         "13812341234",
         0,
         NULL},
        {{"  \t", "13812341234", "XH7", 1, "walk_in", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_NAME,
         "13812341234",
         0,
         NULL},
        {{"\xe3\x80\x80", "13812341234", "XH7", 1, "walk_in", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_NAME,
         "13812341234",
         0,
         NULL},
        {{NULL, "13812341234", NULL, 0, NULL, NULL, NULL},
         0,
         DOMAIN_LEAD_INVALID_MISSING_NAME,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "", 1, "walk_in", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_MODEL,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", " ", 0, "nowhere", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_MODEL,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "XH7", 0, "walk_in", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_BUDGET,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "XH7", -5, "nowhere", "", ""},
         0,
         DOMAIN_LEAD_INVALID_MISSING_BUDGET,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "XH7", 1, "nowhere", "", ""},
         0,
         DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "XH7", 1, "", "", ""},
         0,
         DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL,
         "13812341234",
         0,
         NULL},
        {{"王伟", "13812341234", "XH7", 1, NULL, "", ""},
         0,
         DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL,
         "13812341234",
         0,
         NULL},
        /* refused: no usable phone, even with everything else right */
        {{"王伟", "12345", "XH7", 1, "walk_in", "", ""},
         -1,
         0,
         NULL,
         PROTO_E_INVALID_PHONE,
         "phone"},
        {{"王伟", "", "XH7", 1, "walk_in", "", ""}, -1, 0, NULL, PROTO_E_INVALID_PHONE, "phone"},
        {{"王伟", NULL, "XH7", 1, "walk_in", "", ""}, -1, 0, NULL, PROTO_E_INVALID_PHONE, "phone"},
        {{"", "1381234123", "", 0, "", "", ""}, -1, 0, NULL, PROTO_E_INVALID_PHONE, "phone"},
        /* refused: over a limit, or not UTF-8 */
        {{long_name, "13812341234", "XH7", 1, "walk_in", "", ""},
         -1,
         0,
         NULL,
         PROTO_E_TOO_LONG,
         "name"},
        {{"王伟", "13812341234", "XH7", 1, "walk_in", long_region, ""},
         -1,
         0,
         NULL,
         PROTO_E_TOO_LONG,
         "region"},
        {{"王伟", "13812341234", "XH7", 1, "walk_in", "", long_region},
         -1,
         0,
         NULL,
         PROTO_E_TOO_LONG,
         "external_ref"},
        {{"\xff\xfe", "13812341234", "XH7", 1, "walk_in", "", ""},
         -1,
         0,
         NULL,
         PROTO_E_BAD_UTF8,
         "name"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        struct domain_lead_verdict v;
        struct proto_error err = {0};
        int rc = domain_lead_validate(&rows[i].in, &v, &err);
        if (rc != rows[i].rc)
            fail_msg("row %zu: rc %d want %d (%s)", i, rc, rows[i].rc, err.message);
        if (rc == 0) {
            assert_int_equal(v.reason, rows[i].reason);
            assert_string_equal(v.phone, rows[i].phone);
        } else {
            assert_int_equal(err.code, rows[i].code);
            assert_string_equal(err.field, rows[i].field);
            assert_string_equal(v.phone, "");
        }
    }
}

/* ---- dedup ---- */

static struct domain_lead_fields fields(const char *name, const char *model, int64_t budget,
                                        const char *region, const char *ref, int64_t created)
{
    struct domain_lead_fields f;
    memset(&f, 0, sizeof f);
    strcpy(f.name, name);
    strcpy(f.model, model);
    f.budget_fen = budget;
    strcpy(f.region, region);
    strcpy(f.external_ref, ref);
    f.created_at = created;
    return f;
}

static void test_merge(void **state)
{
    (void)state;
    /* the duplicate fills the empty fields and brings an earlier creation time */
    struct domain_lead_fields into = fields("王伟", "", 0, "", "", T0 + DAY);
    struct domain_lead_fields from = fields("王小伟", "XH7", 300, "浦东", "AH-9", T0);
    unsigned bits = domain_lead_merge(&into, &from);
    assert_int_equal(bits, DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_MODEL) |
                               DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_BUDGET) |
                               DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_REGION) |
                               DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_EXTERNAL_REF) |
                               DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_CREATED_AT));
    assert_string_equal(into.name, "王伟"); /* filled fields never change */
    assert_string_equal(into.model, "XH7");
    assert_int_equal(into.budget_fen, 300);
    assert_string_equal(into.region, "浦东");
    assert_string_equal(into.external_ref, "AH-9");
    assert_int_equal(into.created_at, T0);

    /* a later duplicate with everything set adds nothing */
    struct domain_lead_fields later = fields("李雷", "XH9", 900, "闵行", "YC-1", T0 + 5 * DAY);
    struct domain_lead_fields copy = into;
    assert_int_equal(domain_lead_merge(&into, &later), 0);
    assert_memory_equal(&into, &copy, sizeof into);

    /* blank strings count as empty; an unknown (0) time never wins, and 0 is replaced */
    struct domain_lead_fields blank = fields("  ", "XH7", 1, "", "", 0);
    struct domain_lead_fields named = fields("韩梅梅", "XH9", 2, "", "", 0);
    assert_int_equal(domain_lead_merge(&blank, &named), DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_NAME));
    assert_string_equal(blank.name, "韩梅梅");
    assert_int_equal(blank.created_at, 0);
    struct domain_lead_fields timed = fields("", "", 0, "", "", T0 + 3);
    assert_int_equal(domain_lead_merge(&blank, &timed),
                     DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_CREATED_AT));
    assert_int_equal(blank.created_at, T0 + 3);
    /* equal times: nothing changes */
    assert_int_equal(domain_lead_merge(&blank, &timed), 0);
}

/* ---- assignment ---- */

static int64_t pick(const struct domain_assignee *c, size_t n, const char *region,
                    const char *model)
{
    int64_t chosen = -1;
    assert_int_equal(domain_lead_assign(c, n, region, model, &chosen), 0);
    return chosen;
}

static void test_assign_order(void **state)
{
    (void)state;
    /* region beats expertise, workload and ability */
    const struct domain_assignee a[] = {
        {1, "闵行", "XH7", 0, 5},
        {2, "浦东", "", 9, 1},
    };
    assert_int_equal(pick(a, 2, "浦东", "XH7"), 2);
    /* without a region match: expertise beats workload and ability */
    assert_int_equal(pick(a, 2, "徐汇", "XH7"), 1);
    const struct domain_assignee b[] = {
        {1, "浦东", "XH9", 0, 5},
        {2, "浦东", "XH9, XH7 ,XH5", 3, 1},
    };
    assert_int_equal(pick(b, 2, "浦东", "XH7"), 2);
    /* a code that only contains the model is no match */
    const struct domain_assignee b2[] = {
        {1, "", "XH77,AXH7", 0, 1},
        {2, "", "XH7", 1, 1},
    };
    assert_int_equal(pick(b2, 2, "", "XH7"), 2);
    /* same region and expertise: lowest workload */
    const struct domain_assignee c[] = {
        {1, "浦东", "XH7", 4, 5},
        {2, "浦东", "XH7", 2, 1},
        {3, "浦东", "XH7", 3, 5},
    };
    assert_int_equal(pick(c, 3, "浦东", "XH7"), 2);
    /* same workload: highest ability */
    const struct domain_assignee d[] = {
        {5, "", "", 2, 3},
        {4, "", "", 2, 4},
        {6, "", "", 2, 2},
    };
    assert_int_equal(pick(d, 3, "", ""), 4);
    /* all equal: lower staff id, whatever the order */
    const struct domain_assignee e[] = {
        {12, "浦东", "XH7", 1, 3},
        {10, "浦东", "XH7", 1, 3},
        {11, "浦东", "XH7", 1, 3},
    };
    assert_int_equal(pick(e, 3, "浦东", "XH7"), 10);
    /* no region on the lead: nobody matches by region, even staff without a region */
    const struct domain_assignee f[] = {
        {1, "", "", 1, 3},
        {2, "浦东", "", 0, 3},
    };
    assert_int_equal(pick(f, 2, "", ""), 2);
    assert_int_equal(pick(f, 2, NULL, NULL), 2);
    /* NULL region and models on candidates */
    const struct domain_assignee g[] = {
        {3, NULL, NULL, 0, 1},
        {4, "浦东", "XH7", 0, 1},
    };
    assert_int_equal(pick(g, 2, "浦东", "XH7"), 4);
    assert_int_equal(pick(g, 1, "浦东", "XH7"), 3);
    /* nobody to choose */
    int64_t chosen = 99;
    assert_int_equal(domain_lead_assign(g, 0, "浦东", "XH7", &chosen), -1);
    assert_int_equal(chosen, 0);
    assert_int_equal(domain_lead_assign(NULL, 3, "浦东", "XH7", &chosen), -1);
}

/* ---- follow-up timing ---- */

static void test_cadence(void **state)
{
    (void)state;
    assert_int_equal(domain_lead_next_due('H', T0), T0 + 3 * DAY);
    assert_int_equal(domain_lead_next_due('A', T0), T0 + 7 * DAY);
    assert_int_equal(domain_lead_next_due('B', T0), T0 + 15 * DAY);
    assert_int_equal(domain_lead_next_due('F', T0), 0);
    assert_int_equal(domain_lead_next_due('L', T0), 0);
    assert_int_equal(domain_lead_next_due('O', T0), 0);
    assert_int_equal(domain_lead_next_due(0, T0), 0);
    assert_int_equal(domain_lead_first_callback_due(T0), T0 + 24 * HOUR);
}

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

static void test_overdue_first_callback(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    int64_t due = -1;
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY - 1, &due), DOMAIN_LEAD_DUE_NONE);
    assert_int_equal(due, 0);
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY, &due), DOMAIN_LEAD_DUE_NONE);
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY + 1, &due), DOMAIN_LEAD_DUE_FIRST_CALLBACK);
    assert_int_equal(due, T0 + DAY);
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY + 1, NULL), DOMAIN_LEAD_DUE_FIRST_CALLBACK);
    /* a follow-up before the (re)assignment does not count as the first callback, and the
     * old cadence waits: the first callback governs */
    s.last_followup_at = T0 - HOUR;
    s.next_due_at = T0 + HOUR;
    assert_int_equal(domain_lead_overdue(&s, T0 + 2 * HOUR, &due), DOMAIN_LEAD_DUE_NONE);
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY + 1, &due), DOMAIN_LEAD_DUE_FIRST_CALLBACK);
    /* called at the moment of assignment: done */
    s.last_followup_at = T0;
    s.next_due_at = T0 + 15 * DAY;
    assert_int_equal(domain_lead_overdue(&s, T0 + DAY + 1, &due), DOMAIN_LEAD_DUE_NONE);
    /* only open leads with an owner */
    struct domain_lead_state t = lead(DOMAIN_LEAD_OPEN, 'B');
    for (int st = 1; st < DOMAIN_LEAD_STATUS__COUNT; st++) {
        t.status = (enum domain_lead_status)st;
        assert_int_equal(domain_lead_overdue(&t, T0 + 9 * DAY, &due), DOMAIN_LEAD_DUE_NONE);
    }
    t.status = DOMAIN_LEAD_OPEN;
    t.owner_id = t.telesales_id = 0;
    assert_int_equal(domain_lead_overdue(&t, T0 + 9 * DAY, &due), DOMAIN_LEAD_DUE_NONE);
    t.telesales_id = T_OWN; /* a telesales owner is an owner */
    assert_int_equal(domain_lead_overdue(&t, T0 + 9 * DAY, &due), DOMAIN_LEAD_DUE_FIRST_CALLBACK);
}

static void test_overdue_cadence(void **state)
{
    (void)state;
    static const struct {
        char grade;
        int days;
    } rows[] = {{'H', 3}, {'A', 7}, {'B', 15}};
    for (size_t i = 0; i < N(rows); i++) {
        struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, rows[i].grade);
        int64_t at = T0 + 2 * HOUR; /* the first callback was made in time */
        s.last_followup_at = at;
        s.next_due_at = domain_lead_next_due(rows[i].grade, at);
        int64_t due_at = at + rows[i].days * DAY;
        assert_int_equal(s.next_due_at, due_at);
        int64_t due = -1;
        assert_int_equal(domain_lead_overdue(&s, due_at - 1, &due), DOMAIN_LEAD_DUE_NONE);
        assert_int_equal(domain_lead_overdue(&s, due_at, &due), DOMAIN_LEAD_DUE_NONE);
        assert_int_equal(due, 0);
        assert_int_equal(domain_lead_overdue(&s, due_at + 1, &due), DOMAIN_LEAD_DUE_FOLLOWUP);
        assert_int_equal(due, due_at);
    }
    /* F and L leads have no cadence: never overdue after the first callback */
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'L');
    s.last_followup_at = T0 + HOUR;
    s.next_due_at = domain_lead_next_due('L', s.last_followup_at);
    assert_int_equal(domain_lead_overdue(&s, T0 + 365 * DAY, NULL), DOMAIN_LEAD_DUE_NONE);
}

static void test_grade_due(void **state)
{
    (void)state;
    const int64_t w = 7 * DAY;
    /* three calls within 7 days, never graded */
    const int64_t three[] = {T0, T0 + DAY, T0 + 6 * DAY};
    assert_int_equal(domain_lead_grade_due(three, 3, 0), 1);
    /* two are not enough */
    assert_int_equal(domain_lead_grade_due(three, 2, 0), 0);
    /* the third exactly 7 days after the first is outside the window; 1 ms less is inside */
    const int64_t edge_out[] = {T0, T0 + DAY, T0 + w};
    const int64_t edge_in[] = {T0, T0 + DAY, T0 + w - 1};
    assert_int_equal(domain_lead_grade_due(edge_out, 3, 0), 0);
    assert_int_equal(domain_lead_grade_due(edge_in, 3, 0), 1);
    /* order does not matter; a later window counts */
    const int64_t shuffled[] = {T0 + 20 * DAY, T0, T0 + 15 * DAY, T0 + 10 * DAY, T0 + 16 * DAY};
    assert_int_equal(domain_lead_grade_due(shuffled, 5, 0), 1);
    const int64_t spread[] = {T0 + 20 * DAY, T0, T0 + 10 * DAY, T0 + 5 * DAY, T0 + 15 * DAY};
    assert_int_equal(domain_lead_grade_due(spread, 5, 0), 0);
    /* grading resets: calls at or before graded_at do not count */
    assert_int_equal(domain_lead_grade_due(three, 3, T0), 0);
    assert_int_equal(domain_lead_grade_due(three, 3, T0 - 1), 1);
    const int64_t four[] = {T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY};
    assert_int_equal(domain_lead_grade_due(four, 4, T0), 1);
    assert_int_equal(domain_lead_grade_due(four, 4, T0 + DAY), 0);
    /* two calls at the same time are two calls */
    const int64_t same[] = {T0, T0, T0};
    assert_int_equal(domain_lead_grade_due(same, 3, 0), 1);
    assert_int_equal(domain_lead_grade_due(NULL, 0, 0), 0);
}

/* ---- month end ---- */

static void test_month_end_moves(void **state)
{
    (void)state;
    /* grades H A B F L O and ungraded; 1 = back to telesales */
    static const char grades[] = {'H', 'A', 'B', 'F', 'L', 'O', 0};
    static const char *const expect[DOMAIN_ROLE__COUNT] = {
        [DOMAIN_ROLE_RECEPTION] = "0000000",  [DOMAIN_ROLE_TELESALES] = "0000000",
        [DOMAIN_ROLE_CONSULTANT] = "0011100", [DOMAIN_ROLE_SUPERVISOR] = "0000000",
        [DOMAIN_ROLE_MANAGER] = "0000000",    [DOMAIN_ROLE_FINANCE] = "0000000",
        [DOMAIN_ROLE_SERVICE] = "0000000",    [DOMAIN_ROLE_MARKETING] = "0000000",
        [DOMAIN_ROLE_ADMIN] = "0000000",
    };
    for (int r = 0; r < DOMAIN_ROLE__COUNT; r++) {
        for (size_t g = 0; g < N(grades); g++) {
            int got = domain_lead_month_end_moves((enum domain_role)r, grades[g]);
            if (got != expect[r][g] - '0')
                fail_msg("role %s grade %c: got %d", domain_role_name(r),
                         grades[g] ? grades[g] : '-', got);
        }
    }
}

static void test_assigned_and_convert(void **state)
{
    (void)state;
    struct domain_lead_state s = lead(DOMAIN_LEAD_OPEN, 'B');
    s.next_due_at = T0 + 3 * DAY;
    /* month end: back to telesales */
    domain_lead_assigned(&s, 44, DOMAIN_ROLE_TELESALES, T0 + 30 * DAY);
    assert_int_equal(s.owner_id, 0);
    assert_int_equal(s.telesales_id, 44);
    assert_int_equal(domain_lead_owner(&s), 44);
    assert_int_equal(s.assigned_at, T0 + 30 * DAY);
    assert_int_equal(s.first_callback_due_at, T0 + 31 * DAY);
    assert_int_equal(s.next_due_at, 0);
    /* to a consultant: the telesales owner stays on record */
    domain_lead_assigned(&s, 55, DOMAIN_ROLE_CONSULTANT, T0 + 32 * DAY);
    assert_int_equal(s.owner_id, 55);
    assert_int_equal(s.telesales_id, 44);
    assert_int_equal(domain_lead_owner(&s), 55);
    assert_int_equal(s.first_callback_due_at, T0 + 33 * DAY);
    /* conversion */
    assert_int_equal(domain_lead_converts(&s), 1);
    domain_lead_convert(&s);
    assert_int_equal(s.status, DOMAIN_LEAD_CONVERTED);
    assert_int_equal(s.grade, 'O');
    assert_int_equal(domain_lead_overdue(&s, T0 + 99 * DAY, NULL), DOMAIN_LEAD_DUE_NONE);
    assert_int_equal(domain_lead_converts(&s), 0);
    struct domain_lead_state t = lead(DOMAIN_LEAD_INVALID, 0);
    assert_int_equal(domain_lead_converts(&t), 0);
    t.status = DOMAIN_LEAD_LOST;
    assert_int_equal(domain_lead_converts(&t), 0);
    assert_int_equal(domain_lead_converts(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_invalid_reason_names),
        cmocka_unit_test(test_grades),
        cmocka_unit_test(test_followup_ways_and_cmds),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_assign_order),
        cmocka_unit_test(test_cadence),
        cmocka_unit_test(test_overdue_first_callback),
        cmocka_unit_test(test_overdue_cadence),
        cmocka_unit_test(test_grade_due),
        cmocka_unit_test(test_month_end_moves),
        cmocka_unit_test(test_assigned_and_convert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Every domain name table, both directions: each enum value has the wire name PROTOCOL.md
 * gives it (and the Chinese name DOMAIN.md gives it), and each name maps back. The expected
 * names are written out here, independently of hub/domain_names.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

struct name_case {
    int value;
    const char *wire;
    const char *zh; /* NULL where the enum has no Chinese name */
};

/* Strings that must never be accepted as a name of anything. */
static const char *const bogus_names[] = {"",          " ",         "x",          "unknown_thing",
                                          "Reception", "RECEPTION", "reception ", " consultant",
                                          "full\n",    "待初审x"};

typedef const char *(*name_fn)(int);
typedef int (*from_fn)(const char *);

/* Checks a table covering values 0..count-1 in order: names match, round trip, out-of-range
 * values have no name, bogus strings are rejected. `from`/`zh` may be NULL. */
static void check_table(const struct name_case *cases, size_t n, int count, name_fn name,
                        name_fn zh, from_fn from)
{
    assert_int_equal(n, (size_t)count);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cases[i].value, (int)i);
        assert_non_null(name(cases[i].value));
        assert_string_equal(name(cases[i].value), cases[i].wire);
        if (zh) {
            assert_non_null(zh(cases[i].value));
            assert_string_equal(zh(cases[i].value), cases[i].zh);
        }
        if (from)
            assert_int_equal(from(cases[i].wire), cases[i].value);
        for (size_t j = 0; j < i; j++)
            assert_true(strcmp(cases[i].wire, cases[j].wire) != 0);
    }
    assert_null(name(count));
    assert_null(name(-1));
    if (zh) {
        assert_null(zh(count));
        assert_null(zh(-1));
    }
    if (from) {
        assert_int_equal(from(NULL), -1);
        for (size_t i = 0; i < sizeof(bogus_names) / sizeof(bogus_names[0]); i++)
            assert_int_equal(from(bogus_names[i]), -1);
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode_name(int v)
{
    return domain_mode_name((enum domain_mode)v);
}

static void test_modes(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_MODE_RECEPTION, "reception", NULL},
        {DOMAIN_MODE_STATUS, "status", NULL},
        {DOMAIN_MODE_DELIVERY, "delivery", NULL},
        {DOMAIN_MODE_BOARD, "board", NULL},
        {DOMAIN_MODE_API, "api", NULL},
    };
    check_table(cases, N(cases), DOMAIN_MODE__COUNT, mode_name, NULL, domain_mode_from_name);
}

static const char *role_name(int v)
{
    return domain_role_name((enum domain_role)v);
}
static const char *role_zh(int v)
{
    return domain_role_name_zh((enum domain_role)v);
}

static void test_roles(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_ROLE_RECEPTION, "reception", "前台接待"},
        {DOMAIN_ROLE_TELESALES, "telesales", "电销员"},
        {DOMAIN_ROLE_CONSULTANT, "consultant", "销售顾问"},
        {DOMAIN_ROLE_SUPERVISOR, "supervisor", "销售主管"},
        {DOMAIN_ROLE_MANAGER, "manager", "销售经理"},
        {DOMAIN_ROLE_FINANCE, "finance", "财务"},
        {DOMAIN_ROLE_SERVICE, "service", "客服中心"},
        {DOMAIN_ROLE_MARKETING, "marketing", "市场部"},
        {DOMAIN_ROLE_ADMIN, "admin", "管理员"},
    };
    check_table(cases, N(cases), DOMAIN_ROLE__COUNT, role_name, role_zh, domain_role_from_name);
}

static const char *gender_name(int v)
{
    return domain_gender_name((enum domain_gender)v);
}

static void test_genders(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_GENDER_UNKNOWN, "unknown", NULL},
        {DOMAIN_GENDER_MALE, "male", NULL},
        {DOMAIN_GENDER_FEMALE, "female", NULL},
    };
    check_table(cases, N(cases), 3, gender_name, NULL, domain_gender_from_name);
}

static const char *assign_name(int v)
{
    return domain_assign_name((enum domain_assign)v);
}

static void test_assigns(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_ASSIGN_INVITED, "invited", NULL},
        {DOMAIN_ASSIGN_OWNER, "owner", NULL},
        {DOMAIN_ASSIGN_ROTATION, "rotation", NULL},
        {DOMAIN_ASSIGN_BUSY_ROTATION, "busy_rotation", NULL},
        {DOMAIN_ASSIGN_NONE, "none", NULL},
    };
    check_table(cases, N(cases), DOMAIN_ASSIGN_NONE + 1, assign_name, NULL,
                domain_assign_from_name);
}

static const char *stage_name(int v)
{
    return domain_stage_name((enum domain_stage)v);
}
static const char *stage_zh(int v)
{
    return domain_stage_name_zh((enum domain_stage)v);
}

static void test_stages(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_STAGE_ENTERED, "entered", "待初审"},
        {DOMAIN_STAGE_REVIEWED, "reviewed", "待终审"},
        {DOMAIN_STAGE_RETURNED, "returned", "已退回"},
        {DOMAIN_STAGE_APPROVED, "approved", "已审批"},
        {DOMAIN_STAGE_ALLOCATED, "allocated", "已配车"},
        {DOMAIN_STAGE_PAID, "paid", "已付清"},
        {DOMAIN_STAGE_READY, "ready", "待交车"},
        {DOMAIN_STAGE_DELIVERED, "delivered", "已交车"},
        {DOMAIN_STAGE_CLOSED, "closed", "已归档"},
        {DOMAIN_STAGE_CANCELLED, "cancelled", "已取消"},
    };
    check_table(cases, N(cases), DOMAIN_STAGE__COUNT, stage_name, stage_zh, domain_stage_from_name);
}

static const char *public_name(int v)
{
    return domain_public_name((enum domain_public)v);
}

static void test_publics(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_PUBLIC_ORDERED, "ordered", NULL},     {DOMAIN_PUBLIC_VEHICLE, "vehicle", NULL},
        {DOMAIN_PUBLIC_PAYMENT, "payment", NULL},     {DOMAIN_PUBLIC_READY, "ready", NULL},
        {DOMAIN_PUBLIC_DELIVERED, "delivered", NULL}, {DOMAIN_PUBLIC_CANCELLED, "cancelled", NULL},
    };
    check_table(cases, N(cases), DOMAIN_PUBLIC__COUNT, public_name, NULL, NULL);
}

static const char *payment_name(int v)
{
    return domain_payment_name((enum domain_payment)v);
}

static void test_payments(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_PAY_FULL, "full", NULL},
        {DOMAIN_PAY_LOAN, "loan", NULL},
    };
    check_table(cases, N(cases), 2, payment_name, NULL, domain_payment_from_name);
}

static const char *step_name(int v)
{
    return domain_step_state_name((enum domain_step_state)v);
}

static void test_step_states(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_STEP_DONE, "done", NULL},
        {DOMAIN_STEP_CURRENT, "current", NULL},
        {DOMAIN_STEP_TODO, "todo", NULL},
    };
    check_table(cases, N(cases), 3, step_name, NULL, NULL);
}

static const char *todo_name(int v)
{
    return domain_todo_name((enum domain_todo)v);
}

static void test_todos(void **state)
{
    static const struct name_case cases[] = {
        {DOMAIN_TODO_NONE, "none", NULL},
        {DOMAIN_TODO_PAY_BALANCE, "pay_balance", NULL},
        {DOMAIN_TODO_LOAN_DOCUMENTS, "loan_documents", NULL},
        {DOMAIN_TODO_ATTEND_DELIVERY, "attend_delivery", NULL},
    };
    check_table(cases, N(cases), DOMAIN_TODO_ATTEND_DELIVERY + 1, todo_name, NULL, NULL);
}

static void test_channels(void **state)
{
    static const struct {
        const char *code, *zh;
    } cases[] = {
        {"auto_show", "车展"},    {"web_official", "官网"},  {"web_autohome", "汽车之家"},
        {"web_yiche", "易车"},    {"phone_in", "来电"},      {"phone_out", "去电"},
        {"walk_in", "自然到店"},  {"partner", "合作伙伴"},   {"social_wechat", "微信"},
        {"social_weibo", "微博"}, {"social_douyin", "抖音"}, {"manufacturer", "厂家线索"},
        {"referral", "转介绍"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        assert_true(domain_channel_valid(cases[i].code));
        assert_non_null(domain_channel_name_zh(cases[i].code));
        assert_string_equal(domain_channel_name_zh(cases[i].code), cases[i].zh);
    }
    static const char *const bad[] = {"",       "walk-in", "WALK_IN",  "walk_in ",   "wechat",
                                      "social", "车展",    "auto_sho", "auto_show2", "web_baidu"};
    for (size_t i = 0; i < N(bad); i++) {
        assert_false(domain_channel_valid(bad[i]));
        assert_null(domain_channel_name_zh(bad[i]));
    }
    assert_false(domain_channel_valid(NULL));
    assert_null(domain_channel_name_zh(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes),    cmocka_unit_test(test_roles),
        cmocka_unit_test(test_genders),  cmocka_unit_test(test_assigns),
        cmocka_unit_test(test_stages),   cmocka_unit_test(test_publics),
        cmocka_unit_test(test_payments), cmocka_unit_test(test_step_states),
        cmocka_unit_test(test_todos),    cmocka_unit_test(test_channels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

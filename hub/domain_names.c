/* Name tables of the domain's enums: the wire names of PROTOCOL.md and the Chinese names
 * staff know (DOMAIN.md). Each enum has exactly one table; lookups in both directions are
 * driven by it, so a name can never be added in one direction and forgotten in the other. */
#include <string.h>

#include "domain.h"

/* Index of `name` in a table of `n` names, -1 if absent (NULL never matches). */
static int names_find(const char *const *names, size_t n, const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (names[i] && strcmp(names[i], name) == 0)
            return (int)i;
    }
    return -1;
}

/* names[i] for a valid index, NULL otherwise (an enum cast from an unchecked int). */
static const char *names_at(const char *const *names, size_t n, int i)
{
    if (i < 0 || (size_t)i >= n)
        return NULL;
    return names[i];
}

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- modes ---- */

static const char *const mode_names[DOMAIN_MODE__COUNT] = {
    [DOMAIN_MODE_RECEPTION] = "reception",
    [DOMAIN_MODE_STATUS] = "status",
    [DOMAIN_MODE_DELIVERY] = "delivery",
    [DOMAIN_MODE_BOARD] = "board",
    [DOMAIN_MODE_API] = "api",
};

const char *domain_mode_name(enum domain_mode m)
{
    return names_at(mode_names, NAMES_COUNT(mode_names), (int)m);
}

int domain_mode_from_name(const char *name)
{
    return names_find(mode_names, NAMES_COUNT(mode_names), name);
}

/* ---- roles ---- */

/* A wire name and the Chinese name shown to staff. */
struct name_pair {
    const char *wire;
    const char *zh;
};

static const struct name_pair role_rows[DOMAIN_ROLE__COUNT] = {
    [DOMAIN_ROLE_RECEPTION] = {"reception", "前台接待"},
    [DOMAIN_ROLE_TELESALES] = {"telesales", "电销员"},
    [DOMAIN_ROLE_CONSULTANT] = {"consultant", "销售顾问"},
    [DOMAIN_ROLE_SUPERVISOR] = {"supervisor", "销售主管"},
    [DOMAIN_ROLE_MANAGER] = {"manager", "销售经理"},
    [DOMAIN_ROLE_FINANCE] = {"finance", "财务"},
    [DOMAIN_ROLE_SERVICE] = {"service", "客服中心"},
    [DOMAIN_ROLE_MARKETING] = {"marketing", "市场部"},
    [DOMAIN_ROLE_ADMIN] = {"admin", "管理员"},
};

const char *domain_role_name(enum domain_role r)
{
    if ((int)r < 0 || r >= DOMAIN_ROLE__COUNT)
        return NULL;
    return role_rows[r].wire;
}

const char *domain_role_name_zh(enum domain_role r)
{
    if ((int)r < 0 || r >= DOMAIN_ROLE__COUNT)
        return NULL;
    return role_rows[r].zh;
}

int domain_role_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < DOMAIN_ROLE__COUNT; i++) {
        if (strcmp(role_rows[i].wire, name) == 0)
            return i;
    }
    return -1;
}

/* ---- genders ---- */

static const char *const gender_names[] = {
    [DOMAIN_GENDER_UNKNOWN] = "unknown",
    [DOMAIN_GENDER_MALE] = "male",
    [DOMAIN_GENDER_FEMALE] = "female",
};

const char *domain_gender_name(enum domain_gender g)
{
    return names_at(gender_names, NAMES_COUNT(gender_names), (int)g);
}

int domain_gender_from_name(const char *name)
{
    return names_find(gender_names, NAMES_COUNT(gender_names), name);
}

/* ---- channels: codes only, no enum, because later versions add channels as data ---- */

static const struct name_pair channel_rows[] = {
    {"auto_show", "车展"},    {"web_official", "官网"},  {"web_autohome", "汽车之家"},
    {"web_yiche", "易车"},    {"phone_in", "来电"},      {"phone_out", "去电"},
    {"walk_in", "自然到店"},  {"partner", "合作伙伴"},   {"social_wechat", "微信"},
    {"social_weibo", "微博"}, {"social_douyin", "抖音"}, {"manufacturer", "厂家线索"},
    {"referral", "转介绍"},
};

const char *domain_channel_name_zh(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < NAMES_COUNT(channel_rows); i++) {
        if (strcmp(channel_rows[i].wire, code) == 0)
            return channel_rows[i].zh;
    }
    return NULL;
}

int domain_channel_valid(const char *code)
{
    return domain_channel_name_zh(code) != NULL;
}

/* ---- check-in assignment ---- */

static const char *const assign_names[] = {
    [DOMAIN_ASSIGN_INVITED] = "invited",   [DOMAIN_ASSIGN_OWNER] = "owner",
    [DOMAIN_ASSIGN_ROTATION] = "rotation", [DOMAIN_ASSIGN_BUSY_ROTATION] = "busy_rotation",
    [DOMAIN_ASSIGN_NONE] = "none",
};

const char *domain_assign_name(enum domain_assign a)
{
    return names_at(assign_names, NAMES_COUNT(assign_names), (int)a);
}

int domain_assign_from_name(const char *name)
{
    return names_find(assign_names, NAMES_COUNT(assign_names), name);
}

/* ---- order stages ---- */

static const struct name_pair stage_rows[DOMAIN_STAGE__COUNT] = {
    [DOMAIN_STAGE_ENTERED] = {"entered", "待初审"},
    [DOMAIN_STAGE_REVIEWED] = {"reviewed", "待终审"},
    [DOMAIN_STAGE_RETURNED] = {"returned", "已退回"},
    [DOMAIN_STAGE_APPROVED] = {"approved", "已审批"},
    [DOMAIN_STAGE_ALLOCATED] = {"allocated", "已配车"},
    [DOMAIN_STAGE_PAID] = {"paid", "已付清"},
    [DOMAIN_STAGE_READY] = {"ready", "待交车"},
    [DOMAIN_STAGE_DELIVERED] = {"delivered", "已交车"},
    [DOMAIN_STAGE_CLOSED] = {"closed", "已归档"},
    [DOMAIN_STAGE_CANCELLED] = {"cancelled", "已取消"},
};

const char *domain_stage_name(enum domain_stage s)
{
    if ((int)s < 0 || s >= DOMAIN_STAGE__COUNT)
        return NULL;
    return stage_rows[s].wire;
}

const char *domain_stage_name_zh(enum domain_stage s)
{
    if ((int)s < 0 || s >= DOMAIN_STAGE__COUNT)
        return NULL;
    return stage_rows[s].zh;
}

int domain_stage_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < DOMAIN_STAGE__COUNT; i++) {
        if (strcmp(stage_rows[i].wire, name) == 0)
            return i;
    }
    return -1;
}

/* ---- public stages, payments, timeline step states, customer to-dos ---- */

static const char *const public_names[DOMAIN_PUBLIC__COUNT] = {
    [DOMAIN_PUBLIC_ORDERED] = "ordered",     [DOMAIN_PUBLIC_VEHICLE] = "vehicle",
    [DOMAIN_PUBLIC_PAYMENT] = "payment",     [DOMAIN_PUBLIC_READY] = "ready",
    [DOMAIN_PUBLIC_DELIVERED] = "delivered", [DOMAIN_PUBLIC_CANCELLED] = "cancelled",
};

const char *domain_public_name(enum domain_public p)
{
    return names_at(public_names, NAMES_COUNT(public_names), (int)p);
}

static const char *const payment_names[] = {
    [DOMAIN_PAY_FULL] = "full",
    [DOMAIN_PAY_LOAN] = "loan",
};

const char *domain_payment_name(enum domain_payment p)
{
    return names_at(payment_names, NAMES_COUNT(payment_names), (int)p);
}

int domain_payment_from_name(const char *name)
{
    return names_find(payment_names, NAMES_COUNT(payment_names), name);
}

static const char *const step_state_names[] = {
    [DOMAIN_STEP_DONE] = "done",
    [DOMAIN_STEP_CURRENT] = "current",
    [DOMAIN_STEP_TODO] = "todo",
};

const char *domain_step_state_name(enum domain_step_state s)
{
    return names_at(step_state_names, NAMES_COUNT(step_state_names), (int)s);
}

static const char *const todo_names[] = {
    [DOMAIN_TODO_NONE] = "none",
    [DOMAIN_TODO_PAY_BALANCE] = "pay_balance",
    [DOMAIN_TODO_LOAN_DOCUMENTS] = "loan_documents",
    [DOMAIN_TODO_ATTEND_DELIVERY] = "attend_delivery",
};

const char *domain_todo_name(enum domain_todo t)
{
    return names_at(todo_names, NAMES_COUNT(todo_names), (int)t);
}

/* Name tables of the showroom-floor enums (issue 4): lead statuses, invalid reasons,
 * follow-up ways, commands, notification kinds, visit and appointment states, conflicts and
 * complaints. One table per enum, wire name and Chinese name side by side, drives every
 * lookup in both directions. */
#include <string.h>

#include "domain.h"

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A wire name and the Chinese name shown to staff. "" is a value without a wire name. */
struct floor_name {
    const char *wire;
    const char *zh;
};

static const struct floor_name *floor_at(const struct floor_name *t, size_t n, int i)
{
    if (i < 0 || (size_t)i >= n || !t[i].wire)
        return NULL;
    return &t[i];
}

/* Index of `name`, -1 if absent; NULL and "" never match. */
static int floor_find(const struct floor_name *t, size_t n, const char *name)
{
    if (!name || !*name)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (t[i].wire && strcmp(t[i].wire, name) == 0)
            return (int)i;
    }
    return -1;
}

/* Defines prefix_name(), prefix_name_zh() and prefix_from_name() over `table`. */
#define FLOOR_NAMES(prefix, enumtype, table)                                 \
    const char *prefix##_name(enum enumtype v)                               \
    {                                                                        \
        const struct floor_name *r = floor_at(table, NAMES_COUNT(table), v); \
        return r ? r->wire : NULL;                                           \
    }                                                                        \
    const char *prefix##_name_zh(enum enumtype v)                            \
    {                                                                        \
        const struct floor_name *r = floor_at(table, NAMES_COUNT(table), v); \
        return r ? r->zh : NULL;                                             \
    }                                                                        \
    int prefix##_from_name(const char *name)                                 \
    {                                                                        \
        return floor_find(table, NAMES_COUNT(table), name);                  \
    }

/* Like FLOOR_NAMES without the Chinese name (commands, wire-only kinds). */
#define FLOOR_NAMES_WIRE(prefix, enumtype, table)                            \
    const char *prefix##_name(enum enumtype v)                               \
    {                                                                        \
        const struct floor_name *r = floor_at(table, NAMES_COUNT(table), v); \
        return r ? r->wire : NULL;                                           \
    }                                                                        \
    int prefix##_from_name(const char *name)                                 \
    {                                                                        \
        return floor_find(table, NAMES_COUNT(table), name);                  \
    }

/* The command of `names` for a client request type of the same wire name, -1 otherwise. */
static int floor_cmd_of_type(const struct floor_name *t, size_t n, enum proto_type type)
{
    const char *name = proto_type_name(type);
    if (!name || proto_type_from_name(name, PROTO_DIR_C2H) != (int)type)
        return -1;
    return floor_find(t, n, name);
}

/* ---- leads ---- */

static const struct floor_name lead_status_rows[DOMAIN_LEAD_STATUS__COUNT] = {
    [DOMAIN_LEAD_OPEN] = {"open", "跟进中"},
    [DOMAIN_LEAD_INVALID] = {"invalid", "无效线索"},
    [DOMAIN_LEAD_CONVERTED] = {"converted", "已成交"},
    [DOMAIN_LEAD_LOST] = {"lost", "战败"},
};
FLOOR_NAMES(domain_lead_status, domain_lead_status, lead_status_rows)

static const struct floor_name lead_invalid_rows[DOMAIN_LEAD_INVALID__COUNT] = {
    [DOMAIN_LEAD_INVALID_NONE] = {"", ""},
    [DOMAIN_LEAD_INVALID_MISSING_NAME] = {"missing_name", "缺少姓名"},
    [DOMAIN_LEAD_INVALID_MISSING_MODEL] = {"missing_model", "缺少意向车型"},
    [DOMAIN_LEAD_INVALID_MISSING_BUDGET] = {"missing_budget", "缺少预算"},
    [DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL] = {"unknown_channel", "来源渠道不明"},
    [DOMAIN_LEAD_INVALID_UNKNOWN_MODEL] = {"unknown_model", "车型不存在"},
    [DOMAIN_LEAD_INVALID_UNREACHABLE] = {"unreachable", "无法联系"},
    [DOMAIN_LEAD_INVALID_DUPLICATE] = {"duplicate", "重复线索"},
    [DOMAIN_LEAD_INVALID_NOT_BUYING] = {"not_buying", "无购车意向"},
    [DOMAIN_LEAD_INVALID_OTHER] = {"other", "其他"},
};
FLOOR_NAMES(domain_lead_invalid, domain_lead_invalid, lead_invalid_rows)

static const struct floor_name followup_way_rows[DOMAIN_FWAY__COUNT] = {
    [DOMAIN_FWAY_PHONE] = {"phone", "电话"},
    [DOMAIN_FWAY_SMS] = {"sms", "短信"},
    [DOMAIN_FWAY_EMAIL] = {"email", "邮件"},
    [DOMAIN_FWAY_VISIT] = {"visit", "到店"},
    [DOMAIN_FWAY_TEST_DRIVE_INVITE] = {"test_drive_invite", "邀约试驾"},
};
FLOOR_NAMES(domain_followup_way, domain_followup_way, followup_way_rows)

static const struct floor_name lead_field_rows[DOMAIN_LFIELD__COUNT] = {
    [DOMAIN_LFIELD_NAME] = {"name", "姓名"},
    [DOMAIN_LFIELD_MODEL] = {"model", "意向车型"},
    [DOMAIN_LFIELD_BUDGET] = {"budget_fen", "预算"},
    [DOMAIN_LFIELD_REGION] = {"region", "区域"},
    [DOMAIN_LFIELD_EXTERNAL_REF] = {"external_ref", "平台编号"},
    [DOMAIN_LFIELD_CREATED_AT] = {"created_at", "创建时间"},
};

const char *domain_lead_field_name(enum domain_lead_field f)
{
    const struct floor_name *r = floor_at(lead_field_rows, NAMES_COUNT(lead_field_rows), f);
    return r ? r->wire : NULL;
}

static const struct floor_name lead_due_rows[DOMAIN_LEAD_DUE__COUNT] = {
    [DOMAIN_LEAD_DUE_NONE] = {"", ""},
    [DOMAIN_LEAD_DUE_FIRST_CALLBACK] = {"first_callback", "首次回访"},
    [DOMAIN_LEAD_DUE_FOLLOWUP] = {"followup", "定期回访"},
};

const char *domain_lead_due_name(enum domain_lead_due d)
{
    const struct floor_name *r = floor_at(lead_due_rows, NAMES_COUNT(lead_due_rows), d);
    return r ? r->wire : NULL;
}

static const struct floor_name lead_cmd_rows[DOMAIN_LEAD_CMD__COUNT] = {
    [DOMAIN_LEAD_CREATE] = {"lead_create", ""},
    [DOMAIN_LEAD_ASSIGN] = {"lead_assign", ""},
    [DOMAIN_LEAD_FOLLOWUP] = {"lead_followup", ""},
    [DOMAIN_LEAD_GRADE] = {"lead_grade", ""},
    [DOMAIN_LEAD_INVALIDATE] = {"lead_invalidate", ""},
    [DOMAIN_LEAD_MONTH_END] = {"lead_month_end", ""},
    [DOMAIN_LEAD_GET] = {"lead_get", ""},
    [DOMAIN_LEAD_LIST] = {"lead_list", ""},
};
FLOOR_NAMES_WIRE(domain_lead_cmd, domain_lead_cmd, lead_cmd_rows)

int domain_lead_cmd_of_type(enum proto_type t)
{
    return floor_cmd_of_type(lead_cmd_rows, NAMES_COUNT(lead_cmd_rows), t);
}

int domain_lead_cmd_is_read(enum domain_lead_cmd c)
{
    return c == DOMAIN_LEAD_GET || c == DOMAIN_LEAD_LIST;
}

/* ---- grades: single characters, so a string table indexed by position ---- */

static const struct {
    char grade;
    int cadence_days;
    const char *zh;
} grade_rows[] = {
    {'H', 3, "H级(7天内购车)"}, {'A', 7, "A级(一个月内购车)"}, {'B', 15, "B级(三个月内购车)"},
    {'F', 0, "F级(战败)"},      {'L', 0, "L级(失控)"},         {'O', 0, "O级(已订车)"},
};

static int grade_index(char g)
{
    for (size_t i = 0; i < NAMES_COUNT(grade_rows); i++) {
        if (grade_rows[i].grade == g)
            return (int)i;
    }
    return -1;
}

int domain_grade_valid(char g)
{
    return grade_index(g) >= 0;
}

int domain_grade_from_name(const char *name)
{
    if (!name || !name[0] || name[1] || !domain_grade_valid(name[0]))
        return -1;
    return name[0];
}

const char *domain_grade_name_zh(char g)
{
    int i = grade_index(g);
    return i < 0 ? NULL : grade_rows[i].zh;
}

int domain_grade_cadence_days(char g)
{
    int i = grade_index(g);
    return i < 0 ? 0 : grade_rows[i].cadence_days;
}

int domain_grade_settable(char g)
{
    return domain_grade_valid(g) && g != 'O';
}

/* ---- notifications ---- */

static const struct floor_name notify_rows[DOMAIN_NOTIFY__COUNT] = {
    [DOMAIN_NOTIFY_CUSTOMER_ARRIVED] = {"customer_arrived", "客户到店"},
    [DOMAIN_NOTIFY_INVITED_CUSTOMER_ARRIVED] = {"invited_customer_arrived", "邀约客户到店"},
    [DOMAIN_NOTIFY_OWNED_CUSTOMER_ARRIVED] = {"owned_customer_arrived", "您的客户到店"},
    [DOMAIN_NOTIFY_LEAD_ASSIGNED] = {"lead_assigned", "新线索分配"},
    [DOMAIN_NOTIFY_LEAD_OVERDUE] = {"lead_overdue", "线索回访逾期"},
    [DOMAIN_NOTIFY_GRADE_DUE] = {"grade_due", "请确定意向级别"},
    [DOMAIN_NOTIFY_APPOINTMENT_NO_SHOW] = {"appointment_no_show", "预约客户未到店"},
    [DOMAIN_NOTIFY_CONFLICT_OPENED] = {"conflict_opened", "撞单待裁定"},
    [DOMAIN_NOTIFY_CONFLICT_RULED] = {"conflict_ruled", "撞单已裁定"},
    [DOMAIN_NOTIFY_CONFLICT_OVERDUE] = {"conflict_overdue", "撞单裁定逾期"},
    [DOMAIN_NOTIFY_COMPLAINT_ASSIGNED] = {"complaint_assigned", "投诉待处理"},
    [DOMAIN_NOTIFY_COMPLAINT_ESCALATED] = {"complaint_escalated", "投诉已升级"},
    [DOMAIN_NOTIFY_STAFF_CALLED] = {"staff_called", "前台呼叫"},
};
FLOOR_NAMES(domain_notify, domain_notify, notify_rows)

/* ---- visits and appointments ---- */

static const struct floor_name visit_status_rows[DOMAIN_VISIT_STATUS__COUNT] = {
    [DOMAIN_VISIT_WAITING] = {"waiting", "等待接待"},
    [DOMAIN_VISIT_SERVING] = {"serving", "接待中"},
    [DOMAIN_VISIT_DEPARTED] = {"departed", "已离店"},
};
FLOOR_NAMES(domain_visit_status, domain_visit_status, visit_status_rows)

static const struct floor_name visit_cmd_rows[DOMAIN_VISIT_CMD__COUNT] = {
    [DOMAIN_VISIT_SERVE] = {"visit_serve", ""},
    [DOMAIN_VISIT_DEPART] = {"visit_depart", ""},
    [DOMAIN_VISIT_APPOINTMENT_CREATE] = {"appointment_create", ""},
    [DOMAIN_VISIT_CALL_STAFF] = {"call_staff", ""},
};
FLOOR_NAMES_WIRE(domain_visit_cmd, domain_visit_cmd, visit_cmd_rows)

int domain_visit_cmd_of_type(enum proto_type t)
{
    return floor_cmd_of_type(visit_cmd_rows, NAMES_COUNT(visit_cmd_rows), t);
}

static const struct floor_name appt_state_rows[DOMAIN_APPT_STATE__COUNT] = {
    [DOMAIN_APPT_PENDING] = {"pending", "待到店"},
    [DOMAIN_APPT_SHOWN] = {"shown", "已到店"},
    [DOMAIN_APPT_NO_SHOW] = {"no_show", "未到店"},
};
FLOOR_NAMES(domain_appt_state, domain_appt_state, appt_state_rows)

/* ---- conflicts ---- */

static const struct floor_name conflict_status_rows[DOMAIN_CONFLICT__COUNT] = {
    [DOMAIN_CONFLICT_OPEN] = {"open", "待裁定"},
    [DOMAIN_CONFLICT_RULED] = {"ruled", "已裁定"},
};
FLOOR_NAMES(domain_conflict_status, domain_conflict_status, conflict_status_rows)

static const struct floor_name conflict_cmd_rows[DOMAIN_CONFLICT_CMD__COUNT] = {
    [DOMAIN_CONFLICT_RULE] = {"conflict_rule", ""},
    [DOMAIN_CONFLICT_LIST] = {"conflict_list", ""},
};
FLOOR_NAMES_WIRE(domain_conflict_cmd, domain_conflict_cmd, conflict_cmd_rows)

int domain_conflict_cmd_of_type(enum proto_type t)
{
    return floor_cmd_of_type(conflict_cmd_rows, NAMES_COUNT(conflict_cmd_rows), t);
}

/* ---- complaints ---- */

static const struct floor_name complaint_channel_rows[DOMAIN_CCHAN__COUNT] = {
    [DOMAIN_CCHAN_ON_SITE] = {"on_site", "现场"},
    [DOMAIN_CCHAN_CALL_CENTRE] = {"call_centre", "呼叫中心"},
    [DOMAIN_CCHAN_PHONE] = {"phone", "电话"},
    [DOMAIN_CCHAN_FAX] = {"fax", "传真"},
    [DOMAIN_CCHAN_EMAIL] = {"email", "电子邮件"},
    [DOMAIN_CCHAN_MEDIA] = {"media", "媒体"},
    [DOMAIN_CCHAN_LETTER] = {"letter", "信函"},
};
FLOOR_NAMES(domain_complaint_channel, domain_complaint_channel, complaint_channel_rows)

static const struct floor_name complaint_kind_rows[DOMAIN_CKIND__COUNT] = {
    [DOMAIN_CKIND_SERVICE] = {"service", "服务质量"},
    [DOMAIN_CKIND_PRODUCT] = {"product", "产品质量"},
};
FLOOR_NAMES(domain_complaint_kind, domain_complaint_kind, complaint_kind_rows)

static const struct floor_name complaint_validity_rows[DOMAIN_CVALID__COUNT] = {
    [DOMAIN_CVALID_PENDING] = {"pending", "待判定"},
    [DOMAIN_CVALID_VALID] = {"valid", "有效"},
    [DOMAIN_CVALID_INVALID] = {"invalid", "无效"},
};
FLOOR_NAMES(domain_complaint_validity, domain_complaint_validity, complaint_validity_rows)

static const struct floor_name complaint_status_rows[DOMAIN_CSTATE__COUNT] = {
    [DOMAIN_CSTATE_OPEN] = {"open", "待响应"},
    [DOMAIN_CSTATE_RESPONDED] = {"responded", "处理中"},
    [DOMAIN_CSTATE_CLOSED] = {"closed", "已关闭"},
    [DOMAIN_CSTATE_SURVEYED] = {"surveyed", "已回访"},
};
FLOOR_NAMES(domain_complaint_status, domain_complaint_status, complaint_status_rows)

static const struct floor_name complaint_response_rows[DOMAIN_CRESP__COUNT] = {
    [DOMAIN_CRESP_FIRST_RESPONSE] = {"first_response", "首次响应"},
    [DOMAIN_CRESP_CONTACT] = {"contact", "联系客户"},
    [DOMAIN_CRESP_PROGRESS] = {"progress", "进度反馈"},
};
FLOOR_NAMES_WIRE(domain_complaint_response, domain_complaint_response, complaint_response_rows)

static const struct floor_name complaint_cmd_rows[DOMAIN_COMPLAINT_CMD__COUNT] = {
    [DOMAIN_COMPLAINT_OPEN] = {"complaint_open", ""},
    [DOMAIN_COMPLAINT_RESPOND] = {"complaint_respond", ""},
    [DOMAIN_COMPLAINT_VALIDITY] = {"complaint_validity", ""},
    [DOMAIN_COMPLAINT_ESCALATE] = {"complaint_escalate", ""},
    [DOMAIN_COMPLAINT_CLOSE] = {"complaint_close", ""},
    [DOMAIN_COMPLAINT_SURVEY] = {"complaint_survey", ""},
    [DOMAIN_COMPLAINT_GET] = {"complaint_get", ""},
    [DOMAIN_COMPLAINT_LIST] = {"complaint_list", ""},
};
FLOOR_NAMES_WIRE(domain_complaint_cmd, domain_complaint_cmd, complaint_cmd_rows)

int domain_complaint_cmd_of_type(enum proto_type t)
{
    return floor_cmd_of_type(complaint_cmd_rows, NAMES_COUNT(complaint_cmd_rows), t);
}

int domain_complaint_cmd_is_read(enum domain_complaint_cmd c)
{
    return c == DOMAIN_COMPLAINT_GET || c == DOMAIN_COMPLAINT_LIST;
}

/* Levels are numbers 1..3, not an enum. */
static const struct floor_name level_rows[] = {
    {"supervisor", "销售主管"},
    {"manager", "部门经理"},
    {"general_manager", "总经理"},
};

const char *domain_complaint_level_name(int level)
{
    const struct floor_name *r = floor_at(level_rows, NAMES_COUNT(level_rows), level - 1);
    return r ? r->wire : NULL;
}

const char *domain_complaint_level_name_zh(int level)
{
    const struct floor_name *r = floor_at(level_rows, NAMES_COUNT(level_rows), level - 1);
    return r ? r->zh : NULL;
}

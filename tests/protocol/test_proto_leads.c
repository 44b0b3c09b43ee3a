/* The args of the lead, reception, conflict and complaint requests (PROTOCOL.md "Leads",
 * "Reception and visits", "Conflicts", "Complaints"): a full example of each decodes with its
 * fields intact, and a table of bad args gets the exact error code and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args_cases.h"
#include "proto.h"

#define OK PROTO_E_OK

static const struct args_case cases[] = {
    /* lead_create: the phone and channel are required; a missing name/model/budget is the
     * hub's to flag, not the decoder's to refuse */
    {PROTO_T_LEAD_CREATE,
     "{\"phone\":\"139 0000 0021\",\"name\":\"刘芳\",\"gender\":\"female\",\"model\":\"HX7\","
     "\"budget_fen\":20000000,\"channel\":\"web_autohome\",\"region\":\"浦东\","
     "\"external_ref\":\"AH-778\",\"created_at\":1795300000000}",
     OK, NULL},
    {PROTO_T_LEAD_CREATE, "{\"phone\":\"13900000021\",\"channel\":\"phone_in\"}", OK, NULL},
    {PROTO_T_LEAD_CREATE, "{\"channel\":\"phone_in\"}", PROTO_E_MISSING_FIELD, "phone"},
    {PROTO_T_LEAD_CREATE, "{\"phone\":\"13900000021\"}", PROTO_E_MISSING_FIELD, "channel"},
    {PROTO_T_LEAD_CREATE, "{\"phone\":\"13900000021\",\"channel\":\"x\",\"budget_fen\":-1}",
     PROTO_E_OUT_OF_RANGE, "budget_fen"},
    {PROTO_T_LEAD_CREATE, "{\"phone\":\"13900000021\",\"channel\":\"x\",\"grade\":\"H\"}",
     PROTO_E_UNKNOWN_FIELD, "grade"},
    {PROTO_T_LEAD_CREATE,
     "{\"phone\":\"13900000021\",\"channel\":\"x\",\"region\":"
     "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
     PROTO_E_TOO_LONG, "region"},
    /* lead_assign: a staff number or a role for the rule */
    {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":4,\"staff_no\":\"S002\",\"reason\":\"休假\"}", OK, NULL},
    {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":4,\"role\":\"telesales\"}", OK, NULL},
    {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":4,\"role\":\"finance\"}", PROTO_E_BAD_FIELD, "role"},
    {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":0}", PROTO_E_OUT_OF_RANGE, "lead_id"},
    {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":\"4\"}", PROTO_E_BAD_FIELD, "lead_id"},
    /* follow-ups and grades */
    {PROTO_T_LEAD_FOLLOWUP,
     "{\"lead_id\":4,\"way\":\"test_drive_invite\",\"content\":\"邀请试驾\",\"feedback\":"
     "\"周六来\","
     "\"grade\":\"H\"}",
     OK, NULL},
    {PROTO_T_LEAD_FOLLOWUP, "{\"lead_id\":4,\"way\":\"fax\",\"content\":\"x\"}", PROTO_E_BAD_FIELD,
     "way"},
    {PROTO_T_LEAD_FOLLOWUP, "{\"lead_id\":4,\"way\":\"sms\",\"content\":\"\"}", PROTO_E_BAD_FIELD,
     "content"},
    {PROTO_T_LEAD_FOLLOWUP, "{\"lead_id\":4,\"way\":\"sms\",\"content\":\"x\",\"grade\":\"O\"}",
     PROTO_E_BAD_FIELD, "grade"},
    {PROTO_T_LEAD_GRADE, "{\"lead_id\":4,\"grade\":\"L\"}", OK, NULL},
    {PROTO_T_LEAD_GRADE, "{\"lead_id\":4}", PROTO_E_MISSING_FIELD, "grade"},
    {PROTO_T_LEAD_INVALIDATE, "{\"lead_id\":4,\"reason\":\"unreachable\",\"note\":\"空号\"}", OK,
     NULL},
    {PROTO_T_LEAD_INVALIDATE, "{\"lead_id\":4,\"reason\":\"空号\"}", PROTO_E_BAD_FIELD, "reason"},
    {PROTO_T_LEAD_INVALIDATE, "{\"lead_id\":4}", PROTO_E_MISSING_FIELD, "reason"},
    {PROTO_T_LEAD_MONTH_END, "{}", OK, NULL},
    {PROTO_T_LEAD_MONTH_END, "{\"month\":\"2026-11\"}", PROTO_E_UNKNOWN_FIELD, "month"},
    {PROTO_T_LEAD_GET, "{\"lead_id\":9007199254740991}", OK, NULL},
    {PROTO_T_LEAD_LIST,
     "{\"status\":\"open\",\"grade\":\"O\",\"owner\":\"S001\",\"overdue\":true,\"q\":\"0021\","
     "\"limit\":200,\"offset\":0}",
     OK, NULL},
    {PROTO_T_LEAD_LIST, "{\"limit\":201}", PROTO_E_OUT_OF_RANGE, "limit"},
    {PROTO_T_LEAD_LIST, "{\"status\":\"closed\"}", PROTO_E_BAD_FIELD, "status"},
    /* visits, appointments, calling staff */
    {PROTO_T_VISIT_SERVE, "{\"visit_id\":12}", OK, NULL},
    {PROTO_T_VISIT_SERVE, "{}", PROTO_E_MISSING_FIELD, "visit_id"},
    {PROTO_T_VISIT_DEPART, "{\"visit_id\":12,\"grade\":\"A\",\"trade_in\":\"2018 帕萨特\"}", OK,
     NULL},
    {PROTO_T_VISIT_DEPART, "{\"visit_id\":12,\"trade_in\":true}", PROTO_E_BAD_FIELD, "trade_in"},
    {PROTO_T_APPOINTMENT_CREATE, "{\"lead_id\":4,\"at\":1795330000000,\"note\":\"看车\"}", OK,
     NULL},
    {PROTO_T_APPOINTMENT_CREATE, "{\"phone\":\"13900000021\",\"at\":1795330000000}", OK, NULL},
    {PROTO_T_APPOINTMENT_CREATE, "{\"lead_id\":4}", PROTO_E_MISSING_FIELD, "at"},
    {PROTO_T_CALL_STAFF, "{}", OK, NULL},
    {PROTO_T_CALL_STAFF, "{\"reason\":\"需要帮助\"}", OK, NULL},
    {PROTO_T_CALL_STAFF, "{\"reason\":5}", PROTO_E_BAD_FIELD, "reason"},
    /* conflicts */
    {PROTO_T_CONFLICT_RULE, "{\"conflict_id\":1,\"winner\":\"S001\",\"reason\":\"先建档\"}", OK,
     NULL},
    {PROTO_T_CONFLICT_RULE, "{\"conflict_id\":1,\"winner\":\"S001\"}", PROTO_E_MISSING_FIELD,
     "reason"},
    {PROTO_T_CONFLICT_LIST, "{\"status\":\"ruled\",\"limit\":5}", OK, NULL},
    {PROTO_T_CONFLICT_LIST, "{\"status\":\"closed\"}", PROTO_E_BAD_FIELD, "status"},
    /* complaints */
    {PROTO_T_COMPLAINT_OPEN,
     "{\"phone\":\"13900000021\",\"name\":\"刘芳\",\"channel\":\"call_centre\",\"kind\":"
     "\"product\","
     "\"summary\":\"异响\",\"order_no\":\"SF2611-0012\"}",
     OK, NULL},
    {PROTO_T_COMPLAINT_OPEN,
     "{\"phone\":\"13900000021\",\"channel\":\"wechat\",\"kind\":\"service\",\"summary\":\"x\"}",
     PROTO_E_BAD_FIELD, "channel"},
    {PROTO_T_COMPLAINT_OPEN, "{\"phone\":\"13900000021\",\"channel\":\"fax\",\"kind\":\"service\"}",
     PROTO_E_MISSING_FIELD, "summary"},
    {PROTO_T_COMPLAINT_RESPOND, "{\"complaint_id\":3,\"kind\":\"progress\",\"text\":\"已联系\"}",
     OK, NULL},
    {PROTO_T_COMPLAINT_RESPOND, "{\"complaint_id\":3,\"kind\":\"reply\",\"text\":\"x\"}",
     PROTO_E_BAD_FIELD, "kind"},
    {PROTO_T_COMPLAINT_VALIDITY, "{\"complaint_id\":3,\"valid\":false,\"reason\":\"误会\"}", OK,
     NULL},
    {PROTO_T_COMPLAINT_VALIDITY, "{\"complaint_id\":3}", PROTO_E_MISSING_FIELD, "valid"},
    {PROTO_T_COMPLAINT_ESCALATE, "{\"complaint_id\":3,\"reason\":\"超时\"}", OK, NULL},
    {PROTO_T_COMPLAINT_CLOSE, "{\"complaint_id\":3,\"resolution\":\"已更换\"}", OK, NULL},
    {PROTO_T_COMPLAINT_CLOSE, "{\"complaint_id\":3}", PROTO_E_MISSING_FIELD, "resolution"},
    {PROTO_T_COMPLAINT_SURVEY, "{\"complaint_id\":3,\"satisfaction\":5,\"comment\":\"好\"}", OK,
     NULL},
    {PROTO_T_COMPLAINT_SURVEY, "{\"complaint_id\":3,\"satisfaction\":6}", PROTO_E_OUT_OF_RANGE,
     "satisfaction"},
    {PROTO_T_COMPLAINT_SURVEY, "{\"complaint_id\":3,\"satisfaction\":0}", PROTO_E_OUT_OF_RANGE,
     "satisfaction"},
    {PROTO_T_COMPLAINT_GET, "{\"complaint_id\":3}", OK, NULL},
    {PROTO_T_COMPLAINT_LIST, "{\"status\":\"open\",\"level\":3,\"limit\":1,\"offset\":2}", OK,
     NULL},
    {PROTO_T_COMPLAINT_LIST, "{\"level\":4}", PROTO_E_OUT_OF_RANGE, "level"},
};

/* Every case through both paths (args_cases.c). */
static void test_table(void **state)
{
    (void)state;
    assert_int_equal(args_cases_run(cases, sizeof cases / sizeof cases[0]), 0);
}

/* Every new type is a client request with an id, and its name maps back to it. */
static void test_types(void **state)
{
    (void)state;
    static const enum proto_type types[] = {
        PROTO_T_LEAD_CREATE,       PROTO_T_LEAD_ASSIGN,        PROTO_T_LEAD_FOLLOWUP,
        PROTO_T_LEAD_GRADE,        PROTO_T_LEAD_INVALIDATE,    PROTO_T_LEAD_MONTH_END,
        PROTO_T_LEAD_GET,          PROTO_T_LEAD_LIST,          PROTO_T_VISIT_SERVE,
        PROTO_T_VISIT_DEPART,      PROTO_T_APPOINTMENT_CREATE, PROTO_T_CALL_STAFF,
        PROTO_T_CONFLICT_RULE,     PROTO_T_CONFLICT_LIST,      PROTO_T_COMPLAINT_OPEN,
        PROTO_T_COMPLAINT_RESPOND, PROTO_T_COMPLAINT_VALIDITY, PROTO_T_COMPLAINT_ESCALATE,
        PROTO_T_COMPLAINT_CLOSE,   PROTO_T_COMPLAINT_SURVEY,   PROTO_T_COMPLAINT_GET,
        PROTO_T_COMPLAINT_LIST,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const char *name = proto_type_name(types[i]);
        assert_non_null(name);
        assert_int_equal(proto_type_from_name(name, PROTO_DIR_C2H), types[i]);
        assert_int_equal(proto_type_from_name(name, PROTO_DIR_H2C), -1);
        /* a request without an id is refused: these are commands or reads */
        char frame[128];
        snprintf(frame, sizeof frame, "{\"type\":\"%s\",\"args\":{}}", name);
        struct proto_msg m;
        struct proto_error err = {0};
        assert_int_equal(proto_decode(frame, strlen(frame), PROTO_DIR_C2H, &m, &err, NULL), -1);
        assert_int_equal(err.code, PROTO_E_BAD_MESSAGE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The full "Who may send what" matrix of PROTOCOL.md: every mode against every message
 * type, written out explicitly so that adding a type or a permission is a visible change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain.h"

/* Columns: reception, status, delivery, board, api. */
static const struct {
    enum proto_type type;
    int allowed[DOMAIN_MODE__COUNT];
} matrix[] = {
    {PROTO_T_HELLO, {0, 0, 0, 0, 0}},       /* hub to client */
    {PROTO_T_AUTH, {0, 0, 0, 0, 0}},        /* phase frame: the session handles it */
    {PROTO_T_AUTH_OK, {0, 0, 0, 0, 0}},     /* hub to client */
    {PROTO_T_AUTH_FAILED, {0, 0, 0, 0, 0}}, /* hub to client */
    {PROTO_T_PING, {1, 1, 1, 1, 1}},
    {PROTO_T_SUBSCRIBE, {1, 1, 1, 1, 0}},
    {PROTO_T_STAFF_LOGIN, {0, 0, 1, 1, 1}},
    {PROTO_T_STAFF_LOGOUT, {0, 0, 1, 1, 1}},
    {PROTO_T_CHECKIN, {1, 0, 0, 0, 0}},
    {PROTO_T_ORDER_LOOKUP, {0, 1, 0, 0, 0}},
    /* order commands and reads: where staff log in */
    {PROTO_T_ORDER_CREATE, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_REVIEW, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_APPROVE, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_EDIT, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_RESUBMIT, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_ALLOCATE, {0, 0, 1, 1, 1}},
    {PROTO_T_VEHICLE_ARRIVED, {0, 0, 1, 1, 1}},
    {PROTO_T_VEHICLE_PREP, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_ETA, {0, 0, 1, 1, 1}},
    {PROTO_T_PAYMENT_CONFIRM, {0, 0, 1, 1, 1}},
    {PROTO_T_INVOICE_ISSUE, {0, 0, 1, 1, 1}},
    {PROTO_T_LOAN_STEP, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_READY, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_DELIVER, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CLOSE, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CHANGE_REQUEST, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CHANGE_REVIEW, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CANCEL_REQUEST, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CANCEL_REVIEW, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_CANCEL_APPROVE, {0, 0, 1, 1, 1}},
    {PROTO_T_REFUND_CONFIRM, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_NOTE, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_GET, {0, 0, 1, 1, 1}},
    {PROTO_T_ORDER_LIST, {0, 0, 1, 1, 1}},
    /* issue 4: lead, visit, appointment, conflict and complaint commands, where staff log in */
    {PROTO_T_LEAD_CREATE, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_ASSIGN, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_FOLLOWUP, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_GRADE, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_INVALIDATE, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_MONTH_END, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_GET, {0, 0, 1, 1, 1}},
    {PROTO_T_LEAD_LIST, {0, 0, 1, 1, 1}},
    {PROTO_T_VISIT_SERVE, {0, 0, 1, 1, 1}},
    {PROTO_T_VISIT_DEPART, {0, 0, 1, 1, 1}},
    {PROTO_T_APPOINTMENT_CREATE, {0, 0, 1, 1, 1}},
    {PROTO_T_CALL_STAFF, {1, 0, 0, 0, 0}}, /* the reception kiosk only */
    {PROTO_T_CONFLICT_RULE, {0, 0, 1, 1, 1}},
    {PROTO_T_CONFLICT_LIST, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_OPEN, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_RESPOND, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_VALIDITY, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_ESCALATE, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_CLOSE, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_SURVEY, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_GET, {0, 0, 1, 1, 1}},
    {PROTO_T_COMPLAINT_LIST, {0, 0, 1, 1, 1}},
    {PROTO_T_BOARD_STATS, {0, 0, 0, 1, 1}},
    {PROTO_T_PAIR, {0, 0, 0, 0, 0}}, /* before authentication only */
    {PROTO_T_HEARTBEAT, {1, 1, 1, 1, 0}},
    {PROTO_T_CONTROL_RESULT, {1, 1, 1, 1, 0}},
    {PROTO_T_CHECKIN_LOOKUP, {1, 0, 0, 0, 0}},  /* the reception kiosk only */
    {PROTO_T_CUSTOMER_EXPORT, {0, 0, 0, 0, 1}}, /* personal data: the HTTP API only */
    {PROTO_T_CUSTOMER_ERASE, {0, 0, 0, 0, 1}},
    {PROTO_T_RESULT, {0, 0, 0, 0, 0}},        /* hub to client */
    {PROTO_T_SNAPSHOT, {0, 0, 0, 0, 0}},      /* hub to client */
    {PROTO_T_EVENT, {0, 0, 0, 0, 0}},         /* hub to client */
    {PROTO_T_CLOSING, {0, 0, 0, 0, 0}},       /* hub to client */
    {PROTO_T_PAIRING, {0, 0, 0, 0, 0}},       /* hub to client */
    {PROTO_T_PAIRED, {0, 0, 0, 0, 0}},        /* hub to client */
    {PROTO_T_CONTROL, {0, 0, 0, 0, 0}},       /* hub to client */
    {PROTO_T_DEVICE_CONFIG, {0, 0, 0, 0, 0}}, /* hub to client */
};

static void test_matrix_covers_every_type(void **state)
{
    int seen[PROTO_T__COUNT] = {0};
    assert_int_equal(sizeof(matrix) / sizeof(matrix[0]), PROTO_T__COUNT);
    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        assert_true(matrix[i].type >= 0 && matrix[i].type < PROTO_T__COUNT);
        assert_int_equal(seen[matrix[i].type], 0);
        seen[matrix[i].type] = 1;
    }
}

static void test_full_matrix(void **state)
{
    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
            int got = domain_mode_allows((enum domain_mode)m, matrix[i].type);
            if (got != matrix[i].allowed[m])
                fail_msg("mode %d type %d: got %d want %d", m, (int)matrix[i].type, got,
                         matrix[i].allowed[m]);
        }
    }
}

static void test_out_of_range(void **state)
{
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        assert_int_equal(domain_mode_allows(DOMAIN_MODE__COUNT, (enum proto_type)t), 0);
        assert_int_equal(domain_mode_allows((enum domain_mode) - 1, (enum proto_type)t), 0);
    }
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
        assert_int_equal(domain_mode_allows((enum domain_mode)m, PROTO_T__COUNT), 0);
        assert_int_equal(domain_mode_allows((enum domain_mode)m, (enum proto_type) - 1), 0);
    }
}

/* Every order command is a request type of the same wire name, and nothing else is. */
static void test_order_cmd_of_type(void **state)
{
    int seen[DOMAIN_ORDER__COUNT] = {0};
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        int c = domain_order_cmd_of_type((enum proto_type)t);
        if (c < 0)
            continue;
        assert_true(c < DOMAIN_ORDER__COUNT);
        assert_string_equal(domain_order_cmd_name((enum domain_order_cmd)c),
                            proto_type_name((enum proto_type)t));
        seen[c]++;
    }
    for (int c = 0; c < DOMAIN_ORDER__COUNT; c++)
        assert_int_equal(seen[c], 1);
    assert_int_equal(domain_order_cmd_of_type(PROTO_T_ORDER_LOOKUP), -1);
    assert_int_equal(domain_order_cmd_of_type(PROTO_T_RESULT), -1);
    assert_int_equal(domain_order_cmd_of_type(PROTO_T__COUNT), -1);
    assert_int_equal(domain_order_cmd_of_type((enum proto_type) - 1), -1);
    assert_int_equal(domain_order_cmd_of_type(PROTO_T_ORDER_CLOSE), DOMAIN_ORDER_CLOSE);
    assert_int_equal(domain_order_cmd_of_type(PROTO_T_PAYMENT_CONFIRM),
                     DOMAIN_ORDER_PAYMENT_CONFIRM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_covers_every_type),
        cmocka_unit_test(test_full_matrix),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_order_cmd_of_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

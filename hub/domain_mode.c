/* Which requests each kiosk mode may send: the table of PROTOCOL.md "Who may send what".
 * One row per request type; a type without a row (auth, every hub-to-client type, any type
 * added later) is forbidden for every mode until someone writes its row. Order commands
 * and reads need a logged-in staff member, so only staff modes send them. */
#include "domain.h"

#define MODE_BIT(m) (1u << (m))
#define MODES_KIOSK                                                   \
    (MODE_BIT(DOMAIN_MODE_RECEPTION) | MODE_BIT(DOMAIN_MODE_STATUS) | \
     MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_BOARD))
/* Modes where staff log in: the delivery and board kiosks, and api clients (DMS, CLI). */
#define MODES_STAFF \
    (MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_API))

static const struct mode_rule {
    enum proto_type type;
    unsigned modes; /* MODE_BIT of each mode allowed to send it */
} mode_rules[] = {
    {PROTO_T_PING, MODES_KIOSK | MODE_BIT(DOMAIN_MODE_API)},
    {PROTO_T_SUBSCRIBE, MODES_KIOSK},
    {PROTO_T_STAFF_LOGIN, MODES_STAFF},
    {PROTO_T_STAFF_LOGOUT, MODES_STAFF},
    {PROTO_T_CHECKIN, MODE_BIT(DOMAIN_MODE_RECEPTION)},
    {PROTO_T_ORDER_LOOKUP, MODE_BIT(DOMAIN_MODE_STATUS)},
    {PROTO_T_ORDER_CREATE, MODES_STAFF},
    {PROTO_T_ORDER_REVIEW, MODES_STAFF},
    {PROTO_T_ORDER_APPROVE, MODES_STAFF},
    {PROTO_T_ORDER_EDIT, MODES_STAFF},
    {PROTO_T_ORDER_RESUBMIT, MODES_STAFF},
    {PROTO_T_ORDER_ALLOCATE, MODES_STAFF},
    {PROTO_T_VEHICLE_ARRIVED, MODES_STAFF},
    {PROTO_T_VEHICLE_PREP, MODES_STAFF},
    {PROTO_T_ORDER_ETA, MODES_STAFF},
    {PROTO_T_PAYMENT_CONFIRM, MODES_STAFF},
    {PROTO_T_INVOICE_ISSUE, MODES_STAFF},
    {PROTO_T_LOAN_STEP, MODES_STAFF},
    {PROTO_T_ORDER_READY, MODES_STAFF},
    {PROTO_T_ORDER_DELIVER, MODES_STAFF},
    {PROTO_T_ORDER_CLOSE, MODES_STAFF},
    {PROTO_T_ORDER_CHANGE_REQUEST, MODES_STAFF},
    {PROTO_T_ORDER_CHANGE_REVIEW, MODES_STAFF},
    {PROTO_T_ORDER_CANCEL_REQUEST, MODES_STAFF},
    {PROTO_T_ORDER_CANCEL_REVIEW, MODES_STAFF},
    {PROTO_T_ORDER_CANCEL_APPROVE, MODES_STAFF},
    {PROTO_T_REFUND_CONFIRM, MODES_STAFF},
    {PROTO_T_ORDER_NOTE, MODES_STAFF},
    {PROTO_T_ORDER_GET, MODES_STAFF},
    {PROTO_T_ORDER_LIST, MODES_STAFF},
    /* leads, visits, appointments, conflicts, complaints (issue 4): staff commands */
    {PROTO_T_LEAD_CREATE, MODES_STAFF},
    {PROTO_T_LEAD_ASSIGN, MODES_STAFF},
    {PROTO_T_LEAD_FOLLOWUP, MODES_STAFF},
    {PROTO_T_LEAD_GRADE, MODES_STAFF},
    {PROTO_T_LEAD_INVALIDATE, MODES_STAFF},
    {PROTO_T_LEAD_MONTH_END, MODES_STAFF},
    {PROTO_T_LEAD_GET, MODES_STAFF},
    {PROTO_T_LEAD_LIST, MODES_STAFF},
    {PROTO_T_VISIT_SERVE, MODES_STAFF},
    {PROTO_T_VISIT_DEPART, MODES_STAFF},
    {PROTO_T_APPOINTMENT_CREATE, MODES_STAFF},
    /* the reception kiosk calls for staff on the customer's behalf, nobody logged in */
    {PROTO_T_CALL_STAFF, MODE_BIT(DOMAIN_MODE_RECEPTION)},
    {PROTO_T_CONFLICT_RULE, MODES_STAFF},
    {PROTO_T_CONFLICT_LIST, MODES_STAFF},
    {PROTO_T_COMPLAINT_OPEN, MODES_STAFF},
    {PROTO_T_COMPLAINT_RESPOND, MODES_STAFF},
    {PROTO_T_COMPLAINT_VALIDITY, MODES_STAFF},
    {PROTO_T_COMPLAINT_ESCALATE, MODES_STAFF},
    {PROTO_T_COMPLAINT_CLOSE, MODES_STAFF},
    {PROTO_T_COMPLAINT_SURVEY, MODES_STAFF},
    {PROTO_T_COMPLAINT_GET, MODES_STAFF},
    {PROTO_T_COMPLAINT_LIST, MODES_STAFF},
    /* the board's figures: the same numbers as the reports (hub/ANALYTICS.md) */
    {PROTO_T_BOARD_STATS, MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_API)},
    /* fleet health and remote-control answers come from kiosks only; `pair` has no row:
     * it is only ever sent before authentication (hub/FLEET.md) */
    {PROTO_T_HEARTBEAT, MODES_KIOSK},
    {PROTO_T_CONTROL_RESULT, MODES_KIOSK},
    /* the reception kiosk asks the new-customer questions only when the hub says so */
    {PROTO_T_CHECKIN_LOOKUP, MODE_BIT(DOMAIN_MODE_RECEPTION)},
    /* a customer's personal data, exported or erased on request: staff of the office, through
     * the HTTP API (the `showfloor customer` CLI), never from a screen on the floor */
    {PROTO_T_CUSTOMER_EXPORT, MODE_BIT(DOMAIN_MODE_API)},
    {PROTO_T_CUSTOMER_ERASE, MODE_BIT(DOMAIN_MODE_API)},
};

int domain_mode_allows(enum domain_mode m, enum proto_type t)
{
    if ((int)m < 0 || m >= DOMAIN_MODE__COUNT)
        return 0;
    for (size_t i = 0; i < sizeof(mode_rules) / sizeof(mode_rules[0]); i++) {
        if (mode_rules[i].type == t)
            return (mode_rules[i].modes & MODE_BIT(m)) != 0;
    }
    return 0;
}

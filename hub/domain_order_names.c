/* Name tables of the order life cycle's enums: commands (their wire request types), customer
 * kinds, credit ratings, conditions, channels, allocation kinds, preparation and loan steps,
 * payment kinds, documents, checklist items, communication ways and changeable fields. One
 * table per enum drives both directions of each lookup. */
#include <string.h>

#include "domain.h"

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Index of `name` in a table of `n` names, -1 if absent (NULL and "" never match: "" marks a
 * value that has no wire name, such as "no rating"). */
static int names_find(const char *const *names, size_t n, const char *name)
{
    if (!name || !*name)
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

/* Defines NAME_name() and NAME_from_name() over the table `table`. */
#define NAMES_DEFINE(prefix, enumtype, table)               \
    const char *prefix##_name(enum enumtype v)              \
    {                                                       \
        return names_at(table, NAMES_COUNT(table), (int)v); \
    }                                                       \
    int prefix##_from_name(const char *name)                \
    {                                                       \
        return names_find(table, NAMES_COUNT(table), name); \
    }

static const char *const order_cmd_names[DOMAIN_ORDER__COUNT] = {
    [DOMAIN_ORDER_CREATE] = "order_create",
    [DOMAIN_ORDER_REVIEW] = "order_review",
    [DOMAIN_ORDER_APPROVE] = "order_approve",
    [DOMAIN_ORDER_EDIT] = "order_edit",
    [DOMAIN_ORDER_RESUBMIT] = "order_resubmit",
    [DOMAIN_ORDER_ALLOCATE] = "order_allocate",
    [DOMAIN_ORDER_VEHICLE_ARRIVED] = "vehicle_arrived",
    [DOMAIN_ORDER_VEHICLE_PREP] = "vehicle_prep",
    [DOMAIN_ORDER_ETA] = "order_eta",
    [DOMAIN_ORDER_PAYMENT_CONFIRM] = "payment_confirm",
    [DOMAIN_ORDER_INVOICE_ISSUE] = "invoice_issue",
    [DOMAIN_ORDER_LOAN_STEP] = "loan_step",
    [DOMAIN_ORDER_READY] = "order_ready",
    [DOMAIN_ORDER_DELIVER] = "order_deliver",
    [DOMAIN_ORDER_CLOSE] = "order_close",
    [DOMAIN_ORDER_CHANGE_REQUEST] = "order_change_request",
    [DOMAIN_ORDER_CHANGE_REVIEW] = "order_change_review",
    [DOMAIN_ORDER_CANCEL_REQUEST] = "order_cancel_request",
    [DOMAIN_ORDER_CANCEL_REVIEW] = "order_cancel_review",
    [DOMAIN_ORDER_CANCEL_APPROVE] = "order_cancel_approve",
    [DOMAIN_ORDER_REFUND_CONFIRM] = "refund_confirm",
    [DOMAIN_ORDER_NOTE] = "order_note",
    [DOMAIN_ORDER_GET] = "order_get",
    [DOMAIN_ORDER_LIST] = "order_list",
};
NAMES_DEFINE(domain_order_cmd, domain_order_cmd, order_cmd_names)

int domain_order_cmd_of_type(enum proto_type t)
{
    const char *name = proto_type_name(t);
    /* only client requests: a hub-to-client type of the same name is not a command */
    if (!name || proto_type_from_name(name, PROTO_DIR_C2H) != (int)t)
        return -1;
    return domain_order_cmd_from_name(name);
}

int domain_order_cmd_is_read(enum domain_order_cmd c)
{
    return c == DOMAIN_ORDER_GET || c == DOMAIN_ORDER_LIST;
}

static const char *const customer_kind_names[] = {
    [DOMAIN_CUSTOMER_INDIVIDUAL] = "individual",
    [DOMAIN_CUSTOMER_COMPANY] = "company",
};
NAMES_DEFINE(domain_customer_kind, domain_customer_kind, customer_kind_names)

static const char *const credit_names[DOMAIN_CREDIT__COUNT] = {
    [DOMAIN_CREDIT_NONE] = "", [DOMAIN_CREDIT_A] = "A", [DOMAIN_CREDIT_B] = "B",
    [DOMAIN_CREDIT_C] = "C",   [DOMAIN_CREDIT_D] = "D",
};
NAMES_DEFINE(domain_credit, domain_credit, credit_names)

static const char *const condition_names[DOMAIN_COND__COUNT] = {
    [DOMAIN_COND_GUARANTEE] = "guarantee",
    [DOMAIN_COND_LARGER_DOWN_PAYMENT] = "larger_down_payment",
    [DOMAIN_COND_SHORTER_TERM] = "shorter_term",
};
NAMES_DEFINE(domain_condition, domain_condition, condition_names)

static const char *const order_channel_names[DOMAIN_OCHAN__COUNT] = {
    [DOMAIN_OCHAN_CONSULTANT] = "consultant",
    [DOMAIN_OCHAN_ONLINE] = "online",
    [DOMAIN_OCHAN_PHONE] = "phone",
    [DOMAIN_OCHAN_SHOWROOM] = "showroom",
};
NAMES_DEFINE(domain_order_channel, domain_order_channel, order_channel_names)

static const char *const alloc_names[] = {
    [DOMAIN_ALLOC_NONE] = "",
    [DOMAIN_ALLOC_STOCK] = "stock",
    [DOMAIN_ALLOC_FACTORY] = "factory",
};
NAMES_DEFINE(domain_alloc, domain_alloc, alloc_names)

static const char *const prep_step_names[DOMAIN_PREP__COUNT] = {
    [DOMAIN_PREP_CLEANING] = "cleaning",
    [DOMAIN_PREP_INSPECTION] = "inspection",
    [DOMAIN_PREP_MAINTENANCE] = "maintenance",
};
NAMES_DEFINE(domain_prep_step, domain_prep_step, prep_step_names)

static const char *const loan_step_names[DOMAIN_LOAN__COUNT] = {
    [DOMAIN_LOAN_DOCUMENTS] = "documents",
    [DOMAIN_LOAN_BANK_APPROVED] = "bank_approved",
    [DOMAIN_LOAN_CONTRACT_SIGNED] = "contract_signed",
};
NAMES_DEFINE(domain_loan_step, domain_loan_step, loan_step_names)

static const char *const pay_kind_names[DOMAIN_PAYK__COUNT] = {
    [DOMAIN_PAYK_DEPOSIT] = "deposit",
    [DOMAIN_PAYK_BALANCE] = "balance",
    [DOMAIN_PAYK_DOWN_PAYMENT] = "down_payment",
    [DOMAIN_PAYK_LOAN_DISBURSEMENT] = "loan_disbursement",
};
NAMES_DEFINE(domain_pay_kind, domain_pay_kind, pay_kind_names)

static const char *const doc_names[DOMAIN_DOC__COUNT] = {
    [DOMAIN_DOC_INVOICE] = "invoice",
    [DOMAIN_DOC_COC] = "coc",
    [DOMAIN_DOC_WARRANTY] = "warranty",
};
NAMES_DEFINE(domain_doc, domain_doc, doc_names)

static const char *const check_names[DOMAIN_CHECK__COUNT] = {
    [DOMAIN_CHECK_VEHICLE_CLEAN] = "vehicle_clean",
    [DOMAIN_CHECK_INVOICE] = "invoice",
    [DOMAIN_CHECK_COC] = "coc",
    [DOMAIN_CHECK_WARRANTY] = "warranty",
    [DOMAIN_CHECK_KEYS] = "keys",
    [DOMAIN_CHECK_ACCESSORIES] = "accessories",
    [DOMAIN_CHECK_EXPLAINED] = "explained",
};
NAMES_DEFINE(domain_check, domain_check, check_names)

static const char *const note_way_names[DOMAIN_WAY__COUNT] = {
    [DOMAIN_WAY_PHONE] = "phone",
    [DOMAIN_WAY_EMAIL] = "email",
    [DOMAIN_WAY_FACE_TO_FACE] = "face_to_face",
    [DOMAIN_WAY_SMS] = "sms",
    [DOMAIN_WAY_WECHAT] = "wechat",
};
NAMES_DEFINE(domain_note_way, domain_note_way, note_way_names)

static const char *const order_field_names[DOMAIN_OFIELD__COUNT] = {
    [DOMAIN_OFIELD_MODEL] = "model",
    [DOMAIN_OFIELD_CONFIG] = "config",
    [DOMAIN_OFIELD_COLOUR] = "colour",
    [DOMAIN_OFIELD_QUANTITY] = "quantity",
    [DOMAIN_OFIELD_UNIT_PRICE] = "unit_price_fen",
    [DOMAIN_OFIELD_PAYMENT] = "payment",
    [DOMAIN_OFIELD_EXPECTED_DELIVERY] = "expected_delivery_at",
    [DOMAIN_OFIELD_DELIVERY_PLACE] = "delivery_place",
    [DOMAIN_OFIELD_SPECIAL_REQUESTS] = "special_requests",
    [DOMAIN_OFIELD_REMARKS] = "remarks",
};
NAMES_DEFINE(domain_order_field, domain_order_field, order_field_names)

/* The vehicle itself: a change here means a different car. */
#define OFIELDS_VEHICLE                                                                 \
    (DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_MODEL) | DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_CONFIG) | \
     DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_COLOUR) | DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_QUANTITY))

int domain_order_change_needs_manager(unsigned fields)
{
    /* DOMAIN.md: price or configuration changes also need a manager; money (payment
     * method) and the car itself count as both. */
    unsigned manager = OFIELDS_VEHICLE | DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE) |
                       DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_PAYMENT);
    return (fields & manager) != 0;
}

int domain_order_change_touches_vehicle(unsigned fields)
{
    return (fields & OFIELDS_VEHICLE) != 0;
}

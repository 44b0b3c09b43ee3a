/* Who may do what to an order, and when: one rule row per command (roles, whether a
 * consultant must own the order, stages) plus the command's own sub-state and argument
 * checks (DOMAIN.md "Orders"; DOMAIN_RULES.md "Order life cycle"). Decisions only: the
 * transitions themselves are domain_order_apply.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "domain_rule.h"

#define ROLE(r)   (1u << (r))
#define ROLES_ALL ((1u << DOMAIN_ROLE__COUNT) - 1u)
#define STG(s)    (1u << (s))
/* Stages before delivery that are not cancelled (domain_stage_is_open). */
#define STG_OPEN                                                                           \
    (STG(DOMAIN_STAGE_ENTERED) | STG(DOMAIN_STAGE_REVIEWED) | STG(DOMAIN_STAGE_RETURNED) | \
     STG(DOMAIN_STAGE_APPROVED) | STG(DOMAIN_STAGE_ALLOCATED) | STG(DOMAIN_STAGE_PAID) |   \
     STG(DOMAIN_STAGE_READY))
#define STG_ALL ((1u << DOMAIN_STAGE__COUNT) - 1u)

typedef int (*order_check_fn)(const struct domain_order_state *s, const struct domain_actor *a,
                              const struct domain_order_args *args, struct proto_error *err);

struct order_rule {
    unsigned roles;          /* ROLE bits allowed to send the command */
    bool own;                /* a consultant may act only on their own orders */
    unsigned stages;         /* STG bits the order must be in (0: no order yet) */
    const char *stages_text; /* the same in words, for the invalid_state message */
    order_check_fn check;    /* sub-state and argument rules, NULL if none */
};

/* ---- messages ---- */

/* invalid_state naming the order's current stage in words: "order is allocated (已配车): ..." */
__attribute__((format(printf, 3, 4))) static int
bad_state(struct proto_error *err, const struct domain_order_state *s, const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "order is %s (%s): %s",
                           domain_stage_name(s->stage), domain_stage_name_zh(s->stage), why);
}

/* ---- shared argument rules ---- */

static int quantity_ok(int q)
{
    return q >= 1 && q <= DOMAIN_ORDER_MAX_QUANTITY;
}

static int unit_price_ok(int64_t p)
{
    return p >= 1 && p <= DOMAIN_ORDER_MAX_UNIT_PRICE_FEN;
}

static int payment_ok(enum domain_payment p)
{
    return p == DOMAIN_PAY_FULL || p == DOMAIN_PAY_LOAN;
}

/* Quantity, unit price and payment as given to order_edit / order_change_request (field
 * names prefixed with `prefix`): in range, the new total not below the money already paid,
 * and no switch away from a loan whose money has started to arrive. */
static int money_args(const struct domain_order_state *s, const struct domain_order_args *args,
                      const char *prefix, struct proto_error *err)
{
    char field[48];
    int q = args->has_quantity ? args->quantity : s->quantity;
    int64_t p = args->has_unit_price ? args->unit_price_fen : s->unit_price_fen;
    if (args->has_quantity && !quantity_ok(args->quantity)) {
        snprintf(field, sizeof field, "%squantity", prefix);
        return domain_rule_bad_field(err, field, "must be 1..99");
    }
    if (args->has_unit_price && !unit_price_ok(args->unit_price_fen)) {
        snprintf(field, sizeof field, "%sunit_price_fen", prefix);
        return domain_rule_bad_field(err, field, "must be a positive price");
    }
    if ((int64_t)q * p < s->paid_fen) {
        snprintf(field, sizeof field, "%s%s", prefix,
                 args->has_unit_price ? "unit_price_fen" : "quantity");
        return domain_rule_bad_field(err, field, "the new total is below the money already paid");
    }
    if (args->has_payment) {
        snprintf(field, sizeof field, "%spayment", prefix);
        if (!payment_ok(args->payment))
            return domain_rule_bad_field(err, field, "must be full or loan");
        if (args->payment == DOMAIN_PAY_FULL && s->payment == DOMAIN_PAY_LOAN &&
            (s->down_payment_fen > 0 || s->loan_disbursed_fen > 0))
            return domain_rule_bad_field(err, field, "loan money has already been received");
    }
    return 0;
}

/* ---- per-command rules ---- */

static int check_create(const struct domain_order_state *s, const struct domain_actor *a,
                        const struct domain_order_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!quantity_ok(args->quantity))
        return domain_rule_bad_field(err, "quantity", "must be 1..99");
    if (!unit_price_ok(args->unit_price_fen))
        return domain_rule_bad_field(err, "unit_price_fen", "must be a positive price");
    if (!payment_ok(args->payment))
        return domain_rule_bad_field(err, "payment", "must be full or loan");
    if (!domain_customer_kind_name(args->customer_kind))
        return domain_rule_bad_field(err, "customer_kind", "must be individual or company");
    if (!domain_credit_name(args->credit_rating))
        return domain_rule_bad_field(err, "credit_rating", "must be A, B, C or D");
    if (args->customer_kind == DOMAIN_CUSTOMER_INDIVIDUAL &&
        args->credit_rating != DOMAIN_CREDIT_NONE)
        return domain_rule_bad_field(err, "credit_rating", "only companies carry a credit rating");
    return 0;
}

static int check_review(const struct domain_order_state *s, const struct domain_actor *a,
                        const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (!args->pass)
        return args->has_reason ? 0 : domain_rule_bad_field(err, "reason", "required when failing");
    if (args->conditions < 0 || args->conditions > DOMAIN_COND__COUNT)
        return domain_rule_bad_field(err, "conditions", "at most one of each condition");
    /* DOMAIN.md: a poor company credit rating needs a guarantee, a larger down payment or a
     * shorter term before the order may go on */
    if (s->customer_kind == DOMAIN_CUSTOMER_COMPANY &&
        (s->credit_rating == DOMAIN_CREDIT_C || s->credit_rating == DOMAIN_CREDIT_D) &&
        args->conditions == 0)
        return domain_rule_bad_field(err, "conditions", "required to pass a company rated C or D");
    return 0;
}

static int check_approve(const struct domain_order_state *s, const struct domain_actor *a,
                         const struct domain_order_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!args->pass && !args->has_reason)
        return domain_rule_bad_field(err, "reason", "required when rejecting");
    return 0;
}

static int check_edit(const struct domain_order_state *s, const struct domain_actor *a,
                      const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (money_args(s, args, "", err) < 0)
        return -1;
    enum domain_customer_kind kind =
        args->has_customer_kind ? args->customer_kind : s->customer_kind;
    if (args->has_customer_kind && !domain_customer_kind_name(args->customer_kind))
        return domain_rule_bad_field(err, "customer_kind", "must be individual or company");
    if (args->has_credit_rating) {
        if (!domain_credit_name(args->credit_rating))
            return domain_rule_bad_field(err, "credit_rating", "must be A, B, C or D");
        if (kind == DOMAIN_CUSTOMER_INDIVIDUAL && args->credit_rating != DOMAIN_CREDIT_NONE)
            return domain_rule_bad_field(err, "credit_rating",
                                         "only companies carry a credit rating");
    }
    return 0;
}

static int check_allocate(const struct domain_order_state *s, const struct domain_actor *a,
                          const struct domain_order_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (args->factory_eta < 0)
        return domain_rule_bad_field(err, "factory_eta", "must be a time");
    if (args->has_vin == (args->factory_eta > 0))
        return domain_rule_bad_field(err, "vin", "give either a stock vin or a factory_eta");
    return 0;
}

static int check_vehicle_arrived(const struct domain_order_state *s, const struct domain_actor *a,
                                 const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->alloc_kind != DOMAIN_ALLOC_FACTORY)
        return bad_state(err, s, "not a factory order");
    if (s->has_vin)
        return bad_state(err, s, "the vehicle has already arrived");
    if (!args->has_vin)
        return domain_rule_bad_field(err, "vin", "required");
    return 0;
}

static int check_vehicle_prep(const struct domain_order_state *s, const struct domain_actor *a,
                              const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (!s->has_vin)
        return bad_state(err, s, "no vehicle to prepare yet");
    if (!domain_prep_step_name(args->prep_step))
        return domain_rule_bad_field(err, "step", "must be cleaning, inspection or maintenance");
    if (s->prep_at[args->prep_step])
        return domain_rule_bad_field(err, "step", "already done");
    return 0;
}

static int check_eta(const struct domain_order_state *s, const struct domain_actor *a,
                     const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    /* once allocated, only a factory order still waiting for its car has an ETA to move */
    if (s->stage != DOMAIN_STAGE_APPROVED) {
        if (s->alloc_kind != DOMAIN_ALLOC_FACTORY)
            return bad_state(err, s, "the vehicle is from stock; there is no ETA");
        if (s->has_vin)
            return bad_state(err, s, "the vehicle has already arrived");
    }
    if (args->eta <= 0)
        return domain_rule_bad_field(err, "eta", "must be a time");
    if (!args->has_reason)
        return domain_rule_bad_field(err, "reason", "required");
    return 0;
}

static int check_payment(const struct domain_order_state *s, const struct domain_actor *a,
                         const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (args->amount_fen <= 0)
        return domain_rule_bad_field(err, "amount_fen", "must be positive");
    if (!domain_pay_kind_name(args->pay_kind))
        return domain_rule_bad_field(err, "kind", "unknown payment kind");
    bool loan_kind = args->pay_kind == DOMAIN_PAYK_DOWN_PAYMENT ||
                     args->pay_kind == DOMAIN_PAYK_LOAN_DISBURSEMENT;
    if (loan_kind && s->payment != DOMAIN_PAY_LOAN)
        return domain_rule_bad_field(err, "kind",
                                     "only loan orders take down payments and disbursements");
    if (args->pay_kind == DOMAIN_PAYK_LOAN_DISBURSEMENT) {
        /* seeds: documents, bank approval, contract, down payment, then the bank pays */
        if (!s->loan_at[DOMAIN_LOAN_CONTRACT_SIGNED])
            return bad_state(err, s, "the loan contract is not signed yet");
        if (s->down_payment_fen <= 0)
            return bad_state(err, s, "the down payment is not confirmed yet");
        if (s->loan_disbursed_fen > 0)
            return bad_state(err, s, "the loan has already been disbursed");
    }
    if (args->amount_fen > s->total_fen - s->paid_fen) {
        char why[96];
        snprintf(why, sizeof why, "more than the %lld fen still due",
                 (long long)(s->total_fen - s->paid_fen));
        return domain_rule_bad_field(err, "amount_fen", why);
    }
    return 0;
}

static int check_invoice(const struct domain_order_state *s, const struct domain_actor *a,
                         const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->invoice_issued)
        return bad_state(err, s, "the invoice has already been issued");
    if (!args->has_invoice_no)
        return domain_rule_bad_field(err, "invoice_no", "required");
    return 0;
}

static int check_loan_step(const struct domain_order_state *s, const struct domain_actor *a,
                           const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->payment != DOMAIN_PAY_LOAN)
        return bad_state(err, s, "paid in full, there is no loan");
    if (!domain_loan_step_name(args->loan_step))
        return domain_rule_bad_field(err, "step",
                                     "must be documents, bank_approved or contract_signed");
    if (s->loan_at[args->loan_step])
        return domain_rule_bad_field(err, "step", "already done");
    if (args->loan_step > 0 && !s->loan_at[args->loan_step - 1]) {
        char why[64];
        snprintf(why, sizeof why, "%s comes first", domain_loan_step_name(args->loan_step - 1));
        return domain_rule_bad_field(err, "step", why);
    }
    return 0;
}

/* Nothing may be pending when the car is handed over. */
static int nothing_pending(const struct domain_order_state *s, struct proto_error *err)
{
    if (s->change_pending)
        return bad_state(err, s, "a change request is pending review");
    if (s->cancel_pending)
        return bad_state(err, s, "a cancellation is pending review");
    return 0;
}

static int check_ready(const struct domain_order_state *s, const struct domain_actor *a,
                       const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (!domain_order_money_complete(s))
        return bad_state(err, s, "%lld fen still due", (long long)(s->total_fen - s->paid_fen));
    if (!s->invoice_issued)
        return bad_state(err, s, "the invoice has not been issued");
    if (!s->has_vin)
        return bad_state(err, s, "no vehicle yet");
    for (int i = 0; i < DOMAIN_PREP__COUNT; i++) {
        if (!s->prep_at[i])
            return bad_state(err, s, "vehicle %s not done", domain_prep_step_name(i));
    }
    if (nothing_pending(s, err) < 0)
        return -1;
    if (!args->documents_all)
        return domain_rule_bad_field(err, "documents",
                                     "invoice, coc and warranty must all be prepared");
    return 0;
}

static int check_deliver(const struct domain_order_state *s, const struct domain_actor *a,
                         const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    /* never hand over a car before all money is in (a change may have raised the total) */
    if (!domain_order_money_complete(s))
        return bad_state(err, s, "%lld fen still due", (long long)(s->total_fen - s->paid_fen));
    if (nothing_pending(s, err) < 0)
        return -1;
    if (!args->checklist_all)
        return domain_rule_bad_field(err, "checklist", "every item must be checked");
    if (args->rating != 0 && (args->rating < 1 || args->rating > 5))
        return domain_rule_bad_field(err, "rating", "must be 1..5");
    return 0;
}

static int check_change_request(const struct domain_order_state *s, const struct domain_actor *a,
                                const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->change_pending)
        return bad_state(err, s, "a change request is already pending");
    if (args->change_fields == 0 || args->change_fields >= (1u << DOMAIN_OFIELD__COUNT))
        return domain_rule_bad_field(err, "changes", "name at least one changeable field");
    if (!args->has_reason)
        return domain_rule_bad_field(err, "reason", "required");
    return money_args(s, args, "changes.", err);
}

static int check_change_review(const struct domain_order_state *s, const struct domain_actor *a,
                               const struct domain_order_args *args, struct proto_error *err)
{
    (void)args;
    if (!s->change_pending)
        return bad_state(err, s, "no change request is pending");
    if (s->change_supervisor_approved) {
        if (a->role != DOMAIN_ROLE_MANAGER)
            return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                                   "this change also needs a manager's approval");
    } else if (a->role != DOMAIN_ROLE_SUPERVISOR) {
        return bad_state(err, s, "the change awaits the supervisor's review first");
    }
    /* money may have arrived since the request: the final approval re-checks that the
     * change still fits what has been paid */
    bool final = s->change_supervisor_approved || !s->change_needs_manager;
    if (args->pass && final) {
        if ((int64_t)s->change_quantity * s->change_unit_price_fen < s->paid_fen)
            return bad_state(err, s, "the changed total is now below the money paid");
        if (s->change_payment == DOMAIN_PAY_FULL && s->payment == DOMAIN_PAY_LOAN &&
            (s->down_payment_fen > 0 || s->loan_disbursed_fen > 0))
            return bad_state(err, s, "loan money has been received since the request");
    }
    return 0;
}

static int check_cancel_request(const struct domain_order_state *s, const struct domain_actor *a,
                                const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->cancel_pending)
        return bad_state(err, s, "a cancellation is already pending");
    if (!args->has_reason)
        return domain_rule_bad_field(err, "reason", "required");
    return 0;
}

static int check_cancel_review(const struct domain_order_state *s, const struct domain_actor *a,
                               const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    (void)args;
    if (!s->cancel_pending)
        return bad_state(err, s, "no cancellation is pending");
    if (s->cancel_supervisor_approved)
        return bad_state(err, s, "the cancellation awaits the manager");
    return 0;
}

static int check_cancel_approve(const struct domain_order_state *s, const struct domain_actor *a,
                                const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    (void)args;
    if (!s->cancel_pending)
        return bad_state(err, s, "no cancellation is pending");
    if (!s->cancel_supervisor_approved)
        return bad_state(err, s, "the cancellation awaits the supervisor's review first");
    return 0;
}

static int check_refund(const struct domain_order_state *s, const struct domain_actor *a,
                        const struct domain_order_args *args, struct proto_error *err)
{
    (void)a;
    if (s->refund_due_fen <= 0)
        return bad_state(err, s, "no refund is due");
    if (s->refunded_fen >= s->refund_due_fen)
        return bad_state(err, s, "the refund has already been confirmed");
    if (args->amount_fen <= 0)
        return domain_rule_bad_field(err, "amount_fen", "must be positive");
    if (args->amount_fen > s->refund_due_fen - s->refunded_fen)
        return domain_rule_bad_field(err, "amount_fen", "more than the refund still due");
    return 0;
}

/* ---- the table: state x command -> rule ---- */

#define R_CONS ROLE(DOMAIN_ROLE_CONSULTANT)
#define R_SUP  ROLE(DOMAIN_ROLE_SUPERVISOR)
#define R_MGR  ROLE(DOMAIN_ROLE_MANAGER)
#define R_FIN  ROLE(DOMAIN_ROLE_FINANCE)
#define R_ADM  ROLE(DOMAIN_ROLE_ADMIN)

static const struct order_rule order_rules[DOMAIN_ORDER__COUNT] = {
    [DOMAIN_ORDER_CREATE] = {R_CONS, false, 0, "", check_create},
    [DOMAIN_ORDER_REVIEW] = {R_SUP, false, STG(DOMAIN_STAGE_ENTERED), "entered", check_review},
    [DOMAIN_ORDER_APPROVE] = {R_MGR, false, STG(DOMAIN_STAGE_REVIEWED), "reviewed", check_approve},
    [DOMAIN_ORDER_EDIT] = {R_CONS, true, STG(DOMAIN_STAGE_RETURNED), "returned", check_edit},
    [DOMAIN_ORDER_RESUBMIT] = {R_CONS, true, STG(DOMAIN_STAGE_RETURNED), "returned", NULL},
    [DOMAIN_ORDER_ALLOCATE] = {R_SUP | R_MGR, false, STG(DOMAIN_STAGE_APPROVED), "approved",
                               check_allocate},
    [DOMAIN_ORDER_VEHICLE_ARRIVED] = {R_SUP | R_MGR, false,
                                      STG(DOMAIN_STAGE_ALLOCATED) | STG(DOMAIN_STAGE_PAID),
                                      "allocated or paid", check_vehicle_arrived},
    [DOMAIN_ORDER_VEHICLE_PREP] = {R_CONS, true,
                                   STG(DOMAIN_STAGE_ALLOCATED) | STG(DOMAIN_STAGE_PAID),
                                   "allocated or paid", check_vehicle_prep},
    [DOMAIN_ORDER_ETA] = {R_CONS | R_MGR, true,
                          STG(DOMAIN_STAGE_APPROVED) | STG(DOMAIN_STAGE_ALLOCATED) |
                              STG(DOMAIN_STAGE_PAID),
                          "approved, allocated or paid", check_eta},
    [DOMAIN_ORDER_PAYMENT_CONFIRM] = {R_FIN, false,
                                      STG(DOMAIN_STAGE_ENTERED) | STG(DOMAIN_STAGE_REVIEWED) |
                                          STG(DOMAIN_STAGE_RETURNED) | STG(DOMAIN_STAGE_APPROVED) |
                                          STG(DOMAIN_STAGE_ALLOCATED) | STG(DOMAIN_STAGE_PAID),
                                      "entered to paid", check_payment},
    [DOMAIN_ORDER_INVOICE_ISSUE] = {R_FIN, false, STG(DOMAIN_STAGE_PAID), "paid", check_invoice},
    [DOMAIN_ORDER_LOAN_STEP] = {R_CONS, true,
                                STG(DOMAIN_STAGE_APPROVED) | STG(DOMAIN_STAGE_ALLOCATED),
                                "approved or allocated", check_loan_step},
    [DOMAIN_ORDER_READY] = {R_CONS, true, STG(DOMAIN_STAGE_PAID), "paid", check_ready},
    [DOMAIN_ORDER_DELIVER] = {R_CONS, true, STG(DOMAIN_STAGE_READY), "ready", check_deliver},
    [DOMAIN_ORDER_CLOSE] = {R_MGR | R_ADM, false, STG(DOMAIN_STAGE_DELIVERED), "delivered", NULL},
    /* a returned order is edited directly, so no change request there */
    [DOMAIN_ORDER_CHANGE_REQUEST] = {R_CONS, true, STG_OPEN & ~STG(DOMAIN_STAGE_RETURNED),
                                     "open and not returned (edit a returned order)",
                                     check_change_request},
    [DOMAIN_ORDER_CHANGE_REVIEW] = {R_SUP | R_MGR, false, STG_OPEN, "open", check_change_review},
    [DOMAIN_ORDER_CANCEL_REQUEST] = {R_CONS | R_SUP, true, STG_OPEN, "open", check_cancel_request},
    [DOMAIN_ORDER_CANCEL_REVIEW] = {R_SUP, false, STG_OPEN, "open", check_cancel_review},
    [DOMAIN_ORDER_CANCEL_APPROVE] = {R_MGR, false, STG_OPEN, "open", check_cancel_approve},
    [DOMAIN_ORDER_REFUND_CONFIRM] = {R_FIN, false, STG(DOMAIN_STAGE_CANCELLED), "cancelled",
                                     check_refund},
    [DOMAIN_ORDER_NOTE] = {ROLES_ALL, false, STG_ALL, "any", NULL},
    [DOMAIN_ORDER_GET] = {ROLES_ALL, false, STG_ALL, "any", NULL},
    [DOMAIN_ORDER_LIST] = {ROLES_ALL, false, 0, "", NULL},
};

int domain_order_money_complete(const struct domain_order_state *s)
{
    return s->paid_fen >= s->total_fen;
}

int domain_order_check(const struct domain_order_state *s, const struct domain_actor *a,
                       enum domain_order_cmd cmd, const struct domain_order_args *args,
                       struct proto_error *err)
{
    static const struct domain_order_args no_args;
    if ((int)cmd < 0 || cmd >= DOMAIN_ORDER__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "unknown order command");
    if (!a || (int)a->role < 0 || a->role >= DOMAIN_ROLE__COUNT)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "unknown staff role");
    if (!args)
        args = &no_args;
    const struct order_rule *rule = &order_rules[cmd];

    if (!(rule->roles & ROLE(a->role))) {
        char who[96];
        domain_rule_roles_text(rule->roles, who, sizeof who);
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "%s needs the %s role, not %s",
                               domain_order_cmd_name(cmd), who, domain_role_name(a->role));
    }
    if (rule->stages == 0) /* create and list concern no existing order */
        return rule->check ? rule->check(s, a, args, err) : 0;
    if (!s || (int)s->stage < 0 || s->stage >= DOMAIN_STAGE__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "order state missing");
    if (rule->own && a->role == DOMAIN_ROLE_CONSULTANT && s->consultant_id != a->staff_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "only the order's own consultant may do this");
    if (!(rule->stages & STG(s->stage)))
        return bad_state(err, s, "%s needs an order that is %s", domain_order_cmd_name(cmd),
                         rule->stages_text);
    return rule->check ? rule->check(s, a, args, err) : 0;
}

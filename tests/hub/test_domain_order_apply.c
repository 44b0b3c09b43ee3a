/* What each order command does: every transition and its effects (stage from/to, vehicle
 * to reserve/release/deliver, refund due, change applied ...), money completing in every
 * order relative to allocation, changes with and without a manager, cancellations with and
 * without money and a reserved car, and whole life cycles walked command by command, each
 * step first passing domain_order_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define OWNER 7
#define TOTAL 30000000LL

static const struct domain_actor own = {OWNER, DOMAIN_ROLE_CONSULTANT};
static const struct domain_actor sup = {20, DOMAIN_ROLE_SUPERVISOR};
static const struct domain_actor mgr = {30, DOMAIN_ROLE_MANAGER};
static const struct domain_actor fin = {40, DOMAIN_ROLE_FINANCE};
static const struct domain_actor adm = {50, DOMAIN_ROLE_ADMIN};
static const struct domain_actor svc = {60, DOMAIN_ROLE_SERVICE};

/* Checks, then applies; fails the test if the command is refused. */
static void step_at(int line, struct domain_order_state *s, const struct domain_actor *a,
                    enum domain_order_cmd cmd, const struct domain_order_args *args, int64_t now,
                    struct domain_order_effects *fx)
{
    struct proto_error err;
    if (domain_order_check(s, a, cmd, args, &err) != 0)
        fail_msg("line %d: %s refused: %s", line, domain_order_cmd_name(cmd), err.message);
    domain_order_apply(s, a, cmd, args, now, fx);
}
#define STEP(s, a, cmd, args, now, fx) step_at(__LINE__, s, a, cmd, args, now, fx)

/* Asserts a stage change from -> to (from == to: no change). */
static void assert_stage(const struct domain_order_state *s, const struct domain_order_effects *fx,
                         enum domain_stage from, enum domain_stage to)
{
    assert_int_equal(s->stage, to);
    assert_int_equal(fx->stage_changed, from != to);
    if (from != to) {
        assert_int_equal(fx->from, from);
        assert_int_equal(fx->to, to);
    }
}

/* A new order: created by the owner at t=1000 for `total` fen in `pay`. */
static struct domain_order_state created(enum domain_payment pay, int quantity, int64_t unit)
{
    struct domain_order_state s;
    memset(&s, 0x5a, sizeof s); /* create must initialise everything */
    struct domain_order_args a = {
        .quantity = quantity, .unit_price_fen = unit, .payment = pay, .received_at = 400};
    struct domain_order_effects fx;
    struct proto_error err;
    assert_int_equal(domain_order_check(NULL, &own, DOMAIN_ORDER_CREATE, &a, &err), 0);
    domain_order_apply(&s, &own, DOMAIN_ORDER_CREATE, &a, 1000, &fx);
    return s;
}

static void test_create(void **state)
{
    (void)state;
    struct domain_order_state s = created(DOMAIN_PAY_LOAN, 3, 1000);
    assert_int_equal(s.stage, DOMAIN_STAGE_ENTERED);
    assert_int_equal(s.consultant_id, OWNER);
    assert_int_equal(s.payment, DOMAIN_PAY_LOAN);
    assert_int_equal(s.quantity, 3);
    assert_int_equal(s.unit_price_fen, 1000);
    assert_int_equal(s.total_fen, 3000);
    assert_int_equal(s.paid_fen, 0);
    assert_int_equal(s.alloc_kind, DOMAIN_ALLOC_NONE);
    assert_false(s.has_vin);
    assert_false(s.change_pending);
    assert_false(s.cancel_pending);
    assert_int_equal(s.refund_due_fen, 0);
    assert_int_equal(s.times.received_at, 400);
    assert_int_equal(s.times.created_at, 1000);
    assert_int_equal(s.times.entered_at, 1000);
    assert_int_equal(s.times.initial_decided_at, 0);
    assert_int_equal(s.times.closed_at, 0);

    /* received_at absent: now; company keeps its rating, an individual never has one */
    struct domain_order_args a = {.quantity = 1,
                                  .unit_price_fen = 5,
                                  .customer_kind = DOMAIN_CUSTOMER_COMPANY,
                                  .credit_rating = DOMAIN_CREDIT_C};
    struct domain_order_effects fx;
    domain_order_apply(&s, &own, DOMAIN_ORDER_CREATE, &a, 2000, &fx);
    assert_int_equal(s.times.received_at, 2000);
    assert_int_equal(s.customer_kind, DOMAIN_CUSTOMER_COMPANY);
    assert_int_equal(s.credit_rating, DOMAIN_CREDIT_C);
    assert_false(fx.stage_changed);
}

static void test_reviews_and_resubmit(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = created(DOMAIN_PAY_FULL, 1, TOTAL);
    struct domain_order_args fail = {.pass = false, .has_reason = true};
    struct domain_order_args pass = {.pass = true};

    STEP(&s, &sup, DOMAIN_ORDER_REVIEW, &fail, 2000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ENTERED, DOMAIN_STAGE_RETURNED);
    assert_int_equal(s.times.initial_decided_at, 2000);
    assert_int_equal(s.times.reviewed_at, 0);

    struct domain_order_args edit = {.has_quantity = true, .quantity = 2};
    STEP(&s, &own, DOMAIN_ORDER_EDIT, &edit, 2500, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_RETURNED, DOMAIN_STAGE_RETURNED);
    assert_int_equal(s.total_fen, 2 * TOTAL);
    edit = (struct domain_order_args){.has_unit_price = true, .unit_price_fen = 100};
    STEP(&s, &own, DOMAIN_ORDER_EDIT, &edit, 2600, &fx);
    assert_int_equal(s.total_fen, 200);

    STEP(&s, &own, DOMAIN_ORDER_RESUBMIT, NULL, 3000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_RETURNED, DOMAIN_STAGE_ENTERED);
    assert_int_equal(s.times.entered_at, 3000);

    STEP(&s, &sup, DOMAIN_ORDER_REVIEW, &pass, 4000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ENTERED, DOMAIN_STAGE_REVIEWED);
    assert_int_equal(s.times.reviewed_at, 4000);

    STEP(&s, &mgr, DOMAIN_ORDER_APPROVE, &fail, 5000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_REVIEWED, DOMAIN_STAGE_RETURNED);
    assert_int_equal(s.times.final_decided_at, 5000);
    STEP(&s, &own, DOMAIN_ORDER_RESUBMIT, NULL, 6000, &fx);
    STEP(&s, &sup, DOMAIN_ORDER_REVIEW, &pass, 7000, &fx);
    STEP(&s, &mgr, DOMAIN_ORDER_APPROVE, &pass, 8000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_REVIEWED, DOMAIN_STAGE_APPROVED);
    assert_int_equal(s.times.final_decided_at, 8000);
}

static struct domain_order_state approved(enum domain_payment pay)
{
    struct domain_order_effects fx;
    struct domain_order_state s = created(pay, 1, TOTAL);
    struct domain_order_args pass = {.pass = true};
    STEP(&s, &sup, DOMAIN_ORDER_REVIEW, &pass, 2000, &fx);
    STEP(&s, &mgr, DOMAIN_ORDER_APPROVE, &pass, 3000, &fx);
    return s;
}

static void pay(struct domain_order_state *s, enum domain_pay_kind kind, int64_t amount,
                int64_t now, struct domain_order_effects *fx)
{
    struct domain_order_args a = {.amount_fen = amount, .pay_kind = kind};
    STEP(s, &fin, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, now, fx);
}

static void test_allocate_then_money(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args stock = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &stock, 4000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_APPROVED, DOMAIN_STAGE_ALLOCATED);
    assert_true(fx.reserve_vehicle);
    assert_int_equal(s.alloc_kind, DOMAIN_ALLOC_STOCK);
    assert_true(s.has_vin);

    pay(&s, DOMAIN_PAYK_DEPOSIT, 1000000, 5000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_ALLOCATED);
    assert_false(fx.money_complete);
    assert_int_equal(s.paid_fen, 1000000);
    pay(&s, DOMAIN_PAYK_BALANCE, TOTAL - 1000000, 6000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_PAID);
    assert_true(fx.money_complete);
    assert_false(fx.reserve_vehicle);
    assert_int_equal(s.paid_fen, TOTAL);
}

static void test_money_then_allocate(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    /* money complete while still being reviewed: the stage waits for the car */
    struct domain_order_state s = created(DOMAIN_PAY_FULL, 1, TOTAL);
    pay(&s, DOMAIN_PAYK_DEPOSIT, TOTAL, 1500, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ENTERED, DOMAIN_STAGE_ENTERED);
    assert_true(fx.money_complete);
    struct domain_order_args pass = {.pass = true};
    STEP(&s, &sup, DOMAIN_ORDER_REVIEW, &pass, 2000, &fx);
    STEP(&s, &mgr, DOMAIN_ORDER_APPROVE, &pass, 3000, &fx);
    assert_int_equal(s.stage, DOMAIN_STAGE_APPROVED);
    struct domain_order_args factory = {.factory_eta = 99000};
    STEP(&s, &mgr, DOMAIN_ORDER_ALLOCATE, &factory, 4000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_APPROVED, DOMAIN_STAGE_PAID); /* straight through */
    assert_false(fx.reserve_vehicle); /* nothing in stock to reserve yet */
    assert_int_equal(s.alloc_kind, DOMAIN_ALLOC_FACTORY);
    assert_int_equal(s.eta, 99000);
    assert_false(s.has_vin);

    /* the factory car arrives after the money: reserved now, stage stays paid */
    struct domain_order_args vin = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_VEHICLE_ARRIVED, &vin, 5000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_PAID, DOMAIN_STAGE_PAID);
    assert_true(fx.reserve_vehicle);
    assert_true(s.has_vin);
}

/* Loan: documents, bank, contract, down payment, disbursement; the disbursement completes. */
static void test_loan_path(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_LOAN);
    for (int st = 0; st < DOMAIN_LOAN__COUNT; st++) {
        struct domain_order_args a = {.loan_step = (enum domain_loan_step)st};
        STEP(&s, &own, DOMAIN_ORDER_LOAN_STEP, &a, 3100 + st, &fx);
        assert_int_equal(s.loan_at[st], 3100 + st);
        assert_false(fx.stage_changed);
    }
    struct domain_order_args factory = {.factory_eta = 99000};
    STEP(&s, &mgr, DOMAIN_ORDER_ALLOCATE, &factory, 4000, &fx);
    pay(&s, DOMAIN_PAYK_DOWN_PAYMENT, 9000000, 5000, &fx);
    assert_int_equal(s.down_payment_fen, 9000000);
    assert_int_equal(s.stage, DOMAIN_STAGE_ALLOCATED);
    pay(&s, DOMAIN_PAYK_LOAN_DISBURSEMENT, TOTAL - 9000000, 6000, &fx);
    assert_int_equal(s.loan_disbursed_fen, TOTAL - 9000000);
    assert_int_equal(s.paid_fen, TOTAL);
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_PAID);
    assert_true(fx.money_complete);
}

/* The happy path from a paid stock order to closed, with every stamp. */
static void test_ready_deliver_close(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args stock = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &stock, 4000, &fx);
    for (int p = 0; p < DOMAIN_PREP__COUNT; p++) {
        struct domain_order_args a = {.prep_step = (enum domain_prep_step)p};
        STEP(&s, &own, DOMAIN_ORDER_VEHICLE_PREP, &a, 4100 + p, &fx);
        assert_int_equal(s.prep_at[p], 4100 + p);
    }
    pay(&s, DOMAIN_PAYK_BALANCE, TOTAL, 5000, &fx);
    struct domain_order_args inv = {.has_invoice_no = true};
    STEP(&s, &fin, DOMAIN_ORDER_INVOICE_ISSUE, &inv, 5500, &fx);
    assert_true(s.invoice_issued);
    struct domain_order_args docs = {.documents_all = true};
    STEP(&s, &own, DOMAIN_ORDER_READY, &docs, 6000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_PAID, DOMAIN_STAGE_READY);
    for (int d = 0; d < DOMAIN_DOC__COUNT; d++)
        assert_int_equal(s.doc_at[d], 6000);
    struct domain_order_args sign = {.checklist_all = true, .rating = 4};
    STEP(&s, &own, DOMAIN_ORDER_DELIVER, &sign, 7000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_READY, DOMAIN_STAGE_DELIVERED);
    assert_true(fx.deliver_vehicle);
    assert_int_equal(s.times.delivered_at, 7000);
    STEP(&s, &adm, DOMAIN_ORDER_CLOSE, NULL, 8000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_DELIVERED, DOMAIN_STAGE_CLOSED);
    assert_int_equal(s.times.closed_at, 8000);
    /* still readable and notable */
    struct domain_order_state before = s;
    STEP(&s, &svc, DOMAIN_ORDER_GET, NULL, 9000, &fx);
    STEP(&s, &svc, DOMAIN_ORDER_LIST, NULL, 9000, &fx);
    assert_memory_equal(&s, &before, sizeof s);
    assert_false(fx.stage_changed);
}

static void test_eta_and_notice(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args quiet = {.customer_visible = false};
    struct domain_order_args visible = {.customer_visible = true};
    STEP(&s, &svc, DOMAIN_ORDER_NOTE, &visible, 3500, &fx);
    assert_false(fx.eta_notified); /* nothing to notify about yet */
    assert_int_equal(s.times.eta_notified_at, 3500);
    struct domain_order_args eta = {.eta = 77777, .has_reason = true};
    STEP(&s, &own, DOMAIN_ORDER_ETA, &eta, 4000, &fx);
    assert_true(fx.eta_changed);
    assert_int_equal(s.eta, 77777);
    assert_int_equal(s.times.eta_changed_at, 4000);
    STEP(&s, &svc, DOMAIN_ORDER_NOTE, &quiet, 4500, &fx);
    assert_false(fx.eta_notified);
    assert_int_equal(s.times.eta_notified_at, 3500);
    STEP(&s, &own, DOMAIN_ORDER_NOTE, &visible, 5000, &fx);
    assert_true(fx.eta_notified);
    assert_int_equal(s.times.eta_notified_at, 5000);
    STEP(&s, &own, DOMAIN_ORDER_NOTE, &visible, 6000, &fx);
    assert_false(fx.eta_notified); /* already told */
}

static struct domain_order_args change_args(unsigned fields)
{
    struct domain_order_args a = {.has_reason = true, .change_fields = fields};
    return a;
}

static void test_change_without_manager(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_DELIVERY_PLACE) |
                                             DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_REMARKS));
    STEP(&s, &own, DOMAIN_ORDER_CHANGE_REQUEST, &a, 4000, &fx);
    assert_true(fx.change_opened);
    assert_true(s.change_pending);
    assert_false(s.change_needs_manager);
    assert_int_equal(s.change_quantity, 1);
    assert_int_equal(s.change_unit_price_fen, TOTAL);
    struct domain_order_args yes = {.pass = true};
    STEP(&s, &sup, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 5000, &fx);
    assert_true(fx.change_applied);
    assert_false(s.change_pending);
    assert_int_equal(s.total_fen, TOTAL);
    assert_stage(&s, &fx, DOMAIN_STAGE_APPROVED, DOMAIN_STAGE_APPROVED);

    /* rejected by the supervisor: closed, nothing applied */
    STEP(&s, &own, DOMAIN_ORDER_CHANGE_REQUEST, &a, 6000, &fx);
    struct domain_order_args no = {.pass = false};
    STEP(&s, &sup, DOMAIN_ORDER_CHANGE_REVIEW, &no, 7000, &fx);
    assert_true(fx.change_rejected);
    assert_false(fx.change_applied);
    assert_false(s.change_pending);
}

static void test_change_with_manager(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_REMARKS));
    a.has_unit_price = true; /* implies the unit price field */
    a.unit_price_fen = TOTAL + 500;
    STEP(&s, &own, DOMAIN_ORDER_CHANGE_REQUEST, &a, 4000, &fx);
    assert_true(s.change_needs_manager);
    assert_true(s.change_fields & DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE));
    assert_int_equal(s.change_unit_price_fen, TOTAL + 500);
    assert_int_equal(s.total_fen, TOTAL); /* nothing applied before approval */
    struct domain_order_args yes = {.pass = true}, no = {.pass = false};
    STEP(&s, &sup, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 5000, &fx);
    assert_false(fx.change_applied);
    assert_true(s.change_supervisor_approved);
    assert_int_equal(s.total_fen, TOTAL);
    STEP(&s, &mgr, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 6000, &fx);
    assert_true(fx.change_applied);
    assert_int_equal(s.unit_price_fen, TOTAL + 500);
    assert_int_equal(s.total_fen, TOTAL + 500);
    assert_false(s.change_pending);
    assert_false(s.change_supervisor_approved);

    /* the manager can still say no after the supervisor said yes */
    a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_PAYMENT));
    a.has_payment = true;
    a.payment = DOMAIN_PAY_LOAN;
    STEP(&s, &own, DOMAIN_ORDER_CHANGE_REQUEST, &a, 7000, &fx);
    STEP(&s, &sup, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 7100, &fx);
    STEP(&s, &mgr, DOMAIN_ORDER_CHANGE_REVIEW, &no, 7200, &fx);
    assert_true(fx.change_rejected);
    assert_int_equal(s.payment, DOMAIN_PAY_FULL);
    assert_false(s.change_pending);
}

/* A stock order that is paid, prepared and invoiced. */
static struct domain_order_state paid_stock(void)
{
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args stock = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &stock, 4000, &fx);
    for (int p = 0; p < DOMAIN_PREP__COUNT; p++) {
        struct domain_order_args a = {.prep_step = (enum domain_prep_step)p};
        STEP(&s, &own, DOMAIN_ORDER_VEHICLE_PREP, &a, 4100, &fx);
    }
    pay(&s, DOMAIN_PAYK_BALANCE, TOTAL, 5000, &fx);
    struct domain_order_args inv = {.has_invoice_no = true};
    STEP(&s, &fin, DOMAIN_ORDER_INVOICE_ISSUE, &inv, 5500, &fx);
    assert_int_equal(s.stage, DOMAIN_STAGE_PAID);
    return s;
}

static void approve_change(struct domain_order_state *s, struct domain_order_args *a,
                           struct domain_order_effects *fx)
{
    struct domain_order_args yes = {.pass = true};
    STEP(s, &own, DOMAIN_ORDER_CHANGE_REQUEST, a, 6000, fx);
    STEP(s, &sup, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 6100, fx);
    if (s->change_pending)
        STEP(s, &mgr, DOMAIN_ORDER_CHANGE_REVIEW, &yes, 6200, fx);
}

/* The stage follows the money: a price rise after payment goes back to allocated and voids
 * the invoice; paying the difference completes it again; a price cut can complete it. */
static void test_change_moves_money(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = paid_stock();
    struct domain_order_args a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE));
    a.has_unit_price = true;
    a.unit_price_fen = TOTAL + 100;
    approve_change(&s, &a, &fx);
    assert_true(fx.change_applied);
    assert_true(fx.invoice_voided);
    assert_false(s.invoice_issued);
    assert_false(fx.release_vehicle); /* same car */
    assert_stage(&s, &fx, DOMAIN_STAGE_PAID, DOMAIN_STAGE_ALLOCATED);
    pay(&s, DOMAIN_PAYK_BALANCE, 100, 7000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_PAID);

    /* allocated with a deposit; cutting the price to the deposit completes the money */
    s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args stock = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &stock, 4000, &fx);
    pay(&s, DOMAIN_PAYK_DEPOSIT, 1000000, 4500, &fx);
    a.unit_price_fen = 1000000;
    approve_change(&s, &a, &fx);
    assert_false(fx.invoice_voided); /* there was none */
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_PAID);
    assert_int_equal(s.total_fen, 1000000);
}

/* A different car after allocation: the reserved one goes back to stock and the order waits
 * for a new allocation at approved; a factory order has nothing reserved to release. */
static void test_change_of_vehicle(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = paid_stock();
    struct domain_order_args a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_COLOUR));
    approve_change(&s, &a, &fx);
    assert_true(fx.change_applied);
    assert_true(fx.release_vehicle);
    assert_true(fx.alloc_cleared);
    assert_false(fx.invoice_voided); /* same total and payment */
    assert_stage(&s, &fx, DOMAIN_STAGE_PAID, DOMAIN_STAGE_APPROVED);
    assert_int_equal(s.alloc_kind, DOMAIN_ALLOC_NONE);
    assert_false(s.has_vin);
    for (int p = 0; p < DOMAIN_PREP__COUNT; p++)
        assert_int_equal(s.prep_at[p], 0);
    /* the money is all in: a new stock car goes straight to paid */
    struct domain_order_args stock = {.has_vin = true};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &stock, 8000, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_APPROVED, DOMAIN_STAGE_PAID);
    assert_true(fx.reserve_vehicle);

    s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args factory = {.factory_eta = 50000};
    STEP(&s, &sup, DOMAIN_ORDER_ALLOCATE, &factory, 4000, &fx);
    a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_MODEL));
    approve_change(&s, &a, &fx);
    assert_false(fx.release_vehicle);
    assert_true(fx.alloc_cleared);
    assert_stage(&s, &fx, DOMAIN_STAGE_ALLOCATED, DOMAIN_STAGE_APPROVED);
    assert_int_equal(s.eta, 0);

    /* before allocation a different car changes nothing else */
    s = created(DOMAIN_PAY_FULL, 1, TOTAL);
    a = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_CONFIG));
    approve_change(&s, &a, &fx);
    assert_true(fx.change_applied);
    assert_false(fx.alloc_cleared);
    assert_stage(&s, &fx, DOMAIN_STAGE_ENTERED, DOMAIN_STAGE_ENTERED);
}

static void request_cancel(struct domain_order_state *s, struct domain_order_effects *fx)
{
    struct domain_order_args a = {.has_reason = true};
    STEP(s, &own, DOMAIN_ORDER_CANCEL_REQUEST, &a, 9000, fx);
    assert_true(fx->cancel_opened);
    assert_true(s->cancel_pending);
    assert_false(fx->stage_changed);
}

static void test_cancel_without_money(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = created(DOMAIN_PAY_FULL, 1, TOTAL);
    request_cancel(&s, &fx);
    struct domain_order_args yes = {.pass = true, .needs_manager = false};
    STEP(&s, &sup, DOMAIN_ORDER_CANCEL_REVIEW, &yes, 9100, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_ENTERED, DOMAIN_STAGE_CANCELLED);
    assert_true(fx.cancelled);
    assert_false(fx.refund_due);
    assert_int_equal(fx.refund_due_fen, 0);
    assert_false(fx.release_vehicle);
    assert_false(s.cancel_pending);
    assert_int_equal(s.times.cancelled_at, 9100);
    struct proto_error err;
    struct domain_order_args refund = {.amount_fen = 1};
    assert_int_equal(domain_order_check(&s, &fin, DOMAIN_ORDER_REFUND_CONFIRM, &refund, &err), -1);
}

static void test_cancel_with_money_and_car(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = paid_stock();
    struct domain_order_args change = change_args(DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_REMARKS));
    STEP(&s, &own, DOMAIN_ORDER_CHANGE_REQUEST, &change, 8500, &fx);
    request_cancel(&s, &fx);
    /* the supervisor sends it to the manager, who approves */
    struct domain_order_args up = {.pass = true, .needs_manager = true};
    STEP(&s, &sup, DOMAIN_ORDER_CANCEL_REVIEW, &up, 9100, &fx);
    assert_false(fx.cancelled);
    assert_true(s.cancel_pending);
    assert_true(s.cancel_needs_manager);
    assert_true(s.cancel_supervisor_approved);
    assert_int_equal(s.stage, DOMAIN_STAGE_PAID);
    struct domain_order_args yes = {.pass = true};
    STEP(&s, &mgr, DOMAIN_ORDER_CANCEL_APPROVE, &yes, 9200, &fx);
    assert_stage(&s, &fx, DOMAIN_STAGE_PAID, DOMAIN_STAGE_CANCELLED);
    assert_true(fx.cancelled);
    assert_true(fx.release_vehicle);
    assert_true(fx.refund_due);
    assert_int_equal(fx.refund_due_fen, TOTAL);
    assert_int_equal(s.refund_due_fen, TOTAL);
    assert_true(fx.change_rejected); /* the open change lapses */
    assert_false(s.change_pending);
    assert_false(s.cancel_pending);

    /* finance refunds in two parts */
    struct domain_order_args r = {.amount_fen = TOTAL - 5};
    STEP(&s, &fin, DOMAIN_ORDER_REFUND_CONFIRM, &r, 9300, &fx);
    assert_false(fx.refund_complete);
    assert_int_equal(s.refunded_fen, TOTAL - 5);
    r.amount_fen = 5;
    STEP(&s, &fin, DOMAIN_ORDER_REFUND_CONFIRM, &r, 9400, &fx);
    assert_true(fx.refund_complete);
    assert_int_equal(s.refunded_fen, TOTAL);
    assert_int_equal(s.stage, DOMAIN_STAGE_CANCELLED);
}

static void test_cancel_rejected(void **state)
{
    (void)state;
    struct domain_order_effects fx;
    struct domain_order_state s = approved(DOMAIN_PAY_FULL);
    struct domain_order_args no = {.pass = false};
    request_cancel(&s, &fx);
    STEP(&s, &sup, DOMAIN_ORDER_CANCEL_REVIEW, &no, 9100, &fx);
    assert_true(fx.cancel_rejected);
    assert_false(fx.cancelled);
    assert_false(s.cancel_pending);
    assert_int_equal(s.stage, DOMAIN_STAGE_APPROVED);

    request_cancel(&s, &fx);
    struct domain_order_args up = {.pass = true, .needs_manager = true};
    STEP(&s, &sup, DOMAIN_ORDER_CANCEL_REVIEW, &up, 9200, &fx);
    STEP(&s, &mgr, DOMAIN_ORDER_CANCEL_APPROVE, &no, 9300, &fx);
    assert_true(fx.cancel_rejected);
    assert_false(s.cancel_pending);
    assert_false(s.cancel_needs_manager);
    assert_false(s.cancel_supervisor_approved);
    assert_int_equal(s.stage, DOMAIN_STAGE_APPROVED);
    request_cancel(&s, &fx); /* may be asked again */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_reviews_and_resubmit),
        cmocka_unit_test(test_allocate_then_money),
        cmocka_unit_test(test_money_then_allocate),
        cmocka_unit_test(test_loan_path),
        cmocka_unit_test(test_ready_deliver_close),
        cmocka_unit_test(test_eta_and_notice),
        cmocka_unit_test(test_change_without_manager),
        cmocka_unit_test(test_change_with_manager),
        cmocka_unit_test(test_change_moves_money),
        cmocka_unit_test(test_change_of_vehicle),
        cmocka_unit_test(test_cancel_without_money),
        cmocka_unit_test(test_cancel_with_money_and_car),
        cmocka_unit_test(test_cancel_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

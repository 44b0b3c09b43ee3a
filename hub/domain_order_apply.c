/* What each allowed order command does to the order: the next stage, the sub-state it
 * stamps, and the effects the core carries out in the same transaction (DOMAIN_RULES.md
 * "Order life cycle"). domain_order_fsm.c has decided that the command is allowed. */
#include <string.h>

#include "domain.h"

/* Moves to `to`, remembering the first stage left within this command. */
static void apply_stage(struct domain_order_state *s, struct domain_order_effects *fx,
                        enum domain_stage to)
{
    if (!fx->stage_changed)
        fx->from = s->stage;
    s->stage = to;
    fx->to = to;
    fx->stage_changed = fx->from != to;
}

/* The stage follows the money once a car is allocated: complete while allocated -> paid;
 * a change raising the total of a paid or ready order -> back to allocated. */
static void apply_settle(struct domain_order_state *s, struct domain_order_effects *fx)
{
    bool complete = domain_order_money_complete(s);
    if (s->stage == DOMAIN_STAGE_ALLOCATED && complete)
        apply_stage(s, fx, DOMAIN_STAGE_PAID);
    else if ((s->stage == DOMAIN_STAGE_PAID || s->stage == DOMAIN_STAGE_READY) && !complete)
        apply_stage(s, fx, DOMAIN_STAGE_ALLOCATED);
}

static void apply_clear_change(struct domain_order_state *s)
{
    s->change_pending = false;
    s->change_needs_manager = false;
    s->change_supervisor_approved = false;
    s->change_fields = 0;
    s->change_quantity = 0;
    s->change_unit_price_fen = 0;
    s->change_payment = DOMAIN_PAY_FULL;
}

static void apply_clear_cancel(struct domain_order_state *s)
{
    s->cancel_pending = false;
    s->cancel_needs_manager = false;
    s->cancel_supervisor_approved = false;
}

/* Writes the fully approved change into the order. A different car undoes the allocation
 * (a reserved vehicle goes back to stock, the order waits for a new one at approved); a new
 * total or payment method voids an issued invoice. */
static void apply_change(struct domain_order_state *s, struct domain_order_effects *fx)
{
    bool allocated = s->stage == DOMAIN_STAGE_ALLOCATED || s->stage == DOMAIN_STAGE_PAID ||
                     s->stage == DOMAIN_STAGE_READY;
    if (domain_order_change_touches_vehicle(s->change_fields) && allocated) {
        fx->release_vehicle = s->has_vin;
        fx->alloc_cleared = true;
        s->alloc_kind = DOMAIN_ALLOC_NONE;
        s->has_vin = false;
        s->eta = 0;
        memset(s->prep_at, 0, sizeof s->prep_at);
        memset(s->doc_at, 0, sizeof s->doc_at);
        apply_stage(s, fx, DOMAIN_STAGE_APPROVED);
    }
    int64_t total = (int64_t)s->change_quantity * s->change_unit_price_fen;
    if ((total != s->total_fen || s->change_payment != s->payment) && s->invoice_issued) {
        s->invoice_issued = false;
        fx->invoice_voided = true;
    }
    s->quantity = s->change_quantity;
    s->unit_price_fen = s->change_unit_price_fen;
    s->total_fen = total;
    s->payment = s->change_payment;
    fx->change_applied = true;
    apply_clear_change(s);
    apply_settle(s, fx);
}

/* The final decision to cancel: a reserved vehicle goes back to stock, whatever was paid is
 * owed back, and an open change request lapses. */
static void apply_cancel(struct domain_order_state *s, int64_t now, struct domain_order_effects *fx)
{
    fx->release_vehicle = s->has_vin;
    fx->cancelled = true;
    if (s->change_pending) {
        fx->change_rejected = true;
        apply_clear_change(s);
    }
    apply_clear_cancel(s);
    s->refund_due_fen = s->paid_fen;
    fx->refund_due = s->paid_fen > 0;
    fx->refund_due_fen = s->paid_fen;
    s->times.cancelled_at = now;
    apply_stage(s, fx, DOMAIN_STAGE_CANCELLED);
}

static void apply_create(struct domain_order_state *s, const struct domain_actor *a,
                         const struct domain_order_args *args, int64_t now)
{
    memset(s, 0, sizeof *s);
    s->stage = DOMAIN_STAGE_ENTERED;
    s->consultant_id = a->staff_id;
    s->payment = args->payment;
    s->quantity = args->quantity;
    s->unit_price_fen = args->unit_price_fen;
    s->total_fen = (int64_t)args->quantity * args->unit_price_fen;
    s->customer_kind = args->customer_kind;
    s->credit_rating =
        args->customer_kind == DOMAIN_CUSTOMER_COMPANY ? args->credit_rating : DOMAIN_CREDIT_NONE;
    s->times.received_at = args->received_at > 0 ? args->received_at : now;
    s->times.created_at = now;
    s->times.entered_at = now;
}

static void apply_edit(struct domain_order_state *s, const struct domain_order_args *args)
{
    if (args->has_quantity)
        s->quantity = args->quantity;
    if (args->has_unit_price)
        s->unit_price_fen = args->unit_price_fen;
    s->total_fen = (int64_t)s->quantity * s->unit_price_fen;
    if (args->has_payment)
        s->payment = args->payment;
    if (args->has_customer_kind)
        s->customer_kind = args->customer_kind;
    if (args->has_credit_rating)
        s->credit_rating = args->credit_rating;
    if (s->customer_kind == DOMAIN_CUSTOMER_INDIVIDUAL)
        s->credit_rating = DOMAIN_CREDIT_NONE;
}

static void apply_change_request(struct domain_order_state *s, const struct domain_order_args *args,
                                 struct domain_order_effects *fx)
{
    unsigned fields = args->change_fields;
    if (args->has_quantity)
        fields |= DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_QUANTITY);
    if (args->has_unit_price)
        fields |= DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE);
    if (args->has_payment)
        fields |= DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_PAYMENT);
    s->change_pending = true;
    s->change_fields = fields;
    s->change_needs_manager = domain_order_change_needs_manager(fields) != 0;
    s->change_supervisor_approved = false;
    s->change_quantity = args->has_quantity ? args->quantity : s->quantity;
    s->change_unit_price_fen = args->has_unit_price ? args->unit_price_fen : s->unit_price_fen;
    s->change_payment = args->has_payment ? args->payment : s->payment;
    fx->change_opened = true;
}

static void apply_change_review(struct domain_order_state *s, const struct domain_actor *a,
                                const struct domain_order_args *args,
                                struct domain_order_effects *fx)
{
    if (!args->pass) {
        fx->change_rejected = true;
        apply_clear_change(s);
    } else if (a->role == DOMAIN_ROLE_SUPERVISOR && s->change_needs_manager) {
        s->change_supervisor_approved = true;
    } else {
        apply_change(s, fx);
    }
}

static void apply_payment(struct domain_order_state *s, const struct domain_order_args *args,
                          struct domain_order_effects *fx)
{
    bool was_complete = domain_order_money_complete(s);
    s->paid_fen += args->amount_fen;
    if (args->pay_kind == DOMAIN_PAYK_DOWN_PAYMENT)
        s->down_payment_fen += args->amount_fen;
    else if (args->pay_kind == DOMAIN_PAYK_LOAN_DISBURSEMENT)
        s->loan_disbursed_fen += args->amount_fen;
    fx->money_complete = !was_complete && domain_order_money_complete(s);
    apply_settle(s, fx);
}

static void apply_allocate(struct domain_order_state *s, const struct domain_order_args *args,
                           struct domain_order_effects *fx)
{
    if (args->has_vin) {
        s->alloc_kind = DOMAIN_ALLOC_STOCK;
        s->has_vin = true;
        fx->reserve_vehicle = true;
    } else {
        s->alloc_kind = DOMAIN_ALLOC_FACTORY;
        s->eta = args->factory_eta;
    }
    apply_stage(s, fx, DOMAIN_STAGE_ALLOCATED);
    apply_settle(s, fx); /* money complete before allocation: straight on to paid */
}

static void apply_cancel_decision(struct domain_order_state *s,
                                  const struct domain_order_args *args, bool escalate, int64_t now,
                                  struct domain_order_effects *fx)
{
    if (!args->pass) {
        fx->cancel_rejected = true;
        apply_clear_cancel(s);
    } else if (escalate) {
        s->cancel_needs_manager = true;
        s->cancel_supervisor_approved = true;
    } else {
        apply_cancel(s, now, fx);
    }
}

void domain_order_apply(struct domain_order_state *s, const struct domain_actor *a,
                        enum domain_order_cmd cmd, const struct domain_order_args *args,
                        int64_t now, struct domain_order_effects *fx)
{
    static const struct domain_order_args no_args;
    if (!args)
        args = &no_args;
    memset(fx, 0, sizeof *fx);
    fx->from = fx->to = s->stage;

    switch (cmd) {
    case DOMAIN_ORDER_CREATE:
        apply_create(s, a, args, now);
        fx->from = fx->to = s->stage;
        break;
    case DOMAIN_ORDER_REVIEW:
        s->times.initial_decided_at = now;
        if (args->pass)
            s->times.reviewed_at = now;
        apply_stage(s, fx, args->pass ? DOMAIN_STAGE_REVIEWED : DOMAIN_STAGE_RETURNED);
        break;
    case DOMAIN_ORDER_APPROVE:
        s->times.final_decided_at = now;
        apply_stage(s, fx, args->pass ? DOMAIN_STAGE_APPROVED : DOMAIN_STAGE_RETURNED);
        break;
    case DOMAIN_ORDER_EDIT:
        apply_edit(s, args);
        break;
    case DOMAIN_ORDER_RESUBMIT:
        s->times.entered_at = now;
        apply_stage(s, fx, DOMAIN_STAGE_ENTERED);
        break;
    case DOMAIN_ORDER_ALLOCATE:
        apply_allocate(s, args, fx);
        break;
    case DOMAIN_ORDER_VEHICLE_ARRIVED:
        s->has_vin = true;
        fx->reserve_vehicle = true;
        break;
    case DOMAIN_ORDER_VEHICLE_PREP:
        s->prep_at[args->prep_step] = now;
        break;
    case DOMAIN_ORDER_ETA:
        s->eta = args->eta;
        s->times.eta_changed_at = now;
        fx->eta_changed = true;
        break;
    case DOMAIN_ORDER_PAYMENT_CONFIRM:
        apply_payment(s, args, fx);
        break;
    case DOMAIN_ORDER_INVOICE_ISSUE:
        s->invoice_issued = true;
        break;
    case DOMAIN_ORDER_LOAN_STEP:
        s->loan_at[args->loan_step] = now;
        break;
    case DOMAIN_ORDER_READY:
        for (int i = 0; i < DOMAIN_DOC__COUNT; i++)
            s->doc_at[i] = now;
        apply_stage(s, fx, DOMAIN_STAGE_READY);
        break;
    case DOMAIN_ORDER_DELIVER:
        s->times.delivered_at = now;
        fx->deliver_vehicle = true;
        apply_stage(s, fx, DOMAIN_STAGE_DELIVERED);
        break;
    case DOMAIN_ORDER_CLOSE:
        s->times.closed_at = now;
        apply_stage(s, fx, DOMAIN_STAGE_CLOSED);
        break;
    case DOMAIN_ORDER_CHANGE_REQUEST:
        apply_change_request(s, args, fx);
        break;
    case DOMAIN_ORDER_CHANGE_REVIEW:
        apply_change_review(s, a, args, fx);
        break;
    case DOMAIN_ORDER_CANCEL_REQUEST:
        s->cancel_pending = true;
        s->cancel_needs_manager = false;
        s->cancel_supervisor_approved = false;
        fx->cancel_opened = true;
        break;
    case DOMAIN_ORDER_CANCEL_REVIEW:
        apply_cancel_decision(s, args, args->needs_manager, now, fx);
        break;
    case DOMAIN_ORDER_CANCEL_APPROVE:
        apply_cancel_decision(s, args, false, now, fx);
        break;
    case DOMAIN_ORDER_REFUND_CONFIRM:
        s->refunded_fen += args->amount_fen;
        fx->refund_complete = s->refunded_fen >= s->refund_due_fen;
        break;
    case DOMAIN_ORDER_NOTE:
        if (args->customer_visible) {
            /* the note that tells the customer about a changed ETA meets its deadline */
            fx->eta_notified =
                s->times.eta_changed_at != 0 && s->times.eta_notified_at < s->times.eta_changed_at;
            s->times.eta_notified_at = now;
        }
        break;
    case DOMAIN_ORDER_GET:
    case DOMAIN_ORDER_LIST:
    case DOMAIN_ORDER__COUNT:
        break;
    }
}

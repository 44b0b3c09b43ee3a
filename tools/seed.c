/* Customers and orders made by the CLI, with every sub-state their stage implies: a ready
 * order has its vehicle (VIN), all preparation steps, the full money as payment rows, the
 * invoice and the delivery documents; a delivered one a sign-off; a cancelled one its refund
 * due. The store's own setters write them, so events and counters agree. */
#include "seed.h"

#include <stdio.h>
#include <string.h>

#include "cmd_direct.h"

#define MIN_MS      (60 * 1000LL)
#define HOUR_MS     (60 * MIN_MS)
#define DAY_MS      (24 * HOUR_MS)
#define DEPOSIT_FEN 500000 /* 5,000 yuan: the usual deposit on signing */

int seed_customer(struct cli *c, const char *phone, const char *name, enum domain_gender g,
                  int64_t *id)
{
    struct proto_error err;
    char norm[PROTO_MAX_PHONE + 1];
    if (proto_phone_normalize(phone, norm, sizeof norm, &err) != 0) {
        fprintf(stderr, "showfloor: '%s': %s\n", phone, err.message);
        return -1;
    }
    struct store_customer cu;
    if (store_customers_find_by_phone(c->store, norm, &cu, &err) == 0) {
        *id = cu.id;
        return 0;
    }
    if (err.code != PROTO_E_NOT_FOUND) {
        cli_fail("customer lookup", &err);
        return -1;
    }
    memset(&cu, 0, sizeof cu);
    snprintf(cu.phone, sizeof cu.phone, "%s", norm);
    snprintf(cu.name, sizeof cu.name, "%s", name);
    cu.gender = g;
    cu.kind = STORE_CUSTOMER_INDIVIDUAL;
    cu.consent_at = c->now;
    snprintf(cu.consent_version, sizeof cu.consent_version, "%s", "2026-1");
    snprintf(cu.consent_purpose, sizeof cu.consent_purpose, "checkin");
    cu.created_at = c->now;
    if (store_customers_add(c->store, &cu, id, &err) != 0) {
        cli_fail("customer add", &err);
        return -1;
    }
    return 0;
}

int seed_audit_order(struct cli *c, int64_t order_id, const char *action, const cJSON *before,
                     int64_t at)
{
    struct proto_error err;
    cJSON *after = NULL;
    if (store_orders_json(c->store, order_id, &after, &err) != 0) {
        cli_fail("audit: order", &err);
        return -1;
    }
    const cJSON *no = cJSON_GetObjectItem(after, "order_no");
    int64_t site = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(after, "site_id"));
    int rc =
        cmd_audit_record(c, site, "order", cJSON_GetStringValue(no), action, before, after, at);
    cJSON_Delete(after);
    return rc;
}

/* How far along the life cycle a stage is, for stamping the times before it. */
static int stage_depth(enum domain_stage s)
{
    switch (s) {
    case DOMAIN_STAGE_ENTERED:
        return 0;
    case DOMAIN_STAGE_REVIEWED:
    case DOMAIN_STAGE_RETURNED:
        return 1;
    case DOMAIN_STAGE_APPROVED:
    case DOMAIN_STAGE_CANCELLED: /* cancellations made here happen after approval */
        return 2;
    case DOMAIN_STAGE_ALLOCATED:
        return 3;
    case DOMAIN_STAGE_PAID:
        return 4;
    case DOMAIN_STAGE_READY:
        return 5;
    case DOMAIN_STAGE_DELIVERED:
        return 6;
    case DOMAIN_STAGE_CLOSED:
    case DOMAIN_STAGE__COUNT:
        break;
    }
    return 7;
}

static int seed_fail(const char *what, const struct proto_error *err)
{
    cli_fail(what, err);
    return -1;
}

static int first_vehicle(void *ctx, const struct store_vehicle *v)
{
    memcpy(ctx, v->vin, sizeof v->vin);
    return 1; /* one is enough: stop the walk */
}

/* The order's car: an in-stock one of the model at the site, or a new one with a VIN made
 * from the order id (digits and capitals only, never I/O/Q), reserved for the order. */
static int reserve_vehicle(struct cli *c, const struct store_order *r, bool new_car, int64_t at,
                           char vin[STORE_VIN_LEN + 1])
{
    struct proto_error err;
    vin[0] = '\0';
    if (!new_car)
        store_vehicles_list(c->store, r->site_id, STORE_VEHICLE_IN_STOCK, r->model_code,
                            first_vehicle, vin, &err); /* "aborted" after the first is fine */
    if (vin[0])
        return store_vehicles_reserve(c->store, vin, r->id, at, &err)
                   ? seed_fail("reserve vehicle", &err)
                   : 0;
    struct store_vehicle v = {.site_id = r->site_id,
                              .state = STORE_VEHICLE_RESERVED,
                              .order_id = r->id,
                              .created_at = at};
    snprintf(v.vin, sizeof v.vin, "LSFA%013lld", (long long)r->id);
    snprintf(v.model_code, sizeof v.model_code, "%s", r->model_code);
    snprintf(v.colour, sizeof v.colour, "%s", r->colour);
    if (store_vehicles_add(c->store, &v, NULL, &err) != 0)
        return seed_fail("add vehicle", &err);
    memcpy(vin, v.vin, sizeof v.vin);
    return 0;
}

static int pay(struct cli *c, int64_t order_id, const char *kind, int64_t amount, int64_t at,
               const char *ref_prefix)
{
    if (amount <= 0)
        return 0;
    struct store_payment p = {.order_id = order_id, .amount_fen = amount, .at = at};
    snprintf(p.kind, sizeof p.kind, "%s", kind);
    snprintf(p.reference, sizeof p.reference, "%s-%lld", ref_prefix, (long long)(at / 1000));
    struct proto_error err;
    return store_payments_add(c->store, &p, NULL, &err) ? seed_fail("payment", &err) : 0;
}

/* Money in by the time of the stage: deposit on signing; full orders pay the balance when
 * paid; loan orders put 30% down at allocation and the bank disburses the rest. */
static int add_money(struct cli *c, const struct seed_order *o, const struct store_order *r,
                     const int64_t step[8], int depth)
{
    int64_t total = r->total_fen;
    int64_t paid = o->paid_fen >= 0 ? o->paid_fen : -1;
    if (paid < 0) {
        bool cancelled = o->stage == DOMAIN_STAGE_CANCELLED;
        if (depth >= 4 && !cancelled)
            paid = total;
        else if (depth == 3 && o->payment == DOMAIN_PAY_LOAN)
            paid = total * 3 / 10;
        else
            paid = total < DEPOSIT_FEN ? total : DEPOSIT_FEN;
    }
    if (paid > total)
        paid = total;
    int64_t deposit = paid < DEPOSIT_FEN ? paid : DEPOSIT_FEN;
    if (pay(c, r->id, "deposit", deposit, step[0] + (step[1] - step[0]) / 4, "POS"))
        return -1;
    int64_t rest = paid - deposit;
    if (o->payment == DOMAIN_PAY_FULL)
        return pay(c, r->id, "balance", rest, step[4] > step[3] ? step[4] : step[3] + 1, "BANK");
    int64_t down = total * 3 / 10 - deposit;
    if (down > rest)
        down = rest;
    return pay(c, r->id, "down_payment", down, step[3] + (step[4] - step[3]) * 4 / 5, "POS") ||
           pay(c, r->id, "loan_disbursement", rest - down, step[4], "LOAN");
}

static int add_signoff(struct cli *c, const struct store_order *r, int rating, int64_t at)
{
    struct store_signoff so = {
        .order_id = r->id,
        .staff_id = r->consultant_id,
        .at = at,
        .checklist = "{\"vehicle_clean\":true,\"invoice\":true,\"coc\":true,\"warranty\":true,"
                     "\"keys\":true,\"accessories\":true,\"explained\":true}",
        .strokes = "[[[40,120,0],[60,90,40],[85,130,80],[110,95,120]],"
                   "[[140,100,400],[175,110,450],[200,98,500]]]",
        .rating = rating >= 1 && rating <= 5 ? rating : 5,
    };
    snprintf(so.comment, sizeof so.comment, "%s",
             so.rating >= 4 ? "交车很顺利" : "交车等了一个多小时，车内有污渍");
    struct proto_error err;
    if (!so.staff_id)
        return 0; /* a sign-off needs the consultant who handed the car over */
    return store_signoffs_add(c->store, &so, NULL, NULL, &err) ? seed_fail("sign-off", &err) : 0;
}

/* Everything after the insert: allocation, preparation, money, loan, invoice, documents,
 * hand-over, cancellation. */
static int add_sub_states(struct cli *c, const struct seed_order *o, struct store_order *r,
                          const int64_t step[8], int depth, struct seed_made *made)
{
    struct proto_error err;
    struct store *s = c->store;
    bool cancelled = o->stage == DOMAIN_STAGE_CANCELLED;
    int64_t id = r->id;
    /* sub-steps fall between allocation and payment, so no time is ever after `now` */
    int64_t gap = step[4] - step[3];
    if (depth >= 3 && !cancelled) {
        bool factory = o->alloc == DOMAIN_ALLOC_FACTORY;
        bool arrived = !factory || depth >= 4; /* a factory car is in before it is paid */
        if (arrived && reserve_vehicle(c, r, factory, step[3], made->vin))
            return -1;
        if (store_orders_set_allocation(s, id, factory ? "factory" : "stock", made->vin, step[3],
                                        &err))
            return seed_fail("allocation", &err);
        if (made->vin[0] && store_orders_set_prep(s, id, "cleaning", step[3] + gap / 4, &err))
            return seed_fail("preparation", &err);
        if (depth >= 4 &&
            (store_orders_set_prep(s, id, "inspection", step[3] + gap / 2, &err) ||
             store_orders_set_prep(s, id, "maintenance", step[3] + gap * 3 / 4, &err)))
            return seed_fail("preparation", &err);
    }
    if (o->payment == DOMAIN_PAY_LOAN && depth >= 3 && !cancelled) {
        static const char *const steps[] = {"documents", "bank_approved", "contract_signed"};
        int n = o->loan_steps > 0 ? o->loan_steps : depth >= 4 ? 3 : 1;
        for (int k = 0; k < n && k < 3; k++)
            if (store_orders_set_loan_step(s, id, steps[k], step[3] + (k + 1) * gap / 5, &err))
                return seed_fail("loan step", &err);
    }
    if (add_money(c, o, r, step, depth))
        return -1;
    if (depth >= 4 && !cancelled) {
        char inv[PROTO_MAX_SHORT + 1];
        snprintf(inv, sizeof inv, "FP%s", r->order_no + 2); /* FP2611-0012 */
        if (store_orders_set_invoice(s, id, inv, step[4] + (step[5] - step[4]) / 2, &err))
            return seed_fail("invoice", &err);
    }
    if (depth >= 5 && !cancelled &&
        store_orders_set_documents(s, id, true, true, true, step[5], &err))
        return seed_fail("documents", &err);
    if (depth >= 6 && !cancelled) {
        if (store_vehicles_deliver(s, made->vin, step[6], &err))
            return seed_fail("deliver vehicle", &err);
        if (add_signoff(c, r, o->rating, step[6]))
            return -1;
    }
    if (cancelled) {
        struct store_order now;
        if (store_orders_get(s, id, &now, &err) ||
            store_orders_set_refund_due(s, id, now.paid_fen, r->cancelled_at, &err))
            return seed_fail("refund due", &err);
    }
    return 0;
}

int seed_order_add(struct cli *c, const struct seed_order *o, struct seed_made *made)
{
    struct proto_error err;
    struct store_model model;
    memset(made, 0, sizeof *made);
    if (store_models_find(c->store, o->model_code, &model, &err) != 0) {
        fprintf(stderr, "showfloor: no model with code '%s' (see 'showfloor model list')\n",
                o->model_code);
        return -1;
    }
    struct store_order r;
    memset(&r, 0, sizeof r);
    r.site_id = o->site_id;
    r.customer_id = o->customer_id;
    r.consultant_id = o->consultant_id;
    snprintf(r.model_code, sizeof r.model_code, "%s", o->model_code);
    snprintf(r.colour, sizeof r.colour, "%s", o->colour ? o->colour : "");
    snprintf(r.config, sizeof r.config, "%s", o->config ? o->config : "");
    snprintf(r.channel, sizeof r.channel, "%s", o->channel ? o->channel : "showroom");
    r.quantity = 1;
    r.unit_price_fen = o->total_fen > 0 ? o->total_fen : model.price_fen;
    r.total_fen = r.unit_price_fen;
    r.payment = o->payment;
    r.stage = o->stage;

    int64_t created = o->created_at > 0 && o->created_at <= c->now ? o->created_at : c->now;
    int depth = stage_depth(o->stage);
    bool cancelled = o->stage == DOMAIN_STAGE_CANCELLED;
    /* Steps reached are spread evenly between creation and now: step k at k/8 of the way. */
    int64_t span = c->now - created;
    int64_t step[8];
    for (int k = 0; k < 8; k++)
        step[k] = created + span * k / 8;
    /* reviews are quick (within the default time limits): an hour, then two more */
    if (step[1] > created + HOUR_MS)
        step[1] = created + HOUR_MS;
    if (step[2] > created + 3 * HOUR_MS)
        step[2] = created + 3 * HOUR_MS;
    struct domain_order_times *t = &r.times;
    t->created_at = created;
    t->approved_at = depth >= 2 ? step[2] : 0;
    t->allocated_at = depth >= 3 && !cancelled ? step[3] : 0;
    t->paid_at = depth >= 4 && !cancelled ? step[4] : 0;
    t->ready_at = depth >= 5 && !cancelled ? step[5] : 0;
    t->delivered_at = depth >= 6 && !cancelled ? step[6] : 0;
    r.updated_at = depth > 0 ? step[depth > 7 ? 7 : depth] : created;
    r.received_at = o->received_at ? o->received_at : created - 30 * MIN_MS;
    r.entered_at = created;
    if (depth >= 1) /* the initial review, passed unless the order was returned by it */
        r.initial_decided_at = step[1];
    if (depth >= 1 && o->stage != DOMAIN_STAGE_RETURNED)
        r.reviewed_at = step[1];
    if (depth >= 2)
        r.final_decided_at = step[2];
    if (o->stage == DOMAIN_STAGE_CLOSED)
        r.closed_at = step[7];
    if (cancelled)
        r.cancelled_at = r.updated_at = step[4];
    snprintf(r.last_reason, sizeof r.last_reason, "%s", o->reason ? o->reason : "");

    if (depth >= 2 && depth <= 4 && !cancelled)
        r.eta = c->now + (int64_t)(6 - depth) * 3 * DAY_MS;
    if (o->stage == DOMAIN_STAGE_READY || o->stage == DOMAIN_STAGE_DELIVERED ||
        o->stage == DOMAIN_STAGE_CLOSED) {
        /* Without an appointment a ready order is due now, so it is on today's delivery list
         * at any hour: "in two hours" fell on the next day in the site's last two hours. */
        r.delivery_at =
            o->delivery_at ? o->delivery_at : (t->delivered_at ? t->delivered_at : c->now);
        snprintf(r.delivery_place, sizeof r.delivery_place, "%s",
                 o->delivery_place ? o->delivery_place : "交车区 1");
    }
    if (store_orders_next_no(c->store, created, r.order_no, sizeof r.order_no, &err) != 0)
        return seed_fail("order number", &err);
    if (store_orders_add(c->store, &r, &r.id, &err) != 0)
        return seed_fail("order add", &err);
    made->order_id = r.id;
    snprintf(made->order_no, sizeof made->order_no, "%s", r.order_no);
    if (add_sub_states(c, o, &r, step, depth, made))
        return -1;
    return seed_audit_order(c, r.id, "order_add", NULL, 0);
}

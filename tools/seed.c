/* Customers and orders made by the CLI, with stage timestamps and payments that agree. */
#include "seed.h"

#include <stdio.h>
#include <string.h>

#define HOUR_MS     (3600 * 1000LL)
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
    cu.created_at = c->now;
    if (store_customers_add(c->store, &cu, id, &err) != 0) {
        cli_fail("customer add", &err);
        return -1;
    }
    return 0;
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
    case DOMAIN_STAGE_CANCELLED: /* demo cancellations happen after approval */
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

int seed_order_add(struct cli *c, const struct seed_order *o, char *order_no)
{
    struct proto_error err;
    struct store_model model;
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
    r.quantity = 1;
    r.unit_price_fen = o->total_fen > 0 ? o->total_fen : model.price_fen;
    r.total_fen = r.unit_price_fen;
    r.payment = o->payment;
    r.stage = o->stage;

    int64_t created = o->created_at > 0 && o->created_at <= c->now ? o->created_at : c->now;
    int depth = stage_depth(o->stage);
    /* Steps reached are spread evenly between creation and now: step k at k/8 of the way. */
    int64_t span = c->now - created;
    int64_t step[8];
    for (int k = 0; k < 8; k++)
        step[k] = created + span * k / 8;
    r.times.created_at = created;
    r.times.approved_at = depth >= 2 ? step[2] : 0;
    r.times.allocated_at = depth >= 3 && o->stage != DOMAIN_STAGE_CANCELLED ? step[3] : 0;
    r.times.paid_at = depth >= 4 && o->stage != DOMAIN_STAGE_CANCELLED ? step[4] : 0;
    r.times.ready_at = depth >= 5 && o->stage != DOMAIN_STAGE_CANCELLED ? step[5] : 0;
    r.times.delivered_at = depth >= 6 && o->stage != DOMAIN_STAGE_CANCELLED ? step[6] : 0;
    r.updated_at = depth > 0 ? step[depth > 7 ? 7 : depth] : created;

    if (o->paid_fen >= 0)
        r.paid_fen = o->paid_fen;
    else if (r.times.paid_at)
        r.paid_fen = r.total_fen;
    else if (o->stage == DOMAIN_STAGE_ALLOCATED && o->payment == DOMAIN_PAY_LOAN)
        r.paid_fen = r.total_fen * 3 / 10; /* down payment in, loan not yet disbursed */
    else
        r.paid_fen = r.total_fen < DEPOSIT_FEN ? r.total_fen : DEPOSIT_FEN;
    if (r.paid_fen > r.total_fen)
        r.paid_fen = r.total_fen;

    if (depth >= 2 && depth <= 4 && o->stage != DOMAIN_STAGE_CANCELLED)
        r.eta = c->now + (int64_t)(6 - depth) * 3 * DAY_MS;
    if (o->stage == DOMAIN_STAGE_READY || o->stage == DOMAIN_STAGE_DELIVERED ||
        o->stage == DOMAIN_STAGE_CLOSED) {
        r.delivery_at = o->delivery_at
                            ? o->delivery_at
                            : (r.times.delivered_at ? r.times.delivered_at : c->now + 2 * HOUR_MS);
        snprintf(r.delivery_place, sizeof r.delivery_place, "%s",
                 o->delivery_place ? o->delivery_place : "交车区 1");
    }
    if (store_orders_next_no(c->store, created, r.order_no, sizeof r.order_no, &err) != 0) {
        cli_fail("order number", &err);
        return -1;
    }
    int64_t id;
    if (store_orders_add(c->store, &r, &id, &err) != 0) {
        cli_fail("order add", &err);
        return -1;
    }
    snprintf(order_no, STORE_ORDER_NO_MAX + 1, "%s", r.order_no);
    return 0;
}

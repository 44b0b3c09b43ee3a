/* Money: finance confirms payments (deposit, balance, down payment, loan disbursement) and
 * refunds and records the invoice; the consultant records the loan's steps. When a payment
 * completes the money of an allocated order, the rules move it to paid in the same command. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

/* {"id": N} under key in oc->detail, for the audit record. */
static int detail_id(struct core_order_cmd *oc, const char *key, int64_t id,
                     struct proto_error *err)
{
    if (!oc->detail && !(oc->detail = cJSON_CreateObject()))
        return core_oom(err);
    cJSON *o = cJSON_AddObjectToObject(oc->detail, key);
    return o && cJSON_AddNumberToObject(o, "id", (double)id) ? 0 : core_oom(err);
}

int core_order_money_payment(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *kind = proto_get_str(args, "kind");
    int k = domain_pay_kind_from_name(kind);
    if (k < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown payment kind");
    struct domain_order_args a = {
        .amount_fen = proto_get_int(args, "amount_fen", 0),
        .pay_kind = (enum domain_pay_kind)k,
    };
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_PAYMENT_CONFIRM, args, &a, now, &oc, err))
        return -1;
    struct store_payment p = {
        .order_id = oc.row.id, .amount_fen = a.amount_fen, .at = now, .staff_id = staff->id};
    snprintf(p.kind, sizeof p.kind, "%s", kind);
    snprintf(p.reference, sizeof p.reference, "%s", proto_get_str(args, "reference"));
    int64_t id = 0;
    if (store_payments_add(c->store, &p, &id, err) || detail_id(&oc, "payment", id, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_money_invoice(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {.has_invoice_no = core_order_has_text(args, "invoice_no")};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_INVOICE_ISSUE, args, &a, now, &oc, err))
        return -1;
    snprintf(oc.row.invoice_no, sizeof oc.row.invoice_no, "%s", proto_get_str(args, "invoice_no"));
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_money_loan_step(struct core *c, const struct core_device *dev,
                               const struct core_staff *staff, const cJSON *args, int64_t now,
                               cJSON **data, struct proto_error *err)
{
    *data = NULL;
    int step = domain_loan_step_from_name(proto_get_str(args, "step"));
    if (step < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "step", "unknown loan step");
    struct domain_order_args a = {.loan_step = (enum domain_loan_step)step};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_LOAN_STEP, args, &a, now, &oc, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_money_refund(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct domain_order_args a = {.amount_fen = proto_get_int(args, "amount_fen", 0)};
    struct core_order_cmd oc;
    if (core_order_start(c, dev, staff, DOMAIN_ORDER_REFUND_CONFIRM, args, &a, now, &oc, err))
        return -1;
    struct store_refund r = {
        .order_id = oc.row.id, .amount_fen = a.amount_fen, .at = now, .staff_id = staff->id};
    snprintf(r.reference, sizeof r.reference, "%s", proto_get_str(args, "reference"));
    int64_t id = 0;
    if (store_refunds_add(c->store, &r, &id, err) || detail_id(&oc, "refund", id, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

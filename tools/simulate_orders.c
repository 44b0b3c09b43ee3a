/* The simulator's orders: each one's next step is read off the order the hub last returned
 * (its stage and sub-states: money, loan steps, vehicle, preparation, invoice, an open change
 * request), so orders already in the pipeline and orders written today move the same way.
 * Orders written today stop once a car is ordered for them: a car does not arrive the day it
 * is ordered. The day's first initial review sends its order back and the second final
 * approval rejects one, so every day shows both; later ones do now and then. */
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum sim_step {
    SIM_S_NONE,
    SIM_S_DEPOSIT,
    SIM_S_CHANGE_REVIEW,
    SIM_S_REVIEW,
    SIM_S_EDIT,
    SIM_S_RESUBMIT,
    SIM_S_APPROVE,
    SIM_S_LOAN,
    SIM_S_ALLOCATE,
    SIM_S_DOWN_PAYMENT,
    SIM_S_ARRIVED,
    SIM_S_PREP,
    SIM_S_PAY,
    SIM_S_INVOICE,
    SIM_S_READY,
    SIM_S_DELIVER,
    SIM_S_CLOSE,
};

/* Minutes between the previous step and this one: [lo, hi). */
static const struct {
    int lo, hi;
} sim_gap_min[] = {
    [SIM_S_NONE] = {0, 1},           [SIM_S_DEPOSIT] = {5, 20},   [SIM_S_CHANGE_REVIEW] = {10, 60},
    [SIM_S_REVIEW] = {20, 90},       [SIM_S_EDIT] = {10, 40},     [SIM_S_RESUBMIT] = {3, 10},
    [SIM_S_APPROVE] = {30, 120},     [SIM_S_LOAN] = {20, 90},     [SIM_S_ALLOCATE] = {20, 90},
    [SIM_S_DOWN_PAYMENT] = {15, 60}, [SIM_S_ARRIVED] = {30, 120}, [SIM_S_PREP] = {20, 60},
    [SIM_S_PAY] = {15, 60},          [SIM_S_INVOICE] = {10, 40},  [SIM_S_READY] = {15, 60},
    [SIM_S_DELIVER] = {0, 1},        [SIM_S_CLOSE] = {30, 120},
};

static const char *sim_str(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static int64_t sim_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static bool sim_set(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v && !cJSON_IsNull(v);
}

static bool sim_is(const cJSON *o, const char *k, const char *want)
{
    const char *v = sim_str(o, k);
    return v && strcmp(v, want) == 0;
}

static const char *const prep_steps[] = {"cleaning", "inspection", "maintenance"};
static const char *const prep_keys[] = {"prep_cleaning", "prep_inspection", "prep_maintenance"};
static const char *const loan_steps[] = {"documents", "bank_approved", "contract_signed"};
static const char *const loan_keys[] = {"loan_documents_at", "loan_approved_at",
                                        "loan_contract_at"};

static int sim_loan_next(const cJSON *o)
{
    for (int i = 0; i < 3; i++)
        if (!sim_set(o, loan_keys[i]))
            return i;
    return -1;
}

static int sim_prep_next(const cJSON *o)
{
    for (int i = 0; i < 3; i++)
        if (!sim_set(o, prep_keys[i]))
            return i;
    return -1;
}

/* What the order needs next, read off its state; SIM_S_NONE when nothing today. */
static enum sim_step sim_order_what(const struct sim_order *so, const cJSON *o)
{
    const char *stage = sim_str(o, "stage");
    bool loan = sim_is(o, "payment", "loan");
    int64_t total = sim_num(o, "total_fen"), paid = sim_num(o, "paid_fen");
    if (!stage)
        return SIM_S_NONE;
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(o, "change_request");
    if (ch && !cJSON_IsNull(ch))
        return sim_is(ch, "state", "pending") ? SIM_S_CHANGE_REVIEW : SIM_S_NONE;
    if (sim_set(o, "cancel_request"))
        return SIM_S_NONE;
    if (so->today && paid == 0 && strcmp(stage, "entered") == 0)
        return SIM_S_DEPOSIT;
    if (strcmp(stage, "entered") == 0)
        return SIM_S_REVIEW;
    if (strcmp(stage, "returned") == 0)
        return so->edited ? SIM_S_RESUBMIT : SIM_S_EDIT;
    if (strcmp(stage, "reviewed") == 0)
        return SIM_S_APPROVE;
    if (strcmp(stage, "approved") == 0)
        return loan && !sim_set(o, "loan_documents_at") ? SIM_S_LOAN : SIM_S_ALLOCATE;
    if (strcmp(stage, "allocated") == 0 || strcmp(stage, "paid") == 0) {
        if (so->today)
            return SIM_S_NONE; /* the car is ordered; the rest is for another day */
        if (loan && strcmp(stage, "allocated") == 0 && sim_loan_next(o) >= 0)
            return SIM_S_LOAN;
        if (loan && sim_num(o, "down_payment_fen") <= 0 && paid < total)
            return SIM_S_DOWN_PAYMENT;
        if (!sim_set(o, "vin"))
            return SIM_S_ARRIVED;
        if (sim_prep_next(o) >= 0)
            return SIM_S_PREP;
        if (paid < total)
            return SIM_S_PAY;
        if (!sim_set(o, "invoice_no"))
            return SIM_S_INVOICE;
        return SIM_S_READY;
    }
    if (strcmp(stage, "ready") == 0)
        return SIM_S_DELIVER;
    if (strcmp(stage, "delivered") == 0)
        return SIM_S_CLOSE;
    return SIM_S_NONE;
}

int sim_order_track(struct sim *s, const cJSON *order, bool today, int steps)
{
    const char *no = sim_str(order, "order_no");
    cJSON *copy = cJSON_Duplicate(order, 1);
    if (!no || !copy ||
        sim_grow((void **)&s->orders, &s->cap_orders, s->n_orders, sizeof *s->orders) != 0) {
        cJSON_Delete(copy);
        return -1;
    }
    struct sim_order *o = &s->orders[s->n_orders];
    memset(o, 0, sizeof *o);
    snprintf(o->no, sizeof o->no, "%s", no);
    o->consultant =
        sim_staff_by_id(s, sim_num(cJSON_GetObjectItemCaseSensitive(order, "consultant"), "id"));
    o->steps_left = steps;
    o->today = today;
    o->state = copy;
    return (int)s->n_orders++;
}

int sim_order_next(struct sim *s, uint32_t ref, const cJSON *order)
{
    struct sim_order *o = &s->orders[ref];
    if (order) {
        cJSON *copy = cJSON_Duplicate(order, 1);
        if (!copy)
            return -1;
        cJSON_Delete(o->state);
        o->state = copy;
    }
    if (o->steps_left <= 0)
        return 0;
    enum sim_step w = sim_order_what(o, o->state);
    if (w == SIM_S_NONE)
        return 0;
    int64_t at = s->now + sim_rng_span(&s->rng, sim_gap_min[w].lo * SIM_MIN_MS,
                                       sim_gap_min[w].hi * SIM_MIN_MS);
    if (w == SIM_S_DELIVER && o->deliver_sim > s->now)
        at = o->deliver_sim; /* the hand-over is at the time given to the customer */
    return sim_plan(s, at, SIM_A_ORDER_STEP, ref);
}

static cJSON *sim_order_args(const struct sim_order *o)
{
    cJSON *a = cJSON_CreateObject();
    if (a && !cJSON_AddStringToObject(a, "order_no", o->no)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

static int sim_add_signoff(struct sim *s, cJSON *a, int rating)
{
    static const char *const items[] = {"vehicle_clean", "invoice",     "coc",      "warranty",
                                        "keys",          "accessories", "explained"};
    static const char *const comments[] = {
        "", "", "", "交车顺利，讲解清楚", "服务周到，非常满意", "非常满意，感谢顾问的耐心讲解"};
    cJSON *cl = cJSON_AddObjectToObject(a, "checklist");
    cJSON *sig = cJSON_AddObjectToObject(a, "signature");
    cJSON *strokes = sig ? cJSON_AddArrayToObject(sig, "strokes") : NULL;
    if (!cl || !strokes)
        return -1;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (!cJSON_AddBoolToObject(cl, items[i], true))
            return -1;
    for (int k = 0; k < 3; k++) { /* three strokes of a short signature */
        cJSON *st = cJSON_CreateArray();
        if (!st || !cJSON_AddItemToArray(strokes, st)) {
            cJSON_Delete(st);
            return -1;
        }
        for (int p = 0; p < 6; p++) {
            int pt[3] = {60 + k * 120 + p * 18 + sim_rng_below(&s->rng, 8),
                         80 + sim_rng_below(&s->rng, 50), k * 500 + p * 35};
            cJSON *xyz = cJSON_CreateIntArray(pt, 3);
            if (!xyz || !cJSON_AddItemToArray(st, xyz)) {
                cJSON_Delete(xyz);
                return -1;
            }
        }
    }
    return cJSON_AddNumberToObject(a, "rating", rating) &&
                   cJSON_AddStringToObject(a, "comment", comments[rating])
               ? 0
               : -1;
}

/* Builds the step's request: its type, who sends it and its args; -1 out of memory. */
static int sim_order_build(struct sim *s, struct sim_order *o, enum sim_step w, const char **type,
                           int *who, cJSON **args, char *line, size_t linesz)
{
    const cJSON *st = o->state;
    int64_t total = sim_num(st, "total_fen"), paid = sim_num(st, "paid_fen");
    cJSON *a = *args = sim_order_args(o);
    if (!a)
        return -1;
    int cons = o->consultant >= 0 ? o->consultant : SIM_SUPERVISOR;
    bool ok = true;
    char ref[PROTO_MAX_SHORT + 16]; /* order numbers are at most 32 bytes */
    switch (w) {
    case SIM_S_DEPOSIT:
    case SIM_S_PAY:
    case SIM_S_DOWN_PAYMENT: {
        const char *kind = w == SIM_S_DEPOSIT              ? "deposit"
                           : w == SIM_S_DOWN_PAYMENT       ? "down_payment"
                           : sim_is(st, "payment", "loan") ? "loan_disbursement"
                                                           : "balance";
        int64_t due = total - paid, amount = due;
        if (w == SIM_S_DEPOSIT)
            amount = due < 500000 ? due : 500000; /* a 5,000 yuan deposit */
        else if (w == SIM_S_DOWN_PAYMENT)
            amount = total * 3 / 10 > paid ? total * 3 / 10 - paid : due / 10;
        if (amount <= 0)
            amount = 1;
        snprintf(ref, sizeof ref, "%s-%s", strcmp(kind, "loan_disbursement") == 0 ? "LOAN" : "POS",
                 o->no);
        *type = "payment_confirm", *who = SIM_FINANCE;
        ok = cJSON_AddNumberToObject(a, "amount_fen", (double)amount) &&
             cJSON_AddStringToObject(a, "kind", kind) &&
             cJSON_AddStringToObject(a, "reference", ref);
        snprintf(line, linesz, "%-13s %s %s ¥%lld.%02lld", "payment", o->no, kind,
                 (long long)(amount / 100), (long long)(amount % 100));
        break;
    }
    case SIM_S_CHANGE_REVIEW: {
        const cJSON *ch = cJSON_GetObjectItemCaseSensitive(st, "change_request");
        bool by_sup =
            sim_is(cJSON_GetObjectItemCaseSensitive(ch, "supervisor"), "decision", "none");
        *type = "order_change_review", *who = by_sup ? SIM_SUPERVISOR : SIM_MANAGER;
        ok = cJSON_AddBoolToObject(a, "approve", true) &&
             cJSON_AddStringToObject(a, "reason", "同意");
        snprintf(line, linesz, "%-13s %s approved (%s)", "change", o->no,
                 by_sup ? "supervisor" : "manager");
        break;
    }
    case SIM_S_REVIEW: {
        bool back = !o->returned && (s->reviews_done == 0 || sim_rng_below(&s->rng, 100) < 12);
        s->reviews_done++;
        *type = "order_review", *who = SIM_SUPERVISOR;
        ok = cJSON_AddBoolToObject(a, "pass", !back) &&
             (!back || cJSON_AddStringToObject(a, "reason", "客户身份证复印件不清晰，请补充"));
        snprintf(line, linesz, "%-13s %s %s", "review", o->no,
                 back ? "returned: ID copy unreadable" : "passed");
        break;
    }
    case SIM_S_EDIT:
        *type = "order_edit", *who = cons;
        ok =
            cJSON_AddStringToObject(a, "remarks", "已补充清晰的身份证复印件，首付比例已与客户确认");
        snprintf(line, linesz, "%-13s %s remarks completed", "edit", o->no);
        break;
    case SIM_S_RESUBMIT:
        *type = "order_resubmit", *who = cons;
        snprintf(line, linesz, "%-13s %s", "resubmit", o->no);
        break;
    case SIM_S_APPROVE: {
        bool reject = !o->returned && (s->approvals_done == 1 || sim_rng_below(&s->rng, 100) < 5);
        s->approvals_done++;
        *type = "order_approve", *who = SIM_MANAGER;
        ok = cJSON_AddBoolToObject(a, "approve", !reject) &&
             (!reject ||
              cJSON_AddStringToObject(a, "reason", "首付比例低于 30%，请与客户确认后重新提交"));
        snprintf(line, linesz, "%-13s %s %s", "approval", o->no,
                 reject ? "rejected: down payment under 30%" : "approved");
        break;
    }
    case SIM_S_LOAN: {
        int k = sim_loan_next(st);
        *type = "loan_step", *who = cons;
        ok = k >= 0 && cJSON_AddStringToObject(a, "step", loan_steps[k]);
        snprintf(line, linesz, "%-13s %s %s", "loan", o->no, k >= 0 ? loan_steps[k] : "?");
        break;
    }
    case SIM_S_ALLOCATE: {
        int64_t eta = sim_hub_time(s, s->now) + sim_rng_span(&s->rng, 14, 36) * SIM_DAY_MS;
        *type = "order_allocate", *who = SIM_SUPERVISOR;
        ok = cJSON_AddNumberToObject(a, "factory_eta", (double)eta);
        snprintf(line, linesz, "%-13s %s factory order, car due in %lld days", "allocation", o->no,
                 (long long)((eta - sim_hub_time(s, s->now)) / SIM_DAY_MS));
        break;
    }
    case SIM_S_ARRIVED: {
        /* a VIN no earlier run used: letters L S V F (never I, O, Q) and 13 digits */
        char vin[24];
        snprintf(vin, sizeof vin, "LSVF%010lld%03d",
                 (long long)(sim_hub_time(s, 0) / 1000 % 10000000000LL), ++s->vin_seq % 1000);
        *type = "vehicle_arrived", *who = SIM_SUPERVISOR;
        ok = cJSON_AddStringToObject(a, "vin", vin);
        snprintf(line, linesz, "%-13s %s car %s in from the factory", "arrival", o->no, vin);
        break;
    }
    case SIM_S_PREP: {
        int k = sim_prep_next(st);
        *type = "vehicle_prep", *who = cons;
        ok = k >= 0 && cJSON_AddStringToObject(a, "step", prep_steps[k]);
        snprintf(line, linesz, "%-13s %s %s", "preparation", o->no, k >= 0 ? prep_steps[k] : "?");
        break;
    }
    case SIM_S_INVOICE:
        snprintf(ref, sizeof ref, "FP%s", o->no + (strlen(o->no) > 2 ? 2 : 0));
        *type = "invoice_issue", *who = SIM_FINANCE;
        ok = cJSON_AddStringToObject(a, "invoice_no", ref);
        snprintf(line, linesz, "%-13s %s %s", "invoice", o->no, ref);
        break;
    case SIM_S_READY: {
        o->deliver_sim = s->now + sim_rng_span(&s->rng, 40 * SIM_MIN_MS, 150 * SIM_MIN_MS);
        char hhmm[8];
        sim_clock(s, o->deliver_sim, hhmm);
        const char *place = sim_rng_below(&s->rng, 2) ? "交车区 1" : "交车区 2";
        *type = "order_ready", *who = cons;
        cJSON *docs = cJSON_AddObjectToObject(a, "documents");
        ok = docs &&
             cJSON_AddNumberToObject(a, "delivery_at", (double)sim_hub_time(s, o->deliver_sim)) &&
             cJSON_AddStringToObject(a, "delivery_place", place) &&
             cJSON_AddBoolToObject(docs, "invoice", true) &&
             cJSON_AddBoolToObject(docs, "coc", true) &&
             cJSON_AddBoolToObject(docs, "warranty", true);
        snprintf(line, linesz, "%-13s %s hand-over at %s, %s", "ready", o->no, hhmm, place);
        break;
    }
    case SIM_S_DELIVER: {
        int roll = sim_rng_below(&s->rng, 100), rating = roll < 55 ? 5 : roll < 90 ? 4 : 3;
        *type = "order_deliver", *who = cons;
        ok = sim_add_signoff(s, a, rating) == 0;
        snprintf(line, linesz, "%-13s %s signed, rated %d/5", "delivery", o->no, rating);
        break;
    }
    case SIM_S_CLOSE:
        *type = "order_close", *who = SIM_MANAGER;
        snprintf(line, linesz, "%-13s %s", "close", o->no);
        break;
    default:
        ok = false;
    }
    return ok ? 0 : -1;
}

/* Counts what the step did; `after` is the order the hub returned. */
static void sim_order_count(struct sim *s, struct sim_order *o, enum sim_step w, const cJSON *after)
{
    const char *is = sim_str(after, "stage");
    switch (w) {
    case SIM_S_DEPOSIT:
    case SIM_S_PAY:
    case SIM_S_DOWN_PAYMENT:
        s->n.payments++;
        break;
    case SIM_S_CHANGE_REVIEW:
        s->n.changes_reviewed++;
        break;
    case SIM_S_REVIEW:
        if (is && strcmp(is, "returned") == 0) {
            s->n.reviews_returned++;
            o->returned = true;
        } else {
            s->n.reviews_passed++;
        }
        break;
    case SIM_S_APPROVE:
        if (is && strcmp(is, "returned") == 0) {
            s->n.rejections++;
            o->returned = true;
        } else {
            s->n.approvals++;
        }
        break;
    case SIM_S_EDIT:
        o->edited = true;
        break;
    case SIM_S_RESUBMIT:
        o->edited = false;
        s->n.resubmits++;
        break;
    case SIM_S_LOAN:
        s->n.loan_steps++;
        break;
    case SIM_S_ALLOCATE:
        s->n.allocations++;
        break;
    case SIM_S_ARRIVED:
        s->n.arrivals++;
        break;
    case SIM_S_PREP:
        s->n.prep_steps++;
        break;
    case SIM_S_INVOICE:
        s->n.invoices++;
        break;
    case SIM_S_READY:
        s->n.ready++;
        break;
    case SIM_S_DELIVER:
        s->n.deliveries++;
        break;
    case SIM_S_CLOSE:
        s->n.closed++;
        break;
    default:
        break;
    }
}

int sim_order_step(struct sim *s, uint32_t ref)
{
    struct sim_order *o = &s->orders[ref];
    enum sim_step w = sim_order_what(o, o->state);
    if (w == SIM_S_NONE)
        return 0;
    const char *type = NULL;
    int who = SIM_SUPERVISOR;
    cJSON *args = NULL;
    char line[256];
    if (sim_order_build(s, o, w, &type, &who, &args, line, sizeof line) != 0) {
        cJSON_Delete(args);
        s->fatal = SIM_FAILED;
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_do(s, &s->staff[who], type, args, &r, "%s", line);
    cJSON_Delete(args);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1; /* refused: this order rests for today */
    const cJSON *after = cJSON_GetObjectItemCaseSensitive(r.data, "order");
    sim_order_count(s, o, w, after);
    o->steps_left--;
    int rc2 = sim_order_next(s, ref, after);
    cJSON_Delete(r.data);
    if (rc2 != 0)
        s->fatal = SIM_FAILED;
    return rc2;
}

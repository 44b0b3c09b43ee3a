/* demo-year's orders, from entry to closing, and complaints: each order follows the path its
 * plan gives it (a return at the initial review, a rejection at the final one, a colour
 * change, a loan, a factory car and a moved ETA, a late review or close that breaches a time
 * limit, a cancellation with its refund), one request at a time by the staff member whose
 * job it is (hub/ORDERS.md), at working hours of the simulated clock. */
#include <stdio.h>
#include <string.h>

#include "demo_year.h"

#define DEPOSIT_FEN 500000 /* 5,000 yuan on signing */

enum step {
    OS_DEPOSIT,
    OS_REVIEW,
    OS_EDIT,
    OS_RESUBMIT,
    OS_APPROVE,
    OS_CHANGE_REQ,
    OS_CHANGE_SUP,
    OS_CHANGE_MGR,
    OS_ALLOCATE,
    OS_LOAN_DOCS,
    OS_LOAN_BANK,
    OS_LOAN_CONTRACT,
    OS_DOWN,
    OS_ETA_MOVE,
    OS_ETA_NOTE,
    OS_ARRIVED,
    OS_PREP,
    OS_BALANCE,
    OS_INVOICE,
    OS_READY,
    OS_DELIVER,
    OS_CLOSE,
    OS_CANCEL_REQ,
    OS_CANCEL_SUP,
    OS_CANCEL_MGR,
    OS_REFUND,
    OS_DONE
};

enum cstep { CS_OPEN, CS_FIRST, CS_CONTACT, CS_PROGRESS, CS_CLOSE, CS_SURVEY, CS_DONE };
static int dy_complaint_rated(struct dy *y, uint32_t order, int64_t now);

static const char *const colours[] = {"珍珠白", "曜石黑", "星空灰", "极光蓝", "熔岩红"};
static const char *const configs[] = {"舒适版", "豪华版", "旗舰版"};

static int64_t span(struct dy *y, int64_t lo, int64_t hi)
{
    return dy_rng_span(&y->rng, lo, hi);
}

/* The next working moment at or after `at` (09:00-20:00 local). */
static int64_t working(struct dy *y, int site, int64_t at)
{
    int64_t day = domain_day_start(at, y->site[site].offset), into = at - day;
    if (into < 9 * DY_HOUR_MS)
        return day + 9 * DY_HOUR_MS + span(y, 0, 60 * DY_MIN_MS);
    if (into >= 20 * DY_HOUR_MS)
        return day + DY_DAY_MS + 9 * DY_HOUR_MS + span(y, 0, 60 * DY_MIN_MS);
    return at;
}

static cJSON *order_args(const struct dy_order *o)
{
    cJSON *a = cJSON_CreateObject();
    if (a && !cJSON_AddStringToObject(a, "order_no", o->no)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

static void later(struct dy *y, uint32_t ref, int64_t at, bool work_hours)
{
    const struct dy_order *o = &y->orders[ref];
    dy_plan(y, work_hours ? working(y, o->site, at) : at, DY_A_ORDER_STEP, ref);
}

static int create(struct dy *y, int site, uint32_t person, int model, int64_t consultant,
                  const char *channel, int64_t now)
{
    const struct core_staff *cons = dy_staff(y, consultant);
    if (!cons)
        return 0;
    if (dy_grow((void **)&y->orders, &y->cap_orders, y->n_orders, sizeof *y->orders))
        return -1;
    uint32_t ref = (uint32_t)y->n_orders;
    struct dy_order *o = &y->orders[ref];
    memset(o, 0, sizeof *o);
    o->site = (uint8_t)site;
    o->model = (uint8_t)model;
    o->person = person;
    o->consultant = consultant;

    int u = dy_rng_below(&y->rng, 1000);
    o->loan = dy_rng_below(&y->rng, 100) < 35;
    o->at_once = !o->loan && dy_rng_below(&y->rng, 100) < 25; /* pays everything on signing */
    o->factory = dy_rng_below(&y->rng, 100) < 40;
    o->returns = u < 80;              /* 8 %: sent back by the initial review */
    o->rejected = u >= 80 && u < 110; /* 3 %: rejected by the final review */
    o->change = dy_rng_below(&y->rng, 100) < 4;
    o->eta_moves = o->factory && dy_rng_below(&y->rng, 100) < 15;
    o->late_close = dy_rng_below(&y->rng, 100) < 5;
    o->company = dy_rng_below(&y->rng, 100) < 3;
    int c = dy_rng_below(&y->rng, 100);
    o->cancel_at = c < 2 ? OS_ALLOCATE : c < 4 ? OS_PREP : 0;
    static const uint8_t ratings[20] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2};
    o->rating = ratings[dy_rng_below(&y->rng, 20)];
    if (o->rating == 2 && dy_rng_below(&y->rng, 3) == 0)
        o->rating = 1;
    const struct dy_model *m = &dy_models[o->model];
    int qty = o->company ? 2 + dy_rng_below(&y->rng, 3) : 1;
    /* a discount of up to 8 %, in whole hundreds of yuan */
    int64_t unit = (m->price_fen - m->price_fen * dy_rng_below(&y->rng, 9) / 100) / 10000 * 10000;
    o->total_fen = unit * qty;

    char phone[PROTO_MAX_PHONE + 1], name[PROTO_MAX_NAME + 1];
    int female;
    dy_person(o->person, phone, name, &female);
    cJSON *a = cJSON_CreateObject();
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "phone", phone);
    if (o->company) {
        char company[PROTO_MAX_NAME + 32]; /* names are short; the hub checks the length */
        snprintf(company, sizeof company, "上海%s物流有限公司", name);
        cJSON_AddStringToObject(a, "customer_name", company);
        cJSON_AddStringToObject(a, "customer_kind", "company");
        cJSON_AddStringToObject(a, "contact_name", name);
        cJSON_AddStringToObject(a, "legal_rep", name);
        cJSON_AddStringToObject(a, "company_address", "上海市浦东新区张江路 88 号");
        cJSON_AddStringToObject(a, "business_scope", "道路货物运输");
        static const char *const ratings_c[] = {"A", "B", "B", "C"};
        cJSON_AddStringToObject(a, "credit_rating", ratings_c[dy_rng_below(&y->rng, 4)]);
        cJSON_AddNumberToObject(a, "credit_limit_fen", 50000000);
    } else {
        cJSON_AddStringToObject(a, "customer_name", name);
        cJSON_AddStringToObject(a, "gender", female ? "female" : "male");
    }
    cJSON_AddStringToObject(a, "model", m->code);
    cJSON_AddStringToObject(a, "config", configs[dy_rng_below(&y->rng, 3)]);
    cJSON_AddStringToObject(a, "colour", colours[dy_rng_below(&y->rng, 5)]);
    cJSON_AddNumberToObject(a, "quantity", qty);
    cJSON_AddNumberToObject(a, "unit_price_fen", (double)unit);
    cJSON_AddStringToObject(a, "payment", o->loan ? "loan" : "full");
    cJSON_AddStringToObject(a, "channel", channel);
    cJSON_AddNumberToObject(a, "received_at", (double)(now - span(y, 0, 30 * DY_MIN_MS)));
    cJSON_AddNumberToObject(a, "expected_delivery_at", (double)(now + 30 * DY_DAY_MS));
    cJSON *data = NULL;
    if (dy_cmd(y, &y->site[o->site].api_dev, cons, PROTO_T_ORDER_CREATE, a, now, &data))
        return 0;
    const char *no =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "order"), "order_no"));
    snprintf(o->no, sizeof o->no, "%s", no ? no : "");
    cJSON_Delete(data);
    if (!o->no[0])
        return 0;
    y->n_orders++;
    o->step = OS_DEPOSIT;
    later(y, ref, now + span(y, 5 * DY_MIN_MS, 60 * DY_MIN_MS), false);
    return 0;
}

int dy_order_create(struct dy *y, uint32_t visit, int64_t now)
{
    const struct dy_visit *v = &y->visits[visit];
    if (!v->id)
        return 0;
    return create(y, v->site, v->person, v->model, v->consultant, "showroom", now);
}

int dy_order_by_phone(struct dy *y, uint32_t lead, int64_t now)
{
    const struct dy_lead *l = &y->leads[lead];
    const struct dy_site *s = &y->site[l->site];
    /* the lead is still with telesales, who pass the customer to a consultant: no conflict */
    int64_t cons = s->consultant[dy_rng_below(&y->rng, DY_N_CONSULTANT)].id;
    return create(y, l->site, l->person, l->model, cons, "phone", now);
}

static int pay(struct dy *y, struct dy_order *o, const char *kind, int64_t amount, int64_t now)
{
    if (amount <= 0)
        return 0;
    cJSON *a = order_args(o);
    if (!a)
        return -1;
    char ref[40];
    snprintf(ref, sizeof ref, "%s-%s", strcmp(kind, "loan_disbursement") == 0 ? "LOAN" : "POS",
             o->no + 2);
    cJSON_AddNumberToObject(a, "amount_fen", (double)amount);
    cJSON_AddStringToObject(a, "kind", kind);
    cJSON_AddStringToObject(a, "reference", ref);
    if (dy_cmd(y, &y->site[o->site].api_dev, &y->site[o->site].finance, PROTO_T_PAYMENT_CONFIRM, a,
               now, NULL))
        return 1;
    o->paid_fen += amount;
    return 0;
}

/* The step after `done`, by the order's plan. */
static enum step next_step(const struct dy_order *o, enum step done)
{
    enum step n;
    switch (done) {
    case OS_DEPOSIT:
        n = OS_REVIEW;
        break;
    case OS_REVIEW:
        return o->returns ? OS_EDIT : OS_APPROVE;
    case OS_EDIT:
        return OS_RESUBMIT;
    case OS_RESUBMIT:
        return OS_REVIEW;
    case OS_APPROVE:
        if (o->rejected)
            return OS_EDIT;
        n = o->change ? OS_CHANGE_REQ : OS_ALLOCATE;
        break;
    case OS_CHANGE_REQ:
        return OS_CHANGE_SUP;
    case OS_CHANGE_SUP:
        return OS_CHANGE_MGR;
    case OS_CHANGE_MGR:
        n = OS_ALLOCATE;
        break;
    case OS_ALLOCATE:
        n = o->loan      ? OS_LOAN_DOCS
            : o->factory ? (o->eta_moves ? OS_ETA_MOVE : OS_ARRIVED)
                         : OS_PREP;
        break;
    case OS_LOAN_DOCS:
        return OS_LOAN_BANK;
    case OS_LOAN_BANK:
        return OS_LOAN_CONTRACT;
    case OS_LOAN_CONTRACT:
        return OS_DOWN;
    case OS_DOWN:
        n = o->vin[0] ? OS_PREP : o->eta_moves ? OS_ETA_MOVE : OS_ARRIVED;
        break;
    case OS_ETA_MOVE:
        return OS_ETA_NOTE;
    case OS_ETA_NOTE:
        return OS_ARRIVED;
    case OS_ARRIVED:
        n = OS_PREP;
        break;
    case OS_PREP:
        n = o->prep_done < 3 ? OS_PREP : OS_BALANCE;
        break;
    case OS_BALANCE:
        return OS_INVOICE;
    case OS_INVOICE:
        return OS_READY;
    case OS_READY:
        return OS_DELIVER;
    case OS_DELIVER:
        return OS_CLOSE;
    case OS_CANCEL_REQ:
        return OS_CANCEL_SUP;
    case OS_CANCEL_SUP:
        return o->paid_fen > 0 ? OS_CANCEL_MGR : OS_DONE;
    case OS_CANCEL_MGR:
        return o->paid_fen > 0 ? OS_REFUND : OS_DONE;
    default:
        return OS_DONE;
    }
    return o->cancel_at && n == o->cancel_at ? OS_CANCEL_REQ : n;
}

/* When the next step happens, after `now`. */
static void plan_next(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_order *o = &y->orders[ref];
    int64_t h = DY_HOUR_MS, m = DY_MIN_MS, d = DY_DAY_MS;
    bool late = dy_rng_below(&y->rng, 100) < 6; /* a review that misses its time limit */
    switch ((enum step)o->step) {
    case OS_REVIEW:
        /* reviews keep to their limits (4 and 8 hours) even after hours, unless late */
        return later(y, ref, now + (late ? span(y, 5 * h, 9 * h) : span(y, 15 * m, 150 * m)),
                     false);
    case OS_APPROVE:
        return later(y, ref, now + (late ? span(y, 9 * h, 14 * h) : span(y, 30 * m, 5 * h)), false);
    case OS_RESUBMIT:
    case OS_CHANGE_SUP:
    case OS_CANCEL_SUP:
        return later(y, ref, now + span(y, 5 * m, 4 * h), true);
    case OS_ARRIVED: {
        int64_t at = o->eta + span(y, -d, d);
        return later(y, ref, at > now ? at : now + span(y, h, 8 * h), true);
    }
    case OS_ETA_MOVE: {
        int64_t at = o->eta - span(y, d, 4 * d);
        return later(y, ref, at > now ? at : now + span(y, h, 8 * h), true);
    }
    case OS_ETA_NOTE:
        return later(y, ref, now + (late ? span(y, 25 * h, 40 * h) : span(y, h, 20 * h)), !late);
    case OS_LOAN_BANK:
        return later(y, ref, now + span(y, d, 4 * d), true);
    case OS_READY:
    case OS_PREP:
    case OS_INVOICE:
    case OS_DOWN:
        return later(y, ref, now + span(y, h, d), true);
    case OS_DELIVER:
        return later(y, ref, o->delivery_at + span(y, 0, 20 * m), false);
    case OS_CLOSE:
        return later(y, ref,
                     now + (o->late_close ? span(y, 73 * h, 120 * h) : span(y, 2 * h, 48 * h)),
                     !o->late_close);
    case OS_REFUND:
        return later(y, ref, now + span(y, d, 5 * d), true);
    case OS_DONE:
        return;
    default:
        return later(y, ref, now + span(y, h, 2 * d), true);
    }
}

static cJSON *approve_args(const struct dy_order *o, bool approve, const char *reason)
{
    cJSON *a = order_args(o);
    if (a) {
        cJSON_AddBoolToObject(a, "approve", approve);
        if (reason)
            cJSON_AddStringToObject(a, "reason", reason);
    }
    return a;
}

static cJSON *signoff_args(struct dy *y, const struct dy_order *o)
{
    static const char *const items[] = {"vehicle_clean", "invoice",     "coc",      "warranty",
                                        "keys",          "accessories", "explained"};
    static const char *const comments[] = {
        "",           "非常不满意，交车等了很久", "车内有污渍，等待较久", "还可以",
        "交车很顺利", "服务很周到，非常满意"};
    cJSON *a = order_args(o), *cl = cJSON_AddObjectToObject(a, "checklist");
    cJSON *sig = cJSON_AddObjectToObject(a, "signature");
    cJSON *strokes = cJSON_AddArrayToObject(sig, "strokes");
    if (!cl || !strokes) {
        cJSON_Delete(a);
        return NULL;
    }
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        cJSON_AddBoolToObject(cl, items[i], true);
    for (int s = 0; s < 2; s++) { /* two strokes of a few points: a short signature */
        cJSON *st = cJSON_CreateArray();
        for (int p = 0; p < 4; p++) {
            int pt[3] = {40 + s * 100 + p * 25 + dy_rng_below(&y->rng, 10),
                         90 + dy_rng_below(&y->rng, 40), s * 400 + p * 40};
            cJSON_AddItemToArray(st, cJSON_CreateIntArray(pt, 3));
        }
        cJSON_AddItemToArray(strokes, st);
    }
    cJSON_AddNumberToObject(a, "rating", o->rating);
    cJSON_AddStringToObject(a, "comment", comments[o->rating]);
    return a;
}

/* Runs the order's current step. 0 when it ran (or was refused: counted by dy_cmd); the
 * order then stops, since every later step would be refused too. */
static int run_step(struct dy *y, uint32_t ref, struct dy_order *o, int64_t now, bool *ok)
{
    struct dy_site *s = &y->site[o->site];
    const struct core_staff *cons = dy_staff(y, o->consultant);
    const struct core_device *dev = &s->api_dev;
    cJSON *a = NULL;
    enum proto_type t;
    const struct core_staff *by = cons;
    *ok = false;
    switch ((enum step)o->step) {
    case OS_DEPOSIT:
        if (o->at_once)
            *ok = pay(y, o, "balance", o->total_fen, now) == 0;
        else
            *ok = pay(y, o, "deposit", o->total_fen < DEPOSIT_FEN ? o->total_fen : DEPOSIT_FEN,
                      now) == 0;
        return 0;
    case OS_BALANCE:
        if (o->loan)
            *ok = pay(y, o, "loan_disbursement", o->total_fen - o->paid_fen, now) == 0;
        else
            *ok = pay(y, o, "balance", o->total_fen - o->paid_fen, now) == 0;
        return 0;
    case OS_DOWN:
        *ok = pay(y, o, "down_payment", o->total_fen * 3 / 10 - o->paid_fen, now) == 0;
        return 0;
    case OS_REVIEW:
        t = PROTO_T_ORDER_REVIEW, by = &s->supervisor;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddBoolToObject(a, "pass", !o->returns);
        if (o->returns) {
            cJSON_AddStringToObject(a, "reason", "客户身份证复印件不清晰，请补充");
        } else if (o->company) {
            /* a company rated C needs a condition; the others pass plainly */
            cJSON *c = cJSON_AddArrayToObject(a, "conditions");
            cJSON_AddItemToArray(c, cJSON_CreateString("guarantee"));
        }
        break;
    case OS_EDIT:
        t = PROTO_T_ORDER_EDIT;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddStringToObject(
            a, "remarks", o->returns ? "已补充清晰的身份证复印件" : "首付比例已与客户确认调整");
        o->returns = 0;
        o->rejected = 0;
        break;
    case OS_RESUBMIT:
        t = PROTO_T_ORDER_RESUBMIT;
        a = order_args(o);
        break;
    case OS_APPROVE:
        t = PROTO_T_ORDER_APPROVE, by = &s->manager;
        a = approve_args(o, !o->rejected,
                         o->rejected ? "首付比例低于 30%，请与客户确认后重新提交" : NULL);
        break;
    case OS_CHANGE_REQ: {
        t = PROTO_T_ORDER_CHANGE_REQUEST;
        if (!(a = order_args(o)))
            return -1;
        cJSON *ch = cJSON_AddObjectToObject(a, "changes");
        cJSON_AddStringToObject(ch, "colour", colours[dy_rng_below(&y->rng, 5)]);
        cJSON_AddStringToObject(a, "reason", "客户改选颜色");
        break;
    }
    case OS_CHANGE_SUP:
    case OS_CHANGE_MGR:
        t = PROTO_T_ORDER_CHANGE_REVIEW;
        by = o->step == OS_CHANGE_SUP ? &s->supervisor : &s->manager;
        a = approve_args(o, true, "同意");
        break;
    case OS_ALLOCATE: {
        t = PROTO_T_ORDER_ALLOCATE, by = &s->supervisor;
        if (!(a = order_args(o)))
            return -1;
        struct dy_pool *p = &s->pool[o->model];
        if (!o->factory && p->n > 0) {
            memcpy(o->vin, p->vin[--p->n], sizeof o->vin);
            cJSON_AddStringToObject(a, "vin", o->vin);
        } else {
            o->factory = 1;
            o->eta = now + span(y, 10 * DY_DAY_MS, 30 * DY_DAY_MS);
            cJSON_AddNumberToObject(a, "factory_eta", (double)o->eta);
        }
        break;
    }
    case OS_LOAN_DOCS:
    case OS_LOAN_BANK:
    case OS_LOAN_CONTRACT: {
        static const char *const steps[] = {"documents", "bank_approved", "contract_signed"};
        t = PROTO_T_LOAN_STEP;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddStringToObject(a, "step", steps[o->step - OS_LOAN_DOCS]);
        break;
    }
    case OS_ETA_MOVE:
        t = PROTO_T_ORDER_ETA, by = &s->manager;
        if (!(a = order_args(o)))
            return -1;
        o->eta += span(y, 5 * DY_DAY_MS, 12 * DY_DAY_MS);
        cJSON_AddNumberToObject(a, "eta", (double)o->eta);
        cJSON_AddStringToObject(a, "reason", "厂家排产延迟");
        break;
    case OS_ETA_NOTE:
        t = PROTO_T_ORDER_NOTE;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddStringToObject(a, "way", "phone");
        cJSON_AddStringToObject(a, "summary", "已电话告知客户新的预计到店时间");
        cJSON_AddBoolToObject(a, "customer_visible", true);
        break;
    case OS_ARRIVED:
        t = PROTO_T_VEHICLE_ARRIVED, by = &s->supervisor;
        if (!(a = order_args(o)))
            return -1;
        dy_vin(y, o->site, o->model, o->vin);
        cJSON_AddStringToObject(a, "vin", o->vin);
        break;
    case OS_PREP: {
        static const char *const steps[] = {"cleaning", "inspection", "maintenance"};
        t = PROTO_T_VEHICLE_PREP;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddStringToObject(a, "step", steps[o->prep_done % 3]);
        break;
    }
    case OS_INVOICE: {
        t = PROTO_T_INVOICE_ISSUE, by = &s->finance;
        if (!(a = order_args(o)))
            return -1;
        char inv[40];
        snprintf(inv, sizeof inv, "FP%s", o->no + 2);
        cJSON_AddStringToObject(a, "invoice_no", inv);
        break;
    }
    case OS_READY: {
        t = PROTO_T_ORDER_READY;
        if (!(a = order_args(o)))
            return -1;
        o->delivery_at =
            dy_at_local(y, o->site, now + span(y, DY_DAY_MS, 5 * DY_DAY_MS), 10, 0, 0) +
            dy_rng_below(&y->rng, 14) * 30 * DY_MIN_MS;
        cJSON_AddNumberToObject(a, "delivery_at", (double)o->delivery_at);
        cJSON_AddStringToObject(a, "delivery_place", o->delivery_at % 2 ? "交车区 2" : "交车区 1");
        cJSON *docs = cJSON_AddObjectToObject(a, "documents");
        cJSON_AddBoolToObject(docs, "invoice", true);
        cJSON_AddBoolToObject(docs, "coc", true);
        cJSON_AddBoolToObject(docs, "warranty", true);
        break;
    }
    case OS_DELIVER:
        t = PROTO_T_ORDER_DELIVER, dev = &s->delivery_dev;
        a = signoff_args(y, o);
        break;
    case OS_CLOSE:
        t = PROTO_T_ORDER_CLOSE, by = &s->manager;
        a = order_args(o);
        break;
    case OS_CANCEL_REQ:
        t = PROTO_T_ORDER_CANCEL_REQUEST;
        if (!(a = order_args(o)))
            return -1;
        cJSON_AddStringToObject(a, "reason", "客户家庭原因放弃购车");
        break;
    case OS_CANCEL_SUP:
        t = PROTO_T_ORDER_CANCEL_REVIEW, by = &s->supervisor;
        if (!(a = approve_args(o, true, "同意")))
            return -1;
        cJSON_AddBoolToObject(a, "needs_manager", o->paid_fen > 0);
        break;
    case OS_CANCEL_MGR:
        t = PROTO_T_ORDER_CANCEL_APPROVE, by = &s->manager;
        a = approve_args(o, true, "同意退订");
        break;
    case OS_REFUND: {
        t = PROTO_T_REFUND_CONFIRM, by = &s->finance;
        if (!(a = order_args(o)))
            return -1;
        char rf[40];
        snprintf(rf, sizeof rf, "RF%s", o->no + 2);
        cJSON_AddNumberToObject(a, "amount_fen", (double)o->paid_fen);
        cJSON_AddStringToObject(a, "reference", rf);
        break;
    }
    default:
        return 0;
    }
    if (!a)
        return -1;
    if (!by)
        by = cons;
    *ok = dy_cmd(y, dev, by, t, a, now, NULL) == 0;
    (void)ref;
    return 0;
}

int dy_order_step(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_order *o = &y->orders[ref];
    bool ok;
    if (run_step(y, ref, o, now, &ok))
        return -1;
    if (!ok)
        return 0;
    enum step done = (enum step)o->step;
    if (done == OS_PREP)
        o->prep_done++;
    if ((done == OS_CANCEL_SUP && o->paid_fen <= 0) || done == OS_CANCEL_MGR) {
        /* cancelled: a reserved car went back to stock, where the next order may take it */
        struct dy_pool *p = &y->site[o->site].pool[o->model];
        if (o->vin[0] && dy_grow((void **)&p->vin, &p->cap, p->n, sizeof *p->vin) == 0)
            memcpy(p->vin[p->n++], o->vin, sizeof o->vin);
    }
    if (done == OS_DELIVER && domain_rating_opens_complaint(o->rating) &&
        dy_complaint_rated(y, ref, now))
        return -1;
    if (done == OS_DELIVER && dy_rng_below(&y->rng, 1000) < 15 && dy_complaint_open(y, ref, now))
        return -1;
    o->step = (uint8_t)next_step(o, done);
    plan_next(y, ref, now);
    return 0;
}

/* ---- complaints ---- */

static struct dy_complaint *new_complaint(struct dy *y, uint32_t order, uint32_t *ref)
{
    if (dy_grow((void **)&y->complaints, &y->cap_complaints, y->n_complaints,
                sizeof *y->complaints))
        return NULL;
    *ref = (uint32_t)y->n_complaints++;
    struct dy_complaint *c = &y->complaints[*ref];
    memset(c, 0, sizeof *c);
    c->site = y->orders[order].site;
    c->order = order;
    return c;
}

/* The hub opened a complaint for a low rating at the delivery; its manager handles it. */
static int dy_complaint_rated(struct dy *y, uint32_t order, int64_t now)
{
    uint32_t ref;
    struct dy_complaint *c = new_complaint(y, order, &ref);
    if (!c)
        return -1;
    c->id = ++y->complaint_ids; /* nothing else opens complaints in this database */
    c->rated = 1;
    c->step = CS_FIRST;
    dy_plan(y, now + span(y, 5 * DY_MIN_MS, 50 * DY_MIN_MS), DY_A_COMPLAINT, ref);
    return 0;
}

int dy_complaint_open(struct dy *y, uint32_t order, int64_t now)
{
    uint32_t ref;
    struct dy_complaint *c = new_complaint(y, order, &ref);
    if (!c)
        return -1;
    dy_plan(y, working(y, c->site, now + span(y, 3 * DY_DAY_MS, 30 * DY_DAY_MS)), DY_A_COMPLAINT,
            ref);
    return 0;
}

int dy_complaint_step(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_complaint *c = &y->complaints[ref];
    struct dy_site *s = &y->site[c->site];
    const struct dy_order *o = &y->orders[c->order];
    cJSON *a = cJSON_CreateObject(), *data = NULL;
    if (!a)
        return -1;
    enum proto_type t = PROTO_T_COMPLAINT_RESPOND;
    /* a rating's complaint is level 2: the manager's; the others start with the supervisor */
    const struct core_staff *by = c->rated ? &s->manager : &s->supervisor;
    static const char *const kinds[] = {"first_response", "contact", "progress"};
    static const char *const texts[] = {"已致电客户致歉并了解情况", "与客户约定到店面谈",
                                        "已联系厂家技术支持，等待检测结果"};
    if (c->step == CS_OPEN) {
        char phone[PROTO_MAX_PHONE + 1], name[PROTO_MAX_NAME + 1];
        dy_person(o->person, phone, name, NULL);
        t = PROTO_T_COMPLAINT_OPEN, by = &s->service;
        bool product = dy_rng_below(&y->rng, 2);
        cJSON_AddStringToObject(a, "phone", phone);
        cJSON_AddStringToObject(a, "name", name);
        cJSON_AddStringToObject(a, "channel", "phone");
        cJSON_AddStringToObject(a, "kind", product ? "product" : "service");
        cJSON_AddStringToObject(
            a, "summary", product ? "新车异响，检修未解决" : "首保预约被临时取消，未提前通知");
        cJSON_AddStringToObject(a, "order_no", o->no);
    } else {
        cJSON_AddNumberToObject(a, "complaint_id", (double)c->id);
        if (c->step <= CS_PROGRESS) {
            cJSON_AddStringToObject(a, "kind", kinds[c->step - CS_FIRST]);
            cJSON_AddStringToObject(a, "text", texts[c->step - CS_FIRST]);
        } else if (c->step == CS_CLOSE) {
            t = PROTO_T_COMPLAINT_CLOSE;
            cJSON_AddStringToObject(a, "resolution", "已为客户免费检修并赠送一次保养");
        } else {
            t = PROTO_T_COMPLAINT_SURVEY, by = &s->service;
            cJSON_AddNumberToObject(a, "satisfaction", 3 + dy_rng_below(&y->rng, 3));
            cJSON_AddStringToObject(a, "comment", "处理及时，态度很好");
        }
    }
    if (dy_cmd(y, &s->api_dev, by, t, a, now, c->step == CS_OPEN ? &data : NULL))
        return 0;
    if (c->step == CS_OPEN) {
        c->id = (int64_t)cJSON_GetNumberValue(
            cJSON_GetObjectItem(cJSON_GetObjectItem(data, "complaint"), "id"));
        cJSON_Delete(data);
        if (c->id != ++y->complaint_ids)
            fprintf(stderr, "showfloor demo-year: complaint %lld opened, %lld expected\n",
                    (long long)c->id, (long long)y->complaint_ids);
    }
    if (++c->step < CS_DONE) {
        int64_t gap = c->step == CS_FIRST ? span(y, 5 * DY_MIN_MS, 90 * DY_MIN_MS)
                                          : span(y, 2 * DY_HOUR_MS, 2 * DY_DAY_MS);
        dy_plan(y, working(y, c->site, now + gap), DY_A_COMPLAINT, ref);
    }
    return 0;
}

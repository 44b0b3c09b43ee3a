/* demo-year's leads and visits: a lead arrives from a channel (marketing enters web and
 * social leads, telesales their calls), telesales follow it up and grade it, and it ends
 * invalid, lost (graded F), or with an appointment, a showroom visit and an order. Walk-ins
 * check in at reception without a lead; some of them buy. Each step is the request the
 * staff member or kiosk would send, run by the hub's core at the simulated time. */
#include <stdio.h>
#include <string.h>

#include "demo_year.h"

static const struct {
    const char *code;
    int share;     /* per cent of leads */
    bool by_phone; /* entered by telesales themselves (they keep it) */
} channels[] = {
    {"web_autohome", 18, false},  {"web_yiche", 12, false},    {"web_official", 10, false},
    {"social_douyin", 10, false}, {"social_wechat", 8, false}, {"social_weibo", 2, false},
    {"phone_in", 12, true},       {"phone_out", 4, true},      {"auto_show", 8, false},
    {"manufacturer", 8, false},   {"partner", 3, false},       {"referral", 5, true},
};
#define N_CHANNELS ((int)(sizeof channels / sizeof channels[0]))

static const char *const regions[] = {"浦东", "徐汇", "闵行", "静安", "长宁", "杨浦", "宝山"};
static const char *const fu_content[] = {"介绍车型配置与优惠政策", "发送报价单与金融方案",
                                         "邀约周末到店试驾", "回访试驾感受", "确认购车预算与时间"};
static const char *const fu_feedback[] = {"客户比较关注续航", "客户在对比竞品", "客户表示周末有空",
                                          "家人意见不一，再考虑", "价格合适就考虑"};
static const char *const fu_ways[] = {"phone", "sms", "phone", "test_drive_invite", "email"};

static int pick_model(struct dy *y)
{
    int u = dy_rng_below(&y->rng, 100), acc = 0;
    for (int m = 0; m < DY_N_MODELS; m++)
        if (u < (acc += dy_models[m].share))
            return m;
    return DY_N_MODELS - 1;
}

/* The next working moment at or after `at` (09:00-20:00 local); staff do not call at night. */
static int64_t working(struct dy *y, int site, int64_t at)
{
    int64_t day = domain_day_start(at, y->site[site].offset), into = at - day;
    if (into < 9 * DY_HOUR_MS)
        return day + 9 * DY_HOUR_MS + dy_rng_span(&y->rng, 0, 90 * DY_MIN_MS);
    if (into >= 20 * DY_HOUR_MS)
        return day + DY_DAY_MS + 9 * DY_HOUR_MS + dy_rng_span(&y->rng, 0, 90 * DY_MIN_MS);
    return at;
}

/* A geometric count with mean m (capped): how many optional steps to take. */
static int extra(struct dy *y, double m, int cap)
{
    int n = 0;
    double q = m / (1 + m);
    while (n < cap && dy_rng_unit(&y->rng) < q)
        n++;
    return n;
}

static cJSON *lead_args(int64_t lead_id)
{
    cJSON *a = cJSON_CreateObject();
    if (a && !cJSON_AddNumberToObject(a, "lead_id", (double)lead_id)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

static int64_t id_of(const cJSON *obj, const char *key)
{
    return (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(obj, key));
}

int dy_flow_new_lead(struct dy *y, int site, int64_t at)
{
    if (y->n_leads >= (size_t)y->o.leads)
        return 0;
    uint32_t ref = (uint32_t)y->n_leads++;
    struct dy_lead *l = &y->leads[ref];
    memset(l, 0, sizeof *l);
    l->site = (uint8_t)site;
    l->person = y->persons++;
    l->model = (uint8_t)pick_model(y);
    y->leads_done++;
    /* Orders from leads are planned to meet their target exactly: each new lead that can
     * still order in the year orders with the probability that spreads what is missing over
     * the leads still to come before the cut-off. */
    double left_w = y->w_cutoff - y->w_done;
    double left_leads = (double)y->o.leads * (left_w > 0 ? left_w : 0) / y->w_total;
    int64_t need = y->lead_orders_target - y->lead_orders_planned;
    double p_order = need <= 0 ? 0 : left_leads < 1 ? 0 : (double)need / (left_leads * 0.95);
    if (p_order > 0.95)
        p_order = 0.95;
    double u = dy_rng_unit(&y->rng);
    if (dy_rng_below(&y->rng, 100) < 5) {
        l->plan = DY_LEAD_INCOMPLETE;
    } else if (u < p_order) {
        l->plan = DY_LEAD_ORDER;
        y->lead_orders_planned++;
        l->fu_left = (uint8_t)(1 + extra(y, 0.3 * y->k, 2));
    } else if (u < p_order + (1 - p_order) * 0.06) {
        l->plan = DY_LEAD_JUNK;
        l->fu_left = 1;
    } else if (u < p_order + (1 - p_order) * 0.10) {
        l->plan = DY_LEAD_NO_SHOW;
        l->fu_left = 1;
    } else {
        l->plan = DY_LEAD_LOST;
        l->fu_left = (uint8_t)(1 + extra(y, 0.9 * y->k, 6));
    }
    dy_plan(y, at, DY_A_LEAD_CREATE, ref);
    return 0;
}

static int lead_create(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_lead *l = &y->leads[ref];
    struct dy_site *s = &y->site[l->site];
    int u = dy_rng_below(&y->rng, 100), acc = 0, ch = N_CHANNELS - 1;
    for (int i = 0; i < N_CHANNELS; i++)
        if (u < (acc += channels[i].share)) {
            ch = i;
            break;
        }
    l->channel = (uint8_t)ch;
    char phone[PROTO_MAX_PHONE + 1], name[PROTO_MAX_NAME + 1], ref_text[32];
    int female;
    dy_person(l->person, phone, name, &female);
    const struct dy_model *m = &dy_models[l->model];
    cJSON *a = cJSON_CreateObject();
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "phone", phone);
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "gender", female ? "female" : "male");
    cJSON_AddStringToObject(a, "model", m->code);
    cJSON_AddStringToObject(a, "channel", channels[ch].code);
    cJSON_AddStringToObject(a, "region", regions[dy_rng_below(&y->rng, 7)]);
    if (l->plan != DY_LEAD_INCOMPLETE) /* budgets in round 10,000 yuan around the price */
        cJSON_AddNumberToObject(
            a, "budget_fen",
            (double)((m->price_fen / 1000000 + dy_rng_below(&y->rng, 5) - 1) * 1000000));
    /* telesales enter their calls and most platform leads themselves (and keep them);
     * marketing enters the rest, which the hub's assignment rule gives to telesales */
    const struct core_staff *by = &s->marketing;
    if (channels[ch].by_phone || dy_rng_below(&y->rng, 100) < 70) {
        by = &s->telesales[dy_rng_below(&y->rng, DY_N_TELESALES)];
    }
    if (!channels[ch].by_phone) {
        /* platforms number their leads; the inquiry came in a little before it was entered */
        snprintf(ref_text, sizeof ref_text, "%.4s-%u", channels[ch].code, ref + 100000);
        cJSON_AddStringToObject(a, "external_ref", ref_text);
        cJSON_AddNumberToObject(a, "created_at",
                                (double)(now - dy_rng_span(&y->rng, 0, 3 * DY_HOUR_MS)));
    }
    cJSON *data = NULL;
    if (dy_cmd(y, &s->api_dev, by, PROTO_T_LEAD_CREATE, a, now, &data))
        return 0;
    const cJSON *lead = cJSON_GetObjectItem(data, "lead");
    l->id = id_of(lead, "id");
    l->holder = id_of(cJSON_GetObjectItem(lead, "telesales"), "id");
    cJSON_Delete(data);
    if (l->plan == DY_LEAD_INCOMPLETE || !l->holder)
        return 0;
    /* the first callback: within the day for most; one in twenty misses its 24 hours */
    int64_t at =
        dy_rng_below(&y->rng, 100) < 5
            ? now + dy_rng_span(&y->rng, 25 * DY_HOUR_MS, 40 * DY_HOUR_MS)
            : working(y, l->site, now + dy_rng_span(&y->rng, 10 * DY_MIN_MS, 6 * DY_HOUR_MS));
    dy_plan(y, at, DY_A_LEAD_FOLLOWUP, ref);
    return 0;
}

static int lead_followup(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_lead *l = &y->leads[ref];
    struct dy_site *s = &y->site[l->site];
    const struct core_staff *by = dy_staff(y, l->holder);
    if (!by)
        return 0;
    bool first = l->grade == 0, last = l->fu_left <= 1;
    char grade = 0;
    if (l->plan == DY_LEAD_LOST && last)
        grade = 'F';
    else if (first && l->plan == DY_LEAD_ORDER)
        grade = dy_rng_below(&y->rng, 4) ? 'H' : 'A';
    else if (first && l->plan != DY_LEAD_JUNK)
        grade = dy_rng_below(&y->rng, 3) ? 'B' : 'A';
    int k = dy_rng_below(&y->rng, 5);
    cJSON *a = lead_args(l->id);
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "way", fu_ways[k]);
    cJSON_AddStringToObject(a, "content", fu_content[k]);
    cJSON_AddStringToObject(a, "feedback", fu_feedback[(k + l->fu_left) % 5]);
    if (grade) {
        char g[2] = {grade, 0};
        cJSON_AddStringToObject(a, "grade", g);
        l->grade = grade;
    } else if (!l->grade) {
        l->grade = 'B';
    }
    if (dy_cmd(y, &s->api_dev, by, PROTO_T_LEAD_FOLLOWUP, a, now, NULL))
        return 0;
    if (l->fu_left)
        l->fu_left--;
    if (l->fu_left > 0) {
        /* well within the grade's cadence (H 3 days, A 7, B 15) */
        int64_t cad = domain_grade_cadence_days(l->grade) * DY_DAY_MS;
        dy_plan(y, working(y, l->site, now + dy_rng_span(&y->rng, cad / 5, cad / 2)),
                DY_A_LEAD_FOLLOWUP, ref);
    } else if (l->plan == DY_LEAD_ORDER && dy_rng_unit(&y->rng) >= 0.35 + 0.65 * y->k) {
        /* decided on the phone: a consultant enters the order within a few days */
        dy_plan(y, working(y, l->site, now + dy_rng_span(&y->rng, DY_HOUR_MS, 4 * DY_DAY_MS)),
                DY_A_ORDER_PHONE, ref);
    } else if (l->plan == DY_LEAD_ORDER || l->plan == DY_LEAD_NO_SHOW) {
        dy_plan(y, now + dy_rng_span(&y->rng, 3 * DY_MIN_MS, 20 * DY_MIN_MS), DY_A_LEAD_APPOINT,
                ref);
    } else if (l->plan == DY_LEAD_JUNK) {
        dy_plan(y, working(y, l->site, now + dy_rng_span(&y->rng, DY_DAY_MS, 3 * DY_DAY_MS)),
                DY_A_LEAD_INVALIDATE, ref);
    }
    return 0;
}

static int lead_appoint(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_lead *l = &y->leads[ref];
    struct dy_site *s = &y->site[l->site];
    const struct core_staff *by = dy_staff(y, l->holder);
    if (!by)
        return 0;
    int64_t day = now + (1 + dy_rng_below(&y->rng, 6)) * DY_DAY_MS;
    l->appt_at = dy_at_local(y, l->site, day, 10, 0, 0) +
                 dy_rng_below(&y->rng, 15) * 30 * DY_MIN_MS; /* on the half hour, 10:00-17:00 */
    cJSON *a = lead_args(l->id);
    if (!a)
        return -1;
    cJSON_AddNumberToObject(a, "at", (double)l->appt_at);
    cJSON_AddStringToObject(a, "note", "到店看车试驾");
    if (dy_cmd(y, &s->api_dev, by, PROTO_T_APPOINTMENT_CREATE, a, now, NULL))
        return 0;
    if (l->plan == DY_LEAD_ORDER) {
        dy_plan(y, l->appt_at + dy_rng_span(&y->rng, -20 * DY_MIN_MS, 25 * DY_MIN_MS),
                DY_A_CHECKIN_LEAD, ref);
    } else {
        /* never came (the hub marks the no-show); telesales call once more and give up */
        l->plan = DY_LEAD_LOST;
        l->fu_left = 1;
        dy_plan(y, working(y, l->site, l->appt_at + DY_DAY_MS), DY_A_LEAD_FOLLOWUP, ref);
    }
    return 0;
}

static int lead_invalidate(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_lead *l = &y->leads[ref];
    cJSON *a = lead_args(l->id);
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "reason", "unreachable");
    cJSON_AddStringToObject(a, "note", "三次致电无人接听，空号");
    dy_cmd(y, &y->site[l->site].api_dev, &y->site[l->site].marketing, PROTO_T_LEAD_INVALIDATE, a,
           now, NULL);
    return 0;
}

/* ---- visits ---- */

static int new_visit(struct dy *y, int site, int32_t lead, uint32_t person, int model, bool buys,
                     uint32_t *ref)
{
    if (dy_grow((void **)&y->visits, &y->cap_visits, y->n_visits, sizeof *y->visits))
        return -1;
    *ref = (uint32_t)y->n_visits++;
    struct dy_visit *v = &y->visits[*ref];
    memset(v, 0, sizeof *v);
    v->site = (uint8_t)site;
    v->lead = lead;
    v->person = person;
    v->model = (uint8_t)model;
    v->orders = buys;
    return 0;
}

int dy_flow_walk_in(struct dy *y, int site, int64_t at, bool buys)
{
    uint32_t ref;
    if (new_visit(y, site, -1, y->persons++, pick_model(y), buys, &ref))
        return -1;
    if (buys)
        y->walkin_done++;
    dy_plan(y, at, DY_A_CHECKIN_WALKIN, ref);
    return 0;
}

static int checkin(struct dy *y, uint32_t ref, int64_t now, const char *source)
{
    struct dy_visit *v = &y->visits[ref];
    struct dy_site *s = &y->site[v->site];
    char phone[PROTO_MAX_PHONE + 1], name[PROTO_MAX_NAME + 1];
    int female;
    dy_person(v->person, phone, name, &female);
    cJSON *a = cJSON_CreateObject();
    if (!a)
        return -1;
    cJSON_AddStringToObject(a, "phone", phone);
    cJSON_AddBoolToObject(a, "consent", true);
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "gender", female ? "female" : "male");
    cJSON_AddStringToObject(a, "model", dy_models[v->model].code);
    cJSON_AddStringToObject(a, "source", source);
    cJSON_AddBoolToObject(a, "first_visit", v->lead < 0);
    cJSON *data = NULL;
    if (dy_cmd(y, &s->reception_dev, NULL, PROTO_T_CHECKIN, a, now, &data))
        return 0;
    v->id = id_of(cJSON_GetObjectItem(data, "visit"), "id");
    v->consultant = id_of(cJSON_GetObjectItem(data, "consultant"), "id");
    cJSON_Delete(data);
    if (v->lead >= 0 && v->consultant)
        y->leads[v->lead].holder = v->consultant; /* the consultant now owns the lead */
    if (v->consultant)
        dy_plan(y, now + dy_rng_span(&y->rng, DY_MIN_MS, 12 * DY_MIN_MS), DY_A_VISIT_SERVE, ref);
    return 0;
}

static cJSON *visit_args(const struct dy_visit *v)
{
    cJSON *a = cJSON_CreateObject();
    if (a && !cJSON_AddNumberToObject(a, "visit_id", (double)v->id)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

/* Plans the departure at `at`, but before closing time (21:00): after it the hub closes open
 * visits itself (a visit still open then is left to it). */
static void plan_depart(struct dy *y, uint32_t ref, int64_t now, int64_t at)
{
    int64_t closing = dy_at_local(y, y->visits[ref].site, now, 20, 50, 0);
    if (at >= closing)
        at = closing;
    if (at > now)
        dy_plan(y, at, DY_A_VISIT_DEPART, ref);
}

static int visit_serve(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_visit *v = &y->visits[ref];
    const struct core_staff *by = dy_staff(y, v->consultant);
    cJSON *a = visit_args(v);
    if (!a || !by) {
        cJSON_Delete(a);
        return a ? 0 : -1;
    }
    if (dy_cmd(y, &y->site[v->site].api_dev, by, PROTO_T_VISIT_SERVE, a, now, NULL))
        return 0;
    if (v->orders)
        dy_plan(y, now + dy_rng_span(&y->rng, 20 * DY_MIN_MS, 70 * DY_MIN_MS), DY_A_ORDER_CREATE,
                ref);
    else
        plan_depart(y, ref, now, now + dy_rng_span(&y->rng, 15 * DY_MIN_MS, 90 * DY_MIN_MS));
    return 0;
}

static int visit_depart(struct dy *y, uint32_t ref, int64_t now)
{
    struct dy_visit *v = &y->visits[ref];
    const struct core_staff *by = dy_staff(y, v->consultant);
    cJSON *a = visit_args(v);
    if (!a || !by) {
        cJSON_Delete(a);
        return a ? 0 : -1;
    }
    static const char *const trade_ins[] = {"", "", "", "2016 款大众朗逸", "2018 款本田思域"};
    const char *t = trade_ins[dy_rng_below(&y->rng, 5)];
    if (*t)
        cJSON_AddStringToObject(a, "trade_in", t);
    dy_cmd(y, &y->site[v->site].api_dev, by, PROTO_T_VISIT_DEPART, a, now, NULL);
    return 0;
}

int dy_flow_do(struct dy *y, const struct dy_action *a)
{
    switch ((enum dy_kind)a->kind) {
    case DY_A_LEAD_CREATE:
        return lead_create(y, a->ref, a->at);
    case DY_A_LEAD_FOLLOWUP:
        return lead_followup(y, a->ref, a->at);
    case DY_A_LEAD_APPOINT:
        return lead_appoint(y, a->ref, a->at);
    case DY_A_LEAD_INVALIDATE:
        return lead_invalidate(y, a->ref, a->at);
    case DY_A_CHECKIN_LEAD: {
        const struct dy_lead *l = &y->leads[a->ref];
        uint32_t ref;
        if (new_visit(y, l->site, (int32_t)a->ref, l->person, l->model, true, &ref))
            return -1;
        return checkin(y, ref, a->at, channels[l->channel].code);
    }
    case DY_A_CHECKIN_WALKIN:
        return checkin(y, a->ref, a->at, "walk_in");
    case DY_A_VISIT_SERVE:
        return visit_serve(y, a->ref, a->at);
    case DY_A_VISIT_DEPART:
        return visit_depart(y, a->ref, a->at);
    case DY_A_ORDER_CREATE:
        if (dy_order_create(y, a->ref, a->at))
            return -1;
        plan_depart(y, a->ref, a->at, a->at + dy_rng_span(&y->rng, 10 * DY_MIN_MS, 30 * DY_MIN_MS));
        return 0;
    case DY_A_ORDER_PHONE:
        return dy_order_by_phone(y, a->ref, a->at);
    case DY_A_ORDER_STEP:
        return dy_order_step(y, a->ref, a->at);
    case DY_A_COMPLAINT:
        return dy_complaint_step(y, a->ref, a->at);
    case DY_A__COUNT:
        break;
    }
    return 0;
}

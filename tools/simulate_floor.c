/* The simulated showroom floor: telesales booking visits, customers checking in at the
 * reception kiosk the way the kiosk does it (checkin_lookup, the new customer's answers, then
 * checkin), consultants serving them in turn and seeing them off, the visits that end in an
 * order, the day's conflict (a consultant's phone lead ordered by a colleague on the floor,
 * ruled by the supervisor) and the day's complaint (opened, answered, judged, closed,
 * surveyed). Every change is a hub command through simulate_http.c. */
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How customers say they heard of us at the kiosk (channel codes of PROTOCOL.md). */
static const char *const sources[] = {"walk_in",   "walk_in",       "web_autohome",  "web_yiche",
                                      "referral",  "social_douyin", "social_wechat", "web_official",
                                      "auto_show", "phone_in"};
static const char *const colours[] = {"珍珠白", "曜石黑", "星空灰", "极光蓝", "熔岩红"};
static const char grades[] = "HHAAAABBBBBBLF"; /* a first visit's grade, as consultants give them */
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *sim_str(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static int64_t sim_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* A read the kiosk or a screen makes before acting: sent, not counted as an action. */
static enum sim_rc sim_read(struct sim *s, struct sim_actor *a, const char *type, cJSON *args,
                            struct sim_reply *r)
{
    char id[PROTO_MAX_ID + 1];
    snprintf(id, sizeof id, "%s-%llu", s->tag, (unsigned long long)s->next_id++);
    enum sim_rc rc = sim_http_request(s->http, a, type, id, args, r);
    if (rc != SIM_OK && rc != SIM_REFUSED) {
        fprintf(stderr, "showfloor simulate: %s: %s\n", type, r->message);
        s->fatal = rc;
    }
    return rc;
}

static struct sim_actor *sim_visit_actor(struct sim *s, const struct sim_visit *v)
{
    return &s->staff[v->consultant >= 0 ? v->consultant : SIM_SUPERVISOR];
}

/* Telesales calls a prospect: a lead they hold, then a booked visit for it. */
static int sim_appointment(struct sim *s, uint32_t p)
{
    struct sim_person *who = &s->people[p];
    struct sim_actor *tele = &s->staff[SIM_TELESALES];
    const struct sim_model *m = &s->models[sim_rng_below(&s->rng, s->n_models)];
    /* booked for a little after the planned arrival: early is inside the window, and the
     * time is still ahead of the hub's clock when a lagging run sends it */
    int64_t at = sim_hub_time(s, who->expected) + 15 * SIM_MIN_MS;
    char hhmm[8], phone[PROTO_MAX_PHONE + 1];
    sim_clock(s, who->expected, hhmm);
    sim_mask_phone(who->phone, phone);
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "phone", who->phone) ||
        !cJSON_AddStringToObject(a, "channel", "phone_out") ||
        !cJSON_AddStringToObject(a, "name", who->name) ||
        !cJSON_AddStringToObject(a, "gender", who->gender) ||
        !cJSON_AddStringToObject(a, "model", m->code) ||
        !cJSON_AddNumberToObject(a, "budget_fen", (double)m->price_fen)) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_do(s, tele, "lead_create", a, &r, "%-13s %s %s calls about %s", "lead",
                            phone, tele->name, m->code);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    s->n.leads++;
    int64_t lead = sim_num(cJSON_GetObjectItemCaseSensitive(r.data, "lead"), "id");
    cJSON_Delete(r.data);
    if (!(a = cJSON_CreateObject()) || !cJSON_AddNumberToObject(a, "lead_id", (double)lead) ||
        !cJSON_AddNumberToObject(a, "at", (double)at) ||
        !cJSON_AddStringToObject(a, "note", "电话邀约到店试驾")) {
        cJSON_Delete(a);
        return -1;
    }
    rc = sim_do(s, tele, "appointment_create", a, &r, "%-13s lead %lld booked for about %s",
                "appointment", (long long)lead, hhmm);
    cJSON_Delete(a);
    if (rc == SIM_OK) {
        s->n.appointments++;
        cJSON_Delete(r.data);
    }
    return rc == SIM_OK || rc == SIM_REFUSED ? 0 : -1;
}

/* The visit's day: served in turn after whoever the consultant is with, a conversation, an
 * order now and then, goodbye. */
static int sim_visit_plan(struct sim *s, uint32_t vi, bool new_customer, bool invited)
{
    struct sim_visit *v = &s->visits[vi];
    struct sim_rng *r = &s->rng;
    int64_t serve = s->now + sim_rng_span(r, 2 * SIM_MIN_MS, 7 * SIM_MIN_MS);
    int k = v->consultant - SIM_CONSULTANT0;
    if (k >= 0 && k < SIM_N_CONSULTANTS && s->consultant_free[k] + SIM_MIN_MS > serve)
        serve = s->consultant_free[k] + sim_rng_span(r, SIM_MIN_MS, 4 * SIM_MIN_MS);
    int64_t depart = serve + sim_rng_span(r, 15 * SIM_MIN_MS, 55 * SIM_MIN_MS);
    if (k >= 0 && k < SIM_N_CONSULTANTS)
        s->consultant_free[k] = depart;
    int chance = invited ? 40 : new_customer ? 18 : 35;
    v->orders = k >= 0 && k < SIM_N_CONSULTANTS && sim_rng_below(r, 100) < chance;
    v->grade = grades[sim_rng_below(r, N_OF(grades) - 1)];
    if (sim_plan(s, serve, SIM_A_SERVE, vi) || sim_plan(s, depart, SIM_A_DEPART, vi))
        return -1;
    if (v->orders &&
        sim_plan(s, depart - sim_rng_span(r, 3 * SIM_MIN_MS, 9 * SIM_MIN_MS), SIM_A_ORDER, vi))
        return -1;
    return 0;
}

static int sim_arrive(struct sim *s, uint32_t p)
{
    struct sim_person *who = &s->people[p];
    char phone[PROTO_MAX_PHONE + 1];
    sim_mask_phone(who->phone, phone);
    /* 1. the kiosk asks the hub which path this phone takes */
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "phone", who->phone)) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_read(s, &s->reception, "checkin_lookup", a, &r);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    char path[16];
    snprintf(path, sizeof path, "%s", sim_str(r.data, "path") ? sim_str(r.data, "path") : "new");
    cJSON_Delete(r.data);
    bool is_new = strcmp(path, "new") == 0;
    int model = sim_rng_below(&s->rng, s->n_models);
    /* 2. a new customer answers the kiosk's questions; then the one check-in */
    if (!(a = cJSON_CreateObject()) || !cJSON_AddStringToObject(a, "phone", who->phone) ||
        !cJSON_AddBoolToObject(a, "consent", true) ||
        (is_new &&
         (!cJSON_AddStringToObject(a, "name", who->name) ||
          !cJSON_AddStringToObject(a, "gender", who->gender) ||
          !cJSON_AddStringToObject(a, "model", s->models[model].code) ||
          !cJSON_AddStringToObject(a, "source", sources[sim_rng_below(&s->rng, N_OF(sources))]) ||
          !cJSON_AddBoolToObject(a, "first_visit", sim_rng_below(&s->rng, 100) < 85)))) {
        cJSON_Delete(a);
        return -1;
    }
    rc = sim_do(s, &s->reception, "checkin", a, &r, "%-13s %s %s", "check-in", phone, path);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    const cJSON *visit = cJSON_GetObjectItemCaseSensitive(r.data, "visit");
    const cJSON *cons = cJSON_GetObjectItemCaseSensitive(r.data, "consultant");
    const char *masked = sim_str(cJSON_GetObjectItemCaseSensitive(r.data, "customer"), "name");
    const char *by = sim_str(r.data, "assigned_by");
    bool again = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.data, "already_checked_in"));
    printf("       %s → %s (%s), queue %lld, about %lld min%s\n", masked ? masked : "?",
           sim_str(cons, "name") ? sim_str(cons, "name") : "reception staff", by ? by : "?",
           (long long)sim_num(r.data, "queue_position"),
           (long long)sim_num(r.data, "estimated_wait_min"), again ? " (already here)" : "");
    s->n.checkins++;
    s->n.new_customers += is_new;
    s->n.invited += strcmp(path, "invited") == 0;
    s->n.returning += !is_new && strcmp(path, "invited") != 0;
    who->known = true;
    int64_t visit_id = sim_num(visit, "id"), cons_id = sim_num(cons, "id");
    cJSON_Delete(r.data);
    if (again || visit_id <= 0)
        return 0;
    if (sim_grow((void **)&s->visits, &s->cap_visits, s->n_visits, sizeof *s->visits) != 0)
        return -1;
    uint32_t vi = (uint32_t)s->n_visits++;
    struct sim_visit *v = &s->visits[vi];
    memset(v, 0, sizeof *v);
    v->id = visit_id;
    v->person = p;
    v->model = model;
    v->consultant = cons_id ? sim_staff_by_id(s, cons_id) : -1;
    return sim_visit_plan(s, vi, is_new, strcmp(path, "invited") == 0);
}

static int sim_visit_step(struct sim *s, const struct sim_action *act)
{
    struct sim_visit *v = &s->visits[act->ref];
    struct sim_actor *by = sim_visit_actor(s, v);
    cJSON *a = cJSON_CreateObject();
    bool depart = act->kind == SIM_A_DEPART;
    bool grade = depart && !v->orders;
    if (!a || !cJSON_AddNumberToObject(a, "visit_id", (double)v->id) ||
        (grade && !cJSON_AddStringToObject(a, "grade", (char[]){v->grade, '\0'}))) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc;
    if (depart)
        rc = sim_do(s, by, "visit_depart", a, &r, "%-13s visit %lld, %s sees the customer off%s%s",
                    "departure", (long long)v->id, by->name, grade ? ", grade " : "",
                    grade ? (char[]){v->grade, '\0'} : "");
    else
        rc = sim_do(s, by, "visit_serve", a, &r, "%-13s visit %lld, %s comes to the customer",
                    "serve", (long long)v->id, by->name);
    cJSON_Delete(a);
    if (rc == SIM_OK) {
        if (depart)
            s->n.departed++;
        else
            s->n.served++;
        cJSON_Delete(r.data);
    }
    return rc == SIM_OK || rc == SIM_REFUSED ? 0 : -1;
}

/* order_create by consultant `who` for person p; the order joins today's (tracked). */
static int sim_order_create(struct sim *s, int who, uint32_t p, int model, const char *why)
{
    struct sim_person *c = &s->people[p];
    struct sim_rng *r = &s->rng;
    bool loan = sim_rng_below(r, 100) < 35;
    const struct sim_model *m = &s->models[model % s->n_models];
    char phone[PROTO_MAX_PHONE + 1];
    sim_mask_phone(c->phone, phone);
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "phone", c->phone) ||
        !cJSON_AddStringToObject(a, "customer_name", c->name) ||
        !cJSON_AddStringToObject(a, "gender", c->gender) ||
        !cJSON_AddStringToObject(a, "model", m->code) ||
        !cJSON_AddStringToObject(a, "colour", colours[sim_rng_below(r, N_OF(colours))]) ||
        !cJSON_AddNumberToObject(a, "quantity", 1) ||
        !cJSON_AddNumberToObject(a, "unit_price_fen", (double)m->price_fen) ||
        !cJSON_AddStringToObject(a, "payment", loan ? "loan" : "full") ||
        !cJSON_AddStringToObject(a, "channel", "showroom") ||
        !cJSON_AddNumberToObject(a, "expected_delivery_at",
                                 (double)(sim_hub_time(s, s->now) + 30 * SIM_DAY_MS))) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply rep;
    enum sim_rc rc = sim_do(s, &s->staff[who], "order_create", a, &rep,
                            "%-13s %s %s %s, %s, by %s%s", "new order", phone, m->code,
                            loan ? "loan" : "full payment", why, s->staff[who].name, "");
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(rep.data, "order");
    printf("       order %s\n", sim_str(order, "order_no") ? sim_str(order, "order_no") : "?");
    s->n.orders_created++;
    int ix = sim_order_track(s, order, true, 40);
    int rc2 = ix < 0 ? -1 : sim_order_next(s, (uint32_t)ix, NULL);
    cJSON_Delete(rep.data);
    return rc2;
}

/* ---- the conflict ---- */

static int sim_conflict_lead(struct sim *s)
{
    struct sim_person *c = &s->people[s->conflict.person];
    struct sim_actor *owner = &s->staff[s->conflict.owner];
    const struct sim_model *m = &s->models[0];
    char phone[PROTO_MAX_PHONE + 1];
    sim_mask_phone(c->phone, phone);
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "phone", c->phone) ||
        !cJSON_AddStringToObject(a, "channel", "phone_in") ||
        !cJSON_AddStringToObject(a, "name", c->name) ||
        !cJSON_AddStringToObject(a, "gender", c->gender) ||
        !cJSON_AddStringToObject(a, "model", m->code) ||
        !cJSON_AddNumberToObject(a, "budget_fen", (double)m->price_fen)) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc =
        sim_do(s, owner, "lead_create", a, &r, "%-13s %s phone inquiry about %s, %s owns the lead",
               "lead", phone, m->code, owner->name);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    s->n.leads++;
    s->conflict.lead_id = sim_num(cJSON_GetObjectItemCaseSensitive(r.data, "lead"), "id");
    cJSON_Delete(r.data);
    s->conflict.lead_ok = s->conflict.lead_id > 0;
    /* the owner's follow-up is the evidence the supervisor weighs */
    if (!(a = cJSON_CreateObject()) ||
        !cJSON_AddNumberToObject(a, "lead_id", (double)s->conflict.lead_id) ||
        !cJSON_AddStringToObject(a, "way", "phone") ||
        !cJSON_AddStringToObject(a, "content", "介绍了配置和价格，客户说这几天到店看车") ||
        !cJSON_AddStringToObject(a, "grade", "H")) {
        cJSON_Delete(a);
        return -1;
    }
    rc = sim_do(s, owner, "lead_followup", a, &r, "%-13s lead %lld called back, graded H",
                "follow-up", (long long)s->conflict.lead_id);
    cJSON_Delete(a);
    if (rc == SIM_OK)
        cJSON_Delete(r.data);
    return rc == SIM_OK || rc == SIM_REFUSED ? 0 : -1;
}

/* The open conflict on our lead, from the supervisor's list; 0 when there is none. */
static int64_t sim_conflict_find(struct sim *s)
{
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "status", "open") ||
        !cJSON_AddNumberToObject(a, "limit", 200)) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_read(s, &s->staff[SIM_SUPERVISOR], "conflict_list", a, &r);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1;
    int64_t id = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(r.data, "conflicts"))
    {
        if (sim_num(c, "lead_id") == s->conflict.lead_id)
            id = sim_num(c, "id");
    }
    cJSON_Delete(r.data);
    return id;
}

static int sim_conflict_poach(struct sim *s)
{
    if (!s->conflict.lead_ok)
        return 0;
    size_t before = s->n_orders;
    if (sim_order_create(s, s->conflict.poacher, s->conflict.person, 0,
                         "a walk-in served on the floor") != 0)
        return -1;
    if (s->n_orders == before)
        return 0;
    int64_t id = sim_conflict_find(s);
    if (id < 0)
        return -1;
    s->conflict.conflict_id = id;
    if (id > 0) {
        s->n.conflicts++;
        printf("       conflict %lld opened: the lead is %s's (撞单)\n", (long long)id,
               s->staff[s->conflict.owner].name);
    }
    return 0;
}

static int sim_conflict_rule(struct sim *s)
{
    if (!s->conflict.conflict_id)
        return 0;
    struct sim_actor *owner = &s->staff[s->conflict.owner];
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddNumberToObject(a, "conflict_id", (double)s->conflict.conflict_id) ||
        !cJSON_AddStringToObject(a, "winner", owner->staff_no) ||
        !cJSON_AddStringToObject(a, "reason", "客户首次来电由其接待并已跟进，线索在先")) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_do(s, &s->staff[SIM_SUPERVISOR], "conflict_rule", a, &r,
                            "%-13s conflict %lld: %s keeps the customer (lead first)", "ruling",
                            (long long)s->conflict.conflict_id, owner->name);
    cJSON_Delete(a);
    if (rc == SIM_OK) {
        s->n.rulings++;
        cJSON_Delete(r.data);
    }
    return rc == SIM_OK || rc == SIM_REFUSED ? 0 : -1;
}

/* ---- the complaint: open, first response, validity, close, survey ---- */

static int sim_complaint(struct sim *s)
{
    /* when each later step is due, as a share of the day: the whole story fits in any day,
     * and the first response (on site: 10 minutes) always comes within minutes */
    static const int share_pct[] = {0, 0, 30, 50, 75};
    struct sim_person *c = &s->people[s->complaint.person];
    int step = s->complaint.step;
    struct sim_actor *by = &s->staff[step == 0 || step == 4 ? SIM_SERVICE : SIM_SUPERVISOR];
    cJSON *a = cJSON_CreateObject();
    const char *type;
    char line[192], phone[PROTO_MAX_PHONE + 1];
    sim_mask_phone(c->phone, phone);
    bool ok = a != NULL;
    if (step == 0) {
        bool order = s->complaint.order_no[0] != '\0';
        type = "complaint_open";
        ok = ok && cJSON_AddStringToObject(a, "phone", c->phone) &&
             cJSON_AddStringToObject(a, "name", c->name) &&
             cJSON_AddStringToObject(a, "channel", "on_site") &&
             cJSON_AddStringToObject(a, "kind", "service") &&
             cJSON_AddStringToObject(a, "summary",
                                     order ? "首保预约被临时取消，事先没有通知"
                                           : "在展厅等候二十分钟无人接待") &&
             (!order || cJSON_AddStringToObject(a, "order_no", s->complaint.order_no));
        snprintf(line, sizeof line, "%-13s %s on site, service%s%s", "complaint", phone,
                 order ? ", order " : "", s->complaint.order_no);
    } else {
        ok = ok && cJSON_AddNumberToObject(a, "complaint_id", (double)s->complaint.id);
        if (step == 1) {
            type = "complaint_respond";
            ok = ok && cJSON_AddStringToObject(a, "kind", "first_response") &&
                 cJSON_AddStringToObject(a, "text", "已当面向客户致歉并了解经过");
            snprintf(line, sizeof line, "%-13s complaint %lld first response by %s", "complaint",
                     (long long)s->complaint.id, by->name);
        } else if (step == 2) {
            type = "complaint_validity";
            ok = ok && cJSON_AddBoolToObject(a, "valid", true);
            snprintf(line, sizeof line, "%-13s complaint %lld judged valid", "complaint",
                     (long long)s->complaint.id);
        } else if (step == 3) {
            type = "complaint_close";
            ok = ok && cJSON_AddStringToObject(a, "resolution", "重新安排首保并赠送一次免费保养");
            snprintf(line, sizeof line, "%-13s complaint %lld closed: a free service offered",
                     "complaint", (long long)s->complaint.id);
        } else {
            type = "complaint_survey";
            ok = ok && cJSON_AddNumberToObject(a, "satisfaction", 4) &&
                 cJSON_AddStringToObject(a, "comment", "处理及时");
            snprintf(line, sizeof line, "%-13s complaint %lld survey: 4/5", "complaint",
                     (long long)s->complaint.id);
        }
    }
    if (!ok) {
        cJSON_Delete(a);
        return -1;
    }
    struct sim_reply r;
    enum sim_rc rc = sim_do(s, by, type, a, &r, "%s", line);
    cJSON_Delete(a);
    if (rc != SIM_OK)
        return rc == SIM_REFUSED ? 0 : -1; /* refused: the story ends here */
    if (step == 0) {
        s->complaint.id = sim_num(cJSON_GetObjectItemCaseSensitive(r.data, "complaint"), "id");
        s->n.complaints++;
    } else {
        s->n.complaint_steps++;
    }
    cJSON_Delete(r.data);
    if (++s->complaint.step > 4 || (step == 0 && s->complaint.id <= 0))
        return 0;
    int64_t at = s->now + sim_rng_span(&s->rng, 4 * SIM_MIN_MS, 8 * SIM_MIN_MS);
    if (at < s->dur * share_pct[step + 1] / 100)
        at = s->dur * share_pct[step + 1] / 100 + sim_rng_span(&s->rng, 0, 10 * SIM_MIN_MS);
    return sim_plan(s, at, SIM_A_COMPLAINT, 0);
}

int sim_floor_run(struct sim *s, const struct sim_action *act)
{
    switch (act->kind) {
    case SIM_A_APPOINTMENT:
        return sim_appointment(s, act->ref);
    case SIM_A_ARRIVE:
        return sim_arrive(s, act->ref);
    case SIM_A_SERVE:
    case SIM_A_DEPART:
        return sim_visit_step(s, act);
    case SIM_A_ORDER: {
        const struct sim_visit *v = &s->visits[act->ref];
        return sim_order_create(s, v->consultant, v->person, v->model, "after a test drive");
    }
    case SIM_A_LEAD:
        return sim_conflict_lead(s);
    case SIM_A_POACH:
        return sim_conflict_poach(s);
    case SIM_A_RULE:
        return sim_conflict_rule(s);
    case SIM_A_COMPLAINT:
        return sim_complaint(s);
    case SIM_A_ORDER_STEP:
        return sim_order_step(s, act->ref);
    }
    return 0;
}

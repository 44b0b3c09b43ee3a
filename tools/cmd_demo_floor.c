/* The demo's showroom floor (issue 4), added after the leads, orders and visits of
 * cmd_demo.c: staff regions and expertise, every lead's holder history and follow-ups (a
 * few overdue), an appointment due today, an open conflict, complaints at each level (one
 * past its deadline), satisfaction records, and one phone per check-in case to try. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_demo.h"
#include "cmd_direct.h"

#define MIN_MS  (60 * 1000LL)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS  (24 * HOUR_MS)

static const struct {
    const char *no, *region, *models;
    int ability;
} attrs[] = {
    {"S002", "浦东", "XH7,XH9", 4}, {"S003", "浦东", "XH7,XH5", 4}, {"S004", "徐汇", "XH9,YL6", 3},
    {"S005", "闵行", "XH3,CT8", 5}, {"S006", "浦东", "XH7", 2},
};
static const char *const regions[] = {"浦东", "徐汇", "闵行", "静安", "浦东"};
static const char *const fu_content[] = {"介绍车型配置与优惠政策", "发送报价单与金融方案",
                                         "邀约周末到店试驾", "回访试驾感受"};
static const char *const fu_feedback[] = {"客户比较关注续航", "客户在对比竞品", "客户表示周末有空",
                                          "家人意见不一，再考虑"};
static const char *const fu_ways[] = {"phone", "sms", "phone", "test_drive_invite"};

static int fail(const char *what, const struct proto_error *err)
{
    cli_fail(what, err);
    return -1;
}

static int64_t staff_id(struct cli *c, const char *no, char *name, size_t namesz)
{
    struct store_staff st;
    struct proto_error err;
    if (store_staff_find(c->store, no, &st, &err) != 0)
        return 0;
    if (name)
        snprintf(name, namesz, "%s", st.name);
    return st.id;
}

struct ids {
    int64_t v[128];
    size_t n;
};
static int collect(void *ctx, const struct store_lead *l)
{
    struct ids *ids = ctx;
    if (ids->n < sizeof ids->v / sizeof ids->v[0])
        ids->v[ids->n++] = l->id;
    return 0;
}

static int followup(struct cli *c, int64_t lead, int64_t staff, int k, char grade, int64_t at,
                    bool grade_due)
{
    struct proto_error err;
    struct store_lead_followup f = {.lead_id = lead, .grade = grade, .staff_id = staff, .at = at};
    snprintf(f.way, sizeof f.way, "%s", fu_ways[k % 4]);
    snprintf(f.content, sizeof f.content, "%s", fu_content[k % 4]);
    snprintf(f.feedback, sizeof f.feedback, "%s", fu_feedback[k % 4]);
    struct store_lead l;
    if (store_leads_get(c->store, lead, &l, &err))
        return fail("demo-data: lead", &err);
    char g = grade ? grade : l.grade;
    return store_leads_followup(c->store, &f, domain_lead_next_due(g, at), grade_due, NULL, &err)
               ? fail("demo-data: follow-up", &err)
               : 0;
}

/* The customer's newest order at the site, 0 if none. */
static int first_order(void *ctx, const struct store_order *o)
{
    *(int64_t *)ctx = o->id;
    return 0;
}
static int64_t customer_order(struct cli *c, int64_t site_id, const char *phone)
{
    struct store_order_filter f = {.site_id = site_id, .stage = -1, .q = phone, .limit = 1};
    struct proto_error err;
    int64_t id = 0;
    return store_orders_list(c->store, &f, first_order, &id, NULL, &err) ? 0 : id;
}

struct floor {
    struct cli *c;
    int64_t site_id;
    int64_t telesales, consultant[4], supervisor, manager, gm;
    char names[4][PROTO_MAX_NAME + 1];
    int64_t visited[8]; /* customers in the showroom today: not a check-in case */
    size_t n_visited;
    int open_seen, overdue;
};

static bool visited_today(const struct floor *fl, int64_t customer)
{
    for (size_t i = 0; i < fl->n_visited; i++)
        if (fl->visited[i] == customer)
            return true;
    return false;
}

static int note_visit(void *ctx, const struct store_visit *v)
{
    struct floor *fl = ctx;
    if (fl->n_visited < 8)
        fl->visited[fl->n_visited++] = v->customer_id;
    return 0;
}

/* One lead's history: name and region, status from its grade, who held it and the
 * follow-ups that set its next due time. Every tenth open lead is left overdue. */
static int shape_lead(struct floor *fl, int64_t id, int64_t now)
{
    struct cli *c = fl->c;
    struct proto_error err;
    struct store_lead l;
    struct store_customer cust;
    if (store_leads_get(c->store, id, &l, &err) ||
        store_customers_get(c->store, l.customer_id, &cust, &err))
        return fail("demo-data: lead", &err);
    snprintf(l.name, sizeof l.name, "%s", cust.name);
    snprintf(l.region, sizeof l.region, "%s", regions[id % 5]);
    if (l.grade == 'F')
        l.status = STORE_LEAD_LOST;
    if (l.grade == 'O') {
        int64_t order = customer_order(c, fl->site_id, cust.phone);
        if (order)
            l.order_id = order, l.status = STORE_LEAD_CONVERTED, l.graded_at = l.created_at;
    }
    int64_t owner = l.owner_id;
    l.owner_id = 0; /* the history below hands it over */
    if (store_leads_update(c->store, &l, l.created_at, &err))
        return fail("demo-data: lead", &err);
    if (l.status == STORE_LEAD_INVALID)
        return 0; /* flagged by marketing: never assigned */
    /* telesales gets every lead within the hour; a consultant takes over after two days */
    int64_t t1 = l.created_at + HOUR_MS;
    if (store_leads_assign(c->store, id, fl->telesales, 0, "rule", t1 + DAY_MS, t1, NULL, &err))
        return fail("demo-data: assign", &err);
    int k = (int)(id % 4);
    if (followup(fl->c, id, fl->telesales, k, 0, t1 + 2 * HOUR_MS, false))
        return -1;
    if (owner) {
        int64_t t2 = l.created_at + 2 * DAY_MS;
        if (store_leads_assign(c->store, id, owner, fl->supervisor, "邀约到店，转交销售顾问",
                               t2 + DAY_MS, t2, NULL, &err))
            return fail("demo-data: assign", &err);
        if (followup(fl->c, id, owner, k + 1, 0, t2 + 3 * HOUR_MS, false))
            return -1;
    }
    if (l.status != STORE_LEAD_OPEN)
        return 0;
    /* the latest follow-up: in time for most, a cadence ago plus a day for every tenth */
    int64_t holder = owner ? owner : fl->telesales;
    int cadence = domain_grade_cadence_days(l.grade);
    if (!cadence)
        return 0;
    bool late = fl->open_seen++ % 10 == 4;
    int64_t last =
        late ? now - (int64_t)(cadence + 1) * DAY_MS : now - (int64_t)(id % 2 + 1) * DAY_MS;
    int64_t prev = owner ? l.created_at + 2 * DAY_MS + 3 * HOUR_MS : t1 + 2 * HOUR_MS;
    if (last <= prev)
        return 0; /* too young for a third call; the last one's cadence is still ahead */
    fl->overdue += late;
    return followup(fl->c, id, holder, k + 2, l.grade, last, false);
}

/* A phone no customer has: the reception kiosk's "new customer" case. */
static int new_phone(struct cli *c, char out[PROTO_MAX_PHONE + 1])
{
    struct store_customer cust;
    struct proto_error err;
    for (int i = 0; i < 1000; i++) {
        snprintf(out, PROTO_MAX_PHONE + 1, "1880000%04d", 1234 + i * 7);
        if (store_customers_find_by_phone(c->store, out, &cust, &err) != 0)
            return err.code == PROTO_E_NOT_FOUND ? 0 : fail("demo-data: customer", &err);
    }
    return -1;
}

static int audit_id(struct cli *c, int64_t site_id, const char *entity, int64_t id,
                    const char *action, const char *what)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    return cmd_audit_kv(c, site_id, entity, text, action,
                        (const char *const[]){"demo", what, NULL});
}

/* The check-in cases: an open lead of a customer not in the showroom today, without an
 * order, held as `want` says. */
enum holder { HELD_TELESALES, HELD_ON_DUTY, HELD_ON_REST };
struct pick_ctx {
    struct floor *fl;
    enum holder want;
    const int64_t *skip; /* lead ids taken by another case, 0-terminated */
    struct store_lead found;
};
static int pick(void *ctx, const struct store_lead *l)
{
    struct pick_ctx *p = ctx;
    struct floor *fl = p->fl;
    if (l->status != STORE_LEAD_OPEN || l->grade == 'F' || l->grade == 'O' ||
        visited_today(fl, l->customer_id))
        return 0;
    for (const int64_t *s = p->skip; s && *s; s++)
        if (*s == l->id)
            return 0;
    struct store_customer cust;
    struct proto_error err;
    if (store_customers_get(fl->c->store, l->customer_id, &cust, &err) ||
        customer_order(fl->c, fl->site_id, cust.phone))
        return 0;
    bool ok = p->want == HELD_TELESALES ? !l->owner_id && l->invited_by
              : p->want == HELD_ON_REST ? l->owner_id == fl->consultant[3]
                                        : l->owner_id && l->owner_id != fl->consultant[3];
    if (!ok)
        return 0;
    p->found = *l;
    return 1;
}
static int pick_lead(struct floor *fl, enum holder want, const int64_t *skip,
                     struct store_lead *out)
{
    struct pick_ctx p = {fl, want, skip, {0}};
    struct store_lead_filter f = {.site_id = fl->site_id, .status = STORE_LEAD_OPEN, .limit = 200};
    struct proto_error err;
    store_leads_list(fl->c->store, &f, pick, &p, NULL, &err); /* stops at the first match */
    *out = p.found;
    return p.found.id ? 0 : -1;
}

static int phone_of(struct cli *c, int64_t customer, char out[PROTO_MAX_PHONE + 1])
{
    struct store_customer cust;
    struct proto_error err;
    if (store_customers_get(c->store, customer, &cust, &err))
        return fail("demo-data: customer", &err);
    snprintf(out, PROTO_MAX_PHONE + 1, "%s", cust.phone);
    return 0;
}

static int add_conflict(struct floor *fl, const struct store_lead *l, int64_t now)
{
    struct proto_error err;
    int64_t rival = l->owner_id == fl->consultant[0] ? fl->consultant[1] : fl->consultant[0];
    struct store_conflict *cf = calloc(1, sizeof *cf);
    if (!cf)
        return -1;
    cf->site_id = fl->site_id;
    cf->customer_id = l->customer_id;
    cf->lead_id = l->id;
    cf->opened_at = now - 3 * HOUR_MS;
    snprintf(cf->claimants, sizeof cf->claimants,
             "[{\"staff_id\":%lld,\"role\":\"owner\",\"evidence\":{\"lead_created_at\":%lld,"
             "\"followups\":2,\"last_followup_at\":%lld}},"
             "{\"staff_id\":%lld,\"role\":\"serving\",\"evidence\":{\"followups\":0,"
             "\"served_at\":%lld}}]",
             (long long)l->owner_id, (long long)l->created_at, (long long)l->last_followup_at,
             (long long)rival, (long long)cf->opened_at);
    int64_t id;
    int rc =
        store_conflicts_add(fl->c->store, cf, &id, &err) ? fail("demo-data: conflict", &err) : 0;
    free(cf);
    return rc ? -1 : audit_id(fl->c, fl->site_id, "conflict", id, "conflict_open", "demo");
}

/* One complaint with its steps: responses at the given offsets (0: none). */
struct complaint_plan {
    const char *channel, *kind, *summary;
    int level;          /* final level: escalated step by step from 1 */
    int64_t opened_ago; /* ms before now */
    int64_t first_after, contact_after, progress_after; /* ms after opening, 0 none */
    bool close, must_resolve, rating;
};

static int add_complaint(struct floor *fl, const struct complaint_plan *p, int64_t customer,
                         int64_t order, int64_t now, int64_t *out_id)
{
    struct cli *c = fl->c;
    struct proto_error err;
    struct store_complaint *cp = calloc(1, sizeof *cp);
    if (!cp)
        return -1;
    int64_t t0 = now - p->opened_ago;
    cp->site_id = fl->site_id;
    cp->customer_id = customer;
    cp->order_id = order;
    snprintf(cp->channel, sizeof cp->channel, "%s", p->channel);
    snprintf(cp->kind, sizeof cp->kind, "%s", p->kind);
    snprintf(cp->summary, sizeof cp->summary, "%s", p->summary);
    snprintf(cp->source, sizeof cp->source, "%s", p->rating ? "delivery_rating" : "direct");
    cp->level = p->rating ? 2 : 1;
    cp->handler_id = p->rating ? fl->manager : fl->supervisor;
    cp->must_resolve = p->must_resolve;
    cp->opened_at = t0;
    cp->opened_by = p->rating ? 0 : fl->consultant[0];
    int64_t id;
    int start = cp->level;
    int rc = store_complaints_add(c->store, cp, &id, &err);
    free(cp);
    if (rc)
        return fail("demo-data: complaint", &err);
    *out_id = id;
    static const char *const who[] = {"", "", "服务经理", "总经理"};
    if ((p->first_after &&
         store_complaints_respond(c->store, id, "first_response", "已致电客户致歉并了解情况",
                                  p->rating ? fl->manager : fl->supervisor, t0 + p->first_after,
                                  &err)) ||
        (p->contact_after && store_complaints_respond(c->store, id, "contact", "与客户约定到店面谈",
                                                      fl->supervisor, t0 + p->contact_after, &err)))
        return fail("demo-data: complaint", &err);
    for (int lv = start + 1; lv <= p->level; lv++) {
        char reason[64];
        snprintf(reason, sizeof reason, "客户不满意处理结果，升级至%s", who[lv]);
        if (store_complaints_escalate(c->store, id, lv, lv == 2 ? fl->manager : fl->gm, reason,
                                      fl->supervisor, t0 + (int64_t)lv * 6 * HOUR_MS, &err))
            return fail("demo-data: complaint", &err);
    }
    if (p->progress_after &&
        store_complaints_respond(c->store, id, "progress", "已联系厂家技术支持，等待检测结果",
                                 p->level == 3 ? fl->gm : fl->supervisor, t0 + p->progress_after,
                                 &err))
        return fail("demo-data: complaint", &err);
    if (p->level == 3 &&
        store_complaints_set_validity(c->store, id, STORE_VALIDITY_VALID, "经核实属实", fl->gm,
                                      t0 + 13 * HOUR_MS, &err))
        return fail("demo-data: complaint", &err);
    if (p->close) {
        struct store_satisfaction sv = {.site_id = fl->site_id,
                                        .complaint_id = id,
                                        .score = 4,
                                        .staff_id = fl->supervisor,
                                        .at = now - 20 * HOUR_MS};
        snprintf(sv.comment, sizeof sv.comment, "%s", "处理及时，态度很好");
        if (store_complaints_close(c->store, id, "已为客户重新安排保养并赠送一次免费洗车",
                                   fl->supervisor, now - DAY_MS, &err) ||
            store_satisfaction_add(c->store, &sv, NULL, &err))
            return fail("demo-data: complaint", &err);
    }
    return audit_id(c, fl->site_id, "complaint", id, "complaint_open", p->summary);
}

/* Delivered orders: their ratings go to the satisfaction table; a 2 opens a case. */
struct delivered {
    int64_t id[4], customer[4], at[4];
    int n;
};
static int note_delivered(void *ctx, const struct store_order *o)
{
    struct delivered *d = ctx;
    if ((o->stage == DOMAIN_STAGE_DELIVERED || o->stage == DOMAIN_STAGE_CLOSED) && d->n < 4) {
        d->id[d->n] = o->id;
        d->customer[d->n] = o->customer_id;
        d->at[d->n++] = o->times.delivered_at;
    }
    return 0;
}

static int add_complaints(struct floor *fl, int64_t now, struct cmd_demo_floor *out)
{
    struct cli *c = fl->c;
    struct proto_error err;
    struct delivered d = {0};
    struct store_order_filter f = {.site_id = fl->site_id, .stage = -1, .limit = 200};
    if (store_orders_list(c->store, &f, note_delivered, &d, NULL, &err))
        return fail("demo-data: orders", &err);
    int low = -1; /* the delivery rated 1 or 2 */
    for (int i = 0; i < d.n; i++) {
        struct store_signoff so;
        if (store_signoffs_get(c->store, d.id[i], &so, &err))
            return fail("demo-data: sign-off", &err);
        struct store_satisfaction r = {.site_id = fl->site_id,
                                       .order_id = d.id[i],
                                       .score = so.rating ? so.rating : 5,
                                       .at = d.at[i]};
        snprintf(r.comment, sizeof r.comment, "%s", so.comment);
        store_signoff_free(&so);
        if (r.score <= 2 && low < 0)
            low = i;
        if (store_satisfaction_add(c->store, &r, NULL, &err))
            return fail("demo-data: rating", &err);
    }
    struct store_lead_filter lf = {.site_id = fl->site_id, .status = -1, .limit = 3};
    struct ids some = {0};
    if (store_leads_list(c->store, &lf, collect, &some, NULL, &err) || some.n < 3)
        return fail("demo-data: leads", &err);
    int64_t cust[3];
    for (int i = 0; i < 3; i++) {
        struct store_lead l;
        if (store_leads_get(c->store, some.v[i], &l, &err))
            return fail("demo-data: lead", &err);
        cust[i] = l.customer_id;
    }
    static const struct complaint_plan plans[] = {
        /* level 1 on site, answered within its 10 minutes */
        {"on_site", "service", "展厅等待时间过长，无人接待", 1, 25 * MIN_MS, 5 * MIN_MS, 0, 0,
         false, false, false},
        /* level 1 from the call centre, no reply for three hours: past its 2 h */
        {"call_centre", "service", "预约保养被临时取消，未提前通知", 1, 3 * HOUR_MS, 0, 0, 0, false,
         false, false},
        /* level 3: escalated twice, with the general manager now */
        {"phone", "product", "新车异响，两次检修未解决", 3, 2 * DAY_MS, HOUR_MS, 3 * HOUR_MS,
         36 * HOUR_MS, false, false, false},
        /* closed, with a survey */
        {"email", "service", "发票信息有误", 1, 3 * DAY_MS, HOUR_MS, 0, 5 * HOUR_MS, true, false,
         false},
    };
    int64_t id;
    for (int i = 0; i < 4; i++)
        if (add_complaint(fl, &plans[i], cust[i % 3], 0, now, &id))
            return -1;
    out->complaints = 4;
    if (low >= 0) {
        /* the low delivery rating: level 2, must resolve, opened at the delivery */
        struct complaint_plan rated = {"on_site",
                                       "service",
                                       "交车评价低分：交车等了一个多小时",
                                       2,
                                       now - d.at[low],
                                       5 * MIN_MS,
                                       0,
                                       0,
                                       false,
                                       true,
                                       true};
        if (add_complaint(fl, &rated, d.customer[low], d.id[low], now, &id))
            return -1;
        out->complaints++;
    }
    return 0;
}

int cmd_demo_floor_add(struct cli *c, int64_t site_id, int utc_offset, struct cmd_demo_floor *out)
{
    struct proto_error err;
    int64_t now = c->now;
    memset(out, 0, sizeof *out);
    struct floor fl = {.c = c, .site_id = site_id};
    fl.telesales = staff_id(c, "S002", out->telesales_name, sizeof out->telesales_name);
    static const char *const cons[4] = {"S003", "S004", "S005", "S006"};
    for (int i = 0; i < 4; i++)
        fl.consultant[i] = staff_id(c, cons[i], fl.names[i], sizeof fl.names[i]);
    fl.supervisor = staff_id(c, "S007", NULL, 0);
    fl.manager = staff_id(c, "S008", NULL, 0);
    fl.gm = staff_id(c, CMD_DEMO_GM, NULL, 0);
    if (!fl.telesales || !fl.supervisor || !fl.manager || !fl.gm || !fl.consultant[3]) {
        fprintf(stderr, "showfloor demo-data: the demo staff are missing\n");
        return -1;
    }
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (store_staff_set_attrs(c->store, staff_id(c, attrs[i].no, NULL, 0), attrs[i].region,
                                  attrs[i].models, attrs[i].ability, &err))
            return fail("demo-data: staff", &err);
    if (store_settings_text_set(c->store, site_id, "general_manager_staff_no", CMD_DEMO_GM, &err))
        return fail("demo-data: settings", &err);
    int64_t day0 = domain_day_start(now, utc_offset);
    if (store_visits_list(c->store, site_id, day0, day0 + DAY_MS, false, note_visit, &fl, &err))
        return fail("demo-data: visits", &err);

    /* every lead's history, oldest first */
    struct ids all = {0};
    struct store_lead_filter f = {.site_id = site_id, .status = -1, .limit = 200};
    if (store_leads_list(c->store, &f, collect, &all, NULL, &err))
        return fail("demo-data: leads", &err);
    for (size_t i = all.n; i-- > 0;)
        if (shape_lead(&fl, all.v[i], now))
            return -1;

    /* the check-in cases; each case and story gets its own lead */
    int64_t taken[8] = {0};
    struct store_lead invited, owned, rest;
    if (pick_lead(&fl, HELD_TELESALES, taken, &invited) ||
        (taken[0] = invited.id, pick_lead(&fl, HELD_ON_DUTY, taken, &owned))) {
        fprintf(stderr, "showfloor demo-data: no lead fits a check-in case\n");
        return -1;
    }
    taken[1] = owned.id;
    /* invited: the inviter booked a visit an hour from now */
    struct store_appointment a = {.site_id = site_id,
                                  .lead_id = invited.id,
                                  .customer_id = invited.customer_id,
                                  .telesales_id = fl.telesales,
                                  .at = now + HOUR_MS,
                                  .created_at = now - DAY_MS};
    int64_t appt;
    if (store_appointments_add(c->store, &a, &appt, &err))
        return fail("demo-data: appointment", &err);
    if (audit_id(c, site_id, "appointment", appt, "appointment_create", "demo") ||
        phone_of(c, invited.customer_id, out->invited_phone) ||
        phone_of(c, owned.customer_id, out->owned_phone))
        return -1;
    out->appointment_at = a.at;
    for (int i = 0; i < 4; i++)
        if (owned.owner_id == fl.consultant[i])
            snprintf(out->owner_name, sizeof out->owner_name, "%s", fl.names[i]);
    if (pick_lead(&fl, HELD_ON_REST, taken, &rest) == 0) {
        taken[2] = rest.id;
        if (phone_of(c, rest.customer_id, out->rest_phone))
            return -1;
        snprintf(out->rest_owner, sizeof out->rest_owner, "%s", fl.names[3]);
    }
    if (new_phone(c, out->new_phone))
        return -1;

    /* a first callback missed: a supervisor reassigned a lead 30 hours ago, nobody called */
    struct store_lead late;
    if (pick_lead(&fl, HELD_TELESALES, taken, &late) == 0) {
        taken[3] = late.id;
        if (store_leads_assign(c->store, late.id, fl.telesales, fl.supervisor, "重新分配",
                               now - 6 * HOUR_MS, now - 30 * HOUR_MS, NULL, &err))
            return fail("demo-data: assign", &err);
        fl.overdue++;
    }
    out->overdue = fl.overdue;
    /* a no-show: booked for two hours ago, never came (the hub marks it on its first tick) */
    struct store_lead spare;
    if (pick_lead(&fl, HELD_ON_DUTY, taken, &spare) == 0) {
        taken[4] = spare.id;
        struct store_appointment ns = {.site_id = site_id,
                                       .lead_id = spare.id,
                                       .customer_id = spare.customer_id,
                                       .telesales_id = fl.telesales,
                                       .at = now - 2 * HOUR_MS,
                                       .created_at = now - 2 * DAY_MS};
        if (store_appointments_add(c->store, &ns, NULL, &err))
            return fail("demo-data: appointment", &err);
    }

    /* an open conflict: the owner and another consultant both claim a customer */
    struct store_lead disputed;
    if (pick_lead(&fl, HELD_ON_DUTY, taken, &disputed) == 0) {
        if (add_conflict(&fl, &disputed, now))
            return -1;
        out->conflicts = 1;
        snprintf(out->conflict_owner, sizeof out->conflict_owner, "%s",
                 disputed.owner_id == fl.consultant[0] ? fl.names[0] : fl.names[1]);
    }
    return add_complaints(&fl, now, out);
}

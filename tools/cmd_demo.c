/* `showfloor demo-data`: one believable dealership — a site, staff across the roles with
 * PINs, six models, sixty leads across grades and channels, twenty orders spread over the
 * life cycle, and customers in the showroom now. Deterministic for a given --seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_demo.h"
#include "cmd_direct.h"
#include "core_secret.h"
#include "seed.h"

#define MIN_MS  (60 * 1000LL)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS  (24 * HOUR_MS)

struct rng {
    uint64_t s;
};

/* splitmix64: small, fast and good enough to make demo data look random. */
static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rng_below(struct rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

static const struct {
    const char *no, *name, *role, *pin;
} demo_staff[] = {
    {"S001", "周丽", "reception", "1001"},      {"S002", "陈静", "telesales", "1002"},
    {"S003", "张伟", "consultant", "1003"},     {"S004", "李娜", "consultant", "1004"},
    {"S005", "王强", "consultant", "1005"},     {"S006", "刘洋", "consultant", "1006"},
    {"S007", "赵敏", "supervisor", "1007"},     {"S008", "孙浩", "manager", "1008"},
    {"S009", "吴芳", "finance", "1009"},        {"S010", "郑磊", "service", "1010"},
    {"S011", "黄婷", "marketing", "1011"},      {"S012", "马超", "admin", "1012"},
    {CMD_DEMO_GM, "钱建华", "manager", "1013"}, /* general manager: level-3 complaints */
};
#define N_STAFF (sizeof demo_staff / sizeof demo_staff[0])
/* Consultants are S003..S006; S006 is on rest today so the rotation visibly skips him. */
#define FIRST_CONSULTANT 2
#define N_CONSULTANTS    4
#define TELESALES        1
#define SUPERVISOR       6
#define MANAGER          7

static const struct {
    const char *code, *name, *name_en;
    int64_t price_fen;
} demo_models[] = {
    {"XH3", "星河 3", "Xinghe 3", 11980000},
    {"XH5", "星河 5", "Xinghe 5", 14980000},
    {"XH7", "星河 7 SUV", "Xinghe 7 SUV", 18980000},
    {"XH9", "星河 9 MPV", "Xinghe 9 MPV", 25980000},
    {"YL6", "远览 6", "Yuanlan 6", 16580000},
    {"CT8", "驰途 8 轻客", "Chitu 8 Van", 13880000},
};
#define N_MODELS (sizeof demo_models / sizeof demo_models[0])

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                       "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
                                       "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "欧阳"};
static const char *const given_m[] = {"建国", "伟",   "磊",   "军",   "勇",   "涛",   "明",
                                      "超",   "俊杰", "浩然", "志强", "宇航", "子轩", "文博"};
static const char *const given_f[] = {"芳", "娜",   "敏",   "静",   "丽",   "婷",   "雪",
                                      "慧", "欣怡", "梓涵", "雨桐", "佳琪", "晓燕", "美玲"};
static const char *const colours[] = {"珍珠白", "曜石黑", "星空灰", "极光蓝", "熔岩红"};
static const char *const channels[] = {
    "auto_show",     "web_official", "web_autohome", "web_yiche",     "phone_in",
    "phone_out",     "walk_in",      "partner",      "social_wechat", "social_weibo",
    "social_douyin", "manufacturer", "referral"};
static const char *const mobile_prefixes[] = {"138", "139", "136", "135", "158", "159", "150",
                                              "186", "187", "177", "189", "133", "199", "166"};

/* Sixty leads: grades as a real pipeline looks (many B, fewer H), the O ones ordered. */
static const char lead_grades[] = "HHHHHHHHHAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBBBBBFFFFFLLLLOOOOOOO";
#define N_LEADS 60

/* Twenty orders over the life cycle, each with a story the demo should show. */
enum story {
    STORY_PLAIN,
    STORY_BREACH,         /* entered long ago, still awaiting the initial review */
    STORY_RESUBMITTED,    /* rejected at final review, edited and resubmitted */
    STORY_FRESH,          /* entered an hour ago */
    STORY_RETURNED,       /* failed the initial review, with the supervisor's reason */
    STORY_PENDING_CHANGE, /* a change request waiting for the supervisor */
    STORY_CHANGED,        /* a colour change approved by supervisor and manager, applied */
    STORY_LOAN_MIDWAY,    /* loan: documents collected, bank approved, contract not yet */
    STORY_FACTORY,        /* ordered from the factory (ETA; the car arrives before payment) */
    STORY_CANCELLED       /* cancelled with the deposit to refund */
};
static const struct {
    enum domain_stage stage;
    enum domain_payment pay;
    enum story story;
    int age_h; /* created this many hours ago */
} order_plan[] = {
    {DOMAIN_STAGE_ENTERED, DOMAIN_PAY_FULL, STORY_BREACH, 26},
    {DOMAIN_STAGE_ENTERED, DOMAIN_PAY_LOAN, STORY_RESUBMITTED, 72},
    {DOMAIN_STAGE_ENTERED, DOMAIN_PAY_FULL, STORY_FRESH, 1},
    {DOMAIN_STAGE_REVIEWED, DOMAIN_PAY_FULL, STORY_PLAIN, 3},
    {DOMAIN_STAGE_REVIEWED, DOMAIN_PAY_LOAN, STORY_PLAIN, 5},
    {DOMAIN_STAGE_RETURNED, DOMAIN_PAY_FULL, STORY_RETURNED, 6},
    {DOMAIN_STAGE_APPROVED, DOMAIN_PAY_FULL, STORY_PENDING_CHANGE, 50},
    {DOMAIN_STAGE_APPROVED, DOMAIN_PAY_LOAN, STORY_CHANGED, 80},
    {DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_LOAN, STORY_LOAN_MIDWAY, 150},
    {DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_FULL, STORY_FACTORY, 170},
    {DOMAIN_STAGE_ALLOCATED, DOMAIN_PAY_FULL, STORY_PLAIN, 200},
    {DOMAIN_STAGE_PAID, DOMAIN_PAY_FULL, STORY_PLAIN, 230},
    {DOMAIN_STAGE_PAID, DOMAIN_PAY_LOAN, STORY_FACTORY, 260},
    {DOMAIN_STAGE_READY, DOMAIN_PAY_FULL, STORY_PLAIN, 280},
    {DOMAIN_STAGE_READY, DOMAIN_PAY_LOAN, STORY_PLAIN, 300},
    {DOMAIN_STAGE_READY, DOMAIN_PAY_FULL, STORY_PLAIN, 320},
    {DOMAIN_STAGE_DELIVERED, DOMAIN_PAY_FULL, STORY_PLAIN, 72},
    {DOMAIN_STAGE_DELIVERED, DOMAIN_PAY_LOAN, STORY_PLAIN, 90},
    {DOMAIN_STAGE_CLOSED, DOMAIN_PAY_FULL, STORY_PLAIN, 480},
    {DOMAIN_STAGE_CANCELLED, DOMAIN_PAY_FULL, STORY_CANCELLED, 140},
};
#define N_ORDERS (sizeof order_plan / sizeof order_plan[0])
/* Stock vehicles: two of each model, before the orders reserve some of them. */
#define STOCK_PER_MODEL 2

/* Reports a store failure while building the demo; the caller rolls everything back. */
static int demo_fail(const char *what, const struct proto_error *err)
{
    cli_fail(what, err);
    return -1;
}

struct person {
    char name[PROTO_MAX_NAME + 1];
    char phone[PROTO_MAX_PHONE + 1];
    enum domain_gender gender;
    int64_t customer_id;
};

static void make_person(struct rng *r, struct person *p, struct person *all, int n_before)
{
    int female = rng_below(r, 2);
    const char *given = female ? given_f[rng_below(r, (int)(sizeof given_f / sizeof *given_f))]
                               : given_m[rng_below(r, (int)(sizeof given_m / sizeof *given_m))];
    snprintf(p->name, sizeof p->name, "%s%s",
             surnames[rng_below(r, (int)(sizeof surnames / sizeof *surnames))], given);
    p->gender = female ? DOMAIN_GENDER_FEMALE : DOMAIN_GENDER_MALE;
    for (;;) { /* one phone is one customer: draw again on the rare collision */
        snprintf(
            p->phone, sizeof p->phone, "%s%08d",
            mobile_prefixes[rng_below(r, (int)(sizeof mobile_prefixes / sizeof *mobile_prefixes))],
            rng_below(r, 100000000));
        int dup = 0;
        for (int i = 0; i < n_before; i++)
            dup |= strcmp(all[i].phone, p->phone) == 0;
        if (!dup)
            break;
    }
}

static int add_org(struct cli *c, int64_t site_id, int64_t staff_ids[N_STAFF], int utc_offset)
{
    struct proto_error err;
    for (size_t i = 0; i < N_STAFF; i++) {
        char hash[CORE_SECRET_PIN_HASH_SIZE];
        if (core_secret_pin_hash(demo_staff[i].pin, hash) != 0) {
            fprintf(stderr, "showfloor demo-data: hashing a PIN failed\n");
            return -1;
        }
        int role = domain_role_from_name(demo_staff[i].role);
        if (store_staff_add(c->store, site_id, demo_staff[i].no, demo_staff[i].name,
                            (enum domain_role)role, hash, &staff_ids[i], &err) != 0)
            return demo_fail("demo-data: staff", &err);
    }
    char today[STORE_DAY_LEN + 1];
    cli_local_day(c->now, utc_offset, today);
    for (int k = 0; k < N_CONSULTANTS; k++) {
        enum store_duty d = k == N_CONSULTANTS - 1 ? STORE_DUTY_REST : STORE_DUTY_ON;
        if (store_staff_set_duty(c->store, staff_ids[FIRST_CONSULTANT + k], today, d, &err) != 0)
            return demo_fail("demo-data: duty", &err);
    }
    for (size_t i = 0; i < N_MODELS; i++) {
        int64_t id;
        if (store_models_add(c->store, demo_models[i].code, demo_models[i].name,
                             demo_models[i].name_en, demo_models[i].price_fen, &id, &err) != 0)
            return demo_fail("demo-data: model", &err);
    }
    return 0;
}

static int add_leads(struct cli *c, struct rng *r, int64_t site_id, const int64_t *staff_ids,
                     struct person *people)
{
    struct proto_error err;
    for (int i = 0; i < N_LEADS; i++) {
        struct person *p = &people[i];
        make_person(r, p, people, i);
        if (seed_customer(c, p->phone, p->name, p->gender, &p->customer_id) != 0)
            return -1;
        struct store_lead l;
        memset(&l, 0, sizeof l);
        l.site_id = site_id;
        l.customer_id = p->customer_id;
        snprintf(l.channel, sizeof l.channel, "%s", channels[i % 13]);
        snprintf(l.model_code, sizeof l.model_code, "%s",
                 demo_models[rng_below(r, (int)N_MODELS)].code);
        l.budget_fen = (10 + rng_below(r, 20)) * 1000000LL;
        l.grade = lead_grades[i];
        l.created_at =
            c->now - (int64_t)(1 + rng_below(r, 60)) * DAY_MS - rng_below(r, 8 * 60) * MIN_MS;
        /* A third still with telesales (invited, no consultant yet); the rest owned by a
         * consultant; two are missing required fields and flagged by marketing. */
        if (i % 3 == 0)
            l.invited_by = staff_ids[TELESALES];
        else
            l.owner_id = staff_ids[FIRST_CONSULTANT + rng_below(r, N_CONSULTANTS)];
        if (i == 7 || i == 31) {
            l.model_code[0] = 0;
            l.budget_fen = 0;
            l.flagged_invalid = true;
        }
        int64_t id;
        if (store_leads_add(c->store, &l, &id, &err) != 0)
            return demo_fail("demo-data: lead", &err);
    }
    return 0;
}

/* Two stock cars of each model, in the site's inventory before any order reserves one. */
static int add_stock(struct cli *c, struct rng *r, int64_t site_id)
{
    struct proto_error err;
    for (size_t m = 0; m < N_MODELS; m++) {
        for (int k = 0; k < STOCK_PER_MODEL; k++) {
            struct store_vehicle v = {.site_id = site_id,
                                      .state = STORE_VEHICLE_IN_STOCK,
                                      .created_at = c->now - (int64_t)(20 + k) * DAY_MS};
            snprintf(v.vin, sizeof v.vin, "LSFD%013d", (int)(m * 100 + (size_t)k + 1));
            snprintf(v.model_code, sizeof v.model_code, "%s", demo_models[m].code);
            snprintf(v.colour, sizeof v.colour, "%s", colours[rng_below(r, 5)]);
            if (store_vehicles_add(c->store, &v, NULL, &err) != 0)
                return demo_fail("demo-data: vehicle", &err);
            cJSON *after = cJSON_CreateObject();
            int rc = !after || !cJSON_AddStringToObject(after, "vin", v.vin) ||
                     !cJSON_AddStringToObject(after, "model", v.model_code) ||
                     !cJSON_AddStringToObject(after, "state", "in_stock") ||
                     cmd_audit_record(c, site_id, "vehicle", v.vin, "vehicle_add", NULL, after,
                                      v.created_at);
            cJSON_Delete(after);
            if (rc)
                return -1;
        }
    }
    return 0;
}

/* An audit record of a step the demo's history contains, with the stage before and after. */
static int story_audit(struct cli *c, int64_t order_id, const char *action, enum domain_stage from,
                       int64_t at)
{
    cJSON *before = cJSON_CreateObject();
    if (!before || !cJSON_AddStringToObject(before, "stage", domain_stage_name(from))) {
        cJSON_Delete(before);
        return -1;
    }
    int rc = seed_audit_order(c, order_id, action, before, at);
    cJSON_Delete(before);
    return rc;
}

/* A request with its decisions; `apply` marks an approved one applied. */
static int story_request(struct cli *c, struct store_request *q, const int64_t *staff_ids,
                         int decisions, bool apply, int64_t at)
{
    struct proto_error err;
    int64_t id;
    q->requested_at = at;
    if (store_requests_add(c->store, q, &id, &err) != 0)
        return demo_fail("demo-data: request", &err);
    if (decisions >= 1 &&
        store_requests_decide(c->store, id, STORE_REVIEWER_SUPERVISOR, true, q->needs_manager,
                              staff_ids[SUPERVISOR], "同意", at + HOUR_MS, NULL, &err))
        return demo_fail("demo-data: request", &err);
    if (decisions >= 2 &&
        store_requests_decide(c->store, id, STORE_REVIEWER_MANAGER, true, false, staff_ids[MANAGER],
                              "批准", at + 2 * HOUR_MS, NULL, &err))
        return demo_fail("demo-data: request", &err);
    if (apply && store_requests_set_applied(c->store, id, at + 2 * HOUR_MS + MIN_MS, &err))
        return demo_fail("demo-data: request", &err);
    return 0;
}

static int add_note(struct cli *c, int64_t order_id, int64_t staff_id, const char *way,
                    const char *summary, bool visible, int64_t at)
{
    struct proto_error err;
    struct store_note n = {
        .order_id = order_id, .customer_visible = visible, .staff_id = staff_id, .at = at};
    snprintf(n.way, sizeof n.way, "%s", way);
    snprintf(n.summary, sizeof n.summary, "%s", summary);
    return store_notes_add(c->store, &n, NULL, &err) ? demo_fail("demo-data: note", &err) : 0;
}

/* What happened to the order after seed_order_add made it at its stage. */
static int tell_story(struct cli *c, enum story st, const struct seed_made *m,
                      const int64_t *staff_ids, int64_t consultant)
{
    struct proto_error err;
    struct store_order o;
    if (store_orders_get(c->store, m->order_id, &o, &err) != 0)
        return demo_fail("demo-data: order", &err);
    int64_t t0 = o.times.created_at;
    struct store_request *q = NULL;
    int rc = 0;
    switch (st) {
    case STORY_RESUBMITTED:
        /* passed the initial review, rejected by the manager, edited and sent back in */
        o.initial_decided_at = o.reviewed_at = t0 + HOUR_MS;
        o.final_decided_at = t0 + 20 * HOUR_MS;
        o.entered_at = c->now - HOUR_MS;
        snprintf(o.last_reason, sizeof o.last_reason, "%s",
                 "首付比例低于 30%，请与客户确认后重新提交");
        o.down_payment_fen = 0;
        if (store_orders_update(c->store, &o, o.entered_at, &err) != 0)
            return demo_fail("demo-data: order", &err);
        rc = story_audit(c, o.id, "order_review", DOMAIN_STAGE_ENTERED, t0 + HOUR_MS) ||
             story_audit(c, o.id, "order_approve", DOMAIN_STAGE_REVIEWED, t0 + 20 * HOUR_MS) ||
             story_audit(c, o.id, "order_edit", DOMAIN_STAGE_RETURNED, c->now - 2 * HOUR_MS) ||
             story_audit(c, o.id, "order_resubmit", DOMAIN_STAGE_RETURNED, c->now - HOUR_MS);
        break;
    case STORY_BREACH:
        /* received five hours before it was entered (late) and never reviewed since */
        o.received_at = t0 - 5 * HOUR_MS;
        if (store_orders_update(c->store, &o, t0, &err) != 0)
            return demo_fail("demo-data: order", &err);
        break;
    case STORY_RETURNED:
        snprintf(o.last_reason, sizeof o.last_reason, "%s", "客户身份证复印件不清晰，请补充");
        if (store_orders_update(c->store, &o, o.initial_decided_at, &err) != 0)
            return demo_fail("demo-data: order", &err);
        rc = story_audit(c, o.id, "order_review", DOMAIN_STAGE_ENTERED, o.initial_decided_at);
        break;
    case STORY_PENDING_CHANGE:
    case STORY_CHANGED:
        if (!(q = calloc(1, sizeof *q)))
            return -1;
        q->order_id = o.id;
        q->kind = STORE_REQUEST_CHANGE;
        q->requested_by = consultant;
        if (st == STORY_PENDING_CHANGE) {
            snprintf(q->changes, sizeof q->changes,
                     "{\"special_requests\":{\"old\":null,\"new\":\"加装全车脚垫和行车记录仪\"}}");
            snprintf(q->reason, sizeof q->reason, "%s", "客户追加精品");
            rc = story_request(c, q, staff_ids, 0, false, c->now - 2 * HOUR_MS);
        } else {
            const char *to = strcmp(o.colour, "曜石黑") == 0 ? "星空灰" : "曜石黑";
            cJSON *ch = cJSON_CreateObject(), *colour = cJSON_AddObjectToObject(ch, "colour");
            if (!colour || !cJSON_AddStringToObject(colour, "old", o.colour) ||
                !cJSON_AddStringToObject(colour, "new", to)) {
                cJSON_Delete(ch);
                free(q);
                return -1;
            }
            char *text = cJSON_PrintUnformatted(ch);
            snprintf(q->changes, sizeof q->changes, "%s", text ? text : "{}");
            cJSON_free(text);
            cJSON_Delete(ch);
            snprintf(q->reason, sizeof q->reason, "%s", "客户改选颜色");
            q->needs_manager = true; /* colour changes the vehicle */
            int64_t at = o.times.approved_at + 4 * HOUR_MS;
            rc = story_request(c, q, staff_ids, 2, true, at);
            if (rc == 0) {
                cJSON *before = cJSON_CreateObject();
                cJSON_AddStringToObject(before, "colour", o.colour);
                snprintf(o.colour, sizeof o.colour, "%s", to);
                rc = store_orders_update(c->store, &o, at + 2 * HOUR_MS + MIN_MS, &err)
                         ? demo_fail("demo-data: order", &err)
                         : seed_audit_order(c, o.id, "order_change_review", before,
                                            at + 2 * HOUR_MS + MIN_MS);
                cJSON_Delete(before);
            }
        }
        free(q);
        break;
    case STORY_FACTORY:
        if (o.stage == DOMAIN_STAGE_ALLOCATED)
            rc = add_note(c, o.id, consultant, "phone", "已告知客户工厂排产，预计两周到店", true,
                          o.times.allocated_at + HOUR_MS);
        break;
    case STORY_CANCELLED:
        if (!(q = calloc(1, sizeof *q)))
            return -1;
        q->order_id = o.id;
        q->kind = STORE_REQUEST_CANCEL;
        q->requested_by = consultant;
        q->needs_manager = true; /* money was paid: the supervisor asks the manager */
        snprintf(q->reason, sizeof q->reason, "%s", "客户家庭原因放弃购车");
        rc = story_request(c, q, staff_ids, 2, true, o.cancelled_at - 3 * HOUR_MS);
        free(q);
        if (rc == 0) {
            snprintf(o.last_reason, sizeof o.last_reason, "%s", "客户家庭原因放弃购车");
            if (store_orders_get(c->store, o.id, &o, &err) != 0)
                return demo_fail("demo-data: order", &err);
            rc =
                story_audit(c, o.id, "order_cancel_approve", DOMAIN_STAGE_APPROVED, o.cancelled_at);
        }
        break;
    case STORY_LOAN_MIDWAY:
    case STORY_FRESH:
    case STORY_PLAIN:
        break;
    }
    if (rc == 0 && o.stage == DOMAIN_STAGE_READY)
        rc = add_note(c, o.id, consultant, "wechat", "交车时间与地点已与客户确认", true,
                      o.times.ready_at + HOUR_MS);
    if (rc == 0 && o.stage == DOMAIN_STAGE_REVIEWED)
        rc = add_note(c, o.id, consultant, "phone", "电话回访，客户确认配置无误", false,
                      o.times.created_at + 30 * MIN_MS);
    return rc;
}

static int add_orders(struct cli *c, struct rng *r, int64_t site_id, const int64_t *staff_ids,
                      struct person *people, char sample_no[STORE_ORDER_NO_MAX + 1],
                      const struct person **sample_person)
{
    int ready_seen = 0, delivered = 0;
    for (size_t i = 0; i < N_ORDERS; i++) {
        /* Orders go to leads from the end of the list (grade O first), one each. */
        struct person *p = &people[N_LEADS - 1 - (int)i];
        int64_t consultant = staff_ids[FIRST_CONSULTANT + (int)(i % N_CONSULTANTS)];
        enum story st = order_plan[i].story;
        struct seed_order o = {
            .site_id = site_id,
            .customer_id = p->customer_id,
            .consultant_id = consultant,
            .model_code = demo_models[rng_below(r, (int)N_MODELS)].code,
            .colour = colours[rng_below(r, 5)],
            .stage = order_plan[i].stage,
            .payment = order_plan[i].pay,
            .alloc = st == STORY_FACTORY ? DOMAIN_ALLOC_FACTORY : DOMAIN_ALLOC_NONE,
            .paid_fen = st == STORY_LOAN_MIDWAY ? 500000 : -1,
            .loan_steps = st == STORY_LOAN_MIDWAY ? 2 : 0,
            .created_at =
                c->now - (int64_t)order_plan[i].age_h * HOUR_MS - rng_below(r, 50) * MIN_MS,
            .reason = st == STORY_CANCELLED ? "客户家庭原因放弃购车" : NULL,
            /* the second delivery was rated 2: the hub's low-rating case (issue 4) */
            .rating = order_plan[i].stage == DOMAIN_STAGE_DELIVERED && ++delivered == 2 ? 2 : 5,
        };
        if (o.stage == DOMAIN_STAGE_READY) {
            /* The deliveries: the first on the half hour just begun (due now, so the bay's
             * list of today is never empty, even late in the evening), then every 90
             * minutes, alternating bays 1 and 2. */
            int64_t half = 30 * MIN_MS;
            int64_t first = c->now / half * half;
            o.delivery_at = first + ready_seen * 90 * MIN_MS;
            o.delivery_place = ready_seen % 2 ? "交车区 2" : "交车区 1";
            ready_seen++;
        }
        struct seed_made m;
        if (seed_order_add(c, &o, &m) != 0 || tell_story(c, st, &m, staff_ids, consultant) != 0)
            return -1;
        if (o.stage == DOMAIN_STAGE_ALLOCATED && !*sample_no) {
            snprintf(sample_no, STORE_ORDER_NO_MAX + 1, "%s", m.order_no);
            *sample_person = p;
        }
    }
    return 0;
}

/* The organisation's rows also get their audit records (one per site, staff and model). */
static int audit_org(struct cli *c, int64_t site_id)
{
    cJSON *site = cJSON_CreateObject();
    int rc = !site || !cJSON_AddStringToObject(site, "code", "SH01") ||
             cmd_audit_record(c, site_id, "site", "SH01", "site_add", NULL, site, 0);
    cJSON_Delete(site);
    for (size_t i = 0; rc == 0 && i < N_STAFF; i++) {
        cJSON *st = cJSON_CreateObject();
        rc = !st || !cJSON_AddStringToObject(st, "name", demo_staff[i].name) ||
             !cJSON_AddStringToObject(st, "role", demo_staff[i].role) ||
             cmd_audit_record(c, site_id, "staff", demo_staff[i].no, "staff_add", NULL, st, 0);
        cJSON_Delete(st);
    }
    for (size_t i = 0; rc == 0 && i < N_MODELS; i++) {
        cJSON *m = cJSON_CreateObject();
        rc = !m || !cJSON_AddNumberToObject(m, "price_fen", (double)demo_models[i].price_fen) ||
             cmd_audit_record(c, 0, "model", demo_models[i].code, "model_add", NULL, m, 0);
        cJSON_Delete(m);
    }
    return rc ? -1 : 0;
}

/* Customers in the showroom now: two waiting, one being served, one who has left. */
static int add_visits(struct cli *c, struct rng *r, int64_t site_id, const int64_t *staff_ids,
                      struct person *people, int utc_offset)
{
    struct proto_error err;
    static const int ago_min[] = {95, 40, 12, 4};
    static const enum store_visit_status status[] = {STORE_VISIT_DEPARTED, STORE_VISIT_SERVING,
                                                     STORE_VISIT_WAITING, STORE_VISIT_WAITING};
    int64_t day0 = domain_day_start(c->now, utc_offset);
    for (int i = 0; i < 4; i++) {
        struct person *p = &people[10 + i * 5];
        int64_t at = c->now - ago_min[i] * MIN_MS;
        if (at < day0) /* just after midnight: squeeze the visits into today so far */
            at = day0 + (c->now - day0) * (i + 1) / 5;
        /* served and departed never lie in the future, however little of today has passed */
        int64_t served = at + (c->now - at < 12 * MIN_MS ? (c->now - at) / 4 : 3 * MIN_MS);
        int64_t departed = at + (c->now - at < 100 * MIN_MS ? (c->now - at) / 2 : 50 * MIN_MS);
        int64_t consultant = staff_ids[FIRST_CONSULTANT + (i % (N_CONSULTANTS - 1))];
        struct store_visit v;
        memset(&v, 0, sizeof v);
        v.site_id = site_id;
        v.customer_id = p->customer_id;
        v.consultant_id = consultant;
        v.assigned_by = DOMAIN_ASSIGN_ROTATION;
        v.status = STORE_VISIT_WAITING;
        v.arrived_at = at;
        v.first_visit_said = -1;
        snprintf(v.model_code, sizeof v.model_code, "%s",
                 demo_models[rng_below(r, (int)N_MODELS)].code);
        snprintf(v.source, sizeof v.source, "%s", channels[rng_below(r, 13)]);
        int64_t id;
        if (store_visits_add(c->store, &v, &id, &err) != 0 ||
            store_staff_set_last_assigned(c->store, consultant, at, &err) != 0)
            return demo_fail("demo-data: visit", &err);
        if (status[i] != STORE_VISIT_WAITING &&
            store_visits_set_status(c->store, id, STORE_VISIT_SERVING, served, &err))
            return demo_fail("demo-data: visit", &err);
        if (status[i] == STORE_VISIT_DEPARTED &&
            store_visits_set_status(c->store, id, STORE_VISIT_DEPARTED, departed, &err))
            return demo_fail("demo-data: visit", &err);
    }
    return 0;
}

int cmd_demo_data(struct cli *c, int argc, char **argv)
{
    const char *seed_text;
    struct cli_opt opts[] = {{"seed", 0, 0, &seed_text}, {0}};
    if (cli_parse("demo-data", argc, argv, opts) != 0)
        return CLI_USAGE;
    int64_t seed = 2026;
    if (seed_text && cli_int("demo-data", "seed", seed_text, 0, INT64_MAX, &seed) != 0)
        return CLI_USAGE;
    struct proto_error err;
    struct store_site site;
    if (store_sites_find(c->store, "SH01", &site, &err) == 0) {
        fprintf(stderr,
                "showfloor demo-data: site SH01 already exists in %s; use a new "
                "database for the demo\n",
                c->db_path);
        return CLI_FAIL;
    }
    struct rng r = {(uint64_t)seed};
    static struct person people[N_LEADS];
    memset(people, 0, sizeof people);
    int64_t staff_ids[N_STAFF];
    char sample_no[STORE_ORDER_NO_MAX + 1] = "";
    const struct person *sample = NULL;
    const int offset = 480;
    struct cmd_demo_floor floor;

    if (store_begin(c->store, &err) != 0)
        return cli_fail("demo-data", &err);
    if (store_sites_add(c->store, "SH01", "星河汽车 上海浦东店", offset, &site.id, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("demo-data: site", &err);
    }
    if (add_org(c, site.id, staff_ids, offset) != 0 || audit_org(c, site.id) != 0 ||
        add_stock(c, &r, site.id) != 0 || add_leads(c, &r, site.id, staff_ids, people) != 0 ||
        add_orders(c, &r, site.id, staff_ids, people, sample_no, &sample) != 0 ||
        add_visits(c, &r, site.id, staff_ids, people, offset) != 0 ||
        cmd_demo_floor_add(c, site.id, offset, &floor) != 0 || store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        fprintf(stderr, "showfloor demo-data: nothing was written\n");
        return CLI_FAIL;
    }

    printf("Demo site SH01 星河汽车 上海浦东店: %zu staff, %zu models, %zu stock vehicles, %d "
           "leads, %zu orders, 4 visits today.\n\nStaff logins (staff no / PIN):\n",
           N_STAFF, N_MODELS, N_MODELS * STOCK_PER_MODEL, N_LEADS, N_ORDERS);
    for (size_t i = 0; i < N_STAFF; i++)
        printf("  %s / %s  %s (%s)%s\n", demo_staff[i].no, demo_staff[i].pin, demo_staff[i].name,
               demo_staff[i].role,
               i == FIRST_CONSULTANT + N_CONSULTANTS - 1 ? ", on rest today" : "");
    if (sample)
        printf("\nOrder lookup on the status kiosk: order %s, phone ending %s\n", sample_no,
               sample->phone + strlen(sample->phone) - 4);
    printf("Check in on the reception kiosk with a returning customer's phone: %s\n",
           people[2].phone);
    char at[20];
    time_t t = (time_t)((floor.appointment_at + (int64_t)offset * 60000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(at, sizeof at, "%H:%M", &tm) == 0)
        at[0] = 0;
    printf("\nReception check-in cases (type the phone at the reception kiosk; the board shows "
           "who is notified):\n"
           "  invited:  %s  invited by telesales %s, appointment today %s\n"
           "  owned:    %s  lead owned by consultant %s (on duty): %s is notified\n"
           "  new:      %s  no record yet: the rotation picks the next consultant\n",
           floor.invited_phone, floor.telesales_name, at, floor.owned_phone, floor.owner_name,
           floor.owner_name, floor.new_phone);
    if (floor.rest_phone[0])
        printf("  conflict: %s  lead owned by %s, on rest today: another consultant serves and "
               "a conflict (撞单) opens for the supervisor\n",
               floor.rest_phone, floor.rest_owner);
    printf("Leads: %d overdue for their follow-up (reported on the hub's first tick). "
           "Conflicts: %d open (%s's lead). Complaints: %d, at levels 1, 2 and 3 (general "
           "manager %s); one is past its first-reply time.\n",
           floor.overdue, floor.conflicts, floor.conflict_owner, floor.complaints, CMD_DEMO_GM);
    return CLI_OK;
}

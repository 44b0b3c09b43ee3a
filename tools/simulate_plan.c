/* The simulated day's plan: a seeded random generator, made-up customers, the agenda (a
 * min-heap of timed actions), what the hub's order list says is already in the pipeline, and
 * the day itself: arrivals over the opening hours (a Poisson process thinned by how busy each
 * hour of a showroom is), invited customers, and the two stories every day has (a conflict
 * and a complaint), placed at fixed fractions of the day so a short run has them too. */
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Used when the hub lists no order to learn the catalogue from: the demo dealership's. */
static const struct sim_model sim_demo_models[] = {
    {"XH3", 11980000}, {"XH5", 14980000}, {"XH7", 18980000},
    {"XH9", 25980000}, {"YL6", 16580000}, {"CT8", 13880000},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                       "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
                                       "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "欧阳"};
static const char *const given_m[] = {"建华", "志远", "国栋", "海涛", "立新", "振宇", "博文",
                                      "晓东", "明轩", "浩宇", "天佑", "家豪", "子豪", "启航"};
static const char *const given_f[] = {"秀英", "丽华", "晓梅", "雅婷", "思琪", "语嫣", "梦瑶",
                                      "婉清", "诗涵", "若曦", "欣然", "可馨", "静怡", "紫萱"};
static const char *const mobile_prefixes[] = {"138", "139", "137", "135", "158", "159", "151",
                                              "186", "188", "177", "189", "133", "199", "166"};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* How busy each local hour of a showroom is (1 = the busiest); the night is quiet but not
 * empty, so a demo left running after hours still shows the odd arrival. */
static const double hour_weight[24] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.6, 1.0, 1.0,
                                       0.6, 0.8, 1.0, 1.0, 0.9, 0.7, 0.5, 0.4, 0.3, 0.2, 0.1, 0.1};

/* ---- random numbers: splitmix64, the same stream for the same seed everywhere ---- */

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
    r->s = seed;
}

uint64_t sim_rng_next(struct sim_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int sim_rng_below(struct sim_rng *r, int n)
{
    return n <= 1 ? 0 : (int)(sim_rng_next(r) % (uint64_t)n);
}

double sim_rng_unit(struct sim_rng *r)
{
    return (double)(sim_rng_next(r) >> 11) / 9007199254740992.0;
}

int64_t sim_rng_span(struct sim_rng *r, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(sim_rng_next(r) % (uint64_t)(hi - lo));
}

int sim_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *t = realloc(*v, c * size);
    if (!t)
        return -1;
    *v = t;
    *cap = c;
    return 0;
}

/* ---- the agenda ---- */

static bool sim_before(const struct sim_action *a, const struct sim_action *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

int sim_plan(struct sim *s, int64_t at, enum sim_kind kind, uint32_t ref)
{
    if (sim_grow((void **)&s->heap, &s->cap_heap, s->n_heap, sizeof *s->heap) != 0)
        return -1;
    struct sim_action a = {.at = at, .seq = s->seq++, .kind = kind, .ref = ref};
    size_t i = s->n_heap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!sim_before(&a, &s->heap[p]))
            break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = a;
    return 0;
}

bool sim_next(struct sim *s, struct sim_action *out)
{
    if (!s->n_heap)
        return false;
    *out = s->heap[0];
    struct sim_action last = s->heap[--s->n_heap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->n_heap)
            break;
        if (c + 1 < s->n_heap && sim_before(&s->heap[c + 1], &s->heap[c]))
            c++;
        if (!sim_before(&s->heap[c], &last))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->n_heap)
        s->heap[i] = last;
    return true;
}

/* ---- people ---- */

int sim_person_add(struct sim *s, const char *name, const char *phone, const char *gender)
{
    if (sim_grow((void **)&s->people, &s->cap_people, s->n_people, sizeof *s->people) != 0)
        return -1;
    struct sim_person *p = &s->people[s->n_people];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->phone, sizeof p->phone, "%s", phone);
    p->gender = gender && strcmp(gender, "female") == 0 ? "female" : "male";
    return (int)s->n_people++;
}

int sim_person_new(struct sim *s)
{
    struct sim_rng *r = &s->rng;
    bool female = sim_rng_below(r, 2);
    char name[PROTO_MAX_NAME + 1], phone[PROTO_MAX_PHONE + 1];
    snprintf(name, sizeof name, "%s%s", surnames[sim_rng_below(r, N_OF(surnames))],
             female ? given_f[sim_rng_below(r, N_OF(given_f))]
                    : given_m[sim_rng_below(r, N_OF(given_m))]);
    snprintf(phone, sizeof phone, "%s%08d",
             mobile_prefixes[sim_rng_below(r, N_OF(mobile_prefixes))], sim_rng_below(r, 100000000));
    return sim_person_add(s, name, phone, female ? "female" : "male");
}

static int sim_person_find(const struct sim *s, const char *phone)
{
    for (size_t i = 0; i < s->n_people; i++)
        if (strcmp(s->people[i].phone, phone) == 0)
            return (int)i;
    return -1;
}

/* ---- what the hub already has ---- */

static void sim_model_learn(struct sim *s, const cJSON *order)
{
    const char *code = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(order, "model"), "code"));
    const cJSON *price = cJSON_GetObjectItemCaseSensitive(order, "unit_price_fen");
    if (!code || !cJSON_IsNumber(price) || s->n_models >= SIM_MAX_MODELS ||
        strlen(code) > PROTO_MAX_SHORT)
        return;
    for (int i = 0; i < s->n_models; i++)
        if (strcmp(s->models[i].code, code) == 0)
            return;
    snprintf(s->models[s->n_models].code, sizeof s->models[0].code, "%s", code);
    s->models[s->n_models++].price_fen = (int64_t)price->valuedouble;
}

/* How many steps an order already in the pipeline gets today, by its stage (0: none). */
static int sim_steps_for(struct sim *s, const char *stage, const cJSON *order)
{
    struct sim_rng *r = &s->rng;
    if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(order, "cancel_request")))
        return 0; /* a cancellation waits for people the simulator does not play */
    if (strcmp(stage, "entered") == 0 || strcmp(stage, "reviewed") == 0 ||
        strcmp(stage, "returned") == 0 || strcmp(stage, "approved") == 0)
        return 1 + sim_rng_below(r, 3);
    if (strcmp(stage, "allocated") == 0)
        return 2 + sim_rng_below(r, 4);
    if (strcmp(stage, "paid") == 0)
        return 2 + sim_rng_below(r, 6);
    if (strcmp(stage, "ready") == 0)
        return 1;
    if (strcmp(stage, "delivered") == 0)
        return sim_rng_below(r, 2);
    return 0;
}

#define SIM_MAX_TRACKED 60 /* old orders moved along in one day: the newest */

static int sim_discover_order(struct sim *s, const cJSON *o, int *tracked)
{
    sim_model_learn(s, o);
    const cJSON *cu = cJSON_GetObjectItemCaseSensitive(o, "customer");
    const char *phone = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cu, "phone"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cu, "name"));
    const char *gender = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cu, "gender"));
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cu, "kind"));
    const char *stage = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "stage"));
    const char *no = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "order_no"));
    if (!stage || !no)
        return 0;
    int who = phone ? sim_person_find(s, phone) : -1;
    if (phone && name && who < 0 && (!kind || strcmp(kind, "company") != 0) &&
        strlen(phone) <= PROTO_MAX_PHONE) {
        if ((who = sim_person_add(s, name, phone, gender)) < 0)
            return -1;
        s->people[who].known = true;
    }
    /* the complaint: a customer of a delivered order calls about their experience */
    if (!s->complaint.order_no[0] && who >= 0 &&
        (strcmp(stage, "delivered") == 0 || strcmp(stage, "closed") == 0)) {
        snprintf(s->complaint.order_no, sizeof s->complaint.order_no, "%s", no);
        s->complaint.person = (uint32_t)who;
        s->people[who].busy = true;
    }
    int steps = sim_steps_for(s, stage, o);
    if (steps <= 0 || *tracked >= SIM_MAX_TRACKED)
        return 0;
    int ix = sim_order_track(s, o, false, steps);
    if (ix < 0)
        return -1;
    (*tracked)++;
    int64_t at;
    if (strcmp(stage, "ready") == 0) /* hand-overs through the day, the first one early */
        at = s->deliveries_planned++ == 0 ? s->dur / 4
                                          : sim_rng_span(&s->rng, s->dur / 4, s->dur * 9 / 10);
    else
        at = sim_rng_span(&s->rng, s->dur / 30, s->dur * 3 / 5);
    return sim_plan(s, at, SIM_A_ORDER_STEP, (uint32_t)ix);
}

int sim_plan_discover(struct sim *s)
{
    int tracked = 0;
    int64_t offset = 0, total = 1;
    while (offset < total && offset < 1000) {
        char q[64];
        snprintf(q, sizeof q, "limit=200&offset=%lld", (long long)offset);
        struct sim_reply r;
        enum sim_rc rc = sim_http_orders(s->http, &s->staff[SIM_SUPERVISOR], q, &r);
        if (rc != SIM_OK) {
            fprintf(stderr, "showfloor simulate: listing the orders: %s: %s\n", r.code, r.message);
            s->fatal = rc == SIM_REFUSED ? SIM_FAILED : rc;
            return -1;
        }
        const cJSON *orders = cJSON_GetObjectItemCaseSensitive(r.data, "orders");
        total = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r.data, "total"));
        int n = cJSON_GetArraySize(orders);
        const cJSON *o;
        cJSON_ArrayForEach(o, orders)
        {
            if (sim_discover_order(s, o, &tracked) != 0) {
                cJSON_Delete(r.data);
                s->fatal = SIM_FAILED;
                return -1;
            }
        }
        cJSON_Delete(r.data);
        if (n == 0)
            break;
        offset += n;
    }
    if (s->n_models == 0) {
        memcpy(s->models, sim_demo_models, sizeof sim_demo_models);
        s->n_models = N_OF(sim_demo_models);
    }
    return 0;
}

/* ---- the day ---- */

/* A returning customer nobody has taken today, or -1. */
static int sim_pick_returning(struct sim *s)
{
    int n = 0;
    for (size_t i = 0; i < s->n_people; i++)
        n += s->people[i].known && !s->people[i].busy;
    if (!n)
        return -1;
    int k = sim_rng_below(&s->rng, n);
    for (size_t i = 0; i < s->n_people; i++)
        if (s->people[i].known && !s->people[i].busy && k-- == 0)
            return (int)i;
    return -1;
}

static int sim_plan_arrival(struct sim *s, int64_t at)
{
    int roll = sim_rng_below(&s->rng, 100), who = -1;
    bool invited = roll < 15;
    if (roll >= 15 && roll < 40)
        who = sim_pick_returning(s);
    if (who < 0 && (who = sim_person_new(s)) < 0)
        return -1;
    s->people[who].busy = true;
    s->people[who].expected = at;
    if (invited) {
        /* telesales booked the visit earlier today (by phone) */
        int64_t booked = at - sim_rng_span(&s->rng, 30 * SIM_MIN_MS, 150 * SIM_MIN_MS);
        if (sim_plan(s, booked < 0 ? 0 : booked, SIM_A_APPOINTMENT, (uint32_t)who) != 0)
            return -1;
    }
    return sim_plan(s, at, SIM_A_ARRIVE, (uint32_t)who);
}

int sim_plan_day(struct sim *s)
{
    struct sim_rng *r = &s->rng;
    /* arrivals: each simulated minute brings a customer with the probability the hour's
     * weight gives (Bernoulli minutes: a Poisson process at minute resolution) */
    double per_min = s->o.arrivals_per_h / 60.0;
    int planned = 0;
    for (int64_t t = 0; t < s->dur * 19 / 20; t += SIM_MIN_MS) { /* none just before the end */
        int hour = (int)(((int64_t)s->o.start_min * SIM_MIN_MS + t) / SIM_HOUR_MS % 24);
        if (sim_rng_unit(r) >= per_min * hour_weight[hour])
            continue;
        int64_t at = t + sim_rng_span(r, 0, SIM_MIN_MS);
        /* the first customer is at the door when the doors open */
        if (sim_plan_arrival(s, planned++ == 0 ? sim_rng_span(r, SIM_MIN_MS, 4 * SIM_MIN_MS) : at))
            return -1;
    }
    if (!planned && sim_plan_arrival(s, sim_rng_span(r, SIM_MIN_MS, 4 * SIM_MIN_MS)))
        return -1;
    /* the conflict (撞单): a consultant on the phone, a colleague on the floor */
    int who = sim_person_new(s);
    if (who < 0)
        return -1;
    s->people[who].busy = true;
    s->conflict.person = (uint32_t)who;
    s->conflict.owner = SIM_CONSULTANT0 + 3;
    s->conflict.poacher = SIM_CONSULTANT0 + 1;
    if (sim_plan(s, s->dur / 25, SIM_A_LEAD, 0) || sim_plan(s, s->dur * 3 / 10, SIM_A_POACH, 0) ||
        sim_plan(s, s->dur * 11 / 20, SIM_A_RULE, 0))
        return -1;
    /* the complaint: a customer of an earlier delivery, else a made-up one */
    if (!s->complaint.order_no[0]) {
        if ((who = sim_person_new(s)) < 0)
            return -1;
        s->people[who].busy = true;
        s->complaint.person = (uint32_t)who;
    }
    return sim_plan(s, s->dur * 9 / 50, SIM_A_COMPLAINT, 0);
}

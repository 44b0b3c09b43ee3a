/* Analytics (hub/store_analytics*.c): every figure of kpi, series, breakdowns, lead quality
 * and assessment against numbers worked out by hand from a small database written through
 * the store API. The period under test is P = [D0, D0 + 7 days), D0 = Monday 2026-11-02
 * 00:00 in UTC+8; site A is SH01, site B is SH02 (both UTC+8). Boundaries: records exactly
 * at `from` count, at `to` do not; B's records never count for A; site 0 counts both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_analytics.h"
#include "test_store_fx.h"

#define H   FX_HOUR
#define MIN (FX_HOUR / 60)
#define D   (24 * FX_HOUR)
#define D0  1793548800000LL /* Monday 2026-11-02 00:00 UTC+8 */

/* The world of the test (ids filled by setup). */
struct world {
    struct store_fx *fx; /* the shared fixture: sites, staff, models */
    int64_t a, b;        /* sites */
    int64_t c1, c2, c4, cb, sup, sup2, mgr;
    int64_t k[7]; /* customers k[1]..k[6] */
};

/* ---- building the database ---- */

static int64_t staff(struct world *w, int64_t site, const char *no, const char *name,
                     enum domain_role r)
{
    struct proto_error err;
    int64_t id;
    assert_int_equal(store_staff_add(w->fx->s, site, no, name, r, "$argon2id$fake", &id, &err), 0);
    return id;
}

static int64_t customer(struct world *w, const char *phone)
{
    struct proto_error err;
    struct store_customer c;
    memset(&c, 0, sizeof c);
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    c.created_at = D0 - 30 * D;
    int64_t id;
    assert_int_equal(store_customers_add(w->fx->s, &c, &id, &err), 0);
    return id;
}

static void visit(struct world *w, int64_t site, int64_t cust, int64_t consultant, int64_t at)
{
    struct proto_error err;
    struct store_visit v;
    memset(&v, 0, sizeof v);
    v.site_id = site;
    v.customer_id = cust;
    v.consultant_id = consultant;
    v.assigned_by = consultant ? DOMAIN_ASSIGN_ROTATION : DOMAIN_ASSIGN_NONE;
    v.status = STORE_VISIT_DEPARTED;
    v.arrived_at = at;
    v.departed_at = at + H;
    v.first_visit_said = -1;
    assert_int_equal(store_visits_add(w->fx->s, &v, NULL, &err), 0);
}

static int64_t lead(struct world *w, int64_t site, int64_t cust, const char *channel, char grade,
                    bool invalid, const char *region, int64_t at)
{
    struct proto_error err;
    struct store_lead l;
    memset(&l, 0, sizeof l);
    l.site_id = site;
    l.customer_id = cust;
    snprintf(l.channel, sizeof l.channel, "%s", channel);
    snprintf(l.region, sizeof l.region, "%s", region);
    l.grade = grade;
    l.status = invalid ? STORE_LEAD_INVALID : STORE_LEAD_OPEN;
    l.created_at = at;
    int64_t id;
    if (store_leads_add(w->fx->s, &l, &id, &err))
        fail_msg("lead: %s", err.message);
    return id;
}

static void followup(struct world *w, int64_t lead_id, int64_t at)
{
    struct proto_error err;
    struct store_lead_followup f;
    memset(&f, 0, sizeof f);
    f.lead_id = lead_id;
    snprintf(f.way, sizeof f.way, "phone");
    f.at = at;
    assert_int_equal(store_leads_followup(w->fx->s, &f, 0, false, NULL, &err), 0);
}

struct order_spec {
    int64_t site, cust, consultant;
    const char *no, *model, *channel;
    int64_t total, created, received, entered, decided, delivered;
    enum domain_stage stage;
};

static int64_t order(struct world *w, struct order_spec o)
{
    struct proto_error err;
    struct store_order r;
    memset(&r, 0, sizeof r);
    r.site_id = o.site;
    snprintf(r.order_no, sizeof r.order_no, "%s", o.no);
    r.customer_id = o.cust;
    r.consultant_id = o.consultant;
    snprintf(r.model_code, sizeof r.model_code, "%s", o.model);
    snprintf(r.channel, sizeof r.channel, "%s", o.channel);
    r.quantity = 1;
    r.unit_price_fen = r.total_fen = o.total;
    r.payment = DOMAIN_PAY_FULL;
    r.stage = o.stage;
    r.times.created_at = o.created;
    r.times.delivered_at = o.delivered;
    r.received_at = o.received;
    r.entered_at = o.entered ? o.entered : o.created;
    r.initial_decided_at = o.decided;
    if (o.stage == DOMAIN_STAGE_CANCELLED)
        r.cancelled_at = o.created + D;
    int64_t id;
    assert_int_equal(store_orders_add(w->fx->s, &r, &id, &err), 0);
    return id;
}

/* An audit record of a review decision as the core writes it: the changed stage in after. */
static void decision(struct world *w, int64_t site, const char *no, const char *actor,
                     const char *action, const char *stage, int64_t at)
{
    struct proto_error err;
    char after[96];
    snprintf(after, sizeof after, "{\"stage\":\"%s\",\"args\":{\"order_no\":\"%s\"}}", stage, no);
    assert_int_equal(store_audit_append(w->fx->s, site, actor, "order", no, action,
                                        "{\"stage\":\"entered\"}", after, at, NULL, &err),
                     0);
}

static void breach(struct world *w, int64_t order_id, const char *kind, int64_t at)
{
    struct proto_error err;
    assert_int_equal(store_sla_record(w->fx->s, order_id, kind, at - H, at, NULL, &err), 0);
}

static void rating(struct world *w, int64_t site, int64_t order_id, int64_t complaint_id, int score,
                   int64_t at)
{
    struct proto_error err;
    struct store_satisfaction r;
    memset(&r, 0, sizeof r);
    r.site_id = site;
    r.order_id = order_id;
    r.complaint_id = complaint_id;
    r.score = score;
    r.at = at;
    assert_int_equal(store_satisfaction_add(w->fx->s, &r, NULL, &err), 0);
}

static int64_t complaint(struct world *w, int64_t site, int64_t cust, int64_t opened,
                         int64_t closed)
{
    struct proto_error err;
    struct store_complaint c;
    memset(&c, 0, sizeof c);
    c.site_id = site;
    c.customer_id = cust;
    snprintf(c.channel, sizeof c.channel, "on_site");
    snprintf(c.kind, sizeof c.kind, "service");
    snprintf(c.summary, sizeof c.summary, "等待时间过长");
    c.level = 1;
    c.opened_at = c.updated_at = opened;
    int64_t id;
    assert_int_equal(store_complaints_add(w->fx->s, &c, &id, &err), 0);
    if (closed)
        assert_int_equal(store_complaints_close(w->fx->s, id, "已致歉", 0, closed, &err), 0);
    return id;
}

static int setup(void **state)
{
    store_fx_setup(state);
    struct world *w = test_calloc(1, sizeof *w);
    w->fx = *state;
    *state = w;
    struct proto_error err;
    struct store *s = w->fx->s;
    w->a = w->fx->site;
    w->b = w->fx->other_site;
    w->c1 = w->fx->consultant;  /* S003 张伟 */
    w->c2 = w->fx->consultant2; /* S004 李娜 */
    w->sup = w->fx->supervisor; /* S007 赵敏 */
    w->mgr = w->fx->manager;    /* S008 孙浩 */
    assert_int_equal(store_begin(s, &err), 0);
    w->c4 = staff(w, w->a, "S006", "周杰", DOMAIN_ROLE_CONSULTANT); /* active, no figures */
    int64_t c3 = staff(w, w->a, "S005", "吴磊", DOMAIN_ROLE_CONSULTANT);
    assert_int_equal(store_staff_set_active(s, c3, false, &err), 0); /* inactive: not listed */
    w->sup2 = staff(w, w->a, "S009", "郑爽", DOMAIN_ROLE_SUPERVISOR);
    w->cb = staff(w, w->b, "S013", "冯刚", DOMAIN_ROLE_CONSULTANT);
    const char *phones[] = {
        "",           "13800000001", "13800000002", "13800000003", "13800000004", "13800000005",
        "13800000006"};
    for (int i = 1; i <= 6; i++)
        w->k[i] = customer(w, phones[i]);
    int64_t *k = w->k;

    /* visits: A in P = v2 (at from), v3, v4 -> 3; first visits: v3 only (k1 came on
     * D0 - 1 day, k3 came first at B). B in P = v6, v7 -> 2, both first. */
    visit(w, w->a, k[6], 0, D0 - D - 30 * MIN);  /* vA: Oct 31 23:30 local (October) */
    visit(w, w->a, k[1], w->c1, D0 - D);         /* v1: Nov 1 00:00 local, before P */
    visit(w, w->a, k[1], w->c1, D0);             /* v2: exactly at from */
    visit(w, w->a, k[2], w->c1, D0 + 2 * H);     /* v3 */
    visit(w, w->b, k[5], w->cb, D0 + H);         /* v6 */
    visit(w, w->b, k[3], w->cb, D0 + 5 * H);     /* v7: k3's first visit, at B */
    visit(w, w->a, k[3], w->c2, D0 + D + 3 * H); /* v4: not first (v7) */
    visit(w, w->a, k[4], 0, D0 + 7 * D);         /* v5: exactly at to */

    /* orders (totals in fen) */
    int64_t o1 = order(w, (struct order_spec){w->a, k[1], w->c1, "A01", "XH7", "showroom", 2500,
                                              D0 - 10 * D, D0 - 10 * D - 2 * H, 0,
                                              D0 - 10 * D + 3 * H, D0 + D, DOMAIN_STAGE_DELIVERED});
    order(w, (struct order_spec){w->a, k[2], w->c1, "A02", "XH9", "showroom", 2000, D0 + 3 * H, 0,
                                 D0 + 6 * H, D0 + 8 * H, 0, DOMAIN_STAGE_REVIEWED});
    int64_t o3 =
        order(w, (struct order_spec){w->a, k[3], w->c2, "A03", "XH7", "phone", 1500, D0 + D + 4 * H,
                                     0, 0, D0 + D + 5 * H, 0, DOMAIN_STAGE_CANCELLED});
    order(w, (struct order_spec){w->a, k[4], w->c2, "A04", "XH7", "showroom", 1200, D0 + 7 * D, 0,
                                 0, 0, 0, DOMAIN_STAGE_ENTERED});
    int64_t o5 = order(w, (struct order_spec){w->a, k[1], w->c1, "A05", "XH7", "showroom", 1000, D0,
                                              D0 - H, 0, D0 + 30 * MIN, D0 + 6 * D + 23 * H,
                                              DOMAIN_STAGE_DELIVERED});
    int64_t o6 = order(w, (struct order_spec){w->a, k[6], w->c2, "A06", "XH9", "showroom", 3000,
                                              D0 + 8 * D, 0, 0, 0, 0, DOMAIN_STAGE_ENTERED});
    int64_t o7 =
        order(w, (struct order_spec){w->b, k[5], w->cb, "B07", "XH7", "showroom", 900, D0 + 2 * D,
                                     0, 0, 0, D0 + 3 * D, DOMAIN_STAGE_DELIVERED});
    /* o8: no consultant; returned, then resubmitted (entered after the decision) */
    order(w, (struct order_spec){w->a, k[2], 0, "A08", "XH9", "online", 500, D0 + 2 * D, 0,
                                 D0 + 2 * D + 2 * H, D0 + 2 * D + H, 0, DOMAIN_STAGE_ENTERED});
    order(w, (struct order_spec){w->a, k[3], w->c2, "A09", "XH7", "showroom", 800, D0 - 3 * D, 0,
                                 D0 - D, D0 - H, 0, DOMAIN_STAGE_RETURNED});

    /* review decisions (audit) */
    decision(w, w->a, "A01", "staff:S009", "order_review", "reviewed", D0 - 10 * D + 3 * H);
    decision(w, w->a, "A02", "staff:S007", "order_review", "returned", D0 + 5 * H);
    decision(w, w->a, "A02", "staff:S009", "order_review", "reviewed", D0 + 8 * H);
    decision(w, w->a, "A03", "staff:S007", "order_review", "reviewed", D0 + D + 5 * H);
    decision(w, w->a, "A05", "staff:S007", "order_review", "reviewed", D0 + 30 * MIN);
    decision(w, w->a, "A08", "staff:S007", "order_review", "returned", D0 + 2 * D + H);
    decision(w, w->a, "A09", "staff:S007", "order_review", "returned", D0 - 2 * D);
    decision(w, w->a, "A09", "staff:S007", "order_review", "reviewed", D0 - H);
    decision(w, w->a, "A09", "staff:S008", "order_approve", "returned", D0 + 2 * D);
    /* not decisions: a resubmit and another entity */
    decision(w, w->a, "A08", "staff:S003", "order_resubmit", "returned", D0 + 2 * D + 2 * H);

    /* leads: A in P = l2 l3 l4 l5 l7 (l1 before P); B in P = l6 */
    int64_t l1 = lead(w, w->a, k[1], "web_autohome", 'A', false, "浦东", D0 - 2 * D);
    int64_t l2 = lead(w, w->a, k[2], "web_autohome", 'H', false, "徐汇", D0 + H);
    int64_t l3 = lead(w, w->a, k[3], "phone_in", 'A', false, "", D0 + 2 * D);
    lead(w, w->a, k[4], "phone_in", 'B', true, "", D0 + 3 * D); /* l4: invalid */
    int64_t l5 = lead(w, w->a, k[6], "web_autohome", 'B', false, "", D0 + 4 * D);
    lead(w, w->a, k[5], "web_autohome", 'B', false, "", D0 + 5 * D); /* l7 */
    int64_t l6 = lead(w, w->b, k[5], "phone_in", 'H', false, "", D0 + D);
    followup(w, l2, D0 + 2 * H);
    followup(w, l3, D0 + 7 * D + H); /* after to: l3 is not followed */
    followup(w, l6, D0 + D + H);
    struct store_order o2r;
    assert_int_equal(store_orders_find_by_no(s, "A02", &o2r, &err), 0);
    assert_int_equal(store_leads_convert(s, l2, o2r.id, D0 + 3 * H, &err), 0);
    assert_int_equal(store_leads_convert(s, l5, o6, D0 + 8 * D, &err), 0); /* after to */
    assert_int_equal(store_leads_overdue_record(s, l1, D0, D0 + D, NULL, &err), 0);
    assert_int_equal(store_leads_overdue_record(s, l3, D0 + 3 * D, D0 + 3 * D, NULL, &err), 0);

    /* time limits, complaints, satisfaction */
    breach(w, o3, "initial_review", D0 + D + 5 * H);
    breach(w, o1, "entry", D0 - 9 * D);
    breach(w, o7, "close", D0 + 3 * D);
    complaint(w, w->a, k[1], D0 + D, D0 + 2 * D);
    int64_t c2 = complaint(w, w->a, k[2], D0 - 2 * D, D0 + D);
    complaint(w, w->b, k[5], D0 + 6 * D, 0);
    rating(w, w->a, o1, 0, 4, D0 + D);
    rating(w, w->a, o5, 0, 5, D0 + 7 * D); /* at to */
    rating(w, w->a, 0, c2, 2, D0 + D + H);
    rating(w, w->b, o7, 0, 3, D0 + 3 * D);
    assert_int_equal(store_commit(s, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    *state = w->fx;
    test_free(w);
    return store_fx_teardown(state);
}

static struct store_span span(int64_t site, int64_t from, int64_t to)
{
    return (struct store_span){.site_id = site, .from = from, .to = to};
}

/* ---- kpi ---- */

static void kpi(struct world *w, int64_t site, int64_t from, int64_t to, struct store_kpi *k)
{
    struct proto_error err;
    struct store_span sp = span(site, from, to);
    assert_int_equal(store_analytics_kpi(w->fx->s, &sp, k, &err), 0);
}

static void test_kpi_site_a(void **state)
{
    struct world *w = *state;
    struct store_kpi k;
    kpi(w, w->a, D0, D0 + 7 * D, &k);
    assert_int_equal(k.visits, 3);           /* v2 (at from), v3, v4; v5 at to is out */
    assert_int_equal(k.visits_first, 1);     /* v3 */
    assert_int_equal(k.leads, 5);            /* l2..l5, l7 */
    assert_int_equal(k.leads_valid, 4);      /* l4 invalid */
    assert_int_equal(k.leads_followed, 1);   /* l2; l3's follow-up is after to */
    assert_int_equal(k.leads_converted, 1);  /* l2; l5's order is created after to */
    assert_int_equal(k.orders, 4);           /* A02, A03, A05 (at from), A08; A04 at to */
    assert_int_equal(k.orders_cancelled, 1); /* A03 */
    assert_int_equal(k.sales_fen, 3500);     /* 2000 + 1000 + 500, A03 excluded */
    assert_int_equal(k.returns, 3);          /* A02 review, A09 approve, A08 review */
    assert_int_equal(k.deliveries, 2);       /* A01, A05 */
    assert_int_equal(k.cycle_n, 2);
    assert_int_equal(k.cycle_sum_ms, 18 * D + 2 * H); /* (11 d 2 h from received) + 7 d */
    assert_int_equal(k.cycle_max_ms, 11 * D + 2 * H);
    assert_int_equal(k.sla_breaches, 1); /* A03; A01's is before P */
    assert_int_equal(k.complaints, 1);
    assert_int_equal(k.complaints_closed, 2);
    assert_int_equal(k.review_n, 3); /* A02 2 h, A03 1 h, A05 30 min; A08 was re-entered */
    assert_int_equal(k.review_sum_ms, 3 * H + 30 * MIN);
    assert_int_equal(k.review_max_ms, 2 * H);
    assert_int_equal(k.rating_n, 2); /* A01's 4 and the complaint survey's 2; A05's at to */
    assert_int_equal(k.rating_sum, 6);
}

static void test_kpi_site_b_and_all(void **state)
{
    struct world *w = *state;
    struct store_kpi b, all;
    kpi(w, w->b, D0, D0 + 7 * D, &b);
    assert_int_equal(b.visits, 2);
    assert_int_equal(b.visits_first, 2);
    assert_int_equal(b.leads, 1);
    assert_int_equal(b.leads_valid, 1);
    assert_int_equal(b.leads_followed, 1);
    assert_int_equal(b.leads_converted, 0);
    assert_int_equal(b.orders, 1);
    assert_int_equal(b.orders_cancelled, 0);
    assert_int_equal(b.sales_fen, 900);
    assert_int_equal(b.returns, 0);
    assert_int_equal(b.deliveries, 1);
    assert_int_equal(b.cycle_sum_ms, D); /* created -> delivered, no received_at */
    assert_int_equal(b.cycle_max_ms, D);
    assert_int_equal(b.sla_breaches, 1);
    assert_int_equal(b.complaints, 1);
    assert_int_equal(b.complaints_closed, 0);
    assert_int_equal(b.review_n, 0);
    assert_int_equal(b.rating_n, 1);
    assert_int_equal(b.rating_sum, 3);

    kpi(w, 0, D0, D0 + 7 * D, &all); /* site 0: A + B */
    assert_int_equal(all.visits, 5);
    assert_int_equal(all.visits_first, 3);
    assert_int_equal(all.leads, 6);
    assert_int_equal(all.leads_valid, 5);
    assert_int_equal(all.leads_followed, 2);
    assert_int_equal(all.leads_converted, 1);
    assert_int_equal(all.orders, 5);
    assert_int_equal(all.orders_cancelled, 1);
    assert_int_equal(all.sales_fen, 4400);
    assert_int_equal(all.returns, 3);
    assert_int_equal(all.deliveries, 3);
    assert_int_equal(all.cycle_sum_ms, 19 * D + 2 * H);
    assert_int_equal(all.cycle_max_ms, 11 * D + 2 * H);
    assert_int_equal(all.sla_breaches, 2);
    assert_int_equal(all.complaints, 2);
    assert_int_equal(all.complaints_closed, 2);
    assert_int_equal(all.review_n, 3);
    assert_int_equal(all.rating_n, 3);
    assert_int_equal(all.rating_sum, 9);
}

static void test_kpi_empty_and_later(void **state)
{
    struct world *w = *state;
    struct store_kpi k;
    kpi(w, w->a, D0 + D, D0 + D, &k); /* an empty period */
    assert_int_equal(k.visits + k.leads + k.orders + k.deliveries + k.returns + k.rating_n, 0);
    /* later, l5's conversion (its order on D0 + 8 d) is inside the period */
    kpi(w, w->a, D0 + 4 * D, D0 + 9 * D, &k);
    assert_int_equal(k.leads, 2); /* l5, l7 */
    assert_int_equal(k.leads_converted, 1);
    assert_int_equal(k.orders, 2); /* A04 (the old `to`), A06 */
    assert_int_equal(k.rating_n, 1);
    assert_int_equal(k.rating_sum, 5);
}

/* ---- series ---- */

static void test_series_days(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct store_bucket b[10];
    size_t n = 99;
    struct store_span sp = span(w->a, D0, D0 + 7 * D);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_DAY, b, 10, &n, &err),
                     0);
    assert_int_equal(n, 7);
    /* {visits, leads, orders, deliveries, sales, returns} per day, worked out by hand */
    static const int64_t want[7][6] = {
        {2, 1, 2, 0, 3000, 1}, /* v2 v3; l2; A02 A05; A02 returned */
        {1, 0, 1, 1, 0, 0},    /* v4; A03 (cancelled); A01 delivered */
        {0, 1, 1, 0, 500, 2},  /* l3; A08; A09 and A08 returned */
        {0, 1, 0, 0, 0, 0},    /* l4 */
        {0, 1, 0, 0, 0, 0},    /* l5 */
        {0, 1, 0, 0, 0, 0},    /* l7 */
        {0, 0, 0, 1, 0, 0},    /* A05 delivered at 23:00 */
    };
    for (int i = 0; i < 7; i++) {
        assert_int_equal(b[i].start, D0 + i * D);
        assert_int_equal(b[i].end, D0 + (i + 1) * D);
        int64_t got[6] = {b[i].visits,     b[i].leads,     b[i].orders,
                          b[i].deliveries, b[i].sales_fen, b[i].returns};
        for (int j = 0; j < 6; j++)
            assert_int_equal(got[j], want[i][j]);
    }
    /* each bucket counts as kpi over its own span */
    for (size_t i = 0; i < n; i++) {
        struct store_kpi k;
        kpi(w, w->a, b[i].start, b[i].end, &k);
        assert_int_equal(k.visits, b[i].visits);
        assert_int_equal(k.leads, b[i].leads);
        assert_int_equal(k.orders, b[i].orders);
        assert_int_equal(k.deliveries, b[i].deliveries);
        assert_int_equal(k.sales_fen, b[i].sales_fen);
        assert_int_equal(k.returns, b[i].returns);
    }
}

static void test_series_weeks_clipped(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct store_bucket b[4];
    size_t n = 0;
    /* Wednesday to the next Wednesday: the week of D0 clipped, then the next week clipped */
    struct store_span sp = span(w->a, D0 + 2 * D, D0 + 9 * D);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_WEEK, b, 4, &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(b[0].start, D0 + 2 * D);
    assert_int_equal(b[0].end, D0 + 7 * D); /* next Monday */
    assert_int_equal(b[1].start, D0 + 7 * D);
    assert_int_equal(b[1].end, D0 + 9 * D);
    assert_int_equal(b[0].leads, 4);   /* l3 l4 l5 l7 */
    assert_int_equal(b[0].orders, 1);  /* A08 */
    assert_int_equal(b[0].returns, 2); /* A09, A08 */
    assert_int_equal(b[0].deliveries, 1);
    assert_int_equal(b[0].visits, 0);
    assert_int_equal(b[1].visits, 1);       /* v5 */
    assert_int_equal(b[1].orders, 2);       /* A04, A06 */
    assert_int_equal(b[1].sales_fen, 4200); /* 1200 + 3000 */
}

static void test_series_months_local(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct store_bucket b[3];
    size_t n = 0;
    int64_t oct1 = D0 - 32 * D;                           /* 2026-10-01 00:00 UTC+8 */
    struct store_span sp = span(w->a, oct1, D0 + 29 * D); /* to 2026-12-01 */
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_MONTH, b, 3, &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(b[0].start, oct1);
    assert_int_equal(b[0].end, D0 - D); /* 2026-11-01 00:00 local */
    assert_int_equal(b[1].end, D0 + 29 * D);
    /* October: vA at 23:30 local on the 31st (15:30 UTC); November: v1 at 00:00 local on the
     * 1st (still October 31 in UTC), v2..v5 */
    assert_int_equal(b[0].visits, 1);
    assert_int_equal(b[1].visits, 5);
    assert_int_equal(b[0].leads, 1);  /* l1 */
    assert_int_equal(b[1].leads, 5);  /* l2..l5, l7 */
    assert_int_equal(b[0].orders, 2); /* A01, A09 */
    assert_int_equal(b[0].sales_fen, 3300);
    assert_int_equal(b[1].orders, 6); /* A02 A03 A04 A05 A06 A08 */
    assert_int_equal(b[1].sales_fen, 7700);
    assert_int_equal(b[0].returns, 1); /* A09 on Oct 31 */
    assert_int_equal(b[1].returns, 3);
    assert_int_equal(b[1].deliveries, 2);
    /* in UTC the month bucket moves v1 into October */
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 0, STORE_BUCKET_MONTH, b, 3, &n, &err),
                     0);
    assert_int_equal(n, 3); /* Oct 1 00:00 local is Sep 30 16:00 UTC */
    assert_int_equal(b[1].visits, 2);
}

static void test_series_errors(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct store_bucket b[3];
    size_t n = 7;
    struct store_span sp = span(w->a, D0, D0 + 7 * D);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_DAY, b, 3, &n, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    assert_int_equal(n, 0);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 900, STORE_BUCKET_DAY, b, 3, &n, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    static struct store_bucket big[STORE_ANALYTICS_MAX_BUCKETS + 1];
    sp = span(w->a, D0, D0 + (STORE_ANALYTICS_MAX_BUCKETS + 1) * D);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_DAY, big,
                                            STORE_ANALYTICS_MAX_BUCKETS + 1, &n, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    sp = span(w->a, D0, D0);
    assert_int_equal(store_analytics_series(w->fx->s, &sp, 480, STORE_BUCKET_DAY, b, 3, &n, &err),
                     0);
    assert_int_equal(n, 0);
}

/* ---- breakdowns ---- */

struct rows {
    struct store_breakdown r[8];
    int n;
};

static int collect(void *ctx, const struct store_breakdown *row)
{
    struct rows *rs = ctx;
    assert_true(rs->n < 8);
    rs->r[rs->n++] = *row;
    return 0;
}

static void by(struct world *w, int64_t site, enum store_dim dim, struct rows *rs)
{
    struct proto_error err;
    memset(rs, 0, sizeof *rs);
    struct store_span sp = span(site, D0, D0 + 7 * D);
    assert_int_equal(store_analytics_orders_by(w->fx->s, &sp, dim, collect, rs, &err), 0);
}

static void row_is(const struct store_breakdown *r, const char *key, const char *label,
                   int64_t orders, int64_t cancelled, int64_t sales, int64_t deliveries)
{
    assert_string_equal(r->key, key);
    assert_string_equal(r->label, label);
    assert_int_equal(r->orders, orders);
    assert_int_equal(r->cancelled, cancelled);
    assert_int_equal(r->sales_fen, sales);
    assert_int_equal(r->deliveries, deliveries);
}

static void test_orders_by(void **state)
{
    struct world *w = *state;
    struct rows rs;
    by(w, 0, STORE_DIM_SITE, &rs);
    assert_int_equal(rs.n, 2);
    row_is(&rs.r[0], "SH01", "上海浦东店", 4, 1, 3500, 2);
    row_is(&rs.r[1], "SH02", "上海徐汇店", 1, 0, 900, 1);
    by(w, w->a, STORE_DIM_SITE, &rs);
    assert_int_equal(rs.n, 1);

    by(w, w->a, STORE_DIM_MODEL, &rs); /* tie on 2 orders: by key */
    assert_int_equal(rs.n, 2);
    row_is(&rs.r[0], "XH7", "星河 7", 2, 1, 1000, 2); /* A03 A05; A01 A05 delivered */
    row_is(&rs.r[1], "XH9", "星河 9", 2, 0, 2500, 0); /* A02 A08 */

    by(w, w->a, STORE_DIM_CONSULTANT, &rs);
    assert_int_equal(rs.n, 3);
    row_is(&rs.r[0], "S003", "张伟", 2, 0, 3000, 2);
    row_is(&rs.r[1], "", "", 1, 0, 500, 0); /* A08 has no consultant */
    row_is(&rs.r[2], "S004", "李娜", 1, 1, 0, 0);

    by(w, w->a, STORE_DIM_CHANNEL, &rs);
    assert_int_equal(rs.n, 3);
    row_is(&rs.r[0], "showroom", "showroom", 2, 0, 3000, 2);
    row_is(&rs.r[1], "online", "online", 1, 0, 500, 0);
    row_is(&rs.r[2], "phone", "phone", 1, 1, 0, 0);

    /* region of the customer's latest lead no later than the order: A02, A08 -> l2 (徐汇);
     * A05 -> l1 (浦东); A03 and A01 had no lead yet */
    by(w, w->a, STORE_DIM_REGION, &rs);
    assert_int_equal(rs.n, 3);
    row_is(&rs.r[0], "徐汇", "徐汇", 2, 0, 2500, 0);
    row_is(&rs.r[1], "", "", 1, 1, 0, 1);
    row_is(&rs.r[2], "浦东", "浦东", 1, 0, 1000, 1);
}

struct qrows {
    struct store_lead_quality r[4];
    int n;
};

static int collect_q(void *ctx, const struct store_lead_quality *row)
{
    struct qrows *rs = ctx;
    assert_true(rs->n < 4);
    rs->r[rs->n++] = *row;
    return 0;
}

static void q_is(const struct store_lead_quality *q, const char *channel, const int64_t v[8])
{
    assert_string_equal(q->channel, channel);
    int64_t got[8] = {q->leads,   q->valid,   q->followed, q->converted,
                      q->grade_h, q->grade_a, q->grade_b,  q->overdue};
    for (int i = 0; i < 8; i++) {
        if (got[i] != v[i])
            fail_msg("%s field %d: %lld, expected %lld", channel, i, (long long)got[i],
                     (long long)v[i]);
    }
}

static void test_leads_by_channel(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct qrows rs = {0};
    struct store_span sp = span(w->a, D0, D0 + 7 * D);
    assert_int_equal(store_analytics_leads_by_channel(w->fx->s, &sp, collect_q, &rs, &err), 0);
    assert_int_equal(rs.n, 2);
    /* {leads, valid, followed, converted, H, A, B, overdue}, most leads first. web_autohome:
     * l2 and l5 (both converted: their grade is O now, l5's after `to`), l7 (B); the overdue
     * report of l1 (made before P) */
    q_is(&rs.r[0], "web_autohome", (int64_t[]){3, 3, 1, 1, 0, 0, 1, 1});
    /* l3, l4 (invalid); l3's report */
    q_is(&rs.r[1], "phone_in", (int64_t[]){2, 1, 0, 0, 0, 1, 0, 1});
    memset(&rs, 0, sizeof rs);
    sp.site_id = 0;
    assert_int_equal(store_analytics_leads_by_channel(w->fx->s, &sp, collect_q, &rs, &err), 0);
    assert_int_equal(rs.n, 2);
    /* tie on 3 leads: by channel; phone_in gains l6 at B */
    q_is(&rs.r[0], "phone_in", (int64_t[]){3, 2, 1, 0, 1, 1, 0, 1});
    assert_string_equal(rs.r[1].channel, "web_autohome");
}

/* ---- assessment ---- */

struct arows {
    struct store_assessment r[8];
    int n;
};

static int collect_a(void *ctx, const struct store_assessment *row)
{
    struct arows *rs = ctx;
    assert_true(rs->n < 8);
    rs->r[rs->n++] = *row;
    return 0;
}

/* {visits, orders, returns, deliveries, cancelled, sales, review_n, review_sum, deliver_n,
 *  deliver_sum, rating_n, rating_sum, breaches} */
static void a_is(const struct store_assessment *a, const char *no, const int64_t v[13])
{
    assert_string_equal(a->staff_no, no);
    int64_t got[13] = {a->visits,      a->orders,         a->returns,  a->deliveries,
                       a->cancelled,   a->sales_fen,      a->review_n, a->review_sum_ms,
                       a->deliver_n,   a->deliver_sum_ms, a->rating_n, a->rating_sum,
                       a->sla_breaches};
    for (int i = 0; i < 13; i++) {
        if (got[i] != v[i])
            fail_msg("%s field %d: %lld, expected %lld", no, i, (long long)got[i], (long long)v[i]);
    }
}

static void assess(struct world *w, int64_t site, enum domain_role role, struct arows *rs)
{
    struct proto_error err;
    memset(rs, 0, sizeof *rs);
    struct store_span sp = span(site, D0, D0 + 7 * D);
    assert_int_equal(store_analytics_assessment(w->fx->s, &sp, role, collect_a, rs, &err), 0);
}

static void test_assessment_consultants(void **state)
{
    struct world *w = *state;
    struct arows rs;
    assess(w, w->a, DOMAIN_ROLE_CONSULTANT, &rs);
    assert_int_equal(rs.n, 3); /* S005 is inactive with no figures; S013 is B's */
    /* S003: v2 v3; A02 A05 (A02 sent back once); A01 A05 delivered; reviews A02 2 h and
     * A05 30 min; A01's rating 4 */
    a_is(&rs.r[0], "S003",
         (int64_t[]){2, 2, 1, 2, 0, 3000, 2, 2 * H + 30 * MIN, 2, 18 * D + 2 * H, 1, 4, 0});
    assert_int_equal(rs.r[0].staff_id, w->c1);
    assert_string_equal(rs.r[0].name, "张伟");
    assert_int_equal(rs.r[0].role, DOMAIN_ROLE_CONSULTANT);
    /* S004: v4; A03 cancelled, reviewed in 1 h, its breach; A09's return is not of an order
     * of the period */
    a_is(&rs.r[1], "S004", (int64_t[]){1, 1, 0, 0, 1, 0, 1, H, 0, 0, 0, 0, 1});
    a_is(&rs.r[2], "S006", (int64_t[]){0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

    assess(w, 0, DOMAIN_ROLE_CONSULTANT, &rs);
    assert_int_equal(rs.n, 4);
    assert_string_equal(rs.r[0].staff_no, "S003");
    /* one order each: S013 has a delivery, so it comes before S004 */
    a_is(&rs.r[1], "S013", (int64_t[]){2, 1, 0, 1, 0, 900, 0, 0, 1, D, 1, 3, 1});
    assert_string_equal(rs.r[2].staff_no, "S004");
    assert_string_equal(rs.r[3].staff_no, "S006");
}

static void test_assessment_supervisors(void **state)
{
    struct world *w = *state;
    struct arows rs;
    assess(w, w->a, DOMAIN_ROLE_SUPERVISOR, &rs);
    assert_int_equal(rs.n, 2);
    /* S007 decided A02 (sent back), A03, A05, A08 (sent back) in P; A03 cancelled; current
     * decisions A03 (1 h) and A05 (30 min); latest reviewer of A05 (delivered) and of A03
     * (its breach) */
    a_is(&rs.r[0], "S007", (int64_t[]){0, 4, 2, 1, 1, 3500, 2, H + 30 * MIN, 1, 7 * D, 0, 0, 1});
    /* S009 passed A02 (2 h); latest reviewer of A01: its delivery and rating */
    a_is(&rs.r[1], "S009", (int64_t[]){0, 1, 0, 1, 0, 2000, 1, 2 * H, 1, 11 * D + 2 * H, 1, 4, 0});
}

/* ---- bad input ---- */

static int stop_at_first(void *ctx, const struct store_breakdown *row)
{
    (void)row;
    ++*(int *)ctx;
    return 1;
}

static void test_bad_input(void **state)
{
    struct world *w = *state;
    struct proto_error err;
    struct store_kpi k;
    struct store_span sp = span(w->a, D0 + D, D0);
    assert_int_equal(store_analytics_kpi(w->fx->s, &sp, &k, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    sp = span(999, D0, D0 + D);
    assert_int_equal(store_analytics_kpi(w->fx->s, &sp, &k, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    sp = span(-1, D0, D0 + D);
    assert_int_equal(store_analytics_kpi(w->fx->s, &sp, &k, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    sp = span(w->a, D0, D0 + 7 * D);
    struct arows rs;
    assert_int_equal(
        store_analytics_assessment(w->fx->s, &sp, DOMAIN_ROLE_RECEPTION, collect_a, &rs, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    struct rows r;
    assert_int_equal(
        store_analytics_orders_by(w->fx->s, &sp, (enum store_dim)42, collect, &r, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    int calls = 0;
    assert_int_equal(
        store_analytics_orders_by(w->fx->s, &sp, STORE_DIM_MODEL, stop_at_first, &calls, &err), -1);
    assert_int_equal(calls, 1);
    /* still usable afterwards, inside a caller's read transaction */
    assert_int_equal(store_begin_read(w->fx->s, &err), 0);
    assert_int_equal(store_analytics_kpi(w->fx->s, &sp, &k, &err), 0);
    assert_int_equal(store_commit(w->fx->s, &err), 0);
    assert_int_equal(k.orders, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kpi_site_a),
        cmocka_unit_test(test_kpi_site_b_and_all),
        cmocka_unit_test(test_kpi_empty_and_later),
        cmocka_unit_test(test_series_days),
        cmocka_unit_test(test_series_weeks_clipped),
        cmocka_unit_test(test_series_months_local),
        cmocka_unit_test(test_series_errors),
        cmocka_unit_test(test_orders_by),
        cmocka_unit_test(test_leads_by_channel),
        cmocka_unit_test(test_assessment_consultants),
        cmocka_unit_test(test_assessment_supervisors),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

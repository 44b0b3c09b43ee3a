/* `showfloor demo-year`: one simulated year of a site group, for reports and benchmarks.
 * Every lead, visit, order and complaint is made by the hub's own core (core_request() with
 * the staff member and kiosk who would send it, at the simulated time), and core_tick() runs
 * the time limits on the simulated clock, so the rows, events, audit records and breaches
 * are exactly the ones a running hub writes. Only what the CLI does in real life (sites,
 * staff, models, devices, the duty roster, stock cars arriving) is written through the
 * store, as the CLI's own commands do.
 *
 * Files: cmd_demo_year.c (options, the organisation, the summary), demo_year_sim.c (clock,
 * agenda, batches, ticks, volumes and the event budget), demo_year_flow.c and
 * demo_year_order.c (what happens to each lead, visit, order and complaint). */
#ifndef SHOWFLOOR_DEMO_YEAR_H
#define SHOWFLOOR_DEMO_YEAR_H

#include <stdint.h>

#include "cli.h"
#include "core.h"

#define DY_MAX_SITES    8
#define DY_N_MODELS     6
#define DY_N_TELESALES  3
#define DY_N_CONSULTANT 8
#define DY_MAX_STAFF_ID 512 /* staff ids of the organisation are small: a direct table */
#define DY_MIN_MS       (60 * 1000LL)
#define DY_HOUR_MS      (60 * DY_MIN_MS)
#define DY_DAY_MS       (24 * DY_HOUR_MS)

struct dy_rng {
    uint64_t s;
};
uint64_t dy_rng_next(struct dy_rng *r);
int dy_rng_below(struct dy_rng *r, int n);                     /* 0..n-1 */
double dy_rng_unit(struct dy_rng *r);                          /* [0, 1) */
int64_t dy_rng_span(struct dy_rng *r, int64_t lo, int64_t hi); /* lo..hi-1 */

/* Stock cars of one model at one site that no order has taken (VINs the generator added). */
struct dy_pool {
    char (*vin)[STORE_VIN_LEN + 1];
    size_t n, cap;
};

struct dy_site {
    int64_t id;
    char code[8];
    int offset;    /* utc_offset_min */
    double weight; /* share of the group's business */
    struct core_staff reception, supervisor, manager, finance, service, marketing;
    struct core_staff telesales[DY_N_TELESALES], consultant[DY_N_CONSULTANT];
    struct core_device reception_dev, api_dev, delivery_dev;
    struct dy_pool pool[DY_N_MODELS];
    int64_t vin_seq;
};

struct dy_model {
    const char *code, *name, *name_en;
    int64_t price_fen;
    int share; /* per cent of orders */
};
extern const struct dy_model dy_models[DY_N_MODELS];

/* What the simulation plans for a lead when it arrives. */
enum dy_lead_plan {
    DY_LEAD_INCOMPLETE, /* no budget given: the hub flags it invalid, nobody follows it up */
    DY_LEAD_ORDER,      /* follow-ups, an appointment, a visit, an order */
    DY_LEAD_LOST,       /* follow-ups, then graded F (lost) */
    DY_LEAD_JUNK,       /* one call, then marketing invalidates it (unreachable) */
    DY_LEAD_NO_SHOW     /* booked a visit and never came; lost afterwards */
};

struct dy_lead {
    int64_t id;
    int64_t holder; /* staff id of who follows it up now */
    int64_t appt_at;
    uint32_t person;
    uint8_t site, plan, model, fu_left, channel;
    char grade;
};

/* A showroom visit in progress (index in dy.visits). */
struct dy_visit {
    int64_t id;
    int64_t consultant;
    int32_t lead; /* index in leads, -1 walk-in */
    uint32_t person;
    uint8_t site, orders; /* orders: 1 when the visit ends in an order */
    uint8_t model;
};

/* An order's plan and where it stands (index in dy.orders). */
struct dy_order {
    char no[STORE_ORDER_NO_MAX + 1];
    char vin[STORE_VIN_LEN + 1];
    int64_t consultant;
    int64_t total_fen, paid_fen, eta, delivery_at;
    uint32_t person;
    uint8_t site, model, loan, factory, step, returns, rejected, cancel_at, change, eta_moves,
        late_close, rating, company, loan_done, prep_done, at_once;
};

/* A complaint being handled (index in dy.complaints). */
struct dy_complaint {
    int64_t id;
    uint32_t order;
    uint8_t site, step, rated; /* rated: opened by the hub for a low delivery rating */
};

/* Agenda entry: do `kind` to `ref` at `at` (ties: in the order they were planned). */
struct dy_action {
    int64_t at;
    uint64_t seq;
    uint32_t kind, ref;
};

struct dy_opts {
    const char *db;
    uint64_t seed;
    int sites;
    int64_t leads, orders, events;
    int year;
};

struct dy {
    struct dy_opts o;
    struct cli *cli; /* the generator's own store handle: organisation, roster, stock */
    struct core *core;
    struct dy_rng rng;
    struct dy_site site[DY_MAX_SITES];
    const struct core_staff *staff_by_id[DY_MAX_STAFF_ID];
    int64_t t0, t_end; /* the year, UTC ms of local midnights */
    /* agenda: a binary min-heap */
    struct dy_action *heap;
    size_t n_heap, cap_heap;
    uint64_t seq;
    /* entities */
    struct dy_lead *leads;
    size_t n_leads;
    struct dy_visit *visits;
    size_t n_visits, cap_visits;
    struct dy_order *orders;
    size_t n_orders, cap_orders;
    struct dy_complaint *complaints;
    size_t n_complaints, cap_complaints;
    int64_t complaint_ids; /* complaints opened so far: the store numbers them 1, 2, ... */
    uint32_t persons;      /* customers made so far (phones are derived from the index) */
    /* volumes: daily quotas follow a seasonal weight; k scales optional activity */
    double day_w[370], w_total, w_done, w_cutoff; /* w_cutoff: weight of the days on which
                                                   * a new lead can still order in the year */
    int64_t leads_done, lead_orders_planned, lead_orders_target, walkin_orders_target, walkin_done;
    double k;
    /* counters */
    int64_t commands, refused, ticks, in_batch;
    int64_t cmd_id;
    int64_t started_ms;
};

/* `showfloor demo-year [--db NEW.db] [--seed N] [--sites N] [--leads N] [--orders N]
 * [--events N] [--year Y]` (cmd_demo_year.c); c->store is NULL: it creates its own file. */
int cmd_demo_year(struct cli *c, int argc, char **argv);

/* demo_year_sim.c */
int dy_sim_run(struct dy *y);
void dy_plan(struct dy *y, int64_t at, uint32_t kind, uint32_t ref);
/* Runs one request through the core as `st` on `dev` at `now`. args is consumed. On success
 * *data (if data is not NULL) receives the result (caller frees); a refusal is counted and
 * reported (the generator's plans should never be refused) and returns -1. */
int dy_cmd(struct dy *y, const struct core_device *dev, const struct core_staff *st,
           enum proto_type type, cJSON *args, int64_t now, cJSON **data);
const struct core_staff *dy_staff(const struct dy *y, int64_t id);
/* A local time of day on the day of `at`: hh:mm plus up to spread_min minutes. */
int64_t dy_at_local(struct dy *y, int site, int64_t at, int hh, int mm, int spread_min);
/* Customer number `person`: phone, name and gender, the same every time. */
void dy_person(uint32_t person, char phone[PROTO_MAX_PHONE + 1], char name[PROTO_MAX_NAME + 1],
               int *female);
/* Next stock VIN of the site and model, never used before. */
void dy_vin(struct dy *y, int site, int model, char vin[STORE_VIN_LEN + 1]);

/* Actions (demo_year_flow.c dispatches; the order ones live in demo_year_order.c). */
enum dy_kind {
    DY_A_LEAD_CREATE,
    DY_A_LEAD_FOLLOWUP,
    DY_A_LEAD_APPOINT,
    DY_A_LEAD_INVALIDATE,
    DY_A_CHECKIN_LEAD,
    DY_A_CHECKIN_WALKIN,
    DY_A_VISIT_SERVE,
    DY_A_VISIT_DEPART,
    DY_A_ORDER_CREATE,
    DY_A_ORDER_PHONE,
    DY_A_ORDER_STEP,
    DY_A_COMPLAINT,
    DY_A__COUNT
};
int dy_flow_do(struct dy *y, const struct dy_action *a);
int64_t dy_wall_ms(void); /* monotonic wall clock, for the progress lines */
/* A new lead of `site` arriving at `at` (plans it and its first action). */
int dy_flow_new_lead(struct dy *y, int site, int64_t at);
/* A customer without a lead walking in at `at`; buys = plans an order from the visit. */
int dy_flow_walk_in(struct dy *y, int site, int64_t at, bool buys);
/* demo_year_order.c: an order from visit v (planned by the flow), and each next step. */
int dy_order_create(struct dy *y, uint32_t visit, int64_t now);
/* An order a consultant enters for a lead's customer who decided on the phone (no visit). */
int dy_order_by_phone(struct dy *y, uint32_t lead, int64_t now);
int dy_order_step(struct dy *y, uint32_t order, int64_t now);
/* A complaint about delivered order `order` (opened by service), and its handling. */
int dy_complaint_open(struct dy *y, uint32_t order, int64_t now);
int dy_complaint_step(struct dy *y, uint32_t ref, int64_t now);
/* Grows *v (elements of size sz) so that one more fits; 0 or -1 (out of memory). */
int dy_grow(void **v, size_t *cap, size_t n, size_t sz);

#endif

/* `showfloor simulate`: a dealership day played against a running hub through its HTTP API
 * only (the hub's real commands, events and pushes; the database is never written but to
 * enrol the simulator's own two devices). Files: cmd_simulate.c (options, devices, the clock
 * and the main loop, the summary), simulate_http.c (libcurl, staff sessions, retries with the
 * same command id), simulate_plan.c (random numbers, people, the agenda, the day's plan),
 * simulate_floor.c (check-ins, visits, appointments, the conflict and the complaint) and
 * simulate_orders.c (each order's next step, from the order the hub returns). */
#ifndef SHOWFLOOR_SIMULATE_H
#define SHOWFLOOR_SIMULATE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto.h"

#define SIM_MIN_MS  (60 * 1000LL)
#define SIM_HOUR_MS (60 * SIM_MIN_MS)
#define SIM_DAY_MS  (24 * SIM_HOUR_MS)

#define SIM_EXIT_UNREACHABLE 3 /* README.md: 0 ok, 1 failure, 2 usage, 3 hub unreachable */
#define SIM_SESSION_LEN      64
#define SIM_URL_MAX          512
#define SIM_MAX_MODELS       32

/* ---- simulate_http.c ---- */

/* Who sends a request: a device token, and for staff their number, PIN and live session. */
struct sim_actor {
    const char *token;    /* borrowed: the device's token */
    const char *staff_no; /* NULL: the device alone (the reception kiosk) */
    const char *pin;
    const char *role; /* what the simulator needs this person to be */
    char session[SIM_SESSION_LEN + 1];
    int64_t staff_id;
    char name[PROTO_MAX_NAME + 1];
};

enum sim_rc {
    SIM_OK = 0,
    SIM_REFUSED = 1,      /* the hub answered ok:false: code and message in the sim_reply */
    SIM_FAILED = -1,      /* out of memory, an answer that is not the protocol's */
    SIM_UNREACHABLE = -3, /* no answer, or only `unavailable`, for the whole retry window */
    SIM_STOPPED = -4,     /* SIGINT/SIGTERM arrived while waiting to retry */
};

struct sim_reply {
    cJSON *data; /* ok: the result's data (caller frees with cJSON_Delete) */
    char code[PROTO_MAX_SHORT + 1];
    char message[512];
};

struct sim_http;

/* The hub at url (http(s):// or the ws(s):// the hub logs). retry_ms: how long transient
 * failures are retried before SIM_UNREACHABLE; *stop is polled while waiting. NULL with a
 * message in err on a bad URL or when libcurl cannot start. */
struct sim_http *sim_http_new(const char *url, int64_t retry_ms, volatile sig_atomic_t *stop,
                              char *err, size_t errsz);
void sim_http_free(struct sim_http *h);
const char *sim_http_url(const struct sim_http *h);
/* GET /healthz once: SIM_OK, or SIM_UNREACHABLE with the reason in err. */
enum sim_rc sim_http_health(struct sim_http *h, char *err, size_t errsz);
/* Logs a staff actor in (POST /api/v1/login): fills session, staff_id and name. SIM_REFUSED
 * with the hub's error in r (staff_login_failed, ...). */
enum sim_rc sim_http_login(struct sim_http *h, struct sim_actor *a, struct sim_reply *r);
/* One protocol request through POST /api/v1/requests, as `actor`. A transport failure or
 * `unavailable`/`internal` is retried with the same id (commands are idempotent by id) until
 * the retry window ends; an expired staff session is renewed by logging in again, then the
 * same id is sent once more. args is borrowed. r->data must be freed by the caller. */
enum sim_rc sim_http_request(struct sim_http *h, struct sim_actor *a, const char *type,
                             const char *id, const cJSON *args, struct sim_reply *r);
/* GET /api/v1/orders with a query ("limit=200&offset=0"): the data object in r->data. */
enum sim_rc sim_http_orders(struct sim_http *h, struct sim_actor *a, const char *query,
                            struct sim_reply *r);

/* ---- simulate_plan.c: the day ---- */

struct sim_rng {
    uint64_t s;
};
void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
int sim_rng_below(struct sim_rng *r, int n);                     /* 0..n-1 */
double sim_rng_unit(struct sim_rng *r);                          /* [0, 1) */
int64_t sim_rng_span(struct sim_rng *r, int64_t lo, int64_t hi); /* lo..hi-1 */

/* A customer the simulator knows: made up, or read from an order the hub listed. */
struct sim_person {
    char name[PROTO_MAX_NAME + 1];
    char phone[PROTO_MAX_PHONE + 1];
    const char *gender; /* "male", "female" */
    int64_t expected;   /* simulated ms of their planned arrival */
    bool known;         /* the hub has them already (returning) */
    bool busy;          /* taken by a story for today: not drawn again */
};

struct sim_model {
    char code[PROTO_MAX_SHORT + 1];
    int64_t price_fen;
};

enum sim_kind {
    SIM_A_APPOINTMENT, /* telesales books an invited customer's visit */
    SIM_A_ARRIVE,      /* a customer checks in at reception */
    SIM_A_SERVE,       /* the consultant comes to the waiting customer */
    SIM_A_ORDER,       /* the visit ends in an order */
    SIM_A_DEPART,      /* the customer leaves (grade after the visit) */
    SIM_A_ORDER_STEP,  /* an order's next step, whatever its stage asks for */
    SIM_A_LEAD,        /* the conflict: a consultant takes a phone inquiry */
    SIM_A_POACH,       /* the conflict: another consultant writes that customer's order */
    SIM_A_RULE,        /* the conflict: the supervisor rules */
    SIM_A_COMPLAINT,   /* the complaint's next step */
};

struct sim_action {
    int64_t at; /* simulated ms since the start */
    uint64_t seq;
    enum sim_kind kind;
    uint32_t ref;
};

/* A visit in progress (index = ref of its actions). */
struct sim_visit {
    int64_t id;
    uint32_t person;
    int consultant; /* index in sim.staff, -1: nobody assigned (the supervisor steps in) */
    int model;      /* index in sim.models */
    bool orders;    /* ends in an order */
    char grade;     /* after the visit, when no order */
};

/* An order the simulator moves along (index = ref of its actions). */
struct sim_order {
    char no[PROTO_MAX_SHORT + 1];
    int consultant;      /* index in sim.staff of its consultant, -1 unknown */
    int steps_left;      /* how many more steps it gets today */
    bool today;          /* created by this run: stops once a car is ordered for it */
    bool edited;         /* returned and edited: resubmit next */
    bool returned;       /* sent back once already: passes next time */
    int64_t deliver_sim; /* when the hand-over happens, simulated (set by order_ready) */
    cJSON *state;        /* the StaffOrder the hub last returned (owned) */
};

enum sim_staff_ix {
    SIM_TELESALES,
    SIM_CONSULTANT0, /* four consultants */
    SIM_SUPERVISOR = SIM_CONSULTANT0 + 4,
    SIM_MANAGER,
    SIM_FINANCE,
    SIM_SERVICE,
    SIM_N_STAFF
};
#define SIM_N_CONSULTANTS 4

struct sim_counts {
    int actions, ok, refused;
    int checkins, new_customers, returning, invited, served, departed;
    int orders_created, reviews_passed, reviews_returned, approvals, rejections, resubmits,
        allocations, arrivals, prep_steps, loan_steps, payments, invoices, ready, deliveries,
        closed, changes_reviewed, appointments, leads, complaints, complaint_steps, conflicts,
        rulings;
};

struct sim_opts {
    double speed;
    uint64_t seed;
    double duration_h;
    int start_min; /* simulated opening time, minutes after local midnight */
    double arrivals_per_h;
    int64_t retry_ms;
    bool quiet;
};

struct sim {
    struct sim_opts o;
    volatile sig_atomic_t *stop;
    struct sim_http *http;
    struct sim_rng rng;
    struct sim_actor reception;
    struct sim_actor staff[SIM_N_STAFF];
    int64_t hub0;  /* hub clock (UTC ms) at the start: hub times are hub0 + sim/speed */
    int64_t mono0; /* monotonic ms at the start, for pacing */
    int64_t dur;   /* simulated ms */
    int64_t now;   /* simulated ms of the action being run */
    char tag[24];  /* this run's command-id prefix: ids never repeat across runs */
    uint64_t next_id;
    struct sim_model models[SIM_MAX_MODELS];
    int n_models;
    /* agenda: a binary min-heap by (at, seq) */
    struct sim_action *heap;
    size_t n_heap, cap_heap;
    uint64_t seq;
    struct sim_person *people;
    size_t n_people, cap_people;
    struct sim_visit *visits;
    size_t n_visits, cap_visits;
    struct sim_order *orders;
    size_t n_orders, cap_orders;
    int64_t consultant_free[SIM_N_CONSULTANTS]; /* simulated ms each is free from */
    int reviews_done, approvals_done, vin_seq, deliveries_planned;
    /* the two stories every day has */
    struct {
        uint32_t person;
        int owner, poacher; /* indices in staff */
        int64_t lead_id, conflict_id;
        bool lead_ok, order_ok;
    } conflict;
    struct {
        uint32_t person;
        char order_no[PROTO_MAX_SHORT + 1];
        int64_t id;
        int step;
    } complaint;
    struct sim_counts n;
    int fatal; /* SIM_UNREACHABLE / SIM_FAILED / SIM_STOPPED once the day cannot go on */
};

/* simulate_plan.c */
int sim_grow(void **v, size_t *cap, size_t n, size_t size);
int sim_plan(struct sim *s, int64_t at, enum sim_kind kind, uint32_t ref);
bool sim_next(struct sim *s, struct sim_action *out);
/* A made-up customer (name, gender, a mobile phone); their index, or -1 out of memory. */
int sim_person_new(struct sim *s);
int sim_person_add(struct sim *s, const char *name, const char *phone, const char *gender);
/* Reads the hub's orders (as the supervisor): the catalogue, returning customers, the open
 * orders and their plans for today. 0, or -1 (s->fatal says why). */
int sim_plan_discover(struct sim *s);
/* The day: arrivals, appointments, the conflict and the complaint. 0 or -1. */
int sim_plan_day(struct sim *s);

/* cmd_simulate.c */
/* "HH:MM" of simulated ms `at`. */
void sim_clock(const struct sim *s, int64_t at, char out[8]);
/* The hub time of simulated ms `at`. */
int64_t sim_hub_time(const struct sim *s, int64_t at);
/* Sends one step as `a`, counts it, prints "HH:MM  what  ok|refused: why". what is the line's
 * text; on SIM_OK r->data is the caller's. A refusal is a normal outcome (returns SIM_REFUSED);
 * SIM_UNREACHABLE/FAILED/STOPPED set s->fatal. */
enum sim_rc sim_do(struct sim *s, struct sim_actor *a, const char *type, cJSON *args,
                   struct sim_reply *r, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A masked phone for the log (138****1234). */
void sim_mask_phone(const char *phone, char out[PROTO_MAX_PHONE + 1]);
/* Index in s->staff of the staff member with this id, or -1. */
int sim_staff_by_id(const struct sim *s, int64_t id);

/* `showfloor simulate ...`: opens the database itself, only to enrol its devices. */
struct cli;
int cmd_simulate(struct cli *c, int argc, char **argv);

/* simulate_floor.c */
int sim_floor_run(struct sim *s, const struct sim_action *a);

/* simulate_orders.c */
/* Adds an order to move along from the hub's StaffOrder JSON; its index or -1. */
int sim_order_track(struct sim *s, const cJSON *order, bool today, int steps);
int sim_order_step(struct sim *s, uint32_t ref);
/* Schedules the order's next step after `now` (nothing when its day is done). */
int sim_order_next(struct sim *s, uint32_t ref, const cJSON *order);

#endif

/* demo-year's clock: an agenda of planned actions run in time order through the hub's core,
 * grouped into write batches (core_batch_*), with core_tick() every three simulated hours
 * (time limits, overdue leads, no-shows, complaint deadlines), and, each local midnight,
 * the day's arrivals: leads and walk-ins by a seasonal quota, stock cars on the first of a
 * month, and the event budget's correction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_direct.h"
#include "demo_year.h"

#define DY_BATCH_MAX    4000             /* commands per write transaction */
#define DY_TICK_MS      (3 * DY_HOUR_MS) /* core_tick cadence on the simulated clock */
#define DY_COMMANDS_TTL (7 * DY_DAY_MS)  /* command ids kept (PROTOCOL.md: at least 7 days) */
#define DY_MAX_REPORTED 20               /* refusals printed; the rest are only counted */

uint64_t dy_rng_next(struct dy_rng *r)
{
    /* splitmix64, as demo-data uses: small, fast, deterministic */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int dy_rng_below(struct dy_rng *r, int n)
{
    return n <= 1 ? 0 : (int)(dy_rng_next(r) % (uint64_t)n);
}

double dy_rng_unit(struct dy_rng *r)
{
    return (double)(dy_rng_next(r) >> 11) / 9007199254740992.0; /* 53 bits */
}

int64_t dy_rng_span(struct dy_rng *r, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(dy_rng_next(r) % (uint64_t)(hi - lo));
}

int dy_grow(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 1024;
    void *p = realloc(*v, c * sz);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

/* ---- the agenda: a binary min-heap on (at, seq) ---- */

static bool before(const struct dy_action *a, const struct dy_action *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

void dy_plan(struct dy *y, int64_t at, uint32_t kind, uint32_t ref)
{
    if (at >= y->t_end)
        return; /* after the year: never happens in this database */
    if (dy_grow((void **)&y->heap, &y->cap_heap, y->n_heap, sizeof *y->heap)) {
        fprintf(stderr, "showfloor demo-year: out of memory\n");
        exit(CLI_FAIL);
    }
    size_t i = y->n_heap++;
    struct dy_action a = {.at = at, .seq = y->seq++, .kind = kind, .ref = ref};
    while (i > 0 && before(&a, &y->heap[(i - 1) / 2])) {
        y->heap[i] = y->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    y->heap[i] = a;
}

static struct dy_action pop(struct dy *y)
{
    struct dy_action top = y->heap[0], last = y->heap[--y->n_heap];
    size_t i = 0, n = y->n_heap;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const struct dy_action *best = &last;
        if (l < n && before(&y->heap[l], best))
            m = l, best = &y->heap[l];
        if (l + 1 < n && before(&y->heap[l + 1], best))
            m = l + 1;
        if (m == i)
            break;
        y->heap[i] = y->heap[m];
        i = m;
    }
    if (n)
        y->heap[i] = last;
    return top;
}

/* ---- helpers the flows share ---- */

const struct core_staff *dy_staff(const struct dy *y, int64_t id)
{
    return id > 0 && id < DY_MAX_STAFF_ID ? y->staff_by_id[id] : NULL;
}

int64_t dy_at_local(struct dy *y, int site, int64_t at, int hh, int mm, int spread_min)
{
    int64_t day = domain_day_start(at, y->site[site].offset);
    return day + hh * DY_HOUR_MS + mm * DY_MIN_MS +
           (spread_min > 0 ? dy_rng_span(&y->rng, 0, spread_min * DY_MIN_MS) : 0);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                       "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
                                       "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "欧阳"};
static const char *const given_m[] = {"建国", "伟",   "磊",   "军",   "勇",   "涛",   "明",
                                      "超",   "俊杰", "浩然", "志强", "宇航", "子轩", "文博"};
static const char *const given_f[] = {"芳", "娜",   "敏",   "静",   "丽",   "婷",   "雪",
                                      "慧", "欣怡", "梓涵", "雨桐", "佳琪", "晓燕", "美玲"};
static const char *const mobile_prefixes[] = {"138", "139", "136", "135", "158", "159", "150",
                                              "186", "187", "177", "189", "133", "199", "166"};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

void dy_person(uint32_t person, char phone[PROTO_MAX_PHONE + 1], char name[PROTO_MAX_NAME + 1],
               int *female)
{
    /* 61803399 is odd and not a multiple of 5, so p -> p * 61803399 mod 10^8 is one-to-one:
     * every customer number below 10^8 gets its own eight digits, hence its own phone */
    uint64_t digits = (uint64_t)person * 61803399ULL % 100000000ULL;
    struct dy_rng h = {person * 0x9e3779b97f4a7c15ULL + 7};
    uint64_t r = dy_rng_next(&h);
    snprintf(phone, PROTO_MAX_PHONE + 1, "%s%08llu", mobile_prefixes[r % COUNT(mobile_prefixes)],
             (unsigned long long)digits);
    int f = (int)((r >> 8) & 1);
    snprintf(name, PROTO_MAX_NAME + 1, "%s%s", surnames[(r >> 16) % COUNT(surnames)],
             f ? given_f[(r >> 24) % COUNT(given_f)] : given_m[(r >> 24) % COUNT(given_m)]);
    if (female)
        *female = f;
}

void dy_vin(struct dy *y, int site, int model, char vin[STORE_VIN_LEN + 1])
{
    /* "LSFY", site, model, 11 digits: 17 characters, none of them I, O or Q */
    unsigned long long seq = (unsigned long long)++y->site[site].vin_seq % 100000000000ULL;
    snprintf(vin, STORE_VIN_LEN + 1, "LSFY%u%u%011llu", (unsigned)site % 10u, (unsigned)model % 10u,
             seq);
}

int64_t dy_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int dy_cmd(struct dy *y, const struct core_device *dev, const struct core_staff *st,
           enum proto_type type, cJSON *args, int64_t now, cJSON **data)
{
    struct proto_error err = {0};
    cJSON *out = NULL;
    char id[32];
    snprintf(id, sizeof id, "year-%lld", (long long)++y->cmd_id);
    int rc = -1;
    if (!args) {
        proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
    } else if (proto_validate_args(type, args, &err) == 0 &&
               core_request(y->core, dev, st, type, id, args, now, &out, &err) == 0) {
        rc = 0;
    }
    cJSON_Delete(args);
    y->commands++;
    y->in_batch++;
    if (rc == 0) {
        if (data)
            *data = out;
        else
            cJSON_Delete(out);
        return 0;
    }
    if (y->refused++ < DY_MAX_REPORTED)
        fprintf(stderr, "showfloor demo-year: %s by %s refused: %s %s\n", proto_type_name(type),
                st ? st->staff_no : "kiosk", proto_error_code(err.code), err.message);
    return -1;
}

/* ---- volumes ---- */

/* Business by month (car sales peak before the spring festival, in spring and in the
 * autumn "golden September, silver October"), and by weekday (weekends busiest). */
static const double month_w[12] = {1.15, 0.75, 1.0, 1.05, 1.0, 0.95, 0.9, 0.9, 1.1, 1.15, 1.0, 1.1};
static const double weekday_w[7] = {1.45, 0.85, 0.8, 0.8, 0.85, 0.95, 1.4}; /* Sun..Sat */

static void plan_weights(struct dy *y)
{
    int days = (int)((y->t_end - y->t0) / DY_DAY_MS);
    y->w_total = 0;
    for (int d = 0; d < days && d < 370; d++) {
        int64_t mid = y->t0 + d * DY_DAY_MS + 12 * DY_HOUR_MS;
        time_t t = (time_t)((mid + (int64_t)y->site[0].offset * 60000) / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        y->day_w[d] = month_w[tm.tm_mon] * weekday_w[tm.tm_wday];
        y->w_total += y->day_w[d];
    }
}

static int pick_site(struct dy *y)
{
    double u = dy_rng_unit(&y->rng), acc = 0;
    for (int i = 0; i < y->o.sites; i++)
        if (u < (acc += y->site[i].weight))
            return i;
    return y->o.sites - 1;
}

/* Stock cars arriving on the first of a month: enough for about the month's stock orders. */
static int restock(struct dy *y, int64_t at)
{
    struct cli *c = y->cli;
    struct proto_error err;
    c->now = at;
    double month_orders = (double)y->o.orders / 12.0;
    if (store_begin(c->store, &err))
        return cli_fail("demo-year: stock", &err);
    for (int s = 0; s < y->o.sites; s++) {
        for (int m = 0; m < DY_N_MODELS; m++) {
            struct dy_pool *p = &y->site[s].pool[m];
            /* about 55 % of orders take a stock car */
            int want =
                (int)(month_orders * y->site[s].weight * dy_models[m].share / 100.0 * 0.6 + 1.5);
            while (p->n < (size_t)want) {
                if (dy_grow((void **)&p->vin, &p->cap, p->n, sizeof *p->vin) != 0)
                    goto oom;
                struct store_vehicle v = {
                    .site_id = y->site[s].id, .state = STORE_VEHICLE_IN_STOCK, .created_at = at};
                dy_vin(y, s, m, v.vin);
                snprintf(v.model_code, sizeof v.model_code, "%s", dy_models[m].code);
                static const char *const colours[] = {"珍珠白", "曜石黑", "星空灰", "极光蓝",
                                                      "熔岩红"};
                snprintf(v.colour, sizeof v.colour, "%s", colours[dy_rng_below(&y->rng, 5)]);
                if (store_vehicles_add(c->store, &v, NULL, &err)) {
                    store_rollback(c->store);
                    return cli_fail("demo-year: stock", &err);
                }
                /* the same audit record `showfloor vehicle add` leaves */
                if (cmd_audit_kv(c, v.site_id, "vehicle", v.vin, "vehicle_add",
                                 (const char *const[]){"vin", v.vin, "site", y->site[s].code,
                                                       "model", v.model_code, "colour", v.colour,
                                                       "state", "in_stock", NULL})) {
                    store_rollback(c->store);
                    return -1;
                }
                memcpy(p->vin[p->n++], v.vin, sizeof v.vin);
            }
        }
    }
    if (store_commit(c->store, &err))
        return cli_fail("demo-year: stock", &err);
    return 0;
oom:
    store_rollback(c->store);
    fprintf(stderr, "showfloor demo-year: out of memory\n");
    return -1;
}

/* ---- the event budget ----
 * Leads and orders are counted exactly; the events they make are not a choice. What varies
 * is the optional activity: extra follow-ups of leads that are lost, and browsers who walk in
 * and leave. k scales both; each midnight it moves by how far the log is from the target for
 * the days so far. */
static void steer(struct dy *y)
{
    int64_t seq = core_last_seq(y->core);
    double target = (double)y->o.events * y->w_done / y->w_total;
    if (seq <= 0 || target <= 0)
        return;
    double r = target / (double)seq;
    /* a damped step: today's plans show in the log over the next weeks */
    double step = r > 1 ? 1 + (r - 1) * 0.5 : 1 / (1 + (1 / r - 1) * 0.5);
    y->k *= step;
    if (y->k < 0.05) /* never quite off: it must be able to come back */
        y->k = 0.05;
    if (y->k > 12)
        y->k = 12;
}

static int prune_commands(struct dy *y, int64_t now)
{
    struct proto_error err;
    if (store_begin(y->cli->store, &err) ||
        store_commands_prune(y->cli->store, now - DY_COMMANDS_TTL, &err) ||
        store_commit(y->cli->store, &err)) {
        store_rollback(y->cli->store);
        return cli_fail("demo-year: commands", &err);
    }
    return 0;
}

static int64_t share(int64_t left, double w, double w_left)
{
    return w_left <= 0 ? left : (int64_t)((double)left * w / w_left + 0.5);
}

/* Local midnight of day d: the day's arrivals, stock on the 1st, bookkeeping. */
static int new_day(struct dy *y, int d)
{
    int64_t day0 = y->t0 + d * DY_DAY_MS;
    double w = y->day_w[d], w_left = y->w_total - y->w_done;
    char date[STORE_DAY_LEN + 1];
    cli_local_day(day0, y->site[0].offset, date);
    if (strcmp(date + 8, "01") == 0 && restock(y, day0))
        return -1;
    if (prune_commands(y, day0))
        return -1;
    int64_t n = share(y->o.leads - y->leads_done, w, w_left);
    for (int64_t i = 0; i < n; i++) {
        int s = pick_site(y);
        if (dy_flow_new_lead(y, s, dy_at_local(y, s, day0, 8, 0, 13 * 60)))
            return -1;
    }
    /* orders from walk-ins, plus any shortfall of lead orders once no new lead can order */
    int64_t walkin_target = y->walkin_orders_target;
    if (y->w_done >= y->w_cutoff)
        walkin_target += y->lead_orders_target - y->lead_orders_planned;
    n = share(walkin_target - y->walkin_done, w, w_left);
    for (int64_t i = 0; i < n; i++) {
        int s = pick_site(y);
        if (dy_flow_walk_in(y, s, dy_at_local(y, s, day0, 10, 0, 8 * 60), true))
            return -1;
    }
    /* browsers: a tenth as many as the day's leads at k = 1 */
    double mean_w = y->w_total / (double)((y->t_end - y->t0) / DY_DAY_MS);
    double browsers = y->k * 0.1 * (double)y->o.leads / 365.0 * w / mean_w;
    n = (int64_t)browsers + (dy_rng_unit(&y->rng) < browsers - (double)(int64_t)browsers);
    for (int64_t i = 0; i < n; i++) {
        int s = pick_site(y);
        if (dy_flow_walk_in(y, s, dy_at_local(y, s, day0, 9, 30, 9 * 60), false))
            return -1;
    }
    y->w_done += w;
    if (d % 30 == 0 || d == (int)((y->t_end - y->t0) / DY_DAY_MS) - 1)
        fprintf(stderr,
                "demo-year: %s  leads %lld  orders %lld  events %lld  (k %.2f, %lld refused, "
                "%.0f s)\n",
                date, (long long)y->leads_done, (long long)y->n_orders,
                (long long)core_last_seq(y->core), y->k, (long long)y->refused,
                (double)(dy_wall_ms() - y->started_ms) / 1000.0);
    return 0;
}

static int batch(struct dy *y, bool open)
{
    struct proto_error err;
    if (open ? core_batch_begin(y->core, &err) : core_batch_commit(y->core, &err))
        return cli_fail("demo-year: batch", &err);
    y->in_batch = 0;
    return 0;
}

int dy_sim_run(struct dy *y)
{
    plan_weights(y);
    int days = (int)((y->t_end - y->t0) / DY_DAY_MS);
    y->w_cutoff = 0;
    for (int d = 0; d < days - 25; d++)
        y->w_cutoff += y->day_w[d];
    y->k = 1.0;
    int64_t next_tick = y->t0 + DY_TICK_MS, next_day = y->t0;
    int d = 0;
    if (batch(y, true))
        return -1;
    for (;;) {
        int64_t t_act = y->n_heap ? y->heap[0].at : INT64_MAX;
        int64_t t_clock = next_day < next_tick ? next_day : next_tick;
        if (t_clock <= t_act) {
            if (t_clock >= y->t_end)
                break;
            if (batch(y, false))
                return -1;
            if (t_clock == next_day) {
                steer(y);
                if (new_day(y, d++))
                    return -1;
                next_day += DY_DAY_MS;
            } else {
                if (core_tick(y->core, next_tick) < 0) {
                    fprintf(stderr, "showfloor demo-year: the time-limit check failed\n");
                    return -1;
                }
                y->ticks++;
                next_tick += DY_TICK_MS;
            }
            if (batch(y, true))
                return -1;
            continue;
        }
        struct dy_action a = pop(y);
        if (dy_flow_do(y, &a))
            return -1;
        if (y->in_batch >= DY_BATCH_MAX && (batch(y, false) || batch(y, true)))
            return -1;
    }
    return batch(y, false);
}

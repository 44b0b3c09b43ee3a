/* `showfloor demo-year`: a new database holding one simulated year of a site group (by
 * default four sites, 100,000 leads, 30,000 orders and about 1,000,000 events), for reports
 * and benchmarks on a dealership-sized history. The organisation is set up as the CLI's own
 * commands would (sites, staff, models, devices, a year's duty roster); everything after
 * that is made by the hub's core on the simulated clock (demo_year.h). Deterministic for a
 * seed: the same options give the same rows. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_direct.h"
#include "core_secret.h"
#include "demo_year.h"

#define YEAR_PIN "2468" /* every generated staff member's PIN (one Argon2id hash, made once) */

const struct dy_model dy_models[DY_N_MODELS] = {
    {"XH3", "星河 3", "Xinghe 3", 11980000, 22},
    {"XH5", "星河 5", "Xinghe 5", 14980000, 24},
    {"XH7", "星河 7 SUV", "Xinghe 7 SUV", 18980000, 25},
    {"XH9", "星河 9 MPV", "Xinghe 9 MPV", 25980000, 9},
    {"YL6", "远览 6", "Yuanlan 6", 16580000, 15},
    {"CT8", "驰途 8 轻客", "Chitu 8 Van", 13880000, 5},
};

static const struct {
    const char *code, *name, *region;
    double weight;
} site_plan[DY_MAX_SITES] = {
    {"SH01", "星河汽车 上海浦东店", "浦东", 1.3}, {"SH02", "星河汽车 上海徐汇店", "徐汇", 1.1},
    {"SH03", "星河汽车 上海闵行店", "闵行", 0.9}, {"SZ01", "星河汽车 苏州园区店", "园区", 0.8},
    {"HZ01", "星河汽车 杭州滨江店", "滨江", 0.8}, {"NJ01", "星河汽车 南京河西店", "河西", 0.7},
    {"WX01", "星河汽车 无锡新区店", "新区", 0.6}, {"NB01", "星河汽车 宁波鄞州店", "鄞州", 0.6},
};

static const char *const staff_names[] = {
    "周丽", "陈静",   "张伟", "李娜", "王强", "刘洋", "赵敏", "孙浩", "吴芳", "郑磊", "黄婷",
    "马超", "钱建华", "林峰", "何雪", "高远", "罗佳", "梁晨", "谢雨", "宋涛", "唐敏", "许诺",
    "韩梅", "冯军",   "董洁", "萧然", "程昊", "曹颖", "袁博", "邓超", "傅强", "沈悦"};

/* One staff member of the site: added with the shared PIN hash and its audit record. */
static int add_staff(struct dy *y, int s, int n, enum domain_role role, const char *pin_hash,
                     struct core_staff *out)
{
    struct cli *c = y->cli;
    struct proto_error err;
    memset(out, 0, sizeof *out);
    snprintf(out->staff_no, sizeof out->staff_no, "S%d%02d", s + 1, n);
    snprintf(out->name, sizeof out->name, "%s", staff_names[(s * 7 + n) % 32]);
    out->site_id = y->site[s].id;
    out->role = role;
    out->expires_at = INT64_MAX; /* a login the simulation never lets lapse */
    if (store_staff_add(c->store, out->site_id, out->staff_no, out->name, role, pin_hash, &out->id,
                        &err))
        return cli_fail("demo-year: staff", &err);
    if (out->id <= 0 || out->id >= DY_MAX_STAFF_ID) {
        fprintf(stderr, "showfloor demo-year: staff id %lld out of range\n", (long long)out->id);
        return -1;
    }
    y->staff_by_id[out->id] = out;
    return cmd_audit_kv(c, out->site_id, "staff", out->staff_no, "staff_add",
                        (const char *const[]){"staff_no", out->staff_no, "name", out->name, "role",
                                              domain_role_name(role), NULL});
}

static int add_device(struct dy *y, int s, enum domain_mode mode, const char *name,
                      struct core_device *out)
{
    struct cli *c = y->cli;
    struct proto_error err;
    /* a token nobody will ever use: the simulation calls the core directly */
    char token[40], hash[CORE_SECRET_HASH_LEN + 1];
    snprintf(token, sizeof token, "year-%016llx", (unsigned long long)dy_rng_next(&y->rng));
    if (core_secret_token_hash(token, hash, sizeof hash))
        return -1;
    memset(out, 0, sizeof *out);
    out->site_id = y->site[s].id;
    out->mode = mode;
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->site_code, sizeof out->site_code, "%s", site_plan[s].code);
    snprintf(out->site_name, sizeof out->site_name, "%s", site_plan[s].name);
    if (store_devices_add(c->store, out->site_id, name, mode, hash, c->now, &out->id, &err))
        return cli_fail("demo-year: device", &err);
    return cmd_audit_kv(c, out->site_id, "device", name, "device_add",
                        (const char *const[]){"name", name, "mode", domain_mode_name(mode), NULL});
}

/* Region and model expertise of the people leads are assigned to. */
static int set_attrs(struct dy *y, const struct core_staff *st, const char *region, int k)
{
    struct proto_error err;
    char models[32], ability[2] = {(char)('2' + k % 4), 0};
    snprintf(models, sizeof models, "%s,%s", dy_models[k % DY_N_MODELS].code,
             dy_models[(k + 2) % DY_N_MODELS].code);
    if (store_staff_set_attrs(y->cli->store, st->id, region, models, ability[0] - '0', &err))
        return cli_fail("demo-year: staff", &err);
    return cmd_audit_kv(
        y->cli, st->site_id, "staff", st->staff_no, "staff_set",
        (const char *const[]){"region", region, "models", models, "ability", ability, NULL});
}

/* The year's duty roster: each consultant rests one day a week, staggered. */
static int roster(struct dy *y, int s)
{
    struct proto_error err;
    int days = (int)((y->t_end - y->t0) / DY_DAY_MS);
    for (int d = 0; d < days; d++) {
        char day[STORE_DAY_LEN + 1];
        cli_local_day(y->t0 + d * DY_DAY_MS + DY_HOUR_MS, y->site[s].offset, day);
        for (int k = 0; k < DY_N_CONSULTANT; k++) {
            const struct core_staff *st = &y->site[s].consultant[k];
            bool rest = (d + k) % 7 == 0;
            if (store_staff_set_duty(y->cli->store, st->id, day,
                                     rest ? STORE_DUTY_REST : STORE_DUTY_ON, &err))
                return cli_fail("demo-year: duty", &err);
            if (cmd_audit_kv(y->cli, st->site_id, "staff", st->staff_no, "duty_set",
                             (const char *const[]){"day", day, "duty", rest ? "rest" : "on", NULL}))
                return -1;
        }
    }
    return 0;
}

static int setup_site(struct dy *y, int s, const char *pin_hash)
{
    struct cli *c = y->cli;
    struct proto_error err;
    struct dy_site *site = &y->site[s];
    snprintf(site->code, sizeof site->code, "%s", site_plan[s].code);
    site->offset = 480;
    if (store_sites_add(c->store, site->code, site_plan[s].name, site->offset, &site->id, &err))
        return cli_fail("demo-year: site", &err);
    if (cmd_audit_kv(c, site->id, "site", site->code, "site_add",
                     (const char *const[]){"code", site->code, "name", site_plan[s].name, NULL}))
        return -1;
    int n = 1;
    if (add_staff(y, s, n++, DOMAIN_ROLE_RECEPTION, pin_hash, &site->reception))
        return -1;
    for (int k = 0; k < DY_N_TELESALES; k++)
        if (add_staff(y, s, n++, DOMAIN_ROLE_TELESALES, pin_hash, &site->telesales[k]) ||
            set_attrs(y, &site->telesales[k], site_plan[s].region, k))
            return -1;
    for (int k = 0; k < DY_N_CONSULTANT; k++)
        if (add_staff(y, s, n++, DOMAIN_ROLE_CONSULTANT, pin_hash, &site->consultant[k]) ||
            set_attrs(y, &site->consultant[k], site_plan[s].region, k))
            return -1;
    if (add_staff(y, s, n++, DOMAIN_ROLE_SUPERVISOR, pin_hash, &site->supervisor) ||
        add_staff(y, s, n++, DOMAIN_ROLE_MANAGER, pin_hash, &site->manager) ||
        add_staff(y, s, n++, DOMAIN_ROLE_FINANCE, pin_hash, &site->finance) ||
        add_staff(y, s, n++, DOMAIN_ROLE_SERVICE, pin_hash, &site->service) ||
        add_staff(y, s, n++, DOMAIN_ROLE_MARKETING, pin_hash, &site->marketing))
        return -1;
    /* level-3 complaints go to the site's manager */
    char entity[PROTO_MAX_SHORT + 1];
    snprintf(entity, sizeof entity, "%s/general_manager_staff_no", site->code);
    if (store_settings_text_set(c->store, site->id, "general_manager_staff_no",
                                site->manager.staff_no, &err))
        return cli_fail("demo-year: settings", &err);
    if (cmd_audit_kv(c, site->id, "setting", entity, "site_set",
                     (const char *const[]){"value", site->manager.staff_no, NULL}) ||
        add_device(y, s, DOMAIN_MODE_RECEPTION, "Reception 1", &site->reception_dev) ||
        add_device(y, s, DOMAIN_MODE_API, "Back office", &site->api_dev) ||
        add_device(y, s, DOMAIN_MODE_DELIVERY, "Delivery bay", &site->delivery_dev))
        return -1;
    double total = 0;
    for (int i = 0; i < y->o.sites; i++)
        total += site_plan[i].weight;
    site->weight = site_plan[s].weight / total;
    return roster(y, s);
}

static int setup(struct dy *y)
{
    struct cli *c = y->cli;
    struct proto_error err;
    char pin_hash[CORE_SECRET_PIN_HASH_SIZE];
    if (core_secret_pin_hash(YEAR_PIN, pin_hash)) {
        fprintf(stderr, "showfloor demo-year: hashing the PIN failed\n");
        return -1;
    }
    c->now = y->t0 - 30 * DY_DAY_MS; /* the organisation exists a month before the year */
    if (store_begin(c->store, &err))
        return cli_fail("demo-year", &err);
    for (int m = 0; m < DY_N_MODELS; m++) {
        int64_t id;
        char price[24];
        snprintf(price, sizeof price, "%lld", (long long)dy_models[m].price_fen);
        if (store_models_add(c->store, dy_models[m].code, dy_models[m].name, dy_models[m].name_en,
                             dy_models[m].price_fen, &id, &err)) {
            store_rollback(c->store);
            return cli_fail("demo-year: model", &err);
        }
        if (cmd_audit_kv(c, 0, "model", dy_models[m].code, "model_add",
                         (const char *const[]){"code", dy_models[m].code, "name", dy_models[m].name,
                                               "price_fen", price, NULL})) {
            store_rollback(c->store);
            return -1;
        }
    }
    for (int s = 0; s < y->o.sites; s++)
        if (setup_site(y, s, pin_hash)) {
            store_rollback(c->store);
            return -1;
        }
    return store_commit(c->store, &err) ? cli_fail("demo-year", &err) : 0;
}

/* Local midnight of 1 January of `year` at the offset, in UTC ms (days_from_civil). */
static int64_t year_start(int year, int offset_min)
{
    int64_t y = year - 1; /* January counts in the previous March-based year */
    int64_t era = y / 400, yoe = y - era * 400;
    int64_t doy = (153 * 10 + 2) / 5; /* 1 January is day 306 of the March-based year */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * DY_DAY_MS - (int64_t)offset_min * 60000;
}

static int parse(struct cli *c, int argc, char **argv, struct dy_opts *o)
{
    const char *db = NULL, *seed = NULL, *sites = NULL, *leads = NULL, *orders = NULL,
               *events = NULL, *year = NULL;
    struct cli_opt opts[] = {{"db", 0, 0, &db},         {"seed", 0, 0, &seed},
                             {"sites", 0, 0, &sites},   {"leads", 0, 0, &leads},
                             {"orders", 0, 0, &orders}, {"events", 0, 0, &events},
                             {"year", 0, 0, &year},     {0}};
    if (cli_parse("demo-year", argc, argv, opts) != 0)
        return -1;
    int64_t v;
    *o = (struct dy_opts){.db = db ? db : c->db_path,
                          .seed = 2026,
                          .sites = 4,
                          .leads = 100000,
                          .orders = 30000,
                          .events = 1000000,
                          .year = 2026};
    if (seed && cli_int("demo-year", "seed", seed, 0, INT64_MAX, &v) == 0)
        o->seed = (uint64_t)v, seed = NULL;
    if (sites && cli_int("demo-year", "sites", sites, 1, DY_MAX_SITES, &v) == 0)
        o->sites = (int)v, sites = NULL;
    if (leads && cli_int("demo-year", "leads", leads, 1, 2000000, &o->leads) == 0)
        leads = NULL;
    if (orders && cli_int("demo-year", "orders", orders, 0, 1000000, &o->orders) == 0)
        orders = NULL;
    if (events && cli_int("demo-year", "events", events, 0, 50000000, &o->events) == 0)
        events = NULL;
    if (year && cli_int("demo-year", "year", year, 2000, 2099, &v) == 0)
        o->year = (int)v, year = NULL;
    if (seed || sites || leads || orders || events || year)
        return -1; /* cli_int said which */
    if (o->orders > o->leads) {
        fprintf(stderr, "showfloor demo-year: --orders (%lld) cannot exceed --leads (%lld)\n",
                (long long)o->orders, (long long)o->leads);
        return -1;
    }
    return 0;
}

int cmd_demo_year(struct cli *c, int argc, char **argv)
{
    static struct dy y; /* large (the agenda's bookkeeping); one per process */
    memset(&y, 0, sizeof y);
    if (parse(c, argc, argv, &y.o))
        return CLI_USAGE;
    /* a new file only: O_EXCL refuses an existing one, even if it appeared just now */
    int fd = open(y.o.db, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fprintf(stderr, "showfloor demo-year: %s: %s; demo-year writes a new database only\n",
                y.o.db, errno == EEXIST ? "the file already exists" : strerror(errno));
        return CLI_FAIL;
    }
    close(fd);
    struct cli own = {.db_path = y.o.db};
    struct proto_error err;
    struct core_options co = {.db_path = y.o.db};
    int rc = CLI_FAIL;
    y.cli = &own;
    y.rng.s = y.o.seed;
    y.started_ms = dy_wall_ms();
    y.t0 = year_start(y.o.year, 480);
    y.t_end = year_start(y.o.year + 1, 480);
    y.walkin_orders_target = y.o.orders * 15 / 100;
    y.lead_orders_target = y.o.orders - y.walkin_orders_target;
    if (!(y.leads = calloc((size_t)y.o.leads, sizeof *y.leads))) {
        fprintf(stderr, "showfloor demo-year: out of memory\n");
        goto out;
    }
    if (store_open(&own.store, y.o.db, &err)) {
        fprintf(stderr, "showfloor demo-year: %s: %s\n", y.o.db, err.message);
        goto out;
    }
    if (setup(&y))
        goto out;
    if (core_open(&y.core, &co, &err)) {
        fprintf(stderr, "showfloor demo-year: %s: %s\n", y.o.db, err.message);
        goto out;
    }
    fprintf(stderr, "demo-year: %s: %d sites, %lld leads, %lld orders, about %lld events in %d\n",
            y.o.db, y.o.sites, (long long)y.o.leads, (long long)y.o.orders, (long long)y.o.events,
            y.o.year);
    if (dy_sim_run(&y))
        goto out;
    printf("demo-year %s: %d sites, %zu leads, %zu orders, %zu visits, %zu complaints, %lld "
           "events, %lld commands (%lld refused), %lld ticks, %.1f s; staff PIN %s\n",
           y.o.db, y.o.sites, y.n_leads, y.n_orders, y.n_visits, y.n_complaints,
           (long long)core_last_seq(y.core), (long long)y.commands, (long long)y.refused,
           (long long)y.ticks, (double)(dy_wall_ms() - y.started_ms) / 1000.0, YEAR_PIN);
    rc = CLI_OK;
out:
    if (rc != CLI_OK)
        fprintf(stderr, "showfloor demo-year: stopped; %s is incomplete, delete it\n", y.o.db);
    core_close(y.core);
    store_close(own.store);
    for (int s = 0; s < DY_MAX_SITES; s++)
        for (int m = 0; m < DY_N_MODELS; m++)
            free(y.site[s].pool[m].vin);
    free(y.leads);
    free(y.visits);
    free(y.orders);
    free(y.complaints);
    free(y.heap);
    return rc;
}

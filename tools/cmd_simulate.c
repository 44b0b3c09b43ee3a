/* `showfloor simulate`: plays a dealership day against a running hub through its HTTP API:
 * options, the simulator's devices (token files, or two devices enrolled for the run and
 * revoked after it), the demo dealership's staff logins, the clock that compresses the day
 * (--speed), the main loop over the agenda, and the summary. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api_client.h"
#include "cli.h"
#include "cmd_direct.h"
#include "core_secret.h"
#include "simulate.h"

#define SIM_DEFAULT_SPEED     60.0
#define SIM_DEFAULT_HOURS     10.0
#define SIM_DEFAULT_START     (9 * 60)
#define SIM_DEFAULT_ARRIVALS  6
#define SIM_DEFAULT_RETRY_S   30
#define SIM_DEVICE_NAME_TRIES 100

/* The demo dealership's people (`showfloor demo-data`) the simulator plays, by their part. */
static const struct {
    int ix;
    const char *no, *pin, *role;
} sim_cast[] = {
    {SIM_TELESALES, "S002", "1002", "telesales"},
    {SIM_CONSULTANT0, "S003", "1003", "consultant"},
    {SIM_CONSULTANT0 + 1, "S004", "1004", "consultant"},
    {SIM_CONSULTANT0 + 2, "S005", "1005", "consultant"},
    {SIM_CONSULTANT0 + 3, "S006", "1006", "consultant"},
    {SIM_SUPERVISOR, "S007", "1007", "supervisor"},
    {SIM_MANAGER, "S008", "1008", "manager"},
    {SIM_FINANCE, "S009", "1009", "finance"},
    {SIM_SERVICE, "S010", "1010", "service"},
};
#define SIM_N_CAST (sizeof sim_cast / sizeof sim_cast[0])

/* The one process-wide variable: a signal handler can only reach the program through a
 * static volatile sig_atomic_t. Everything else lives in struct sim. */
static volatile sig_atomic_t sim_stop_flag;

static void sim_on_signal(int sig)
{
    (void)sig;
    sim_stop_flag = 1;
}

static int64_t sim_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- helpers for the other simulate_*.c ---- */

void sim_clock(const struct sim *s, int64_t at, char out[8])
{
    int64_t min = (s->o.start_min + at / SIM_MIN_MS) % (24 * 60);
    snprintf(out, 8, "%02d:%02d", (int)(min / 60), (int)(min % 60));
}

int64_t sim_hub_time(const struct sim *s, int64_t at)
{
    return s->hub0 + (int64_t)((double)at / s->o.speed);
}

void sim_mask_phone(const char *phone, char out[PROTO_MAX_PHONE + 1])
{
    size_t n = strlen(phone);
    if (n < 8) {
        snprintf(out, PROTO_MAX_PHONE + 1, "****");
        return;
    }
    snprintf(out, PROTO_MAX_PHONE + 1, "%.*s****%s", (int)(n - 8), phone, phone + n - 4);
}

int sim_staff_by_id(const struct sim *s, int64_t id)
{
    for (int i = 0; i < SIM_N_STAFF; i++)
        if (id > 0 && s->staff[i].staff_id == id)
            return i;
    return -1;
}

enum sim_rc sim_do(struct sim *s, struct sim_actor *a, const char *type, cJSON *args,
                   struct sim_reply *r, const char *fmt, ...)
{
    char id[PROTO_MAX_ID + 1], line[320], hhmm[8];
    snprintf(id, sizeof id, "%s-%llu", s->tag, (unsigned long long)s->next_id++);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sim_clock(s, s->now, hhmm);
    enum sim_rc rc = sim_http_request(s->http, a, type, id, args, r);
    s->n.actions++;
    if (rc == SIM_OK) {
        s->n.ok++;
        printf("%s  %s\n", hhmm, line);
    } else if (rc == SIM_REFUSED) {
        s->n.refused++;
        printf("%s  %s  -- refused: %s: %s\n", hhmm, line, r->code, r->message);
    } else {
        printf("%s  %s  -- not sent: %s\n", hhmm, line, r->message);
        s->fatal = rc;
    }
    fflush(stdout);
    return rc;
}

/* ---- devices ---- */

static int sim_read_token(const char *path, char *out, size_t outsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "showfloor simulate: cannot read the token file '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    char buf[PROTO_MAX_TOKEN + 64];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *t = buf;
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
        t++;
    size_t len = strcspn(t, " \t\r\n");
    int rc = 0;
    if (!len || len > PROTO_MAX_TOKEN || len >= outsz) {
        fprintf(stderr, "showfloor simulate: the token file '%s' does not hold a device token\n",
                path);
        rc = -1;
    } else {
        memcpy(out, t, len);
        out[len] = '\0';
    }
    sodium_memzero(buf, sizeof buf);
    return rc;
}

struct sim_device {
    int64_t id; /* 0: not enrolled by this run */
    int64_t site_id;
    char name[PROTO_MAX_NAME + 1];
    char token[CORE_SECRET_TOKEN_LEN + 1];
};

/* Enrols a device named `base` (or "base 2", ... when taken) like `device add`, with its
 * audit record; the token stays in memory. Prints its own error; 0 or -1. */
static int sim_enrol(struct cli *c, const struct store_site *site, const char *mode_name,
                     const char *base, struct sim_device *d)
{
    struct proto_error err;
    struct store_device old;
    int k = 1;
    for (; k <= SIM_DEVICE_NAME_TRIES; k++) {
        if (k == 1)
            snprintf(d->name, sizeof d->name, "%s", base);
        else
            snprintf(d->name, sizeof d->name, "%s %d", base, k);
        if (store_devices_find_by_name(c->store, site->id, d->name, &old, &err) != 0) {
            if (err.code != PROTO_E_NOT_FOUND) {
                cli_fail("simulate: device", &err);
                return -1;
            }
            break;
        }
    }
    if (k > SIM_DEVICE_NAME_TRIES) {
        fprintf(stderr, "showfloor simulate: site %s has %d devices named '%s ...' already\n",
                site->code, SIM_DEVICE_NAME_TRIES, base);
        return -1;
    }
    char hash[CORE_SECRET_HASH_LEN + 1];
    if (core_secret_token_new(d->token, sizeof d->token, hash, sizeof hash) != 0) {
        fprintf(stderr, "showfloor simulate: could not make a token\n");
        return -1;
    }
    int mode = domain_mode_from_name(mode_name);
    if (store_begin(c->store, &err) != 0 ||
        store_devices_add(c->store, site->id, d->name, (enum domain_mode)mode, hash, c->now, &d->id,
                          &err) != 0) {
        store_rollback(c->store);
        cli_fail("simulate: device add", &err);
        return -1;
    }
    if (cmd_audit_kv(c, site->id, "device", d->name, "device_add",
                     (const char *const[]){"name", d->name, "mode", mode_name, NULL}) != 0) {
        store_rollback(c->store);
        return -1;
    }
    if (store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        cli_fail("simulate: device add", &err);
        return -1;
    }
    d->site_id = site->id;
    return 0;
}

/* Revokes a device this run enrolled: its token was never written anywhere. */
static void sim_retire(struct cli *c, struct sim_device *d, int64_t now)
{
    if (!d->id)
        return;
    struct proto_error err;
    c->now = now;
    if (store_begin(c->store, &err) != 0 || store_devices_revoke(c->store, d->id, now, &err) != 0 ||
        cmd_audit_kv(c, d->site_id, "device", d->name, "device_revoke",
                     (const char *const[]){"name", d->name, NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        fprintf(stderr,
                "showfloor simulate: could not revoke the device '%s'; revoke it with "
                "`showfloor device revoke --id %lld`\n",
                d->name, (long long)d->id);
    }
    sodium_memzero(d->token, sizeof d->token);
}

/* ---- options ---- */

static int sim_double(const char *opt, const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= lo && v <= hi)) { /* NaN fails too */
        fprintf(stderr, "showfloor simulate: --%s must be a number from %g to %g, not '%s'\n", opt,
                lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int sim_hhmm(const char *text, int *out)
{
    int h, m;
    char tail;
    if (sscanf(text, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
        fprintf(stderr, "showfloor simulate: --start must be HH:MM (00:00..23:59), not '%s'\n",
                text);
        return -1;
    }
    *out = h * 60 + m;
    return 0;
}

struct sim_args {
    const char *hub, *site, *speed, *seed, *duration, *start, *arrivals, *rec_file, *api_file,
        *retry;
};

static int sim_options(int argc, char **argv, struct sim_args *a, struct sim_opts *o)
{
    struct cli_opt opts[] = {{"hub", 0, 0, &a->hub},
                             {"site", 0, 0, &a->site},
                             {"speed", 0, 0, &a->speed},
                             {"seed", 0, 0, &a->seed},
                             {"duration", 0, 0, &a->duration},
                             {"start", 0, 0, &a->start},
                             {"arrivals", 0, 0, &a->arrivals},
                             {"reception-token-file", 0, 0, &a->rec_file},
                             {"api-token-file", 0, 0, &a->api_file},
                             {"retry-for", 0, 0, &a->retry},
                             {0}};
    if (cli_parse("simulate", argc, argv, opts) != 0)
        return -1;
    o->speed = SIM_DEFAULT_SPEED;
    o->duration_h = SIM_DEFAULT_HOURS;
    o->start_min = SIM_DEFAULT_START;
    o->arrivals_per_h = SIM_DEFAULT_ARRIVALS;
    o->retry_ms = SIM_DEFAULT_RETRY_S * 1000LL;
    int64_t v;
    if ((a->speed && sim_double("speed", a->speed, 0.01, 1e6, &o->speed) != 0) ||
        (a->duration && sim_double("duration", a->duration, 0.1, 24, &o->duration_h) != 0) ||
        (a->start && sim_hhmm(a->start, &o->start_min) != 0))
        return -1;
    if (a->arrivals) {
        if (cli_int("simulate", "arrivals", a->arrivals, 1, 120, &v) != 0)
            return -1;
        o->arrivals_per_h = (double)v;
    }
    if (a->retry) {
        if (cli_int("simulate", "retry-for", a->retry, 1, 3600, &v) != 0)
            return -1;
        o->retry_ms = v * 1000;
    }
    if (a->seed) {
        if (cli_int("simulate", "seed", a->seed, 0, INT64_MAX, &v) != 0)
            return -1;
        o->seed = (uint64_t)v;
    } else {
        o->seed = (uint64_t)time(NULL) % 1000000; /* printed, so a good day can be replayed */
    }
    if (!a->rec_file != !a->api_file) {
        fprintf(stderr, "showfloor simulate: give both --reception-token-file and "
                        "--api-token-file, or neither (the simulator then enrols its own)\n");
        return -1;
    }
    if (!a->hub)
        a->hub = getenv("SHOWFLOOR_HUB_URL");
    if (!a->hub || !*a->hub)
        a->hub = API_CLIENT_DEFAULT_HUB;
    if (!a->site)
        a->site = "SH01";
    return 0;
}

/* ---- the day ---- */

static int sim_logins(struct sim *s)
{
    for (size_t i = 0; i < SIM_N_CAST; i++) {
        struct sim_actor *a = &s->staff[sim_cast[i].ix];
        struct sim_reply r;
        enum sim_rc rc = sim_http_login(s->http, a, &r);
        if (rc == SIM_OK)
            continue;
        if (rc == SIM_REFUSED)
            fprintf(stderr,
                    "showfloor simulate: %s (%s) cannot log in: %s: %s. The simulator plays the "
                    "demo dealership's staff (showfloor demo-data): S002 telesales, S003-S006 "
                    "consultants, S007 supervisor, S008 manager, S009 finance, S010 service, "
                    "PIN 1 followed by the number's digits.\n",
                    sim_cast[i].no, sim_cast[i].role, r.code, r.message);
        else
            fprintf(stderr, "showfloor simulate: logging %s in: %s\n", sim_cast[i].no, r.message);
        s->fatal = rc == SIM_REFUSED ? SIM_FAILED : rc;
        return -1;
    }
    return 0;
}

/* Waits until simulated ms `at` is due on the compressed clock. false when stopped. */
static bool sim_wait(const struct sim *s, int64_t at)
{
    int64_t due = s->mono0 + (int64_t)((double)at / s->o.speed);
    while (!sim_stop_flag) {
        int64_t left = due - sim_mono_ms();
        if (left <= 0)
            return true;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(left > 200 ? 200 : left) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

static void sim_summary(const struct sim *s, int64_t end, int64_t real_ms)
{
    const struct sim_counts *n = &s->n;
    char hhmm[8];
    sim_clock(s, end, hhmm);
    printf("\nsummary: %s (simulated) after %.1f h simulated in %.1f s\n", hhmm,
           (double)end / SIM_HOUR_MS, (double)real_ms / 1000.0);
    printf("  actions: %d (ok %d, refused %d)\n", n->actions, n->ok, n->refused);
    printf("  floor: %d check-ins (%d new, %d returning, %d invited), %d appointments, %d served, "
           "%d departed\n",
           n->checkins, n->new_customers, n->returning, n->invited, n->appointments, n->served,
           n->departed);
    printf("  orders: %d new; reviews %d passed, %d returned, %d resubmitted; approvals %d, "
           "rejected %d; %d changes approved\n",
           n->orders_created, n->reviews_passed, n->reviews_returned, n->resubmits, n->approvals,
           n->rejections, n->changes_reviewed);
    printf("  fulfilment: %d allocated, %d loan steps, %d cars arrived, %d preparation steps, "
           "%d payments, %d invoices, %d ready, %d delivered, %d closed\n",
           n->allocations, n->loan_steps, n->arrivals, n->prep_steps, n->payments, n->invoices,
           n->ready, n->deliveries, n->closed);
    printf("  leads: %d; conflicts: %d opened, %d ruled; complaints: %d opened, %d steps\n",
           n->leads, n->conflicts, n->rulings, n->complaints, n->complaint_steps);
    fflush(stdout);
}

static int sim_run(struct sim *s)
{
    int64_t start = sim_mono_ms();
    s->mono0 = start;
    char hhmm[8];
    sim_clock(s, 0, hhmm);
    printf("simulating a day from %s for %.1f h at %gx (seed %llu) against %s; Ctrl-C stops\n",
           hhmm, s->o.duration_h, s->o.speed, (unsigned long long)s->o.seed, sim_http_url(s->http));
    fflush(stdout);
    struct sim_action a;
    int64_t end = 0;
    while (!s->fatal && sim_next(s, &a)) {
        if (a.at > s->dur) /* the rest belongs to tomorrow */
            break;
        if (!sim_wait(s, a.at))
            break;
        s->now = end = a.at;
        if (sim_floor_run(s, &a) != 0 && !s->fatal)
            s->fatal = SIM_FAILED;
    }
    if (!s->fatal && !sim_stop_flag)
        end = s->dur;
    if (sim_stop_flag)
        printf("stopped by a signal\n");
    sim_summary(s, end, sim_mono_ms() - start);
    if (s->fatal == SIM_UNREACHABLE) {
        fprintf(stderr,
                "showfloor simulate: the hub at %s stopped answering: is showfloor-hub "
                "running?\n",
                sim_http_url(s->http));
        return SIM_EXIT_UNREACHABLE;
    }
    return s->fatal && s->fatal != SIM_STOPPED ? CLI_FAIL : CLI_OK;
}

static void sim_free(struct sim *s)
{
    for (size_t i = 0; i < s->n_orders; i++)
        cJSON_Delete(s->orders[i].state);
    free(s->orders);
    free(s->visits);
    free(s->people);
    free(s->heap);
    sim_http_free(s->http);
    sodium_memzero(s->staff, sizeof s->staff);
}

static void sim_usage(void)
{
    fprintf(stderr,
            "usage: showfloor [--db PATH] simulate [--hub URL] [--speed N] [--duration HOURS]\n"
            "         [--seed N] [--start HH:MM] [--arrivals N] [--site CODE] [--retry-for S]\n"
            "         [--reception-token-file F --api-token-file F]\n");
}

int cmd_simulate(struct cli *c, int argc, char **argv)
{
    int64_t mono_start = sim_mono_ms();
    struct sim_args args = {0};
    struct sim *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "showfloor simulate: out of memory\n");
        return CLI_FAIL;
    }
    struct sim_device dev[2] = {{0}};
    char rec_token[PROTO_MAX_TOKEN + 1], api_token[PROTO_MAX_TOKEN + 1];
    int rc = CLI_USAGE;
    if (sim_options(argc, argv, &args, &s->o) != 0) {
        sim_usage();
        goto out;
    }
    rc = CLI_FAIL;
    char err[320];
    s->stop = &sim_stop_flag;
    if (!(s->http = sim_http_new(args.hub, s->o.retry_ms, s->stop, err, sizeof err))) {
        fprintf(stderr, "showfloor simulate: %s\n", err);
        rc = CLI_USAGE;
        goto out;
    }
    if (sim_http_health(s->http, err, sizeof err) != SIM_OK) {
        fprintf(stderr,
                "showfloor simulate: cannot reach the hub at %s (%s): is showfloor-hub "
                "running?\n",
                sim_http_url(s->http), err);
        rc = SIM_EXIT_UNREACHABLE;
        goto out;
    }
    if (args.rec_file) {
        if (sim_read_token(args.rec_file, rec_token, sizeof rec_token) != 0 ||
            sim_read_token(args.api_file, api_token, sizeof api_token) != 0)
            goto out;
    } else {
        struct proto_error perr;
        struct store_site site;
        if (access(c->db_path, F_OK) != 0) {
            fprintf(stderr,
                    "showfloor simulate: no database at '%s': give the hub's with --db, or "
                    "--reception-token-file and --api-token-file\n",
                    c->db_path);
            goto out;
        }
        if (store_open(&c->store, c->db_path, &perr) != 0) {
            fprintf(stderr, "showfloor simulate: cannot open database '%s': %s\n", c->db_path,
                    perr.message);
            goto out;
        }
        if (cli_site(c, args.site, &site) != 0 ||
            sim_enrol(c, &site, "reception", "Simulator reception", &dev[0]) != 0 ||
            sim_enrol(c, &site, "api", "Simulator API", &dev[1]) != 0)
            goto out;
        snprintf(rec_token, sizeof rec_token, "%s", dev[0].token);
        snprintf(api_token, sizeof api_token, "%s", dev[1].token);
        fprintf(stderr, "enrolled devices '%s' and '%s' at %s for this run (revoked at the end)\n",
                dev[0].name, dev[1].name, site.code);
    }
    s->reception.token = rec_token;
    for (size_t i = 0; i < SIM_N_CAST; i++) {
        struct sim_actor *a = &s->staff[sim_cast[i].ix];
        a->token = api_token;
        a->staff_no = sim_cast[i].no;
        a->pin = sim_cast[i].pin;
        a->role = sim_cast[i].role;
    }
    struct sigaction sa = {0};
    sa.sa_handler = sim_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sim_rng_seed(&s->rng, s->o.seed);
    s->dur = (int64_t)(s->o.duration_h * (double)SIM_HOUR_MS);
    /* the hub's clock now (the CLI's honours SHOWFLOOR_CLOCK_OFFSET_MS as the hub's does) */
    s->hub0 = c->now + (sim_mono_ms() - mono_start);
    snprintf(s->tag, sizeof s->tag, "sim-%llx", (unsigned long long)s->hub0);
    if (sim_logins(s) != 0 || sim_plan_discover(s) != 0 || sim_plan_day(s) != 0) {
        rc = s->fatal == SIM_UNREACHABLE ? SIM_EXIT_UNREACHABLE : CLI_FAIL;
        if (s->fatal == SIM_UNREACHABLE)
            fprintf(stderr, "showfloor simulate: the hub at %s stopped answering\n",
                    sim_http_url(s->http));
        goto out;
    }
    s->hub0 = c->now + (sim_mono_ms() - mono_start);
    rc = sim_run(s);
out:
    if (c->store) {
        int64_t now = c->now + (sim_mono_ms() - mono_start);
        sim_retire(c, &dev[0], now);
        sim_retire(c, &dev[1], now);
        store_close(c->store);
        c->store = NULL;
    }
    sodium_memzero(rec_token, sizeof rec_token);
    sodium_memzero(api_token, sizeof api_token);
    sim_free(s);
    free(s);
    return rc;
}

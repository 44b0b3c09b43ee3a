/* Setting up the organisation: database, sites, staff with PINs, the duty roster, models. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_direct.h"
#include "core_secret.h"
#include "domain.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
    if (argc != 0) {
        fprintf(stderr, "showfloor init: takes no arguments\n");
        return CLI_USAGE;
    }
    /* main() opened the store, which created the file and applied every migration. */
    fprintf(stderr, "database %s ready (schema %d, hub id %s)\n", c->db_path,
            store_schema_version(), store_hub_id(c->store));
    return CLI_OK;
}

static int print_site(void *ctx, const struct store_site *s)
{
    (void)ctx;
    printf("%-8s %-24s UTC%+d:%02d\n", s->code, s->name, s->utc_offset_min / 60,
           (s->utc_offset_min < 0 ? -s->utc_offset_min : s->utc_offset_min) % 60);
    return 0;
}

int cmd_site(struct cli *c, int argc, char **argv)
{
    struct proto_error err;
    if (argc >= 1 && strcmp(argv[0], "list") == 0) {
        struct cli_opt none[] = {{0}};
        if (cli_parse("site list", argc - 1, argv + 1, none) != 0)
            return CLI_USAGE;
        return store_sites_list(c->store, print_site, NULL, &err) ? cli_fail("site list", &err)
                                                                  : CLI_OK;
    }
    if (argc < 1 || strcmp(argv[0], "add") != 0) {
        fprintf(stderr, "usage: showfloor site add --code C --name N [--utc-offset MIN] | "
                        "site list\n");
        return CLI_USAGE;
    }
    const char *code, *name, *offset;
    struct cli_opt opts[] = {
        {"code", 1, 0, &code}, {"name", 1, 0, &name}, {"utc-offset", 0, 0, &offset}, {0}};
    if (cli_parse("site add", argc - 1, argv + 1, opts) != 0)
        return CLI_USAGE;
    int64_t off = 480; /* China Standard Time, where Showfloor's dealers are */
    if (offset && cli_int("site add", "utc-offset", offset, -720, 840, &off) != 0)
        return CLI_USAGE;
    if (strlen(code) == 0 || strlen(code) > PROTO_MAX_SHORT || strlen(name) == 0 ||
        strlen(name) > PROTO_MAX_NAME || !proto_utf8_valid(name, strlen(name))) {
        fprintf(stderr,
                "showfloor site add: --code must be 1..%d bytes and --name 1..%d bytes "
                "of UTF-8\n",
                PROTO_MAX_SHORT, PROTO_MAX_NAME);
        return CLI_USAGE;
    }
    int64_t id;
    if (store_begin(c->store, &err) != 0 ||
        store_sites_add(c->store, code, name, (int)off, &id, &err) != 0 ||
        cmd_audit_kv(c, id, "site", code, "site_add",
                     (const char *const[]){"code", code, "name", name, NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("site add", &err);
    }
    fprintf(stderr, "site %s (%s) added, id %lld\n", code, name, (long long)id);
    return CLI_OK;
}

static int pin_ok(const char *pin)
{
    size_t n = strlen(pin);
    if (n < 4 || n > PROTO_MAX_PIN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return 1;
}

static int print_staff(void *ctx, const struct store_staff *s)
{
    (void)ctx;
    printf("%-6s %-10s %-11s %s\n", s->staff_no, s->name, domain_role_name(s->role),
           s->active ? "active" : "inactive");
    return 0;
}

/* `staff set --no S [--region R] [--models A,B] [--ability N]`: what lead assignment weighs. */
static int staff_set(struct cli *c, int argc, char **argv)
{
    const char *no, *region = NULL, *models = NULL, *ability_text = NULL;
    struct cli_opt opts[] = {{"no", 1, 0, &no},
                             {"region", 0, 0, &region},
                             {"models", 0, 0, &models},
                             {"ability", 0, 0, &ability_text},
                             {0}};
    if (cli_parse("staff set", argc, argv, opts) != 0)
        return CLI_USAGE;
    int64_t ability = 0;
    if (ability_text && cli_int("staff set", "ability", ability_text, 1, 5, &ability) != 0)
        return CLI_USAGE;
    if (!region && !models && !ability_text) {
        fprintf(stderr, "showfloor staff set: give --region, --models and/or --ability\n");
        return CLI_USAGE;
    }
    if (region && !proto_utf8_valid(region, strlen(region))) {
        fprintf(stderr, "showfloor staff set: --region is not UTF-8\n");
        return CLI_USAGE;
    }
    struct proto_error err;
    struct store_staff st;
    if (store_staff_find(c->store, no, &st, &err) != 0)
        return cli_fail("staff set", &err);
    char ab[4];
    if (store_begin(c->store, &err) != 0 ||
        store_staff_set_attrs(c->store, st.id, region, models, (int)ability, &err) != 0 ||
        store_staff_get(c->store, st.id, &st, &err) != 0 ||
        snprintf(ab, sizeof ab, "%d", st.ability) < 0 ||
        cmd_audit_kv(c, st.site_id, "staff", no, "staff_set",
                     (const char *const[]){"region", st.region, "models", st.models, "ability", ab,
                                           NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("staff set", &err);
    }
    fprintf(stderr, "staff %s: region \"%s\", models \"%s\", ability %d\n", no, st.region,
            st.models, st.ability);
    return CLI_OK;
}

int cmd_staff(struct cli *c, int argc, char **argv)
{
    struct proto_error err;
    const char *site_code = NULL;
    if (argc >= 1 && strcmp(argv[0], "set") == 0)
        return staff_set(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "list") == 0) {
        struct cli_opt opts[] = {{"site", 0, 0, &site_code}, {0}};
        if (cli_parse("staff list", argc - 1, argv + 1, opts) != 0)
            return CLI_USAGE;
        struct store_site site = {0};
        if (site_code && cli_site(c, site_code, &site) != 0)
            return CLI_FAIL;
        return store_staff_list(c->store, site.id, print_staff, NULL, &err)
                   ? cli_fail("staff list", &err)
                   : CLI_OK;
    }
    if (argc < 1 || strcmp(argv[0], "add") != 0) {
        fprintf(stderr, "usage: showfloor staff add --site C --no S --name N --role R --pin P | "
                        "staff list [--site C]\n"
                        "       showfloor staff set --no S [--region R] [--models A,B] "
                        "[--ability 1..5]\n");
        return CLI_USAGE;
    }
    const char *no, *name, *role_name, *pin;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code}, {"no", 1, 0, &no},   {"name", 1, 0, &name},
                             {"role", 1, 0, &role_name}, {"pin", 1, 0, &pin}, {0}};
    if (cli_parse("staff add", argc - 1, argv + 1, opts) != 0)
        return CLI_USAGE;
    int role = domain_role_from_name(role_name);
    if (role < 0) {
        fprintf(stderr, "showfloor staff add: unknown role '%s' (see --help)\n", role_name);
        return CLI_USAGE;
    }
    if (!pin_ok(pin)) {
        fprintf(stderr, "showfloor staff add: --pin must be 4 to %d digits\n", PROTO_MAX_PIN);
        return CLI_USAGE;
    }
    if (strlen(no) == 0 || strlen(no) > PROTO_MAX_SHORT || strlen(name) == 0 ||
        strlen(name) > PROTO_MAX_NAME || !proto_utf8_valid(name, strlen(name))) {
        fprintf(stderr, "showfloor staff add: --no must be 1..%d bytes, --name 1..%d bytes\n",
                PROTO_MAX_SHORT, PROTO_MAX_NAME);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    char hash[CORE_SECRET_PIN_HASH_SIZE];
    if (core_secret_pin_hash(pin, hash) != 0) {
        fprintf(stderr, "showfloor staff add: hashing the PIN failed (out of memory)\n");
        return CLI_FAIL;
    }
    int64_t id;
    if (store_begin(c->store, &err) != 0 ||
        store_staff_add(c->store, site.id, no, name, (enum domain_role)role, hash, &id, &err) !=
            0 ||
        cmd_audit_kv(
            c, site.id, "staff", no, "staff_add",
            (const char *const[]){"staff_no", no, "name", name, "role", role_name, NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("staff add", &err);
    }
    fprintf(stderr, "staff %s %s (%s) added at %s\n", no, name, role_name, site.code);
    return CLI_OK;
}

static int day_ok(const char *d)
{
    int y, m, dd;
    char tail;
    return strlen(d) == STORE_DAY_LEN && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 &&
           y >= 2000 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

int cmd_duty(struct cli *c, int argc, char **argv)
{
    const char *staff_no, *day, *status;
    struct cli_opt opts[] = {
        {"staff", 1, 0, &staff_no}, {"day", 0, 0, &day}, {"status", 1, 0, &status}, {0}};
    if (argc < 1 || strcmp(argv[0], "set") != 0 ||
        cli_parse("duty set", argc - 1, argv + 1, opts) != 0) {
        fprintf(stderr, "usage: showfloor duty set --staff S --status on|rest [--day "
                        "YYYY-MM-DD]\n");
        return CLI_USAGE;
    }
    enum store_duty duty;
    if (strcmp(status, "on") == 0)
        duty = STORE_DUTY_ON;
    else if (strcmp(status, "rest") == 0)
        duty = STORE_DUTY_REST;
    else {
        fprintf(stderr, "showfloor duty set: --status must be 'on' or 'rest'\n");
        return CLI_USAGE;
    }
    if (day && !day_ok(day)) {
        fprintf(stderr, "showfloor duty set: --day must be YYYY-MM-DD, not '%s'\n", day);
        return CLI_USAGE;
    }
    struct proto_error err;
    struct store_staff st;
    if (store_staff_find(c->store, staff_no, &st, &err) != 0)
        return cli_fail("duty set: staff", &err);
    struct store_site site;
    if (store_sites_get(c->store, st.site_id, &site, &err) != 0)
        return cli_fail("duty set: site", &err);
    char today[STORE_DAY_LEN + 1];
    cli_local_day(c->now, site.utc_offset_min, today);
    if (!day)
        day = today;
    if (store_begin(c->store, &err) != 0 ||
        store_staff_set_duty(c->store, st.id, day, duty, &err) != 0 ||
        cmd_audit_kv(c, site.id, "staff", st.staff_no, "duty_set",
                     (const char *const[]){"day", day, "duty", status, NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("duty set", &err);
    }
    fprintf(stderr, "%s %s is %s on %s\n", st.staff_no, st.name, status, day);
    return CLI_OK;
}

static int print_model(void *ctx, const struct store_model *m)
{
    (void)ctx;
    printf("%-6s %-12s %-14s %10.2f\n", m->code, m->name, m->name_en, (double)m->price_fen / 100);
    return 0;
}

int cmd_model(struct cli *c, int argc, char **argv)
{
    struct proto_error err;
    if (argc >= 1 && strcmp(argv[0], "list") == 0) {
        struct cli_opt none[] = {{0}};
        if (cli_parse("model list", argc - 1, argv + 1, none) != 0)
            return CLI_USAGE;
        return store_models_list(c->store, print_model, NULL, &err) ? cli_fail("model list", &err)
                                                                    : CLI_OK;
    }
    const char *code, *name, *name_en, *price;
    struct cli_opt opts[] = {{"code", 1, 0, &code},
                             {"name", 1, 0, &name},
                             {"name-en", 0, 0, &name_en},
                             {"price-fen", 1, 0, &price},
                             {0}};
    if (argc < 1 || strcmp(argv[0], "add") != 0 ||
        cli_parse("model add", argc - 1, argv + 1, opts) != 0) {
        fprintf(stderr, "usage: showfloor model add --code C --name N [--name-en E] --price-fen F"
                        " | model list\n");
        return CLI_USAGE;
    }
    int64_t fen;
    if (cli_int("model add", "price-fen", price, 0, (int64_t)1 << 50, &fen) != 0)
        return CLI_USAGE;
    int64_t id;
    if (store_begin(c->store, &err) != 0 ||
        store_models_add(c->store, code, name, name_en ? name_en : "", fen, &id, &err) != 0 ||
        cmd_audit_kv(c, 0, "model", code, "model_add",
                     (const char *const[]){"code", code, "name", name, "price_fen", price, NULL}) !=
            0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("model add", &err);
    }
    fprintf(stderr, "model %s (%s) added\n", code, name);
    return CLI_OK;
}

/* Kiosk devices: pairing by token (printed once, stored hashed), revoking, listing. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_direct.h"
#include "core_secret.h"
#include "domain.h"

static void fmt_time(int64_t ms, char *out, size_t n)
{
    if (ms == 0) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int print_device(void *ctx, const struct store_device *d)
{
    (void)ctx;
    char seen[32], revoked[32];
    fmt_time(d->last_seen, seen, sizeof seen);
    fmt_time(d->revoked_at, revoked, sizeof revoked);
    printf("%-4lld %-20s %-10s %-20s %-8s %s\n", (long long)d->id, d->name,
           domain_mode_name(d->mode), seen, d->revoked_at ? "revoked" : "active",
           d->revoked_at ? revoked : d->client);
    return 0;
}

static int device_add(struct cli *c, int argc, char **argv)
{
    const char *site_code, *mode_name, *name;
    struct cli_opt opts[] = {
        {"site", 1, 0, &site_code}, {"mode", 1, 0, &mode_name}, {"name", 1, 0, &name}, {0}};
    if (cli_parse("device add", argc, argv, opts) != 0)
        return CLI_USAGE;
    int mode = domain_mode_from_name(mode_name);
    if (mode < 0) {
        fprintf(stderr,
                "showfloor device add: unknown mode '%s' (reception, status, delivery, "
                "board, api)\n",
                mode_name);
        return CLI_USAGE;
    }
    if (strlen(name) == 0 || strlen(name) > PROTO_MAX_NAME ||
        !proto_utf8_valid(name, strlen(name))) {
        fprintf(stderr, "showfloor device add: --name must be 1..%d bytes of UTF-8\n",
                PROTO_MAX_NAME);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    char token[CORE_SECRET_TOKEN_LEN + 1], hash[CORE_SECRET_HASH_LEN + 1];
    if (core_secret_token_new(token, sizeof token, hash, sizeof hash) != 0) {
        fprintf(stderr, "showfloor device add: could not make a token\n");
        return CLI_FAIL;
    }
    struct proto_error err;
    int64_t id;
    if (store_begin(c->store, &err) != 0 ||
        store_devices_add(c->store, site.id, name, (enum domain_mode)mode, hash, c->now, &id,
                          &err) != 0 ||
        cmd_audit_kv(c, site.id, "device", name, "device_add",
                     (const char *const[]){"name", name, "mode", mode_name, NULL}) != 0 ||
        store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("device add", &err);
    }
    /* stdout carries only the token so scripts can write it straight to a token file. */
    printf("%s\n", token);
    fprintf(stderr,
            "device %lld '%s' (%s) added at %s. The token above is shown only this once: put it\n"
            "in the kiosk's token file (chmod 600) and start showfloor-kiosk --token-file FILE.\n",
            (long long)id, name, mode_name, site.code);
    return CLI_OK;
}

static int device_revoke(struct cli *c, int argc, char **argv)
{
    const char *site_code, *name, *id_text;
    struct cli_opt opts[] = {
        {"site", 0, 0, &site_code}, {"name", 0, 0, &name}, {"id", 0, 0, &id_text}, {0}};
    if (cli_parse("device revoke", argc, argv, opts) != 0)
        return CLI_USAGE;
    if (!id_text == !(site_code && name)) {
        fprintf(stderr, "showfloor device revoke: give either --id N or --site C --name N\n");
        return CLI_USAGE;
    }
    struct proto_error err;
    int64_t id = 0;
    struct store_site site;
    if (id_text && cli_int("device revoke", "id", id_text, 1, INT64_MAX, &id) != 0)
        return CLI_USAGE;
    if (!id_text && cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    int rc = store_begin(c->store, &err);
    if (rc == 0)
        rc = id_text ? store_devices_revoke(c->store, id, c->now, &err)
                     : store_devices_revoke_by_name(c->store, site.id, name, c->now, &id, &err);
    struct store_device d;
    if (rc == 0)
        rc = store_devices_get(c->store, id, &d, &err);
    if (rc == 0 && cmd_audit_kv(c, d.site_id, "device", d.name, "device_revoke",
                                (const char *const[]){"name", d.name, NULL}) != 0) {
        store_rollback(c->store);
        return CLI_FAIL; /* cmd_audit_kv said why */
    }
    if (rc == 0)
        rc = store_commit(c->store, &err);
    if (rc != 0) {
        store_rollback(c->store);
        return cli_fail("device revoke", &err);
    }
    fprintf(stderr, "device %lld revoked; a running hub drops its connection now\n", (long long)id);
    return CLI_OK;
}

int cmd_device(struct cli *c, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return device_add(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "revoke") == 0)
        return device_revoke(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "list") == 0) {
        const char *site_code;
        struct cli_opt opts[] = {{"site", 0, 0, &site_code}, {0}};
        if (cli_parse("device list", argc - 1, argv + 1, opts) != 0)
            return CLI_USAGE;
        struct store_site site = {0};
        if (site_code && cli_site(c, site_code, &site) != 0)
            return CLI_FAIL;
        struct proto_error err;
        printf("%-4s %-20s %-10s %-20s %-8s %s\n", "id", "name", "mode", "last seen", "state",
               "client / revoked at");
        return store_devices_list(c->store, site.id, print_device, NULL, &err)
                   ? cli_fail("device list", &err)
                   : CLI_OK;
    }
    fprintf(stderr, "usage: showfloor device add --site C --mode M --name N\n"
                    "       showfloor device revoke (--id N | --site C --name N)\n"
                    "       showfloor device list [--site C]\n");
    return CLI_USAGE;
}

/* `showfloor device`: the verb table, adding a device by token (printed once, stored
 * hashed), revoking, and the argument helpers the fleet verbs share (cmd_device.h). */
#include "cmd_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_direct.h"
#include "core_secret.h"
#include "domain.h"

int cmd_device_args(const char *cmd, int argc, char **argv, struct cli_opt *opts, const char **pos,
                    int min_pos, int max_pos, int *npos)
{
    char output_opt[] = "--output";
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) {
        fprintf(stderr, "showfloor %s: out of memory\n", cmd);
        return -1;
    }
    int nrest = 0, n = 0, rc = -1;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (a[0] != '-') {
            if (n >= max_pos) {
                fprintf(stderr, "showfloor %s: unexpected argument '%s'\n", cmd, a);
                goto out;
            }
            pos[n++] = a;
            continue;
        }
        if (strcmp(a, "-o") == 0)
            a = output_opt;
        rest[nrest++] = a;
        /* A known option with a value takes the next word, even one starting with "-". */
        const struct cli_opt *o = opts;
        while (o->name && !(strncmp(a, "--", 2) == 0 && strcmp(o->name, a + 2) == 0))
            o++;
        if (o->name && !o->flag && i + 1 < argc)
            rest[nrest++] = argv[++i];
    }
    if (cli_parse(cmd, nrest, rest, opts) != 0)
        goto out;
    if (n < min_pos) {
        fprintf(stderr, "showfloor %s: missing argument (see 'showfloor device')\n", cmd);
        goto out;
    }
    *npos = n;
    rc = 0;
out:
    free(rest);
    return rc;
}

int cmd_device_find(struct cli *c, const char *cmd, const char *site_code, const char *name,
                    struct store_site *site, struct store_device *d)
{
    if (cli_site(c, site_code, site) != 0)
        return -1;
    struct proto_error err;
    if (store_devices_find_by_name(c->store, site->id, name, d, &err) == 0)
        return 0;
    if (err.code == PROTO_E_NOT_FOUND)
        fprintf(stderr,
                "showfloor %s: site %s has no device named '%s' (see 'showfloor device "
                "list --site %s')\n",
                cmd, site->code, name, site->code);
    else
        cli_fail(cmd, &err);
    return -1;
}

int cmd_device_name_ok(const char *cmd, const char *name)
{
    if (strlen(name) == 0 || strlen(name) > PROTO_MAX_NAME ||
        !proto_utf8_valid(name, strlen(name))) {
        fprintf(stderr, "showfloor %s: --name must be 1..%d bytes of UTF-8\n", cmd, PROTO_MAX_NAME);
        return -1;
    }
    return 0;
}

int cmd_device_kiosk_mode(const char *cmd, const char *mode_name)
{
    int mode = domain_mode_from_name(mode_name);
    if (mode < 0 || mode == DOMAIN_MODE_API) {
        fprintf(stderr,
                "showfloor %s: '%s' is not a kiosk mode (reception, status, delivery, "
                "board)\n",
                cmd, mode_name);
        return -1;
    }
    return mode;
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
    if (cmd_device_name_ok("device add", name) != 0)
        return CLI_USAGE;
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

static int device_identify(struct cli *c, int argc, char **argv)
{
    return cmd_device_remote(c, "identify", argc, argv);
}

static int device_reload(struct cli *c, int argc, char **argv)
{
    return cmd_device_remote(c, "reload", argc, argv);
}

static int device_restart(struct cli *c, int argc, char **argv)
{
    return cmd_device_remote(c, "restart", argc, argv);
}

static int device_screenshot(struct cli *c, int argc, char **argv)
{
    return cmd_device_remote(c, "screenshot", argc, argv);
}

static const struct device_verb {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
    const char *usage;
} device_verbs[] = {
    {"add", device_add, "add --site C --mode M --name N   a device by token (printed once)"},
    {"revoke", device_revoke, "revoke (--id N | --site C --name N)"},
    {"approve", cmd_device_approve,
     "approve CODE --site C --mode M --name N   the kiosk showing pairing code CODE"},
    {"pending", cmd_device_pending, "pending [--json]   pairing codes waiting for approval"},
    {"list", cmd_device_list, "list [--site C] [--json]   the fleet: online, health, versions"},
    {"maintenance", cmd_device_maintenance, "maintenance NAME on|off --site C   out of order"},
    {"mode", cmd_device_mode, "mode NAME MODE --site C"},
    {"config", cmd_device_config,
     "config --site C [--device NAME] (KEY=VALUE... [--unset KEY]... | --show [--json])"},
    {"identify", device_identify, "identify NAME --site C [--wait SECONDS]   flash its name"},
    {"reload", device_reload, "reload NAME --site C [--wait SECONDS]"},
    {"restart", device_restart, "restart NAME --site C [--wait SECONDS]"},
    {"screenshot", device_screenshot, "screenshot NAME --site C -o FILE.png [--wait SECONDS]"},
};
#define N_DEVICE_VERBS (sizeof device_verbs / sizeof device_verbs[0])

int cmd_device(struct cli *c, int argc, char **argv)
{
    for (size_t i = 0; argc >= 1 && i < N_DEVICE_VERBS; i++)
        if (strcmp(argv[0], device_verbs[i].name) == 0)
            return device_verbs[i].run(c, argc - 1, argv + 1);
    if (argc >= 1)
        fprintf(stderr, "showfloor device: unknown verb '%s'\n", argv[0]);
    for (size_t i = 0; i < N_DEVICE_VERBS; i++)
        fprintf(stderr, "%s showfloor device %s\n", i ? "      " : "usage:", device_verbs[i].usage);
    fprintf(stderr, "config keys: idle_timeout_s language theme night_dim burnin_shift_min "
                    "offline_after_s (site only)\n");
    return CLI_USAGE;
}

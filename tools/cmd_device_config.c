/* `showfloor device maintenance | mode | config`: what a kiosk is told to be. Each write
 * appends device.changed, which a running hub turns into a `device_config` push within
 * about 200 ms (hub/FLEET.md); the kiosk applies it without a restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_device.h"
#include "cmd_direct.h"
#include "domain.h"

#define CONFIG_MAX_KEYS 16 /* more than there are keys: a longer list is a mistake */

int cmd_device_maintenance(struct cli *c, int argc, char **argv)
{
    const char *site_code, *pos[2];
    int npos;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code}, {0}};
    if (cmd_device_args("device maintenance", argc, argv, opts, pos, 2, 2, &npos) != 0)
        return CLI_USAGE;
    bool on = strcmp(pos[1], "on") == 0;
    if (!on && strcmp(pos[1], "off") != 0) {
        fprintf(stderr, "showfloor device maintenance: say on or off, not '%s'\n", pos[1]);
        return CLI_USAGE;
    }
    struct store_site site;
    struct store_device d;
    if (cmd_device_find(c, "device maintenance", site_code, pos[0], &site, &d) != 0)
        return CLI_FAIL;
    struct proto_error err;
    if (store_begin(c->store, &err) != 0 ||
        store_devices_set_maintenance(c->store, d.id, on, c->now, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("device maintenance", &err);
    }
    if (cmd_audit_kv(c, site.id, "device", d.name, "device_maintenance",
                     (const char *const[]){"name", d.name, "maintenance", pos[1], NULL}) != 0) {
        store_rollback(c->store);
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("device maintenance", &err);
    }
    printf("maintenance %s for '%s' at %s\n", pos[1], d.name, site.code);
    fprintf(stderr, "a running hub tells the kiosk now; %s\n",
            on ? "it shows the out-of-order screen and ignores taps until 'off'"
               : "it returns to its normal screens");
    return CLI_OK;
}

int cmd_device_mode(struct cli *c, int argc, char **argv)
{
    const char *site_code, *pos[2];
    int npos;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code}, {0}};
    if (cmd_device_args("device mode", argc, argv, opts, pos, 2, 2, &npos) != 0)
        return CLI_USAGE;
    int mode = cmd_device_kiosk_mode("device mode", pos[1]);
    if (mode < 0)
        return CLI_USAGE;
    struct store_site site;
    struct store_device d;
    if (cmd_device_find(c, "device mode", site_code, pos[0], &site, &d) != 0)
        return CLI_FAIL;
    struct proto_error err;
    if (store_begin(c->store, &err) != 0 ||
        store_devices_set_mode(c->store, d.id, (enum domain_mode)mode, c->now, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("device mode", &err);
    }
    if (cmd_audit_kv(c, site.id, "device", d.name, "device_mode",
                     (const char *const[]){"name", d.name, "from", domain_mode_name(d.mode), "mode",
                                           pos[1], NULL}) != 0) {
        store_rollback(c->store);
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("device mode", &err);
    }
    printf("'%s' at %s is now a %s kiosk (was %s)\n", d.name, site.code, pos[1],
           domain_mode_name(d.mode));
    fprintf(stderr, "a running hub tells the kiosk now; it reconnects in its new mode\n");
    return CLI_OK;
}

/* ---- config ---- */

struct config_args {
    const char *site_code, *device_name, *show, *json;
    const char *set[CONFIG_MAX_KEYS]; /* "key=value" words */
    int nset;
    const char *unset[CONFIG_MAX_KEYS];
    int nunset;
};

/* Takes the repeatable --unset KEY out before the common parser, which keeps one value per
 * option. Prints its own message; 0 or -1. */
static int config_parse(int argc, char **argv, struct config_args *a)
{
    const char *cmd = "device config";
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) {
        fprintf(stderr, "showfloor %s: out of memory\n", cmd);
        return -1;
    }
    int nrest = 0, rc = -1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--unset") != 0) {
            rest[nrest++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "showfloor %s: option '--unset' needs a value\n", cmd);
            goto out;
        }
        if (a->nunset >= CONFIG_MAX_KEYS) {
            fprintf(stderr, "showfloor %s: too many --unset\n", cmd);
            goto out;
        }
        a->unset[a->nunset++] = argv[++i];
    }
    struct cli_opt opts[] = {{"site", 1, 0, &a->site_code},
                             {"device", 0, 0, &a->device_name},
                             {"show", 0, 1, &a->show},
                             {"json", 0, 1, &a->json},
                             {0}};
    if (cmd_device_args(cmd, nrest, rest, opts, a->set, 0, CONFIG_MAX_KEYS, &a->nset) != 0)
        goto out;
    for (int i = 0; i < a->nset; i++)
        if (!strchr(a->set[i], '=') || a->set[i][0] == '=') {
            fprintf(stderr, "showfloor %s: '%s' is not KEY=VALUE\n", cmd, a->set[i]);
            goto out;
        }
    if (a->show ? a->nset + a->nunset > 0 : a->nset + a->nunset == 0) {
        fprintf(stderr,
                "showfloor %s: give KEY=VALUE and/or --unset KEY to change the "
                "configuration, or --show alone to see it\n",
                cmd);
        goto out;
    }
    if (a->json && !a->show) {
        fprintf(stderr, "showfloor %s: --json goes with --show\n", cmd);
        goto out;
    }
    rc = 0;
out:
    free(rest);
    return rc;
}

/* Sets (value non-NULL) or clears one key on the device (d non-NULL) or the site. */
static int config_set_one(struct cli *c, const struct store_site *site,
                          const struct store_device *d, const char *key, const char *value,
                          struct proto_error *err)
{
    return d ? store_devices_config_set(c->store, d->id, key, value, c->now, err)
             : store_fleet_site_config_set(c->store, site->id, key, value, c->now, err);
}

static int config_write(struct cli *c, const struct config_args *a, const struct store_site *site,
                        const struct store_device *d)
{
    struct proto_error err;
    cJSON *after = cJSON_CreateObject();
    if (!after) {
        fprintf(stderr, "showfloor device config: out of memory\n");
        return CLI_FAIL;
    }
    int rc = store_begin(c->store, &err);
    for (int i = 0; rc == 0 && i < a->nset; i++) {
        char key[64];
        const char *eq = strchr(a->set[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - a->set[i]), a->set[i]);
        rc = config_set_one(c, site, d, key, eq + 1, &err);
        if (rc == 0 && !cJSON_AddStringToObject(after, key, eq + 1))
            rc = proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    for (int i = 0; rc == 0 && i < a->nunset; i++) {
        rc = config_set_one(c, site, d, a->unset[i], NULL, &err);
        if (rc == 0 && !cJSON_AddNullToObject(after, a->unset[i]))
            rc = proto_error_set(&err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    if (rc == 0 && cmd_audit_record(c, site->id, d ? "device" : "site", d ? d->name : site->code,
                                    d ? "device_config" : "kiosk_config", NULL, after, 0) != 0) {
        cJSON_Delete(after);
        store_rollback(c->store);
        return CLI_FAIL; /* cmd_audit_record said why */
    }
    cJSON_Delete(after);
    if (rc == 0)
        rc = store_commit(c->store, &err);
    if (rc != 0) {
        store_rollback(c->store);
        return cli_fail("device config", &err);
    }
    printf("configuration of %s%s%s changed (%d set, %d reset to the layer below)\n",
           d ? "'" : "site ", d ? d->name : site->code, d ? "'" : "", a->nset, a->nunset);
    fprintf(stderr, "a running hub pushes it to %s now; it applies without a restart\n",
            d ? "the kiosk" : "every kiosk of the site");
    return CLI_OK;
}

/* Where an effective value comes from: the device's overrides, the site, or the default. */
static const char *config_source(struct cli *c, const struct store_site *site, const cJSON *own,
                                 const char *key)
{
    if (own && cJSON_GetObjectItemCaseSensitive(own, key))
        return "device";
    char name[64], value[256];
    snprintf(name, sizeof name, "kiosk.%s", key);
    bool is_default = true;
    struct proto_error err;
    if (store_settings_text_get(c->store, site->id, name, value, sizeof value, &is_default, &err))
        return "?";
    return is_default ? "default" : "site";
}

static int config_show(struct cli *c, const struct config_args *a, const struct store_site *site,
                       const struct store_device *d)
{
    /* Without --device: what a kiosk of the site with no overrides of its own gets. */
    struct store_device stand_in = {.site_id = site->id, .mode = DOMAIN_MODE_RECEPTION};
    snprintf(stand_in.config, sizeof stand_in.config, "{}");
    struct proto_error err;
    cJSON *cfg = store_devices_config_json(c->store, d ? d : &stand_in, &err);
    if (!cfg)
        return cli_fail("device config", &err);
    static const char *const per_device[] = {"mode", "name", "site", "maintenance"};
    if (!d)
        for (size_t i = 0; i < sizeof per_device / sizeof per_device[0]; i++)
            cJSON_DeleteItemFromObjectCaseSensitive(cfg, per_device[i]);
    if (a->json) {
        char *text = cJSON_PrintUnformatted(cfg);
        cJSON_Delete(cfg);
        if (!text) {
            fprintf(stderr, "showfloor device config: out of memory\n");
            return CLI_FAIL;
        }
        printf("%s\n", text);
        free(text);
        return CLI_OK;
    }
    cJSON *own = d ? cJSON_Parse(d->config) : NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, cfg)
    {
        bool fixed = false;
        for (size_t i = 0; i < sizeof per_device / sizeof per_device[0]; i++)
            fixed |= strcmp(item->string, per_device[i]) == 0;
        char value[256];
        if (cJSON_IsString(item))
            snprintf(value, sizeof value, "%s", item->valuestring[0] ? item->valuestring : "\"\"");
        else if (cJSON_IsNumber(item))
            snprintf(value, sizeof value, "%lld", (long long)item->valuedouble);
        else
            snprintf(value, sizeof value, "%s", cJSON_IsTrue(item) ? "on" : "off");
        printf("%-18s %-24s %s\n", item->string, value,
               fixed ? "-" : config_source(c, site, own, item->string));
    }
    cJSON_Delete(own);
    cJSON_Delete(cfg);
    return CLI_OK;
}

int cmd_device_config(struct cli *c, int argc, char **argv)
{
    struct config_args a = {0};
    if (config_parse(argc, argv, &a) != 0)
        return CLI_USAGE;
    struct store_site site;
    struct store_device d;
    if (a.device_name) {
        if (cmd_device_find(c, "device config", a.site_code, a.device_name, &site, &d) != 0)
            return CLI_FAIL;
    } else if (cli_site(c, a.site_code, &site) != 0) {
        return CLI_FAIL;
    }
    return a.show ? config_show(c, &a, &site, a.device_name ? &d : NULL)
                  : config_write(c, &a, &site, a.device_name ? &d : NULL);
}

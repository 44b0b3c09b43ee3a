/* `showfloor site set / site settings`: the per-site time limits (hours) of the order life
 * cycle and the text settings of issue 4 (appointment_grace_minutes, closing_time,
 * general_manager_staff_no, webhook_url). Other `site` verbs are cmd_org.c's. */
#include <stdio.h>
#include <string.h>

#include "cmd_direct.h"

static int print_setting(void *ctx, const char *key, int64_t value, bool is_default)
{
    (void)ctx;
    printf("%-22s %5lld%s\n", key, (long long)value, is_default ? "  (default)" : "");
    return 0;
}

static int print_text_setting(void *ctx, const char *key, const char *value, bool is_default)
{
    (void)ctx;
    printf("%-26s %s%s\n", key, value[0] ? value : "\"\"", is_default ? "  (default)" : "");
    return 0;
}

static int site_settings(struct cli *c, int argc, char **argv)
{
    const char *site_code;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code}, {0}};
    if (cli_parse("site settings", argc, argv, opts) != 0)
        return CLI_USAGE;
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    struct proto_error err;
    return store_settings_list(c->store, site.id, print_setting, NULL, &err) ||
                   store_settings_text_list(c->store, site.id, print_text_setting, NULL, &err)
               ? cli_fail("site settings", &err)
               : CLI_OK;
}

static cJSON *setting_json(int64_t value, bool is_default)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "value", (double)value) ||
        !cJSON_AddBoolToObject(o, "default", is_default)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* A text setting (issue 4): validated by the store; "" resets to the default. */
static int site_set_text(struct cli *c, const char *site_code, const char *key, const char *value)
{
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    struct proto_error err;
    char old[STORE_URL_MAX + 1];
    bool was_default;
    if (store_begin(c->store, &err) != 0)
        return cli_fail("site set", &err);
    if (store_settings_text_get(c->store, site.id, key, old, sizeof old, &was_default, &err) ||
        store_settings_text_set(c->store, site.id, key, value, &err)) {
        store_rollback(c->store);
        return cli_fail("site set", &err);
    }
    char entity_id[2 * PROTO_MAX_SHORT + 2];
    snprintf(entity_id, sizeof entity_id, "%s/%s", site.code, key);
    entity_id[PROTO_MAX_SHORT] = '\0';
    cJSON *before = cJSON_CreateObject(), *after = cJSON_CreateObject();
    int rc = !before || !after || !cJSON_AddStringToObject(before, "value", old) ||
             !cJSON_AddBoolToObject(before, "default", was_default) ||
             !cJSON_AddStringToObject(after, "value", value) ||
             !cJSON_AddBoolToObject(after, "default", !*value) ||
             cmd_audit_record(c, site.id, "setting", entity_id, "site_set", before, after, 0);
    cJSON_Delete(before);
    cJSON_Delete(after);
    if (rc) {
        store_rollback(c->store);
        fprintf(stderr, "showfloor site set: nothing was written\n");
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0)
        return cli_fail("site set", &err);
    fprintf(stderr, "%s %s = \"%s\"%s\n", site.code, key, value, *value ? "" : " (the default)");
    return CLI_OK;
}

static int is_text_key(const char *key)
{
    static const char *const keys[] = {"appointment_grace_minutes", "closing_time",
                                       "general_manager_staff_no", "webhook_url"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

static int site_set(struct cli *c, int argc, char **argv)
{
    const char *site_code, *key, *value_text;
    struct cli_opt opts[] = {
        {"site", 1, 0, &site_code}, {"key", 1, 0, &key}, {"value", 1, 0, &value_text}, {0}};
    if (cli_parse("site set", argc, argv, opts) != 0)
        return CLI_USAGE;
    if (is_text_key(key))
        return site_set_text(c, site_code, key, value_text);
    if (domain_sla_kind_from_key(key) < 0) {
        fprintf(stderr, "showfloor site set: unknown --key '%s'; keys:", key);
        for (int k = 0; k < DOMAIN_SLA__COUNT; k++)
            fprintf(stderr, " %s", domain_sla_key((enum domain_sla_kind)k));
        fprintf(stderr, " appointment_grace_minutes closing_time general_manager_staff_no "
                        "webhook_url\n");
        return CLI_USAGE;
    }
    int64_t value;
    if (cli_int("site set", "value", value_text, 1, DOMAIN_SLA_MAX_HOURS, &value) != 0)
        return CLI_USAGE;
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    struct proto_error err;
    int64_t old;
    bool was_default;
    if (store_begin(c->store, &err) != 0)
        return cli_fail("site set", &err);
    if (store_settings_get(c->store, site.id, key, &old, &was_default, &err) != 0 ||
        store_settings_set(c->store, site.id, key, value, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("site set", &err);
    }
    cJSON *before = setting_json(old, was_default), *after = setting_json(value, false);
    char entity_id[2 * PROTO_MAX_SHORT + 2];
    snprintf(entity_id, sizeof entity_id, "%s/%s", site.code, key);
    entity_id[PROTO_MAX_SHORT] = '\0'; /* codes and keys are short; the record's limit holds */
    int rc = !before || !after ||
             cmd_audit_record(c, site.id, "setting", entity_id, "site_set", before, after, 0);
    cJSON_Delete(before);
    cJSON_Delete(after);
    if (rc) {
        store_rollback(c->store);
        fprintf(stderr, "showfloor site set: nothing was written\n");
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0)
        return cli_fail("site set", &err);
    fprintf(stderr, "%s %s = %lld hours (was %lld%s)\n", site.code, key, (long long)value,
            (long long)old, was_default ? ", the default" : "");
    return CLI_OK;
}

int cmd_site_admin(struct cli *c, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "set") == 0)
        return site_set(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "settings") == 0)
        return site_settings(c, argc - 1, argv + 1);
    if (argc < 1 || (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "list") != 0)) {
        fprintf(stderr, "usage: showfloor site add --code C --name N [--utc-offset MIN] | "
                        "site list\n"
                        "       showfloor site set --site C --key K --value V | "
                        "site settings --site C\n");
        return CLI_USAGE;
    }
    return cmd_site(c, argc, argv);
}

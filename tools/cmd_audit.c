/* `showfloor audit`: verify the hash chain of the audit trail (exit 1 naming the first
 * broken record) and list an entity's records; plus the helper that gives every CLI write
 * its audit record. */
#include <stdio.h>
#include <string.h>

#include "cmd_direct.h"

int cmd_audit_record(struct cli *c, int64_t site_id, const char *entity, const char *entity_id,
                     const char *action, const cJSON *before, const cJSON *after, int64_t at)
{
    struct proto_error err;
    if (store_audit_append_json(c->store, site_id, CMD_AUDIT_ACTOR, entity,
                                entity_id ? entity_id : "", action, before, after, at ? at : c->now,
                                NULL, &err) != 0) {
        cli_fail("audit record", &err);
        return -1;
    }
    return 0;
}

static int print_record(void *ctx, const struct store_audit *a)
{
    (void)ctx;
    printf("%6lld  %lld  %-12s %-16s before=%s after=%s\n", (long long)a->id, (long long)a->at,
           a->actor, a->action, a->before ? a->before : "null", a->after ? a->after : "null");
    return 0;
}

static int audit_usage(void)
{
    fprintf(stderr, "usage: showfloor audit verify | audit list --entity E --id X\n");
    return CLI_USAGE;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
    struct proto_error err;
    if (argc < 1)
        return audit_usage();
    if (strcmp(argv[0], "verify") == 0) {
        struct cli_opt none[] = {{0}};
        if (cli_parse("audit verify", argc - 1, argv + 1, none) != 0)
            return CLI_USAGE;
        struct store_audit_result r;
        if (store_audit_verify(c->store, &r, &err) != 0)
            return cli_fail("audit verify", &err);
        if (r.ok) {
            printf("ok %lld records\n", (long long)r.count);
            return CLI_OK;
        }
        printf("broken at record %lld: %s\n", (long long)r.bad_id, r.reason);
        fprintf(stderr,
                "showfloor audit verify: the audit trail was altered at record %lld "
                "(%lld records before it are intact)\n",
                (long long)r.bad_id, (long long)r.count);
        return CLI_FAIL;
    }
    if (strcmp(argv[0], "list") == 0) {
        const char *entity, *id;
        struct cli_opt opts[] = {{"entity", 1, 0, &entity}, {"id", 1, 0, &id}, {0}};
        if (cli_parse("audit list", argc - 1, argv + 1, opts) != 0)
            return CLI_USAGE;
        return store_audit_list(c->store, entity, id, print_record, NULL, &err)
                   ? cli_fail("audit list", &err)
                   : CLI_OK;
    }
    return audit_usage();
}

int cmd_audit_kv(struct cli *c, int64_t site_id, const char *entity, const char *entity_id,
                 const char *action, const char *const *kv)
{
    cJSON *after = cJSON_CreateObject();
    for (size_t i = 0; after && kv[i] && kv[i + 1]; i += 2)
        if (!cJSON_AddStringToObject(after, kv[i], kv[i + 1])) {
            cJSON_Delete(after);
            after = NULL;
        }
    if (!after) {
        fprintf(stderr, "showfloor: out of memory writing the audit record\n");
        return -1;
    }
    int rc = cmd_audit_record(c, site_id, entity, entity_id, action, NULL, after, 0);
    cJSON_Delete(after);
    return rc;
}

/* `showfloor backup` (an online copy while the hub runs, or a check of a backup file) and
 * `showfloor restore` (a checked backup put in place of the database, the old one kept).
 * The work is hub/store_backup.c's and hub/store_restore.c's; this prints and exits. */
#include "cmd_backup.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store_backup.h"

/* "refused [code]: message" for refusals, the error's own code otherwise. */
static int cmd_backup_fail(const char *cmd, enum store_backup_refusal why,
                           const struct proto_error *err)
{
    if (why != STORE_BACKUP_NONE)
        fprintf(stderr, "showfloor %s: refused [%s]: %s\n", cmd, store_backup_refusal_code(why),
                err->message);
    else
        fprintf(stderr, "showfloor %s: %s (%s)\n", cmd, err->message, proto_error_code(err->code));
    return CLI_FAIL;
}

static void cmd_backup_print(const char *verb, const char *path, const struct store_backup_info *i)
{
    printf("%s %s bytes=%lld schema=%d last_seq=%lld audit_records=%lld hub_id=%s ms=%lld\n", verb,
           path, (long long)(i->pages * i->page_size), i->schema_version, (long long)i->last_seq,
           (long long)i->audit_records, i->hub_id, (long long)i->ms);
}

static int cmd_backup_usage(void)
{
    fprintf(stderr, "usage: showfloor backup --out FILE [--force] [--step-pages N] "
                    "[--sleep-ms MS] | backup --check FILE\n");
    return CLI_USAGE;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
    const char *out, *check, *force, *step, *sleep;
    struct cli_opt opts[] = {{"out", 0, 0, &out},        {"check", 0, 0, &check},
                             {"force", 0, 1, &force},    {"step-pages", 0, 0, &step},
                             {"sleep-ms", 0, 0, &sleep}, {0}};
    if (cli_parse("backup", argc, argv, opts) != 0 || !out == !check || (check && force))
        return cmd_backup_usage();
    int64_t step_pages = STORE_BACKUP_STEP_PAGES, sleep_ms = STORE_BACKUP_SLEEP_MS;
    if ((step && cli_int("backup", "step-pages", step, 1, 1 << 20, &step_pages)) ||
        (sleep && cli_int("backup", "sleep-ms", sleep, 0, 10000, &sleep_ms)))
        return CLI_USAGE;
    struct proto_error err;
    enum store_backup_refusal why = STORE_BACKUP_NONE;
    struct store_backup_info info;
    if (check) {
        if (store_backup_check(check, false, &info, &why, &err) != 0)
            return cmd_backup_fail("backup --check", why, &err);
        cmd_backup_print("ok", check, &info);
        return CLI_OK;
    }
    /* store_open creates a missing file: a backup of nothing must not create a database */
    struct stat st;
    if (stat(c->db_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "showfloor backup: refused [missing]: no database at %s\n", c->db_path);
        return CLI_FAIL;
    }
    if (store_open(&c->store, c->db_path, &err) != 0) {
        fprintf(stderr, "showfloor: cannot open database '%s': %s\n", c->db_path, err.message);
        return CLI_FAIL;
    }
    struct store_backup_opts bo = {
        .step_pages = (int)step_pages, .sleep_ms = (int)sleep_ms, .replace = force != NULL};
    int rc = store_backup_to(c->store, out, &bo, &info, &why, &err);
    store_close(c->store);
    c->store = NULL;
    if (rc != 0)
        return cmd_backup_fail("backup", why, &err);
    cmd_backup_print("ok", out, &info);
    return CLI_OK;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
    if (argc < 1 || strncmp(argv[0], "--", 2) == 0) {
        fprintf(stderr, "usage: showfloor restore FILE [--force]\n");
        return CLI_USAGE;
    }
    const char *file = argv[0], *force;
    struct cli_opt opts[] = {{"force", 0, 1, &force}, {0}};
    if (cli_parse("restore", argc - 1, argv + 1, opts) != 0)
        return CLI_USAGE;
    struct store_restore_opts ro = {.force = force != NULL, .now = c->now};
    struct store_restore_result r;
    struct proto_error err;
    enum store_backup_refusal why;
    if (store_restore(file, c->db_path, &ro, &r, &why, &err) != 0)
        return cmd_backup_fail("restore", why, &err);
    if (!r.audit.ok)
        fprintf(stderr,
                "showfloor restore: warning: restored with --force although its audit trail "
                "is broken at record %lld: %s\n",
                (long long)r.audit.bad_id, r.audit.reason);
    if (r.replaced && r.current_hub_id[0] && strcmp(r.current_hub_id, r.backup.hub_id) != 0)
        fprintf(stderr, "showfloor restore: warning: restored another installation's backup "
                        "with --force\n");
    printf("ok restored %s from %s: schema %d (backup %d), last_seq=%lld, audit %s %lld "
           "records\n",
           c->db_path, file, r.schema_version, r.backup.schema_version,
           (long long)r.backup.last_seq, r.audit.ok ? "ok" : "BROKEN", (long long)r.audit.count);
    if (r.replaced)
        printf("kept the replaced database as %s\n", r.kept);
    return CLI_OK;
}

/* `showfloor access-log`: the access log of personal data (store_access_list), newest first:
 * when, who (staff:<no>, api:<device>, cli), from which device and site, whose record, by
 * which request. A table for people, --json for scripts; read directly from the database. */
#include "cmd_access_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report.h" /* report_parse_day */

#define ACCESS_LOG_DEFAULT_LIMIT 100
#define ACCESS_LOG_MAX_LIMIT     100000

static void fmt_at(int64_t at, char *out, size_t outsz)
{
    time_t t = (time_t)(at / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, outsz, "%lld", (long long)at);
}

struct access_log_ctx {
    cJSON *list; /* --json */
    int count;
};

static int print_access(void *ctx, const struct store_access *a)
{
    struct access_log_ctx *lc = ctx;
    char when[32];
    fmt_at(a->at, when, sizeof when);
    lc->count++;
    if (lc->list) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddNumberToObject(o, "id", (double)a->id) ||
            !cJSON_AddNumberToObject(o, "at", (double)a->at) ||
            !cJSON_AddStringToObject(o, "at_iso", when) ||
            !cJSON_AddStringToObject(o, "actor", a->actor) ||
            !cJSON_AddNumberToObject(o, "device_id", (double)a->device_id) ||
            !cJSON_AddNumberToObject(o, "site_id", (double)a->site_id) ||
            !cJSON_AddNumberToObject(o, "customer_id", (double)a->customer_id) ||
            !cJSON_AddStringToObject(o, "what", a->what) || !cJSON_AddItemToArray(lc->list, o)) {
            cJSON_Delete(o);
            return -1;
        }
        return 0;
    }
    printf("%-20s  %-24s %6lld %5lld %9lld  %s\n", when, a->actor, (long long)a->device_id,
           (long long)a->site_id, (long long)a->customer_id, a->what);
    return 0;
}

static int print_json(cJSON *list)
{
    char *text = cJSON_PrintUnformatted(list);
    if (!text) {
        fprintf(stderr, "showfloor access-log: out of memory\n");
        return CLI_FAIL;
    }
    printf("%s\n", text);
    cJSON_free(text);
    return CLI_OK;
}

int cmd_access_log(struct cli *c, int argc, char **argv)
{
    const char *customer = NULL, *since = NULL, *limit = NULL, *json = NULL;
    struct cli_opt opts[] = {{"customer", 0, 0, &customer},
                             {"since", 0, 0, &since},
                             {"limit", 0, 0, &limit},
                             {"json", 0, 1, &json},
                             {0}};
    if (cli_parse("access-log", argc, argv, opts) != 0)
        return CLI_USAGE;
    int64_t customer_id = 0, from = 0, max = ACCESS_LOG_DEFAULT_LIMIT;
    if ((customer && cli_int("access-log", "customer", customer, 1, INT64_MAX, &customer_id)) ||
        (limit && cli_int("access-log", "limit", limit, 1, ACCESS_LOG_MAX_LIMIT, &max)))
        return CLI_USAGE;
    int64_t since_day = 0;
    if (since && report_parse_day(since, &since_day) != 0) {
        fprintf(stderr, "showfloor access-log: --since must be a date YYYY-MM-DD (UTC), not '%s'\n",
                since);
        return CLI_USAGE;
    }
    from = since_day * 86400000LL;
    struct access_log_ctx lc = {0};
    if (json && !(lc.list = cJSON_CreateArray())) {
        fprintf(stderr, "showfloor access-log: out of memory\n");
        return CLI_FAIL;
    }
    if (!json)
        printf("%-20s  %-24s %6s %5s %9s  %s\n", "at (UTC)", "actor", "device", "site", "customer",
               "what");
    struct proto_error err;
    if (store_access_list(c->store, customer_id, from, (int)max, print_access, &lc, &err) != 0) {
        cJSON_Delete(lc.list);
        return cli_fail("access-log", &err);
    }
    int rc = CLI_OK;
    if (lc.list)
        rc = print_json(lc.list);
    else if (lc.count == 0)
        fprintf(stderr, "no reads of personal data recorded%s\n",
                customer_id || from ? " for that filter" : "");
    cJSON_Delete(lc.list);
    return rc;
}

/* `showfloor device approve | pending | list`: enrolling kiosks by the pairing code they show,
 * and the fleet view read straight from the database (hub/FLEET.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_device.h"
#include "cmd_direct.h"
#include "domain.h"

/* "12s ago", "5m ago", "3h ago", "2d ago"; "never" for 0. */
static void fmt_age(int64_t at, int64_t now, char *out, size_t n)
{
    if (at <= 0) {
        snprintf(out, n, "never");
        return;
    }
    int64_t s = (now - at) / 1000;
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(out, n, "%llds ago", (long long)s);
    else if (s < 2 * 3600)
        snprintf(out, n, "%lldm ago", (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(out, n, "%lldh ago", (long long)(s / 3600));
    else
        snprintf(out, n, "%lldd ago", (long long)(s / 86400));
}

/* "3d 04h", "2h 05m", "7m 12s"; "-" when unknown. */
static void fmt_duration(int64_t s, char *out, size_t n)
{
    if (s < 0)
        snprintf(out, n, "-");
    else if (s >= 86400)
        snprintf(out, n, "%lldd %02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        snprintf(out, n, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(out, n, "%lldm %02llds", (long long)(s / 60), (long long)(s % 60));
}

static void fmt_clock(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(out, n, "%lld", (long long)ms);
}

int cmd_device_approve(struct cli *c, int argc, char **argv)
{
    const char *site_code, *mode_name, *name, *pos[1];
    int npos;
    struct cli_opt opts[] = {
        {"site", 1, 0, &site_code}, {"mode", 1, 0, &mode_name}, {"name", 1, 0, &name}, {0}};
    if (cmd_device_args("device approve", argc, argv, opts, pos, 1, 1, &npos) != 0)
        return CLI_USAGE;
    struct proto_error err;
    char code[STORE_PAIRING_CODE_LEN + 1];
    if (store_pairing_code_normalize(pos[0], code, &err) != 0) {
        fprintf(stderr, "showfloor device approve: '%s' is not a pairing code: %s\n", pos[0],
                err.message);
        return CLI_USAGE;
    }
    int mode = cmd_device_kiosk_mode("device approve", mode_name);
    if (mode < 0 || cmd_device_name_ok("device approve", name) != 0)
        return CLI_USAGE;
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    struct store_pairing p;
    int64_t device_id = 0;
    int rc = store_begin(c->store, &err);
    if (rc == 0)
        rc = store_pairings_approve(c->store, code, site.id, name, (enum domain_mode)mode,
                                    CMD_AUDIT_ACTOR, c->now, &device_id, &err);
    if (rc == 0)
        rc = store_pairings_find_code(c->store, code, &p, &err);
    if (rc == 0 && cmd_audit_kv(c, site.id, "device", name, "device_approve",
                                (const char *const[]){"name", name, "mode", mode_name, "code", code,
                                                      "hostname", p.hostname, NULL}) != 0) {
        store_rollback(c->store);
        return CLI_FAIL; /* cmd_audit_kv said why */
    }
    if (rc == 0)
        rc = store_commit(c->store, &err);
    if (rc != 0) {
        store_rollback(c->store);
        return cli_fail("device approve", &err);
    }
    printf("device %lld '%s' (%s) approved at %s for the kiosk on %s showing %s\n",
           (long long)device_id, name, mode_name, site.code, p.hostname[0] ? p.hostname : "?",
           code);
    fprintf(stderr, "a running hub hands the kiosk its token now; a kiosk that is not "
                    "connected gets it when it next connects\n");
    return CLI_OK;
}

struct pending_ctx {
    int64_t now;
    bool json;
    cJSON *list;
    int count;
};

static int print_pairing(void *ctx, const struct store_pairing *p)
{
    struct pending_ctx *pc = ctx;
    pc->count++;
    if (pc->json) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddStringToObject(o, "code", p->code) ||
            !cJSON_AddStringToObject(o, "hostname", p->hostname) ||
            !cJSON_AddStringToObject(o, "screen", p->screen) ||
            !cJSON_AddStringToObject(o, "version", p->version) ||
            !cJSON_AddStringToObject(o, "peer", p->peer) ||
            !cJSON_AddNumberToObject(o, "created_at", (double)p->created_at) ||
            !cJSON_AddNumberToObject(o, "expires_at", (double)p->expires_at) ||
            !cJSON_AddItemToArray(pc->list, o)) {
            cJSON_Delete(o);
            return -1;
        }
        return 0;
    }
    char left[32];
    fmt_duration((p->expires_at - pc->now) / 1000, left, sizeof left);
    printf("%-8s %-24s %-11s %-16s %-20s %s\n", p->code, p->hostname[0] ? p->hostname : "-",
           p->screen[0] ? p->screen : "-", p->version[0] ? p->version : "-",
           p->peer[0] ? p->peer : "-", left);
    return 0;
}

int cmd_device_pending(struct cli *c, int argc, char **argv)
{
    const char *json;
    struct cli_opt opts[] = {{"json", 0, 1, &json}, {0}};
    if (cli_parse("device pending", argc, argv, opts) != 0)
        return CLI_USAGE;
    struct pending_ctx pc = {.now = c->now, .json = json != NULL};
    if (pc.json && !(pc.list = cJSON_CreateArray())) {
        fprintf(stderr, "showfloor device pending: out of memory\n");
        return CLI_FAIL;
    }
    if (!pc.json)
        printf("%-8s %-24s %-11s %-16s %-20s %s\n", "code", "hostname", "screen", "version", "peer",
               "expires in");
    struct proto_error err;
    if (store_pairings_pending(c->store, c->now, print_pairing, &pc, &err) != 0) {
        cJSON_Delete(pc.list);
        return cli_fail("device pending", &err);
    }
    if (pc.json) {
        char *text = cJSON_PrintUnformatted(pc.list);
        cJSON_Delete(pc.list);
        if (!text) {
            fprintf(stderr, "showfloor device pending: out of memory\n");
            return CLI_FAIL;
        }
        printf("%s\n", text);
        free(text);
    } else if (pc.count == 0) {
        fprintf(stderr, "no kiosk is waiting for approval (a kiosk started without a token "
                        "shows its code once it reaches the hub)\n");
    }
    return CLI_OK;
}

/* ---- list ---- */

struct list_ctx {
    struct cli *c;
    cJSON *rows; /* fleet rows, in store order */
};

static int collect_device(void *ctx, const struct store_device *d)
{
    struct list_ctx *lc = ctx;
    cJSON *row = store_devices_fleet_json(lc->c->store, d, lc->c->now);
    if (!row)
        return -1;
    cJSON_AddItemToArray(lc->rows, row);
    return 0;
}

static const char *row_str(const cJSON *row, const char *key)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, key));
    return v && *v ? v : "-";
}

static int64_t row_int(const cJSON *row, const char *key, int64_t absent)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : absent;
}

static void print_row(const cJSON *row, int64_t now)
{
    const char *state = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "revoked"))  ? "revoked"
                        : cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "online")) ? "online"
                                                                                        : "offline";
    char seen[24], frame[24], uptime[24];
    fmt_age(row_int(row, "last_seen", 0), now, seen, sizeof seen);
    fmt_age(row_int(row, "last_frame_at", 0), now, frame, sizeof frame);
    fmt_duration(row_int(row, "uptime_s", -1), uptime, sizeof uptime);
    printf("%-4lld %-20s %-6s %-9s %-7s %-10s %-12s %-11s %-9s %-10s %3lld %3lld %s\n",
           (long long)row_int(row, "id", 0), row_str(row, "name"), row_str(row, "site"),
           row_str(row, "mode"), state, seen, row_str(row, "version"), row_str(row, "screen"),
           uptime, frame, (long long)row_int(row, "reconnects_today", 0),
           (long long)row_int(row, "watchdog_restarts", 0),
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "maintenance")) ? "on" : "-");
}

int cmd_device_list(struct cli *c, int argc, char **argv)
{
    const char *site_code, *json;
    struct cli_opt opts[] = {{"site", 0, 0, &site_code}, {"json", 0, 1, &json}, {0}};
    if (cli_parse("device list", argc, argv, opts) != 0)
        return CLI_USAGE;
    struct store_site site = {0};
    if (site_code && cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    /* The same document GET /api/v1/devices serves, so scripts read either. */
    struct list_ctx lc = {.c = c};
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !(lc.rows = cJSON_AddArrayToObject(doc, "devices")) ||
        !cJSON_AddNumberToObject(doc, "now", (double)c->now)) {
        cJSON_Delete(doc);
        fprintf(stderr, "showfloor device list: out of memory\n");
        return CLI_FAIL;
    }
    struct proto_error err;
    if (store_devices_list(c->store, site.id, collect_device, &lc, &err) != 0) {
        cJSON_Delete(doc);
        return cli_fail("device list", &err);
    }
    if (json) {
        char *text = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
        if (!text) {
            fprintf(stderr, "showfloor device list: out of memory\n");
            return CLI_FAIL;
        }
        printf("%s\n", text);
        free(text);
        return CLI_OK;
    }
    printf("%-4s %-20s %-6s %-9s %-7s %-10s %-12s %-11s %-9s %-10s %3s %3s %s\n", "id", "name",
           "site", "mode", "state", "last seen", "version", "screen", "uptime", "last frame", "rc",
           "wd", "maint");
    const cJSON *row;
    cJSON_ArrayForEach(row, lc.rows) print_row(row, c->now);
    char now_text[40];
    fmt_clock(c->now, now_text, sizeof now_text);
    fprintf(stderr, "as of %s; rc = reconnects today, wd = watchdog restarts\n", now_text);
    cJSON_Delete(doc);
    return CLI_OK;
}

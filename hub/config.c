/* The hub's settings: one table of INI keys drives parsing, range checks and defaults. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

enum config_kind { CONFIG_STR, CONFIG_INT, CONFIG_BOOL, CONFIG_LEVEL };

struct config_key {
    const char *section;
    const char *key;
    enum config_kind kind;
    size_t offset;
    size_t size;      /* CONFIG_STR: buffer size; CONFIG_INT: sizeof the integer */
    int64_t min, max; /* CONFIG_INT */
};

#define CONFIG_FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct config_key config_keys[] = {
    {"hub", "listen", CONFIG_STR, CONFIG_FIELD(listen), 0, 0},
    {"hub", "port", CONFIG_INT, CONFIG_FIELD(port), 0, 65535},
    {"hub", "database", CONFIG_STR, CONFIG_FIELD(database), 0, 0},
    {"hub", "signing_key", CONFIG_STR, CONFIG_FIELD(signing_key), 0, 0},
    {"hub", "log_level", CONFIG_LEVEL, CONFIG_FIELD(log_level), 0, 0},
    {"hub", "staff_idle_seconds", CONFIG_INT, CONFIG_FIELD(staff_idle_seconds), 10, 86400},
    {"hub", "replay_max", CONFIG_INT, CONFIG_FIELD(replay_max), 1, 1000000},
    {"hub", "max_pending_events", CONFIG_INT, CONFIG_FIELD(max_pending_events), 1, 1000000},
    {"hub", "max_pending_bytes", CONFIG_INT, CONFIG_FIELD(max_pending_bytes), 65536,
     INT64_C(1) << 32},
    {"hub", "api_session_idle_seconds", CONFIG_INT, CONFIG_FIELD(api_session_idle_seconds), 10,
     86400},
    {"hub", "sla_check_seconds", CONFIG_INT, CONFIG_FIELD(sla_check_seconds), 1, 3600},
    {"hub", "max_connections_per_address", CONFIG_INT, CONFIG_FIELD(max_connections_per_address), 0,
     1000000},
    {"hub", "guard_loopback", CONFIG_BOOL, CONFIG_FIELD(guard_loopback), 0, 0},
    {"hub", "auth_fail_max", CONFIG_INT, CONFIG_FIELD(auth_fail_max), 0, 1000000},
    {"hub", "auth_fail_window_seconds", CONFIG_INT, CONFIG_FIELD(auth_fail_window_seconds), 1,
     86400},
    {"hub", "auth_block_seconds", CONFIG_INT, CONFIG_FIELD(auth_block_seconds), 1, 86400},
    {"hub", "request_rate", CONFIG_INT, CONFIG_FIELD(request_rate), 0, 1000000},
    {"hub", "request_burst", CONFIG_INT, CONFIG_FIELD(request_burst), 1, 1000000},
    {"hub", "ping_interval_seconds", CONFIG_INT, CONFIG_FIELD(ping_interval_seconds), 1, 3600},
    {"hub", "ping_timeout_seconds", CONFIG_INT, CONFIG_FIELD(ping_timeout_seconds), 1, 3600},
    {"hub", "header_timeout_seconds", CONFIG_INT, CONFIG_FIELD(header_timeout_seconds), 1, 600},
    {"backup", "dir", CONFIG_STR, CONFIG_FIELD(backup_dir), 0, 0},
    {"backup", "interval_seconds", CONFIG_INT, CONFIG_FIELD(backup_interval_seconds), 1,
     INT64_C(31536000)},
    {"backup", "keep", CONFIG_INT, CONFIG_FIELD(backup_keep), 1, 100000},
    {"privacy", "key_file", CONFIG_STR, CONFIG_FIELD(privacy_key_file), 0, 0},
    {"privacy", "keystore", CONFIG_STR, CONFIG_FIELD(privacy_keystore), 0, 0},
    {"tls", "cert", CONFIG_STR, CONFIG_FIELD(tls_cert), 0, 0},
    {"tls", "key", CONFIG_STR, CONFIG_FIELD(tls_key), 0, 0},
    {"tls", "allow_plain_remote", CONFIG_BOOL, CONFIG_FIELD(allow_plain_remote), 0, 0},
};

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1");
    cfg->port = 7420;
    snprintf(cfg->database, sizeof cfg->database, "./showfloor.db");
    cfg->log_level = LOG_INFO;
    cfg->staff_idle_seconds = 300;
    cfg->replay_max = 5000;
    cfg->max_pending_events = 1000;
    cfg->max_pending_bytes = 8 * 1024 * 1024;
    cfg->api_session_idle_seconds = 1800;
    cfg->sla_check_seconds = 30;
    cfg->backup_interval_seconds = 86400;
    cfg->backup_keep = 7;
    cfg->allow_plain_remote = false;
    cfg->max_connections_per_address = 64;
    cfg->guard_loopback = false;
    cfg->auth_fail_max = 10;
    cfg->auth_fail_window_seconds = 60;
    cfg->auth_block_seconds = 300;
    cfg->request_rate = 50;
    cfg->request_burst = 100;
    cfg->ping_interval_seconds = 15;
    cfg->ping_timeout_seconds = 15;
    cfg->header_timeout_seconds = 10;
}

static int config_parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

int config_set(struct config *cfg, const char *section, const char *key, const char *value,
               char *err, size_t errsz)
{
    const struct config_key *k = NULL;
    for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
        if (strcmp(config_keys[i].section, section) == 0 && strcmp(config_keys[i].key, key) == 0) {
            k = &config_keys[i];
            break;
        }
    }
    if (!k) {
        snprintf(err, errsz, "unknown setting [%s] %s", section, key);
        return -1;
    }
    char *field = (char *)cfg + k->offset;
    switch (k->kind) {
    case CONFIG_STR: {
        size_t n = strlen(value);
        if (n >= k->size) {
            snprintf(err, errsz, "[%s] %s is too long (at most %zu bytes)", section, key,
                     k->size - 1);
            return -1;
        }
        memcpy(field, value, n + 1);
        return 0;
    }
    case CONFIG_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end || v < k->min || v > k->max) {
            snprintf(err, errsz, "[%s] %s must be an integer from %lld to %lld, not \"%s\"",
                     section, key, (long long)k->min, (long long)k->max, value);
            return -1;
        }
        if (k->size == sizeof(int))
            *(int *)(void *)field = (int)v;
        else
            *(int64_t *)(void *)field = v;
        return 0;
    }
    case CONFIG_BOOL:
        if (config_parse_bool(value, (bool *)(void *)field) == 0)
            return 0;
        snprintf(err, errsz, "[%s] %s must be true or false, not \"%s\"", section, key, value);
        return -1;
    case CONFIG_LEVEL: {
        int lvl = log_level_from_name(value);
        if (lvl < 0) {
            snprintf(err, errsz, "[%s] %s must be debug, info, warn or error, not \"%s\"", section,
                     key, value);
            return -1;
        }
        *(enum log_level *)(void *)field = (enum log_level)lvl;
        return 0;
    }
    }
    return -1;
}

/* inih reports only the first failing line number; the handler keeps the first message. */
struct config_ini_ctx {
    struct config *cfg;
    char msg[512];
};

static int config_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    struct config_ini_ctx *ctx = user;
    char err[sizeof ctx->msg];
    if (!name) /* a bare section header: checked when a key inside it arrives */
        return 1;
    if (config_set(ctx->cfg, section, name, value, err, sizeof err) == 0)
        return 1;
    if (!ctx->msg[0])
        snprintf(ctx->msg, sizeof ctx->msg, "%s", err);
    return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
    struct config_ini_ctx ctx = {.cfg = cfg};
    int line = ini_parse(path, config_ini_handler, &ctx);
    if (line == 0)
        return 0;
    if (line == -1)
        snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
    else if (line == -2)
        snprintf(err, errsz, "%s: out of memory while reading", path);
    else
        snprintf(err, errsz, "%s:%d: %s", path, line,
                 ctx.msg[0] ? ctx.msg : "syntax error (expected [section] or key = value)");
    return -1;
}

int config_is_loopback(const char *listen)
{
    return strcmp(listen, "localhost") == 0 || strcmp(listen, "::1") == 0 ||
           strncmp(listen, "127.", 4) == 0 || strcmp(listen, "lo") == 0;
}

int config_tls_enabled(const struct config *cfg)
{
    return cfg->tls_cert[0] && cfg->tls_key[0];
}

int config_validate(const struct config *cfg, char *err, size_t errsz)
{
    if (!cfg->listen[0]) {
        snprintf(err, errsz, "[hub] listen must not be empty");
        return -1;
    }
    if (!cfg->database[0]) {
        snprintf(err, errsz, "[hub] database must not be empty");
        return -1;
    }
    if (!!cfg->tls_cert[0] != !!cfg->tls_key[0]) {
        snprintf(err, errsz, "[tls] cert and key must be set together");
        return -1;
    }
    if (!config_tls_enabled(cfg) && !config_is_loopback(cfg->listen) && !cfg->allow_plain_remote) {
        snprintf(err, errsz,
                 "refusing to listen on %s without TLS: set [tls] cert and key, or "
                 "[tls] allow_plain_remote = true on a trusted network",
                 cfg->listen);
        return -1;
    }
    return 0;
}

/* Per-site settings (the order time limits, in hours, with the domain's defaults when a
 * site has none; the text settings of issue 4) and the record of missed limits, once per
 * order and kind. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql[] = {
    "SELECT value FROM site_settings WHERE site_id = ?1 AND key = ?2",
    "INSERT INTO site_settings (site_id, key, value) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value",
    "INSERT INTO sla_breaches (order_id, kind, due_at, at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (order_id, kind) DO NOTHING",
    "SELECT kind, due_at, at FROM sla_breaches WHERE order_id = ?1 ORDER BY at, kind",
    "SELECT value FROM site_texts WHERE site_id = ?1 AND key = ?2",
    "INSERT INTO site_texts (site_id, key, value) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value",
    "DELETE FROM site_texts WHERE site_id = ?1 AND key = ?2",
};
enum { SET_GET, SET_PUT, SLA_RECORD, SLA_LIST, TEXT_GET, TEXT_PUT, TEXT_RESET };
const struct store_sql_table store_settings_sql = {"settings", sql, sizeof sql / sizeof sql[0]};

static void read_int(sqlite3_stmt *st, void *out)
{
    *(int64_t *)out = store_col_int(st, 0);
}

int store_settings_get(struct store *s, int64_t site_id, const char *key, int64_t *value,
                       bool *is_default, struct proto_error *err)
{
    int k = key ? domain_sla_kind_from_key(key) : -1;
    if (k < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "key", "unknown setting '%s'",
                               key ? key : "");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, SET_GET);
    if (store_bind(s, st, err, "it", site_id, key))
        return -1;
    struct proto_error e;
    if (store_one(s, st, read_int, value, "setting", &e) == 0) {
        if (is_default)
            *is_default = false;
        return 0;
    }
    if (e.code != PROTO_E_NOT_FOUND) {
        if (err)
            *err = e;
        return -1;
    }
    struct domain_sla_settings def;
    domain_sla_defaults(&def);
    *value = def.hours[k];
    if (is_default)
        *is_default = true;
    return 0;
}

int store_settings_set(struct store *s, int64_t site_id, const char *key, int64_t value,
                       struct proto_error *err)
{
    struct domain_sla_settings check;
    domain_sla_defaults(&check);
    if (domain_sla_set(&check, key, value, err)) /* the domain owns the keys and the range */
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, SET_PUT);
    if (store_bind(s, st, err, "iti", site_id, key, value) || store_exec(s, st, err))
        return -1;
    return 0;
}

int store_settings_list(struct store *s, int64_t site_id,
                        int (*cb)(void *ctx, const char *key, int64_t value, bool is_default),
                        void *ctx, struct proto_error *err)
{
    for (int k = 0; k < DOMAIN_SLA__COUNT; k++) {
        const char *key = domain_sla_key((enum domain_sla_kind)k);
        int64_t v;
        bool def;
        if (store_settings_get(s, site_id, key, &v, &def, err))
            return -1;
        if (cb(ctx, key, v, def) != 0)
            return store_aborted(err);
    }
    return 0;
}

int store_settings_sla(struct store *s, int64_t site_id, struct domain_sla_settings *out,
                       struct proto_error *err)
{
    for (int k = 0; k < DOMAIN_SLA__COUNT; k++) {
        int64_t v;
        if (store_settings_get(s, site_id, domain_sla_key((enum domain_sla_kind)k), &v, NULL, err))
            return -1;
        out->hours[k] = (int)v;
    }
    return 0;
}

int store_sla_record(struct store *s, int64_t order_id, const char *kind, int64_t due_at,
                     int64_t at, bool *is_new, struct proto_error *err)
{
    if (!kind || domain_sla_kind_from_name(kind) < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown time limit '%s'",
                               kind ? kind : "");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, SLA_RECORD);
    if (store_bind(s, st, err, "itii", order_id, kind, due_at, at) || store_exec(s, st, err))
        return -1;
    if (is_new)
        *is_new = store_changes(s) == 1;
    return 0;
}

int store_sla_list(struct store *s, int64_t order_id,
                   int (*cb)(void *ctx, const char *kind, int64_t due_at, int64_t at), void *ctx,
                   struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, SLA_LIST);
    if (store_bind(s, st, err, "i", order_id))
        return -1;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (cb(ctx, kind ? kind : "", store_col_int(st, 1), store_col_int(st, 2)) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

/* ---- text settings (issue 4) ---- */

static int check_grace(struct store *s, const char *v, struct proto_error *err)
{
    (void)s;
    char *end = NULL;
    long m = strtol(v, &end, 10);
    if (!*v || *end || m < 1 || m > 1440)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "value",
                               "appointment_grace_minutes is a whole number 1..1440");
    return 0;
}

/* "HH:MM", 00:00..23:59 */
static int parse_hhmm(const char *v, int *minute)
{
    if (strlen(v) != 5 || v[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -1;
    int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *minute = h * 60 + m;
    return 0;
}

static int check_closing(struct store *s, const char *v, struct proto_error *err)
{
    (void)s;
    int m;
    if (parse_hhmm(v, &m))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "value", "closing_time is HH:MM");
    return 0;
}

static int check_gm(struct store *s, const char *v, struct proto_error *err)
{
    struct store_staff st;
    struct proto_error e;
    if (store_staff_find(s, v, &st, &e) == 0)
        return 0;
    if (e.code != PROTO_E_NOT_FOUND) {
        if (err)
            *err = e;
        return -1;
    }
    return proto_error_set(err, PROTO_E_BAD_FIELD, "value", "no staff member %s", v);
}

static int check_url(struct store *s, const char *v, struct proto_error *err)
{
    (void)s;
    size_t n = strlen(v);
    const char *host = strncmp(v, "http://", 7) == 0    ? v + 7
                       : strncmp(v, "https://", 8) == 0 ? v + 8
                                                        : NULL;
    bool clean = true;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            clean = false;
    if (!host || !*host || *host == '/' || n > STORE_URL_MAX || !clean)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "value",
                               "webhook_url is an http:// or https:// URL of at most %d bytes",
                               STORE_URL_MAX);
    return 0;
}

static const struct text_key {
    const char *key;
    const char *def;
    int (*check)(struct store *s, const char *v, struct proto_error *err);
} text_keys[] = {
    {"appointment_grace_minutes", "60", check_grace},
    {"closing_time", "21:00", check_closing},
    {"general_manager_staff_no", "", check_gm},
    {"webhook_url", "", check_url},
};
#define N_TEXT_KEYS (sizeof text_keys / sizeof text_keys[0])

/* "kiosk.<key>": the site level of the kiosk configuration (issue 9, store_fleet.h). Its keys,
 * defaults and ranges are store_fleet_config.c's; they are not listed with the keys above. */
#define KIOSK_PREFIX "kiosk."

static int check_kiosk(struct store *s, const char *key, const char *v, struct proto_error *err)
{
    (void)s;
    return store_fleet_config_check(key + strlen(KIOSK_PREFIX), v, true, err);
}

/* The key's entry; a kiosk key's is written into *tmp (check NULL: check_kiosk applies). */
static const struct text_key *text_key(const char *key, struct text_key *tmp,
                                       struct proto_error *err)
{
    for (size_t i = 0; key && i < N_TEXT_KEYS; i++)
        if (strcmp(key, text_keys[i].key) == 0)
            return &text_keys[i];
    if (key && strncmp(key, KIOSK_PREFIX, strlen(KIOSK_PREFIX)) == 0 &&
        store_fleet_config_check(key + strlen(KIOSK_PREFIX),
                                 store_fleet_config_default(key + strlen(KIOSK_PREFIX)), true,
                                 NULL) == 0) {
        *tmp = (struct text_key){key, store_fleet_config_default(key + strlen(KIOSK_PREFIX)), NULL};
        return tmp;
    }
    proto_error_set(err, PROTO_E_BAD_FIELD, "key", "unknown setting '%s'", key ? key : "");
    return NULL;
}

static void read_text(sqlite3_stmt *st, void *out)
{
    store_col_text(st, 0, out, STORE_URL_MAX + 1);
}

int store_settings_text_get(struct store *s, int64_t site_id, const char *key, char *out,
                            size_t outsz, bool *is_default, struct proto_error *err)
{
    struct text_key tmp;
    const struct text_key *k = text_key(key, &tmp, err);
    if (!k)
        return -1;
    char value[STORE_URL_MAX + 1];
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, TEXT_GET);
    if (store_bind(s, st, err, "it", site_id, key))
        return -1;
    struct proto_error e;
    bool def = false;
    if (store_one(s, st, read_text, value, "setting", &e)) {
        if (e.code != PROTO_E_NOT_FOUND) {
            if (err)
                *err = e;
            return -1;
        }
        snprintf(value, sizeof value, "%s", k->def);
        def = true;
    }
    if (is_default)
        *is_default = def;
    return store_copy_text(out, outsz, value, key, err);
}

int store_settings_text_set(struct store *s, int64_t site_id, const char *key, const char *value,
                            struct proto_error *err)
{
    struct text_key tmp;
    const struct text_key *k = text_key(key, &tmp, err);
    if (!k)
        return -1;
    if (!value || !*value) { /* back to the default */
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, TEXT_RESET);
        return store_bind(s, st, err, "it", site_id, key) || store_exec(s, st, err) ? -1 : 0;
    }
    if (k->check ? k->check(s, value, err) : check_kiosk(s, key, value, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SETTINGS, TEXT_PUT);
    if (store_bind(s, st, err, "itt", site_id, key, value) || store_exec(s, st, err))
        return -1;
    return 0;
}

int store_settings_text_list(struct store *s, int64_t site_id,
                             int (*cb)(void *ctx, const char *key, const char *value,
                                       bool is_default),
                             void *ctx, struct proto_error *err)
{
    for (size_t i = 0; i < N_TEXT_KEYS; i++) {
        char v[STORE_URL_MAX + 1];
        bool def;
        if (store_settings_text_get(s, site_id, text_keys[i].key, v, sizeof v, &def, err))
            return -1;
        if (cb(ctx, text_keys[i].key, v, def) != 0)
            return store_aborted(err);
    }
    return 0;
}

int store_settings_grace_minutes(struct store *s, int64_t site_id, int *minutes,
                                 struct proto_error *err)
{
    char v[16];
    if (store_settings_text_get(s, site_id, "appointment_grace_minutes", v, sizeof v, NULL, err))
        return -1;
    *minutes = atoi(v);
    return 0;
}

int store_settings_closing_minute(struct store *s, int64_t site_id, int *minute,
                                  struct proto_error *err)
{
    char v[16];
    if (store_settings_text_get(s, site_id, "closing_time", v, sizeof v, NULL, err))
        return -1;
    if (parse_hhmm(v, minute))
        return store_fault(s, "stored closing_time is not HH:MM", err);
    return 0;
}

/* Configuration pushed to kiosks (issue 9, hub/FLEET.md "Configuration"): the table of keys
 * with their ranges and defaults, the site level (site_texts "kiosk.<key>", through
 * store_settings.c), the device level (devices.config), mode and maintenance switches, and the
 * effective configuration a kiosk gets (defaults <- site <- device). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fleet.h"

#define SITE_PREFIX "kiosk."

static const char *const sql[] = {
    "UPDATE devices SET config = ?2 WHERE id = ?1",
    "UPDATE devices SET mode = ?2 WHERE id = ?1",
    "UPDATE devices SET maintenance = ?2 WHERE id = ?1",
};
enum { CFG_SET_CONFIG, CFG_SET_MODE, CFG_SET_MAINTENANCE };
const struct store_sql_table store_fleet_config_sql = {"fleet_config", sql,
                                                       sizeof sql / sizeof sql[0]};

enum cfg_kind { CFG_INT, CFG_LANGUAGE, CFG_THEME, CFG_NIGHT_DIM };

static const struct cfg_key {
    const char *key;
    enum cfg_kind kind;
    long lo, hi; /* CFG_INT */
    const char *def;
    bool site_only;
    const char *rule; /* said when a value is refused */
} keys[] = {
    {"idle_timeout_s", CFG_INT, 15, 3600, "60", false, "a whole number of seconds 15..3600"},
    {"language", CFG_LANGUAGE, 0, 0, "zh", false, "zh or en"},
    {"theme", CFG_THEME, 0, 0, "default", false,
     "1 to 32 characters a-z, 0-9, '_' or '-' (assets/themes/<name>.ini)"},
    {"night_dim", CFG_NIGHT_DIM, 0, 0, "", false, "\"\" (off) or HH:MM-HH:MM, two different times"},
    {"burnin_shift_min", CFG_INT, 0, 60, "3", false, "a whole number of minutes 0..60 (0 off)"},
    {"offline_after_s", CFG_INT, 10, 86400, "60", true, "a whole number of seconds 10..86400"},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static const struct cfg_key *find_key(const char *key)
{
    for (size_t i = 0; key && i < N_KEYS; i++)
        if (strcmp(key, keys[i].key) == 0)
            return &keys[i];
    return NULL;
}

const char *store_fleet_config_default(const char *key)
{
    const struct cfg_key *k = find_key(key);
    return k ? k->def : "";
}

static bool parse_long(const char *v, long *out)
{
    if (!*v || strlen(v) > 9)
        return false;
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    *out = strtol(v, NULL, 10);
    return true;
}

/* "HH:MM" -> minute of the day, or -1. */
static int hhmm(const char *v)
{
    if (strlen(v) < 5 || v[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -1;
    int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
    return h > 23 || m > 59 ? -1 : h * 60 + m;
}

static bool value_ok(const struct cfg_key *k, const char *v)
{
    long n;
    switch (k->kind) {
    case CFG_INT:
        return parse_long(v, &n) && n >= k->lo && n <= k->hi;
    case CFG_LANGUAGE:
        return strcmp(v, "zh") == 0 || strcmp(v, "en") == 0;
    case CFG_THEME: {
        size_t len = strlen(v);
        if (len < 1 || len > 32)
            return false;
        for (const char *p = v; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
                return false;
        return true;
    }
    case CFG_NIGHT_DIM: {
        if (!*v)
            return true;
        if (strlen(v) != 11 || v[5] != '-')
            return false;
        int from = hhmm(v), to = hhmm(v + 6);
        return from >= 0 && to >= 0 && from != to; /* 22:00-06:00 crosses midnight: fine */
    }
    }
    return false;
}

int store_fleet_config_check(const char *key, const char *value, bool site, struct proto_error *err)
{
    const struct cfg_key *k = find_key(key);
    if (!k)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "key",
                               "unknown kiosk setting '%s' (idle_timeout_s, language, theme,"
                               " night_dim, burnin_shift_min, offline_after_s)",
                               key ? key : "");
    if (k->site_only && !site)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "key", "%s is set per site, not per device",
                               k->key);
    if (!value || !value_ok(k, value))
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "value", "%s is %s", k->key, k->rule);
    return 0;
}

static int device_changed(struct store *s, int64_t site_id, int64_t device_id, int64_t now,
                          struct proto_error *err)
{
    char data[64];
    snprintf(data, sizeof data, "{\"device_id\":%lld}", (long long)device_id);
    return store_events_append(s, site_id, "device.changed", now, data, NULL, err);
}

int store_fleet_site_config_set(struct store *s, int64_t site_id, const char *key,
                                const char *value, int64_t now, struct proto_error *err)
{
    struct store_site site;
    if (store_fleet_config_check(key, value ? value : store_fleet_config_default(key), true, err) ||
        store_sites_get(s, site_id, &site, err))
        return -1;
    char name[PROTO_MAX_SHORT + 1];
    snprintf(name, sizeof name, SITE_PREFIX "%s", key);
    /* store_settings_text_set validates again (the CLI's `site set` goes straight there) */
    if (store_settings_text_set(s, site_id, name, value, err))
        return -1;
    return device_changed(s, site_id, 0, now, err);
}

/* A device that can still be configured: exists and is not revoked. */
static int live_device(struct store *s, int64_t id, struct store_device *d, struct proto_error *err)
{
    if (store_devices_get(s, id, d, err))
        return -1;
    if (d->revoked_at)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "device \"%s\" is revoked",
                               d->name);
    return 0;
}

int store_devices_config_set(struct store *s, int64_t device_id, const char *key, const char *value,
                             int64_t now, struct proto_error *err)
{
    struct store_device d;
    const struct cfg_key *k = find_key(key);
    if (store_fleet_config_check(key, value ? value : (k ? k->def : ""), false, err) ||
        live_device(s, device_id, &d, err))
        return -1;
    cJSON *cfg = cJSON_Parse(d.config);
    if (!cJSON_IsObject(cfg)) { /* the schema's CHECK keeps it JSON; an array would be a bug */
        cJSON_Delete(cfg);
        cfg = cJSON_CreateObject();
    }
    char *text = NULL;
    int rc = -1;
    if (!cfg) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        goto out;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(cfg, k->key);
    if (value) { /* numbers stay numbers in devices.config, so it reads like the kiosk's JSON */
        cJSON *item = k->kind == CFG_INT ? cJSON_CreateNumber((double)strtol(value, NULL, 10))
                                         : cJSON_CreateString(value);
        if (!item || !cJSON_AddItemToObject(cfg, k->key, item)) {
            cJSON_Delete(item);
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto out;
        }
    }
    if (!(text = cJSON_PrintUnformatted(cfg))) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        goto out;
    }
    if (strlen(text) > sizeof d.config - 1) {
        proto_error_set(err, PROTO_E_TOO_LONG, "value", "the device's configuration is full");
        goto out;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET_CONFIG, CFG_SET_CONFIG);
    if (store_bind(s, st, err, "it", device_id, text) || store_exec(s, st, err) ||
        device_changed(s, d.site_id, device_id, now, err))
        goto out;
    rc = 0;
out:
    cJSON_free(text);
    cJSON_Delete(cfg);
    return rc;
}

int store_devices_set_mode(struct store *s, int64_t device_id, enum domain_mode mode, int64_t now,
                           struct proto_error *err)
{
    struct store_device d;
    const char *mn = domain_mode_name(mode);
    if (!mn || mode == DOMAIN_MODE_API)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "mode",
                               "a kiosk's mode is reception, status, delivery or board");
    if (live_device(s, device_id, &d, err))
        return -1;
    if (d.mode == DOMAIN_MODE_API)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "mode",
                               "device \"%s\" is an api device, not a kiosk", d.name);
    if (d.mode == mode)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "mode",
                               "device \"%s\" is already in %s mode", d.name, mn);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET_CONFIG, CFG_SET_MODE);
    if (store_bind(s, st, err, "it", device_id, mn) || store_exec(s, st, err))
        return -1;
    return device_changed(s, d.site_id, device_id, now, err);
}

int store_devices_set_maintenance(struct store *s, int64_t device_id, bool on, int64_t now,
                                  struct proto_error *err)
{
    struct store_device d;
    if (live_device(s, device_id, &d, err))
        return -1;
    if (d.maintenance == on)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "maintenance",
                               "maintenance of device \"%s\" is already %s", d.name,
                               on ? "on" : "off");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_FLEET_CONFIG, CFG_SET_MAINTENANCE);
    if (store_bind(s, st, err, "id", device_id, on ? 1 : 0) || store_exec(s, st, err))
        return -1;
    return device_changed(s, d.site_id, device_id, now, err);
}

/* The value of one key for the device: its override (when valid), else the site's. */
static int effective(struct store *s, const struct store_device *d, const cJSON *over,
                     const struct cfg_key *k, char *out, size_t outsz, struct proto_error *err)
{
    const cJSON *o = k->site_only ? NULL : cJSON_GetObjectItemCaseSensitive(over, k->key);
    if (cJSON_IsNumber(o)) {
        snprintf(out, outsz, "%lld", (long long)o->valuedouble);
        if (value_ok(k, out))
            return 0;
    } else if (cJSON_IsString(o) && value_ok(k, o->valuestring)) {
        snprintf(out, outsz, "%s", o->valuestring);
        return 0;
    }
    char name[PROTO_MAX_SHORT + 1];
    snprintf(name, sizeof name, SITE_PREFIX "%s", k->key);
    return store_settings_text_get(s, d->site_id, name, out, outsz, NULL, err);
}

cJSON *store_devices_config_json(struct store *s, const struct store_device *d,
                                 struct proto_error *err)
{
    struct store_site site;
    if (store_sites_get(s, d->site_id, &site, err))
        return NULL;
    cJSON *over = cJSON_Parse(d->config);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "mode", domain_mode_name(d->mode)) ||
        !cJSON_AddStringToObject(o, "name", d->name) ||
        !cJSON_AddStringToObject(o, "site", site.code) ||
        !cJSON_AddBoolToObject(o, "maintenance", d->maintenance))
        goto oom;
    for (size_t i = 0; i < N_KEYS; i++) {
        char v[STORE_URL_MAX + 1];
        if (effective(s, d, over, &keys[i], v, sizeof v, err))
            goto fail;
        if (!(keys[i].kind == CFG_INT ? cJSON_AddNumberToObject(o, keys[i].key, atof(v))
                                      : cJSON_AddStringToObject(o, keys[i].key, v)))
            goto oom;
    }
    cJSON_Delete(over);
    return o;
oom:
    proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
fail:
    cJSON_Delete(over);
    cJSON_Delete(o);
    return NULL;
}

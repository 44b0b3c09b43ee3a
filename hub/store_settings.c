/* Per-site settings (the order time limits, in hours, with the domain's defaults when a
 * site has none) and the record of missed limits, once per order and kind. */
#include "store_internal.h"

static const char *const sql[] = {
    "SELECT value FROM site_settings WHERE site_id = ?1 AND key = ?2",
    "INSERT INTO site_settings (site_id, key, value) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value",
    "INSERT INTO sla_breaches (order_id, kind, due_at, at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (order_id, kind) DO NOTHING",
    "SELECT kind, due_at, at FROM sla_breaches WHERE order_id = ?1 ORDER BY at, kind",
};
enum { SET_GET, SET_PUT, SLA_RECORD, SLA_LIST };
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

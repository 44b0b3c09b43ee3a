/* The store's handle: open (PRAGMAs, migrations, statements), close, transactions, meta,
 * and the bind/step helpers every aggregate uses. */
#include "store_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const meta_sql[] = {
    "SELECT value FROM meta WHERE key = ?1",
    "PRAGMA data_version",
    "BEGIN IMMEDIATE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
};
enum { META_GET, META_DATA_VERSION, META_BEGIN, META_BEGIN_READ, META_COMMIT, META_ROLLBACK };
const struct store_sql_table store_meta_sql = {"meta", meta_sql,
                                               sizeof meta_sql / sizeof meta_sql[0]};

static const struct store_sql_table *const tables[STORE_AGG__COUNT] = {
    [STORE_AGG_META] = &store_meta_sql,
    [STORE_AGG_SITES] = &store_sites_sql,
    [STORE_AGG_STAFF] = &store_staff_sql,
    [STORE_AGG_DEVICES] = &store_devices_sql,
    [STORE_AGG_MODELS] = &store_models_sql,
    [STORE_AGG_CUSTOMERS] = &store_customers_sql,
    [STORE_AGG_LEADS] = &store_leads_sql,
    [STORE_AGG_VISITS] = &store_visits_sql,
    [STORE_AGG_ORDERS] = &store_orders_sql,
    [STORE_AGG_EVENTS] = &store_events_sql,
    [STORE_AGG_COMMANDS] = &store_commands_sql,
    [STORE_AGG_VEHICLES] = &store_vehicles_sql,
    [STORE_AGG_PAYMENTS] = &store_payments_sql,
    [STORE_AGG_REQUESTS] = &store_requests_sql,
    [STORE_AGG_NOTES] = &store_notes_sql,
    [STORE_AGG_SIGNOFFS] = &store_signoffs_sql,
    [STORE_AGG_SETTINGS] = &store_settings_sql,
    [STORE_AGG_AUDIT] = &store_audit_sql,
    [STORE_AGG_LEADS_FLOW] = &store_leads_flow_sql,
    [STORE_AGG_APPOINTMENTS] = &store_appointments_sql,
    [STORE_AGG_CONFLICTS] = &store_conflicts_sql,
    [STORE_AGG_COMPLAINTS] = &store_complaints_sql,
    [STORE_AGG_SATISFACTION] = &store_satisfaction_sql,
    [STORE_AGG_DEADLINES] = &store_deadlines_sql,
    [STORE_AGG_WEBHOOKS] = &store_webhooks_sql,
    [STORE_AGG_PAIRINGS] = &store_pairings_sql,
    [STORE_AGG_FLEET] = &store_fleet_sql,
    [STORE_AGG_FLEET_CONFIG] = &store_fleet_config_sql,
};

/* ---- helpers shared by the aggregates ---- */

sqlite3_stmt *store_stmt(struct store *s, enum store_agg a, int i)
{
    return s->stmts[a][i];
}

int store_fault(struct store *s, const char *what, struct proto_error *err)
{
    log_error("store", "%s: %s (%d)", what, sqlite3_errmsg(s->db), sqlite3_extended_errcode(s->db));
    return proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
}

int store_bind(struct store *s, sqlite3_stmt *st, struct proto_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = SQLITE_OK;
    for (int i = 0; fmt[i] && rc == SQLITE_OK; i++) {
        int idx = i + 1;
        switch (fmt[i]) {
        case 'i':
            rc = sqlite3_bind_int64(st, idx, va_arg(ap, int64_t));
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? sqlite3_bind_int64(st, idx, v) : sqlite3_bind_null(st, idx);
            break;
        }
        case 'd':
            rc = sqlite3_bind_int(st, idx, va_arg(ap, int));
            break;
        case 't':
        case 'T': {
            const char *v = va_arg(ap, const char *);
            if (!v || (fmt[i] == 'T' && !*v))
                rc = sqlite3_bind_null(st, idx);
            else
                rc = sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
            break;
        }
        default:
            rc = SQLITE_MISUSE; /* a bug in our format string */
            break;
        }
    }
    va_end(ap);
    if (rc != SQLITE_OK) {
        store_fault(s, sqlite3_sql(st), err);
        store_done(st);
        return -1;
    }
    return 0;
}

int store_step(struct store *s, sqlite3_stmt *st, struct proto_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    int ext = sqlite3_extended_errcode(s->db);
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "already exists (%s)",
                        sqlite3_errmsg(s->db));
        return -1;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "refers to a record that does not exist");
        return -1;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "value not allowed (%s)",
                        sqlite3_errmsg(s->db));
        return -1;
    default:
        break;
    }
    if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) {
        log_warn("store", "busy: %s", sqlite3_errmsg(s->db));
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "the database is busy; retry");
        return -1;
    }
    return store_fault(s, sqlite3_sql(st), err);
}

void store_done(sqlite3_stmt *st)
{
    /* reset repeats the last step's error code, which store_step already reported */
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int store_exec(struct store *s, sqlite3_stmt *st, struct proto_error *err)
{
    int rc = store_step(s, st, err);
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_one(struct store *s, sqlite3_stmt *st, void (*read)(sqlite3_stmt *st, void *out),
              void *out, const char *what, struct proto_error *err)
{
    int rc = store_step(s, st, err);
    if (rc == 1)
        read(st, out);
    store_done(st);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return store_not_found(err, what);
    return 0;
}

int store_changes(struct store *s)
{
    return sqlite3_changes(s->db);
}

int64_t store_last_id(struct store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t sz)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t) {
        buf[0] = '\0';
        return;
    }
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (n >= sz)
        n = sz - 1;
    memcpy(buf, t, n);
    buf[n] = '\0';
}

int64_t store_col_int(sqlite3_stmt *st, int col)
{
    return sqlite3_column_int64(st, col); /* NULL reads as 0 */
}

int store_not_found(struct proto_error *err, const char *what)
{
    return proto_error_set(err, PROTO_E_NOT_FOUND, NULL, "no such %s", what);
}

int store_aborted(struct proto_error *err)
{
    return proto_error_set(err, PROTO_E_INTERNAL, NULL, "listing aborted");
}

cJSON *store_json_ref(int64_t id, const char *name)
{
    if (!id)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)id) ||
        !cJSON_AddStringToObject(o, "name", name ? name : "")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int store_json_add_int_or_null(cJSON *o, const char *key, int64_t v)
{
    cJSON *item = v ? cJSON_AddNumberToObject(o, key, (double)v) : cJSON_AddNullToObject(o, key);
    return item ? 0 : -1;
}

int store_json_add_str_or_null(cJSON *o, const char *key, const char *v)
{
    cJSON *item = v && *v ? cJSON_AddStringToObject(o, key, v) : cJSON_AddNullToObject(o, key);
    return item ? 0 : -1;
}

cJSON *store_json_customer(int64_t id, const char *name, const char *gender, const char *phone,
                           const char *kind)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)id) ||
        !cJSON_AddStringToObject(o, "name", name) ||
        !cJSON_AddStringToObject(o, "gender", gender) ||
        !cJSON_AddStringToObject(o, "phone", phone) || !cJSON_AddStringToObject(o, "kind", kind)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

const char *store_col_str(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

int store_append_wrapped(struct store *s, int64_t site_id, const char *kind, const char *key,
                         cJSON *full, int64_t at, struct proto_error *err)
{
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToObject(wrap, key, full)) {
        cJSON_Delete(wrap);
        cJSON_Delete(full);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    int rc = store_events_append_json(s, site_id, kind, at, wrap, NULL, err);
    cJSON_Delete(wrap);
    return rc;
}

int store_grade_valid(char g)
{
    return g && strchr("HABFLO", g) != NULL;
}

int store_copy_text(char *dst, size_t dstsz, const char *src, const char *field,
                    struct proto_error *err)
{
    if (!src)
        src = "";
    size_t n = strlen(src);
    if (n >= dstsz)
        return proto_error_set(err, PROTO_E_BAD_FIELD, field,
                               "%s is too long (%zu bytes, at most %zu)", field, n, dstsz - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

/* ---- open and close ---- */

static int exec_pragma(struct store *s, const char *sql, struct proto_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "%s failed: %s", sql,
                        msg ? msg : "unknown error");
        log_error("store", "%s failed: %s", sql, msg ? msg : "unknown error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* A file that is not a database fails its first read with SQLITE_NOTADB: name it plainly. */
static int check_readable(struct store *s, const char *path, struct proto_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    int ext = sqlite3_extended_errcode(s->db);
    if ((ext & 0xff) == SQLITE_NOTADB)
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "%s is not a database (not an SQLite file)",
                        path);
    else if ((ext & 0xff) == SQLITE_CORRUPT)
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "%s is damaged (SQLite reports corruption)",
                        path);
    else
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read %s: %s", path,
                        sqlite3_errmsg(s->db));
    log_error("store", "cannot open %s: %s", path, sqlite3_errmsg(s->db));
    return -1;
}

static int set_pragmas(struct store *s, struct proto_error *err)
{
    sqlite3_stmt *st = NULL;
    /* journal_mode answers with the mode in force: WAL is required for durability and for
     * the hub and the CLI to read while the other writes */
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot switch to WAL: %s",
                        sqlite3_errmsg(s->db));
        return -1;
    }
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    if (!mode || strcmp(mode, "wal") != 0)
        log_warn("store", "journal_mode is %s, not wal", mode ? mode : "?");
    sqlite3_finalize(st);
    /* synchronous=FULL: NORMAL may lose the last commits on power loss, and we acknowledge
     * a command only after its commit */
    if (exec_pragma(s, "PRAGMA synchronous=FULL", err) ||
        exec_pragma(s, "PRAGMA foreign_keys=ON", err))
        return -1;
    return 0;
}

static int prepare_all(struct store *s, struct proto_error *err)
{
    for (int a = 0; a < STORE_AGG__COUNT; a++) {
        const struct store_sql_table *t = tables[a];
        s->stmts[a] = calloc(t->n, sizeof(sqlite3_stmt *)); // NOLINT(bugprone-sizeof-expression)
        if (!s->stmts[a])
            return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        for (size_t i = 0; i < t->n; i++) {
            if (sqlite3_prepare_v3(s->db, t->sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[a][i],
                                   NULL) != SQLITE_OK) {
                log_error("store", "prepare %s[%zu] failed: %s", t->name, i, sqlite3_errmsg(s->db));
                return proto_error_set(err, PROTO_E_INTERNAL, NULL,
                                       "cannot prepare the %s statements", t->name);
            }
        }
    }
    return 0;
}

static void read_text0(sqlite3_stmt *st, void *out)
{
    store_col_text(st, 0, out, 65);
}

int store_open(struct store **out, const char *path, struct proto_error *err)
{
    *out = NULL;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot open %s: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        log_error("store", "cannot open %s: %s", path,
                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (check_readable(s, path, err) || set_pragmas(s, err) || store_migrations_apply(s, err) ||
        prepare_all(s, err))
        goto fail;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_META, META_GET);
    if (store_bind(s, st, err, "t", "hub_id") ||
        store_one(s, st, read_text0, s->hub_id, "hub_id", err))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int a = 0; a < STORE_AGG__COUNT; a++) {
        if (!s->stmts[a])
            continue;
        for (size_t i = 0; i < tables[a]->n; i++)
            sqlite3_finalize(s->stmts[a][i]);
        free(s->stmts[a]);
    }
    if (s->db && sqlite3_close(s->db) != SQLITE_OK)
        log_error("store", "close: %s", sqlite3_errmsg(s->db));
    free(s);
}

/* ---- transactions and meta ---- */

int store_begin(struct store *s, struct proto_error *err)
{
    return store_exec(s, store_stmt(s, STORE_AGG_META, META_BEGIN), err);
}

int store_begin_read(struct store *s, struct proto_error *err)
{
    return store_exec(s, store_stmt(s, STORE_AGG_META, META_BEGIN_READ), err);
}

int store_commit(struct store *s, struct proto_error *err)
{
    if (store_exec(s, store_stmt(s, STORE_AGG_META, META_COMMIT), err) == 0)
        return 0;
    /* a failed COMMIT may leave the transaction open: end it so nothing half-done stays */
    store_rollback(s);
    return -1;
}

void store_rollback(struct store *s)
{
    if (sqlite3_get_autocommit(s->db))
        return; /* no transaction open (or SQLite already rolled it back) */
    struct proto_error e;
    if (store_exec(s, store_stmt(s, STORE_AGG_META, META_ROLLBACK), &e) != 0)
        log_error("store", "rollback failed: %s", e.message);
}

const char *store_hub_id(const struct store *s)
{
    return s->hub_id;
}

int store_data_version(struct store *s, int64_t *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_META, META_DATA_VERSION);
    int rc = store_step(s, st, err);
    if (rc == 1)
        *out = store_col_int(st, 0);
    store_done(st);
    if (rc == 0)
        return store_fault(s, "PRAGMA data_version returned nothing", err);
    return rc < 0 ? -1 : 0;
}

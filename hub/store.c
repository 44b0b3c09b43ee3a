/* The store's handle: open (PRAGMAs, the data key, migrations, statements, the sweep of
 * customers whose key is gone), close, transactions, meta, and the bind/step helpers every
 * aggregate uses. */
#include "store_internal.h"
#include <stdio.h>
#include <unistd.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "privacy.h"

#define KEY_CHECK_META "privacy_key_check"

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
    [STORE_AGG_SAVEPOINT] = &store_savepoint_sql,
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
        case 'b': { /* const void *, size_t: a BLOB, NULL bound as NULL */
            const void *v = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = v ? sqlite3_bind_blob64(st, idx, v, n, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, idx);
            break;
        }
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
    /* secure_delete: cells freed by an erasure are zeroed, not left readable in the file.
     * temp_store=MEMORY: group commit's savepoints keep a statement journal, which past 64 KiB
     * SQLite spills to a new file in /var/tmp per transaction (14.5 % of the hub's time at 64
     * senders went to those writes; BENCHMARKS.md) */
    if (exec_pragma(s, "PRAGMA synchronous=FULL", err) ||
        exec_pragma(s, "PRAGMA foreign_keys=ON", err) ||
        exec_pragma(s, "PRAGMA secure_delete=ON", err) ||
        exec_pragma(s, "PRAGMA temp_store=MEMORY", err))
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

int store_sql_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Is anything sealed in this file (a customer with a key)? Then a missing key file is an
 * error, never a reason to make a new key that opens none of it. (A key check alone seals
 * nothing: a copy of a database without customers may take a new key.) */
static int holds_sealed(struct store *s, bool *sealed, struct proto_error *err)
{
    int64_t keyed = 0, any = 0;
    if (store_sql_int(s->db,
                      "SELECT count(*) FROM pragma_table_info('customers') WHERE name = 'key_id'",
                      &keyed) ||
        (keyed &&
         store_sql_int(s->db, "SELECT EXISTS (SELECT 1 FROM customers WHERE key_id IS NOT NULL)",
                       &any)))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read the database: %s",
                               sqlite3_errmsg(s->db));
    *sealed = any;
    return 0;
}

/* Reads the kept key check ("" when absent). */
static int key_check_get(struct store *s, char out[65], struct proto_error *err)
{
    out[0] = '\0';
    int64_t meta = 0;
    if (store_sql_int(s->db,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                      &meta))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read the database: %s",
                               sqlite3_errmsg(s->db));
    if (!meta)
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = '" KEY_CHECK_META "'",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, out, 65);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read the key check: %s",
                               sqlite3_errmsg(s->db));
    return 0;
}

/* A database sealed under another data key is refused before anything is written to it;
 * one that holds nothing sealed takes this key (*rekey: key_check_keep replaces the check). */
static int key_check_verify(struct store *s, const char *path, bool sealed, bool *rekey,
                            struct proto_error *err)
{
    char kept[65], mine[65];
    *rekey = false;
    if (key_check_get(s, kept, err))
        return -1;
    if (!kept[0])
        return 0;
    privacy_key_check(s->priv, mine);
    if (strcmp(kept, mine) == 0)
        return 0;
    if (!sealed) {
        log_warn("store", "%s: another data key, but nothing is sealed: the new key is kept", path);
        *rekey = true;
        return 0;
    }
    log_error("store", "%s was sealed under another data key", path);
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                           "wrong data key: %s was sealed under another key (check the key file "
                           "or " PRIVACY_KEY_ENV ")",
                           path);
}

/* Keeps the key check once migrations made the meta table (a new or pre-8 database), or
 * replaces it (rekey). */
static int key_check_keep(struct store *s, bool rekey, struct proto_error *err)
{
    char kept[65], mine[65];
    if (key_check_get(s, kept, err))
        return -1;
    if (kept[0] && !rekey)
        return 0;
    privacy_key_check(s->priv, mine);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                rekey ? "UPDATE meta SET value = ?2 WHERE key = ?1"
                                      : "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, KEY_CHECK_META, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, mine, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        bool again = false; /* another process kept it first: it must be this key */
        return key_check_verify(s, "the database", true, &again, err);
    }
    log_error("store", "cannot keep the key check: %s", sqlite3_errmsg(s->db));
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot keep the key check: %s",
                           sqlite3_errmsg(s->db));
}

struct key_list {
    int64_t *ids;
    size_t n, cap;
};

static int key_list_add(int64_t key_id, void *ctx)
{
    struct key_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        int64_t *ids = realloc(l->ids, cap * sizeof *ids);
        if (!ids)
            return -1;
        l->ids = ids;
        l->cap = cap;
    }
    l->ids[l->n++] = key_id;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Customers whose key is not in the key store (a backup restored after their erasure, or an
 * erasure whose commit failed after the key was destroyed) are erased now: their data can no
 * longer be read anyway, and this removes the rest (phone hash, masked copies). The customers
 * are read BEFORE the key store: a key is committed to the key store before its customer is
 * committed here, so a customer another process adds meanwhile is never taken for keyless.
 * Reads first, so an open with nothing to complete takes no write lock. */
static int sweep(struct store *s, struct proto_error *err)
{
    struct key_list cands = {0}, keys = {0}; /* cands: id, key_id pairs */
    sqlite3_stmt *st = NULL;
    int rc = -1, step;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, key_id FROM customers WHERE erased_at = 0"
                           " AND key_id IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK) {
        store_fault(s, "sweep", err);
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (key_list_add(sqlite3_column_int64(st, 0), &cands) ||
            key_list_add(sqlite3_column_int64(st, 1), &cands)) {
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto out;
        }
    }
    if (step != SQLITE_DONE) {
        store_fault(s, "sweep", err);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (cands.n == 0) {
        rc = 0;
        goto out;
    }
    if (privacy_each_key(s->priv, key_list_add, &keys, err))
        goto out;
    /* Erasures leave a few keys missing below what the key store handed out. A key store
     * that never handed out a key the database uses (an empty one, an older copy) is not
     * this database's: sweeping would erase every customer sealed since. Refuse instead. */
    int64_t issued = 0, newest = 0;
    for (size_t i = 0; i < cands.n; i += 2)
        if (cands.ids[i + 1] > newest)
            newest = cands.ids[i + 1];
    if (privacy_issued_through(s->priv, &issued, err))
        goto out;
    if (keys.n == 0 || newest > issued) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                        "the key store holds %zu key(s) up to id %lld, but %s uses keys up to"
                        " %lld: it is not this database's key store (an empty or older copy?);"
                        " restore the one that belongs with it (hub/PRIVACY.md)",
                        keys.n, (long long)issued, sqlite3_db_filename(s->db, "main"),
                        (long long)newest);
        log_error("store", "%s", err ? err->message : "wrong key store");
        goto out;
    }
    if (keys.n)
        qsort(keys.ids, keys.n, sizeof *keys.ids, cmp_i64);
    size_t gone = 0; /* the keyless customers' ids, compacted to the front of cands */
    for (size_t i = 0; i < cands.n; i += 2)
        if (!keys.n || !bsearch(&cands.ids[i + 1], keys.ids, keys.n, sizeof *keys.ids, cmp_i64))
            cands.ids[gone++] = cands.ids[i];
    if (gone == 0) {
        rc = 0;
        goto out;
    }
    struct clock clk = {0};
    (void)clock_init(&clk); /* a malformed offset leaves 0: the real time */
    int64_t now = clock_now_ms(&clk);
    if (store_begin(s, err))
        goto out;
    for (size_t i = 0; i < gone; i++) {
        /* another process may have completed it since the read: that is fine */
        struct proto_error e;
        if (store_customers_erase(s, cands.ids[i], now, &e) && e.code != PROTO_E_INVALID_STATE) {
            if (err)
                *err = e;
            store_rollback(s);
            goto out;
        }
    }
    if (store_commit(s, err))
        goto out;
    log_warn("store", "erased %zu customer(s) whose key is no longer in the key store", gone);
    struct proto_error e2;
    if (store_checkpoint_truncate(s, &e2))
        log_warn("store", "checkpoint after the sweep: %s", e2.message);
    rc = 0;
out:
    sqlite3_finalize(st);
    free(cands.ids);
    free(keys.ids);
    return rc;
}

int store_open(struct store **out, const char *path, struct proto_error *err)
{
    return store_open_with(out, path, NULL, err);
}

/* Before SQLite's first use in the process: no memory statistics, whose global mutex every
 * allocation of every connection takes (with the hub's checkpoint thread on the other core,
 * that lock's cache line moving between the cores cost 8 % of the hub's time under load).
 * Too late if something used SQLite first: then SQLite keeps its default. */
static pthread_once_t sqlite_tuned = PTHREAD_ONCE_INIT;
static const char *walbuf_vfs; /* NULL: the default VFS */
static void tune_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    walbuf_vfs = store_walbuf_register();
    if (!walbuf_vfs)
        log_warn("store", "SQLite has no default VFS to buffer WAL writes over; writing frames "
                          "one by one");
}

int store_open_with(struct store **out, const char *path, const struct privacy_opts *po,
                    struct proto_error *err)
{
    *out = NULL;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    pthread_once(&sqlite_tuned, tune_sqlite);
    /* NOMUTEX: a store is used by one thread (store.h), so its connection needs no lock of
     * its own. The WAL buffer: one write per commit instead of two per page. */
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, walbuf_vfs);
    if (rc != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot open %s: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        log_error("store", "cannot open %s: %s", path,
                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (check_readable(s, path, err) || set_pragmas(s, err) || store_migrations_check(s, err))
        goto fail;
    bool sealed = false;
    if (holds_sealed(s, &sealed, err))
        goto fail;
    struct privacy_opts popt = {.key_file = "", .keystore = ""};
    if (po)
        popt = *po;
    popt.key_file = popt.key_file ? popt.key_file : "";
    popt.keystore = popt.keystore ? popt.keystore : "";
    popt.create_key = !sealed;
    bool rekey = false;
    if (privacy_open(&s->priv, path, &popt, err) ||
        key_check_verify(s, path, sealed, &rekey, err) || store_sqlfn_register(s, err) ||
        store_migrations_apply(s, err) || key_check_keep(s, rekey, err) || prepare_all(s, err))
        goto fail;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_META, META_GET);
    if (store_bind(s, st, err, "t", "hub_id") ||
        store_one(s, st, read_text0, s->hub_id, "hub_id", err) || sweep(s, err))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

/* One hook for both: SQLite keeps one per connection. The syncer first, so its thread starts
 * on the commit while the checkpointer decides (and perhaps checkpoints inline). */
static int store_wal_hook(void *arg, sqlite3 *db, const char *name, int n_frames)
{
    struct store *s = arg;
    if (s->syncer)
        store_syncer_committed(s->syncer, db);
    if (s->ckpt)
        store_checkpointer_committed(s->ckpt, db, name, n_frames);
    return SQLITE_OK;
}

void store_wal_hook_install(struct store *s)
{
    if (s->syncer || s->ckpt)
        sqlite3_wal_hook(s->db, store_wal_hook, s);
    else
        sqlite3_wal_autocheckpoint(s->db, STORE_CHECKPOINT_PAGES);
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
    privacy_close(s->priv); /* after the handle: sf_open borrows it until then */
    free(s);
}

struct privacy *store_privacy(struct store *s)
{
    return s->priv;
}

int store_checkpoint_truncate(struct store *s, struct proto_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int busy = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED || busy)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the WAL checkpoint could not complete (a reader); retry later");
    if (rc != SQLITE_ROW)
        return store_fault(s, "PRAGMA wal_checkpoint(TRUNCATE)", err);
    return 0;
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

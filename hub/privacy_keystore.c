/* The key store: wrapped customer keys in their own SQLite file ("<database>.keystore"),
 * never in the database and so never in its backups. Destroying a row here is what makes a
 * customer's sealed data unreadable everywhere, so deletion is durable and leaves no copy:
 * secure_delete zeroes the row, synchronous=FULL commits it, and a TRUNCATE checkpoint
 * drops the WAL frames that still held it. Ids only ever grow (meta 'issued_through'). */
#include "privacy_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"          /* STORE_BUSY_TIMEOUT_MS: the same patience as the database */
#include "store_internal.h" /* store_sql_int */

#define KEYSTORE_APP_ID  0x53464b53 /* "SFKS": tells a key store from any other SQLite file */
#define KEYSTORE_VERSION 1

static const char SCHEMA[] = "CREATE TABLE keys (id INTEGER PRIMARY KEY, wrapped BLOB NOT NULL);"
                             "CREATE TABLE meta (k TEXT PRIMARY KEY, v NOT NULL);";

enum ks_stmt {
    KS_BEGIN,
    KS_COMMIT,
    KS_ROLLBACK,
    KS_GET,
    KS_PUT,
    KS_DELETE,
    KS_DISCARD,
    KS_IDS,
    KS_ISSUED_GET,
    KS_ISSUED_SET,
    KS_DATA_VERSION,
    KS__COUNT
};

static const char *const SQL[KS__COUNT] = {
    [KS_BEGIN] = "BEGIN IMMEDIATE",
    [KS_COMMIT] = "COMMIT",
    [KS_ROLLBACK] = "ROLLBACK",
    [KS_GET] = "SELECT wrapped FROM keys WHERE id = ?1",
    [KS_PUT] = "INSERT INTO keys (id, wrapped) VALUES (?1, ?2)",
    [KS_DELETE] = "DELETE FROM keys WHERE id = ?1",
    [KS_DISCARD] = "DELETE FROM keys WHERE id BETWEEN ?1 AND ?2",
    [KS_IDS] = "SELECT id FROM keys ORDER BY id",
    /* max() with the largest row too: a key store whose meta row was lost still never
     * reissues an id it holds */
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement over two lines
    [KS_ISSUED_GET] = "SELECT max(coalesce((SELECT v FROM meta WHERE k = 'issued_through'), 0),"
                      " coalesce((SELECT max(id) FROM keys), 0))",
    [KS_ISSUED_SET] = "INSERT INTO meta (k, v) VALUES ('issued_through', ?1)"
                      " ON CONFLICT (k) DO UPDATE SET v = excluded.v",
    [KS_DATA_VERSION] = "PRAGMA data_version",
};

struct privacy_keystore {
    sqlite3 *db;
    sqlite3_stmt *st[KS__COUNT];
    char path[4096];
    int64_t data_version;
};

static int fault(struct privacy_keystore *ks, const char *what, struct proto_error *err)
{
    int ext = sqlite3_extended_errcode(ks->db);
    log_error("privacy", "key store %s: %s: %s (%d)", ks->path, what, sqlite3_errmsg(ks->db), ext);
    if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "key store %s is busy", ks->path);
    return proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
}

/* Steps a prepared statement once: 1 row, 0 done, -1 fault (logged, err filled). */
static int step(struct privacy_keystore *ks, sqlite3_stmt *st, struct proto_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    fault(ks, sqlite3_sql(st), err);
    sqlite3_reset(st);
    return -1;
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int exec_stmt(struct privacy_keystore *ks, enum ks_stmt i, struct proto_error *err)
{
    int rc = step(ks, ks->st[i], err);
    done(ks->st[i]);
    return rc < 0 ? -1 : 0;
}

static void rollback(struct privacy_keystore *ks)
{
    if (sqlite3_get_autocommit(ks->db))
        return; /* nothing open, or SQLite already rolled back */
    struct proto_error e;
    if (exec_stmt(ks, KS_ROLLBACK, &e))
        log_error("privacy", "key store rollback failed: %s", e.message);
}

static int commit(struct privacy_keystore *ks, struct proto_error *err)
{
    if (exec_stmt(ks, KS_COMMIT, err) == 0)
        return 0;
    rollback(ks);
    return -1;
}

/* ---- open ---- */

/* The message names the file and, when SQLite has one, SQLite's reason ("file is not a
 * database"): the operator has to find out which file is wrong and why. */
static int unavailable(struct privacy_keystore *ks, const char *what, struct proto_error *err)
{
    const char *why = ks->db && sqlite3_errcode(ks->db) != SQLITE_OK ? sqlite3_errmsg(ks->db) : "";
    log_error("privacy", "key store %s: %s%s%s", ks->path, what, *why ? ": " : "", why);
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "key store %s: %s%s%s", ks->path, what,
                           *why ? ": " : "", why);
}

static int query_text(struct privacy_keystore *ks, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(ks->db, sql, -1, &st, NULL);
    out[0] = '\0';
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int set_pragmas(struct privacy_keystore *ks, struct proto_error *err)
{
    char mode[16];
    if (query_text(ks, "PRAGMA journal_mode=WAL", mode, sizeof mode))
        return unavailable(ks, "cannot be read", err);
    if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
        log_warn("privacy", "key store %s: journal_mode is %s, not wal", ks->path, mode);
    /* FULL: a key handed out must survive power loss, or a committed customer would have
     * no key; secure_delete: a destroyed key is zeroed in its page, not merely unlinked */
    if (sqlite3_exec(ks->db, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;", NULL, NULL,
                     NULL) != SQLITE_OK)
        return unavailable(ks, "cannot set its pragmas", err);
    return 0;
}

/* Creates the schema in an empty file, or checks that an existing one is a key store of
 * this version made under this data key. One IMMEDIATE transaction so two processes opening
 * a new key store at once do not both create it. */
static int check_or_create(struct privacy_keystore *ks, const char *key_check,
                           struct proto_error *err)
{
    if (sqlite3_exec(ks->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return unavailable(ks, "cannot be read (not an SQLite file, or locked)", err);
    int64_t app = 0, version = 0, tables = 0;
    char have[80];
    int rc = -1;
    if (store_sql_int(ks->db, "PRAGMA application_id", &app) ||
        store_sql_int(ks->db, "PRAGMA user_version", &version) ||
        store_sql_int(ks->db, "SELECT count(*) FROM sqlite_master", &tables)) {
        unavailable(ks, "cannot be read (not an SQLite file?)", err);
        goto out;
    }
    if (app == 0 && tables == 0) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "PRAGMA application_id=%d; PRAGMA user_version=%d;"
                 "INSERT INTO meta (k, v) VALUES ('key_check', '%s');",
                 KEYSTORE_APP_ID, KEYSTORE_VERSION, key_check);
        if (sqlite3_exec(ks->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(ks->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            unavailable(ks, "cannot be created", err);
            goto out;
        }
    } else if (app != KEYSTORE_APP_ID) {
        unavailable(ks, "not a Showfloor key store", err);
        goto out;
    } else if (version > KEYSTORE_VERSION) {
        unavailable(ks, "written by a newer Showfloor", err);
        goto out;
    } else if (query_text(ks, "SELECT v FROM meta WHERE k = 'key_check'", have, sizeof have) ||
               strcmp(have, key_check) != 0) {
        unavailable(ks, "made under another data key (wrong key file or SHOWFLOOR_DATA_KEY)", err);
        goto out;
    }
    if (sqlite3_exec(ks->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        unavailable(ks, "cannot be written", err);
        goto out;
    }
    rc = 0;
out:
    if (!sqlite3_get_autocommit(ks->db))
        sqlite3_exec(ks->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* SQLite creates files 0644; the key store is made 0600 first (its -wal and -shm then
 * take the same mode from it). Wrapped keys are useless without the data key, but nobody
 * else has any business reading them.
 * Only a missing file is touched: close() of ANY descriptor of a file drops every POSIX lock
 * this process holds on it, so opening and closing a key store that another handle of this
 * process (the hub's webhook or backup thread, say) has open would silently release that
 * handle's locks; another process could then take the key store for unused, checkpoint and
 * drop its WAL, and read no keys at all (it happened: customers were swept as keyless). */
static int precreate(struct privacy_keystore *ks, struct proto_error *err)
{
    struct stat sb;
    if (stat(ks->path, &sb) == 0)
        return 0;
    int fd = open(ks->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return 0; /* made meanwhile: by SQLite's rules, whoever made it holds it */
    if (fd < 0) {
        log_error("privacy", "key store %s: %s", ks->path, strerror(errno));
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "key store %s: %s", ks->path,
                               strerror(errno));
    }
    close(fd);
    return 0;
}

int privacy_keystore_open(struct privacy_keystore **out, const char *path, const char *key_check,
                          struct proto_error *err)
{
    *out = NULL;
    struct privacy_keystore *ks = calloc(1, sizeof *ks);
    if (!ks)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int n = snprintf(ks->path, sizeof ks->path, "%s", path);
    if (n < 0 || (size_t)n >= sizeof ks->path) {
        free(ks);
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "key store path is too long");
    }
    bool memory = strcmp(path, PRIVACY_KEYSTORE_MEMORY) == 0;
    if (!memory && precreate(ks, err))
        goto fail;
    int rc = sqlite3_open_v2(path, &ks->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        unavailable(ks, "cannot be opened", err);
        goto fail;
    }
    sqlite3_extended_result_codes(ks->db, 1);
    sqlite3_busy_timeout(ks->db, STORE_BUSY_TIMEOUT_MS);
    if (set_pragmas(ks, err) || check_or_create(ks, key_check, err))
        goto fail;
    for (int i = 0; i < KS__COUNT; i++) {
        if (sqlite3_prepare_v3(ks->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &ks->st[i], NULL) !=
            SQLITE_OK) {
            unavailable(ks, "cannot prepare its statements", err);
            goto fail;
        }
    }
    ks->data_version = -1;
    (void)privacy_keystore_changed(ks); /* the baseline */
    *out = ks;
    return 0;
fail:
    privacy_keystore_close(ks);
    return -1;
}

void privacy_keystore_close(struct privacy_keystore *ks)
{
    if (!ks)
        return;
    for (int i = 0; i < KS__COUNT; i++)
        sqlite3_finalize(ks->st[i]);
    if (ks->db && sqlite3_close(ks->db) != SQLITE_OK)
        log_error("privacy", "key store %s: close: %s", ks->path, sqlite3_errmsg(ks->db));
    free(ks);
}

/* ---- keys ---- */

int privacy_keystore_get(struct privacy_keystore *ks, int64_t id,
                         uint8_t wrapped[PRIVACY_WRAPPED_BYTES], struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_GET];
    sqlite3_bind_int64(st, 1, id);
    int rc = step(ks, st, err);
    if (rc == 1) {
        const void *blob = sqlite3_column_blob(st, 0);
        if (blob && sqlite3_column_bytes(st, 0) == PRIVACY_WRAPPED_BYTES) {
            memcpy(wrapped, blob, PRIVACY_WRAPPED_BYTES);
        } else {
            log_error("privacy", "key store %s: key %lld has %d bytes, not %d", ks->path,
                      (long long)id, sqlite3_column_bytes(st, 0), PRIVACY_WRAPPED_BYTES);
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
        }
    } else if (rc == 0) {
        rc = proto_error_set(err, PROTO_E_NOT_FOUND, NULL, "no key %lld", (long long)id);
    }
    done(st);
    return rc < 0 ? -1 : 0;
}

int privacy_keystore_has(struct privacy_keystore *ks, int64_t id, struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_GET];
    sqlite3_bind_int64(st, 1, id);
    int rc = step(ks, st, err);
    done(st);
    return rc;
}

static int issued_through(struct privacy_keystore *ks, int64_t *out, struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_ISSUED_GET];
    int rc = step(ks, st, err);
    if (rc == 1)
        *out = sqlite3_column_int64(st, 0);
    done(st);
    if (rc == 0)
        return fault(ks, "issued_through returned nothing", err);
    return rc < 0 ? -1 : 0;
}

int privacy_keystore_issued(struct privacy_keystore *ks, int64_t *out, struct proto_error *err)
{
    return issued_through(ks, out, err);
}

static int put(struct privacy_keystore *ks, int64_t id, const uint8_t *wrapped,
               struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_PUT];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, wrapped, PRIVACY_WRAPPED_BYTES, SQLITE_STATIC);
    int rc = step(ks, st, err);
    done(st);
    return rc < 0 ? -1 : 0;
}

int privacy_keystore_fill(struct privacy_keystore *ks, int n, privacy_keystore_wrap_fn wrap,
                          void *ctx, int64_t *first, struct proto_error *err)
{
    uint8_t wrapped[PRIVACY_WRAPPED_BYTES];
    int64_t last = 0;
    if (exec_stmt(ks, KS_BEGIN, err))
        return -1;
    if (issued_through(ks, &last, err))
        goto fail;
    *first = last + 1;
    for (int i = 0; i < n; i++) {
        int64_t id = *first + i;
        if (wrap(ctx, id, wrapped) != 0) {
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot wrap a new key");
            goto fail;
        }
        if (put(ks, id, wrapped, err))
            goto fail;
    }
    sqlite3_stmt *st = ks->st[KS_ISSUED_SET];
    sqlite3_bind_int64(st, 1, *first + n - 1);
    int rc = step(ks, st, err);
    done(st);
    if (rc < 0 || commit(ks, err))
        goto fail;
    return 0;
fail:
    rollback(ks);
    return -1;
}

int privacy_keystore_delete(struct privacy_keystore *ks, int64_t id, struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_DELETE];
    sqlite3_bind_int64(st, 1, id);
    int rc = step(ks, st, err);
    done(st);
    if (rc < 0)
        return -1;
    /* The insert's frames (and any page copies checkpointed since) still hold the wrapped
     * key until this: TRUNCATE copies the zeroed page home and empties the WAL file. It waits
     * for readers through the busy handler; an in-memory store has no WAL and returns OK. */
    int log_frames = -1, ckpt = -1;
    rc = sqlite3_wal_checkpoint_v2(ks->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &ckpt);
    if (rc != SQLITE_OK) {
        log_warn("privacy", "key store %s: checkpoint after destroying key %lld: %s", ks->path,
                 (long long)id, sqlite3_errmsg(ks->db));
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "key store %s: the checkpoint could not complete; retry", ks->path);
    }
    return 0;
}

int privacy_keystore_discard(struct privacy_keystore *ks, int64_t first, int64_t last,
                             struct proto_error *err)
{
    sqlite3_stmt *st = ks->st[KS_DISCARD];
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, last);
    int rc = step(ks, st, err);
    done(st);
    return rc < 0 ? -1 : 0;
}

int privacy_keystore_ids(struct privacy_keystore *ks, int64_t **ids, size_t *n,
                         struct proto_error *err)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = ks->st[KS_IDS];
    int rc;
    while ((rc = step(ks, st, err)) == 1) {
        if (*n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            int64_t *grown = realloc(*ids, ncap * sizeof **ids);
            if (!grown) {
                rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
                break;
            }
            *ids = grown;
            cap = ncap;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    done(st);
    if (rc < 0) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

bool privacy_keystore_changed(struct privacy_keystore *ks)
{
    sqlite3_stmt *st = ks->st[KS_DATA_VERSION];
    int64_t v = -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    bool changed = v != ks->data_version || v == -2;
    ks->data_version = v;
    return changed;
}

/* Online backups of the hub's database with SQLite's backup API, and the checks a copy must
 * pass before anyone relies on it (store_backup.h is the contract). */
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "store_backup_internal.h"
#include "store_internal.h"

static const char *const refusal_codes[] = {
#define STORE_BACKUP_X_CODE(name, code) code,
    STORE_BACKUP_REFUSAL_MAP(STORE_BACKUP_X_CODE)
#undef STORE_BACKUP_X_CODE
};

const char *store_backup_refusal_code(enum store_backup_refusal r)
{
    if ((int)r < 0 || r >= STORE_BACKUP__REFUSALS)
        return refusal_codes[STORE_BACKUP_NONE];
    return refusal_codes[r];
}

int store_backup_refuse(enum store_backup_refusal *why, enum store_backup_refusal r,
                        struct proto_error *err, enum proto_err code, const char *fmt, ...)
{
    if (why)
        *why = r;
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return proto_error_set(err, code, NULL, "%s", msg);
}

/* One integer from the first column of the first row of `sql`. SQLite's result code. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* One text value the same way, copied into buf ("" for no row or NULL). */
static int query_text(sqlite3 *db, const char *sql, char *buf, size_t sz)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(buf, sz, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The refusal a failed read of `path` means: an unreadable header is not a database, a
 * corrupt page is damage, anything else is an I/O fault. */
static int read_fault(sqlite3 *db, int rc, const char *path, enum store_backup_refusal *why,
                      struct proto_error *err)
{
    if ((rc & 0xff) == SQLITE_NOTADB)
        return store_backup_refuse(why, STORE_BACKUP_NOT_A_DATABASE, err, PROTO_E_BAD_FIELD,
                                   "%s is not a database (not an SQLite file)", path);
    if ((rc & 0xff) == SQLITE_CORRUPT)
        return store_backup_refuse(why, STORE_BACKUP_DAMAGED, err, PROTO_E_BAD_FIELD,
                                   "%s is damaged (SQLite reports corruption: %s)", path,
                                   sqlite3_errmsg(db));
    return store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                               "cannot read %s: %s", path, sqlite3_errmsg(db));
}

/* PRAGMA integrity_check answers one row "ok", or up to 100 rows naming the damage. */
static int check_integrity(sqlite3 *db, const char *path, enum store_backup_refusal *why,
                           struct proto_error *err)
{
    char first[160];
    int rc = query_text(db, "PRAGMA integrity_check", first, sizeof first);
    if (rc != SQLITE_OK)
        return read_fault(db, rc, path, why, err);
    if (strcmp(first, "ok") != 0)
        return store_backup_refuse(why, STORE_BACKUP_DAMAGED, err, PROTO_E_BAD_FIELD,
                                   "%s is damaged: integrity_check says \"%s\"", path, first);
    return 0;
}

int store_backup_check(const char *path, bool standalone, struct store_backup_info *out,
                       enum store_backup_refusal *why, struct proto_error *err)
{
    struct store_backup_info info;
    memset(&info, 0, sizeof info);
    if (why)
        *why = STORE_BACKUP_NONE;
    struct stat stt;
    if (stat(path, &stt) != 0 || !S_ISREG(stt.st_mode))
        return store_backup_refuse(why, STORE_BACKUP_MISSING, err, PROTO_E_NOT_FOUND,
                                   "%s: no such file (or not a regular file)", path);
    int64_t t0 = clock_mono_ms();
    sqlite3 *db = NULL;
    int flags = standalone ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE, "cannot open %s: %s",
                            path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    int ret = -1;
    int64_t app = 0, version = 0, has_audit = 0;
    rc = query_int(db, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = query_int(db, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) {
        read_fault(db, rc, path, why, err);
        goto out;
    }
    if (app != STORE_APPLICATION_ID) {
        store_backup_refuse(why, STORE_BACKUP_FOREIGN, err, PROTO_E_BAD_FIELD,
                            "%s is an SQLite file but not a Showfloor database", path);
        goto out;
    }
    if (version > store_schema_version()) {
        store_backup_refuse(
            why, STORE_BACKUP_NEWER_SCHEMA, err, PROTO_E_BAD_FIELD,
            "%s has schema version %lld, newer than this program's (%d); run a newer "
            "Showfloor",
            path, (long long)version, store_schema_version());
        goto out;
    }
    if (check_integrity(db, path, why, err))
        goto out;
    info.schema_version = (int)version;
    rc = query_text(db, "SELECT value FROM meta WHERE key = 'hub_id'", info.hub_id,
                    sizeof info.hub_id);
    if (rc == SQLITE_OK)
        rc = query_int(db, "SELECT coalesce(max(seq), 0) FROM events", &info.last_seq);
    if (rc == SQLITE_OK)
        rc = query_int(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                       "name = 'audit'",
                       &has_audit);
    if (rc == SQLITE_OK && has_audit)
        rc = query_int(db, "SELECT count(*) FROM audit", &info.audit_records);
    if (rc == SQLITE_OK)
        rc = query_int(db, "PRAGMA page_count", &info.pages);
    if (rc == SQLITE_OK)
        rc = query_int(db, "PRAGMA page_size", &info.page_size);
    if (rc != SQLITE_OK) {
        read_fault(db, rc, path, why, err);
        goto out;
    }
    if (standalone) {
        char mode[16];
        rc = query_text(db, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
        if (rc != SQLITE_OK || strcmp(mode, "delete") != 0) {
            store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                                "cannot make %s a single file: %s", path,
                                rc != SQLITE_OK ? sqlite3_errmsg(db) : mode);
            goto out;
        }
    }
    info.ms = clock_mono_ms() - t0;
    if (out)
        *out = info;
    ret = 0;
out:
    if (sqlite3_close(db) != SQLITE_OK)
        log_error("store", "close %s: %s", path, sqlite3_errmsg(db));
    return ret;
}

int store_backup_sync(const char *path, bool dir)
{
    int fd = open(path, O_RDONLY | (dir ? O_DIRECTORY : 0) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

void store_backup_dir_of(const char *path, char *buf, size_t sz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, sz, ".");
    else if (slash == path)
        snprintf(buf, sz, "/");
    else
        snprintf(buf, sz, "%.*s", (int)(slash - path), path);
}

void store_backup_remove(const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
    char p[STORE_BACKUP_PATH_MAX];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (snprintf(p, sizeof p, "%s%s", path, ext[i]) < (int)sizeof p)
            unlink(p);
}

/* Copies every page of s's snapshot into a new file at tmp, step by step. */
static int copy_pages(struct store *s, const char *tmp, const struct store_backup_opts *opt,
                      int64_t *steps, struct proto_error *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot create %s: %s", tmp,
                        dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        sqlite3_close(dst);
        return -1;
    }
    int ret = -1;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
    if (!b) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot start the backup: %s",
                        sqlite3_errmsg(dst));
        goto out;
    }
    int pages = opt && opt->step_pages > 0 ? opt->step_pages : STORE_BACKUP_STEP_PAGES;
    int pause = opt && opt->sleep_ms >= 0 ? opt->sleep_ms : STORE_BACKUP_SLEEP_MS;
    do {
        if (opt && opt->cancel && atomic_load(opt->cancel)) {
            sqlite3_backup_finish(b);
            proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cancelled");
            goto out;
        }
        rc = sqlite3_backup_step(b, pages);
        ++*steps;
        /* BUSY/LOCKED can only come from the destination, which nobody else knows about;
         * retrying after the pause is what SQLite's documentation asks for. */
        if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(pause);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    rc = sqlite3_backup_finish(b);
    if (rc != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "the backup failed: %s",
                        sqlite3_errstr(rc));
        goto out;
    }
    ret = 0;
out:
    if (sqlite3_close(dst) != SQLITE_OK && ret == 0)
        ret = proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot close %s: %s", tmp,
                              sqlite3_errmsg(dst));
    return ret;
}

int store_backup_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int store_backup_to(struct store *s, const char *path, const struct store_backup_opts *opt,
                    struct store_backup_info *out, enum store_backup_refusal *why,
                    struct proto_error *err)
{
    if (why)
        *why = STORE_BACKUP_NONE;
    int64_t t0 = clock_mono_ms();
    char tmp[STORE_BACKUP_PATH_MAX], dir[STORE_BACKUP_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return proto_error_set(err, PROTO_E_TOO_LONG, NULL, "the backup path is too long");
    const char *db_file = sqlite3_db_filename(s->db, "main");
    struct stat st;
    if (db_file && *db_file && store_backup_same_file(path, db_file))
        return store_backup_refuse(why, STORE_BACKUP_SAME_FILE, err, PROTO_E_BAD_FIELD,
                                   "%s is the database itself", path);
    if (lstat(path, &st) == 0 && !(opt && opt->replace))
        return store_backup_refuse(why, STORE_BACKUP_EXISTS, err, PROTO_E_INVALID_STATE,
                                   "%s exists (choose another name, or replace it with --force)",
                                   path);
    store_backup_remove(tmp); /* a leftover of an interrupted run: ours by its name */

    /* The read transaction pins one state of the database for the whole copy: without it,
     * a commit by the hub between two steps would make SQLite start the copy again. */
    int64_t steps = 0;
    if (store_begin_read(s, err))
        return -1;
    char probe[8];
    int rc = query_text(s->db, "SELECT 1 FROM sqlite_master LIMIT 1", probe, sizeof probe);
    if (rc != SQLITE_OK) {
        store_rollback(s);
        return store_fault(s, "backup: read the source", err);
    }
    rc = copy_pages(s, tmp, opt, &steps, err);
    store_rollback(s);
    if (rc)
        goto fail;

    struct store_backup_info info;
    if (store_backup_check(tmp, true, &info, why, err))
        goto fail;
    if (info.schema_version != store_schema_version()) {
        /* the source was opened by store_open, so it is at this program's version */
        store_backup_refuse(why, STORE_BACKUP_DAMAGED, err, PROTO_E_INTERNAL,
                            "the copy %s has another schema version than its source", tmp);
        goto fail;
    }
    char side[STORE_BACKUP_PATH_MAX + 8];
    snprintf(side, sizeof side, "%s-wal", tmp);
    if (access(side, F_OK) == 0) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "the copy %s still has a -wal file", tmp);
        goto fail;
    }
    store_backup_dir_of(path, dir, sizeof dir);
    /* personal data: only the hub's user may read a backup */
    if (chmod(tmp, 0600) != 0 || store_backup_sync(tmp, false) != 0 || rename(tmp, path) != 0 ||
        store_backup_sync(dir, true) != 0) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot write %s: %s", path,
                        strerror(errno));
        goto fail;
    }
    info.steps = steps;
    info.ms = clock_mono_ms() - t0;
    if (out)
        *out = info;
    return 0;
fail:
    store_backup_remove(tmp);
    return -1;
}

/* Restore: puts a checked backup in place of the hub's database, refusing while any process
 * has the database open, and keeping the database it replaces (store_backup.h is the
 * contract; hub/README.md "Backups" the operator's view). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "privacy.h"
#include "store_backup.h"
#include "store_backup_internal.h"
#include "store_internal.h"

#define RESTORE_TMP_SUFFIX  ".restore-tmp"
#define RESTORE_KEPT_SUFFIX ".before-restore-"

/* Byte copy of src to a new file dst (mode 0600), fsynced. 0 or -1 with errno. */
static int restore_copy_bytes(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int saved = errno;
        close(in);
        errno = saved;
        return -1;
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        for (ssize_t off = 0; off < n && rc == 0;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno != EINTR)
                rc = -1;
            else if (w > 0)
                off += w;
        }
        if (rc)
            break;
    }
    if (rc == 0)
        rc = fsync(out);
    int saved = errno;
    close(in);
    if (close(out) != 0 && rc == 0)
        rc = -1;
    else
        errno = saved;
    return rc;
}

/* Step 2: the private copy at tmp is checked, migrated and its audit chain verified. It is
 * opened with the keys of db_path (the live key store: customers erased since the backup are
 * erased in the copy by the open-time sweep). */
static int restore_check_copy(const char *tmp, const char *db_path, bool force,
                              struct store_restore_result *out, enum store_backup_refusal *why,
                              struct proto_error *err)
{
    if (store_backup_check(tmp, true, &out->backup, why, err))
        return -1;
    char key_file[STORE_BACKUP_PATH_MAX + 16], keystore[STORE_BACKUP_PATH_MAX + 16];
    snprintf(key_file, sizeof key_file, "%s%s", db_path, PRIVACY_KEY_SUFFIX);
    snprintf(keystore, sizeof keystore, "%s%s", db_path, PRIVACY_KEYSTORE_SUFFIX);
    struct privacy_opts po = {.key_file = key_file, .keystore = keystore};
    struct store *s = NULL;
    if (store_open_with(&s, tmp, &po, err) != 0) {
        /* a missing or other data key is not the backup's fault: the message says which */
        if (why)
            *why =
                err && strstr(err->message, "data key") ? STORE_BACKUP_NONE : STORE_BACKUP_DAMAGED;
        return -1;
    }
    int rc = store_audit_verify(s, &out->audit, err);
    out->schema_version = store_schema_version();
    store_close(s);
    if (rc)
        return -1;
    if (!out->audit.ok && !force)
        return store_backup_refuse(why, STORE_BACKUP_AUDIT_BROKEN, err, PROTO_E_INVALID_STATE,
                                   "the backup's audit trail does not verify (record %lld: %s); "
                                   "--force restores it anyway",
                                   (long long)out->audit.bad_id, out->audit.reason);
    return 0;
}

static int restore_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Step 3: locks the current database against every other process, compares installations,
 * folds its WAL in and keeps a copy. *held gets the connection that holds the lock (closed
 * by the caller after the rename). */
static int restore_take_current(const char *db_path, const struct store_restore_opts *opt,
                                struct store_restore_result *out, sqlite3 **held,
                                enum store_backup_refusal *why, struct proto_error *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE, "cannot open %s: %s",
                            db_path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return -1;
    }
    *held = db;
    sqlite3_extended_result_codes(db, 1);
    /* No busy timeout: a lock that is not free at once means someone has the file open. */
    sqlite3_busy_timeout(db, 0);
    rc = restore_exec(db, "PRAGMA locking_mode=EXCLUSIVE");
    if (rc == SQLITE_OK)
        rc = restore_exec(db, "BEGIN EXCLUSIVE");
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return store_backup_refuse(why, STORE_BACKUP_IN_USE, err, PROTO_E_UNAVAILABLE,
                                   "%s is in use: stop the hub (and any showfloor command on it) "
                                   "before restoring",
                                   db_path);
    if (rc != SQLITE_OK)
        return store_backup_refuse(why, STORE_BACKUP_DAMAGED, err, PROTO_E_UNAVAILABLE,
                                   "cannot lock the current database %s: %s (move it away by hand "
                                   "if it is damaged beyond opening)",
                                   db_path, sqlite3_errmsg(db));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'hub_id'", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out->current_hub_id, sizeof out->current_hub_id, "%s",
                 (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    rc = restore_exec(db, "COMMIT");
    if (rc != SQLITE_OK)
        return store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                                   "cannot lock %s: %s", db_path, sqlite3_errmsg(db));
    if (out->current_hub_id[0] && out->backup.hub_id[0] &&
        strcmp(out->current_hub_id, out->backup.hub_id) != 0 && !opt->force)
        return store_backup_refuse(why, STORE_BACKUP_OTHER_HUB, err, PROTO_E_INVALID_STATE,
                                   "the backup comes from another installation (hub_id %.12s..., "
                                   "this database %.12s...); --force restores it anyway",
                                   out->backup.hub_id, out->current_hub_id);
    /* Out of WAL: its frames are folded into the file and the -wal removed, so nothing of the
     * old database can be replayed onto the restored one. In exclusive locking mode the lock
     * taken above is kept across this and the statements after it. */
    char mode[16] = "";
    st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (strcmp(mode, "delete") != 0 || restore_exec(db, "BEGIN EXCLUSIVE") != SQLITE_OK ||
        restore_exec(db, "COMMIT") != SQLITE_OK)
        return store_backup_refuse(why, STORE_BACKUP_IN_USE, err, PROTO_E_UNAVAILABLE,
                                   "cannot take %s out of WAL mode: %s", db_path,
                                   sqlite3_errmsg(db));

    /* The kept copy: a second restore within the same second gets "-2", "-3", ... */
    time_t secs = (time_t)(opt->now / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    for (int n = 1; n < 100; n++) {
        char suffix[8] = "";
        if (n > 1)
            snprintf(suffix, sizeof suffix, "-%d", n);
        snprintf(out->kept, sizeof out->kept, "%s%s%s%s", db_path, RESTORE_KEPT_SUFFIX, stamp,
                 suffix);
        struct stat stt;
        if (lstat(out->kept, &stt) != 0)
            break;
    }
    sqlite3 *keep = NULL;
    rc = sqlite3_open_v2(out->kept, &keep, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(keep, "main", db, "main") : NULL;
    if (b) {
        sqlite3_backup_step(b, -1);
        rc = sqlite3_backup_finish(b);
    } else if (rc == SQLITE_OK) {
        rc = sqlite3_errcode(keep);
    }
    if (sqlite3_close(keep) != SQLITE_OK && rc == SQLITE_OK)
        rc = SQLITE_IOERR;
    if (rc != SQLITE_OK || chmod(out->kept, 0600) != 0 ||
        store_backup_sync(out->kept, false) != 0) {
        store_backup_remove(out->kept);
        return store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                                   "cannot keep a copy of the current database as %s: %s",
                                   out->kept,
                                   rc != SQLITE_OK ? sqlite3_errstr(rc) : strerror(errno));
    }
    out->replaced = true;
    return 0;
}

int store_restore(const char *backup, const char *db_path, const struct store_restore_opts *opt,
                  struct store_restore_result *out, enum store_backup_refusal *why,
                  struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    if (why)
        *why = STORE_BACKUP_NONE;
    char tmp[STORE_BACKUP_PATH_MAX], side[STORE_BACKUP_PATH_MAX + 8], dir[STORE_BACKUP_PATH_MAX];
    if (strlen(db_path) + 40 >= sizeof tmp)
        return proto_error_set(err, PROTO_E_TOO_LONG, NULL, "the database path is too long");
    snprintf(tmp, sizeof tmp, "%s" RESTORE_TMP_SUFFIX, db_path);
    struct stat st;
    if (stat(backup, &st) != 0 || !S_ISREG(st.st_mode))
        return store_backup_refuse(why, STORE_BACKUP_MISSING, err, PROTO_E_NOT_FOUND,
                                   "%s: no such file (or not a regular file)", backup);
    if (store_backup_same_file(backup, db_path))
        return store_backup_refuse(why, STORE_BACKUP_SAME_FILE, err, PROTO_E_BAD_FIELD,
                                   "%s is the database itself", backup);

    /* 1. a private copy: the backup file is read, never opened by SQLite */
    store_backup_remove(tmp); /* a leftover of an interrupted restore: ours by its name */
    if (restore_copy_bytes(backup, tmp) != 0) {
        int saved = errno;
        store_backup_remove(tmp);
        return store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                                   "cannot copy %s to %s: %s", backup, tmp, strerror(saved));
    }
    sqlite3 *held = NULL;
    int rc = -1;
    /* 2. checks, migrations, audit chain */
    if (restore_check_copy(tmp, db_path, opt->force, out, why, err))
        goto out;
    snprintf(side, sizeof side, "%s-wal", tmp);
    if (access(side, F_OK) == 0 || store_backup_sync(tmp, false) != 0) {
        store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_INTERNAL,
                            "the restored copy %s could not be closed cleanly", tmp);
        goto out;
    }
    /* 3. the current database, locked until the rename is done */
    if (lstat(db_path, &st) == 0) {
        if (restore_take_current(db_path, opt, out, &held, why, err))
            goto out;
        /* the hub runs as the owner of the file it had: restoring as root must not leave it
         * a database it cannot open */
        if (chmod(tmp, st.st_mode & 07777) != 0 ||
            ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
             chown(tmp, st.st_uid, st.st_gid) != 0)) {
            store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                                "cannot give the restored database the owner and mode of %s: %s "
                                "(run the restore as its owner or as root)",
                                db_path, strerror(errno));
            goto out;
        }
    }
    snprintf(side, sizeof side, "%s-wal", db_path);
    if (access(side, F_OK) == 0) {
        /* with the lock held and the journal mode DELETE this is a -wal without a database */
        store_backup_refuse(why, STORE_BACKUP_IN_USE, err, PROTO_E_UNAVAILABLE,
                            "%s exists without its database; move it away first", side);
        goto out;
    }
    /* A stale -shm is harmless (the first connection rebuilds it) but misleading: it goes. */
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    /* 4. the swap */
    store_backup_dir_of(db_path, dir, sizeof dir);
    if (rename(tmp, db_path) != 0 || store_backup_sync(dir, true) != 0) {
        store_backup_refuse(why, STORE_BACKUP_NONE, err, PROTO_E_UNAVAILABLE,
                            "cannot replace %s: %s", db_path, strerror(errno));
        goto out;
    }
    log_info("store", "restored %s from %s (schema %d -> %d, kept %s)", db_path, backup,
             out->backup.schema_version, out->schema_version,
             out->replaced ? out->kept : "nothing");
    rc = 0;
out:
    if (rc)
        store_backup_remove(tmp);
    if (held)
        sqlite3_close(held); /* the lock ends after the swap */
    return rc;
}

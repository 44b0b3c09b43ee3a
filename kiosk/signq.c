/* Offline sign-off queue in SQLite (see signq.h). UI thread only. */
#include "signq.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#define SIGNQ_VERSION 1

enum signq_stmt {
    SQ_PUT,
    SQ_DELETE,
    SQ_FAIL,
    SQ_ATTEMPT,
    SQ_LIST,
    SQ_COUNT,
    SQ_ARGS,
    SQ__N,
};

static const char *const signq_sql[SQ__N] = {
    [SQ_PUT] = "INSERT OR IGNORE INTO signoffs(id, order_no, staff_no, args, created_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5)",
    [SQ_DELETE] = "DELETE FROM signoffs WHERE id = ?1",
    [SQ_FAIL] = "UPDATE signoffs SET state = 1, error_code = ?2, error_message = ?3 WHERE id = ?1",
    [SQ_ATTEMPT] = "UPDATE signoffs SET attempts = attempts + 1 WHERE id = ?1",
    [SQ_LIST] = "SELECT id, order_no, staff_no, state, created_at, attempts, "
                "coalesce(error_code, ''), coalesce(error_message, '') FROM signoffs "
                "WHERE (?1 IS NULL OR staff_no = ?1) AND (?2 < 0 OR state = ?2) "
                "ORDER BY created_at, id",
    [SQ_COUNT] = "SELECT count(*) FROM signoffs WHERE ?1 < 0 OR state = ?1",
    [SQ_ARGS] = "SELECT args FROM signoffs WHERE id = ?1",
};

struct signq {
    sqlite3 *db;
    sqlite3_stmt *st[SQ__N];
};

/* mkdir -p with mode 0700 for the directories it creates. */
static int signq_mkdirs(const char *dir, char *err, size_t errsz)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errsz, "state directory path too long");
        return -1;
    }
    for (char *p = path + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST) {
                snprintf(err, errsz, "%s: %s", path, strerror(errno));
                return -1;
            }
            *p = c;
        }
        if (end)
            break;
    }
    return 0;
}

static int signq_exec(struct signq *q, const char *sql, char *err, size_t errsz)
{
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errsz, "%s", msg ? msg : sqlite3_errmsg(q->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

struct signq *signq_open(const char *dir, char *err, size_t errsz)
{
    char path[4096];
    if (signq_mkdirs(dir, err, errsz) != 0)
        return NULL;
    if (snprintf(path, sizeof path, "%s/%s", dir, SIGNQ_FILE) >= (int)sizeof path) {
        snprintf(err, errsz, "state directory path too long");
        return NULL;
    }
    struct signq *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, q->db ? sqlite3_errmsg(q->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(q->db, 2000);
    /* FULL: a sign-off reported "saved on this kiosk" is on disk even after a power cut. */
    if (signq_exec(q, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", err, errsz) != 0)
        goto fail;
    sqlite3_stmt *v;
    int version = -1;
    if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &v, NULL) == SQLITE_OK) {
        if (sqlite3_step(v) == SQLITE_ROW)
            version = sqlite3_column_int(v, 0);
        sqlite3_finalize(v);
    }
    if (version < 0) {
        snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(q->db));
        goto fail;
    }
    if (version > SIGNQ_VERSION) {
        snprintf(err, errsz, "%s: made by a newer kiosk (version %d > %d); refusing to touch it",
                 path, version, SIGNQ_VERSION);
        goto fail;
    }
    if (version < 1 &&
        signq_exec(q,
                   "BEGIN;"
                   "CREATE TABLE signoffs(id TEXT PRIMARY KEY, order_no TEXT NOT NULL,"
                   " staff_no TEXT NOT NULL, args TEXT NOT NULL, created_at INTEGER NOT NULL,"
                   " attempts INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL DEFAULT 0,"
                   " error_code TEXT, error_message TEXT);"
                   "PRAGMA user_version = 1;"
                   "COMMIT;",
                   err, errsz) != 0)
        goto fail;
    for (int i = 0; i < SQ__N; i++) {
        if (sqlite3_prepare_v2(q->db, signq_sql[i], -1, &q->st[i], NULL) != SQLITE_OK) {
            snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(q->db));
            goto fail;
        }
    }
    return q;
fail:
    signq_close(q);
    return NULL;
}

void signq_close(struct signq *q)
{
    if (!q)
        return;
    for (int i = 0; i < SQ__N; i++)
        sqlite3_finalize(q->st[i]);
    sqlite3_close(q->db);
    free(q);
}

/* Steps a write statement to its end and resets it. 0 or -1. */
static int signq_run(struct signq *q, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "showfloor-kiosk: sign-off queue: %s\n", sqlite3_errmsg(q->db));
        return -1;
    }
    return 0;
}

int signq_put(struct signq *q, const char *id, const char *order_no, const char *staff_no,
              const char *args_json, int64_t now)
{
    sqlite3_stmt *st = q->st[SQ_PUT];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, order_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, staff_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, args_json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    return signq_run(q, st);
}

int signq_delete(struct signq *q, const char *id)
{
    sqlite3_stmt *st = q->st[SQ_DELETE];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return signq_run(q, st);
}

int signq_fail(struct signq *q, const char *id, const char *code, const char *message)
{
    sqlite3_stmt *st = q->st[SQ_FAIL];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, message, -1, SQLITE_STATIC);
    return signq_run(q, st);
}

int signq_attempt(struct signq *q, const char *id)
{
    sqlite3_stmt *st = q->st[SQ_ATTEMPT];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return signq_run(q, st);
}

static void signq_col(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(out, outsz, "%s", s ? (const char *)s : "");
}

int signq_list(struct signq *q, const char *staff_no, int state, struct signq_item *out, int max)
{
    sqlite3_stmt *st = q->st[SQ_LIST];
    if (staff_no)
        sqlite3_bind_text(st, 1, staff_no, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int(st, 2, state);
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct signq_item *it = &out[n++];
        memset(it, 0, sizeof *it);
        signq_col(st, 0, it->id, sizeof it->id);
        signq_col(st, 1, it->order_no, sizeof it->order_no);
        signq_col(st, 2, it->staff_no, sizeof it->staff_no);
        it->state = sqlite3_column_int(st, 3) ? SIGNQ_FAILED : SIGNQ_QUEUED;
        it->created_at = sqlite3_column_int64(st, 4);
        it->attempts = sqlite3_column_int(st, 5);
        signq_col(st, 6, it->error_code, sizeof it->error_code);
        signq_col(st, 7, it->error_message, sizeof it->error_message);
    }
    bool bad = n < max && rc != SQLITE_DONE;
    if (bad)
        fprintf(stderr, "showfloor-kiosk: sign-off queue: %s\n", sqlite3_errmsg(q->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return bad ? -1 : n;
}

int signq_count(struct signq *q, int state)
{
    sqlite3_stmt *st = q->st[SQ_COUNT];
    sqlite3_bind_int(st, 1, state);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

char *signq_args(struct signq *q, const char *id)
{
    sqlite3_stmt *st = q->st[SQ_ARGS];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 0);
        out = s ? strdup((const char *)s) : NULL;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

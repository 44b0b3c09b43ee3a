/* The WAL write buffer (hub/store_walbuf.c): a commit reaches the WAL in one write instead of
 * two per page, and nothing about what is on disk, or what another connection reads, changes.
 * The default VFS's write system call is swapped for a counting one (xSetSystemCall), which
 * can also fail on demand as a full disk would. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_internal.h"
#include "test_pwrite_fault.h"

#define FRAME (24 + 4096)
#define ROW   3000 /* bytes of payload per row: most of a page */

static const char *vfs;
static char path[64];

static int setup(void **state)
{
    (void)state;
    vfs = store_walbuf_register();
    assert_non_null(vfs);
    pwrite_fault_install();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pwrite_fault_remove();
    return 0;
}

static void remove_files(void)
{
    char p[96];
    const char *ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
}

static sqlite3 *open_db(const char *with_vfs, const char *sync)
{
    sqlite3 *db = NULL;
    assert_int_equal(
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, with_vfs),
        SQLITE_OK);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA wal_autocheckpoint=0"); /* commits write the WAL only */
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s", sync);
    exec(db, pragma);
    return db;
}

static sqlite3 *fresh_db(const char *sync)
{
    snprintf(path, sizeof path, "/tmp/sf-test-walbuf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    remove_files();
    sqlite3 *db = open_db(vfs, sync);
    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    return db;
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void assert_intact(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
}

/* rows [from, from + n) in one transaction; each row's bytes say its id */
static int insert_rows(sqlite3 *db, int from, int n)
{
    static unsigned char body[ROW];
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return rc;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t (id, body) VALUES (?1, ?2)", -1, &st, NULL),
        SQLITE_OK);
    for (int i = from; rc == SQLITE_OK && i < from + n; i++) {
        memset(body, 'a' + i % 26, sizeof body);
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_blob(st, 2, body, sizeof body, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(db);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite3_extended_errcode(db);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* every row of [0, n) present, with its own bytes */
static void assert_rows(sqlite3 *db, int n)
{
    assert_int_equal(query_int(db, "SELECT count(*) FROM t"), n);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM t WHERE body = zeroblob(%d) OR"
             " hex(substr(body, %d, 1)) <> hex(char(97 + id %% 26)) OR length(body) <> %d",
             ROW, ROW, ROW);
    assert_int_equal(query_int(db, sql), 0);
}

/* The end of each case: another connection, through the default VFS, reads `rows` intact
 * rows; then both close and the files go. */
static void check_and_close(sqlite3 *db, int rows)
{
    sqlite3 *other = open_db(NULL, "FULL");
    assert_rows(other, rows);
    assert_intact(other);
    sqlite3_close(other);
    sqlite3_close(db);
    remove_files();
}

static off_t wal_size(void)
{
    char p[96];
    snprintf(p, sizeof p, "%s-wal", path);
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : 0;
}

/* The point of it: a commit of 10 pages is one write, where the default VFS makes two per
 * page. */
static void test_a_commit_is_one_write(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("FULL");
    assert_int_equal(insert_rows(db, 0, 1), SQLITE_OK); /* past the WAL's header */
    off_t before = wal_size();
    pwrite_fault_calls = 0;
    assert_int_equal(insert_rows(db, 1, 10), SQLITE_OK);
    int frames = (int)((wal_size() - before) / FRAME);
    assert_true(frames >= 10);
    assert_int_equal(pwrite_fault_calls, 1);
    sqlite3_close(db);

    /* the same through the default VFS, for the comparison to mean something */
    db = open_db(NULL, "FULL");
    before = wal_size();
    pwrite_fault_calls = 0;
    assert_int_equal(insert_rows(db, 11, 10), SQLITE_OK);
    frames = (int)((wal_size() - before) / FRAME);
    assert_true(frames >= 10 && pwrite_fault_calls >= 2 * frames);
    assert_rows(db, 21);
    sqlite3_close(db);
    remove_files();
}

/* A commit larger than the default VFS writes in one call (128 KiB) goes out in pieces, and
 * another connection reads every row of it. */
static void test_a_large_commit_is_whole(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("FULL");
    pwrite_fault_calls = 0;
    assert_int_equal(insert_rows(db, 0, 400), SQLITE_OK); /* ~1.6 MB of frames */
    assert_true(wal_size() > 1000 * 1000);
    assert_true(pwrite_fault_calls >= 10 && pwrite_fault_calls <= 20);
    check_and_close(db, 400);
}

/* Under synchronous=NORMAL a commit does not sync the WAL: its frames must still be in the
 * file when the commit becomes visible, since another connection reads them from there. */
static void test_another_connection_reads_each_commit(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("NORMAL");
    sqlite3 *other = open_db(NULL, "FULL");
    for (int i = 0; i < 30; i++) {
        assert_int_equal(insert_rows(db, i * 3, 3), SQLITE_OK);
        assert_rows(other, (i + 1) * 3);
    }
    assert_intact(other);
    sqlite3_close(other);
    sqlite3_close(db);
    remove_files();
}

/* A full disk fails the commit that could not be written, takes nothing else with it, and the
 * next commit after space is back succeeds. */
static void test_a_failed_write_fails_its_commit(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("FULL");
    assert_int_equal(insert_rows(db, 0, 5), SQLITE_OK);
    pwrite_fault_fail = 1;
    assert_int_equal(insert_rows(db, 5, 5) & 0xff, SQLITE_FULL);
    pwrite_fault_fail = 0;
    assert_rows(db, 5);
    assert_int_equal(insert_rows(db, 5, 5), SQLITE_OK);
    assert_rows(db, 10);
    check_and_close(db, 10);
}

/* A process that dies without closing keeps every commit that returned, and none that did
 * not. */
static void test_a_crash_keeps_each_returned_commit(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("FULL");
    sqlite3_close(db);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *c = open_db(vfs, "FULL");
        for (int i = 0; i < 20; i++)
            if (insert_rows(c, i * 2, 2) != SQLITE_OK)
                _exit(1);
        /* begun, written (a transaction this large spills pages into the WAL before its
         * commit), never committed */
        exec(c, "PRAGMA cache_size=4");
        exec(c, "BEGIN IMMEDIATE");
        exec(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                " INSERT INTO t (id, body) SELECT 1000 + i, zeroblob(3000) FROM n");
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    db = open_db(NULL, "FULL");
    assert_rows(db, 40);
    assert_intact(db);
    sqlite3_close(db);
    remove_files();
}

/* A transaction larger than the page cache writes pages into the WAL before its commit and
 * may write one again (and rewrites checksums): the rewrites land where SQLite meant them. */
static void test_rewritten_frames_land_in_place(void **state)
{
    (void)state;
    sqlite3 *db = fresh_db("FULL");
    exec(db, "PRAGMA cache_size=10");
    assert_int_equal(insert_rows(db, 0, 60), SQLITE_OK);
    exec(db, "BEGIN IMMEDIATE");
    for (int i = 0; i < 60; i += 3) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "UPDATE t SET body = substr(body, 1, 2999) || char(97 + id %% 26)"
                 " WHERE id BETWEEN %d AND %d",
                 i, i + 12);
        exec(db, sql);
    }
    exec(db, "UPDATE t SET body = CAST(body AS BLOB)");
    exec(db, "COMMIT");
    assert_rows(db, 60);
    assert_intact(db);
    check_and_close(db, 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_commit_is_one_write),
        cmocka_unit_test(test_a_large_commit_is_whole),
        cmocka_unit_test(test_another_connection_reads_each_commit),
        cmocka_unit_test(test_a_failed_write_fails_its_commit),
        cmocka_unit_test(test_a_crash_keeps_each_returned_commit),
        cmocka_unit_test(test_rewritten_frames_land_in_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The deferred WAL sync (hub/store_sync.c): under a syncer the store commits without a sync,
 * counts each commit as written, and counts it as synced only after an fdatasync that began
 * after it: asked for by a kick (on the thread) or a flush (on the caller's thread). A failed
 * sync is final, a WAL write lost after its commit is never vouched for, and stopping syncs
 * what is left and gives each COMMIT its own sync again.
 *
 * The sync itself goes through store_sync_fn, swapped here for one that counts its calls,
 * notes the thread, and fails on demand. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "store_internal.h"
#include "test_pwrite_fault.h"

#define NOW 1795312800000LL

static char path[64];
static struct store *s;
static int64_t dev;

static _Atomic int n_syncs;
static _Atomic int fail_sync;       /* errno to fail with, 0: sync for real */
static _Atomic bool sync_on_caller; /* the last sync ran on the test's thread */
static _Atomic int n_callbacks;
static _Atomic bool gate_closed; /* the sync thread's syncs wait while it is set */
static pthread_t test_thread;

static int fake_sync(int fd)
{
    atomic_fetch_add(&n_syncs, 1);
    bool on_caller = pthread_equal(pthread_self(), test_thread) != 0;
    atomic_store(&sync_on_caller, on_caller);
    while (!on_caller && atomic_load(&gate_closed))
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    if (atomic_load(&fail_sync))
        return atomic_load(&fail_sync);
    return fdatasync(fd) == 0 ? 0 : errno;
}

static void on_synced(void *arg)
{
    (void)arg;
    atomic_fetch_add(&n_callbacks, 1);
}

/* Waits (up to 5 s) for the thread's callback to have run `n` times. */
static void wait_callbacks(int n)
{
    for (int i = 0; i < 500 && atomic_load(&n_callbacks) < n; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    assert_int_equal(atomic_load(&n_callbacks), n);
}

static void commit_one(int i)
{
    struct proto_error err;
    char id[32];
    snprintf(id, sizeof id, "c-%d", i);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_commands_put(s, dev, id, "checkin",
                                        "00000000000000000000000000000000"
                                        "00000000000000000000000000000000",
                                        "{\"ok\":true}", NOW + i, &err),
                     0);
    assert_int_equal(store_commit(s, &err), 0);
}

static int synchronous_level(void)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int level = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return level;
}

static int setup(void **state)
{
    (void)state;
    test_thread = pthread_self();
    store_sync_fn = fake_sync;
    atomic_store(&n_syncs, 0);
    atomic_store(&fail_sync, 0);
    atomic_store(&n_callbacks, 0);
    atomic_store(&gate_closed, false);
    snprintf(path, sizeof path, "/tmp/sf-test-sync-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    struct proto_error err;
    int64_t site;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_sites_add(s, "SH01", "上海浦东店", 480, &site, &err), 0);
    assert_int_equal(store_devices_add(s, site, "R1", DOMAIN_MODE_RECEPTION,
                                       "00000000000000000000000000000000"
                                       "00000000000000000000000000000001",
                                       NOW, &dev, &err),
                     0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    s = NULL;
    char p[96];
    const char *ext[] = {"",          "-wal",          "-shm",         ".data-key",
                         ".keystore", ".keystore-wal", ".keystore-shm"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
    return 0;
}

static struct store_syncer *start(void)
{
    struct store_syncer *y = NULL;
    struct proto_error err;
    assert_int_equal(store_syncer_start(s, on_synced, NULL, &y, &err), 0);
    assert_non_null(y);
    return y;
}

/* Commits are counted but not synced until someone asks; a kick syncs them all at once on
 * the thread, which then calls back. */
static void test_a_kick_syncs_every_commit_written(void **state)
{
    (void)state;
    assert_int_equal(synchronous_level(), 2); /* FULL without a syncer */
    struct store_syncer *y = start();
    assert_int_equal(synchronous_level(), 1); /* NORMAL: COMMIT does not sync */
    for (int i = 0; i < 3; i++)
        commit_one(i);
    assert_int_equal(store_syncer_written(y), 3);
    assert_int_equal(store_syncer_synced(y), 0);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    assert_int_equal(atomic_load(&n_syncs), 0); /* nothing syncs unasked */
    store_syncer_kick(y);
    wait_callbacks(1);
    assert_int_equal(store_syncer_synced(y), 3);
    assert_int_equal(atomic_load(&n_syncs), 1);
    assert_false(atomic_load(&sync_on_caller));
    store_syncer_kick(y); /* all synced: no second sync */
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    assert_int_equal(atomic_load(&n_syncs), 1);
    assert_int_equal(store_syncer_failed(y), 0);
    store_syncer_stop(y);
    assert_int_equal(synchronous_level(), 2);
}

/* A flush syncs on the caller's thread and returns with everything written synced. */
static void test_a_flush_syncs_on_the_caller(void **state)
{
    (void)state;
    struct store_syncer *y = start();
    struct proto_error err;
    assert_int_equal(store_syncer_flush(y, &err), 0); /* nothing written: no sync */
    assert_int_equal(atomic_load(&n_syncs), 0);
    commit_one(0);
    commit_one(1);
    assert_int_equal(store_syncer_flush(y, &err), 0);
    assert_int_equal(atomic_load(&n_syncs), 1);
    assert_true(atomic_load(&sync_on_caller));
    assert_int_equal(store_syncer_synced(y), 2);
    int64_t runs, inline_runs;
    store_syncer_counts(y, &runs, &inline_runs);
    assert_int_equal(runs, 0);
    assert_int_equal(inline_runs, 1);
    store_syncer_stop(y);
}

/* A flush that serves a kick the thread has not served calls back itself: the thread, woken
 * for the kick, could find it synced and sleep on, and a session held for that kick would
 * never be released (e2e test_09 stalled on it once). Here the thread is kept inside its sync
 * of the first commit while the second is kicked and flushed: the flush's callback is the
 * only one until the thread is let go. */
static void test_a_flush_that_serves_a_kick_calls_back(void **state)
{
    (void)state;
    struct store_syncer *y = start();
    struct proto_error err;
    atomic_store(&gate_closed, true);
    commit_one(0);
    store_syncer_kick(y);
    for (int i = 0; i < 500 && atomic_load(&n_syncs) == 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    assert_int_equal(atomic_load(&n_syncs), 1); /* the thread is in its sync, held */
    commit_one(1);
    store_syncer_kick(y);
    assert_int_equal(store_syncer_flush(y, &err), 0);
    assert_int_equal(store_syncer_synced(y), 2);
    assert_int_equal(atomic_load(&n_callbacks), 1);
    atomic_store(&gate_closed, false);
    wait_callbacks(2); /* the thread's, once its sync returns */
    assert_int_equal(store_syncer_synced(y), 2);
    store_syncer_stop(y);
}

/* After a failed fdatasync nothing is synced again, even once the disk would take it: the
 * kernel may have dropped the pages it could not write. */
static void test_a_failed_sync_is_final(void **state)
{
    (void)state;
    struct store_syncer *y = start();
    struct proto_error err;
    commit_one(0);
    assert_int_equal(store_syncer_flush(y, &err), 0);
    commit_one(1);
    atomic_store(&fail_sync, EIO);
    store_syncer_kick(y);
    wait_callbacks(1); /* the callback runs for a failure too */
    assert_int_equal(store_syncer_failed(y), EIO);
    assert_int_equal(store_syncer_synced(y), 1);
    atomic_store(&fail_sync, 0);
    commit_one(2);
    int before = atomic_load(&n_syncs);
    assert_int_equal(store_syncer_flush(y, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    store_syncer_kick(y);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    assert_int_equal(atomic_load(&n_syncs), before);
    assert_int_equal(store_syncer_synced(y), 1);
    store_syncer_stop(y);
}

/* A WAL write that failed where SQLite could not be told (the wal-index barrier of a commit
 * without a sync) leaves a COMMIT that returned OK without its frames: the syncer fails at
 * once instead of ever counting that commit as synced. */
static void test_a_lost_wal_write_is_never_synced(void **state)
{
    (void)state;
    struct store_syncer *y = start();
    struct proto_error err;
    commit_one(0);
    assert_int_equal(store_syncer_flush(y, &err), 0);
    pwrite_fault_install();
    pwrite_fault_fail = 1;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_commands_put(s, dev, "lost", "checkin",
                                        "00000000000000000000000000000000"
                                        "00000000000000000000000000000000",
                                        "{\"ok\":true}", NOW, &err),
                     0);
    int rc = store_commit(s, &err);
    pwrite_fault_fail = 0;
    pwrite_fault_remove();
    /* the commit returned: the write failed at the barrier, after SQLite's last word */
    assert_int_equal(rc, 0);
    assert_int_equal(store_syncer_failed(y), EIO);
    assert_int_equal(store_syncer_flush(y, &err), -1);
    assert_int_equal(store_syncer_synced(y), 1);
    store_syncer_stop(y);
}

/* Stopping syncs what was written and never asked for, and each COMMIT syncs for itself
 * again (no more counting). */
static void test_stop_syncs_what_is_left(void **state)
{
    (void)state;
    struct store_syncer *y = start();
    commit_one(0);
    commit_one(1);
    assert_int_equal(atomic_load(&n_syncs), 0);
    store_syncer_stop(y);
    assert_int_equal(atomic_load(&n_syncs), 1);
    assert_int_equal(synchronous_level(), 2);
    commit_one(2); /* the hook is the checkpoint's again: still works */
    struct store_command cmd;
    struct proto_error err;
    assert_int_equal(store_commands_get(s, dev, "c-2", &cmd, &err), 0);
    free(cmd.result);
}

/* Without a syncer every count is 0 and a flush or kick does nothing. */
static void test_no_syncer_answers_zero(void **state)
{
    (void)state;
    struct proto_error err;
    commit_one(0);
    assert_int_equal(store_syncer_written(NULL), 0);
    assert_int_equal(store_syncer_synced(NULL), 0);
    assert_int_equal(store_syncer_failed(NULL), 0);
    assert_int_equal(store_syncer_flush(NULL, &err), 0);
    store_syncer_kick(NULL);
    store_syncer_stop(NULL);
    assert_int_equal(atomic_load(&n_syncs), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_kick_syncs_every_commit_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_flush_syncs_on_the_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_flush_that_serves_a_kick_calls_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_sync_is_final, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_lost_wal_write_is_never_synced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_syncs_what_is_left, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_syncer_answers_zero, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

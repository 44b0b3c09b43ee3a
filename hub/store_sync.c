/* The WAL's fsync on a thread of its own (store.h "Deferred sync").
 *
 * Under synchronous=FULL every COMMIT waits for the WAL's fdatasync on the committing
 * thread: the hub's event loop could neither read the next commands nor write the answers
 * already durable while the disk worked (with 64 senders, a fifth of the loop's time was
 * that wait and the kernel's writeback: BENCHMARKS.md "Round 6"). Here the connection
 * commits under synchronous=NORMAL, so a COMMIT only writes the frames (store_walbuf.c puts
 * them in the file before the new wal-index header is published), and the WAL hook counts
 * the commit ("written"). When something waits for the disk, a kick wakes this thread (or a
 * flush syncs on the caller's): it fdatasyncs the WAL through a descriptor of its own and
 * then counts every commit written before the call began as "synced".
 *
 * The invariant moves with it: a commit is visible to this process's next statements as
 * soon as COMMIT returns, but nothing may leave the hub until it is synced. The network
 * layer stamps each outgoing frame with `written` and holds it until `synced` reaches the
 * stamp; an HTTP answer and a webhook POST call store_syncer_flush first. A failed
 * fdatasync is final (the kernel may have dropped the dirty pages it could not write, so a
 * second try could "succeed" without them): `failed` is set and stays set, nothing is
 * synced again, and the hub stops without answering what it holds. */
#include "store_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* Test-only (tests/e2e/test_27_deferred_sync.py): each sync waits this long first, so a test
 * can see that nothing is answered before it; and every sync after the first N fails (EIO). */
#define SYNC_DELAY_ENV "SHOWFLOOR_TEST_SYNC_DELAY_MS"
#define SYNC_FAIL_ENV  "SHOWFLOOR_TEST_SYNC_FAIL_AFTER"

struct store_syncer {
    struct store *s; /* borrowed: its WAL hook calls in until store_syncer_stop */
    void (*synced_cb)(void *arg);
    void *arg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int fd;                   /* the WAL's descriptor (store_walbuf_wal_fd); under mu */
    _Atomic uint64_t written; /* commits so far; the writer's thread adds, under mu */
    _Atomic uint64_t synced;  /* commits known to be on disk; raised under mu */
    uint64_t wanted;          /* the thread syncs while synced < wanted; under mu */
    _Atomic int failed;       /* errno of the failure (EIO for a lost WAL write); sticky */
    bool stop;
    long delay_ms;
    long fail_after; /* SYNC_FAIL_ENV, or -1 */
    _Atomic int64_t runs, inline_runs;
};

static int store_sync_fd(int fd)
{
    int rc;
    do
        rc = fdatasync(fd);
    while (rc != 0 && errno == EINTR);
    return rc == 0 ? 0 : errno;
}

int (*store_sync_fn)(int fd) = store_sync_fd;

/* One sync covering every commit written so far. Called with mu held; returns with it held.
 * 0, or the failure (also left in y->failed). */
static int sync_once(struct store_syncer *y, bool on_thread)
{
    if (atomic_load(&y->failed))
        return atomic_load(&y->failed);
    uint64_t target = atomic_load(&y->written);
    int fd = y->fd;
    pthread_mutex_unlock(&y->mu);
    if (y->delay_ms > 0)
        nanosleep(&(struct timespec){y->delay_ms / 1000, (y->delay_ms % 1000) * 1000000L}, NULL);
    long done = (long)(atomic_load(&y->runs) + atomic_load(&y->inline_runs));
    int rc = fd < 0 ? EBADF : y->fail_after >= 0 && done >= y->fail_after ? EIO : store_sync_fn(fd);
    pthread_mutex_lock(&y->mu);
    atomic_fetch_add(on_thread ? &y->runs : &y->inline_runs, 1);
    if (rc != 0) {
        if (!atomic_load(&y->failed))
            atomic_store(&y->failed, rc);
        return atomic_load(&y->failed);
    }
    if (target > atomic_load(&y->synced))
        atomic_store(&y->synced, target);
    return 0;
}

static void *sync_main(void *arg)
{
    struct store_syncer *y = arg;
    pthread_mutex_lock(&y->mu);
    for (;;) {
        while (!y->stop && !atomic_load(&y->failed) && atomic_load(&y->synced) >= y->wanted)
            pthread_cond_wait(&y->cv, &y->mu);
        if (y->stop)
            y->wanted = atomic_load(&y->written); /* everything, before it ends */
        if (atomic_load(&y->failed) || atomic_load(&y->synced) >= y->wanted)
            break; /* stopping with nothing left, or failed for good */
        int rc = sync_once(y, true);
        pthread_mutex_unlock(&y->mu);
        if (rc != 0)
            log_error("store", "fdatasync of the WAL failed: %s; nothing more is acknowledged",
                      strerror(rc));
        y->synced_cb(y->arg);
        pthread_mutex_lock(&y->mu);
    }
    pthread_mutex_unlock(&y->mu);
    return NULL;
}

void store_syncer_committed(struct store_syncer *y, sqlite3 *db)
{
    int failed;
    int fd = store_walbuf_wal_fd(db, &failed);
    pthread_mutex_lock(&y->mu);
    /* A frame write that failed at the wal-index barrier left a COMMIT that returned SQLITE_OK
     * without its frames in the file: no sync may ever vouch for it. */
    if (failed != SQLITE_OK && !atomic_load(&y->failed)) {
        log_error("store", "a WAL write failed after its commit (SQLite code %d)", failed);
        atomic_store(&y->failed, EIO);
    }
    if (fd >= 0)
        y->fd = fd;
    atomic_fetch_add(&y->written, 1);
    pthread_mutex_unlock(&y->mu);
}

void store_syncer_kick(struct store_syncer *y)
{
    if (!y || atomic_load(&y->synced) == atomic_load(&y->written))
        return;
    pthread_mutex_lock(&y->mu);
    if (y->wanted < atomic_load(&y->written)) {
        y->wanted = atomic_load(&y->written);
        pthread_cond_signal(&y->cv);
    }
    pthread_mutex_unlock(&y->mu);
}

int store_syncer_start(struct store *s, void (*synced)(void *arg), void *arg,
                       struct store_syncer **out, struct proto_error *err)
{
    *out = NULL;
    if (s->syncer)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "the store has a syncer already");
    struct store_syncer *y = calloc(1, sizeof *y);
    if (!y)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    y->s = s;
    y->synced_cb = synced;
    y->arg = arg;
    y->fd = -1;
    const char *delay = getenv(SYNC_DELAY_ENV);
    y->delay_ms = delay ? strtol(delay, NULL, 10) : 0;
    const char *fail = getenv(SYNC_FAIL_ENV);
    y->fail_after = fail ? strtol(fail, NULL, 10) : -1;
    pthread_mutex_init(&y->mu, NULL);
    pthread_cond_init(&y->cv, NULL);
    if (sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "PRAGMA synchronous=NORMAL: %s",
                        sqlite3_errmsg(s->db));
        goto fail;
    }
    if (pthread_create(&y->thread, NULL, sync_main, y) != 0) {
        sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot start the WAL sync thread");
        goto fail;
    }
    s->syncer = y;
    store_wal_hook_install(s);
    *out = y;
    return 0;
fail:
    pthread_cond_destroy(&y->cv);
    pthread_mutex_destroy(&y->mu);
    free(y);
    return -1;
}

void store_syncer_stop(struct store_syncer *y)
{
    if (!y)
        return;
    pthread_mutex_lock(&y->mu);
    y->stop = true;
    pthread_cond_signal(&y->cv);
    pthread_mutex_unlock(&y->mu);
    pthread_join(y->thread, NULL); /* it syncs what was written before it ends */
    /* from here each COMMIT syncs for itself again */
    y->s->syncer = NULL;
    store_wal_hook_install(y->s);
    if (sqlite3_exec(y->s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
        log_error("store", "PRAGMA synchronous=FULL: %s", sqlite3_errmsg(y->s->db));
    log_debug("store", "WAL syncs: %lld on the thread, %lld inline",
              (long long)atomic_load(&y->runs), (long long)atomic_load(&y->inline_runs));
    pthread_cond_destroy(&y->cv);
    pthread_mutex_destroy(&y->mu);
    free(y);
}

uint64_t store_syncer_written(struct store_syncer *y)
{
    return y ? atomic_load(&y->written) : 0;
}

uint64_t store_syncer_synced(struct store_syncer *y)
{
    return y ? atomic_load(&y->synced) : 0;
}

int store_syncer_failed(struct store_syncer *y)
{
    return y ? atomic_load(&y->failed) : 0;
}

int store_syncer_flush(struct store_syncer *y, struct proto_error *err)
{
    if (!y)
        return 0;
    int rc = atomic_load(&y->failed);
    if (!rc && atomic_load(&y->synced) == atomic_load(&y->written))
        return 0;
    if (!rc) {
        pthread_mutex_lock(&y->mu);
        /* A kick not yet served: the thread, woken for it, finds it synced by this call and
         * goes back to sleep without calling back, and whatever waited for it would wait on;
         * so the call back is this call's. */
        bool kicked = y->wanted > atomic_load(&y->synced);
        rc = sync_once(y, false);
        pthread_mutex_unlock(&y->mu);
        if (kicked)
            y->synced_cb(y->arg);
    }
    if (rc != 0)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the database could not be synced to disk (%s)", strerror(rc));
    return 0;
}

void store_syncer_counts(struct store_syncer *y, int64_t *runs, int64_t *inline_runs)
{
    *runs = y ? atomic_load(&y->runs) : 0;
    *inline_runs = y ? atomic_load(&y->inline_runs) : 0;
}

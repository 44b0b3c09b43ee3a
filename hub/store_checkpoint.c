/* WAL checkpoints on a thread of their own (store.h "Checkpoints"). SQLite's default copies
 * the WAL back into the database inside the COMMIT that takes the WAL past 1,000 pages: the
 * hub's event loop then reads every frame back and writes and fsyncs the database before it
 * can answer anyone (9 % of its time under 64 senders, BENCHMARKS.md). Here the writing
 * connection only notes the WAL's size after each commit (sqlite3_wal_hook, which replaces
 * the automatic checkpoint) and wakes this thread, which runs PASSIVE checkpoints through
 * its own connection while the loop goes on. A passive checkpoint never blocks a writer; the
 * writer restarts the WAL from its start once everything in it has been copied. */
#include "store_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "log.h"

struct store_checkpointer {
    struct store *s; /* borrowed: its hook points here until store_checkpointer_stop */
    sqlite3 *db;     /* this thread's own connection */
    struct store_ckpt_policy policy; /* the writer's side only */
    pthread_t thread;
    pthread_mutex_t run_mu; /* held by whoever checkpoints: the thread, or the backstop */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool due, stop;
    _Atomic int64_t runs, inline_runs;
};

/* The writer checkpoints inline (as SQLite would) when the WAL has grown to
 * STORE_CHECKPOINT_BACKSTOP times the threshold (store.h): under steady writes a passive
 * checkpoint never ends with the whole WAL copied (the writer adds frames meanwhile), so the
 * WAL starts over only after such a run; and a WAL without bound makes every reader slower
 * and a crash recovery longer. */

enum store_ckpt_action store_ckpt_decide(struct store_ckpt_policy *p, int n_frames)
{
    if (n_frames < p->last_frames)
        p->woke_at = 0; /* the WAL started over */
    p->last_frames = n_frames;
    if (n_frames >= p->pages * STORE_CHECKPOINT_BACKSTOP)
        return STORE_CKPT_INLINE;
    /* again only when the WAL has grown by the threshold since: each run syncs the WAL and
     * the database, and a run per commit (one sender: one every 0.6 ms) kept the disk busy
     * with those syncs while the writer waited for its own (1-sender check-ins fell by a
     * fifth; a run every quarter threshold still cost 5 %) */
    if (n_frames >= p->pages && n_frames - p->woke_at >= p->pages) {
        p->woke_at = n_frames;
        return STORE_CKPT_WAKE;
    }
    return STORE_CKPT_NONE;
}

void store_checkpointer_committed(struct store_checkpointer *c, sqlite3 *db, const char *name,
                                  int n_frames)
{
    switch (store_ckpt_decide(&c->policy, n_frames)) {
    case STORE_CKPT_INLINE:
        /* after the thread's run, if one is under way: a checkpoint beside it would find the
         * checkpoint lock taken and do nothing, and the WAL would grow on. Between two of
         * this connection's transactions the loop writes nothing, so this one copies the
         * rest (unless another process is writing) and the next write starts the WAL over. */
        pthread_mutex_lock(&c->run_mu);
        atomic_fetch_add(&c->inline_runs, 1);
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&c->run_mu);
        break;
    case STORE_CKPT_WAKE:
        pthread_mutex_lock(&c->mu);
        c->due = true;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->mu);
        break;
    case STORE_CKPT_NONE:
        break;
    }
}

static void *ckpt_main(void *arg)
{
    struct store_checkpointer *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (!c->due && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        bool stop = c->stop;
        c->due = false;
        pthread_mutex_unlock(&c->mu);
        if (stop)
            return NULL;
        pthread_mutex_lock(&c->run_mu);
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&c->run_mu);
        /* BUSY: another process (a CLI backup, say) is checkpointing; the next commit past
         * the threshold wakes us again */
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            log_warn("store", "background checkpoint failed: %s", sqlite3_errmsg(c->db));
        atomic_fetch_add(&c->runs, 1);
    }
}

int store_checkpointer_start(struct store *s, int pages, struct store_checkpointer **out,
                             struct proto_error *err)
{
    *out = NULL;
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!path || !*path)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "the store has no file to checkpoint");
    struct store_checkpointer *c = calloc(1, sizeof *c);
    if (!c)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    c->s = s;
    c->policy.pages = pages > 0 ? pages : STORE_CHECKPOINT_PAGES;
    /* synchronous=FULL: the checkpoint syncs the WAL before it copies and the database after,
     * whatever the writing connection does */
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot open %s for checkpoints: %s", path,
                        c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        free(c);
        return -1;
    }
    pthread_mutex_init(&c->run_mu, NULL);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        pthread_mutex_destroy(&c->run_mu);
        sqlite3_close(c->db);
        free(c);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot start the checkpoint thread");
    }
    s->ckpt = c;
    store_wal_hook_install(s);
    *out = c;
    return 0;
}

void store_checkpointer_stop(struct store_checkpointer *c)
{
    if (!c)
        return;
    /* back to SQLite's own checkpoints first (unless a syncer still needs the hook): from here
     * no commit calls into c */
    c->s->ckpt = NULL;
    store_wal_hook_install(c->s);
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    log_debug("store", "checkpoints: %lld on the thread, %lld inline",
              (long long)atomic_load(&c->runs), (long long)atomic_load(&c->inline_runs));
    sqlite3_close(c->db);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    pthread_mutex_destroy(&c->run_mu);
    free(c);
}

void store_checkpointer_counts(struct store_checkpointer *c, int64_t *runs, int64_t *inline_runs)
{
    *runs = c ? atomic_load(&c->runs) : 0;
    *inline_runs = c ? atomic_load(&c->inline_runs) : 0;
}

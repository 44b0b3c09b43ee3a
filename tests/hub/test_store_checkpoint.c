/* The background checkpointer (hub/store_checkpoint.c): commits past the threshold wake its
 * thread, which copies the WAL back into the database through its own connection, so the
 * WAL stays bounded although the writing connection never checkpoints; after
 * store_checkpointer_stop SQLite's own checkpoint is back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "store_internal.h"

#define NOW       1795312800000LL
#define PAGES     40 /* threshold of the test's checkpointer */
#define FRAME     (24 + 4096)
#define N_COMMITS 1200

struct fx {
    char path[64];
    struct store *s;
    int64_t dev;
};

static void fx_open(struct fx *f)
{
    snprintf(f->path, sizeof f->path, "/tmp/sf-test-ckpt-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    struct proto_error err;
    int64_t site;
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(store_sites_add(f->s, "SH01", "上海浦东店", 480, &site, &err), 0);
    assert_int_equal(store_devices_add(f->s, site, "R1", DOMAIN_MODE_RECEPTION,
                                       "00000000000000000000000000000000"
                                       "00000000000000000000000000000001",
                                       NOW, &f->dev, &err),
                     0);
}

static void fx_close(struct fx *f)
{
    store_close(f->s);
    char p[96];
    const char *ext[] = {"",          "-wal",          "-shm",         ".data-key",
                         ".keystore", ".keystore-wal", ".keystore-shm"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, ext[i]);
        unlink(p);
    }
}

static off_t wal_size(const struct fx *f)
{
    char p[96];
    snprintf(p, sizeof p, "%s-wal", f->path);
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : 0;
}

/* One command per transaction, each with a result of ~3 KB: a page or more per commit. */
static void commit_commands(struct fx *f, int from, int n)
{
    static char result[3200];
    if (!result[0]) {
        strcpy(result, "{\"pad\":\"");
        memset(result + 8, 'x', sizeof result - 11);
        strcpy(result + sizeof result - 3, "\"}");
    }
    struct proto_error err;
    char id[32];
    for (int i = from; i < from + n; i++) {
        snprintf(id, sizeof id, "c-%d", i);
        assert_int_equal(store_begin(f->s, &err), 0);
        assert_int_equal(store_commands_put(f->s, f->dev, id, "checkin",
                                            "00000000000000000000000000000000"
                                            "00000000000000000000000000000000",
                                            result, NOW + i, &err),
                         0);
        assert_int_equal(store_commit(f->s, &err), 0);
    }
}

static struct store_checkpointer *start(struct fx *f)
{
    struct store_checkpointer *c = NULL;
    struct proto_error err;
    assert_int_equal(store_checkpointer_start(f->s, PAGES, &c, &err), 0);
    return c;
}

/* n commits, the WAL's size read after every `step` of them: its largest. */
static off_t commit_and_track(struct fx *f, int n, int step)
{
    off_t max_wal = 0;
    for (int i = 0; i < n; i += step) {
        commit_commands(f, i, step);
        off_t w = wal_size(f);
        if (w > max_wal)
            max_wal = w;
    }
    return max_wal;
}

static void test_wal_bounded_by_the_thread(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    struct store_checkpointer *c = start(&f);
    struct proto_error err;
    off_t max_wal = commit_and_track(&f, N_COMMITS, 20);
    int64_t runs = 0, inline_runs = 0;
    for (int tries = 0; tries < 200 && runs == 0; tries++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        store_checkpointer_counts(c, &runs, &inline_runs);
    }
    assert_true(runs > 0);
    /* 1,200 commits of a page or more each: without checkpoints the WAL would hold them all;
     * with SQLite's default it would reach 1,000 pages. Here it stays within the backstop
     * (STORE_CHECKPOINT_BACKSTOP x the threshold) plus the commits made before the thread
     * caught up. */
    assert_true(max_wal > 0);
    assert_true((off_t)(STORE_CHECKPOINT_BACKSTOP * PAGES + 40) < N_COMMITS);
    assert_true(max_wal <= (off_t)(STORE_CHECKPOINT_BACKSTOP * PAGES + 40) * FRAME);
    /* every row is still there, read through the writing connection */
    struct store_command cmd;
    assert_int_equal(store_commands_get(f.s, f.dev, "c-0", &cmd, &err), 0);
    free(cmd.result);
    assert_int_equal(store_commands_get(f.s, f.dev, "c-599", &cmd, &err), 0);
    free(cmd.result);
    store_checkpointer_stop(c);
    fx_close(&f);
}

static void wait_counts(struct store_checkpointer *c, int64_t *runs, int64_t *inline_runs)
{
    /* until the thread has been idle for 50 ms */
    int64_t last = -1;
    for (int tries = 0; tries < 200; tries++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        store_checkpointer_counts(c, runs, inline_runs);
        if (*runs == last)
            return;
        last = *runs;
    }
}

/* The thread catches up, the next write starts the WAL over, and when the new WAL passes the
 * threshold the thread is woken again (not only once it has grown a threshold past where
 * the thread was last woken in the WAL before: a quiet hub's WAL would cycle at twice the
 * threshold). */
static void test_woken_again_after_the_wal_starts_over(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    struct proto_error err;
    /* an empty WAL (the set-up's migrations filled one), then frames per commit from its
     * growth over two commits, below the threshold */
    assert_int_equal(store_checkpoint_truncate(f.s, &err), 0);
    assert_int_equal(wal_size(&f), 0);
    struct store_checkpointer *c = start(&f);
    commit_commands(&f, 0, 2);
    int per_commit = (int)((wal_size(&f) - 32) / FRAME + 1) / 2;
    assert_true(per_commit >= 1 && per_commit < PAGES / 4);
    int i = 2;
    int64_t runs = 0, inline_runs = 0;
    while (runs == 0 && i < 1000) {
        commit_commands(&f, i++, 1);
        wait_counts(c, &runs, &inline_runs);
    }
    assert_int_equal(runs, 1);
    commit_commands(&f, i++, 1); /* everything was copied: this write starts the WAL over */
    /* 1.5 x the threshold in the new WAL: past it, and short of where the thread would be
     * woken if the count went on from the WAL before */
    commit_commands(&f, i, 3 * PAGES / 2 / per_commit);
    wait_counts(c, &runs, &inline_runs);
    assert_int_equal(inline_runs, 0);
    assert_int_equal(runs, 2);
    store_checkpointer_stop(c);
    fx_close(&f);
}

/* The wake-up rule on its own, commit by commit: {WAL frames after the commit, action}. */
static void run_policy(const int (*steps)[2], size_t n)
{
    struct store_ckpt_policy p = {.pages = 100};
    for (size_t i = 0; i < n; i++) {
        enum store_ckpt_action got = store_ckpt_decide(&p, steps[i][0]);
        if ((int)got != steps[i][1])
            fail_msg("step %zu (%d frames): action %d, want %d", i, steps[i][0], got, steps[i][1]);
    }
}

static void test_policy(void **state)
{
    (void)state;
    enum { N = STORE_CKPT_NONE, W = STORE_CKPT_WAKE, I = STORE_CKPT_INLINE };
    /* below the threshold nothing; at it a wake; then only each 100 frames further */
    static const int grow[][2] = {{10, N},  {99, N},  {100, W}, {150, N}, {199, N},
                                  {200, W}, {290, N}, {305, W}, {404, N}, {405, W}};
    run_policy(grow, sizeof grow / sizeof grow[0]);
    /* a quiet hub: the thread caught up, the WAL started over; its next crossing of the
     * threshold wakes the thread even though it is only a few frames past where the last
     * wake was in the WAL before (counting on from there would wait for 2 x the threshold) */
    static const int restart[][2] = {{104, W}, {5, N}, {60, N}, {106, W}, {150, N}, {206, W}};
    run_policy(restart, sizeof restart / sizeof restart[0]);
    /* the backstop: at STORE_CHECKPOINT_BACKSTOP x inline, every commit there; after the
     * restart, as new */
    enum { B = STORE_CHECKPOINT_BACKSTOP * 100 };
    static const int backstop[][2] = {{100, W}, {B - 10, W}, {B, I}, {B + 5, I}, {4, N}, {100, W}};
    run_policy(backstop, sizeof backstop / sizeof backstop[0]);
}

/* Without a checkpointer the hook is SQLite's own again: the WAL restarts by itself. */
static void test_stop_gives_back_sqlites_checkpoint(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    store_checkpointer_stop(start(&f));
    int64_t runs = 1, inline_runs = 1;
    store_checkpointer_counts(NULL, &runs, &inline_runs);
    assert_int_equal(runs + inline_runs, 0);
    off_t max_wal = commit_and_track(&f, 2 * STORE_CHECKPOINT_PAGES, 50);
    /* 2,000 commits of a page or more: the WAL restarted at ~1,000 pages */
    assert_true(max_wal <= (off_t)(STORE_CHECKPOINT_PAGES + 200) * FRAME);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_wal_bounded_by_the_thread),
        cmocka_unit_test(test_woken_again_after_the_wal_starts_over),
        cmocka_unit_test(test_stop_gives_back_sqlites_checkpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

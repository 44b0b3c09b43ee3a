/* showfloor-disk-ref: what the disk and SQLite alone do, measured in the benchmark's own run
 * and directory, so the hub's durable check-ins can be read as a ratio like its fan-out
 * figures (a shared machine's disk is slower in some hours than in others, and a check-in
 * cannot be acknowledged faster than the disk syncs).
 *
 * Three measures, one after the other, each for --seconds:
 *   ref/fdatasync      4 KiB written over a preallocated 8 MiB file, then fdatasync (a WAL
 *                      that has reached its size: no allocation, no size change to sync)
 *   ref/sqlite-commit  SQLite in WAL mode with synchronous=FULL, one row per transaction
 *   ref/sqlite-batch   the same, 100 rows per transaction (per_s counts rows)
 * A row is a random 16-byte key under a UNIQUE index (like the customers' phone hash) and
 * 400 bytes of text. Each prints one line "RESULT {json}" with per_s, p50_ms and p99_ms (of
 * one sync or one transaction) and n; exit 1 if a measure could not run. */
#include "bench_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define REF_BLOCK      4096
#define REF_FILE_BYTES (8 * 1024 * 1024)
#define REF_KEY_BYTES  16
#define REF_TEXT_BYTES 400
#define REF_BATCH      100

struct ref_times {
    double *v;
    size_t n, cap;
};

static int ref_add(struct ref_times *t, double secs)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 4096;
        double *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = secs;
    return 0;
}

static void ref_report(const char *label, struct ref_times *t, double per_op, double secs)
{
    bench_sort(t->v, t->n);
    printf("RESULT {\"label\":\"%s\",\"per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"n\":%zu}\n",
           label, secs > 0 ? (double)t->n * per_op / secs : 0.0,
           t->n ? bench_pct(t->v, t->n, 50) * 1000.0 : 0.0,
           t->n ? bench_pct(t->v, t->n, 99) * 1000.0 : 0.0, t->n);
    fflush(stdout);
}

static int ref_fdatasync(const char *dir, double seconds)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ref-sync.bin", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        fprintf(stderr, "disk-ref: %s: %s\n", path, strerror(errno));
        return -1;
    }
    static unsigned char block[REF_BLOCK];
    struct ref_times t = {0};
    int rc = -1;
    for (off_t off = 0; off < REF_FILE_BYTES; off += REF_BLOCK)
        if (pwrite(fd, block, sizeof block, off) != (ssize_t)sizeof block)
            goto out;
    if (fdatasync(fd) != 0)
        goto out;
    double start = bench_now(), end = start + seconds, now = start;
    for (off_t off = 0; now < end; off = (off + REF_BLOCK) % REF_FILE_BYTES) {
        block[0]++; /* a page the kernel must write again */
        if (pwrite(fd, block, sizeof block, off) != (ssize_t)sizeof block || fdatasync(fd) != 0 ||
            ref_add(&t, bench_now() - now) != 0)
            goto out;
        now = bench_now();
    }
    ref_report("ref/fdatasync", &t, 1, now - start);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "disk-ref: %s: %s\n", path, strerror(errno));
    free(t.v);
    close(fd);
    unlink(path);
    return rc;
}

static uint64_t ref_rng = 0x9e3779b97f4a7c15u;

static uint64_t ref_random(void)
{
    ref_rng ^= ref_rng << 13;
    ref_rng ^= ref_rng >> 7;
    ref_rng ^= ref_rng << 17;
    return ref_rng;
}

static int ref_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    fprintf(stderr, "disk-ref: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

/* Transactions of `rows` rows each for `seconds`; per_s counts rows. */
static int ref_sqlite(sqlite3 *db, sqlite3_stmt *ins, const char *label, int rows, double seconds)
{
    static char text[REF_TEXT_BYTES + 1];
    memset(text, 'x', REF_TEXT_BYTES);
    struct ref_times t = {0};
    double start = bench_now(), end = start + seconds, now = start;
    int rc = 0;
    while (now < end && rc == 0) {
        rc = ref_exec(db, "BEGIN IMMEDIATE");
        for (int i = 0; i < rows && rc == 0; i++) {
            uint64_t key[REF_KEY_BYTES / 8] = {ref_random(), ref_random()};
            sqlite3_bind_blob(ins, 1, key, sizeof key, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, text, REF_TEXT_BYTES, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                fprintf(stderr, "disk-ref: insert: %s\n", sqlite3_errmsg(db));
                rc = -1;
            }
            sqlite3_reset(ins);
        }
        if (rc == 0)
            rc = ref_exec(db, "COMMIT");
        if (rc == 0 && ref_add(&t, bench_now() - now) != 0)
            rc = -1;
        now = bench_now();
    }
    if (rc == 0)
        ref_report(label, &t, rows, now - start);
    free(t.v);
    return rc;
}

static int ref_sqlite_all(const char *dir, double seconds)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ref.db", dir);
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    int rc = -1;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "disk-ref: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    if (ref_exec(db, "PRAGMA journal_mode=WAL") || ref_exec(db, "PRAGMA synchronous=FULL") ||
        ref_exec(db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k BLOB NOT NULL "
                     "UNIQUE, v TEXT NOT NULL)"))
        goto out;
    if (sqlite3_prepare_v2(db, "INSERT INTO t (k, v) VALUES (?1, ?2)", -1, &ins, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "disk-ref: prepare: %s\n", sqlite3_errmsg(db));
        goto out;
    }
    rc = ref_sqlite(db, ins, "ref/sqlite-commit", 1, seconds) ||
                 ref_sqlite(db, ins, "ref/sqlite-batch", REF_BATCH, seconds)
             ? -1
             : 0;
out:
    sqlite3_finalize(ins);
    sqlite3_close(db);
    static const char *const files[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", path, files[i]);
        unlink(p);
    }
    return rc;
}

static void ref_usage(FILE *f)
{
    fprintf(f, "usage: showfloor-disk-ref --dir DIR [--seconds S]\n"
               "  the disk's fdatasync and SQLite's FULL commits, one and 100 rows each,\n"
               "  for S seconds each (default 2) in DIR; RESULT lines on stdout\n");
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    double seconds = 2;
    static const struct option opts[] = {{"dir", required_argument, NULL, 'd'},
                                         {"seconds", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 's':
            seconds = strtod(optarg, NULL);
            break;
        case 'h':
            ref_usage(stdout);
            return 0;
        default:
            ref_usage(stderr);
            return 2;
        }
    }
    if (!dir || optind != argc || !(seconds > 0 && seconds <= 600)) {
        ref_usage(stderr);
        return 2;
    }
    ref_rng ^= (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL);
    int rc = ref_fdatasync(dir, seconds);
    if (ref_sqlite_all(dir, seconds) != 0)
        rc = -1;
    return rc == 0 ? 0 : 1;
}

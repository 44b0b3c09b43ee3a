/* The kiosk's watchdog thread and its restart record (see watchdog.h). */
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WATCHDOG_POLL_MS 250
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct watchdog {
    atomic_uint_fast64_t beats;
    atomic_bool stop;
    int seconds;
    char path[4096];
    char *const *argv;
    struct watchdog_record base; /* the record this process started with */
    pthread_t thread;
};

static int64_t watchdog_clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int watchdog_record_read(const char *path, struct watchdog_record *out, char *err, size_t errsz)
{
    out->count = 0;
    out->at = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[128];
    long long count, at;
    char extra;
    int n = fgets(line, sizeof line, f) ? sscanf(line, "%lld %lld %c", &count, &at, &extra) : 0;
    fclose(f);
    if (n != 2 || count < 0 || at < 0) {
        snprintf(err, errsz, "%s: malformed (want \"COUNT AT_MS\")", path);
        return -1;
    }
    out->count = count;
    out->at = at;
    return 0;
}

/* Formats a non-negative integer into buf (no stdio: the watchdog may fire while the UI
 * thread holds a stdio lock). Returns its length. */
static size_t watchdog_itoa(int64_t v, char *buf)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < sizeof tmp);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

int watchdog_record_write(const char *path, const struct watchdog_record *r, char *err,
                          size_t errsz)
{
    char tmp[4096 + 8];
    size_t plen = strlen(path);
    if (plen + 5 > sizeof tmp) {
        snprintf(err, errsz, "path too long");
        return -1;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    char text[64];
    size_t n = watchdog_itoa(r->count < 0 ? 0 : r->count, text);
    text[n++] = ' ';
    n += watchdog_itoa(r->at < 0 ? 0 : r->at, text + n);
    text[n++] = '\n';
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

_Noreturn void watchdog_reexec(char *const *argv)
{
    /* The new image must not inherit the hub socket, the sign-off database or the
     * display: it opens its own. close_range marks them all at once where the kernel has
     * it (5.11+); otherwise each possible descriptor is marked. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        struct rlimit rl;
        long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                       ? (long)rl.rlim_cur
                       : 65536;
        for (long fd = 3; fd < max; fd++)
            fcntl((int)fd, F_SETFD, FD_CLOEXEC);
    }
    execv("/proc/self/exe", argv);
    static const char msg[] = "showfloor-kiosk: watchdog: cannot re-execute; aborting\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    abort();
}

static void watchdog_log(const char *line, int n, size_t cap)
{
    if (n > 0) {
        ssize_t ignored = write(2, line, (size_t)n < cap ? (size_t)n : cap - 1);
        (void)ignored;
    }
}

/* watchdog thread: fires when the beat counter stands still for w->seconds. */
static void *watchdog_main(void *arg)
{
    struct watchdog *w = arg;
    uint_fast64_t seen = atomic_load(&w->beats);
    int64_t moved = watchdog_clock_ms(CLOCK_MONOTONIC);
    while (!atomic_load(&w->stop)) {
        struct timespec ts = {0, WATCHDOG_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
        int64_t now = watchdog_clock_ms(CLOCK_MONOTONIC);
        uint_fast64_t beats = atomic_load(&w->beats);
        if (beats != seen) {
            seen = beats;
            moved = now;
            continue;
        }
        if (now - moved < (int64_t)w->seconds * 1000)
            continue;
        /* Stuck. Count it where the next process finds it, say so, and start over. No
         * stdio or malloc from here on: the stuck thread may hold their locks. */
        struct watchdog_record r = {w->base.count + 1, watchdog_clock_ms(CLOCK_REALTIME)};
        char err[256], line[512];
        int n;
        if (watchdog_record_write(w->path, &r, err, sizeof err) != 0) {
            n = snprintf(line, sizeof line, "showfloor-kiosk: watchdog: %s\n", err);
            watchdog_log(line, n, sizeof line);
        }
        n = snprintf(line, sizeof line,
                     "showfloor-kiosk: watchdog: the UI loop made no progress for %d s; "
                     "restarting (restart %lld)\n",
                     w->seconds, (long long)r.count);
        watchdog_log(line, n, sizeof line);
        watchdog_reexec(w->argv);
    }
    return NULL;
}

struct watchdog *watchdog_start(int seconds, const char *record_path,
                                const struct watchdog_record *base, char *const *argv, char *err,
                                size_t errsz)
{
    struct watchdog *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (seconds <= 0 ||
        snprintf(w->path, sizeof w->path, "%s", record_path) >= (int)sizeof w->path) {
        snprintf(err, errsz, "watchdog: bad seconds or path");
        free(w);
        return NULL;
    }
    atomic_init(&w->beats, 0);
    atomic_init(&w->stop, false);
    w->seconds = seconds;
    w->argv = argv;
    w->base = *base;
    if (pthread_create(&w->thread, NULL, watchdog_main, w) != 0) {
        snprintf(err, errsz, "cannot start the watchdog thread");
        free(w);
        return NULL;
    }
    return w;
}

void watchdog_beat(struct watchdog *w)
{
    if (w)
        atomic_fetch_add(&w->beats, 1);
}

void watchdog_stop(struct watchdog *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    pthread_join(w->thread, NULL);
    free(w);
}

/* The hub's scheduled backups: one thread that sleeps until the next backup is due, copies
 * the database with store_backup_to() through its own connection, and applies the retention
 * rule (server_backup.h is the contract). */
#include "server_backup.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "privacy.h"
#include "store.h"
#include "store_backup.h"

/* The thread re-reads the clock at least this often, so a wall-clock step is noticed. */
#define SERVER_BACKUP_MAX_WAIT_MS 60000

struct server_backup {
    const struct config *cfg; /* borrowed */
    struct clock clock;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* signalled by server_backup_stop; waits on CLOCK_MONOTONIC */
    bool stop;         /* guarded by mu */
    atomic_int cancel; /* raised by server_backup_stop: store_backup_to gives up */
};

static const char *server_backup_base(const char *db_path)
{
    const char *slash = strrchr(db_path, '/');
    return slash ? slash + 1 : db_path;
}

int server_backup_name(const char *db_path, int64_t at_ms, char *buf, size_t sz)
{
    time_t secs = (time_t)(at_ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        return -1;
    char stamp[24];
    if (strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm) != 15)
        return -1;
    int n = snprintf(buf, sz, "%s.%s.%03dZ" SERVER_BACKUP_SUFFIX, server_backup_base(db_path),
                     stamp, (int)(at_ms % 1000));
    return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* Reads `len` decimal digits at p; -1 if any is not a digit. */
static int server_backup_digits(const char *p, int len)
{
    int v = 0;
    for (int i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int64_t server_backup_name_time(const char *db_path, const char *name)
{
    const char *base = server_backup_base(db_path);
    size_t blen = strlen(base);
    if (strncmp(name, base, blen) != 0 || name[blen] != '.')
        return -1;
    const char *p = name + blen + 1; /* YYYYMMDDTHHMMSS.mmmZ */
    if (strlen(p) != SERVER_BACKUP_STAMP_LEN + strlen(SERVER_BACKUP_SUFFIX) || p[8] != 'T' ||
        p[15] != '.' || p[19] != 'Z' ||
        strcmp(p + SERVER_BACKUP_STAMP_LEN, SERVER_BACKUP_SUFFIX) != 0)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y = server_backup_digits(p, 4), mo = server_backup_digits(p + 4, 2),
        d = server_backup_digits(p + 6, 2), h = server_backup_digits(p + 9, 2),
        mi = server_backup_digits(p + 11, 2), s = server_backup_digits(p + 13, 2),
        ms = server_backup_digits(p + 16, 3);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        s < 0 || s > 60 || ms < 0)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static int server_backup_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of this database's backups in the directory, oldest first (their names sort by
 * time). Leftover temporary files of an interrupted copy are removed when clean_tmp is set.
 * Caller frees each name and the array. -1 if the directory cannot be read. */
static int server_backup_list(struct server_backup *b, bool clean_tmp, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(b->cfg->backup_dir);
    if (!d)
        return -1;
    const char *base = server_backup_base(b->cfg->database);
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (clean_tmp && strncmp(e->d_name, base, strlen(base)) == 0 &&
            strstr(e->d_name, SERVER_BACKUP_SUFFIX ".tmp")) {
            char p[STORE_BACKUP_PATH_MAX];
            if (snprintf(p, sizeof p, "%s/%s", b->cfg->backup_dir, e->d_name) < (int)sizeof p &&
                unlink(p) == 0)
                log_warn("backup", "removed the leftover of an interrupted backup: %s", p);
            continue;
        }
        if (server_backup_name_time(b->cfg->database, e->d_name) < 0)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **grown = realloc(*names, ncap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            *names = grown;
            cap = ncap;
        }
        if (!((*names)[*n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*names, *n, sizeof **names, server_backup_cmp);
    return rc;
}

static void server_backup_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Time of the newest backup in the directory, -1 when there is none. Removes leftovers of
 * interrupted copies when clean_tmp is set. Deletes all but the newest `keep` when prune. */
static int64_t server_backup_scan(struct server_backup *b, bool clean_tmp, bool prune)
{
    char **names;
    size_t n;
    if (server_backup_list(b, clean_tmp, &names, &n) != 0)
        log_warn("backup", "cannot read the backup directory %s: %s", b->cfg->backup_dir,
                 strerror(errno));
    int64_t newest = n ? server_backup_name_time(b->cfg->database, names[n - 1]) : -1;
    for (size_t i = 0;
         prune && n > (size_t)b->cfg->backup_keep && i < n - (size_t)b->cfg->backup_keep; i++) {
        char p[STORE_BACKUP_PATH_MAX];
        if (snprintf(p, sizeof p, "%s/%s", b->cfg->backup_dir, names[i]) >= (int)sizeof p)
            continue;
        if (unlink(p) == 0)
            log_info("backup", "removed %s (keep the newest %d)", p, b->cfg->backup_keep);
        else
            log_warn("backup", "cannot remove %s: %s", p, strerror(errno));
    }
    server_backup_free_list(names, n);
    return newest;
}

/* One scheduled backup, through a connection of its own. 0 or -1 (logged). */
static int server_backup_once(struct server_backup *b, int64_t now)
{
    char name[512], path[STORE_BACKUP_PATH_MAX];
    if (server_backup_name(b->cfg->database, now, name, sizeof name) != 0 ||
        snprintf(path, sizeof path, "%s/%s", b->cfg->backup_dir, name) >= (int)sizeof path) {
        log_error("backup", "the backup path in %s is too long", b->cfg->backup_dir);
        return -1;
    }
    struct proto_error err;
    struct store *s = NULL;
    struct privacy_opts po = {.key_file = b->cfg->privacy_key_file,
                              .keystore = b->cfg->privacy_keystore};
    if (store_open_with(&s, b->cfg->database, &po, &err) != 0) {
        log_error("backup", "cannot open %s: %s", b->cfg->database, err.message);
        return -1;
    }
    struct store_backup_opts opt = {.sleep_ms = -1, .cancel = &b->cancel};
    struct store_backup_info info;
    int rc = store_backup_to(s, path, &opt, &info, NULL, &err);
    store_close(s);
    if (rc != 0) {
        if (atomic_load(&b->cancel))
            log_info("backup", "backup to %s abandoned: the hub is stopping", path);
        else
            log_error("backup", "backup to %s failed: %s", path, err.message);
        return -1;
    }
    log_info("backup",
             "backup written path=%s bytes=%lld last_seq=%lld audit_records=%lld steps=%lld "
             "ms=%lld",
             path, (long long)(info.pages * info.page_size), (long long)info.last_seq,
             (long long)info.audit_records, (long long)info.steps, (long long)info.ms);
    return 0;
}

static void *server_backup_main(void *arg)
{
    struct server_backup *b = arg;
    const int64_t interval = b->cfg->backup_interval_seconds * 1000;
    int64_t last = server_backup_scan(b, true, false);
    int64_t retry_at = 0;
    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        int64_t now = clock_now_ms(&b->clock);
        /* a newest backup "from the future" (the clock went back) counts as taken now */
        int64_t due = last < 0 ? now : (last > now ? now : last) + interval;
        if (retry_at > due)
            due = retry_at;
        if (now >= due) {
            pthread_mutex_unlock(&b->mu);
            if (server_backup_once(b, now) == 0) {
                last = now;
                retry_at = 0;
                server_backup_scan(b, false, true);
            } else {
                retry_at =
                    now + (interval < SERVER_BACKUP_RETRY_MS ? interval : SERVER_BACKUP_RETRY_MS);
            }
            pthread_mutex_lock(&b->mu);
            continue;
        }
        int64_t wait = due - now;
        if (wait > SERVER_BACKUP_MAX_WAIT_MS)
            wait = SERVER_BACKUP_MAX_WAIT_MS;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)(wait / 1000);
        ts.tv_nsec += (long)(wait % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&b->cv, &b->mu, &ts);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Creates the directory if missing (0700: backups hold personal data) and checks that the
 * hub may write into it. */
static int server_backup_prepare_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0700) != 0) {
            log_error("backup", "cannot create the backup directory %s: %s", dir, strerror(errno));
            return -1;
        }
        log_info("backup", "created the backup directory %s", dir);
    } else if (!S_ISDIR(st.st_mode)) {
        log_error("backup", "[backup] dir %s is not a directory", dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        log_error("backup", "cannot write into the backup directory %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int server_backup_start(const struct config *cfg, const struct clock *clk,
                        struct server_backup **out)
{
    *out = NULL;
    if (!cfg->backup_dir[0])
        return 0;
    if (server_backup_prepare_dir(cfg->backup_dir) != 0)
        return -1;
    struct server_backup *b = calloc(1, sizeof *b);
    if (!b) {
        log_error("backup", "out of memory");
        return -1;
    }
    b->cfg = cfg;
    b->clock = *clk;
    atomic_init(&b->cancel, 0);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_mutex_init(&b->mu, NULL);
    if (rc == 0 && (rc = pthread_cond_init(&b->cv, &ca)) != 0)
        pthread_mutex_destroy(&b->mu);
    pthread_condattr_destroy(&ca);
    if (rc != 0) {
        free(b);
        log_error("backup", "cannot create the backup thread's lock: %s", strerror(rc));
        return -1;
    }
    /* SIGINT/SIGTERM must reach the main thread, whose poll() they interrupt. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&b->thread, NULL, server_backup_main, b);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&b->cv);
        pthread_mutex_destroy(&b->mu);
        free(b);
        log_error("backup", "cannot start the backup thread: %s", strerror(rc));
        return -1;
    }
    log_info("backup", "scheduled backups to %s every %lld s, keeping %d", cfg->backup_dir,
             (long long)cfg->backup_interval_seconds, cfg->backup_keep);
    *out = b;
    return 0;
}

void server_backup_stop(struct server_backup *b)
{
    if (!b)
        return;
    atomic_store(&b->cancel, 1);
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

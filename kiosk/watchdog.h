/* The kiosk's watchdog: a thread that watches a counter the UI loop bumps on every
 * iteration. When the counter has not moved for the configured time (the loop is stuck in a
 * driver, a deadlock, an endless loop) it records the restart in <state-dir>/watchdog, logs,
 * and re-executes the program with its original arguments; if even that fails it aborts, so
 * systemd (Restart=always) starts a fresh one. The record survives the restart: the new
 * process reads it and reports watchdog_restarts / last_watchdog_at in its heartbeats.
 *
 * The UI loop must wake at least every few seconds for this to work (main.c caps its wait
 * at WATCHDOG_MAX_WAIT_MS while a watchdog runs). */
#ifndef SHOWFLOOR_WATCHDOG_H
#define SHOWFLOOR_WATCHDOG_H

#include <stddef.h>
#include <stdint.h>

#define WATCHDOG_MAX_WAIT_MS 2000
#define WATCHDOG_FILE        "watchdog"

/* What <state-dir>/watchdog holds: how many times the watchdog restarted this kiosk, and
 * when last (UTC ms of the kiosk's clock). */
struct watchdog_record {
    int64_t count;
    int64_t at;
};

/* Reads the record; a missing file is {0, 0}. 0, or -1 with err for an unreadable or
 * malformed one (the caller logs it and starts from {0, 0}). */
int watchdog_record_read(const char *path, struct watchdog_record *out, char *err, size_t errsz);
/* Writes the record atomically (path.tmp, then rename, fsync'd), mode 0600. 0 or -1 with
 * err. No malloc and no stdio but snprintf of err: safe while another thread is stuck. */
int watchdog_record_write(const char *path, const struct watchdog_record *r, char *err,
                          size_t errsz);

/* Re-executes this program (/proc/self/exe) with argv after marking every descriptor but
 * 0-2 close-on-exec, so the new process does not inherit the hub socket or the databases.
 * Does not return: abort() when execv fails. Any thread. */
_Noreturn void watchdog_reexec(char *const *argv);

struct watchdog;

/* Starts watching: no watchdog_beat for `seconds` -> record {base->count + 1, now} in
 * `record_path`, log, watchdog_reexec(argv). `base` is the record read at start (copied).
 * argv is borrowed and must live as long as the watchdog (main's argv does). NULL with err
 * on failure. UI thread. */
struct watchdog *watchdog_start(int seconds, const char *record_path,
                                const struct watchdog_record *base, char *const *argv, char *err,
                                size_t errsz);
/* The UI loop made progress (UI thread; an atomic increment). NULL is ignored. */
void watchdog_beat(struct watchdog *w);
/* Stops and joins the thread (UI thread). NULL is ignored. */
void watchdog_stop(struct watchdog *w);

#endif

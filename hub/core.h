/* The hub's core: everything the network layer needs from the store and the domain rules,
 * and nothing about sockets. The network layer (server.c, session.c) calls only this;
 * core_*.c call the store (store.h) and the pure rules (domain.h).
 *
 * Threading: the hub has one thread; every function here is called from it. A struct core
 * must not be shared between threads. */
#ifndef SHOWFLOOR_CORE_H
#define SHOWFLOOR_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "domain.h"
#include "proto.h"

struct core;
struct privacy_opts;

struct core_options {
    const char *db_path;   /* SQLite file; created with migrations if missing */
    int64_t staff_idle_ms; /* staff login idle expiry; <= 0 means 5 minutes */
    int replay_max;        /* most events replayed before a snapshot; <= 0 means 5000 */
    /* Ed25519 key file signing delivery records (core_sign.h); NULL or "" means
     * "<db_path>.signing-key". Created (mode 0600) at the first delivery if missing. */
    const char *signing_key_path;
    /* personal data keys (privacy.h); NULL = the defaults next to db_path */
    const struct privacy_opts *privacy;
    /* WAL checkpoints on a thread of their own (store_checkpointer_start): the hub sets it;
     * a short-lived CLI keeps SQLite's checkpoint inside the commit */
    bool checkpoint_thread;
};

/* Opens the store (applying migrations) and prepares the core. 0, or -1 with *err filled
 * (a database from a newer version gives PROTO_E_UNAVAILABLE with a clear message). */
int core_open(struct core **out, const struct core_options *opt, struct proto_error *err);
void core_close(struct core *c);

/* Stable identity of this database (random, created with it): the hello's hub_id. */
const char *core_hub_id(const struct core *c);
/* WAL checkpoints so far (store_checkpointer_counts); zeros without a checkpoint thread. */
void core_checkpoint_counts(struct core *c, int64_t *by_thread, int64_t *inline_runs);

/* Deferred sync (store.h "Deferred sync"): the hub starts it once its loop can be woken;
 * commits then return before the WAL's fdatasync, which a thread does, and nothing may leave
 * the process before core_durable_synced() has reached the core_durable_written() of the
 * time it was read or decided. synced_cb runs after each sync a kick asked for (on that
 * thread, or in the core_durable_flush that served the kick first). Without it
 * (the CLI, most tests) both stay 0 and every COMMIT is durable when it returns. Stop before
 * whatever synced_cb uses goes away (core_close stops it too). */
int core_durable_start(struct core *c, void (*synced_cb)(void *arg), void *arg,
                       struct proto_error *err);
void core_durable_stop(struct core *c);
uint64_t core_durable_written(struct core *c);
uint64_t core_durable_synced(struct core *c);
/* Asks the thread to sync what is written (store_syncer_kick): when something waits. */
void core_durable_kick(struct core *c);
/* The errno of a failed sync (final: nothing more may be acknowledged), or 0. */
int core_durable_failed(struct core *c);
/* Syncs on this thread if anything written is not yet synced: before an answer that cannot
 * wait for the thread (HTTP, a webhook). 0, or -1 with PROTO_E_UNAVAILABLE. */
int core_durable_flush(struct core *c, struct proto_error *err);
/* Syncs so far, on the thread and inline. */
void core_durable_counts(struct core *c, int64_t *by_thread, int64_t *inline_runs);

/* An authenticated device. Plain data: copy freely. */
struct core_device {
    int64_t id;
    int64_t site_id;
    enum domain_mode mode;
    char name[PROTO_MAX_NAME + 1];
    char site_code[PROTO_MAX_SHORT + 1];
    char site_name[PROTO_MAX_NAME + 1];
};

/* Looks the token up by its hash. 0 and *out filled; -1 with PROTO_E_AUTH_FAILED or
 * PROTO_E_DEVICE_REVOKED. Records last-seen time and the client string. */
int core_auth_device(struct core *c, const char *token, const char *client, int64_t now,
                     struct core_device *out, struct proto_error *err);
/* 1 if the device still exists and is not revoked. */
int core_device_active(struct core *c, int64_t device_id);
/* auth_ok's "device" object. Caller frees with cJSON_Delete. */
cJSON *core_device_json(const struct core_device *d);

/* A staff login on one connection. Plain data. */
struct core_staff {
    int64_t id;
    int64_t site_id;
    enum domain_role role;
    char staff_no[PROTO_MAX_SHORT + 1];
    char name[PROTO_MAX_NAME + 1];
    int64_t expires_at; /* refreshed by the network layer on each request */
};

/* Verifies staff_no + PIN (Argon2id hash) for a device's site, with lockout.
 * 0 with *staff filled and *data the result data (caller frees); -1 with *err. */
int core_staff_login(struct core *c, const struct core_device *dev, const char *staff_no,
                     const char *pin, int64_t now, struct core_staff *staff, cJSON **data,
                     struct proto_error *err);

/* Runs one request other than auth/ping/subscribe/staff_login/staff_logout (checkin,
 * order_lookup, ...). `args` has already been validated by the protocol library.
 * Checks the device's mode (and staff role where needed), runs the domain rule and, for
 * commands, commits domain rows + event rows + the command id in one transaction before
 * returning. A repeat of a command id returns the stored first result.
 * 0 with *data (caller frees with cJSON_Delete); -1 with *err (nothing changed). */
int core_request(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                 enum proto_type type, const char *req_id, const cJSON *args, int64_t now,
                 cJSON **data, struct proto_error *err);
/* The same; for a new command whose stored result is *data as it is, also *text = that
 * result printed (proto_json_print; free() it), so the answer need not print it again.
 * Otherwise *text = NULL. */
int core_request_text(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      enum proto_type type, const char *req_id, const cJSON *args, int64_t now,
                      cJSON **data, char **text, struct proto_error *err);

/* Checks every order's time limits (DOMAIN.md "Orders"; the site's settings) at `now`:
 * each limit found breached and not recorded before is recorded and announced with an
 * order.sla_breached event, all in one transaction. In the same transaction it runs the
 * floor's timers (hub/RECEPTION.md): overdue leads (lead.overdue), appointment no-shows,
 * visits closed at closing time, conflicts not ruled in 24 h (conflict.overdue), complaint
 * deadlines with escalation; each reported once. Returns how many were new, or -1 on a
 * store error (logged; nothing recorded). The hub's timer calls it every 30 s. */
int core_tick(struct core *c, int64_t now);

/* ---- the event log ---- */

/* A committed event as stored. `data` is the full, unmasked payload: never send it as is;
 * core_event_view() makes what a mode may see. Borrowed for the callback's duration. */
struct core_event {
    int64_t seq;
    int64_t site_id;
    const char *kind;
    int64_t at;
    const cJSON *data;
};

int64_t core_last_seq(struct core *c);
/* Calls cb for each committed event with seq > since, in order, at most max of them.
 * Returns how many were passed, or -1 on a store error. */
int core_events_after(struct core *c, int64_t since, int max,
                      void (*cb)(void *ctx, const struct core_event *ev), void *ctx);
/* The same, but an event for which needs() says no is passed with data NULL, unparsed: the
 * fan-out of an event no screen is watching needs only its seq. */
int core_events_after_lazy(struct core *c, int64_t since, int max,
                           bool (*needs)(void *ctx, int64_t seq, int64_t site_id, const char *kind),
                           void (*cb)(void *ctx, const struct core_event *ev), void *ctx);
/* The event as a device of `mode` may see it: NULL if it must not see it at all (other
 * kinds, internal kinds such as device.revoked), else the masked data object (caller
 * frees). The caller also checks ev->site_id against the device's site. */
cJSON *core_event_view(struct core *c, const struct core_event *ev, enum domain_mode mode);
/* Snapshot state for a device (PROTOCOL.md "Snapshot state by mode"), read in one read
 * transaction together with *seq, so the state is exactly the state at *seq.
 * Caller frees; NULL on a store error. */
cJSON *core_snapshot(struct core *c, const struct core_device *dev, int64_t now, int64_t *seq);
/* Whether to replay (1) or snapshot (0) for a subscribe with `since`. */
int core_should_replay(struct core *c, int64_t since);

/* 1 if another process (the admin CLI) committed to the database since the last call
 * (PRAGMA data_version); the hub then reads events after its last seq and fans them out. */
int core_poll_external(struct core *c);

/* 0 if the database answers a read; for /healthz. */
int core_health(struct core *c);

/* ---- group commit (core_batch.c) ----
 *
 * Commands that arrive in one pass of the event loop share one transaction, so one COMMIT
 * (and one WAL sync) covers them all. A command of the batch runs without a savepoint of its
 * own: a savepoint makes SQLite copy every page the command touches into a statement
 * journal, and almost every failing command fails before it writes. One that fails after
 * writing (its rows are then in the transaction) makes the whole batch run again, from a
 * rolled-back transaction, with a savepoint per command, so each command's answer is what
 * it would be alone. Nothing may be acknowledged before core_batch_run() returns. */

/* One command of a batch. `run` runs it (core_request() with its sender's device and login)
 * and returns 0 with *data or -1 with *err; it may be called twice (see above), so it must
 * have no effect that a second call would double outside the store's transaction. */
struct core_batch_cmd {
    int (*run)(void *arg, cJSON **data, struct proto_error *err);
    void *arg;
    int rc;      /* out: 0 (data set) or -1 (err set) */
    cJSON *data; /* out: the caller frees it */
    struct proto_error err;
};
/* Runs the n commands as one group commit: one alone in its own transaction; several in
 * one (each in its own when another process holds the write lock). On return every command
 * has its answer: a COMMIT that failed turned each success into that failure. */
void core_batch_run(struct core *c, struct core_batch_cmd *const *cmds, size_t n);
/* The same by hand, for a caller that runs many commands in one transaction (the demo
 * year's generator): BEGIN IMMEDIATE, then core_request() for each, each in a savepoint of
 * its own, then COMMIT. core_batch_begin: 0, or -1 with *err (busy). core_batch_commit: 0
 * when every command that succeeded is committed; -1 with *err when none is. */
int core_batch_begin(struct core *c, struct proto_error *err);
int core_batch_commit(struct core *c, struct proto_error *err);
/* 1 if `t` is known to be a command (it went through the command path once in this process);
 * a type never seen yet runs alone the first time, which teaches it. */
bool core_batch_is_command(enum proto_type t);

#endif

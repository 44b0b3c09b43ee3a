/* Group commit: the commands of one event-loop pass share one write transaction and one
 * WAL sync (core.h "group commit"). A lone commit costs a sync (about 6,500/s on the
 * development machine), while SQLite writes about 60,000 rows/s in batches of 100: sharing
 * the COMMIT is what lets the hub acknowledge many concurrent senders' check-ins durably.
 * The network layer answers no command of a batch before core_batch_run() has returned (and
 * the WAL sync after it: hub/README.md "Deferred sync").
 *
 * Commands of a batch run without savepoints first. Inside a savepoint SQLite copies each
 * page a command modifies into the statement journal before the change (17 pages, ~68 KiB,
 * for a check-in), which was 7 % of the hub's time at 64 senders (BENCHMARKS.md "Round 6");
 * but a failing command must undo only itself. Nearly every failure comes before a command
 * writes (validation, a missing row, a repeated id), and then there is nothing to undo: a
 * failed command that did not move store_total_changes() leaves the transaction as it was.
 * One that did (a fault after its first write) taints the batch: it is rolled back whole and
 * run again with a savepoint per command, before anything was answered. */
#include "core_batch.h"

#include <stdbool.h>

#include "log.h"

/* Which request types took the command path in this process. A fact about the code (the
 * handler table of core_request.c), not about one core, so it is kept once. */
static bool core_batch_commands[PROTO_T__COUNT];

bool core_batch_is_command(enum proto_type t)
{
    return (int)t >= 0 && t < PROTO_T__COUNT && core_batch_commands[t];
}

static int batch_begin(struct core *c, bool savepoints, struct proto_error *err)
{
    if (c->batch)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "a batch is already open");
    if (store_begin(c->store, err))
        return -1;
    c->batch = true;
    c->batch_savepoints = savepoints;
    c->batch_dirty = false;
    return 0;
}

/* After a COMMIT that made an erasure durable (core_customer.c set checkpoint_due): the WAL
 * is checkpointed and truncated so no page of the customer's old row stays in it. A reader
 * in the way leaves the flag set, and the next commit tries again. */
static void core_batch_after_commit(struct core *c)
{
    if (!c->checkpoint_due)
        return;
    struct proto_error e;
    if (store_checkpoint_truncate(c->store, &e) == 0)
        c->checkpoint_due = false;
    else
        log_warn("core", "WAL checkpoint after an erasure deferred: %s", e.message);
}

static int batch_commit(struct core *c, struct proto_error *err)
{
    c->batch = false;
    /* A command's failure that SQLite answered by rolling back the whole transaction
     * (I/O error, disk full) took every command of the batch with it: report that. */
    if (!store_in_transaction(c->store))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the database rolled the batch back; retry");
    if (store_commit(c->store, err))
        return -1;
    core_batch_after_commit(c);
    return 0;
}

/* Runs each command; in a batch without savepoints, stops at one that tainted it (the batch
 * runs again anyway). */
static void run_each(struct core *c, struct core_batch_cmd *const *cmds, size_t n)
{
    for (size_t i = 0; i < n && !(c->batch && c->batch_dirty); i++) {
        struct core_batch_cmd *m = cmds[i];
        cJSON_Delete(m->data);
        m->data = NULL;
        m->err = (struct proto_error){0};
        m->rc = m->run(m->arg, &m->data, &m->err) == 0 ? 0 : -1;
    }
}

int core_batch_begin(struct core *c, struct proto_error *err)
{
    return batch_begin(c, true, err);
}

int core_batch_commit(struct core *c, struct proto_error *err)
{
    if (!c->batch)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "no batch is open");
    return batch_commit(c, err);
}

void core_batch_run(struct core *c, struct core_batch_cmd *const *cmds, size_t n)
{
    struct proto_error berr;
    /* One command runs alone, in its own transaction: the same answer without a batch
     * around it. Busy (another process writes): each command opens its own too. */
    if (n < 2 || batch_begin(c, false, &berr) != 0) {
        run_each(c, cmds, n);
        return;
    }
    run_each(c, cmds, n);
    if (c->batch_dirty) {
        log_info("core",
                 "a command of a batch of %zu failed after writing: the batch runs again "
                 "with a savepoint per command",
                 n);
        store_rollback(c->store);
        c->batch = false;
        if (batch_begin(c, true, &berr) != 0) {
            run_each(c, cmds, n);
            return;
        }
        run_each(c, cmds, n);
    }
    if (batch_commit(c, &berr) == 0)
        return;
    log_error("core", "group commit of %zu commands failed: %s", n, berr.message);
    for (size_t i = 0; i < n; i++) {
        if (cmds[i]->rc != 0)
            continue;
        cJSON_Delete(cmds[i]->data);
        cmds[i]->data = NULL;
        cmds[i]->rc = -1;
        cmds[i]->err = berr;
    }
}

int core_batch_cmd_begin(struct core *c, enum proto_type t, struct proto_error *err)
{
    if ((int)t >= 0 && t < PROTO_T__COUNT)
        core_batch_commands[t] = true;
    if (!c->batch)
        return store_begin(c->store, err);
    if (!store_in_transaction(c->store))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the database rolled the batch back; retry");
    if (!c->batch_savepoints) {
        c->batch_changes = store_total_changes(c->store);
        return 0;
    }
    return store_savepoint(c->store, err);
}

int core_batch_cmd_commit(struct core *c, struct proto_error *err)
{
    if (!c->batch) {
        if (store_commit(c->store, err))
            return -1;
        core_batch_after_commit(c);
        return 0;
    }
    if (!c->batch_savepoints)
        return 0;                        /* its writes simply stay in the batch's transaction */
    return store_release(c->store, err); /* on failure the caller rolls back to it */
}

void core_batch_cmd_rollback(struct core *c)
{
    if (!c->batch) {
        store_rollback(c->store);
        return;
    }
    if (!c->batch_savepoints) {
        if (store_total_changes(c->store) != c->batch_changes)
            c->batch_dirty = true; /* its writes are in the transaction: core_batch_run redoes */
        return;
    }
    struct proto_error e;
    if (store_rollback_to(c->store, &e))
        log_error("core", "rollback to the command's savepoint failed: %s", e.message);
}

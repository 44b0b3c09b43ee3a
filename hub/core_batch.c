/* Group commit: the commands of one event-loop pass share one write transaction and one
 * fsync, each inside its own savepoint (core.h "group commit"). With synchronous=FULL a lone
 * commit costs an fsync (about 6,500/s on the development machine), while SQLite writes
 * about 60,000 rows/s in batches of 100: sharing the COMMIT is what lets the hub acknowledge
 * many concurrent senders' check-ins durably. Durability is unchanged: the network layer
 * answers no command of a batch before core_batch_commit() has returned. */
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

int core_batch_begin(struct core *c, struct proto_error *err)
{
    if (c->batch)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "a batch is already open");
    if (store_begin(c->store, err))
        return -1;
    c->batch = true;
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

int core_batch_commit(struct core *c, struct proto_error *err)
{
    if (!c->batch)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "no batch is open");
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

int core_batch_cmd_begin(struct core *c, enum proto_type t, struct proto_error *err)
{
    if ((int)t >= 0 && t < PROTO_T__COUNT)
        core_batch_commands[t] = true;
    if (!c->batch)
        return store_begin(c->store, err);
    if (!store_in_transaction(c->store))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the database rolled the batch back; retry");
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
    return store_release(c->store, err); /* on failure the caller rolls back to it */
}

void core_batch_cmd_rollback(struct core *c)
{
    if (!c->batch) {
        store_rollback(c->store);
        return;
    }
    struct proto_error e;
    if (store_rollback_to(c->store, &e))
        log_error("core", "rollback to the command's savepoint failed: %s", e.message);
}

/* Savepoints inside an open write transaction, for group commit (core_batch.c): each command
 * of a batch runs inside its own savepoint, so a failing command undoes only its own writes
 * while the batch's transaction, and the one fsync at its COMMIT, is shared.
 *
 * The statements are prepared once with the aggregates' (they were run with sqlite3_exec,
 * parsed each time: 2 % of the hub's time at 64 senders). */
#include "store_internal.h"

static const char *const sql[] = {
    "SAVEPOINT sf_cmd",
    "RELEASE sf_cmd",
    "ROLLBACK TO sf_cmd",
};
enum { SP_BEGIN, SP_RELEASE, SP_ROLLBACK_TO };
const struct store_sql_table store_savepoint_sql = {"savepoint", sql, sizeof sql / sizeof sql[0]};

bool store_in_transaction(struct store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int64_t store_total_changes(struct store *s)
{
    return sqlite3_total_changes64(s->db);
}

static int sp_exec(struct store *s, int i, struct proto_error *err)
{
    return store_exec(s, store_stmt(s, STORE_AGG_SAVEPOINT, i), err);
}

int store_savepoint(struct store *s, struct proto_error *err)
{
    return sp_exec(s, SP_BEGIN, err);
}

int store_release(struct store *s, struct proto_error *err)
{
    return sp_exec(s, SP_RELEASE, err);
}

int store_rollback_to(struct store *s, struct proto_error *err)
{
    /* SQLite may already have rolled the whole transaction back (an I/O error, a full disk):
     * then there is no savepoint left to return to, and the caller's COMMIT will fail. */
    if (!store_in_transaction(s))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "the transaction was rolled back");
    /* ROLLBACK TO keeps the savepoint open; release it too so savepoints do not pile up */
    if (sp_exec(s, SP_ROLLBACK_TO, err))
        return -1;
    return sp_exec(s, SP_RELEASE, err);
}

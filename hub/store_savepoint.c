/* Savepoints inside an open write transaction, for group commit (core_batch.c): each command
 * of a batch runs inside its own savepoint, so a failing command undoes only its own writes
 * while the batch's transaction, and the one fsync at its COMMIT, is shared.
 *
 * The statements are run with sqlite3_exec (parsed each time, a few microseconds) rather than
 * kept prepared: store_close() finalizes only the aggregates' tables, and a statement it does
 * not know about would keep sqlite3_close() from closing the database. */
#include "store_internal.h"

bool store_in_transaction(struct store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

static int sp_exec(struct store *s, const char *sql, struct proto_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    return store_fault(s, sql, err);
}

int store_savepoint(struct store *s, struct proto_error *err)
{
    return sp_exec(s, "SAVEPOINT sf_cmd", err);
}

int store_release(struct store *s, struct proto_error *err)
{
    return sp_exec(s, "RELEASE sf_cmd", err);
}

int store_rollback_to(struct store *s, struct proto_error *err)
{
    /* SQLite may already have rolled the whole transaction back (an I/O error, a full disk):
     * then there is no savepoint left to return to, and the caller's COMMIT will fail. */
    if (!store_in_transaction(s))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "the transaction was rolled back");
    /* ROLLBACK TO keeps the savepoint open; release it too so savepoints do not pile up */
    if (sp_exec(s, "ROLLBACK TO sf_cmd", err))
        return -1;
    return sp_exec(s, "RELEASE sf_cmd", err);
}

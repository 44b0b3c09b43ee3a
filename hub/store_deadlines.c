/* Deadline reports: the hub's timer records each breach of a complaint, conflict or
 * appointment deadline once, so a restart or a second tick never reports it again. */
#include "store_internal.h"

#include <string.h>

static const char *const sql[] = {
    "INSERT INTO deadline_reports (kind, ref_id, what, due_at, at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (kind, ref_id, what, due_at) DO NOTHING",
};
enum { DL_RECORD };
const struct store_sql_table store_deadlines_sql = {"deadlines", sql, sizeof sql / sizeof sql[0]};

int store_deadlines_record(struct store *s, const char *kind, int64_t ref_id, const char *what,
                           int64_t due_at, int64_t at, bool *is_new, struct proto_error *err)
{
    if (!kind ||
        (strcmp(kind, "complaint") && strcmp(kind, "conflict") && strcmp(kind, "appointment")))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown deadline kind");
    if (!what || !*what)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "what", "which deadline?");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_DEADLINES, DL_RECORD);
    if (store_bind(s, st, err, "titii", kind, ref_id, what, due_at, at) || store_exec(s, st, err))
        return -1;
    if (is_new)
        *is_new = store_changes(s) == 1;
    return 0;
}

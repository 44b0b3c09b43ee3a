/* Command ids: per device, the type, a hash of the canonical args and the result data of
 * every command, so a repeated id returns the first result and changes nothing. The stored
 * result has every customer masked (domain_privacy_mask): a repeat answers with what a
 * public screen would show, and no name or phone rests here in the clear. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const sql[] = {
    "SELECT type, args_hash, result, at FROM commands WHERE device_id = ?1 AND cmd_id = ?2",
    "INSERT INTO commands (device_id, cmd_id, type, args_hash, result, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "DELETE FROM commands WHERE at < ?1",
};
enum { CMD_GET, CMD_PUT, CMD_PRUNE };
const struct store_sql_table store_commands_sql = {"commands", sql, sizeof sql / sizeof sql[0]};

int store_commands_get(struct store *s, int64_t device_id, const char *cmd_id,
                       struct store_command *out, struct proto_error *err)
{
    out->result = NULL;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMMANDS, CMD_GET);
    if (store_bind(s, st, err, "it", device_id, cmd_id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        store_col_text(st, 0, out->type, sizeof out->type);
        store_col_text(st, 1, out->args_hash, sizeof out->args_hash);
        const char *r = (const char *)sqlite3_column_text(st, 2);
        out->at = store_col_int(st, 3);
        out->result = strdup(r ? r : "{}");
        if (!out->result)
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    store_done(st);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return store_not_found(err, "command");
    return 0;
}

static int put_text(struct store *s, int64_t device_id, const char *cmd_id, const char *type,
                    const char *args_hash, const char *text, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMMANDS, CMD_PUT);
    return store_bind(s, st, err, "itttti", device_id, cmd_id, type, args_hash, text, at) ||
                   store_exec(s, st, err)
               ? -1
               : 0;
}

int store_commands_put(struct store *s, int64_t device_id, const char *cmd_id, const char *type,
                       const char *args_hash, const char *result_json, int64_t at,
                       struct proto_error *err)
{
    /* checked here: the table takes any text (migration 12); a result naming a customer is
     * stored masked */
    cJSON *r = result_json ? cJSON_ParseWithOpts(result_json, NULL, 1) : NULL;
    if (!r)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "result", "the result is not JSON");
    int rc = strstr(result_json, "\"customer")
                 ? store_commands_put_json(s, device_id, cmd_id, type, args_hash, r, at, NULL, err)
                 : put_text(s, device_id, cmd_id, type, args_hash, result_json, at, err);
    cJSON_Delete(r);
    return rc;
}

int store_commands_put_json(struct store *s, int64_t device_id, const char *cmd_id,
                            const char *type, const char *args_hash, const cJSON *result,
                            int64_t at, char **printed, struct proto_error *err)
{
    if (printed)
        *printed = NULL;
    bool as_is = false;
    char *text = store_masked_text(result, &as_is);
    if (!text)
        return proto_error_set(
            err, PROTO_E_INTERNAL, NULL,
            "cannot print the result as JSON (out of memory, or text that is not UTF-8)");
    int rc = put_text(s, device_id, cmd_id, type, args_hash, text, at, err);
    if (rc == 0 && printed && as_is)
        *printed = text;
    else
        free(text);
    return rc;
}

int store_commands_prune(struct store *s, int64_t before, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMMANDS, CMD_PRUNE);
    if (store_bind(s, st, err, "i", before))
        return -1;
    return store_exec(s, st, err);
}

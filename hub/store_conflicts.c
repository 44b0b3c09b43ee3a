/* Conflicts (撞单): two staff claiming one customer's lead, with each claimant's evidence,
 * until a supervisor's final ruling. Appends conflict.opened / conflict.ruled. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#define CONFLICT_COLS                                                                   \
    "id, site_id, customer_id, lead_id, claimants, state, winner_id, reason, ruled_by," \
    " ruled_at, opened_at"

static const char *const sql[] = {
    "INSERT INTO conflicts (site_id, customer_id, lead_id, claimants, state, opened_at)"
    " VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
    "SELECT " CONFLICT_COLS " FROM conflicts WHERE id = ?1",
    "SELECT " CONFLICT_COLS " FROM conflicts WHERE lead_id = ?1 AND state = 'open'",
    "UPDATE conflicts SET state = 'ruled', winner_id = ?2, reason = ?3, ruled_by = ?4,"
    " ruled_at = ?5 WHERE id = ?1 AND state = 'open'",
    "SELECT " CONFLICT_COLS " FROM conflicts WHERE site_id = ?1 AND (?2 IS NULL OR state = ?2)"
    " ORDER BY opened_at DESC, id DESC LIMIT ?3 OFFSET ?4",
    "SELECT count(*) FROM conflicts WHERE site_id = ?1 AND (?2 IS NULL OR state = ?2)",
    "SELECT cu.id, sf_open(cu.name, cu.key_id, 'name'), cu.gender, sf_open(cu.phone, cu.key_id, "
    "'phone'), cu.kind, w.name, r.name FROM conflicts c"
    " JOIN customers cu ON cu.id = c.customer_id LEFT JOIN staff w ON w.id = c.winner_id"
    " LEFT JOIN staff r ON r.id = c.ruled_by WHERE c.id = ?1",
    "SELECT name, staff_no FROM staff WHERE id = ?1",
};
enum { CF_ADD, CF_GET, CF_OPEN_FOR, CF_RULE, CF_LIST, CF_COUNT, CF_JSON, CF_STAFF_NAME };
const struct store_sql_table store_conflicts_sql = {"conflicts", sql, sizeof sql / sizeof sql[0]};

const char *store_conflict_state_name(enum store_conflict_state st)
{
    return st == STORE_CONFLICT_OPEN ? "open" : st == STORE_CONFLICT_RULED ? "ruled" : NULL;
}

static void read_conflict(sqlite3_stmt *st, void *out)
{
    struct store_conflict *c = out;
    char buf[PROTO_MAX_SHORT + 1];
    c->id = store_col_int(st, 0);
    c->site_id = store_col_int(st, 1);
    c->customer_id = store_col_int(st, 2);
    c->lead_id = store_col_int(st, 3);
    store_col_text(st, 4, c->claimants, sizeof c->claimants);
    store_col_text(st, 5, buf, sizeof buf);
    c->state = strcmp(buf, "ruled") == 0 ? STORE_CONFLICT_RULED : STORE_CONFLICT_OPEN;
    c->winner_id = store_col_int(st, 6);
    store_col_text(st, 7, c->reason, sizeof c->reason);
    c->ruled_by = store_col_int(st, 8);
    c->ruled_at = store_col_int(st, 9);
    c->opened_at = store_col_int(st, 10);
}

static int append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                        struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_conflicts_json(s, id, &full, err))
        return -1;
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    return store_append_wrapped(s, site_id, kind, "conflict", full, at, err);
}

int store_conflicts_add(struct store *s, const struct store_conflict *c, int64_t *id,
                        struct proto_error *err)
{
    cJSON *parsed = cJSON_Parse(c->claimants);
    bool is_array = cJSON_IsArray(parsed);
    char *canon = is_array ? store_canon_json(parsed) : NULL;
    cJSON_Delete(parsed);
    if (!is_array)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "claimants",
                               "claimants must be a JSON "
                               "array");
    if (!canon)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    if (strlen(canon) > STORE_JSON_SMALL_MAX) {
        free(canon);
        return proto_error_set(err, PROTO_E_BAD_FIELD, "claimants", "claimants too long");
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_ADD);
    int rc = store_bind(s, st, err, "iiiti", c->site_id, c->customer_id, c->lead_id, canon,
                        c->opened_at);
    free(canon);
    if (rc || store_exec(s, st, err)) {
        if (err && err->code == PROTO_E_INVALID_STATE)
            proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                            "lead %lld already has an open conflict", (long long)c->lead_id);
        return -1;
    }
    int64_t cid = store_last_id(s);
    if (append_event(s, cid, "conflict.opened", c->opened_at, err))
        return -1;
    if (id)
        *id = cid;
    return 0;
}

int store_conflicts_get(struct store *s, int64_t id, struct store_conflict *out,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_conflict, out, "conflict", err);
}

int store_conflicts_open_for_lead(struct store *s, int64_t lead_id, struct store_conflict *out,
                                  struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_OPEN_FOR);
    if (store_bind(s, st, err, "i", lead_id))
        return -1;
    return store_one(s, st, read_conflict, out, "open conflict", err);
}

int store_conflicts_rule(struct store *s, int64_t id, int64_t winner_id, const char *reason,
                         int64_t ruled_by, int64_t at, struct proto_error *err)
{
    if (!winner_id)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "winner", "a ruling names the winner");
    struct store_conflict *c = malloc(sizeof *c);
    if (!c)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int rc = store_conflicts_get(s, id, c, err);
    if (rc == 0 && c->state != STORE_CONFLICT_OPEN)
        rc = proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                             "conflict %lld was already ruled (final)", (long long)id);
    free(c);
    if (rc)
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_RULE);
    if (store_bind(s, st, err, "iitIi", id, winner_id, reason ? reason : "", ruled_by, at) ||
        store_exec(s, st, err))
        return -1;
    return append_event(s, id, "conflict.ruled", at, err);
}

int store_conflicts_list(struct store *s, int64_t site_id, int state, int limit, int offset,
                         int (*cb)(void *ctx, const struct store_conflict *c), void *ctx,
                         int *total, struct proto_error *err)
{
    const char *sn = NULL;
    if (state >= 0 && !(sn = store_conflict_state_name((enum store_conflict_state)state)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown conflict state");
    if (total) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_COUNT);
        if (store_bind(s, st, err, "it", site_id, sn))
            return -1;
        int rc = store_step(s, st, err);
        if (rc == 1)
            *total = (int)store_col_int(st, 0);
        store_done(st);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_LIST);
    if (store_bind(s, st, err, "itii", site_id, sn, (int64_t)(limit > 0 ? limit : 50),
                   (int64_t)(offset > 0 ? offset : 0)))
        return -1;
    struct store_conflict *c = malloc(sizeof *c);
    if (!c) {
        store_done(st);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_conflict(st, c);
        if (cb(ctx, c) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    free(c);
    return rc < 0 ? -1 : 0;
}

/* Adds "name" and "staff_no" to each claimant that names a staff_id (for the supervisor's
 * screen; conflict_rule names the winner by staff number). */
static int name_claimants(struct store *s, cJSON *arr, struct proto_error *err)
{
    cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        cJSON *sid = cJSON_GetObjectItem(it, "staff_id");
        if (!cJSON_IsNumber(sid) || cJSON_GetObjectItem(it, "name"))
            continue;
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_STAFF_NAME);
        if (store_bind(s, st, err, "i", (int64_t)sid->valuedouble))
            return -1;
        int rc = store_step(s, st, err);
        bool ok = rc != 1 || (cJSON_AddStringToObject(it, "name", store_col_str(st, 0)) &&
                              cJSON_AddStringToObject(it, "staff_no", store_col_str(st, 1)));
        store_done(st);
        if (rc < 0)
            return -1;
        if (!ok)
            return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    return 0;
}

int store_conflicts_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    struct store_conflict *c = malloc(sizeof *c);
    if (!c)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int rc = -1;
    cJSON *o = NULL;
    if (store_conflicts_get(s, id, c, err))
        goto out;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CONFLICTS, CF_JSON);
    if (store_bind(s, st, err, "i", id))
        goto out;
    int step = store_step(s, st, err);
    if (step == 1) {
        o = cJSON_CreateObject();
        cJSON *parts[4] = {
            store_json_customer(store_col_int(st, 0), store_col_str(st, 1), store_col_str(st, 2),
                                store_col_str(st, 3), store_col_str(st, 4)),
            cJSON_Parse(c->claimants), store_json_ref(c->winner_id, store_col_str(st, 5)),
            store_json_ref(c->ruled_by, store_col_str(st, 6))};
        static const char *const keys[4] = {"customer", "claimants", "winner", "ruled_by"};
        bool ok = o && cJSON_AddNumberToObject(o, "id", (double)c->id) &&
                  cJSON_AddNumberToObject(o, "site_id", (double)c->site_id) &&
                  cJSON_AddNumberToObject(o, "lead_id", (double)c->lead_id);
        for (int i = 0; i < 4; i++) {
            if (ok && parts[i] && cJSON_AddItemToObject(o, keys[i], parts[i]))
                parts[i] = NULL;
            else
                ok = false;
        }
        for (int i = 0; i < 4; i++)
            cJSON_Delete(parts[i]);
        ok = ok && cJSON_AddStringToObject(o, "state", store_conflict_state_name(c->state)) &&
             !store_json_add_str_or_null(o, "reason", c->reason) &&
             !store_json_add_int_or_null(o, "ruled_at", c->ruled_at) &&
             cJSON_AddNumberToObject(o, "opened_at", (double)c->opened_at);
        if (!ok)
            step = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    store_done(st);
    if (step == 0)
        store_not_found(err, "conflict");
    if (step != 1 || name_claimants(s, cJSON_GetObjectItem(o, "claimants"), err))
        goto out;
    *out = o;
    o = NULL;
    rc = 0;
out:
    cJSON_Delete(o);
    free(c);
    return rc;
}

/* Change and cancellation requests: what a consultant asked to change (old and new values
 * per field) or to cancel, and the supervisor's and manager's decisions on it. At most one
 * open request of each kind per order (a partial unique index says so). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ_COLS                                                                      \
    "id, order_id, kind, changes, reason, needs_manager, requested_by, requested_at," \
    " supervisor_decision, supervisor_id, supervisor_at, supervisor_reason,"          \
    " manager_decision, manager_id, manager_at, manager_reason, state, closed_at"

static const char *const sql[] = {
    "INSERT INTO order_requests (order_id, kind, changes, reason, needs_manager, requested_by,"
    " requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT " REQ_COLS " FROM order_requests WHERE id = ?1",
    "SELECT " REQ_COLS " FROM order_requests WHERE order_id = ?1 AND kind = ?2"
    " AND state = 'pending'",
    "UPDATE order_requests SET needs_manager = ?2, supervisor_decision = ?3,"
    " supervisor_id = ?4, supervisor_at = ?5, supervisor_reason = ?6, manager_decision = ?7,"
    " manager_id = ?8, manager_at = ?9, manager_reason = ?10, state = ?11, closed_at = ?12"
    " WHERE id = ?1",
    "SELECT " REQ_COLS " FROM order_requests WHERE order_id = ?1 ORDER BY id",
};
enum { REQ_ADD, REQ_GET, REQ_OPEN, REQ_SAVE, REQ_LIST };
const struct store_sql_table store_requests_sql = {"requests", sql, sizeof sql / sizeof sql[0]};

static const char *const kind_names[] = {"change", "cancel"};
static const char *const state_names[] = {"pending", "approved", "rejected", "applied"};
static const char *const decision_names[] = {"none", "approved", "rejected"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_at(const char *const *names, size_t n, unsigned i)
{
    return i < n ? names[i] : NULL;
}

static int name_find(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return 0; /* the schema's CHECKs allow only known names */
}

const char *store_request_kind_name(enum store_request_kind k)
{
    return name_at(kind_names, COUNT(kind_names), (unsigned)k);
}

const char *store_request_state_name(enum store_request_state st)
{
    return name_at(state_names, COUNT(state_names), (unsigned)st);
}

const char *store_decision_name(enum store_decision d)
{
    return name_at(decision_names, COUNT(decision_names), (unsigned)d);
}

static void read_request(sqlite3_stmt *st, void *out)
{
    struct store_request *r = out;
    char buf[PROTO_MAX_SHORT + 1];
    r->id = store_col_int(st, 0);
    r->order_id = store_col_int(st, 1);
    store_col_text(st, 2, buf, sizeof buf);
    r->kind = (enum store_request_kind)name_find(kind_names, COUNT(kind_names), buf);
    store_col_text(st, 3, r->changes, sizeof r->changes);
    store_col_text(st, 4, r->reason, sizeof r->reason);
    r->needs_manager = store_col_int(st, 5) != 0;
    r->requested_by = store_col_int(st, 6);
    r->requested_at = store_col_int(st, 7);
    store_col_text(st, 8, buf, sizeof buf);
    r->supervisor_decision =
        (enum store_decision)name_find(decision_names, COUNT(decision_names), buf);
    r->supervisor_id = store_col_int(st, 9);
    r->supervisor_at = store_col_int(st, 10);
    store_col_text(st, 11, r->supervisor_reason, sizeof r->supervisor_reason);
    store_col_text(st, 12, buf, sizeof buf);
    r->manager_decision =
        (enum store_decision)name_find(decision_names, COUNT(decision_names), buf);
    r->manager_id = store_col_int(st, 13);
    r->manager_at = store_col_int(st, 14);
    store_col_text(st, 15, r->manager_reason, sizeof r->manager_reason);
    store_col_text(st, 16, buf, sizeof buf);
    r->state = (enum store_request_state)name_find(state_names, COUNT(state_names), buf);
    r->closed_at = store_col_int(st, 17);
}

int store_requests_add(struct store *s, const struct store_request *r, int64_t *id,
                       struct proto_error *err)
{
    const char *kn = store_request_kind_name(r->kind);
    if (!kn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown request kind");
    char *changes = NULL;
    if (r->kind == STORE_REQUEST_CHANGE) {
        if (store_canon_text(r->changes[0] ? r->changes : "{}", &changes, err))
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_REQUESTS, REQ_ADD);
    int rc = store_bind(s, st, err, "itttdIi", r->order_id, kn, changes, r->reason,
                        r->needs_manager ? 1 : 0, r->requested_by, r->requested_at);
    free(changes);
    if (rc || store_exec(s, st, err)) {
        if (err && err->code == PROTO_E_INVALID_STATE)
            proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                            "the order already has an open %s request", kn);
        return -1;
    }
    int64_t rid = store_last_id(s);
    if (store_orders_append_event(s, r->order_id, "order.updated", r->requested_at, err))
        return -1;
    if (id)
        *id = rid;
    return 0;
}

int store_requests_get(struct store *s, int64_t id, struct store_request *out,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_REQUESTS, REQ_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_request, out, "request", err);
}

int store_requests_open(struct store *s, int64_t order_id, enum store_request_kind kind,
                        struct store_request *out, struct proto_error *err)
{
    const char *kn = store_request_kind_name(kind);
    if (!kn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind", "unknown request kind");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_REQUESTS, REQ_OPEN);
    if (store_bind(s, st, err, "it", order_id, kn))
        return -1;
    return store_one(s, st, read_request, out,
                     kn[1] == 'h' ? "open change request" : "open cancellation request", err);
}

static int save(struct store *s, const struct store_request *r, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_REQUESTS, REQ_SAVE);
    if (store_bind(s, st, err, "idtIittIitti", r->id, r->needs_manager ? 1 : 0,
                   store_decision_name(r->supervisor_decision), r->supervisor_id, r->supervisor_at,
                   r->supervisor_reason, store_decision_name(r->manager_decision), r->manager_id,
                   r->manager_at, r->manager_reason, store_request_state_name(r->state),
                   r->closed_at) ||
        store_exec(s, st, err))
        return -1;
    return 0;
}

int store_requests_decide(struct store *s, int64_t id, enum store_reviewer who, bool approve,
                          bool needs_manager, int64_t staff_id, const char *reason, int64_t at,
                          struct store_request *out, struct proto_error *err)
{
    struct store_request *r = malloc(sizeof *r);
    if (!r)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int rc = -1;
    if (store_requests_get(s, id, r, err))
        goto out;
    if (r->state != STORE_REQUEST_PENDING) {
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "the request is %s, not pending",
                        store_request_state_name(r->state));
        goto out;
    }
    enum store_decision d = approve ? STORE_DECISION_APPROVED : STORE_DECISION_REJECTED;
    char *why;
    if (who == STORE_REVIEWER_SUPERVISOR) {
        if (r->supervisor_decision != STORE_DECISION_NONE) {
            proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                            "the supervisor has decided; the request waits for a manager");
            goto out;
        }
        r->supervisor_decision = d;
        r->supervisor_id = staff_id;
        r->supervisor_at = at;
        why = r->supervisor_reason;
        if (approve)
            r->needs_manager = r->needs_manager || needs_manager;
        r->state = !approve           ? STORE_REQUEST_REJECTED
                   : r->needs_manager ? STORE_REQUEST_PENDING
                                      : STORE_REQUEST_APPROVED;
    } else {
        if (r->supervisor_decision != STORE_DECISION_APPROVED || !r->needs_manager) {
            proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                            r->needs_manager ? "the supervisor has not approved the request yet"
                                             : "the request does not need a manager");
            goto out;
        }
        r->manager_decision = d;
        r->manager_id = staff_id;
        r->manager_at = at;
        why = r->manager_reason;
        r->state = approve ? STORE_REQUEST_APPROVED : STORE_REQUEST_REJECTED;
    }
    snprintf(why, PROTO_MAX_TEXT + 1, "%s", reason ? reason : "");
    if (r->state == STORE_REQUEST_REJECTED)
        r->closed_at = at;
    if (save(s, r, err) || store_orders_append_event(s, r->order_id, "order.updated", at, err))
        goto out;
    if (out)
        *out = *r;
    rc = 0;
out:
    free(r);
    return rc;
}

int store_requests_set_applied(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    struct store_request *r = malloc(sizeof *r);
    if (!r)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int rc = -1;
    if (store_requests_get(s, id, r, err))
        goto out;
    if (r->state != STORE_REQUEST_APPROVED) {
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "the request is %s, not approved",
                        store_request_state_name(r->state));
        goto out;
    }
    r->state = STORE_REQUEST_APPLIED;
    r->closed_at = at;
    if (save(s, r, err) || store_orders_append_event(s, r->order_id, "order.updated", at, err))
        goto out;
    rc = 0;
out:
    free(r);
    return rc;
}

int store_requests_list(struct store *s, int64_t order_id,
                        int (*cb)(void *ctx, const struct store_request *r), void *ctx,
                        struct proto_error *err)
{
    struct store_request *r = malloc(sizeof *r);
    if (!r)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_REQUESTS, REQ_LIST);
    int rc = store_bind(s, st, err, "i", order_id);
    if (rc == 0) {
        while ((rc = store_step(s, st, err)) == 1) {
            read_request(st, r);
            if (cb(ctx, r) != 0) {
                rc = store_aborted(err);
                break;
            }
        }
        store_done(st);
    }
    free(r);
    return rc < 0 ? -1 : 0;
}

static cJSON *decision_json(enum store_decision d, int64_t staff_id, int64_t at, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "decision", store_decision_name(d)) ||
        store_json_add_int_or_null(o, "staff_id", staff_id) ||
        store_json_add_int_or_null(o, "at", at) ||
        store_json_add_str_or_null(o, "reason", reason)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *store_requests_json(const struct store_request *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *changes = r->kind == STORE_REQUEST_CHANGE && r->changes[0] ? cJSON_Parse(r->changes)
                                                                      : cJSON_CreateNull();
    cJSON *sup = decision_json(r->supervisor_decision, r->supervisor_id, r->supervisor_at,
                               r->supervisor_reason);
    cJSON *mgr =
        decision_json(r->manager_decision, r->manager_id, r->manager_at, r->manager_reason);
    if (!o || !changes || !sup || !mgr)
        goto oom;
    if (!cJSON_AddNumberToObject(o, "id", (double)r->id) ||
        !cJSON_AddStringToObject(o, "kind", store_request_kind_name(r->kind)))
        goto oom;
    if (!cJSON_AddItemToObject(o, "changes", changes))
        goto oom;
    changes = NULL;
    if (store_json_add_str_or_null(o, "reason", r->reason) ||
        !cJSON_AddBoolToObject(o, "needs_manager", r->needs_manager) ||
        store_json_add_int_or_null(o, "requested_by", r->requested_by) ||
        !cJSON_AddNumberToObject(o, "requested_at", (double)r->requested_at))
        goto oom;
    if (!cJSON_AddItemToObject(o, "supervisor", sup))
        goto oom;
    sup = NULL;
    if (!cJSON_AddItemToObject(o, "manager", mgr))
        goto oom;
    mgr = NULL;
    if (!cJSON_AddStringToObject(o, "state", store_request_state_name(r->state)) ||
        store_json_add_int_or_null(o, "closed_at", r->closed_at))
        goto oom;
    return o;
oom:
    cJSON_Delete(mgr);
    cJSON_Delete(sup);
    cJSON_Delete(changes);
    cJSON_Delete(o);
    return NULL;
}

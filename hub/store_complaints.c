/* Complaints: intake, validity, the handler chain (level 1 supervisor, 2 department manager,
 * 3 general manager), responses and closure, with every step kept as a complaint event.
 * Appends complaint.opened / complaint.updated with the full complaint. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* Column k of COMPLAINT_COLS is bound as parameter k + 1 by bind_complaint. */
#define COMPLAINT_COLS                                                                       \
    "id, site_id, customer_id, order_id, channel, kind, summary, validity, validity_reason," \
    " level, handler_id, state, opened_at, first_response_at, contact_at, last_progress_at," \
    " closed_at, resolution, must_resolve, source, opened_by, updated_at"

#define COMPLAINT_FILTER                                                 \
    " FROM complaints WHERE site_id = ?1 AND (?2 IS NULL OR state = ?2)" \
    " AND (?3 IS NULL OR level = ?3) AND (?4 IS NULL OR handler_id = ?4)"

static const char *const sql[] = {
    "INSERT INTO complaints (site_id, customer_id, order_id, channel, kind, summary, validity,"
    " validity_reason, level, handler_id, state, opened_at, first_response_at, contact_at,"
    " last_progress_at, closed_at, resolution, must_resolve, source, opened_by, updated_at)"
    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20, ?21, ?22)",
    "SELECT " COMPLAINT_COLS " FROM complaints WHERE id = ?1",
    "UPDATE complaints SET order_id = ?4, channel = ?5, kind = ?6, summary = ?7, validity = ?8,"
    " validity_reason = ?9, level = ?10, handler_id = ?11, state = ?12,"
    " first_response_at = ?14, contact_at = ?15, last_progress_at = ?16, closed_at = ?17,"
    " resolution = ?18, must_resolve = ?19, source = ?20, opened_by = ?21, updated_at = ?22"
    " WHERE id = ?1",
    "INSERT INTO complaint_events (complaint_id, kind, text, level, staff_id, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id, complaint_id, kind, text, level, staff_id, at FROM complaint_events"
    " WHERE complaint_id = ?1 ORDER BY id",
    "SELECT " COMPLAINT_COLS COMPLAINT_FILTER
    " ORDER BY opened_at DESC, id DESC LIMIT ?5 OFFSET ?6",
    "SELECT count(*)" COMPLAINT_FILTER,
    "SELECT cu.id, sf_open(cu.name, cu.key_id, 'name'), cu.gender, sf_open(cu.phone, cu.key_id, "
    "'phone'), cu.kind, o.order_no, h.name, sa.score,"
    " sa.comment, sa.at FROM complaints c JOIN customers cu ON cu.id = c.customer_id"
    " LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN staff h ON h.id = c.handler_id"
    " LEFT JOIN satisfaction sa ON sa.complaint_id = c.id WHERE c.id = ?1",
};
enum { CP_ADD, CP_GET, CP_UPDATE, CP_EVENT_ADD, CP_EVENTS, CP_LIST, CP_COUNT, CP_JSON };
const struct store_sql_table store_complaints_sql = {"complaints", sql, sizeof sql / sizeof sql[0]};

static const char *const channels[] = {"on_site", "call_centre", "phone", "fax",
                                       "email",   "media",       "letter"};
static const char *const validity_names[] = {"unknown", "valid", "invalid"};

bool store_complaint_channel_valid(const char *channel)
{
    for (size_t i = 0; channel && i < sizeof channels / sizeof channels[0]; i++)
        if (strcmp(channel, channels[i]) == 0)
            return true;
    return false;
}

const char *store_complaint_state_name(enum store_complaint_state st)
{
    return st == STORE_COMPLAINT_OPEN ? "open" : st == STORE_COMPLAINT_CLOSED ? "closed" : NULL;
}

const char *store_validity_name(enum store_validity v)
{
    return (unsigned)v < 3 ? validity_names[v] : NULL;
}

static void read_complaint(sqlite3_stmt *st, void *out)
{
    struct store_complaint *c = out;
    char buf[PROTO_MAX_SHORT + 1];
    memset(c, 0, sizeof *c);
    int k = 0;
    c->id = store_col_int(st, k++);
    c->site_id = store_col_int(st, k++);
    c->customer_id = store_col_int(st, k++);
    c->order_id = store_col_int(st, k++);
    store_col_text(st, k++, c->channel, sizeof c->channel);
    store_col_text(st, k++, c->kind, sizeof c->kind);
    store_col_text(st, k++, c->summary, sizeof c->summary);
    store_col_text(st, k++, buf, sizeof buf);
    c->validity = strcmp(buf, "valid") == 0     ? STORE_VALIDITY_VALID
                  : strcmp(buf, "invalid") == 0 ? STORE_VALIDITY_INVALID
                                                : STORE_VALIDITY_UNKNOWN;
    store_col_text(st, k++, c->validity_reason, sizeof c->validity_reason);
    c->level = (int)store_col_int(st, k++);
    c->handler_id = store_col_int(st, k++);
    store_col_text(st, k++, buf, sizeof buf);
    c->state = strcmp(buf, "closed") == 0 ? STORE_COMPLAINT_CLOSED : STORE_COMPLAINT_OPEN;
    c->opened_at = store_col_int(st, k++);
    c->first_response_at = store_col_int(st, k++);
    c->contact_at = store_col_int(st, k++);
    c->last_progress_at = store_col_int(st, k++);
    c->closed_at = store_col_int(st, k++);
    store_col_text(st, k++, c->resolution, sizeof c->resolution);
    c->must_resolve = store_col_int(st, k++) != 0;
    store_col_text(st, k++, c->source, sizeof c->source);
    c->opened_by = store_col_int(st, k++);
    c->updated_at = store_col_int(st, k++);
}

static int bind_complaint(struct store *s, sqlite3_stmt *st, const struct store_complaint *c,
                          int64_t updated_at, struct proto_error *err)
{
    if (!store_complaint_channel_valid(c->channel))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "channel",
                               "unknown complaint channel \"%s\"", c->channel);
    const char *vn = store_validity_name(c->validity);
    const char *sn = store_complaint_state_name(c->state);
    if (!vn || !sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "unknown validity or state");
    const char *source = c->source[0] ? c->source : "direct";
    return store_bind(s, st, err,
                      "iiiIttttt"
                      "dIt"
                      "iiiii"
                      "tdtIi",
                      c->id, c->site_id, c->customer_id, c->order_id, c->channel, c->kind,
                      c->summary, vn, c->validity_reason, c->level, c->handler_id, sn, c->opened_at,
                      c->first_response_at, c->contact_at, c->last_progress_at, c->closed_at,
                      c->resolution, c->must_resolve ? 1 : 0, source, c->opened_by, updated_at);
}

static int append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                        struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_complaints_json(s, id, &full, err))
        return -1;
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    return store_append_wrapped(s, site_id, kind, "complaint", full, at, err);
}

int store_complaints_add(struct store *s, const struct store_complaint *c, int64_t *id,
                         struct proto_error *err)
{
    struct store_complaint *w = malloc(sizeof *w); /* ~5 KB: not on the stack */
    if (!w)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    *w = *c;
    w->state = STORE_COMPLAINT_OPEN;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_ADD);
    int rc = bind_complaint(s, st, w, c->opened_at, err);
    free(w);
    if (rc || store_exec(s, st, err))
        return -1;
    int64_t cid = store_last_id(s);
    if (append_event(s, cid, "complaint.opened", c->opened_at, err))
        return -1;
    if (id)
        *id = cid;
    return 0;
}

int store_complaints_get(struct store *s, int64_t id, struct store_complaint *out,
                         struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_complaint, out, "complaint", err);
}

int store_complaints_update(struct store *s, const struct store_complaint *c, int64_t at,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_UPDATE);
    if (bind_complaint(s, st, c, at, err) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "complaint");
    return append_event(s, c->id, "complaint.updated", at, err);
}

static int add_event(struct store *s, int64_t id, const char *kind, const char *text, int level,
                     int64_t staff_id, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_EVENT_ADD);
    return store_bind(s, st, err, "ittdIi", id, kind, text ? text : "", level, staff_id, at) ||
                   store_exec(s, st, err)
               ? -1
               : 0;
}

/* Reads complaint `id` into a heap copy and refuses a closed one (when open_only). */
static struct store_complaint *load(struct store *s, int64_t id, bool open_only,
                                    struct proto_error *err)
{
    struct store_complaint *c = malloc(sizeof *c);
    if (!c) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (store_complaints_get(s, id, c, err)) {
        free(c);
        return NULL;
    }
    if (open_only && c->state != STORE_COMPLAINT_OPEN) {
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "complaint %lld is closed",
                        (long long)id);
        free(c);
        return NULL;
    }
    return c;
}

/* Writes c back and frees it. */
static int save(struct store *s, struct store_complaint *c, int64_t at, struct proto_error *err)
{
    int rc = store_complaints_update(s, c, at, err);
    free(c);
    return rc;
}

int store_complaints_respond(struct store *s, int64_t id, const char *kind, const char *text,
                             int64_t staff_id, int64_t at, struct proto_error *err)
{
    if (!kind ||
        (strcmp(kind, "first_response") && strcmp(kind, "contact") && strcmp(kind, "progress")))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "kind",
                               "a response is first_response, contact or progress");
    struct store_complaint *c = load(s, id, true, err);
    if (!c)
        return -1;
    if (strcmp(kind, "first_response") == 0 && !c->first_response_at)
        c->first_response_at = at;
    if (strcmp(kind, "contact") == 0 && !c->contact_at)
        c->contact_at = at;
    c->last_progress_at = at; /* every answer to the customer is progress */
    if (add_event(s, id, kind, text, c->level, staff_id, at, err)) {
        free(c);
        return -1;
    }
    return save(s, c, at, err);
}

int store_complaints_set_validity(struct store *s, int64_t id, enum store_validity v,
                                  const char *reason, int64_t staff_id, int64_t at,
                                  struct proto_error *err)
{
    if (!store_validity_name(v))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "validity", "unknown validity");
    struct store_complaint *c = load(s, id, false, err);
    if (!c)
        return -1;
    c->validity = v;
    if (store_copy_text(c->validity_reason, sizeof c->validity_reason, reason, "reason", err) ||
        add_event(s, id, "validity", store_validity_name(v), c->level, staff_id, at, err)) {
        free(c);
        return -1;
    }
    return save(s, c, at, err);
}

int store_complaints_escalate(struct store *s, int64_t id, int level, int64_t handler_id,
                              const char *reason, int64_t staff_id, int64_t at,
                              struct proto_error *err)
{
    struct store_complaint *c = load(s, id, true, err);
    if (!c)
        return -1;
    if (level <= c->level || level > 3) {
        proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                        "complaint %lld is at level %d: cannot move to level %d", (long long)id,
                        c->level, level);
        free(c);
        return -1;
    }
    c->level = level;
    c->handler_id = handler_id;
    if (add_event(s, id, "escalation", reason, level, staff_id, at, err)) {
        free(c);
        return -1;
    }
    return save(s, c, at, err);
}

int store_complaints_close(struct store *s, int64_t id, const char *resolution, int64_t staff_id,
                           int64_t at, struct proto_error *err)
{
    struct store_complaint *c = load(s, id, true, err);
    if (!c)
        return -1;
    c->state = STORE_COMPLAINT_CLOSED;
    c->closed_at = at;
    if (store_copy_text(c->resolution, sizeof c->resolution, resolution, "resolution", err) ||
        add_event(s, id, "close", resolution, c->level, staff_id, at, err)) {
        free(c);
        return -1;
    }
    return save(s, c, at, err);
}

int store_complaints_events(struct store *s, int64_t complaint_id,
                            int (*cb)(void *ctx, const struct store_complaint_event *e), void *ctx,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_EVENTS);
    if (store_bind(s, st, err, "i", complaint_id))
        return -1;
    struct store_complaint_event e;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        e.id = store_col_int(st, 0);
        e.complaint_id = store_col_int(st, 1);
        store_col_text(st, 2, e.kind, sizeof e.kind);
        store_col_text(st, 3, e.text, sizeof e.text);
        e.level = (int)store_col_int(st, 4);
        e.staff_id = store_col_int(st, 5);
        e.at = store_col_int(st, 6);
        if (cb(ctx, &e) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_complaints_list(struct store *s, const struct store_complaint_filter *f,
                          int (*cb)(void *ctx, const struct store_complaint *c), void *ctx,
                          int *total, struct proto_error *err)
{
    const char *sn = NULL;
    if (f->state >= 0 && !(sn = store_complaint_state_name((enum store_complaint_state)f->state)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown complaint state");
    int64_t level = f->level;
    if (total) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_COUNT);
        if (store_bind(s, st, err, "itII", f->site_id, sn, level, f->handler_id))
            return -1;
        int rc = store_step(s, st, err);
        if (rc == 1)
            *total = (int)store_col_int(st, 0);
        store_done(st);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_LIST);
    if (store_bind(s, st, err, "itIIii", f->site_id, sn, level, f->handler_id,
                   (int64_t)(f->limit > 0 ? f->limit : 50),
                   (int64_t)(f->offset > 0 ? f->offset : 0)))
        return -1;
    struct store_complaint *c = malloc(sizeof *c);
    if (!c) {
        store_done(st);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_complaint(st, c);
        if (cb(ctx, c) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    free(c);
    return rc < 0 ? -1 : 0;
}

static int event_json(void *ctx, const struct store_complaint_event *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "kind", e->kind) ||
        store_json_add_str_or_null(o, "text", e->text) ||
        !cJSON_AddNumberToObject(o, "level", e->level) ||
        store_json_add_int_or_null(o, "staff_id", e->staff_id) ||
        !cJSON_AddNumberToObject(o, "at", (double)e->at) || !cJSON_AddItemToArray(ctx, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

/* The complaint's own fields and its joined names; NULL on out of memory. */
static cJSON *complaint_json(const struct store_complaint *c, sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *order = NULL;
    if (c->order_id) {
        order = cJSON_CreateObject();
        if (order && (!cJSON_AddNumberToObject(order, "id", (double)c->order_id) ||
                      !cJSON_AddStringToObject(order, "order_no", store_col_str(st, 5)))) {
            cJSON_Delete(order);
            order = NULL;
        }
    } else {
        order = cJSON_CreateNull();
    }
    cJSON *sat = NULL;
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        sat = cJSON_CreateObject();
        if (sat && (!cJSON_AddNumberToObject(sat, "score", (double)store_col_int(st, 7)) ||
                    store_json_add_str_or_null(sat, "comment", store_col_str(st, 8)) ||
                    !cJSON_AddNumberToObject(sat, "at", (double)store_col_int(st, 9)))) {
            cJSON_Delete(sat);
            sat = NULL;
        }
    } else {
        sat = cJSON_CreateNull();
    }
    cJSON *parts[4] = {store_json_customer(store_col_int(st, 0), store_col_str(st, 1),
                                           store_col_str(st, 2), store_col_str(st, 3),
                                           store_col_str(st, 4)),
                       order, store_json_ref(c->handler_id, store_col_str(st, 6)), sat};
    static const char *const keys[4] = {"customer", "order", "handler", "satisfaction"};
    bool ok = o && cJSON_AddNumberToObject(o, "id", (double)c->id) &&
              cJSON_AddNumberToObject(o, "site_id", (double)c->site_id);
    for (int i = 0; i < 4; i++) {
        if (ok && parts[i] && cJSON_AddItemToObject(o, keys[i], parts[i]))
            parts[i] = NULL;
        else
            ok = false;
    }
    for (int i = 0; i < 4; i++)
        cJSON_Delete(parts[i]);
    ok = ok && cJSON_AddStringToObject(o, "channel", c->channel) &&
         cJSON_AddStringToObject(o, "kind", c->kind) &&
         cJSON_AddStringToObject(o, "summary", c->summary) &&
         cJSON_AddStringToObject(o, "validity", store_validity_name(c->validity)) &&
         !store_json_add_str_or_null(o, "validity_reason", c->validity_reason) &&
         cJSON_AddNumberToObject(o, "level", c->level) &&
         cJSON_AddStringToObject(o, "state", store_complaint_state_name(c->state)) &&
         cJSON_AddNumberToObject(o, "opened_at", (double)c->opened_at) &&
         !store_json_add_int_or_null(o, "first_response_at", c->first_response_at) &&
         !store_json_add_int_or_null(o, "contact_at", c->contact_at) &&
         !store_json_add_int_or_null(o, "last_progress_at", c->last_progress_at) &&
         !store_json_add_int_or_null(o, "closed_at", c->closed_at) &&
         !store_json_add_str_or_null(o, "resolution", c->resolution) &&
         cJSON_AddBoolToObject(o, "must_resolve", c->must_resolve) &&
         cJSON_AddStringToObject(o, "source", c->source[0] ? c->source : "direct") &&
         !store_json_add_int_or_null(o, "opened_by", c->opened_by) &&
         cJSON_AddNumberToObject(o, "updated_at", (double)c->updated_at);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int store_complaints_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    struct store_complaint *c = load(s, id, false, err);
    if (!c)
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_COMPLAINTS, CP_JSON);
    if (store_bind(s, st, err, "i", id)) {
        free(c);
        return -1;
    }
    int rc = store_step(s, st, err);
    if (rc == 1 && !(*out = complaint_json(c, st)))
        rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    store_done(st);
    free(c);
    if (rc == 0)
        return store_not_found(err, "complaint");
    if (rc < 0)
        return -1;
    cJSON *events = cJSON_AddArrayToObject(*out, "events");
    if (!events || store_complaints_events(s, id, event_json, events, err)) {
        if (!events)
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        cJSON_Delete(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

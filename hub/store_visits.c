/* Visits: a customer's time in the showroom, from check-in to departure, and who serves
 * them. Adding one or moving its status appends the matching visit.* event. */
#include "store_internal.h"

#include <string.h>

#define VISIT_COLS                                                                          \
    "id, site_id, customer_id, is_new, consultant_id, invited_by, assigned_by, status,"     \
    " arrived_at, served_at, departed_at, model_code, source, first_visit_said, device_id," \
    " appointment_id, grade_after, trade_in, auto_closed"

static const char *const sql[] = {
    "INSERT INTO visits (site_id, customer_id, is_new, consultant_id, invited_by, assigned_by,"
    " status, arrived_at, served_at, departed_at, model_code, source, first_visit_said,"
    " device_id, appointment_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14, ?15)",
    "SELECT " VISIT_COLS " FROM visits WHERE id = ?1",
    "UPDATE visits SET status = ?2, served_at = ?3, departed_at = ?4 WHERE id = ?1",
    "SELECT " VISIT_COLS " FROM visits WHERE site_id = ?1 AND arrived_at >= ?2"
    " AND arrived_at < ?3 AND (?4 = 0 OR status <> 'departed') ORDER BY arrived_at, id",
    "SELECT count(*) FROM visits WHERE customer_id = ?1",
    "SELECT v.id, v.site_id, c.id, sf_open(c.name, c.key_id, 'name'), c.gender, sf_open(c.phone, "
    "c.key_id, 'phone'), c.kind, v.is_new,"
    " v.consultant_id, cs.name, v.invited_by, iv.name, v.assigned_by, v.status, v.arrived_at,"
    " v.served_at, v.departed_at, v.model_code, v.source, v.device_id, v.appointment_id,"
    " v.grade_after, v.trade_in, v.auto_closed"
    " FROM visits v JOIN customers c ON c.id = v.customer_id"
    " LEFT JOIN staff cs ON cs.id = v.consultant_id LEFT JOIN staff iv ON iv.id = v.invited_by"
    " WHERE v.id = ?1",
    /* by customer: the (site, arrived_at) index would walk the whole day's visits */
    "SELECT " VISIT_COLS " FROM visits INDEXED BY visits_customer WHERE site_id = ?1"
    " AND customer_id = ?2 AND arrived_at >= ?3 AND arrived_at < ?4 AND status <> 'departed'"
    " ORDER BY arrived_at DESC, id DESC LIMIT 1",
    "UPDATE visits SET status = 'departed', departed_at = ?2, grade_after = ?3, trade_in = ?4,"
    " auto_closed = ?5 WHERE id = ?1",
    "UPDATE visits SET appointment_id = ?2 WHERE id = ?1",
};
enum {
    VISITS_ADD,
    VISITS_GET,
    VISITS_SET_STATUS,
    VISITS_LIST,
    VISITS_COUNT,
    VISITS_JSON,
    VISITS_OPEN_FOR,
    VISITS_DEPART,
    VISITS_SET_APPT
};
const struct store_sql_table store_visits_sql = {"visits", sql, sizeof sql / sizeof sql[0]};

static const char *const status_names[] = {"waiting", "serving", "departed"};

const char *store_visit_status_name(enum store_visit_status st)
{
    return (unsigned)st < 3 ? status_names[st] : NULL;
}

static enum store_visit_status status_from_name(const char *n)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(n, status_names[i]) == 0)
            return (enum store_visit_status)i;
    return STORE_VISIT_WAITING;
}

static enum domain_assign assign_from_name(const char *n)
{
    for (int a = DOMAIN_ASSIGN_INVITED; a <= DOMAIN_ASSIGN_NONE; a++) {
        const char *an = domain_assign_name((enum domain_assign)a);
        if (an && strcmp(an, n) == 0)
            return (enum domain_assign)a;
    }
    return DOMAIN_ASSIGN_NONE;
}

static void read_visit(sqlite3_stmt *st, void *out)
{
    struct store_visit *v = out;
    char buf[PROTO_MAX_SHORT + 1];
    v->id = store_col_int(st, 0);
    v->site_id = store_col_int(st, 1);
    v->customer_id = store_col_int(st, 2);
    v->is_new = store_col_int(st, 3) != 0;
    v->consultant_id = store_col_int(st, 4);
    v->invited_by = store_col_int(st, 5);
    store_col_text(st, 6, buf, sizeof buf);
    v->assigned_by = assign_from_name(buf);
    store_col_text(st, 7, buf, sizeof buf);
    v->status = status_from_name(buf);
    v->arrived_at = store_col_int(st, 8);
    v->served_at = store_col_int(st, 9);
    v->departed_at = store_col_int(st, 10);
    store_col_text(st, 11, v->model_code, sizeof v->model_code);
    store_col_text(st, 12, v->source, sizeof v->source);
    v->first_visit_said =
        sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : (int)store_col_int(st, 13);
    v->device_id = store_col_int(st, 14);
    v->appointment_id = store_col_int(st, 15);
    store_col_text(st, 16, buf, sizeof buf);
    v->grade_after = buf[0];
    store_col_text(st, 17, v->trade_in, sizeof v->trade_in);
    v->auto_closed = store_col_int(st, 18) != 0;
}

/* Appends `kind` with `full` (taken: freed, or with `keep` handed back as *keep). */
static int append_event_with(struct store *s, cJSON *full, const char *kind, int64_t at,
                             cJSON **keep, struct proto_error *err)
{
    if (!full)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToObject(wrap, "visit", full)) {
        cJSON_Delete(wrap);
        cJSON_Delete(full);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    int rc = store_events_append_json(s, site_id, kind, at, wrap, NULL, err);
    if (rc == 0 && keep)
        *keep = cJSON_DetachItemFromObjectCaseSensitive(wrap, "visit");
    cJSON_Delete(wrap);
    return rc;
}

/* Appends `kind` with the full visit as it reads now. */
static int append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                        struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_visits_json(s, id, &full, err))
        return -1;
    return append_event_with(s, full, kind, at, NULL, err);
}

static int insert(struct store *s, const struct store_visit *v, int64_t *id,
                  struct proto_error *err)
{
    const char *an = domain_assign_name(v->assigned_by);
    const char *sn = store_visit_status_name(v->status);
    if (!an || !sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "unknown assignment or status");
    if (v->source[0] && !domain_channel_valid(v->source))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "source", "unknown channel \"%s\"",
                               v->source);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_ADD);
    if (store_bind(s, st, err, "iidIIttiiiTT", v->site_id, v->customer_id, v->is_new ? 1 : 0,
                   v->consultant_id, v->invited_by, an, sn, v->arrived_at, v->served_at,
                   v->departed_at, v->model_code, v->source))
        return -1;
    int rc = v->first_visit_said < 0 ? sqlite3_bind_null(st, 13)
                                     : sqlite3_bind_int(st, 13, v->first_visit_said ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = v->device_id ? sqlite3_bind_int64(st, 14, v->device_id) : sqlite3_bind_null(st, 14);
    if (rc == SQLITE_OK)
        rc = v->appointment_id ? sqlite3_bind_int64(st, 15, v->appointment_id)
                               : sqlite3_bind_null(st, 15);
    if (rc != SQLITE_OK) {
        store_fault(s, "bind visit", err);
        store_done(st);
        return -1;
    }
    if (store_exec(s, st, err))
        return -1;
    *id = store_last_id(s);
    return 0;
}

int store_visits_add(struct store *s, const struct store_visit *v, int64_t *id,
                     struct proto_error *err)
{
    int64_t vid = 0;
    if (insert(s, v, &vid, err) || append_event(s, vid, "visit.checked_in", v->arrived_at, err))
        return -1;
    if (id)
        *id = vid;
    return 0;
}

int store_visits_get(struct store *s, int64_t id, struct store_visit *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_visit, out, "visit", err);
}

int store_visits_set_status(struct store *s, int64_t id, enum store_visit_status status, int64_t at,
                            struct proto_error *err)
{
    struct store_visit v;
    if (store_visits_get(s, id, &v, err))
        return -1;
    const char *sn = store_visit_status_name(status);
    if (!sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "status", "unknown visit status");
    /* waiting -> serving -> departed, or waiting -> departed (left unserved) */
    if (status <= v.status)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "visit %lld is already %s",
                               (long long)id, store_visit_status_name(v.status));
    if (status == STORE_VISIT_SERVING)
        v.served_at = at;
    else
        v.departed_at = at;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_SET_STATUS);
    if (store_bind(s, st, err, "itii", id, sn, v.served_at, v.departed_at) ||
        store_exec(s, st, err))
        return -1;
    return append_event(s, id, "visit.updated", at, err);
}

int store_visits_list(struct store *s, int64_t site_id, int64_t from, int64_t to, bool open_only,
                      int (*cb)(void *ctx, const struct store_visit *v), void *ctx,
                      struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_LIST);
    if (store_bind(s, st, err, "iiid", site_id, from, to, open_only ? 1 : 0))
        return -1;
    struct store_visit v;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_visit(st, &v);
        if (cb(ctx, &v) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_visits_count_for_customer(struct store *s, int64_t customer_id, int *count,
                                    struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_COUNT);
    if (store_bind(s, st, err, "i", customer_id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1)
        *count = (int)store_col_int(st, 0);
    store_done(st);
    if (rc == 0)
        return store_fault(s, "count of visits returned no row", err);
    return rc < 0 ? -1 : 0;
}

static const char *col_str(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* Everything the full visit JSON shows: read from the joined row, or given by the caller
 * that has just written it. Strings are never NULL ("" for none). */
struct visit_fields {
    int64_t id, site_id;
    int64_t customer_id;
    const char *name, *gender, *phone, *kind;
    bool is_new;
    int64_t consultant_id;
    const char *consultant;
    int64_t invited_by;
    const char *inviter;
    const char *assigned_by, *status;
    int64_t arrived_at, served_at, departed_at;
    const char *model, *source;
    int64_t device_id, appointment_id;
    const char *grade_after, *trade_in;
    bool auto_closed;
};

/* The full visit; NULL on out of memory. */
static cJSON *visit_json(const struct visit_fields *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *cust = cJSON_CreateObject();
    if (!o || !cust)
        goto oom;
    if (!cJSON_AddNumberToObject(cust, "id", (double)f->customer_id) ||
        !cJSON_AddStringToObject(cust, "name", f->name) ||
        !cJSON_AddStringToObject(cust, "gender", f->gender) ||
        !cJSON_AddStringToObject(cust, "phone", f->phone) ||
        !cJSON_AddStringToObject(cust, "kind", f->kind) ||
        !cJSON_AddBoolToObject(cust, "new", f->is_new))
        goto oom;
    cJSON *cons = store_json_ref(f->consultant_id, f->consultant);
    cJSON *inv = store_json_ref(f->invited_by, f->inviter);
    if (!cJSON_AddNumberToObject(o, "id", (double)f->id) ||
        !cJSON_AddNumberToObject(o, "site_id", (double)f->site_id) ||
        !cJSON_AddItemToObject(o, "customer", cust)) {
        cJSON_Delete(cons);
        cJSON_Delete(inv);
        goto oom;
    }
    cust = NULL; /* owned by o now */
    if (!cons || !cJSON_AddItemToObject(o, "consultant", cons)) {
        cJSON_Delete(cons);
        cJSON_Delete(inv);
        goto oom;
    }
    if (!inv || !cJSON_AddItemToObject(o, "invited_by", inv)) {
        cJSON_Delete(inv);
        goto oom;
    }
    if (!cJSON_AddStringToObject(o, "assigned_by", f->assigned_by) ||
        !cJSON_AddStringToObject(o, "status", f->status) ||
        !cJSON_AddNumberToObject(o, "arrived_at", (double)f->arrived_at) ||
        store_json_add_int_or_null(o, "served_at", f->served_at) ||
        store_json_add_int_or_null(o, "departed_at", f->departed_at) ||
        store_json_add_str_or_null(o, "model", f->model) ||
        store_json_add_str_or_null(o, "source", f->source) ||
        store_json_add_int_or_null(o, "device_id", f->device_id) ||
        store_json_add_int_or_null(o, "appointment_id", f->appointment_id) ||
        store_json_add_str_or_null(o, "grade_after", f->grade_after) ||
        store_json_add_str_or_null(o, "trade_in", f->trade_in) ||
        !cJSON_AddBoolToObject(o, "auto_closed", f->auto_closed))
        goto oom;
    return o;
oom:
    cJSON_Delete(cust);
    cJSON_Delete(o);
    return NULL;
}

static cJSON *visit_json_from_row(sqlite3_stmt *st)
{
    const struct visit_fields f = {
        .id = store_col_int(st, 0),
        .site_id = store_col_int(st, 1),
        .customer_id = store_col_int(st, 2),
        .name = col_str(st, 3),
        .gender = col_str(st, 4),
        .phone = col_str(st, 5),
        .kind = col_str(st, 6),
        .is_new = store_col_int(st, 7) != 0,
        .consultant_id = store_col_int(st, 8),
        .consultant = col_str(st, 9),
        .invited_by = store_col_int(st, 10),
        .inviter = col_str(st, 11),
        .assigned_by = col_str(st, 12),
        .status = col_str(st, 13),
        .arrived_at = store_col_int(st, 14),
        .served_at = store_col_int(st, 15),
        .departed_at = store_col_int(st, 16),
        .model = col_str(st, 17),
        .source = col_str(st, 18),
        .device_id = store_col_int(st, 19),
        .appointment_id = store_col_int(st, 20),
        .grade_after = col_str(st, 21),
        .trade_in = col_str(st, 22),
        .auto_closed = store_col_int(st, 23) != 0,
    };
    return visit_json(&f);
}

int store_visits_add_full(struct store *s, const struct store_visit *v,
                          const struct store_visit_names *names, int64_t *id, cJSON **full,
                          struct proto_error *err)
{
    *full = NULL;
    const struct store_customer *c = names->customer;
    if (c->id != v->customer_id || !domain_gender_name(c->gender))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "visit names for another customer");
    int64_t vid = 0;
    if (insert(s, v, &vid, err))
        return -1;
    const struct visit_fields f = {
        .id = vid,
        .site_id = v->site_id,
        .customer_id = v->customer_id,
        .name = c->name,
        .gender = domain_gender_name(c->gender),
        .phone = c->phone,
        .kind = store_customer_kind_name(c->kind),
        .is_new = v->is_new,
        .consultant_id = v->consultant_id,
        .consultant = names->consultant ? names->consultant : "",
        .invited_by = v->invited_by,
        .inviter = names->invited_by ? names->invited_by : "",
        .assigned_by = domain_assign_name(v->assigned_by),
        .status = store_visit_status_name(v->status),
        .arrived_at = v->arrived_at,
        .served_at = v->served_at,
        .departed_at = v->departed_at,
        .model = v->model_code,
        .source = v->source,
        .device_id = v->device_id,
        .appointment_id = v->appointment_id,
        /* not inserted: the columns' defaults */
        .grade_after = "",
        .trade_in = "",
        .auto_closed = false,
    };
    if (append_event_with(s, visit_json(&f), "visit.checked_in", v->arrived_at, full, err))
        return -1;
    if (id)
        *id = vid;
    return 0;
}

int store_visits_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_JSON);
    if (store_bind(s, st, err, "i", id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        *out = visit_json_from_row(st);
        if (!*out)
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    }
    store_done(st);
    if (rc == 0)
        return store_not_found(err, "visit");
    return rc < 0 ? -1 : 0;
}

int store_visits_open_for_customer(struct store *s, int64_t site_id, int64_t customer_id,
                                   int64_t from, int64_t to, struct store_visit *out,
                                   struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_OPEN_FOR);
    if (store_bind(s, st, err, "iiii", site_id, customer_id, from, to))
        return -1;
    return store_one(s, st, read_visit, out, "open visit", err);
}

int store_visits_depart(struct store *s, int64_t id, char grade_after, const char *trade_in,
                        bool auto_closed, int64_t at, struct proto_error *err)
{
    if (grade_after && !store_grade_valid(grade_after))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "grade", "unknown grade");
    struct store_visit v;
    if (store_visits_get(s, id, &v, err))
        return -1;
    if (v.status == STORE_VISIT_DEPARTED)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "visit %lld is already departed",
                               (long long)id);
    char grade[2] = {grade_after, '\0'};
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_DEPART);
    if (store_bind(s, st, err, "iiTtd", id, at, grade, trade_in ? trade_in : "",
                   auto_closed ? 1 : 0) ||
        store_exec(s, st, err))
        return -1;
    return append_event(s, id, "visit.updated", at, err);
}

int store_visits_set_appointment(struct store *s, int64_t id, int64_t appointment_id, int64_t at,
                                 struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VISITS, VISITS_SET_APPT);
    if (store_bind(s, st, err, "iI", id, appointment_id) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "visit");
    return append_event(s, id, "visit.updated", at, err);
}

/* Appointments: a telesales invitation to the showroom at a time; check-in marks it shown,
 * the hub's timer marks a no-show. Every change appends appointment.updated. */
#include "store_internal.h"

#include <string.h>

#define APPT_COLS                                                                           \
    "a.id, a.site_id, a.lead_id, a.customer_id, a.telesales_id, a.at, a.state, a.visit_id," \
    " a.created_at, a.updated_at"

#define APPT_FILTER                                                                      \
    " FROM appointments a WHERE a.site_id = ?1 AND a.at >= ?2 AND (?3 = 0 OR a.at < ?3)" \
    " AND (?4 IS NULL OR a.state = ?4) AND (?5 IS NULL OR a.telesales_id = ?5)"

static const char *const sql[] = {
    "INSERT INTO appointments (site_id, lead_id, customer_id, telesales_id, at, state, visit_id,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    "SELECT " APPT_COLS " FROM appointments a WHERE a.id = ?1",
    "SELECT " APPT_COLS " FROM appointments a WHERE a.site_id = ?1 AND a.customer_id = ?2"
    " AND a.state = 'scheduled' AND a.at >= ?3 AND a.at < ?4 ORDER BY abs(a.at - ?5), a.id"
    " LIMIT 1",
    "UPDATE appointments SET state = ?2, visit_id = ?3, updated_at = ?4 WHERE id = ?1"
    " AND state = 'scheduled'",
    "SELECT " APPT_COLS " FROM appointments a WHERE (?1 = 0 OR a.site_id = ?1)"
    " AND a.state = 'scheduled' AND a.at < ?2 ORDER BY a.at, a.id",
    "SELECT " APPT_COLS APPT_FILTER " ORDER BY a.at, a.id LIMIT ?6 OFFSET ?7",
    "SELECT count(*)" APPT_FILTER,
    "SELECT c.id, sf_open(c.name, c.key_id, 'name'), c.gender, sf_open(c.phone, c.key_id, "
    "'phone'), c.kind, t.name FROM appointments a"
    " JOIN customers c ON c.id = a.customer_id LEFT JOIN staff t ON t.id = a.telesales_id"
    " WHERE a.id = ?1",
};
enum {
    APPT_ADD,
    APPT_GET,
    APPT_FOR_CHECKIN,
    APPT_SET_STATE,
    APPT_DUE,
    APPT_LIST,
    APPT_COUNT,
    APPT_JSON
};
const struct store_sql_table store_appointments_sql = {"appointments", sql,
                                                       sizeof sql / sizeof sql[0]};

static const char *const state_names[] = {"scheduled", "shown", "no_show"};
#define N_STATES (sizeof state_names / sizeof state_names[0])

const char *store_appointment_state_name(enum store_appointment_state st)
{
    return (unsigned)st < N_STATES ? state_names[st] : NULL;
}

int store_appointment_state_from_name(const char *name)
{
    for (size_t i = 0; name && i < N_STATES; i++)
        if (strcmp(name, state_names[i]) == 0)
            return (int)i;
    return -1;
}

static void read_appt(sqlite3_stmt *st, void *out)
{
    struct store_appointment *a = out;
    char buf[PROTO_MAX_SHORT + 1];
    a->id = store_col_int(st, 0);
    a->site_id = store_col_int(st, 1);
    a->lead_id = store_col_int(st, 2);
    a->customer_id = store_col_int(st, 3);
    a->telesales_id = store_col_int(st, 4);
    a->at = store_col_int(st, 5);
    store_col_text(st, 6, buf, sizeof buf);
    int state = store_appointment_state_from_name(buf);
    a->state = state < 0 ? STORE_APPT_SCHEDULED : (enum store_appointment_state)state;
    a->visit_id = store_col_int(st, 7);
    a->created_at = store_col_int(st, 8);
    a->updated_at = store_col_int(st, 9);
}

static int append_event(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_appointments_json(s, id, &full, err))
        return -1;
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    return store_append_wrapped(s, site_id, "appointment.updated", "appointment", full, at, err);
}

int store_appointments_add(struct store *s, const struct store_appointment *a, int64_t *id,
                           struct proto_error *err)
{
    const char *sn = store_appointment_state_name(a->state);
    if (!sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown appointment state");
    int64_t created = a->created_at ? a->created_at : a->at;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_ADD);
    if (store_bind(s, st, err, "iIiIitIi", a->site_id, a->lead_id, a->customer_id, a->telesales_id,
                   a->at, sn, a->visit_id, created) ||
        store_exec(s, st, err))
        return -1;
    int64_t aid = store_last_id(s);
    if (append_event(s, aid, created, err))
        return -1;
    if (id)
        *id = aid;
    return 0;
}

int store_appointments_get(struct store *s, int64_t id, struct store_appointment *out,
                           struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_appt, out, "appointment", err);
}

int store_appointments_for_checkin(struct store *s, int64_t site_id, int64_t customer_id,
                                   int64_t from, int64_t to, int64_t near,
                                   struct store_appointment *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_FOR_CHECKIN);
    if (store_bind(s, st, err, "iiiii", site_id, customer_id, from, to, near))
        return -1;
    return store_one(s, st, read_appt, out, "appointment", err);
}

int store_appointments_set_state(struct store *s, int64_t id, enum store_appointment_state state,
                                 int64_t visit_id, int64_t at, struct proto_error *err)
{
    if (state == STORE_APPT_SCHEDULED || !store_appointment_state_name(state))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state",
                               "an appointment moves to shown "
                               "or no_show");
    if (state == STORE_APPT_SHOWN && !visit_id)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "visit_id", "shown needs the visit");
    struct store_appointment a;
    if (store_appointments_get(s, id, &a, err))
        return -1;
    if (a.state != STORE_APPT_SCHEDULED)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "appointment %lld is already %s",
                               (long long)id, store_appointment_state_name(a.state));
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_SET_STATE);
    if (store_bind(s, st, err, "itIi", id, store_appointment_state_name(state),
                   state == STORE_APPT_SHOWN ? visit_id : 0, at) ||
        store_exec(s, st, err))
        return -1;
    return append_event(s, id, at, err);
}

static int walk(struct store *s, sqlite3_stmt *st,
                int (*cb)(void *ctx, const struct store_appointment *a), void *ctx,
                struct proto_error *err)
{
    struct store_appointment a;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_appt(st, &a);
        if (cb(ctx, &a) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_appointments_due(struct store *s, int64_t site_id, int64_t before,
                           int (*cb)(void *ctx, const struct store_appointment *a), void *ctx,
                           struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_DUE);
    if (store_bind(s, st, err, "ii", site_id, before))
        return -1;
    return walk(s, st, cb, ctx, err);
}

int store_appointments_list(struct store *s, const struct store_appointment_filter *f,
                            int (*cb)(void *ctx, const struct store_appointment *a), void *ctx,
                            int *total, struct proto_error *err)
{
    const char *state = NULL;
    if (f->state >= 0 &&
        !(state = store_appointment_state_name((enum store_appointment_state)f->state)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown appointment state");
    int64_t limit = f->limit > 0 ? f->limit : 50;
    int64_t offset = f->offset > 0 ? f->offset : 0;
    if (total) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_COUNT);
        if (store_bind(s, st, err, "iiitI", f->site_id, f->from, f->to, state, f->telesales_id))
            return -1;
        int rc = store_step(s, st, err);
        if (rc == 1)
            *total = (int)store_col_int(st, 0);
        store_done(st);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_LIST);
    if (store_bind(s, st, err, "iiitIii", f->site_id, f->from, f->to, state, f->telesales_id, limit,
                   offset))
        return -1;
    return walk(s, st, cb, ctx, err);
}

int store_appointments_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    struct store_appointment a;
    if (store_appointments_get(s, id, &a, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_APPOINTMENTS, APPT_JSON);
    if (store_bind(s, st, err, "i", id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        cJSON *o = cJSON_CreateObject();
        cJSON *cust =
            store_json_customer(store_col_int(st, 0), store_col_str(st, 1), store_col_str(st, 2),
                                store_col_str(st, 3), store_col_str(st, 4));
        cJSON *tel = store_json_ref(a.telesales_id, store_col_str(st, 5));
        bool ok = o && cJSON_AddNumberToObject(o, "id", (double)a.id) &&
                  cJSON_AddNumberToObject(o, "site_id", (double)a.site_id) &&
                  !store_json_add_int_or_null(o, "lead_id", a.lead_id);
        if (ok && cust && cJSON_AddItemToObject(o, "customer", cust))
            cust = NULL;
        else
            ok = false;
        if (ok && tel && cJSON_AddItemToObject(o, "telesales", tel))
            tel = NULL;
        else
            ok = false;
        ok = ok && cJSON_AddNumberToObject(o, "at", (double)a.at) &&
             cJSON_AddStringToObject(o, "state", store_appointment_state_name(a.state)) &&
             !store_json_add_int_or_null(o, "visit_id", a.visit_id) &&
             cJSON_AddNumberToObject(o, "created_at", (double)a.created_at) &&
             cJSON_AddNumberToObject(o, "updated_at", (double)a.updated_at);
        cJSON_Delete(cust);
        cJSON_Delete(tel);
        if (!ok) {
            cJSON_Delete(o);
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        } else {
            *out = o;
        }
    }
    store_done(st);
    if (rc == 0)
        return store_not_found(err, "appointment");
    return rc < 0 ? -1 : 0;
}

/* Leads: a customer's interest at a site from inquiry to order or loss: its grade, status,
 * holders (telesales, consultant owner), sources merged into it, assignments, follow-ups and
 * overdue reports. Every change appends lead.created/updated with the full lead. */
#include "store_internal.h"

#include <string.h>

/* Column k of LEAD_COLS is bound as parameter k + 1 by bind_lead (as store_orders.c does). */
#define LEAD_COLS                                                                            \
    "l.id, l.site_id, l.customer_id, l.channel, l.model_code, l.budget_fen, l.grade,"        \
    " l.owner_id, l.invited_by, l.created_at, l.flagged_invalid,"                            \
    " sf_open(l.name_sealed, (SELECT k.key_id FROM customers k WHERE k.id = l.customer_id)," \
    " 'lead_name'), l.region, l.status,"                                                     \
    " l.invalid_reason, l.external_ref, l.telesales_id, l.assigned_at,"                      \
    " l.first_callback_due_at, l.next_due_at, l.last_followup_at, l.graded_at, l.order_id,"  \
    " l.grade_due, l.updated_at"

/* lead_list's filter: ?1 site, ?2 status, ?3 grade, ?4 holder, ?5 customer, ?6 q (NULLs: any) */
#define LEAD_FILTER                                                               \
    " FROM leads l JOIN customers c ON c.id = l.customer_id WHERE l.site_id = ?1" \
    " AND (?2 IS NULL OR l.status = ?2) AND (?3 IS NULL OR l.grade = ?3)"         \
    " AND (?4 IS NULL OR l.owner_id = ?4 OR l.telesales_id = ?4)"                 \
    " AND (?5 IS NULL OR l.customer_id = ?5) AND (?6 IS NULL OR (length(?6) >= 4" \
    " AND substr(sf_open(c.phone, c.key_id, 'phone'), -length(?6)) = ?6) OR "     \
    "instr(sf_open(l.name_sealed, c.key_id,"                                      \
    " 'lead_name'), ?6) > 0 OR instr(sf_open(c.name, c.key_id, 'name'), ?6) > 0)"

static const char *const sql[] = {
    "INSERT INTO leads (site_id, customer_id, channel, model_code, budget_fen, grade, owner_id,"
    " invited_by, created_at, flagged_invalid, name_sealed, region, status, invalid_reason,"
    " external_ref, telesales_id, assigned_at, first_callback_due_at, next_due_at,"
    " last_followup_at, graded_at, order_id, grade_due, updated_at) VALUES (?2, ?3, ?4, ?5,"
    " ?6, ?7, ?8, ?9, ?10, ?11, sf_seal(?12, (SELECT key_id FROM customers WHERE id = ?3),"
    " 'lead_name'), ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
    " ?24, ?25)",
    /* F (lost) and O (ordered) close a lead; the newest open one decides at check-in */
    "SELECT " LEAD_COLS " FROM leads l WHERE l.customer_id = ?1 AND l.status = 'open'"
    " AND l.grade NOT IN ('F', 'O') ORDER BY l.created_at DESC, l.id DESC LIMIT 1",
    "SELECT " LEAD_COLS " FROM leads l WHERE l.id = ?1",
    /* the ref of the lead itself or of an inquiry merged into it */
    "SELECT " LEAD_COLS " FROM leads l WHERE l.site_id = ?1 AND (l.external_ref = ?2"
    " OR l.id IN (SELECT lead_id FROM lead_sources WHERE external_ref = ?2)) LIMIT 1",
    "UPDATE leads SET channel = ?4, model_code = ?5, budget_fen = ?6, grade = ?7,"
    " owner_id = ?8, invited_by = ?9, created_at = ?10, flagged_invalid = ?11,"
    " name_sealed = sf_seal(?12, (SELECT key_id FROM customers WHERE id = leads.customer_id),"
    " 'lead_name'),"
    " region = ?13, status = ?14, invalid_reason = ?15, external_ref = ?16,"
    " telesales_id = ?17, assigned_at = ?18, first_callback_due_at = ?19, next_due_at = ?20,"
    " last_followup_at = ?21, graded_at = ?22, order_id = ?23, grade_due = ?24,"
    " updated_at = ?25 WHERE id = ?1",
    "INSERT INTO lead_sources (lead_id, channel, external_ref, created_at, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
    "SELECT id, lead_id, channel, external_ref, created_at, at FROM lead_sources"
    " WHERE lead_id = ?1 ORDER BY id",
    /* an inquiry already recorded on the lead: same channel, and the same ref when one is
     * given, and the same time when one is given (?4 = 0: any) */
    "SELECT EXISTS (SELECT 1 FROM leads WHERE id = ?1 AND channel = ?2"
    "  AND (?3 = '' OR external_ref = ?3) AND (?4 = 0 OR created_at = ?4))"
    " OR EXISTS (SELECT 1 FROM lead_sources WHERE lead_id = ?1 AND channel = ?2"
    "  AND (?3 = '' OR external_ref = ?3) AND (?4 = 0 OR created_at = ?4))",
    "SELECT " LEAD_COLS ", l.next_due_at FROM leads l WHERE (?1 = 0 OR l.site_id = ?1)"
    " AND l.status = 'open' AND l.next_due_at > 0 AND l.next_due_at <= ?2"
    " AND NOT EXISTS (SELECT 1 FROM lead_overdue_reports r WHERE r.lead_id = l.id"
    " AND r.due_at = l.next_due_at) ORDER BY l.next_due_at, l.id",
    "INSERT INTO lead_overdue_reports (lead_id, due_at, at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (lead_id, due_at) DO NOTHING",
    "SELECT " LEAD_COLS LEAD_FILTER " ORDER BY l.created_at DESC, l.id DESC LIMIT ?7 OFFSET ?8",
    "SELECT count(*)" LEAD_FILTER,
    "SELECT c.id, sf_open(c.name, c.key_id, 'name'), c.gender, sf_open(c.phone, c.key_id, "
    "'phone'), c.kind, m.name, ow.name, ts.name, iv.name,"
    " (SELECT count(*) FROM lead_followups f WHERE f.lead_id = l.id)"
    " FROM leads l JOIN customers c ON c.id = l.customer_id"
    " LEFT JOIN models m ON m.code = l.model_code LEFT JOIN staff ow ON ow.id = l.owner_id"
    " LEFT JOIN staff ts ON ts.id = l.telesales_id LEFT JOIN staff iv ON iv.id = l.invited_by"
    " WHERE l.id = ?1",
};
enum {
    LEADS_ADD,
    LEADS_OPEN,
    LEADS_GET,
    LEADS_BY_REF,
    LEADS_UPDATE,
    LEADS_SOURCE_ADD,
    LEADS_SOURCES,
    LEADS_SEEN,
    LEADS_OVERDUE,
    LEADS_OVERDUE_RECORD,
    LEADS_LIST,
    LEADS_COUNT,
    LEADS_JSON
};
const struct store_sql_table store_leads_sql = {"leads", sql, sizeof sql / sizeof sql[0]};

static const char *const status_names[] = {"open", "invalid", "converted", "lost"};
#define N_STATUS (sizeof status_names / sizeof status_names[0])

const char *store_lead_status_name(enum store_lead_status st)
{
    return (unsigned)st < N_STATUS ? status_names[st] : NULL;
}

int store_lead_status_from_name(const char *name)
{
    for (size_t i = 0; name && i < N_STATUS; i++)
        if (strcmp(name, status_names[i]) == 0)
            return (int)i;
    return -1;
}

static void read_lead(sqlite3_stmt *st, void *out)
{
    struct store_lead *l = out;
    char buf[PROTO_MAX_SHORT + 1];
    memset(l, 0, sizeof *l);
    int k = 0;
    l->id = store_col_int(st, k++);
    l->site_id = store_col_int(st, k++);
    l->customer_id = store_col_int(st, k++);
    store_col_text(st, k++, l->channel, sizeof l->channel);
    store_col_text(st, k++, l->model_code, sizeof l->model_code);
    l->budget_fen = store_col_int(st, k++);
    store_col_text(st, k++, buf, sizeof buf);
    l->grade = buf[0];
    l->owner_id = store_col_int(st, k++);
    l->invited_by = store_col_int(st, k++);
    l->created_at = store_col_int(st, k++);
    l->flagged_invalid = store_col_int(st, k++) != 0;
    store_col_text(st, k++, l->name, sizeof l->name);
    store_col_text(st, k++, l->region, sizeof l->region);
    store_col_text(st, k++, buf, sizeof buf);
    int status = store_lead_status_from_name(buf);
    l->status = status < 0 ? STORE_LEAD_OPEN : (enum store_lead_status)status;
    store_col_text(st, k++, l->invalid_reason, sizeof l->invalid_reason);
    store_col_text(st, k++, l->external_ref, sizeof l->external_ref);
    l->telesales_id = store_col_int(st, k++);
    l->assigned_at = store_col_int(st, k++);
    l->first_callback_due_at = store_col_int(st, k++);
    l->next_due_at = store_col_int(st, k++);
    l->last_followup_at = store_col_int(st, k++);
    l->graded_at = store_col_int(st, k++);
    l->order_id = store_col_int(st, k++);
    l->grade_due = store_col_int(st, k++) != 0;
    l->updated_at = store_col_int(st, k++);
}

/* Binds every column of l as parameters 1..25 (see LEAD_COLS); the invalid flag and the
 * status always agree. */
static int bind_lead(struct store *s, sqlite3_stmt *st, const struct store_lead *l,
                     int64_t updated_at, struct proto_error *err)
{
    if (!domain_channel_valid(l->channel))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "channel", "unknown channel \"%s\"",
                               l->channel);
    if (!store_grade_valid(l->grade))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "grade", "unknown grade");
    enum store_lead_status status = l->status;
    if (l->flagged_invalid && status == STORE_LEAD_OPEN)
        status = STORE_LEAD_INVALID;
    const char *sn = store_lead_status_name(status);
    if (!sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "status", "unknown lead status");
    char grade[2] = {l->grade, '\0'};
    return store_bind(s, st, err,
                      "iiitTitIIid"
                      "ttttT"
                      "I"
                      "iiiii"
                      "Idi",
                      l->id, l->site_id, l->customer_id, l->channel, l->model_code, l->budget_fen,
                      grade, l->owner_id, l->invited_by, l->created_at,
                      status == STORE_LEAD_INVALID ? 1 : 0, l->name, l->region, sn,
                      l->invalid_reason, l->external_ref, l->telesales_id, l->assigned_at,
                      l->first_callback_due_at, l->next_due_at, l->last_followup_at, l->graded_at,
                      l->order_id, l->grade_due ? 1 : 0, updated_at);
}

static int append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                        struct proto_error *err)
{
    cJSON *full = NULL;
    if (store_leads_json(s, id, &full, err))
        return -1;
    int64_t site_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "site_id"));
    return store_append_wrapped(s, site_id, kind, "lead", full, at, err);
}

int store_leads_add(struct store *s, const struct store_lead *l, int64_t *id,
                    struct proto_error *err)
{
    int64_t updated = l->updated_at ? l->updated_at : l->created_at;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_ADD);
    if (bind_lead(s, st, l, updated, err) || store_exec(s, st, err))
        return -1;
    int64_t lid = store_last_id(s);
    if (append_event(s, lid, "lead.created", updated, err))
        return -1;
    if (id)
        *id = lid;
    return 0;
}

int store_leads_open_for_customer(struct store *s, int64_t customer_id, struct store_lead *out,
                                  struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_OPEN);
    if (store_bind(s, st, err, "i", customer_id))
        return -1;
    return store_one(s, st, read_lead, out, "open lead", err);
}

int store_leads_get(struct store *s, int64_t id, struct store_lead *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_lead, out, "lead", err);
}

int store_leads_find_by_ref(struct store *s, int64_t site_id, const char *external_ref,
                            struct store_lead *out, struct proto_error *err)
{
    if (!external_ref || !*external_ref)
        return store_not_found(err, "lead");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_BY_REF);
    if (store_bind(s, st, err, "it", site_id, external_ref))
        return -1;
    return store_one(s, st, read_lead, out, "lead", err);
}

int store_leads_update(struct store *s, const struct store_lead *l, int64_t at,
                       struct proto_error *err)
{
    struct store_lead w = *l;
    /* the status decides; the version-1 flag follows it (a stale flag never re-invalidates) */
    w.flagged_invalid = w.status == STORE_LEAD_INVALID;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_UPDATE);
    if (bind_lead(s, st, &w, at, err) || store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return store_not_found(err, "lead");
    return append_event(s, l->id, "lead.updated", at, err);
}

static int add_source(struct store *s, int64_t lead_id, const char *channel, const char *ref,
                      int64_t created_at, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_SOURCE_ADD);
    return store_bind(s, st, err, "ittii", lead_id, channel, ref, created_at, at) ||
                   store_exec(s, st, err)
               ? -1
               : 0;
}

int store_leads_merge(struct store *s, int64_t id, const struct store_lead *in, int64_t at,
                      struct store_lead *out, struct proto_error *err)
{
    if (!domain_channel_valid(in->channel))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "channel", "unknown channel \"%s\"",
                               in->channel);
    struct store_lead l;
    if (store_leads_get(s, id, &l, err))
        return -1;
    if (!l.name[0])
        memcpy(l.name, in->name, sizeof l.name);
    if (!l.region[0])
        memcpy(l.region, in->region, sizeof l.region);
    if (!l.model_code[0])
        memcpy(l.model_code, in->model_code, sizeof l.model_code);
    if (!l.budget_fen)
        l.budget_fen = in->budget_fen;
    if (!l.invited_by)
        l.invited_by = in->invited_by;
    /* the lead is the EARLIEST inquiry: an earlier one takes its place (time, channel, ref)
     * and the displaced one becomes a source; otherwise the new one is the source */
    int rc;
    if (in->created_at && in->created_at < l.created_at) {
        rc = add_source(s, id, l.channel, l.external_ref, l.created_at, at, err);
        memcpy(l.channel, in->channel, sizeof l.channel);
        l.created_at = in->created_at;
        if (in->external_ref[0] || !l.external_ref[0])
            memcpy(l.external_ref, in->external_ref, sizeof l.external_ref);
    } else {
        rc = add_source(s, id, in->channel, in->external_ref, in->created_at ? in->created_at : at,
                        at, err);
        if (!l.external_ref[0] && in->external_ref[0])
            memcpy(l.external_ref, in->external_ref, sizeof l.external_ref);
    }
    if (rc || store_leads_update(s, &l, at, err))
        return -1;
    if (out)
        *out = l, out->updated_at = at;
    return 0;
}

int store_leads_seen(struct store *s, int64_t lead_id, const char *channel,
                     const char *external_ref, int64_t created_at, bool *seen,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_SEEN);
    if (store_bind(s, st, err, "itti", lead_id, channel, external_ref ? external_ref : "",
                   created_at))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1)
        *seen = store_col_int(st, 0) != 0;
    store_done(st);
    if (rc == 0)
        return store_fault(s, "lead seen returned no row", err);
    return rc < 0 ? -1 : 0;
}

int store_leads_sources(struct store *s, int64_t lead_id,
                        int (*cb)(void *ctx, const struct store_lead_source *src), void *ctx,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_SOURCES);
    if (store_bind(s, st, err, "i", lead_id))
        return -1;
    struct store_lead_source src;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        src.id = store_col_int(st, 0);
        src.lead_id = store_col_int(st, 1);
        store_col_text(st, 2, src.channel, sizeof src.channel);
        store_col_text(st, 3, src.external_ref, sizeof src.external_ref);
        src.created_at = store_col_int(st, 4);
        src.at = store_col_int(st, 5);
        if (cb(ctx, &src) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_leads_convert(struct store *s, int64_t id, int64_t order_id, int64_t at,
                        struct proto_error *err)
{
    struct store_lead l;
    if (store_leads_get(s, id, &l, err))
        return -1;
    if (l.status != STORE_LEAD_OPEN)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "lead %lld is %s", (long long)id,
                               store_lead_status_name(l.status));
    l.status = STORE_LEAD_CONVERTED;
    l.grade = 'O';
    l.graded_at = at;
    l.order_id = order_id;
    l.next_due_at = 0; /* nothing to follow up any more */
    return store_leads_update(s, &l, at, err);
}

int store_leads_overdue(struct store *s, int64_t site_id, int64_t now,
                        int (*cb)(void *ctx, const struct store_lead *l, int64_t due_at), void *ctx,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_OVERDUE);
    if (store_bind(s, st, err, "ii", site_id, now))
        return -1;
    struct store_lead l;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_lead(st, &l);
        if (cb(ctx, &l, store_col_int(st, 25)) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_leads_overdue_record(struct store *s, int64_t lead_id, int64_t due_at, int64_t at,
                               bool *is_new, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_OVERDUE_RECORD);
    if (store_bind(s, st, err, "iii", lead_id, due_at, at) || store_exec(s, st, err))
        return -1;
    if (is_new)
        *is_new = store_changes(s) == 1;
    return 0;
}

int store_leads_list(struct store *s, const struct store_lead_filter *f,
                     int (*cb)(void *ctx, const struct store_lead *l), void *ctx, int *total,
                     struct proto_error *err)
{
    const char *status = NULL;
    if (f->status >= 0 && !(status = store_lead_status_name((enum store_lead_status)f->status)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "status", "unknown lead status");
    if (f->grade && !store_grade_valid(f->grade))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "grade", "unknown grade");
    char grade[2] = {f->grade, '\0'};
    const char *q = f->q && *f->q ? f->q : NULL;
    int64_t limit = f->limit > 0 ? f->limit : 50;
    int64_t offset = f->offset > 0 ? f->offset : 0;
    if (total) {
        sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_COUNT);
        if (store_bind(s, st, err, "itTIIt", f->site_id, status, grade, f->holder_id,
                       f->customer_id, q))
            return -1;
        int rc = store_step(s, st, err);
        if (rc == 1)
            *total = (int)store_col_int(st, 0);
        store_done(st);
        if (rc < 0)
            return -1;
    }
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_LIST);
    if (store_bind(s, st, err, "itTIItii", f->site_id, status, grade, f->holder_id, f->customer_id,
                   q, limit, offset))
        return -1;
    struct store_lead l;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_lead(st, &l);
        if (cb(ctx, &l) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

static int source_json(void *ctx, const struct store_lead_source *src)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "channel", src->channel) ||
        store_json_add_str_or_null(o, "external_ref", src->external_ref) ||
        !cJSON_AddNumberToObject(o, "created_at", (double)src->created_at) ||
        !cJSON_AddNumberToObject(o, "at", (double)src->at) || !cJSON_AddItemToArray(ctx, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

/* Everything of the lead but its sources, from the lead and the joined names. */
static cJSON *lead_json(const struct store_lead *l, sqlite3_stmt *st)
{
    char grade[2] = {l->grade, '\0'};
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON *parts[4] = {store_json_customer(store_col_int(st, 0), store_col_str(st, 1),
                                           store_col_str(st, 2), store_col_str(st, 3),
                                           store_col_str(st, 4)),
                       store_json_ref(l->owner_id, store_col_str(st, 6)),
                       store_json_ref(l->telesales_id, store_col_str(st, 7)),
                       store_json_ref(l->invited_by, store_col_str(st, 8))};
    static const char *const keys[4] = {"customer", "owner", "telesales", "invited_by"};
    bool ok = cJSON_AddNumberToObject(o, "id", (double)l->id) &&
              cJSON_AddNumberToObject(o, "site_id", (double)l->site_id);
    for (int i = 0; i < 4; i++) {
        if (ok && parts[i] && cJSON_AddItemToObject(o, keys[i], parts[i]))
            parts[i] = NULL;
        else
            ok = false;
    }
    for (int i = 0; i < 4; i++)
        cJSON_Delete(parts[i]);
    if (!ok || store_json_add_str_or_null(o, "name", l->name) ||
        store_json_add_str_or_null(o, "region", l->region) ||
        !cJSON_AddStringToObject(o, "channel", l->channel) ||
        store_json_add_str_or_null(o, "model", l->model_code) ||
        store_json_add_str_or_null(o, "model_name", store_col_str(st, 5)) ||
        !cJSON_AddNumberToObject(o, "budget_fen", (double)l->budget_fen) ||
        !cJSON_AddStringToObject(o, "grade", grade) ||
        !cJSON_AddStringToObject(o, "status", store_lead_status_name(l->status)) ||
        store_json_add_str_or_null(o, "invalid_reason", l->invalid_reason) ||
        store_json_add_str_or_null(o, "external_ref", l->external_ref) ||
        !cJSON_AddNumberToObject(o, "created_at", (double)l->created_at) ||
        store_json_add_int_or_null(o, "assigned_at", l->assigned_at) ||
        store_json_add_int_or_null(o, "first_callback_due_at", l->first_callback_due_at) ||
        store_json_add_int_or_null(o, "next_due_at", l->next_due_at) ||
        store_json_add_int_or_null(o, "last_followup_at", l->last_followup_at) ||
        store_json_add_int_or_null(o, "graded_at", l->graded_at) ||
        store_json_add_int_or_null(o, "order_id", l->order_id) ||
        !cJSON_AddBoolToObject(o, "grade_due", l->grade_due) ||
        !cJSON_AddNumberToObject(o, "followups", (double)store_col_int(st, 9)) ||
        !cJSON_AddNumberToObject(o, "updated_at", (double)l->updated_at)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int store_leads_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err)
{
    *out = NULL;
    struct store_lead l;
    if (store_leads_get(s, id, &l, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_JSON);
    if (store_bind(s, st, err, "i", id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1 && !(*out = lead_json(&l, st)))
        rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    store_done(st);
    if (rc == 0)
        return store_not_found(err, "lead");
    if (rc < 0)
        return -1;
    cJSON *sources = cJSON_AddArrayToObject(*out, "sources");
    if (!sources || store_leads_sources(s, id, source_json, sources, err)) {
        if (!sources)
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        cJSON_Delete(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

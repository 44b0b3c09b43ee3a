/* Leads, continued: who holds a lead (assignments and their history) and the follow-ups
 * that move its due times. Split from store_leads.c to keep each file readable; same
 * store_leads_ prefix because it is the same aggregate. */
#include "store_internal.h"

#include <string.h>

static const char *const sql[] = {
    "INSERT INTO lead_assignments (lead_id, from_id, to_id, by_id, reason, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id, lead_id, from_id, to_id, by_id, reason, at FROM lead_assignments"
    " WHERE lead_id = ?1 ORDER BY id",
    "INSERT INTO lead_followups (lead_id, way, content, feedback, grade, staff_id, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT id, lead_id, way, content, feedback, grade, staff_id, at FROM lead_followups"
    " WHERE lead_id = ?1 ORDER BY at, id",
    "SELECT count(*), coalesce(sum(grade IS NOT NULL), 0) FROM lead_followups"
    " WHERE lead_id = ?1 AND at >= ?2",
};
enum { FLOW_ASSIGN, FLOW_ASSIGNMENTS, FLOW_FOLLOWUP, FLOW_FOLLOWUPS, FLOW_STATS };
const struct store_sql_table store_leads_flow_sql = {"leads_flow", sql, sizeof sql / sizeof sql[0]};

int store_leads_assign(struct store *s, int64_t id, int64_t to_id, int64_t by_id,
                       const char *reason, int64_t first_callback_due, int64_t at,
                       struct store_lead *out, struct proto_error *err)
{
    struct store_lead l;
    struct store_staff to;
    if (store_leads_get(s, id, &l, err))
        return -1;
    if (store_staff_get(s, to_id, &to, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_BAD_FIELD, "to", "no such staff member");
        return -1;
    }
    int64_t from = l.owner_id ? l.owner_id : l.telesales_id;
    if (to.role == DOMAIN_ROLE_TELESALES) {
        l.telesales_id = to_id;
        l.owner_id = 0; /* back with telesales */
    } else if (to.role == DOMAIN_ROLE_CONSULTANT) {
        l.owner_id = to_id;
    } else {
        return proto_error_set(err, PROTO_E_BAD_FIELD, "to",
                               "a lead is held by telesales or a consultant, not a %s",
                               domain_role_name(to.role));
    }
    l.assigned_at = at;
    l.first_callback_due_at = first_callback_due;
    l.next_due_at = first_callback_due;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS_FLOW, FLOW_ASSIGN);
    if (store_bind(s, st, err, "iIiIti", id, from, to_id, by_id, reason ? reason : "", at) ||
        store_exec(s, st, err) || store_leads_update(s, &l, at, err))
        return -1;
    if (out) {
        *out = l;
        out->updated_at = at;
    }
    return 0;
}

int store_leads_assignments(struct store *s, int64_t lead_id,
                            int (*cb)(void *ctx, const struct store_lead_assignment *a), void *ctx,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS_FLOW, FLOW_ASSIGNMENTS);
    if (store_bind(s, st, err, "i", lead_id))
        return -1;
    struct store_lead_assignment a;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        a.id = store_col_int(st, 0);
        a.lead_id = store_col_int(st, 1);
        a.from_id = store_col_int(st, 2);
        a.to_id = store_col_int(st, 3);
        a.by_id = store_col_int(st, 4);
        store_col_text(st, 5, a.reason, sizeof a.reason);
        a.at = store_col_int(st, 6);
        if (cb(ctx, &a) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_leads_followup(struct store *s, const struct store_lead_followup *f, int64_t next_due_at,
                         bool grade_due, int64_t *id, struct proto_error *err)
{
    if (f->grade && !store_grade_valid(f->grade))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "grade", "unknown grade");
    struct store_lead l;
    if (store_leads_get(s, f->lead_id, &l, err))
        return -1;
    char grade[2] = {f->grade, '\0'};
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS_FLOW, FLOW_FOLLOWUP);
    if (store_bind(s, st, err, "itttTIi", f->lead_id, f->way, f->content, f->feedback, grade,
                   f->staff_id, f->at) ||
        store_exec(s, st, err))
        return -1;
    int64_t fid = store_last_id(s);
    l.last_followup_at = f->at;
    l.next_due_at = next_due_at;
    l.grade_due = grade_due;
    if (f->grade) {
        l.grade = f->grade;
        l.graded_at = f->at;
    }
    if (store_leads_update(s, &l, f->at, err))
        return -1;
    if (id)
        *id = fid;
    return 0;
}

int store_leads_followups(struct store *s, int64_t lead_id,
                          int (*cb)(void *ctx, const struct store_lead_followup *f), void *ctx,
                          struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS_FLOW, FLOW_FOLLOWUPS);
    if (store_bind(s, st, err, "i", lead_id))
        return -1;
    struct store_lead_followup f;
    char grade[4];
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        f.id = store_col_int(st, 0);
        f.lead_id = store_col_int(st, 1);
        store_col_text(st, 2, f.way, sizeof f.way);
        store_col_text(st, 3, f.content, sizeof f.content);
        store_col_text(st, 4, f.feedback, sizeof f.feedback);
        store_col_text(st, 5, grade, sizeof grade);
        f.grade = grade[0];
        f.staff_id = store_col_int(st, 6);
        f.at = store_col_int(st, 7);
        if (cb(ctx, &f) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_leads_followup_stats(struct store *s, int64_t lead_id, int64_t since, int *count,
                               int *graded, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS_FLOW, FLOW_STATS);
    if (store_bind(s, st, err, "ii", lead_id, since))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        *count = (int)store_col_int(st, 0);
        *graded = (int)store_col_int(st, 1);
    }
    store_done(st);
    if (rc == 0)
        return store_fault(s, "follow-up stats returned no row", err);
    return rc < 0 ? -1 : 0;
}

/* Satisfaction: complaint surveys and delivery ratings in one table, one record per
 * complaint or order, so the site's figures count both. */
#include "store_internal.h"

static const char *const sql[] = {
    "INSERT INTO satisfaction (site_id, complaint_id, order_id, score, comment, staff_id, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT id, site_id, complaint_id, order_id, score, comment, staff_id, at FROM satisfaction"
    " WHERE site_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id",
};
enum { SAT_ADD, SAT_LIST };
const struct store_sql_table store_satisfaction_sql = {"satisfaction", sql,
                                                       sizeof sql / sizeof sql[0]};

int store_satisfaction_add(struct store *s, const struct store_satisfaction *r, int64_t *id,
                           struct proto_error *err)
{
    if (r->score < 1 || r->score > 5)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "score", "a score is 1..5");
    if (!r->complaint_id == !r->order_id)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL,
                               "a satisfaction record is about a complaint or an order");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SATISFACTION, SAT_ADD);
    if (store_bind(s, st, err, "iIIdtIi", r->site_id, r->complaint_id, r->order_id, r->score,
                   r->comment, r->staff_id, r->at) ||
        store_exec(s, st, err))
        return -1;
    int64_t sid = store_last_id(s);
    /* the complaint's JSON carries its survey: kiosks see it */
    if (r->complaint_id) {
        cJSON *full = NULL;
        if (store_complaints_json(s, r->complaint_id, &full, err) ||
            store_append_wrapped(s, r->site_id, "complaint.updated", "complaint", full, r->at, err))
            return -1;
    }
    if (id)
        *id = sid;
    return 0;
}

int store_satisfaction_list(struct store *s, int64_t site_id, int64_t from, int64_t to,
                            int (*cb)(void *ctx, const struct store_satisfaction *r), void *ctx,
                            int *count, int64_t *sum, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SATISFACTION, SAT_LIST);
    if (store_bind(s, st, err, "iii", site_id, from, to))
        return -1;
    struct store_satisfaction r;
    int n = 0;
    int64_t total = 0;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        r.id = store_col_int(st, 0);
        r.site_id = store_col_int(st, 1);
        r.complaint_id = store_col_int(st, 2);
        r.order_id = store_col_int(st, 3);
        r.score = (int)store_col_int(st, 4);
        store_col_text(st, 5, r.comment, sizeof r.comment);
        r.staff_id = store_col_int(st, 6);
        r.at = store_col_int(st, 7);
        n++;
        total += r.score;
        if (cb && cb(ctx, &r) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    if (rc < 0)
        return -1;
    if (count)
        *count = n;
    if (sum)
        *sum = total;
    return 0;
}

/* Leads: a customer's interest at a site, its grade, its owner and who invited them. */
#include "store_internal.h"

#define LEAD_COLS                                                                             \
    "id, site_id, customer_id, channel, model_code, budget_fen, grade, owner_id, invited_by," \
    " created_at, flagged_invalid"

static const char *const sql[] = {
    "INSERT INTO leads (site_id, customer_id, channel, model_code, budget_fen, grade, owner_id,"
    " invited_by, created_at, flagged_invalid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    /* F (lost) and O (ordered) close a lead; the newest open one decides at check-in */
    "SELECT " LEAD_COLS " FROM leads WHERE customer_id = ?1 AND grade NOT IN ('F', 'O')"
    " AND flagged_invalid = 0 ORDER BY created_at DESC, id DESC LIMIT 1",
};
enum { LEADS_ADD, LEADS_OPEN };
const struct store_sql_table store_leads_sql = {"leads", sql, sizeof sql / sizeof sql[0]};

static void read_lead(sqlite3_stmt *st, void *out)
{
    struct store_lead *l = out;
    char grade[4];
    l->id = store_col_int(st, 0);
    l->site_id = store_col_int(st, 1);
    l->customer_id = store_col_int(st, 2);
    store_col_text(st, 3, l->channel, sizeof l->channel);
    store_col_text(st, 4, l->model_code, sizeof l->model_code);
    l->budget_fen = store_col_int(st, 5);
    store_col_text(st, 6, grade, sizeof grade);
    l->grade = grade[0];
    l->owner_id = store_col_int(st, 7);
    l->invited_by = store_col_int(st, 8);
    l->created_at = store_col_int(st, 9);
    l->flagged_invalid = store_col_int(st, 10) != 0;
}

int store_leads_add(struct store *s, const struct store_lead *l, int64_t *id,
                    struct proto_error *err)
{
    if (!domain_channel_valid(l->channel))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "channel", "unknown channel \"%s\"",
                               l->channel);
    char grade[2] = {l->grade, '\0'};
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_LEADS, LEADS_ADD);
    if (store_bind(s, st, err, "iittitIIid", l->site_id, l->customer_id, l->channel,
                   l->model_code[0] ? l->model_code : NULL, l->budget_fen, grade, l->owner_id,
                   l->invited_by, l->created_at, l->flagged_invalid ? 1 : 0) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
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

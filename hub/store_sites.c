/* Sites (stores of the dealer group): each with a code, a name and a fixed UTC offset. */
#include "store_internal.h"

#define SITE_COLS "id, code, name, utc_offset_min"

static const char *const sql[] = {
    "INSERT INTO sites (code, name, utc_offset_min) VALUES (?1, ?2, ?3)",
    "SELECT " SITE_COLS " FROM sites WHERE id = ?1",
    "SELECT " SITE_COLS " FROM sites WHERE code = ?1",
    "SELECT " SITE_COLS " FROM sites ORDER BY id",
};
enum { SITES_ADD, SITES_GET, SITES_FIND, SITES_LIST };
const struct store_sql_table store_sites_sql = {"sites", sql, sizeof sql / sizeof sql[0]};

static void read_site(sqlite3_stmt *st, void *out)
{
    struct store_site *site = out;
    site->id = store_col_int(st, 0);
    store_col_text(st, 1, site->code, sizeof site->code);
    store_col_text(st, 2, site->name, sizeof site->name);
    site->utc_offset_min = (int)store_col_int(st, 3);
}

int store_sites_add(struct store *s, const char *code, const char *name, int utc_offset_min,
                    int64_t *id, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SITES, SITES_ADD);
    if (store_bind(s, st, err, "ttd", code, name, utc_offset_min) || store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
}

int store_sites_get(struct store *s, int64_t id, struct store_site *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SITES, SITES_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_site, out, "site", err);
}

int store_sites_find(struct store *s, const char *code, struct store_site *out,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SITES, SITES_FIND);
    if (store_bind(s, st, err, "t", code))
        return -1;
    return store_one(s, st, read_site, out, "site", err);
}

int store_sites_list(struct store *s, int (*cb)(void *ctx, const struct store_site *site),
                     void *ctx, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SITES, SITES_LIST);
    struct store_site site;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_site(st, &site);
        if (cb(ctx, &site) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

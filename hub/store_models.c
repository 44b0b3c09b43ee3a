/* Car models on sale: code, Chinese and English names, list price. */
#include "store_internal.h"

#define MODEL_COLS "id, code, name, name_en, price_fen"

static const char *const sql[] = {
    "INSERT INTO models (code, name, name_en, price_fen) VALUES (?1, ?2, ?3, ?4)",
    "SELECT " MODEL_COLS " FROM models WHERE code = ?1",
    "SELECT " MODEL_COLS " FROM models ORDER BY code",
};
enum { MODELS_ADD, MODELS_FIND, MODELS_LIST };
const struct store_sql_table store_models_sql = {"models", sql, sizeof sql / sizeof sql[0]};

static void read_model(sqlite3_stmt *st, void *out)
{
    struct store_model *m = out;
    m->id = store_col_int(st, 0);
    store_col_text(st, 1, m->code, sizeof m->code);
    store_col_text(st, 2, m->name, sizeof m->name);
    store_col_text(st, 3, m->name_en, sizeof m->name_en);
    m->price_fen = store_col_int(st, 4);
}

int store_models_add(struct store *s, const char *code, const char *name, const char *name_en,
                     int64_t price_fen, int64_t *id, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_MODELS, MODELS_ADD);
    if (store_bind(s, st, err, "ttti", code, name, name_en ? name_en : "", price_fen) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
}

int store_models_find(struct store *s, const char *code, struct store_model *out,
                      struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_MODELS, MODELS_FIND);
    if (store_bind(s, st, err, "t", code))
        return -1;
    return store_one(s, st, read_model, out, "model", err);
}

int store_models_list(struct store *s, int (*cb)(void *ctx, const struct store_model *m), void *ctx,
                      struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_MODELS, MODELS_LIST);
    struct store_model m;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_model(st, &m);
        if (cb(ctx, &m) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

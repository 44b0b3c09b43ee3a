/* Delivery sign-offs: the checklist, the customer's signature strokes, rating and comment,
 * sealed with a BLAKE2b hash of their canonical JSON. Written once; SQL triggers refuse any
 * UPDATE or DELETE, and the hash shows an edit made behind the triggers' back. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql[] = {
    "INSERT INTO signoffs (order_id, staff_id, device_id, at, checklist, strokes, png_sha256,"
    " rating, comment, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "SELECT id, order_id, staff_id, device_id, at, checklist, strokes, png_sha256, rating,"
    " comment, hash FROM signoffs WHERE order_id = ?1",
};
enum { SO_ADD, SO_GET };
const struct store_sql_table store_signoffs_sql = {"signoffs", sql, sizeof sql / sizeof sql[0]};

/* The sealed document: {"at","checklist","comment","device_id","order_id","png_sha256",
 * "rating","staff_id","strokes"} canonical, with checklist and strokes as JSON values. */
static char *sealed_text(const struct store_signoff *so, const char *checklist, const char *strokes)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *cl = cJSON_Parse(checklist), *sk = cJSON_Parse(strokes);
    char *text = NULL;
    if (!o || !cl || !sk)
        goto out;
    if (!cJSON_AddNumberToObject(o, "at", (double)so->at) ||
        !cJSON_AddItemToObject(o, "checklist", cl))
        goto out;
    cl = NULL;
    if (!cJSON_AddStringToObject(o, "comment", so->comment) ||
        !cJSON_AddNumberToObject(o, "device_id", (double)so->device_id) ||
        !cJSON_AddNumberToObject(o, "order_id", (double)so->order_id) ||
        !cJSON_AddStringToObject(o, "png_sha256", so->png_sha256) ||
        !cJSON_AddNumberToObject(o, "rating", so->rating) ||
        !cJSON_AddNumberToObject(o, "staff_id", (double)so->staff_id) ||
        !cJSON_AddItemToObject(o, "strokes", sk))
        goto out;
    sk = NULL;
    text = store_canon_json(o);
out:
    cJSON_Delete(sk);
    cJSON_Delete(cl);
    cJSON_Delete(o);
    return text;
}

static int seal(const struct store_signoff *so, const char *checklist, const char *strokes,
                char hash[STORE_HASH_HEX_LEN + 1], struct proto_error *err)
{
    char *text = sealed_text(so, checklist, strokes);
    if (!text)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    store_hash_hex(text, strlen(text), hash);
    free(text);
    return 0;
}

int store_signoffs_canon(const struct store_signoff *so, char **text, struct proto_error *err)
{
    char *checklist = NULL, *strokes = NULL;
    *text = NULL;
    if (!so->checklist || !so->strokes)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL,
                               "a sign-off needs checklist and strokes");
    int rc = -1;
    if (store_canon_text(so->checklist, &checklist, err) ||
        store_canon_text(so->strokes, &strokes, err))
        goto out;
    if (!(*text = sealed_text(so, checklist, strokes))) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        goto out;
    }
    rc = 0;
out:
    free(checklist);
    free(strokes);
    return rc;
}

int store_signoffs_add(struct store *s, const struct store_signoff *in, int64_t *id,
                       char hash[STORE_HASH_HEX_LEN + 1], struct proto_error *err)
{
    char *checklist = NULL, *strokes = NULL;
    char h[STORE_HASH_HEX_LEN + 1];
    int rc = -1;
    if (!in->checklist || !in->strokes) {
        proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "a sign-off needs checklist and strokes");
        goto out;
    }
    if (in->rating < 0 || in->rating > 5) {
        proto_error_set(err, PROTO_E_BAD_FIELD, "rating", "rating is 1..5, or 0 for none");
        goto out;
    }
    if (store_canon_text(in->checklist, &checklist, err) ||
        store_canon_text(in->strokes, &strokes, err) || seal(in, checklist, strokes, h, err))
        goto out;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SIGNOFFS, SO_ADD);
    if (store_bind(s, st, err, "iiIitttdtt", in->order_id, in->staff_id, in->device_id, in->at,
                   checklist, strokes, in->png_sha256, in->rating, in->comment, h) ||
        store_exec(s, st, err)) {
        if (err && err->code == PROTO_E_INVALID_STATE)
            proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "the order is already signed off");
        goto out;
    }
    if (id)
        *id = store_last_id(s);
    if (hash)
        memcpy(hash, h, sizeof h);
    rc = 0;
out:
    free(checklist);
    free(strokes);
    return rc;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, t, n);
        p[n] = '\0';
    }
    return p;
}

int store_signoffs_get(struct store *s, int64_t order_id, struct store_signoff *out,
                       struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_SIGNOFFS, SO_GET);
    if (store_bind(s, st, err, "i", order_id))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        out->id = store_col_int(st, 0);
        out->order_id = store_col_int(st, 1);
        out->staff_id = store_col_int(st, 2);
        out->device_id = store_col_int(st, 3);
        out->at = store_col_int(st, 4);
        out->checklist = dup_col(st, 5);
        out->strokes = dup_col(st, 6);
        store_col_text(st, 7, out->png_sha256, sizeof out->png_sha256);
        out->rating = (int)store_col_int(st, 8);
        store_col_text(st, 9, out->comment, sizeof out->comment);
        store_col_text(st, 10, out->hash, sizeof out->hash);
        if (!out->checklist || !out->strokes) {
            store_signoff_free(out);
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        }
    }
    store_done(st);
    if (rc == 0)
        return store_not_found(err, "sign-off");
    return rc < 0 ? -1 : 0;
}

void store_signoff_free(struct store_signoff *so)
{
    if (!so)
        return;
    free(so->checklist);
    free(so->strokes);
    so->checklist = so->strokes = NULL;
}

/* SQL functions the store registers on its handle: sf_open(blob, key_id, 'field') opens a
 * sealed customer column (privacy.h) inside a query, sf_seal(text, key_id, 'field') seals one, so
 * the joined reads (an order with its customer, a lead list searched by phone digits) stay single
 * statements. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "privacy.h"

/* sf_open(sealed, key_id, field): the opened text; NULL when the column or key_id is NULL
 * (empty, or erased) or the customer's key is gone. A damaged or foreign blob is an error:
 * hiding it would show a customer as erased when their data is really broken. */
static void sqlfn_open(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct store *s = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    int64_t key_id = sqlite3_value_int64(argv[1]);
    const char *field = (const char *)sqlite3_value_text(argv[2]);
    if (!blob || !field) {
        sqlite3_result_null(ctx);
        return;
    }
    char plain[PROTO_MAX_TEXT + 1];
    struct proto_error e;
    if (privacy_open_field(s->priv, key_id, field, blob, len, plain, sizeof plain, &e) == 0) {
        sqlite3_result_text(ctx, plain, -1, SQLITE_TRANSIENT);
    } else if (e.code == PROTO_E_NOT_FOUND) {
        sqlite3_result_null(ctx);
    } else {
        char msg[PROTO_MAX_SHORT + sizeof e.message + 48];
        snprintf(msg, sizeof msg, "sf_open(%s, key %lld): %s", field, (long long)key_id, e.message);
        sqlite3_result_error(ctx, msg, -1);
    }
    sodium_memzero(plain, sizeof plain);
}

/* sf_seal(text, key_id, field): the text sealed under the customer's key; NULL for NULL or
 * empty text. For columns outside the customers table that hold a customer's personal data
 * as typed (a lead's name), written by UPDATE/INSERT statements that find key_id by join. */
static void sqlfn_seal(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct store *s = sqlite3_user_data(ctx);
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    const char *field = (const char *)sqlite3_value_text(argv[2]);
    if (!text || !text[0] || !field) {
        sqlite3_result_null(ctx);
        return;
    }
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_error(ctx, "sf_seal: the customer has no key (erased)", -1);
        return;
    }
    uint8_t *out = NULL;
    size_t outlen = 0;
    struct proto_error e;
    if (privacy_seal(s->priv, sqlite3_value_int64(argv[1]), field, text,
                     (size_t)sqlite3_value_bytes(argv[0]), &out, &outlen, &e) != 0) {
        sqlite3_result_error(ctx, e.message, -1);
        return;
    }
    sqlite3_result_blob(ctx, out, (int)outlen, free);
}

int store_sqlfn_register(struct store *s, struct proto_error *err)
{
    /* DIRECTONLY: never callable from a trigger or view a tampered schema could add */
    if (sqlite3_create_function_v2(s->db, "sf_open", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, s,
                                   sqlfn_open, NULL, NULL, NULL) != SQLITE_OK)
        return store_fault(s, "register sf_open", err);
    if (sqlite3_create_function_v2(s->db, "sf_seal", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, s,
                                   sqlfn_seal, NULL, NULL, NULL) != SQLITE_OK)
        return store_fault(s, "register sf_seal", err);
    return 0;
}

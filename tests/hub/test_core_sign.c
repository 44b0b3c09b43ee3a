/* Signed delivery records (hub/core_sign.c): the first delivery creates the hub's key file
 * (0600) beside the database, signs the sign-off, and verification catches a one-byte change
 * to any column of the stored record or to its signature, and a wrong key; key files that
 * others can read are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core_sign.h"
#include "test_core_orders_fx.h"

#define PNG "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int setup(void **state)
{
    *state = ofx_new();
    return 0;
}

static int teardown(void **state)
{
    ofx_free(*state);
    return 0;
}

static void key_path(struct ofx *o, char *out, size_t n)
{
    snprintf(out, n, "%s%s", o->f->path, CORE_SIGN_KEY_SUFFIX);
}

static void deliver_args(const char *no, char *a, size_t n)
{
    snprintf(a, n,
             "{\"order_no\":\"%s\",\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,"
             "\"coc\":true,\"warranty\":true,\"keys\":true,\"accessories\":true,"
             "\"explained\":true},\"signature\":{\"strokes\":[[[1,2,0],[3,4,16]],[[9,9,40]]],"
             "\"png_sha256\":\"" PNG "\"},\"rating\":4,\"comment\":\"很满意\"}",
             no);
}

static void delivered(struct ofx *o, char *no, size_t nosz)
{
    char a[1024];
    ofx_vehicle(o, OFX_VIN1);
    ofx_walk(o, DOMAIN_STAGE_READY, OFX_VIN1, no, nosz);
    deliver_args(no, a, sizeof a);
    ofx_ok(o, o->delivery, &o->cons, PROTO_T_ORDER_DELIVER, a);
}

/* 1 ok, 0 mismatch, -1 unreadable (e.g. the sign-off no longer belongs to the order). */
static int verify(struct ofx *o, const unsigned char *pk, const char *no, char *reason, size_t n)
{
    struct core_sign_check r;
    struct proto_error err;
    int rc = core_sign_verify_delivery(o->f->s, pk, no, &r, &err);
    snprintf(reason, n, "%s", rc ? err.message : r.reason);
    return rc ? -1 : r.ok;
}

static void exec(struct ofx *o, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(o->f->db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* Changes one byte of column `col` of table `table` (row where `where`): an integer is
 * incremented, a text has its byte at position `at` changed. Returns the old value so the
 * caller can put it back. */
static char *tamper(struct ofx *o, const char *table, const char *col, const char *where, size_t at)
{
    char sql[256];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT %s, typeof(%s) FROM %s WHERE %s", col, col, table, where);
    assert_int_equal(sqlite3_prepare_v2(o->f->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *old = strdup((const char *)sqlite3_column_text(st, 0));
    bool integer = strcmp((const char *)sqlite3_column_text(st, 1), "integer") == 0;
    sqlite3_finalize(st);
    assert_non_null(old);
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE %s", table, col, where);
    assert_int_equal(sqlite3_prepare_v2(o->f->db, sql, -1, &st, NULL), SQLITE_OK);
    if (integer) {
        sqlite3_bind_int64(st, 1, strtoll(old, NULL, 10) + 1);
    } else {
        char *changed = strdup(old);
        size_t len = strlen(changed);
        assert_true(len > 0);
        size_t i = at < len ? at : len - 1;
        changed[i] = changed[i] == '1' ? '2' : '1';
        sqlite3_bind_text(st, 1, changed, -1, SQLITE_TRANSIENT);
        free(changed);
    }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    return old;
}

static void restore(struct ofx *o, const char *table, const char *col, const char *where, char *old,
                    bool integer)
{
    char sql[256];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE %s", table, col, where);
    assert_int_equal(sqlite3_prepare_v2(o->f->db, sql, -1, &st, NULL), SQLITE_OK);
    if (integer)
        sqlite3_bind_int64(st, 1, strtoll(old, NULL, 10));
    else
        sqlite3_bind_text(st, 1, old, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(old);
}

static void test_delivery_signed_and_any_byte_detected(void **state)
{
    struct ofx *o = *state;
    char no[32], path[128], reason[256];
    delivered(o, no, sizeof no);

    /* the key file appeared beside the database, owner-only */
    key_path(o, path, sizeof path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct core_sign_key key;
    struct proto_error err;
    assert_int_equal(core_sign_key_load(path, false, &key, &err), 0);

    assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 1);

    /* an attacker with the file drops the triggers that refuse UPDATE */
    exec(o, "DROP TRIGGER signoffs_never_updated");
    static const struct {
        const char *col;
        bool integer;
        size_t at;
    } cols[] = {
        {"checklist", false, 12}, {"strokes", false, 5}, {"png_sha256", false, 30},
        {"comment", false, 0},    {"hash", false, 63},   {"at", true, 0},
        {"rating", true, 0},      {"staff_id", true, 0}, {"device_id", true, 0},
        {"order_id", true, 0},    {"id", true, 0},
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        char *old = tamper(o, "signoffs", cols[i].col, "1 = 1", cols[i].at);
        int v = verify(o, key.pk, no, reason, sizeof reason);
        if (v == 1)
            fail_msg("a changed byte of signoffs.%s went unnoticed", cols[i].col);
        restore(o, "signoffs", cols[i].col, "1 = 1", old, cols[i].integer);
        assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 1);
    }
    /* a change that keeps the JSON's meaning (a space) is a change too */
    exec(o, "UPDATE signoffs SET checklist = '{ ' || substr(checklist, 2)");
    assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 0);
    assert_non_null(strstr(reason, "checklist"));
    exec(o, "UPDATE signoffs SET checklist = '{' || substr(checklist, 3)");
    assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 1);

    /* the signature itself, in the delivery's audit record */
    char where[96];
    snprintf(where, sizeof where, "action = 'order_deliver' AND entity_id = '%s'", no);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(o->f->db,
                                        "SELECT instr(after, '\"sig\":\"') + 7 FROM audit WHERE "
                                        "action = 'order_deliver'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    size_t sig_at = (size_t)sqlite3_column_int64(q, 0) - 1 + 10; /* 0-based, inside the hex */
    sqlite3_finalize(q);
    char *old = tamper(o, "audit", "after", where, sig_at);
    assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 0);
    assert_non_null(strstr(reason, "signature"));
    restore(o, "audit", "after", where, old, false);
    assert_int_equal(verify(o, key.pk, no, reason, sizeof reason), 1);

    /* another key does not verify it */
    struct core_sign_key other;
    char other_path[160];
    snprintf(other_path, sizeof other_path, "%s.other", path);
    assert_int_equal(core_sign_key_load(other_path, true, &other, &err), 0);
    unlink(other_path);
    assert_int_equal(verify(o, other.pk, no, reason, sizeof reason), 0);
    assert_non_null(strstr(reason, "Ed25519"));
    core_sign_key_wipe(&key);
    core_sign_key_wipe(&other);
}

static void test_key_file_rules(void **state)
{
    struct ofx *o = *state;
    char path[128], no[32], a[1024];
    struct core_sign_key k1, k2;
    struct proto_error err;
    key_path(o, path, sizeof path);

    /* not there and not to be created: refused */
    assert_int_equal(core_sign_key_load(path, false, &k1, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    /* created once; loading again gives the same key */
    assert_int_equal(core_sign_key_load(path, true, &k1, &err), 0);
    assert_int_equal(core_sign_key_load(path, true, &k2, &err), 0);
    assert_memory_equal(k1.pk, k2.pk, sizeof k1.pk);
    /* readable by the group: refused, and a delivery cannot be signed so it is refused */
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(core_sign_key_load(path, false, &k2, &err), -1);
    assert_non_null(strstr(err.message, "chmod 600"));
    ofx_vehicle(o, OFX_VIN1);
    ofx_walk(o, DOMAIN_STAGE_READY, OFX_VIN1, no, sizeof no);
    deliver_args(no, a, sizeof a);
    ofx_fail(o, o->delivery, &o->cons, PROTO_T_ORDER_DELIVER, a, PROTO_E_UNAVAILABLE);
    assert_int_equal(cfx_count(o->f, "signoffs"), 0);
    /* fixed: the delivery goes through, signed with the same key */
    assert_int_equal(chmod(path, 0600), 0);
    ofx_ok(o, o->delivery, &o->cons, PROTO_T_ORDER_DELIVER, a);
    char reason[256];
    assert_int_equal(verify(o, k1.pk, no, reason, sizeof reason), 1);
    /* a file that is not a key */
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("not a key\n", fp);
    fclose(fp);
    assert_int_equal(core_sign_key_load(path, false, &k2, &err), -1);
    core_sign_key_wipe(&k1);
    core_sign_key_wipe(&k2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_delivery_signed_and_any_byte_detected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_key_file_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

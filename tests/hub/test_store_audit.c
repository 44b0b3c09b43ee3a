/* The audit trail: canonical JSON, the documented hash layout (recomputed here with
 * libsodium directly), and tamper detection: a changed byte, a deleted record (first,
 * middle, last), reordered records and a re-hashed forgery are each named by verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

#define NOW  1795312800000LL
#define ZERO "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
    char path[64];
    struct store *s;
};

static void remove_db(const char *path)
{
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Five records: the shapes the core and the CLI write. */
static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct proto_error err;
    snprintf(f->path, sizeof f->path, "/tmp/sf-test-audit-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id;
    assert_int_equal(store_audit_append(f->s, 1, "staff:S003", "order", "SF2611-0001",
                                        "order_create", NULL, "{\"stage\": \"entered\"}", NOW, &id,
                                        &err),
                     0);
    assert_int_equal(id, 1);
    assert_int_equal(
        store_audit_append(f->s, 1, "staff:S007", "order", "SF2611-0001", "order_review",
                           "{\"stage\":\"entered\"}",
                           "{\"stage\":\"reviewed\",\"note\":\"line\\nbreak \\\"q\\\"\"}", NOW + 1,
                           &id, &err),
        0);
    assert_int_equal(store_audit_append(f->s, 0, "cli", "vehicle", "LSVAU2180N2183294",
                                        "vehicle_add", NULL, "{\"model\":\"XH7\"}", NOW + 2, &id,
                                        &err),
                     0);
    cJSON *before = cJSON_Parse("{\"value\":4}"), *after = cJSON_Parse("{\"value\":6}");
    assert_int_equal(store_audit_append_json(f->s, 1, "cli", "setting", "initial_review_hours",
                                             "site_set", before, after, NOW + 3, &id, &err),
                     0);
    cJSON_Delete(before);
    cJSON_Delete(after);
    assert_int_equal(store_audit_append(f->s, 1, "device:3", "order", "SF2611-0002", "order_note",
                                        NULL, NULL, NOW + 4, &id, &err),
                     0);
    assert_int_equal(id, 5);
    assert_int_equal(store_commit(f->s, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    remove_db(f->path);
    free(f);
    return 0;
}

static void sql(struct fx *f, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", q, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

static struct store_audit_result verify(struct fx *f)
{
    struct store_audit_result r;
    struct proto_error err;
    assert_int_equal(store_audit_verify(f->s, &r, &err), 0);
    return r;
}

static void test_canonical_json(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"{\"b\":1,\"a\":[true,false,null],\"c\":{\"z\":\"\",\"y\":-2}}",
         "{\"a\":[true,false,null],\"b\":1,\"c\":{\"y\":-2,\"z\":\"\"}}"},
        {"{\"t\": 1795312800000, \"fen\": 1125899906842624}",
         "{\"fen\":1125899906842624,\"t\":1795312800000}"},
        {"\"tab\\t nl\\n cr\\r bs\\b ff\\f q\\\" bsl\\\\ sl/ ctl\\u0001 中文 é\"",
         "\"tab\\t nl\\n cr\\r bs\\b ff\\f q\\\" bsl\\\\ sl/ ctl\\u0001 中文 é\""},
        {"{\"中\":1,\"a\":2,\"Z\":3}", "{\"Z\":3,\"a\":2,\"中\":1}"},
        {"[1.5, 0.1, -0.25, 1e2]", "[1.5,0.1,-0.25,100]"},
        {"{}", "{}"},
        {"[]", "[]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *v = cJSON_Parse(cases[i].in);
        assert_non_null(v);
        char *out = store_canon_json(v);
        assert_string_equal(out, cases[i].out);
        free(out);
        cJSON_Delete(v);
    }
}

static void hex_hash(const char *text, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

struct rows {
    int n;
    char hash[8][65];
    char prev[8][65];
    char after[8][256];
    int64_t id[8];
};

static int collect(void *ctx, const struct store_audit *a)
{
    struct rows *r = ctx;
    snprintf(r->hash[r->n], 65, "%s", a->hash);
    snprintf(r->prev[r->n], 65, "%s", a->prev_hash);
    snprintf(r->after[r->n], 256, "%s", a->after ? a->after : "(null)");
    r->id[r->n] = a->id;
    r->n++;
    return 0;
}

static void test_layout_is_as_documented(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct rows r = {0};
    assert_int_equal(store_audit_list(f->s, "order", "SF2611-0001", collect, &r, &err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.prev[0], ZERO);
    /* stored JSON is canonical */
    assert_string_equal(r.after[0], "{\"stage\":\"entered\"}");
    assert_string_equal(r.after[1], "{\"note\":\"line\\nbreak \\\"q\\\"\",\"stage\":\"reviewed\"}");
    /* record 1 by hand: prev_hash "\n" canonical {action,actor,after,at,before,entity,
     * entity_id,id,site_id}, with before/after as JSON strings */
    char expect[65];
    hex_hash(ZERO "\n{\"action\":\"order_create\",\"actor\":\"staff:S003\","
                  "\"after\":\"{\\\"stage\\\":\\\"entered\\\"}\",\"at\":1795312800000,"
                  "\"before\":null,\"entity\":\"order\",\"entity_id\":\"SF2611-0001\",\"id\":1,"
                  "\"site_id\":1}",
             expect);
    assert_string_equal(r.hash[0], expect);
    assert_string_equal(r.prev[1], r.hash[0]);
    /* record 2 chains on record 1 */
    char text[1024];
    snprintf(text, sizeof text,
             "%s\n{\"action\":\"order_review\",\"actor\":\"staff:S007\",\"after\":"
             "\"{\\\"note\\\":\\\"line\\\\nbreak \\\\\\\"q\\\\\\\"\\\",\\\"stage\\\":"
             "\\\"reviewed\\\"}\",\"at\":1795312800001,\"before\":"
             "\"{\\\"stage\\\":\\\"entered\\\"}\",\"entity\":\"order\",\"entity_id\":"
             "\"SF2611-0001\",\"id\":2,\"site_id\":1}",
             r.hash[0]);
    hex_hash(text, expect);
    assert_string_equal(r.hash[1], expect);

    struct store_audit_result v = verify(f);
    assert_true(v.ok);
    assert_int_equal(v.count, 5);
    assert_int_equal(v.bad_id, 0);

    /* bad input is refused and writes nothing */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(
        store_audit_append(f->s, 1, "", "order", "x", "a", NULL, NULL, NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(
        store_audit_append(f->s, 1, "cli", "order", "x", "a", "{broken", NULL, NOW, NULL, &err),
        -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    store_rollback(f->s);
    /* a rolled-back append leaves the chain as it was; the next one continues it */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(
        store_audit_append(f->s, 1, "cli", "order", "x", "a", NULL, NULL, NOW, NULL, &err), 0);
    store_rollback(f->s);
    assert_true(verify(f).ok);
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id;
    assert_int_equal(
        store_audit_append(f->s, 1, "cli", "order", "x", "a", NULL, NULL, NOW, &id, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(id, 6);
    v = verify(f);
    assert_true(v.ok);
    assert_int_equal(v.count, 6);
}

static void test_changed_byte_names_record(void **state)
{
    struct fx *f = *state;
    sql(f, "UPDATE audit SET actor = 'staff:S008' WHERE id = 3");
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 3);
    assert_int_equal(v.count, 2);
    assert_non_null(strstr(v.reason, "changed"));
}

static void test_changed_json_and_time(void **state)
{
    struct fx *f = *state;
    /* one space inside the stored JSON is a changed byte too */
    sql(f, "UPDATE audit SET after = '{\"stage\": \"reviewed\"}' WHERE id = 2");
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 2);
    sql(f, "UPDATE audit SET after = '{\"note\":\"line\\nbreak \\\"q\\\"\",\"stage\":\"reviewed\"}'"
           " WHERE id = 2");
    sql(f, "UPDATE audit SET at = at + 1 WHERE id = 4");
    v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 4);
}

static void test_deleted_records(void **state)
{
    struct fx *f = *state;
    sql(f, "DELETE FROM audit WHERE id = 3");
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 4);
    assert_non_null(strstr(v.reason, "missing"));
}

static void test_deleted_first_and_last(void **state)
{
    struct fx *f = *state;
    sql(f, "DELETE FROM audit WHERE id = 5");
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 5);
    assert_int_equal(v.count, 4);
    assert_non_null(strstr(v.reason, "deleted from the end"));
    sql(f, "DELETE FROM audit WHERE id = 1");
    v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 2);
    /* everything deleted: the head still remembers there was a chain */
    sql(f, "DELETE FROM audit");
    v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 5);
}

static void test_reordered_records(void **state)
{
    struct fx *f = *state;
    /* swap the contents of records 2 and 3 keeping ids: both hashes still "valid" for their
     * own content but the ids and the links no longer agree */
    sql(f, "UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3;"
           " UPDATE audit SET id = 3 WHERE id = -2");
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 2);
}

static void test_rehashed_forgery(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    /* a forger who knows the layout changes record 3 and recomputes its hash: record 4's
     * link to it breaks (and the head in meta no longer matches either) */
    struct rows r = {0};
    assert_int_equal(store_audit_list(f->s, "vehicle", "LSVAU2180N2183294", collect, &r, &err), 0);
    assert_int_equal(r.n, 1);
    char text[1024], h[65];
    snprintf(text, sizeof text,
             "%s\n{\"action\":\"vehicle_add\",\"actor\":\"cli\",\"after\":"
             "\"{\\\"model\\\":\\\"XH9\\\"}\",\"at\":1795312800002,\"before\":null,"
             "\"entity\":\"vehicle\",\"entity_id\":\"LSVAU2180N2183294\",\"id\":3,"
             "\"site_id\":0}",
             r.prev[0]);
    hex_hash(text, h);
    char q[512];
    snprintf(q, sizeof q,
             "UPDATE audit SET after = '{\"model\":\"XH9\"}', hash = '%s' WHERE id = 3", h);
    sql(f, q);
    struct store_audit_result v = verify(f);
    assert_false(v.ok);
    assert_int_equal(v.bad_id, 4);
    assert_non_null(strstr(v.reason, "does not follow record 3"));
}

static void test_empty_chain_ok(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/sf-test-audit-XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct store *s;
    struct proto_error err;
    assert_int_equal(store_open(&s, path, &err), 0);
    struct store_audit_result v;
    assert_int_equal(store_audit_verify(s, &v, &err), 0);
    assert_true(v.ok);
    assert_int_equal(v.count, 0);
    store_close(s);
    remove_db(path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_json),
        cmocka_unit_test(test_empty_chain_ok),
        cmocka_unit_test_setup_teardown(test_layout_is_as_documented, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_byte_names_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_json_and_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_first_and_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reordered_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehashed_forgery, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

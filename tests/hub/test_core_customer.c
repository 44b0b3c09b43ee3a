/* customer_export and customer_erase through core_request (hub/core_customer.c): who may
 * send them, the two ways of naming the customer, what an export holds and that it is logged,
 * what an erasure leaves behind (no personal data in the customer row, the audit record or
 * the stored result) and that the WAL is truncated after it commits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test_core_floor_fx.h"

#define PHONE_A   "13900000021" /* 刘芳: ofx_create's customer */
#define PHONE_A_S "139 0000 0021"
#define NAME_A    "刘芳"
#define PHONE_B   "13800138000"

struct t {
    struct lfx *l;
    int64_t a, b;                  /* customer ids */
    int64_t lead, appt, complaint; /* records of customer a */
    char order_no[32];
};

static int setup(void **state)
{
    struct t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    struct lfx *l = t->l = lfx_new();
    ofx_create(l->o, false, t->order_no, sizeof t->order_no); /* names the customer 刘芳 */
    t->lead = lfx_lead(l, &l->tel, "{\"phone\":\"" PHONE_A "\",\"channel\":\"phone_in\"}");
    char a[160];
    snprintf(a, sizeof a, "{\"lead_id\":%lld,\"at\":%lld}", (long long)t->lead,
             (long long)(l->o->now + OFX_HOUR));
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_APPOINTMENT_CREATE, a);
    t->appt = lfx_int(cJSON_GetObjectItem(ofx_data(), "appointment"), "id");
    lfx_checkin(l, PHONE_A_S);
    ofx_ok(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_OPEN,
           "{\"phone\":\"" PHONE_A "\",\"channel\":\"on_site\",\"kind\":\"service\","
           "\"summary\":\"等待太久\"}");
    t->complaint = lfx_int(cJSON_GetObjectItem(ofx_data(), "complaint"), "id");
    lfx_checkin(l, PHONE_B);
    struct store_customer c;
    struct proto_error err;
    assert_int_equal(store_customers_find_by_phone(l->f->s, PHONE_A, &c, &err), 0);
    t->a = c.id;
    assert_int_equal(store_customers_find_by_phone(l->f->s, PHONE_B, &c, &err), 0);
    t->b = c.id;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    lfx_free(t->l);
    free(t);
    return 0;
}

static int64_t count_where(struct lfx *l, const char *sql, int64_t id)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(l->f->db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Access-log entries about `customer` whose what is `what`, and the latest one's actor. */
struct access_count {
    const char *what;
    int n;
    char actor[sizeof((struct store_access *)0)->actor];
};

static int access_cb(void *ctx, const struct store_access *a)
{
    struct access_count *x = ctx;
    if (strcmp(a->what, x->what) == 0 && x->n++ == 0) /* newest first: keep the latest's */
        snprintf(x->actor, sizeof x->actor, "%s", a->actor);
    return 0;
}

static struct access_count accesses(struct lfx *l, int64_t customer, const char *what)
{
    struct access_count x = {.what = what};
    struct proto_error err;
    assert_int_equal(store_access_list(l->f->s, customer, 0, 0, access_cb, &x, &err), 0);
    return x;
}

static void test_who_may_ask(void **state)
{
    struct t *t = *state;
    struct lfx *l = t->l;
    struct ofx *o = l->o;
    const char *exp = "{\"customer_id\":1}";
    const char *era = "{\"customer_id\":1,\"reason\":\"客户要求\"}";
    const struct core_staff *refused[] = {&o->cons, &o->sup, &o->fin, &l->tel, &l->svc, &l->rec};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        ofx_fail(o, o->api, refused[i], PROTO_T_CUSTOMER_EXPORT, exp, PROTO_E_FORBIDDEN);
        ofx_fail(o, o->api, refused[i], PROTO_T_CUSTOMER_ERASE, era, PROTO_E_FORBIDDEN);
    }
    ofx_fail(o, o->api, NULL, PROTO_T_CUSTOMER_EXPORT, exp, PROTO_E_STAFF_LOGIN_REQUIRED);
    ofx_fail(o, o->api, NULL, PROTO_T_CUSTOMER_ERASE, era, PROTO_E_STAFF_LOGIN_REQUIRED);
    /* no kiosk mode may send them, even with a manager logged in */
    ofx_fail(o, o->board, &o->mgr, PROTO_T_CUSTOMER_EXPORT, exp, PROTO_E_FORBIDDEN);
    ofx_fail(o, o->delivery, &o->mgr, PROTO_T_CUSTOMER_ERASE, era, PROTO_E_FORBIDDEN);
    /* a manager of another site is not this device's staff */
    struct core_staff other = o->mgr;
    other.site_id = l->f->other_site;
    ofx_fail(o, o->api, &other, PROTO_T_CUSTOMER_EXPORT, exp, PROTO_E_FORBIDDEN);
    assert_int_equal(accesses(l, t->a, "customer_export").n, 0);
    /* manager and admin may */
    ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"" PHONE_A "\"}");
    ofx_ok(o, o->api, &o->adm, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"" PHONE_A "\"}");
    assert_int_equal(accesses(l, t->a, "customer_export").n, 2);
}

static void test_naming_the_customer(void **state)
{
    struct t *t = *state;
    struct ofx *o = t->l->o;
    char a[96];
    snprintf(a, sizeof a, "{\"customer_id\":%lld}", (long long)t->a);
    const cJSON *by_id =
        cJSON_GetObjectItem(ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, a), "customer");
    assert_int_equal(lfx_int(by_id, "id"), t->a);
    assert_string_equal(lfx_str(by_id, "phone"), PHONE_A);
    const cJSON *by_phone = cJSON_GetObjectItem(
        ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"+86 139-0000-0021\"}"),
        "customer");
    assert_int_equal(lfx_int(by_phone, "id"), t->a);

    struct proto_error e;
    snprintf(a, sizeof a, "{\"customer_id\":%lld,\"phone\":\"" PHONE_A "\"}", (long long)t->a);
    ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, a, PROTO_E_BAD_FIELD);
    e = ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{}", PROTO_E_BAD_FIELD);
    assert_string_equal(e.field, "customer_id");
    e = ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_ERASE, "{\"reason\":\"r\"}",
                 PROTO_E_BAD_FIELD);
    assert_string_equal(e.field, "customer_id");
    ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"12345\"}",
             PROTO_E_INVALID_PHONE);
    e = ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"customer_id\":99999}",
                 PROTO_E_NOT_FOUND);
    assert_string_equal(e.field, "customer_id");
    e = ofx_fail(o, o->api, &o->mgr, PROTO_T_CUSTOMER_ERASE,
                 "{\"phone\":\"13700000000\",\"reason\":\"r\"}", PROTO_E_NOT_FOUND);
    assert_string_equal(e.field, "phone");
    assert_null(strstr(e.message, "13700000000")); /* the error does not echo the phone */
}

static int has_id(const cJSON *list, int64_t id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        if (lfx_int(it, "id") == id)
            return 1;
    }
    return 0;
}

static void test_export_holds_everything(void **state)
{
    struct t *t = *state;
    struct lfx *l = t->l;
    struct ofx *o = l->o;
    ofx_ok(o, o->api, &o->adm, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"" PHONE_A "\"}");
    const cJSON *d =
        ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"" PHONE_A "\"}");
    const cJSON *c = cJSON_GetObjectItem(d, "customer");
    assert_string_equal(lfx_str(c, "name"), NAME_A);
    assert_string_equal(lfx_str(c, "phone"), PHONE_A);
    assert_string_equal(lfx_str(c, "gender"), "female");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "erased_at")));
    const cJSON *consent = cJSON_GetObjectItem(d, "consent");
    assert_true(lfx_int(consent, "at") > 0);
    assert_string_equal(lfx_str(consent, "version"), "v1");
    assert_string_equal(lfx_str(consent, "purpose"), "checkin"); /* over the lead's inquiry */
    assert_true(has_id(cJSON_GetObjectItem(d, "leads"), t->lead));
    assert_true(has_id(cJSON_GetObjectItem(d, "appointments"), t->appt));
    assert_true(has_id(cJSON_GetObjectItem(d, "complaints"), t->complaint));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "visits")), 1);
    const cJSON *orders = cJSON_GetObjectItem(d, "orders");
    assert_int_equal(cJSON_GetArraySize(orders), 1);
    assert_string_equal(lfx_str(cJSON_GetArrayItem(orders, 0), "order_no"), t->order_no);
    /* only customer a's records: b's visit is not in it */
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(d, "visits"))
    {
        assert_int_equal(lfx_int(cJSON_GetObjectItem(v, "customer"), "id"), t->a);
    }
    /* the access log lists the reads before this one: the admin's export */
    const cJSON *log = cJSON_GetObjectItem(d, "access_log");
    int admin_exports = 0;
    cJSON_ArrayForEach(v, log)
    {
        if (strcmp(lfx_str(v, "what"), "customer_export") == 0 &&
            strcmp(lfx_str(v, "actor"), "staff:S013") == 0)
            admin_exports++;
    }
    assert_int_equal(admin_exports, 1);
    assert_int_equal(lfx_int(d, "exported_at"), o->now);
    /* and this export is logged too, as the manager's */
    struct access_count x = accesses(l, t->a, "customer_export");
    assert_int_equal(x.n, 2);
    assert_string_equal(x.actor, "staff:S011");
    assert_int_equal(accesses(l, t->b, "customer_export").n, 0);
}

static void test_erase(void **state)
{
    struct t *t = *state;
    struct lfx *l = t->l;
    struct ofx *o = l->o;
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    ofx_fail(o, o->api, &o->sup, PROTO_T_CUSTOMER_ERASE,
             "{\"phone\":\"" PHONE_A "\",\"reason\":\"客户要求\"}", PROTO_E_FORBIDDEN);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);

    char path[96];
    struct stat sb;
    snprintf(path, sizeof path, "%s-wal", l->f->path);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 0); /* the fixture's commits are in it */

    const cJSON *d = ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_ERASE,
                            "{\"phone\":\"" PHONE_A "\",\"reason\":\"客户书面申请删除\"}");
    int64_t at = o->now;
    assert_int_equal(lfx_int(d, "customer_id"), t->a);
    assert_int_equal(lfx_int(d, "erased_at"), at);
    assert_true(lfx_int(d, "scrubbed") > 0); /* the check-in's and order's masked copies */
    assert_int_equal(cJSON_GetArraySize((cJSON *)d), 3);

    /* committed, then the WAL truncated */
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0);

    struct store_customer c;
    struct proto_error err;
    assert_int_equal(store_customers_get(l->f->s, t->a, &c, &err), 0);
    assert_int_equal(c.erased_at, at);
    assert_string_equal(c.phone, "");
    assert_string_equal(c.name, "");
    assert_int_equal(store_customers_find_by_phone(l->f->s, PHONE_A, &c, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* the orders stay, naming nobody */
    assert_int_equal(count_where(l, "SELECT count(*) FROM orders WHERE customer_id = ?1", t->a), 1);

    /* the audit record: the id and the reason, nothing personal */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(l->f->db,
                                        "SELECT actor, entity_id, ifnull(before, ''), after"
                                        " FROM audit WHERE entity = 'customer' AND"
                                        " action = 'customer_erase'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "staff:S011");
    assert_int_equal(atoll((const char *)sqlite3_column_text(st, 1)), t->a);
    const char *after = (const char *)sqlite3_column_text(st, 3);
    assert_non_null(strstr(after, "客户书面申请删除"));
    for (int col = 2; col <= 3; col++) {
        const char *text = (const char *)sqlite3_column_text(st, col);
        assert_null(strstr(text, PHONE_A));
        assert_null(strstr(text, "0021"));
        assert_null(strstr(text, NAME_A));
        assert_null(strstr(text, "刘"));
    }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* nor does the stored result of the command */
    assert_int_equal(count_where(l,
                                 "SELECT count(*) FROM commands WHERE type = 'customer_erase'"
                                 " AND instr(result, '0021') = 0 AND instr(result, '刘') = 0"
                                 " AND json_extract(result, '$.customer_id') = ?1",
                                 t->a),
                     1);

    /* a second erasure: invalid_state by id; by phone the customer is no longer found */
    char a[96];
    snprintf(a, sizeof a, "{\"customer_id\":%lld,\"reason\":\"again\"}", (long long)t->a);
    lfx_counts(l, &c0);
    ofx_fail(o, o->api, &o->adm, PROTO_T_CUSTOMER_ERASE, a, PROTO_E_INVALID_STATE);
    ofx_fail(o, o->api, &o->adm, PROTO_T_CUSTOMER_ERASE,
             "{\"phone\":\"" PHONE_A "\",\"reason\":\"again\"}", PROTO_E_NOT_FOUND);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);

    /* the erased customer's export shows an erased record; another's is whole */
    snprintf(a, sizeof a, "{\"customer_id\":%lld}", (long long)t->a);
    const cJSON *cust =
        cJSON_GetObjectItem(ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, a), "customer");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cust, "name")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cust, "phone")));
    assert_int_equal(lfx_int(cust, "erased_at"), at);
    cust = cJSON_GetObjectItem(
        ofx_ok(o, o->api, &o->mgr, PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"" PHONE_B "\"}"),
        "customer");
    assert_string_equal(lfx_str(cust, "phone"), PHONE_B);
}

/* The same command id again returns the first result and erases nothing twice. */
static void test_erase_repeat(void **state)
{
    struct t *t = *state;
    struct ofx *o = t->l->o;
    char a[96];
    snprintf(a, sizeof a, "{\"customer_id\":%lld,\"reason\":\"r\"}", (long long)t->b);
    cJSON *d1 = NULL, *d2 = NULL;
    struct proto_error err;
    assert_int_equal(ofx_req(o, o->api, &o->mgr, PROTO_T_CUSTOMER_ERASE, "erase-b", a, &d1, &err),
                     0);
    int64_t audits = cfx_count(o->f, "audit");
    assert_int_equal(ofx_req(o, o->api, &o->mgr, PROTO_T_CUSTOMER_ERASE, "erase-b", a, &d2, &err),
                     0);
    assert_true(cJSON_Compare(d1, d2, 1));
    assert_int_equal(cfx_count(o->f, "audit"), audits);
    cJSON_Delete(d1);
    cJSON_Delete(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_who_may_ask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_naming_the_customer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_holds_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_repeat, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Order commands through core_request: an order walked from entry to closed by staff of each
 * role on api and delivery devices, with the audit trail and events each step leaves;
 * refusals that change nothing; idempotent repeats; order_get and order_list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain_privacy.h"
#include "test_core_orders_fx.h"

/* fmt with each "%s" replaced by value (formats come from tables, so no printf). */
static void fill(char *out, size_t outsz, const char *fmt, const char *value)
{
    size_t n = 0;
    for (const char *p = fmt; *p && n + 1 < outsz; p++) {
        if (p[0] == '%' && p[1] == 's') {
            for (const char *v = value; *v && n + 1 < outsz; v++)
                out[n++] = *v;
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

static const char *str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "(null)";
}

static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(n) ? (int64_t)n->valuedouble : -1;
}

/* One step: runs it, checks the stage it leaves, that exactly one audit record was added
 * for this order and at least one order event. */
static const cJSON *step(struct ofx *o, struct core_device *dev, const struct core_staff *st,
                         enum proto_type type, const char *args, const char *stage)
{
    int64_t audit = cfx_count(o->f, "audit");
    int64_t seq = core_last_seq(o->f->core);
    const cJSON *order = ofx_ok(o, dev, st, type, args);
    assert_string_equal(str(order, "stage"), stage);
    assert_int_equal(cfx_count(o->f, "audit"), audit + 1);
    assert_true(core_last_seq(o->f->core) > seq);
    return order;
}

static void test_walk_to_closed(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_vehicle(o, OFX_VIN1);

    int64_t audit0 = cfx_count(o->f, "audit");
    const cJSON *ord = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CREATE,
                              "{\"phone\":\"+86 139-0000-0021\",\"customer_name\":\"刘芳\","
                              "\"gender\":\"female\",\"model\":\"HX7\",\"config\":\"长续航\","
                              "\"colour\":\"珍珠白\",\"quantity\":1,\"unit_price_fen\":18980000,"
                              "\"payment\":\"full\",\"channel\":\"showroom\","
                              "\"special_requests\":\"脚垫\",\"received_at\":1795312000000}");
    snprintf(no, sizeof no, "%s", str(ord, "order_no"));
    assert_string_equal(str(ord, "stage"), "entered");
    /* staff see the unmasked order */
    assert_string_equal(str(cJSON_GetObjectItem(ord, "customer"), "phone"), "13900000021");
    assert_string_equal(str(cJSON_GetObjectItem(ord, "customer"), "name"), "刘芳");
    assert_string_equal(str(ord, "config"), "长续航");
    assert_string_equal(str(ord, "channel"), "showroom");
    assert_int_equal(num(ord, "total_fen"), OFX_PRICE);
    assert_int_equal(num(ord, "received_at"), 1795312000000LL);
    assert_int_equal(cfx_count(o->f, "audit"), audit0 + 1);
    cJSON *ev = ofx_last_event(o, "order.created", NULL);
    assert_non_null(ev);
    cJSON_Delete(ev);

    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"pass\":true}", no);
    step(o, o->api, &o->sup, PROTO_T_ORDER_REVIEW, a, "reviewed");
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no);
    step(o, o->board, &o->mgr, PROTO_T_ORDER_APPROVE, a, "approved");
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"vin\":\"%s\"}", no, OFX_VIN1);
    ord = step(o, o->api, &o->sup, PROTO_T_ORDER_ALLOCATE, a, "allocated");
    assert_string_equal(str(ord, "vin"), OFX_VIN1);
    assert_string_equal(str(ord, "alloc_kind"), "stock");
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "reserved");

    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"amount_fen\":2000000,\"kind\":\"deposit\","
             "\"reference\":\"POS-1\"}",
             no);
    ord = step(o, o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM, a, "allocated");
    assert_int_equal(num(ord, "paid_fen"), 2000000);
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"amount_fen\":16980000,\"kind\":\"balance\","
             "\"reference\":\"POS-2\"}",
             no);
    ord = step(o, o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM, a, "paid"); /* money complete */
    assert_int_equal(num(ord, "paid_fen"), OFX_PRICE);
    assert_int_equal(cfx_count(o->f, "payments"), 2);

    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"invoice_no\":\"INV-0001\"}", no);
    ord = step(o, o->api, &o->fin, PROTO_T_INVOICE_ISSUE, a, "paid");
    assert_string_equal(str(ord, "invoice_no"), "INV-0001");
    static const char *const steps[] = {"cleaning", "inspection", "maintenance"};
    for (int i = 0; i < 3; i++) {
        snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"step\":\"%s\"}", no, steps[i]);
        step(o, o->delivery, &o->cons, PROTO_T_VEHICLE_PREP, a, "paid");
    }
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"delivery_at\":%lld,\"delivery_place\":\"交车区 2\","
             "\"documents\":{\"invoice\":true,\"coc\":true,\"warranty\":true}}",
             no, FX_NOW + 48 * OFX_HOUR);
    ord = step(o, o->api, &o->cons, PROTO_T_ORDER_READY, a, "ready");
    assert_string_equal(str(ord, "delivery_place"), "交车区 2");

    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,"
             "\"coc\":true,\"warranty\":true,\"keys\":true,\"accessories\":true,"
             "\"explained\":true},\"signature\":{\"strokes\":[[[1,2,0],[3,4,16]],[[9,9,40]]]},"
             "\"rating\":5,\"comment\":\"很满意\"}",
             no);
    step(o, o->delivery, &o->cons, PROTO_T_ORDER_DELIVER, a, "delivered");
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "delivered");
    assert_int_equal(cfx_count(o->f, "signoffs"), 1);

    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    step(o, o->api, &o->mgr, PROTO_T_ORDER_CLOSE, a, "closed");

    /* the whole history, and an intact chain */
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_GET, a);
    const cJSON *d = ofx_data();
    const cJSON *audit = cJSON_GetObjectItem(d, "audit");
    assert_int_equal(cJSON_GetArraySize(audit), 13);
    const cJSON *first = cJSON_GetArrayItem(audit, 0);
    assert_string_equal(str(first, "action"), "order_create");
    assert_string_equal(str(first, "actor"), "staff:S001");
    const cJSON *alloc = cJSON_GetArrayItem(audit, 3);
    assert_string_equal(str(alloc, "actor"), "staff:S010");
    assert_string_equal(str(cJSON_GetObjectItem(alloc, "before"), "stage"), "approved");
    assert_string_equal(str(cJSON_GetObjectItem(alloc, "after"), "stage"), "allocated");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "payments")), 2);
    const cJSON *so = cJSON_GetObjectItem(d, "signoff");
    assert_int_equal(num(so, "rating"), 5);
    assert_int_equal(strlen(str(so, "hash")), 64);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(so, "strokes")), 2);
    struct store_audit_result vr;
    struct proto_error err;
    assert_int_equal(store_audit_verify(o->f->s, &vr, &err), 0);
    assert_true(vr.ok);
    ofx_free(o);
}

/* Each refusal leaves every table, the event log and the order as they were. */
static void test_refusals_change_nothing(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_vehicle(o, OFX_VIN1);
    ofx_vehicle(o, OFX_VIN2);
    ofx_walk(o, DOMAIN_STAGE_APPROVED, NULL, no, sizeof no);
    struct ofx_counts before, after;
    struct {
        struct core_device *dev;
        const struct core_staff *st;
        enum proto_type type;
        const char *fmt; /* %s = the order number */
        enum proto_err code;
    } cases[] = {
        /* no login, wrong role, another site's staff */
        {o->api, NULL, PROTO_T_ORDER_ALLOCATE, "{\"order_no\":\"%s\",\"vin\":\"" OFX_VIN1 "\"}",
         PROTO_E_STAFF_LOGIN_REQUIRED},
        {o->api, &o->cons, PROTO_T_ORDER_ALLOCATE, "{\"order_no\":\"%s\",\"vin\":\"" OFX_VIN1 "\"}",
         PROTO_E_FORBIDDEN},
        {o->api, &o->other, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"%s\",\"vin\":\"" OFX_VIN1 "\"}", PROTO_E_FORBIDDEN},
        {o->api, &o->cons2, PROTO_T_ORDER_CANCEL_REQUEST, "{\"order_no\":\"%s\",\"reason\":\"x\"}",
         PROTO_E_FORBIDDEN}, /* another consultant's order */
        /* wrong stage */
        {o->api, &o->sup, PROTO_T_ORDER_REVIEW, "{\"order_no\":\"%s\",\"pass\":true}",
         PROTO_E_INVALID_STATE},
        {o->api, &o->mgr, PROTO_T_ORDER_CLOSE, "{\"order_no\":\"%s\"}", PROTO_E_INVALID_STATE},
        {o->api, &o->fin, PROTO_T_INVOICE_ISSUE, "{\"order_no\":\"%s\",\"invoice_no\":\"I\"}",
         PROTO_E_INVALID_STATE},
        /* bad values the hub judges */
        {o->api, &o->sup, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"%s\",\"vin\":\"LSVAB4BR5PN00000I\"}", PROTO_E_BAD_FIELD},
        {o->api, &o->sup, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"%s\",\"vin\":\"LSVAB4BR5PN000009\"}", PROTO_E_BAD_FIELD},
        {o->api, &o->sup, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"%s\",\"vin\":\"" OFX_VIN1 "\",\"factory_eta\":1}", PROTO_E_BAD_FIELD},
        {o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM,
         "{\"order_no\":\"%s\",\"amount_fen\":18980001,\"kind\":\"balance\",\"reference\":\"x\"}",
         PROTO_E_BAD_FIELD}, /* over the total */
        {o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM,
         "{\"order_no\":\"%s\",\"amount_fen\":100,\"kind\":\"loan_disbursement\","
         "\"reference\":\"x\"}",
         PROTO_E_BAD_FIELD}, /* a full-payment order */
        {o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST,
         "{\"order_no\":\"%s\",\"changes\":{},\"reason\":\"x\"}", PROTO_E_BAD_FIELD},
        {o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST,
         "{\"order_no\":\"%s\",\"changes\":{\"model\":\"NOPE\"},\"reason\":\"x\"}",
         PROTO_E_BAD_FIELD},
        /* wrong device mode: the kiosk table */
        {&o->f->dev[DOMAIN_MODE_RECEPTION], &o->sup, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"%s\",\"vin\":\"" OFX_VIN1 "\"}", PROTO_E_FORBIDDEN},
        {&o->f->dev[DOMAIN_MODE_STATUS], &o->sup, PROTO_T_ORDER_GET, "{\"order_no\":\"%s\"}",
         PROTO_E_FORBIDDEN},
        /* an order nobody has */
        {o->api, &o->sup, PROTO_T_ORDER_ALLOCATE,
         "{\"order_no\":\"SF0000-0000\",\"vin\":\"" OFX_VIN1 "\"}", PROTO_E_NOT_FOUND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fill(a, sizeof a, cases[i].fmt, no);
        ofx_counts(o, no, &before);
        ofx_fail(o, cases[i].dev, cases[i].st, cases[i].type, a, cases[i].code);
        ofx_counts(o, no, &after);
        ofx_assert_same(&before, &after);
    }
    /* the stage named in the message */
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    struct proto_error e =
        ofx_fail(o, o->api, &o->mgr, PROTO_T_ORDER_CLOSE, a, PROTO_E_INVALID_STATE);
    assert_non_null(strstr(e.message, "approved"));
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "in_stock");

    /* a vehicle that is already reserved cannot be taken by a second order */
    char no2[40];
    ofx_walk(o, DOMAIN_STAGE_ALLOCATED, OFX_VIN1, no2, sizeof no2);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"vin\":\"%s\"}", no, OFX_VIN1);
    ofx_counts(o, no, &before);
    ofx_fail(o, o->api, &o->sup, PROTO_T_ORDER_ALLOCATE, a, PROTO_E_INVALID_STATE);
    ofx_counts(o, no, &after);
    ofx_assert_same(&before, &after);
    ofx_free(o);
}

/* A repeated command id returns the first result and writes nothing; the same id with other
 * args is id_reused. */
static void test_idempotent_repeats(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_vehicle(o, OFX_VIN1);
    ofx_walk(o, DOMAIN_STAGE_ALLOCATED, OFX_VIN1, no, sizeof no);
    struct {
        const struct core_staff *st;
        enum proto_type type;
        const char *fmt;
    } cmds[] = {
        {&o->fin, PROTO_T_PAYMENT_CONFIRM,
         "{\"order_no\":\"%s\",\"amount_fen\":1000,\"kind\":\"deposit\",\"reference\":\"R\"}"},
        {&o->cons, PROTO_T_ORDER_NOTE,
         "{\"order_no\":\"%s\",\"way\":\"sms\",\"summary\":\"已到店\",\"customer_visible\":true}"},
        {&o->cons, PROTO_T_VEHICLE_PREP, "{\"order_no\":\"%s\",\"step\":\"cleaning\"}"},
        {&o->cons, PROTO_T_ORDER_CANCEL_REQUEST, "{\"order_no\":\"%s\",\"reason\":\"退订\"}"},
        {&o->cons, PROTO_T_ORDER_CHANGE_REQUEST,
         "{\"order_no\":\"%s\",\"changes\":{\"remarks\":\"加装\"},\"reason\":\"客户\"}"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "idem-%zu", i);
        fill(a, sizeof a, cmds[i].fmt, no);
        cJSON *first = NULL, *again = NULL;
        struct proto_error err;
        if (ofx_req(o, o->api, cmds[i].st, cmds[i].type, id, a, &first, &err) != 0)
            fail_msg("%s: %s", a, err.message);
        struct ofx_counts before, after;
        ofx_counts(o, no, &before);
        assert_int_equal(ofx_req(o, o->api, cmds[i].st, cmds[i].type, id, a, &again, &err), 0);
        /* the stored result keeps customers masked (domain_privacy_mask): the repeat is the
         * first result as a public screen would show it */
        assert_int_equal(domain_privacy_mask(first), 0);
        assert_true(cJSON_Compare(first, again, 1));
        ofx_counts(o, no, &after);
        ofx_assert_same(&before, &after);
        cJSON_Delete(again);
        /* same id, different args */
        assert_int_equal(ofx_req(o, o->api, cmds[i].st, PROTO_T_ORDER_NOTE, id,
                                 "{\"order_no\":\"SF0000-0000\",\"way\":\"sms\",\"summary\":\"x\"}",
                                 &again, &err),
                         -1);
        assert_int_equal(err.code, PROTO_E_ID_REUSED);
        cJSON_Delete(first);
    }
    ofx_free(o);
}

static void test_get_and_list(void **state)
{
    struct ofx *o = ofx_new();
    char n1[40], n2[40], n3[40], a[256];
    ofx_vehicle(o, OFX_VIN1);
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, n1, sizeof n1);
    ofx_walk(o, DOMAIN_STAGE_ALLOCATED, OFX_VIN1, n2, sizeof n2);
    ofx_walk(o, DOMAIN_STAGE_REVIEWED, NULL, n3, sizeof n3);
    /* reads are not commands: no command row */
    int64_t cmds = cfx_count(o->f, "commands");
    const cJSON *d = ofx_ok(o, o->api, &o->fin, PROTO_T_ORDER_LIST, "");
    assert_int_equal(num(d, "total"), 3);
    assert_int_equal(num(d, "limit"), 50);
    const cJSON *orders = cJSON_GetObjectItem(d, "orders");
    assert_int_equal(cJSON_GetArraySize(orders), 3);
    assert_string_equal(str(cJSON_GetArrayItem(orders, 0), "order_no"), n3); /* newest first */
    d = ofx_ok(o, o->api, &o->fin, PROTO_T_ORDER_LIST, "{\"stage\":\"allocated\"}");
    assert_int_equal(num(d, "total"), 1);
    assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "orders"), 0), "order_no"),
                        n2);
    d = ofx_ok(o, o->api, &o->fin, PROTO_T_ORDER_LIST, "{\"limit\":1,\"offset\":1}");
    assert_int_equal(num(d, "total"), 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "orders")), 1);
    d = ofx_ok(o, o->api, &o->fin, PROTO_T_ORDER_LIST, "{\"consultant\":\"S002\"}");
    assert_int_equal(num(d, "total"), 0);
    snprintf(a, sizeof a, "{\"q\":\"%s\"}", n1);
    d = ofx_ok(o, o->api, &o->fin, PROTO_T_ORDER_LIST, a);
    assert_int_equal(num(d, "total"), 1);
    ofx_fail(o, o->api, NULL, PROTO_T_ORDER_LIST, "", PROTO_E_STAFF_LOGIN_REQUIRED);
    ofx_fail(o, o->api, &o->fin, PROTO_T_ORDER_LIST, "{\"consultant\":\"NOBODY\"}",
             PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", n2);
    ofx_ok(o, o->board, &o->cons2, PROTO_T_ORDER_GET, a); /* any staff of the site */
    d = ofx_data();
    assert_string_equal(str(cJSON_GetObjectItem(d, "order"), "stage"), "allocated");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "audit")), 4);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "signoff")));
    ofx_fail(o, o->api, &o->other, PROTO_T_ORDER_GET, a, PROTO_E_FORBIDDEN);
    assert_int_equal(cfx_count(o->f, "commands"), cmds);
    ofx_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_to_closed),
        cmocka_unit_test(test_refusals_change_nothing),
        cmocka_unit_test(test_idempotent_repeats),
        cmocka_unit_test(test_get_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

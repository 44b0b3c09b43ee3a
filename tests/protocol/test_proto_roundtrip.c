/* Every message type survives encode -> decode with its fields intact, in its direction;
 * encoders refuse what the decoder would refuse. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static cJSON *json(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

/* Decodes `frame` (freed here) in `dir`, asserting success and the type. */
static void decode_ok(char *frame, enum proto_dir dir, enum proto_type type, struct proto_msg *m)
{
    struct proto_error err;
    memset(m, 0, sizeof *m);
    if (!frame) {
        fail_msg("encoder returned NULL for a %s", proto_type_name(type));
        return; /* not reached: the analyzer does not know fail_msg does not return */
    }
    int rc = proto_decode(frame, strlen(frame), dir, m, &err, NULL);
    if (rc != 0)
        fail_msg("%s rejected: %s (%s) field=%s", frame, proto_error_code(err.code), err.message,
                 err.field);
    free(frame);
    assert_int_equal(m->type, type);
    assert_non_null(m->root);
}

/* Smallest valid args of each order request. */
static const char *order_sample_args(enum proto_type t)
{
    static const struct {
        enum proto_type t;
        const char *args;
    } rows[] = {
        {PROTO_T_ORDER_CREATE,
         "{\"phone\":\"13900000021\",\"customer_name\":\"刘芳\",\"model\":\"HX7\","
         "\"colour\":\"珍珠白\",\"quantity\":1,\"unit_price_fen\":18980000,"
         "\"payment\":\"full\",\"channel\":\"showroom\"}"},
        {PROTO_T_ORDER_REVIEW, "{\"order_no\":\"SF2611-0001\",\"pass\":true}"},
        {PROTO_T_ORDER_APPROVE, "{\"order_no\":\"SF2611-0001\",\"approve\":true}"},
        {PROTO_T_ORDER_EDIT, "{\"order_no\":\"SF2611-0001\",\"colour\":\"曜石黑\"}"},
        {PROTO_T_ORDER_RESUBMIT, "{\"order_no\":\"SF2611-0001\"}"},
        {PROTO_T_ORDER_ALLOCATE, "{\"order_no\":\"SF2611-0001\",\"vin\":\"LSVAB4BR5PN000001\"}"},
        {PROTO_T_VEHICLE_ARRIVED, "{\"order_no\":\"SF2611-0001\",\"vin\":\"LSVAB4BR5PN000001\"}"},
        {PROTO_T_VEHICLE_PREP, "{\"order_no\":\"SF2611-0001\",\"step\":\"cleaning\"}"},
        {PROTO_T_ORDER_ETA,
         "{\"order_no\":\"SF2611-0001\",\"eta\":1796000000000,\"reason\":\"运输延误\"}"},
        {PROTO_T_PAYMENT_CONFIRM,
         "{\"order_no\":\"SF2611-0001\",\"amount_fen\":2000000,\"kind\":\"deposit\","
         "\"reference\":\"POS-1\"}"},
        {PROTO_T_INVOICE_ISSUE, "{\"order_no\":\"SF2611-0001\",\"invoice_no\":\"INV-1\"}"},
        {PROTO_T_LOAN_STEP, "{\"order_no\":\"SF2611-0001\",\"step\":\"documents\"}"},
        {PROTO_T_ORDER_READY,
         "{\"order_no\":\"SF2611-0001\",\"delivery_at\":1796000000000,"
         "\"delivery_place\":\"交车区 2\",\"documents\":{\"invoice\":true,\"coc\":true,"
         "\"warranty\":true}}"},
        {PROTO_T_ORDER_DELIVER,
         "{\"order_no\":\"SF2611-0001\",\"checklist\":{\"vehicle_clean\":true,"
         "\"invoice\":true,\"coc\":true,\"warranty\":true,\"keys\":true,"
         "\"accessories\":true,\"explained\":true},"
         "\"signature\":{\"strokes\":[[[1,2,0],[3,4,16]]]}}"},
        {PROTO_T_ORDER_CLOSE, "{\"order_no\":\"SF2611-0001\"}"},
        {PROTO_T_ORDER_CHANGE_REQUEST,
         "{\"order_no\":\"SF2611-0001\",\"changes\":{\"colour\":\"曜石黑\"},"
         "\"reason\":\"客户要求\"}"},
        {PROTO_T_ORDER_CHANGE_REVIEW, "{\"order_no\":\"SF2611-0001\",\"approve\":true}"},
        {PROTO_T_ORDER_CANCEL_REQUEST, "{\"order_no\":\"SF2611-0001\",\"reason\":\"不买了\"}"},
        {PROTO_T_ORDER_CANCEL_REVIEW, "{\"order_no\":\"SF2611-0001\",\"approve\":true}"},
        {PROTO_T_ORDER_CANCEL_APPROVE, "{\"order_no\":\"SF2611-0001\",\"approve\":false}"},
        {PROTO_T_REFUND_CONFIRM,
         "{\"order_no\":\"SF2611-0001\",\"amount_fen\":2000000,\"reference\":\"RF-1\"}"},
        {PROTO_T_ORDER_NOTE,
         "{\"order_no\":\"SF2611-0001\",\"way\":\"phone\",\"summary\":\"已通知\"}"},
        {PROTO_T_ORDER_GET, "{\"order_no\":\"SF2611-0001\"}"},
        {PROTO_T_ORDER_LIST, "{}"},
        /* leads, reception, conflicts, complaints (test_proto_leads.c) */
        {PROTO_T_LEAD_CREATE, "{\"phone\":\"13900000021\",\"channel\":\"phone_in\"}"},
        {PROTO_T_LEAD_ASSIGN, "{\"lead_id\":1}"},
        {PROTO_T_LEAD_FOLLOWUP, "{\"lead_id\":1,\"way\":\"phone\",\"content\":\"回访\"}"},
        {PROTO_T_LEAD_GRADE, "{\"lead_id\":1,\"grade\":\"A\"}"},
        {PROTO_T_LEAD_INVALIDATE, "{\"lead_id\":1,\"reason\":\"unreachable\"}"},
        {PROTO_T_LEAD_MONTH_END, "{}"},
        {PROTO_T_LEAD_GET, "{\"lead_id\":1}"},
        {PROTO_T_LEAD_LIST, "{}"},
        {PROTO_T_VISIT_SERVE, "{\"visit_id\":1}"},
        {PROTO_T_VISIT_DEPART, "{\"visit_id\":1}"},
        {PROTO_T_APPOINTMENT_CREATE, "{\"lead_id\":1,\"at\":1795330000000}"},
        {PROTO_T_CALL_STAFF, "{}"},
        {PROTO_T_CONFLICT_RULE, "{\"conflict_id\":1,\"winner\":\"S001\",\"reason\":\"先建档\"}"},
        {PROTO_T_CONFLICT_LIST, "{}"},
        {PROTO_T_COMPLAINT_OPEN,
         "{\"phone\":\"13900000021\",\"channel\":\"on_site\",\"kind\":\"service\","
         "\"summary\":\"等待太久\"}"},
        {PROTO_T_COMPLAINT_RESPOND,
         "{\"complaint_id\":1,\"kind\":\"first_response\",\"text\":\"已致歉\"}"},
        {PROTO_T_COMPLAINT_VALIDITY, "{\"complaint_id\":1,\"valid\":true}"},
        {PROTO_T_COMPLAINT_ESCALATE, "{\"complaint_id\":1,\"reason\":\"超时\"}"},
        {PROTO_T_COMPLAINT_CLOSE, "{\"complaint_id\":1,\"resolution\":\"已解决\"}"},
        {PROTO_T_COMPLAINT_SURVEY, "{\"complaint_id\":1,\"satisfaction\":4}"},
        {PROTO_T_COMPLAINT_GET, "{\"complaint_id\":1}"},
        {PROTO_T_COMPLAINT_LIST, "{}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].t == t)
            return rows[i].args;
    fail_msg("no sample args for %s", proto_type_name(t));
    return "{}";
}

/* One sample frame of each type, so the coverage test below notices a type with none. */
static char *sample(enum proto_type t)
{
    struct proto_error e;
    cJSON *j = NULL;
    char *s = NULL;
    proto_error_set(&e, PROTO_E_INVALID_PHONE, "phone", NULL);
    switch (t) {
    case PROTO_T_HELLO:
        return proto_encode_hello("0.1.0", "hub-7f3a", 1763800000000);
    case PROTO_T_AUTH:
        return proto_encode_auth("secret-token", "showfloor-kiosk/0.1.0");
    case PROTO_T_AUTH_OK:
        j = json("{\"id\":3,\"mode\":\"reception\"}");
        s = proto_encode_auth_ok(j, 1);
        break;
    case PROTO_T_AUTH_FAILED:
        return proto_encode_auth_failed(&e);
    case PROTO_T_PING:
    case PROTO_T_STAFF_LOGOUT:
        return proto_encode_request("r1", t, NULL);
    case PROTO_T_SUBSCRIBE:
        j = json("{\"since\":7}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_STAFF_LOGIN:
        j = json("{\"staff_no\":\"S003\",\"pin\":\"2468\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_CHECKIN:
        j = json("{\"phone\":\"138 0013 8000\",\"consent\":true}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_ORDER_LOOKUP:
        j = json("{\"order_no\":\"SF2611-0012\",\"phone_last4\":\"1234\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_ORDER_CREATE:
    case PROTO_T_ORDER_REVIEW:
    case PROTO_T_ORDER_APPROVE:
    case PROTO_T_ORDER_EDIT:
    case PROTO_T_ORDER_RESUBMIT:
    case PROTO_T_ORDER_ALLOCATE:
    case PROTO_T_VEHICLE_ARRIVED:
    case PROTO_T_VEHICLE_PREP:
    case PROTO_T_ORDER_ETA:
    case PROTO_T_PAYMENT_CONFIRM:
    case PROTO_T_INVOICE_ISSUE:
    case PROTO_T_LOAN_STEP:
    case PROTO_T_ORDER_READY:
    case PROTO_T_ORDER_DELIVER:
    case PROTO_T_ORDER_CLOSE:
    case PROTO_T_ORDER_CHANGE_REQUEST:
    case PROTO_T_ORDER_CHANGE_REVIEW:
    case PROTO_T_ORDER_CANCEL_REQUEST:
    case PROTO_T_ORDER_CANCEL_REVIEW:
    case PROTO_T_ORDER_CANCEL_APPROVE:
    case PROTO_T_REFUND_CONFIRM:
    case PROTO_T_ORDER_NOTE:
    case PROTO_T_ORDER_GET:
    case PROTO_T_ORDER_LIST:
    case PROTO_T_LEAD_CREATE:
    case PROTO_T_LEAD_ASSIGN:
    case PROTO_T_LEAD_FOLLOWUP:
    case PROTO_T_LEAD_GRADE:
    case PROTO_T_LEAD_INVALIDATE:
    case PROTO_T_LEAD_MONTH_END:
    case PROTO_T_LEAD_GET:
    case PROTO_T_LEAD_LIST:
    case PROTO_T_VISIT_SERVE:
    case PROTO_T_VISIT_DEPART:
    case PROTO_T_APPOINTMENT_CREATE:
    case PROTO_T_CALL_STAFF:
    case PROTO_T_CONFLICT_RULE:
    case PROTO_T_CONFLICT_LIST:
    case PROTO_T_COMPLAINT_OPEN:
    case PROTO_T_COMPLAINT_RESPOND:
    case PROTO_T_COMPLAINT_VALIDITY:
    case PROTO_T_COMPLAINT_ESCALATE:
    case PROTO_T_COMPLAINT_CLOSE:
    case PROTO_T_COMPLAINT_SURVEY:
    case PROTO_T_COMPLAINT_GET:
    case PROTO_T_COMPLAINT_LIST:
        /* their args are covered field by field in test_proto_orders.c / _leads.c */
        j = json(order_sample_args(t));
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_BOARD_STATS:
        return proto_encode_request("r1", t, NULL);
    case PROTO_T_PAIR:
        j = json("{\"claim\":\"0123456789abcdef0123456789abcdef\",\"hostname\":\"kiosk-3\","
                 "\"screen\":\"1920x1080\",\"version\":\"0.3.0\"}");
        s = proto_encode_request(NULL, t, j);
        break;
    case PROTO_T_HEARTBEAT:
        j = json("{\"frames\":1200,\"uptime_s\":60,\"last_frame_at\":1763800000000}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_CONTROL_RESULT:
        j = json("{\"command_id\":4,\"ok\":true,\"part\":0,\"last\":true,\"data\":\"iVBO\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_CHECKIN_LOOKUP:
        j = json("{\"phone\":\"138 0013 8000\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_CUSTOMER_EXPORT:
        j = json("{\"phone\":\"138 0013 8000\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_CUSTOMER_ERASE:
        j = json("{\"customer_id\":7,\"reason\":\"客户要求删除\"}");
        s = proto_encode_request("r1", t, j);
        break;
    case PROTO_T_PAIRING:
        j = json("{\"code\":\"K7F3QX\",\"expires_at\":1763800900000}");
        s = proto_encode_push(t, j);
        break;
    case PROTO_T_PAIRED:
        j = json("{\"token\":\"secret\",\"device\":{\"id\":3,\"mode\":\"board\"}}");
        s = proto_encode_push(t, j);
        break;
    case PROTO_T_CONTROL:
        j = json("{\"command_id\":4,\"action\":\"screenshot\"}");
        s = proto_encode_push(t, j);
        break;
    case PROTO_T_DEVICE_CONFIG:
        j = json("{\"config\":{\"maintenance\":true}}");
        s = proto_encode_push(t, j);
        break;
    case PROTO_T_RESULT:
        return proto_encode_result_err("r1", &e);
    case PROTO_T_SNAPSHOT:
        return proto_encode_snapshot(1, NULL);
    case PROTO_T_EVENT:
        return proto_encode_event(2, "visit.updated", 3, NULL);
    case PROTO_T_CLOSING:
        return proto_encode_closing(&e);
    case PROTO_T__COUNT:
        break;
    }
    cJSON_Delete(j);
    return s;
}

static void test_every_type_round_trips(void **state)
{
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        const char *name = proto_type_name((enum proto_type)t);
        assert_non_null(name);
        int dir = proto_type_from_name(name, PROTO_DIR_C2H) == t ? PROTO_DIR_C2H : PROTO_DIR_H2C;
        assert_int_equal(proto_type_from_name(name, (enum proto_dir)dir), t);
        char *frame = sample((enum proto_type)t);
        if (!frame)
            fail_msg("no sample frame for %s", name);
        struct proto_msg m;
        decode_ok(frame, (enum proto_dir)dir, (enum proto_type)t, &m);
        proto_msg_free(&m);
        assert_null(m.root);
    }
    assert_null(proto_type_name(PROTO_T__COUNT));
    /* proto_encode_push only for the root-member pushes, and only with valid members */
    cJSON *bad = json("{\"command_id\":4,\"action\":\"format_disk\"}");
    assert_null(proto_encode_push(PROTO_T_CONTROL, bad));
    assert_null(proto_encode_push(PROTO_T_HELLO, bad));
    cJSON_Delete(bad);
    bad = json("{\"code\":\"K7F3QX\"}");
    assert_null(proto_encode_push(PROTO_T_PAIRING, bad));
    cJSON_Delete(bad);
    assert_int_equal(proto_type_from_name("hello", PROTO_DIR_C2H), -1);
    assert_int_equal(proto_type_from_name(NULL, PROTO_DIR_C2H), -1);
}

static void test_auth(void **state)
{
    struct proto_msg m;
    decode_ok(proto_encode_auth("tok", "showfloor-kiosk/0.1.0"), PROTO_DIR_C2H, PROTO_T_AUTH, &m);
    assert_null(m.id);
    assert_string_equal(proto_get_str(m.args, "token"), "tok");
    assert_string_equal(proto_get_str(m.args, "client"), "showfloor-kiosk/0.1.0");
    proto_msg_free(&m);

    decode_ok(proto_encode_auth("tok", NULL), PROTO_DIR_C2H, PROTO_T_AUTH, &m);
    assert_null(proto_get_str(m.args, "client"));
    proto_msg_free(&m);

    assert_null(proto_encode_auth("", NULL)); /* token is 1..128 bytes */
    assert_null(proto_encode_auth(NULL, NULL));
}

static void test_requests(void **state)
{
    struct proto_msg m;
    decode_ok(proto_encode_request("k1-17", PROTO_T_PING, NULL), PROTO_DIR_C2H, PROTO_T_PING, &m);
    assert_string_equal(m.id, "k1-17");
    assert_true(cJSON_IsObject(m.args)); /* omitted args decode as {} */
    assert_int_equal(cJSON_GetArraySize(m.args), 0);
    proto_msg_free(&m);

    cJSON *a = json("{\"since\":9007199254740991}");
    decode_ok(proto_encode_request("s.1", PROTO_T_SUBSCRIBE, a), PROTO_DIR_C2H, PROTO_T_SUBSCRIBE,
              &m);
    assert_int_equal(proto_get_int(m.args, "since", -1), 9007199254740991LL);
    proto_msg_free(&m);
    cJSON_Delete(a);

    a = json("{\"staff_no\":\"S003\",\"pin\":\"024680135799\"}");
    decode_ok(proto_encode_request("x:1", PROTO_T_STAFF_LOGIN, a), PROTO_DIR_C2H,
              PROTO_T_STAFF_LOGIN, &m);
    assert_string_equal(proto_get_str(m.args, "staff_no"), "S003");
    assert_string_equal(proto_get_str(m.args, "pin"), "024680135799");
    proto_msg_free(&m);
    cJSON_Delete(a);

    decode_ok(proto_encode_request("o", PROTO_T_STAFF_LOGOUT, NULL), PROTO_DIR_C2H,
              PROTO_T_STAFF_LOGOUT, &m);
    assert_string_equal(m.id, "o");
    proto_msg_free(&m);

    a = json("{\"phone\":\"+86 138-0013-8000\",\"consent\":true,\"name\":\"王小明\","
             "\"gender\":\"male\",\"model\":\"HX7\",\"source\":\"walk_in\","
             "\"first_visit\":false}");
    decode_ok(proto_encode_request("kiosk1-42", PROTO_T_CHECKIN, a), PROTO_DIR_C2H, PROTO_T_CHECKIN,
              &m);
    assert_true(cJSON_Compare(m.args, a, 1));
    assert_true(proto_get_bool(m.args, "consent", false));
    assert_false(proto_get_bool(m.args, "first_visit", true));
    assert_string_equal(proto_get_str(m.args, "name"), "王小明");
    proto_msg_free(&m);
    cJSON_Delete(a);

    a = json("{\"order_no\":\"SF2611-0012\",\"phone_last4\":\"0021\"}");
    decode_ok(proto_encode_request("q_9", PROTO_T_ORDER_LOOKUP, a), PROTO_DIR_C2H,
              PROTO_T_ORDER_LOOKUP, &m);
    assert_true(cJSON_Compare(m.args, a, 1));
    proto_msg_free(&m);
    cJSON_Delete(a);
}

static void test_encode_request_refuses_invalid(void **state)
{
    cJSON *bad = json("{\"since\":-1}");
    cJSON *unknown = json("{\"sinse\":1}");
    cJSON *ok = json("{\"since\":1}");
    cJSON *arr = json("[]");
    assert_null(proto_encode_request("a", PROTO_T_SUBSCRIBE, bad));
    assert_null(proto_encode_request("a", PROTO_T_SUBSCRIBE, unknown));
    assert_null(proto_encode_request("a", PROTO_T_SUBSCRIBE, arr));
    assert_null(proto_encode_request("", PROTO_T_SUBSCRIBE, ok));
    assert_null(proto_encode_request("a b", PROTO_T_SUBSCRIBE, ok));
    assert_null(proto_encode_request(NULL, PROTO_T_SUBSCRIBE, ok));
    assert_null(proto_encode_request("a", PROTO_T_RESULT, ok)); /* hub -> client type */
    assert_null(proto_encode_request("a", PROTO_T__COUNT, ok));
    char *s = proto_encode_request("a", PROTO_T_SUBSCRIBE, ok);
    assert_non_null(s);
    free(s);
    cJSON_Delete(bad);
    cJSON_Delete(unknown);
    cJSON_Delete(ok);
    cJSON_Delete(arr);

    struct proto_error err;
    cJSON *missing = json("{\"phone\":\"13800138000\"}");
    assert_int_equal(proto_validate_args(PROTO_T_CHECKIN, missing, &err), -1);
    assert_int_equal(err.code, PROTO_E_MISSING_FIELD);
    assert_string_equal(err.field, "consent");
    assert_int_equal(proto_validate_args(PROTO_T_PING, NULL, &err), 0);
    assert_int_equal(proto_validate_args(PROTO_T_CHECKIN, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_MISSING_FIELD);
    assert_int_equal(proto_validate_args(PROTO_T_HELLO, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNKNOWN_TYPE);
    cJSON_Delete(missing);

    /* Built in C, not parsed: invalid UTF-8 must still be caught. */
    cJSON *raw = cJSON_CreateObject();
    cJSON_AddStringToObject(raw, "phone", "13800138000");
    cJSON_AddTrueToObject(raw, "consent");
    cJSON_AddStringToObject(raw, "name", "\xC3\x28");
    assert_int_equal(proto_validate_args(PROTO_T_CHECKIN, raw, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_UTF8);
    assert_string_equal(err.field, "name");
    assert_null(proto_encode_request("a", PROTO_T_CHECKIN, raw));
    cJSON_Delete(raw);
}

static void test_hello_and_auth_replies(void **state)
{
    struct proto_msg m;
    decode_ok(proto_encode_hello("0.1.0", "db-4f2a9c", 1763800000000), PROTO_DIR_H2C, PROTO_T_HELLO,
              &m);
    assert_string_equal(proto_get_str(m.args, "hub"), "showfloor-hub");
    assert_string_equal(proto_get_str(m.args, "version"), "0.1.0");
    assert_string_equal(proto_get_str(m.args, "hub_id"), "db-4f2a9c");
    assert_int_equal(proto_get_int(m.args, "protocol", 0), PROTO_VERSION);
    assert_int_equal(proto_get_int(m.args, "now", 0), 1763800000000);
    proto_msg_free(&m);
    assert_null(proto_encode_hello("0.1.0", "", 1));
    assert_null(proto_encode_hello(NULL, "x", 1));

    cJSON *dev = json("{\"id\":3,\"name\":\"Reception 1\",\"mode\":\"reception\","
                      "\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"上海浦东店\"}}");
    decode_ok(proto_encode_auth_ok(dev, 1763800000001), PROTO_DIR_H2C, PROTO_T_AUTH_OK, &m);
    assert_true(cJSON_Compare(proto_get_obj(m.args, "device"), dev, 1));
    assert_int_equal(proto_get_int(m.args, "now", 0), 1763800000001);
    proto_msg_free(&m);
    assert_null(proto_encode_auth_ok(NULL, 1));
    cJSON_Delete(dev);

    struct proto_error e;
    proto_error_set(&e, PROTO_E_DEVICE_REVOKED, NULL, "device %d was revoked", 3);
    decode_ok(proto_encode_auth_failed(&e), PROTO_DIR_H2C, PROTO_T_AUTH_FAILED, &m);
    assert_int_equal(m.error.code, PROTO_E_DEVICE_REVOKED);
    assert_string_equal(m.error.message, "device 3 was revoked");
    assert_string_equal(m.error.field, "");
    proto_msg_free(&m);

    proto_error_set(&e, PROTO_E_UNAVAILABLE, NULL, NULL);
    decode_ok(proto_encode_closing(&e), PROTO_DIR_H2C, PROTO_T_CLOSING, &m);
    assert_int_equal(m.error.code, PROTO_E_UNAVAILABLE);
    assert_string_equal(m.error.message, proto_error_default_message(PROTO_E_UNAVAILABLE));
    proto_msg_free(&m);
}

/* A stored result's text spliced into the frame gives the very bytes of the tree's frame. */
static void test_result_from_text(void **state)
{
    (void)state;
    const char *datas[] = {"{}", "{\"seq\":120,\"list\":[1,2.5,{\"x\":null}],\"s\":\"a\\\"b\\n\"}",
                           "{\"name\":\"王先生\",\"n\":9007199254740991,\"ok\":false}"};
    const char *ids[] = {"k1-17", NULL};
    for (size_t i = 0; i < sizeof datas / sizeof datas[0]; i++)
        for (size_t j = 0; j < sizeof ids / sizeof ids[0]; j++) {
            cJSON *data = json(datas[i]);
            char *text = proto_json_print(data);
            char *want = proto_encode_result_ok(ids[j], data);
            char *got = proto_encode_result_ok_text(ids[j], text);
            assert_non_null(want);
            assert_non_null(got);
            assert_string_equal(got, want);
            free(text);
            free(want);
            free(got);
            cJSON_Delete(data);
        }
    /* too large for a frame, as the tree would be; no text, no frame */
    size_t big = PROTO_MAX_FRAME_OUT;
    char *text = malloc(big + 16);
    assert_non_null(text);
    memset(text, 'a', big + 16);
    memcpy(text, "{\"s\":\"", 6);
    memcpy(text + big + 13, "\"}", 3);
    assert_null(proto_encode_result_ok_text("k1", text));
    free(text);
    assert_null(proto_encode_result_ok_text("k1", NULL));
}

static void test_results(void **state)
{
    struct proto_msg m;
    cJSON *data = json("{\"seq\":120,\"mode\":\"snapshot\",\"list\":[1,2,{\"x\":null}]}");
    decode_ok(proto_encode_result_ok("k1-17", data), PROTO_DIR_H2C, PROTO_T_RESULT, &m);
    assert_string_equal(m.id, "k1-17");
    assert_true(m.ok);
    assert_true(cJSON_Compare(m.args, data, 1));
    proto_msg_free(&m);
    cJSON_Delete(data);

    decode_ok(proto_encode_result_ok("e", NULL), PROTO_DIR_H2C, PROTO_T_RESULT, &m);
    assert_true(cJSON_IsObject(m.args));
    proto_msg_free(&m);

    struct proto_error e;
    proto_error_set(&e, PROTO_E_INVALID_PHONE, "phone", "not a valid phone number");
    char *frame = proto_encode_result_err("k1-18", &e);
    assert_non_null(frame);
    assert_non_null(strstr(frame, "\"field\":\"phone\""));
    decode_ok(frame, PROTO_DIR_H2C, PROTO_T_RESULT, &m);
    assert_false(m.ok);
    assert_null(m.args);
    assert_string_equal(m.id, "k1-18");
    assert_int_equal(m.error.code, PROTO_E_INVALID_PHONE);
    assert_string_equal(m.error.field, "phone");
    assert_string_equal(m.error.message, "not a valid phone number");
    proto_msg_free(&m);

    /* No field: no "field" key. No id (undecodable request): "id":null. */
    proto_error_set(&e, PROTO_E_BAD_JSON, NULL, NULL);
    frame = proto_encode_result_err(NULL, &e);
    assert_non_null(frame);
    assert_null(strstr(frame, "field"));
    assert_non_null(strstr(frame, "\"id\":null"));
    decode_ok(frame, PROTO_DIR_H2C, PROTO_T_RESULT, &m);
    assert_null(m.id);
    assert_int_equal(m.error.code, PROTO_E_BAD_JSON);
    assert_string_equal(m.error.field, "");
    proto_msg_free(&m);

    frame = proto_encode_result_err("", &e); /* "" from proto_decode's id_out: also null */
    assert_non_null(frame);
    assert_non_null(strstr(frame, "\"id\":null"));
    free(frame);
    assert_null(proto_encode_result_err("bad id", &e));
    assert_null(proto_encode_result_err("a", NULL));
}

static void test_snapshot_and_event(void **state)
{
    struct proto_msg m;
    cJSON *st = json("{\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"浦东\"},\"now\":5,"
                     "\"visits\":[]}");
    char *frame = proto_encode_snapshot(1000000000000000, st);
    assert_non_null(frame);
    /* Integers are written as integers, not cJSON's %g ("1e+15"). */
    assert_non_null(strstr(frame, "\"seq\":1000000000000000"));
    decode_ok(frame, PROTO_DIR_H2C, PROTO_T_SNAPSHOT, &m);
    assert_int_equal(m.seq, 1000000000000000);
    assert_true(cJSON_Compare(m.args, st, 1));
    proto_msg_free(&m);
    assert_null(proto_encode_snapshot(-1, st));
    assert_null(proto_encode_snapshot(9007199254740992, st));

    cJSON *data = json("{\"visit\":{\"id\":12,\"status\":\"waiting\"}}");
    decode_ok(proto_encode_event(121, "visit.checked_in", 1763800000000, data), PROTO_DIR_H2C,
              PROTO_T_EVENT, &m);
    assert_int_equal(m.seq, 121);
    assert_string_equal(m.kind, "visit.checked_in");
    assert_int_equal(m.at, 1763800000000);
    assert_true(cJSON_Compare(m.args, data, 1));
    proto_msg_free(&m);
    assert_null(proto_encode_event(1, "", 1, data));
    assert_null(proto_encode_event(1, NULL, 1, data));

    cJSON *arr = json("[1]");
    assert_null(proto_encode_event(1, "k", 1, arr)); /* payloads are objects */
    assert_null(proto_encode_snapshot(1, arr));
    cJSON_Delete(arr);
    cJSON_Delete(data);
    cJSON_Delete(st);
}

static void test_encoders_respect_frame_limits(void **state)
{
    /* A payload nested so the frame would be 17 deep: the encoder refuses to send it. */
    cJSON *st = cJSON_CreateObject();
    cJSON *cur = st;
    for (int i = 0; i < 14; i++)
        cur = cJSON_AddArrayToObject(cur, "a") ? cJSON_GetObjectItem(cur, "a") : NULL;
    assert_non_null(cur);
    char *frame = proto_encode_snapshot(1, st); /* root + state + 14 arrays = 16 */
    assert_non_null(frame);
    free(frame);
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddItemToArray(cur, obj);
    assert_null(proto_encode_snapshot(1, st)); /* 17 */
    cJSON_Delete(st);

    /* Over 4 MiB: refused rather than sent to be refused. */
    size_t n = PROTO_MAX_FRAME_OUT;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[n] = '\0';
    st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "blob", big);
    assert_null(proto_encode_snapshot(1, st));
    cJSON_Delete(st);
    free(big);
}

/* customer_export / customer_erase (PROTOCOL.md "Personal data"): the fields arrive intact;
 * the table refuses what it can judge alone ("exactly one of" is the hub's). */
static void test_customer_requests(void **state)
{
    struct proto_msg m;
    struct proto_error err;
    cJSON *a = json("{\"customer_id\":42,\"reason\":\"客户书面申请\"}");
    decode_ok(proto_encode_request("e1", PROTO_T_CUSTOMER_ERASE, a), PROTO_DIR_C2H,
              PROTO_T_CUSTOMER_ERASE, &m);
    assert_int_equal(proto_get_int(m.args, "customer_id", 0), 42);
    assert_string_equal(proto_get_str(m.args, "reason"), "客户书面申请");
    proto_msg_free(&m);
    cJSON_Delete(a);
    a = json("{\"phone\":\"+86 139 0000 0021\"}");
    decode_ok(proto_encode_request("x1", PROTO_T_CUSTOMER_EXPORT, a), PROTO_DIR_C2H,
              PROTO_T_CUSTOMER_EXPORT, &m);
    assert_string_equal(proto_get_str(m.args, "phone"), "+86 139 0000 0021");
    proto_msg_free(&m);
    cJSON_Delete(a);

    static const struct {
        enum proto_type t;
        const char *args;
        enum proto_err code;
        const char *field;
    } bad[] = {
        {PROTO_T_CUSTOMER_ERASE, "{\"customer_id\":1}", PROTO_E_MISSING_FIELD, "reason"},
        {PROTO_T_CUSTOMER_ERASE, "{\"customer_id\":1,\"reason\":\"\"}", PROTO_E_BAD_FIELD,
         "reason"},
        {PROTO_T_CUSTOMER_ERASE, "{\"customer_id\":0,\"reason\":\"r\"}", PROTO_E_OUT_OF_RANGE,
         "customer_id"},
        {PROTO_T_CUSTOMER_EXPORT, "{\"customer_id\":\"7\"}", PROTO_E_BAD_FIELD, "customer_id"},
        {PROTO_T_CUSTOMER_EXPORT, "{\"phone\":1390000}", PROTO_E_BAD_FIELD, "phone"},
        {PROTO_T_CUSTOMER_EXPORT, "{\"reason\":\"r\"}", PROTO_E_UNKNOWN_FIELD, "reason"},
        {PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"1390000002113900000021\"}", PROTO_E_OK, NULL},
        {PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"13900000021139000000211\"}", PROTO_E_OK, NULL},
        {PROTO_T_CUSTOMER_EXPORT, "{\"phone\":\"1390000002113900000021139\"}", PROTO_E_TOO_LONG,
         "phone"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *args = json(bad[i].args);
        int rc = proto_validate_args(bad[i].t, args, &err);
        cJSON_Delete(args);
        if (bad[i].code == PROTO_E_OK) {
            assert_int_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, bad[i].code);
        assert_string_equal(err.field, bad[i].field);
    }
    /* the reason's upper bound is PROTO_MAX_TEXT bytes */
    char reason[PROTO_MAX_TEXT + 2];
    memset(reason, 'x', sizeof reason - 1);
    reason[sizeof reason - 1] = '\0';
    a = json("{\"customer_id\":1}");
    cJSON_AddStringToObject(a, "reason", reason);
    assert_int_equal(proto_validate_args(PROTO_T_CUSTOMER_ERASE, a, &err), -1);
    assert_int_equal(err.code, PROTO_E_TOO_LONG);
    cJSON_DeleteItemFromObject(a, "reason");
    reason[PROTO_MAX_TEXT] = '\0';
    cJSON_AddStringToObject(a, "reason", reason);
    assert_int_equal(proto_validate_args(PROTO_T_CUSTOMER_ERASE, a, &err), 0);
    cJSON_Delete(a);
}

/* proto_json_print: every value as the encoders print it. Integers of the JSON-safe range are
 * exact digits at both ends and around zero; other numbers the shortest text that reads back;
 * what has no JSON text is refused. */
static void test_json_print(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"[0,-0,7,-7,10,-10,1795312800000,-1795312800000]",
         "[0,0,7,-7,10,-10,1795312800000,-1795312800000]"},
        {"[9007199254740991,-9007199254740991,9007199254740992]",
         "[9007199254740991,-9007199254740991,9007199254740992]"},
        {"[0.1,-2.5,1e300,123456789.125]", "[0.1,-2.5,1e+300,123456789.125]"},
        {"{\"a\":{\"b\":[true,false,null,\"x\\\"y\\n\u00e9\"]}}",
         "{\"a\":{\"b\":[true,false,null,\"x\\\"y\\n\u00e9\"]}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *v = json(cases[i].in);
        char *text = proto_json_print(v);
        assert_non_null(text);
        assert_string_equal(text, cases[i].out);
        free(text);
        cJSON_Delete(v);
    }
    cJSON *bad = cJSON_CreateArray();
    cJSON_AddItemToArray(bad, cJSON_CreateNumber(NAN));
    assert_null(proto_json_print(bad));
    cJSON_Delete(bad);
    bad = cJSON_CreateString("\xff");
    assert_null(proto_json_print(bad));
    cJSON_Delete(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_round_trips),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_encode_request_refuses_invalid),
        cmocka_unit_test(test_hello_and_auth_replies),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_result_from_text),
        cmocka_unit_test(test_snapshot_and_event),
        cmocka_unit_test(test_encoders_respect_frame_limits),
        cmocka_unit_test(test_customer_requests),
        cmocka_unit_test(test_json_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

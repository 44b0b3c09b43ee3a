/* The order requests' args (PROTOCOL.md "Orders"): a full example of each decodes with its
 * fields intact, and a table of bad args gets the exact error code and field, nested ones
 * included (documents.coc, signature.strokes[0][1][2], conditions[1]). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args_cases.h"
#include "proto.h"

#define OK PROTO_E_OK

#define NO "\"order_no\":\"SF2611-0012\""
#define CHECKLIST                                                                            \
    "\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,\"coc\":true,\"warranty\":true," \
    "\"keys\":true,\"accessories\":true,\"explained\":true}"
#define SIG(strokes) "\"signature\":{\"strokes\":" strokes "}"
#define DELIVER(sig) "{" NO "," CHECKLIST "," sig "}"
#define DOCS(d)                                                               \
    "{" NO ",\"delivery_at\":1796000000000,\"delivery_place\":\"交车区\"," \
    "\"documents\":{" d "}}"
#define CREATE(extra)                                                                           \
    "{\"phone\":\"139 0000 0021\",\"customer_name\":\"刘芳\",\"model\":\"HX7\","              \
    "\"colour\":\"珍珠白\",\"quantity\":1,\"unit_price_fen\":18980000,\"payment\":\"loan\"," \
    "\"channel\":\"online\"" extra "}"
#define CREATE_WITH(q, price, pay)                                                               \
    "{\"phone\":\"13900000021\",\"customer_name\":\"刘\",\"model\":\"HX7\",\"colour\":\"白\"," \
    "\"quantity\":" q ",\"unit_price_fen\":" price ",\"payment\":" pay ",\"channel\":\"phone\"}"

static const struct args_case cases[] = {
    /* create: every field, then each kind of fault */
    {PROTO_T_ORDER_CREATE,
     CREATE(",\"gender\":\"female\",\"customer_kind\":\"company\",\"company_address\":\"浦东\","
            "\"legal_rep\":\"刘芳\",\"business_scope\":\"物流\",\"contact_name\":\"王五\","
            "\"credit_rating\":\"C\",\"credit_limit_fen\":50000000,\"config\":\"长续航版\","
            "\"expected_delivery_at\":1796000000000,\"delivery_place\":\"交车区 2\","
            "\"special_requests\":\"脚垫\",\"remarks\":\"\",\"received_at\":1795300000000"),
     OK, NULL},
    {PROTO_T_ORDER_CREATE, CREATE(""), OK, NULL},
    {PROTO_T_ORDER_CREATE,
     "{\"phone\":\"13900000021\",\"model\":\"HX7\",\"colour\":\"白\",\"quantity\":1,"
     "\"unit_price_fen\":1,\"payment\":\"full\",\"channel\":\"phone\"}",
     PROTO_E_MISSING_FIELD, "customer_name"},
    {PROTO_T_ORDER_CREATE, CREATE(",\"discount\":5"), PROTO_E_UNKNOWN_FIELD, "discount"},
    {PROTO_T_ORDER_CREATE, CREATE(",\"credit_rating\":\"E\""), PROTO_E_BAD_FIELD, "credit_rating"},
    {PROTO_T_ORDER_CREATE, CREATE(",\"customer_kind\":\"firm\""), PROTO_E_BAD_FIELD,
     "customer_kind"},
    {PROTO_T_ORDER_CREATE, CREATE(",\"received_at\":-1"), PROTO_E_OUT_OF_RANGE, "received_at"},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("1", "1", "\"full\""), OK, NULL},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("99", "100000000000", "\"full\""), OK, NULL},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("100", "1", "\"full\""), PROTO_E_OUT_OF_RANGE, "quantity"},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("0", "1", "\"full\""), PROTO_E_OUT_OF_RANGE, "quantity"},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("1", "100000000001", "\"full\""), PROTO_E_OUT_OF_RANGE,
     "unit_price_fen"},
    {PROTO_T_ORDER_CREATE, CREATE_WITH("1", "1", "\"cash\""), PROTO_E_BAD_FIELD, "payment"},
    {PROTO_T_ORDER_CREATE,
     "{\"phone\":\"13900000021\",\"customer_name\":\"刘\",\"model\":\"HX7\",\"colour\":\"白\","
     "\"quantity\":1,\"unit_price_fen\":1,\"payment\":\"full\"}",
     PROTO_E_MISSING_FIELD, "channel"},
    /* edit: everything optional but the number; never the phone */
    {PROTO_T_ORDER_EDIT, "{" NO "}", OK, NULL},
    {PROTO_T_ORDER_EDIT, "{" NO ",\"quantity\":2,\"remarks\":\"改\"}", OK, NULL},
    {PROTO_T_ORDER_EDIT, "{" NO ",\"phone\":\"13900000021\"}", PROTO_E_UNKNOWN_FIELD, "phone"},
    {PROTO_T_ORDER_EDIT, "{\"colour\":\"白\"}", PROTO_E_MISSING_FIELD, "order_no"},
    /* review conditions: a list of known codes, at most three */
    {PROTO_T_ORDER_REVIEW,
     "{" NO ",\"pass\":true,\"conditions\":[\"guarantee\",\"larger_down_payment\","
     "\"shorter_term\"]}",
     OK, NULL},
    {PROTO_T_ORDER_REVIEW, "{" NO ",\"pass\":false,\"reason\":\"资料不全\"}", OK, NULL},
    {PROTO_T_ORDER_REVIEW, "{" NO ",\"pass\":true,\"conditions\":[\"guarantee\",\"x\"]}",
     PROTO_E_BAD_FIELD, "conditions[1]"},
    {PROTO_T_ORDER_REVIEW, "{" NO ",\"pass\":true,\"conditions\":[1]}", PROTO_E_BAD_FIELD,
     "conditions[0]"},
    {PROTO_T_ORDER_REVIEW, "{" NO ",\"pass\":true,\"conditions\":\"guarantee\"}", PROTO_E_BAD_FIELD,
     "conditions"},
    {PROTO_T_ORDER_REVIEW,
     "{" NO ",\"pass\":true,\"conditions\":[\"guarantee\",\"guarantee\",\"guarantee\","
     "\"guarantee\"]}",
     PROTO_E_TOO_LONG, "conditions"},
    {PROTO_T_ORDER_REVIEW, "{" NO ",\"pass\":\"yes\"}", PROTO_E_BAD_FIELD, "pass"},
    {PROTO_T_ORDER_REVIEW, "{" NO "}", PROTO_E_MISSING_FIELD, "pass"},
    {PROTO_T_ORDER_APPROVE, "{\"order_no\":\"\",\"approve\":true}", PROTO_E_BAD_FIELD, "order_no"},
    {PROTO_T_ORDER_APPROVE,
     "{\"order_no\":\"SF2611-0012-0000000000000000000000\",\"approve\":true}", PROTO_E_TOO_LONG,
     "order_no"},
    /* allocation and vehicles: a VIN is 17 characters */
    {PROTO_T_ORDER_ALLOCATE, "{" NO ",\"vin\":\"LSVAB4BR5PN000001\"}", OK, NULL},
    {PROTO_T_ORDER_ALLOCATE, "{" NO ",\"factory_eta\":1796000000000}", OK, NULL},
    {PROTO_T_ORDER_ALLOCATE, "{" NO ",\"vin\":\"LSVAB4BR5PN00001\"}", PROTO_E_BAD_FIELD, "vin"},
    {PROTO_T_ORDER_ALLOCATE, "{" NO ",\"vin\":\"LSVAB4BR5PN0000012\"}", PROTO_E_TOO_LONG, "vin"},
    {PROTO_T_VEHICLE_ARRIVED, "{" NO "}", PROTO_E_MISSING_FIELD, "vin"},
    {PROTO_T_VEHICLE_PREP, "{" NO ",\"step\":\"maintenance\"}", OK, NULL},
    {PROTO_T_VEHICLE_PREP, "{" NO ",\"step\":\"polish\"}", PROTO_E_BAD_FIELD, "step"},
    {PROTO_T_ORDER_ETA, "{" NO ",\"eta\":1796000000000,\"reason\":\"\"}", PROTO_E_BAD_FIELD,
     "reason"},
    {PROTO_T_ORDER_ETA, "{" NO ",\"reason\":\"晚到\"}", PROTO_E_MISSING_FIELD, "eta"},
    /* money */
    {PROTO_T_PAYMENT_CONFIRM,
     "{" NO ",\"amount_fen\":100,\"kind\":\"loan_disbursement\",\"reference\":\"B-1\"}", OK, NULL},
    {PROTO_T_PAYMENT_CONFIRM, "{" NO ",\"amount_fen\":0,\"kind\":\"deposit\",\"reference\":\"x\"}",
     PROTO_E_OUT_OF_RANGE, "amount_fen"},
    {PROTO_T_PAYMENT_CONFIRM,
     "{" NO ",\"amount_fen\":1.5,\"kind\":\"deposit\",\"reference\":\"x\"}", PROTO_E_BAD_FIELD,
     "amount_fen"},
    {PROTO_T_PAYMENT_CONFIRM, "{" NO ",\"amount_fen\":1,\"kind\":\"tip\",\"reference\":\"x\"}",
     PROTO_E_BAD_FIELD, "kind"},
    {PROTO_T_INVOICE_ISSUE, "{" NO "}", PROTO_E_MISSING_FIELD, "invoice_no"},
    {PROTO_T_LOAN_STEP, "{" NO ",\"step\":\"contract_signed\"}", OK, NULL},
    {PROTO_T_LOAN_STEP, "{" NO ",\"step\":\"disbursed\"}", PROTO_E_BAD_FIELD, "step"},
    {PROTO_T_REFUND_CONFIRM, "{" NO ",\"amount_fen\":-5,\"reference\":\"R\"}", PROTO_E_OUT_OF_RANGE,
     "amount_fen"},
    /* ready: the documents object is checked member by member */
    {PROTO_T_ORDER_READY, DOCS("\"invoice\":true,\"coc\":true,\"warranty\":false"), OK, NULL},
    {PROTO_T_ORDER_READY, DOCS("\"invoice\":true,\"warranty\":true"), PROTO_E_MISSING_FIELD,
     "documents.coc"},
    {PROTO_T_ORDER_READY, DOCS("\"invoice\":\"yes\",\"coc\":true,\"warranty\":true"),
     PROTO_E_BAD_FIELD, "documents.invoice"},
    {PROTO_T_ORDER_READY, DOCS("\"invoice\":true,\"coc\":true,\"warranty\":true,\"keys\":true"),
     PROTO_E_UNKNOWN_FIELD, "documents.keys"},
    {PROTO_T_ORDER_READY, "{" NO ",\"delivery_at\":1,\"delivery_place\":\"A\",\"documents\":[]}",
     PROTO_E_BAD_FIELD, "documents"},
    /* deliver: checklist and signature */
    {PROTO_T_ORDER_DELIVER,
     "{" NO "," CHECKLIST "," SIG("[[[0,0,0],[10,12,16]],[[5,5,900]]]") ",\"rating\":5,"
                                                                        "\"comment\":\"很满意\"}",
     OK, NULL},
    {PROTO_T_ORDER_DELIVER,
     "{" NO ",\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,\"coc\":true,"
     "\"warranty\":true,\"accessories\":true,\"explained\":true}," SIG("[[[0,0,0]]]") "}",
     PROTO_E_MISSING_FIELD, "checklist.keys"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[]")), PROTO_E_BAD_FIELD, "signature.strokes"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[]]")), PROTO_E_BAD_FIELD, "signature.strokes[0]"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[[1,2]]]")), PROTO_E_BAD_FIELD,
     "signature.strokes[0][0]"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[[1,2,3,4]]]")), PROTO_E_TOO_LONG,
     "signature.strokes[0][0]"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[[1,2,3]],[[1,2,3],[1,-2,3]]]")), PROTO_E_OUT_OF_RANGE,
     "signature.strokes[1][1][1]"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[[1,2,3.5]]]")), PROTO_E_BAD_FIELD,
     "signature.strokes[0][0][2]"},
    {PROTO_T_ORDER_DELIVER, DELIVER(SIG("[[[1,2,\"3\"]]]")), PROTO_E_BAD_FIELD,
     "signature.strokes[0][0][2]"},
    {PROTO_T_ORDER_DELIVER, DELIVER("\"signature\":{}"), PROTO_E_MISSING_FIELD,
     "signature.strokes"},
    {PROTO_T_ORDER_DELIVER,
     DELIVER("\"signature\":{\"strokes\":[[[1,1,1]]],\"png_sha256\":\"ab\"}"), PROTO_E_BAD_FIELD,
     "signature.png_sha256"},
    {PROTO_T_ORDER_DELIVER, DELIVER("\"signature\":{\"strokes\":[[[1,1,1]]],\"png\":\"x\"}"),
     PROTO_E_UNKNOWN_FIELD, "signature.png"},
    {PROTO_T_ORDER_DELIVER, "{" NO "," CHECKLIST "," SIG("[[[1,1,1]]]") ",\"rating\":6}",
     PROTO_E_OUT_OF_RANGE, "rating"},
    /* change requests: only the listed order fields */
    {PROTO_T_ORDER_CHANGE_REQUEST,
     "{" NO ",\"changes\":{\"model\":\"HX9\",\"config\":\"顶配\",\"unit_price_fen\":25980000,"
     "\"payment\":\"full\",\"quantity\":2},\"reason\":\"升级\"}",
     OK, NULL},
    {PROTO_T_ORDER_CHANGE_REQUEST, "{" NO ",\"changes\":{\"price\":1},\"reason\":\"x\"}",
     PROTO_E_UNKNOWN_FIELD, "changes.price"},
    {PROTO_T_ORDER_CHANGE_REQUEST,
     "{" NO ",\"changes\":{\"customer_name\":\"张\"},\"reason\":\"x\"}", PROTO_E_UNKNOWN_FIELD,
     "changes.customer_name"},
    {PROTO_T_ORDER_CHANGE_REQUEST, "{" NO ",\"changes\":{\"quantity\":0},\"reason\":\"x\"}",
     PROTO_E_OUT_OF_RANGE, "changes.quantity"},
    {PROTO_T_ORDER_CHANGE_REQUEST, "{" NO ",\"changes\":{\"colour\":\"白\"}}",
     PROTO_E_MISSING_FIELD, "reason"},
    {PROTO_T_ORDER_CANCEL_REVIEW, "{" NO ",\"approve\":true,\"needs_manager\":true}", OK, NULL},
    {PROTO_T_ORDER_CANCEL_REVIEW, "{" NO ",\"approve\":true,\"needs_manager\":1}",
     PROTO_E_BAD_FIELD, "needs_manager"},
    {PROTO_T_ORDER_CANCEL_REQUEST, "{" NO "}", PROTO_E_MISSING_FIELD, "reason"},
    /* notes and reads */
    {PROTO_T_ORDER_NOTE,
     "{" NO ",\"way\":\"wechat\",\"summary\":\"已告知新交期\",\"customer_visible\":true}", OK,
     NULL},
    {PROTO_T_ORDER_NOTE, "{" NO ",\"way\":\"fax\",\"summary\":\"x\"}", PROTO_E_BAD_FIELD, "way"},
    {PROTO_T_ORDER_LIST,
     "{\"stage\":\"allocated\",\"consultant\":\"S001\",\"q\":\"0021\",\"limit\":200,"
     "\"offset\":400}",
     OK, NULL},
    {PROTO_T_ORDER_LIST, "{\"limit\":0}", PROTO_E_OUT_OF_RANGE, "limit"},
    {PROTO_T_ORDER_LIST, "{\"limit\":201}", PROTO_E_OUT_OF_RANGE, "limit"},
    {PROTO_T_ORDER_LIST, "{\"stage\":\"archived\"}", PROTO_E_BAD_FIELD, "stage"},
    {PROTO_T_ORDER_GET, "{}", PROTO_E_MISSING_FIELD, "order_no"},
};

/* Every case through both paths (args_cases.c). */
static void test_table(void **state)
{
    (void)state;
    assert_int_equal(args_cases_run(cases, sizeof cases / sizeof cases[0]), 0);
}

/* {"order_no":..., checklist, "signature":{"strokes":[n strokes of pts points]}} built in C. */
static cJSON *deliver_args(int n, int pts)
{
    cJSON *args = cJSON_Parse(DELIVER(SIG("[]")));
    assert_non_null(args);
    cJSON *strokes = cJSON_GetObjectItem(cJSON_GetObjectItem(args, "signature"), "strokes");
    for (int s = 0; s < n; s++) {
        cJSON *stroke = cJSON_CreateArray();
        for (int p = 0; p < pts; p++) {
            int xyt[3] = {p % 800, s, p * 8};
            cJSON_AddItemToArray(stroke, cJSON_CreateIntArray(xyt, 3));
        }
        cJSON_AddItemToArray(strokes, stroke);
    }
    return args;
}

/* The signature limits: 200 strokes, 2000 points per stroke; and the 64 KiB frame limit
 * still applies to a signature within both. */
static void test_signature_limits(void **state)
{
    struct proto_error err;
    cJSON *a = deliver_args(PROTO_MAX_STROKES, 1);
    assert_int_equal(proto_validate_args(PROTO_T_ORDER_DELIVER, a, &err), 0);
    cJSON_Delete(a);
    a = deliver_args(PROTO_MAX_STROKES + 1, 1);
    assert_int_equal(proto_validate_args(PROTO_T_ORDER_DELIVER, a, &err), -1);
    assert_int_equal(err.code, PROTO_E_TOO_LONG);
    assert_string_equal(err.field, "signature.strokes");
    cJSON_Delete(a);

    a = deliver_args(1, PROTO_MAX_STROKE_PTS);
    assert_int_equal(proto_validate_args(PROTO_T_ORDER_DELIVER, a, &err), 0);
    char *frame = proto_encode_request("d1", PROTO_T_ORDER_DELIVER, a);
    assert_non_null(frame); /* 2000 points fit in one frame */
    free(frame);
    cJSON_Delete(a);
    a = deliver_args(1, PROTO_MAX_STROKE_PTS + 1);
    assert_int_equal(proto_validate_args(PROTO_T_ORDER_DELIVER, a, &err), -1);
    assert_int_equal(err.code, PROTO_E_TOO_LONG);
    assert_string_equal(err.field, "signature.strokes[0]");
    cJSON_Delete(a);

    /* within the list limits but over 64 KiB: the encoder refuses, the decoder too */
    a = deliver_args(20, 500);
    assert_int_equal(proto_validate_args(PROTO_T_ORDER_DELIVER, a, &err), 0);
    assert_null(proto_encode_request("d2", PROTO_T_ORDER_DELIVER, a));
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "type", "order_deliver");
    cJSON_AddStringToObject(req, "id", "d2");
    cJSON_AddItemToObject(req, "args", a);
    char *big = cJSON_PrintUnformatted(req);
    assert_true(strlen(big) > PROTO_MAX_FRAME_IN);
    struct proto_msg m;
    assert_int_equal(proto_decode(big, strlen(big), PROTO_DIR_C2H, &m, &err, NULL), -1);
    assert_int_equal(err.code, PROTO_E_FRAME_TOO_LARGE);
    cJSON_free(big);
    cJSON_Delete(req);
}

/* Every order request is a client request that carries an id. */
static void test_order_types_are_requests(void **state)
{
    static const char *const names[] = {
        "order_create",        "order_review",
        "order_approve",       "order_edit",
        "order_resubmit",      "order_allocate",
        "vehicle_arrived",     "vehicle_prep",
        "order_eta",           "payment_confirm",
        "invoice_issue",       "loan_step",
        "order_ready",         "order_deliver",
        "order_close",         "order_change_request",
        "order_change_review", "order_cancel_request",
        "order_cancel_review", "order_cancel_approve",
        "refund_confirm",      "order_note",
        "order_get",           "order_list",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int t = proto_type_from_name(names[i], PROTO_DIR_C2H);
        if (t < 0)
            fail_msg("%s is not a client request", names[i]);
        assert_int_equal(proto_type_from_name(names[i], PROTO_DIR_H2C), -1);
        char frame[160];
        snprintf(frame, sizeof frame, "{\"type\":\"%s\",\"args\":{}}", names[i]);
        struct proto_msg m;
        struct proto_error err;
        assert_int_equal(proto_decode(frame, strlen(frame), PROTO_DIR_C2H, &m, &err, NULL), -1);
        assert_int_equal(err.code, PROTO_E_BAD_MESSAGE); /* no id */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_signature_limits),
        cmocka_unit_test(test_order_types_are_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

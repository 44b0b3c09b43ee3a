/* Order commands beyond the straight path: change requests with and without a manager,
 * cancellation with refund and vehicle release, returned-and-resubmitted orders, factory
 * orders and ETA changes, time limits found by core_tick with a moved clock, and what board,
 * delivery, status and api devices see of the new events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_orders_fx.h"

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

static void test_change_with_and_without_manager(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_walk(o, DOMAIN_STAGE_APPROVED, NULL, no, sizeof no);

    /* remarks only: the supervisor's approval applies it */
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"changes\":{\"remarks\":\"加装行车记录仪\"},"
             "\"reason\":\"客户要求\"}",
             no);
    const cJSON *ord = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST, a);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(ord, "change_request")));
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no);
    ofx_fail(o, o->api, &o->mgr, PROTO_T_ORDER_CHANGE_REVIEW, a, PROTO_E_INVALID_STATE);
    ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CHANGE_REVIEW, a);
    assert_string_equal(str(ord, "remarks"), "加装行车记录仪");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ord, "change_request")));

    /* colour and price: the supervisor, then a manager */
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"changes\":{\"colour\":\"曜石黑\",\"unit_price_fen\":19280000},"
             "\"reason\":\"换色加价\"}",
             no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST, a);
    ofx_fail(o, o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST, a, PROTO_E_INVALID_STATE);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no);
    ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CHANGE_REVIEW, a);
    assert_string_equal(str(ord, "colour"), "珍珠白"); /* not yet */
    ofx_fail(o, o->api, &o->sup, PROTO_T_ORDER_CHANGE_REVIEW, a, PROTO_E_FORBIDDEN);
    ord = ofx_ok(o, o->api, &o->mgr, PROTO_T_ORDER_CHANGE_REVIEW, a);
    assert_string_equal(str(ord, "colour"), "曜石黑");
    assert_int_equal(num(ord, "unit_price_fen"), 19280000);
    assert_int_equal(num(ord, "total_fen"), 19280000);

    /* the request keeps old and new values per field */
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_GET, a);
    const cJSON *d = ofx_data();
    const cJSON *reqs = cJSON_GetObjectItem(d, "requests");
    assert_int_equal(cJSON_GetArraySize(reqs), 2);
    const cJSON *colour =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, 1), "changes"), "colour");
    assert_string_equal(str(colour, "old"), "珍珠白");
    assert_string_equal(str(colour, "new"), "曜石黑");

    /* a rejected change changes nothing in the order */
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"changes\":{\"quantity\":2},\"reason\":\"再买一辆\"}", no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CHANGE_REQUEST, a);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":false,\"reason\":\"库存不足\"}", no);
    ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CHANGE_REVIEW, a);
    assert_int_equal(num(ord, "quantity"), 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ord, "change_request")));
    ofx_free(o);
}

static void test_cancel_refund_release(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_vehicle(o, OFX_VIN1);
    ofx_walk(o, DOMAIN_STAGE_ALLOCATED, OFX_VIN1, no, sizeof no);
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"amount_fen\":3000000,\"kind\":\"deposit\","
             "\"reference\":\"POS-9\"}",
             no);
    ofx_ok(o, o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM, a);

    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"reason\":\"客户资金问题\"}", no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CANCEL_REQUEST, a);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no);
    ofx_fail(o, o->api, &o->mgr, PROTO_T_ORDER_CANCEL_APPROVE, a, PROTO_E_INVALID_STATE);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true,\"needs_manager\":true}", no);
    const cJSON *ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CANCEL_REVIEW, a);
    assert_string_equal(str(ord, "stage"), "allocated"); /* waiting for the manager */
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "reserved");
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true,\"reason\":\"同意\"}", no);
    ord = ofx_ok(o, o->api, &o->mgr, PROTO_T_ORDER_CANCEL_APPROVE, a);
    assert_string_equal(str(ord, "stage"), "cancelled");
    assert_int_equal(num(ord, "refund_due_fen"), 3000000);
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "in_stock");

    /* finance confirms the refund; never more than is due */
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"amount_fen\":3000001,\"reference\":\"RF\"}", no);
    ofx_fail(o, o->api, &o->fin, PROTO_T_REFUND_CONFIRM, a, PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"amount_fen\":3000000,\"reference\":\"RF\"}", no);
    ord = ofx_ok(o, o->api, &o->fin, PROTO_T_REFUND_CONFIRM, a);
    assert_int_equal(num(ord, "refunded_fen"), 3000000);
    assert_int_equal(cfx_count(o->f, "refunds"), 1);

    /* the freed vehicle can be allocated to another order */
    char no2[40];
    ofx_walk(o, DOMAIN_STAGE_ALLOCATED, OFX_VIN1, no2, sizeof no2);
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN1), "reserved");

    /* a supervisor may cancel without a manager */
    char no3[40];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no3, sizeof no3);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"reason\":\"重复下单\"}", no3);
    ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CANCEL_REQUEST, a);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no3);
    ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_CANCEL_REVIEW, a);
    assert_string_equal(str(ord, "stage"), "cancelled");
    assert_int_equal(num(ord, "refund_due_fen"), 0);
    ofx_free(o);
}

static void test_returned_and_resubmitted(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no, sizeof no);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"pass\":false}", no);
    ofx_fail(o, o->api, &o->sup, PROTO_T_ORDER_REVIEW, a, PROTO_E_BAD_FIELD); /* no reason */
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"pass\":false,\"reason\":\"缺身份证\"}", no);
    const cJSON *ord = ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_REVIEW, a);
    assert_string_equal(str(ord, "stage"), "returned");
    assert_string_equal(str(ord, "last_reason"), "缺身份证");
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"colour\":\"星空灰\",\"quantity\":2}", no);
    ofx_fail(o, o->api, &o->cons2, PROTO_T_ORDER_EDIT, a, PROTO_E_FORBIDDEN);
    ord = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_EDIT, a);
    assert_string_equal(str(ord, "colour"), "星空灰");
    assert_int_equal(num(ord, "total_fen"), 2 * OFX_PRICE);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"customer_name\":\"刘\"}", no);
    ofx_fail(o, o->api, &o->cons, PROTO_T_ORDER_EDIT, a, PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    ord = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_RESUBMIT, a);
    assert_string_equal(str(ord, "stage"), "entered");
    ofx_free(o);
}

/* A factory order: ETA at allocation, a delay with event order.eta_changed, the car arriving
 * into the inventory reserved. */
static void test_factory_order_and_eta(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_walk(o, DOMAIN_STAGE_APPROVED, NULL, no, sizeof no);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"factory_eta\":%lld}", no,
             FX_NOW + 240 * OFX_HOUR);
    const cJSON *ord = ofx_ok(o, o->api, &o->mgr, PROTO_T_ORDER_ALLOCATE, a);
    assert_string_equal(str(ord, "alloc_kind"), "factory");
    assert_int_equal(num(ord, "eta"), FX_NOW + 240 * OFX_HOUR);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"eta\":%lld,\"reason\":\"运输延误\"}", no,
             FX_NOW + 300 * OFX_HOUR);
    ord = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_ETA, a);
    assert_int_equal(num(ord, "eta"), FX_NOW + 300 * OFX_HOUR);
    int64_t seq = 0;
    cJSON *ev = ofx_last_event(o, "order.eta_changed", &seq);
    assert_non_null(ev);
    assert_int_equal(num(ev, "eta"), FX_NOW + 300 * OFX_HOUR);
    assert_int_equal(num(ev, "previous_eta"), FX_NOW + 240 * OFX_HOUR);
    cJSON_Delete(ev);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"vin\":\"%s\"}", no, OFX_VIN2);
    ord = ofx_ok(o, o->api, &o->sup, PROTO_T_VEHICLE_ARRIVED, a);
    assert_string_equal(str(ord, "vin"), OFX_VIN2);
    assert_string_equal(ofx_vehicle_state(o, OFX_VIN2), "reserved");
    ofx_fail(o, o->api, &o->sup, PROTO_T_VEHICLE_ARRIVED, a, PROTO_E_INVALID_STATE);
    ofx_free(o);
}

static int count_kind(struct ofx *o, const char *kind)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE kind = '%s'", kind);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(o->f->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The initial review is due 4 h (the default) after entry: nothing at due - 1 ms, one breach
 * and one event at due + 1 ms, nothing more on the next tick. A site setting moves it. */
static void test_sla_breach_with_moved_clock(void **state)
{
    struct ofx *o = ofx_new();
    char no[40];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no, sizeof no);
    int64_t entered = o->now; /* ofx_req stamps each command at o->now */
    int64_t due = entered + 4 * OFX_HOUR;
    assert_int_equal(core_tick(o->f->core, due - 1), 0);
    assert_int_equal(count_kind(o, "order.sla_breached"), 0);
    assert_int_equal(core_tick(o->f->core, due + 1), 1);
    assert_int_equal(count_kind(o, "order.sla_breached"), 1);
    cJSON *ev = ofx_last_event(o, "order.sla_breached", NULL);
    assert_non_null(ev);
    assert_string_equal(str(ev, "kind"), "initial_review");
    assert_string_equal(str(ev, "order_no"), no);
    assert_int_equal(num(ev, "due_at"), due);
    cJSON_Delete(ev);
    assert_int_equal(core_tick(o->f->core, due + 60000), 0);
    assert_int_equal(count_kind(o, "order.sla_breached"), 1);

    /* staff see the recorded breach on the order */
    char a[128];
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_GET, a);
    const cJSON *d = ofx_data();
    const cJSON *br = cJSON_GetObjectItem(cJSON_GetObjectItem(d, "order"), "sla_breaches");
    assert_int_equal(cJSON_GetArraySize(br), 1);
    assert_int_equal(num(cJSON_GetArrayItem(br, 0), "due_at"), due);

    /* a site that allows 6 hours: not breached at 4 h + 1 ms */
    struct proto_error err;
    assert_int_equal(store_settings_set(o->f->s, o->f->site, "initial_review_hours", 6, &err), 0);
    char no2[40];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no2, sizeof no2);
    int64_t entered2 = o->now;
    assert_int_equal(core_tick(o->f->core, entered2 + 4 * OFX_HOUR + 1), 0);
    assert_int_equal(core_tick(o->f->core, entered2 + 6 * OFX_HOUR + 1), 1);
    ofx_free(o);
}

/* Board and delivery get the masked order (no full phone or name) plus the event's details;
 * status gets only the wall view; reception and api get nothing. */
static void test_event_views_are_masked(void **state)
{
    struct ofx *o = ofx_new();
    char no[40];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no, sizeof no);
    assert_int_equal(core_tick(o->f->core, o->now + 5 * OFX_HOUR), 1);
    int64_t seq = 0;
    cJSON *data = ofx_last_event(o, "order.sla_breached", &seq);
    assert_non_null(data);
    struct core_event ev = {.seq = seq,
                            .site_id = o->f->site,
                            .kind = "order.sla_breached",
                            .at = o->now,
                            .data = data};
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
        cJSON *v = core_event_view(o->f->core, &ev, (enum domain_mode)m);
        char *text = v ? cJSON_PrintUnformatted(v) : NULL;
        if (m == DOMAIN_MODE_BOARD || m == DOMAIN_MODE_DELIVERY) {
            assert_non_null(v);
            const cJSON *ord = cJSON_GetObjectItem(v, "order");
            assert_string_equal(str(cJSON_GetObjectItem(ord, "customer"), "phone"), "139****0021");
            assert_string_equal(str(cJSON_GetObjectItem(ord, "customer"), "name"), "刘女士");
            assert_string_equal(str(v, "kind"), "initial_review");
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ord, "sla_breaches")), 1);
        } else if (m == DOMAIN_MODE_STATUS) {
            assert_non_null(v);
            assert_non_null(cJSON_GetObjectItem(v, "wall"));
            assert_null(cJSON_GetObjectItem(v, "kind"));
            assert_null(cJSON_GetObjectItem(v, "order"));
        } else {
            assert_null(v);
        }
        if (text) { /* nothing unmasked anywhere in a kiosk's view */
            assert_null(strstr(text, "13900000021"));
            assert_null(strstr(text, "刘芳"));
            assert_null(strstr(text, "paid_fen"));
        }
        cJSON_free(text);
        cJSON_Delete(v);
    }
    cJSON_Delete(data);

    /* the board snapshot carries the breach flag too */
    int64_t sseq = 0;
    cJSON *snap = core_snapshot(o->f->core, o->board, o->now, &sseq);
    assert_non_null(snap);
    const cJSON *orders = cJSON_GetObjectItem(snap, "orders");
    assert_int_equal(cJSON_GetArraySize(orders), 1);
    const cJSON *br = cJSON_GetObjectItem(cJSON_GetArrayItem(orders, 0), "sla_breaches");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(br, 0)), "initial_review");
    /* ... and the running limit the board counts down to: the initial review, 4 h after entry
     * (still running: breached is not done) */
    int64_t due_at = num(cJSON_GetArrayItem(orders, 0), "sla_due_at");
    cJSON_Delete(snap);
    char a[128];
    snprintf(a, sizeof a, "{\"order_no\":\"%s\"}", no);
    ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_GET, a);
    assert_int_equal(due_at,
                     num(cJSON_GetObjectItem(ofx_data(), "order"), "entered_at") + 4 * OFX_HOUR);
    assert_null(core_snapshot(o->f->core, o->api, o->now, &sseq)); /* api: no snapshot */
    ofx_free(o);
}

/* A customer-visible note appears on the status kiosk's PublicOrder as text and date only;
 * a private one does not. */
static void test_public_notes(void **state)
{
    struct ofx *o = ofx_new();
    char no[40], a[512];
    ofx_walk(o, DOMAIN_STAGE_ENTERED, NULL, no, sizeof no);
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"way\":\"phone\",\"summary\":\"内部：客户犹豫\"}",
             no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_NOTE, a);
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"way\":\"wechat\",\"summary\":\"车辆预计下周到店\","
             "\"customer_visible\":true}",
             no);
    ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_NOTE, a);
    int64_t at = o->now;
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"phone_last4\":\"0021\"}", no);
    cJSON *data = NULL;
    struct proto_error err;
    assert_int_equal(ofx_req(o, &o->f->dev[DOMAIN_MODE_STATUS], NULL, PROTO_T_ORDER_LOOKUP, "l1", a,
                             &data, &err),
                     0);
    const cJSON *notes = cJSON_GetObjectItem(cJSON_GetObjectItem(data, "order"), "notes");
    assert_int_equal(cJSON_GetArraySize(notes), 1);
    const cJSON *n = cJSON_GetArrayItem(notes, 0);
    assert_string_equal(str(n, "text"), "车辆预计下周到店");
    assert_int_equal(num(n, "at"), at);
    assert_int_equal(cJSON_GetArraySize(n), 2); /* no staff, no way */
    cJSON_Delete(data);
    ofx_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_with_and_without_manager),
        cmocka_unit_test(test_cancel_refund_release),
        cmocka_unit_test(test_returned_and_resubmitted),
        cmocka_unit_test(test_factory_order_and_eta),
        cmocka_unit_test(test_sla_breach_with_moved_clock),
        cmocka_unit_test(test_event_views_are_masked),
        cmocka_unit_test(test_public_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

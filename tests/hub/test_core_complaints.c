/* Complaints through core_request (hub/core_complaint*.c): intake at level 1, deadlines driven
 * by core_tick with a moved clock (on site 10 minutes, call centre 2 hours, working days over a
 * weekend) escalating to level 2 and 3, the escalate command, validity, closure and the
 * survey, a low delivery rating opening a must-resolve complaint, reads and masked views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_floor_fx.h"

#define OPEN_ON_SITE                                                                               \
    "{\"phone\":\"13700000001\",\"name\":\"黄蓉\",\"channel\":\"on_site\",\"kind\":\"service\"," \
    "\"summary\":\"等候太久无人接待\"}"

static int setup(void **state)
{
    *state = lfx_new();
    return 0;
}

static int teardown(void **state)
{
    lfx_free(*state);
    return 0;
}

static int64_t open_complaint(struct lfx *l, const char *args)
{
    ofx_ok(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_OPEN, args);
    return lfx_int(cJSON_GetObjectItem(ofx_data(), "complaint"), "id");
}

static struct store_complaint get(struct lfx *l, int64_t id)
{
    struct store_complaint cp;
    struct proto_error err;
    assert_int_equal(store_complaints_get(l->f->s, id, &cp, &err), 0);
    return cp;
}

static void test_on_site_escalation(void **state)
{
    struct lfx *l = *state;
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    ofx_fail(l->o, l->o->api, &l->o->fin, PROTO_T_COMPLAINT_OPEN, OPEN_ON_SITE, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_OPEN,
             "{\"phone\":\"123\",\"channel\":\"on_site\",\"kind\":\"service\",\"summary\":\"x\"}",
             PROTO_E_INVALID_PHONE);
    ofx_fail(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_OPEN,
             "{\"phone\":\"13700000001\",\"channel\":\"on_site\",\"kind\":\"service\","
             "\"summary\":\"x\",\"order_no\":\"SF0000-0000\"}",
             PROTO_E_NOT_FOUND);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);

    int64_t seq = lfx_seq(l);
    int64_t opened = l->o->now + 1000;
    int64_t id = open_complaint(l, OPEN_ON_SITE);
    const cJSON *cj = cJSON_GetObjectItem(ofx_data(), "complaint");
    assert_string_equal(lfx_str(cj, "status"), "open");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(cj, "due"), "first_response"),
                     opened + 10 * LFX_MIN);
    struct store_complaint cp = get(l, id);
    assert_int_equal(cp.level, 1);
    assert_int_equal(cp.handler_id, l->o->sup.id);
    assert_true(lfx_told(l, seq, l->o->sup.id, "complaint_assigned"));

    /* 10 minutes on site: exactly due is in time, a millisecond later it escalates */
    seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, opened + 10 * LFX_MIN) >= 0);
    assert_int_equal(lfx_events(l, seq, "complaint.escalated"), 0);
    assert_true(core_tick(l->f->core, opened + 10 * LFX_MIN + 1) >= 1);
    assert_int_equal(lfx_events(l, seq, "complaint.escalated"), 1);
    cp = get(l, id);
    assert_int_equal(cp.level, 2);
    assert_int_equal(cp.handler_id, l->o->mgr.id); /* a manager, the lower id of two idle ones */
    assert_true(lfx_told(l, seq, l->o->mgr.id, "complaint_escalated"));
    seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, opened + OFX_HOUR) >= 0);
    assert_int_equal(lfx_events(l, seq, "complaint.escalated"), 0); /* reported once */

    /* level 3 by command: the general manager named by the site setting */
    struct proto_error err;
    assert_int_equal(
        store_settings_text_set(l->f->s, l->f->site, "general_manager_staff_no", "G001", &err), 0);
    char a[160];
    snprintf(a, sizeof a, "{\"complaint_id\":%lld,\"reason\":\"客户要求总经理处理\"}",
             (long long)id);
    l->o->now = opened + 2 * OFX_HOUR;
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_COMPLAINT_ESCALATE, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->mgr, PROTO_T_COMPLAINT_ESCALATE, a);
    cp = get(l, id);
    assert_int_equal(cp.level, 3);
    assert_int_equal(cp.handler_id, l->gm.id);
    ofx_fail(l->o, l->o->api, &l->o->mgr, PROTO_T_COMPLAINT_ESCALATE, a, PROTO_E_INVALID_STATE);
    /* the board sees it masked: no phone, no name, no summary */
    char *text = lfx_view_text(l, "complaint.escalated", DOMAIN_MODE_BOARD);
    assert_non_null(text);
    assert_non_null(strstr(text, "黄*"));
    assert_null(strstr(text, "黄蓉"));
    assert_null(strstr(text, "13700000001"));
    assert_null(strstr(text, "等候太久"));
    assert_non_null(strstr(text, "\"to_level\":3"));
    free(text);
    assert_null(lfx_view_text(l, "complaint.opened", DOMAIN_MODE_RECEPTION));
    assert_null(lfx_view_text(l, "complaint.opened", DOMAIN_MODE_STATUS));
}

static void test_call_centre_working_days(void **state)
{
    struct lfx *l = *state;
    /* Friday 17:00 at UTC+8 (FX_NOW is Sunday 10:00) */
    int64_t fri = FX_NOW - 2 * LFX_DAY + 7 * OFX_HOUR;
    l->o->now = fri - 1000;
    int64_t a_id = open_complaint(l, "{\"phone\":\"13700000002\",\"channel\":\"call_centre\","
                                     "\"kind\":\"product\",\"summary\":\"车机死机\"}");
    int64_t b_id = open_complaint(l, "{\"phone\":\"13700000003\",\"channel\":\"call_centre\","
                                     "\"kind\":\"service\",\"summary\":\"电话没人接\"}");
    int64_t b_opened = fri + 1000;
    char r[160];
    snprintf(r, sizeof r,
             "{\"complaint_id\":%lld,\"kind\":\"first_response\",\"text\":\"已致电客户\"}",
             (long long)a_id);
    l->o->now = fri + 30 * LFX_MIN;
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_COMPLAINT_RESPOND, r, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_RESPOND, r);
    assert_string_equal(lfx_str(cJSON_GetObjectItem(ofx_data(), "complaint"), "status"),
                        "responded");
    /* contact within one working day: from Friday 17:00 that is Monday 17:00 */
    snprintf(r, sizeof r, "{\"complaint_id\":%lld}", (long long)a_id);
    ofx_ok(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_GET, r);
    int64_t contact_due = lfx_int(
        cJSON_GetObjectItem(cJSON_GetObjectItem(ofx_data(), "complaint"), "due"), "contact");
    assert_int_equal(contact_due, fri + 3 * LFX_DAY);

    /* two hours: B never answered escalates, A answered in time does not */
    int64_t seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, b_opened + 2 * OFX_HOUR + 1) >= 1);
    assert_int_equal(get(l, b_id).level, 2);
    assert_int_equal(get(l, a_id).level, 1);
    /* the weekend passes without a working-day breach */
    assert_true(core_tick(l->f->core, FX_NOW) >= 0);
    assert_true(core_tick(l->f->core, contact_due) >= 0);
    assert_int_equal(get(l, a_id).level, 1);
    assert_true(core_tick(l->f->core, contact_due + 1) >= 1);
    assert_int_equal(get(l, a_id).level, 2);
    /* B, opened a second later, misses its contact too: level 3 */
    assert_int_equal(get(l, b_id).level, 2);
    assert_true(core_tick(l->f->core, b_opened + 3 * LFX_DAY + 1) >= 1);
    assert_int_equal(lfx_events(l, seq, "complaint.escalated"), 3); /* B: reply, contact; A */
    assert_int_equal(get(l, b_id).level, 3);
}

static void test_validity_close_survey(void **state)
{
    struct lfx *l = *state;
    int64_t id = open_complaint(l, OPEN_ON_SITE);
    char a[200];
    snprintf(a, sizeof a, "{\"complaint_id\":%lld,\"valid\":false}", (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_VALIDITY, a, PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"complaint_id\":%lld,\"valid\":false,\"reason\":\"误会\"}",
             (long long)id);
    ofx_fail(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_VALIDITY, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_VALIDITY, a);
    assert_int_equal(get(l, id).validity, STORE_VALIDITY_INVALID);
    snprintf(a, sizeof a, "{\"complaint_id\":%lld,\"resolution\":\"已解释并致歉\"}", (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_COMPLAINT_CLOSE, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_CLOSE, a);
    assert_string_equal(lfx_str(cJSON_GetObjectItem(ofx_data(), "complaint"), "status"), "closed");
    /* a closed complaint takes no responses; its deadlines lapse */
    char r[160];
    snprintf(r, sizeof r, "{\"complaint_id\":%lld,\"kind\":\"progress\",\"text\":\"x\"}",
             (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_RESPOND, r, PROTO_E_INVALID_STATE);
    int64_t seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, l->o->now + LFX_DAY) >= 0);
    assert_int_equal(lfx_events(l, seq, "complaint.escalated"), 0);
    /* the service desk surveys once */
    snprintf(a, sizeof a, "{\"complaint_id\":%lld,\"satisfaction\":4,\"comment\":\"还行\"}",
             (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_SURVEY, a, PROTO_E_FORBIDDEN);
    int64_t sat = cfx_count(l->f, "satisfaction");
    ofx_ok(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_SURVEY, a);
    assert_string_equal(lfx_str(cJSON_GetObjectItem(ofx_data(), "complaint"), "status"),
                        "surveyed");
    assert_int_equal(cfx_count(l->f, "satisfaction"), sat + 1);
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    ofx_fail(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_SURVEY, a, PROTO_E_INVALID_STATE);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);
}

static void deliver(struct lfx *l, const char *vin, int rating)
{
    char no[40], a[512];
    ofx_vehicle(l->o, vin);
    ofx_walk(l->o, DOMAIN_STAGE_READY, vin, no, sizeof no);
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,"
             "\"coc\":true,\"warranty\":true,\"keys\":true,\"accessories\":true,"
             "\"explained\":true},\"signature\":{\"strokes\":[[[1,2,0],[3,4,16]]]},"
             "\"rating\":%d,\"comment\":\"交车等太久\"}",
             no, rating);
    ofx_ok(l->o, l->o->api, &l->o->cons, PROTO_T_ORDER_DELIVER, a);
}

static void test_delivery_rating(void **state)
{
    struct lfx *l = *state;
    int64_t seq = lfx_seq(l);
    deliver(l, OFX_VIN1, 5);
    assert_int_equal(cfx_count(l->f, "satisfaction"), 1);
    assert_int_equal(cfx_count(l->f, "complaints"), 0);
    deliver(l, OFX_VIN2, 2);
    assert_int_equal(cfx_count(l->f, "satisfaction"), 2);
    assert_int_equal(cfx_count(l->f, "complaints"), 1);
    assert_int_equal(lfx_events(l, seq, "complaint.opened"), 1);
    ofx_ok(l->o, l->o->api, &l->o->mgr, PROTO_T_COMPLAINT_LIST, "{\"level\":2}");
    const cJSON *cj = cJSON_GetArrayItem(cJSON_GetObjectItem(ofx_data(), "complaints"), 0);
    assert_non_null(cj);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cj, "must_resolve")));
    assert_string_equal(lfx_str(cj, "channel"), "on_site");
    assert_string_equal(lfx_str(cj, "kind"), "service");
    int64_t handler = lfx_int(cJSON_GetObjectItem(cj, "handler"), "id");
    assert_true(handler == l->o->mgr.id || handler == l->gm.id);
    assert_true(lfx_told(l, seq, handler, "complaint_assigned"));
}

static void test_reads(void **state)
{
    struct lfx *l = *state;
    int64_t id = open_complaint(l, OPEN_ON_SITE);
    open_complaint(l, "{\"phone\":\"13700000009\",\"channel\":\"letter\",\"kind\":\"product\","
                      "\"summary\":\"漆面\"}");
    char a[64];
    snprintf(a, sizeof a, "{\"complaint_id\":%lld}", (long long)id);
    ofx_ok(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_GET, a);
    const cJSON *cj = cJSON_GetObjectItem(ofx_data(), "complaint");
    assert_string_equal(lfx_str(cj, "summary"), "等候太久无人接待"); /* staff see it whole */
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_COMPLAINT_GET, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->o->other, PROTO_T_COMPLAINT_GET, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->svc, PROTO_T_COMPLAINT_GET, "{\"complaint_id\":999}",
             PROTO_E_NOT_FOUND);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_LIST,
           "{\"status\":\"open\",\"limit\":1}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ofx_data(), "complaints")), 1);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_COMPLAINT_LIST, "{\"status\":\"closed\"}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 0);
    /* the board snapshot lists both with their deadlines, masked */
    int64_t seq;
    cJSON *snap = core_snapshot(l->f->core, l->o->board, l->o->now, &seq);
    assert_non_null(snap);
    const cJSON *list = cJSON_GetObjectItem(snap, "complaints");
    assert_int_equal(cJSON_GetArraySize(list), 2);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "due"), "first_response")));
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(snap, "notifications")) >= 2);
    char *text = cJSON_PrintUnformatted(snap);
    assert_null(strstr(text, "黄蓉"));
    assert_null(strstr(text, "13700000001"));
    assert_null(strstr(text, "等候太久"));
    free(text);
    cJSON_Delete(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_on_site_escalation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_centre_working_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validity_close_survey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_rating, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

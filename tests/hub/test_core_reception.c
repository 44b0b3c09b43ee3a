/* Reception through core_request (hub/core_checkin.c, core_visit.c, core_conflict.c): the three
 * check-in cases notify the right staff, a second check-in the same day returns the open visit,
 * appointments are shown or no-shows, visits are served, departed and closed at closing time,
 * the reception kiosk calls staff, and a conflict found at check-in is ruled once. Times move
 * through core_tick; views are masked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_floor_fx.h"

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

static int64_t lead_for(struct lfx *l, const struct core_staff *st, const char *phone)
{
    char a[256];
    snprintf(a, sizeof a,
             "{\"phone\":\"%s\",\"name\":\"王小明\",\"gender\":\"male\",\"model\":\"HX7\","
             "\"budget_fen\":1,\"channel\":\"phone_in\"}",
             phone);
    return lfx_lead(l, st, a);
}

/* staff ids notified according to the check-in result */
static int result_notified(const cJSON *d, int64_t id, const char *reason)
{
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(d, "notified"))
    {
        if (lfx_int(n, "id") == id && strcmp(lfx_str(n, "reason"), reason) == 0)
            return 1;
    }
    return 0;
}

static void test_invited_checkin(void **state)
{
    struct lfx *l = *state;
    int64_t lead = lead_for(l, &l->tel, "13812340001");
    char a[128];
    int64_t at = l->o->now + 30 * LFX_MIN;
    snprintf(a, sizeof a, "{\"lead_id\":%lld,\"at\":%lld,\"note\":\"看车\"}", (long long)lead,
             (long long)at);
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_APPOINTMENT_CREATE, a);
    const cJSON *appt = cJSON_GetObjectItem(ofx_data(), "appointment");
    int64_t appt_id = lfx_int(appt, "id");
    assert_string_equal(lfx_str(appt, "state"), "scheduled");
    assert_int_equal(lfx_get_lead(l, lead).invited_by, l->tel.id);

    l->o->now = at + 10 * LFX_MIN;
    int64_t seq = lfx_seq(l);
    const cJSON *d = lfx_checkin(l, "13812340001");
    assert_string_equal(lfx_str(d, "assigned_by"), "invited");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "already_checked_in")));
    int64_t cons = lfx_int(cJSON_GetObjectItem(d, "consultant"), "id");
    assert_int_equal(cons, l->f->c1);
    assert_true(result_notified(d, l->tel.id, "invited_customer_arrived"));
    assert_true(result_notified(d, cons, "customer_arrived"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "notified")), 2);
    assert_true(lfx_told(l, seq, l->tel.id, "invited_customer_arrived"));
    assert_true(lfx_told(l, seq, cons, "customer_arrived"));
    assert_int_equal(lfx_notified(l, seq, NULL, NULL, 0), 2);
    /* the appointment is shown and linked; the lead passes to the serving consultant */
    struct store_appointment sa;
    struct proto_error err;
    assert_int_equal(store_appointments_get(l->f->s, appt_id, &sa, &err), 0);
    assert_int_equal(sa.state, STORE_APPT_SHOWN);
    int64_t visit = lfx_int(cJSON_GetObjectItem(d, "visit"), "id");
    assert_int_equal(sa.visit_id, visit);
    assert_int_equal(lfx_int(cJSON_GetObjectItem(d, "visit"), "appointment_id"), appt_id);
    assert_int_equal(lfx_get_lead(l, lead).owner_id, cons);
    assert_int_equal(cfx_count(l->f, "conflicts"), 0);
    /* board and delivery see the notifications, masked; reception and status do not */
    char *text = lfx_view_text(l, "staff.notify", DOMAIN_MODE_BOARD);
    assert_non_null(text);
    assert_non_null(strstr(text, "王先生"));
    assert_null(strstr(text, "王小明"));
    assert_null(strstr(text, "13812340001"));
    free(text);
    text = lfx_view_text(l, "staff.notify", DOMAIN_MODE_DELIVERY);
    assert_non_null(text);
    free(text);
    assert_null(lfx_view_text(l, "staff.notify", DOMAIN_MODE_RECEPTION));
    assert_null(lfx_view_text(l, "staff.notify", DOMAIN_MODE_STATUS));
    text = lfx_view_text(l, "appointment.updated", DOMAIN_MODE_BOARD);
    assert_non_null(strstr(text, "\"status\":\"shown\""));
    assert_null(strstr(text, "王小明"));
    free(text);
}

static void test_owned_and_new_checkin(void **state)
{
    struct lfx *l = *state;
    lead_for(l, &l->o->cons2, "13812340002"); /* c2 owns it */
    int64_t seq = lfx_seq(l);
    const cJSON *d = lfx_checkin(l, "13812340002");
    assert_string_equal(lfx_str(d, "assigned_by"), "owner");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(d, "consultant"), "id"), l->f->c2);
    assert_true(result_notified(d, l->f->c2, "owned_customer_arrived"));
    assert_int_equal(lfx_notified(l, seq, NULL, NULL, 0), 1); /* once, though owner and server */
    assert_int_equal(cfx_count(l->f, "conflicts"), 0);

    /* a stranger: the rotation picks c1 (c2 is busy now), and only c1 hears of it */
    seq = lfx_seq(l);
    d = lfx_checkin(l, "13812340003");
    assert_string_equal(lfx_str(d, "assigned_by"), "rotation");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(d, "consultant"), "id"), l->f->c1);
    int64_t staff[4];
    char kinds[4][40];
    assert_int_equal(lfx_notified(l, seq, staff, kinds, 4), 1);
    assert_int_equal(staff[0], l->f->c1);
    assert_string_equal(kinds[0], "customer_arrived");
}

static void test_double_checkin(void **state)
{
    struct lfx *l = *state;
    const cJSON *d = lfx_checkin(l, "13812340004");
    int64_t visit = lfx_int(cJSON_GetObjectItem(d, "visit"), "id");
    struct lfx_counts a, b;
    lfx_counts(l, &a);
    l->o->now += 2 * OFX_HOUR;
    d = lfx_checkin(l, "138 1234 0004");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "already_checked_in")));
    assert_int_equal(lfx_int(cJSON_GetObjectItem(d, "visit"), "id"), visit);
    assert_int_equal(lfx_int(d, "queue_position"), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "notified")), 0);
    lfx_counts(l, &b);
    lfx_same(&a, &b);
    /* after departure the next arrival is a new (returning) visit */
    char args[64];
    snprintf(args, sizeof args, "{\"visit_id\":%lld}", (long long)visit);
    ofx_ok(l->o, l->o->api, &l->rec, PROTO_T_VISIT_DEPART, args);
    d = lfx_checkin(l, "13812340004");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "already_checked_in")));
    assert_true(lfx_int(cJSON_GetObjectItem(d, "visit"), "id") != visit);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "customer"), "new")));
}

static void test_conflict_at_checkin_ruled_once(void **state)
{
    struct lfx *l = *state;
    int64_t lead = lead_for(l, &l->c3, "13812340005"); /* c3 owns it and rests today */
    int64_t seq = lfx_seq(l);
    const cJSON *d = lfx_checkin(l, "13812340005");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(d, "consultant"), "id"), l->f->c1);
    assert_true(result_notified(d, l->f->c3, "owned_customer_arrived"));
    assert_int_equal(lfx_events(l, seq, "conflict.opened"), 1);
    assert_true(lfx_told(l, seq, l->o->sup.id, "conflict_opened"));
    assert_int_equal(lfx_get_lead(l, lead).owner_id, l->f->c3); /* nothing moves before a ruling */
    char *text = lfx_view_text(l, "conflict.opened", DOMAIN_MODE_BOARD);
    assert_non_null(strstr(text, "王先生"));
    assert_null(strstr(text, "13812340005"));
    assert_null(lfx_view_text(l, "conflict.opened", DOMAIN_MODE_RECEPTION));
    free(text);

    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_CONFLICT_LIST, "{\"status\":\"open\"}");
    const cJSON *cf = cJSON_GetArrayItem(cJSON_GetObjectItem(ofx_data(), "conflicts"), 0);
    int64_t id = lfx_int(cf, "id");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cf, "claimants")), 2);
    char a[160];
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    snprintf(a, sizeof a, "{\"conflict_id\":%lld,\"winner\":\"S001\",\"reason\":\"先接待\"}",
             (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_CONFLICT_RULE, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_CONFLICT_LIST, "", PROTO_E_FORBIDDEN);
    char bad[160];
    snprintf(bad, sizeof bad, "{\"conflict_id\":%lld,\"winner\":\"S002\",\"reason\":\"x\"}",
             (long long)id);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_CONFLICT_RULE, bad, PROTO_E_BAD_FIELD);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_CONFLICT_RULE,
             "{\"conflict_id\":999,\"winner\":\"S001\",\"reason\":\"x\"}", PROTO_E_NOT_FOUND);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);

    seq = lfx_seq(l);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_CONFLICT_RULE, a);
    assert_string_equal(lfx_str(cJSON_GetObjectItem(ofx_data(), "conflict"), "state"), "ruled");
    assert_int_equal(lfx_get_lead(l, lead).owner_id, l->f->c1);
    assert_true(lfx_told(l, seq, l->f->c3, "conflict_ruled"));
    assert_true(lfx_told(l, seq, l->f->c1, "conflict_ruled"));
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_CONFLICT_RULE, a, PROTO_E_INVALID_STATE);
    ofx_ok(l->o, l->o->api, &l->o->mgr, PROTO_T_CONFLICT_LIST, "{\"status\":\"ruled\"}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 1);
    /* a second visit by the same customer does not open another case: c1 owns it now */
    assert_int_equal(cfx_count(l->f, "conflicts"), 1);
}

static void test_conflict_overdue(void **state)
{
    struct lfx *l = *state;
    lead_for(l, &l->c3, "13812340006");
    int64_t opened = l->o->now + 1000; /* the check-in's time */
    lfx_checkin(l, "13812340006");
    int64_t seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, opened + LFX_DAY) >= 0);
    assert_int_equal(lfx_events(l, seq, "conflict.overdue"), 0);
    assert_true(core_tick(l->f->core, opened + LFX_DAY + 1) >= 1);
    assert_int_equal(lfx_events(l, seq, "conflict.overdue"), 1);
    assert_true(lfx_told(l, seq, l->o->sup.id, "conflict_overdue"));
    assert_true(core_tick(l->f->core, opened + LFX_DAY + OFX_HOUR) >= 0);
    assert_int_equal(lfx_events(l, seq, "conflict.overdue"), 1);
}

static void test_serve_and_depart(void **state)
{
    struct lfx *l = *state;
    int64_t lead = lead_for(l, &l->o->cons, "13812340007");
    const cJSON *d = lfx_checkin(l, "13812340007");
    int64_t visit = lfx_int(cJSON_GetObjectItem(d, "visit"), "id");
    char a[160];
    snprintf(a, sizeof a, "{\"visit_id\":%lld}", (long long)visit);
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    ofx_fail(l->o, l->o->api, &l->o->cons2, PROTO_T_VISIT_SERVE, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->o->fin, PROTO_T_VISIT_SERVE, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, NULL, PROTO_T_VISIT_SERVE, a, PROTO_E_STAFF_LOGIN_REQUIRED);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_VISIT_SERVE, "{\"visit_id\":999}",
             PROTO_E_NOT_FOUND);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);
    ofx_ok(l->o, l->o->api, &l->o->cons, PROTO_T_VISIT_SERVE, a);
    assert_string_equal(lfx_str(cJSON_GetObjectItem(ofx_data(), "visit"), "status"), "serving");
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_VISIT_SERVE, a, PROTO_E_INVALID_STATE);
    snprintf(a, sizeof a, "{\"visit_id\":%lld,\"grade\":\"A\",\"trade_in\":\"2018 帕萨特\"}",
             (long long)visit);
    ofx_ok(l->o, l->o->api, &l->o->cons, PROTO_T_VISIT_DEPART, a);
    const cJSON *v = cJSON_GetObjectItem(ofx_data(), "visit");
    assert_string_equal(lfx_str(v, "status"), "departed");
    assert_string_equal(lfx_str(v, "grade_after"), "A");
    struct store_lead sl = lfx_get_lead(l, lead);
    assert_int_equal(sl.grade, 'A');
    assert_int_equal(sl.next_due_at, l->o->now + 7 * LFX_DAY);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_VISIT_DEPART, a, PROTO_E_INVALID_STATE);
    /* board view of the visit: masked, with the new fields */
    char *text = lfx_view_text(l, "visit.updated", DOMAIN_MODE_BOARD);
    assert_non_null(strstr(text, "\"grade_after\":\"A\""));
    assert_null(strstr(text, "王小明"));
    assert_null(strstr(text, "13812340007"));
    free(text);
}

static void test_no_show_through_tick(void **state)
{
    struct lfx *l = *state;
    int64_t at = l->o->now + OFX_HOUR;
    char a[160];
    snprintf(a, sizeof a, "{\"phone\":\"13812340008\",\"at\":%lld}", (long long)at);
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_APPOINTMENT_CREATE, a);
    int64_t id = lfx_int(cJSON_GetObjectItem(ofx_data(), "appointment"), "id");
    int64_t seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, at + 60 * LFX_MIN) >= 0);
    assert_int_equal(lfx_events(l, seq, "appointment.updated"), 0);
    assert_true(core_tick(l->f->core, at + 60 * LFX_MIN + 1) >= 1);
    assert_int_equal(lfx_events(l, seq, "appointment.updated"), 1);
    assert_true(lfx_told(l, seq, l->tel.id, "appointment_no_show"));
    struct store_appointment sa;
    struct proto_error err;
    assert_int_equal(store_appointments_get(l->f->s, id, &sa, &err), 0);
    assert_int_equal(sa.state, STORE_APPT_NO_SHOW);
    int64_t seq2 = lfx_seq(l);
    assert_true(core_tick(l->f->core, at + 3 * OFX_HOUR) >= 0);
    assert_int_equal(lfx_events(l, seq2, "appointment.updated"), 0);
    /* refusals: the past, neither lead nor phone, a role that books nothing */
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    snprintf(a, sizeof a, "{\"phone\":\"13812340008\",\"at\":%lld}", (long long)FX_NOW - 1);
    ofx_fail(l->o, l->o->api, &l->tel, PROTO_T_APPOINTMENT_CREATE, a, PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"at\":%lld}", (long long)at + LFX_DAY);
    ofx_fail(l->o, l->o->api, &l->tel, PROTO_T_APPOINTMENT_CREATE, a, PROTO_E_BAD_FIELD);
    snprintf(a, sizeof a, "{\"phone\":\"13812340008\",\"at\":%lld}", (long long)at + LFX_DAY);
    ofx_fail(l->o, l->o->api, &l->o->fin, PROTO_T_APPOINTMENT_CREATE, a, PROTO_E_FORBIDDEN);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);
}

static void test_closing_time_and_call_staff(void **state)
{
    struct lfx *l = *state;
    const cJSON *d = lfx_checkin(l, "13812340009");
    int64_t visit = lfx_int(cJSON_GetObjectItem(d, "visit"), "id");
    int64_t closing = FX_NOW + 11 * OFX_HOUR; /* 21:00 at UTC+8 */
    struct store_visit v;
    struct proto_error err;
    assert_true(core_tick(l->f->core, closing - 1) >= 0);
    assert_int_equal(store_visits_get(l->f->s, visit, &v, &err), 0);
    assert_int_equal(v.status, STORE_VISIT_WAITING);
    assert_true(core_tick(l->f->core, closing) >= 1);
    assert_int_equal(store_visits_get(l->f->s, visit, &v, &err), 0);
    assert_int_equal(v.status, STORE_VISIT_DEPARTED);
    assert_true(v.auto_closed);

    /* the reception kiosk calls staff: every reception staff member, no login needed */
    int64_t seq = lfx_seq(l);
    ofx_ok(l->o, l->reception, NULL, PROTO_T_CALL_STAFF, "{\"reason\":\"需要帮助\"}");
    assert_int_equal(lfx_int(ofx_data(), "notified"), 1);
    assert_true(lfx_told(l, seq, l->rec.id, "staff_called"));
    ofx_fail(l->o, l->o->board, &l->o->sup, PROTO_T_CALL_STAFF, "", PROTO_E_FORBIDDEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_invited_checkin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owned_and_new_checkin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_checkin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_at_checkin_ruled_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serve_and_depart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_show_through_tick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closing_time_and_call_staff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

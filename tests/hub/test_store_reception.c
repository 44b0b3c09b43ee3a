/* Reception in the store (migration 3): a customer's open visit of the day, departure with
 * grade and trade-in, appointments (check-in match, shown / no-show, due, list, JSON),
 * conflict cases with their final ruling, and the text site settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_store_fx.h"

static int64_t add_visit(struct store_fx *f, int64_t customer, int64_t at)
{
    struct proto_error err;
    struct store_visit v;
    memset(&v, 0, sizeof v);
    v.site_id = f->site;
    v.customer_id = customer;
    v.consultant_id = f->consultant;
    v.assigned_by = DOMAIN_ASSIGN_ROTATION;
    v.arrived_at = at;
    v.first_visit_said = -1;
    int64_t id;
    assert_int_equal(store_visits_add(f->s, &v, &id, &err), 0);
    return id;
}

static void test_visits(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t day0 = FX_NOW - 2 * FX_HOUR, day1 = day0 + 24 * FX_HOUR;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t v1 = add_visit(f, f->customer, FX_NOW - FX_HOUR);
    int64_t v2 = add_visit(f, f->customer2, FX_NOW - FX_HOUR);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct store_visit v;
    assert_int_equal(
        store_visits_open_for_customer(f->s, f->site, f->customer, day0, day1, &v, &err), 0);
    assert_int_equal(v.id, v1);
    /* another day, another site, another customer: none */
    assert_int_equal(store_visits_open_for_customer(f->s, f->site, f->customer, day1,
                                                    day1 + 24 * FX_HOUR, &v, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(
        store_visits_open_for_customer(f->s, f->other_site, f->customer, day0, day1, &v, &err), -1);
    assert_int_equal(
        store_visits_open_for_customer(f->s, f->site, f->customer3, day0, day1, &v, &err), -1);

    /* departure with what was learnt, once */
    int64_t seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_visits_depart(f->s, v1, 'A', "2015 款帕萨特", false, FX_NOW, &err), 0);
    assert_int_equal(store_visits_depart(f->s, v1, 'A', "", false, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_visits_depart(f->s, v2, 'Z', "", false, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_visits_depart(f->s, 999, 0, "", false, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* the hub closes the other at closing time */
    assert_int_equal(store_visits_depart(f->s, v2, 0, NULL, true, FX_NOW + FX_HOUR, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    cJSON *ev = NULL;
    assert_int_equal(store_fx_events(f->s, seq, "visit.updated", &ev), 2);
    cJSON *vis = cJSON_GetObjectItem(ev, "visit");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(vis, "auto_closed")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(vis, "grade_after")));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(vis, "status")), "departed");
    cJSON_Delete(ev);
    assert_int_equal(store_visits_get(f->s, v1, &v, &err), 0);
    assert_int_equal(v.status, STORE_VISIT_DEPARTED);
    assert_int_equal(v.departed_at, FX_NOW);
    assert_int_equal(v.grade_after, 'A');
    assert_string_equal(v.trade_in, "2015 款帕萨特");
    assert_false(v.auto_closed);
    /* a departed visit is not "open today" */
    assert_int_equal(
        store_visits_open_for_customer(f->s, f->site, f->customer, day0, day1, &v, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

static int collect_appts(void *ctx, const struct store_appointment *a)
{
    int64_t *ids = ctx;
    while (*ids)
        ids++;
    *ids = a->id;
    return 0;
}

static void test_appointments(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_appointment a = {.site_id = f->site,
                                  .customer_id = f->customer,
                                  .telesales_id = f->telesales,
                                  .at = FX_NOW + 2 * FX_HOUR,
                                  .created_at = FX_NOW - 24 * FX_HOUR};
    struct store_appointment b = a;
    b.customer_id = f->customer2;
    b.telesales_id = f->telesales2;
    b.at = FX_NOW - 3 * FX_HOUR;
    int64_t ida, idb, seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_appointments_add(f->s, &a, &ida, &err), 0);
    assert_int_equal(store_appointments_add(f->s, &b, &idb, &err), 0);
    a.state = (enum store_appointment_state)7;
    assert_int_equal(store_appointments_add(f->s, &a, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    a.state = STORE_APPT_SCHEDULED;
    a.customer_id = 999;
    assert_int_equal(store_appointments_add(f->s, &a, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);
    cJSON *ev = NULL;
    assert_int_equal(store_fx_events(f->s, seq, "appointment.updated", &ev), 2);
    cJSON *ap = cJSON_GetObjectItem(ev, "appointment");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ap, "state")), "scheduled");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(ap, "telesales"), "name")),
        "黄丽");
    cJSON_Delete(ev);

    /* check-in finds the customer's appointment inside the window only */
    struct store_appointment got;
    assert_int_equal(store_appointments_for_checkin(f->s, f->site, f->customer,
                                                    FX_NOW - 10 * FX_HOUR, FX_NOW + 14 * FX_HOUR,
                                                    FX_NOW, &got, &err),
                     0);
    assert_int_equal(got.id, ida);
    assert_int_equal(got.created_at, FX_NOW - 24 * FX_HOUR);
    assert_int_equal(store_appointments_for_checkin(f->s, f->site, f->customer,
                                                    FX_NOW + 3 * FX_HOUR, FX_NOW + 14 * FX_HOUR,
                                                    FX_NOW, &got, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* no-show candidates: b is 3 h past, a is still to come */
    int64_t ids[4] = {0};
    assert_int_equal(
        store_appointments_due(f->s, f->site, FX_NOW - FX_HOUR, collect_appts, ids, &err), 0);
    assert_int_equal(ids[0], idb);
    assert_int_equal(ids[1], 0);

    /* shown needs a visit; moves happen once */
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t vid = add_visit(f, f->customer, FX_NOW + FX_HOUR);
    assert_int_equal(store_appointments_set_state(f->s, ida, STORE_APPT_SHOWN, 0, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_appointments_set_state(f->s, ida, STORE_APPT_SCHEDULED, 0, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(
        store_appointments_set_state(f->s, ida, STORE_APPT_SHOWN, vid, FX_NOW + FX_HOUR, &err), 0);
    assert_int_equal(store_visits_set_appointment(f->s, vid, ida, FX_NOW + FX_HOUR, &err), 0);
    assert_int_equal(store_appointments_set_state(f->s, ida, STORE_APPT_NO_SHOW, 0, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_appointments_set_state(f->s, idb, STORE_APPT_NO_SHOW, 0, FX_NOW, &err),
                     0);
    assert_int_equal(store_appointments_set_state(f->s, 999, STORE_APPT_NO_SHOW, 0, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_visits_set_appointment(f->s, 999, ida, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_appointments_get(f->s, ida, &got, &err), 0);
    assert_int_equal(got.state, STORE_APPT_SHOWN);
    assert_int_equal(got.visit_id, vid);
    struct store_visit v;
    assert_int_equal(store_visits_get(f->s, vid, &v, &err), 0);
    assert_int_equal(v.appointment_id, ida);
    memset(ids, 0, sizeof ids);
    assert_int_equal(
        store_appointments_due(f->s, 0, FX_NOW + 30 * FX_HOUR, collect_appts, ids, &err), 0);
    assert_int_equal(ids[0], 0);

    /* list: window, state, telesales, paging */
    struct store_appointment_filter flt = {.site_id = f->site, .state = -1};
    int total = 0;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_appointments_list(f->s, &flt, collect_appts, ids, &total, &err), 0);
    assert_int_equal(total, 2);
    assert_int_equal(ids[0], idb); /* by appointed time */
    flt.state = STORE_APPT_NO_SHOW;
    assert_int_equal(store_appointments_list(f->s, &flt, collect_appts, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    flt.state = -1;
    flt.telesales_id = f->telesales;
    assert_int_equal(store_appointments_list(f->s, &flt, collect_appts, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    flt.telesales_id = 0;
    flt.from = FX_NOW;
    flt.to = FX_NOW + 3 * FX_HOUR;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_appointments_list(f->s, &flt, collect_appts, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], ida);
    flt.state = 5;
    assert_int_equal(store_appointments_list(f->s, &flt, collect_appts, ids, &total, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    cJSON *full;
    assert_int_equal(store_appointments_json(f->s, ida, &full, &err), 0);
    assert_int_equal((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "visit_id")), vid);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(full, "lead_id")));
    cJSON_Delete(full);
    assert_int_equal(store_appointments_json(f->s, 999, &full, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_appointment_state_from_name("no_show"), STORE_APPT_NO_SHOW);
    assert_int_equal(store_appointment_state_from_name("late"), -1);
}

static int collect_conflicts(void *ctx, const struct store_conflict *c)
{
    int64_t *ids = ctx;
    while (*ids)
        ids++;
    *ids = c->id;
    return 0;
}

static void test_conflicts(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_lead l;
    memset(&l, 0, sizeof l);
    l.site_id = f->site;
    l.customer_id = f->customer;
    snprintf(l.channel, sizeof l.channel, "walk_in");
    l.grade = 'A';
    l.created_at = FX_NOW - 48 * FX_HOUR;
    l.owner_id = f->consultant;
    int64_t lead;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_add(f->s, &l, &lead, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct store_conflict c;
    memset(&c, 0, sizeof c);
    c.site_id = f->site;
    c.customer_id = f->customer;
    c.lead_id = lead;
    c.opened_at = FX_NOW;
    snprintf(c.claimants, sizeof c.claimants,
             "[{\"staff_id\": %lld, \"role\": \"owner\", \"evidence\": {\"lead_created_at\": "
             "%lld, \"followups\": 3}}, {\"staff_id\": %lld, \"role\": \"serving\", "
             "\"evidence\": {\"followups\": 0}}]",
             (long long)f->consultant, (long long)l.created_at, (long long)f->consultant2);
    int64_t id, seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_conflicts_add(f->s, &c, &id, &err), 0);
    /* one open case per lead */
    assert_int_equal(store_conflicts_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    snprintf(c.claimants, sizeof c.claimants, "{\"not\": \"an array\"}");
    assert_int_equal(store_conflicts_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    snprintf(c.claimants, sizeof c.claimants, "[oops");
    assert_int_equal(store_conflicts_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);
    cJSON *ev = NULL;
    assert_int_equal(store_fx_events(f->s, seq, "conflict.opened", &ev), 1);
    cJSON *cf = cJSON_GetObjectItem(ev, "conflict");
    cJSON *cl = cJSON_GetObjectItem(cf, "claimants");
    assert_int_equal(cJSON_GetArraySize(cl), 2);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cl, 0), "name")), "张伟");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cf, "state")), "open");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cf, "winner")));
    cJSON_Delete(ev);

    struct store_conflict got;
    assert_int_equal(store_conflicts_open_for_lead(f->s, lead, &got, &err), 0);
    assert_int_equal(got.id, id);
    assert_non_null(strstr(got.claimants, "\"evidence\":{\"followups\":3"));

    /* ruling: needs a winner, is final */
    seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_conflicts_rule(f->s, id, 0, "", f->supervisor, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_conflicts_rule(f->s, id, f->consultant, "先建档且跟进三次",
                                          f->supervisor, FX_NOW + FX_HOUR, &err),
                     0);
    assert_int_equal(
        store_conflicts_rule(f->s, id, f->consultant2, "", f->supervisor, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(
        store_conflicts_rule(f->s, 999, f->consultant, "", f->supervisor, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_fx_events(f->s, seq, "conflict.ruled", &ev), 1);
    cf = cJSON_GetObjectItem(ev, "conflict");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(cf, "winner"), "name")),
        "张伟");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(cf, "ruled_by"), "name")),
        "赵敏");
    cJSON_Delete(ev);
    assert_int_equal(store_conflicts_get(f->s, id, &got, &err), 0);
    assert_int_equal(got.state, STORE_CONFLICT_RULED);
    assert_int_equal(got.winner_id, f->consultant);
    assert_int_equal(got.ruled_at, FX_NOW + FX_HOUR);
    assert_int_equal(store_conflicts_open_for_lead(f->s, lead, &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* a new case may open once the old one is ruled */
    snprintf(c.claimants, sizeof c.claimants, "[]");
    int64_t id2;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_conflicts_add(f->s, &c, &id2, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    int64_t ids[4] = {0};
    int total = 0;
    assert_int_equal(
        store_conflicts_list(f->s, f->site, -1, 0, 0, collect_conflicts, ids, &total, &err), 0);
    assert_int_equal(total, 2);
    assert_int_equal(ids[0], id2);
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_conflicts_list(f->s, f->site, STORE_CONFLICT_RULED, 10, 0,
                                          collect_conflicts, ids, &total, &err),
                     0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], id);
    assert_int_equal(
        store_conflicts_list(f->s, f->site, 4, 10, 0, collect_conflicts, ids, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_string_equal(store_conflict_state_name(STORE_CONFLICT_RULED), "ruled");
}

static int collect_text(void *ctx, const char *key, const char *value, bool is_default)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%s=%s%s;", key, value, is_default ? "*" : "");
    return 0;
}

static void test_text_settings(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    char v[300];
    bool def = false;
    assert_int_equal(
        store_settings_text_get(f->s, f->site, "closing_time", v, sizeof v, &def, &err), 0);
    assert_string_equal(v, "21:00");
    assert_true(def);
    int m = 0;
    assert_int_equal(store_settings_grace_minutes(f->s, f->site, &m, &err), 0);
    assert_int_equal(m, 60);
    assert_int_equal(store_settings_closing_minute(f->s, f->site, &m, &err), 0);
    assert_int_equal(m, 21 * 60);

    assert_int_equal(store_settings_text_set(f->s, f->site, "closing_time", "20:30", &err), 0);
    assert_int_equal(
        store_settings_text_set(f->s, f->site, "appointment_grace_minutes", "45", &err), 0);
    assert_int_equal(
        store_settings_text_set(f->s, f->site, "general_manager_staff_no", "S020", &err), 0);
    assert_int_equal(store_settings_text_set(f->s, f->site, "webhook_url",
                                             "https://relay.example.cn/hook?k=1", &err),
                     0);
    assert_int_equal(store_settings_closing_minute(f->s, f->site, &m, &err), 0);
    assert_int_equal(m, 20 * 60 + 30);
    assert_int_equal(store_settings_grace_minutes(f->s, f->site, &m, &err), 0);
    assert_int_equal(m, 45);
    assert_int_equal(store_settings_grace_minutes(f->s, f->other_site, &m, &err), 0);
    assert_int_equal(m, 60); /* per site */

    static const struct {
        const char *key, *value;
    } bad[] = {
        {"closing_time", "24:00"},
        {"closing_time", "9:00"},
        {"closing_time", "21-00"},
        {"appointment_grace_minutes", "0"},
        {"appointment_grace_minutes", "1441"},
        {"appointment_grace_minutes", "6o"},
        {"general_manager_staff_no", "S999"},
        {"webhook_url", "ftp://x"},
        {"webhook_url", "http://"},
        {"webhook_url", "http://a b"},
        {"colour", "red"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(store_settings_text_set(f->s, f->site, bad[i].key, bad[i].value, &err),
                         -1);
        assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    }
    assert_int_equal(store_settings_text_get(f->s, f->site, "colour", v, sizeof v, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    char small[4];
    assert_int_equal(
        store_settings_text_get(f->s, f->site, "webhook_url", small, sizeof small, NULL, &err), -1);

    char all[512] = "";
    assert_int_equal(store_settings_text_list(f->s, f->site, collect_text, all, &err), 0);
    assert_string_equal(all, "appointment_grace_minutes=45;closing_time=20:30;"
                             "general_manager_staff_no=S020;"
                             "webhook_url=https://relay.example.cn/hook?k=1;");
    /* "" resets to the default */
    assert_int_equal(store_settings_text_set(f->s, f->site, "webhook_url", "", &err), 0);
    assert_int_equal(store_settings_text_get(f->s, f->site, "webhook_url", v, sizeof v, &def, &err),
                     0);
    assert_string_equal(v, "");
    assert_true(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_visits, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_appointments, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_conflicts, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_text_settings, store_fx_setup, store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Lead commands through core_request (hub/core_lead*.c): creation with validation, dedup by
 * phone and external_ref, assignment by the rule and by a supervisor, follow-ups and grades
 * with their cadence, invalidation, month end, overdue reports through core_tick, conversion
 * and a conflict on order create, reads, and the masked board view. Refusals change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain_privacy.h"
#include "test_core_floor_fx.h"

#define LEAD_LIU                                                                                \
    "{\"phone\":\"139 0000 0021\",\"name\":\"刘芳\",\"gender\":\"female\",\"model\":\"HX7\"," \
    "\"budget_fen\":20000000,\"channel\":\"web_autohome\",\"region\":\"浦东\"}"

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

static void args_lead(char *buf, size_t n, int64_t id, const char *rest)
{
    snprintf(buf, n, "{\"lead_id\":%lld%s}", (long long)id, rest);
}

static void test_create_assigns_by_rule(void **state)
{
    struct lfx *l = *state;
    int64_t seq = lfx_seq(l);
    int64_t audit = cfx_count(l->f, "audit");
    /* a supervisor enters it: the rule picks telesales, region 浦东 and HX7 -> T002 */
    int64_t id = lfx_lead(l, &l->o->sup, LEAD_LIU);
    const cJSON *d = ofx_data();
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "merged")));
    const cJSON *lead = cJSON_GetObjectItem(d, "lead");
    assert_string_equal(lfx_str(lead, "status"), "open");
    assert_string_equal(lfx_str(lead, "name"), "刘芳");
    struct store_lead sl = lfx_get_lead(l, id);
    assert_int_equal(sl.telesales_id, l->tel2.id);
    assert_int_equal(sl.owner_id, 0);
    assert_int_equal(sl.first_callback_due_at, sl.assigned_at + LFX_DAY);
    assert_int_equal(cfx_count(l->f, "lead_assignments"), 1);
    assert_true(lfx_told(l, seq, l->tel2.id, "lead_assigned"));
    assert_int_equal(cfx_count(l->f, "audit"), audit + 1);
    assert_int_equal(cfx_count(l->f, "webhook_outbox"), 0); /* no webhook_url at the site */

    /* telesales entering a lead keep it; with a webhook set the notice is queued too */
    struct proto_error err;
    assert_int_equal(store_settings_text_set(l->f->s, l->f->site, "webhook_url",
                                             "http://127.0.0.1:9/hook", &err),
                     0);
    seq = lfx_seq(l);
    int64_t id2 = lfx_lead(l, &l->tel,
                           "{\"phone\":\"13900000022\",\"name\":\"王强\",\"model\":\"HX7\","
                           "\"budget_fen\":1,\"channel\":\"phone_in\"}");
    assert_int_equal(lfx_get_lead(l, id2).telesales_id, l->tel.id);
    assert_int_equal(lfx_notified(l, seq, NULL, NULL, 0), 0); /* nobody to tell */
    /* a reception staff member's lead goes to telesales by the rule: T001 has one lead, T002
     * one too, neither matches an empty region; the lower workload then id wins */
    seq = lfx_seq(l);
    int64_t id3 = lfx_lead(l, &l->rec,
                           "{\"phone\":\"13900000023\",\"name\":\"赵六\",\"model\":\"HX7\","
                           "\"budget_fen\":1,\"channel\":\"walk_in\"}");
    int64_t holder = lfx_get_lead(l, id3).telesales_id;
    assert_true(holder == l->tel.id || holder == l->tel2.id);
    assert_int_equal(lfx_notified(l, seq, NULL, NULL, 0), 1);
    assert_int_equal(cfx_count(l->f, "webhook_outbox"), 1);
}

static void test_create_invalid_and_refused(void **state)
{
    struct lfx *l = *state;
    /* missing budget: kept, flagged, not assigned */
    int64_t id = lfx_lead(l, &l->mkt,
                          "{\"phone\":\"13900000031\",\"name\":\"钱七\",\"model\":\"HX7\","
                          "\"channel\":\"web_yiche\"}");
    struct store_lead sl = lfx_get_lead(l, id);
    assert_int_equal(sl.status, STORE_LEAD_INVALID);
    assert_string_equal(sl.invalid_reason, "missing_budget");
    assert_int_equal(sl.telesales_id, 0);
    assert_int_equal(cfx_count(l->f, "lead_assignments"), 0);

    struct lfx_counts a, b;
    lfx_counts(l, &a);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"12345\",\"name\":\"x\",\"channel\":\"walk_in\"}", PROTO_E_INVALID_PHONE);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"fax\"}", PROTO_E_BAD_FIELD);
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"walk_in\",\"model\":\"ZZ1\"}",
             PROTO_E_BAD_FIELD);
    ofx_fail(l->o, l->o->api, &l->o->fin, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"walk_in\"}", PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, NULL, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"walk_in\"}", PROTO_E_STAFF_LOGIN_REQUIRED);
    ofx_fail(l->o, l->o->api, &l->o->other, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"walk_in\"}", PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->reception, &l->o->sup, PROTO_T_LEAD_CREATE,
             "{\"phone\":\"13900000032\",\"channel\":\"walk_in\"}", PROTO_E_FORBIDDEN);
    lfx_counts(l, &b);
    lfx_same(&a, &b);
}

static void test_dedup_merge_and_external_ref(void **state)
{
    struct lfx *l = *state;
    int64_t id =
        lfx_lead(l, &l->o->sup,
                 "{\"phone\":\"13900000041\",\"name\":\"孙八\",\"channel\":\"web_official\","
                 "\"external_ref\":\"OF-1\"}");
    assert_int_equal(lfx_get_lead(l, id).status, STORE_LEAD_INVALID); /* no model, no budget */
    /* an invalid lead is not open: a second inquiry is a new lead */
    char args[512];
    snprintf(args, sizeof args,
             "{\"phone\":\"+86 139-0000-0042\",\"name\":\"周九\",\"model\":\"HX7\","
             "\"budget_fen\":30000000,\"channel\":\"auto_show\",\"created_at\":%lld}",
             FX_NOW - 2 * LFX_DAY);
    int64_t open_id = lfx_lead(l, &l->o->sup, args);
    int64_t leads = cfx_count(l->f, "leads");
    /* the same phone again from another channel, created earlier: merged, earliest kept */
    snprintf(args, sizeof args,
             "{\"phone\":\"13900000042\",\"channel\":\"web_autohome\",\"region\":\"浦东\","
             "\"external_ref\":\"AH-9\",\"created_at\":%lld}",
             FX_NOW - 5 * LFX_DAY);
    int64_t merged = lfx_lead(l, &l->o->sup, args);
    assert_int_equal(merged, open_id);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ofx_data(), "merged")));
    assert_int_equal(cfx_count(l->f, "leads"), leads);
    assert_int_equal(cfx_count(l->f, "lead_sources"), 1);
    struct store_lead sl = lfx_get_lead(l, open_id);
    assert_int_equal(sl.created_at, FX_NOW - 5 * LFX_DAY);
    assert_string_equal(sl.region, "浦东");
    assert_string_equal(sl.name, "周九");

    /* the platform's id again: nothing written at all */
    struct lfx_counts a, b;
    lfx_counts(l, &a);
    assert_int_equal(lfx_lead(l, &l->o->sup, args), open_id);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ofx_data(), "merged")));
    lfx_counts(l, &b);
    lfx_same(&a, &b);
}

static void test_followup_grade_cadence(void **state)
{
    struct lfx *l = *state;
    int64_t id = lfx_lead(l, &l->tel, LEAD_LIU);
    char a[256];
    /* a consultant who does not hold it may not work it; nothing changes */
    struct lfx_counts c0, c1;
    lfx_counts(l, &c0);
    args_lead(a, sizeof a, id, ",\"way\":\"phone\",\"content\":\"回访\"");
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_LEAD_FOLLOWUP, a, PROTO_E_FORBIDDEN);
    ofx_fail(l->o, l->o->api, &l->mkt, PROTO_T_LEAD_FOLLOWUP, a, PROTO_E_FORBIDDEN);
    args_lead(a, sizeof a, 424242, ",\"way\":\"phone\",\"content\":\"回访\"");
    ofx_fail(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a, PROTO_E_NOT_FOUND);
    lfx_counts(l, &c1);
    lfx_same(&c0, &c1);

    /* three calls within a week without a grade: the grade is due */
    for (int i = 0; i < 3; i++) {
        args_lead(a, sizeof a, id,
                  ",\"way\":\"phone\",\"content\":\"回访\",\"feedback\":\"再想想\"");
        ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a);
        assert_int_equal(lfx_get_lead(l, id).grade_due, i == 2);
    }
    assert_int_equal(cfx_count(l->f, "lead_followups"), 3);
    /* a follow-up with grade H: next due in 3 days, no longer due */
    args_lead(a, sizeof a, id,
              ",\"way\":\"test_drive_invite\",\"content\":\"邀约试驾\",\"grade\":\"H\"");
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a);
    struct store_lead sl = lfx_get_lead(l, id);
    assert_int_equal(sl.grade, 'H');
    assert_false(sl.grade_due);
    assert_int_equal(sl.next_due_at, l->o->now + 3 * LFX_DAY);
    assert_int_equal(sl.last_followup_at, l->o->now);
    /* lead_grade B: 15 days from now */
    args_lead(a, sizeof a, id, ",\"grade\":\"B\"");
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_GRADE, a);
    sl = lfx_get_lead(l, id);
    assert_int_equal(sl.grade, 'B');
    assert_int_equal(sl.graded_at, l->o->now);
    /* F: lost to a competitor, and then nothing more can be recorded */
    args_lead(a, sizeof a, id, ",\"grade\":\"F\",\"reason\":\"买了别家\"");
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_GRADE, a);
    assert_int_equal(lfx_get_lead(l, id).status, STORE_LEAD_LOST);
    args_lead(a, sizeof a, id, ",\"way\":\"phone\",\"content\":\"回访\"");
    ofx_fail(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a, PROTO_E_INVALID_STATE);
}

static void test_invalidate_and_assign(void **state)
{
    struct lfx *l = *state;
    int64_t id = lfx_lead(l, &l->tel, LEAD_LIU);
    char a[256];
    args_lead(a, sizeof a, id, ",\"reason\":\"not_buying\",\"note\":\"求职电话\"");
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_LEAD_INVALIDATE, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->mkt, PROTO_T_LEAD_INVALIDATE, a);
    struct store_lead sl = lfx_get_lead(l, id);
    assert_int_equal(sl.status, STORE_LEAD_INVALID);
    assert_string_equal(sl.invalid_reason, "not_buying");
    ofx_fail(l->o, l->o->api, &l->mkt, PROTO_T_LEAD_INVALIDATE, a, PROTO_E_INVALID_STATE);

    /* a supervisor hands a lead to a consultant; a consultant may not */
    int64_t id2 = lfx_lead(l, &l->tel,
                           "{\"phone\":\"13900000051\",\"name\":\"吴十\",\"model\":\"HX7\","
                           "\"budget_fen\":1,\"channel\":\"phone_out\"}");
    int64_t seq = lfx_seq(l);
    args_lead(a, sizeof a, id2, ",\"staff_no\":\"S002\",\"reason\":\"熟悉车型\"");
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_LEAD_ASSIGN, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_ASSIGN, a);
    const cJSON *as = cJSON_GetObjectItem(ofx_data(), "assignment");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(as, "to"), "id"), l->f->c2);
    assert_int_equal(lfx_int(cJSON_GetObjectItem(as, "from"), "id"), l->tel.id);
    assert_int_equal(lfx_get_lead(l, id2).owner_id, l->f->c2);
    assert_true(lfx_told(l, seq, l->f->c2, "lead_assigned"));
    args_lead(a, sizeof a, id2, ",\"staff_no\":\"F404\"");
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_ASSIGN, a, PROTO_E_BAD_FIELD);
    args_lead(a, sizeof a, id2, ",\"staff_no\":\"S012\""); /* finance cannot hold a lead */
    ofx_fail(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_ASSIGN, a, PROTO_E_BAD_FIELD);
    /* by the rule among telesales: back to telesales, owner cleared */
    args_lead(a, sizeof a, id2, ",\"role\":\"telesales\"");
    ofx_ok(l->o, l->o->api, &l->o->mgr, PROTO_T_LEAD_ASSIGN, a);
    struct store_lead back = lfx_get_lead(l, id2);
    assert_int_equal(back.owner_id, 0);
    assert_true(back.telesales_id == l->tel.id || back.telesales_id == l->tel2.id);
    assert_int_equal(cfx_count(l->f, "lead_assignments"), 4); /* create x2, hand-over, back */
}

static void test_month_end(void **state)
{
    struct lfx *l = *state;
    char a[256];
    /* c1 owns a B lead and an H lead (consultants keep what they create) */
    int64_t b = lfx_lead(l, &l->o->cons,
                         "{\"phone\":\"13900000061\",\"name\":\"甲\",\"model\":\"HX7\","
                         "\"budget_fen\":1,\"channel\":\"walk_in\",\"region\":\"浦东\"}");
    int64_t h = lfx_lead(l, &l->o->cons,
                         "{\"phone\":\"13900000062\",\"name\":\"乙\",\"model\":\"HX7\","
                         "\"budget_fen\":1,\"channel\":\"walk_in\"}");
    args_lead(a, sizeof a, h, ",\"grade\":\"H\"");
    ofx_ok(l->o, l->o->api, &l->o->cons, PROTO_T_LEAD_GRADE, a);
    assert_int_equal(lfx_get_lead(l, b).owner_id, l->f->c1);
    ofx_fail(l->o, l->o->api, &l->o->cons, PROTO_T_LEAD_MONTH_END, "", PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_MONTH_END, "");
    const cJSON *moved = cJSON_GetObjectItem(ofx_data(), "moved");
    assert_int_equal(cJSON_GetArraySize(moved), 1);
    const cJSON *m = cJSON_GetArrayItem(moved, 0);
    assert_int_equal(lfx_int(m, "lead_id"), b);
    assert_string_equal(lfx_str(m, "grade"), "B");
    assert_int_equal(lfx_int(cJSON_GetObjectItem(m, "from"), "id"), l->f->c1);
    assert_int_equal(lfx_int(cJSON_GetObjectItem(m, "to"), "id"), l->tel2.id); /* 浦东 */
    assert_int_equal(lfx_int(ofx_data(), "kept"), 1);
    struct store_lead sb = lfx_get_lead(l, b);
    assert_int_equal(sb.owner_id, 0);
    assert_int_equal(sb.telesales_id, l->tel2.id);
    assert_int_equal(lfx_get_lead(l, h).owner_id, l->f->c1);
    /* run again: nothing left to move */
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_MONTH_END, "");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ofx_data(), "moved")), 0);
}

static void test_overdue_through_tick(void **state)
{
    struct lfx *l = *state;
    int64_t id = lfx_lead(l, &l->tel, LEAD_LIU);
    struct store_lead sl = lfx_get_lead(l, id);
    int64_t due = sl.first_callback_due_at;
    int64_t seq = lfx_seq(l);
    assert_true(core_tick(l->f->core, due) >= 0);
    assert_int_equal(lfx_events(l, seq, "lead.overdue"), 0); /* exactly due is in time */
    assert_true(core_tick(l->f->core, due + 1) >= 1);
    assert_int_equal(lfx_events(l, seq, "lead.overdue"), 1);
    assert_true(lfx_told(l, seq, l->tel.id, "lead_overdue"));
    assert_int_equal(cfx_count(l->f, "lead_overdue_reports"), 1);
    /* reported once */
    int64_t seq2 = lfx_seq(l);
    assert_true(core_tick(l->f->core, due + OFX_HOUR) >= 0);
    assert_int_equal(lfx_events(l, seq2, "lead.overdue"), 0);
    /* the overdue filter of lead_list */
    l->o->now = due + 2 * OFX_HOUR;
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_LIST, "{\"overdue\":true}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 1);
    /* a follow-up moves the due time to the cadence (B: 15 days) */
    char a[256];
    args_lead(a, sizeof a, id, ",\"way\":\"phone\",\"content\":\"回访\"");
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a);
    assert_int_equal(lfx_get_lead(l, id).next_due_at, l->o->now + 15 * LFX_DAY);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_LIST, "{\"overdue\":true}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 0);
}

static void test_conversion_and_conflict_on_order(void **state)
{
    struct lfx *l = *state;
    /* c1's own lead converts when c1 orders for the customer */
    int64_t id = lfx_lead(l, &l->o->cons, LEAD_LIU);
    int64_t seq = lfx_seq(l);
    char no[40];
    ofx_create(l->o, false, no, sizeof no); /* consultant c1, phone 139 0000 0021 */
    struct store_lead sl = lfx_get_lead(l, id);
    assert_int_equal(sl.status, STORE_LEAD_CONVERTED);
    assert_int_equal(sl.grade, 'O');
    assert_true(sl.order_id > 0);
    assert_int_equal(lfx_events(l, seq, "conflict.opened"), 0);

    /* c2 orders for a customer whose lead c1 owns: a conflict, and the lead converts */
    int64_t id2 = lfx_lead(l, &l->o->cons,
                           "{\"phone\":\"13900000071\",\"name\":\"陈一\",\"model\":\"HX7\","
                           "\"budget_fen\":1,\"channel\":\"walk_in\"}");
    seq = lfx_seq(l);
    ofx_ok(l->o, l->o->api, &l->o->cons2, PROTO_T_ORDER_CREATE,
           "{\"phone\":\"13900000071\",\"customer_name\":\"陈一\",\"model\":\"HX7\","
           "\"colour\":\"白\",\"quantity\":1,\"unit_price_fen\":18980000,\"payment\":\"full\","
           "\"channel\":\"showroom\"}");
    assert_int_equal(lfx_events(l, seq, "conflict.opened"), 1);
    assert_true(lfx_told(l, seq, l->o->sup.id, "conflict_opened"));
    assert_int_equal(lfx_get_lead(l, id2).status, STORE_LEAD_CONVERTED);
    assert_int_equal(cfx_count(l->f, "conflicts"), 1);
}

static void test_reads(void **state)
{
    struct lfx *l = *state;
    int64_t id = lfx_lead(l, &l->tel, LEAD_LIU);
    lfx_lead(l, &l->tel2,
             "{\"phone\":\"13900000081\",\"name\":\"丙\",\"model\":\"HX7\",\"budget_fen\":1,"
             "\"channel\":\"walk_in\"}");
    char a[256];
    args_lead(a, sizeof a, id, ",\"way\":\"sms\",\"content\":\"发资料\"");
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_FOLLOWUP, a);
    args_lead(a, sizeof a, id, "");
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_GET, a);
    const cJSON *d = ofx_data();
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "followups")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "assignments")), 1);
    assert_string_equal(
        lfx_str(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "lead"), "customer"), "phone"),
        "13900000021"); /* staff see it whole */
    /* the other telesales person may not read T001's lead; marketing may */
    ofx_fail(l->o, l->o->api, &l->tel2, PROTO_T_LEAD_GET, a, PROTO_E_FORBIDDEN);
    ofx_ok(l->o, l->o->api, &l->mkt, PROTO_T_LEAD_GET, a);
    /* sellers list their own; supervisors all, with filters and paging */
    ofx_ok(l->o, l->o->api, &l->tel, PROTO_T_LEAD_LIST, "");
    assert_int_equal(lfx_int(ofx_data(), "total"), 1);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_LIST, "{\"limit\":1}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ofx_data(), "leads")), 1);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_LIST, "{\"owner\":\"T002\"}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 1);
    ofx_ok(l->o, l->o->api, &l->o->sup, PROTO_T_LEAD_LIST, "{\"status\":\"invalid\"}");
    assert_int_equal(lfx_int(ofx_data(), "total"), 0);
    ofx_fail(l->o, l->o->api, &l->o->fin, PROTO_T_LEAD_LIST, "", PROTO_E_FORBIDDEN);
}

static void test_board_view_masked(void **state)
{
    struct lfx *l = *state;
    lfx_lead(l, &l->tel, LEAD_LIU);
    char *text = lfx_view_text(l, "lead.created", DOMAIN_MODE_BOARD);
    assert_non_null(text);
    assert_non_null(strstr(text, "刘女士"));
    assert_null(strstr(text, "刘芳"));
    assert_null(strstr(text, "0021"));
    assert_null(strstr(text, "phone"));
    free(text);
    static const enum domain_mode hidden[] = {DOMAIN_MODE_RECEPTION, DOMAIN_MODE_STATUS,
                                              DOMAIN_MODE_DELIVERY, DOMAIN_MODE_API};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_null(lfx_view_text(l, "lead.created", hidden[i]));
    /* a repeated command id returns the first result and writes nothing */
    struct lfx_counts a, b;
    cJSON *d1 = NULL, *d2 = NULL;
    struct proto_error err;
    const char *args = "{\"phone\":\"13900000091\",\"name\":\"丁\",\"model\":\"HX7\","
                       "\"budget_fen\":1,\"channel\":\"walk_in\"}";
    assert_int_equal(
        ofx_req(l->o, l->o->api, &l->tel, PROTO_T_LEAD_CREATE, "same-1", args, &d1, &err), 0);
    lfx_counts(l, &a);
    assert_int_equal(
        ofx_req(l->o, l->o->api, &l->tel, PROTO_T_LEAD_CREATE, "same-1", args, &d2, &err), 0);
    lfx_counts(l, &b);
    lfx_same(&a, &b);
    assert_int_equal(domain_privacy_mask(d1), 0); /* stored results keep customers masked */
    assert_true(cJSON_Compare(d1, d2, 1));
    cJSON_Delete(d1);
    cJSON_Delete(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_assigns_by_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_invalid_and_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedup_merge_and_external_ref, setup, teardown),
        cmocka_unit_test_setup_teardown(test_followup_grade_cadence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalidate_and_assign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_month_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overdue_through_tick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conversion_and_conflict_on_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_board_view_masked, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Leads in the store (migration 3): add/get/update with their events, dedup merge and
 * sources, assignment history, follow-ups and their stats, overdue reporting, conversion,
 * the filtered list, staff attributes and assignment candidates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_store_fx.h"

#define DAY (24 * FX_HOUR)

static struct store_lead new_lead(const struct store_fx *f, int64_t customer, const char *channel,
                                  int64_t created_at)
{
    struct store_lead l;
    memset(&l, 0, sizeof l);
    l.site_id = f->site;
    l.customer_id = customer;
    snprintf(l.channel, sizeof l.channel, "%s", channel);
    l.grade = 'B';
    l.created_at = created_at;
    return l;
}

static int64_t add_lead(struct store_fx *f, struct store_lead *l)
{
    struct proto_error err;
    int64_t id;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_add(f->s, l, &id, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    return id;
}

static void test_add_get_update(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t seq = store_fx_last_seq(f->s);
    struct store_lead l = new_lead(f, f->customer, "web_autohome", FX_NOW - DAY);
    snprintf(l.name, sizeof l.name, "刘芳");
    snprintf(l.region, sizeof l.region, "浦东");
    snprintf(l.model_code, sizeof l.model_code, "XH7");
    snprintf(l.external_ref, sizeof l.external_ref, "AH-1001");
    l.budget_fen = 20000000;
    int64_t id = add_lead(f, &l);

    cJSON *ev = NULL;
    assert_int_equal(store_fx_events(f->s, seq, "lead.created", &ev), 1);
    cJSON *lead = cJSON_GetObjectItem(ev, "lead");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(lead, "status")), "open");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(lead, "region")), "浦东");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(lead, "model_name")), "星河 7");
    cJSON *cust = cJSON_GetObjectItem(lead, "customer");
    /* events keep the customer masked (domain_privacy_mask) */
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cust, "phone")), "138****5678");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lead, "owner")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lead, "sources")), 0);
    cJSON_Delete(ev);

    struct store_lead got;
    assert_int_equal(store_leads_get(f->s, id, &got, &err), 0);
    assert_string_equal(got.external_ref, "AH-1001");
    assert_int_equal(got.updated_at, FX_NOW - DAY);
    assert_int_equal(store_leads_find_by_ref(f->s, f->site, "AH-1001", &got, &err), 0);
    assert_int_equal(got.id, id);
    assert_int_equal(store_leads_find_by_ref(f->s, f->other_site, "AH-1001", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_leads_find_by_ref(f->s, f->site, "", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_leads_get(f->s, 999, &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* the same platform id twice at one site is refused; at another site it is fine */
    struct store_lead dup = new_lead(f, f->customer2, "web_autohome", FX_NOW);
    snprintf(dup.external_ref, sizeof dup.external_ref, "AH-1001");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_add(f->s, &dup, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    dup.site_id = f->other_site;
    assert_int_equal(store_leads_add(f->s, &dup, NULL, &err), 0);
    /* unknown channel or grade */
    struct store_lead bad = new_lead(f, f->customer2, "carrier_pigeon", FX_NOW);
    assert_int_equal(store_leads_add(f->s, &bad, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    bad = new_lead(f, f->customer2, "phone_in", FX_NOW);
    bad.grade = 'Z';
    assert_int_equal(store_leads_add(f->s, &bad, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    store_rollback(f->s);

    /* update: invalid keeps flag and status together, appends lead.updated */
    seq = store_fx_last_seq(f->s);
    got.status = STORE_LEAD_INVALID;
    snprintf(got.invalid_reason, sizeof got.invalid_reason, "缺少预算");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_update(f->s, &got, FX_NOW, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_fx_events(f->s, seq, "lead.updated", NULL), 1);
    assert_int_equal(store_leads_get(f->s, id, &got, &err), 0);
    assert_true(got.flagged_invalid);
    assert_int_equal(got.updated_at, FX_NOW);
    assert_int_equal(store_leads_open_for_customer(f->s, f->customer, &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    got.status = STORE_LEAD_OPEN; /* the stale flag from the read does not matter */
    assert_true(got.flagged_invalid);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_update(f->s, &got, FX_NOW, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_leads_open_for_customer(f->s, f->customer, &got, &err), 0);
    assert_int_equal(got.id, id);
    assert_false(got.flagged_invalid);
    got.id = 999;
    assert_int_equal(store_leads_update(f->s, &got, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* an old-style add with only the flag becomes status invalid */
    struct store_lead flagged = new_lead(f, f->customer3, "walk_in", FX_NOW);
    flagged.flagged_invalid = true;
    int64_t fid = add_lead(f, &flagged);
    assert_int_equal(store_leads_get(f->s, fid, &got, &err), 0);
    assert_int_equal(got.status, STORE_LEAD_INVALID);
}

static int collect_sources(void *ctx, const struct store_lead_source *src)
{
    struct store_lead_source *out = ctx;
    while (out->id)
        out++;
    *out = *src;
    return 0;
}

static void test_merge_and_seen(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_lead l = new_lead(f, f->customer, "web_autohome", FX_NOW - DAY);
    snprintf(l.external_ref, sizeof l.external_ref, "AH-1");
    int64_t id = add_lead(f, &l);

    /* a later inquiry fills empty fields and is recorded as a source */
    struct store_lead in = new_lead(f, f->customer, "web_yiche", FX_NOW - 2 * FX_HOUR);
    snprintf(in.name, sizeof in.name, "刘女士");
    snprintf(in.model_code, sizeof in.model_code, "XH9");
    snprintf(in.external_ref, sizeof in.external_ref, "YC-7");
    in.budget_fen = 30000000;
    struct store_lead merged;
    int64_t seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_merge(f->s, id, &in, FX_NOW, &merged, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_fx_events(f->s, seq, "lead.updated", NULL), 1);
    assert_int_equal(merged.created_at, FX_NOW - DAY);
    assert_string_equal(merged.channel, "web_autohome");
    assert_string_equal(merged.name, "刘女士");
    assert_string_equal(merged.model_code, "XH9");
    assert_int_equal(merged.budget_fen, 30000000);
    assert_string_equal(merged.external_ref, "AH-1");
    /* the source's ref finds the lead too */
    struct store_lead got;
    assert_int_equal(store_leads_find_by_ref(f->s, f->site, "YC-7", &got, &err), 0);
    assert_int_equal(got.id, id);

    /* an EARLIER inquiry takes the lead's place; the displaced one becomes a source */
    struct store_lead early = new_lead(f, f->customer, "auto_show", FX_NOW - 3 * DAY);
    snprintf(early.name, sizeof early.name, "不该覆盖");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_merge(f->s, id, &early, FX_NOW, &merged, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(merged.created_at, FX_NOW - 3 * DAY);
    assert_string_equal(merged.channel, "auto_show");
    assert_string_equal(merged.name, "刘女士"); /* filled fields are kept */
    struct store_lead_source src[4];
    memset(src, 0, sizeof src);
    assert_int_equal(store_leads_sources(f->s, id, collect_sources, src, &err), 0);
    assert_string_equal(src[0].channel, "web_yiche");
    assert_string_equal(src[0].external_ref, "YC-7");
    assert_string_equal(src[1].channel, "web_autohome");
    assert_int_equal(src[1].created_at, FX_NOW - DAY);
    assert_int_equal(src[2].id, 0);

    /* every one of the three inquiries is now "seen"; an unknown one is not */
    bool seen = false;
    assert_int_equal(store_leads_seen(f->s, id, "auto_show", "", FX_NOW - 3 * DAY, &seen, &err), 0);
    assert_true(seen);
    assert_int_equal(store_leads_seen(f->s, id, "web_autohome", "AH-1", 0, &seen, &err), 0);
    assert_true(seen);
    assert_int_equal(store_leads_seen(f->s, id, "web_yiche", "", FX_NOW - 2 * FX_HOUR, &seen, &err),
                     0);
    assert_true(seen);
    assert_int_equal(store_leads_seen(f->s, id, "web_yiche", "", FX_NOW, &seen, &err), 0);
    assert_false(seen);
    assert_int_equal(store_leads_seen(f->s, id, "referral", "", 0, &seen, &err), 0);
    assert_false(seen);

    cJSON *full;
    assert_int_equal(store_leads_json(f->s, id, &full, &err), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(full, "sources")), 2);
    cJSON_Delete(full);

    /* bad channel, unknown lead */
    struct store_lead bad = new_lead(f, f->customer, "nope", FX_NOW);
    assert_int_equal(store_leads_merge(f->s, id, &bad, FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_leads_merge(f->s, 999, &in, FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

static int collect_assign(void *ctx, const struct store_lead_assignment *a)
{
    struct store_lead_assignment *out = ctx;
    while (out->id)
        out++;
    *out = *a;
    return 0;
}

static void test_assign(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_lead l = new_lead(f, f->customer, "phone_in", FX_NOW - DAY);
    int64_t id = add_lead(f, &l);
    struct store_lead out;
    assert_int_equal(store_begin(f->s, &err), 0);
    /* the rule gives it to telesales */
    assert_int_equal(
        store_leads_assign(f->s, id, f->telesales, 0, "rule", FX_NOW + DAY, FX_NOW, &out, &err), 0);
    assert_int_equal(out.telesales_id, f->telesales);
    assert_int_equal(out.owner_id, 0);
    assert_int_equal(out.assigned_at, FX_NOW);
    assert_int_equal(out.first_callback_due_at, FX_NOW + DAY);
    assert_int_equal(out.next_due_at, FX_NOW + DAY);
    /* a supervisor hands it to a consultant, then to another */
    assert_int_equal(store_leads_assign(f->s, id, f->consultant, f->supervisor, "邀约到店",
                                        FX_NOW + 2 * DAY, FX_NOW + DAY, &out, &err),
                     0);
    assert_int_equal(out.owner_id, f->consultant);
    assert_int_equal(out.telesales_id, f->telesales);
    assert_int_equal(store_leads_assign(f->s, id, f->consultant2, f->supervisor, "撞单裁定",
                                        FX_NOW + 3 * DAY, FX_NOW + 2 * DAY, NULL, &err),
                     0);
    /* month end: back to telesales clears the owner */
    assert_int_equal(store_leads_assign(f->s, id, f->telesales2, f->supervisor, "month_end",
                                        FX_NOW + 4 * DAY, FX_NOW + 3 * DAY, &out, &err),
                     0);
    assert_int_equal(out.owner_id, 0);
    assert_int_equal(out.telesales_id, f->telesales2);
    /* nobody else holds leads; unknown staff is a bad field */
    assert_int_equal(store_leads_assign(f->s, id, f->manager, 0, "", 0, FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_leads_assign(f->s, id, 999, 0, "", 0, FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_leads_assign(f->s, 999, f->telesales, 0, "", 0, FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct store_lead_assignment h[6];
    memset(h, 0, sizeof h);
    assert_int_equal(store_leads_assignments(f->s, id, collect_assign, h, &err), 0);
    assert_int_equal(h[0].from_id, 0);
    assert_int_equal(h[0].to_id, f->telesales);
    assert_int_equal(h[0].by_id, 0);
    assert_string_equal(h[0].reason, "rule");
    assert_int_equal(h[1].from_id, f->telesales);
    assert_int_equal(h[1].by_id, f->supervisor);
    assert_int_equal(h[2].from_id, f->consultant);
    assert_int_equal(h[3].from_id, f->consultant2);
    assert_int_equal(h[3].to_id, f->telesales2);
    assert_int_equal(h[4].id, 0);
}

struct due_ctx {
    int n;
    int64_t id[8], due[8];
};

static int collect_due(void *ctx, const struct store_lead *l, int64_t due_at)
{
    struct due_ctx *d = ctx;
    if (d->n < 8) {
        d->id[d->n] = l->id;
        d->due[d->n] = due_at;
    }
    d->n++;
    return 0;
}

static int collect_followups(void *ctx, const struct store_lead_followup *fu)
{
    struct store_lead_followup *out = ctx;
    while (out->id)
        out++;
    *out = *fu;
    return 0;
}

static void test_followups_overdue_convert(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_lead l = new_lead(f, f->customer, "phone_in", FX_NOW - DAY);
    int64_t id = add_lead(f, &l);
    struct store_lead l2 = new_lead(f, f->customer2, "walk_in", FX_NOW - DAY);
    int64_t id2 = add_lead(f, &l2);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(
        store_leads_assign(f->s, id, f->telesales, 0, "rule", FX_NOW + DAY, FX_NOW, NULL, &err), 0);
    assert_int_equal(store_leads_assign(f->s, id2, f->consultant, 0, "rule", FX_NOW + 2 * DAY,
                                        FX_NOW, NULL, &err),
                     0);
    assert_int_equal(store_commit(f->s, &err), 0);

    /* nothing due yet; then the first callback of lead 1 is due, reported once */
    struct due_ctx d = {0};
    assert_int_equal(store_leads_overdue(f->s, f->site, FX_NOW + DAY - 1, collect_due, &d, &err),
                     0);
    assert_int_equal(d.n, 0);
    assert_int_equal(store_leads_overdue(f->s, f->site, FX_NOW + DAY, collect_due, &d, &err), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.id[0], id);
    assert_int_equal(d.due[0], FX_NOW + DAY);
    bool is_new = false;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(
        store_leads_overdue_record(f->s, id, FX_NOW + DAY, FX_NOW + DAY, &is_new, &err), 0);
    assert_true(is_new);
    assert_int_equal(
        store_leads_overdue_record(f->s, id, FX_NOW + DAY, FX_NOW + DAY, &is_new, &err), 0);
    assert_false(is_new);
    assert_int_equal(store_commit(f->s, &err), 0);
    memset(&d, 0, sizeof d);
    assert_int_equal(store_leads_overdue(f->s, 0, FX_NOW + 3 * DAY, collect_due, &d, &err), 0);
    assert_int_equal(d.n, 1); /* lead 1 was reported; lead 2 (other holder) is due now */
    assert_int_equal(d.id[0], id2);

    /* a follow-up with a grade moves the due time and the grade; a bad way is refused */
    struct store_lead_followup fu = {
        .lead_id = id, .grade = 'H', .staff_id = f->telesales, .at = FX_NOW + 30 * FX_HOUR};
    snprintf(fu.way, sizeof fu.way, "phone");
    snprintf(fu.content, sizeof fu.content, "确认到店时间");
    snprintf(fu.feedback, sizeof fu.feedback, "周六上午");
    int64_t fid = 0;
    int64_t seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_followup(f->s, &fu, fu.at + 3 * DAY, false, &fid, &err), 0);
    fu.grade = 0;
    fu.at += FX_HOUR;
    assert_int_equal(store_leads_followup(f->s, &fu, fu.at + 3 * DAY, true, NULL, &err), 0);
    snprintf(fu.way, sizeof fu.way, "pigeon");
    assert_int_equal(store_leads_followup(f->s, &fu, 0, false, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    snprintf(fu.way, sizeof fu.way, "sms");
    fu.grade = 'Q';
    assert_int_equal(store_leads_followup(f->s, &fu, 0, false, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    fu.grade = 0;
    fu.lead_id = 999;
    assert_int_equal(store_leads_followup(f->s, &fu, 0, false, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_true(fid > 0);
    assert_int_equal(store_fx_events(f->s, seq, "lead.updated", NULL), 2);
    struct store_lead got;
    assert_int_equal(store_leads_get(f->s, id, &got, &err), 0);
    assert_int_equal(got.grade, 'H');
    assert_int_equal(got.graded_at, FX_NOW + 30 * FX_HOUR);
    assert_int_equal(got.last_followup_at, FX_NOW + 31 * FX_HOUR);
    assert_int_equal(got.next_due_at, FX_NOW + 31 * FX_HOUR + 3 * DAY);
    assert_true(got.grade_due);
    int count = 0, graded = 0;
    assert_int_equal(store_leads_followup_stats(f->s, id, FX_NOW, &count, &graded, &err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(graded, 1);
    assert_int_equal(
        store_leads_followup_stats(f->s, id, FX_NOW + 31 * FX_HOUR, &count, &graded, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(graded, 0);
    struct store_lead_followup list[3];
    memset(list, 0, sizeof list);
    assert_int_equal(store_leads_followups(f->s, id, collect_followups, list, &err), 0);
    assert_string_equal(list[0].content, "确认到店时间");
    assert_int_equal(list[0].grade, 'H');
    assert_int_equal(list[1].grade, 0);
    assert_int_equal(list[2].id, 0);
    cJSON *full;
    assert_int_equal(store_leads_json(f->s, id, &full, &err), 0);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(full, "followups")), 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(full, "grade_due")));
    cJSON_Delete(full);

    /* conversion: open -> converted O with the order; a second time is refused */
    struct store_order o;
    memset(&o, 0, sizeof o);
    o.site_id = f->site;
    o.customer_id = f->customer;
    snprintf(o.model_code, sizeof o.model_code, "XH7");
    snprintf(o.order_no, sizeof o.order_no, "SF2611-0001");
    o.quantity = 1;
    o.unit_price_fen = o.total_fen = 18980000;
    o.times.created_at = FX_NOW + 2 * DAY;
    int64_t oid;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_orders_add(f->s, &o, &oid, &err), 0);
    assert_int_equal(store_leads_convert(f->s, id, oid, FX_NOW + 2 * DAY, &err), 0);
    assert_int_equal(store_leads_convert(f->s, id, oid, FX_NOW + 2 * DAY, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_leads_get(f->s, id, &got, &err), 0);
    assert_int_equal(got.status, STORE_LEAD_CONVERTED);
    assert_int_equal(got.grade, 'O');
    assert_int_equal(got.order_id, oid);
    assert_int_equal(got.next_due_at, 0);
    /* a converted lead is never overdue */
    memset(&d, 0, sizeof d);
    assert_int_equal(store_leads_overdue(f->s, f->site, FX_NOW + 30 * DAY, collect_due, &d, &err),
                     0);
    for (int i = 0; i < d.n; i++)
        assert_int_not_equal(d.id[i], id);
}

static int collect_ids(void *ctx, const struct store_lead *l)
{
    int64_t *ids = ctx;
    while (*ids)
        ids++;
    *ids = l->id;
    return 0;
}

static int stop_at_first(void *ctx, const struct store_lead *l)
{
    (void)ctx;
    (void)l;
    return 1;
}

static void test_list(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_lead a = new_lead(f, f->customer, "phone_in", FX_NOW - 3 * DAY);
    snprintf(a.name, sizeof a.name, "刘芳");
    a.grade = 'H';
    int64_t ida = add_lead(f, &a);
    struct store_lead b = new_lead(f, f->customer2, "walk_in", FX_NOW - 2 * DAY);
    b.status = STORE_LEAD_INVALID;
    int64_t idb = add_lead(f, &b);
    struct store_lead c = new_lead(f, f->customer3, "referral", FX_NOW - DAY);
    int64_t idc = add_lead(f, &c);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_leads_assign(f->s, idc, f->consultant, 0, "", 0, FX_NOW, NULL, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);

    int64_t ids[8] = {0};
    int total = -1;
    struct store_lead_filter flt = {.site_id = f->site, .status = -1};
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 3);
    assert_int_equal(ids[0], idc); /* newest first */
    assert_int_equal(ids[2], ida);

    memset(ids, 0, sizeof ids);
    flt.status = STORE_LEAD_OPEN;
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 2);
    flt.status = -1;
    flt.grade = 'H';
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], ida);
    flt.grade = 0;
    flt.holder_id = f->consultant;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], idc);
    flt.holder_id = 0;
    flt.q = "1111"; /* phone tail of customer 2 */
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], idb);
    flt.q = "刘";
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, NULL, &err), 0);
    assert_int_equal(ids[0], ida);
    assert_int_equal(ids[1], 0);
    flt.q = NULL;
    flt.customer_id = f->customer3;
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    /* paging */
    flt.customer_id = 0;
    flt.limit = 1;
    flt.offset = 1;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 3);
    assert_int_equal(ids[0], idb);
    assert_int_equal(ids[1], 0);
    /* bad filters, an aborted walk */
    flt.status = 9;
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    flt.status = -1;
    flt.grade = 'X';
    assert_int_equal(store_leads_list(f->s, &flt, collect_ids, ids, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    flt.grade = 0;
    assert_int_equal(store_leads_list(f->s, &flt, stop_at_first, NULL, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
}

static void test_staff_attrs_candidates(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, "浦东", " XH7 , XH9,", 4, &err), 0);
    struct store_staff st;
    assert_int_equal(store_staff_get(f->s, f->consultant, &st, &err), 0);
    assert_string_equal(st.region, "浦东");
    assert_string_equal(st.models, "XH7,XH9");
    assert_int_equal(st.ability, 4);
    /* NULL / 0 keep, "" clears */
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, NULL, "", 0, &err), 0);
    assert_int_equal(store_staff_get(f->s, f->consultant, &st, &err), 0);
    assert_string_equal(st.region, "浦东");
    assert_string_equal(st.models, "");
    assert_int_equal(st.ability, 4);
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, NULL, "XH8", 0, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_string_equal(err.field, "models");
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, NULL, NULL, 6, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, NULL, NULL, -1, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    char long_region[80];
    memset(long_region, 'x', sizeof long_region - 1);
    long_region[sizeof long_region - 1] = 0;
    assert_int_equal(store_staff_set_attrs(f->s, f->consultant, long_region, NULL, 0, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_staff_set_attrs(f->s, 999, "x", NULL, 0, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* workload: open leads held */
    struct store_lead l = new_lead(f, f->customer, "phone_in", FX_NOW);
    int64_t id1, id2;
    assert_int_equal(store_leads_add(f->s, &l, &id1, &err), 0);
    l.customer_id = f->customer2;
    assert_int_equal(store_leads_add(f->s, &l, &id2, &err), 0);
    assert_int_equal(store_leads_assign(f->s, id1, f->consultant2, 0, "", 0, FX_NOW, NULL, &err),
                     0);
    assert_int_equal(store_leads_assign(f->s, id2, f->telesales, 0, "", 0, FX_NOW, NULL, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    struct store_lead_candidate c[4];
    size_t n = 0;
    assert_int_equal(store_staff_candidates(f->s, f->site, DOMAIN_ROLE_CONSULTANT, c, 4, &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(c[0].staff_id, f->consultant);
    assert_string_equal(c[0].region, "浦东");
    assert_int_equal(c[0].ability, 4);
    assert_int_equal(c[0].open_leads, 0);
    assert_int_equal(c[1].staff_id, f->consultant2);
    assert_int_equal(c[1].open_leads, 1);
    assert_int_equal(c[1].ability, 3);
    assert_int_equal(store_staff_candidates(f->s, f->site, DOMAIN_ROLE_TELESALES, c, 1, &n, &err),
                     0);
    assert_int_equal(n, 1); /* capped */
    assert_int_equal(c[0].staff_id, f->telesales);
    assert_int_equal(c[0].open_leads, 1);
    assert_int_equal(
        store_staff_candidates(f->s, f->other_site, DOMAIN_ROLE_TELESALES, c, 4, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_staff_candidates(f->s, f->site, (enum domain_role)99, c, 4, &n, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_get_update, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_merge_and_seen, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_assign, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_followups_overdue_convert, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_list, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_staff_attrs_candidates, store_fx_setup,
                                        store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

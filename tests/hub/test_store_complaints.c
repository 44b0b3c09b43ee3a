/* Complaints in the store (migration 3): intake, responses and their stamps, validity,
 * escalation up the chain, closure and the survey, the filtered list and the JSON; the
 * satisfaction table shared with delivery ratings; once-only deadline reports; the webhook
 * outbox in seq order with retries and drops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_store_fx.h"

static struct store_complaint new_complaint(const struct store_fx *f, const char *channel)
{
    struct store_complaint c;
    memset(&c, 0, sizeof c);
    c.site_id = f->site;
    c.customer_id = f->customer;
    snprintf(c.channel, sizeof c.channel, "%s", channel);
    snprintf(c.kind, sizeof c.kind, "service");
    snprintf(c.summary, sizeof c.summary, "交车等待时间过长");
    c.level = 1;
    c.handler_id = f->supervisor;
    c.opened_at = FX_NOW;
    c.opened_by = f->consultant;
    return c;
}

static int collect_events(void *ctx, const struct store_complaint_event *e)
{
    struct store_complaint_event *out = ctx;
    while (out->id)
        out++;
    *out = *e;
    return 0;
}

static void test_life(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_complaint c = new_complaint(f, "call_centre");
    int64_t id, seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_complaints_add(f->s, &c, &id, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    cJSON *ev = NULL;
    assert_int_equal(store_fx_events(f->s, seq, "complaint.opened", &ev), 1);
    cJSON *cp = cJSON_GetObjectItem(ev, "complaint");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cp, "source")), "direct");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cp, "validity")), "unknown");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(cp, "handler"), "name")),
        "赵敏");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cp, "order")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cp, "satisfaction")));
    cJSON_Delete(ev);

    /* responses stamp the first of their kind; each is progress */
    seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_complaints_respond(f->s, id, "first_response", "已致电致歉",
                                              f->supervisor, FX_NOW + FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_respond(f->s, id, "first_response", "again", f->supervisor,
                                              FX_NOW + 2 * FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_respond(f->s, id, "contact", "约定面谈", f->supervisor,
                                              FX_NOW + 3 * FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_respond(f->s, id, "progress", "跟进中", f->supervisor,
                                              FX_NOW + 4 * FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_respond(f->s, id, "shout", "", f->supervisor, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_complaints_respond(f->s, 999, "progress", "", 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_complaints_set_validity(f->s, id, STORE_VALIDITY_VALID, "属实",
                                                   f->supervisor, FX_NOW + 4 * FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_set_validity(f->s, id, (enum store_validity)9, "",
                                                   f->supervisor, FX_NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* escalation only goes up, at most to 3 */
    assert_int_equal(store_complaints_escalate(f->s, id, 2, f->manager, "超时未回复", 0,
                                               FX_NOW + 5 * FX_HOUR, &err),
                     0);
    assert_int_equal(store_complaints_escalate(f->s, id, 2, f->manager, "", 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_complaints_escalate(f->s, id, 4, f->gm, "", 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_complaints_escalate(f->s, id, 3, f->gm, "客户要求总经理处理", f->manager,
                                               FX_NOW + 6 * FX_HOUR, &err),
                     0);
    assert_int_equal(
        store_complaints_close(f->s, id, "更换座椅并赠送保养", f->gm, FX_NOW + 7 * FX_HOUR, &err),
        0);
    /* closed: no more responses, escalation or closing */
    assert_int_equal(store_complaints_close(f->s, id, "", f->gm, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_complaints_respond(f->s, id, "progress", "", 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_complaints_escalate(f->s, id, 3, f->gm, "", 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_fx_events(f->s, seq, "complaint.updated", NULL), 8);

    struct store_complaint got;
    assert_int_equal(store_complaints_get(f->s, id, &got, &err), 0);
    assert_int_equal(got.first_response_at, FX_NOW + FX_HOUR);
    assert_int_equal(got.contact_at, FX_NOW + 3 * FX_HOUR);
    assert_int_equal(got.last_progress_at, FX_NOW + 4 * FX_HOUR);
    assert_int_equal(got.validity, STORE_VALIDITY_VALID);
    assert_string_equal(got.validity_reason, "属实");
    assert_int_equal(got.level, 3);
    assert_int_equal(got.handler_id, f->gm);
    assert_int_equal(got.state, STORE_COMPLAINT_CLOSED);
    assert_int_equal(got.closed_at, FX_NOW + 7 * FX_HOUR);
    assert_string_equal(got.resolution, "更换座椅并赠送保养");
    struct store_complaint_event evs[10];
    memset(evs, 0, sizeof evs);
    assert_int_equal(store_complaints_events(f->s, id, collect_events, evs, &err), 0);
    static const char *const kinds[] = {"first_response", "first_response", "contact",
                                        "progress",       "validity",       "escalation",
                                        "escalation",     "close"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_string_equal(evs[i].kind, kinds[i]);
    assert_int_equal(evs[5].level, 2);
    assert_int_equal(evs[5].staff_id, 0); /* the timer */
    assert_int_equal(evs[6].staff_id, f->manager);
    assert_int_equal(evs[8].id, 0);

    /* the survey: once, 1..5, shown in the complaint */
    struct store_satisfaction sv = {.site_id = f->site,
                                    .complaint_id = id,
                                    .score = 4,
                                    .staff_id = f->supervisor,
                                    .at = FX_NOW + 24 * FX_HOUR};
    snprintf(sv.comment, sizeof sv.comment, "处理及时");
    seq = store_fx_last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_satisfaction_add(f->s, &sv, NULL, &err), 0);
    assert_int_equal(store_satisfaction_add(f->s, &sv, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_fx_events(f->s, seq, "complaint.updated", &ev), 1);
    cJSON *sat = cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "complaint"), "satisfaction");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(sat, "score")), 4);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "complaint"), "events")), 8);
    cJSON_Delete(ev);
}

static void test_add_errors_and_update(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_complaint c = new_complaint(f, "telegram");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_complaints_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    c = new_complaint(f, "on_site");
    snprintf(c.kind, sizeof c.kind, "price");
    assert_int_equal(store_complaints_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    c = new_complaint(f, "on_site");
    c.level = 0;
    assert_int_equal(store_complaints_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    c = new_complaint(f, "on_site");
    c.summary[0] = 0;
    assert_int_equal(store_complaints_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    c = new_complaint(f, "on_site");
    snprintf(c.source, sizeof c.source, "rumour");
    assert_int_equal(store_complaints_add(f->s, &c, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);

    /* a low delivery rating's case: level 2, must resolve, about an order */
    struct store_order o;
    memset(&o, 0, sizeof o);
    o.site_id = f->site;
    o.customer_id = f->customer2;
    snprintf(o.model_code, sizeof o.model_code, "XH9");
    snprintf(o.order_no, sizeof o.order_no, "SF2611-0007");
    o.quantity = 1;
    o.unit_price_fen = o.total_fen = 25980000;
    o.times.created_at = FX_NOW - 48 * FX_HOUR;
    int64_t oid, id;
    assert_int_equal(store_orders_add(f->s, &o, &oid, &err), 0);
    c = new_complaint(f, "on_site");
    c.customer_id = f->customer2;
    c.order_id = oid;
    c.level = 2;
    c.handler_id = f->manager;
    c.must_resolve = true;
    c.opened_by = 0;
    snprintf(c.source, sizeof c.source, "delivery_rating");
    assert_int_equal(store_complaints_add(f->s, &c, &id, &err), 0);
    struct store_satisfaction r = {.site_id = f->site, .order_id = oid, .score = 2, .at = FX_NOW};
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    cJSON *full;
    assert_int_equal(store_complaints_json(f->s, id, &full, &err), 0);
    cJSON *order = cJSON_GetObjectItem(full, "order");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(order, "order_no")),
                        "SF2611-0007");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(full, "must_resolve")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(full, "opened_by")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(full, "satisfaction"))); /* order's, not case's */
    cJSON_Delete(full);
    assert_int_equal(store_complaints_json(f->s, 999, &full, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* general update */
    struct store_complaint got;
    assert_int_equal(store_complaints_get(f->s, id, &got, &err), 0);
    snprintf(got.summary, sizeof got.summary, "交车时漆面有划痕");
    snprintf(got.kind, sizeof got.kind, "product");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_complaints_update(f->s, &got, FX_NOW + FX_HOUR, &err), 0);
    got.id = 999;
    assert_int_equal(store_complaints_update(f->s, &got, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_complaints_get(f->s, id, &got, &err), 0);
    assert_string_equal(got.kind, "product");
    assert_int_equal(got.updated_at, FX_NOW + FX_HOUR);
    assert_true(store_complaint_channel_valid("letter"));
    assert_false(store_complaint_channel_valid("wechat"));
    assert_false(store_complaint_channel_valid(NULL));
}

static int collect_ids(void *ctx, const struct store_complaint *c)
{
    int64_t *ids = ctx;
    while (*ids)
        ids++;
    *ids = c->id;
    return 0;
}

static void test_list(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t a, b, c3;
    struct store_complaint c = new_complaint(f, "on_site");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_complaints_add(f->s, &c, &a, &err), 0);
    c.opened_at += FX_HOUR;
    assert_int_equal(store_complaints_add(f->s, &c, &b, &err), 0);
    c.opened_at += FX_HOUR;
    assert_int_equal(store_complaints_add(f->s, &c, &c3, &err), 0);
    assert_int_equal(store_complaints_escalate(f->s, b, 2, f->manager, "", 0, FX_NOW, &err), 0);
    assert_int_equal(store_complaints_close(f->s, c3, "ok", f->supervisor, FX_NOW, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    int64_t ids[4] = {0};
    int total = 0;
    struct store_complaint_filter flt = {.site_id = f->site, .state = -1};
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 3);
    assert_int_equal(ids[0], c3);
    flt.state = STORE_COMPLAINT_OPEN;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 2);
    flt.level = 2;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], b);
    flt.level = 0;
    flt.handler_id = f->supervisor;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], a);
    flt.handler_id = 0;
    flt.state = -1;
    flt.limit = 1;
    flt.offset = 2;
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, &total, &err), 0);
    assert_int_equal(total, 3);
    assert_int_equal(ids[0], a);
    assert_int_equal(ids[1], 0);
    flt.state = 7;
    assert_int_equal(store_complaints_list(f->s, &flt, collect_ids, ids, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

static void test_satisfaction(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_order o;
    memset(&o, 0, sizeof o);
    o.site_id = f->site;
    o.customer_id = f->customer;
    snprintf(o.model_code, sizeof o.model_code, "XH7");
    o.quantity = 1;
    o.times.created_at = FX_NOW;
    int64_t o1, o2;
    assert_int_equal(store_begin(f->s, &err), 0);
    snprintf(o.order_no, sizeof o.order_no, "SF2611-0001");
    assert_int_equal(store_orders_add(f->s, &o, &o1, &err), 0);
    snprintf(o.order_no, sizeof o.order_no, "SF2611-0002");
    assert_int_equal(store_orders_add(f->s, &o, &o2, &err), 0);
    struct store_satisfaction r = {.site_id = f->site, .order_id = o1, .score = 5, .at = FX_NOW};
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), 0);
    r.order_id = o2;
    r.score = 2;
    r.at = FX_NOW + FX_HOUR;
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), 0);
    r.score = 0;
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    r.score = 6;
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    r.score = 3;
    r.order_id = 0;
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    r.order_id = o1;
    r.complaint_id = 5;
    assert_int_equal(store_satisfaction_add(f->s, &r, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);
    int count = 0;
    int64_t sum = 0;
    assert_int_equal(store_satisfaction_list(f->s, f->site, FX_NOW, FX_NOW + 2 * FX_HOUR, NULL,
                                             NULL, &count, &sum, &err),
                     0);
    assert_int_equal(count, 2);
    assert_int_equal(sum, 7);
    assert_int_equal(store_satisfaction_list(f->s, f->site, FX_NOW + 1, FX_NOW + 2 * FX_HOUR, NULL,
                                             NULL, &count, &sum, &err),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(sum, 2);
    assert_int_equal(
        store_satisfaction_list(f->s, f->other_site, 0, FX_NOW * 2, NULL, NULL, &count, NULL, &err),
        0);
    assert_int_equal(count, 0);
}

static void test_deadlines(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    bool is_new = false;
    assert_int_equal(store_deadlines_record(f->s, "complaint", 1, "first_response", FX_NOW,
                                            FX_NOW + 1, &is_new, &err),
                     0);
    assert_true(is_new);
    assert_int_equal(store_deadlines_record(f->s, "complaint", 1, "first_response", FX_NOW,
                                            FX_NOW + 2, &is_new, &err),
                     0);
    assert_false(is_new);
    /* another due time of the same deadline (progress every 2 working days) is new */
    assert_int_equal(store_deadlines_record(f->s, "complaint", 1, "first_response", FX_NOW + 1,
                                            FX_NOW + 2, &is_new, &err),
                     0);
    assert_true(is_new);
    assert_int_equal(
        store_deadlines_record(f->s, "conflict", 1, "ruling", FX_NOW, FX_NOW, &is_new, &err), 0);
    assert_true(is_new);
    assert_int_equal(
        store_deadlines_record(f->s, "appointment", 1, "no_show", FX_NOW, FX_NOW, &is_new, &err),
        0);
    assert_true(is_new);
    assert_int_equal(store_deadlines_record(f->s, "order", 1, "x", FX_NOW, FX_NOW, &is_new, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_deadlines_record(f->s, "conflict", 1, "", FX_NOW, FX_NOW, &is_new, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

static int collect_sites(void *ctx, int64_t site_id)
{
    int64_t *ids = ctx;
    while (*ids)
        ids++;
    *ids = site_id;
    return 0;
}

static void test_webhooks(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    bool is_new = false;
    int64_t last = -1;
    assert_int_equal(store_webhooks_last_seq(f->s, &last, &err), 0);
    assert_int_equal(last, 0);
    assert_int_equal(
        store_webhooks_enqueue(f->s, f->site, 12, "{\"seq\":12}", FX_NOW, &is_new, &err), 0);
    assert_true(is_new);
    assert_int_equal(
        store_webhooks_enqueue(f->s, f->site, 12, "{\"seq\":12}", FX_NOW, &is_new, &err), 0);
    assert_false(is_new);
    assert_int_equal(store_webhooks_enqueue(f->s, f->site, 10, "{\"seq\":10}", FX_NOW, NULL, &err),
                     0);
    assert_int_equal(
        store_webhooks_enqueue(f->s, f->other_site, 11, "{\"seq\":11}", FX_NOW, NULL, &err), 0);
    assert_int_equal(store_webhooks_enqueue(f->s, f->site, 13, "not json", FX_NOW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_webhooks_last_seq(f->s, &last, &err), 0);
    assert_int_equal(last, 12);
    int64_t sites[4] = {0};
    assert_int_equal(store_webhooks_sites(f->s, collect_sites, sites, &err), 0);
    assert_int_equal(sites[0], f->site);
    assert_int_equal(sites[1], f->other_site);

    /* head = lowest seq of the site; a failure keeps it at the head with its next try */
    struct store_webhook w;
    assert_int_equal(store_webhooks_head(f->s, f->site, &w, &err), 0);
    assert_int_equal(w.seq, 10);
    assert_int_equal(w.state, STORE_WEBHOOK_PENDING);
    assert_int_equal(store_webhooks_retry(f->s, w.id, FX_NOW + 2000, "connect refused", &err), 0);
    assert_int_equal(store_webhooks_head(f->s, f->site, &w, &err), 0);
    assert_int_equal(w.seq, 10);
    assert_int_equal(w.tries, 1);
    assert_int_equal(w.next_try_at, FX_NOW + 2000);
    assert_string_equal(w.last_error, "connect refused");
    assert_int_equal(store_webhooks_sent(f->s, w.id, FX_NOW + 2000, &err), 0);
    assert_int_equal(store_webhooks_sent(f->s, w.id, FX_NOW + 2000, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_webhooks_head(f->s, f->site, &w, &err), 0);
    assert_int_equal(w.seq, 12);
    assert_string_equal(w.payload, "{\"seq\":12}");
    assert_int_equal(store_webhooks_drop(f->s, w.id, "20 tries", FX_NOW + 5000, &err), 0);
    assert_int_equal(store_webhooks_retry(f->s, w.id, 0, "", &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_webhooks_head(f->s, f->site, &w, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    memset(sites, 0, sizeof sites);
    assert_int_equal(store_webhooks_sites(f->s, collect_sites, sites, &err), 0);
    assert_int_equal(sites[0], f->other_site);
    assert_int_equal(sites[1], 0);
    assert_int_equal(store_webhooks_drop(f->s, 999, "", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
}

static int collect_seqs(void *ctx, const struct store_event *ev)
{
    int64_t *seqs = ctx;
    while (*seqs)
        seqs++;
    *seqs = ev->seq;
    return 0;
}

static void test_events_recent(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t s1, s2, s3, s4;
    assert_int_equal(
        store_events_append(f->s, f->site, "staff.notify", FX_NOW - 1, "{}", &s1, &err), 0);
    assert_int_equal(store_events_append(f->s, f->site, "staff.notify", FX_NOW, "{}", &s2, &err),
                     0);
    assert_int_equal(store_events_append(f->s, f->site, "visit.updated", FX_NOW, "{}", &s3, &err),
                     0);
    assert_int_equal(
        store_events_append(f->s, f->other_site, "staff.notify", FX_NOW, "{}", &s4, &err), 0);
    assert_int_equal(
        store_events_append(f->s, f->site, "staff.notify", FX_NOW + 1, "{}", &s4, &err), 0);
    int64_t seqs[6] = {0};
    assert_int_equal(store_events_notify_recent(f->s, f->site, FX_NOW, 0, collect_seqs, seqs, &err),
                     0);
    assert_int_equal(seqs[0], s4); /* newest first, since `since`, this site and kind only */
    assert_int_equal(seqs[1], s2);
    assert_int_equal(seqs[2], 0);
    memset(seqs, 0, sizeof seqs);
    assert_int_equal(store_events_notify_recent(f->s, f->site, 0, 2, collect_seqs, seqs, &err), 0);
    assert_int_equal(seqs[1], s2);
    assert_int_equal(seqs[2], 0);
    (void)s1;
    (void)s3;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_life, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_add_errors_and_update, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_list, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_satisfaction, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_deadlines, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_webhooks, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_events_recent, store_fx_setup, store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

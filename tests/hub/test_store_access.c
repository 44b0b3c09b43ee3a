/* Personal data at rest outside the customers table (hub/store_privacy.c and the walkers'
 * chokepoints): events and stored command results keep customers masked, audit records keep
 * their ids only (and the chain still verifies), an erased customer's copies are scrubbed
 * from events and commands and nobody else's are, and the access log records and lists
 * reads by customer, time and count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_store_fx.h"

/* A full customer as store_json_customer writes it. */
static char *customer_json(int64_t id, const char *name, const char *gender, const char *phone)
{
    static char buf[4][256];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, 256,
             "{\"id\":%lld,\"name\":\"%s\",\"gender\":\"%s\",\"phone\":\"%s\",\"kind\":"
             "\"individual\"}",
             (long long)id, name, gender, phone);
    return b;
}

struct event_text {
    int64_t seq;
    char data[1024];
};

static int find_event(void *ctx, const struct store_event *ev)
{
    struct event_text *t = ctx;
    if (ev->seq == t->seq)
        snprintf(t->data, sizeof t->data, "%s", ev->data);
    return 0;
}

static void event_data(struct store *s, int64_t seq, char *out, size_t outsz)
{
    struct event_text t = {.seq = seq};
    struct proto_error err;
    assert_true(store_events_after(s, seq - 1, 1, find_event, &t, &err) >= 0);
    snprintf(out, outsz, "%s", t.data);
}

static int64_t append(struct store_fx *f, const char *data)
{
    struct proto_error err;
    int64_t seq = 0;
    assert_int_equal(
        store_events_append(f->s, f->site, "visit.checked_in", FX_NOW, data, &seq, &err), 0);
    return seq;
}

/* Events and command results are masked on the way in; the JSON path too. */
static void test_events_and_commands_keep_customers_masked(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    char data[512], got[1024];
    snprintf(data, sizeof data, "{\"visit\":{\"id\":1,\"customer\":%s}}",
             customer_json(f->customer, "刘芳", "female", "13812345678"));
    int64_t seq = append(f, data);
    event_data(f->s, seq, got, sizeof got);
    assert_null(strstr(got, "刘芳"));
    assert_null(strstr(got, "13812345678"));
    assert_non_null(strstr(got, "\"name\":\"刘女士\""));
    assert_non_null(strstr(got, "\"phone\":\"138****5678\""));
    assert_non_null(strstr(got, "\"masked\":true"));

    cJSON *j = cJSON_Parse(data);
    assert_int_equal(
        store_events_append_json(f->s, f->site, "visit.updated", FX_NOW, j, &seq, &err), 0);
    /* the caller's tree is not changed */
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "visit"), "customer"),
                            "name")
            ->valuestring,
        "刘芳");
    cJSON_Delete(j);
    event_data(f->s, seq, got, sizeof got);
    assert_null(strstr(got, "刘芳"));
    assert_non_null(strstr(got, "刘女士"));

    /* events without customers are stored as given; text that is not JSON is still refused */
    seq = append(f, "{\"device_id\":3}");
    event_data(f->s, seq, got, sizeof got);
    assert_string_equal(got, "{\"device_id\":3}");
    assert_int_equal(store_events_append(f->s, f->site, "x", FX_NOW, "{\"customer\":", NULL, &err),
                     -1);

    int64_t dev;
    assert_int_equal(
        store_devices_add(f->s, f->site, "Reception 1", DOMAIN_MODE_RECEPTION,
                          "0000000000000000000000000000000000000000000000000000000000000001",
                          FX_NOW, &dev, &err),
        0);
    snprintf(data, sizeof data, "{\"order\":{\"id\":5,\"customer\":%s}}",
             customer_json(f->customer2, "王军", "male", "13900001111"));
    assert_int_equal(
        store_commands_put(f->s, dev, "c-1", "order_create",
                           "0000000000000000000000000000000000000000000000000000000000000002", data,
                           FX_NOW, &err),
        0);
    struct store_command cmd;
    assert_int_equal(store_commands_get(f->s, dev, "c-1", &cmd, &err), 0);
    assert_null(strstr(cmd.result, "王军"));
    assert_null(strstr(cmd.result, "13900001111"));
    assert_non_null(strstr(cmd.result, "王先生"));
    free(cmd.result);
}

static int collect_audit(void *ctx, const struct store_audit *a)
{
    snprintf(ctx, 1024, "%s", a->after ? a->after : "");
    return 0;
}

/* The audit keeps ids and no personal argument, before the hash: the chain verifies. */
static void test_audit_is_stripped_before_sealing(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    char after[768], got[1024] = "";
    snprintf(after, sizeof after,
             "{\"customer\":%s,\"args\":{\"phone\":\"13812345678\",\"name\":\"刘芳\",\"model\":"
             "\"XH7\"},\"consultant\":{\"id\":3,\"name\":\"张伟\"}}",
             customer_json(f->customer, "刘芳", "female", "13812345678"));
    assert_int_equal(store_audit_append(f->s, f->site, "device:1", "visit", "1", "checkin", NULL,
                                        after, FX_NOW, NULL, &err),
                     0);
    assert_int_equal(store_audit_list(f->s, "visit", "1", collect_audit, got, &err), 0);
    assert_null(strstr(got, "刘芳"));
    assert_null(strstr(got, "13812345678"));
    assert_null(strstr(got, "刘女士"));
    assert_non_null(strstr(got, "\"name\":\"[personal]\""));
    assert_non_null(strstr(got, "\"phone\":\"[personal]\""));
    assert_non_null(strstr(got, "张伟")); /* staff are not customers */
    char want_customer[64];
    snprintf(want_customer, sizeof want_customer,
             "\"customer\":{\"id\":%lld,\"kind\":", (long long)f->customer);
    assert_non_null(strstr(got, want_customer));
    /* a type whose name is not a customer's keeps the name */
    assert_int_equal(store_audit_append(f->s, 0, "cli", "staff", "S099", "staff_add", NULL,
                                        "{\"name\":\"周强\",\"phone\":\"13800000000\"}", FX_NOW,
                                        NULL, &err),
                     0);
    assert_int_equal(store_audit_list(f->s, "staff", "S099", collect_audit, got, &err), 0);
    assert_non_null(strstr(got, "周强"));
    assert_null(strstr(got, "13800000000"));
    struct store_audit_result r;
    assert_int_equal(store_audit_verify(f->s, &r, &err), 0);
    assert_true(r.ok);
    assert_int_equal(r.count, 2);
    /* bad JSON is still refused */
    assert_int_equal(
        store_audit_append(f->s, 0, "cli", "x", "1", "a", "{broken", NULL, FX_NOW, NULL, &err), -1);
}

/* Scrub: only customer 1's objects (not 11's, not an order whose own id is 1). */
static void test_scrub_replaces_only_that_customer(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    char data[768], got[1024];
    int64_t id = f->customer;
    snprintf(data, sizeof data, "{\"visit\":{\"id\":%lld,\"customer\":%s}}", (long long)id,
             customer_json(id, "刘芳", "female", "13812345678"));
    struct store_command cmd_k;
    int64_t mine = append(f, data);
    snprintf(data, sizeof data, "{\"lead\":{\"id\":2,\"customer\":%s,\"name\":\"刘芳\"}}",
             customer_json(id, "刘芳", "female", "13812345678"));
    int64_t lead = append(f, data);
    snprintf(data, sizeof data, "{\"order\":{\"id\":%lld,\"customer\":%s}}", (long long)id,
             customer_json(id * 10 + 1, "赵云", "male", "13700002222"));
    int64_t other = append(f, data);
    int64_t dev;
    assert_int_equal(
        store_devices_add(f->s, f->site, "Board", DOMAIN_MODE_BOARD,
                          "0000000000000000000000000000000000000000000000000000000000000003",
                          FX_NOW, &dev, &err),
        0);
    snprintf(data, sizeof data, "{\"lead\":{\"customer\":%s}}",
             customer_json(id, "刘芳", "female", "13812345678"));
    assert_int_equal(
        store_commands_put(f->s, dev, "c-9", "lead_create",
                           "0000000000000000000000000000000000000000000000000000000000000004", data,
                           FX_NOW, &err),
        0);
    assert_int_equal(
        store_commands_put(f->s, dev, "c-10", "ping",
                           "0000000000000000000000000000000000000000000000000000000000000005",
                           "{\"id\":1}", FX_NOW, &err),
        0);

    /* a check-in's stored result holds the kiosk's views (no customer id): theirs through
     * the visit; another customer's check-in stays */
    int64_t visits[2];
    int64_t whose[2] = {id, f->customer2};
    for (int i = 0; i < 2; i++) {
        struct store_visit v = {.site_id = f->site,
                                .customer_id = whose[i],
                                .status = STORE_VISIT_WAITING,
                                .arrived_at = FX_NOW,
                                .first_visit_said = -1,
                                .device_id = dev};
        assert_int_equal(store_visits_add(f->s, &v, &visits[i], &err), 0);
        snprintf(data, sizeof data,
                 "{\"visit\":{\"id\":%lld,\"customer\":{\"name\":\"刘女士\",\"phone\":"
                 "\"138****5678\",\"new\":true}},\"customer\":{\"name\":\"刘女士\",\"new\":"
                 "true}}",
                 (long long)visits[i]);
        char cid[16];
        snprintf(cid, sizeof cid, "k-%d", i);
        assert_int_equal(
            store_commands_put(f->s, dev, cid, "checkin",
                               "0000000000000000000000000000000000000000000000000000000000000006",
                               data, FX_NOW, &err),
            0);
    }

    int64_t n = -1;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_privacy_scrub_customer(f->s, id, &n, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(n, 5); /* three events (visit.checked_in too), two commands */
    assert_int_equal(store_commands_get(f->s, dev, "k-0", &cmd_k, &err), 0);
    assert_null(strstr(cmd_k.result, "刘"));
    assert_null(strstr(cmd_k.result, "5678"));
    free(cmd_k.result);
    assert_int_equal(store_commands_get(f->s, dev, "k-1", &cmd_k, &err), 0);
    assert_non_null(strstr(cmd_k.result, "刘女士"));
    free(cmd_k.result);

    event_data(f->s, mine, got, sizeof got);
    assert_null(strstr(got, "刘"));
    assert_null(strstr(got, "5678"));
    assert_non_null(strstr(got, "\"erased\":true"));
    event_data(f->s, lead, got, sizeof got);
    assert_null(strstr(got, "刘"));
    assert_non_null(strstr(got, "\"name\":\"\"}}")); /* the lead's own name too */
    event_data(f->s, other, got, sizeof got);
    assert_non_null(strstr(got, "赵先生"));
    assert_null(strstr(got, "erased"));
    struct store_command cmd;
    assert_int_equal(store_commands_get(f->s, dev, "c-9", &cmd, &err), 0);
    assert_null(strstr(cmd.result, "刘"));
    assert_non_null(strstr(cmd.result, "\"erased\":true"));
    free(cmd.result);
    assert_int_equal(store_commands_get(f->s, dev, "c-10", &cmd, &err), 0);
    assert_string_equal(cmd.result, "{\"id\":1}");
    free(cmd.result);

    /* a second scrub finds nothing; a bad id is refused */
    assert_int_equal(store_privacy_scrub_customer(f->s, id, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_privacy_scrub_customer(f->s, 0, &n, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

struct access_list {
    struct store_access v[16];
    int n;
};

static int collect_access(void *ctx, const struct store_access *a)
{
    struct access_list *l = ctx;
    if (l->n < 16)
        l->v[l->n++] = *a;
    return 0;
}

static void add_access(struct store_fx *f, int64_t at, const char *actor, int64_t customer,
                       const char *what)
{
    struct proto_error err;
    struct store_access a = {.at = at, .device_id = 7, .site_id = f->site, .customer_id = customer};
    snprintf(a.actor, sizeof a.actor, "%s", actor);
    snprintf(a.what, sizeof a.what, "%s", what);
    assert_int_equal(store_access_add(f->s, &a, &err), 0);
}

static void test_access_add_and_list(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    add_access(f, FX_NOW - 2 * FX_HOUR, "staff:S003", f->customer, "order_get");
    add_access(f, FX_NOW - FX_HOUR, "api:DMS", f->customer2, "order_list");
    add_access(f, FX_NOW, "staff:S008", f->customer, "lead_get");

    struct access_list l = {0};
    assert_int_equal(store_access_list(f->s, 0, 0, 0, collect_access, &l, &err), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].what, "lead_get"); /* newest first */
    assert_string_equal(l.v[0].actor, "staff:S008");
    assert_int_equal(l.v[0].customer_id, f->customer);
    assert_int_equal(l.v[0].device_id, 7);
    assert_int_equal(l.v[0].site_id, f->site);
    assert_int_equal(l.v[0].at, FX_NOW);
    assert_true(l.v[0].id > 0);
    assert_string_equal(l.v[2].what, "order_get");

    memset(&l, 0, sizeof l);
    assert_int_equal(store_access_list(f->s, f->customer, 0, 0, collect_access, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[1].customer_id, f->customer);

    memset(&l, 0, sizeof l);
    assert_int_equal(store_access_list(f->s, 0, FX_NOW - FX_HOUR, 0, collect_access, &l, &err), 0);
    assert_int_equal(l.n, 2);

    memset(&l, 0, sizeof l);
    assert_int_equal(store_access_list(f->s, 0, 0, 1, collect_access, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].what, "lead_get");

    /* bad records are refused and change nothing */
    struct store_access bad = {.at = FX_NOW, .customer_id = f->customer};
    snprintf(bad.what, sizeof bad.what, "order_get");
    assert_int_equal(store_access_add(f->s, &bad, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    snprintf(bad.actor, sizeof bad.actor, "staff:S003");
    bad.customer_id = 99999; /* no such customer */
    assert_int_equal(store_access_add(f->s, &bad, &err), -1);
    bad.customer_id = 0;
    assert_int_equal(store_access_add(f->s, &bad, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_access_list(f->s, 0, 0, 0, collect_access, &l, &err), 0);
    assert_int_equal(l.n, 3);
}

static int stop(void *ctx, const struct store_access *a)
{
    (void)ctx;
    (void)a;
    return 1;
}

static void test_access_list_aborted(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    add_access(f, FX_NOW, "cli", f->customer3, "export");
    assert_int_equal(store_access_list(f->s, 0, 0, 0, stop, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_and_commands_keep_customers_masked,
                                        store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_audit_is_stripped_before_sealing, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_scrub_replaces_only_that_customer, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_access_add_and_list, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_access_list_aborted, store_fx_setup,
                                        store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

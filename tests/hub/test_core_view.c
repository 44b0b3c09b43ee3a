/* What devices see: event views per mode (masked, internal kinds hidden), snapshots per
 * mode, the replay-or-snapshot rule, order_lookup and commits by another process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_fixture.h"

static int setup(void **state)
{
    *state = cfx_new(0);
    return 0;
}

static int teardown(void **state)
{
    cfx_free(*state);
    return 0;
}

struct views {
    struct cfx *f;
    int events;
    int seen[DOMAIN_MODE__COUNT];
    int revoked;
};

/* Every view of every event: no full phone or name anywhere, kinds only where allowed. */
static void check_views(void *ctx, const struct core_event *ev)
{
    struct views *v = ctx;
    v->events++;
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
        cJSON *view = core_event_view(v->f->core, ev, (enum domain_mode)m);
        if (strcmp(ev->kind, "staff.notify") == 0) { /* test_core_reception.c covers these */
            cJSON_Delete(view);
            continue;
        }
        if (strcmp(ev->kind, "device.revoked") == 0) {
            v->revoked++;
            assert_null(view);
            continue;
        }
        bool visit = strncmp(ev->kind, "visit.", 6) == 0;
        bool visit_mode = m == DOMAIN_MODE_RECEPTION || m == DOMAIN_MODE_BOARD;
        /* visits go to reception and board; orders to board, delivery and status; api
         * devices do not subscribe and see nothing */
        if (m == DOMAIN_MODE_API || (visit ? !visit_mode : m == DOMAIN_MODE_RECEPTION)) {
            assert_null(view);
            continue;
        }
        assert_non_null(view);
        v->seen[m]++;
        char *text = cJSON_PrintUnformatted(view);
        assert_null(strstr(text, "13812341234"));
        assert_null(strstr(text, "王小明"));
        assert_null(strstr(text, "13912340021"));
        assert_null(strstr(text, "刘芳"));
        if (visit) {
            assert_non_null(strstr(text, "138****1234"));
            assert_non_null(cJSON_GetObjectItem(view, "visit"));
        } else if (m == DOMAIN_MODE_STATUS) {
            const cJSON *wall = cJSON_GetObjectItem(view, "wall");
            assert_non_null(wall);
            assert_null(cJSON_GetObjectItem(view, "order"));
            assert_null(cJSON_GetObjectItem(wall, "customer"));
            assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(wall, "ref")), "0001"));
        } else {
            const cJSON *o = cJSON_GetObjectItem(view, "order");
            assert_non_null(o);
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                                    cJSON_GetObjectItem(o, "customer"), "name")),
                                "刘女士");
            assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "public_stage")),
                                "payment");
        }
        free(text);
        cJSON_Delete(view);
    }
}

static void test_event_views_mask_and_hide(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    cJSON *data = NULL;
    assert_int_equal(cfx_checkin(f, "r1-1",
                                 "{\"phone\":\"13812341234\",\"consent\":true,\"name\":\"王小明\","
                                 "\"gender\":\"male\"}",
                                 FX_NOW, &data, &err),
                     0);
    cJSON_Delete(data);
    int64_t cust = cfx_customer(f, "13912340021", "刘芳", DOMAIN_GENDER_FEMALE);
    char no[40];
    cfx_order(f, cust, DOMAIN_STAGE_ALLOCATED, no, sizeof no);
    assert_int_equal(store_devices_revoke(f->s, f->dev[DOMAIN_MODE_BOARD].id, FX_NOW, &err), 0);

    struct views v = {.f = f};
    /* the visit, its staff.notify, the order, the revocation */
    assert_int_equal(core_events_after(f->core, 0, 0, check_views, &v), 4);
    assert_int_equal(v.revoked, DOMAIN_MODE__COUNT);
    assert_int_equal(v.seen[DOMAIN_MODE_RECEPTION], 1); /* the visit */
    assert_int_equal(v.seen[DOMAIN_MODE_BOARD], 2);     /* the visit and the order */
    assert_int_equal(v.seen[DOMAIN_MODE_STATUS], 1);
    assert_int_equal(v.seen[DOMAIN_MODE_DELIVERY], 1);

    /* an unknown kind is nobody's */
    cJSON *d = cJSON_Parse("{\"x\":1}");
    struct core_event ev = {
        .seq = 99, .site_id = f->site, .kind = "future.kind", .at = FX_NOW, .data = d};
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++)
        assert_null(core_event_view(f->core, &ev, (enum domain_mode)m));
    cJSON_Delete(d);
}

static void assert_keys(const cJSON *state, const char *const *keys)
{
    int n = 0;
    for (const char *const *k = keys; *k; k++, n++)
        assert_non_null(cJSON_GetObjectItem(state, *k));
    assert_int_equal(cJSON_GetArraySize(state), n);
}

static void test_snapshots(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    cJSON *data = NULL;
    assert_int_equal(
        cfx_checkin(f, "r1-1", "{\"phone\":\"13812341234\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    cJSON_Delete(data);
    int64_t cust = cfx_customer(f, "13912340021", "刘芳", DOMAIN_GENDER_FEMALE);
    char no[40];
    int64_t oid = cfx_order(f, cust, DOMAIN_STAGE_READY, no, sizeof no);
    cfx_order(f, cust, DOMAIN_STAGE_ENTERED, no, sizeof no);
    (void)oid;

    static const char *const reception[] = {"site", "now", "models", "visits", NULL};
    static const char *const status[] = {"site", "now", "wall", NULL};
    static const char *const delivery[] = {"site", "now", "deliveries", NULL};
    static const char *const board[] = {"site",        "now",           "visits",    "orders",
                                        "consultants", "notifications", "conflicts", "complaints",
                                        "overdue",     "appointments",  "fleet",     NULL};
    static const char *const *const keys[DOMAIN_MODE_API] = {reception, status, delivery, board};
    int64_t api_seq = -1;
    assert_null(core_snapshot(f->core, &f->dev[DOMAIN_MODE_API], FX_NOW + 1000, &api_seq));
    for (int m = 0; m < DOMAIN_MODE_API; m++) { /* the kiosk modes */
        int64_t seq = -1;
        cJSON *st = core_snapshot(f->core, &f->dev[m], FX_NOW + 1000, &seq);
        assert_non_null(st);
        assert_int_equal(seq, core_last_seq(f->core));
        assert_keys(st, keys[m]);
        assert_string_equal(
            cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "site"), "code")),
            "SH01");
        char *text = cJSON_PrintUnformatted(st);
        assert_null(strstr(text, "13812341234"));
        assert_null(strstr(text, "刘芳"));
        free(text);
        switch (m) {
        case DOMAIN_MODE_RECEPTION:
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "models")), 1);
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "visits")), 1);
            break;
        case DOMAIN_MODE_STATUS:
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "wall")), 1);
            break;
        case DOMAIN_MODE_DELIVERY:
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "deliveries")), 1);
            break;
        case DOMAIN_MODE_BOARD: {
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "orders")), 2);
            const cJSON *cons = cJSON_GetObjectItem(st, "consultants");
            assert_int_equal(cJSON_GetArraySize(cons), 3);
            int busy = 0, on = 0;
            const cJSON *c;
            cJSON_ArrayForEach(c, cons)
            {
                busy += cJSON_IsTrue(cJSON_GetObjectItem(c, "busy"));
                on += cJSON_IsTrue(cJSON_GetObjectItem(c, "on_duty"));
            }
            assert_int_equal(busy, 1);
            assert_int_equal(on, 2);
            break;
        }
        }
        cJSON_Delete(st);
    }
}

static void append_events(struct cfx *f, int n)
{
    struct proto_error err;
    for (int i = 0; i < n; i++)
        assert_int_equal(
            store_events_append(f->s, f->site, "test.tick", FX_NOW + i, "{}", NULL, &err), 0);
}

static void test_should_replay(void **state)
{
    struct cfx *f = *state;
    append_events(f, 5);
    int64_t last = core_last_seq(f->core);
    assert_int_equal(core_should_replay(f->core, 0), 0);        /* new client */
    assert_int_equal(core_should_replay(f->core, last + 1), 0); /* restored database */
    assert_int_equal(core_should_replay(f->core, last), 1);     /* up to date */
    assert_int_equal(core_should_replay(f->core, last - 4), 1);

    /* a hub configured to replay at most 3 events */
    struct cfx *g = cfx_new(3);
    append_events(g, 5);
    last = core_last_seq(g->core);
    assert_int_equal(core_should_replay(g->core, last - 3), 1);
    assert_int_equal(core_should_replay(g->core, last - 4), 0);
    cfx_free(g);
}

static cJSON *lookup(struct cfx *f, const char *no, const char *tail, int64_t now,
                     struct proto_error *err, int *rc)
{
    cJSON *args = cJSON_CreateObject();
    cJSON_AddStringToObject(args, "order_no", no);
    cJSON_AddStringToObject(args, "phone_last4", tail);
    cJSON *data = NULL;
    *rc = core_request(f->core, &f->dev[DOMAIN_MODE_STATUS], NULL, PROTO_T_ORDER_LOOKUP, "s-1",
                       args, now, &data, err);
    cJSON_Delete(args);
    return data;
}

static void test_order_lookup(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    int rc;
    int64_t cust = cfx_customer(f, "13912340021", "刘芳", DOMAIN_GENDER_FEMALE);
    char no[40];
    cfx_order(f, cust, DOMAIN_STAGE_ALLOCATED, no, sizeof no);

    cJSON *data = lookup(f, no, "0021", FX_NOW, &err, &rc);
    assert_int_equal(rc, 0);
    const cJSON *o = cJSON_GetObjectItem(data, "order");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "order_no")), no);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "customer_name")), "刘女士");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "model")), "星河 7");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "consultant")), "张伟");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "public_stage")), "payment");
    const cJSON *tl = cJSON_GetObjectItem(o, "timeline");
    assert_int_equal(cJSON_GetArraySize(tl), 5);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(tl, 2), "state")), "current");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "todo"), 0)),
                        "pay_balance");
    char *text = cJSON_PrintUnformatted(data);
    assert_null(strstr(text, "13912340021"));
    assert_null(strstr(text, "刘芳"));
    free(text);
    cJSON_Delete(data);

    struct proto_error e_tail, e_no;
    assert_null(lookup(f, no, "9999", FX_NOW, &e_tail, &rc));
    assert_int_equal(rc, -1);
    assert_null(lookup(f, "SF2611-9999", "0021", FX_NOW, &e_no, &rc));
    assert_int_equal(rc, -1);
    /* indistinguishable answers */
    assert_int_equal(e_tail.code, PROTO_E_NOT_FOUND);
    assert_int_equal(e_no.code, PROTO_E_NOT_FOUND);
    assert_string_equal(e_tail.message, e_no.message);

    /* eight more failures make ten within the minute: then even a right answer is refused */
    for (int i = 0; i < 8; i++) {
        assert_null(lookup(f, no, "0000", FX_NOW + i, &err, &rc));
        assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    }
    assert_null(lookup(f, no, "0021", FX_NOW + 10, &err, &rc));
    assert_int_equal(err.code, PROTO_E_RATE_LIMITED);
    /* another device is not affected */
    cJSON *args = cJSON_Parse("{\"order_no\":\"x\",\"phone_last4\":\"0000\"}");
    struct core_device other = f->dev[DOMAIN_MODE_STATUS];
    other.id += 100;
    assert_int_equal(
        core_request(f->core, &other, NULL, PROTO_T_ORDER_LOOKUP, "o-1", args, FX_NOW, &data, &err),
        -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    cJSON_Delete(args);
    /* a minute later the device may try again */
    data = lookup(f, no, "0021", FX_NOW + 10 + 60000, &err, &rc);
    assert_int_equal(rc, 0);
    cJSON_Delete(data);

    /* failures spread out over more than a minute never block */
    for (int i = 0; i < 12; i++)
        assert_null(lookup(f, no, "0000", FX_NOW + 200000 + i * 7000LL, &err, &rc));
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

static void test_poll_external(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    (void)core_poll_external(f->core); /* the fixture's setup was an external commit */
    assert_int_equal(core_poll_external(f->core), 0);
    /* the admin CLI commits through its own connection */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_devices_revoke(f->s, f->dev[DOMAIN_MODE_BOARD].id, FX_NOW, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(core_poll_external(f->core), 1);
    assert_int_equal(core_poll_external(f->core), 0);
    assert_int_equal(core_device_active(f->core, f->dev[DOMAIN_MODE_BOARD].id), 0);
    /* the core's own commits are not "external" */
    cJSON *data = NULL;
    assert_int_equal(
        cfx_checkin(f, "r1-1", "{\"phone\":\"13812341234\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    cJSON_Delete(data);
    assert_int_equal(core_poll_external(f->core), 0);
    assert_int_equal(core_health(f->core), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_views_mask_and_hide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_should_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll_external, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The order tests' helpers (see test_core_orders_fx.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_orders_fx.h"

static cJSON *last_data; /* the data of the latest ofx_ok, freed by the next call */

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("setup failed: %s (%s)", err->message, proto_error_code(err->code));
}

/* A staff row (the PIN is never used: tests hand core_request the login directly). */
static struct core_staff staff(struct ofx *o, int64_t site, const char *no, const char *name,
                               enum domain_role role)
{
    struct proto_error err;
    struct core_staff st = {.site_id = site, .role = role, .expires_at = INT64_MAX};
    ok(store_staff_add(o->f->s, site, no, name, role, "$argon2id$v=19$m=8,t=1,p=1$x$x", &st.id,
                       &err),
       &err);
    snprintf(st.staff_no, sizeof st.staff_no, "%s", no);
    snprintf(st.name, sizeof st.name, "%s", name);
    return st;
}

struct ofx *ofx_new(void)
{
    struct ofx *o = calloc(1, sizeof *o);
    struct proto_error err;
    assert_non_null(o);
    o->f = cfx_new(0);
    o->now = FX_NOW;
    ok(store_begin(o->f->s, &err), &err);
    o->cons = (struct core_staff){.id = o->f->c1,
                                  .site_id = o->f->site,
                                  .role = DOMAIN_ROLE_CONSULTANT,
                                  .expires_at = INT64_MAX};
    snprintf(o->cons.staff_no, sizeof o->cons.staff_no, "S001");
    o->cons2 = o->cons;
    o->cons2.id = o->f->c2;
    snprintf(o->cons2.staff_no, sizeof o->cons2.staff_no, "S002");
    o->sup = staff(o, o->f->site, "S010", "王主管", DOMAIN_ROLE_SUPERVISOR);
    o->mgr = staff(o, o->f->site, "S011", "赵经理", DOMAIN_ROLE_MANAGER);
    o->fin = staff(o, o->f->site, "S012", "钱财务", DOMAIN_ROLE_FINANCE);
    o->adm = staff(o, o->f->site, "S013", "孙管理", DOMAIN_ROLE_ADMIN);
    o->other = staff(o, o->f->other_site, "B010", "周主管", DOMAIN_ROLE_SUPERVISOR);
    ok(store_commit(o->f->s, &err), &err);
    o->api = &o->f->dev[DOMAIN_MODE_API];
    o->delivery = &o->f->dev[DOMAIN_MODE_DELIVERY];
    o->board = &o->f->dev[DOMAIN_MODE_BOARD];
    return o;
}

void ofx_free(struct ofx *o)
{
    cJSON_Delete(last_data);
    last_data = NULL;
    cfx_free(o->f);
    free(o);
}

int ofx_req(struct ofx *o, struct core_device *dev, const struct core_staff *st,
            enum proto_type type, const char *id, const char *args_json, cJSON **data,
            struct proto_error *err)
{
    cJSON *args = args_json && *args_json ? cJSON_Parse(args_json) : cJSON_CreateObject();
    if (!args)
        fail_msg("test args do not parse: %s", args_json);
    /* what the network layer does first: the protocol table judges the args */
    if (proto_validate_args(type, args, err)) {
        cJSON_Delete(args);
        *data = NULL;
        return -1;
    }
    o->now += 1000;
    int rc = core_request(o->f->core, dev, st, type, id, args, o->now, data, err);
    cJSON_Delete(args);
    return rc;
}

const cJSON *ofx_ok(struct ofx *o, struct core_device *dev, const struct core_staff *st,
                    enum proto_type type, const char *args_json)
{
    static int n;
    char id[32];
    snprintf(id, sizeof id, "ok-%d", ++n);
    struct proto_error err = {0};
    cJSON_Delete(last_data);
    last_data = NULL;
    if (ofx_req(o, dev, st, type, id, args_json, &last_data, &err) != 0)
        fail_msg("%s %s refused: %s (%s) field=%s", proto_type_name(type), args_json,
                 proto_error_code(err.code), err.message, err.field);
    assert_non_null(last_data);
    const cJSON *order = cJSON_GetObjectItem(last_data, "order");
    return order ? order : last_data;
}

const cJSON *ofx_data(void)
{
    return last_data;
}

struct proto_error ofx_fail(struct ofx *o, struct core_device *dev, const struct core_staff *st,
                            enum proto_type type, const char *args_json, enum proto_err code)
{
    static int n;
    char id[32];
    snprintf(id, sizeof id, "fail-%d", ++n);
    struct proto_error err = {0};
    cJSON *data = NULL;
    int rc = ofx_req(o, dev, st, type, id, args_json, &data, &err);
    if (rc != -1 || err.code != code)
        fail_msg("%s %s: want %s, got rc=%d %s (%s)", proto_type_name(type), args_json,
                 proto_error_code(code), rc, proto_error_code(err.code), err.message);
    assert_null(data);
    return err;
}

void ofx_vehicle(struct ofx *o, const char *vin)
{
    struct proto_error err;
    struct store_vehicle v = {.site_id = o->f->site,
                              .state = STORE_VEHICLE_IN_STOCK,
                              .created_at = FX_NOW,
                              .updated_at = FX_NOW};
    snprintf(v.vin, sizeof v.vin, "%s", vin);
    snprintf(v.model_code, sizeof v.model_code, "HX7");
    snprintf(v.colour, sizeof v.colour, "珍珠白");
    ok(store_vehicles_add(o->f->s, &v, NULL, &err), &err);
}

void ofx_create(struct ofx *o, bool loan, char *no, size_t nosz)
{
    char args[512];
    snprintf(args, sizeof args,
             "{\"phone\":\"139 0000 0021\",\"customer_name\":\"刘芳\",\"gender\":\"female\","
             "\"model\":\"HX7\",\"colour\":\"珍珠白\",\"quantity\":1,\"unit_price_fen\":%lld,"
             "\"payment\":\"%s\",\"channel\":\"showroom\"}",
             OFX_PRICE, loan ? "loan" : "full");
    const cJSON *order = ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_CREATE, args);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(order, "stage")), "entered");
    snprintf(no, nosz, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(order, "order_no")));
}

static const char *stage_of(const cJSON *order)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(order, "stage"));
}

void ofx_walk(struct ofx *o, enum domain_stage stage, const char *vin, char *no, size_t nosz)
{
    char a[256];
    ofx_create(o, false, no, nosz);
    if (stage == DOMAIN_STAGE_ENTERED)
        return;
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"pass\":true}", no);
    assert_string_equal(stage_of(ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_REVIEW, a)), "reviewed");
    if (stage == DOMAIN_STAGE_REVIEWED)
        return;
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"approve\":true}", no);
    assert_string_equal(stage_of(ofx_ok(o, o->api, &o->mgr, PROTO_T_ORDER_APPROVE, a)), "approved");
    if (stage == DOMAIN_STAGE_APPROVED)
        return;
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"vin\":\"%s\"}", no, vin);
    assert_string_equal(stage_of(ofx_ok(o, o->api, &o->sup, PROTO_T_ORDER_ALLOCATE, a)),
                        "allocated");
    if (stage == DOMAIN_STAGE_ALLOCATED)
        return;
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"amount_fen\":%lld,\"kind\":\"balance\",\"reference\":\"P1\"}",
             no, OFX_PRICE);
    assert_string_equal(stage_of(ofx_ok(o, o->api, &o->fin, PROTO_T_PAYMENT_CONFIRM, a)), "paid");
    if (stage == DOMAIN_STAGE_PAID)
        return;
    snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"invoice_no\":\"INV-%s\"}", no, no);
    ofx_ok(o, o->api, &o->fin, PROTO_T_INVOICE_ISSUE, a);
    static const char *const steps[] = {"cleaning", "inspection", "maintenance"};
    for (int i = 0; i < 3; i++) {
        snprintf(a, sizeof a, "{\"order_no\":\"%s\",\"step\":\"%s\"}", no, steps[i]);
        ofx_ok(o, o->api, &o->cons, PROTO_T_VEHICLE_PREP, a);
    }
    snprintf(a, sizeof a,
             "{\"order_no\":\"%s\",\"delivery_at\":%lld,\"delivery_place\":\"交车区 2\","
             "\"documents\":{\"invoice\":true,\"coc\":true,\"warranty\":true}}",
             no, FX_NOW + 48 * OFX_HOUR);
    assert_string_equal(stage_of(ofx_ok(o, o->api, &o->cons, PROTO_T_ORDER_READY, a)), "ready");
}

static int64_t count_sql(struct ofx *o, const char *sql, const char *param)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(o->f->db, sql, -1, &st, NULL), SQLITE_OK);
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

const char *ofx_vehicle_state(struct ofx *o, const char *vin)
{
    static char state[32];
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(o->f->db, "SELECT state FROM vehicles WHERE vin = ?", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, vin, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return state;
}

void ofx_counts(struct ofx *o, const char *no, struct ofx_counts *out)
{
    memset(out, 0, sizeof *out);
    out->orders = cfx_count(o->f, "orders");
    out->audit = cfx_count(o->f, "audit");
    out->events = count_sql(o, "SELECT coalesce(max(seq), 0) FROM events", NULL);
    out->payments = cfx_count(o->f, "payments");
    out->refunds = cfx_count(o->f, "refunds");
    out->requests = cfx_count(o->f, "order_requests");
    out->notes = cfx_count(o->f, "order_notes");
    out->signoffs = cfx_count(o->f, "signoffs");
    out->vehicles = cfx_count(o->f, "vehicles");
    out->commands = cfx_count(o->f, "commands");
    out->reserved = count_sql(o, "SELECT count(*) FROM vehicles WHERE state = 'reserved'", NULL);
    if (no) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(o->f->db,
                                            "SELECT stage || ':' || updated_at FROM orders "
                                            "WHERE order_no = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, no, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(out->stage, sizeof out->stage, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
}

void ofx_assert_same(const struct ofx_counts *a, const struct ofx_counts *b)
{
    assert_int_equal(a->orders, b->orders);
    assert_int_equal(a->audit, b->audit);
    assert_int_equal(a->events, b->events);
    assert_int_equal(a->payments, b->payments);
    assert_int_equal(a->refunds, b->refunds);
    assert_int_equal(a->requests, b->requests);
    assert_int_equal(a->notes, b->notes);
    assert_int_equal(a->signoffs, b->signoffs);
    assert_int_equal(a->vehicles, b->vehicles);
    assert_int_equal(a->commands, b->commands);
    assert_int_equal(a->reserved, b->reserved);
    assert_string_equal(a->stage, b->stage);
}

struct last_ev {
    const char *kind;
    cJSON *data;
    int64_t seq;
};

static void last_ev_cb(void *ctx, const struct core_event *ev)
{
    struct last_ev *l = ctx;
    if (strcmp(ev->kind, l->kind) != 0)
        return;
    cJSON_Delete(l->data);
    l->data = cJSON_Duplicate(ev->data, 1);
    l->seq = ev->seq;
}

cJSON *ofx_last_event(struct ofx *o, const char *kind, int64_t *seq)
{
    struct last_ev l = {.kind = kind};
    assert_true(core_events_after(o->f->core, 0, 0, last_ev_cb, &l) >= 0);
    if (seq)
        *seq = l.seq;
    return l.data;
}

/* The order life cycle in the store (migration 2): the new order fields and setters with their
 * events, the filtered order list, inventory, money, change and cancellation requests, notes,
 * sign-offs, settings and time-limit breaches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

#define NOW  1795312800000LL /* 2026-11-22 10:00 in UTC+8 */
#define HOUR 3600000LL
#define VIN1 "LSVAU2180N2183294"
#define VIN2 "LSVAU2180N2183295"

struct fx {
    char path[64];
    struct store *s;
    int64_t site, other_site, consultant, consultant2, supervisor, manager, finance;
    int64_t customer, customer2;
};

static void temp_path(char *path, size_t sz)
{
    snprintf(path, sz, "/tmp/sf-test-orders-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
}

static void remove_db(const char *path)
{
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int64_t add_staff(struct fx *f, const char *no, const char *name, enum domain_role r)
{
    struct proto_error err;
    int64_t id;
    assert_int_equal(store_staff_add(f->s, f->site, no, name, r, "$argon2id$fake", &id, &err), 0);
    return id;
}

static int64_t add_customer(struct fx *f, const char *phone, const char *name)
{
    struct proto_error err;
    struct store_customer c = {.gender = DOMAIN_GENDER_FEMALE, .created_at = NOW};
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    snprintf(c.name, sizeof c.name, "%s", name);
    int64_t id;
    assert_int_equal(store_customers_add(f->s, &c, &id, &err), 0);
    return id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct proto_error err;
    temp_path(f->path, sizeof f->path);
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_sites_add(f->s, "SH01", "上海浦东店", 480, &f->site, &err), 0);
    assert_int_equal(store_sites_add(f->s, "BJ01", "北京店", 480, &f->other_site, &err), 0);
    f->consultant = add_staff(f, "S003", "张伟", DOMAIN_ROLE_CONSULTANT);
    f->consultant2 = add_staff(f, "S004", "李娜", DOMAIN_ROLE_CONSULTANT);
    f->supervisor = add_staff(f, "S007", "赵敏", DOMAIN_ROLE_SUPERVISOR);
    f->manager = add_staff(f, "S008", "孙浩", DOMAIN_ROLE_MANAGER);
    f->finance = add_staff(f, "S009", "吴芳", DOMAIN_ROLE_FINANCE);
    assert_int_equal(store_models_add(f->s, "XH7", "星河 7", "Xinghe 7", 18980000, NULL, &err), 0);
    assert_int_equal(store_models_add(f->s, "XH5", "星河 5", "Xinghe 5", 14980000, NULL, &err), 0);
    f->customer = add_customer(f, "13812341234", "王小明");
    f->customer2 = add_customer(f, "13900005678", "刘芳");
    assert_int_equal(store_commit(f->s, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    remove_db(f->path);
    free(f);
    return 0;
}

static int64_t last_seq(struct store *s)
{
    int64_t seq = -1;
    struct proto_error err;
    assert_int_equal(store_events_last_seq(s, &seq, &err), 0);
    return seq;
}

/* Adds an order at `stage` for the consultant; returns its id. */
static int64_t add_order(struct fx *f, int64_t customer, int64_t consultant,
                         enum domain_stage stage, int64_t created)
{
    struct proto_error err;
    struct store_order o = {.site_id = f->site,
                            .customer_id = customer,
                            .consultant_id = consultant,
                            .quantity = 1,
                            .unit_price_fen = 18980000,
                            .total_fen = 18980000,
                            .payment = DOMAIN_PAY_LOAN,
                            .stage = stage,
                            .times = {.created_at = created},
                            .received_at = created - HOUR};
    snprintf(o.model_code, sizeof o.model_code, "XH7");
    snprintf(o.colour, sizeof o.colour, "珍珠白");
    snprintf(o.config, sizeof o.config, "四驱旗舰版");
    snprintf(o.special_requests, sizeof o.special_requests, "加装行车记录仪");
    snprintf(o.channel, sizeof o.channel, "showroom");
    int64_t id;
    assert_int_equal(store_orders_next_no(f->s, created, o.order_no, sizeof o.order_no, &err), 0);
    assert_int_equal(store_orders_add(f->s, &o, &id, &err), 0);
    return id;
}

struct hit {
    char kind[64];
    char *data;
};

static int take_event(void *ctx, const struct store_event *ev)
{
    struct hit *h = ctx;
    snprintf(h->kind, sizeof h->kind, "%s", ev->kind);
    free(h->data);
    h->data = strdup(ev->data);
    return 0;
}

/* The newest event, which must be `kind`, parsed; *order is its "order". Caller deletes the
 * returned root. */
static cJSON *last_order_event(struct store *s, const char *kind, cJSON **order)
{
    struct proto_error err;
    struct hit h = {{0}, NULL};
    assert_int_equal(store_events_after(s, last_seq(s) - 1, 1, take_event, &h, &err), 1);
    assert_string_equal(h.kind, kind);
    cJSON *root = cJSON_Parse(h.data);
    free(h.data);
    assert_non_null(root);
    *order = cJSON_GetObjectItem(root, "order");
    assert_non_null(*order);
    return root;
}

static int64_t num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    assert_non_null(v);
    return cJSON_IsNull(v) ? 0 : (int64_t)cJSON_GetNumberValue(v);
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    assert_non_null(v);
    return cJSON_IsNull(v) ? "" : cJSON_GetStringValue(v);
}

static int64_t sql_int(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ---- 2. order fields, update and setters ---- */

static void test_order_fields_and_setters(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_ENTERED, NOW);
    struct store_order o;
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_string_equal(o.config, "四驱旗舰版");
    assert_string_equal(o.special_requests, "加装行车记录仪");
    assert_string_equal(o.channel, "showroom");
    assert_int_equal(o.received_at, NOW - HOUR);
    assert_int_equal(o.entered_at, NOW); /* entered when created */

    /* each setter writes one thing and appends order.updated with the full order */
    cJSON *ord, *root;
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_REVIEWED, NOW + 1, &err), 0);
    root = last_order_event(f->s, "order.updated", &ord);
    assert_string_equal(str(ord, "stage"), "reviewed");
    assert_int_equal(num(ord, "reviewed_at"), NOW + 1);
    assert_int_equal(num(ord, "initial_decided_at"), NOW + 1);
    cJSON_Delete(root);
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_RETURNED, NOW + 2, &err), 0);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.final_decided_at, NOW + 2); /* returned from final review */
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_ENTERED, NOW + 3, &err), 0);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.entered_at, NOW + 3); /* resubmitted: the review clock restarts */
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_RETURNED, NOW + 4, &err), 0);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.initial_decided_at, NOW + 4); /* returned from initial review */
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_ENTERED, NOW + 5, &err), 0);
    assert_int_equal(store_orders_set_review(f->s, id, "[\"guarantee\"]", "", NOW + 6, &err), 0);
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_REVIEWED, NOW + 6, &err), 0);
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_APPROVED, NOW + 7, &err), 0);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.final_decided_at, NOW + 7);
    assert_int_equal(o.times.approved_at, NOW + 7);
    assert_string_equal(o.review_conditions, "[\"guarantee\"]");

    assert_int_equal(store_orders_set_allocation(f->s, id, "stock", VIN1, NOW + 8, &err), 0);
    assert_int_equal(store_orders_set_allocation(f->s, id, "borrowed", "", NOW + 8, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_orders_set_allocation(f->s, id, "stock", "SHORTVIN", NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_orders_set_prep(f->s, id, "cleaning", NOW + 9, &err), 0);
    assert_int_equal(store_orders_set_prep(f->s, id, "inspection", NOW + 10, &err), 0);
    assert_int_equal(store_orders_set_prep(f->s, id, "maintenance", NOW + 11, &err), 0);
    assert_int_equal(store_orders_set_prep(f->s, id, "polishing", NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_orders_set_loan_step(f->s, id, "documents", NOW + 12, &err), 0);
    assert_int_equal(store_orders_set_loan_step(f->s, id, "bank_approved", NOW + 13, &err), 0);
    assert_int_equal(store_orders_set_loan_step(f->s, id, "contract_signed", NOW + 14, &err), 0);
    assert_int_equal(store_orders_set_loan_step(f->s, id, "cosigned", NOW, &err), -1);
    assert_int_equal(store_orders_set_invoice(f->s, id, "INV-0001", NOW + 15, &err), 0);
    assert_int_equal(store_orders_set_documents(f->s, id, true, true, false, NOW + 16, &err), 0);
    assert_int_equal(store_orders_set_documents(f->s, id, true, true, true, NOW + 17, &err), 0);
    assert_int_equal(store_orders_set_eta(f->s, id, NOW + 72 * HOUR, NOW + 18, &err), 0);
    assert_int_equal(store_orders_set_refund_due(f->s, id, 500000, NOW + 19, &err), 0);
    assert_int_equal(store_orders_set_refund_due(f->s, id, -1, NOW + 19, &err), -1);

    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_string_equal(o.alloc_kind, "stock");
    assert_string_equal(o.vin, VIN1);
    assert_int_equal(o.prep_cleaning_at, NOW + 9);
    assert_int_equal(o.prep_inspection_at, NOW + 10);
    assert_int_equal(o.prep_maintenance_at, NOW + 11);
    assert_int_equal(o.loan_documents_at, NOW + 12);
    assert_int_equal(o.loan_approved_at, NOW + 13);
    assert_int_equal(o.loan_contract_at, NOW + 14);
    assert_string_equal(o.invoice_no, "INV-0001");
    assert_int_equal(o.doc_invoice_at, NOW + 16); /* kept from the first stamp */
    assert_int_equal(o.doc_warranty_at, NOW + 17);
    assert_int_equal(o.eta, NOW + 72 * HOUR);
    assert_int_equal(o.eta_changed_at, NOW + 18);
    assert_int_equal(o.refund_due_fen, 500000);
    assert_int_equal(o.updated_at, NOW + 19);

    root = last_order_event(f->s, "order.updated", &ord);
    assert_string_equal(str(ord, "vin"), VIN1);
    assert_string_equal(str(ord, "alloc_kind"), "stock");
    assert_string_equal(str(ord, "invoice_no"), "INV-0001");
    assert_string_equal(str(ord, "config"), "四驱旗舰版");
    assert_string_equal(str(ord, "channel"), "showroom");
    assert_int_equal(num(ord, "prep_maintenance"), NOW + 11);
    assert_int_equal(num(ord, "loan_approved_at"), NOW + 13);
    assert_int_equal(num(ord, "doc_coc"), NOW + 16);
    assert_int_equal(num(ord, "eta_changed_at"), NOW + 18);
    assert_int_equal(num(ord, "refund_due_fen"), 500000);
    assert_int_equal(num(ord, "received_at"), NOW - HOUR);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(ord, "review_conditions"), 0)),
        "guarantee");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ord, "cancel_request")));
    cJSON_Delete(root);

    /* the general form: read, change, write back */
    o.quantity = 2;
    o.total_fen = 2 * o.unit_price_fen;
    snprintf(o.last_reason, sizeof o.last_reason, "客户追加一台");
    int64_t before = last_seq(f->s);
    assert_int_equal(store_orders_update(f->s, &o, NOW + 20, &err), 0);
    assert_int_equal(last_seq(f->s), before + 1);
    struct store_order back;
    assert_int_equal(store_orders_get(f->s, id, &back, &err), 0);
    assert_int_equal(back.quantity, 2);
    assert_int_equal(back.total_fen, 2 * 18980000);
    assert_string_equal(back.last_reason, "客户追加一台");
    o.id = 9999;
    assert_int_equal(store_orders_update(f->s, &o, NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    o.id = id;
    snprintf(o.alloc_kind, sizeof o.alloc_kind, "lent");
    assert_int_equal(store_orders_update(f->s, &o, NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_orders_set_stage(f->s, id, DOMAIN_STAGE_CLOSED, NOW + 30, &err), 0);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.closed_at, NOW + 30);
    assert_int_equal(store_commit(f->s, &err), 0);
}

/* ---- 3. order list: filters and paging ---- */

struct nos {
    int n;
    char no[16][STORE_ORDER_NO_MAX + 1];
};

static int collect_no(void *ctx, const struct store_order *o)
{
    struct nos *l = ctx;
    if (l->n < 16)
        snprintf(l->no[l->n++], STORE_ORDER_NO_MAX + 1, "%s", o->order_no);
    return 0;
}

static void test_order_list_filters(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t ids[6];
    for (int i = 0; i < 6; i++)
        ids[i] =
            add_order(f, i < 4 ? f->customer : f->customer2, i % 2 ? f->consultant2 : f->consultant,
                      i < 3 ? DOMAIN_STAGE_ENTERED : DOMAIN_STAGE_APPROVED, NOW + i * HOUR);
    assert_int_equal(store_commit(f->s, &err), 0);
    struct store_order o5;
    assert_int_equal(store_orders_get(f->s, ids[5], &o5, &err), 0);

    struct store_order_filter flt = {.site_id = f->site, .stage = -1};
    struct nos l = {0};
    int total = -1;
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 6);
    assert_int_equal(l.n, 6);
    assert_string_equal(l.no[0], o5.order_no); /* newest first */

    flt.stage = DOMAIN_STAGE_ENTERED;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 3);
    flt.consultant_id = f->consultant2;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 1); /* entered (0..2) and consultant2 (odd): only #1 */

    flt = (struct store_order_filter){.site_id = f->site, .stage = -1, .q = "5678"};
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 2); /* customer2's phone ends 5678 */
    flt.q = "78";               /* too short to be a phone tail */
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 0);
    flt.q = o5.order_no;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 1);
    assert_string_equal(l.no[0], o5.order_no);

    flt = (struct store_order_filter){.site_id = f->site, .stage = -1, .limit = 2, .offset = 4};
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 6);
    assert_int_equal(l.n, 2);
    flt.offset = 6;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, NULL, &err), 0);
    assert_int_equal(l.n, 0);
    flt = (struct store_order_filter){.site_id = f->other_site, .stage = -1};
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), 0);
    assert_int_equal(total, 0); /* another site sees none */
    flt.stage = 99;
    assert_int_equal(store_orders_list(f->s, &flt, collect_no, &l, &total, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

/* ---- 4. vehicles ---- */

static int count_vehicles(void *ctx, const struct store_vehicle *v)
{
    (void)v;
    ++*(int *)ctx;
    return 0;
}

static void test_vehicles(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_true(store_vin_valid(VIN1));
    assert_false(store_vin_valid("LSVAU2180N218329"));  /* 16 */
    assert_false(store_vin_valid("LSVAU2180N2183I94")); /* I */
    assert_false(store_vin_valid("lsvau2180n2183294")); /* lower case */
    assert_int_equal(store_vehicle_state_from_name("reserved"), STORE_VEHICLE_RESERVED);
    assert_int_equal(store_vehicle_state_from_name("sold"), -1);

    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t order = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_APPROVED, NOW);
    struct store_vehicle v = {
        .site_id = f->site, .state = STORE_VEHICLE_IN_STOCK, .created_at = NOW};
    snprintf(v.vin, sizeof v.vin, VIN1);
    snprintf(v.model_code, sizeof v.model_code, "XH7");
    snprintf(v.colour, sizeof v.colour, "曜石黑");
    assert_int_equal(store_vehicles_add(f->s, &v, NULL, &err), 0);
    assert_int_equal(store_vehicles_add(f->s, &v, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE); /* duplicate VIN */
    snprintf(v.vin, sizeof v.vin, VIN2);
    snprintf(v.model_code, sizeof v.model_code, "NOPE");
    assert_int_equal(store_vehicles_add(f->s, &v, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD); /* unknown model */
    snprintf(v.model_code, sizeof v.model_code, "XH5");
    v.state = STORE_VEHICLE_RESERVED; /* reserved needs an order */
    assert_int_equal(store_vehicles_add(f->s, &v, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    v.state = STORE_VEHICLE_IN_STOCK;
    assert_int_equal(store_vehicles_add(f->s, &v, NULL, &err), 0);

    assert_int_equal(store_vehicles_reserve(f->s, VIN1, order, NOW + 1, &err), 0);
    assert_int_equal(store_vehicles_reserve(f->s, VIN1, order, NOW + 1, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_non_null(strstr(err.message, "reserved"));
    struct store_vehicle got;
    assert_int_equal(store_vehicles_find(f->s, VIN1, &got, &err), 0);
    assert_int_equal(got.state, STORE_VEHICLE_RESERVED);
    assert_int_equal(got.order_id, order);
    assert_int_equal(got.updated_at, NOW + 1);
    int n = 0;
    assert_int_equal(
        store_vehicles_list(f->s, f->site, STORE_VEHICLE_IN_STOCK, NULL, count_vehicles, &n, &err),
        0);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(store_vehicles_list(f->s, 0, -1, "XH7", count_vehicles, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_vehicles_release(f->s, VIN1, NOW + 2, &err), 0);
    assert_int_equal(store_vehicles_find(f->s, VIN1, &got, &err), 0);
    assert_int_equal(got.state, STORE_VEHICLE_IN_STOCK);
    assert_int_equal(got.order_id, 0);
    assert_int_equal(store_vehicles_release(f->s, VIN1, NOW + 2, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_vehicles_deliver(f->s, VIN1, NOW + 3, &err), -1); /* not reserved */
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_vehicles_reserve(f->s, VIN1, order, NOW + 4, &err), 0);
    assert_int_equal(store_vehicles_deliver(f->s, VIN1, NOW + 5, &err), 0);
    assert_int_equal(store_vehicles_find(f->s, VIN1, &got, &err), 0);
    assert_int_equal(got.state, STORE_VEHICLE_DELIVERED);
    assert_int_equal(got.order_id, order);
    assert_int_equal(store_vehicles_find(f->s, "LSVAU2180N2183299", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_vehicles_release(f->s, "LSVAU2180N2183299", NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_commit(f->s, &err), 0);
}

/* ---- 5. payments and refunds ---- */

static int sum_payments(void *ctx, const struct store_payment *p)
{
    *(int64_t *)ctx += p->amount_fen;
    return 0;
}

static int sum_refunds(void *ctx, const struct store_refund *r)
{
    *(int64_t *)ctx += r->amount_fen;
    return 0;
}

static void test_payments_refunds(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_ALLOCATED, NOW);
    struct store_payment p = {
        .order_id = id, .amount_fen = 500000, .at = NOW, .staff_id = f->finance};
    snprintf(p.kind, sizeof p.kind, "deposit");
    snprintf(p.reference, sizeof p.reference, "POS-1");
    int64_t before = last_seq(f->s);
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), 0);
    assert_int_equal(last_seq(f->s), before + 1); /* order.updated */
    snprintf(p.kind, sizeof p.kind, "down_payment");
    p.amount_fen = 5000000;
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), 0);
    snprintf(p.kind, sizeof p.kind, "loan_disbursement");
    p.amount_fen = 13480000;
    p.staff_id = 0;
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), 0);
    snprintf(p.kind, sizeof p.kind, "cash_in_envelope");
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    snprintf(p.kind, sizeof p.kind, "balance");
    p.amount_fen = 0;
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    p.amount_fen = 1;
    p.order_id = 9999;
    assert_int_equal(store_payments_add(f->s, &p, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD); /* no such order: the reference fails */

    struct store_order o;
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.paid_fen, 500000 + 5000000 + 13480000);
    assert_int_equal(o.down_payment_fen, 5000000);
    assert_int_equal(o.loan_disbursed_fen, 13480000);
    int64_t sum = 0;
    assert_int_equal(store_payments_list(f->s, id, sum_payments, &sum, &err), 0);
    assert_int_equal(sum, o.paid_fen);

    struct store_refund r = {.order_id = id, .amount_fen = 300000, .at = NOW + 1};
    snprintf(r.reference, sizeof r.reference, "RF-1");
    assert_int_equal(store_refunds_add(f->s, &r, NULL, &err), 0);
    assert_int_equal(store_refunds_add(f->s, &r, NULL, &err), 0);
    r.amount_fen = -5;
    assert_int_equal(store_refunds_add(f->s, &r, NULL, &err), -1);
    sum = 0;
    assert_int_equal(store_refunds_list(f->s, id, sum_refunds, &sum, &err), 0);
    assert_int_equal(sum, 600000);
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.refunded_fen, 600000);
    assert_int_equal(store_commit(f->s, &err), 0);
}

/* ---- 6. change and cancellation requests ---- */

static int count_requests(void *ctx, const struct store_request *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static void test_requests(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_string_equal(store_request_kind_name(STORE_REQUEST_CANCEL), "cancel");
    assert_string_equal(store_request_state_name(STORE_REQUEST_APPLIED), "applied");
    assert_string_equal(store_decision_name(STORE_DECISION_REJECTED), "rejected");
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_APPROVED, NOW);
    struct store_request *r = calloc(1, sizeof *r), *got = calloc(1, sizeof *got);
    r->order_id = id;
    r->kind = STORE_REQUEST_CHANGE;
    snprintf(r->changes, sizeof r->changes,
             "{\"colour\": {\"old\": \"珍珠白\", \"new\": \"曜石黑\"}}");
    snprintf(r->reason, sizeof r->reason, "客户改颜色");
    r->needs_manager = false;
    r->requested_by = f->consultant;
    r->requested_at = NOW + 1;
    int64_t rid, rid2;
    assert_int_equal(store_requests_add(f->s, r, &rid, &err), 0);
    assert_int_equal(store_requests_add(f->s, r, &rid2, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE); /* one open change at a time */
    assert_non_null(strstr(err.message, "open change request"));

    /* the pending request is in the order's JSON, changes stored canonically */
    cJSON *full;
    assert_int_equal(store_orders_json(f->s, id, &full, &err), 0);
    cJSON *cr = cJSON_GetObjectItem(full, "change_request");
    assert_true(cJSON_IsObject(cr));
    assert_string_equal(str(cr, "state"), "pending");
    assert_string_equal(
        str(cJSON_GetObjectItem(cJSON_GetObjectItem(cr, "changes"), "colour"), "new"), "曜石黑");
    cJSON_Delete(full);
    assert_int_equal(store_requests_get(f->s, rid, got, &err), 0);
    assert_string_equal(got->changes, "{\"colour\":{\"new\":\"曜石黑\",\"old\":\"珍珠白\"}}");

    /* supervisor approves and says a manager must too: still pending */
    assert_int_equal(store_requests_decide(f->s, rid, STORE_REVIEWER_MANAGER, true, false,
                                           f->manager, "", NOW + 2, NULL, &err),
                     -1); /* manager before supervisor */
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_requests_decide(f->s, rid, STORE_REVIEWER_SUPERVISOR, true, true,
                                           f->supervisor, "同意", NOW + 2, got, &err),
                     0);
    assert_int_equal(got->state, STORE_REQUEST_PENDING);
    assert_true(got->needs_manager);
    assert_int_equal(got->supervisor_decision, STORE_DECISION_APPROVED);
    assert_int_equal(store_requests_decide(f->s, rid, STORE_REVIEWER_SUPERVISOR, true, false,
                                           f->supervisor, "", NOW + 3, NULL, &err),
                     -1); /* the supervisor decided already */
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_requests_set_applied(f->s, rid, NOW + 3, &err), -1); /* not approved */
    assert_int_equal(store_requests_decide(f->s, rid, STORE_REVIEWER_MANAGER, true, false,
                                           f->manager, "批准", NOW + 4, got, &err),
                     0);
    assert_int_equal(got->state, STORE_REQUEST_APPROVED);
    assert_int_equal(got->manager_id, f->manager);
    assert_string_equal(got->manager_reason, "批准");
    assert_int_equal(store_requests_set_applied(f->s, rid, NOW + 5, &err), 0);
    assert_int_equal(store_requests_get(f->s, rid, got, &err), 0);
    assert_int_equal(got->state, STORE_REQUEST_APPLIED);
    assert_int_equal(got->closed_at, NOW + 5);
    assert_int_equal(store_requests_open(f->s, id, STORE_REQUEST_CHANGE, got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* a second change may open now; a change that needs no manager is approved at once */
    assert_int_equal(store_requests_add(f->s, r, &rid2, &err), 0);
    assert_int_equal(store_requests_decide(f->s, rid2, STORE_REVIEWER_SUPERVISOR, true, false,
                                           f->supervisor, "", NOW + 6, got, &err),
                     0);
    assert_int_equal(got->state, STORE_REQUEST_APPROVED);
    assert_int_equal(store_requests_decide(f->s, rid2, STORE_REVIEWER_MANAGER, true, false,
                                           f->manager, "", NOW + 6, got, &err),
                     -1);

    /* cancellation: its own kind, open alongside; rejection closes it */
    memset(r, 0, sizeof *r);
    r->order_id = id;
    r->kind = STORE_REQUEST_CANCEL;
    snprintf(r->reason, sizeof r->reason, "客户资金问题");
    r->requested_by = f->consultant;
    r->requested_at = NOW + 7;
    int64_t cid;
    assert_int_equal(store_requests_add(f->s, r, &cid, &err), 0);
    assert_int_equal(store_requests_open(f->s, id, STORE_REQUEST_CANCEL, got, &err), 0);
    assert_int_equal(got->id, cid);
    assert_string_equal(got->changes, "");
    assert_int_equal(store_requests_decide(f->s, cid, STORE_REVIEWER_SUPERVISOR, false, false,
                                           f->supervisor, "再沟通", NOW + 8, got, &err),
                     0);
    assert_int_equal(got->state, STORE_REQUEST_REJECTED);
    assert_int_equal(got->closed_at, NOW + 8);
    assert_int_equal(store_requests_decide(f->s, cid, STORE_REVIEWER_SUPERVISOR, true, false,
                                           f->supervisor, "", NOW + 9, got, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    int n = 0;
    assert_int_equal(store_requests_list(f->s, id, count_requests, &n, &err), 0);
    assert_int_equal(n, 3);
    cJSON *j = store_requests_json(got);
    assert_non_null(j);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "changes")));
    assert_string_equal(str(cJSON_GetObjectItem(j, "supervisor"), "decision"), "rejected");
    assert_string_equal(str(cJSON_GetObjectItem(j, "supervisor"), "reason"), "再沟通");
    cJSON_Delete(j);
    assert_int_equal(store_commit(f->s, &err), 0);
    free(r);
    free(got);
}

/* ---- 7. notes ---- */

static int count_notes(void *ctx, const struct store_note *n)
{
    (void)n;
    ++*(int *)ctx;
    return 0;
}

static void test_notes(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_ALLOCATED, NOW);
    struct store_note n = {
        .order_id = id, .customer_visible = false, .staff_id = f->consultant, .at = NOW + 1};
    snprintf(n.way, sizeof n.way, "phone");
    snprintf(n.summary, sizeof n.summary, "电话确认交车时间");
    int64_t before = last_seq(f->s);
    assert_int_equal(store_notes_add(f->s, &n, NULL, &err), 0);
    assert_int_equal(last_seq(f->s), before); /* private: nothing the kiosks see */
    n.customer_visible = true;
    n.at = NOW + 2;
    snprintf(n.way, sizeof n.way, "wechat");
    snprintf(n.summary, sizeof n.summary, "车辆预计下周到店");
    assert_int_equal(store_notes_add(f->s, &n, NULL, &err), 0);
    assert_int_equal(last_seq(f->s), before + 1);
    snprintf(n.way, sizeof n.way, "pigeon");
    assert_int_equal(store_notes_add(f->s, &n, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    snprintf(n.way, sizeof n.way, "email");
    n.summary[0] = 0;
    assert_int_equal(store_notes_add(f->s, &n, NULL, &err), -1);
    int count = 0;
    assert_int_equal(store_notes_list(f->s, id, false, count_notes, &count, &err), 0);
    assert_int_equal(count, 2);
    count = 0;
    assert_int_equal(store_notes_list(f->s, id, true, count_notes, &count, &err), 0);
    assert_int_equal(count, 1);
    struct store_order o;
    assert_int_equal(store_orders_get(f->s, id, &o, &err), 0);
    assert_int_equal(o.eta_notified_at, NOW + 2);
    int64_t at = -1;
    assert_int_equal(store_notes_visible_since(f->s, id, NOW, &at, &err), 0);
    assert_int_equal(at, NOW + 2);
    assert_int_equal(store_notes_visible_since(f->s, id, NOW + 3, &at, &err), 0);
    assert_int_equal(at, 0);
    assert_int_equal(store_commit(f->s, &err), 0);
}

/* ---- 8. sign-offs ---- */

static void test_signoffs(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_READY, NOW);
    struct store_signoff so = {
        .order_id = id,
        .staff_id = f->consultant,
        .at = NOW + 5,
        .checklist = "{\"keys\": true, \"coc\": true}",
        .strokes = "[[[10, 20, 0], [11, 22, 16]], [[30, 40, 100]]]",
        .rating = 5,
    };
    snprintf(so.comment, sizeof so.comment, "很满意");
    char hash[STORE_HASH_HEX_LEN + 1];
    assert_int_equal(store_signoffs_add(f->s, &so, NULL, hash, &err), 0);
    /* the documented sealed text, hashed here independently */
    char text[512];
    snprintf(text, sizeof text,
             "{\"at\":1795312800005,\"checklist\":{\"coc\":true,\"keys\":true},"
             "\"comment\":\"很满意\",\"device_id\":0,\"order_id\":%lld,"
             "\"png_sha256\":\"\",\"rating\":5,\"staff_id\":%lld,"
             "\"strokes\":[[[10,20,0],[11,22,16]],[[30,40,100]]]}",
             (long long)id, (long long)f->consultant);
    unsigned char h[32];
    char hex[65];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_string_equal(hash, hex);

    assert_int_equal(store_signoffs_add(f->s, &so, NULL, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE); /* one per order */
    so.order_id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_READY, NOW);
    so.strokes = "[[1,2";
    assert_int_equal(store_signoffs_add(f->s, &so, NULL, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    so.strokes = "[]";
    so.rating = 6;
    assert_int_equal(store_signoffs_add(f->s, &so, NULL, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct store_signoff got;
    assert_int_equal(store_signoffs_get(f->s, id, &got, &err), 0);
    assert_string_equal(got.hash, hash);
    assert_string_equal(got.checklist, "{\"coc\":true,\"keys\":true}");
    assert_string_equal(got.strokes, "[[[10,20,0],[11,22,16]],[[30,40,100]]]");
    assert_int_equal(got.rating, 5);
    assert_string_equal(got.comment, "很满意");
    store_signoff_free(&got);
    store_signoff_free(&got); /* idempotent */
    assert_int_equal(store_signoffs_get(f->s, so.order_id, &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* the rows cannot be changed or deleted, even with plain SQL */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE signoffs SET rating = 1", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM signoffs", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sql_int(db, "SELECT rating FROM signoffs"), 5);
    sqlite3_close(db);
}

/* ---- 9. settings and breaches ---- */

struct setting_rows {
    int n, defaults;
    int64_t initial;
};

static int collect_setting(void *ctx, const char *key, int64_t value, bool is_default)
{
    struct setting_rows *r = ctx;
    r->n++;
    r->defaults += is_default;
    if (strcmp(key, "initial_review_hours") == 0)
        r->initial = value;
    return 0;
}

static int count_breach(void *ctx, const char *kind, int64_t due_at, int64_t at)
{
    (void)kind;
    assert_true(at > due_at);
    ++*(int *)ctx;
    return 0;
}

static void test_settings_and_breaches(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t v = 0;
    bool def = false;
    assert_int_equal(store_settings_get(f->s, f->site, "initial_review_hours", &v, &def, &err), 0);
    assert_int_equal(v, DOMAIN_SLA_DEFAULT_INITIAL_REVIEW);
    assert_true(def);
    assert_int_equal(store_settings_get(f->s, f->site, "lunch_hours", &v, &def, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_settings_set(f->s, f->site, "initial_review_hours", 6, &err), 0);
    assert_int_equal(store_settings_set(f->s, f->site, "initial_review_hours", 7, &err), 0);
    assert_int_equal(store_settings_set(f->s, f->site, "close_hours", 0, &err), -1);
    assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
    assert_int_equal(store_settings_set(f->s, f->site, "nap_hours", 3, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_settings_get(f->s, f->site, "initial_review_hours", &v, &def, &err), 0);
    assert_int_equal(v, 7);
    assert_false(def);
    assert_int_equal(
        store_settings_get(f->s, f->other_site, "initial_review_hours", &v, &def, &err), 0);
    assert_int_equal(v, DOMAIN_SLA_DEFAULT_INITIAL_REVIEW); /* per site */
    struct setting_rows rows = {0};
    assert_int_equal(store_settings_list(f->s, f->site, collect_setting, &rows, &err), 0);
    assert_int_equal(rows.n, DOMAIN_SLA__COUNT);
    assert_int_equal(rows.defaults, DOMAIN_SLA__COUNT - 1);
    assert_int_equal(rows.initial, 7);
    struct domain_sla_settings sla;
    assert_int_equal(store_settings_sla(f->s, f->site, &sla, &err), 0);
    assert_int_equal(sla.hours[DOMAIN_SLA_INITIAL_REVIEW], 7);
    assert_int_equal(sla.hours[DOMAIN_SLA_CLOSE], DOMAIN_SLA_DEFAULT_CLOSE);

    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t id = add_order(f, f->customer, f->consultant, DOMAIN_STAGE_ENTERED, NOW);
    bool is_new = false;
    const char *kind = domain_sla_kind_name(DOMAIN_SLA_INITIAL_REVIEW);
    assert_int_equal(
        store_sla_record(f->s, id, kind, NOW + 4 * HOUR, NOW + 5 * HOUR, &is_new, &err), 0);
    assert_true(is_new);
    assert_int_equal(
        store_sla_record(f->s, id, kind, NOW + 4 * HOUR, NOW + 6 * HOUR, &is_new, &err), 0);
    assert_false(is_new); /* once per (order, kind) */
    assert_int_equal(store_sla_record(f->s, id, domain_sla_kind_name(DOMAIN_SLA_ENTRY), NOW,
                                      NOW + 1, &is_new, &err),
                     0);
    assert_true(is_new);
    assert_int_equal(store_sla_record(f->s, id, "coffee", NOW, NOW + 1, &is_new, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_commit(f->s, &err), 0);
    int n = 0;
    assert_int_equal(store_sla_list(f->s, id, count_breach, &n, &err), 0);
    assert_int_equal(n, 2);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_fields_and_setters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vehicles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payments_refunds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signoffs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_and_breaches, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The core tests' shared fixture (see test_core_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core_secret.h"
#include "test_core_fixture.h"

/* Argon2id is slow on purpose: hash the fixture PIN once per test program. */
static char pin_hash[CORE_SECRET_PIN_HASH_SIZE];

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("setup failed: %s (%s)", err->message, proto_error_code(err->code));
}

struct cfx *cfx_new(int replay_max)
{
    struct cfx *f = calloc(1, sizeof *f);
    struct proto_error err;
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/sf-test-core-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    struct core_options opt = {.db_path = f->path, .replay_max = replay_max};
    ok(core_open(&f->core, &opt, &err), &err);
    ok(store_open(&f->s, f->path, &err), &err);
    assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
    if (!pin_hash[0])
        assert_int_equal(core_secret_pin_hash(FX_PIN, pin_hash), 0);

    struct store *s = f->s;
    ok(store_begin(s, &err), &err);
    ok(store_sites_add(s, "SH01", "上海浦东店", 480, &f->site, &err), &err);
    ok(store_sites_add(s, "BJ01", "北京店", 480, &f->other_site, &err), &err);
    ok(store_staff_add(s, f->site, "S001", "张伟", DOMAIN_ROLE_CONSULTANT, pin_hash, &f->c1, &err),
       &err);
    ok(store_staff_add(s, f->site, "S002", "李娜", DOMAIN_ROLE_CONSULTANT, pin_hash, &f->c2, &err),
       &err);
    ok(store_staff_add(s, f->site, "S003", "刘洋", DOMAIN_ROLE_CONSULTANT, pin_hash, &f->c3, &err),
       &err);
    ok(store_staff_add(s, f->site, "T001", "陈静", DOMAIN_ROLE_TELESALES, pin_hash, &f->t1, &err),
       &err);
    ok(store_staff_add(s, f->other_site, "B001", "周杰", DOMAIN_ROLE_CONSULTANT, pin_hash,
                       &f->other_staff, &err),
       &err);
    ok(store_staff_set_duty(s, f->c1, FX_DAY, STORE_DUTY_ON, &err), &err);
    ok(store_staff_set_duty(s, f->c2, FX_DAY, STORE_DUTY_ON, &err), &err);
    ok(store_staff_set_duty(s, f->c3, FX_DAY, STORE_DUTY_REST, &err), &err);
    ok(store_models_add(s, "HX7", "星河 7", "Xinghe 7", 18980000, NULL, &err), &err);
    static const char *const names[] = {"Reception 1", "Status 1", "Delivery 1", "Board 1",
                                        "API 1"};
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
        char hash[CORE_SECRET_HASH_LEN + 1];
        assert_int_equal(
            core_secret_token_new(f->tokens[m], sizeof f->tokens[m], hash, sizeof hash), 0);
        ok(store_devices_add(s, f->site, names[m], (enum domain_mode)m, hash, FX_NOW - 100000, NULL,
                             &err),
           &err);
    }
    ok(store_commit(s, &err), &err);
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++)
        ok(core_auth_device(f->core, f->tokens[m], "test", FX_NOW - 1000, &f->dev[m], &err), &err);
    return f;
}

void cfx_free(struct cfx *f)
{
    char p[96];
    if (!f)
        return;
    core_close(f->core);
    store_close(f->s);
    sqlite3_close(f->db);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s.signing-key", f->path); /* made by the first delivery */
    unlink(p);
    free(f);
}

int64_t cfx_count(struct cfx *f, const char *table)
{
    char sql[96];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int64_t cfx_customer(struct cfx *f, const char *phone, const char *name, enum domain_gender g)
{
    struct proto_error err;
    struct store_customer c = {.gender = g, .created_at = FX_NOW - 86400000LL};
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    snprintf(c.name, sizeof c.name, "%s", name);
    int64_t id = 0;
    ok(store_customers_add(f->s, &c, &id, &err), &err);
    return id;
}

int cfx_checkin(struct cfx *f, const char *id, const char *args_json, int64_t now, cJSON **data,
                struct proto_error *err)
{
    cJSON *args = cJSON_Parse(args_json);
    assert_non_null(args);
    int rc = core_request(f->core, &f->dev[DOMAIN_MODE_RECEPTION], NULL, PROTO_T_CHECKIN, id, args,
                          now, data, err);
    cJSON_Delete(args);
    return rc;
}

int64_t cfx_order(struct cfx *f, int64_t customer, enum domain_stage stage, char *no, size_t nosz)
{
    struct proto_error err;
    struct store_order o = {.site_id = f->site,
                            .customer_id = customer,
                            .consultant_id = f->c1,
                            .quantity = 1,
                            .unit_price_fen = 18980000,
                            .total_fen = 18980000,
                            .payment = DOMAIN_PAY_FULL,
                            .paid_fen = 2000000,
                            .stage = stage,
                            .times = {.created_at = FX_NOW - 50000,
                                      .approved_at = FX_NOW - 40000,
                                      .allocated_at = FX_NOW - 30000}};
    snprintf(o.model_code, sizeof o.model_code, "HX7");
    snprintf(o.colour, sizeof o.colour, "珍珠白");
    int64_t id = 0;
    ok(store_begin(f->s, &err), &err);
    ok(store_orders_next_no(f->s, FX_NOW - 50000, o.order_no, sizeof o.order_no, &err), &err);
    ok(store_orders_add(f->s, &o, &id, &err), &err);
    ok(store_commit(f->s, &err), &err);
    snprintf(no, nosz, "%s", o.order_no);
    return id;
}

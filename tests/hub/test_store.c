/* The SQLite store: opening and migrating, refusing foreign or future files, constraints,
 * every aggregate's round trip, the event log and the events written with changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"

#define NOW    1795312800000LL /* 2026-11-22 10:00 in UTC+8 */
#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

struct fx {
    char path[64];
    struct store *s;
    int64_t site, other_site, consultant, telesales, customer;
};

static void temp_path(char *path, size_t sz)
{
    snprintf(path, sz, "/tmp/sf-test-store-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* the store creates it; mkstemp only reserved a unique name */
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

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct proto_error err;
    temp_path(f->path, sizeof f->path);
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_sites_add(f->s, "SH01", "上海浦东店", 480, &f->site, &err), 0);
    assert_int_equal(store_sites_add(f->s, "BJ01", "北京店", 480, &f->other_site, &err), 0);
    assert_int_equal(store_staff_add(f->s, f->site, "S001", "张伟", DOMAIN_ROLE_CONSULTANT,
                                     "$argon2id$fake", &f->consultant, &err),
                     0);
    assert_int_equal(store_staff_add(f->s, f->site, "T001", "陈静", DOMAIN_ROLE_TELESALES,
                                     "$argon2id$fake", &f->telesales, &err),
                     0);
    assert_int_equal(store_models_add(f->s, "HX7", "星河 7", "Xinghe 7", 18980000, NULL, &err), 0);
    struct store_customer c = {.gender = DOMAIN_GENDER_MALE, .consent_at = NOW, .created_at = NOW};
    snprintf(c.phone, sizeof c.phone, "13812341234");
    snprintf(c.name, sizeof c.name, "王小明");
    snprintf(c.consent_version, sizeof c.consent_version, "v1");
    assert_int_equal(store_customers_add(f->s, &c, &f->customer, &err), 0);
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

static void test_fresh_db_migrated_and_reopen_is_noop(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    char id[65];
    snprintf(id, sizeof id, "%s", store_hub_id(f->s));
    assert_int_equal(strlen(id), 32);
    store_close(f->s);
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_string_equal(store_hub_id(f->s), id); /* identity survives a reopen */
    struct store_site site;
    assert_int_equal(store_sites_find(f->s, "SH01", &site, &err), 0); /* data kept */

    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), store_schema_version());
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_future_db_refused(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    store_close(f->s);
    f->s = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", store_schema_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct store *s = NULL;
    assert_int_equal(store_open(&s, f->path, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_non_null(strstr(err.message, "newer"));
    /* reopened for teardown: restore the version */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", store_schema_version());
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
}

static void test_garbage_and_foreign_files_refused(void **state)
{
    char path[64];
    struct proto_error err;
    struct store *s = NULL;
    temp_path(path, sizeof path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 512; i++)
        fputs("this is not a database ", fp);
    fclose(fp);
    assert_int_equal(store_open(&s, path, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_non_null(strstr(err.message, "not a database"));
    remove_db(path);

    /* a valid SQLite file that is somebody else's */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(&s, path, &err), -1);
    assert_non_null(strstr(err.message, "not a Showfloor database"));
    remove_db(path);

    /* a Showfloor database cut short (a bad copy): refused, never half-used */
    assert_int_equal(store_open(&s, path, &err), 0);
    store_close(s);
    s = NULL;
    assert_int_equal(truncate(path, 1000), 0);
    assert_int_equal(store_open(&s, path, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    remove_db(path);
    (void)state;
}

static void test_constraints(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t id;
    /* foreign key: a device of a site that does not exist */
    assert_int_equal(store_devices_add(f->s, 999, "K1", DOMAIN_MODE_STATUS, HASH_A, NOW, &id, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* unique: the same site code twice */
    assert_int_equal(store_sites_add(f->s, "SH01", "again", 480, &id, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    /* check: an offset outside any time zone */
    assert_int_equal(store_sites_add(f->s, "XX01", "nowhere", 5000, &id, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* check: a token hash that is not 64 hex characters */
    assert_int_equal(
        store_devices_add(f->s, f->site, "K1", DOMAIN_MODE_STATUS, "short", NOW, &id, &err), -1);
    /* a lead with an unknown model code */
    struct store_lead l = {.site_id = f->site, .customer_id = f->customer, .grade = 'H'};
    snprintf(l.channel, sizeof l.channel, "walk_in");
    snprintf(l.model_code, sizeof l.model_code, "NOPE");
    assert_int_equal(store_leads_add(f->s, &l, &id, &err), -1);
    l.model_code[0] = '\0';
    l.grade = 'Z';
    assert_int_equal(store_leads_add(f->s, &l, &id, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
}

static void test_sites_staff_duty(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct store_site site;
    assert_int_equal(store_sites_get(f->s, f->site, &site, &err), 0);
    assert_string_equal(site.name, "上海浦东店");
    assert_int_equal(site.utc_offset_min, 480);
    assert_int_equal(store_sites_find(f->s, "NOPE", &site, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    struct store_staff st;
    assert_int_equal(store_staff_find(f->s, "S001", &st, &err), 0);
    assert_int_equal(st.id, f->consultant);
    assert_int_equal(st.role, DOMAIN_ROLE_CONSULTANT);
    assert_true(st.active);
    /* every role round-trips through the schema's CHECK */
    for (int r = 0; r < DOMAIN_ROLE__COUNT; r++) {
        char no[16];
        int64_t id;
        snprintf(no, sizeof no, "R%02d", r);
        assert_int_equal(store_staff_add(f->s, f->other_site, no, "某人", (enum domain_role)r,
                                         "$argon2id$fake", &id, &err),
                         0);
        assert_int_equal(store_staff_get(f->s, id, &st, &err), 0);
        assert_int_equal(st.role, r);
    }

    int64_t c2;
    assert_int_equal(store_staff_add(f->s, f->site, "S002", "李娜", DOMAIN_ROLE_CONSULTANT,
                                     "$argon2id$fake", &c2, &err),
                     0);
    assert_int_equal(store_staff_set_duty(f->s, f->consultant, "2026-11-22", STORE_DUTY_ON, &err),
                     0);
    assert_int_equal(store_staff_set_duty(f->s, c2, "2026-11-22", STORE_DUTY_ON, &err), 0);
    assert_int_equal(store_staff_set_duty(f->s, c2, "2026-11-22", STORE_DUTY_REST, &err), 0);
    assert_int_equal(store_staff_set_duty(f->s, c2, "22/11/2026", STORE_DUTY_ON, &err), -1);
    assert_int_equal(store_staff_set_last_assigned(f->s, f->consultant, NOW - 5000, &err), 0);

    /* one waiting visit today for the first consultant, one from yesterday (ignored) */
    struct store_visit v = {.site_id = f->site,
                            .customer_id = f->customer,
                            .consultant_id = f->consultant,
                            .assigned_by = DOMAIN_ASSIGN_ROTATION,
                            .arrived_at = NOW - 60000,
                            .first_visit_said = -1};
    int64_t vid = 0;
    assert_int_equal(store_visits_add(f->s, &v, &vid, &err), 0);
    v.arrived_at = NOW - 86400000LL;
    assert_int_equal(store_visits_add(f->s, &v, NULL, &err), 0);

    struct store_consultant cs[8];
    size_t n = 0;
    int64_t day_start = NOW - 10LL * 3600 * 1000; /* local midnight */
    assert_int_equal(store_staff_consultants(f->s, f->site, "2026-11-22", day_start,
                                             day_start + 86400000LL, cs, 8, &n, &err),
                     0);
    assert_int_equal(n, 2); /* the telesales person is not a consultant */
    assert_int_equal(cs[0].d.staff_id, f->consultant);
    assert_true(cs[0].d.on_duty);
    assert_int_equal(cs[0].d.waiting, 1);
    assert_int_equal(cs[0].d.serving, 0);
    assert_int_equal(cs[0].d.last_assigned_at, NOW - 5000);
    assert_string_equal(cs[0].name, "张伟");
    assert_int_equal(cs[1].d.staff_id, c2);
    assert_false(cs[1].d.on_duty); /* rest overrides the earlier "on" */
    assert_int_equal(cs[1].d.waiting, 0);
    /* a full buffer stops at cap without error */
    assert_int_equal(store_staff_consultants(f->s, f->site, "2026-11-22", day_start,
                                             day_start + 86400000LL, cs, 1, &n, &err),
                     0);
    assert_int_equal(n, 1);
    /* the day's counters (migration 4) follow every status change */
    assert_int_equal(store_visits_set_status(f->s, vid, STORE_VISIT_SERVING, NOW, &err), 0);
    assert_int_equal(store_staff_consultants(f->s, f->site, "2026-11-22", day_start,
                                             day_start + 86400000LL, cs, 8, &n, &err),
                     0);
    assert_int_equal(cs[0].d.waiting, 0);
    assert_int_equal(cs[0].d.serving, 1);
    assert_int_equal(cs[0].d.serving_since, NOW);
    /* a window that is not a whole local day counts the visits themselves, and agrees */
    assert_int_equal(store_staff_consultants(f->s, f->site, "2026-11-22", day_start,
                                             day_start + 86400000LL - 1, cs, 8, &n, &err),
                     0);
    assert_int_equal(cs[0].d.waiting, 0);
    assert_int_equal(cs[0].d.serving, 1);
    assert_int_equal(cs[0].d.serving_since, NOW);
    assert_int_equal(store_visits_depart(f->s, vid, 0, NULL, false, NOW + 1000, &err), 0);
    assert_int_equal(store_staff_consultants(f->s, f->site, "2026-11-22", day_start,
                                             day_start + 86400000LL, cs, 8, &n, &err),
                     0);
    assert_int_equal(cs[0].d.waiting, 0);
    assert_int_equal(cs[0].d.serving, 0);
    assert_int_equal(cs[0].d.serving_since, 0);

    int count = -1;
    int64_t last = -1;
    assert_int_equal(store_staff_failure_add(f->s, "S001", NOW - 1000, &err), 0);
    assert_int_equal(store_staff_failure_add(f->s, "S001", NOW, &err), 0);
    assert_int_equal(store_staff_failures(f->s, "S001", NOW - 500, &count, &last, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(last, NOW);
    assert_int_equal(store_staff_failures_clear(f->s, "S001", &err), 0);
    assert_int_equal(store_staff_failures(f->s, "S001", 0, &count, &last, &err), 0);
    assert_int_equal(count, 0);
}

static int count_cb(void *ctx, const struct store_device *d)
{
    (*(int *)ctx)++;
    return 0;
}

struct ev_list {
    int n;
    int64_t seq[16];
    char kind[16][32];
    char data[16][2048];
};

static int collect(void *ctx, const struct store_event *ev)
{
    struct ev_list *l = ctx;
    if (l->n < 16) {
        l->seq[l->n] = ev->seq;
        snprintf(l->kind[l->n], sizeof l->kind[0], "%s", ev->kind);
        snprintf(l->data[l->n], sizeof l->data[0], "%s", ev->data);
    }
    l->n++;
    return 0;
}

static void test_devices_and_revoke_event(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t k1, k2;
    assert_int_equal(store_devices_add(f->s, f->site, "Reception 1", DOMAIN_MODE_RECEPTION, HASH_A,
                                       NOW, &k1, &err),
                     0);
    assert_int_equal(
        store_devices_add(f->s, f->site, "Wall", DOMAIN_MODE_STATUS, HASH_B, NOW, &k2, &err), 0);
    assert_int_equal(
        store_devices_add(f->s, f->site, "Wall", DOMAIN_MODE_STATUS, HASH_B, NOW, NULL, &err), -1);
    struct store_device d;
    assert_int_equal(store_devices_find_by_token(f->s, HASH_B, &d, &err), 0);
    assert_int_equal(d.id, k2);
    assert_int_equal(d.mode, DOMAIN_MODE_STATUS);
    assert_int_equal(d.last_seen, 0);
    assert_int_equal(store_devices_seen(f->s, k2, NOW + 5, "showfloor-kiosk/0.1.0", &err), 0);
    assert_int_equal(store_devices_seen(f->s, k2, NOW + 6, "", &err), 0);
    assert_int_equal(store_devices_get(f->s, k2, &d, &err), 0);
    assert_int_equal(d.last_seen, NOW + 6);
    assert_string_equal(d.client, "showfloor-kiosk/0.1.0");

    int64_t before = last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    int64_t rid = 0;
    assert_int_equal(store_devices_revoke_by_name(f->s, f->site, "Wall", NOW + 10, &rid, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(rid, k2);
    assert_int_equal(store_devices_get(f->s, k2, &d, &err), 0);
    assert_int_equal(d.revoked_at, NOW + 10);
    struct ev_list l = {0};
    assert_int_equal(store_events_after(f->s, before, 0, collect, &l, &err), 1);
    assert_string_equal(l.kind[0], "device.revoked");
    char want[64];
    snprintf(want, sizeof want, "{\"device_id\":%lld}", (long long)k2);
    assert_string_equal(l.data[0], want);
    assert_int_equal(store_devices_revoke(f->s, k2, NOW + 11, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);

    int n = 0;
    assert_int_equal(store_devices_list(f->s, f->site, count_cb, &n, &err), 0);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(store_devices_list(f->s, f->other_site, count_cb, &n, &err), 0);
    assert_int_equal(n, 0);
}

static void test_rollback_discards_change_and_event(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t k1;
    assert_int_equal(
        store_devices_add(f->s, f->site, "K", DOMAIN_MODE_BOARD, HASH_A, NOW, &k1, &err), 0);
    int64_t before = last_seq(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_devices_revoke(f->s, k1, NOW, &err), 0);
    store_rollback(f->s);
    assert_int_equal(last_seq(f->s), before);
    struct store_device d;
    assert_int_equal(store_devices_get(f->s, k1, &d, &err), 0);
    assert_int_equal(d.revoked_at, 0);
}

static void test_customers_leads(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct store_customer c;
    assert_int_equal(store_customers_find_by_phone(f->s, "13812341234", &c, &err), 0);
    assert_int_equal(c.id, f->customer);
    assert_string_equal(c.name, "王小明");
    assert_int_equal(c.gender, DOMAIN_GENDER_MALE);
    assert_int_equal(c.kind, STORE_CUSTOMER_INDIVIDUAL);
    assert_int_equal(store_customers_find_by_phone(f->s, "13900000000", &c, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* one phone, one customer */
    struct store_customer dup = {.gender = DOMAIN_GENDER_FEMALE, .created_at = NOW};
    snprintf(dup.phone, sizeof dup.phone, "13812341234");
    assert_int_equal(store_customers_add(f->s, &dup, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);

    struct store_customer co = {
        .kind = STORE_CUSTOMER_COMPANY, .credit_limit_fen = 5000000, .created_at = NOW};
    snprintf(co.phone, sizeof co.phone, "+4915112345678");
    snprintf(co.name, sizeof co.name, "华东物流有限公司");
    snprintf(co.credit_rating, sizeof co.credit_rating, "B");
    snprintf(co.legal_rep, sizeof co.legal_rep, "赵强");
    int64_t coid;
    assert_int_equal(store_customers_add(f->s, &co, &coid, &err), 0);
    assert_int_equal(store_customers_get(f->s, coid, &c, &err), 0);
    assert_int_equal(c.kind, STORE_CUSTOMER_COMPANY);
    assert_int_equal(c.credit_limit_fen, 5000000);
    assert_string_equal(c.legal_rep, "赵强");
    assert_int_equal(c.consent_at, 0);
    assert_int_equal(store_customers_set_consent(f->s, coid, NOW + 1, "v1", &err), 0);
    assert_int_equal(store_customers_get(f->s, coid, &c, &err), 0);
    assert_int_equal(c.consent_at, NOW + 1);
    assert_string_equal(c.consent_version, "v1");

    struct store_lead l;
    assert_int_equal(store_leads_open_for_customer(f->s, f->customer, &l, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    struct store_lead a = {.site_id = f->site,
                           .customer_id = f->customer,
                           .budget_fen = 20000000,
                           .grade = 'A',
                           .owner_id = f->consultant,
                           .created_at = NOW - 2000};
    snprintf(a.channel, sizeof a.channel, "web_autohome");
    snprintf(a.model_code, sizeof a.model_code, "HX7");
    assert_int_equal(store_leads_add(f->s, &a, NULL, &err), 0);
    struct store_lead b = a;
    b.grade = 'F'; /* lost: closed, never the open lead even though newer */
    b.created_at = NOW;
    assert_int_equal(store_leads_add(f->s, &b, NULL, &err), 0);
    assert_int_equal(store_leads_open_for_customer(f->s, f->customer, &l, &err), 0);
    assert_int_equal(l.grade, 'A');
    assert_int_equal(l.owner_id, f->consultant);
    assert_int_equal(l.invited_by, 0);
    assert_string_equal(l.model_code, "HX7");
    snprintf(b.channel, sizeof b.channel, "carrier_pigeon");
    assert_int_equal(store_leads_add(f->s, &b, NULL, &err), -1);
}

/* A check-in builds its visit's JSON from what it has just read and written instead of
 * reading the row back; it must be the very JSON store_visits_json reads. */
static void test_visit_add_full_reads_as_stored(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct store_customer cust;
    struct store_staff cons, inv;
    assert_int_equal(store_customers_get(f->s, f->customer, &cust, &err), 0);
    assert_int_equal(store_staff_get(f->s, f->consultant, &cons, &err), 0);
    assert_int_equal(store_staff_get(f->s, f->telesales, &inv, &err), 0);
    struct store_visit full_v = {.site_id = f->site,
                                 .customer_id = f->customer,
                                 .is_new = true,
                                 .consultant_id = f->consultant,
                                 .invited_by = f->telesales,
                                 .assigned_by = DOMAIN_ASSIGN_INVITED,
                                 .arrived_at = NOW,
                                 .first_visit_said = 1};
    snprintf(full_v.model_code, sizeof full_v.model_code, "HX7");
    snprintf(full_v.source, sizeof full_v.source, "walk_in");
    struct store_visit bare_v = {.site_id = f->site,
                                 .customer_id = f->customer,
                                 .assigned_by = DOMAIN_ASSIGN_NONE,
                                 .arrived_at = NOW + 1,
                                 .first_visit_said = -1};
    const struct store_visit_names named = {&cust, cons.name, inv.name};
    const struct store_visit_names unnamed = {&cust, NULL, NULL};
    const struct {
        const struct store_visit *v;
        const struct store_visit_names *names;
    } cases[] = {{&full_v, &named}, {&bare_v, &unnamed}};
    assert_int_equal(store_begin(f->s, &err), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t vid = 0;
        cJSON *built = NULL, *read = NULL;
        assert_int_equal(
            store_visits_add_full(f->s, cases[i].v, cases[i].names, &vid, &built, &err), 0);
        assert_int_equal(store_visits_json(f->s, vid, &read, &err), 0);
        if (!cJSON_Compare(built, read, 1)) {
            char *b = cJSON_PrintUnformatted(built), *r = cJSON_PrintUnformatted(read);
            fail_msg("built %s\nread  %s", b, r);
        }
        cJSON_Delete(built);
        cJSON_Delete(read);
    }
    /* names of another customer are refused, and nothing is handed back */
    struct store_customer other = cust;
    other.id++;
    const struct store_visit_names wrong = {&other, NULL, NULL};
    cJSON *built = NULL;
    assert_int_equal(store_visits_add_full(f->s, &bare_v, &wrong, NULL, &built, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_null(built);
    store_rollback(f->s);
}

static void test_visits_events(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t before = last_seq(f->s);
    struct store_visit v = {.site_id = f->site,
                            .customer_id = f->customer,
                            .is_new = true,
                            .consultant_id = f->consultant,
                            .invited_by = f->telesales,
                            .assigned_by = DOMAIN_ASSIGN_INVITED,
                            .arrived_at = NOW,
                            .first_visit_said = 1};
    snprintf(v.model_code, sizeof v.model_code, "HX7");
    snprintf(v.source, sizeof v.source, "walk_in");
    int64_t vid;
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_visits_add(f->s, &v, &vid, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct ev_list l = {0};
    assert_int_equal(store_events_after(f->s, before, 0, collect, &l, &err), 1);
    assert_string_equal(l.kind[0], "visit.checked_in");
    cJSON *ev = cJSON_Parse(l.data[0]);
    cJSON *visit = cJSON_GetObjectItem(ev, "visit");
    assert_int_equal((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(visit, "id")), vid);
    cJSON *cust = cJSON_GetObjectItem(visit, "customer");
    /* the log keeps the customer masked (domain_privacy_mask), never in the clear */
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cust, "phone")), "138****1234");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cust, "name")), "王先生");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cust, "masked")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cust, "new")));
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(visit, "invited_by"), "name")),
        "陈静");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(visit, "assigned_by")), "invited");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(visit, "served_at")));
    cJSON_Delete(ev);

    assert_int_equal(store_visits_set_status(f->s, vid, STORE_VISIT_SERVING, NOW + 60000, &err), 0);
    assert_int_equal(store_visits_set_status(f->s, vid, STORE_VISIT_WAITING, NOW + 60001, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_visits_set_status(f->s, vid, STORE_VISIT_DEPARTED, NOW + 90000, &err),
                     0);
    struct store_visit got;
    assert_int_equal(store_visits_get(f->s, vid, &got, &err), 0);
    assert_int_equal(got.status, STORE_VISIT_DEPARTED);
    assert_int_equal(got.served_at, NOW + 60000);
    assert_int_equal(got.departed_at, NOW + 90000);
    assert_int_equal(got.first_visit_said, 1);
    assert_string_equal(got.source, "walk_in");
    memset(&l, 0, sizeof l);
    assert_int_equal(store_events_after(f->s, before, 0, collect, &l, &err), 3);
    assert_string_equal(l.kind[1], "visit.updated");
    assert_string_equal(l.kind[2], "visit.updated");
    assert_true(l.seq[0] < l.seq[1] && l.seq[1] < l.seq[2]);
    int count = 0;
    assert_int_equal(store_visits_count_for_customer(f->s, f->customer, &count, &err), 0);
    assert_int_equal(count, 1);
}

static int order_count_cb(void *ctx, const struct store_order *o)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_orders(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    char no1[STORE_ORDER_NO_MAX + 1], no2[STORE_ORDER_NO_MAX + 1];
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_orders_next_no(f->s, NOW, no1, sizeof no1, &err), 0);
    assert_int_equal(store_orders_next_no(f->s, NOW, no2, sizeof no2, &err), 0);
    assert_string_equal(no1, "SF2611-0001");
    assert_string_equal(no2, "SF2611-0002");
    int seq = 0;
    assert_int_equal(store_orders_next_seq(f->s, "other", &seq, &err), 0);
    assert_int_equal(seq, 1);

    struct store_order o = {
        .site_id = f->site,
        .customer_id = f->customer,
        .consultant_id = f->consultant,
        .quantity = 1,
        .unit_price_fen = 18980000,
        .total_fen = 18980000,
        .payment = DOMAIN_PAY_FULL,
        .paid_fen = 2000000,
        .stage = DOMAIN_STAGE_ALLOCATED,
        .times = {.created_at = NOW - 5000, .approved_at = NOW - 4000, .allocated_at = NOW - 3000},
        .eta = NOW + 86400000LL};
    snprintf(o.order_no, sizeof o.order_no, "%s", no1);
    snprintf(o.model_code, sizeof o.model_code, "HX7");
    snprintf(o.colour, sizeof o.colour, "珍珠白");
    int64_t before = last_seq(f->s);
    int64_t oid;
    assert_int_equal(store_orders_add(f->s, &o, &oid, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);

    struct ev_list l = {0};
    assert_int_equal(store_events_after(f->s, before, 0, collect, &l, &err), 1);
    assert_string_equal(l.kind[0], "order.created");
    cJSON *ev = cJSON_Parse(l.data[0]);
    cJSON *ord = cJSON_GetObjectItem(ev, "order");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ord, "order_no")), no1);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ord, "stage")), "allocated");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(ord, "model"), "name")),
        "星河 7");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ord, "delivery_at")));
    cJSON_Delete(ev);

    struct store_order got;
    assert_int_equal(store_orders_find_by_no(f->s, no1, &got, &err), 0);
    assert_int_equal(got.id, oid);
    assert_int_equal(got.times.approved_at, NOW - 4000);
    assert_int_equal(got.updated_at, NOW - 5000);
    assert_string_equal(got.colour, "珍珠白");
    assert_int_equal(store_orders_find_by_no(f->s, "SF0000-0000", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    int n = 0;
    assert_int_equal(store_orders_list_open(f->s, f->site, order_count_cb, &n, &err), 0);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(store_orders_list_ready(f->s, f->site, order_count_cb, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_orders_set_paid(f->s, oid, 18980000, NOW + 1, &err), 0);
    assert_int_equal(store_orders_set_stage(f->s, oid, DOMAIN_STAGE_READY, NOW + 2, &err), 0);
    assert_int_equal(
        store_orders_set_schedule(f->s, oid, 0, NOW + 3600000, "交车区 2", NOW + 3, &err), 0);
    assert_int_equal(store_orders_get(f->s, oid, &got, &err), 0);
    assert_int_equal(got.stage, DOMAIN_STAGE_READY);
    assert_int_equal(got.times.ready_at, NOW + 2);
    assert_int_equal(got.paid_fen, 18980000);
    assert_string_equal(got.delivery_place, "交车区 2");
    n = 0;
    assert_int_equal(store_orders_list_ready(f->s, f->site, order_count_cb, &n, &err), 0);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(store_orders_list_wall(f->s, f->site, NOW - 3600000, NOW + 3600000,
                                            order_count_cb, &n, &err),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(store_orders_set_stage(f->s, oid, DOMAIN_STAGE_DELIVERED, NOW + 4, &err), 0);
    n = 0;
    assert_int_equal(store_orders_list_open(f->s, f->site, order_count_cb, &n, &err), 0);
    assert_int_equal(n, 0);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_events_after(f->s, before, 0, collect, &l, &err), 5);
    assert_string_equal(l.kind[4], "order.updated");
}

static void test_events_log(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t oldest = -1;
    assert_int_equal(store_events_oldest_seq(f->s, &oldest, &err), 0);
    assert_int_equal(oldest, 0); /* empty log */
    assert_int_equal(last_seq(f->s), 0);
    int64_t seq[6];
    for (int i = 0; i < 6; i++) {
        char data[32];
        snprintf(data, sizeof data, "{\"n\":%d}", i);
        assert_int_equal(
            store_events_append(f->s, f->site, "test.kind", NOW + i, data, &seq[i], &err), 0);
        if (i)
            assert_true(seq[i] > seq[i - 1]);
    }
    assert_int_equal(store_events_append(f->s, f->site, "test.kind", NOW, "not json", NULL, &err),
                     -1);
    assert_int_equal(last_seq(f->s), seq[5]);
    assert_int_equal(store_events_oldest_seq(f->s, &oldest, &err), 0);
    assert_int_equal(oldest, seq[0]);
    struct ev_list l = {0};
    assert_int_equal(store_events_after(f->s, seq[2], 0, collect, &l, &err), 3);
    assert_int_equal(l.seq[0], seq[3]);
    assert_string_equal(l.data[0], "{\"n\":3}");
    memset(&l, 0, sizeof l);
    assert_int_equal(store_events_after(f->s, 0, 2, collect, &l, &err), 2);
    assert_int_equal(l.seq[1], seq[1]);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_events_after(f->s, seq[5], 0, collect, &l, &err), 0);
}

static void test_commands(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    int64_t dev;
    assert_int_equal(
        store_devices_add(f->s, f->site, "R1", DOMAIN_MODE_RECEPTION, HASH_A, NOW, &dev, &err), 0);
    struct store_command cmd;
    assert_int_equal(store_commands_get(f->s, dev, "k1-1", &cmd, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(
        store_commands_put(f->s, dev, "k1-1", "checkin", HASH_B, "{\"ok\":1}", NOW, &err), 0);
    assert_int_equal(
        store_commands_put(f->s, dev, "k1-1", "checkin", HASH_B, "{\"ok\":2}", NOW, &err), -1);
    assert_int_equal(store_commands_get(f->s, dev, "k1-1", &cmd, &err), 0);
    assert_string_equal(cmd.type, "checkin");
    assert_string_equal(cmd.args_hash, HASH_B);
    assert_string_equal(cmd.result, "{\"ok\":1}");
    free(cmd.result);
    assert_int_equal(store_commands_prune(f->s, NOW + 1, &err), 0);
    assert_int_equal(store_commands_get(f->s, dev, "k1-1", &cmd, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_db_migrated_and_reopen_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_db_refused, setup, teardown),
        cmocka_unit_test(test_garbage_and_foreign_files_refused),
        cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sites_staff_duty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_devices_and_revoke_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_discards_change_and_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_leads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visits_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_add_full_reads_as_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

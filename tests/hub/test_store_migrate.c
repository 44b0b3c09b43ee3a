/* Migration 1 -> 2 on a populated version-1 database (tests/hub/fixtures/v1.sql, dumped from
 * the version-1 code): the devices table is rebuilt for mode 'api' with every reference
 * intact and foreign keys on again afterwards; old orders get their stage's stamps.
 * Migration 2 -> 3 on tests/hub/fixtures/v2.sql (made by the version-2 code): old leads get
 * their status from the flag and the grade, nothing becomes due, references stay intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"

#define NOW 1795312800000LL

static void temp_path(char *path, size_t sz)
{
    snprintf(path, sz, "/tmp/sf-test-migrate-XXXXXX");
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

static int64_t sql_int(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

static void test_migrate_v1_fixture(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *sql = read_file(SF_FIXTURES "/v1.sql");
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), 1);
    int64_t devices = sql_int(db, "SELECT count(*) FROM devices");
    int64_t events = sql_int(db, "SELECT count(*) FROM events");
    assert_true(devices >= 2);
    assert_int_equal(sql_int(db, "SELECT device_id FROM visits"), 1);
    sqlite3_close(db);

    struct store *s;
    struct proto_error err;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_true(store_schema_version() >= 2);

    /* the rebuilt devices table kept every row and id, and is still referenced */
    struct store_device d;
    assert_int_equal(store_devices_get(s, 1, &d, &err), 0);
    assert_string_equal(d.name, "R1");
    assert_int_equal(d.mode, DOMAIN_MODE_RECEPTION);
    assert_int_equal(store_devices_get(s, 2, &d, &err), 0);
    assert_true(d.revoked_at > 0);
    struct store_site site;
    assert_int_equal(store_sites_find(s, "SH01", &site, &err), 0);
    int64_t api_id;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(
        store_devices_add(s, site.id, "DMS", DOMAIN_MODE_API,
                          "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
                          "cccc",
                          NOW, &api_id, &err),
        0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_devices_get(s, api_id, &d, &err), 0);
    assert_int_equal(d.mode, DOMAIN_MODE_API);

    /* the version-1 order reads with its stage's stamps and the new fields empty */
    struct store_order o;
    assert_int_equal(store_orders_find_by_no(s, "SF2611-0001", &o, &err), 0);
    assert_int_equal(o.stage, DOMAIN_STAGE_ALLOCATED);
    assert_int_equal(o.entered_at, o.times.created_at);
    assert_true(o.initial_decided_at > 0 && o.reviewed_at > 0 && o.final_decided_at > 0);
    assert_string_equal(o.vin, "");
    assert_int_equal(o.down_payment_fen, 0);
    cJSON *full;
    assert_int_equal(store_orders_json(s, o.id, &full, &err), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(full, "vin")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(full, "change_request")));
    cJSON_Delete(full);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(sql_int(db, "SELECT count(*) FROM devices"), devices + 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), events);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* the references still point at devices by name: a dangling one is refused */
    assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE visits SET device_id = 999", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM devices WHERE id = 1", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);

    /* and the store left foreign keys on for its own connection after the migration */
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    struct store_visit v = {.site_id = site.id,
                            .customer_id = 1,
                            .arrived_at = NOW,
                            .device_id = 999,
                            .first_visit_said = -1};
    assert_int_equal(store_visits_add(s, &v, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    store_rollback(s);
    store_close(s);
    remove_db(path);
}

static int count_overdue(void *ctx, const struct store_lead *l, int64_t due_at)
{
    (void)l;
    (void)due_at;
    ++*(int *)ctx;
    return 0;
}

static void test_migrate_v2_fixture(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *sql = read_file(SF_FIXTURES "/v2.sql");
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), 2);
    int64_t events = sql_int(db, "SELECT count(*) FROM events");
    assert_int_equal(sql_int(db, "SELECT count(*) FROM leads"), 4);
    sqlite3_close(db);

    struct store *s;
    struct proto_error err;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_true(store_schema_version() >= 7);

    /* lead 1: open, invited by telesales 1 who now holds it; owned by consultant 2 */
    struct store_lead l;
    assert_int_equal(store_leads_get(s, 1, &l, &err), 0);
    assert_int_equal(l.status, STORE_LEAD_OPEN);
    assert_int_equal(l.telesales_id, 1);
    assert_int_equal(l.owner_id, 2);
    assert_int_equal(l.updated_at, l.created_at);
    assert_int_equal(l.next_due_at, 0);
    assert_string_equal(l.name, "");
    /* lead 2 was flagged invalid, 3 lost (F), 4 ordered (O) and linked to the order */
    assert_int_equal(store_leads_get(s, 2, &l, &err), 0);
    assert_int_equal(l.status, STORE_LEAD_INVALID);
    assert_true(l.flagged_invalid);
    assert_int_equal(store_leads_get(s, 3, &l, &err), 0);
    assert_int_equal(l.status, STORE_LEAD_LOST);
    assert_int_equal(store_leads_get(s, 4, &l, &err), 0);
    assert_int_equal(l.status, STORE_LEAD_CONVERTED);
    assert_int_equal(l.order_id, 1);
    /* the check-in rule still finds the open lead */
    assert_int_equal(store_leads_open_for_customer(s, 1, &l, &err), 0);
    assert_int_equal(l.id, 1);
    assert_int_equal(store_leads_open_for_customer(s, 2, &l, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* nothing became due: the first tick reports no old lead */
    int n = 0;
    assert_int_equal(store_leads_overdue(s, 0, NOW + 365LL * 86400000, count_overdue, &n, &err), 0);
    assert_int_equal(n, 0);
    /* staff got the default ability, visits the new columns empty */
    struct store_staff st;
    assert_int_equal(store_staff_get(s, 2, &st, &err), 0);
    assert_int_equal(st.ability, 3);
    assert_string_equal(st.region, "");
    struct store_visit v;
    assert_int_equal(store_visits_get(s, 1, &v, &err), 0);
    assert_int_equal(v.status, STORE_VISIT_SERVING);
    assert_int_equal(v.appointment_id, 0);
    assert_int_equal(v.grade_after, 0);
    assert_false(v.auto_closed);
    cJSON *full;
    assert_int_equal(store_leads_json(s, 1, &full, &err), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(full, "status")), "open");
    cJSON_Delete(full);
    assert_int_equal(store_visits_json(s, 1, &full, &err), 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(full, "auto_closed")));
    cJSON_Delete(full);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    /* migration 4 counted the open visits into visit_load: visit 1 is being served */
    assert_int_equal(sql_int(db, "SELECT sum(serving) FROM visit_load"),
                     sql_int(db, "SELECT count(*) FROM visits WHERE status = 'serving'"
                                 " AND consultant_id IS NOT NULL"));
    assert_int_equal(sql_int(db, "SELECT sum(waiting) FROM visit_load"),
                     sql_int(db, "SELECT count(*) FROM visits WHERE status = 'waiting'"
                                 " AND consultant_id IS NOT NULL"));
    assert_true(sql_int(db, "SELECT sum(serving) FROM visit_load") >= 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), events);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sqlite3_close(db);
    remove_db(path);
}

/* Migration 8 -> 9 rebuilds commands as a rowid table: a version-8 file (commands as the
 * WITHOUT ROWID table it was) keeps every stored result, a repeated id still finds it, and a
 * second row for one (device, command id) is still refused. */
static void test_migrate_v8_commands(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    struct store *s;
    struct proto_error err;
    int64_t site, dev;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_sites_add(s, "SH01", "上海浦东店", 480, &site, &err), 0);
    assert_int_equal(
        store_devices_add(s, site, "R1", DOMAIN_MODE_RECEPTION,
                          "0000000000000000000000000000000000000000000000000000000000000001", NOW,
                          &dev, &err),
        0);
    store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP TABLE commands;"
                     "CREATE TABLE commands (device_id INTEGER NOT NULL REFERENCES devices(id),"
                     " cmd_id TEXT NOT NULL, type TEXT NOT NULL, args_hash TEXT NOT NULL,"
                     " result TEXT NOT NULL CHECK (json_valid(result)), at INTEGER NOT NULL,"
                     " PRIMARY KEY (device_id, cmd_id)) WITHOUT ROWID;"
                     "CREATE INDEX commands_at ON commands (at);"
                     "INSERT INTO commands VALUES (1, 'k-2', 'checkin', printf('%064d', 2),"
                     " '{\"visit\":{\"id\":2}}', 1795312800002);"
                     "INSERT INTO commands VALUES (1, 'k-1', 'checkin', printf('%064d', 1),"
                     " '{\"visit\":{\"id\":1}}', 1795312800001);"
                     "PRAGMA user_version = 8;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(store_open(&s, path, &err), 0);
    struct store_command c;
    assert_int_equal(store_commands_get(s, dev, "k-1", &c, &err), 0);
    assert_string_equal(c.type, "checkin");
    assert_string_equal(c.result, "{\"visit\":{\"id\":1}}");
    assert_int_equal(c.at, NOW + 1);
    free(c.result);
    assert_int_equal(store_commands_get(s, dev, "k-2", &c, &err), 0);
    assert_string_equal(c.result, "{\"visit\":{\"id\":2}}");
    free(c.result);
    assert_int_equal(store_commands_put(s, dev, "k-1", "checkin", c.args_hash, "{}", NOW, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_commands_put(s, dev, "k-3", "checkin", c.args_hash, "{}", NOW, &err), 0);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'commands'"
                                 " AND sql LIKE '%WITHOUT ROWID%'"),
                     0);
    /* rows keep arrival order in the new table: the older id first */
    assert_int_equal(sql_int(db, "SELECT rowid FROM commands WHERE cmd_id = 'k-1'"), 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM commands"), 3);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'commands_at'"),
                     1);
    sqlite3_close(db);
    remove_db(path);
}

static int64_t leaf_cells(sqlite3 *db, const char *index)
{
    char q[160];
    snprintf(q, sizeof q,
             "SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = '%s' AND pagetype = 'leaf'",
             index);
    return sql_int(db, q);
}

static bool plan_uses(sqlite3 *db, const char *query, const char *index)
{
    char q[512];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", query);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    bool found = false;
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= strstr((const char *)sqlite3_column_text(st, 3), index) != NULL;
    sqlite3_finalize(st);
    return found;
}

/* Migration 9 -> 10 makes three indexes partial: on a version-9 file they hold every audit
 * record and event; afterwards only the order records and the staff notifications, and the
 * queries that read them still go through them. */
static void test_migrate_v9_partial_indexes(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    struct store *s;
    struct proto_error err;
    int64_t site;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_sites_add(s, "SH01", "上海浦东店", 480, &site, &err), 0);
    store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP INDEX audit_order_action_at; DROP INDEX audit_order_action;"
                     "DROP INDEX events_notify;"
                     "CREATE INDEX audit_action_at ON audit (action, at);"
                     "CREATE INDEX audit_entity_action ON audit (entity, entity_id, action);"
                     "CREATE INDEX events_site_kind_at ON events (site_id, kind, at);"
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)"
                     " INSERT INTO audit (at, actor, entity, entity_id, action, prev_hash, hash)"
                     " SELECT 1795312800000 + i, 'staff:S001', iif(i % 3, 'visit', 'order'),"
                     " i, iif(i % 3, 'checkin', 'order_review'), printf('%064d', i),"
                     " printf('%064d', i + 1) FROM n;"
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)"
                     " INSERT INTO events (site_id, kind, at, data)"
                     " SELECT 1, iif(i % 5, 'visit.created', 'staff.notify'), 1795312800000 + i,"
                     " '{}' FROM n;"
                     "PRAGMA user_version = 9;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(leaf_cells(db, "audit_action_at"), 30);
    sqlite3_close(db);

    assert_int_equal(store_open(&s, path, &err), 0);
    store_close(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(sql_int(db,
                             "SELECT count(*) FROM sqlite_schema WHERE name IN"
                             " ('audit_action_at', 'audit_entity_action', 'events_site_kind_at')"),
                     0);
    assert_int_equal(leaf_cells(db, "audit_order_action_at"), 10);
    assert_int_equal(leaf_cells(db, "audit_order_action"), 10);
    assert_int_equal(leaf_cells(db, "events_notify"), 6);
    /* the shapes of the reports' and the board's queries (store_analytics*.c, store_events.c) */
    assert_true(plan_uses(db,
                          "SELECT count(*) FROM audit a WHERE a.entity = 'order' AND a.action IN"
                          " ('order_review', 'order_approve') AND a.at >= 1 AND a.at < 2",
                          "audit_order_action_at"));
    assert_true(plan_uses(db,
                          "SELECT r.actor FROM audit r WHERE r.entity = 'order' AND"
                          " r.entity_id = '1' AND r.action = 'order_review' ORDER BY r.id DESC"
                          " LIMIT 1",
                          "audit_order_action"));
    assert_true(plan_uses(db,
                          "SELECT seq FROM events WHERE site_id = 1 AND kind = 'staff.notify'"
                          " AND at >= 1 ORDER BY seq DESC LIMIT 3",
                          "events_notify"));
    sqlite3_close(db);
    remove_db(path);
}

/* Does the statement's program build a temporary b-tree (an IN list tested through one)? */
static bool uses_ephemeral(sqlite3 *db, const char *q)
{
    char explain[1024];
    snprintf(explain, sizeof explain, "EXPLAIN %s", q);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
    bool found = false;
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
    sqlite3_finalize(st);
    return found;
}

#define VISIT_INSERT                                                                        \
    "INSERT INTO visits (site_id, customer_id, is_new, consultant_id, assigned_by, status," \
    " arrived_at) VALUES (1, 1, 1, 1, 'rotation', ?1, 1795312800000)"
#define CUSTOMER_INSERT \
    "INSERT INTO customers (gender, kind, created_at) VALUES (?1, 'individual', 1)"

/* The CHECK texts of version 10, put back for the test: the same tests as IN lists. */
static const char v10_checks[] =
    "PRAGMA writable_schema=ON;"
    "UPDATE sqlite_schema SET sql = replace(replace(replace(replace(sql,"
    " 'assigned_by = ''invited'' OR assigned_by = ''owner''    OR assigned_by = ''rotation'' OR"
    " assigned_by = ''busy_rotation'' OR assigned_by = ''none''',"
    " 'assigned_by IN (''invited'', ''owner'', ''rotation'', ''busy_rotation'', ''none'')'),"
    " 'status = ''waiting'' OR status = ''serving''    OR status = ''departed''',"
    " 'status IN (''waiting'', ''serving'', ''departed'')'),"
    " 'grade_after = ''H'' OR grade_after = ''A''    OR grade_after = ''B'' OR grade_after = ''F''"
    " OR grade_after = ''L'' OR grade_after = ''O''',"
    " 'grade_after IN (''H'', ''A'', ''B'', ''F'', ''L'', ''O'')'),"
    " 'gender = ''unknown'' OR gender = ''male'' OR gender = ''female''',"
    " 'gender IN (''unknown'', ''male'', ''female'')')"
    " WHERE name IN ('visits', 'customers');"
    "PRAGMA writable_schema=OFF; PRAGMA user_version = 10;";

/* Migration 10 -> 11 rebuilds visits and customers with CHECKs that need no temporary
 * b-tree: the rows, the references and visit_load's triggers survive, and the same values are
 * refused. The version-10 file is this schema with the old CHECK texts put back. */
static void test_migrate_v10_checks(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    struct store *s;
    struct proto_error err;
    int64_t site, staff, cust, visit;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_sites_add(s, "SH01", "上海浦东店", 480, &site, &err), 0);
    assert_int_equal(store_staff_add(s, site, "S001", "张伟", DOMAIN_ROLE_CONSULTANT, "$argon2id$x",
                                     &staff, &err),
                     0);
    struct store_customer c = {
        .gender = DOMAIN_GENDER_FEMALE, .consent_at = NOW, .created_at = NOW};
    snprintf(c.phone, sizeof c.phone, "13812341234");
    snprintf(c.name, sizeof c.name, "刘芳");
    assert_int_equal(store_customers_add(s, &c, &cust, &err), 0);
    struct store_visit v = {.site_id = site,
                            .customer_id = cust,
                            .consultant_id = staff,
                            .assigned_by = DOMAIN_ASSIGN_ROTATION,
                            .arrived_at = NOW,
                            .first_visit_said = -1};
    assert_int_equal(store_visits_add(s, &v, &visit, &err), 0);
    store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_false(uses_ephemeral(db, VISIT_INSERT));
    assert_false(uses_ephemeral(db, CUSTOMER_INSERT));
    assert_int_equal(sqlite3_exec(db, v10_checks, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* what version 10 had: each INSERT builds its IN lists' b-trees */
    assert_true(uses_ephemeral(db, VISIT_INSERT));
    assert_true(uses_ephemeral(db, CUSTOMER_INSERT));
    int64_t phone_len = sql_int(db, "SELECT length(phone) FROM customers");
    sqlite3_close(db);

    /* the migration, by opening it */
    assert_int_equal(store_open(&s, path, &err), 0);
    struct store_customer got;
    assert_int_equal(store_customers_get(s, cust, &got, &err), 0);
    assert_string_equal(got.phone, "13812341234");
    assert_string_equal(got.name, "刘芳");
    v.arrived_at = NOW + 1000;
    assert_int_equal(store_visits_add(s, &v, NULL, &err), 0);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    assert_false(uses_ephemeral(db, VISIT_INSERT));
    assert_false(uses_ephemeral(db, CUSTOMER_INSERT));
    assert_int_equal(sql_int(db, "SELECT count(*) FROM visits"), 2);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM customers"), 1);
    assert_int_equal(sql_int(db, "SELECT length(phone) FROM customers"), phone_len);
    /* the triggers came back: both visits count as waiting */
    assert_int_equal(sql_int(db, "SELECT sum(waiting) FROM visit_load"), 2);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND"
                                 " tbl_name = 'visits' AND sql IS NOT NULL"),
                     3);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* the same values refused and allowed */
    const struct {
        const char *sql, *value;
        int rc;
    } cases[] = {
        {VISIT_INSERT, "gone", SQLITE_CONSTRAINT_CHECK},
        {VISIT_INSERT, "WAITING", SQLITE_CONSTRAINT_CHECK},
        {VISIT_INSERT, "serving", SQLITE_DONE},
        {CUSTOMER_INSERT, "other", SQLITE_CONSTRAINT_CHECK},
        {CUSTOMER_INSERT, "female", SQLITE_DONE},
    };
    sqlite3_extended_result_codes(db, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, cases[i].sql, -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_text(st, 1, cases[i].value, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), cases[i].rc);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    remove_db(path);
}

/* What version 11 had on the three tables migration 12 rebuilds: the json_valid CHECKs, and
 * AUTOINCREMENT on audit with its counter. */
static const char v11_json_checks[] =
    "PRAGMA writable_schema=ON;"
    "UPDATE sqlite_schema SET sql = replace(sql, 'data TEXT NOT NULL',"
    " 'data TEXT NOT NULL CHECK (json_valid(data))') WHERE name = 'events';"
    "UPDATE sqlite_schema SET sql = replace(sql, 'result TEXT NOT NULL,',"
    " 'result TEXT NOT NULL CHECK (json_valid(result)),') WHERE name = 'commands';"
    "UPDATE sqlite_schema SET sql = replace(replace(replace(sql,"
    " 'id INTEGER PRIMARY KEY,', 'id INTEGER PRIMARY KEY AUTOINCREMENT,'),"
    " 'before TEXT,', 'before TEXT CHECK (before IS NULL OR json_valid(before)),'),"
    " 'after TEXT,', 'after TEXT CHECK (after IS NULL OR json_valid(after)),')"
    " WHERE name = 'audit';"
    "PRAGMA writable_schema=OFF;"
    "INSERT INTO sqlite_sequence (name, seq) VALUES ('audit', 3);"
    "PRAGMA user_version = 11;";

/* Migration 11 -> 12 rebuilds events, commands and audit without json_valid CHECKs (and
 * audit without AUTOINCREMENT): every row and id survives, the audit chain still verifies,
 * an event's seq is not reused after the newest events were pruned, and the store itself now
 * refuses text that is not JSON. */
static void test_migrate_v11_json_checks(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    struct store *s;
    struct proto_error err;
    int64_t site, dev, seq = 0;
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_sites_add(s, "SH01", "上海浦东店", 480, &site, &err), 0);
    assert_int_equal(
        store_devices_add(s, site, "R1", DOMAIN_MODE_RECEPTION,
                          "0000000000000000000000000000000000000000000000000000000000000001", NOW,
                          &dev, &err),
        0);
    for (int i = 1; i <= 5; i++) {
        char data[32];
        snprintf(data, sizeof data, "{\"n\":%d}", i);
        assert_int_equal(store_events_append(s, site, "device.test", NOW + i, data, &seq, &err), 0);
    }
    assert_int_equal(
        store_commands_put(s, dev, "k-1", "checkin",
                           "0000000000000000000000000000000000000000000000000000000000000002",
                           "{\"visit\":{\"id\":1}}", NOW, &err),
        0);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(store_audit_append(s, site, "staff:S001", "visit", "1", "checkin", NULL,
                                            "{\"status\":\"waiting\"}", NOW + i, NULL, &err),
                         0);
    store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* the newest events pruned: the counter (5) is past the highest row left (3) */
    assert_int_equal(sqlite3_exec(db, "DELETE FROM events WHERE seq > 3", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, v11_json_checks, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO events (site_id, kind, at, data)"
                                  " VALUES (1, 'x', 0, 'not json')",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);

    /* the migration, by opening it */
    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_events_append(s, site, "device.test", NOW + 6, "{\"n\":6}", &seq, &err),
                     0);
    assert_int_equal(seq, 6);
    struct store_audit_result ar;
    assert_int_equal(store_audit_verify(s, &ar, &err), 0);
    assert_true(ar.ok);
    assert_int_equal(ar.count, 3);
    int64_t id = 0;
    assert_int_equal(store_audit_append(s, site, "staff:S001", "visit", "1", "serve", NULL,
                                        "{\"status\":\"serving\"}", NOW + 4, &id, &err),
                     0);
    assert_int_equal(id, 4);
    assert_int_equal(store_audit_verify(s, &ar, &err), 0);
    assert_true(ar.ok);
    struct store_command c;
    assert_int_equal(store_commands_get(s, dev, "k-1", &c, &err), 0);
    assert_string_equal(c.result, "{\"visit\":{\"id\":1}}");
    free(c.result);
    /* text that is not JSON is refused by the store, and nothing is written */
    assert_int_equal(store_events_append(s, site, "x", NOW, "not json", NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_events_append(s, site, "x", NOW, "[1]", NULL, &err), -1);
    assert_int_equal(store_events_append(s, site, "x", NOW, "{} trailing", NULL, &err), -1);
    assert_int_equal(
        store_commands_put(s, dev, "k-2", "checkin", c.args_hash, "{\"a\":", NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_audit_append(s, site, "staff:S001", "visit", "1", "serve", NULL,
                                        "{\"status\"", NOW + 5, NULL, &err),
                     -1);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%json_valid%'"
                                 " AND tbl_name IN ('events', 'commands', 'audit')"),
                     0);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_sequence WHERE name = 'audit'"), 0);
    assert_int_equal(sql_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'"), 6);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM commands"), 1);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM audit"), 4);
    assert_int_equal(sql_int(db,
                             "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND"
                             " tbl_name IN ('events', 'commands', 'audit') AND sql IS NOT NULL"),
                     5);
    assert_int_equal(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sqlite3_close(db);
    remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_v1_fixture),
        cmocka_unit_test(test_migrate_v2_fixture),
        cmocka_unit_test(test_migrate_v8_commands),
        cmocka_unit_test(test_migrate_v9_partial_indexes),
        cmocka_unit_test(test_migrate_v10_checks),
        cmocka_unit_test(test_migrate_v11_json_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Group commit through core_batch_run (hub/core_batch.c): the commands of a batch share one
 * transaction without a savepoint each; one that fails before writing changes nothing and
 * the batch commits as it is; one that fails after writing makes the batch run again with a
 * savepoint per command, so its rows are gone and every other command is whole. The
 * SAVEPOINT statements the core's connection runs are counted through sqlite3_trace_v2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_internal.h"
#include "store_internal.h"
#include "test_core_fixture.h"

#define N_CMDS 3
#define T_BOOM (FX_NOW + 777) /* a visit arriving at this time is refused by the test's trigger */

static int savepoints;

static int count_savepoints(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)ctx;
    (void)x;
    const char *sql = sqlite3_sql(p);
    if (sql && strncmp(sql, "SAVEPOINT", 9) == 0)
        savepoints++;
    return 0;
}

struct checkin {
    struct cfx *f;
    const char *id;
    cJSON *args;
    int64_t now;
    struct core_batch_cmd cmd;
};

static int run_checkin(void *arg, cJSON **data, struct proto_error *err)
{
    struct checkin *k = arg;
    return core_request(k->f->core, &k->f->dev[DOMAIN_MODE_RECEPTION], NULL, PROTO_T_CHECKIN, k->id,
                        k->args, k->now, data, err);
}

static int setup(void **state)
{
    struct cfx *f = cfx_new(0);
    sqlite3_trace_v2(f->core->store->db, SQLITE_TRACE_STMT, count_savepoints, NULL);
    savepoints = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    cfx_free(*state);
    return 0;
}

/* Runs three check-ins as one batch: phones[i] at times[i]. */
static void run_batch(struct cfx *f, struct checkin k[N_CMDS], const char *const phones[N_CMDS],
                      const int64_t times[N_CMDS])
{
    static const char *const ids[N_CMDS] = {"b-1", "b-2", "b-3"};
    struct core_batch_cmd *cmds[N_CMDS];
    for (int i = 0; i < N_CMDS; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"phone\":\"%s\",\"consent\":true,\"model\":\"HX7\"}",
                 phones[i]);
        k[i] = (struct checkin){.f = f, .id = ids[i], .args = cJSON_Parse(json), .now = times[i]};
        assert_non_null(k[i].args);
        k[i].cmd.run = run_checkin;
        k[i].cmd.arg = &k[i];
        cmds[i] = &k[i].cmd;
    }
    core_batch_run(f->core, cmds, N_CMDS);
    assert_false(store_in_transaction(f->core->store)); /* committed, nothing left open */
}

static void free_batch(struct checkin k[N_CMDS])
{
    for (int i = 0; i < N_CMDS; i++) {
        cJSON_Delete(k[i].args);
        cJSON_Delete(k[i].cmd.data);
    }
}

static int64_t visit_of(const struct checkin *k)
{
    const cJSON *v = cJSON_GetObjectItem(k->cmd.data, "visit");
    return (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "id"));
}

static void assert_visit_exists(struct cfx *f, int64_t id)
{
    struct store_visit v;
    struct proto_error err;
    assert_int_equal(store_visits_get(f->s, id, &v, &err), 0);
}

static void assert_chain_whole(struct cfx *f)
{
    struct store_audit_result r;
    struct proto_error err;
    assert_int_equal(store_audit_verify(f->s, &r, &err), 0);
    assert_true(r.ok);
}

static void test_a_batch_needs_no_savepoint(void **state)
{
    struct cfx *f = *state;
    int64_t customers = cfx_count(f, "customers"), visits = cfx_count(f, "visits");
    int64_t commands = cfx_count(f, "commands");
    struct checkin k[N_CMDS];
    static const char *const phones[N_CMDS] = {"13800000001", "13800000002", "13800000003"};
    static const int64_t times[N_CMDS] = {FX_NOW, FX_NOW + 1, FX_NOW + 2};
    run_batch(f, k, phones, times);
    for (int i = 0; i < N_CMDS; i++) {
        assert_int_equal(k[i].cmd.rc, 0);
        assert_visit_exists(f, visit_of(&k[i]));
    }
    assert_int_equal(savepoints, 0);
    assert_int_equal(cfx_count(f, "customers"), customers + 3);
    assert_int_equal(cfx_count(f, "visits"), visits + 3);
    assert_int_equal(cfx_count(f, "commands"), commands + 3);
    assert_chain_whole(f);
    free_batch(k);
}

/* An invalid phone fails before anything is written: no savepoint, no second run. */
static void test_a_failure_before_writing_changes_nothing(void **state)
{
    struct cfx *f = *state;
    int64_t customers = cfx_count(f, "customers"), commands = cfx_count(f, "commands");
    struct checkin k[N_CMDS];
    static const char *const phones[N_CMDS] = {"13800000011", "12345", "13800000013"};
    static const int64_t times[N_CMDS] = {FX_NOW, FX_NOW + 1, FX_NOW + 2};
    run_batch(f, k, phones, times);
    assert_int_equal(k[0].cmd.rc, 0);
    assert_int_equal(k[1].cmd.rc, -1);
    assert_int_equal(k[1].cmd.err.code, PROTO_E_INVALID_PHONE);
    assert_null(k[1].cmd.data);
    assert_int_equal(k[2].cmd.rc, 0);
    assert_int_equal(savepoints, 0);
    assert_int_equal(cfx_count(f, "customers"), customers + 2);
    assert_int_equal(cfx_count(f, "commands"), commands + 2);
    free_batch(k);
}

/* The second check-in creates its customer, then its visit is refused (a trigger the test adds
 * to the core's own connection): its customer row is in the batch's transaction. The batch
 * runs again with a savepoint per command: the customer is gone, the two others are whole,
 * and their answers name rows that exist. */
static void test_a_failure_after_writing_runs_the_batch_again(void **state)
{
    struct cfx *f = *state;
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TRIGGER boom BEFORE INSERT ON visits WHEN NEW.arrived_at = %lld "
             "BEGIN SELECT RAISE(ABORT, 'boom'); END",
             (long long)T_BOOM);
    assert_int_equal(sqlite3_exec(f->core->store->db, sql, NULL, NULL, NULL), SQLITE_OK);
    int64_t customers = cfx_count(f, "customers"), visits = cfx_count(f, "visits");
    int64_t commands = cfx_count(f, "commands"), audit = cfx_count(f, "audit");
    struct checkin k[N_CMDS];
    static const char *const phones[N_CMDS] = {"13800000021", "13800000022", "13800000023"};
    static const int64_t times[N_CMDS] = {FX_NOW, T_BOOM, FX_NOW + 2};
    run_batch(f, k, phones, times);
    assert_int_equal(k[0].cmd.rc, 0);
    assert_int_equal(k[1].cmd.rc, -1);
    assert_null(k[1].cmd.data);
    assert_int_equal(k[2].cmd.rc, 0);
    assert_int_equal(savepoints, N_CMDS); /* the second run, one per command */
    assert_int_equal(cfx_count(f, "customers"), customers + 2);
    assert_int_equal(cfx_count(f, "visits"), visits + 2);
    assert_int_equal(cfx_count(f, "commands"), commands + 2);
    assert_int_equal(cfx_count(f, "audit"), audit + 2);
    assert_visit_exists(f, visit_of(&k[0]));
    assert_visit_exists(f, visit_of(&k[2]));
    struct store_customer c;
    struct proto_error err;
    assert_int_equal(store_customers_find_by_phone(f->s, "13800000022", &c, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_chain_whole(f);
    free_batch(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_batch_needs_no_savepoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failure_before_writing_changes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_failure_after_writing_runs_the_batch_again, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

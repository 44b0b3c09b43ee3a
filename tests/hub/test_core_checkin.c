/* The checkin command through core_request: assignment, rows and events written together,
 * consent and phone errors changing nothing, idempotent command ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_secret.h"
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

static const char *str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    assert_non_null(s);
    return s;
}

static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItem(o, key);
    assert_true(cJSON_IsNumber(n));
    return (int64_t)cJSON_GetNumberValue(n);
}

static int64_t consultant_id(const cJSON *data)
{
    const cJSON *c = cJSON_GetObjectItem(data, "consultant");
    return cJSON_IsNull(c) ? 0 : num(c, "id");
}

static int64_t last_assigned(struct cfx *f, int64_t staff)
{
    struct store_staff st;
    struct proto_error err;
    assert_int_equal(store_staff_get(f->s, staff, &st, &err), 0);
    return st.last_assigned_at;
}

struct last_event {
    int n;
    char kind[40];
    int64_t seq;
};

static void remember(void *ctx, const struct core_event *ev)
{
    struct last_event *l = ctx;
    l->n++;
    snprintf(l->kind, sizeof l->kind, "%s", ev->kind);
    l->seq = ev->seq;
}

static void test_new_customer_rotation(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    cJSON *data = NULL;
    struct proto_error e2;
    /* c2 was assigned recently, c1 long ago: the rotation picks c1 */
    assert_int_equal(store_staff_set_last_assigned(f->s, f->c1, FX_NOW - 7200000, &e2), 0);
    assert_int_equal(store_staff_set_last_assigned(f->s, f->c2, FX_NOW - 600000, &e2), 0);
    int64_t seq0 = core_last_seq(f->core);
    assert_int_equal(
        cfx_checkin(f, "r1-1",
                    "{\"phone\":\"138 1234 1234\",\"consent\":true,\"name\":\"王小明\","
                    "\"gender\":\"male\",\"model\":\"HX7\",\"source\":\"walk_in\"}",
                    FX_NOW, &data, &err),
        0);
    assert_int_equal(consultant_id(data), f->c1);
    assert_string_equal(str(data, "assigned_by"), "rotation");
    assert_int_equal(num(data, "queue_position"), 1);
    assert_true(num(data, "estimated_wait_min") >= 1);
    const cJSON *cust = cJSON_GetObjectItem(data, "customer");
    assert_string_equal(str(cust, "name"), "王先生");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cust, "new")));
    const cJSON *visit = cJSON_GetObjectItem(data, "visit");
    assert_string_equal(str(cJSON_GetObjectItem(visit, "customer"), "phone"), "138****1234");
    assert_string_equal(str(visit, "status"), "waiting");
    assert_string_equal(str(visit, "model"), "HX7");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(data, "invited_by")));
    char *text = cJSON_PrintUnformatted(data);
    assert_null(strstr(text, "13812341234"));
    assert_null(strstr(text, "王小明"));
    free(text);
    cJSON_Delete(data);

    assert_int_equal(cfx_count(f, "visits"), 1);
    assert_int_equal(cfx_count(f, "customers"), 1);
    assert_int_equal(last_assigned(f, f->c1), FX_NOW);
    struct store_customer c;
    assert_int_equal(store_customers_find_by_phone(f->s, "13812341234", &c, &e2), 0);
    assert_int_equal(c.consent_at, FX_NOW);
    assert_string_equal(c.consent_version, "v1");
    struct last_event l = {0};
    /* the visit, then the assigned consultant's notification (issue 4) */
    assert_int_equal(core_events_after(f->core, seq0, 0, remember, &l), 2);
    assert_string_equal(l.kind, "staff.notify");
    assert_int_equal(core_last_seq(f->core), l.seq);

    /* the next customer: c1 now has someone waiting, so c2 */
    assert_int_equal(cfx_checkin(f, "r1-2", "{\"phone\":\"13912340021\",\"consent\":true}",
                                 FX_NOW + 60000, &data, &err),
                     0);
    assert_int_equal(consultant_id(data), f->c2);
    assert_string_equal(str(cJSON_GetObjectItem(data, "customer"), "name"), "顾客");
    cJSON_Delete(data);
    /* the third: both busy, least recently assigned of them (c1) */
    assert_int_equal(cfx_checkin(f, "r1-3", "{\"phone\":\"13912340022\",\"consent\":true}",
                                 FX_NOW + 120000, &data, &err),
                     0);
    assert_int_equal(consultant_id(data), f->c1);
    assert_string_equal(str(data, "assigned_by"), "busy_rotation");
    assert_int_equal(num(data, "queue_position"), 2);
    cJSON_Delete(data);
}

static void test_returning_customer_owner(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    int64_t cust = cfx_customer(f, "13700001111", "欧阳娜娜", DOMAIN_GENDER_FEMALE);
    struct store_lead lead = {.site_id = f->site,
                              .customer_id = cust,
                              .grade = 'H',
                              .owner_id = f->c2,
                              .created_at = FX_NOW - 86400000LL};
    snprintf(lead.channel, sizeof lead.channel, "web_official");
    assert_int_equal(store_leads_add(f->s, &lead, NULL, &err), 0);
    /* an earlier visit makes them a returning customer */
    struct store_visit v = {.site_id = f->site,
                            .customer_id = cust,
                            .consultant_id = f->c2,
                            .assigned_by = DOMAIN_ASSIGN_ROTATION,
                            .status = STORE_VISIT_DEPARTED,
                            .arrived_at = FX_NOW - 86400000LL * 3,
                            .first_visit_said = -1};
    assert_int_equal(store_visits_add(f->s, &v, NULL, &err), 0);

    cJSON *data = NULL;
    assert_int_equal(cfx_checkin(f, "r1-1",
                                 "{\"phone\":\"+86 137-0000-1111\",\"consent\":true,"
                                 "\"name\":\"Ignored\"}",
                                 FX_NOW, &data, &err),
                     0);
    assert_string_equal(str(data, "assigned_by"), "owner");
    assert_int_equal(consultant_id(data), f->c2);
    const cJSON *c = cJSON_GetObjectItem(data, "customer");
    assert_string_equal(str(c, "name"), "欧阳女士"); /* the stored name, not the typed one */
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(c, "new")));
    cJSON_Delete(data);
    assert_int_equal(cfx_count(f, "customers"), 1);
    assert_int_equal(last_assigned(f, f->c2), FX_NOW);
}

static void test_invited_lead(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    int64_t cust = cfx_customer(f, "13600002222", "李雷", DOMAIN_GENDER_MALE);
    struct store_lead lead = {.site_id = f->site,
                              .customer_id = cust,
                              .grade = 'A',
                              .invited_by = f->t1,
                              .created_at = FX_NOW - 3600000};
    snprintf(lead.channel, sizeof lead.channel, "phone_out");
    assert_int_equal(store_leads_add(f->s, &lead, NULL, &err), 0);
    cJSON *data = NULL;
    assert_int_equal(
        cfx_checkin(f, "r1-1", "{\"phone\":\"13600002222\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    assert_string_equal(str(data, "assigned_by"), "invited");
    const cJSON *inv = cJSON_GetObjectItem(data, "invited_by");
    assert_int_equal(num(inv, "id"), f->t1);
    assert_string_equal(str(inv, "name"), "陈静");
    assert_true(consultant_id(data) == f->c1 || consultant_id(data) == f->c2);
    const cJSON *visit = cJSON_GetObjectItem(data, "visit");
    assert_int_equal(num(cJSON_GetObjectItem(visit, "invited_by"), "id"), f->t1);
    cJSON_Delete(data);
}

static void test_nobody_on_duty(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    assert_int_equal(store_staff_set_duty(f->s, f->c1, FX_DAY, STORE_DUTY_REST, &err), 0);
    assert_int_equal(store_staff_set_duty(f->s, f->c2, FX_DAY, STORE_DUTY_REST, &err), 0);
    cJSON *data = NULL;
    assert_int_equal(
        cfx_checkin(f, "r1-1", "{\"phone\":\"13812341234\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    assert_string_equal(str(data, "assigned_by"), "none");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(data, "consultant")));
    assert_int_equal(num(data, "queue_position"), 0);
    cJSON_Delete(data);
    assert_int_equal(cfx_count(f, "visits"), 1);
    /* tomorrow's roster is not today's: duty on another day changes nothing */
    assert_int_equal(store_staff_set_duty(f->s, f->c1, "2026-11-23", STORE_DUTY_ON, &err), 0);
    assert_int_equal(
        cfx_checkin(f, "r1-2", "{\"phone\":\"13812341235\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    assert_string_equal(str(data, "assigned_by"), "none");
    cJSON_Delete(data);
}

static void assert_nothing_changed(struct cfx *f, int64_t seq0)
{
    assert_int_equal(cfx_count(f, "visits"), 0);
    assert_int_equal(cfx_count(f, "customers"), 0);
    assert_int_equal(cfx_count(f, "commands"), 0);
    assert_int_equal(core_last_seq(f->core), seq0);
    assert_int_equal(last_assigned(f, f->c1), 0);
    assert_int_equal(last_assigned(f, f->c2), 0);
}

static void test_refusals_change_nothing(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    cJSON *data = (cJSON *)1;
    int64_t seq0 = core_last_seq(f->core);
    assert_int_equal(cfx_checkin(f, "r1-1", "{\"phone\":\"13812341234\",\"consent\":false}", FX_NOW,
                                 &data, &err),
                     -1);
    assert_null(data);
    assert_int_equal(err.code, PROTO_E_CONSENT_REQUIRED);
    assert_nothing_changed(f, seq0);

    assert_int_equal(
        cfx_checkin(f, "r1-2", "{\"phone\":\"12345\",\"consent\":true}", FX_NOW, &data, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_PHONE);
    assert_string_equal(err.field, "phone");
    assert_nothing_changed(f, seq0);

    assert_int_equal(cfx_checkin(f, "r1-3",
                                 "{\"phone\":\"13812341234\",\"consent\":true,\"model\":\"NOPE\"}",
                                 FX_NOW, &data, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_string_equal(err.field, "model");
    assert_int_equal(cfx_checkin(f, "r1-4",
                                 "{\"phone\":\"13812341234\",\"consent\":true,\"source\":\"tv\"}",
                                 FX_NOW, &data, &err),
                     -1);
    assert_string_equal(err.field, "source");
    assert_nothing_changed(f, seq0);

    /* the id of a refused command is free to use: nothing was stored under it */
    assert_int_equal(
        cfx_checkin(f, "r1-1", "{\"phone\":\"13812341234\",\"consent\":true}", FX_NOW, &data, &err),
        0);
    cJSON_Delete(data);

    /* a status kiosk may not check anyone in */
    cJSON *args = cJSON_Parse("{\"phone\":\"13812341234\",\"consent\":true}");
    assert_int_equal(core_request(f->core, &f->dev[DOMAIN_MODE_STATUS], NULL, PROTO_T_CHECKIN,
                                  "s-1", args, FX_NOW, &data, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    cJSON_Delete(args);
}

static void test_idempotent_command_id(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    cJSON *first = NULL, *again = NULL;
    const char *args = "{\"phone\":\"13812341234\",\"consent\":true,\"gender\":\"male\"}";
    assert_int_equal(cfx_checkin(f, "r1-7", args, FX_NOW, &first, &err), 0);
    int64_t seq1 = core_last_seq(f->core);
    /* a retry after a reconnect, minutes later, with the keys in another order */
    assert_int_equal(cfx_checkin(f, "r1-7",
                                 "{\"gender\":\"male\",\"consent\":true,\"phone\":\"13812341234\"}",
                                 FX_NOW + 300000, &again, &err),
                     0);
    char *a = cJSON_PrintUnformatted(first), *b = cJSON_PrintUnformatted(again);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON_Delete(again);
    assert_int_equal(cfx_count(f, "visits"), 1);
    assert_int_equal(core_last_seq(f->core), seq1);
    assert_int_equal(cfx_count(f, "commands"), 1);

    /* the same id for a different check-in */
    again = (cJSON *)1;
    assert_int_equal(cfx_checkin(f, "r1-7", "{\"phone\":\"13900000000\",\"consent\":true}",
                                 FX_NOW + 1, &again, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_ID_REUSED);
    assert_null(again);
    assert_int_equal(cfx_count(f, "visits"), 1);
    assert_int_equal(cfx_count(f, "customers"), 1);

    /* ids are per device: another reception kiosk may use "r1-7" for its own customer */
    struct core_device other = f->dev[DOMAIN_MODE_RECEPTION];
    char hash[65], token[64];
    assert_int_equal(core_secret_token_new(token, sizeof token, hash, sizeof hash), 0);
    assert_int_equal(store_devices_add(f->s, f->site, "Reception 2", DOMAIN_MODE_RECEPTION, hash,
                                       FX_NOW, &other.id, &err),
                     0);
    cJSON *j = cJSON_Parse("{\"phone\":\"13900000000\",\"consent\":true}");
    assert_int_equal(
        core_request(f->core, &other, NULL, PROTO_T_CHECKIN, "r1-7", j, FX_NOW + 2, &again, &err),
        0);
    cJSON_Delete(j);
    cJSON_Delete(again);
    assert_int_equal(cfx_count(f, "visits"), 2);
    cJSON_Delete(first);

    /* a command without a usable id is refused */
    j = cJSON_Parse(args);
    assert_int_equal(core_request(f->core, &f->dev[DOMAIN_MODE_RECEPTION], NULL, PROTO_T_CHECKIN,
                                  NULL, j, FX_NOW, &again, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_MESSAGE);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_customer_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_returning_customer_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invited_lead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nobody_on_duty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idempotent_command_id, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

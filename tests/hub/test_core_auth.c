/* Devices by token (unknown, revoked, last seen) and staff login with Argon2id PINs and the
 * lockout after repeated failures. */
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

static void test_secrets(void **state)
{
    char t1[64], t2[64], h1[65], h2[65], h[65];
    assert_int_equal(core_secret_token_new(t1, sizeof t1, h1, sizeof h1), 0);
    assert_int_equal(core_secret_token_new(t2, sizeof t2, h2, sizeof h2), 0);
    assert_int_equal(strlen(t1), CORE_SECRET_TOKEN_LEN);
    assert_int_equal(strlen(h1), CORE_SECRET_HASH_LEN);
    assert_string_not_equal(t1, t2);
    assert_int_equal(core_secret_token_hash(t1, h, sizeof h), 0);
    assert_string_equal(h, h1);
    assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     strlen(t1));
    assert_int_equal(core_secret_token_new(t1, 10, h1, sizeof h1), -1);
    assert_int_equal(core_secret_token_hash(t1, h, 10), -1);
    char ph[CORE_SECRET_PIN_HASH_SIZE];
    assert_int_equal(core_secret_pin_hash("1357", ph), 0);
    assert_non_null(strstr(ph, "$argon2id$"));
    assert_int_equal(core_secret_pin_verify(ph, "1357"), 1);
    assert_int_equal(core_secret_pin_verify(ph, "1358"), 0);
    assert_int_equal(core_secret_pin_verify("garbage", "1357"), 0);
    (void)state;
}

static void test_device_auth(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    struct core_device d;
    assert_int_equal(core_auth_device(f->core, f->tokens[DOMAIN_MODE_STATUS],
                                      "showfloor-kiosk/0.1.0", FX_NOW, &d, &err),
                     0);
    assert_int_equal(d.mode, DOMAIN_MODE_STATUS);
    assert_int_equal(d.site_id, f->site);
    assert_string_equal(d.name, "Status 1");
    assert_string_equal(d.site_code, "SH01");
    assert_string_equal(d.site_name, "上海浦东店");
    struct store_device sd;
    assert_int_equal(store_devices_get(f->s, d.id, &sd, &err), 0);
    assert_int_equal(sd.last_seen, FX_NOW);
    assert_string_equal(sd.client, "showfloor-kiosk/0.1.0");

    cJSON *j = core_device_json(&d);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "mode")), "status");
    assert_int_equal((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "id")), d.id);
    const cJSON *site = cJSON_GetObjectItem(j, "site");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(site, "code")), "SH01");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(site, "name")), "上海浦东店");
    cJSON_Delete(j);

    assert_int_equal(core_auth_device(f->core, "not-a-token", NULL, FX_NOW, &d, &err), -1);
    assert_int_equal(err.code, PROTO_E_AUTH_FAILED);
    assert_int_equal(core_auth_device(f->core, "", NULL, FX_NOW, &d, &err), -1);
    assert_int_equal(err.code, PROTO_E_AUTH_FAILED);

    assert_int_equal(core_device_active(f->core, f->dev[DOMAIN_MODE_STATUS].id), 1);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_devices_revoke(f->s, f->dev[DOMAIN_MODE_STATUS].id, FX_NOW, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(core_device_active(f->core, f->dev[DOMAIN_MODE_STATUS].id), 0);
    assert_int_equal(core_device_active(f->core, 9999), 0);
    assert_int_equal(
        core_auth_device(f->core, f->tokens[DOMAIN_MODE_STATUS], NULL, FX_NOW, &d, &err), -1);
    assert_int_equal(err.code, PROTO_E_DEVICE_REVOKED);
}

static int login(struct cfx *f, const char *no, const char *pin, int64_t now, struct core_staff *st,
                 struct proto_error *err)
{
    cJSON *data = NULL;
    int rc = core_staff_login(f->core, &f->dev[DOMAIN_MODE_DELIVERY], no, pin, now, st, &data, err);
    if (rc == 0) {
        const cJSON *s = cJSON_GetObjectItem(data, "staff");
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(s, "staff_no")), no);
        assert_int_equal((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(data, "expires_at")),
                         st->expires_at);
    } else {
        assert_null(data);
    }
    cJSON_Delete(data);
    return rc;
}

static void test_staff_login_and_lockout(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    struct core_staff st;
    assert_int_equal(login(f, "S001", FX_PIN, FX_NOW, &st, &err), 0);
    assert_int_equal(st.id, f->c1);
    assert_int_equal(st.role, DOMAIN_ROLE_CONSULTANT);
    assert_string_equal(st.name, "张伟");
    assert_int_equal(st.expires_at, FX_NOW + 5LL * 60 * 1000);

    assert_int_equal(login(f, "S001", "0000", FX_NOW, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOGIN_FAILED);
    assert_int_equal(login(f, "NOBODY", FX_PIN, FX_NOW, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOGIN_FAILED);
    /* right PIN, wrong site */
    assert_int_equal(login(f, "B001", FX_PIN, FX_NOW, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);

    /* four more wrong PINs make five within ten minutes: locked, even for the right PIN */
    for (int i = 1; i <= 4; i++)
        assert_int_equal(login(f, "S001", "1111", FX_NOW + i * 1000LL, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOGIN_FAILED);
    assert_int_equal(login(f, "S001", FX_PIN, FX_NOW + 5000, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOCKED);
    /* others are not locked */
    assert_int_equal(login(f, "S002", FX_PIN, FX_NOW + 5000, &st, &err), 0);
    /* ten minutes after the last failure the lock is gone */
    assert_int_equal(login(f, "S001", FX_PIN, FX_NOW + 4000 + 10LL * 60 * 1000, &st, &err), 0);
    /* and success cleared the count: one new failure does not lock */
    int64_t later = FX_NOW + 20LL * 60 * 1000;
    assert_int_equal(login(f, "S001", "1111", later, &st, &err), -1);
    assert_int_equal(login(f, "S001", FX_PIN, later + 1, &st, &err), 0);
    /* an inactive staff member cannot log in */
    assert_int_equal(store_staff_set_active(f->s, f->c2, false, &err), 0);
    assert_int_equal(login(f, "S002", FX_PIN, later + 2, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOGIN_FAILED);
}

/* An unknown staff number costs the same Argon2id verification as a wrong PIN (a dummy
 * one), so response time does not tell which staff numbers exist; a known one does not. */
static void test_unknown_staff_costs_a_pin_verify(void **state)
{
    struct cfx *f = *state;
    struct proto_error err;
    struct core_staff st;
    unsigned long before = core_secret_dummy_verifies();
    assert_int_equal(login(f, "S001", "0000", FX_NOW, &st, &err), -1);
    assert_int_equal(core_secret_dummy_verifies(), before); /* the real hash was verified */
    assert_int_equal(login(f, "NOBODY", "0000", FX_NOW, &st, &err), -1);
    assert_int_equal(err.code, PROTO_E_STAFF_LOGIN_FAILED);
    assert_int_equal(core_secret_dummy_verifies(), before + 1);
    assert_int_equal(login(f, "S999", FX_PIN, FX_NOW + 1, &st, &err), -1);
    assert_int_equal(core_secret_dummy_verifies(), before + 2);
    /* the dummy never matches, whatever the PIN */
    assert_int_equal(core_secret_pin_verify_dummy(FX_PIN), 0);
    assert_int_equal(core_secret_pin_verify_dummy(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secrets),
        cmocka_unit_test_setup_teardown(test_device_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_login_and_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_staff_costs_a_pin_verify, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

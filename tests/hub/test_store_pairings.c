/* The kiosk fleet's pairing codes in the store (hub/store_fleet.h, store_pairings.c): code
 * shape and normalisation, reuse for the same claim, expiry, approval and its refusals, the
 * token hash after done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_fleet.h"
#include "test_store_fx.h"

#define MIN_MS    60000LL
#define CLAIM_A   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define CLAIM_B   "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define TOKEN_H_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("unexpected failure: %s (%s)", err->message, proto_error_code(err->code));
}

static void begin(struct store_fx *f)
{
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
}

static void commit(struct store_fx *f)
{
    struct proto_error err;
    ok(store_commit(f->s, &err), &err);
}

/* A kiosk device added the way `device add` does (a real-looking token hash). */
static int64_t add_kiosk(struct store_fx *f, int64_t site, const char *name, enum domain_mode m)
{
    struct proto_error err;
    static unsigned serial; /* token hashes are unique: any distinct hex will do */
    char hash[STORE_HASH_HEX_LEN + 1];
    snprintf(hash, sizeof hash, "%064x", ++serial);
    int64_t id;
    ok(store_devices_add(f->s, site, name, m, hash, FX_NOW - FX_HOUR, &id, &err), &err);
    return id;
}

static struct store_device get_dev(struct store_fx *f, int64_t id)
{
    struct store_device d;
    struct proto_error err;
    ok(store_devices_get(f->s, id, &d, &err), &err);
    return d;
}

/* ---- pairing codes ---- */

static void test_code_normalize(void **state)
{
    (void)state;
    char out[STORE_PAIRING_CODE_LEN + 1];
    struct proto_error err;
    static const struct {
        const char *in, *want;
    } good[] = {{"K7F3QX", "K7F3QX"},
                {"k7f-3qx", "K7F3QX"},
                {"K7F 3QX", "K7F3QX"},
                {" 22 22 22 ", "222222"},
                {"zzzzzz", "ZZZZZZ"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ok(store_pairing_code_normalize(good[i].in, out, &err), &err);
        assert_string_equal(out, good[i].want);
    }
    /* look-alikes (0 O 1 I L), wrong lengths, other characters */
    static const char *const bad[] = {"K7F3Q",  "K7F3QXX", "K7F3Q0", "K7F3QO", "K7F3Q1",
                                      "K7F3QI", "K7F3QL",  "",       "K7F_QX", "K7F3Q\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(store_pairing_code_normalize(bad[i], out, &err), -1);
        assert_int_equal(err.code, PROTO_E_BAD_FIELD);
        assert_string_equal(err.field, "code");
    }
    assert_int_equal(store_pairing_code_normalize(NULL, out, &err), -1);
}

static void test_pairing_open_reuse_expiry(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_pairing p, q, r;
    bool created = false;
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "1920x1080", "0.1.0", "10.0.0.5", FX_NOW, &p,
                           &created, &err),
       &err);
    commit(f);
    assert_true(created);
    assert_int_equal(strlen(p.code), STORE_PAIRING_CODE_LEN);
    for (size_t i = 0; i < STORE_PAIRING_CODE_LEN; i++)
        assert_non_null(strchr(STORE_PAIRING_ALPHABET, p.code[i]));
    assert_int_equal(p.state, STORE_PAIRING_PENDING);
    assert_int_equal(p.created_at, FX_NOW);
    assert_int_equal(p.expires_at, FX_NOW + STORE_PAIRING_TTL_MS);
    assert_string_equal(p.hostname, "kiosk-a");
    assert_string_equal(p.screen, "1920x1080");
    assert_string_equal(p.peer, "10.0.0.5");
    assert_int_equal(p.device_id, 0);

    /* the same claim a minute later: the same code, details refreshed */
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a2", "1080x1920", "0.1.1", "10.0.0.6",
                           FX_NOW + MIN_MS, &q, &created, &err),
       &err);
    commit(f);
    assert_false(created);
    assert_int_equal(q.id, p.id);
    assert_string_equal(q.code, p.code);
    assert_int_equal(q.expires_at, p.expires_at);
    assert_string_equal(q.hostname, "kiosk-a2");
    assert_string_equal(q.screen, "1080x1920");
    assert_string_equal(q.version, "0.1.1");

    /* another kiosk gets another code; both are pending, oldest first */
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_B, "kiosk-b", "", "", "", FX_NOW + 2 * MIN_MS, &r, &created,
                           &err),
       &err);
    commit(f);
    assert_true(created);
    assert_string_not_equal(r.code, p.code);
    ok(store_pairings_find_code(f->s, r.code, &q, &err), &err);
    assert_int_equal(q.id, r.id);

    /* at expiry the code is gone: the claim gets a new pairing and a new code */
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "", "", "", FX_NOW + STORE_PAIRING_TTL_MS, &q,
                           &created, &err),
       &err);
    commit(f);
    assert_true(created);
    assert_int_not_equal(q.id, p.id);
    assert_string_not_equal(q.code, p.code);
    assert_int_equal(store_pairings_get(f->s, p.id, &r, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_pairings_find_code(f->s, p.code, &r, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* bad input changes nothing */
    assert_int_equal(
        store_pairings_open(f->s, "not-a-hash", "", "", "", "", FX_NOW, &q, &created, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    char longname[80];
    memset(longname, 'h', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(
        store_pairings_open(f->s, CLAIM_B, longname, "", "", "", FX_NOW, &q, &created, &err), -1);
    assert_int_equal(err.code, PROTO_E_TOO_LONG);
}

struct pending {
    int n;
    char codes[4][STORE_PAIRING_CODE_LEN + 1];
};

static int collect_pending(void *ctx, const struct store_pairing *p)
{
    struct pending *pd = ctx;
    if (pd->n < 4)
        snprintf(pd->codes[pd->n], sizeof pd->codes[0], "%s", p->code);
    pd->n++;
    return 0;
}

static void test_pairing_pending_list(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_pairing a, b;
    bool created;
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "a", "", "", "", FX_NOW, &a, &created, &err), &err);
    ok(store_pairings_open(f->s, CLAIM_B, "b", "", "", "", FX_NOW + MIN_MS, &b, &created, &err),
       &err);
    commit(f);
    struct pending pd = {0};
    ok(store_pairings_pending(f->s, FX_NOW + 2 * MIN_MS, collect_pending, &pd, &err), &err);
    assert_int_equal(pd.n, 2);
    assert_string_equal(pd.codes[0], a.code);
    assert_string_equal(pd.codes[1], b.code);
    /* a's code has expired 15 minutes after FX_NOW; b's a minute later */
    memset(&pd, 0, sizeof pd);
    ok(store_pairings_pending(f->s, FX_NOW + STORE_PAIRING_TTL_MS, collect_pending, &pd, &err),
       &err);
    assert_int_equal(pd.n, 1);
    assert_string_equal(pd.codes[0], b.code);
    /* approved codes are not waiting any more */
    begin(f);
    ok(store_pairings_approve(f->s, b.code, f->site, "Reception 9", DOMAIN_MODE_RECEPTION,
                              "cli:admin", FX_NOW + 2 * MIN_MS, NULL, &err),
       &err);
    commit(f);
    memset(&pd, 0, sizeof pd);
    ok(store_pairings_pending(f->s, FX_NOW + 2 * MIN_MS, collect_pending, &pd, &err), &err);
    assert_int_equal(pd.n, 1);
    assert_string_equal(pd.codes[0], a.code);
}

static void test_pairing_approve(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_pairing p, q;
    bool created;
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "1920x1080", "0.1.0", "", FX_NOW, &p, &created,
                           &err),
       &err);
    commit(f);
    add_kiosk(f, f->site, "Taken", DOMAIN_MODE_BOARD);
    int64_t seq0 = store_fx_last_seq(f->s);
    int64_t dev = 0;

    /* refusals, none of which changes anything */
    assert_int_equal(store_pairings_approve(f->s, "Z2Z2Z2", f->site, "Reception 1",
                                            DOMAIN_MODE_RECEPTION, "cli", FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_string_equal(err.message, "no kiosk is showing pairing code Z2Z2Z2");
    assert_int_equal(store_pairings_approve(f->s, "K0F3QX", f->site, "Reception 1",
                                            DOMAIN_MODE_RECEPTION, "cli", FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_pairings_approve(f->s, p.code, f->site, "Taken", DOMAIN_MODE_RECEPTION,
                                            "cli", FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_string_equal(err.field, "name");
    assert_int_equal(store_pairings_approve(f->s, p.code, f->site, "API", DOMAIN_MODE_API, "cli",
                                            FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_pairings_approve(f->s, p.code, f->site, "", DOMAIN_MODE_RECEPTION, "cli",
                                            FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_pairings_approve(f->s, p.code, 999, "Reception 1", DOMAIN_MODE_RECEPTION,
                                            "cli", FX_NOW, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* expired: the message names the local time (10:00 + 15 min at UTC+8) */
    assert_int_equal(store_pairings_approve(f->s, p.code, f->site, "Reception 1",
                                            DOMAIN_MODE_RECEPTION, "cli",
                                            FX_NOW + STORE_PAIRING_TTL_MS, &dev, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    char want[160];
    snprintf(want, sizeof want, "pairing code %s expired at 10:15; the kiosk shows a new one",
             p.code);
    assert_string_equal(err.message, want);
    assert_int_equal(store_fx_last_seq(f->s), seq0);
    ok(store_pairings_get(f->s, p.id, &q, &err), &err);
    assert_int_equal(q.state, STORE_PAIRING_PENDING);

    /* approved with the code as a person types it */
    char typed[16];
    snprintf(typed, sizeof typed, "%.3s-%.3s", p.code, p.code + 3);
    for (char *c = typed; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    begin(f);
    ok(store_pairings_approve(f->s, typed, f->site, "Reception 1", DOMAIN_MODE_RECEPTION,
                              "cli:root", FX_NOW + MIN_MS, &dev, &err),
       &err);
    commit(f);
    assert_true(dev > 0);
    ok(store_pairings_get(f->s, p.id, &q, &err), &err);
    assert_int_equal(q.state, STORE_PAIRING_APPROVED);
    assert_int_equal(q.device_id, dev);
    assert_string_equal(q.approved_by, "cli:root");
    assert_int_equal(q.approved_at, FX_NOW + MIN_MS);
    struct store_device d = get_dev(f, dev);
    assert_string_equal(d.name, "Reception 1");
    assert_int_equal(d.mode, DOMAIN_MODE_RECEPTION);
    assert_int_equal(d.site_id, f->site);
    assert_false(d.online);
    assert_string_equal(d.config, "{}");
    cJSON *last = NULL;
    assert_int_equal(store_fx_events(f->s, seq0, "device.paired", &last), 1);
    assert_int_equal(cJSON_GetObjectItem(last, "pairing_id")->valuedouble, p.id);
    assert_int_equal(cJSON_GetObjectItem(last, "device_id")->valuedouble, dev);
    cJSON_Delete(last);

    /* used: a second approval is refused */
    assert_int_equal(store_pairings_approve(f->s, p.code, f->site, "Reception 2",
                                            DOMAIN_MODE_RECEPTION, "cli", FX_NOW + MIN_MS, &dev,
                                            &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    snprintf(want, sizeof want, "pairing code %s was already used", p.code);
    assert_string_equal(err.message, want);

    /* the kiosk comes back before it got its token: the approved pairing, not a new one */
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "", "", "", FX_NOW + 20 * MIN_MS, &q, &created,
                           &err),
       &err);
    commit(f);
    assert_false(created);
    assert_int_equal(q.id, p.id);
    assert_int_equal(q.state, STORE_PAIRING_APPROVED);
}

static void test_pairing_done(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    struct store_pairing p, q;
    struct store_device d;
    bool created;
    int64_t dev;
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "", "", "", FX_NOW, &p, &created, &err), &err);
    commit(f);
    /* pending: nothing to hand out */
    assert_int_equal(store_pairings_done(f->s, p.id, TOKEN_H_A, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    begin(f);
    ok(store_pairings_approve(f->s, p.code, f->site, "Board 1", DOMAIN_MODE_BOARD, "cli", FX_NOW,
                              &dev, &err),
       &err);
    commit(f);
    /* before done, no real token finds the device; its placeholder is not a digest */
    assert_int_equal(store_devices_find_by_token(f->s, TOKEN_H_A, &d, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    d = get_dev(f, dev);
    assert_int_equal(strlen(d.token_hash), STORE_HASH_HEX_LEN);
    bool hex = true;
    for (const char *c = d.token_hash; *c; c++)
        hex = hex && ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'));
    assert_false(hex);
    /* a bad hash is refused */
    assert_int_equal(store_pairings_done(f->s, p.id, "XYZ", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);

    begin(f);
    ok(store_pairings_done(f->s, p.id, TOKEN_H_A, FX_NOW + 1000, &err), &err);
    commit(f);
    ok(store_devices_find_by_token(f->s, TOKEN_H_A, &d, &err), &err);
    assert_int_equal(d.id, dev);
    ok(store_pairings_get(f->s, p.id, &q, &err), &err);
    assert_int_equal(q.state, STORE_PAIRING_DONE);
    assert_int_equal(q.done_at, FX_NOW + 1000);
    assert_int_equal(store_pairings_done(f->s, p.id, TOKEN_H_A, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);

    /* the kiosk lost its token and asks again: a new code (the used one is never shown again) */
    begin(f);
    ok(store_pairings_open(f->s, CLAIM_A, "kiosk-a", "", "", "", FX_NOW + 2000, &q, &created, &err),
       &err);
    commit(f);
    assert_true(created);
    assert_int_equal(q.state, STORE_PAIRING_PENDING);
    assert_string_not_equal(q.code, p.code);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_normalize),
        cmocka_unit_test_setup_teardown(test_pairing_open_reuse_expiry, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_pairing_pending_list, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_pairing_approve, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_pairing_done, store_fx_setup, store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The kiosk fleet's store (hub/store_fleet.h, migration 7): device health and offline
 * detection with a moved clock, configuration layering and validation, remote commands' state
 * machine and screenshots. Pairing codes: test_store_pairings.c. */
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

#define MIN_MS 60000LL

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

/* ---- health ---- */

static int count_outbox(struct store_fx *f, char *payload, size_t sz)
{
    /* the webhook head of the site, if any */
    struct store_webhook w;
    struct proto_error err;
    if (store_webhooks_head(f->s, f->site, &w, &err) != 0)
        return 0;
    snprintf(payload, sz, "%s", w.payload);
    return 1;
}

static void test_health_online_offline(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Reception 1", DOMAIN_MODE_RECEPTION);
    int events = -1;
    int64_t seq0 = store_fx_last_seq(f->s);

    /* a connection brings it online */
    begin(f);
    ok(store_devices_connected(f->s, id, "showfloor-kiosk/0.1", 20414, FX_NOW, &events, &err),
       &err);
    commit(f);
    assert_int_equal(events, 1);
    cJSON *last = NULL;
    assert_int_equal(store_fx_events(f->s, seq0, "device.online", &last), 1);
    cJSON *row = cJSON_GetObjectItem(last, "device");
    assert_int_equal(cJSON_GetObjectItem(row, "id")->valuedouble, id);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "online")));
    assert_string_equal(cJSON_GetObjectItem(row, "site")->valuestring, "SH01");
    cJSON_Delete(last);
    struct store_device d = get_dev(f, id);
    assert_true(d.online);
    assert_int_equal(d.online_changed_at, FX_NOW);
    assert_int_equal(d.last_seen, FX_NOW);
    assert_string_equal(d.client, "showfloor-kiosk/0.1");

    /* heartbeats: fields kept, "" / 0 keep the stored value, no second online event */
    struct store_device_health h = {.device_id = id,
                                    .started_at = FX_NOW - 5000,
                                    .frames = 1200,
                                    .last_frame_at = FX_NOW + 14000,
                                    .watchdog_restarts = 2,
                                    .last_watchdog_at = FX_NOW - 9000,
                                    .seen_at = FX_NOW + 15000};
    snprintf(h.hostname, sizeof h.hostname, "kiosk-1");
    snprintf(h.version, sizeof h.version, "0.1.0");
    snprintf(h.screen, sizeof h.screen, "1920x1080");
    begin(f);
    ok(store_devices_health(f->s, &h, 1, &events, &err), &err);
    commit(f);
    assert_int_equal(events, 0);
    struct store_device_health h2 = {.device_id = id, .frames = 1500, .seen_at = FX_NOW + 30000};
    begin(f);
    ok(store_devices_health(f->s, &h2, 1, &events, &err), &err);
    commit(f);
    d = get_dev(f, id);
    assert_string_equal(d.hostname, "kiosk-1");
    assert_string_equal(d.version, "0.1.0");
    assert_string_equal(d.screen, "1920x1080");
    assert_int_equal(d.started_at, FX_NOW - 5000);
    assert_int_equal(d.frames, 1500);
    assert_int_equal(d.last_frame_at, FX_NOW + 14000);
    assert_int_equal(d.watchdog_restarts, 0);
    assert_int_equal(d.last_watchdog_at, FX_NOW - 9000);
    assert_int_equal(d.last_seen, FX_NOW + 30000);
    /* an older heartbeat never moves last_seen back */
    struct store_device_health h3 = {.device_id = id, .frames = 1500, .seen_at = FX_NOW};
    begin(f);
    ok(store_devices_health(f->s, &h3, 1, &events, &err), &err);
    commit(f);
    assert_int_equal(get_dev(f, id).last_seen, FX_NOW + 30000);

    /* offline after the default 60 s of silence, and not a millisecond before */
    int n = -1;
    seq0 = store_fx_last_seq(f->s);
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 30000 + 60000, &n, &err), &err);
    commit(f);
    assert_int_equal(n, 0);
    assert_true(get_dev(f, id).online);
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 30000 + 60001, &n, &err), &err);
    commit(f);
    assert_int_equal(n, 1);
    d = get_dev(f, id);
    assert_false(d.online);
    assert_int_equal(d.online_changed_at, FX_NOW + 90001);
    assert_int_equal(store_fx_events(f->s, seq0, "device.offline", &last), 1);
    row = cJSON_GetObjectItem(last, "device");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(row, "online")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "uptime_s")));
    cJSON_Delete(last);
    /* no webhook_url: nothing queued */
    char payload[STORE_WEBHOOK_MAX + 1];
    assert_int_equal(count_outbox(f, payload, sizeof payload), 0);
    /* once offline, the check does not report it again */
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 200000, &n, &err), &err);
    commit(f);
    assert_int_equal(n, 0);

    /* the next heartbeat brings it back */
    seq0 = store_fx_last_seq(f->s);
    struct store_device_health h4 = {.device_id = id, .frames = 1600, .seen_at = FX_NOW + 300000};
    begin(f);
    ok(store_devices_health(f->s, &h4, 1, &events, &err), &err);
    commit(f);
    assert_int_equal(events, 1);
    assert_int_equal(store_fx_events(f->s, seq0, "device.online", NULL), 1);
    assert_true(get_dev(f, id).online);

    /* an unknown device */
    struct store_device_health hx = {.device_id = 999, .seen_at = FX_NOW};
    assert_int_equal(store_devices_health(f->s, &hx, 1, &events, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_devices_connected(f->s, 999, "", 1, FX_NOW, &events, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

static void test_offline_per_site_and_webhook(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t a = add_kiosk(f, f->site, "Board 1", DOMAIN_MODE_BOARD);
    int64_t b = add_kiosk(f, f->other_site, "Board 2", DOMAIN_MODE_BOARD);
    int events, n;
    begin(f);
    ok(store_fleet_site_config_set(f->s, f->site, "offline_after_s", "10", FX_NOW, &err), &err);
    ok(store_settings_text_set(f->s, f->site, "webhook_url", "https://relay.example.cn/h", &err),
       &err);
    ok(store_devices_connected(f->s, a, "k", 20414, FX_NOW, &events, &err), &err);
    ok(store_devices_connected(f->s, b, "k", 20414, FX_NOW, &events, &err), &err);
    commit(f);
    /* site SH01 says 10 s, SH02 keeps the default 60 s */
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 10000, &n, &err), &err);
    assert_int_equal(n, 0);
    ok(store_devices_mark_offline(f->s, FX_NOW + 10001, &n, &err), &err);
    assert_int_equal(n, 1);
    commit(f);
    assert_false(get_dev(f, a).online);
    assert_true(get_dev(f, b).online);
    char payload[STORE_WEBHOOK_MAX + 1];
    assert_int_equal(count_outbox(f, payload, sizeof payload), 1);
    cJSON *p = cJSON_Parse(payload);
    assert_non_null(p);
    assert_string_equal(cJSON_GetObjectItem(p, "kind")->valuestring, "device.offline");
    assert_string_equal(cJSON_GetObjectItem(p, "site")->valuestring, "SH01");
    assert_true(cJSON_GetObjectItem(p, "seq")->valuedouble > 0);
    assert_int_equal(cJSON_GetObjectItem(p, "at")->valuedouble, FX_NOW + 10001);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "device"), "name")->valuestring,
                        "Board 1");
    cJSON_Delete(p);
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 60001, &n, &err), &err);
    commit(f);
    assert_int_equal(n, 1);
    assert_false(get_dev(f, b).online);
}

static void test_revoked_never_online(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Status 1", DOMAIN_MODE_STATUS);
    int events = -1, n = -1;
    begin(f);
    ok(store_devices_connected(f->s, id, "k", 20414, FX_NOW, &events, &err), &err);
    ok(store_devices_revoke(f->s, id, FX_NOW + 1000, &err), &err);
    commit(f);
    /* revoked while online: not reported offline (it is gone, not down), shown as not online */
    begin(f);
    ok(store_devices_mark_offline(f->s, FX_NOW + 3600000, &n, &err), &err);
    commit(f);
    assert_int_equal(n, 0);
    struct store_device d = get_dev(f, id);
    cJSON *row = store_devices_fleet_json(f->s, &d, FX_NOW + 2000);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(row, "online")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "revoked")));
    cJSON_Delete(row);

    int64_t id2 = add_kiosk(f, f->site, "Status 2", DOMAIN_MODE_STATUS);
    begin(f);
    ok(store_devices_revoke(f->s, id2, FX_NOW, &err), &err);
    commit(f);
    int64_t seq0 = store_fx_last_seq(f->s);
    struct store_device_health h = {.device_id = id2, .seen_at = FX_NOW + 1000};
    begin(f);
    ok(store_devices_connected(f->s, id2, "k", 20414, FX_NOW + 1000, &events, &err), &err);
    assert_int_equal(events, 0);
    ok(store_devices_health(f->s, &h, 1, &events, &err), &err);
    assert_int_equal(events, 0);
    commit(f);
    assert_false(get_dev(f, id2).online);
    assert_int_equal(store_fx_events(f->s, seq0, "device.online", NULL), 0);
}

static void test_reconnects_and_fleet_row(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Delivery 1", DOMAIN_MODE_DELIVERY);
    int events;
    /* FX_NOW is 10:00 local (UTC+8) on local day 20414 */
    const int64_t day = (FX_NOW + 480 * MIN_MS) / 86400000LL;
    begin(f);
    ok(store_devices_connected(f->s, id, "k", day, FX_NOW, &events, &err), &err);
    ok(store_devices_connected(f->s, id, "k", day, FX_NOW + FX_HOUR, &events, &err), &err);
    ok(store_devices_connected(f->s, id, "k", day, FX_NOW + 2 * FX_HOUR, &events, &err), &err);
    commit(f);
    struct store_device d = get_dev(f, id);
    assert_int_equal(d.reconnects, 2);
    assert_int_equal(d.reconnect_day, day);
    struct store_device_health h = {.device_id = id,
                                    .started_at = FX_NOW + 2 * FX_HOUR - 30000,
                                    .frames = 10,
                                    .last_frame_at = FX_NOW + 2 * FX_HOUR,
                                    .seen_at = FX_NOW + 2 * FX_HOUR};
    snprintf(h.version, sizeof h.version, "0.2.0");
    begin(f);
    ok(store_devices_health(f->s, &h, 1, &events, &err), &err);
    commit(f);
    d = get_dev(f, id);
    cJSON *row = store_devices_fleet_json(f->s, &d, FX_NOW + 2 * FX_HOUR + 10000);
    assert_non_null(row);
    static const char *const keys[] = {"id",
                                       "name",
                                       "site",
                                       "mode",
                                       "online",
                                       "last_seen",
                                       "online_changed_at",
                                       "version",
                                       "hostname",
                                       "screen",
                                       "uptime_s",
                                       "last_frame_at",
                                       "reconnects_today",
                                       "watchdog_restarts",
                                       "last_watchdog_at",
                                       "maintenance",
                                       "revoked"};
    assert_int_equal(cJSON_GetArraySize(row), sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(cJSON_GetObjectItemCaseSensitive(row, keys[i]));
    assert_string_equal(cJSON_GetObjectItem(row, "mode")->valuestring, "delivery");
    assert_string_equal(cJSON_GetObjectItem(row, "version")->valuestring, "0.2.0");
    assert_int_equal(cJSON_GetObjectItem(row, "uptime_s")->valuedouble, 40);
    assert_int_equal(cJSON_GetObjectItem(row, "reconnects_today")->valuedouble, 2);
    assert_int_equal(cJSON_GetObjectItem(row, "last_frame_at")->valuedouble, FX_NOW + 2 * FX_HOUR);
    assert_int_equal(cJSON_GetObjectItem(row, "last_watchdog_at")->valuedouble, 0); /* never */
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(row, "maintenance")));
    cJSON_Delete(row);
    /* read on the next local day (00:00 is FX_NOW + 14 h), the count is of a past day */
    row = store_devices_fleet_json(f->s, &d, FX_NOW + 14 * FX_HOUR);
    assert_int_equal(cJSON_GetObjectItem(row, "reconnects_today")->valuedouble, 0);
    cJSON_Delete(row);
    row = store_devices_fleet_json(f->s, &d, FX_NOW + 14 * FX_HOUR - 1);
    assert_int_equal(cJSON_GetObjectItem(row, "reconnects_today")->valuedouble, 2);
    cJSON_Delete(row);
    /* the first connection of the new day is not a reconnect */
    begin(f);
    ok(store_devices_connected(f->s, id, "k", day + 1, FX_NOW + 14 * FX_HOUR, &events, &err), &err);
    commit(f);
    d = get_dev(f, id);
    assert_int_equal(d.reconnects, 0);
    assert_int_equal(d.reconnect_day, day + 1);
}

/* ---- configuration ---- */

static void test_config_validation(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Reception 1", DOMAIN_MODE_RECEPTION);
    static const struct {
        const char *key, *value;
    } good[] = {
        {"idle_timeout_s", "15"},
        {"idle_timeout_s", "3600"},
        {"idle_timeout_s", "90"},
        {"language", "zh"},
        {"language", "en"},
        {"theme", "default"},
        {"theme", "night-2_b"},
        {"theme", "abcdefghijklmnopqrstuvwxyz012345"},
        {"night_dim", ""},
        {"night_dim", "22:00-06:30"},
        {"night_dim", "00:00-23:59"},
        {"burnin_shift_min", "0"},
        {"burnin_shift_min", "60"},
        {"offline_after_s", "10"},
        {"offline_after_s", "86400"},
    };
    static const struct {
        const char *key, *value;
        enum proto_err code;
    } bad[] = {
        {"idle_timeout_s", "14", PROTO_E_OUT_OF_RANGE},
        {"idle_timeout_s", "3601", PROTO_E_OUT_OF_RANGE},
        {"idle_timeout_s", "", PROTO_E_OUT_OF_RANGE},
        {"idle_timeout_s", "60s", PROTO_E_OUT_OF_RANGE},
        {"idle_timeout_s", "-20", PROTO_E_OUT_OF_RANGE},
        {"idle_timeout_s", "99999999999999999999", PROTO_E_OUT_OF_RANGE},
        {"language", "fr", PROTO_E_OUT_OF_RANGE},
        {"language", "ZH", PROTO_E_OUT_OF_RANGE},
        {"theme", "", PROTO_E_OUT_OF_RANGE},
        {"theme", "Default", PROTO_E_OUT_OF_RANGE},
        {"theme", "../etc", PROTO_E_OUT_OF_RANGE},
        {"theme", "abcdefghijklmnopqrstuvwxyz0123456", PROTO_E_OUT_OF_RANGE},
        {"night_dim", "22:00", PROTO_E_OUT_OF_RANGE},
        {"night_dim", "24:00-06:00", PROTO_E_OUT_OF_RANGE},
        {"night_dim", "22:00-22:00", PROTO_E_OUT_OF_RANGE},
        {"night_dim", "22:60-06:00", PROTO_E_OUT_OF_RANGE},
        {"night_dim", "22:00~06:00", PROTO_E_OUT_OF_RANGE},
        {"burnin_shift_min", "61", PROTO_E_OUT_OF_RANGE},
        {"burnin_shift_min", "x", PROTO_E_OUT_OF_RANGE},
        {"offline_after_s", "9", PROTO_E_OUT_OF_RANGE},
        {"offline_after_s", "86401", PROTO_E_OUT_OF_RANGE},
        {"brightness", "50", PROTO_E_BAD_FIELD},
        {NULL, "50", PROTO_E_BAD_FIELD},
    };
    int64_t seq0 = store_fx_last_seq(f->s);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        begin(f);
        ok(store_fleet_site_config_set(f->s, f->site, good[i].key, good[i].value, FX_NOW, &err),
           &err);
        if (strcmp(good[i].key, "offline_after_s") != 0)
            ok(store_devices_config_set(f->s, id, good[i].key, good[i].value, FX_NOW, &err), &err);
        commit(f);
    }
    int64_t seq1 = store_fx_last_seq(f->s);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            store_fleet_site_config_set(f->s, f->site, bad[i].key, bad[i].value, FX_NOW, &err), -1);
        assert_int_equal(err.code, bad[i].code);
        if (!bad[i].key || strcmp(bad[i].key, "offline_after_s") != 0) {
            assert_int_equal(
                store_devices_config_set(f->s, id, bad[i].key, bad[i].value, FX_NOW, &err), -1);
            assert_int_equal(err.code, bad[i].code);
        }
        /* the CLI's `site set --key kiosk.<key>` goes through the same check */
        if (bad[i].key && bad[i].code == PROTO_E_OUT_OF_RANGE && bad[i].value[0]) {
            char name[64];
            snprintf(name, sizeof name, "kiosk.%s", bad[i].key);
            assert_int_equal(store_settings_text_set(f->s, f->site, name, bad[i].value, &err), -1);
            assert_int_equal(err.code, PROTO_E_OUT_OF_RANGE);
        }
    }
    assert_int_equal(store_fx_last_seq(f->s), seq1); /* refusals changed nothing */
    assert_true(seq1 > seq0);
    /* offline_after_s is the site's only */
    assert_int_equal(store_devices_config_set(f->s, id, "offline_after_s", "30", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_settings_text_set(f->s, f->site, "kiosk.colour", "red", &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* kiosk keys do not join the listed text settings (the CLI's `site settings`) */
    char v[64];
    bool def = false;
    ok(store_settings_text_get(f->s, f->other_site, "kiosk.idle_timeout_s", v, sizeof v, &def,
                               &err),
       &err);
    assert_string_equal(v, "60");
    assert_true(def);
    /* unknown or revoked devices */
    assert_int_equal(store_devices_config_set(f->s, 999, "language", "en", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    begin(f);
    ok(store_devices_revoke(f->s, id, FX_NOW, &err), &err);
    commit(f);
    assert_int_equal(store_devices_config_set(f->s, id, "language", "en", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_fleet_site_config_set(f->s, 999, "language", "en", FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

static const char *cfg_str(const cJSON *c, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, k);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static int64_t cfg_int(const cJSON *c, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, k);
    assert_true(cJSON_IsNumber(v));
    return (int64_t)v->valuedouble;
}

static cJSON *config_of(struct store_fx *f, int64_t id)
{
    struct proto_error err;
    struct store_device d = get_dev(f, id);
    cJSON *c = store_devices_config_json(f->s, &d, &err);
    assert_non_null(c);
    return c;
}

static void test_config_layering(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t a = add_kiosk(f, f->site, "Reception 1", DOMAIN_MODE_RECEPTION);
    int64_t b = add_kiosk(f, f->site, "Reception 2", DOMAIN_MODE_RECEPTION);
    /* defaults */
    cJSON *c = config_of(f, a);
    assert_int_equal(cJSON_GetArraySize(c), 10);
    assert_string_equal(cfg_str(c, "mode"), "reception");
    assert_string_equal(cfg_str(c, "name"), "Reception 1");
    assert_string_equal(cfg_str(c, "site"), "SH01");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(c, "maintenance")));
    assert_int_equal(cfg_int(c, "idle_timeout_s"), 60);
    assert_string_equal(cfg_str(c, "language"), "zh");
    assert_string_equal(cfg_str(c, "theme"), "default");
    assert_string_equal(cfg_str(c, "night_dim"), "");
    assert_int_equal(cfg_int(c, "burnin_shift_min"), 3);
    assert_int_equal(cfg_int(c, "offline_after_s"), 60);
    cJSON_Delete(c);

    /* site level: both devices; device level: only a */
    int64_t seq0 = store_fx_last_seq(f->s);
    begin(f);
    ok(store_fleet_site_config_set(f->s, f->site, "language", "en", FX_NOW, &err), &err);
    ok(store_fleet_site_config_set(f->s, f->site, "idle_timeout_s", "120", FX_NOW, &err), &err);
    ok(store_fleet_site_config_set(f->s, f->site, "night_dim", "22:00-07:00", FX_NOW, &err), &err);
    ok(store_fleet_site_config_set(f->s, f->site, "offline_after_s", "30", FX_NOW, &err), &err);
    ok(store_devices_config_set(f->s, a, "idle_timeout_s", "300", FX_NOW, &err), &err);
    ok(store_devices_config_set(f->s, a, "night_dim", "", FX_NOW, &err), &err);
    ok(store_devices_config_set(f->s, a, "theme", "dark", FX_NOW, &err), &err);
    commit(f);
    cJSON *last = NULL;
    assert_int_equal(store_fx_events(f->s, seq0, "device.changed", &last), 7);
    assert_int_equal(cJSON_GetObjectItem(last, "device_id")->valuedouble, a);
    cJSON_Delete(last);
    assert_string_equal(get_dev(f, a).config,
                        "{\"idle_timeout_s\":300,\"night_dim\":\"\",\"theme\":\"dark\"}");
    c = config_of(f, a);
    assert_int_equal(cfg_int(c, "idle_timeout_s"), 300);
    assert_string_equal(cfg_str(c, "language"), "en");
    assert_string_equal(cfg_str(c, "theme"), "dark");
    assert_string_equal(cfg_str(c, "night_dim"), ""); /* the device's explicit "off" wins */
    assert_int_equal(cfg_int(c, "offline_after_s"), 30);
    cJSON_Delete(c);
    c = config_of(f, b);
    assert_int_equal(cfg_int(c, "idle_timeout_s"), 120);
    assert_string_equal(cfg_str(c, "theme"), "default");
    assert_string_equal(cfg_str(c, "night_dim"), "22:00-07:00");
    cJSON_Delete(c);

    /* the site event says "every device of the site" */
    seq0 = store_fx_last_seq(f->s);
    begin(f);
    ok(store_fleet_site_config_set(f->s, f->site, "language", NULL, FX_NOW, &err), &err);
    ok(store_devices_config_set(f->s, a, "idle_timeout_s", NULL, FX_NOW, &err), &err);
    commit(f);
    assert_int_equal(store_fx_events(f->s, seq0, "device.changed", &last), 2);
    cJSON_Delete(last);
    c = config_of(f, a);
    assert_string_equal(cfg_str(c, "language"), "zh");
    assert_int_equal(cfg_int(c, "idle_timeout_s"), 120);
    cJSON_Delete(c);
    seq0 = store_fx_last_seq(f->s);
    begin(f);
    ok(store_fleet_site_config_set(f->s, f->site, "theme", "warm", FX_NOW, &err), &err);
    commit(f);
    assert_int_equal(store_fx_events(f->s, seq0, "device.changed", &last), 1);
    assert_int_equal(cJSON_GetObjectItem(last, "device_id")->valuedouble, 0);
    cJSON_Delete(last);
}

static void test_mode_and_maintenance(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Board 1", DOMAIN_MODE_BOARD);
    int64_t seq0 = store_fx_last_seq(f->s);
    begin(f);
    ok(store_devices_set_mode(f->s, id, DOMAIN_MODE_STATUS, FX_NOW, &err), &err);
    ok(store_devices_set_maintenance(f->s, id, true, FX_NOW, &err), &err);
    commit(f);
    assert_int_equal(store_fx_events(f->s, seq0, "device.changed", NULL), 2);
    struct store_device d = get_dev(f, id);
    assert_int_equal(d.mode, DOMAIN_MODE_STATUS);
    assert_true(d.maintenance);
    cJSON *c = config_of(f, id);
    assert_string_equal(cfg_str(c, "mode"), "status");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "maintenance")));
    cJSON_Delete(c);
    int64_t seq1 = store_fx_last_seq(f->s);
    assert_int_equal(store_devices_set_mode(f->s, id, DOMAIN_MODE_STATUS, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_devices_set_mode(f->s, id, DOMAIN_MODE_API, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_devices_set_maintenance(f->s, id, true, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_devices_set_maintenance(f->s, 999, true, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    int64_t api = add_kiosk(f, f->site, "DMS", DOMAIN_MODE_API);
    assert_int_equal(store_devices_set_mode(f->s, api, DOMAIN_MODE_BOARD, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_fx_last_seq(f->s), seq1);
    begin(f);
    ok(store_devices_set_maintenance(f->s, id, false, FX_NOW, &err), &err);
    commit(f);
    assert_false(get_dev(f, id).maintenance);
}

/* ---- remote commands ---- */

static void test_commands(void **state)
{
    struct store_fx *f = *state;
    struct proto_error err;
    int64_t id = add_kiosk(f, f->site, "Reception 1", DOMAIN_MODE_RECEPTION);
    int64_t cmd = 0, shot = 0, fail = 0;
    int64_t seq0 = store_fx_last_seq(f->s);
    assert_int_equal(store_device_commands_add(f->s, id, "reboot", "cli", FX_NOW, &cmd, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(store_device_commands_add(f->s, 999, "reload", "cli", FX_NOW, &cmd, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(store_fx_last_seq(f->s), seq0);
    begin(f);
    ok(store_device_commands_add(f->s, id, "identify", "cli:root", FX_NOW, &cmd, &err), &err);
    ok(store_device_commands_add(f->s, id, "screenshot", "cli:root", FX_NOW, &shot, &err), &err);
    ok(store_device_commands_add(f->s, id, "restart", "cli:root", FX_NOW, &fail, &err), &err);
    commit(f);
    cJSON *last = NULL;
    assert_int_equal(store_fx_events(f->s, seq0, "device.command", &last), 3);
    assert_int_equal(cJSON_GetObjectItem(last, "command_id")->valuedouble, fail);
    assert_int_equal(cJSON_GetObjectItem(last, "device_id")->valuedouble, id);
    assert_string_equal(cJSON_GetObjectItem(last, "action")->valuestring, "restart");
    cJSON_Delete(last);

    struct store_device_command c;
    ok(store_device_commands_get(f->s, cmd, &c, &err), &err);
    assert_int_equal(c.state, STORE_CMD_PENDING);
    assert_string_equal(c.action, "identify");
    assert_string_equal(c.actor, "cli:root");
    assert_int_equal(c.device_id, id);
    assert_int_equal(c.created_at, FX_NOW);

    /* pending -> sent -> done; nothing after done */
    begin(f);
    ok(store_device_commands_sent(f->s, cmd, FX_NOW + 10, &err), &err);
    commit(f);
    assert_int_equal(store_device_commands_sent(f->s, cmd, FX_NOW + 10, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    begin(f);
    ok(store_device_commands_finish(f->s, cmd, true, "shown for 10 s", NULL, 0, FX_NOW + 20, &err),
       &err);
    commit(f);
    ok(store_device_commands_get(f->s, cmd, &c, &err), &err);
    assert_int_equal(c.state, STORE_CMD_DONE);
    assert_string_equal(c.detail, "shown for 10 s");
    assert_int_equal(c.done_at, FX_NOW + 20);
    assert_int_equal(c.png_len, 0);
    assert_int_equal(
        store_device_commands_finish(f->s, cmd, false, "late", NULL, 0, FX_NOW + 30, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_device_commands_sent(f->s, cmd, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    unsigned char *png = NULL;
    size_t len = 0;
    assert_int_equal(store_device_commands_png(f->s, cmd, &png, &len, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_null(png);

    /* a screenshot is stored and read back byte for byte (with NULs in it) */
    unsigned char img[3000];
    for (size_t i = 0; i < sizeof img; i++)
        img[i] = (unsigned char)(i * 7);
    memcpy(img, "\x89PNG\r\n\x1a\n", 8);
    begin(f);
    ok(store_device_commands_finish(f->s, shot, true, "", img, sizeof img, FX_NOW + 40, &err),
       &err);
    commit(f);
    ok(store_device_commands_get(f->s, shot, &c, &err), &err);
    assert_int_equal(c.png_len, sizeof img);
    ok(store_device_commands_png(f->s, shot, &png, &len, &err), &err);
    assert_int_equal(len, sizeof img);
    assert_memory_equal(png, img, sizeof img);
    free(png);

    /* pending straight to failed (the device was offline) */
    begin(f);
    ok(store_device_commands_finish(f->s, fail, false, "the device is offline", NULL, 0,
                                    FX_NOW + 50, &err),
       &err);
    commit(f);
    ok(store_device_commands_get(f->s, fail, &c, &err), &err);
    assert_int_equal(c.state, STORE_CMD_FAILED);
    assert_string_equal(c.detail, "the device is offline");
    assert_int_equal(store_device_commands_get(f->s, 999, &c, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);

    /* commands for revoked or api devices are refused */
    int64_t api = add_kiosk(f, f->site, "DMS", DOMAIN_MODE_API);
    assert_int_equal(store_device_commands_add(f->s, api, "reload", "cli", FX_NOW, &cmd, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    begin(f);
    ok(store_devices_revoke(f->s, id, FX_NOW, &err), &err);
    commit(f);
    assert_int_equal(store_device_commands_add(f->s, id, "reload", "cli", FX_NOW, &cmd, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_health_online_offline, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_offline_per_site_and_webhook, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_revoked_never_online, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_reconnects_and_fleet_row, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_config_validation, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_config_layering, store_fx_setup, store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_mode_and_maintenance, store_fx_setup,
                                        store_fx_teardown),
        cmocka_unit_test_setup_teardown(test_commands, store_fx_setup, store_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

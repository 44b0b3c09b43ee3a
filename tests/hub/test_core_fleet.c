/* The kiosk fleet through the core (hub/core_fleet.h): pairing to a working token, heartbeats
 * and offline detection with a moved clock, reconnects across local days, who may answer a
 * remote command, screenshots, configuration, the board's view of the fleet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_fleet.h"
#include "core_secret.h"
#include "store_fleet.h"
#include "test_core_fixture.h"

#define CLAIM "0123456789abcdef0123456789abcdef"
#define SEC   1000LL
#define HOUR  3600000LL

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("unexpected failure: %s (%s)", err->message, proto_error_code(err->code));
}

static cJSON *json(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

/* Approves a code the way `showfloor device approve` does: the CLI's own store handle. */
static int approve(struct cfx *f, const char *code, const char *name, enum domain_mode mode,
                   int64_t now, struct proto_error *err)
{
    int64_t dev;
    ok(store_begin(f->s, err), err);
    if (store_pairings_approve(f->s, code, f->site, name, mode, "cli:test", now, &dev, err)) {
        store_rollback(f->s);
        return -1;
    }
    ok(store_commit(f->s, err), err);
    return 0;
}

struct evs {
    enum domain_mode mode;
    struct core *core;
    int n;
    char kinds[16][32];
    cJSON *views[16]; /* core_event_view for `mode` (NULL: not for it) */
};

static void collect(void *ctx, const struct core_event *ev)
{
    struct evs *e = ctx;
    if (e->n >= 16)
        return;
    snprintf(e->kinds[e->n], sizeof e->kinds[0], "%s", ev->kind);
    e->views[e->n] = core_event_view(e->core, ev, e->mode);
    e->n++;
}

static void evs_free(struct evs *e)
{
    for (int i = 0; i < e->n; i++)
        cJSON_Delete(e->views[i]);
}

static void test_pairing_to_token(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    struct core_pairing p, q;
    cJSON *args = json("{\"claim\":\"" CLAIM "\",\"hostname\":\"kiosk-7\","
                       "\"screen\":\"1280x720\",\"version\":\"0.1.0\"}");
    ok(core_pair_open(f->core, args, "192.168.1.20", FX_NOW, &p, &err), &err);
    assert_int_equal(strlen(p.code), STORE_PAIRING_CODE_LEN);
    assert_false(p.approved);
    assert_int_equal(p.expires_at, FX_NOW + STORE_PAIRING_TTL_MS);
    /* a reconnect with the same claim shows the same code */
    ok(core_pair_open(f->core, args, "192.168.1.20", FX_NOW + 30 * SEC, &q, &err), &err);
    assert_int_equal(q.id, p.id);
    assert_string_equal(q.code, p.code);

    /* still pending: nothing handed out, nothing changed */
    char token[PROTO_MAX_TOKEN + 1];
    struct core_device dev;
    assert_int_equal(core_pair_claim(f->core, p.id, FX_NOW, token, &dev, &err), 0);
    assert_string_equal(token, "");

    /* a wrong code and an expired one at approval */
    assert_int_equal(approve(f, "ZZZZZZ", "Reception 9", DOMAIN_MODE_RECEPTION, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(approve(f, p.code, "Reception 9", DOMAIN_MODE_RECEPTION,
                             FX_NOW + STORE_PAIRING_TTL_MS + 1, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_non_null(strstr(err.message, "expired at 10:15"));
    /* a name the site already uses */
    assert_int_equal(approve(f, p.code, "Board 1", DOMAIN_MODE_BOARD, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);

    ok(approve(f, p.code, "Reception 9", DOMAIN_MODE_RECEPTION, FX_NOW + 60 * SEC, &err), &err);
    /* the kiosk reconnects after approval: its pairing says approved, claim at once */
    ok(core_pair_open(f->core, args, "192.168.1.20", FX_NOW + 61 * SEC, &q, &err), &err);
    assert_int_equal(q.id, p.id);
    assert_true(q.approved);
    assert_int_equal(core_pair_claim(f->core, p.id, FX_NOW + 61 * SEC, token, &dev, &err), 1);
    assert_int_equal(strlen(token), CORE_SECRET_TOKEN_LEN);
    assert_string_equal(dev.name, "Reception 9");
    assert_int_equal(dev.mode, DOMAIN_MODE_RECEPTION);
    assert_int_equal(dev.site_id, f->site);
    assert_string_equal(dev.site_code, "SH01");
    assert_string_equal(dev.site_name, "上海浦东店");

    /* the token authenticates the new device */
    struct core_device authed;
    ok(core_auth_device(f->core, token, "kiosk", FX_NOW + 62 * SEC, &authed, &err), &err);
    assert_int_equal(authed.id, dev.id);
    /* the token is handed out once */
    char again[PROTO_MAX_TOKEN + 1];
    assert_int_equal(core_pair_claim(f->core, p.id, FX_NOW + 63 * SEC, again, &dev, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(core_pair_claim(f->core, 999, FX_NOW, again, &dev, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    cJSON_Delete(args);
    cfx_free(f);
}

static void test_pairing_revoked_before_claim(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    struct core_pairing p;
    cJSON *args = json("{\"claim\":\"" CLAIM "\"}");
    ok(core_pair_open(f->core, args, "", FX_NOW, &p, &err), &err);
    ok(approve(f, p.code, "Status 9", DOMAIN_MODE_STATUS, FX_NOW, &err), &err);
    struct store_pairing sp;
    ok(store_pairings_get(f->s, p.id, &sp, &err), &err);
    ok(store_begin(f->s, &err), &err);
    ok(store_devices_revoke(f->s, sp.device_id, FX_NOW, &err), &err);
    ok(store_commit(f->s, &err), &err);
    char token[PROTO_MAX_TOKEN + 1];
    struct core_device dev;
    assert_int_equal(core_pair_claim(f->core, p.id, FX_NOW, token, &dev, &err), -1);
    assert_int_equal(err.code, PROTO_E_DEVICE_REVOKED);
    assert_string_equal(token, "");
    ok(store_pairings_get(f->s, p.id, &sp, &err), &err);
    assert_int_equal(sp.state, STORE_PAIRING_APPROVED); /* nothing changed */
    cJSON_Delete(args);
    cfx_free(f);
}

static void test_heartbeats_and_offline(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    const struct core_device *rec = &f->dev[DOMAIN_MODE_RECEPTION];
    int64_t seq0 = core_last_seq(f->core);
    cJSON *args = json("{\"frames\":4200,\"uptime_s\":120,\"last_frame_at\":1795312799900,"
                       "\"screen\":\"1920x1080\",\"version\":\"0.1.0\",\"hostname\":\"k1\","
                       "\"watchdog_restarts\":1,\"last_watchdog_at\":1795312700000}");
    struct core_heartbeat hb;
    core_heartbeat_from_args(args, rec->id, FX_NOW, &hb);
    cJSON_Delete(args);
    assert_int_equal(hb.device_id, rec->id);
    assert_int_equal(hb.frames, 4200);
    assert_int_equal(hb.uptime_s, 120);
    assert_int_equal(hb.last_frame_at, 1795312799900LL);
    assert_int_equal(hb.watchdog_restarts, 1);
    assert_int_equal(hb.last_watchdog_at, 1795312700000LL);
    assert_string_equal(hb.screen, "1920x1080");
    assert_string_equal(hb.hostname, "k1");
    assert_int_equal(hb.at, FX_NOW);

    /* the first heartbeat brings it online (one event); the next ones do not */
    assert_int_equal(core_fleet_heartbeats(f->core, &hb, 1), 1);
    hb.at = FX_NOW + 15 * SEC;
    hb.frames = 5100;
    assert_int_equal(core_fleet_heartbeats(f->core, &hb, 1), 0);
    struct store_device d;
    struct proto_error err;
    ok(store_devices_get(f->s, rec->id, &d, &err), &err);
    assert_true(d.online);
    assert_int_equal(d.frames, 5100);
    assert_int_equal(d.started_at, FX_NOW + 15 * SEC - 120 * SEC);
    assert_int_equal(d.last_seen, FX_NOW + 15 * SEC);

    /* a moved clock: offline 60 s after the last heartbeat, not before */
    assert_int_equal(core_fleet_check(f->core, FX_NOW + 15 * SEC + 60 * SEC), 0);
    assert_int_equal(core_fleet_check(f->core, FX_NOW + 15 * SEC + 60 * SEC + 1), 1);
    assert_int_equal(core_fleet_check(f->core, FX_NOW + 15 * SEC + 60 * SEC + 2), 0);

    /* boards see online and offline with the fleet row; other modes see neither */
    struct evs board = {.mode = DOMAIN_MODE_BOARD, .core = f->core};
    assert_int_equal(core_events_after(f->core, seq0, 100, collect, &board), 2);
    assert_string_equal(board.kinds[0], "device.online");
    assert_string_equal(board.kinds[1], "device.offline");
    for (int i = 0; i < 2; i++) {
        const cJSON *row = cJSON_GetObjectItem(board.views[i], "device");
        assert_non_null(row);
        assert_string_equal(cJSON_GetObjectItem(row, "name")->valuestring, "Reception 1");
        assert_true(cJSON_IsBool(cJSON_GetObjectItem(row, "online")));
    }
    assert_true(cJSON_IsFalse(
        cJSON_GetObjectItem(cJSON_GetObjectItem(board.views[1], "device"), "online")));
    evs_free(&board);
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++) {
        if (m == DOMAIN_MODE_BOARD)
            continue;
        struct evs other = {.mode = (enum domain_mode)m, .core = f->core};
        assert_int_equal(core_events_after(f->core, seq0, 100, collect, &other), 2);
        assert_null(other.views[0]);
        assert_null(other.views[1]);
        evs_free(&other);
    }

    /* a heartbeat of a device that no longer exists does not stop the others */
    struct core_heartbeat two[2];
    core_heartbeat_from_args(NULL, 9999, FX_NOW + 200 * SEC, &two[0]);
    core_heartbeat_from_args(NULL, f->dev[DOMAIN_MODE_BOARD].id, FX_NOW + 200 * SEC, &two[1]);
    assert_int_equal(core_fleet_heartbeats(f->core, two, 2), 1);
    ok(store_devices_get(f->s, f->dev[DOMAIN_MODE_BOARD].id, &d, &err), &err);
    assert_true(d.online);
    cfx_free(f);
}

static void test_offline_per_site_setting(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    ok(store_fleet_site_config_set(f->s, f->site, "offline_after_s", "10", FX_NOW, &err), &err);
    ok(store_commit(f->s, &err), &err);
    const struct core_device *st = &f->dev[DOMAIN_MODE_STATUS];
    assert_int_equal(core_fleet_connected(f->core, st, "kiosk", FX_NOW), 1);
    assert_int_equal(core_fleet_check(f->core, FX_NOW + 10 * SEC), 0);
    assert_int_equal(core_fleet_check(f->core, FX_NOW + 10 * SEC + 1), 1);
    /* a revoked device does not come back */
    ok(store_begin(f->s, &err), &err);
    ok(store_devices_revoke(f->s, st->id, FX_NOW + 11 * SEC, &err), &err);
    ok(store_commit(f->s, &err), &err);
    assert_int_equal(core_fleet_connected(f->core, st, "kiosk", FX_NOW + 12 * SEC), 0);
    struct store_device d;
    ok(store_devices_get(f->s, st->id, &d, &err), &err);
    assert_false(d.online);
    cfx_free(f);
}

static void test_reconnects_across_days(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    const struct core_device *dv = &f->dev[DOMAIN_MODE_DELIVERY];
    struct proto_error err;
    struct store_device d;
    /* FX_NOW is 10:00 at UTC+8: local midnight comes 14 h later */
    assert_int_equal(core_fleet_connected(f->core, dv, "k", FX_NOW), 1);
    assert_int_equal(core_fleet_connected(f->core, dv, "k", FX_NOW + HOUR), 0);
    assert_int_equal(core_fleet_connected(f->core, dv, "k", FX_NOW + 14 * HOUR - 1), 0);
    ok(store_devices_get(f->s, dv->id, &d, &err), &err);
    assert_int_equal(d.reconnects, 2);
    assert_int_equal(core_fleet_connected(f->core, dv, "k", FX_NOW + 14 * HOUR), 0);
    ok(store_devices_get(f->s, dv->id, &d, &err), &err);
    assert_int_equal(d.reconnects, 0);
    assert_int_equal(core_fleet_connected(f->core, dv, "k", FX_NOW + 15 * HOUR), 0);
    cJSON *fleet = core_fleet_json(f->core, f->site, FX_NOW + 15 * HOUR);
    assert_non_null(fleet);
    assert_int_equal(cJSON_GetObjectItem(fleet, "now")->valuedouble, FX_NOW + 15 * HOUR);
    const cJSON *row;
    int found = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(fleet, "devices"))
    {
        if (cJSON_GetObjectItem(row, "id")->valuedouble == dv->id) {
            found++;
            assert_int_equal(cJSON_GetObjectItem(row, "reconnects_today")->valuedouble, 1);
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "online")));
        }
    }
    assert_int_equal(found, 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(fleet, "devices")), DOMAIN_MODE__COUNT);
    cJSON_Delete(fleet);
    fleet = core_fleet_json(f->core, f->other_site, FX_NOW);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(fleet, "devices")), 0);
    cJSON_Delete(fleet);
    fleet = core_fleet_json(f->core, 0, FX_NOW);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(fleet, "devices")), DOMAIN_MODE__COUNT);
    cJSON_Delete(fleet);
    cfx_free(f);
}

static int64_t add_command(struct cfx *f, int64_t device, const char *action)
{
    struct proto_error err;
    int64_t id = 0;
    ok(store_begin(f->s, &err), &err);
    ok(store_device_commands_add(f->s, device, action, "cli:test", FX_NOW, &id, &err), &err);
    ok(store_commit(f->s, &err), &err);
    return id;
}

static enum store_command_state cmd_state(struct cfx *f, int64_t id, char *detail, size_t sz)
{
    struct store_device_command c;
    struct proto_error err;
    ok(store_device_commands_get(f->s, id, &c, &err), &err);
    if (detail) { /* a bounded copy gcc's -Wformat-truncation cannot misjudge when inlined */
        size_t n = strnlen(c.detail, sz - 1);
        memcpy(detail, c.detail, n);
        detail[n] = '\0';
    }
    return c.state;
}

static void test_control_authorisation(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    const struct core_device *rec = &f->dev[DOMAIN_MODE_RECEPTION];
    const struct core_device *board = &f->dev[DOMAIN_MODE_BOARD];
    int64_t id = add_command(f, rec->id, "identify");
    int64_t dev_id = 0;
    char action[16];
    ok(core_control_get(f->core, id, &dev_id, action, sizeof action), &err);
    assert_int_equal(dev_id, rec->id);
    assert_string_equal(action, "identify");
    assert_int_equal(core_control_get(f->core, 999, &dev_id, action, sizeof action), -1);
    ok(core_control_sent(f->core, id, FX_NOW + 10), &err);
    assert_int_equal(cmd_state(f, id, NULL, 0), STORE_CMD_SENT);
    assert_int_equal(core_control_sent(f->core, id, FX_NOW + 10), -1);

    /* another kiosk answering it: not found, and the command is untouched */
    assert_int_equal(core_control_result(f->core, board, id, true, "", NULL, 0, FX_NOW + 20, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_int_equal(cmd_state(f, id, NULL, 0), STORE_CMD_SENT);
    assert_int_equal(core_control_result(f->core, rec, 999, true, "", NULL, 0, FX_NOW + 20, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* data on a command that is not a screenshot */
    assert_int_equal(core_control_result(f->core, rec, id, true, "", (const unsigned char *)"x", 1,
                                         FX_NOW + 20, &err),
                     -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    assert_int_equal(cmd_state(f, id, NULL, 0), STORE_CMD_SENT);

    ok(core_control_result(f->core, rec, id, true, "flashing", NULL, 0, FX_NOW + 30, &err), &err);
    char detail[64];
    assert_int_equal(cmd_state(f, id, detail, sizeof detail), STORE_CMD_DONE);
    assert_string_equal(detail, "flashing");
    /* answered twice */
    assert_int_equal(
        core_control_result(f->core, rec, id, false, "again", NULL, 0, FX_NOW + 40, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);

    /* the hub could not deliver it */
    int64_t off = add_command(f, rec->id, "reload");
    ok(core_control_failed(f->core, off, "the device is offline", FX_NOW + 50), &err);
    assert_int_equal(cmd_state(f, off, detail, sizeof detail), STORE_CMD_FAILED);
    assert_string_equal(detail, "the device is offline");
    assert_int_equal(core_control_failed(f->core, off, "again", FX_NOW + 60), -1);
    /* the kiosk's own failure */
    int64_t rs = add_command(f, rec->id, "restart");
    ok(core_control_result(f->core, rec, rs, false, "cannot re-execute", NULL, 0, FX_NOW, &err),
       &err);
    assert_int_equal(cmd_state(f, rs, NULL, 0), STORE_CMD_FAILED);
    cfx_free(f);
}

static void test_control_screenshot(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    const struct core_device *rec = &f->dev[DOMAIN_MODE_RECEPTION];
    unsigned char png[600];
    for (size_t i = 0; i < sizeof png; i++)
        png[i] = (unsigned char)(i * 13 + 1);
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);

    int64_t id = add_command(f, rec->id, "screenshot");
    ok(core_control_sent(f->core, id, FX_NOW), &err);
    ok(core_control_result(f->core, rec, id, true, "", png, sizeof png, FX_NOW + 100, &err), &err);
    unsigned char *back = NULL;
    size_t len = 0;
    ok(store_device_commands_png(f->s, id, &back, &len, &err), &err);
    assert_int_equal(len, sizeof png);
    assert_memory_equal(back, png, sizeof png);
    free(back);

    /* not a PNG: refused, and the command fails at once (the kiosk will not send it again) */
    int64_t bad = add_command(f, rec->id, "screenshot");
    unsigned char jpeg[16] = {0xff, 0xd8, 0xff, 0xe0};
    assert_int_equal(
        core_control_result(f->core, rec, bad, true, "", jpeg, sizeof jpeg, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    char detail[128];
    assert_int_equal(cmd_state(f, bad, detail, sizeof detail), STORE_CMD_FAILED);
    assert_non_null(strstr(detail, "not a PNG"));
    assert_int_equal(store_device_commands_png(f->s, bad, &back, &len, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* ok without any data is no screenshot either */
    int64_t none = add_command(f, rec->id, "screenshot");
    assert_int_equal(core_control_result(f->core, rec, none, true, "", NULL, 0, FX_NOW, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* a kiosk that cannot take one says so */
    int64_t no = add_command(f, rec->id, "screenshot");
    ok(core_control_result(f->core, rec, no, false, "no renderer", NULL, 0, FX_NOW, &err), &err);
    assert_int_equal(cmd_state(f, no, NULL, 0), STORE_CMD_FAILED);
    cfx_free(f);
}

static void test_config_and_device_get(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    const struct core_device *board = &f->dev[DOMAIN_MODE_BOARD];
    ok(store_begin(f->s, &err), &err);
    ok(store_fleet_site_config_set(f->s, f->site, "language", "en", FX_NOW, &err), &err);
    ok(store_devices_config_set(f->s, board->id, "burnin_shift_min", "0", FX_NOW, &err), &err);
    ok(store_devices_set_mode(f->s, board->id, DOMAIN_MODE_STATUS, FX_NOW, &err), &err);
    ok(store_commit(f->s, &err), &err);
    cJSON *cfg = core_device_config(f->core, board->id);
    assert_non_null(cfg);
    assert_string_equal(cJSON_GetObjectItem(cfg, "mode")->valuestring, "status");
    assert_string_equal(cJSON_GetObjectItem(cfg, "name")->valuestring, "Board 1");
    assert_string_equal(cJSON_GetObjectItem(cfg, "language")->valuestring, "en");
    assert_int_equal(cJSON_GetObjectItem(cfg, "burnin_shift_min")->valuedouble, 0);
    assert_int_equal(cJSON_GetObjectItem(cfg, "idle_timeout_s")->valuedouble, 60);
    cJSON_Delete(cfg);
    assert_null(core_device_config(f->core, 999));
    /* the device as stored now: its mode changed since it authenticated */
    struct core_device now;
    ok(core_device_get(f->core, board->id, &now), &err);
    assert_int_equal(now.mode, DOMAIN_MODE_STATUS);
    assert_string_equal(now.site_code, "SH01");
    assert_string_equal(now.name, "Board 1");
    assert_int_equal(core_device_get(f->core, 999, &now), -1);
    cfx_free(f);
}

static void test_board_snapshot_fleet(void **state)
{
    (void)state;
    struct cfx *f = cfx_new(0);
    struct proto_error err;
    assert_int_equal(core_fleet_connected(f->core, &f->dev[DOMAIN_MODE_RECEPTION], "k", FX_NOW), 1);
    ok(store_begin(f->s, &err), &err);
    ok(store_devices_revoke(f->s, f->dev[DOMAIN_MODE_DELIVERY].id, FX_NOW, &err), &err);
    ok(store_commit(f->s, &err), &err);
    int64_t seq = 0;
    cJSON *snap = core_snapshot(f->core, &f->dev[DOMAIN_MODE_BOARD], FX_NOW + SEC, &seq);
    assert_non_null(snap);
    const cJSON *fleet = cJSON_GetObjectItem(snap, "fleet");
    assert_true(cJSON_IsArray(fleet));
    /* reception, status, board: the revoked delivery kiosk and the api device are left out */
    assert_int_equal(cJSON_GetArraySize(fleet), 3);
    const cJSON *row;
    int online = 0;
    cJSON_ArrayForEach(row, fleet)
    {
        const char *mode = cJSON_GetObjectItem(row, "mode")->valuestring;
        assert_string_not_equal(mode, "api");
        assert_string_not_equal(mode, "delivery");
        online += cJSON_IsTrue(cJSON_GetObjectItem(row, "online"));
    }
    assert_int_equal(online, 1);
    cJSON_Delete(snap);
    /* other modes' snapshots have no fleet */
    snap = core_snapshot(f->core, &f->dev[DOMAIN_MODE_RECEPTION], FX_NOW + SEC, &seq);
    assert_null(cJSON_GetObjectItem(snap, "fleet"));
    cJSON_Delete(snap);
    cfx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairing_to_token),
        cmocka_unit_test(test_pairing_revoked_before_claim),
        cmocka_unit_test(test_heartbeats_and_offline),
        cmocka_unit_test(test_offline_per_site_setting),
        cmocka_unit_test(test_reconnects_across_days),
        cmocka_unit_test(test_control_authorisation),
        cmocka_unit_test(test_control_screenshot),
        cmocka_unit_test(test_config_and_device_get),
        cmocka_unit_test(test_board_snapshot_fleet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The kiosk's fleet side (fleet.c, fleet_config.c, fleet_files.c, watchdog.c records, the
 * pairing/maintenance/identify screens): pairing to a token, the hub's mode winning, config
 * applied without a restart, maintenance ignoring taps, identify, screenshot parts that
 * reassemble to the PNG, restart and reload only after the hub acknowledged, heartbeats, the
 * claim and token files, and the fleet screens laid out at four sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "fleet_files.h"
#include "kiosk_fixture.h"
#include "script.h"
#include "watchdog.h"

/* The fixture plus what the fleet's port callbacks saw. */
struct ffix {
    struct fix f;
    char token[PROTO_MAX_TOKEN + 1];
    int restarts, reloads, resyncs, shots;
    unsigned char *png; /* what the fake screen capture returns (borrowed) */
    size_t png_len;
};

static int ff_screenshot(void *user, unsigned char **png, size_t *len)
{
    struct ffix *x = user;
    x->shots++;
    if (!x->png)
        return -1;
    *png = malloc(x->png_len);
    memcpy(*png, x->png, x->png_len);
    *len = x->png_len;
    return 0;
}

static void ff_paired(void *user, const char *token)
{
    snprintf(((struct ffix *)user)->token, sizeof((struct ffix *)user)->token, "%s", token);
}

static void ff_restart(void *user)
{
    ((struct ffix *)user)->restarts++;
}

static int ff_reload(void *user)
{
    ((struct ffix *)user)->reloads++;
    return 0;
}

static void ff_resync(void *user)
{
    ((struct ffix *)user)->resyncs++;
}

static void ff_init(struct ffix *x, enum model_mode mode)
{
    memset(x, 0, sizeof *x);
    fix_init(&x->f, mode);
    x->f.app.fleet.port =
        (struct fleet_port){x, ff_screenshot, ff_paired, ff_restart, ff_reload, ff_resync};
    fleet_identity(&x->f.app, "kiosk-07", "1280x720", "0.1.0", "ws://hub.local:7420/", 0, 0);
}

static void auth_ok(struct fix *f, const char *mode, const char *config)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"type\":\"auth_ok\",\"now\":1763800000000,\"device\":{\"id\":3,\"name\":"
             "\"Reception 1\",\"mode\":\"%s\",\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":"
             "\"浦东店\"}%s%s}}",
             mode, config ? ",\"config\":" : "", config ? config : "");
    fix_hub(f, buf);
}

/* Index of the n-th (0-based) request of `type` sent, -1 if none: other requests (a board's
 * figures) may be sent in between. */
static int sent_nth(const struct fix *f, enum proto_type type, int n)
{
    for (int i = 0; i < f->nsent; i++)
        if (f->sent_type[i] == type && n-- == 0)
            return i;
    return -1;
}

static int sent_count(const struct fix *f, enum proto_type type)
{
    int c = 0;
    for (int i = 0; i < f->nsent; i++)
        c += f->sent_type[i] == type;
    return c;
}

static const char *last_args(const struct fix *f)
{
    return f->nsent ? f->sent_args[f->nsent - 1] : "";
}

/* ---- pure parts ---- */

static void test_config_parse(void **state)
{
    struct fleet_config c;
    char err[256];
    cJSON *j = cJSON_Parse("{\"mode\":\"board\",\"name\":\"Wall 1\",\"site\":\"SH01\","
                           "\"maintenance\":true,\"idle_timeout_s\":90,\"language\":\"en\","
                           "\"theme\":\"night-2\",\"night_dim\":\"22:30-06:15\","
                           "\"burnin_shift_min\":0,\"offline_after_s\":60}");
    assert_int_equal(fleet_config_parse(j, &c, err, sizeof err), 0);
    assert_int_equal(c.mode, MODEL_BOARD);
    assert_true(c.maintenance);
    assert_int_equal(c.idle_timeout_s, 90);
    assert_int_equal(c.language, I18N_EN);
    assert_string_equal(c.theme, "night-2");
    assert_true(c.night_dim);
    assert_int_equal(c.dim_from, 22 * 60 + 30);
    assert_int_equal(c.dim_to, 6 * 60 + 15);
    assert_int_equal(c.burnin_shift_min, 0);
    assert_string_equal(c.name, "Wall 1");
    cJSON_Delete(j);

    /* every bad value is left out and named; the good ones still apply */
    j = cJSON_Parse("{\"mode\":\"api\",\"maintenance\":\"yes\",\"idle_timeout_s\":5,"
                    "\"language\":\"fr\",\"theme\":\"../../etc/x\",\"night_dim\":\"7:00-8:00\","
                    "\"burnin_shift_min\":61,\"name\":\"ok\"}");
    assert_int_equal(fleet_config_parse(j, &c, err, sizeof err), 7);
    assert_int_equal(c.mode, -1);
    assert_false(c.maintenance);
    assert_int_equal(c.idle_timeout_s, 0);
    assert_int_equal(c.language, -1);
    assert_string_equal(c.theme, "");
    assert_false(c.night_dim);
    assert_int_equal(c.burnin_shift_min, -1);
    assert_string_equal(c.name, "ok");
    assert_non_null(strstr(err, "theme"));
    assert_non_null(strstr(err, "night_dim"));
    cJSON_Delete(j);
    /* no config at all: everything absent */
    assert_int_equal(fleet_config_parse(NULL, &c, err, sizeof err), 0);
    assert_int_equal(c.mode, -1);
    assert_int_equal(c.burnin_shift_min, -1);
}

static void test_night_dim(void **state)
{
    static const struct {
        const char *s;
        int rc;
        bool on;
    } cases[] = {
        {"", 0, false},
        {"22:00-06:00", 0, true},
        {"00:00-23:59", 0, true},
        {"7:00-8:00", -1, false},
        {"24:00-01:00", -1, false},
        {"08:00-08:00", -1, false},
        {"08:00-09:60", -1, false},
        {"08:00 09:00", -1, false},
        {"08:00-09:00x", -1, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool on = true;
        int from, to;
        if (fleet_config_night_dim(cases[i].s, &on, &from, &to) != cases[i].rc)
            fail_msg("night_dim '%s': wrong result", cases[i].s);
        if (on != cases[i].on)
            fail_msg("night_dim '%s': wrong on", cases[i].s);
    }
    /* 22:00-06:00 wraps past midnight; the end is excluded */
    assert_true(fleet_config_dim_active(1320, 360, 23 * 60));
    assert_true(fleet_config_dim_active(1320, 360, 0));
    assert_true(fleet_config_dim_active(1320, 360, 359));
    assert_false(fleet_config_dim_active(1320, 360, 360));
    assert_false(fleet_config_dim_active(1320, 360, 12 * 60));
    assert_true(fleet_config_dim_active(60, 120, 60));
    assert_false(fleet_config_dim_active(60, 120, 120));
    assert_false(fleet_config_dim_active(60, 60, 60));
    assert_true(fleet_config_theme_ok("default"));
    assert_true(fleet_config_theme_ok("dark_2-b"));
    assert_false(fleet_config_theme_ok(""));
    assert_false(fleet_config_theme_ok("Dark"));
    assert_false(fleet_config_theme_ok("../x"));
    assert_false(fleet_config_theme_ok("abcdefghijabcdefghijabcdefghijabc")); /* 33 */
}

struct parts {
    int n;
    int last_at;
    unsigned char *buf;
    size_t len;
};

static int collect(void *ctx, int part, bool last, const char *b64)
{
    struct parts *p = ctx;
    assert_int_equal(part, p->n);
    assert_true(strlen(b64) <= PROTO_CHUNK_MAX);
    size_t got = 0;
    /* each part decodes on its own, as the hub decodes them one by one */
    assert_int_equal(sodium_base642bin(p->buf + p->len, 9000000 - p->len, b64, strlen(b64), NULL,
                                       &got, NULL, sodium_base64_VARIANT_ORIGINAL),
                     0);
    p->len += got;
    if (last)
        p->last_at = part;
    p->n++;
    return 0;
}

static void test_base64_parts(void **state)
{
    size_t len = 2 * FLEET_CHUNK_BYTES + 5;
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    struct parts p = {0, -1, malloc(9000000), 0};
    assert_int_equal(fleet_base64_parts(data, len, collect, &p), 3);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.last_at, 2);
    assert_int_equal(p.len, len);
    assert_memory_equal(p.buf, data, len);
    /* exactly one chunk: one part, last */
    p = (struct parts){0, -1, p.buf, 0};
    assert_int_equal(fleet_base64_parts(data, FLEET_CHUNK_BYTES, collect, &p), 1);
    assert_int_equal(p.last_at, 0);
    free(p.buf);
    free(data);
    char g[16];
    fleet_group_code("K7F3QX", g, sizeof g);
    assert_string_equal(g, "K7F 3QX");
    fleet_group_code("AB", g, sizeof g);
    assert_string_equal(g, "AB");
}

/* ---- flows ---- */

static void test_pairing_flow(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_RECEPTION);
    struct fix *f = &x.f;
    f->app.mode_set = false;
    fleet_start_pairing(&f->app);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "fleet.pairing");
    assert_non_null(ui_find(f->app.ui, "pair.waiting"));
    assert_true(ui_has_text(f->app.ui, "kiosk-07"));
    assert_true(ui_has_text(f->app.ui, "ws://hub.local:7420/"));
    fix_hub(f, "{\"type\":\"pairing\",\"code\":\"K7F3QX\",\"expires_at\":1763800900000}");
    assert_string_equal(ui_find(f->app.ui, "pair.code")->text, "K7F 3QX");
    assert_non_null(
        strstr(ui_find(f->app.ui, "pair.command")->text, "showfloor device approve K7F3QX"));
    assert_true(ui_has_text(f->app.ui, "15:00"));
    /* the countdown moves with the clock */
    f->app.wall += 61000;
    f->app.mono += 61000;
    f->app.dirty = false;
    app_tick(&f->app);
    assert_true(f->app.dirty);
    fix_build(f, 1280, 720);
    assert_true(ui_has_text(f->app.ui, "13:59"));
    /* the language toggle works, nothing else is sent: no heartbeat while pairing */
    fix_tap(f, "btn.lang");
    assert_true(ui_has_text(f->app.ui, "Pair this screen"));
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    app_tick(&f->app);
    assert_int_equal(f->nsent, 0);

    fix_hub(f, "{\"type\":\"paired\",\"token\":\"tok-abc\",\"device\":{\"id\":9,"
               "\"name\":\"Reception 1\",\"mode\":\"board\"}}");
    assert_string_equal(x.token, "tok-abc");
    assert_string_equal(app_screen(&f->app), "fleet.starting");
    assert_non_null(ui_find(f->app.ui, "pair.paired"));
    /* the reconnect's auth_ok names the mode: the hub wins, the model starts from 0 */
    f->seq = 77;
    auth_ok(f, "board", "{\"mode\":\"board\",\"name\":\"Reception 1\",\"maintenance\":false}");
    assert_true(f->app.mode_set);
    assert_int_equal(f->app.mode, MODEL_BOARD);
    assert_int_equal(f->seq, 0);
    assert_string_equal(app_screen(&f->app), "board.main");
    fix_fini(f);
}

static void test_mode_switch(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_RECEPTION);
    struct fix *f = &x.f;
    auth_ok(f, "reception", NULL);
    fix_snapshot(f);
    assert_int_equal(f->seq, 10);
    fix_tap(f, "btn.checkin");
    fix_tap(f, "btn.agree");
    fix_tap(f, "key.1");
    fix_tap(f, "key.3");
    assert_string_equal(app_screen(&f->app), "reception.phone");
    /* the hub switches the mode mid-use: what was typed is gone, a fresh model waits */
    fix_hub(f, "{\"type\":\"device_config\",\"config\":{\"mode\":\"status\"}}");
    assert_int_equal(f->app.mode, MODEL_STATUS);
    assert_int_equal(f->seq, 0);
    assert_false(model_ready(f->app.model));
    assert_string_equal(app_screen(&f->app), "status.wall");
    assert_string_equal(entry_text(&f->app.rec.phone), "");
    /* the same mode again changes nothing */
    fix_snapshot(f);
    fix_hub(f, "{\"type\":\"device_config\",\"config\":{\"mode\":\"status\"}}");
    assert_true(model_ready(f->app.model));
    fix_fini(f);

    /* no --mode: the starting screen until auth_ok says which */
    ff_init(&x, MODEL_RECEPTION);
    f->app.mode_set = false;
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "fleet.starting");
    assert_non_null(ui_find(f->app.ui, "pair.starting"));
    auth_ok(f, "delivery", NULL);
    assert_string_equal(app_screen(&f->app), "delivery.list");
    fix_fini(f);
}

static void test_maintenance(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_RECEPTION);
    struct fix *f = &x.f;
    auth_ok(f, "reception", NULL);
    fix_tap(f, "btn.checkin");
    fix_hub(f, "{\"type\":\"device_config\",\"config\":{\"maintenance\":true,"
               "\"name\":\"Reception 1\"}}");
    assert_string_equal(app_screen(&f->app), "fleet.maintenance");
    assert_true(ui_has_text(f->app.ui, "暂停服务"));
    assert_true(ui_has_text(f->app.ui, "Out of order"));
    assert_true(ui_has_text(f->app.ui, "浦东店 · Reception 1"));
    /* no buttons at all, and taps anywhere (even where a button was) do nothing */
    for (int i = 0; i < ui_count(f->app.ui); i++) {
        enum widget_kind k = ui_get(f->app.ui, i)->kind;
        assert_true(k != WIDGET_BUTTON && k != WIDGET_KEY && k != WIDGET_TOGGLE);
    }
    app_action(&f->app, "btn.checkin");
    app_action(&f->app, "btn.lang");
    app_press(&f->app, 640, 400);
    app_release(&f->app, 640, 400);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "fleet.maintenance");
    assert_int_equal(f->app.lang, I18N_ZH);
    assert_int_equal(f->nsent, 0);
    /* off: back at the start of the mode (the consent screen was reset) */
    fix_hub(f, "{\"type\":\"device_config\",\"config\":{\"maintenance\":false}}");
    assert_string_equal(app_screen(&f->app), "reception.attract");
    fix_fini(f);
}

static void test_identify_and_screenshot(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_BOARD);
    struct fix *f = &x.f;
    auth_ok(f, "board", NULL);
    fix_hub(f, "{\"type\":\"control\",\"command_id\":5,\"action\":\"identify\"}");
    assert_string_equal(app_screen(&f->app), "fleet.identify");
    assert_string_equal(ui_find(f->app.ui, "identify.name")->text, "Reception 1");
    assert_int_equal(f->nsent, 1);
    assert_int_equal(f->sent_type[0], PROTO_T_CONTROL_RESULT);
    assert_non_null(strstr(f->sent_args[0], "\"command_id\":5,\"ok\":true"));
    /* the colours swap every half second, and it ends after 10 s */
    struct rgba c0 = ui_get(f->app.ui, 1)->bg;
    f->app.mono += FLEET_FLASH_MS / 2;
    app_tick(&f->app);
    fix_build(f, 1280, 720);
    struct rgba c1 = ui_get(f->app.ui, 1)->bg;
    assert_true(c0.r != c1.r || c0.g != c1.g || c0.b != c1.b);
    f->app.mono += FLEET_IDENTIFY_MS;
    app_tick(&f->app);
    fix_build(f, 1280, 720);
    assert_string_equal(app_screen(&f->app), "board.main");

    /* screenshot: the capture's bytes, in base64 parts the hub can put back together */
    size_t len = FLEET_CHUNK_BYTES * 2 + 100;
    x.png = malloc(len);
    x.png_len = len;
    memcpy(x.png, "\x89PNG\r\n\x1a\n", 8);
    for (size_t i = 8; i < len; i++)
        x.png[i] = (unsigned char)(i % 251);
    int before = f->nsent;
    fix_hub(f, "{\"type\":\"control\",\"command_id\":6,\"action\":\"screenshot\"}");
    assert_int_equal(f->nsent - before, 3);
    unsigned char *back = malloc(len);
    size_t got = 0;
    for (int i = 0; i < 3; i++) {
        cJSON *a = cJSON_Parse(f->sent_args[before + i]);
        assert_int_equal(f->sent_type[before + i], PROTO_T_CONTROL_RESULT);
        assert_int_equal(proto_get_int(a, "command_id", 0), 6);
        assert_int_equal(proto_get_int(a, "part", -1), i);
        assert_true(proto_get_bool(a, "last", false) == (i == 2));
        struct proto_error err;
        assert_int_equal(proto_validate_args(PROTO_T_CONTROL_RESULT, a, &err), 0);
        const char *d = proto_get_str(a, "data");
        size_t n = 0;
        assert_int_equal(sodium_base642bin(back + got, len - got, d, strlen(d), NULL, &n, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        got += n;
        cJSON_Delete(a);
    }
    assert_int_equal(got, len);
    assert_memory_equal(back, x.png, len);
    free(back);
    free(x.png);
    /* a capture that fails is a failed command, not silence */
    x.png = NULL;
    fix_hub(f, "{\"type\":\"control\",\"command_id\":7,\"action\":\"screenshot\"}");
    assert_non_null(strstr(last_args(f), "\"command_id\":7,\"ok\":false"));
    fix_fini(f);
}

static void test_restart_and_reload_after_ack(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_STATUS);
    struct fix *f = &x.f;
    auth_ok(f, "status", NULL);
    fix_hub(f, "{\"type\":\"control\",\"command_id\":8,\"action\":\"restart\"}");
    assert_int_equal(f->nsent, 1);
    assert_non_null(strstr(f->sent_args[0], "\"command_id\":8,\"ok\":true"));
    app_tick(&f->app);
    assert_int_equal(x.restarts, 0); /* the answer must reach the hub first */
    char res[256];
    snprintf(res, sizeof res, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":{}}",
             f->sent_id[0]);
    fix_hub(f, res);
    assert_int_equal(x.restarts, 1);
    /* no acknowledgement: it restarts anyway after a while */
    fix_hub(f, "{\"type\":\"control\",\"command_id\":9,\"action\":\"restart\"}");
    f->app.mono += FLEET_AFTER_ACK_MS - 1;
    app_tick(&f->app);
    assert_int_equal(x.restarts, 1);
    assert_true(app_next_deadline(&f->app) <= f->app.mono + 1);
    f->app.mono += 1;
    app_tick(&f->app);
    assert_int_equal(x.restarts, 2);

    fix_hub(f, "{\"type\":\"control\",\"command_id\":10,\"action\":\"reload\"}");
    assert_int_equal(x.reloads, 1);
    assert_non_null(strstr(last_args(f), "\"command_id\":10,\"ok\":true"));
    assert_int_equal(x.resyncs, 0);
    snprintf(res, sizeof res, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":{}}",
             f->sent_id[f->nsent - 1]);
    fix_hub(f, res);
    assert_int_equal(x.resyncs, 1);
    /* a port without restart says so */
    f->app.fleet.port.restart = NULL;
    fix_hub(f, "{\"type\":\"control\",\"command_id\":11,\"action\":\"restart\"}");
    assert_non_null(strstr(last_args(f), "\"command_id\":11,\"ok\":false"));
    fix_fini(f);
}

static void test_heartbeats(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_RECEPTION);
    struct fix *f = &x.f;
    auth_ok(f, "reception", NULL);
    f->app.fleet.watchdog_restarts = 2;
    f->app.fleet.last_watchdog_at = 1763790000000;
    fleet_frame(&f->app);
    fleet_frame(&f->app);
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 0); /* not connected: nothing */
    app_on_conn(&f->app, APP_CONN_CONNECTED, 0);
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 1);
    int i0 = sent_nth(f, PROTO_T_HEARTBEAT, 0);
    cJSON *hb = cJSON_Parse(f->sent_args[i0]);
    struct proto_error err;
    assert_int_equal(proto_validate_args(PROTO_T_HEARTBEAT, hb, &err), 0);
    assert_int_equal(proto_get_int(hb, "frames", -1), 2);
    assert_int_equal(proto_get_int(hb, "uptime_s", -1), 0);
    assert_int_equal(proto_get_int(hb, "last_frame_at", 0), 1763800000000);
    assert_string_equal(proto_get_str(hb, "screen"), "1280x720");
    assert_string_equal(proto_get_str(hb, "hostname"), "kiosk-07");
    assert_int_equal(proto_get_int(hb, "watchdog_restarts", 0), 2);
    assert_int_equal(proto_get_int(hb, "last_watchdog_at", 0), 1763790000000);
    cJSON_Delete(hb);
    /* every 15 s; the unanswered one before is cancelled, never resent */
    f->app.mono += FLEET_HEARTBEAT_MS - 1;
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 1);
    assert_true(app_next_deadline(&f->app) <= f->app.mono + 1);
    f->app.mono += 1;
    int cancels = f->ncancel;
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 2);
    assert_int_equal(f->ncancel, cancels + 1);
    int i1 = sent_nth(f, PROTO_T_HEARTBEAT, 1);
    hb = cJSON_Parse(f->sent_args[i1]);
    assert_int_equal(proto_get_int(hb, "uptime_s", -1), 15);
    cJSON_Delete(hb);
    /* an answered one is not cancelled */
    char res[256];
    snprintf(res, sizeof res, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":{}}",
             f->sent_id[i1]);
    fix_hub(f, res);
    f->app.mono += FLEET_HEARTBEAT_MS;
    cancels = f->ncancel;
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 3);
    assert_int_equal(f->ncancel, cancels);
    /* dropped: no heartbeats until connected again */
    app_on_conn(&f->app, APP_CONN_RECONNECTING, f->app.mono + 500);
    f->app.mono += FLEET_HEARTBEAT_MS * 2;
    app_tick(&f->app);
    assert_int_equal(sent_count(f, PROTO_T_HEARTBEAT), 3);
    fix_fini(f);
}

static void test_config_apply(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_BOARD);
    struct fix *f = &x.f;
    struct theme before = f->app.theme;
    auth_ok(f, "board",
            "{\"idle_timeout_s\":30,\"language\":\"en\",\"theme\":\"nosuch\","
            "\"burnin_shift_min\":0}");
    assert_int_equal(f->app.idle_ms, 30000);
    assert_int_equal(f->app.default_lang, I18N_EN);
    assert_int_equal(f->app.lang, I18N_EN); /* the board is idle: switched at once */
    assert_string_equal(f->app.fleet.theme_name, "default"); /* unknown theme: kept */
    assert_memory_equal(&f->app.theme, &before, sizeof before);
    int dx = 1, dy = 1;
    f->app.wall += 3 * 60 * 1000;
    app_burnin_offset(&f->app, &dx, &dy);
    assert_int_equal(dx, 0);
    assert_int_equal(dy, 0);
    fix_hub(f, "{\"type\":\"device_config\",\"config\":{\"burnin_shift_min\":1}}");
    int step = app_burnin_offset(&f->app, &dx, &dy);
    f->app.wall += 60000; /* one step a minute now, not every 3 minutes */
    assert_int_equal(app_burnin_offset(&f->app, &dx, &dy), (step + 1) % 8);
    fix_fini(f);

    /* --lang and --idle-seconds given: the command line wins */
    ff_init(&x, MODEL_BOARD);
    f->app.fleet.pin_lang = true;
    f->app.fleet.pin_idle = true;
    auth_ok(f, "board", "{\"idle_timeout_s\":30,\"language\":\"en\"}");
    assert_int_equal(f->app.idle_ms, 60000);
    assert_int_equal(f->app.lang, I18N_ZH);
    fix_fini(f);
}

static bool dimmed(const struct fix *f)
{
    const struct widget *w = ui_get(f->app.ui, ui_count(f->app.ui) - 1);
    return w->kind == WIDGET_PANEL && w->bg.a == 170 && w->r.w == f->app.lay.w &&
           w->r.h == f->app.lay.h;
}

static void test_night_dimming(void **state)
{
    struct ffix x;
    ff_init(&x, MODEL_BOARD);
    struct fix *f = &x.f;
    auth_ok(f, "board", NULL);
    fix_snapshot(f); /* the site's offset: site time = UTC (no utc_offset_min: machine local) */
    struct tm tm;
    app_site_time(&f->app, f->app.wall, &tm);
    int now = tm.tm_hour * 60 + tm.tm_min;
    char cfg[160];
    /* a window holding now */
    snprintf(cfg, sizeof cfg,
             "{\"type\":\"device_config\",\"config\":{\"night_dim\":\"%02d:%02d-%02d:%02d\"}}",
             now / 60, now % 60, ((now + 60) % 1440) / 60, (now + 60) % 60);
    fix_hub(f, cfg);
    f->app.mono += 61000; /* nobody touched it for a minute */
    app_tick(&f->app);
    fix_build(f, 1280, 720);
    assert_true(dimmed(f));
    /* a tap lifts it for a while */
    app_press(&f->app, 10, 10);
    app_release(&f->app, 10, 10);
    fix_build(f, 1280, 720);
    assert_false(dimmed(f));
    f->app.mono += 61000;
    f->app.dirty = false;
    app_tick(&f->app);
    assert_true(f->app.dirty);
    fix_build(f, 1280, 720);
    assert_true(dimmed(f));
    /* a window not holding now: never */
    snprintf(cfg, sizeof cfg,
             "{\"type\":\"device_config\",\"config\":{\"night_dim\":\"%02d:%02d-%02d:%02d\"}}",
             ((now + 60) % 1440) / 60, (now + 60) % 60, ((now + 120) % 1440) / 60,
             (now + 120) % 60);
    fix_hub(f, cfg);
    assert_false(dimmed(f));
    fix_fini(f);
}

/* Every fleet screen inside the screen at four sizes, nothing lost, in both languages. */
static void test_fleet_layouts(void **state)
{
    static const int sizes[][2] = {{1280, 720}, {720, 1280}, {3840, 2160}, {1080, 1920}};
    struct ffix x;
    ff_init(&x, MODEL_RECEPTION);
    struct fix *f = &x.f;
    f->app.mode_set = false;
    fleet_start_pairing(&f->app);
    const char *steps[] = {
        NULL,
        "{\"type\":\"pairing\",\"code\":\"K7F3QX\",\"expires_at\":1763800900000}",
        "{\"type\":\"paired\",\"token\":\"t\",\"device\":{}}",
        "{\"type\":\"auth_ok\",\"now\":1763800000000,\"device\":{\"id\":3,\"name\":"
        "\"前台接待屏 1 号\",\"mode\":\"reception\",\"site\":{\"id\":1,\"code\":\"SH01\","
        "\"name\":\"星河汽车 上海浦东店\"},\"config\":{\"maintenance\":true}}}",
        "{\"type\":\"control\",\"command_id\":1,\"action\":\"identify\"}",
    };
    const char *screens[] = {"fleet.pairing", "fleet.pairing", "fleet.starting",
                             "fleet.maintenance", "fleet.identify"};
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        if (steps[s])
            fix_hub(f, steps[s]);
        for (int lang = 0; lang < 2; lang++) {
            f->app.lang = (enum i18n_lang)lang;
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                int w = sizes[i][0], h = sizes[i][1];
                fix_build(f, w, h);
                assert_string_equal(app_screen(&f->app), screens[s]);
                assert_int_equal(ui_overflow(f->app.ui), 0);
                struct ui_rect all = {0, 0, w, h};
                for (int j = 0; j < ui_count(f->app.ui); j++) {
                    const struct widget *wd = ui_get(f->app.ui, j);
                    if (!layout_inside(wd->r, all) || wd->r.w <= 0 || wd->r.h <= 0)
                        fail_msg("%s %dx%d: '%s' (%s) at %d,%d %dx%d is off screen", screens[s], w,
                                 h, wd->id, wd->text, wd->r.x, wd->r.y, wd->r.w, wd->r.h);
                }
            }
        }
        f->app.lang = I18N_ZH;
    }
    fix_fini(f);
}

/* ---- files ---- */

static void test_files(void **state)
{
    char dir[] = "/tmp/kiosk-fleet-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[256], path[300], claim[80], again[80], err[256], tok[PROTO_MAX_TOKEN + 1];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    /* the claim: made once (0600, 64 hex), the same afterwards */
    assert_int_equal(fleet_files_claim(sub, claim, sizeof claim, err, sizeof err), 0);
    assert_int_equal(strlen(claim), 64);
    assert_int_equal(strspn(claim, "0123456789abcdef"), 64);
    snprintf(path, sizeof path, "%s/claim", sub);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(fleet_files_claim(sub, again, sizeof again, err, sizeof err), 0);
    assert_string_equal(claim, again);
    /* a damaged claim is refused, never replaced */
    FILE *fp = fopen(path, "w");
    fputs("nothex\n", fp);
    fclose(fp);
    assert_int_equal(fleet_files_claim(sub, again, sizeof again, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a claim"));
    /* the token: missing is 1 (pair), written 0600, read back */
    snprintf(path, sizeof path, "%s/token", sub);
    assert_int_equal(fleet_files_read_token(path, tok, sizeof tok, err, sizeof err), 1);
    assert_int_equal(fleet_files_write_secret(path, "tok-123", err, sizeof err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(fleet_files_read_token(path, tok, sizeof tok, err, sizeof err), 0);
    assert_string_equal(tok, "tok-123");
    fp = fopen(path, "w");
    fclose(fp);
    assert_int_equal(fleet_files_read_token(path, tok, sizeof tok, err, sizeof err), -1);
    /* the watchdog record */
    struct watchdog_record r = {0, 0};
    snprintf(path, sizeof path, "%s/watchdog", sub);
    assert_int_equal(watchdog_record_read(path, &r, err, sizeof err), 0);
    assert_int_equal(r.count, 0);
    r = (struct watchdog_record){3, 1763800000123};
    assert_int_equal(watchdog_record_write(path, &r, err, sizeof err), 0);
    r = (struct watchdog_record){0, 0};
    assert_int_equal(watchdog_record_read(path, &r, err, sizeof err), 0);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.at, 1763800000123);
    fp = fopen(path, "w");
    fputs("3 x\n", fp);
    fclose(fp);
    assert_int_equal(watchdog_record_read(path, &r, err, sizeof err), -1);
    assert_int_equal(r.count, 0);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_script_stall(void **state)
{
    char err[256];
    struct script *s = script_parse("stall 3\n", "t", err, sizeof err);
    assert_non_null(s);
    script_free(s);
    assert_null(script_parse("stall 0\n", "t", err, sizeof err));
    assert_non_null(strstr(err, "stall takes"));
    assert_null(script_parse("stall x\n", "t", err, sizeof err));
    assert_null(script_parse("stall\n", "t", err, sizeof err));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_parse),
        cmocka_unit_test(test_night_dim),
        cmocka_unit_test(test_base64_parts),
        cmocka_unit_test(test_pairing_flow),
        cmocka_unit_test(test_mode_switch),
        cmocka_unit_test(test_maintenance),
        cmocka_unit_test(test_identify_and_screenshot),
        cmocka_unit_test(test_restart_and_reload_after_ack),
        cmocka_unit_test(test_heartbeats),
        cmocka_unit_test(test_config_apply),
        cmocka_unit_test(test_night_dimming),
        cmocka_unit_test(test_fleet_layouts),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_script_stall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The kiosk's fleet behaviour (see fleet.h). UI thread only. */
#include "fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "theme.h"
#include "view_maintenance.h"
#include "view_pairing.h"
#include "widget.h"

void fleet_identity(struct app *a, const char *hostname, const char *screen, const char *version,
                    const char *hub, int64_t watchdog_restarts, int64_t watchdog_at)
{
    struct fleet *f = &a->fleet;
    snprintf(f->hostname, sizeof f->hostname, "%s", hostname ? hostname : "");
    snprintf(f->screen, sizeof f->screen, "%s", screen ? screen : "");
    snprintf(f->version, sizeof f->version, "%s", version ? version : "");
    snprintf(f->hub, sizeof f->hub, "%s", hub ? hub : "");
    f->watchdog_restarts = watchdog_restarts;
    f->last_watchdog_at = watchdog_at;
}

void fleet_start_pairing(struct app *a)
{
    a->fleet.pairing = true;
    a->dirty = true;
}

void fleet_frame(struct app *a)
{
    a->fleet.frames++;
    a->fleet.last_frame_wall = a->wall;
}

void fleet_group_code(const char *code, char *out, size_t outsz)
{
    size_t o = 0;
    for (size_t i = 0; code[i] && o + 2 < outsz; i++) {
        if (i > 0 && i % 3 == 0)
            out[o++] = ' ';
        out[o++] = code[i];
    }
    if (outsz)
        out[o < outsz ? o : outsz - 1] = '\0';
}

/* ---- sending ---- */

/* Sends a fleet request with a fresh id (into id_out if given). Not an app_request: nobody
 * waits on a screen for these, and a big screenshot has more parts than app's slots. */
static int fleet_send(struct app *a, enum proto_type type, cJSON *args, char *id_out)
{
    char id[PROTO_MAX_ID + 1];
    app_new_id(a, id);
    if (!args || a->port.send(a->port.user, id, type, args) != 0) {
        fprintf(stderr, "showfloor-kiosk: cannot send %s\n", proto_type_name(type));
        return -1;
    }
    if (id_out)
        snprintf(id_out, PROTO_MAX_ID + 1, "%s", id);
    return 0;
}

cJSON *fleet_heartbeat_args(const struct app *a)
{
    const struct fleet *f = &a->fleet;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int64_t uptime = (a->mono - f->started_mono) / 1000;
    cJSON_AddNumberToObject(o, "frames", (double)f->frames);
    cJSON_AddNumberToObject(o, "uptime_s", (double)(uptime < 0 ? 0 : uptime));
    /* Times in the hub's clock, so the fleet view compares them with its own. */
    if (f->last_frame_wall > 0)
        cJSON_AddNumberToObject(o, "last_frame_at", (double)(f->last_frame_wall + a->hub_offset));
    if (f->screen[0])
        cJSON_AddStringToObject(o, "screen", f->screen);
    if (f->version[0])
        cJSON_AddStringToObject(o, "version", f->version);
    if (f->hostname[0])
        cJSON_AddStringToObject(o, "hostname", f->hostname);
    cJSON_AddNumberToObject(o, "watchdog_restarts", (double)f->watchdog_restarts);
    if (f->last_watchdog_at > 0)
        cJSON_AddNumberToObject(o, "last_watchdog_at",
                                (double)(f->last_watchdog_at + a->hub_offset));
    return o;
}

static void fleet_heartbeat(struct app *a)
{
    struct fleet *f = &a->fleet;
    /* An unanswered older heartbeat is stale: never resend it after a reconnect. */
    if (f->heartbeat_id[0] && a->port.cancel)
        a->port.cancel(a->port.user, f->heartbeat_id);
    f->heartbeat_id[0] = '\0';
    fleet_send(a, PROTO_T_HEARTBEAT, fleet_heartbeat_args(a), f->heartbeat_id);
    f->next_heartbeat = a->mono + FLEET_HEARTBEAT_MS;
}

void fleet_on_connected(struct app *a)
{
    if (!a->fleet.pairing)
        a->fleet.next_heartbeat = a->mono; /* at once: the fleet view learns screen, version */
}

/* Answers a control command. `id_out` gets the answer's request id. */
static void fleet_answer(struct app *a, int64_t command_id, bool ok, const char *detail,
                         char *id_out)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "command_id", (double)command_id);
        cJSON_AddBoolToObject(o, "ok", ok);
        if (detail)
            cJSON_AddStringToObject(o, "detail", detail);
    }
    fleet_send(a, PROTO_T_CONTROL_RESULT, o, id_out);
}

int fleet_base64_parts(const unsigned char *data, size_t len,
                       int (*cb)(void *ctx, int part, bool last, const char *b64), void *ctx)
{
    size_t nparts = len == 0 ? 1 : (len + FLEET_CHUNK_BYTES - 1) / FLEET_CHUNK_BYTES;
    size_t cap = sodium_base64_ENCODED_LEN(FLEET_CHUNK_BYTES, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (!b64)
        return -1;
    int rc = (int)nparts;
    for (size_t i = 0; i < nparts; i++) {
        size_t off = i * FLEET_CHUNK_BYTES;
        size_t n = len - off < FLEET_CHUNK_BYTES ? len - off : FLEET_CHUNK_BYTES;
        sodium_bin2base64(b64, cap, data + off, n, sodium_base64_VARIANT_ORIGINAL);
        if (cb(ctx, (int)i, i == nparts - 1, b64) != 0) {
            rc = -1;
            break;
        }
    }
    free(b64);
    return rc;
}

struct fleet_shot {
    struct app *a;
    int64_t command_id;
};

static int fleet_shot_part(void *ctx, int part, bool last, const char *b64)
{
    struct fleet_shot *s = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddNumberToObject(o, "command_id", (double)s->command_id);
    cJSON_AddTrueToObject(o, "ok");
    cJSON_AddNumberToObject(o, "part", part);
    cJSON_AddStringToObject(o, "data", b64);
    cJSON_AddBoolToObject(o, "last", last);
    return fleet_send(s->a, PROTO_T_CONTROL_RESULT, o, NULL);
}

static void fleet_screenshot(struct app *a, int64_t command_id)
{
    unsigned char *png = NULL;
    size_t len = 0;
    if (!a->fleet.port.screenshot ||
        a->fleet.port.screenshot(a->fleet.port.user, &png, &len) != 0) {
        fleet_answer(a, command_id, false, "the kiosk could not capture its screen", NULL);
        return;
    }
    if (len > PROTO_SCREENSHOT_MAX) {
        char detail[128];
        snprintf(detail, sizeof detail, "the screenshot is %zu bytes, over the %d allowed", len,
                 PROTO_SCREENSHOT_MAX);
        fleet_answer(a, command_id, false, detail, NULL);
        free(png);
        return;
    }
    struct fleet_shot s = {a, command_id};
    int parts = fleet_base64_parts(png, len, fleet_shot_part, &s);
    if (parts < 0)
        fprintf(stderr, "showfloor-kiosk: screenshot for command %lld not sent\n",
                (long long)command_id);
    else
        fprintf(stderr, "showfloor-kiosk: screenshot for command %lld: %zu bytes in %d part(s)\n",
                (long long)command_id, len, parts);
    free(png);
}

/* Loads assets/themes/<name>.ini. 0, or -1 (logged; the theme in use stays). */
static int fleet_load_theme(struct app *a, const char *name)
{
    struct theme t;
    char path[512], err[512];
    if (!fleet_config_theme_ok(name)) {
        fprintf(stderr, "showfloor-kiosk: theme name '%s' refused\n", name);
        return -1;
    }
    snprintf(path, sizeof path, "%s/themes/%s.ini", SHOWFLOOR_ASSETS_DIR, name);
    if (theme_load(&t, path, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-kiosk: theme '%s' not applied, keeping '%s': %s\n", name,
                a->fleet.theme_name, err);
        return -1;
    }
    a->theme = t;
    snprintf(a->fleet.theme_name, sizeof a->fleet.theme_name, "%s", name);
    a->dirty = true;
    return 0;
}

static void fleet_after(struct app *a, enum fleet_after what, const char *answer_id)
{
    struct fleet *f = &a->fleet;
    f->after = what;
    snprintf(f->after_id, sizeof f->after_id, "%s", answer_id);
    f->after_deadline = a->mono + FLEET_AFTER_ACK_MS;
}

static void fleet_do_after(struct app *a)
{
    struct fleet *f = &a->fleet;
    enum fleet_after what = f->after;
    f->after = FLEET_AFTER_NONE;
    f->after_id[0] = '\0';
    if (what == FLEET_AFTER_RESTART && a->fleet.port.restart) {
        fprintf(stderr, "showfloor-kiosk: restarting at the hub's request\n");
        a->fleet.port.restart(a->fleet.port.user);
    } else if (what == FLEET_AFTER_RESYNC && a->fleet.port.resync) {
        a->fleet.port.resync(a->fleet.port.user);
    }
}

static void fleet_control(struct app *a, int64_t command_id, const char *action)
{
    struct fleet *f = &a->fleet;
    char id[PROTO_MAX_ID + 1] = "";
    fprintf(stderr, "showfloor-kiosk: hub command %lld: %s\n", (long long)command_id, action);
    if (strcmp(action, "identify") == 0) {
        f->identify_until = a->mono + FLEET_IDENTIFY_MS;
        f->shown_flash = -1;
        a->dirty = true;
        fleet_answer(a, command_id, true, "the screen shows its name for 10 s", NULL);
    } else if (strcmp(action, "screenshot") == 0) {
        fleet_screenshot(a, command_id);
    } else if (strcmp(action, "restart") == 0) {
        if (!a->fleet.port.restart) {
            fleet_answer(a, command_id, false, "restart is not supported here", NULL);
            return;
        }
        fleet_answer(a, command_id, true, "restarting", id);
        fleet_after(a, FLEET_AFTER_RESTART, id);
    } else if (strcmp(action, "reload") == 0) {
        bool strings = a->fleet.port.reload && a->fleet.port.reload(a->fleet.port.user) == 0;
        char theme[FLEET_THEME_MAX + 1];
        snprintf(theme, sizeof theme, "%s", f->theme_name);
        bool themed = fleet_load_theme(a, theme) == 0;
        char detail[160];
        snprintf(detail, sizeof detail, "strings %s, theme '%s' %s; resubscribing",
                 strings ? "reloaded" : "kept (reload failed)", theme,
                 themed ? "reloaded" : "kept (reload failed)");
        fleet_answer(a, command_id, strings && themed, detail, id);
        a->dirty = true;
        fleet_after(a, FLEET_AFTER_RESYNC, id);
    } else {
        /* The protocol's choice list makes this unreachable today; a newer hub may add one. */
        fleet_answer(a, command_id, false, "unknown action", NULL);
    }
}

void fleet_apply_config(struct app *a, const cJSON *config)
{
    struct fleet *f = &a->fleet;
    struct fleet_config c;
    char err[256];
    if (fleet_config_parse(config, &c, err, sizeof err) > 0)
        fprintf(stderr, "showfloor-kiosk: hub configuration: ignored bad values: %s\n", err);
    bool was_maintenance = f->cfg.maintenance;
    f->cfg = c;
    if (c.name[0])
        snprintf(f->device_name, sizeof f->device_name, "%s", c.name);
    if (c.mode >= 0 && (!a->mode_set || (int)a->mode != c.mode)) {
        if (a->mode_set)
            fprintf(stderr, "showfloor-kiosk: the hub switched this kiosk from %s to %s\n",
                    model_mode_name(a->mode), model_mode_name((enum model_mode)c.mode));
        if (app_set_mode(a, (enum model_mode)c.mode) != 0)
            fprintf(stderr, "showfloor-kiosk: out of memory switching mode\n");
    }
    if (c.idle_timeout_s > 0 && !f->pin_idle)
        a->idle_ms = c.idle_timeout_s * 1000;
    if (c.language >= 0 && !f->pin_lang && (int)a->default_lang != c.language) {
        a->default_lang = (enum i18n_lang)c.language;
        if (app_idle(a))
            a->lang = a->default_lang; /* nobody is reading: switch now */
    }
    if (c.theme[0] && strcmp(c.theme, f->theme_name) != 0)
        fleet_load_theme(a, c.theme);
    if (c.burnin_shift_min >= 0)
        a->burnin_step_ms = c.burnin_shift_min * 60000;
    if (c.maintenance != was_maintenance) {
        fprintf(stderr, "showfloor-kiosk: maintenance %s\n", c.maintenance ? "on" : "off");
        /* Whatever a customer had typed goes; the screen comes back at its start. */
        app_reset(a);
    }
    a->dirty = true;
}

static void fleet_on_auth_ok(struct app *a, const struct proto_msg *m)
{
    struct fleet *f = &a->fleet;
    const cJSON *dev = proto_get_obj(m->args, "device");
    f->pairing = false;
    f->paired = false;
    const char *name = proto_get_str(dev, "name");
    if (name)
        snprintf(f->device_name, sizeof f->device_name, "%s", name);
    const char *mode = proto_get_str(dev, "mode");
    int mi = mode ? model_mode_parse(mode) : -1;
    if (mode && mi < 0)
        fprintf(stderr,
                "showfloor-kiosk: the hub says this device is in mode '%s', which a kiosk "
                "cannot show\n",
                mode);
    if (mi >= 0 && (!a->mode_set || (int)a->mode != mi)) {
        if (a->mode_set)
            fprintf(stderr, "showfloor-kiosk: started as %s but the hub says %s: the hub wins\n",
                    model_mode_name(a->mode), mode);
        if (app_set_mode(a, (enum model_mode)mi) != 0)
            fprintf(stderr, "showfloor-kiosk: out of memory switching mode\n");
    }
    const cJSON *config = proto_get_obj(dev, "config");
    if (config)
        fleet_apply_config(a, config);
}

bool fleet_on_message(struct app *a, const struct proto_msg *m)
{
    struct fleet *f = &a->fleet;
    switch (m->type) {
    case PROTO_T_AUTH_OK:
        fleet_on_auth_ok(a, m);
        return false;
    case PROTO_T_PAIRING: {
        const char *code = proto_get_str(m->args, "code");
        snprintf(f->code, sizeof f->code, "%s", code ? code : "");
        f->code_expires_at = proto_get_int(m->args, "expires_at", 0);
        int64_t hub_now = app_hub_now(a);
        fprintf(stderr,
                "showfloor-kiosk: pairing code %s (valid %lld min): run  showfloor device "
                "approve %s --site SITE --mode MODE --name NAME\n",
                f->code, (long long)((f->code_expires_at - hub_now + 59999) / 60000), f->code);
        f->shown_left = -1;
        a->dirty = true;
        return true;
    }
    case PROTO_T_PAIRED: {
        const char *token = proto_get_str(m->args, "token");
        const char *name = proto_get_str(proto_get_obj(m->args, "device"), "name");
        fprintf(stderr, "showfloor-kiosk: paired as \"%s\"; connecting with the new token\n",
                name ? name : "");
        if (token && a->fleet.port.paired)
            a->fleet.port.paired(a->fleet.port.user, token);
        f->pairing = false;
        f->paired = true;
        f->code[0] = '\0';
        a->dirty = true;
        return true;
    }
    case PROTO_T_CONTROL:
        fleet_control(a, proto_get_int(m->args, "command_id", 0),
                      proto_get_str(m->args, "action") ? proto_get_str(m->args, "action") : "");
        return true;
    case PROTO_T_DEVICE_CONFIG:
        fleet_apply_config(a, proto_get_obj(m->args, "config"));
        return true;
    default:
        return false;
    }
}

void fleet_on_result(struct app *a, const struct proto_msg *m)
{
    struct fleet *f = &a->fleet;
    if (!m->id)
        return;
    if (f->heartbeat_id[0] && strcmp(m->id, f->heartbeat_id) == 0) {
        f->heartbeat_id[0] = '\0';
        if (!m->ok)
            fprintf(stderr, "showfloor-kiosk: heartbeat refused: %s\n", m->error.message);
        return;
    }
    if (f->after != FLEET_AFTER_NONE && strcmp(m->id, f->after_id) == 0)
        fleet_do_after(a);
    else if (!m->ok)
        fprintf(stderr, "showfloor-kiosk: hub refused %s: %s: %s\n", m->id,
                proto_error_code(m->error.code), m->error.message);
}

/* Minute of the site's day now. */
static int fleet_minute(const struct app *a)
{
    struct tm tm;
    app_site_time(a, a->wall, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

/* How long a tap keeps a dimmed screen bright. */
static int64_t fleet_wake_ms(const struct app *a)
{
    return a->idle_ms > 0 ? a->idle_ms : 60000;
}

static bool fleet_dim_now(const struct app *a)
{
    const struct fleet *f = &a->fleet;
    if (!f->cfg.night_dim || f->identify_until)
        return false;
    if (a->mono - a->last_input < fleet_wake_ms(a))
        return false; /* someone is using it: full brightness */
    return fleet_config_dim_active(f->cfg.dim_from, f->cfg.dim_to, fleet_minute(a));
}

static int fleet_pairing_left(const struct app *a)
{
    int64_t left = (a->fleet.code_expires_at - app_hub_now(a) + 999) / 1000;
    return left < 0 ? 0 : (int)left;
}

void fleet_tick(struct app *a)
{
    struct fleet *f = &a->fleet;
    if (a->conn == APP_CONN_CONNECTED && !f->pairing && f->next_heartbeat &&
        a->mono >= f->next_heartbeat)
        fleet_heartbeat(a);
    if (f->identify_until) {
        if (a->mono >= f->identify_until) {
            f->identify_until = 0;
            a->dirty = true;
        } else if ((int)((f->identify_until - a->mono) / FLEET_FLASH_MS) != f->shown_flash) {
            a->dirty = true;
        }
    }
    if (f->pairing && f->code[0] && fleet_pairing_left(a) != f->shown_left)
        a->dirty = true;
    if (fleet_dim_now(a) != f->dimmed)
        a->dirty = true;
    if (f->after != FLEET_AFTER_NONE && a->mono >= f->after_deadline)
        fleet_do_after(a);
}

int64_t fleet_next_deadline(const struct app *a, int64_t next)
{
    const struct fleet *f = &a->fleet;
    if (a->conn == APP_CONN_CONNECTED && !f->pairing && f->next_heartbeat &&
        f->next_heartbeat < next)
        next = f->next_heartbeat;
    if (f->identify_until) {
        int64_t left = f->identify_until - a->mono;
        int64_t flip = a->mono + (left % FLEET_FLASH_MS ? left % FLEET_FLASH_MS : FLEET_FLASH_MS);
        if (flip < next)
            next = flip;
    }
    if (f->pairing && f->code[0] && a->mono + 1000 - a->mono % 1000 < next)
        next = a->mono + 1000 - a->mono % 1000;
    if (f->cfg.night_dim && a->last_input + fleet_wake_ms(a) > a->mono &&
        a->last_input + fleet_wake_ms(a) < next)
        next = a->last_input + fleet_wake_ms(a); /* dims again after the wake time */
    if (f->after != FLEET_AFTER_NONE && f->after_deadline < next)
        next = f->after_deadline;
    return next;
}

const char *fleet_screen(const struct app *a)
{
    const struct fleet *f = &a->fleet;
    if (f->pairing)
        return "fleet.pairing";
    if (f->paired || !a->mode_set)
        return "fleet.starting";
    if (f->identify_until)
        return "fleet.identify";
    if (f->cfg.maintenance)
        return "fleet.maintenance";
    return NULL;
}

bool fleet_blocks_input(const struct app *a, const char *id)
{
    const char *s = fleet_screen(a);
    if (!s)
        return false;
    if (strcmp(s, "fleet.pairing") == 0 || strcmp(s, "fleet.starting") == 0)
        return id && strcmp(id, "btn.lang") != 0; /* only the language toggle there */
    return true;
}

bool fleet_build(struct app *a)
{
    struct fleet *f = &a->fleet;
    const char *s = fleet_screen(a);
    if (!s)
        return false;
    if (strcmp(s, "fleet.pairing") == 0 || strcmp(s, "fleet.starting") == 0) {
        f->shown_left = f->code[0] ? fleet_pairing_left(a) : -1;
        view_pairing_build(a, fleet_pairing_left(a));
    } else if (strcmp(s, "fleet.identify") == 0) {
        f->shown_flash = (int)((f->identify_until - a->mono) / FLEET_FLASH_MS);
        view_maintenance_identify(a, f->shown_flash % 2 == 0,
                                  (int)((f->identify_until - a->mono + 999) / 1000));
    } else {
        view_maintenance_build(a);
    }
    return true;
}

void fleet_build_overlay(struct app *a)
{
    struct fleet *f = &a->fleet;
    f->dimmed = fleet_dim_now(a);
    if (!f->dimmed)
        return;
    /* A dark veil over everything: a panel takes no taps, so the screen under it still
     * works, and a tap lifts the veil for a while (fleet_dim_now). */
    struct rgba veil = {0, 0, 0, 170};
    widget_panel(a->ui, &a->theme, layout_rect(0, 0, a->lay.w, a->lay.h), veil, 0);
}

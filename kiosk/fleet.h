/* The kiosk's side of fleet management (issue 9; hub/FLEET.md, PROTOCOL.md "Kiosk fleet"):
 * the pairing state of a kiosk without a token, heartbeats every 15 s, the hub's pushed
 * configuration (mode, maintenance, idle timeout, default language, theme, night dimming,
 * burn-in shift) applied without a restart, and remote commands (identify, reload, restart,
 * screenshot) answered with control_result. It lives in struct app (a->fleet) and runs on the
 * UI thread like app.c; whatever needs the platform (the frame as a PNG, the token file,
 * re-executing, re-reading the strings) goes through struct fleet_port; requests go out
 * through the app_port like every other. */
#ifndef SHOWFLOOR_FLEET_H
#define SHOWFLOOR_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fleet_config.h"
#include "proto.h"

#define FLEET_HEARTBEAT_MS 15000
#define FLEET_IDENTIFY_MS  10000
#define FLEET_FLASH_MS     500 /* identify: the colours swap this often */
#define FLEET_AFTER_ACK_MS                                                \
    2000 /* restart/resync this long after answering, acknowledged or not \
          */
#define FLEET_CHUNK_BYTES (PROTO_CHUNK_MAX / 4 * 3) /* PNG bytes per screenshot part */

struct app;
struct proto_msg;

/* What the fleet needs from the platform (main.c; fakes in tests). Each may be NULL: the
 * command that needs a missing one is answered "not supported". UI thread. */
struct fleet_port {
    void *user;
    /* The frame on screen now as a PNG: *png malloc'd (caller frees). 0, or -1. */
    int (*screenshot)(void *user, unsigned char **png, size_t *len);
    /* The hub handed out this kiosk's token: keep it (the token file). */
    void (*paired)(void *user, const char *token);
    /* Re-execute the kiosk once the current event is handled (remote restart). */
    void (*restart)(void *user);
    /* Re-read the string tables (remote reload). 0, or -1 (the old ones stay). */
    int (*reload)(void *user);
    /* Reconnect and subscribe from 0: a fresh snapshot (remote reload). */
    void (*resync)(void *user);
};

/* What to do once the hub acknowledged a control_result (or FLEET_AFTER_ACK_MS passed). */
enum fleet_after {
    FLEET_AFTER_NONE,
    FLEET_AFTER_RESTART, /* restart: re-execute the kiosk */
    FLEET_AFTER_RESYNC,  /* reload: reconnect and subscribe from 0 */
};

struct fleet {
    struct fleet_port port;
    /* identity, set by main.c (fleet_identity) */
    char hostname[PROTO_MAX_SHORT + 1];
    char version[PROTO_MAX_SHORT + 1];
    char screen[33]; /* "1920x1080" */
    char hub[256];   /* the hub URL, shown while pairing */
    int64_t started_mono;
    int64_t watchdog_restarts, last_watchdog_at; /* kiosk wall ms of the last one */

    /* frames, counted by main.c's present path (fleet_frame) */
    int64_t frames;
    int64_t last_frame_wall;

    /* pairing: no token yet */
    bool pairing;
    bool paired; /* the token came; waiting for auth_ok */
    char code[PROTO_MAX_SHORT + 1];
    int64_t code_expires_at; /* hub ms */
    int shown_left;          /* countdown seconds on screen */

    /* pushed configuration */
    struct fleet_config cfg;
    bool pin_lang, pin_idle; /* --lang / --idle-seconds given: the command line wins */
    char device_name[PROTO_MAX_NAME + 1];
    char theme_name[FLEET_THEME_MAX + 1]; /* the theme in use */
    bool dimmed;                          /* the dim overlay is on screen */

    /* heartbeats */
    int64_t next_heartbeat; /* monotonic ms; 0 none due */
    char heartbeat_id[PROTO_MAX_ID + 1];

    /* remote commands */
    int64_t identify_until; /* monotonic ms; 0 none */
    int shown_flash;
    enum fleet_after after;
    char after_id[PROTO_MAX_ID + 1];
    int64_t after_deadline; /* monotonic ms */
};

/* Identity for heartbeats and the pairing screen (main.c, once at start). `watchdog_at` is
 * the kiosk wall ms of the last watchdog restart (0 none). */
void fleet_identity(struct app *a, const char *hostname, const char *screen, const char *version,
                    const char *hub, int64_t watchdog_restarts, int64_t watchdog_at);
/* No token: show the pairing screen until the hub hands one out. */
void fleet_start_pairing(struct app *a);
/* A frame was presented (main.c). */
void fleet_frame(struct app *a);

/* A hub message: pairing, paired, control and device_config are handled here (true);
 * auth_ok's device (mode, name, config) is applied and false returned so app.c goes on. */
bool fleet_on_message(struct app *a, const struct proto_msg *m);
/* A result nobody in app.c waits for: the acknowledgement of a restart/reload answer. */
void fleet_on_result(struct app *a, const struct proto_msg *m);
/* The connection is up (authenticated and subscribed): a heartbeat goes out now. */
void fleet_on_connected(struct app *a);
/* Time passed: heartbeats, the identify flash, the pairing countdown, night dimming, the
 * action after an answer. */
void fleet_tick(struct app *a);
/* The earliest monotonic ms fleet_tick has something to do, or `next` if later. */
int64_t fleet_next_deadline(const struct app *a, int64_t next);

/* The fleet screen shown instead of the mode's ("fleet.pairing", "fleet.starting",
 * "fleet.identify", "fleet.maintenance"), or NULL. */
const char *fleet_screen(const struct app *a);
/* True when taps must not reach the mode's screen; `id` is the widget tapped (the pairing
 * and starting screens keep the language toggle). */
bool fleet_blocks_input(const struct app *a, const char *id);
/* Builds the fleet screen if one is shown (true), after the header. */
bool fleet_build(struct app *a);
/* Overlays over whatever was built: the night dimming. */
void fleet_build_overlay(struct app *a);

/* Applies a configuration (auth_ok's device.config, device_config): mode switch, maintenance,
 * idle timeout, default language, theme, dimming, burn-in shift. */
void fleet_apply_config(struct app *a, const cJSON *config);

/* The heartbeat's args now (caller frees). Pure given the app. */
cJSON *fleet_heartbeat_args(const struct app *a);
/* Splits `len` bytes into base64 parts of at most FLEET_CHUNK_BYTES bytes (PROTO_CHUNK_MAX
 * characters each, every part decodable on its own) and calls cb(ctx, part, last, b64) for
 * each in order. Returns the number of parts, or -1 on out of memory or when cb fails. */
int fleet_base64_parts(const unsigned char *data, size_t len,
                       int (*cb)(void *ctx, int part, bool last, const char *b64), void *ctx);
/* "K7F3QX" -> "K7F 3QX" (a space after every third character), for reading aloud. */
void fleet_group_code(const char *code, char *out, size_t outsz);

#endif

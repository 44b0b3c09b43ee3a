/* The kiosk's UI state and its reactions: one struct app per process, owned by the UI
 * thread. It holds the model, the translated strings, the widget list and each view's
 * state; it turns taps into view actions, network notes into model updates and request
 * results, and time into clock updates, timeouts and idle resets. No SDL, no sockets:
 * main.c feeds it events and draws what it built, tests drive it directly. */
#ifndef SHOWFLOOR_APP_H
#define SHOWFLOOR_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "fleet.h"
#include "i18n.h"
#include "layout.h"
#include "model.h"
#include "proto.h"
#include "theme.h"
#include "ui.h"
#include "view_board.h"
#include "view_delivery.h"
#include "view_reception.h"
#include "view_status.h"

#define APP_REQUEST_TIMEOUT_MS 10000
#define APP_MAX_PENDING        16

enum app_conn {
    APP_CONN_CONNECTING,
    APP_CONN_CONNECTED,
    APP_CONN_RECONNECTING,
    APP_CONN_REVOKED,
    APP_CONN_AUTH_FAILED,
};

/* How the app reaches the network thread (net.c in the program, fakes in tests). */
struct app_port {
    void *user;
    /* Queues a request; takes ownership of args (may be NULL). 0, or -1 if it cannot be
     * encoded or queued. */
    int (*send)(void *user, const char *id, enum proto_type type, cJSON *args);
    /* Stops resending a request whose answer nobody waits for any more. */
    void (*cancel)(void *user, const char *id);
    /* Tells the network thread the last applied seq, for resubscribing. */
    void (*applied_seq)(void *user, int64_t seq);
};

struct app_pending {
    bool used;
    char id[PROTO_MAX_ID + 1];
    enum proto_type type;
    int64_t deadline; /* monotonic ms */
};

struct signq;

struct app {
    enum model_mode mode;
    bool mode_set; /* false until --mode or the hub names the mode (fleet.starting shows) */
    struct model *model;
    const struct i18n *i18n; /* borrowed */
    struct theme theme;
    struct ui *ui;
    struct layout lay;
    struct ui_rect body; /* below the header, set by each build */
    enum i18n_lang lang, default_lang;
    struct app_port port;

    int64_t mono;       /* monotonic ms, set by the caller before each call */
    int64_t wall;       /* UTC ms of this machine */
    int64_t hub_offset; /* hub clock - wall, from auth_ok */
    int64_t last_input; /* monotonic ms of the last tap */
    int idle_ms;
    bool dirty;
    int shown_minute; /* wall-clock minute the screen shows */
    int shown_second; /* for countdowns */

    enum app_conn conn;
    int64_t retry_at; /* monotonic ms of the next reconnect attempt */
    int64_t device_id;
    char site_name[PROTO_MAX_NAME + 1];
    char boot[16];
    unsigned counter;
    struct app_pending pending[APP_MAX_PENDING];

    struct view_reception rec;
    struct view_status st;
    struct view_delivery dl;
    struct view_board bd; /* the board's pages and figures requests */

    struct signq *signq;   /* offline sign-off queue (delivery mode), borrowed; may be NULL */
    const char *result_id; /* id of the request whose result a view's `result` is handling */
    int64_t data_at;       /* wall ms until which the shown data was live; 0 = never */
    bool pointer_captured; /* a finger went down on a view's drawing surface (signature) */
    int shift_step;        /* burn-in pixel shift position shown */
    int burnin_step_ms;    /* how often the burn-in shift moves; 0 never (hub config) */
    struct fleet fleet;    /* pairing, heartbeats, pushed config, remote commands (fleet.h) */
};

/* Sets up an app for `mode` with borrowed strings; `theme` is copied. 0, or -1 on out of
 * memory. `boot` distinguishes this run in request ids. Free with app_fini. */
int app_init(struct app *a, enum model_mode mode, const struct i18n *i18n,
             const struct theme *theme, const struct app_port *port, enum i18n_lang lang,
             int idle_seconds, int64_t mono, int64_t wall);
void app_fini(struct app *a);
/* Switches to another mode at run time (the hub decides a kiosk's mode): the old mode's
 * screens are reset and its requests forgotten, a fresh model waits for a snapshot (the seq
 * told to the network goes back to 0), the new mode starts on its idle screen. The caller
 * (main.c) attaches the sign-off queue when the new mode is delivery. 0, or -1 on out of
 * memory (nothing changed). */
int app_set_mode(struct app *a, enum model_mode mode);
/* Back to the mode's idle screen, typed data wiped, the default language (the idle reset). */
void app_reset(struct app *a);
/* True when the mode's screen is its idle screen. */
bool app_idle(const struct app *a);

/* Rebuilds the widget list for a w x h screen from the model and view state, and clears
 * the dirty flag. */
void app_build(struct app *a, int w, int h);
/* Name of the screen shown now ("reception.phone"; "revoked" when the device is). */
const char *app_screen(const struct app *a);

/* Input: a finger or button down/up at screen coordinates. */
void app_press(struct app *a, int x, int y);
void app_release(struct app *a, int x, int y);
/* A finger or button moved while down (drawing on the signature pad). */
void app_motion(struct app *a, int x, int y);
/* Runs the action of the widget `id` as if it had been tapped. */
void app_action(struct app *a, const char *id);

/* A decoded hub message (the net thread's note); borrowed. */
void app_on_message(struct app *a, const struct proto_msg *m);
/* The connection changed; retry_at is the monotonic ms of the next attempt when
 * reconnecting. */
void app_on_conn(struct app *a, enum app_conn state, int64_t retry_at);
/* Time passed (a->mono/a->wall already updated): request timeouts, idle reset, clocks,
 * countdowns. */
void app_tick(struct app *a);
/* Monotonic ms at which app_tick has something to do, for the event loop's timeout. */
int64_t app_next_deadline(const struct app *a);

/* Sends a request. `id` may be NULL for a fresh "<device>-<boot>-<n>" id; a view that
 * retries a command passes the id it got the first time (idempotent at the hub). The id
 * used is copied to id_out (size PROTO_MAX_ID + 1) if given. Takes ownership of args.
 * 0, or -1 when the request cannot be sent (the view shows an error). */
int app_request(struct app *a, enum proto_type type, cJSON *args, const char *id, char *id_out);
/* A fresh request id "k<device>-<boot>-<n>" into out (size PROTO_MAX_ID + 1), for a
 * command whose id must be known before it is sent (the offline queue stores it first). */
void app_new_id(struct app *a, char *out);
/* Forgets a pending request (the screen that asked went away). */
void app_forget(struct app *a, const char *id);
/* True while a request of this id waits for its result. */
bool app_waiting(const struct app *a, const char *id);

/* Text of a key in the current language. */
const char *app_t(const struct app *a, enum i18n_key key);
/* Hub time now, UTC ms. */
int64_t app_hub_now(const struct app *a);
/* Marks the screen for a rebuild. */
void app_dirty(struct app *a);

/* May the program close on a window-close request (Alt-F4) or Escape? In a fullscreen kiosk
 * only while a staff member is logged in: a customer cannot leave the kiosk. */
bool app_may_quit(const struct app *a);
/* Burn-in care for always-on walls (board, status wall): a few pixels of offset that move
 * every few minutes, from the wall clock. Returns the step; *dx, *dy get the offset. */
int app_burnin_offset(const struct app *a, int *dx, int *dy);

/* Calendar time of `ms` (UTC ms) at the kiosk's site: the hub sends the site's fixed UTC
 * offset in the snapshot, so a kiosk shows the showroom's time whatever its own TZ is. Before
 * the first snapshot it falls back to the machine's local time. UI thread. */
void app_site_time(const struct app *a, int64_t ms, struct tm *out);

#endif

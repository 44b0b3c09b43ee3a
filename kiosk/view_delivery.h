/* Delivery-bay screens: today's deliveries, a staff login (staff number + PIN ->
 * `staff_login`), then the sign-off a consultant walks with the customer: the order in full
 * (`order_get`), the checklist of DOMAIN.md, a summary the customer reads, the signature
 * pad, a 1-5 rating with an optional comment and complaint, and `order_deliver`. Every
 * sign-off goes through the kiosk's offline queue (signq.h) first, so a hub outage, a
 * timeout or a crash loses nothing and the screen can say honestly where it is.
 *
 * Files: view_delivery.c (state, staff session, requests and results), view_delivery_list.c
 * (list, login and waiting screens), view_delivery_signoff.c (checklist .. done screens and
 * the submit), view_delivery_queue.c (resending queued sign-offs). UI thread only. */
#ifndef SHOWFLOOR_VIEW_DELIVERY_H
#define SHOWFLOOR_VIEW_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "entry.h"
#include "proto.h"
#include "widget_scroll.h"
#include "widget_signature.h"

enum view_delivery_screen {
    DL_LIST,
    DL_STAFF_NO,
    DL_PIN,
    DL_LOGGING_IN,
    DL_STAFF,     /* logged in: today's deliveries to pick from */
    DL_ERROR,     /* no answer from the hub to the login */
    DL_LOADING,   /* order_get */
    DL_CHECKLIST, /* consultant and customer tick each item */
    DL_SUMMARY,   /* the customer reads what they sign for */
    DL_SIGN,      /* signature pad */
    DL_RATING,    /* 1-5, comment, complaint */
    DL_COMMENT,   /* on-screen keyboard for the comment */
    DL_SUBMITTING,
    DL_DONE, /* the outcome of the submit */
};

/* What became of a submitted sign-off (DL_DONE). */
enum view_delivery_outcome {
    DL_OUT_DELIVERED, /* the hub recorded it */
    DL_OUT_QUEUED,    /* saved on this kiosk; sent when the hub is back */
    DL_OUT_FAILED,    /* the hub refused it; kept on this kiosk for staff */
    DL_OUT_UNSAVED,   /* neither sent nor saved (disk error and no hub): say so, offer retry */
};

/* The checklist of DOMAIN.md "Delivery sign-off", in order_deliver's `checklist` keys. */
#define DL_CHECK_N 7
extern const char *const view_delivery_checks[DL_CHECK_N];

/* The kiosk shows at most this many queued sign-offs on the staff screen. */
#define DL_QUEUE_SHOWN 4

struct view_delivery {
    enum view_delivery_screen screen;
    struct entry staff_no;
    struct entry pin;
    int error_key;
    char error_text[PROTO_MAX_TEXT / 4]; /* the hub's message (at most 200 bytes) */
    int notice_key; /* shown on the list after an automatic logout, -1 for none */
    char login_id[PROTO_MAX_ID + 1];

    /* The staff session as the kiosk sees it. The hub ties a login to one connection and
     * lets it lapse when idle, so the kiosk keeps the PIN in memory (never on disk) for
     * as long as the session lasts, to log in again silently after a reconnect or a lapse;
     * logout and the idle reset wipe it. */
    bool session;
    bool hub_login; /* the hub's current connection has the login */
    char relogin_id[PROTO_MAX_ID + 1];
    char staff_no_v[PROTO_MAX_SHORT + 1];
    char staff_pin[PROTO_MAX_PIN + 1];
    int64_t staff_id;
    char staff_name[PROTO_MAX_NAME + 1];
    char staff_role[PROTO_MAX_SHORT + 1];
    int64_t last_ping; /* monotonic ms of the last keep-alive */

    /* The sign-off in progress. */
    char order_no[PROTO_MAX_ORDER_NO + 1];
    char get_id[PROTO_MAX_ID + 1];
    cJSON *order; /* StaffOrder from order_get, owned */
    bool check[DL_CHECK_N];
    struct widget_signature sig;
    int sig_msg_key; /* minimum-ink message on DL_SIGN, -1 for none */
    int rating;      /* 0 = none given */
    char comment[PROTO_MAX_TEXT / 2];
    bool complaint;
    bool kb_shift;
    char submit_id[PROTO_MAX_ID + 1];
    bool submit_sent;  /* the submit is in the outbox (not waiting for a login) */
    bool submit_saved; /* ...and in the offline queue */
    enum view_delivery_outcome outcome;

    /* The offline queue. */
    char flush_id[PROTO_MAX_ID + 1]; /* queued sign-off being resent, "" when none */
    int64_t next_flush;              /* monotonic ms of the next resend attempt */
    int queued, failed;              /* counts shown on the screens */

    /* Today's deliveries scrolled (view_delivery_list.c). */
    struct widget_scroll list_scroll;
    enum view_delivery_screen list_scroll_screen; /* whose list: another goes back to the top */
    bool list_gesture;                            /* a finger went down on the list or its arrows */
};

struct app;
void view_delivery_build(struct app *a);
void view_delivery_action(struct app *a, const char *id);
void view_delivery_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_delivery_reset(struct app *a);
void view_delivery_tick(struct app *a);
const char *view_delivery_screen(const struct app *a);
bool view_delivery_idle(const struct app *a);
/* The connection changed (app_on_conn): the hub's login is gone after a drop; once
 * connected again the kiosk logs in again if a staff session is open. */
void view_delivery_conn(struct app *a, bool connected);
/* A finger on the signature pad: phase 0 down, 1 move, 2 up. True when it was the pad's. */
bool view_delivery_pointer(struct app *a, int phase, int x, int y);
/* Idle time before the automatic logout/reset: longer while a customer reads and signs. */
int view_delivery_idle_ms(const struct app *a, int idle_ms);
/* True while a staff member is logged in at this kiosk (may leave fullscreen). */
bool view_delivery_staff_active(const struct app *a);

/* --- shared by the delivery files --- */

/* Screen builders (view_delivery_list.c). */
void view_delivery_list_screen(struct app *a);
void view_delivery_list_staff(struct app *a);
void view_delivery_list_keypad(struct app *a, bool pin);
void view_delivery_list_wait(struct app *a, const char *id, int key);
void view_delivery_list_error(struct app *a);
/* The order's rows that count as "today's deliveries" (delivery_at today at the site, or
 * earlier and still not delivered). */
bool view_delivery_list_today(const struct app *a, const cJSON *order);
/* A finger on today's deliveries (phase 0 down, 1 move, 2 up): drags scroll the list and
 * are not taps; a tap without a drag goes to the row or arrow under it. True when it was
 * the list's. */
bool view_delivery_list_pointer(struct app *a, int phase, int x, int y);

/* Sign-off screens and their actions (view_delivery_signoff.c). */
void view_delivery_signoff_build(struct app *a);
void view_delivery_signoff_action(struct app *a, const char *id);
/* Starts the flow with the StaffOrder of order_get (copied). */
void view_delivery_signoff_begin(struct app *a, const cJSON *order);
/* Sends the submit when the hub login is there (again); called after a (re)login. */
void view_delivery_signoff_send(struct app *a);
/* The result of order_deliver for the submit in progress (res NULL: no answer). */
void view_delivery_signoff_result(struct app *a, const struct proto_msg *res);
/* Wipes the sign-off in progress (order, checks, signature, rating, comment). */
void view_delivery_signoff_wipe(struct app *a);

/* Offline queue (view_delivery_queue.c). */
void view_delivery_queue_tick(struct app *a);
/* Handles the result of a resent sign-off; false when `id` is not the one in flight. */
bool view_delivery_queue_result(struct app *a, const char *id, const struct proto_msg *res);
/* Re-reads the counts shown on screen. */
void view_delivery_queue_refresh(struct app *a);
/* True for errors after which the same request may succeed later (hub busy, no login). */
bool view_delivery_queue_retryable(enum proto_err code);

/* Sends a staff request (order_get, order_deliver) with `id` (NULL: fresh, copied to
 * id_out). When the hub has no login for this connection it logs in again first and the
 * caller's after-login hook resends. Takes ownership of args. 0 sent or deferred, -1. */
int view_delivery_staff_request(struct app *a, enum proto_type type, cJSON *args, const char *id,
                                char *id_out);
/* The hub said the login is gone (session_expired, staff_login_required): log in again. */
void view_delivery_relogin(struct app *a);

#endif

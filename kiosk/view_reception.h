/* Reception screens: attract -> consent -> phone keypad -> sending -> done (or error),
 * ending in a `checkin` command; on attract, consent and phone a "call staff" button sends
 * `call_staff` (at most once per REC_CALL_GAP_MS) and shows its outcome over the screen for
 * a few seconds without touching what the customer typed. UI thread only. */
#ifndef SHOWFLOOR_VIEW_RECEPTION_H
#define SHOWFLOOR_VIEW_RECEPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "entry.h"
#include "i18n.h"
#include "proto.h"

enum view_reception_screen {
    REC_ATTRACT,
    REC_CONSENT,
    REC_PHONE,
    REC_SENDING,
    REC_DONE,
    REC_ERROR, /* the hub did not answer: retry with the same command id, or cancel */
};

/* Repeated taps within this time of a call the hub took (or is taking) send nothing. */
#define REC_CALL_GAP_MS 30000

enum view_rec_call_state {
    REC_CALL_IDLE,
    REC_CALL_SENDING,
    REC_CALL_SENT,   /* the hub notified staff; the button says so until the gap is over */
    REC_CALL_FAILED, /* no answer or an error: a new tap tries again at once */
};

/* The call_staff request: outlives the screens (cancel, idle reset) so the rate limit
 * and a late answer still apply. */
struct view_rec_call {
    enum view_rec_call_state state;
    char id[PROTO_MAX_ID + 1];
    int64_t sent_at;      /* monotonic ms of the tap that sent it, 0 = none in the gap */
    int64_t notice_until; /* monotonic ms until which the outcome shows, 0 = hidden */
    int error_key;        /* as view_reception.error_key, for REC_CALL_FAILED */
    char error_text[PROTO_MAX_NAME * 2];
};

struct view_reception {
    enum view_reception_screen screen;
    struct entry phone;
    int error_key; /* i18n key of the error under the keypad, -1 for none */
    char error_text[PROTO_MAX_NAME * 2];
    /* The checkin command's id: kept for a retry so the hub runs it at most once. */
    char checkin_id[PROTO_MAX_ID + 1];
    int64_t done_until; /* monotonic ms when the done screen returns to attract */
    char done_name[PROTO_MAX_NAME + 1];
    char done_consultant[PROTO_MAX_NAME + 1];
    int queue_position;
    int wait_min;
    struct view_rec_call call;
};

struct app;
void view_reception_build(struct app *a);
void view_reception_action(struct app *a, const char *id);
/* The answer to a request this view sent; res is NULL when none came in time. */
void view_reception_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_reception_reset(struct app *a);
void view_reception_tick(struct app *a);
const char *view_reception_screen(const struct app *a);
bool view_reception_idle(const struct app *a);
/* Monotonic ms of the next change the tick makes to the call notice or button, or
 * INT64_MAX. */
int64_t view_reception_deadline(const struct app *a);

#endif

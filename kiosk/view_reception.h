/* Reception screens: attract -> consent -> phone keypad -> lookup, then for a new customer
 * the questions (model tiles, how they heard of us, first visit, gender, name) -> sending ->
 * done (or error), ending in one `checkin` command that carries the answers. `checkin_lookup`
 * (a read) decides whether the questions are asked: invited, owned and returning customers
 * go straight to the check-in. Every step has Back and Cancel; every screen a customer sees
 * has a "call staff" button that sends `call_staff` (at most once per REC_CALL_GAP_MS) and
 * shows its outcome over the screen for a few seconds without touching what was typed.
 * The question screens are in view_reception_ask.c. UI thread only. */
#ifndef SHOWFLOOR_VIEW_RECEPTION_H
#define SHOWFLOOR_VIEW_RECEPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "entry.h"
#include "i18n.h"
#include "layout.h"
#include "proto.h"

enum view_reception_screen {
    REC_ATTRACT,
    REC_CONSENT,
    REC_PHONE,
    REC_LOOKUP, /* checkin_lookup on its way */
    REC_MODEL,  /* new customers only, from here to REC_NAME */
    REC_SOURCE,
    REC_FIRST,
    REC_GENDER,
    REC_NAME,
    REC_SENDING,
    REC_DONE,
    REC_ERROR, /* the hub did not answer: retry (the checkin with its id), or cancel */
    REC__COUNT
};

/* The questions asked of a new customer, in order (REC_MODEL..REC_NAME). */
#define REC_ASK_STEPS (REC_NAME - REC_MODEL + 1)
/* Bytes of a typed name: a surname, or a short Latin name. */
#define REC_NAME_MAX 32

enum view_rec_gender {
    REC_GENDER_UNSET, /* not asked, or skipped: the hub gets no gender */
    REC_GENDER_MALE,
    REC_GENDER_FEMALE,
};

/* What a new customer answered; each may stay unset (every question can be skipped). */
struct view_rec_answers {
    char model[PROTO_MAX_SHORT + 1];  /* a code of the snapshot's models, "" = not said */
    char source[PROTO_MAX_SHORT + 1]; /* a channel code of view_rec_sources, "" = not said */
    int first_visit;                  /* -1 not said, 0 no, 1 yes */
    enum view_rec_gender gender;
    char name[REC_NAME_MAX + 1];
    bool shift; /* the name keyboard's shift key */
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
    char lookup_id[PROTO_MAX_ID + 1];
    bool ask;          /* the lookup said "new": the questions are asked and sent */
    bool error_lookup; /* REC_ERROR: the lookup went unanswered (Retry asks again) */
    struct view_rec_answers ans;
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

/* Shared by view_reception.c and view_reception_ask.c. */
/* The other language's text of key (buttons carry both). */
const char *view_reception_other(const struct app *a, enum i18n_key key);
/* The call-staff button over r. */
void view_reception_call_button(struct app *a, struct ui_rect r, int px);
/* Sends (or, with the kept id, resends) the checkin command with the answers. */
void view_reception_send(struct app *a);

/* view_reception_ask.c: the question screens and their taps. */
void view_reception_ask_build(struct app *a);
/* Handles a tap on a question screen (Back, Skip, a tile, a key). */
void view_reception_ask_action(struct app *a, const char *id);

/* The customer-facing channels offered as chips: code (PROTOCOL.md "Channels") and i18n key.
 * n receives the count. */
struct view_rec_source {
    const char *code;
    enum i18n_key key;
};
const struct view_rec_source *view_reception_sources(int *n);

#endif

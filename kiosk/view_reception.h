/* Reception screens: attract -> consent -> phone keypad -> sending -> done (or error),
 * ending in a `checkin` command. UI thread only. */
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

struct view_reception {
    enum view_reception_screen screen;
    struct entry phone;
    bool staff_msg; /* "please come to the front desk" is shown on the attract screen */
    int error_key;  /* i18n key of the error under the keypad, -1 for none */
    char error_text[PROTO_MAX_NAME * 2];
    /* The checkin command's id: kept for a retry so the hub runs it at most once. */
    char checkin_id[PROTO_MAX_ID + 1];
    int64_t done_until; /* monotonic ms when the done screen returns to attract */
    char done_name[PROTO_MAX_NAME + 1];
    char done_consultant[PROTO_MAX_NAME + 1];
    int queue_position;
    int wait_min;
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

#endif

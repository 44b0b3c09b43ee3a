/* Status screens: the wall of today's deliveries (idle), then order number -> last 4
 * phone digits -> `order_lookup` -> the order's public timeline, which stays live: an
 * order event for the same order (status kiosks get wall views) triggers a silent lookup
 * again. The phone tail is kept only while the result is shown. UI thread only. */
#ifndef SHOWFLOOR_VIEW_STATUS_H
#define SHOWFLOOR_VIEW_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "entry.h"
#include "proto.h"

enum view_status_screen {
    ST_WALL,
    ST_ORDER,
    ST_PHONE4,
    ST_SEARCHING,
    ST_RESULT,
    ST_ERROR, /* no answer from the hub */
};

struct view_status {
    enum view_status_screen screen;
    struct entry order_no;
    struct entry last4;
    int error_key; /* shown under the keypad, -1 for none */
    char error_text[PROTO_MAX_NAME * 2];
    char lookup_id[PROTO_MAX_ID + 1];
    char refresh_id[PROTO_MAX_ID + 1]; /* a silent lookup refreshing ST_RESULT */
    cJSON *order;                      /* the PublicOrder shown on ST_RESULT, owned */
};

struct app;
void view_status_build(struct app *a);
void view_status_action(struct app *a, const char *id);
void view_status_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_status_reset(struct app *a);
void view_status_tick(struct app *a);
const char *view_status_screen(const struct app *a);
bool view_status_idle(const struct app *a);
/* An event was applied to the model: when it is about the order shown (its wall `ref`),
 * the order is looked up again so the timeline updates live. */
void view_status_event(struct app *a, const char *kind, const cJSON *data);

#endif

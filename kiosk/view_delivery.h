/* Delivery-bay screens: today's deliveries and a staff login (staff number + PIN ->
 * `staff_login`). The checklist and signature flow is a later version. UI thread only. */
#ifndef SHOWFLOOR_VIEW_DELIVERY_H
#define SHOWFLOOR_VIEW_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "entry.h"
#include "proto.h"

enum view_delivery_screen {
    DL_LIST,
    DL_STAFF_NO,
    DL_PIN,
    DL_LOGGING_IN,
    DL_STAFF, /* logged in */
    DL_ERROR, /* no answer from the hub */
};

struct view_delivery {
    enum view_delivery_screen screen;
    struct entry staff_no;
    struct entry pin;
    int error_key;
    char error_text[PROTO_MAX_NAME * 2];
    char login_id[PROTO_MAX_ID + 1];
    char staff_name[PROTO_MAX_NAME + 1];
    char staff_role[PROTO_MAX_SHORT + 1];
};

struct app;
void view_delivery_build(struct app *a);
void view_delivery_action(struct app *a, const char *id);
void view_delivery_result(struct app *a, enum proto_type type, const struct proto_msg *res);
void view_delivery_reset(struct app *a);
void view_delivery_tick(struct app *a);
const char *view_delivery_screen(const struct app *a);
bool view_delivery_idle(const struct app *a);
/* The connection dropped: a staff login belongs to the connection, so it is gone. */
void view_delivery_conn_lost(struct app *a);

#endif

/* The demo's showroom floor (cmd_demo_floor.c), added by `showfloor demo-data` after its
 * organisation, leads, orders and visits (cmd_demo.c). */
#ifndef SHOWFLOOR_CMD_DEMO_H
#define SHOWFLOOR_CMD_DEMO_H

#include "cli.h"

#define CMD_DEMO_GM "S013" /* the general manager: level-3 complaints */

/* What the demo prints so each reception case can be tried at the kiosk. */
struct cmd_demo_floor {
    char invited_phone[PROTO_MAX_PHONE + 1]; /* open lead invited by telesales, booked today */
    char telesales_name[PROTO_MAX_NAME + 1];
    int64_t appointment_at;
    char owned_phone[PROTO_MAX_PHONE + 1]; /* open lead owned by an on-duty consultant */
    char owner_name[PROTO_MAX_NAME + 1];
    char rest_phone[PROTO_MAX_PHONE + 1]; /* owned by the consultant on rest: "" none */
    char rest_owner[PROTO_MAX_NAME + 1];
    char new_phone[PROTO_MAX_PHONE + 1]; /* nobody has it */
    int overdue, conflicts, complaints;
    char conflict_owner[PROTO_MAX_NAME + 1];
};

/* Staff attributes, lead histories (holders, follow-ups, a few overdue), appointments, an
 * open conflict, complaints at levels 1-3 (one past its first-reply time), satisfaction.
 * Call inside demo-data's transaction; prints its own errors; 0 or -1. */
int cmd_demo_floor_add(struct cli *c, int64_t site_id, int utc_offset, struct cmd_demo_floor *out);

#endif

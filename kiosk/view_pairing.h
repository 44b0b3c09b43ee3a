/* The screens of a kiosk that has no mode yet: pairing (no token: the code the hub gave, for
 * an administrator to approve with `showfloor device approve`, its expiry, and this kiosk's
 * identity) and starting (paired, or a token but no --mode: waiting for the hub to say the
 * mode). Both keep the header, so the connection state and the language toggle stay. UI
 * thread only. */
#ifndef SHOWFLOOR_VIEW_PAIRING_H
#define SHOWFLOOR_VIEW_PAIRING_H

struct app;

/* Builds the pairing or starting screen (a->fleet.pairing decides) with the header;
 * `seconds_left` is the code's remaining validity. */
void view_pairing_build(struct app *a, int seconds_left);

#endif

/* Full-screen notices the hub turns on: maintenance ("暂停服务 / Out of order": site and
 * device name, no buttons; taps are ignored until it is off) and identify (the device's name
 * and site flashing for a few seconds, so whoever asked can find the screen on the floor).
 * UI thread only. */
#ifndef SHOWFLOOR_VIEW_MAINTENANCE_H
#define SHOWFLOOR_VIEW_MAINTENANCE_H

#include <stdbool.h>

struct app;

/* The maintenance screen over the whole display. */
void view_maintenance_build(struct app *a);
/* The identify screen: `phase` alternates its colours; `seconds_left` counts down. */
void view_maintenance_identify(struct app *a, bool phase, int seconds_left);

#endif

/* The configuration the hub pushes to a kiosk (auth_ok's device.config and the
 * `device_config` message; hub/store_fleet.h lists the keys), read into a plain struct.
 * Pure: no app, no files. The hub validates every value before it stores it; the kiosk
 * still checks each one, because a value it cannot use must not take the screen down: a bad
 * value is left unset and named in the error text, the rest applies. */
#ifndef SHOWFLOOR_FLEET_CONFIG_H
#define SHOWFLOOR_FLEET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "proto.h"

#define FLEET_THEME_MAX 32

struct fleet_config {
    int mode;                        /* enum model_mode; -1 absent or not a kiosk mode */
    bool maintenance;                /* the "out of order" screen */
    int idle_timeout_s;              /* 0 absent */
    int language;                    /* enum i18n_lang; -1 absent */
    char theme[FLEET_THEME_MAX + 1]; /* "" absent */
    bool night_dim;                  /* a dimming window is set */
    int dim_from, dim_to; /* minutes of the site's day, [from, to), may wrap past midnight */
    int burnin_shift_min; /* -1 absent; 0 no shift */
    char name[PROTO_MAX_NAME + 1]; /* the device's name, "" absent */
    char site[PROTO_MAX_NAME + 1]; /* the site's code (or name), "" absent */
};

/* Reads `cfg` (an object; NULL gives an all-absent config). Returns the number of values
 * that were present but unusable (each left absent); err then names them. */
int fleet_config_parse(const cJSON *cfg, struct fleet_config *out, char *err, size_t errsz);
/* "HH:MM-HH:MM" to minutes of the day. "" is no dimming (*on false). 0, or -1 if malformed
 * or both ends are equal. */
int fleet_config_night_dim(const char *s, bool *on, int *from, int *to);
/* True when minute_of_day lies in [from, to), the window wrapping past midnight when
 * from > to. */
bool fleet_config_dim_active(int from, int to, int minute_of_day);
/* A theme name the kiosk may turn into assets/themes/<name>.ini: [a-z0-9_-]{1,32}. */
bool fleet_config_theme_ok(const char *name);

#endif

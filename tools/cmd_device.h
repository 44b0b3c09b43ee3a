/* `showfloor device`: the verbs of the kiosk fleet (issue 9; hub/FLEET.md), split by what
 * they touch: cmd_device.c (add, revoke, the verb table and the shared argument helpers),
 * cmd_device_fleet.c (approve, pending, list), cmd_device_config.c (maintenance, mode,
 * config) and cmd_device_remote.c (identify, reload, restart, screenshot through the hub). */
#ifndef SHOWFLOOR_CMD_DEVICE_H
#define SHOWFLOOR_CMD_DEVICE_H

#include <stdbool.h>

#include "cli.h"
#include "store_fleet.h"

/* Splits argv into positional words and options, then runs cli_parse on the options. A word
 * starting with "-" is an option that takes the next word as its value unless opts marks it
 * a flag; "-o" is read as "--output". Between min_pos and max_pos positional words are
 * stored in pos (borrowed from argv), their number in *npos. Prints its own message; 0, or
 * -1 for a usage error. */
int cmd_device_args(const char *cmd, int argc, char **argv, struct cli_opt *opts, const char **pos,
                    int min_pos, int max_pos, int *npos);
/* The device NAME of site CODE (its site in *site). Prints its own message; 0 or -1. */
int cmd_device_find(struct cli *c, const char *cmd, const char *site_code, const char *name,
                    struct store_site *site, struct store_device *d);
/* Checks a device name as `device add` and `device approve` accept it (1..PROTO_MAX_NAME
 * bytes of UTF-8). Prints its own message; 0 or -1. */
int cmd_device_name_ok(const char *cmd, const char *name);
/* A kiosk mode (not api: a screen is never an integration). Prints its own message; the
 * mode, or -1. */
int cmd_device_kiosk_mode(const char *cmd, const char *mode_name);

/* ---- verbs: each gets the words after the verb; returns an exit code (cli.h) ---- */

int cmd_device_approve(struct cli *c, int argc, char **argv);
int cmd_device_pending(struct cli *c, int argc, char **argv);
int cmd_device_list(struct cli *c, int argc, char **argv);
int cmd_device_maintenance(struct cli *c, int argc, char **argv);
int cmd_device_mode(struct cli *c, int argc, char **argv);
int cmd_device_config(struct cli *c, int argc, char **argv);
/* identify | reload | restart | screenshot: `action` is the verb. */
int cmd_device_remote(struct cli *c, const char *action, int argc, char **argv);

#endif

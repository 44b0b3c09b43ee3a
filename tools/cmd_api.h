/* `showfloor order <verb>`: the order commands and reads over the hub's HTTP API
 * (cmd_api.c), and how their results are shown to a person (cmd_api_print.c). */
#ifndef SHOWFLOOR_CMD_API_H
#define SHOWFLOOR_CMD_API_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "api_client.h"

/* 1 if `verb` of `showfloor order` goes through the hub (every verb but `add`, which writes
 * the database directly). */
int cmd_api_order_is_remote(const char *verb);
/* Runs `showfloor order <verb> ...`; argv[0] is the verb. Exit status: 0 ok, 1 an error
 * result, 2 usage, 3 hub unreachable. */
int cmd_api_order(const struct api_client_opts *o, int argc, char **argv);
/* Usage lines of every verb, for `showfloor --help`. */
void cmd_api_order_usage(FILE *f);

/* cmd_api_print.c: a person's summary of a result's data (an order, a page of orders, or
 * the plain fields of anything else) on stdout. */
void cmd_api_print_data(const cJSON *data);

#endif

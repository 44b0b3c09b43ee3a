/* `showfloor customer export|erase`: a customer's personal data on request, through a
 * running hub's HTTP API (the hub checks the role, logs the read, erases and audits). */
#ifndef SHOWFLOOR_CMD_CUSTOMER_H
#define SHOWFLOOR_CMD_CUSTOMER_H

#include <stdio.h>

#include "api_client.h"
#include "cli.h"

/* Every `customer` verb goes to the hub (1 for any verb, also none: then usage). */
int cmd_customer_is_remote(const char *verb);
/* Runs `showfloor customer <verb> ...`; argv[0] is the verb. Exit status: 0 ok, 1 refused by
 * the hub, the output file failed or the erasure was not confirmed, 2 usage (also: erase
 * without --yes when stdin is not a terminal), 3 hub unreachable. */
int cmd_customer(const struct api_client_opts *o, int argc, char **argv);
/* The option lines of both verbs, for `showfloor --help`. */
void cmd_customer_usage(FILE *f);
/* The subcommand table's entry for `customer` (main.c routes every verb to cmd_customer
 * before a database is opened; this answers only a call without one: the usage). */
int cmd_customer_direct(struct cli *c, int argc, char **argv);

#endif

/* The admin CLI's shared pieces: the context every subcommand gets, the option parser and
 * the helpers that turn store errors into messages and exit codes. */
#ifndef SHOWFLOOR_CLI_H
#define SHOWFLOOR_CLI_H

#include <stdint.h>

#include "proto.h"
#include "store.h"

/* Exit codes, as README.md documents them. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli {
    const char *db_path;
    struct store *store; /* opened by main before a subcommand runs */
    int64_t now;         /* UTC ms, from the hub's clock (honours SHOWFLOOR_CLOCK_OFFSET_MS) */
};

/* One "--name value" option of a subcommand. Flags (no value) set *value to "1". */
struct cli_opt {
    const char *name; /* without the leading "--" */
    int required;
    int flag;
    const char **value; /* out: borrowed from argv, NULL when absent */
};

/* Parses argv[0..argc) against opts. Prints a precise message and returns -1 on an unknown
 * option, a missing value or a missing required option. */
int cli_parse(const char *cmd, int argc, char **argv, struct cli_opt *opts);
/* Parses a decimal integer option; -1 with a message if it is not one or out of [min,max]. */
int cli_int(const char *cmd, const char *opt, const char *text, int64_t min, int64_t max,
            int64_t *out);
/* Prints "showfloor: <what>: <err message>" and returns CLI_FAIL. */
int cli_fail(const char *what, const struct proto_error *err);
/* Looks a site up by code; prints the error itself. */
int cli_site(struct cli *c, const char *code, struct store_site *out);
/* "YYYY-MM-DD" of the site-local day containing `at`. */
void cli_local_day(int64_t at, int utc_offset_min, char out[STORE_DAY_LEN + 1]);

/* Subcommands: each gets the words after its name. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_site(struct cli *c, int argc, char **argv);
int cmd_staff(struct cli *c, int argc, char **argv);
int cmd_duty(struct cli *c, int argc, char **argv);
int cmd_model(struct cli *c, int argc, char **argv);
int cmd_device(struct cli *c, int argc, char **argv);
int cmd_order(struct cli *c, int argc, char **argv);
int cmd_demo_data(struct cli *c, int argc, char **argv);

#endif

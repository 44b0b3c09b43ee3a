/* Option parsing and error reporting shared by the admin CLI's subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_parse(const char *cmd, int argc, char **argv, struct cli_opt *opts)
{
    for (struct cli_opt *o = opts; o->name; o++)
        *o->value = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "showfloor %s: unexpected argument '%s'\n", cmd, a);
            return -1;
        }
        struct cli_opt *o = opts;
        while (o->name && strcmp(o->name, a + 2) != 0)
            o++;
        if (!o->name) {
            fprintf(stderr, "showfloor %s: unknown option '%s'\n", cmd, a);
            return -1;
        }
        if (o->flag) {
            *o->value = "1";
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "showfloor %s: option '%s' needs a value\n", cmd, a);
            return -1;
        }
        *o->value = argv[++i];
    }
    for (struct cli_opt *o = opts; o->name; o++) {
        if (o->required && !*o->value) {
            fprintf(stderr, "showfloor %s: missing --%s\n", cmd, o->name);
            return -1;
        }
    }
    return 0;
}

int cli_int(const char *cmd, const char *opt, const char *text, int64_t min, int64_t max,
            int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) {
        fprintf(stderr, "showfloor %s: --%s must be a whole number from %lld to %lld, not '%s'\n",
                cmd, opt, (long long)min, (long long)max, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_fail(const char *what, const struct proto_error *err)
{
    fprintf(stderr, "showfloor: %s: %s (%s)\n", what, err->message, proto_error_code(err->code));
    return CLI_FAIL;
}

int cli_site(struct cli *c, const char *code, struct store_site *out)
{
    struct proto_error err;
    if (store_sites_find(c->store, code, out, &err) == 0)
        return 0;
    if (err.code == PROTO_E_NOT_FOUND)
        fprintf(stderr, "showfloor: no site with code '%s' (see 'showfloor site list')\n", code);
    else
        cli_fail("site lookup", &err);
    return -1;
}

void cli_local_day(int64_t at, int utc_offset_min, char out[STORE_DAY_LEN + 1])
{
    time_t t = (time_t)((at + (int64_t)utc_offset_min * 60000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    /* strftime's %F cannot overflow the way a computed year could in snprintf's eyes */
    if (strftime(out, STORE_DAY_LEN + 1, "%Y-%m-%d", &tm) == 0)
        out[0] = 0;
}

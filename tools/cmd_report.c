/* `showfloor report daily|weekly|monthly [--site C] [--from D --to D] [--format csv|html]
 * [--out FILE]`: checks the request, works out the period in the site's local time, gathers
 * the figures (report_data.c) and writes them (report_html.c / report_csv.c). Every usage
 * problem exits 2 before anything is read; --out is written to a temporary file and renamed
 * only when complete, so a failed run never leaves half a report behind. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define DAY_MS 86400000LL

static void usage_hint(void)
{
    fprintf(stderr, "usage: showfloor report daily|weekly|monthly [--site CODE] "
                    "[--from YYYY-MM-DD --to YYYY-MM-DD] [--format csv|html] [--out FILE]\n");
}

static int first_site(void *ctx, const struct store_site *site)
{
    struct report *r = ctx;
    if (r->n_sites++ == 0) {
        r->utc_offset_min = site->utc_offset_min;
        snprintf(r->site_name, sizeof r->site_name, "%s", site->name);
    }
    return 0;
}

/* The scope: one site (its offset) or every site (the first site's offset). 0, or the exit
 * code to return. */
static int set_scope(struct cli *c, const char *code, struct report *r)
{
    struct proto_error err;
    if (code) {
        struct store_site site;
        if (store_sites_find(c->store, code, &site, &err) != 0) {
            if (err.code != PROTO_E_NOT_FOUND)
                return cli_fail("report", &err);
            fprintf(stderr,
                    "showfloor report: no site with code '%s' (see 'showfloor site list')\n", code);
            return CLI_USAGE;
        }
        r->site_id = site.id;
        r->n_sites = 1;
        r->utc_offset_min = site.utc_offset_min;
        snprintf(r->site_code, sizeof r->site_code, "%s", site.code);
        snprintf(r->site_name, sizeof r->site_name, "%s", site.name);
        return 0;
    }
    if (store_sites_list(c->store, first_site, r, &err) != 0)
        return cli_fail("report", &err);
    if (r->n_sites == 0) {
        fprintf(stderr, "showfloor report: the database has no sites yet "
                        "(see 'showfloor site add')\n");
        return CLI_FAIL;
    }
    return 0;
}

/* The period from --from/--to or the unit's default. 0, or CLI_USAGE after a message. */
static int set_period(struct cli *c, const char *from, const char *to, struct report *r)
{
    if (!from != !to) {
        fprintf(stderr, "showfloor report: --from and --to go together (both inclusive days)\n");
        return CLI_USAGE;
    }
    if (from) {
        if (report_parse_day(from, &r->from_day) != 0) {
            fprintf(stderr, "showfloor report: --from '%s' is not a date (YYYY-MM-DD)\n", from);
            return CLI_USAGE;
        }
        if (report_parse_day(to, &r->to_day) != 0) {
            fprintf(stderr, "showfloor report: --to '%s' is not a date (YYYY-MM-DD)\n", to);
            return CLI_USAGE;
        }
        if (r->from_day > r->to_day) {
            fprintf(stderr, "showfloor report: --from %s is after --to %s\n", from, to);
            return CLI_USAGE;
        }
        if (r->to_day - r->from_day + 1 > REPORT_MAX_DAYS) {
            fprintf(stderr, "showfloor report: %s to %s is %lld days; a report covers at most %d\n",
                    from, to, (long long)(r->to_day - r->from_day + 1), REPORT_MAX_DAYS);
            return CLI_USAGE;
        }
    } else {
        int64_t today = (c->now + (int64_t)r->utc_offset_min * 60000) / DAY_MS;
        report_default_period(r->unit, today, &r->from_day, &r->to_day);
    }
    r->from = report_day_start_ms(r->from_day, r->utc_offset_min);
    r->to = report_day_start_ms(r->to_day + 1, r->utc_offset_min);
    return 0;
}

/* Writes the report to `out` (NULL or "-": stdout) through a temporary file beside it. */
static int write_report(const struct report *r, bool html, const char *out)
{
    int (*writer)(FILE *, const struct report *) = html ? report_html_write : report_csv_write;
    if (!out || strcmp(out, "-") == 0) {
        if (writer(stdout, r) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "showfloor report: writing to stdout failed: %s\n", strerror(errno));
            return CLI_FAIL;
        }
        return CLI_OK;
    }
    size_t len = strlen(out) + 16;
    char *tmp = malloc(len);
    if (!tmp) {
        fprintf(stderr, "showfloor report: out of memory\n");
        return CLI_FAIL;
    }
    snprintf(tmp, len, "%s.tmp%ld", out, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = CLI_OK;
    if (!f) {
        fprintf(stderr, "showfloor report: cannot create '%s': %s\n", tmp, strerror(errno));
        rc = CLI_FAIL;
    } else {
        int bad = writer(f, r) != 0 || ferror(f);
        int saved = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            saved = errno;
        }
        if (!bad && rename(tmp, out) != 0) {
            bad = 1;
            saved = errno;
        }
        if (bad) {
            fprintf(stderr, "showfloor report: cannot write '%s': %s\n", out, strerror(saved));
            remove(tmp);
            rc = CLI_FAIL;
        }
    }
    free(tmp);
    return rc;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
    if (argc < 1 || strncmp(argv[0], "--", 2) == 0) {
        fprintf(stderr, "showfloor report: which report? daily, weekly or monthly\n");
        usage_hint();
        return CLI_USAGE;
    }
    int unit = report_unit_from_name(argv[0]);
    if (unit < 0) {
        fprintf(stderr, "showfloor report: unknown report '%s' (daily, weekly or monthly)\n",
                argv[0]);
        usage_hint();
        return CLI_USAGE;
    }
    const char *site, *from, *to, *format, *out;
    struct cli_opt opts[] = {{"site", 0, 0, &site},     {"from", 0, 0, &from}, {"to", 0, 0, &to},
                             {"format", 0, 0, &format}, {"out", 0, 0, &out},   {0}};
    if (cli_parse("report", argc - 1, argv + 1, opts) != 0) {
        usage_hint();
        return CLI_USAGE;
    }
    bool html = true;
    if (format && strcmp(format, "csv") == 0)
        html = false;
    else if (format && strcmp(format, "html") != 0) {
        fprintf(stderr, "showfloor report: --format must be csv or html, not '%s'\n", format);
        return CLI_USAGE;
    }
    struct report *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "showfloor report: out of memory\n");
        return CLI_FAIL;
    }
    r->unit = (enum report_unit)unit;
    r->generated_at = c->now;
    int rc = set_scope(c, site, r);
    if (rc == 0)
        rc = set_period(c, from, to, r);
    if (rc == 0) {
        struct proto_error err;
        if (report_collect(c->store, r, &err) != 0)
            rc = cli_fail("report", &err);
        else
            rc = write_report(r, html, out);
    }
    report_free(r);
    free(r);
    return rc;
}

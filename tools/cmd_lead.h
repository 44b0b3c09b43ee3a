/* `showfloor lead import / lead list` (direct database) and the CSV reader behind the
 * import (cmd_lead_csv.c). */
#ifndef SHOWFLOOR_CMD_LEAD_H
#define SHOWFLOOR_CMD_LEAD_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

#define CMD_LEAD_MAX_FIELDS 32
#define CMD_LEAD_CSV_MAX    (64 << 20) /* bytes of one import file */

/* `lead import FILE.csv --site C [--channel DEFAULT]` | `lead list --site C [--status S]
 * [--grade G]` */
int cmd_lead(struct cli *c, int argc, char **argv);

/* A whole CSV file in memory, read record by record. */
struct cmd_lead_csv {
    char *data;
    const char *p, *end;
    int line;  /* physical line of p, from 1 */
    char *out; /* unescaped fields of the current record */
};
struct cmd_lead_record {
    int line; /* where the record starts */
    size_t n;
    char *field[CMD_LEAD_MAX_FIELDS]; /* NUL-terminated, valid until the next record */
};
/* Reads the file (a leading UTF-8 BOM is skipped). -1 with why on failure. */
int cmd_lead_csv_open(struct cmd_lead_csv *r, const char *path, char *why, size_t whysz);
/* The same over `n` bytes already in memory: takes ownership of `data` (malloc'd; freed
 * even on failure). -1 only when out of memory. The fuzz target reads through this. */
int cmd_lead_csv_init(struct cmd_lead_csv *r, char *data, size_t n);
void cmd_lead_csv_close(struct cmd_lead_csv *r);
/* Next record: 1, 0 at the end, -1 for a malformed record (why says what; the reader has
 * moved past it, except after an unclosed quote, which ends the file). Blank lines are
 * skipped. */
int cmd_lead_csv_record(struct cmd_lead_csv *r, struct cmd_lead_record *rec, char *why,
                        size_t whysz);
char *cmd_lead_trim(char *s);
/* A budget as platforms write it: "200000", "200,000.50", "¥200000", "20万", "20.5w",
 * "15-20万" (a range: the upper bound). 0 with *fen > 0, else -1. */
int cmd_lead_budget(const char *text, int64_t *fen);
/* "YYYY-MM-DD[ HH:MM[:SS]]" (or 'T') in site-local time, or epoch milliseconds. */
int cmd_lead_time(const char *text, int utc_offset_min, int64_t *out);

#endif

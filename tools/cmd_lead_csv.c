/* The CSV reader and field parsers of `showfloor lead import`: RFC 4180 records (quoted
 * fields with commas, doubled quotes and line breaks; CRLF or LF), a UTF-8 BOM, budgets as
 * web platforms write them, and site-local creation times. */
#include "cmd_lead.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cmd_lead_csv_open(struct cmd_lead_csv *r, const char *path, char *why, size_t whysz)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(why, whysz, "cannot open '%s'", path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= CMD_LEAD_CSV_MAX) {
                free(buf);
                fclose(fp);
                snprintf(why, whysz, "'%s' is larger than %d MiB", path, CMD_LEAD_CSV_MAX >> 20);
                return -1;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        snprintf(why, whysz, "cannot read '%s'", path);
        return -1;
    }
    if (cmd_lead_csv_init(r, buf, n) != 0) {
        snprintf(why, whysz, "out of memory");
        return -1;
    }
    return 0;
}

int cmd_lead_csv_init(struct cmd_lead_csv *r, char *data, size_t n)
{
    memset(r, 0, sizeof *r);
    r->out = malloc(n + 1);
    if (!r->out) {
        free(data);
        return -1;
    }
    r->data = data;
    r->end = data + n;
    r->p = data;
    /* a UTF-8 byte order mark (Excel writes one) is not part of the first column's name */
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->line = 1;
    return 0;
}

void cmd_lead_csv_close(struct cmd_lead_csv *r)
{
    free(r->data);
    free(r->out);
    memset(r, 0, sizeof *r);
}

/* Skips the rest of a broken record's physical line. */
static void skip_line(struct cmd_lead_csv *r)
{
    while (r->p < r->end && *r->p != '\n')
        r->p++;
    if (r->p < r->end) {
        r->p++;
        r->line++;
    }
}

int cmd_lead_csv_record(struct cmd_lead_csv *r, struct cmd_lead_record *rec, char *why,
                        size_t whysz)
{
    /* blank lines between records are not records */
    while (r->p < r->end &&
           (*r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n'))) {
        r->p += *r->p == '\r' ? 2 : 1;
        r->line++;
    }
    if (r->p >= r->end)
        return 0;
    rec->line = r->line;
    rec->n = 0;
    char *o = r->out;
    for (;;) {
        if (rec->n == CMD_LEAD_MAX_FIELDS) {
            snprintf(why, whysz, "more than %d fields", CMD_LEAD_MAX_FIELDS);
            skip_line(r);
            return -1;
        }
        rec->field[rec->n++] = o;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    snprintf(why, whysz, "a quoted field is never closed");
                    return -1;
                }
                char ch = *r->p++;
                if (ch == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        *o++ = '"';
                        r->p++;
                        continue;
                    }
                    break;
                }
                if (ch == '\n')
                    r->line++; /* a line break inside quotes is part of the field */
                *o++ = ch;
            }
            if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
                !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n') &&
                !(*r->p == '\r' && r->p + 1 == r->end)) {
                *o = '\0';
                snprintf(why, whysz, "text after a closing quote");
                skip_line(r);
                return -1;
            }
        } else {
            while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
                if (*r->p == '\r' && (r->p + 1 == r->end || r->p[1] == '\n')) {
                    r->p++;
                    continue;
                }
                *o++ = *r->p++;
            }
        }
        *o++ = '\0';
        if (r->p < r->end && *r->p == '\r')
            r->p++;
        if (r->p >= r->end)
            return 1;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        r->p++; /* '\n' */
        r->line++;
        return 1;
    }
}

/* Trims ASCII spaces and tabs in place. */
char *cmd_lead_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Decimal amount with at most `frac` fraction digits, scaled by 10^frac; -1 if not one. */
static int parse_scaled(const char *s, size_t len, int frac, int64_t *out)
{
    int64_t v = 0;
    int seen_dot = 0, digits = 0, fdigits = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.' && !seen_dot) {
            seen_dot = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (seen_dot && ++fdigits > frac)
            return -1;
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
        digits++;
    }
    if (!digits)
        return -1;
    for (; fdigits < frac; fdigits++) {
        if (v > INT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *out = v;
    return 0;
}

int cmd_lead_budget(const char *text, int64_t *fen)
{
    char buf[PROTO_MAX_SHORT + 1];
    size_t n = 0;
    /* drop what platforms decorate amounts with: spaces, thousands commas, currency signs */
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == ',' || *p == '\t')
            continue;
        size_t sign = strncmp(p, "¥", strlen("¥")) == 0     ? strlen("¥")
                      : strncmp(p, "￥", strlen("￥")) == 0 ? strlen("￥")
                                                            : 0;
        if (sign) {
            p += sign - 1;
            continue;
        }
        if (n + 1 >= sizeof buf)
            return -1;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    if (n >= strlen("元") && strcmp(buf + n - strlen("元"), "元") == 0)
        buf[n -= strlen("元")] = '\0';
    int wan = 0; /* 万 = 10,000 yuan, as "20万" or "20w" */
    if (n >= strlen("万") && strcmp(buf + n - strlen("万"), "万") == 0) {
        buf[n -= strlen("万")] = '\0';
        wan = 1;
    } else if (n && (buf[n - 1] == 'w' || buf[n - 1] == 'W')) {
        buf[--n] = '\0';
        wan = 1;
    }
    /* a range "15-20" or "15~20": the upper bound is what the customer will spend */
    const char *num = buf;
    char *dash = strchr(buf, '-');
    if (!dash)
        dash = strchr(buf, '~');
    if (dash) {
        int64_t lo;
        if (parse_scaled(buf, (size_t)(dash - buf), wan ? 6 : 2, &lo))
            return -1;
        num = dash + 1;
    }
    int64_t v;
    if (parse_scaled(num, strlen(num), wan ? 6 : 2, &v))
        return -1;
    /* yuan scaled by 10^2 and 万 (10^4 yuan) scaled by 10^6 are both fen */
    *fen = v;
    return *fen > 0 ? 0 : -1;
}

int cmd_lead_time(const char *text, int utc_offset_min, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    char sep, tail;
    size_t n = strlen(text);
    if (n == 10 && sscanf(text, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3) {
        /* a day alone: its start */
    } else if ((n == 16 &&
                sscanf(text, "%4d-%2d-%2d%c%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi, &tail) == 6) ||
               (n == 19 && sscanf(text, "%4d-%2d-%2d%c%2d:%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi,
                                  &sec, &tail) == 7)) {
        if (sep != ' ' && sep != 'T')
            return -1;
    } else {
        for (const char *p = text; *p; p++)
            if (*p < '0' || *p > '9')
                return -1;
        /* epoch milliseconds, as some exports write them */
        if (n < 12 || n > 14)
            return -1;
        *out = strtoll(text, NULL, 10);
        return 0;
    }
    if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 59)
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d) /* timegm normalises 31 February: refuse it */
        return -1;
    *out = ((int64_t)t - (int64_t)utc_offset_min * 60) * 1000;
    return 0;
}

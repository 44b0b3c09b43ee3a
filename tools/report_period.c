/* The calendar of `showfloor report`: local day numbers, strict date parsing and the default
 * period of each report unit. Sites keep a fixed UTC offset (hub/domain_time.c), so a local
 * day is plain arithmetic on day numbers; no time zone database is involved. */
#include <stdio.h>
#include <string.h>

#include "report.h"

#define DAY_MS    86400000LL
#define MINUTE_MS 60000LL

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t report_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void report_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int report_parse_day(const char *text, int64_t *day)
{
    if (!text || strlen(text) != STORE_DAY_LEN || text[4] != '-' || text[7] != '-')
        return -1;
    int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1)
        return -1;
    /* A date is real when it survives the round trip (rejects 2026-02-30). */
    int64_t n = report_days_from_civil(y, m, d);
    int yy, mm, dd;
    report_civil_from_days(n, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return -1;
    *day = n;
    return 0;
}

void report_format_day(int64_t day, char out[STORE_DAY_LEN + 1])
{
    int y, m, d;
    report_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0; /* unreachable for parsed dates; keeps the text within its 10 bytes */
    char text[32];
    snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    memcpy(out, text, STORE_DAY_LEN);
    out[STORE_DAY_LEN] = '\0';
}

void report_default_period(enum report_unit u, int64_t today, int64_t *from_day, int64_t *to_day)
{
    switch (u) {
    case REPORT_WEEKLY: {
        /* Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 counts days since Monday. */
        int64_t since_monday = ((today + 3) % 7 + 7) % 7;
        int64_t this_monday = today - since_monday;
        *from_day = this_monday - 7;
        *to_day = this_monday - 1;
        return;
    }
    case REPORT_MONTHLY: {
        int y, m, d;
        report_civil_from_days(today, &y, &m, &d);
        int64_t this_month = report_days_from_civil(y, m, 1);
        int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
        *from_day = report_days_from_civil(py, pm, 1);
        *to_day = this_month - 1;
        return;
    }
    case REPORT_DAILY:
    case REPORT_UNIT__COUNT:
        break;
    }
    *from_day = *to_day = today - 1;
}

int64_t report_day_start_ms(int64_t day, int utc_offset_min)
{
    return day * DAY_MS - (int64_t)utc_offset_min * MINUTE_MS;
}

static const char *const unit_names[REPORT_UNIT__COUNT] = {
    [REPORT_DAILY] = "daily", [REPORT_WEEKLY] = "weekly", [REPORT_MONTHLY] = "monthly"};

const char *report_unit_name(enum report_unit u)
{
    return (unsigned)u < REPORT_UNIT__COUNT ? unit_names[u] : NULL;
}

int report_unit_from_name(const char *name)
{
    for (int i = 0; name && i < REPORT_UNIT__COUNT; i++)
        if (strcmp(name, unit_names[i]) == 0)
            return i;
    return -1;
}

/* Keypad entry logic (see entry.h). */
#include "entry.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"

void entry_init(struct entry *e, enum entry_kind kind, size_t min, size_t max)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->max = max > ENTRY_MAX ? ENTRY_MAX : max;
    e->min = min > e->max ? e->max : min;
}

int entry_key(struct entry *e, const char *key)
{
    if (strcmp(key, "del") == 0) {
        if (e->len == 0)
            return 0;
        e->buf[--e->len] = '\0';
        return 1;
    }
    if (strcmp(key, "clear") == 0) {
        if (e->len == 0)
            return 0;
        entry_clear(e);
        return 1;
    }
    if (strlen(key) != 1 || e->len >= e->max)
        return 0;
    char c = key[0];
    if (c == '-') {
        /* Only order numbers have dashes, and never first or doubled ("SF2611-0012"). */
        if (e->kind != ENTRY_ORDER_NO || e->len == 0 || e->buf[e->len - 1] == '-')
            return 0;
    } else if (c < '0' || c > '9') {
        return 0;
    }
    e->buf[e->len++] = c;
    e->buf[e->len] = '\0';
    return 1;
}

void entry_clear(struct entry *e)
{
    /* volatile so the wipe of typed personal data is not optimised away */
    volatile char *p = e->buf;
    for (size_t i = 0; i < sizeof e->buf; i++)
        p[i] = 0;
    e->len = 0;
}

const char *entry_text(const struct entry *e)
{
    return e->buf;
}

enum entry_state entry_state(const struct entry *e)
{
    switch (e->kind) {
    case ENTRY_PHONE:
        if (e->len > 0 && !proto_phone_prefix_ok(e->buf))
            return ENTRY_INVALID;
        return e->len == 11 ? ENTRY_VALID : ENTRY_INCOMPLETE;
    case ENTRY_ORDER_NO:
        if (e->len >= e->min && e->buf[e->len - 1] != '-')
            return ENTRY_VALID;
        return ENTRY_INCOMPLETE;
    case ENTRY_STAFF_NO:
    case ENTRY_DIGITS:
        return e->len >= e->min && e->len > 0 ? ENTRY_VALID : ENTRY_INCOMPLETE;
    }
    return ENTRY_INCOMPLETE;
}

static const char *entry_prefix(const struct entry *e)
{
    switch (e->kind) {
    case ENTRY_ORDER_NO:
        return "SF";
    case ENTRY_STAFF_NO:
        return "S";
    default:
        return "";
    }
}

int entry_value(const struct entry *e, char *out, size_t outsz)
{
    int n = snprintf(out, outsz, "%s%s", entry_prefix(e), e->buf);
    return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

void entry_display(const struct entry *e, bool mask, char *out, size_t outsz)
{
    if (outsz == 0)
        return;
    out[0] = '\0';
    size_t n = 0;
#define ENTRY_PUT(str)                                      \
    do {                                                    \
        int w_ = snprintf(out + n, outsz - n, "%s", (str)); \
        if (w_ < 0 || (size_t)w_ >= outsz - n)              \
            return;                                         \
        n += (size_t)w_;                                    \
    } while (0)
    ENTRY_PUT(entry_prefix(e));
    for (size_t i = 0; i < e->len; i++) {
        /* Mobile numbers are read in groups of 3-4-4, as people say them. */
        if (e->kind == ENTRY_PHONE && (i == 3 || i == 7))
            ENTRY_PUT(" ");
        if (mask) {
            ENTRY_PUT("\xE2\x97\x8F"); /* U+25CF black circle */
        } else {
            char c[2] = {e->buf[i], '\0'};
            ENTRY_PUT(c);
        }
    }
#undef ENTRY_PUT
}

/* Loads theme colours from an ini file (see theme.h). */
#include "theme.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"

struct theme_field {
    const char *name;
    size_t offset;
};

static const struct theme_field theme_fields[] = {
#define THEME_X_ROW(name) {#name, offsetof(struct theme, name)},
    THEME_COLOUR_MAP(THEME_X_ROW)
#undef THEME_X_ROW
};
#define THEME_NFIELDS (sizeof theme_fields / sizeof theme_fields[0])

struct theme_load_ctx {
    struct theme *t;
    unsigned char seen[THEME_NFIELDS];
};

static int theme_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int theme_parse_colour(const char *s, struct rgba *out)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 7 && n != 9))
        return -1;
    uint8_t v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        int hi = theme_hex(s[1 + 2 * i]), lo = theme_hex(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        v[i] = (uint8_t)(hi * 16 + lo);
    }
    *out = (struct rgba){v[0], v[1], v[2], v[3]};
    return 0;
}

static int theme_on_pair(void *user, const char *key, const char *value, int line)
{
    struct theme_load_ctx *ctx = user;
    for (size_t i = 0; i < THEME_NFIELDS; i++) {
        if (strcmp(theme_fields[i].name, key) == 0) {
            struct rgba *c = (struct rgba *)((char *)ctx->t + theme_fields[i].offset);
            if (theme_parse_colour(value, c) != 0)
                return -1;
            ctx->seen[i] = 1;
            return 0;
        }
    }
    return -1; /* an unknown colour name is a typo: say so instead of ignoring it */
}

int theme_load(struct theme *t, const char *path, char *err, size_t errsz)
{
    struct theme_load_ctx ctx = {.t = t};
    memset(t, 0, sizeof *t);
    if (conf_parse_file(path, theme_on_pair, &ctx, err, errsz) != 0)
        return -1;
    for (size_t i = 0; i < THEME_NFIELDS; i++) {
        if (!ctx.seen[i]) {
            snprintf(err, errsz, "%s: missing colour '%s'", path, theme_fields[i].name);
            return -1;
        }
    }
    return 0;
}

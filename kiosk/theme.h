/* Theme colours, read from assets/themes/<name>.ini so a dealer can restyle without
 * rebuilding. Pure data: no SDL. */
#ifndef SHOWFLOOR_THEME_H
#define SHOWFLOOR_THEME_H

#include <stddef.h>
#include <stdint.h>

struct rgba {
    uint8_t r, g, b, a;
};

/* X(field) — each is a key of the theme file. */
#define THEME_COLOUR_MAP(X) \
    X(bg)                   \
    X(surface)              \
    X(surface_alt)          \
    X(header)               \
    X(header_text)          \
    X(text)                 \
    X(muted)                \
    X(border)               \
    X(primary)              \
    X(primary_text)         \
    X(secondary)            \
    X(secondary_text)       \
    X(key)                  \
    X(key_text)             \
    X(ok)                   \
    X(warn)                 \
    X(danger)               \
    X(accent)               \
    X(overlay)

struct theme {
#define THEME_X_FIELD(name) struct rgba name;
    THEME_COLOUR_MAP(THEME_X_FIELD)
#undef THEME_X_FIELD
};

/* Fills *t from `path`; every colour must be present and well formed. 0, or -1 with err. */
int theme_load(struct theme *t, const char *path, char *err, size_t errsz);
/* "#RRGGBB" or "#RRGGBBAA" to a colour; 0 or -1. */
int theme_parse_colour(const char *s, struct rgba *out);

#endif

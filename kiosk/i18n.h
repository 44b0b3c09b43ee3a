/* The kiosk's user-facing text in Chinese and English, loaded from assets/strings/zh.ini
 * and en.ini. C code names strings by enum (i18n_keys.h), never by literal text. */
#ifndef SHOWFLOOR_I18N_H
#define SHOWFLOOR_I18N_H

#include <stddef.h>

#include "i18n_keys.h"

enum i18n_lang { I18N_ZH = 0, I18N_EN = 1, I18N__LANGS };

enum i18n_key {
#define I18N_X_ENUM(name, key) I18N_##name,
    I18N_KEY_MAP(I18N_X_ENUM)
#undef I18N_X_ENUM
        I18N__COUNT
};

struct i18n;

/* Loads <dir>/zh.ini and <dir>/en.ini. Fails (NULL, message in err) when a file cannot be
 * read or lacks any key of i18n_keys.h: a half-translated kiosk is not shipped. Caller
 * frees with i18n_free. */
struct i18n *i18n_load(const char *dir, char *err, size_t errsz);
void i18n_free(struct i18n *t);

/* The text of `key` in `lang`; never NULL, borrowed until i18n_free. */
const char *i18n_get(const struct i18n *t, enum i18n_lang lang, enum i18n_key key);
/* The ini key name of an enum key ("rec.checkin"). */
const char *i18n_key_name(enum i18n_key key);
/* "zh" or "en" to a language; -1 if neither. */
int i18n_lang_parse(const char *name);

/* Copies `tmpl` to out, replacing {1}..{9} with args[0..8] ({n} past nargs becomes "").
 * Always NUL-terminates; returns the length it wanted (as snprintf). */
size_t i18n_format(char *out, size_t outsz, const char *tmpl, const char *const *args, int nargs);

#endif

/* Loads and serves the kiosk's translated strings (see i18n.h). */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const char *const i18n_names[I18N__COUNT] = {
#define I18N_X_NAME(name, key) key,
    I18N_KEY_MAP(I18N_X_NAME)
#undef I18N_X_NAME
};

struct i18n {
    char *text[I18N__LANGS][I18N__COUNT];
};

struct i18n_load_ctx {
    struct i18n *t;
    enum i18n_lang lang;
};

static int i18n_on_pair(void *user, const char *key, const char *value, int line)
{
    struct i18n_load_ctx *ctx = user;
    for (int i = 0; i < I18N__COUNT; i++) {
        if (strcmp(i18n_names[i], key) == 0) {
            char *copy = strdup(value);
            if (!copy)
                return -1;
            free(ctx->t->text[ctx->lang][i]);
            ctx->t->text[ctx->lang][i] = copy;
            return 0;
        }
    }
    /* A key the code no longer uses is harmless; keep loading. */
    return 0;
}

struct i18n *i18n_load(const char *dir, char *err, size_t errsz)
{
    static const char *const files[I18N__LANGS] = {"zh.ini", "en.ini"};
    struct i18n *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    for (int l = 0; l < I18N__LANGS; l++) {
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", dir, files[l]) >= (int)sizeof path) {
            snprintf(err, errsz, "strings directory path too long");
            goto fail;
        }
        struct i18n_load_ctx ctx = {t, (enum i18n_lang)l};
        if (conf_parse_file(path, i18n_on_pair, &ctx, err, errsz) != 0)
            goto fail;
        for (int k = 0; k < I18N__COUNT; k++) {
            if (!t->text[l][k]) {
                snprintf(err, errsz, "%s: missing key '%s'", path, i18n_names[k]);
                goto fail;
            }
        }
    }
    return t;
fail:
    i18n_free(t);
    return NULL;
}

void i18n_free(struct i18n *t)
{
    if (!t)
        return;
    for (int l = 0; l < I18N__LANGS; l++)
        for (int k = 0; k < I18N__COUNT; k++)
            free(t->text[l][k]);
    free(t);
}

const char *i18n_get(const struct i18n *t, enum i18n_lang lang, enum i18n_key key)
{
    if (!t || (unsigned)lang >= I18N__LANGS || (unsigned)key >= I18N__COUNT)
        return "";
    return t->text[lang][key] ? t->text[lang][key] : "";
}

const char *i18n_key_name(enum i18n_key key)
{
    return (unsigned)key < I18N__COUNT ? i18n_names[key] : "";
}

int i18n_lang_parse(const char *name)
{
    if (strcmp(name, "zh") == 0)
        return I18N_ZH;
    if (strcmp(name, "en") == 0)
        return I18N_EN;
    return -1;
}

size_t i18n_format(char *out, size_t outsz, const char *tmpl, const char *const *args, int nargs)
{
    size_t n = 0;
    for (const char *p = tmpl; *p; p++) {
        const char *piece = p;
        size_t plen = 1;
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            int idx = p[1] - '1';
            piece = idx < nargs && args[idx] ? args[idx] : "";
            plen = strlen(piece);
            p += 2;
        }
        for (size_t i = 0; i < plen; i++, n++)
            if (outsz > 0 && n < outsz - 1)
                out[n] = piece[i];
    }
    if (outsz > 0)
        out[n < outsz ? n : outsz - 1] = '\0';
    return n;
}

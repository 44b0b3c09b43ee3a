/* Reading the hub's pushed kiosk configuration (see fleet_config.h). Pure. */
#include "fleet_config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "model.h"

bool fleet_config_theme_ok(const char *name)
{
    size_t n = strlen(name);
    return n >= 1 && n <= FLEET_THEME_MAX &&
           strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

bool fleet_config_dim_active(int from, int to, int minute_of_day)
{
    if (from == to)
        return false;
    if (from < to)
        return minute_of_day >= from && minute_of_day < to;
    return minute_of_day >= from || minute_of_day < to; /* 22:00-06:00 */
}

static int fleet_config_hhmm(const char *s, int *out)
{
    /* exactly "HH:MM": sscanf alone would take "7:5" or "07:05junk" */
    if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 ||
        strspn(s + 3, "0123456789") != 2)
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *out = h * 60 + m;
    return 0;
}

int fleet_config_night_dim(const char *s, bool *on, int *from, int *to)
{
    *on = false;
    if (!s[0])
        return 0;
    char a[8], b[8];
    if (strlen(s) != 11 || s[5] != '-')
        return -1;
    memcpy(a, s, 5);
    a[5] = '\0';
    memcpy(b, s + 6, 5);
    b[5] = '\0';
    if (fleet_config_hhmm(a, from) != 0 || fleet_config_hhmm(b, to) != 0 || *from == *to)
        return -1;
    *on = true;
    return 0;
}

/* Appends `what` to the error list. */
static void fleet_config_bad(char *err, size_t errsz, int *bad, const char *what)
{
    size_t used = strlen(err);
    if (used < errsz)
        snprintf(err + used, errsz - used, "%s%s", *bad ? ", " : "", what);
    (*bad)++;
}

/* A string member or the "name" of an object member ("site" may be either). */
static const char *fleet_config_name(const cJSON *cfg, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, key);
    if (cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, "name");
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int fleet_config_parse(const cJSON *cfg, struct fleet_config *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    out->mode = -1;
    out->language = -1;
    out->burnin_shift_min = -1;
    if (errsz)
        err[0] = '\0';
    int bad = 0;
    if (!cJSON_IsObject(cfg))
        return 0;
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "mode"))) {
        int m = cJSON_IsString(v) ? model_mode_parse(v->valuestring) : -1;
        if (m < 0)
            fleet_config_bad(err, errsz, &bad, "mode");
        out->mode = m;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "maintenance"))) {
        if (cJSON_IsBool(v))
            out->maintenance = cJSON_IsTrue(v);
        else
            fleet_config_bad(err, errsz, &bad, "maintenance");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "idle_timeout_s"))) {
        /* the hub's range (hub/store_fleet.h) */
        if (cJSON_IsNumber(v) && v->valuedouble >= 15 && v->valuedouble <= 3600)
            out->idle_timeout_s = (int)v->valuedouble;
        else
            fleet_config_bad(err, errsz, &bad, "idle_timeout_s");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "language"))) {
        out->language = cJSON_IsString(v) ? i18n_lang_parse(v->valuestring) : -1;
        if (out->language < 0)
            fleet_config_bad(err, errsz, &bad, "language");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "theme"))) {
        if (cJSON_IsString(v) && fleet_config_theme_ok(v->valuestring))
            snprintf(out->theme, sizeof out->theme, "%s", v->valuestring);
        else
            fleet_config_bad(err, errsz, &bad, "theme");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "night_dim"))) {
        if (!cJSON_IsString(v) || fleet_config_night_dim(v->valuestring, &out->night_dim,
                                                         &out->dim_from, &out->dim_to) != 0) {
            out->night_dim = false;
            fleet_config_bad(err, errsz, &bad, "night_dim");
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(cfg, "burnin_shift_min"))) {
        if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 60 &&
            v->valuedouble == (int)v->valuedouble)
            out->burnin_shift_min = (int)v->valuedouble;
        else
            fleet_config_bad(err, errsz, &bad, "burnin_shift_min");
    }
    const char *s;
    if ((s = fleet_config_name(cfg, "name")))
        snprintf(out->name, sizeof out->name, "%s", s);
    if ((s = fleet_config_name(cfg, "site")))
        snprintf(out->site, sizeof out->site, "%s", s);
    return bad;
}

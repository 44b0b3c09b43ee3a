/* The message table: one row per type (name, direction, id, field specs) and the checks
 * that apply a row's field specs to a JSON object. Adding a request type means adding a
 * row here and a line to PROTO_TYPE_MAP; nothing else in the library changes. */
#include <assert.h>
#include <math.h> /* isfinite only: a macro, so no libm */
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

/* Row-building shorthands, one line per field in the tables below. */
// clang-format off
#define STR(n, req, lo, hi)     {n, PROTO_K_STR, req, lo, hi, PROTO_F_NONE, NULL}
#define DIGITS(n, req, lo, hi)  {n, PROTO_K_STR, req, lo, hi, PROTO_F_DIGITS, NULL}
#define CHOICE(n, req, choices) {n, PROTO_K_STR, req, 0, PROTO_MAX_SHORT, PROTO_F_ENUM, choices}
#define INT(n, req, lo, hi)     {n, PROTO_K_INT, req, lo, hi, PROTO_F_NONE, NULL}
#define BOOL(n, req)            {n, PROTO_K_BOOL, req, 0, 0, PROTO_F_NONE, NULL}
#define OBJ(n, req)             {n, PROTO_K_OBJ, req, 0, 0, PROTO_F_NONE, NULL}
#define ERROBJ(n, req)          {n, PROTO_K_OBJ, req, 0, 0, PROTO_F_ERROR, NULL}
#define END                     {NULL, PROTO_K_STR, false, 0, 0, PROTO_F_NONE, NULL}
// clang-format on

/* ---- client -> hub: the args of each request (PROTOCOL.md) ---- */

static const struct proto_field proto_table_f_AUTH[] = {
    STR("token", true, 1, PROTO_MAX_TOKEN),
    STR("client", false, 0, PROTO_MAX_SHORT),
    END,
};

static const struct proto_field proto_table_f_PING[] = {END};
static const struct proto_field proto_table_f_STAFF_LOGOUT[] = {END};

static const struct proto_field proto_table_f_SUBSCRIBE[] = {
    INT("since", false, 0, PROTO_SAFE_INT_MAX),
    END,
};

static const struct proto_field proto_table_f_STAFF_LOGIN[] = {
    STR("staff_no", true, 1, PROTO_MAX_SHORT),
    DIGITS("pin", true, 4, PROTO_MAX_PIN),
    END,
};

/* The phone's format is the hub's to judge (proto_phone_normalize gives invalid_phone with
 * a precise message); here only its type and size as typed. */
static const struct proto_field proto_table_f_CHECKIN[] = {
    STR("phone", true, 0, PROTO_MAX_PHONE_IN),
    BOOL("consent", true),
    STR("name", false, 0, PROTO_MAX_NAME),
    CHOICE("gender", false, "male|female|unknown"),
    STR("model", false, 0, PROTO_MAX_SHORT),
    STR("source", false, 0, PROTO_MAX_SHORT),
    BOOL("first_visit", false),
    END,
};

static const struct proto_field proto_table_f_ORDER_LOOKUP[] = {
    STR("order_no", true, 1, 32),
    DIGITS("phone_last4", true, 4, 4),
    END,
};

/* ---- hub -> client: the root members of each message besides type and id ---- */

static const struct proto_field proto_table_f_HELLO[] = {
    STR("hub", true, 1, PROTO_MAX_SHORT),         STR("version", true, 1, PROTO_MAX_SHORT),
    INT("protocol", true, 1, PROTO_SAFE_INT_MAX), STR("hub_id", true, 1, PROTO_MAX_SHORT),
    INT("now", true, 0, PROTO_SAFE_INT_MAX),      END,
};

static const struct proto_field proto_table_f_AUTH_OK[] = {
    OBJ("device", true),
    INT("now", true, 0, PROTO_SAFE_INT_MAX),
    END,
};

static const struct proto_field proto_table_f_AUTH_FAILED[] = {
    ERROBJ("error", true),
    END,
};

static const struct proto_field proto_table_f_CLOSING[] = {
    ERROBJ("error", true),
    END,
};

/* ok decides which of data/error must be there; proto_decode enforces that pairing. */
static const struct proto_field proto_table_f_RESULT[] = {
    BOOL("ok", true),
    OBJ("data", false),
    ERROBJ("error", false),
    END,
};

static const struct proto_field proto_table_f_SNAPSHOT[] = {
    INT("seq", true, 0, PROTO_SAFE_INT_MAX),
    OBJ("state", true),
    END,
};

static const struct proto_field proto_table_f_EVENT[] = {
    INT("seq", true, 0, PROTO_SAFE_INT_MAX),
    STR("kind", true, 1, PROTO_MAX_SHORT),
    INT("at", true, 0, PROTO_SAFE_INT_MAX),
    OBJ("data", true),
    END,
};

const struct proto_field proto_table_error_fields[] = {
    STR("code", true, 1, PROTO_MAX_SHORT),
    STR("message", true, 0, PROTO_MAX_TEXT),
    STR("field", false, 0, PROTO_MAX_SHORT),
    END,
};

static const struct proto_row proto_table_rows[PROTO_T__COUNT] = {
#define PROTO_X_ROW(name, wire, dir, needs_id) \
    [PROTO_T_##name] = {wire, dir, needs_id, proto_table_f_##name},
    PROTO_TYPE_MAP(PROTO_X_ROW)
#undef PROTO_X_ROW
};

#undef STR
#undef DIGITS
#undef CHOICE
#undef INT
#undef BOOL
#undef OBJ
#undef ERROBJ
#undef END

const struct proto_row *proto_table_row(enum proto_type t)
{
    if ((unsigned)t >= PROTO_T__COUNT)
        return NULL;
    return &proto_table_rows[t];
}

const char *proto_type_name(enum proto_type t)
{
    const struct proto_row *row = proto_table_row(t);
    return row ? row->name : NULL;
}

int proto_type_from_name(const char *name, enum proto_dir dir)
{
    if (!name)
        return -1;
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        if (proto_table_rows[t].dir == dir && strcmp(proto_table_rows[t].name, name) == 0)
            return t;
    }
    return -1;
}

enum proto_err proto_table_int(const cJSON *v, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return PROTO_E_BAD_FIELD;
    double d = v->valuedouble;
    /* Range first: every double beyond 2^53 is integral, and the client should hear that
     * the number is too big, not that it is not an integer. */
    if (!isfinite(d) || d > (double)PROTO_SAFE_INT_MAX || d < -(double)PROTO_SAFE_INT_MAX)
        return PROTO_E_OUT_OF_RANGE;
    /* A fraction is a wrong type (bad_field), not a wrong value: JSON has one number type,
     * so an integral 3.0 is accepted as 3. */
    int64_t i = (int64_t)d; /* exact for every integer in range; truncates a fraction */
    if ((double)i != d)
        return PROTO_E_BAD_FIELD;
    *out = i;
    return PROTO_E_OK;
}

static int proto_table_choice_ok(const char *choices, const char *s)
{
    size_t n = strlen(s);
    for (const char *c = choices; *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && memcmp(c, s, n) == 0)
            return 1;
        if (!bar)
            break;
        c = bar + 1;
    }
    return 0;
}

static int proto_table_str(const struct proto_field *f, const cJSON *v, const char *name,
                           struct proto_error *err)
{
    if (!cJSON_IsString(v) || !v->valuestring)
        return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be a string", name);
    const char *s = v->valuestring;
    size_t len = strlen(s);
    /* Checked again after cJSON: validate_args also sees objects built in C, not parsed. */
    if (!proto_utf8_valid(s, len))
        return proto_error_set(err, PROTO_E_BAD_UTF8, name, "%s is not valid UTF-8", name);
    if ((int64_t)len > f->max)
        return proto_error_set(err, PROTO_E_TOO_LONG, name, "%s is longer than %lld bytes", name,
                               (long long)f->max);
    if ((int64_t)len < f->min)
        return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must have at least %lld bytes",
                               name, (long long)f->min);
    if (f->fmt == PROTO_F_DIGITS) {
        for (const char *p = s; *p; p++) {
            if (*p < '0' || *p > '9')
                return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be digits only",
                                       name);
        }
    } else if (f->fmt == PROTO_F_ENUM && !proto_table_choice_ok(f->choices, s)) {
        return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be one of %s", name,
                               f->choices);
    }
    return 0;
}

static int proto_table_value(const struct proto_field *f, const cJSON *v, const char *name,
                             struct proto_error *err)
{
    int64_t n;
    enum proto_err e;
    switch (f->kind) {
    case PROTO_K_STR:
        return proto_table_str(f, v, name, err);
    case PROTO_K_INT:
        e = proto_table_int(v, &n);
        if (e == PROTO_E_BAD_FIELD)
            return proto_error_set(err, e, name, "%s must be an integer", name);
        if (e != PROTO_E_OK || n < f->min || n > f->max)
            return proto_error_set(err, PROTO_E_OUT_OF_RANGE, name,
                                   "%s must be an integer from %lld to %lld", name,
                                   (long long)f->min, (long long)f->max);
        return 0;
    case PROTO_K_BOOL:
        if (!cJSON_IsBool(v))
            return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be true or false", name);
        return 0;
    case PROTO_K_OBJ:
        if (!cJSON_IsObject(v))
            return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be an object", name);
        if (f->fmt == PROTO_F_ERROR) {
            char prefix[sizeof err->field];
            int len = snprintf(prefix, sizeof prefix, "%s.", name);
            if (len < 0 || (size_t)len >= sizeof prefix)
                prefix[0] = '\0'; /* a name that long cannot be reported with its prefix */
            return proto_table_check(proto_table_error_fields, v, false, prefix, err);
        }
        return 0;
    case PROTO_K_ARR:
        if (!cJSON_IsArray(v))
            return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be a list", name);
        if (cJSON_GetArraySize(v) > f->max)
            return proto_error_set(err, PROTO_E_TOO_LONG, name, "%s has more than %lld items", name,
                                   (long long)f->max);
        return 0;
    }
    return proto_error_set(err, PROTO_E_INTERNAL, name, "bad field spec for %s", name);
}

#define PROTO_TABLE_MAX_FIELDS 16

int proto_table_check(const struct proto_field *fields, const cJSON *obj, bool strict,
                      const char *prefix, struct proto_error *err)
{
    unsigned char seen[PROTO_TABLE_MAX_FIELDS] = {0};
    char name[sizeof err->field + PROTO_MAX_SHORT];
    size_t nfields = 0;
    while (fields[nfields].name)
        nfields++;
    assert(nfields <= PROTO_TABLE_MAX_FIELDS);

    for (const cJSON *child = obj ? obj->child : NULL; child; child = child->next) {
        const char *key = child->string ? child->string : "";
        size_t i = 0;
        while (i < nfields && strcmp(fields[i].name, key) != 0)
            i++;
        snprintf(name, sizeof name, "%s%s", prefix, key);
        proto_utf8_trim(name); /* a long hostile key may have been cut mid-character */
        if (i == nfields) {
            if (strict)
                return proto_error_set(err, PROTO_E_UNKNOWN_FIELD, name, "unknown field \"%s\"",
                                       name);
            continue;
        }
        if (seen[i]++)
            return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s appears twice", name);
        if (proto_table_value(&fields[i], child, name, err) != 0)
            return -1;
    }
    for (size_t i = 0; i < nfields; i++) {
        if (fields[i].required && !seen[i]) {
            snprintf(name, sizeof name, "%s%s", prefix, fields[i].name);
            return proto_error_set(err, PROTO_E_MISSING_FIELD, name, "%s is required", name);
        }
    }
    return 0;
}

int proto_validate_args(enum proto_type type, const cJSON *args, struct proto_error *err)
{
    const struct proto_row *row = proto_table_row(type);
    if (!row || row->dir != PROTO_DIR_C2H)
        return proto_error_set(err, PROTO_E_UNKNOWN_TYPE, "type", "not a client request type");
    /* NULL means "args omitted", which the protocol reads as {}. */
    if (args && !cJSON_IsObject(args))
        return proto_error_set(err, PROTO_E_BAD_MESSAGE, "args", "args must be an object");
    return proto_table_check(row->fields, args, true, "", err);
}

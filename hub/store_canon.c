/* Canonical JSON and BLAKE2b hashing for what the store seals: the audit chain and delivery
 * sign-offs. The text must be reproducible by anyone: Python's
 * json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives the same
 * bytes for the values we store (hub/STORE.md "Canonical JSON"). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

struct buf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* Escapes as Python's json module with ensure_ascii=False: the two-character escapes for
 * " \ \b \f \n \r \t, \u00XX (lower-case hex) for other control characters, the rest raw. */
static void put_string(struct buf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        /* the run of bytes that need no escape goes in one copy (the audit chain canonicalises
         * every record it seals: this loop was a byte-at-a-time put() per character) */
        const unsigned char *run = c;
        while (*c >= 0x20 && *c != '"' && *c != '\\')
            c++;
        if (c > run)
            put(b, (const char *)run, (size_t)(c - run));
        if (!*c)
            break;
        char esc[8];
        switch (*c) {
        case '"':
            puts_(b, "\\\"");
            break;
        case '\\':
            puts_(b, "\\\\");
            break;
        case '\b':
            puts_(b, "\\b");
            break;
        case '\f':
            puts_(b, "\\f");
            break;
        case '\n':
            puts_(b, "\\n");
            break;
        case '\r':
            puts_(b, "\\r");
            break;
        case '\t':
            puts_(b, "\\t");
            break;
        default: /* the other control characters: the run above stops only at these */
            snprintf(esc, sizeof esc, "\\u%04x", *c);
            puts_(b, esc);
        }
    }
    put(b, "\"", 1);
}

/* Decimal digits of v into num (at least 21 bytes), as "%lld" prints them, without
 * snprintf's format parsing: every audit record carries several ids and times. */
static void put_integer(char *num, long long v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t i = 0;
    if (v < 0)
        num[i++] = '-';
    while (n)
        num[i++] = tmp[--n];
    num[i] = '\0';
}

/* Integers (all we store: times, money, ids, coordinates) print without exponent or
 * fraction; anything else uses the shortest %g form that reads back the same. */
static void put_number(struct buf *b, double d)
{
    char num[40];
    if (d != d || d > 1e308 || d < -1e308) /* NaN or infinity: JSON has no such number */
        snprintf(num, sizeof num, "null");
    else if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d)
        put_integer(num, (long long)d);
    else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(num, sizeof num, "%.*g", prec, d);
            if (strtod(num, NULL) == d)
                break;
        }
    }
    puts_(b, num);
}

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string); /* byte order of UTF-8 == code point order */
}

static void put_value(struct buf *b, const cJSON *v, int depth)
{
    if (depth > 64) { /* deeper than any JSON we accept: refuse rather than recurse on */
        b->oom = true;
        return;
    }
    if (cJSON_IsNull(v) || cJSON_IsInvalid(v))
        puts_(b, "null");
    else if (cJSON_IsTrue(v))
        puts_(b, "true");
    else if (cJSON_IsFalse(v))
        puts_(b, "false");
    else if (cJSON_IsNumber(v))
        put_number(b, v->valuedouble);
    else if (cJSON_IsString(v))
        put_string(b, v->valuestring ? v->valuestring : "");
    else if (cJSON_IsArray(v)) {
        put(b, "[", 1);
        for (const cJSON *c = v->child; c; c = c->next) {
            put_value(b, c, depth + 1);
            if (c->next)
                put(b, ",", 1);
        }
        put(b, "]", 1);
    } else if (cJSON_IsObject(v)) {
        size_t n = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            n++;
        const cJSON **keys = n ? malloc(n * sizeof *keys) : NULL;
        if (n && !keys) {
            b->oom = true;
            return;
        }
        size_t i = 0;
        for (const cJSON *c = v->child; c; c = c->next)
            keys[i++] = c;
        if (n > 1)
            qsort(keys, n, sizeof *keys, cmp_keys);
        put(b, "{", 1);
        for (i = 0; i < n; i++) {
            put_string(b, keys[i]->string ? keys[i]->string : "");
            put(b, ":", 1);
            put_value(b, keys[i], depth + 1);
            if (i + 1 < n)
                put(b, ",", 1);
        }
        put(b, "}", 1);
        free(keys);
    } else {
        puts_(b, "null"); /* raw items never reach the store */
    }
}

char *store_canon_sealed(const char *prefix, const struct store_canon_member *m, size_t n)
{
    struct buf b = {0};
    puts_(&b, prefix);
    put(&b, "\n{", 2);
    for (size_t i = 0; i < n; i++) {
        put_string(&b, m[i].key);
        put(&b, ":", 1);
        if (m[i].is_num)
            put_number(&b, m[i].num);
        else if (m[i].str)
            put_string(&b, m[i].str);
        else
            puts_(&b, "null");
        if (i + 1 < n)
            put(&b, ",", 1);
    }
    put(&b, "}", 1);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

char *store_canon_json(const cJSON *v)
{
    struct buf b = {0};
    put_value(&b, v, 0);
    put(&b, "", 0);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    if (!b.p) /* put of nothing: make an empty string, never reached for real values */
        b.p = calloc(1, 1);
    return b.p;
}

int store_canon_text(const char *text, char **out, struct proto_error *err)
{
    *out = NULL;
    if (!text)
        return 0;
    cJSON *v = cJSON_Parse(text);
    if (!v)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "not JSON");
    *out = store_canon_json(v);
    cJSON_Delete(v);
    if (!*out)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory or nested too deeply");
    return 0;
}

void store_hash_hex(const void *data, size_t len, char out[STORE_HASH_HEX_LEN + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    sodium_bin2hex(out, STORE_HASH_HEX_LEN + 1, h, sizeof h);
}

/* Compact JSON printing for the encoders, in place of cJSON_PrintUnformatted.
 *
 * Why not cJSON's printer: it writes numbers with %1.15g and accepts the result when it is
 * merely close, so integers of 16 digits (2^53 - 1, say) come out rounded and 10^15 comes
 * out as "1e+15". This printer writes every integral number up to 2^53 - 1 as digits and
 * other numbers in the shortest form that reads back exactly. It also enforces the frame
 * rules while it writes: depth, UTF-8 of every string and key, and the size limit, so a
 * frame it returns is one proto_decode's raw checks accept. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

struct proto_print_buf {
    char *p;
    size_t len;
    size_t cap;
    size_t limit; /* most bytes of output, excluding the NUL */
};

/* Room for n more bytes and the final NUL, within the limit. */
static int proto_print_grow(struct proto_print_buf *b, size_t n)
{
    if (n > b->limit - b->len)
        return -1;
    size_t cap = b->cap ? b->cap : 1024; /* a check-in's result fits the first */
    while (cap < b->len + n + 1)
        cap *= 2;
    if (cap > b->limit + 1)
        cap = b->limit + 1;
    char *p = realloc(b->p, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* The NUL is written once, by proto_print: a put per brace, colon and comma is the printer's
 * most frequent call. The capacity never exceeds limit + 1, so room means within the limit. */
static inline int proto_print_put(struct proto_print_buf *b, const char *s, size_t n)
{
    if (n >= b->cap - b->len && proto_print_grow(b, n) != 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static int proto_print_lit(struct proto_print_buf *b, const char *s)
{
    return proto_print_put(b, s, strlen(s));
}

/* One pass over s: ASCII is copied in runs, each multi-byte sequence is checked as it is
 * met, and control characters, quotes and backslashes are escaped. A separate strlen and
 * validation pass over every string was a tenth of a check-in's instructions. */
static int proto_print_string(struct proto_print_buf *b, const char *s)
{
    if (!s || proto_print_put(b, "\"", 1) != 0)
        return -1;
    const unsigned char *run = (const unsigned char *)s; /* copied as is, flushed before escapes */
    for (const unsigned char *p = run;;) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            size_t n = c < 0x80 ? 1 : proto_utf8_seq(p, 4); /* stops at the NUL: 4 is safe */
            if (n == 0)
                return -1;
            p += n;
            continue;
        }
        if (proto_print_put(b, (const char *)run, (size_t)(p - run)) != 0)
            return -1;
        if (c == '\0')
            break;
        char hex[8];
        const char *esc = hex;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            snprintf(hex, sizeof hex, "\\u%04x", (unsigned)c);
            break;
        }
        if (proto_print_lit(b, esc) != 0)
            return -1;
        run = ++p;
    }
    return proto_print_put(b, "\"", 1);
}

static int proto_print_number(struct proto_print_buf *b, double d)
{
    char num[32];
    if (!isfinite(d))
        return -1; /* JSON has no NaN or infinity */
    if (d >= -(double)PROTO_SAFE_INT_MAX && d <= (double)PROTO_SAFE_INT_MAX &&
        (double)(long long)d == d) {
        /* digits by hand: every id and millisecond time goes through here, and snprintf was
         * in the hub's profile at 64 senders (tools/bench/BENCHMARKS.md round 5) */
        long long v = (long long)d;
        unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
        char *end = num + sizeof num, *p = end;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            *--p = '-';
        return proto_print_put(b, p, (size_t)(end - p));
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(num, sizeof num, "%.*g", prec, d);
        if (strtod(num, NULL) == d)
            break;
    }
    return proto_print_lit(b, num);
}

static int proto_print_value(struct proto_print_buf *b, const cJSON *item, int depth)
{
    const cJSON *c;
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        return proto_print_lit(b, "null");
    case cJSON_False:
        return proto_print_lit(b, "false");
    case cJSON_True:
        return proto_print_lit(b, "true");
    case cJSON_Number:
        return proto_print_number(b, item->valuedouble);
    case cJSON_String:
        return proto_print_string(b, item->valuestring);
    case cJSON_Array:
    case cJSON_Object:
        /* Refusing here keeps this recursion as shallow as the decoder's limit. */
        if (depth + 1 > PROTO_MAX_DEPTH)
            return -1;
        if (proto_print_put(b, cJSON_IsArray(item) ? "[" : "{", 1) != 0)
            return -1;
        for (c = item->child; c; c = c->next) {
            if (c != item->child && proto_print_put(b, ",", 1) != 0)
                return -1;
            if (cJSON_IsObject(item) &&
                (proto_print_string(b, c->string) != 0 || proto_print_put(b, ":", 1) != 0))
                return -1;
            if (proto_print_value(b, c, depth + 1) != 0)
                return -1;
        }
        return proto_print_put(b, cJSON_IsArray(item) ? "]" : "}", 1);
    default:
        return -1; /* cJSON_Raw and invalid items: we cannot vouch for their text */
    }
}

char *proto_json_print(const cJSON *v)
{
    return proto_print(v, SIZE_MAX - 1);
}

char *proto_print(const cJSON *root, size_t limit)
{
    struct proto_print_buf b = {NULL, 0, 0, limit};
    if (!root || proto_print_value(&b, root, 0) != 0 || !b.p) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    return b.p;
}

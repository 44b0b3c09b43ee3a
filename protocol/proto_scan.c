/* The checks made on a frame's raw bytes before cJSON parses it: size, UTF-8 and NUL,
 * nesting depth, \u escapes and number grammar.
 *
 * Why a pre-scan: cJSON recurses once per nesting level and decodes "\u0000" and lone
 * surrogate escapes into C strings where they can no longer be seen, and it is lenient
 * about numbers ("01", "1.") and control characters. One linear pass with no recursion
 * rejects all of that first, so cJSON only ever sees shallow, strict JSON. */
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

static int proto_scan_hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Scans a string whose opening quote is at *pp; leaves *pp after the closing quote. */
static int proto_scan_string(const char **pp, const char *start, const char *end,
                             struct proto_error *err)
{
    const char *p = *pp + 1;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            *pp = p + 1;
            return 0;
        }
        if (c < 0x20)
            return proto_error_set(err, PROTO_E_BAD_JSON, NULL,
                                   "control character in a string at byte %zu",
                                   (size_t)(p - start));
        if (c != '\\') {
            p++;
            continue;
        }
        if (p + 1 >= end)
            break;
        if (p[1] != 'u') {
            if (!strchr("\"\\/bfnrt", p[1]))
                return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "bad escape at byte %zu",
                                       (size_t)(p - start));
            p += 2;
            continue;
        }
        unsigned cp;
        if (proto_scan_hex4(p + 2, end, &cp) != 0)
            return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "bad \\u escape at byte %zu",
                                   (size_t)(p - start));
        if (cp == 0)
            return proto_error_set(err, PROTO_E_BAD_UTF8, NULL,
                                   "\\u0000 (NUL) in a string at byte %zu", (size_t)(p - start));
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return proto_error_set(err, PROTO_E_BAD_UTF8, NULL,
                                   "lone low surrogate escape at byte %zu", (size_t)(p - start));
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
                proto_scan_hex4(p + 8, end, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                return proto_error_set(err, PROTO_E_BAD_UTF8, NULL,
                                       "lone high surrogate escape at byte %zu",
                                       (size_t)(p - start));
            p += 12;
            continue;
        }
        p += 6;
    }
    return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "unterminated string");
}

static int proto_scan_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks RFC 8259 number grammar at *pp; leaves *pp after the number. */
static int proto_scan_number(const char **pp, const char *start, const char *end,
                             struct proto_error *err)
{
    const char *p = *pp;
    if (*p == '-')
        p++;
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && proto_scan_digit(*p)) {
        while (p < end && proto_scan_digit(*p))
            p++;
    } else {
        goto bad;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !proto_scan_digit(*p))
            goto bad;
        while (p < end && proto_scan_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !proto_scan_digit(*p))
            goto bad;
        while (p < end && proto_scan_digit(*p))
            p++;
    }
    /* cJSON hands strtod every byte of [0-9.eE+-], so "01" or "1.2.3" must stop here. */
    if (p < end && (proto_scan_digit(*p) || strchr(".eE+-", *p)))
        goto bad;
    *pp = p;
    return 0;
bad:
    return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "malformed number at byte %zu",
                           (size_t)(*pp - start));
}

int proto_scan_frame(const char *buf, size_t len, enum proto_dir dir, struct proto_error *err)
{
    size_t limit = dir == PROTO_DIR_H2C ? PROTO_MAX_FRAME_OUT : PROTO_MAX_FRAME_IN;
    if (len > limit)
        return proto_error_set(err, PROTO_E_FRAME_TOO_LARGE, NULL,
                               "frame of %zu bytes is over the %zu-byte limit", len, limit);
    if (len == 0 || !buf)
        return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "empty frame");
    if (!proto_utf8_valid(buf, len))
        return proto_error_set(err, PROTO_E_BAD_UTF8, NULL, NULL);
    if (memchr(buf, '\0', len))
        return proto_error_set(err, PROTO_E_BAD_UTF8, NULL, "NUL byte in the frame");

    /* cJSON silently skips a leading byte order mark; JSON text must not carry one. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "byte order mark before the JSON");

    const char *p = buf, *end = buf + len;
    int depth = 0;
    while (p < end) {
        char c = *p;
        switch (c) {
        case '{':
        case '[':
            if (++depth > PROTO_MAX_DEPTH)
                return proto_error_set(err, PROTO_E_TOO_DEEP, NULL, "nested deeper than %d levels",
                                       PROTO_MAX_DEPTH);
            p++;
            break;
        case '}':
        case ']':
            if (--depth < 0)
                return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "unbalanced '%c' at byte %zu",
                                       c, (size_t)(p - buf));
            p++;
            break;
        case '"':
            if (proto_scan_string(&p, buf, end, err) != 0)
                return -1;
            break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            if (proto_scan_number(&p, buf, end, err) != 0)
                return -1;
            break;
        default:
            /* cJSON skips every byte <= 0x20 as blank; JSON allows only these four. */
            if ((unsigned char)c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return proto_error_set(err, PROTO_E_BAD_JSON, NULL, "control character at byte %zu",
                                       (size_t)(p - buf));
            p++;
            break;
        }
    }
    return 0;
}

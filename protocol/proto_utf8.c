/* UTF-8 validation, counting and boundary-safe truncation (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). */
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

size_t proto_utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* below is an overlong 3-byte form */
        else if (c == 0xED)
            hi = 0x9F; /* above is U+D800..U+DFFF, the surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong 4-byte form */
        else if (c == 0xF4)
            hi = 0x8F; /* above is > U+10FFFF */
    } else {
        return 0; /* continuation byte, 0xC0/0xC1 overlong leads, 0xF5..0xFF */
    }
    if (avail < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

int proto_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (!s)
        return len == 0;
    while (i < len) {
        /* Fast path for ASCII runs, which is most of every frame. */
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = proto_utf8_seq(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

size_t proto_utf8_len(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
    }
    return n;
}

void proto_utf8_trim(char *s)
{
    size_t len = strlen(s);
    size_t start = len;
    /* Walk back over at most 3 continuation bytes to the lead byte of the last sequence. */
    while (start > 0 && len - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    start--;
    if (proto_utf8_seq((const unsigned char *)s + start, len - start) != len - start)
        s[start] = '\0';
}

void proto_utf8_copy(char *dst, size_t dstsz, const char *src)
{
    if (dstsz == 0)
        return;
    size_t n = strlen(src);
    if (n < dstsz) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, src, dstsz - 1);
    dst[dstsz - 1] = '\0';
    proto_utf8_trim(dst);
}

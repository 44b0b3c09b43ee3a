/* Phone numbers as people type them (PROTOCOL.md "Phone numbers"): separators and a +86 /
 * 0086 prefix are dropped; a mainland mobile is kept as its 11 digits, any other number
 * must be international (+ and 8..15 digits). */
#include <assert.h>
#include <string.h>

#include "proto.h"

#define PROTO_PHONE_MOBILE_LEN 11
#define PROTO_PHONE_INTL_MIN   8
#define PROTO_PHONE_INTL_MAX   15

static int proto_phone_mobile(const char *d, size_t n)
{
    return n == PROTO_PHONE_MOBILE_LEN && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

int proto_phone_normalize(const char *in, char *out, size_t outsz, struct proto_error *err)
{
    /* Digits as typed; the '+' (or "00") is tracked apart from them. */
    char d[PROTO_MAX_PHONE_IN + 1];
    size_t n = 0;
    int plus = 0;
    assert(out && outsz >= PROTO_MAX_PHONE + 1);
    out[0] = '\0';
    if (!in || strlen(in) > PROTO_MAX_PHONE_IN)
        goto bad;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (*p == '+' && n == 0 && !plus) {
            plus = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            goto bad;
        d[n++] = *p;
    }
    d[n] = '\0';

    const char *digits = d;
    /* "0086" is how +86 is dialled from a landline; treat it as "+86". */
    if (!plus && n > 4 && memcmp(d, "0086", 4) == 0) {
        plus = 1;
        digits += 2;
        n -= 2;
    }
    if (plus && n > 2 && memcmp(digits, "86", 2) == 0 && proto_phone_mobile(digits + 2, n - 2)) {
        memcpy(out, digits + 2, PROTO_PHONE_MOBILE_LEN + 1);
        return 0;
    }
    if (!plus && proto_phone_mobile(digits, n)) {
        memcpy(out, digits, PROTO_PHONE_MOBILE_LEN + 1);
        return 0;
    }
    if (plus && n >= PROTO_PHONE_INTL_MIN && n <= PROTO_PHONE_INTL_MAX) {
        out[0] = '+';
        memcpy(out + 1, digits, n + 1);
        return 0;
    }
bad:
    return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
}

int proto_phone_prefix_ok(const char *partial)
{
    if (!partial)
        return 0;
    size_t n = strlen(partial);
    if (n > PROTO_PHONE_MOBILE_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (partial[i] < '0' || partial[i] > '9')
            return 0;
    }
    if (n >= 1 && partial[0] != '1')
        return 0;
    if (n >= 2 && (partial[1] < '3' || partial[1] > '9'))
        return 0;
    return 1;
}

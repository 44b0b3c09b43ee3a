/* The error table's lookups and proto_error_set, generated from PROTO_ERROR_MAP. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto_error.h"
#include "proto_internal.h"

static const char *const proto_error_codes[] = {
#define PROTO_X_CODE(name, code, msg) code,
    PROTO_ERROR_MAP(PROTO_X_CODE)
#undef PROTO_X_CODE
};

static const char *const proto_error_messages[] = {
#define PROTO_X_MSG(name, code, msg) msg,
    PROTO_ERROR_MAP(PROTO_X_MSG)
#undef PROTO_X_MSG
};

const char *proto_error_code(enum proto_err e)
{
    if ((unsigned)e >= PROTO_E__COUNT)
        return proto_error_codes[PROTO_E_INTERNAL];
    return proto_error_codes[e];
}

const char *proto_error_default_message(enum proto_err e)
{
    if ((unsigned)e >= PROTO_E__COUNT)
        return proto_error_messages[PROTO_E_INTERNAL];
    return proto_error_messages[e];
}

enum proto_err proto_error_from_code(const char *code, int *known)
{
    if (code) {
        for (int i = 0; i < PROTO_E__COUNT; i++) {
            if (strcmp(code, proto_error_codes[i]) == 0) {
                if (known)
                    *known = 1;
                return (enum proto_err)i;
            }
        }
    }
    if (known)
        *known = 0;
    return PROTO_E_INTERNAL;
}

int proto_error_set(struct proto_error *err, enum proto_err code, const char *field,
                    const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = (unsigned)code < PROTO_E__COUNT ? code : PROTO_E_INTERNAL;
    proto_utf8_copy(err->field, sizeof err->field, field ? field : "");
    if (!fmt) {
        proto_utf8_copy(err->message, sizeof err->message, proto_error_default_message(err->code));
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): false positive, va_start above */
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0) {
        proto_utf8_copy(err->message, sizeof err->message, proto_error_default_message(err->code));
    } else if ((size_t)n >= sizeof err->message) {
        /* vsnprintf cut at a byte count: drop a split UTF-8 sequence so the message stays
         * valid text on the wire. */
        proto_utf8_trim(err->message);
    }
    return -1;
}

/* Showfloor's one error table: enum, stable wire code and human message from one X-macro.
 * Wire codes are part of protocol v1 (PROTOCOL.md, "Error codes"): never rename one,
 * only add. */
#ifndef SHOWFLOOR_PROTO_ERROR_H
#define SHOWFLOOR_PROTO_ERROR_H

#include <stddef.h>

/* X(enum suffix, wire code, default human message) */
#define PROTO_ERROR_MAP(X)                                                                \
    X(OK, "ok", "no error")                                                               \
    X(FRAME_TOO_LARGE, "frame_too_large", "message is larger than the frame limit")       \
    X(BAD_UTF8, "bad_utf8", "message is not valid UTF-8")                                 \
    X(BAD_JSON, "bad_json", "message is not valid JSON")                                  \
    X(TOO_DEEP, "too_deep", "message nests deeper than allowed")                          \
    X(BAD_MESSAGE, "bad_message", "message envelope is malformed")                        \
    X(UNKNOWN_TYPE, "unknown_type", "unknown message type")                               \
    X(MISSING_FIELD, "missing_field", "a required field is missing")                      \
    X(BAD_FIELD, "bad_field", "a field has the wrong type or format")                     \
    X(TOO_LONG, "too_long", "a string or list is over its limit")                         \
    X(OUT_OF_RANGE, "out_of_range", "a number is out of its allowed range")               \
    X(UNKNOWN_FIELD, "unknown_field", "a field is not part of this message")              \
    X(NOT_AUTHENTICATED, "not_authenticated", "authenticate first")                       \
    X(AUTH_FAILED, "auth_failed", "unknown device token")                                 \
    X(DEVICE_REVOKED, "device_revoked", "this device has been revoked")                   \
    X(FORBIDDEN, "forbidden", "not allowed for this device or role")                      \
    X(STAFF_LOGIN_REQUIRED, "staff_login_required", "a staff member must log in first")   \
    X(STAFF_LOGIN_FAILED, "staff_login_failed", "wrong staff number or PIN")              \
    X(STAFF_LOCKED, "staff_locked", "too many failed logins; try again later")            \
    X(SESSION_EXPIRED, "session_expired", "the staff session has expired")                \
    X(NOT_FOUND, "not_found", "no such record")                                           \
    X(INVALID_PHONE, "invalid_phone", "not a valid phone number")                         \
    X(CONSENT_REQUIRED, "consent_required", "consent to store personal data is required") \
    X(INVALID_STATE, "invalid_state", "not possible in the record's current state")       \
    X(ID_REUSED, "id_reused", "this command id was already used for a different command") \
    X(ALREADY_SUBSCRIBED, "already_subscribed", "this connection is already subscribed")  \
    X(RATE_LIMITED, "rate_limited", "too many requests; slow down")                       \
    X(UNAVAILABLE, "unavailable", "the hub cannot serve this now; retry later")           \
    X(INTERNAL, "internal", "internal error; nothing was changed")

enum proto_err {
#define PROTO_X_ENUM(name, code, msg) PROTO_E_##name,
    PROTO_ERROR_MAP(PROTO_X_ENUM)
#undef PROTO_X_ENUM
        PROTO_E__COUNT
};

/* A decoded or produced error: the stable code, a precise human message and, where one
 * field is at fault, its name. Fixed-size so it can live on the stack. */
struct proto_error {
    enum proto_err code;
    char field[48];
    char message[200];
};

/* Stable wire code ("bad_field") for an error; "internal" for out-of-range values. */
const char *proto_error_code(enum proto_err e);
/* Default English message for an error. */
const char *proto_error_default_message(enum proto_err e);
/* Reverse lookup of a wire code; PROTO_E_INTERNAL when unknown (sets *known to 0 if given). */
enum proto_err proto_error_from_code(const char *code, int *known);
/* Fills *err (if non-NULL): code, field (may be NULL) and printf-style message (NULL fmt
 * means the default message). Returns -1 so callers can `return proto_error_set(...)`. */
int proto_error_set(struct proto_error *err, enum proto_err code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

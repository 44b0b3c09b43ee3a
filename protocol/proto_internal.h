/* Private to the protocol library: the message table's layout and the helpers its files
 * share. Not part of the contract; hub, kiosk and tools include proto.h only. */
#ifndef SHOWFLOOR_PROTO_INTERNAL_H
#define SHOWFLOOR_PROTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto.h"

/* Largest integer the protocol carries: 2^53 - 1, the last one a double (and so every JSON
 * peer, JavaScript included) holds exactly. 2^53 itself is refused because 2^53 + 1 parses
 * to the same double and could not be told apart. */
#define PROTO_SAFE_INT_MAX 9007199254740991LL

enum proto_kind {
    PROTO_K_STR,
    PROTO_K_INT,
    PROTO_K_BOOL,
    PROTO_K_OBJ,
    PROTO_K_ARR,
};

/* Extra checks on a value that already has the right kind. */
enum proto_fmt {
    PROTO_F_NONE,
    PROTO_F_DIGITS, /* ASCII digits only (PIN, phone tail) */
    PROTO_F_ENUM,   /* one of the '|'-separated `choices` */
    PROTO_F_ERROR,  /* an error object {code, message, field?} */
};

/* One field of a message's args (requests) or root (hub messages). min/max bound a
 * string's bytes, an integer's value or an array's items. A list ends at name == NULL.
 * `sub` describes what is inside (requests only; NULL: not judged): for an object, the
 * list of its fields (checked strictly, like args); for an array, the one spec every item
 * must meet (its name is not used). */
struct proto_field {
    const char *name;
    enum proto_kind kind;
    bool required;
    int64_t min;
    int64_t max;
    enum proto_fmt fmt;
    const char *choices;
    const struct proto_field *sub;
};

/* One row per message type. Requests' fields are their args; hub messages' fields are the
 * root's members other than type and id. */
struct proto_row {
    const char *name;
    enum proto_dir dir;
    bool needs_id;
    const struct proto_field *fields;
};

/* proto_table.c */
const struct proto_row *proto_table_row(enum proto_type t);
/* Checks obj (must be an object) against fields. strict: members not in the list are
 * unknown_field (requests); otherwise they are ignored (hub messages grow over versions).
 * err->field is prefix + name ("error.code") so nested faults are named exactly. */
int proto_table_check(const struct proto_field *fields, const cJSON *obj, bool strict,
                      const char *prefix, struct proto_error *err);
/* Reads a JSON integer within +-PROTO_SAFE_INT_MAX: PROTO_E_OK with *out, PROTO_E_BAD_FIELD
 * for a non-number or a fraction, PROTO_E_OUT_OF_RANGE beyond the safe range. */
enum proto_err proto_table_int(const cJSON *v, int64_t *out);
extern const struct proto_field proto_table_error_fields[];

/* proto_scan.c: the checks made on the raw bytes before cJSON sees them (size, UTF-8, NUL,
 * nesting, escapes, number grammar). 0, or -1 with *err. */
int proto_scan_frame(const char *buf, size_t len, enum proto_dir dir, struct proto_error *err);

/* proto_print.c: compact JSON with exact integers. Returns a malloc'd string (caller
 * frees), or NULL if the output would exceed `limit` bytes or PROTO_MAX_DEPTH levels, a
 * string is not UTF-8, a number is not finite, or memory runs out. */
char *proto_print(const cJSON *root, size_t limit);

/* proto_utf8.c */
/* Length of the valid UTF-8 sequence at s (reading at most `avail` bytes, and none past a
 * NUL), or 0 if invalid. */
size_t proto_utf8_seq(const unsigned char *s, size_t avail);
/* Cuts a trailing incomplete UTF-8 sequence left by a byte-count truncation. */
void proto_utf8_trim(char *s);
/* Copies src into dst (dstsz > 0), truncating on a code point boundary. */
void proto_utf8_copy(char *dst, size_t dstsz, const char *src);

#endif

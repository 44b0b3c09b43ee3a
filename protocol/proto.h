/* Showfloor protocol v1: message types, limits, JSON decode + validation and encoders,
 * shared by hub, kiosk and admin CLI. protocol/PROTOCOL.md is the contract this implements.
 *
 * Decoding is table-driven: every message type has a row (name, direction, field specs);
 * a frame is checked for size, UTF-8 and nesting depth before cJSON parses it, then the
 * envelope and every field are checked against the row. A message that fails any check
 * yields a typed proto_error and no object. */
#ifndef SHOWFLOOR_PROTO_H
#define SHOWFLOOR_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto_error.h"

#define PROTO_SUBPROTOCOL "showfloor.v1"
#define PROTO_VERSION     1

/* Limits (PROTOCOL.md "Limits"). Byte lengths are of UTF-8 encoded text. */
#define PROTO_MAX_FRAME_IN  65536   /* client -> hub frame, 64 KiB */
#define PROTO_MAX_FRAME_OUT 4194304 /* hub -> client frame (snapshots), 4 MiB */
#define PROTO_MAX_DEPTH     16
#define PROTO_MAX_ID        64 /* request id */
#define PROTO_MAX_TOKEN     128
#define PROTO_MAX_NAME      96   /* person/company name, bytes */
#define PROTO_MAX_PHONE_IN  24   /* raw phone as typed */
#define PROTO_MAX_PHONE     16   /* normalised phone: '+' and 8..15 digits, or 11-digit mobile */
#define PROTO_MAX_SHORT     64   /* codes, kinds, models, staff numbers */
#define PROTO_MAX_TEXT      1000 /* free text (remarks) */
#define PROTO_MAX_LIST      1000 /* items in any list */
#define PROTO_MAX_PIN       12
/* Orders (PROTOCOL.md "Orders"). */
#define PROTO_MAX_ORDER_NO   32             /* order numbers as typed ("SF2611-0012") */
#define PROTO_VIN_LEN        17             /* vehicle identification number */
#define PROTO_MAX_QUANTITY   99             /* cars in one order */
#define PROTO_MAX_PRICE_FEN  100000000000LL /* unit price cap (1e9 yuan): totals stay exact */
#define PROTO_MAX_STROKES    200            /* signature strokes ... */
#define PROTO_MAX_STROKE_PTS 2000           /* ... of at most this many [x, y, t] points each */
#define PROTO_ORDER_LIST_MAX 200            /* order_list page size */
/* Leads, reception, conflicts, complaints (PROTOCOL.md "Leads" .. "Complaints"). */
#define PROTO_LIST_PAGE_MAX 200 /* lead_list, conflict_list, complaint_list page size */
/* Kiosk fleet (PROTOCOL.md "Kiosk fleet"). */
#define PROTO_CLAIM_MIN      32 /* a kiosk's pairing claim: hex characters */
#define PROTO_CLAIM_MAX      64
#define PROTO_PAIR_CODE      6                 /* pairing code characters */
#define PROTO_CHUNK_MAX      48000             /* base64 characters of one screenshot part */
#define PROTO_SCREENSHOT_MAX (8 * 1024 * 1024) /* decoded PNG bytes of one screenshot */

enum proto_dir {
    PROTO_DIR_C2H = 1, /* client (kiosk, CLI, script) to hub */
    PROTO_DIR_H2C = 2, /* hub to client */
};

/* X(enum suffix, wire type name, direction, needs request id) */
#define PROTO_TYPE_MAP(X)                                             \
    X(HELLO, "hello", PROTO_DIR_H2C, 0)                               \
    X(AUTH, "auth", PROTO_DIR_C2H, 0)                                 \
    X(AUTH_OK, "auth_ok", PROTO_DIR_H2C, 0)                           \
    X(AUTH_FAILED, "auth_failed", PROTO_DIR_H2C, 0)                   \
    X(PING, "ping", PROTO_DIR_C2H, 1)                                 \
    X(SUBSCRIBE, "subscribe", PROTO_DIR_C2H, 1)                       \
    X(STAFF_LOGIN, "staff_login", PROTO_DIR_C2H, 1)                   \
    X(STAFF_LOGOUT, "staff_logout", PROTO_DIR_C2H, 1)                 \
    X(CHECKIN, "checkin", PROTO_DIR_C2H, 1)                           \
    X(ORDER_LOOKUP, "order_lookup", PROTO_DIR_C2H, 1)                 \
    X(ORDER_CREATE, "order_create", PROTO_DIR_C2H, 1)                 \
    X(ORDER_REVIEW, "order_review", PROTO_DIR_C2H, 1)                 \
    X(ORDER_APPROVE, "order_approve", PROTO_DIR_C2H, 1)               \
    X(ORDER_EDIT, "order_edit", PROTO_DIR_C2H, 1)                     \
    X(ORDER_RESUBMIT, "order_resubmit", PROTO_DIR_C2H, 1)             \
    X(ORDER_ALLOCATE, "order_allocate", PROTO_DIR_C2H, 1)             \
    X(VEHICLE_ARRIVED, "vehicle_arrived", PROTO_DIR_C2H, 1)           \
    X(VEHICLE_PREP, "vehicle_prep", PROTO_DIR_C2H, 1)                 \
    X(ORDER_ETA, "order_eta", PROTO_DIR_C2H, 1)                       \
    X(PAYMENT_CONFIRM, "payment_confirm", PROTO_DIR_C2H, 1)           \
    X(INVOICE_ISSUE, "invoice_issue", PROTO_DIR_C2H, 1)               \
    X(LOAN_STEP, "loan_step", PROTO_DIR_C2H, 1)                       \
    X(ORDER_READY, "order_ready", PROTO_DIR_C2H, 1)                   \
    X(ORDER_DELIVER, "order_deliver", PROTO_DIR_C2H, 1)               \
    X(ORDER_CLOSE, "order_close", PROTO_DIR_C2H, 1)                   \
    X(ORDER_CHANGE_REQUEST, "order_change_request", PROTO_DIR_C2H, 1) \
    X(ORDER_CHANGE_REVIEW, "order_change_review", PROTO_DIR_C2H, 1)   \
    X(ORDER_CANCEL_REQUEST, "order_cancel_request", PROTO_DIR_C2H, 1) \
    X(ORDER_CANCEL_REVIEW, "order_cancel_review", PROTO_DIR_C2H, 1)   \
    X(ORDER_CANCEL_APPROVE, "order_cancel_approve", PROTO_DIR_C2H, 1) \
    X(REFUND_CONFIRM, "refund_confirm", PROTO_DIR_C2H, 1)             \
    X(ORDER_NOTE, "order_note", PROTO_DIR_C2H, 1)                     \
    X(ORDER_GET, "order_get", PROTO_DIR_C2H, 1)                       \
    X(ORDER_LIST, "order_list", PROTO_DIR_C2H, 1)                     \
    X(LEAD_CREATE, "lead_create", PROTO_DIR_C2H, 1)                   \
    X(LEAD_ASSIGN, "lead_assign", PROTO_DIR_C2H, 1)                   \
    X(LEAD_FOLLOWUP, "lead_followup", PROTO_DIR_C2H, 1)               \
    X(LEAD_GRADE, "lead_grade", PROTO_DIR_C2H, 1)                     \
    X(LEAD_INVALIDATE, "lead_invalidate", PROTO_DIR_C2H, 1)           \
    X(LEAD_MONTH_END, "lead_month_end", PROTO_DIR_C2H, 1)             \
    X(LEAD_GET, "lead_get", PROTO_DIR_C2H, 1)                         \
    X(LEAD_LIST, "lead_list", PROTO_DIR_C2H, 1)                       \
    X(VISIT_SERVE, "visit_serve", PROTO_DIR_C2H, 1)                   \
    X(VISIT_DEPART, "visit_depart", PROTO_DIR_C2H, 1)                 \
    X(APPOINTMENT_CREATE, "appointment_create", PROTO_DIR_C2H, 1)     \
    X(CALL_STAFF, "call_staff", PROTO_DIR_C2H, 1)                     \
    X(CONFLICT_RULE, "conflict_rule", PROTO_DIR_C2H, 1)               \
    X(CONFLICT_LIST, "conflict_list", PROTO_DIR_C2H, 1)               \
    X(COMPLAINT_OPEN, "complaint_open", PROTO_DIR_C2H, 1)             \
    X(COMPLAINT_RESPOND, "complaint_respond", PROTO_DIR_C2H, 1)       \
    X(COMPLAINT_VALIDITY, "complaint_validity", PROTO_DIR_C2H, 1)     \
    X(COMPLAINT_ESCALATE, "complaint_escalate", PROTO_DIR_C2H, 1)     \
    X(COMPLAINT_CLOSE, "complaint_close", PROTO_DIR_C2H, 1)           \
    X(COMPLAINT_SURVEY, "complaint_survey", PROTO_DIR_C2H, 1)         \
    X(COMPLAINT_GET, "complaint_get", PROTO_DIR_C2H, 1)               \
    X(COMPLAINT_LIST, "complaint_list", PROTO_DIR_C2H, 1)             \
    X(BOARD_STATS, "board_stats", PROTO_DIR_C2H, 1)                   \
    X(PAIR, "pair", PROTO_DIR_C2H, 0)                                 \
    X(HEARTBEAT, "heartbeat", PROTO_DIR_C2H, 1)                       \
    X(CONTROL_RESULT, "control_result", PROTO_DIR_C2H, 1)             \
    X(CHECKIN_LOOKUP, "checkin_lookup", PROTO_DIR_C2H, 1)             \
    X(CUSTOMER_EXPORT, "customer_export", PROTO_DIR_C2H, 1)           \
    X(CUSTOMER_ERASE, "customer_erase", PROTO_DIR_C2H, 1)             \
    X(PAIRING, "pairing", PROTO_DIR_H2C, 0)                           \
    X(PAIRED, "paired", PROTO_DIR_H2C, 0)                             \
    X(CONTROL, "control", PROTO_DIR_H2C, 0)                           \
    X(DEVICE_CONFIG, "device_config", PROTO_DIR_H2C, 0)               \
    X(RESULT, "result", PROTO_DIR_H2C, 1)                             \
    X(SNAPSHOT, "snapshot", PROTO_DIR_H2C, 0)                         \
    X(EVENT, "event", PROTO_DIR_H2C, 0)                               \
    X(CLOSING, "closing", PROTO_DIR_H2C, 0)

enum proto_type {
#define PROTO_X_TENUM(name, wire, dir, needs_id) PROTO_T_##name,
    PROTO_TYPE_MAP(PROTO_X_TENUM)
#undef PROTO_X_TENUM
        PROTO_T__COUNT
};

/* Wire name of a type ("checkin"); NULL if out of range. */
const char *proto_type_name(enum proto_type t);
/* Type for a wire name in a direction; -1 if unknown in that direction. */
int proto_type_from_name(const char *name, enum proto_dir dir);

/* A decoded, validated message. `root` owns everything; the other pointers borrow from it.
 * For requests `args` is the "args" object (never NULL after decode: an absent args
 * decodes as an empty object). For hub messages `args` points at the payload object
 * ("data" of result/event, "state" of snapshot, the root for hello/auth_ok/auth_failed/
 * closing; NULL for a result with ok=false, whose error is in `error`). */
struct proto_msg {
    enum proto_type type;
    const char *id; /* request/result id, NULL where the type has none */
    cJSON *root;
    const cJSON *args;
    /* result only */
    bool ok;
    struct proto_error error; /* result with ok=false, auth_failed, closing */
    /* event and snapshot */
    int64_t seq;
    const char *kind; /* event kind, e.g. "visit.checked_in" */
    int64_t at;       /* event time, UTC ms */
};

/* Decodes and validates one frame of `len` bytes (need not be NUL-terminated) sent in
 * direction `dir`. On success returns 0 and fills *out (caller frees with proto_msg_free).
 * On failure returns -1, fills *err, and leaves *out empty (root NULL). *id_out (if non-NULL,
 * size PROTO_MAX_ID+1) receives the frame's id when a valid one could be read, even if the
 * frame then failed validation, and "" otherwise, so the hub can address the error result
 * ("id":null when ""). */
int proto_decode(const char *buf, size_t len, enum proto_dir dir, struct proto_msg *out,
                 struct proto_error *err, char *id_out);
void proto_msg_free(struct proto_msg *m);

/* Field accessors for validated objects (absent or wrong type gives the default). */
const char *proto_get_str(const cJSON *obj, const char *name);
int64_t proto_get_int(const cJSON *obj, const char *name, int64_t dflt);
bool proto_get_bool(const cJSON *obj, const char *name, bool dflt);
const cJSON *proto_get_obj(const cJSON *obj, const char *name);
const cJSON *proto_get_arr(const cJSON *obj, const char *name);

/* Any JSON value as the encoders print it: compact, integers up to 2^53-1 as exact digits,
 * other numbers in the shortest form that reads back. malloc'd (free()); NULL when memory
 * runs out or the value has no such text (a non-finite number, a string that is not UTF-8,
 * nesting deeper than PROTO_MAX_DEPTH). The hub stores event and result texts with it:
 * cJSON_PrintUnformatted prints every number beyond an int with %g and reads it back. */
char *proto_json_print(const cJSON *v);

/* Encoders. Each returns a malloc'd NUL-terminated compact JSON string (caller frees with
 * free()) or NULL on allocation failure or when the frame would not decode: a string
 * over its limit or not UTF-8, an integer beyond +-(2^53-1), a payload that is not an
 * object, deeper than PROTO_MAX_DEPTH or over the direction's frame limit. cJSON arguments
 * are borrowed, never freed; a NULL payload object is sent as {}. Result ids: NULL or ""
 * is sent as null (an undecodable request). Integers are printed exactly (not cJSON's %g). */
char *proto_encode_hello(const char *hub_version, const char *hub_id, int64_t now);
char *proto_encode_auth(const char *token, const char *client);
/* auth_ok carries the hub clock (PROTOCOL.md), hence `now`. */
char *proto_encode_auth_ok(const cJSON *device, int64_t now);
char *proto_encode_auth_failed(const struct proto_error *err);
/* proto_encode_auth and proto_encode_request also return NULL when the args (or id) fail
 * proto_validate_args / proto_id_valid, so an invalid request is never sent. */
char *proto_encode_request(const char *id, enum proto_type type, const cJSON *args);
char *proto_encode_result_ok(const char *id, const cJSON *data);
/* The same frame from data already printed by proto_json_print (a stored command result):
 * byte for byte what proto_encode_result_ok gives for the tree, without printing it again. */
char *proto_encode_result_ok_text(const char *id, const char *data_json);
char *proto_encode_result_err(const char *id, const struct proto_error *err);
char *proto_encode_snapshot(int64_t seq, const cJSON *state);
char *proto_encode_event(int64_t seq, const char *kind, int64_t at, const cJSON *data);
char *proto_encode_closing(const struct proto_error *err);
/* A hub -> client message whose members sit at the root (pairing, paired, control,
 * device_config): `members` is copied member by member beside "type" and checked against
 * the type's row. NULL for any other type or when a member fails its spec. */
char *proto_encode_push(enum proto_type type, const cJSON *members);

/* Validates the args of a client request without a frame (the kiosk checks before it
 * sends; the hub's HTTP API reuses it). 0 or -1 with *err. */
int proto_validate_args(enum proto_type type, const cJSON *args, struct proto_error *err);

/* UTF-8: 1 if the `len` bytes are valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int proto_utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t proto_utf8_len(const char *s);

/* Phone numbers. Accepts what a person types: spaces, '-', a leading "+86"/"0086".
 * Mainland mobile: 11 digits "1[3-9]xxxxxxxxx", normalised to those 11 digits.
 * Other numbers: "+" then 8..15 digits (E.164), normalised to "+digits".
 * Returns 0 and writes the normalised number into out (size >= PROTO_MAX_PHONE + 1),
 * or -1 with PROTO_E_INVALID_PHONE in *err. */
int proto_phone_normalize(const char *in, char *out, size_t outsz, struct proto_error *err);
/* While typing: 1 if `partial` (digits only) can still become a valid mainland mobile. */
int proto_phone_prefix_ok(const char *partial);

/* Request ids: 1..PROTO_MAX_ID bytes of [A-Za-z0-9._:-]. */
int proto_id_valid(const char *id);

#endif

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
#define STR(n, req, lo, hi)     {n, PROTO_K_STR, req, lo, hi, PROTO_F_NONE, NULL, NULL}
#define DIGITS(n, req, lo, hi)  {n, PROTO_K_STR, req, lo, hi, PROTO_F_DIGITS, NULL, NULL}
#define CHOICE(n, req, choices) {n, PROTO_K_STR, req, 0, PROTO_MAX_SHORT, PROTO_F_ENUM, choices, NULL}
#define INT(n, req, lo, hi)     {n, PROTO_K_INT, req, lo, hi, PROTO_F_NONE, NULL, NULL}
#define BOOL(n, req)            {n, PROTO_K_BOOL, req, 0, 0, PROTO_F_NONE, NULL, NULL}
#define OBJ(n, req)             {n, PROTO_K_OBJ, req, 0, 0, PROTO_F_NONE, NULL, NULL}
#define ERROBJ(n, req)          {n, PROTO_K_OBJ, req, 0, 0, PROTO_F_ERROR, NULL, NULL}
/* an object whose members are the field list `fields` */
#define FIELDS(n, req, fields)  {n, PROTO_K_OBJ, req, 0, 0, PROTO_F_NONE, NULL, fields}
/* a list of lo..hi items, each meeting the single spec *item */
#define LIST(n, req, lo, hi, item) {n, PROTO_K_ARR, req, lo, hi, PROTO_F_NONE, NULL, item}
#define END                     {NULL, PROTO_K_STR, false, 0, 0, PROTO_F_NONE, NULL, NULL}
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

/* Which path a phone number's check-in takes, before anything is written (reception). */
static const struct proto_field proto_table_f_CHECKIN_LOOKUP[] = {
    STR("phone", true, 0, PROTO_MAX_PHONE_IN),
    END,
};

static const struct proto_field proto_table_f_ORDER_LOOKUP[] = {
    STR("order_no", true, 1, 32),
    DIGITS("phone_last4", true, 4, 4),
    END,
};

/* ---- orders (PROTOCOL.md "Orders"). Rules that need the order itself (a reason required
 * only on a refusal, VIN characters, "exactly one of vin / factory_eta", at least one
 * change) are the hub's to check: the table judges each field on its own. ---- */

#define ORDER_NO       STR("order_no", true, 1, PROTO_MAX_ORDER_NO)
#define REASON(req)    STR("reason", req, (req) ? 1 : 0, PROTO_MAX_TEXT)
#define PRICE(n, req)  INT(n, req, 1, PROTO_MAX_PRICE_FEN)
#define MONEY(n, req)  INT(n, req, 1, PROTO_SAFE_INT_MAX)
#define WHEN(n, req)   INT(n, req, 0, PROTO_SAFE_INT_MAX)
#define PAYMENT(req)   CHOICE("payment", req, "full|loan")
#define ORDER_CHANNELS "consultant|online|phone|showroom"
#define ORDER_STAGES \
    "entered|reviewed|returned|approved|allocated|paid|ready|delivered|closed|cancelled"

/* The order fields a consultant fills in, shared by create, edit and change requests. */
#define ORDER_VEHICLE_FIELDS(req)                                                            \
    STR("model", req, 1, PROTO_MAX_SHORT), STR("config", false, 0, PROTO_MAX_NAME),          \
        STR("colour", req, 1, PROTO_MAX_SHORT), INT("quantity", req, 1, PROTO_MAX_QUANTITY), \
        PRICE("unit_price_fen", req), PAYMENT(req), WHEN("expected_delivery_at", false),     \
        STR("delivery_place", false, 0, PROTO_MAX_NAME),                                     \
        STR("special_requests", false, 0, PROTO_MAX_TEXT),                                   \
        STR("remarks", false, 0, PROTO_MAX_TEXT)
#define ORDER_CUSTOMER_FIELDS(req)                                                                \
    STR("customer_name", req, 1, PROTO_MAX_NAME), CHOICE("gender", false, "male|female|unknown"), \
        CHOICE("customer_kind", false, "individual|company"),                                     \
        STR("company_address", false, 0, PROTO_MAX_TEXT),                                         \
        STR("legal_rep", false, 0, PROTO_MAX_NAME),                                               \
        STR("business_scope", false, 0, PROTO_MAX_TEXT),                                          \
        STR("contact_name", false, 0, PROTO_MAX_NAME), CHOICE("credit_rating", false, "A|B|C|D"), \
        INT("credit_limit_fen", false, 0, PROTO_SAFE_INT_MAX)

/* The phone's format is the hub's to judge (invalid_phone), as for checkin. */
static const struct proto_field proto_table_f_ORDER_CREATE[] = {
    STR("phone", true, 0, PROTO_MAX_PHONE_IN),
    ORDER_CUSTOMER_FIELDS(true),
    ORDER_VEHICLE_FIELDS(true),
    CHOICE("channel", true, ORDER_CHANNELS),
    WHEN("received_at", false),
    END,
};

static const struct proto_field proto_table_f_ORDER_EDIT[] = {
    ORDER_NO,
    ORDER_CUSTOMER_FIELDS(false),
    ORDER_VEHICLE_FIELDS(false),
    CHOICE("channel", false, ORDER_CHANNELS),
    WHEN("received_at", false),
    END,
};

static const struct proto_field proto_table_condition =
    CHOICE("condition", true, "guarantee|larger_down_payment|shorter_term");

static const struct proto_field proto_table_f_ORDER_REVIEW[] = {
    ORDER_NO,      BOOL("pass", true),
    REASON(false), LIST("conditions", false, 0, 3, &proto_table_condition),
    END,
};

/* approve + reason: final review, change review, cancellation approval */
static const struct proto_field proto_table_f_ORDER_APPROVE[] = {
    ORDER_NO,
    BOOL("approve", true),
    REASON(false),
    END,
};
#define proto_table_f_ORDER_CHANGE_REVIEW  proto_table_f_ORDER_APPROVE
#define proto_table_f_ORDER_CANCEL_APPROVE proto_table_f_ORDER_APPROVE

/* only the order number: resubmit, close, get */
static const struct proto_field proto_table_f_ORDER_RESUBMIT[] = {ORDER_NO, END};
#define proto_table_f_ORDER_CLOSE proto_table_f_ORDER_RESUBMIT
#define proto_table_f_ORDER_GET   proto_table_f_ORDER_RESUBMIT

static const struct proto_field proto_table_f_ORDER_ALLOCATE[] = {
    ORDER_NO,
    STR("vin", false, PROTO_VIN_LEN, PROTO_VIN_LEN),
    WHEN("factory_eta", false),
    END,
};

static const struct proto_field proto_table_f_VEHICLE_ARRIVED[] = {
    ORDER_NO,
    STR("vin", true, PROTO_VIN_LEN, PROTO_VIN_LEN),
    END,
};

static const struct proto_field proto_table_f_VEHICLE_PREP[] = {
    ORDER_NO,
    CHOICE("step", true, "cleaning|inspection|maintenance"),
    END,
};

static const struct proto_field proto_table_f_ORDER_ETA[] = {
    ORDER_NO,
    WHEN("eta", true),
    REASON(true),
    END,
};

static const struct proto_field proto_table_f_PAYMENT_CONFIRM[] = {
    ORDER_NO,
    MONEY("amount_fen", true),
    CHOICE("kind", true, "deposit|balance|down_payment|loan_disbursement"),
    STR("reference", true, 1, PROTO_MAX_SHORT),
    END,
};

static const struct proto_field proto_table_f_INVOICE_ISSUE[] = {
    ORDER_NO,
    STR("invoice_no", true, 1, PROTO_MAX_SHORT),
    END,
};

static const struct proto_field proto_table_f_LOAN_STEP[] = {
    ORDER_NO,
    CHOICE("step", true, "documents|bank_approved|contract_signed"),
    END,
};

static const struct proto_field proto_table_documents[] = {
    BOOL("invoice", true),
    BOOL("coc", true),
    BOOL("warranty", true),
    END,
};

static const struct proto_field proto_table_f_ORDER_READY[] = {
    ORDER_NO,
    WHEN("delivery_at", true),
    STR("delivery_place", true, 1, PROTO_MAX_NAME),
    FIELDS("documents", true, proto_table_documents),
    END,
};

static const struct proto_field proto_table_checklist[] = {
    BOOL("vehicle_clean", true), BOOL("invoice", true),
    BOOL("coc", true),           BOOL("warranty", true),
    BOOL("keys", true),          BOOL("accessories", true),
    BOOL("explained", true),     END,
};

/* A signature: strokes, each a list of [x, y, t] points (pixels and milliseconds, >= 0). */
static const struct proto_field proto_table_coord = INT("coord", true, 0, PROTO_SAFE_INT_MAX);
static const struct proto_field proto_table_point = LIST("point", true, 3, 3, &proto_table_coord);
static const struct proto_field proto_table_stroke =
    LIST("stroke", true, 1, PROTO_MAX_STROKE_PTS, &proto_table_point);
static const struct proto_field proto_table_signature[] = {
    LIST("strokes", true, 1, PROTO_MAX_STROKES, &proto_table_stroke),
    STR("png_sha256", false, 64, 64),
    END,
};

static const struct proto_field proto_table_f_ORDER_DELIVER[] = {
    ORDER_NO,
    FIELDS("checklist", true, proto_table_checklist),
    FIELDS("signature", true, proto_table_signature),
    INT("rating", false, 1, 5),
    STR("comment", false, 0, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_changes[] = {
    ORDER_VEHICLE_FIELDS(false),
    END,
};

static const struct proto_field proto_table_f_ORDER_CHANGE_REQUEST[] = {
    ORDER_NO,
    FIELDS("changes", true, proto_table_changes),
    REASON(true),
    END,
};

static const struct proto_field proto_table_f_ORDER_CANCEL_REQUEST[] = {
    ORDER_NO,
    REASON(true),
    END,
};

static const struct proto_field proto_table_f_ORDER_CANCEL_REVIEW[] = {
    ORDER_NO, BOOL("approve", true), BOOL("needs_manager", false), REASON(false), END,
};

static const struct proto_field proto_table_f_REFUND_CONFIRM[] = {
    ORDER_NO,
    MONEY("amount_fen", true),
    STR("reference", true, 1, PROTO_MAX_SHORT),
    END,
};

static const struct proto_field proto_table_f_ORDER_NOTE[] = {
    ORDER_NO,
    CHOICE("way", true, "phone|email|face_to_face|sms|wechat"),
    STR("summary", true, 1, PROTO_MAX_TEXT),
    BOOL("customer_visible", false),
    END,
};

static const struct proto_field proto_table_f_ORDER_LIST[] = {
    CHOICE("stage", false, ORDER_STAGES),        STR("consultant", false, 1, PROTO_MAX_SHORT),
    STR("q", false, 1, PROTO_MAX_ORDER_NO),      INT("limit", false, 1, PROTO_ORDER_LIST_MAX),
    INT("offset", false, 0, PROTO_SAFE_INT_MAX), END,
};

/* ---- leads, reception, conflicts, complaints (PROTOCOL.md "Leads" .. "Complaints"). As
 * for orders, rules that need the record (a reason required only for "invalid", lead_id or
 * phone for an appointment, known staff numbers, models and channels) are the hub's. ---- */

#define RECORD_ID(n) INT(n, true, 1, PROTO_SAFE_INT_MAX)
#define GRADE(req)   CHOICE("grade", req, "H|A|B|F|L")
#define PAGE \
    INT("limit", false, 1, PROTO_LIST_PAGE_MAX), INT("offset", false, 0, PROTO_SAFE_INT_MAX)

/* phone as typed, judged by the hub (invalid_phone); missing name/model/budget make the lead
 * invalid (flagged, kept), not a refusal */
static const struct proto_field proto_table_f_LEAD_CREATE[] = {
    STR("phone", true, 0, PROTO_MAX_PHONE_IN),
    STR("name", false, 0, PROTO_MAX_NAME),
    CHOICE("gender", false, "male|female|unknown"),
    STR("model", false, 0, PROTO_MAX_SHORT),
    INT("budget_fen", false, 0, PROTO_SAFE_INT_MAX),
    STR("channel", true, 1, PROTO_MAX_SHORT),
    STR("region", false, 0, PROTO_MAX_SHORT),
    STR("external_ref", false, 0, PROTO_MAX_SHORT),
    WHEN("created_at", false),
    END,
};

static const struct proto_field proto_table_f_LEAD_ASSIGN[] = {
    RECORD_ID("lead_id"),
    STR("staff_no", false, 1, PROTO_MAX_SHORT),
    CHOICE("role", false, "telesales|consultant"),
    REASON(false),
    END,
};

static const struct proto_field proto_table_f_LEAD_FOLLOWUP[] = {
    RECORD_ID("lead_id"),
    CHOICE("way", true, "phone|sms|email|visit|test_drive_invite"),
    STR("content", true, 1, PROTO_MAX_TEXT),
    STR("feedback", false, 0, PROTO_MAX_TEXT),
    GRADE(false),
    END,
};

static const struct proto_field proto_table_f_LEAD_GRADE[] = {
    RECORD_ID("lead_id"),
    GRADE(true),
    REASON(false),
    END,
};

static const struct proto_field proto_table_f_LEAD_INVALIDATE[] = {
    RECORD_ID("lead_id"),
    CHOICE("reason", true, "unreachable|duplicate|not_buying|other"),
    STR("note", false, 0, PROTO_MAX_TEXT),
    END,
};

#define proto_table_f_LEAD_MONTH_END proto_table_f_PING

static const struct proto_field proto_table_f_LEAD_GET[] = {RECORD_ID("lead_id"), END};

static const struct proto_field proto_table_f_LEAD_LIST[] = {
    CHOICE("status", false, "open|invalid|converted|lost"),
    CHOICE("grade", false, "H|A|B|F|L|O"),
    STR("owner", false, 1, PROTO_MAX_SHORT),
    BOOL("overdue", false),
    STR("q", false, 1, PROTO_MAX_ORDER_NO),
    PAGE,
    END,
};

static const struct proto_field proto_table_f_VISIT_SERVE[] = {RECORD_ID("visit_id"), END};

static const struct proto_field proto_table_f_VISIT_DEPART[] = {
    RECORD_ID("visit_id"),
    GRADE(false),
    STR("trade_in", false, 0, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_APPOINTMENT_CREATE[] = {
    INT("lead_id", false, 1, PROTO_SAFE_INT_MAX),
    STR("phone", false, 0, PROTO_MAX_PHONE_IN),
    WHEN("at", true),
    STR("note", false, 0, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_CALL_STAFF[] = {
    STR("reason", false, 0, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_CONFLICT_RULE[] = {
    RECORD_ID("conflict_id"),
    STR("winner", true, 1, PROTO_MAX_SHORT),
    REASON(true),
    END,
};

static const struct proto_field proto_table_f_CONFLICT_LIST[] = {
    CHOICE("status", false, "open|ruled"),
    PAGE,
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_OPEN[] = {
    STR("phone", true, 0, PROTO_MAX_PHONE_IN),
    STR("name", false, 0, PROTO_MAX_NAME),
    CHOICE("channel", true, "on_site|call_centre|phone|fax|email|media|letter"),
    CHOICE("kind", true, "service|product"),
    STR("summary", true, 1, PROTO_MAX_TEXT),
    STR("order_no", false, 1, PROTO_MAX_ORDER_NO),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_RESPOND[] = {
    RECORD_ID("complaint_id"),
    CHOICE("kind", true, "first_response|contact|progress"),
    STR("text", true, 1, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_VALIDITY[] = {
    RECORD_ID("complaint_id"),
    BOOL("valid", true),
    REASON(false),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_ESCALATE[] = {
    RECORD_ID("complaint_id"),
    REASON(true),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_CLOSE[] = {
    RECORD_ID("complaint_id"),
    STR("resolution", true, 1, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_SURVEY[] = {
    RECORD_ID("complaint_id"),
    INT("satisfaction", true, 1, 5),
    STR("comment", false, 0, PROTO_MAX_TEXT),
    END,
};

static const struct proto_field proto_table_f_COMPLAINT_GET[] = {RECORD_ID("complaint_id"), END};

static const struct proto_field proto_table_f_COMPLAINT_LIST[] = {
    CHOICE("status", false, "open|closed"),
    INT("level", false, 1, 3),
    PAGE,
    END,
};

#undef RECORD_ID
#undef GRADE
#undef PAGE
#undef ORDER_NO
#undef REASON
#undef PRICE
#undef MONEY
#undef WHEN
#undef PAYMENT
#undef ORDER_CHANNELS
#undef ORDER_STAGES
#undef ORDER_VEHICLE_FIELDS
#undef ORDER_CUSTOMER_FIELDS

/* board_stats: the board's figures (PROTOCOL.md "Board figures"). */
static const struct proto_field proto_table_f_BOARD_STATS[] = {END};

/* Personal data (PROTOCOL.md "Personal data"): the customer by id or by phone. "Exactly one
 * of customer_id / phone" is the hub's to check; the phone's format too (invalid_phone). */
static const struct proto_field proto_table_f_CUSTOMER_EXPORT[] = {
    INT("customer_id", false, 1, PROTO_SAFE_INT_MAX),
    STR("phone", false, 0, PROTO_MAX_PHONE_IN),
    END,
};

static const struct proto_field proto_table_f_CUSTOMER_ERASE[] = {
    INT("customer_id", false, 1, PROTO_SAFE_INT_MAX),
    STR("phone", false, 0, PROTO_MAX_PHONE_IN),
    STR("reason", true, 1, PROTO_MAX_TEXT),
    END,
};

/* Kiosk fleet (PROTOCOL.md "Kiosk fleet"). */
static const struct proto_field proto_table_f_PAIR[] = {
    STR("claim", true, PROTO_CLAIM_MIN, PROTO_CLAIM_MAX),
    STR("hostname", false, 0, PROTO_MAX_SHORT),
    STR("screen", false, 0, 32),
    STR("version", false, 0, PROTO_MAX_SHORT),
    END,
};

static const struct proto_field proto_table_f_HEARTBEAT[] = {
    INT("frames", true, 0, PROTO_SAFE_INT_MAX),
    INT("uptime_s", true, 0, PROTO_SAFE_INT_MAX),
    INT("last_frame_at", false, 0, PROTO_SAFE_INT_MAX),
    STR("screen", false, 0, 32),
    STR("version", false, 0, PROTO_MAX_SHORT),
    STR("hostname", false, 0, PROTO_MAX_SHORT),
    INT("watchdog_restarts", false, 0, PROTO_SAFE_INT_MAX),
    INT("last_watchdog_at", false, 0, PROTO_SAFE_INT_MAX),
    END,
};

static const struct proto_field proto_table_f_CONTROL_RESULT[] = {
    INT("command_id", true, 1, PROTO_SAFE_INT_MAX),
    BOOL("ok", true),
    STR("detail", false, 0, PROTO_MAX_TEXT),
    INT("part", false, 0, PROTO_SCREENSHOT_MAX / (PROTO_CHUNK_MAX / 4 * 3) + 1),
    BOOL("last", false),
    STR("data", false, 0, PROTO_CHUNK_MAX),
    END,
};

/* ---- hub -> client: the root members of each message besides type and id ---- */

static const struct proto_field proto_table_f_PAIRING[] = {
    STR("code", true, 1, PROTO_MAX_SHORT),
    INT("expires_at", true, 0, PROTO_SAFE_INT_MAX),
    END,
};

static const struct proto_field proto_table_f_PAIRED[] = {
    STR("token", true, 1, PROTO_MAX_TOKEN),
    OBJ("device", true),
    END,
};

static const struct proto_field proto_table_f_CONTROL[] = {
    INT("command_id", true, 1, PROTO_SAFE_INT_MAX),
    CHOICE("action", true, "reload|identify|restart|screenshot"),
    END,
};

static const struct proto_field proto_table_f_DEVICE_CONFIG[] = {
    OBJ("config", true),
    END,
};

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
#undef FIELDS
#undef LIST
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
                             struct proto_error *err);

/* A list: its size, then every item against f->sub, named "name[i]". The recursion follows
 * the spec (at most a few levels, fixed at compile time), never the input's depth. */
static int proto_table_list(const struct proto_field *f, const cJSON *v, const char *name,
                            struct proto_error *err)
{
    if (!cJSON_IsArray(v))
        return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must be a list", name);
    int n = cJSON_GetArraySize(v);
    if (n > f->max)
        return proto_error_set(err, PROTO_E_TOO_LONG, name, "%s has more than %lld items", name,
                               (long long)f->max);
    if (n < f->min)
        return proto_error_set(err, PROTO_E_BAD_FIELD, name, "%s must have at least %lld items",
                               name, (long long)f->min);
    if (!f->sub)
        return 0;
    char item_name[sizeof err->field + PROTO_MAX_SHORT];
    int i = 0;
    for (const cJSON *item = v->child; item; item = item->next, i++) {
        snprintf(item_name, sizeof item_name, "%s[%d]", name, i);
        if (proto_table_value(f->sub, item, item_name, err) != 0)
            return -1;
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
        if (f->fmt == PROTO_F_ERROR || f->sub) {
            char prefix[sizeof err->field];
            int len = snprintf(prefix, sizeof prefix, "%s.", name);
            if (len < 0 || (size_t)len >= sizeof prefix)
                prefix[0] = '\0'; /* a name that long cannot be reported with its prefix */
            if (f->sub)           /* nested args are as strict as the args they sit in */
                return proto_table_check(f->sub, v, true, prefix, err);
            return proto_table_check(proto_table_error_fields, v, false, prefix, err);
        }
        return 0;
    case PROTO_K_ARR:
        return proto_table_list(f, v, name, err);
    }
    return proto_error_set(err, PROTO_E_INTERNAL, name, "bad field spec for %s", name);
}

#define PROTO_TABLE_MAX_FIELDS 32

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
        /* every member of every command goes through here: no snprintf unless cut */
        size_t plen = strlen(prefix), klen = strlen(key);
        if (plen + klen < sizeof name) {
            memcpy(name, prefix, plen);
            memcpy(name + plen, key, klen + 1);
        } else {
            snprintf(name, sizeof name, "%s%s", prefix, key);
            proto_utf8_trim(name); /* a long hostile key may have been cut mid-character */
        }
        if (i == nfields) {
            if (!strict)
                continue;
            /* Frames are UTF-8-checked before parsing, but args built from elsewhere (the HTTP
             * API's query parameters) need not be: an error must never echo invalid text. */
            if (!proto_utf8_valid(key, strlen(key)))
                return proto_error_set(err, PROTO_E_UNKNOWN_FIELD, NULL,
                                       "a member name is not valid UTF-8");
            return proto_error_set(err, PROTO_E_UNKNOWN_FIELD, name, "unknown field \"%s\"", name);
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

/* `showfloor order <verb>` over the hub's HTTP API: a table of verbs (the request type, the
 * order-number argument, the options and how each becomes an arg), checked locally with the
 * protocol library's rules, then one login, one request with a fresh command id, logout. */
#include "cmd_api.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "proto.h"

#define CMD_API_EXIT_OK    0
#define CMD_API_EXIT_FAIL  1
#define CMD_API_EXIT_USAGE 2
/* Times typed without a zone are China Standard Time, the showrooms' zone. */
#define CMD_API_DEFAULT_OFFSET_MIN 480
#define CMD_API_MAX_OPTS           24
#define CMD_API_QUERY_MAX          1024

enum cmd_api_kind {
    CMD_API_STR,     /* --flag TEXT -> "arg": "TEXT" */
    CMD_API_INT,     /* --flag N -> "arg": N */
    CMD_API_TIME,    /* --flag "2026-11-25 14:30" -> "arg": UTC ms */
    CMD_API_TRUE,    /* --flag -> "arg": true */
    CMD_API_FALSE,   /* --flag -> "arg": false */
    CMD_API_LIST,    /* --flag X (repeatable) -> "arg": ["X", ...] */
    CMD_API_BOOLSET, /* --flag a,b -> "arg": {each of `set`: whether listed} */
    CMD_API_JSON,    /* --flag JSON or @FILE -> "arg": the value */
    CMD_API_CHANGE,  /* --set field=value (repeatable) -> "arg": {field: typed value} */
};

struct cmd_api_opt {
    const char *flag; /* without "--" */
    const char *arg;  /* the request arg it fills */
    enum cmd_api_kind kind;
    const char *set; /* CMD_API_BOOLSET: the names, comma-separated */
};

enum cmd_api_how { CMD_API_COMMAND, CMD_API_GET_ONE, CMD_API_GET_LIST };

struct cmd_api_verb {
    const char *verb;
    const char *type; /* wire type */
    enum cmd_api_how how;
    bool order_no;        /* takes the order number as its first word */
    const char *defaults; /* JSON object of args filled in unless an option sets them */
    const char *usage;
    struct cmd_api_opt opts[CMD_API_MAX_OPTS];
};

#define CUSTOMER_OPTS                                                                          \
    {"customer", "customer_name", CMD_API_STR, NULL}, {"gender", "gender", CMD_API_STR, NULL}, \
        {"kind", "customer_kind", CMD_API_STR, NULL},                                          \
        {"company-address", "company_address", CMD_API_STR, NULL},                             \
        {"legal-rep", "legal_rep", CMD_API_STR, NULL},                                         \
        {"business-scope", "business_scope", CMD_API_STR, NULL},                               \
        {"contact-name", "contact_name", CMD_API_STR, NULL},                                   \
        {"credit-rating", "credit_rating", CMD_API_STR, NULL},                                 \
    {                                                                                          \
        "credit-limit-fen", "credit_limit_fen", CMD_API_INT, NULL                              \
    }
#define VEHICLE_OPTS                                                                          \
    {"model", "model", CMD_API_STR, NULL}, {"config", "config", CMD_API_STR, NULL},           \
        {"colour", "colour", CMD_API_STR, NULL}, {"quantity", "quantity", CMD_API_INT, NULL}, \
        {"unit-price-fen", "unit_price_fen", CMD_API_INT, NULL},                              \
        {"payment", "payment", CMD_API_STR, NULL},                                            \
        {"expected-delivery", "expected_delivery_at", CMD_API_TIME, NULL},                    \
        {"delivery-place", "delivery_place", CMD_API_STR, NULL},                              \
        {"special-requests", "special_requests", CMD_API_STR, NULL},                          \
        {"remarks", "remarks", CMD_API_STR, NULL}, {"channel", "channel", CMD_API_STR, NULL}, \
    {                                                                                         \
        "received-at", "received_at", CMD_API_TIME, NULL                                      \
    }
#define DECIDE_OPTS                                                                         \
    {"approve", "approve", CMD_API_TRUE, NULL}, {"reject", "approve", CMD_API_FALSE, NULL}, \
    {                                                                                       \
        "reason", "reason", CMD_API_STR, NULL                                               \
    }

static const struct cmd_api_verb cmd_api_verbs[] = {
    {"create",
     "order_create",
     CMD_API_COMMAND,
     false,
     NULL,
     "create --phone P --customer NAME --model M --colour C --quantity N --unit-price-fen F\n"
     "          --payment full|loan --channel consultant|online|phone|showroom [--gender G]\n"
     "          [--kind individual|company --company-address A --legal-rep R --credit-rating "
     "A..D\n"
     "          --credit-limit-fen F ...] [--config C] [--expected-delivery T] [--remarks R]",
     {{"phone", "phone", CMD_API_STR, NULL}, CUSTOMER_OPTS, VEHICLE_OPTS}},
    {"review",
     "order_review",
     CMD_API_COMMAND,
     true,
     NULL,
     "review NO --pass [--condition guarantee|larger_down_payment|shorter_term]... | --fail "
     "--reason R",
     {{"pass", "pass", CMD_API_TRUE, NULL},
      {"fail", "pass", CMD_API_FALSE, NULL},
      {"reason", "reason", CMD_API_STR, NULL},
      {"condition", "conditions", CMD_API_LIST, NULL}}},
    {"approve",
     "order_approve",
     CMD_API_COMMAND,
     true,
     NULL,
     "approve NO --approve | --reject --reason R",
     {DECIDE_OPTS}},
    {"edit",
     "order_edit",
     CMD_API_COMMAND,
     true,
     NULL,
     "edit NO [any option of create but --phone]",
     {CUSTOMER_OPTS, VEHICLE_OPTS}},
    {"resubmit", "order_resubmit", CMD_API_COMMAND, true, NULL, "resubmit NO", {{0}}},
    {"allocate",
     "order_allocate",
     CMD_API_COMMAND,
     true,
     NULL,
     "allocate NO --vin VIN | --factory-eta T",
     {{"vin", "vin", CMD_API_STR, NULL}, {"factory-eta", "factory_eta", CMD_API_TIME, NULL}}},
    {"arrived",
     "vehicle_arrived",
     CMD_API_COMMAND,
     true,
     NULL,
     "arrived NO --vin VIN",
     {{"vin", "vin", CMD_API_STR, NULL}}},
    {"prep",
     "vehicle_prep",
     CMD_API_COMMAND,
     true,
     NULL,
     "prep NO --step cleaning|inspection|maintenance",
     {{"step", "step", CMD_API_STR, NULL}}},
    {"eta",
     "order_eta",
     CMD_API_COMMAND,
     true,
     NULL,
     "eta NO --eta T --reason R",
     {{"eta", "eta", CMD_API_TIME, NULL}, {"reason", "reason", CMD_API_STR, NULL}}},
    {"pay",
     "payment_confirm",
     CMD_API_COMMAND,
     true,
     NULL,
     "pay NO --amount-fen F --kind deposit|balance|down_payment|loan_disbursement --reference R",
     {{"amount-fen", "amount_fen", CMD_API_INT, NULL},
      {"kind", "kind", CMD_API_STR, NULL},
      {"reference", "reference", CMD_API_STR, NULL}}},
    {"invoice",
     "invoice_issue",
     CMD_API_COMMAND,
     true,
     NULL,
     "invoice NO --invoice-no X",
     {{"invoice-no", "invoice_no", CMD_API_STR, NULL}}},
    {"loan",
     "loan_step",
     CMD_API_COMMAND,
     true,
     NULL,
     "loan NO --step documents|bank_approved|contract_signed",
     {{"step", "step", CMD_API_STR, NULL}}},
    {"ready",
     "order_ready",
     CMD_API_COMMAND,
     true,
     "{\"documents\":{\"invoice\":true,\"coc\":true,\"warranty\":true}}",
     "ready NO --at T --place P [--documents invoice,coc,warranty (default: all prepared)]",
     {{"at", "delivery_at", CMD_API_TIME, NULL},
      {"place", "delivery_place", CMD_API_STR, NULL},
      {"documents", "documents", CMD_API_BOOLSET, "invoice,coc,warranty"}}},
    {"deliver",
     "order_deliver",
     CMD_API_COMMAND,
     true,
     "{\"checklist\":{\"vehicle_clean\":true,\"invoice\":true,\"coc\":true,\"warranty\":true,"
     "\"keys\":true,\"accessories\":true,\"explained\":true}}",
     "deliver NO --signature JSON|@FILE [--checklist ITEMS (default: all done)] [--rating 1..5]"
     " [--comment C]",
     {{"signature", "signature", CMD_API_JSON, NULL},
      {"checklist", "checklist", CMD_API_BOOLSET,
       "vehicle_clean,invoice,coc,warranty,keys,accessories,explained"},
      {"rating", "rating", CMD_API_INT, NULL},
      {"comment", "comment", CMD_API_STR, NULL}}},
    {"close", "order_close", CMD_API_COMMAND, true, NULL, "close NO", {{0}}},
    {"change",
     "order_change_request",
     CMD_API_COMMAND,
     true,
     NULL,
     "change NO --set FIELD=VALUE... --reason R",
     {{"set", "changes", CMD_API_CHANGE, NULL}, {"reason", "reason", CMD_API_STR, NULL}}},
    {"change-review",
     "order_change_review",
     CMD_API_COMMAND,
     true,
     NULL,
     "change-review NO --approve | --reject [--reason R]",
     {DECIDE_OPTS}},
    {"cancel",
     "order_cancel_request",
     CMD_API_COMMAND,
     true,
     NULL,
     "cancel NO --reason R",
     {{"reason", "reason", CMD_API_STR, NULL}}},
    {"cancel-review",
     "order_cancel_review",
     CMD_API_COMMAND,
     true,
     NULL,
     "cancel-review NO --approve [--needs-manager] | --reject [--reason R]",
     {DECIDE_OPTS, {"needs-manager", "needs_manager", CMD_API_TRUE, NULL}}},
    {"cancel-approve",
     "order_cancel_approve",
     CMD_API_COMMAND,
     true,
     NULL,
     "cancel-approve NO --approve | --reject [--reason R]",
     {DECIDE_OPTS}},
    {"refund",
     "refund_confirm",
     CMD_API_COMMAND,
     true,
     NULL,
     "refund NO --amount-fen F --reference R",
     {{"amount-fen", "amount_fen", CMD_API_INT, NULL},
      {"reference", "reference", CMD_API_STR, NULL}}},
    {"note",
     "order_note",
     CMD_API_COMMAND,
     true,
     NULL,
     "note NO --way phone|email|face_to_face|sms|wechat --summary S [--customer-visible]",
     {{"way", "way", CMD_API_STR, NULL},
      {"summary", "summary", CMD_API_STR, NULL},
      {"customer-visible", "customer_visible", CMD_API_TRUE, NULL}}},
    {"get", "order_get", CMD_API_GET_ONE, true, NULL, "get NO", {{0}}},
    {"list",
     "order_list",
     CMD_API_GET_LIST,
     false,
     NULL,
     "list [--stage S] [--consultant STAFF_NO] [--q NO_OR_PHONE_TAIL] [--limit N] [--offset N]",
     {{"stage", "stage", CMD_API_STR, NULL},
      {"consultant", "consultant", CMD_API_STR, NULL},
      {"q", "q", CMD_API_STR, NULL},
      {"limit", "limit", CMD_API_INT, NULL},
      {"offset", "offset", CMD_API_INT, NULL}}},
};
#define CMD_API_N_VERBS (sizeof cmd_api_verbs / sizeof cmd_api_verbs[0])

/* The fields an order change may touch and how their values are typed. */
static const struct {
    const char *field;
    enum cmd_api_kind kind;
} cmd_api_change_fields[] = {
    {"model", CMD_API_STR},
    {"config", CMD_API_STR},
    {"colour", CMD_API_STR},
    {"quantity", CMD_API_INT},
    {"unit_price_fen", CMD_API_INT},
    {"payment", CMD_API_STR},
    {"expected_delivery_at", CMD_API_TIME},
    {"delivery_place", CMD_API_STR},
    {"special_requests", CMD_API_STR},
    {"remarks", CMD_API_STR},
};

int cmd_api_order_is_remote(const char *verb)
{
    return verb && strcmp(verb, "add") != 0;
}

void cmd_api_order_usage(FILE *f)
{
    for (size_t i = 0; i < CMD_API_N_VERBS; i++)
        fprintf(f, "  order %s\n", cmd_api_verbs[i].usage);
    fprintf(f, "        every order verb but add also takes [--json] (print the raw answer),\n"
               "        commands [--id ID] (repeat a command idempotently). Times: ms, or\n"
               "        \"YYYY-MM-DD[ HH:MM[:SS]]\" in UTC+8 unless it ends in Z or +HH:MM.\n");
}

static int cmd_api_usage(const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "showfloor order VERB: <message>" and returns the usage exit status. */
static int cmd_api_usage(const char *verb, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "showfloor order %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    return CMD_API_EXIT_USAGE;
}

/* ---- values ---- */

static int cmd_api_parse_int(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end)
        return -1;
    *out = v;
    return 0;
}

/* "1764050000000" (ms), or "YYYY-MM-DD[( |T)HH:MM[:SS]][Z|(+|-)HH:MM]". */
static int cmd_api_parse_time(const char *text, int64_t *out)
{
    size_t n = strlen(text);
    if (n >= 12 && strspn(text, "0123456789") == n)
        return cmd_api_parse_int(text, out);
    int y, mo, d, h = 0, mi = 0, s = 0, used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
        return -1;
    const char *p = text + used;
    if (*p == ' ' || *p == 'T') {
        int u2 = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &u2) != 2 || u2 != 5)
            return -1;
        p += 1 + u2;
        if (*p == ':') {
            if (sscanf(p + 1, "%2d%n", &s, &u2) != 1 || u2 != 2)
                return -1;
            p += 3;
        }
    }
    int offset = CMD_API_DEFAULT_OFFSET_MIN;
    if (*p == 'Z') {
        offset = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, u3 = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &u3) != 2 || u3 != 5)
            return -1;
        offset = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        p += 1 + u3;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = s};
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d)
        return -1;
    *out = ((int64_t)t - (int64_t)offset * 60) * 1000;
    return 0;
}

/* A JSON value given inline or as @FILE. Caller frees; NULL if unreadable or not JSON. */
static cJSON *cmd_api_read_json(const char *text)
{
    if (text[0] != '@')
        return cJSON_Parse(text);
    FILE *f = fopen(text + 1, "r");
    if (!f)
        return NULL;
    char *buf = malloc(PROTO_MAX_FRAME_IN + 1);
    size_t n = buf ? fread(buf, 1, PROTO_MAX_FRAME_IN, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    cJSON *v = cJSON_Parse(buf);
    free(buf);
    return v;
}

/* The value of one option occurrence, typed by kind; NULL (after a message) if malformed. */
static cJSON *cmd_api_value(const char *verb, const char *flag, enum cmd_api_kind kind,
                            const char *text)
{
    int64_t v;
    switch (kind) {
    case CMD_API_INT:
        if (cmd_api_parse_int(text, &v) == 0)
            return cJSON_CreateNumber((double)v);
        cmd_api_usage(verb, "--%s needs a whole number", flag);
        return NULL;
    case CMD_API_TIME:
        if (cmd_api_parse_time(text, &v) == 0)
            return cJSON_CreateNumber((double)v);
        cmd_api_usage(verb, "--%s needs a time: ms or \"YYYY-MM-DD HH:MM\" (UTC+8)", flag);
        return NULL;
    case CMD_API_JSON: {
        cJSON *j = cmd_api_read_json(text);
        if (!j)
            cmd_api_usage(verb, "--%s needs JSON or @FILE holding JSON", flag);
        return j;
    }
    default:
        return cJSON_CreateString(text);
    }
}

static int cmd_api_boolset(const char *verb, const struct cmd_api_opt *o, const char *text,
                           cJSON *args)
{
    cJSON *set = cJSON_CreateObject();
    char names[256];
    snprintf(names, sizeof names, "%s", o->set);
    for (char *save = NULL, *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save))
        cJSON_AddBoolToObject(set, n, 0);
    char given[512];
    snprintf(given, sizeof given, "%s", text);
    for (char *save = NULL, *g = strtok_r(given, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
        cJSON *item = cJSON_GetObjectItemCaseSensitive(set, g);
        if (!item) {
            cJSON_Delete(set);
            fprintf(stderr, "showfloor order %s: --%s takes names from %s, not '%s'\n", verb,
                    o->flag, o->set, g);
            return CMD_API_EXIT_USAGE;
        }
        cJSON_ReplaceItemInObjectCaseSensitive(set, g, cJSON_CreateTrue());
    }
    cJSON_DeleteItemFromObjectCaseSensitive(args, o->arg);
    cJSON_AddItemToObject(args, o->arg, set);
    return 0;
}

static int cmd_api_change(const char *verb, const char *text, cJSON *args)
{
    char field[64];
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof field)
        return cmd_api_usage(verb, "--set needs FIELD=VALUE, not '%s'", text);
    memcpy(field, text, (size_t)(eq - text));
    field[eq - text] = '\0';
    for (size_t i = 0; i < sizeof cmd_api_change_fields / sizeof cmd_api_change_fields[0]; i++) {
        if (strcmp(field, cmd_api_change_fields[i].field) != 0)
            continue;
        cJSON *v = cmd_api_value(verb, "set", cmd_api_change_fields[i].kind, eq + 1);
        if (!v)
            return CMD_API_EXIT_USAGE;
        cJSON *changes = cJSON_GetObjectItemCaseSensitive(args, "changes");
        if (!changes)
            changes = cJSON_AddObjectToObject(args, "changes");
        if (cJSON_GetObjectItemCaseSensitive(changes, field)) {
            cJSON_Delete(v);
            return cmd_api_usage(verb, "--set %s is given twice", field);
        }
        cJSON_AddItemToObject(changes, field, v);
        return 0;
    }
    return cmd_api_usage(verb,
                         "--set can change model, config, colour, quantity, unit_price_fen, "
                         "payment, expected_delivery_at, delivery_place, special_requests or "
                         "remarks, not '%s'",
                         field);
}

/* ---- parsing a verb's words ---- */

struct cmd_api_call {
    const struct cmd_api_verb *v;
    cJSON *args;
    const char *order_no;
    const char *id; /* --id, NULL for a fresh one */
    bool json;
};

static const struct cmd_api_opt *cmd_api_find_opt(const struct cmd_api_verb *v, const char *f)
{
    for (size_t i = 0; i < CMD_API_MAX_OPTS && v->opts[i].flag; i++)
        if (strcmp(v->opts[i].flag, f) == 0)
            return &v->opts[i];
    return NULL;
}

static int cmd_api_parse(struct cmd_api_call *call, int argc, char **argv)
{
    const struct cmd_api_verb *v = call->v;
    int i = 1;
    if (v->order_no) {
        if (argc < 2 || strncmp(argv[1], "--", 2) == 0)
            return cmd_api_usage(v->verb, "give the order number first: order %s", v->usage);
        call->order_no = argv[1];
        cJSON_AddStringToObject(call->args, "order_no", argv[1]);
        i = 2;
    }
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0)
            return cmd_api_usage(v->verb, "unexpected word '%s'", a);
        a += 2;
        if (strcmp(a, "json") == 0) {
            call->json = true;
            continue;
        }
        if (strcmp(a, "id") == 0 && v->how == CMD_API_COMMAND) {
            if (i + 1 >= argc)
                return cmd_api_usage(v->verb, "--%s needs a value", a);
            call->id = argv[++i];
            if (!proto_id_valid(call->id))
                return cmd_api_usage(v->verb, "--id must be 1..64 of A-Z a-z 0-9 . _ : -, not '%s'",
                                     call->id);
            continue;
        }
        const struct cmd_api_opt *o = cmd_api_find_opt(v, a);
        if (!o)
            return cmd_api_usage(v->verb, "unknown option --%s", a);
        if (o->kind == CMD_API_TRUE || o->kind == CMD_API_FALSE) {
            cJSON *had = cJSON_GetObjectItemCaseSensitive(call->args, o->arg);
            if (had && cJSON_IsTrue(had) != (o->kind == CMD_API_TRUE))
                return cmd_api_usage(v->verb, "--%s contradicts an earlier option", a);
            if (!had)
                cJSON_AddBoolToObject(call->args, o->arg, o->kind == CMD_API_TRUE);
            continue;
        }
        if (i + 1 >= argc)
            return cmd_api_usage(v->verb, "--%s needs a value", a);
        const char *text = argv[++i];
        int rc = 0;
        if (o->kind == CMD_API_BOOLSET) {
            rc = cmd_api_boolset(v->verb, o, text, call->args);
        } else if (o->kind == CMD_API_CHANGE) {
            rc = cmd_api_change(v->verb, text, call->args);
        } else if (o->kind == CMD_API_LIST) {
            cJSON *list = cJSON_GetObjectItemCaseSensitive(call->args, o->arg);
            if (!list)
                list = cJSON_AddArrayToObject(call->args, o->arg);
            cJSON_AddItemToArray(list, cJSON_CreateString(text));
        } else {
            if (cJSON_GetObjectItemCaseSensitive(call->args, o->arg))
                return cmd_api_usage(v->verb, "--%s is given twice", a);
            cJSON *val = cmd_api_value(v->verb, a, o->kind, text);
            if (!val)
                return CMD_API_EXIT_USAGE;
            cJSON_AddItemToObject(call->args, o->arg, val);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* The protocol's own rules, before anything is sent: a request the hub would refuse as
 * malformed is a usage error here, named by its option. */
static int cmd_api_check(const struct cmd_api_call *call, enum proto_type t)
{
    struct proto_error err;
    if (proto_validate_args(t, call->args, &err) == 0)
        return 0;
    const char *flag = NULL;
    for (size_t i = 0; i < CMD_API_MAX_OPTS && call->v->opts[i].flag; i++)
        if (strncmp(err.field, call->v->opts[i].arg, strlen(call->v->opts[i].arg)) == 0 &&
            (err.field[strlen(call->v->opts[i].arg)] == '\0' ||
             err.field[strlen(call->v->opts[i].arg)] == '.' ||
             err.field[strlen(call->v->opts[i].arg)] == '['))
            flag = call->v->opts[i].flag;
    fprintf(stderr, "showfloor order %s: %s%s%s: %s (%s)\n", call->v->verb, flag ? "--" : "",
            flag ? flag : err.field, "", err.message, proto_error_code(err.code));
    return CMD_API_EXIT_USAGE;
}

/* ---- talking to the hub ---- */

static int cmd_api_transport(enum api_client_rc rc, const char *err)
{
    fprintf(stderr, "showfloor: %s\n", err);
    if (rc == API_CLIENT_UNREACHABLE)
        return API_CLIENT_EXIT_UNREACHABLE;
    return rc == API_CLIENT_USAGE ? CMD_API_EXIT_USAGE : CMD_API_EXIT_FAIL;
}

/* Prints a refusal: "showfloor order review: invalid_state: ... (field x)". */
static int cmd_api_refused(const char *verb, long status, const char *resp)
{
    cJSON *r = cJSON_Parse(resp);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
    const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field"));
    if (code)
        fprintf(stderr, "showfloor order %s: %s: %s%s%s%s\n", verb, code, msg ? msg : "",
                field ? " (field " : "", field ? field : "", field ? ")" : "");
    else
        fprintf(stderr, "showfloor order %s: the hub answered HTTP %ld\n", verb, status);
    cJSON_Delete(r);
    return CMD_API_EXIT_FAIL;
}

static void cmd_api_new_id(char out[40])
{
    unsigned char raw[8];
    char hex[sizeof raw * 2 + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(out, 40, "cli-%s", hex);
}

/* The path of a GET shorthand: /api/v1/orders/NO or /api/v1/orders?name=value&... */
static int cmd_api_get_path(struct api_client *c, const struct cmd_api_call *call, char *out,
                            size_t outsz)
{
    if (call->v->how == CMD_API_GET_ONE) {
        snprintf(out, outsz, "/api/v1/orders/");
        return api_client_escape(c, call->order_no, out, outsz);
    }
    snprintf(out, outsz, "/api/v1/orders");
    char sep = '?';
    for (const cJSON *a = call->args->child; a; a = a->next) {
        char num[32];
        const char *val = cJSON_IsString(a) ? a->valuestring : num;
        snprintf(num, sizeof num, "%lld", (long long)a->valuedouble);
        size_t n = strlen(out);
        if (snprintf(out + n, outsz - n, "%c%s=", sep, a->string) >= (int)(outsz - n) ||
            api_client_escape(c, val, out, outsz) != 0)
            return -1;
        sep = '&';
    }
    return 0;
}

static int cmd_api_send(struct api_client *c, const struct cmd_api_call *call, enum proto_type t)
{
    char err[512], id[40], path[CMD_API_QUERY_MAX];
    long status;
    char *resp = NULL, *body = NULL;
    int exit_code;
    enum api_client_rc rc;
    if (call->v->how == CMD_API_COMMAND) {
        if (call->id)
            snprintf(id, sizeof id, "%s", call->id);
        else
            cmd_api_new_id(id);
        body = proto_encode_request(id, t, call->args);
        if (!body) {
            fprintf(stderr, "showfloor order %s: the request could not be encoded\n",
                    call->v->verb);
            return CMD_API_EXIT_FAIL;
        }
        fprintf(stderr, "command id %s (to retry this exact command: --id %s)\n", id, id);
        rc = api_client_call(c, "POST", "/api/v1/requests", body, &status, &resp, err, sizeof err);
    } else {
        if (cmd_api_get_path(c, call, path, sizeof path) != 0) {
            fprintf(stderr, "showfloor order %s: the query is too long\n", call->v->verb);
            return CMD_API_EXIT_USAGE;
        }
        rc = api_client_call(c, "GET", path, NULL, &status, &resp, err, sizeof err);
    }
    free(body);
    if (rc != API_CLIENT_OK)
        return cmd_api_transport(rc, err);
    if (status != 200) {
        exit_code = cmd_api_refused(call->v->verb, status, resp);
        free(resp);
        return exit_code;
    }
    if (call->json) {
        printf("%s\n", resp);
    } else {
        cJSON *r = cJSON_Parse(resp);
        const cJSON *data =
            call->v->how == CMD_API_COMMAND ? cJSON_GetObjectItemCaseSensitive(r, "data") : r;
        cmd_api_print_data(data);
        cJSON_Delete(r);
    }
    free(resp);
    return CMD_API_EXIT_OK;
}

int cmd_api_order(const struct api_client_opts *o, int argc, char **argv)
{
    const struct cmd_api_verb *v = NULL;
    for (size_t i = 0; argc > 0 && i < CMD_API_N_VERBS; i++)
        if (strcmp(argv[0], cmd_api_verbs[i].verb) == 0)
            v = &cmd_api_verbs[i];
    if (!v) {
        fprintf(stderr, "showfloor order: unknown verb '%s'; the verbs are:\n",
                argc > 0 ? argv[0] : "");
        cmd_api_order_usage(stderr);
        return CMD_API_EXIT_USAGE;
    }
    int t = proto_type_from_name(v->type, PROTO_DIR_C2H);
    if (t < 0) {
        fprintf(stderr, "showfloor order %s: this build does not know %s\n", v->verb, v->type);
        return CMD_API_EXIT_FAIL;
    }
    struct cmd_api_call call = {.v = v, .args = cJSON_CreateObject()};
    cJSON *defaults = v->defaults ? cJSON_Parse(v->defaults) : NULL;
    int rc = call.args ? cmd_api_parse(&call, argc, argv) : CMD_API_EXIT_FAIL;
    /* defaults fill only what no option set */
    for (cJSON *d = defaults ? defaults->child : NULL; rc == 0 && d; d = d->next)
        if (!cJSON_GetObjectItemCaseSensitive(call.args, d->string))
            cJSON_AddItemToObject(call.args, d->string, cJSON_Duplicate(d, 1));
    cJSON_Delete(defaults);
    if (rc == 0)
        rc = cmd_api_check(&call, (enum proto_type)t);
    if (rc != 0) {
        cJSON_Delete(call.args);
        return rc;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "showfloor: libsodium could not start\n");
        cJSON_Delete(call.args);
        return CMD_API_EXIT_FAIL;
    }
    char err[512];
    struct api_client *c = NULL;
    enum api_client_rc crc = api_client_open(&c, o, err, sizeof err);
    if (crc != API_CLIENT_OK) {
        cJSON_Delete(call.args);
        return cmd_api_transport(crc, err);
    }
    long status;
    char *resp = NULL;
    crc = api_client_login(c, &status, &resp, err, sizeof err);
    if (crc == API_CLIENT_OK)
        rc = cmd_api_send(c, &call, (enum proto_type)t);
    else if (resp)
        rc = cmd_api_refused(v->verb, status, resp);
    else
        rc = cmd_api_transport(crc, err);
    free(resp);
    api_client_logout(c);
    api_client_close(c);
    cJSON_Delete(call.args);
    return rc;
}

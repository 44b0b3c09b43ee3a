/* Encoders: build each message with cJSON and print it with proto_print (exact integers,
 * limits enforced). Every frame is also put through the decoder's raw-byte scan before it
 * is returned, so what we send is always what we accept. */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

/* Integers outside +-(2^53 - 1) would not survive a double, so they are refused. */
static int proto_encode_int(cJSON *obj, const char *name, int64_t v)
{
    if (v > PROTO_SAFE_INT_MAX || v < -PROTO_SAFE_INT_MAX)
        return -1;
    return cJSON_AddNumberToObject(obj, name, (double)v) ? 0 : -1;
}

static int proto_encode_str(cJSON *obj, const char *name, const char *s)
{
    return s && cJSON_AddStringToObject(obj, name, s) ? 0 : -1;
}

/* Adds a borrowed object by reference: no copy, and deleting the frame leaves it alone.
 * NULL means an empty object. */
static int proto_encode_ref(cJSON *obj, const char *name, const cJSON *payload)
{
    if (!payload)
        return cJSON_AddObjectToObject(obj, name) ? 0 : -1;
    if (!cJSON_IsObject(payload))
        return -1;
    /* cJSON's API is not const-correct; printing does not modify the referenced item. */
    return cJSON_AddItemReferenceToObject(obj, name, (cJSON *)payload) ? 0 : -1;
}

/* A string the decoder bounds to 1..PROTO_MAX_SHORT bytes (hub_id, version, kind). */
static int proto_encode_short(cJSON *obj, const char *name, const char *s)
{
    if (!s || !s[0] || strlen(s) > PROTO_MAX_SHORT)
        return -1;
    return proto_encode_str(obj, name, s);
}

static cJSON *proto_encode_start(enum proto_type type)
{
    cJSON *root = cJSON_CreateObject();
    if (root && !cJSON_AddStringToObject(root, "type", proto_type_name(type))) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Prints and frees root (NULL allowed: an earlier step failed). Returns NULL unless the
 * printed frame passes the decoder's raw checks for `dir`. */
static char *proto_encode_finish(cJSON *root, enum proto_dir dir)
{
    if (!root)
        return NULL;
    char *s = proto_print(root, dir == PROTO_DIR_H2C ? PROTO_MAX_FRAME_OUT : PROTO_MAX_FRAME_IN);
    cJSON_Delete(root);
#ifndef NDEBUG
    /* proto_print enforces these rules as it writes; the debug build (the tests) checks every
     * frame against the decoder's own scan, which in a release build was a twentieth of the
     * hub's time per check-in for nothing */
    if (s && proto_scan_frame(s, strlen(s), dir, NULL) != 0) {
        free(s);
        return NULL;
    }
#endif
    return s;
}

static cJSON *proto_encode_fail(cJSON *root)
{
    cJSON_Delete(root);
    return NULL;
}

/* {"code","message","field"?}; field only when non-empty. */
static int proto_encode_error_obj(cJSON *obj, const struct proto_error *err)
{
    if (!err)
        return -1;
    cJSON *e = cJSON_AddObjectToObject(obj, "error");
    if (!e)
        return -1;
    const char *msg = err->message[0] ? err->message : proto_error_default_message(err->code);
    if (proto_encode_str(e, "code", proto_error_code(err->code)) != 0 ||
        proto_encode_str(e, "message", msg) != 0)
        return -1;
    if (err->field[0] && proto_encode_str(e, "field", err->field) != 0)
        return -1;
    return 0;
}

char *proto_encode_hello(const char *hub_version, const char *hub_id, int64_t now)
{
    cJSON *root = proto_encode_start(PROTO_T_HELLO);
    if (root && (proto_encode_str(root, "hub", "showfloor-hub") != 0 || now < 0 ||
                 proto_encode_short(root, "version", hub_version) != 0 ||
                 proto_encode_int(root, "protocol", PROTO_VERSION) != 0 ||
                 proto_encode_short(root, "hub_id", hub_id) != 0 ||
                 proto_encode_int(root, "now", now) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_auth(const char *token, const char *client)
{
    cJSON *root = proto_encode_start(PROTO_T_AUTH);
    cJSON *args = root ? cJSON_AddObjectToObject(root, "args") : NULL;
    if (!args || proto_encode_str(args, "token", token) != 0 ||
        (client && proto_encode_str(args, "client", client) != 0) ||
        proto_validate_args(PROTO_T_AUTH, args, NULL) != 0)
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_C2H);
}

char *proto_encode_auth_ok(const cJSON *device, int64_t now)
{
    cJSON *root = proto_encode_start(PROTO_T_AUTH_OK);
    if (root && (!device || now < 0 || proto_encode_ref(root, "device", device) != 0 ||
                 proto_encode_int(root, "now", now) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_auth_failed(const struct proto_error *err)
{
    cJSON *root = proto_encode_start(PROTO_T_AUTH_FAILED);
    if (root && proto_encode_error_obj(root, err) != 0)
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_request(const char *id, enum proto_type type, const cJSON *args)
{
    const struct proto_row *row = proto_table_row(type);
    if (!row || row->dir != PROTO_DIR_C2H || proto_validate_args(type, args, NULL) != 0)
        return NULL;
    if (row->needs_id && !proto_id_valid(id))
        return NULL;
    cJSON *root = proto_encode_start(type);
    if (root && ((row->needs_id && proto_encode_str(root, "id", id) != 0) ||
                 proto_encode_ref(root, "args", args) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_C2H);
}

/* A result's id: the request's, or null when the request's id could not be read. */
static int proto_encode_result_id(cJSON *root, const char *id)
{
    if (!id || !id[0])
        return cJSON_AddNullToObject(root, "id") ? 0 : -1;
    return proto_id_valid(id) ? proto_encode_str(root, "id", id) : -1;
}

char *proto_encode_result_ok(const char *id, const cJSON *data)
{
    cJSON *root = proto_encode_start(PROTO_T_RESULT);
    if (root && (proto_encode_result_id(root, id) != 0 || !cJSON_AddTrueToObject(root, "ok") ||
                 proto_encode_ref(root, "data", data) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_result_ok_text(const char *id, const char *data_json)
{
    static const char key[] = ",\"data\":";
    cJSON *root = proto_encode_start(PROTO_T_RESULT);
    if (root && (proto_encode_result_id(root, id) != 0 || !cJSON_AddTrueToObject(root, "ok")))
        root = proto_encode_fail(root);
    char *head = root ? proto_print(root, PROTO_MAX_FRAME_OUT) : NULL;
    cJSON_Delete(root);
    size_t hl = head ? strlen(head) : 0, dl = data_json ? strlen(data_json) : 0;
    /* the head's closing brace gives way to the data member */
    size_t n = hl - 1 + sizeof key - 1 + dl + 1;
    char *out = head && data_json && n <= PROTO_MAX_FRAME_OUT ? realloc(head, n + 1) : NULL;
    if (!out) {
        free(head);
        return NULL;
    }
    memcpy(out + hl - 1, key, sizeof key - 1);
    memcpy(out + hl - 1 + sizeof key - 1, data_json, dl);
    out[n - 1] = '}';
    out[n] = '\0';
#ifndef NDEBUG
    if (proto_scan_frame(out, n, PROTO_DIR_H2C, NULL) != 0) {
        free(out);
        return NULL;
    }
#endif
    return out;
}

char *proto_encode_result_err(const char *id, const struct proto_error *err)
{
    cJSON *root = proto_encode_start(PROTO_T_RESULT);
    if (root && (proto_encode_result_id(root, id) != 0 || !cJSON_AddFalseToObject(root, "ok") ||
                 proto_encode_error_obj(root, err) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_snapshot(int64_t seq, const cJSON *state)
{
    cJSON *root = proto_encode_start(PROTO_T_SNAPSHOT);
    if (root && (seq < 0 || proto_encode_int(root, "seq", seq) != 0 ||
                 proto_encode_ref(root, "state", state) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_event(int64_t seq, const char *kind, int64_t at, const cJSON *data)
{
    cJSON *root = proto_encode_start(PROTO_T_EVENT);
    if (root &&
        (seq < 0 || at < 0 || proto_encode_int(root, "seq", seq) != 0 ||
         proto_encode_short(root, "kind", kind) != 0 || proto_encode_int(root, "at", at) != 0 ||
         proto_encode_ref(root, "data", data) != 0))
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_closing(const struct proto_error *err)
{
    cJSON *root = proto_encode_start(PROTO_T_CLOSING);
    if (root && proto_encode_error_obj(root, err) != 0)
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

char *proto_encode_push(enum proto_type type, const cJSON *members)
{
    if (type != PROTO_T_PAIRING && type != PROTO_T_PAIRED && type != PROTO_T_CONTROL &&
        type != PROTO_T_DEVICE_CONFIG)
        return NULL;
    if (!cJSON_IsObject(members))
        return NULL;
    cJSON *root = proto_encode_start(type);
    for (const cJSON *m = members->child; root && m; m = m->next) {
        if (!m->string || strcmp(m->string, "type") == 0 ||
            !cJSON_AddItemReferenceToObject(root, m->string, (cJSON *)m))
            root = proto_encode_fail(root);
    }
    if (root && proto_table_check(proto_table_row(type)->fields, root, false, "", NULL) != 0)
        root = proto_encode_fail(root);
    return proto_encode_finish(root, PROTO_DIR_H2C);
}

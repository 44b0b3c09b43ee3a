/* proto_decode: one frame's bytes to a validated proto_msg, or a typed error.
 *
 * Order matters and is cheapest-first: size, UTF-8/NUL and nesting on the raw bytes
 * (proto_scan.c), then cJSON, then the envelope, then the row's fields (proto_table.c).
 * Nothing deeper than PROTO_MAX_DEPTH ever reaches cJSON's recursive parser. */
#include <assert.h>
#include <string.h>

#include "proto.h"
#include "proto_internal.h"

/* Every key and string value cJSON decoded must still be UTF-8. The scan already rejected
 * the escapes that could break that; this is the backstop. Recursion is bounded by the
 * depth the scan enforced. */
static int proto_decode_walk(const cJSON *item, struct proto_error *err)
{
    for (; item; item = item->next) {
        if (item->string && !proto_utf8_valid(item->string, strlen(item->string)))
            return proto_error_set(err, PROTO_E_BAD_UTF8, NULL, "a key is not valid UTF-8");
        if (cJSON_IsString(item) && item->valuestring &&
            !proto_utf8_valid(item->valuestring, strlen(item->valuestring)))
            return proto_error_set(err, PROTO_E_BAD_UTF8, item->string,
                                   "a string is not valid UTF-8");
        if (item->child && proto_decode_walk(item->child, err) != 0)
            return -1;
    }
    return 0;
}

static int proto_decode_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses the scanned bytes into an object. NULL with *err on failure. */
static cJSON *proto_decode_parse(const char *buf, size_t len, struct proto_error *err)
{
    const char *end = NULL;
    /* require_null_terminated cannot be used on a length-delimited buffer (cJSON then
     * demands a NUL inside the length), so the same rule is applied by hand: after the
     * value only JSON whitespace may follow. */
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!root) {
        size_t at = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
        proto_error_set(err, PROTO_E_BAD_JSON, NULL, "not valid JSON (near byte %zu)", at);
        return NULL;
    }
    while (end < buf + len && proto_decode_json_space(*end))
        end++;
    if (end != buf + len) {
        proto_error_set(err, PROTO_E_BAD_JSON, NULL, "data after the JSON value at byte %zu",
                        (size_t)(end - buf));
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        proto_error_set(err, PROTO_E_BAD_JSON, NULL, "a message must be a JSON object");
        goto fail;
    }
    if (proto_decode_walk(root->child, err) != 0)
        goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

/* Copies a validated error object into *out; unknown codes become internal but keep
 * their message so a newer hub's explanation still reaches the person. */
static void proto_decode_error_obj(const cJSON *obj, struct proto_error *out)
{
    const char *code = proto_get_str(obj, "code");
    const char *message = proto_get_str(obj, "message");
    const char *field = proto_get_str(obj, "field");
    out->code = proto_error_from_code(code, NULL);
    proto_utf8_copy(out->message, sizeof out->message, message ? message : "");
    proto_utf8_copy(out->field, sizeof out->field, field ? field : "");
}

/* Checks that the root's members named in `names` appear at most once: cJSON keeps every
 * duplicate and its lookups find the first, while another parser might take the last. */
static int proto_decode_unique(const cJSON *root, const char *const *names, struct proto_error *err)
{
    for (const char *const *n = names; *n; n++) {
        int count = 0;
        for (const cJSON *c = root->child; c; c = c->next) {
            if (c->string && strcmp(c->string, *n) == 0 && ++count > 1)
                return proto_error_set(err, PROTO_E_BAD_MESSAGE, *n, "\"%s\" appears twice", *n);
        }
    }
    return 0;
}

static int proto_decode_request(cJSON *root, const struct proto_row *row, struct proto_msg *m,
                                struct proto_error *err)
{
    static const char *const envelope[] = {"type", "id", "args", NULL};
    for (const cJSON *c = root->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        int allowed = strcmp(key, "type") == 0 || strcmp(key, "args") == 0 ||
                      (row->needs_id && strcmp(key, "id") == 0);
        if (!allowed)
            return proto_error_set(err, PROTO_E_UNKNOWN_FIELD, key,
                                   "\"%s\" is not part of a %s message", key, row->name);
    }
    if (proto_decode_unique(root, envelope, err) != 0)
        return -1;
    if (row->needs_id) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
        if (!id)
            return proto_error_set(err, PROTO_E_BAD_MESSAGE, "id", "a request needs an id");
        if (!cJSON_IsString(id) || !proto_id_valid(id->valuestring))
            return proto_error_set(err, PROTO_E_BAD_MESSAGE, "id",
                                   "id must be 1..%d bytes of A-Z a-z 0-9 . _ : -", PROTO_MAX_ID);
        m->id = id->valuestring;
    }
    cJSON *args = cJSON_GetObjectItemCaseSensitive(root, "args");
    if (!args) {
        /* Owned by root so borrowers need not care whether it was sent. */
        args = cJSON_AddObjectToObject(root, "args");
        if (!args)
            return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    } else if (!cJSON_IsObject(args)) {
        return proto_error_set(err, PROTO_E_BAD_MESSAGE, "args", "args must be an object");
    }
    m->args = args;
    return proto_validate_args(m->type, args, err);
}

static int proto_decode_hub(cJSON *root, const struct proto_row *row, struct proto_msg *m,
                            struct proto_error *err)
{
    static const char *const envelope[] = {"type", "id", NULL};
    if (proto_decode_unique(root, envelope, err) != 0)
        return -1;
    if (row->needs_id) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
        if (!id)
            return proto_error_set(err, PROTO_E_BAD_MESSAGE, "id", "a result needs an id");
        if (cJSON_IsString(id) && proto_id_valid(id->valuestring))
            m->id = id->valuestring;
        else if (!cJSON_IsNull(id))
            return proto_error_set(err, PROTO_E_BAD_MESSAGE, "id",
                                   "a result's id must be a request id or null");
    }
    /* Lenient about unknown members: later hubs may add some, and a kiosk must still work. */
    if (proto_table_check(row->fields, root, false, "", err) != 0)
        return -1;

    m->args = root;
    switch (m->type) {
    case PROTO_T_RESULT:
        m->ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ok"));
        if (m->ok) {
            m->args = proto_get_obj(root, "data");
            if (!m->args)
                return proto_error_set(err, PROTO_E_MISSING_FIELD, "data",
                                       "a successful result needs data");
        } else {
            const cJSON *e = proto_get_obj(root, "error");
            if (!e)
                return proto_error_set(err, PROTO_E_MISSING_FIELD, "error",
                                       "a failed result needs an error");
            proto_decode_error_obj(e, &m->error);
            m->args = NULL;
        }
        break;
    case PROTO_T_AUTH_FAILED:
    case PROTO_T_CLOSING:
        proto_decode_error_obj(proto_get_obj(root, "error"), &m->error);
        break;
    case PROTO_T_SNAPSHOT:
        m->seq = proto_get_int(root, "seq", 0);
        m->args = proto_get_obj(root, "state");
        break;
    case PROTO_T_EVENT:
        m->seq = proto_get_int(root, "seq", 0);
        m->kind = proto_get_str(root, "kind");
        m->at = proto_get_int(root, "at", 0);
        m->args = proto_get_obj(root, "data");
        break;
    default:
        break;
    }
    return 0;
}

int proto_decode(const char *buf, size_t len, enum proto_dir dir, struct proto_msg *out,
                 struct proto_error *err, char *id_out)
{
    struct proto_error scratch;
    assert(out);
    if (!err)
        err = &scratch;
    memset(out, 0, sizeof *out);
    if (id_out)
        id_out[0] = '\0';
    if (dir != PROTO_DIR_C2H && dir != PROTO_DIR_H2C)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "bad direction %d", (int)dir);
    if (proto_scan_frame(buf, len, dir, err) != 0)
        return -1;
    cJSON *root = proto_decode_parse(buf, len, err);
    if (!root)
        return -1;

    /* The id first, so even a frame that fails later can be answered by id. */
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    if (id_out && cJSON_IsString(id) && proto_id_valid(id->valuestring))
        memcpy(id_out, id->valuestring, strlen(id->valuestring) + 1);

    const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
    if (!type) {
        proto_error_set(err, PROTO_E_BAD_MESSAGE, "type", "a message needs a type");
        goto fail;
    }
    if (!cJSON_IsString(type)) {
        proto_error_set(err, PROTO_E_BAD_MESSAGE, "type", "type must be a string");
        goto fail;
    }
    int t = proto_type_from_name(type->valuestring, dir);
    if (t < 0) {
        enum proto_dir other = dir == PROTO_DIR_C2H ? PROTO_DIR_H2C : PROTO_DIR_C2H;
        if (proto_type_from_name(type->valuestring, other) >= 0)
            proto_error_set(err, PROTO_E_UNKNOWN_TYPE, "type", "\"%s\" is not sent by a %s",
                            type->valuestring, dir == PROTO_DIR_C2H ? "client" : "hub");
        else
            proto_error_set(err, PROTO_E_UNKNOWN_TYPE, "type", "unknown type \"%s\"",
                            type->valuestring);
        goto fail;
    }
    out->type = (enum proto_type)t;
    out->root = root;
    const struct proto_row *row = proto_table_row(out->type);
    int rc = dir == PROTO_DIR_C2H ? proto_decode_request(root, row, out, err)
                                  : proto_decode_hub(root, row, out, err);
    if (rc == 0)
        return 0;
fail:
    cJSON_Delete(root);
    memset(out, 0, sizeof *out);
    return -1;
}

void proto_msg_free(struct proto_msg *m)
{
    if (!m)
        return;
    cJSON_Delete(m->root);
    memset(m, 0, sizeof *m);
}

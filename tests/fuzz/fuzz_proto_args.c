/* libFuzzer harness for proto_validate_args, the check every request's args pass in the
 * hub (WebSocket and HTTP API) and in the kiosk before it sends. The first byte picks a
 * client request type (fuzz_args_types order), the rest is parsed as JSON args: the
 * fuzzer need not discover type names and spends its time on the field rules. Properties
 * beyond the sanitizers': the answer does not depend on the call; a refusal names a stable
 * code and a valid UTF-8 message and field; accepted args encode as a request that decodes
 * again to the same type, id and args. Built with -fsanitize=fuzzer when SHOWFLOOR_FUZZ=ON;
 * replay_main.c drives it over corpus_args/ in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_args_types.h"
#include "proto.h"
#include "proto_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* Accepted args, sent as a request and decoded as the hub would, must arrive unchanged.
 * Only well under the frame limit: re-encoding may grow a frame ("1e9" -> "1000000000"). */
static void fuzz_args_roundtrip(enum proto_type type, const cJSON *args, size_t size)
{
    if (size * 4 >= PROTO_MAX_FRAME_IN)
        return;
    char *frame = proto_encode_request("fuzz-1", type, args);
    FUZZ_CHECK(frame != NULL);
    struct proto_msg m;
    struct proto_error err;
    FUZZ_CHECK(proto_decode(frame, strlen(frame), PROTO_DIR_C2H, &m, &err, NULL) == 0);
    FUZZ_CHECK(m.type == type);
    if (proto_table_row(type)->needs_id)
        FUZZ_CHECK(m.id != NULL && strcmp(m.id, "fuzz-1") == 0);
    else
        FUZZ_CHECK(m.id == NULL);
    FUZZ_CHECK(cJSON_Compare(m.args, args, 1));
    proto_msg_free(&m);
    free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static enum proto_type types[PROTO_T__COUNT];
    static size_t ntypes;
    if (ntypes == 0)
        ntypes = fuzz_args_types(types);
    FUZZ_CHECK(ntypes > 0);
    if (size < 1)
        return 0;
    enum proto_type type = types[data[0] % ntypes];
    int utf8 = proto_utf8_valid((const char *)data + 1, size - 1);
    cJSON *args = cJSON_ParseWithLength((const char *)data + 1, size - 1);
    if (!args)
        return 0;

    struct proto_error err, again;
    memset(&err, 0, sizeof err);
    int rc = proto_validate_args(type, args, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(proto_validate_args(type, args, &again) == rc);
    /* a caller that does not want the reason (proto_encode_request) gets the same answer */
    FUZZ_CHECK(proto_validate_args(type, args, NULL) == rc);
    if (rc != 0) {
        FUZZ_CHECK(err.code != PROTO_E_OK && err.code < PROTO_E__COUNT);
        FUZZ_CHECK(again.code == err.code);
        /* The validator echoes a member's name into the error. Its callers hand it text
         * that proto_decode has found to be UTF-8 (WebSocket, HTTP bodies); only for such
         * text can the reason promise to be UTF-8 as well. */
        if (utf8) {
            FUZZ_CHECK(proto_utf8_valid(err.message, strlen(err.message)));
            FUZZ_CHECK(proto_utf8_valid(err.field, strlen(err.field)));
        }
        FUZZ_CHECK(strcmp(err.field, again.field) == 0);
        /* the encoder must refuse what the validator refuses: nothing invalid is sent */
        FUZZ_CHECK(proto_encode_request("fuzz-1", type, args) == NULL);
    } else {
        FUZZ_CHECK(cJSON_IsObject(args));
        fuzz_args_roundtrip(type, args, size);
    }
    cJSON_Delete(args);
    return 0;
}

/* libFuzzer harness for proto_decode: every input is decoded as a client frame and as a
 * hub frame. Beyond "no crash, no leak, no UB" (the sanitizers' job) it checks properties:
 * a failure leaves no message and names a code; an accepted request re-encodes to a frame
 * that decodes again to the same type and id. Built with -fsanitize=fuzzer when
 * SHOWFLOOR_FUZZ=ON; replay_main.c drives it over the seed corpus in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* An accepted request, encoded again, must decode to the same type and id. Only for
 * frames well under the limit: re-encoding may grow a frame ("1e9" -> "1000000000"). */
static void fuzz_reencode_request(const struct proto_msg *m, size_t size)
{
    if (size * 4 >= PROTO_MAX_FRAME_IN)
        return;
    char *again;
    if (m->type == PROTO_T_AUTH)
        again =
            proto_encode_auth(proto_get_str(m->args, "token"), proto_get_str(m->args, "client"));
    else
        again = proto_encode_request(m->id, m->type, m->args);
    FUZZ_CHECK(again != NULL);
    struct proto_msg m2;
    struct proto_error err;
    FUZZ_CHECK(proto_decode(again, strlen(again), PROTO_DIR_C2H, &m2, &err, NULL) == 0);
    FUZZ_CHECK(m2.type == m->type);
    FUZZ_CHECK((m->id == NULL) == (m2.id == NULL));
    FUZZ_CHECK(m->id == NULL || strcmp(m->id, m2.id) == 0);
    FUZZ_CHECK(cJSON_Compare(m->args, m2.args, 1));
    proto_msg_free(&m2);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum proto_dir dirs[] = {PROTO_DIR_C2H, PROTO_DIR_H2C};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        struct proto_msg m;
        struct proto_error err;
        char id[PROTO_MAX_ID + 1];
        if (proto_decode((const char *)data, size, dirs[i], &m, &err, id) != 0) {
            FUZZ_CHECK(m.root == NULL);
            FUZZ_CHECK(err.code != PROTO_E_OK && err.code < PROTO_E__COUNT);
            FUZZ_CHECK(proto_utf8_valid(err.message, strlen(err.message)));
            FUZZ_CHECK(id[0] == '\0' || proto_id_valid(id));
            continue;
        }
        FUZZ_CHECK(m.root != NULL);
        FUZZ_CHECK(proto_type_name(m.type) != NULL);
        FUZZ_CHECK(proto_type_from_name(proto_type_name(m.type), dirs[i]) == (int)m.type);
        if (dirs[i] == PROTO_DIR_C2H) {
            FUZZ_CHECK(cJSON_IsObject(m.args));
            fuzz_reencode_request(&m, size);
        }
        proto_msg_free(&m);
    }
    return 0;
}

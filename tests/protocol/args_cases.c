/* The shared runner of argument-case tables (args_cases.h). */
#include "args_cases.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

int args_cases_run(const struct args_case *cases, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const struct args_case *c = &cases[i];
        cJSON *args = cJSON_Parse(c->args);
        if (!args) {
            print_error("case %zu: test args do not parse: %s\n", i, c->args);
            failures++;
            continue;
        }
        struct proto_error err = {0};
        int rc = proto_validate_args(c->type, args, &err);
        char frame[8192];
        snprintf(frame, sizeof frame, "{\"type\":\"%s\",\"id\":\"t%zu\",\"args\":%s}",
                 proto_type_name(c->type), i, c->args);
        struct proto_msg m;
        struct proto_error derr = {0};
        int drc = proto_decode(frame, strlen(frame), PROTO_DIR_C2H, &m, &derr, NULL);
        if (c->code == PROTO_E_OK) {
            if (rc != 0 || drc != 0) {
                print_error("case %zu %s: want OK, got %s field=%s (%s)\n", i, c->args,
                            proto_error_code(rc ? err.code : derr.code),
                            rc ? err.field : derr.field, rc ? err.message : derr.message);
                failures++;
            } else if (!cJSON_Compare(m.args, args, 1) || m.type != c->type) {
                print_error("case %zu: args changed in the round trip\n", i);
                failures++;
            }
        } else if (rc != -1 || err.code != c->code || strcmp(err.field, c->field) != 0 ||
                   drc != -1 || derr.code != c->code || strcmp(derr.field, c->field) != 0) {
            print_error("case %zu %s: want %s field=%s, got %s field=%s / %s field=%s\n", i,
                        c->args, proto_error_code(c->code), c->field, proto_error_code(err.code),
                        err.field, proto_error_code(derr.code), derr.field);
            failures++;
        }
        if (drc == 0)
            proto_msg_free(&m);
        cJSON_Delete(args);
    }
    return failures;
}

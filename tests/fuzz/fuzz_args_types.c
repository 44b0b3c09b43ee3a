/* The client request types in table order (see fuzz_args_types.h). */
#include "fuzz_args_types.h"

size_t fuzz_args_types(enum proto_type *out)
{
    size_t n = 0;
    for (int t = 0; t < PROTO_T__COUNT; t++) {
        const char *name = proto_type_name((enum proto_type)t);
        if (name && proto_type_from_name(name, PROTO_DIR_C2H) == t)
            out[n++] = (enum proto_type)t;
    }
    return n;
}

/* Request ids: the client-chosen idempotency keys (PROTOCOL.md "Requests and results"). */
#include <string.h>

#include "proto.h"

int proto_id_valid(const char *id)
{
    if (!id)
        return 0;
    size_t n = 0;
    for (const char *p = id; *p; p++, n++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == ':' || c == '-';
        if (!ok || n >= PROTO_MAX_ID)
            return 0;
    }
    return n >= 1;
}

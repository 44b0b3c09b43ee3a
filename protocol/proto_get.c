/* Typed accessors for members of validated JSON objects (absent or mistyped -> default). */
#include "proto.h"
#include "proto_internal.h"

const char *proto_get_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t proto_get_int(const cJSON *obj, const char *name, int64_t dflt)
{
    int64_t v;
    if (proto_table_int(cJSON_GetObjectItemCaseSensitive(obj, name), &v) != PROTO_E_OK)
        return dflt;
    return v;
}

bool proto_get_bool(const cJSON *obj, const char *name, bool dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

const cJSON *proto_get_obj(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *proto_get_arr(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsArray(v) ? v : NULL;
}

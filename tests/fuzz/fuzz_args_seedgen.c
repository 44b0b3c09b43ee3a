/* Writes the seed corpus of fuzz_proto_args from the message table, and proves each seed is
 * what it claims: `fuzz_args_seedgen DIR` writes, for every client request type, args with
 * only the required fields at their lower bounds (.min), args with every field at its upper
 * bound (.full), and {} (.empty), each behind the type's byte (fuzz_args_types order). It
 * fails when a .min or .full seed does not validate, so a table row the generator cannot
 * satisfy, or a validator that refuses its own bounds, is caught in every build (CTest
 * fuzz_args_seedgen). Regenerate tests/fuzz/corpus_args/ with it after adding a type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_args_types.h"
#include "proto.h"
#include "proto_internal.h"

/* Lists of more items than this are cut to it: a bound of 200 adds nothing a seed needs. */
#define SEEDGEN_MAX_ITEMS 8

static cJSON *seedgen_value(const struct proto_field *f, int full);

/* One of f's '|'-separated choices: the first, or the last when full. */
static cJSON *seedgen_choice(const struct proto_field *f, int full)
{
    const char *c = f->choices;
    if (full) {
        const char *bar = strrchr(c, '|');
        return cJSON_CreateString(bar ? bar + 1 : c);
    }
    char first[PROTO_MAX_SHORT + 1];
    size_t n = strcspn(c, "|");
    snprintf(first, sizeof first, "%.*s", (int)n, c);
    return cJSON_CreateString(first);
}

static cJSON *seedgen_string(const struct proto_field *f, int full)
{
    if (f->fmt == PROTO_F_ENUM)
        return seedgen_choice(f, full);
    int64_t len = full ? f->max : (f->min > 0 ? f->min : 1);
    if (len > f->max)
        len = f->max;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return NULL;
    memset(s, f->fmt == PROTO_F_DIGITS ? '1' : 'a', (size_t)len);
    s[len] = '\0';
    cJSON *v = cJSON_CreateString(s);
    free(s);
    return v;
}

/* An object holding the fields of `fields`: required ones only, or all when full. */
static cJSON *seedgen_object(const struct proto_field *fields, int full)
{
    cJSON *o = cJSON_CreateObject();
    for (const struct proto_field *f = fields; o && f && f->name; f++) {
        if (!f->required && !full)
            continue;
        cJSON *v = seedgen_value(f, full);
        if (!v || !cJSON_AddItemToObject(o, f->name, v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

static cJSON *seedgen_value(const struct proto_field *f, int full)
{
    switch (f->kind) {
    case PROTO_K_STR:
        return seedgen_string(f, full);
    case PROTO_K_INT:
        return cJSON_CreateNumber((double)(full ? f->max : f->min));
    case PROTO_K_BOOL:
        return cJSON_CreateBool(!full);
    case PROTO_K_OBJ:
        if (f->fmt == PROTO_F_ERROR)
            return seedgen_object(proto_table_error_fields, full);
        return seedgen_object(f->sub, full);
    case PROTO_K_ARR: {
        cJSON *a = cJSON_CreateArray();
        int64_t n = full ? f->max : f->min;
        if (n > SEEDGEN_MAX_ITEMS && f->min <= SEEDGEN_MAX_ITEMS)
            n = SEEDGEN_MAX_ITEMS;
        for (int64_t i = 0; a && f->sub && i < n; i++) {
            cJSON *item = seedgen_value(f->sub, full);
            if (!item || !cJSON_AddItemToArray(a, item)) {
                cJSON_Delete(item);
                cJSON_Delete(a);
                return NULL;
            }
        }
        return a;
    }
    }
    return NULL;
}

/* Writes the type byte and the args to DIR/NAME.SUFFIX. 0 or -1. */
static int seedgen_write(const char *dir, const char *name, const char *suffix, size_t index,
                         const cJSON *args)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, suffix);
    char *text = cJSON_PrintUnformatted(args);
    FILE *f = fopen(path, "wb");
    int rc = text && f && fputc((int)index, f) != EOF && fputs(text, f) != EOF ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(text);
    if (rc != 0)
        fprintf(stderr, "fuzz_args_seedgen: cannot write %s\n", path);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_args_seedgen DIR\n");
        return 2;
    }
    enum proto_type types[PROTO_T__COUNT];
    size_t n = fuzz_args_types(types);
    int bad = 0, written = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = proto_type_name(types[i]);
        const struct proto_row *row = proto_table_row(types[i]);
        for (int full = 0; full <= 1; full++) {
            cJSON *args = seedgen_object(row->fields, full);
            struct proto_error err;
            if (!args || proto_validate_args(types[i], args, &err) != 0) {
                fprintf(stderr, "fuzz_args_seedgen: %s %s args do not validate: %s\n", name,
                        full ? "full" : "min", args ? err.message : "out of memory");
                bad = 1;
            } else if (seedgen_write(argv[1], name, full ? "full" : "min", i, args) != 0) {
                bad = 1;
            } else {
                written++;
            }
            cJSON_Delete(args);
        }
        cJSON *empty = cJSON_CreateObject();
        if (!empty || seedgen_write(argv[1], name, "empty", i, empty) != 0)
            bad = 1;
        else
            written++;
        cJSON_Delete(empty);
    }
    if (n == 0)
        bad = 1;
    printf("%d seeds for %zu request types\n", written, n);
    return bad;
}

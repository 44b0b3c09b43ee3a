/* libFuzzer harness for the CSV reader and field parsers of `showfloor lead import`
 * (tools/cmd_lead_csv.c): files come from web platforms' exports, so anything may be in
 * them. Properties beyond the sanitizers': every call moves the reader forward (no endless
 * loop on any input), a record has 1..CMD_LEAD_MAX_FIELDS fields, line numbers never go
 * back, a refusal says why; the good records, written back as quoted CSV, read back to
 * the same fields; a budget the parser accepts is positive. Built with -fsanitize=fuzzer
 * when SHOWFLOOR_FUZZ=ON; replay_main.c drives it over corpus_csv/ in every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_lead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* A growing byte buffer. */
struct fuzz_buf {
    char *p;
    size_t len, cap;
};

static void fuzz_put(struct fuzz_buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2 + 64;
        char *bigger = realloc(b->p, cap);
        FUZZ_CHECK(bigger != NULL);
        b->p = bigger;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Appends a record to `csv` (every field quoted, quotes doubled) and its fields to `flat`
 * (each field and its NUL, then a '\n' per record) to compare a second reading with. */
static void fuzz_csv_keep(struct fuzz_buf *csv, struct fuzz_buf *flat,
                          const struct cmd_lead_record *rec)
{
    for (size_t i = 0; i < rec->n; i++) {
        fuzz_put(csv, i ? ",\"" : "\"", i ? 2 : 1);
        for (const char *p = rec->field[i]; *p; p++) {
            fuzz_put(csv, p, 1);
            if (*p == '"')
                fuzz_put(csv, p, 1); /* a quote inside quotes is doubled */
        }
        fuzz_put(csv, "\"", 1);
        fuzz_put(flat, rec->field[i], strlen(rec->field[i]) + 1);
    }
    fuzz_put(csv, "\n", 1);
    fuzz_put(flat, "\n", 1);
}

/* Reads all of data; with csv and flat set, keeps the good records there. Checks the
 * reader's properties on the way and returns the number of good records. */
static size_t fuzz_csv_read(const char *data, size_t size, struct fuzz_buf *csv,
                            struct fuzz_buf *flat)
{
    char *copy = malloc(size ? size : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, data, size);
    struct cmd_lead_csv r;
    FUZZ_CHECK(cmd_lead_csv_init(&r, copy, size) == 0);
    size_t good = 0;
    int last_line = 1;
    for (;;) {
        const char *before = r.p;
        struct cmd_lead_record rec;
        char why[160] = "";
        int rc = cmd_lead_csv_record(&r, &rec, why, sizeof why);
        FUZZ_CHECK(rc >= -1 && rc <= 1);
        FUZZ_CHECK(r.p >= before && r.p <= r.end);
        FUZZ_CHECK(r.line >= last_line);
        last_line = r.line;
        if (rc == 0) {
            FUZZ_CHECK(r.p == r.end);
            break;
        }
        FUZZ_CHECK(r.p > before); /* a record, good or bad, consumes input */
        if (rc < 0) {
            FUZZ_CHECK(why[0] != '\0');
            continue;
        }
        FUZZ_CHECK(rec.n >= 1 && rec.n <= CMD_LEAD_MAX_FIELDS);
        FUZZ_CHECK(rec.line >= 1 && rec.line <= r.line);
        for (size_t i = 0; i < rec.n; i++) {
            FUZZ_CHECK(strlen(rec.field[i]) <= size);
            int64_t fen = 0, at = 0;
            if (cmd_lead_budget(rec.field[i], &fen) == 0)
                FUZZ_CHECK(fen > 0);
            (void)cmd_lead_time(rec.field[i], 480, &at);
            (void)cmd_lead_time(rec.field[i], -720, &at);
        }
        if (csv)
            fuzz_csv_keep(csv, flat, &rec);
        good++;
    }
    cmd_lead_csv_close(&r);
    return good;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_buf csv = {0}, flat = {0}, csv2 = {0}, flat2 = {0};
    size_t good = fuzz_csv_read((const char *)data, size, &csv, &flat);
    /* A field holding a NUL was cut there on both readings, so the copy compares equal. */
    size_t again = fuzz_csv_read(csv.p ? csv.p : "", csv.len, &csv2, &flat2);
    FUZZ_CHECK(again == good);
    FUZZ_CHECK(flat2.len == flat.len);
    FUZZ_CHECK(flat.len == 0 || memcmp(flat.p, flat2.p, flat.len) == 0);
    free(csv.p);
    free(flat.p);
    free(csv2.p);
    free(flat2.p);

    /* the trim must leave no edge blank and stay inside the string */
    char field[64];
    size_t n = size < sizeof field - 1 ? size : sizeof field - 1;
    memcpy(field, data, n);
    field[n] = '\0';
    char *t = cmd_lead_trim(field);
    size_t tl = strlen(t);
    FUZZ_CHECK(t >= field && t + tl <= field + n);
    FUZZ_CHECK(tl == 0 || (t[0] != ' ' && t[0] != '\t' && t[tl - 1] != ' ' && t[tl - 1] != '\t'));
    return 0;
}

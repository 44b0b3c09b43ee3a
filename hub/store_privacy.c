/* Personal data at rest beyond the customers table (hub/PRIVACY.md): scrubbing an erased
 * customer's masked copies out of the event log and the stored command results, and the
 * access log of who read whose unmasked data (personal_access, migration 8).
 *
 * The statements here are one-off (prepared per call, not at open): a scrub runs once per
 * erasure, and the access log's insert is a few microseconds next to the read it records. */
#include "store_internal.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_privacy.h"

/* Rows whose text may name customer `id` (?1 '"id":<id>', ?2 the id; a prefilter: '"id":3' also
 * matches '"id":33' and an order's own id; domain_privacy_erase_customer decides), then the rewrite
 * of one row. */
static const char *const scrub_sql[][2] = {
    {"SELECT seq, data FROM events WHERE instr(data, ?1) > 0 AND ?2 > 0 ORDER BY seq",
     "UPDATE events SET data = ?2 WHERE seq = ?1"},
    {"SELECT device_id, cmd_id, result FROM commands WHERE instr(result, ?1) > 0 AND ?2 > 0",
     "UPDATE commands SET result = ?3 WHERE device_id = ?1 AND cmd_id = ?2"},
    /* a check-in's result is the kiosk's view, whose customer has no id (core_view.c): it is
     * the customer's through the visit it names */
    {"SELECT device_id, cmd_id, result FROM commands WHERE type = 'checkin' AND"
     " json_extract(result, '$.visit.id') IN (SELECT id FROM visits WHERE customer_id = ?2)",
     "UPDATE commands SET result = ?3 WHERE device_id = ?1 AND cmd_id = ?2"},
};
enum { SCRUB_EVENTS, SCRUB_COMMANDS, SCRUB_CHECKINS };

/* Names the id-less customer views in a check-in's result as customer `id`'s, so that
 * domain_privacy_erase_customer replaces them. 0, or -1 out of memory. */
static int claim_views(cJSON *node, int64_t id)
{
    for (cJSON *ch = node ? node->child : NULL; ch; ch = ch->next) {
        if (ch->string && strcmp(ch->string, "customer") == 0 && cJSON_IsObject(ch)) {
            if (!cJSON_GetObjectItemCaseSensitive(ch, "id") &&
                !cJSON_AddNumberToObject(ch, "id", (double)id))
                return -1;
        } else if ((cJSON_IsObject(ch) || cJSON_IsArray(ch)) && claim_views(ch, id)) {
            return -1;
        }
    }
    return 0;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct proto_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return store_fault(s, sql, err);
    }
    return 0;
}

/* One row to rewrite: its key (seq, or device_id + cmd_id) and its new text. */
struct scrub_row {
    int64_t key;
    char *cmd_id;
    char *text;
};

struct scrub_rows {
    struct scrub_row *v;
    size_t n, cap;
};

static void rows_free(struct scrub_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].cmd_id);
        cJSON_free(r->v[i].text);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int rows_push(struct scrub_rows *r, struct scrub_row row)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct scrub_row *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = row;
    return 0;
}

/* The row's text with customer id's copies replaced: 1 with *out (caller frees with
 * cJSON_free), 0 when nothing of theirs is in it, -1 out of memory. Text that is not JSON
 * (the store's writers refuse it, so only a hand-edited file has it) is left alone. */
static int rewrite(const char *text, int64_t id, bool views, char **out)
{
    *out = NULL;
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (!j)
        return 0;
    int n = views && claim_views(j, id) ? -1 : domain_privacy_erase_customer(j, id);
    if (n > 0 && !(*out = cJSON_PrintUnformatted(j)))
        n = -1;
    cJSON_Delete(j);
    return n < 0 ? -1 : n > 0;
}

/* Collects the rewrites of one table (reading it all before writing any of it), then applies
 * them. Adds the rows rewritten to *count. */
static int scrub_table(struct store *s, int table, int64_t id, int64_t *count,
                       struct proto_error *err)
{
    char needle[48];
    snprintf(needle, sizeof needle, "\"id\":%" PRId64, id);
    struct scrub_rows rows = {0};
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = -1, step;
    bool commands = table != SCRUB_EVENTS;
    if (prepare(s, scrub_sql[table][0], &sel, err) || store_bind(s, sel, err, "ti", needle, id))
        goto out;
    while ((step = store_step(s, sel, err)) == 1) {
        struct scrub_row row = {.key = store_col_int(sel, 0)};
        int r =
            rewrite(store_col_str(sel, commands ? 2 : 1), id, table == SCRUB_CHECKINS, &row.text);
        if (r == 0)
            continue;
        if (r > 0 && commands && !(row.cmd_id = strdup(store_col_str(sel, 1))))
            r = -1;
        if (r < 0 || rows_push(&rows, row)) {
            free(row.cmd_id);
            cJSON_free(row.text);
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto out;
        }
    }
    if (step < 0 || prepare(s, scrub_sql[table][1], &upd, err))
        goto out;
    for (size_t i = 0; i < rows.n; i++) {
        struct scrub_row *r = &rows.v[i];
        if ((commands ? store_bind(s, upd, err, "itt", r->key, r->cmd_id, r->text)
                      : store_bind(s, upd, err, "it", r->key, r->text)) ||
            store_exec(s, upd, err))
            goto out;
    }
    *count += (int64_t)rows.n;
    rc = 0;
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    rows_free(&rows);
    return rc;
}

/* Notifications name a customer only by the masked name, inside their texts
 * (core_floor_masked_name), and point at the customer's records through refs: those of
 * customer `id` are found by the refs, and the masked name in their texts (and in the
 * webhook outbox's copy, keyed by the same seq) becomes "***". */
static const char notices_sql[] =
    "SELECT seq, data FROM events WHERE kind = 'staff.notify' AND ("
    " json_extract(data, '$.refs.visit_id') IN (SELECT id FROM visits WHERE customer_id = ?1)"
    " OR json_extract(data, '$.refs.lead_id') IN (SELECT id FROM leads WHERE customer_id = ?1)"
    " OR json_extract(data, '$.refs.order_id') IN (SELECT id FROM orders WHERE customer_id = ?1)"
    " OR json_extract(data, '$.refs.complaint_id') IN"
    "  (SELECT id FROM complaints WHERE customer_id = ?1)"
    " OR json_extract(data, '$.refs.appointment_id') IN"
    "  (SELECT id FROM appointments WHERE customer_id = ?1)"
    " OR json_extract(data, '$.refs.conflict_id') IN"
    "  (SELECT id FROM conflicts WHERE customer_id = ?1))";

/* text with every `name` replaced by "***" (malloc'd), or NULL when it holds none of it. */
static char *replace_name(const char *text, const char *name)
{
    size_t nl = strlen(name), count = 0;
    for (const char *p = text; (p = strstr(p, name)) != NULL; p += nl)
        count++;
    if (!count)
        return NULL;
    char *out = malloc(strlen(text) + count * 3 + 1), *w = out;
    if (!out)
        return NULL;
    for (const char *p = text, *hit; *p; p = hit + nl) {
        if (!(hit = strstr(p, name))) {
            w = stpcpy(w, p);
            break;
        }
        memcpy(w, p, (size_t)(hit - p));
        w = stpcpy(w + (hit - p), "***");
    }
    *w = '\0';
    return out;
}

/* Replaces the name in data's text_zh and text_en: 1 changed, 0 not, -1 out of memory. */
static int replace_in_texts(cJSON *data, const char *name)
{
    static const char *const keys[] = {"text_zh", "text_en"};
    int changed = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(data, keys[i]));
        char *r = t ? replace_name(t, name) : NULL;
        if (!r)
            continue;
        cJSON *v = cJSON_CreateString(r);
        free(r);
        if (!v || !cJSON_ReplaceItemInObjectCaseSensitive(data, keys[i], v)) {
            cJSON_Delete(v);
            return -1;
        }
        changed = 1;
    }
    return changed;
}

/* The masked name of customer `id` in a tree the event log holds ("" when none). */
static void masked_name_in(const cJSON *node, int64_t id, char *out, size_t outsz)
{
    for (const cJSON *ch = node ? node->child : NULL; ch && !out[0]; ch = ch->next) {
        if (ch->string && strcmp(ch->string, "customer") == 0 && cJSON_IsObject(ch)) {
            const cJSON *cid = cJSON_GetObjectItemCaseSensitive(ch, "id");
            const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "name"));
            if (cJSON_IsNumber(cid) && (int64_t)cid->valuedouble == id && n && n[0] &&
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ch, "masked")))
                snprintf(out, outsz, "%s", n);
        } else if (cJSON_IsObject(ch) || cJSON_IsArray(ch)) {
            masked_name_in(ch, id, out, outsz);
        }
    }
}

/* How notices named customer `id`: masked from their name while it can still be read, else
 * (their key is already gone: a sweep after a restore) as the event log's masked copies did. */
static int notice_name(struct store *s, int64_t id, char *name, size_t namesz, bool *found,
                       struct proto_error *err)
{
    *found = false;
    name[0] = '\0';
    struct store_customer cust;
    if (store_customers_get(s, id, &cust, err))
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    if (cust.name[0]) {
        int m = cust.kind == STORE_CUSTOMER_COMPANY
                    ? domain_mask_company(cust.name, name, namesz)
                    : domain_mask_person(cust.name, cust.gender, name, namesz);
        *found = m == 0 && name[0];
        return 0;
    }
    char needle[48];
    snprintf(needle, sizeof needle, "\"id\":%" PRId64, id);
    sqlite3_stmt *st = NULL;
    if (prepare(s, "SELECT data FROM events WHERE instr(data, ?1) > 0 ORDER BY seq DESC", &st,
                err) ||
        store_bind(s, st, err, "t", needle)) {
        sqlite3_finalize(st);
        return -1;
    }
    int step;
    while (!name[0] && (step = store_step(s, st, err)) == 1) {
        cJSON *j = cJSON_Parse(store_col_str(st, 0));
        masked_name_in(j, id, name, namesz);
        cJSON_Delete(j);
    }
    sqlite3_finalize(st);
    if (!name[0] && step < 0)
        return -1;
    *found = name[0] != '\0';
    return 0;
}

static int scrub_notices(struct store *s, int64_t id, int64_t *count, struct proto_error *err)
{
    char name[PROTO_MAX_NAME + 32];
    bool found;
    if (notice_name(s, id, name, sizeof name, &found, err))
        return -1;
    if (!found)
        return 0; /* notices said "顾客": nothing of theirs to take out */
    struct scrub_rows rows = {0};
    sqlite3_stmt *sel = NULL, *upd = NULL, *hook = NULL;
    int rc = -1, step;
    if (prepare(s, notices_sql, &sel, err) || store_bind(s, sel, err, "i", id))
        goto out;
    while ((step = store_step(s, sel, err)) == 1) {
        cJSON *j = cJSON_Parse(store_col_str(sel, 1));
        int r = j ? replace_in_texts(j, name) : 0;
        struct scrub_row row = {.key = store_col_int(sel, 0)};
        if (r > 0 && !(row.text = cJSON_PrintUnformatted(j)))
            r = -1;
        cJSON_Delete(j);
        if (r == 0)
            continue;
        if (r < 0 || rows_push(&rows, row)) {
            cJSON_free(row.text);
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto out;
        }
    }
    if (step < 0 || prepare(s, "UPDATE events SET data = ?2 WHERE seq = ?1", &upd, err) ||
        prepare(s,
                "UPDATE webhook_outbox SET payload = json_set(payload, '$.text_zh',"
                " json_extract(?2, '$.text_zh'), '$.text_en', json_extract(?2, '$.text_en'))"
                " WHERE seq = ?1",
                &hook, err))
        goto out;
    for (size_t i = 0; i < rows.n; i++) {
        if (store_bind(s, upd, err, "it", rows.v[i].key, rows.v[i].text) ||
            store_exec(s, upd, err) ||
            store_bind(s, hook, err, "it", rows.v[i].key, rows.v[i].text) ||
            store_exec(s, hook, err))
            goto out;
    }
    *count += (int64_t)rows.n;
    rc = 0;
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_finalize(hook);
    rows_free(&rows);
    return rc;
}

int store_privacy_scrub_customer(struct store *s, int64_t id, int64_t *n, struct proto_error *err)
{
    int64_t count = 0;
    if (n)
        *n = 0;
    if (id <= 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "customer_id", "no customer %" PRId64, id);
    if (scrub_notices(s, id, &count, err) || scrub_table(s, SCRUB_EVENTS, id, &count, err) ||
        scrub_table(s, SCRUB_COMMANDS, id, &count, err) ||
        scrub_table(s, SCRUB_CHECKINS, id, &count, err))
        return -1;
    if (n)
        *n = count;
    return 0;
}

/* ---- the access log ---- */

int store_access_add(struct store *s, const struct store_access *a, struct proto_error *err)
{
    if (!a->actor[0] || !a->what[0])
        return proto_error_set(err, PROTO_E_BAD_FIELD, a->actor[0] ? "what" : "actor",
                               "an access record needs an actor and what was read");
    if (a->customer_id <= 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "customer_id", "no customer %" PRId64,
                               a->customer_id);
    sqlite3_stmt *st = NULL;
    if (prepare(s,
                "INSERT INTO personal_access (at, actor, device_id, site_id, customer_id, what)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &st, err))
        return -1;
    int rc = store_bind(s, st, err, "itiiit", a->at, a->actor, a->device_id, a->site_id,
                        a->customer_id, a->what) ||
             store_exec(s, st, err);
    sqlite3_finalize(st);
    return rc ? -1 : 0;
}

int store_access_list(struct store *s, int64_t customer_id, int64_t since, int max,
                      int (*cb)(void *ctx, const struct store_access *a), void *ctx,
                      struct proto_error *err)
{
    sqlite3_stmt *st = NULL;
    if (prepare(s,
                "SELECT id, at, actor, device_id, site_id, customer_id, what FROM personal_access"
                " WHERE (?1 = 0 OR customer_id = ?1) AND at >= ?2 ORDER BY at DESC, id DESC"
                " LIMIT ?3",
                &st, err) ||
        store_bind(s, st, err, "iii", customer_id, since, (int64_t)(max > 0 ? max : 1000))) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        struct store_access a = {.id = store_col_int(st, 0),
                                 .at = store_col_int(st, 1),
                                 .device_id = store_col_int(st, 3),
                                 .site_id = store_col_int(st, 4),
                                 .customer_id = store_col_int(st, 5)};
        store_col_text(st, 2, a.actor, sizeof a.actor);
        store_col_text(st, 6, a.what, sizeof a.what);
        if (cb(ctx, &a) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

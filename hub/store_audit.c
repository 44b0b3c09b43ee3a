/* The audit trail: an append-only list of who changed what, each record sealed with a
 * BLAKE2b hash over the previous record's hash and its own canonical content, so any later
 * edit, deletion or reordering of history shows when the chain is walked. The byte layout is
 * in hub/STORE.md "Audit chain"; tools/ and tests check it independently.
 *
 * A record names customers by id only and keeps no personal argument (domain_privacy_strip,
 * with the action as the request type: order and floor commands audit under their request
 * type's name). Stripping happens before the hash, so erasing a customer never needs a
 * record rewritten, and the chain stays intact. */
#include "store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_privacy.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_COLS \
    "id, at, site_id, actor, entity, entity_id, action, before, after, prev_hash, hash"

static const char *const sql[] = {
    "SELECT value FROM meta WHERE key = 'audit_head'",
    "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
    "INSERT INTO audit (" AUDIT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    "SELECT " AUDIT_COLS " FROM audit ORDER BY id",
    "SELECT " AUDIT_COLS " FROM audit WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
};
enum { AUD_HEAD, AUD_SET_HEAD, AUD_INSERT, AUD_WALK, AUD_LIST };
const struct store_sql_table store_audit_sql = {"audit", sql, sizeof sql / sizeof sql[0]};

struct head {
    int64_t id;
    char hash[STORE_HASH_HEX_LEN + 1];
};

static void read_head(sqlite3_stmt *st, void *out)
{
    struct head *h = out;
    char text[96];
    store_col_text(st, 0, text, sizeof text);
    long long id = 0;
    h->hash[0] = '\0';
    if (sscanf(text, "%lld %64s", &id, h->hash) != 2)
        id = -1; /* the head itself was damaged: verify reports it */
    h->id = id;
}

static int get_head(struct store *s, struct head *h, struct proto_error *err)
{
    return store_one(s, store_stmt(s, STORE_AGG_AUDIT, AUD_HEAD), read_head, h, "audit head", err);
}

/* The hashed text: prev_hash "\n" canonical JSON of the other fields, where before/after
 * are JSON strings holding the stored text (or null). Caller frees. */
static char *sealed_text(const struct store_audit *a)
{
    const struct store_canon_member m[] = {
        {"action", a->action, 0, false},
        {"actor", a->actor, 0, false},
        {"after", a->after, 0, false},
        {"at", NULL, (double)a->at, true},
        {"before", a->before, 0, false},
        {"entity", a->entity, 0, false},
        {"entity_id", a->entity_id, 0, false},
        {"id", NULL, (double)a->id, true},
        {"site_id", NULL, (double)a->site_id, true},
    };
    return store_canon_sealed(a->prev_hash, m, sizeof m / sizeof m[0]);
}

static int seal(struct store_audit *a, char hash[STORE_HASH_HEX_LEN + 1])
{
    char *text = sealed_text(a);
    if (!text)
        return -1;
    store_hash_hex(text, strlen(text), hash);
    free(text);
    return 0;
}

/* The canonical text of a before/after JSON with its personal data stripped (NULL stays
 * NULL). Caller frees *out. */
static int stripped_canon(const char *text, const char *action, char **out, struct proto_error *err)
{
    *out = NULL;
    if (!text)
        return 0;
    cJSON *v = cJSON_Parse(text);
    if (!v)
        return proto_error_set(err, PROTO_E_BAD_FIELD, NULL, "not JSON");
    if (domain_privacy_strip(v, action) == 0)
        *out = store_canon_json(v);
    cJSON_Delete(v);
    if (!*out)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory or nested too deeply");
    return 0;
}

static int check_text(const char *v, size_t max, int allow_empty, const char *field,
                      struct proto_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (!v || n > max || (!allow_empty && n == 0))
        return proto_error_set(err, PROTO_E_BAD_FIELD, field, "audit %s must be %d..%zu bytes",
                               field, allow_empty ? 0 : 1, max);
    return 0;
}

/* Appends a record whose before/after are already stripped canonical text (or NULL). */
static int append_canon(struct store *s, int64_t site_id, const char *actor, const char *entity,
                        const char *entity_id, const char *action, char *before, char *after,
                        int64_t at, int64_t *id, struct proto_error *err)
{
    struct head h;
    if (get_head(s, &h, err))
        return -1;
    if (h.id < 0)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL,
                               "the audit head is damaged; run showfloor audit verify");
    struct store_audit a = {
        .id = h.id + 1, .at = at, .site_id = site_id, .before = before, .after = after};
    snprintf(a.actor, sizeof a.actor, "%s", actor);
    snprintf(a.entity, sizeof a.entity, "%s", entity);
    snprintf(a.entity_id, sizeof a.entity_id, "%s", entity_id);
    snprintf(a.action, sizeof a.action, "%s", action);
    snprintf(a.prev_hash, sizeof a.prev_hash, "%s", h.id ? h.hash : ZERO_HASH);
    if (seal(&a, a.hash))
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_AUDIT, AUD_INSERT);
    if (store_bind(s, st, err, "iiitttttttt", a.id, a.at, a.site_id, a.actor, a.entity, a.entity_id,
                   a.action, a.before, a.after, a.prev_hash, a.hash) ||
        store_exec(s, st, err))
        return -1;
    char head[96];
    snprintf(head, sizeof head, "%lld %s", (long long)a.id, a.hash);
    st = store_stmt(s, STORE_AGG_AUDIT, AUD_SET_HEAD);
    if (store_bind(s, st, err, "t", head) || store_exec(s, st, err))
        return -1;
    if (id)
        *id = a.id;
    return 0;
}

static int check_names(const char *actor, const char *entity, const char *entity_id,
                       const char *action, struct proto_error *err)
{
    return check_text(actor, PROTO_MAX_SHORT, 0, "actor", err) ||
                   check_text(entity, PROTO_MAX_SHORT, 0, "entity", err) ||
                   check_text(entity_id, PROTO_MAX_SHORT, 1, "entity_id", err) ||
                   check_text(action, PROTO_MAX_SHORT, 0, "action", err)
               ? -1
               : 0;
}

int store_audit_append(struct store *s, int64_t site_id, const char *actor, const char *entity,
                       const char *entity_id, const char *action, const char *before_json,
                       const char *after_json, int64_t at, int64_t *id, struct proto_error *err)
{
    if (check_names(actor, entity, entity_id, action, err))
        return -1;
    char *before = NULL, *after = NULL;
    int rc = stripped_canon(before_json, action, &before, err) ||
                     stripped_canon(after_json, action, &after, err) ||
                     append_canon(s, site_id, actor, entity, entity_id, action, before, after, at,
                                  id, err)
                 ? -1
                 : 0;
    free(before);
    free(after);
    return rc;
}

/* v stripped of personal data, as canonical text (NULL stays NULL). v is stripped in place:
 * the caller gives a tree of its own, or a copy. */
static int stripped_canon_json(cJSON *v, const char *action, char **out, struct proto_error *err)
{
    *out = NULL;
    if (!v)
        return 0;
    if (domain_privacy_strip(v, action) == 0)
        *out = store_canon_json(v);
    if (!*out)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory or nested too deeply");
    return 0;
}

int store_audit_append_tree(struct store *s, int64_t site_id, const char *actor, const char *entity,
                            const char *entity_id, const char *action, cJSON *before, cJSON *after,
                            int64_t at, int64_t *id, struct proto_error *err)
{
    if (check_names(actor, entity, entity_id, action, err))
        return -1;
    char *b = NULL, *a = NULL;
    int rc = stripped_canon_json(before, action, &b, err) ||
                     stripped_canon_json(after, action, &a, err) ||
                     append_canon(s, site_id, actor, entity, entity_id, action, b, a, at, id, err)
                 ? -1
                 : 0;
    free(b);
    free(a);
    return rc;
}

int store_audit_append_json(struct store *s, int64_t site_id, const char *actor, const char *entity,
                            const char *entity_id, const char *action, const cJSON *before,
                            const cJSON *after, int64_t at, int64_t *id, struct proto_error *err)
{
    cJSON *b = before ? cJSON_Duplicate(before, 1) : NULL;
    cJSON *a = after ? cJSON_Duplicate(after, 1) : NULL;
    int rc = (before && !b) || (after && !a)
                 ? proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory")
                 : store_audit_append_tree(s, site_id, actor, entity, entity_id, action, b, a, at,
                                           id, err);
    cJSON_Delete(b);
    cJSON_Delete(a);
    return rc;
}

static void read_audit(sqlite3_stmt *st, struct store_audit *a)
{
    a->id = store_col_int(st, 0);
    a->at = store_col_int(st, 1);
    a->site_id = store_col_int(st, 2);
    store_col_text(st, 3, a->actor, sizeof a->actor);
    store_col_text(st, 4, a->entity, sizeof a->entity);
    store_col_text(st, 5, a->entity_id, sizeof a->entity_id);
    store_col_text(st, 6, a->action, sizeof a->action);
    a->before = (const char *)sqlite3_column_text(st, 7);
    a->after = (const char *)sqlite3_column_text(st, 8);
    store_col_text(st, 9, a->prev_hash, sizeof a->prev_hash);
    store_col_text(st, 10, a->hash, sizeof a->hash);
}

static void broken(struct store_audit_result *out, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void broken(struct store_audit_result *out, int64_t id, const char *fmt, ...)
{
    out->ok = false;
    out->bad_id = id;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
}

/* Walks every record; stops at the first break. 0 or -1 (SQL failure). */
static int walk(struct store *s, struct store_audit_result *out, struct head *last,
                struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_AUDIT, AUD_WALK);
    struct store_audit a;
    int rc;
    last->id = 0;
    snprintf(last->hash, sizeof last->hash, "%s", ZERO_HASH);
    while ((rc = store_step(s, st, err)) == 1) {
        read_audit(st, &a);
        char hash[STORE_HASH_HEX_LEN + 1];
        if (a.id != last->id + 1) {
            if (a.id > last->id + 1)
                broken(out, a.id, "record %lld follows record %lld: %lld record(s) missing",
                       (long long)a.id, (long long)last->id, (long long)(a.id - last->id - 1));
            else
                broken(out, a.id, "record id %lld is out of sequence", (long long)a.id);
            break;
        }
        if (seal(&a, hash)) {
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            break;
        }
        if (strcmp(hash, a.hash) != 0) {
            broken(out, a.id,
                   "record %lld was changed: its content hashes to %.12s..., stored %.12s...",
                   (long long)a.id, hash, a.hash);
            break;
        }
        if (strcmp(a.prev_hash, last->hash) != 0) {
            broken(out, a.id,
                   "record %lld does not follow record %lld: prev_hash %.12s... but record "
                   "%lld's hash is %.12s...",
                   (long long)a.id, (long long)last->id, a.prev_hash, (long long)last->id,
                   last->hash);
            break;
        }
        last->id = a.id;
        snprintf(last->hash, sizeof last->hash, "%s", a.hash);
        out->count++;
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_audit_verify(struct store *s, struct store_audit_result *out, struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    out->ok = true;
    /* one consistent view of the records and the head */
    bool own_tx = sqlite3_get_autocommit(s->db) != 0;
    if (own_tx && store_begin_read(s, err))
        return -1;
    struct head last, head;
    int rc = walk(s, out, &last, err);
    if (rc == 0 && out->ok && get_head(s, &head, err) != 0)
        rc = -1;
    if (rc == 0 && out->ok) {
        if (head.id < 0)
            broken(out, last.id, "the chain head kept in meta is damaged");
        else if (head.id != last.id || strcmp(head.hash, last.hash) != 0)
            broken(out, head.id > last.id ? head.id : last.id,
                   "the chain ends at record %lld but the head kept in meta is record %lld%s",
                   (long long)last.id, (long long)head.id,
                   head.id > last.id ? ": records deleted from the end" : "");
    }
    if (own_tx)
        store_rollback(s); /* read only: nothing to commit */
    return rc;
}

int store_audit_list(struct store *s, const char *entity, const char *entity_id,
                     int (*cb)(void *ctx, const struct store_audit *a), void *ctx,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_AUDIT, AUD_LIST);
    if (store_bind(s, st, err, "tt", entity, entity_id))
        return -1;
    struct store_audit a;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_audit(st, &a);
        if (cb(ctx, &a) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

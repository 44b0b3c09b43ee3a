/* The webhook outbox: staff notifications waiting to be POSTed to a site's webhook_url, one
 * in flight per site in event order, with the tries and the next try's time. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

#define HOOK_COLS \
    "id, site_id, seq, payload, tries, next_try_at, state, last_error, created_at, done_at"

static const char *const sql[] = {
    "INSERT INTO webhook_outbox (site_id, seq, payload, next_try_at, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (seq) DO NOTHING",
    "SELECT " HOOK_COLS " FROM webhook_outbox WHERE site_id = ?1 AND state = 'pending'"
    " ORDER BY seq LIMIT 1",
    "SELECT DISTINCT site_id FROM webhook_outbox WHERE state = 'pending' ORDER BY site_id",
    "SELECT coalesce(max(seq), 0) FROM webhook_outbox",
    "UPDATE webhook_outbox SET state = 'sent', done_at = ?2 WHERE id = ?1 AND state = 'pending'",
    "UPDATE webhook_outbox SET tries = tries + 1, next_try_at = ?2, last_error = ?3"
    " WHERE id = ?1 AND state = 'pending'",
    "UPDATE webhook_outbox SET state = 'dropped', tries = tries + 1, last_error = ?2,"
    " done_at = ?3 WHERE id = ?1 AND state = 'pending'",
};
enum { HOOK_ADD, HOOK_HEAD, HOOK_SITES, HOOK_LAST, HOOK_SENT, HOOK_RETRY, HOOK_DROP };
const struct store_sql_table store_webhooks_sql = {"webhooks", sql, sizeof sql / sizeof sql[0]};

static void read_hook(sqlite3_stmt *st, void *out)
{
    struct store_webhook *w = out;
    char buf[PROTO_MAX_SHORT + 1];
    w->id = store_col_int(st, 0);
    w->site_id = store_col_int(st, 1);
    w->seq = store_col_int(st, 2);
    store_col_text(st, 3, w->payload, sizeof w->payload);
    w->tries = (int)store_col_int(st, 4);
    w->next_try_at = store_col_int(st, 5);
    store_col_text(st, 6, buf, sizeof buf);
    w->state = strcmp(buf, "sent") == 0      ? STORE_WEBHOOK_SENT
               : strcmp(buf, "dropped") == 0 ? STORE_WEBHOOK_DROPPED
                                             : STORE_WEBHOOK_PENDING;
    store_col_text(st, 7, w->last_error, sizeof w->last_error);
    w->created_at = store_col_int(st, 8);
    w->done_at = store_col_int(st, 9);
}

int store_webhooks_enqueue(struct store *s, int64_t site_id, int64_t seq, const char *payload,
                           int64_t at, bool *is_new, struct proto_error *err)
{
    if (!payload || strlen(payload) > STORE_WEBHOOK_MAX)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "payload", "payload missing or too long");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_ADD);
    if (store_bind(s, st, err, "iiti", site_id, seq, payload, at) || store_exec(s, st, err))
        return -1;
    if (is_new)
        *is_new = store_changes(s) == 1;
    return 0;
}

int store_webhooks_head(struct store *s, int64_t site_id, struct store_webhook *out,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_HEAD);
    if (store_bind(s, st, err, "i", site_id))
        return -1;
    return store_one(s, st, read_hook, out, "pending webhook", err);
}

int store_webhooks_sites(struct store *s, int (*cb)(void *ctx, int64_t site_id), void *ctx,
                         struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_SITES);
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        if (cb(ctx, store_col_int(st, 0)) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_webhooks_last_seq(struct store *s, int64_t *seq, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_LAST);
    int rc = store_step(s, st, err);
    if (rc == 1)
        *seq = store_col_int(st, 0);
    store_done(st);
    if (rc == 0)
        return store_fault(s, "webhook last seq returned no row", err);
    return rc < 0 ? -1 : 0;
}

/* A move of a pending item: exactly one row, else it was not pending (or not there). */
static int moved(struct store *s, int64_t id, struct proto_error *err)
{
    if (store_changes(s) == 1)
        return 0;
    return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "webhook %lld is not pending",
                           (long long)id);
}

int store_webhooks_sent(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_SENT);
    if (store_bind(s, st, err, "ii", id, at) || store_exec(s, st, err))
        return -1;
    return moved(s, id, err);
}

int store_webhooks_retry(struct store *s, int64_t id, int64_t next_try_at, const char *error,
                         struct proto_error *err)
{
    char e[PROTO_MAX_TEXT + 1];
    snprintf(e, sizeof e, "%s",
             error ? error : ""); /* a long transport error is cut, not refused */
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_RETRY);
    if (store_bind(s, st, err, "iit", id, next_try_at, e) || store_exec(s, st, err))
        return -1;
    return moved(s, id, err);
}

int store_webhooks_drop(struct store *s, int64_t id, const char *error, int64_t at,
                        struct proto_error *err)
{
    char e[PROTO_MAX_TEXT + 1];
    snprintf(e, sizeof e, "%s", error ? error : "");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_WEBHOOKS, HOOK_DROP);
    if (store_bind(s, st, err, "iti", id, e, at) || store_exec(s, st, err))
        return -1;
    return moved(s, id, err);
}

/* The event log: every committed change that kiosks may see, in hub-wide seq order. Rows are
 * written inside the transaction of the change they describe, so a seq exists only for
 * committed state. Data is the full JSON with every customer masked (domain_privacy_mask):
 * the log keeps what a public screen shows anyway, never a name or phone in the clear, and
 * the views mask the rest per mode. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "domain_privacy.h"

static const char *const sql[] = {
    "INSERT INTO events (site_id, kind, at, data) VALUES (?1, ?2, ?3, ?4)",
    "SELECT seq, site_id, kind, at, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    "SELECT coalesce(max(seq), 0) FROM events",
    "SELECT coalesce(min(seq), 0) FROM events",
    /* the kind literal: it is what lets SQLite use the partial index events_notify */
    "SELECT seq, site_id, kind, at, data FROM events WHERE site_id = ?1"
    " AND kind = 'staff.notify' AND at >= ?2 ORDER BY seq DESC LIMIT ?3",
};
enum { EV_APPEND, EV_AFTER, EV_LAST, EV_OLDEST, EV_RECENT };
const struct store_sql_table store_events_sql = {"events", sql, sizeof sql / sizeof sql[0]};

static int insert(struct store *s, int64_t site_id, const char *kind, int64_t at,
                  const char *data_json, int64_t *seq, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_EVENTS, EV_APPEND);
    if (store_bind(s, st, err, "itit", site_id, kind, at, data_json) || store_exec(s, st, err))
        return -1;
    if (seq)
        *seq = store_last_id(s);
    return 0;
}

int store_events_append(struct store *s, int64_t site_id, const char *kind, int64_t at,
                        const char *data_json, int64_t *seq, struct proto_error *err)
{
    /* checked here: the table takes any text (migration 12), and only the hub's own printer
     * writes there without this check */
    cJSON *data = data_json ? cJSON_ParseWithOpts(data_json, NULL, 1) : NULL;
    if (!cJSON_IsObject(data)) {
        cJSON_Delete(data);
        return proto_error_set(err, PROTO_E_BAD_FIELD, "data", "event data is not a JSON object");
    }
    int rc = strstr(data_json, "\"customer")
                 ? store_events_append_json(s, site_id, kind, at, data, seq, err)
                 : insert(s, site_id, kind, at, data_json, seq, err);
    cJSON_Delete(data);
    return rc;
}

char *store_masked_text(const cJSON *data, bool *as_is)
{
    cJSON *copy = NULL;
    /* most events (device.*, staff.notify) hold no customer, and a result shows them masked
     * already: those skip the copy */
    bool masked = domain_privacy_is_masked(data);
    if (as_is)
        *as_is = masked;
    if (!masked && (!(copy = cJSON_Duplicate(data, 1)) || domain_privacy_mask(copy) != 0)) {
        cJSON_Delete(copy);
        return NULL;
    }
    char *text = proto_json_print(copy ? copy : data);
    cJSON_Delete(copy);
    return text;
}

int store_events_append_json(struct store *s, int64_t site_id, const char *kind, int64_t at,
                             const cJSON *data, int64_t *seq, struct proto_error *err)
{
    char *text = store_masked_text(data, NULL);
    if (!text)
        return proto_error_set(
            err, PROTO_E_INTERNAL, NULL,
            "cannot print the event as JSON (out of memory, or text that is not UTF-8)");
    int rc = insert(s, site_id, kind, at, text, seq, err);
    free(text);
    return rc;
}

int store_events_after(struct store *s, int64_t since, int max,
                       int (*cb)(void *ctx, const struct store_event *ev), void *ctx,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_EVENTS, EV_AFTER);
    if (store_bind(s, st, err, "ii", since, max > 0 ? (int64_t)max : (int64_t)-1))
        return -1;
    int count = 0, rc;
    while ((rc = store_step(s, st, err)) == 1) {
        struct store_event ev = {
            .seq = store_col_int(st, 0),
            .site_id = store_col_int(st, 1),
            .kind = (const char *)sqlite3_column_text(st, 2),
            .at = store_col_int(st, 3),
            .data = (const char *)sqlite3_column_text(st, 4),
        };
        if (!ev.kind || !ev.data) {
            rc = store_fault(s, "event row without kind or data", err);
            break;
        }
        if (cb(ctx, &ev) != 0) {
            rc = store_aborted(err);
            break;
        }
        count++;
    }
    store_done(st);
    return rc < 0 ? -1 : count;
}

static int one_int(struct store *s, int q, int64_t *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_EVENTS, q);
    int rc = store_step(s, st, err);
    if (rc == 1)
        *out = store_col_int(st, 0);
    store_done(st);
    if (rc == 0)
        return store_fault(s, "aggregate over events returned no row", err);
    return rc < 0 ? -1 : 0;
}

int store_events_last_seq(struct store *s, int64_t *seq, struct proto_error *err)
{
    return one_int(s, EV_LAST, seq, err);
}

int store_events_oldest_seq(struct store *s, int64_t *seq, struct proto_error *err)
{
    return one_int(s, EV_OLDEST, seq, err);
}

int store_events_notify_recent(struct store *s, int64_t site_id, int64_t since, int max,
                               int (*cb)(void *ctx, const struct store_event *ev), void *ctx,
                               struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_EVENTS, EV_RECENT);
    if (store_bind(s, st, err, "iii", site_id, since, (int64_t)(max > 0 ? max : -1)))
        return -1;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        struct store_event ev = {.seq = store_col_int(st, 0),
                                 .site_id = store_col_int(st, 1),
                                 .kind = store_col_str(st, 2),
                                 .at = store_col_int(st, 3),
                                 .data = store_col_str(st, 4)};
        if (cb(ctx, &ev) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

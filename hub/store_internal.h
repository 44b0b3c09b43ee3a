/* Private to hub/store*.c: the layout of struct store and the statement helpers the
 * aggregates share. Nothing outside the store includes this. */
#ifndef SHOWFLOOR_STORE_INTERNAL_H
#define SHOWFLOOR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* Each aggregate owns a table of SQL texts; store_open prepares them all, store_close
 * finalizes them. Indices into a table are the aggregate's own enum. */
enum store_agg {
    STORE_AGG_META,
    STORE_AGG_SITES,
    STORE_AGG_STAFF,
    STORE_AGG_DEVICES,
    STORE_AGG_MODELS,
    STORE_AGG_CUSTOMERS,
    STORE_AGG_LEADS,
    STORE_AGG_VISITS,
    STORE_AGG_ORDERS,
    STORE_AGG_EVENTS,
    STORE_AGG_COMMANDS,
    STORE_AGG_VEHICLES,
    STORE_AGG_PAYMENTS,
    STORE_AGG_REQUESTS,
    STORE_AGG_NOTES,
    STORE_AGG_SIGNOFFS,
    STORE_AGG_SETTINGS,
    STORE_AGG_AUDIT,
    STORE_AGG_LEADS_FLOW,
    STORE_AGG_APPOINTMENTS,
    STORE_AGG_CONFLICTS,
    STORE_AGG_COMPLAINTS,
    STORE_AGG_SATISFACTION,
    STORE_AGG_DEADLINES,
    STORE_AGG_WEBHOOKS,
    STORE_AGG_PAIRINGS,     /* issue 9: store_pairings.c */
    STORE_AGG_FLEET,        /* issue 9: store_fleet.c */
    STORE_AGG_FLEET_CONFIG, /* issue 9: store_fleet_config.c */
    STORE_AGG_SAVEPOINT,    /* store_savepoint.c: group commit's per-command savepoints */
    STORE_AGG__COUNT
};

struct store_sql_table {
    const char *name;
    const char *const *sql;
    size_t n;
};

extern const struct store_sql_table store_meta_sql;
extern const struct store_sql_table store_savepoint_sql;
extern const struct store_sql_table store_sites_sql;
extern const struct store_sql_table store_staff_sql;
extern const struct store_sql_table store_devices_sql;
extern const struct store_sql_table store_models_sql;
extern const struct store_sql_table store_customers_sql;
extern const struct store_sql_table store_leads_sql;
extern const struct store_sql_table store_visits_sql;
extern const struct store_sql_table store_orders_sql;
extern const struct store_sql_table store_events_sql;
extern const struct store_sql_table store_commands_sql;
extern const struct store_sql_table store_vehicles_sql;
extern const struct store_sql_table store_payments_sql;
extern const struct store_sql_table store_requests_sql;
extern const struct store_sql_table store_notes_sql;
extern const struct store_sql_table store_signoffs_sql;
extern const struct store_sql_table store_settings_sql;
extern const struct store_sql_table store_audit_sql;
extern const struct store_sql_table store_leads_flow_sql;
extern const struct store_sql_table store_appointments_sql;
extern const struct store_sql_table store_conflicts_sql;
extern const struct store_sql_table store_complaints_sql;
extern const struct store_sql_table store_satisfaction_sql;
extern const struct store_sql_table store_deadlines_sql;
extern const struct store_sql_table store_webhooks_sql;
extern const struct store_sql_table store_pairings_sql;
extern const struct store_sql_table store_fleet_sql;
extern const struct store_sql_table store_fleet_config_sql;

struct store {
    sqlite3 *db;
    char hub_id[65];
    sqlite3_stmt **stmts[STORE_AGG__COUNT];
    struct privacy *priv; /* data key and key store (privacy.h); owned */
    /* what the WAL hook serves after each commit (store_wal_hook); both NULL: SQLite's own
     * automatic checkpoint */
    struct store_checkpointer *ckpt;
    struct store_syncer *syncer;
};

/* store.c: (re)installs the WAL hook after s->ckpt or s->syncer changed. */
void store_wal_hook_install(struct store *s);
/* store_checkpoint.c / store_sync.c: their parts of the WAL hook, on the writer's thread,
 * after a commit that left n_frames in the WAL. */
void store_checkpointer_committed(struct store_checkpointer *c, sqlite3 *db, const char *name,
                                  int n_frames);
void store_syncer_committed(struct store_syncer *y, sqlite3 *db);
/* store_sync.c: how the syncer makes the WAL durable: fdatasync, retried on EINTR; 0 or the
 * errno. A variable so a test can make it fail. */
extern int (*store_sync_fn)(int fd);

#define STORE_APPLICATION_ID 0x53466c72 /* "SFlr": marks a Showfloor database */

/* store_migrations.c: brings the schema to store_schema_version(). */
int store_migrations_apply(struct store *s, struct proto_error *err);
/* store_migrations.c: refuses a foreign file or a newer schema before anything is touched
 * (store_migrations_apply checks again under the write lock). */
int store_migrations_check(struct store *s, struct proto_error *err);

/* store_sqlfn.c: registers sf_open(blob, key_id, 'field') on s->db (store.h "At rest"):
 * the opened text, or NULL when the blob or key_id is NULL or the key is gone (erased). A
 * damaged blob is an SQL error. 0, or -1 with *err. */
int store_sqlfn_register(struct store *s, struct proto_error *err);

/* store_customers.c: migration 8's post step. Seals every customer row still holding its
 * personal columns in the clear (key_id IS NULL AND erased_at = 0): a new customer key, each
 * non-empty field sealed, the phone hash set. Runs inside the migration's transaction with
 * one-off statements (nothing is prepared yet). 0, or -1 with *err. */
int store_customers_seal_legacy(struct store *s, struct proto_error *err);

/* store_migrate8.c: migration 8's post step: store_customers_seal_legacy, then every event
 * and stored command result masked (domain_privacy_mask). 0, or -1 with *err. */
int store_migrate8_post(struct store *s, struct proto_error *err);

/* store_checkpoint.c: what the writer's WAL hook does after a commit that left n_frames in
 * the WAL (store.h "Checkpoints"): wake the thread when the WAL has reached `pages` and again
 * each time it has grown by as much since (counting from 0 once it started over); at 8 x
 * `pages`, checkpoint inline. Pure: the policy is the whole state. */
enum store_ckpt_action { STORE_CKPT_NONE, STORE_CKPT_WAKE, STORE_CKPT_INLINE };
struct store_ckpt_policy {
    int pages;
    int woke_at;     /* the WAL's size when the thread was last woken; 0 after a restart */
    int last_frames; /* at the last commit */
};
enum store_ckpt_action store_ckpt_decide(struct store_ckpt_policy *p, int n_frames);

/* store_events.c: `data` printed compactly (proto_json_print) with every customer in it
 * masked (domain_privacy_mask on a copy, made only when a customer in it is not masked yet);
 * free() it. *as_is (may be NULL): no copy was needed, the text is data's own. NULL when out
 * of memory or `data` has no JSON text. Events and stored command results go through it. */
char *store_masked_text(const cJSON *data, bool *as_is);

/* store.c: one integer from a one-off query (first column of the first row): 0, or -1 if it
 * fails or returns no row. For open-time checks and migrations, not for hot paths. */
int store_sql_int(sqlite3 *db, const char *sql, int64_t *out);

/* The prepared statement `i` of aggregate `a`. Never NULL after a successful open. */
sqlite3_stmt *store_stmt(struct store *s, enum store_agg a, int i);

/* Binds parameters 1.. from a format: 'i' int64_t, 'I' int64_t with 0 bound as NULL,
 * 'd' int, 't' text (NULL bound as NULL), 'T' text with NULL or "" bound as NULL,
 * 'b' a BLOB as two arguments (const void *, size_t; NULL bound as NULL).
 * 0, or -1 with *err (bindings cleared). */
int store_bind(struct store *s, sqlite3_stmt *st, struct proto_error *err, const char *fmt, ...);
/* Steps once: 1 row, 0 done, -1 error with *err (constraint errors mapped, faults logged).
 * The caller always finishes with store_done(). */
int store_step(struct store *s, sqlite3_stmt *st, struct proto_error *err);
/* Resets the statement and clears its bindings, ready for the next call. */
void store_done(sqlite3_stmt *st);
/* Steps a statement that returns no rows, then store_done. 0 or -1. */
int store_exec(struct store *s, sqlite3_stmt *st, struct proto_error *err);
/* Steps a statement expected to return one row, reads it with read(st, out), store_done.
 * 0, -1 with PROTO_E_NOT_FOUND ("no such <what>") or the step's error. */
int store_one(struct store *s, sqlite3_stmt *st, void (*read)(sqlite3_stmt *st, void *out),
              void *out, const char *what, struct proto_error *err);
/* Rows changed by the last statement. */
int store_changes(struct store *s);
int64_t store_last_id(struct store *s);

/* Column readers: NULL reads as "" / 0. Text is truncated to fit (the schema's CHECKs keep
 * stored values within the buffers). */
void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t sz);
int64_t store_col_int(sqlite3_stmt *st, int col);

int store_not_found(struct proto_error *err, const char *what);
int store_aborted(struct proto_error *err);
/* Logs a SQLite fault and fills *err with PROTO_E_INTERNAL. Returns -1. */
int store_fault(struct store *s, const char *what, struct proto_error *err);

/* cJSON helpers for the full-record JSON: NULL on out of memory. */
cJSON *store_json_ref(int64_t id, const char *name); /* {"id","name"}, or JSON null if !id */
int store_json_add_int_or_null(cJSON *o, const char *key, int64_t v);     /* 0 -> null */
int store_json_add_str_or_null(cJSON *o, const char *key, const char *v); /* "" -> null */

/* JSON {"id","name","gender","phone","kind"} of a customer from four text columns; NULL on
 * out of memory. */
cJSON *store_json_customer(int64_t id, const char *name, const char *gender, const char *phone,
                           const char *kind);
/* Text column or "" for NULL. */
const char *store_col_str(sqlite3_stmt *st, int col);
/* Wraps full (owned, consumed) as {"<key>": full} and appends event `kind` for site_id. */
int store_append_wrapped(struct store *s, int64_t site_id, const char *kind, const char *key,
                         cJSON *full, int64_t at, struct proto_error *err);
/* 1 if g is one of the lead grades H A B F L O. */
int store_grade_valid(char g);
/* Copies text into a fixed buffer; PROTO_E_BAD_FIELD naming `field` if it does not fit. */
int store_copy_text(char *dst, size_t dstsz, const char *src, const char *field,
                    struct proto_error *err);

/* store_orders.c: appends `kind` ("order.updated", ...) with the full order. */
int store_orders_append_event(struct store *s, int64_t id, const char *kind, int64_t at,
                              struct proto_error *err);
/* store_orders.c: money counters of an order move by a payment or a refund (deltas >= 0) and
 * order.updated is appended. */
int store_orders_add_money(struct store *s, int64_t id, int64_t paid, int64_t down_payment,
                           int64_t disbursed, int64_t refunded, int64_t at,
                           struct proto_error *err);
/* store_orders.c: customer-visible note written at `at`: eta_notified_at = at. */
int store_orders_set_notified(struct store *s, int64_t id, int64_t at, struct proto_error *err);

/* store_canon.c: BLAKE2b-256 of data, as 64 lower-case hex characters + NUL. */
void store_hash_hex(const void *data, size_t len, char out[STORE_HASH_HEX_LEN + 1]);
/* store_canon.c: prefix "\n" then the canonical JSON of a flat object, written as
 * store_canon_json would print it without building the tree: the members must come in the
 * byte order of their keys. The audit seals every record this way. NULL on out of memory. */
struct store_canon_member {
    const char *key;
    const char *str; /* the value when !is_num; NULL is JSON null */
    double num;
    bool is_num;
};
char *store_canon_sealed(const char *prefix, const struct store_canon_member *m, size_t n);
/* store_canon.c: parses JSON text and prints it canonically (store_canon_json); NULL text ->
 * NULL with *out NULL and 0. -1 with PROTO_E_BAD_FIELD if text is not JSON. free() *out. */
int store_canon_text(const char *text, char **out, struct proto_error *err);

/* store_fleet_config.c: validates a kiosk configuration value (store_fleet.h's keys, without
 * the "kiosk." prefix). site: the site level, where offline_after_s is allowed. 0, or -1 with
 * PROTO_E_BAD_FIELD (unknown key) or PROTO_E_OUT_OF_RANGE (bad value). */
int store_fleet_config_check(const char *key, const char *value, bool site,
                             struct proto_error *err);
/* The default of a kiosk configuration key ("" for an unknown one). */
const char *store_fleet_config_default(const char *key);

/* Registers the VFS that gathers each commit's WAL writes into one write (store_walbuf.c)
 * and answers its name, or NULL if SQLite has no default VFS to build on. A second call
 * answers the same name. Not thread-safe: store_open_with calls it under pthread_once. */
const char *store_walbuf_register(void);
/* The descriptor the VFS keeps on the WAL of db's main database for store_sync.c (valid until
 * the connection closes), or -1 when db has no WAL through this VFS. *failed gets the WAL's
 * sticky error: a write that failed where SQLite could not be told (SQLITE_OK if none). Call
 * on the connection's own thread. */
int store_walbuf_wal_fd(sqlite3 *db, int *failed);

#endif

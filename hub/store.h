/* The hub's store: SQLite behind one interface, so the core and the admin CLI never see SQL.
 * hub/STORE.md describes the schema, the migrations and the transaction discipline.
 *
 * Conventions for every function below:
 * - Returns 0 on success, -1 on failure with *err filled (err may be NULL). A lookup that
 *   finds nothing returns -1 with PROTO_E_NOT_FOUND (not logged); a SQL fault returns -1
 *   with PROTO_E_INTERNAL (logged); a constraint violation returns -1 with
 *   PROTO_E_INVALID_STATE (duplicate) or PROTO_E_BAD_FIELD (bad reference or value).
 * - Nothing commits on its own: a caller that writes brackets its calls with
 *   store_begin()/store_commit() (store_rollback() on any failure). Outside a transaction
 *   each statement is its own implicit transaction (fine for reads).
 * - Functions that change what kiosks see append their event in the caller's transaction.
 * - Times are UTC milliseconds (0 = "not set"); money is integer fen; ids are > 0 and 0
 *   means "none" wherever an id is optional.
 * - Strings in the structs are copies (plain data); text passed in is borrowed for the call.
 * - List callbacks get a pointer valid only during the call; returning non-zero stops the
 *   walk and the list function then returns -1 with PROTO_E_INTERNAL ("listing aborted").
 *
 * Threading: a struct store is used by one thread (a checkpointer, below, brings its own
 * connection and thread; a syncer, below, only fdatasyncs the WAL from its own). Several processes
 * (hub, CLI) may open the same file: SQLite's locking and busy_timeout arbitrate. */
#ifndef SHOWFLOOR_STORE_H
#define SHOWFLOOR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "domain.h"
#include "proto.h"

struct store;

#define STORE_HASH_HEX_LEN    64  /* BLAKE2b-256 in hex (device tokens, command args) */
#define STORE_PIN_HASH_MAX    128 /* == crypto_pwhash_STRBYTES */
#define STORE_ORDER_NO_MAX    32
#define STORE_DAY_LEN         10 /* "YYYY-MM-DD" */
#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_VIN_LEN         17   /* [A-HJ-NPR-Z0-9]{17} */
#define STORE_CODE_MAX        64   /* == PROTO_MAX_SHORT: kinds, steps, ways */
#define STORE_CHANGES_MAX     8192 /* JSON of a change request's {field: {old, new}} */
#define STORE_JSON_SMALL_MAX  4096 /* sign-off checklist JSON */
#define STORE_REGION_MAX      64   /* lead / staff region, free text */
#define STORE_MODELS_MAX      255  /* staff expertise: comma-separated model codes */
#define STORE_WEBHOOK_MAX     8192 /* one webhook payload (JSON) */
#define STORE_URL_MAX         255  /* webhook_url */

/* ---- open, migrations, transactions, meta ---- */

/* Opens (creating if missing) the database at `path`, sets the PRAGMAs (WAL,
 * synchronous=FULL, foreign_keys=ON, busy_timeout) and applies the pending numbered
 * migrations, each in its own transaction. Refuses, with PROTO_E_UNAVAILABLE and a message
 * naming the problem: a file that is not SQLite, an SQLite file that is not Showfloor's, a
 * database whose schema version is newer than this program. On success *out owns the
 * handle (store_close). */
int store_open(struct store **out, const char *path, struct proto_error *err);
/* store_open with the personal-data key options (hub/privacy.h; NULL = defaults: key file
 * "<path>.data-key", key store "<path>.keystore", or SHOWFLOOR_DATA_KEY). The key file is
 * created only while the database holds no sealed data; a database sealed under another key
 * is refused (PROTO_E_UNAVAILABLE, "wrong data key"). After migrating, every customer whose
 * key is missing from the key store is erased (completes erasures a restored backup predates). */
struct privacy_opts;
int store_open_with(struct store **out, const char *path, const struct privacy_opts *po,
                    struct proto_error *err);
void store_close(struct store *s); /* NULL is fine */
/* The store's privacy handle (owned by the store; for SQL-free callers such as the CLI). */
struct privacy *store_privacy(struct store *s);
/* PRAGMA wal_checkpoint(TRUNCATE): after an erasure, so no old page of it stays in the WAL
 * file. PROTO_E_UNAVAILABLE when a reader kept it from completing (try again later). */
int store_checkpoint_truncate(struct store *s, struct proto_error *err);

/* Checkpoints (store_checkpoint.c): the hub copies the WAL back into the database on a
 * thread of its own instead of inside the COMMIT that crosses the threshold, so the event
 * loop never waits for it. After a commit of `s` that leaves `pages` or more pages in the
 * WAL (<= 0: STORE_CHECKPOINT_PAGES), and again each time the WAL has grown by as much, the
 * thread runs a PASSIVE checkpoint through its own connection; past
 * STORE_CHECKPOINT_BACKSTOP times that, the committing thread checkpoints inline (after the
 * thread's run), which starts the WAL over. That inline run copies the rest and fsyncs the
 * database on the event loop (5 to 14 ms under 64 senders): at 8 times, it came every ~0.2 s
 * and held the loop 7 % of the time (BENCHMARKS.md "Round 9"); at 24 it is a third of that,
 * for a WAL of up to ~96 MB at the default threshold.
 * Stop before store_close (SQLite's automatic checkpoint is back from then on). Only the
 * hub starts one; the CLI keeps SQLite's default. 0, or -1 with *err. */
#define STORE_CHECKPOINT_PAGES    1000
#define STORE_CHECKPOINT_BACKSTOP 24
struct store_checkpointer;
int store_checkpointer_start(struct store *s, int pages, struct store_checkpointer **out,
                             struct proto_error *err);
void store_checkpointer_stop(struct store_checkpointer *c); /* NULL is fine */
/* Checkpoints run on the thread, and inline (the backstop) by the writer. */
void store_checkpointer_counts(struct store_checkpointer *c, int64_t *runs, int64_t *inline_runs);

/* Deferred sync (store_sync.c): the hub's connection commits under synchronous=NORMAL and a
 * thread of its own fdatasyncs the WAL after each commit, so the event loop goes on while
 * the disk works. Every commit that wrote to the WAL counts in `written` (on the committing
 * thread, in the WAL hook); once a sync that began after it has returned, it counts in
 * `synced`. Nothing of a commit may leave the process before `synced` has reached the
 * `written` of its time: the caller holds its answers until then, or calls
 * store_syncer_flush (which syncs on the calling thread). `synced_cb` runs after each sync
 * that a kick asked for, successful or not: on the thread, or in the store_syncer_flush that
 * served the kick first (the hub wakes its loop from it). A failed sync is final:
 * store_syncer_failed() answers its errno from then on and `synced` never moves again.
 * Stop before store_close (it syncs what is left; each COMMIT syncs for itself again).
 * A NULL syncer answers 0 everywhere: commits are then durable when COMMIT returns. */
struct store_syncer;
int store_syncer_start(struct store *s, void (*synced_cb)(void *arg), void *arg,
                       struct store_syncer **out, struct proto_error *err);
void store_syncer_stop(struct store_syncer *y); /* NULL is fine */
uint64_t store_syncer_written(struct store_syncer *y);
uint64_t store_syncer_synced(struct store_syncer *y);
int store_syncer_failed(struct store_syncer *y);
/* Asks the thread for a sync of everything written so far (a no-op when it is synced or
 * asked for already); synced_cb runs when it is done. Nothing is synced unasked (but at
 * stop): the caller kicks when something waits for the disk. */
void store_syncer_kick(struct store_syncer *y);
/* Syncs now on the calling thread if anything written is not yet synced. 0, or -1 with
 * PROTO_E_UNAVAILABLE once a sync has failed. */
int store_syncer_flush(struct store_syncer *y, struct proto_error *err);
/* Syncs run on the thread, and inline (store_syncer_flush). */
void store_syncer_counts(struct store_syncer *y, int64_t *runs, int64_t *inline_runs);

/* Schema version this program writes (the last migration's number). */
int store_schema_version(void);

/* BEGIN IMMEDIATE: a write transaction (waits up to the busy timeout for another writer;
 * PROTO_E_UNAVAILABLE if it stays busy). */
int store_begin(struct store *s, struct proto_error *err);
/* BEGIN (deferred): a read transaction; every read until commit/rollback sees one state. */
int store_begin_read(struct store *s, struct proto_error *err);
int store_commit(struct store *s, struct proto_error *err);
/* Rolls back if a transaction is open; safe to call when none is. */
void store_rollback(struct store *s);

/* Random hex id created by the first migration; borrowed until store_close. */
const char *store_hub_id(const struct store *s);
/* PRAGMA data_version: changes when another connection committed since the last read. */
int store_data_version(struct store *s, int64_t *out, struct proto_error *err);

/* ---- sites ---- */

struct store_site {
    int64_t id;
    char code[PROTO_MAX_SHORT + 1];
    char name[PROTO_MAX_NAME + 1];
    int utc_offset_min; /* fixed offset of the site's local time, e.g. 480 for UTC+8 */
};

int store_sites_add(struct store *s, const char *code, const char *name, int utc_offset_min,
                    int64_t *id, struct proto_error *err);
int store_sites_get(struct store *s, int64_t id, struct store_site *out, struct proto_error *err);
int store_sites_find(struct store *s, const char *code, struct store_site *out,
                     struct proto_error *err);
int store_sites_list(struct store *s, int (*cb)(void *ctx, const struct store_site *site),
                     void *ctx, struct proto_error *err);

/* ---- staff, duty roster, login failures ---- */

struct store_staff {
    int64_t id;
    int64_t site_id;
    char staff_no[PROTO_MAX_SHORT + 1]; /* unique across the dealer group */
    char name[PROTO_MAX_NAME + 1];
    enum domain_role role;
    char pin_hash[STORE_PIN_HASH_MAX + 1]; /* Argon2id string, core_secret_pin_hash() */
    bool active;
    int64_t last_assigned_at; /* last check-in assigned to them, 0 never */
    /* migration 3: what lead assignment weighs (store_staff_set_attrs) */
    char region[STORE_REGION_MAX + 1]; /* "" none, e.g. "浦东" */
    char models[STORE_MODELS_MAX + 1]; /* expertise: model codes "XH7,XH9", "" none */
    int ability;                       /* 1..5, default 3 */
};

enum store_duty { STORE_DUTY_ON, STORE_DUTY_REST };

/* A consultant of a site as the check-in rule and the board see them on one local day. */
struct store_consultant {
    struct domain_consultant d;
    char name[PROTO_MAX_NAME + 1];
};

int store_staff_add(struct store *s, int64_t site_id, const char *staff_no, const char *name,
                    enum domain_role role, const char *pin_hash, int64_t *id,
                    struct proto_error *err);
int store_staff_get(struct store *s, int64_t id, struct store_staff *out, struct proto_error *err);
int store_staff_find(struct store *s, const char *staff_no, struct store_staff *out,
                     struct proto_error *err);
/* Staff of one site (site_id 0: all sites), ordered by id. */
int store_staff_list(struct store *s, int64_t site_id,
                     int (*cb)(void *ctx, const struct store_staff *st), void *ctx,
                     struct proto_error *err);
int store_staff_set_pin(struct store *s, int64_t id, const char *pin_hash, struct proto_error *err);
int store_staff_set_active(struct store *s, int64_t id, bool active, struct proto_error *err);
int store_staff_set_last_assigned(struct store *s, int64_t id, int64_t at, struct proto_error *err);
/* Roster entry for one local day ("YYYY-MM-DD" in the site's time); replaces an earlier one. */
int store_staff_set_duty(struct store *s, int64_t staff_id, const char *day, enum store_duty duty,
                         struct proto_error *err);
/* Active consultants of a site with their figures for local `day`, whose visits arrive in
 * [day_start, day_end): on_duty (roster says "on"), waiting and serving counts,
 * serving_since, last_assigned_at. Fills at most `cap` entries ordered by staff id and sets
 * *n to how many were filled. */
int store_staff_consultants(struct store *s, int64_t site_id, const char *day, int64_t day_start,
                            int64_t day_end, struct store_consultant *out, size_t cap, size_t *n,
                            struct proto_error *err);
/* Failed staff logins are recorded by staff number (known or not) for the lockout rule. */
int store_staff_failure_add(struct store *s, const char *staff_no, int64_t at,
                            struct proto_error *err);
/* Failures at or after `since`: how many, and the time of the latest (0 if none). */
int store_staff_failures(struct store *s, const char *staff_no, int64_t since, int *count,
                         int64_t *last_at, struct proto_error *err);
int store_staff_failures_clear(struct store *s, const char *staff_no, struct proto_error *err);

/* ---- devices (kiosks) ---- */

struct store_device {
    int64_t id;
    int64_t site_id;
    char name[PROTO_MAX_NAME + 1]; /* unique within its site */
    enum domain_mode mode;
    char token_hash[STORE_HASH_HEX_LEN + 1];
    int64_t created_at;
    int64_t last_seen; /* 0 never connected */
    char client[PROTO_MAX_SHORT + 1];
    int64_t revoked_at; /* 0 active */
    /* ---- migration 7: fleet health and configuration (hub/FLEET.md) ---- */
    char hostname[PROTO_MAX_SHORT + 1];
    char version[PROTO_MAX_SHORT + 1];
    char screen[33];           /* "1920x1080" */
    int64_t started_at;        /* the kiosk process's start (hub clock), for uptime */
    int64_t frames;            /* frames drawn, from the last heartbeat */
    int64_t last_frame_at;     /* last frame drawn (hub clock) */
    bool online;               /* the hub's view: heard from within the site's limit */
    int64_t online_changed_at; /* when `online` last changed */
    int64_t reconnect_day;     /* site-local day number `reconnects` counts */
    int64_t reconnects;        /* connections made that day beyond the first */
    int64_t watchdog_restarts; /* the kiosk restarted itself after a stall (cumulative) */
    int64_t last_watchdog_at;
    bool maintenance;  /* "out of order" screen on */
    char config[2049]; /* per-device overrides, JSON object */
};

int store_devices_add(struct store *s, int64_t site_id, const char *name, enum domain_mode mode,
                      const char *token_hash, int64_t now, int64_t *id, struct proto_error *err);
int store_devices_get(struct store *s, int64_t id, struct store_device *out,
                      struct proto_error *err);
int store_devices_find_by_token(struct store *s, const char *token_hash, struct store_device *out,
                                struct proto_error *err);
int store_devices_find_by_name(struct store *s, int64_t site_id, const char *name,
                               struct store_device *out, struct proto_error *err);
/* Marks the device revoked at `now` and appends event device.revoked {"device_id": N} for its
 * site (the hub drops its connection when it reads the event). PROTO_E_INVALID_STATE if it is
 * already revoked. */
int store_devices_revoke(struct store *s, int64_t id, int64_t now, struct proto_error *err);
int store_devices_revoke_by_name(struct store *s, int64_t site_id, const char *name, int64_t now,
                                 int64_t *id, struct proto_error *err);
/* Records a connection: last_seen and the client string ("" keeps the old one). */
int store_devices_seen(struct store *s, int64_t id, int64_t now, const char *client,
                       struct proto_error *err);
/* Devices of one site (site_id 0: all), ordered by id, revoked ones included. */
int store_devices_list(struct store *s, int64_t site_id,
                       int (*cb)(void *ctx, const struct store_device *d), void *ctx,
                       struct proto_error *err);

/* ---- car models ---- */

struct store_model {
    int64_t id;
    char code[PROTO_MAX_SHORT + 1];
    char name[PROTO_MAX_NAME + 1];
    char name_en[PROTO_MAX_NAME + 1];
    int64_t price_fen;
};

int store_models_add(struct store *s, const char *code, const char *name, const char *name_en,
                     int64_t price_fen, int64_t *id, struct proto_error *err);
int store_models_find(struct store *s, const char *code, struct store_model *out,
                      struct proto_error *err);
/* All models ordered by code. */
int store_models_list(struct store *s, int (*cb)(void *ctx, const struct store_model *m), void *ctx,
                      struct proto_error *err);

/* ---- customers ---- */

enum store_customer_kind { STORE_CUSTOMER_INDIVIDUAL, STORE_CUSTOMER_COMPANY };
const char *store_customer_kind_name(enum store_customer_kind k); /* "individual" | "company" */

struct store_customer {
    int64_t id;
    char phone[PROTO_MAX_PHONE + 1]; /* normalised (proto_phone_normalize); one per group */
    char name[PROTO_MAX_NAME + 1];   /* person, or the company's name */
    enum domain_gender gender;
    enum store_customer_kind kind;
    /* company fields, "" / 0 for individuals */
    char company_address[PROTO_MAX_TEXT + 1];
    char legal_rep[PROTO_MAX_NAME + 1];
    char business_scope[PROTO_MAX_TEXT + 1];
    char contact_name[PROTO_MAX_NAME + 1];
    char credit_rating[PROTO_MAX_SHORT + 1];
    int64_t credit_limit_fen;
    int64_t consent_at; /* when consent to store personal data was given, 0 never */
    char consent_version[PROTO_MAX_SHORT + 1];
    char consent_purpose[PROTO_MAX_SHORT + 1]; /* what it was given for: "checkin", "order" */
    char id_number[PROTO_MAX_SHORT + 1];       /* ID card / licence number, "" unknown */
    int64_t created_at;
    int64_t key_id;    /* the customer key in the key store (privacy.h); 0 once erased */
    int64_t erased_at; /* 0, or when the personal fields were erased (they read "" then) */
};
/* At rest (migration 8): phone, name, company_address, legal_rep, contact_name and id_number
 * are sealed under the customer's key; the phone is found through its keyed hash. Readers
 * get them opened; an erased customer reads "" for each. In SQL, sf_open(col, key_id,
 * 'field') opens a sealed column (NULL when erased or empty), registered on every handle. */

/* Inserts c (its id is ignored). */
int store_customers_add(struct store *s, const struct store_customer *c, int64_t *id,
                        struct proto_error *err);
int store_customers_get(struct store *s, int64_t id, struct store_customer *out,
                        struct proto_error *err);
int store_customers_find_by_phone(struct store *s, const char *phone, struct store_customer *out,
                                  struct proto_error *err);
int store_customers_set_consent(struct store *s, int64_t id, int64_t at, const char *version,
                                struct proto_error *err);
/* Consent with its purpose (the version/time variant above keeps the purpose). */
int store_customers_set_consent_for(struct store *s, int64_t id, int64_t at, const char *version,
                                    const char *purpose, struct proto_error *err);
/* Erases a customer's personal data: sealed fields and phone hash set NULL, erased_at = at,
 * the masked copies in the event log and stored command results replaced
 * (store_privacy_scrub_customer), then the customer key destroyed (privacy_destroy_key).
 * Orders, visits, leads stay (their figures are the business's records) but name nobody.
 * Call inside a write transaction; store_checkpoint_truncate after the commit. Erasing an
 * erased customer is PROTO_E_INVALID_STATE. The key is destroyed before the commit: if the
 * commit fails, the customer is unreadable anyway and the open-time sweep completes it. */
int store_customers_erase(struct store *s, int64_t id, int64_t at, struct proto_error *err);

/* ---- personal data at rest: scrubbing and the access log (store_privacy.c) ---- */

/* Rewrites every event and stored command result that holds customer `id`'s masked object
 * (domain_privacy_erase_customer), so no masked name or phone of theirs remains. *n (may be
 * NULL) receives the number of rows rewritten. */
int store_privacy_scrub_customer(struct store *s, int64_t id, int64_t *n, struct proto_error *err);

struct store_access {
    int64_t id;
    int64_t at;
    char actor[PROTO_MAX_SHORT + 8]; /* "staff:<staff_no>" | "api:<name>" | "cli" */
    int64_t device_id;               /* 0 for the HTTP API / CLI */
    int64_t site_id;
    int64_t customer_id;
    char what[PROTO_MAX_SHORT + 1]; /* request type: "order_get", "lead_list", "export" */
};
/* Records one read of a customer's unmasked data; in the transaction of the read. */
int store_access_add(struct store *s, const struct store_access *a, struct proto_error *err);
/* Newest first; customer_id / since 0 = any; at most max (<= 0: 1000). */
int store_access_list(struct store *s, int64_t customer_id, int64_t since, int max,
                      int (*cb)(void *ctx, const struct store_access *a), void *ctx,
                      struct proto_error *err);

/* ---- leads ---- */

enum store_lead_status {
    STORE_LEAD_OPEN,
    STORE_LEAD_INVALID,
    STORE_LEAD_CONVERTED,
    STORE_LEAD_LOST
};
const char *store_lead_status_name(enum store_lead_status st); /* "open" | "invalid" | ... */
int store_lead_status_from_name(const char *name);             /* -1 if unknown */

struct store_lead {
    int64_t id;
    int64_t site_id;
    int64_t customer_id;
    char channel[PROTO_MAX_SHORT + 1];    /* PROTOCOL.md "Channels" */
    char model_code[PROTO_MAX_SHORT + 1]; /* "" none */
    int64_t budget_fen;
    char grade;         /* 'H' 'A' 'B' 'F' 'L' 'O' */
    int64_t owner_id;   /* consultant owning the lead, 0 none */
    int64_t invited_by; /* telesales who invited the customer, 0 none */
    int64_t created_at;
    bool flagged_invalid; /* == (status == STORE_LEAD_INVALID); either sets it on add */

    /* ---- migration 3 (issue 4) ---- */
    char name[PROTO_MAX_NAME + 1];     /* as given, "" none */
    char region[STORE_REGION_MAX + 1]; /* free text, "" none */
    enum store_lead_status status;
    char invalid_reason[PROTO_MAX_TEXT + 1];
    char external_ref[PROTO_MAX_SHORT + 1]; /* platform's id, unique per site when set */
    int64_t telesales_id;                   /* telesales holder, 0 none */
    int64_t assigned_at;                    /* last (re)assignment */
    int64_t first_callback_due_at;          /* assigned_at + 24 h (caller computes) */
    int64_t next_due_at;                    /* next follow-up due (cadence), 0 none */
    int64_t last_followup_at;
    int64_t graded_at;
    int64_t order_id; /* converted into this order, 0 none */
    bool grade_due;   /* 3 follow-ups within 7 days without a grade */
    int64_t updated_at;
};

/* Inserts l (its id is ignored; updated_at 0 means created_at) and appends lead.created
 * {"lead": full lead}. PROTO_E_INVALID_STATE for an external_ref already used at the site. */
int store_leads_add(struct store *s, const struct store_lead *l, int64_t *id,
                    struct proto_error *err);
/* The customer's open lead (status open, grade not F/O), the newest if several;
 * PROTO_E_NOT_FOUND if none. */
int store_leads_open_for_customer(struct store *s, int64_t customer_id, struct store_lead *out,
                                  struct proto_error *err);

/* ---- visits ---- */

enum store_visit_status { STORE_VISIT_WAITING, STORE_VISIT_SERVING, STORE_VISIT_DEPARTED };
const char *store_visit_status_name(enum store_visit_status st); /* "waiting" */

struct store_visit {
    int64_t id;
    int64_t site_id;
    int64_t customer_id;
    bool is_new;           /* first visit of this customer */
    int64_t consultant_id; /* 0 none (reception takes over) */
    int64_t invited_by;    /* 0 none */
    enum domain_assign assigned_by;
    enum store_visit_status status;
    int64_t arrived_at, served_at, departed_at; /* 0 = not yet */
    char model_code[PROTO_MAX_SHORT + 1];       /* "" none */
    char source[PROTO_MAX_SHORT + 1];           /* channel code, "" none */
    int first_visit_said;                       /* what the customer said: -1 nothing, 0, 1 */
    int64_t device_id;                          /* kiosk used, 0 none (CLI, demo) */
    /* ---- migration 3 ---- */
    int64_t appointment_id;            /* the invitation this visit fulfils, 0 none */
    char grade_after;                  /* lead grade given at departure, '\0' none */
    char trade_in[PROTO_MAX_TEXT + 1]; /* trade-in wish, "" none */
    bool auto_closed;                  /* closed by the hub at closing time */
};

/* Inserts v (its id is ignored) and appends visit.checked_in {"visit": full visit}. */
int store_visits_add(struct store *s, const struct store_visit *v, int64_t *id,
                     struct proto_error *err);
/* What a visit's JSON shows beside its ids, as the caller has just read them: the customer
 * (opened, store_customers_find_by_phone or as added) and the names of the consultant and of
 * the inviter ("" when none). */
struct store_visit_names {
    const struct store_customer *customer;
    const char *consultant;
    const char *invited_by;
};
/* The same, with the event's full visit JSON made from v and `names` instead of read back
 * (a check-in's largest read), so it must be given what store_visits_json would read now;
 * tests/hub/test_store.c holds the two equal. *full = that JSON (the caller owns it). */
int store_visits_add_full(struct store *s, const struct store_visit *v,
                          const struct store_visit_names *names, int64_t *id, cJSON **full,
                          struct proto_error *err);
int store_visits_get(struct store *s, int64_t id, struct store_visit *out, struct proto_error *err);
/* Moves a visit to serving (served_at = at) or departed (departed_at = at; served_at stays 0
 * for a customer who left unserved) and appends visit.updated {"visit": full visit}.
 * PROTO_E_INVALID_STATE for a move backwards or to the same status. */
int store_visits_set_status(struct store *s, int64_t id, enum store_visit_status st, int64_t at,
                            struct proto_error *err);
/* Visits of a site that arrived in [from, to), in arrival order; open_only skips departed. */
int store_visits_list(struct store *s, int64_t site_id, int64_t from, int64_t to, bool open_only,
                      int (*cb)(void *ctx, const struct store_visit *v), void *ctx,
                      struct proto_error *err);
/* How many visits the customer has had. */
int store_visits_count_for_customer(struct store *s, int64_t customer_id, int *count,
                                    struct proto_error *err);
/* The full, UNMASKED visit as stored in events: {"id","site_id","customer":{"id","name",
 * "gender","phone","kind","new"},"consultant":{"id","name"}|null,"invited_by":{..}|null,
 * "assigned_by","status","arrived_at","served_at","departed_at","model","source",
 * "device_id","appointment_id","grade_after","trade_in","auto_closed"} (absent times, ids and
 * codes are null). Caller frees with cJSON_Delete. */
int store_visits_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- orders ---- */

struct store_order {
    int64_t id;
    int64_t site_id;
    char order_no[STORE_ORDER_NO_MAX + 1]; /* domain_order_no() */
    int64_t customer_id;
    int64_t consultant_id; /* 0 none */
    char model_code[PROTO_MAX_SHORT + 1];
    char colour[PROTO_MAX_SHORT + 1];
    int quantity;
    int64_t unit_price_fen;
    int64_t total_fen;
    enum domain_payment payment;
    int64_t paid_fen;
    enum domain_stage stage;
    struct domain_order_times times; /* created_at .. delivered_at, 0 = not reached */
    int64_t updated_at;
    int64_t eta;         /* 0 none */
    int64_t delivery_at; /* 0 none */
    char delivery_place[PROTO_MAX_NAME + 1];
    char remarks[PROTO_MAX_TEXT + 1];

    /* ---- migration 2: the order's sub-states (0 / "" = not set or not reached) ---- */
    char config[PROTO_MAX_NAME + 1];           /* trim / configuration, free text */
    char special_requests[PROTO_MAX_TEXT + 1]; /* customer's special requests */
    char channel[PROTO_MAX_SHORT + 1];         /* consultant|online|phone|showroom */
    int64_t received_at;                       /* when the customer's order came in */
    int64_t expected_delivery_at;              /* what the customer asked for */
    /* allocation: alloc_kind "stock" | "factory" | "" (not allocated) */
    char alloc_kind[STORE_CODE_MAX + 1];
    char vin[STORE_VIN_LEN + 1]; /* stock car, or factory car once arrived */
    int64_t prep_cleaning_at, prep_inspection_at, prep_maintenance_at;
    /* payment; paid_fen (above) is the sum of confirmed payments incl. loan disbursement */
    char invoice_no[PROTO_MAX_SHORT + 1];
    int64_t loan_documents_at, loan_approved_at, loan_contract_at;
    int64_t down_payment_fen;   /* confirmed down payments (loan) */
    int64_t loan_disbursed_fen; /* confirmed disbursements (loan) */
    /* documents prepared for delivery */
    int64_t doc_invoice_at, doc_coc_at, doc_warranty_at;
    /* cancellation money: refund_due_fen = paid_fen when cancelled; refunded_fen confirmed */
    int64_t refund_due_fen, refunded_fen;
    /* stamps the time limits need (struct domain_order_times_sla); unlike times.* they move
     * on every re-entry: latest time each happened */
    int64_t entered_at;         /* created or last resubmitted */
    int64_t initial_decided_at; /* last initial review (pass or fail) */
    int64_t reviewed_at;        /* last initial review passed */
    int64_t final_decided_at;   /* last final review (approve or reject) */
    int64_t eta_changed_at;     /* last order_eta */
    int64_t eta_notified_at;    /* last customer-visible note */
    int64_t closed_at, cancelled_at;
    /* initial review: JSON array of conditions (guarantee|larger_down_payment|shorter_term),
     * "" none; last_reason: reason of the last return / rejection / cancellation */
    char review_conditions[STORE_CODE_MAX * 4];
    char last_reason[PROTO_MAX_TEXT + 1];
};

/* Next number in the per-month sequence keyed by `month` (any stable key, normally the
 * yymm of domain_order_no), starting at 1. */
int store_orders_next_seq(struct store *s, const char *month, int *seq, struct proto_error *err);
/* Convenience: reserves the next sequence for created_at's month and writes the order number
 * (domain_order_no) into out. */
int store_orders_next_no(struct store *s, int64_t created_at, char *out, size_t outsz,
                         struct proto_error *err);
/* Inserts o (its id is ignored; updated_at 0 means created_at) and appends order.created
 * {"order": full order}. */
int store_orders_add(struct store *s, const struct store_order *o, int64_t *id,
                     struct proto_error *err);
int store_orders_get(struct store *s, int64_t id, struct store_order *out, struct proto_error *err);
int store_orders_find_by_no(struct store *s, const char *order_no, struct store_order *out,
                            struct proto_error *err);
/* Moves an order to `stage` at `at`, stamping the matching time (approved/allocated/paid/
 * ready/delivered), and appends order.updated {"order": full order}. The caller has
 * checked the transition with the domain rules. */
int store_orders_set_stage(struct store *s, int64_t id, enum domain_stage stage, int64_t at,
                           struct proto_error *err);
/* Sets paid_fen (finance confirmed money) and appends order.updated. */
int store_orders_set_paid(struct store *s, int64_t id, int64_t paid_fen, int64_t at,
                          struct proto_error *err);
/* Sets eta / delivery_at / delivery_place (0 / "" clear) and appends order.updated. */
int store_orders_set_schedule(struct store *s, int64_t id, int64_t eta, int64_t delivery_at,
                              const char *delivery_place, int64_t at, struct proto_error *err);
/* Open orders of a site (domain_stage_is_open), oldest first. */
int store_orders_list_open(struct store *s, int64_t site_id,
                           int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                           struct proto_error *err);
/* Orders of a site in stage ready, by delivery time. */
int store_orders_list_ready(struct store *s, int64_t site_id,
                            int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                            struct proto_error *err);
/* The status wall: orders being prepared (paid, ready) and those delivered in [from, to). */
int store_orders_list_wall(struct store *s, int64_t site_id, int64_t from, int64_t to,
                           int (*cb)(void *ctx, const struct store_order *o), void *ctx,
                           struct proto_error *err);
/* The full, UNMASKED order as stored in events: {"id","site_id","order_no","customer":{"id",
 * "name","gender","phone","kind"},"model":{"code","name","name_en"},"colour","quantity",
 * "unit_price_fen","total_fen","payment","paid_fen","stage","consultant":{"id","name"}|null,
 * "eta","delivery_at","delivery_place","created_at","approved_at","allocated_at","paid_at",
 * "ready_at","delivered_at","updated_at"} (absent values null). Caller frees. */
int store_orders_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- order life cycle (migration 2) ----
 * Every setter below changes one order and appends order.updated {"order": full order} in
 * the caller's transaction, like store_orders_set_stage. None checks the life-cycle rules
 * (hub/domain.h does, in the core); they check only what the schema can: known names,
 * existing rows, money >= 0. store_orders_json now also carries every field added by
 * migration 2 (see hub/STORE.md "Order JSON") plus "change_request" and "cancel_request":
 * the open request of each kind (store_request JSON) or null. */

/* Writes every mutable field of o (all but id, site_id, order_no, customer_id,
 * times.created_at) with updated_at = at and appends order.updated. The general form: read
 * with store_orders_get, change the struct, write back. */
int store_orders_update(struct store *s, const struct store_order *o, int64_t at,
                        struct proto_error *err);
/* Allocation: kind "stock" | "factory" ("" clears), vin ("" none: factory car not arrived). */
int store_orders_set_allocation(struct store *s, int64_t id, const char *kind, const char *vin,
                                int64_t at, struct proto_error *err);
/* Vehicle preparation step "cleaning" | "inspection" | "maintenance" done at `at`. */
int store_orders_set_prep(struct store *s, int64_t id, const char *step, int64_t at,
                          struct proto_error *err);
int store_orders_set_invoice(struct store *s, int64_t id, const char *invoice_no, int64_t at,
                             struct proto_error *err);
/* Loan step "documents" | "bank_approved" | "contract_signed" done at `at`. */
int store_orders_set_loan_step(struct store *s, int64_t id, const char *step, int64_t at,
                               struct proto_error *err);
/* Delivery documents: each true one is stamped `at` (kept if already stamped), false clears. */
int store_orders_set_documents(struct store *s, int64_t id, bool invoice, bool coc, bool warranty,
                               int64_t at, struct proto_error *err);
/* ETA change (order_eta): sets eta and eta_changed_at = at; appends order.updated (the
 * core appends order.eta_changed itself). */
int store_orders_set_eta(struct store *s, int64_t id, int64_t eta, int64_t at,
                         struct proto_error *err);
/* Initial review outcome details: conditions JSON array text ("" none), reason ("" keeps). */
int store_orders_set_review(struct store *s, int64_t id, const char *conditions_json,
                            const char *reason, int64_t at, struct proto_error *err);
/* Cancellation money: refund_due_fen (normally paid_fen at cancellation). */
int store_orders_set_refund_due(struct store *s, int64_t id, int64_t refund_due_fen, int64_t at,
                                struct proto_error *err);

/* Filtered, paged order list (order_list). */
struct store_order_filter {
    int64_t site_id;       /* required */
    int stage;             /* enum domain_stage, or -1 for any */
    int64_t consultant_id; /* 0 any */
    const char *q;         /* NULL/"" none; else exact order_no or the customer phone's tail */
    int limit;             /* 1..200 (callers validate; <= 0 means 50) */
    int offset;            /* >= 0 */
};
/* Newest first (created_at desc, id desc). *total (may be NULL) receives how many orders
 * match without limit/offset. */
int store_orders_list(struct store *s, const struct store_order_filter *f,
                      int (*cb)(void *ctx, const struct store_order *o), void *ctx, int *total,
                      struct proto_error *err);

/* ---- vehicles (inventory) ---- */

enum store_vehicle_state {
    STORE_VEHICLE_IN_STOCK,
    STORE_VEHICLE_RESERVED,
    STORE_VEHICLE_DELIVERED
};
const char *store_vehicle_state_name(enum store_vehicle_state st); /* "in_stock" */
int store_vehicle_state_from_name(const char *name);               /* -1 if unknown */
/* 1 if vin is 17 characters of [A-HJ-NPR-Z0-9] (upper case; I, O, Q never appear). */
int store_vin_valid(const char *vin);

struct store_vehicle {
    int64_t id;
    int64_t site_id;
    char vin[STORE_VIN_LEN + 1]; /* unique group-wide */
    char model_code[PROTO_MAX_SHORT + 1];
    char colour[PROTO_MAX_SHORT + 1];
    enum store_vehicle_state state;
    int64_t order_id; /* reserved or delivered to this order, 0 none */
    int64_t created_at, updated_at;
};

/* Inserts v (id ignored; state and order_id as given: a factory car arrives reserved).
 * PROTO_E_BAD_FIELD for a malformed VIN or unknown model, PROTO_E_INVALID_STATE for a
 * duplicate VIN. */
int store_vehicles_add(struct store *s, const struct store_vehicle *v, int64_t *id,
                       struct proto_error *err);
int store_vehicles_find(struct store *s, const char *vin, struct store_vehicle *out,
                        struct proto_error *err);
/* in_stock -> reserved for order_id; PROTO_E_INVALID_STATE (message names the state) else. */
int store_vehicles_reserve(struct store *s, const char *vin, int64_t order_id, int64_t at,
                           struct proto_error *err);
/* reserved -> in_stock, order cleared (cancellation); PROTO_E_INVALID_STATE else. */
int store_vehicles_release(struct store *s, const char *vin, int64_t at, struct proto_error *err);
/* reserved -> delivered (order_deliver); PROTO_E_INVALID_STATE else. */
int store_vehicles_deliver(struct store *s, const char *vin, int64_t at, struct proto_error *err);
/* Vehicles of a site (0: all) in `state` (-1: any), of model_code (NULL/"": any), by VIN. */
int store_vehicles_list(struct store *s, int64_t site_id, int state, const char *model_code,
                        int (*cb)(void *ctx, const struct store_vehicle *v), void *ctx,
                        struct proto_error *err);

/* ---- payments and refunds ---- */

struct store_payment {
    int64_t id;
    int64_t order_id;
    char kind[STORE_CODE_MAX + 1]; /* deposit|balance|down_payment|loan_disbursement */
    int64_t amount_fen;            /* > 0 */
    char reference[PROTO_MAX_SHORT + 1];
    int64_t at;
    int64_t staff_id; /* finance who confirmed, 0 none (CLI, demo) */
};

/* Inserts p (id ignored), adds amount_fen to the order's paid_fen (and to down_payment_fen /
 * loan_disbursed_fen for those kinds) and appends order.updated. Does not move the stage. */
int store_payments_add(struct store *s, const struct store_payment *p, int64_t *id,
                       struct proto_error *err);
/* Payments of an order, oldest first. */
int store_payments_list(struct store *s, int64_t order_id,
                        int (*cb)(void *ctx, const struct store_payment *p), void *ctx,
                        struct proto_error *err);

struct store_refund {
    int64_t id;
    int64_t order_id;
    int64_t amount_fen; /* > 0 */
    char reference[PROTO_MAX_SHORT + 1];
    int64_t at;
    int64_t staff_id;
};

/* Inserts r, adds amount_fen to the order's refunded_fen and appends order.updated. */
int store_refunds_add(struct store *s, const struct store_refund *r, int64_t *id,
                      struct proto_error *err);
int store_refunds_list(struct store *s, int64_t order_id,
                       int (*cb)(void *ctx, const struct store_refund *r), void *ctx,
                       struct proto_error *err);

/* ---- change and cancellation requests ---- */

enum store_request_kind { STORE_REQUEST_CHANGE, STORE_REQUEST_CANCEL };
enum store_request_state {
    STORE_REQUEST_PENDING,
    STORE_REQUEST_APPROVED,
    STORE_REQUEST_REJECTED,
    STORE_REQUEST_APPLIED
};
enum store_decision { STORE_DECISION_NONE, STORE_DECISION_APPROVED, STORE_DECISION_REJECTED };
enum store_reviewer { STORE_REVIEWER_SUPERVISOR, STORE_REVIEWER_MANAGER };
const char *store_request_kind_name(enum store_request_kind k);    /* "change" | "cancel" */
const char *store_request_state_name(enum store_request_state st); /* "pending" */
const char *store_decision_name(enum store_decision d);            /* "none" */

struct store_request {
    int64_t id;
    int64_t order_id;
    enum store_request_kind kind;
    /* change: {"field": {"old": v, "new": v}, ...}; cancel: "" */
    char changes[STORE_CHANGES_MAX + 1];
    char reason[PROTO_MAX_TEXT + 1];
    bool needs_manager; /* change: set by the requester (core); cancel: by the supervisor */
    int64_t requested_by;
    int64_t requested_at;
    enum store_decision supervisor_decision;
    int64_t supervisor_id, supervisor_at;
    char supervisor_reason[PROTO_MAX_TEXT + 1];
    enum store_decision manager_decision;
    int64_t manager_id, manager_at;
    char manager_reason[PROTO_MAX_TEXT + 1];
    enum store_request_state state;
    int64_t closed_at; /* when it became rejected or applied (approved cancel: applied) */
};

/* Inserts r as pending (id, decisions and state ignored). At most one pending request of
 * each kind per order: a second is PROTO_E_INVALID_STATE. Appends order.updated. */
int store_requests_add(struct store *s, const struct store_request *r, int64_t *id,
                       struct proto_error *err);
int store_requests_get(struct store *s, int64_t id, struct store_request *out,
                       struct proto_error *err);
/* The pending request of `kind` for the order; PROTO_E_NOT_FOUND if none. */
int store_requests_open(struct store *s, int64_t order_id, enum store_request_kind kind,
                        struct store_request *out, struct proto_error *err);
/* Records one reviewer's decision on a pending request and moves it:
 * - reject (either reviewer) -> rejected (closed_at = at);
 * - supervisor approves: needs_manager |= the argument; then pending (awaiting the
 *   manager) if needs_manager, else approved;
 * - manager approves -> approved.
 * PROTO_E_INVALID_STATE when the request is not pending, the supervisor already decided
 * (supervisor), or the supervisor has not approved / no manager is needed (manager).
 * *out (may be NULL) receives the request afterwards. Appends order.updated. */
int store_requests_decide(struct store *s, int64_t id, enum store_reviewer who, bool approve,
                          bool needs_manager, int64_t staff_id, const char *reason, int64_t at,
                          struct store_request *out, struct proto_error *err);
/* approved -> applied (the core applied the change / cancelled the order). */
int store_requests_set_applied(struct store *s, int64_t id, int64_t at, struct proto_error *err);
/* Requests of an order (both kinds), oldest first. */
int store_requests_list(struct store *s, int64_t order_id,
                        int (*cb)(void *ctx, const struct store_request *r), void *ctx,
                        struct proto_error *err);
/* JSON of one request: {"id","kind","changes" (object|null),"reason","needs_manager",
 * "requested_by","requested_at","supervisor":{"decision","staff_id","at","reason"},
 * "manager":{...},"state","closed_at"}. Caller frees. NULL on out of memory. */
cJSON *store_requests_json(const struct store_request *r);

/* ---- order notes (communication log) ---- */

struct store_note {
    int64_t id;
    int64_t order_id;
    char way[STORE_CODE_MAX + 1]; /* phone|email|face_to_face|sms|wechat */
    char summary[PROTO_MAX_TEXT + 1];
    bool customer_visible;
    int64_t staff_id; /* 0 none (CLI) */
    int64_t at;
};

/* Inserts n (id ignored). A customer-visible note appends order.updated (status kiosks show
 * it); a private one appends nothing. */
int store_notes_add(struct store *s, const struct store_note *n, int64_t *id,
                    struct proto_error *err);
/* Notes of an order, oldest first; visible_only skips private ones. */
int store_notes_list(struct store *s, int64_t order_id, bool visible_only,
                     int (*cb)(void *ctx, const struct store_note *n), void *ctx,
                     struct proto_error *err);
/* Latest customer-visible note at or after `since`, for the ETA-notify time limit: *at = its
 * time, or 0 if none. */
int store_notes_visible_since(struct store *s, int64_t order_id, int64_t since, int64_t *at,
                              struct proto_error *err);

/* ---- delivery sign-offs (immutable) ---- */

struct store_signoff {
    int64_t id;
    int64_t order_id;
    int64_t staff_id;
    int64_t device_id; /* 0 none */
    int64_t at;
    char *checklist; /* JSON object text; add: borrowed, get: owned */
    char *strokes;   /* JSON array of strokes of [x,y,t]; add: borrowed, get: owned */
    char png_sha256[STORE_HASH_HEX_LEN + 1]; /* "" none */
    int rating;                              /* 1..5, 0 none */
    char comment[PROTO_MAX_TEXT + 1];
    char hash[STORE_HASH_HEX_LEN + 1]; /* computed by store_signoffs_add */
};

/* Inserts the sign-off of an order (one per order: a second is PROTO_E_INVALID_STATE). The
 * JSON texts are canonicalised and the record's hash computed (hub/STORE.md "Sign-off
 * hash"); out->hash (may be NULL) receives it. Rows can never be updated or deleted (SQL
 * triggers refuse). */
int store_signoffs_add(struct store *s, const struct store_signoff *in, int64_t *id,
                       char hash[STORE_HASH_HEX_LEN + 1], struct proto_error *err);
/* The order's sign-off; out's checklist/strokes are owned: store_signoff_free(out). */
int store_signoffs_get(struct store *s, int64_t order_id, struct store_signoff *out,
                       struct proto_error *err);
void store_signoff_free(struct store_signoff *so); /* frees checklist/strokes, NULL-safe */
/* The sealed bytes of a sign-off (hub/STORE.md "Sign-off hash"): the canonical JSON whose
 * BLAKE2b hash is so->hash and which the hub signs. checklist/strokes may be any JSON text
 * (canonicalised here). 0 with *text (free()), or -1 with *err. */
int store_signoffs_canon(const struct store_signoff *so, char **text, struct proto_error *err);

/* ---- per-site settings (time limits) ---- */

/* Keys are domain_sla_key() names (entry_hours, initial_review_hours, final_review_hours,
 * eta_notify_hours, close_hours); defaults DOMAIN_SLA_DEFAULT_*; values 1..DOMAIN_SLA_MAX_HOURS.
 */
/* The site's value, or the key's default when the site has none. PROTO_E_BAD_FIELD for an
 * unknown key. *is_default (may be NULL) tells which. */
int store_settings_get(struct store *s, int64_t site_id, const char *key, int64_t *value,
                       bool *is_default, struct proto_error *err);
/* PROTO_E_BAD_FIELD (unknown key) or PROTO_E_OUT_OF_RANGE (value), as domain_sla_set. */
int store_settings_set(struct store *s, int64_t site_id, const char *key, int64_t value,
                       struct proto_error *err);
/* Every key for the site in enum domain_sla_kind order, with its value and whether it is
 * the default. */
int store_settings_list(struct store *s, int64_t site_id,
                        int (*cb)(void *ctx, const char *key, int64_t value, bool is_default),
                        void *ctx, struct proto_error *err);
/* All of the site's limits at once, ready for domain_order_deadlines. */
int store_settings_sla(struct store *s, int64_t site_id, struct domain_sla_settings *out,
                       struct proto_error *err);

/* ---- time-limit breaches ---- */

/* Records that the order's `kind` deadline (entry|initial_review|final_review|eta_notify|
 * close) was missed. Once per (order, kind): *is_new is true only the first time. */
int store_sla_record(struct store *s, int64_t order_id, const char *kind, int64_t due_at,
                     int64_t at, bool *is_new, struct proto_error *err);
/* Breaches of an order, in order of recording. */
int store_sla_list(struct store *s, int64_t order_id,
                   int (*cb)(void *ctx, const char *kind, int64_t due_at, int64_t at), void *ctx,
                   struct proto_error *err);

/* ---- audit trail (hash-chained, append-only) ---- */

struct store_audit {
    int64_t id; /* consecutive from 1 */
    int64_t at;
    int64_t site_id;                     /* 0: not tied to a site */
    char actor[PROTO_MAX_SHORT + 1];     /* "staff:S007", "device:3", "cli" */
    char entity[PROTO_MAX_SHORT + 1];    /* "order", "vehicle", "setting", ... */
    char entity_id[PROTO_MAX_SHORT + 1]; /* e.g. the order number */
    char action[PROTO_MAX_SHORT + 1];    /* e.g. the command type */
    const char *before;                  /* canonical JSON text or NULL; borrowed in callbacks */
    const char *after;
    char prev_hash[STORE_HASH_HEX_LEN + 1];
    char hash[STORE_HASH_HEX_LEN + 1];
};

/* Appends a record. before_json/after_json: JSON texts or NULL (stored canonicalised:
 * keys sorted, compact). hash = BLAKE2b-256 hex of prev_hash "\n" canonical record, as
 * hub/STORE.md "Audit chain" specifies byte for byte. *id (may be NULL) receives the id.
 * Call inside the write transaction of the change it records. */
int store_audit_append(struct store *s, int64_t site_id, const char *actor, const char *entity,
                       const char *entity_id, const char *action, const char *before_json,
                       const char *after_json, int64_t at, int64_t *id, struct proto_error *err);
/* Same with cJSON values (borrowed; NULL allowed). */
int store_audit_append_json(struct store *s, int64_t site_id, const char *actor, const char *entity,
                            const char *entity_id, const char *action, const cJSON *before,
                            const cJSON *after, int64_t at, int64_t *id, struct proto_error *err);

/* Same with trees the caller owns and frees, which are stripped of personal data in place:
 * one copy fewer than store_audit_append_json for a caller that built them for the record. */
int store_audit_append_tree(struct store *s, int64_t site_id, const char *actor, const char *entity,
                            const char *entity_id, const char *action, cJSON *before, cJSON *after,
                            int64_t at, int64_t *id, struct proto_error *err);

struct store_audit_result {
    bool ok;
    int64_t count;    /* records checked (all of them when ok) */
    int64_t bad_id;   /* first broken record (0 when ok; for a truncated tail: the head) */
    char reason[256]; /* what differs */
};
/* Walks the chain from the first record: ids consecutive, each prev_hash equal to the
 * previous hash (64 zeros for the first), each hash recomputed, and the last record equal
 * to the head kept in meta (catches a deleted tail). Returns 0 with *out filled whether the
 * chain is intact or not; -1 only when the walk itself failed. */
int store_audit_verify(struct store *s, struct store_audit_result *out, struct proto_error *err);
/* Records of one entity (e.g. "order", "SF2611-0001"), oldest first. */
int store_audit_list(struct store *s, const char *entity, const char *entity_id,
                     int (*cb)(void *ctx, const struct store_audit *a), void *ctx,
                     struct proto_error *err);

/* ---- canonical JSON (audit, sign-offs, anyone who hashes JSON) ---- */

/* Compact JSON with object keys sorted by byte order, integers without exponent, strings
 * escaped as Python's json.dumps(ensure_ascii=False) does, so the text can be reproduced
 * independently. Caller frees with free(). NULL on out of memory. */
char *store_canon_json(const cJSON *v);

/* ---- the event log ---- */

struct store_event {
    int64_t seq; /* hub-wide, strictly increasing */
    int64_t site_id;
    const char *kind; /* borrowed for the callback */
    int64_t at;
    const char *data; /* JSON text, full except customers (masked: hub/PRIVACY.md); borrowed */
};

/* Appends an event; *seq (may be NULL) receives its seq. data_json must be a JSON object. */
int store_events_append(struct store *s, int64_t site_id, const char *kind, int64_t at,
                        const char *data_json, int64_t *seq, struct proto_error *err);
/* Same with a cJSON object (borrowed). */
int store_events_append_json(struct store *s, int64_t site_id, const char *kind, int64_t at,
                             const cJSON *data, int64_t *seq, struct proto_error *err);
/* Calls cb for events with seq > since in order, at most max (<= 0: no limit). Returns the
 * number passed, or -1. */
int store_events_after(struct store *s, int64_t since, int max,
                       int (*cb)(void *ctx, const struct store_event *ev), void *ctx,
                       struct proto_error *err);
/* A site's staff notifications ("staff.notify" events) with at >= since, newest first, at
 * most `max` (<= 0: no limit): the board snapshot's last notifications of today. Only this
 * kind is indexed by site and time (migration 10). */
int store_events_notify_recent(struct store *s, int64_t site_id, int64_t since, int max,
                               int (*cb)(void *ctx, const struct store_event *ev), void *ctx,
                               struct proto_error *err);
/* Latest / oldest seq in the log; 0 when the log is empty. */
int store_events_last_seq(struct store *s, int64_t *seq, struct proto_error *err);
int store_events_oldest_seq(struct store *s, int64_t *seq, struct proto_error *err);

/* ---- command ids (idempotency) ---- */

struct store_command {
    char type[PROTO_MAX_SHORT + 1];
    char args_hash[STORE_HASH_HEX_LEN + 1];
    char *result; /* JSON text of the result data; owned: free() it */
    int64_t at;
};

/* PROTO_E_NOT_FOUND when (device_id, cmd_id) was never stored. */
int store_commands_get(struct store *s, int64_t device_id, const char *cmd_id,
                       struct store_command *out, struct proto_error *err);
int store_commands_put(struct store *s, int64_t device_id, const char *cmd_id, const char *type,
                       const char *args_hash, const char *result_json, int64_t at,
                       struct proto_error *err);
/* The same from the result's tree (masked on a copy, printed once). With `printed`, when
 * masking left the result as it is, *printed = the stored text, which is proto_json_print of
 * the tree (the caller frees it; the answer can reuse it); else NULL. */
int store_commands_put_json(struct store *s, int64_t device_id, const char *cmd_id,
                            const char *type, const char *args_hash, const cJSON *result,
                            int64_t at, char **printed, struct proto_error *err);
/* Forgets command ids stored before `before` (kept at least 7 days by the caller's choice). */
int store_commands_prune(struct store *s, int64_t before, struct proto_error *err);

/* ---- savepoints (store_savepoint.c): group commit's per-command undo ---- */

/* 1 while a transaction is open on this handle. */
bool store_in_transaction(struct store *s);
/* Rows inserted, updated or deleted on this connection so far, triggers included
 * (sqlite3_total_changes64): a command that failed without moving it wrote nothing. */
int64_t store_total_changes(struct store *s);
/* SAVEPOINT inside the open write transaction; store_release() keeps its writes,
 * store_rollback_to() undoes them (and releases it). A transaction that SQLite already
 * rolled back as a whole makes store_rollback_to() fail: the caller's COMMIT then fails. */
int store_savepoint(struct store *s, struct proto_error *err);
int store_release(struct store *s, struct proto_error *err);
int store_rollback_to(struct store *s, struct proto_error *err);

/* ======== issue 4 (migration 3): leads, reception, conflicts, complaints ========
 * hub/STORE.md "Schema (migration 3)" lists the tables. Every function keeps the
 * conventions at the top of this file. The store checks only what the schema can (known
 * names, existing rows, ranges, one-shot state moves); the rules (who may, when, cadences,
 * deadlines) are hub/domain.h's and the core's. */

/* ---- staff attributes for lead assignment ---- */

/* Sets a staff member's region (NULL keeps, "" clears), expertise models (NULL keeps, ""
 * clears; comma-separated codes, each an existing model: PROTO_E_BAD_FIELD "models" else;
 * stored without spaces) and ability (0 keeps, else 1..5: PROTO_E_OUT_OF_RANGE). */
int store_staff_set_attrs(struct store *s, int64_t staff_id, const char *region, const char *models,
                          int ability, struct proto_error *err);

/* A possible holder of a lead, as the assignment rule weighs them. */
struct store_lead_candidate {
    int64_t staff_id;
    char staff_no[PROTO_MAX_SHORT + 1];
    char name[PROTO_MAX_NAME + 1];
    char region[STORE_REGION_MAX + 1];
    char models[STORE_MODELS_MAX + 1];
    int ability;
    int open_leads; /* workload: open leads they hold (owner, or telesales without owner) */
};
/* Active staff of a site with `role` (telesales or consultant normally), ordered by staff
 * id. Fills at most `cap`; *n = how many were filled. */
int store_staff_candidates(struct store *s, int64_t site_id, enum domain_role role,
                           struct store_lead_candidate *out, size_t cap, size_t *n,
                           struct proto_error *err);

/* ---- leads (beyond store_leads_add / _open_for_customer above) ---- */

int store_leads_get(struct store *s, int64_t id, struct store_lead *out, struct proto_error *err);
/* The site's lead with this external_ref (any status); PROTO_E_NOT_FOUND if none. */
int store_leads_find_by_ref(struct store *s, int64_t site_id, const char *external_ref,
                            struct store_lead *out, struct proto_error *err);
/* Writes every mutable field of l (all but id, site_id, customer_id) with updated_at = at
 * and appends lead.updated {"lead": full lead}. The general form: get, change, write back.
 * The status decides: flagged_invalid is set from it (only store_leads_add also reads a
 * set flag as "invalid", for version-1 callers). */
int store_leads_update(struct store *s, const struct store_lead *l, int64_t at,
                       struct proto_error *err);
/* Dedup merge of a new inquiry `in` into the existing lead `id`: fills its empty fields
 * (name, region, model_code, budget_fen when 0, external_ref, invited_by), keeps the EARLIEST
 * created_at, records in->channel / external_ref / created_at as a lead_sources row, and
 * appends lead.updated. A lead that was invalid only for missing fields stays as the caller
 * decides: the caller re-checks and calls store_leads_update if needed. *out (may be NULL)
 * receives the merged lead. */
int store_leads_merge(struct store *s, int64_t id, const struct store_lead *in, int64_t at,
                      struct store_lead *out, struct proto_error *err);

/* Whether an inquiry (channel, external_ref "" = any, created_at 0 = any) is already recorded
 * on lead `lead_id`, as the lead itself or one of its sources: an import run twice merges
 * nothing twice. */
int store_leads_seen(struct store *s, int64_t lead_id, const char *channel,
                     const char *external_ref, int64_t created_at, bool *seen,
                     struct proto_error *err);

struct store_lead_source {
    int64_t id;
    int64_t lead_id;
    char channel[PROTO_MAX_SHORT + 1];
    char external_ref[PROTO_MAX_SHORT + 1]; /* "" none */
    int64_t created_at;                     /* when the merged inquiry was made */
    int64_t at;                             /* when it was merged */
};
/* Extra channels of a lead (merged duplicates), oldest merge first. */
int store_leads_sources(struct store *s, int64_t lead_id,
                        int (*cb)(void *ctx, const struct store_lead_source *src), void *ctx,
                        struct proto_error *err);

/* (Re)assigns lead `id` to staff `to_id` at `at`: a telesales person becomes telesales_id
 * (and owner_id is cleared: the lead is back with telesales), a consultant becomes owner_id;
 * other roles are PROTO_E_BAD_FIELD "to". Sets assigned_at = at, first_callback_due_at and
 * next_due_at = first_callback_due (the caller computes it: at + 24 h), records a
 * lead_assignments row (from = the previous holder, by = by_id or 0 for "rule", reason) and
 * appends lead.updated. *out (may be NULL) receives the lead afterwards. */
int store_leads_assign(struct store *s, int64_t id, int64_t to_id, int64_t by_id,
                       const char *reason, int64_t first_callback_due, int64_t at,
                       struct store_lead *out, struct proto_error *err);

struct store_lead_assignment {
    int64_t id;
    int64_t lead_id;
    int64_t from_id; /* previous holder, 0 none */
    int64_t to_id;
    int64_t by_id; /* staff who decided, 0 = the assignment rule */
    char reason[PROTO_MAX_TEXT + 1];
    int64_t at;
};
/* Assignment history of a lead, oldest first. */
int store_leads_assignments(struct store *s, int64_t lead_id,
                            int (*cb)(void *ctx, const struct store_lead_assignment *a), void *ctx,
                            struct proto_error *err);

struct store_lead_followup {
    int64_t id;
    int64_t lead_id;
    char way[STORE_CODE_MAX + 1]; /* phone|sms|email|visit|test_drive_invite */
    char content[PROTO_MAX_TEXT + 1];
    char feedback[PROTO_MAX_TEXT + 1];
    char grade; /* grade set by this follow-up, '\0' none */
    int64_t staff_id;
    int64_t at;
};
/* Records follow-up f (id ignored; way CHECKed) and moves the lead: last_followup_at = f->at,
 * next_due_at = the argument (0 none), grade and graded_at when f->grade is set, grade_due
 * as given; appends lead.updated. The caller computes next_due_at / grade_due with
 * store_leads_followup_stats and the domain's cadence. */
int store_leads_followup(struct store *s, const struct store_lead_followup *f, int64_t next_due_at,
                         bool grade_due, int64_t *id, struct proto_error *err);
/* Follow-ups of a lead, oldest first. */
int store_leads_followups(struct store *s, int64_t lead_id,
                          int (*cb)(void *ctx, const struct store_lead_followup *f), void *ctx,
                          struct proto_error *err);
/* Follow-ups of a lead at or after `since`: how many, and how many of them set a grade. */
int store_leads_followup_stats(struct store *s, int64_t lead_id, int64_t since, int *count,
                               int *graded, struct proto_error *err);

/* Conversion: status converted, grade 'O', graded_at = at, order_id; lead.updated.
 * PROTO_E_INVALID_STATE unless the lead is open. */
int store_leads_convert(struct store *s, int64_t id, int64_t order_id, int64_t at,
                        struct proto_error *err);

/* Open leads of a site (site_id 0: all) whose next_due_at (the current due time: the first
 * callback after an assignment, the cadence after a follow-up; 0 = nothing due) is at or
 * before `now` and not yet reported for that due time. cb gets the lead and the due time;
 * it is a first-callback breach when due_at == first_callback_due_at and
 * last_followup_at < assigned_at. */
int store_leads_overdue(struct store *s, int64_t site_id, int64_t now,
                        int (*cb)(void *ctx, const struct store_lead *l, int64_t due_at), void *ctx,
                        struct proto_error *err);
/* Records that (lead, due_at) was reported; *is_new only the first time. */
int store_leads_overdue_record(struct store *s, int64_t lead_id, int64_t due_at, int64_t at,
                               bool *is_new, struct proto_error *err);

/* Filtered, paged lead list (lead_list, CLI lead list). */
struct store_lead_filter {
    int64_t site_id;     /* required */
    int status;          /* enum store_lead_status, -1 any */
    char grade;          /* '\0' any */
    int64_t holder_id;   /* 0 any; else owner_id or telesales_id equals it */
    int64_t customer_id; /* 0 any */
    const char *q;       /* NULL/"" none; else >= 4 trailing phone digits, or name substring */
    int limit;           /* <= 0 means 50 */
    int offset;          /* >= 0 */
};
/* Newest first (created_at desc, id desc); *total (may be NULL) = matches without paging. */
int store_leads_list(struct store *s, const struct store_lead_filter *f,
                     int (*cb)(void *ctx, const struct store_lead *l), void *ctx, int *total,
                     struct proto_error *err);
/* The full, UNMASKED lead: {"id","site_id","customer":{"id","name","gender","phone","kind"},
 * "name","region","channel","sources":[{"channel","external_ref","created_at","at"}],
 * "model","budget_fen","grade","status","invalid_reason","external_ref",
 * "owner":{"id","name"}|null,"telesales":{..}|null,"invited_by":{..}|null,"created_at",
 * "assigned_at","first_callback_due_at","next_due_at","last_followup_at","graded_at",
 * "order_id","grade_due","followups":N,"updated_at"} (absent values null). Caller frees. */
int store_leads_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- visits (migration 3) ---- */

/* The customer's visit at `site_id` that arrived in [from, to) and is not departed, the
 * newest; PROTO_E_NOT_FOUND if none (a second check-in on one day returns this visit). */
int store_visits_open_for_customer(struct store *s, int64_t site_id, int64_t customer_id,
                                   int64_t from, int64_t to, struct store_visit *out,
                                   struct proto_error *err);
/* Departure with what was learnt: status departed at `at`, grade_after ('\0' none; H A B F
 * L O else PROTO_E_BAD_FIELD), trade_in ("" none), auto_closed; appends visit.updated.
 * PROTO_E_INVALID_STATE when already departed. */
int store_visits_depart(struct store *s, int64_t id, char grade_after, const char *trade_in,
                        bool auto_closed, int64_t at, struct proto_error *err);
/* Links the visit to an appointment; appends visit.updated. */
int store_visits_set_appointment(struct store *s, int64_t id, int64_t appointment_id, int64_t at,
                                 struct proto_error *err);

/* ---- appointments ---- */

enum store_appointment_state { STORE_APPT_SCHEDULED, STORE_APPT_SHOWN, STORE_APPT_NO_SHOW };
const char *store_appointment_state_name(enum store_appointment_state st); /* "scheduled" */
int store_appointment_state_from_name(const char *name);                   /* -1 if unknown */

struct store_appointment {
    int64_t id;
    int64_t site_id;
    int64_t lead_id; /* 0 none */
    int64_t customer_id;
    int64_t telesales_id; /* who invited */
    int64_t at;           /* the appointed time */
    enum store_appointment_state state;
    int64_t visit_id; /* set when shown */
    int64_t created_at, updated_at;
};
/* Inserts a (id ignored, state scheduled unless given) and appends appointment.updated
 * {"appointment": full}. */
int store_appointments_add(struct store *s, const struct store_appointment *a, int64_t *id,
                           struct proto_error *err);
int store_appointments_get(struct store *s, int64_t id, struct store_appointment *out,
                           struct proto_error *err);
/* The customer's scheduled appointment at the site with `at` in [from, to), the one closest
 * to `near`; PROTO_E_NOT_FOUND if none. */
int store_appointments_for_checkin(struct store *s, int64_t site_id, int64_t customer_id,
                                   int64_t from, int64_t to, int64_t near,
                                   struct store_appointment *out, struct proto_error *err);
/* scheduled -> shown (visit_id set) or no_show; PROTO_E_INVALID_STATE otherwise. Appends
 * appointment.updated. */
int store_appointments_set_state(struct store *s, int64_t id, enum store_appointment_state st,
                                 int64_t visit_id, int64_t at, struct proto_error *err);
/* Scheduled appointments of a site (0: all) with at < before, oldest first (no-show
 * candidates: before = now - grace). */
int store_appointments_due(struct store *s, int64_t site_id, int64_t before,
                           int (*cb)(void *ctx, const struct store_appointment *a), void *ctx,
                           struct proto_error *err);
struct store_appointment_filter {
    int64_t site_id;      /* required */
    int64_t from, to;     /* appointed time in [from, to); to 0 = no upper bound */
    int state;            /* -1 any */
    int64_t telesales_id; /* 0 any */
    int limit, offset;    /* limit <= 0 means 50 */
};
/* By appointed time, oldest first. */
int store_appointments_list(struct store *s, const struct store_appointment_filter *f,
                            int (*cb)(void *ctx, const struct store_appointment *a), void *ctx,
                            int *total, struct proto_error *err);
/* {"id","site_id","lead_id","customer":{"id","name","gender","phone","kind"},
 * "telesales":{"id","name"}|null,"at","state","visit_id","created_at","updated_at"}. */
int store_appointments_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- conflicts (撞单) ---- */

enum store_conflict_state { STORE_CONFLICT_OPEN, STORE_CONFLICT_RULED };
const char *store_conflict_state_name(enum store_conflict_state st); /* "open" | "ruled" */

struct store_conflict {
    int64_t id;
    int64_t site_id;
    int64_t customer_id;
    int64_t lead_id; /* the disputed lead */
    /* JSON array of claimants, each {"staff_id", "role", "evidence": {...}}: canonicalised */
    char claimants[STORE_JSON_SMALL_MAX + 1];
    enum store_conflict_state state;
    int64_t winner_id; /* 0 until ruled */
    char reason[PROTO_MAX_TEXT + 1];
    int64_t ruled_by, ruled_at, opened_at;
};
/* Inserts c as open and appends conflict.opened {"conflict": full}. One open conflict per
 * lead: a second is PROTO_E_INVALID_STATE. claimants must be a JSON array (PROTO_E_BAD_FIELD).
 */
int store_conflicts_add(struct store *s, const struct store_conflict *c, int64_t *id,
                        struct proto_error *err);
int store_conflicts_get(struct store *s, int64_t id, struct store_conflict *out,
                        struct proto_error *err);
/* The lead's open conflict; PROTO_E_NOT_FOUND if none. */
int store_conflicts_open_for_lead(struct store *s, int64_t lead_id, struct store_conflict *out,
                                  struct proto_error *err);
/* open -> ruled (final: PROTO_E_INVALID_STATE if already ruled); appends conflict.ruled.
 * Moving the lead to the winner is the caller's (store_leads_assign). */
int store_conflicts_rule(struct store *s, int64_t id, int64_t winner_id, const char *reason,
                         int64_t ruled_by, int64_t at, struct proto_error *err);
/* Conflicts of a site, state -1 any; newest first; paged like the others. */
int store_conflicts_list(struct store *s, int64_t site_id, int state, int limit, int offset,
                         int (*cb)(void *ctx, const struct store_conflict *c), void *ctx,
                         int *total, struct proto_error *err);
/* {"id","site_id","customer":{..},"lead_id","claimants":[..] with "name" added to each,
 * "state","winner":{"id","name"}|null,"reason","ruled_by":{..}|null,"ruled_at","opened_at"}. */
int store_conflicts_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- complaints ---- */

enum store_complaint_state { STORE_COMPLAINT_OPEN, STORE_COMPLAINT_CLOSED };
enum store_validity { STORE_VALIDITY_UNKNOWN, STORE_VALIDITY_VALID, STORE_VALIDITY_INVALID };
const char *store_complaint_state_name(enum store_complaint_state st); /* "open" | "closed" */
const char *store_validity_name(enum store_validity v); /* "unknown" | "valid" | "invalid" */
/* on_site|call_centre|phone|fax|email|media|letter */
bool store_complaint_channel_valid(const char *channel);

struct store_complaint {
    int64_t id;
    int64_t site_id;
    int64_t customer_id;
    int64_t order_id;                 /* 0 none */
    char channel[STORE_CODE_MAX + 1]; /* store_complaint_channel_valid */
    char kind[STORE_CODE_MAX + 1];    /* service | product */
    char summary[PROTO_MAX_TEXT + 1];
    enum store_validity validity;
    char validity_reason[PROTO_MAX_TEXT + 1];
    int level;          /* 1 supervisor, 2 department manager, 3 general manager */
    int64_t handler_id; /* staff handling it now, 0 none */
    enum store_complaint_state state;
    int64_t opened_at, first_response_at, contact_at, last_progress_at, closed_at;
    char resolution[PROTO_MAX_TEXT + 1];
    bool must_resolve;
    char source[STORE_CODE_MAX + 1]; /* direct | delivery_rating */
    int64_t opened_by;               /* 0 none (rating, CLI) */
    int64_t updated_at;
};
/* Inserts c as open (id ignored; source "" means direct) and appends complaint.opened
 * {"complaint": full}. */
int store_complaints_add(struct store *s, const struct store_complaint *c, int64_t *id,
                         struct proto_error *err);
int store_complaints_get(struct store *s, int64_t id, struct store_complaint *out,
                         struct proto_error *err);
/* Writes every mutable field (general form) and appends complaint.updated. */
int store_complaints_update(struct store *s, const struct store_complaint *c, int64_t at,
                            struct proto_error *err);
/* A response of `kind` first_response | contact | progress: an event row, and the first
 * stamp of its kind (first_response_at, contact_at) or last_progress_at = at (each kind
 * also counts as progress). PROTO_E_INVALID_STATE on a closed complaint. complaint.updated. */
int store_complaints_respond(struct store *s, int64_t id, const char *kind, const char *text,
                             int64_t staff_id, int64_t at, struct proto_error *err);
/* Validity decision with reason; an event row; complaint.updated. */
int store_complaints_set_validity(struct store *s, int64_t id, enum store_validity v,
                                  const char *reason, int64_t staff_id, int64_t at,
                                  struct proto_error *err);
/* Raises the level to `level` (must be above the current one and <= 3, else
 * PROTO_E_INVALID_STATE) with the new handler; event row "escalation" (by staff_id, 0 =
 * the hub's timer; reason); complaint.updated (the core appends complaint.escalated). */
int store_complaints_escalate(struct store *s, int64_t id, int level, int64_t handler_id,
                              const char *reason, int64_t staff_id, int64_t at,
                              struct proto_error *err);
/* open -> closed with the resolution; PROTO_E_INVALID_STATE if closed. complaint.updated. */
int store_complaints_close(struct store *s, int64_t id, const char *resolution, int64_t staff_id,
                           int64_t at, struct proto_error *err);

struct store_complaint_event {
    int64_t id;
    int64_t complaint_id;
    char kind[STORE_CODE_MAX + 1]; /* first_response|contact|progress|validity|escalation|close */
    char text[PROTO_MAX_TEXT + 1];
    int level;        /* escalation: the new level; else the level at the time */
    int64_t staff_id; /* 0 = the hub */
    int64_t at;
};
int store_complaints_events(struct store *s, int64_t complaint_id,
                            int (*cb)(void *ctx, const struct store_complaint_event *e), void *ctx,
                            struct proto_error *err);
struct store_complaint_filter {
    int64_t site_id;    /* required */
    int state;          /* -1 any */
    int level;          /* 0 any */
    int64_t handler_id; /* 0 any */
    int limit, offset;  /* limit <= 0 means 50 */
};
/* Newest first. */
int store_complaints_list(struct store *s, const struct store_complaint_filter *f,
                          int (*cb)(void *ctx, const struct store_complaint *c), void *ctx,
                          int *total, struct proto_error *err);
/* {"id","site_id","customer":{..},"order":{"id","order_no"}|null,"channel","kind","summary",
 * "validity","validity_reason","level","handler":{"id","name"}|null,"state","opened_at",
 * "first_response_at","contact_at","last_progress_at","closed_at","resolution",
 * "must_resolve","source","opened_by","updated_at","events":[{"kind","text","level",
 * "staff_id","at"}],"satisfaction":{"score","comment","at"}|null}. */
int store_complaints_json(struct store *s, int64_t id, cJSON **out, struct proto_error *err);

/* ---- satisfaction (complaint surveys and delivery ratings) ---- */

struct store_satisfaction {
    int64_t id;
    int64_t site_id;
    int64_t complaint_id; /* exactly one of complaint_id / order_id */
    int64_t order_id;
    int score; /* 1..5 */
    char comment[PROTO_MAX_TEXT + 1];
    int64_t staff_id; /* who recorded it, 0 none */
    int64_t at;
};
/* One per complaint and one per order: a second is PROTO_E_INVALID_STATE. A survey of a
 * complaint appends complaint.updated. */
int store_satisfaction_add(struct store *s, const struct store_satisfaction *r, int64_t *id,
                           struct proto_error *err);
/* Records of a site with at in [from, to), oldest first; *count / *sum (may be NULL) over
 * them, for averages. */
int store_satisfaction_list(struct store *s, int64_t site_id, int64_t from, int64_t to,
                            int (*cb)(void *ctx, const struct store_satisfaction *r), void *ctx,
                            int *count, int64_t *sum, struct proto_error *err);

/* ---- deadline reports (the hub's timer reports each breach once) ---- */

/* kind: "complaint" | "conflict" | "appointment"; what: the deadline ("first_response",
 * "contact", "progress", "ruling", "no_show", ...). Once per (kind, ref_id, what, due_at):
 * *is_new only the first time. */
int store_deadlines_record(struct store *s, const char *kind, int64_t ref_id, const char *what,
                           int64_t due_at, int64_t at, bool *is_new, struct proto_error *err);

/* ---- webhook outbox (staff.notify forwarded per site, in seq order) ---- */

enum store_webhook_state { STORE_WEBHOOK_PENDING, STORE_WEBHOOK_SENT, STORE_WEBHOOK_DROPPED };
struct store_webhook {
    int64_t id;
    int64_t site_id;
    int64_t seq; /* the event's seq; unique */
    char payload[STORE_WEBHOOK_MAX + 1];
    int tries;
    int64_t next_try_at;
    enum store_webhook_state state;
    char last_error[PROTO_MAX_TEXT + 1];
    int64_t created_at, done_at;
};
/* Queues payload (JSON object text) for event `seq`; a seq already queued is a no-op with
 * *is_new false. */
int store_webhooks_enqueue(struct store *s, int64_t site_id, int64_t seq, const char *payload,
                           int64_t at, bool *is_new, struct proto_error *err);
/* The site's oldest pending item (lowest seq) — one in flight per site, in order;
 * PROTO_E_NOT_FOUND if none. */
int store_webhooks_head(struct store *s, int64_t site_id, struct store_webhook *out,
                        struct proto_error *err);
/* Sites with a pending item, ascending. */
int store_webhooks_sites(struct store *s, int (*cb)(void *ctx, int64_t site_id), void *ctx,
                         struct proto_error *err);
/* Highest seq ever queued (0 none): where the forwarder resumes reading events. */
int store_webhooks_last_seq(struct store *s, int64_t *seq, struct proto_error *err);
/* pending -> sent; or a failed try: tries + 1, next_try_at, last_error; or -> dropped. */
int store_webhooks_sent(struct store *s, int64_t id, int64_t at, struct proto_error *err);
int store_webhooks_retry(struct store *s, int64_t id, int64_t next_try_at, const char *error,
                         struct proto_error *err);
int store_webhooks_drop(struct store *s, int64_t id, const char *error, int64_t at,
                        struct proto_error *err);

/* ---- text site settings (issue 4) ---- */

/* Keys and defaults: appointment_grace_minutes "60" (1..1440), closing_time "21:00" (HH:MM,
 * site-local), general_manager_staff_no "" (must name existing staff when set),
 * webhook_url "" (http:// or https://, <= STORE_URL_MAX bytes). PROTO_E_BAD_FIELD for an
 * unknown key or bad value ("" resets to the default). Also "kiosk.<key>", the site level of
 * the kiosk configuration (store_fleet.h; a bad value is PROTO_E_OUT_OF_RANGE there; these
 * keys are not listed by store_settings_text_list). */
int store_settings_text_get(struct store *s, int64_t site_id, const char *key, char *out,
                            size_t outsz, bool *is_default, struct proto_error *err);
int store_settings_text_set(struct store *s, int64_t site_id, const char *key, const char *value,
                            struct proto_error *err);
/* Every text key in the order above. */
int store_settings_text_list(struct store *s, int64_t site_id,
                             int (*cb)(void *ctx, const char *key, const char *value,
                                       bool is_default),
                             void *ctx, struct proto_error *err);
/* Typed reads: grace in minutes; closing time as minutes after local midnight. */
int store_settings_grace_minutes(struct store *s, int64_t site_id, int *minutes,
                                 struct proto_error *err);
int store_settings_closing_minute(struct store *s, int64_t site_id, int *minute,
                                  struct proto_error *err);

#endif

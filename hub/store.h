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
 * Threading: a struct store is used by one thread. Several processes (hub, CLI) may open the
 * same file: SQLite's locking and busy_timeout arbitrate. */
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

/* ---- open, migrations, transactions, meta ---- */

/* Opens (creating if missing) the database at `path`, sets the PRAGMAs (WAL,
 * synchronous=FULL, foreign_keys=ON, busy_timeout) and applies the pending numbered
 * migrations, each in its own transaction. Refuses, with PROTO_E_UNAVAILABLE and a message
 * naming the problem: a file that is not SQLite, an SQLite file that is not Showfloor's, a
 * database whose schema version is newer than this program. On success *out owns the
 * handle (store_close). */
int store_open(struct store **out, const char *path, struct proto_error *err);
void store_close(struct store *s); /* NULL is fine */

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
    int64_t created_at;
};

/* Inserts c (its id is ignored). */
int store_customers_add(struct store *s, const struct store_customer *c, int64_t *id,
                        struct proto_error *err);
int store_customers_get(struct store *s, int64_t id, struct store_customer *out,
                        struct proto_error *err);
int store_customers_find_by_phone(struct store *s, const char *phone, struct store_customer *out,
                                  struct proto_error *err);
int store_customers_set_consent(struct store *s, int64_t id, int64_t at, const char *version,
                                struct proto_error *err);

/* ---- leads ---- */

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
    bool flagged_invalid;
};

/* Inserts l (its id is ignored). */
int store_leads_add(struct store *s, const struct store_lead *l, int64_t *id,
                    struct proto_error *err);
/* The customer's open lead (grade not F/O, not flagged invalid), the newest if several;
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
};

/* Inserts v (its id is ignored) and appends visit.checked_in {"visit": full visit}. */
int store_visits_add(struct store *s, const struct store_visit *v, int64_t *id,
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
 * "device_id"} (absent times and codes are null). Caller frees with cJSON_Delete. */
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

/* ---- the event log ---- */

struct store_event {
    int64_t seq; /* hub-wide, strictly increasing */
    int64_t site_id;
    const char *kind; /* borrowed for the callback */
    int64_t at;
    const char *data; /* JSON text, full and unmasked; borrowed for the callback */
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
/* Forgets command ids stored before `before` (kept at least 7 days by the caller's choice). */
int store_commands_prune(struct store *s, int64_t before, struct proto_error *err);

#endif

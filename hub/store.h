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
#define STORE_VIN_LEN         17   /* [A-HJ-NPR-Z0-9]{17} */
#define STORE_CODE_MAX        64   /* == PROTO_MAX_SHORT: kinds, steps, ways */
#define STORE_CHANGES_MAX     8192 /* JSON of a change request's {field: {old, new}} */
#define STORE_JSON_SMALL_MAX  4096 /* sign-off checklist JSON */

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

/* ---- savepoints (store_savepoint.c): group commit's per-command undo ---- */

/* 1 while a transaction is open on this handle. */
bool store_in_transaction(struct store *s);
/* SAVEPOINT inside the open write transaction; store_release() keeps its writes,
 * store_rollback_to() undoes them (and releases it). A transaction that SQLite already
 * rolled back as a whole makes store_rollback_to() fail: the caller's COMMIT then fails. */
int store_savepoint(struct store *s, struct proto_error *err);
int store_release(struct store *s, struct proto_error *err);
int store_rollback_to(struct store *s, struct proto_error *err);

#endif

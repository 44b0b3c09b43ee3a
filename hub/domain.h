/* Showfloor's pure domain rules: no sockets, no SQL, no clock reads. Time is an argument.
 * Every rule here is tested directly and exhaustively in tests/hub/test_domain_*.c.
 * Names used on the wire come from the tables in domain_names.c. */
#ifndef SHOWFLOOR_DOMAIN_H
#define SHOWFLOOR_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* ---- kiosk modes and what each may send (PROTOCOL.md "Who may send what") ---- */

enum domain_mode {
    DOMAIN_MODE_RECEPTION,
    DOMAIN_MODE_STATUS,
    DOMAIN_MODE_DELIVERY,
    DOMAIN_MODE_BOARD,
    DOMAIN_MODE_API, /* integrations (DMS) and the CLI over HTTP: staff commands, no kiosk UI */
    DOMAIN_MODE__COUNT
};
const char *domain_mode_name(enum domain_mode m); /* "reception" */
int domain_mode_from_name(const char *name);      /* -1 if unknown */
/* 1 if a device in mode `m` may send request type `t` (auth excluded: always allowed).
 * Returns 0 for auth itself (the session's phase machine handles it), for hub-to-client
 * types, and for out-of-range values. */
int domain_mode_allows(enum domain_mode m, enum proto_type t);
/* Every order command and read (order_create ... order_list) may be sent by delivery, board
 * and api devices (staff log in on them); never by reception or status kiosks. api may also
 * send ping, staff_login and staff_logout; not checkin, order_lookup or subscribe.
 * Issue 4: every lead, visit, appointment, conflict and complaint command likewise comes from
 * delivery, board and api; call_staff only from reception (no staff login there). */

/* ---- staff roles (DOMAIN.md "People") ---- */

enum domain_role {
    DOMAIN_ROLE_RECEPTION,
    DOMAIN_ROLE_TELESALES,
    DOMAIN_ROLE_CONSULTANT,
    DOMAIN_ROLE_SUPERVISOR,
    DOMAIN_ROLE_MANAGER,
    DOMAIN_ROLE_FINANCE,
    DOMAIN_ROLE_SERVICE,
    DOMAIN_ROLE_MARKETING,
    DOMAIN_ROLE_ADMIN,
    DOMAIN_ROLE__COUNT
};
const char *domain_role_name(enum domain_role r);    /* "consultant" */
const char *domain_role_name_zh(enum domain_role r); /* "销售顾问" */
int domain_role_from_name(const char *name);         /* -1 if unknown */

enum domain_gender { DOMAIN_GENDER_UNKNOWN, DOMAIN_GENDER_MALE, DOMAIN_GENDER_FEMALE };
const char *domain_gender_name(enum domain_gender g); /* "unknown" | "male" | "female" */
int domain_gender_from_name(const char *name);        /* -1 if unknown */

/* Every *_name() function returns NULL for a value outside its enum. */

/* Lead/visit channels (PROTOCOL.md "Channels"). */
int domain_channel_valid(const char *code);
const char *domain_channel_name_zh(const char *code); /* NULL if unknown */

/* ---- reception check-in: who serves the customer (DOMAIN.md "Visits and reception") ---- */

struct domain_consultant {
    int64_t staff_id;
    bool on_duty;             /* on today's roster and not on rest */
    int waiting;              /* visits assigned to them, not yet served */
    int serving;              /* visits they are serving now */
    int64_t serving_since;    /* start of the oldest current service, 0 if none */
    int64_t last_assigned_at; /* 0 if never assigned */
};

enum domain_assign {
    DOMAIN_ASSIGN_INVITED,       /* telesales invited them; consultant from the rotation */
    DOMAIN_ASSIGN_OWNER,         /* an on-duty consultant owns their lead */
    DOMAIN_ASSIGN_ROTATION,      /* least recently assigned free on-duty consultant */
    DOMAIN_ASSIGN_BUSY_ROTATION, /* everyone on duty is busy: least recently assigned */
    DOMAIN_ASSIGN_NONE           /* nobody on duty: reception takes over */
};
const char *domain_assign_name(enum domain_assign a); /* "rotation" */
int domain_assign_from_name(const char *name);        /* -1 if unknown */

struct domain_checkin_in {
    const struct domain_consultant *consultants; /* the site's consultants, any order */
    size_t n;
    int64_t owner_id;   /* consultant owning the customer's lead, 0 if none */
    int64_t invited_by; /* telesales who invited the customer, 0 if none */
    int64_t now;
};

struct domain_checkin_out {
    enum domain_assign how;
    int64_t consultant_id;  /* 0 when how == NONE */
    int queue_position;     /* 1 = next; 0 when how == NONE */
    int estimated_wait_min; /* >= 1; 0 when how == NONE */
};

/* Picks the consultant for a check-in. An on-duty owner wins over an invitation (how ==
 * OWNER; the caller still reports invited_by). Deterministic: ties on last_assigned_at go to the
 * lower staff_id. A consultant is busy when waiting + serving > 0. The wait estimate is
 * DOMAIN_WAIT_PER_VISIT_MIN per visit already waiting for them plus what is left of a
 * DOMAIN_SERVICE_SLOT_MIN slot for the customer they serve now, at least 1 minute. */
#define DOMAIN_WAIT_PER_VISIT_MIN 5
#define DOMAIN_SERVICE_SLOT_MIN   15
void domain_checkin_assign(const struct domain_checkin_in *in, struct domain_checkin_out *out);

/* ---- masking for public screens (DOMAIN.md "Privacy") ---- */

/* "13812341234" -> "138****1234"; "+4915112345678" -> "+49*******5678"; anything shorter
 * than 7 characters -> all '*'. Returns 0, or -1 if out is too small. */
int domain_mask_phone(const char *phone, char *out, size_t outsz);
/* Person: surname + 先生/女士 by gender, surname + "*" when unknown ("王先生", "欧阳女士",
 * "李*"); two-character compound surnames (欧阳, 司马, 上官, 诸葛, ...) are kept whole.
 * Latin-script names: initial of the last word + "." with "Mr."/"Ms." before it when the
 * gender is known ("Mr. S.", "J."). Empty name -> "顾客". Returns 0 or -1 if out too small. */
int domain_mask_person(const char *name, enum domain_gender g, char *out, size_t outsz);
/* Company: first two characters (code points) + "***". */
int domain_mask_company(const char *name, char *out, size_t outsz);

/* ---- orders (DOMAIN.md "Orders"); the full state machine grows in the orders issue ---- */

enum domain_stage {
    DOMAIN_STAGE_ENTERED,
    DOMAIN_STAGE_REVIEWED,
    DOMAIN_STAGE_RETURNED,
    DOMAIN_STAGE_APPROVED,
    DOMAIN_STAGE_ALLOCATED,
    DOMAIN_STAGE_PAID,
    DOMAIN_STAGE_READY,
    DOMAIN_STAGE_DELIVERED,
    DOMAIN_STAGE_CLOSED,
    DOMAIN_STAGE_CANCELLED,
    DOMAIN_STAGE__COUNT
};
const char *domain_stage_name(enum domain_stage s);    /* "allocated" */
const char *domain_stage_name_zh(enum domain_stage s); /* "已配车" */
int domain_stage_from_name(const char *name);          /* -1 if unknown */
/* 1 for stages before delivered that are not cancelled. */
int domain_stage_is_open(enum domain_stage s);

enum domain_public {
    DOMAIN_PUBLIC_ORDERED,
    DOMAIN_PUBLIC_VEHICLE,
    DOMAIN_PUBLIC_PAYMENT,
    DOMAIN_PUBLIC_READY,
    DOMAIN_PUBLIC_DELIVERED,
    DOMAIN_PUBLIC_CANCELLED,
    DOMAIN_PUBLIC__COUNT
};
#define DOMAIN_TIMELINE_LEN 5 /* ordered, vehicle, payment, ready, delivered */
const char *domain_public_name(enum domain_public p); /* "payment" */
enum domain_public domain_stage_public(enum domain_stage s);

enum domain_payment { DOMAIN_PAY_FULL, DOMAIN_PAY_LOAN };
const char *domain_payment_name(enum domain_payment p); /* "full" | "loan" */
int domain_payment_from_name(const char *name);

/* When each customer-facing stage was reached (0 = not reached). */
struct domain_order_times {
    int64_t created_at, approved_at, allocated_at, paid_at, ready_at, delivered_at;
};

enum domain_step_state { DOMAIN_STEP_DONE, DOMAIN_STEP_CURRENT, DOMAIN_STEP_TODO };
const char *domain_step_state_name(enum domain_step_state s); /* "done" */

struct domain_timeline_entry {
    enum domain_public stage;
    enum domain_step_state state;
    int64_t at; /* time it was done, 0 if not done */
};

/* The customer's timeline for an order in `stage`. A cancelled order marks every step not
 * done as todo (the kiosk shows "cancelled" beside it). */
void domain_order_timeline(enum domain_stage stage, const struct domain_order_times *t,
                           struct domain_timeline_entry out[DOMAIN_TIMELINE_LEN]);

enum domain_todo {
    DOMAIN_TODO_NONE,
    DOMAIN_TODO_PAY_BALANCE,
    DOMAIN_TODO_LOAN_DOCUMENTS,
    DOMAIN_TODO_ATTEND_DELIVERY
};
const char *domain_todo_name(enum domain_todo t); /* "pay_balance" */
/* What the customer still has to do: money outstanding at allocated -> pay_balance (full)
 * or loan_documents (loan); ready -> attend_delivery; otherwise none. */
enum domain_todo domain_order_todo(enum domain_stage stage, enum domain_payment pay,
                                   int64_t paid_fen, int64_t total_fen);

/* Order numbers: "SF" + yymm of creation (UTC+8) + "-" + 4-digit per-month sequence
 * ("SF2611-0012"). Returns 0, or -1 if seq is outside 1..9999 or out too small. */
int domain_order_no(int64_t created_at_ms, int seq, char *out, size_t outsz);
/* Wall reference: "…" + the last 4 characters of the order number. */
int domain_order_ref(const char *order_no, char *out, size_t outsz);

/* ---- staff login lockout ---- */
#define DOMAIN_LOGIN_MAX_FAILURES 5
#define DOMAIN_LOGIN_WINDOW_MS    (10 * 60 * 1000)
#define DOMAIN_LOGIN_LOCK_MS      (10 * 60 * 1000)
/* 1 if a login may be attempted, given the failures within the window before `now` and
 * the time of the latest failure. */
int domain_login_allowed(int recent_failures, int64_t last_failure_at, int64_t now);

/* ---- site-local time: the demo site and v1 use a fixed UTC offset per site ---- */
/* Start of the local day containing `now`, as UTC ms, for a site at utc_offset_min. */
int64_t domain_day_start(int64_t now, int utc_offset_min);

/* ==== the order life cycle (DOMAIN.md "Orders"; /tmp/issue3.md; DOMAIN_RULES.md) ==== */

/* One value per order command or read; names are the wire request types ("order_create",
 * "vehicle_arrived", "payment_confirm", ...). */
enum domain_order_cmd {
    DOMAIN_ORDER_CREATE,
    DOMAIN_ORDER_REVIEW,
    DOMAIN_ORDER_APPROVE,
    DOMAIN_ORDER_EDIT,
    DOMAIN_ORDER_RESUBMIT,
    DOMAIN_ORDER_ALLOCATE,
    DOMAIN_ORDER_VEHICLE_ARRIVED,
    DOMAIN_ORDER_VEHICLE_PREP,
    DOMAIN_ORDER_ETA,
    DOMAIN_ORDER_PAYMENT_CONFIRM,
    DOMAIN_ORDER_INVOICE_ISSUE,
    DOMAIN_ORDER_LOAN_STEP,
    DOMAIN_ORDER_READY,
    DOMAIN_ORDER_DELIVER,
    DOMAIN_ORDER_CLOSE,
    DOMAIN_ORDER_CHANGE_REQUEST,
    DOMAIN_ORDER_CHANGE_REVIEW,
    DOMAIN_ORDER_CANCEL_REQUEST,
    DOMAIN_ORDER_CANCEL_REVIEW,
    DOMAIN_ORDER_CANCEL_APPROVE,
    DOMAIN_ORDER_REFUND_CONFIRM,
    DOMAIN_ORDER_NOTE,
    DOMAIN_ORDER_GET,
    DOMAIN_ORDER_LIST,
    DOMAIN_ORDER__COUNT
};
const char *domain_order_cmd_name(enum domain_order_cmd c); /* "order_create" */
int domain_order_cmd_from_name(const char *name);           /* -1 if unknown */
/* The command for a protocol type (by wire name), -1 if the type is not an order command. */
int domain_order_cmd_of_type(enum proto_type t);
/* 1 for get and list (reads: nothing changes, no command id needed). */
int domain_order_cmd_is_read(enum domain_order_cmd c);

enum domain_customer_kind { DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CUSTOMER_COMPANY };
const char *domain_customer_kind_name(enum domain_customer_kind k); /* "individual"|"company" */
int domain_customer_kind_from_name(const char *name);

/* Company credit rating; NONE for individuals and unrated companies. Names "A".."D". */
enum domain_credit {
    DOMAIN_CREDIT_NONE,
    DOMAIN_CREDIT_A,
    DOMAIN_CREDIT_B,
    DOMAIN_CREDIT_C,
    DOMAIN_CREDIT_D,
    DOMAIN_CREDIT__COUNT
};
const char *domain_credit_name(enum domain_credit c); /* "A"; "" for NONE */
int domain_credit_from_name(const char *name);        /* "A".."D"; -1 otherwise */

/* Conditions a supervisor attaches when passing a poorly rated company order. */
enum domain_condition {
    DOMAIN_COND_GUARANTEE,
    DOMAIN_COND_LARGER_DOWN_PAYMENT,
    DOMAIN_COND_SHORTER_TERM,
    DOMAIN_COND__COUNT
};
const char *domain_condition_name(enum domain_condition c); /* "larger_down_payment" */
int domain_condition_from_name(const char *name);

/* Where an order came from. */
enum domain_order_channel {
    DOMAIN_OCHAN_CONSULTANT,
    DOMAIN_OCHAN_ONLINE,
    DOMAIN_OCHAN_PHONE,
    DOMAIN_OCHAN_SHOWROOM,
    DOMAIN_OCHAN__COUNT
};
const char *domain_order_channel_name(enum domain_order_channel c); /* "online" */
int domain_order_channel_from_name(const char *name);

enum domain_alloc { DOMAIN_ALLOC_NONE, DOMAIN_ALLOC_STOCK, DOMAIN_ALLOC_FACTORY };
const char *domain_alloc_name(enum domain_alloc a); /* "" | "stock" | "factory" */
int domain_alloc_from_name(const char *name);       /* "stock"|"factory"; -1 otherwise */

enum domain_prep_step {
    DOMAIN_PREP_CLEANING,
    DOMAIN_PREP_INSPECTION,
    DOMAIN_PREP_MAINTENANCE,
    DOMAIN_PREP__COUNT
};
const char *domain_prep_step_name(enum domain_prep_step p); /* "cleaning" */
int domain_prep_step_from_name(const char *name);

/* Loan steps, done strictly in this order. */
enum domain_loan_step {
    DOMAIN_LOAN_DOCUMENTS,
    DOMAIN_LOAN_BANK_APPROVED,
    DOMAIN_LOAN_CONTRACT_SIGNED,
    DOMAIN_LOAN__COUNT
};
const char *domain_loan_step_name(enum domain_loan_step l); /* "bank_approved" */
int domain_loan_step_from_name(const char *name);

enum domain_pay_kind {
    DOMAIN_PAYK_DEPOSIT,
    DOMAIN_PAYK_BALANCE,
    DOMAIN_PAYK_DOWN_PAYMENT,      /* loan orders only */
    DOMAIN_PAYK_LOAN_DISBURSEMENT, /* loan orders only; counts into paid_fen */
    DOMAIN_PAYK__COUNT
};
const char *domain_pay_kind_name(enum domain_pay_kind k); /* "loan_disbursement" */
int domain_pay_kind_from_name(const char *name);

/* Delivery documents prepared before an order is ready. */
enum domain_doc { DOMAIN_DOC_INVOICE, DOMAIN_DOC_COC, DOMAIN_DOC_WARRANTY, DOMAIN_DOC__COUNT };
const char *domain_doc_name(enum domain_doc d); /* "invoice" | "coc" | "warranty" */
int domain_doc_from_name(const char *name);

/* Items of the delivery checklist; every one must be true to deliver. */
enum domain_check {
    DOMAIN_CHECK_VEHICLE_CLEAN,
    DOMAIN_CHECK_INVOICE,
    DOMAIN_CHECK_COC,
    DOMAIN_CHECK_WARRANTY,
    DOMAIN_CHECK_KEYS,
    DOMAIN_CHECK_ACCESSORIES,
    DOMAIN_CHECK_EXPLAINED,
    DOMAIN_CHECK__COUNT
};
const char *domain_check_name(enum domain_check c); /* "vehicle_clean" */
int domain_check_from_name(const char *name);

/* Ways of talking to a customer (communication log). */
enum domain_note_way {
    DOMAIN_WAY_PHONE,
    DOMAIN_WAY_EMAIL,
    DOMAIN_WAY_FACE_TO_FACE,
    DOMAIN_WAY_SMS,
    DOMAIN_WAY_WECHAT,
    DOMAIN_WAY__COUNT
};
const char *domain_note_way_name(enum domain_note_way w); /* "face_to_face" */
int domain_note_way_from_name(const char *name);

/* Fields a change request (or an edit) may touch, as bits (1u << field). */
enum domain_order_field {
    DOMAIN_OFIELD_MODEL,
    DOMAIN_OFIELD_CONFIG,
    DOMAIN_OFIELD_COLOUR,
    DOMAIN_OFIELD_QUANTITY,
    DOMAIN_OFIELD_UNIT_PRICE, /* wire name "unit_price_fen" */
    DOMAIN_OFIELD_PAYMENT,
    DOMAIN_OFIELD_EXPECTED_DELIVERY, /* "expected_delivery_at" */
    DOMAIN_OFIELD_DELIVERY_PLACE,
    DOMAIN_OFIELD_SPECIAL_REQUESTS,
    DOMAIN_OFIELD_REMARKS,
    DOMAIN_OFIELD__COUNT
};
#define DOMAIN_OFIELD_BIT(f) (1u << (f))
const char *domain_order_field_name(enum domain_order_field f); /* "unit_price_fen" */
int domain_order_field_from_name(const char *name);
/* 1 if a change touching `fields` (bits) also needs a manager: price, model, config,
 * colour, quantity or payment. */
int domain_order_change_needs_manager(unsigned fields);
/* 1 if a change touching `fields` changes the vehicle (model, config, colour, quantity): once
 * applied after allocation it releases the allocation (the order goes back to approved). */
int domain_order_change_touches_vehicle(unsigned fields);

/* Time stamps the time limits are measured from (0 = never happened). Kept on the order and
 * updated by domain_order_apply. */
struct domain_order_times_sla {
    int64_t received_at;        /* order received from the customer (create arg) */
    int64_t created_at;         /* order entered in the system */
    int64_t entered_at;         /* latest time the order became entered (create/resubmit) */
    int64_t initial_decided_at; /* latest initial review (pass or fail) */
    int64_t reviewed_at;        /* latest time the order became reviewed (review passed) */
    int64_t final_decided_at;   /* latest final review (approve or reject) */
    int64_t eta_changed_at;     /* latest order_eta */
    int64_t eta_notified_at;    /* latest customer-visible note */
    int64_t delivered_at;       /* delivered */
    int64_t closed_at;          /* closed */
    int64_t cancelled_at;       /* cancelled: open limits stop applying */
};

/* Everything the order rules need to know about one order. */
struct domain_order_state {
    enum domain_stage stage;
    int64_t consultant_id; /* the owning consultant (staff id) */
    enum domain_payment payment;
    int quantity;           /* 1..DOMAIN_ORDER_MAX_QUANTITY */
    int64_t unit_price_fen; /* 1..DOMAIN_ORDER_MAX_UNIT_PRICE_FEN */
    int64_t total_fen;      /* quantity * unit_price_fen */
    int64_t paid_fen;       /* sum of confirmed payments, loan disbursement included */
    enum domain_customer_kind customer_kind;
    enum domain_credit credit_rating; /* companies; NONE otherwise */
    /* allocation */
    enum domain_alloc alloc_kind;
    bool has_vin; /* stock vehicle reserved, or factory vehicle arrived */
    int64_t eta;  /* factory ETA or promised date, 0 = none */
    int64_t prep_at[DOMAIN_PREP__COUNT];
    /* payment */
    bool invoice_issued;
    int64_t loan_at[DOMAIN_LOAN__COUNT];
    int64_t down_payment_fen;
    int64_t loan_disbursed_fen;
    /* delivery documents (order_ready) */
    int64_t doc_at[DOMAIN_DOC__COUNT];
    /* pending change request (at most one) */
    bool change_pending;
    bool change_needs_manager;
    bool change_supervisor_approved; /* waiting for the manager */
    unsigned change_fields;          /* DOMAIN_OFIELD_BIT set */
    /* the money-relevant values once the change is applied (equal to the current ones when
     * the change does not touch them) */
    int change_quantity;
    int64_t change_unit_price_fen;
    enum domain_payment change_payment;
    /* pending cancellation (at most one) */
    bool cancel_pending;
    bool cancel_needs_manager;
    bool cancel_supervisor_approved; /* waiting for the manager */
    /* after cancellation */
    int64_t refund_due_fen; /* = paid_fen at cancellation */
    int64_t refunded_fen;   /* confirmed by finance; refund complete when == refund_due_fen */
    struct domain_order_times_sla times;
};

struct domain_actor {
    int64_t staff_id;
    enum domain_role role;
};

/* The argument facts the rules need (the core decodes the request and fills these; fields a
 * command does not use are ignored). */
struct domain_order_args {
    bool pass;       /* review: pass; approve/change_review/cancel_*: approve */
    bool has_reason; /* non-empty reason given */
    int conditions;  /* review: number of conditions given */
    /* create (all used), edit and change_request (has_* says which were given) */
    int quantity;           /* 1..99 */
    int64_t unit_price_fen; /* > 0 */
    enum domain_payment payment;
    enum domain_customer_kind customer_kind;
    enum domain_credit credit_rating;
    int64_t received_at; /* create: 0 = now */
    bool has_quantity, has_unit_price, has_payment, has_customer_kind, has_credit_rating;
    /* allocate / vehicle_arrived */
    bool has_vin;
    int64_t factory_eta; /* allocate without vin: > 0 */
    /* eta */
    int64_t eta; /* > 0 */
    /* payment_confirm / refund_confirm */
    int64_t amount_fen; /* > 0 */
    enum domain_pay_kind pay_kind;
    /* invoice_issue */
    bool has_invoice_no;
    /* steps */
    enum domain_loan_step loan_step;
    enum domain_prep_step prep_step;
    /* ready: all three documents true; deliver: every checklist item true */
    bool documents_all;
    bool checklist_all;
    int rating; /* deliver: 0 = none, else 1..5 */
    /* change_request: every field touched (DOMAIN_OFIELD_BIT set); the new quantity, unit
     * price and payment come in quantity/unit_price_fen/payment with has_* above */
    unsigned change_fields;
    /* cancel_review */
    bool needs_manager;
    /* note */
    bool customer_visible;
};

/* What the core must carry out after domain_order_apply, beyond saving the new state. */
struct domain_order_effects {
    bool stage_changed;
    enum domain_stage from, to;
    bool reserve_vehicle; /* allocate (stock) / vehicle_arrived: inventory row -> reserved */
    bool release_vehicle; /* cancellation or a vehicle change: reserved -> in_stock */
    bool deliver_vehicle; /* deliver: reserved -> delivered */
    bool alloc_cleared;   /* a vehicle change undid the allocation: clear vin, alloc_kind,
                             eta, prep and documents (the order is back at approved) */
    bool invoice_voided;  /* an applied change altered total or payment: clear invoice_no */
    bool eta_changed;     /* emit order.eta_changed; the notify deadline opens */
    bool eta_notified;    /* this customer-visible note meets the notify deadline */
    bool money_complete;  /* this command made paid_fen reach total_fen */
    bool change_opened;
    bool change_applied;  /* write the pending change's new values into the order */
    bool change_rejected; /* close the pending change as rejected */
    bool cancel_opened;
    bool cancel_rejected;
    bool cancelled;  /* the order was cancelled by this command */
    bool refund_due; /* record refund_due_fen (cancelled with money paid) */
    int64_t refund_due_fen;
    bool refund_complete; /* refund_confirm brought refunded_fen to refund_due_fen */
};

#define DOMAIN_ORDER_MAX_QUANTITY       99
#define DOMAIN_ORDER_MAX_UNIT_PRICE_FEN 100000000000LL /* 1e9 yuan: totals stay exact in JSON */

/* 1 if all money is in (paid_fen >= total_fen). */
int domain_order_money_complete(const struct domain_order_state *s);

/* May actor `a` run `cmd` on the order in state `s` with `args`? Checks in this order:
 * role, ownership (a consultant acting on another consultant's order) -> PROTO_E_FORBIDDEN;
 * stage and sub-state -> PROTO_E_INVALID_STATE (the message names the current stage in
 * words); argument rules -> PROTO_E_BAD_FIELD with err->field set. Returns 0 or -1 with *err.
 * For DOMAIN_ORDER_CREATE and DOMAIN_ORDER_LIST `s` may be NULL (no order yet / many). Site
 * checks (staff site == order site) are the core's. */
int domain_order_check(const struct domain_order_state *s, const struct domain_actor *a,
                       enum domain_order_cmd cmd, const struct domain_order_args *args,
                       struct proto_error *err);

/* Applies an allowed command (domain_order_check returned 0) at `now`: updates *s and fills
 * *fx (zeroed first). For create, *s is initialised from args (consultant = actor) and fx
 * stays empty (the order is new, at entered). Reads
 * (get, list) change nothing. Money completing while allocated moves the order to paid; an
 * allocation with the money already complete goes straight to paid; fail/reject -> returned;
 * resubmit -> entered; a final cancellation -> cancelled with refund_due_fen = paid_fen. */
void domain_order_apply(struct domain_order_state *s, const struct domain_actor *a,
                        enum domain_order_cmd cmd, const struct domain_order_args *args,
                        int64_t now, struct domain_order_effects *fx);

/* ---- order time limits (per-site settings; DOMAIN_RULES.md "Order life cycle") ---- */

enum domain_sla_kind {
    DOMAIN_SLA_ENTRY,          /* received -> entered */
    DOMAIN_SLA_INITIAL_REVIEW, /* entered -> reviewed/returned */
    DOMAIN_SLA_FINAL_REVIEW,   /* reviewed -> approved/returned */
    DOMAIN_SLA_ETA_NOTIFY,     /* eta change -> a customer-visible note */
    DOMAIN_SLA_CLOSE,          /* delivered -> closed */
    DOMAIN_SLA__COUNT
};
#define DOMAIN_SLA_DEFAULT_ENTRY          2
#define DOMAIN_SLA_DEFAULT_INITIAL_REVIEW 4
#define DOMAIN_SLA_DEFAULT_FINAL_REVIEW   8
#define DOMAIN_SLA_DEFAULT_ETA_NOTIFY     24
#define DOMAIN_SLA_DEFAULT_CLOSE          72
#define DOMAIN_SLA_MAX_HOURS              8760            /* a setting is 1..8760 hours */
const char *domain_sla_kind_name(enum domain_sla_kind k); /* "initial_review" (event kind) */
int domain_sla_kind_from_name(const char *name);
const char *domain_sla_key(enum domain_sla_kind k); /* setting key "initial_review_hours" */
int domain_sla_kind_from_key(const char *key);      /* -1 if unknown */

/* Hours per limit, indexed by enum domain_sla_kind. */
struct domain_sla_settings {
    int hours[DOMAIN_SLA__COUNT];
};
void domain_sla_defaults(struct domain_sla_settings *set);
/* Sets one limit by setting key ("close_hours"). 0, or -1 with PROTO_E_BAD_FIELD (unknown
 * key, field "key") or PROTO_E_OUT_OF_RANGE (hours outside 1..DOMAIN_SLA_MAX_HOURS, field
 * "value"); *set is unchanged on failure. */
int domain_sla_set(struct domain_sla_settings *set, const char *key, int64_t hours,
                   struct proto_error *err);

struct domain_deadline {
    enum domain_sla_kind kind;
    int64_t started_at; /* when the clock started */
    int64_t due_at;     /* started_at + hours */
    bool done;          /* the awaited step happened */
    bool met;           /* done at or before due_at */
    bool breached;      /* done after due_at, or not done and now > due_at */
};

/* Lists the limits that apply to an order (entry once received_at is known; initial review
 * once entered; final review once reviewed; eta notification once the eta changed; close
 * once delivered), at most `cap`, in enum order. A limit still open when the order was
 * cancelled no longer applies. `set` NULL means the defaults. Returns the number written
 * (<= DOMAIN_SLA__COUNT). */
int domain_order_deadlines(const struct domain_order_times_sla *t,
                           const struct domain_sla_settings *set, int64_t now,
                           struct domain_deadline out[], size_t cap);

/* ==== issue 4: leads, reception and visits, conflicts, complaints ====
 * (DOMAIN.md "Leads", "Visits and reception", "Complaints"; /tmp/issue4.md;
 * DOMAIN_RULES.md "Issue 4 rules"). Staff ids are store ids; 0 means nobody. */

#define DOMAIN_HOUR_MS ((int64_t)3600 * 1000)
#define DOMAIN_DAY_MS  ((int64_t)24 * DOMAIN_HOUR_MS)

/* ---- leads ---- */

enum domain_lead_status {
    DOMAIN_LEAD_OPEN,
    DOMAIN_LEAD_INVALID,   /* flagged (missing fields or cleaned out by marketing), kept */
    DOMAIN_LEAD_CONVERTED, /* an order was placed (grade O) */
    DOMAIN_LEAD_LOST,      /* lost to a competitor (grade F) */
    DOMAIN_LEAD_STATUS__COUNT
};
const char *domain_lead_status_name(enum domain_lead_status s);    /* "open" */
const char *domain_lead_status_name_zh(enum domain_lead_status s); /* "跟进中" */
int domain_lead_status_from_name(const char *name);                /* -1 if unknown */

/* Grades (意向级别) are the characters 'H' 'A' 'B' 'F' 'L' 'O' (wire: "H", ...). */
int domain_grade_valid(char g);               /* 1 for H A B F L O */
int domain_grade_from_name(const char *name); /* "H" -> 'H'; -1 if not exactly one grade */
const char *domain_grade_name_zh(char g);     /* 'H' -> "H级(7天内购车)"; NULL if invalid */
/* Revisit cadence in days: H 3, A 7, B 15; F, L, O and invalid grades 0 (no cadence). */
int domain_grade_cadence_days(char g);
/* 1 if a person may set this grade by follow-up, lead_grade or visit_depart: H A B F L.
 * O is set only by an order (conversion). */
int domain_grade_settable(char g);

/* Why a lead is invalid (wire names "missing_name", ...; "" for NONE). The first four
 * are found by domain_lead_validate; the others are given by the caller (unknown model:
 * the core knows the catalogue) or by marketing (lead_invalidate). */
enum domain_lead_invalid {
    DOMAIN_LEAD_INVALID_NONE,
    DOMAIN_LEAD_INVALID_MISSING_NAME,
    DOMAIN_LEAD_INVALID_MISSING_MODEL,
    DOMAIN_LEAD_INVALID_MISSING_BUDGET,
    DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL,
    DOMAIN_LEAD_INVALID_UNKNOWN_MODEL,
    DOMAIN_LEAD_INVALID_UNREACHABLE, /* marketing: number dead / never answers */
    DOMAIN_LEAD_INVALID_DUPLICATE,   /* marketing: same person under another number */
    DOMAIN_LEAD_INVALID_NOT_BUYING,  /* marketing: no purchase intent (job seeker, spam) */
    DOMAIN_LEAD_INVALID_OTHER,
    DOMAIN_LEAD_INVALID__COUNT
};
const char *domain_lead_invalid_name(enum domain_lead_invalid r);    /* "missing_model" */
const char *domain_lead_invalid_name_zh(enum domain_lead_invalid r); /* "缺少意向车型" */
int domain_lead_invalid_from_name(const char *name);                 /* -1 if unknown or "" */

#define DOMAIN_LEAD_REGION_MAX 64 /* bytes */
#define DOMAIN_LEAD_REF_MAX    64 /* external_ref bytes */

/* A lead as given (protocol args or a CSV row); NULL strings count as empty. */
struct domain_lead_input {
    const char *name;
    const char *phone; /* raw, as typed */
    const char *model; /* model code */
    int64_t budget_fen;
    const char *channel; /* PROTOCOL.md "Channels" code */
    const char *region;
    const char *external_ref;
};

struct domain_lead_verdict {
    char phone[PROTO_MAX_PHONE + 1]; /* normalised (proto_phone_normalize) */
    enum domain_lead_invalid reason; /* NONE: a valid, open lead */
};

/* Validates a new lead. Returns -1 when the row cannot be stored at all: an unusable phone
 * (PROTO_E_INVALID_PHONE, field "phone": no customer without a number) or a field over its
 * limit (PROTO_E_TOO_LONG: name > PROTO_MAX_NAME, model/channel > PROTO_MAX_SHORT, region >
 * DOMAIN_LEAD_REGION_MAX, external_ref > DOMAIN_LEAD_REF_MAX). Otherwise 0 with out->phone
 * set and out->reason the first problem in this order: missing name (empty or blank),
 * missing model, missing budget (<= 0), unknown channel (empty or not a channel code);
 * NONE when the lead is valid. A lead with a reason is stored with status invalid. */
int domain_lead_validate(const struct domain_lead_input *in, struct domain_lead_verdict *out,
                         struct proto_error *err);

/* The fields a duplicate lead may fill in an open lead of the same customer. */
struct domain_lead_fields {
    char name[PROTO_MAX_NAME + 1];
    char model[PROTO_MAX_SHORT + 1];
    int64_t budget_fen; /* 0 = none */
    char region[DOMAIN_LEAD_REGION_MAX + 1];
    char external_ref[DOMAIN_LEAD_REF_MAX + 1];
    int64_t created_at;
};
/* Bits of domain_lead_merge's result. */
enum domain_lead_field {
    DOMAIN_LFIELD_NAME,
    DOMAIN_LFIELD_MODEL,
    DOMAIN_LFIELD_BUDGET,
    DOMAIN_LFIELD_REGION,
    DOMAIN_LFIELD_EXTERNAL_REF,
    DOMAIN_LFIELD_CREATED_AT,
    DOMAIN_LFIELD__COUNT
};
#define DOMAIN_LFIELD_BIT(f) (1u << (f))
const char *domain_lead_field_name(enum domain_lead_field f); /* "created_at" */
/* Merges a duplicate `from` into the open lead `into`: each empty field of `into` (blank
 * string, budget <= 0) takes `from`'s value; filled fields never change; created_at becomes
 * the earlier of the two (a 0 created_at is "unknown" and never wins). Returns the bits
 * of the fields that changed (0: the duplicate added nothing). */
unsigned domain_lead_merge(struct domain_lead_fields *into, const struct domain_lead_fields *from);

/* A candidate owner. The caller passes only active staff of the needed role and site. */
struct domain_assignee {
    int64_t staff_id;
    const char *region; /* "" / NULL: none */
    const char *models; /* model expertise, comma-separated codes "XH7,XH9"; "" / NULL none */
    int workload;       /* open leads owned now */
    int ability;        /* 1..5 */
};
/* Picks the owner: region match (exact, non-empty), then model expertise (`model` is one of
 * the codes; spaces around codes ignored), then lowest workload, then highest ability, then
 * lower staff id. Returns 0 with *chosen set, or -1 with *chosen = 0 when n == 0. */
int domain_lead_assign(const struct domain_assignee *cands, size_t n, const char *region,
                       const char *model, int64_t *chosen);

/* Ways of following a lead up (wire "phone" | "sms" | "email" | "visit" |
 * "test_drive_invite"). */
enum domain_followup_way {
    DOMAIN_FWAY_PHONE,
    DOMAIN_FWAY_SMS,
    DOMAIN_FWAY_EMAIL,
    DOMAIN_FWAY_VISIT,
    DOMAIN_FWAY_TEST_DRIVE_INVITE,
    DOMAIN_FWAY__COUNT
};
const char *domain_followup_way_name(enum domain_followup_way w);    /* "test_drive_invite" */
const char *domain_followup_way_name_zh(enum domain_followup_way w); /* "邀约试驾" */
int domain_followup_way_from_name(const char *name);

#define DOMAIN_LEAD_FIRST_CALLBACK_MS DOMAIN_DAY_MS       /* first callback within 24 h */
#define DOMAIN_LEAD_GRADE_CALLS       3                   /* follow-ups ... */
#define DOMAIN_LEAD_GRADE_WINDOW_MS   (7 * DOMAIN_DAY_MS) /* ... within 7 days: grade due */

/* Everything the lead rules need to know about one lead. */
struct domain_lead_state {
    enum domain_lead_status status;
    enum domain_lead_invalid invalid_reason;
    char grade;                    /* 0 = not graded yet, else H A B F L O */
    int64_t owner_id;              /* consultant owning the lead, 0 none */
    int64_t telesales_id;          /* telesales owner, 0 none */
    int64_t assigned_at;           /* latest (re)assignment */
    int64_t first_callback_due_at; /* assigned_at + 24 h */
    int64_t next_due_at;           /* next follow-up due from the cadence, 0 none */
    int64_t last_followup_at;      /* 0 never */
    int64_t graded_at;             /* latest time a person set the grade, 0 never */
    int64_t created_at;
};
/* The current owner: the consultant if any, else the telesales owner (0 if neither). */
int64_t domain_lead_owner(const struct domain_lead_state *s);

int64_t domain_lead_first_callback_due(int64_t assigned_at); /* assigned_at + 24 h */
/* at + cadence(grade) days; 0 when the grade has no cadence (F, L, O, none). */
int64_t domain_lead_next_due(char grade, int64_t at);
/* 1 if the grade is due: at least DOMAIN_LEAD_GRADE_CALLS follow-ups after graded_at fall
 * within some DOMAIN_LEAD_GRADE_WINDOW_MS span (first to last < 7 days). followup_at in any
 * order; graded_at 0 = never graded. Stays due until someone grades the lead. */
int domain_lead_grade_due(const int64_t *followup_at, size_t n, int64_t graded_at);

enum domain_lead_due {
    DOMAIN_LEAD_DUE_NONE,
    DOMAIN_LEAD_DUE_FIRST_CALLBACK, /* no follow-up since the assignment */
    DOMAIN_LEAD_DUE_FOLLOWUP,       /* the cadence's next follow-up */
    DOMAIN_LEAD_DUE__COUNT
};
const char *domain_lead_due_name(enum domain_lead_due d); /* "first_callback" ("" NONE) */
/* Which due time of an open, owned lead is past at `now` (exactly at the due time is still
 * in time). The first callback counts while nobody has followed up since the assignment
 * (last_followup_at < assigned_at) and wins over the cadence; otherwise next_due_at. *due_at
 * (may be NULL) gets the due time that is past, 0 for NONE. */
enum domain_lead_due domain_lead_overdue(const struct domain_lead_state *s, int64_t now,
                                         int64_t *due_at);

/* Month end: 1 if a lead owned by `owner_role` with `grade` goes back to telesales
 * (consultant-owned B, L, F), 0 if it stays (H, A, O, ungraded, or not a consultant's). */
int domain_lead_month_end_moves(enum domain_role owner_role, char grade);

/* Records a (re)assignment at `now` to `to` with `to_role` (consultant: owner_id = to;
 * telesales: telesales_id = to and owner_id = 0): assigned_at = now, first callback due in
 * 24 h, next_due_at cleared (the new owner's first callback governs). */
void domain_lead_assigned(struct domain_lead_state *s, int64_t to, enum domain_role to_role,
                          int64_t now);
/* 1 if an order for the customer converts this lead (it is open). */
int domain_lead_converts(const struct domain_lead_state *s);
/* Conversion: status converted, grade O, no further due times. */
void domain_lead_convert(struct domain_lead_state *s);

enum domain_lead_cmd {
    DOMAIN_LEAD_CREATE,
    DOMAIN_LEAD_ASSIGN,
    DOMAIN_LEAD_FOLLOWUP,
    DOMAIN_LEAD_GRADE,
    DOMAIN_LEAD_INVALIDATE,
    DOMAIN_LEAD_MONTH_END,
    DOMAIN_LEAD_GET,
    DOMAIN_LEAD_LIST,
    DOMAIN_LEAD_CMD__COUNT
};
const char *domain_lead_cmd_name(enum domain_lead_cmd c); /* "lead_followup" */
int domain_lead_cmd_from_name(const char *name);
int domain_lead_cmd_of_type(enum proto_type t); /* -1 if t is not a lead command */
int domain_lead_cmd_is_read(enum domain_lead_cmd c);

struct domain_lead_args {
    /* followup: optional new grade (0 none); grade: required */
    char grade;
    /* followup */
    bool has_way;
    enum domain_followup_way way;
    bool has_content; /* non-empty content */
    /* assign */
    int64_t to_staff_id;
    enum domain_role to_role; /* role of to_staff_id (the core looks it up) */
    bool to_active;           /* to_staff_id is an active staff member of the lead's site */
    bool has_reason;          /* assign: a reason was given (optional, recorded) */
    /* invalidate: the reason; the core passes domain_lead_invalid_from_name(text) when the
     * reason text is a code ("unreachable"), else DOMAIN_LEAD_INVALID_OTHER */
    enum domain_lead_invalid reason;
};

struct domain_lead_effects {
    bool owner_changed; /* write a lead_assignments row from -> to */
    int64_t from_owner, to_owner;
    bool status_changed;
    enum domain_lead_status from_status, to_status;
    bool graded; /* the grade was set by a person (graded_at = now) */
};

/* May actor `a` run `cmd` on the lead in state `s`? Same order as domain_order_check: role
 * -> PROTO_E_FORBIDDEN; ownership (telesales/consultant acting on a lead whose current owner
 * is someone else) -> PROTO_E_FORBIDDEN; status -> PROTO_E_INVALID_STATE; arguments ->
 * PROTO_E_BAD_FIELD with err->field. `s` may be NULL for create, month_end and list. For
 * list the core shows telesales and consultants only their own leads. */
int domain_lead_check(const struct domain_lead_state *s, const struct domain_actor *a,
                      enum domain_lead_cmd cmd, const struct domain_lead_args *args,
                      struct proto_error *err);
/* Applies an allowed assign, followup, grade or invalidate at `now` (others change nothing:
 * create is domain_lead_validate + domain_lead_assign + domain_lead_assigned; month end is
 * domain_lead_month_end_moves + the same per lead). A follow-up stamps last_followup_at and
 * sets next_due_at = at + cadence of the (possibly new) grade; grade F makes the lead lost. */
void domain_lead_apply(struct domain_lead_state *s, const struct domain_actor *a,
                       enum domain_lead_cmd cmd, const struct domain_lead_args *args, int64_t now,
                       struct domain_lead_effects *fx);

/* ---- staff notifications (event staff.notify {staff_id, kind, text_zh, text_en, refs}) ---- */

enum domain_notify {
    DOMAIN_NOTIFY_CUSTOMER_ARRIVED,         /* the assigned consultant */
    DOMAIN_NOTIFY_INVITED_CUSTOMER_ARRIVED, /* the telesales person who invited them */
    DOMAIN_NOTIFY_OWNED_CUSTOMER_ARRIVED,   /* the consultant owning their lead */
    DOMAIN_NOTIFY_LEAD_ASSIGNED,
    DOMAIN_NOTIFY_LEAD_OVERDUE,
    DOMAIN_NOTIFY_GRADE_DUE,
    DOMAIN_NOTIFY_APPOINTMENT_NO_SHOW,
    DOMAIN_NOTIFY_CONFLICT_OPENED,
    DOMAIN_NOTIFY_CONFLICT_RULED,
    DOMAIN_NOTIFY_CONFLICT_OVERDUE,
    DOMAIN_NOTIFY_COMPLAINT_ASSIGNED,
    DOMAIN_NOTIFY_COMPLAINT_ESCALATED,
    DOMAIN_NOTIFY_STAFF_CALLED, /* call_staff at the reception kiosk */
    DOMAIN_NOTIFY__COUNT
};
const char *domain_notify_name(enum domain_notify k);    /* "invited_customer_arrived" */
const char *domain_notify_name_zh(enum domain_notify k); /* "邀约客户到店" */
int domain_notify_from_name(const char *name);

/* ---- visits and appointments ---- */

enum domain_visit_status {
    DOMAIN_VISIT_WAITING,
    DOMAIN_VISIT_SERVING,
    DOMAIN_VISIT_DEPARTED,
    DOMAIN_VISIT_STATUS__COUNT
};
const char *domain_visit_status_name(enum domain_visit_status s);    /* "waiting" */
const char *domain_visit_status_name_zh(enum domain_visit_status s); /* "等待接待" */
int domain_visit_status_from_name(const char *name);

enum domain_visit_cmd {
    DOMAIN_VISIT_SERVE,
    DOMAIN_VISIT_DEPART,
    DOMAIN_VISIT_APPOINTMENT_CREATE,
    DOMAIN_VISIT_CALL_STAFF,
    DOMAIN_VISIT_CMD__COUNT
};
const char *domain_visit_cmd_name(enum domain_visit_cmd c); /* "appointment_create" */
int domain_visit_cmd_from_name(const char *name);
int domain_visit_cmd_of_type(enum proto_type t); /* -1 if t is not one of these */

struct domain_visit_state {
    enum domain_visit_status status;
    int64_t consultant_id; /* assigned consultant, 0 none (reception took over) */
};

struct domain_visit_args {
    char grade; /* depart: grade after the visit, 0 none */
    /* appointment_create */
    int64_t at;             /* the appointment time */
    int64_t now;            /* the request time (at must be later) */
    bool has_lead_or_phone; /* a lead id or a phone was given */
};

#define DOMAIN_APPT_MAX_AHEAD_MS      (90 * DOMAIN_DAY_MS) /* appointments at most 90 days ahead */
#define DOMAIN_APPT_EARLY_MIN         240 /* a check-in up to 4 h early still counts as shown */
#define DOMAIN_APPT_GRACE_DEFAULT_MIN 60  /* site setting appointment_grace_minutes */

/* May `a` run `cmd` on the visit `s`? Roles -> forbidden; serve: the visit's own consultant
 * or a supervisor, waiting only; depart: the visit's consultant, reception or a supervisor,
 * waiting or serving; grade absent or settable (not O); appointment_create: telesales,
 * consultant or supervisor, a lead or phone, now < at <= now + 90 days; call_staff: sent by
 * the reception kiosk without a staff login, so `a` may be NULL (any staff role also may).
 * `s` is NULL for appointment_create and call_staff. */
int domain_visit_check(const struct domain_visit_state *s, const struct domain_actor *a,
                       enum domain_visit_cmd cmd, const struct domain_visit_args *args,
                       struct proto_error *err);

/* 1 if both times fall on the same site-local calendar day. */
int domain_visit_same_day(int64_t a, int64_t b, int utc_offset_min);
/* 1 if a customer whose latest visit (status st, arrived at `arrived_at`) is still open and
 * arrived the same local day as `now` is already checked in (checkin returns that visit). */
int domain_visit_already_checked_in(enum domain_visit_status st, int64_t arrived_at, int64_t now,
                                    int utc_offset_min);

enum domain_appt_state {
    DOMAIN_APPT_PENDING, /* not checked in, the window is still open */
    DOMAIN_APPT_SHOWN,   /* checked in within [at - 4 h, at + grace] */
    DOMAIN_APPT_NO_SHOW, /* no check-in in the window and now > at + grace */
    DOMAIN_APPT_STATE__COUNT
};
const char *domain_appt_state_name(enum domain_appt_state s);    /* "no_show" */
const char *domain_appt_state_name_zh(enum domain_appt_state s); /* "未到店" */
int domain_appt_state_from_name(const char *name);
/* 1 if a check-in at `checkin_at` is within the appointment's window. grace_min outside
 * 1..1440 counts as DOMAIN_APPT_GRACE_DEFAULT_MIN. */
int domain_appointment_in_window(int64_t at, int grace_min, int64_t checkin_at);
/* State at `now`: checked_in_at (0 = none) within the window -> shown; else now past
 * at + grace -> no_show (exactly at at + grace is still pending); else pending. */
enum domain_appt_state domain_appointment_state(int64_t at, int grace_min, int64_t checked_in_at,
                                                int64_t now);

/* ---- conflicts (撞单) ---- */

#define DOMAIN_CONFLICT_SLA_MS DOMAIN_DAY_MS /* the supervisor rules within 24 h */

/* 1 if staff `staff_id` serving (or creating an order for) the customer conflicts with the
 * lead's owner: the owner is a consultant (owner_role) and someone else (not 0, not the
 * owner). A telesales owner handing over to a consultant is the normal path, not a conflict. */
int domain_conflict_detect(int64_t lead_owner_id, enum domain_role owner_role, int64_t staff_id);

enum domain_conflict_status { DOMAIN_CONFLICT_OPEN, DOMAIN_CONFLICT_RULED, DOMAIN_CONFLICT__COUNT };
const char *domain_conflict_status_name(enum domain_conflict_status s);    /* "ruled" */
const char *domain_conflict_status_name_zh(enum domain_conflict_status s); /* "已裁定" */
int domain_conflict_status_from_name(const char *name);

enum domain_conflict_cmd { DOMAIN_CONFLICT_RULE, DOMAIN_CONFLICT_LIST, DOMAIN_CONFLICT_CMD__COUNT };
const char *domain_conflict_cmd_name(enum domain_conflict_cmd c); /* "conflict_rule" */
int domain_conflict_cmd_from_name(const char *name);
int domain_conflict_cmd_of_type(enum proto_type t);

struct domain_conflict_state {
    enum domain_conflict_status status;
    const int64_t *claimants; /* staff ids claiming the customer */
    size_t n_claimants;
    int64_t opened_at;
};
struct domain_conflict_args {
    int64_t winner_id;
    bool has_reason;
};
/* rule: supervisor only (forbidden otherwise); open only (a second ruling is
 * invalid_state: the ruling is final); winner must be a claimant (bad_field "winner"),
 * reason required (bad_field "reason"). list: supervisor or manager; `s` may be NULL. */
int domain_conflict_check(const struct domain_conflict_state *s, const struct domain_actor *a,
                          enum domain_conflict_cmd cmd, const struct domain_conflict_args *args,
                          struct proto_error *err);
int64_t domain_conflict_due(int64_t opened_at); /* opened_at + 24 h */
/* 1 if an open conflict is past its due time at `now` (exactly at due is in time). */
int domain_conflict_overdue(const struct domain_conflict_state *s, int64_t now);

/* ---- complaints (投诉) ---- */

enum domain_complaint_channel {
    DOMAIN_CCHAN_ON_SITE,
    DOMAIN_CCHAN_CALL_CENTRE,
    DOMAIN_CCHAN_PHONE,
    DOMAIN_CCHAN_FAX,
    DOMAIN_CCHAN_EMAIL,
    DOMAIN_CCHAN_MEDIA,
    DOMAIN_CCHAN_LETTER,
    DOMAIN_CCHAN__COUNT
};
const char *domain_complaint_channel_name(enum domain_complaint_channel c);    /* "call_centre" */
const char *domain_complaint_channel_name_zh(enum domain_complaint_channel c); /* "呼叫中心" */
int domain_complaint_channel_from_name(const char *name);

enum domain_complaint_kind { DOMAIN_CKIND_SERVICE, DOMAIN_CKIND_PRODUCT, DOMAIN_CKIND__COUNT };
const char *domain_complaint_kind_name(enum domain_complaint_kind k);    /* "service" */
const char *domain_complaint_kind_name_zh(enum domain_complaint_kind k); /* "服务质量" */
int domain_complaint_kind_from_name(const char *name);

enum domain_complaint_validity {
    DOMAIN_CVALID_PENDING, /* not judged yet */
    DOMAIN_CVALID_VALID,
    DOMAIN_CVALID_INVALID, /* a misunderstanding */
    DOMAIN_CVALID__COUNT
};
const char *domain_complaint_validity_name(enum domain_complaint_validity v);    /* "valid" */
const char *domain_complaint_validity_name_zh(enum domain_complaint_validity v); /* "有效" */
int domain_complaint_validity_from_name(const char *name);

enum domain_complaint_status {
    DOMAIN_CSTATE_OPEN,      /* waiting for the first response */
    DOMAIN_CSTATE_RESPONDED, /* being handled */
    DOMAIN_CSTATE_CLOSED,    /* resolved; waiting for the survey */
    DOMAIN_CSTATE_SURVEYED,
    DOMAIN_CSTATE__COUNT
};
const char *domain_complaint_status_name(enum domain_complaint_status s);    /* "responded" */
const char *domain_complaint_status_name_zh(enum domain_complaint_status s); /* "处理中" */
int domain_complaint_status_from_name(const char *name);

/* Handler levels: 1 supervisor (销售主管), 2 department manager (部门经理), 3 general
 * manager (总经理). */
#define DOMAIN_COMPLAINT_LEVEL_MIN 1
#define DOMAIN_COMPLAINT_LEVEL_MAX 3
const char *domain_complaint_level_name(int level);    /* "supervisor" | "manager" |
                                                          "general_manager"; NULL otherwise */
const char *domain_complaint_level_name_zh(int level); /* "销售主管" ... */
/* The staff role that handles a level: 1 supervisor, 2 and 3 manager; -1 otherwise. */
int domain_complaint_level_role(int level);
/* The next level up: 1 -> 2, 2 -> 3; 0 when there is none (3, or an invalid level). */
int domain_complaint_escalate_level(int level);

enum domain_complaint_response {
    DOMAIN_CRESP_FIRST_RESPONSE,
    DOMAIN_CRESP_CONTACT,
    DOMAIN_CRESP_PROGRESS,
    DOMAIN_CRESP__COUNT
};
const char *domain_complaint_response_name(enum domain_complaint_response r); /* "contact" */
int domain_complaint_response_from_name(const char *name);

#define DOMAIN_COMPLAINT_ON_SITE_MS     (10 * 60 * 1000LL)   /* first response on site */
#define DOMAIN_COMPLAINT_OTHER_MS       DOMAIN_DAY_MS        /* first response otherwise */
#define DOMAIN_COMPLAINT_CALL_CENTRE_MS (2 * DOMAIN_HOUR_MS) /* call centre first reply */
#define DOMAIN_COMPLAINT_CONTACT_WDAYS  1 /* call centre: contact within 1 working day */
#define DOMAIN_COMPLAINT_PROGRESS_WDAYS 2 /* call centre: progress every 2 working days */

/* Adds n working days (Mon-Fri, site-local; no public holidays in v1) to t: n * 24 h counted
 * only on Monday..Friday local time, so a start on a weekend counts from the next Monday
 * 00:00 and Fri 15:00 + 1 = Mon 15:00; Fri 00:00 + 1 = Sat 00:00 (the end of Friday).
 * n <= 0 -> t. */
int64_t domain_add_working_days(int64_t t, int n, int utc_offset_min);
/* Day of the week of `t` in site-local time: 0 Monday .. 6 Sunday. */
int domain_weekday(int64_t t, int utc_offset_min);

struct domain_complaint_times {
    enum domain_complaint_channel channel;
    int64_t opened_at;
    int64_t first_response_at; /* 0 none yet */
    int64_t contact_at;        /* 0 none yet */
    int64_t last_progress_at;  /* latest progress report, 0 none */
    int64_t closed_at;         /* 0 open: limits still open at closure lapse */
};

struct domain_complaint_deadline {
    enum domain_complaint_response kind;
    int64_t started_at;
    int64_t due_at;
    bool done;     /* the awaited response happened (progress: never, it recurs) */
    bool met;      /* done at or before due_at */
    bool breached; /* done after due_at, or not done and now > due_at */
};

/* The limits of one complaint at `now`, in enum order, at most DOMAIN_CRESP__COUNT:
 * first response (on site 10 min, call centre 2 h, others 24 h from opened_at); for call
 * centre tickets also contact (1 working day from opened_at) and progress (2 working days
 * from the latest progress report, else from the first response; only once there is a
 * first response, and only while the complaint is open). After closure, a limit not done
 * by closed_at no longer applies. Returns the number written. */
int domain_complaint_deadlines(const struct domain_complaint_times *t, int utc_offset_min,
                               int64_t now, struct domain_complaint_deadline out[], size_t cap);

enum domain_complaint_cmd {
    DOMAIN_COMPLAINT_OPEN,
    DOMAIN_COMPLAINT_RESPOND,
    DOMAIN_COMPLAINT_VALIDITY,
    DOMAIN_COMPLAINT_ESCALATE,
    DOMAIN_COMPLAINT_CLOSE,
    DOMAIN_COMPLAINT_SURVEY,
    DOMAIN_COMPLAINT_GET,
    DOMAIN_COMPLAINT_LIST,
    DOMAIN_COMPLAINT_CMD__COUNT
};
const char *domain_complaint_cmd_name(enum domain_complaint_cmd c); /* "complaint_open" */
int domain_complaint_cmd_from_name(const char *name);
int domain_complaint_cmd_of_type(enum proto_type t);
int domain_complaint_cmd_is_read(enum domain_complaint_cmd c);

struct domain_complaint_state {
    enum domain_complaint_status state;
    enum domain_complaint_channel channel;
    enum domain_complaint_validity validity;
    int level;          /* 1..3 */
    int64_t handler_id; /* staff handling it now */
    bool must_resolve;  /* opened by a low delivery rating */
    int64_t first_response_at;
};

struct domain_complaint_args {
    /* open */
    enum domain_complaint_channel channel;
    enum domain_complaint_kind kind;
    bool has_summary;
    bool has_phone; /* a customer phone (the core normalises it) */
    /* respond */
    enum domain_complaint_response response;
    bool has_text; /* respond, close (resolution) */
    /* validity */
    enum domain_complaint_validity validity;
    bool has_reason; /* validity invalid, escalate */
    /* survey */
    int satisfaction; /* 1..5 */
};

/* Roles: open: service, reception, consultant, supervisor, manager; respond: service,
 * supervisor, manager; validity: supervisor, manager; escalate: service, supervisor,
 * manager; close: the level's role or higher (level 1: supervisor or manager; 2, 3:
 * manager); survey: service; get, list: service, supervisor, manager. Then state (open
 * and responded for respond/validity/escalate/close; closed for survey) -> invalid_state;
 * then arguments -> bad_field. `s` may be NULL for open and list. */
int domain_complaint_check(const struct domain_complaint_state *s, const struct domain_actor *a,
                           enum domain_complaint_cmd cmd, const struct domain_complaint_args *args,
                           struct proto_error *err);

/* 1 if a delivery rating opens a complaint at once (1 or 2; 0 = no rating). */
int domain_rating_opens_complaint(int rating);
/* 1 for a satisfaction or rating value 1..5. */
int domain_satisfaction_valid(int v);

#endif

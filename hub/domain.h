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
 * send ping, staff_login and staff_logout; not checkin, order_lookup or subscribe. */

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

#endif

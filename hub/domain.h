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
    DOMAIN_MODE__COUNT
};
const char *domain_mode_name(enum domain_mode m); /* "reception" */
int domain_mode_from_name(const char *name);      /* -1 if unknown */
/* 1 if a device in mode `m` may send request type `t` (auth excluded: always allowed).
 * Returns 0 for auth itself (the session's phase machine handles it), for hub-to-client
 * types, and for out-of-range values. */
int domain_mode_allows(enum domain_mode m, enum proto_type t);

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

#endif

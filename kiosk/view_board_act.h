/* Acting on the manager board: a tap on an order waiting for review or on a conflict opens a
 * short flow over the board, with nothing typed but digits: staff number and PIN on the
 * keypads (`staff_login` on the board's connection), a detail card (the order: number, masked
 * customer, model, amount, consultant, how long it has waited and its time limit; a conflict:
 * the customer and each claimant with their evidence), the decision (Approve / Reject with a
 * reason chip, or one button per claimant and a reason chip), the command, and its outcome in
 * words (the hub's refusal included), then `staff_logout` and back to the floor.
 *
 * Which command decides is the order's stage: `entered` is the initial review
 * (`order_review`, a supervisor's), `reviewed` the final decision (`order_approve`, a
 * manager's); a conflict is `conflict_rule`. The roles are the hub's rules: the kiosk sends
 * what was tapped and shows the answer. Cancel on every step; the flow ends by itself after
 * the idle time (the kiosk's --idle-seconds, else VIEW_BOARD_ACT_IDLE_MS) and the page turns
 * wait while it runs. The PIN stays in memory only while the flow runs, to log in again
 * silently when the hub lost the login (a reconnect, an idle lapse), and is wiped at its end.
 * UI thread only. */
#ifndef SHOWFLOOR_VIEW_BOARD_ACT_H
#define SHOWFLOOR_VIEW_BOARD_ACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "proto.h"

#define VIEW_BOARD_ACT_IDLE_MS \
    60000 /* no tap this long ends the flow (when the kiosk has no idle time) */
#define VIEW_BOARD_ACT_DONE_MS       10000 /* the outcome stays this long, then back to the floor */
#define VIEW_BOARD_ACT_ORDER_REASONS 5     /* reason chips to send an order back */
#define VIEW_BOARD_ACT_RULE_REASONS  4     /* reason chips for a conflict ruling */

/* Time limits of the review stages, as bits of earlier_late. */
#define VIEW_BOARD_ACT_LATE_ENTRY   1u
#define VIEW_BOARD_ACT_LATE_INITIAL 2u
#define VIEW_BOARD_ACT_LATE_FINAL   4u

enum view_board_act_screen {
    BA_OFF,        /* not acting: the board's pages */
    BA_PICK,       /* board.act.pick: every order waiting for a decision, to tap one */
    BA_STAFF_NO,   /* board.act.staff_no */
    BA_PIN,        /* board.act.pin */
    BA_LOGGING_IN, /* board.act.logging_in */
    BA_CARD,       /* board.act.card: the order or conflict, and the decision buttons */
    BA_REASON,     /* board.act.reason: a reason chip, then confirm */
    BA_SENDING,    /* board.act.sending */
    BA_DONE,       /* board.act.done: done, or the hub's refusal */
};

enum view_board_act_kind { BA_ORDER, BA_CONFLICT };

/* The decision taken on the card. */
enum view_board_act_choice { BA_NONE, BA_APPROVE, BA_REJECT, BA_RULE };

struct view_board_act {
    enum view_board_act_screen screen;
    enum view_board_act_kind kind;
    char order_no[PROTO_MAX_ORDER_NO + 1];
    int64_t conflict_id;
    struct entry staff_no, pin;

    /* the login: kept for a silent re-login while the flow runs, wiped at its end */
    bool logged_in; /* the hub answered the login */
    bool hub_login; /* ... and the current connection still has it, as far as we know */
    char staff_no_v[PROTO_MAX_SHORT + 1];
    char staff_pin[PROTO_MAX_PIN + 1];
    char staff_name[PROTO_MAX_NAME + 1];
    char staff_role[PROTO_MAX_SHORT + 1];
    char login_id[PROTO_MAX_ID + 1];      /* the login typed, or a silent re-login */
    char get_id[PROTO_MAX_ID + 1];        /* order_get for the order's review times */
    char cmd_id[PROTO_MAX_ID + 1];        /* the decision's command id, kept for a resend */
    enum proto_type cmd_type;             /* ... and its command, fixed at the decision */
    char reason_text[PROTO_MAX_TEXT / 4]; /* ... and its reason, in the words shown then */
    bool cmd_waiting;                     /* the command waits for the re-login to be sent */

    /* from order_get (`got` once it answered): when the awaited review began, the due time
     * of its limit when the hub recorded this round of it as breached, and the limits missed
     * before (bits VIEW_BOARD_ACT_LATE_*: an order sent back and resubmitted keeps them) */
    bool got;
    int64_t waiting_since;
    int64_t breach_due;
    unsigned earlier_late;

    enum view_board_act_choice choice;
    char winner_no[PROTO_MAX_SHORT + 1]; /* conflict: the claimant chosen */
    char winner_name[PROTO_MAX_NAME + 1];
    int reason; /* index of the chosen chip, -1 none */

    /* the outcome */
    bool ok;
    int error_key; /* i18n key, -1 for the generic text with error_text */
    char error_text[PROTO_MAX_TEXT / 4];
    char done_text[PROTO_MAX_TEXT / 4]; /* what the hub recorded, in the current words */
    int64_t done_at;                    /* monotonic ms the outcome was shown */
};

struct app;
struct proto_msg;

/* True while the flow runs (the board's pages wait). */
bool view_board_act_active(const struct app *a);
/* Screen name while active ("board.act.card"), else NULL. */
const char *view_board_act_screen(const struct app *a);
/* Starts the flow from a board tap id: "board.review.<order_no>", "board.rule.<conflict
 * id>", or "board.review_more" (the list of every order waiting, when the column cannot show
 * them all). Returns true when the id was one of these (and the flow started). */
bool view_board_act_start(struct app *a, const char *id);
/* Builds the flow's screen in a->body. */
void view_board_act_build(struct app *a);
/* A tap while active. */
void view_board_act_action(struct app *a, const char *id);
/* A result (or NULL: no answer) for one of the flow's requests; returns true when it was. */
bool view_board_act_result(struct app *a, enum proto_type type, const struct proto_msg *res);
/* Ends the flow: staff_logout when the hub has the login, requests forgotten, the typed
 * numbers and the PIN wiped. Safe when not active. */
void view_board_act_end(struct app *a);
/* Time passed: the idle end (when the kiosk has no idle time of its own), the outcome's end. */
void view_board_act_tick(struct app *a);
/* Monotonic ms of the flow's next timed step, INT64_MAX when none. */
int64_t view_board_act_deadline(const struct app *a);

/* Which command decides an order of this stage: PROTO_T_ORDER_REVIEW (entered),
 * PROTO_T_ORDER_APPROVE (reviewed), else -1 (nothing to decide on the board). Pure. */
int view_board_act_order_command(const char *stage);
/* The VIEW_BOARD_ACT_LATE_* bit of a time-limit kind ("initial_review"), 0 for others. Pure. */
unsigned view_board_act_late_bit(const char *kind);
/* "3 h 05 min" style text of a duration in ms into out, from the strings of `a`. */
void view_board_act_duration(const struct app *a, int64_t ms, char *out, size_t outsz);

#endif

/* Acting on the manager board (see view_board_act.h): the flow's state, its requests and the
 * hub's answers. The screens are drawn by view_board_act_draw.c. UI thread only. */
#include "view_board_act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "view_board_act_draw.h"
#include "view_common.h"

const enum i18n_key view_board_act_order_reasons[VIEW_BOARD_ACT_ORDER_REASONS] = {
    I18N_BOARD_ACT_R_DOCS,   I18N_BOARD_ACT_R_PRICE,   I18N_BOARD_ACT_R_CREDIT,
    I18N_BOARD_ACT_R_CONFIG, I18N_BOARD_ACT_R_PAYMENT,
};
const enum i18n_key view_board_act_rule_reasons[VIEW_BOARD_ACT_RULE_REASONS] = {
    I18N_BOARD_ACT_C_FOLLOWUPS,
    I18N_BOARD_ACT_C_FIRST,
    I18N_BOARD_ACT_C_CUSTOMER,
    I18N_BOARD_ACT_C_SERVED,
};

bool view_board_act_active(const struct app *a)
{
    return a->bd.act.screen != BA_OFF;
}

const char *view_board_act_screen(const struct app *a)
{
    static const char *const names[] = {
        [BA_PICK] = "board.act.pick",       [BA_STAFF_NO] = "board.act.staff_no",
        [BA_PIN] = "board.act.pin",         [BA_LOGGING_IN] = "board.act.logging_in",
        [BA_CARD] = "board.act.card",       [BA_REASON] = "board.act.reason",
        [BA_SENDING] = "board.act.sending", [BA_DONE] = "board.act.done",
    };
    return a->bd.act.screen == BA_OFF ? NULL : names[a->bd.act.screen];
}

int view_board_act_order_command(const char *stage)
{
    if (stage && strcmp(stage, "entered") == 0)
        return PROTO_T_ORDER_REVIEW;
    if (stage && strcmp(stage, "reviewed") == 0)
        return PROTO_T_ORDER_APPROVE;
    return -1;
}

unsigned view_board_act_late_bit(const char *kind)
{
    if (!kind)
        return 0;
    if (strcmp(kind, "entry") == 0)
        return VIEW_BOARD_ACT_LATE_ENTRY;
    if (strcmp(kind, "initial_review") == 0)
        return VIEW_BOARD_ACT_LATE_INITIAL;
    if (strcmp(kind, "final_review") == 0)
        return VIEW_BOARD_ACT_LATE_FINAL;
    return 0;
}

const cJSON *view_board_act_order(const struct app *a)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, model_orders(a->model))
    {
        const char *no = proto_get_str(o, "order_no");
        if (no && strcmp(no, a->bd.act.order_no) == 0)
            return o;
    }
    return NULL;
}

const cJSON *view_board_act_conflict(const struct app *a)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, model_conflicts(a->model))
    {
        if (proto_get_int(c, "id", 0) == a->bd.act.conflict_id)
            return c;
    }
    return NULL;
}

void view_board_act_duration(const struct app *a, int64_t ms, char *out, size_t outsz)
{
    int64_t min = ms > 0 ? ms / 60000 : 0;
    char x[24], y[24];
    if (min < 60) {
        snprintf(x, sizeof x, "%lld", (long long)min);
        const char *args[] = {x};
        i18n_format(out, outsz, app_t(a, I18N_MINUTES), args, 1);
    } else if (min < 48 * 60) {
        snprintf(x, sizeof x, "%lld", (long long)(min / 60));
        snprintf(y, sizeof y, "%02lld", (long long)(min % 60));
        const char *args[] = {x, y};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_HM), args, 2);
    } else {
        snprintf(x, sizeof x, "%lld", (long long)(min / (24 * 60)));
        snprintf(y, sizeof y, "%lld", (long long)(min / 60 % 24));
        const char *args[] = {x, y};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_DH), args, 2);
    }
}

/* Back to nothing: every field wiped (the PIN and typed numbers too), the keypads ready. */
static void view_board_act_clear(struct view_board_act *x)
{
    entry_clear(&x->staff_no);
    entry_clear(&x->pin);
    memset(x, 0, sizeof *x);
    entry_init(&x->staff_no, ENTRY_STAFF_NO, 1, 12);
    entry_init(&x->pin, ENTRY_DIGITS, 4, PROTO_MAX_PIN);
    x->reason = -1;
    x->error_key = -1;
    x->screen = BA_OFF;
}

void view_board_act_end(struct app *a)
{
    struct view_board_act *x = &a->bd.act;
    if (x->screen == BA_OFF && !x->logged_in) {
        view_board_act_clear(x);
        return;
    }
    /* Nobody stays logged in on a wall screen: the hub forgets the login with the connection
     * anyway, but while it stays up the login would outlive the person. */
    if (x->hub_login && a->conn == APP_CONN_CONNECTED)
        app_request(a, PROTO_T_STAFF_LOGOUT, NULL, NULL, NULL);
    if (x->login_id[0])
        app_forget(a, x->login_id);
    if (x->get_id[0])
        app_forget(a, x->get_id);
    /* A command in flight is the hub's now: its outcome shows on the board by its events. */
    if (x->cmd_id[0])
        app_forget(a, x->cmd_id);
    view_board_act_clear(x);
    /* the floor again, for a full turn */
    a->bd.page = VIEW_BOARD_FLOOR;
    a->bd.page_since = a->mono;
    a->dirty = true;
}

bool view_board_act_start(struct app *a, const char *id)
{
    struct view_board_act *x = &a->bd.act;
    if (strncmp(id, "board.review.", 13) == 0 && id[13]) {
        view_board_act_clear(x);
        x->kind = BA_ORDER;
        snprintf(x->order_no, sizeof x->order_no, "%s", id + 13);
    } else if (strncmp(id, "board.rule.", 11) == 0 && id[11]) {
        char *end = NULL;
        long long cid = strtoll(id + 11, &end, 10);
        if (!end || *end || cid <= 0)
            return false;
        view_board_act_clear(x);
        x->kind = BA_CONFLICT;
        x->conflict_id = cid;
    } else if (strcmp(id, "board.review_more") == 0) {
        view_board_act_clear(x);
        x->screen = BA_PICK;
        a->dirty = true;
        return true;
    } else {
        return false;
    }
    x->screen = BA_STAFF_NO;
    a->dirty = true;
    return true;
}

/* Records an error for the outcome or a keypad: the hub's, or "no answer" (res NULL). */
static void view_board_act_error(struct app *a, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    view_common_set_error(&x->error_key, x->error_text, sizeof x->error_text, res);
    if (!res)
        return;
    /* A refusal of the decision is about the person, not the device: say who may not. The
     * hub's own words follow on the outcome screen. */
    if (res->error.code == PROTO_E_FORBIDDEN)
        x->error_key = x->logged_in ? I18N_BOARD_ACT_ERR_FORBIDDEN : I18N_BOARD_ACT_ERR_OTHER_SITE;
    else if (res->error.code == PROTO_E_INVALID_STATE)
        x->error_key = I18N_BOARD_ACT_ERR_STATE;
    snprintf(x->error_text, sizeof x->error_text, "%s",
             res->error.message[0] ? res->error.message : proto_error_code(res->error.code));
}

static void view_board_act_login_send(struct app *a, bool silent)
{
    struct view_board_act *x = &a->bd.act;
    char no[ENTRY_MAX + 2];
    cJSON *args = cJSON_CreateObject();
    bool ok = args != NULL;
    if (ok && silent)
        ok = cJSON_AddStringToObject(args, "staff_no", x->staff_no_v) &&
             cJSON_AddStringToObject(args, "pin", x->staff_pin);
    else if (ok)
        ok = entry_value(&x->staff_no, no, sizeof no) == 0 &&
             cJSON_AddStringToObject(args, "staff_no", no) &&
             cJSON_AddStringToObject(args, "pin", entry_text(&x->pin));
    if (!ok) {
        cJSON_Delete(args);
        view_board_act_error(a, NULL);
        x->screen = silent ? BA_DONE : BA_PIN;
        x->done_at = a->mono;
        return;
    }
    if (app_request(a, PROTO_T_STAFF_LOGIN, args, NULL, x->login_id) != 0) {
        x->login_id[0] = '\0';
        view_board_act_error(a, NULL);
        x->screen = silent ? BA_DONE : BA_PIN;
        x->done_at = a->mono;
        return;
    }
    if (!silent)
        x->screen = BA_LOGGING_IN;
}

/* order_get for the review times the board's masked order does not carry. */
static void view_board_act_get(struct app *a)
{
    struct view_board_act *x = &a->bd.act;
    if (x->kind != BA_ORDER || x->get_id[0] || x->waiting_since > 0)
        return;
    cJSON *args = cJSON_CreateObject();
    if (!args || !cJSON_AddStringToObject(args, "order_no", x->order_no)) {
        cJSON_Delete(args);
        return;
    }
    if (app_request(a, PROTO_T_ORDER_GET, args, NULL, x->get_id) != 0)
        x->get_id[0] = '\0'; /* the card shows the board's times instead */
}

/* Fixes the decision as it goes to the hub, every time it is sent: the command (by the stage
 * the card showed), the reason in the words on screen now, and a fresh command id. A resend
 * (re-login, Retry) must be the very same command, or the hub answers id_reused. */
static void view_board_act_decide(struct app *a)
{
    struct view_board_act *x = &a->bd.act;
    x->reason_text[0] = '\0';
    if (x->reason >= 0)
        snprintf(x->reason_text, sizeof x->reason_text, "%s",
                 app_t(a, x->kind == BA_ORDER ? view_board_act_order_reasons[x->reason]
                                              : view_board_act_rule_reasons[x->reason]));
    if (x->kind == BA_CONFLICT) {
        x->cmd_type = PROTO_T_CONFLICT_RULE;
    } else {
        const cJSON *o = view_board_act_order(a);
        int cmd = view_board_act_order_command(o ? proto_get_str(o, "stage") : NULL);
        /* the card offers a decision only in review; the hub judges a stale one */
        x->cmd_type = cmd == PROTO_T_ORDER_APPROVE ? PROTO_T_ORDER_APPROVE : PROTO_T_ORDER_REVIEW;
    }
    app_new_id(a, x->cmd_id);
}

/* The args of the decision fixed by view_board_act_decide; NULL on out of memory. */
static cJSON *view_board_act_args(const struct view_board_act *x)
{
    cJSON *args = cJSON_CreateObject();
    if (!args)
        return NULL;
    bool ok;
    if (x->kind == BA_CONFLICT) {
        ok = cJSON_AddNumberToObject(args, "conflict_id", (double)x->conflict_id) &&
             cJSON_AddStringToObject(args, "winner", x->winner_no) &&
             cJSON_AddStringToObject(args, "reason", x->reason_text);
    } else {
        bool yes = x->choice == BA_APPROVE;
        ok = cJSON_AddStringToObject(args, "order_no", x->order_no) &&
             cJSON_AddBoolToObject(args, x->cmd_type == PROTO_T_ORDER_REVIEW ? "pass" : "approve",
                                   yes) &&
             (yes || cJSON_AddStringToObject(args, "reason", x->reason_text));
    }
    if (!ok) {
        cJSON_Delete(args);
        return NULL;
    }
    return args;
}

/* Sends the decision with its id (the same one again after a re-login or a Retry: the hub
 * runs a command id once). */
static void view_board_act_send(struct app *a)
{
    struct view_board_act *x = &a->bd.act;
    x->screen = BA_SENDING;
    if (!x->cmd_id[0])
        view_board_act_decide(a);
    if (!x->hub_login) {
        /* the hub lost the login (a reconnect): log in again first, then send */
        x->cmd_waiting = true;
        if (!x->login_id[0])
            view_board_act_login_send(a, true);
        return;
    }
    x->cmd_waiting = false;
    cJSON *args = view_board_act_args(x);
    if (!args || app_request(a, x->cmd_type, args, x->cmd_id, NULL) != 0) {
        view_board_act_error(a, NULL);
        x->ok = false;
        x->screen = BA_DONE;
        x->done_at = a->mono;
    }
}

static void view_board_act_key(struct view_board_act *x, struct entry *e, const char *key)
{
    if (entry_key(e, key)) {
        x->error_key = -1;
        x->error_text[0] = '\0';
    }
}

void view_board_act_action(struct app *a, const char *id)
{
    struct view_board_act *x = &a->bd.act;
    if (strcmp(id, "btn.cancel") == 0 || strcmp(id, "btn.finish") == 0) {
        view_board_act_end(a);
        return;
    }
    switch (x->screen) {
    case BA_PICK:
        view_board_act_start(a, id); /* an order of the list: its flow */
        break;
    case BA_STAFF_NO:
        if (strncmp(id, "key.", 4) == 0)
            view_board_act_key(x, &x->staff_no, id + 4);
        else if (strcmp(id, "btn.next") == 0 && entry_state(&x->staff_no) == ENTRY_VALID)
            x->screen = BA_PIN;
        else if (strcmp(id, "btn.back") == 0)
            view_board_act_end(a);
        break;
    case BA_PIN:
        if (strncmp(id, "key.", 4) == 0)
            view_board_act_key(x, &x->pin, id + 4);
        else if (strcmp(id, "btn.login_submit") == 0 && entry_state(&x->pin) == ENTRY_VALID)
            view_board_act_login_send(a, false);
        else if (strcmp(id, "btn.back") == 0) {
            entry_clear(&x->pin);
            x->error_key = -1;
            x->error_text[0] = '\0';
            x->screen = BA_STAFF_NO;
        }
        break;
    case BA_CARD:
        if (x->kind == BA_ORDER && strcmp(id, "act.approve") == 0) {
            x->choice = BA_APPROVE;
            x->reason = -1;
            view_board_act_send(a);
        } else if (x->kind == BA_ORDER && strcmp(id, "act.reject") == 0) {
            x->choice = BA_REJECT;
            x->reason = -1;
            x->screen = BA_REASON;
        } else if (x->kind == BA_CONFLICT && strncmp(id, "act.winner.", 11) == 0) {
            const cJSON *cl = cJSON_GetArrayItem(
                cJSON_GetObjectItemCaseSensitive(view_board_act_conflict(a), "claimants"),
                atoi(id + 11));
            const char *no = proto_get_str(cl, "staff_no");
            const char *name = proto_get_str(cl, "name");
            if (!no)
                break;
            snprintf(x->winner_no, sizeof x->winner_no, "%s", no);
            snprintf(x->winner_name, sizeof x->winner_name, "%s", name ? name : no);
            x->choice = BA_RULE;
            x->reason = -1;
            x->screen = BA_REASON;
        }
        break;
    case BA_REASON: {
        int n = x->kind == BA_ORDER ? VIEW_BOARD_ACT_ORDER_REASONS : VIEW_BOARD_ACT_RULE_REASONS;
        if (strncmp(id, "reason.", 7) == 0) {
            int i = atoi(id + 7);
            if (i >= 0 && i < n)
                x->reason = i;
        } else if (strcmp(id, "act.confirm") == 0 && x->reason >= 0) {
            view_board_act_send(a);
        } else if (strcmp(id, "btn.back") == 0) {
            x->choice = BA_NONE;
            x->reason = -1;
            x->screen = BA_CARD;
        }
        break;
    }
    case BA_DONE:
        if (strcmp(id, "btn.retry") == 0 && !x->ok) {
            view_board_act_send(a); /* the same id: run once at most */
        } else if (strcmp(id, "btn.back") == 0 && !x->ok && x->logged_in) {
            /* another decision on the same card; a new command gets a new id */
            x->cmd_id[0] = '\0';
            x->choice = BA_NONE;
            x->reason = -1;
            x->error_key = -1;
            x->error_text[0] = '\0';
            x->screen = BA_CARD;
        }
        break;
    default:
        break;
    }
}

/* The answer to a login, typed or silent. */
static void view_board_act_login_result(struct app *a, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    x->login_id[0] = '\0';
    bool silent = x->logged_in;
    if (!res || !res->ok) {
        if (silent) {
            /* the PIN stopped working or the hub is gone: the decision was not sent */
            view_board_act_error(a, res);
            x->hub_login = false;
            x->cmd_waiting = false;
            x->ok = false;
            x->screen = BA_DONE;
            x->done_at = a->mono;
            return;
        }
        view_board_act_error(a, res);
        if (res)
            entry_clear(&x->pin); /* wrong or locked: typed again; no answer: Log in again */
        x->screen = BA_PIN;
        return;
    }
    x->hub_login = true;
    if (silent) {
        if (x->cmd_waiting)
            view_board_act_send(a);
        else
            view_board_act_get(a);
        return;
    }
    const cJSON *staff = proto_get_obj(res->args, "staff");
    const char *name = proto_get_str(staff, "name");
    const char *role = proto_get_str(staff, "role");
    snprintf(x->staff_name, sizeof x->staff_name, "%s", name ? name : "");
    snprintf(x->staff_role, sizeof x->staff_role, "%s", role ? role : "");
    if (entry_value(&x->staff_no, x->staff_no_v, sizeof x->staff_no_v) != 0)
        x->staff_no_v[0] = '\0';
    snprintf(x->staff_pin, sizeof x->staff_pin, "%s", entry_text(&x->pin));
    entry_clear(&x->pin);
    entry_clear(&x->staff_no);
    x->logged_in = true;
    x->error_key = -1;
    x->error_text[0] = '\0';
    x->screen = BA_CARD;
    view_board_act_get(a);
}

/* The review clock of the order from order_get: since it entered (first review) or was
 * reviewed (final), and the due time of that limit when it is recorded as breached. */
static void view_board_act_get_result(struct app *a, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    x->get_id[0] = '\0';
    const cJSON *o = res && res->ok ? proto_get_obj(res->args, "order") : NULL;
    if (!o)
        return; /* the card shows the board's own times */
    const char *stage = proto_get_str(o, "stage");
    bool final = stage && strcmp(stage, "reviewed") == 0;
    x->got = true;
    x->waiting_since = proto_get_int(o, final ? "reviewed_at" : "entered_at", 0);
    x->breach_due = 0;
    x->earlier_late = 0;
    unsigned now_bit = final ? VIEW_BOARD_ACT_LATE_FINAL : VIEW_BOARD_ACT_LATE_INITIAL;
    const cJSON *b;
    cJSON_ArrayForEach(b, proto_get_arr(o, "sla_breaches"))
    {
        unsigned bit = view_board_act_late_bit(proto_get_str(b, "kind"));
        int64_t due = proto_get_int(b, "due_at", 0);
        /* A breach is recorded once per kind: one due before this review began belongs to
         * an earlier round (the order was sent back and resubmitted). */
        if (bit == now_bit && due > x->waiting_since)
            x->breach_due = due;
        else
            x->earlier_late |= bit;
    }
}

/* What the hub recorded, in words, from the command's result. */
static void view_board_act_done_text(struct app *a, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    char *out = x->done_text;
    size_t outsz = sizeof x->done_text;
    if (x->kind == BA_CONFLICT) {
        const cJSON *cf = view_board_act_conflict(a);
        const char *cust = proto_get_str(proto_get_obj(cf, "customer"), "name");
        const char *won =
            proto_get_str(proto_get_obj(proto_get_obj(res->args, "conflict"), "winner"), "name");
        /* the customer's masked name from the board: the result carries the real one */
        const char *args[] = {cust ? cust : "", won ? won : x->winner_name};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_DONE_RULED), args, 2);
        return;
    }
    const char *stage = proto_get_str(proto_get_obj(res->args, "order"), "stage");
    const char *args[] = {x->order_no, x->reason_text};
    enum i18n_key k = I18N_BOARD_ACT_DONE_RETURNED;
    if (stage && strcmp(stage, "reviewed") == 0)
        k = I18N_BOARD_ACT_DONE_PASSED;
    else if (stage && strcmp(stage, "approved") == 0)
        k = I18N_BOARD_ACT_DONE_APPROVED;
    i18n_format(out, outsz, app_t(a, k), args, 2);
}

static void view_board_act_cmd_result(struct app *a, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    if (res && !res->ok &&
        (res->error.code == PROTO_E_SESSION_EXPIRED ||
         res->error.code == PROTO_E_STAFF_LOGIN_REQUIRED)) {
        /* The hub lost the login (a reconnect, its idle lapse); a refused command is not
         * recorded, so the same id goes again once logged in. */
        x->hub_login = false;
        view_board_act_send(a);
        return;
    }
    x->ok = res && res->ok;
    if (x->ok) {
        x->error_key = -1;
        x->error_text[0] = '\0';
        view_board_act_done_text(a, res);
    } else {
        view_board_act_error(a, res);
    }
    x->screen = BA_DONE;
    x->done_at = a->mono;
}

bool view_board_act_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    struct view_board_act *x = &a->bd.act;
    const char *id = a->result_id;
    if (!id)
        return false;
    if (type == PROTO_T_STAFF_LOGIN && x->login_id[0] && strcmp(id, x->login_id) == 0)
        view_board_act_login_result(a, res);
    else if (type == PROTO_T_ORDER_GET && x->get_id[0] && strcmp(id, x->get_id) == 0)
        view_board_act_get_result(a, res);
    else if (x->cmd_id[0] && strcmp(id, x->cmd_id) == 0 && x->screen == BA_SENDING)
        view_board_act_cmd_result(a, res);
    else
        return false;
    a->dirty = true;
    return true;
}

void view_board_act_tick(struct app *a)
{
    struct view_board_act *x = &a->bd.act;
    if (x->screen == BA_OFF)
        return;
    /* the hub ties a login to its connection: a drop loses it */
    if (a->conn != APP_CONN_CONNECTED)
        x->hub_login = false;
    /* The kiosk's idle time ends the flow through app_reset; without one, our own. */
    if (a->idle_ms <= 0 && a->mono - a->last_input >= VIEW_BOARD_ACT_IDLE_MS) {
        view_board_act_end(a);
        return;
    }
    if (x->screen == BA_DONE && a->mono - x->done_at >= VIEW_BOARD_ACT_DONE_MS) {
        view_board_act_end(a);
        return;
    }
    if (x->screen == BA_DONE)
        a->dirty = true; /* the logout countdown */
}

int64_t view_board_act_deadline(const struct app *a)
{
    const struct view_board_act *x = &a->bd.act;
    if (x->screen == BA_OFF)
        return INT64_MAX;
    int64_t next = INT64_MAX;
    if (a->idle_ms <= 0)
        next = a->last_input + VIEW_BOARD_ACT_IDLE_MS;
    if (x->screen == BA_DONE) {
        int64_t end = x->done_at + VIEW_BOARD_ACT_DONE_MS;
        int64_t sec = a->mono + 1000 - (a->mono - x->done_at) % 1000; /* the countdown */
        int64_t d = sec < end ? sec : end;
        if (d < next)
            next = d;
    }
    return next;
}

void view_board_act_build(struct app *a)
{
    switch (a->bd.act.screen) {
    case BA_PICK:
        view_board_act_draw_pick(a);
        break;
    case BA_STAFF_NO:
    case BA_PIN:
        view_board_act_draw_keypad(a, a->bd.act.screen == BA_PIN);
        break;
    case BA_LOGGING_IN:
    case BA_SENDING:
        view_board_act_draw_wait(a);
        break;
    case BA_CARD:
        view_board_act_draw_card(a);
        break;
    case BA_REASON:
        view_board_act_draw_reason(a);
        break;
    case BA_DONE:
        view_board_act_draw_done(a);
        break;
    default:
        break;
    }
}

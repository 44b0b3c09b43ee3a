/* Delivery-bay state: screens, the staff session (login, silent re-login, keep-alive,
 * logout), requests and their results (see view_delivery.h). UI thread only. */
#include "view_delivery.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "signq.h"
#include "view_common.h"

/* A staff login on the hub lapses after 5 idle minutes; the kiosk logs out on its own
 * idle timer, so while a session is open a ping keeps the hub's login alive. */
#define DL_PING_MS (60 * 1000)
/* Reading the summary and signing take longer than a customer screen's idle time. */
#define DL_FLOW_IDLE_MS (3 * 60 * 1000)

const char *const view_delivery_checks[DL_CHECK_N] = {
    "vehicle_clean", "invoice", "coc", "warranty", "keys", "accessories", "explained",
};

const char *view_delivery_screen(const struct app *a)
{
    static const char *const names[] = {
        "delivery.list",       "delivery.staff_no", "delivery.pin",     "delivery.logging_in",
        "delivery.staff",      "delivery.error",    "delivery.loading", "delivery.checklist",
        "delivery.summary",    "delivery.sign",     "delivery.rating",  "delivery.comment",
        "delivery.submitting", "delivery.done",
    };
    return names[a->dl.screen];
}

bool view_delivery_idle(const struct app *a)
{
    return a->dl.screen == DL_LIST;
}

bool view_delivery_staff_active(const struct app *a)
{
    return a->dl.session;
}

int view_delivery_idle_ms(const struct app *a, int idle_ms)
{
    switch (a->dl.screen) {
    case DL_CHECKLIST:
    case DL_SUMMARY:
    case DL_SIGN:
    case DL_RATING:
    case DL_COMMENT:
        return idle_ms > DL_FLOW_IDLE_MS ? idle_ms : DL_FLOW_IDLE_MS;
    default:
        return idle_ms;
    }
}

/* Forgets the staff session, PIN included. */
static void view_delivery_end_session(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (d->session && d->hub_login && a->conn == APP_CONN_CONNECTED)
        app_request(a, PROTO_T_STAFF_LOGOUT, NULL, NULL, NULL); /* leave nobody logged in */
    if (d->relogin_id[0])
        app_forget(a, d->relogin_id);
    memset(d->staff_pin, 0, sizeof d->staff_pin);
    memset(d->staff_no_v, 0, sizeof d->staff_no_v);
    d->relogin_id[0] = '\0';
    d->session = d->hub_login = false;
    d->staff_id = 0;
    d->staff_name[0] = d->staff_role[0] = '\0';
}

void view_delivery_reset(struct app *a)
{
    struct view_delivery *d = &a->dl;
    bool was_in = d->session;
    if (d->login_id[0])
        app_forget(a, d->login_id);
    if (d->get_id[0])
        app_forget(a, d->get_id);
    /* A submit in flight stays in the offline queue; only the screen forgets it. */
    if (d->submit_id[0])
        app_forget(a, d->submit_id);
    if (d->flush_id[0])
        app_forget(a, d->flush_id);
    view_delivery_end_session(a);
    view_delivery_signoff_wipe(a);
    entry_clear(&d->staff_no);
    entry_clear(&d->pin);
    /* memset would leave no trace of the signature either; keep the pad's redraw counter. */
    uint64_t gen = d->sig.gen;
    memset(d, 0, sizeof *d);
    d->sig.gen = gen + 1;
    entry_init(&d->staff_no, ENTRY_STAFF_NO, 1, 12);
    entry_init(&d->pin, ENTRY_DIGITS, 4, PROTO_MAX_PIN);
    d->error_key = -1;
    d->notice_key = -1;
    d->sig_msg_key = -1;
    d->screen = DL_LIST;
    /* Reset with a session open is the idle timer's automatic logout: say so on the list. */
    d->notice_key = was_in ? I18N_DELIVERY_AUTO_LOGOUT : -1;
    view_delivery_queue_refresh(a);
}

void view_delivery_relogin(struct app *a)
{
    struct view_delivery *d = &a->dl;
    d->hub_login = false;
    if (!d->session || d->relogin_id[0] || a->conn != APP_CONN_CONNECTED)
        return;
    cJSON *args = cJSON_CreateObject();
    if (!args || !cJSON_AddStringToObject(args, "staff_no", d->staff_no_v) ||
        !cJSON_AddStringToObject(args, "pin", d->staff_pin)) {
        cJSON_Delete(args);
        return;
    }
    app_request(a, PROTO_T_STAFF_LOGIN, args, NULL, d->relogin_id);
}

void view_delivery_conn(struct app *a, bool connected)
{
    struct view_delivery *d = &a->dl;
    if (!connected) {
        /* The hub ties a staff login to its connection: it is gone. The kiosk's session and
         * the sign-off in progress stay; the login is renewed once the hub is back. */
        d->hub_login = false;
        if (d->relogin_id[0]) {
            app_forget(a, d->relogin_id);
            d->relogin_id[0] = '\0';
        }
        return;
    }
    view_delivery_relogin(a);
    view_delivery_queue_refresh(a);
}

int view_delivery_staff_request(struct app *a, enum proto_type type, cJSON *args, const char *id,
                                char *id_out)
{
    struct view_delivery *d = &a->dl;
    if (!d->hub_login) {
        cJSON_Delete(args);
        view_delivery_relogin(a);
        return 0; /* the after-login hook sends it */
    }
    return app_request(a, type, args, id, id_out);
}

/* What waits for the hub's login: the order being opened, the submit, queued sign-offs. */
static void view_delivery_after_login(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (d->screen == DL_LOADING && !d->get_id[0]) {
        cJSON *args = cJSON_CreateObject();
        if (args && cJSON_AddStringToObject(args, "order_no", d->order_no))
            app_request(a, PROTO_T_ORDER_GET, args, NULL, d->get_id);
        else
            cJSON_Delete(args);
    }
    if (d->screen == DL_SUBMITTING && !d->submit_sent)
        view_delivery_signoff_send(a);
    d->next_flush = 0;
    view_delivery_queue_tick(a);
}

void view_delivery_tick(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (d->session && d->hub_login && a->conn == APP_CONN_CONNECTED &&
        a->mono - d->last_ping >= DL_PING_MS) {
        d->last_ping = a->mono;
        app_request(a, PROTO_T_PING, NULL, NULL, NULL);
    }
    view_delivery_queue_tick(a);
}

void view_delivery_build(struct app *a)
{
    struct view_delivery *d = &a->dl;
    switch (d->screen) {
    case DL_LIST:
        view_delivery_list_screen(a);
        break;
    case DL_STAFF_NO:
        view_delivery_list_keypad(a, false);
        break;
    case DL_PIN:
        view_delivery_list_keypad(a, true);
        break;
    case DL_LOGGING_IN:
        view_delivery_list_wait(a, "delivery.logging_in", I18N_DELIVERY_LOGGING_IN);
        break;
    case DL_STAFF:
        view_delivery_list_staff(a);
        break;
    case DL_ERROR:
        view_delivery_list_error(a);
        break;
    case DL_LOADING:
        view_delivery_list_wait(a, "delivery.loading", I18N_DELIVERY_LOADING);
        break;
    default:
        view_delivery_signoff_build(a);
        break;
    }
}

static void view_delivery_login_send(struct app *a)
{
    struct view_delivery *d = &a->dl;
    char no[ENTRY_MAX + 2];
    cJSON *args = cJSON_CreateObject();
    if (!args || entry_value(&d->staff_no, no, sizeof no) != 0 ||
        !cJSON_AddStringToObject(args, "staff_no", no) ||
        !cJSON_AddStringToObject(args, "pin", entry_text(&d->pin))) {
        cJSON_Delete(args);
        d->screen = DL_ERROR;
        return;
    }
    if (app_request(a, PROTO_T_STAFF_LOGIN, args, NULL, d->login_id) != 0) {
        d->screen = DL_ERROR;
        return;
    }
    d->screen = DL_LOGGING_IN;
}

static void view_delivery_key(struct view_delivery *d, struct entry *e, const char *key)
{
    if (entry_key(e, key)) {
        d->error_key = -1;
        d->error_text[0] = '\0';
    }
}

/* Opens an order of the list: order_get for the full (unmasked) order. */
static void view_delivery_open(struct app *a, const char *order_no)
{
    struct view_delivery *d = &a->dl;
    view_delivery_signoff_wipe(a);
    snprintf(d->order_no, sizeof d->order_no, "%s", order_no);
    d->error_key = -1;
    d->error_text[0] = '\0';
    d->screen = DL_LOADING;
    cJSON *args = cJSON_CreateObject();
    if (!args || !cJSON_AddStringToObject(args, "order_no", order_no)) {
        cJSON_Delete(args);
        d->screen = DL_STAFF;
        return;
    }
    if (view_delivery_staff_request(a, PROTO_T_ORDER_GET, args, NULL, d->get_id) != 0)
        d->screen = DL_STAFF;
}

void view_delivery_action(struct app *a, const char *id)
{
    struct view_delivery *d = &a->dl;
    if (strcmp(id, "btn.logout") == 0 || (strcmp(id, "btn.cancel") == 0 && d->screen <= DL_ERROR)) {
        view_delivery_reset(a);
        d->notice_key = -1; /* logged out on purpose: nothing to explain */
        return;
    }
    switch (d->screen) {
    case DL_LIST:
        if (strcmp(id, "btn.login") == 0) {
            d->notice_key = -1;
            d->screen = DL_STAFF_NO;
        }
        break;
    case DL_STAFF_NO:
        if (strncmp(id, "key.", 4) == 0)
            view_delivery_key(d, &d->staff_no, id + 4);
        else if (strcmp(id, "btn.next") == 0 && entry_state(&d->staff_no) == ENTRY_VALID)
            d->screen = DL_PIN;
        else if (strcmp(id, "btn.back") == 0)
            view_delivery_reset(a);
        break;
    case DL_PIN:
        if (strncmp(id, "key.", 4) == 0)
            view_delivery_key(d, &d->pin, id + 4);
        else if (strcmp(id, "btn.login_submit") == 0 && entry_state(&d->pin) == ENTRY_VALID)
            view_delivery_login_send(a);
        else if (strcmp(id, "btn.back") == 0) {
            entry_clear(&d->pin);
            d->screen = DL_STAFF_NO;
        }
        break;
    case DL_ERROR:
        if (strcmp(id, "btn.retry") == 0)
            view_delivery_login_send(a);
        break;
    case DL_STAFF:
        if (strncmp(id, "delivery.open.", 14) == 0)
            view_delivery_open(a, id + 14);
        break;
    case DL_LOADING:
        if (strcmp(id, "btn.cancel") == 0) {
            if (d->get_id[0])
                app_forget(a, d->get_id);
            d->get_id[0] = '\0';
            d->screen = DL_STAFF;
        }
        break;
    case DL_LOGGING_IN:
        break;
    default:
        view_delivery_signoff_action(a, id);
        break;
    }
}

/* The answer to the login typed on the keypad. */
static void view_delivery_login_result(struct app *a, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    d->login_id[0] = '\0';
    if (!res) {
        d->screen = DL_ERROR; /* the PIN is kept so Retry can resend */
        return;
    }
    if (!res->ok) {
        /* Wrong PIN, locked, another site: said on the PIN screen, PIN wiped. */
        entry_clear(&d->pin);
        view_common_set_error(&d->error_key, d->error_text, sizeof d->error_text, res);
        d->screen = DL_PIN;
        return;
    }
    const cJSON *staff = proto_get_obj(res->args, "staff");
    const char *name = proto_get_str(staff, "name");
    const char *role = proto_get_str(staff, "role");
    snprintf(d->staff_name, sizeof d->staff_name, "%s", name ? name : "");
    snprintf(d->staff_role, sizeof d->staff_role, "%s", role ? role : "");
    d->staff_id = proto_get_int(staff, "id", 0);
    if (entry_value(&d->staff_no, d->staff_no_v, sizeof d->staff_no_v) != 0)
        d->staff_no_v[0] = '\0';
    snprintf(d->staff_pin, sizeof d->staff_pin, "%s", entry_text(&d->pin));
    entry_clear(&d->pin);
    entry_clear(&d->staff_no);
    d->session = d->hub_login = true;
    d->last_ping = a->mono;
    d->screen = DL_STAFF;
    view_delivery_queue_refresh(a);
    view_delivery_after_login(a);
}

/* The answer to a silent re-login. */
static void view_delivery_relogin_result(struct app *a, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    d->relogin_id[0] = '\0';
    if (!res)
        return; /* no answer: the next reconnect tries again */
    if (!res->ok) {
        /* The PIN no longer works (changed, locked, staff removed): the session is over. */
        int key = view_common_error_key(res->error.code);
        view_delivery_reset(a);
        d->notice_key = key >= 0 ? key : I18N_DELIVERY_SESSION_EXPIRED;
        return;
    }
    d->hub_login = true;
    d->last_ping = a->mono;
    view_delivery_after_login(a);
}

static void view_delivery_get_result(struct app *a, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    d->get_id[0] = '\0';
    if (d->screen != DL_LOADING)
        return;
    if (res && !res->ok &&
        (res->error.code == PROTO_E_SESSION_EXPIRED ||
         res->error.code == PROTO_E_STAFF_LOGIN_REQUIRED)) {
        view_delivery_relogin(a); /* the after-login hook asks again */
        return;
    }
    const cJSON *order = res && res->ok ? proto_get_obj(res->args, "order") : NULL;
    if (!order) {
        view_common_set_error(&d->error_key, d->error_text, sizeof d->error_text,
                              res && !res->ok ? res : NULL);
        d->screen = DL_STAFF;
        return;
    }
    view_delivery_signoff_begin(a, order);
}

void view_delivery_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    const char *id = a->result_id;
    if (view_delivery_queue_result(a, id, res))
        return;
    if (type == PROTO_T_STAFF_LOGIN && d->relogin_id[0] && strcmp(id, d->relogin_id) == 0)
        view_delivery_relogin_result(a, res);
    else if (type == PROTO_T_STAFF_LOGIN && d->screen == DL_LOGGING_IN)
        view_delivery_login_result(a, res);
    else if (type == PROTO_T_ORDER_GET && d->get_id[0] && strcmp(id, d->get_id) == 0)
        view_delivery_get_result(a, res);
    else if (type == PROTO_T_ORDER_DELIVER && d->submit_id[0] && strcmp(id, d->submit_id) == 0)
        view_delivery_signoff_result(a, res);
    else if (res && !res->ok &&
             (res->error.code == PROTO_E_SESSION_EXPIRED ||
              res->error.code == PROTO_E_STAFF_LOGIN_REQUIRED))
        view_delivery_relogin(a);
}

/* UI state machine shared by all modes (see app.h). Every function runs on the UI thread. */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "view_board.h"
#include "view_common.h"

/* Burn-in care: the offset moves one step every few minutes along a small loop (the hub's
 * burnin_shift_min may change how often). */
#define APP_BURNIN_STEP_MS (3 * 60 * 1000)
#define APP_BURNIN_UNITS   4

/* What each mode's screens provide; indexed by enum model_mode. */
struct app_view {
    void (*build)(struct app *a);
    void (*action)(struct app *a, const char *id);
    void (*result)(struct app *a, enum proto_type type, const struct proto_msg *res);
    void (*reset)(struct app *a);
    void (*tick)(struct app *a);
    const char *(*screen)(const struct app *a);
    bool (*idle)(const struct app *a);
};

static const struct app_view app_views[] = {
    [MODEL_RECEPTION] = {view_reception_build, view_reception_action, view_reception_result,
                         view_reception_reset, view_reception_tick, view_reception_screen,
                         view_reception_idle},
    [MODEL_STATUS] = {view_status_build, view_status_action, view_status_result, view_status_reset,
                      view_status_tick, view_status_screen, view_status_idle},
    [MODEL_DELIVERY] = {view_delivery_build, view_delivery_action, view_delivery_result,
                        view_delivery_reset, view_delivery_tick, view_delivery_screen,
                        view_delivery_idle},
    [MODEL_BOARD] = {view_board_build, view_board_action, view_board_result, view_board_reset,
                     view_board_tick, view_board_screen, view_board_idle},
};

int app_init(struct app *a, enum model_mode mode, const struct i18n *i18n,
             const struct theme *theme, const struct app_port *port, enum i18n_lang lang,
             int idle_seconds, int64_t mono, int64_t wall)
{
    memset(a, 0, sizeof *a);
    a->mode = mode;
    a->mode_set = true;
    a->burnin_step_ms = APP_BURNIN_STEP_MS;
    a->i18n = i18n;
    a->theme = *theme;
    a->port = *port;
    a->lang = a->default_lang = lang;
    a->idle_ms = idle_seconds * 1000;
    a->mono = mono;
    a->wall = wall;
    a->last_input = mono;
    a->conn = APP_CONN_CONNECTING;
    a->dirty = true;
    a->shown_minute = -1;
    a->shown_second = -1;
    /* Boot part of request ids: milliseconds since the epoch in base 36 keeps ids short and
     * distinct across restarts (a watchdog re-exec or a mode switch comes well within the
     * same second), so a resent command is never confused with a new one. */
    unsigned long long t = (unsigned long long)wall;
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[t % 36];
        t /= 36;
    } while (t && n < 15);
    for (int i = 0; i < n; i++)
        a->boot[i] = tmp[n - 1 - i];
    a->boot[n] = '\0';
    a->model = model_new(mode);
    a->ui = ui_new();
    if (!a->model || !a->ui) {
        app_fini(a);
        return -1;
    }
    a->rec.error_key = -1;
    a->st.error_key = -1;
    a->dl.error_key = -1;
    app_views[a->mode].reset(a);
    a->fleet.started_mono = mono;
    snprintf(a->fleet.theme_name, sizeof a->fleet.theme_name, "default");
    return 0;
}

/* Frees what the mode's view state holds. */
static void app_views_fini(struct app *a)
{
    if (a->mode == MODEL_STATUS)
        view_status_reset(a); /* frees the shown order */
    if (a->mode == MODEL_DELIVERY) {
        /* No requests now (the network may be gone): just free and wipe. */
        view_delivery_signoff_wipe(a);
        memset(a->dl.staff_pin, 0, sizeof a->dl.staff_pin);
    }
}

void app_fini(struct app *a)
{
    app_views_fini(a);
    model_free(a->model);
    ui_free(a->ui);
    a->model = NULL;
    a->ui = NULL;
}

const char *app_t(const struct app *a, enum i18n_key key)
{
    return i18n_get(a->i18n, a->lang, key);
}

int64_t app_hub_now(const struct app *a)
{
    return a->wall + a->hub_offset;
}

void app_dirty(struct app *a)
{
    a->dirty = true;
}

const char *app_screen(const struct app *a)
{
    if (a->conn == APP_CONN_REVOKED || a->conn == APP_CONN_AUTH_FAILED)
        return "revoked";
    const char *fleet = fleet_screen(a);
    return fleet ? fleet : app_views[a->mode].screen(a);
}

bool app_idle(const struct app *a)
{
    return app_views[a->mode].idle(a);
}

void app_reset(struct app *a)
{
    app_views[a->mode].reset(a);
    a->lang = a->default_lang;
    a->last_input = a->mono;
    a->dirty = true;
}

int app_set_mode(struct app *a, enum model_mode mode)
{
    if (a->mode_set && a->mode == mode)
        return 0;
    struct model *m = model_new(mode);
    if (!m)
        return -1;
    if (a->mode_set)
        app_views[a->mode].reset(a); /* forgets its requests, ends a staff session */
    app_views_fini(a);
    for (int i = 0; i < APP_MAX_PENDING; i++) {
        if (a->pending[i].used && a->port.cancel)
            a->port.cancel(a->port.user, a->pending[i].id);
        a->pending[i].used = false;
    }
    model_free(a->model);
    a->model = m;
    a->mode = mode;
    a->mode_set = true;
    a->signq = NULL; /* the delivery queue is main.c's to attach */
    memset(&a->rec, 0, sizeof a->rec);
    memset(&a->st, 0, sizeof a->st);
    memset(&a->dl, 0, sizeof a->dl);
    a->rec.error_key = -1;
    a->st.error_key = -1;
    a->dl.error_key = -1;
    a->data_at = 0;
    a->pointer_captured = false;
    app_views[mode].reset(a);
    a->lang = a->default_lang;
    a->last_input = a->mono;
    /* The new mode's snapshot is another state: subscribe from 0. */
    if (a->port.applied_seq)
        a->port.applied_seq(a->port.user, 0);
    a->dirty = true;
    return 0;
}

/* The always-on walls: the board, the status kiosk while nobody uses it, and the
 * maintenance screen (it may stay up for days). */
static bool app_burnin_screen(const struct app *a)
{
    const char *fleet = fleet_screen(a);
    if (fleet)
        return strcmp(fleet, "fleet.maintenance") == 0;
    return a->mode == MODEL_BOARD || (a->mode == MODEL_STATUS && a->st.screen == ST_WALL);
}

int app_burnin_offset(const struct app *a, int *dx, int *dy)
{
    /* Eight positions around a small square, one every APP_BURNIN_STEP_MS: slow enough that
     * nobody sees it move, enough that no edge stays on the same pixels for hours. */
    static const signed char loop[8][2] = {{0, 0},  {1, 0},  {1, 1},   {0, 1},
                                           {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}};
    if (a->burnin_step_ms <= 0) {
        *dx = *dy = 0;
        return 0;
    }
    int step = (int)((a->wall / a->burnin_step_ms) % 8);
    int px = layout_px(&a->lay, APP_BURNIN_UNITS);
    *dx = loop[step][0] * px;
    *dy = loop[step][1] * px;
    return step;
}

void app_build(struct app *a, int w, int h)
{
    layout_init(&a->lay, w, h);
    ui_begin(a->ui, w, h);
    widget_panel(a->ui, &a->theme, layout_rect(0, 0, w, h), a->theme.bg, 0);
    bool revoked = a->conn == APP_CONN_REVOKED || a->conn == APP_CONN_AUTH_FAILED;
    /* A fleet screen (pairing, maintenance...) replaces the mode's; it draws its own header
     * where it has one. */
    if (revoked || !fleet_build(a)) {
        view_common_header(a);
        if (revoked)
            view_common_revoked(a);
        else
            app_views[a->mode].build(a);
    }
    if (app_burnin_screen(a)) {
        int dx, dy;
        a->shift_step = app_burnin_offset(a, &dx, &dy);
        ui_offset(a->ui, 1, dx, dy);
    }
    fleet_build_overlay(a);
    a->dirty = false;
}

/* Pointer events of a view's drawing surface (the signature pad) or of a scrolled list
 * (which tells a drag from a tap itself) bypass the buttons. */
static bool app_pointer(struct app *a, int phase, int x, int y)
{
    if (a->mode != MODEL_DELIVERY || a->conn == APP_CONN_REVOKED ||
        a->conn == APP_CONN_AUTH_FAILED || fleet_screen(a))
        return false;
    return view_delivery_pointer(a, phase, x, y) || view_delivery_list_pointer(a, phase, x, y);
}

void app_press(struct app *a, int x, int y)
{
    a->last_input = a->mono;
    if (fleet_blocks_input(a, NULL))
        return; /* maintenance, identify: taps are ignored, nothing is drawn pressed */
    a->pointer_captured = app_pointer(a, 0, x, y);
    if (a->pointer_captured)
        return;
    ui_press(a->ui, x, y);
    a->dirty = true; /* the pressed widget is drawn darker */
}

void app_motion(struct app *a, int x, int y)
{
    if (!a->pointer_captured)
        return;
    a->last_input = a->mono;
    app_pointer(a, 1, x, y);
}

void app_release(struct app *a, int x, int y)
{
    a->last_input = a->mono;
    if (a->pointer_captured) {
        a->pointer_captured = false;
        app_pointer(a, 2, x, y);
        return;
    }
    const char *id = ui_release(a->ui, x, y);
    a->dirty = true;
    if (id) {
        char copy[WIDGET_ID_MAX];
        snprintf(copy, sizeof copy, "%s", id);
        app_action(a, copy);
    }
}

void app_action(struct app *a, const char *id)
{
    a->last_input = a->mono;
    a->dirty = true;
    if (fleet_blocks_input(a, id))
        return;
    if (strcmp(id, "btn.lang") == 0) {
        a->lang = a->lang == I18N_ZH ? I18N_EN : I18N_ZH;
        return;
    }
    if (a->conn == APP_CONN_REVOKED || a->conn == APP_CONN_AUTH_FAILED)
        return;
    app_views[a->mode].action(a, id);
}

static struct app_pending *app_find_pending(struct app *a, const char *id)
{
    for (int i = 0; i < APP_MAX_PENDING; i++)
        if (a->pending[i].used && strcmp(a->pending[i].id, id) == 0)
            return &a->pending[i];
    return NULL;
}

void app_new_id(struct app *a, char *out)
{
    snprintf(out, PROTO_MAX_ID + 1, "k%lld-%s-%u", (long long)a->device_id, a->boot, ++a->counter);
}

int app_request(struct app *a, enum proto_type type, cJSON *args, const char *id, char *id_out)
{
    char fresh[PROTO_MAX_ID + 1];
    if (!id) {
        app_new_id(a, fresh);
        id = fresh;
    }
    struct app_pending *p = app_find_pending(a, id);
    for (int i = 0; !p && i < APP_MAX_PENDING; i++)
        if (!a->pending[i].used)
            p = &a->pending[i];
    if (!p || !proto_id_valid(id)) {
        cJSON_Delete(args);
        return -1;
    }
    char idcopy[PROTO_MAX_ID + 1];
    snprintf(idcopy, sizeof idcopy, "%s", id);
    if (a->port.send(a->port.user, idcopy, type, args) != 0)
        return -1;
    p->used = true;
    snprintf(p->id, sizeof p->id, "%s", idcopy);
    p->type = type;
    p->deadline = a->mono + APP_REQUEST_TIMEOUT_MS;
    if (id_out)
        snprintf(id_out, PROTO_MAX_ID + 1, "%s", idcopy);
    return 0;
}

void app_forget(struct app *a, const char *id)
{
    struct app_pending *p = id[0] ? app_find_pending(a, id) : NULL;
    if (p) {
        p->used = false;
        if (a->port.cancel)
            a->port.cancel(a->port.user, id);
    }
}

bool app_waiting(const struct app *a, const char *id)
{
    for (int i = 0; i < APP_MAX_PENDING; i++)
        if (a->pending[i].used && strcmp(a->pending[i].id, id) == 0)
            return true;
    return false;
}

static void app_note_seq(struct app *a)
{
    if (a->port.applied_seq)
        a->port.applied_seq(a->port.user, model_seq(a->model));
}

void app_on_message(struct app *a, const struct proto_msg *m)
{
    if (fleet_on_message(a, m))
        return;
    switch (m->type) {
    case PROTO_T_AUTH_OK: {
        const cJSON *dev = proto_get_obj(m->args, "device");
        a->device_id = proto_get_int(dev, "id", 0);
        const char *site = proto_get_str(proto_get_obj(dev, "site"), "name");
        if (site)
            snprintf(a->site_name, sizeof a->site_name, "%s", site);
        int64_t now = proto_get_int(m->args, "now", 0);
        if (now > 0)
            a->hub_offset = now - a->wall;
        a->dirty = true;
        break;
    }
    case PROTO_T_SNAPSHOT:
        if (model_apply_snapshot(a->model, m->seq, m->args) == 0) {
            app_note_seq(a);
            a->dirty = true;
            if (a->mode == MODEL_BOARD)
                view_board_snapshot(a); /* (re)subscribed: ask for the figures */
        }
        break;
    case PROTO_T_EVENT: {
        int64_t before = model_seq(a->model);
        if (model_apply_event(a->model, m->seq, m->at, m->kind, m->args))
            a->dirty = true;
        /* Every new event, on the wall or not: the order shown may be off the wall. */
        if (a->mode == MODEL_STATUS && model_seq(a->model) != before)
            view_status_event(a, m->kind, m->args);
        if (a->mode == MODEL_BOARD && model_seq(a->model) != before)
            view_board_event(a, m->kind); /* visits and orders move the figures */
        app_note_seq(a);
        break;
    }
    case PROTO_T_RESULT: {
        struct app_pending *p = m->id ? app_find_pending(a, m->id) : NULL;
        if (!p) {
            /* an answer nobody waits for (timed out, or the screen moved on), or the
             * fleet's (heartbeat, control_result) */
            fleet_on_result(a, m);
            break;
        }
        enum proto_type type = p->type;
        char id[PROTO_MAX_ID + 1];
        snprintf(id, sizeof id, "%s", p->id);
        p->used = false;
        a->result_id = id;
        app_views[a->mode].result(a, type, m);
        a->result_id = NULL;
        a->dirty = true;
        break;
    }
    default:
        break;
    }
}

/* Fails every pending request (no answer will come), oldest first. */
static void app_fail_pending(struct app *a, bool only_expired)
{
    for (int i = 0; i < APP_MAX_PENDING; i++) {
        struct app_pending *p = &a->pending[i];
        if (!p->used || (only_expired && p->deadline > a->mono))
            continue;
        enum proto_type type = p->type;
        char id[PROTO_MAX_ID + 1];
        snprintf(id, sizeof id, "%s", p->id);
        p->used = false;
        if (a->port.cancel)
            a->port.cancel(a->port.user, p->id);
        a->result_id = id;
        app_views[a->mode].result(a, type, NULL);
        a->result_id = NULL;
        a->dirty = true;
    }
}

void app_on_conn(struct app *a, enum app_conn state, int64_t retry_at)
{
    enum app_conn old = a->conn;
    a->conn = state;
    a->retry_at = retry_at;
    a->dirty = true;
    /* The data on screen was live until now: its age counts from the drop. */
    if (old == APP_CONN_CONNECTED && state != APP_CONN_CONNECTED)
        a->data_at = a->wall;
    if (state == APP_CONN_REVOKED || state == APP_CONN_AUTH_FAILED)
        app_fail_pending(a, false);
    if (a->mode == MODEL_DELIVERY && old == APP_CONN_CONNECTED && state != APP_CONN_CONNECTED)
        view_delivery_conn(a, false);
    if (a->mode == MODEL_DELIVERY && old != APP_CONN_CONNECTED && state == APP_CONN_CONNECTED)
        view_delivery_conn(a, true);
    if (old != APP_CONN_CONNECTED && state == APP_CONN_CONNECTED)
        fleet_on_connected(a);
}

bool app_may_quit(const struct app *a)
{
    return a->mode == MODEL_DELIVERY && view_delivery_staff_active(a);
}

void app_tick(struct app *a)
{
    app_fail_pending(a, true);
    fleet_tick(a); /* first: a heartbeat due goes out before what the views send now */
    int idle_ms = a->mode == MODEL_DELIVERY ? view_delivery_idle_ms(a, a->idle_ms) : a->idle_ms;
    if (a->pointer_captured)
        a->last_input = a->mono; /* a finger still signing is not idle */
    if (a->idle_ms > 0 && a->mono - a->last_input >= idle_ms && !app_views[a->mode].idle(a))
        app_reset(a); /* idle: back to the idle screen, typed data wiped, default language */
    app_views[a->mode].tick(a);
    struct tm tm;
    app_site_time(a, a->wall, &tm);
    if (tm.tm_min != a->shown_minute) {
        a->shown_minute = tm.tm_min;
        a->dirty = true; /* clock, waiting times */
    }
    if (app_burnin_screen(a)) {
        int dx, dy;
        if (app_burnin_offset(a, &dx, &dy) != a->shift_step)
            a->dirty = true;
    }
    int sec = (int)(a->mono / 1000);
    if (a->conn == APP_CONN_RECONNECTING && sec != a->shown_second) {
        a->shown_second = sec;
        a->dirty = true; /* "retrying in N s" */
    }
}

int64_t app_next_deadline(const struct app *a)
{
    int64_t next = a->mono + 60000 - (a->wall % 60000); /* next minute */
    for (int i = 0; i < APP_MAX_PENDING; i++)
        if (a->pending[i].used && a->pending[i].deadline < next)
            next = a->pending[i].deadline;
    int idle_ms = a->mode == MODEL_DELIVERY ? view_delivery_idle_ms(a, a->idle_ms) : a->idle_ms;
    if (a->idle_ms > 0 && !app_views[a->mode].idle(a) && a->last_input + idle_ms < next)
        next = a->last_input + idle_ms;
    if (a->mode == MODEL_DELIVERY && a->dl.queued > 0 && a->dl.session && !a->dl.flush_id[0] &&
        a->dl.next_flush > a->mono && a->dl.next_flush < next)
        next = a->dl.next_flush;
    if (app_burnin_screen(a) && a->burnin_step_ms > 0) {
        int64_t step = a->wall + a->burnin_step_ms - a->wall % a->burnin_step_ms;
        if (a->mono + (step - a->wall) < next)
            next = a->mono + (step - a->wall);
    }
    if (a->mode == MODEL_RECEPTION && view_reception_deadline(a) < next)
        next = view_reception_deadline(a); /* the call-staff notice and button */
    if (a->mode == MODEL_BOARD && view_board_deadline(a) < next)
        next = view_board_deadline(a); /* the next page turn or figures request */
    if (a->conn == APP_CONN_RECONNECTING ||
        (a->mode == MODEL_RECEPTION && a->rec.screen == REC_DONE))
        if (a->mono + 1000 - a->mono % 1000 < next)
            next = a->mono + 1000 - a->mono % 1000;
    next = fleet_next_deadline(a, next);
    return next < a->mono ? a->mono : next;
}

void app_site_time(const struct app *a, int64_t ms, struct tm *out)
{
    const cJSON *site = model_site(a->model);
    const cJSON *off = site ? cJSON_GetObjectItemCaseSensitive(site, "utc_offset_min") : NULL;
    if (!cJSON_IsNumber(off)) {
        time_t secs = (time_t)(ms / 1000);
        localtime_r(&secs, out);
        return;
    }
    time_t secs = (time_t)(ms / 1000 + (int64_t)off->valuedouble * 60);
    gmtime_r(&secs, out);
}

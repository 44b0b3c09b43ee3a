/* Delivery-bay screens (see view_delivery.h). UI thread only. */
#include "view_delivery.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

const char *view_delivery_screen(const struct app *a)
{
    static const char *const names[] = {"delivery.list",  "delivery.staff_no",
                                        "delivery.pin",   "delivery.logging_in",
                                        "delivery.staff", "delivery.error"};
    return names[a->dl.screen];
}

bool view_delivery_idle(const struct app *a)
{
    return a->dl.screen == DL_LIST;
}

void view_delivery_reset(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (d->login_id[0])
        app_forget(a, d->login_id);
    if (d->screen == DL_STAFF)
        app_request(a, PROTO_T_STAFF_LOGOUT, NULL, NULL, NULL); /* leave nobody logged in */
    entry_clear(&d->staff_no);
    entry_clear(&d->pin);
    memset(d, 0, sizeof *d);
    entry_init(&d->staff_no, ENTRY_STAFF_NO, 1, 12);
    entry_init(&d->pin, ENTRY_DIGITS, 4, PROTO_MAX_PIN);
    d->error_key = -1;
    d->screen = DL_LIST;
}

void view_delivery_conn_lost(struct app *a)
{
    /* The hub ties a staff login to its connection: after a drop nobody is logged in. */
    if (a->dl.screen == DL_STAFF) {
        a->dl.screen = DL_LIST;
        a->dl.staff_name[0] = '\0';
    }
}

void view_delivery_tick(struct app *a)
{
}

static void view_delivery_list(struct app *a, struct ui_rect r)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, r, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(r, view_px(a, 20));
    widget_label(a->ui, "delivery.title", layout_cut_top(&in, view_px(a, 56)),
                 app_t(a, I18N_DELIVERY_TITLE), view_px(a, 32), t->text, ALIGN_LEFT);
    int rowh = view_px(a, 80), fit = in.h / rowh, shown = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, model_deliveries(a->model))
    {
        if (shown >= fit)
            break;
        struct ui_rect row = layout_cut_top(&in, rowh);
        if (shown++ % 2 == 1)
            widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
        struct ui_rect k = layout_inset(row, view_px(a, 10));
        const char *no = proto_get_str(o, "order_no");
        const char *cust = proto_get_str(proto_get_obj(o, "customer"), "name");
        const char *model = proto_get_str(proto_get_obj(o, "model"), "name");
        const char *colour = proto_get_str(o, "colour");
        const char *cons = proto_get_str(proto_get_obj(o, "consultant"), "name");
        const char *place = proto_get_str(o, "delivery_place");
        int64_t at = proto_get_int(o, "delivery_at", 0);
        char when[32] = "";
        if (at > 0)
            view_common_when(a, at, when, sizeof when);
        struct ui_rect right = layout_cut_right(&k, view_px(a, 260));
        struct ui_rect r1 = layout_cut_top(&right, right.h / 2);
        widget_label(a->ui, "", r1, when[0] ? when : app_t(a, I18N_STATUS_TBC), view_px(a, 26),
                     t->text, ALIGN_RIGHT);
        widget_label(a->ui, "", right, place ? place : "", view_px(a, 20), t->muted, ALIGN_RIGHT);
        struct ui_rect l1 = layout_cut_top(&k, k.h / 2);
        char id[48], top[256], bottom[256];
        snprintf(id, sizeof id, "delivery.order.%s", no ? no : "");
        snprintf(top, sizeof top, "%s  %s", no ? no : "", cust ? cust : "");
        snprintf(bottom, sizeof bottom, "%s %s  \xC2\xB7  %s", model ? model : "",
                 colour ? colour : "", cons ? cons : "");
        widget_label(a->ui, id, l1, top, view_px(a, 26), t->text, ALIGN_LEFT);
        widget_label(a->ui, "", k, bottom, view_px(a, 20), t->muted, ALIGN_LEFT);
    }
    if (shown == 0)
        widget_label(a->ui, "delivery.empty", layout_cut_top(&in, view_px(a, 50)),
                     app_t(a, I18N_DELIVERY_EMPTY), view_px(a, 24), t->muted, ALIGN_LEFT);
}

static void view_delivery_list_screen(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect bar = layout_cut_top(&b, view_px(a, 90));
    layout_cut_top(&b, view_px(a, 16));
    struct ui_rect btn = layout_cut_right(&bar, view_px(a, 260));
    widget_button(a->ui, t, "btn.login", btn, app_t(a, I18N_DELIVERY_LOGIN), NULL, view_px(a, 30),
                  STYLE_SECONDARY);
    widget_label(a->ui, "delivery.staff_only", bar, app_t(a, I18N_DELIVERY_STAFF_ONLY),
                 view_px(a, 24), t->muted, ALIGN_LEFT);
    view_delivery_list(a, b);
}

static void view_delivery_staff_screen(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect bar = layout_cut_top(&b, view_px(a, 90));
    layout_cut_top(&b, view_px(a, 16));
    struct ui_rect note = layout_cut_bottom(&b, view_px(a, 70));
    layout_cut_bottom(&b, view_px(a, 12));
    struct ui_rect btn = layout_cut_right(&bar, view_px(a, 240));
    widget_button(a->ui, t, "btn.logout", btn, app_t(a, I18N_DELIVERY_LOGOUT), NULL, view_px(a, 30),
                  STYLE_OUTLINE);
    char who[300];
    int rk = view_common_role_key(d->staff_role);
    const char *args[] = {d->staff_name, app_t(a, (enum i18n_key)rk)};
    i18n_format(who, sizeof who, app_t(a, I18N_DELIVERY_LOGGED_IN), args, 2);
    widget_label(a->ui, "delivery.who", bar, who, view_px(a, 34), t->text, ALIGN_LEFT);
    view_delivery_list(a, b);
    /* No sign-off yet: say so rather than offer a button that pretends to sign. */
    widget_para(a->ui, "delivery.signoff_later", note, app_t(a, I18N_DELIVERY_SIGNOFF_LATER),
                view_px(a, 22), t->muted);
}

static void view_delivery_keypad_screen(struct app *a, enum i18n_key title, struct entry *e,
                                        bool mask, const char *button_id, enum i18n_key button)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    struct ui_rect info, pad;
    if (a->lay.portrait) {
        info = layout_cut_top(&b, view_px(a, 420));
        layout_cut_top(&b, view_px(a, 20));
        pad = b;
    } else {
        info = layout_cut_left(&b, b.w * 52 / 100);
        layout_cut_left(&b, view_px(a, 40));
        pad = b;
    }
    widget_label(a->ui, "delivery.prompt", layout_cut_top(&info, view_px(a, 70)), app_t(a, title),
                 view_px(a, 44), t->text, ALIGN_LEFT);
    layout_cut_top(&info, view_px(a, 16));
    char shown[96];
    entry_display(e, mask, shown, sizeof shown);
    view_common_entry_box(a, layout_cut_top(&info, view_px(a, 110)), shown, "");
    layout_cut_top(&info, view_px(a, 12));
    char msg[400] = "";
    view_common_error_text(a, d->error_key, d->error_text, msg, sizeof msg);
    widget_para(a->ui, "delivery.msg", layout_cut_top(&info, view_px(a, 60)), msg, view_px(a, 26),
                t->danger);
    layout_cut_top(&info, view_px(a, 12));
    struct ui_rect go = layout_cut_top(&info, view_px(a, 100));
    go.w = view_px(a, 320) < go.w ? view_px(a, 320) : go.w;
    struct widget *w = widget_button(a->ui, t, button_id, go, app_t(a, button), NULL,
                                     view_px(a, 36), STYLE_PRIMARY);
    if (w)
        w->enabled = entry_state(e) == ENTRY_VALID;
    view_common_keypad(a, view_common_keypad_rect(a, pad, view_px(a, 560)), e->kind);
    view_common_nav(a, nav, true, true);
}

static void view_delivery_error(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect c = layout_centre(a->body, a->body.w * 9 / 10, view_px(a, 380));
    widget_label(a->ui, "delivery.error_title", layout_cut_top(&c, view_px(a, 90)),
                 app_t(a, I18N_UNREACHABLE), view_px(a, 56), t->danger, ALIGN_CENTRE);
    struct widget *w =
        widget_para(a->ui, "delivery.error_body", layout_cut_top(&c, view_px(a, 110)),
                    app_t(a, I18N_UNREACHABLE_BODY), view_px(a, 30), t->text);
    if (w)
        w->align = ALIGN_CENTRE;
    layout_cut_top(&c, view_px(a, 30));
    struct ui_rect row =
        layout_centre(layout_cut_top(&c, view_px(a, 96)), view_px(a, 580), view_px(a, 96));
    widget_button(a->ui, t, "btn.retry", layout_cut_left(&row, view_px(a, 320)),
                  app_t(a, I18N_RETRY), NULL, view_px(a, 36), STYLE_PRIMARY);
    layout_cut_left(&row, view_px(a, 40));
    widget_button(a->ui, t, "btn.cancel", row, app_t(a, I18N_CANCEL), NULL, view_px(a, 32),
                  STYLE_OUTLINE);
}

void view_delivery_build(struct app *a)
{
    struct view_delivery *d = &a->dl;
    switch (d->screen) {
    case DL_LIST:
        view_delivery_list_screen(a);
        break;
    case DL_STAFF_NO:
        view_delivery_keypad_screen(a, I18N_DELIVERY_STAFF_NO_TITLE, &d->staff_no, false,
                                    "btn.next", I18N_STATUS_NEXT);
        break;
    case DL_PIN:
        view_delivery_keypad_screen(a, I18N_DELIVERY_PIN_TITLE, &d->pin, true, "btn.login_submit",
                                    I18N_DELIVERY_LOGIN);
        break;
    case DL_LOGGING_IN: {
        struct ui_rect c = layout_centre(a->body, a->body.w, view_px(a, 120));
        widget_label(a->ui, "delivery.logging_in", c, app_t(a, I18N_DELIVERY_LOGGING_IN),
                     view_px(a, 48), a->theme.text, ALIGN_CENTRE);
        break;
    }
    case DL_STAFF:
        view_delivery_staff_screen(a);
        break;
    case DL_ERROR:
        view_delivery_error(a);
        break;
    }
}

static void view_delivery_send(struct app *a)
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

void view_delivery_action(struct app *a, const char *id)
{
    struct view_delivery *d = &a->dl;
    if (strcmp(id, "btn.cancel") == 0 || strcmp(id, "btn.logout") == 0) {
        view_delivery_reset(a);
        return;
    }
    switch (d->screen) {
    case DL_LIST:
        if (strcmp(id, "btn.login") == 0)
            d->screen = DL_STAFF_NO;
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
            view_delivery_send(a);
        else if (strcmp(id, "btn.back") == 0) {
            entry_clear(&d->pin);
            d->screen = DL_STAFF_NO;
        }
        break;
    case DL_ERROR:
        if (strcmp(id, "btn.retry") == 0)
            view_delivery_send(a);
        break;
    case DL_LOGGING_IN:
    case DL_STAFF:
        break;
    }
}

void view_delivery_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    if (type != PROTO_T_STAFF_LOGIN || d->screen != DL_LOGGING_IN)
        return;
    d->login_id[0] = '\0';
    if (!res) {
        d->screen = DL_ERROR; /* the PIN is kept so Retry can resend */
        return;
    }
    /* Whatever the answer, the PIN has done its job. */
    entry_clear(&d->pin);
    if (!res->ok) {
        view_common_set_error(&d->error_key, d->error_text, sizeof d->error_text, res);
        d->screen = DL_PIN;
        return;
    }
    const cJSON *staff = proto_get_obj(res->args, "staff");
    const char *name = proto_get_str(staff, "name");
    const char *role = proto_get_str(staff, "role");
    snprintf(d->staff_name, sizeof d->staff_name, "%s", name ? name : "");
    snprintf(d->staff_role, sizeof d->staff_role, "%s", role ? role : "");
    entry_clear(&d->staff_no);
    d->screen = DL_STAFF;
}

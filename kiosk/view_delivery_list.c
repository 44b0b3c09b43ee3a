/* Delivery-bay screens before the sign-off: today's deliveries (for everyone, and tappable
 * for the consultant who owns them once logged in), the staff login keypads, waiting and
 * error screens, and what the offline queue holds (see view_delivery.h). UI thread only. */
#include "view_delivery.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "signq.h"
#include "view_common.h"

bool view_delivery_list_today(const struct app *a, const cJSON *order)
{
    int64_t at = proto_get_int(order, "delivery_at", 0);
    if (at <= 0)
        return false;
    struct tm t, n;
    app_site_time(a, at, &t);
    app_site_time(a, app_hub_now(a), &n);
    return t.tm_year < n.tm_year || (t.tm_year == n.tm_year && t.tm_yday <= n.tm_yday);
}

/* True when the logged-in staff member may deliver this order: its own consultant. */
static bool view_delivery_list_mine(const struct app *a, const cJSON *order)
{
    const struct view_delivery *d = &a->dl;
    const cJSON *c = proto_get_obj(order, "consultant");
    return d->session && strcmp(d->staff_role, "consultant") == 0 &&
           proto_get_int(c, "id", -1) == d->staff_id;
}

/* Ids of the list's page arrows: "delivery.scroll.up" / ".down". */
#define VIEW_DELIVERY_LIST_SCROLL "delivery.scroll"

/* One delivery as a row at `row`; a button opening it when `mine`, striped when `odd`. */
static void view_delivery_list_row(struct app *a, const cJSON *o, struct ui_rect row, bool mine,
                                   bool odd)
{
    const struct theme *t = &a->theme;
    const char *no = proto_get_str(o, "order_no");
    if (mine) {
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof id, "delivery.open.%s", no ? no : "");
        widget_button(a->ui, t, id, row, "", NULL, view_px(a, 20), STYLE_OUTLINE);
    } else if (odd) {
        widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
    }
    struct ui_rect k = layout_inset(row, view_px(a, 12));
    const char *cust = proto_get_str(proto_get_obj(o, "customer"), "name");
    const char *model = proto_get_str(proto_get_obj(o, "model"), "name");
    const char *colour = proto_get_str(o, "colour");
    const char *cons = proto_get_str(proto_get_obj(o, "consultant"), "name");
    const char *place = proto_get_str(o, "delivery_place");
    char when[32];
    view_common_when(a, proto_get_int(o, "delivery_at", 0), when, sizeof when);
    if (mine) {
        /* An arrow says "tap to open" in any language, beside the colour of the frame. */
        struct ui_rect go = layout_cut_right(&k, view_px(a, 150));
        widget_label(a->ui, "", go, app_t(a, I18N_DELIVERY_OPEN), view_px(a, 24), t->primary,
                     ALIGN_RIGHT);
    }
    struct ui_rect right = layout_cut_right(&k, view_px(a, 220));
    widget_label(a->ui, "", layout_cut_top(&right, right.h / 2), when, view_px(a, 26), t->text,
                 ALIGN_RIGHT);
    widget_label(a->ui, "", right, place ? place : "", view_px(a, 20), t->muted, ALIGN_RIGHT);
    char top[256], bottom[256];
    snprintf(top, sizeof top, "%s  %s", no ? no : "", cust ? cust : "");
    snprintf(bottom, sizeof bottom, "%s %s  \xC2\xB7  %s", model ? model : "", colour ? colour : "",
             cons ? cons : "");
    char id[WIDGET_ID_MAX];
    snprintf(id, sizeof id, "delivery.order.%s", no ? no : "");
    widget_label(a->ui, id, layout_cut_top(&k, k.h / 2), top, view_px(a, 26), t->text, ALIGN_LEFT);
    widget_label(a->ui, "", k, bottom, view_px(a, 20), t->muted, ALIGN_LEFT);
}

/* The rows of today's deliveries into r, scrolled (only the rows wholly in view are built);
 * tappable ones when `pick`. */
static void view_delivery_list_rows(struct app *a, struct ui_rect r, bool pick)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct widget_scroll *s = &d->list_scroll;
    if (d->list_scroll_screen != d->screen) {
        /* another list (logged in or out): from the top, and no gesture carried over */
        memset(s, 0, sizeof *s);
        d->list_scroll_screen = d->screen;
        d->list_gesture = false;
    }
    widget_panel(a->ui, t, r, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(r, view_px(a, 20));
    struct ui_rect head = layout_cut_top(&in, view_px(a, 56));
    int rowh = view_px(a, 84), gap = view_px(a, 8), n = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, model_deliveries(a->model))
    {
        if (view_delivery_list_today(a, o))
            n++;
    }
    int content_h = n > 0 ? n * rowh + (n - 1) * gap : 0;
    /* The arrows get their own strips (>= 9 mm tall) so they never cover a row. */
    bool scrolls = content_h > in.h;
    struct ui_rect up = {0}, foot = {0};
    if (scrolls) {
        up = layout_cut_right(&head, view_px(a, 120));
        foot = layout_cut_bottom(&in, view_px(a, 60));
        layout_cut_bottom(&in, gap);
    }
    widget_label(a->ui, "delivery.title", head, app_t(a, I18N_DELIVERY_TITLE), view_px(a, 32),
                 t->text, ALIGN_LEFT);
    widget_scroll_frame(s, in, content_h, view_px(a, 12), rowh + gap);
    int i = 0, below = 0;
    cJSON_ArrayForEach(o, model_deliveries(a->model))
    {
        if (!view_delivery_list_today(a, o))
            continue;
        struct ui_rect row;
        int y = i * (rowh + gap);
        if (widget_scroll_place(s, y, rowh, &row))
            view_delivery_list_row(a, o, row, pick && view_delivery_list_mine(a, o), i % 2 == 1);
        else if (y + rowh > s->offset + in.h)
            below++;
        i++;
    }
    if (n == 0)
        widget_label(a->ui, "delivery.empty", layout_cut_top(&in, view_px(a, 50)),
                     app_t(a, I18N_DELIVERY_EMPTY), view_px(a, 24), t->muted, ALIGN_LEFT);
    if (!scrolls)
        return;
    struct ui_rect down = layout_cut_right(&foot, view_px(a, 120));
    widget_scroll_arrows(a->ui, t, s, VIEW_DELIVERY_LIST_SCROLL, up, down, view_px(a, 28));
    if (below > 0) {
        char num[16], text[128];
        snprintf(num, sizeof num, "%d", below);
        const char *args[] = {num};
        i18n_format(text, sizeof text, app_t(a, I18N_BOARD_MORE), args, 1);
        layout_cut_right(&foot, view_px(a, 16));
        widget_label(a->ui, "delivery.more", foot, text, view_px(a, 22), t->muted, ALIGN_RIGHT);
    }
}

bool view_delivery_list_pointer(struct app *a, int phase, int x, int y)
{
    struct view_delivery *d = &a->dl;
    struct widget_scroll *s = &d->list_scroll;
    if (phase == 0) {
        d->list_gesture = false;
        if (a->mode != MODEL_DELIVERY || (d->screen != DL_LIST && d->screen != DL_STAFF) ||
            d->list_scroll_screen != d->screen)
            return false;
        int hit = ui_hit(a->ui, x, y);
        const struct widget *w = hit >= 0 ? ui_get(a->ui, hit) : NULL;
        bool arrow = w && strncmp(w->id, VIEW_DELIVERY_LIST_SCROLL ".",
                                  sizeof VIEW_DELIVERY_LIST_SCROLL) == 0;
        if (!widget_scroll_press(s, x, y) && !arrow)
            return false;
        d->list_gesture = true;
        ui_press(a->ui, x, y); /* drawn pressed, as any tap */
        app_dirty(a);
        return true;
    }
    if (!d->list_gesture)
        return false;
    if (phase == 1) {
        bool moved = widget_scroll_motion(s, x, y);
        if (widget_scroll_dragging(s) && ui_pressed(a->ui)[0]) {
            /* a scroll, not a tap: let go of the row under the finger (a press on no widget) */
            ui_press(a->ui, -1, -1);
            moved = true;
        }
        if (moved)
            app_dirty(a);
        return true;
    }
    d->list_gesture = false;
    app_dirty(a);
    if (widget_scroll_release(s)) {
        ui_release(a->ui, -1, -1);
        return true;
    }
    const char *id = ui_release(a->ui, x, y);
    if (!id)
        return true;
    char copy[WIDGET_ID_MAX];
    snprintf(copy, sizeof copy, "%s", id);
    if (!widget_scroll_action(s, VIEW_DELIVERY_LIST_SCROLL, copy))
        app_action(a, copy);
    return true;
}

/* What the offline queue holds, in one or two lines at the bottom of r (cut off r). */
static void view_delivery_list_queue(struct app *a, struct ui_rect *r)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    if (d->queued <= 0 && d->failed <= 0)
        return;
    struct ui_rect box = layout_cut_bottom(r, view_px(a, d->failed > 0 ? 120 : 70));
    layout_cut_bottom(r, view_px(a, 12));
    widget_panel(a->ui, t, box, t->surface_alt, view_px(a, 12));
    struct ui_rect in = layout_inset(box, view_px(a, 12));
    char n[16], text[600];
    if (d->queued > 0) {
        snprintf(n, sizeof n, "%d", d->queued);
        const char *args[] = {n};
        enum i18n_key k = a->conn != APP_CONN_CONNECTED ? I18N_DELIVERY_QUEUE_WAITING
                          : d->session                  ? I18N_DELIVERY_QUEUE_SENDING
                                                        : I18N_DELIVERY_QUEUE_LOGIN;
        i18n_format(text, sizeof text, app_t(a, k), args, 1);
        struct ui_rect line = layout_cut_top(&in, view_px(a, 44));
        /* an icon as well as a colour: the state reads without colour vision */
        view_common_icon(a, layout_cut_left(&line, view_px(a, 44)), "\xE2\x86\xBB", t->warn);
        layout_cut_left(&line, view_px(a, 12));
        widget_label(a->ui, "delivery.queue", line, text, view_px(a, 22), t->text, ALIGN_LEFT);
    }
    if (d->failed > 0 && a->signq) {
        struct signq_item items[1];
        if (signq_list(a->signq, NULL, SIGNQ_FAILED, items, 1) == 1) {
            const char *args[] = {items[0].order_no, items[0].error_message[0]
                                                         ? items[0].error_message
                                                         : items[0].error_code};
            i18n_format(text, sizeof text, app_t(a, I18N_DELIVERY_QUEUE_FAILED), args, 2);
            struct ui_rect line = layout_cut_top(&in, view_px(a, 44));
            view_common_icon(a, layout_cut_left(&line, view_px(a, 44)), "!", t->danger);
            layout_cut_left(&line, view_px(a, 12));
            widget_label(a->ui, "delivery.queue_failed", line, text, view_px(a, 22), t->danger,
                         ALIGN_LEFT);
        }
    }
}

void view_delivery_list_screen(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect bar = layout_cut_top(&b, view_px(a, 90));
    layout_cut_top(&b, view_px(a, 16));
    struct ui_rect btn = layout_cut_right(&bar, view_px(a, 260));
    widget_button(a->ui, t, "btn.login", btn, app_t(a, I18N_DELIVERY_LOGIN), NULL, view_px(a, 30),
                  STYLE_SECONDARY);
    layout_cut_right(&bar, view_px(a, 16));
    if (d->notice_key >= 0) {
        widget_para(a->ui, "delivery.notice", bar, app_t(a, (enum i18n_key)d->notice_key),
                    view_px(a, 24), t->danger);
    } else {
        widget_para(a->ui, "delivery.staff_only", bar, app_t(a, I18N_DELIVERY_STAFF_ONLY),
                    view_px(a, 24), t->muted);
    }
    view_delivery_list_queue(a, &b);
    view_delivery_list_rows(a, b, false);
}

void view_delivery_list_staff(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect bar = layout_cut_top(&b, view_px(a, 90));
    layout_cut_top(&b, view_px(a, 16));
    struct ui_rect btn = layout_cut_right(&bar, view_px(a, 240));
    widget_button(a->ui, t, "btn.logout", btn, app_t(a, I18N_DELIVERY_LOGOUT), NULL, view_px(a, 30),
                  STYLE_OUTLINE);
    layout_cut_right(&bar, view_px(a, 16));
    char who[300];
    int rk = view_common_role_key(d->staff_role);
    const char *args[] = {d->staff_name, app_t(a, (enum i18n_key)rk)};
    i18n_format(who, sizeof who, app_t(a, I18N_DELIVERY_LOGGED_IN), args, 2);
    widget_label(a->ui, "delivery.who", layout_cut_top(&bar, bar.h * 55 / 100), who, view_px(a, 32),
                 t->text, ALIGN_LEFT);
    char msg[400] = "";
    view_common_error_text(a, d->error_key, d->error_text, msg, sizeof msg);
    widget_label(a->ui, "delivery.msg", bar, msg[0] ? msg : app_t(a, I18N_DELIVERY_PICK),
                 view_px(a, 22), msg[0] ? t->danger : t->muted, ALIGN_LEFT);
    view_delivery_list_queue(a, &b);
    view_delivery_list_rows(a, b, true);
}

void view_delivery_list_keypad(struct app *a, bool pin)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct entry *e = pin ? &d->pin : &d->staff_no;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    struct ui_rect info, pad;
    if (a->lay.portrait) {
        info = layout_cut_top(&b, view_px(a, 440));
        layout_cut_top(&b, view_px(a, 20));
        pad = b;
    } else {
        info = layout_cut_left(&b, b.w * 52 / 100);
        layout_cut_left(&b, view_px(a, 40));
        pad = b;
    }
    widget_label(a->ui, "delivery.prompt", layout_cut_top(&info, view_px(a, 70)),
                 app_t(a, pin ? I18N_DELIVERY_PIN_TITLE : I18N_DELIVERY_STAFF_NO_TITLE),
                 view_px(a, 44), t->text, ALIGN_LEFT);
    layout_cut_top(&info, view_px(a, 16));
    char shown[96];
    entry_display(e, pin, shown, sizeof shown);
    view_common_entry_box(a, layout_cut_top(&info, view_px(a, 110)), shown, "");
    layout_cut_top(&info, view_px(a, 12));
    char msg[400] = "";
    view_common_error_text(a, d->error_key, d->error_text, msg, sizeof msg);
    view_common_error_line(a, layout_cut_top(&info, view_px(a, 80)), "delivery.msg", msg,
                           view_px(a, 26));
    layout_cut_top(&info, view_px(a, 12));
    struct ui_rect go = layout_cut_top(&info, view_px(a, 100));
    go.w = view_px(a, 320) < go.w ? view_px(a, 320) : go.w;
    struct widget *w = widget_button(a->ui, t, pin ? "btn.login_submit" : "btn.next", go,
                                     app_t(a, pin ? I18N_DELIVERY_LOGIN : I18N_STATUS_NEXT), NULL,
                                     view_px(a, 36), STYLE_PRIMARY);
    if (w)
        w->enabled = entry_state(e) == ENTRY_VALID;
    view_common_keypad(a, view_common_keypad_rect(a, pad, view_px(a, 560)), e->kind);
    view_common_nav(a, nav, true, true);
}

void view_delivery_list_wait(struct app *a, const char *id, int key)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    struct ui_rect c = layout_centre(b, b.w, view_px(a, 120));
    widget_label(a->ui, id, c, app_t(a, (enum i18n_key)key), view_px(a, 44), t->text, ALIGN_CENTRE);
    if (a->dl.screen == DL_LOADING)
        view_common_nav(a, nav, false, true);
}

void view_delivery_list_error(struct app *a)
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

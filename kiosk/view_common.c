/* Shared screen pieces (see view_common.h). UI thread only. */
#include "view_common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"

int view_px(const struct app *a, double units)
{
    return layout_px(&a->lay, units);
}

const char *view_common_site(const struct app *a)
{
    const char *s = proto_get_str(model_site(a->model), "name");
    return s ? s : a->site_name;
}

static void view_common_conn(const struct app *a, char *out, size_t outsz, struct rgba *colour)
{
    switch (a->conn) {
    case APP_CONN_CONNECTED:
        snprintf(out, outsz, "%s", app_t(a, I18N_CONN_CONNECTED));
        *colour = a->theme.ok;
        return;
    case APP_CONN_CONNECTING:
    case APP_CONN_RECONNECTING: {
        /* Not live: say how old the data on screen is, and that the kiosk is on it. */
        int64_t left = a->conn == APP_CONN_RECONNECTING ? (a->retry_at - a->mono + 999) / 1000 : 0;
        char n[24], m[24];
        snprintf(n, sizeof n, "%lld", (long long)(left < 0 ? 0 : left));
        int64_t age = a->data_at > 0 ? (a->wall - a->data_at) / 60000 : 0;
        snprintf(m, sizeof m, "%lld", (long long)(age < 0 ? 0 : age));
        const char *args[] = {m, n};
        if (!model_ready(a->model) || a->data_at <= 0) {
            /* nothing shown yet, so no age to give: just the attempt */
            const char *rargs[] = {n};
            i18n_format(out, outsz,
                        app_t(a, a->conn == APP_CONN_RECONNECTING ? I18N_CONN_RECONNECTING
                                                                  : I18N_CONN_CONNECTING),
                        rargs, 1);
        } else
            i18n_format(out, outsz, app_t(a, age < 1 ? I18N_CONN_AGE_NOW : I18N_CONN_AGE_MIN), args,
                        2);
        *colour = a->theme.warn;
        return;
    }
    case APP_CONN_REVOKED:
        snprintf(out, outsz, "%s", app_t(a, I18N_CONN_REVOKED));
        *colour = a->theme.danger;
        return;
    case APP_CONN_AUTH_FAILED:
        snprintf(out, outsz, "%s", app_t(a, I18N_CONN_AUTH_FAILED));
        *colour = a->theme.danger;
        return;
    }
}

void view_common_header(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect all = layout_rect(0, 0, a->lay.w, a->lay.h);
    struct ui_rect bar = layout_cut_top(&all, view_px(a, 84));
    widget_panel(a->ui, t, bar, t->header, 0);
    struct ui_rect in = layout_inset(bar, view_px(a, 14));
    in.x += view_px(a, 10);
    in.w -= 2 * view_px(a, 10);

    struct ui_rect toggle = layout_cut_right(&in, view_px(a, 104));
    widget_toggle(a->ui, t, "btn.lang", toggle, app_t(a, I18N_LANG_TOGGLE), view_px(a, 26));
    layout_cut_right(&in, view_px(a, 20));

    /* Clock: time large, date small under it. */
    struct ui_rect clock = layout_cut_right(&in, view_px(a, 150));
    struct tm tm;
    app_site_time(a, a->wall, &tm);
    char hhmm[32], date[64], mon[16], day[16];
    snprintf(hhmm, sizeof hhmm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    snprintf(mon, sizeof mon, "%d", tm.tm_mon + 1);
    snprintf(day, sizeof day, "%d", tm.tm_mday);
    const char *dargs[] = {"", mon, day, app_t(a, (enum i18n_key)(I18N_WD_0 + tm.tm_wday))};
    i18n_format(date, sizeof date, app_t(a, I18N_DATE_FMT), dargs, 4);
    struct ui_rect c1 = clock, c2 = clock;
    c1.h = clock.h * 62 / 100;
    c2.y = clock.y + c1.h;
    c2.h = clock.h - c1.h;
    widget_label(a->ui, "hdr.clock", c1, hhmm, view_px(a, 34), t->header_text, ALIGN_RIGHT);
    struct rgba dim = t->header_text;
    dim.a = 190;
    widget_label(a->ui, "hdr.date", c2, date, view_px(a, 17), dim, ALIGN_RIGHT);
    layout_cut_right(&in, view_px(a, 24));

    /* Connection: a dot and a word when live; when not, an icon and the data's age in a
     * chip that cannot be missed (text, not colour alone, carries the state). */
    char conn[256];
    struct rgba cc;
    view_common_conn(a, conn, sizeof conn, &cc);
    bool live = a->conn == APP_CONN_CONNECTED;
    struct ui_rect cr = layout_cut_right(&in, view_px(a, 150));
    struct ui_rect dot = {cr.x, cr.y + (cr.h - view_px(a, 16)) / 2, view_px(a, 16), view_px(a, 16)};
    widget_dot(a->ui, dot, cc);
    struct ui_rect ct = cr;
    ct.x += view_px(a, 26);
    ct.w -= view_px(a, 26);
    widget_label(a->ui, live ? "hdr.conn" : "hdr.conn_short", ct,
                 live ? conn : app_t(a, I18N_CONN_OFFLINE), view_px(a, 20), dim, ALIGN_LEFT);
    layout_cut_right(&in, view_px(a, 20));

    widget_label(a->ui, "hdr.site", in, view_common_site(a), view_px(a, 32), t->header_text,
                 ALIGN_LEFT);
    if (!live && a->conn != APP_CONN_REVOKED && a->conn != APP_CONN_AUTH_FAILED) {
        /* Not live: a strip under the header, on every screen, says how old the data
         * shown is and that the kiosk is reconnecting; an icon and words, not colour. */
        struct ui_rect strip = layout_cut_top(&all, view_px(a, 46));
        widget_panel(a->ui, t, strip, cc, 0);
        struct ui_rect sin = layout_inset(strip, view_px(a, 6));
        sin.x += view_px(a, 18);
        sin.w -= view_px(a, 36);
        widget_label(a->ui, "hdr.conn_icon", layout_cut_left(&sin, view_px(a, 36)), "\xE2\x86\xBB",
                     view_px(a, 26), t->primary_text, ALIGN_CENTRE);
        layout_cut_left(&sin, view_px(a, 8));
        widget_label(a->ui, "hdr.conn", sin, conn, view_px(a, 22), t->primary_text, ALIGN_LEFT);
    }
    a->body = layout_inset(all, view_px(a, 28));
}

void view_common_revoked(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect all = layout_rect(0, 0, a->lay.w, a->lay.h);
    widget_panel(a->ui, t, all, t->header, 0);
    struct ui_rect box = layout_centre(all, a->lay.w * 8 / 10, view_px(a, 420));
    struct ui_rect dot = layout_cut_top(&box, view_px(a, 90));
    widget_dot(a->ui, layout_centre(dot, view_px(a, 64), view_px(a, 64)), t->danger);
    enum i18n_key title = a->conn == APP_CONN_REVOKED ? I18N_REVOKED_TITLE : I18N_AUTH_FAILED_TITLE;
    widget_label(a->ui, "revoked.title", layout_cut_top(&box, view_px(a, 100)), app_t(a, title),
                 view_px(a, 56), t->header_text, ALIGN_CENTRE);
    struct widget *w = widget_para(a->ui, "revoked.body", box, app_t(a, I18N_REVOKED_BODY),
                                   view_px(a, 28), t->header_text);
    if (w)
        w->align = ALIGN_CENTRE;
}

void view_common_icon(struct app *a, struct ui_rect r, const char *glyph, struct rgba bg)
{
    int d = r.w < r.h ? r.w : r.h;
    struct ui_rect c = layout_centre(r, d, d);
    widget_dot(a->ui, c, bg);
    widget_label(a->ui, "", c, glyph, d * 55 / 100, a->theme.primary_text, ALIGN_CENTRE);
}

void view_common_nav(struct app *a, struct ui_rect r, bool back, bool cancel)
{
    int bw = view_px(a, 200), gap = view_px(a, 20);
    if (back) {
        struct ui_rect b = layout_cut_left(&r, bw);
        widget_button(a->ui, &a->theme, "btn.back", b, app_t(a, I18N_BACK), NULL, view_px(a, 30),
                      STYLE_OUTLINE);
        layout_cut_left(&r, gap);
    }
    if (cancel) {
        struct ui_rect c = layout_cut_left(&r, bw);
        widget_button(a->ui, &a->theme, "btn.cancel", c, app_t(a, I18N_CANCEL), NULL,
                      view_px(a, 30), STYLE_OUTLINE);
    }
}

void view_common_entry_box(struct app *a, struct ui_rect r, const char *shown, const char *hint)
{
    const struct theme *t = &a->theme;
    struct widget *box = widget_panel(a->ui, t, r, t->surface, view_px(a, 14));
    (void)box;
    struct ui_rect in = layout_inset(r, view_px(a, 12));
    if (shown[0])
        widget_label(a->ui, "entry.display", in, shown, view_px(a, 52), t->text, ALIGN_CENTRE);
    else
        widget_label(a->ui, "entry.display", in, hint, view_px(a, 26), t->muted, ALIGN_CENTRE);
}

struct ui_rect view_common_keypad_rect(struct app *a, struct ui_rect avail, int max_w)
{
    /* Keys about 1.6 : 1, as on phone keypads, as large as the space allows. */
    int w = avail.w < max_w ? avail.w : max_w;
    int h = w * 4 * 10 / (3 * 16);
    if (h > avail.h) {
        h = avail.h;
        w = h * 3 * 16 / (4 * 10);
    }
    return layout_centre(avail, w, h);
}

void view_common_keypad(struct app *a, struct ui_rect r, enum entry_kind kind)
{
    static const char *const digit_keys[] = {"1", "2", "3", "4",     "5", "6",
                                             "7", "8", "9", "clear", "0", "del"};
    static const char *const order_keys[] = {"1", "2", "3", "4", "5", "6",
                                             "7", "8", "9", "-", "0", "del"};
    const char *const *keys = kind == ENTRY_ORDER_NO ? order_keys : digit_keys;
    const char *labels[12];
    for (int i = 0; i < 12; i++)
        labels[i] = keys[i];
    labels[11] = app_t(a, I18N_KEY_DEL);
    if (kind != ENTRY_ORDER_NO)
        labels[9] = app_t(a, I18N_KEY_CLEAR);
    int gap = r.w / 30;
    widget_keypad(a->ui, &a->theme, r, 3, gap, r.h / 8, keys, labels, 12);
}

int view_common_error_key(enum proto_err code)
{
    switch (code) {
    case PROTO_E_INVALID_PHONE:
        return I18N_ERR_INVALID_PHONE;
    case PROTO_E_CONSENT_REQUIRED:
        return I18N_ERR_CONSENT;
    case PROTO_E_RATE_LIMITED:
        return I18N_ERR_RATE_LIMITED;
    case PROTO_E_NOT_FOUND:
        return I18N_ERR_NOT_FOUND;
    case PROTO_E_STAFF_LOGIN_FAILED:
        return I18N_ERR_LOGIN_FAILED;
    case PROTO_E_STAFF_LOCKED:
        return I18N_ERR_LOCKED;
    case PROTO_E_SESSION_EXPIRED:
        return I18N_ERR_SESSION_EXPIRED;
    case PROTO_E_FORBIDDEN:
        return I18N_ERR_FORBIDDEN;
    case PROTO_E_UNAVAILABLE:
        return I18N_UNREACHABLE;
    default:
        return -1;
    }
}

void view_common_set_error(int *key, char *text, size_t textsz, const struct proto_msg *res)
{
    text[0] = '\0';
    if (!res) {
        *key = I18N_UNREACHABLE;
        return;
    }
    *key = view_common_error_key(res->error.code);
    if (*key < 0)
        snprintf(text, textsz, "%s",
                 res->error.message[0] ? res->error.message : proto_error_code(res->error.code));
}

void view_common_error_text(const struct app *a, int key, const char *text, char *out, size_t outsz)
{
    if (key >= 0) {
        snprintf(out, outsz, "%s", app_t(a, (enum i18n_key)key));
    } else if (text[0]) {
        const char *args[] = {text};
        i18n_format(out, outsz, app_t(a, I18N_ERR_GENERIC), args, 1);
    } else {
        out[0] = '\0';
    }
}

void view_common_error_line(struct app *a, struct ui_rect r, const char *id, const char *msg,
                            int size)
{
    const struct theme *t = &a->theme;
    if (msg[0]) {
        view_common_icon(a, layout_rect(r.x, r.y + view_px(a, 4), view_px(a, 40), view_px(a, 40)),
                         "!", t->danger);
        r.x += view_px(a, 52);
        r.w -= view_px(a, 52);
    }
    widget_para(a->ui, id, r, msg, size, t->danger);
}

void view_common_hhmm(const struct app *a, int64_t ms, char *out, size_t outsz)
{
    struct tm tm;
    app_site_time(a, ms, &tm);
    snprintf(out, outsz, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void view_common_when(const struct app *a, int64_t ms, char *out, size_t outsz)
{
    struct tm tm, tn;
    app_site_time(a, ms, &tm);
    app_site_time(a, app_hub_now(a), &tn);
    if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
        snprintf(out, outsz, "%02d:%02d", tm.tm_hour, tm.tm_min);
    else
        snprintf(out, outsz, "%d/%d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

int view_common_minutes_since(const struct app *a, int64_t since)
{
    int64_t d = app_hub_now(a) - since;
    return d > 0 ? (int)(d / 60000) : 0;
}

struct view_code {
    const char *code;
    int key;
};

static int view_lookup(const struct view_code *t, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(t[i].code, code) == 0)
            return t[i].key;
    return -1;
}

int view_common_pstage_key(const char *s)
{
    static const struct view_code t[] = {
        {"ordered", I18N_PSTAGE_ORDERED},     {"vehicle", I18N_PSTAGE_VEHICLE},
        {"payment", I18N_PSTAGE_PAYMENT},     {"ready", I18N_PSTAGE_READY},
        {"delivered", I18N_PSTAGE_DELIVERED}, {"cancelled", I18N_PSTAGE_CANCELLED}};
    return view_lookup(t, sizeof t / sizeof t[0], s);
}

int view_common_visit_key(const char *s)
{
    static const struct view_code t[] = {{"waiting", I18N_VISIT_WAITING},
                                         {"serving", I18N_VISIT_SERVING},
                                         {"departed", I18N_VISIT_DEPARTED}};
    return view_lookup(t, sizeof t / sizeof t[0], s);
}

int view_common_todo_key(const char *s)
{
    static const struct view_code t[] = {{"pay_balance", I18N_TODO_PAY_BALANCE},
                                         {"loan_documents", I18N_TODO_LOAN_DOCUMENTS},
                                         {"attend_delivery", I18N_TODO_ATTEND_DELIVERY},
                                         {"none", I18N_TODO_NONE}};
    return view_lookup(t, sizeof t / sizeof t[0], s);
}

int view_common_role_key(const char *s)
{
    static const struct view_code t[] = {{"consultant", I18N_ROLE_CONSULTANT},
                                         {"supervisor", I18N_ROLE_SUPERVISOR},
                                         {"manager", I18N_ROLE_MANAGER},
                                         {"reception", I18N_ROLE_RECEPTION}};
    int k = view_lookup(t, sizeof t / sizeof t[0], s);
    return k >= 0 ? k : I18N_ROLE_OTHER;
}

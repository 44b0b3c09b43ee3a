/* Customer order status screens (see view_status.h). UI thread only. */
#include "view_status.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

static const char *const view_status_stages[] = {"ordered", "vehicle", "payment", "ready",
                                                 "delivered"};

const char *view_status_screen(const struct app *a)
{
    static const char *const names[] = {"status.wall",      "status.order",  "status.phone4",
                                        "status.searching", "status.result", "status.error"};
    return names[a->st.screen];
}

bool view_status_idle(const struct app *a)
{
    return a->st.screen == ST_WALL;
}

void view_status_reset(struct app *a)
{
    struct view_status *s = &a->st;
    if (s->lookup_id[0])
        app_forget(a, s->lookup_id);
    if (s->refresh_id[0])
        app_forget(a, s->refresh_id);
    cJSON_Delete(s->order);
    entry_clear(&s->order_no);
    entry_clear(&s->last4);
    memset(s, 0, sizeof *s);
    entry_init(&s->order_no, ENTRY_ORDER_NO, 4, 20);
    entry_init(&s->last4, ENTRY_DIGITS, 4, 4);
    s->error_key = -1;
    s->screen = ST_WALL;
}

void view_status_tick(struct app *a)
{
}

/* A delivery row has an appointment (or is done); a paid order still without one is a
 * vehicle being prepared. */
static bool view_status_is_delivery(const cJSON *w)
{
    const char *s = proto_get_str(w, "public_stage");
    return (s && strcmp(s, "delivered") == 0) || proto_get_int(w, "delivery_at", 0) > 0;
}

/* One list of wall rows (deliveries or vehicles being prepared) into r. */
static void view_status_wall_list(struct app *a, struct ui_rect r, bool deliveries,
                                  enum i18n_key title)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, r, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(r, view_px(a, 20));
    widget_label(a->ui, deliveries ? "status.wall_title" : "status.preparing",
                 layout_cut_top(&in, view_px(a, 54)), app_t(a, title), view_px(a, 32), t->text,
                 ALIGN_LEFT);
    int rowh = view_px(a, 76), fit = in.h / rowh, shown = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, model_wall(a->model))
    {
        if (view_status_is_delivery(w) != deliveries || shown >= fit)
            continue;
        struct ui_rect row = layout_cut_top(&in, rowh);
        if (shown++ % 2 == 1)
            widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
        struct ui_rect k = layout_inset(row, view_px(a, 8));
        const char *ref = proto_get_str(w, "ref");
        const char *stage = proto_get_str(w, "public_stage");
        int sk = view_common_pstage_key(stage);
        bool done = stage && strcmp(stage, "delivered") == 0;
        widget_chip(
            a->ui, "",
            layout_centre(layout_cut_right(&k, view_px(a, 120)), view_px(a, 120), view_px(a, 36)),
            sk >= 0 ? app_t(a, (enum i18n_key)sk) : (stage ? stage : ""), view_px(a, 19),
            done         ? t->ok
            : deliveries ? t->primary
                         : t->accent,
            t->primary_text);
        char id[48];
        snprintf(id, sizeof id, "status.wall.%s", ref ? ref : "");
        const char *model = proto_get_str(w, "model");
        char top[256], line[256] = "";
        snprintf(top, sizeof top, "%s  %s", ref ? ref : "", model ? model : "");
        widget_label(a->ui, id, layout_cut_top(&k, k.h * 55 / 100), top, view_px(a, 26), t->text,
                     ALIGN_LEFT);
        int64_t at = proto_get_int(w, "delivery_at", 0);
        const char *place = proto_get_str(w, "delivery_place");
        if (at > 0) {
            char when[32];
            view_common_when(a, at, when, sizeof when);
            snprintf(line, sizeof line, "%s  %s", when, place ? place : "");
        }
        widget_label(a->ui, "", k, line, view_px(a, 20), t->muted, ALIGN_LEFT);
    }
    if (shown == 0)
        widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 50)),
                     app_t(a, deliveries ? I18N_STATUS_WALL_EMPTY : I18N_STATUS_PREPARING_EMPTY),
                     view_px(a, 22), t->muted, ALIGN_LEFT);
}

static void view_status_wall(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    int gap = view_px(a, 20);
    struct ui_rect cta;
    if (a->lay.portrait) {
        cta = layout_cut_bottom(&b, view_px(a, 220));
        layout_cut_bottom(&b, gap);
        struct ui_rect top = layout_cut_top(&b, (b.h - gap) / 2);
        layout_cut_top(&b, gap);
        view_status_wall_list(a, top, true, I18N_STATUS_WALL_TITLE);
        view_status_wall_list(a, b, false, I18N_STATUS_PREPARING);
    } else {
        cta = layout_cut_right(&b, view_px(a, 380));
        layout_cut_right(&b, gap);
        struct ui_rect left = layout_cut_left(&b, (b.w - gap) / 2);
        layout_cut_left(&b, gap);
        view_status_wall_list(a, left, true, I18N_STATUS_WALL_TITLE);
        view_status_wall_list(a, b, false, I18N_STATUS_PREPARING);
    }
    widget_panel(a->ui, t, cta, t->header, view_px(a, 16));
    struct ui_rect in = layout_inset(cta, view_px(a, 24));
    struct ui_rect c = layout_centre(in, in.w, view_px(a, 190) < in.h ? view_px(a, 190) : in.h);
    struct widget *h =
        widget_para(a->ui, "status.lookup_hint", layout_cut_top(&c, view_px(a, 80)),
                    app_t(a, I18N_STATUS_LOOKUP_HINT), view_px(a, 24), t->header_text);
    if (h)
        h->align = ALIGN_CENTRE;
    layout_cut_top(&c, view_px(a, 10));
    struct ui_rect btn = layout_centre(c, view_px(a, 330), c.h);
    const char *other =
        i18n_get(a->i18n, a->lang == I18N_ZH ? I18N_EN : I18N_ZH, I18N_STATUS_LOOKUP);
    widget_button(a->ui, t, "btn.lookup", btn, app_t(a, I18N_STATUS_LOOKUP), other, view_px(a, 36),
                  STYLE_PRIMARY);
}

/* Shared layout of the two keypad screens. */
static void view_status_keypad_screen(struct app *a, enum i18n_key title, enum i18n_key hint,
                                      struct entry *e, const char *button_id, enum i18n_key button)
{
    const struct theme *t = &a->theme;
    struct view_status *s = &a->st;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    struct ui_rect info, pad;
    if (a->lay.portrait) {
        info = layout_cut_top(&b, view_px(a, 460));
        layout_cut_top(&b, view_px(a, 20));
        pad = b;
    } else {
        info = layout_cut_left(&b, b.w * 52 / 100);
        layout_cut_left(&b, view_px(a, 40));
        pad = b;
    }
    widget_label(a->ui, "status.title", layout_cut_top(&info, view_px(a, 70)), app_t(a, title),
                 view_px(a, 44), t->text, ALIGN_LEFT);
    widget_para(a->ui, "status.hint", layout_cut_top(&info, view_px(a, 44)), app_t(a, hint),
                view_px(a, 24), t->muted);
    layout_cut_top(&info, view_px(a, 16));
    char shown[64];
    entry_display(e, false, shown, sizeof shown);
    view_common_entry_box(a, layout_cut_top(&info, view_px(a, 110)), shown, "");
    layout_cut_top(&info, view_px(a, 12));
    char msg[400] = "";
    view_common_error_text(a, s->error_key, s->error_text, msg, sizeof msg);
    widget_para(a->ui, "status.msg", layout_cut_top(&info, view_px(a, 76)), msg, view_px(a, 26),
                t->danger);
    layout_cut_top(&info, view_px(a, 12));
    struct ui_rect go = layout_cut_top(&info, view_px(a, 100));
    go.w = view_px(a, 320) < go.w ? view_px(a, 320) : go.w;
    struct widget *w = widget_button(a->ui, t, button_id, go, app_t(a, button), NULL,
                                     view_px(a, 38), STYLE_PRIMARY);
    if (w)
        w->enabled = entry_state(e) == ENTRY_VALID;
    view_common_keypad(a, view_common_keypad_rect(a, pad, view_px(a, 560)), e->kind);
    view_common_nav(a, nav, true, true);
}

static void view_status_centre_text(struct app *a, const char *id, enum i18n_key key)
{
    struct ui_rect c = layout_centre(a->body, a->body.w, view_px(a, 120));
    widget_label(a->ui, id, c, app_t(a, key), view_px(a, 48), a->theme.text, ALIGN_CENTRE);
}

static void view_status_error(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect c = layout_centre(a->body, a->body.w * 9 / 10, view_px(a, 380));
    widget_label(a->ui, "status.error_title", layout_cut_top(&c, view_px(a, 90)),
                 app_t(a, I18N_UNREACHABLE), view_px(a, 56), t->danger, ALIGN_CENTRE);
    struct widget *w = widget_para(a->ui, "status.error_body", layout_cut_top(&c, view_px(a, 110)),
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

/* The five public stages as dots joined by a line; done ones filled, current larger. */
static void view_status_timeline(struct app *a, struct ui_rect r, const cJSON *timeline)
{
    const struct theme *t = &a->theme;
    int n = 5, dot = view_px(a, 36), big = view_px(a, 52);
    int cw = r.w / n;
    int cy = r.y + big / 2;
    struct ui_rect line = {r.x + cw / 2, cy - view_px(a, 3), cw * (n - 1), view_px(a, 6)};
    widget_panel(a->ui, t, line, t->border, 0);
    for (int i = 0; i < n; i++) {
        const char *state = "todo";
        int64_t at = 0;
        const cJSON *step;
        cJSON_ArrayForEach(step, timeline)
        {
            const char *st = proto_get_str(step, "stage");
            if (st && strcmp(st, view_status_stages[i]) == 0) {
                const char *s = proto_get_str(step, "state");
                state = s ? s : "todo";
                at = proto_get_int(step, "at", 0);
            }
        }
        bool cur = strcmp(state, "current") == 0, done = strcmp(state, "done") == 0;
        int size = cur ? big : dot;
        int cx = r.x + cw * i + cw / 2;
        if (done || cur) {
            /* the line up to a reached stage is coloured */
            if (i > 0)
                widget_panel(a->ui, t, layout_rect(cx - cw, cy - view_px(a, 3), cw, view_px(a, 6)),
                             t->ok, 0);
        }
        if (cur)
            widget_dot(a->ui,
                       layout_rect(cx - size / 2 - view_px(a, 8), cy - size / 2 - view_px(a, 8),
                                   size + view_px(a, 16), size + view_px(a, 16)),
                       (struct rgba){t->primary.r, t->primary.g, t->primary.b, 60});
        widget_dot(a->ui, layout_rect(cx - size / 2, cy - size / 2, size, size),
                   cur    ? t->primary
                   : done ? t->ok
                          : t->border);
        int key = view_common_pstage_key(view_status_stages[i]);
        char id[40];
        snprintf(id, sizeof id, "status.step.%s%s", view_status_stages[i], cur ? ".current" : "");
        widget_label(a->ui, id,
                     layout_rect(r.x + cw * i, cy + big / 2 + view_px(a, 12), cw, view_px(a, 40)),
                     app_t(a, (enum i18n_key)key), view_px(a, cur ? 28 : 24),
                     cur    ? t->primary
                     : done ? t->text
                            : t->muted,
                     ALIGN_CENTRE);
        if (at > 0) {
            char when[32];
            view_common_when(a, at, when, sizeof when);
            widget_label(
                a->ui, "",
                layout_rect(r.x + cw * i, cy + big / 2 + view_px(a, 54), cw, view_px(a, 30)), when,
                view_px(a, 19), t->muted, ALIGN_CENTRE);
        }
    }
}

static void view_status_info_card(struct app *a, struct ui_rect r, const char *id,
                                  enum i18n_key head, const char *value)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, r, t->surface, view_px(a, 14));
    struct ui_rect in = layout_inset(r, view_px(a, 16));
    widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 28)), app_t(a, head), view_px(a, 20),
                 t->muted, ALIGN_LEFT);
    widget_label(a->ui, id, in, value, view_px(a, 30), t->text, ALIGN_LEFT);
}

static void view_status_result_screen(struct app *a)
{
    const struct theme *t = &a->theme;
    const cJSON *o = a->st.order;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 80));
    layout_cut_bottom(&b, view_px(a, 12));
    const char *no = proto_get_str(o, "order_no");
    const char *name = proto_get_str(o, "customer_name");
    const char *model = proto_get_str(o, "model");
    const char *colour = proto_get_str(o, "colour");
    char title[300];
    snprintf(title, sizeof title, "%s  %s", name ? name : "", no ? no : "");
    widget_label(a->ui, "status.result_title", layout_cut_top(&b, view_px(a, 56)), title,
                 view_px(a, 40), t->text, ALIGN_LEFT);
    char sub[300];
    snprintf(sub, sizeof sub, "%s %s", model ? model : "", colour ? colour : "");
    widget_label(a->ui, "status.result_model", layout_cut_top(&b, view_px(a, 36)), sub,
                 view_px(a, 24), t->muted, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 10));
    struct ui_rect tl = layout_cut_top(&b, view_px(a, 136));
    widget_panel(a->ui, t, tl, t->surface, view_px(a, 16));
    view_status_timeline(a, layout_inset(tl, view_px(a, 14)), proto_get_arr(o, "timeline"));
    layout_cut_top(&b, view_px(a, 12));

    /* Info cards: ETA or delivery appointment, consultant. */
    char when[160];
    int64_t delivery = proto_get_int(o, "delivery_at", 0), eta = proto_get_int(o, "eta", 0);
    const char *place = proto_get_str(o, "delivery_place");
    enum i18n_key when_head = delivery > 0 ? I18N_STATUS_DELIVERY : I18N_STATUS_ETA;
    if (delivery > 0 || eta > 0) {
        char w[32];
        view_common_when(a, delivery > 0 ? delivery : eta, w, sizeof w);
        snprintf(when, sizeof when, "%s %s", w, delivery > 0 && place ? place : "");
    } else {
        snprintf(when, sizeof when, "%s", app_t(a, I18N_STATUS_TBC));
    }
    const char *cons = proto_get_str(o, "consultant");
    int cardh = view_px(a, 92), gap = view_px(a, 12);
    /* Two info cards stacked; the to-do list beside them (landscape) or below (portrait). */
    struct ui_rect cards = a->lay.portrait ? layout_cut_top(&b, 2 * cardh + gap)
                                           : layout_cut_left(&b, (b.w - gap) / 2);
    view_status_info_card(a, layout_cut_top(&cards, cardh), "status.when", when_head, when);
    layout_cut_top(&cards, gap);
    view_status_info_card(a, layout_cut_top(&cards, cardh), "status.consultant",
                          I18N_STATUS_CONSULTANT, cons ? cons : app_t(a, I18N_DASH));
    if (a->lay.portrait)
        layout_cut_top(&b, gap);
    else
        layout_cut_left(&b, gap);
    /* What the customer still has to do. */
    widget_panel(a->ui, t, b, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(b, view_px(a, 12));
    widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 32)), app_t(a, I18N_STATUS_TODO),
                 view_px(a, 24), t->muted, ALIGN_LEFT);
    const cJSON *todo;
    int n = 0;
    cJSON_ArrayForEach(todo, proto_get_arr(o, "todo"))
    {
        if (!cJSON_IsString(todo) || in.h < view_px(a, 44))
            continue;
        int k = view_common_todo_key(todo->valuestring);
        char id[48];
        snprintf(id, sizeof id, "status.todo.%d", n++);
        struct ui_rect row = layout_cut_top(&in, view_px(a, 44));
        widget_dot(a->ui,
                   layout_rect(row.x, row.y + (row.h - view_px(a, 14)) / 2, view_px(a, 14),
                               view_px(a, 14)),
                   t->primary);
        row.x += view_px(a, 28);
        row.w -= view_px(a, 28);
        widget_label(a->ui, id, row, k >= 0 ? app_t(a, (enum i18n_key)k) : todo->valuestring,
                     view_px(a, 28), t->text, ALIGN_LEFT);
    }
    if (n == 0)
        widget_label(a->ui, "status.todo.0", layout_cut_top(&in, view_px(a, 44)),
                     app_t(a, I18N_TODO_NONE), view_px(a, 28), t->text, ALIGN_LEFT);
    struct ui_rect done = layout_cut_right(&nav, view_px(a, 240));
    widget_button(a->ui, t, "btn.finish", done, app_t(a, I18N_DONE), NULL, view_px(a, 32),
                  STYLE_SECONDARY);
}

void view_status_build(struct app *a)
{
    struct view_status *s = &a->st;
    switch (s->screen) {
    case ST_WALL:
        view_status_wall(a);
        break;
    case ST_ORDER:
        view_status_keypad_screen(a, I18N_STATUS_ORDER_TITLE, I18N_STATUS_ORDER_HINT, &s->order_no,
                                  "btn.next", I18N_STATUS_NEXT);
        break;
    case ST_PHONE4:
        view_status_keypad_screen(a, I18N_STATUS_PHONE4_TITLE, I18N_STATUS_PHONE4_HINT, &s->last4,
                                  "btn.search", I18N_STATUS_SEARCH);
        break;
    case ST_SEARCHING:
        view_status_centre_text(a, "status.searching", I18N_STATUS_SEARCHING);
        break;
    case ST_RESULT:
        view_status_result_screen(a);
        break;
    case ST_ERROR:
        view_status_error(a);
        break;
    }
}

static void view_status_send(struct app *a)
{
    struct view_status *s = &a->st;
    char no[ENTRY_MAX + 4];
    cJSON *args = cJSON_CreateObject();
    if (!args || entry_value(&s->order_no, no, sizeof no) != 0 ||
        !cJSON_AddStringToObject(args, "order_no", no) ||
        !cJSON_AddStringToObject(args, "phone_last4", entry_text(&s->last4))) {
        cJSON_Delete(args);
        s->screen = ST_ERROR;
        return;
    }
    /* A lookup changes nothing, so a retry may use a fresh id. */
    if (app_request(a, PROTO_T_ORDER_LOOKUP, args, NULL, s->lookup_id) != 0) {
        s->screen = ST_ERROR;
        return;
    }
    s->screen = ST_SEARCHING;
}

static void view_status_key(struct view_status *s, struct entry *e, const char *key)
{
    if (entry_key(e, key)) {
        s->error_key = -1;
        s->error_text[0] = '\0';
    }
}

void view_status_action(struct app *a, const char *id)
{
    struct view_status *s = &a->st;
    if (strcmp(id, "btn.cancel") == 0 || strcmp(id, "btn.finish") == 0) {
        view_status_reset(a);
        return;
    }
    switch (s->screen) {
    case ST_WALL:
        if (strcmp(id, "btn.lookup") == 0)
            s->screen = ST_ORDER;
        break;
    case ST_ORDER:
        if (strncmp(id, "key.", 4) == 0)
            view_status_key(s, &s->order_no, id + 4);
        else if (strcmp(id, "btn.next") == 0 && entry_state(&s->order_no) == ENTRY_VALID)
            s->screen = ST_PHONE4;
        else if (strcmp(id, "btn.back") == 0)
            view_status_reset(a);
        break;
    case ST_PHONE4:
        if (strncmp(id, "key.", 4) == 0)
            view_status_key(s, &s->last4, id + 4);
        else if (strcmp(id, "btn.search") == 0 && entry_state(&s->last4) == ENTRY_VALID)
            view_status_send(a);
        else if (strcmp(id, "btn.back") == 0) {
            entry_clear(&s->last4);
            s->error_key = -1;
            s->error_text[0] = '\0';
            s->screen = ST_ORDER;
        }
        break;
    case ST_ERROR:
        if (strcmp(id, "btn.retry") == 0)
            view_status_send(a);
        break;
    case ST_SEARCHING:
    case ST_RESULT:
        break;
    }
}

/* The wall ref of an order number: an ellipsis and its last four characters (the hub's
 * domain_order_ref), e.g. "…0005". */
static void view_status_ref(const char *order_no, char *out, size_t outsz)
{
    size_t len = strlen(order_no), start = len;
    for (int k = 0; k < 4 && start > 0; k++) {
        start--;
        while (start > 0 && ((unsigned char)order_no[start] & 0xC0) == 0x80)
            start--;
    }
    snprintf(out, outsz, "\xE2\x80\xA6%s", order_no + start);
}

void view_status_event(struct app *a, const char *kind, const cJSON *data)
{
    struct view_status *s = &a->st;
    if (s->screen != ST_RESULT || !s->order || s->refresh_id[0] ||
        entry_state(&s->last4) != ENTRY_VALID)
        return;
    const char *ref = proto_get_str(proto_get_obj(data, "wall"), "ref");
    const char *no = proto_get_str(s->order, "order_no");
    char mine[PROTO_MAX_ORDER_NO + 8];
    if (!ref || !no)
        return;
    view_status_ref(no, mine, sizeof mine);
    /* Refs are not unique (the last four characters): a lookup too many is harmless. */
    if (strcmp(ref, mine) != 0)
        return;
    cJSON *args = cJSON_CreateObject();
    if (!args || !cJSON_AddStringToObject(args, "order_no", no) ||
        !cJSON_AddStringToObject(args, "phone_last4", entry_text(&s->last4))) {
        cJSON_Delete(args);
        return;
    }
    if (app_request(a, PROTO_T_ORDER_LOOKUP, args, NULL, s->refresh_id) != 0)
        s->refresh_id[0] = '\0';
    (void)kind;
}

void view_status_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    struct view_status *s = &a->st;
    if (type == PROTO_T_ORDER_LOOKUP && s->refresh_id[0] && a->result_id &&
        strcmp(a->result_id, s->refresh_id) == 0) {
        s->refresh_id[0] = '\0';
        const cJSON *order = res && res->ok ? proto_get_obj(res->args, "order") : NULL;
        cJSON *copy = order ? cJSON_Duplicate(order, 1) : NULL;
        if (copy && s->screen == ST_RESULT) {
            /* Only a good answer replaces what is shown; otherwise the last state stays. */
            cJSON_Delete(s->order);
            s->order = copy;
        } else {
            cJSON_Delete(copy);
        }
        return;
    }
    if (type != PROTO_T_ORDER_LOOKUP || s->screen != ST_SEARCHING)
        return;
    s->lookup_id[0] = '\0';
    if (!res) {
        s->screen = ST_ERROR;
        return;
    }
    if (!res->ok) {
        view_common_set_error(&s->error_key, s->error_text, sizeof s->error_text, res);
        entry_clear(&s->last4);
        s->screen = ST_PHONE4;
        return;
    }
    const cJSON *order = proto_get_obj(res->args, "order");
    cJSON_Delete(s->order);
    s->order = order ? cJSON_Duplicate(order, 1) : NULL;
    s->screen = s->order ? ST_RESULT : ST_ERROR;
    /* The phone tail stays only while the result is shown, for the live refresh; any way
     * off the result (Done, idle) wipes it. */
    if (!s->order)
        entry_clear(&s->last4);
}

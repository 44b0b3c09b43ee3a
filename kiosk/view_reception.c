/* Reception screens (see view_reception.h). UI thread only. */
#include "view_reception.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

#define REC_DONE_MS 15000
/* How long the outcome of a call shows over the screen. */
#define REC_CALL_SENT_MS   6000
#define REC_CALL_FAILED_MS 10000

/* The masked name the hub gives a customer who never told us their name (hub/domain_mask.c):
 * the done screen then greets without a name rather than show a Chinese placeholder in
 * English. */
#define REC_NAMELESS "\xE9\xA1\xBE\xE5\xAE\xA2" /* 顾客 */

const char *view_reception_other(const struct app *a, enum i18n_key key)
{
    return i18n_get(a->i18n, a->lang == I18N_ZH ? I18N_EN : I18N_ZH, key);
}

const char *view_reception_screen(const struct app *a)
{
    static const char *const names[REC__COUNT] = {
        [REC_ATTRACT] = "reception.attract",   [REC_CONSENT] = "reception.consent",
        [REC_PHONE] = "reception.phone",       [REC_LOOKUP] = "reception.lookup",
        [REC_MODEL] = "reception.model",       [REC_SOURCE] = "reception.source",
        [REC_FIRST] = "reception.first_visit", [REC_GENDER] = "reception.gender",
        [REC_NAME] = "reception.name",         [REC_SENDING] = "reception.sending",
        [REC_DONE] = "reception.done",         [REC_ERROR] = "reception.error",
    };
    return names[a->rec.screen];
}

bool view_reception_idle(const struct app *a)
{
    return a->rec.screen == REC_ATTRACT;
}

void view_reception_reset(struct app *a)
{
    struct view_reception *r = &a->rec;
    if (r->checkin_id[0])
        app_forget(a, r->checkin_id);
    if (r->lookup_id[0])
        app_forget(a, r->lookup_id);
    entry_clear(&r->phone);
    /* the answers go with the rest: nothing a customer typed outlives a cancel or idle */
    memset(&r->ans, 0, sizeof r->ans);
    /* A call in flight or just made survives a reset: staff are still on their way, and a
     * cancel or idle reset must not reopen the rate limit. */
    struct view_rec_call call = r->call;
    memset(r, 0, sizeof *r);
    entry_init(&r->phone, ENTRY_PHONE, 11, 11);
    r->screen = REC_ATTRACT;
    r->error_key = -1;
    r->ans.first_visit = -1;
    r->call = call;
    if (r->call.state == REC_CALL_IDLE && r->call.sent_at == 0)
        r->call.error_key = -1;
}

void view_reception_tick(struct app *a)
{
    struct view_rec_call *c = &a->rec.call;
    if (a->rec.screen == REC_DONE) {
        if (a->mono >= a->rec.done_until)
            view_reception_reset(a);
        a->dirty = true; /* countdown */
    }
    if (c->notice_until && a->mono >= c->notice_until) {
        c->notice_until = 0;
        a->dirty = true;
    }
    if (c->state == REC_CALL_SENT && a->mono - c->sent_at >= REC_CALL_GAP_MS) {
        c->state = REC_CALL_IDLE; /* the button may call again */
        c->sent_at = 0;
        a->dirty = true;
    }
}

int64_t view_reception_deadline(const struct app *a)
{
    const struct view_rec_call *c = &a->rec.call;
    int64_t next = INT64_MAX;
    if (c->notice_until && c->notice_until < next)
        next = c->notice_until;
    if (c->state == REC_CALL_SENT && c->sent_at + REC_CALL_GAP_MS < next)
        next = c->sent_at + REC_CALL_GAP_MS;
    return next;
}

/* The call-staff button over r; its words say when a call is under way or was made. */
void view_reception_call_button(struct app *a, struct ui_rect r, int px)
{
    enum view_rec_call_state st = a->rec.call.state;
    enum i18n_key key = st == REC_CALL_SENDING ? I18N_REC_CALL_STAFF_CALLING
                        : st == REC_CALL_SENT  ? I18N_REC_CALL_STAFF_CALLED
                                               : I18N_REC_CALL_STAFF;
    struct widget *w = widget_button(a->ui, &a->theme, "btn.call_staff", r, app_t(a, key),
                                     view_reception_other(a, key), px, STYLE_OUTLINE);
    if (w)
        w->enabled = st != REC_CALL_SENDING;
}

/* The call's outcome, over the middle of whatever screen shows, in both languages. Not
 * tappable: the keys under it keep working, and it goes by itself. */
static void view_rec_call_notice(struct app *a)
{
    const struct theme *t = &a->theme;
    const struct view_rec_call *c = &a->rec.call;
    if (!c->notice_until || a->mono >= c->notice_until)
        return;
    char detail[400] = "";
    enum i18n_key key = I18N_REC_CALL_STAFF_CALLING;
    struct rgba edge = t->secondary; /* neutral while under way: red would read as failure */
    if (c->state == REC_CALL_SENT) {
        key = I18N_REC_CALL_STAFF_SENT;
        edge = t->ok;
    } else if (c->state == REC_CALL_FAILED) {
        key = I18N_REC_CALL_STAFF_FAILED;
        edge = t->danger;
        view_common_error_text(a, c->error_key, c->error_text, detail, sizeof detail);
    }
    /* Below the middle: the number being typed (upper left) stays in sight. */
    struct ui_rect b = a->body;
    int w = view_px(a, 820) < b.w ? view_px(a, 820) : b.w;
    int h = view_px(a, detail[0] ? 210 : 150);
    int cy = b.y + b.h * 62 / 100;
    if (cy + h / 2 > b.y + b.h)
        cy = b.y + b.h - h / 2;
    struct ui_rect card = {b.x + (b.w - w) / 2, cy - h / 2, w, h};
    widget_panel(a->ui, t, layout_inset(card, -view_px(a, 4)), edge, view_px(a, 22));
    widget_panel(a->ui, t, card, t->surface, view_px(a, 20));
    struct ui_rect in = layout_inset(card, view_px(a, 20));
    const char *glyph = c->state == REC_CALL_SENT ? "✓" : c->state == REC_CALL_FAILED ? "!" : "…";
    view_common_icon(a, layout_cut_left(&in, view_px(a, 72)), glyph, edge);
    layout_cut_left(&in, view_px(a, 20));
    widget_label(a->ui, "rec.call_notice", layout_cut_top(&in, view_px(a, 62)), app_t(a, key),
                 view_px(a, 38), t->text, ALIGN_LEFT);
    widget_label(a->ui, "rec.call_notice_other", layout_cut_top(&in, view_px(a, 44)),
                 view_reception_other(a, key), view_px(a, 26), t->muted, ALIGN_LEFT);
    if (detail[0])
        widget_para(a->ui, "rec.call_notice_detail", in, detail, view_px(a, 24), t->danger);
}

static void view_rec_attract(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    int block = view_px(a, 560);
    struct ui_rect c = layout_centre(b, b.w, block);
    widget_label(a->ui, "rec.welcome", layout_cut_top(&c, view_px(a, 100)),
                 app_t(a, I18N_REC_WELCOME), view_px(a, 76), t->text, ALIGN_CENTRE);
    widget_label(a->ui, "rec.site", layout_cut_top(&c, view_px(a, 56)), view_common_site(a),
                 view_px(a, 36), t->muted, ALIGN_CENTRE);
    layout_cut_top(&c, view_px(a, 36));
    struct ui_rect btn =
        layout_centre(layout_cut_top(&c, view_px(a, 160)), view_px(a, 460), view_px(a, 160));
    widget_button(a->ui, t, "btn.checkin", btn, app_t(a, I18N_REC_CHECKIN),
                  view_reception_other(a, I18N_REC_CHECKIN), view_px(a, 60), STYLE_PRIMARY);
    layout_cut_top(&c, view_px(a, 20));
    widget_label(a->ui, "rec.hint", layout_cut_top(&c, view_px(a, 44)),
                 app_t(a, I18N_REC_CHECKIN_HINT), view_px(a, 26), t->muted, ALIGN_CENTRE);
    layout_cut_top(&c, view_px(a, 28));
    struct ui_rect call =
        layout_centre(layout_cut_top(&c, view_px(a, 72)), view_px(a, 340), view_px(a, 72));
    view_reception_call_button(a, call, view_px(a, 28));
}

static void view_rec_consent(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    bool portrait = a->lay.portrait;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    struct ui_rect choice = nav;
    if (portrait) {
        layout_cut_bottom(&b, view_px(a, 24));
        choice = layout_cut_bottom(&b, view_px(a, 100));
    }
    layout_cut_bottom(&b, view_px(a, 24));
    struct ui_rect title = layout_cut_top(&b, view_px(a, 72));
    view_reception_call_button(a, layout_cut_right(&title, view_px(a, 260)), view_px(a, 24));
    layout_cut_right(&title, view_px(a, 20));
    widget_label(a->ui, "rec.consent_title", title, app_t(a, I18N_REC_CONSENT_TITLE),
                 view_px(a, 46), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 12));
    widget_panel(a->ui, t, b, t->surface, view_px(a, 16));
    struct ui_rect text = layout_inset(b, view_px(a, 28));
    static const enum i18n_key paras[] = {I18N_REC_CONSENT_STORE, I18N_REC_CONSENT_WHY,
                                          I18N_REC_CONSENT_PROTECT};
    int ph = text.h / 3;
    for (int i = 0; i < 3; i++) {
        char id[24];
        snprintf(id, sizeof id, "rec.consent.%d", i);
        widget_para(a->ui, id, layout_cut_top(&text, ph), app_t(a, paras[i]), view_px(a, 28),
                    t->text);
    }
    view_common_nav(a, nav, true, true);
    int aw = view_px(a, 300), dw = view_px(a, 220), gap = view_px(a, 20);
    struct ui_rect agree = layout_cut_right(&choice, aw);
    layout_cut_right(&choice, gap);
    struct ui_rect decline = layout_cut_right(&choice, dw);
    widget_button(a->ui, t, "btn.agree", agree, app_t(a, I18N_REC_AGREE), NULL, view_px(a, 32),
                  STYLE_PRIMARY);
    widget_button(a->ui, t, "btn.decline", decline, app_t(a, I18N_REC_DECLINE), NULL,
                  view_px(a, 30), STYLE_SECONDARY);
}

static void view_rec_phone(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_reception *r = &a->rec;
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
    widget_label(a->ui, "rec.phone_title", layout_cut_top(&info, view_px(a, 70)),
                 app_t(a, I18N_REC_PHONE_TITLE), view_px(a, 44), t->text, ALIGN_LEFT);
    widget_label(a->ui, "rec.phone_hint", layout_cut_top(&info, view_px(a, 44)),
                 app_t(a, I18N_REC_PHONE_HINT), view_px(a, 26), t->muted, ALIGN_LEFT);
    layout_cut_top(&info, view_px(a, 16));
    char shown[64];
    entry_display(&r->phone, false, shown, sizeof shown);
    view_common_entry_box(a, layout_cut_top(&info, view_px(a, 110)), shown,
                          app_t(a, I18N_REC_PHONE_HINT));
    layout_cut_top(&info, view_px(a, 12));
    enum entry_state st = entry_state(&r->phone);
    char msg[400] = "";
    struct rgba mc = t->danger;
    if (r->error_key >= 0 || r->error_text[0]) {
        view_common_error_text(a, r->error_key, r->error_text, msg, sizeof msg);
    } else if (st == ENTRY_INVALID) {
        snprintf(msg, sizeof msg, "%s", app_t(a, I18N_REC_PHONE_INVALID));
    } else if (st == ENTRY_VALID) {
        snprintf(msg, sizeof msg, "%s", app_t(a, I18N_REC_PHONE_OK));
        mc = t->ok;
    }
    widget_para(a->ui, "rec.phone_msg", layout_cut_top(&info, view_px(a, 76)), msg, view_px(a, 26),
                mc);
    layout_cut_top(&info, view_px(a, 12));
    struct ui_rect submit = layout_cut_top(&info, view_px(a, 100));
    submit.w = view_px(a, 380) < submit.w ? view_px(a, 380) : submit.w;
    struct widget *w = widget_button(a->ui, t, "btn.submit", submit, app_t(a, I18N_REC_NEXT), NULL,
                                     view_px(a, 38), STYLE_PRIMARY);
    if (w)
        w->enabled = st == ENTRY_VALID;
    view_common_keypad(a, view_common_keypad_rect(a, pad, view_px(a, 560)), ENTRY_PHONE);
    int cw = view_px(a, 260);
    view_reception_call_button(a, layout_cut_right(&nav, cw), view_px(a, 24));
    view_common_nav(a, nav, true, true);
}

static void view_rec_sending(struct app *a)
{
    struct ui_rect c = layout_centre(a->body, a->body.w, view_px(a, 120));
    enum i18n_key key = a->rec.screen == REC_LOOKUP ? I18N_REC_LOOKING_UP : I18N_REC_SENDING;
    widget_label(a->ui, "rec.sending", c, app_t(a, key), view_px(a, 48), a->theme.text,
                 ALIGN_CENTRE);
    /* The lookup writes nothing, so it may be abandoned; a checkin on its way may not: it
     * is answered (or times out) within APP_REQUEST_TIMEOUT_MS. */
    if (a->rec.screen == REC_LOOKUP) {
        struct ui_rect b = a->body;
        view_common_nav(a, layout_cut_bottom(&b, view_px(a, 84)), true, true);
    }
}

static void view_rec_error(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect c = layout_centre(b, b.w * 9 / 10, view_px(a, 480));
    widget_label(a->ui, "rec.error_title", layout_cut_top(&c, view_px(a, 90)),
                 app_t(a, I18N_UNREACHABLE), view_px(a, 56), t->danger, ALIGN_CENTRE);
    struct widget *w = widget_para(a->ui, "rec.error_body", layout_cut_top(&c, view_px(a, 110)),
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
    layout_cut_top(&c, view_px(a, 24));
    view_reception_call_button(
        a, layout_centre(layout_cut_top(&c, view_px(a, 72)), view_px(a, 340), view_px(a, 72)),
        view_px(a, 26));
}

static void view_rec_done(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_reception *r = &a->rec;
    struct ui_rect b = a->body;
    struct ui_rect c = layout_centre(b, b.w, view_px(a, 550));
    view_common_icon(a, layout_cut_top(&c, view_px(a, 56)), "\xE2\x9C\x93", t->ok);
    widget_label(a->ui, "rec.done_title", layout_cut_top(&c, view_px(a, 84)),
                 app_t(a, I18N_REC_DONE_TITLE), view_px(a, 56), t->text, ALIGN_CENTRE);
    char line[400];
    const char *nargs[] = {r->done_name};
    if (r->done_name[0] && strcmp(r->done_name, REC_NAMELESS) != 0)
        i18n_format(line, sizeof line, app_t(a, I18N_REC_DONE_GREETING), nargs, 1);
    else
        snprintf(line, sizeof line, "%s", app_t(a, I18N_REC_DONE_GREETING_ANON));
    widget_label(a->ui, "rec.done_greeting", layout_cut_top(&c, view_px(a, 60)), line,
                 view_px(a, 36), t->text, ALIGN_CENTRE);
    if (r->done_consultant[0]) {
        const char *cargs[] = {r->done_consultant};
        i18n_format(line, sizeof line, app_t(a, I18N_REC_DONE_CONSULTANT), cargs, 1);
    } else {
        snprintf(line, sizeof line, "%s", app_t(a, I18N_REC_DONE_NO_CONSULTANT));
    }
    widget_label(a->ui, "rec.done_consultant", layout_cut_top(&c, view_px(a, 60)), line,
                 view_px(a, 34), t->primary, ALIGN_CENTRE);
    layout_cut_top(&c, view_px(a, 16));
    /* Two cards: queue position and estimated wait. */
    struct ui_rect cards =
        layout_centre(layout_cut_top(&c, view_px(a, 130)), view_px(a, 620), view_px(a, 130));
    char qv[32], wv[64], n[16];
    snprintf(n, sizeof n, "%d", r->queue_position);
    const char *qa[] = {n};
    i18n_format(qv, sizeof qv, app_t(a, I18N_REC_DONE_QUEUE_VALUE), qa, 1);
    char m[16];
    snprintf(m, sizeof m, "%d", r->wait_min);
    const char *wa[] = {m};
    i18n_format(wv, sizeof wv, app_t(a, I18N_REC_DONE_WAIT_VALUE), wa, 1);
    const char *heads[] = {app_t(a, I18N_REC_DONE_QUEUE), app_t(a, I18N_REC_DONE_WAIT)};
    const char *vals[] = {qv, wv};
    const char *ids[] = {"rec.done_queue", "rec.done_wait"};
    for (int i = 0; i < 2; i++) {
        struct ui_rect card = layout_cell(cards, 2, 1, view_px(a, 30), i);
        widget_panel(a->ui, t, card, t->surface, view_px(a, 16));
        struct ui_rect in = layout_inset(card, view_px(a, 16));
        widget_label(a->ui, "", layout_cut_top(&in, in.h * 4 / 10), heads[i], view_px(a, 24),
                     t->muted, ALIGN_CENTRE);
        widget_label(a->ui, ids[i], in, vals[i], view_px(a, 44), t->text, ALIGN_CENTRE);
    }
    layout_cut_top(&c, view_px(a, 20));
    struct ui_rect row = layout_cut_top(&c, view_px(a, 80));
    int64_t left = (r->done_until - a->mono + 999) / 1000;
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)(left > 0 ? left : 0));
    const char *sa[] = {s};
    i18n_format(line, sizeof line, app_t(a, I18N_REC_DONE_RETURN), sa, 1);
    /* Done and call staff side by side: a customer still waiting may want someone now */
    struct ui_rect pair = layout_centre(row, view_px(a, 640), view_px(a, 80));
    widget_button(a->ui, t, "btn.finish", layout_cut_left(&pair, view_px(a, 260)),
                  app_t(a, I18N_DONE), NULL, view_px(a, 32), STYLE_SECONDARY);
    layout_cut_left(&pair, view_px(a, 40));
    view_reception_call_button(a, pair, view_px(a, 26));
    widget_label(a->ui, "rec.done_return", layout_cut_top(&c, view_px(a, 40)), line, view_px(a, 22),
                 t->muted, ALIGN_CENTRE);
}

void view_reception_build(struct app *a)
{
    switch (a->rec.screen) {
    case REC_ATTRACT:
        view_rec_attract(a);
        break;
    case REC_CONSENT:
        view_rec_consent(a);
        break;
    case REC_PHONE:
        view_rec_phone(a);
        break;
    case REC_LOOKUP:
    case REC_SENDING:
        view_rec_sending(a);
        break;
    case REC_MODEL:
    case REC_SOURCE:
    case REC_FIRST:
    case REC_GENDER:
    case REC_NAME:
        view_reception_ask_build(a);
        break;
    case REC__COUNT:
        break;
    case REC_DONE:
        view_rec_done(a);
        break;
    case REC_ERROR:
        view_rec_error(a);
        break;
    }
    view_rec_call_notice(a);
}

/* The checkin args: the phone and consent, and a new customer's answers that were given.
 * NULL when out of memory. */
static cJSON *view_rec_checkin_args(const struct view_reception *r)
{
    const struct view_rec_answers *q = &r->ans;
    cJSON *args = cJSON_CreateObject();
    bool ok = args && cJSON_AddStringToObject(args, "phone", entry_text(&r->phone)) &&
              cJSON_AddBoolToObject(args, "consent", 1);
    if (ok && r->ask) {
        if (q->model[0])
            ok = ok && cJSON_AddStringToObject(args, "model", q->model);
        if (q->source[0])
            ok = ok && cJSON_AddStringToObject(args, "source", q->source);
        if (q->first_visit >= 0)
            ok = ok && cJSON_AddBoolToObject(args, "first_visit", q->first_visit);
        if (q->gender != REC_GENDER_UNSET)
            ok = ok && cJSON_AddStringToObject(args, "gender",
                                               q->gender == REC_GENDER_MALE ? "male" : "female");
        if (q->name[0])
            ok = ok && cJSON_AddStringToObject(args, "name", q->name);
    }
    if (!ok) {
        cJSON_Delete(args);
        return NULL;
    }
    return args;
}

void view_reception_send(struct app *a)
{
    struct view_reception *r = &a->rec;
    cJSON *args = view_rec_checkin_args(r);
    r->error_lookup = false;
    if (!args || app_request(a, PROTO_T_CHECKIN, args, r->checkin_id[0] ? r->checkin_id : NULL,
                             r->checkin_id) != 0) {
        r->screen = REC_ERROR;
        return;
    }
    r->screen = REC_SENDING;
}

/* Asks the hub which path this number takes (a read: a fresh id each time). */
static void view_rec_lookup(struct app *a)
{
    struct view_reception *r = &a->rec;
    cJSON *args = cJSON_CreateObject();
    r->error_lookup = true;
    if (!args || !cJSON_AddStringToObject(args, "phone", entry_text(&r->phone))) {
        cJSON_Delete(args);
        r->screen = REC_ERROR;
        return;
    }
    if (app_request(a, PROTO_T_CHECKIN_LOOKUP, args, NULL, r->lookup_id) != 0) {
        r->screen = REC_ERROR;
        return;
    }
    r->screen = REC_LOOKUP;
}

/* The call-staff button: one call_staff per REC_CALL_GAP_MS; the screen and what was typed
 * stay as they are. */
static void view_rec_call(struct app *a)
{
    struct view_rec_call *c = &a->rec.call;
    if (c->state == REC_CALL_SENDING)
        return;
    if (c->state == REC_CALL_SENT && a->mono - c->sent_at < REC_CALL_GAP_MS) {
        c->notice_until = a->mono + REC_CALL_SENT_MS; /* already called: say so again */
        return;
    }
    /* A fresh id each time: a call is not a customer record, and a second call after the
     * gap is meant to notify staff again. */
    c->error_key = -1;
    c->error_text[0] = '\0';
    if (app_request(a, PROTO_T_CALL_STAFF, cJSON_CreateObject(), NULL, c->id) != 0) {
        c->state = REC_CALL_FAILED;
        c->error_key = I18N_UNREACHABLE;
        c->sent_at = 0;
        c->notice_until = a->mono + REC_CALL_FAILED_MS;
        return;
    }
    c->state = REC_CALL_SENDING;
    c->sent_at = a->mono;
    c->notice_until = a->mono + APP_REQUEST_TIMEOUT_MS;
}

static void view_rec_call_result(struct app *a, const struct proto_msg *res)
{
    struct view_rec_call *c = &a->rec.call;
    if (c->state != REC_CALL_SENDING || !a->result_id || strcmp(a->result_id, c->id) != 0)
        return;
    if (res && res->ok) {
        c->state = REC_CALL_SENT;
        c->notice_until = a->mono + REC_CALL_SENT_MS;
        return;
    }
    /* No answer or an error: staff were not told, so the next tap may try again. */
    view_common_set_error(&c->error_key, c->error_text, sizeof c->error_text, res);
    c->state = REC_CALL_FAILED;
    c->sent_at = 0;
    c->notice_until = a->mono + REC_CALL_FAILED_MS;
}

static void view_rec_clear_error(struct view_reception *r)
{
    r->error_key = -1;
    r->error_text[0] = '\0';
}

void view_reception_action(struct app *a, const char *id)
{
    struct view_reception *r = &a->rec;
    if (strcmp(id, "btn.call_staff") == 0) {
        view_rec_call(a);
        return;
    }
    if (strcmp(id, "btn.cancel") == 0 || strcmp(id, "btn.finish") == 0) {
        view_reception_reset(a);
        return;
    }
    switch (r->screen) {
    case REC_ATTRACT:
        if (strcmp(id, "btn.checkin") == 0)
            r->screen = REC_CONSENT;
        break;
    case REC_CONSENT:
        if (strcmp(id, "btn.agree") == 0)
            r->screen = REC_PHONE;
        else if (strcmp(id, "btn.decline") == 0 || strcmp(id, "btn.back") == 0)
            view_reception_reset(a);
        break;
    case REC_PHONE:
        if (strncmp(id, "key.", 4) == 0) {
            if (entry_key(&r->phone, id + 4)) {
                view_rec_clear_error(r);
                r->checkin_id[0] = '\0'; /* a different number is a different command */
            }
        } else if (strcmp(id, "btn.submit") == 0) {
            if (entry_state(&r->phone) == ENTRY_VALID) {
                view_rec_clear_error(r);
                view_rec_lookup(a);
            }
        } else if (strcmp(id, "btn.back") == 0) {
            entry_clear(&r->phone);
            view_rec_clear_error(r);
            r->screen = REC_CONSENT;
        }
        break;
    case REC_ERROR:
        if (strcmp(id, "btn.retry") != 0)
            break;
        if (r->error_lookup)
            view_rec_lookup(a);
        else
            view_reception_send(a);
        break;
    case REC_MODEL:
    case REC_SOURCE:
    case REC_FIRST:
    case REC_GENDER:
    case REC_NAME:
        view_reception_ask_action(a, id);
        break;
    case REC_LOOKUP:
        if (strcmp(id, "btn.back") == 0) {
            app_forget(a, r->lookup_id);
            r->lookup_id[0] = '\0';
            r->screen = REC_PHONE;
        }
        break;
    case REC_SENDING:
    case REC_DONE:
    case REC__COUNT:
        break;
    }
}

/* The lookup's answer: a new customer gets the questions (from the first, or where they left
 * them when they came back to fix the number); anyone else is checked in at once. */
static void view_rec_lookup_result(struct app *a, const struct proto_msg *res)
{
    struct view_reception *r = &a->rec;
    if (r->screen != REC_LOOKUP || !a->result_id || strcmp(a->result_id, r->lookup_id) != 0)
        return;
    r->lookup_id[0] = '\0';
    if (!res) {
        r->screen = REC_ERROR; /* error_lookup is set: Retry asks again */
        return;
    }
    if (!res->ok) {
        view_common_set_error(&r->error_key, r->error_text, sizeof r->error_text, res);
        r->screen = REC_PHONE;
        return;
    }
    const char *path = proto_get_str(res->args, "path");
    bool here = proto_get_bool(res->args, "already_checked_in", false);
    r->ask = !here && path && strcmp(path, "new") == 0;
    if (r->ask)
        r->screen = REC_MODEL;
    else
        view_reception_send(a);
}

void view_reception_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    struct view_reception *r = &a->rec;
    if (type == PROTO_T_CALL_STAFF) {
        view_rec_call_result(a, res);
        return;
    }
    if (type == PROTO_T_CHECKIN_LOOKUP) {
        view_rec_lookup_result(a, res);
        return;
    }
    if (type != PROTO_T_CHECKIN || r->screen != REC_SENDING)
        return;
    if (!res) {
        r->screen = REC_ERROR; /* keep checkin_id: Retry resends the same command */
        return;
    }
    if (!res->ok) {
        view_common_set_error(&r->error_key, r->error_text, sizeof r->error_text, res);
        r->checkin_id[0] = '\0';
        r->screen = res->error.code == PROTO_E_CONSENT_REQUIRED ? REC_CONSENT : REC_PHONE;
        return;
    }
    const cJSON *d = res->args;
    const char *name = proto_get_str(proto_get_obj(d, "customer"), "name");
    const char *cons = proto_get_str(proto_get_obj(d, "consultant"), "name");
    snprintf(r->done_name, sizeof r->done_name, "%s", name ? name : "");
    snprintf(r->done_consultant, sizeof r->done_consultant, "%s", cons ? cons : "");
    r->queue_position = (int)proto_get_int(d, "queue_position", 1);
    r->wait_min = (int)proto_get_int(d, "estimated_wait_min", 1);
    /* The number was sent; do not keep it around while the done screen shows. */
    entry_clear(&r->phone);
    r->checkin_id[0] = '\0';
    r->done_until = a->mono + REC_DONE_MS;
    r->screen = REC_DONE;
}

/* The sign-off screens: checklist, summary, signature, rating and comment, the submit
 * through the offline queue, and its outcome (see view_delivery.h). UI thread only. */
#include "view_delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "signq.h"
#include "view_common.h"
#include "widget_keyboard.h"

/* Protocol v1's order_deliver has no complaint field: a complaint is recorded in the
 * comment behind this marker, which the service desk can search for. Data, not UI text. */
#define DL_COMPLAINT_MARKER "[complaint] "
/* Headroom under the 64 KiB frame for the envelope around the args. */
#define DL_FRAME_HEADROOM 512

static const enum i18n_key view_delivery_check_keys[DL_CHECK_N] = {
    I18N_CHECK_VEHICLE_CLEAN, I18N_CHECK_INVOICE,     I18N_CHECK_COC,       I18N_CHECK_WARRANTY,
    I18N_CHECK_KEYS,          I18N_CHECK_ACCESSORIES, I18N_CHECK_EXPLAINED,
};

static const enum i18n_key view_delivery_rating_keys[5] = {
    I18N_RATING_1, I18N_RATING_2, I18N_RATING_3, I18N_RATING_4, I18N_RATING_5,
};

void view_delivery_signoff_wipe(struct app *a)
{
    struct view_delivery *d = &a->dl;
    cJSON_Delete(d->order);
    d->order = NULL;
    d->order_no[0] = '\0';
    memset(d->check, 0, sizeof d->check);
    widget_signature_clear(&d->sig, 1, 1);
    d->sig_msg_key = -1;
    d->rating = 0;
    memset(d->comment, 0, sizeof d->comment);
    d->complaint = false;
    d->kb_shift = false;
    d->submit_id[0] = '\0';
    d->submit_sent = false;
}

void view_delivery_signoff_begin(struct app *a, const cJSON *order)
{
    struct view_delivery *d = &a->dl;
    cJSON_Delete(d->order);
    d->order = cJSON_Duplicate(order, 1);
    if (!d->order) {
        d->screen = DL_STAFF;
        return;
    }
    memset(d->check, 0, sizeof d->check);
    widget_signature_clear(&d->sig, 1, 1);
    d->screen = DL_CHECKLIST;
}

static const char *view_delivery_str(const cJSON *o, const char *key)
{
    const char *s = proto_get_str(o, key);
    return s ? s : "";
}

/* The order's model name: StaffOrder carries {"code","name"}; fall back to the code. */
static const char *view_delivery_model(const struct app *a)
{
    const cJSON *m = proto_get_obj(a->dl.order, "model");
    const char *name = proto_get_str(m, a->lang == I18N_EN ? "name_en" : "name");
    if (!name || !name[0])
        name = proto_get_str(m, "name");
    if (name && name[0])
        return name;
    const char *code = proto_get_str(m, "code");
    return code ? model_model_name(a->model, code, a->lang == I18N_EN)
                : view_delivery_str(a->dl.order, "model");
}

/* "SF2611-0005  刘芳" and "星河 7 珍珠白 · VIN ..." on top of r (cut off it). */
static void view_delivery_order_head(struct app *a, struct ui_rect *r)
{
    const struct theme *t = &a->theme;
    const cJSON *o = a->dl.order;
    char top[300], sub[300];
    snprintf(top, sizeof top, "%s  %s", view_delivery_str(o, "order_no"),
             view_delivery_str(proto_get_obj(o, "customer"), "name"));
    const char *vin = proto_get_str(o, "vin");
    const char *args[] = {vin ? vin : app_t(a, I18N_DASH)};
    char vin_text[96];
    i18n_format(vin_text, sizeof vin_text, app_t(a, I18N_DELIVERY_VIN), args, 1);
    snprintf(sub, sizeof sub, "%s %s  \xC2\xB7  %s", view_delivery_model(a),
             view_delivery_str(o, "colour"), vin_text);
    widget_label(a->ui, "delivery.order_title", layout_cut_top(r, view_px(a, 52)), top,
                 view_px(a, 36), t->text, ALIGN_LEFT);
    widget_label(a->ui, "delivery.order_sub", layout_cut_top(r, view_px(a, 36)), sub,
                 view_px(a, 24), t->muted, ALIGN_LEFT);
    layout_cut_top(r, view_px(a, 12));
}

/* Back, Cancel on the left of r and the screen's forward button on the right. */
static struct widget *view_delivery_nav(struct app *a, struct ui_rect r, bool back,
                                        const char *next_id, enum i18n_key next)
{
    /* Back and Cancel keep their size; the forward button takes what is left, up to 300. */
    int room = r.w - view_px(a, back ? 440 : 220);
    struct ui_rect go = layout_cut_right(&r, room < view_px(a, 300) ? room : view_px(a, 300));
    layout_cut_right(&r, view_px(a, 20));
    view_common_nav(a, r, back, true);
    if (!next_id)
        return NULL;
    return widget_button(a->ui, &a->theme, next_id, go, app_t(a, next), NULL, view_px(a, 32),
                         STYLE_PRIMARY);
}

/* The accessories text: the order's special requests, or "none ordered". */
static const char *view_delivery_accessories(const struct app *a)
{
    const char *s = proto_get_str(a->dl.order, "special_requests");
    return s && s[0] ? s : app_t(a, I18N_DELIVERY_NO_ACCESSORIES);
}

static void view_delivery_checklist(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 16));
    view_delivery_order_head(a, &b);
    int gap = view_px(a, 16);
    struct ui_rect info =
        a->lay.portrait ? layout_cut_top(&b, view_px(a, 230)) : layout_cut_left(&b, b.w * 34 / 100);
    if (a->lay.portrait)
        layout_cut_top(&b, gap);
    else
        layout_cut_left(&b, gap);
    /* What was ordered with the car, and when and where it is handed over. */
    widget_panel(a->ui, t, info, t->surface, view_px(a, 14));
    struct ui_rect in = layout_inset(info, view_px(a, 16));
    widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 32)),
                 app_t(a, I18N_DELIVERY_ACCESSORIES), view_px(a, 22), t->muted, ALIGN_LEFT);
    widget_para(a->ui, "delivery.accessories", layout_cut_top(&in, in.h * 6 / 10),
                view_delivery_accessories(a), view_px(a, 24), t->text);
    char when[32] = "", line[200];
    int64_t at = proto_get_int(d->order, "delivery_at", 0);
    if (at > 0)
        view_common_when(a, at, when, sizeof when);
    snprintf(line, sizeof line, "%s  %s", when, view_delivery_str(d->order, "delivery_place"));
    widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 30)), app_t(a, I18N_STATUS_DELIVERY),
                 view_px(a, 22), t->muted, ALIGN_LEFT);
    widget_label(a->ui, "delivery.when", layout_cut_top(&in, view_px(a, 36)), line, view_px(a, 24),
                 t->text, ALIGN_LEFT);

    /* The checklist: one large row per item, tapped on and off. */
    int rowgap = view_px(a, 10);
    int rowh = (b.h - rowgap * (DL_CHECK_N - 1)) / DL_CHECK_N;
    if (rowh > view_px(a, 90))
        rowh = view_px(a, 90);
    bool all = true;
    for (int i = 0; i < DL_CHECK_N; i++) {
        struct ui_rect row = layout_cut_top(&b, rowh);
        layout_cut_top(&b, rowgap);
        char id[WIDGET_ID_MAX], text[400];
        snprintf(id, sizeof id, "check.%s", view_delivery_checks[i]);
        /* A mark and a word as well as a colour: ticked reads without colour vision. */
        const char *label = app_t(a, view_delivery_check_keys[i]);
        if (i == 5) {
            const char *args[] = {view_delivery_accessories(a)};
            char acc[300];
            i18n_format(acc, sizeof acc, label, args, 1);
            snprintf(text, sizeof text, "%s  %s", d->check[i] ? "\xE2\x9C\x93" : "\xE2\x97\x8B",
                     acc);
        } else {
            snprintf(text, sizeof text, "%s  %s", d->check[i] ? "\xE2\x9C\x93" : "\xE2\x97\x8B",
                     label);
        }
        int px = rowh * 46 / 100 < view_px(a, 28) ? rowh * 46 / 100 : view_px(a, 28);
        struct widget *w = widget_button(a->ui, t, id, row, text, NULL, px,
                                         d->check[i] ? STYLE_SECONDARY : STYLE_OUTLINE);
        if (w) {
            w->align = ALIGN_LEFT;
            if (d->check[i]) {
                w->bg = t->ok;
                w->border = t->ok;
            }
        }
        all = all && d->check[i];
    }
    struct widget *next = view_delivery_nav(a, nav, true, "btn.next", I18N_STATUS_NEXT);
    if (next)
        next->enabled = all;
}

/* One "label: value" line of the summary. */
static void view_delivery_summary_row(struct app *a, struct ui_rect *r, const char *id,
                                      enum i18n_key head, const char *value, int rowh)
{
    const struct theme *t = &a->theme;
    struct ui_rect row = layout_cut_top(r, rowh);
    struct ui_rect l = layout_cut_left(&row, view_px(a, a->lay.portrait ? 200 : 230));
    widget_label(a->ui, "", l, app_t(a, head), view_px(a, 24), t->muted, ALIGN_LEFT);
    widget_label(a->ui, id, row, value, view_px(a, 28), t->text, ALIGN_LEFT);
}

static void view_delivery_summary(struct app *a)
{
    const struct theme *t = &a->theme;
    const cJSON *o = a->dl.order;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 16));
    widget_label(a->ui, "delivery.summary_title", layout_cut_top(&b, view_px(a, 60)),
                 app_t(a, I18N_DELIVERY_SUMMARY_TITLE), view_px(a, 40), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 8));
    widget_panel(a->ui, t, b, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(b, view_px(a, 24));
    int rowh = view_px(a, a->lay.portrait ? 56 : 48);
    /* Landscape: two columns of four facts, the statement under both. */
    struct ui_rect col2 = in;
    if (!a->lay.portrait) {
        struct ui_rect both = layout_cut_top(&in, rowh * 4);
        struct ui_rect left = layout_cut_left(&both, both.w / 2);
        col2 = both;
        layout_cut_left(&col2, view_px(a, 16));
        in = left;
    }
    char model[200], when[200], w[32] = "";
    snprintf(model, sizeof model, "%s  %s", view_delivery_model(a), view_delivery_str(o, "colour"));
    int64_t at = proto_get_int(o, "delivery_at", 0);
    if (at > 0)
        view_common_when(a, at, w, sizeof w);
    snprintf(when, sizeof when, "%s  %s", w, view_delivery_str(o, "delivery_place"));
    view_delivery_summary_row(a, &in, "summary.order_no", I18N_STATUS_ORDER_NO,
                              view_delivery_str(o, "order_no"), rowh);
    view_delivery_summary_row(a, &in, "summary.customer", I18N_DELIVERY_CUSTOMER,
                              view_delivery_str(proto_get_obj(o, "customer"), "name"), rowh);
    view_delivery_summary_row(a, &in, "summary.model", I18N_STATUS_MODEL, model, rowh);
    const char *vin = proto_get_str(o, "vin");
    view_delivery_summary_row(a, &in, "summary.vin", I18N_DELIVERY_VIN_HEAD,
                              vin ? vin : app_t(a, I18N_DASH), rowh);
    struct ui_rect *c2 = a->lay.portrait ? &in : &col2;
    view_delivery_summary_row(a, c2, "summary.when", I18N_STATUS_DELIVERY, when, rowh);
    view_delivery_summary_row(a, c2, "summary.accessories", I18N_DELIVERY_ACCESSORIES,
                              view_delivery_accessories(a), rowh);
    view_delivery_summary_row(a, c2, "summary.consultant", I18N_STATUS_CONSULTANT, a->dl.staff_name,
                              rowh);
    char checks[200], n[8];
    snprintf(n, sizeof n, "%d", DL_CHECK_N);
    const char *args[] = {n};
    i18n_format(checks, sizeof checks, app_t(a, I18N_DELIVERY_CHECKS_DONE), args, 1);
    view_delivery_summary_row(a, c2, "summary.checks", I18N_DELIVERY_CHECKLIST, checks, rowh);
    struct ui_rect st = layout_inset(b, view_px(a, 24));
    if (!a->lay.portrait)
        layout_cut_top(&st, rowh * 4);
    else
        st = in;
    layout_cut_top(&st, view_px(a, 16));
    widget_panel(a->ui, t, layout_cut_top(&st, view_px(a, 2)), t->border, 0);
    layout_cut_top(&st, view_px(a, 14));
    widget_para(a->ui, "delivery.summary_statement", st, app_t(a, I18N_DELIVERY_STATEMENT),
                view_px(a, 24), t->text);
    view_delivery_nav(a, nav, true, "btn.sign", I18N_DELIVERY_TO_SIGN);
}

static void view_delivery_sign(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 16));
    widget_label(a->ui, "delivery.sign_title", layout_cut_top(&b, view_px(a, 56)),
                 app_t(a, I18N_DELIVERY_SIGN_TITLE), view_px(a, 38), t->text, ALIGN_LEFT);
    struct ui_rect tools = layout_cut_bottom(&b, view_px(a, 80));
    layout_cut_bottom(&b, view_px(a, 12));
    /* The pad: as wide as the screen allows at about 2.5 : 1 (portrait 5 : 3), like a
     * signing line. */
    int pw = b.w, ph = a->lay.portrait ? b.w * 3 / 5 : b.w * 2 / 5;
    if (ph > b.h) {
        ph = b.h;
        pw = ph * 5 / 2 < b.w ? ph * 5 / 2 : b.w;
    }
    struct ui_rect pad = layout_centre(b, pw, ph);
    if (d->sig.npoints == 0 && (d->sig.w != pad.w || d->sig.h != pad.h))
        widget_signature_clear(&d->sig, pad.w, pad.h);
    widget_signature_pad(a->ui, t, "sig.pad", pad, &d->sig);
    struct ui_rect clear = layout_cut_left(&tools, view_px(a, 220));
    layout_cut_left(&tools, view_px(a, 16));
    struct ui_rect undo = layout_cut_left(&tools, view_px(a, 220));
    layout_cut_left(&tools, view_px(a, 16));
    struct widget *w = widget_button(a->ui, t, "btn.sig_clear", clear, app_t(a, I18N_SIG_CLEAR),
                                     NULL, view_px(a, 28), STYLE_OUTLINE);
    if (w)
        w->enabled = d->sig.npoints > 0;
    w = widget_button(a->ui, t, "btn.sig_undo", undo, app_t(a, I18N_SIG_UNDO), NULL, view_px(a, 28),
                      STYLE_OUTLINE);
    if (w)
        w->enabled = d->sig.nstrokes > 0;
    int key = d->sig_msg_key >= 0 ? d->sig_msg_key : d->sig.full ? I18N_SIG_FULL : -1;
    if (key >= 0)
        widget_para(a->ui, "delivery.sig_msg", tools, app_t(a, (enum i18n_key)key), view_px(a, 24),
                    t->danger);
    view_delivery_nav(a, nav, true, "btn.next", I18N_STATUS_NEXT);
}

static void view_delivery_rating(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 16));
    widget_label(a->ui, "delivery.rating_title", layout_cut_top(&b, view_px(a, 60)),
                 app_t(a, I18N_RATING_TITLE), view_px(a, 38), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 12));
    struct ui_rect stars = layout_cut_top(&b, view_px(a, 130));
    int gap = view_px(a, 14);
    for (int i = 0; i < 5; i++) {
        char id[16], text[32];
        snprintf(id, sizeof id, "rate.%d", i + 1);
        bool sel = d->rating == i + 1;
        /* the number, a star and a word: the choice reads without colour */
        snprintf(text, sizeof text, "%s%d \xE2\x98\x85", sel ? "\xE2\x9C\x93 " : "", i + 1);
        widget_button(a->ui, t, id, layout_cell(stars, 5, 1, gap, i), text,
                      app_t(a, view_delivery_rating_keys[i]), view_px(a, 34),
                      sel ? STYLE_PRIMARY : STYLE_OUTLINE);
    }
    layout_cut_top(&b, view_px(a, 24));
    widget_label(a->ui, "", layout_cut_top(&b, view_px(a, 34)), app_t(a, I18N_COMMENT_HEAD),
                 view_px(a, 24), t->muted, ALIGN_LEFT);
    struct ui_rect cbox = layout_cut_top(&b, view_px(a, 90));
    struct widget *w = widget_button(a->ui, t, "btn.comment", cbox,
                                     d->comment[0] ? d->comment : app_t(a, I18N_COMMENT_HINT), NULL,
                                     view_px(a, 26), STYLE_OUTLINE);
    if (w) {
        w->align = ALIGN_LEFT;
        if (!d->comment[0])
            w->fg = t->muted;
    }
    layout_cut_top(&b, view_px(a, 20));
    struct ui_rect crow = layout_cut_top(&b, view_px(a, 84));
    char ctext[200];
    snprintf(ctext, sizeof ctext, "%s  %s", d->complaint ? "\xE2\x9C\x93" : "\xE2\x97\x8B",
             app_t(a, I18N_COMPLAINT_TOGGLE));
    struct ui_rect cbtn =
        layout_cut_left(&crow, crow.w < view_px(a, 520) ? crow.w : view_px(a, 520));
    w = widget_button(a->ui, t, "btn.complaint", cbtn, ctext, NULL, view_px(a, 28),
                      d->complaint ? STYLE_SECONDARY : STYLE_OUTLINE);
    if (w) {
        w->align = ALIGN_LEFT;
        if (d->complaint) {
            w->bg = t->warn;
            w->border = t->warn;
        }
    }
    layout_cut_left(&crow, view_px(a, 16));
    if (d->complaint)
        widget_para(a->ui, "delivery.complaint_note", crow, app_t(a, I18N_COMPLAINT_NOTE),
                    view_px(a, 22), t->text);
    view_delivery_nav(a, nav, true, "btn.submit", I18N_DELIVERY_SUBMIT);
}

static void view_delivery_comment(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 16));
    widget_label(a->ui, "delivery.comment_title", layout_cut_top(&b, view_px(a, 50)),
                 app_t(a, I18N_COMMENT_HEAD), view_px(a, 34), t->text, ALIGN_LEFT);
    struct ui_rect box = layout_cut_top(&b, view_px(a, 120));
    layout_cut_top(&b, view_px(a, 16));
    widget_panel(a->ui, t, box, t->surface, view_px(a, 12));
    char shown[sizeof d->comment + 8];
    snprintf(shown, sizeof shown, "%s|", d->comment); /* the caret */
    widget_para(a->ui, "delivery.comment_text", layout_inset(box, view_px(a, 14)), shown,
                view_px(a, 28), t->text);
    int kw = b.w, kh = b.w * 5 / 12;
    if (kh > b.h) {
        kh = b.h;
        kw = kh * 12 / 5 < b.w ? kh * 12 / 5 : b.w;
    }
    widget_keyboard(a->ui, t, layout_centre(b, kw, kh), d->kb_shift, app_t(a, I18N_KB_SPACE),
                    app_t(a, I18N_KEY_DEL), app_t(a, I18N_DONE));
    view_common_nav(a, nav, true, false);
}

static void view_delivery_done(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_delivery *d = &a->dl;
    static const enum i18n_key titles[] = {I18N_DONE_DELIVERED, I18N_DONE_QUEUED, I18N_DONE_FAILED,
                                           I18N_DONE_UNSAVED};
    static const enum i18n_key bodies[] = {I18N_DONE_DELIVERED_BODY, I18N_DONE_QUEUED_BODY,
                                           I18N_DONE_FAILED_BODY, I18N_DONE_UNSAVED_BODY};
    static const char *const icons[] = {"\xE2\x9C\x93", "\xE2\x86\xBB", "!", "!"};
    struct rgba colours[] = {t->ok, t->warn, t->danger, t->danger};
    struct ui_rect c = layout_centre(a->body, a->body.w * 9 / 10, view_px(a, 480));
    struct ui_rect icon =
        layout_centre(layout_cut_top(&c, view_px(a, 110)), view_px(a, 100), view_px(a, 100));
    view_common_icon(a, icon, icons[d->outcome], colours[d->outcome]);
    widget_label(a->ui, "delivery.done_title", layout_cut_top(&c, view_px(a, 80)),
                 app_t(a, titles[d->outcome]), view_px(a, 48), colours[d->outcome], ALIGN_CENTRE);
    char body[800];
    const char *args[] = {d->order_no, d->error_text};
    i18n_format(body, sizeof body, app_t(a, bodies[d->outcome]), args, 2);
    struct widget *w = widget_para(a->ui, "delivery.done_body", layout_cut_top(&c, view_px(a, 150)),
                                   body, view_px(a, 28), t->text);
    if (w)
        w->align = ALIGN_CENTRE;
    layout_cut_top(&c, view_px(a, 20));
    struct ui_rect row = layout_cut_top(&c, view_px(a, 96));
    if (d->outcome == DL_OUT_UNSAVED) {
        row = layout_centre(row, view_px(a, 580), view_px(a, 96));
        widget_button(a->ui, t, "btn.retry", layout_cut_left(&row, view_px(a, 320)),
                      app_t(a, I18N_RETRY), NULL, view_px(a, 34), STYLE_PRIMARY);
        layout_cut_left(&row, view_px(a, 40));
        widget_button(a->ui, t, "btn.finish", row, app_t(a, I18N_DONE), NULL, view_px(a, 30),
                      STYLE_OUTLINE);
    } else {
        widget_button(a->ui, t, "btn.finish", layout_centre(row, view_px(a, 320), view_px(a, 96)),
                      app_t(a, I18N_DONE), NULL, view_px(a, 34), STYLE_PRIMARY);
    }
}

void view_delivery_signoff_build(struct app *a)
{
    switch (a->dl.screen) {
    case DL_CHECKLIST:
        view_delivery_checklist(a);
        break;
    case DL_SUMMARY:
        view_delivery_summary(a);
        break;
    case DL_SIGN:
        view_delivery_sign(a);
        break;
    case DL_RATING:
        view_delivery_rating(a);
        break;
    case DL_COMMENT:
        view_delivery_comment(a);
        break;
    case DL_SUBMITTING:
        view_delivery_list_wait(a, "delivery.submitting", I18N_DELIVERY_SUBMITTING);
        break;
    case DL_DONE:
        view_delivery_done(a);
        break;
    default:
        break;
    }
}

/* order_deliver's args for the sign-off on screen; the same state always gives the same
 * args, so a retry with the same id is the same command. NULL on failure. */
static cJSON *view_delivery_signoff_args(struct app *a)
{
    struct view_delivery *d = &a->dl;
    unsigned char *png = NULL;
    size_t len = 0;
    char hash[65];
    if (widget_signature_png(&d->sig, &png, &len) != 0)
        return NULL;
    widget_signature_sha256_hex(png, len, hash);
    free(png);
    cJSON *args = cJSON_CreateObject();
    cJSON *checklist = cJSON_AddObjectToObject(args, "checklist");
    cJSON *sig = widget_signature_json(&d->sig, hash);
    if (!checklist || !sig || !cJSON_AddItemToObject(args, "signature", sig)) {
        cJSON_Delete(sig);
        goto fail;
    }
    if (!cJSON_AddStringToObject(args, "order_no", d->order_no))
        goto fail;
    for (int i = 0; i < DL_CHECK_N; i++)
        if (!cJSON_AddBoolToObject(checklist, view_delivery_checks[i], d->check[i]))
            goto fail;
    if (d->rating > 0 && !cJSON_AddNumberToObject(args, "rating", d->rating))
        goto fail;
    if (d->complaint || d->comment[0]) {
        char comment[PROTO_MAX_TEXT + 1];
        snprintf(comment, sizeof comment, "%s%s", d->complaint ? DL_COMPLAINT_MARKER : "",
                 d->comment);
        if (!cJSON_AddStringToObject(args, "comment", comment))
            goto fail;
    }
    return args;
fail:
    cJSON_Delete(args);
    return NULL;
}

void view_delivery_signoff_send(struct app *a)
{
    struct view_delivery *d = &a->dl;
    cJSON *args = view_delivery_signoff_args(a);
    if (!args)
        return;
    if (!d->hub_login) {
        cJSON_Delete(args);
        view_delivery_relogin(a); /* sent again from the after-login hook */
        return;
    }
    if (a->signq)
        signq_attempt(a->signq, d->submit_id);
    if (app_request(a, PROTO_T_ORDER_DELIVER, args, d->submit_id, NULL) == 0)
        d->submit_sent = true;
}

/* Ends the submit with an outcome on DL_DONE; the signature has done its job. */
static void view_delivery_signoff_outcome(struct app *a, enum view_delivery_outcome out)
{
    struct view_delivery *d = &a->dl;
    d->outcome = out;
    d->screen = DL_DONE;
    d->submit_sent = false;
    if (out != DL_OUT_UNSAVED) {
        /* It is on the hub or in the queue: the kiosk's screen need not keep it. */
        widget_signature_clear(&d->sig, d->sig.w, d->sig.h);
        memset(d->comment, 0, sizeof d->comment);
        d->submit_id[0] = '\0';
    }
    view_delivery_queue_refresh(a);
}

static void view_delivery_signoff_submit(struct app *a)
{
    struct view_delivery *d = &a->dl;
    cJSON *args = view_delivery_signoff_args(a);
    char *json = args ? cJSON_PrintUnformatted(args) : NULL;
    cJSON_Delete(args);
    if (!json || strlen(json) + DL_FRAME_HEADROOM > PROTO_MAX_FRAME_IN) {
        /* Cannot happen within WIDGET_SIGNATURE_MAX_POINTS; said rather than sent broken. */
        free(json);
        d->sig_msg_key = I18N_SIG_FULL;
        d->screen = DL_SIGN;
        return;
    }
    /* The id is fixed before anything leaves: queue row, first send and every resend. */
    if (!d->submit_id[0])
        app_new_id(a, d->submit_id);
    /* Write-ahead: on disk before it is sent, so even a crash mid-send loses nothing. */
    bool saved = a->signq && signq_put(a->signq, d->submit_id, d->order_no, d->staff_no_v, json,
                                       app_hub_now(a)) == 0;
    free(json);
    d->submit_saved = saved;
    d->error_text[0] = '\0';
    if (a->conn != APP_CONN_CONNECTED) {
        view_delivery_signoff_outcome(a, saved ? DL_OUT_QUEUED : DL_OUT_UNSAVED);
        return;
    }
    d->screen = DL_SUBMITTING;
    d->submit_sent = false;
    view_delivery_signoff_send(a);
}

void view_delivery_signoff_result(struct app *a, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    if (d->screen != DL_SUBMITTING)
        return;
    d->submit_sent = false;
    bool saved = d->submit_saved;
    if (!res) {
        /* No answer in time: it stays queued and is resent with the same id. */
        view_delivery_signoff_outcome(a, saved ? DL_OUT_QUEUED : DL_OUT_UNSAVED);
        return;
    }
    if (res->ok) {
        if (a->signq)
            signq_delete(a->signq, d->submit_id);
        view_delivery_signoff_outcome(a, DL_OUT_DELIVERED);
        return;
    }
    if (res->error.code == PROTO_E_SESSION_EXPIRED ||
        res->error.code == PROTO_E_STAFF_LOGIN_REQUIRED) {
        view_delivery_relogin(a); /* then sent again, same id */
        return;
    }
    if (view_delivery_queue_retryable(res->error.code)) {
        view_delivery_signoff_outcome(a, saved ? DL_OUT_QUEUED : DL_OUT_UNSAVED);
        return;
    }
    const char *code = proto_error_code(res->error.code);
    snprintf(d->error_text, sizeof d->error_text, "%s",
             res->error.message[0] ? res->error.message : code);
    if (a->signq)
        signq_fail(a->signq, d->submit_id, code, d->error_text);
    view_delivery_signoff_outcome(a, DL_OUT_FAILED);
}

bool view_delivery_pointer(struct app *a, int phase, int x, int y)
{
    struct view_delivery *d = &a->dl;
    if (a->mode != MODEL_DELIVERY || d->screen != DL_SIGN)
        return false;
    const struct widget *pad = ui_find(a->ui, "sig.pad");
    if (!pad)
        return false;
    int px = x - pad->r.x, py = y - pad->r.y;
    bool changed = false;
    if (phase == 0) {
        if (!layout_contains(pad->r, x, y))
            return false;
        changed = widget_signature_down(&d->sig, px, py, a->mono);
        d->sig_msg_key = -1;
    } else if (!d->sig.drawing) {
        return false;
    } else if (phase == 1) {
        changed = widget_signature_move(&d->sig, px, py, a->mono);
    } else {
        widget_signature_up(&d->sig);
        changed = true;
    }
    if (changed)
        app_dirty(a);
    return true;
}

void view_delivery_signoff_action(struct app *a, const char *id)
{
    struct view_delivery *d = &a->dl;
    if (strcmp(id, "btn.cancel") == 0 && d->screen != DL_DONE && d->screen != DL_SUBMITTING) {
        view_delivery_signoff_wipe(a);
        d->screen = d->session ? DL_STAFF : DL_LIST;
        return;
    }
    switch (d->screen) {
    case DL_CHECKLIST:
        for (int i = 0; i < DL_CHECK_N; i++)
            if (strncmp(id, "check.", 6) == 0 && strcmp(id + 6, view_delivery_checks[i]) == 0)
                d->check[i] = !d->check[i];
        if (strcmp(id, "btn.next") == 0) {
            bool all = true;
            for (int i = 0; i < DL_CHECK_N; i++)
                all = all && d->check[i];
            if (all)
                d->screen = DL_SUMMARY;
        } else if (strcmp(id, "btn.back") == 0) {
            view_delivery_signoff_wipe(a);
            d->screen = DL_STAFF;
        }
        break;
    case DL_SUMMARY:
        if (strcmp(id, "btn.sign") == 0)
            d->screen = DL_SIGN;
        else if (strcmp(id, "btn.back") == 0)
            d->screen = DL_CHECKLIST;
        break;
    case DL_SIGN:
        if (strcmp(id, "btn.sig_clear") == 0) {
            widget_signature_clear(&d->sig, d->sig.w, d->sig.h);
            d->sig_msg_key = -1;
        } else if (strcmp(id, "btn.sig_undo") == 0) {
            widget_signature_undo(&d->sig);
            d->sig_msg_key = -1;
        } else if (strcmp(id, "btn.next") == 0) {
            if (widget_signature_enough(&d->sig))
                d->screen = DL_RATING;
            else
                d->sig_msg_key = I18N_SIG_TOO_SHORT;
        } else if (strcmp(id, "btn.back") == 0) {
            d->screen = DL_SUMMARY;
        }
        break;
    case DL_RATING:
        if (strncmp(id, "rate.", 5) == 0 && id[5] >= '1' && id[5] <= '5' && !id[6])
            d->rating = d->rating == id[5] - '0' ? 0 : id[5] - '0';
        else if (strcmp(id, "btn.comment") == 0)
            d->screen = DL_COMMENT;
        else if (strcmp(id, "btn.complaint") == 0)
            d->complaint = !d->complaint;
        else if (strcmp(id, "btn.submit") == 0)
            view_delivery_signoff_submit(a);
        else if (strcmp(id, "btn.back") == 0)
            d->screen = DL_SIGN;
        break;
    case DL_COMMENT: {
        /* Room for the complaint marker in the 1,000 bytes the hub takes. */
        enum widget_keyboard_result r =
            widget_keyboard_apply(id, d->comment, sizeof d->comment, &d->kb_shift);
        if (r == WIDGET_KEYBOARD_DONE || strcmp(id, "btn.back") == 0)
            d->screen = DL_RATING;
        break;
    }
    case DL_DONE:
        if (strcmp(id, "btn.retry") == 0 && d->outcome == DL_OUT_UNSAVED) {
            view_delivery_signoff_submit(a);
        } else if (strcmp(id, "btn.finish") == 0) {
            view_delivery_signoff_wipe(a);
            d->screen = d->session ? DL_STAFF : DL_LIST;
        }
        break;
    default:
        break;
    }
}

/* Pairing and starting screens (see view_pairing.h). UI thread only. */
#include "view_pairing.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

/* One "name  value" row of the identity list. */
static void view_pairing_row(struct app *a, struct ui_rect *r, const char *id, enum i18n_key name,
                             const char *value)
{
    const struct theme *t = &a->theme;
    struct ui_rect row = layout_cut_top(r, view_px(a, 40));
    struct ui_rect key = layout_cut_left(&row, view_px(a, 130));
    widget_label(a->ui, "", key, app_t(a, name), view_px(a, 22), t->muted, ALIGN_LEFT);
    widget_label(a->ui, id, row, value[0] ? value : app_t(a, I18N_DASH), view_px(a, 24), t->text,
                 ALIGN_LEFT);
}

static void view_pairing_identity(struct app *a, struct ui_rect r)
{
    const struct fleet *f = &a->fleet;
    view_pairing_row(a, &r, "pair.hostname", I18N_FLEET_HOSTNAME, f->hostname);
    view_pairing_row(a, &r, "pair.screen", I18N_FLEET_SCREEN, f->screen);
    view_pairing_row(a, &r, "pair.version", I18N_FLEET_VERSION, f->version);
    view_pairing_row(a, &r, "pair.hub", I18N_FLEET_HUB, f->hub);
}

/* The code card: the code in groups of three, big, and how long it stays valid. */
static void view_pairing_code(struct app *a, struct ui_rect r, int seconds_left)
{
    const struct theme *t = &a->theme;
    const struct fleet *f = &a->fleet;
    widget_panel(a->ui, t, r, t->surface, view_px(a, 20));
    struct ui_rect in = layout_inset(r, view_px(a, 28));
    widget_label(a->ui, "", layout_cut_top(&in, view_px(a, 40)), app_t(a, I18N_FLEET_PAIR_CODE),
                 view_px(a, 26), t->muted, ALIGN_CENTRE);
    if (!f->code[0]) {
        struct widget *w = widget_para(a->ui, "pair.waiting", layout_inset(in, view_px(a, 10)),
                                       app_t(a, I18N_FLEET_PAIR_WAITING), view_px(a, 30), t->text);
        if (w)
            w->align = ALIGN_CENTRE;
        return;
    }
    struct ui_rect left = layout_cut_bottom(&in, view_px(a, 48));
    char grouped[PROTO_MAX_SHORT * 2];
    fleet_group_code(f->code, grouped, sizeof grouped);
    widget_label(a->ui, "pair.code", in, grouped, view_px(a, 108), t->text, ALIGN_CENTRE);
    char text[128], mmss[16];
    if (seconds_left > 0) {
        snprintf(mmss, sizeof mmss, "%d:%02d", seconds_left / 60, seconds_left % 60);
        const char *args[] = {mmss};
        i18n_format(text, sizeof text, app_t(a, I18N_FLEET_PAIR_EXPIRES), args, 1);
    } else {
        snprintf(text, sizeof text, "%s", app_t(a, I18N_FLEET_PAIR_EXPIRED));
    }
    widget_label(a->ui, "pair.expires", left, text, view_px(a, 26),
                 seconds_left > 60 ? t->muted : t->warn, ALIGN_CENTRE);
}

/* Starting: paired (or a token without a mode) and waiting for the hub's word. */
static void view_pairing_starting(struct app *a, struct ui_rect r)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, r, t->surface, view_px(a, 20));
    struct ui_rect in = layout_inset(r, view_px(a, 28));
    if (a->fleet.paired) {
        view_common_icon(a, layout_cut_top(&in, view_px(a, 90)), "\xE2\x9C\x93", t->ok);
        widget_label(a->ui, "pair.paired", layout_cut_top(&in, view_px(a, 64)),
                     app_t(a, I18N_FLEET_START_PAIRED), view_px(a, 40), t->text, ALIGN_CENTRE);
    }
    struct widget *w = widget_para(a->ui, "pair.starting", layout_inset(in, view_px(a, 10)),
                                   app_t(a, I18N_FLEET_START_BODY), view_px(a, 28), t->text);
    if (w)
        w->align = ALIGN_CENTRE;
}

/* What the administrator types, with this code in it. */
static void view_pairing_howto(struct app *a, struct ui_rect *r)
{
    const struct theme *t = &a->theme;
    const struct fleet *f = &a->fleet;
    widget_label(a->ui, "", layout_cut_top(r, view_px(a, 44)), app_t(a, I18N_FLEET_PAIR_ASK),
                 view_px(a, 28), t->text, ALIGN_LEFT);
    layout_cut_top(r, view_px(a, 8));
    struct ui_rect cmd = layout_cut_top(r, view_px(a, 120));
    widget_panel(a->ui, t, cmd, t->header, view_px(a, 12));
    char line[512];
    const char *args[] = {f->code[0] ? f->code : "······"};
    i18n_format(line, sizeof line, app_t(a, I18N_FLEET_PAIR_COMMAND), args, 1);
    widget_para(a->ui, "pair.command", layout_inset(cmd, view_px(a, 16)), line, view_px(a, 24),
                t->header_text);
    layout_cut_top(r, view_px(a, 12));
    widget_para(a->ui, "pair.after", layout_cut_top(r, view_px(a, 64)),
                app_t(a, I18N_FLEET_PAIR_AFTER), view_px(a, 22), t->muted);
    layout_cut_top(r, view_px(a, 16));
}

void view_pairing_build(struct app *a, int seconds_left)
{
    const struct theme *t = &a->theme;
    bool pairing = a->fleet.pairing;
    view_common_header(a);
    struct ui_rect body = a->body;
    widget_label(a->ui, "pair.title", layout_cut_top(&body, view_px(a, 60)),
                 app_t(a, pairing ? I18N_FLEET_PAIR_TITLE : I18N_FLEET_START_TITLE), view_px(a, 42),
                 t->text, ALIGN_LEFT);
    layout_cut_top(&body, view_px(a, 16));
    struct ui_rect card, side;
    if (a->lay.portrait) {
        card = layout_cut_top(&body, body.h * 42 / 100);
        layout_cut_top(&body, view_px(a, 28));
    } else {
        card = layout_cut_left(&body, body.w * 47 / 100);
        layout_cut_left(&body, view_px(a, 32));
    }
    side = body;
    if (pairing) {
        view_pairing_code(a, card, seconds_left);
        view_pairing_howto(a, &side);
    } else {
        view_pairing_starting(a, card);
    }
    view_pairing_identity(a, side);
}

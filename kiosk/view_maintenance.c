/* Maintenance and identify screens (see view_maintenance.h). UI thread only. */
#include "view_maintenance.h"

#include <stdio.h>

#include "app.h"
#include "view_common.h"

/* "site · device", or whichever of the two is known. */
static void view_maintenance_where(const struct app *a, char *out, size_t outsz)
{
    const char *site = view_common_site(a), *dev = a->fleet.device_name;
    if (site[0] && dev[0])
        snprintf(out, outsz, "%s · %s", site, dev);
    else
        snprintf(out, outsz, "%s", site[0] ? site : dev);
}

void view_maintenance_build(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect all = layout_rect(0, 0, a->lay.w, a->lay.h);
    widget_panel(a->ui, t, all, t->header, 0);
    struct ui_rect box = layout_centre(all, a->lay.w * 84 / 100, view_px(a, 500));
    view_common_icon(a, layout_cut_top(&box, view_px(a, 110)), "!", t->warn);
    layout_cut_top(&box, view_px(a, 10));
    widget_label(a->ui, "maint.title", layout_cut_top(&box, view_px(a, 100)),
                 app_t(a, I18N_FLEET_MAINT_TITLE), view_px(a, 76), t->header_text, ALIGN_CENTRE);
    /* The other language's title under it: no toggle on this screen. */
    struct rgba dim = t->header_text;
    dim.a = 200;
    enum i18n_lang other = a->lang == I18N_ZH ? I18N_EN : I18N_ZH;
    widget_label(a->ui, "maint.title_other", layout_cut_top(&box, view_px(a, 56)),
                 i18n_get(a->i18n, other, I18N_FLEET_MAINT_TITLE), view_px(a, 36), dim,
                 ALIGN_CENTRE);
    layout_cut_top(&box, view_px(a, 20));
    struct ui_rect where = layout_cut_bottom(&box, view_px(a, 56));
    struct widget *w = widget_para(a->ui, "maint.body", box, app_t(a, I18N_FLEET_MAINT_BODY),
                                   view_px(a, 28), t->header_text);
    if (w)
        w->align = ALIGN_CENTRE;
    char text[PROTO_MAX_NAME * 2 + 8];
    view_maintenance_where(a, text, sizeof text);
    widget_label(a->ui, "maint.where", where, text, view_px(a, 28), dim, ALIGN_CENTRE);
}

void view_maintenance_identify(struct app *a, bool phase, int seconds_left)
{
    const struct theme *t = &a->theme;
    struct ui_rect all = layout_rect(0, 0, a->lay.w, a->lay.h);
    /* Two strong colours swapping: seen from across the showroom. */
    widget_panel(a->ui, t, all, phase ? t->primary : t->header, 0);
    struct ui_rect box = layout_centre(all, a->lay.w * 90 / 100, view_px(a, 520));
    widget_label(a->ui, "identify.title", layout_cut_top(&box, view_px(a, 60)),
                 app_t(a, I18N_FLEET_IDENTIFY_TITLE), view_px(a, 36), t->primary_text,
                 ALIGN_CENTRE);
    layout_cut_top(&box, view_px(a, 20));
    const char *name = a->fleet.device_name[0] ? a->fleet.device_name : a->fleet.hostname;
    widget_label(a->ui, "identify.name", layout_cut_top(&box, view_px(a, 170)), name,
                 view_px(a, 130), t->primary_text, ALIGN_CENTRE);
    widget_label(a->ui, "identify.site", layout_cut_top(&box, view_px(a, 70)), view_common_site(a),
                 view_px(a, 46), t->primary_text, ALIGN_CENTRE);
    struct rgba dim = t->primary_text;
    dim.a = 210;
    widget_label(a->ui, "identify.host", layout_cut_top(&box, view_px(a, 50)), a->fleet.hostname,
                 view_px(a, 28), dim, ALIGN_CENTRE);
    char n[16], left[64];
    snprintf(n, sizeof n, "%d", seconds_left);
    const char *args[] = {n};
    i18n_format(left, sizeof left, app_t(a, I18N_FLEET_IDENTIFY_LEFT), args, 1);
    widget_label(a->ui, "identify.left", layout_cut_top(&box, view_px(a, 50)), left, view_px(a, 26),
                 dim, ALIGN_CENTRE);
}

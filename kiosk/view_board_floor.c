/* Manager board floor panels (see view_board_floor.h). UI thread only. */
#include "view_board_floor.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

/* A section head: title on the left, then chips from the right (count, "超时 N"). */
static struct ui_rect view_board_floor_head(struct app *a, struct ui_rect *in, const char *id,
                                            enum i18n_key title, int count, int breached)
{
    const struct theme *t = &a->theme;
    struct ui_rect head = layout_cut_top(in, view_px(a, 44));
    char n[16];
    snprintf(n, sizeof n, "%d", count);
    struct ui_rect cr = layout_cut_right(&head, view_px(a, 44));
    widget_chip(a->ui, "", layout_centre(cr, view_px(a, 44), view_px(a, 36)), n, view_px(a, 20),
                count ? t->secondary : t->muted, t->primary_text);
    if (breached > 0) {
        char b[64];
        snprintf(b, sizeof b, "%s %d", app_t(a, I18N_BOARD_OVERDUE), breached);
        layout_cut_right(&head, view_px(a, 8));
        struct ui_rect br = layout_cut_right(&head, view_px(a, 110));
        widget_chip(a->ui, "", layout_centre(br, view_px(a, 110), view_px(a, 36)), b,
                    view_px(a, 19), t->danger, t->primary_text);
    }
    widget_label(a->ui, id, head, app_t(a, title), view_px(a, 24), t->text, ALIGN_LEFT);
    layout_cut_top(in, view_px(a, 4));
    return head;
}

/* "还有 N 条" in the row r. */
static void view_board_floor_more(struct app *a, struct ui_rect r, int n)
{
    char more[64], m[16];
    snprintf(m, sizeof m, "%d", n);
    const char *ma[] = {m};
    i18n_format(more, sizeof more, app_t(a, I18N_BOARD_MORE_ITEMS), ma, 1);
    widget_label(a->ui, "", r, more, view_px(a, 18), a->theme.muted, ALIGN_LEFT);
}

/* How many of `total` rows of height rowh fit in h, leaving one row for "more" when not
 * all do and at least one row is left (the head's count says how many there are). */
static int view_board_floor_fit(int h, int rowh, int total)
{
    int fit = rowh > 0 ? h / rowh : 0;
    if (total > fit && fit > 1)
        fit--;
    return fit < total ? fit : total;
}

/* The name of the staff member a notification went to: a consultant's name from the
 * board's list, else their staff number. */
static const char *view_board_floor_staff(const struct app *a, const cJSON *n)
{
    int64_t id = proto_get_int(n, "staff_id", 0);
    const cJSON *c;
    cJSON_ArrayForEach(c, model_consultants(a->model))
    {
        const char *name = proto_get_str(c, "name");
        if (name && proto_get_int(c, "id", -1) == id)
            return name;
    }
    const char *no = proto_get_str(n, "staff_no");
    return no ? no : "";
}

void view_board_floor_notifications(struct app *a, struct ui_rect panel)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, panel, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(panel, view_px(a, 16));
    const cJSON *list = model_notifications(a->model);
    int total = cJSON_GetArraySize(list);
    struct ui_rect head = layout_cut_top(&in, view_px(a, 44));
    widget_label(a->ui, "board.notifications", head, app_t(a, I18N_BOARD_NOTIFICATIONS),
                 view_px(a, 24), t->text, ALIGN_LEFT);
    layout_cut_top(&in, view_px(a, 4));
    if (total == 0) {
        widget_label(a->ui, "board.no_notifications", layout_cut_top(&in, view_px(a, 36)),
                     app_t(a, I18N_BOARD_NO_NOTIFICATIONS), view_px(a, 20), t->muted, ALIGN_LEFT);
        return;
    }
    /* Two lines each: who and when above the text, which then has the panel's whole
     * width (English texts are long); landscape has less height, so tighter lines. */
    int rowh = view_px(a, a->lay.portrait ? 62 : 50);
    /* a stream: the newest that fit, no "+N" (older ones are in the hub's log) */
    int fit = in.h / rowh < total ? in.h / rowh : total;
    bool en = a->lang == I18N_EN;
    for (int i = 0; i < fit; i++) {
        const cJSON *n = cJSON_GetArrayItem(list, i);
        struct ui_rect row = layout_cut_top(&in, rowh);
        if (i % 2 == 1)
            widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
        struct ui_rect r = layout_inset(row, view_px(a, 3));
        r.x += view_px(a, 5);
        r.w -= view_px(a, 5);
        char when[32];
        view_common_hhmm(a, proto_get_int(n, "at", 0), when, sizeof when);
        const char *text = proto_get_str(n, en ? "text_en" : "text_zh");
        if (!text || !text[0])
            text = proto_get_str(n, en ? "text_zh" : "text_en");
        char id[48], line[160];
        snprintf(id, sizeof id, "board.notify.%lld", (long long)proto_get_int(n, "seq", 0));
        snprintf(line, sizeof line, "%s  %s", when, view_board_floor_staff(a, n));
        widget_label(a->ui, "", layout_cut_top(&r, r.h * 2 / 5), line,
                     view_px(a, a->lay.portrait ? 17 : 15), t->muted, ALIGN_LEFT);
        widget_label(a->ui, id, r, text ? text : "", view_px(a, a->lay.portrait ? 20 : 19), t->text,
                     ALIGN_LEFT);
    }
}

/* Claimants' names joined by " / " into out. */
static void view_board_floor_claimants(const cJSON *cf, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(cf, "claimants"))
    {
        const char *name = proto_get_str(c, "name");
        if (!name)
            continue;
        int w = snprintf(out + len, outsz - len, "%s%s", len ? " / " : "", name);
        if (w < 0 || (size_t)w >= outsz - len)
            break;
        len += (size_t)w;
    }
}

static void view_board_floor_conflicts(struct app *a, struct ui_rect box)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, box, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(box, view_px(a, 14));
    in.x += view_px(a, 4);
    in.w -= view_px(a, 4);
    const cJSON *list = model_conflicts(a->model);
    int total = cJSON_GetArraySize(list);
    int64_t now = app_hub_now(a);
    int late = 0;
    const cJSON *cf;
    cJSON_ArrayForEach(cf, list)
    {
        int64_t due = proto_get_int(cf, "due_at", 0);
        late += due > 0 && now > due;
    }
    view_board_floor_head(a, &in, "board.conflicts", I18N_BOARD_CONFLICTS, total, late);
    if (total == 0) {
        widget_label(a->ui, "board.no_conflicts", layout_cut_top(&in, view_px(a, 34)),
                     app_t(a, I18N_BOARD_NO_CONFLICTS), view_px(a, 19), t->muted, ALIGN_LEFT);
        return;
    }
    int rowh = view_px(a, 42); /* rows are buttons: at least 40 units to touch */
    int fit = view_board_floor_fit(in.h, rowh, total);
    for (int i = 0; i < fit; i++) {
        cf = cJSON_GetArrayItem(list, i);
        struct ui_rect r = layout_cut_top(&in, rowh);
        /* the row is a button: a tap starts the ruling (view_board_act.h) */
        char rid[40];
        snprintf(rid, sizeof rid, "board.rule.%lld", (long long)proto_get_int(cf, "id", 0));
        widget_button(
            a->ui, t, rid,
            (struct ui_rect){r.x - view_px(a, 6), r.y, r.w + view_px(a, 12), r.h - view_px(a, 2)},
            "", NULL, view_px(a, 12), STYLE_OUTLINE);
        r = layout_inset(r, view_px(a, 2));
        int64_t due = proto_get_int(cf, "due_at", 0);
        if (due > 0 && now > due)
            widget_label(a->ui, "", layout_cut_right(&r, view_px(a, 70)),
                         app_t(a, I18N_BOARD_OVERDUE), view_px(a, 19), t->danger, ALIGN_RIGHT);
        const char *cust = proto_get_str(proto_get_obj(cf, "customer"), "name");
        char id[40], who[160];
        snprintf(id, sizeof id, "board.conflict.%lld", (long long)proto_get_int(cf, "id", 0));
        widget_label(a->ui, id, layout_cut_left(&r, view_px(a, 96)), cust ? cust : "",
                     view_px(a, 20), t->text, ALIGN_LEFT);
        view_board_floor_claimants(cf, who, sizeof who);
        widget_label(a->ui, "", r, who, view_px(a, 19), t->muted, ALIGN_LEFT);
    }
    if (fit < total && in.h >= rowh)
        view_board_floor_more(a, layout_cut_top(&in, rowh), total - fit);
}

static bool view_board_floor_breached(const cJSON *cp)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cp, "breaches")) > 0;
}

static void view_board_floor_complaints(struct app *a, struct ui_rect box)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, box, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(box, view_px(a, 14));
    in.x += view_px(a, 4);
    in.w -= view_px(a, 4);
    const cJSON *list = model_complaints(a->model);
    int total = cJSON_GetArraySize(list);
    int late = 0;
    const cJSON *cp;
    cJSON_ArrayForEach(cp, list) late += view_board_floor_breached(cp);
    view_board_floor_head(a, &in, "board.complaints", I18N_BOARD_COMPLAINTS, total, late);
    if (total == 0) {
        widget_label(a->ui, "board.no_complaints", layout_cut_top(&in, view_px(a, 34)),
                     app_t(a, I18N_BOARD_NO_COMPLAINTS), view_px(a, 19), t->muted, ALIGN_LEFT);
        return;
    }
    int rowh = view_px(a, 34);
    int fit = view_board_floor_fit(in.h, rowh, total);
    for (int i = 0; i < fit; i++) {
        cp = cJSON_GetArrayItem(list, i);
        struct ui_rect r = layout_cut_top(&in, rowh);
        int level = (int)proto_get_int(cp, "level", 1);
        char lv[32], n[16];
        snprintf(n, sizeof n, "%d", level);
        const char *la[] = {n};
        i18n_format(lv, sizeof lv, app_t(a, I18N_BOARD_LEVEL), la, 1);
        struct ui_rect lr = layout_cut_left(&r, view_px(a, 80));
        widget_chip(a->ui, "", layout_centre(lr, view_px(a, 76), view_px(a, 28)), lv,
                    view_px(a, 17),
                    level >= 3   ? t->danger
                    : level == 2 ? t->warn
                                 : t->secondary,
                    t->primary_text);
        layout_cut_left(&r, view_px(a, 8));
        if (view_board_floor_breached(cp))
            widget_label(a->ui, "", layout_cut_right(&r, view_px(a, 70)),
                         app_t(a, I18N_BOARD_OVERDUE), view_px(a, 19), t->danger, ALIGN_RIGHT);
        const char *cust = proto_get_str(proto_get_obj(cp, "customer"), "name");
        const char *no = proto_get_str(cp, "order_no");
        char id[40];
        snprintf(id, sizeof id, "board.complaint.%lld", (long long)proto_get_int(cp, "id", 0));
        widget_label(a->ui, id, layout_cut_left(&r, view_px(a, 96)), cust ? cust : "",
                     view_px(a, 20), t->text, ALIGN_LEFT);
        widget_label(a->ui, "", r, no ? no : "", view_px(a, 18), t->muted, ALIGN_LEFT);
    }
    if (fit < total && in.h >= rowh)
        view_board_floor_more(a, layout_cut_top(&in, rowh), total - fit);
}

void view_board_floor_alerts(struct app *a, struct ui_rect panel, bool side_by_side)
{
    struct ui_rect in = panel;
    int gap = view_px(a, 20);
    struct ui_rect first, second;
    if (side_by_side) {
        first = layout_cut_left(&in, (in.w - gap) / 2);
        layout_cut_left(&in, gap);
    } else {
        first = layout_cut_top(&in, (in.h - gap) / 2);
        layout_cut_top(&in, gap);
    }
    second = in;
    view_board_floor_conflicts(a, first);
    view_board_floor_complaints(a, second);
}

/* Offline: it was heard from once and has gone quiet. A screen never connected (added,
 * not yet installed) did not go offline; `showfloor device list` shows it. */
static bool view_board_floor_is_offline(const cJSON *d)
{
    return !proto_get_bool(d, "online", true) && !proto_get_bool(d, "revoked", false) &&
           (proto_get_int(d, "last_seen", 0) > 0 || proto_get_int(d, "online_changed_at", 0) > 0);
}

int view_board_floor_fleet_offline(const struct app *a)
{
    int n = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, model_fleet(a->model)) n += view_board_floor_is_offline(d);
    return n;
}

/* When a screen went offline: the change of state, else the last time it was heard. */
static int64_t view_board_floor_offline_since(const cJSON *d)
{
    int64_t at = proto_get_int(d, "online_changed_at", 0);
    return at > 0 ? at : proto_get_int(d, "last_seen", 0);
}

void view_board_floor_fleet(struct app *a, struct ui_rect strip)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, strip, t->surface, view_px(a, 12));
    /* a danger edge as a second cue; the icon and the words carry the message */
    widget_panel(a->ui, t, (struct ui_rect){strip.x, strip.y, view_px(a, 6), strip.h}, t->danger,
                 view_px(a, 3));
    struct ui_rect in = layout_inset(strip, view_px(a, 8));
    in.x += view_px(a, 10);
    in.w -= view_px(a, 10);
    view_common_icon(a, layout_cut_left(&in, in.h), "!", t->danger);
    layout_cut_left(&in, view_px(a, 12));
    int total = view_board_floor_fleet_offline(a);
    char title[96], n[16];
    snprintf(n, sizeof n, "%d", total);
    snprintf(title, sizeof title, "%s %s", app_t(a, I18N_BOARD_FLEET_OFFLINE), n);
    widget_chip(a->ui, "board.fleet", layout_cut_left(&in, view_px(a, 190)), title, view_px(a, 19),
                t->danger, t->primary_text);
    layout_cut_left(&in, view_px(a, 14));
    /* Longest offline first: the screen nobody has looked at for longest leads. Chosen one at
     * a time (a handful of screens per site), never sorting the model's list in place. */
    char line[WIDGET_TEXT_MAX];
    size_t len = 0;
    line[0] = '\0';
    int64_t after = INT64_MIN, after_id = 0;
    for (int k = 0; k < total; k++) {
        const cJSON *pick = NULL, *d;
        int64_t pick_at = 0, pick_id = 0;
        cJSON_ArrayForEach(d, model_fleet(a->model))
        {
            if (!view_board_floor_is_offline(d))
                continue;
            int64_t at = view_board_floor_offline_since(d), id = proto_get_int(d, "id", 0);
            bool later = at > after || (at == after && id > after_id);
            bool earlier = !pick || at < pick_at || (at == pick_at && id < pick_id);
            if (later && earlier) {
                pick = d;
                pick_at = at;
                pick_id = id;
            }
        }
        if (!pick)
            break;
        after = pick_at;
        after_id = pick_id;
        char hhmm[16], item[160];
        view_common_hhmm(a, pick_at, hhmm, sizeof hhmm);
        const char *name = proto_get_str(pick, "name");
        const char *args[] = {name ? name : "", hhmm};
        i18n_format(item, sizeof item, app_t(a, I18N_BOARD_FLEET_SINCE), args, 2);
        int w = snprintf(line + len, sizeof line - len, "%s%s", len ? "   " : "", item);
        if (w < 0 || (size_t)w >= sizeof line - len)
            break;
        len += (size_t)w;
    }
    widget_label(a->ui, "board.fleet.list", in, line, view_px(a, 22), t->text, ALIGN_LEFT);
}

/* Manager wall board (see view_board.h). UI thread only. */
#include "view_board.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_board_floor.h"
#include "view_board_stats.h"
#include "view_common.h"

/* Order stages grouped into the board's columns; a stage not listed is not shown. */
struct view_board_col {
    enum i18n_key title;
    const char *stages[4];
};

static const struct view_board_col view_board_cols[] = {
    {I18N_STAGE_REVIEW, {"entered", "reviewed", "returned", NULL}},
    {I18N_STAGE_APPROVED, {"approved", NULL}},
    {I18N_STAGE_ALLOCATED, {"allocated", NULL}},
    {I18N_STAGE_PAID, {"paid", NULL}},
    {I18N_STAGE_READY, {"ready", NULL}},
};
#define VIEW_BOARD_NCOLS (int)(sizeof view_board_cols / sizeof view_board_cols[0])

const char *view_board_screen(const struct app *a)
{
    if (view_board_act_active(a))
        return view_board_act_screen(a);
    return a->bd.page == VIEW_BOARD_FIGURES ? "board.figures" : "board.main";
}

bool view_board_idle(const struct app *a)
{
    /* a wall: nothing typed to wipe, the turns go on by themselves; but a staff login and
     * its PIN do not wait for anyone */
    return !view_board_act_active(a);
}

void view_board_reset(struct app *a)
{
    view_board_act_end(a); /* logs out, wipes the PIN */
    memset(&a->bd, 0, sizeof a->bd);
    view_board_act_end(a); /* the keypads ready again */
    a->bd.page = VIEW_BOARD_FLOOR;
    a->bd.page_since = a->mono;
    a->bd.stats_due = a->mono;
}

static void view_board_show(struct app *a, enum view_board_page page)
{
    if (a->bd.page != page)
        a->dirty = true;
    a->bd.page = page;
    a->bd.page_since = a->mono;
}

/* Monotonic ms of the next turn; INT64_MAX while there are no figures to turn to (the floor
 * stays until the first answer) or a tap paused the turns for longer. */
static int64_t view_board_next_turn(const struct app *a)
{
    if (!model_board_stats(a->model) || view_board_act_active(a))
        return INT64_MAX; /* no figures yet, or someone is deciding: the page stays */
    int64_t at = a->bd.page_since + VIEW_BOARD_ROTATE_MS;
    return at > a->bd.paused_until ? at : a->bd.paused_until;
}

/* Asks board_stats when it is due and the hub is there; the answer sets the next time. */
static void view_board_ask(struct app *a)
{
    if (a->conn != APP_CONN_CONNECTED || a->bd.stats_id[0] || a->mono < a->bd.stats_due)
        return;
    if (app_request(a, PROTO_T_BOARD_STATS, NULL, NULL, a->bd.stats_id) != 0) {
        a->bd.stats_id[0] = '\0';
        a->bd.stats_due = a->mono + VIEW_BOARD_STATS_RETRY;
        return;
    }
    a->bd.stats_sent = a->mono;
    a->bd.stats_due = a->mono + VIEW_BOARD_STATS_MS;
}

void view_board_tick(struct app *a)
{
    view_board_act_tick(a);
    if (a->mono >= view_board_next_turn(a))
        view_board_show(a, a->bd.page == VIEW_BOARD_FLOOR ? VIEW_BOARD_FIGURES : VIEW_BOARD_FLOOR);
    view_board_ask(a);
}

int64_t view_board_deadline(const struct app *a)
{
    int64_t next = view_board_next_turn(a);
    if (a->conn == APP_CONN_CONNECTED && !a->bd.stats_id[0] && a->bd.stats_due < next)
        next = a->bd.stats_due;
    int64_t act = view_board_act_deadline(a);
    return act < next ? act : next;
}

void view_board_snapshot(struct app *a)
{
    a->bd.stats_due = a->mono;
    view_board_ask(a);
}

void view_board_event(struct app *a, const char *kind)
{
    if (!kind || (strncmp(kind, "visit.", 6) != 0 && strncmp(kind, "order.", 6) != 0))
        return;
    /* A burst of events (a check-in, a busy review hour) becomes one request: a short quiet
     * wait, and never sooner than VIEW_BOARD_STATS_MIN after the last one. */
    int64_t due = a->mono + VIEW_BOARD_STATS_QUIET;
    if (a->bd.stats_sent > 0 && a->bd.stats_sent + VIEW_BOARD_STATS_MIN > due)
        due = a->bd.stats_sent + VIEW_BOARD_STATS_MIN;
    if (due < a->bd.stats_due)
        a->bd.stats_due = due;
}

void view_board_action(struct app *a, const char *id)
{
    if (view_board_act_active(a)) {
        view_board_act_action(a, id);
        return;
    }
    if (view_board_act_start(a, id))
        return;
    enum view_board_page page;
    if (strcmp(id, "board.page.floor") == 0)
        page = VIEW_BOARD_FLOOR;
    else if (strcmp(id, "board.page.figures") == 0)
        page = VIEW_BOARD_FIGURES;
    else
        return;
    view_board_show(a, page);
    a->bd.paused_until = a->mono + VIEW_BOARD_PAUSE_MS;
}

void view_board_result(struct app *a, enum proto_type type, const struct proto_msg *res)
{
    if (view_board_act_result(a, type, res))
        return;
    if (type != PROTO_T_BOARD_STATS || !a->result_id || strcmp(a->result_id, a->bd.stats_id) != 0)
        return;
    a->bd.stats_id[0] = '\0';
    /* No answer, a refusal or figures of a shape we cannot show: keep the last figures (their
     * age is on screen) and try again later. */
    if (!res || !res->ok || model_set_board_stats(a->model, res->args) != 0)
        a->bd.stats_due = a->mono + VIEW_BOARD_STATS_RETRY;
}

static bool view_board_in_col(const struct view_board_col *c, const char *stage)
{
    for (int i = 0; stage && c->stages[i]; i++)
        if (strcmp(c->stages[i], stage) == 0)
            return true;
    return false;
}

static int view_board_visit_rank(const cJSON *v)
{
    const char *s = proto_get_str(v, "status");
    if (s && strcmp(s, "waiting") == 0)
        return 0;
    if (s && strcmp(s, "serving") == 0)
        return 1;
    return 2;
}

static void view_board_section_title(struct app *a, struct ui_rect *panel, const char *id,
                                     const char *title, const char *right)
{
    const struct theme *t = &a->theme;
    struct ui_rect head = layout_cut_top(panel, view_px(a, a->lay.portrait ? 56 : 44));
    struct ui_rect r = head;
    if (right)
        widget_label(a->ui, "", layout_cut_right(&r, view_px(a, 220)), right, view_px(a, 22),
                     t->muted, ALIGN_RIGHT);
    widget_label(a->ui, id, r, title, view_px(a, 30), t->text, ALIGN_LEFT);
}

static void view_board_visits(struct app *a, struct ui_rect panel)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, panel, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(panel, view_px(a, 16));
    const cJSON *visits = model_visits(a->model);
    int total = cJSON_GetArraySize(visits);
    char count[64], n[16];
    snprintf(n, sizeof n, "%d", total);
    const char *args[] = {n};
    i18n_format(count, sizeof count, app_t(a, I18N_BOARD_TODAY), args, 1);
    view_board_section_title(a, &in, "board.showroom", app_t(a, I18N_BOARD_SHOWROOM), count);
    if (total == 0) {
        widget_label(a->ui, "board.no_visits", layout_cut_top(&in, view_px(a, 60)),
                     app_t(a, I18N_BOARD_NO_VISITS), view_px(a, 24), t->muted, ALIGN_LEFT);
        return;
    }
    int rowh = view_px(a, a->lay.portrait ? 60 : 50);
    int moreh = view_px(a, 34);
    /* the rows shown: all that fit, else those that fit above the short "+N" line */
    int rows = in.h / rowh;
    if (total > rows)
        rows = (in.h - moreh) / rowh;
    int shown = 0;
    /* Waiting customers first (they need someone), then those being served, then gone. */
    for (int rank = 0; rank < 3; rank++) {
        const cJSON *v;
        cJSON_ArrayForEach(v, visits)
        {
            if (view_board_visit_rank(v) != rank)
                continue;
            if (shown == rows && total > rows) {
                char more[64], m[16];
                snprintf(m, sizeof m, "%d", total - shown);
                const char *ma[] = {m};
                i18n_format(more, sizeof more, app_t(a, I18N_BOARD_MORE_VISITS), ma, 1);
                widget_label(a->ui, "board.visits_more", layout_cut_top(&in, moreh), more,
                             view_px(a, 22), t->muted, ALIGN_LEFT);
                shown++;
                rank = 3;
                break;
            }
            struct ui_rect row = layout_cut_top(&in, rowh);
            shown++;
            if (shown % 2 == 0)
                widget_panel(a->ui, t, row, t->bg, view_px(a, 8));
            struct ui_rect r = layout_inset(row, view_px(a, 8));
            const char *status = proto_get_str(v, "status");
            int sk = view_common_visit_key(status);
            struct rgba chip = rank == 0 ? t->warn : rank == 1 ? t->ok : t->muted;
            widget_chip(a->ui, "",
                        layout_centre(layout_cut_right(&r, view_px(a, 110)), view_px(a, 110),
                                      view_px(a, 36)),
                        sk >= 0 ? app_t(a, (enum i18n_key)sk) : (status ? status : ""),
                        view_px(a, 20), chip, t->primary_text);
            layout_cut_right(&r, view_px(a, 12));
            char when[32];
            if (rank == 2) {
                view_common_hhmm(a, proto_get_int(v, "departed_at", 0), when, sizeof when);
            } else {
                int64_t since = rank == 0 ? proto_get_int(v, "arrived_at", 0)
                                          : proto_get_int(v, "served_at", 0);
                if (since == 0)
                    since = proto_get_int(v, "arrived_at", 0);
                char mn[16];
                snprintf(mn, sizeof mn, "%d", view_common_minutes_since(a, since));
                const char *wa[] = {mn};
                i18n_format(when, sizeof when, app_t(a, I18N_MINUTES), wa, 1);
            }
            widget_label(a->ui, "", layout_cut_right(&r, view_px(a, 100)), when, view_px(a, 24),
                         rank == 0 ? t->warn : t->muted, ALIGN_RIGHT);
            const char *name = proto_get_str(proto_get_obj(v, "customer"), "name");
            const char *cons = proto_get_str(proto_get_obj(v, "consultant"), "name");
            /* the customer, then a gap so the two names never run together */
            struct ui_rect nr = layout_cut_left(&r, r.w * 52 / 100);
            layout_cut_left(&r, view_px(a, 10));
            char vid[32];
            snprintf(vid, sizeof vid, "board.visit.%lld", (long long)proto_get_int(v, "id", 0));
            widget_label(a->ui, vid, nr, name ? name : "", view_px(a, 28), t->text, ALIGN_LEFT);
            widget_label(a->ui, "", r, cons ? cons : app_t(a, I18N_BOARD_UNASSIGNED),
                         view_px(a, 24), cons ? t->text : t->danger, ALIGN_LEFT);
        }
    }
}

/* True when the order has a time limit recorded as breached (`sla_breaches`). */
static bool view_board_breached(const cJSON *o)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, "sla_breaches")) > 0;
}

static void view_board_orders(struct app *a, struct ui_rect panel)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, panel, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(panel, view_px(a, 16));
    view_board_section_title(a, &in, "board.orders", app_t(a, I18N_BOARD_ORDERS), NULL);
    const cJSON *orders = model_orders(a->model);
    int gap = view_px(a, 12);
    for (int c = 0; c < VIEW_BOARD_NCOLS; c++) {
        const struct view_board_col *col = &view_board_cols[c];
        struct ui_rect cr = layout_cell(in, VIEW_BOARD_NCOLS, 1, gap, c);
        widget_panel(a->ui, t, cr, t->bg, view_px(a, 10));
        struct ui_rect ci = layout_inset(cr, view_px(a, 8));
        int count = 0;
        const cJSON *o;
        cJSON_ArrayForEach(o, orders) count += view_board_in_col(col, proto_get_str(o, "stage"));
        char cnt[16], hid[32];
        snprintf(cnt, sizeof cnt, "%d", count);
        snprintf(hid, sizeof hid, "board.col.%d", c);
        struct rgba chip = c == VIEW_BOARD_NCOLS - 1 ? t->primary : t->secondary;
        if (a->lay.portrait) {
            /* Portrait columns are too narrow for a title and the count side by side ("In
             * re…"): the title gets the column's width, the count a line of its own. */
            widget_label(a->ui, hid, layout_cut_top(&ci, view_px(a, 36)), app_t(a, col->title),
                         view_px(a, 22), t->text, ALIGN_LEFT);
            struct ui_rect cl = layout_cut_top(&ci, view_px(a, 40));
            widget_chip(a->ui, "", layout_cut_left(&cl, view_px(a, 56)), cnt, view_px(a, 20), chip,
                        t->primary_text);
        } else {
            /* a little gap and a size that fits "Allocated" beside its count at 720p */
            struct ui_rect head = layout_cut_top(&ci, view_px(a, 44));
            widget_chip(a->ui, "", layout_cut_right(&head, view_px(a, 42)), cnt, view_px(a, 20),
                        chip, t->primary_text);
            layout_cut_right(&head, view_px(a, 6));
            widget_label(a->ui, hid, head, app_t(a, col->title), view_px(a, 21), t->text,
                         ALIGN_LEFT);
        }
        layout_cut_top(&ci, view_px(a, 6));
        if (count == 0) {
            widget_label(a->ui, "", layout_cut_top(&ci, view_px(a, 40)),
                         app_t(a, I18N_BOARD_EMPTY_STAGE), view_px(a, 20), t->muted, ALIGN_CENTRE);
            continue;
        }
        /* landscape shares its height with the floor panels: lower cards */
        int cardh = view_px(a, a->lay.portrait ? 84 : 76), cgap = view_px(a, 6);
        int moreh = view_px(a, 40); /* the review column's is a button: 40 units to touch */
        /* the cards shown: all that fit, else those that fit above the short "+N" line */
        int cards = (ci.h + cgap) / (cardh + cgap);
        if (count > cards)
            cards = (ci.h - moreh + cgap) / (cardh + cgap);
        int shown = 0;
        cJSON_ArrayForEach(o, orders)
        {
            const char *stage = proto_get_str(o, "stage");
            if (!view_board_in_col(col, stage))
                continue;
            if (shown == cards) {
                char more[64], m[16];
                snprintf(m, sizeof m, "%d", count - shown);
                const char *ma[] = {m};
                i18n_format(more, sizeof more, app_t(a, I18N_BOARD_MORE), ma, 1);
                struct ui_rect mr = layout_cut_top(&ci, moreh < ci.h ? moreh : ci.h);
                if (mr.h < moreh) { /* the last card's gap makes up what is missing */
                    mr.y -= cgap;
                    mr.h += cgap;
                }
                /* the review column's "+N" opens the list of every order waiting, so an
                 * order the column has no room for can be decided too */
                if (c == 0)
                    widget_button(a->ui, t, "board.review_more", mr, more, NULL, view_px(a, 20),
                                  STYLE_OUTLINE);
                else
                    widget_label(a->ui, "", mr, more, view_px(a, 20), t->muted, ALIGN_CENTRE);
                break;
            }
            struct ui_rect card = layout_cut_top(&ci, cardh);
            layout_cut_top(&ci, cgap);
            shown++;
            /* An order of the review column past a time limit is marked in words
             * ("超时"), with a red edge as a second cue. */
            bool late = c == 0 && view_board_breached(o);
            /* The running time limit counts down on the card and turns into "overdue" the
             * moment it passes, before the hub's timer records the breach. */
            int64_t due = c == 0 ? proto_get_int(o, "sla_due_at", 0) : 0;
            int64_t left = due > 0 ? due - app_hub_now(a) : 0;
            if (due > 0 && left <= 0)
                late = true;
            const char *no = proto_get_str(o, "order_no");
            char oid[48];
            /* An order a supervisor or manager decides is a button (framed): a tap starts
             * the decision (view_board_act.h). */
            if (no && view_board_act_order_command(stage) >= 0) {
                snprintf(oid, sizeof oid, "board.review.%s", no);
                widget_button(a->ui, t, oid, card, "", NULL, view_px(a, 16), STYLE_OUTLINE);
            } else {
                widget_panel(a->ui, t, card, t->surface, view_px(a, 8));
            }
            if (late) /* in the card's margin: the text keeps its width */
                widget_panel(a->ui, t, (struct ui_rect){card.x, card.y, view_px(a, 5), card.h},
                             t->danger, view_px(a, 2));
            struct ui_rect k = layout_inset(card, view_px(a, 7));
            bool returned = stage && strcmp(stage, "returned") == 0;
            struct ui_rect l1 = layout_cut_top(&k, k.h * 2 / 5);
            struct ui_rect l2 = layout_cut_top(&k, k.h / 2);
            snprintf(oid, sizeof oid, "board.order.%s", no ? no : "");
            widget_label(a->ui, oid, l1, no ? no : "", view_px(a, 21), t->text, ALIGN_LEFT);
            const char *cust = proto_get_str(proto_get_obj(o, "customer"), "name");
            const char *mdl = proto_get_str(proto_get_obj(o, "model"), "name");
            widget_label(a->ui, "", l2, cust ? cust : "", view_px(a, 19), t->text, ALIGN_LEFT);
            /* Returned and overdue say so where the model would be: narrow portrait cards
             * have no room for a badge beside the number or the name. */
            if (returned || late) {
                char mark[96];
                snprintf(mark, sizeof mark, "%s%s%s", returned ? app_t(a, I18N_BOARD_RETURNED) : "",
                         returned && late ? " \xC2\xB7 " : "",
                         late ? app_t(a, I18N_BOARD_OVERDUE) : "");
                snprintf(oid, sizeof oid, "board.order_mark.%s", no ? no : "");
                widget_label(a->ui, oid, k, mark, view_px(a, 18), t->danger, ALIGN_LEFT);
            } else if (left > 0) {
                char h[16], m[16], text[64];
                int64_t mins = (left + 59999) / 60000; /* "1 min left" until it is due */
                snprintf(h, sizeof h, "%lld", (long long)(mins / 60));
                snprintf(m, sizeof m, "%lld", (long long)(mins % 60));
                const char *args[] = {mins >= 60 ? h : m, m};
                i18n_format(text, sizeof text,
                            app_t(a, mins >= 60 ? I18N_BOARD_DUE_HM : I18N_BOARD_DUE_M), args, 2);
                snprintf(oid, sizeof oid, "board.order_due.%s", no ? no : "");
                widget_label(a->ui, oid, k, text, view_px(a, 18), mins < 60 ? t->warn : t->muted,
                             ALIGN_LEFT);
            } else {
                widget_label(a->ui, "", k, mdl ? mdl : "", view_px(a, 18), t->muted, ALIGN_LEFT);
            }
        }
    }
}

/* The page tabs at the right of the footer: the page shown is the filled one, and the
 * screen's content says which it is too. */
static void view_board_tabs(struct app *a, struct ui_rect *in)
{
    static const struct {
        const char *id;
        enum i18n_key text;
        enum view_board_page page;
    } tabs[] = {{"board.page.floor", I18N_BOARD_PAGE_FLOOR, VIEW_BOARD_FLOOR},
                {"board.page.figures", I18N_BOARD_PAGE_FIGURES, VIEW_BOARD_FIGURES}};
    int w = view_px(a, 112), gap = view_px(a, 10);
    for (int i = 1; i >= 0; i--) {
        struct ui_rect r = layout_cut_right(in, w);
        widget_button(a->ui, &a->theme, tabs[i].id, layout_centre(r, w, view_px(a, 48)),
                      app_t(a, tabs[i].text), NULL, view_px(a, 22),
                      a->bd.page == tabs[i].page ? STYLE_SECONDARY : STYLE_OUTLINE);
        layout_cut_right(in, gap);
    }
    layout_cut_right(in, view_px(a, 6));
}

static void view_board_consultants(struct app *a, struct ui_rect strip)
{
    const struct theme *t = &a->theme;
    widget_panel(a->ui, t, strip, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(strip, view_px(a, 14));
    in.x += view_px(a, 8);
    in.w -= view_px(a, 8);
    if (!a->lay.portrait)
        view_board_tabs(a, &in); /* portrait: a row of their own (view_board_build) */
    widget_label(a->ui, "board.consultants", layout_cut_left(&in, view_px(a, 170)),
                 app_t(a, I18N_BOARD_CONSULTANTS), view_px(a, 24), t->text, ALIGN_LEFT);
    const cJSON *c;
    int on_duty = 0;
    cJSON_ArrayForEach(c, model_consultants(a->model)) on_duty +=
        proto_get_bool(c, "on_duty", false);
    /* Chips share the strip: narrower when many are on duty, and a "+N" chip for those that
     * still do not fit, so nobody on duty silently disappears from the board. */
    int gap = view_px(a, 10), min_w = view_px(a, 120);
    int w = on_duty ? (in.w - gap * (on_duty - 1)) / on_duty : 0;
    if (w > view_px(a, 190))
        w = view_px(a, 190);
    int fit = on_duty;
    if (w < min_w) {
        w = min_w;
        fit = (in.w + gap) / (w + gap) - 1; /* keep room for the "+N" chip */
    }
    int n = 0;
    cJSON_ArrayForEach(c, model_consultants(a->model))
    {
        if (!proto_get_bool(c, "on_duty", false))
            continue;
        if (n >= fit) {
            char more[32];
            snprintf(more, sizeof more, "+%d", on_duty - n);
            widget_chip(a->ui, "board.consultant.more",
                        layout_centre(layout_cut_left(&in, w), w, view_px(a, 44)), more,
                        view_px(a, 21), t->muted, t->primary_text);
            break;
        }
        bool busy = proto_get_bool(c, "busy", false);
        const char *name = proto_get_str(c, "name");
        char text[160];
        snprintf(text, sizeof text, "%s \xC2\xB7 %s", name ? name : "",
                 app_t(a, busy ? I18N_BOARD_BUSY : I18N_BOARD_FREE));
        char id[40];
        snprintf(id, sizeof id, "board.consultant.%lld", (long long)proto_get_int(c, "id", 0));
        /* the text shrinks with the chip so "name · status" still fits */
        int font = view_px(a, 21) * w / view_px(a, 190);
        widget_chip(a->ui, id, layout_centre(layout_cut_left(&in, w), w, view_px(a, 44)), text,
                    font > view_px(a, 21) ? view_px(a, 21) : font, busy ? t->warn : t->ok,
                    t->primary_text);
        layout_cut_left(&in, gap);
        n++;
    }
    if (on_duty == 0)
        widget_label(a->ui, "board.nobody", in, app_t(a, I18N_BOARD_NOBODY), view_px(a, 22),
                     t->muted, ALIGN_LEFT);
}

/* The floor page: visits, orders, notifications, conflicts and complaints in b. */
static void view_board_floor_page(struct app *a, struct ui_rect b)
{
    int gap = view_px(a, 20);
    struct ui_rect visits, orders, notes, alerts;
    if (a->lay.portrait) {
        /* visits; notifications beside conflicts and complaints; orders */
        visits = layout_cut_top(&b, b.h * 30 / 100);
        layout_cut_top(&b, gap);
        struct ui_rect floor = layout_cut_top(&b, view_px(a, 264));
        layout_cut_top(&b, gap);
        notes = layout_cut_left(&floor, (floor.w - gap) / 2);
        layout_cut_left(&floor, gap);
        alerts = floor;
        orders = b;
    } else {
        /* left: visits above notifications; right: orders above conflicts | complaints */
        struct ui_rect left = layout_cut_left(&b, b.w * 36 / 100);
        layout_cut_left(&b, gap);
        visits = layout_cut_top(&left, left.h * 58 / 100);
        layout_cut_top(&left, gap);
        notes = left;
        alerts = layout_cut_bottom(&b, view_px(a, 124));
        layout_cut_bottom(&b, gap);
        orders = b;
    }
    view_board_visits(a, visits);
    view_board_orders(a, orders);
    view_board_floor_notifications(a, notes);
    view_board_floor_alerts(a, alerts, !a->lay.portrait);
}

void view_board_build(struct app *a)
{
    if (view_board_act_active(a)) {
        view_board_act_build(a); /* the flow takes the whole body */
        return;
    }
    struct ui_rect b = a->body;
    int gap = view_px(a, 20);
    struct ui_rect strip = layout_cut_bottom(&b, view_px(a, 76));
    layout_cut_bottom(&b, gap);
    if (a->lay.portrait) {
        /* A narrow footer has no room for the tabs beside the consultants: they get a row
         * of their own above it. */
        struct ui_rect row = layout_cut_bottom(&b, view_px(a, 56));
        layout_cut_bottom(&b, view_px(a, 14));
        view_board_tabs(a, &row);
    }
    if (view_board_floor_fleet_offline(a) > 0) {
        view_board_floor_fleet(a, layout_cut_bottom(&b, view_px(a, 48)));
        layout_cut_bottom(&b, view_px(a, 12));
    }
    if (a->bd.page == VIEW_BOARD_FIGURES)
        view_board_stats_build(a, b);
    else
        view_board_floor_page(a, b);
    view_board_consultants(a, strip);
}

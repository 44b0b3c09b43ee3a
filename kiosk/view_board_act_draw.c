/* Screens of the board's acting flow (see view_board_act_draw.h). Sizes in layout units, so
 * the same code serves 1280x720 to 3840x2160, landscape or portrait. UI thread only. */
#include "view_board_act_draw.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view_board_stats.h"
#include "view_common.h"

/* "订单 SF2611-0005 · 刘女士" or "撞单 · 赵先生": what the flow is about, on every step. */
static void view_board_act_draw_subject(const struct app *a, char *out, size_t outsz)
{
    const struct view_board_act *x = &a->bd.act;
    if (x->kind == BA_CONFLICT) {
        const char *cust =
            proto_get_str(proto_get_obj(view_board_act_conflict(a), "customer"), "name");
        const char *args[] = {cust ? cust : ""};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_FOR_CONFLICT), args, 1);
        return;
    }
    const char *cust = proto_get_str(proto_get_obj(view_board_act_order(a), "customer"), "name");
    const char *args[] = {x->order_no, cust ? cust : ""};
    i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_FOR_ORDER), args, 2);
}

/* The head row of the card and reason screens: the subject on the left, who is logged in on
 * the right. */
static void view_board_act_draw_head(struct app *a, struct ui_rect *b)
{
    const struct theme *t = &a->theme;
    const struct view_board_act *x = &a->bd.act;
    struct ui_rect head = layout_cut_top(b, view_px(a, 64));
    layout_cut_top(b, view_px(a, 12));
    char who[256], subject[256];
    const char *wargs[] = {x->staff_name,
                           app_t(a, (enum i18n_key)view_common_role_key(x->staff_role))};
    i18n_format(who, sizeof who, app_t(a, I18N_BOARD_ACT_WHO), wargs, 2);
    int ww = a->lay.portrait ? head.w * 40 / 100 : view_px(a, 380);
    widget_label(a->ui, "act.who", layout_cut_right(&head, ww), who, view_px(a, 22), t->muted,
                 ALIGN_RIGHT);
    view_board_act_draw_subject(a, subject, sizeof subject);
    widget_label(a->ui, "act.subject", head, subject, view_px(a, a->lay.portrait ? 30 : 36),
                 t->text, ALIGN_LEFT);
}

void view_board_act_draw_pick(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    widget_label(a->ui, "act.pick_title", layout_cut_top(&b, view_px(a, 64)),
                 app_t(a, I18N_BOARD_ACT_PICK_TITLE), view_px(a, 36), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 8));
    int cols = a->lay.portrait ? 1 : 2, gap = view_px(a, 14), rowh = view_px(a, 84);
    int per_col = (b.h + gap) / (rowh + gap);
    int total = 0, shown = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, model_orders(a->model))
    {
        int cmd = view_board_act_order_command(proto_get_str(o, "stage"));
        const char *no = proto_get_str(o, "order_no");
        if (cmd < 0 || !no)
            continue;
        total++;
        if (shown >= per_col * cols)
            continue;
        int col = shown / per_col, row = shown % per_col;
        struct ui_rect colr = layout_cell(b, cols, 1, view_px(a, 20), col);
        struct ui_rect r = {colr.x, colr.y + row * (rowh + gap), colr.w, rowh};
        shown++;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof id, "board.review.%s", no);
        widget_button(a->ui, t, id, r, "", NULL, view_px(a, 16), STYLE_OUTLINE);
        struct ui_rect k = layout_inset(r, view_px(a, 10));
        k.x += view_px(a, 8);
        k.w -= view_px(a, 16);
        bool final = cmd == PROTO_T_ORDER_APPROVE;
        struct ui_rect chip = layout_cut_right(&k, view_px(a, 150));
        widget_chip(a->ui, "", layout_centre(chip, view_px(a, 150), view_px(a, 40)),
                    app_t(a, final ? I18N_BOARD_ACT_STAGE_REVIEWED : I18N_BOARD_ACT_STAGE_ENTERED),
                    view_px(a, 20), t->secondary, t->primary_text);
        const char *cust = proto_get_str(proto_get_obj(o, "customer"), "name");
        const char *mdl = proto_get_str(proto_get_obj(o, "model"), "name");
        char top[160], bottom[160];
        snprintf(top, sizeof top, "%s  %s", no, cust ? cust : "");
        snprintf(bottom, sizeof bottom, "%s", mdl ? mdl : "");
        widget_label(a->ui, "", layout_cut_top(&k, k.h / 2), top, view_px(a, 24), t->text,
                     ALIGN_LEFT);
        widget_label(a->ui, "", k, bottom, view_px(a, 19), t->muted, ALIGN_LEFT);
    }
    if (total > shown) {
        char n[16], more[96];
        snprintf(n, sizeof n, "%d", total - shown);
        const char *ma[] = {n};
        i18n_format(more, sizeof more, app_t(a, I18N_BOARD_ACT_PICK_MORE), ma, 1);
        widget_label(a->ui, "act.pick_more", layout_cut_right(&nav, nav.w / 2), more,
                     view_px(a, 22), t->muted, ALIGN_RIGHT);
    }
    view_common_nav(a, nav, false, true);
}

void view_board_act_draw_keypad(struct app *a, bool pin)
{
    const struct theme *t = &a->theme;
    struct view_board_act *x = &a->bd.act;
    struct entry *e = pin ? &x->pin : &x->staff_no;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    struct ui_rect info, pad;
    if (a->lay.portrait) {
        info = layout_cut_top(&b, view_px(a, 520));
        layout_cut_top(&b, view_px(a, 20));
        pad = b;
    } else {
        info = layout_cut_left(&b, b.w * 52 / 100);
        layout_cut_left(&b, view_px(a, 40));
        pad = b;
    }
    char subject[256];
    view_board_act_draw_subject(a, subject, sizeof subject);
    widget_label(a->ui, "act.subject", layout_cut_top(&info, view_px(a, 44)), subject,
                 view_px(a, 26), t->muted, ALIGN_LEFT);
    widget_label(a->ui, "act.prompt", layout_cut_top(&info, view_px(a, 64)),
                 app_t(a, pin ? I18N_BOARD_ACT_PIN_TITLE : I18N_BOARD_ACT_STAFF_NO_TITLE),
                 view_px(a, 40), t->text, ALIGN_LEFT);
    widget_para(a->ui, "act.hint", layout_cut_top(&info, view_px(a, 60)),
                app_t(a, I18N_BOARD_ACT_HINT), view_px(a, 20), t->muted);
    layout_cut_top(&info, view_px(a, 8));
    char shown[96];
    entry_display(e, pin, shown, sizeof shown);
    view_common_entry_box(a, layout_cut_top(&info, view_px(a, 100)), shown, "");
    layout_cut_top(&info, view_px(a, 10));
    char msg[400] = "";
    view_common_error_text(a, x->error_key, x->error_key >= 0 ? "" : x->error_text, msg,
                           sizeof msg);
    view_common_error_line(a, layout_cut_top(&info, view_px(a, 70)), "act.msg", msg,
                           view_px(a, 24));
    layout_cut_top(&info, view_px(a, 8));
    struct ui_rect go = layout_cut_top(&info, view_px(a, 96));
    go.w = view_px(a, 320) < go.w ? view_px(a, 320) : go.w;
    struct widget *w = widget_button(a->ui, t, pin ? "btn.login_submit" : "btn.next", go,
                                     app_t(a, pin ? I18N_DELIVERY_LOGIN : I18N_STATUS_NEXT), NULL,
                                     view_px(a, 34), STYLE_PRIMARY);
    if (w)
        w->enabled = entry_state(e) == ENTRY_VALID;
    view_common_keypad(a, view_common_keypad_rect(a, pad, view_px(a, 560)), e->kind);
    view_common_nav(a, nav, true, true);
}

void view_board_act_draw_wait(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    bool sending = a->bd.act.screen == BA_SENDING;
    struct ui_rect c = layout_centre(b, b.w, view_px(a, 120));
    widget_label(a->ui, sending ? "act.sending" : "act.logging_in", c,
                 app_t(a, sending ? I18N_BOARD_ACT_SENDING : I18N_BOARD_ACT_LOGGING_IN),
                 view_px(a, 44), t->text, ALIGN_CENTRE);
    view_common_nav(a, nav, false, true);
}

/* One "label  value" row of the card; the value in `fg`. */
static void view_board_act_draw_row(struct app *a, struct ui_rect *in, int rowh, const char *id,
                                    enum i18n_key label, const char *value, struct rgba fg)
{
    const struct theme *t = &a->theme;
    struct ui_rect r = layout_cut_top(in, rowh);
    widget_label(a->ui, "", layout_cut_left(&r, view_px(a, a->lay.portrait ? 170 : 150)),
                 app_t(a, label), view_px(a, 22), t->muted, ALIGN_LEFT);
    widget_label(a->ui, id, r, value, view_px(a, 28), fg, ALIGN_LEFT);
}

/* The time-limit line: this review's limit (met so far, or missed and when it was due), then
 * the limits the order missed before, in words. *late says whether this review is late. */
static void view_board_act_limit_text(const struct app *a, const cJSON *o, bool final, char *out,
                                      size_t outsz, bool *late)
{
    const struct view_board_act *x = &a->bd.act;
    unsigned now_bit = final ? VIEW_BOARD_ACT_LATE_FINAL : VIEW_BOARD_ACT_LATE_INITIAL;
    unsigned earlier = 0;
    if (x->got) {
        *late = x->breach_due > 0;
        earlier = x->earlier_late;
    } else {
        /* until order_get answers: the board's kinds, which cannot tell this round's breach
         * from an earlier one */
        *late = false;
        const cJSON *k;
        cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "sla_breaches"))
        {
            unsigned bit = cJSON_IsString(k) ? view_board_act_late_bit(k->valuestring) : 0;
            if (bit == now_bit)
                *late = true;
            else
                earlier |= bit;
        }
    }
    if (*late && x->breach_due > 0) {
        char due[32];
        view_common_when(a, x->breach_due, due, sizeof due);
        const char *da[] = {due};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_BREACHED_AT), da, 1);
    } else {
        snprintf(out, outsz, "%s",
                 app_t(a, *late ? I18N_BOARD_ACT_BREACHED : I18N_BOARD_ACT_WITHIN));
    }
    static const struct {
        unsigned bit;
        enum i18n_key key;
    } kinds[] = {{VIEW_BOARD_ACT_LATE_ENTRY, I18N_BOARD_ACT_K_ENTRY},
                 {VIEW_BOARD_ACT_LATE_INITIAL, I18N_BOARD_ACT_K_INITIAL},
                 {VIEW_BOARD_ACT_LATE_FINAL, I18N_BOARD_ACT_K_FINAL}};
    char list[160] = "", tmp[160];
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (!(earlier & kinds[i].bit))
            continue;
        if (!list[0]) {
            snprintf(list, sizeof list, "%s", app_t(a, kinds[i].key));
            continue;
        }
        const char *pa[] = {list, app_t(a, kinds[i].key)};
        i18n_format(tmp, sizeof tmp, app_t(a, I18N_BOARD_ACT_LIST_PAIR), pa, 2);
        snprintf(list, sizeof list, "%s", tmp);
    }
    if (list[0]) {
        size_t len = strlen(out);
        const char *ea[] = {list};
        i18n_format(tmp, sizeof tmp, app_t(a, I18N_BOARD_ACT_EARLIER), ea, 1);
        snprintf(out + len, outsz - len, " \xC2\xB7 %s", tmp);
    }
}

/* The order's facts in the panel p. */
static void view_board_act_draw_facts(struct app *a, struct ui_rect p, const cJSON *o, bool final)
{
    const struct theme *t = &a->theme;
    const struct view_board_act *x = &a->bd.act;
    widget_panel(a->ui, t, p, t->surface, view_px(a, 16));
    struct ui_rect in = layout_inset(p, view_px(a, 20));
    int rowh = in.h / 6 < view_px(a, 70) ? in.h / 6 : view_px(a, 70);
    const char *dash = app_t(a, I18N_DASH);
    const char *cust = proto_get_str(proto_get_obj(o, "customer"), "name");
    view_board_act_draw_row(a, &in, rowh, "act.customer", I18N_BOARD_ACT_CUSTOMER,
                            cust ? cust : dash, t->text);
    char text[256];
    const char *mdl = proto_get_str(proto_get_obj(o, "model"), "name");
    const char *colour = proto_get_str(o, "colour");
    int qty = (int)proto_get_int(o, "quantity", 1);
    char q[24] = "";
    if (qty > 1)
        snprintf(q, sizeof q, " \xC3\x97 %d", qty);
    snprintf(text, sizeof text, "%s%s%s%s", mdl ? mdl : dash, colour ? " \xC2\xB7 " : "",
             colour ? colour : "", q);
    view_board_act_draw_row(a, &in, rowh, "act.model", I18N_BOARD_ACT_MODEL, text, t->text);
    char yuan[48], money[96];
    view_board_stats_yuan(proto_get_int(o, "total_fen", 0), yuan, sizeof yuan);
    const char *ya[] = {yuan};
    i18n_format(money, sizeof money, app_t(a, I18N_BOARD_YUAN), ya, 1);
    const char *pay = proto_get_str(o, "payment");
    bool loan = pay && strcmp(pay, "loan") == 0;
    snprintf(text, sizeof text, "%s \xC2\xB7 %s", money,
             app_t(a, loan ? I18N_BOARD_ACT_PAYMENT_LOAN : I18N_BOARD_ACT_PAYMENT_FULL));
    view_board_act_draw_row(a, &in, rowh, "act.amount", I18N_BOARD_ACT_AMOUNT, text, t->text);
    const char *cons = proto_get_str(proto_get_obj(o, "consultant"), "name");
    view_board_act_draw_row(a, &in, rowh, "act.consultant", I18N_BOARD_ACT_CONSULTANT,
                            cons ? cons : dash, t->text);
    /* How long it has waited for this review: order_get's stamp, else the board's last
     * change of the order (close enough until the answer comes). */
    int64_t since = x->waiting_since > 0 ? x->waiting_since : proto_get_int(o, "updated_at", 0);
    char waited[64];
    view_board_act_duration(a, since > 0 ? app_hub_now(a) - since : 0, waited, sizeof waited);
    view_board_act_draw_row(a, &in, rowh, "act.waited", I18N_BOARD_ACT_WAITED, waited, t->text);
    bool late = false;
    view_board_act_limit_text(a, o, final, text, sizeof text, &late);
    view_board_act_draw_row(a, &in, rowh, "act.limit", I18N_BOARD_ACT_LIMIT, text,
                            late ? t->danger : t->text);
}

static void view_board_act_draw_order_card(struct app *a, struct ui_rect b)
{
    const struct theme *t = &a->theme;
    const cJSON *o = view_board_act_order(a);
    int cmd = view_board_act_order_command(o ? proto_get_str(o, "stage") : NULL);
    bool final = cmd == PROTO_T_ORDER_APPROVE;
    struct ui_rect facts, side;
    int gap = view_px(a, 24);
    if (a->lay.portrait) {
        facts = layout_cut_top(&b, view_px(a, 480));
        layout_cut_top(&b, gap);
        side = b;
    } else {
        facts = layout_cut_left(&b, b.w * 58 / 100);
        layout_cut_left(&b, gap);
        side = b;
    }
    if (o)
        view_board_act_draw_facts(a, facts, o, final);
    /* the stage, in words: what is being decided */
    struct ui_rect st = layout_cut_top(&side, view_px(a, 56));
    layout_cut_top(&side, view_px(a, 16));
    enum i18n_key sk = cmd < 0 ? I18N_BOARD_ACT_STAGE_OTHER
                       : final ? I18N_BOARD_ACT_STAGE_REVIEWED
                               : I18N_BOARD_ACT_STAGE_ENTERED;
    widget_chip(a->ui, "act.stage", st, app_t(a, sk), view_px(a, 26),
                cmd < 0 ? t->muted : t->secondary, t->primary_text);
    if (cmd < 0) {
        /* decided elsewhere meanwhile (or gone): nothing to decide here */
        widget_para(a->ui, "act.moved", layout_cut_top(&side, view_px(a, 100)),
                    app_t(a, I18N_BOARD_ACT_ERR_STATE), view_px(a, 24), t->text);
        return;
    }
    int bh = view_px(a, a->lay.portrait ? 150 : 130);
    struct ui_rect yes, no;
    if (a->lay.portrait) {
        struct ui_rect row = layout_cut_top(&side, bh);
        yes = layout_cut_left(&row, (row.w - gap) / 2);
        layout_cut_left(&row, gap);
        no = row;
    } else {
        yes = layout_cut_top(&side, bh);
        layout_cut_top(&side, gap);
        no = layout_cut_top(&side, bh);
    }
    widget_button(a->ui, t, "act.approve", yes,
                  app_t(a, final ? I18N_BOARD_ACT_APPROVE : I18N_BOARD_ACT_PASS), NULL,
                  view_px(a, 40), STYLE_PRIMARY);
    widget_button(a->ui, t, "act.reject", no,
                  app_t(a, final ? I18N_BOARD_ACT_REJECT : I18N_BOARD_ACT_RETURN),
                  app_t(a, I18N_BOARD_ACT_REJECT_SUB), view_px(a, 40), STYLE_SECONDARY);
}

/* "跟进 3 次 · 最近 11/20 14:00" or "无跟进记录" of a claimant into out. */
static void view_board_act_draw_evidence(const struct app *a, const cJSON *cl, char *out,
                                         size_t outsz)
{
    const cJSON *ev = proto_get_obj(cl, "evidence");
    int64_t n = proto_get_int(ev, "followups", 0);
    int64_t last = proto_get_int(ev, "last_followup_at", 0);
    if (n <= 0 || last <= 0) {
        snprintf(out, outsz, "%s", app_t(a, I18N_BOARD_ACT_EVIDENCE_NONE));
        return;
    }
    char cnt[24], when[32];
    snprintf(cnt, sizeof cnt, "%lld", (long long)n);
    view_common_when(a, last, when, sizeof when);
    const char *args[] = {cnt, when};
    i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_EVIDENCE), args, 2);
}

static void view_board_act_draw_conflict_card(struct app *a, struct ui_rect b)
{
    const struct theme *t = &a->theme;
    const cJSON *cf = view_board_act_conflict(a);
    if (!cf) {
        widget_para(a->ui, "act.moved", layout_cut_top(&b, view_px(a, 100)),
                    app_t(a, I18N_BOARD_ACT_ERR_STATE), view_px(a, 26), t->text);
        return;
    }
    int64_t due = proto_get_int(cf, "due_at", 0);
    char opened[32], by[32], line[256];
    view_common_when(a, proto_get_int(cf, "opened_at", 0), opened, sizeof opened);
    view_common_when(a, due, by, sizeof by);
    const char *oa[] = {opened, by};
    i18n_format(line, sizeof line, app_t(a, I18N_BOARD_ACT_OPENED), oa, 2);
    struct ui_rect r = layout_cut_top(&b, view_px(a, 48));
    if (due > 0 && app_hub_now(a) > due) {
        /* late in words, red only as a second cue */
        struct ui_rect chip = layout_cut_right(&r, view_px(a, 120));
        widget_chip(a->ui, "act.late", layout_centre(chip, view_px(a, 120), view_px(a, 40)),
                    app_t(a, I18N_BOARD_OVERDUE), view_px(a, 22), t->danger, t->primary_text);
    }
    widget_label(a->ui, "act.opened", r, line, view_px(a, 24), t->muted, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 10));
    widget_label(a->ui, "act.rule_title", layout_cut_top(&b, view_px(a, 60)),
                 app_t(a, I18N_BOARD_ACT_RULE_TITLE), view_px(a, 36), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 10));
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cf, "claimants");
    int n = cJSON_GetArraySize(list);
    if (n > 4)
        n = 4; /* two in practice: the lead's owner and the one who served */
    int gap = view_px(a, 24);
    int bh = view_px(a, 170);
    /* landscape: the claimants side by side in one row; portrait: one under the other */
    struct ui_rect row = a->lay.portrait ? b : layout_cut_top(&b, bh);
    for (int i = 0; i < n; i++) {
        const cJSON *cl = cJSON_GetArrayItem(list, i);
        struct ui_rect cell =
            a->lay.portrait ? layout_cut_top(&row, bh) : layout_cell(row, n, 1, gap, i);
        if (a->lay.portrait)
            layout_cut_top(&row, gap);
        const char *name = proto_get_str(cl, "name");
        const char *role = proto_get_str(cl, "role");
        char ev[96], sub[WIDGET_SUB_MAX], id[WIDGET_ID_MAX];
        view_board_act_draw_evidence(a, cl, ev, sizeof ev);
        bool owner = role && strcmp(role, "owner") == 0;
        snprintf(sub, sizeof sub, "%s \xC2\xB7 %s",
                 app_t(a, owner ? I18N_BOARD_ACT_OWNER : I18N_BOARD_ACT_SERVING), ev);
        snprintf(id, sizeof id, "act.winner.%d", i);
        struct widget *w =
            widget_button(a->ui, t, id, cell, name ? name : "", sub, view_px(a, 40), STYLE_OUTLINE);
        if (w) {
            w->sub_size = view_px(a, 22);
            w->enabled = proto_get_str(cl, "staff_no") != NULL; /* the hub rules by number */
        }
    }
}

void view_board_act_draw_card(struct app *a)
{
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    view_board_act_draw_head(a, &b);
    if (a->bd.act.kind == BA_CONFLICT)
        view_board_act_draw_conflict_card(a, b);
    else
        view_board_act_draw_order_card(a, b);
    view_common_nav(a, nav, false, true);
}

void view_board_act_draw_reason(struct app *a)
{
    const struct theme *t = &a->theme;
    const struct view_board_act *x = &a->bd.act;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 84));
    layout_cut_bottom(&b, view_px(a, 20));
    /* the confirmation where the thumb ends up: right of Back/Cancel, or (portrait, too narrow
     * for three) a row of its own above them */
    struct ui_rect go;
    if (a->lay.portrait) {
        go = layout_cut_bottom(&b, view_px(a, 100));
        layout_cut_bottom(&b, view_px(a, 20));
    } else {
        go = layout_cut_right(&nav, view_px(a, 380) < nav.w / 2 ? view_px(a, 380) : nav.w / 2);
    }
    view_board_act_draw_head(a, &b);
    bool rule = x->kind == BA_CONFLICT;
    char title[256];
    const char *ta[] = {x->winner_name};
    i18n_format(title, sizeof title,
                app_t(a, rule ? I18N_BOARD_ACT_RULE_REASON_TITLE : I18N_BOARD_ACT_REASON_TITLE), ta,
                1);
    widget_label(a->ui, "act.reason_title", layout_cut_top(&b, view_px(a, 64)), title,
                 view_px(a, 34), t->text, ALIGN_LEFT);
    layout_cut_top(&b, view_px(a, 12));
    int n = rule ? VIEW_BOARD_ACT_RULE_REASONS : VIEW_BOARD_ACT_ORDER_REASONS;
    const enum i18n_key *keys = rule ? view_board_act_rule_reasons : view_board_act_order_reasons;
    int cols = a->lay.portrait ? 1 : 2, gap = view_px(a, 16);
    int rows = (n + cols - 1) / cols;
    /* chips as tall as the room allows, up to 84 units */
    int chiph = (b.h - (rows - 1) * gap) / rows;
    if (chiph > view_px(a, 84))
        chiph = view_px(a, 84);
    struct ui_rect grid = layout_cut_top(&b, rows * chiph + (rows - 1) * gap);
    for (int i = 0; i < n; i++) {
        char id[WIDGET_ID_MAX], text[WIDGET_TEXT_MAX];
        snprintf(id, sizeof id, "reason.%d", i);
        /* the chosen one is ticked, not only filled */
        snprintf(text, sizeof text, "%s%s", x->reason == i ? "\xE2\x9C\x93 " : "",
                 app_t(a, keys[i]));
        widget_button(a->ui, t, id, layout_cell(grid, cols, rows, gap, i), text, NULL,
                      view_px(a, 28), x->reason == i ? STYLE_PRIMARY : STYLE_OUTLINE);
    }
    struct widget *w =
        widget_button(a->ui, t, "act.confirm", go,
                      app_t(a, rule ? I18N_BOARD_ACT_CONFIRM_RULE : I18N_BOARD_ACT_CONFIRM_REJECT),
                      NULL, view_px(a, 34), rule ? STYLE_PRIMARY : STYLE_SECONDARY);
    if (w)
        w->enabled = x->reason >= 0;
    view_common_nav(a, nav, true, true);
}

/* The refusal in words: who may not (forbidden), or the error's text. */
static void view_board_act_draw_refusal(const struct app *a, char *out, size_t outsz)
{
    const struct view_board_act *x = &a->bd.act;
    if (x->error_key == I18N_BOARD_ACT_ERR_FORBIDDEN) {
        const char *args[] = {x->staff_name,
                              app_t(a, (enum i18n_key)view_common_role_key(x->staff_role))};
        i18n_format(out, outsz, app_t(a, I18N_BOARD_ACT_ERR_FORBIDDEN), args, 2);
        return;
    }
    if (x->error_key == I18N_UNREACHABLE) {
        snprintf(out, outsz, "%s", app_t(a, I18N_BOARD_ACT_UNKNOWN_BODY));
        return;
    }
    view_common_error_text(a, x->error_key, x->error_key >= 0 ? "" : x->error_text, out, outsz);
}

/* The next button's place in a row (or a stack) of buttons, and the gap after it. */
static struct ui_rect view_board_act_draw_slot(struct ui_rect *row, bool stack, int bw, int bh,
                                               int gap)
{
    struct ui_rect r = stack ? layout_cut_top(row, bh) : layout_cut_left(row, bw);
    if (stack)
        layout_cut_top(row, gap); /* layout_cut_* stop at the row's end */
    else
        layout_cut_left(row, gap);
    return r;
}

void view_board_act_draw_done(struct app *a)
{
    const struct theme *t = &a->theme;
    const struct view_board_act *x = &a->bd.act;
    struct ui_rect b = a->body;
    struct ui_rect c = layout_centre(b, b.w * 9 / 10, view_px(a, a->lay.portrait ? 820 : 560));
    bool unknown = !x->ok && x->error_key == I18N_UNREACHABLE;
    struct ui_rect ir = layout_cut_top(&c, view_px(a, 96));
    view_common_icon(a, layout_centre(ir, view_px(a, 88), view_px(a, 88)),
                     x->ok ? "\xE2\x9C\x93" : "!", x->ok ? t->ok : t->danger);
    layout_cut_top(&c, view_px(a, 12));
    enum i18n_key title = x->ok     ? I18N_BOARD_ACT_DONE_TITLE
                          : unknown ? I18N_BOARD_ACT_UNKNOWN_TITLE
                                    : I18N_BOARD_ACT_REFUSED_TITLE;
    widget_label(a->ui, "act.done_title", layout_cut_top(&c, view_px(a, 76)), app_t(a, title),
                 view_px(a, 50), x->ok ? t->text : t->danger, ALIGN_CENTRE);
    char body[WIDGET_TEXT_MAX];
    if (x->ok)
        snprintf(body, sizeof body, "%s", x->done_text);
    else
        view_board_act_draw_refusal(a, body, sizeof body);
    struct widget *w = widget_para(a->ui, "act.done_body", layout_cut_top(&c, view_px(a, 100)),
                                   body, view_px(a, 30), t->text);
    if (w)
        w->align = ALIGN_CENTRE;
    /* the hub's own words under a refusal: the reason as the rules gave it */
    if (!x->ok && !unknown && x->error_text[0]) {
        char hub[WIDGET_TEXT_MAX];
        const char *ha[] = {x->error_text};
        i18n_format(hub, sizeof hub, app_t(a, I18N_BOARD_ACT_HUB_SAYS), ha, 1);
        w = widget_para(a->ui, "act.hub_says", layout_cut_top(&c, view_px(a, 60)), hub,
                        view_px(a, 20), t->muted);
        if (w)
            w->align = ALIGN_CENTRE;
    } else {
        layout_cut_top(&c, view_px(a, 60));
    }
    int64_t left_ms = VIEW_BOARD_ACT_DONE_MS - (a->mono - x->done_at);
    char secs[24], note[160];
    snprintf(secs, sizeof secs, "%lld", (long long)((left_ms > 0 ? left_ms : 0) + 999) / 1000);
    const char *na[] = {secs};
    i18n_format(note, sizeof note, app_t(a, I18N_BOARD_ACT_LOGOUT_NOTE), na, 1);
    widget_label(a->ui, "act.logout_note", layout_cut_top(&c, view_px(a, 40)), note, view_px(a, 20),
                 t->muted, ALIGN_CENTRE);
    layout_cut_top(&c, view_px(a, 16));
    /* Finish; after a refusal also Back to the card (another decision) and, when the hub did
     * not answer, Retry with the same command id. Side by side, or stacked when narrow. */
    int gap = view_px(a, 24), bh = view_px(a, 96);
    int nb = 1 + (!x->ok && x->logged_in) + unknown;
    int bw = view_px(a, 340);
    bool stack = nb * bw + (nb - 1) * gap > c.w;
    struct ui_rect row = stack
                             ? layout_centre(layout_cut_top(&c, nb * bh + (nb - 1) * gap), bw,
                                             nb * bh + (nb - 1) * gap)
                             : layout_centre(layout_cut_top(&c, bh), nb * bw + (nb - 1) * gap, bh);
    struct ui_rect slot;
    if (unknown) {
        slot = view_board_act_draw_slot(&row, stack, bw, bh, gap);
        widget_button(a->ui, t, "btn.retry", slot, app_t(a, I18N_RETRY), NULL, view_px(a, 32),
                      STYLE_PRIMARY);
    }
    if (!x->ok && x->logged_in) {
        slot = view_board_act_draw_slot(&row, stack, bw, bh, gap);
        widget_button(a->ui, t, "btn.back", slot, app_t(a, I18N_BACK), NULL, view_px(a, 32),
                      STYLE_OUTLINE);
    }
    slot = view_board_act_draw_slot(&row, stack, bw, bh, gap);
    widget_button(a->ui, t, "btn.finish", slot, app_t(a, I18N_BOARD_ACT_FINISH), NULL,
                  view_px(a, 32), unknown ? STYLE_OUTLINE : STYLE_PRIMARY);
}

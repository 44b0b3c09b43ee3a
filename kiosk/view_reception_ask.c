/* The reception's questions for a new customer (see view_reception.h): an intended model
 * from tiles of the hub's catalogue, how they heard of us (chips of customer-facing
 * channels), first visit or not, how to address them, and a surname on an on-screen
 * keyboard with pinyin candidates. A tap on a tile answers and moves on; every step has
 * Back, Cancel, Skip and "call staff"; the last one sends the checkin. UI thread only. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "pinyin_surname.h"
#include "view_common.h"
#include "widget_keyboard.h"
#include "widget_tiles.h"

/* Tiles shown at most (the catalogue of one dealer is a handful of models). */
#define REC_MAX_TILES 12
/* Surname candidates in the row above the keyboard. */
#define REC_MAX_CANDIDATES 8

static const struct view_rec_source view_rec_sources[] = {
    {"walk_in", I18N_REC_SRC_WALK_IN},       {"referral", I18N_REC_SRC_REFERRAL},
    {"web_autohome", I18N_REC_SRC_AUTOHOME}, {"web_yiche", I18N_REC_SRC_YICHE},
    {"web_official", I18N_REC_SRC_OFFICIAL}, {"social_douyin", I18N_REC_SRC_DOUYIN},
    {"social_wechat", I18N_REC_SRC_WECHAT},  {"social_weibo", I18N_REC_SRC_WEIBO},
    {"auto_show", I18N_REC_SRC_AUTO_SHOW},   {"phone_in", I18N_REC_SRC_PHONE_IN},
};

#define REC_N_SOURCES ((int)(sizeof view_rec_sources / sizeof view_rec_sources[0]))

const struct view_rec_source *view_reception_sources(int *n)
{
    *n = REC_N_SOURCES;
    return view_rec_sources;
}

/* Title, hint and step count at the top, call staff at its right, Back / Cancel / Skip at
 * the bottom; returns the area left for the step's own widgets. */
static struct ui_rect view_rec_ask_frame(struct app *a, enum i18n_key title, enum i18n_key hint,
                                         enum i18n_key skip)
{
    const struct theme *t = &a->theme;
    struct ui_rect b = a->body;
    struct ui_rect nav = layout_cut_bottom(&b, view_px(a, 80));
    layout_cut_bottom(&b, view_px(a, 12));
    struct ui_rect head = layout_cut_top(&b, view_px(a, 72));
    view_reception_call_button(a, layout_cut_right(&head, view_px(a, 260)), view_px(a, 24));
    layout_cut_right(&head, view_px(a, 20));
    widget_label(a->ui, "rec.ask_title", head, app_t(a, title), view_px(a, 44), t->text,
                 ALIGN_LEFT);
    /* two lines in portrait, where a long English hint would not fit one */
    struct ui_rect sub = layout_cut_top(&b, view_px(a, a->lay.portrait ? 72 : 44));
    char step[64], n[8], of[8];
    snprintf(n, sizeof n, "%d", (int)(a->rec.screen - REC_MODEL) + 1);
    snprintf(of, sizeof of, "%d", REC_ASK_STEPS);
    const char *args[] = {n, of};
    i18n_format(step, sizeof step, app_t(a, I18N_REC_STEP), args, 2);
    struct widget *sw = widget_label(a->ui, "rec.ask_step", layout_cut_right(&sub, view_px(a, 200)),
                                     step, view_px(a, 24), t->muted, ALIGN_RIGHT);
    if (sw)
        sw->r.h = view_px(a, 44); /* level with the hint's first line */
    layout_cut_right(&sub, view_px(a, 16));
    widget_para(a->ui, "rec.ask_hint", sub, app_t(a, hint), view_px(a, 26), t->muted);
    layout_cut_top(&b, view_px(a, 12));
    /* outlined: skipping is allowed, not suggested */
    widget_button(a->ui, t, "btn.skip",
                  layout_cut_right(&nav, view_px(a, a->lay.portrait ? 200 : 260)), app_t(a, skip),
                  NULL, view_px(a, 30), STYLE_OUTLINE);
    layout_cut_right(&nav, view_px(a, 20));
    view_common_nav(a, nav, true, true);
    return b;
}

/* "18.98" (万) and "189,800" (yuan) for a price in fen, for the tile's second line. */
static void view_rec_price(int64_t fen, char *wan, size_t wansz, char *yuan, size_t yuansz)
{
    int64_t y = fen / 100;
    snprintf(wan, wansz, "%lld.%02lld", (long long)(y / 10000), (long long)(y % 10000 / 100));
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)y);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < yuansz; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            yuan[o++] = ',';
        yuan[o++] = digits[i];
    }
    yuan[o] = '\0';
}

static void view_rec_model(struct app *a)
{
    const struct theme *t = &a->theme;
    struct ui_rect area =
        view_rec_ask_frame(a, I18N_REC_MODEL_TITLE, I18N_REC_MODEL_HINT, I18N_REC_MODEL_UNSURE);
    const cJSON *models = model_models(a->model);
    int n = cJSON_GetArraySize(models);
    if (n > REC_MAX_TILES)
        n = REC_MAX_TILES;
    if (n == 0) {
        widget_para(a->ui, "rec.model_none", area, app_t(a, I18N_REC_MODEL_NONE), view_px(a, 30),
                    t->muted);
        return;
    }
    struct ui_rect cells[REC_MAX_TILES];
    int fit = widget_tiles_grid(area, n, view_px(a, 300), view_px(a, 110), view_px(a, 220),
                                a->lay.portrait ? 2 : 3, view_px(a, 20), cells);
    bool en = a->lang == I18N_EN;
    for (int i = 0; i < fit; i++) {
        const cJSON *m = cJSON_GetArrayItem(models, i);
        const char *code = proto_get_str(m, "code");
        if (!code)
            continue;
        const char *name = proto_get_str(m, en ? "name_en" : "name");
        if (!name || !name[0])
            name = proto_get_str(m, "name");
        char wan[32], yuan[32], price[96] = "", id[WIDGET_ID_MAX];
        int64_t fen = proto_get_int(m, "price_fen", 0);
        if (fen > 0) {
            view_rec_price(fen, wan, sizeof wan, yuan, sizeof yuan);
            const char *pa[] = {wan, yuan};
            i18n_format(price, sizeof price, app_t(a, I18N_REC_MODEL_PRICE), pa, 2);
        }
        snprintf(id, sizeof id, "model.%s", code);
        widget_tile(a->ui, t, id, cells[i], name ? name : code, price, view_px(a, 40),
                    strcmp(a->rec.ans.model, code) == 0);
    }
}

static void view_rec_source(struct app *a)
{
    struct ui_rect area =
        view_rec_ask_frame(a, I18N_REC_SOURCE_TITLE, I18N_REC_SOURCE_HINT, I18N_REC_SKIP);
    struct ui_rect cells[REC_N_SOURCES];
    int fit = widget_tiles_grid(area, REC_N_SOURCES, view_px(a, 220), view_px(a, 84),
                                view_px(a, 120), a->lay.portrait ? 2 : 4, view_px(a, 18), cells);
    for (int i = 0; i < fit; i++) {
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof id, "source.%s", view_rec_sources[i].code);
        widget_tile(a->ui, &a->theme, id, cells[i], app_t(a, view_rec_sources[i].key), NULL,
                    view_px(a, 32), strcmp(a->rec.ans.source, view_rec_sources[i].code) == 0);
    }
}

/* Two large tiles side by side (stacked in portrait), for yes/no and Mr/Ms. */
static void view_rec_pair(struct app *a, struct ui_rect area, const char *ids[2],
                          const enum i18n_key keys[2], const bool selected[2])
{
    int h = view_px(a, 180);
    struct ui_rect box =
        a->lay.portrait
            ? layout_centre(area, area.w, 2 * h + view_px(a, 30))
            : layout_centre(area, area.w < view_px(a, 900) ? area.w : view_px(a, 900), h);
    for (int i = 0; i < 2; i++) {
        struct ui_rect cell = a->lay.portrait ? layout_cell(box, 1, 2, view_px(a, 30), i)
                                              : layout_cell(box, 2, 1, view_px(a, 30), i);
        widget_tile(a->ui, &a->theme, ids[i], cell, app_t(a, keys[i]),
                    view_reception_other(a, keys[i]), view_px(a, 44), selected[i]);
    }
}

static void view_rec_first(struct app *a)
{
    struct ui_rect area =
        view_rec_ask_frame(a, I18N_REC_FIRST_TITLE, I18N_REC_FIRST_HINT, I18N_REC_SKIP);
    const char *ids[2] = {"first.yes", "first.no"};
    const enum i18n_key keys[2] = {I18N_REC_FIRST_YES, I18N_REC_FIRST_NO};
    const bool sel[2] = {a->rec.ans.first_visit == 1, a->rec.ans.first_visit == 0};
    view_rec_pair(a, area, ids, keys, sel);
}

static void view_rec_gender(struct app *a)
{
    struct ui_rect area =
        view_rec_ask_frame(a, I18N_REC_GENDER_TITLE, I18N_REC_GENDER_HINT, I18N_REC_SKIP);
    const char *ids[2] = {"gender.male", "gender.female"};
    const enum i18n_key keys[2] = {I18N_REC_GENDER_MALE, I18N_REC_GENDER_FEMALE};
    const bool sel[2] = {a->rec.ans.gender == REC_GENDER_MALE,
                         a->rec.ans.gender == REC_GENDER_FEMALE};
    view_rec_pair(a, area, ids, keys, sel);
}

/* The candidates for what is typed now: only while it is Latin letters (pinyin). */
static size_t view_rec_candidates(const struct view_rec_answers *q, const char **out)
{
    return pinyin_surname_match(q->name, out, REC_MAX_CANDIDATES);
}

static void view_rec_name(struct app *a)
{
    const struct theme *t = &a->theme;
    struct view_rec_answers *q = &a->rec.ans;
    struct ui_rect area =
        view_rec_ask_frame(a, I18N_REC_NAME_TITLE, I18N_REC_NAME_HINT, I18N_REC_SKIP);
    int kw = area.w < view_px(a, 1000) ? area.w : view_px(a, 1000);
    struct ui_rect col = layout_centre(area, kw, area.h);
    struct ui_rect top = layout_cut_top(&col, view_px(a, 64));
    /* the box as view_common_entry_box draws it, with a face that fits this shorter row */
    struct ui_rect box = layout_cut_left(&top, kw * 2 / 5);
    widget_panel(a->ui, t, box, t->surface, view_px(a, 14));
    widget_label(a->ui, "entry.display", layout_inset(box, view_px(a, 8)),
                 q->name[0] ? q->name : app_t(a, I18N_REC_NAME_EMPTY),
                 view_px(a, q->name[0] ? 38 : 26), q->name[0] ? t->text : t->muted, ALIGN_CENTRE);
    layout_cut_left(&top, view_px(a, 20));
    const char *cand[REC_MAX_CANDIDATES];
    size_t nc = view_rec_candidates(q, cand);
    if (nc == 0) {
        widget_label(a->ui, "rec.name_pick", top, app_t(a, I18N_REC_NAME_PICK), view_px(a, 26),
                     t->muted, ALIGN_LEFT);
    } else {
        int cw = view_px(a, 80), gap = view_px(a, 10);
        for (size_t i = 0; i < nc && top.w >= cw; i++) {
            char id[WIDGET_ID_MAX];
            snprintf(id, sizeof id, "cand.%zu", i);
            widget_tile(a->ui, t, id, layout_cut_left(&top, cw), cand[i], NULL, view_px(a, 40),
                        false);
            layout_cut_left(&top, gap);
        }
    }
    layout_cut_top(&col, view_px(a, 8));
    int kmax = view_px(a, a->lay.portrait ? 440 : 320);
    int kh = col.h < kmax ? col.h : kmax;
    widget_keyboard_letters(a->ui, t, layout_cut_top(&col, kh), q->shift, app_t(a, I18N_KB_SPACE),
                            app_t(a, I18N_KEY_DEL), app_t(a, I18N_REC_SUBMIT));
}

void view_reception_ask_build(struct app *a)
{
    switch (a->rec.screen) {
    case REC_MODEL:
        view_rec_model(a);
        break;
    case REC_SOURCE:
        view_rec_source(a);
        break;
    case REC_FIRST:
        view_rec_first(a);
        break;
    case REC_GENDER:
        view_rec_gender(a);
        break;
    case REC_NAME:
        view_rec_name(a);
        break;
    default:
        break;
    }
}

/* The step after this one; after the name, the checkin goes. */
static void view_rec_next(struct app *a)
{
    struct view_reception *r = &a->rec;
    if (r->screen == REC_NAME) {
        view_reception_send(a);
        return;
    }
    r->screen = (enum view_reception_screen)(r->screen + 1);
}

/* True when the name holds anything but blanks. */
static bool view_rec_has_name(const char *s)
{
    for (; *s; s++)
        if (*s != ' ')
            return true;
    return false;
}

static void view_rec_name_key(struct app *a, const char *id)
{
    struct view_rec_answers *q = &a->rec.ans;
    if (strncmp(id, "cand.", 5) == 0) {
        const char *cand[REC_MAX_CANDIDATES];
        size_t nc = view_rec_candidates(q, cand);
        unsigned i = 0;
        if (sscanf(id + 5, "%u", &i) == 1 && i < nc)
            snprintf(q->name, sizeof q->name, "%s", cand[i]);
        return;
    }
    /* A chosen surname is whole: a letter typed after it starts over (del still edits it). */
    bool chosen = q->name[0] && ((unsigned char)q->name[0] & 0x80);
    bool letter = strlen(id) == 4 && strncmp(id, "kb.", 3) == 0;
    if (chosen && letter)
        q->name[0] = '\0';
    switch (widget_keyboard_apply(id, q->name, sizeof q->name, &q->shift)) {
    case WIDGET_KEYBOARD_DONE:
        if (!view_rec_has_name(q->name))
            q->name[0] = '\0';
        view_rec_next(a);
        break;
    case WIDGET_KEYBOARD_CHANGED:
    case WIDGET_KEYBOARD_SHIFT:
    case WIDGET_KEYBOARD_NONE:
        break;
    }
}

/* Only a model of the catalogue the kiosk holds is sent (the hub refuses others). */
static bool view_rec_model_known(const struct app *a, const char *code)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, model_models(a->model))
    {
        const char *c = proto_get_str(m, "code");
        if (c && strcmp(c, code) == 0)
            return true;
    }
    return false;
}

void view_reception_ask_action(struct app *a, const char *id)
{
    struct view_reception *r = &a->rec;
    struct view_rec_answers *q = &r->ans;
    if (strcmp(id, "btn.back") == 0) {
        r->screen =
            (enum view_reception_screen)(r->screen == REC_MODEL ? REC_PHONE : r->screen - 1);
        return;
    }
    if (strcmp(id, "btn.skip") == 0) {
        /* skipping says "not telling": whatever was chosen here before is dropped */
        switch (r->screen) {
        case REC_MODEL:
            q->model[0] = '\0';
            break;
        case REC_SOURCE:
            q->source[0] = '\0';
            break;
        case REC_FIRST:
            q->first_visit = -1;
            break;
        case REC_GENDER:
            q->gender = REC_GENDER_UNSET;
            break;
        case REC_NAME:
            q->name[0] = '\0';
            break;
        default:
            break;
        }
        view_rec_next(a);
        return;
    }
    switch (r->screen) {
    case REC_MODEL:
        if (strncmp(id, "model.", 6) == 0 && view_rec_model_known(a, id + 6)) {
            snprintf(q->model, sizeof q->model, "%s", id + 6);
            view_rec_next(a);
        }
        break;
    case REC_SOURCE:
        for (int i = 0; i < REC_N_SOURCES; i++) {
            if (strncmp(id, "source.", 7) == 0 && strcmp(id + 7, view_rec_sources[i].code) == 0) {
                snprintf(q->source, sizeof q->source, "%s", view_rec_sources[i].code);
                view_rec_next(a);
            }
        }
        break;
    case REC_FIRST:
        if (strcmp(id, "first.yes") == 0 || strcmp(id, "first.no") == 0) {
            q->first_visit = strcmp(id, "first.yes") == 0;
            view_rec_next(a);
        }
        break;
    case REC_GENDER:
        if (strcmp(id, "gender.male") == 0 || strcmp(id, "gender.female") == 0) {
            q->gender = strcmp(id, "gender.male") == 0 ? REC_GENDER_MALE : REC_GENDER_FEMALE;
            view_rec_next(a);
        }
        break;
    case REC_NAME:
        view_rec_name_key(a, id);
        break;
    default:
        break;
    }
}

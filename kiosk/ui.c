/* Widget list and hit-testing (see ui.h). UI thread only. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui {
    int w, h;
    int n;
    int overflow;
    char pressed[WIDGET_ID_MAX];
    char tapped[WIDGET_ID_MAX];
    struct widget widgets[UI_MAX_WIDGETS];
};

struct ui *ui_new(void)
{
    return calloc(1, sizeof(struct ui));
}

void ui_free(struct ui *ui)
{
    free(ui);
}

void ui_begin(struct ui *ui, int w, int h)
{
    ui->w = w;
    ui->h = h;
    ui->n = 0;
    ui->overflow = 0;
}

struct widget *ui_add(struct ui *ui, enum widget_kind kind, const char *id, struct ui_rect r)
{
    if (ui->n >= UI_MAX_WIDGETS) {
        ui->overflow++;
        return NULL;
    }
    struct widget *w = &ui->widgets[ui->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    snprintf(w->id, sizeof w->id, "%s", id ? id : "");
    w->r = r;
    w->enabled = true;
    w->align = ALIGN_LEFT;
    return w;
}

int ui_count(const struct ui *ui)
{
    return ui->n;
}

const struct widget *ui_get(const struct ui *ui, int i)
{
    return i >= 0 && i < ui->n ? &ui->widgets[i] : NULL;
}

int ui_overflow(const struct ui *ui)
{
    return ui->overflow;
}

int ui_width(const struct ui *ui)
{
    return ui->w;
}

int ui_height(const struct ui *ui)
{
    return ui->h;
}

const struct widget *ui_find(const struct ui *ui, const char *id)
{
    for (int i = 0; i < ui->n; i++)
        if (ui->widgets[i].id[0] && strcmp(ui->widgets[i].id, id) == 0)
            return &ui->widgets[i];
    return NULL;
}

static bool ui_tappable(const struct widget *w)
{
    return w->enabled && w->id[0] &&
           (w->kind == WIDGET_BUTTON || w->kind == WIDGET_KEY || w->kind == WIDGET_TOGGLE);
}

int ui_hit(const struct ui *ui, int x, int y)
{
    for (int i = ui->n - 1; i >= 0; i--)
        if (ui_tappable(&ui->widgets[i]) && layout_contains(ui->widgets[i].r, x, y))
            return i;
    return -1;
}

void ui_press(struct ui *ui, int x, int y)
{
    int i = ui_hit(ui, x, y);
    snprintf(ui->pressed, sizeof ui->pressed, "%s", i >= 0 ? ui->widgets[i].id : "");
}

const char *ui_release(struct ui *ui, int x, int y)
{
    int i = ui_hit(ui, x, y);
    bool same = i >= 0 && ui->pressed[0] && strcmp(ui->widgets[i].id, ui->pressed) == 0;
    ui->pressed[0] = '\0';
    if (!same)
        return NULL;
    snprintf(ui->tapped, sizeof ui->tapped, "%s", ui->widgets[i].id);
    return ui->tapped;
}

const char *ui_tap(struct ui *ui, int x, int y)
{
    ui_press(ui, x, y);
    return ui_release(ui, x, y);
}

const char *ui_pressed(const struct ui *ui)
{
    return ui->pressed;
}

void ui_offset(struct ui *ui, int from, int dx, int dy)
{
    for (int i = from < 0 ? 0 : from; i < ui->n; i++) {
        struct widget *w = &ui->widgets[i];
        if (w->kind == WIDGET_PANEL && w->r.w >= ui->w)
            continue;
        w->r.x += dx;
        w->r.y += dy;
    }
}

bool ui_has_text(const struct ui *ui, const char *needle)
{
    for (int i = 0; i < ui->n; i++)
        if (strstr(ui->widgets[i].text, needle) || strstr(ui->widgets[i].sub, needle))
            return true;
    return false;
}

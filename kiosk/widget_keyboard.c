/* On-screen Latin keyboard (see widget_keyboard.h). UI thread only. */
#include "widget_keyboard.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Rows of ten cells; the last row is shift, space (six cells), delete, done. */
static const char *const widget_keyboard_rows[] = {"1234567890", "qwertyuiop", "asdfghjkl'",
                                                   "zxcvbnm,.?"};

static struct widget *widget_keyboard_key(struct ui *ui, const struct theme *t, const char *id,
                                          struct ui_rect r, const char *label, int px, bool word)
{
    struct widget *w = ui_add(ui, WIDGET_KEY, id, r);
    if (!w)
        return NULL;
    snprintf(w->text, sizeof w->text, "%s", label);
    w->size = word ? px * 7 / 10 : px;
    w->align = ALIGN_CENTRE;
    w->radius = r.h / 6;
    w->bg = word ? t->surface_alt : t->key;
    w->fg = t->key_text;
    w->border = t->border;
    return w;
}

/* The rows from `first` (0 with digits, 1 letters only), then the word-key row. */
static int widget_keyboard_rows_from(struct ui *ui, const struct theme *t, struct ui_rect r,
                                     int first, bool shift, const char *space, const char *del,
                                     const char *done)
{
    int gap = r.w / 120 > 2 ? r.w / 120 : 2;
    int rows = 5 - first, cw = (r.w - 9 * gap) / 10, rh = (r.h - (rows - 1) * gap) / rows;
    /* the face follows the narrower side: tall keys on a portrait screen stay legible ("w"
     * and "m" would otherwise be shrunk to fit) */
    int px = rh * 52 / 100 < cw * 50 / 100 ? rh * 52 / 100 : cw * 50 / 100, added = 0;
    for (int row = 0; row < 4 - first; row++) {
        for (int i = 0; i < 10; i++) {
            char c = widget_keyboard_rows[row + first][i];
            if (shift && isalpha((unsigned char)c))
                c = (char)toupper((unsigned char)c);
            char id[16], label[4] = {c, '\0'};
            snprintf(id, sizeof id, "kb.%c", c);
            struct ui_rect k = {r.x + i * (cw + gap), r.y + row * (rh + gap), cw, rh};
            added += widget_keyboard_key(ui, t, id, k, label, px, false) != NULL;
        }
    }
    int y = r.y + (4 - first) * (rh + gap);
    struct ui_rect shift_r = {r.x, y, cw * 3 / 2, rh};
    struct ui_rect done_r = {r.x + r.w - cw * 2, y, cw * 2, rh};
    struct ui_rect del_r = {done_r.x - gap - cw * 3 / 2, y, cw * 3 / 2, rh};
    struct ui_rect space_r = {shift_r.x + shift_r.w + gap, y,
                              del_r.x - gap - (shift_r.x + shift_r.w + gap), rh};
    added += widget_keyboard_key(ui, t, "kb.shift", shift_r,
                                 shift ? "\xE2\x87\xA7 ABC" : "\xE2\x87\xA7 abc", px, true) != NULL;
    added += widget_keyboard_key(ui, t, "kb.space", space_r, space, px, true) != NULL;
    added += widget_keyboard_key(ui, t, "kb.del", del_r, del, px, true) != NULL;
    struct widget *d = widget_keyboard_key(ui, t, "kb.done", done_r, done, px, true);
    if (d) {
        d->bg = t->primary;
        d->fg = t->primary_text;
        d->border = t->primary;
        added++;
    }
    return added;
}

int widget_keyboard(struct ui *ui, const struct theme *t, struct ui_rect r, bool shift,
                    const char *space, const char *del, const char *done)
{
    return widget_keyboard_rows_from(ui, t, r, 0, shift, space, del, done);
}

int widget_keyboard_letters(struct ui *ui, const struct theme *t, struct ui_rect r, bool shift,
                            const char *space, const char *del, const char *done)
{
    return widget_keyboard_rows_from(ui, t, r, 1, shift, space, del, done);
}

enum widget_keyboard_result widget_keyboard_apply(const char *id, char *text, size_t size,
                                                  bool *shift)
{
    if (strncmp(id, "kb.", 3) != 0)
        return WIDGET_KEYBOARD_NONE;
    const char *k = id + 3;
    size_t len = strlen(text);
    if (strcmp(k, "done") == 0)
        return WIDGET_KEYBOARD_DONE;
    if (strcmp(k, "shift") == 0) {
        *shift = !*shift;
        return WIDGET_KEYBOARD_SHIFT;
    }
    if (strcmp(k, "del") == 0) {
        if (len == 0)
            return WIDGET_KEYBOARD_NONE;
        /* back over UTF-8 continuation bytes to the start of the last character */
        while (len > 0 && ((unsigned char)text[len - 1] & 0xC0) == 0x80)
            len--;
        text[len > 0 ? len - 1 : 0] = '\0';
        return WIDGET_KEYBOARD_CHANGED;
    }
    char c;
    if (strcmp(k, "space") == 0)
        c = ' ';
    else if (strlen(k) == 1 && isprint((unsigned char)k[0]))
        c = k[0];
    else
        return WIDGET_KEYBOARD_NONE;
    if (len + 1 >= size)
        return WIDGET_KEYBOARD_NONE;
    text[len] = c;
    text[len + 1] = '\0';
    if (*shift && isalpha((unsigned char)c))
        *shift = false;
    return WIDGET_KEYBOARD_CHANGED;
}

/* The touch widget layer's core: the list of widgets the current screen shows, built by
 * the views each time the screen changes, and the input that hits them. Input arrives as
 * function calls (ui_press/ui_release/ui_tap) so tests drive it without a screen; hit-
 * testing is by widget rectangles; every widget has a stable string id ("key.1",
 * "btn.checkin", "btn.lang") that scripts and tests address. No SDL, no drawing here
 * (widget.c draws, in the spirit of rxi/microui's core that never draws or reads devices). */
#ifndef SHOWFLOOR_UI_H
#define SHOWFLOOR_UI_H

#include <stdbool.h>

#include "layout.h"
#include "theme.h"

enum widget_kind {
    WIDGET_PANEL,     /* filled (rounded) rectangle, no text */
    WIDGET_LABEL,     /* text, optionally wrapped */
    WIDGET_BUTTON,    /* tappable, text + optional second line */
    WIDGET_KEY,       /* keypad key: tappable, one big glyph */
    WIDGET_CHIP,      /* small coloured tag: status, stage, connection */
    WIDGET_TOGGLE,    /* tappable, like a button, marks a two-state choice (language) */
    WIDGET_DOT,       /* a filled circle (connection light, timeline step) */
    WIDGET_SIGNATURE, /* the signature pad: `data` is its struct widget_signature */
};

enum widget_align {
    ALIGN_LEFT,
    ALIGN_CENTRE,
    ALIGN_RIGHT,
};

#define WIDGET_ID_MAX   40
#define WIDGET_TEXT_MAX 600
#define WIDGET_SUB_MAX  160
#define UI_MAX_WIDGETS  400

struct widget {
    enum widget_kind kind;
    char id[WIDGET_ID_MAX];
    struct ui_rect r;
    char text[WIDGET_TEXT_MAX];
    char sub[WIDGET_SUB_MAX]; /* second, smaller line (buttons: the other language) */
    int size;                 /* text pixel size */
    int sub_size;
    enum widget_align align;
    struct rgba fg, bg, border;
    int radius;
    bool wrap;        /* labels: wrap to the rectangle's width */
    bool enabled;     /* tappable widgets only */
    const void *data; /* kind-specific, borrowed until the next ui_begin (signature pad) */
};

struct ui;

/* An empty widget list; NULL on out of memory. Caller frees with ui_free. */
struct ui *ui_new(void);
void ui_free(struct ui *ui);

/* Starts a new widget list for a w x h screen. The press in progress survives when its
 * widget id is still present, so a redraw under a finger does not lose the tap. */
void ui_begin(struct ui *ui, int w, int h);
/* Appends a widget (zeroed, enabled, id copied) and returns it for the caller to fill;
 * NULL when the list is full (ui_overflow then counts the losses). Borrowed until the next
 * ui_begin. Later widgets are on top for hit-testing. */
struct widget *ui_add(struct ui *ui, enum widget_kind kind, const char *id, struct ui_rect r);
int ui_count(const struct ui *ui);
const struct widget *ui_get(const struct ui *ui, int i);
int ui_overflow(const struct ui *ui);
int ui_width(const struct ui *ui);
int ui_height(const struct ui *ui);

/* The widget with this id, NULL if none is shown. */
const struct widget *ui_find(const struct ui *ui, const char *id);
/* Index of the topmost enabled tappable widget under (x, y), -1 if none. */
int ui_hit(const struct ui *ui, int x, int y);
/* A finger or mouse button went down at (x, y). */
void ui_press(struct ui *ui, int x, int y);
/* ...and came up. Returns the id of the widget that was tapped (press and release on the
 * same widget: sliding off cancels, as on phones), or NULL. Borrowed until the next call. */
const char *ui_release(struct ui *ui, int x, int y);
/* Press and release at one point. */
const char *ui_tap(struct ui *ui, int x, int y);
/* Id of the widget held down right now ("" if none), for drawing it pressed. */
const char *ui_pressed(const struct ui *ui);
/* Moves widgets from index `from` on by (dx, dy), except panels as wide as the screen
 * (backgrounds and bars stay put, so no edge is uncovered): burn-in care. */
void ui_offset(struct ui *ui, int from, int dx, int dy);
/* True when some widget's text or second line contains `needle`. */
bool ui_has_text(const struct ui *ui, const char *needle);

#endif

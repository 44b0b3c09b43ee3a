/* The narrow renderer interface the widgets draw through: rectangles, rounded rectangles,
 * circles, text (SDL_ttf, with a cache of rendered textures keyed by text + size + colour)
 * and PNG images, on one SDL_Renderer (a window's, or a software renderer on a surface in
 * headless mode). UI thread only. */
#ifndef SHOWFLOOR_DRAW_H
#define SHOWFLOOR_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "layout.h"
#include "theme.h"

struct draw;

enum draw_text_flags {
    DRAW_TEXT_LEFT = 0,
    DRAW_TEXT_CENTRE = 1 << 0,
    DRAW_TEXT_RIGHT = 1 << 1,
    DRAW_TEXT_WRAP = 1 << 2, /* wrap to the rectangle's width, top-aligned block */
    DRAW_TEXT_TOP = 1 << 3,  /* single line at the top instead of vertically centred */
};

/* Opens the font file (a .ttc needs `font_index`) and binds to `r` (borrowed; must outlive
 * the draw). TTF_Init must have been called. NULL with a message in err on failure. */
struct draw *draw_new(SDL_Renderer *r, const char *font_path, int font_index, char *err,
                      size_t errsz);
void draw_free(struct draw *d);

void draw_clear(struct draw *d, struct rgba c);
void draw_rect(struct draw *d, struct ui_rect r, struct rgba c);
/* Filled rectangle with corners of radius `radius` pixels. */
void draw_rrect(struct draw *d, struct ui_rect r, int radius, struct rgba c);
/* Outline of a rounded rectangle, `width` pixels thick. */
void draw_rrect_outline(struct draw *d, struct ui_rect r, int radius, int width, struct rgba c);
void draw_circle(struct draw *d, int cx, int cy, int radius, struct rgba c);
/* Draws UTF-8 text of pixel size `px` inside r. A single line that does not fit is drawn
 * smaller (down to 70 %) and then cut with an ellipsis: never outside r. Returns the
 * height used. */
int draw_text(struct draw *d, const char *text, int px, struct rgba c, struct ui_rect r, int flags);
/* Width and height of one line of text at px. */
void draw_text_size(struct draw *d, const char *text, int px, int *w, int *h);
/* Draws the PNG at `path` (cached by path) fitted into r, keeping its aspect. 0 or -1. */
int draw_image(struct draw *d, const char *path, struct ui_rect r);
/* Draws w x h coverage bytes (0 transparent .. 255 opaque) in colour c, scaled into r. One
 * streaming texture is kept for this (the signature pad). 0 or -1. */
int draw_mask(struct draw *d, const uint8_t *cov, int w, int h, struct ui_rect r, struct rgba c);
/* Ends a frame: cached textures unused for many frames are released. */
void draw_frame_end(struct draw *d);

#endif

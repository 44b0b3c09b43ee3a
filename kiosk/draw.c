/* SDL renderer + SDL_ttf drawing with a rendered-text cache (see draw.h). UI thread only. */
#include "draw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "pngio.h"

#define DRAW_MAX_FONTS       40
#define DRAW_BUCKETS         512
#define DRAW_CACHE_SOFT      600 /* entries kept before old ones are evicted */
#define DRAW_CACHE_AGE       30  /* frames an entry may go unused once over the soft limit */
#define DRAW_MAX_LINES       24
#define DRAW_MAX_IMAGES      8
#define WIDGET_TEXT_MAX_DRAW 1024 /* longest line drawn, bytes */

struct draw_font {
    int px;
    TTF_Font *font;
};

struct draw_text_entry {
    struct draw_text_entry *next;
    uint32_t hash;
    int px;
    struct rgba c;
    SDL_Texture *tex;
    int w, h;
    unsigned long last_frame;
    char text[]; /* NUL-terminated key */
};

struct draw_image_entry {
    char *path;
    SDL_Texture *tex;
    int w, h;
};

struct draw {
    SDL_Renderer *r;
    char *font_path;
    int font_index;
    struct draw_font fonts[DRAW_MAX_FONTS];
    int nfonts;
    struct draw_text_entry *buckets[DRAW_BUCKETS];
    int nentries;
    unsigned long frame;
    struct draw_image_entry images[DRAW_MAX_IMAGES];
    int nimages;
    SDL_Texture *mask; /* draw_mask's streaming texture */
    int mask_w, mask_h;
};

struct draw *draw_new(SDL_Renderer *r, const char *font_path, int font_index, char *err,
                      size_t errsz)
{
    struct draw *d = calloc(1, sizeof *d);
    if (!d || !(d->font_path = strdup(font_path))) {
        snprintf(err, errsz, "out of memory");
        free(d);
        return NULL;
    }
    d->r = r;
    d->font_index = font_index;
    /* Open one size now so a wrong font path fails at start, not at the first label. */
    TTF_Font *probe = TTF_OpenFontIndex(font_path, 24, font_index);
    if (!probe) {
        snprintf(err, errsz, "font %s: %s", font_path, TTF_GetError());
        draw_free(d);
        return NULL;
    }
    d->fonts[d->nfonts++] = (struct draw_font){24, probe};
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return d;
}

void draw_free(struct draw *d)
{
    if (!d)
        return;
    for (int i = 0; i < DRAW_BUCKETS; i++) {
        struct draw_text_entry *e = d->buckets[i];
        while (e) {
            struct draw_text_entry *next = e->next;
            SDL_DestroyTexture(e->tex);
            free(e);
            e = next;
        }
    }
    for (int i = 0; i < d->nimages; i++) {
        SDL_DestroyTexture(d->images[i].tex);
        free(d->images[i].path);
    }
    for (int i = 0; i < d->nfonts; i++)
        TTF_CloseFont(d->fonts[i].font);
    if (d->mask)
        SDL_DestroyTexture(d->mask);
    free(d->font_path);
    free(d);
}

/* The font at px pixels, opened on first use; NULL if it cannot be opened. */
static TTF_Font *draw_font(struct draw *d, int px)
{
    if (px < 6)
        px = 6;
    if (px > 400)
        px = 400;
    for (int i = 0; i < d->nfonts; i++)
        if (d->fonts[i].px == px)
            return d->fonts[i].font;
    TTF_Font *f = TTF_OpenFontIndex(d->font_path, px, d->font_index);
    if (!f)
        return NULL;
    if (d->nfonts == DRAW_MAX_FONTS) {
        /* Screens use a handful of sizes; past the table, recycle the oldest slot. The
         * cache holds textures, not fonts, so nothing else refers to it. */
        TTF_CloseFont(d->fonts[0].font);
        memmove(&d->fonts[0], &d->fonts[1], sizeof d->fonts[0] * (DRAW_MAX_FONTS - 1));
        d->nfonts--;
    }
    d->fonts[d->nfonts++] = (struct draw_font){px, f};
    return f;
}

static void draw_set(struct draw *d, struct rgba c)
{
    SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, c.a);
}

void draw_clear(struct draw *d, struct rgba c)
{
    draw_set(d, c);
    SDL_RenderClear(d->r);
}

void draw_rect(struct draw *d, struct ui_rect r, struct rgba c)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    draw_set(d, c);
    SDL_Rect sr = {r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(d->r, &sr);
}

/* Horizontal inset of row `row` (0 = top) of a rounded rectangle of height h. */
static int draw_corner_inset(int row, int h, int radius)
{
    int from_edge = row < h / 2 ? row : h - 1 - row;
    if (from_edge >= radius)
        return 0;
    double dy = radius - from_edge - 0.5;
    return (int)lround(radius - sqrt((double)radius * radius - dy * dy));
}

static int draw_clamp_radius(struct ui_rect r, int radius)
{
    int m = (r.w < r.h ? r.w : r.h) / 2;
    return radius > m ? m : radius < 0 ? 0 : radius;
}

void draw_rrect(struct draw *d, struct ui_rect r, int radius, struct rgba c)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    radius = draw_clamp_radius(r, radius);
    draw_set(d, c);
    SDL_Rect mid = {r.x, r.y + radius, r.w, r.h - 2 * radius};
    SDL_RenderFillRect(d->r, &mid);
    for (int row = 0; row < radius; row++) {
        int in = draw_corner_inset(row, r.h, radius);
        SDL_Rect top = {r.x + in, r.y + row, r.w - 2 * in, 1};
        SDL_Rect bot = {r.x + in, r.y + r.h - 1 - row, r.w - 2 * in, 1};
        SDL_RenderFillRect(d->r, &top);
        SDL_RenderFillRect(d->r, &bot);
    }
}

void draw_rrect_outline(struct draw *d, struct ui_rect r, int radius, int width, struct rgba c)
{
    if (r.w <= 0 || r.h <= 0 || width <= 0)
        return;
    radius = draw_clamp_radius(r, radius);
    struct ui_rect in = layout_inset(r, width);
    int iradius = draw_clamp_radius(in, radius - width);
    draw_set(d, c);
    for (int row = 0; row < r.h; row++) {
        int o = draw_corner_inset(row, r.h, radius);
        int y = r.y + row;
        int irow = y - in.y;
        if (irow < 0 || irow >= in.h) {
            SDL_Rect full = {r.x + o, y, r.w - 2 * o, 1};
            SDL_RenderFillRect(d->r, &full);
            continue;
        }
        int i = draw_corner_inset(irow, in.h, iradius);
        SDL_Rect left = {r.x + o, y, in.x + i - (r.x + o), 1};
        SDL_Rect right = {in.x + in.w - i, y, (r.x + r.w - o) - (in.x + in.w - i), 1};
        SDL_RenderFillRect(d->r, &left);
        SDL_RenderFillRect(d->r, &right);
    }
}

void draw_circle(struct draw *d, int cx, int cy, int radius, struct rgba c)
{
    draw_rrect(d, (struct ui_rect){cx - radius, cy - radius, 2 * radius, 2 * radius}, radius, c);
}

static uint32_t draw_hash(const char *s, int px, struct rgba c)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ ((uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a)) * 16777619u;
    return h;
}

/* The cached texture of one line of text; NULL for empty text or on failure. */
static struct draw_text_entry *draw_text_entry(struct draw *d, const char *text, int px,
                                               struct rgba c)
{
    if (!text[0])
        return NULL;
    uint32_t h = draw_hash(text, px, c);
    struct draw_text_entry **slot = &d->buckets[h % DRAW_BUCKETS];
    for (struct draw_text_entry *e = *slot; e; e = e->next) {
        if (e->hash == h && e->px == px && memcmp(&e->c, &c, sizeof c) == 0 &&
            strcmp(e->text, text) == 0) {
            e->last_frame = d->frame;
            return e;
        }
    }
    TTF_Font *f = draw_font(d, px);
    if (!f)
        return NULL;
    SDL_Color sc = {c.r, c.g, c.b, 255};
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, text, sc);
    if (!s)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(d->r, s);
    int w = s->w, hh = s->h;
    SDL_FreeSurface(s);
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(tex, c.a);
    size_t len = strlen(text);
    struct draw_text_entry *e = malloc(sizeof *e + len + 1);
    if (!e) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    *e = (struct draw_text_entry){*slot, h, px, c, tex, w, hh, d->frame};
    memcpy(e->text, text, len + 1);
    *slot = e;
    d->nentries++;
    return e;
}

void draw_text_size(struct draw *d, const char *text, int px, int *w, int *h)
{
    int tw = 0, th = 0;
    TTF_Font *f = draw_font(d, px);
    if (f) {
        if (text[0])
            TTF_SizeUTF8(f, text, &tw, &th);
        else
            th = TTF_FontHeight(f);
    }
    if (w)
        *w = tw;
    if (h)
        *h = th;
}

/* Bytes in the UTF-8 sequence starting at s (1 for a stray byte). */
static int draw_u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    for (int i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

static uint32_t draw_u8cp(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    switch (draw_u8len(s)) {
    case 2:
        return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    case 3:
        return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    case 4:
        return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
               (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    default:
        return u[0];
    }
}

/* Closing punctuation never starts a line (Chinese line-breaking rule). */
static int draw_no_line_start(uint32_t cp)
{
    static const uint32_t closing[] = {0x3001, 0x3002, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F,
                                       0xFF09, 0x300B, 0x300D, 0x201D, 0x2019, ',',    '.',
                                       ';',    ':',    '!',    '?',    ')'};
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
        if (cp == closing[i])
            return 1;
    return 0;
}

static int draw_width(struct draw *d, TTF_Font *f, const char *s, size_t n)
{
    char buf[WIDGET_TEXT_MAX_DRAW];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int w = 0;
    if (n)
        TTF_SizeUTF8(f, buf, &w, NULL);
    (void)d;
    return w;
}

/* Splits text into lines no wider than `width`; each line is [start, start+len). Breaks
 * after spaces and between CJK characters. Returns the number of lines (<= max). */
static int draw_wrap(struct draw *d, TTF_Font *f, const char *text, int width, const char **starts,
                     size_t *lens, int max)
{
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (*p == ' ')
            p++;
        const char *line = p, *brk = NULL, *q = p;
        while (*q && *q != '\n') {
            const char *next = q + draw_u8len(q);
            if (draw_width(d, f, line, (size_t)(next - line)) > width && q > line)
                break;
            uint32_t cp = draw_u8cp(q);
            uint32_t ncp = *next ? draw_u8cp(next) : 0;
            /* A break may follow a space, or fall between two wide (CJK) characters. */
            if ((cp == ' ' || (cp >= 0x2E80 && (ncp == 0 || ncp >= 0x2E80 || ncp < 0x80))) &&
                !draw_no_line_start(ncp))
                brk = next;
            q = next;
        }
        const char *end;
        if (!*q || *q == '\n')
            end = q;
        else
            end = brk && brk > line ? brk : q;
        size_t len = (size_t)(end - line);
        while (len > 0 && line[len - 1] == ' ')
            len--;
        starts[n] = line;
        lens[n] = len;
        n++;
        p = *end == '\n' ? end + 1 : end;
    }
    return n;
}

static void draw_blit(struct draw *d, struct draw_text_entry *e, int x, int y)
{
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(d->r, e->tex, NULL, &dst);
}

static int draw_line_x(struct ui_rect r, int w, int flags)
{
    if (flags & DRAW_TEXT_CENTRE)
        return r.x + (r.w - w) / 2;
    if (flags & DRAW_TEXT_RIGHT)
        return r.x + r.w - w;
    return r.x;
}

static int draw_text_wrapped(struct draw *d, const char *text, int px, struct rgba c,
                             struct ui_rect r, int flags)
{
    TTF_Font *f = draw_font(d, px);
    if (!f)
        return 0;
    const char *starts[DRAW_MAX_LINES];
    size_t lens[DRAW_MAX_LINES];
    int n = draw_wrap(d, f, text, r.w, starts, lens, DRAW_MAX_LINES);
    int skip = TTF_FontLineSkip(f) * 115 / 100; /* a little air for CJK */
    int y = r.y;
    for (int i = 0; i < n && y + TTF_FontHeight(f) <= r.y + r.h; i++, y += skip) {
        char buf[WIDGET_TEXT_MAX_DRAW];
        size_t len = lens[i] < sizeof buf ? lens[i] : sizeof buf - 1;
        memcpy(buf, starts[i], len);
        buf[len] = '\0';
        struct draw_text_entry *e = draw_text_entry(d, buf, px, c);
        if (e)
            draw_blit(d, e, draw_line_x(r, e->w, flags), y);
    }
    return y - r.y;
}

int draw_text(struct draw *d, const char *text, int px, struct rgba c, struct ui_rect r, int flags)
{
    if (!text[0] || r.w <= 0 || r.h <= 0)
        return 0;
    if (flags & DRAW_TEXT_WRAP)
        return draw_text_wrapped(d, text, px, c, r, flags);
    /* Shrink a line that does not fit, down to 70 %, before cutting it. */
    int size = px, w = 0, h = 0;
    for (;;) {
        draw_text_size(d, text, size, &w, &h);
        if (w <= r.w || size <= px * 7 / 10)
            break;
        size = size * 92 / 100;
    }
    char buf[WIDGET_TEXT_MAX_DRAW];
    snprintf(buf, sizeof buf, "%s", text);
    if (w > r.w) {
        /* Cut whole characters until the text plus an ellipsis fits. */
        size_t len = strlen(buf);
        while (len > 0) {
            do
                len--;
            while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
            snprintf(buf + len, sizeof buf - len, "\xE2\x80\xA6");
            draw_text_size(d, buf, size, &w, &h);
            if (w <= r.w)
                break;
        }
    }
    struct draw_text_entry *e = draw_text_entry(d, buf, size, c);
    if (!e)
        return 0;
    int y = flags & DRAW_TEXT_TOP ? r.y : r.y + (r.h - e->h) / 2;
    /* Clip so text never spills outside its rectangle, however small. */
    SDL_Rect clip = {r.x, r.y, r.w, r.h};
    SDL_RenderSetClipRect(d->r, &clip);
    draw_blit(d, e, draw_line_x(r, e->w, flags), y);
    SDL_RenderSetClipRect(d->r, NULL);
    return e->h;
}

int draw_image(struct draw *d, const char *path, struct ui_rect r)
{
    struct draw_image_entry *img = NULL;
    for (int i = 0; i < d->nimages; i++)
        if (strcmp(d->images[i].path, path) == 0)
            img = &d->images[i];
    if (!img) {
        if (d->nimages == DRAW_MAX_IMAGES)
            return -1;
        char err[256];
        SDL_Surface *s = pngio_read_surface(path, err, sizeof err);
        if (!s)
            return -1;
        SDL_Texture *tex = SDL_CreateTextureFromSurface(d->r, s);
        int w = s->w, h = s->h;
        SDL_FreeSurface(s);
        char *p = strdup(path);
        if (!tex || !p) {
            SDL_DestroyTexture(tex);
            free(p);
            return -1;
        }
        img = &d->images[d->nimages++];
        *img = (struct draw_image_entry){p, tex, w, h};
    }
    /* Fit inside r, keeping the aspect ratio. */
    double sx = (double)r.w / img->w, sy = (double)r.h / img->h, s = sx < sy ? sx : sy;
    int w = (int)(img->w * s), h = (int)(img->h * s);
    SDL_Rect dst = {r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
    return SDL_RenderCopy(d->r, img->tex, NULL, &dst) == 0 ? 0 : -1;
}

int draw_mask(struct draw *d, const uint8_t *cov, int w, int h, struct ui_rect r, struct rgba c)
{
    if (w <= 0 || h <= 0)
        return -1;
    if (!d->mask || d->mask_w != w || d->mask_h != h) {
        if (d->mask)
            SDL_DestroyTexture(d->mask);
        d->mask =
            SDL_CreateTexture(d->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        d->mask_w = d->mask ? w : 0;
        d->mask_h = d->mask ? h : 0;
        if (!d->mask)
            return -1;
        SDL_SetTextureBlendMode(d->mask, SDL_BLENDMODE_BLEND);
    }
    void *pixels;
    int pitch;
    if (SDL_LockTexture(d->mask, NULL, &pixels, &pitch) != 0)
        return -1;
    uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)pixels + (size_t)y * (size_t)pitch);
        const uint8_t *src = cov + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++)
            row[x] = (uint32_t)(src[x] * c.a / 255) << 24 | rgb;
    }
    SDL_UnlockTexture(d->mask);
    SDL_Rect dst = {r.x, r.y, r.w, r.h};
    return SDL_RenderCopy(d->r, d->mask, NULL, &dst) == 0 ? 0 : -1;
}

void draw_frame_end(struct draw *d)
{
    d->frame++;
    if (d->nentries <= DRAW_CACHE_SOFT)
        return;
    for (int i = 0; i < DRAW_BUCKETS; i++) {
        struct draw_text_entry **pp = &d->buckets[i];
        while (*pp) {
            struct draw_text_entry *e = *pp;
            if (d->frame - e->last_frame > DRAW_CACHE_AGE) {
                *pp = e->next;
                SDL_DestroyTexture(e->tex);
                free(e);
                d->nentries--;
            } else {
                pp = &e->next;
            }
        }
    }
}

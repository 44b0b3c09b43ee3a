/* The signature pad: the strokes a finger draws, kept as [x, y, t] integer points
 * (pad pixels, ms since the signature began) within the protocol's limits, a minimum-ink
 * check, the signature as order_deliver's `signature` object, and one rasteriser that both
 * the screen and the PNG use, so what the customer saw is what is hashed. Strokes are
 * smoothed with a Catmull-Rom spline between the recorded points. Pure except for the
 * drawing helper at the end; UI thread only. */
#ifndef SHOWFLOOR_WIDGET_SIGNATURE_H
#define SHOWFLOOR_WIDGET_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto.h"
#include "theme.h"
#include "ui.h"

/* All strokes together. A point is at most "[3840,2160,600000]," (19 bytes), so this keeps
 * the whole order_deliver frame well under the protocol's 64 KiB. */
#define WIDGET_SIGNATURE_MAX_POINTS 2600
/* Points closer than this (pixels) to the previous one are not recorded: the spline fills
 * the gap, and a resting finger does not eat the budget. */
#define WIDGET_SIGNATURE_MIN_STEP 3

struct widget_signature_point {
    int x, y, t;
};

struct widget_signature {
    int w, h;                         /* pad size in pixels the strokes were drawn on */
    int nstrokes;                     /* complete and in-progress strokes */
    int start[PROTO_MAX_STROKES + 1]; /* first point of each stroke; start[n] = npoints */
    int npoints;
    bool drawing; /* a stroke is in progress */
    bool full;    /* a limit was reached: further ink is refused until cleared */
    int64_t t0;   /* monotonic ms of the first point */
    uint64_t gen; /* bumped on every change, for redraw caching */
    struct widget_signature_point pts[WIDGET_SIGNATURE_MAX_POINTS];
};

/* Empties the pad (also wipes the points: a signature is personal data) for a w x h pad. */
void widget_signature_clear(struct widget_signature *s, int w, int h);
/* A finger went down / moved / came up at pad pixel (x, y) at monotonic ms `now`. Points
 * outside the pad are clamped to its edge. Returns true when the ink changed. */
bool widget_signature_down(struct widget_signature *s, int x, int y, int64_t now);
bool widget_signature_move(struct widget_signature *s, int x, int y, int64_t now);
void widget_signature_up(struct widget_signature *s);
/* Removes the last stroke ("redo" that stroke). */
void widget_signature_undo(struct widget_signature *s);

/* Length of all strokes in pad pixels. */
double widget_signature_ink(const struct widget_signature *s);
/* The minimum-ink check: enough line drawn (at least half the pad's width) spread over a
 * fifth of its width, so a dot or a tick is not taken for a signature. */
bool widget_signature_enough(const struct widget_signature *s);

/* Renders the smoothed strokes as coverage (0 = paper, 255 = ink) into out (w * h bytes,
 * the pad's size), pen radius `radius` pixels. */
void widget_signature_render(const struct widget_signature *s, uint8_t *out, double radius);
/* Pen radius for a pad of this height: thick enough to read, thin enough to write. */
double widget_signature_pen(int pad_h);
/* The signature as a PNG (8-bit grey, black ink on white, the pad's size). Caller frees
 * *png with free(). 0, or -1 on out of memory or an empty pad. */
int widget_signature_png(const struct widget_signature *s, unsigned char **png, size_t *len);
/* SHA-256 of data as 64 lower-case hex digits + NUL in out. */
void widget_signature_sha256_hex(const unsigned char *data, size_t len, char out[65]);
/* order_deliver's `signature`: {"strokes": [[[x,y,t],...],...], "png_sha256": hex} (the hash
 * only when png_sha256 is not NULL). NULL on out of memory or an empty pad. */
cJSON *widget_signature_json(const struct widget_signature *s, const char *png_sha256);

/* Adds the pad widget (id, borrowed signature, drawn with ink colour `ink`). */
struct widget *widget_signature_pad(struct ui *ui, const struct theme *t, const char *id,
                                    struct ui_rect r, const struct widget_signature *s);

#endif

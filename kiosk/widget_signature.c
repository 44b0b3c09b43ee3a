/* Signature pad strokes, raster, PNG and hash (see widget_signature.h). UI thread only. */
#include "widget_signature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "draw.h"
#include "pngio.h"

void widget_signature_clear(struct widget_signature *s, int w, int h)
{
    uint64_t gen = s->gen;
    memset(s, 0, sizeof *s);
    s->w = w > 0 ? w : 1;
    s->h = h > 0 ? h : 1;
    s->gen = gen + 1;
}

static void widget_signature_clamp(const struct widget_signature *s, int *x, int *y)
{
    *x = *x < 0 ? 0 : *x >= s->w ? s->w - 1 : *x;
    *y = *y < 0 ? 0 : *y >= s->h ? s->h - 1 : *y;
}

/* Appends a point to the stroke in progress; false when a limit is reached. */
static bool widget_signature_add(struct widget_signature *s, int x, int y, int64_t now)
{
    int in_stroke = s->npoints - s->start[s->nstrokes - 1];
    if (s->npoints >= WIDGET_SIGNATURE_MAX_POINTS || in_stroke >= PROTO_MAX_STROKE_PTS) {
        s->full = true;
        return false;
    }
    int64_t t = now - s->t0;
    /* t is an integer >= 0 on the wire; a signature is never longer than an int of ms. */
    s->pts[s->npoints++] = (struct widget_signature_point){x, y, t < 0 ? 0 : (int)t};
    s->start[s->nstrokes] = s->npoints;
    s->gen++;
    return true;
}

bool widget_signature_down(struct widget_signature *s, int x, int y, int64_t now)
{
    if (s->drawing)
        widget_signature_up(s);
    if (s->full || s->nstrokes >= PROTO_MAX_STROKES || s->npoints >= WIDGET_SIGNATURE_MAX_POINTS) {
        s->full = true;
        return false;
    }
    widget_signature_clamp(s, &x, &y);
    if (s->npoints == 0)
        s->t0 = now;
    s->start[s->nstrokes] = s->npoints;
    s->nstrokes++;
    s->drawing = true;
    return widget_signature_add(s, x, y, now);
}

bool widget_signature_move(struct widget_signature *s, int x, int y, int64_t now)
{
    if (!s->drawing)
        return false;
    widget_signature_clamp(s, &x, &y);
    const struct widget_signature_point *last = &s->pts[s->npoints - 1];
    int dx = x - last->x, dy = y - last->y;
    if (dx * dx + dy * dy < WIDGET_SIGNATURE_MIN_STEP * WIDGET_SIGNATURE_MIN_STEP)
        return false;
    return widget_signature_add(s, x, y, now);
}

void widget_signature_up(struct widget_signature *s)
{
    s->drawing = false;
}

void widget_signature_undo(struct widget_signature *s)
{
    if (s->nstrokes == 0)
        return;
    s->nstrokes--;
    int from = s->start[s->nstrokes];
    memset(&s->pts[from], 0, sizeof s->pts[0] * (size_t)(s->npoints - from));
    s->npoints = from;
    s->start[s->nstrokes] = from;
    s->drawing = false;
    s->full = false;
    s->gen++;
}

double widget_signature_ink(const struct widget_signature *s)
{
    double len = 0;
    for (int k = 0; k < s->nstrokes; k++)
        for (int i = s->start[k] + 1; i < s->start[k + 1]; i++)
            len += hypot(s->pts[i].x - s->pts[i - 1].x, s->pts[i].y - s->pts[i - 1].y);
    return len;
}

bool widget_signature_enough(const struct widget_signature *s)
{
    if (s->npoints < 2)
        return false;
    int minx = s->pts[0].x, maxx = s->pts[0].x;
    for (int i = 1; i < s->npoints; i++) {
        minx = s->pts[i].x < minx ? s->pts[i].x : minx;
        maxx = s->pts[i].x > maxx ? s->pts[i].x : maxx;
    }
    return widget_signature_ink(s) >= s->w * 0.5 && (maxx - minx) * 5 >= s->w;
}

double widget_signature_pen(int pad_h)
{
    double r = pad_h / 150.0;
    return r < 1.6 ? 1.6 : r;
}

/* Stamps an anti-aliased disc of radius r at (cx, cy): coverage is the max of what is
 * there and this disc's, so overlapping stamps along a line do not darken it. */
static void widget_signature_disc(uint8_t *out, int w, int h, double cx, double cy, double r)
{
    int x0 = (int)floor(cx - r - 1), x1 = (int)ceil(cx + r + 1);
    int y0 = (int)floor(cy - r - 1), y1 = (int)ceil(cy + r + 1);
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 >= w ? w - 1 : x1;
    y1 = y1 >= h ? h - 1 : y1;
    for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
            double d = hypot(x + 0.5 - cx, y + 0.5 - cy);
            double c = r + 0.5 - d; /* one pixel of soft edge */
            if (c <= 0)
                continue;
            uint8_t v = c >= 1 ? 255 : (uint8_t)(c * 255);
            uint8_t *p = &out[(size_t)y * (size_t)w + (size_t)x];
            if (v > *p)
                *p = v;
        }
    }
}

/* Catmull-Rom point between p1 and p2 at u in [0, 1]. */
static double widget_signature_cr(double p0, double p1, double p2, double p3, double u)
{
    return 0.5 * ((2 * p1) + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u * u +
                  (-p0 + 3 * p1 - 3 * p2 + p3) * u * u * u);
}

void widget_signature_render(const struct widget_signature *s, uint8_t *out, double radius)
{
    memset(out, 0, (size_t)s->w * (size_t)s->h);
    for (int k = 0; k < s->nstrokes; k++) {
        int a = s->start[k], n = s->start[k + 1] - a;
        const struct widget_signature_point *p = &s->pts[a];
        if (n == 1) {
            widget_signature_disc(out, s->w, s->h, p[0].x, p[0].y, radius);
            continue;
        }
        for (int i = 0; i + 1 < n; i++) {
            /* The curve through p[i] .. p[i+1], using the neighbours for its tangents. */
            const struct widget_signature_point *q0 = &p[i > 0 ? i - 1 : i], *q1 = &p[i],
                                                *q2 = &p[i + 1],
                                                *q3 = &p[i + 2 < n ? i + 2 : i + 1];
            double len = hypot(q2->x - q1->x, q2->y - q1->y);
            int steps = (int)ceil(len / (radius * 0.5)) + 1;
            for (int j = 0; j <= steps; j++) {
                double u = (double)j / steps;
                double x = widget_signature_cr(q0->x, q1->x, q2->x, q3->x, u);
                double y = widget_signature_cr(q0->y, q1->y, q2->y, q3->y, u);
                widget_signature_disc(out, s->w, s->h, x, y, radius);
            }
        }
    }
}

int widget_signature_png(const struct widget_signature *s, unsigned char **png, size_t *len)
{
    *png = NULL;
    *len = 0;
    if (s->npoints == 0)
        return -1;
    size_t n = (size_t)s->w * (size_t)s->h;
    uint8_t *cov = malloc(n);
    if (!cov)
        return -1;
    widget_signature_render(s, cov, widget_signature_pen(s->h));
    for (size_t i = 0; i < n; i++)
        cov[i] = (uint8_t)(255 - cov[i]); /* black ink on white paper */
    int rc = pngio_encode_gray(cov, s->w, s->h, png, len);
    free(cov);
    return rc;
}

void widget_signature_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

cJSON *widget_signature_json(const struct widget_signature *s, const char *png_sha256)
{
    if (s->npoints == 0)
        return NULL;
    cJSON *sig = cJSON_CreateObject();
    cJSON *strokes = cJSON_AddArrayToObject(sig, "strokes");
    if (!strokes)
        goto fail;
    for (int k = 0; k < s->nstrokes; k++) {
        cJSON *stroke = cJSON_CreateArray();
        if (!stroke || !cJSON_AddItemToArray(strokes, stroke))
            goto fail;
        for (int i = s->start[k]; i < s->start[k + 1]; i++) {
            int v[3] = {s->pts[i].x, s->pts[i].y, s->pts[i].t};
            cJSON *pt = cJSON_CreateIntArray(v, 3);
            if (!pt || !cJSON_AddItemToArray(stroke, pt))
                goto fail;
        }
    }
    if (png_sha256 && !cJSON_AddStringToObject(sig, "png_sha256", png_sha256))
        goto fail;
    return sig;
fail:
    cJSON_Delete(sig);
    return NULL;
}

struct widget *widget_signature_pad(struct ui *ui, const struct theme *t, const char *id,
                                    struct ui_rect r, const struct widget_signature *s)
{
    struct widget *w = ui_add(ui, WIDGET_SIGNATURE, id, r);
    if (!w)
        return NULL;
    w->bg = t->surface;
    w->fg = t->text;
    w->border = t->border;
    w->radius = r.h / 20;
    w->enabled = false; /* not a button: the app routes its pointer events to the view */
    w->data = s;
    return w;
}

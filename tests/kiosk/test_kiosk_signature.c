/* The signature pad's data: the minimum-ink check, clear and undo, the protocol's stroke
 * limits (and the frame limit), the wire shape checked by the protocol's own decoder, and
 * a PNG whose hash follows the strokes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pngio.h"
#include "proto.h"
#include "widget_signature.h"

#define PAD_W 1000
#define PAD_H 400

static struct widget_signature *new_pad(void)
{
    struct widget_signature *s = calloc(1, sizeof *s);
    assert_non_null(s);
    widget_signature_clear(s, PAD_W, PAD_H);
    return s;
}

/* A stroke from (x0, y) to (x1, y) in `n` steps. */
static void line(struct widget_signature *s, int x0, int x1, int y, int n, int64_t t)
{
    widget_signature_down(s, x0, y, t);
    for (int i = 1; i <= n; i++)
        widget_signature_move(s, x0 + (x1 - x0) * i / n, y + (i % 2) * 20, t + i * 10);
    widget_signature_up(s);
}

static void test_min_ink(void **state)
{
    struct widget_signature *s = new_pad();
    assert_false(widget_signature_enough(s)); /* empty */
    widget_signature_down(s, 500, 200, 0);
    widget_signature_up(s);
    assert_false(widget_signature_enough(s)); /* a dot */
    line(s, 400, 520, 200, 10, 100);
    assert_false(widget_signature_enough(s)); /* a tick: short */
    /* a lot of ink in one small spot (scribbled over) is not a signature either */
    widget_signature_clear(s, PAD_W, PAD_H);
    for (int k = 0; k < 6; k++)
        line(s, 480, 560, 200, 8, k * 200);
    assert_true(widget_signature_ink(s) > PAD_W * 0.5);
    assert_false(widget_signature_enough(s));
    /* a name across the pad is */
    widget_signature_clear(s, PAD_W, PAD_H);
    line(s, 100, 800, 200, 40, 0);
    assert_true(widget_signature_enough(s));
    free(s);
}

static void test_clear_and_undo(void **state)
{
    struct widget_signature *s = new_pad();
    line(s, 100, 800, 200, 40, 0);
    line(s, 100, 800, 300, 40, 1000);
    assert_int_equal(s->nstrokes, 2);
    int first = s->start[1];
    uint64_t gen = s->gen;
    widget_signature_undo(s);
    assert_int_equal(s->nstrokes, 1);
    assert_int_equal(s->npoints, first);
    assert_true(s->gen != gen);
    /* the removed points are wiped, not just hidden */
    assert_int_equal(s->pts[first].x, 0);
    widget_signature_clear(s, PAD_W, PAD_H);
    assert_int_equal(s->nstrokes, 0);
    assert_int_equal(s->npoints, 0);
    assert_int_equal(s->pts[0].x, 0);
    assert_false(widget_signature_enough(s));
    /* undo on an empty pad does nothing */
    widget_signature_undo(s);
    assert_int_equal(s->nstrokes, 0);
    free(s);
}

static void test_points_within_pad_and_steps(void **state)
{
    struct widget_signature *s = new_pad();
    widget_signature_down(s, -50, 900, 5000);
    assert_int_equal(s->pts[0].x, 0);
    assert_int_equal(s->pts[0].y, PAD_H - 1);
    assert_int_equal(s->pts[0].t, 0); /* ms since the signature began */
    /* a finger resting (moves under the minimum step) adds nothing */
    assert_false(widget_signature_move(s, 1, PAD_H - 1, 5010));
    assert_int_equal(s->npoints, 1);
    assert_true(widget_signature_move(s, 40, 380, 5020));
    assert_int_equal(s->pts[1].t, 20);
    widget_signature_up(s);
    /* a move without a finger down is not ink */
    assert_false(widget_signature_move(s, 300, 300, 6000));
    assert_int_equal(s->npoints, 2);
    free(s);
}

static void test_stroke_limits(void **state)
{
    struct widget_signature *s = new_pad();
    /* at most PROTO_MAX_STROKES strokes */
    for (int i = 0; i < PROTO_MAX_STROKES; i++) {
        assert_true(widget_signature_down(s, i % PAD_W, 10, i));
        widget_signature_up(s);
    }
    assert_false(widget_signature_down(s, 5, 5, 1000));
    assert_true(s->full);
    assert_int_equal(s->nstrokes, PROTO_MAX_STROKES);
    widget_signature_undo(s);
    assert_false(s->full); /* undo makes room again */
    /* at most PROTO_MAX_STROKE_PTS points in one stroke */
    widget_signature_clear(s, PAD_W, PAD_H);
    widget_signature_down(s, 0, 0, 0);
    int added = 1;
    for (int i = 1; i < PROTO_MAX_STROKE_PTS + 50; i++)
        added += widget_signature_move(s, (i % 2) * 10, (i / 2) % PAD_H, i);
    assert_int_equal(added, PROTO_MAX_STROKE_PTS);
    assert_true(s->full);
    /* and all strokes together stay within the budget that fits a 64 KiB frame */
    widget_signature_clear(s, PAD_W, PAD_H);
    int total = 0;
    for (int k = 0; k < 10 && !s->full; k++) {
        total += widget_signature_down(s, 0, 0, k);
        for (int i = 1; i < 1000; i++)
            total += widget_signature_move(s, (i % 2) * 10, i % PAD_H, k * 1000 + i);
        widget_signature_up(s);
    }
    assert_int_equal(total, WIDGET_SIGNATURE_MAX_POINTS);
    assert_int_equal(s->npoints, WIDGET_SIGNATURE_MAX_POINTS);
    free(s);
}

/* A full pad of large coordinates and times still makes an order_deliver frame the
 * protocol's own decoder accepts (limits, nesting, shape). */
static void test_wire_shape_and_frame_limit(void **state)
{
    struct widget_signature *s = calloc(1, sizeof *s);
    assert_non_null(s);
    widget_signature_clear(s, 3840, 2160);
    int k = 0;
    while (!s->full) {
        widget_signature_down(s, 3839, 2159, 100000 + k);
        for (int i = 1; i < 400 && !s->full; i++)
            widget_signature_move(s, 3839 - (i % 2) * 3000, 2159 - (i % 3) * 1000, 600000 + i);
        widget_signature_up(s);
        k++;
    }
    char hash[65];
    memset(hash, 'a', 64);
    hash[64] = '\0';
    cJSON *args = cJSON_CreateObject();
    cJSON *chk = cJSON_AddObjectToObject(args, "checklist");
    const char *keys[] = {"vehicle_clean", "invoice",     "coc",      "warranty",
                          "keys",          "accessories", "explained"};
    for (int i = 0; i < 7; i++)
        cJSON_AddBoolToObject(chk, keys[i], 1);
    cJSON_AddStringToObject(args, "order_no", "SF2611-0005");
    cJSON_AddItemToObject(args, "signature", widget_signature_json(s, hash));
    cJSON_AddNumberToObject(args, "rating", 5);
    char *frame = proto_encode_request("k3-abc-12", PROTO_T_ORDER_DELIVER, args);
    assert_non_null(frame);
    assert_true(strlen(frame) < PROTO_MAX_FRAME_IN);
    struct proto_msg m;
    struct proto_error err;
    int rc = proto_decode(frame, strlen(frame), PROTO_DIR_C2H, &m, &err, NULL);
    if (rc != 0)
        fail_msg("decoder refused the signature: %s %s", proto_error_code(err.code), err.message);
    const cJSON *strokes = proto_get_arr(proto_get_obj(m.args, "signature"), "strokes");
    assert_int_equal(cJSON_GetArraySize(strokes), s->nstrokes);
    const cJSON *p0 = cJSON_GetArrayItem(cJSON_GetArrayItem(strokes, 0), 0);
    assert_int_equal(cJSON_GetArraySize(p0), 3);
    assert_int_equal(cJSON_GetArrayItem(p0, 0)->valueint, 3839);
    proto_msg_free(&m);
    free(frame);
    cJSON_Delete(args);
    /* an empty pad has no signature to send */
    widget_signature_clear(s, 10, 10);
    assert_null(widget_signature_json(s, NULL));
    free(s);
}

static void sha_of(const struct widget_signature *s, char out[65])
{
    unsigned char *png;
    size_t len;
    assert_int_equal(widget_signature_png(s, &png, &len), 0);
    assert_true(len > 8);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    widget_signature_sha256_hex(png, len, out);
    free(png);
}

static void test_png_hash_follows_strokes(void **state)
{
    struct widget_signature *a = new_pad(), *b = new_pad();
    line(a, 100, 800, 200, 40, 0);
    line(b, 100, 800, 200, 40, 0);
    char ha[65], hb[65];
    sha_of(a, ha);
    sha_of(b, hb);
    assert_int_equal(strlen(ha), 64);
    assert_string_equal(ha, hb);       /* same strokes, same image, same hash */
    widget_signature_move(b, 0, 0, 0); /* not drawing: no change */
    sha_of(b, hb);
    assert_string_equal(ha, hb);
    line(b, 100, 300, 350, 5, 9000);
    sha_of(b, hb);
    assert_string_not_equal(ha, hb);
    /* the raster has ink on the stroke and none far from it */
    uint8_t *cov = malloc(PAD_W * PAD_H);
    widget_signature_render(a, cov, widget_signature_pen(PAD_H));
    assert_true(cov[200 * PAD_W + 450] > 0 || cov[210 * PAD_W + 450] > 0);
    assert_int_equal(cov[380 * PAD_W + 950], 0);
    free(cov);
    /* an empty pad has no PNG */
    unsigned char *png;
    size_t len;
    widget_signature_clear(a, PAD_W, PAD_H);
    assert_int_equal(widget_signature_png(a, &png, &len), -1);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_min_ink),
        cmocka_unit_test(test_clear_and_undo),
        cmocka_unit_test(test_points_within_pad_and_steps),
        cmocka_unit_test(test_stroke_limits),
        cmocka_unit_test(test_wire_shape_and_frame_limit),
        cmocka_unit_test(test_png_hash_follows_strokes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

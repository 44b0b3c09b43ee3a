/* Test fixture for the kiosk UI core: an app with the real strings and theme, and a fake
 * network port that records what the app sends. */
#ifndef SHOWFLOOR_KIOSK_FIXTURE_H
#define SHOWFLOOR_KIOSK_FIXTURE_H

#include "app.h"

#define FIX_MAX_SENT 64

struct fix {
    struct app app;
    struct i18n *i18n;
    int nsent;
    char sent_id[FIX_MAX_SENT][PROTO_MAX_ID + 1];
    enum proto_type sent_type[FIX_MAX_SENT];
    char *sent_args[FIX_MAX_SENT]; /* compact JSON */
    int ncancel;
    int64_t seq;
};

/* Sets up an app for `mode` at 1280x720; fails the test on error. Free with fix_fini. */
void fix_init(struct fix *f, enum model_mode mode);
void fix_fini(struct fix *f);
/* Builds the screen at w x h. */
void fix_build(struct fix *f, int w, int h);
/* Taps the centre of widget id (asserts it is shown) and rebuilds. */
void fix_tap(struct fix *f, const char *id);
/* Feeds a hub frame (JSON text) to the app as the net thread would. */
void fix_hub(struct fix *f, const char *json);
/* Loads a snapshot for the app's mode with a little of everything. */
void fix_snapshot(struct fix *f);

#endif

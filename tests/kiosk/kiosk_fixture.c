/* Kiosk UI test fixture (see kiosk_fixture.h). */
#include "kiosk_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int fix_send(void *user, const char *id, enum proto_type type, cJSON *args)
{
    struct fix *f = user;
    assert_true(f->nsent < FIX_MAX_SENT);
    snprintf(f->sent_id[f->nsent], sizeof f->sent_id[0], "%s", id);
    f->sent_type[f->nsent] = type;
    f->sent_args[f->nsent] = args ? cJSON_PrintUnformatted(args) : strdup("{}");
    f->nsent++;
    cJSON_Delete(args);
    return 0;
}

static void fix_cancel(void *user, const char *id)
{
    ((struct fix *)user)->ncancel++;
}

static void fix_seq(void *user, int64_t seq)
{
    ((struct fix *)user)->seq = seq;
}

void fix_init(struct fix *f, enum model_mode mode)
{
    char err[256];
    memset(f, 0, sizeof *f);
    f->i18n = i18n_load(SHOWFLOOR_ASSETS_DIR "/strings", err, sizeof err);
    if (!f->i18n)
        fail_msg("%s", err);
    struct theme t;
    if (theme_load(&t, SHOWFLOOR_ASSETS_DIR "/themes/default.ini", err, sizeof err) != 0)
        fail_msg("%s", err);
    struct app_port port = {f, fix_send, fix_cancel, fix_seq};
    assert_int_equal(
        app_init(&f->app, mode, f->i18n, &t, &port, I18N_ZH, 60, 1000000, 1763800000000LL), 0);
    fix_build(f, 1280, 720);
}

void fix_fini(struct fix *f)
{
    app_fini(&f->app);
    i18n_free(f->i18n);
    for (int i = 0; i < f->nsent; i++)
        free(f->sent_args[i]);
}

void fix_build(struct fix *f, int w, int h)
{
    app_build(&f->app, w, h);
}

void fix_tap(struct fix *f, const char *id)
{
    const struct widget *w = ui_find(f->app.ui, id);
    if (!w)
        fail_msg("no widget %s on %s", id, app_screen(&f->app));
    int x = w->r.x + w->r.w / 2, y = w->r.y + w->r.h / 2;
    app_press(&f->app, x, y);
    app_release(&f->app, x, y);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

void fix_hub(struct fix *f, const char *json)
{
    struct proto_msg m;
    struct proto_error err;
    if (proto_decode(json, strlen(json), PROTO_DIR_H2C, &m, &err, NULL) != 0)
        fail_msg("fixture frame does not decode: %s: %s", proto_error_code(err.code), err.message);
    app_on_message(&f->app, &m);
    proto_msg_free(&m);
    fix_build(f, f->app.lay.w, f->app.lay.h);
}

void fix_snapshot(struct fix *f)
{
    fix_hub(f,
            "{\"type\":\"snapshot\",\"seq\":10,\"state\":{"
            "\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"星河汽车 上海浦东店\"},"
            "\"now\":1763800000000,"
            "\"models\":[{\"code\":\"HX7\",\"name\":\"星河 7\",\"name_en\":\"Xinghe 7\","
            "\"price_fen\":18980000}],"
            "\"visits\":[{\"id\":1,\"customer\":{\"name\":\"王先生\",\"phone\":\"138****1234\","
            "\"new\":true},\"consultant\":{\"id\":4,\"name\":\"张伟\"},\"invited_by\":null,"
            "\"assigned_by\":\"rotation\",\"status\":\"waiting\",\"arrived_at\":1763799000000,"
            "\"served_at\":null,\"departed_at\":null,\"model\":null,\"source\":null}],"
            "\"orders\":[{\"id\":5,\"order_no\":\"SF2611-0005\",\"customer\":{\"name\":\"刘女士\","
            "\"phone\":\"139****0021\"},\"model\":{\"code\":\"HX7\",\"name\":\"星河 7\"},"
            "\"colour\":\"珍珠白\",\"quantity\":1,\"total_fen\":18980000,\"payment\":\"full\","
            "\"stage\":\"ready\",\"public_stage\":\"ready\",\"consultant\":{\"id\":4,"
            "\"name\":\"张伟\"},\"eta\":null,\"delivery_at\":1763810000000,"
            "\"delivery_place\":\"交车区 2\",\"created_at\":1763000000000,"
            "\"updated_at\":1763800000000}],"
            "\"deliveries\":[],"
            "\"wall\":[{\"ref\":\"…0005\",\"model\":\"星河 7\",\"public_stage\":\"ready\","
            "\"delivery_at\":1763810000000,\"delivery_place\":\"交车区 2\"}],"
            "\"consultants\":[{\"id\":4,\"name\":\"张伟\",\"on_duty\":true,\"busy\":false}],"
            "\"notifications\":[{\"staff_id\":4,\"staff_no\":\"S001\",\"kind\":"
            "\"customer_arrived\",\"text_zh\":\"王先生到店，由张伟接待\",\"text_en\":"
            "\"Mr Wang arrived, served by Zhang Wei\",\"refs\":{\"visit_id\":1},\"seq\":9,"
            "\"at\":1763799000000}],"
            "\"conflicts\":[{\"id\":3,\"customer\":{\"name\":\"赵先生\"},\"lead_id\":8,"
            "\"claimants\":[{\"staff_id\":4,\"name\":\"张伟\",\"role\":\"owner\"},"
            "{\"staff_id\":5,\"name\":\"李娜\",\"role\":\"serving\"}],\"opened_at\":"
            "1763790000000,\"due_at\":1763876400000,\"winner\":null,\"ruled_at\":null,"
            "\"status\":\"open\"}],"
            "\"complaints\":[{\"id\":7,\"customer\":{\"name\":\"孙女士\"},\"channel\":"
            "\"on_site\",\"kind\":\"service\",\"level\":2,\"handler\":null,\"validity\":"
            "\"unknown\",\"must_resolve\":true,\"opened_at\":1763700000000,\"status\":"
            "\"open\",\"order_no\":\"SF2611-0005\",\"due\":{\"first_response\":1763700600000,"
            "\"contact\":null,\"progress\":null},\"breaches\":[\"first_response\"]}],"
            "\"overdue\":[],\"appointments\":[]"
            "}}");
}

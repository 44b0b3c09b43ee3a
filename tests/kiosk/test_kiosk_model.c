/* model.c: snapshot then events, upsert by id, unknown kinds ignored, seq tracking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "proto.h"

static cJSON *json(const char *s)
{
    cJSON *j = cJSON_Parse(s);
    assert_non_null(j);
    return j;
}

static const cJSON *item(const cJSON *list, int i)
{
    return cJSON_GetArrayItem(list, i);
}

static void apply(struct model *m, int64_t seq, const char *kind, const char *data, int want)
{
    cJSON *d = json(data);
    assert_int_equal(model_apply_event(m, seq, kind, d), want);
    cJSON_Delete(d);
}

static void test_snapshot_then_events(void **state)
{
    struct model *m = model_new(MODEL_BOARD);
    assert_false(model_ready(m));
    assert_null(model_site(m));
    cJSON *s = json("{\"site\":{\"id\":1,\"code\":\"SH01\",\"name\":\"浦东\"},\"now\":5,"
                    "\"visits\":[{\"id\":1,\"status\":\"waiting\"}],"
                    "\"orders\":[{\"id\":7,\"stage\":\"entered\"}],"
                    "\"consultants\":[{\"id\":4,\"name\":\"张伟\",\"on_duty\":true}]}");
    assert_int_equal(model_apply_snapshot(m, 100, s), 0);
    cJSON_Delete(s);
    assert_true(model_ready(m));
    assert_int_equal(model_seq(m), 100);
    assert_string_equal(proto_get_str(model_site(m), "name"), "浦东");
    assert_int_equal(cJSON_GetArraySize(model_visits(m)), 1);

    /* new visit appended, existing one replaced (upsert by id) */
    apply(m, 101, "visit.checked_in", "{\"visit\":{\"id\":2,\"status\":\"waiting\"}}", 1);
    apply(m, 102, "visit.updated", "{\"visit\":{\"id\":1,\"status\":\"serving\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_visits(m)), 2);
    assert_string_equal(proto_get_str(item(model_visits(m), 0), "status"), "serving");
    assert_int_equal(proto_get_int(item(model_visits(m), 1), "id", 0), 2);
    assert_int_equal(model_seq(m), 102);

    /* the board keeps departed visits (today's), drops finished orders */
    apply(m, 103, "visit.updated", "{\"visit\":{\"id\":2,\"status\":\"departed\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_visits(m)), 2);
    apply(m, 104, "order.updated", "{\"order\":{\"id\":7,\"stage\":\"reviewed\"}}", 1);
    assert_string_equal(proto_get_str(item(model_orders(m), 0), "stage"), "reviewed");
    apply(m, 105, "order.updated", "{\"order\":{\"id\":7,\"stage\":\"delivered\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_orders(m)), 0);
    model_free(m);
}

static void test_unknown_and_stale_ignored(void **state)
{
    struct model *m = model_new(MODEL_RECEPTION);
    cJSON *s = json("{\"site\":{\"id\":1,\"name\":\"x\"},\"visits\":[]}");
    model_apply_snapshot(m, 50, s);
    cJSON_Delete(s);
    /* unknown kind: ignored, but its seq counts as received */
    apply(m, 51, "complaint.opened", "{\"complaint\":{\"id\":1}}", 0);
    assert_int_equal(model_seq(m), 51);
    /* a replay overlapping what was applied changes nothing */
    apply(m, 52, "visit.checked_in", "{\"visit\":{\"id\":9,\"status\":\"waiting\"}}", 1);
    apply(m, 52, "visit.updated", "{\"visit\":{\"id\":9,\"status\":\"serving\"}}", 0);
    apply(m, 40, "visit.updated", "{\"visit\":{\"id\":9,\"status\":\"serving\"}}", 0);
    assert_string_equal(proto_get_str(item(model_visits(m), 0), "status"), "waiting");
    /* reception mirrors open visits: a departure removes it */
    apply(m, 53, "visit.updated", "{\"visit\":{\"id\":9,\"status\":\"departed\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_visits(m)), 0);
    /* data this mode does not mirror */
    apply(m, 54, "order.created", "{\"order\":{\"id\":1,\"stage\":\"entered\"}}", 0);
    /* an item without its id cannot be upserted */
    apply(m, 55, "visit.checked_in", "{\"visit\":{\"status\":\"waiting\"}}", 0);
    assert_int_equal(model_seq(m), 55);
    /* a new snapshot replaces everything, even at a lower seq (new hub database) */
    s = json("{\"site\":{\"id\":2,\"name\":\"y\"},\"visits\":[{\"id\":3}]}");
    assert_int_equal(model_apply_snapshot(m, 3, s), 0);
    cJSON_Delete(s);
    assert_int_equal(model_seq(m), 3);
    assert_string_equal(proto_get_str(model_site(m), "name"), "y");
    /* a snapshot that is not an object is refused and changes nothing */
    cJSON *bad = json("[1]");
    assert_int_equal(model_apply_snapshot(m, 9, bad), -1);
    cJSON_Delete(bad);
    assert_int_equal(model_seq(m), 3);
    model_free(m);
}

static void test_delivery_and_status(void **state)
{
    struct model *d = model_new(MODEL_DELIVERY);
    apply(d, 1, "order.updated", "{\"order\":{\"id\":1,\"stage\":\"ready\"}}", 1);
    apply(d, 2, "order.updated", "{\"order\":{\"id\":2,\"stage\":\"paid\"}}", 0);
    assert_int_equal(cJSON_GetArraySize(model_deliveries(d)), 1);
    apply(d, 3, "order.updated", "{\"order\":{\"id\":1,\"stage\":\"delivered\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_deliveries(d)), 0);
    model_free(d);

    struct model *s = model_new(MODEL_STATUS);
    /* the wall holds what the snapshot does: ready (being prepared) and delivered today */
    apply(s, 1, "order.created", "{\"wall\":{\"ref\":\"…0001\",\"public_stage\":\"vehicle\"}}", 0);
    assert_int_equal(cJSON_GetArraySize(model_wall(s)), 0);
    apply(s, 2, "order.updated", "{\"wall\":{\"ref\":\"…0001\",\"public_stage\":\"ready\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_wall(s)), 1);
    assert_string_equal(proto_get_str(item(model_wall(s), 0), "public_stage"), "ready");
    apply(s, 4, "order.updated", "{\"wall\":{\"ref\":\"…0001\",\"public_stage\":\"delivered\"}}",
          1);
    assert_int_equal(cJSON_GetArraySize(model_wall(s)), 1);
    /* sent back to payment (a vehicle change): off the wall */
    apply(s, 5, "order.updated", "{\"wall\":{\"ref\":\"…0001\",\"public_stage\":\"payment\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_wall(s)), 0);
    apply(s, 6, "order.updated", "{\"order\":{\"id\":1,\"stage\":\"ready\"}}", 0);
    model_free(s);
}

static void test_mode_names_and_model_names(void **state)
{
    assert_int_equal(model_mode_parse("board"), MODEL_BOARD);
    assert_int_equal(model_mode_parse("kitchen"), -1);
    assert_string_equal(model_mode_name(MODEL_STATUS), "status");
    struct model *m = model_new(MODEL_RECEPTION);
    cJSON *s = json("{\"site\":{\"id\":1},\"models\":[{\"code\":\"HX7\",\"name\":\"星河 7\","
                    "\"name_en\":\"Xinghe 7\"}]}");
    model_apply_snapshot(m, 1, s);
    cJSON_Delete(s);
    assert_string_equal(model_model_name(m, "HX7", false), "星河 7");
    assert_string_equal(model_model_name(m, "HX7", true), "Xinghe 7");
    assert_string_equal(model_model_name(m, "ZZ", true), "ZZ");
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_then_events),
        cmocka_unit_test(test_unknown_and_stale_ignored),
        cmocka_unit_test(test_delivery_and_status),
        cmocka_unit_test(test_mode_names_and_model_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

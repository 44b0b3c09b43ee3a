/* model.c: snapshot then events, upsert by id, unknown kinds ignored, seq tracking, the
 * board's notifications, conflicts and complaints. */
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
    assert_int_equal(model_apply_event(m, seq, 1000 * seq, kind, d), want);
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

/* The board's floor: notifications, conflicts and complaints from the snapshot, then their
 * events. */
static void test_board_floor(void **state)
{
    struct model *m = model_new(MODEL_BOARD);
    cJSON *s =
        json("{\"site\":{\"id\":1},\"now\":5,"
             "\"notifications\":[{\"staff_id\":4,\"kind\":\"customer_arrived\",\"text_zh\":"
             "\"王先生到店\","
             "\"text_en\":\"Mr Wang arrived\",\"refs\":{},\"seq\":9,\"at\":900}],"
             "\"conflicts\":[{\"id\":3,\"customer\":{\"name\":\"刘女士\"},\"status\":\"open\"}],"
             "\"complaints\":[{\"id\":8,\"level\":1,\"status\":\"open\",\"breaches\":[]}],"
             "\"overdue\":[{\"owner\":{\"id\":4,\"name\":\"张伟\"},\"count\":2}],"
             "\"appointments\":[{\"id\":1,\"status\":\"scheduled\"}]}");
    assert_int_equal(model_apply_snapshot(m, 10, s), 0);
    cJSON_Delete(s);
    assert_int_equal(cJSON_GetArraySize(model_notifications(m)), 1);
    assert_int_equal(cJSON_GetArraySize(model_conflicts(m)), 1);
    assert_int_equal(cJSON_GetArraySize(model_complaints(m)), 1);
    assert_int_equal(proto_get_int(item(model_overdue(m), 0), "count", 0), 2);
    assert_int_equal(cJSON_GetArraySize(model_appointments(m)), 1);

    /* staff.notify: newest first, with the event's seq and time; at most 20 kept */
    apply(m, 11, "staff.notify",
          "{\"staff_id\":5,\"kind\":\"conflict_opened\",\"text_zh\":\"撞单\",\"text_en\":"
          "\"Conflict\"}",
          1);
    const cJSON *n0 = item(model_notifications(m), 0);
    assert_string_equal(proto_get_str(n0, "text_zh"), "撞单");
    assert_int_equal(proto_get_int(n0, "seq", 0), 11);
    assert_int_equal(proto_get_int(n0, "at", 0), 11000);
    assert_int_equal(proto_get_int(item(model_notifications(m), 1), "seq", 0), 9);
    for (int i = 12; i < 40; i++)
        apply(m, i, "staff.notify", "{\"staff_id\":5,\"kind\":\"staff_called\"}", 1);
    assert_int_equal(cJSON_GetArraySize(model_notifications(m)), 20);
    assert_int_equal(proto_get_int(item(model_notifications(m), 0), "seq", 0), 39);
    assert_int_equal(proto_get_int(item(model_notifications(m), 19), "seq", 0), 20);

    /* conflicts: a new one goes first, an update replaces in place, a ruling removes */
    apply(m, 40, "conflict.opened", "{\"conflict\":{\"id\":6,\"status\":\"open\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_conflicts(m)), 2);
    assert_int_equal(proto_get_int(item(model_conflicts(m), 0), "id", 0), 6);
    apply(m, 41, "conflict.overdue", "{\"conflict\":{\"id\":3,\"status\":\"open\",\"due_at\":7}}",
          1);
    assert_int_equal(cJSON_GetArraySize(model_conflicts(m)), 2);
    assert_int_equal(proto_get_int(item(model_conflicts(m), 1), "due_at", 0), 7);
    apply(m, 42, "conflict.ruled", "{\"conflict\":{\"id\":3,\"status\":\"ruled\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_conflicts(m)), 1);
    assert_int_equal(proto_get_int(item(model_conflicts(m), 0), "id", 0), 6);
    apply(m, 43, "conflict.ruled", "{\"conflict\":{\"id\":3,\"status\":\"ruled\"}}", 0);

    /* complaints: escalation and a breach update in place; closing removes */
    apply(m, 44, "complaint.opened", "{\"complaint\":{\"id\":9,\"level\":2,\"status\":\"open\"}}",
          1);
    assert_int_equal(proto_get_int(item(model_complaints(m), 0), "id", 0), 9);
    apply(m, 45, "complaint.escalated",
          "{\"complaint\":{\"id\":8,\"level\":2,\"status\":\"open\",\"breaches\":"
          "[\"first_response\"]},\"from_level\":1,\"to_level\":2}",
          1);
    const cJSON *c8 = item(model_complaints(m), 1);
    assert_int_equal(proto_get_int(c8, "level", 0), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c8, "breaches")), 1);
    apply(m, 46, "complaint.updated", "{\"complaint\":{\"id\":8,\"status\":\"responded\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_complaints(m)), 2);
    apply(m, 47, "complaint.updated", "{\"complaint\":{\"id\":8,\"status\":\"closed\"}}", 1);
    assert_int_equal(cJSON_GetArraySize(model_complaints(m)), 1);
    assert_int_equal(proto_get_int(item(model_complaints(m), 0), "id", 0), 9);

    /* a breached time limit updates the order it names */
    s = json("{\"orders\":[{\"id\":7,\"stage\":\"entered\",\"sla_breaches\":[]}]}");
    assert_int_equal(model_apply_snapshot(m, 50, s), 0);
    cJSON_Delete(s);
    assert_int_equal(cJSON_GetArraySize(model_notifications(m)), 0); /* snapshot replaces */
    apply(m, 51, "order.sla_breached",
          "{\"order\":{\"id\":7,\"stage\":\"entered\",\"sla_breaches\":[\"entry\"]},"
          "\"order_no\":\"SF1\",\"kind\":\"entry\",\"due_at\":1}",
          1);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(item(model_orders(m), 0), "sla_breaches")), 1);
    model_free(m);

    /* other modes do not mirror the floor */
    struct model *d = model_new(MODEL_DELIVERY);
    apply(d, 1, "staff.notify", "{\"staff_id\":5,\"kind\":\"staff_called\"}", 0);
    apply(d, 2, "conflict.opened", "{\"conflict\":{\"id\":6,\"status\":\"open\"}}", 0);
    assert_int_equal(cJSON_GetArraySize(model_notifications(d)), 0);
    model_free(d);
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
        cmocka_unit_test(test_board_floor),
        cmocka_unit_test(test_mode_names_and_model_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

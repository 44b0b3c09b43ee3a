/* Where personal data may rest (hub/domain_privacy.h): masking for the event log and stored
 * results, stripping for the audit trail, erasing one customer's masked copies, and finding
 * the reads the access log records. Each case is a JSON tree in and the tree expected out,
 * compared member by member; the shapes are those the store and the core really write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain_privacy.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    if (!j)
        fail_msg("test JSON does not parse: %s", text);
    return j;
}

/* Fails with both trees printed when they differ. */
static void assert_json(const cJSON *got, const char *want_text)
{
    cJSON *want = parse(want_text);
    if (!cJSON_Compare(got, want, 1)) {
        char *g = cJSON_PrintUnformatted(got);
        fail_msg("got  %s\nwant %s", g ? g : "(null)", want_text);
    }
    cJSON_Delete(want);
}

struct mask_case {
    const char *in, *want;
};

/* The full customer of store_json_customer / store_orders_json and the lead's own name. */
static const struct mask_case mask_cases[] = {
    /* a visit event: masked name and phone, "new" kept, "masked" added */
    {"{\"visit\":{\"id\":12,\"customer\":{\"id\":3,\"name\":\"王小明\",\"gender\":\"male\","
     "\"phone\":\"13812341234\",\"kind\":\"individual\",\"new\":true},\"status\":\"waiting\"}}",
     "{\"visit\":{\"id\":12,\"customer\":{\"id\":3,\"name\":\"王先生\",\"gender\":\"male\","
     "\"phone\":\"138****1234\",\"kind\":\"individual\",\"new\":true,\"masked\":true},"
     "\"status\":\"waiting\"}}"},
    /* female, compound surname */
    {"{\"customer\":{\"id\":4,\"name\":\"欧阳娜娜\",\"gender\":\"female\",\"phone\":"
     "\"13900005678\",\"kind\":\"individual\"}}",
     "{\"customer\":{\"id\":4,\"name\":\"欧阳女士\",\"gender\":\"female\",\"phone\":"
     "\"139****5678\",\"kind\":\"individual\",\"masked\":true}}"},
    /* unknown gender: no honorific we could be wrong about */
    {"{\"customer\":{\"id\":5,\"name\":\"李四\",\"gender\":\"unknown\",\"phone\":\"13700004321\","
     "\"kind\":\"individual\"}}",
     "{\"customer\":{\"id\":5,\"name\":\"李*\",\"gender\":\"unknown\",\"phone\":\"137****4321\","
     "\"kind\":\"individual\",\"masked\":true}}"},
    /* no gender member at all */
    {"{\"customer\":{\"id\":5,\"name\":\"John Smith\",\"phone\":\"+4915112345678\"}}",
     "{\"customer\":{\"id\":5,\"name\":\"S.\",\"phone\":\"+49*******5678\",\"masked\":true}}"},
    /* a company: two characters + ***, company fields and credit figures removed */
    {"{\"order\":{\"id\":9,\"customer\":{\"id\":6,\"name\":\"上海星河汽车租赁有限公司\","
     "\"gender\":\"unknown\",\"phone\":\"02112345678\",\"kind\":\"company\","
     "\"company_address\":\"上海市浦东新区1号\",\"legal_rep\":\"赵六\",\"contact_name\":"
     "\"钱七\",\"id_number\":\"91310000X\",\"credit_rating\":\"A\",\"credit_limit_fen\":100},"
     "\"model\":{\"code\":\"HX7\",\"name\":\"星河 7\"}}}",
     "{\"order\":{\"id\":9,\"customer\":{\"id\":6,\"name\":\"上海***\",\"gender\":\"unknown\","
     "\"phone\":\"021****5678\",\"kind\":\"company\",\"masked\":true},"
     "\"model\":{\"code\":\"HX7\",\"name\":\"星河 7\"}}}"},
    /* a lead: its own "name" is the customer's, masked the same way; staff refs untouched */
    {"{\"lead\":{\"id\":2,\"customer\":{\"id\":7,\"name\":\"刘芳\",\"gender\":\"female\","
     "\"phone\":\"13900000021\",\"kind\":\"individual\"},\"name\":\"刘芳\",\"owner\":"
     "{\"id\":4,\"name\":\"张伟\"}}}",
     "{\"lead\":{\"id\":2,\"customer\":{\"id\":7,\"name\":\"刘女士\",\"gender\":\"female\","
     "\"phone\":\"139****0021\",\"kind\":\"individual\",\"masked\":true},\"name\":\"刘女士\","
     "\"owner\":{\"id\":4,\"name\":\"张伟\"}}}"},
    /* arrays named "customers" and customers nested in lists of records */
    {"{\"customers\":[{\"id\":1,\"name\":\"王五\",\"gender\":\"male\",\"phone\":\"13600001111\"},"
     "{\"id\":2,\"name\":\"赵敏\",\"gender\":\"female\",\"phone\":\"13600002222\"}],"
     "\"orders\":[{\"customer\":{\"id\":3,\"name\":\"孙七\",\"gender\":\"male\",\"phone\":"
     "\"13600003333\"}}]}",
     "{\"customers\":[{\"id\":1,\"name\":\"王先生\",\"gender\":\"male\",\"phone\":\"136****1111\","
     "\"masked\":true},{\"id\":2,\"name\":\"赵女士\",\"gender\":\"female\",\"phone\":"
     "\"136****2222\",\"masked\":true}],\"orders\":[{\"customer\":{\"id\":3,\"name\":\"孙先生\","
     "\"gender\":\"male\",\"phone\":\"136****3333\",\"masked\":true}}]}"},
    /* an empty name masks as 顾客 */
    {"{\"customer\":{\"id\":8,\"name\":\"\",\"gender\":\"male\",\"phone\":\"13500000000\"}}",
     "{\"customer\":{\"id\":8,\"name\":\"顾客\",\"gender\":\"male\",\"phone\":\"135****0000\","
     "\"masked\":true}}"},
    /* kiosk views (core_view.c) are masked already and stay exactly as they are */
    {"{\"visit\":{\"customer\":{\"name\":\"王先生\",\"phone\":\"138****1234\",\"new\":true}},"
     "\"customer\":{\"name\":\"王先生\",\"new\":true}}",
     "{\"visit\":{\"customer\":{\"name\":\"王先生\",\"phone\":\"138****1234\",\"new\":true}},"
     "\"customer\":{\"name\":\"王先生\",\"new\":true}}"},
    /* ...but a view without an id whose phone is in the clear is masked all the same */
    {"{\"customer\":{\"name\":\"王小明\",\"phone\":\"13812341234\"}}",
     "{\"customer\":{\"name\":\"王*\",\"phone\":\"138****1234\",\"masked\":true}}"},
    /* a "customer" that is not an object, and other "name"/"phone" members, are not touched */
    {"{\"customer\":null,\"name\":\"x\",\"phone\":\"13812341234\",\"consultant\":{\"id\":4,"
     "\"name\":\"张伟\"}}",
     "{\"customer\":null,\"name\":\"x\",\"phone\":\"13812341234\",\"consultant\":{\"id\":4,"
     "\"name\":\"张伟\"}}"},
    /* nothing to mask */
    {"{}", "{}"},
    {"[]", "[]"},
};

static void test_mask_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(mask_cases); i++) {
        cJSON *j = parse(mask_cases[i].in);
        /* is_masked says exactly when masking would change nothing (the event log and the
         * stored results skip their copy on its word) */
        cJSON *want = parse(mask_cases[i].want);
        assert_int_equal(domain_privacy_is_masked(j), cJSON_Compare(j, want, 1));
        cJSON_Delete(want);
        assert_int_equal(domain_privacy_mask(j), 0);
        assert_json(j, mask_cases[i].want);
        assert_true(domain_privacy_is_masked(j));
        /* idempotent: a second pass changes nothing */
        assert_int_equal(domain_privacy_mask(j), 0);
        assert_json(j, mask_cases[i].want);
        cJSON_Delete(j);
    }
    assert_int_equal(domain_privacy_mask(NULL), 0);
    assert_true(domain_privacy_is_masked(NULL));
}

/* A masked object keeps its (already masked) name even where a re-mask would differ: the
 * Latin "Mr. S." would become "S." without its gender, "王先生" would become "王*". */
static void test_mask_marked_object_is_left_alone(void **state)
{
    (void)state;
    const char *t = "{\"customer\":{\"id\":1,\"name\":\"Mr. S.\",\"phone\":\"138****1234\","
                    "\"masked\":true},\"lead\":{\"customer\":{\"id\":2,\"name\":\"王先生\","
                    "\"phone\":\"\",\"masked\":true},\"name\":\"王先生\"}}";
    cJSON *j = parse(t);
    assert_int_equal(domain_privacy_mask(j), 0);
    assert_json(j, t);
    cJSON_Delete(j);
}

/* ---- strip ---- */

struct strip_case {
    const char *type, *in, *want;
};

static const struct strip_case strip_cases[] = {
    /* core_order.c audit(): order_create after = diff + args (+ detail) */
    {"order_create",
     "{\"customer\":{\"id\":3,\"name\":\"刘芳\",\"gender\":\"female\",\"phone\":\"13900000021\","
     "\"kind\":\"individual\",\"credit_rating\":null,\"credit_limit_fen\":0},\"stage\":\"entered\","
     "\"args\":{\"phone\":\"13900000021\",\"customer_name\":\"刘芳\",\"gender\":\"female\","
     "\"customer_kind\":\"company\",\"company_address\":\"上海市1号\",\"legal_rep\":\"赵六\","
     "\"contact_name\":\"钱七\",\"business_scope\":\"汽车租赁\",\"model\":\"HX7\"}}",
     "{\"customer\":{\"id\":3,\"kind\":\"individual\"},\"stage\":\"entered\","
     "\"args\":{\"phone\":\"[personal]\",\"customer_name\":\"[personal]\",\"gender\":\"female\","
     "\"customer_kind\":\"company\",\"company_address\":\"[personal]\",\"legal_rep\":"
     "\"[personal]\",\"contact_name\":\"[personal]\",\"business_scope\":\"汽车租赁\","
     "\"model\":\"HX7\"}}"},
    /* order_change_request: the changes object names the customer by "customer_name" */
    {"order_change_request",
     "{\"args\":{\"order_no\":\"SF2611-0001\",\"changes\":{\"customer_name\":\"刘芳芳\","
     "\"colour\":\"白\"},\"reason\":\"写错了\"},\"detail\":{\"change\":{\"customer_name\":"
     "{\"old\":\"刘芳\",\"new\":\"刘芳芳\"}}}}",
     "{\"args\":{\"order_no\":\"SF2611-0001\",\"changes\":{\"customer_name\":\"[personal]\","
     "\"colour\":\"白\"},\"reason\":\"写错了\"},\"detail\":{\"change\":{\"customer_name\":"
     "\"[personal]\"}}}"},
    /* a delivery's audit keeps the staff member's name (not a customer's) */
    {"order_deliver",
     "{\"stage\":\"delivered\",\"args\":{\"order_no\":\"SF2611-0001\",\"signature\":"
     "{\"strokes\":3}},\"detail\":{\"signoff\":{\"id\":1,\"staff\":{\"id\":4,\"name\":\"张伟\"}}}}",
     "{\"stage\":\"delivered\",\"args\":{\"order_no\":\"SF2611-0001\",\"signature\":"
     "{\"strokes\":3}},\"detail\":{\"signoff\":{\"id\":1,\"staff\":{\"id\":4,\"name\":\"张伟\"}}}"
     "}"},
    /* core_floor_audit() for a check-in: after = the full visit, args {} */
    {"checkin",
     "{\"id\":12,\"customer\":{\"id\":3,\"name\":\"王小明\",\"gender\":\"male\",\"phone\":"
     "\"13812341234\",\"kind\":\"individual\",\"new\":true},\"consultant\":{\"id\":4,\"name\":"
     "\"张伟\"},\"args\":{}}",
     "{\"id\":12,\"customer\":{\"id\":3,\"kind\":\"individual\"},\"consultant\":{\"id\":4,"
     "\"name\":\"张伟\"},\"args\":{}}"},
    /* checkin args (when given): name and phone are the customer's */
    {"checkin", "{\"args\":{\"phone\":\"13812341234\",\"name\":\"王小明\",\"gender\":\"male\"}}",
     "{\"args\":{\"phone\":\"[personal]\",\"name\":\"[personal]\",\"gender\":\"male\"}}"},
    /* lead_create: the lead's own name (at the record's root) and the args' name */
    {"lead_create",
     "{\"customer\":{\"id\":7,\"name\":\"刘芳\",\"gender\":\"female\",\"phone\":\"13900000021\","
     "\"kind\":\"individual\"},\"name\":\"刘芳\",\"owner\":{\"id\":4,\"name\":\"张伟\"},"
     "\"args\":{\"phone\":\"13900000021\",\"name\":\"刘芳\",\"channel\":\"autohome\"}}",
     "{\"customer\":{\"id\":7,\"kind\":\"individual\"},\"name\":\"[personal]\",\"owner\":{\"id\":4,"
     "\"name\":\"张伟\"},\"args\":{\"phone\":\"[personal]\",\"name\":\"[personal]\",\"channel\":"
     "\"autohome\"}}"},
    /* a lead diff where only the name changed (a second lead for the same customer) */
    {"lead_create", "{\"name\":\"刘芳\",\"updated_at\":5}",
     "{\"name\":\"[personal]\",\"updated_at\":5}"},
    /* a lead record under another action: its name still follows its customer */
    {"lead_assign",
     "{\"customer\":{\"id\":7,\"name\":\"刘芳\",\"phone\":\"13900000021\"},\"name\":\"刘芳\","
     "\"args\":{\"lead_id\":2,\"staff_no\":\"S003\"}}",
     "{\"customer\":{\"id\":7},\"name\":\"[personal]\",\"args\":{\"lead_id\":2,\"staff_no\":"
     "\"S003\"}}"},
    /* complaint_open: name and phone in the args */
    {"complaint_open",
     "{\"customer\":{\"id\":9,\"name\":\"周杰\",\"phone\":\"13500001111\",\"kind\":"
     "\"individual\"},\"args\":{\"phone\":\"13500001111\",\"name\":\"周杰\",\"summary\":\"慢\"}}",
     "{\"customer\":{\"id\":9,\"kind\":\"individual\"},\"args\":{\"phone\":\"[personal]\",\"name\":"
     "\"[personal]\",\"summary\":\"慢\"}}"},
    /* a type whose "name" is not a customer's keeps it (CLI: staff_add, site_add) */
    {"staff_add", "{\"name\":\"张伟\",\"args\":{\"name\":\"张伟\",\"phone\":\"13800000000\"}}",
     "{\"name\":\"张伟\",\"args\":{\"name\":\"张伟\",\"phone\":\"[personal]\"}}"},
    /* no type: only the keyed members and customers */
    {"",
     "{\"customers\":[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"kind\":\"company\",\"phone\":\"1\"}]}",
     "{\"customers\":[{\"id\":1},{\"id\":2,\"kind\":\"company\"}]}"},
    {NULL, "{\"name\":\"x\",\"args\":{\"name\":\"y\",\"id_number\":\"310101\"}}",
     "{\"name\":\"x\",\"args\":{\"name\":\"y\",\"id_number\":\"[personal]\"}}"},
    /* null and empty values have nothing personal in them */
    {"order_edit", "{\"args\":{\"phone\":null,\"legal_rep\":\"\"}}",
     "{\"args\":{\"phone\":null,\"legal_rep\":\"\"}}"},
    /* an order lookup's phone fragment */
    {"order_lookup", "{\"args\":{\"order_no\":\"SF2611-0001\",\"phone_last4\":\"1234\"}}",
     "{\"args\":{\"order_no\":\"SF2611-0001\",\"phone_last4\":\"[personal]\"}}"},
};

static void test_strip_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(strip_cases); i++) {
        cJSON *j = parse(strip_cases[i].in);
        assert_int_equal(domain_privacy_strip(j, strip_cases[i].type), 0);
        assert_json(j, strip_cases[i].want);
        assert_int_equal(domain_privacy_strip(j, strip_cases[i].type), 0); /* idempotent */
        assert_json(j, strip_cases[i].want);
        cJSON_Delete(j);
    }
    assert_int_equal(domain_privacy_strip(NULL, "checkin"), 0);
}

static void test_args_name(void **state)
{
    (void)state;
    static const char *const yes[] = {"checkin",      "lead_create",          "complaint_open",
                                      "order_create", "order_change_request", "order_edit"};
    static const char *const no[] = {"order_get", "lead_assign", "staff_add", "site_add",
                                     "model_add", "device_add",  "",          "checkin "};
    for (size_t i = 0; i < N(yes); i++)
        assert_true(domain_privacy_args_name(yes[i]));
    for (size_t i = 0; i < N(no); i++)
        assert_false(domain_privacy_args_name(no[i]));
    assert_false(domain_privacy_args_name(NULL));
}

/* ---- erase ---- */

static void test_erase_replaces_only_that_customer(void **state)
{
    (void)state;
    cJSON *j = parse(
        "{\"visit\":{\"customer\":{\"id\":3,\"name\":\"王小明\",\"gender\":\"male\",\"phone\":"
        "\"13812341234\",\"new\":true}},\"other\":{\"customer\":{\"id\":33,\"name\":\"李四\","
        "\"phone\":\"13700004321\"}},\"customers\":[{\"id\":3,\"name\":\"王小明\"},{\"id\":4,"
        "\"name\":\"赵敏\"}],\"lead\":{\"customer\":{\"id\":3,\"name\":\"王小明\"},\"name\":"
        "\"王小明\"},\"lead2\":{\"customer\":{\"id\":4,\"name\":\"赵敏\"},\"name\":\"赵敏\"}}");
    assert_int_equal(domain_privacy_mask(j), 0);
    assert_int_equal(domain_privacy_erase_customer(j, 3), 3);
    assert_json(j, "{\"visit\":{\"customer\":{\"id\":3,\"erased\":true,\"masked\":true,\"name\":"
                   "\"\",\"phone\":\"\"}},\"other\":{\"customer\":{\"id\":33,\"name\":\"李*\","
                   "\"phone\":\"137****4321\",\"masked\":true}},\"customers\":[{\"id\":3,"
                   "\"erased\":true,\"masked\":true,\"name\":\"\",\"phone\":\"\"},{\"id\":4,"
                   "\"name\":\"赵*\",\"masked\":true}],\"lead\":{\"customer\":{\"id\":3,\"erased\":"
                   "true,\"masked\":true,\"name\":\"\",\"phone\":\"\"},\"name\":\"\"},\"lead2\":"
                   "{\"customer\":{\"id\":4,\"name\":\"赵*\",\"masked\":true},\"name\":\"赵*\"}}");
    /* a second scrub finds nothing left of theirs */
    assert_int_equal(domain_privacy_erase_customer(j, 3), 0);
    /* masking an erased copy leaves it erased */
    assert_int_equal(domain_privacy_mask(j), 0);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "visit"), "customer"),
                            "name")
            ->valuestring,
        "");
    /* nobody with that id, a customer without an id, nothing at all */
    assert_int_equal(domain_privacy_erase_customer(j, 999), 0);
    cJSON *k = parse("{\"customer\":{\"name\":\"王先生\"}}");
    assert_int_equal(domain_privacy_erase_customer(k, 3), 0);
    assert_json(k, "{\"customer\":{\"name\":\"王先生\"}}");
    assert_int_equal(domain_privacy_erase_customer(NULL, 3), 0);
    cJSON_Delete(k);
    cJSON_Delete(j);
}

/* ---- each_unmasked ---- */

struct seen {
    int64_t ids[16];
    int n;
};

static void record(int64_t id, void *ctx)
{
    struct seen *s = ctx;
    if (s->n < 16)
        s->ids[s->n++] = id;
}

static void test_each_unmasked(void **state)
{
    (void)state;
    /* an order list as staff see it: two orders of customer 3, one of 4, a masked copy of 5, an
     * erased 6, a kiosk view (no id), a company without a phone */
    cJSON *j = parse(
        "{\"orders\":[{\"customer\":{\"id\":3,\"name\":\"王小明\",\"phone\":\"13812341234\"}},"
        "{\"customer\":{\"id\":3,\"name\":\"王小明\",\"phone\":\"13812341234\"}},"
        "{\"customer\":{\"id\":4,\"name\":\"赵敏\",\"phone\":\"\"}}],"
        "\"masked\":{\"customer\":{\"id\":5,\"name\":\"王先生\",\"phone\":\"138****1234\","
        "\"masked\":true}},\"gone\":{\"customer\":{\"id\":6,\"name\":\"\",\"phone\":\"\"}},"
        "\"view\":{\"customer\":{\"name\":\"王先生\",\"phone\":\"138****1234\"}},"
        "\"customers\":[{\"id\":7,\"name\":\"\",\"phone\":\"02112345678\",\"kind\":\"company\"}]}");
    struct seen s = {0};
    assert_int_equal(domain_privacy_each_unmasked(j, record, &s), 4);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.ids[0], 3);
    assert_int_equal(s.ids[1], 3);
    assert_int_equal(s.ids[2], 4);
    assert_int_equal(s.ids[3], 7);
    /* after masking nothing is in the clear */
    assert_int_equal(domain_privacy_mask(j), 0);
    s.n = 0;
    assert_int_equal(domain_privacy_each_unmasked(j, record, &s), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(domain_privacy_each_unmasked(NULL, record, &s), 0);
    cJSON_Delete(j);
}

/* A deep tree (an order list of 200 lists) is walked completely. */
static void test_mask_large_list(void **state)
{
    (void)state;
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "orders");
    for (int i = 0; i < 200; i++) {
        char t[160];
        snprintf(t, sizeof t,
                 "{\"customer\":{\"id\":%d,\"name\":\"王小明\",\"gender\":\"male\","
                 "\"phone\":\"138%08d\"}}",
                 i + 1, i);
        cJSON_AddItemToArray(list, parse(t));
    }
    struct seen s = {0};
    assert_int_equal(domain_privacy_each_unmasked(root, record, &s), 200);
    assert_int_equal(domain_privacy_mask(root), 0);
    char *text = cJSON_PrintUnformatted(root);
    assert_null(strstr(text, "王小明"));
    assert_null(strstr(text, "13800000199"));
    assert_non_null(strstr(text, "138****0199"));
    free(text);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_cases),
        cmocka_unit_test(test_mask_marked_object_is_left_alone),
        cmocka_unit_test(test_strip_cases),
        cmocka_unit_test(test_args_name),
        cmocka_unit_test(test_erase_replaces_only_that_customer),
        cmocka_unit_test(test_each_unmasked),
        cmocka_unit_test(test_mask_large_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

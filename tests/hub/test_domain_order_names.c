/* The order life cycle's name tables, both directions, written out independently of
 * hub/domain_order_names.c; plus which changed fields need a manager or change the car. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef const char *(*name_fn)(int);
typedef int (*from_fn)(const char *);

static const char *const bogus[] = {"",   " ", "x", "ORDER_CREATE", "order_create ",
                                    "A ", "a", "e", "stock\n",      "none"};

/* names[i] is the name of value i ("" = the value has no wire name and cannot be parsed). */
static void check_names(const char *const *names, int count, name_fn name, from_fn from)
{
    for (int i = 0; i < count; i++) {
        assert_non_null(name(i));
        assert_string_equal(name(i), names[i]);
        if (names[i][0])
            assert_int_equal(from(names[i]), i);
        for (int j = 0; j < i; j++)
            assert_true(strcmp(names[i], names[j]) != 0);
    }
    assert_null(name(count));
    assert_null(name(-1));
    assert_int_equal(from(NULL), -1);
    for (size_t i = 0; i < N(bogus); i++)
        assert_int_equal(from(bogus[i]), -1);
}

#define WRAP(fn, type)               \
    static const char *fn##_w(int v) \
    {                                \
        return fn((enum type)v);     \
    }

WRAP(domain_order_cmd_name, domain_order_cmd)
WRAP(domain_customer_kind_name, domain_customer_kind)
WRAP(domain_credit_name, domain_credit)
WRAP(domain_condition_name, domain_condition)
WRAP(domain_order_channel_name, domain_order_channel)
WRAP(domain_alloc_name, domain_alloc)
WRAP(domain_prep_step_name, domain_prep_step)
WRAP(domain_loan_step_name, domain_loan_step)
WRAP(domain_pay_kind_name, domain_pay_kind)
WRAP(domain_doc_name, domain_doc)
WRAP(domain_check_name, domain_check)
WRAP(domain_note_way_name, domain_note_way)
WRAP(domain_order_field_name, domain_order_field)

static void test_order_cmds(void **state)
{
    static const char *const names[] = {
        "order_create",        "order_review",
        "order_approve",       "order_edit",
        "order_resubmit",      "order_allocate",
        "vehicle_arrived",     "vehicle_prep",
        "order_eta",           "payment_confirm",
        "invoice_issue",       "loan_step",
        "order_ready",         "order_deliver",
        "order_close",         "order_change_request",
        "order_change_review", "order_cancel_request",
        "order_cancel_review", "order_cancel_approve",
        "refund_confirm",      "order_note",
        "order_get",           "order_list",
    };
    assert_int_equal(N(names), DOMAIN_ORDER__COUNT);
    check_names(names, DOMAIN_ORDER__COUNT, domain_order_cmd_name_w, domain_order_cmd_from_name);
    for (int c = 0; c < DOMAIN_ORDER__COUNT; c++)
        assert_int_equal(domain_order_cmd_is_read((enum domain_order_cmd)c),
                         c == DOMAIN_ORDER_GET || c == DOMAIN_ORDER_LIST);
}

static void test_small_tables(void **state)
{
    static const char *const kinds[] = {"individual", "company"};
    check_names(kinds, 2, domain_customer_kind_name_w, domain_customer_kind_from_name);
    static const char *const credits[] = {"", "A", "B", "C", "D"};
    assert_int_equal(N(credits), DOMAIN_CREDIT__COUNT);
    check_names(credits, DOMAIN_CREDIT__COUNT, domain_credit_name_w, domain_credit_from_name);
    static const char *const conds[] = {"guarantee", "larger_down_payment", "shorter_term"};
    assert_int_equal(N(conds), DOMAIN_COND__COUNT);
    check_names(conds, DOMAIN_COND__COUNT, domain_condition_name_w, domain_condition_from_name);
    static const char *const chans[] = {"consultant", "online", "phone", "showroom"};
    assert_int_equal(N(chans), DOMAIN_OCHAN__COUNT);
    check_names(chans, DOMAIN_OCHAN__COUNT, domain_order_channel_name_w,
                domain_order_channel_from_name);
    static const char *const allocs[] = {"", "stock", "factory"};
    check_names(allocs, 3, domain_alloc_name_w, domain_alloc_from_name);
    static const char *const preps[] = {"cleaning", "inspection", "maintenance"};
    assert_int_equal(N(preps), DOMAIN_PREP__COUNT);
    check_names(preps, DOMAIN_PREP__COUNT, domain_prep_step_name_w, domain_prep_step_from_name);
    static const char *const loans[] = {"documents", "bank_approved", "contract_signed"};
    assert_int_equal(N(loans), DOMAIN_LOAN__COUNT);
    check_names(loans, DOMAIN_LOAN__COUNT, domain_loan_step_name_w, domain_loan_step_from_name);
    static const char *const pays[] = {"deposit", "balance", "down_payment", "loan_disbursement"};
    assert_int_equal(N(pays), DOMAIN_PAYK__COUNT);
    check_names(pays, DOMAIN_PAYK__COUNT, domain_pay_kind_name_w, domain_pay_kind_from_name);
    static const char *const docs[] = {"invoice", "coc", "warranty"};
    assert_int_equal(N(docs), DOMAIN_DOC__COUNT);
    check_names(docs, DOMAIN_DOC__COUNT, domain_doc_name_w, domain_doc_from_name);
    static const char *const checks[] = {"vehicle_clean", "invoice",     "coc",      "warranty",
                                         "keys",          "accessories", "explained"};
    assert_int_equal(N(checks), DOMAIN_CHECK__COUNT);
    check_names(checks, DOMAIN_CHECK__COUNT, domain_check_name_w, domain_check_from_name);
    static const char *const ways[] = {"phone", "email", "face_to_face", "sms", "wechat"};
    assert_int_equal(N(ways), DOMAIN_WAY__COUNT);
    check_names(ways, DOMAIN_WAY__COUNT, domain_note_way_name_w, domain_note_way_from_name);
    static const char *const fields[] = {"model",
                                         "config",
                                         "colour",
                                         "quantity",
                                         "unit_price_fen",
                                         "payment",
                                         "expected_delivery_at",
                                         "delivery_place",
                                         "special_requests",
                                         "remarks"};
    assert_int_equal(N(fields), DOMAIN_OFIELD__COUNT);
    check_names(fields, DOMAIN_OFIELD__COUNT, domain_order_field_name_w,
                domain_order_field_from_name);
}

/* Each field alone, then mixtures: price, car and payment need a manager; only the car
 * (model, config, colour, quantity) counts as a different vehicle. */
static void test_change_fields(void **state)
{
    static const struct {
        enum domain_order_field f;
        int manager, vehicle;
    } cases[] = {
        {DOMAIN_OFIELD_MODEL, 1, 1},
        {DOMAIN_OFIELD_CONFIG, 1, 1},
        {DOMAIN_OFIELD_COLOUR, 1, 1},
        {DOMAIN_OFIELD_QUANTITY, 1, 1},
        {DOMAIN_OFIELD_UNIT_PRICE, 1, 0},
        {DOMAIN_OFIELD_PAYMENT, 1, 0},
        {DOMAIN_OFIELD_EXPECTED_DELIVERY, 0, 0},
        {DOMAIN_OFIELD_DELIVERY_PLACE, 0, 0},
        {DOMAIN_OFIELD_SPECIAL_REQUESTS, 0, 0},
        {DOMAIN_OFIELD_REMARKS, 0, 0},
    };
    assert_int_equal(N(cases), DOMAIN_OFIELD__COUNT);
    for (size_t i = 0; i < N(cases); i++) {
        unsigned bit = DOMAIN_OFIELD_BIT(cases[i].f);
        unsigned quiet = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_REMARKS) |
                         DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_DELIVERY_PLACE);
        assert_int_equal(domain_order_change_needs_manager(bit), cases[i].manager);
        assert_int_equal(domain_order_change_touches_vehicle(bit), cases[i].vehicle);
        /* adding fields that need nothing changes nothing */
        assert_int_equal(domain_order_change_needs_manager(bit | quiet), cases[i].manager);
        assert_int_equal(domain_order_change_touches_vehicle(bit | quiet), cases[i].vehicle);
    }
    assert_int_equal(domain_order_change_needs_manager(0), 0);
    assert_int_equal(domain_order_change_touches_vehicle(0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_cmds),
        cmocka_unit_test(test_small_tables),
        cmocka_unit_test(test_change_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

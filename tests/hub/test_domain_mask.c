/* Masking for public screens (DOMAIN.md "Privacy"): phones, people (Chinese, compound
 * surnames, Latin script) and companies, including every result with an output buffer one
 * byte too small, which must fail cleanly without writing past the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a)   (sizeof(a) / sizeof((a)[0]))
#define CANARY 0x7e
#define BUF    128

/* Calls the masker under test; g is ignored by phone and company. */
typedef int (*mask_fn)(const char *in, enum domain_gender g, char *out, size_t outsz);

static int call_phone(const char *in, enum domain_gender g, char *out, size_t outsz)
{
    return domain_mask_phone(in, out, outsz);
}

static int call_person(const char *in, enum domain_gender g, char *out, size_t outsz)
{
    return domain_mask_person(in, g, out, outsz);
}

static int call_company(const char *in, enum domain_gender g, char *out, size_t outsz)
{
    return domain_mask_company(in, out, outsz);
}

/* Runs `in` with exactly enough room, then one byte less, then none; checks the result,
 * the failure contract (-1, out[0] == 0) and that nothing is written at or past outsz. */
static void check_mask(mask_fn fn, const char *in, enum domain_gender g, const char *want)
{
    char buf[BUF];
    size_t need = strlen(want) + 1;
    assert_true(need < BUF);

    memset(buf, CANARY, sizeof(buf));
    int rc = fn(in, g, buf, sizeof(buf));
    if (rc != 0 || strcmp(buf, want) != 0)
        fail_msg("mask(\"%s\", %d) = %d \"%s\", want \"%s\"", in ? in : "(null)", (int)g, rc,
                 rc == 0 ? buf : "", want);

    memset(buf, CANARY, sizeof(buf));
    assert_int_equal(fn(in, g, buf, need), 0);
    assert_string_equal(buf, want);
    assert_int_equal((unsigned char)buf[need], CANARY);

    memset(buf, CANARY, sizeof(buf));
    assert_int_equal(fn(in, g, buf, need - 1), -1);
    if (need - 1 > 0)
        assert_int_equal(buf[0], '\0');
    for (size_t i = need - 1; i < BUF; i++)
        assert_int_equal((unsigned char)buf[i], CANARY);

    memset(buf, CANARY, sizeof(buf));
    assert_int_equal(fn(in, g, buf, 0), -1);
    for (size_t i = 0; i < BUF; i++)
        assert_int_equal((unsigned char)buf[i], CANARY);
}

static void test_phones(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"13812341234", "138****1234"}, /* mainland mobile */
        {"19900000021", "199****0021"},
        {"+4915112345678", "+49*******5678"}, /* international: + and country code */
        {"+12025550123", "+12*****0123"},
        {"+12345678", "+12**5678"},               /* shortest valid international */
        {"+123456789012345", "+12*********2345"}, /* longest valid international */
        {"12345678", "123*5678"},
        {"1234567", "1234567"}, /* 7: head and tail meet */
        {"123456", "******"},   /* shorter than 7: all stars */
        {"12", "**"},
        {"1", "*"},
        {"", ""},
        {"１３８１２３４１２３４", "１３８****１２３４"}, /* full-width digits: by character */
    };
    for (size_t i = 0; i < N(cases); i++)
        check_mask(call_phone, cases[i].in, DOMAIN_GENDER_UNKNOWN, cases[i].want);
    check_mask(call_phone, NULL, DOMAIN_GENDER_UNKNOWN, "");
}

static void test_people(void **state)
{
    static const struct {
        const char *in;
        enum domain_gender g;
        const char *want;
    } cases[] = {
        {"王小明", DOMAIN_GENDER_MALE, "王先生"},
        {"王小明", DOMAIN_GENDER_FEMALE, "王女士"},
        {"王小明", DOMAIN_GENDER_UNKNOWN, "王*"},
        {"刘芳", DOMAIN_GENDER_FEMALE, "刘女士"},
        {"李", DOMAIN_GENDER_UNKNOWN, "李*"}, /* single character */
        {"王", DOMAIN_GENDER_MALE, "王先生"},
        {"欧阳娜娜", DOMAIN_GENDER_FEMALE, "欧阳女士"}, /* compound surnames */
        {"司马光", DOMAIN_GENDER_MALE, "司马先生"},
        {"诸葛亮", DOMAIN_GENDER_UNKNOWN, "诸葛*"},
        {"上官婉儿", DOMAIN_GENDER_FEMALE, "上官女士"},
        {"欧阳", DOMAIN_GENDER_MALE, "欧阳先生"}, /* surname only */
        {"欧小明", DOMAIN_GENDER_MALE, "欧先生"}, /* shares a first character */
        {"司小红", DOMAIN_GENDER_FEMALE, "司女士"},
        {"　王五　", DOMAIN_GENDER_MALE, "王先生"}, /* ideographic spaces */
        {" 张伟 ", DOMAIN_GENDER_MALE, "张先生"},
        {"", DOMAIN_GENDER_MALE, "顾客"}, /* empty */
        {"", DOMAIN_GENDER_FEMALE, "顾客"},
        {"", DOMAIN_GENDER_UNKNOWN, "顾客"},
        {"   ", DOMAIN_GENDER_MALE, "顾客"},
        {"John Smith", DOMAIN_GENDER_MALE, "Mr. S."}, /* Latin script */
        {"Jane Doe", DOMAIN_GENDER_FEMALE, "Ms. D."},
        {"Jane Doe", DOMAIN_GENDER_UNKNOWN, "D."},
        {"john smith", DOMAIN_GENDER_UNKNOWN, "S."},
        {"Madonna", DOMAIN_GENDER_FEMALE, "Ms. M."},
        {"  Anna  Maria   Weber  ", DOMAIN_GENDER_FEMALE, "Ms. W."},
        {"José Álvarez", DOMAIN_GENDER_MALE, "Mr. Á."},
        {"Wang Xiaoming", DOMAIN_GENDER_UNKNOWN, "X."},
        {"王小明", (enum domain_gender)7, "王*"}, /* unknown gender value */
    };
    for (size_t i = 0; i < N(cases); i++)
        check_mask(call_person, cases[i].in, cases[i].g, cases[i].want);
    check_mask(call_person, NULL, DOMAIN_GENDER_MALE, "顾客");
}

/* The compound surnames the product promises, each with every gender. */
static void test_compound_surnames(void **state)
{
    static const char *const surnames[] = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟",
                                           "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯",
                                           "轩辕", "端木", "独孤", "南宫", "西门", "百里"};
    static const struct {
        enum domain_gender g;
        const char *suffix;
    } genders[] = {
        {DOMAIN_GENDER_MALE, "先生"}, {DOMAIN_GENDER_FEMALE, "女士"}, {DOMAIN_GENDER_UNKNOWN, "*"}};
    for (size_t i = 0; i < N(surnames); i++) {
        for (size_t k = 0; k < N(genders); k++) {
            char in[32], want[32];
            snprintf(in, sizeof(in), "%s明月", surnames[i]);
            snprintf(want, sizeof(want), "%s%s", surnames[i], genders[k].suffix);
            check_mask(call_person, in, genders[k].g, want);
        }
    }
}

static void test_companies(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"上海星河汽车有限公司", "上海***"},
        {"  上海星河 ", "上海***"},
        {"ACME Logistics", "AC***"},
        {"星", "星***"},
        {"AB", "AB***"},
        {"", "***"},
    };
    for (size_t i = 0; i < N(cases); i++)
        check_mask(call_company, cases[i].in, DOMAIN_GENDER_UNKNOWN, cases[i].want);
    check_mask(call_company, NULL, DOMAIN_GENDER_UNKNOWN, "***");
}

/* Malformed UTF-8 must not be read past its NUL (ASan checks the reads). */
static void test_malformed_utf8_is_bounded(void **state)
{
    static const char *const inputs[] = {"\xE4",     "\xE4\xB8", "\xF0\x9F\x98", "\x80\x80\x80",
                                         "\xE3\x80", "a\xE4",    "\xC3"};
    for (size_t i = 0; i < N(inputs); i++) {
        char buf[BUF];
        assert_int_equal(domain_mask_phone(inputs[i], buf, sizeof(buf)), 0);
        /* Each stray byte is one character, and all are under 7: all stars. */
        assert_int_equal(strlen(buf), strlen(inputs[i]));
        assert_int_equal(strspn(buf, "*"), strlen(inputs[i]));
        assert_int_equal(domain_mask_person(inputs[i], DOMAIN_GENDER_MALE, buf, sizeof(buf)), 0);
        assert_int_equal(domain_mask_company(inputs[i], buf, sizeof(buf)), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_compound_surnames),
        cmocka_unit_test(test_companies),
        cmocka_unit_test(test_malformed_utf8_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

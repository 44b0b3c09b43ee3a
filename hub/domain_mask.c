/* Masking of personal data for public screens (DOMAIN.md "Privacy"): kiosks only ever get
 * what this file produces. Works on UTF-8 code points with no locale, so the result is the
 * same on every machine. Input is expected to be valid UTF-8 (the protocol checks it); a
 * malformed byte is treated as one character, never read past. */
#include <stdbool.h>
#include <string.h>

#include "domain.h"

/* Two-character surnames (复姓) kept whole: "欧阳女士", not "欧女士". Only pairs that are
 * almost never a one-character surname plus a given name: a false match would show one
 * character of the given name (so not 单于, 宗政, 钟离, whose first character is itself a
 * common surname). */
static const char *const mask_compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
    "长孙", "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫",
    "西门", "百里", "呼延", "万俟", "澹台", "申屠", "赫连", "濮阳", "拓跋",
};

#define MASK_IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000, typed by Chinese IMEs */

/* Bytes in the code point starting at s (s[0] != 0): 2..4 for a well-formed sequence,
 * otherwise 1, so a stray byte counts as one character and a NUL is never skipped. */
static size_t mask_cp_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;
    if (u[0] < 0xC2 || u[0] > 0xF4)
        return 1;
    n = u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 1;
    }
    return n;
}

static size_t mask_cp_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += mask_cp_len(s + i))
        n++;
    return n;
}

/* Byte offset of code point number `k` in s (len bytes); len if there are fewer. */
static size_t mask_cp_offset(const char *s, size_t len, size_t k)
{
    size_t i = 0;
    while (k > 0 && i < len) {
        i += mask_cp_len(s + i);
        k--;
    }
    return i < len ? i : len;
}

static bool mask_is_space(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r'))
        return true;
    return len >= 3 && memcmp(s, MASK_IDEOGRAPHIC_SPACE, 3) == 0;
}

static size_t mask_space_len(const char *s)
{
    return (unsigned char)s[0] < 0x80 ? 1 : 3;
}

/* Narrows [*s, *s + *len) to exclude leading and trailing blanks. */
static void mask_trim(const char **s, size_t *len)
{
    while (*len > 0 && mask_is_space(*s, *len)) {
        size_t k = mask_space_len(*s);
        *s += k;
        *len -= k;
    }
    for (;;) {
        if (*len >= 1 && mask_is_space(*s + *len - 1, 1))
            *len -= 1;
        else if (*len >= 3 && mask_is_space(*s + *len - 3, 3))
            *len -= 3;
        else
            break;
    }
}

/* Output under construction: appends past the end are counted, not written, so the
 * caller learns at the end whether the whole result fitted. */
struct mask_out {
    char *buf;
    size_t size;
    size_t len;
};

static void mask_put(struct mask_out *o, const char *s, size_t n)
{
    if (o->len + n < o->size)
        memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void mask_put_str(struct mask_out *o, const char *s)
{
    mask_put(o, s, strlen(s));
}

static void mask_put_stars(struct mask_out *o, size_t n)
{
    while (n-- > 0)
        mask_put(o, "*", 1);
}

/* NUL-terminates; on overflow leaves "" (when there is room for it) and returns -1. */
static int mask_finish(struct mask_out *o)
{
    if (o->len >= o->size) {
        if (o->size > 0)
            o->buf[0] = '\0';
        return -1;
    }
    o->buf[o->len] = '\0';
    return 0;
}

int domain_mask_phone(const char *phone, char *out, size_t outsz)
{
    struct mask_out o = {out, outsz, 0};
    const char *p = phone ? phone : "";
    size_t len = strlen(p);
    size_t n = mask_cp_count(p, len);

    if (n < 7) {
        mask_put_stars(&o, n);
        return mask_finish(&o);
    }
    /* The first 3 characters are the operator prefix of a mainland mobile ("138") or the
     * "+" and country code of an international one ("+49"); the last 4 are what people
     * recognise their number by. Neither identifies the subscriber. */
    size_t head = mask_cp_offset(p, len, 3);
    size_t tail = mask_cp_offset(p, len, n - 4);
    mask_put(&o, p, head);
    mask_put_stars(&o, n - 7);
    mask_put(&o, p + tail, len - tail);
    return mask_finish(&o);
}

/* Bytes of the surname at the start of a Chinese name: a compound surname when the name
 * starts with one, else the first character. */
static size_t mask_surname_len(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(mask_compound_surnames) / sizeof(mask_compound_surnames[0]);
         i++) {
        size_t k = strlen(mask_compound_surnames[i]);
        if (k <= len && memcmp(s, mask_compound_surnames[i], k) == 0)
            return k;
    }
    return mask_cp_len(s);
}

/* "John Smith" -> "Mr. S." / "Ms. S." / "S.": the family name is the last word in Latin
 * script; an initial alone does not identify anyone on a public screen. */
static void mask_latin(struct mask_out *o, const char *s, size_t len, enum domain_gender g)
{
    size_t word = len;
    while (word > 0 && !mask_is_space(s + word - 1, 1))
        word--;
    if (g == DOMAIN_GENDER_MALE)
        mask_put_str(o, "Mr. ");
    else if (g == DOMAIN_GENDER_FEMALE)
        mask_put_str(o, "Ms. ");
    const char *initial = s + word;
    if (*initial >= 'a' && *initial <= 'z') {
        char up = (char)(*initial - 'a' + 'A');
        mask_put(o, &up, 1);
    } else {
        mask_put(o, initial, mask_cp_len(initial));
    }
    mask_put(o, ".", 1);
}

int domain_mask_person(const char *name, enum domain_gender g, char *out, size_t outsz)
{
    struct mask_out o = {out, outsz, 0};
    const char *s = name ? name : "";
    size_t len = strlen(s);

    mask_trim(&s, &len);
    if (len == 0) {
        mask_put_str(&o, "顾客");
        return mask_finish(&o);
    }
    if ((unsigned char)s[0] < 0x80) {
        mask_latin(&o, s, len, g);
        return mask_finish(&o);
    }
    mask_put(&o, s, mask_surname_len(s, len));
    if (g == DOMAIN_GENDER_MALE)
        mask_put_str(&o, "先生");
    else if (g == DOMAIN_GENDER_FEMALE)
        mask_put_str(&o, "女士");
    else
        mask_put(&o, "*", 1); /* no honorific we could be wrong about */
    return mask_finish(&o);
}

int domain_mask_company(const char *name, char *out, size_t outsz)
{
    struct mask_out o = {out, outsz, 0};
    const char *s = name ? name : "";
    size_t len = strlen(s);

    mask_trim(&s, &len);
    mask_put(&o, s, mask_cp_offset(s, len, 2));
    mask_put_str(&o, "***");
    return mask_finish(&o);
}

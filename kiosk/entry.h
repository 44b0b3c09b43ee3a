/* Keypad text entry for the kiosk screens: a phone number, an order number after the fixed
 * "SF" prefix, a staff number after a fixed "S", or a run of digits (PIN, phone tail).
 * Pure: keys go in as names ("0".."9", "-", "del", "clear"), text and validity come out. */
#ifndef SHOWFLOOR_ENTRY_H
#define SHOWFLOOR_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

enum entry_kind {
    ENTRY_PHONE,    /* mainland mobile, 11 digits, checked as typed */
    ENTRY_ORDER_NO, /* digits and '-' after the "SF" the keypad shows */
    ENTRY_STAFF_NO, /* digits after the "S" the keypad shows */
    ENTRY_DIGITS,   /* digits only (PIN, last 4 phone digits) */
};

enum entry_state {
    ENTRY_INCOMPLETE, /* nothing wrong yet, not enough typed */
    ENTRY_VALID,      /* can be submitted */
    ENTRY_INVALID,    /* cannot become valid: show an error */
};

#define ENTRY_MAX 24

struct entry {
    enum entry_kind kind;
    size_t min, max; /* typed characters (the prefix does not count) */
    size_t len;
    char buf[ENTRY_MAX + 1];
};

/* min/max bound what is typed; max is capped at ENTRY_MAX. */
void entry_init(struct entry *e, enum entry_kind kind, size_t min, size_t max);
/* Applies one key. Returns 1 when the text changed, 0 when the key was refused (full,
 * a key this kind does not take, or '-' where it makes no sense). */
int entry_key(struct entry *e, const char *key);
/* Wipes the text (idle reset, cancel) without leaving it in memory. */
void entry_clear(struct entry *e);
/* What was typed, without the prefix. */
const char *entry_text(const struct entry *e);
enum entry_state entry_state(const struct entry *e);
/* The value to send: "SF" + text for order numbers, "S" + text for staff numbers, else
 * the text. Returns 0, or -1 when out is too small. */
int entry_value(const struct entry *e, char *out, size_t outsz);
/* The text as shown: phone grouped 3-4-4 ("138 1234 1234"), order and staff numbers with
 * their prefix, a PIN as one dot per digit (`mask`). */
void entry_display(const struct entry *e, bool mask, char *out, size_t outsz);

#endif

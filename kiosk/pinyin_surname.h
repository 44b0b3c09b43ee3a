/* Chinese surnames from pinyin, for the reception's name keyboard: the hub masks a person as
 * surname + 先生/女士, so a surname is all a customer needs to give, and a Latin keyboard
 * with a row of candidates is enough to give it (a full IME is a project of its own).
 * A fixed table of the common surnames, most frequent first. Pure; any thread. */
#ifndef SHOWFLOOR_PINYIN_SURNAME_H
#define SHOWFLOOR_PINYIN_SURNAME_H

#include <stddef.h>

/* Surnames whose pinyin starts with `typed` (ASCII letters, any case; "v" stands for ü as
 * on Chinese keyboards): those spelt exactly `typed` first, then the longer ones, each group
 * by frequency. Writes up to max UTF-8 strings (static) to out and returns how many; 0 for
 * an empty or non-letter `typed`. */
size_t pinyin_surname_match(const char *typed, const char **out, size_t max);

#endif

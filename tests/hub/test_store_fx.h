/* Shared fixture of the issue-4 store tests: a temporary database with two sites, staff of
 * every role the lead and complaint flows use, two models and three customers. */
#ifndef SHOWFLOOR_TEST_STORE_FX_H
#define SHOWFLOOR_TEST_STORE_FX_H

#include <stdint.h>

#include "store.h"

#define FX_NOW  1795312800000LL /* 2026-11-22 10:00 in UTC+8 */
#define FX_HOUR 3600000LL

struct store_fx {
    char path[64];
    struct store *s;
    int64_t site, other_site;
    int64_t telesales, telesales2, consultant, consultant2, supervisor, manager, gm;
    int64_t customer, customer2, customer3;
};

int store_fx_setup(void **state);
int store_fx_teardown(void **state);
/* Events of `kind` appended after seq `since`; *last (may be NULL) gets the data of the last. */
int store_fx_events(struct store *s, int64_t since, const char *kind, cJSON **last);
int64_t store_fx_last_seq(struct store *s);

#endif

/* Shared fixture of the core tests: a temporary database with two sites, staff, a model and
 * one authenticated device per mode, plus a second store handle for setting up data the way
 * the admin CLI would. */
#ifndef SHOWFLOOR_TEST_CORE_FIXTURE_H
#define SHOWFLOOR_TEST_CORE_FIXTURE_H

#include <stdint.h>

#include <sqlite3.h>

#include "core.h"
#include "store.h"

#define FX_NOW 1795312800000LL /* 2026-11-22 10:00 at UTC+8 */
#define FX_DAY "2026-11-22"
#define FX_PIN "2468"

struct cfx {
    char path[64];
    struct core *core;
    struct store *s; /* second handle on the same file */
    sqlite3 *db;     /* raw handle for counting rows */
    int64_t site, other_site;
    int64_t c1, c2, c3;                         /* consultants: c1, c2 on duty today, c3 resting */
    int64_t t1;                                 /* telesales 陈静 */
    int64_t other_staff;                        /* consultant of the other site, staff_no "B001" */
    struct core_device dev[DOMAIN_MODE__COUNT]; /* one per mode at `site` */
    char tokens[DOMAIN_MODE__COUNT][64];
};

/* Creates the fixture (replay_max <= 0: default). Fails the test on any error. */
struct cfx *cfx_new(int replay_max);
void cfx_free(struct cfx *f);
/* Rows in a table, read through the raw handle. */
int64_t cfx_count(struct cfx *f, const char *table);
/* Adds a customer through the setup handle; returns its id. */
int64_t cfx_customer(struct cfx *f, const char *phone, const char *name, enum domain_gender g);
/* Runs a checkin from the reception device with args given as JSON text. Returns the
 * core_request result; *data as core_request leaves it. */
int cfx_checkin(struct cfx *f, const char *id, const char *args_json, int64_t now, cJSON **data,
                struct proto_error *err);
/* Adds an order through the setup handle; returns its id and writes its number. */
int64_t cfx_order(struct cfx *f, int64_t customer, enum domain_stage stage, char *no, size_t nosz);

#endif

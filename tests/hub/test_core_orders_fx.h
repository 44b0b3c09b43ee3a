/* Helpers shared by the order command tests: staff of every role (as a login would give
 * them), stock vehicles, and one-line requests through core_request. */
#ifndef SHOWFLOOR_TEST_CORE_ORDERS_FX_H
#define SHOWFLOOR_TEST_CORE_ORDERS_FX_H

#include "test_core_fixture.h"

#define OFX_VIN1  "LSVAB4BR5PN000001"
#define OFX_VIN2  "LSVAB4BR5PN000002"
#define OFX_PRICE 18980000LL
#define OFX_HOUR  3600000LL

struct ofx {
    struct cfx *f;
    struct core_staff cons, cons2, sup, mgr, fin, adm, other; /* other: supervisor of BJ01 */
    struct core_device *api, *delivery, *board;
    int64_t now; /* advanced 1 s by every ofx_req */
};

struct ofx *ofx_new(void);
void ofx_free(struct ofx *o);
/* Runs a request (args as JSON text, "" for none) from `dev` as `staff` (NULL: no login) at
 * o->now. Returns core_request's rc; *data and *err as it leaves them (data may be NULL). */
int ofx_req(struct ofx *o, struct core_device *dev, const struct core_staff *staff,
            enum proto_type type, const char *id, const char *args_json, cJSON **data,
            struct proto_error *err);
/* Same, asserting success; returns the result's "order" (the whole data is kept in
 * o's last result and freed on the next call). */
const cJSON *ofx_ok(struct ofx *o, struct core_device *dev, const struct core_staff *staff,
                    enum proto_type type, const char *args_json);
/* The whole data of the latest ofx_ok (freed by the next call). */
const cJSON *ofx_data(void);
/* Same, asserting failure with `code`; returns the error. */
struct proto_error ofx_fail(struct ofx *o, struct core_device *dev, const struct core_staff *staff,
                            enum proto_type type, const char *args_json, enum proto_err code);
/* A stock vehicle of model HX7 at the fixture's site. */
void ofx_vehicle(struct ofx *o, const char *vin);
/* Creates an order (consultant `cons`, full or loan) and returns its number in no. */
void ofx_create(struct ofx *o, bool loan, char *no, size_t nosz);
/* Walks a new order to `stage` (entered .. ready), stock vehicle `vin` when allocating. */
void ofx_walk(struct ofx *o, enum domain_stage stage, const char *vin, char *no, size_t nosz);
/* The vehicle's state name. */
const char *ofx_vehicle_state(struct ofx *o, const char *vin);
/* Everything a refusal must leave alone, for comparing before/after. */
struct ofx_counts {
    int64_t orders, audit, events, payments, refunds, requests, notes, signoffs, vehicles, commands,
        reserved;
    char stage[32];
};
void ofx_counts(struct ofx *o, const char *no, struct ofx_counts *out);
void ofx_assert_same(const struct ofx_counts *a, const struct ofx_counts *b);
/* The latest event of `kind` (full data, caller frees) and its seq; NULL if none. */
cJSON *ofx_last_event(struct ofx *o, const char *kind, int64_t *seq);

#endif

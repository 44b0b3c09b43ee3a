/* Creating customers and orders from the CLI: shared by `order add` and `demo-data`, so both
 * produce orders whose stage, sub-states (vehicle, preparation, payments, loan steps,
 * invoice, documents, sign-off, refund) and timestamps agree with each other. */
#ifndef SHOWFLOOR_SEED_H
#define SHOWFLOOR_SEED_H

#include "cli.h"

struct seed_order {
    int64_t site_id;
    int64_t customer_id;
    int64_t consultant_id; /* 0 none */
    const char *model_code;
    const char *colour;
    enum domain_stage stage;
    enum domain_payment payment;
    enum domain_alloc alloc; /* NONE: stock when an in-stock car of the model exists, else
                              * a new stock car is added; FACTORY: ordered from the factory */
    int64_t total_fen;       /* 0: the model's list price */
    int64_t paid_fen;        /* -1: what the stage implies */
    int64_t created_at;      /* the stages in between are spread from here to now */
    int64_t received_at;     /* 0: half an hour before created_at */
    int64_t delivery_at;     /* ready orders: the appointment; 0 picks one later today */
    const char *delivery_place;
    const char *reason;  /* returned / cancelled: why; "" none */
    int loan_steps;      /* loan orders at allocated: how many loan steps are done (1..3);
                          * 0: what the stage implies */
    const char *config;  /* NULL: none */
    const char *channel; /* NULL: "showroom" */
    int rating;          /* delivered: the customer's sign-off rating 1..5; 0: 5 */
};

/* What seed_order_add made, for callers that build on it. */
struct seed_made {
    int64_t order_id;
    char order_no[STORE_ORDER_NO_MAX + 1];
    char vin[STORE_VIN_LEN + 1]; /* "" none */
};

/* Finds the customer with this phone (normalised) or adds one, recording consent now.
 * Prints its own errors; 0 or -1. Call inside a write transaction. */
int seed_customer(struct cli *c, const char *phone, const char *name, enum domain_gender g,
                  int64_t *id);
/* Adds an order with everything its stage implies (events, inventory, money rows, one
 * audit record "order_add" by actor "cli"). Prints its own errors; 0 or -1. Call inside a
 * write transaction. */
int seed_order_add(struct cli *c, const struct seed_order *o, struct seed_made *made);
/* Appends an audit record by actor "cli" for the order (after = its full JSON). */
int seed_audit_order(struct cli *c, int64_t order_id, const char *action, const cJSON *before,
                     int64_t at);

#endif

/* Creating customers and orders from the CLI: shared by `order add` and `demo-data`, so both
 * produce orders whose stage, money and timestamps agree with each other. */
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
    int64_t total_fen;   /* 0: the model's list price */
    int64_t paid_fen;    /* -1: what the stage implies */
    int64_t created_at;  /* the stages in between are spread from here to now */
    int64_t delivery_at; /* ready orders: the appointment; 0 picks one later today */
    const char *delivery_place;
};

/* Finds the customer with this phone (normalised) or adds one, recording consent now.
 * Prints its own errors; 0 or -1. Call inside a write transaction. */
int seed_customer(struct cli *c, const char *phone, const char *name, enum domain_gender g,
                  int64_t *id);
/* Adds an order (and its order.created event); writes its number into order_no (size
 * STORE_ORDER_NO_MAX + 1). Prints its own errors; 0 or -1. Call inside a write transaction. */
int seed_order_add(struct cli *c, const struct seed_order *o, char *order_no);

#endif

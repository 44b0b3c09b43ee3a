/* `showfloor order add`: enter an order directly into the database (imports, fixing, tests),
 * with every sub-state its --stage implies and an audit record. Other `order` verbs go
 * through a running hub (cmd_api.c). */
#include <stdio.h>
#include <string.h>

#include "seed.h"

int cmd_order(struct cli *c, int argc, char **argv)
{
    const char *site_code, *phone, *customer, *model, *gender, *colour, *stage, *payment, *total,
        *paid, *consultant;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code},        {"phone", 1, 0, &phone},
                             {"customer", 1, 0, &customer},     {"model", 1, 0, &model},
                             {"gender", 0, 0, &gender},         {"colour", 0, 0, &colour},
                             {"stage", 0, 0, &stage},           {"payment", 0, 0, &payment},
                             {"total-fen", 0, 0, &total},       {"paid-fen", 0, 0, &paid},
                             {"consultant", 0, 0, &consultant}, {0}};
    if (argc < 1 || strcmp(argv[0], "add") != 0 ||
        cli_parse("order add", argc - 1, argv + 1, opts) != 0) {
        fprintf(stderr,
                "usage: showfloor order add --site C --phone P --customer NAME --model M\n"
                "  [--gender male|female|unknown] [--colour C] [--stage S]\n"
                "  [--payment full|loan] [--total-fen F] [--paid-fen F] [--consultant S]\n");
        return CLI_USAGE;
    }
    struct seed_order o = {.model_code = model,
                           .colour = colour,
                           .stage = DOMAIN_STAGE_ENTERED,
                           .payment = DOMAIN_PAY_FULL,
                           .paid_fen = -1,
                           .created_at = c->now};
    int g = gender ? domain_gender_from_name(gender) : DOMAIN_GENDER_UNKNOWN;
    if (g < 0) {
        fprintf(stderr, "showfloor order add: --gender must be male, female or unknown\n");
        return CLI_USAGE;
    }
    if (stage) {
        int s = domain_stage_from_name(stage);
        if (s < 0) {
            fprintf(stderr, "showfloor order add: unknown stage '%s'\n", stage);
            return CLI_USAGE;
        }
        o.stage = (enum domain_stage)s;
    }
    if (payment) {
        int p = domain_payment_from_name(payment);
        if (p < 0) {
            fprintf(stderr, "showfloor order add: --payment must be full or loan\n");
            return CLI_USAGE;
        }
        o.payment = (enum domain_payment)p;
    }
    if (total && cli_int("order add", "total-fen", total, 1, (int64_t)1 << 50, &o.total_fen))
        return CLI_USAGE;
    if (paid && cli_int("order add", "paid-fen", paid, 0, (int64_t)1 << 50, &o.paid_fen))
        return CLI_USAGE;
    if (strlen(customer) == 0 || strlen(customer) > PROTO_MAX_NAME ||
        !proto_utf8_valid(customer, strlen(customer))) {
        fprintf(stderr, "showfloor order add: --customer must be 1..%d bytes of UTF-8\n",
                PROTO_MAX_NAME);
        return CLI_USAGE;
    }
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    o.site_id = site.id;
    struct proto_error err;
    if (consultant) {
        struct store_staff st;
        if (store_staff_find(c->store, consultant, &st, &err) != 0)
            return cli_fail("order add: consultant", &err);
        o.consultant_id = st.id;
    }
    struct seed_made made;
    if (store_begin(c->store, &err) != 0)
        return cli_fail("order add", &err);
    if (seed_customer(c, phone, customer, (enum domain_gender)g, &o.customer_id) != 0 ||
        seed_order_add(c, &o, &made) != 0) {
        store_rollback(c->store);
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail("order add", &err);
    }
    printf("%s\n", made.order_no);
    return CLI_OK;
}

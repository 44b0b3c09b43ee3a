/* `showfloor vehicle`: the inventory stock orders reserve by VIN (setup and imports). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmd_direct.h"

static int vehicle_usage(void)
{
    fprintf(stderr, "usage: showfloor vehicle add --site C --vin V --model M [--colour C]\n"
                    "       showfloor vehicle list [--site C] [--state in_stock|reserved|"
                    "delivered] [--model M]\n");
    return CLI_USAGE;
}

static int print_vehicle(void *ctx, const struct store_vehicle *v)
{
    struct cli *c = ctx;
    struct store_order o = {0};
    struct proto_error err;
    if (v->order_id && store_orders_get(c->store, v->order_id, &o, &err) != 0)
        snprintf(o.order_no, sizeof o.order_no, "#%lld", (long long)v->order_id);
    printf("%-17s %-6s %-10s %-9s %s\n", v->vin, v->model_code, v->colour[0] ? v->colour : "-",
           store_vehicle_state_name(v->state), o.order_no[0] ? o.order_no : "-");
    return 0;
}

static int vehicle_list(struct cli *c, int argc, char **argv)
{
    const char *site_code, *state_name, *model;
    struct cli_opt opts[] = {
        {"site", 0, 0, &site_code}, {"state", 0, 0, &state_name}, {"model", 0, 0, &model}, {0}};
    if (cli_parse("vehicle list", argc, argv, opts) != 0)
        return CLI_USAGE;
    int state = -1;
    if (state_name && (state = store_vehicle_state_from_name(state_name)) < 0) {
        fprintf(stderr, "showfloor vehicle list: --state must be in_stock, reserved or "
                        "delivered\n");
        return CLI_USAGE;
    }
    struct store_site site = {0};
    if (site_code && cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    struct proto_error err;
    return store_vehicles_list(c->store, site.id, state, model, print_vehicle, c, &err)
               ? cli_fail("vehicle list", &err)
               : CLI_OK;
}

static int vehicle_add(struct cli *c, int argc, char **argv)
{
    const char *site_code, *vin_in, *model, *colour;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code},
                             {"vin", 1, 0, &vin_in},
                             {"model", 1, 0, &model},
                             {"colour", 0, 0, &colour},
                             {0}};
    if (cli_parse("vehicle add", argc, argv, opts) != 0)
        return vehicle_usage();
    struct store_vehicle v = {.state = STORE_VEHICLE_IN_STOCK, .created_at = c->now};
    size_t n = strlen(vin_in);
    for (size_t i = 0; i < n && i < STORE_VIN_LEN; i++) /* VINs are printed in capitals */
        v.vin[i] = (char)toupper((unsigned char)vin_in[i]);
    if (n != STORE_VIN_LEN || !store_vin_valid(v.vin)) {
        fprintf(stderr,
                "showfloor vehicle add: --vin must be 17 characters: digits and capital letters "
                "except I, O and Q, not '%s'\n",
                vin_in);
        return CLI_USAGE;
    }
    if (strlen(model) > PROTO_MAX_SHORT || (colour && strlen(colour) > PROTO_MAX_SHORT)) {
        fprintf(stderr, "showfloor vehicle add: --model and --colour are at most %d bytes\n",
                PROTO_MAX_SHORT);
        return CLI_USAGE;
    }
    snprintf(v.model_code, sizeof v.model_code, "%s", model);
    snprintf(v.colour, sizeof v.colour, "%s", colour ? colour : "");
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    v.site_id = site.id;
    struct proto_error err;
    struct store_model m;
    if (store_models_find(c->store, model, &m, &err) != 0) {
        fprintf(stderr, "showfloor: no model with code '%s' (see 'showfloor model list')\n", model);
        return CLI_FAIL;
    }
    cJSON *after = cJSON_CreateObject();
    if (!after || !cJSON_AddStringToObject(after, "vin", v.vin) ||
        !cJSON_AddStringToObject(after, "site", site.code) ||
        !cJSON_AddStringToObject(after, "model", v.model_code) ||
        !cJSON_AddStringToObject(after, "colour", v.colour) ||
        !cJSON_AddStringToObject(after, "state", "in_stock")) {
        cJSON_Delete(after);
        fprintf(stderr, "showfloor vehicle add: out of memory\n");
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (store_begin(c->store, &err) != 0) {
        rc = cli_fail("vehicle add", &err);
    } else if (store_vehicles_add(c->store, &v, NULL, &err) != 0) {
        store_rollback(c->store);
        rc = cli_fail("vehicle add", &err);
    } else if (cmd_audit_record(c, site.id, "vehicle", v.vin, "vehicle_add", NULL, after, 0)) {
        store_rollback(c->store);
        rc = CLI_FAIL;
    } else if (store_commit(c->store, &err) != 0) {
        rc = cli_fail("vehicle add", &err);
    }
    cJSON_Delete(after);
    if (rc == CLI_OK)
        fprintf(stderr, "vehicle %s (%s) in stock at %s\n", v.vin, v.model_code, site.code);
    return rc;
}

int cmd_vehicle(struct cli *c, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return vehicle_add(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "list") == 0)
        return vehicle_list(c, argc - 1, argv + 1);
    return vehicle_usage();
}

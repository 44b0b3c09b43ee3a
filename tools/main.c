/* showfloor: the admin command line. Opens the database, runs one subcommand, closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "cli.h"
#include "cmd_access_log.h"
#include "clock.h"
#include "cmd_api.h"
#include "cmd_backup.h"
#include "cmd_customer.h"
#include "cmd_direct.h"
#include "cmd_lead.h"
#include "core_secret.h"
#include "demo_year.h"
#include "domain.h"
#include "log.h"
#include "report.h"
#include "simulate.h"

struct subcommand {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
    const char *usage;
};

static const struct subcommand subcommands[] = {
    {"init", cmd_init, "init                       create or migrate the database"},
    {"site", cmd_site_admin,
     "site add --code C --name N [--utc-offset MIN] | site list\n"
     "  site set --site C --key K --value HOURS | site settings --site C   time limits"},
    {"staff", cmd_staff,
     "staff add --site C --no S --name N --role R --pin P | staff list [--site C]\n"
     "  staff set --no S [--region R] [--models A,B] [--ability 1..5]   lead assignment"},
    {"duty", cmd_duty, "duty set --staff S --status on|rest [--day YYYY-MM-DD]"},
    {"model", cmd_model, "model add --code C --name N [--name-en E] --price-fen F | model list"},
    {"device", cmd_device,
     "device add --site C --mode M --name N | device revoke --site C --name N | "
     "device revoke --id N\n"
     "  device approve CODE --site C --mode M --name N | device pending [--json]\n"
     "  device list [--site C] [--json]   the fleet: online/offline, health, versions\n"
     "  device maintenance NAME on|off --site C | device mode NAME MODE --site C\n"
     "  device config --site C [--device NAME] (KEY=VALUE... [--unset KEY]... | --show)\n"
     "  device identify|reload|restart NAME --site C [--wait S]   through a running hub\n"
     "  device screenshot NAME --site C -o FILE.png [--wait S]"},
    {"order", cmd_order,
     "order add --site C --phone P --customer NAME --model M [--gender G] [--colour C]\n"
     "                 [--stage S] [--payment full|loan] [--total-fen F] [--paid-fen F]\n"
     "                 [--consultant S]\n"
     "  order VERB ...             through the hub (--hub, --token-file, --staff, --pin):"},
    {"customer", cmd_customer_direct,
     "customer export|erase ...  a customer's personal data on request, through the hub:"},
    {"vehicle", cmd_vehicle,
     "vehicle add --site C --vin V --model M [--colour C] | vehicle list [--site C]\n"
     "                 [--state in_stock|reserved|delivered] [--model M]"},
    {"lead", cmd_lead,
     "lead import FILE.csv --site C [--channel DEFAULT]   CSV columns name,phone,model,budget\n"
     "                 [,channel,region,created_at,external_ref]; exit 0 when every row was\n"
     "                 imported, merged or flagged invalid, 1 when some rows were refused\n"
     "  lead list --site C [--status open|invalid|converted|lost] [--grade H|A|B|F|L|O]"},
    {"audit", cmd_audit, "audit verify | audit list --entity E --id X   the hash-chained trail"},
    {"access-log", cmd_access_log,
     "access-log [--customer ID] [--since YYYY-MM-DD] [--limit N] [--json]   who read whose\n"
     "                 personal data (staff reads through the hub), newest first"},
    {"backup", cmd_backup,
     "backup --out FILE [--force] [--step-pages N] [--sleep-ms MS]   an online copy, also\n"
     "                 while the hub runs\n"
     "  backup --check FILE        is FILE a whole backup this program can restore?"},
    {"restore", cmd_restore,
     "restore FILE [--force]     replace the database with a checked backup (hub stopped)"},
    {"delivery", cmd_delivery,
     "delivery verify ORDER_NO [--key FILE] | delivery pubkey [--key FILE]   signed sign-offs"},
    {"demo-data", cmd_demo_data, "demo-data [--seed N]      a demo site with realistic data"},
    {"demo-year", cmd_demo_year,
     "demo-year [--db NEW.db] [--seed N] [--sites 4] [--leads 100000] [--orders 30000]\n"
     "                 [--events 1000000] [--year 2026]   a site group's simulated year"},
    {"report", cmd_report,
     "report daily|weekly|monthly [--site C] [--from YYYY-MM-DD --to YYYY-MM-DD]\n"
     "                 [--format csv|html] [--out FILE]   figures of a period (default html)"},
    {"simulate", cmd_simulate,
     "simulate [--hub URL] [--speed 60] [--duration 10] [--seed N] [--start 09:00]\n"
     "                 [--reception-token-file F --api-token-file F]   a dealership day through\n"
     "                 a running hub's API (without token files it enrols its own devices)"},
};
#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

/* Commands whose verbs (all but the ones `remote` refuses) go to a running hub's HTTP API,
 * which applies the hub's rules, instead of writing the database. */
static const struct remote_command {
    const char *name;
    int (*remote)(const char *verb);
    int (*run)(const struct api_client_opts *o, int argc, char **argv);
    void (*usage)(FILE *f);
} remote_commands[] = {
    {"order", cmd_api_order_is_remote, cmd_api_order, cmd_api_order_usage},
    {"customer", cmd_customer_is_remote, cmd_customer, cmd_customer_usage},
};
#define N_REMOTE_COMMANDS (sizeof remote_commands / sizeof remote_commands[0])

static void usage(FILE *f)
{
    fprintf(f,
            "usage: showfloor [--db PATH] [--hub URL --token-file F --staff S --pin P] "
            "COMMAND [options]\n\n"
            "  --db PATH          the hub's database (default $SHOWFLOOR_DB or ./showfloor.db)\n"
            "  --hub URL          a running hub, for order verbs (default $SHOWFLOOR_HUB_URL or "
            "%s)\n"
            "  --token-file F     token of an `api` device (default $SHOWFLOOR_TOKEN_FILE)\n"
            "  --staff S --pin P  who acts (default $SHOWFLOOR_STAFF, $SHOWFLOOR_PIN)\n"
            "  --help      this text;  --version  the version\n\ncommands:\n",
            API_CLIENT_DEFAULT_HUB);
    for (size_t i = 0; i < N_SUBCOMMANDS; i++) {
        fprintf(f, "  %s\n", subcommands[i].usage);
        for (size_t k = 0; k < N_REMOTE_COMMANDS; k++)
            if (strcmp(subcommands[i].name, remote_commands[k].name) == 0)
                remote_commands[k].usage(f);
    }
    fprintf(f, "\nroles: reception telesales consultant supervisor manager finance service "
               "marketing admin\nmodes:");
    for (int m = 0; m < DOMAIN_MODE__COUNT; m++)
        fprintf(f, " %s", domain_mode_name((enum domain_mode)m));
    fprintf(f, "\nexit status: 0 ok, 1 failure, 2 usage error, 3 hub unreachable\n");
}

int main(int argc, char **argv)
{
    const char *db = getenv("SHOWFLOOR_DB");
    if (!db || !*db)
        db = "showfloor.db";
    struct api_client_opts api = {0};
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("showfloor %s (protocol %s)\n", SHOWFLOOR_VERSION, PROTO_SUBPROTOCOL);
            return CLI_OK;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--hub") == 0 && i + 1 < argc) {
            api.hub = argv[++i];
        } else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc) {
            api.token_file = argv[++i];
        } else if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc) {
            api.staff = argv[++i];
        } else if (strcmp(argv[i], "--pin") == 0 && i + 1 < argc) {
            api.pin = argv[++i];
        } else {
            fprintf(stderr, "showfloor: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    const struct subcommand *sc = NULL;
    for (size_t k = 0; k < N_SUBCOMMANDS; k++)
        if (strcmp(argv[i], subcommands[k].name) == 0)
            sc = &subcommands[k];
    if (!sc) {
        fprintf(stderr, "showfloor: unknown command '%s'\n", argv[i]);
        usage(stderr);
        return CLI_USAGE;
    }
    /* Order verbs other than `add` need the hub's rules: they go to a running hub. */
    for (size_t k = 0; k < N_REMOTE_COMMANDS; k++)
        if (strcmp(sc->name, remote_commands[k].name) == 0 &&
            remote_commands[k].remote(i + 1 < argc ? argv[i + 1] : NULL))
            return remote_commands[k].run(&api, argc - i - 1, argv + i + 1);

    log_set_level(LOG_WARN);
    struct clock clk;
    if (clock_init(&clk) != 0) {
        fprintf(stderr, "showfloor: SHOWFLOOR_CLOCK_OFFSET_MS is not a whole number\n");
        return CLI_USAGE;
    }
    if (core_secret_init() != 0) {
        fprintf(stderr, "showfloor: libsodium could not start\n");
        return CLI_FAIL;
    }
    struct cli c = {.db_path = db, .now = clock_now_ms(&clk)};
    /* demo-year creates its own new database; backup and restore open theirs themselves */
    if (sc->run == cmd_demo_year || sc->run == cmd_backup || sc->run == cmd_restore)
        return sc->run(&c, argc - i - 1, argv + i + 1);
    if (sc->run == cmd_simulate) /* a running hub's client: opens the database only to enrol */
        return sc->run(&c, argc - i - 1, argv + i + 1);
    struct proto_error err;
    if (store_open(&c.store, db, &err) != 0) {
        fprintf(stderr, "showfloor: cannot open database '%s': %s\n", db, err.message);
        return CLI_FAIL;
    }
    int rc = sc->run(&c, argc - i - 1, argv + i + 1);
    store_close(c.store);
    return rc;
}

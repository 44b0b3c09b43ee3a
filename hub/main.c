/* showfloor-hub: reads the configuration (INI file, then flags), opens the core and runs the
 * WebSocket/HTTP server until SIGINT or SIGTERM. Exit 0 clean, 1 runtime failure, 2 usage. */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "core.h"
#include "log.h"
#include "privacy.h"
#include "server.h"
#include "server_backup.h"

#ifdef SHOWFLOOR_MIMALLOC
#include <mimalloc.h>
#endif

#define MAIN_EXIT_FAILURE 1
#define MAIN_EXIT_USAGE   2

/* The one thing a signal handler may touch; the service loop polls it. */
static volatile sig_atomic_t main_stop;

static void main_on_signal(int sig)
{
    (void)sig;
    main_stop = 1;
}

static void main_usage(FILE *out)
{
    fprintf(out, "usage: showfloor-hub [options]\n"
                 "  -c, --config FILE      read settings from an INI file (see "
                 "showfloor-hub.ini.example)\n"
                 "  -l, --listen ADDR      address to listen on (default 127.0.0.1)\n"
                 "  -p, --port N           port; 0 picks a free one (default 7420)\n"
                 "  -d, --db PATH          SQLite database (default ./showfloor.db)\n"
                 "      --signing-key FILE Ed25519 key signing delivery records (default: the\n"
                 "                         database path + .signing-key, created mode 0600)\n"
                 "      --port-file FILE   write the port actually listened on to FILE\n"
                 "      --log-level LEVEL  debug, info, warn or error (default info)\n"
                 "  -h, --help             show this help\n"
                 "  -V, --version          show the version\n"
                 "Flags override the INI file.\n");
}

enum { MAIN_OPT_PORT_FILE = 256, MAIN_OPT_LOG_LEVEL, MAIN_OPT_SIGNING_KEY };

/* A flag that maps onto an INI setting, applied after the file is read. */
struct main_flag {
    const char *section, *key, *value;
};

/* Which malloc the process runs on: mimalloc only helps if it is the malloc every library
 * binds to (the hub links it first; a build or a loader that orders it later would silently
 * keep glibc's). */
static void log_allocator(void)
{
#ifdef SHOWFLOOR_MIMALLOC
    void *p = calloc(1, 16);
    bool ours = p && mi_is_in_heap_region(p);
    free(p);
    if (ours)
        log_info("hub", "allocator: mimalloc %d", mi_version());
    else
        log_warn("hub", "allocator: mimalloc %d is linked but malloc is not its", mi_version());
#else
    log_info("hub", "allocator: the C library's");
#endif
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"listen", required_argument, NULL, 'l'},
        {"port", required_argument, NULL, 'p'},
        {"db", required_argument, NULL, 'd'},
        {"port-file", required_argument, NULL, MAIN_OPT_PORT_FILE},
        {"log-level", required_argument, NULL, MAIN_OPT_LOG_LEVEL},
        {"signing-key", required_argument, NULL, MAIN_OPT_SIGNING_KEY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL, *port_file = NULL;
    struct main_flag flags[8];
    size_t nflags = 0;
    int c;
    while ((c = getopt_long(argc, argv, "c:l:p:d:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config_path = optarg;
            break;
        case 'l':
            flags[nflags++] = (struct main_flag){"hub", "listen", optarg};
            break;
        case 'p':
            flags[nflags++] = (struct main_flag){"hub", "port", optarg};
            break;
        case 'd':
            flags[nflags++] = (struct main_flag){"hub", "database", optarg};
            break;
        case MAIN_OPT_PORT_FILE:
            port_file = optarg;
            break;
        case MAIN_OPT_LOG_LEVEL:
            flags[nflags++] = (struct main_flag){"hub", "log_level", optarg};
            break;
        case MAIN_OPT_SIGNING_KEY:
            flags[nflags++] = (struct main_flag){"hub", "signing_key", optarg};
            break;
        case 'h':
            main_usage(stdout);
            return 0;
        case 'V':
            printf("showfloor-hub %s (protocol %s)\n", SHOWFLOOR_VERSION, PROTO_SUBPROTOCOL);
            return 0;
        default:
            main_usage(stderr);
            return MAIN_EXIT_USAGE;
        }
        if (nflags == sizeof flags / sizeof flags[0]) {
            fprintf(stderr, "showfloor-hub: too many options\n");
            return MAIN_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "showfloor-hub: unexpected argument \"%s\"\n", argv[optind]);
        main_usage(stderr);
        return MAIN_EXIT_USAGE;
    }

    struct config cfg;
    char err[1024];
    config_defaults(&cfg);
    if (config_path && config_load(&cfg, config_path, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-hub: %s\n", err);
        return MAIN_EXIT_USAGE;
    }
    for (size_t i = 0; i < nflags; i++) {
        if (config_set(&cfg, flags[i].section, flags[i].key, flags[i].value, err, sizeof err)) {
            fprintf(stderr, "showfloor-hub: --%s: %s\n",
                    strcmp(flags[i].key, "database") == 0 ? "db" : flags[i].key, err);
            return MAIN_EXIT_USAGE;
        }
    }
    if (port_file) {
        if (strlen(port_file) >= sizeof cfg.port_file) {
            fprintf(stderr, "showfloor-hub: --port-file is too long\n");
            return MAIN_EXIT_USAGE;
        }
        snprintf(cfg.port_file, sizeof cfg.port_file, "%s", port_file);
    }
    if (config_validate(&cfg, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-hub: %s\n", err);
        return MAIN_EXIT_USAGE;
    }
    log_set_level(cfg.log_level);

    struct clock clk;
    if (clock_init(&clk) != 0) {
        fprintf(stderr, "showfloor-hub: SHOWFLOOR_CLOCK_OFFSET_MS is not an integer\n");
        return MAIN_EXIT_USAGE;
    }

    struct privacy_opts popt = {.key_file = cfg.privacy_key_file, .keystore = cfg.privacy_keystore};
    struct core_options copt = {
        .db_path = cfg.database,
        .privacy = &popt,
        .signing_key_path = cfg.signing_key,
        .staff_idle_ms = cfg.staff_idle_seconds * 1000,
        .replay_max = cfg.replay_max,
        .checkpoint_thread = true,
    };
    log_allocator();
    struct core *core = NULL;
    struct proto_error perr;
    if (core_open(&core, &copt, &perr) != 0) {
        log_error("hub", "cannot open database %s: %s (%s)", cfg.database, perr.message,
                  proto_error_code(perr.code));
        return MAIN_EXIT_FAILURE;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = main_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a signal ends lws's poll() at once */
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server srv;
    struct server_backup *backup = NULL; /* [backup]: its own thread and connection */
    int rc = MAIN_EXIT_FAILURE;
    if (server_init(&srv, &cfg, core, &clk) == 0) {
        if (server_backup_start(&cfg, &clk, &backup) == 0)
            rc = server_run(&srv, &main_stop) == 0 ? 0 : MAIN_EXIT_FAILURE;
        server_backup_stop(backup);
        server_destroy(&srv);
    }
    core_close(core);
    log_info("hub", "stopped (exit %d)", rc);
    return rc;
}

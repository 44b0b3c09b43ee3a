/* showfloor-kiosk's command line (see opts.h). */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "model.h"

void opts_usage(FILE *f)
{
    fprintf(f, "usage: showfloor-kiosk --hub URL [--token-file FILE] [--mode MODE] [options]\n"
               "  --hub URL            hub address, e.g. ws://127.0.0.1:7420/\n"
               "  --ca-file PEM        wss: the hub's certificate must chain to a CA in PEM\n"
               "                       and name the URL's host (default: the system's CAs)\n"
               "  --token-file FILE    first line is this device's token (keep it 0600); when\n"
               "                       the file is missing the kiosk shows a pairing code and\n"
               "                       writes the token there once an administrator approves\n"
               "                       (default: STATE-DIR/token)\n"
               "  --mode MODE          reception, status, delivery or board until the hub says\n"
               "                       otherwise (the hub's device mode wins)\n"
               "  --fullscreen         fill the screen\n"
               "  --size WxH           window or offscreen size (default 1280x720)\n"
               "  --lang zh|en         starting language (default zh)\n"
               "  --font PATH          font file (default: fontconfig match for zh-cn)\n"
               "  --headless           no window: render offscreen (automatic without a display)\n"
               "  --screenshot FILE    write FILE (PNG) after redraws, at most once a second\n"
               "  --script FILE        run a test/demo script (see kiosk/README.md)\n"
               "  --idle-seconds N     return to the idle screen after N s (default 60)\n"
               "  --state-dir DIR      pairing claim, token, watchdog record and the sign-offs\n"
               "                       the hub has not confirmed (default\n"
               "                       $XDG_STATE_HOME/showfloor-kiosk, else\n"
               "                       ~/.local/state/showfloor-kiosk)\n"
               "  --watchdog-seconds N re-execute when the UI loop is stuck N s (default 20;\n"
               "                       0 off)\n"
               "  --bench SECONDS      print start-up and frame-rate figures, redrawing\n"
               "                       continuously for SECONDS once connected, then exit\n"
               "  --help, --version\n"
               "exit status: 0 ok, 1 runtime failure, 2 usage, 3 script wait timed out\n");
}

int opts_parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"mode", required_argument, NULL, 'm'},
        {"hub", required_argument, NULL, 'u'},
        {"token-file", required_argument, NULL, 't'},
        {"fullscreen", no_argument, NULL, 'F'},
        {"size", required_argument, NULL, 's'},
        {"lang", required_argument, NULL, 'l'},
        {"font", required_argument, NULL, 'f'},
        {"headless", no_argument, NULL, 'H'},
        {"screenshot", required_argument, NULL, 'S'},
        {"script", required_argument, NULL, 'x'},
        {"idle-seconds", required_argument, NULL, 'i'},
        {"bench", required_argument, NULL, 'b'},
        {"state-dir", required_argument, NULL, 'D'},
        {"watchdog-seconds", required_argument, NULL, 'W'},
        {"ca-file", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){
        .w = 1280, .h = 720, .lang = "zh", .idle_seconds = 60, .watchdog_seconds = 20};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->mode = optarg;
            break;
        case 'u':
            o->hub = optarg;
            break;
        case 't':
            o->token_file = optarg;
            break;
        case 'F':
            o->fullscreen = true;
            break;
        case 's': {
            char x;
            if (sscanf(optarg, "%d%c%d", &o->w, &x, &o->h) != 3 || x != 'x' || o->w < 320 ||
                o->h < 320 || o->w > 8192 || o->h > 8192) {
                fprintf(stderr, "showfloor-kiosk: --size wants WxH, 320..8192 each\n");
                return -1;
            }
            break;
        }
        case 'l':
            o->lang = optarg;
            o->lang_given = true;
            break;
        case 'f':
            o->font = optarg;
            break;
        case 'H':
            o->headless = true;
            break;
        case 'S':
            o->screenshot = optarg;
            break;
        case 'x':
            o->script = optarg;
            break;
        case 'i': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 5 || v > 86400) {
                fprintf(stderr, "showfloor-kiosk: --idle-seconds wants 5..86400\n");
                return -1;
            }
            o->idle_seconds = (int)v;
            o->idle_given = true;
            break;
        }
        case 'W': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || !optarg[0] || v < 0 || v > 3600) {
                fprintf(stderr, "showfloor-kiosk: --watchdog-seconds wants 0..3600\n");
                return -1;
            }
            o->watchdog_seconds = (int)v;
            break;
        }
        case 'b': {
            char *end;
            o->bench = strtod(optarg, &end);
            if (*end || o->bench <= 0 || o->bench > 3600) {
                fprintf(stderr, "showfloor-kiosk: --bench wants 0..3600 seconds\n");
                return -1;
            }
            break;
        }
        case 'D':
            o->state_dir = optarg;
            break;
        case 'C':
            if (access(optarg, R_OK) != 0) {
                fprintf(stderr, "showfloor-kiosk: --ca-file '%s': %s\n", optarg, strerror(errno));
                return -1;
            }
            o->ca_file = optarg;
            break;
        case 'h':
            opts_usage(stdout);
            exit(0);
        case 'V':
            printf("showfloor-kiosk %s\n", SHOWFLOOR_VERSION);
            exit(0);
        default:
            fprintf(stderr, "showfloor-kiosk: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "showfloor-kiosk: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (o->mode && model_mode_parse(o->mode) < 0) {
        fprintf(stderr, "showfloor-kiosk: --mode must be reception, status, delivery or board\n");
        return -1;
    }
    if (!o->hub) {
        fprintf(stderr, "showfloor-kiosk: --hub is required\n");
        return -1;
    }
    if (i18n_lang_parse(o->lang) < 0) {
        fprintf(stderr, "showfloor-kiosk: --lang must be zh or en\n");
        return -1;
    }
    return 0;
}

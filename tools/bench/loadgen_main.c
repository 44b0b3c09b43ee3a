/* showfloor-loadgen: flags, token files, and the run. Prints a human summary on stderr and
 * one machine-readable `RESULT {json}` line on stdout (tools/bench/run.sh collects those). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadgen.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: showfloor-loadgen [options]\n"
            "  --mode fanout|commands|hold  what to measure (default fanout)\n"
            "  --mqtt                       Mosquitto instead of a WebSocket server\n"
            "  --qos 0|1                    MQTT QoS (default 0)\n"
            "  --host ADDR --port N         the server (default 127.0.0.1)\n"
            "  --subs N                     subscriber connections (default 100)\n"
            "  --senders N                  sender connections (default 1)\n"
            "  --rate R                     events per second; 0 = as fast as taken (default 20)\n"
            "  --window N                   most unacknowledged commands (default 64)\n"
            "  --inflight N                 most events not yet at every subscriber (default "
            "64)\n"
            "  --warmup S --duration S      seconds (default 1 and 5)\n"
            "  --server-pid PID             read its CPU time and RSS from /proc\n"
            "  --sub-tokens FILE            board device tokens, one a line\n"
            "  --send-tokens FILE           reception device tokens, one a line\n"
            "  --label TEXT                 names the RESULT line\n"
            "  --max-connecting N           connection attempts at once (default 200)\n"
            "  --features                   print the targets this build supports, and exit\n");
}

/* Reads non-empty lines of a file into *out. Count, or -1. */
static int read_tokens(const char *path, char ***out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char line[512];
    int n = 0, cap = 0;
    char **v = NULL;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, (size_t)cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        v[n++] = strdup(line);
    }
    fclose(f);
    *out = v;
    return n;
}

int main(int argc, char **argv)
{
    struct loadgen_opts o = {
        .mode = LOADGEN_FANOUT,
        .host = "127.0.0.1",
        .port = 7420,
        .subs = 100,
        .senders = 1,
        .window = 64,
        .inflight = 64,
        .rate = 20,
        .warmup_s = 1,
        .duration_s = 5,
        .label = "run",
        .max_connecting = 200,
    };
    const char *sub_file = NULL, *send_file = NULL;
    static const struct option opts[] = {{"mode", required_argument, NULL, 'm'},
                                         {"mqtt", no_argument, NULL, 'M'},
                                         {"qos", required_argument, NULL, 'q'},
                                         {"host", required_argument, NULL, 'H'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"subs", required_argument, NULL, 'n'},
                                         {"senders", required_argument, NULL, 's'},
                                         {"rate", required_argument, NULL, 'r'},
                                         {"window", required_argument, NULL, 'w'},
                                         {"inflight", required_argument, NULL, 'i'},
                                         {"warmup", required_argument, NULL, 'W'},
                                         {"duration", required_argument, NULL, 'd'},
                                         {"server-pid", required_argument, NULL, 'P'},
                                         {"sub-tokens", required_argument, NULL, 'B'},
                                         {"send-tokens", required_argument, NULL, 'R'},
                                         {"label", required_argument, NULL, 'l'},
                                         {"max-connecting", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"features", no_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            if (strcmp(optarg, "fanout") == 0)
                o.mode = LOADGEN_FANOUT;
            else if (strcmp(optarg, "commands") == 0)
                o.mode = LOADGEN_COMMANDS;
            else if (strcmp(optarg, "hold") == 0)
                o.mode = LOADGEN_HOLD;
            else {
                usage(stderr);
                return 2;
            }
            break;
        case 'M':
            o.mqtt = true;
            break;
        case 'q':
            o.qos = atoi(optarg);
            break;
        case 'H':
            o.host = optarg;
            break;
        case 'p':
            o.port = atoi(optarg);
            break;
        case 'n':
            o.subs = atoi(optarg);
            break;
        case 's':
            o.senders = atoi(optarg);
            break;
        case 'r':
            o.rate = atof(optarg);
            break;
        case 'w':
            o.window = atoi(optarg);
            break;
        case 'i':
            o.inflight = atoi(optarg);
            break;
        case 'W':
            o.warmup_s = atof(optarg);
            break;
        case 'd':
            o.duration_s = atof(optarg);
            break;
        case 'P':
            o.server_pid = atoi(optarg);
            break;
        case 'B':
            sub_file = optarg;
            break;
        case 'R':
            send_file = optarg;
            break;
        case 'l':
            o.label = optarg;
            break;
        case 'c':
            o.max_connecting = atoi(optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'F':
#ifdef SHOWFLOOR_HAVE_MOSQUITTO
            puts("ws mqtt");
#else
            puts("ws");
#endif
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (o.mode == LOADGEN_COMMANDS) {
        o.subs = 0;
        o.window = o.senders; /* one command outstanding per sender */
        o.rate = 0;
    }
    if (o.mode == LOADGEN_HOLD)
        o.senders = 0;
    if (o.subs < 0 || o.senders < 0 || o.window < 1 || o.inflight < 1 || o.duration_s <= 0 ||
        (o.qos != 0 && o.qos != 1) || o.max_connecting < 1) {
        usage(stderr);
        return 2;
    }
    if (!o.mqtt) {
        if ((o.subs > 0 && !sub_file) || (o.senders > 0 && !send_file)) {
            fprintf(stderr, "showfloor-loadgen: --sub-tokens and --send-tokens are needed\n");
            return 2;
        }
        if (sub_file && (o.n_sub_tokens = read_tokens(sub_file, &o.sub_tokens)) <= 0)
            return 2;
        if (send_file && (o.n_send_tokens = read_tokens(send_file, &o.send_tokens)) <= 0)
            return 2;
    }
    struct loadgen_stats st;
    loadgen_stats_init(&st, &o);
#ifdef SHOWFLOOR_HAVE_MOSQUITTO
    int rc = o.mqtt ? loadgen_mqtt_run(&o, &st) : loadgen_ws_run(&o, &st);
#else
    if (o.mqtt) {
        fprintf(stderr, "showfloor-loadgen: built without libmosquitto (tools/bench/deps.sh)\n");
        return 2;
    }
    int rc = loadgen_ws_run(&o, &st);
#endif
    loadgen_stats_free(&st);
    for (int i = 0; i < o.n_sub_tokens; i++)
        free(o.sub_tokens[i]);
    for (int i = 0; i < o.n_send_tokens; i++)
        free(o.send_tokens[i]);
    free(o.sub_tokens);
    free(o.send_tokens);
    return rc == 0 ? 0 : 1;
}

/* showfloor-kiosk's command line: the options, their defaults and their checks. UI thread
 * (main.c), once at start. */
#ifndef SHOWFLOOR_OPTS_H
#define SHOWFLOOR_OPTS_H

#include <stdbool.h>
#include <stdio.h>

struct opts {
    const char *mode;
    const char *hub;
    const char *token_file;
    bool fullscreen;
    int w, h;
    const char *lang;
    bool lang_given, idle_given; /* pinned: the hub's language / idle timeout do not apply */
    const char *font;
    bool headless;
    const char *screenshot;
    const char *script;
    int idle_seconds;
    double bench;          /* --bench SECONDS: measure and exit (bench.c) */
    const char *state_dir; /* --state-dir: claim, token, watchdog record, sign-off queue */
    int watchdog_seconds;  /* --watchdog-seconds: 0 off */
    const char *ca_file;   /* --ca-file: CA(s) the wss hub's certificate must chain to */
};

/* The usage text, to f. */
void opts_usage(FILE *f);
/* Parses argv into *o (defaults first). --help and --version print and exit(0). 0, or -1
 * after a message on stderr (the caller prints the usage and exits 2). */
int opts_parse(int argc, char **argv, struct opts *o);

#endif

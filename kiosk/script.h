/* The kiosk's script language for tests and demos: one command per line, run on the UI
 * thread between events. Taps go through the real input path (the host pushes SDL mouse
 * events), so a script exercises exactly what a finger does.
 *
 *   wait_screen NAME    wait_text TEXT     tap ID      tap_xy X Y     type DIGITS
 *   screenshot FILE     sleep MS           expect_connected          quit
 *   sign ID             (draws a signature across the widget ID with the pointer)
 *   type_text TEXT      (taps on-screen keyboard keys "kb.<c>", space as "kb.space")
 *   stall SECONDS       (blocks the UI thread: proves the watchdog)
 *
 * '#' starts a comment line. Every wait (and a tap on a widget not shown yet) gives up
 * after 10 s with a message naming the command and its line. */
#ifndef SHOWFLOOR_SCRIPT_H
#define SHOWFLOOR_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#define SCRIPT_TIMEOUT_MS 10000

struct app;

/* What the script needs from the program (main.c). */
struct script_host {
    void *user;
    /* Delivers a tap at screen pixel (x, y) through the input path. */
    void (*tap)(void *user, int x, int y);
    /* Writes the current frame as a PNG. 0 or -1. */
    int (*screenshot)(void *user, const char *path);
    /* A pointer at (x, y): phase 0 down, 1 moved while down, 2 up (drawing a signature). */
    void (*pointer)(void *user, int phase, int x, int y);
};

enum script_status {
    SCRIPT_RUNNING, /* call again after the next events and redraw */
    SCRIPT_END,     /* no more commands (the kiosk keeps running) */
    SCRIPT_QUIT,    /* `quit`: exit 0 */
    SCRIPT_FAILED,  /* a wait timed out or a command failed: exit 3 */
};

struct script;

/* Parses the file. NULL with "FILE:LINE: ..." in err for an unknown command or bad
 * argument. Caller frees with script_free. */
struct script *script_load(const char *path, char *err, size_t errsz);
/* Parses script text (tests). */
struct script *script_parse(const char *text, const char *name, char *err, size_t errsz);
void script_free(struct script *s);

/* Runs commands until one has to wait. `a` must reflect the current frame (built after
 * the last change). On SCRIPT_FAILED, err says which command on which line. */
enum script_status script_step(struct script *s, struct app *a, const struct script_host *host,
                               char *err, size_t errsz);

#endif

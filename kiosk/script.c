/* Script runner for tests and demos (see script.h). UI thread only. */
#include "script.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"

enum script_op {
    SC_WAIT_SCREEN,
    SC_WAIT_TEXT,
    SC_TAP,
    SC_TAP_XY,
    SC_TYPE,
    SC_SCREENSHOT,
    SC_SLEEP,
    SC_EXPECT_CONNECTED,
    SC_QUIT,
    SC_SIGN,
    SC_TYPE_TEXT,
    SC_STALL,
};

struct script_cmd {
    enum script_op op;
    int line;
    int x, y;
    char arg[512];
};

struct script {
    struct script_cmd *cmds;
    int n;
    int pc;
    bool started;  /* the current command has begun waiting */
    int64_t since; /* monotonic ms it began */
    size_t typed;  /* digits of a `type` command tapped so far */
};

static const struct {
    const char *name;
    enum script_op op;
    int args; /* 0 none, 1 rest of line, 2 two integers */
} script_ops[] = {
    {"wait_screen", SC_WAIT_SCREEN, 1},
    {"wait_text", SC_WAIT_TEXT, 1},
    {"tap", SC_TAP, 1},
    {"tap_xy", SC_TAP_XY, 2},
    {"type", SC_TYPE, 1},
    {"screenshot", SC_SCREENSHOT, 1},
    {"sleep", SC_SLEEP, 1},
    {"expect_connected", SC_EXPECT_CONNECTED, 0},
    {"quit", SC_QUIT, 0},
    {"sign", SC_SIGN, 1},
    {"type_text", SC_TYPE_TEXT, 1},
    {"stall", SC_STALL, 1},
};

/* The scripted signature: two strokes in fractions (per mille) of the pad, a looping
 * first name and an underline, enough ink for the minimum-ink check. */
static const short script_sig_a[][2] = {
    {100, 600}, {140, 420}, {180, 300}, {220, 420}, {250, 600}, {290, 450}, {330, 330},
    {370, 450}, {400, 600}, {450, 380}, {500, 300}, {540, 420}, {560, 600}, {610, 430},
    {650, 330}, {700, 450}, {740, 600}, {800, 400}, {850, 320}, {900, 500},
};
static const short script_sig_b[][2] = {{120, 760}, {400, 740}, {700, 730}, {880, 700}};

static int script_parse_line(struct script_cmd *c, char *s, int line, const char *name, char *err,
                             size_t errsz)
{
    char *sp = s + strcspn(s, " \t");
    char *rest = sp;
    if (*rest)
        *rest++ = '\0';
    rest += strspn(rest, " \t");
    for (size_t i = 0; i < sizeof script_ops / sizeof script_ops[0]; i++) {
        if (strcmp(s, script_ops[i].name) != 0)
            continue;
        c->op = script_ops[i].op;
        c->line = line;
        if (script_ops[i].args == 0 && *rest) {
            snprintf(err, errsz, "%s:%d: %s takes no argument", name, line, s);
            return -1;
        }
        if (script_ops[i].args >= 1 && !*rest) {
            snprintf(err, errsz, "%s:%d: %s needs an argument", name, line, s);
            return -1;
        }
        if (script_ops[i].args == 2 && sscanf(rest, "%d %d", &c->x, &c->y) != 2) {
            snprintf(err, errsz, "%s:%d: tap_xy needs X Y", name, line);
            return -1;
        }
        if (snprintf(c->arg, sizeof c->arg, "%s", rest) >= (int)sizeof c->arg) {
            snprintf(err, errsz, "%s:%d: argument too long", name, line);
            return -1;
        }
        if (c->op == SC_TYPE && c->arg[strspn(c->arg, "0123456789-")] != '\0') {
            snprintf(err, errsz, "%s:%d: type takes digits and '-' only", name, line);
            return -1;
        }
        if (c->op == SC_SLEEP && c->arg[strspn(c->arg, "0123456789")] != '\0') {
            snprintf(err, errsz, "%s:%d: sleep takes milliseconds", name, line);
            return -1;
        }
        if (c->op == SC_STALL && (c->arg[strspn(c->arg, "0123456789")] != '\0' ||
                                  strlen(c->arg) > 4 || atoi(c->arg) < 1)) {
            snprintf(err, errsz, "%s:%d: stall takes 1..9999 seconds", name, line);
            return -1;
        }
        return 0;
    }
    snprintf(err, errsz, "%s:%d: unknown command '%s'", name, line, s);
    return -1;
}

struct script *script_parse(const char *text, const char *name, char *err, size_t errsz)
{
    struct script *s = calloc(1, sizeof *s);
    char *copy = strdup(text);
    if (!s || !copy) {
        snprintf(err, errsz, "out of memory");
        free(s);
        free(copy);
        return NULL;
    }
    int line = 0;
    char *save = NULL;
    /* strtok_r would skip empty lines and lose line numbers: split by hand. */
    for (char *p = copy; p; p = save) {
        char *nl = strchr(p, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        line++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        p += strspn(p, " \t");
        if (!*p || *p == '#')
            continue;
        struct script_cmd *nc = realloc(s->cmds, sizeof *nc * (size_t)(s->n + 1));
        if (!nc) {
            snprintf(err, errsz, "out of memory");
            goto fail;
        }
        s->cmds = nc;
        memset(&s->cmds[s->n], 0, sizeof s->cmds[0]);
        if (script_parse_line(&s->cmds[s->n], p, line, name, err, errsz) != 0)
            goto fail;
        s->n++;
    }
    free(copy);
    return s;
fail:
    free(copy);
    script_free(s);
    return NULL;
}

struct script *script_load(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb || cap > (1u << 20)) {
                free(nb ? nb : buf);
                fclose(f);
                snprintf(err, errsz, "%s: too large", path);
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf)
        buf = strdup("");
    else
        buf[len] = '\0';
    if (!buf) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    struct script *s = script_parse(buf, path, err, errsz);
    free(buf);
    return s;
}

void script_free(struct script *s)
{
    if (!s)
        return;
    free(s->cmds);
    free(s);
}

static void script_next(struct script *s)
{
    s->pc++;
    s->started = false;
    s->typed = 0;
}

/* Taps the centre of widget `id`; 1 when tapped, 0 when it is not shown (or disabled) yet. */
static int script_tap_id(struct app *a, const struct script_host *host, const char *id)
{
    const struct widget *w = ui_find(a->ui, id);
    if (!w || !w->enabled)
        return 0;
    host->tap(host->user, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
    return 1;
}

static const char *script_op_name(enum script_op op)
{
    for (size_t i = 0; i < sizeof script_ops / sizeof script_ops[0]; i++)
        if (script_ops[i].op == op)
            return script_ops[i].name;
    return "?";
}

enum script_status script_step(struct script *s, struct app *a, const struct script_host *host,
                               char *err, size_t errsz)
{
    while (s->pc < s->n) {
        struct script_cmd *c = &s->cmds[s->pc];
        if (!s->started) {
            s->started = true;
            s->since = a->mono;
        }
        bool timed_out = a->mono - s->since > SCRIPT_TIMEOUT_MS;
        switch (c->op) {
        case SC_WAIT_SCREEN:
        case SC_WAIT_TEXT:
        case SC_EXPECT_CONNECTED: {
            bool ok = c->op == SC_WAIT_SCREEN ? strcmp(app_screen(a), c->arg) == 0
                      : c->op == SC_WAIT_TEXT ? ui_has_text(a->ui, c->arg)
                                              : a->conn == APP_CONN_CONNECTED;
            if (ok) {
                script_next(s);
                continue;
            }
            if (timed_out) {
                snprintf(err, errsz, "script line %d: %s %s: timed out after %d s (screen is %s)",
                         c->line, script_op_name(c->op), c->arg, SCRIPT_TIMEOUT_MS / 1000,
                         app_screen(a));
                return SCRIPT_FAILED;
            }
            return SCRIPT_RUNNING;
        }
        case SC_TAP:
            if (script_tap_id(a, host, c->arg)) {
                script_next(s);
                return SCRIPT_RUNNING; /* let the events be handled first */
            }
            if (timed_out) {
                snprintf(err, errsz, "script line %d: tap %s: no such enabled widget on %s",
                         c->line, c->arg, app_screen(a));
                return SCRIPT_FAILED;
            }
            return SCRIPT_RUNNING;
        case SC_TAP_XY:
            host->tap(host->user, c->x, c->y);
            script_next(s);
            return SCRIPT_RUNNING;
        case SC_TYPE: {
            if (c->arg[s->typed] == '\0') {
                script_next(s);
                continue;
            }
            char id[16];
            snprintf(id, sizeof id, "key.%c", c->arg[s->typed]);
            if (script_tap_id(a, host, id)) {
                s->typed++;
                s->since = a->mono;
                return SCRIPT_RUNNING;
            }
            if (timed_out) {
                snprintf(err, errsz, "script line %d: type %s: no key %s on %s", c->line, c->arg,
                         id, app_screen(a));
                return SCRIPT_FAILED;
            }
            return SCRIPT_RUNNING;
        }
        case SC_SCREENSHOT:
            if (host->screenshot(host->user, c->arg) != 0) {
                snprintf(err, errsz, "script line %d: screenshot %s failed", c->line, c->arg);
                return SCRIPT_FAILED;
            }
            script_next(s);
            continue;
        case SC_SLEEP:
            if (a->mono - s->since >= strtol(c->arg, NULL, 10)) {
                script_next(s);
                continue;
            }
            return SCRIPT_RUNNING;
        case SC_QUIT:
            script_next(s);
            return SCRIPT_QUIT;
        case SC_STALL: {
            /* A frozen UI loop on purpose, for the watchdog to catch: nothing runs on this
             * thread meanwhile, exactly like a hung driver call. */
            script_next(s);
            struct timespec ts = {atoi(c->arg), 0};
            while (nanosleep(&ts, &ts) != 0)
                ;
            return SCRIPT_RUNNING;
        }
        case SC_SIGN: {
            const struct widget *w = ui_find(a->ui, c->arg);
            if (!w || !host->pointer) {
                if (timed_out) {
                    snprintf(err, errsz, "script line %d: sign %s: no such widget on %s", c->line,
                             c->arg, app_screen(a));
                    return SCRIPT_FAILED;
                }
                return SCRIPT_RUNNING;
            }
            const short(*strokes[2])[2] = {script_sig_a, script_sig_b};
            int lens[2] = {(int)(sizeof script_sig_a / sizeof script_sig_a[0]),
                           (int)(sizeof script_sig_b / sizeof script_sig_b[0])};
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < lens[k]; i++) {
                    int x = w->r.x + w->r.w * strokes[k][i][0] / 1000;
                    int y = w->r.y + w->r.h * strokes[k][i][1] / 1000;
                    host->pointer(host->user, i == 0 ? 0 : 1, x, y);
                    if (i == lens[k] - 1)
                        host->pointer(host->user, 2, x, y);
                }
            }
            script_next(s);
            return SCRIPT_RUNNING;
        }
        case SC_TYPE_TEXT: {
            if (c->arg[s->typed] == '\0') {
                script_next(s);
                continue;
            }
            char id[16];
            if (c->arg[s->typed] == ' ')
                snprintf(id, sizeof id, "kb.space");
            else
                snprintf(id, sizeof id, "kb.%c", c->arg[s->typed]);
            if (script_tap_id(a, host, id)) {
                s->typed++;
                s->since = a->mono;
                return SCRIPT_RUNNING;
            }
            if (timed_out) {
                snprintf(err, errsz, "script line %d: type_text: no key %s on %s", c->line, id,
                         app_screen(a));
                return SCRIPT_FAILED;
            }
            return SCRIPT_RUNNING;
        }
        }
    }
    return SCRIPT_END;
}

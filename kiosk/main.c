/* showfloor-kiosk: one touchscreen of a Showfloor dealership (reception, status, delivery
 * or board). This file is the platform shell: arguments, SDL and its window (or an
 * offscreen surface when headless), the UI loop that blocks in SDL_WaitEventTimeout and
 * feeds app.c, screenshots and scripts. Everything here runs on the UI (main) thread. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "app.h"
#include "bench.h"
#include "draw.h"
#include "fontfind.h"
#include "net.h"
#include "pngio.h"
#include "script.h"
#include "signq.h"
#include "widget.h"

#define EXIT_USAGE  2
#define EXIT_SCRIPT 3

struct opts {
    const char *mode;
    const char *hub;
    const char *token_file;
    bool fullscreen;
    int w, h;
    const char *lang;
    const char *font;
    bool headless;
    const char *screenshot;
    const char *script;
    int idle_seconds;
    double bench;          /* --bench SECONDS: measure and exit (bench.c) */
    const char *state_dir; /* --state-dir: the offline sign-off queue (delivery mode) */
};

struct kiosk {
    struct opts o;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *surface; /* headless target */
    struct draw *draw;
    struct app app;
    struct net *net;
    uint32_t net_event;
    int64_t last_shot; /* monotonic ms of the last --screenshot write */
    bool shot_pending; /* a redraw happened since that write */
    struct bench bench;
    struct signq *signq; /* delivery mode's offline sign-off queue */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: showfloor-kiosk --mode reception|status|delivery|board --hub URL\n"
               "                       --token-file FILE [options]\n"
               "  --hub URL            hub address, e.g. ws://127.0.0.1:7420/\n"
               "  --token-file FILE    first line is this device's token (keep it 0600)\n"
               "  --fullscreen         fill the screen\n"
               "  --size WxH           window or offscreen size (default 1280x720)\n"
               "  --lang zh|en         starting language (default zh)\n"
               "  --font PATH          font file (default: fontconfig match for zh-cn)\n"
               "  --headless           no window: render offscreen (automatic without a display)\n"
               "  --screenshot FILE    write FILE (PNG) after redraws, at most once a second\n"
               "  --script FILE        run a test/demo script (see kiosk/README.md)\n"
               "  --idle-seconds N     return to the idle screen after N s (default 60)\n"
               "  --state-dir DIR      where delivery mode keeps sign-offs the hub has not\n"
               "                       confirmed (default $XDG_STATE_HOME/showfloor-kiosk,\n"
               "                       else ~/.local/state/showfloor-kiosk)\n"
               "  --bench SECONDS      print start-up and frame-rate figures, redrawing\n"
               "                       continuously for SECONDS once connected, then exit\n"
               "  --help, --version\n"
               "exit status: 0 ok, 1 runtime failure, 2 usage, 3 script wait timed out\n");
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_args(int argc, char **argv, struct opts *o)
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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){.w = 1280, .h = 720, .lang = "zh", .idle_seconds = 60};
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
        case 'h':
            usage(stdout);
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
    if (!o->mode || model_mode_parse(o->mode) < 0) {
        fprintf(stderr, "showfloor-kiosk: --mode must be reception, status, delivery or board\n");
        return -1;
    }
    if (!o->hub || !o->token_file) {
        fprintf(stderr, "showfloor-kiosk: --hub and --token-file are required\n");
        return -1;
    }
    if (i18n_lang_parse(o->lang) < 0) {
        fprintf(stderr, "showfloor-kiosk: --lang must be zh or en\n");
        return -1;
    }
    return 0;
}

/* Reads the first line of the token file; warns when others may read it. */
static int read_token(const char *path, char *out, size_t outsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "showfloor-kiosk: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH))
        fprintf(stderr,
                "showfloor-kiosk: warning: %s is readable by every user; chmod 600 it "
                "(anyone with the token can act as this kiosk)\n",
                path);
    char line[PROTO_MAX_TOKEN + 4];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        fprintf(stderr, "showfloor-kiosk: %s: empty\n", path);
        return -1;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    size_t len = strlen(line);
    if (len == 0 || len > PROTO_MAX_TOKEN) {
        fprintf(stderr, "showfloor-kiosk: %s: the first line must be a token of 1..%d bytes\n",
                path, PROTO_MAX_TOKEN);
        return -1;
    }
    snprintf(out, outsz, "%s", line);
    memset(line, 0, sizeof line);
    return 0;
}

/* The offline queue's directory: --state-dir, else $XDG_STATE_HOME/showfloor-kiosk, else
 * ~/.local/state/showfloor-kiosk. 0, or -1 with err filled. */
static int state_dir(const struct opts *o, char *out, size_t outsz)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;
    if (o->state_dir)
        n = snprintf(out, outsz, "%s", o->state_dir);
    else if (xdg && xdg[0] == '/')
        n = snprintf(out, outsz, "%s/showfloor-kiosk", xdg);
    else if (home && home[0])
        n = snprintf(out, outsz, "%s/.local/state/showfloor-kiosk", home);
    else
        n = snprintf(out, outsz, "%s", "");
    if (n <= 0 || (size_t)n >= outsz) {
        fprintf(stderr, "showfloor-kiosk: no state directory: pass --state-dir\n");
        return -1;
    }
    return 0;
}

/* --- app_port: the app's requests go to the network thread --- */

static int port_send(void *user, const char *id, enum proto_type type, cJSON *args)
{
    return net_send(user, id, type, args);
}

static void port_cancel(void *user, const char *id)
{
    net_cancel(user, id);
}

static void port_seq(void *user, int64_t seq)
{
    net_applied_seq(user, seq);
}

/* --- video --- */

static int video_open_window(struct kiosk *k)
{
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (k->o.fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    k->win = SDL_CreateWindow("Showfloor", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, k->o.w,
                              k->o.h, flags);
    if (!k->win)
        return -1;
    k->ren = SDL_CreateRenderer(k->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!k->ren)
        k->ren = SDL_CreateRenderer(k->win, -1, SDL_RENDERER_SOFTWARE);
    if (!k->ren) {
        SDL_DestroyWindow(k->win);
        k->win = NULL;
        return -1;
    }
    if (k->o.fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
        /* Kiosk: keys such as Alt-Tab go to us where the platform allows it. */
        SDL_SetWindowKeyboardGrab(k->win, SDL_TRUE);
    }
    return 0;
}

static int video_open_headless(struct kiosk *k)
{
    k->surface = SDL_CreateRGBSurfaceWithFormat(0, k->o.w, k->o.h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!k->surface)
        return -1;
    k->ren = SDL_CreateSoftwareRenderer(k->surface);
    return k->ren ? 0 : -1;
}

static int video_init(struct kiosk *k)
{
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* fingers are handled as fingers */
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "0"); /* SIGINT/SIGTERM become SDL_QUIT */
    /* A close request (Alt-F4, the window manager) is a window event we may refuse, not a
     * quit: a customer cannot leave a fullscreen kiosk (handle_event decides). */
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    if (k->o.fullscreen) {
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
    }
    if (k->o.headless)
        setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        if (k->o.headless) {
            fprintf(stderr, "showfloor-kiosk: SDL_Init: %s\n", SDL_GetError());
            return -1;
        }
        fprintf(stderr, "showfloor-kiosk: no display (%s); running headless\n", SDL_GetError());
        k->o.headless = true;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            fprintf(stderr, "showfloor-kiosk: SDL_Init: %s\n", SDL_GetError());
            return -1;
        }
    }
    if (!k->o.headless && video_open_window(k) != 0) {
        fprintf(stderr, "showfloor-kiosk: no window (%s); running headless\n", SDL_GetError());
        k->o.headless = true;
    }
    if (k->o.headless && video_open_headless(k) != 0) {
        fprintf(stderr, "showfloor-kiosk: offscreen renderer: %s\n", SDL_GetError());
        return -1;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "showfloor-kiosk: TTF_Init: %s\n", TTF_GetError());
        return -1;
    }
    return 0;
}

/* Drawing size in pixels, and the factor from event coordinates to it. */
static void video_size(struct kiosk *k, int *w, int *h, double *sx, double *sy)
{
    *sx = *sy = 1.0;
    if (k->o.headless) {
        *w = k->surface->w;
        *h = k->surface->h;
        return;
    }
    int ww, wh;
    SDL_GetRendererOutputSize(k->ren, w, h);
    SDL_GetWindowSize(k->win, &ww, &wh);
    if (ww > 0 && wh > 0) {
        *sx = (double)*w / ww;
        *sy = (double)*h / wh;
    }
}

/* Writes the frame just drawn (before present) to path. */
static int video_shot(struct kiosk *k, const char *path)
{
    char err[256];
    int rc;
    if (k->o.headless) {
        rc = pngio_write_surface(path, k->surface, err, sizeof err);
    } else {
        int w, h;
        SDL_GetRendererOutputSize(k->ren, &w, &h);
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!s)
            return -1;
        rc = SDL_RenderReadPixels(k->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
        if (rc == 0)
            rc = pngio_write_surface(path, s, err, sizeof err);
        else
            snprintf(err, sizeof err, "%s", SDL_GetError());
        SDL_FreeSurface(s);
    }
    if (rc != 0)
        fprintf(stderr, "showfloor-kiosk: screenshot %s: %s\n", path, err);
    return rc;
}

/* Builds and draws the frame; writes `shot` too when given. */
static int render(struct kiosk *k, const char *shot)
{
    int w, h;
    double sx, sy;
    video_size(k, &w, &h, &sx, &sy);
    app_build(&k->app, w, h);
    draw_clear(k->draw, k->app.theme.bg);
    widget_draw_all(k->app.ui, k->draw);
    draw_frame_end(k->draw);
    int rc = 0;
    if (shot)
        rc = video_shot(k, shot);
    if (k->o.screenshot) {
        if (k->app.mono - k->last_shot >= 1000) {
            video_shot(k, k->o.screenshot);
            k->last_shot = k->app.mono;
            k->shot_pending = false;
        } else {
            k->shot_pending = true;
        }
    }
    SDL_RenderPresent(k->ren);
    return rc;
}

/* --- script host --- */

static void host_tap(void *user, int x, int y)
{
    struct kiosk *k = user;
    int w, h;
    double sx, sy;
    video_size(k, &w, &h, &sx, &sy);
    /* Through the same queue as a real mouse: down then up, in window coordinates. */
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.state = SDL_PRESSED;
    ev.button.clicks = 1;
    ev.button.x = (int)(x / sx);
    ev.button.y = (int)(y / sy);
    SDL_PushEvent(&ev);
    ev.type = SDL_MOUSEBUTTONUP;
    ev.button.state = SDL_RELEASED;
    SDL_PushEvent(&ev);
}

static void host_pointer(void *user, int phase, int x, int y)
{
    struct kiosk *k = user;
    int w, h;
    double sx, sy;
    video_size(k, &w, &h, &sx, &sy);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    if (phase == 1) {
        ev.type = SDL_MOUSEMOTION;
        ev.motion.state = SDL_BUTTON_LMASK;
        ev.motion.x = (int)(x / sx);
        ev.motion.y = (int)(y / sy);
    } else {
        ev.type = phase == 0 ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.state = phase == 0 ? SDL_PRESSED : SDL_RELEASED;
        ev.button.x = (int)(x / sx);
        ev.button.y = (int)(y / sy);
    }
    SDL_PushEvent(&ev);
}

static int host_shot(void *user, const char *path)
{
    return render(user, path);
}

static enum app_conn conn_of(enum net_state s)
{
    switch (s) {
    case NET_CONNECTED:
        return APP_CONN_CONNECTED;
    case NET_RECONNECTING:
        return APP_CONN_RECONNECTING;
    case NET_REVOKED:
        return APP_CONN_REVOKED;
    case NET_AUTH_FAILED:
        return APP_CONN_AUTH_FAILED;
    case NET_CONNECTING:
        break;
    }
    return APP_CONN_CONNECTING;
}

/* Returns false when the program should stop. */
static bool handle_event(struct kiosk *k, const SDL_Event *ev)
{
    int w, h;
    double sx, sy;
    struct app *a = &k->app;
    if (ev->type == k->net_event) {
        struct net_note *note = ev->user.data1;
        if (note->kind == NET_NOTE_MESSAGE) {
            app_on_message(a, &note->msg);
            bench_note(&k->bench);
        } else
            app_on_conn(a, conn_of(note->state), a->mono + note->retry_in_ms);
        net_note_free(note);
        return true;
    }
    switch (ev->type) {
    case SDL_QUIT:
        return false; /* a signal (systemd stop, Ctrl-C): always honoured */
    case SDL_KEYDOWN:
        /* Escape leaves a windowed kiosk; a fullscreen one only with a staff login. */
        if (ev->key.keysym.sym == SDLK_ESCAPE && (!k->o.fullscreen || app_may_quit(a)))
            return false;
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
            break;
        video_size(k, &w, &h, &sx, &sy);
        app_motion(a, (int)(ev->motion.x * sx), (int)(ev->motion.y * sy));
        break;
    case SDL_FINGERMOTION:
        video_size(k, &w, &h, &sx, &sy);
        app_motion(a, (int)(ev->tfinger.x * w), (int)(ev->tfinger.y * h));
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            break;
        video_size(k, &w, &h, &sx, &sy);
        if (ev->type == SDL_MOUSEBUTTONDOWN)
            app_press(a, (int)(ev->button.x * sx), (int)(ev->button.y * sy));
        else
            app_release(a, (int)(ev->button.x * sx), (int)(ev->button.y * sy));
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        /* Finger positions are 0..1 of the touch surface: scale to the drawing size. */
        video_size(k, &w, &h, &sx, &sy);
        if (ev->type == SDL_FINGERDOWN)
            app_press(a, (int)(ev->tfinger.x * w), (int)(ev->tfinger.y * h));
        else
            app_release(a, (int)(ev->tfinger.x * w), (int)(ev->tfinger.y * h));
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_CLOSE && (!k->o.fullscreen || app_may_quit(a)))
            return false;
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            app_dirty(a);
        break;
    default:
        break;
    }
    return true;
}

static int run(struct kiosk *k, struct script *script)
{
    struct app *a = &k->app;
    struct script_host host = {k, host_tap, host_shot, host_pointer};
    bool script_live = script != NULL;
    for (;;) {
        a->mono = mono_ms();
        a->wall = wall_ms();
        int64_t until = app_next_deadline(a);
        if (script_live && until > a->mono + 25)
            until = a->mono + 25; /* scripts poll their waits */
        if (k->shot_pending && until > k->last_shot + 1000)
            until = k->last_shot + 1000;
        int timeout = bench_continuous(&k->bench) ? 0 : (int)(until - a->mono);
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, timeout < 0 ? 0 : timeout)) {
            a->mono = mono_ms();
            a->wall = wall_ms();
            if (!handle_event(k, &ev))
                return 0;
            while (SDL_PollEvent(&ev))
                if (!handle_event(k, &ev))
                    return 0;
        }
        a->mono = mono_ms();
        a->wall = wall_ms();
        app_tick(a);
        if (bench_continuous(&k->bench))
            a->dirty = true; /* --bench: how fast frames can be drawn */
        if (a->dirty) {
            render(k, NULL);
            if (bench_frame(&k->bench, a->conn == APP_CONN_CONNECTED, mono_ms(), wall_ms()))
                return 0;
        } else if (k->shot_pending && a->mono - k->last_shot >= 1000)
            render(k, NULL); /* the last redraw was not written yet */
        if (script_live) {
            char err[512];
            switch (script_step(script, a, &host, err, sizeof err)) {
            case SCRIPT_RUNNING:
                break;
            case SCRIPT_END:
                script_live = false;
                break;
            case SCRIPT_QUIT:
                return 0;
            case SCRIPT_FAILED:
                fprintf(stderr, "showfloor-kiosk: %s\n", err);
                return EXIT_SCRIPT;
            }
        }
    }
}

int main(int argc, char **argv)
{
    struct kiosk k;
    memset(&k, 0, sizeof k);
    int64_t t_main = mono_ms();
    if (parse_args(argc, argv, &k.o) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    bench_init(&k.bench, k.o.bench, t_main);
    int rc = 1;
    char err[512];
    char token[PROTO_MAX_TOKEN + 1];
    struct i18n *strings = NULL;
    struct script *script = NULL;
    struct theme theme;
    bool app_ok = false;

    if (k.o.script && !(script = script_load(k.o.script, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        return EXIT_USAGE;
    }
    if (read_token(k.o.token_file, token, sizeof token) != 0)
        goto out;
    strings = i18n_load(SHOWFLOOR_ASSETS_DIR "/strings", err, sizeof err);
    if (!strings ||
        theme_load(&theme, SHOWFLOOR_ASSETS_DIR "/themes/default.ini", err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    char font[1024];
    int font_index = 0;
    if (k.o.font) {
        snprintf(font, sizeof font, "%s", k.o.font);
    } else if (fontfind_zh(font, sizeof font, &font_index) != 0) {
        fprintf(stderr, "showfloor-kiosk: no Chinese font found (install fonts-wqy-microhei "
                        "or pass --font)\n");
        goto out;
    }
    if (video_init(&k) != 0)
        goto out;
    if (!(k.draw = draw_new(k.ren, font, font_index, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    k.net_event = SDL_RegisterEvents(1);
    if (k.net_event == (uint32_t)-1) {
        fprintf(stderr, "showfloor-kiosk: no SDL user event left\n");
        goto out;
    }
    struct net_config nc = {k.o.hub, token, "showfloor-kiosk/" SHOWFLOOR_VERSION, k.net_event};
    if (!(k.net = net_start(&nc, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    memset(token, 0, sizeof token);
    struct app_port port = {k.net, port_send, port_cancel, port_seq};
    if (app_init(&k.app, (enum model_mode)model_mode_parse(k.o.mode), strings, &theme, &port,
                 (enum i18n_lang)i18n_lang_parse(k.o.lang), k.o.idle_seconds, mono_ms(),
                 wall_ms()) != 0) {
        fprintf(stderr, "showfloor-kiosk: out of memory\n");
        goto out;
    }
    app_ok = true;
    if (strcmp(k.o.mode, "delivery") == 0) {
        char dir[4096];
        if (state_dir(&k.o, dir, sizeof dir) != 0)
            goto out;
        if (!(k.signq = signq_open(dir, err, sizeof err))) {
            /* Without the queue a sign-off made while the hub is down would be lost. */
            fprintf(stderr, "showfloor-kiosk: sign-off queue: %s\n", err);
            goto out;
        }
        k.app.signq = k.signq;
        view_delivery_queue_refresh(&k.app);
    }
    k.last_shot = -1000000;
    rc = run(&k, script);
out:
    if (k.net) {
        net_stop(k.net);
        /* Notes still queued for the UI own memory: drain them. */
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            if (ev.type == k.net_event)
                net_note_free(ev.user.data1);
    }
    if (app_ok)
        app_fini(&k.app);
    signq_close(k.signq);
    draw_free(k.draw);
    if (k.ren)
        SDL_DestroyRenderer(k.ren);
    if (k.surface)
        SDL_FreeSurface(k.surface);
    if (k.win)
        SDL_DestroyWindow(k.win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    i18n_free(strings);
    script_free(script);
    return rc;
}

/* showfloor-kiosk: one touchscreen of a Showfloor dealership (reception, status, delivery
 * or board). This file is the platform shell: arguments, the token (or pairing when there is
 * none), SDL and its window (or an offscreen surface when headless), the UI loop that blocks
 * in SDL_WaitEventTimeout and feeds app.c, screenshots, scripts, the watchdog and the
 * platform half of the hub's remote commands (capture, restart, reload). Everything here
 * runs on the UI (main) thread. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "app.h"
#include "bench.h"
#include "draw.h"
#include "fleet_files.h"
#include "fontfind.h"
#include "net.h"
#include "opts.h"
#include "pngio.h"
#include "script.h"
#include "signq.h"
#include "watchdog.h"
#include "widget.h"

#define EXIT_USAGE  2
#define EXIT_SCRIPT 3

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
    struct i18n *strings;
    char state[4096];      /* the state directory */
    char token_path[4096]; /* where a token from pairing is written */
    struct watchdog *watchdog;
    bool restart; /* the hub asked for a restart: leave the loop, clean up, re-execute */
    bool fatal;   /* a mode switch could not be completed (exit 1) */
    int wake[2];  /* headless: a pipe written for each pushed event (see wait_event) */
    pthread_t ui; /* the thread that runs the UI loop */
};

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

/* --- app_port: the app's requests go to the network thread --- */

static int port_send(void *user, const char *id, enum proto_type type, cJSON *args)
{
    return net_send(((struct kiosk *)user)->net, id, type, args);
}

static void port_cancel(void *user, const char *id)
{
    net_cancel(((struct kiosk *)user)->net, id);
}

static void port_seq(void *user, int64_t seq)
{
    net_applied_seq(((struct kiosk *)user)->net, seq);
}

/* The hub approved our pairing code: keep the token for the next start. */
static void port_paired(void *user, const char *token)
{
    struct kiosk *k = user;
    char err[512];
    if (strncmp(k->token_path, k->state, strlen(k->state)) == 0 &&
        fleet_files_mkdirs(k->state, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        return;
    }
    if (fleet_files_write_secret(k->token_path, token, err, sizeof err) != 0)
        fprintf(stderr,
                "showfloor-kiosk: the token could not be saved (%s); this kiosk works until it "
                "restarts, then must be paired again\n",
                err);
    else
        fprintf(stderr, "showfloor-kiosk: token saved to %s\n", k->token_path);
}

static void port_restart(void *user)
{
    ((struct kiosk *)user)->restart = true;
}

static int port_reload(void *user)
{
    struct kiosk *k = user;
    char err[512];
    struct i18n *fresh = i18n_load(SHOWFLOOR_ASSETS_DIR "/strings", err, sizeof err);
    if (!fresh) {
        fprintf(stderr, "showfloor-kiosk: reload: %s (the strings in use stay)\n", err);
        return -1;
    }
    /* Widgets copy their texts, so nothing points into the old tables after this. */
    i18n_free(k->strings);
    k->strings = fresh;
    k->app.i18n = fresh;
    k->app.dirty = true;
    return 0;
}

static void port_resync(void *user)
{
    net_resync(((struct kiosk *)user)->net);
}

static int port_screenshot(void *user, unsigned char **png, size_t *len);

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

/* Builds and draws the frame, not yet presented. */
static void draw_scene(struct kiosk *k)
{
    int w, h;
    double sx, sy;
    video_size(k, &w, &h, &sx, &sy);
    app_build(&k->app, w, h);
    draw_clear(k->draw, k->app.theme.bg);
    widget_draw_all(k->app.ui, k->draw);
    draw_frame_end(k->draw);
}

/* The remote screenshot: the frame on screen as a PNG in memory. Headless, the surface holds
 * it; with a window the back buffer is undefined after a present, so the same state is drawn
 * again and read back before it is presented. */
static int port_screenshot(void *user, unsigned char **png, size_t *len)
{
    struct kiosk *k = user;
    char err[256];
    int rc;
    if (k->o.headless) {
        rc = pngio_encode_surface(k->surface, png, len, err, sizeof err);
    } else {
        draw_scene(k);
        int w, h;
        SDL_GetRendererOutputSize(k->ren, &w, &h);
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        rc = s ? SDL_RenderReadPixels(k->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch)
               : -1;
        if (rc == 0)
            rc = pngio_encode_surface(s, png, len, err, sizeof err);
        else
            snprintf(err, sizeof err, "%s", SDL_GetError());
        SDL_FreeSurface(s);
        SDL_RenderPresent(k->ren);
        fleet_frame(&k->app);
    }
    if (rc != 0)
        fprintf(stderr, "showfloor-kiosk: remote screenshot: %s\n", err);
    return rc;
}

/* Builds and draws the frame; writes `shot` too when given. */
static int render(struct kiosk *k, const char *shot)
{
    draw_scene(k);
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
    fleet_frame(&k->app);
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

/* After a hub message: the delivery mode needs its sign-off queue, other modes do not hold
 * it. A delivery kiosk that cannot open the queue stops (k->fatal): a sign-off made while the
 * hub is down would be lost. */
static void sync_signq(struct kiosk *k)
{
    struct app *a = &k->app;
    bool want = a->mode_set && a->mode == MODEL_DELIVERY;
    if (!want && k->signq) {
        a->signq = NULL;
        signq_close(k->signq);
        k->signq = NULL;
    }
    if (want && !k->signq) {
        char err[512];
        if (!(k->signq = signq_open(k->state, err, sizeof err))) {
            fprintf(stderr, "showfloor-kiosk: sign-off queue: %s\n", err);
            k->fatal = true;
            return;
        }
    }
    if (want && !a->signq) {
        a->signq = k->signq;
        view_delivery_queue_refresh(a);
    }
}

/* --- waiting for events: SDL 2.26's SDL_WaitEventTimeout() blocks only where the backend
 * can wait (X11, Wayland); with headless mode's dummy driver it polls every 1 ms (~1 % of a
 * core). Headless has no input: every event is pushed, so a watch writes to a pipe and the UI
 * sleeps in poll() until the next deadline. SIGINT/SIGTERM are blocked in the other threads,
 * so they interrupt that poll() and SDL's handler's SDL_QUIT is pumped at once. */

/* Any thread (SDL_PushEvent's caller). The UI thread's own pushes (script taps, SDL's poll
 * sentinel) are found by its SDL_PollEvent() before it sleeps. A full pipe already wakes. */
static int wake_watch(void *user, SDL_Event *ev)
{
    (void)ev;
    struct kiosk *k = user;
    if (pthread_equal(pthread_self(), k->ui))
        return 1;
    ssize_t n = write(k->wake[1], "", 1); /* EAGAIN: the pipe is full, the UI wakes anyway */
    (void)n;
    return 1;
}

/* UI thread, at start-up: the pipe and the watch, only for the dummy/offscreen drivers (a
 * real backend waits properly and has input that only pumping finds). Without them the UI
 * keeps SDL_WaitEventTimeout(). */
static void wake_init(struct kiosk *k)
{
    k->wake[0] = k->wake[1] = -1;
    k->ui = pthread_self();
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!drv || (strcmp(drv, "dummy") != 0 && strcmp(drv, "offscreen") != 0))
        return;
    if (pipe(k->wake) != 0) {
        k->wake[0] = k->wake[1] = -1;
        return;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(k->wake[i], F_SETFL, fcntl(k->wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(k->wake[i], F_SETFD, FD_CLOEXEC); /* not into watchdog_reexec's new process */
    }
    SDL_AddEventWatch(wake_watch, k);
}

static void wake_fini(struct kiosk *k)
{
    if (k->wake[0] < 0)
        return;
    SDL_DelEventWatch(wake_watch, k);
    close(k->wake[0]);
    close(k->wake[1]);
}

/* UI thread: SDL_WaitEventTimeout() as the loop needs it, blocking in poll() when headless.
 * SDL calls a watch before it queues the event, so a wake-up may come just before its event:
 * then SDL's own short polling wait picks it up (WAKE_LAND_MS bounds a stale wake-up). */
#define WAKE_LAND_MS 5
static int wait_event(struct kiosk *k, SDL_Event *ev, int timeout)
{
    if (k->wake[0] < 0)
        return SDL_WaitEventTimeout(ev, timeout);
    if (SDL_PollEvent(ev))
        return 1;
    if (timeout <= 0)
        return 0;
    struct pollfd p = {k->wake[0], POLLIN, 0};
    int n = poll(&p, 1, timeout);
    if (n <= 0) /* the deadline, or a signal (EINTR): the pump turns it into SDL_QUIT */
        return SDL_PollEvent(ev);
    char drain[64];
    while (read(k->wake[0], drain, sizeof drain) > 0)
        ;
    return SDL_WaitEventTimeout(ev, WAKE_LAND_MS);
}

/* Only the UI thread takes SIGINT/SIGTERM, so that they interrupt its poll(): threads
 * started between wake_signals(true) and wake_signals(false) inherit the block. */
static void wake_signals(bool block)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int run(struct kiosk *k, struct script *script)
{
    struct app *a = &k->app;
    struct script_host host = {k, host_tap, host_shot, host_pointer};
    bool script_live = script != NULL;
    for (;;) {
        watchdog_beat(k->watchdog);
        a->mono = mono_ms();
        a->wall = wall_ms();
        int64_t until = app_next_deadline(a);
        if (script_live && until > a->mono + 25)
            until = a->mono + 25; /* scripts poll their waits */
        if (k->shot_pending && until > k->last_shot + 1000)
            until = k->last_shot + 1000;
        if (k->watchdog && until > a->mono + WATCHDOG_MAX_WAIT_MS)
            until = a->mono + WATCHDOG_MAX_WAIT_MS; /* an idle loop still shows progress */
        int timeout = bench_continuous(&k->bench) ? 0 : (int)(until - a->mono);
        SDL_Event ev;
        if (wait_event(k, &ev, timeout < 0 ? 0 : timeout)) {
            a->mono = mono_ms();
            a->wall = wall_ms();
            if (!handle_event(k, &ev))
                return 0;
            while (SDL_PollEvent(&ev))
                if (!handle_event(k, &ev))
                    return 0;
            sync_signq(k);
        }
        a->mono = mono_ms();
        a->wall = wall_ms();
        app_tick(a);
        if (k->fatal)
            return 1;
        if (k->restart)
            return 0;
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

/* The token, or the claim to pair with when there is none. *pairing tells which. */
static int load_credentials(struct kiosk *k, char *token, size_t tokensz, char *claim,
                            size_t claimsz, bool *pairing)
{
    char err[1024];
    int n = k->o.token_file ? snprintf(k->token_path, sizeof k->token_path, "%s", k->o.token_file)
                            : snprintf(k->token_path, sizeof k->token_path, "%s/token", k->state);
    if (n <= 0 || (size_t)n >= sizeof k->token_path) {
        fprintf(stderr, "showfloor-kiosk: token path too long\n");
        return -1;
    }
    int rc = fleet_files_read_token(k->token_path, token, tokensz, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        return -1;
    }
    *pairing = rc == 1;
    if (!*pairing)
        return 0;
    token[0] = '\0';
    if (fleet_files_claim(k->state, claim, claimsz, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-kiosk: pairing claim: %s\n", err);
        return -1;
    }
    fprintf(stderr, "showfloor-kiosk: no token in %s: showing a pairing code\n", k->token_path);
    return 0;
}

int main(int argc, char **argv)
{
    struct kiosk k;
    memset(&k, 0, sizeof k);
    k.wake[0] = k.wake[1] = -1;
    int64_t t_main = mono_ms();
    if (opts_parse(argc, argv, &k.o) != 0) {
        opts_usage(stderr);
        return EXIT_USAGE;
    }
    bench_init(&k.bench, k.o.bench, t_main);
    int rc = 1;
    char err[512];
    char token[PROTO_MAX_TOKEN + 1] = "";
    char claim[PROTO_CLAIM_MAX + 1] = "";
    bool pairing = false;
    struct script *script = NULL;
    struct theme theme;
    bool app_ok = false;

    if (k.o.script && !(script = script_load(k.o.script, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        return EXIT_USAGE;
    }
    if (fleet_files_state_dir(k.o.state_dir, k.state, sizeof k.state, err, sizeof err) != 0) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    if (load_credentials(&k, token, sizeof token, claim, sizeof claim, &pairing) != 0)
        goto out;
    char wd_path[4200];
    struct watchdog_record wd = {0, 0};
    snprintf(wd_path, sizeof wd_path, "%s/%s", k.state, WATCHDOG_FILE);
    if (watchdog_record_read(wd_path, &wd, err, sizeof err) != 0)
        fprintf(stderr, "showfloor-kiosk: %s; counting from 0\n", err);
    k.strings = i18n_load(SHOWFLOOR_ASSETS_DIR "/strings", err, sizeof err);
    if (!k.strings ||
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
    wake_init(&k);
    if (!(k.draw = draw_new(k.ren, font, font_index, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    k.net_event = SDL_RegisterEvents(1);
    if (k.net_event == (uint32_t)-1) {
        fprintf(stderr, "showfloor-kiosk: no SDL user event left\n");
        goto out;
    }
    char host[PROTO_MAX_SHORT + 1] = "", screen[33];
    int w, h;
    double sx, sy;
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    video_size(&k, &w, &h, &sx, &sy);
    snprintf(screen, sizeof screen, "%dx%d", w, h);
    struct net_config nc = {k.o.hub,
                            token,
                            "showfloor-kiosk/" SHOWFLOOR_VERSION,
                            k.net_event,
                            claim,
                            host,
                            screen,
                            SHOWFLOOR_VERSION,
                            k.o.mode,
                            k.o.ca_file};
    wake_signals(true); /* the network and watchdog threads inherit the block */
    if (!(k.net = net_start(&nc, err, sizeof err))) {
        fprintf(stderr, "showfloor-kiosk: %s\n", err);
        goto out;
    }
    memset(token, 0, sizeof token);
    struct app_port port = {&k, port_send, port_cancel, port_seq};
    /* Without --mode the hub names the mode; until then a placeholder mode sits behind the
     * starting (or pairing) screen. */
    int mode = k.o.mode ? model_mode_parse(k.o.mode) : MODEL_RECEPTION;
    if (app_init(&k.app, (enum model_mode)mode, k.strings, &theme, &port,
                 (enum i18n_lang)i18n_lang_parse(k.o.lang), k.o.idle_seconds, mono_ms(),
                 wall_ms()) != 0) {
        fprintf(stderr, "showfloor-kiosk: out of memory\n");
        goto out;
    }
    app_ok = true;
    k.app.mode_set = k.o.mode != NULL;
    k.app.fleet.pin_lang = k.o.lang_given;
    k.app.fleet.pin_idle = k.o.idle_given;
    k.app.fleet.port = (struct fleet_port){&k,           port_screenshot, port_paired,
                                           port_restart, port_reload,     port_resync};
    fleet_identity(&k.app, host, screen, SHOWFLOOR_VERSION, k.o.hub, wd.count, wd.at);
    if (pairing)
        fleet_start_pairing(&k.app);
    sync_signq(&k);
    if (k.fatal)
        goto out;
    if (k.o.watchdog_seconds > 0 &&
        !(k.watchdog = watchdog_start(k.o.watchdog_seconds, wd_path, &wd, argv, err, sizeof err)))
        fprintf(stderr, "showfloor-kiosk: %s; running without a watchdog\n", err);
    wake_signals(false);
    k.last_shot = -1000000;
    rc = run(&k, script);
out:
    wake_signals(false); /* also for a re-execution: a new process inherits the mask */
    watchdog_stop(k.watchdog);
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
    wake_fini(&k);
    SDL_Quit();
    i18n_free(k.strings);
    script_free(script);
    if (k.restart && rc == 0) {
        fflush(NULL);
        watchdog_reexec(argv); /* the hub's restart: same arguments, a fresh process */
    }
    return rc;
}

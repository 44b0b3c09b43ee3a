/* The kiosk's network thread (see net.h). Functions say which thread runs them: "UI" for
 * the SDL thread, "net" for the thread inside lws_service(). Only the lock-protected
 * fields of struct net are touched by both. */
#include "net.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <libwebsockets.h>

#define NET_BACKOFF_MIN_MS 500
#define NET_BACKOFF_MAX_MS 10000
/* A hub that went silent without closing (a dead route, a frozen hub, a NAT that forgot us)
 * is noticed by pinging it: lws sends a PING after NET_PING_IDLE_S without a PONG and hangs
 * up NET_PING_HANGUP_S after the last one, so a dead hub is noticed within 25 s (issue 6:
 * 30 s on both sides; the library's default is 5 minutes). The hub answers PINGs in lws. */
#define NET_PING_IDLE_S   10
#define NET_PING_HANGUP_S 25

/* A request the UI asked for: kept until answered or cancelled, resent after reconnects. */
struct net_req {
    struct net_req *next;
    char id[PROTO_MAX_ID + 1];
    char *json;
    bool cancelled;
};

/* A frame waiting for WRITEABLE on the current connection, LWS_PRE bytes of headroom. */
struct net_frame {
    struct net_frame *next;
    size_t len;
    unsigned char buf[];
};

enum net_phase {
    NET_PHASE_DOWN,
    NET_PHASE_HELLO, /* connected, waiting for the hub's hello */
    NET_PHASE_PAIR,  /* no token: pair sent, waiting for pairing/paired */
    NET_PHASE_AUTH,  /* auth sent */
    NET_PHASE_SUB,   /* auth_ok, subscribe sent */
    NET_PHASE_LIVE,  /* subscribed */
};

struct net {
    /* set once before the thread starts */
    uint32_t ev;
    char host[256];
    char path[512];
    int port;
    int tls;
    char token[PROTO_MAX_TOKEN + 1]; /* net thread once started ("" until paired) */
    char client[PROTO_MAX_SHORT + 1];
    char claim[PROTO_CLAIM_MAX + 1];
    char hostname[PROTO_MAX_SHORT + 1];
    char screen[33];
    char version[PROTO_MAX_SHORT + 1];
    pthread_t thread;
    struct lws_context *ctx;

    /* shared, under lock */
    pthread_mutex_t lock;
    struct net_req *outbox;
    char (*cancels)[PROTO_MAX_ID + 1];
    size_t ncancels, capcancels;
    int64_t applied_seq;
    atomic_bool stop;
    atomic_bool resync; /* the UI asked for a reconnect from seq 0 */

    /* net thread only */
    struct lws *wsi;
    enum net_phase phase;
    struct net_req *pending;
    struct net_frame *sendq, **sendq_tail;
    char hub_id[128];
    char mode[PROTO_MAX_SHORT + 1]; /* the device's mode as last authenticated */
    bool closing;                   /* close normally at the next WRITEABLE */
    char sub_id[PROTO_MAX_ID + 1];
    unsigned sub_counter;
    int attempt;
    bool halted;
    bool retry_scheduled;
    char *rx;
    size_t rxlen, rxcap;
    lws_sorted_usec_list_t sul;
    unsigned int seed;
    lws_retry_bo_t idle_policy; /* the ping/hangup times of every connection */
    time_t valid_at;            /* when the connection last proved itself (open or PONG) */
};

void net_note_free(struct net_note *n)
{
    if (!n)
        return;
    proto_msg_free(&n->msg);
    free(n);
}

int64_t net_backoff_ms(int attempt, double rnd)
{
    int64_t ms = NET_BACKOFF_MIN_MS;
    for (int i = 0; i < attempt && ms < NET_BACKOFF_MAX_MS; i++)
        ms *= 2;
    if (ms > NET_BACKOFF_MAX_MS)
        ms = NET_BACKOFF_MAX_MS;
    /* Jitter spreads the kiosks of a store so a restarted hub is not hit all at once. */
    ms = (int64_t)((double)ms * (0.75 + 0.5 * rnd));
    return ms > NET_BACKOFF_MAX_MS ? NET_BACKOFF_MAX_MS : ms;
}

int net_parse_url(const char *url, char *host, size_t hostsz, int *port, char *path, size_t pathsz,
                  int *tls)
{
    const char *rest;
    if (strncmp(url, "ws://", 5) == 0) {
        *tls = 0;
        rest = url + 5;
    } else if (strncmp(url, "wss://", 6) == 0) {
        *tls = 1;
        rest = url + 6;
    } else {
        return -1;
    }
    const char *slash = strchr(rest, '/');
    size_t hlen = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *colon = memchr(rest, ':', hlen);
    size_t nlen = colon ? (size_t)(colon - rest) : hlen;
    if (nlen == 0 || nlen >= hostsz)
        return -1;
    memcpy(host, rest, nlen);
    host[nlen] = '\0';
    *port = *tls ? 443 : 80;
    if (colon) {
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (end != rest + hlen || p <= 0 || p > 65535)
            return -1;
        *port = (int)p;
    }
    if (snprintf(path, pathsz, "%s", slash ? slash : "/") >= (int)pathsz)
        return -1;
    return 0;
}

/* net: hands a note to the UI; frees it when SDL's queue refuses it. */
static void net_post(struct net *n, struct net_note *note)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = n->ev;
    ev.user.data1 = note;
    if (SDL_PushEvent(&ev) != 1)
        net_note_free(note);
}

/* net */
static void net_post_state(struct net *n, enum net_state s, int64_t retry_in_ms)
{
    struct net_note *note = calloc(1, sizeof *note);
    if (!note)
        return;
    note->kind = NET_NOTE_STATE;
    note->state = s;
    note->retry_in_ms = retry_in_ms;
    net_post(n, note);
}

/* net: queues a frame for the current connection and asks for WRITEABLE. */
static int net_queue(struct net *n, const char *json)
{
    size_t len = strlen(json);
    struct net_frame *f = malloc(sizeof *f + LWS_PRE + len);
    if (!f)
        return -1;
    f->next = NULL;
    f->len = len;
    memcpy(f->buf + LWS_PRE, json, len);
    *n->sendq_tail = f;
    n->sendq_tail = &f->next;
    if (n->wsi)
        lws_callback_on_writable(n->wsi);
    return 0;
}

/* net */
static void net_clear_sendq(struct net *n)
{
    while (n->sendq) {
        struct net_frame *f = n->sendq;
        n->sendq = f->next;
        free(f);
    }
    n->sendq_tail = &n->sendq;
}

static void net_free_req(struct net_req *r)
{
    free(r->json);
    free(r);
}

/* net: moves the UI's new requests to `pending` (sending them now when authenticated) and
 * applies its cancels. */
static void net_drain(struct net *n)
{
    if (atomic_exchange(&n->resync, false)) {
        pthread_mutex_lock(&n->lock);
        n->applied_seq = 0;
        pthread_mutex_unlock(&n->lock);
        if (n->wsi) {
            n->closing = true;
            lws_callback_on_writable(n->wsi);
        }
    }
    pthread_mutex_lock(&n->lock);
    struct net_req *in = n->outbox;
    n->outbox = NULL;
    for (size_t i = 0; i < n->ncancels; i++)
        for (struct net_req *r = n->pending; r; r = r->next)
            if (strcmp(r->id, n->cancels[i]) == 0)
                r->cancelled = true;
    for (size_t i = 0; i < n->ncancels; i++)
        for (struct net_req *r = in; r; r = r->next)
            if (strcmp(r->id, n->cancels[i]) == 0)
                r->cancelled = true;
    n->ncancels = 0;
    pthread_mutex_unlock(&n->lock);

    /* Drop cancelled requests. */
    for (struct net_req **pp = &n->pending; *pp;) {
        if ((*pp)->cancelled) {
            struct net_req *dead = *pp;
            *pp = dead->next;
            net_free_req(dead);
        } else {
            pp = &(*pp)->next;
        }
    }
    /* Keep the UI's order: append. */
    struct net_req **tail = &n->pending;
    while (*tail)
        tail = &(*tail)->next;
    while (in) {
        struct net_req *r = in;
        in = r->next;
        r->next = NULL;
        if (r->cancelled) {
            net_free_req(r);
            continue;
        }
        /* A resent request is replaced by the new copy (same id, same command). */
        for (struct net_req *p = n->pending; p; p = p->next)
            if (strcmp(p->id, r->id) == 0)
                p->cancelled = true;
        if (n->phase == NET_PHASE_SUB || n->phase == NET_PHASE_LIVE)
            net_queue(n, r->json);
        *tail = r;
        tail = &r->next;
    }
    for (struct net_req **pp = &n->pending; *pp;) {
        if ((*pp)->cancelled) {
            struct net_req *dead = *pp;
            *pp = dead->next;
            net_free_req(dead);
        } else {
            pp = &(*pp)->next;
        }
    }
}

static void net_connect_cb(lws_sorted_usec_list_t *sul);

/* net: after a drop, waits the backoff and tries again (unless halted or stopping). */
static void net_schedule(struct net *n)
{
    if (n->halted || atomic_load(&n->stop) || n->retry_scheduled)
        return;
    double rnd = (double)rand_r(&n->seed) / ((double)RAND_MAX + 1.0);
    int64_t ms = net_backoff_ms(n->attempt, rnd);
    n->attempt++;
    n->retry_scheduled = true;
    lws_sul_schedule(n->ctx, 0, &n->sul, net_connect_cb, ms * LWS_US_PER_MS);
    net_post_state(n, NET_RECONNECTING, ms);
}

/* net */
static void net_connect(struct net *n)
{
    struct lws_client_connect_info cc;
    memset(&cc, 0, sizeof cc);
    cc.context = n->ctx;
    cc.address = n->host;
    cc.port = n->port;
    cc.path = n->path;
    cc.host = n->host;
    cc.origin = n->host;
    cc.protocol = PROTO_SUBPROTOCOL;
    cc.ssl_connection = n->tls ? LCCSCF_USE_SSL : 0;
    cc.pwsi = &n->wsi; /* lws clears it if the attempt fails, even inside this call */
    cc.retry_and_idle_policy = &n->idle_policy;
    n->phase = NET_PHASE_DOWN;
    n->rxlen = 0;
    n->closing = false;
    net_clear_sendq(n);
    if (!lws_client_connect_via_info(&cc))
        net_schedule(n);
}

/* net */
static void net_connect_cb(lws_sorted_usec_list_t *sul)
{
    struct net *n = lws_container_of(sul, struct net, sul);
    n->retry_scheduled = false;
    net_post_state(n, NET_CONNECTING, 0);
    net_connect(n);
}

/* net: the connection is gone (error or close). */
static void net_dropped(struct net *n)
{
    n->wsi = NULL;
    n->phase = NET_PHASE_DOWN;
    n->rxlen = 0;
    net_clear_sendq(n);
    if (n->halted)
        return;
    net_schedule(n);
}

/* net: the hub refused us for good, or for now, depending on the code. */
static void net_refused(struct net *n, enum proto_err code)
{
    if (code == PROTO_E_DEVICE_REVOKED || code == PROTO_E_AUTH_FAILED) {
        n->halted = true;
        net_post_state(n, code == PROTO_E_DEVICE_REVOKED ? NET_REVOKED : NET_AUTH_FAILED, 0);
    }
}

/* net: the first frame after hello authenticates. */
static void net_on_hello(struct net *n, const struct proto_msg *m)
{
    const char *hub_id = proto_get_str(m->args, "hub_id");
    if (hub_id && n->hub_id[0] && strcmp(hub_id, n->hub_id) != 0) {
        /* Another database: our seq means nothing there, start from a snapshot. */
        pthread_mutex_lock(&n->lock);
        n->applied_seq = 0;
        pthread_mutex_unlock(&n->lock);
    }
    if (hub_id)
        snprintf(n->hub_id, sizeof n->hub_id, "%s", hub_id);
    if (!n->token[0]) {
        /* No token yet: ask to be paired; the hub answers with a code to show. */
        cJSON *args = cJSON_CreateObject();
        if (args) {
            cJSON_AddStringToObject(args, "claim", n->claim);
            if (n->hostname[0])
                cJSON_AddStringToObject(args, "hostname", n->hostname);
            if (n->screen[0])
                cJSON_AddStringToObject(args, "screen", n->screen);
            if (n->version[0])
                cJSON_AddStringToObject(args, "version", n->version);
        }
        char *pair = args ? proto_encode_request(NULL, PROTO_T_PAIR, args) : NULL;
        cJSON_Delete(args);
        if (!pair) {
            fprintf(stderr, "showfloor-kiosk: cannot encode the pair request\n");
            return;
        }
        net_queue(n, pair);
        free(pair);
        n->phase = NET_PHASE_PAIR;
        return;
    }
    char *auth = proto_encode_auth(n->token, n->client);
    if (auth) {
        net_queue(n, auth);
        free(auth);
        n->phase = NET_PHASE_AUTH;
    }
}

/* net: subscribe from the applied seq, then resend what is still unanswered. */
static void net_on_auth_ok(struct net *n, const struct proto_msg *m)
{
    const char *mode = proto_get_str(proto_get_obj(m->args, "device"), "mode");
    pthread_mutex_lock(&n->lock);
    if (mode && strcmp(mode, n->mode) != 0) {
        /* Another mode (switched by the hub, or unknown until now): the UI starts a fresh
         * model, so our seq means nothing for it. */
        n->applied_seq = 0;
        snprintf(n->mode, sizeof n->mode, "%s", mode);
    }
    int64_t since = n->applied_seq;
    pthread_mutex_unlock(&n->lock);
    cJSON *args = cJSON_CreateObject();
    cJSON_AddNumberToObject(args, "since", (double)since);
    snprintf(n->sub_id, sizeof n->sub_id, "sub-%u", ++n->sub_counter);
    char *sub = proto_encode_request(n->sub_id, PROTO_T_SUBSCRIBE, args);
    cJSON_Delete(args);
    if (sub) {
        net_queue(n, sub);
        free(sub);
    }
    n->phase = NET_PHASE_SUB;
    for (struct net_req *r = n->pending; r; r = r->next)
        net_queue(n, r->json);
}

/* net: one complete text frame from the hub. Returns -1 to close the connection. */
static int net_on_frame(struct net *n, const char *buf, size_t len)
{
    struct net_note *note = calloc(1, sizeof *note);
    struct proto_error err;
    if (!note)
        return 0;
    note->kind = NET_NOTE_MESSAGE;
    if (proto_decode(buf, len, PROTO_DIR_H2C, &note->msg, &err, NULL) != 0) {
        fprintf(stderr, "showfloor-kiosk: bad frame from hub: %s: %s\n", proto_error_code(err.code),
                err.message);
        free(note);
        return -1; /* a hub we do not understand: reconnect rather than guess */
    }
    struct proto_msg *m = &note->msg;
    switch (m->type) {
    case PROTO_T_HELLO:
        net_on_hello(n, m);
        break;
    case PROTO_T_AUTH_OK:
        n->attempt = 0;
        net_on_auth_ok(n, m);
        break;
    case PROTO_T_PAIRING:
        /* The hub is there and answering: the header says so while the code shows. */
        if (n->phase == NET_PHASE_PAIR)
            net_post_state(n, NET_CONNECTED, 0);
        break;
    case PROTO_T_PAIRED: {
        /* The token: keep it for the reconnect, and let the UI store it. The hub closes
         * this pairing connection; we close it too rather than wait. */
        const char *token = proto_get_str(m->args, "token");
        if (n->phase != NET_PHASE_PAIR || !token) {
            proto_msg_free(m);
            free(note);
            return -1;
        }
        snprintf(n->token, sizeof n->token, "%s", token);
        n->attempt = 0;
        net_post(n, note);
        n->closing = true;
        if (n->wsi)
            lws_callback_on_writable(n->wsi);
        return 0;
    }
    case PROTO_T_AUTH_FAILED:
    case PROTO_T_CLOSING:
        fprintf(stderr, "showfloor-kiosk: hub: %s: %s\n", proto_error_code(m->error.code),
                m->error.message);
        net_refused(n, m->error.code);
        break;
    case PROTO_T_RESULT:
        if (m->id && strcmp(m->id, n->sub_id) == 0) {
            if (!m->ok) {
                fprintf(stderr, "showfloor-kiosk: subscribe failed: %s\n", m->error.message);
                proto_msg_free(m);
                free(note);
                return -1;
            }
            n->phase = NET_PHASE_LIVE;
            net_post_state(n, NET_CONNECTED, 0);
            proto_msg_free(m);
            free(note);
            return 0;
        }
        for (struct net_req **pp = &n->pending; *pp; pp = &(*pp)->next) {
            if (m->id && strcmp((*pp)->id, m->id) == 0) {
                struct net_req *done = *pp;
                *pp = done->next;
                net_free_req(done);
                break;
            }
        }
        break;
    default:
        break;
    }
    net_post(n, note);
    return 0;
}

/* net: the lws protocol callback for our one client connection. */
static int net_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                        size_t len)
{
    struct net *n = lws_context_user(lws_get_context(wsi));
    if (!n)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        net_drain(n);
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        /* lws has logged the certificate's fault just before ("SSL error: ..."); say where
         * the trusted CAs come from, the usual fix */
        fprintf(stderr, "showfloor-kiosk: cannot connect to hub: %s%s\n",
                in ? (const char *)in : "unknown error",
                n->tls ? " (wss: the hub's certificate must chain to --ca-file, or to the "
                         "system's CAs without it, and name the URL's host)"
                       : "");
        net_dropped(n);
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        n->phase = NET_PHASE_HELLO;
        n->valid_at = time(NULL);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        n->valid_at = time(NULL);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE: {
        if (lws_frame_is_binary(wsi))
            return -1; /* the protocol has text frames only */
        if (n->rxlen + len > PROTO_MAX_FRAME_OUT)
            return -1; /* over the hub's own limit: something is wrong, start over */
        if (n->rxlen + len + 1 > n->rxcap) {
            size_t cap = n->rxcap ? n->rxcap : 16384;
            while (cap < n->rxlen + len + 1)
                cap *= 2;
            char *nb = realloc(n->rx, cap);
            if (!nb)
                return -1;
            n->rx = nb;
            n->rxcap = cap;
        }
        memcpy(n->rx + n->rxlen, in, len);
        n->rxlen += len;
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
            size_t flen = n->rxlen;
            n->rxlen = 0;
            if (net_on_frame(n, n->rx, flen) != 0)
                return -1;
        }
        break;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
        if (n->closing) {
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
            return -1;
        }
        struct net_frame *f = n->sendq;
        if (!f)
            break; /* spurious, as lws allows */
        n->sendq = f->next;
        if (!n->sendq)
            n->sendq_tail = &n->sendq;
        int w = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
        free(f);
        if (w < 0)
            return -1;
        if (n->sendq)
            lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_CLIENT_CLOSED:
        /* lws hangs up silently when the PINGs go unanswered: say so, or a kiosk that
         * reconnects every half minute leaves no clue why */
        if (!n->closing && n->valid_at && time(NULL) - n->valid_at >= NET_PING_HANGUP_S - 1)
            fprintf(stderr,
                    "showfloor-kiosk: the hub did not answer pings for %lld s: "
                    "connection dropped, reconnecting\n",
                    (long long)(time(NULL) - n->valid_at));
        net_dropped(n);
        break;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols net_protocols[] = {
    {PROTO_SUBPROTOCOL, net_callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* net: the thread body. */
static void *net_main(void *arg)
{
    struct net *n = arg;
    net_post_state(n, NET_CONNECTING, 0);
    net_connect(n);
    while (!atomic_load(&n->stop))
        if (lws_service(n->ctx, 0) < 0)
            break;
    return NULL;
}

struct net *net_start(const struct net_config *cfg, char *err, size_t errsz)
{
    struct net *n = calloc(1, sizeof *n);
    if (!n) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (net_parse_url(cfg->url, n->host, sizeof n->host, &n->port, n->path, sizeof n->path,
                      &n->tls) != 0) {
        snprintf(err, errsz, "not a ws:// or wss:// URL: %s", cfg->url);
        free(n);
        return NULL;
    }
    if (cfg->ca_file && !n->tls) {
        /* a CA file with plain ws would verify nothing, and the operator meant it to */
        snprintf(err, errsz, "--ca-file needs a wss:// hub URL, not %s", cfg->url);
        free(n);
        return NULL;
    }
    n->ev = cfg->sdl_event;
    snprintf(n->token, sizeof n->token, "%s", cfg->token ? cfg->token : "");
    snprintf(n->client, sizeof n->client, "%s", cfg->client);
    snprintf(n->claim, sizeof n->claim, "%s", cfg->claim ? cfg->claim : "");
    snprintf(n->hostname, sizeof n->hostname, "%s", cfg->hostname ? cfg->hostname : "");
    snprintf(n->screen, sizeof n->screen, "%s", cfg->screen ? cfg->screen : "");
    snprintf(n->version, sizeof n->version, "%s", cfg->version ? cfg->version : "");
    snprintf(n->mode, sizeof n->mode, "%s", cfg->mode ? cfg->mode : "");
    if (!n->token[0] && strlen(n->claim) < PROTO_CLAIM_MIN) {
        snprintf(err, errsz, "no token and no pairing claim");
        free(n);
        return NULL;
    }
    n->sendq_tail = &n->sendq;
    n->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)n;
    /* Reconnects are ours (net_schedule): lws only uses the idle part of this policy. */
    static const uint32_t net_retry_ms[] = {NET_BACKOFF_MIN_MS};
    n->idle_policy = (lws_retry_bo_t){
        .retry_ms_table = net_retry_ms,
        .retry_ms_table_count = 1,
        .secs_since_valid_ping = NET_PING_IDLE_S,
        .secs_since_valid_hangup = NET_PING_HANGUP_S,
    };
    pthread_mutex_init(&n->lock, NULL);
    atomic_init(&n->stop, false);
    atomic_init(&n->resync, false);

    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = net_protocols;
    info.user = n;
    info.options = n->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    /* read now, while the client TLS context is made; lws falls back on the system store */
    info.client_ssl_ca_filepath = cfg->ca_file;
    n->ctx = lws_create_context(&info);
    if (!n->ctx) {
        if (cfg->ca_file)
            snprintf(err, errsz, "cannot create the TLS client context: is '%s' a PEM file?",
                     cfg->ca_file);
        else
            snprintf(err, errsz, "cannot create the libwebsockets context");
        pthread_mutex_destroy(&n->lock);
        free(n);
        return NULL;
    }
    if (pthread_create(&n->thread, NULL, net_main, n) != 0) {
        snprintf(err, errsz, "cannot start the network thread");
        lws_context_destroy(n->ctx);
        pthread_mutex_destroy(&n->lock);
        free(n);
        return NULL;
    }
    return n;
}

void net_stop(struct net *n)
{
    if (!n)
        return;
    atomic_store(&n->stop, true);
    lws_cancel_service(n->ctx);
    pthread_join(n->thread, NULL);
    /* The thread is gone: destroying the context here closes the socket, and its
     * callbacks (CLIENT_CLOSED) run on this thread with the same struct. */
    n->halted = true;
    lws_context_destroy(n->ctx);
    net_clear_sendq(n);
    while (n->pending) {
        struct net_req *r = n->pending;
        n->pending = r->next;
        net_free_req(r);
    }
    while (n->outbox) {
        struct net_req *r = n->outbox;
        n->outbox = r->next;
        net_free_req(r);
    }
    free(n->cancels);
    free(n->rx);
    pthread_mutex_destroy(&n->lock);
    free(n);
}

int net_send(struct net *n, const char *id, enum proto_type type, cJSON *args)
{
    if (!args)
        args = cJSON_CreateObject();
    char *json = args ? proto_encode_request(id, type, args) : NULL;
    cJSON_Delete(args);
    struct net_req *r = json ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        free(json);
        return -1;
    }
    snprintf(r->id, sizeof r->id, "%s", id);
    r->json = json;
    pthread_mutex_lock(&n->lock);
    struct net_req **tail = &n->outbox;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    pthread_mutex_unlock(&n->lock);
    lws_cancel_service(n->ctx);
    return 0;
}

void net_cancel(struct net *n, const char *id)
{
    pthread_mutex_lock(&n->lock);
    if (n->ncancels == n->capcancels) {
        size_t cap = n->capcancels ? n->capcancels * 2 : 8;
        void *nc = realloc(n->cancels, cap * sizeof n->cancels[0]);
        if (!nc) {
            pthread_mutex_unlock(&n->lock);
            return; /* the request is then answered and ignored by the UI: harmless */
        }
        n->cancels = nc;
        n->capcancels = cap;
    }
    snprintf(n->cancels[n->ncancels++], sizeof n->cancels[0], "%s", id);
    pthread_mutex_unlock(&n->lock);
    lws_cancel_service(n->ctx);
}

void net_applied_seq(struct net *n, int64_t seq)
{
    pthread_mutex_lock(&n->lock);
    n->applied_seq = seq;
    pthread_mutex_unlock(&n->lock);
}

void net_resync(struct net *n)
{
    atomic_store(&n->resync, true);
    lws_cancel_service(n->ctx);
}

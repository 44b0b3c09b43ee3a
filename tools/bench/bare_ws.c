/* showfloor-bare-ws: the library's ceiling. A bare libwebsockets broadcast server speaking
 * just enough of showfloor.v1's framing for showfloor-loadgen (hello, auth, subscribe,
 * checkin -> result + event) with no database, no auth check, no masking and no JSON
 * parser. Each check-in is turned into one ~512-byte event frame, built once and kept in a
 * ring; every subscriber remembers the next ring position it must write (no lws_ring and no
 * per-message scan of tails), and writes one frame per WRITEABLE, as the hub does. */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#define BARE_RING     4096 /* events kept; a subscriber further behind is dropped */
#define BARE_EVENT    512
#define BARE_CTRL_MAX 8 /* control frames queued per connection */

struct bare_frame {
    size_t len;
    unsigned char buf[LWS_PRE + 640];
};

struct bare_conn {
    struct bare_conn *next, *prev;
    struct lws *wsi;
    bool subscribed;
    uint64_t next_seq; /* next event to write */
    struct bare_frame ctrl[BARE_CTRL_MAX];
    int ctrl_head, ctrl_n;
    char rx[1024];
    size_t rx_len;
};

static struct bare_frame bare_ring[BARE_RING];
static uint64_t bare_seq; /* last event made; events are 1.. */
static struct bare_conn *bare_conns;
static volatile sig_atomic_t bare_stop;

/* Queues a short control frame (hello, auth_ok, a result). */
static void bare_ctrl(struct bare_conn *c, const char *text)
{
    size_t n = strlen(text);
    if (c->ctrl_n == BARE_CTRL_MAX || n > sizeof c->ctrl[0].buf - LWS_PRE)
        return;
    struct bare_frame *f = &c->ctrl[(c->ctrl_head + c->ctrl_n++) % BARE_CTRL_MAX];
    memcpy(f->buf + LWS_PRE, text, n);
    f->len = n;
    lws_callback_on_writable(c->wsi);
}

/* The id of a request, from `"id":"...` (ids never hold quotes). */
static void bare_id(const char *msg, char *out, size_t outsz)
{
    const char *p = strstr(msg, "\"id\":\"");
    out[0] = '\0';
    if (!p)
        return;
    p += 6;
    size_t n = strcspn(p, "\"");
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void bare_event(void)
{
    uint64_t seq = ++bare_seq;
    struct bare_frame *f = &bare_ring[seq % BARE_RING];
    char *p = (char *)f->buf + LWS_PRE;
    int n = snprintf(p, sizeof f->buf - LWS_PRE,
                     "{\"type\":\"event\",\"seq\":%llu,\"kind\":\"visit.checked_in\","
                     "\"at\":0,\"data\":{\"visit\":{\"id\":%llu,\"pad\":\"",
                     (unsigned long long)seq, (unsigned long long)seq);
    while (n < BARE_EVENT - 4)
        p[n++] = 'x';
    memcpy(p + n, "\"}}}", 4);
    f->len = (size_t)n + 4;
    for (struct bare_conn *c = bare_conns; c; c = c->next) {
        if (!c->subscribed)
            continue;
        if (seq - c->next_seq >= BARE_RING) {
            lwsl_warn("subscriber too slow: dropped\n");
            lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
            continue;
        }
        lws_callback_on_writable(c->wsi);
    }
}

static void bare_message(struct bare_conn *c, const char *msg)
{
    char id[80], out[256];
    bare_id(msg, id, sizeof id);
    if (strncmp(msg, "{\"type\":\"auth\"", 14) == 0) {
        bare_ctrl(c, "{\"type\":\"auth_ok\",\"device\":{\"id\":1}}");
    } else if (strncmp(msg, "{\"type\":\"subscribe\"", 19) == 0) {
        snprintf(out, sizeof out,
                 "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":{\"seq\":%llu}}", id,
                 (unsigned long long)bare_seq);
        bare_ctrl(c, out);
        c->subscribed = true;
        c->next_seq = bare_seq + 1;
    } else if (strncmp(msg, "{\"type\":\"checkin\"", 17) == 0) {
        bare_event();
        snprintf(
            out, sizeof out,
            "{\"type\":\"result\",\"id\":\"%s\",\"ok\":true,\"data\":{\"visit\":{\"id\":%llu}}}",
            id, (unsigned long long)bare_seq);
        bare_ctrl(c, out);
    } else {
        snprintf(out, sizeof out, "{\"type\":\"result\",\"id\":\"%s\",\"ok\":false}", id);
        bare_ctrl(c, out);
    }
}

static int bare_writeable(struct bare_conn *c)
{
    struct bare_frame *f = NULL;
    if (c->ctrl_n) {
        f = &c->ctrl[c->ctrl_head];
        c->ctrl_head = (c->ctrl_head + 1) % BARE_CTRL_MAX;
        c->ctrl_n--;
    } else if (c->subscribed && c->next_seq <= bare_seq) {
        f = &bare_ring[c->next_seq++ % BARE_RING];
    }
    if (!f)
        return 0;
    if (lws_write(c->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len)
        return -1;
    if (c->ctrl_n || (c->subscribed && c->next_seq <= bare_seq))
        lws_callback_on_writable(c->wsi);
    return 0;
}

static int bare_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                         size_t len)
{
    struct bare_conn *c = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        memset(c, 0, sizeof *c);
        c->wsi = wsi;
        c->next = bare_conns;
        if (bare_conns)
            bare_conns->prev = c;
        bare_conns = c;
        bare_ctrl(c, "{\"type\":\"hello\",\"hub\":\"bare\"}");
        return 0;
    case LWS_CALLBACK_RECEIVE:
        /* reassemble: lws may hand a message over in pieces */
        if (c->rx_len + len < sizeof c->rx) {
            memcpy(c->rx + c->rx_len, in, len);
            c->rx_len += len;
        }
        if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
            c->rx[c->rx_len] = '\0';
            c->rx_len = 0;
            bare_message(c, c->rx);
        }
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return bare_writeable(c);
    case LWS_CALLBACK_CLOSED:
        if (c->prev)
            c->prev->next = c->next;
        else if (bare_conns == c)
            bare_conns = c->next;
        if (c->next)
            c->next->prev = c->prev;
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols bare_protocols[] = {
    {"showfloor.v1", bare_callback, sizeof(struct bare_conn), 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0}};

static void bare_on_signal(int sig)
{
    bare_stop = 1;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    const char *port_file = argc > 2 ? argv[2] : NULL;
    lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = port;
    info.iface = "127.0.0.1";
    info.protocols = bare_protocols;
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx)
        return 1;
    if (port_file) {
        /* the vhost's real port when 0 was asked for */
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f)
            return 1;
        fprintf(f, "%d\n", lws_get_vhost_listen_port(lws_get_vhost_by_name(ctx, "default")));
        if (fclose(f) != 0 || rename(tmp, port_file) != 0)
            return 1;
    }
    signal(SIGINT, bare_on_signal);
    signal(SIGTERM, bare_on_signal);
    while (!bare_stop)
        if (lws_service(ctx, 0) < 0)
            break;
    lws_context_destroy(ctx);
    return 0;
}

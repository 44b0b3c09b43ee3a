/* The load generator's WebSocket side (hub or bare_ws): one lws client context serviced by
 * lws's default poll() loop, N subscriber connections (hello, auth, subscribe since 0) and a
 * few sender connections (reception devices sending check-ins), a 5 ms tick that ramps the
 * connections up, paces open-loop commands and moves through the phases of the run; closed-loop
 * sends follow the acknowledgement or the delivery that frees their slot. (lws 4.1 polls with a
 * 0 ms timeout when its next timer is under 1 ms away: a 1 ms tick kept this process spinning
 * on one of the machine's two cores.) Messages may
 * come in pieces under load: only the first bytes of each message are kept (the type, the
 * ids) and it is handled once its last piece has arrived. */
#include "loadgen.h"
#include "bench_stats.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>

#define LG_TICK_US   5000
#define LG_HDR       256 /* first bytes of a message kept: type, seq, ids */
#define LG_DRAIN_S   3.0 /* after the window, wait this long for late deliveries */
#define LG_READY_MAX 300.0

enum lg_phase { LG_RAMP, LG_WARMUP, LG_MEASURE, LG_DRAIN, LG_DONE };

struct lg_conn {
    struct lws *wsi;
    struct lg_ws *g;
    int idx;
    bool sender;
    bool want_auth, want_sub, ready, connecting;
    int to_write; /* commands queued for this sender, not yet written */
    char hdr[LG_HDR];
    size_t hdr_len;
    bool in_msg;
};

struct lg_ws {
    const struct loadgen_opts *o;
    struct loadgen_stats *st;
    struct lws_context *ctx;
    struct lg_conn *conns;
    int n_conns, started, connecting, next_sender;
    enum lg_phase phase;
    double t_phase, next_due;
    double *t_send; /* by command number */
    long cmd_cap, cmd_next;
    char run[16];
    lws_sorted_usec_list_t tick;
    char pad_name[128];
};

static const char LG_MODEL[] = "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM";

static int lg_write_text(struct lws *wsi, const char *text)
{
    unsigned char buf[LWS_PRE + 1024];
    size_t n = strlen(text);
    if (n > sizeof buf - LWS_PRE)
        return -1;
    memcpy(buf + LWS_PRE, text, n);
    return lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT) < (int)n ? -1 : 0;
}

static const char *lg_token(const struct lg_conn *c)
{
    const struct loadgen_opts *o = c->g->o;
    return c->sender ? o->send_tokens[c->idx % o->n_send_tokens]
                     : o->sub_tokens[c->idx % o->n_sub_tokens];
}

static long lg_unacked(const struct lg_ws *g)
{
    return g->st->sent - g->st->acked - g->st->failed;
}

/* Queues as many commands as the rate, the window and the in-flight limit allow. */
static void lg_pump(struct lg_ws *g, double now)
{
    if ((g->phase != LG_WARMUP && g->phase != LG_MEASURE) || g->o->senders == 0)
        return;
    while (loadgen_may_send(g->o, g->st, g->next_due, now, lg_unacked(g))) {
        struct lg_conn *c = &g->conns[g->o->subs + g->next_sender];
        g->next_sender = (g->next_sender + 1) % g->o->senders;
        c->to_write++;
        g->st->sent++;
        if (g->o->rate > 0)
            g->next_due += 1.0 / g->o->rate;
        lws_callback_on_writable(c->wsi);
    }
}

static int lg_send_command(struct lg_conn *c)
{
    struct lg_ws *g = c->g;
    long n = g->cmd_next++;
    if (n >= g->cmd_cap) {
        long cap = g->cmd_cap ? g->cmd_cap * 2 : 65536;
        double *t = realloc(g->t_send, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        g->t_send = t;
        g->cmd_cap = cap;
    }
    char msg[800];
    /* A new customer each time (phone from the run and the command number): the event is a
     * visit.checked_in of about 512 bytes at a board (see BENCHMARKS.md). */
    snprintf(msg, sizeof msg,
             "{\"type\":\"checkin\",\"id\":\"%s-%ld\",\"args\":{\"phone\":\"13%09ld\","
             "\"consent\":true,\"name\":\"%s\",\"gender\":\"male\",\"model\":\"%s\","
             "\"source\":\"web_autohome\",\"first_visit\":true}}",
             g->run, n, (strtol(g->run + 1, NULL, 16) % 1000) * 1000000L + n % 1000000L,
             g->pad_name, LG_MODEL);
    g->t_send[n] = bench_now();
    return lg_write_text(c->wsi, msg);
}

static int lg_writeable(struct lg_conn *c)
{
    char msg[400];
    if (c->want_auth) {
        c->want_auth = false;
        snprintf(msg, sizeof msg,
                 "{\"type\":\"auth\",\"args\":{\"token\":\"%s\",\"client\":\"showfloor-loadgen\"}}",
                 lg_token(c));
        if (lg_write_text(c->wsi, msg))
            return -1;
    } else if (c->want_sub) {
        c->want_sub = false;
        if (lg_write_text(c->wsi, "{\"type\":\"subscribe\",\"id\":\"s1\",\"args\":{\"since\":0}}"))
            return -1;
    } else if (c->to_write > 0) {
        c->to_write--;
        if (lg_send_command(c))
            return -1;
    }
    if (c->want_auth || c->want_sub || c->to_write > 0)
        lws_callback_on_writable(c->wsi);
    return 0;
}

/* The integer after `key` in s, or -1. */
static long lg_int_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    if (!p)
        return -1;
    return strtol(p + strlen(key), NULL, 10);
}

static void lg_ready(struct lg_conn *c, double now)
{
    struct lg_ws *g = c->g;
    c->ready = true;
    if (c->sender)
        g->st->senders_ready++;
    else
        g->st->subs_ready++;
}

static void lg_message(struct lg_conn *c, double now)
{
    struct lg_ws *g = c->g;
    const char *m = c->hdr;
    if (strncmp(m, "{\"type\":\"event\"", 15) == 0) {
        long key = lg_int_after(m, "\"visit\":{\"id\":");
        if (key > 0) {
            loadgen_stats_delivery(g->st, (uint32_t)key, now);
            lg_pump(g, now);
        }
        return;
    }
    if (strncmp(m, "{\"type\":\"result\"", 16) == 0) {
        if (!c->sender) {
            if (!c->ready)
                lg_ready(c, now);
            return;
        }
        const char *id = strstr(m, "\"id\":\"");
        const char *dash = id ? strchr(id + 6, '-') : NULL;
        long n = dash ? strtol(dash + 1, NULL, 10) : -1;
        long key = lg_int_after(m, "\"visit\":{\"id\":");
        if (n < 0 || n >= g->cmd_next || !strstr(m, "\"ok\":true") || key <= 0) {
            g->st->failed++;
            if (g->st->failed <= 5)
                fprintf(stderr, "loadgen: command failed: %.200s\n", m);
        } else {
            loadgen_stats_ack(g->st, (uint32_t)key, g->t_send[n], now);
        }
        lg_pump(g, now);
        return;
    }
    if (strncmp(m, "{\"type\":\"hello\"", 15) == 0) {
        c->want_auth = true;
        lws_callback_on_writable(c->wsi);
    } else if (strncmp(m, "{\"type\":\"auth_ok\"", 17) == 0) {
        if (c->sender) {
            lg_ready(c, now);
        } else {
            c->want_sub = true;
            lws_callback_on_writable(c->wsi);
        }
    } else if (strncmp(m, "{\"type\":\"snapshot\"", 18) == 0) {
        g->st->snapshot_frames++;
    } else {
        fprintf(stderr, "loadgen: conn %d: %.200s\n", c->idx, m);
    }
}

static int lg_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
    struct lg_conn *c = lws_get_opaque_user_data(wsi);
    if (!c)
        return 0;
    struct lg_ws *g = c->g;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED: {
        c->connecting = false;
        g->connecting--;
        int one = 1;
        /* lws sets this too; say it here so the comparison with Mosquitto is explicit */
        setsockopt(lws_get_socket_fd(wsi), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (c->connecting) {
            c->connecting = false;
            g->connecting--;
        }
        g->st->conn_failed++;
        if (g->st->conn_failed <= 5)
            fprintf(stderr, "loadgen: connection %d failed: %s\n", c->idx,
                    in ? (const char *)in : "?");
        c->wsi = NULL;
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE: {
        if (!c->in_msg) {
            c->in_msg = true;
            c->hdr_len = 0;
        }
        size_t room = sizeof c->hdr - 1 - c->hdr_len;
        size_t n = len < room ? len : room;
        memcpy(c->hdr + c->hdr_len, in, n);
        c->hdr_len += n;
        if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
            c->hdr[c->hdr_len] = '\0';
            c->in_msg = false;
            lg_message(c, bench_now());
        }
        return 0;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return lg_writeable(c);
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (g->phase < LG_DONE) {
            g->st->closed++;
            if (g->st->closed <= 5)
                fprintf(stderr, "loadgen: connection %d closed by the server\n", c->idx);
        }
        c->wsi = NULL;
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols lg_protocols[] = {{"showfloor.v1", lg_callback, 0, 0, 0, NULL, 0},
                                                    {NULL, NULL, 0, 0, 0, NULL, 0}};

static void lg_connect(struct lg_ws *g, struct lg_conn *c)
{
    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = g->ctx;
    i.address = g->o->host;
    i.port = g->o->port;
    i.path = "/";
    i.host = i.address;
    i.origin = i.address;
    i.protocol = "showfloor.v1";
    i.pwsi = &c->wsi;
    i.opaque_user_data = c;
    c->connecting = true;
    g->connecting++;
    if (!lws_client_connect_via_info(&i) && c->connecting) {
        c->connecting = false;
        g->connecting--;
        g->st->conn_failed++;
    }
}

static void lg_tick(lws_sorted_usec_list_t *sul)
{
    struct lg_ws *g = lws_container_of(sul, struct lg_ws, tick);
    const struct loadgen_opts *o = g->o;
    struct loadgen_stats *st = g->st;
    double now = bench_now();
    switch (g->phase) {
    case LG_RAMP:
        while (g->started < g->n_conns && g->connecting < o->max_connecting)
            lg_connect(g, &g->conns[g->started++]);
        if (st->subs_ready == o->subs && st->senders_ready == o->senders) {
            st->t_ready = now;
            fprintf(stderr, "loadgen: %d subscribers and %d senders ready in %.2fs\n",
                    st->subs_ready, st->senders_ready, now - st->t_conn_start);
            g->phase = LG_WARMUP;
            g->t_phase = now;
            g->next_due = now;
        } else if (now - st->t_conn_start > LG_READY_MAX ||
                   (g->started == g->n_conns && g->connecting == 0 &&
                    st->subs_ready + st->senders_ready + st->conn_failed + st->closed >=
                        g->n_conns &&
                    st->conn_failed + st->closed > 0)) {
            fprintf(stderr, "loadgen: only %d/%d subscribers and %d/%d senders ready\n",
                    st->subs_ready, o->subs, st->senders_ready, o->senders);
            g->phase = LG_DONE;
        }
        break;
    case LG_WARMUP:
        if (now - g->t_phase >= o->warmup_s) {
            loadgen_stats_window_start(st, now);
            g->phase = LG_MEASURE;
            g->t_phase = now;
        }
        break;
    case LG_MEASURE:
        if (now - g->t_phase >= o->duration_s) {
            loadgen_stats_window_end(st, now);
            g->phase = LG_DRAIN;
            g->t_phase = now;
        }
        break;
    case LG_DRAIN:
        if ((lg_unacked(g) == 0 && loadgen_stats_open(st) == 0) || now - g->t_phase > LG_DRAIN_S)
            g->phase = LG_DONE;
        break;
    case LG_DONE:
        break;
    }
    lg_pump(g, now);
    if (g->phase != LG_DONE)
        lws_sul_schedule(g->ctx, 0, &g->tick, lg_tick, LG_TICK_US);
    else
        lws_cancel_service(g->ctx); /* else lws_service() sleeps until the next event */
}

int loadgen_ws_run(const struct loadgen_opts *o, struct loadgen_stats *st)
{
    struct lg_ws g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.st = st;
    snprintf(g.run, sizeof g.run, "b%x", (unsigned)getpid() & 0xfffff);
    /* 王 + 31 x 大: only the masked surname leaves the hub; the bytes pad the command */
    snprintf(g.pad_name, sizeof g.pad_name, "王");
    for (int i = 0; i < 31; i++)
        strcat(g.pad_name, "大");
    g.n_conns = o->subs + o->senders;
    g.conns = calloc((size_t)(g.n_conns ? g.n_conns : 1), sizeof *g.conns);
    if (!g.conns)
        return -1;
    for (int i = 0; i < g.n_conns; i++) {
        g.conns[i].g = &g;
        g.conns[i].sender = i >= o->subs;
        g.conns[i].idx = g.conns[i].sender ? i - o->subs : i;
    }
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = lg_protocols;
    info.timeout_secs = 5;
    g.ctx = lws_create_context(&info);
    if (!g.ctx) {
        free(g.conns);
        return -1;
    }
    st->t_conn_start = bench_now();
    lws_sul_schedule(g.ctx, 0, &g.tick, lg_tick, 1);
    while (g.phase != LG_DONE)
        if (lws_service(g.ctx, 0) < 0)
            break;
    int ok = st->t_end > 0;
    if (!ok && st->t_start > 0)
        loadgen_stats_window_end(st, bench_now());
    loadgen_stats_report(st);
    lws_sul_cancel(&g.tick);
    lws_context_destroy(g.ctx);
    free(g.conns);
    free(g.t_send);
    return ok ? 0 : -1;
}

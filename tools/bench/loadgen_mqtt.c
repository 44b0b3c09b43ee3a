/* The load generator's MQTT side: the same fan-out through Mosquitto with libmosquitto
 * clients driven by our own poll() loop (no libmosquitto threads): N subscribers on one topic,
 * a few publishers, TCP_NODELAY on every client (MOSQ_OPT_TCP_NODELAY; the broker's side is
 * `set_tcp_nodelay true` in the config run.sh writes). The "ack" of a QoS 0 publish is the
 * moment libmosquitto has written it to the socket (there is no ack in QoS 0); of a QoS 1
 * publish, the PUBACK. Payloads are LOADGEN_PAYLOAD bytes starting with "<key>:". */
#include "loadgen.h"
#include "bench_stats.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mosquitto.h>

#define LGM_TOPIC     "showfloor/site/1/board"
#define LGM_KEEPALIVE 60
#define LGM_READS     64 /* most packets read from one socket per wake-up */

struct lgm_client {
    struct lgm *g;
    struct mosquitto *m;
    int idx;
    bool sender, connected, ready;
};

struct lgm {
    const struct loadgen_opts *o;
    struct loadgen_stats *st;
    struct lgm_client *cl;
    int n, started, next_sender;
    uint32_t next_key;
    double next_due;
    /* QoS 1: message id -> (key, send time), per publisher, by mid modulo the ring */
    struct {
        uint32_t key;
        double t;
    } * mids;
    size_t mids_cap;
    char payload[LOADGEN_PAYLOAD + 1];
};

static void lgm_on_connect(struct mosquitto *m, void *ud, int rc)
{
    struct lgm_client *c = ud;
    if (rc != 0) {
        fprintf(stderr, "loadgen: mqtt connect refused: %s\n", mosquitto_connack_string(rc));
        c->g->st->conn_failed++;
        return;
    }
    c->connected = true;
    if (c->sender) {
        c->ready = true;
        c->g->st->senders_ready++;
    } else {
        mosquitto_subscribe(m, NULL, LGM_TOPIC, c->g->o->qos);
    }
}

static void lgm_on_subscribe(struct mosquitto *m, void *ud, int mid, int n, const int *granted)
{
    struct lgm_client *c = ud;
    if (!c->ready) {
        c->ready = true;
        c->g->st->subs_ready++;
    }
}

static void lgm_on_message(struct mosquitto *m, void *ud, const struct mosquitto_message *msg)
{
    struct lgm_client *c = ud;
    double now = bench_now();
    long key = strtol(msg->payload, NULL, 10);
    if (key > 0)
        loadgen_stats_delivery(c->g->st, (uint32_t)key, now);
}

static void lgm_on_publish(struct mosquitto *m, void *ud, int mid)
{
    struct lgm_client *c = ud;
    struct lgm *g = c->g;
    if (g->o->qos == 0)
        return;
    size_t slot = ((size_t)c->idx * 65536 + (size_t)mid) % g->mids_cap;
    loadgen_stats_ack(g->st, g->mids[slot].key, g->mids[slot].t, bench_now());
}

static long lgm_unacked(const struct lgm *g)
{
    return g->st->sent - g->st->acked - g->st->failed;
}

static void lgm_publish(struct lgm *g, double now)
{
    struct lgm_client *c = &g->cl[g->o->subs + g->next_sender];
    g->next_sender = (g->next_sender + 1) % g->o->senders;
    uint32_t key = ++g->next_key;
    int n = snprintf(g->payload, sizeof g->payload, "%u:", key);
    g->payload[n] = 'x'; /* keep the padding after the key */
    int mid = 0;
    g->st->sent++;
    double t = bench_now();
    int rc =
        mosquitto_publish(c->m, &mid, LGM_TOPIC, LOADGEN_PAYLOAD, g->payload, g->o->qos, false);
    if (rc != MOSQ_ERR_SUCCESS) {
        g->st->failed++;
        fprintf(stderr, "loadgen: publish failed: %s\n", mosquitto_strerror(rc));
        return;
    }
    if (g->o->qos == 0) {
        loadgen_stats_ack(g->st, key, t, bench_now());
    } else {
        size_t slot = ((size_t)c->idx * 65536 + (size_t)mid) % g->mids_cap;
        g->mids[slot].key = key;
        g->mids[slot].t = t;
    }
}

static void lgm_pump(struct lgm *g, double now, bool sending)
{
    if (!sending || g->o->senders == 0)
        return;
    while (loadgen_may_send(g->o, g->st, g->next_due, now, lgm_unacked(g))) {
        lgm_publish(g, now);
        if (g->o->rate > 0)
            g->next_due += 1.0 / g->o->rate;
    }
}

static int lgm_start(struct lgm *g, struct lgm_client *c)
{
    c->m = mosquitto_new(NULL, true, c);
    if (!c->m)
        return -1;
    mosquitto_int_option(c->m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(c->m, lgm_on_connect);
    mosquitto_subscribe_callback_set(c->m, lgm_on_subscribe);
    mosquitto_message_callback_set(c->m, lgm_on_message);
    mosquitto_publish_callback_set(c->m, lgm_on_publish);
    int rc = mosquitto_connect(c->m, g->o->host, g->o->port, LGM_KEEPALIVE);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "loadgen: mqtt connect: %s\n", mosquitto_strerror(rc));
        g->st->conn_failed++;
        return -1;
    }
    return 0;
}

/* Reads what the socket holds (level-triggered poll would wake us again anyway; reading
 * several packets per wake-up saves poll() calls over every socket). */
static void lgm_read(struct lgm_client *c)
{
    int fd = mosquitto_socket(c->m);
    for (int i = 0; i < LGM_READS; i++) {
        if (mosquitto_loop_read(c->m, 1) != MOSQ_ERR_SUCCESS) {
            c->g->st->closed++;
            return;
        }
        int avail = 0;
        if (ioctl(fd, FIONREAD, &avail) != 0 || avail <= 0)
            return;
    }
}

int loadgen_mqtt_run(const struct loadgen_opts *o, struct loadgen_stats *st)
{
    struct lgm g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.st = st;
    g.n = o->subs + o->senders;
    g.mids_cap = (size_t)(o->senders ? o->senders : 1) * 65536;
    g.cl = calloc((size_t)(g.n ? g.n : 1), sizeof *g.cl);
    g.mids = calloc(g.mids_cap, sizeof *g.mids);
    struct pollfd *pfd = calloc((size_t)(g.n ? g.n : 1), sizeof *pfd);
    int *map = calloc((size_t)(g.n ? g.n : 1), sizeof *map);
    if (!g.cl || !g.mids || !pfd || !map)
        return -1;
    memset(g.payload, 'x', LOADGEN_PAYLOAD);
    mosquitto_lib_init();
    for (int i = 0; i < g.n; i++) {
        g.cl[i].g = &g;
        g.cl[i].sender = i >= o->subs;
        g.cl[i].idx = g.cl[i].sender ? i - o->subs : i;
    }
    st->t_conn_start = bench_now();
    double t_phase = 0, last_misc = 0;
    int phase = 0; /* 0 ramp, 1 warm-up, 2 measure, 3 drain, 4 done */
    while (phase < 4) {
        double now = bench_now();
        if (phase == 0) {
            int pending = 0;
            for (int i = 0; i < g.started; i++)
                pending += g.cl[i].m && !g.cl[i].ready;
            while (g.started < g.n && pending < o->max_connecting) {
                lgm_start(&g, &g.cl[g.started++]);
                pending++;
            }
            if (st->subs_ready == o->subs && st->senders_ready == o->senders) {
                st->t_ready = now;
                fprintf(stderr, "loadgen: %d mqtt subscribers and %d publishers ready in %.2fs\n",
                        st->subs_ready, st->senders_ready, now - st->t_conn_start);
                phase = 1;
                t_phase = now;
                g.next_due = now;
            } else if (now - st->t_conn_start > 120) {
                fprintf(stderr, "loadgen: mqtt clients not ready\n");
                break;
            }
        } else if (phase == 1 && now - t_phase >= o->warmup_s) {
            loadgen_stats_window_start(st, now);
            phase = 2;
            t_phase = now;
        } else if (phase == 2 && now - t_phase >= o->duration_s) {
            loadgen_stats_window_end(st, now);
            phase = 3;
            t_phase = now;
        } else if (phase == 3 &&
                   ((lgm_unacked(&g) == 0 && loadgen_stats_open(st) == 0) || now - t_phase > 3)) {
            phase = 4;
            break;
        }
        lgm_pump(&g, now, phase == 1 || phase == 2);
        int n = 0;
        for (int i = 0; i < g.started; i++) {
            struct lgm_client *c = &g.cl[i];
            int fd = c->m ? mosquitto_socket(c->m) : -1;
            if (fd < 0)
                continue;
            pfd[n].fd = fd;
            pfd[n].events = POLLIN | (mosquitto_want_write(c->m) ? POLLOUT : 0);
            pfd[n].revents = 0;
            map[n++] = i;
        }
        if (poll(pfd, (nfds_t)n, 1) < 0)
            continue;
        for (int k = 0; k < n; k++) {
            struct lgm_client *c = &g.cl[map[k]];
            if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
                lgm_read(c);
            if (pfd[k].revents & POLLOUT)
                mosquitto_loop_write(c->m, 1);
            /* acks arrived: more may be sent at once, as the WebSocket side does */
        }
        now = bench_now();
        lgm_pump(&g, now, phase == 1 || phase == 2);
        if (now - last_misc > 0.5) {
            for (int i = 0; i < g.started; i++)
                if (g.cl[i].m)
                    mosquitto_loop_misc(g.cl[i].m);
            last_misc = now;
        }
    }
    int ok = st->t_end > 0;
    loadgen_stats_report(st);
    for (int i = 0; i < g.n; i++)
        if (g.cl[i].m) {
            mosquitto_disconnect(g.cl[i].m);
            mosquitto_destroy(g.cl[i].m);
        }
    mosquitto_lib_cleanup();
    free(pfd);
    free(map);
    free(g.mids);
    free(g.cl);
    return ok ? 0 : -1;
}

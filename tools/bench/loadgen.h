/* showfloor-loadgen: one process, one poll loop, holding N subscriber connections and a few
 * senders, measuring for each event the time from the command's acknowledgement at its
 * sender to its arrival at each subscriber (CLOCK_MONOTONIC, same process). Targets: the hub
 * and the bare lws broadcast server (WebSocket, showfloor.v1 framing), and Mosquitto (MQTT).
 * Single-threaded: every function here runs on the main thread. */
#ifndef SHOWFLOOR_LOADGEN_H
#define SHOWFLOOR_LOADGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum loadgen_mode {
    LOADGEN_FANOUT,   /* subscribers + senders: latency and deliveries per second */
    LOADGEN_COMMANDS, /* senders only, one command outstanding each: acks per second */
    LOADGEN_HOLD,     /* subscribers only: how many are held, and the server's memory */
};

struct loadgen_opts {
    enum loadgen_mode mode;
    bool mqtt;        /* Mosquitto instead of a WebSocket server */
    const char *host; /* 127.0.0.1 */
    int port;
    int qos;           /* MQTT only: 0 or 1 */
    int subs;          /* subscriber connections */
    int senders;       /* sender connections */
    int window;        /* most commands sent and not yet acknowledged, over all senders */
    int inflight;      /* most events not yet delivered to every subscriber (flow control) */
    double rate;       /* events per second; 0 = as fast as the server takes them */
    double warmup_s;   /* traffic before the measured window */
    double duration_s; /* the measured window */
    int server_pid;    /* for CPU time and RSS from /proc; 0 = none */
    const char *label;
    char **sub_tokens; /* board device tokens, used round-robin */
    int n_sub_tokens;
    char **send_tokens; /* reception device tokens, used round-robin */
    int n_send_tokens;
    int max_connecting; /* connection attempts in flight during the ramp */
};

/* ---- measurements (loadgen_stats.c) ---- */

/* One command/event. `key` is what both the ack and the delivery carry: the visit id for the
 * hub and bare server, the message index for MQTT. */
struct loadgen_event {
    double t_send, t_ack; /* 0 = not (yet) */
    int delivered;
    bool measured; /* sent inside the measured window */
};

struct loadgen_delivery {
    uint32_t key;
    double t;
};

struct loadgen_stats {
    const struct loadgen_opts *o;
    struct loadgen_event *ev; /* indexed by key */
    size_t ev_cap;
    struct loadgen_delivery *dl;
    size_t n_dl, dl_cap;
    double t_start, t_end;              /* the measured window; 0 until set */
    long sent, acked, failed, complete; /* complete = delivered to every subscriber */
    long acked_in_window, delivered_in_window;
    double *rtt; /* send -> ack of each command acknowledged in the window */
    size_t n_rtt, rtt_cap;
    int subs_ready, senders_ready, conn_failed, closed;
    double t_ready; /* every connection authenticated and subscribed */
    double t_conn_start;
    uint64_t srv_cpu0; /* server CPU ticks at t_start */
    uint64_t srv_cpu1;
    double t_cpu0, t_cpu1;
    long snapshot_frames;
};

int loadgen_stats_init(struct loadgen_stats *st, const struct loadgen_opts *o);
void loadgen_stats_free(struct loadgen_stats *st);
/* The event with this key (grown on demand); NULL when out of memory. */
struct loadgen_event *loadgen_stats_event(struct loadgen_stats *st, uint32_t key);
void loadgen_stats_ack(struct loadgen_stats *st, uint32_t key, double t_send, double now);
void loadgen_stats_delivery(struct loadgen_stats *st, uint32_t key, double now);
/* Events sent and not yet delivered to every subscriber (for flow control). */
long loadgen_stats_open(const struct loadgen_stats *st);
/* Opens and closes the measured window, sampling the server's CPU time. */
void loadgen_stats_window_start(struct loadgen_stats *st, double now);
void loadgen_stats_window_end(struct loadgen_stats *st, double now);
/* Prints the human summary to stderr and one `RESULT {json}` line to stdout. */
void loadgen_stats_report(struct loadgen_stats *st);

/* ---- the two clients ---- */

/* Runs the whole measurement against a WebSocket server (hub or bare_ws). 0 or -1. */
int loadgen_ws_run(const struct loadgen_opts *o, struct loadgen_stats *st);
/* The same against Mosquitto. 0 or -1. */
int loadgen_mqtt_run(const struct loadgen_opts *o, struct loadgen_stats *st);

/* Shared by both: whether another command may be sent now, given the rate, the window and
 * the in-flight limit; `next_due` is advanced by the caller after each send. */
bool loadgen_may_send(const struct loadgen_opts *o, const struct loadgen_stats *st, double next_due,
                      double now, long unacked);

/* Payload of MQTT messages and of the bare server's events: this many bytes. */
#define LOADGEN_PAYLOAD 512

#endif

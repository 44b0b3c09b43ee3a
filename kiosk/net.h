/* The kiosk's network thread: it owns the libwebsockets client context and the one
 * connection to the hub (subprotocol showfloor.v1). It authenticates after `hello`,
 * subscribes from the last applied seq, reconnects with exponential backoff (0.5 s to
 * 10 s, with jitter) after any drop and resends unanswered requests with their ids, and
 * stops for good when the hub says the device is revoked or unknown. A kiosk without a token
 * sends `pair` (its claim and identity) instead of `auth`, waits for the hub's `pairing` code
 * and `paired` token, then reconnects with that token. When auth_ok names another mode than
 * the last one, it subscribes from 0: the new mode's state is another snapshot. Every decoded hub
 * message and every connection change reaches the UI as an SDL user event whose data1 is
 * a heap-allocated struct net_note the UI frees with net_note_free. Requests go the other
 * way through a mutex-protected outbox and lws_cancel_service(). */
#ifndef SHOWFLOOR_NET_H
#define SHOWFLOOR_NET_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto.h"

enum net_state {
    NET_CONNECTING,   /* first attempt, or an attempt in progress */
    NET_CONNECTED,    /* authenticated and subscribed (pairing: the hub gave a code) */
    NET_RECONNECTING, /* dropped; retry_in_ms until the next attempt */
    NET_REVOKED,      /* the hub said device_revoked: no more attempts */
    NET_AUTH_FAILED,  /* the hub does not know the token: no more attempts */
};

enum net_note_kind {
    NET_NOTE_MESSAGE, /* msg holds a decoded hub message */
    NET_NOTE_STATE,   /* state (and retry_in_ms) changed */
};

struct net_note {
    enum net_note_kind kind;
    struct proto_msg msg; /* owned by the note */
    enum net_state state;
    int64_t retry_in_ms;
};

/* Frees a note received from an SDL user event (UI thread). */
void net_note_free(struct net_note *n);

struct net_config {
    const char *url;    /* ws://host:port/path or wss://... */
    const char *token;  /* device token, copied; NULL or "" when it has none: pairing */
    const char *client; /* client name sent in auth */
    uint32_t sdl_event; /* SDL user event type for notes (SDL_RegisterEvents) */
    /* pairing (without a token) and the fleet; each may be NULL */
    const char *claim;    /* the kiosk's claim secret (hex), sent in `pair` */
    const char *hostname; /* identity shown to the administrator who approves */
    const char *screen;   /* "1920x1080" */
    const char *version;
    const char *mode; /* the mode the UI starts in ("" or NULL: unknown) */
    /* wss only: PEM file of the CA(s) the hub's certificate must chain to; NULL: the system
     * store. The certificate must also name the URL's host (DNS name or IP address). */
    const char *ca_file;
};

struct net;

/* Parses the URL, creates the lws context and starts the thread (called from the UI
 * thread). NULL with a message in err on a bad URL or failure. */
struct net *net_start(const struct net_config *cfg, char *err, size_t errsz);
/* Stops the thread, closes the connection and frees everything (UI thread). */
void net_stop(struct net *n);

/* Queues a request (UI thread). Takes ownership of args (NULL = no args). The request is
 * kept and resent with the same id after a reconnect until its result arrives or
 * net_cancel. 0, or -1 when it cannot be encoded. */
int net_send(struct net *n, const char *id, enum proto_type type, cJSON *args);
/* Drops a queued or unanswered request (UI thread). */
void net_cancel(struct net *n, const char *id);
/* Records the last seq the UI applied, the `since` of the next subscribe (UI thread). */
void net_applied_seq(struct net *n, int64_t seq);
/* Closes the connection normally and reconnects, subscribing from 0 (a fresh snapshot):
 * the remote `reload` (UI thread). */
void net_resync(struct net *n);

/* Backoff before reconnect attempt number `attempt` (0-based): 500 ms doubling up to
 * 10 s, scaled by a jitter factor in [0.75, 1.25) taken from `rnd` (0..1). Pure. */
int64_t net_backoff_ms(int attempt, double rnd);
/* Splits a ws:// or wss:// URL. 0, or -1 if it is not one. Pure. */
int net_parse_url(const char *url, char *host, size_t hostsz, int *port, char *path, size_t pathsz,
                  int *tls);

#endif

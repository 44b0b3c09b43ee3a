/* Per-address accounting the hub enforces itself (Debian's libwebsockets is built without its
 * peer limits): concurrent connections per peer address, and addresses blocked for a while
 * after repeated bad device tokens, staff PINs or API session tokens (WebSocket and HTTP API
 * failures count against one budget per address). Loopback peers are exempt unless
 * guard_loopback is set, so local tools and the benchmarks (thousands of connections from
 * 127.0.0.1) are not capped. Hub thread only. */
#ifndef SHOWFLOOR_SERVER_GUARD_H
#define SHOWFLOOR_SERVER_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Longest address key ("a.b.c.d" or an IPv6 text form) plus its NUL. */
#define SERVER_GUARD_KEY_MAX 48

struct server_guard_limits {
    int max_per_address;    /* concurrent connections per address; 0 = no cap */
    bool guard_loopback;    /* apply the guard to loopback peers too (tests) */
    int fail_max;           /* bad tokens within fail_window_ms that block the address */
    int64_t fail_window_ms; /* window in which failures are counted */
    int64_t block_ms;       /* how long a blocked address stays blocked */
};

struct server_guard;

/* NULL when out of memory. */
struct server_guard *server_guard_new(const struct server_guard_limits *lim);
void server_guard_free(struct server_guard *g);

/* The address key of a socket address: IPv4 (also IPv4-mapped IPv6) as "a.b.c.d", IPv6 in
 * its text form. 0, or -1 for another family. *port gets the peer port when port is set. */
int server_guard_key(const struct sockaddr *sa, socklen_t len, char key[SERVER_GUARD_KEY_MAX],
                     int *port);
/* The address key of a connected socket's peer (getpeername). 0 or -1. */
int server_guard_key_fd(int fd, char key[SERVER_GUARD_KEY_MAX]);
/* true when the guard applies to this address (not loopback, or guard_loopback). */
bool server_guard_applies(const struct server_guard *g, const char *key);

/* A new TCP connection (lws's FILTER_NETWORK_CONNECTION, before any byte is read).
 * 0: accepted and counted against its address until the socket closes. -1: the address has
 * max_per_address connections open already (or out of memory); the caller drops it. */
int server_guard_accept(struct server_guard *g, int fd, const struct sockaddr *sa, socklen_t len);
/* Open connections counted for this address (tests, logs). */
int server_guard_connections(struct server_guard *g, const char *key);

/* true while the address is blocked; *until_ms (optional) gets when the block ends. */
bool server_guard_blocked(struct server_guard *g, const char *key, int64_t now_ms,
                          int64_t *until_ms);
/* A bad token, PIN or session token from this address. 1 when this failure starts a block (log it
 * once), else 0. */
int server_guard_auth_failed(struct server_guard *g, const char *key, int64_t now_ms);
/* Addresses blocked at now_ms (the /metrics gauge). Walks every tracked address. */
size_t server_guard_blocked_count(const struct server_guard *g, int64_t now_ms);
/* Forgets addresses with no connection counted and no failure or block still running. */
void server_guard_prune(struct server_guard *g, int64_t now_ms);

#endif

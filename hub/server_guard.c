/* Per-address accounting: connections counted per peer address from the moment lws accepts
 * the socket, and bad-token failures that block an address for a while.
 *
 * lws tells the hub about a new socket (FILTER_NETWORK_CONNECTION, with its fd and address)
 * but has no matching "socket closed" notice that still knows the fd, and a socket may close
 * long before it becomes a WebSocket (a slowloris header that times out, a plain HTTP
 * request). So a closed socket is noticed lazily: when its fd number is accepted again, or
 * when its address reaches the cap, at which point each fd counted for the address is asked
 * for its peer (getpeername) and the ones that are no longer that peer are released. The
 * count is therefore never too low, and at the cap it is exact. */
#include "server_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_BUCKETS 1024
/* Most addresses tracked at once; past it new addresses are refused (connections) or not
 * counted (failures) until pruning makes room. */
#define GUARD_ADDR_MAX 65536

struct guard_addr {
    struct guard_addr *next; /* hash chain */
    char key[SERVER_GUARD_KEY_MAX];
    int conns;
    int first_fd; /* list of the fds counted for this address through guard_fd; -1 none */
    int fails;
    int64_t window_start;
    int64_t blocked_until;
};

struct guard_fd {
    struct guard_addr *addr; /* NULL: not counted */
    int port;
    int prev, next; /* the address's fd list */
};

struct server_guard {
    struct server_guard_limits lim;
    struct guard_addr *buckets[GUARD_BUCKETS];
    size_t naddr;
    struct guard_fd *fds;
    size_t nfds;
};

struct server_guard *server_guard_new(const struct server_guard_limits *lim)
{
    struct server_guard *g = calloc(1, sizeof *g);
    if (g)
        g->lim = *lim;
    return g;
}

void server_guard_free(struct server_guard *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < GUARD_BUCKETS; i++) {
        struct guard_addr *a = g->buckets[i];
        while (a) {
            struct guard_addr *next = a->next;
            free(a);
            a = next;
        }
    }
    free(g->fds);
    free(g);
}

int server_guard_key(const struct sockaddr *sa, socklen_t len, char key[SERVER_GUARD_KEY_MAX],
                     int *port)
{
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        if (port)
            *port = ntohs(in->sin_port);
        return inet_ntop(AF_INET, &in->sin_addr, key, SERVER_GUARD_KEY_MAX) ? 0 : -1;
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        if (port)
            *port = ntohs(in6->sin6_port);
        /* One peer is one address whether it came over an IPv4 or a dual-stack socket. */
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            return inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], key, SERVER_GUARD_KEY_MAX) ? 0
                                                                                              : -1;
        return inet_ntop(AF_INET6, &in6->sin6_addr, key, SERVER_GUARD_KEY_MAX) ? 0 : -1;
    }
    return -1;
}

static int guard_peer(int fd, char key[SERVER_GUARD_KEY_MAX], int *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    return server_guard_key((const struct sockaddr *)&ss, len, key, port);
}

int server_guard_key_fd(int fd, char key[SERVER_GUARD_KEY_MAX])
{
    return guard_peer(fd, key, NULL);
}

bool server_guard_applies(const struct server_guard *g, const char *key)
{
    if (g->lim.guard_loopback)
        return true;
    return !(strncmp(key, "127.", 4) == 0 || strcmp(key, "::1") == 0);
}

static size_t guard_hash(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % GUARD_BUCKETS;
}

static struct guard_addr *guard_find(struct server_guard *g, const char *key)
{
    for (struct guard_addr *a = g->buckets[guard_hash(key)]; a; a = a->next)
        if (strcmp(a->key, key) == 0)
            return a;
    return NULL;
}

static struct guard_addr *guard_find_or_add(struct server_guard *g, const char *key)
{
    struct guard_addr *a = guard_find(g, key);
    if (a || g->naddr >= GUARD_ADDR_MAX)
        return a;
    a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    snprintf(a->key, sizeof a->key, "%s", key);
    a->first_fd = -1;
    size_t b = guard_hash(key);
    a->next = g->buckets[b];
    g->buckets[b] = a;
    g->naddr++;
    return a;
}

static void guard_release_fd(struct server_guard *g, int fd)
{
    struct guard_fd *f = &g->fds[fd];
    struct guard_addr *a = f->addr;
    if (!a)
        return;
    if (f->prev >= 0)
        g->fds[f->prev].next = f->next;
    else
        a->first_fd = f->next;
    if (f->next >= 0)
        g->fds[f->next].prev = f->prev;
    a->conns--;
    f->addr = NULL;
    f->prev = f->next = -1;
}

/* Releases the fds of `a` whose socket is no longer a connection from that address. */
static void guard_sweep(struct server_guard *g, struct guard_addr *a)
{
    int fd = a->first_fd;
    while (fd >= 0) {
        int next = g->fds[fd].next;
        char key[SERVER_GUARD_KEY_MAX];
        int port;
        if (guard_peer(fd, key, &port) != 0 || strcmp(key, a->key) != 0 || port != g->fds[fd].port)
            guard_release_fd(g, fd);
        fd = next;
    }
}

static int guard_grow_fds(struct server_guard *g, int fd)
{
    if ((size_t)fd < g->nfds)
        return 0;
    size_t n = g->nfds ? g->nfds : 256;
    while (n <= (size_t)fd)
        n *= 2;
    struct guard_fd *fds = realloc(g->fds, n * sizeof *fds);
    if (!fds)
        return -1;
    for (size_t i = g->nfds; i < n; i++)
        fds[i] = (struct guard_fd){.addr = NULL, .port = 0, .prev = -1, .next = -1};
    g->fds = fds;
    g->nfds = n;
    return 0;
}

int server_guard_accept(struct server_guard *g, int fd, const struct sockaddr *sa, socklen_t len)
{
    char key[SERVER_GUARD_KEY_MAX];
    int port;
    if (fd < 0 || server_guard_key(sa, len, key, &port) != 0)
        return 0; /* not an IP peer: nothing to count */
    /* The fd number is new again, so whatever it counted before has closed. */
    if ((size_t)fd < g->nfds)
        guard_release_fd(g, fd);
    if (g->lim.max_per_address <= 0 || !server_guard_applies(g, key))
        return 0;
    struct guard_addr *a = guard_find_or_add(g, key);
    if (!a || guard_grow_fds(g, fd) != 0)
        return -1;
    if (a->conns >= g->lim.max_per_address)
        guard_sweep(g, a);
    if (a->conns >= g->lim.max_per_address)
        return -1;
    struct guard_fd *f = &g->fds[fd];
    f->addr = a;
    f->port = port;
    f->prev = -1;
    f->next = a->first_fd;
    if (a->first_fd >= 0)
        g->fds[a->first_fd].prev = fd;
    a->first_fd = fd;
    a->conns++;
    return 0;
}

int server_guard_connections(struct server_guard *g, const char *key)
{
    struct guard_addr *a = guard_find(g, key);
    return a ? a->conns : 0;
}

bool server_guard_blocked(struct server_guard *g, const char *key, int64_t now_ms,
                          int64_t *until_ms)
{
    if (!server_guard_applies(g, key))
        return false;
    struct guard_addr *a = guard_find(g, key);
    if (!a || a->blocked_until <= now_ms)
        return false;
    if (until_ms)
        *until_ms = a->blocked_until;
    return true;
}

int server_guard_auth_failed(struct server_guard *g, const char *key, int64_t now_ms)
{
    if (g->lim.fail_max <= 0 || !server_guard_applies(g, key))
        return 0;
    struct guard_addr *a = guard_find_or_add(g, key);
    if (!a)
        return 0;
    if (a->fails == 0 || now_ms - a->window_start >= g->lim.fail_window_ms) {
        a->fails = 0;
        a->window_start = now_ms;
    }
    a->fails++;
    if (a->fails < g->lim.fail_max || a->blocked_until > now_ms)
        return 0;
    a->blocked_until = now_ms + g->lim.block_ms;
    a->fails = 0; /* the count starts afresh once the block ends */
    return 1;
}

size_t server_guard_blocked_count(const struct server_guard *g, int64_t now_ms)
{
    size_t n = 0;
    for (size_t i = 0; i < GUARD_BUCKETS; i++)
        for (const struct guard_addr *a = g->buckets[i]; a; a = a->next)
            n += a->blocked_until > now_ms;
    return n;
}

void server_guard_prune(struct server_guard *g, int64_t now_ms)
{
    for (size_t i = 0; i < GUARD_BUCKETS; i++) {
        struct guard_addr **pp = &g->buckets[i];
        while (*pp) {
            struct guard_addr *a = *pp;
            bool failing = a->fails > 0 && now_ms - a->window_start < g->lim.fail_window_ms;
            if (a->conns == 0 && a->blocked_until <= now_ms && !failing) {
                *pp = a->next;
                free(a);
                g->naddr--;
            } else {
                pp = &a->next;
            }
        }
    }
}

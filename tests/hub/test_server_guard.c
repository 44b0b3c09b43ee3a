/* server_guard: per-address connection counts over real loopback TCP sockets (closed sockets
 * are released lazily, by fd reuse or by the sweep at the cap), the loopback exemption, and
 * blocking after bad tokens. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "server_guard.h"

struct pair {
    int client, server;
    struct sockaddr_storage peer;
    socklen_t peer_len;
};

static int listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* A connection from `src` accepted on `lfd`. */
static struct pair connect_from(int lfd, int port, const char *src)
{
    struct pair p;
    p.client = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, src, &s.sin_addr);
    assert_int_equal(bind(p.client, (struct sockaddr *)&s, sizeof s), 0);
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    d.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(p.client, (struct sockaddr *)&d, sizeof d), 0);
    p.peer_len = sizeof p.peer;
    p.server = accept(lfd, (struct sockaddr *)&p.peer, &p.peer_len);
    assert_true(p.server >= 0);
    return p;
}

static int accept_pair(struct server_guard *g, struct pair *p)
{
    return server_guard_accept(g, p->server, (struct sockaddr *)&p->peer, p->peer_len);
}

static void close_pair(struct pair *p)
{
    close(p->client);
    if (p->server >= 0)
        close(p->server);
}

static void test_cap_counts_and_releases_closed_sockets(void **state)
{
    (void)state;
    int port, lfd = listener(&port);
    struct server_guard_limits lim = {.max_per_address = 2, .guard_loopback = true};
    struct server_guard *g = server_guard_new(&lim);
    assert_non_null(g);
    struct pair a = connect_from(lfd, port, "127.0.0.2");
    struct pair b = connect_from(lfd, port, "127.0.0.2");
    struct pair c = connect_from(lfd, port, "127.0.0.2");
    struct pair other = connect_from(lfd, port, "127.0.0.3");
    assert_int_equal(accept_pair(g, &a), 0);
    assert_int_equal(accept_pair(g, &b), 0);
    assert_int_equal(accept_pair(g, &c), -1); /* over the cap */
    assert_int_equal(accept_pair(g, &other), 0);
    assert_int_equal(server_guard_connections(g, "127.0.0.2"), 2);
    assert_int_equal(server_guard_connections(g, "127.0.0.3"), 1);

    /* `a` closes; nobody tells the guard. At the cap the sweep notices. */
    close(c.server);
    c.server = -1;
    close(a.server);
    a.server = -1;
    struct pair d = connect_from(lfd, port, "127.0.0.2");
    assert_int_equal(accept_pair(g, &d), 0);
    assert_int_equal(server_guard_connections(g, "127.0.0.2"), 2);

    /* `b` closes and a connection from another address is accepted on its fd number (moved
     * there with dup2, as the kernel's reuse would): `b` is released at once. */
    struct pair e = connect_from(lfd, port, "127.0.0.3");
    int bfd = b.server;
    close(b.server);
    b.server = -1;
    assert_int_equal(dup2(e.server, bfd), bfd);
    close(e.server);
    e.server = bfd;
    assert_int_equal(accept_pair(g, &e), 0);
    assert_int_equal(server_guard_connections(g, "127.0.0.2"), 1);
    assert_int_equal(server_guard_connections(g, "127.0.0.3"), 2);

    server_guard_free(g);
    close_pair(&a);
    close_pair(&b);
    close_pair(&c);
    close_pair(&d);
    close_pair(&e);
    close_pair(&other);
    close(lfd);
}

static void test_loopback_is_exempt_unless_guarded(void **state)
{
    (void)state;
    int port, lfd = listener(&port);
    struct server_guard_limits lim = {
        .max_per_address = 1, .fail_max = 1, .fail_window_ms = 1000, .block_ms = 1000};
    struct server_guard *g = server_guard_new(&lim);
    struct pair p[3];
    for (int i = 0; i < 3; i++) {
        p[i] = connect_from(lfd, port, "127.0.0.1");
        assert_int_equal(accept_pair(g, &p[i]), 0);
    }
    assert_int_equal(server_guard_connections(g, "127.0.0.1"), 0);
    assert_false(server_guard_applies(g, "127.0.0.9"));
    assert_false(server_guard_applies(g, "::1"));
    assert_true(server_guard_applies(g, "192.168.1.20"));
    assert_int_equal(server_guard_auth_failed(g, "127.0.0.1", 0), 0);
    assert_false(server_guard_blocked(g, "127.0.0.1", 1, NULL));
    char key[SERVER_GUARD_KEY_MAX];
    assert_int_equal(server_guard_key_fd(p[0].server, key), 0);
    assert_string_equal(key, "127.0.0.1");
    server_guard_free(g);
    for (int i = 0; i < 3; i++)
        close_pair(&p[i]);
    close(lfd);
}

static void test_v4_mapped_addresses_are_one_key(void **state)
{
    (void)state;
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(4242)};
    inet_pton(AF_INET6, "::ffff:10.0.0.7", &a6.sin6_addr);
    char key[SERVER_GUARD_KEY_MAX];
    int port = 0;
    assert_int_equal(server_guard_key((struct sockaddr *)&a6, sizeof a6, key, &port), 0);
    assert_string_equal(key, "10.0.0.7");
    assert_int_equal(port, 4242);
    inet_pton(AF_INET6, "2001:db8::1", &a6.sin6_addr);
    assert_int_equal(server_guard_key((struct sockaddr *)&a6, sizeof a6, key, NULL), 0);
    assert_string_equal(key, "2001:db8::1");
}

static void test_bad_tokens_block_for_a_while(void **state)
{
    (void)state;
    struct server_guard_limits lim = {
        .max_per_address = 0, .fail_max = 3, .fail_window_ms = 10000, .block_ms = 5000};
    struct server_guard *g = server_guard_new(&lim);
    const char *ip = "10.1.2.3";
    /* Failures spread wider than the window never block. */
    assert_int_equal(server_guard_auth_failed(g, ip, 0), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 1000), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 11000), 0); /* a new window */
    assert_false(server_guard_blocked(g, ip, 11000, NULL));
    assert_int_equal(server_guard_auth_failed(g, ip, 12000), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 13000), 1); /* the third: blocked */
    int64_t until = 0;
    assert_true(server_guard_blocked(g, ip, 13001, &until));
    assert_int_equal(until, 18000);
    assert_false(server_guard_blocked(g, "10.1.2.4", 13001, NULL));
    /* The /metrics gauge counts blocked addresses only, not failing ones. */
    assert_int_equal(server_guard_auth_failed(g, "10.1.2.4", 13001), 0);
    assert_int_equal(server_guard_blocked_count(g, 13001), 1);
    assert_int_equal(server_guard_blocked_count(g, 17999), 1);
    assert_int_equal(server_guard_blocked_count(g, 18000), 0);
    /* More failures while blocked do not extend it or log again. */
    assert_int_equal(server_guard_auth_failed(g, ip, 14000), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 14001), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 14002), 0);
    assert_true(server_guard_blocked(g, ip, 17999, NULL));
    assert_false(server_guard_blocked(g, ip, 18000, NULL));
    /* Pruned once nothing about it is running any more; then it starts from nothing. */
    server_guard_prune(g, 40000);
    assert_int_equal(server_guard_auth_failed(g, ip, 40001), 0);
    assert_int_equal(server_guard_auth_failed(g, ip, 40002), 0);
    assert_false(server_guard_blocked(g, ip, 40003, NULL));
    server_guard_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_counts_and_releases_closed_sockets),
        cmocka_unit_test(test_loopback_is_exempt_unless_guarded),
        cmocka_unit_test(test_v4_mapped_addresses_are_one_key),
        cmocka_unit_test(test_bad_tokens_block_for_a_while),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

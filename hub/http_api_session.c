/* The HTTP API's staff sessions: a small array searched linearly (a showroom has tens of
 * back-office clients, and the cap keeps a flood of logins from growing it), keyed by the
 * BLAKE2b hash of the token and compared in constant time. */
#include "http_api_session.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define HTTP_API_SESSION_HASH 32

struct http_api_session_entry {
    unsigned char hash[HTTP_API_SESSION_HASH];
    int64_t device_id;
    int64_t last_used;
    int64_t expires_at;
    struct core_staff staff;
};

struct http_api_sessions {
    struct http_api_session_entry *v;
    size_t n, max;
    int64_t idle_ms;
};

struct http_api_sessions *http_api_session_table_new(int64_t idle_ms, size_t max)
{
    struct http_api_sessions *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->max = max ? max : 1;
    t->v = calloc(t->max, sizeof *t->v);
    if (!t->v) {
        free(t);
        return NULL;
    }
    t->idle_ms = idle_ms;
    return t;
}

void http_api_session_table_free(struct http_api_sessions *t)
{
    if (!t)
        return;
    sodium_memzero(t->v, t->max * sizeof *t->v);
    free(t->v);
    free(t);
}

static void http_api_session_hash(const char *token, unsigned char out[HTTP_API_SESSION_HASH])
{
    crypto_generichash(out, HTTP_API_SESSION_HASH, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

static void http_api_session_remove(struct http_api_sessions *t, size_t i)
{
    t->v[i] = t->v[t->n - 1];
    sodium_memzero(&t->v[t->n - 1], sizeof t->v[0]);
    t->n--;
}

/* Every entry is compared, match or not, so the time taken does not depend on the token. */
static size_t http_api_session_find(const struct http_api_sessions *t, const char *token)
{
    unsigned char h[HTTP_API_SESSION_HASH];
    http_api_session_hash(token, h);
    size_t found = t->n;
    for (size_t i = 0; i < t->n; i++)
        if (sodium_memcmp(t->v[i].hash, h, sizeof h) == 0)
            found = i;
    return found;
}

int http_api_session_open(struct http_api_sessions *t, const struct core_staff *staff,
                          int64_t device_id, int64_t now,
                          char token[HTTP_API_SESSION_TOKEN_LEN + 1], int64_t *expires_at)
{
    if (t->n == t->max) {
        size_t lru = 0;
        for (size_t i = 1; i < t->n; i++)
            if (t->v[i].last_used < t->v[lru].last_used)
                lru = i;
        http_api_session_remove(t, lru);
    }
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, HTTP_API_SESSION_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);

    struct http_api_session_entry *e = &t->v[t->n++];
    memset(e, 0, sizeof *e);
    http_api_session_hash(token, e->hash);
    e->device_id = device_id;
    e->last_used = now;
    e->expires_at = now + t->idle_ms;
    e->staff = *staff;
    e->staff.expires_at = e->expires_at;
    *expires_at = e->expires_at;
    return 0;
}

enum http_api_session_use http_api_session_use(struct http_api_sessions *t, const char *token,
                                               int64_t device_id, int64_t now,
                                               struct core_staff *staff)
{
    size_t i = http_api_session_find(t, token);
    if (i == t->n || t->v[i].device_id != device_id)
        return HTTP_API_SESSION_UNKNOWN;
    struct http_api_session_entry *e = &t->v[i];
    if (now > e->expires_at) {
        http_api_session_remove(t, i);
        return HTTP_API_SESSION_EXPIRED;
    }
    e->last_used = now;
    e->expires_at = now + t->idle_ms;
    e->staff.expires_at = e->expires_at;
    *staff = e->staff;
    return HTTP_API_SESSION_OK;
}

int http_api_session_close(struct http_api_sessions *t, const char *token, int64_t device_id)
{
    size_t i = http_api_session_find(t, token);
    if (i == t->n || t->v[i].device_id != device_id)
        return 0;
    http_api_session_remove(t, i);
    return 1;
}

size_t http_api_session_prune(struct http_api_sessions *t, struct core *c, int64_t now)
{
    size_t dropped = 0;
    for (size_t i = 0; i < t->n;) {
        if (now > t->v[i].expires_at || !core_device_active(c, t->v[i].device_id)) {
            http_api_session_remove(t, i);
            dropped++;
        } else {
            i++;
        }
    }
    return dropped;
}

size_t http_api_session_count(const struct http_api_sessions *t)
{
    return t->n;
}

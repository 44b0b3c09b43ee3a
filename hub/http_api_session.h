/* Staff sessions of the HTTP API: a staff login made over HTTP lives in the hub's memory
 * under a random token that the client sends back in X-Showfloor-Session. A session belongs
 * to the device that opened it, lapses after an idle time without a request, ends on logout
 * and dies with its device. Only hashes of the tokens are kept. Hub thread only. */
#ifndef SHOWFLOOR_HTTP_API_SESSION_H
#define SHOWFLOOR_HTTP_API_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* Session token text: 32 random bytes in lower-case hex. */
#define HTTP_API_SESSION_TOKEN_LEN 64

struct http_api_sessions;

/* An empty table: sessions lapse after idle_ms without use; at most max live at once (the
 * least recently used is dropped to make room). NULL when out of memory. */
struct http_api_sessions *http_api_session_table_new(int64_t idle_ms, size_t max);
void http_api_session_table_free(struct http_api_sessions *t);

/* Opens a session for `staff`, logged in on device `device_id`. Writes the new token into
 * token (NUL-terminated) and its first expiry into *expires_at. 0, or -1 out of memory. */
int http_api_session_open(struct http_api_sessions *t, const struct core_staff *staff,
                          int64_t device_id, int64_t now,
                          char token[HTTP_API_SESSION_TOKEN_LEN + 1], int64_t *expires_at);

enum http_api_session_use {
    HTTP_API_SESSION_OK,      /* *staff filled, idle expiry refreshed */
    HTTP_API_SESSION_UNKNOWN, /* no such token for this device (or logged out) */
    HTTP_API_SESSION_EXPIRED, /* it lapsed: now removed */
};
/* Finds the session of `token` for device `device_id` and refreshes it. */
enum http_api_session_use http_api_session_use(struct http_api_sessions *t, const char *token,
                                               int64_t device_id, int64_t now,
                                               struct core_staff *staff);
/* Ends the session of `token` if it belongs to device_id. 1 if one was ended, else 0. */
int http_api_session_close(struct http_api_sessions *t, const char *token, int64_t device_id);
/* Drops lapsed sessions and those of devices no longer active (revoked or deleted).
 * Returns how many were dropped. */
size_t http_api_session_prune(struct http_api_sessions *t, struct core *c, int64_t now);
/* Live sessions, lapsed ones not yet pruned included. */
size_t http_api_session_count(const struct http_api_sessions *t);

#endif

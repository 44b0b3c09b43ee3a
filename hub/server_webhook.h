/* Staff notifications forwarded to each site's webhook_url: the hub POSTs every entry of the
 * store's webhook outbox (one per staff.notify event) from its own event loop, in seq order,
 * one request in flight per site, retrying with exponential backoff. hub/README.md
 * "Notifications and the webhook" is the contract a receiver relies on.
 *
 * Threading: everything here runs on the hub's one thread (lws callbacks and timers). */
#ifndef SHOWFLOOR_SERVER_WEBHOOK_H
#define SHOWFLOOR_SERVER_WEBHOOK_H

#include <stdint.h>

#include <libwebsockets.h>

struct server;
struct server_webhook;

#define SERVER_WEBHOOK_MIN_DELAY_MS 1000                  /* first retry after a failed try */
#define SERVER_WEBHOOK_MAX_DELAY_MS (300 * 1000)          /* backoff stops growing here */
#define SERVER_WEBHOOK_MAX_TRIES    20                    /* then the entry is marked failed */
#define SERVER_WEBHOOK_TIMEOUT_MS   (10 * 1000)           /* one try, DNS to response */
#define SERVER_WEBHOOK_SCAN_US      (250 * LWS_US_PER_MS) /* outbox scan period */

/* Delivery tallies for /metrics. */
enum server_webhook_result {
    SERVER_WEBHOOK_DELIVERED, /* the receiver answered 2xx */
    SERVER_WEBHOOK_RETRY,     /* a try failed; another is scheduled */
    SERVER_WEBHOOK_FAILED,    /* the last allowed try failed; the entry is given up */
    SERVER_WEBHOOK__RESULTS
};

/* Opens the webhook's own store handle on cfg->database, creates a client-only vhost on
 * srv->ctx (the context must have been created with LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT so
 * https receivers can be verified against the system CA store) and starts the outbox scan.
 * Sets srv->webhook. 0, or -1 after logging why. */
int server_webhook_start(struct server *srv);
/* Before lws_context_destroy(): stops the scan and detaches every request in flight, so
 * their closing callbacks record nothing (an interrupted entry stays pending and is sent
 * again after a restart). NULL-safe. */
void server_webhook_stop(struct server_webhook *wh);
/* After lws_context_destroy(): closes the store handle and frees everything. NULL-safe. */
void server_webhook_free(struct server_webhook *wh);

/* The backoff before try number `tries` + 1, after `tries` failed ones (>= 1):
 * 1 s, 2 s, 4 s, ... capped at 5 minutes. */
int64_t server_webhook_backoff_ms(int tries);

/* Appends showfloor_webhook_deliveries_total{result} to a /metrics text. Takes `text`
 * (malloc'd; NULL passes through) and returns the longer text (caller frees), or NULL when
 * out of memory. wh may be NULL (the series are still listed, at 0). */
char *server_webhook_metrics(const struct server_webhook *wh, char *text);

#endif

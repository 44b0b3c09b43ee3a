/* Counts of HTTP requests by route and status for /metrics
 * (showfloor_http_requests_total{path,status}). Routes and statuses come from fixed tables,
 * so a client probing random paths cannot grow the series. Hub thread only. */
#ifndef SHOWFLOOR_HTTP_STATS_H
#define SHOWFLOOR_HTTP_STATS_H

#include <stdint.h>

/* Every path the hub answers on HTTP; anything else is HTTP_ROUTE_OTHER. */
enum http_route {
    HTTP_ROUTE_HEALTHZ,
    HTTP_ROUTE_METRICS,
    HTTP_ROUTE_LOGIN,
    HTTP_ROUTE_LOGOUT,
    HTTP_ROUTE_REQUESTS,
    HTTP_ROUTE_ORDERS,
    HTTP_ROUTE_ORDER,
    HTTP_ROUTE_DEVICES, /* the kiosk fleet (issue 9) */
    HTTP_ROUTE_OTHER,
    HTTP_ROUTE__COUNT
};

#define HTTP_STATS_STATUSES 13

struct http_stats {
    uint64_t requests[HTTP_ROUTE__COUNT][HTTP_STATS_STATUSES];
};

/* The route of a URI path ("/api/v1/orders/SF2611-0001" -> HTTP_ROUTE_ORDER). */
enum http_route http_stats_route(const char *path);
/* The route's label in /metrics ("/api/v1/orders/{no}"). */
const char *http_stats_route_name(enum http_route r);
void http_stats_count(struct http_stats *st, enum http_route r, unsigned status);
/* Appends the series to `text` (malloc'd; taken and reallocated). Returns the new text, or
 * NULL when out of memory (text is freed). */
char *http_stats_render(const struct http_stats *st, char *text);

#endif

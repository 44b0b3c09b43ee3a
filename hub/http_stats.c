/* HTTP request counters: a fixed table of routes by a fixed table of statuses; a status not
 * in the table is counted as "other". */
#include "http_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_STATS_ORDER_PREFIX "/api/v1/orders/"

static const char *const http_stats_routes[HTTP_ROUTE__COUNT] = {
    [HTTP_ROUTE_HEALTHZ] = "/healthz",          [HTTP_ROUTE_METRICS] = "/metrics",
    [HTTP_ROUTE_LOGIN] = "/api/v1/login",       [HTTP_ROUTE_LOGOUT] = "/api/v1/logout",
    [HTTP_ROUTE_REQUESTS] = "/api/v1/requests", [HTTP_ROUTE_ORDERS] = "/api/v1/orders",
    [HTTP_ROUTE_ORDER] = "/api/v1/orders/{no}", [HTTP_ROUTE_OTHER] = "other",
    [HTTP_ROUTE_DEVICES] = "/api/v1/devices",
};

/* The last slot (0) stands for any status not listed. */
static const unsigned http_stats_statuses[HTTP_STATS_STATUSES] = {200, 400, 401, 403, 404, 405, 409,
                                                                  411, 413, 429, 500, 503, 0};

enum http_route http_stats_route(const char *path)
{
    for (int r = 0; r < HTTP_ROUTE_OTHER; r++)
        if (r != HTTP_ROUTE_ORDER && strcmp(path, http_stats_routes[r]) == 0)
            return (enum http_route)r;
    size_t n = strlen(HTTP_STATS_ORDER_PREFIX);
    if (strncmp(path, HTTP_STATS_ORDER_PREFIX, n) == 0 && path[n] && !strchr(path + n, '/'))
        return HTTP_ROUTE_ORDER;
    return HTTP_ROUTE_OTHER;
}

const char *http_stats_route_name(enum http_route r)
{
    return (int)r >= 0 && r < HTTP_ROUTE__COUNT ? http_stats_routes[r] : "other";
}

void http_stats_count(struct http_stats *st, enum http_route r, unsigned status)
{
    if ((int)r < 0 || r >= HTTP_ROUTE__COUNT)
        r = HTTP_ROUTE_OTHER;
    size_t i = 0;
    while (i < HTTP_STATS_STATUSES - 1 && http_stats_statuses[i] != status)
        i++;
    st->requests[r][i]++;
}

char *http_stats_render(const struct http_stats *st, char *text)
{
    if (!text)
        return NULL;
    size_t len = strlen(text);
    /* Only series that happened are listed: most route/status pairs never occur. */
    size_t cap = len + 256 + (size_t)HTTP_ROUTE__COUNT * HTTP_STATS_STATUSES * 96;
    char *out = realloc(text, cap);
    if (!out) {
        free(text);
        return NULL;
    }
    int n = snprintf(out + len, cap - len,
                     "# HELP showfloor_http_requests_total HTTP requests by route and status.\n"
                     "# TYPE showfloor_http_requests_total counter\n");
    len += (size_t)n;
    for (int r = 0; r < HTTP_ROUTE__COUNT; r++) {
        for (int s = 0; s < HTTP_STATS_STATUSES; s++) {
            if (!st->requests[r][s])
                continue;
            char status[16];
            if (http_stats_statuses[s])
                snprintf(status, sizeof status, "%u", http_stats_statuses[s]);
            else
                snprintf(status, sizeof status, "other");
            n = snprintf(out + len, cap - len,
                         "showfloor_http_requests_total{path=\"%s\",status=\"%s\"} %llu\n",
                         http_stats_routes[r], status, (unsigned long long)st->requests[r][s]);
            len += (size_t)n;
        }
    }
    return out;
}

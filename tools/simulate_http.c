/* The simulator's client of the hub's HTTP API: one libcurl handle (one keep-alive
 * connection), device tokens held in memory, one staff session per person, and the retry
 * policy: a request that got no answer is sent again with the same command id, which the hub
 * answers from its command log instead of running it twice. */
#include "simulate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "api_client.h"

#define SIM_HTTP_RESP_MAX  (16 * 1024 * 1024)
#define SIM_HTTP_TIMEOUT_S 30L
#define SIM_HTTP_CONNECT_S 3L
#define SIM_HTTP_BACKOFF0  200  /* ms before the first retry; doubles up to ... */
#define SIM_HTTP_BACKOFF1  2000 /* ... this */

struct sim_http {
    CURL *curl;
    char url[SIM_URL_MAX];
    int64_t retry_ms;
    volatile sig_atomic_t *stop;
};

static int64_t sim_http_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms, waking early when *stop is raised; 0, or -1 when stopped. */
static int sim_http_nap(const struct sim_http *h, int64_t ms)
{
    int64_t end = sim_http_mono_ms() + ms;
    for (;;) {
        if (*h->stop)
            return -1;
        int64_t left = end - sim_http_mono_ms();
        if (left <= 0)
            return 0;
        if (left > 100)
            left = 100;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
}

struct sim_http *sim_http_new(const char *url, int64_t retry_ms, volatile sig_atomic_t *stop,
                              char *err, size_t errsz)
{
    static const struct {
        const char *from, *to;
    } schemes[] = {{"http://", "http://"},
                   {"https://", "https://"},
                   {"ws://", "http://"},
                   {"wss://", "https://"}};
    struct sim_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    h->retry_ms = retry_ms;
    h->stop = stop;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && !h->url[0]; i++) {
        size_t n = strlen(schemes[i].from);
        if (strncmp(url, schemes[i].from, n) != 0 || !url[n])
            continue;
        int w = snprintf(h->url, sizeof h->url, "%s%s", schemes[i].to, url + n);
        if (w < 0 || (size_t)w >= sizeof h->url) {
            snprintf(err, errsz, "the hub URL is too long");
            free(h);
            return NULL;
        }
    }
    if (!h->url[0]) {
        snprintf(err, errsz, "--hub must be a URL like http://127.0.0.1:7420, not '%s'", url);
        free(h);
        return NULL;
    }
    size_t len = strlen(h->url);
    while (len && h->url[len - 1] == '/')
        h->url[--len] = '\0';
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h->curl = curl_easy_init())) {
        snprintf(err, errsz, "libcurl could not start");
        free(h);
        return NULL;
    }
    return h;
}

void sim_http_free(struct sim_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    curl_global_cleanup();
    free(h);
}

const char *sim_http_url(const struct sim_http *h)
{
    return h->url;
}

/* One HTTP exchange. 0 with *status and *json (parsed body, caller frees; NULL when the body
 * is not JSON); -1 when nothing came back (err says why). */
static int sim_http_once(struct sim_http *h, const struct sim_actor *a, const char *method,
                         const char *path, const char *body, long *status, cJSON **json, char *err,
                         size_t errsz)
{
    char url[SIM_URL_MAX + 256], line[PROTO_MAX_TOKEN + SIM_SESSION_LEN + 64];
    char curl_err[CURL_ERROR_SIZE] = "";
    struct api_client_buf b = {.max = SIM_HTTP_RESP_MAX};
    struct curl_slist *hd = NULL, *t;
    int rc = -1;
    *json = NULL;
    snprintf(url, sizeof url, "%s%s", h->url, path);
    if (!(t = curl_slist_append(hd, "Content-Type: application/json")))
        goto oom;
    hd = t;
    if (a && a->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", a->token);
        if (!(t = curl_slist_append(hd, line)))
            goto oom;
        hd = t;
    }
    if (a && a->session[0]) {
        snprintf(line, sizeof line, "X-Showfloor-Session: %s", a->session);
        if (!(t = curl_slist_append(hd, line)))
            goto oom;
        hd = t;
    }
    CURL *e = h->curl;
    api_client_prepare(e, url, hd, "showfloor-simulate/" SHOWFLOOR_VERSION, &b, curl_err,
                       SIM_HTTP_TIMEOUT_S, SIM_HTTP_CONNECT_S, method, body);
    CURLcode cc = curl_easy_perform(e);
    if (cc != CURLE_OK) {
        snprintf(err, errsz, "%s",
                 b.too_big     ? "the answer is too large"
                 : curl_err[0] ? curl_err
                               : curl_easy_strerror(cc));
        goto out;
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    *json = b.s ? cJSON_Parse(b.s) : NULL;
    rc = 0;
    goto out;
oom:
    snprintf(err, errsz, "out of memory");
out:
    curl_slist_free_all(hd);
    free(b.s);
    return rc;
}

/* The error object of an answer ({"error":{...}} or a result frame's), copied into r. */
static void sim_http_error(const cJSON *json, long status, struct sim_reply *r)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(json, "error");
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
    const char *field = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field"));
    snprintf(r->code, sizeof r->code, "%s", code ? code : "internal");
    if (field)
        snprintf(r->message, sizeof r->message, "%s (%s)", msg ? msg : "", field);
    else if (msg)
        snprintf(r->message, sizeof r->message, "%s", msg);
    else
        snprintf(r->message, sizeof r->message, "HTTP %ld without an error object", status);
}

/* Transient: worth the same request again. `unavailable` (store busy, shutting down) and
 * `internal` (nothing was changed) are, the rest are answers. */
static bool sim_http_transient(const char *code)
{
    return strcmp(code, "unavailable") == 0 || strcmp(code, "internal") == 0;
}

/* Sends method/path/body until an answer that is not transient, or the retry window ends.
 * SIM_OK with *status and *json (caller frees), SIM_UNREACHABLE or SIM_STOPPED with r set. */
static enum sim_rc sim_http_exchange(struct sim_http *h, const struct sim_actor *a,
                                     const char *method, const char *path, const char *body,
                                     long *status, cJSON **json, struct sim_reply *r)
{
    int64_t give_up = sim_http_mono_ms() + h->retry_ms, backoff = SIM_HTTP_BACKOFF0;
    char why[512];
    for (;;) {
        if (sim_http_once(h, a, method, path, body, status, json, why, sizeof why) == 0) {
            if (*json && *status < 500)
                return SIM_OK;
            if (!*json) {
                snprintf(why, sizeof why, "HTTP %ld with a body that is not JSON", *status);
            } else {
                sim_http_error(*json, *status, r);
                if (!sim_http_transient(r->code))
                    return SIM_OK;
                snprintf(why, sizeof why, "%.64s: %.400s", r->code, r->message);
            }
            cJSON_Delete(*json);
            *json = NULL;
        }
        if (sim_http_mono_ms() + backoff > give_up) {
            snprintf(r->code, sizeof r->code, "unreachable");
            snprintf(r->message, sizeof r->message, "%s", why);
            return SIM_UNREACHABLE;
        }
        if (sim_http_nap(h, backoff) != 0) {
            snprintf(r->code, sizeof r->code, "stopped");
            snprintf(r->message, sizeof r->message, "stopped while retrying");
            return SIM_STOPPED;
        }
        backoff = backoff * 2 > SIM_HTTP_BACKOFF1 ? SIM_HTTP_BACKOFF1 : backoff * 2;
    }
}

enum sim_rc sim_http_health(struct sim_http *h, char *err, size_t errsz)
{
    long status = 0;
    cJSON *json = NULL;
    if (sim_http_once(h, NULL, "GET", "/healthz", NULL, &status, &json, err, errsz) != 0)
        return SIM_UNREACHABLE;
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "status"));
    bool ok = status == 200 && st && strcmp(st, "ok") == 0;
    if (!ok)
        snprintf(err, errsz, "GET /healthz answered HTTP %ld%s", status,
                 json ? "" : " without JSON (is this a showfloor hub?)");
    cJSON_Delete(json);
    return ok ? SIM_OK : SIM_UNREACHABLE;
}

enum sim_rc sim_http_login(struct sim_http *h, struct sim_actor *a, struct sim_reply *r)
{
    memset(r, 0, sizeof *r);
    a->session[0] = '\0';
    cJSON *body = cJSON_CreateObject();
    char *text = NULL;
    if (!body || !cJSON_AddStringToObject(body, "staff_no", a->staff_no) ||
        !cJSON_AddStringToObject(body, "pin", a->pin) || !(text = cJSON_PrintUnformatted(body))) {
        cJSON_Delete(body);
        snprintf(r->message, sizeof r->message, "out of memory");
        return SIM_FAILED;
    }
    cJSON_Delete(body);
    long status = 0;
    cJSON *json = NULL;
    enum sim_rc rc = sim_http_exchange(h, a, "POST", "/api/v1/login", text, &status, &json, r);
    free(text);
    if (rc != SIM_OK)
        return rc;
    const char *session = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "session"));
    const cJSON *staff = cJSON_GetObjectItemCaseSensitive(json, "staff");
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(staff, "name"));
    const char *role = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(staff, "role"));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(staff, "id");
    if (status != 200 || !session || strlen(session) > SIM_SESSION_LEN || !name ||
        !cJSON_IsNumber(id)) {
        if (status == 200)
            snprintf(r->message, sizeof r->message, "the login answer has no session");
        else
            sim_http_error(json, status, r);
        cJSON_Delete(json);
        return status == 200 ? SIM_FAILED : SIM_REFUSED;
    }
    if (a->role && (!role || strcmp(role, a->role) != 0)) {
        snprintf(r->code, sizeof r->code, "forbidden");
        snprintf(r->message, sizeof r->message, "%s is a %s, the simulator needs a %s", a->staff_no,
                 role ? role : "?", a->role);
        cJSON_Delete(json);
        return SIM_REFUSED;
    }
    snprintf(a->session, sizeof a->session, "%s", session);
    snprintf(a->name, sizeof a->name, "%s", name);
    a->staff_id = (int64_t)id->valuedouble;
    cJSON_Delete(json);
    return SIM_OK;
}

/* An answer that says the staff session is gone: log in again and resend. */
static bool sim_http_session_lost(const struct sim_actor *a, const struct sim_reply *r)
{
    return a->staff_no && (strcmp(r->code, "session_expired") == 0 ||
                           strcmp(r->code, "staff_login_required") == 0);
}

enum sim_rc sim_http_request(struct sim_http *h, struct sim_actor *a, const char *type,
                             const char *id, const cJSON *args, struct sim_reply *r)
{
    memset(r, 0, sizeof *r);
    cJSON *req = cJSON_CreateObject();
    cJSON *dup = args ? cJSON_Duplicate(args, 1) : cJSON_CreateObject();
    char *text = NULL;
    if (req && dup && cJSON_AddItemToObject(req, "args", dup))
        dup = NULL; /* req owns it now */
    if (!req || dup || !cJSON_AddStringToObject(req, "type", type) ||
        !cJSON_AddStringToObject(req, "id", id) || !(text = cJSON_PrintUnformatted(req))) {
        cJSON_Delete(dup);
        cJSON_Delete(req);
        snprintf(r->message, sizeof r->message, "out of memory");
        return SIM_FAILED;
    }
    cJSON_Delete(req);
    enum sim_rc rc;
    for (int attempt = 0;; attempt++) {
        long status = 0;
        cJSON *json = NULL;
        rc = sim_http_exchange(h, a, "POST", "/api/v1/requests", text, &status, &json, r);
        if (rc != SIM_OK)
            break;
        const cJSON *ok = cJSON_GetObjectItemCaseSensitive(json, "ok");
        if (cJSON_IsTrue(ok)) {
            r->data = cJSON_DetachItemFromObjectCaseSensitive(json, "data");
            cJSON_Delete(json);
            rc = r->data ? SIM_OK : SIM_FAILED;
            if (!r->data)
                snprintf(r->message, sizeof r->message, "a result without data");
            break;
        }
        sim_http_error(json, status, r);
        cJSON_Delete(json);
        rc = SIM_REFUSED;
        /* the hub restarted (sessions live in its memory) or the login lapsed */
        if (attempt > 0 || !sim_http_session_lost(a, r))
            break;
        struct sim_reply lr;
        enum sim_rc lrc = sim_http_login(h, a, &lr);
        if (lrc != SIM_OK) {
            *r = lr;
            rc = lrc;
            break;
        }
    }
    free(text);
    return rc;
}

enum sim_rc sim_http_orders(struct sim_http *h, struct sim_actor *a, const char *query,
                            struct sim_reply *r)
{
    memset(r, 0, sizeof *r);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/orders?%s", query);
    long status = 0;
    cJSON *json = NULL;
    enum sim_rc rc = sim_http_exchange(h, a, "GET", path, NULL, &status, &json, r);
    if (rc != SIM_OK)
        return rc;
    if (status != 200) {
        sim_http_error(json, status, r);
        cJSON_Delete(json);
        return SIM_REFUSED;
    }
    r->data = json;
    return SIM_OK;
}

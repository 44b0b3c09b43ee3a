/* libcurl client of the hub's HTTP API for the admin CLI: one easy handle reused for the
 * login, the request and the logout, so the three share one keep-alive connection. */
#include "api_client.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sodium.h>

#include "proto.h"

#define API_CLIENT_URL_MAX     512
#define API_CLIENT_TOKEN_MAX   PROTO_MAX_TOKEN
#define API_CLIENT_RESP_MAX    (64 * 1024 * 1024) /* an answer larger than this is refused */
#define API_CLIENT_TIMEOUT_S   30L
#define API_CLIENT_CONNECT_S   5L
#define API_CLIENT_SESSION_MAX 128

struct api_client {
    CURL *curl;
    char url[API_CLIENT_URL_MAX];
    char token[API_CLIENT_TOKEN_MAX + 1];
    char session[API_CLIENT_SESSION_MAX + 1];
    const char *staff;
    const char *pin;
};

static const char *api_client_pick(const char *flag, const char *env, const char *dflt)
{
    if (flag)
        return flag;
    const char *e = getenv(env);
    return e && *e ? e : dflt;
}

/* ws:// and wss:// (as the hub logs its address) become http:// and https://. */
static int api_client_set_url(struct api_client *c, const char *hub, char *err, size_t errsz)
{
    static const struct {
        const char *from, *to;
    } schemes[] = {{"http://", "http://"},
                   {"https://", "https://"},
                   {"ws://", "http://"},
                   {"wss://", "https://"}};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].from);
        if (strncmp(hub, schemes[i].from, n) != 0 || !hub[n])
            continue;
        int w = snprintf(c->url, sizeof c->url, "%s%s", schemes[i].to, hub + n);
        if (w < 0 || (size_t)w >= sizeof c->url) {
            snprintf(err, errsz, "the hub URL is too long");
            return -1;
        }
        size_t len = strlen(c->url);
        while (len && c->url[len - 1] == '/')
            c->url[--len] = '\0';
        return 0;
    }
    snprintf(err, errsz,
             "--hub (or SHOWFLOOR_HUB_URL) must be a URL like http://127.0.0.1:7420, not '%s'",
             hub);
    return -1;
}

static int api_client_read_token(struct api_client *c, const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "cannot read the token file '%s'", path);
        return -1;
    }
    char buf[API_CLIENT_TOKEN_MAX + 64];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *s = buf;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        s[--len] = '\0';
    if (!len || len > API_CLIENT_TOKEN_MAX) {
        snprintf(err, errsz, "the token file '%s' does not hold a device token", path);
        sodium_memzero(buf, sizeof buf);
        return -1;
    }
    memcpy(c->token, s, len + 1);
    sodium_memzero(buf, sizeof buf);
    return 0;
}

enum api_client_rc api_client_open(struct api_client **out, const struct api_client_opts *o,
                                   char *err, size_t errsz)
{
    *out = NULL;
    const char *hub = api_client_pick(o->hub, "SHOWFLOOR_HUB_URL", API_CLIENT_DEFAULT_HUB);
    const char *token_file = api_client_pick(o->token_file, "SHOWFLOOR_TOKEN_FILE", NULL);
    struct api_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errsz, "out of memory");
        return API_CLIENT_FAILED;
    }
    c->staff = api_client_pick(o->staff, "SHOWFLOOR_STAFF", NULL);
    c->pin = api_client_pick(o->pin, "SHOWFLOOR_PIN", NULL);
    enum api_client_rc rc = API_CLIENT_USAGE;
    if (api_client_set_url(c, hub, err, errsz) != 0)
        goto fail;
    if (!token_file) {
        snprintf(err, errsz,
                 "give the API device's token file with --token-file (or "
                 "SHOWFLOOR_TOKEN_FILE); `showfloor device add --mode api` makes one");
        goto fail;
    }
    if (!c->staff || !c->pin) {
        snprintf(err, errsz,
                 "give the staff number and PIN with --staff and --pin (or "
                 "SHOWFLOOR_STAFF and SHOWFLOOR_PIN)");
        goto fail;
    }
    rc = API_CLIENT_FAILED;
    if (api_client_read_token(c, token_file, err, errsz) != 0)
        goto fail;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c->curl = curl_easy_init())) {
        snprintf(err, errsz, "libcurl could not start");
        goto fail;
    }
    *out = c;
    return API_CLIENT_OK;
fail:
    api_client_close(c);
    return rc;
}

void api_client_close(struct api_client *c)
{
    if (!c)
        return;
    if (c->curl) {
        curl_easy_cleanup(c->curl);
        curl_global_cleanup();
    }
    sodium_memzero(c->token, sizeof c->token);
    sodium_memzero(c->session, sizeof c->session);
    free(c);
}

const char *api_client_url(const struct api_client *c)
{
    return c->url;
}

void api_client_prepare(CURL *e, const char *url, struct curl_slist *headers, const char *agent,
                        struct api_client_buf *b, char *curl_err, long timeout_s, long connect_s,
                        const char *method, const char *body)
{
    curl_easy_reset(e);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, agent);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, api_client_collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, connect_s);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    } else {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
}

size_t api_client_collect(char *ptr, size_t size, size_t nmemb, void *user)
{
    struct api_client_buf *b = user;
    size_t n = size * nmemb;
    if (b->len + n > b->max) {
        b->too_big = 1;
        return 0;
    }
    char *s = realloc(b->s, b->len + n + 1);
    if (!s)
        return 0;
    memcpy(s + b->len, ptr, n);
    b->s = s;
    b->len += n;
    b->s[b->len] = '\0';
    return n;
}

/* curl_slist_append leaves the list as it was when it fails. */
static int api_client_header(struct curl_slist **h, const char *line)
{
    struct curl_slist *t = curl_slist_append(*h, line);
    if (!t)
        return -1;
    *h = t;
    return 0;
}

enum api_client_rc api_client_call(struct api_client *c, const char *method, const char *path,
                                   const char *body, long *status, char **resp, char *err,
                                   size_t errsz)
{
    char url[API_CLIENT_URL_MAX + 1024];
    char auth[API_CLIENT_TOKEN_MAX + 32];
    char sess[API_CLIENT_SESSION_MAX + 32];
    char curl_err[CURL_ERROR_SIZE] = "";
    struct api_client_buf b = {.max = API_CLIENT_RESP_MAX};
    struct curl_slist *h = NULL;
    sess[0] = '\0';
    enum api_client_rc rc = API_CLIENT_FAILED;
    *resp = NULL;
    *status = 0;
    if (snprintf(url, sizeof url, "%s%s", c->url, path) >= (int)sizeof url) {
        snprintf(err, errsz, "the request URL is too long");
        return API_CLIENT_USAGE;
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
    if (c->session[0])
        snprintf(sess, sizeof sess, "X-Showfloor-Session: %s", c->session);
    if (api_client_header(&h, auth) || api_client_header(&h, "Content-Type: application/json") ||
        (c->session[0] && api_client_header(&h, sess))) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    CURL *e = c->curl;
    api_client_prepare(e, url, h, "showfloor-cli/" SHOWFLOOR_VERSION, &b, curl_err,
                       API_CLIENT_TIMEOUT_S, API_CLIENT_CONNECT_S, method, body);
    CURLcode cc = curl_easy_perform(e);
    if (cc != CURLE_OK) {
        if (b.too_big) {
            snprintf(err, errsz, "the hub's answer is larger than %d bytes", API_CLIENT_RESP_MAX);
        } else {
            snprintf(err, errsz, "cannot reach the hub at %s: %s", c->url,
                     curl_err[0] ? curl_err : curl_easy_strerror(cc));
            rc = API_CLIENT_UNREACHABLE;
        }
        goto out;
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    *resp = b.s ? b.s : strdup("");
    b.s = NULL;
    rc = *resp ? API_CLIENT_OK : API_CLIENT_FAILED;
out:
    sodium_memzero(auth, sizeof auth);
    sodium_memzero(sess, sizeof sess);
    curl_slist_free_all(h);
    free(b.s);
    return rc;
}

enum api_client_rc api_client_login(struct api_client *c, long *status, char **resp, char *err,
                                    size_t errsz)
{
    cJSON *o = cJSON_CreateObject();
    char *body = NULL;
    enum api_client_rc rc = API_CLIENT_FAILED;
    *resp = NULL;
    if (!o || !cJSON_AddStringToObject(o, "staff_no", c->staff) ||
        !cJSON_AddStringToObject(o, "pin", c->pin) || !(body = cJSON_PrintUnformatted(o))) {
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    rc = api_client_call(c, "POST", "/api/v1/login", body, status, resp, err, errsz);
    if (rc != API_CLIENT_OK)
        goto out;
    rc = API_CLIENT_FAILED;
    cJSON *r = cJSON_Parse(*resp);
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "session"));
    if (*status == 200 && s && strlen(s) <= API_CLIENT_SESSION_MAX) {
        snprintf(c->session, sizeof c->session, "%s", s);
        free(*resp);
        *resp = NULL;
        rc = API_CLIENT_OK;
    } else if (*status == 200) {
        snprintf(err, errsz, "the hub's login answer has no session");
    }
    cJSON_Delete(r);
out:
    if (body)
        sodium_memzero(body, strlen(body));
    cJSON_free(body);
    cJSON_Delete(o);
    return rc;
}

void api_client_logout(struct api_client *c)
{
    if (!c->session[0])
        return;
    long status;
    char *resp = NULL, err[256];
    if (api_client_call(c, "POST", "/api/v1/logout", "{}", &status, &resp, err, sizeof err) ==
        API_CLIENT_OK)
        sodium_memzero(c->session, sizeof c->session);
    free(resp);
}

int api_client_escape(struct api_client *c, const char *value, char *out, size_t outsz)
{
    char *e = curl_easy_escape(c->curl, value, 0);
    if (!e)
        return -1;
    size_t have = strlen(out), n = strlen(e);
    int rc = -1;
    if (have + n < outsz) {
        memcpy(out + have, e, n + 1);
        rc = 0;
    }
    curl_free(e);
    return rc;
}

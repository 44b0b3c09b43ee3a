/* The admin CLI's client of the hub's HTTP API (libcurl): where the hub is, the device token
 * from a file, a staff login for the duration of one CLI command, and JSON requests. The CLI
 * talks to a running hub this way for everything that needs the hub's rules (orders), where
 * setup commands write the database directly. */
#ifndef SHOWFLOOR_API_CLIENT_H
#define SHOWFLOOR_API_CLIENT_H

#include <stddef.h>

#include <curl/curl.h>

/* Exit status when the hub cannot be reached (README.md: 0 ok, 1 failure, 2 usage). */
#define API_CLIENT_EXIT_UNREACHABLE 3
#define API_CLIENT_DEFAULT_HUB      "http://127.0.0.1:7420"

/* Global options of `showfloor` for commands that go through the hub; NULL = not given
 * (the environment, then the default, fills it in). Borrowed from argv. */
struct api_client_opts {
    const char *hub;        /* --hub URL | SHOWFLOOR_HUB_URL */
    const char *token_file; /* --token-file F | SHOWFLOOR_TOKEN_FILE */
    const char *staff;      /* --staff S | SHOWFLOOR_STAFF */
    const char *pin;        /* --pin P | SHOWFLOOR_PIN */
};

struct api_client;

enum api_client_rc {
    API_CLIENT_OK = 0,
    API_CLIENT_USAGE = -2,       /* bad options: message in err */
    API_CLIENT_UNREACHABLE = -3, /* transport failure: message in err names the URL */
    API_CLIENT_FAILED = -1,      /* anything else (out of memory, unreadable token file) */
};

/* Resolves the options (flags, then environment, then defaults), reads the token file and
 * prepares libcurl. The hub URL may be http(s):// or the ws(s):// the hub logs. */
enum api_client_rc api_client_open(struct api_client **out, const struct api_client_opts *o,
                                   char *err, size_t errsz);
void api_client_close(struct api_client *c);
/* The hub's base URL ("http://127.0.0.1:7420"). */
const char *api_client_url(const struct api_client *c);

/* A libcurl write callback (CURLOPT_WRITEDATA: a struct api_client_buf) collecting a response
 * body of at most `max` bytes as a NUL-terminated heap string; past that it sets too_big and
 * stops the transfer. */
struct api_client_buf {
    char *s; /* caller frees */
    size_t len;
    size_t max;
    int too_big;
};
size_t api_client_collect(char *ptr, size_t size, size_t nmemb, void *user);

/* Resets `e` for one request to the hub: url, headers, user agent, the response into `b`,
 * curl's error text into curl_err (CURL_ERROR_SIZE), the two time limits in seconds, http(s)
 * only, no signals; method "POST" sends body (NULL = empty), anything else is a GET. */
void api_client_prepare(CURL *e, const char *url, struct curl_slist *headers, const char *agent,
                        struct api_client_buf *b, char *curl_err, long timeout_s, long connect_s,
                        const char *method, const char *body);

/* One HTTP request: method "GET" or "POST", path from the root ("/api/v1/login"), a JSON
 * body for POST (NULL = none). Sends the device token and, after api_client_login, the
 * session. *status and *resp (the response body, malloc'd, caller frees) on API_CLIENT_OK. */
enum api_client_rc api_client_call(struct api_client *c, const char *method, const char *path,
                                   const char *body, long *status, char **resp, char *err,
                                   size_t errsz);
/* Logs the staff member in (POST /api/v1/login) and keeps the session for later calls.
 * API_CLIENT_OK; API_CLIENT_FAILED with *status and *resp (the hub's error; caller frees)
 * when the hub refused; else the transport's error. */
enum api_client_rc api_client_login(struct api_client *c, long *status, char **resp, char *err,
                                    size_t errsz);
/* Ends the session (POST /api/v1/logout); failures are ignored: it lapses anyway. */
void api_client_logout(struct api_client *c);
/* Appends `value` URL-escaped to a query being built; returns 0 or -1 when out of room. */
int api_client_escape(struct api_client *c, const char *value, char *out, size_t outsz);

#endif

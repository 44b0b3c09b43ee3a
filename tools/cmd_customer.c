/* `showfloor customer export|erase`: a customer's personal data on request (PROTOCOL.md
 * "Personal data"). Like the order verbs (cmd_api.c) it logs a staff member in on an `api`
 * device and sends one protocol request, so the hub applies its role rules, records the
 * export in the access log and audits the erasure; the CLI never reads the database here. */
#include "cmd_customer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "proto.h"

#define CMD_CUSTOMER_EXIT_OK    0
#define CMD_CUSTOMER_EXIT_FAIL  1
#define CMD_CUSTOMER_EXIT_USAGE 2

struct cmd_customer_call {
    const char *verb;
    enum proto_type type;
    const char *phone, *id, *out, *reason;
    bool yes, json;
};

static const char cmd_customer_usage_text[] =
    "  customer export PHONE|--id N [--out FILE]   everything the hub holds about one\n"
    "                 customer, as JSON (FILE is written mode 0600); the read is logged\n"
    "  customer erase PHONE|--id N --reason TEXT [--yes] [--json]   erases the customer's\n"
    "                 personal data for good (asks first on a terminal; --yes otherwise)\n";

int cmd_customer_is_remote(const char *verb)
{
    (void)verb;
    return 1;
}

void cmd_customer_usage(FILE *f)
{
    fputs(cmd_customer_usage_text, f);
}

int cmd_customer_direct(struct cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    (void)argv;
    fprintf(stderr,
            "usage: showfloor [--hub URL --token-file F --staff S --pin P] customer "
            "VERB ...\n%s",
            cmd_customer_usage_text);
    return CLI_USAGE;
}

static int cmd_customer_bad(const char *verb, const char *msg, const char *what)
{
    fprintf(stderr, "showfloor customer %s: %s%s\n", verb, msg, what ? what : "");
    return CMD_CUSTOMER_EXIT_USAGE;
}

/* Reads argv (argv[0] is the verb) into *call. 0, or the usage exit status after a message. */
static int cmd_customer_parse(struct cmd_customer_call *call, int argc, char **argv)
{
    const char *v = call->verb;
    bool erase = call->type == PROTO_T_CUSTOMER_ERASE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strncmp(a, "--", 2) != 0) {
            if (call->phone)
                return cmd_customer_bad(v, "unexpected word ", a);
            call->phone = a;
            continue;
        }
        a += 2;
        if (strcmp(a, "id") == 0)
            slot = &call->id;
        else if (strcmp(a, "out") == 0 && !erase)
            slot = &call->out;
        else if (strcmp(a, "reason") == 0 && erase)
            slot = &call->reason;
        else if (strcmp(a, "yes") == 0 && erase)
            call->yes = true;
        else if (strcmp(a, "json") == 0 && erase)
            call->json = true;
        else
            return cmd_customer_bad(v, "unknown option ", argv[i]);
        if (!slot)
            continue;
        if (*slot)
            return cmd_customer_bad(v, "given twice: ", argv[i]);
        if (i + 1 >= argc)
            return cmd_customer_bad(v, "needs a value: ", argv[i]);
        *slot = argv[++i];
    }
    if (!call->phone == !call->id)
        return cmd_customer_bad(v, "name the customer by PHONE or by --id N (one of them)", NULL);
    if (erase && !call->reason)
        return cmd_customer_bad(v, "--reason TEXT is required: the audit trail keeps it", NULL);
    return 0;
}

/* The request's args, checked with the protocol's own rules (a usage error names the
 * option). NULL after a message. */
static cJSON *cmd_customer_args(const struct cmd_customer_call *call)
{
    cJSON *args = cJSON_CreateObject();
    if (!args)
        return NULL;
    if (call->id) {
        char *end;
        errno = 0;
        long long n = strtoll(call->id, &end, 10);
        if (errno || end == call->id || *end || n < 1) {
            cmd_customer_bad(call->verb, "--id needs a customer number, not ", call->id);
            cJSON_Delete(args);
            return NULL;
        }
        cJSON_AddNumberToObject(args, "customer_id", (double)n);
    } else {
        cJSON_AddStringToObject(args, "phone", call->phone);
    }
    if (call->reason)
        cJSON_AddStringToObject(args, "reason", call->reason);
    struct proto_error err;
    if (proto_validate_args(call->type, args, &err) != 0) {
        const char *flag = strcmp(err.field, "customer_id") == 0 ? "--id"
                           : strcmp(err.field, "reason") == 0    ? "--reason"
                                                                 : "PHONE";
        fprintf(stderr, "showfloor customer %s: %s: %s (%s)\n", call->verb, flag, err.message,
                proto_error_code(err.code));
        cJSON_Delete(args);
        return NULL;
    }
    return args;
}

/* Erasing cannot be undone: a person at a terminal confirms; a script says --yes. */
static int cmd_customer_confirm(const struct cmd_customer_call *call)
{
    if (call->yes)
        return 0;
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr,
                "showfloor customer erase: not a terminal, so nobody can confirm; add --yes "
                "to erase without asking\n");
        return CMD_CUSTOMER_EXIT_USAGE;
    }
    fprintf(stderr,
            "Erase the personal data of customer %s%s for good? It cannot be undone, and\n"
            "backups become unreadable for this customer. Type yes to erase: ",
            call->id ? "id " : "", call->id ? call->id : call->phone);
    fflush(stderr);
    char line[16];
    if (!fgets(line, sizeof line, stdin) || strcmp(line, "yes\n") != 0) {
        fprintf(stderr, "showfloor customer erase: not confirmed; nothing erased\n");
        return CMD_CUSTOMER_EXIT_FAIL;
    }
    return 0;
}

static int cmd_customer_transport(enum api_client_rc rc, const char *err)
{
    fprintf(stderr, "showfloor: %s\n", err);
    if (rc == API_CLIENT_UNREACHABLE)
        return API_CLIENT_EXIT_UNREACHABLE;
    return rc == API_CLIENT_USAGE ? CMD_CUSTOMER_EXIT_USAGE : CMD_CUSTOMER_EXIT_FAIL;
}

/* Prints the hub's refusal ("showfloor customer erase: invalid_state: ...") and returns 1. */
static int cmd_customer_refused(const char *verb, long status, const char *resp)
{
    cJSON *r = cJSON_Parse(resp ? resp : "");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
    if (code)
        fprintf(stderr, "showfloor customer %s: %s: %s\n", verb, code, msg ? msg : "");
    else
        fprintf(stderr, "showfloor customer %s: the hub answered HTTP %ld\n", verb, status);
    cJSON_Delete(r);
    return CMD_CUSTOMER_EXIT_FAIL;
}

/* Writes text to path, readable by its owner only: it is a person's personal data. */
static int cmd_customer_write(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        fprintf(stderr, "showfloor customer export: cannot write '%s': %s\n", path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return CMD_CUSTOMER_EXIT_FAIL;
    }
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    if (done < len || write(fd, "\n", 1) != 1 || close(fd) != 0) {
        fprintf(stderr, "showfloor customer export: writing '%s' failed: %s\n", path,
                strerror(errno));
        return CMD_CUSTOMER_EXIT_FAIL;
    }
    return CMD_CUSTOMER_EXIT_OK;
}

/* Shows a successful answer: the export as pretty JSON (stdout or --out), the erasure as a
 * line (or its JSON with --json). */
static int cmd_customer_show(const struct cmd_customer_call *call, const cJSON *data)
{
    if (call->type == PROTO_T_CUSTOMER_ERASE && !call->json) {
        printf(
            "erased customer %lld (%lld stored copies scrubbed)\n",
            (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(data, "customer_id")),
            (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(data, "scrubbed")));
        return CMD_CUSTOMER_EXIT_OK;
    }
    char *text = cJSON_Print(data);
    if (!text) {
        fprintf(stderr, "showfloor customer %s: out of memory\n", call->verb);
        return CMD_CUSTOMER_EXIT_FAIL;
    }
    int rc = CMD_CUSTOMER_EXIT_OK;
    if (call->out)
        rc = cmd_customer_write(call->out, text);
    else
        printf("%s\n", text);
    cJSON_free(text);
    return rc;
}

/* Logs in, sends the request, shows the answer, logs out. */
static int cmd_customer_send(const struct api_client_opts *o, const struct cmd_customer_call *call,
                             const cJSON *args)
{
    char err[512], id[40];
    unsigned char raw[8];
    char hex[sizeof raw * 2 + 1];
    randombytes_buf(raw, sizeof raw); /* a fresh command id: the erase is a command */
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(id, sizeof id, "cli-%s", hex);
    char *body = proto_encode_request(id, call->type, args);
    if (!body) {
        fprintf(stderr, "showfloor customer %s: the request could not be encoded\n", call->verb);
        return CMD_CUSTOMER_EXIT_FAIL;
    }
    struct api_client *c = NULL;
    enum api_client_rc crc = api_client_open(&c, o, err, sizeof err);
    if (crc != API_CLIENT_OK) {
        free(body);
        return cmd_customer_transport(crc, err);
    }
    long status = 0;
    char *resp = NULL;
    int rc;
    crc = api_client_login(c, &status, &resp, err, sizeof err);
    if (crc == API_CLIENT_OK) {
        crc = api_client_call(c, "POST", "/api/v1/requests", body, &status, &resp, err, sizeof err);
        if (crc != API_CLIENT_OK) {
            rc = cmd_customer_transport(crc, err);
        } else if (status != 200) {
            rc = cmd_customer_refused(call->verb, status, resp);
        } else {
            cJSON *r = cJSON_Parse(resp);
            const cJSON *data = cJSON_GetObjectItemCaseSensitive(r, "data");
            rc = cJSON_IsObject(data) ? cmd_customer_show(call, data)
                                      : cmd_customer_refused(call->verb, status, resp);
            cJSON_Delete(r);
        }
        api_client_logout(c);
    } else if (resp) {
        rc = cmd_customer_refused(call->verb, status, resp);
    } else {
        rc = cmd_customer_transport(crc, err);
    }
    if (resp)
        sodium_memzero(resp, strlen(resp)); /* an export holds personal data */
    free(resp);
    free(body);
    api_client_close(c);
    return rc;
}

int cmd_customer(const struct api_client_opts *o, int argc, char **argv)
{
    struct cmd_customer_call call = {.verb = argc > 0 ? argv[0] : ""};
    if (strcmp(call.verb, "export") == 0) {
        call.type = PROTO_T_CUSTOMER_EXPORT;
    } else if (strcmp(call.verb, "erase") == 0) {
        call.type = PROTO_T_CUSTOMER_ERASE;
    } else {
        fprintf(stderr, "showfloor customer: unknown verb '%s'; the verbs are:\n%s", call.verb,
                cmd_customer_usage_text);
        return CMD_CUSTOMER_EXIT_USAGE;
    }
    int rc = cmd_customer_parse(&call, argc, argv);
    if (rc)
        return rc;
    cJSON *args = cmd_customer_args(&call);
    if (!args)
        return CMD_CUSTOMER_EXIT_USAGE;
    if (sodium_init() < 0) {
        fprintf(stderr, "showfloor: libsodium could not start\n");
        rc = CMD_CUSTOMER_EXIT_FAIL;
    } else if (call.type == PROTO_T_CUSTOMER_ERASE) {
        rc = cmd_customer_confirm(&call);
    }
    if (rc == 0)
        rc = cmd_customer_send(o, &call, args);
    cJSON_Delete(args);
    return rc;
}

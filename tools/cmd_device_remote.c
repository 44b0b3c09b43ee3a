/* `showfloor device identify | reload | restart | screenshot`: remote commands to one kiosk.
 * The CLI cannot reach a kiosk itself: it queues the command in the database (with its audit
 * record), a running hub sees the commit within about 200 ms and sends `control` to the
 * kiosk, and the kiosk's answer lands in the same row, which the CLI polls (hub/FLEET.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cmd_device.h"
#include "cmd_direct.h"

/* The exit status README.md gives "hub unreachable": nothing took the command off the queue. */
#define REMOTE_EXIT_NO_HUB 3
#define REMOTE_POLL_MS     200
#define REMOTE_WAIT_S      15 /* default for identify, reload, restart */
#define REMOTE_SHOT_WAIT_S 30 /* a screenshot travels in parts */
#define REMOTE_WAIT_MAX_S  600

/* Where a screenshot goes: written to `tmp` next to `path`, renamed over it when complete,
 * so a reader never sees half a PNG. */
struct shot_file {
    const char *path;
    char tmp[4096];
    int fd;
};

static int shot_open(struct shot_file *f, const char *path)
{
    f->path = path;
    f->fd = -1;
    int n = snprintf(f->tmp, sizeof f->tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof f->tmp) {
        fprintf(stderr, "showfloor device screenshot: -o path is too long\n");
        return -1;
    }
    /* Opened before the command is queued: an unwritable path fails before the kiosk works. */
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (f->fd < 0) {
        fprintf(stderr, "showfloor device screenshot: cannot write %s: %s\n", f->tmp,
                strerror(errno));
        return -1;
    }
    return 0;
}

static void shot_abandon(struct shot_file *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        unlink(f->tmp);
        f->fd = -1;
    }
}

static int shot_commit(struct shot_file *f, const unsigned char *png, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(f->fd, png + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            goto fail;
        off += (size_t)w;
    }
    /* 0644 whatever the umask: a screenshot is meant to be looked at and shared. */
    if (fchmod(f->fd, 0644) != 0 || fsync(f->fd) != 0)
        goto fail;
    int rc = close(f->fd);
    f->fd = -1;
    if (rc != 0 || rename(f->tmp, f->path) != 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "showfloor device screenshot: cannot write %s: %s\n", f->path, strerror(errno));
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    unlink(f->tmp);
    return -1;
}

/* Width and height from the PNG's IHDR chunk; 0 x 0 if it has none. */
static void png_size(const unsigned char *png, size_t len, unsigned *w, unsigned *h)
{
    *w = *h = 0;
    if (len < 24 || memcmp(png + 12, "IHDR", 4) != 0)
        return;
    *w = (unsigned)png[16] << 24 | (unsigned)png[17] << 16 | (unsigned)png[18] << 8 | png[19];
    *h = (unsigned)png[20] << 24 | (unsigned)png[21] << 16 | (unsigned)png[22] << 8 | png[23];
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Queues the command with its audit record, in one transaction. 0, or an exit code. */
static int remote_queue(struct cli *c, const char *cmd, const struct store_site *site,
                        const struct store_device *d, const char *action, int64_t *id)
{
    struct proto_error err;
    if (store_begin(c->store, &err) != 0 ||
        store_device_commands_add(c->store, d->id, action, CMD_AUDIT_ACTOR, c->now, id, &err) !=
            0) {
        store_rollback(c->store);
        return cli_fail(cmd, &err);
    }
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)*id);
    if (cmd_audit_kv(c, site->id, "device", d->name, "device_command",
                     (const char *const[]){"name", d->name, "action", action, "command_id", id_text,
                                           NULL}) != 0) {
        store_rollback(c->store);
        return CLI_FAIL;
    }
    if (store_commit(c->store, &err) != 0) {
        store_rollback(c->store);
        return cli_fail(cmd, &err);
    }
    return 0;
}

/* Gives up on a command nobody finished, so a hub started later does not run it by surprise
 * (a restart an hour after it was asked for). 1 when this marked it failed; 0 when it had
 * finished meanwhile (*out gets how); -1 with *err. */
static int remote_abandon(struct cli *c, int64_t id, int64_t now, const char *detail,
                          struct store_device_command *out, struct proto_error *err)
{
    if (store_begin(c->store, err) != 0)
        return -1;
    if (store_device_commands_finish(c->store, id, false, detail, NULL, 0, now, err) == 0 &&
        store_commit(c->store, err) == 0)
        return 1;
    store_rollback(c->store);
    if (err->code != PROTO_E_INVALID_STATE)
        return -1;
    return store_device_commands_get(c->store, id, out, err);
}

/* Polls the command until it finished or `wait_s` passed. 0 with *out finished; an exit code
 * (message printed) otherwise. */
static int remote_wait(struct cli *c, const char *cmd, int64_t id, int64_t wait_s,
                       struct store_device_command *out)
{
    struct proto_error err;
    int64_t start = clock_mono_ms();
    for (;;) {
        if (store_device_commands_get(c->store, id, out, &err) != 0)
            return cli_fail(cmd, &err);
        if (out->state == STORE_CMD_DONE || out->state == STORE_CMD_FAILED)
            return 0;
        int64_t elapsed = clock_mono_ms() - start;
        if (elapsed >= wait_s * 1000)
            break;
        sleep_ms(REMOTE_POLL_MS);
    }
    bool delivered = out->state == STORE_CMD_SENT;
    char detail[200];
    snprintf(detail, sizeof detail, "%s within %lld s; the CLI gave up",
             delivered ? "the kiosk did not answer" : "the hub did not deliver the command",
             (long long)wait_s);
    int64_t now = c->now + (clock_mono_ms() - start);
    int abandoned = remote_abandon(c, id, now, detail, out, &err);
    if (abandoned < 0)
        return cli_fail(cmd, &err);
    if (abandoned == 0)
        return 0; /* it finished on its own just now */
    if (delivered) {
        fprintf(stderr,
                "showfloor %s: the kiosk got the command but did not answer within "
                "%lld s\n",
                cmd, (long long)wait_s);
        return CLI_FAIL;
    }
    fprintf(stderr,
            "showfloor %s: the hub did not deliver the command within %lld s — is "
            "showfloor-hub running?\n",
            cmd, (long long)wait_s);
    return REMOTE_EXIT_NO_HUB;
}

static int remote_screenshot_save(struct cli *c, const char *cmd, int64_t id,
                                  const struct store_device *d, struct shot_file *f)
{
    struct proto_error err;
    unsigned char *png = NULL;
    size_t len = 0;
    if (store_device_commands_png(c->store, id, &png, &len, &err) != 0)
        return cli_fail(cmd, &err);
    int rc = shot_commit(f, png, len);
    unsigned w, h;
    png_size(png, len, &w, &h);
    free(png);
    if (rc != 0)
        return CLI_FAIL;
    printf("%s: %ux%u, %zu bytes\n", f->path, w, h, len);
    fprintf(stderr, "screenshot of '%s' saved\n", d->name);
    return CLI_OK;
}

int cmd_device_remote(struct cli *c, const char *action, int argc, char **argv)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, "device %s", action);
    bool shot = strcmp(action, "screenshot") == 0;
    const char *site_code, *wait_text, *output = NULL, *pos[1];
    int npos;
    /* -o/--output exists for screenshot only: elsewhere its NULL name ends the table. */
    struct cli_opt opts[] = {{"site", 1, 0, &site_code},
                             {"wait", 0, 0, &wait_text},
                             {shot ? "output" : NULL, 1, 0, &output},
                             {0}};
    if (cmd_device_args(cmd, argc, argv, opts, pos, 1, 1, &npos) != 0)
        return CLI_USAGE;
    int64_t wait_s = shot ? REMOTE_SHOT_WAIT_S : REMOTE_WAIT_S;
    if (wait_text && cli_int(cmd, "wait", wait_text, 1, REMOTE_WAIT_MAX_S, &wait_s) != 0)
        return CLI_USAGE;
    struct store_site site;
    struct store_device d;
    if (cmd_device_find(c, cmd, site_code, pos[0], &site, &d) != 0)
        return CLI_FAIL;
    struct shot_file f = {.fd = -1};
    if (shot && shot_open(&f, output) != 0)
        return CLI_FAIL;
    int64_t id;
    int rc = remote_queue(c, cmd, &site, &d, action, &id);
    struct store_device_command res;
    if (rc == 0)
        rc = remote_wait(c, cmd, id, wait_s, &res);
    if (rc == 0 && res.state == STORE_CMD_FAILED) {
        fprintf(stderr, "showfloor %s: '%s' at %s: %s\n", cmd, d.name, site.code,
                res.detail[0] ? res.detail : "failed");
        rc = CLI_FAIL;
    } else if (rc == 0 && shot) {
        rc = remote_screenshot_save(c, cmd, id, &d, &f);
    } else if (rc == 0) {
        printf("%s '%s' at %s: done%s%s\n", action, d.name, site.code, res.detail[0] ? ": " : "",
               res.detail);
    }
    shot_abandon(&f);
    return rc;
}

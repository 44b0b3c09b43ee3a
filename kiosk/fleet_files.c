/* The pairing claim and the device token on disk (see fleet_files.h). */
#include "fleet_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "proto.h"

int fleet_files_state_dir(const char *given, char *out, size_t outsz, char *err, size_t errsz)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;
    if (given)
        n = snprintf(out, outsz, "%s", given);
    else if (xdg && xdg[0] == '/')
        n = snprintf(out, outsz, "%s/showfloor-kiosk", xdg);
    else if (home && home[0])
        n = snprintf(out, outsz, "%s/.local/state/showfloor-kiosk", home);
    else
        n = 0;
    if (n <= 0 || (size_t)n >= outsz) {
        snprintf(err, errsz, "no state directory: pass --state-dir");
        return -1;
    }
    return 0;
}

int fleet_files_read_token(const char *path, char *out, size_t outsz, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 1;
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH))
        fprintf(stderr,
                "showfloor-kiosk: warning: %s is readable by every user; chmod 600 it "
                "(anyone with the token can act as this kiosk)\n",
                path);
    char line[PROTO_MAX_TOKEN + 4];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        snprintf(err, errsz, "%s: empty", path);
        return -1;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    size_t len = strlen(line);
    if (len == 0 || len > PROTO_MAX_TOKEN || len >= outsz) {
        snprintf(err, errsz, "%s: the first line must be a token of 1..%d bytes", path,
                 PROTO_MAX_TOKEN);
        sodium_memzero(line, sizeof line);
        return -1;
    }
    snprintf(out, outsz, "%s", line);
    sodium_memzero(line, sizeof line);
    return 0;
}

int fleet_files_mkdirs(const char *dir, char *err, size_t errsz)
{
    char path[4096];
    if (!dir[0] || snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errsz, "bad state directory '%s'", dir);
        return -1;
    }
    for (char *p = path + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST) {
                snprintf(err, errsz, "mkdir %s: %s", path, strerror(errno));
                return -1;
            }
            if (end)
                break;
            *p = '/';
        }
    }
    return 0;
}

int fleet_files_write_secret(const char *path, const char *text, char *err, size_t errsz)
{
    char tmp[4096 + 8];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errsz, "path too long");
        return -1;
    }
    /* O_EXCL is not wanted (a stale .tmp from a crash is replaced), but the mode is set at
     * creation so the secret is never readable by others, not even for an instant. */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(saved));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errsz, "rename %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int fleet_files_claim(const char *dir, char *out, size_t outsz, char *err, size_t errsz)
{
    char path[4096];
    if (outsz < 2 * FLEET_CLAIM_BYTES + 1 ||
        snprintf(path, sizeof path, "%s/claim", dir) >= (int)sizeof path) {
        snprintf(err, errsz, "claim: buffer or path too long");
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (f) {
        char line[256];
        bool got = fgets(line, sizeof line, f) != NULL;
        fclose(f);
        if (got)
            line[strcspn(line, "\r\n")] = '\0';
        if (!got || strlen(line) != 2 * FLEET_CLAIM_BYTES ||
            strspn(line, "0123456789abcdef") != 2 * FLEET_CLAIM_BYTES) {
            /* Never replaced silently: an approved pairing is bound to this claim. */
            snprintf(err, errsz,
                     "%s: not a claim (64 lowercase hex characters); remove it to "
                     "pair this kiosk again",
                     path);
            return -1;
        }
        snprintf(out, outsz, "%s", line);
        return 0;
    }
    if (errno != ENOENT) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (sodium_init() < 0) {
        snprintf(err, errsz, "libsodium cannot initialise");
        return -1;
    }
    if (fleet_files_mkdirs(dir, err, errsz) != 0)
        return -1;
    unsigned char raw[FLEET_CLAIM_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, outsz, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return fleet_files_write_secret(path, out, err, errsz);
}

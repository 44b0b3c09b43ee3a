/* key = value asset file reader (see conf.h). */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static char *conf_trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

int conf_parse_file(const char *path, conf_cb cb, void *user, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[4096];
    int line = 0, rc = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n' && !feof(f)) {
            snprintf(err, errsz, "%s:%d: line too long", path, line);
            rc = -1;
            break;
        }
        char *s = conf_trim(buf);
        /* A UTF-8 byte order mark on the first line is an editor artefact, not text. */
        if (line == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            s = conf_trim(s + 3);
        if (*s == '\0' || *s == '#' || *s == '[')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errsz, "%s:%d: expected key = value", path, line);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = conf_trim(s);
        char *value = conf_trim(eq + 1);
        if (*key == '\0') {
            snprintf(err, errsz, "%s:%d: empty key", path, line);
            rc = -1;
            break;
        }
        if (cb(user, key, value, line) != 0) {
            snprintf(err, errsz, "%s:%d: rejected '%s'", path, line, key);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

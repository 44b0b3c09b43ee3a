/* A small reader for the kiosk's key = value asset files (strings, themes). Written here
 * instead of using inih because string values are long UTF-8 lines (inih truncates at
 * 200 bytes by default) and may contain ';', which inih treats as a comment. */
#ifndef SHOWFLOOR_CONF_H
#define SHOWFLOOR_CONF_H

#include <stddef.h>

/* Called once per "key = value" line, both trimmed. Return 0 to go on, -1 to stop. */
typedef int (*conf_cb)(void *user, const char *key, const char *value, int line);

/* Reads `path`: '#' starts a comment line, "[section]" lines are ignored (keys are
 * global), blank lines are skipped; any other line without '=' is an error. Lines up to
 * 4 KiB. Returns 0, or -1 with a message naming the file and line in err. */
int conf_parse_file(const char *path, conf_cb cb, void *user, char *err, size_t errsz);

#endif

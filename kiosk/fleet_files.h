/* The kiosk's fleet files in its state directory: the pairing claim (a secret made once,
 * that proves to the hub this is the kiosk that showed a pairing code) and the device token
 * the hub hands out when the code is approved. Both are secrets: created 0600 in a 0700
 * directory, written atomically (FILE.tmp, fsync, rename); a token file others can read
 * gets a warning. Also where the state directory is. UI thread (main.c). */
#ifndef SHOWFLOOR_FLEET_FILES_H
#define SHOWFLOOR_FLEET_FILES_H

#include <stddef.h>

#define FLEET_CLAIM_BYTES 32 /* random bytes; the claim is their lowercase hex */

/* The state directory: `given` (--state-dir), else $XDG_STATE_HOME/showfloor-kiosk, else
 * ~/.local/state/showfloor-kiosk. 0, or -1 with err. Not created here. */
int fleet_files_state_dir(const char *given, char *out, size_t outsz, char *err, size_t errsz);
/* Reads the token file's first line into out (PROTO_MAX_TOKEN + 1 bytes) and warns on
 * stderr when others may read the file. 0; 1 when the file does not exist (the kiosk pairs);
 * -1 with err when it exists but cannot be read or holds no token. */
int fleet_files_read_token(const char *path, char *out, size_t outsz, char *err, size_t errsz);
/* mkdir -p with 0700 for the directories it creates. 0 or -1 with err. */
int fleet_files_mkdirs(const char *dir, char *err, size_t errsz);
/* The claim in <dir>/claim: read when the file exists (64 hex characters), else made from
 * FLEET_CLAIM_BYTES random bytes and written 0600. out needs 2 * FLEET_CLAIM_BYTES + 1 bytes.
 * 0, or -1 with err (unreadable, malformed, cannot write). */
int fleet_files_claim(const char *dir, char *out, size_t outsz, char *err, size_t errsz);
/* Writes `text` and a newline to path atomically with mode 0600. 0 or -1 with err. */
int fleet_files_write_secret(const char *path, const char *text, char *err, size_t errsz);

#endif

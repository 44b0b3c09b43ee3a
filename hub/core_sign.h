/* The hub's Ed25519 signing key, kept outside the database, and the signatures it puts on
 * delivery sign-offs so that a record altered by anyone with the database file (but not the
 * key) no longer verifies. hub/README.md "Signed delivery records" describes the scheme. */
#ifndef SHOWFLOOR_CORE_SIGN_H
#define SHOWFLOOR_CORE_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#include "proto.h"
#include "store.h"

#define CORE_SIGN_KEY_SUFFIX  ".signing-key"
#define CORE_SIGN_PK_HEX_LEN  (2 * crypto_sign_PUBLICKEYBYTES)
#define CORE_SIGN_SIG_HEX_LEN (2 * crypto_sign_BYTES)

struct core_sign_key {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

/* The key file to use: key_path when given (non-empty), else "<db_path>.signing-key".
 * 0, or -1 if it does not fit in out. */
int core_sign_key_path(const char *db_path, const char *key_path, char *out, size_t outsz);

/* Reads the key file (the 32-byte seed in hex, one line). A missing file is created (mode
 * 0600, never overwriting) when create is set. A file readable or writable by group or
 * others, or not a regular file, is refused. 0, or -1 with *err (PROTO_E_UNAVAILABLE). */
int core_sign_key_load(const char *path, bool create, struct core_sign_key *key,
                       struct proto_error *err);
void core_sign_key_wipe(struct core_sign_key *key);

/* Signs the sign-off's sealed bytes (store_signoffs_canon) into sig_hex. 0, or -1 + *err. */
int core_sign_signoff(const struct core_sign_key *key, const struct store_signoff *so,
                      char sig_hex[CORE_SIGN_SIG_HEX_LEN + 1], struct proto_error *err);

/* What `showfloor delivery verify` found: ok, or the first part that does not match. */
struct core_sign_check {
    bool ok;
    char order_no[PROTO_MAX_SHORT + 1];
    char hash[STORE_HASH_HEX_LEN + 1];
    char reason[256];
};

/* Checks the delivery record of order_no against the public key pk: the stored checklist
 * and strokes are canonical text, the sealed bytes hash to the stored hash, the audit
 * record of the delivery names the same sign-off and hash, and its signature verifies.
 * 0 with *r filled (r->ok false + r->reason on a mismatch); -1 with *err when the order or
 * its sign-off cannot be read (PROTO_E_NOT_FOUND if there is none). */
int core_sign_verify_delivery(struct store *s, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                              const char *order_no, struct core_sign_check *r,
                              struct proto_error *err);

#endif

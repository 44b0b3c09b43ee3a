/* Personal data at rest: the installation's data key, the keyed phone hash that makes
 * lookups work without the phone in the clear, per-customer keys kept in a key store outside
 * the database (so destroying one makes that customer unreadable in every backup), and the
 * sealing of each personal field under its customer's key. hub/PRIVACY.md has the design.
 *
 * Key hierarchy (libsodium):
 *   data key (32 bytes: key file, mode 0600, or SHOWFLOOR_DATA_KEY as 64 hex digits)
 *     -> crypto_kdf subkey 1 "sfphone_": BLAKE2b key for phone hashes
 *     -> crypto_kdf subkey 2 "sfwrap__": XChaCha20-Poly1305 key wrapping customer keys
 *     -> crypto_kdf subkey 3 "sfcheck_": key check value kept in the database's meta table
 *   customer key (32 random bytes, one per customer, wrapped in the key store, id = key_id)
 *     -> XChaCha20-Poly1305 of each field, additional data "sf1|<key_id>|<field>"
 *
 * A sealed field is a BLOB: 1 version byte (1) || 24-byte nonce || ciphertext || 16-byte tag.
 *
 * Threading: a struct privacy belongs to one thread, like struct store. */
#ifndef SHOWFLOOR_PRIVACY_H
#define SHOWFLOOR_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define PRIVACY_KEY_BYTES       32
#define PRIVACY_PHONE_HASH_LEN  32 /* bytes of the keyed BLAKE2b phone hash */
#define PRIVACY_SEAL_OVERHEAD   (1 + 24 + 16)
#define PRIVACY_KEY_ENV         "SHOWFLOOR_DATA_KEY"
#define PRIVACY_KEY_SUFFIX      ".data-key" /* default key file: "<database>.data-key" */
#define PRIVACY_KEYSTORE_SUFFIX ".keystore" /* default key store: "<database>.keystore" */

struct privacy;

struct privacy_opts {
    /* Key file path; "" = "<database>" PRIVACY_KEY_SUFFIX. Ignored when the environment
     * variable PRIVACY_KEY_ENV is set (64 hex digits). */
    const char *key_file;
    /* Key store path; "" = "<database>" PRIVACY_KEYSTORE_SUFFIX. */
    const char *keystore;
    /* May a missing key file be created (0600, O_EXCL)? Only the caller knows whether the
     * database already holds sealed data; store_open passes true only when it holds none. */
    bool create_key;
};

/* Loads (or, when allowed, creates) the data key, derives the subkeys and opens (creating)
 * the key store. `database` is the main database path; ":memory:" or "" gives an ephemeral
 * random key and an in-memory key store (unit tests). Refuses with PROTO_E_UNAVAILABLE and
 * a message naming the file: a key file readable or writable by group or others, not
 * exactly 32 bytes (or 64 hex digits + optional newline), a bad environment value, a missing
 * key file when create_key is false, an unopenable key store. Secrets live in
 * sodium_malloc'd memory and are wiped by privacy_close. */
int privacy_open(struct privacy **out, const char *database, const struct privacy_opts *o,
                 struct proto_error *err);
void privacy_close(struct privacy *p); /* NULL is fine */

/* 64 hex digits proving which data key sealed a database (keyed with subkey 3 over a fixed
 * label): store_open keeps it in meta and refuses another key. */
void privacy_key_check(const struct privacy *p, char out[65]);

/* Keyed hash of a normalised phone (proto_phone_normalize); equal phones give equal hashes
 * under one data key, and the hash says nothing about the phone without the key. */
void privacy_phone_hash(const struct privacy *p, const char *phone,
                        uint8_t out[PRIVACY_PHONE_HASH_LEN]);

/* A fresh customer key id: taken from a pool of keys already committed (synchronous=FULL) to
 * the key store, so a customer committed to the database never lacks its key. The pool is
 * refilled (a batch of keys in one key-store transaction) when empty; a key id is never
 * handed out twice, also across restarts (ids left in the pool at exit are abandoned). */
int privacy_new_key(struct privacy *p, int64_t *key_id, struct proto_error *err);

/* Seals `len` bytes of `plain` as field `field` of the customer whose key is key_id.
 * *out is malloc'd (free it), *outlen = len + PRIVACY_SEAL_OVERHEAD. */
int privacy_seal(struct privacy *p, int64_t key_id, const char *field, const void *plain,
                 size_t len, uint8_t **out, size_t *outlen, struct proto_error *err);

/* Opens a sealed field into out (NUL-terminated text, outsz including the NUL).
 * Returns 0, or -1 with PROTO_E_NOT_FOUND when the customer's key is gone (erased),
 * PROTO_E_INTERNAL for a damaged or foreign blob (logged), PROTO_E_BAD_FIELD when out is
 * too small. */
int privacy_open_field(struct privacy *p, int64_t key_id, const char *field, const void *sealed,
                       size_t len, char *out, size_t outsz, struct proto_error *err);

/* Is the key still in the key store? */
bool privacy_has_key(struct privacy *p, int64_t key_id);

/* Destroys a customer key: deleted from the key store with secure_delete on, committed
 * (FULL), the key store's WAL checkpointed and truncated, and dropped from the cache.
 * Every copy of data sealed under it, in the database and in every backup, is unreadable
 * afterwards. Destroying a missing key is not an error (erasure may be resumed). */
int privacy_destroy_key(struct privacy *p, int64_t key_id, struct proto_error *err);

/* The highest key id the key store ever handed out. A database holding a larger key_id was
 * sealed with keys this key store never had: it is not the key store of that database (an
 * older copy), and sweeping would wrongly erase the newer customers. */
int privacy_issued_through(struct privacy *p, int64_t *out, struct proto_error *err);

/* Key ids present in the key store, in order (for the open-time sweep that completes the
 * erasure of customers whose key is gone, e.g. after restoring an older backup). */
int privacy_each_key(struct privacy *p, int (*fn)(int64_t key_id, void *ctx), void *ctx,
                     struct proto_error *err);

#endif

/* Secrets of the hub: device tokens (high-entropy, stored as a fast BLAKE2b-256 hash) and
 * staff PINs (low-entropy, stored as an Argon2id string so guessing offline is slow).
 * All functions are thread-safe once core_secret_init() has returned 0. */
#ifndef SHOWFLOOR_CORE_SECRET_H
#define SHOWFLOOR_CORE_SECRET_H

#include <stddef.h>

#include <sodium.h>

#define CORE_SECRET_TOKEN_BYTES 32 /* random bytes in a device token */
/* Token text: URL-safe base64 without padding of 32 bytes = 43 characters. */
#define CORE_SECRET_TOKEN_LEN     43
#define CORE_SECRET_HASH_LEN      64 /* hex of a BLAKE2b-256 hash */
#define CORE_SECRET_PIN_HASH_SIZE crypto_pwhash_STRBYTES

/* sodium_init(); call once before anything else here. 0, or -1 if libsodium cannot start. */
int core_secret_init(void);

/* A new device token into token (tsz >= CORE_SECRET_TOKEN_LEN + 1) and its hash in hex into
 * hash_hex (hsz >= CORE_SECRET_HASH_LEN + 1). The token is shown once and never stored.
 * 0, or -1 if a buffer is too small. */
int core_secret_token_new(char *token, size_t tsz, char *hash_hex, size_t hsz);
/* BLAKE2b-256 of the token text, in lower-case hex. 0, or -1 if hsz is too small. */
int core_secret_token_hash(const char *token, char *hash_hex, size_t hsz);

/* Argon2id string of the PIN (crypto_pwhash_str, OPSLIMIT/MEMLIMIT_INTERACTIVE: about
 * 64 MiB and a fraction of a second). 0, or -1 when out of memory. */
int core_secret_pin_hash(const char *pin, char out[CORE_SECRET_PIN_HASH_SIZE]);
/* 1 if pin matches hash, 0 if not (or the hash is malformed). */
int core_secret_pin_verify(const char *hash, const char *pin);
/* The same Argon2id work as core_secret_pin_verify against a hash no PIN is known for, so a
 * login with an unknown or inactive staff number takes as long as a wrong PIN and timing
 * does not tell which staff numbers exist. Always 0 (no match). */
int core_secret_pin_verify_dummy(const char *pin);
/* How many dummy verifications ran in this process: lets tests see the code path. */
unsigned long core_secret_dummy_verifies(void);

#endif

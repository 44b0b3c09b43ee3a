/* Device tokens and staff PINs: random tokens hashed with BLAKE2b-256, PINs with Argon2id. */
#include "core_secret.h"

#include <stdatomic.h>
#include <string.h>

int core_secret_init(void)
{
    return sodium_init() < 0 ? -1 : 0; /* 1 means "already initialised": fine */
}

static int hash_hex(const unsigned char *in, size_t len, char *hex, size_t hsz)
{
    unsigned char h[32];
    if (hsz < CORE_SECRET_HASH_LEN + 1)
        return -1;
    crypto_generichash(h, sizeof h, in, len, NULL, 0);
    sodium_bin2hex(hex, hsz, h, sizeof h);
    sodium_memzero(h, sizeof h);
    return 0;
}

int core_secret_token_new(char *token, size_t tsz, char *hash_hex_out, size_t hsz)
{
    unsigned char raw[CORE_SECRET_TOKEN_BYTES];
    if (tsz < CORE_SECRET_TOKEN_LEN + 1 || hsz < CORE_SECRET_HASH_LEN + 1)
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, tsz, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return core_secret_token_hash(token, hash_hex_out, hsz);
}

int core_secret_token_hash(const char *token, char *hash_hex_out, size_t hsz)
{
    return hash_hex((const unsigned char *)token, strlen(token), hash_hex_out, hsz);
}

int core_secret_pin_hash(const char *pin, char out[CORE_SECRET_PIN_HASH_SIZE])
{
    return crypto_pwhash_str_alg(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : -1;
}

int core_secret_pin_verify(const char *hash, const char *pin)
{
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

/* Argon2id (OPSLIMIT/MEMLIMIT_INTERACTIVE, as core_secret_pin_hash makes them) of 48 random
 * hex characters that were thrown away: it costs what a real staff's hash costs and no PIN
 * of 4..12 digits matches it. A constant, so the first unknown login pays no extra hashing. */
/* sized as libsodium declares its argument, so the compiler sees no over-read */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$9uvYs5/xLMf7cEg/h2GaCw$"
    "jPMh/FKWdqXPh9vo2hRsjBAJkt/ETMyqvPr6Psg2pZY";
static atomic_ulong dummy_count;

int core_secret_pin_verify_dummy(const char *pin)
{
    atomic_fetch_add(&dummy_count, 1);
    (void)core_secret_pin_verify(dummy_hash, pin);
    return 0;
}

unsigned long core_secret_dummy_verifies(void)
{
    return atomic_load(&dummy_count);
}

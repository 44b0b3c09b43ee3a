/* The hub's Ed25519 signing key (a file beside the database, never inside it) and the
 * signing and verification of delivery sign-offs. */
#include "core_sign.h"

#include "core_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core_secret.h"

#define SEED_HEX_LEN (2 * crypto_sign_SEEDBYTES)

int core_sign_key_path(const char *db_path, const char *key_path, char *out, size_t outsz)
{
    int n = key_path && *key_path ? snprintf(out, outsz, "%s", key_path)
                                  : snprintf(out, outsz, "%s%s", db_path, CORE_SIGN_KEY_SUFFIX);
    return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static int unavailable(struct proto_error *err, const char *path, const char *what)
{
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "signing key %s: %s", path, what);
}

/* A new seed written with O_EXCL: two processes creating the key at once cannot both win,
 * and the loser reads the winner's key. */
static int create_key(const char *path, struct proto_error *err)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    char hex[SEED_HEX_LEN + 2];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? 0 : unavailable(err, path, strerror(errno));
    randombytes_buf(seed, sizeof seed);
    sodium_bin2hex(hex, sizeof hex, seed, sizeof seed);
    sodium_memzero(seed, sizeof seed);
    hex[SEED_HEX_LEN] = '\n';
    ssize_t w = write(fd, hex, SEED_HEX_LEN + 1);
    int sync_rc = fsync(fd);
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0 || w != SEED_HEX_LEN + 1 || sync_rc != 0) {
        unlink(path);
        return unavailable(err, path, "could not be written");
    }
    return 0;
}

int core_sign_key_load(const char *path, bool create, struct core_sign_key *key,
                       struct proto_error *err)
{
    memset(key, 0, sizeof *key);
    if (create && create_key(path, err))
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return unavailable(err, path, strerror(errno));
    struct stat stt;
    char hex[SEED_HEX_LEN + 8];
    unsigned char seed[crypto_sign_SEEDBYTES];
    size_t seed_len = 0;
    int rc = -1;
    if (fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode)) {
        unavailable(err, path, "not a regular file");
        goto out;
    }
    if (stt.st_mode & (S_IRWXG | S_IRWXO)) {
        unavailable(err, path, "group or others may access it (chmod 600)");
        goto out;
    }
    ssize_t n = read(fd, hex, sizeof hex - 1);
    if (n < 0)
        n = 0;
    hex[n] = '\0';
    if (n > 0 && hex[n - 1] == '\n')
        hex[--n] = '\0';
    if (n != SEED_HEX_LEN ||
        sodium_hex2bin(seed, sizeof seed, hex, (size_t)n, NULL, &seed_len, NULL) != 0 ||
        seed_len != sizeof seed) {
        unavailable(err, path, "not 64 hex digits");
        goto out;
    }
    crypto_sign_seed_keypair(key->pk, key->sk, seed);
    rc = 0;
out:
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(hex, sizeof hex);
    close(fd);
    return rc;
}

void core_sign_key_wipe(struct core_sign_key *key)
{
    if (key)
        sodium_memzero(key, sizeof *key);
}

int core_sign_signoff(const struct core_sign_key *key, const struct store_signoff *so,
                      char sig_hex[CORE_SIGN_SIG_HEX_LEN + 1], struct proto_error *err)
{
    char *text;
    unsigned char sig[crypto_sign_BYTES];
    if (store_signoffs_canon(so, &text, err))
        return -1;
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), key->sk);
    sodium_bin2hex(sig_hex, CORE_SIGN_SIG_HEX_LEN + 1, sig, sizeof sig);
    free(text);
    return 0;
}

/* ---- verification ---- */

/* The delivery's audit record: its detail.signoff {id, hash, sig}. */
struct found {
    bool seen;
    int64_t id;
    char hash[STORE_HASH_HEX_LEN + 1];
    char sig[CORE_SIGN_SIG_HEX_LEN + 1];
};

static int on_audit(void *ctx, const struct store_audit *a)
{
    struct found *f = ctx;
    if (strcmp(a->action, domain_order_cmd_name(DOMAIN_ORDER_DELIVER)) != 0 || !a->after)
        return 0;
    cJSON *after = cJSON_Parse(a->after);
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(after, "detail"), "signoff");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(so, "id");
    const char *hash = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(so, "hash"));
    const char *sig = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(so, "sig"));
    f->seen = true; /* one delivery per order: the last record wins if there were more */
    f->id = cJSON_IsNumber(id) ? (int64_t)id->valuedouble : 0;
    snprintf(f->hash, sizeof f->hash, "%s", hash ? hash : "");
    snprintf(f->sig, sizeof f->sig, "%s", sig ? sig : "");
    cJSON_Delete(after);
    return 0;
}

static int mismatch(struct core_sign_check *r, const char *reason)
{
    r->ok = false;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    return 0;
}

/* 1 if text is exactly its canonical form (a changed space or key order is a change). */
static int is_canonical(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    char *canon = v ? store_canon_json(v) : NULL;
    int same = canon && strcmp(canon, text) == 0;
    free(canon);
    cJSON_Delete(v);
    return same;
}

static int check(const unsigned char *pk, const struct store_signoff *so, const struct found *f,
                 struct core_sign_check *r, struct proto_error *err)
{
    if (!is_canonical(so->checklist))
        return mismatch(r, "the checklist is not the text that was sealed");
    if (!is_canonical(so->strokes))
        return mismatch(r, "the signature strokes are not the text that was sealed");
    char *text;
    char hash[STORE_HASH_HEX_LEN + 1];
    if (store_signoffs_canon(so, &text, err))
        return -1;
    size_t len = strlen(text);
    if (core_secret_token_hash(text, hash, sizeof hash)) { /* the same BLAKE2b-256 hex */
        free(text);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "hash buffer");
    }
    unsigned char sig[crypto_sign_BYTES];
    size_t sig_len = 0;
    if (strcmp(hash, so->hash) != 0)
        mismatch(r, "hash: the record's contents do not match its stored hash");
    else if (!f->seen)
        mismatch(r, "signature: no delivery record in the audit trail");
    else if (f->id != so->id || strcmp(f->hash, so->hash) != 0)
        mismatch(r, "audit: the audit trail names another sign-off or hash");
    else if (sodium_hex2bin(sig, sizeof sig, f->sig, strlen(f->sig), NULL, &sig_len, NULL) != 0 ||
             sig_len != sizeof sig)
        mismatch(r, "signature: the delivery record carries no valid signature");
    else if (crypto_sign_verify_detached(sig, (const unsigned char *)text, len, pk) != 0)
        mismatch(r, "signature: the Ed25519 signature does not verify with this key");
    else
        r->ok = true;
    free(text);
    return 0;
}

int core_sign_verify_delivery(struct store *s, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                              const char *order_no, struct core_sign_check *r,
                              struct proto_error *err)
{
    memset(r, 0, sizeof *r);
    snprintf(r->order_no, sizeof r->order_no, "%s", order_no);
    struct store_order o;
    struct store_signoff so;
    struct found f = {0};
    if (store_orders_find_by_no(s, order_no, &o, err) || store_signoffs_get(s, o.id, &so, err))
        return -1;
    snprintf(r->hash, sizeof r->hash, "%s", so.hash);
    int rc = store_audit_list(s, "order", order_no, on_audit, &f, err);
    if (rc == 0)
        rc = check(pk, &so, &f, r, err);
    store_signoff_free(&so);
    return rc;
}

int core_sign_key_of(struct core *c, const struct core_sign_key **key, struct proto_error *err)
{
    if (!c->sign_key) {
        struct core_sign_key *k = malloc(sizeof *k);
        if (!k)
            return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
        if (core_sign_key_load(c->sign_key_path, true, k, err)) {
            free(k);
            return -1;
        }
        c->sign_key = k;
    }
    *key = c->sign_key;
    return 0;
}

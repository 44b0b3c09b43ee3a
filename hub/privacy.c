/* Personal data at rest (hub/privacy.h): the data key and its subkeys, the keyed phone hash,
 * sealing and opening fields under per-customer keys, and a cache of opened customer keys so
 * that a busy customer does not cost a key-store read and an unwrap per field. Every secret
 * (data key, subkeys, opened customer keys, key file text) lives in sodium_malloc'd memory,
 * wiped on close. The key store itself is hub/privacy_keystore.c. */
#include "privacy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "privacy_internal.h"

#define KEY_HEX_LEN         64 /* 2 * PRIVACY_KEY_BYTES */
#define SEAL_VERSION        1
#define NONCE_BYTES         crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES           crypto_aead_xchacha20poly1305_ietf_ABYTES
#define FIELD_MAX           64   /* longest field name in the additional data */
#define CACHE_SLOTS         4096 /* power of two: about 160 KiB of locked memory */
#define BATCH_FIRST         16 /* the first refill of a process is small: a CLI run wastes little */
#define BATCH_MAX           1024 /* a key-store commit (an fsync on the loop) per 1,024 customers */
#define NONCE_POOL          128  /* nonces per getrandom */
#define CACHE_REVALIDATE_MS 200  /* longest a key destroyed by another process stays cached */
#define CHECK_LABEL         "showfloor data key check v1"

enum subkey_id { SUBKEY_PHONE = 1, SUBKEY_WRAP = 2, SUBKEY_CHECK = 3 };

_Static_assert(PRIVACY_SEAL_OVERHEAD == 1 + NONCE_BYTES + TAG_BYTES, "sealed blob layout");
_Static_assert(PRIVACY_KEY_BYTES == crypto_kdf_KEYBYTES, "data key size");
_Static_assert(KEY_HEX_LEN == 2 * PRIVACY_KEY_BYTES, "data key in hex");
_Static_assert(PRIVACY_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
_Static_assert((CACHE_SLOTS & (CACHE_SLOTS - 1)) == 0, "cache slots: a power of two");

/* The data key only lives here between loading and deriving; text is the key file's or the
 * environment's hex, read straight into locked memory. */
struct secrets {
    uint8_t master[PRIVACY_KEY_BYTES];
    char text[KEY_HEX_LEN + 16];
    uint8_t phone[crypto_generichash_KEYBYTES];
    uint8_t wrap[PRIVACY_KEY_BYTES];
    uint8_t check[crypto_generichash_KEYBYTES];
};

/* Direct-mapped: slot = id mod CACHE_SLOTS; id 0 = empty (key ids are > 0). */
struct slot {
    int64_t id;
    uint8_t key[PRIVACY_KEY_BYTES];
};

struct privacy {
    struct secrets *sec;
    struct slot *cache;
    struct privacy_keystore *ks;
    int64_t pool_next, pool_end; /* committed, not yet handed out: [next, end]; empty if > */
    int batch;                   /* size of the next refill */
    int64_t checked_at;          /* monotonic ms of the last look for foreign commits */
    /* Nonces fetched NONCE_POOL at a time: a getrandom per seal was 1 % of a check-in. They are
     * public (stored beside the ciphertext), so the pool needs no locked memory; what matters is
     * that none is used twice, hence the fork generation. */
    uint8_t nonces[NONCE_POOL * NONCE_BYTES];
    size_t nonce_next; /* index of the next unused one; NONCE_POOL: empty */
    unsigned nonce_forks;
};

/* Bumped in a forked child, whose copy of a nonce pool its parent goes on using. */
static atomic_uint fork_generation;
static pthread_once_t fork_watch = PTHREAD_ONCE_INIT;

static void forked(void)
{
    atomic_fetch_add(&fork_generation, 1);
}

static void watch_forks(void)
{
    pthread_atfork(NULL, NULL, forked);
}

/* ---- the data key ---- */

static int key_error(struct proto_error *err, const char *what, const char *fmt_arg)
{
    log_error("privacy", "data key %s: %s", what, fmt_arg);
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "data key %s: %s", what, fmt_arg);
}

/* 64 hex digits (already without the newline) -> master. */
static int parse_hex(struct secrets *sec, size_t n)
{
    size_t bin_len = 0;
    return n == KEY_HEX_LEN &&
                   sodium_hex2bin(sec->master, sizeof sec->master, sec->text, n, NULL, &bin_len,
                                  NULL) == 0 &&
                   bin_len == sizeof sec->master
               ? 0
               : -1;
}

/* The directory entry of a new file must survive a power cut as surely as the file: a key
 * file lost after the database sealed data under it loses that data. */
static int fsync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* A new random key written as 64 hex digits and a newline (the SHOWFLOOR_DATA_KEY form, so
 * an operator can move it there). Written to a temporary file and linked into place, so the
 * key file is never seen half-written and, of two processes creating it at once, the loser
 * reads the winner's key. 1 created, 0 it already existed, -1 error. */
static int create_key_file(struct secrets *sec, const char *path, struct proto_error *err)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return key_error(err, path, "path too long");
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        return key_error(err, path, strerror(errno));
    randombytes_buf(sec->master, sizeof sec->master);
    sodium_bin2hex(sec->text, sizeof sec->text, sec->master, sizeof sec->master);
    sec->text[KEY_HEX_LEN] = '\n';
    ssize_t w = write(fd, sec->text, KEY_HEX_LEN + 1);
    int sync_rc = fsync(fd);
    sodium_memzero(sec->text, sizeof sec->text);
    sodium_memzero(sec->master, sizeof sec->master);
    int rc = -1;
    if (close(fd) != 0 || w != KEY_HEX_LEN + 1 || sync_rc != 0) {
        key_error(err, path, "could not be written");
    } else if (link(tmp, path) != 0) {
        rc = errno == EEXIST ? 0 : key_error(err, path, strerror(errno));
    } else if (fsync_dir_of(path) != 0) {
        unlink(path);
        key_error(err, path, "its directory could not be synced");
    } else {
        log_info("privacy", "created the data key %s (keep it safe, apart from backups)", path);
        rc = 1;
    }
    unlink(tmp);
    return rc;
}

/* The key file: a regular file nobody but its owner may read or write, holding exactly 32
 * raw bytes or 64 hex digits with an optional newline. */
static int load_key_file(struct secrets *sec, const char *path, bool create, bool *created,
                         struct proto_error *err)
{
    int made = create ? create_key_file(sec, path, err) : 0;
    if (made < 0)
        return -1;
    *created = made == 1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return key_error(err, path, "missing (restore it, or set " PRIVACY_KEY_ENV ")");
        return key_error(err, path, strerror(errno));
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        key_error(err, path, "not a regular file");
        goto out;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        key_error(err, path, "group or others may access it (chmod 600)");
        goto out;
    }
    /* one byte more than the longest valid content, so a longer file is seen as such */
    ssize_t n = read(fd, sec->text, KEY_HEX_LEN + 2);
    if (n == PRIVACY_KEY_BYTES) {
        memcpy(sec->master, sec->text, PRIVACY_KEY_BYTES);
        rc = 0;
    } else {
        if (n == KEY_HEX_LEN + 1 && sec->text[KEY_HEX_LEN] == '\n')
            n--;
        rc = n > 0 && parse_hex(sec, (size_t)n) == 0 ? 0 : -1;
        if (rc)
            key_error(err, path, "not 32 bytes or 64 hex digits");
    }
out:
    sodium_memzero(sec->text, sizeof sec->text);
    close(fd);
    return rc;
}

static int load_key_env(struct secrets *sec, const char *value, struct proto_error *err)
{
    size_t n = strlen(value);
    int rc = -1;
    if (n < sizeof sec->text) {
        memcpy(sec->text, value, n);
        rc = parse_hex(sec, n);
    }
    sodium_memzero(sec->text, sizeof sec->text);
    /* the value itself is never logged or echoed */
    return rc ? key_error(err, "in " PRIVACY_KEY_ENV, "not 64 hex digits") : 0;
}

static int path_or_default(char *out, size_t outsz, const char *given, const char *database,
                           const char *suffix, struct proto_error *err)
{
    int n = given && *given ? snprintf(out, outsz, "%s", given)
                            : snprintf(out, outsz, "%s%s", database, suffix);
    if (n < 0 || (size_t)n >= outsz)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "path too long: %s%s",
                               given && *given ? given : database, given && *given ? "" : suffix);
    return 0;
}

static void derive(struct secrets *sec)
{
    crypto_kdf_derive_from_key(sec->phone, sizeof sec->phone, SUBKEY_PHONE, "sfphone_",
                               sec->master);
    crypto_kdf_derive_from_key(sec->wrap, sizeof sec->wrap, SUBKEY_WRAP, "sfwrap__", sec->master);
    crypto_kdf_derive_from_key(sec->check, sizeof sec->check, SUBKEY_CHECK, "sfcheck_",
                               sec->master);
    sodium_memzero(sec->master, sizeof sec->master);
}

/* created receives the key file's path when this call created it, else "". */
static int load_data_key(struct privacy *p, const char *database, const struct privacy_opts *o,
                         bool memory, char created[PATH_MAX], struct proto_error *err)
{
    created[0] = '\0';
    if (memory) {
        randombytes_buf(p->sec->master, sizeof p->sec->master);
        return 0;
    }
    const char *env = getenv(PRIVACY_KEY_ENV);
    if (env)
        return load_key_env(p->sec, env, err);
    char path[PATH_MAX];
    bool made = false;
    if (path_or_default(path, sizeof path, o->key_file, database, PRIVACY_KEY_SUFFIX, err) ||
        load_key_file(p->sec, path, o->create_key, &made, err))
        return -1;
    if (made)
        memcpy(created, path, PATH_MAX);
    return 0;
}

/* ---- open and close ---- */

int privacy_open(struct privacy **out, const char *database, const struct privacy_opts *o,
                 struct proto_error *err)
{
    static const struct privacy_opts defaults = {"", "", false};
    *out = NULL;
    if (!o)
        o = &defaults;
    if (!database)
        database = "";
    if (sodium_init() < 0)
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "libsodium cannot start");
    char created[PATH_MAX] = "";
    struct privacy *p = calloc(1, sizeof *p);
    if (!p)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    p->pool_next = 1;
    p->pool_end = 0;
    p->batch = BATCH_FIRST;
    p->nonce_next = NONCE_POOL;
    pthread_once(&fork_watch, watch_forks);
    p->sec = sodium_malloc(sizeof *p->sec);
    p->cache = sodium_malloc(CACHE_SLOTS * sizeof *p->cache);
    if (!p->sec || !p->cache) {
        proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of locked memory");
        goto fail;
    }
    sodium_memzero(p->sec, sizeof *p->sec);
    sodium_memzero(p->cache, CACHE_SLOTS * sizeof *p->cache);
    bool memory = !*database || strcmp(database, ":memory:") == 0;
    if (load_data_key(p, database, o, memory, created, err))
        goto fail;
    derive(p->sec);
    /* nothing writes the subkeys again: a stray write faults instead of changing a key */
    sodium_mprotect_readonly(p->sec);
    char check[65], ks_path[PATH_MAX];
    privacy_key_check(p, check);
    if (memory)
        snprintf(ks_path, sizeof ks_path, "%s", PRIVACY_KEYSTORE_MEMORY);
    else if (path_or_default(ks_path, sizeof ks_path, o->keystore, database,
                             PRIVACY_KEYSTORE_SUFFIX, err))
        goto fail;
    if (privacy_keystore_open(&p->ks, ks_path, check, err))
        goto fail;
    *out = p;
    return 0;
fail:
    /* a refused open changes nothing: a key file made for a key store that then refused
     * it (made under another key) would only hide the real one */
    if (*created && unlink(created) == 0)
        log_warn("privacy", "removed the data key %s created by this failed open", created);
    privacy_close(p);
    return -1;
}

void privacy_close(struct privacy *p)
{
    if (!p)
        return;
    /* the pool's unissued keys would otherwise pile up, a batch per process run */
    struct proto_error e;
    if (p->ks && p->pool_next <= p->pool_end &&
        privacy_keystore_discard(p->ks, p->pool_next, p->pool_end, &e))
        log_warn("privacy", "unused keys %lld..%lld stay in the key store: %s",
                 (long long)p->pool_next, (long long)p->pool_end, e.message);
    privacy_keystore_close(p->ks);
    sodium_free(p->cache); /* sodium_free wipes before it unmaps */
    sodium_free(p->sec);
    free(p);
}

/* ---- hashes ---- */

void privacy_key_check(const struct privacy *p, char out[65])
{
    uint8_t h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)CHECK_LABEL, sizeof CHECK_LABEL - 1,
                       p->sec->check, sizeof p->sec->check);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void privacy_phone_hash(const struct privacy *p, const char *phone,
                        uint8_t out[PRIVACY_PHONE_HASH_LEN])
{
    /* callers pass a normalised phone; normalising again (idempotent) makes "138 1234 5678"
     * and "13812345678" hash alike should one slip through unnormalised */
    char norm[PROTO_MAX_PHONE + 1];
    if (!phone)
        phone = "";
    const char *text = proto_phone_normalize(phone, norm, sizeof norm, NULL) == 0 ? norm : phone;
    crypto_generichash(out, PRIVACY_PHONE_HASH_LEN, (const unsigned char *)text, strlen(text),
                       p->sec->phone, sizeof p->sec->phone);
}

/* ---- sealing ---- */

static void take_nonce(struct privacy *p, uint8_t out[NONCE_BYTES])
{
    unsigned gen = atomic_load(&fork_generation);
    if (p->nonce_next >= NONCE_POOL || p->nonce_forks != gen) {
        /* one fresh seed from the kernel, stretched by ChaCha20: randombytes_buf reads the
         * kernel 256 bytes a call, 12 getrandom calls a pool and ~1 a check-in */
        uint8_t seed[randombytes_SEEDBYTES];
        randombytes_buf(seed, sizeof seed);
        randombytes_buf_deterministic(p->nonces, sizeof p->nonces, seed);
        sodium_memzero(seed, sizeof seed);
        p->nonce_next = 0;
        p->nonce_forks = gen;
    }
    memcpy(out, p->nonces + p->nonce_next * NONCE_BYTES, NONCE_BYTES);
    p->nonce_next++;
}

/* out = version || nonce || ciphertext || tag, out has len + PRIVACY_SEAL_OVERHEAD bytes. */
static void seal_raw(struct privacy *p, const uint8_t key[PRIVACY_KEY_BYTES], const char *ad,
                     const void *plain, size_t len, uint8_t *out)
{
    out[0] = SEAL_VERSION;
    take_nonce(p, out + 1);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE_BYTES, NULL, plain, len,
                                               (const unsigned char *)ad, strlen(ad), NULL, out + 1,
                                               key);
}

/* plain receives len - PRIVACY_SEAL_OVERHEAD bytes; -1 when the blob is not ours or was
 * changed (libsodium checks the tag before it writes anything). */
static int open_raw(const uint8_t key[PRIVACY_KEY_BYTES], const char *ad, const uint8_t *sealed,
                    size_t len, void *plain)
{
    if (len < PRIVACY_SEAL_OVERHEAD || sealed[0] != SEAL_VERSION)
        return -1;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(
        plain, NULL, NULL, sealed + 1 + NONCE_BYTES, len - 1 - NONCE_BYTES,
        (const unsigned char *)ad, strlen(ad), sealed + 1, key);
}

static void wrap_ad(int64_t id, char ad[32])
{
    snprintf(ad, 32, "sfkey1|%lld", (long long)id);
}

static int field_ad(int64_t key_id, const char *field, char ad[96], struct proto_error *err)
{
    if (!field || !*field || strlen(field) > FIELD_MAX)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "bad sealed field name");
    snprintf(ad, 96, "sf1|%lld|%s", (long long)key_id, field);
    return 0;
}

/* ---- customer keys and their cache ---- */

static struct slot *slot_of(struct privacy *p, int64_t id)
{
    return &p->cache[(uint64_t)id & (CACHE_SLOTS - 1)];
}

static void slot_wipe(struct slot *s)
{
    sodium_memzero(s, sizeof *s);
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Empties the cache when another process committed to the key store (it may have destroyed a
 * key we hold opened). Asking costs a shared lock on the key store, most of an open's time,
 * so it is asked at most every CACHE_REVALIDATE_MS: a key destroyed by another process stays
 * usable here that long at most (keys this process destroys leave the cache at once). */
static void revalidate(struct privacy *p)
{
    int64_t now = monotonic_ms();
    if (now - p->checked_at < CACHE_REVALIDATE_MS && now >= p->checked_at)
        return;
    p->checked_at = now;
    if (privacy_keystore_changed(p->ks))
        sodium_memzero(p->cache, CACHE_SLOTS * sizeof *p->cache);
}

/* The opened key of key_id: from the cache, else read from the key store, unwrapped and
 * cached (see revalidate for keys destroyed by another process). The pointer is valid until
 * the next call on p; NULL with *err filled when there is none. */
static const uint8_t *key_for(struct privacy *p, int64_t key_id, struct proto_error *err)
{
    if (key_id <= 0) {
        proto_error_set(err, PROTO_E_NOT_FOUND, NULL, "no customer key");
        return NULL;
    }
    revalidate(p);
    struct slot *s = slot_of(p, key_id);
    if (s->id == key_id)
        return s->key;
    uint8_t wrapped[PRIVACY_WRAPPED_BYTES];
    char ad[32];
    if (privacy_keystore_get(p->ks, key_id, wrapped, err))
        return NULL;
    wrap_ad(key_id, ad);
    slot_wipe(s);
    if (open_raw(p->sec->wrap, ad, wrapped, sizeof wrapped, s->key) != 0) {
        slot_wipe(s);
        log_error("privacy", "key %lld in the key store does not open under the data key",
                  (long long)key_id);
        proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
        return NULL;
    }
    s->id = key_id;
    return s->key;
}

struct fill_ctx {
    struct privacy *p;
};

/* A fresh key for id, wrapped for the key store and kept opened in the cache (the next
 * customers will seal under these very keys). */
static int fill_one(void *ctx, int64_t id, uint8_t wrapped[PRIVACY_WRAPPED_BYTES])
{
    struct privacy *p = ((struct fill_ctx *)ctx)->p;
    struct slot *s = slot_of(p, id);
    char ad[32];
    slot_wipe(s);
    crypto_aead_xchacha20poly1305_ietf_keygen(s->key);
    wrap_ad(id, ad);
    seal_raw(p, p->sec->wrap, ad, s->key, sizeof s->key, wrapped);
    s->id = id;
    return 0;
}

static int refill(struct privacy *p, struct proto_error *err)
{
    struct fill_ctx ctx = {p};
    int64_t first = 0;
    int n = p->batch;
    if (privacy_keystore_fill(p->ks, n, fill_one, &ctx, &first, err)) {
        /* nothing was committed: no cached key may outlive the rollback */
        sodium_memzero(p->cache, CACHE_SLOTS * sizeof *p->cache);
        return -1;
    }
    /* our own commit does not move data_version for this connection, so the fresh keys
     * stay cached */
    p->pool_next = first;
    p->pool_end = first + n - 1;
    if (p->batch < BATCH_MAX)
        p->batch = p->batch * 2 > BATCH_MAX ? BATCH_MAX : p->batch * 2;
    return 0;
}

int privacy_new_key(struct privacy *p, int64_t *key_id, struct proto_error *err)
{
    if (p->pool_next > p->pool_end && refill(p, err))
        return -1;
    *key_id = p->pool_next++;
    return 0;
}

int privacy_seal(struct privacy *p, int64_t key_id, const char *field, const void *plain,
                 size_t len, uint8_t **out, size_t *outlen, struct proto_error *err)
{
    const uint8_t *key;
    char ad[96];
    *out = NULL;
    *outlen = 0;
    if (len > SIZE_MAX - PRIVACY_SEAL_OVERHEAD)
        return proto_error_set(err, PROTO_E_TOO_LONG, field, NULL);
    if (field_ad(key_id, field, ad, err) || !(key = key_for(p, key_id, err)))
        return -1;
    uint8_t *blob = malloc(len + PRIVACY_SEAL_OVERHEAD);
    if (!blob)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
    seal_raw(p, key, ad, plain, len, blob);
    *out = blob;
    *outlen = len + PRIVACY_SEAL_OVERHEAD;
    return 0;
}

int privacy_open_field(struct privacy *p, int64_t key_id, const char *field, const void *sealed,
                       size_t len, char *out, size_t outsz, struct proto_error *err)
{
    const uint8_t *key;
    char ad[96];
    if (outsz > 0)
        out[0] = '\0';
    if (field_ad(key_id, field, ad, err) || !(key = key_for(p, key_id, err)))
        return -1;
    if (!sealed || len < PRIVACY_SEAL_OVERHEAD || ((const uint8_t *)sealed)[0] != SEAL_VERSION) {
        log_error("privacy", "sealed %s of key %lld: damaged (%zu bytes)", field, (long long)key_id,
                  len);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
    }
    size_t plen = len - PRIVACY_SEAL_OVERHEAD;
    if (outsz < plen + 1)
        return proto_error_set(err, PROTO_E_BAD_FIELD, field, "%s: %zu bytes do not fit in %zu",
                               field, plen, outsz);
    if (open_raw(key, ad, sealed, len, out) != 0) {
        out[0] = '\0';
        log_error("privacy", "sealed %s of key %lld: does not open (damaged or foreign)", field,
                  (long long)key_id);
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, NULL);
    }
    out[plen] = '\0';
    return 0;
}

/* Always asked of the key store, not the cache: the answer decides erasures (the open-time
 * sweep) and must not lag behind another process. */
bool privacy_has_key(struct privacy *p, int64_t key_id)
{
    if (key_id <= 0)
        return false;
    struct proto_error e;
    int rc = privacy_keystore_has(p->ks, key_id, &e);
    if (rc == 0) {
        struct slot *s = slot_of(p, key_id);
        if (s->id == key_id)
            slot_wipe(s);
    }
    /* A fault is answered "yes": "no" would let a caller erase a customer whose key is only
     * unreadable for the moment, and erasure cannot be undone. */
    return rc != 0;
}

int privacy_destroy_key(struct privacy *p, int64_t key_id, struct proto_error *err)
{
    if (key_id <= 0)
        return 0;
    struct slot *s = slot_of(p, key_id);
    if (s->id == key_id)
        slot_wipe(s);
    /* an unissued id of our own pool must not be handed out without its key */
    if (key_id >= p->pool_next && key_id <= p->pool_end)
        p->pool_next = p->pool_end + 1;
    return privacy_keystore_delete(p->ks, key_id, err);
}

int privacy_issued_through(struct privacy *p, int64_t *out, struct proto_error *err)
{
    return privacy_keystore_issued(p->ks, out, err);
}

int privacy_each_key(struct privacy *p, int (*fn)(int64_t key_id, void *ctx), void *ctx,
                     struct proto_error *err)
{
    int64_t *ids;
    size_t n;
    /* the ids are read first so fn may use p (destroy a key, say) while we walk */
    if (privacy_keystore_ids(p->ks, &ids, &n, err))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (fn(ids[i], ctx) != 0) {
            rc = proto_error_set(err, PROTO_E_INTERNAL, NULL, "listing aborted");
            break;
        }
    }
    free(ids);
    return rc;
}

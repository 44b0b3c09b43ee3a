/* Personal data at rest (hub/privacy.c, hub/privacy_keystore.c): the data key file is made
 * 0600 and refused when others may read it, when it has the wrong size or is missing and may
 * not be created; SHOWFLOOR_DATA_KEY replaces it; the key check and the phone hash depend on
 * the key; a sealed field opens only as the same field of the same customer and any changed
 * byte is refused; key ids are never reused, also after a restart; a destroyed key leaves no
 * copy of its wrapped bytes in the key store file or its WAL, and another process's handle
 * notices the destruction despite its cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "privacy.h"

#define HEX_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define HEX_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
/* 64 characters, two of them not hex digits */
#define HEX_ZZ "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

struct fx {
    char dir[64];
    char db[128], key[160], ks[160];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sf-test-privacy-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/sf.db", f->dir);
    snprintf(f->key, sizeof f->key, "%s%s", f->db, PRIVACY_KEY_SUFFIX);
    snprintf(f->ks, sizeof f->ks, "%s%s", f->db, PRIVACY_KEYSTORE_SUFFIX);
    unsetenv(PRIVACY_KEY_ENV);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    unsetenv(PRIVACY_KEY_ENV);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static int open_with(struct privacy **p, const char *db, const char *key_file, const char *ks,
                     bool create, struct proto_error *err)
{
    struct privacy_opts o = {key_file, ks, create};
    memset(err, 0, sizeof *err);
    return privacy_open(p, db, &o, err);
}

static struct privacy *open_ok(struct fx *f, bool create)
{
    struct privacy *p = NULL;
    struct proto_error err;
    if (open_with(&p, f->db, "", "", create, &err) != 0)
        fail_msg("privacy_open: %s", err.message);
    return p;
}

static void write_file(const char *path, const void *data, size_t n, mode_t mode)
{
    unlink(path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void key_check_of(struct privacy *p, char out[65])
{
    privacy_key_check(p, out);
    assert_int_equal(strlen(out), 64);
}

/* Expects privacy_open to refuse with PROTO_E_UNAVAILABLE and a message naming `names`. */
static void refused(struct fx *f, bool create, const char *names)
{
    struct privacy *p = (struct privacy *)1;
    struct proto_error err;
    assert_int_equal(open_with(&p, f->db, "", "", create, &err), -1);
    assert_null(p);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    if (!strstr(err.message, names))
        fail_msg("message \"%s\" does not name %s", err.message, names);
}

/* memmem is a GNU extension; the tests build without _GNU_SOURCE. */
static bool contains(const uint8_t *hay, size_t n, const void *needle, size_t nlen)
{
    for (size_t i = 0; nlen && i + nlen <= n; i++) {
        if (memcmp(hay + i, needle, nlen) == 0)
            return true;
    }
    return false;
}

static uint8_t *read_all(const char *path, size_t *n)
{
    *n = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long sz = ftell(fp);
    assert_true(sz >= 0);
    rewind(fp);
    uint8_t *buf = malloc((size_t)sz + 1);
    assert_non_null(buf);
    *n = fread(buf, 1, (size_t)sz, fp);
    fclose(fp);
    return buf;
}

/* Is `needle` anywhere in the key store file or its -wal? */
static bool in_keystore_files(const char *ks, const uint8_t *needle, size_t nlen)
{
    char wal[200];
    snprintf(wal, sizeof wal, "%s-wal", ks);
    const char *paths[] = {ks, wal};
    bool found = false;
    for (size_t i = 0; i < 2 && !found; i++) {
        size_t n;
        uint8_t *buf = read_all(paths[i], &n);
        if (buf && n >= nlen)
            found = contains(buf, n, needle, nlen);
        free(buf);
    }
    return found;
}

/* The wrapped key row of id, read with plain SQLite as an attacker with the file would. */
static size_t wrapped_of(const char *ks, int64_t id, uint8_t *out, size_t cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    assert_int_equal(sqlite3_open_v2(ks, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT wrapped FROM keys WHERE id = ?", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = (size_t)sqlite3_column_bytes(st, 0);
        assert_true(n <= cap);
        memcpy(out, sqlite3_column_blob(st, 0), n);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void seal_ok(struct privacy *p, int64_t key_id, const char *field, const char *text,
                    uint8_t **blob, size_t *len)
{
    struct proto_error err;
    if (privacy_seal(p, key_id, field, text, strlen(text), blob, len, &err) != 0)
        fail_msg("privacy_seal: %s", err.message);
    assert_int_equal(*len, strlen(text) + PRIVACY_SEAL_OVERHEAD);
}

static int open_code(struct privacy *p, int64_t key_id, const char *field, const uint8_t *blob,
                     size_t len, char *out, size_t outsz)
{
    struct proto_error err;
    memset(&err, 0, sizeof err);
    return privacy_open_field(p, key_id, field, blob, len, out, outsz, &err) == 0 ? PROTO_E_OK
                                                                                  : (int)err.code;
}

static int64_t new_key(struct privacy *p)
{
    struct proto_error err;
    int64_t id = 0;
    if (privacy_new_key(p, &id, &err) != 0)
        fail_msg("privacy_new_key: %s", err.message);
    assert_true(id > 0);
    return id;
}

/* ---- the data key ---- */

static void test_key_file_created_0600(void **state)
{
    struct fx *f = *state;
    char c1[65], c2[65];
    struct privacy *p = open_ok(f, true);
    key_check_of(p, c1);
    new_key(p); /* a write: the key store's -wal exists now, as private as the store */
    char wal[200];
    snprintf(wal, sizeof wal, "%s-wal", f->ks);
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0);
    privacy_close(p);
    assert_int_equal(stat(f->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65); /* 64 hex digits and a newline */
    assert_int_equal(stat(f->ks, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0);
    /* reopened, with creation now refused: the same key */
    p = open_ok(f, false);
    key_check_of(p, c2);
    privacy_close(p);
    assert_string_equal(c1, c2);
    /* create_key = true with a file present keeps that file */
    p = open_ok(f, true);
    key_check_of(p, c2);
    privacy_close(p);
    assert_string_equal(c1, c2);
}

static void test_key_file_missing_refused(void **state)
{
    struct fx *f = *state;
    refused(f, false, f->key);
    struct stat st;
    assert_int_equal(stat(f->key, &st), -1); /* and nothing was created */
    assert_int_equal(stat(f->ks, &st), -1);
}

/* A key store made under another key refuses a newly created key file, which is then
 * removed again: the failed open changed nothing. */
static void test_new_key_file_removed_when_refused(void **state)
{
    struct fx *f = *state;
    setenv(PRIVACY_KEY_ENV, HEX_A, 1);
    privacy_close(open_ok(f, false));
    unsetenv(PRIVACY_KEY_ENV);
    refused(f, true, f->ks);
    struct stat st;
    assert_int_equal(stat(f->key, &st), -1);
    /* and no temporary file is left beside it */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp", f->dir);
    assert_int_not_equal(system(cmd), 0);
}

static void test_key_file_mode_refused(void **state)
{
    struct fx *f = *state;
    write_file(f->key, HEX_A "\n", 65, 0644);
    refused(f, false, f->key);
    refused(f, true, f->key);
    assert_int_equal(chmod(f->key, 0640), 0);
    refused(f, false, f->key);
    assert_int_equal(chmod(f->key, 0602), 0);
    refused(f, false, f->key);
    assert_int_equal(chmod(f->key, 0400), 0); /* read-only for its owner is fine */
    privacy_close(open_ok(f, false));
    assert_int_equal(chmod(f->key, 0600), 0);
    privacy_close(open_ok(f, false));
}

static void test_key_file_wrong_size(void **state)
{
    struct fx *f = *state;
    uint8_t raw[64];
    for (int i = 0; i < 64; i++)
        raw[i] = (uint8_t)(0x11 * (i % 16));
    struct {
        const void *data;
        size_t n;
    } bad[] = {
        {raw, 31},          {raw, 33},       {raw, 0},     {HEX_A, 63},        {HEX_A "0", 65},
        {HEX_A "\n\n", 66}, {HEX_A " ", 65}, {HEX_ZZ, 64}, {HEX_A HEX_A, 128},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(f->key, bad[i].data, bad[i].n, 0600);
        refused(f, false, f->key);
    }
    /* the same key as 32 raw bytes, as 64 hex digits and as 64 hex digits + newline */
    uint8_t bin[32];
    for (int i = 0; i < 32; i++)
        bin[i] = (uint8_t)(i % 16 * 0x11);
    char c_raw[65], c_hex[65], c_nl[65];
    write_file(f->key, bin, 32, 0600);
    struct privacy *p = open_ok(f, false);
    key_check_of(p, c_raw);
    privacy_close(p);
    write_file(f->key, HEX_A, 64, 0600);
    p = open_ok(f, false);
    key_check_of(p, c_hex);
    privacy_close(p);
    write_file(f->key, HEX_A "\n", 65, 0600);
    p = open_ok(f, false);
    key_check_of(p, c_nl);
    privacy_close(p);
    assert_string_equal(c_raw, c_hex);
    assert_string_equal(c_hex, c_nl);
}

static void test_env_key(void **state)
{
    struct fx *f = *state;
    char c_env[65], c_file[65], c_b[65];
    /* no key file and creation refused: the variable is enough, and the file stays absent */
    setenv(PRIVACY_KEY_ENV, HEX_A, 1);
    struct privacy *p = open_ok(f, false);
    key_check_of(p, c_env);
    privacy_close(p);
    struct stat st;
    assert_int_equal(stat(f->key, &st), -1);
    unsetenv(PRIVACY_KEY_ENV);
    char other_db[200];
    snprintf(other_db, sizeof other_db, "%s/other.db", f->dir);
    char other_key[220];
    snprintf(other_key, sizeof other_key, "%s%s", other_db, PRIVACY_KEY_SUFFIX);
    write_file(other_key, HEX_A "\n", 65, 0600);
    struct proto_error err;
    assert_int_equal(open_with(&p, other_db, "", "", false, &err), 0);
    key_check_of(p, c_file);
    privacy_close(p);
    assert_string_equal(c_env, c_file);
    /* the variable wins over a key file, even one that would be refused */
    char third_db[200], third_key[220];
    snprintf(third_db, sizeof third_db, "%s/third.db", f->dir);
    snprintf(third_key, sizeof third_key, "%s%s", third_db, PRIVACY_KEY_SUFFIX);
    write_file(third_key, "junk", 4, 0644);
    setenv(PRIVACY_KEY_ENV, HEX_B, 1);
    assert_int_equal(open_with(&p, third_db, "", "", false, &err), 0);
    key_check_of(p, c_b);
    privacy_close(p);
    assert_string_not_equal(c_b, c_env);
    const char *bad[] = {"", HEX_A "\n", HEX_A "0", HEX_ZZ, "0011", HEX_A HEX_A};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv(PRIVACY_KEY_ENV, bad[i], 1);
        p = (struct privacy *)1;
        assert_int_equal(open_with(&p, f->db, "", "", true, &err), -1);
        assert_null(p);
        assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
        assert_non_null(strstr(err.message, PRIVACY_KEY_ENV));
        assert_null(strstr(err.message, "00112233")); /* the value is never echoed */
    }
}

static void test_key_check_and_keystore_key(void **state)
{
    struct fx *f = *state;
    char a1[65], a2[65], b[65];
    setenv(PRIVACY_KEY_ENV, HEX_A, 1);
    struct privacy *p = open_ok(f, false);
    key_check_of(p, a1);
    privacy_close(p);
    p = open_ok(f, false);
    key_check_of(p, a2);
    privacy_close(p);
    assert_string_equal(a1, a2);
    /* another key: another check, and the key store made under key A refuses it */
    setenv(PRIVACY_KEY_ENV, HEX_B, 1);
    refused(f, false, f->ks);
    char db2[200];
    snprintf(db2, sizeof db2, "%s/b.db", f->dir);
    struct proto_error err;
    assert_int_equal(open_with(&p, db2, "", "", false, &err), 0);
    key_check_of(p, b);
    privacy_close(p);
    assert_string_not_equal(a1, b);
    /* two ephemeral keys differ too */
    struct privacy *m1, *m2;
    assert_int_equal(open_with(&m1, ":memory:", "", "", false, &err), 0);
    assert_int_equal(open_with(&m2, "", "", "", false, &err), 0);
    key_check_of(m1, a1);
    key_check_of(m2, a2);
    assert_string_not_equal(a1, a2);
    privacy_close(m1);
    privacy_close(m2);
}

static void test_explicit_paths_and_bad_keystore(void **state)
{
    struct fx *f = *state;
    char key[200], ks[200], junk[200];
    snprintf(key, sizeof key, "%s/custom.key", f->dir);
    snprintf(ks, sizeof ks, "%s/custom.ks", f->dir);
    snprintf(junk, sizeof junk, "%s/junk.ks", f->dir);
    struct privacy *p;
    struct proto_error err;
    assert_int_equal(open_with(&p, f->db, key, ks, true, &err), 0);
    privacy_close(p);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(stat(ks, &st), 0);
    assert_int_equal(stat(f->key, &st), -1);
    assert_int_equal(stat(f->ks, &st), -1);
    write_file(junk, "this is not an SQLite database, just some text padding it out....", 66, 0600);
    p = (struct privacy *)1;
    assert_int_equal(open_with(&p, f->db, key, junk, false, &err), -1);
    assert_null(p);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_non_null(strstr(err.message, junk));
    /* an SQLite file that is not a key store */
    sqlite3 *db;
    unlink(junk);
    assert_int_equal(sqlite3_open(junk, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(open_with(&p, f->db, key, junk, false, &err), -1);
    assert_non_null(strstr(err.message, "not a Showfloor key store"));
}

/* ---- phone hash ---- */

static void test_phone_hash(void **state)
{
    struct fx *f = *state;
    uint8_t h1[PRIVACY_PHONE_HASH_LEN], h2[PRIVACY_PHONE_HASH_LEN], h3[PRIVACY_PHONE_HASH_LEN];
    uint8_t hb[PRIVACY_PHONE_HASH_LEN], hx[PRIVACY_PHONE_HASH_LEN];
    setenv(PRIVACY_KEY_ENV, HEX_A, 1);
    struct privacy *p = open_ok(f, false);
    privacy_phone_hash(p, "13812345678", h1);
    privacy_phone_hash(p, "13812345678", h2);
    privacy_phone_hash(p, "+86 138-1234-5678", h3);
    privacy_phone_hash(p, "13812345679", hx);
    privacy_close(p);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_equal(h1, h3, sizeof h1);
    assert_memory_not_equal(h1, hx, sizeof h1);
    /* the same key in another process: the same hash (lookups survive a restart) */
    p = open_ok(f, false);
    privacy_phone_hash(p, "13812345678", h2);
    privacy_close(p);
    assert_memory_equal(h1, h2, sizeof h1);
    /* another key: another hash, and the hash is not a plain unkeyed hash of the phone */
    char db2[200];
    snprintf(db2, sizeof db2, "%s/b.db", f->dir);
    setenv(PRIVACY_KEY_ENV, HEX_B, 1);
    struct proto_error err;
    assert_int_equal(open_with(&p, db2, "", "", false, &err), 0);
    privacy_phone_hash(p, "13812345678", hb);
    privacy_close(p);
    assert_memory_not_equal(h1, hb, sizeof h1);
}

/* ---- sealing ---- */

static void test_seal_open_round_trip(void **state)
{
    (void)state;
    struct privacy *p;
    struct proto_error err;
    assert_int_equal(open_with(&p, ":memory:", "", "", false, &err), 0);
    int64_t k = new_key(p);
    const char *texts[] = {"", "刘芳", "13812345678", "上海市浦东新区世纪大道 100 号 8 楼"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        uint8_t *blob;
        size_t len;
        char out[256];
        seal_ok(p, k, "name", texts[i], &blob, &len);
        assert_int_equal(blob[0], 1);
        assert_int_equal(open_code(p, k, "name", blob, len, out, sizeof out), PROTO_E_OK);
        assert_string_equal(out, texts[i]);
        /* exactly enough room, then one byte less */
        size_t need = strlen(texts[i]) + 1;
        assert_int_equal(open_code(p, k, "name", blob, len, out, need), PROTO_E_OK);
        assert_string_equal(out, texts[i]);
        assert_int_equal(open_code(p, k, "name", blob, len, out, need - 1), PROTO_E_BAD_FIELD);
        if (*texts[i]) /* the plaintext is not in the blob */
            assert_false(contains(blob, len, texts[i], strlen(texts[i])));
        free(blob);
    }
    /* a fresh nonce each time: sealing the same text twice gives two blobs */
    uint8_t *b1, *b2;
    size_t l1, l2;
    seal_ok(p, k, "phone", "13812345678", &b1, &l1);
    seal_ok(p, k, "phone", "13812345678", &b2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_not_equal(b1, b2, l1);
    free(b1);
    free(b2);
    privacy_close(p);
}

/* Nonces come from a pool filled by one getrandom: across several refills none repeats, and
 * a forked child never seals with the nonce its parent uses next. */
static void test_nonces_never_repeat(void **state)
{
    (void)state;
    enum { N = 1000, NB = PRIVACY_SEAL_OVERHEAD - 1 - 16 }; /* seals; bytes of one nonce */
    struct privacy *p;
    struct proto_error err;
    assert_int_equal(open_with(&p, ":memory:", "", "", false, &err), 0);
    int64_t k = new_key(p);
    static uint8_t seen[N][NB];
    for (int i = 0; i < N; i++) {
        uint8_t *blob;
        size_t len;
        seal_ok(p, k, "phone", "13812345678", &blob, &len);
        memcpy(seen[i], blob + 1, NB);
        free(blob);
        for (int j = 0; j < i; j++)
            if (memcmp(seen[i], seen[j], NB) == 0)
                fail_msg("seal %d reused the nonce of seal %d", i, j);
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    uint8_t *blob;
    size_t len;
    if (pid == 0) {
        close(fds[0]);
        int ok = privacy_seal(p, k, "phone", "1", 1, &blob, &len, &err) == 0 &&
                 write(fds[1], blob + 1, NB) == NB;
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    uint8_t child[NB];
    assert_int_equal(read(fds[0], child, NB), NB);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    seal_ok(p, k, "phone", "1", &blob, &len);
    assert_memory_not_equal(blob + 1, child, NB);
    free(blob);
    privacy_close(p);
}

static void test_seal_tamper_refused(void **state)
{
    (void)state;
    struct privacy *p;
    struct proto_error err;
    assert_int_equal(open_with(&p, ":memory:", "", "", false, &err), 0);
    int64_t k = new_key(p), other = new_key(p);
    uint8_t *blob;
    size_t len;
    char out[128];
    seal_ok(p, k, "phone", "13812345678", &blob, &len);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            blob[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(open_code(p, k, "phone", blob, len, out, sizeof out),
                             PROTO_E_INTERNAL);
            assert_string_equal(out, ""); /* nothing half-opened is left */
            blob[i] ^= (uint8_t)(1u << bit);
        }
    }
    /* truncated anywhere, and too short to hold the overhead */
    for (size_t n = 0; n < len; n++)
        assert_int_equal(open_code(p, k, "phone", blob, n, out, sizeof out), PROTO_E_INTERNAL);
    assert_int_equal(open_code(p, k, "phone", NULL, 0, out, sizeof out), PROTO_E_INTERNAL);
    /* another field of the same customer, the same field of another customer */
    assert_int_equal(open_code(p, k, "name", blob, len, out, sizeof out), PROTO_E_INTERNAL);
    assert_int_equal(open_code(p, k, "phone_", blob, len, out, sizeof out), PROTO_E_INTERNAL);
    assert_int_equal(open_code(p, other, "phone", blob, len, out, sizeof out), PROTO_E_INTERNAL);
    /* untouched, it still opens */
    assert_int_equal(open_code(p, k, "phone", blob, len, out, sizeof out), PROTO_E_OK);
    assert_string_equal(out, "13812345678");
    /* a key id that was never issued: not found; sealing under it too */
    assert_int_equal(open_code(p, 999999, "phone", blob, len, out, sizeof out), PROTO_E_NOT_FOUND);
    assert_int_equal(open_code(p, 0, "phone", blob, len, out, sizeof out), PROTO_E_NOT_FOUND);
    uint8_t *b2 = (uint8_t *)1;
    size_t l2 = 1;
    assert_int_equal(privacy_seal(p, 999999, "phone", "x", 1, &b2, &l2, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_null(b2);
    free(blob);
    privacy_close(p);
}

/* Sealed in one process, opened in the next: the key comes from the key store file. */
static void test_seal_survives_restart(void **state)
{
    struct fx *f = *state;
    struct privacy *p = open_ok(f, true);
    int64_t k = new_key(p);
    uint8_t *blob;
    size_t len;
    char out[64];
    seal_ok(p, k, "name", "王军", &blob, &len);
    privacy_close(p);
    p = open_ok(f, false);
    assert_true(privacy_has_key(p, k));
    assert_int_equal(open_code(p, k, "name", blob, len, out, sizeof out), PROTO_E_OK);
    assert_string_equal(out, "王军");
    privacy_close(p);
    /* the same key store under another data key is refused before anything opens */
    setenv(PRIVACY_KEY_ENV, HEX_B, 1);
    refused(f, false, f->ks);
    free(blob);
}

/* ---- key ids ---- */

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

struct count_ids {
    const int64_t *issued; /* sorted */
    size_t n;
    size_t seen;
    bool all_issued;
};

static int count_cb(int64_t key_id, void *ctx)
{
    struct count_ids *c = ctx;
    c->seen++;
    if (!bsearch(&key_id, c->issued, c->n, sizeof key_id, cmp_id))
        c->all_issued = false;
    return 0;
}

static void test_new_key_unique_across_restarts(void **state)
{
    struct fx *f = *state;
    enum { RUNS = 4, PER_RUN = 300 };
    int64_t *ids = calloc((size_t)RUNS * PER_RUN, sizeof *ids);
    assert_non_null(ids);
    size_t n = 0;
    int64_t max_before = 0;
    for (int run = 0; run < RUNS; run++) {
        struct privacy *p = open_ok(f, run == 0);
        /* a short run leaves most of its pool unissued: abandoned, never reissued */
        int take = run % 2 ? 3 : PER_RUN;
        for (int i = 0; i < take; i++) {
            int64_t id = new_key(p);
            assert_true(id > max_before);
            assert_true(privacy_has_key(p, id));
            ids[n++] = id;
        }
        max_before = ids[n - 1];
        privacy_close(p);
    }
    qsort(ids, n, sizeof *ids, cmp_id);
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i] > ids[i - 1]);
    /* the unissued rest of each run's pool was dropped at close: exactly the issued remain */
    struct privacy *q = open_ok(f, false);
    struct count_ids c = {ids, n, 0, true};
    struct proto_error err;
    assert_int_equal(privacy_each_key(q, count_cb, &c, &err), 0);
    assert_int_equal(c.seen, n);
    assert_true(c.all_issued);
    /* the highest id destroyed (an erased customer) is never reissued either: a restored
     * backup still names it, and must find it gone, not someone else's key */
    int64_t top = new_key(q);
    assert_int_equal(privacy_destroy_key(q, top, &err), 0);
    privacy_close(q);
    q = open_ok(f, false);
    assert_true(new_key(q) > top);
    privacy_close(q);
    /* two handles on one key store (two processes) draw from disjoint batches */
    struct privacy *a = open_ok(f, false), *b = open_ok(f, false);
    int64_t seen[64];
    for (int i = 0; i < 64; i += 2) {
        seen[i] = new_key(a);
        seen[i + 1] = new_key(b);
    }
    qsort(seen, 64, sizeof seen[0], cmp_id);
    for (int i = 1; i < 64; i++)
        assert_true(seen[i] > seen[i - 1]);
    assert_true(seen[0] > max_before);
    privacy_close(a);
    privacy_close(b);
    free(ids);
}

/* ---- destroying keys ---- */

static void test_destroy_key_leaves_no_copy(void **state)
{
    struct fx *f = *state;
    struct privacy *p = open_ok(f, true);
    int64_t k = new_key(p), keep = new_key(p);
    uint8_t *blob, *kept;
    size_t len, klen;
    char out[64];
    seal_ok(p, k, "phone", "13812345678", &blob, &len);
    seal_ok(p, keep, "phone", "13900001111", &kept, &klen);
    uint8_t wrapped[128], wrapped_keep[128];
    size_t wn = wrapped_of(f->ks, k, wrapped, sizeof wrapped);
    assert_int_equal(wn, 32 + PRIVACY_SEAL_OVERHEAD);
    assert_int_equal(wrapped_of(f->ks, keep, wrapped_keep, sizeof wrapped_keep), wn);
    /* the search can find it: before destruction the wrapped key is on disk */
    assert_true(in_keystore_files(f->ks, wrapped, wn));
    struct proto_error err;
    assert_int_equal(privacy_destroy_key(p, k, &err), 0);
    assert_false(privacy_has_key(p, k));
    assert_int_equal(open_code(p, k, "phone", blob, len, out, sizeof out), PROTO_E_NOT_FOUND);
    assert_false(in_keystore_files(f->ks, wrapped, wn));
    char wal[200];
    snprintf(wal, sizeof wal, "%s-wal", f->ks);
    struct stat st;
    assert_true(stat(wal, &st) != 0 || st.st_size == 0);
    /* the other customer is untouched */
    assert_true(in_keystore_files(f->ks, wrapped_keep, wn));
    assert_int_equal(open_code(p, keep, "phone", kept, klen, out, sizeof out), PROTO_E_OK);
    /* destroying again (a resumed erasure) and destroying id 0 are fine */
    assert_int_equal(privacy_destroy_key(p, k, &err), 0);
    assert_int_equal(privacy_destroy_key(p, 0, &err), 0);
    privacy_close(p);
    /* and after a restart it is still gone */
    p = open_ok(f, false);
    assert_false(privacy_has_key(p, k));
    assert_int_equal(open_code(p, k, "phone", blob, len, out, sizeof out), PROTO_E_NOT_FOUND);
    privacy_close(p);
    free(blob);
    free(kept);
}

/* Many keys destroyed in scattered order, so SQLite merges and rebalances pages: no copy of
 * any destroyed wrapped key may survive in a page's free space either. */
static void test_destroy_many_leaves_no_copy(void **state)
{
    struct fx *f = *state;
    enum { N = 700 };
    struct privacy *p = open_ok(f, true);
    int64_t ids[N];
    for (int i = 0; i < N; i++)
        ids[i] = new_key(p);
    static uint8_t wrapped[N][128];
    size_t wn = 0;
    for (int i = 0; i < N; i++)
        wn = wrapped_of(f->ks, ids[i], wrapped[i], sizeof wrapped[i]);
    struct proto_error err;
    bool gone[N] = {false};
    for (int i = 0; i < N; i++) {
        int j = (int)((i * 379L) % N); /* 379 is prime to N: a permutation */
        if (j % 7 == 3)
            continue; /* one in seven stays */
        assert_int_equal(privacy_destroy_key(p, ids[j], &err), 0);
        gone[j] = true;
    }
    for (int i = 0; i < N; i++) {
        if (in_keystore_files(f->ks, wrapped[i], wn) == gone[i])
            fail_msg("key %lld (%s) %s in the key store files", (long long)ids[i],
                     gone[i] ? "destroyed" : "kept", gone[i] ? "still" : "not");
        assert_int_equal(privacy_has_key(p, ids[i]), !gone[i]);
    }
    privacy_close(p);
}

/* Another process destroys a key this handle has opened and cached: has_key sees it at
 * once, opening sees it within the cache's revalidation interval (200 ms). */
static void test_destroy_seen_by_other_handle(void **state)
{
    struct fx *f = *state;
    struct privacy *a = open_ok(f, true), *b = open_ok(f, false);
    int64_t k = new_key(a), k3 = new_key(a);
    uint8_t *blob, *blob3;
    size_t len, len3;
    char out[64];
    struct proto_error err;
    seal_ok(a, k, "name", "赵敏", &blob, &len);
    seal_ok(a, k3, "name", "钱总", &blob3, &len3);
    assert_int_equal(open_code(a, k, "name", blob, len, out, sizeof out), PROTO_E_OK);
    assert_int_equal(open_code(b, k, "name", blob, len, out, sizeof out), PROTO_E_OK);
    assert_int_equal(privacy_destroy_key(b, k, &err), 0);
    usleep(300 * 1000);
    assert_int_equal(open_code(a, k, "name", blob, len, out, sizeof out), PROTO_E_NOT_FOUND);
    assert_false(privacy_has_key(a, k));
    /* has_key asks the key store itself, and forgets the cached key it finds gone */
    assert_int_equal(open_code(a, k3, "name", blob3, len3, out, sizeof out), PROTO_E_OK);
    assert_int_equal(privacy_destroy_key(b, k3, &err), 0);
    assert_false(privacy_has_key(a, k3));
    assert_int_equal(open_code(a, k3, "name", blob3, len3, out, sizeof out), PROTO_E_NOT_FOUND);
    /* a's pool keys, dropped from its cache with everything else, still work from the store */
    int64_t k2 = new_key(a);
    free(blob);
    seal_ok(a, k2, "name", "孙浩", &blob, &len);
    assert_int_equal(open_code(b, k2, "name", blob, len, out, sizeof out), PROTO_E_OK);
    assert_string_equal(out, "孙浩");
    free(blob);
    free(blob3);
    privacy_close(a);
    privacy_close(b);
}

/* ---- listing ---- */

struct collect {
    int64_t ids[64];
    size_t n;
    size_t stop_after;
};

static int collect_cb(int64_t key_id, void *ctx)
{
    struct collect *c = ctx;
    if (c->n < 64)
        c->ids[c->n] = key_id;
    c->n++;
    return c->stop_after && c->n >= c->stop_after ? 1 : 0;
}

static void test_each_key(void **state)
{
    (void)state;
    struct privacy *p;
    struct proto_error err;
    assert_int_equal(open_with(&p, ":memory:", "", "", false, &err), 0);
    struct collect c = {.n = 0};
    assert_int_equal(privacy_each_key(p, collect_cb, &c, &err), 0);
    assert_int_equal(c.n, 0);
    int64_t k[5];
    for (int i = 0; i < 5; i++)
        k[i] = new_key(p);
    assert_int_equal(privacy_destroy_key(p, k[1], &err), 0);
    assert_int_equal(privacy_destroy_key(p, k[3], &err), 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(privacy_each_key(p, collect_cb, &c, &err), 0);
    /* the pool's unissued keys are in the store too: the issued ones come first, in order */
    assert_true(c.n >= 3);
    assert_int_equal(c.ids[0], k[0]);
    assert_int_equal(c.ids[1], k[2]);
    assert_int_equal(c.ids[2], k[4]);
    for (size_t i = 1; i < c.n && i < 64; i++)
        assert_true(c.ids[i] > c.ids[i - 1]);
    /* a callback that stops the walk */
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    assert_int_equal(privacy_each_key(p, collect_cb, &c, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_int_equal(c.n, 2);
    privacy_close(p);
    privacy_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_file_created_0600, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file_missing_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_key_file_removed_when_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file_mode_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file_wrong_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_check_and_keystore_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_paths_and_bad_keystore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phone_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal_open_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nonces_never_repeat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal_tamper_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal_survives_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_key_unique_across_restarts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_key_leaves_no_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_many_leaves_no_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_seen_by_other_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

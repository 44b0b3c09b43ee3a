/* Backups and restore (hub/store_backup.c, hub/store_restore.c): a copy taken while another
 * connection keeps committing is one consistent state; every kind of bad file is refused
 * with its own code and changes nothing; a restore refuses a database in use, keeps the one
 * it replaces, migrates an older backup and verifies the audit chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <stdatomic.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "privacy.h"
#include "store.h"
#include "store_backup.h"

#define NOW 1795312800000LL

struct fx {
    char dir[64];
    char db[128], out[128], other[128];
    struct store *s;
};

static void fx_path(struct fx *f, char *buf, const char *name)
{
    snprintf(buf, 128, "%s/%s", f->dir, name);
}

/* Appends n audit records with a body of `pad` bytes, in one transaction. */
static void add_records(struct store *s, int n, size_t pad)
{
    struct proto_error err;
    char *after = malloc(pad + 32);
    assert_non_null(after);
    snprintf(after, pad + 32, "{\"pad\":\"%0*d\"}", (int)pad, 7);
    assert_int_equal(store_begin(s, &err), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(store_audit_append(s, 0, "cli", "test", "x", "test_add", NULL, after,
                                            NOW + i, NULL, &err),
                         0);
    assert_int_equal(store_commit(s, &err), 0);
    free(after);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sf-test-backup-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    fx_path(f, f->db, "hub.db");
    fx_path(f, f->out, "hub.backup");
    fx_path(f, f->other, "other.db");
    struct proto_error err;
    assert_int_equal(store_open(&f->s, f->db, &err), 0);
    add_records(f->s, 50, 100);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int64_t sql_int(const char *path, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static int exists_suffix(const char *path, const char *suffix)
{
    char p[160];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return exists(p);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A copy of db is opened with db's keys (a copy's own path has none: migration 8). */
static struct store_audit_result audit_of(const char *db, const char *path)
{
    struct store *s;
    struct proto_error err;
    struct store_audit_result r;
    char key_file[160], keystore[160];
    snprintf(key_file, sizeof key_file, "%s%s", db, PRIVACY_KEY_SUFFIX);
    snprintf(keystore, sizeof keystore, "%s%s", db, PRIVACY_KEYSTORE_SUFFIX);
    struct privacy_opts po = {.key_file = key_file, .keystore = keystore};
    assert_int_equal(store_open_with(&s, path, &po, &err), 0);
    assert_int_equal(store_audit_verify(s, &r, &err), 0);
    store_close(s);
    return r;
}

/* A backup is one whole file: checked, 0600, no -wal or temporary file beside it, the same
 * installation and records, and its header says rollback journal (byte 18 == 1). */
static void test_backup_is_a_checked_single_file(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct store_backup_info info;
    enum store_backup_refusal why;
    assert_int_equal(store_backup_to(f->s, f->out, NULL, &info, &why, &err), 0);
    assert_int_equal(why, STORE_BACKUP_NONE);
    assert_int_equal(info.schema_version, store_schema_version());
    assert_string_equal(info.hub_id, store_hub_id(f->s));
    assert_int_equal(info.audit_records, 50);
    assert_true(info.pages > 0 && info.page_size >= 512 && info.steps >= 1);
    struct stat st;
    assert_int_equal(stat(f->out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, info.pages * info.page_size);
    assert_false(exists_suffix(f->out, ".tmp"));
    assert_false(exists_suffix(f->out, "-wal"));
    FILE *in = fopen(f->out, "rb");
    unsigned char hdr[20];
    assert_int_equal(fread(hdr, 1, sizeof hdr, in), sizeof hdr);
    fclose(in);
    assert_int_equal(hdr[18], 1);
    assert_int_equal(hdr[19], 1);
    struct store_audit_result r = audit_of(f->db, f->out);
    assert_true(r.ok);
    assert_int_equal(r.count, 50);
    /* the read-only check leaves the file as it is */
    assert_int_equal(store_backup_check(f->out, false, &info, &why, &err), 0);
    assert_int_equal(info.audit_records, 50);
}

static void test_backup_refuses_existing_and_same_file(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    write_text(f->out, "keep me");
    assert_int_equal(store_backup_to(f->s, f->out, NULL, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_EXISTS);
    assert_string_equal(store_backup_refusal_code(why), "exists");
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 50);
    FILE *in = fopen(f->out, "rb");
    char buf[16] = "";
    assert_non_null(fgets(buf, sizeof buf, in));
    fclose(in);
    assert_string_equal(buf, "keep me");
    struct store_backup_opts replace = {.sleep_ms = 0, .replace = true};
    assert_int_equal(store_backup_to(f->s, f->out, &replace, NULL, &why, &err), 0);
    assert_int_equal(sql_int(f->out, "SELECT count(*) FROM audit"), 50);
    assert_int_equal(store_backup_to(f->s, f->db, &replace, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_SAME_FILE);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 50);
}

static void test_backup_cancelled_leaves_nothing(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    atomic_int cancel;
    atomic_init(&cancel, 1);
    struct store_backup_opts opt = {.step_pages = 1, .sleep_ms = 0, .cancel = &cancel};
    assert_int_equal(store_backup_to(f->s, f->out, &opt, NULL, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_string_equal(err.message, "cancelled");
    assert_false(exists(f->out));
    assert_false(exists_suffix(f->out, ".tmp"));
    /* the source's read transaction was ended: it can write again */
    add_records(f->s, 1, 10);
}

struct writer {
    const char *path;
    atomic_int stop;
    atomic_int written;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct store *s;
    struct proto_error err;
    if (store_open(&s, w->path, &err) != 0)
        return NULL;
    while (!atomic_load(&w->stop)) {
        if (store_begin(s, &err) == 0 &&
            store_audit_append(s, 0, "cli", "test", "w", "test_write", NULL, "{\"w\":1}", NOW, NULL,
                               &err) == 0 &&
            store_commit(s, &err) == 0)
            atomic_fetch_add(&w->written, 1);
        else
            store_rollback(s);
    }
    store_close(s);
    return NULL;
}

/* Commits keep arriving from another connection during a slow, page-by-page copy: the copy
 * is one state (its chain verifies), holds every record committed before it began, and
 * was not restarted (one step per page, no more). */
static void test_backup_is_consistent_under_writes(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    add_records(f->s, 400, 2000); /* a few hundred pages */
    struct writer w = {.path = f->db};
    atomic_init(&w.stop, 0);
    atomic_init(&w.written, 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer_main, &w), 0);
    while (atomic_load(&w.written) < 5)
        usleep(1000);
    int64_t before = sql_int(f->db, "SELECT count(*) FROM audit");
    int written_before = atomic_load(&w.written);
    struct store_backup_opts opt = {.step_pages = 1, .sleep_ms = 1};
    struct store_backup_info info;
    assert_int_equal(store_backup_to(f->s, f->out, &opt, &info, NULL, &err), 0);
    int written_during = atomic_load(&w.written) - written_before;
    atomic_store(&w.stop, 1);
    pthread_join(t, NULL);
    int64_t after = sql_int(f->db, "SELECT count(*) FROM audit");
    assert_true(written_during > 0); /* the test really overlapped writes with the copy */
    assert_true(info.audit_records >= before);
    assert_true(info.audit_records < after);
    assert_int_equal(info.steps, info.pages); /* step_pages=1: never started over */
    struct store_audit_result r = audit_of(f->db, f->out);
    assert_true(r.ok);
    assert_int_equal(r.count, info.audit_records);
}

/* Each kind of bad file has its refusal code. */
static void test_check_refuses_bad_files(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    assert_int_equal(store_backup_to(f->s, f->out, NULL, NULL, NULL, &err), 0);
    char p[128];

    fx_path(f, p, "missing.backup");
    assert_int_equal(store_backup_check(p, false, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_MISSING);

    fx_path(f, p, "text.backup");
    write_text(p, "this is not a database, but a text file long enough to have a header.......");
    assert_int_equal(store_backup_check(p, false, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_NOT_A_DATABASE);

    fx_path(f, p, "foreign.backup");
    sql_exec(p, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    assert_int_equal(store_backup_check(p, false, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_FOREIGN);

    fx_path(f, p, "newer.backup");
    copy_file(f->out, p);
    sql_exec(p, "PRAGMA user_version = 99");
    assert_int_equal(store_backup_check(p, false, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_NEWER_SCHEMA);
    assert_non_null(strstr(err.message, "newer"));

    /* garbage over the middle of every page after the first three */
    fx_path(f, p, "damaged.backup");
    copy_file(f->out, p);
    int64_t page = sql_int(p, "PRAGMA page_size"), pages = sql_int(p, "PRAGMA page_count");
    FILE *io = fopen(p, "r+b");
    for (int64_t i = 3; i < pages; i++) {
        assert_int_equal(fseek(io, (long)(i * page + 40), SEEK_SET), 0);
        for (int k = 0; k < 64; k++)
            fputc(0xA5, io);
    }
    fclose(io);
    assert_int_equal(store_backup_check(p, false, NULL, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_DAMAGED);
}

/* Restore into a path with no database: nothing kept, the chain verifies. */
static void test_restore_into_new_path(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    assert_int_equal(store_backup_to(f->s, f->out, NULL, NULL, NULL, &err), 0);
    struct store_restore_opts o = {.now = NOW};
    struct store_restore_result r;
    assert_int_equal(store_restore(f->out, f->other, &o, &r, &why, &err), 0);
    assert_false(r.replaced);
    assert_true(r.audit.ok);
    assert_int_equal(r.audit.count, 50);
    assert_int_equal(sql_int(f->other, "SELECT count(*) FROM audit"), 50);
    assert_false(exists_suffix(f->other, ".restore-tmp"));
}

/* Restore over a database: refused while a connection is open (nothing changes), then done
 * with the replaced database kept as it was. */
static void test_restore_refuses_in_use_then_keeps_old(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    assert_int_equal(store_backup_to(f->s, f->out, NULL, NULL, NULL, &err), 0);
    add_records(f->s, 7, 10); /* the live database moves on: 57 records */
    struct store_restore_opts o = {.now = NOW};
    struct store_restore_result r;
    assert_int_equal(store_restore(f->out, f->db, &o, &r, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_IN_USE);
    assert_false(exists_suffix(f->db, ".restore-tmp"));
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 57);
    char hub_id[STORE_HASH_HEX_LEN + 1];
    snprintf(hub_id, sizeof hub_id, "%s", store_hub_id(f->s));

    store_close(f->s);
    f->s = NULL;
    chmod(f->db, 0640);
    assert_int_equal(store_restore(f->out, f->db, &o, &r, &why, &err), 0);
    assert_true(r.replaced);
    assert_string_equal(r.current_hub_id, hub_id);
    assert_non_null(strstr(r.kept, ".before-restore-20261122T"));
    assert_false(exists_suffix(f->db, "-wal")); /* nothing of the old WAL is left to replay */
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 50);
    assert_int_equal(sql_int(r.kept, "SELECT count(*) FROM audit"), 57);
    struct stat st;
    assert_int_equal(stat(f->db, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* the replaced file's mode, for the hub's user */
    assert_true(audit_of(f->db, r.kept).ok);
    /* a second restore in the same second keeps under another name */
    char first[sizeof r.kept];
    snprintf(first, sizeof first, "%s", r.kept);
    assert_int_equal(store_restore(f->out, f->db, &o, &r, &why, &err), 0);
    assert_string_not_equal(first, r.kept);
    assert_int_equal(store_open(&f->s, f->db, &err), 0);
}

/* Another installation's backup and a broken audit chain need --force; bad files never. */
static void test_restore_force_rules(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    struct store *o2;
    assert_int_equal(store_open(&o2, f->other, &err), 0); /* another hub_id */
    add_records(o2, 3, 10);
    store_close(o2);
    char foreign[128], tampered[128];
    fx_path(f, foreign, "foreign-hub.backup");
    fx_path(f, tampered, "tampered.backup");
    assert_int_equal(store_open(&o2, f->other, &err), 0);
    assert_int_equal(store_backup_to(o2, foreign, NULL, NULL, NULL, &err), 0);
    store_close(o2);
    assert_int_equal(store_backup_to(f->s, tampered, NULL, NULL, NULL, &err), 0);
    sql_exec(tampered, "UPDATE audit SET actor = 'staff:S999' WHERE id = 2");
    store_close(f->s);
    f->s = NULL;

    struct store_restore_opts o = {.now = NOW};
    struct store_restore_result r;
    assert_int_equal(store_restore(foreign, f->db, &o, &r, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_OTHER_HUB);
    assert_int_equal(store_restore(tampered, f->db, &o, &r, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_AUDIT_BROKEN);
    assert_non_null(strstr(err.message, "record 2"));
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 50);
    assert_false(exists_suffix(f->db, ".restore-tmp"));

    char text[128];
    fx_path(f, text, "text.backup");
    write_text(text, "not a database at all, not even with --force, ....................");
    o.force = true;
    assert_int_equal(store_restore(text, f->db, &o, &r, &why, &err), -1);
    assert_int_equal(why, STORE_BACKUP_NOT_A_DATABASE);

    assert_int_equal(store_restore(tampered, f->db, &o, &r, &why, &err), 0);
    assert_false(r.audit.ok);
    assert_int_equal(r.audit.bad_id, 2);
    assert_int_equal(store_restore(foreign, f->db, &o, &r, &why, &err), 0);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(store_open(&f->s, f->db, &err), 0);
}

/* A backup from an older program (schema 2) is migrated on the way in. */
static void test_restore_migrates_older_backup(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    enum store_backup_refusal why;
    char old[128];
    fx_path(f, old, "v2.backup");
    FILE *in = fopen(SF_FIXTURES "/v2.sql", "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *sql = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(sql, 1, (size_t)n, in), (size_t)n);
    fclose(in);
    sql_exec(old, sql);
    free(sql);
    assert_int_equal(sql_int(old, "PRAGMA user_version"), 2);
    struct store_restore_opts o = {.now = NOW};
    struct store_restore_result r;
    assert_int_equal(store_restore(old, f->other, &o, &r, &why, &err), 0);
    assert_int_equal(r.backup.schema_version, 2);
    assert_int_equal(r.schema_version, store_schema_version());
    assert_int_equal(sql_int(f->other, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(sql_int(old, "PRAGMA user_version"), 2); /* the backup is untouched */
    assert_true(r.audit.ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_is_a_checked_single_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses_existing_and_same_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_backup_cancelled_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_is_consistent_under_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_refuses_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_into_new_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_in_use_then_keeps_old, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_force_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_migrates_older_backup, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

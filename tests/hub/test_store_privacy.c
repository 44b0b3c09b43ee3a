/* Personal data at rest (migration 8, store.h "At rest"): the database file and its WAL hold
 * no customer's phone or name in the clear; lookups by phone and every joined read still
 * work; erasure empties a customer for good and frees the phone; the open-time sweep erases
 * customers whose key is gone; another data key is refused; a version-7 database with
 * plaintext customers is sealed by the migration. */
#define _GNU_SOURCE /* memmem */
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
#include <sodium.h>
#include <sqlite3.h>

#include "privacy.h"
#include "store.h"

#define NOW  1795312800000LL
#define HOUR 3600000LL

struct fx {
    char path[64];
    struct store *s;
    int64_t site, consultant;
};

/* The paths a test database leaves: itself, its WAL and shared memory, its keys. */
static void remove_all(const char *path)
{
    static const char *const sfx[] = {"",          "-wal",          "-shm",          ".data-key",
                                      ".keystore", ".keystore-wal", ".keystore-shm", ".other-key",
                                      ".other-ks", ".other-ks-wal", ".other-ks-shm"};
    char p[128];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

static void temp_path(char *path, size_t sz)
{
    snprintf(path, sz, "/tmp/sf-test-privacy-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
}

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("%s: %s", proto_error_code(err->code), err->message);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    temp_path(f->path, sizeof f->path);
    struct proto_error err;
    ok(store_open(&f->s, f->path, &err), &err);
    ok(store_begin(f->s, &err), &err);
    ok(store_sites_add(f->s, "SH01", "上海浦东店", 480, &f->site, &err), &err);
    ok(store_staff_add(f->s, f->site, "S003", "张伟", DOMAIN_ROLE_CONSULTANT, "$argon2id$fake",
                       &f->consultant, &err),
       &err);
    ok(store_models_add(f->s, "XH7", "星河 7", "Xinghe 7", 18980000, NULL, &err), &err);
    ok(store_commit(f->s, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    remove_all(f->path);
    free(f);
    return 0;
}

static int64_t add_person(struct store *s, const char *phone, const char *name,
                          const char *id_number)
{
    struct proto_error err;
    struct store_customer c;
    memset(&c, 0, sizeof c);
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.id_number, sizeof c.id_number, "%s", id_number);
    snprintf(c.consent_version, sizeof c.consent_version, "2026-1");
    snprintf(c.consent_purpose, sizeof c.consent_purpose, "checkin");
    c.consent_at = NOW;
    c.created_at = NOW;
    int64_t id = 0;
    ok(store_customers_add(s, &c, &id, &err), &err);
    return id;
}

static int64_t add_company(struct store *s)
{
    struct proto_error err;
    struct store_customer c;
    memset(&c, 0, sizeof c);
    c.kind = STORE_CUSTOMER_COMPANY;
    snprintf(c.phone, sizeof c.phone, "02161234567");
    snprintf(c.name, sizeof c.name, "上海星河贸易有限公司");
    snprintf(c.company_address, sizeof c.company_address, "上海市浦东新区张江路88号");
    snprintf(c.legal_rep, sizeof c.legal_rep, "钱德明");
    snprintf(c.contact_name, sizeof c.contact_name, "孙小梅");
    snprintf(c.business_scope, sizeof c.business_scope, "汽车销售");
    c.credit_limit_fen = 50000000;
    c.created_at = NOW;
    int64_t id = 0;
    ok(store_customers_add(s, &c, &id, &err), &err);
    return id;
}

/* The whole file (NULL-terminated buffer, *n its size; an absent file reads as empty). */
static char *slurp(const char *path, size_t *n)
{
    *n = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return calloc(1, 1);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
    buf[len] = 0;
    fclose(fp);
    *n = (size_t)len;
    return buf;
}

/* Fails naming the needle if any of the database's files holds it. */
static void assert_absent(const char *db, const char *const needles[])
{
    static const char *const sfx[] = {"", "-wal"};
    for (size_t i = 0; i < 2; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        size_t n;
        char *bytes = slurp(p, &n);
        for (size_t k = 0; needles[k]; k++)
            if (memmem(bytes, n, needles[k], strlen(needles[k])))
                fail_msg("%s holds \"%s\" in the clear", p, needles[k]);
        free(bytes);
    }
}

static void assert_present(const char *path, const char *needle)
{
    size_t n;
    char *bytes = slurp(path, &n);
    int found = memmem(bytes, n, needle, strlen(needle)) != NULL;
    free(bytes);
    assert_true(found);
}

static const char *const person_data[] = {"13812345678",
                                          "刘芳",
                                          "310101199001011234",
                                          "02161234567",
                                          "上海星河贸易有限公司",
                                          "张江路88号",
                                          "钱德明",
                                          "孙小梅",
                                          NULL};

static void test_no_plaintext_in_the_files(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    add_person(f->s, "13812345678", "刘芳", "310101199001011234");
    add_company(f->s);
    ok(store_commit(f->s, &err), &err);
    /* before a checkpoint the new pages are in the WAL; after it, in the main file */
    char wal[96];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    struct stat sb;
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size > 0);
    assert_present(wal, "上海浦东店"); /* the search sees text that is in the clear */
    assert_absent(f->path, person_data);
    ok(store_checkpoint_truncate(f->s, &err), &err);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    assert_present(f->path, "上海浦东店");
    assert_present(f->path, "汽车销售"); /* business scope is not personal: stays plain */
    assert_absent(f->path, person_data);
    /* and the data key is nowhere in the database */
    char keyfile[96];
    snprintf(keyfile, sizeof keyfile, "%s.data-key", f->path);
    assert_int_equal(stat(keyfile, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);
}

static void test_lookup_and_read_back(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    int64_t p = add_person(f->s, "13812345678", "刘芳", "310101199001011234");
    int64_t c = add_company(f->s);
    ok(store_commit(f->s, &err), &err);

    struct store_customer got;
    ok(store_customers_find_by_phone(f->s, "13812345678", &got, &err), &err);
    assert_int_equal(got.id, p);
    assert_string_equal(got.name, "刘芳");
    assert_string_equal(got.phone, "13812345678");
    assert_string_equal(got.id_number, "310101199001011234");
    assert_string_equal(got.consent_purpose, "checkin");
    assert_true(got.key_id > 0);
    assert_int_equal(got.erased_at, 0);
    assert_string_equal(got.company_address, "");

    ok(store_customers_get(f->s, c, &got, &err), &err);
    assert_int_equal(got.kind, STORE_CUSTOMER_COMPANY);
    assert_string_equal(got.company_address, "上海市浦东新区张江路88号");
    assert_string_equal(got.legal_rep, "钱德明");
    assert_string_equal(got.contact_name, "孙小梅");
    assert_string_equal(got.business_scope, "汽车销售");
    assert_int_equal(got.credit_limit_fen, 50000000);

    assert_int_equal(store_customers_find_by_phone(f->s, "13812345679", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* one phone, one customer: the hash is unique */
    ok(store_begin(f->s, &err), &err);
    struct store_customer dup;
    memset(&dup, 0, sizeof dup);
    snprintf(dup.phone, sizeof dup.phone, "13812345678");
    dup.created_at = NOW;
    assert_int_equal(store_customers_add(f->s, &dup, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    dup.phone[0] = '\0';
    assert_int_equal(store_customers_add(f->s, &dup, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_BAD_FIELD);
    /* consent: the purpose is recorded with _for and kept by the plain variant */
    ok(store_customers_set_consent_for(f->s, c, NOW + HOUR, "2026-2", "order", &err), &err);
    ok(store_customers_set_consent(f->s, c, NOW + 2 * HOUR, "2026-3", &err), &err);
    ok(store_commit(f->s, &err), &err);
    ok(store_customers_get(f->s, c, &got, &err), &err);
    assert_string_equal(got.consent_purpose, "order");
    assert_string_equal(got.consent_version, "2026-3");
    assert_int_equal(got.consent_at, NOW + 2 * HOUR);
    assert_int_equal(store_customers_set_consent_for(f->s, 999, NOW, "v", "order", &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
}

struct joined {
    int64_t order, visit, lead;
};

static struct joined add_joined(struct fx *f, int64_t cust)
{
    struct proto_error err;
    struct joined j;
    struct store_order o;
    memset(&o, 0, sizeof o);
    o.site_id = f->site;
    snprintf(o.order_no, sizeof o.order_no, "SF2611-%04lld", (long long)cust);
    o.customer_id = cust;
    o.consultant_id = f->consultant;
    snprintf(o.model_code, sizeof o.model_code, "XH7");
    o.quantity = 1;
    o.unit_price_fen = o.total_fen = 18980000;
    o.payment = DOMAIN_PAY_FULL;
    o.stage = DOMAIN_STAGE_ENTERED;
    o.times.created_at = o.entered_at = NOW;
    ok(store_orders_add(f->s, &o, &j.order, &err), &err);
    struct store_visit v;
    memset(&v, 0, sizeof v);
    v.site_id = f->site;
    v.customer_id = cust;
    v.consultant_id = f->consultant;
    v.assigned_by = DOMAIN_ASSIGN_ROTATION;
    v.status = STORE_VISIT_WAITING;
    v.arrived_at = NOW;
    v.first_visit_said = -1;
    ok(store_visits_add(f->s, &v, &j.visit, &err), &err);
    struct store_lead l;
    memset(&l, 0, sizeof l);
    l.site_id = f->site;
    l.customer_id = cust;
    snprintf(l.channel, sizeof l.channel, "walk_in");
    l.grade = 'A';
    l.status = STORE_LEAD_OPEN;
    l.created_at = NOW;
    snprintf(l.name, sizeof l.name, "刘小芳"); /* the inquiry's own spelling */
    ok(store_leads_add(f->s, &l, &j.lead, &err), &err);
    return j;
}

/* The customer object of each joined read: {"name","phone"} as expected. */
static void assert_joined(struct fx *f, struct joined j, const char *name, const char *phone)
{
    struct proto_error err;
    cJSON *full[3] = {NULL, NULL, NULL};
    ok(store_orders_json(f->s, j.order, &full[0], &err), &err);
    ok(store_visits_json(f->s, j.visit, &full[1], &err), &err);
    ok(store_leads_json(f->s, j.lead, &full[2], &err), &err);
    for (int i = 0; i < 3; i++) {
        const cJSON *c = cJSON_GetObjectItem(full[i], "customer");
        assert_non_null(c);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), name);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(c, "phone")), phone);
        cJSON_Delete(full[i]);
    }
}

static int count_order(void *ctx, const struct store_order *o)
{
    (void)o;
    ++*(int *)ctx;
    return 0;
}

static void test_joined_reads_open_the_customer(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    int64_t p = add_person(f->s, "13812345678", "刘芳", "");
    struct joined j = add_joined(f, p);
    ok(store_commit(f->s, &err), &err);
    assert_joined(f, j, "刘芳", "13812345678");
    struct store_lead l;
    ok(store_leads_get(f->s, j.lead, &l, &err), &err);
    assert_string_equal(l.name, "刘小芳");
    /* an update re-seals the name; the lead list's search opens it in SQL */
    ok(store_begin(f->s, &err), &err);
    snprintf(l.name, sizeof l.name, "刘晓芳");
    ok(store_leads_update(f->s, &l, NOW + HOUR, &err), &err);
    ok(store_commit(f->s, &err), &err);
    ok(store_leads_get(f->s, j.lead, &l, &err), &err);
    assert_string_equal(l.name, "刘晓芳");
    ok(store_checkpoint_truncate(f->s, &err), &err);
    static const char *const lead_names[] = {"刘小芳", "刘晓芳", NULL};
    assert_absent(f->path, lead_names);
    /* the order list's search by the phone's tail opens the phone in SQL */
    struct store_order_filter q = {.site_id = f->site, .stage = -1, .q = "5678"};
    int n = 0, total = 0;
    ok(store_orders_list(f->s, &q, count_order, &n, &total, &err), &err);
    assert_int_equal(n, 1);
    q.q = "5679";
    n = 0;
    ok(store_orders_list(f->s, &q, count_order, &n, &total, &err), &err);
    assert_int_equal(n, 0);
}

static void test_erase(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    int64_t p = add_person(f->s, "13812345678", "刘芳", "310101199001011234");
    int64_t keep = add_person(f->s, "13900001111", "王军", "");
    struct joined j = add_joined(f, p);
    ok(store_commit(f->s, &err), &err);
    struct store_customer got;
    ok(store_customers_get(f->s, p, &got, &err), &err);
    int64_t key_id = got.key_id;
    assert_true(privacy_has_key(store_privacy(f->s), key_id));

    ok(store_begin(f->s, &err), &err);
    ok(store_customers_erase(f->s, p, NOW + HOUR, &err), &err);
    ok(store_commit(f->s, &err), &err);
    ok(store_checkpoint_truncate(f->s, &err), &err);
    assert_false(privacy_has_key(store_privacy(f->s), key_id));

    ok(store_customers_get(f->s, p, &got, &err), &err);
    assert_int_equal(got.erased_at, NOW + HOUR);
    assert_int_equal(got.key_id, 0);
    assert_string_equal(got.phone, "");
    assert_string_equal(got.name, "");
    assert_string_equal(got.id_number, "");
    assert_string_equal(got.company_address, "");
    assert_int_equal(store_customers_find_by_phone(f->s, "13812345678", &got, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    assert_joined(f, j, "", "");
    struct store_lead l;
    ok(store_leads_get(f->s, j.lead, &l, &err), &err);
    assert_string_equal(l.name, "");
    /* the business records stay */
    struct store_order o;
    ok(store_orders_get(f->s, j.order, &o, &err), &err);
    assert_int_equal(o.customer_id, p);
    /* erasing twice is refused and changes nothing */
    ok(store_begin(f->s, &err), &err);
    assert_int_equal(store_customers_erase(f->s, p, NOW + 2 * HOUR, &err), -1);
    assert_int_equal(err.code, PROTO_E_INVALID_STATE);
    assert_int_equal(store_customers_erase(f->s, 999, NOW + 2 * HOUR, &err), -1);
    assert_int_equal(err.code, PROTO_E_NOT_FOUND);
    /* the phone is free again: the same person may come back as a new customer */
    int64_t again = add_person(f->s, "13812345678", "刘芳", "");
    ok(store_commit(f->s, &err), &err);
    assert_true(again != p);
    ok(store_customers_find_by_phone(f->s, "13812345678", &got, &err), &err);
    assert_int_equal(got.id, again);
    ok(store_customers_get(f->s, keep, &got, &err), &err);
    assert_string_equal(got.name, "王军");
}

static void test_sweep_erases_customers_without_a_key(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    int64_t gone = add_person(f->s, "13812345678", "刘芳", "");
    int64_t kept = add_person(f->s, "13900001111", "王军", "");
    ok(store_commit(f->s, &err), &err);
    struct store_customer got;
    ok(store_customers_get(f->s, gone, &got, &err), &err);
    int64_t key_id = got.key_id;
    store_close(f->s);
    f->s = NULL;

    /* the key is destroyed behind the store's back (as restoring an older backup would
     * leave it: a customer whose key is no longer in the key store) */
    struct privacy *p = NULL;
    struct privacy_opts po = {.key_file = "", .keystore = "", .create_key = false};
    ok(privacy_open(&p, f->path, &po, &err), &err);
    ok(privacy_destroy_key(p, key_id, &err), &err);
    privacy_close(p);

    ok(store_open(&f->s, f->path, &err), &err);
    ok(store_customers_get(f->s, gone, &got, &err), &err);
    assert_true(got.erased_at > 0);
    assert_string_equal(got.name, "");
    assert_int_equal(store_customers_find_by_phone(f->s, "13812345678", &got, &err), -1);
    ok(store_customers_get(f->s, kept, &got, &err), &err);
    assert_int_equal(got.erased_at, 0);
    assert_string_equal(got.name, "王军");
}

/* Another process (the CLI, say) opening `path`: this test binary run again with
 * "--other PATH [CUSTOMER_ID]" (exec, not just fork: a forked child would inherit SQLite's
 * in-process lock bookkeeping and prove nothing). It exits 0 when it opened the store and,
 * given an id, read that customer whole and not erased. */
static int other_process(const char *path, const char *id_text)
{
    struct store *other = NULL;
    struct proto_error err;
    int rc = store_open(&other, path, &err) == 0 ? 0 : 1;
    if (rc == 0 && id_text) {
        struct store_customer c;
        rc = store_customers_get(other, strtoll(id_text, NULL, 10), &c, &err) == 0 &&
                     strcmp(c.name, "刘芳") == 0 && c.erased_at == 0
                 ? 0
                 : 2;
    }
    store_close(other);
    return rc;
}

static int run_other(const char *path, int64_t id)
{
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/proc/self/exe", "test_store_privacy", "--other", path, id > 0 ? id_text : NULL,
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* The hub opens the store a second time in its own process (its webhook and backup
 * threads). That open must leave the first handle's locks on the key store alone: a close()
 * of any descriptor of a file drops every POSIX lock the process holds on it. Then another
 * process that opened and closed the store took itself for the key store's last user and
 * removed the WAL the hub kept writing keys to; the next process saw no keys at all, and its
 * open-time sweep erased every customer as keyless (found in e2e test 16). */
static void test_a_second_handle_keeps_the_key_store_whole(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    struct store *second = NULL;
    ok(store_open(&second, f->path, &err), &err);
    assert_int_equal(run_other(f->path, 0), 0);
    ok(store_begin(f->s, &err), &err);
    int64_t id = add_person(f->s, "13812345678", "刘芳", "");
    ok(store_commit(f->s, &err), &err);
    assert_int_equal(run_other(f->path, id), 0);
    struct store_customer c;
    ok(store_customers_get(f->s, id, &c, &err), &err);
    assert_string_equal(c.name, "刘芳");
    assert_int_equal(c.erased_at, 0);
    store_close(second);
}

/* A key store that is not the database's (empty, or an older copy that never handed out the
 * newest customers' keys) is refused rather than taken as a list of erasures. */
static void test_a_foreign_key_store_is_refused_not_swept(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    add_person(f->s, "13812345678", "刘芳", "");
    ok(store_commit(f->s, &err), &err);
    store_close(f->s);
    f->s = NULL;
    char ks[96], aside[112];
    snprintf(ks, sizeof ks, "%s.keystore", f->path);
    snprintf(aside, sizeof aside, "%s.aside", ks);
    assert_int_equal(rename(ks, aside), 0);
    unlink(strcat(strcpy((char[128]){0}, ks), "-wal"));
    unlink(strcat(strcpy((char[128]){0}, ks), "-shm"));
    struct store *s = NULL;
    assert_int_equal(store_open(&s, f->path, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_non_null(strstr(err.message, "not this database's key store"));
    /* nothing was erased: with its own key store back it opens whole */
    unlink(ks);
    assert_int_equal(rename(aside, ks), 0);
    ok(store_open(&f->s, f->path, &err), &err);
    struct store_customer c;
    ok(store_customers_find_by_phone(f->s, "13812345678", &c, &err), &err);
    assert_string_equal(c.name, "刘芳");
}

static void test_another_key_is_refused(void **state)
{
    struct fx *f = *state;
    struct proto_error err;
    ok(store_begin(f->s, &err), &err);
    add_person(f->s, "13812345678", "刘芳", "");
    ok(store_commit(f->s, &err), &err);
    store_close(f->s);
    f->s = NULL;

    char other[96];
    snprintf(other, sizeof other, "%s.other-key", f->path);
    unsigned char key[PRIVACY_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    FILE *fp = fopen(other, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(key, 1, sizeof key, fp), sizeof key);
    fclose(fp);
    assert_int_equal(chmod(other, 0600), 0);
    /* the key store notices first (its keys are wrapped under the other key) ... */
    struct privacy_opts po = {.key_file = other, .keystore = ""};
    struct store *s = NULL;
    assert_int_equal(store_open_with(&s, f->path, &po, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    /* ... and with a key store of its own the database's key check refuses it */
    char ks[96];
    snprintf(ks, sizeof ks, "%s.other-ks", f->path);
    po.keystore = ks;
    assert_int_equal(store_open_with(&s, f->path, &po, &err), -1);
    assert_null(s);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    assert_non_null(strstr(err.message, "wrong data key"));

    /* a missing key file is never replaced by a new one once data is sealed */
    char keyfile[96];
    snprintf(keyfile, sizeof keyfile, "%s.data-key", f->path);
    char moved[112];
    snprintf(moved, sizeof moved, "%s.moved", keyfile);
    assert_int_equal(rename(keyfile, moved), 0);
    assert_int_equal(store_open(&s, f->path, &err), -1);
    assert_int_equal(err.code, PROTO_E_UNAVAILABLE);
    struct stat sb;
    assert_int_not_equal(stat(keyfile, &sb), 0);
    assert_int_equal(rename(moved, keyfile), 0);
    ok(store_open(&f->s, f->path, &err), &err);
    struct store_customer got;
    ok(store_customers_find_by_phone(f->s, "13812345678", &got, &err), &err);
    assert_string_equal(got.name, "刘芳");
}

static char *read_text(const char *path)
{
    size_t n;
    char *t = slurp(path, &n);
    assert_true(n > 0);
    return t;
}

static void test_migration_seals_a_version_7_database(void **state)
{
    (void)state;
    char path[64];
    temp_path(path, sizeof path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *sql = read_text(SF_FIXTURES "/v7.sql");
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE leads SET name = '王小军' WHERE id = 1", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    size_t n;
    char *bytes = slurp(path, &n);
    assert_non_null(memmem(bytes, n, "13812345678", 11)); /* the test would see it */
    free(bytes);

    struct store *s = NULL;
    struct proto_error err;
    ok(store_open(&s, path, &err), &err);
    struct store_customer got;
    ok(store_customers_find_by_phone(s, "13812345678", &got, &err), &err);
    assert_int_equal(got.id, 1);
    assert_string_equal(got.name, "刘芳");
    assert_true(got.key_id > 0);
    ok(store_customers_find_by_phone(s, "02161234567", &got, &err), &err);
    assert_string_equal(got.company_address, "上海市浦东新区张江路88号");
    assert_string_equal(got.legal_rep, "钱德明");
    assert_string_equal(got.contact_name, "孙小梅");
    assert_string_equal(got.id_number, "");
    struct store_lead lead;
    ok(store_leads_get(s, 1, &lead, &err), &err);
    assert_string_equal(lead.name, "王小军");
    ok(store_checkpoint_truncate(s, &err), &err);
    static const char *const v7_data[] = {"13812345678", "13900001111", "13700002222", "刘芳",
                                          "王军",        "赵云",        "02161234567", "钱德明",
                                          "孙小梅",      "王小军",      NULL};
    assert_absent(path, v7_data);
    store_close(s);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), sum(typeof(phone) = 'blob'),"
                                        " sum(length(phone_hash) = 32), sum(key_id IS NOT NULL),"
                                        " (SELECT count(*) FROM pragma_foreign_key_check),"
                                        " (SELECT count(*) FROM personal_access)"
                                        " FROM customers",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 4);
    assert_int_equal(sqlite3_column_int(st, 1), 4);
    assert_int_equal(sqlite3_column_int(st, 2), 4);
    assert_int_equal(sqlite3_column_int(st, 3), 4);
    assert_int_equal(sqlite3_column_int(st, 4), 0);
    assert_int_equal(sqlite3_column_int(st, 5), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    remove_all(path);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--other") == 0)
        return other_process(argv[2], argc >= 4 ? argv[3] : NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_plaintext_in_the_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joined_reads_open_the_customer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_erases_customers_without_a_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_another_key_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_second_handle_keeps_the_key_store_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_foreign_key_store_is_refused_not_swept, setup,
                                        teardown),
        cmocka_unit_test(test_migration_seals_a_version_7_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

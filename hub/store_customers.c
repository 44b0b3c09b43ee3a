/* Customers: one per normalised phone number across the dealer group, with the consent
 * they gave to store personal data; companies carry their credit figures. The personal
 * columns are sealed under each customer's own key (privacy.h) and the phone is found by its
 * keyed hash; erasure destroys the key (store.h "At rest"). */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "privacy.h"

/* The sealed columns, in this order everywhere below; each name is also the field bound
 * into its seal's additional data, so a blob moved to another column does not open. */
enum { F_PHONE, F_NAME, F_ADDRESS, F_LEGAL_REP, F_CONTACT, F_ID_NUMBER, F__COUNT };
static const char *const field_names[F__COUNT] = {
    "phone", "name", "company_address", "legal_rep", "contact_name", "id_number",
};

#define OPEN(col) "sf_open(" col ", key_id, '" col "')"
#define CUSTOMER_COLS                                                                            \
    "id, " OPEN("phone") ", " OPEN("name") ", gender, kind, " OPEN("company_address") ", " OPEN( \
        "legal_rep") ", business_scope, " OPEN("contact_name") ", credit_rating,"                \
                                                               " credit_limit_fen, consent_at, " \
                                                               "consent_version, created_at, "   \
                                                               "consent_purpose, " OPEN(         \
                                                                   "id_number") ", key_id, "     \
                                                                                "erased_at"

static const char *const sql[] = {
    "INSERT INTO customers (key_id, phone_hash, phone, name, company_address, legal_rep,"
    " contact_name, id_number, gender, kind, business_scope, credit_rating, credit_limit_fen,"
    " consent_at, consent_version, consent_purpose, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?1",
    "SELECT " CUSTOMER_COLS " FROM customers WHERE phone_hash = ?1",
    "UPDATE customers SET consent_at = ?2, consent_version = ?3 WHERE id = ?1",
    "UPDATE customers SET consent_at = ?2, consent_version = ?3, consent_purpose = ?4"
    " WHERE id = ?1",
    "SELECT ifnull(key_id, 0), erased_at FROM customers WHERE id = ?1",
    "UPDATE customers SET phone = NULL, name = NULL, company_address = NULL, legal_rep = NULL,"
    " contact_name = NULL, id_number = NULL, phone_hash = NULL, key_id = NULL, erased_at = ?2"
    " WHERE id = ?1",
    "UPDATE leads SET name_sealed = NULL WHERE customer_id = ?1",
};
enum {
    CUST_ADD,
    CUST_GET,
    CUST_BY_PHONE,
    CUST_CONSENT,
    CUST_CONSENT_FOR,
    CUST_STATE,
    CUST_ERASE,
    CUST_ERASE_LEADS
};
const struct store_sql_table store_customers_sql = {"customers", sql, sizeof sql / sizeof sql[0]};

const char *store_customer_kind_name(enum store_customer_kind k)
{
    return k == STORE_CUSTOMER_COMPANY ? "company" : "individual";
}

static void read_customer(sqlite3_stmt *st, void *out)
{
    struct store_customer *c = out;
    char buf[PROTO_MAX_SHORT + 1];
    c->id = store_col_int(st, 0);
    store_col_text(st, 1, c->phone, sizeof c->phone);
    store_col_text(st, 2, c->name, sizeof c->name);
    store_col_text(st, 3, buf, sizeof buf);
    int g = domain_gender_from_name(buf);
    c->gender = g < 0 ? DOMAIN_GENDER_UNKNOWN : (enum domain_gender)g;
    store_col_text(st, 4, buf, sizeof buf);
    c->kind = strcmp(buf, "company") == 0 ? STORE_CUSTOMER_COMPANY : STORE_CUSTOMER_INDIVIDUAL;
    store_col_text(st, 5, c->company_address, sizeof c->company_address);
    store_col_text(st, 6, c->legal_rep, sizeof c->legal_rep);
    store_col_text(st, 7, c->business_scope, sizeof c->business_scope);
    store_col_text(st, 8, c->contact_name, sizeof c->contact_name);
    store_col_text(st, 9, c->credit_rating, sizeof c->credit_rating);
    c->credit_limit_fen = store_col_int(st, 10);
    c->consent_at = store_col_int(st, 11);
    store_col_text(st, 12, c->consent_version, sizeof c->consent_version);
    c->created_at = store_col_int(st, 13);
    store_col_text(st, 14, c->consent_purpose, sizeof c->consent_purpose);
    store_col_text(st, 15, c->id_number, sizeof c->id_number);
    c->key_id = store_col_int(st, 16);
    c->erased_at = store_col_int(st, 17);
}

/* A customer's personal fields sealed under key_id; an empty field stays NULL. */
struct sealed {
    uint8_t *b[F__COUNT];
    size_t n[F__COUNT];
};

static void sealed_free(struct sealed *x)
{
    for (int i = 0; i < F__COUNT; i++) {
        free(x->b[i]);
        x->b[i] = NULL;
    }
}

static int seal_all(struct store *s, int64_t key_id, const char *const plain[F__COUNT],
                    struct sealed *out, struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < F__COUNT; i++) {
        size_t len = plain[i] ? strlen(plain[i]) : 0;
        if (len == 0)
            continue;
        if (privacy_seal(s->priv, key_id, field_names[i], plain[i], len, &out->b[i], &out->n[i],
                         err)) {
            sealed_free(out);
            return -1;
        }
    }
    return 0;
}

int store_customers_add(struct store *s, const struct store_customer *c, int64_t *id,
                        struct proto_error *err)
{
    const char *gn = domain_gender_name(c->gender);
    if (!gn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "gender", "unknown gender");
    /* the sealed column cannot CHECK what it holds: the phone's rule is kept here */
    size_t plen = strnlen(c->phone, sizeof c->phone);
    if (plen == 0 || plen > PROTO_MAX_PHONE)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "phone", "value not allowed (phone)");
    int64_t key_id = 0;
    if (privacy_new_key(s->priv, &key_id, err))
        return -1;
    const char *plain[F__COUNT] = {c->phone,     c->name,         c->company_address,
                                   c->legal_rep, c->contact_name, c->id_number};
    struct sealed x;
    if (seal_all(s, key_id, plain, &x, err))
        return -1;
    uint8_t hash[PRIVACY_PHONE_HASH_LEN];
    privacy_phone_hash(s->priv, c->phone, hash);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_ADD);
    int rc = -1;
    if (store_bind(s, st, err, "ibbbbbbbttttiitti", key_id, (const void *)hash, sizeof hash,
                   x.b[F_PHONE], x.n[F_PHONE], x.b[F_NAME], x.n[F_NAME], x.b[F_ADDRESS],
                   x.n[F_ADDRESS], x.b[F_LEGAL_REP], x.n[F_LEGAL_REP], x.b[F_CONTACT],
                   x.n[F_CONTACT], x.b[F_ID_NUMBER], x.n[F_ID_NUMBER], gn,
                   store_customer_kind_name(c->kind), c->business_scope, c->credit_rating,
                   c->credit_limit_fen, c->consent_at, c->consent_version, c->consent_purpose,
                   c->created_at) == 0 &&
        store_exec(s, st, err) == 0)
        rc = 0;
    sealed_free(&x);
    if (rc == 0 && id)
        *id = store_last_id(s);
    return rc;
}

int store_customers_get(struct store *s, int64_t id, struct store_customer *out,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_customer, out, "customer", err);
}

int store_customers_find_by_phone(struct store *s, const char *phone, struct store_customer *out,
                                  struct proto_error *err)
{
    if (!phone || !*phone)
        return store_not_found(err, "customer");
    uint8_t hash[PRIVACY_PHONE_HASH_LEN];
    privacy_phone_hash(s->priv, phone, hash);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_BY_PHONE);
    if (store_bind(s, st, err, "b", (const void *)hash, sizeof hash))
        return -1;
    return store_one(s, st, read_customer, out, "customer", err);
}

int store_customers_set_consent(struct store *s, int64_t id, int64_t at, const char *version,
                                struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_CONSENT);
    if (store_bind(s, st, err, "iit", id, at, version) || store_exec(s, st, err))
        return -1;
    return store_changes(s) == 1 ? 0 : store_not_found(err, "customer");
}

int store_customers_set_consent_for(struct store *s, int64_t id, int64_t at, const char *version,
                                    const char *purpose, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_CONSENT_FOR);
    if (store_bind(s, st, err, "iitt", id, at, version, purpose ? purpose : "") ||
        store_exec(s, st, err))
        return -1;
    return store_changes(s) == 1 ? 0 : store_not_found(err, "customer");
}

struct cust_state {
    int64_t key_id, erased_at;
};

static void read_state(sqlite3_stmt *st, void *out)
{
    struct cust_state *cs = out;
    cs->key_id = store_col_int(st, 0);
    cs->erased_at = store_col_int(st, 1);
}

int store_customers_erase(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    if (at <= 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "at", "the erasure needs its time");
    struct cust_state cs;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_STATE);
    if (store_bind(s, st, err, "i", id) || store_one(s, st, read_state, &cs, "customer", err))
        return -1;
    if (cs.erased_at)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "customer %lld is already erased",
                               (long long)id);
    /* the scrub first: notices are found by the masked name, read from the fields erased next */
    if (store_privacy_scrub_customer(s, id, NULL, err))
        return -1;
    st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_ERASE);
    if (store_bind(s, st, err, "ii", id, at) || store_exec(s, st, err))
        return -1;
    st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_ERASE_LEADS);
    if (store_bind(s, st, err, "i", id) || store_exec(s, st, err))
        return -1;
    /* last: if anything above failed, the customer is still whole and readable */
    if (cs.key_id && privacy_destroy_key(s->priv, cs.key_id, err))
        return -1;
    return 0;
}

/* ---- migration 8's post step ---- */

/* Reads a legacy column (plain text stored as a BLOB) into buf; "" for NULL. */
static void legacy_text(sqlite3_stmt *st, int col, char *buf, size_t sz)
{
    const void *b = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (!b)
        n = 0;
    if (n >= sz)
        n = sz - 1;
    if (n)
        memcpy(buf, b, n);
    buf[n] = '\0';
}

struct legacy {
    char phone[PROTO_MAX_PHONE + 1];
    char name[PROTO_MAX_NAME + 1];
    char address[PROTO_MAX_TEXT + 1];
    char legal_rep[PROTO_MAX_NAME + 1];
    char contact[PROTO_MAX_NAME + 1];
    char id_number[PROTO_MAX_SHORT + 1];
};

static int seal_one_legacy(struct store *s, sqlite3_stmt *get, sqlite3_stmt *put, int64_t id,
                           struct proto_error *err)
{
    struct legacy l;
    int rc = -1;
    struct sealed x = {0};
    if (sqlite3_bind_int64(get, 1, id) != SQLITE_OK || sqlite3_step(get) != SQLITE_ROW) {
        sqlite3_reset(get);
        return store_fault(s, "migration 8: read a customer", err);
    }
    legacy_text(get, 0, l.phone, sizeof l.phone);
    legacy_text(get, 1, l.name, sizeof l.name);
    legacy_text(get, 2, l.address, sizeof l.address);
    legacy_text(get, 3, l.legal_rep, sizeof l.legal_rep);
    legacy_text(get, 4, l.contact, sizeof l.contact);
    legacy_text(get, 5, l.id_number, sizeof l.id_number);
    sqlite3_reset(get);
    int64_t key_id = 0;
    const char *plain[F__COUNT] = {l.phone, l.name, l.address, l.legal_rep, l.contact, l.id_number};
    if (privacy_new_key(s->priv, &key_id, err) || seal_all(s, key_id, plain, &x, err))
        goto out;
    uint8_t hash[PRIVACY_PHONE_HASH_LEN];
    privacy_phone_hash(s->priv, l.phone, hash);
    if (store_bind(s, put, err, "ibbbbbbbi", key_id, (const void *)hash, sizeof hash, x.b[F_PHONE],
                   x.n[F_PHONE], x.b[F_NAME], x.n[F_NAME], x.b[F_ADDRESS], x.n[F_ADDRESS],
                   x.b[F_LEGAL_REP], x.n[F_LEGAL_REP], x.b[F_CONTACT], x.n[F_CONTACT],
                   x.b[F_ID_NUMBER], x.n[F_ID_NUMBER], id) == 0 &&
        store_exec(s, put, err) == 0)
        rc = 0;
out:
    sealed_free(&x);
    sodium_memzero(&l, sizeof l);
    return rc;
}

int store_customers_seal_legacy(struct store *s, struct proto_error *err)
{
    sqlite3_stmt *ids = NULL, *get = NULL, *put = NULL;
    int64_t *list = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    /* ids first: the rows are rewritten (key_id, phone_hash) while we go */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM customers WHERE key_id IS NULL AND erased_at = 0"
                           " ORDER BY id",
                           -1, &ids, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT phone, name, company_address, legal_rep, contact_name,"
                           " id_number FROM customers WHERE id = ?1",
                           -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "UPDATE customers SET key_id = ?1, phone_hash = ?2, phone = ?3,"
                           " name = ?4, company_address = ?5, legal_rep = ?6, contact_name = ?7,"
                           " id_number = ?8 WHERE id = ?9",
                           -1, &put, NULL) != SQLITE_OK) {
        store_fault(s, "migration 8: prepare", err);
        goto out;
    }
    int step;
    while ((step = sqlite3_step(ids)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            int64_t *nl = realloc(list, ncap * sizeof *nl);
            if (!nl) {
                proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
                goto out;
            }
            list = nl;
            cap = ncap;
        }
        list[n++] = sqlite3_column_int64(ids, 0);
    }
    if (step != SQLITE_DONE) {
        store_fault(s, "migration 8: list customers", err);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (seal_one_legacy(s, get, put, list[i], err))
            goto out;
    if (n)
        log_info("store", "migration 8 sealed %zu customer(s)", n);
    rc = 0;
out:
    sqlite3_finalize(ids);
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    free(list);
    return rc;
}

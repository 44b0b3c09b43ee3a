/* Customers: one per normalised phone number across the dealer group, with the consent
 * they gave to store personal data; companies carry their credit figures. */
#include "store_internal.h"

#include <string.h>

#define CUSTOMER_COLS                                                                          \
    "id, phone, name, gender, kind, company_address, legal_rep, business_scope, contact_name," \
    " credit_rating, credit_limit_fen, consent_at, consent_version, created_at"

static const char *const sql[] = {
    "INSERT INTO customers (phone, name, gender, kind, company_address, legal_rep,"
    " business_scope, contact_name, credit_rating, credit_limit_fen, consent_at,"
    " consent_version, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?1",
    "SELECT " CUSTOMER_COLS " FROM customers WHERE phone = ?1",
    "UPDATE customers SET consent_at = ?2, consent_version = ?3 WHERE id = ?1",
};
enum { CUST_ADD, CUST_GET, CUST_BY_PHONE, CUST_CONSENT };
const struct store_sql_table store_customers_sql = {"customers", sql, sizeof sql / sizeof sql[0]};

static const char *kind_name(enum store_customer_kind k)
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
}

int store_customers_add(struct store *s, const struct store_customer *c, int64_t *id,
                        struct proto_error *err)
{
    const char *gn = domain_gender_name(c->gender);
    if (!gn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "gender", "unknown gender");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_ADD);
    if (store_bind(s, st, err, "tttttttttiiti", c->phone, c->name, gn, kind_name(c->kind),
                   c->company_address, c->legal_rep, c->business_scope, c->contact_name,
                   c->credit_rating, c->credit_limit_fen, c->consent_at, c->consent_version,
                   c->created_at) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
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
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_CUSTOMERS, CUST_BY_PHONE);
    if (store_bind(s, st, err, "t", phone))
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

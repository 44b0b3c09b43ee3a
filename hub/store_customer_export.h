/* A customer's data as one JSON document, for a request to see what the dealership holds
 * about them (customer_export, PROTOCOL.md "Personal data"): the customer with every personal
 * field opened, their consent, every record that names them, and who read their data when. */
#ifndef SHOWFLOOR_STORE_CUSTOMER_EXPORT_H
#define SHOWFLOOR_STORE_CUSTOMER_EXPORT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/* Most access-log entries an export lists (the newest). */
#define STORE_CUSTOMER_EXPORT_ACCESS_MAX 100000

/* Builds {"customer": {"id","kind","gender","name","phone","id_number","company_address",
 * "legal_rep","business_scope","contact_name","credit_rating","credit_limit_fen",
 * "created_at","erased_at"} (texts null when empty or erased), "consent": {"at","version",
 * "purpose"}, "leads", "visits", "orders", "appointments", "complaints" (each a list of the
 * store's full records, oldest first), "access_log": [{"at","actor","device_id","site_id",
 * "what"}] (newest first)}. Call inside a transaction so every part shows one state.
 * 0 with *out (caller frees), or -1 with *err (PROTO_E_NOT_FOUND: no such customer). */
int store_customer_export(struct store *s, int64_t customer_id, cJSON **out,
                          struct proto_error *err);

#endif

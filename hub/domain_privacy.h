/* Which personal data may rest where (pure rules, no I/O): the event log and stored command
 * results keep customers only as their masked objects (what a public screen shows anyway),
 * the audit trail keeps only a customer's id (it is hash-chained, so it must never need
 * rewriting when a customer is erased), and a result that carries an unmasked customer is
 * a read of personal data the access log must record. hub/PRIVACY.md has the table. */
#ifndef SHOWFLOOR_DOMAIN_PRIVACY_H
#define SHOWFLOOR_DOMAIN_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Masks every customer object in the tree in place: an object that is the value of a member
 * named "customer" (or an element of an array named "customers") keeps "id", "kind",
 * "gender", "new"; its "name" becomes the masked name (domain_mask_person / _company), its
 * "phone" the masked phone; "contact_name", "legal_rep", "company_address", "id_number" are
 * removed; "masked": true is added. An object already marked masked is left as it is
 * (idempotent). Returns 0, or -1 on out of memory (the tree may be partly masked). */
int domain_privacy_mask(cJSON *root);
/* Would domain_privacy_mask leave the tree as it is (every customer object in it already
 * masked, or none at all)? */
bool domain_privacy_is_masked(const cJSON *root);

/* For the audit trail: every customer object is reduced to {"id"} (plus "kind"), and the
 * personal members of request arguments are replaced by the string "[personal]": "phone",
 * "id_number", "contact_name", "legal_rep", "company_address" at any depth, and "name" in
 * the arguments of the requests whose "name" is the customer's (domain_privacy_args_name).
 * `type` is the request type of the args in the tree ("" when none). Idempotent. */
int domain_privacy_strip(cJSON *root, const char *type);

/* Does request `type`'s "name" argument hold a customer's name (checkin, order_create, ...)? */
int domain_privacy_args_name(const char *type);

/* Replaces, in a tree that domain_privacy_mask produced, the masked objects of customer `id`
 * by {"id": id, "erased": true, "masked": true, "name": "", "phone": ""}. Returns the number
 * of objects replaced, or -1 on out of memory. */
int domain_privacy_erase_customer(cJSON *root, int64_t id);

/* Calls fn for each customer object in the tree that carries personal data in the clear (a
 * "phone" without '*' or a "name" while not marked masked): the reads to log. Returns the
 * number of calls. */
int domain_privacy_each_unmasked(const cJSON *root, void (*fn)(int64_t customer_id, void *ctx),
                                 void *ctx);

#endif

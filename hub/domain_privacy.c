/* Where personal data may rest (hub/domain_privacy.h): walkers over a JSON tree that mask
 * customers for the event log and stored results, strip them to ids for the audit trail,
 * replace an erased customer's masked copies, and find the reads the access log records.
 *
 * What counts as a customer object: the object value of a member named "customer" and each
 * object in an array named "customers". Full records come from the store and always carry
 * the customer's "id"; the kiosk views of core_view.c ({"name","phone"[,"new"]}, {"name"})
 * carry none and are masked already, so an object without an "id" whose phone (if any) is
 * masked is left alone: re-masking "王先生" without its gender would turn it into "王*".
 *
 * A lead's own "name" is the customer's name as given: in an object that has a customer
 * object, a sibling "name" member follows the customer (masked with it, "[personal]" in the
 * audit, emptied when the customer is erased). */
#include "domain_privacy.h"

#include <stdbool.h>
#include <string.h>

#include "domain.h"

#define PRIVACY_PERSONAL "[personal]"

/* Request arguments (and record members) that are a customer's personal data wherever they
 * appear in an audit record: protocol/proto_table.c, PROTOCOL.md. "customer_name" is the
 * order requests' name; "phone_last4" a fragment of a phone (order_lookup). */
static const char *const privacy_personal_keys[] = {
    "phone",           "id_number",     "contact_name", "legal_rep",
    "company_address", "customer_name", "phone_last4",
};

/* Requests whose "name" argument is the customer's (checkin, lead_create, complaint_open),
 * plus the order requests that carry the customer's name as "customer_name" (stripped by key
 * anyway; listed so the answer is "yes" for every request that names a customer). */
static const char *const privacy_name_types[] = {
    "checkin",      "lead_create",          "complaint_open",
    "order_create", "order_change_request", "order_edit",
};

/* Members a masked customer keeps besides its masked "name" and "phone". */
static const char *const privacy_mask_keep[] = {"id", "kind", "gender", "new", "masked"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

int domain_privacy_args_name(const char *type)
{
    return in_list(type, privacy_name_types, COUNT(privacy_name_types));
}

static const char *str_member(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static bool customer_id(const cJSON *o, int64_t *id)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (!cJSON_IsNumber(v))
        return false;
    *id = (int64_t)v->valuedouble;
    return true;
}

/* A phone nobody can dial: masked ('*' in it) or empty (erased). */
static bool phone_hidden(const char *phone)
{
    return !phone || !phone[0] || strchr(phone, '*') != NULL;
}

/* Marked masked, or a kiosk view without an id and without a phone in the clear. */
static bool already_masked(const cJSON *o)
{
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "masked")))
        return true;
    int64_t id;
    return !customer_id(o, &id) &&
           phone_hidden(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "phone")));
}

/* The customer's masked name: company or person by "kind", honorific by "gender". */
static void masked_name(const cJSON *cust, const char *name, char *out, size_t outsz)
{
    const char *kind = str_member(cust, "kind");
    int rc;
    if (kind && strcmp(kind, "company") == 0) {
        rc = domain_mask_company(name, out, outsz);
    } else {
        int g = domain_gender_from_name(str_member(cust, "gender"));
        rc = domain_mask_person(name, g < 0 ? DOMAIN_GENDER_UNKNOWN : (enum domain_gender)g, out,
                                outsz);
    }
    if (rc != 0 && outsz > 0)
        out[0] = '\0'; /* never fall back to the clear name */
}

/* Sets o[key] to a string, replacing whatever was there. 0, or -1 out of memory. */
static int set_str(cJSON *o, const char *key, const char *value)
{
    cJSON *s = cJSON_CreateString(value);
    if (!s)
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(o, key)) {
        if (!cJSON_ReplaceItemInObjectCaseSensitive(o, key, s)) {
            cJSON_Delete(s);
            return -1;
        }
        return 0;
    }
    if (!cJSON_AddItemToObject(o, key, s)) {
        cJSON_Delete(s);
        return -1;
    }
    return 0;
}

/* Masks one customer object in place, and `sibling_name` (a lead's own "name", may be NULL)
 * with the same rules. */
static int mask_customer(cJSON *cust, cJSON *sibling_name)
{
    char name[PROTO_MAX_NAME + 32], phone[PROTO_MAX_PHONE_IN + 8];
    if (already_masked(cust))
        return 0;
    if (cJSON_IsString(sibling_name)) {
        masked_name(cust, sibling_name->valuestring, name, sizeof name);
        if (!cJSON_SetValuestring(sibling_name, name))
            return -1;
    }
    const char *n = str_member(cust, "name");
    const char *p = str_member(cust, "phone");
    masked_name(cust, n ? n : "", name, sizeof name);
    if (domain_mask_phone(p ? p : "", phone, sizeof phone) != 0)
        phone[0] = '\0';
    /* everything not kept goes: company address, legal representative, contact, ID number,
     * credit figures; what a public screen shows is all that may rest in the logs */
    cJSON *m = cust->child;
    while (m) {
        cJSON *next = m->next;
        if (!in_list(m->string, privacy_mask_keep, COUNT(privacy_mask_keep)))
            cJSON_Delete(cJSON_DetachItemViaPointer(cust, m));
        m = next;
    }
    if ((n && set_str(cust, "name", name)) || (p && set_str(cust, "phone", phone)))
        return -1;
    if (!cJSON_GetObjectItemCaseSensitive(cust, "masked") &&
        !cJSON_AddBoolToObject(cust, "masked", 1))
        return -1;
    return 0;
}

/* Calls fn on every customer object under node: member "customer", items of "customers".
 * fn gets the customer and the parent object (for its sibling "name"); a non-zero return
 * stops the walk and is returned. */
typedef int (*privacy_visit)(cJSON *cust, cJSON *parent, void *ctx);

static int walk(cJSON *node, privacy_visit fn, void *ctx)
{
    for (cJSON *ch = node ? node->child : NULL; ch; ch = ch->next) {
        int rc;
        if (cJSON_IsObject(node) && ch->string && cJSON_IsObject(ch) &&
            strcmp(ch->string, "customer") == 0) {
            if ((rc = fn(ch, node, ctx)) != 0)
                return rc;
            continue;
        }
        if (cJSON_IsObject(node) && ch->string && cJSON_IsArray(ch) &&
            strcmp(ch->string, "customers") == 0) {
            for (cJSON *it = ch->child; it; it = it->next)
                if (cJSON_IsObject(it) && (rc = fn(it, NULL, ctx)) != 0)
                    return rc;
            continue;
        }
        if ((cJSON_IsObject(ch) || cJSON_IsArray(ch)) && (rc = walk(ch, fn, ctx)) != 0)
            return rc;
    }
    return 0;
}

/* The "name" member beside a customer in parent (a lead's name), NULL when none. */
static cJSON *sibling_name(cJSON *parent)
{
    cJSON *n = parent ? cJSON_GetObjectItemCaseSensitive(parent, "name") : NULL;
    return cJSON_IsString(n) ? n : NULL;
}

static int visit_mask(cJSON *cust, cJSON *parent, void *ctx)
{
    (void)ctx;
    return mask_customer(cust, sibling_name(parent));
}

int domain_privacy_mask(cJSON *root)
{
    return walk(root, visit_mask, NULL) ? -1 : 0;
}

static int visit_unmasked(cJSON *cust, cJSON *parent, void *ctx)
{
    (void)parent;
    (void)ctx;
    return already_masked(cust) ? 0 : 1;
}

bool domain_privacy_is_masked(const cJSON *root)
{
    /* walk() changes nothing itself; visit_unmasked only reads */
    return walk((cJSON *)root, visit_unmasked, NULL) == 0;
}

/* ---- strip (audit) ---- */

/* Reduces a customer to {"id"} plus "kind": the audit names the customer, never their data. */
static int strip_customer(cJSON *cust)
{
    cJSON *m = cust->child;
    while (m) {
        cJSON *next = m->next;
        if (strcmp(m->string, "id") != 0 && strcmp(m->string, "kind") != 0)
            cJSON_Delete(cJSON_DetachItemViaPointer(cust, m));
        m = next;
    }
    return 0;
}

static int strip_value(cJSON *parent, cJSON *item)
{
    if (cJSON_IsNull(item) || (cJSON_IsString(item) && strcmp(item->valuestring, "") == 0) ||
        (cJSON_IsString(item) && strcmp(item->valuestring, PRIVACY_PERSONAL) == 0))
        return 0; /* nothing personal in it, or already stripped */
    cJSON *s = cJSON_CreateString(PRIVACY_PERSONAL);
    /* by key: the replacement takes the member's name (ReplaceItemViaPointer would not) */
    if (!s || !cJSON_ReplaceItemInObjectCaseSensitive(parent, item->string, s)) {
        cJSON_Delete(s);
        return -1;
    }
    return 0;
}

/* `names`: the "name" members of this object are the customer's (args of a request in
 * privacy_name_types, or the root of such a request's record). */
static int strip_node(cJSON *node, bool names, bool name_types)
{
    bool has_customer =
        cJSON_IsObject(node) && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(node, "customer"));
    cJSON *ch = node->child;
    while (ch) {
        cJSON *next = ch->next;
        const char *key = cJSON_IsObject(node) ? ch->string : NULL;
        int rc = 0;
        if (key && strcmp(key, "customer") == 0 && cJSON_IsObject(ch)) {
            rc = strip_customer(ch);
        } else if (key && strcmp(key, "customers") == 0 && cJSON_IsArray(ch)) {
            for (cJSON *it = ch->child; it && rc == 0; it = it->next)
                if (cJSON_IsObject(it))
                    rc = strip_customer(it);
        } else if (key && in_list(key, privacy_personal_keys, COUNT(privacy_personal_keys))) {
            rc = strip_value(node, ch);
        } else if (key && strcmp(key, "name") == 0 && (names || has_customer)) {
            rc = strip_value(node, ch);
        } else if (cJSON_IsObject(ch) || cJSON_IsArray(ch)) {
            bool args = key && strcmp(key, "args") == 0 && cJSON_IsObject(ch);
            rc = strip_node(ch, (names && !key) || (args && name_types), name_types);
        }
        if (rc)
            return -1;
        ch = next;
    }
    return 0;
}

int domain_privacy_strip(cJSON *root, const char *type)
{
    if (!root)
        return 0;
    bool name_types = domain_privacy_args_name(type ? type : "") != 0;
    /* the root of a request's record is the record itself (a lead: its "name" is the
     * customer's), so the same rule as for its args applies there */
    return strip_node(root, name_types, name_types);
}

/* ---- erase (scrub) ---- */

struct erase_ctx {
    int64_t id;
    int replaced;
};

static int visit_erase(cJSON *cust, cJSON *parent, void *ctx)
{
    struct erase_ctx *e = ctx;
    int64_t id;
    if (!customer_id(cust, &id) || id != e->id)
        return 0;
    cJSON *sib = sibling_name(parent);
    if (sib && sib->valuestring[0] && !cJSON_SetValuestring(sib, ""))
        return -1;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cust, "erased")))
        return 0; /* scrubbed before: nothing of theirs left in it */
    /* replace the members in place: the object's position (and its parent's pointer) stay */
    while (cust->child)
        cJSON_Delete(cJSON_DetachItemViaPointer(cust, cust->child));
    if (!cJSON_AddNumberToObject(cust, "id", (double)e->id) ||
        !cJSON_AddBoolToObject(cust, "erased", 1) || !cJSON_AddBoolToObject(cust, "masked", 1) ||
        !cJSON_AddStringToObject(cust, "name", "") || !cJSON_AddStringToObject(cust, "phone", ""))
        return -1;
    e->replaced++;
    return 0;
}

int domain_privacy_erase_customer(cJSON *root, int64_t id)
{
    struct erase_ctx e = {.id = id, .replaced = 0};
    if (walk(root, visit_erase, &e))
        return -1;
    return e.replaced;
}

/* ---- reads to log ---- */

struct unmasked_ctx {
    void (*fn)(int64_t customer_id, void *ctx);
    void *ctx;
    int calls;
};

static void unmasked_visit(const cJSON *cust, struct unmasked_ctx *u)
{
    int64_t id;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cust, "masked")) || !customer_id(cust, &id))
        return; /* masked, or a kiosk view: no one's data in the clear */
    const char *phone = str_member(cust, "phone");
    const char *name = str_member(cust, "name");
    if (phone_hidden(phone) && !(name && name[0]))
        return; /* an erased customer reads "": nothing personal was shown */
    u->fn(id, u->ctx);
    u->calls++;
}

/* The read-only twin of walk() for each_unmasked. */
static int unmasked_walk(const cJSON *node, struct unmasked_ctx *u)
{
    for (const cJSON *ch = node ? node->child : NULL; ch; ch = ch->next) {
        bool obj = cJSON_IsObject(node) && ch->string;
        if (obj && cJSON_IsObject(ch) && strcmp(ch->string, "customer") == 0) {
            unmasked_visit(ch, u);
        } else if (obj && cJSON_IsArray(ch) && strcmp(ch->string, "customers") == 0) {
            for (const cJSON *it = ch->child; it; it = it->next)
                if (cJSON_IsObject(it))
                    unmasked_visit(it, u);
        } else if (cJSON_IsObject(ch) || cJSON_IsArray(ch)) {
            unmasked_walk(ch, u);
        }
    }
    return 0;
}

int domain_privacy_each_unmasked(const cJSON *root, void (*fn)(int64_t customer_id, void *ctx),
                                 void *ctx)
{
    struct unmasked_ctx u = {.fn = fn, .ctx = ctx, .calls = 0};
    unmasked_walk(root, &u);
    return u.calls;
}

/* Order entry and review: create (consultant), initial review (supervisor), final review
 * (manager), and the consultant's edit and resubmit of a returned order. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

/* Enum args the table already restricted to known names; -1 never happens for valid args. */
static int name_or(int v, int dflt)
{
    return v < 0 ? dflt : v;
}

/* The customer by phone, or a new one from the create args. */
static int create_customer(struct core *c, const cJSON *args, const char *phone, int64_t now,
                           struct store_customer *cust, struct proto_error *err)
{
    if (store_customers_find_by_phone(c->store, phone, cust, err) == 0)
        return 0; /* an existing customer's record is kept as it is */
    if (err && err->code != PROTO_E_NOT_FOUND)
        return -1;
    memset(cust, 0, sizeof *cust);
    snprintf(cust->phone, sizeof cust->phone, "%s", phone);
    snprintf(cust->name, sizeof cust->name, "%s", proto_get_str(args, "customer_name"));
    const char *g = proto_get_str(args, "gender");
    cust->gender =
        (enum domain_gender)name_or(g ? domain_gender_from_name(g) : -1, DOMAIN_GENDER_UNKNOWN);
    const char *kind = proto_get_str(args, "customer_kind");
    cust->kind =
        kind && strcmp(kind, "company") == 0 ? STORE_CUSTOMER_COMPANY : STORE_CUSTOMER_INDIVIDUAL;
    static const struct {
        const char *key;
        size_t off, size;
    } texts[] = {
        {"company_address", offsetof(struct store_customer, company_address),
         sizeof cust->company_address},
        {"legal_rep", offsetof(struct store_customer, legal_rep), sizeof cust->legal_rep},
        {"business_scope", offsetof(struct store_customer, business_scope),
         sizeof cust->business_scope},
        {"contact_name", offsetof(struct store_customer, contact_name), sizeof cust->contact_name},
        {"credit_rating", offsetof(struct store_customer, credit_rating),
         sizeof cust->credit_rating},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *v = proto_get_str(args, texts[i].key);
        snprintf((char *)cust + texts[i].off, texts[i].size, "%s", v ? v : "");
    }
    cust->credit_limit_fen = proto_get_int(args, "credit_limit_fen", 0);
    cust->created_at = now;
    /* the signed order carries the privacy clause: its purpose is the contract */
    cust->consent_at = now;
    snprintf(cust->consent_version, sizeof cust->consent_version, "%s", CORE_CONSENT_VERSION);
    snprintf(cust->consent_purpose, sizeof cust->consent_purpose, "%s", "order_contract");
    return store_customers_add(c->store, cust, &cust->id, err);
}

int core_order_entry_create(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (!staff)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_REQUIRED, NULL,
                               "order_create needs a staff login");
    if (staff->site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "staff of another site");
    char phone[PROTO_MAX_PHONE + 1];
    const char *raw = proto_get_str(args, "phone");
    if (proto_phone_normalize(raw ? raw : "", phone, sizeof phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);

    struct core_order_cmd oc;
    memset(&oc, 0, sizeof oc);
    oc.c = c;
    oc.dev = dev;
    oc.staff = staff;
    oc.cmd = DOMAIN_ORDER_CREATE;
    oc.actor = (struct domain_actor){.staff_id = staff->id, .role = staff->role};

    struct domain_order_args a = {0};
    unsigned fields;
    if (core_order_vehicle_args(c, args, &a, &fields, err))
        return -1;
    const char *kind = proto_get_str(args, "customer_kind");
    const char *credit = proto_get_str(args, "credit_rating");
    a.has_customer_kind = kind != NULL;
    a.customer_kind = (enum domain_customer_kind)name_or(
        kind ? domain_customer_kind_from_name(kind) : -1, DOMAIN_CUSTOMER_INDIVIDUAL);
    a.has_credit_rating = credit != NULL;
    a.credit_rating = (enum domain_credit)name_or(credit ? domain_credit_from_name(credit) : -1, 0);
    a.received_at = proto_get_int(args, "received_at", 0);
    if (core_order_decide(&oc, &a, now, err))
        return -1;

    struct store_order *o = &oc.row;
    o->site_id = staff->site_id;
    o->consultant_id = staff->id;
    o->times.created_at = now;
    o->updated_at = now;
    core_order_vehicle_to_row(args, o);
    snprintf(o->channel, sizeof o->channel, "%s", proto_get_str(args, "channel"));
    if (create_customer(c, args, phone, now, &oc.customer, err) ||
        store_orders_next_no(c->store, now, o->order_no, sizeof o->order_no, err))
        return -1;
    o->customer_id = oc.customer.id;
    if (store_orders_add(c->store, o, &o->id, err))
        return -1;
    /* the customer's lead: a conflict when another consultant owns it, then conversion */
    if (core_lead_on_order(c, dev, staff, oc.customer.id, o->id, now, err))
        return -1;
    return core_order_finish(&oc, args, now, data, err);
}

int core_order_entry_review(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct core_order_cmd oc;
    if (core_order_load(c, dev, staff, DOMAIN_ORDER_REVIEW, args, &oc, err))
        goto fail;
    const cJSON *conds = proto_get_arr(args, "conditions");
    struct domain_order_args a = {
        .pass = proto_get_bool(args, "pass", false),
        .has_reason = core_order_has_text(args, "reason"),
        .conditions = conds ? cJSON_GetArraySize(conds) : 0,
    };
    if (core_order_decide(&oc, &a, now, err))
        goto fail;
    if (a.pass) {
        char *text = conds && a.conditions ? cJSON_PrintUnformatted(conds) : NULL;
        if (conds && a.conditions && !text) {
            core_oom(err);
            goto fail;
        }
        /* three short codes at most (the table's limit), so this always fits */
        snprintf(oc.row.review_conditions, sizeof oc.row.review_conditions, "%s", text ? text : "");
        cJSON_free(text);
    } else {
        snprintf(oc.row.last_reason, sizeof oc.row.last_reason, "%s",
                 proto_get_str(args, "reason"));
    }
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

int core_order_entry_approve(struct core *c, const struct core_device *dev,
                             const struct core_staff *staff, const cJSON *args, int64_t now,
                             cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct core_order_cmd oc;
    if (core_order_load(c, dev, staff, DOMAIN_ORDER_APPROVE, args, &oc, err))
        goto fail;
    struct domain_order_args a = {
        .pass = proto_get_bool(args, "approve", false),
        .has_reason = core_order_has_text(args, "reason"),
    };
    if (core_order_decide(&oc, &a, now, err))
        goto fail;
    if (!a.pass)
        snprintf(oc.row.last_reason, sizeof oc.row.last_reason, "%s",
                 proto_get_str(args, "reason"));
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

/* The customer's details live on the customer record, shared by every order of that phone;
 * the store has no way to change them yet, so an edit that names one is refused rather than
 * silently dropped. */
static const char *const customer_keys[] = {
    "customer_name",  "gender",       "customer_kind", "company_address",  "legal_rep",
    "business_scope", "contact_name", "credit_rating", "credit_limit_fen",
};

int core_order_entry_edit(struct core *c, const struct core_device *dev,
                          const struct core_staff *staff, const cJSON *args, int64_t now,
                          cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct core_order_cmd oc;
    if (core_order_load(c, dev, staff, DOMAIN_ORDER_EDIT, args, &oc, err))
        goto fail;
    for (size_t i = 0; i < sizeof customer_keys / sizeof customer_keys[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(args, customer_keys[i])) {
            proto_error_set(err, PROTO_E_BAD_FIELD, customer_keys[i],
                            "%s is part of the customer record and cannot be edited on an order",
                            customer_keys[i]);
            goto fail;
        }
    struct domain_order_args a = {0};
    unsigned fields;
    if (core_order_vehicle_args(c, args, &a, &fields, err))
        goto fail;
    a.change_fields = fields;
    if (cJSON_GetObjectItemCaseSensitive(args, "received_at"))
        a.received_at = proto_get_int(args, "received_at", 0);
    if (core_order_decide(&oc, &a, now, err))
        goto fail;
    core_order_vehicle_to_row(args, &oc.row);
    const char *channel = proto_get_str(args, "channel");
    if (channel)
        snprintf(oc.row.channel, sizeof oc.row.channel, "%s", channel);
    if (cJSON_GetObjectItemCaseSensitive(args, "received_at"))
        oc.row.received_at = a.received_at;
    return core_order_finish(&oc, args, now, data, err);
fail:
    core_order_cmd_free(&oc);
    return -1;
}

int core_order_entry_resubmit(struct core *c, const struct core_device *dev,
                              const struct core_staff *staff, const cJSON *args, int64_t now,
                              cJSON **data, struct proto_error *err)
{
    *data = NULL;
    struct core_order_cmd oc;
    struct domain_order_args a = {0};
    if (core_order_load(c, dev, staff, DOMAIN_ORDER_RESUBMIT, args, &oc, err) ||
        core_order_decide(&oc, &a, now, err)) {
        core_order_cmd_free(&oc);
        return -1;
    }
    return core_order_finish(&oc, args, now, data, err);
}

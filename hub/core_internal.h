/* Private to hub/core*.c: the layout of struct core and the functions the core files share.
 * The network layer sees only core.h. */
#ifndef SHOWFLOOR_CORE_INTERNAL_H
#define SHOWFLOOR_CORE_INTERNAL_H

#include "core.h"
#include "store.h"

#define CORE_CONSENT_VERSION  "v1"  /* text of the consent shown at check-in */
#define CORE_MAX_CONSULTANTS  256   /* per site; more are ignored by check-in */
#define CORE_LOOKUP_MAX_FAILS 10    /* failed order lookups per device ... */
#define CORE_LOOKUP_WINDOW_MS 60000 /* ... within this window ... */
#define CORE_LOOKUP_BLOCK_MS  60000 /* ... block the device for this long */

/* Failed order lookups of one device, kept in memory only: a hub restart forgets them. */
struct core_lookup_fails {
    int64_t device_id;
    int64_t at[CORE_LOOKUP_MAX_FAILS]; /* ring of the latest failure times */
    int next;
    int64_t blocked_until;
};

struct core {
    struct store *store;
    int64_t staff_idle_ms;
    int replay_max;
    int64_t data_version;
    struct core_lookup_fails *lookups;
    size_t n_lookups, cap_lookups;
    bool batch; /* core_batch.c: a group commit is open; commands run in savepoints */
};

/* A site's local day around `now`: the site row, "YYYY-MM-DD" and [start, end) in UTC ms. */
struct core_day {
    struct store_site site;
    char day[STORE_DAY_LEN + 1];
    int64_t start, end;
};
int core_day(struct core *c, int64_t site_id, int64_t now, struct core_day *out,
             struct proto_error *err);

/* core_view.c: masked objects of PROTOCOL.md "Objects" from the store's full JSON. Each
 * returns a new object (caller frees) or NULL when out of memory. */
cJSON *core_view_visit(const cJSON *full);
cJSON *core_view_order(const cJSON *full);
/* core_view_order plus "sla_breaches" (kinds recorded for the order): what board and
 * delivery kiosks get, in snapshots and events alike. */
cJSON *core_view_order_board(struct core *c, const cJSON *full);
cJSON *core_view_wall(const cJSON *full);
cJSON *core_view_model(const struct store_model *m);
/* Masked display name of a customer object {"name","gender","kind"} into out. */
void core_view_customer_name(const cJSON *customer, char *out, size_t outsz);
/* Copies src[key] into dst (null when absent). 0, or -1 when out of memory. */
int core_view_copy(cJSON *dst, const cJSON *src, const char *key);

/* Request handlers (core_request.c dispatches). `data` receives the result data. */
int core_checkin_run(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err);
int core_orders_lookup(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err);

/* ---- order commands (core_order*.c; hub/ORDERS.md describes the flow) ---- */

/* One order command in progress, inside core_request's write transaction: the row as loaded
 * (and, after core_order_decide, as it will be written), the rules' view of it before and
 * after, and what the rules say must happen. */
struct core_order_cmd {
    struct core *c;
    const struct core_device *dev;
    const struct core_staff *staff;
    enum domain_order_cmd cmd;
    struct store_order row;
    struct store_customer customer;
    struct store_request change, cancel; /* the open requests, when has_* */
    bool has_change, has_cancel;
    struct domain_order_state before, st;
    struct domain_actor actor;
    struct domain_order_effects fx;
    cJSON *before_json; /* full order before the command (owned; NULL for create) */
    cJSON *detail;      /* what the command recorded beyond the order row, for the audit */
};

/* Staff login, the order by number (args "order_no"), same site, its customer and open
 * requests, and the rules' state. 0, or -1 with *err (staff_login_required, not_found,
 * forbidden). On success the caller ends with core_order_finish or core_order_cmd_free. */
int core_order_load(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                    enum domain_order_cmd cmd, const cJSON *args, struct core_order_cmd *oc,
                    struct proto_error *err);
void core_order_cmd_free(struct core_order_cmd *oc);
/* domain_order_check then domain_order_apply into oc->st / oc->fx; copies the new state into
 * oc->row (stage, stamps, money, sub-states). 0 or -1 with *err (nothing written yet). */
int core_order_decide(struct core_order_cmd *oc, const struct domain_order_args *a, int64_t now,
                      struct proto_error *err);
/* core_order_load then core_order_decide; frees oc on failure. */
int core_order_start(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     enum domain_order_cmd cmd, const cJSON *args,
                     const struct domain_order_args *a, int64_t now, struct core_order_cmd *oc,
                     struct proto_error *err);
/* Carries out the vehicle and request effects of oc->fx, writes the row (order.updated),
 * appends order.eta_changed when the ETA moved, the audit record (before/after of what
 * changed, plus oc->detail) and sets *data to {"order": staff view}. Frees oc. */
int core_order_finish(struct core_order_cmd *oc, const cJSON *args, int64_t now, cJSON **data,
                      struct proto_error *err);
/* Fills the rules' state from a row, its customer and open requests. */
void core_order_state(const struct store_order *o, const struct store_customer *cust,
                      const struct store_request *change, const struct store_request *cancel,
                      struct domain_order_state *st);
/* "staff:S007" for the audit trail. */
void core_order_actor(const struct core_staff *staff, char *out, size_t outsz);
/* The unmasked order for staff with a login: the store's full JSON plus "sla_breaches"
 * ([{"kind","due_at","at"}]). NULL with *err. */
cJSON *core_order_staff_view(struct core *c, int64_t order_id, struct proto_error *err);
/* Adds key: value (string) or null when empty. 0 or -1 when out of memory. */
int core_order_add_text(cJSON *obj, const char *key, const char *value);
/* 1 if args[key] is a string with at least one byte. */
bool core_order_has_text(const cJSON *args, const char *key);

/* The order fields of create/edit/change_request found in obj: their bits in *fields, the
 * money-relevant ones in *a (has_quantity, ...); an unknown model is bad_field. 0 or -1. */
int core_order_vehicle_args(struct core *c, const cJSON *obj, struct domain_order_args *a,
                            unsigned *fields, struct proto_error *err);
/* Copies the text and time fields present in obj into the row (quantity, price and payment
 * come from the rules' state). */
void core_order_vehicle_to_row(const cJSON *obj, struct store_order *o);

/* Handlers, one per order request (core_request.c's table). */
/* Each is a core_handler (core_request.c): (c, dev, staff, args, now, data, err). */
#define CORE_ORDER_HANDLER(fn)                                                            \
    int fn(struct core *c, const struct core_device *dev, const struct core_staff *staff, \
           const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
CORE_ORDER_HANDLER(core_order_entry_create);
CORE_ORDER_HANDLER(core_order_entry_review);
CORE_ORDER_HANDLER(core_order_entry_approve);
CORE_ORDER_HANDLER(core_order_entry_edit);
CORE_ORDER_HANDLER(core_order_entry_resubmit);
CORE_ORDER_HANDLER(core_order_fulfil_allocate);
CORE_ORDER_HANDLER(core_order_fulfil_arrived);
CORE_ORDER_HANDLER(core_order_fulfil_prep);
CORE_ORDER_HANDLER(core_order_fulfil_eta);
CORE_ORDER_HANDLER(core_order_fulfil_ready);
CORE_ORDER_HANDLER(core_order_fulfil_deliver);
CORE_ORDER_HANDLER(core_order_fulfil_close);
CORE_ORDER_HANDLER(core_order_money_payment);
CORE_ORDER_HANDLER(core_order_money_invoice);
CORE_ORDER_HANDLER(core_order_money_loan_step);
CORE_ORDER_HANDLER(core_order_money_refund);
CORE_ORDER_HANDLER(core_order_change_request);
CORE_ORDER_HANDLER(core_order_change_review);
CORE_ORDER_HANDLER(core_order_change_cancel_request);
CORE_ORDER_HANDLER(core_order_change_cancel_review);
CORE_ORDER_HANDLER(core_order_change_cancel_approve);
CORE_ORDER_HANDLER(core_order_change_note);
CORE_ORDER_HANDLER(core_order_read_get);
CORE_ORDER_HANDLER(core_order_read_list);

/* Sets err to PROTO_E_INTERNAL "out of memory" and returns -1. */
int core_oom(struct proto_error *err);

#endif

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
    struct store_checkpointer *checkpointer; /* NULL unless core_options.checkpoint_thread */
    struct store_syncer *syncer;             /* NULL unless core_durable_start */
    int64_t staff_idle_ms;
    int replay_max;
    int64_t data_version;
    struct core_lookup_fails *lookups;
    size_t n_lookups, cap_lookups;
    /* core_batch.c: a group commit is open; its commands run in savepoints only when
     * batch_savepoints; otherwise batch_changes is store_total_changes() at the start of the
     * running command, and batch_dirty says a command failed after it had written */
    bool batch, batch_savepoints, batch_dirty;
    int64_t batch_changes;
    /* core_customer.c: an erasure was written; core_batch.c truncates the WAL after the
     * commit that makes it durable (cleared once that succeeded) */
    bool checkpoint_due;
    char *sign_key_path;            /* core_sign.h: the signing key file */
    struct core_sign_key *sign_key; /* loaded at the first delivery; NULL until then */
};

/* core_sign.c: the hub's signing key, loaded (or created) at first need. 0 with *key, or
 * -1 with *err (PROTO_E_UNAVAILABLE: the delivery cannot be signed, so it is refused). */
struct core_sign_key;
int core_sign_key_of(struct core *c, const struct core_sign_key **key, struct proto_error *err);

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
/* core_view_order plus "sla_breaches" (kinds recorded for the order) and "sla_due_at" (when
 * the earliest running time limit falls due, null if none): what board and
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
/* Read only: the path a check-in with this phone would take (PROTOCOL.md checkin_lookup). */
int core_checkin_lookup(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err);
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

/* ==== leads, reception, conflicts, complaints (issue 4; hub/RECEPTION.md) ==== */

/* core_floor.c: what the handlers of leads, visits, conflicts and complaints share. */
/* A staff login of the device's site: 0, or -1 with staff_login_required / forbidden. */
int core_floor_login(const struct core_device *dev, const struct core_staff *staff,
                     const char *what, struct proto_error *err);
/* The record's site must be the device's (and the staff's): forbidden naming `field`. */
int core_floor_same_site(const struct core_device *dev, int64_t site_id, const char *field,
                         struct proto_error *err);
/* The actor of an audit record: "staff:S007", or "device:<id>" without a login. */
void core_floor_actor(const struct core_device *dev, const struct core_staff *staff, char *out,
                      size_t outsz);
/* One audit record: before/after of the top-level keys that changed between the full records
 * (before NULL for a new record), plus "args" and `detail` (both borrowed; NULL allowed) in
 * "after". entity_id is the record's id. */
int core_floor_audit(struct core *c, int64_t site_id, const char *actor, const char *entity,
                     int64_t entity_id, const char *action, const cJSON *before, const cJSON *after,
                     const cJSON *args, const cJSON *detail, int64_t now, struct proto_error *err);
/* {"id","name"} of a staff member, or JSON null for 0 / unknown. NULL when out of memory. */
cJSON *core_floor_staff_ref(struct core *c, int64_t staff_id);
/* obj[key] = core_floor_staff_ref(staff_id). 0, or -1 when out of memory. */
int core_floor_add_staff(struct core *c, cJSON *obj, const char *key, int64_t staff_id);
/* {key: item} taking ownership of item; NULL (item freed) when out of memory. */
cJSON *core_floor_wrap(const char *key, cJSON *item);
/* limit (default 50) and offset of a list request. */
void core_floor_page(const cJSON *args, int *limit, int *offset);
/* A customer by normalised phone, created (name, gender) when new. *created (may be NULL). */
int core_floor_customer(struct core *c, const char *phone, const char *name,
                        enum domain_gender gender, int64_t now, struct store_customer *out,
                        bool *created, struct proto_error *err);
/* Masked display name of a customer ("王先生") for staff.notify texts. */
void core_floor_masked_name(const struct store_customer *cust, char *out, size_t outsz);
/* Active staff of a role at a site (ids ascending, at most cap); *n how many. */
int core_floor_staff_of_role(struct core *c, int64_t site_id, enum domain_role role, int64_t *ids,
                             size_t cap, size_t *n, struct proto_error *err);
#define CORE_FLOOR_MAX_STAFF 256 /* staff of one role at one site considered */

/* core_notify.c: staff.notify {staff_id, staff_no, kind, text_zh, text_en, refs} for one
 * person, appended to the event log and queued for the site's webhook in the caller's
 * transaction. refs is borrowed (NULL: {}). */
int core_notify(struct core *c, int64_t site_id, int64_t staff_id, enum domain_notify kind,
                const char *text_zh, const char *text_en, const cJSON *refs, int64_t now,
                struct proto_error *err);
/* The same with the person's row, for a caller that has read it already. */
int core_notify_staff(struct core *c, int64_t site_id, const struct store_staff *to,
                      enum domain_notify kind, const char *text_zh, const char *text_en,
                      const cJSON *refs, int64_t now, struct proto_error *err);
/* The same for every active staff member of `role` at the site; *count (may be NULL). */
int core_notify_role(struct core *c, int64_t site_id, enum domain_role role,
                     enum domain_notify kind, const char *text_zh, const char *text_en,
                     const cJSON *refs, int64_t now, int *count, struct proto_error *err);
/* refs object {key: id, ...} from pairs; ids <= 0 are left out. NULL when out of memory. */
cJSON *core_notify_refs(const char *k1, int64_t v1, const char *k2, int64_t v2);

/* core_lead*.c */
/* Order create hook: the customer's open lead at the site is converted (grade O, linked to
 * the order); before that, a lead owned by another consultant opens a conflict. */
int core_lead_on_order(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, int64_t customer_id, int64_t order_id,
                       int64_t now, struct proto_error *err);
/* Picks a holder of `role` at the site by domain_lead_assign (region, model); *chosen = 0 when
 * the site has none. */
int core_lead_pick(struct core *c, int64_t site_id, enum domain_role role, const char *region,
                   const char *model, int64_t *chosen, struct proto_error *err);
/* The rules' state of a stored lead, and back (status, grade, due times). */
void core_lead_state(const struct store_lead *l, struct domain_lead_state *st);
void core_lead_state_to_row(const struct domain_lead_state *st, struct store_lead *l);
/* Staff login, the lead of args "lead_id" at the device's site, its state, and (full != NULL)
 * its full JSON (caller frees). 0 or -1 with *err. */
int core_lead_load(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                   const cJSON *args, const char *what, struct store_lead *lead,
                   struct domain_lead_state *st, cJSON **full, struct proto_error *err);
/* Audit + {"lead": full} result for a lead command. Frees before. */
int core_lead_finish(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     int64_t lead_id, const char *action, cJSON *before, const cJSON *args,
                     const cJSON *detail, int64_t now, cJSON **data, struct proto_error *err);
/* Timer: leads past due reported once (lead.overdue + staff.notify). New reports, or -1. */
int core_lead_tick(struct core *c, int64_t now, struct proto_error *err);

/* core_visit.c timer: appointment no-shows and visits auto-closed at closing time. */
int core_visit_tick(struct core *c, int64_t now, struct proto_error *err);

/* core_conflict.c */
/* Opens a conflict over `lead` between its owner and `serving_id` (unless one is open for the
 * lead): conflict.opened, staff.notify to supervisors, an audit record. visit_id/order_id
 * (0 none) say where it was found. *opened (may be NULL). */
int core_conflict_open(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const struct store_lead *lead,
                       int64_t serving_id, int64_t visit_id, int64_t order_id, int64_t now,
                       bool *opened, struct proto_error *err);
int core_conflict_tick(struct core *c, int64_t now, struct proto_error *err);

/* core_complaint*.c */
/* A delivery rating (order_deliver, 1..5; 0 none): recorded in the satisfaction figures; a low
 * one (1, 2) opens a complaint at once at level 2 for a manager, must_resolve. */
int core_complaint_on_delivery(struct core *c, const struct core_device *dev,
                               const struct core_staff *staff, const struct store_order *order,
                               int rating, const char *comment, int64_t now,
                               struct proto_error *err);
/* The rules' state of a stored complaint (surveyed: a satisfaction record exists). */
void core_complaint_state(const struct store_complaint *cp, bool surveyed,
                          struct domain_complaint_state *st);
/* The full complaint (store JSON) plus "status" (open|responded|closed|surveyed), "due" and
 * "breaches" at `now`. Caller frees; NULL with *err. */
cJSON *core_complaint_full(struct core *c, int64_t id, int64_t now, struct proto_error *err);
/* Raises the complaint one level with the level's handler: complaint.escalated {complaint,
 * from_level, to_level} and staff.notify to the new handler. by = 0: the timer. */
int core_complaint_raise(struct core *c, const struct store_complaint *cp, int64_t by,
                         const char *reason, int64_t now, struct proto_error *err);
int core_complaint_tick(struct core *c, int64_t now, struct proto_error *err);
/* The handler for a level: 1 a supervisor, 2 a manager, 3 the site's general manager
 * (general_manager_staff_no) else a manager; the one with the fewest open complaints,
 * not `avoid` when another exists. *handler 0 when nobody fits. */
int core_complaint_handler(struct core *c, int64_t site_id, int level, int64_t avoid,
                           int64_t *handler, struct proto_error *err);

/* core_view_floor.c: kiosk views (masked customer name, no phone) of the new records. */
cJSON *core_view_lead(const cJSON *full);
cJSON *core_view_appointment(const cJSON *full);
cJSON *core_view_conflict(const cJSON *full);
/* `now` decides the due times and breaches shown; the site's offset is read for working days. */
cJSON *core_view_complaint(struct core *c, const cJSON *full, int64_t now);
/* Adds "due" {"first_response","contact","progress"} and "breaches" [{"kind","due_at"}] (kinds
 * only when kinds_only) of a full complaint to obj. 0 or -1. */
int core_view_complaint_due(struct core *c, const cJSON *full, int64_t now, cJSON *obj,
                            bool kinds_only);
/* core_snapshot_floor.c: the board snapshot's notifications, conflicts, complaints, overdue
 * and appointments keys, inside the snapshot's read transaction. 0 or -1 with *err. */
int core_snapshot_floor(struct core *c, const struct core_device *dev, int64_t day_start,
                        int64_t day_end, int64_t now, cJSON *state, struct proto_error *err);
/* Event views per kind (core_view.c's table). */
cJSON *core_view_floor_event(struct core *c, const struct core_event *ev, enum domain_mode mode);

/* Handlers (core_request.c's table), one per request. */
CORE_ORDER_HANDLER(core_lead_create);
CORE_ORDER_HANDLER(core_lead_assign);
CORE_ORDER_HANDLER(core_lead_work_followup);
CORE_ORDER_HANDLER(core_lead_work_grade);
CORE_ORDER_HANDLER(core_lead_work_invalidate);
CORE_ORDER_HANDLER(core_lead_work_month_end);
CORE_ORDER_HANDLER(core_lead_read_get);
CORE_ORDER_HANDLER(core_lead_read_list);
CORE_ORDER_HANDLER(core_visit_serve);
CORE_ORDER_HANDLER(core_visit_depart);
CORE_ORDER_HANDLER(core_visit_appointment);
CORE_ORDER_HANDLER(core_visit_call_staff);
CORE_ORDER_HANDLER(core_conflict_rule);
CORE_ORDER_HANDLER(core_conflict_list);
CORE_ORDER_HANDLER(core_complaint_open);
CORE_ORDER_HANDLER(core_complaint_respond);
CORE_ORDER_HANDLER(core_complaint_validity);
CORE_ORDER_HANDLER(core_complaint_escalate);
CORE_ORDER_HANDLER(core_complaint_close);
CORE_ORDER_HANDLER(core_complaint_survey);
CORE_ORDER_HANDLER(core_complaint_read_get);
CORE_ORDER_HANDLER(core_complaint_read_list);

/* core_customer.c: personal data on request (PROTOCOL.md "Personal data") */
CORE_ORDER_HANDLER(core_customer_export);
CORE_ORDER_HANDLER(core_customer_erase);

#endif

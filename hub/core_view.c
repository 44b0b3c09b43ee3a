/* What a kiosk may see: the masked objects of PROTOCOL.md "Objects" built from the store's
 * full records, and each event kind's view per mode ("Event kinds"). The only place where
 * personal data is masked; unmasked data never leaves through here. */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

int core_view_copy(cJSON *dst, const cJSON *src, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(src, key);
    cJSON *dup = item ? cJSON_Duplicate(item, 1) : cJSON_CreateNull();
    if (!dup || !cJSON_AddItemToObject(dst, key, dup)) {
        cJSON_Delete(dup);
        return -1;
    }
    return 0;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

/* A customer the event log or a stored result kept masked (domain_privacy_mask): its name
 * and phone are shown as they are (an erased customer's read ""), since masking "王先生"
 * again without its gender would make it "王*". */
static bool already_masked(const cJSON *customer)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(customer, "masked"));
}

void core_view_customer_name(const cJSON *customer, char *out, size_t outsz)
{
    const char *name = str_of(customer, "name");
    int rc;
    if (already_masked(customer)) {
        rc = snprintf(out, outsz, "%s", name) < (int)outsz ? 0 : -1;
    } else if (strcmp(str_of(customer, "kind"), "company") == 0) {
        rc = domain_mask_company(name, out, outsz);
    } else {
        int g = domain_gender_from_name(str_of(customer, "gender"));
        rc = domain_mask_person(name, g < 0 ? DOMAIN_GENDER_UNKNOWN : (enum domain_gender)g, out,
                                outsz);
    }
    if (rc != 0 && outsz > 0)
        out[0] = '\0'; /* never fall back to the unmasked name */
}

/* {"name": masked, "phone": masked} plus "new" when with_new. */
static cJSON *masked_customer(const cJSON *cust, bool with_new)
{
    char name[PROTO_MAX_NAME + 32], phone[PROTO_MAX_PHONE + 8];
    core_view_customer_name(cust, name, sizeof name);
    if (already_masked(cust))
        snprintf(phone, sizeof phone, "%s", str_of(cust, "phone"));
    else if (domain_mask_phone(str_of(cust, "phone"), phone, sizeof phone) != 0)
        phone[0] = '\0';
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "name", name) ||
        !cJSON_AddStringToObject(o, "phone", phone) ||
        (with_new &&
         !cJSON_AddBoolToObject(o, "new", cJSON_IsTrue(cJSON_GetObjectItem(cust, "new"))))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_owned(cJSON *dst, const char *key, cJSON *item)
{
    if (!item || !cJSON_AddItemToObject(dst, key, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

cJSON *core_view_visit(const cJSON *full)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || core_view_copy(o, full, "id") ||
        add_owned(o, "customer", masked_customer(cJSON_GetObjectItem(full, "customer"), true)))
        goto oom;
    static const char *const keys[] = {
        "consultant",  "invited_by", "assigned_by", "status",         "arrived_at",  "served_at",
        "departed_at", "model",      "source",      "appointment_id", "grade_after", "auto_closed"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (core_view_copy(o, full, keys[i]))
            goto oom;
    return o;
oom:
    cJSON_Delete(o);
    return NULL;
}

static const char *public_stage_of(const cJSON *full)
{
    int st = domain_stage_from_name(str_of(full, "stage"));
    if (st < 0)
        return NULL;
    return domain_public_name(domain_stage_public((enum domain_stage)st));
}

cJSON *core_view_order(const cJSON *full)
{
    const char *ps = public_stage_of(full);
    const cJSON *m = cJSON_GetObjectItem(full, "model");
    cJSON *o = cJSON_CreateObject();
    cJSON *model = cJSON_CreateObject();
    if (!o || !model || !ps || core_view_copy(model, m, "code") ||
        core_view_copy(model, m, "name")) {
        cJSON_Delete(model);
        goto oom;
    }
    if (core_view_copy(o, full, "id") || core_view_copy(o, full, "order_no") ||
        add_owned(o, "customer", masked_customer(cJSON_GetObjectItem(full, "customer"), false)) ||
        add_owned(o, "model", model))
        goto oom;
    static const char *const keys[] = {"colour", "quantity", "total_fen", "payment", "stage"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (core_view_copy(o, full, keys[i]))
            goto oom;
    if (!cJSON_AddStringToObject(o, "public_stage", ps))
        goto oom;
    static const char *const more[] = {"consultant",     "eta",        "delivery_at",
                                       "delivery_place", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (core_view_copy(o, full, more[i]))
            goto oom;
    /* sub-states the board shows (no money, no personal data) */
    static const char *const sub[] = {"alloc_kind", "vin", "prep_cleaning", "prep_inspection",
                                      "prep_maintenance"};
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
        if (core_view_copy(o, full, sub[i]))
            goto oom;
    if (!cJSON_AddBoolToObject(o, "change_pending",
                               cJSON_IsObject(cJSON_GetObjectItem(full, "change_request"))) ||
        !cJSON_AddBoolToObject(o, "cancel_pending",
                               cJSON_IsObject(cJSON_GetObjectItem(full, "cancel_request"))))
        goto oom;
    return o;
oom:
    cJSON_Delete(o);
    return NULL;
}

cJSON *core_view_wall(const cJSON *full)
{
    char ref[STORE_ORDER_NO_MAX + 8];
    const char *ps = public_stage_of(full);
    if (!ps || domain_order_ref(str_of(full, "order_no"), ref, sizeof ref) != 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "ref", ref) ||
        !cJSON_AddStringToObject(o, "model", str_of(cJSON_GetObjectItem(full, "model"), "name")) ||
        !cJSON_AddStringToObject(o, "public_stage", ps) || core_view_copy(o, full, "delivery_at") ||
        core_view_copy(o, full, "delivery_place")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *core_view_model(const struct store_model *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "code", m->code) ||
        !cJSON_AddStringToObject(o, "name", m->name) ||
        !cJSON_AddStringToObject(o, "name_en", m->name_en) ||
        !cJSON_AddNumberToObject(o, "price_fen", (double)m->price_fen)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- events per mode ---- */

#define MODE_BIT(m) (1u << (m))

/* {key: view(data[key])} */
static cJSON *wrap_view(const cJSON *data, const char *key, const char *out_key,
                        cJSON *(*view)(const cJSON *full))
{
    const cJSON *full = cJSON_GetObjectItem(data, key);
    if (!cJSON_IsObject(full))
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o || add_owned(o, out_key, view(full))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *visit_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    const cJSON *data = ev->data;
    return wrap_view(data, "visit", "visit", core_view_visit);
}

static int add_breach_kind(void *ctx, const char *kind, int64_t due_at, int64_t at)
{
    cJSON *s = cJSON_CreateString(kind);
    if (!s || !cJSON_AddItemToArray(ctx, s)) {
        cJSON_Delete(s);
        return -1;
    }
    return 0;
}

/* When the order's earliest running time limit falls due (UTC ms), 0 if none is running:
 * the board counts down to it, so a limit is seen coming before the timer records it. */
static int64_t running_due_at(struct core *c, const cJSON *full, struct proto_error *err)
{
    struct domain_order_times_sla t = {
        .received_at = proto_get_int(full, "received_at", 0),
        .created_at = proto_get_int(full, "created_at", 0),
        .entered_at = proto_get_int(full, "entered_at", 0),
        .initial_decided_at = proto_get_int(full, "initial_decided_at", 0),
        .reviewed_at = proto_get_int(full, "reviewed_at", 0),
        .final_decided_at = proto_get_int(full, "final_decided_at", 0),
        .eta_changed_at = proto_get_int(full, "eta_changed_at", 0),
        .eta_notified_at = proto_get_int(full, "eta_notified_at", 0),
        .delivered_at = proto_get_int(full, "delivered_at", 0),
        .closed_at = proto_get_int(full, "closed_at", 0),
        .cancelled_at = proto_get_int(full, "cancelled_at", 0),
    };
    struct domain_sla_settings set;
    if (store_settings_sla(c->store, proto_get_int(full, "site_id", 0), &set, err))
        return -1;
    struct domain_deadline dl[DOMAIN_SLA__COUNT];
    /* `now` only decides `breached`; a running limit is one not done, whatever the time */
    int n = domain_order_deadlines(&t, &set, 0, dl, DOMAIN_SLA__COUNT);
    int64_t due = 0;
    for (int i = 0; i < n; i++)
        if (!dl[i].done && (due == 0 || dl[i].due_at < due))
            due = dl[i].due_at;
    return due;
}

cJSON *core_view_order_board(struct core *c, const cJSON *full)
{
    struct proto_error err;
    cJSON *o = core_view_order(full);
    cJSON *list = o ? cJSON_AddArrayToObject(o, "sla_breaches") : NULL;
    const cJSON *id = cJSON_GetObjectItem(full, "id");
    if (!list || !cJSON_IsNumber(id) ||
        store_sla_list(c->store, (int64_t)id->valuedouble, add_breach_kind, list, &err)) {
        cJSON_Delete(o);
        return NULL;
    }
    int64_t due = running_due_at(c, full, &err);
    if (due < 0 || (due > 0 ? !cJSON_AddNumberToObject(o, "sla_due_at", (double)due)
                            : !cJSON_AddNullToObject(o, "sla_due_at"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* {"order": board view} (board, delivery) or {"wall": wall view} (status), plus the members
 * of data named in `extra` (event details that are neither money nor personal data). */
static cJSON *order_view_with(struct core *c, const cJSON *data, enum domain_mode mode,
                              const char *const *extra, size_t n)
{
    const cJSON *full = cJSON_GetObjectItem(data, "order");
    if (!cJSON_IsObject(full))
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (mode == DOMAIN_MODE_STATUS) {
        /* a customer screen learns that the order changed, never why or how late */
        if (add_owned(o, "wall", core_view_wall(full)))
            goto fail;
        return o;
    }
    if (add_owned(o, "order", core_view_order_board(c, full)))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (core_view_copy(o, data, extra[i]))
            goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *order_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    const cJSON *data = ev->data;
    return order_view_with(c, data, mode, NULL, 0);
}

static cJSON *eta_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    const cJSON *data = ev->data;
    static const char *const extra[] = {"eta", "previous_eta"};
    return order_view_with(c, data, mode, extra, 2);
}

static cJSON *sla_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    const cJSON *data = ev->data;
    static const char *const extra[] = {"order_no", "kind", "due_at"};
    return order_view_with(c, data, mode, extra, 3);
}

static cJSON *floor_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    return core_view_floor_event(c, ev, mode);
}

/* device.online / device.offline: the fleet row as stored (no personal data in it), for the
 * board's strip of screens that are down (hub/FLEET.md). */
static cJSON *fleet_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    (void)c;
    (void)mode;
    return cJSON_IsObject(cJSON_GetObjectItem(ev->data, "device")) ? cJSON_Duplicate(ev->data, 1)
                                                                   : NULL;
}

/* PROTOCOL.md "Event kinds". api devices never subscribe, so no kind lists them. Kinds not listed
 * (device.revoked, future internal kinds) are seen by nobody. */
static const struct {
    const char *kind;
    unsigned modes;
    cJSON *(*view)(struct core *c, const struct core_event *ev, enum domain_mode mode);
} event_kinds[] = {
    {"visit.checked_in", MODE_BIT(DOMAIN_MODE_RECEPTION) | MODE_BIT(DOMAIN_MODE_BOARD),
     visit_event},
    {"visit.updated", MODE_BIT(DOMAIN_MODE_RECEPTION) | MODE_BIT(DOMAIN_MODE_BOARD), visit_event},
    {"order.created",
     MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_STATUS),
     order_event},
    {"order.updated",
     MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_STATUS),
     order_event},
    {"order.eta_changed",
     MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_STATUS),
     eta_event},
    {"order.sla_breached",
     MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_STATUS),
     sla_event},
    /* leads, appointments, conflicts, complaints: staff boards (core_view_floor.c) */
    {"lead.created", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"lead.updated", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"lead.overdue", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"appointment.updated", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"conflict.opened", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"conflict.ruled", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"conflict.overdue", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"complaint.opened", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"complaint.updated", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"complaint.escalated", MODE_BIT(DOMAIN_MODE_BOARD), floor_event},
    {"staff.notify", MODE_BIT(DOMAIN_MODE_BOARD) | MODE_BIT(DOMAIN_MODE_DELIVERY), floor_event},
    /* kiosk fleet: boards see screens go down and come back; every other device.* kind is
     * the hub's own business (device.paired, device.command, device.changed, device.revoked) */
    {"device.online", MODE_BIT(DOMAIN_MODE_BOARD), fleet_event},
    {"device.offline", MODE_BIT(DOMAIN_MODE_BOARD), fleet_event},
};

cJSON *core_event_view(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    if ((unsigned)mode >= DOMAIN_MODE__COUNT || !ev->kind || !ev->data)
        return NULL;
    for (size_t i = 0; i < sizeof event_kinds / sizeof event_kinds[0]; i++)
        if (strcmp(ev->kind, event_kinds[i].kind) == 0)
            return (event_kinds[i].modes & MODE_BIT(mode)) ? event_kinds[i].view(c, ev, mode)
                                                           : NULL;
    return NULL;
}

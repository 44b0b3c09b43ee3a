/* Kiosk views of leads, appointments, conflicts, complaints and staff notifications
 * (PROTOCOL.md "Objects": BoardLead, BoardAppointment, BoardConflict, BoardComplaint). Board
 * and delivery screens see the customer's masked name only: no phone, no free text the
 * customer wrote (complaint summaries, conflict reasons). */
#include "core_internal.h"

#include <string.h>

static const char *str_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

static int64_t int_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* {"name": masked} of full[key]. 0 or -1. */
static int add_masked_customer(cJSON *dst, const cJSON *full)
{
    char name[PROTO_MAX_NAME + 32];
    core_view_customer_name(cJSON_GetObjectItem(full, "customer"), name, sizeof name);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "name", name) ||
        !cJSON_AddItemToObject(dst, "customer", o)) {
        cJSON_Delete(o);
        return -1;
    }
    return 0;
}

/* {"id", customer masked, then each key copied (null when absent)}. */
static cJSON *pick(const cJSON *full, const char *const *keys, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || core_view_copy(o, full, "id") || add_masked_customer(o, full))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (core_view_copy(o, full, keys[i]))
            goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

cJSON *core_view_lead(const cJSON *full)
{
    static const char *const keys[] = {
        "channel",     "region",           "model",      "grade",       "status",
        "owner",       "telesales",        "created_at", "assigned_at", "first_callback_due_at",
        "next_due_at", "last_followup_at", "grade_due",
    };
    return pick(full, keys, sizeof keys / sizeof keys[0]);
}

cJSON *core_view_appointment(const cJSON *full)
{
    static const char *const keys[] = {"lead_id", "at", "visit_id"};
    cJSON *o = pick(full, keys, sizeof keys / sizeof keys[0]);
    if (!o || !cJSON_AddStringToObject(o, "status", str_of(full, "state")) ||
        core_view_copy(o, full, "telesales")) {
        cJSON_Delete(o);
        return NULL;
    }
    /* the wire name of who booked it, as on visits */
    cJSON *t = cJSON_DetachItemFromObject(o, "telesales");
    if (!t || !cJSON_AddItemToObject(o, "invited_by", t)) {
        cJSON_Delete(t);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *core_view_conflict(const cJSON *full)
{
    static const char *const keys[] = {"lead_id", "claimants", "opened_at",
                                       "due_at",  "winner",    "ruled_at"};
    cJSON *o = pick(full, keys, sizeof keys / sizeof keys[0]);
    if (!o || !cJSON_AddStringToObject(o, "status", str_of(full, "state"))) {
        cJSON_Delete(o);
        return NULL;
    }
    if (!cJSON_IsNumber(cJSON_GetObjectItem(o, "due_at"))) {
        cJSON_DeleteItemFromObject(o, "due_at");
        if (!cJSON_AddNumberToObject(o, "due_at",
                                     (double)domain_conflict_due(int_of(full, "opened_at")))) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* open | responded | closed | surveyed from a full complaint. */
static const char *complaint_status(const cJSON *full)
{
    const char *st = str_of(full, "status");
    if (*st)
        return st;
    if (strcmp(str_of(full, "state"), "closed") == 0)
        return domain_complaint_status_name(
            cJSON_IsObject(cJSON_GetObjectItem(full, "satisfaction")) ? DOMAIN_CSTATE_SURVEYED
                                                                      : DOMAIN_CSTATE_CLOSED);
    return domain_complaint_status_name(int_of(full, "first_response_at") ? DOMAIN_CSTATE_RESPONDED
                                                                          : DOMAIN_CSTATE_OPEN);
}

int core_view_complaint_due(struct core *c, const cJSON *full, int64_t now, cJSON *obj,
                            bool kinds_only)
{
    struct store_site site = {0};
    struct proto_error err;
    if (store_sites_get(c->store, int_of(full, "site_id"), &site, &err))
        site.utc_offset_min = 0; /* an unknown site: UTC keeps the figures defined */
    int ch = domain_complaint_channel_from_name(str_of(full, "channel"));
    struct domain_complaint_times t = {
        .channel = ch < 0 ? DOMAIN_CCHAN_ON_SITE : (enum domain_complaint_channel)ch,
        .opened_at = int_of(full, "opened_at"),
        .first_response_at = int_of(full, "first_response_at"),
        .contact_at = int_of(full, "contact_at"),
        .last_progress_at = int_of(full, "last_progress_at"),
        .closed_at = int_of(full, "closed_at"),
    };
    struct domain_complaint_deadline dl[DOMAIN_CRESP__COUNT];
    int n = domain_complaint_deadlines(&t, site.utc_offset_min, now, dl, DOMAIN_CRESP__COUNT);
    cJSON_DeleteItemFromObject(obj, "due");
    cJSON_DeleteItemFromObject(obj, "breaches");
    cJSON *due = cJSON_AddObjectToObject(obj, "due");
    cJSON *br = cJSON_AddArrayToObject(obj, "breaches");
    if (!due || !br)
        return -1;
    for (int k = 0; k < DOMAIN_CRESP__COUNT; k++)
        if (!cJSON_AddNullToObject(due, domain_complaint_response_name(k)))
            return -1;
    for (int i = 0; i < n; i++) {
        const char *name = domain_complaint_response_name(dl[i].kind);
        if (!dl[i].done) {
            cJSON *v = cJSON_CreateNumber((double)dl[i].due_at);
            if (!v || !cJSON_ReplaceItemInObject(due, name, v)) {
                cJSON_Delete(v);
                return -1;
            }
        }
        if (!dl[i].breached)
            continue;
        cJSON *b;
        if (kinds_only) {
            b = cJSON_CreateString(name);
        } else {
            b = cJSON_CreateObject();
            if (b && (!cJSON_AddStringToObject(b, "kind", name) ||
                      !cJSON_AddNumberToObject(b, "due_at", (double)dl[i].due_at))) {
                cJSON_Delete(b);
                b = NULL;
            }
        }
        if (!b || !cJSON_AddItemToArray(br, b)) {
            cJSON_Delete(b);
            return -1;
        }
    }
    return 0;
}

cJSON *core_view_complaint(struct core *c, const cJSON *full, int64_t now)
{
    static const char *const keys[] = {"channel",  "kind",         "level",    "handler",
                                       "validity", "must_resolve", "opened_at"};
    cJSON *o = pick(full, keys, sizeof keys / sizeof keys[0]);
    const cJSON *order = cJSON_GetObjectItem(full, "order");
    const char *no = str_of(order, "order_no");
    if (!o || !cJSON_AddStringToObject(o, "status", complaint_status(full)) ||
        (*no ? !cJSON_AddStringToObject(o, "order_no", no)
             : !cJSON_AddNullToObject(o, "order_no")) ||
        core_view_complaint_due(c, full, now, o, true)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- events ---- */

/* {key: view(data[key])} plus the members of data named in extra. */
static cJSON *wrap(const cJSON *data, const char *key, cJSON *view, const char *const *extra,
                   size_t n)
{
    cJSON *o = view ? core_floor_wrap(key, view) : NULL;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (cJSON_GetObjectItem(data, extra[i]) && core_view_copy(o, data, extra[i])) {
            cJSON_Delete(o);
            return NULL;
        }
    return o;
}

cJSON *core_view_floor_event(struct core *c, const struct core_event *ev, enum domain_mode mode)
{
    (void)mode; /* board and delivery see the same masked views */
    const cJSON *d = ev->data;
    const char *kind = ev->kind;
    if (strncmp(kind, "lead.", 5) == 0) {
        static const char *const extra[] = {"owner", "due_at"};
        const cJSON *full = cJSON_GetObjectItem(d, "lead");
        return cJSON_IsObject(full) ? wrap(d, "lead", core_view_lead(full), extra, 2) : NULL;
    }
    if (strncmp(kind, "appointment.", 12) == 0) {
        const cJSON *full = cJSON_GetObjectItem(d, "appointment");
        return cJSON_IsObject(full) ? wrap(d, "appointment", core_view_appointment(full), NULL, 0)
                                    : NULL;
    }
    if (strncmp(kind, "conflict.", 9) == 0) {
        const cJSON *full = cJSON_GetObjectItem(d, "conflict");
        return cJSON_IsObject(full) ? wrap(d, "conflict", core_view_conflict(full), NULL, 0) : NULL;
    }
    if (strncmp(kind, "complaint.", 10) == 0) {
        static const char *const extra[] = {"from_level", "to_level", "breach"};
        const cJSON *full = cJSON_GetObjectItem(d, "complaint");
        return cJSON_IsObject(full)
                   ? wrap(d, "complaint", core_view_complaint(c, full, ev->at), extra, 3)
                   : NULL;
    }
    if (strcmp(kind, "staff.notify") == 0) {
        /* the texts were written masked; copy the known members only */
        static const char *const keys[] = {"staff_id", "staff_no", "kind",
                                           "text_zh",  "text_en",  "refs"};
        cJSON *o = cJSON_CreateObject();
        for (size_t i = 0; o && i < sizeof keys / sizeof keys[0]; i++)
            if (core_view_copy(o, d, keys[i])) {
                cJSON_Delete(o);
                o = NULL;
            }
        return o;
    }
    return NULL;
}

/* Runs requests for the network layer: a table maps each type to its handler and says
 * whether it is a command. Commands run inside one write transaction together with their
 * command id, so a repeat returns the stored first result and a failure changes nothing. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_batch.h"
#include "core_board.h"
#include "core_secret.h"
#include "domain_privacy.h"
#include "log.h"

typedef int (*core_handler)(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err);

static const struct {
    enum proto_type type;
    core_handler run;
    bool command;
} handlers[] = {
    {PROTO_T_CHECKIN, core_checkin_run, true},
    {PROTO_T_CHECKIN_LOOKUP, core_checkin_lookup, false},
    {PROTO_T_ORDER_LOOKUP, core_orders_lookup, false},
    /* orders (core_order_*.c): every one but the two reads is a command */
    {PROTO_T_ORDER_CREATE, core_order_entry_create, true},
    {PROTO_T_ORDER_REVIEW, core_order_entry_review, true},
    {PROTO_T_ORDER_APPROVE, core_order_entry_approve, true},
    {PROTO_T_ORDER_EDIT, core_order_entry_edit, true},
    {PROTO_T_ORDER_RESUBMIT, core_order_entry_resubmit, true},
    {PROTO_T_ORDER_ALLOCATE, core_order_fulfil_allocate, true},
    {PROTO_T_VEHICLE_ARRIVED, core_order_fulfil_arrived, true},
    {PROTO_T_VEHICLE_PREP, core_order_fulfil_prep, true},
    {PROTO_T_ORDER_ETA, core_order_fulfil_eta, true},
    {PROTO_T_ORDER_READY, core_order_fulfil_ready, true},
    {PROTO_T_ORDER_DELIVER, core_order_fulfil_deliver, true},
    {PROTO_T_ORDER_CLOSE, core_order_fulfil_close, true},
    {PROTO_T_PAYMENT_CONFIRM, core_order_money_payment, true},
    {PROTO_T_INVOICE_ISSUE, core_order_money_invoice, true},
    {PROTO_T_LOAN_STEP, core_order_money_loan_step, true},
    {PROTO_T_REFUND_CONFIRM, core_order_money_refund, true},
    {PROTO_T_ORDER_CHANGE_REQUEST, core_order_change_request, true},
    {PROTO_T_ORDER_CHANGE_REVIEW, core_order_change_review, true},
    {PROTO_T_ORDER_CANCEL_REQUEST, core_order_change_cancel_request, true},
    {PROTO_T_ORDER_CANCEL_REVIEW, core_order_change_cancel_review, true},
    {PROTO_T_ORDER_CANCEL_APPROVE, core_order_change_cancel_approve, true},
    {PROTO_T_ORDER_NOTE, core_order_change_note, true},
    {PROTO_T_ORDER_GET, core_order_read_get, false},
    {PROTO_T_ORDER_LIST, core_order_read_list, false},
    /* leads, reception, conflicts, complaints (core_lead*.c, core_visit.c, core_conflict.c,
     * core_complaint*.c; hub/RECEPTION.md) */
    {PROTO_T_LEAD_CREATE, core_lead_create, true},
    {PROTO_T_LEAD_ASSIGN, core_lead_assign, true},
    {PROTO_T_LEAD_FOLLOWUP, core_lead_work_followup, true},
    {PROTO_T_LEAD_GRADE, core_lead_work_grade, true},
    {PROTO_T_LEAD_INVALIDATE, core_lead_work_invalidate, true},
    {PROTO_T_LEAD_MONTH_END, core_lead_work_month_end, true},
    {PROTO_T_LEAD_GET, core_lead_read_get, false},
    {PROTO_T_LEAD_LIST, core_lead_read_list, false},
    {PROTO_T_VISIT_SERVE, core_visit_serve, true},
    {PROTO_T_VISIT_DEPART, core_visit_depart, true},
    {PROTO_T_APPOINTMENT_CREATE, core_visit_appointment, true},
    {PROTO_T_CALL_STAFF, core_visit_call_staff, true},
    {PROTO_T_CONFLICT_RULE, core_conflict_rule, true},
    {PROTO_T_CONFLICT_LIST, core_conflict_list, false},
    {PROTO_T_COMPLAINT_OPEN, core_complaint_open, true},
    {PROTO_T_COMPLAINT_RESPOND, core_complaint_respond, true},
    {PROTO_T_COMPLAINT_VALIDITY, core_complaint_validity, true},
    {PROTO_T_COMPLAINT_ESCALATE, core_complaint_escalate, true},
    {PROTO_T_COMPLAINT_CLOSE, core_complaint_close, true},
    {PROTO_T_COMPLAINT_SURVEY, core_complaint_survey, true},
    {PROTO_T_COMPLAINT_GET, core_complaint_read_get, false},
    {PROTO_T_COMPLAINT_LIST, core_complaint_read_list, false},
    {PROTO_T_BOARD_STATS, core_board_stats, false}, /* core_board.c: the board's figures */
    /* core_customer.c: personal data on request; the export logs itself as it reads */
    {PROTO_T_CUSTOMER_EXPORT, core_customer_export, false},
    {PROTO_T_CUSTOMER_ERASE, core_customer_erase, true},
};

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Sorts every object's members by key, recursively, so equal args print equally whatever
 * order the client sent them in. 0, or -1 when out of memory. */
static int canonicalise(cJSON *item)
{
    size_t n = 0;
    for (cJSON *ch = item->child; ch; ch = ch->next) {
        if (canonicalise(ch))
            return -1;
        n++;
    }
    if (!cJSON_IsObject(item) || n < 2)
        return 0;
    cJSON **v =
        malloc(n * sizeof(cJSON *)); // NOLINT(bugprone-sizeof-expression): array of pointers
    if (!v)
        return -1;
    size_t i = 0;
    for (cJSON *ch = item->child; ch; ch = ch->next)
        v[i++] = ch;
    qsort(v, n, sizeof(cJSON *), cmp_keys); // NOLINT(bugprone-sizeof-expression)
    /* relink as cJSON keeps lists: next ends in NULL, the head's prev is the tail */
    for (i = 0; i < n; i++) {
        v[i]->next = i + 1 < n ? v[i + 1] : NULL;
        v[i]->prev = i > 0 ? v[i - 1] : v[n - 1];
    }
    item->child = v[0];
    free(v);
    return 0;
}

static int args_hash(const cJSON *args, char hash[CORE_SECRET_HASH_LEN + 1],
                     struct proto_error *err)
{
    cJSON *copy = args ? cJSON_Duplicate(args, 1) : cJSON_CreateObject();
    char *text = NULL;
    if (!copy || canonicalise(copy) || !(text = cJSON_PrintUnformatted(copy))) {
        cJSON_Delete(copy);
        return core_oom(err);
    }
    int rc = core_secret_token_hash(text, hash, CORE_SECRET_HASH_LEN + 1);
    cJSON_free(text);
    cJSON_Delete(copy);
    return rc == 0 ? 0 : proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot hash args");
}

/* Looks the command id up inside the open transaction: 1 with *data the stored result (a
 * repeat), 0 when new, -1 with *err (id_reused or a store fault). */
static int stored_result(struct core *c, const struct core_device *dev, const char *type,
                         const char *req_id, const char *hash, cJSON **data,
                         struct proto_error *err)
{
    struct store_command cmd;
    if (store_commands_get(c->store, dev->id, req_id, &cmd, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            return 0;
        return -1;
    }
    int rc;
    if (strcmp(cmd.type, type) != 0 || strcmp(cmd.args_hash, hash) != 0) {
        rc = proto_error_set(err, PROTO_E_ID_REUSED, NULL, NULL);
    } else {
        *data = cJSON_Parse(cmd.result);
        rc = *data ? 1 : core_oom(err);
    }
    free(cmd.result);
    return rc;
}

/* ---- the access log (hub/PRIVACY.md): every result that shows a customer unmasked is a
 * read of personal data, recorded (who, which customer, which request) in the transaction of
 * the request. A command's records join its own transaction; a read (which ran in a read
 * transaction of its own, outside any group commit) opens a write transaction for them, so
 * a staff read that shows personal data costs one small commit. ---- */

struct access_ids {
    int64_t *v;
    size_t n, cap;
    bool oom;
};

static void access_collect(int64_t id, void *ctx)
{
    struct access_ids *a = ctx;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == id)
            return; /* one record per customer, however many of their orders were listed */
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        int64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) {
            a->oom = true;
            return;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = id;
}

/* The customers `data` shows unmasked: 0 (ids->n may be 0), or -1 out of memory. The
 * export records its own reads (core_customer.c). */
static int access_ids_of(enum proto_type type, const cJSON *data, struct access_ids *ids,
                         struct proto_error *err)
{
    if (type == PROTO_T_CUSTOMER_EXPORT || !data)
        return 0;
    domain_privacy_each_unmasked(data, access_collect, ids);
    return ids->oom ? core_oom(err) : 0;
}

/* Drops a last UTF-8 sequence that snprintf cut short. */
static void access_cut_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

/* One store_access_add per customer in ids, inside the caller's transaction. */
static int access_write(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, enum proto_type type,
                        const struct access_ids *ids, int64_t now, struct proto_error *err)
{
    struct store_access a = {.at = now, .device_id = dev->id, .site_id = dev->site_id};
    if (staff)
        snprintf(a.actor, sizeof a.actor, "staff:%s", staff->staff_no);
    else if (dev->mode == DOMAIN_MODE_API)
        snprintf(a.actor, sizeof a.actor, "api:%.60s", dev->name);
    else
        snprintf(a.actor, sizeof a.actor, "device:%lld", (long long)dev->id);
    access_cut_utf8(a.actor); /* a long device name may have been cut mid-character */
    snprintf(a.what, sizeof a.what, "%s", proto_type_name(type) ? proto_type_name(type) : "?");
    for (size_t i = 0; i < ids->n; i++) {
        a.customer_id = ids->v[i];
        if (store_access_add(c->store, &a, err))
            return -1;
    }
    return 0;
}

/* After a read: records its unmasked customers in a transaction of their own. A read whose
 * access cannot be recorded is not answered. */
static int access_log_read(struct core *c, const struct core_device *dev,
                           const struct core_staff *staff, enum proto_type type, cJSON **data,
                           int64_t now, struct proto_error *err)
{
    struct access_ids ids = {0};
    int rc = access_ids_of(type, *data, &ids, err);
    if (rc == 0 && ids.n > 0) {
        /* PROTO_T__COUNT, not `type`: the read must not become a "command" that the network
         * layer defers into a group commit, whose open transaction its handler's own read
         * transaction (store_begin_read) would be refused in */
        if (core_batch_cmd_begin(c, PROTO_T__COUNT, err)) {
            rc = -1;
        } else if (access_write(c, dev, staff, type, &ids, now, err) ||
                   core_batch_cmd_commit(c, err)) {
            core_batch_cmd_rollback(c);
            rc = -1;
        }
    }
    free(ids.v);
    if (rc) {
        cJSON_Delete(*data);
        *data = NULL;
    }
    return rc;
}

static int run_command(struct core *c, core_handler run, const struct core_device *dev,
                       const struct core_staff *staff, enum proto_type type, const char *req_id,
                       const cJSON *args, int64_t now, cJSON **data, char **text,
                       struct proto_error *err)
{
    const char *type_name = proto_type_name(type);
    char hash[CORE_SECRET_HASH_LEN + 1];
    if (!req_id || !proto_id_valid(req_id))
        return proto_error_set(err, PROTO_E_BAD_MESSAGE, NULL, "a command needs a valid id");
    /* Group commit (core_batch.c): inside an open batch the command's "transaction" is a
     * savepoint and its "commit" a release; the batch's COMMIT makes it durable, and the
     * network layer acknowledges nothing before that. Alone, these are BEGIN/COMMIT. */
    if (args_hash(args, hash, err) || core_batch_cmd_begin(c, type, err))
        return -1;
    int rc = stored_result(c, dev, type_name, req_id, hash, data, err);
    if (rc != 0) {
        core_batch_cmd_rollback(c); /* a repeat or an error: nothing to write */
        return rc < 0 ? -1 : 0;
    }
    if (run(c, dev, staff, args, now, data, err))
        goto fail;
    struct access_ids ids = {0};
    rc = access_ids_of(type, *data, &ids, err) || access_write(c, dev, staff, type, &ids, now, err);
    free(ids.v);
    if (rc)
        goto fail;
    if (store_commands_put_json(c->store, dev->id, req_id, type_name, hash, *data, now, text,
                                err) ||
        core_batch_cmd_commit(c, err))
        goto fail;
    return 0; /* committed (or released into an open batch): see core_batch.c */
fail:
    core_batch_cmd_rollback(c);
    cJSON_Delete(*data);
    *data = NULL;
    if (text) {
        free(*text);
        *text = NULL;
    }
    return -1;
}

int core_request(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                 enum proto_type type, const char *req_id, const cJSON *args, int64_t now,
                 cJSON **data, struct proto_error *err)
{
    return core_request_text(c, dev, staff, type, req_id, args, now, data, NULL, err);
}

int core_request_text(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      enum proto_type type, const char *req_id, const cJSON *args, int64_t now,
                      cJSON **data, char **text, struct proto_error *err)
{
    *data = NULL;
    if (text)
        *text = NULL;
    if (!domain_mode_allows(dev->mode, type))
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "%s is not allowed on a %s kiosk",
                               proto_type_name(type) ? proto_type_name(type) : "this request",
                               domain_mode_name(dev->mode));
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        if (handlers[i].type != type)
            continue;
        if (handlers[i].command)
            return run_command(c, handlers[i].run, dev, staff, type, req_id, args, now, data, text,
                               err);
        if (handlers[i].run(c, dev, staff, args, now, data, err))
            return -1;
        return access_log_read(c, dev, staff, type, data, now, err);
    }
    /* ping, subscribe and the staff session belong to the session layer */
    return proto_error_set(err, PROTO_E_BAD_MESSAGE, NULL, "%s is not handled by the core",
                           proto_type_name(type) ? proto_type_name(type) : "this type");
}

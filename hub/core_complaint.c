/* Complaints in the hub core: intake (level 1, a supervisor handles it), responses, validity,
 * escalation up the chain supervisor -> manager -> general manager, closure and the service
 * desk's survey; and the delivery hook (ratings feed the satisfaction figures, a low one opens
 * a must-resolve complaint for a manager). Rules: domain_complaint_*; rows: store_complaints_*. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void core_complaint_state(const struct store_complaint *cp, bool surveyed,
                          struct domain_complaint_state *st)
{
    memset(st, 0, sizeof *st);
    if (cp->state == STORE_COMPLAINT_CLOSED)
        st->state = surveyed ? DOMAIN_CSTATE_SURVEYED : DOMAIN_CSTATE_CLOSED;
    else
        st->state = cp->first_response_at ? DOMAIN_CSTATE_RESPONDED : DOMAIN_CSTATE_OPEN;
    int ch = domain_complaint_channel_from_name(cp->channel);
    st->channel = ch < 0 ? DOMAIN_CCHAN_ON_SITE : (enum domain_complaint_channel)ch;
    st->validity = cp->validity == STORE_VALIDITY_VALID     ? DOMAIN_CVALID_VALID
                   : cp->validity == STORE_VALIDITY_INVALID ? DOMAIN_CVALID_INVALID
                                                            : DOMAIN_CVALID_PENDING;
    st->level = cp->level;
    st->handler_id = cp->handler_id;
    st->must_resolve = cp->must_resolve;
    st->first_response_at = cp->first_response_at;
}

cJSON *core_complaint_full(struct core *c, int64_t id, int64_t now, struct proto_error *err)
{
    cJSON *full = NULL;
    struct store_complaint cp;
    if (store_complaints_get(c->store, id, &cp, err) ||
        store_complaints_json(c->store, id, &full, err))
        return NULL;
    struct domain_complaint_state st;
    core_complaint_state(&cp, cJSON_IsObject(cJSON_GetObjectItem(full, "satisfaction")), &st);
    if (!cJSON_AddStringToObject(full, "status", domain_complaint_status_name(st.state)) ||
        core_view_complaint_due(c, full, now, full, false)) {
        cJSON_Delete(full);
        core_oom(err);
        return NULL;
    }
    return full;
}

static int no_cb(void *ctx, const struct store_complaint *cp)
{
    (void)ctx;
    (void)cp;
    return 0;
}

/* The site's general manager by setting, when that staff member is active there. */
static int general_manager(struct core *c, int64_t site_id, int64_t *id, struct proto_error *err)
{
    char no[PROTO_MAX_SHORT + 1];
    struct store_staff st;
    *id = 0;
    if (store_settings_text_get(c->store, site_id, "general_manager_staff_no", no, sizeof no, NULL,
                                err))
        return -1;
    if (!no[0])
        return 0;
    if (store_staff_find(c->store, no, &st, err))
        return err && err->code == PROTO_E_NOT_FOUND ? 0 : -1;
    if (st.active && st.site_id == site_id)
        *id = st.id;
    return 0;
}

int core_complaint_handler(struct core *c, int64_t site_id, int level, int64_t avoid,
                           int64_t *handler, struct proto_error *err)
{
    *handler = 0;
    if (level == DOMAIN_COMPLAINT_LEVEL_MAX) {
        if (general_manager(c, site_id, handler, err))
            return -1;
        if (*handler)
            return 0;
    }
    int role = domain_complaint_level_role(level);
    int64_t *ids = calloc(CORE_FLOOR_MAX_STAFF, sizeof *ids);
    size_t n = 0;
    int rc = -1, best = -1;
    if (!ids)
        return core_oom(err);
    if (role < 0 || core_floor_staff_of_role(c, site_id, (enum domain_role)role, ids,
                                             CORE_FLOOR_MAX_STAFF, &n, err))
        goto out;
    if (n == 0 && role == DOMAIN_ROLE_SUPERVISOR && /* no supervisor: a manager takes it */
        core_floor_staff_of_role(c, site_id, DOMAIN_ROLE_MANAGER, ids, CORE_FLOOR_MAX_STAFF, &n,
                                 err))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == avoid && n > 1)
            continue; /* escalation goes to someone else when there is someone */
        int load = 0;
        struct store_complaint_filter f = {
            .site_id = site_id, .state = STORE_COMPLAINT_OPEN, .handler_id = ids[i], .limit = 1};
        if (store_complaints_list(c->store, &f, no_cb, NULL, &load, err))
            goto out;
        if (best < 0 || load < best) {
            best = load;
            *handler = ids[i];
        }
    }
    rc = 0;
out:
    free(ids);
    return rc;
}

static int notify_handler(struct core *c, const struct store_complaint *cp, int64_t handler,
                          enum domain_notify kind, int64_t now, struct proto_error *err)
{
    if (!handler)
        return 0;
    struct store_customer cust;
    if (store_customers_get(c->store, cp->customer_id, &cust, err))
        return -1;
    char name[PROTO_MAX_NAME + 32], zh[512], en[512];
    core_floor_masked_name(&cust, name, sizeof name);
    const char *lv_zh = domain_complaint_level_name_zh(cp->level);
    if (kind == DOMAIN_NOTIFY_COMPLAINT_ESCALATED) {
        snprintf(zh, sizeof zh, "投诉已升级至%s：%s", lv_zh ? lv_zh : "", name);
        snprintf(en, sizeof en, "Complaint escalated to level %d: %s", cp->level, name);
    } else {
        snprintf(zh, sizeof zh, "新投诉由您处理：%s%s", name,
                 cp->must_resolve ? "（必须解决）" : "");
        snprintf(en, sizeof en, "New complaint for you: %s%s", name,
                 cp->must_resolve ? " (must resolve)" : "");
    }
    cJSON *refs = core_notify_refs("complaint_id", cp->id, "order_id", cp->order_id);
    int rc =
        refs ? core_notify(c, cp->site_id, handler, kind, zh, en, refs, now, err) : core_oom(err);
    cJSON_Delete(refs);
    return rc;
}

/* Stores a new complaint with its handler for `level`, tells the handler, audits. */
static int open_complaint(struct core *c, const struct core_device *dev,
                          const struct core_staff *staff, struct store_complaint *cp,
                          const cJSON *args, int64_t now, struct proto_error *err)
{
    if (core_complaint_handler(c, cp->site_id, cp->level, 0, &cp->handler_id, err) ||
        store_complaints_add(c->store, cp, &cp->id, err) ||
        notify_handler(c, cp, cp->handler_id, DOMAIN_NOTIFY_COMPLAINT_ASSIGNED, now, err))
        return -1;
    cJSON *after = core_complaint_full(c, cp->id, now, err);
    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    int rc = after ? core_floor_audit(c, cp->site_id, actor, "complaint", cp->id, "complaint_open",
                                      NULL, after, args, NULL, now, err)
                   : -1;
    cJSON_Delete(after);
    if (rc == 0)
        log_info("core", "complaint %lld opened at level %d", (long long)cp->id, cp->level);
    return rc;
}

int core_complaint_open(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (core_floor_login(dev, staff, "complaint_open", err))
        return -1;
    const char *channel = proto_get_str(args, "channel"), *kind = proto_get_str(args, "kind");
    const char *summary = proto_get_str(args, "summary"),
               *order_no = proto_get_str(args, "order_no");
    int ch = channel ? domain_complaint_channel_from_name(channel) : -1;
    int kd = kind ? domain_complaint_kind_from_name(kind) : -1;
    struct domain_complaint_args ca = {
        .channel = ch < 0 ? DOMAIN_CCHAN_ON_SITE : (enum domain_complaint_channel)ch,
        .kind = kd < 0 ? DOMAIN_CKIND_SERVICE : (enum domain_complaint_kind)kd,
        .has_summary = summary && *summary,
        .has_phone = proto_get_str(args, "phone") != NULL,
    };
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    if (domain_complaint_check(NULL, &actor, DOMAIN_COMPLAINT_OPEN, &ca, err))
        return -1;
    char phone[PROTO_MAX_PHONE + 1];
    const char *raw = proto_get_str(args, "phone");
    if (proto_phone_normalize(raw ? raw : "", phone, sizeof phone, err))
        return proto_error_set(err, PROTO_E_INVALID_PHONE, "phone", NULL);
    struct store_complaint cp = {.site_id = dev->site_id,
                                 .level = DOMAIN_COMPLAINT_LEVEL_MIN,
                                 .state = STORE_COMPLAINT_OPEN,
                                 .opened_at = now,
                                 .opened_by = staff->id,
                                 .updated_at = now};
    if (order_no) {
        struct store_order o;
        if (store_orders_find_by_no(c->store, order_no, &o, err)) {
            if (err && err->code != PROTO_E_NOT_FOUND)
                return -1;
            o.site_id = 0;
        }
        if (o.site_id != dev->site_id)
            return proto_error_set(err, PROTO_E_NOT_FOUND, "order_no", "no order %s here",
                                   order_no);
        cp.order_id = o.id;
    }
    struct store_customer cust;
    if (core_floor_customer(c, phone, proto_get_str(args, "name"), DOMAIN_GENDER_UNKNOWN, now,
                            &cust, NULL, err))
        return -1;
    cp.customer_id = cust.id;
    snprintf(cp.channel, sizeof cp.channel, "%s", channel);
    snprintf(cp.kind, sizeof cp.kind, "%s", kind);
    snprintf(cp.summary, sizeof cp.summary, "%s", summary);
    snprintf(cp.source, sizeof cp.source, "%s", "direct");
    if (open_complaint(c, dev, staff, &cp, args, now, err))
        return -1;
    cJSON *full = core_complaint_full(c, cp.id, now, err);
    if (!full)
        return -1;
    *data = core_floor_wrap("complaint", full);
    return *data ? 0 : core_oom(err);
}

int core_complaint_on_delivery(struct core *c, const struct core_device *dev,
                               const struct core_staff *staff, const struct store_order *order,
                               int rating, const char *comment, int64_t now,
                               struct proto_error *err)
{
    if (!domain_satisfaction_valid(rating))
        return 0; /* no rating given */
    struct store_satisfaction r = {.site_id = order->site_id,
                                   .order_id = order->id,
                                   .score = rating,
                                   .staff_id = staff ? staff->id : 0,
                                   .at = now};
    snprintf(r.comment, sizeof r.comment, "%s", comment ? comment : "");
    if (store_satisfaction_add(c->store, &r, &r.id, err))
        return -1;
    if (!domain_rating_opens_complaint(rating))
        return 0;
    struct store_complaint cp = {.site_id = order->site_id,
                                 .customer_id = order->customer_id,
                                 .order_id = order->id,
                                 .level = 2,
                                 .state = STORE_COMPLAINT_OPEN,
                                 .opened_at = now,
                                 .must_resolve = true,
                                 .opened_by = staff ? staff->id : 0,
                                 .updated_at = now};
    snprintf(cp.channel, sizeof cp.channel, "%s", "on_site");
    snprintf(cp.kind, sizeof cp.kind, "%s", "service");
    snprintf(cp.summary, sizeof cp.summary, "交车评分 %d 分 / delivery rated %d%s%s", rating,
             rating, comment && *comment ? ": " : "", comment ? comment : "");
    snprintf(cp.source, sizeof cp.source, "%s", "delivery_rating");
    cJSON *args = cJSON_CreateObject();
    int rc = args && cJSON_AddStringToObject(args, "order_no", order->order_no) &&
                     cJSON_AddNumberToObject(args, "rating", rating)
                 ? open_complaint(c, dev, staff, &cp, args, now, err)
                 : core_oom(err);
    cJSON_Delete(args);
    return rc;
}

int core_complaint_raise(struct core *c, const struct store_complaint *cp, int64_t by,
                         const char *reason, int64_t now, struct proto_error *err)
{
    int to = domain_complaint_escalate_level(cp->level);
    if (!to)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL,
                               "the complaint is already with the general manager");
    int64_t handler = 0;
    struct store_complaint after;
    if (core_complaint_handler(c, cp->site_id, to, cp->handler_id, &handler, err) ||
        store_complaints_escalate(c->store, cp->id, to, handler, reason, by, now, err) ||
        store_complaints_get(c->store, cp->id, &after, err))
        return -1;
    cJSON *full = core_complaint_full(c, cp->id, now, err);
    cJSON *d = full ? core_floor_wrap("complaint", full) : NULL;
    int rc = -1;
    if (!full)
        return -1;
    if (!d || !cJSON_AddNumberToObject(d, "from_level", cp->level) ||
        !cJSON_AddNumberToObject(d, "to_level", to)) {
        core_oom(err);
        goto out;
    }
    if (store_events_append_json(c->store, cp->site_id, "complaint.escalated", now, d, NULL, err) ||
        notify_handler(c, &after, handler, DOMAIN_NOTIFY_COMPLAINT_ESCALATED, now, err))
        goto out;
    log_info("core", "complaint %lld escalated %d -> %d", (long long)cp->id, cp->level, to);
    rc = 0;
out:
    cJSON_Delete(d);
    return rc;
}

/* ---- commands on one complaint ---- */

struct cmd {
    struct store_complaint cp;
    struct domain_complaint_state st;
    cJSON *before;
};

static int load(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                const cJSON *args, enum domain_complaint_cmd cmd,
                const struct domain_complaint_args *ca, int64_t now, struct cmd *k,
                struct proto_error *err)
{
    k->before = NULL;
    if (core_floor_login(dev, staff, domain_complaint_cmd_name(cmd), err))
        return -1;
    int64_t id = proto_get_int(args, "complaint_id", 0);
    if (store_complaints_get(c->store, id, &k->cp, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            proto_error_set(err, PROTO_E_NOT_FOUND, "complaint_id", "no complaint %lld",
                            (long long)id);
        return -1;
    }
    if (core_floor_same_site(dev, k->cp.site_id, "complaint_id", err) ||
        !(k->before = core_complaint_full(c, id, now, err)))
        return -1;
    core_complaint_state(&k->cp, cJSON_IsObject(cJSON_GetObjectItem(k->before, "satisfaction")),
                         &k->st);
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    if (domain_complaint_check(&k->st, &actor, cmd, ca, err)) {
        cJSON_Delete(k->before);
        k->before = NULL;
        return -1;
    }
    return 0;
}

static int finish(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                  struct cmd *k, enum domain_complaint_cmd cmd, const cJSON *args, int64_t now,
                  cJSON **data, struct proto_error *err)
{
    char actor[PROTO_MAX_SHORT + 16];
    core_floor_actor(dev, staff, actor, sizeof actor);
    cJSON *after = core_complaint_full(c, k->cp.id, now, err);
    int rc = -1;
    if (!after ||
        core_floor_audit(c, k->cp.site_id, actor, "complaint", k->cp.id,
                         domain_complaint_cmd_name(cmd), k->before, after, args, NULL, now, err))
        goto out;
    *data = core_floor_wrap("complaint", after);
    after = NULL;
    rc = *data ? 0 : core_oom(err);
out:
    cJSON_Delete(after);
    cJSON_Delete(k->before);
    k->before = NULL;
    return rc;
}

/* Each command: args -> rule facts, the store's move, then finish. */
int core_complaint_respond(struct core *c, const struct core_device *dev,
                           const struct core_staff *staff, const cJSON *args, int64_t now,
                           cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *kind = proto_get_str(args, "kind"), *text = proto_get_str(args, "text");
    int r = kind ? domain_complaint_response_from_name(kind) : -1;
    struct domain_complaint_args ca = {.response = r < 0 ? DOMAIN_CRESP_PROGRESS
                                                         : (enum domain_complaint_response)r,
                                       .has_text = text && *text};
    struct cmd k;
    if (load(c, dev, staff, args, DOMAIN_COMPLAINT_RESPOND, &ca, now, &k, err))
        return -1;
    if (store_complaints_respond(c->store, k.cp.id, kind, text, staff->id, now, err)) {
        cJSON_Delete(k.before);
        return -1;
    }
    return finish(c, dev, staff, &k, DOMAIN_COMPLAINT_RESPOND, args, now, data, err);
}

int core_complaint_validity(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    bool valid = proto_get_bool(args, "valid", false);
    const char *reason = proto_get_str(args, "reason");
    struct domain_complaint_args ca = {.validity =
                                           valid ? DOMAIN_CVALID_VALID : DOMAIN_CVALID_INVALID,
                                       .has_reason = reason && *reason};
    struct cmd k;
    if (load(c, dev, staff, args, DOMAIN_COMPLAINT_VALIDITY, &ca, now, &k, err))
        return -1;
    if (store_complaints_set_validity(c->store, k.cp.id,
                                      valid ? STORE_VALIDITY_VALID : STORE_VALIDITY_INVALID,
                                      reason ? reason : "", staff->id, now, err)) {
        cJSON_Delete(k.before);
        return -1;
    }
    return finish(c, dev, staff, &k, DOMAIN_COMPLAINT_VALIDITY, args, now, data, err);
}

int core_complaint_escalate(struct core *c, const struct core_device *dev,
                            const struct core_staff *staff, const cJSON *args, int64_t now,
                            cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *reason = proto_get_str(args, "reason");
    struct domain_complaint_args ca = {.has_reason = reason && *reason};
    struct cmd k;
    if (load(c, dev, staff, args, DOMAIN_COMPLAINT_ESCALATE, &ca, now, &k, err))
        return -1;
    if (core_complaint_raise(c, &k.cp, staff->id, reason, now, err)) {
        cJSON_Delete(k.before);
        return -1;
    }
    return finish(c, dev, staff, &k, DOMAIN_COMPLAINT_ESCALATE, args, now, data, err);
}

int core_complaint_close(struct core *c, const struct core_device *dev,
                         const struct core_staff *staff, const cJSON *args, int64_t now,
                         cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *resolution = proto_get_str(args, "resolution");
    struct domain_complaint_args ca = {.has_text = resolution && *resolution};
    struct cmd k;
    if (load(c, dev, staff, args, DOMAIN_COMPLAINT_CLOSE, &ca, now, &k, err))
        return -1;
    if (store_complaints_close(c->store, k.cp.id, resolution, staff->id, now, err)) {
        cJSON_Delete(k.before);
        return -1;
    }
    return finish(c, dev, staff, &k, DOMAIN_COMPLAINT_CLOSE, args, now, data, err);
}

int core_complaint_survey(struct core *c, const struct core_device *dev,
                          const struct core_staff *staff, const cJSON *args, int64_t now,
                          cJSON **data, struct proto_error *err)
{
    *data = NULL;
    const char *comment = proto_get_str(args, "comment");
    struct domain_complaint_args ca = {.satisfaction = (int)proto_get_int(args, "satisfaction", 0)};
    struct cmd k;
    if (load(c, dev, staff, args, DOMAIN_COMPLAINT_SURVEY, &ca, now, &k, err))
        return -1;
    struct store_satisfaction r = {.site_id = k.cp.site_id,
                                   .complaint_id = k.cp.id,
                                   .score = ca.satisfaction,
                                   .staff_id = staff->id,
                                   .at = now};
    snprintf(r.comment, sizeof r.comment, "%s", comment ? comment : "");
    if (store_satisfaction_add(c->store, &r, &r.id, err)) {
        cJSON_Delete(k.before);
        return -1;
    }
    return finish(c, dev, staff, &k, DOMAIN_COMPLAINT_SURVEY, args, now, data, err);
}

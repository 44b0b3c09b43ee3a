/* Reading leads: lead_get (the lead with its follow-ups, assignments and sources) and
 * lead_list (filters and paging; telesales and consultants see their own leads only). Each
 * runs in one read transaction, so the answer is one committed state. */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct read_ctx {
    struct core *c;
    cJSON *list;
    int64_t now;
    bool overdue_only;
    int skip, room; /* overdue paging done here: matches to skip, then to add */
    int total;
};

static int add_followup(void *ctx, const struct store_lead_followup *f)
{
    struct read_ctx *r = ctx;
    cJSON *o = cJSON_CreateObject();
    char grade[2] = {f->grade, '\0'};
    if (!o || !cJSON_AddItemToArray(r->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return cJSON_AddNumberToObject(o, "id", (double)f->id) &&
                   cJSON_AddNumberToObject(o, "at", (double)f->at) &&
                   cJSON_AddStringToObject(o, "way", f->way) &&
                   cJSON_AddStringToObject(o, "content", f->content) &&
                   cJSON_AddStringToObject(o, "feedback", f->feedback) &&
                   (f->grade ? cJSON_AddStringToObject(o, "grade", grade)
                             : cJSON_AddNullToObject(o, "grade")) &&
                   !core_floor_add_staff(r->c, o, "staff", f->staff_id)
               ? 0
               : -1;
}

static int add_assignment(void *ctx, const struct store_lead_assignment *a)
{
    struct read_ctx *r = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(r->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    if (!cJSON_AddNumberToObject(o, "id", (double)a->id) ||
        !cJSON_AddNumberToObject(o, "at", (double)a->at) ||
        core_floor_add_staff(r->c, o, "from", a->from_id) ||
        core_floor_add_staff(r->c, o, "to", a->to_id) ||
        !cJSON_AddStringToObject(o, "reason", a->reason))
        return -1;
    if (a->by_id)
        return core_floor_add_staff(r->c, o, "by", a->by_id);
    return cJSON_AddStringToObject(o, "by", "rule") ? 0 : -1;
}

static int add_source(void *ctx, const struct store_lead_source *src)
{
    struct read_ctx *r = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(r->list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    return cJSON_AddStringToObject(o, "channel", src->channel) &&
                   core_order_add_text(o, "external_ref", src->external_ref) == 0 &&
                   cJSON_AddNumberToObject(o, "created_at", (double)src->created_at) &&
                   cJSON_AddNumberToObject(o, "at", (double)src->at)
               ? 0
               : -1;
}

static int get_in_tx(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, cJSON **data, struct proto_error *err)
{
    struct store_lead lead;
    struct domain_lead_state st;
    cJSON *full = NULL;
    if (core_lead_load(c, dev, staff, args, "lead_get", &lead, &st, &full, err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_args la = {0};
    if (domain_lead_check(&st, &actor, DOMAIN_LEAD_GET, &la, err)) {
        cJSON_Delete(full);
        return -1;
    }
    cJSON *d = core_floor_wrap("lead", full);
    struct read_ctx r = {.c = c};
    if (!d)
        return core_oom(err);
    if (!(r.list = cJSON_AddArrayToObject(d, "followups")) ||
        store_leads_followups(c->store, lead.id, add_followup, &r, err) ||
        !(r.list = cJSON_AddArrayToObject(d, "assignments")) ||
        store_leads_assignments(c->store, lead.id, add_assignment, &r, err) ||
        !(r.list = cJSON_AddArrayToObject(d, "sources")) ||
        store_leads_sources(c->store, lead.id, add_source, &r, err)) {
        cJSON_Delete(d);
        if (!err || err->code == PROTO_E_OK)
            core_oom(err);
        return -1;
    }
    *data = d;
    return 0;
}

int core_lead_read_get(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err)
{
    (void)now;
    *data = NULL;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = get_in_tx(c, dev, staff, args, data, err);
    store_rollback(c->store);
    return rc;
}

static int add_listed(void *ctx, const struct store_lead *l)
{
    struct read_ctx *r = ctx;
    if (r->overdue_only) {
        struct domain_lead_state st;
        core_lead_state(l, &st);
        if (domain_lead_overdue(&st, r->now, NULL) == DOMAIN_LEAD_DUE_NONE)
            return 0;
        r->total++;
        if (r->skip > 0) {
            r->skip--;
            return 0;
        }
        if (r->room <= 0)
            return 0;
        r->room--;
    }
    cJSON *full = NULL;
    struct proto_error err;
    if (store_leads_json(r->c->store, l->id, &full, &err))
        return -1;
    if (!cJSON_AddItemToArray(r->list, full)) {
        cJSON_Delete(full);
        return -1;
    }
    return 0;
}

static int list_in_tx(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                      const cJSON *args, int64_t now, cJSON **data, struct proto_error *err)
{
    if (core_floor_login(dev, staff, "lead_list", err))
        return -1;
    struct domain_actor actor = {.staff_id = staff->id, .role = staff->role};
    struct domain_lead_args la = {0};
    if (domain_lead_check(NULL, &actor, DOMAIN_LEAD_LIST, &la, err))
        return -1;
    int limit, offset;
    core_floor_page(args, &limit, &offset);
    const char *status = proto_get_str(args, "status");
    const char *grade = proto_get_str(args, "grade");
    const char *owner = proto_get_str(args, "owner");
    int gv = grade ? domain_grade_from_name(grade) : -1;
    struct store_lead_filter f = {
        .site_id = dev->site_id,
        .status = status ? store_lead_status_from_name(status) : -1,
        .grade = gv < 0 ? '\0' : (char)gv,
        .q = proto_get_str(args, "q"),
        .limit = limit,
        .offset = offset,
    };
    if (owner) {
        struct store_staff o;
        if (store_staff_find(c->store, owner, &o, err)) {
            if (err && err->code == PROTO_E_NOT_FOUND)
                proto_error_set(err, PROTO_E_BAD_FIELD, "owner", "no staff %s", owner);
            return -1;
        }
        f.holder_id = o.id;
    }
    /* people who work leads see their own; supervisors and the back office see all */
    if (staff->role == DOMAIN_ROLE_TELESALES || staff->role == DOMAIN_ROLE_CONSULTANT)
        f.holder_id = staff->id;
    cJSON *d = cJSON_CreateObject();
    struct read_ctx r = {
        .c = c, .now = now, .overdue_only = proto_get_bool(args, "overdue", false)};
    int total = 0;
    if (!d || !(r.list = cJSON_AddArrayToObject(d, "leads")))
        goto oom;
    if (r.overdue_only) {
        /* "overdue" is a rule over now, not a column: filter every match, page here */
        r.skip = offset;
        r.room = limit;
        f.limit = PROTO_LIST_PAGE_MAX;
        for (f.offset = 0;; f.offset += f.limit) {
            int page = 0; /* matches of the store's filter, overdue or not */
            if (store_leads_list(c->store, &f, add_listed, &r, &page, err))
                goto fail;
            if (f.offset + f.limit >= page)
                break;
        }
        total = r.total;
    } else if (store_leads_list(c->store, &f, add_listed, &r, &total, err)) {
        goto fail;
    }
    if (!cJSON_AddNumberToObject(d, "total", total) ||
        !cJSON_AddNumberToObject(d, "limit", limit) ||
        !cJSON_AddNumberToObject(d, "offset", offset))
        goto oom;
    *data = d;
    return 0;
oom:
    core_oom(err);
fail:
    cJSON_Delete(d);
    return -1;
}

int core_lead_read_list(struct core *c, const struct core_device *dev,
                        const struct core_staff *staff, const cJSON *args, int64_t now,
                        cJSON **data, struct proto_error *err)
{
    *data = NULL;
    if (store_begin_read(c->store, err))
        return -1;
    int rc = list_in_tx(c, dev, staff, args, now, data, err);
    store_rollback(c->store);
    return rc;
}

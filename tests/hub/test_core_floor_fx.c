/* The lead, reception and complaint tests' helpers (see test_core_floor_fx.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_core_floor_fx.h"

static void ok(int rc, const struct proto_error *err)
{
    if (rc != 0)
        fail_msg("setup failed: %s (%s)", err->message, proto_error_code(err->code));
}

static struct core_staff add_staff(struct lfx *l, const char *no, const char *name,
                                   enum domain_role role)
{
    struct proto_error err;
    struct core_staff st = {.site_id = l->f->site, .role = role, .expires_at = INT64_MAX};
    ok(store_staff_add(l->f->s, l->f->site, no, name, role, "$argon2id$v=19$m=8,t=1,p=1$x$x",
                       &st.id, &err),
       &err);
    snprintf(st.staff_no, sizeof st.staff_no, "%s", no);
    snprintf(st.name, sizeof st.name, "%s", name);
    return st;
}

struct lfx *lfx_new(void)
{
    struct lfx *l = calloc(1, sizeof *l);
    struct proto_error err;
    assert_non_null(l);
    l->o = ofx_new();
    l->f = l->o->f;
    l->reception = &l->f->dev[DOMAIN_MODE_RECEPTION];
    ok(store_begin(l->f->s, &err), &err);
    l->tel = (struct core_staff){.id = l->f->t1,
                                 .site_id = l->f->site,
                                 .role = DOMAIN_ROLE_TELESALES,
                                 .expires_at = INT64_MAX};
    snprintf(l->tel.staff_no, sizeof l->tel.staff_no, "T001");
    snprintf(l->tel.name, sizeof l->tel.name, "陈静");
    l->c3 = (struct core_staff){.id = l->f->c3,
                                .site_id = l->f->site,
                                .role = DOMAIN_ROLE_CONSULTANT,
                                .expires_at = INT64_MAX};
    snprintf(l->c3.staff_no, sizeof l->c3.staff_no, "S003");
    l->tel2 = add_staff(l, "T002", "吴敏", DOMAIN_ROLE_TELESALES);
    ok(store_staff_set_attrs(l->f->s, l->tel2.id, "浦东", "HX7", 4, &err), &err);
    l->mkt = add_staff(l, "M001", "郑市场", DOMAIN_ROLE_MARKETING);
    l->svc = add_staff(l, "V001", "冯客服", DOMAIN_ROLE_SERVICE);
    l->rec = add_staff(l, "R001", "何前台", DOMAIN_ROLE_RECEPTION);
    l->gm = add_staff(l, "G001", "林总", DOMAIN_ROLE_MANAGER);
    ok(store_commit(l->f->s, &err), &err);
    return l;
}

void lfx_free(struct lfx *l)
{
    ofx_free(l->o);
    free(l);
}

int64_t lfx_seq(struct lfx *l)
{
    return core_last_seq(l->f->core);
}

struct scan {
    const char *kind;
    int n, cap;
    int64_t *staff;
    char (*kinds)[40];
    int64_t want_staff;
    const char *want_kind;
    int found;
};

static void scan_event(void *ctx, const struct core_event *ev)
{
    struct scan *s = ctx;
    if (strcmp(ev->kind, s->kind) != 0)
        return;
    if (s->staff && s->n < s->cap) {
        s->staff[s->n] = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(ev->data, "staff_id"));
        snprintf(s->kinds[s->n], 40, "%s", lfx_str(ev->data, "kind"));
    }
    if (s->want_kind &&
        (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(ev->data, "staff_id")) == s->want_staff &&
        strcmp(lfx_str(ev->data, "kind"), s->want_kind) == 0)
        s->found = 1;
    s->n++;
}

int lfx_notified(struct lfx *l, int64_t since, int64_t *staff, char (*kinds)[40], int cap)
{
    struct scan s = {.kind = "staff.notify", .staff = staff, .kinds = kinds, .cap = cap};
    assert_true(core_events_after(l->f->core, since, 0, scan_event, &s) >= 0);
    return s.n;
}

int lfx_told(struct lfx *l, int64_t since, int64_t staff_id, const char *kind)
{
    struct scan s = {.kind = "staff.notify", .want_staff = staff_id, .want_kind = kind};
    assert_true(core_events_after(l->f->core, since, 0, scan_event, &s) >= 0);
    return s.found;
}

int lfx_events(struct lfx *l, int64_t since, const char *kind)
{
    struct scan s = {.kind = kind};
    assert_true(core_events_after(l->f->core, since, 0, scan_event, &s) >= 0);
    return s.n;
}

const char *lfx_str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

int64_t lfx_int(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

int64_t lfx_lead(struct lfx *l, const struct core_staff *st, const char *args)
{
    ofx_ok(l->o, l->o->api, st, PROTO_T_LEAD_CREATE, args);
    const cJSON *lead = cJSON_GetObjectItem(ofx_data(), "lead");
    assert_non_null(lead);
    return lfx_int(lead, "id");
}

struct store_lead lfx_get_lead(struct lfx *l, int64_t id)
{
    struct store_lead lead;
    struct proto_error err;
    ok(store_leads_get(l->f->s, id, &lead, &err), &err);
    return lead;
}

const cJSON *lfx_checkin(struct lfx *l, const char *phone)
{
    char args[128];
    snprintf(args, sizeof args, "{\"phone\":\"%s\",\"consent\":true}", phone);
    ofx_ok(l->o, l->reception, NULL, PROTO_T_CHECKIN, args);
    return ofx_data();
}

static const char *const tables[] = {
    "leads",
    "lead_assignments",
    "lead_followups",
    "lead_sources",
    "visits",
    "appointments",
    "conflicts",
    "complaints",
    "complaint_events",
    "satisfaction",
    "events",
    "audit",
    "webhook_outbox",
    "customers",
    "deadline_reports",
    "lead_overdue_reports",
};

void lfx_counts(struct lfx *l, struct lfx_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        out->n[i] = cfx_count(l->f, tables[i]);
}

void lfx_same(const struct lfx_counts *a, const struct lfx_counts *b)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (a->n[i] != b->n[i])
            fail_msg("%s changed: %lld -> %lld", tables[i], (long long)a->n[i], (long long)b->n[i]);
}

struct latest {
    const char *kind;
    int64_t seq, site, at;
    cJSON *data;
};

static void keep_latest(void *ctx, const struct core_event *ev)
{
    struct latest *x = ctx;
    if (strcmp(ev->kind, x->kind) != 0)
        return;
    cJSON_Delete(x->data);
    x->data = cJSON_Duplicate(ev->data, 1);
    x->seq = ev->seq;
    x->site = ev->site_id;
    x->at = ev->at;
}

char *lfx_view_text(struct lfx *l, const char *kind, enum domain_mode mode)
{
    struct latest x = {.kind = kind};
    assert_true(core_events_after(l->f->core, 0, 0, keep_latest, &x) >= 0);
    if (!x.data)
        fail_msg("no %s event", kind);
    struct core_event ev = {
        .seq = x.seq, .site_id = x.site, .kind = kind, .at = x.at, .data = x.data};
    cJSON *view = core_event_view(l->f->core, &ev, mode);
    char *text = view ? cJSON_PrintUnformatted(view) : NULL;
    cJSON_Delete(view);
    cJSON_Delete(x.data);
    return text;
}

/* Lead rules (DOMAIN.md "Leads"; /tmp/issue4.md; DOMAIN_RULES.md "Issue 4 rules"): what makes
 * a lead valid, how a duplicate merges, who gets a new lead, when follow-ups are due, what
 * moves at month end, and who may run which lead command in which status. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "domain_rule.h"

#define ROLE(r)   (1u << (r))
#define LST(s)    (1u << (s))
#define LST_ALL   ((1u << DOMAIN_LEAD_STATUS__COUNT) - 1u)
#define R_REC     ROLE(DOMAIN_ROLE_RECEPTION)
#define R_TEL     ROLE(DOMAIN_ROLE_TELESALES)
#define R_CONS    ROLE(DOMAIN_ROLE_CONSULTANT)
#define R_SUP     ROLE(DOMAIN_ROLE_SUPERVISOR)
#define R_MGR     ROLE(DOMAIN_ROLE_MANAGER)
#define R_MKT     ROLE(DOMAIN_ROLE_MARKETING)
#define R_SELLERS (R_TEL | R_CONS) /* roles whose access depends on owning the lead */

/* ---- validation ---- */

/* 1 if s is NULL, empty or only spaces (ASCII white space and the ideographic space U+3000,
 * which Chinese input methods type). */
static int lead_blank(const char *s)
{
    if (!s)
        return 1;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                 (unsigned char)s[2] == 0x80)
            s += 3;
        else
            return 0;
    }
    return 1;
}

static int lead_text_ok(const char *s, size_t max, const char *field, struct proto_error *err)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    if (len > max)
        return proto_error_set(err, PROTO_E_TOO_LONG, field, "%s: at most %zu bytes", field, max);
    if (!proto_utf8_valid(s, len))
        return proto_error_set(err, PROTO_E_BAD_UTF8, field, "%s: not valid UTF-8", field);
    return 0;
}

int domain_lead_validate(const struct domain_lead_input *in, struct domain_lead_verdict *out,
                         struct proto_error *err)
{
    memset(out, 0, sizeof *out);
    /* a lead without a usable number cannot become a customer: refused, not flagged */
    if (proto_phone_normalize(in->phone ? in->phone : "", out->phone, sizeof out->phone, err) < 0) {
        out->phone[0] = '\0';
        if (err)
            snprintf(err->field, sizeof err->field, "phone");
        return -1;
    }
    if (lead_text_ok(in->name, PROTO_MAX_NAME, "name", err) < 0 ||
        lead_text_ok(in->model, PROTO_MAX_SHORT, "model", err) < 0 ||
        lead_text_ok(in->channel, PROTO_MAX_SHORT, "channel", err) < 0 ||
        lead_text_ok(in->region, DOMAIN_LEAD_REGION_MAX, "region", err) < 0 ||
        lead_text_ok(in->external_ref, DOMAIN_LEAD_REF_MAX, "external_ref", err) < 0) {
        out->phone[0] = '\0';
        return -1;
    }
    if (lead_blank(in->name))
        out->reason = DOMAIN_LEAD_INVALID_MISSING_NAME;
    else if (lead_blank(in->model))
        out->reason = DOMAIN_LEAD_INVALID_MISSING_MODEL;
    else if (in->budget_fen <= 0)
        out->reason = DOMAIN_LEAD_INVALID_MISSING_BUDGET;
    else if (!in->channel || !domain_channel_valid(in->channel))
        out->reason = DOMAIN_LEAD_INVALID_UNKNOWN_CHANNEL;
    else
        out->reason = DOMAIN_LEAD_INVALID_NONE;
    return 0;
}

/* ---- dedup ---- */

static unsigned merge_text(char *into, size_t intosz, const char *from, enum domain_lead_field f)
{
    if (!lead_blank(into) || lead_blank(from))
        return 0;
    snprintf(into, intosz, "%s", from);
    return DOMAIN_LFIELD_BIT(f);
}

unsigned domain_lead_merge(struct domain_lead_fields *into, const struct domain_lead_fields *from)
{
    unsigned changed = 0;
    changed |= merge_text(into->name, sizeof into->name, from->name, DOMAIN_LFIELD_NAME);
    changed |= merge_text(into->model, sizeof into->model, from->model, DOMAIN_LFIELD_MODEL);
    if (into->budget_fen <= 0 && from->budget_fen > 0) {
        into->budget_fen = from->budget_fen;
        changed |= DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_BUDGET);
    }
    changed |= merge_text(into->region, sizeof into->region, from->region, DOMAIN_LFIELD_REGION);
    changed |= merge_text(into->external_ref, sizeof into->external_ref, from->external_ref,
                          DOMAIN_LFIELD_EXTERNAL_REF);
    /* dedup keeps the earliest creation time: the customer first asked then */
    if (from->created_at > 0 && (into->created_at <= 0 || from->created_at < into->created_at)) {
        into->created_at = from->created_at;
        changed |= DOMAIN_LFIELD_BIT(DOMAIN_LFIELD_CREATED_AT);
    }
    return changed;
}

/* ---- assignment ---- */

static int assign_region_match(const struct domain_assignee *c, const char *region)
{
    return !lead_blank(region) && c->region && strcmp(c->region, region) == 0;
}

/* 1 if `model` is one of the comma-separated codes in `list` (spaces around codes ignored). */
static int assign_expert(const char *list, const char *model)
{
    if (!list || lead_blank(model))
        return 0;
    size_t mlen = strlen(model);
    const char *p = list;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len == mlen && strncmp(p, model, len) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* 1 if candidate a ranks before b. */
static int assign_better(const struct domain_assignee *a, const struct domain_assignee *b,
                         const char *region, const char *model)
{
    int ra = assign_region_match(a, region), rb = assign_region_match(b, region);
    if (ra != rb)
        return ra > rb;
    int ea = assign_expert(a->models, model), eb = assign_expert(b->models, model);
    if (ea != eb)
        return ea > eb;
    if (a->workload != b->workload)
        return a->workload < b->workload;
    if (a->ability != b->ability)
        return a->ability > b->ability;
    return a->staff_id < b->staff_id;
}

int domain_lead_assign(const struct domain_assignee *cands, size_t n, const char *region,
                       const char *model, int64_t *chosen)
{
    *chosen = 0;
    if (!cands || n == 0)
        return -1;
    const struct domain_assignee *best = &cands[0];
    for (size_t i = 1; i < n; i++) {
        if (assign_better(&cands[i], best, region, model))
            best = &cands[i];
    }
    *chosen = best->staff_id;
    return 0;
}

/* ---- follow-up timing ---- */

int64_t domain_lead_owner(const struct domain_lead_state *s)
{
    return s->owner_id ? s->owner_id : s->telesales_id;
}

int64_t domain_lead_first_callback_due(int64_t assigned_at)
{
    return assigned_at + DOMAIN_LEAD_FIRST_CALLBACK_MS;
}

int64_t domain_lead_next_due(char grade, int64_t at)
{
    int days = domain_grade_cadence_days(grade);
    return days > 0 ? at + days * DOMAIN_DAY_MS : 0;
}

int domain_lead_grade_due(const int64_t *followup_at, size_t n, int64_t graded_at)
{
    /* any follow-up after the grading can start a window; count those inside it */
    for (size_t i = 0; followup_at && i < n; i++) {
        if (followup_at[i] <= graded_at)
            continue;
        size_t count = 0;
        for (size_t j = 0; j < n; j++) {
            if (followup_at[j] > graded_at && followup_at[j] >= followup_at[i] &&
                followup_at[j] - followup_at[i] < DOMAIN_LEAD_GRADE_WINDOW_MS)
                count++;
        }
        if (count >= DOMAIN_LEAD_GRADE_CALLS)
            return 1;
    }
    return 0;
}

enum domain_lead_due domain_lead_overdue(const struct domain_lead_state *s, int64_t now,
                                         int64_t *due_at)
{
    if (due_at)
        *due_at = 0;
    if (s->status != DOMAIN_LEAD_OPEN || domain_lead_owner(s) == 0)
        return DOMAIN_LEAD_DUE_NONE;
    bool called = s->last_followup_at != 0 && s->last_followup_at >= s->assigned_at;
    if (!called && s->first_callback_due_at != 0) {
        if (now <= s->first_callback_due_at)
            return DOMAIN_LEAD_DUE_NONE; /* the first callback governs until it happens */
        if (due_at)
            *due_at = s->first_callback_due_at;
        return DOMAIN_LEAD_DUE_FIRST_CALLBACK;
    }
    if (s->next_due_at != 0 && now > s->next_due_at) {
        if (due_at)
            *due_at = s->next_due_at;
        return DOMAIN_LEAD_DUE_FOLLOWUP;
    }
    return DOMAIN_LEAD_DUE_NONE;
}

int domain_lead_month_end_moves(enum domain_role owner_role, char grade)
{
    if (owner_role != DOMAIN_ROLE_CONSULTANT)
        return 0;
    return grade == 'B' || grade == 'L' || grade == 'F';
}

void domain_lead_assigned(struct domain_lead_state *s, int64_t to, enum domain_role to_role,
                          int64_t now)
{
    if (to_role == DOMAIN_ROLE_CONSULTANT) {
        s->owner_id = to;
    } else {
        s->telesales_id = to;
        s->owner_id = 0;
    }
    s->assigned_at = now;
    s->first_callback_due_at = domain_lead_first_callback_due(now);
    s->next_due_at = 0;
}

int domain_lead_converts(const struct domain_lead_state *s)
{
    return s && s->status == DOMAIN_LEAD_OPEN;
}

void domain_lead_convert(struct domain_lead_state *s)
{
    s->status = DOMAIN_LEAD_CONVERTED;
    s->grade = 'O';
    s->next_due_at = 0;
    s->first_callback_due_at = 0;
}

/* ---- who may do what ---- */

enum lead_own {
    OWN_ANY,     /* no ownership rule */
    OWN_CURRENT, /* telesales/consultant: only the lead's current owner */
    OWN_ANY_OF,  /* telesales/consultant: the consultant owner or the telesales owner */
};

typedef int (*lead_check_fn)(const struct domain_lead_state *s, const struct domain_actor *a,
                             const struct domain_lead_args *args, struct proto_error *err);

struct lead_rule {
    unsigned roles;
    enum lead_own own;
    unsigned statuses; /* 0: the command concerns no single lead */
    const char *statuses_text;
    lead_check_fn check;
};

__attribute__((format(printf, 3, 4))) static int
lead_bad_state(struct proto_error *err, const struct domain_lead_state *s, const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "lead is %s (%s): %s",
                           domain_lead_status_name(s->status),
                           domain_lead_status_name_zh(s->status), why);
}

static int check_assign(const struct domain_lead_state *s, const struct domain_actor *a,
                        const struct domain_lead_args *args, struct proto_error *err)
{
    (void)a;
    if (args->to_staff_id <= 0)
        return domain_rule_bad_field(err, "staff_no", "name the staff member to assign");
    if (args->to_role != DOMAIN_ROLE_TELESALES && args->to_role != DOMAIN_ROLE_CONSULTANT)
        return domain_rule_bad_field(err, "staff_no", "leads go to telesales or consultants");
    if (!args->to_active)
        return domain_rule_bad_field(err, "staff_no", "not an active staff member of this site");
    if (args->to_staff_id == domain_lead_owner(s))
        return domain_rule_bad_field(err, "staff_no", "already owns the lead");
    return 0;
}

static int check_followup(const struct domain_lead_state *s, const struct domain_actor *a,
                          const struct domain_lead_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!args->has_way || !domain_followup_way_name(args->way))
        return domain_rule_bad_field(err, "way",
                                     "must be phone, sms, email, visit or test_drive_invite");
    if (!args->has_content)
        return domain_rule_bad_field(err, "content", "required");
    if (args->grade && !domain_grade_settable(args->grade))
        return domain_rule_bad_field(err, "grade",
                                     "must be H, A, B, F or L (O comes with an order)");
    return 0;
}

static int check_grade(const struct domain_lead_state *s, const struct domain_actor *a,
                       const struct domain_lead_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!domain_grade_settable(args->grade))
        return domain_rule_bad_field(err, "grade",
                                     "must be H, A, B, F or L (O comes with an order)");
    return 0;
}

static int check_invalidate(const struct domain_lead_state *s, const struct domain_actor *a,
                            const struct domain_lead_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (args->reason == DOMAIN_LEAD_INVALID_NONE || !domain_lead_invalid_name(args->reason))
        return domain_rule_bad_field(err, "reason", "name why the lead is invalid");
    return 0;
}

static const struct lead_rule lead_rules[DOMAIN_LEAD_CMD__COUNT] = {
    [DOMAIN_LEAD_CREATE] = {R_REC | R_TEL | R_CONS | R_SUP | R_MGR | R_MKT, OWN_ANY, 0, "", NULL},
    [DOMAIN_LEAD_ASSIGN] = {R_SUP | R_MGR, OWN_ANY, LST(DOMAIN_LEAD_OPEN), "open", check_assign},
    [DOMAIN_LEAD_FOLLOWUP] = {R_TEL | R_CONS | R_SUP, OWN_CURRENT, LST(DOMAIN_LEAD_OPEN), "open",
                              check_followup},
    [DOMAIN_LEAD_GRADE] = {R_TEL | R_CONS | R_SUP, OWN_CURRENT, LST(DOMAIN_LEAD_OPEN), "open",
                           check_grade},
    [DOMAIN_LEAD_INVALIDATE] = {R_MKT, OWN_ANY, LST(DOMAIN_LEAD_OPEN), "open", check_invalidate},
    [DOMAIN_LEAD_MONTH_END] = {R_SUP, OWN_ANY, 0, "", NULL},
    [DOMAIN_LEAD_GET] = {R_TEL | R_CONS | R_SUP | R_MGR | R_MKT, OWN_ANY_OF, LST_ALL, "any", NULL},
    [DOMAIN_LEAD_LIST] = {R_TEL | R_CONS | R_SUP | R_MGR | R_MKT, OWN_ANY, 0, "", NULL},
};

static int lead_owned_by(const struct domain_lead_state *s, enum lead_own own, int64_t staff)
{
    if (staff == 0) /* 0 is "nobody": it never owns a lead */
        return 0;
    if (own == OWN_CURRENT)
        return domain_lead_owner(s) == staff;
    return s->owner_id == staff || s->telesales_id == staff;
}

int domain_lead_check(const struct domain_lead_state *s, const struct domain_actor *a,
                      enum domain_lead_cmd cmd, const struct domain_lead_args *args,
                      struct proto_error *err)
{
    static const struct domain_lead_args no_args;
    if ((int)cmd < 0 || cmd >= DOMAIN_LEAD_CMD__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "unknown lead command");
    if (!a || (int)a->role < 0 || a->role >= DOMAIN_ROLE__COUNT)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "unknown staff role");
    if (!args)
        args = &no_args;
    const struct lead_rule *rule = &lead_rules[cmd];
    if (!(rule->roles & ROLE(a->role))) {
        char who[128];
        domain_rule_roles_text(rule->roles, who, sizeof who);
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "%s needs the %s role, not %s",
                               domain_lead_cmd_name(cmd), who, domain_role_name(a->role));
    }
    if (rule->statuses == 0)
        return rule->check ? rule->check(s, a, args, err) : 0;
    if (!s || (int)s->status < 0 || s->status >= DOMAIN_LEAD_STATUS__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "lead state missing");
    if (rule->own != OWN_ANY && (ROLE(a->role) & R_SELLERS) &&
        !lead_owned_by(s, rule->own, a->staff_id))
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "only the lead's own %s may do this (or a supervisor)",
                               rule->own == OWN_CURRENT ? "owner" : "telesales or consultant");
    if (!(rule->statuses & LST(s->status)))
        return lead_bad_state(err, s, "%s needs a lead that is %s", domain_lead_cmd_name(cmd),
                              rule->statuses_text);
    return rule->check ? rule->check(s, a, args, err) : 0;
}

/* ---- what the commands do ---- */

static void lead_set_status(struct domain_lead_state *s, enum domain_lead_status to,
                            struct domain_lead_effects *fx)
{
    if (s->status == to)
        return;
    fx->status_changed = true;
    fx->from_status = s->status;
    fx->to_status = to;
    s->status = to;
}

static void lead_set_grade(struct domain_lead_state *s, char grade, int64_t now,
                           struct domain_lead_effects *fx)
{
    s->grade = grade;
    s->graded_at = now;
    fx->graded = true;
    if (grade == 'F') /* lost to a competitor */
        lead_set_status(s, DOMAIN_LEAD_LOST, fx);
}

void domain_lead_apply(struct domain_lead_state *s, const struct domain_actor *a,
                       enum domain_lead_cmd cmd, const struct domain_lead_args *args, int64_t now,
                       struct domain_lead_effects *fx)
{
    static const struct domain_lead_args no_args;
    (void)a;
    if (!args)
        args = &no_args;
    memset(fx, 0, sizeof *fx);
    fx->from_status = fx->to_status = s->status;
    fx->from_owner = fx->to_owner = domain_lead_owner(s);

    switch (cmd) {
    case DOMAIN_LEAD_ASSIGN:
        domain_lead_assigned(s, args->to_staff_id, args->to_role, now);
        fx->to_owner = domain_lead_owner(s);
        fx->owner_changed = fx->to_owner != fx->from_owner;
        break;
    case DOMAIN_LEAD_FOLLOWUP:
        s->last_followup_at = now;
        if (args->grade)
            lead_set_grade(s, args->grade, now, fx);
        s->next_due_at = domain_lead_next_due(s->grade, now);
        break;
    case DOMAIN_LEAD_GRADE:
        lead_set_grade(s, args->grade, now, fx);
        /* the cadence runs from the latest contact; never contacted: from now */
        s->next_due_at =
            domain_lead_next_due(s->grade, s->last_followup_at ? s->last_followup_at : now);
        break;
    case DOMAIN_LEAD_INVALIDATE:
        s->invalid_reason = args->reason;
        s->next_due_at = 0;
        lead_set_status(s, DOMAIN_LEAD_INVALID, fx);
        break;
    case DOMAIN_LEAD_CREATE:
    case DOMAIN_LEAD_MONTH_END:
    case DOMAIN_LEAD_GET:
    case DOMAIN_LEAD_LIST:
    case DOMAIN_LEAD_CMD__COUNT:
        break;
    }
}

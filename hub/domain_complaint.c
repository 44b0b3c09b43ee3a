/* Complaint rules (DOMAIN.md "Complaints and satisfaction"; DOMAIN_RULES.md "Issue 4 rules"):
 * response deadlines in hours and site-local working days, the handler chain supervisor ->
 * department manager -> general manager, who may run which complaint command, and which
 * delivery ratings open a complaint. */
#include <stdarg.h>
#include <stdio.h>

#include "domain.h"
#include "domain_rule.h"

#define ROLE(r)    (1u << (r))
#define CST(s)     (1u << (s))
#define R_REC      ROLE(DOMAIN_ROLE_RECEPTION)
#define R_CONS     ROLE(DOMAIN_ROLE_CONSULTANT)
#define R_SUP      ROLE(DOMAIN_ROLE_SUPERVISOR)
#define R_MGR      ROLE(DOMAIN_ROLE_MANAGER)
#define R_SVC      ROLE(DOMAIN_ROLE_SERVICE)
#define CST_ACTIVE (CST(DOMAIN_CSTATE_OPEN) | CST(DOMAIN_CSTATE_RESPONDED))
#define CST_ALL    ((1u << DOMAIN_CSTATE__COUNT) - 1u)
#define MINUTE_MS  ((int64_t)60 * 1000)
#define WEEK_MS    (7 * DOMAIN_DAY_MS)

/* ---- the handler chain ---- */

int domain_complaint_level_role(int level)
{
    if (level == 1)
        return DOMAIN_ROLE_SUPERVISOR;
    if (level == 2 || level == 3)
        return DOMAIN_ROLE_MANAGER;
    return -1;
}

int domain_complaint_escalate_level(int level)
{
    if (level < DOMAIN_COMPLAINT_LEVEL_MIN || level >= DOMAIN_COMPLAINT_LEVEL_MAX)
        return 0;
    return level + 1;
}

int domain_rating_opens_complaint(int rating)
{
    return rating == 1 || rating == 2;
}

int domain_satisfaction_valid(int v)
{
    return v >= 1 && v <= 5;
}

/* ---- working days ---- */

int domain_weekday(int64_t t, int utc_offset_min)
{
    int64_t local_midnight = domain_day_start(t, utc_offset_min) + utc_offset_min * MINUTE_MS;
    int64_t day = local_midnight / DOMAIN_DAY_MS; /* exact: local_midnight is a whole day */
    /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    int64_t wd = (day + 3) % 7;
    return (int)(wd < 0 ? wd + 7 : wd);
}

int64_t domain_add_working_days(int64_t t, int n, int utc_offset_min)
{
    if (n <= 0)
        return t;
    int64_t left = (int64_t)n * DOMAIN_DAY_MS;
    int64_t cur = t;
    for (;;) {
        int wd = domain_weekday(cur, utc_offset_min);
        int64_t day = domain_day_start(cur, utc_offset_min);
        if (wd >= 5) { /* weekend: the clock waits for Monday 00:00 */
            cur = day + (7 - wd) * DOMAIN_DAY_MS;
            continue;
        }
        int64_t saturday = day + (5 - wd) * DOMAIN_DAY_MS;
        if (left <= saturday - cur)
            return cur + left;
        left -= saturday - cur;
        cur = saturday + 2 * DOMAIN_DAY_MS;
    }
}

/* ---- deadlines ---- */

static struct domain_complaint_deadline complaint_due(enum domain_complaint_response kind,
                                                      int64_t start, int64_t due, int64_t done_at,
                                                      int64_t now)
{
    struct domain_complaint_deadline d = {.kind = kind, .started_at = start, .due_at = due};
    d.done = done_at != 0;
    d.breached = d.done ? done_at > due : now > due;
    d.met = d.done && !d.breached;
    return d;
}

int domain_complaint_deadlines(const struct domain_complaint_times *t, int utc_offset_min,
                               int64_t now, struct domain_complaint_deadline out[], size_t cap)
{
    size_t n = 0;
    bool call_centre = t->channel == DOMAIN_CCHAN_CALL_CENTRE;
    /* a limit still open at closure no longer applies */
    bool closed = t->closed_at != 0;

    int64_t first_ms = t->channel == DOMAIN_CCHAN_ON_SITE ? DOMAIN_COMPLAINT_ON_SITE_MS
                       : call_centre                      ? DOMAIN_COMPLAINT_CALL_CENTRE_MS
                                                          : DOMAIN_COMPLAINT_OTHER_MS;
    if (n < cap && !(closed && !t->first_response_at))
        out[n++] = complaint_due(DOMAIN_CRESP_FIRST_RESPONSE, t->opened_at, t->opened_at + first_ms,
                                 t->first_response_at, now);
    if (!call_centre)
        return (int)n;
    if (n < cap && !(closed && !t->contact_at))
        out[n++] = complaint_due(
            DOMAIN_CRESP_CONTACT, t->opened_at,
            domain_add_working_days(t->opened_at, DOMAIN_COMPLAINT_CONTACT_WDAYS, utc_offset_min),
            t->contact_at, now);
    /* progress recurs while the complaint is handled: the next report is due 2 working days
     * after the latest one (the first response starts the clock) */
    if (n < cap && !closed && t->first_response_at) {
        int64_t start =
            t->last_progress_at > t->first_response_at ? t->last_progress_at : t->first_response_at;
        out[n++] = complaint_due(
            DOMAIN_CRESP_PROGRESS, start,
            domain_add_working_days(start, DOMAIN_COMPLAINT_PROGRESS_WDAYS, utc_offset_min), 0,
            now);
    }
    return (int)n;
}

/* ---- who may do what ---- */

typedef int (*complaint_check_fn)(const struct domain_complaint_state *s,
                                  const struct domain_actor *a,
                                  const struct domain_complaint_args *args,
                                  struct proto_error *err);

struct complaint_rule {
    unsigned roles;
    unsigned states; /* 0: no single complaint (open, list) */
    const char *states_text;
    complaint_check_fn check;
};

__attribute__((format(printf, 3, 4))) static int
complaint_bad_state(struct proto_error *err, const struct domain_complaint_state *s,
                    const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "complaint is %s (%s): %s",
                           domain_complaint_status_name(s->state),
                           domain_complaint_status_name_zh(s->state), why);
}

static int check_open(const struct domain_complaint_state *s, const struct domain_actor *a,
                      const struct domain_complaint_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!args->has_phone)
        return domain_rule_bad_field(err, "phone", "the customer's phone is required");
    if (!domain_complaint_channel_name(args->channel))
        return domain_rule_bad_field(err, "channel", "unknown channel");
    if (!domain_complaint_kind_name(args->kind))
        return domain_rule_bad_field(err, "kind", "must be service or product");
    if (!args->has_summary)
        return domain_rule_bad_field(err, "summary", "required");
    return 0;
}

static int check_respond(const struct domain_complaint_state *s, const struct domain_actor *a,
                         const struct domain_complaint_args *args, struct proto_error *err)
{
    (void)a;
    if (!domain_complaint_response_name(args->response))
        return domain_rule_bad_field(err, "kind", "must be first_response, contact or progress");
    if (args->response == DOMAIN_CRESP_FIRST_RESPONSE && s->first_response_at)
        return complaint_bad_state(err, s, "the first response was already given");
    if (args->response == DOMAIN_CRESP_PROGRESS && !s->first_response_at)
        return complaint_bad_state(err, s, "a first response comes before progress reports");
    if (!args->has_text)
        return domain_rule_bad_field(err, "text", "required");
    return 0;
}

static int check_validity(const struct domain_complaint_state *s, const struct domain_actor *a,
                          const struct domain_complaint_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (args->validity != DOMAIN_CVALID_VALID && args->validity != DOMAIN_CVALID_INVALID)
        return domain_rule_bad_field(err, "valid", "must be true or false");
    if (args->validity == DOMAIN_CVALID_INVALID && !args->has_reason)
        return domain_rule_bad_field(err, "reason", "say why the complaint is invalid");
    return 0;
}

static int check_escalate(const struct domain_complaint_state *s, const struct domain_actor *a,
                          const struct domain_complaint_args *args, struct proto_error *err)
{
    (void)a;
    if (!domain_complaint_escalate_level(s->level))
        return complaint_bad_state(err, s, "already with the %s; there is no higher level",
                                   s->level == DOMAIN_COMPLAINT_LEVEL_MAX ? "general manager"
                                                                          : "wrong handler");
    if (!args->has_reason)
        return domain_rule_bad_field(err, "reason", "required");
    return 0;
}

static int check_close(const struct domain_complaint_state *s, const struct domain_actor *a,
                       const struct domain_complaint_args *args, struct proto_error *err)
{
    /* a supervisor cannot close what has gone above them, nor a must-resolve case (a low
     * delivery rating, the manager's) */
    if (a->role == DOMAIN_ROLE_SUPERVISOR && (s->level > 1 || s->must_resolve))
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "complaint_close at level %d needs the manager role", s->level);
    if (!args->has_text)
        return domain_rule_bad_field(err, "resolution", "required");
    return 0;
}

static int check_survey(const struct domain_complaint_state *s, const struct domain_actor *a,
                        const struct domain_complaint_args *args, struct proto_error *err)
{
    (void)s;
    (void)a;
    if (!domain_satisfaction_valid(args->satisfaction))
        return domain_rule_bad_field(err, "satisfaction", "must be 1..5");
    return 0;
}

static const struct complaint_rule complaint_rules[DOMAIN_COMPLAINT_CMD__COUNT] = {
    [DOMAIN_COMPLAINT_OPEN] = {R_SVC | R_REC | R_CONS | R_SUP | R_MGR, 0, "", check_open},
    [DOMAIN_COMPLAINT_RESPOND] = {R_SVC | R_SUP | R_MGR, CST_ACTIVE, "open or responded",
                                  check_respond},
    [DOMAIN_COMPLAINT_VALIDITY] = {R_SUP | R_MGR, CST_ACTIVE, "open or responded", check_validity},
    [DOMAIN_COMPLAINT_ESCALATE] = {R_SVC | R_SUP | R_MGR, CST_ACTIVE, "open or responded",
                                   check_escalate},
    [DOMAIN_COMPLAINT_CLOSE] = {R_SUP | R_MGR, CST_ACTIVE, "open or responded", check_close},
    [DOMAIN_COMPLAINT_SURVEY] = {R_SVC, CST(DOMAIN_CSTATE_CLOSED), "closed", check_survey},
    [DOMAIN_COMPLAINT_GET] = {R_SVC | R_SUP | R_MGR, CST_ALL, "any", NULL},
    [DOMAIN_COMPLAINT_LIST] = {R_SVC | R_SUP | R_MGR, 0, "", NULL},
};

int domain_complaint_check(const struct domain_complaint_state *s, const struct domain_actor *a,
                           enum domain_complaint_cmd cmd, const struct domain_complaint_args *args,
                           struct proto_error *err)
{
    static const struct domain_complaint_args no_args = {.channel = -1, .kind = -1};
    if ((int)cmd < 0 || cmd >= DOMAIN_COMPLAINT_CMD__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "unknown complaint command");
    if (!a || (int)a->role < 0 || a->role >= DOMAIN_ROLE__COUNT)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "unknown staff role");
    if (!args)
        args = &no_args;
    const struct complaint_rule *rule = &complaint_rules[cmd];
    if (!(rule->roles & ROLE(a->role))) {
        char who[128];
        domain_rule_roles_text(rule->roles, who, sizeof who);
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "%s needs the %s role, not %s",
                               domain_complaint_cmd_name(cmd), who, domain_role_name(a->role));
    }
    if (rule->states == 0)
        return rule->check ? rule->check(s, a, args, err) : 0;
    if (!s || (int)s->state < 0 || s->state >= DOMAIN_CSTATE__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "complaint state missing");
    if (!(rule->states & CST(s->state)))
        return complaint_bad_state(err, s, "%s needs a complaint that is %s",
                                   domain_complaint_cmd_name(cmd), rule->states_text);
    return rule->check ? rule->check(s, a, args, err) : 0;
}

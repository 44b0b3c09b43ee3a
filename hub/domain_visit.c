/* Visit and appointment rules (DOMAIN.md "Visits and reception"; DOMAIN_RULES.md "Issue 4
 * rules"): who may start serving and close a visit, when a customer is already checked in
 * today, and when an appointment was kept or missed. */
#include <stdarg.h>
#include <stdio.h>

#include "domain.h"

#define ROLE(r)   (1u << (r))
#define ROLES_ALL ((1u << DOMAIN_ROLE__COUNT) - 1u)
#define VST(s)    (1u << (s))
#define MINUTE_MS ((int64_t)60 * 1000)
#define GRACE_MAX 1440 /* a day: anything longer is no appointment */

__attribute__((format(printf, 3, 4))) static int
visit_bad_state(struct proto_error *err, const struct domain_visit_state *s, const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "visit is %s (%s): %s",
                           domain_visit_status_name(s->status),
                           domain_visit_status_name_zh(s->status), why);
}

static int visit_forbidden(struct proto_error *err, enum domain_visit_cmd cmd, const char *who,
                           const struct domain_actor *a)
{
    return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "%s needs %s, not %s",
                           domain_visit_cmd_name(cmd), who, domain_role_name(a->role));
}

static int visit_state_ok(const struct domain_visit_state *s, struct proto_error *err)
{
    if (!s || (int)s->status < 0 || s->status >= DOMAIN_VISIT_STATUS__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "visit state missing");
    return 0;
}

/* serve: the visit's own consultant starts; a supervisor may start on their behalf. */
static int check_serve(const struct domain_visit_state *s, const struct domain_actor *a,
                       struct proto_error *err)
{
    if (a->role != DOMAIN_ROLE_CONSULTANT && a->role != DOMAIN_ROLE_SUPERVISOR)
        return visit_forbidden(err, DOMAIN_VISIT_SERVE, "the consultant or supervisor role", a);
    if (visit_state_ok(s, err) < 0)
        return -1;
    if (a->role == DOMAIN_ROLE_CONSULTANT && s->consultant_id != a->staff_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "only the visit's own consultant may do this (or a supervisor)");
    if (s->status != DOMAIN_VISIT_WAITING)
        return visit_bad_state(err, s, "visit_serve needs a visit that is waiting");
    return 0;
}

static int check_depart(const struct domain_visit_state *s, const struct domain_actor *a,
                        const struct domain_visit_args *args, struct proto_error *err)
{
    if (a->role != DOMAIN_ROLE_CONSULTANT && a->role != DOMAIN_ROLE_RECEPTION &&
        a->role != DOMAIN_ROLE_SUPERVISOR)
        return visit_forbidden(err, DOMAIN_VISIT_DEPART,
                               "the consultant, reception or supervisor role", a);
    if (visit_state_ok(s, err) < 0)
        return -1;
    if (a->role == DOMAIN_ROLE_CONSULTANT && s->consultant_id != a->staff_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "only the visit's own consultant may do this");
    if (s->status == DOMAIN_VISIT_DEPARTED)
        return visit_bad_state(err, s, "visit_depart needs a visit that is waiting or serving");
    if (args->grade && !domain_grade_settable(args->grade))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "grade",
                               "grade: must be H, A, B, F or L (O comes with an order)");
    return 0;
}

static int check_appointment(const struct domain_actor *a, const struct domain_visit_args *args,
                             struct proto_error *err)
{
    if (a->role != DOMAIN_ROLE_TELESALES && a->role != DOMAIN_ROLE_CONSULTANT &&
        a->role != DOMAIN_ROLE_SUPERVISOR)
        return visit_forbidden(err, DOMAIN_VISIT_APPOINTMENT_CREATE,
                               "the telesales, consultant or supervisor role", a);
    if (!args->has_lead_or_phone)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "phone",
                               "phone: give the lead or the customer's phone");
    if (args->at <= args->now)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "at", "at: must be in the future");
    if (args->at - args->now > DOMAIN_APPT_MAX_AHEAD_MS)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "at", "at: at most 90 days ahead");
    return 0;
}

int domain_visit_check(const struct domain_visit_state *s, const struct domain_actor *a,
                       enum domain_visit_cmd cmd, const struct domain_visit_args *args,
                       struct proto_error *err)
{
    static const struct domain_visit_args no_args;
    if ((int)cmd < 0 || cmd >= DOMAIN_VISIT_CMD__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "unknown visit command");
    if (!args)
        args = &no_args;
    /* the reception kiosk calls for staff without anyone logged in */
    if (cmd == DOMAIN_VISIT_CALL_STAFF && !a)
        return 0;
    if (!a || (int)a->role < 0 || a->role >= DOMAIN_ROLE__COUNT)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "unknown staff role");
    switch (cmd) {
    case DOMAIN_VISIT_SERVE:
        return check_serve(s, a, err);
    case DOMAIN_VISIT_DEPART:
        return check_depart(s, a, args, err);
    case DOMAIN_VISIT_APPOINTMENT_CREATE:
        return check_appointment(a, args, err);
    case DOMAIN_VISIT_CALL_STAFF:
    case DOMAIN_VISIT_CMD__COUNT:
        break;
    }
    return 0;
}

int domain_visit_same_day(int64_t a, int64_t b, int utc_offset_min)
{
    return domain_day_start(a, utc_offset_min) == domain_day_start(b, utc_offset_min);
}

int domain_visit_already_checked_in(enum domain_visit_status st, int64_t arrived_at, int64_t now,
                                    int utc_offset_min)
{
    if (st != DOMAIN_VISIT_WAITING && st != DOMAIN_VISIT_SERVING)
        return 0;
    return domain_visit_same_day(arrived_at, now, utc_offset_min);
}

static int64_t appt_grace_ms(int grace_min)
{
    if (grace_min < 1 || grace_min > GRACE_MAX)
        grace_min = DOMAIN_APPT_GRACE_DEFAULT_MIN;
    return grace_min * MINUTE_MS;
}

int domain_appointment_in_window(int64_t at, int grace_min, int64_t checkin_at)
{
    return checkin_at >= at - DOMAIN_APPT_EARLY_MIN * MINUTE_MS &&
           checkin_at <= at + appt_grace_ms(grace_min);
}

enum domain_appt_state domain_appointment_state(int64_t at, int grace_min, int64_t checked_in_at,
                                                int64_t now)
{
    if (checked_in_at != 0 && domain_appointment_in_window(at, grace_min, checked_in_at))
        return DOMAIN_APPT_SHOWN;
    if (now > at + appt_grace_ms(grace_min))
        return DOMAIN_APPT_NO_SHOW;
    return DOMAIN_APPT_PENDING;
}

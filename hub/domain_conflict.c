/* Claim conflicts (撞单, DOMAIN.md "Visits and reception"): when serving or selling to a
 * customer collides with another consultant's lead, and who may rule on it. The ruling is
 * final and due within 24 h. */
#include "domain.h"

int domain_conflict_detect(int64_t lead_owner_id, enum domain_role owner_role, int64_t staff_id)
{
    /* a telesales owner handing the customer to a consultant is the normal path */
    return lead_owner_id != 0 && owner_role == DOMAIN_ROLE_CONSULTANT && staff_id != 0 &&
           staff_id != lead_owner_id;
}

static int conflict_is_claimant(const struct domain_conflict_state *s, int64_t staff_id)
{
    for (size_t i = 0; s->claimants && i < s->n_claimants; i++) {
        if (s->claimants[i] == staff_id)
            return 1;
    }
    return 0;
}

int domain_conflict_check(const struct domain_conflict_state *s, const struct domain_actor *a,
                          enum domain_conflict_cmd cmd, const struct domain_conflict_args *args,
                          struct proto_error *err)
{
    static const struct domain_conflict_args no_args;
    if ((int)cmd < 0 || cmd >= DOMAIN_CONFLICT_CMD__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "unknown conflict command");
    if (!a || (int)a->role < 0 || a->role >= DOMAIN_ROLE__COUNT)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "unknown staff role");
    if (!args)
        args = &no_args;
    if (cmd == DOMAIN_CONFLICT_LIST) {
        if (a->role != DOMAIN_ROLE_SUPERVISOR && a->role != DOMAIN_ROLE_MANAGER)
            return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                                   "conflict_list needs the supervisor or manager role, not %s",
                                   domain_role_name(a->role));
        return 0;
    }
    if (a->role != DOMAIN_ROLE_SUPERVISOR)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL,
                               "conflict_rule needs the supervisor role, not %s",
                               domain_role_name(a->role));
    if (!s || (int)s->status < 0 || s->status >= DOMAIN_CONFLICT__COUNT)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "conflict state missing");
    if (s->status != DOMAIN_CONFLICT_OPEN)
        return proto_error_set(
            err, PROTO_E_INVALID_STATE, NULL, "conflict is %s (%s): the ruling is final",
            domain_conflict_status_name(s->status), domain_conflict_status_name_zh(s->status));
    if (args->winner_id <= 0 || !conflict_is_claimant(s, args->winner_id))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "winner",
                               "winner: must be one of the claimants");
    if (!args->has_reason)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "reason", "reason: required");
    return 0;
}

int64_t domain_conflict_due(int64_t opened_at)
{
    return opened_at + DOMAIN_CONFLICT_SLA_MS;
}

int domain_conflict_overdue(const struct domain_conflict_state *s, int64_t now)
{
    return s->status == DOMAIN_CONFLICT_OPEN && now > domain_conflict_due(s->opened_at);
}

/* Reception check-in: which consultant serves an arriving customer, and how long the
 * customer should expect to wait (DOMAIN.md "Visits and reception", PROTOCOL.md checkin).
 *
 * Order of precedence: the lead's owner if on duty (even when busy: the customer asked for
 * them and moving the lead would start a conflict, 撞单); else the rotation over on-duty
 * consultants who are free; else, when all are busy, the least recently assigned of them
 * so the queue still spreads; else nobody (reception takes over). An invitation changes
 * only the label: invited customers still get their consultant from the rotation, since
 * the telesales person hands them over rather than serving them. */
#include <assert.h>
#include <limits.h>

#include "domain.h"

#define CHECKIN_MINUTE_MS 60000

static int checkin_is_busy(const struct domain_consultant *c)
{
    return c->waiting > 0 || c->serving > 0;
}

/* 1 if a should be assigned before b: least recently assigned first (0 = never, so a new
 * consultant is first), ties to the lower staff id so the choice never depends on the
 * order the store returned rows in. */
static int checkin_before(const struct domain_consultant *a, const struct domain_consultant *b)
{
    if (a->last_assigned_at != b->last_assigned_at)
        return a->last_assigned_at < b->last_assigned_at;
    return a->staff_id < b->staff_id;
}

/* Minutes the customer should expect: DOMAIN_WAIT_PER_VISIT_MIN for each visit already
 * waiting for this consultant, plus what is left of the current customer's slot. Elapsed
 * time is counted in whole minutes, so the remainder rounds up, never promising too
 * little. A service with no start time (inconsistent data) counts as a full slot. */
static int checkin_wait_min(const struct domain_consultant *c, int64_t now)
{
    int64_t wait = (int64_t)DOMAIN_WAIT_PER_VISIT_MIN * c->waiting;
    if (c->serving > 0) {
        int64_t elapsed_min = 0;
        if (c->serving_since > 0 && now > c->serving_since)
            elapsed_min = (now - c->serving_since) / CHECKIN_MINUTE_MS;
        if (elapsed_min < DOMAIN_SERVICE_SLOT_MIN)
            wait += DOMAIN_SERVICE_SLOT_MIN - elapsed_min;
    }
    if (wait < 1)
        wait = 1;
    return wait > INT_MAX ? INT_MAX : (int)wait;
}

void domain_checkin_assign(const struct domain_checkin_in *in, struct domain_checkin_out *out)
{
    assert(in && out);
    assert(in->n == 0 || in->consultants);

    const struct domain_consultant *owner = NULL, *free_pick = NULL, *busy_pick = NULL;
    for (size_t i = 0; i < in->n; i++) {
        const struct domain_consultant *c = &in->consultants[i];
        assert(c->waiting >= 0 && c->serving >= 0);
        if (!c->on_duty)
            continue;
        if (in->owner_id != 0 && c->staff_id == in->owner_id)
            owner = c;
        if (checkin_is_busy(c)) {
            if (!busy_pick || checkin_before(c, busy_pick))
                busy_pick = c;
        } else if (!free_pick || checkin_before(c, free_pick)) {
            free_pick = c;
        }
    }

    const struct domain_consultant *chosen;
    if (owner) {
        chosen = owner;
        out->how = DOMAIN_ASSIGN_OWNER;
    } else if (free_pick) {
        chosen = free_pick;
        out->how = in->invited_by != 0 ? DOMAIN_ASSIGN_INVITED : DOMAIN_ASSIGN_ROTATION;
    } else if (busy_pick) {
        chosen = busy_pick;
        out->how = in->invited_by != 0 ? DOMAIN_ASSIGN_INVITED : DOMAIN_ASSIGN_BUSY_ROTATION;
    } else {
        out->how = DOMAIN_ASSIGN_NONE;
        out->consultant_id = 0;
        out->queue_position = 0;
        out->estimated_wait_min = 0;
        return;
    }
    out->consultant_id = chosen->staff_id;
    out->queue_position = chosen->waiting < INT_MAX ? chosen->waiting + 1 : INT_MAX;
    out->estimated_wait_min = checkin_wait_min(chosen, in->now);
}

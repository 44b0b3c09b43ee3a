/* Order time limits: the per-site settings (keys, defaults, ranges) and, for one order, each
 * limit that applies with its due time and whether it was met or breached at `now`
 * (DOMAIN.md: every "[X] hours" of the seeds is a per-site setting; DOMAIN_RULES.md). */
#include <string.h>

#include "domain.h"

#define HOUR_MS ((int64_t)3600 * 1000)

static const struct sla_row {
    const char *name; /* event kind of order.sla_breached */
    const char *key;  /* site_settings key */
    int dflt;         /* hours */
} sla_rows[DOMAIN_SLA__COUNT] = {
    [DOMAIN_SLA_ENTRY] = {"entry", "entry_hours", DOMAIN_SLA_DEFAULT_ENTRY},
    [DOMAIN_SLA_INITIAL_REVIEW] = {"initial_review", "initial_review_hours",
                                   DOMAIN_SLA_DEFAULT_INITIAL_REVIEW},
    [DOMAIN_SLA_FINAL_REVIEW] = {"final_review", "final_review_hours",
                                 DOMAIN_SLA_DEFAULT_FINAL_REVIEW},
    [DOMAIN_SLA_ETA_NOTIFY] = {"eta_notify", "eta_notify_hours", DOMAIN_SLA_DEFAULT_ETA_NOTIFY},
    [DOMAIN_SLA_CLOSE] = {"close", "close_hours", DOMAIN_SLA_DEFAULT_CLOSE},
};

static int sla_kind_valid(enum domain_sla_kind k)
{
    return (int)k >= 0 && k < DOMAIN_SLA__COUNT;
}

const char *domain_sla_kind_name(enum domain_sla_kind k)
{
    return sla_kind_valid(k) ? sla_rows[k].name : NULL;
}

const char *domain_sla_key(enum domain_sla_kind k)
{
    return sla_kind_valid(k) ? sla_rows[k].key : NULL;
}

int domain_sla_kind_from_name(const char *name)
{
    for (int i = 0; name && i < DOMAIN_SLA__COUNT; i++) {
        if (strcmp(sla_rows[i].name, name) == 0)
            return i;
    }
    return -1;
}

int domain_sla_kind_from_key(const char *key)
{
    for (int i = 0; key && i < DOMAIN_SLA__COUNT; i++) {
        if (strcmp(sla_rows[i].key, key) == 0)
            return i;
    }
    return -1;
}

void domain_sla_defaults(struct domain_sla_settings *set)
{
    for (int i = 0; i < DOMAIN_SLA__COUNT; i++)
        set->hours[i] = sla_rows[i].dflt;
}

int domain_sla_set(struct domain_sla_settings *set, const char *key, int64_t hours,
                   struct proto_error *err)
{
    int k = domain_sla_kind_from_key(key);
    if (k < 0)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "key", "unknown setting %s",
                               key ? key : "(none)");
    if (hours < 1 || hours > DOMAIN_SLA_MAX_HOURS)
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "value", "%s must be 1..%d hours", key,
                               DOMAIN_SLA_MAX_HOURS);
    set->hours[k] = (int)hours;
    return 0;
}

/* One limit: the clock started at `start`; `done_at` is when the awaited step happened (0 if
 * not yet). Breached once due has passed without it, or when it came late; exactly at the
 * due time is still in time. */
static struct domain_deadline sla_one(enum domain_sla_kind kind, int64_t start, int64_t done_at,
                                      const struct domain_sla_settings *set, int64_t now)
{
    struct domain_deadline d = {.kind = kind, .started_at = start};
    int hours = set ? set->hours[kind] : sla_rows[kind].dflt;
    if (hours < 1 || hours > DOMAIN_SLA_MAX_HOURS)
        hours = sla_rows[kind].dflt; /* a bad stored value falls back to the default */
    d.due_at = start + hours * HOUR_MS;
    d.done = done_at != 0;
    d.breached = d.done ? done_at > d.due_at : now > d.due_at;
    d.met = d.done && !d.breached;
    return d;
}

int domain_order_deadlines(const struct domain_order_times_sla *t,
                           const struct domain_sla_settings *set, int64_t now,
                           struct domain_deadline out[], size_t cap)
{
    /* For each limit: when its clock starts and when the step it waits for happened. A
     * review counts only when it came after the latest (re)submission it answers. */
    const int64_t start[DOMAIN_SLA__COUNT] = {
        [DOMAIN_SLA_ENTRY] = t->created_at ? t->received_at : 0,
        [DOMAIN_SLA_INITIAL_REVIEW] = t->entered_at,
        [DOMAIN_SLA_FINAL_REVIEW] = t->reviewed_at,
        [DOMAIN_SLA_ETA_NOTIFY] = t->eta_changed_at,
        [DOMAIN_SLA_CLOSE] = t->delivered_at,
    };
    const int64_t done[DOMAIN_SLA__COUNT] = {
        [DOMAIN_SLA_ENTRY] = t->created_at,
        [DOMAIN_SLA_INITIAL_REVIEW] =
            t->initial_decided_at >= t->entered_at ? t->initial_decided_at : 0,
        [DOMAIN_SLA_FINAL_REVIEW] = t->final_decided_at >= t->reviewed_at ? t->final_decided_at : 0,
        [DOMAIN_SLA_ETA_NOTIFY] = t->eta_notified_at >= t->eta_changed_at ? t->eta_notified_at : 0,
        [DOMAIN_SLA_CLOSE] = t->closed_at,
    };
    size_t n = 0;
    for (int k = 0; k < DOMAIN_SLA__COUNT && n < cap; k++) {
        if (!start[k])
            continue;
        /* a cancelled order waits for nothing: limits still open at cancellation lapse */
        if (t->cancelled_at && !done[k])
            continue;
        out[n++] = sla_one((enum domain_sla_kind)k, start[k], done[k], set, now);
    }
    return (int)n;
}

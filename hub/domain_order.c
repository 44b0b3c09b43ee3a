/* Orders as customers see them: the public stage of each internal stage, the five-step
 * timeline, what the customer still has to do, and order numbers (DOMAIN.md "Orders",
 * PROTOCOL.md "Order" and "PublicOrder"). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "domain.h"

/* Internal stage -> what a customer is shown. Review steps and returns are the dealer's
 * business, so all of them read as "ordered"; paid and ready both mean "we are preparing
 * your car". */
static const enum domain_public order_public_of[DOMAIN_STAGE__COUNT] = {
    [DOMAIN_STAGE_ENTERED] = DOMAIN_PUBLIC_ORDERED,
    [DOMAIN_STAGE_REVIEWED] = DOMAIN_PUBLIC_ORDERED,
    [DOMAIN_STAGE_RETURNED] = DOMAIN_PUBLIC_ORDERED,
    [DOMAIN_STAGE_APPROVED] = DOMAIN_PUBLIC_VEHICLE,
    [DOMAIN_STAGE_ALLOCATED] = DOMAIN_PUBLIC_PAYMENT,
    [DOMAIN_STAGE_PAID] = DOMAIN_PUBLIC_READY,
    [DOMAIN_STAGE_READY] = DOMAIN_PUBLIC_READY,
    [DOMAIN_STAGE_DELIVERED] = DOMAIN_PUBLIC_DELIVERED,
    [DOMAIN_STAGE_CLOSED] = DOMAIN_PUBLIC_DELIVERED,
    [DOMAIN_STAGE_CANCELLED] = DOMAIN_PUBLIC_CANCELLED,
};

static int order_stage_valid(enum domain_stage s)
{
    return (int)s >= 0 && s < DOMAIN_STAGE__COUNT;
}

enum domain_public domain_stage_public(enum domain_stage s)
{
    assert(order_stage_valid(s));
    if (!order_stage_valid(s))
        return DOMAIN_PUBLIC_CANCELLED; /* shows nothing as in progress */
    return order_public_of[s];
}

int domain_stage_is_open(enum domain_stage s)
{
    return order_stage_valid(s) && s < DOMAIN_STAGE_DELIVERED;
}

/* The timeline's steps, in order; a step is done once its time is stamped. */
static const enum domain_public order_steps[DOMAIN_TIMELINE_LEN] = {
    DOMAIN_PUBLIC_ORDERED, DOMAIN_PUBLIC_VEHICLE,   DOMAIN_PUBLIC_PAYMENT,
    DOMAIN_PUBLIC_READY,   DOMAIN_PUBLIC_DELIVERED,
};

/* When step i was completed: the vehicle step ends at allocation (not approval), payment
 * when all money is in, ready when the car and papers are prepared. */
static int64_t order_step_time(const struct domain_order_times *t, int i)
{
    switch (i) {
    case 0:
        return t->created_at;
    case 1:
        return t->allocated_at;
    case 2:
        return t->paid_at;
    case 3:
        return t->ready_at;
    default:
        return t->delivered_at;
    }
}

void domain_order_timeline(enum domain_stage stage, const struct domain_order_times *t,
                           struct domain_timeline_entry out[DOMAIN_TIMELINE_LEN])
{
    static const struct domain_order_times none;
    if (!t)
        t = &none;
    enum domain_public pub = domain_stage_public(stage);

    for (int i = 0; i < DOMAIN_TIMELINE_LEN; i++) {
        int64_t at = order_step_time(t, i);
        enum domain_step_state st;
        if (pub == DOMAIN_PUBLIC_CANCELLED) {
            /* Cancelled: keep what really happened, promise nothing. */
            st = at != 0 ? DOMAIN_STEP_DONE : DOMAIN_STEP_TODO;
        } else if (pub == DOMAIN_PUBLIC_DELIVERED || order_steps[i] < pub) {
            /* enum domain_public lists the steps in timeline order: < means "before". */
            st = DOMAIN_STEP_DONE;
        } else if (order_steps[i] == pub) {
            st = DOMAIN_STEP_CURRENT;
        } else {
            st = DOMAIN_STEP_TODO;
        }
        out[i].stage = order_steps[i];
        out[i].state = st;
        out[i].at = st == DOMAIN_STEP_DONE ? at : 0;
    }
}

enum domain_todo domain_order_todo(enum domain_stage stage, enum domain_payment pay,
                                   int64_t paid_fen, int64_t total_fen)
{
    if (stage == DOMAIN_STAGE_ALLOCATED && paid_fen < total_fen)
        return pay == DOMAIN_PAY_LOAN ? DOMAIN_TODO_LOAN_DOCUMENTS : DOMAIN_TODO_PAY_BALANCE;
    if (stage == DOMAIN_STAGE_READY)
        return DOMAIN_TODO_ATTEND_DELIVERY;
    return DOMAIN_TODO_NONE;
}

#define ORDER_DAY_MS     86400000LL
#define ORDER_NO_TZ_MS   (8LL * 3600 * 1000) /* order numbers follow Beijing time */
#define ORDER_NO_SEQ_MAX 9999

/* Floor division: rounds toward minus infinity, so times before the epoch work. */
static int64_t order_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Civil year and month of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
 * days-to-civil algorithm, valid for every int64 day count we can meet). */
static void order_civil(int64_t days, int64_t *year, int *month)
{
    int64_t z = days + 719468;
    int64_t era = order_floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], from March */
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

int domain_order_no(int64_t created_at_ms, int seq, char *out, size_t outsz)
{
    if (outsz > 0)
        out[0] = '\0';
    if (seq < 1 || seq > ORDER_NO_SEQ_MAX)
        return -1;
    int64_t year;
    int month;
    order_civil(order_floor_div(created_at_ms + ORDER_NO_TZ_MS, ORDER_DAY_MS), &year, &month);
    int yy = (int)(((year % 100) + 100) % 100);
    int n = snprintf(out, outsz, "SF%02d%02d-%04d", yy, month, seq);
    if (n < 0 || (size_t)n >= outsz) {
        if (outsz > 0)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

int domain_order_ref(const char *order_no, char *out, size_t outsz)
{
    static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
    const char *s = order_no ? order_no : "";
    size_t len = strlen(s);
    size_t start = len;

    /* Step back over four code points: continuation bytes are 10xxxxxx. */
    for (int k = 0; k < 4 && start > 0; k++) {
        start--;
        while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
    }
    size_t need = sizeof(ellipsis) - 1 + (len - start) + 1;
    if (need > outsz) {
        if (outsz > 0)
            out[0] = '\0';
        return -1;
    }
    memcpy(out, ellipsis, sizeof(ellipsis) - 1);
    memcpy(out + sizeof(ellipsis) - 1, s + start, len - start);
    out[need - 1] = '\0';
    return 0;
}

/* Resending the sign-offs of the offline queue (see signq.h, view_delivery.h). Once the hub
 * answers again and the consultant who took a sign-off has a login on this connection, each
 * of their queued sign-offs is sent again, one at a time, with its ORIGINAL command id: a
 * sign-off the hub already committed (its answer was lost) comes back as the first result
 * and is not recorded twice. A row is deleted only after an ok result; a definitive
 * refusal marks it failed and it stays for staff to see. Order commands need the
 * consultant's own login (protocol: order_deliver is "consultant (own)"), so a sign-off
 * queued before a restart waits for that consultant's next login here. UI thread only. */
#include "view_delivery.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "signq.h"

/* After a failed or unanswered resend, wait this long before the next one. */
#define DL_FLUSH_BACKOFF_MS 5000

bool view_delivery_queue_retryable(enum proto_err code)
{
    switch (code) {
    case PROTO_E_UNAVAILABLE:
    case PROTO_E_INTERNAL:
    case PROTO_E_RATE_LIMITED:
    case PROTO_E_STAFF_LOGIN_REQUIRED:
    case PROTO_E_SESSION_EXPIRED:
        return true;
    default:
        return false;
    }
}

void view_delivery_queue_refresh(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (!a->signq) {
        d->queued = d->failed = 0;
        return;
    }
    int q = signq_count(a->signq, SIGNQ_QUEUED), f = signq_count(a->signq, SIGNQ_FAILED);
    d->queued = q > 0 ? q : 0;
    d->failed = f > 0 ? f : 0;
    app_dirty(a);
}

void view_delivery_queue_tick(struct app *a)
{
    struct view_delivery *d = &a->dl;
    if (!a->signq || !d->session || !d->hub_login || a->conn != APP_CONN_CONNECTED ||
        d->flush_id[0] || a->mono < d->next_flush || d->queued <= 0)
        return;
    struct signq_item items[8];
    int n = signq_list(a->signq, d->staff_no_v, SIGNQ_QUEUED, items, 8);
    for (int i = 0; i < n; i++) {
        /* The submit on screen is sent by its own screen. */
        if (d->submit_id[0] && strcmp(items[i].id, d->submit_id) == 0)
            continue;
        char *json = signq_args(a->signq, items[i].id);
        cJSON *args = json ? cJSON_Parse(json) : NULL;
        free(json);
        if (!args) {
            /* A row we cannot read is not guessed at: staff see it as failed. */
            signq_fail(a->signq, items[i].id, "bad_json", "unreadable in the kiosk's queue");
            view_delivery_queue_refresh(a);
            continue;
        }
        signq_attempt(a->signq, items[i].id);
        if (app_request(a, PROTO_T_ORDER_DELIVER, args, items[i].id, d->flush_id) != 0) {
            d->flush_id[0] = '\0';
            d->next_flush = a->mono + DL_FLUSH_BACKOFF_MS;
        }
        return;
    }
}

bool view_delivery_queue_result(struct app *a, const char *id, const struct proto_msg *res)
{
    struct view_delivery *d = &a->dl;
    if (!id || !d->flush_id[0] || strcmp(id, d->flush_id) != 0)
        return false;
    d->flush_id[0] = '\0';
    if (res && res->ok) {
        signq_delete(a->signq, id);
        d->next_flush = 0; /* the next one at once */
    } else if (!res || view_delivery_queue_retryable(res->error.code)) {
        d->next_flush = a->mono + DL_FLUSH_BACKOFF_MS;
        if (res && (res->error.code == PROTO_E_SESSION_EXPIRED ||
                    res->error.code == PROTO_E_STAFF_LOGIN_REQUIRED))
            view_delivery_relogin(a);
    } else {
        signq_fail(a->signq, id, proto_error_code(res->error.code),
                   res->error.message[0] ? res->error.message : proto_error_code(res->error.code));
    }
    view_delivery_queue_refresh(a);
    return true;
}

/* Notifications to staff: one staff.notify event per person, written in the transaction of the
 * change that caused it, and the same notification queued in the site's webhook outbox so the
 * hub's webhook sender (server_webhook.c) only has to deliver it (hub/README.md "Webhook"). */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

cJSON *core_notify_refs(const char *k1, int64_t v1, const char *k2, int64_t v2)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if ((k1 && v1 > 0 && !cJSON_AddNumberToObject(o, k1, (double)v1)) ||
        (k2 && v2 > 0 && !cJSON_AddNumberToObject(o, k2, (double)v2))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The webhook's body: what a relay needs to forward one notification to a phone. */
static char *webhook_payload(const struct store_site *site, int64_t seq, const cJSON *data,
                             int64_t now)
{
    cJSON *p = cJSON_Duplicate(data, 1);
    if (!p || !cJSON_AddStringToObject(p, "site", site->code) ||
        !cJSON_AddNumberToObject(p, "seq", (double)seq) ||
        !cJSON_AddNumberToObject(p, "at", (double)now)) {
        cJSON_Delete(p);
        return NULL;
    }
    char *text = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    return text;
}

int core_notify(struct core *c, int64_t site_id, int64_t staff_id, enum domain_notify kind,
                const char *text_zh, const char *text_en, const cJSON *refs, int64_t now,
                struct proto_error *err)
{
    struct store_staff st;
    return store_staff_get(c->store, staff_id, &st, err)
               ? -1
               : core_notify_staff(c, site_id, &st, kind, text_zh, text_en, refs, now, err);
}

int core_notify_staff(struct core *c, int64_t site_id, const struct store_staff *to,
                      enum domain_notify kind, const char *text_zh, const char *text_en,
                      const cJSON *refs, int64_t now, struct proto_error *err)
{
    struct store_site site;
    const char *kind_name = domain_notify_name(kind);
    cJSON *d = cJSON_CreateObject();
    cJSON *r = refs ? cJSON_Duplicate(refs, 1) : cJSON_CreateObject();
    char *payload = NULL;
    int rc = -1;
    if (!d || !r || !kind_name || !cJSON_AddNumberToObject(d, "staff_id", (double)to->id) ||
        !cJSON_AddStringToObject(d, "staff_no", to->staff_no) ||
        !cJSON_AddStringToObject(d, "kind", kind_name) ||
        !cJSON_AddStringToObject(d, "text_zh", text_zh) ||
        !cJSON_AddStringToObject(d, "text_en", text_en) || !cJSON_AddItemToObject(d, "refs", r)) {
        if (!cJSON_IsObject(cJSON_GetObjectItem(d, "refs")))
            cJSON_Delete(r);
        core_oom(err);
        goto out;
    }
    int64_t seq = 0;
    char url[STORE_URL_MAX + 1];
    if (store_events_append_json(c->store, site_id, "staff.notify", now, d, &seq, err) ||
        store_settings_text_get(c->store, site_id, "webhook_url", url, sizeof url, NULL, err))
        goto out;
    if (!url[0]) { /* no webhook for this site: the boards are the only way */
        rc = 0;
        goto out;
    }
    /* the site's code is for the relay only */
    if (store_sites_get(c->store, site_id, &site, err))
        goto out;
    if (!(payload = webhook_payload(&site, seq, d, now))) {
        core_oom(err);
        goto out;
    }
    bool is_new = false;
    if (store_webhooks_enqueue(c->store, site_id, seq, payload, now, &is_new, err))
        goto out;
    log_info("core", "notify %s: %s", to->staff_no, kind_name);
    rc = 0;
out:
    cJSON_free(payload);
    cJSON_Delete(d);
    return rc;
}

int core_notify_role(struct core *c, int64_t site_id, enum domain_role role,
                     enum domain_notify kind, const char *text_zh, const char *text_en,
                     const cJSON *refs, int64_t now, int *count, struct proto_error *err)
{
    int64_t *ids = calloc(CORE_FLOOR_MAX_STAFF, sizeof *ids);
    size_t n = 0;
    int rc = -1;
    if (count)
        *count = 0;
    if (!ids)
        return core_oom(err);
    if (core_floor_staff_of_role(c, site_id, role, ids, CORE_FLOOR_MAX_STAFF, &n, err))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (core_notify(c, site_id, ids[i], kind, text_zh, text_en, refs, now, err))
            goto out;
    if (count)
        *count = (int)n;
    rc = 0;
out:
    free(ids);
    return rc;
}

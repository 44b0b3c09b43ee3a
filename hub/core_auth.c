/* Who is talking: devices by token (hash lookup, revocation, last seen) and staff by number
 * and PIN (Argon2id, lockout after repeated failures, recorded in the store). */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

#include "core_secret.h"
#include "log.h"

static void copy_str(char *dst, size_t sz, const char *src)
{
    snprintf(dst, sz, "%s", src ? src : "");
}

int core_auth_device(struct core *c, const char *token, const char *client, int64_t now,
                     struct core_device *out, struct proto_error *err)
{
    char hash[CORE_SECRET_HASH_LEN + 1];
    struct store_device d;
    struct store_site site;
    if (!token || !*token || core_secret_token_hash(token, hash, sizeof hash))
        return proto_error_set(err, PROTO_E_AUTH_FAILED, NULL, NULL);
    if (store_devices_find_by_token(c->store, hash, &d, err)) {
        if (err && err->code == PROTO_E_NOT_FOUND)
            return proto_error_set(err, PROTO_E_AUTH_FAILED, NULL, NULL);
        return -1;
    }
    if (d.revoked_at)
        return proto_error_set(err, PROTO_E_DEVICE_REVOKED, NULL, NULL);
    if (store_sites_get(c->store, d.site_id, &site, err))
        return -1;
    /* last-seen is bookkeeping: a busy database must not keep a kiosk out */
    struct proto_error e;
    if (store_begin(c->store, &e) || store_devices_seen(c->store, d.id, now, client, &e) ||
        store_commit(c->store, &e)) {
        store_rollback(c->store);
        log_warn("core", "device %lld: last-seen not recorded: %s", (long long)d.id, e.message);
    }
    memset(out, 0, sizeof *out);
    out->id = d.id;
    out->site_id = d.site_id;
    out->mode = d.mode;
    copy_str(out->name, sizeof out->name, d.name);
    copy_str(out->site_code, sizeof out->site_code, site.code);
    copy_str(out->site_name, sizeof out->site_name, site.name);
    return 0;
}

int core_device_active(struct core *c, int64_t device_id)
{
    struct store_device d;
    struct proto_error e;
    if (store_devices_get(c->store, device_id, &d, &e))
        return 0;
    return d.revoked_at == 0;
}

cJSON *core_device_json(const struct core_device *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *site = cJSON_CreateObject();
    if (!o || !site || !cJSON_AddNumberToObject(site, "id", (double)d->site_id) ||
        !cJSON_AddStringToObject(site, "code", d->site_code) ||
        !cJSON_AddStringToObject(site, "name", d->site_name))
        goto oom;
    if (!cJSON_AddNumberToObject(o, "id", (double)d->id) ||
        !cJSON_AddStringToObject(o, "name", d->name) ||
        !cJSON_AddStringToObject(o, "mode", domain_mode_name(d->mode)) ||
        !cJSON_AddItemToObject(o, "site", site))
        goto oom;
    return o;
oom:
    cJSON_Delete(site);
    cJSON_Delete(o);
    return NULL;
}

/* Records one failed login in its own transaction (the attempt itself changed nothing). */
static void record_failure(struct core *c, const char *staff_no, int64_t now)
{
    struct proto_error e;
    if (store_begin(c->store, &e) || store_staff_failure_add(c->store, staff_no, now, &e) ||
        store_commit(c->store, &e)) {
        store_rollback(c->store);
        log_error("core", "staff login failure not recorded: %s", e.message);
    }
}

static cJSON *login_data(const struct core_staff *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *p = cJSON_CreateObject();
    if (!o || !p || !cJSON_AddNumberToObject(p, "id", (double)st->id) ||
        !cJSON_AddStringToObject(p, "staff_no", st->staff_no) ||
        !cJSON_AddStringToObject(p, "name", st->name) ||
        !cJSON_AddStringToObject(p, "role", domain_role_name(st->role)))
        goto oom;
    if (!cJSON_AddItemToObject(o, "staff", p)) {
        goto oom;
    }
    p = NULL;
    if (!cJSON_AddNumberToObject(o, "expires_at", (double)st->expires_at))
        goto oom;
    return o;
oom:
    cJSON_Delete(p);
    cJSON_Delete(o);
    return NULL;
}

int core_staff_login(struct core *c, const struct core_device *dev, const char *staff_no,
                     const char *pin, int64_t now, struct core_staff *staff, cJSON **data,
                     struct proto_error *err)
{
    *data = NULL;
    if (!staff_no || !*staff_no || !pin)
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_FAILED, NULL, NULL);
    int failures = 0;
    int64_t last = 0;
    if (store_staff_failures(c->store, staff_no, now - (int64_t)DOMAIN_LOGIN_WINDOW_MS, &failures,
                             &last, err))
        return -1;
    if (!domain_login_allowed(failures, last, now))
        return proto_error_set(err, PROTO_E_STAFF_LOCKED, NULL, NULL);

    struct store_staff st;
    if (store_staff_find(c->store, staff_no, &st, err)) {
        if (err && err->code != PROTO_E_NOT_FOUND)
            return -1;
        core_secret_pin_verify_dummy(pin); /* as slow as a wrong PIN: no staff-number oracle */
        record_failure(c, staff_no, now);
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_FAILED, NULL, NULL);
    }
    /* the PIN is checked even for an inactive account, for the same timing reason */
    if (!core_secret_pin_verify(st.pin_hash, pin) || !st.active) {
        record_failure(c, staff_no, now);
        return proto_error_set(err, PROTO_E_STAFF_LOGIN_FAILED, NULL, NULL);
    }
    /* checked after the PIN so the answer does not reveal other sites' staff numbers */
    if (st.site_id != dev->site_id)
        return proto_error_set(err, PROTO_E_FORBIDDEN, NULL, "staff of another site");
    if (failures > 0) {
        struct proto_error e;
        if (store_begin(c->store, &e) || store_staff_failures_clear(c->store, staff_no, &e) ||
            store_commit(c->store, &e)) {
            store_rollback(c->store);
            log_warn("core", "login failures of %s not cleared: %s", staff_no, e.message);
        }
    }
    memset(staff, 0, sizeof *staff);
    staff->id = st.id;
    staff->site_id = st.site_id;
    staff->role = st.role;
    copy_str(staff->staff_no, sizeof staff->staff_no, st.staff_no);
    copy_str(staff->name, sizeof staff->name, st.name);
    staff->expires_at = now + c->staff_idle_ms;
    *data = login_data(staff);
    if (!*data)
        return core_oom(err);
    return 0;
}

/* Staff: people of a site with a role and an Argon2id PIN hash; their duty roster; the
 * consultants' figures the check-in rule needs; failed logins for the lockout rule. */
#include "store_internal.h"

#include <sodium.h>
#include <stdio.h>

#define STORE_DAY_MS (24LL * 60 * 60 * 1000)

_Static_assert(STORE_PIN_HASH_MAX == crypto_pwhash_STRBYTES, "PIN hash buffer size");

#define STAFF_COLS                                                                           \
    "id, site_id, staff_no, name, role, pin_hash, active, last_assigned_at, region, models," \
    " ability"

static const char *const sql[] = {
    "INSERT INTO staff (site_id, staff_no, name, role, pin_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
    "SELECT " STAFF_COLS " FROM staff WHERE id = ?1",
    "SELECT " STAFF_COLS " FROM staff WHERE staff_no = ?1",
    "SELECT " STAFF_COLS " FROM staff WHERE ?1 = 0 OR site_id = ?1 ORDER BY id",
    "UPDATE staff SET pin_hash = ?2 WHERE id = ?1",
    "UPDATE staff SET active = ?2 WHERE id = ?1",
    "UPDATE staff SET last_assigned_at = ?2 WHERE id = ?1",
    "INSERT INTO staff_duty (staff_id, day, duty) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (staff_id, day) DO UPDATE SET duty = excluded.duty",
    /* today's figures per consultant; visits of earlier days never make anyone busy */
    "SELECT s.id, s.name, s.last_assigned_at,"
    " EXISTS (SELECT 1 FROM staff_duty d WHERE d.staff_id = s.id AND d.day = ?2"
    "         AND d.duty = 'on'),"
    " (SELECT count(*) FROM visits v WHERE v.consultant_id = s.id AND v.status = 'waiting'"
    "  AND v.arrived_at >= ?3 AND v.arrived_at < ?4),"
    " (SELECT count(*) FROM visits v WHERE v.consultant_id = s.id AND v.status = 'serving'"
    "  AND v.arrived_at >= ?3 AND v.arrived_at < ?4),"
    " (SELECT coalesce(min(v.served_at), 0) FROM visits v WHERE v.consultant_id = s.id"
    "  AND v.status = 'serving' AND v.arrived_at >= ?3 AND v.arrived_at < ?4)"
    " FROM staff s WHERE s.site_id = ?1 AND s.role = 'consultant' AND s.active = 1"
    " ORDER BY s.id",
    /* the same figures for a whole local day, from migration 4's counters: O(consultants),
     * not O(visits of the day); only the few serving visits are read, for serving_since */
    "SELECT s.id, s.name, s.last_assigned_at,"
    " EXISTS (SELECT 1 FROM staff_duty d WHERE d.staff_id = s.id AND d.day = ?2"
    "         AND d.duty = 'on'),"
    " coalesce(l.waiting, 0), coalesce(l.serving, 0),"
    " CASE WHEN coalesce(l.serving, 0) = 0 THEN 0 ELSE"
    " (SELECT coalesce(min(v.served_at), 0) FROM visits v WHERE v.consultant_id = s.id"
    "  AND v.status = 'serving' AND v.arrived_at >= ?3 AND v.arrived_at < ?4) END"
    " FROM staff s LEFT JOIN visit_load l ON l.consultant_id = s.id AND l.day = ?5"
    " WHERE s.site_id = ?1 AND s.role = 'consultant' AND s.active = 1"
    " ORDER BY s.id",
    "INSERT INTO staff_login_failures (staff_no, at) VALUES (?1, ?2)",
    "SELECT count(*), coalesce(max(at), 0) FROM staff_login_failures"
    " WHERE staff_no = ?1 AND at >= ?2",
    "DELETE FROM staff_login_failures WHERE staff_no = ?1",
    "UPDATE staff SET region = ?2, models = ?3, ability = ?4 WHERE id = ?1",
    /* workload: open leads held as owner, or as telesales while no consultant owns them */
    "SELECT s.id, s.staff_no, s.name, s.region, s.models, s.ability,"
    " (SELECT count(*) FROM leads l WHERE l.status = 'open' AND l.owner_id = s.id)"
    " + (SELECT count(*) FROM leads l"
    "    WHERE l.status = 'open' AND l.owner_id IS NULL AND l.telesales_id = s.id)"
    " FROM staff s WHERE s.site_id = ?1 AND s.role = ?2 AND s.active = 1 ORDER BY s.id",
};
enum {
    STAFF_ADD,
    STAFF_GET,
    STAFF_FIND,
    STAFF_LIST,
    STAFF_SET_PIN,
    STAFF_SET_ACTIVE,
    STAFF_SET_ASSIGNED,
    STAFF_SET_DUTY,
    STAFF_CONSULTANTS,
    STAFF_CONSULTANTS_DAY,
    STAFF_FAIL_ADD,
    STAFF_FAIL_COUNT,
    STAFF_FAIL_CLEAR,
    STAFF_SET_ATTRS,
    STAFF_CANDIDATES
};
const struct store_sql_table store_staff_sql = {"staff", sql, sizeof sql / sizeof sql[0]};

static void read_staff(sqlite3_stmt *st, void *out)
{
    struct store_staff *p = out;
    char role[PROTO_MAX_SHORT + 1];
    p->id = store_col_int(st, 0);
    p->site_id = store_col_int(st, 1);
    store_col_text(st, 2, p->staff_no, sizeof p->staff_no);
    store_col_text(st, 3, p->name, sizeof p->name);
    store_col_text(st, 4, role, sizeof role);
    int r = domain_role_from_name(role);
    /* the CHECK constraint admits only known names; an unknown one gets the least power */
    p->role = r < 0 ? DOMAIN_ROLE_RECEPTION : (enum domain_role)r;
    store_col_text(st, 5, p->pin_hash, sizeof p->pin_hash);
    p->active = store_col_int(st, 6) != 0;
    p->last_assigned_at = store_col_int(st, 7);
    store_col_text(st, 8, p->region, sizeof p->region);
    store_col_text(st, 9, p->models, sizeof p->models);
    p->ability = (int)store_col_int(st, 10);
}

int store_staff_add(struct store *s, int64_t site_id, const char *staff_no, const char *name,
                    enum domain_role role, const char *pin_hash, int64_t *id,
                    struct proto_error *err)
{
    const char *rn = domain_role_name(role);
    if (!rn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "role", "unknown role");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_ADD);
    if (store_bind(s, st, err, "itttt", site_id, staff_no, name, rn, pin_hash) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
}

int store_staff_get(struct store *s, int64_t id, struct store_staff *out, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_staff, out, "staff member", err);
}

int store_staff_find(struct store *s, const char *staff_no, struct store_staff *out,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_FIND);
    if (store_bind(s, st, err, "t", staff_no))
        return -1;
    return store_one(s, st, read_staff, out, "staff member", err);
}

int store_staff_list(struct store *s, int64_t site_id,
                     int (*cb)(void *ctx, const struct store_staff *st), void *ctx,
                     struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_LIST);
    if (store_bind(s, st, err, "i", site_id))
        return -1;
    struct store_staff p;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_staff(st, &p);
        if (cb(ctx, &p) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

/* An UPDATE by id that must hit exactly one row. */
static int update_one(struct store *s, sqlite3_stmt *st, struct proto_error *err)
{
    if (store_exec(s, st, err))
        return -1;
    return store_changes(s) == 1 ? 0 : store_not_found(err, "staff member");
}

int store_staff_set_pin(struct store *s, int64_t id, const char *pin_hash, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_SET_PIN);
    if (store_bind(s, st, err, "it", id, pin_hash))
        return -1;
    return update_one(s, st, err);
}

int store_staff_set_active(struct store *s, int64_t id, bool active, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_SET_ACTIVE);
    if (store_bind(s, st, err, "id", id, active ? 1 : 0))
        return -1;
    return update_one(s, st, err);
}

int store_staff_set_last_assigned(struct store *s, int64_t id, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_SET_ASSIGNED);
    if (store_bind(s, st, err, "ii", id, at))
        return -1;
    return update_one(s, st, err);
}

int store_staff_set_duty(struct store *s, int64_t staff_id, const char *day, enum store_duty duty,
                         struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_SET_DUTY);
    if (store_bind(s, st, err, "itt", staff_id, day, duty == STORE_DUTY_ON ? "on" : "rest"))
        return -1;
    return store_exec(s, st, err);
}

int store_staff_consultants(struct store *s, int64_t site_id, const char *day, int64_t day_start,
                            int64_t day_end, struct store_consultant *out, size_t cap, size_t *n,
                            struct proto_error *err)
{
    *n = 0;
    struct store_site site;
    struct proto_error e;
    bool known = store_sites_get(s, site_id, &site, &e) == 0;
    if (!known && e.code != PROTO_E_NOT_FOUND) {
        if (err)
            *err = e;
        return -1;
    }
    /* a window that is exactly one local day reads the counters; any other counts visits
     * (an unknown site has no consultants either way) */
    int64_t local = day_start + (known ? (int64_t)site.utc_offset_min * 60000 : 0);
    bool whole_day = known && day_end - day_start == STORE_DAY_MS && local % STORE_DAY_MS == 0;
    sqlite3_stmt *st =
        store_stmt(s, STORE_AGG_STAFF, whole_day ? STAFF_CONSULTANTS_DAY : STAFF_CONSULTANTS);
    if (whole_day ? store_bind(s, st, err, "itiii", site_id, day, day_start, day_end,
                               local / STORE_DAY_MS)
                  : store_bind(s, st, err, "itii", site_id, day, day_start, day_end))
        return -1;
    int rc = 0;
    while (*n < cap && (rc = store_step(s, st, err)) == 1) {
        struct store_consultant *c = &out[*n];
        c->d.staff_id = store_col_int(st, 0);
        store_col_text(st, 1, c->name, sizeof c->name);
        c->d.last_assigned_at = store_col_int(st, 2);
        c->d.on_duty = store_col_int(st, 3) != 0;
        c->d.waiting = (int)store_col_int(st, 4);
        c->d.serving = (int)store_col_int(st, 5);
        c->d.serving_since = store_col_int(st, 6);
        (*n)++;
    }
    if (*n == cap)
        rc = 0;
    store_done(st);
    return rc < 0 ? -1 : 0;
}

int store_staff_failure_add(struct store *s, const char *staff_no, int64_t at,
                            struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_FAIL_ADD);
    if (store_bind(s, st, err, "ti", staff_no, at))
        return -1;
    return store_exec(s, st, err);
}

int store_staff_failures(struct store *s, const char *staff_no, int64_t since, int *count,
                         int64_t *last_at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_FAIL_COUNT);
    if (store_bind(s, st, err, "ti", staff_no, since))
        return -1;
    int rc = store_step(s, st, err);
    if (rc == 1) {
        *count = (int)store_col_int(st, 0);
        *last_at = store_col_int(st, 1);
    }
    store_done(st);
    if (rc == 0)
        return store_fault(s, "count of login failures returned no row", err);
    return rc < 0 ? -1 : 0;
}

int store_staff_failures_clear(struct store *s, const char *staff_no, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_FAIL_CLEAR);
    if (store_bind(s, st, err, "t", staff_no))
        return -1;
    return store_exec(s, st, err);
}

/* Normalises a comma-separated list of model codes (spaces dropped, empty items refused)
 * and checks each names a model. */
static int normalise_models(struct store *s, const char *in, char *out, size_t outsz,
                            struct proto_error *err)
{
    size_t n = 0;
    out[0] = '\0';
    const char *p = in;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        char code[PROTO_MAX_SHORT + 1];
        size_t k = 0;
        while (*p && *p != ',' && *p != ' ') {
            if (k + 1 >= sizeof code)
                return proto_error_set(err, PROTO_E_BAD_FIELD, "models", "model code too long");
            code[k++] = *p++;
        }
        code[k] = '\0';
        struct store_model m;
        struct proto_error e;
        if (store_models_find(s, code, &m, &e)) {
            if (e.code != PROTO_E_NOT_FOUND) {
                if (err)
                    *err = e;
                return -1;
            }
            return proto_error_set(err, PROTO_E_BAD_FIELD, "models", "unknown model \"%s\"", code);
        }
        int w = snprintf(out + n, outsz - n, "%s%s", n ? "," : "", code);
        if (w < 0 || (size_t)w >= outsz - n)
            return proto_error_set(err, PROTO_E_BAD_FIELD, "models", "too many models");
        n += (size_t)w;
    }
    return 0;
}

int store_staff_set_attrs(struct store *s, int64_t staff_id, const char *region, const char *models,
                          int ability, struct proto_error *err)
{
    struct store_staff p;
    if (store_staff_get(s, staff_id, &p, err))
        return -1;
    if (ability != 0 && (ability < 1 || ability > 5))
        return proto_error_set(err, PROTO_E_OUT_OF_RANGE, "ability", "ability is 1..5");
    if (region && store_copy_text(p.region, sizeof p.region, region, "region", err))
        return -1;
    if (models && normalise_models(s, models, p.models, sizeof p.models, err))
        return -1;
    if (ability)
        p.ability = ability;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_SET_ATTRS);
    if (store_bind(s, st, err, "ittd", staff_id, p.region, p.models, p.ability))
        return -1;
    return update_one(s, st, err);
}

int store_staff_candidates(struct store *s, int64_t site_id, enum domain_role role,
                           struct store_lead_candidate *out, size_t cap, size_t *n,
                           struct proto_error *err)
{
    const char *rn = domain_role_name(role);
    if (!rn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "role", "unknown role");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_STAFF, STAFF_CANDIDATES);
    if (store_bind(s, st, err, "it", site_id, rn))
        return -1;
    *n = 0;
    int rc;
    while ((rc = store_step(s, st, err)) == 1 && *n < cap) {
        struct store_lead_candidate *c = &out[(*n)++];
        c->staff_id = store_col_int(st, 0);
        store_col_text(st, 1, c->staff_no, sizeof c->staff_no);
        store_col_text(st, 2, c->name, sizeof c->name);
        store_col_text(st, 3, c->region, sizeof c->region);
        store_col_text(st, 4, c->models, sizeof c->models);
        c->ability = (int)store_col_int(st, 5);
        c->open_leads = (int)store_col_int(st, 6);
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

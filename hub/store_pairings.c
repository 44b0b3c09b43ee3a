/* Pairing codes (issue 9, hub/FLEET.md "Pairing"): a kiosk without a token shows a short code;
 * an administrator approves it, which creates the device; the hub then hands the kiosk its
 * token. One row per kiosk claim (the hash of the kiosk's claim secret). */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store_fleet.h"

#define PAIR_COLS                                                                           \
    "id, code, claim_hash, hostname, version, screen, peer, created_at, expires_at, state," \
    " coalesce(device_id, 0), approved_by, approved_at, done_at"

#define CODE_TRIES 8 /* fresh codes tried before giving up on a (very unlikely) clash */

static const char *const sql[] = {
    "DELETE FROM pairings WHERE state = 'pending' AND expires_at <= ?1",
    "SELECT " PAIR_COLS " FROM pairings WHERE claim_hash = ?1",
    "UPDATE pairings SET hostname = ?2, version = ?3, screen = ?4, peer = ?5 WHERE id = ?1",
    "DELETE FROM pairings WHERE id = ?1",
    "INSERT INTO pairings (code, claim_hash, hostname, version, screen, peer, created_at,"
    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "SELECT " PAIR_COLS " FROM pairings WHERE id = ?1",
    "SELECT " PAIR_COLS " FROM pairings WHERE code = ?1",
    "UPDATE pairings SET state = 'approved', device_id = ?2, approved_by = ?3, approved_at = ?4"
    " WHERE id = ?1 AND state = 'pending'",
    "UPDATE pairings SET state = 'done', done_at = ?2 WHERE id = ?1 AND state = 'approved'",
    "UPDATE devices SET token_hash = ?2 WHERE id = ?1",
    "SELECT " PAIR_COLS " FROM pairings WHERE state = 'pending' AND expires_at > ?1"
    " ORDER BY created_at, id",
};
enum {
    PAIR_PURGE,
    PAIR_BY_CLAIM,
    PAIR_REFRESH,
    PAIR_DELETE,
    PAIR_ADD,
    PAIR_GET,
    PAIR_BY_CODE,
    PAIR_APPROVE,
    PAIR_DONE,
    PAIR_DEVICE_TOKEN,
    PAIR_PENDING,
};
const struct store_sql_table store_pairings_sql = {"pairings", sql, sizeof sql / sizeof sql[0]};

static const char *const state_names[] = {"pending", "approved", "done"};

static void read_pairing(sqlite3_stmt *st, void *out)
{
    struct store_pairing *p = out;
    char state[16];
    p->id = store_col_int(st, 0);
    store_col_text(st, 1, p->code, sizeof p->code);
    store_col_text(st, 2, p->claim_hash, sizeof p->claim_hash);
    store_col_text(st, 3, p->hostname, sizeof p->hostname);
    store_col_text(st, 4, p->version, sizeof p->version);
    store_col_text(st, 5, p->screen, sizeof p->screen);
    store_col_text(st, 6, p->peer, sizeof p->peer);
    p->created_at = store_col_int(st, 7);
    p->expires_at = store_col_int(st, 8);
    store_col_text(st, 9, state, sizeof state);
    p->state = STORE_PAIRING_PENDING;
    for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
        if (strcmp(state, state_names[i]) == 0)
            p->state = (enum store_pairing_state)i;
    p->device_id = store_col_int(st, 10);
    store_col_text(st, 11, p->approved_by, sizeof p->approved_by);
    p->approved_at = store_col_int(st, 12);
    p->done_at = store_col_int(st, 13);
}

int store_pairing_code_normalize(const char *in, char out[STORE_PAIRING_CODE_LEN + 1],
                                 struct proto_error *err)
{
    size_t n = 0;
    out[0] = '\0';
    if (!in)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "code", "no pairing code given");
    for (const char *p = in; *p; p++) {
        char ch = *p;
        if (ch == ' ' || ch == '-')
            continue; /* people type the code as shown, "K7F 3QX", or as "K7F-3QX" */
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (!strchr(STORE_PAIRING_ALPHABET, ch))
            return proto_error_set(err, PROTO_E_BAD_FIELD, "code",
                                   "a pairing code has only the characters %s (no 0, 1, I, L, O)",
                                   STORE_PAIRING_ALPHABET);
        if (n == STORE_PAIRING_CODE_LEN)
            return proto_error_set(err, PROTO_E_BAD_FIELD, "code",
                                   "a pairing code has %d characters", STORE_PAIRING_CODE_LEN);
        out[n++] = ch;
    }
    out[n] = '\0';
    if (n != STORE_PAIRING_CODE_LEN) {
        out[0] = '\0';
        return proto_error_set(err, PROTO_E_BAD_FIELD, "code", "a pairing code has %d characters",
                               STORE_PAIRING_CODE_LEN);
    }
    return 0;
}

static void new_code(char out[STORE_PAIRING_CODE_LEN + 1])
{
    const uint32_t n = (uint32_t)(sizeof STORE_PAIRING_ALPHABET - 1);
    for (int i = 0; i < STORE_PAIRING_CODE_LEN; i++)
        out[i] = STORE_PAIRING_ALPHABET[randombytes_uniform(n)];
    out[STORE_PAIRING_CODE_LEN] = '\0';
}

/* The claim's row, if any: 1 found, 0 none, -1 error. */
static int by_claim(struct store *s, const char *claim_hash, struct store_pairing *out,
                    struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_BY_CLAIM);
    if (store_bind(s, st, err, "t", claim_hash))
        return -1;
    struct proto_error e;
    if (store_one(s, st, read_pairing, out, "pairing", &e) == 0)
        return 1;
    if (e.code == PROTO_E_NOT_FOUND)
        return 0;
    if (err)
        *err = e;
    return -1;
}

static int exec_id(struct store *s, int stmt, int64_t id, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, stmt);
    return store_bind(s, st, err, "i", id) || store_exec(s, st, err) ? -1 : 0;
}

static bool is_hex64(const char *h)
{
    if (!h || strlen(h) != STORE_HASH_HEX_LEN)
        return false;
    for (const char *p = h; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int store_pairings_open(struct store *s, const char *claim_hash, const char *hostname,
                        const char *screen, const char *version, const char *peer, int64_t now,
                        struct store_pairing *out, bool *created, struct proto_error *err)
{
    struct store_pairing p;
    if (created)
        *created = false;
    if (!is_hex64(claim_hash))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "claim",
                               "the claim hash is not 64 hex digits");
    struct {
        const char *v, *name;
        size_t max;
    } txt[] = {{hostname, "hostname", sizeof p.hostname - 1},
               {screen, "screen", sizeof p.screen - 1},
               {version, "version", sizeof p.version - 1},
               {peer, "peer", sizeof p.peer - 1}};
    for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++)
        if (txt[i].v && strlen(txt[i].v) > txt[i].max)
            return proto_error_set(err, PROTO_E_TOO_LONG, txt[i].name,
                                   "%s is longer than %zu bytes", txt[i].name, txt[i].max);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_PURGE);
    if (store_bind(s, st, err, "i", now) || store_exec(s, st, err))
        return -1;
    int found = by_claim(s, claim_hash, &p, err);
    if (found < 0)
        return -1;
    /* pending (and unexpired: purged above) or approved: the kiosk gets the same one again */
    if (found && p.state != STORE_PAIRING_DONE) {
        st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_REFRESH);
        if (store_bind(s, st, err, "itttt", p.id, hostname ? hostname : "", version ? version : "",
                       screen ? screen : "", peer ? peer : "") ||
            store_exec(s, st, err))
            return -1;
        return store_pairings_get(s, p.id, out, err);
    }
    for (int i = 0; i < CODE_TRIES; i++) {
        char code[STORE_PAIRING_CODE_LEN + 1];
        new_code(code);
        struct store_pairing clash;
        struct proto_error e;
        if (store_pairings_find_code(s, code, &clash, &e) == 0)
            continue; /* codes of done pairings stay taken: never show a used code again */
        if (e.code != PROTO_E_NOT_FOUND) {
            if (err)
                *err = e;
            return -1;
        }
        /* a done pairing is history: the kiosk lost its token and asks again (the claim is
         * unique); removed only now, so its code was still taken while a new one was drawn */
        if (found && exec_id(s, PAIR_DELETE, p.id, err))
            return -1;
        st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_ADD);
        if (store_bind(s, st, err, "ttttttii", code, claim_hash, hostname ? hostname : "",
                       version ? version : "", screen ? screen : "", peer ? peer : "", now,
                       now + (int64_t)STORE_PAIRING_TTL_MS) ||
            store_exec(s, st, err))
            return -1;
        if (created)
            *created = true;
        return store_pairings_get(s, store_last_id(s), out, err);
    }
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "no free pairing code; retry");
}

int store_pairings_get(struct store *s, int64_t id, struct store_pairing *out,
                       struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_GET);
    if (store_bind(s, st, err, "i", id))
        return -1;
    return store_one(s, st, read_pairing, out, "pairing", err);
}

int store_pairings_find_code(struct store *s, const char *code, struct store_pairing *out,
                             struct proto_error *err)
{
    char norm[STORE_PAIRING_CODE_LEN + 1];
    if (store_pairing_code_normalize(code, norm, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_BY_CODE);
    if (store_bind(s, st, err, "t", norm))
        return -1;
    return store_one(s, st, read_pairing, out, "pairing", err);
}

/* "14:02" in the site's local time (the administrator reads the kiosk's clock, not UTC). */
static void local_hhmm(int64_t at, int utc_offset_min, char *out, size_t outsz)
{
    time_t t = (time_t)((at + (int64_t)utc_offset_min * 60000) / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, outsz, "%H:%M", &tm) == 0)
        snprintf(out, outsz, "?");
}

/* Never a BLAKE2b hex digest (it has non-hex characters), so no token matches it; unique per
 * pairing, as devices.token_hash must be. */
static void placeholder_hash(int64_t pairing_id, char out[STORE_HASH_HEX_LEN + 1])
{
    char head[STORE_HASH_HEX_LEN + 1];
    snprintf(head, sizeof head, "pairing-%lld-", (long long)pairing_id);
    snprintf(out, STORE_HASH_HEX_LEN + 1, "%s", head);
    size_t n = strlen(out);
    memset(out + n, 'x', STORE_HASH_HEX_LEN - n);
    out[STORE_HASH_HEX_LEN] = '\0';
}

int store_pairings_approve(struct store *s, const char *code, int64_t site_id, const char *name,
                           enum domain_mode mode, const char *actor, int64_t now,
                           int64_t *device_id, struct proto_error *err)
{
    char norm[STORE_PAIRING_CODE_LEN + 1];
    struct store_pairing p;
    struct store_site site;
    struct store_device other;
    struct proto_error e;
    if (store_pairing_code_normalize(code, norm, err))
        return -1;
    if (mode == DOMAIN_MODE_API || !domain_mode_name(mode))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "mode",
                               "a kiosk's mode is reception, status, delivery or board");
    if (!name || !*name || strlen(name) > PROTO_MAX_NAME)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "name", "a device name has 1 to %d bytes",
                               PROTO_MAX_NAME);
    if (actor && strlen(actor) > sizeof p.approved_by - 1)
        return proto_error_set(err, PROTO_E_TOO_LONG, "actor", "the actor is too long");
    if (store_sites_get(s, site_id, &site, err))
        return -1;
    if (store_pairings_find_code(s, norm, &p, &e)) {
        if (e.code == PROTO_E_NOT_FOUND)
            return proto_error_set(err, PROTO_E_NOT_FOUND, "code",
                                   "no kiosk is showing pairing code %s", norm);
        if (err)
            *err = e;
        return -1;
    }
    if (p.state != STORE_PAIRING_PENDING)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "code",
                               "pairing code %s was already used", norm);
    if (p.expires_at <= now) {
        char hhmm[16];
        local_hhmm(p.expires_at, site.utc_offset_min, hhmm, sizeof hhmm);
        return proto_error_set(err, PROTO_E_INVALID_STATE, "code",
                               "pairing code %s expired at %s; the kiosk shows a new one", norm,
                               hhmm);
    }
    if (store_devices_find_by_name(s, site_id, name, &other, &e) == 0)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "name",
                               "site %s already has a device named \"%s\"", site.code, name);
    if (e.code != PROTO_E_NOT_FOUND) {
        if (err)
            *err = e;
        return -1;
    }
    char hash[STORE_HASH_HEX_LEN + 1];
    placeholder_hash(p.id, hash);
    int64_t dev = 0;
    if (store_devices_add(s, site_id, name, mode, hash, now, &dev, err))
        return -1;
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_APPROVE);
    if (store_bind(s, st, err, "iiti", p.id, dev, actor ? actor : "", now) ||
        store_exec(s, st, err))
        return -1;
    if (store_changes(s) != 1)
        return proto_error_set(err, PROTO_E_INVALID_STATE, "code",
                               "pairing code %s was already used", norm);
    char data[96];
    snprintf(data, sizeof data, "{\"pairing_id\":%lld,\"device_id\":%lld}", (long long)p.id,
             (long long)dev);
    if (store_events_append(s, site_id, "device.paired", now, data, NULL, err))
        return -1;
    if (device_id)
        *device_id = dev;
    return 0;
}

int store_pairings_done(struct store *s, int64_t pairing_id, const char *token_hash, int64_t now,
                        struct proto_error *err)
{
    struct store_pairing p;
    if (!is_hex64(token_hash))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "token_hash",
                               "a token hash is 64 lower-case hex digits");
    if (store_pairings_get(s, pairing_id, &p, err))
        return -1;
    if (p.state != STORE_PAIRING_APPROVED)
        return proto_error_set(err, PROTO_E_INVALID_STATE, NULL, "pairing %lld is %s, not approved",
                               (long long)pairing_id, state_names[p.state]);
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_DEVICE_TOKEN);
    if (store_bind(s, st, err, "it", p.device_id, token_hash) || store_exec(s, st, err))
        return -1;
    st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_DONE);
    if (store_bind(s, st, err, "ii", pairing_id, now) || store_exec(s, st, err))
        return -1;
    return 0;
}

int store_pairings_pending(struct store *s, int64_t now,
                           int (*cb)(void *ctx, const struct store_pairing *p), void *ctx,
                           struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_PAIRINGS, PAIR_PENDING);
    if (store_bind(s, st, err, "i", now))
        return -1;
    struct store_pairing p;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_pairing(st, &p);
        if (cb(ctx, &p) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}

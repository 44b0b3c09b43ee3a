/* The kiosk fleet's records (issue 9, migration 7; hub/FLEET.md): pairing codes, device
 * health, pushed configuration and remote commands. store.h's conventions apply (0 / -1 with
 * *err, nothing commits on its own, events appended in the caller's transaction).
 *
 * Events appended here (all site-scoped; PROTOCOL.md "Kiosk fleet" says who sees them):
 *   device.paired   {"pairing_id","device_id"}            internal: the hub hands out the token
 *   device.changed  {"device_id"}  (0: every device of the site)  internal: push device_config
 *   device.command  {"command_id","device_id","action"}   internal: the hub sends `control`
 *   device.online   {"device":{fleet row}}                 boards see it
 *   device.offline  {"device":{fleet row}}                 boards see it; also a webhook */
#ifndef SHOWFLOOR_STORE_FLEET_H
#define SHOWFLOOR_STORE_FLEET_H

#include "store.h"

#define STORE_PAIRING_TTL_MS   (15 * 60 * 1000) /* a code shown on a kiosk lives this long */
#define STORE_PAIRING_CODE_LEN 6                /* == PROTO_PAIR_CODE */
/* Code characters: no 0/O, 1/I/L look-alikes, so a code read off a screen is typed right. */
#define STORE_PAIRING_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* ---- pairing ---- */

enum store_pairing_state { STORE_PAIRING_PENDING, STORE_PAIRING_APPROVED, STORE_PAIRING_DONE };

struct store_pairing {
    int64_t id;
    char code[STORE_PAIRING_CODE_LEN + 1];
    char claim_hash[STORE_HASH_HEX_LEN + 1]; /* BLAKE2b-256 of the kiosk's claim secret */
    char hostname[PROTO_MAX_SHORT + 1];
    char version[PROTO_MAX_SHORT + 1];
    char screen[33];
    char peer[PROTO_MAX_SHORT + 1]; /* address the kiosk connected from */
    int64_t created_at, expires_at;
    enum store_pairing_state state;
    int64_t device_id; /* set once approved */
    char approved_by[PROTO_MAX_SHORT + 1];
    int64_t approved_at, done_at;
};

/* Normalises what a person typed ("k7f-3qx", "K7F 3QX") to the stored form ("K7F3QX").
 * 0, or -1 with PROTO_E_BAD_FIELD naming what is wrong (length, a character not in the
 * alphabet). Pure. */
int store_pairing_code_normalize(const char *in, char out[STORE_PAIRING_CODE_LEN + 1],
                                 struct proto_error *err);

/* A kiosk without a token asks to be paired. Returns its pairing: the one of this claim if
 * it is approved (not yet done) or pending and unexpired (hostname/screen/version/peer
 * refreshed), else a new pending one with a fresh random code valid STORE_PAIRING_TTL_MS
 * (*created true). Expired pending pairings are deleted first. */
int store_pairings_open(struct store *s, const char *claim_hash, const char *hostname,
                        const char *screen, const char *version, const char *peer, int64_t now,
                        struct store_pairing *out, bool *created, struct proto_error *err);
int store_pairings_get(struct store *s, int64_t id, struct store_pairing *out,
                       struct proto_error *err);
/* By code (normalised first). PROTO_E_NOT_FOUND if no pairing has it. */
int store_pairings_find_code(struct store *s, const char *code, struct store_pairing *out,
                             struct proto_error *err);
/* Binds a pending pairing to a new device (site, unique name, mode; a placeholder token hash
 * that no token matches until store_pairings_done) and appends device.paired.
 * PROTO_E_NOT_FOUND: no such code. PROTO_E_INVALID_STATE: the code expired (message says
 * when), or was already used. PROTO_E_INVALID_STATE also for a device name taken. */
int store_pairings_approve(struct store *s, const char *code, int64_t site_id, const char *name,
                           enum domain_mode mode, const char *actor, int64_t now,
                           int64_t *device_id, struct proto_error *err);
/* The hub handed the token out: the device gets its real token hash, the pairing is done.
 * PROTO_E_INVALID_STATE unless the pairing is approved. */
int store_pairings_done(struct store *s, int64_t pairing_id, const char *token_hash, int64_t now,
                        struct proto_error *err);
/* Pending, unexpired pairings (codes waiting for approval), oldest first. */
int store_pairings_pending(struct store *s, int64_t now,
                           int (*cb)(void *ctx, const struct store_pairing *p), void *ctx,
                           struct proto_error *err);

/* ---- health ---- */

/* What a heartbeat (or a connection) tells about a device. */
struct store_device_health {
    int64_t device_id;
    char hostname[PROTO_MAX_SHORT + 1]; /* "" keeps the stored value */
    char version[PROTO_MAX_SHORT + 1];  /* "" keeps */
    char screen[33];                    /* "" keeps */
    int64_t started_at;                 /* 0 keeps */
    int64_t frames;
    int64_t last_frame_at; /* 0 keeps */
    int64_t watchdog_restarts;
    int64_t last_watchdog_at; /* 0 keeps */
    int64_t seen_at;          /* last_seen */
};
/* Records heartbeats; a device that was offline goes online (appends device.online).
 * *events (may be NULL) gets how many events were appended. */
int store_devices_health(struct store *s, const struct store_device_health *h, size_t n,
                         int *events, struct proto_error *err);
/* A new authenticated connection at `now`: last_seen, client, and the day's reconnect count
 * (`local_day` is the site's day number: the count restarts on a new day; the first
 * connection of a day is not a reconnect). Goes online like store_devices_health. */
int store_devices_connected(struct store *s, int64_t id, const char *client, int64_t local_day,
                            int64_t now, int *events, struct proto_error *err);
/* Every online, unrevoked device whose last_seen is older than its site's offline_after_s
 * goes offline: device.offline appended and the payload queued for the site's webhook (when
 * one is set). *n (may be NULL) gets how many. */
int store_devices_mark_offline(struct store *s, int64_t now, int *n, struct proto_error *err);
/* The fleet row of a device as events, `device list --json` and GET /api/v1/devices show it:
 * {"id","name","site","mode","online","last_seen","online_changed_at","version","hostname",
 *  "screen","uptime_s" (null offline),"last_frame_at","reconnects_today","watchdog_restarts",
 *  "last_watchdog_at","maintenance","revoked"}. Caller frees. */
cJSON *store_devices_fleet_json(struct store *s, const struct store_device *d, int64_t now);

/* ---- configuration pushed to kiosks ----
 *
 * Keys (value text; validated here, wording from domain_rule.c style):
 *   idle_timeout_s    15..3600          default 60   customer screens back to attract
 *   language          zh | en           default zh   default language of customer screens
 *   theme             [a-z0-9_-]{1,32}  default "default"  assets/themes/<name>.ini
 *   night_dim         "" | HH:MM-HH:MM  default ""   dim the screen between these local times
 *   burnin_shift_min  0..60             default 3    minutes between pixel shifts (0 off)
 *   offline_after_s   10..86400         default 60   site only: silence before "offline"
 * A site sets them in site_texts as "kiosk.<key>"; a device overrides in devices.config. */

/* Sets (value non-NULL) or clears (NULL) a key for the site, and appends device.changed
 * {"device_id":0}. PROTO_E_BAD_FIELD unknown key, PROTO_E_OUT_OF_RANGE bad value. */
int store_fleet_site_config_set(struct store *s, int64_t site_id, const char *key,
                                const char *value, int64_t now, struct proto_error *err);
/* Same for one device (offline_after_s is site-only: PROTO_E_BAD_FIELD). */
int store_devices_config_set(struct store *s, int64_t device_id, const char *key, const char *value,
                             int64_t now, struct proto_error *err);
/* Switches mode / maintenance; appends device.changed {"device_id"}. Maintenance or mode
 * already as asked: PROTO_E_INVALID_STATE. Mode api is refused (a kiosk never becomes one). */
int store_devices_set_mode(struct store *s, int64_t device_id, enum domain_mode mode, int64_t now,
                           struct proto_error *err);
int store_devices_set_maintenance(struct store *s, int64_t device_id, bool on, int64_t now,
                                  struct proto_error *err);
/* The effective configuration (defaults <- site <- device) as the kiosk gets it:
 * {"mode","name","site","maintenance","idle_timeout_s","language","theme","night_dim",
 *  "burnin_shift_min","offline_after_s"}. Caller frees; NULL on a store error. */
cJSON *store_devices_config_json(struct store *s, const struct store_device *d,
                                 struct proto_error *err);

/* ---- remote commands ---- */

enum store_command_state {
    STORE_CMD_PENDING,
    STORE_CMD_SENT,
    STORE_CMD_DONE,
    STORE_CMD_FAILED,
};

struct store_device_command {
    int64_t id;
    int64_t device_id;
    char action[16]; /* reload | identify | restart | screenshot */
    enum store_command_state state;
    char detail[PROTO_MAX_TEXT + 1];
    size_t png_len; /* 0 none */
    char actor[PROTO_MAX_SHORT + 1];
    int64_t created_at, done_at;
};
/* Queues a command for a device and appends device.command. PROTO_E_BAD_FIELD unknown
 * action; PROTO_E_INVALID_STATE for a revoked device. */
int store_device_commands_add(struct store *s, int64_t device_id, const char *action,
                              const char *actor, int64_t now, int64_t *id, struct proto_error *err);
int store_device_commands_get(struct store *s, int64_t id, struct store_device_command *out,
                              struct proto_error *err);
/* The screenshot of a done command: *png malloc'd (caller frees), PROTO_E_NOT_FOUND if none. */
int store_device_commands_png(struct store *s, int64_t id, unsigned char **png, size_t *len,
                              struct proto_error *err);
/* pending -> sent (the hub wrote `control` to the kiosk). */
int store_device_commands_sent(struct store *s, int64_t id, int64_t now, struct proto_error *err);
/* pending|sent -> done (ok) or failed, with the detail and the PNG (screenshot; NULL none).
 * PROTO_E_INVALID_STATE if it already finished. */
int store_device_commands_finish(struct store *s, int64_t id, bool ok, const char *detail,
                                 const unsigned char *png, size_t png_len, int64_t now,
                                 struct proto_error *err);

#endif

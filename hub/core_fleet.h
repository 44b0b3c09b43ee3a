/* The kiosk fleet in the core (issue 9; hub/FLEET.md): what the network layer needs for
 * pairing, heartbeats, offline detection, pushed configuration and remote commands.
 * Hub thread only, like core.h. Every function that writes commits before it returns
 * (its own transaction; never inside a core_batch). */
#ifndef SHOWFLOOR_CORE_FLEET_H
#define SHOWFLOOR_CORE_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* ---- pairing (before authentication) ---- */

struct core_pairing {
    int64_t id;
    char code[PROTO_MAX_SHORT + 1];
    int64_t expires_at;
    bool approved; /* approved already: call core_pair_claim at once */
};

/* A `pair` frame (args validated by the protocol library) from `peer`: the claim's pairing,
 * new or reused (store_pairings_open). 0 with *out, -1 with *err. */
int core_pair_open(struct core *c, const cJSON *args, const char *peer, int64_t now,
                   struct core_pairing *out, struct proto_error *err);
/* Hands out the token of an approved pairing: a fresh random token whose hash is stored
 * (store_pairings_done), in one transaction. 1 with token (PROTO_MAX_TOKEN + 1 bytes) and
 * *dev filled; 0 if the pairing is still pending (nothing changed); -1 with *err. */
int core_pair_claim(struct core *c, int64_t pairing_id, int64_t now, char *token,
                    struct core_device *dev, struct proto_error *err);

/* ---- health ---- */

/* A heartbeat's args (validated) for device_id, kept by the session until flushed. */
struct core_heartbeat {
    int64_t device_id;
    int64_t frames, uptime_s, last_frame_at, watchdog_restarts, last_watchdog_at;
    char screen[33];
    char version[PROTO_MAX_SHORT + 1];
    char hostname[PROTO_MAX_SHORT + 1];
    int64_t at; /* hub time it arrived */
};
/* Fills hb from a heartbeat's args. Pure. */
void core_heartbeat_from_args(const cJSON *args, int64_t device_id, int64_t at,
                              struct core_heartbeat *hb);
/* Records heartbeats in one transaction (devices that come back go online). Returns how many
 * events were appended (the caller then fans out from the log), or -1 (logged). */
int core_fleet_heartbeats(struct core *c, const struct core_heartbeat *hb, size_t n);
/* A device authenticated on a new connection (reconnect count, online). Events as above. */
int core_fleet_connected(struct core *c, const struct core_device *dev, const char *client,
                         int64_t now);
/* Marks silent devices offline (store_devices_mark_offline). How many, or -1 (logged).
 * The hub's timer calls it every few seconds; tests call it with a moved clock. */
int core_fleet_check(struct core *c, int64_t now);

/* ---- configuration ---- */

/* The device's effective configuration (store_devices_config_json): auth_ok's
 * device.config and the `device_config` push. NULL on a store error. Caller frees. */
cJSON *core_device_config(struct core *c, int64_t device_id);
/* The device as it is stored now (mode may have changed since auth). 0 or -1. */
int core_device_get(struct core *c, int64_t device_id, struct core_device *out);

/* ---- remote commands ---- */

/* The hub wrote `control` to the device (sent) or could not (failed, with why). */
int core_control_sent(struct core *c, int64_t command_id, int64_t now);
int core_control_failed(struct core *c, int64_t command_id, const char *detail, int64_t now);
/* The kiosk's answer. The command must be this device's and not finished:
 * PROTO_E_NOT_FOUND / PROTO_E_INVALID_STATE otherwise. png may be NULL. 0 or -1 with *err. */
int core_control_result(struct core *c, const struct core_device *dev, int64_t command_id, bool ok,
                        const char *detail, const unsigned char *png, size_t png_len, int64_t now,
                        struct proto_error *err);
/* The command's action ("screenshot"...) and device, for the network layer. 0 or -1. */
int core_control_get(struct core *c, int64_t command_id, int64_t *device_id, char *action,
                     size_t actionsz);

/* ---- fleet view ---- */

/* {"devices":[fleet rows (store_devices_fleet_json)], "now"} of one site (0: all). NULL on a
 * store error. Caller frees. */
cJSON *core_fleet_json(struct core *c, int64_t site_id, int64_t now);

#endif

/* The kiosk's mirror of the hub state its mode needs, applied from the snapshot and the
 * events that follow it. Pure (no SDL, no network, no clock): the UI thread owns it and
 * tests drive it directly. Objects are kept as the hub's JSON (cJSON), one list per
 * collection, upserted by id ("ref" for wall items). */
#ifndef SHOWFLOOR_MODEL_H
#define SHOWFLOOR_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum model_mode {
    MODEL_RECEPTION,
    MODEL_STATUS,
    MODEL_DELIVERY,
    MODEL_BOARD,
};

struct model;

/* A mirror for one kiosk mode; NULL on out of memory. Caller frees with model_free. */
struct model *model_new(enum model_mode mode);
void model_free(struct model *m);

/* "reception" etc. to a mode; -1 if unknown. */
int model_mode_parse(const char *name);
const char *model_mode_name(enum model_mode mode);

/* Replaces everything with a snapshot's `state` at `seq`. Returns 0, or -1 when the state
 * is not an object (the model is left as it was). */
int model_apply_snapshot(struct model *m, int64_t seq, const cJSON *state);

/* Applies one event sent at `at` (UTC ms). Returns 1 when the model changed, 0 when the event was
 * ignored (an unknown kind, data this mode does not mirror, or seq <= the last applied seq, which
 * happens when a replay overlaps events already applied). */
int model_apply_event(struct model *m, int64_t seq, int64_t at, const char *kind,
                      const cJSON *data);

/* Forgets everything, e.g. when the hub's database was replaced (new hub_id). */
void model_clear(struct model *m);

/* Last applied seq; 0 before any snapshot or event. */
int64_t model_seq(const struct model *m);
/* True once a snapshot has been applied. */
bool model_ready(const struct model *m);

/* Borrowed views, valid until the next apply/clear. Lists are never NULL (empty arrays
 * before a snapshot); site is NULL before the first snapshot. */
const cJSON *model_site(const struct model *m);
const cJSON *model_visits(const struct model *m);
const cJSON *model_orders(const struct model *m);
const cJSON *model_wall(const struct model *m);
const cJSON *model_deliveries(const struct model *m);
const cJSON *model_consultants(const struct model *m);
const cJSON *model_models(const struct model *m);
/* Board only. The latest 20 staff.notify of the day, newest first, each the event's data
 * plus "seq" and "at"; open conflicts and open complaints (BoardConflict, BoardComplaint),
 * newest first, updated by their events. `overdue` (per holder) and `appointments` are as
 * of the snapshot: the events of leads do not say when a lead stops being overdue. */
const cJSON *model_notifications(const struct model *m);
const cJSON *model_conflicts(const struct model *m);
const cJSON *model_complaints(const struct model *m);
const cJSON *model_overdue(const struct model *m);
const cJSON *model_appointments(const struct model *m);
/* Board only: the site's screens (fleet rows: {"id","name","mode","online",
 * "online_changed_at","last_seen",...}) from the snapshot's "fleet", updated by
 * device.online / device.offline; a revoked screen leaves the list. */
const cJSON *model_fleet(const struct model *m);

/* Board only: the last board_stats answer (PROTOCOL.md "Board figures"), NULL before the
 * first; kept across reconnects (the view shows its age) and dropped by model_clear. */
#define MODEL_TREND_DAYS 14
const cJSON *model_board_stats(const struct model *m);
/* Keeps a copy of board_stats' data when it has the documented shape ("day", "now", "today"
 * with its five numbers, MODEL_TREND_DAYS trend days, league rows with their numbers), so
 * views read the numbers without checking each. 0, or -1 (the figures kept are unchanged). */
int model_set_board_stats(struct model *m, const cJSON *data);

/* Hub clock at the snapshot (UTC ms), 0 if none. */
int64_t model_snapshot_now(const struct model *m);

/* The name (in `lang_en` ? English : Chinese) of a model code from the snapshot's models;
 * the code itself when unknown. */
const char *model_model_name(const struct model *m, const char *code, bool lang_en);

#endif

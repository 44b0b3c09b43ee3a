/* Helpers shared by the lead, reception and complaint tests: the order fixture plus staff of
 * the roles issue 4 needs, lead creation, and readers for notifications and events. */
#ifndef SHOWFLOOR_TEST_CORE_FLOOR_FX_H
#define SHOWFLOOR_TEST_CORE_FLOOR_FX_H

#include "test_core_orders_fx.h"

#define LFX_MIN 60000LL
#define LFX_DAY (24 * OFX_HOUR)

struct lfx {
    struct ofx *o;
    struct cfx *f;
    struct core_staff tel;  /* T001 陈静, telesales (the fixture's t1), no region */
    struct core_staff tel2; /* T002 吴敏, telesales, region 浦东, expertise HX7 */
    struct core_staff mkt;  /* M001, marketing */
    struct core_staff svc;  /* V001, service desk */
    struct core_staff rec;  /* R001, reception */
    struct core_staff gm;   /* G001, a second manager: the general manager by setting */
    struct core_staff c3;   /* S003 刘洋, consultant resting today */
    struct core_device *reception;
};

struct lfx *lfx_new(void);
void lfx_free(struct lfx *l);
/* Every event's seq so far. */
int64_t lfx_seq(struct lfx *l);
/* staff.notify events after `since`: how many; staff ids and kinds of the first cap. */
int lfx_notified(struct lfx *l, int64_t since, int64_t *staff, char (*kinds)[40], int cap);
/* 1 if a staff.notify after `since` went to staff_id with kind. */
int lfx_told(struct lfx *l, int64_t since, int64_t staff_id, const char *kind);
/* Events of `kind` after `since`. */
int lfx_events(struct lfx *l, int64_t since, const char *kind);
/* lead_create as `st` (args JSON) -> the new lead's id. */
int64_t lfx_lead(struct lfx *l, const struct core_staff *st, const char *args);
/* The lead as the store has it. */
struct store_lead lfx_get_lead(struct lfx *l, int64_t id);
/* A check-in at the reception kiosk at o->now; returns the result data (kept until the next
 * ofx call). */
const cJSON *lfx_checkin(struct lfx *l, const char *phone);
const char *lfx_str(const cJSON *o, const char *key);
int64_t lfx_int(const cJSON *o, const char *key);
/* Row counts of every table a floor command may write, for "nothing changed". */
struct lfx_counts {
    int64_t n[20];
};
void lfx_counts(struct lfx *l, struct lfx_counts *out);
void lfx_same(const struct lfx_counts *a, const struct lfx_counts *b);
/* The event's view for a mode, printed (caller frees), or NULL when the mode may not see it.
 * The latest event of `kind`. */
char *lfx_view_text(struct lfx *l, const char *kind, enum domain_mode mode);

#endif

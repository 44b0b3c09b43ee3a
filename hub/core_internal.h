/* Private to hub/core*.c: the layout of struct core and the functions the core files share.
 * The network layer sees only core.h. */
#ifndef SHOWFLOOR_CORE_INTERNAL_H
#define SHOWFLOOR_CORE_INTERNAL_H

#include "core.h"
#include "store.h"

#define CORE_CONSENT_VERSION  "v1"  /* text of the consent shown at check-in */
#define CORE_MAX_CONSULTANTS  256   /* per site; more are ignored by check-in */
#define CORE_LOOKUP_MAX_FAILS 10    /* failed order lookups per device ... */
#define CORE_LOOKUP_WINDOW_MS 60000 /* ... within this window ... */
#define CORE_LOOKUP_BLOCK_MS  60000 /* ... block the device for this long */

/* Failed order lookups of one device, kept in memory only: a hub restart forgets them. */
struct core_lookup_fails {
    int64_t device_id;
    int64_t at[CORE_LOOKUP_MAX_FAILS]; /* ring of the latest failure times */
    int next;
    int64_t blocked_until;
};

struct core {
    struct store *store;
    int64_t staff_idle_ms;
    int replay_max;
    int64_t data_version;
    struct core_lookup_fails *lookups;
    size_t n_lookups, cap_lookups;
};

/* A site's local day around `now`: the site row, "YYYY-MM-DD" and [start, end) in UTC ms. */
struct core_day {
    struct store_site site;
    char day[STORE_DAY_LEN + 1];
    int64_t start, end;
};
int core_day(struct core *c, int64_t site_id, int64_t now, struct core_day *out,
             struct proto_error *err);

/* core_view.c: masked objects of PROTOCOL.md "Objects" from the store's full JSON. Each
 * returns a new object (caller frees) or NULL when out of memory. */
cJSON *core_view_visit(const cJSON *full);
cJSON *core_view_order(const cJSON *full);
cJSON *core_view_wall(const cJSON *full);
cJSON *core_view_model(const struct store_model *m);
/* Masked display name of a customer object {"name","gender","kind"} into out. */
void core_view_customer_name(const cJSON *customer, char *out, size_t outsz);
/* Copies src[key] into dst (null when absent). 0, or -1 when out of memory. */
int core_view_copy(cJSON *dst, const cJSON *src, const char *key);

/* Request handlers (core_request.c dispatches). `data` receives the result data. */
int core_checkin_run(struct core *c, const struct core_device *dev, const struct core_staff *staff,
                     const cJSON *args, int64_t now, cJSON **data, struct proto_error *err);
int core_orders_lookup(struct core *c, const struct core_device *dev,
                       const struct core_staff *staff, const cJSON *args, int64_t now, cJSON **data,
                       struct proto_error *err);

/* Sets err to PROTO_E_INTERNAL "out of memory" and returns -1. */
int core_oom(struct proto_error *err);

#endif

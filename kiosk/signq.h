/* The kiosk's offline sign-off queue: a small SQLite database (<state dir>/signoffs.db,
 * WAL, synchronous=FULL) holding each order_deliver request, with its command id, from the
 * moment the customer submits until the hub has answered it. A sign-off survives a hub
 * outage, a kiosk crash or a power cut, and is resent with its ORIGINAL id (the hub is
 * idempotent by id), so it is delivered exactly once. A row leaves the queue only after
 * an ok result; a definitive refusal keeps it, marked failed, for staff to read. One
 * connection, UI thread only. */
#ifndef SHOWFLOOR_SIGNQ_H
#define SHOWFLOOR_SIGNQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define SIGNQ_FILE "signoffs.db"

enum signq_state {
    SIGNQ_QUEUED, /* waiting to be (re)sent */
    SIGNQ_FAILED, /* the hub refused it for good: kept for staff */
};

struct signq_item {
    char id[PROTO_MAX_ID + 1];
    char order_no[PROTO_MAX_ORDER_NO + 1];
    char staff_no[PROTO_MAX_SHORT + 1];
    enum signq_state state;
    int64_t created_at; /* UTC ms */
    int attempts;
    char error_code[PROTO_MAX_SHORT + 1];
    char error_message[PROTO_MAX_TEXT + 1];
};

struct signq;

/* Opens (creating the directory, mode 0700, and the database) <dir>/signoffs.db. Refuses a
 * database made by a newer kiosk. NULL with a message in err. Close with signq_close. */
struct signq *signq_open(const char *dir, char *err, size_t errsz);
void signq_close(struct signq *q);

/* Stores a sign-off before it is sent; a second put of the same id keeps the first. 0, or
 * -1 (disk full, I/O error): the caller must then not claim it was saved. */
int signq_put(struct signq *q, const char *id, const char *order_no, const char *staff_no,
              const char *args_json, int64_t now);
/* The hub accepted it: forget it. 0 or -1. */
int signq_delete(struct signq *q, const char *id);
/* The hub refused it for good: keep it, marked failed with the hub's error. 0 or -1. */
int signq_fail(struct signq *q, const char *id, const char *code, const char *message);
/* Counts one more send attempt. 0 or -1. */
int signq_attempt(struct signq *q, const char *id);

/* Up to `max` items, oldest first; `staff_no` (NULL for all) and `state` (-1 for both)
 * filter. Returns how many were written, -1 on error. */
int signq_list(struct signq *q, const char *staff_no, int state, struct signq_item *out, int max);
/* Number of items in `state` (-1 for all). -1 on error. */
int signq_count(struct signq *q, int state);
/* The stored args JSON of `id`; caller frees with free(). NULL when absent or on error. */
char *signq_args(struct signq *q, const char *id);

#endif

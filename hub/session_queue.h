/* A session's outbound queue of encoded frames. A frame is shared, reference-counted, among
 * every session it is queued on (one encoding per event per mode), and carries LWS_PRE
 * bytes of headroom so lws_write() can add its header in place. Hub thread only. */
#ifndef SHOWFLOOR_SESSION_QUEUE_H
#define SHOWFLOOR_SESSION_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session_frame {
    int refs;
    bool is_event;   /* counts against max_pending_events and showfloor_events_sent_total */
    bool is_closing; /* the last frame: the connection closes once it is written */
    /* core_durable_written() when it was queued: written only once core_durable_synced()
     * has reached it (what it says may rest on commits not yet on disk) */
    uint64_t epoch;
    size_t len;          /* payload bytes at data() */
    unsigned char buf[]; /* LWS_PRE headroom, then len bytes of JSON, then NUL */
};

/* Takes ownership of `json` (malloc'd, from a proto_encode_* function; NULL is allowed and
 * gives NULL). Returns a frame with one reference, or NULL on OOM. */
struct session_frame *session_queue_frame_new(char *json, bool is_event);
unsigned char *session_queue_frame_data(struct session_frame *f);
void session_queue_frame_ref(struct session_frame *f);
void session_queue_frame_unref(struct session_frame *f); /* NULL is a no-op */

struct session_queue_item;

struct session_queue {
    struct session_queue_item *head, *tail;
    size_t frames;
    size_t events; /* frames with is_event */
    size_t bytes;
};

/* Appends f, taking a new reference, and raises its epoch to `epoch` (the commits written so
 * far: a frame shared by several sessions keeps the latest). 0, or -1 on OOM. */
int session_queue_push(struct session_queue *q, struct session_frame *f, uint64_t epoch);
/* Whether the first frame must wait: its epoch is past `synced`. */
bool session_queue_held(const struct session_queue *q, uint64_t synced);
/* Removes the first frame and hands its reference to the caller; NULL when empty. */
struct session_frame *session_queue_pop(struct session_queue *q);
/* Drops every queued frame. */
void session_queue_clear(struct session_queue *q);

/* Coalescing for bursts (fan-out under load): takes the leading frames of the queue, up to a
 * closing frame, a frame whose epoch is past `synced`, or SESSION_QUEUE_GATHER_MAX bytes, and lays
 * each out as a complete, unmasked WebSocket text frame (server to client, FIN set) in one buffer,
 * so one lws_write() with LWS_WRITE_RAW sends them all in one syscall instead of one per frame.
 * Returns the bytes at *out (a buffer owned by this module, with LWS_PRE bytes of headroom, valid
 * until the next call; hub thread only), or 0 when fewer than two frames could be taken (nothing is
 * popped then: write the head frame the ordinary way). *events gets the event frames taken. */
#define SESSION_QUEUE_GATHER_MAX 65536
size_t session_queue_gather(struct session_queue *q, uint64_t synced, unsigned char **out,
                            size_t *events);

#endif

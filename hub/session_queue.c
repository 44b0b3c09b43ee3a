/* Outbound frame queue of one session, with frames shared between sessions by refcount, and
 * the coalescing of a burst of queued frames into one write. */
#include "session_queue.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

struct session_queue_item {
    struct session_queue_item *next;
    struct session_frame *frame;
};

struct session_frame *session_queue_frame_new(char *json, bool is_event)
{
    if (!json)
        return NULL;
    size_t len = strlen(json);
    struct session_frame *f = malloc(sizeof *f + LWS_PRE + len + 1);
    if (f) {
        f->refs = 1;
        f->is_event = is_event;
        f->is_closing = false;
        f->epoch = 0;
        f->len = len;
        memcpy(f->buf + LWS_PRE, json, len + 1);
    }
    free(json);
    return f;
}

unsigned char *session_queue_frame_data(struct session_frame *f)
{
    return f->buf + LWS_PRE;
}

void session_queue_frame_ref(struct session_frame *f)
{
    f->refs++;
}

void session_queue_frame_unref(struct session_frame *f)
{
    if (f && --f->refs == 0)
        free(f);
}

int session_queue_push(struct session_queue *q, struct session_frame *f, uint64_t epoch)
{
    struct session_queue_item *it = malloc(sizeof *it);
    if (!it)
        return -1;
    session_queue_frame_ref(f);
    if (epoch > f->epoch)
        f->epoch = epoch;
    it->next = NULL;
    it->frame = f;
    if (q->tail)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->frames++;
    q->events += f->is_event;
    q->bytes += f->len;
    return 0;
}

bool session_queue_held(const struct session_queue *q, uint64_t synced)
{
    return q->head && q->head->frame->epoch > synced;
}

struct session_frame *session_queue_pop(struct session_queue *q)
{
    struct session_queue_item *it = q->head;
    if (!it)
        return NULL;
    q->head = it->next;
    if (!q->head)
        q->tail = NULL;
    struct session_frame *f = it->frame;
    free(it);
    q->frames--;
    q->events -= f->is_event;
    q->bytes -= f->len;
    return f;
}

void session_queue_clear(struct session_queue *q)
{
    struct session_frame *f;
    while ((f = session_queue_pop(q)))
        session_queue_frame_unref(f);
}

/* Bytes of the WebSocket header of an unmasked frame with this payload length (RFC 6455 5.2). */
static size_t ws_header_len(size_t len)
{
    return len < 126 ? 2 : len <= 0xffff ? 4 : 10;
}

static size_t ws_header(unsigned char *p, size_t len)
{
    p[0] = 0x81; /* FIN, text */
    if (len < 126) {
        p[1] = (unsigned char)len;
        return 2;
    }
    if (len <= 0xffff) {
        p[1] = 126;
        p[2] = (unsigned char)(len >> 8);
        p[3] = (unsigned char)len;
        return 4;
    }
    p[1] = 127;
    for (int i = 0; i < 8; i++)
        p[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    return 10;
}

/* Whether the frame can go into a burst: not the closing one, nor one that must wait. */
static bool gatherable(const struct session_frame *f, uint64_t synced)
{
    return !f->is_closing && f->epoch <= synced;
}

size_t session_queue_gather(struct session_queue *q, uint64_t synced, unsigned char **out,
                            size_t *events)
{
    static unsigned char buf[LWS_PRE + SESSION_QUEUE_GATHER_MAX];
    *events = 0;
    /* Only worth it, and only done, when at least two whole frames fit. */
    size_t need = 0;
    int n = 0;
    for (struct session_queue_item *it = q->head; it && n < 2; it = it->next, n++) {
        if (!gatherable(it->frame, synced))
            return 0;
        need += ws_header_len(it->frame->len) + it->frame->len;
    }
    if (n < 2 || need > SESSION_QUEUE_GATHER_MAX)
        return 0;
    size_t used = 0;
    while (q->head && gatherable(q->head->frame, synced)) {
        struct session_frame *f = q->head->frame;
        size_t h = ws_header_len(f->len);
        if (used + h + f->len > SESSION_QUEUE_GATHER_MAX)
            break;
        f = session_queue_pop(q);
        used += ws_header(buf + LWS_PRE + used, f->len);
        memcpy(buf + LWS_PRE + used, session_queue_frame_data(f), f->len);
        used += f->len;
        *events += f->is_event;
        session_queue_frame_unref(f);
    }
    *out = buf + LWS_PRE;
    return used;
}

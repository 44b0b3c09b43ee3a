/* Outbound frame queue of one session, with frames shared between sessions by refcount. */
#include "session_queue.h"

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

int session_queue_push(struct session_queue *q, struct session_frame *f)
{
    struct session_queue_item *it = malloc(sizeof *it);
    if (!it)
        return -1;
    session_queue_frame_ref(f);
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

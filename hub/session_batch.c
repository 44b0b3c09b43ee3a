/* Group commit in the network layer: a command decoded in one pass of the event loop is not
 * run at once but queued; a 0-delay lws_sul runs the queue at the start of the next pass
 * (lws services due timers before it polls), inside one core batch (core.h "group commit"):
 * one transaction, a savepoint per command, one COMMIT and so one fsync for all of them.
 * Only after that COMMIT returns are the results queued, then fan-out pushes the events:
 * no command is acknowledged, and no event sent, before it is on disk.
 *
 * The queue is module state: the hub runs one server on one thread. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"

struct session_batch_item {
    struct session_batch_item *next;
    struct session *s; /* NULL once the session has gone (session_batch_forget) */
    enum proto_type type;
    char *id;
    cJSON *args;
    int64_t now;
    double t0;
    int rc;
    cJSON *data;
    struct proto_error err;
};

static struct {
    struct server *srv;
    struct session_batch_item *head, *tail; /* waiting for the next pass */
    struct session_batch_item *running;     /* the batch being run */
    bool scheduled;
    lws_sorted_usec_list_t sul;
} session_batch;

static void session_batch_free(struct session_batch_item *it)
{
    free(it->id);
    cJSON_Delete(it->args);
    cJSON_Delete(it->data);
    free(it);
}

/* Runs every queued command in one batch, then answers them and fans out. */
static void session_batch_run(lws_sorted_usec_list_t *sul)
{
    struct server *srv = session_batch.srv;
    struct session_batch_item *list = session_batch.head;
    session_batch.head = session_batch.tail = NULL;
    session_batch.scheduled = false;
    session_batch.running = list;
    if (!list)
        return;

    struct proto_error berr = {0};
    int queued = 0;
    for (struct session_batch_item *it = list; it && queued < 2; it = it->next)
        queued += it->s && it->s->state == SESSION_READY;
    /* One command runs alone, in its own transaction: the same answer and the same one fsync
     * without a savepoint and its statement journal (a lone sender's every command). Busy
     * (another process writes): each command then opens its own transaction too. */
    bool batched = queued > 1 && core_batch_begin(srv->core, &berr) == 0;
    int n = 0;
    for (struct session_batch_item *it = list; it; it = it->next) {
        if (!it->s || it->s->state != SESSION_READY) {
            it->s = NULL; /* closing: not run, not answered; the client resends */
            continue;
        }
        it->rc = session_request_run_core(it->s, it->type, it->id, it->args, it->now, &it->data,
                                          &it->err);
        n++;
    }
    /* A lone command syncs here, on the loop: nothing else is waiting, and handing the sync
     * to the thread and being woken for the answer cost a lone sender a tenth of its rate.
     * A batch's answers wait for the thread (session.c holds them) while the loop reads the
     * next commands. A failed sync leaves the answers held; the loop then stops. */
    if (!batched && n == 1 && core_durable_flush(srv->core, &berr) != 0)
        session_release_held(srv);
    if (batched && core_batch_commit(srv->core, &berr) != 0) {
        log_error("hub", "group commit of %d commands failed: %s", n, berr.message);
        for (struct session_batch_item *it = list; it; it = it->next) {
            if (it->rc != 0)
                continue;
            cJSON_Delete(it->data);
            it->data = NULL;
            it->rc = -1;
            it->err = berr;
        }
    }
    for (struct session_batch_item *it = list; it; it = it->next) {
        if (it->s) {
            session_request_reply(it->s, it->type, it->id, it->rc, it->data, &it->err, it->t0);
            it->data = NULL; /* the reply took it */
        }
    }
    session_batch.running = NULL;
    while (list) {
        struct session_batch_item *next = list->next;
        session_batch_free(list);
        list = next;
    }
    /* The batch's events, after every result of the batch. */
    server_fanout(srv);
}

int session_batch_defer(struct session *s, const struct proto_msg *msg, int64_t now, double t0)
{
    if (!core_batch_is_command(msg->type))
        return -1;
    struct session_batch_item *it = calloc(1, sizeof *it);
    if (!it)
        return -1;
    it->s = s;
    it->type = msg->type;
    it->now = now;
    it->t0 = t0;
    it->id = msg->id ? strdup(msg->id) : NULL;
    it->args = msg->args ? cJSON_Duplicate(msg->args, 1) : NULL;
    if ((msg->id && !it->id) || (msg->args && !it->args)) {
        session_batch_free(it);
        return -1;
    }
    if (session_batch.tail)
        session_batch.tail->next = it;
    else
        session_batch.head = it;
    session_batch.tail = it;
    if (!session_batch.scheduled) {
        session_batch.srv = s->srv;
        session_batch.scheduled = true;
        lws_sul_schedule(s->srv->ctx, 0, &session_batch.sul, session_batch_run, 0);
    }
    return 0;
}

void session_batch_forget(struct session *s)
{
    for (struct session_batch_item *it = session_batch.running; it; it = it->next)
        if (it->s == s)
            it->s = NULL;
    struct session_batch_item **pp = &session_batch.head;
    session_batch.tail = NULL;
    while (*pp) {
        struct session_batch_item *it = *pp;
        if (it->s == s) {
            *pp = it->next;
            session_batch_free(it);
            continue;
        }
        session_batch.tail = it;
        pp = &it->next;
    }
    if (!session_batch.head && session_batch.scheduled) {
        lws_sul_cancel(&session_batch.sul);
        session_batch.scheduled = false;
    }
}

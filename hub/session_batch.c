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
    struct core_batch_cmd cmd; /* run, and its answer (core_batch_run) */
    char *text;                /* cmd.data printed, when the store's text serves the answer */
};

static struct {
    struct server *srv;
    struct session_batch_item *head, *tail; /* waiting for the next pass */
    struct session_batch_item *running;     /* the batch being run */
    bool scheduled;
    lws_sorted_usec_list_t sul;
    struct core_batch_cmd **cmds; /* the batch being run, for core_batch_run */
    size_t cap;
} session_batch;

static void session_batch_free(struct session_batch_item *it)
{
    free(it->id);
    cJSON_Delete(it->args);
    cJSON_Delete(it->cmd.data);
    free(it->text);
    free(it);
}

static int session_batch_item_run(void *arg, cJSON **data, struct proto_error *err)
{
    struct session_batch_item *it = arg;
    free(it->text); /* a second run (core.h): the first one's text went with its data */
    it->text = NULL;
    return session_request_run_core(it->s, it->type, it->id, it->args, it->now, data, &it->text,
                                    err);
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

    size_t n = 0;
    for (struct session_batch_item *it = list; it; it = it->next) {
        if (!it->s || it->s->state != SESSION_READY) {
            it->s = NULL; /* closing: not run, not answered; the client resends */
            continue;
        }
        if (n == session_batch.cap) {
            size_t cap = session_batch.cap ? 2 * session_batch.cap : 64;
            struct core_batch_cmd **m = realloc(session_batch.cmds, cap * sizeof *m);
            if (!m) { /* out of memory: answered as such, nothing run */
                proto_error_set(&it->cmd.err, PROTO_E_INTERNAL, NULL, "out of memory");
                it->cmd.rc = -1;
                continue;
            }
            session_batch.cmds = m;
            session_batch.cap = cap;
        }
        it->cmd.run = session_batch_item_run;
        it->cmd.arg = it;
        session_batch.cmds[n++] = &it->cmd;
    }
    core_batch_run(srv->core, session_batch.cmds, n);
    /* A lone command syncs here, on the loop: nothing else is waiting, and handing the sync
     * to the thread and being woken for the answer cost a lone sender a tenth of its rate.
     * Not when other answers are held: the thread is at work for them and takes this commit
     * along, and an fsync on the loop there (a sixth of the batches at 64 senders hold one
     * command) stalled everyone. A batch's answers wait for the thread (session.c holds
     * them) while the loop reads the next commands. A failed sync leaves the answers held;
     * the loop then stops. */
    struct proto_error serr;
    if (n == 1 && !srv->held)
        (void)core_durable_flush(srv->core, &serr); /* a failure is the syncer's: final */
    for (struct session_batch_item *it = list; it; it = it->next) {
        if (it->s) {
            session_request_reply(it->s, it->type, it->id, it->cmd.rc, it->cmd.data, it->text,
                                  &it->cmd.err, it->t0);
            it->cmd.data = NULL; /* the reply took both */
            it->text = NULL;
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

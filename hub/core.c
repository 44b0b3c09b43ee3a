/* The hub core's handle: open/close, identity, health, the event log as the network layer
 * reads it (after a seq, replay or snapshot, commits by other processes). */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_secret.h"
#include "core_sign.h"
#include "log.h"

#define DEFAULT_STAFF_IDLE_MS (5LL * 60 * 1000)
#define DEFAULT_REPLAY_MAX    5000

int core_oom(struct proto_error *err)
{
    return proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
}

int core_open(struct core **out, const struct core_options *opt, struct proto_error *err)
{
    *out = NULL;
    if (core_secret_init())
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "libsodium failed to start");
    struct core *c = calloc(1, sizeof *c);
    if (!c)
        return core_oom(err);
    c->staff_idle_ms = opt->staff_idle_ms > 0 ? opt->staff_idle_ms : DEFAULT_STAFF_IDLE_MS;
    c->replay_max = opt->replay_max > 0 ? opt->replay_max : DEFAULT_REPLAY_MAX;
    size_t kn = strlen(opt->db_path) + strlen(CORE_SIGN_KEY_SUFFIX) +
                (opt->signing_key_path ? strlen(opt->signing_key_path) : 0) + 1;
    if (!(c->sign_key_path = malloc(kn)) ||
        core_sign_key_path(opt->db_path, opt->signing_key_path, c->sign_key_path, kn)) {
        core_close(c);
        return core_oom(err);
    }
    if (store_open_with(&c->store, opt->db_path, opt->privacy, err) ||
        store_data_version(c->store, &c->data_version, err) ||
        (opt->checkpoint_thread && store_checkpointer_start(c->store, 0, &c->checkpointer, err))) {
        core_close(c);
        return -1;
    }
    *out = c;
    return 0;
}

void core_close(struct core *c)
{
    if (!c)
        return;
    store_syncer_stop(c->syncer);
    store_checkpointer_stop(c->checkpointer);
    store_close(c->store);
    core_sign_key_wipe(c->sign_key);
    free(c->sign_key);
    free(c->sign_key_path);
    free(c->lookups);
    free(c);
}

void core_checkpoint_counts(struct core *c, int64_t *by_thread, int64_t *inline_runs)
{
    store_checkpointer_counts(c->checkpointer, by_thread, inline_runs);
}

int core_durable_start(struct core *c, void (*synced_cb)(void *arg), void *arg,
                       struct proto_error *err)
{
    return store_syncer_start(c->store, synced_cb, arg, &c->syncer, err);
}

void core_durable_stop(struct core *c)
{
    store_syncer_stop(c->syncer);
    c->syncer = NULL;
}

uint64_t core_durable_written(struct core *c)
{
    return store_syncer_written(c->syncer);
}

uint64_t core_durable_synced(struct core *c)
{
    return store_syncer_synced(c->syncer);
}

void core_durable_kick(struct core *c)
{
    store_syncer_kick(c->syncer);
}

int core_durable_failed(struct core *c)
{
    return store_syncer_failed(c->syncer);
}

int core_durable_flush(struct core *c, struct proto_error *err)
{
    return store_syncer_flush(c->syncer, err);
}

void core_durable_counts(struct core *c, int64_t *by_thread, int64_t *inline_runs)
{
    store_syncer_counts(c->syncer, by_thread, inline_runs);
}

const char *core_hub_id(const struct core *c)
{
    return store_hub_id(c->store);
}

int core_health(struct core *c)
{
    int64_t seq;
    struct proto_error e;
    return store_events_last_seq(c->store, &seq, &e);
}

int core_poll_external(struct core *c)
{
    int64_t v;
    struct proto_error e;
    if (store_data_version(c->store, &v, &e))
        return 0;
    if (v == c->data_version)
        return 0;
    c->data_version = v;
    return 1;
}

int64_t core_last_seq(struct core *c)
{
    int64_t seq = 0;
    struct proto_error e;
    if (store_events_last_seq(c->store, &seq, &e))
        return 0;
    return seq;
}

struct after_ctx {
    bool (*needs)(void *ctx, int64_t seq, int64_t site_id, const char *kind);
    void (*cb)(void *ctx, const struct core_event *ev);
    void *ctx;
};

static int after_one(void *ctx, const struct store_event *sev)
{
    struct after_ctx *a = ctx;
    struct core_event ev = {
        .seq = sev->seq, .site_id = sev->site_id, .kind = sev->kind, .at = sev->at};
    if (a->needs && !a->needs(a->ctx, sev->seq, sev->site_id, sev->kind)) {
        a->cb(a->ctx, &ev);
        return 0;
    }
    cJSON *data = cJSON_Parse(sev->data);
    if (!data) {
        /* the schema admits only valid JSON, so this is memory: skip, loudly */
        log_error("core", "event %lld: cannot parse its data", (long long)sev->seq);
        return 0;
    }
    ev.data = data;
    a->cb(a->ctx, &ev);
    cJSON_Delete(data);
    return 0;
}

int core_events_after(struct core *c, int64_t since, int max,
                      void (*cb)(void *ctx, const struct core_event *ev), void *ctx)
{
    return core_events_after_lazy(c, since, max, NULL, cb, ctx);
}

int core_events_after_lazy(struct core *c, int64_t since, int max,
                           bool (*needs)(void *ctx, int64_t seq, int64_t site_id, const char *kind),
                           void (*cb)(void *ctx, const struct core_event *ev), void *ctx)
{
    struct after_ctx a = {needs, cb, ctx};
    struct proto_error e;
    return store_events_after(c->store, since, max, after_one, &a, &e);
}

int core_should_replay(struct core *c, int64_t since)
{
    if (since <= 0)
        return 0;
    int64_t last = 0, oldest = 0;
    struct proto_error e;
    if (store_events_last_seq(c->store, &last, &e) ||
        store_events_oldest_seq(c->store, &oldest, &e))
        return 0; /* a snapshot is always correct; the caller will see the store error there */
    if (since > last)
        return 0; /* the client knows a future: the database was restored or replaced */
    if (last - since > c->replay_max)
        return 0;
    if (since < last && oldest > since + 1)
        return 0; /* part of the gap was pruned from the log */
    return 1;
}

int core_day(struct core *c, int64_t site_id, int64_t now, struct core_day *out,
             struct proto_error *err)
{
    if (store_sites_get(c->store, site_id, &out->site, err))
        return -1;
    out->start = domain_day_start(now, out->site.utc_offset_min);
    out->end = out->start + 24LL * 60 * 60 * 1000;
    /* the local midnight, read as if it were UTC, gives the local calendar date */
    time_t t = (time_t)((out->start + (int64_t)out->site.utc_offset_min * 60000) / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out->day, sizeof out->day, "%Y-%m-%d", &tm) != STORE_DAY_LEN)
        return proto_error_set(err, PROTO_E_INTERNAL, NULL, "cannot format the local day");
    return 0;
}

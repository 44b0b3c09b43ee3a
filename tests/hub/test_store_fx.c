/* Shared fixture of the issue-4 store tests (see test_store_fx.h). */
#include "test_store_fx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int64_t add_staff(struct store_fx *f, int64_t site, const char *no, const char *name,
                         enum domain_role r)
{
    struct proto_error err;
    int64_t id;
    assert_int_equal(store_staff_add(f->s, site, no, name, r, "$argon2id$fake", &id, &err), 0);
    return id;
}

static int64_t add_customer(struct store_fx *f, const char *phone, const char *name)
{
    struct proto_error err;
    struct store_customer c;
    memset(&c, 0, sizeof c);
    snprintf(c.phone, sizeof c.phone, "%s", phone);
    snprintf(c.name, sizeof c.name, "%s", name);
    c.created_at = FX_NOW - 72 * FX_HOUR;
    int64_t id;
    assert_int_equal(store_customers_add(f->s, &c, &id, &err), 0);
    return id;
}

int store_fx_setup(void **state)
{
    struct store_fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/sf-test-store4-XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    struct proto_error err;
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_sites_add(f->s, "SH01", "上海浦东店", 480, &f->site, &err), 0);
    assert_int_equal(store_sites_add(f->s, "SH02", "上海徐汇店", 480, &f->other_site, &err), 0);
    f->telesales = add_staff(f, f->site, "S002", "陈静", DOMAIN_ROLE_TELESALES);
    f->telesales2 = add_staff(f, f->site, "S012", "黄丽", DOMAIN_ROLE_TELESALES);
    f->consultant = add_staff(f, f->site, "S003", "张伟", DOMAIN_ROLE_CONSULTANT);
    f->consultant2 = add_staff(f, f->site, "S004", "李娜", DOMAIN_ROLE_CONSULTANT);
    f->supervisor = add_staff(f, f->site, "S007", "赵敏", DOMAIN_ROLE_SUPERVISOR);
    f->manager = add_staff(f, f->site, "S008", "孙浩", DOMAIN_ROLE_MANAGER);
    f->gm = add_staff(f, f->site, "S020", "钱总", DOMAIN_ROLE_MANAGER);
    assert_int_equal(store_models_add(f->s, "XH7", "星河 7", "Xinghe 7", 18980000, NULL, &err), 0);
    assert_int_equal(store_models_add(f->s, "XH9", "星河 9", "Xinghe 9", 25980000, NULL, &err), 0);
    f->customer = add_customer(f, "13812345678", "刘芳");
    f->customer2 = add_customer(f, "13900001111", "王军");
    f->customer3 = add_customer(f, "13700002222", "赵云");
    assert_int_equal(store_commit(f->s, &err), 0);
    *state = f;
    return 0;
}

int store_fx_teardown(void **state)
{
    struct store_fx *f = *state;
    store_close(f->s);
    char p[96];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

struct ev_ctx {
    const char *kind;
    int n;
    cJSON *last;
};

static int count_ev(void *ctx, const struct store_event *ev)
{
    struct ev_ctx *c = ctx;
    if (strcmp(ev->kind, c->kind) != 0)
        return 0;
    c->n++;
    cJSON_Delete(c->last);
    c->last = cJSON_Parse(ev->data);
    return 0;
}

int store_fx_events(struct store *s, int64_t since, const char *kind, cJSON **last)
{
    struct ev_ctx c = {kind, 0, NULL};
    struct proto_error err;
    assert_true(store_events_after(s, since, 0, count_ev, &c, &err) >= 0);
    if (last)
        *last = c.last;
    else
        cJSON_Delete(c.last);
    return c.n;
}

int64_t store_fx_last_seq(struct store *s)
{
    int64_t seq = 0;
    struct proto_error err;
    assert_int_equal(store_events_last_seq(s, &seq, &err), 0);
    return seq;
}

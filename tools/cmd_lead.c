/* `showfloor lead import FILE.csv --site C [--channel DEFAULT]`: leads as a web platform
 * exports them, one transaction per row, every bad row reported by line and nothing of it
 * written; dedup by phone (merge into the customer's open lead), exact by external_ref, so a
 * second run imports nothing twice. `showfloor lead list`: the site's leads. */
#include "cmd_lead.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_direct.h"
#include "domain.h"

enum col {
    COL_NAME,
    COL_PHONE,
    COL_MODEL,
    COL_BUDGET,
    COL_CHANNEL,
    COL_REGION,
    COL_CREATED,
    COL_REF,
    COL__COUNT
};
static const char *const col_names[COL__COUNT] = {
    "name", "phone", "model", "budget", "channel", "region", "created_at", "external_ref"};
/* name, phone, model and budget must be in the header; the rest may be left out */
#define COL_REQUIRED 4

struct import {
    struct cli *c;
    struct store_site site;
    const char *default_channel;
    int col_of[COL__COUNT]; /* field index of each column, -1 absent */
    size_t ncols;
    int imported, merged, invalid, refused, unchanged;
};

enum outcome { OUT_IMPORTED, OUT_INVALID, OUT_MERGED, OUT_UNCHANGED };

static int parse_header(struct import *im, const struct cmd_lead_record *rec, char *why,
                        size_t whysz)
{
    for (int k = 0; k < COL__COUNT; k++)
        im->col_of[k] = -1;
    for (size_t i = 0; i < rec->n; i++) {
        const char *name = cmd_lead_trim(rec->field[i]);
        int k = 0;
        while (k < COL__COUNT && strcmp(name, col_names[k]) != 0)
            k++;
        if (k == COL__COUNT) {
            snprintf(why, whysz,
                     "unknown column \"%s\" (columns: name, phone, model, budget, "
                     "channel, region, created_at, external_ref)",
                     name);
            return -1;
        }
        if (im->col_of[k] >= 0) {
            snprintf(why, whysz, "column \"%s\" appears twice", name);
            return -1;
        }
        im->col_of[k] = (int)i;
    }
    for (int k = 0; k < COL_REQUIRED; k++)
        if (im->col_of[k] < 0) {
            snprintf(why, whysz, "the header has no \"%s\" column", col_names[k]);
            return -1;
        }
    im->ncols = rec->n;
    return 0;
}

static const char *field(const struct import *im, const struct cmd_lead_record *rec, enum col k)
{
    return im->col_of[k] < 0 ? "" : rec->field[im->col_of[k]];
}

/* A model by code, or by its Chinese or English name as platforms write it. */
struct model_match {
    const char *text;
    char code[PROTO_MAX_SHORT + 1];
};
static int match_model(void *ctx, const struct store_model *m)
{
    struct model_match *mm = ctx;
    if (!mm->code[0] && (strcmp(mm->text, m->name) == 0 || strcmp(mm->text, m->name_en) == 0))
        snprintf(mm->code, sizeof mm->code, "%s", m->code);
    return 0;
}

/* Has a lead of this customer at the site already recorded this inquiry? */
struct seen_ctx {
    struct store *s;
    const struct store_lead *in;
    int64_t created_at; /* 0: the row gave no time */
    int64_t lead_id;
    struct proto_error *err;
    int failed;
};
static int check_seen(void *ctx, const struct store_lead *l)
{
    struct seen_ctx *sc = ctx;
    bool seen = false;
    if (store_leads_seen(sc->s, l->id, sc->in->channel, sc->in->external_ref, sc->created_at, &seen,
                         sc->err)) {
        sc->failed = 1;
        return 1;
    }
    if (seen)
        sc->lead_id = l->id;
    return seen ? 1 : 0;
}

/* The telesales person the assignment rule picks for a new lead (0: nobody). */
static int pick_telesales(struct import *im, const struct store_lead *l, int64_t *to,
                          struct proto_error *err)
{
    struct store_lead_candidate cands[64];
    struct domain_assignee as[64];
    size_t n = 0;
    *to = 0;
    if (store_staff_candidates(im->c->store, im->site.id, DOMAIN_ROLE_TELESALES, cands, 64, &n,
                               err))
        return -1;
    for (size_t i = 0; i < n; i++)
        as[i] = (struct domain_assignee){cands[i].staff_id, cands[i].region, cands[i].models,
                                         cands[i].open_leads, cands[i].ability};
    if (n)
        domain_lead_assign(as, n, l->region, l->model_code, to);
    return 0;
}

/* Writes one checked row in the open transaction; *out says what happened. */
static int write_row(struct import *im, struct store_lead *l, const char *phone, bool has_time,
                     enum outcome *out, int64_t *lead_id, struct proto_error *err)
{
    struct store *s = im->c->store;
    int64_t now = im->c->now;
    struct store_customer cust;
    struct proto_error e;
    if (store_customers_find_by_phone(s, phone, &cust, &e) == 0) {
        l->customer_id = cust.id;
    } else if (e.code == PROTO_E_NOT_FOUND) {
        memset(&cust, 0, sizeof cust);
        snprintf(cust.phone, sizeof cust.phone, "%s", phone);
        snprintf(cust.name, sizeof cust.name, "%s", l->name);
        cust.created_at = l->created_at;
        cust.consent_at = l->created_at; /* given with the inquiry on the platform */
        snprintf(cust.consent_version, sizeof cust.consent_version, "%s", "v1");
        snprintf(cust.consent_purpose, sizeof cust.consent_purpose, "%s", "inquiry");
        if (store_customers_add(s, &cust, &l->customer_id, err))
            return -1;
    } else {
        *err = e;
        return -1;
    }
    /* exact: the platform's id was imported before */
    struct store_lead found;
    if (l->external_ref[0]) {
        if (store_leads_find_by_ref(s, im->site.id, l->external_ref, &found, &e) == 0) {
            *out = OUT_UNCHANGED;
            *lead_id = found.id;
            return 0;
        }
        if (e.code != PROTO_E_NOT_FOUND) {
            *err = e;
            return -1;
        }
    }
    /* the same inquiry already on one of the customer's leads (a second run) */
    struct seen_ctx sc = {s, l, has_time ? l->created_at : 0, 0, err, 0};
    struct store_lead_filter f = {
        .site_id = im->site.id, .status = -1, .customer_id = l->customer_id, .limit = 200};
    if (store_leads_list(s, &f, check_seen, &sc, NULL, &e) && !sc.lead_id) {
        if (!sc.failed)
            *err = e;
        return -1;
    }
    if (sc.lead_id) {
        *out = OUT_UNCHANGED;
        *lead_id = sc.lead_id;
        return 0;
    }
    /* dedup by phone: into the customer's open lead */
    if (store_leads_open_for_customer(s, l->customer_id, &found, &e) == 0) {
        *out = OUT_MERGED;
        *lead_id = found.id;
        return store_leads_merge(s, found.id, l, now, NULL, err);
    }
    if (e.code != PROTO_E_NOT_FOUND) {
        *err = e;
        return -1;
    }
    if (store_leads_add(s, l, lead_id, err))
        return -1;
    *out = l->status == STORE_LEAD_INVALID ? OUT_INVALID : OUT_IMPORTED;
    if (*out == OUT_INVALID)
        return 0;
    int64_t to = 0;
    if (pick_telesales(im, l, &to, err))
        return -1;
    return to ? store_leads_assign(s, *lead_id, to, 0, "import",
                                   domain_lead_first_callback_due(now), now, NULL, err)
              : 0;
}

static const char *const outcome_names[] = {"imported", "invalid", "merged", "unchanged"};

/* Checks and imports one record in its own transaction; reports a bad row. */
static void import_row(struct import *im, const struct cmd_lead_record *rec)
{
    char why[PROTO_MAX_TEXT];
    if (rec->n != im->ncols) {
        fprintf(stderr, "line %d: %zu fields, the header has %zu\n", rec->line, rec->n, im->ncols);
        im->refused++;
        return;
    }
    for (size_t i = 0; i < rec->n; i++) {
        cmd_lead_trim(rec->field[i]);
        if (!proto_utf8_valid(rec->field[i], strlen(rec->field[i]))) {
            fprintf(stderr, "line %d: field %zu is not UTF-8\n", rec->line, i + 1);
            im->refused++;
            return;
        }
    }
    const char *channel = field(im, rec, COL_CHANNEL);
    if (!*channel)
        channel = im->default_channel ? im->default_channel : "";
    if (!domain_channel_valid(channel)) {
        fprintf(stderr, "line %d: %s\n", rec->line,
                *channel ? "unknown channel (see PROTOCOL.md \"Channels\")"
                         : "no channel (add a channel column or --channel)");
        im->refused++;
        return;
    }
    struct store_lead l;
    memset(&l, 0, sizeof l);
    l.site_id = im->site.id;
    l.grade = 'B'; /* a new inquiry before anyone grades it (DOMAIN.md: B = within 3 months) */
    snprintf(l.channel, sizeof l.channel, "%s", channel);
    const char *created = field(im, rec, COL_CREATED);
    bool has_time = *created != '\0';
    l.created_at = im->c->now;
    if (has_time && cmd_lead_time(created, im->site.utc_offset_min, &l.created_at)) {
        fprintf(stderr, "line %d: created_at \"%s\" is not YYYY-MM-DD HH:MM[:SS]\n", rec->line,
                created);
        im->refused++;
        return;
    }
    const char *budget = field(im, rec, COL_BUDGET);
    bool bad_budget = *budget && cmd_lead_budget(budget, &l.budget_fen) != 0;
    const char *model = field(im, rec, COL_MODEL);
    struct domain_lead_input in = {
        field(im, rec, COL_NAME),   field(im, rec, COL_PHONE), model, l.budget_fen, channel,
        field(im, rec, COL_REGION), field(im, rec, COL_REF)};
    struct domain_lead_verdict v;
    struct proto_error err;
    if (domain_lead_validate(&in, &v, &err)) {
        fprintf(stderr, "line %d: %s%s%s\n", rec->line, err.field[0] ? err.field : "",
                err.field[0] ? ": " : "", err.message);
        im->refused++;
        return;
    }
    snprintf(l.name, sizeof l.name, "%s", in.name);
    snprintf(l.region, sizeof l.region, "%s", in.region);
    snprintf(l.external_ref, sizeof l.external_ref, "%s", in.external_ref);
    enum domain_lead_invalid reason = v.reason;
    if (*model) {
        struct model_match mm = {model, ""};
        if (store_models_find(im->c->store, model, &(struct store_model){0}, &err) == 0)
            snprintf(mm.code, sizeof mm.code, "%s", model);
        else if (store_models_list(im->c->store, match_model, &mm, &err))
            mm.code[0] = '\0';
        snprintf(l.model_code, sizeof l.model_code, "%s", mm.code);
        if (!mm.code[0] && reason == DOMAIN_LEAD_INVALID_NONE)
            reason = DOMAIN_LEAD_INVALID_UNKNOWN_MODEL;
    }
    if (reason != DOMAIN_LEAD_INVALID_NONE) {
        l.status = STORE_LEAD_INVALID;
        snprintf(l.invalid_reason, sizeof l.invalid_reason, "%s", domain_lead_invalid_name(reason));
    }

    enum outcome out = OUT_IMPORTED;
    int64_t lead_id = 0;
    char id_text[24];
    if (store_begin(im->c->store, &err) != 0 ||
        write_row(im, &l, v.phone, has_time, &out, &lead_id, &err) != 0) {
        store_rollback(im->c->store);
        fprintf(stderr, "line %d: %s\n", rec->line, err.message);
        im->refused++;
        return;
    }
    snprintf(id_text, sizeof id_text, "%lld", (long long)lead_id);
    char line_text[16];
    snprintf(line_text, sizeof line_text, "%d", rec->line);
    if (out != OUT_UNCHANGED &&
        (cmd_audit_kv(im->c, im->site.id, "lead", id_text, "lead_import",
                      (const char *const[]){"line", line_text, "phone", v.phone, "channel",
                                            l.channel, "result", outcome_names[out], NULL}) ||
         store_commit(im->c->store, &err) != 0)) {
        store_rollback(im->c->store);
        fprintf(stderr, "line %d: not written (%s)\n", rec->line, err.message);
        im->refused++;
        return;
    }
    if (out == OUT_UNCHANGED)
        store_rollback(im->c->store); /* only the customer could have been new: it was not */
    switch (out) {
    case OUT_IMPORTED:
        im->imported++;
        break;
    case OUT_INVALID:
        im->invalid++;
        snprintf(why, sizeof why, "%s", domain_lead_invalid_name_zh(reason));
        fprintf(stderr, "line %d: imported as invalid (flagged): %s (%s)%s%s%s\n", rec->line,
                domain_lead_invalid_name(reason), why, bad_budget ? ": budget \"" : "",
                bad_budget ? budget : "", bad_budget ? "\" is not an amount" : "");
        break;
    case OUT_MERGED:
        im->merged++;
        break;
    case OUT_UNCHANGED:
        im->unchanged++;
        break;
    }
}

static int lead_import(struct cli *c, int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: showfloor lead import FILE.csv --site C [--channel DEFAULT]\n");
        return CLI_USAGE;
    }
    const char *path = argv[0], *site_code, *channel = NULL;
    struct cli_opt opts[] = {{"site", 1, 0, &site_code}, {"channel", 0, 0, &channel}, {0}};
    if (cli_parse("lead import", argc - 1, argv + 1, opts) != 0)
        return CLI_USAGE;
    if (channel && !domain_channel_valid(channel)) {
        fprintf(stderr,
                "showfloor lead import: unknown --channel '%s' (see PROTOCOL.md "
                "\"Channels\")\n",
                channel);
        return CLI_USAGE;
    }
    struct import im = {.c = c, .default_channel = channel};
    if (cli_site(c, site_code, &im.site) != 0)
        return CLI_FAIL;
    struct cmd_lead_csv r;
    char why[PROTO_MAX_TEXT];
    if (cmd_lead_csv_open(&r, path, why, sizeof why)) {
        fprintf(stderr, "showfloor lead import: %s\n", why);
        return CLI_FAIL;
    }
    struct cmd_lead_record rec;
    int rc = cmd_lead_csv_record(&r, &rec, why, sizeof why);
    if (rc <= 0 || parse_header(&im, &rec, why, sizeof why)) {
        fprintf(stderr, "line 1: %s; nothing imported\n", rc == 0 ? "the file is empty" : why);
        cmd_lead_csv_close(&r);
        return CLI_FAIL;
    }
    while ((rc = cmd_lead_csv_record(&r, &rec, why, sizeof why)) != 0) {
        if (rc < 0) {
            fprintf(stderr, "line %d: %s\n", rec.line, why);
            im.refused++;
            continue;
        }
        import_row(&im, &rec);
    }
    cmd_lead_csv_close(&r);
    printf("imported %d, merged %d, invalid %d (flagged), refused %d, unchanged %d\n", im.imported,
           im.merged, im.invalid, im.refused, im.unchanged);
    return im.refused ? CLI_FAIL : CLI_OK;
}

static void local_time(int64_t at, int utc_offset_min, char out[20])
{
    time_t t = (time_t)((at + (int64_t)utc_offset_min * 60000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, 20, "%Y-%m-%d %H:%M", &tm) == 0)
        out[0] = 0;
}

struct list_ctx {
    struct cli *c;
    int utc_offset_min;
    int n;
};

static int print_lead(void *ctx, const struct store_lead *l)
{
    struct list_ctx *lc = ctx;
    struct proto_error err;
    struct store_customer cust;
    struct store_staff holder;
    char when[20], due[20] = "-";
    if (store_customers_get(lc->c->store, l->customer_id, &cust, &err))
        cust.phone[0] = '\0';
    int64_t hid = l->owner_id ? l->owner_id : l->telesales_id;
    if (!hid || store_staff_get(lc->c->store, hid, &holder, &err))
        snprintf(holder.staff_no, sizeof holder.staff_no, "-");
    local_time(l->created_at, lc->utc_offset_min, when);
    if (l->next_due_at)
        local_time(l->next_due_at, lc->utc_offset_min, due);
    printf("%5lld  %s  %-9s %c  %-11s %-12s %-13s %-5s %10.2f  %-5s due %s%s%s\n", (long long)l->id,
           when, store_lead_status_name(l->status), l->grade, cust.phone,
           l->name[0] ? l->name : "-", l->channel, l->model_code[0] ? l->model_code : "-",
           (double)l->budget_fen / 100.0, holder.staff_no, due,
           l->invalid_reason[0] ? "  invalid: " : "", l->invalid_reason);
    lc->n++;
    return 0;
}

static int lead_list(struct cli *c, int argc, char **argv)
{
    const char *site_code, *status = NULL, *grade = NULL;
    struct cli_opt opts[] = {
        {"site", 1, 0, &site_code}, {"status", 0, 0, &status}, {"grade", 0, 0, &grade}, {0}};
    if (cli_parse("lead list", argc, argv, opts) != 0)
        return CLI_USAGE;
    struct store_lead_filter f = {.status = -1, .limit = 200};
    if (status && (f.status = store_lead_status_from_name(status)) < 0) {
        fprintf(stderr, "showfloor lead list: --status is open, invalid, converted or lost\n");
        return CLI_USAGE;
    }
    if (grade && (strlen(grade) != 1 || !domain_grade_valid(grade[0]))) {
        fprintf(stderr, "showfloor lead list: --grade is one of H A B F L O\n");
        return CLI_USAGE;
    }
    f.grade = grade ? grade[0] : 0;
    struct store_site site;
    if (cli_site(c, site_code, &site) != 0)
        return CLI_FAIL;
    f.site_id = site.id;
    struct list_ctx lc = {c, site.utc_offset_min, 0};
    struct proto_error err;
    int total = 0;
    do {
        if (store_leads_list(c->store, &f, print_lead, &lc, &total, &err))
            return cli_fail("lead list", &err);
        f.offset += f.limit;
    } while (f.offset < total);
    fprintf(stderr, "%d lead(s)\n", lc.n);
    return CLI_OK;
}

int cmd_lead(struct cli *c, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "import") == 0)
        return lead_import(c, argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "list") == 0)
        return lead_list(c, argc - 1, argv + 1);
    fprintf(stderr, "usage: showfloor lead import FILE.csv --site C [--channel DEFAULT] | "
                    "lead list --site C [--status S] [--grade G]\n");
    return CLI_USAGE;
}

/* Migration 8's C step (personal data at rest): what was written in the clear before it is
 * brought under the rule of hub/PRIVACY.md inside the migration's transaction. Customers are
 * sealed (store_customers_seal_legacy); the event log and the stored command results keep
 * customers only as masked objects (domain_privacy_mask). The audit trail is hash-chained
 * and is left as it is: it never held more than ids and stages. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "domain_privacy.h"
#include "log.h"

/* Rewrites each row of `select` (nkeys key columns, then the JSON text) whose JSON names a
 * customer with the masked JSON through `update` (?1 the text, ?2.. the keys). *n counts
 * the rows rewritten. */
static int mask_rows(struct store *s, const char *select, int nkeys, const char *update, int64_t *n,
                     struct proto_error *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = -1, step;
    if (sqlite3_prepare_v2(s->db, select, -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, update, -1, &upd, NULL) != SQLITE_OK) {
        store_fault(s, "migration 8: prepare the masking", err);
        goto out;
    }
    /* the update rewrites the column the select reads, never the rowid it walks by */
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(sel, nkeys);
        if (!text || !strstr(text, "\"customer"))
            continue;
        cJSON *root = cJSON_Parse(text);
        if (!root)
            continue; /* not JSON (version 7's CHECK kept it out): nothing to mask */
        char *masked = NULL;
        if (domain_privacy_mask(root) == 0)
            masked = cJSON_PrintUnformatted(root);
        cJSON_Delete(root);
        if (!masked) {
            proto_error_set(err, PROTO_E_INTERNAL, NULL, "out of memory");
            goto out;
        }
        int same = strcmp(masked, text) == 0;
        int wrc = 0;
        if (!same) {
            wrc = sqlite3_bind_text(upd, 1, masked, -1, SQLITE_TRANSIENT) != SQLITE_OK;
            for (int k = 0; k < nkeys && !wrc; k++)
                wrc = sqlite3_bind_value(upd, 2 + k, sqlite3_column_value(sel, k)) != SQLITE_OK;
            if (!wrc && sqlite3_step(upd) != SQLITE_DONE)
                wrc = 1;
        }
        sqlite3_reset(upd);
        free(masked);
        if (wrc) {
            store_fault(s, "migration 8: mask a row", err);
            goto out;
        }
        *n += !same;
    }
    if (step != SQLITE_DONE) {
        store_fault(s, "migration 8: read rows to mask", err);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc;
}

/* Leads keep the name as the inquiry typed it: sealed under the customer's key now. */
static int seal_lead_names(struct store *s, struct proto_error *err)
{
    if (sqlite3_exec(s->db,
                     "UPDATE leads SET name_sealed = sf_seal(name, (SELECT key_id FROM customers"
                     " WHERE id = leads.customer_id), 'lead_name'), name = '' WHERE name <> ''",
                     NULL, NULL, NULL) != SQLITE_OK)
        return store_fault(s, "migration 8: seal lead names", err);
    return 0;
}

int store_migrate8_post(struct store *s, struct proto_error *err)
{
    int64_t events = 0, commands = 0;
    if (store_customers_seal_legacy(s, err) || seal_lead_names(s, err) ||
        mask_rows(s, "SELECT seq, data FROM events ORDER BY seq", 1,
                  "UPDATE events SET data = ?1 WHERE seq = ?2", &events, err) ||
        mask_rows(s, "SELECT device_id, cmd_id, result FROM commands", 2,
                  "UPDATE commands SET result = ?1 WHERE device_id = ?2 AND cmd_id = ?3", &commands,
                  err))
        return -1;
    if (events || commands)
        log_info("store", "migration 8 masked customers in %lld event(s), %lld command result(s)",
                 (long long)events, (long long)commands);
    return 0;
}

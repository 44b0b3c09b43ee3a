/* Numbered schema migrations, recorded in PRAGMA user_version. Each runs in one IMMEDIATE
 * transaction together with its user_version bump, so a crash leaves the old or the new
 * schema, never half. A database newer than this program is refused, never "upgraded down".
 *
 * Policy (hub/STORE.md): never edit a released migration; add the next number. Each entry
 * carries a compatibility note: what an older program sees if it meets the new schema. */
#include "store_internal.h"

#include <stdio.h>

#include "log.h"

struct migration {
    int version;
    const char *note; /* compatibility */
    const char *sql;
    /* Rebuilds a table other tables refer to: run with foreign_keys OFF (it can only be
     * switched outside a transaction), then PRAGMA foreign_key_check before COMMIT. */
    bool rebuilds_referenced;
    /* Optional C step run after sql inside the same transaction (before the foreign key
     * check and the user_version bump), for what SQL alone cannot do: sealing with keys. */
    int (*post)(struct store *s, struct proto_error *err);
};

/* Byte-length checks keep stored text within the fixed buffers of store.h. */
#define BYTES(col, lo, hi) "length(CAST(" col " AS BLOB)) BETWEEN " #lo " AND " #hi

/* Migration 2: the order life cycle (issue 3). Written out without the BYTES() macro so the
 * formatter leaves it readable; length checks match the buffers in store.h. */
// clang-format off
static const char migration2_sql[] =
    /* devices: allow mode 'api'. SQLite cannot alter a CHECK, so the table is rebuilt the
     * documented way (new table, copy, drop, rename) with foreign keys off: visits,
     * commands and sign-offs keep referring to the same ids. */
    "CREATE TABLE devices_new ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 96),"
    "  mode TEXT NOT NULL CHECK (mode IN ('reception', 'status', 'delivery', 'board', 'api')),"
    "  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL DEFAULT 0,"
    "  client TEXT NOT NULL DEFAULT '' CHECK (length(CAST(client AS BLOB)) BETWEEN 0 AND 64),"
    "  revoked_at INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (site_id, name)"
    ");"
    "INSERT INTO devices_new (id, site_id, name, mode, token_hash, created_at, last_seen,"
    "  client, revoked_at)"
    "  SELECT id, site_id, name, mode, token_hash, created_at, last_seen, client, revoked_at"
    "  FROM devices;"
    "DROP TABLE devices;"
    "ALTER TABLE devices_new RENAME TO devices;"

    /* orders: every sub-state of the life cycle */
    "ALTER TABLE orders ADD COLUMN config TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(config AS BLOB)) <= 96);"
    "ALTER TABLE orders ADD COLUMN special_requests TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(special_requests AS BLOB)) <= 1000);"
    "ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(channel AS BLOB)) <= 64);"
    "ALTER TABLE orders ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN expected_delivery_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN alloc_kind TEXT NOT NULL DEFAULT ''"
    "  CHECK (alloc_kind IN ('', 'stock', 'factory'));"
    "ALTER TABLE orders ADD COLUMN vin TEXT NOT NULL DEFAULT ''"
    "  CHECK (vin = '' OR length(vin) = 17);"
    "ALTER TABLE orders ADD COLUMN prep_cleaning_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN prep_inspection_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN prep_maintenance_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN invoice_no TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(invoice_no AS BLOB)) <= 64);"
    "ALTER TABLE orders ADD COLUMN loan_documents_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN loan_approved_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN loan_contract_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN down_payment_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (down_payment_fen >= 0);"
    "ALTER TABLE orders ADD COLUMN loan_disbursed_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (loan_disbursed_fen >= 0);"
    "ALTER TABLE orders ADD COLUMN doc_invoice_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN doc_coc_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN doc_warranty_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN refund_due_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (refund_due_fen >= 0);"
    "ALTER TABLE orders ADD COLUMN refunded_fen INTEGER NOT NULL DEFAULT 0"
    "  CHECK (refunded_fen >= 0);"
    "ALTER TABLE orders ADD COLUMN entered_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN initial_decided_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN reviewed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN final_decided_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN eta_changed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN eta_notified_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN closed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE orders ADD COLUMN review_conditions TEXT NOT NULL DEFAULT ''"
    "  CHECK (review_conditions = '' OR (json_valid(review_conditions)"
    "  AND length(CAST(review_conditions AS BLOB)) <= 255));"
    "ALTER TABLE orders ADD COLUMN last_reason TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(last_reason AS BLOB)) <= 1000);"
    /* Orders from version 1 get the stamps their stage implies, so no old order shows a
     * missed time limit it could never have met: entered when created, reviewed and
     * decided when approved (else when last updated), closed/cancelled when last updated. */
    "UPDATE orders SET entered_at = created_at;"
    "UPDATE orders SET initial_decided_at = CASE WHEN approved_at > 0 THEN approved_at"
    "  ELSE updated_at END WHERE stage <> 'entered';"
    "UPDATE orders SET reviewed_at = initial_decided_at WHERE stage NOT IN ('entered', 'returned');"
    "UPDATE orders SET final_decided_at = initial_decided_at"
    "  WHERE stage IN ('approved', 'allocated', 'paid', 'ready', 'delivered', 'closed')"
    "  OR (stage = 'cancelled' AND approved_at > 0);"
    "UPDATE orders SET closed_at = updated_at WHERE stage = 'closed';"
    "UPDATE orders SET cancelled_at = updated_at WHERE stage = 'cancelled';"
    "CREATE INDEX orders_site_created ON orders (site_id, created_at);"

    /* inventory */
    "CREATE TABLE vehicles ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  vin TEXT NOT NULL UNIQUE CHECK (length(vin) = 17 AND vin NOT GLOB '*[^A-HJ-NPR-Z0-9]*'),"
    "  model_code TEXT NOT NULL REFERENCES models(code),"
    "  colour TEXT NOT NULL DEFAULT '' CHECK (length(CAST(colour AS BLOB)) <= 64),"
    "  state TEXT NOT NULL CHECK (state IN ('in_stock', 'reserved', 'delivered')),"
    "  order_id INTEGER REFERENCES orders(id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK ((state = 'in_stock') = (order_id IS NULL))"
    ");"
    "CREATE INDEX vehicles_site_state ON vehicles (site_id, state, model_code);"
    "CREATE INDEX vehicles_order ON vehicles (order_id);"

    /* money */
    "CREATE TABLE payments ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL REFERENCES orders(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('deposit', 'balance', 'down_payment',"
    "    'loan_disbursement')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  reference TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reference AS BLOB)) <= 64),"
    "  at INTEGER NOT NULL,"
    "  staff_id INTEGER REFERENCES staff(id)"
    ");"
    "CREATE INDEX payments_order ON payments (order_id, id);"
    "CREATE TABLE refunds ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL REFERENCES orders(id),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  reference TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reference AS BLOB)) <= 64),"
    "  at INTEGER NOT NULL,"
    "  staff_id INTEGER REFERENCES staff(id)"
    ");"
    "CREATE INDEX refunds_order ON refunds (order_id, id);"

    /* change and cancellation requests: one table, at most one open of each kind */
    "CREATE TABLE order_requests ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL REFERENCES orders(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('change', 'cancel')),"
    "  changes TEXT CHECK (changes IS NULL OR (json_valid(changes)"
    "    AND length(CAST(changes AS BLOB)) <= 8192)),"
    "  reason TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reason AS BLOB)) <= 1000),"
    "  needs_manager INTEGER NOT NULL DEFAULT 0 CHECK (needs_manager IN (0, 1)),"
    "  requested_by INTEGER REFERENCES staff(id),"
    "  requested_at INTEGER NOT NULL,"
    "  supervisor_decision TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (supervisor_decision IN ('none', 'approved', 'rejected')),"
    "  supervisor_id INTEGER REFERENCES staff(id),"
    "  supervisor_at INTEGER NOT NULL DEFAULT 0,"
    "  supervisor_reason TEXT NOT NULL DEFAULT ''"
    "    CHECK (length(CAST(supervisor_reason AS BLOB)) <= 1000),"
    "  manager_decision TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (manager_decision IN ('none', 'approved', 'rejected')),"
    "  manager_id INTEGER REFERENCES staff(id),"
    "  manager_at INTEGER NOT NULL DEFAULT 0,"
    "  manager_reason TEXT NOT NULL DEFAULT ''"
    "    CHECK (length(CAST(manager_reason AS BLOB)) <= 1000),"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'approved', 'rejected', 'applied')),"
    "  closed_at INTEGER NOT NULL DEFAULT 0,"
    "  CHECK ((kind = 'change') = (changes IS NOT NULL))"
    ");"
    "CREATE INDEX order_requests_order ON order_requests (order_id, id);"
    "CREATE UNIQUE INDEX order_requests_open ON order_requests (order_id, kind)"
    "  WHERE state IN ('pending', 'approved');"

    /* communication log */
    "CREATE TABLE order_notes ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL REFERENCES orders(id),"
    "  way TEXT NOT NULL CHECK (way IN ('phone', 'email', 'face_to_face', 'sms', 'wechat')),"
    "  summary TEXT NOT NULL CHECK (length(CAST(summary AS BLOB)) BETWEEN 1 AND 1000),"
    "  customer_visible INTEGER NOT NULL CHECK (customer_visible IN (0, 1)),"
    "  staff_id INTEGER REFERENCES staff(id),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX order_notes_order ON order_notes (order_id, at);"

    /* delivery sign-offs: written once, never changed */
    "CREATE TABLE signoffs ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  device_id INTEGER REFERENCES devices(id),"
    "  at INTEGER NOT NULL,"
    "  checklist TEXT NOT NULL CHECK (json_valid(checklist)"
    "    AND length(CAST(checklist AS BLOB)) <= 4096),"
    "  strokes TEXT NOT NULL CHECK (json_valid(strokes)),"
    "  png_sha256 TEXT NOT NULL DEFAULT '' CHECK (png_sha256 = '' OR length(png_sha256) = 64),"
    "  rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),"
    "  comment TEXT NOT NULL DEFAULT '' CHECK (length(CAST(comment AS BLOB)) <= 1000),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "CREATE TRIGGER signoffs_never_updated BEFORE UPDATE ON signoffs"
    "  BEGIN SELECT RAISE(ABORT, 'delivery sign-offs are never changed'); END;"
    "CREATE TRIGGER signoffs_never_deleted BEFORE DELETE ON signoffs"
    "  BEGIN SELECT RAISE(ABORT, 'delivery sign-offs are never deleted'); END;"

    /* time limits */
    "CREATE TABLE site_settings ("
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  key TEXT NOT NULL CHECK (length(CAST(key AS BLOB)) BETWEEN 1 AND 64),"
    "  value INTEGER NOT NULL,"
    "  PRIMARY KEY (site_id, key)"
    ") WITHOUT ROWID;"
    "CREATE TABLE sla_breaches ("
    "  order_id INTEGER NOT NULL REFERENCES orders(id),"
    "  kind TEXT NOT NULL CHECK (length(CAST(kind AS BLOB)) BETWEEN 1 AND 64),"
    "  due_at INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (order_id, kind)"
    ") WITHOUT ROWID;"

    /* audit trail: AUTOINCREMENT so an id is never reused after a deleted tail; the head
     * (last id and hash) is also kept in meta so a deleted tail is noticed */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  site_id INTEGER NOT NULL DEFAULT 0,"
    "  actor TEXT NOT NULL CHECK (length(CAST(actor AS BLOB)) BETWEEN 1 AND 64),"
    "  entity TEXT NOT NULL CHECK (length(CAST(entity AS BLOB)) BETWEEN 1 AND 64),"
    "  entity_id TEXT NOT NULL CHECK (length(CAST(entity_id AS BLOB)) <= 64),"
    "  action TEXT NOT NULL CHECK (length(CAST(action AS BLOB)) BETWEEN 1 AND 64),"
    "  before TEXT CHECK (before IS NULL OR json_valid(before)),"
    "  after TEXT CHECK (after IS NULL OR json_valid(after)),"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "CREATE INDEX audit_entity ON audit (entity, entity_id, id);"
    "INSERT INTO meta (key, value) VALUES ('audit_head',"
    "  '0 0000000000000000000000000000000000000000000000000000000000000000');";
// clang-format on

/* Migration 3: leads, reception, conflicts, complaints (issue 4). Only added columns and
 * new tables: no CHECK changes, so no table is rebuilt. */
// clang-format off
static const char migration3_sql[] =
    /* staff: what lead assignment weighs */
    "ALTER TABLE staff ADD COLUMN region TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(region AS BLOB)) <= 64);"
    "ALTER TABLE staff ADD COLUMN models TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(models AS BLOB)) <= 255);"
    "ALTER TABLE staff ADD COLUMN ability INTEGER NOT NULL DEFAULT 3"
    "  CHECK (ability BETWEEN 1 AND 5);"

    /* leads: the whole life of an inquiry */
    "ALTER TABLE leads ADD COLUMN name TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(name AS BLOB)) <= 96);"
    "ALTER TABLE leads ADD COLUMN region TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(region AS BLOB)) <= 64);"
    "ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'open'"
    "  CHECK (status IN ('open', 'invalid', 'converted', 'lost'));"
    "ALTER TABLE leads ADD COLUMN invalid_reason TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(invalid_reason AS BLOB)) <= 1000);"
    "ALTER TABLE leads ADD COLUMN external_ref TEXT"
    "  CHECK (external_ref IS NULL OR length(CAST(external_ref AS BLOB)) BETWEEN 1 AND 64);"
    "ALTER TABLE leads ADD COLUMN telesales_id INTEGER REFERENCES staff(id);"
    "ALTER TABLE leads ADD COLUMN assigned_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE leads ADD COLUMN first_callback_due_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE leads ADD COLUMN next_due_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE leads ADD COLUMN last_followup_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE leads ADD COLUMN graded_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE leads ADD COLUMN order_id INTEGER REFERENCES orders(id);"
    "ALTER TABLE leads ADD COLUMN grade_due INTEGER NOT NULL DEFAULT 0"
    "  CHECK (grade_due IN (0, 1));"
    "ALTER TABLE leads ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;"
    /* version-2 leads: status from the old flag and grade; the inviter is the telesales
     * holder; an ordered lead points at the customer's latest order; no due times, so the
     * first tick does not report every old lead as overdue */
    "UPDATE leads SET updated_at = created_at, telesales_id = invited_by,"
    "  status = CASE WHEN flagged_invalid = 1 THEN 'invalid' WHEN grade = 'O' THEN 'converted'"
    "  WHEN grade = 'F' THEN 'lost' ELSE 'open' END;"
    "UPDATE leads SET order_id = (SELECT max(o.id) FROM orders o"
    "  WHERE o.customer_id = leads.customer_id) WHERE grade = 'O';"
    "CREATE UNIQUE INDEX leads_site_ref ON leads (site_id, external_ref)"
    "  WHERE external_ref IS NOT NULL;"
    "CREATE INDEX leads_site_status ON leads (site_id, status, created_at);"
    "CREATE INDEX leads_telesales ON leads (telesales_id);"
    "CREATE INDEX leads_due ON leads (status, next_due_at);"

    "CREATE TABLE lead_sources ("
    "  id INTEGER PRIMARY KEY,"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  channel TEXT NOT NULL CHECK (length(CAST(channel AS BLOB)) BETWEEN 1 AND 64),"
    "  external_ref TEXT NOT NULL DEFAULT '' CHECK (length(CAST(external_ref AS BLOB)) <= 64),"
    "  created_at INTEGER NOT NULL,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX lead_sources_lead ON lead_sources (lead_id, id);"
    "CREATE INDEX lead_sources_ref ON lead_sources (external_ref) WHERE external_ref <> '';"
    "CREATE TABLE lead_assignments ("
    "  id INTEGER PRIMARY KEY,"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  from_id INTEGER REFERENCES staff(id),"
    "  to_id INTEGER NOT NULL REFERENCES staff(id),"
    "  by_id INTEGER REFERENCES staff(id),"
    "  reason TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reason AS BLOB)) <= 1000),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX lead_assignments_lead ON lead_assignments (lead_id, id);"
    "CREATE TABLE lead_followups ("
    "  id INTEGER PRIMARY KEY,"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  way TEXT NOT NULL CHECK (way IN ('phone', 'sms', 'email', 'visit', 'test_drive_invite')),"
    "  content TEXT NOT NULL DEFAULT '' CHECK (length(CAST(content AS BLOB)) <= 1000),"
    "  feedback TEXT NOT NULL DEFAULT '' CHECK (length(CAST(feedback AS BLOB)) <= 1000),"
    "  grade TEXT CHECK (grade IS NULL OR grade IN ('H', 'A', 'B', 'F', 'L', 'O')),"
    "  staff_id INTEGER REFERENCES staff(id),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX lead_followups_lead ON lead_followups (lead_id, at);"
    "CREATE TABLE lead_overdue_reports ("
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  due_at INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (lead_id, due_at)"
    ") WITHOUT ROWID;"

    /* appointments, and what a visit learnt */
    "CREATE TABLE appointments ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  telesales_id INTEGER REFERENCES staff(id),"
    "  at INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('scheduled', 'shown', 'no_show')),"
    "  visit_id INTEGER REFERENCES visits(id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK ((state = 'shown') = (visit_id IS NOT NULL))"
    ");"
    "CREATE INDEX appointments_site ON appointments (site_id, state, at);"
    "CREATE INDEX appointments_customer ON appointments (customer_id, at);"
    "ALTER TABLE visits ADD COLUMN appointment_id INTEGER REFERENCES appointments(id);"
    "ALTER TABLE visits ADD COLUMN grade_after TEXT"
    "  CHECK (grade_after IS NULL OR grade_after IN ('H', 'A', 'B', 'F', 'L', 'O'));"
    "ALTER TABLE visits ADD COLUMN trade_in TEXT NOT NULL DEFAULT ''"
    "  CHECK (length(CAST(trade_in AS BLOB)) <= 1000);"
    "ALTER TABLE visits ADD COLUMN auto_closed INTEGER NOT NULL DEFAULT 0"
    "  CHECK (auto_closed IN (0, 1));"

    /* conflicts: one open case per lead */
    "CREATE TABLE conflicts ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  claimants TEXT NOT NULL CHECK (json_valid(claimants) AND json_type(claimants) = 'array'"
    "    AND length(CAST(claimants AS BLOB)) <= 4096),"
    "  state TEXT NOT NULL CHECK (state IN ('open', 'ruled')),"
    "  winner_id INTEGER REFERENCES staff(id),"
    "  reason TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reason AS BLOB)) <= 1000),"
    "  ruled_by INTEGER REFERENCES staff(id),"
    "  ruled_at INTEGER NOT NULL DEFAULT 0,"
    "  opened_at INTEGER NOT NULL,"
    "  CHECK ((state = 'ruled') = (winner_id IS NOT NULL))"
    ");"
    "CREATE UNIQUE INDEX conflicts_open_lead ON conflicts (lead_id) WHERE state = 'open';"
    "CREATE INDEX conflicts_site ON conflicts (site_id, state, opened_at);"

    /* complaints, their history and satisfaction */
    "CREATE TABLE complaints ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  order_id INTEGER REFERENCES orders(id),"
    "  channel TEXT NOT NULL CHECK (length(CAST(channel AS BLOB)) BETWEEN 1 AND 64),"
    "  kind TEXT NOT NULL CHECK (kind IN ('service', 'product')),"
    "  summary TEXT NOT NULL CHECK (length(CAST(summary AS BLOB)) BETWEEN 1 AND 1000),"
    "  validity TEXT NOT NULL DEFAULT 'unknown' CHECK (validity IN ('unknown', 'valid', 'invalid')),"
    "  validity_reason TEXT NOT NULL DEFAULT ''"
    "    CHECK (length(CAST(validity_reason AS BLOB)) <= 1000),"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
    "  handler_id INTEGER REFERENCES staff(id),"
    "  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
    "  opened_at INTEGER NOT NULL,"
    "  first_response_at INTEGER NOT NULL DEFAULT 0,"
    "  contact_at INTEGER NOT NULL DEFAULT 0,"
    "  last_progress_at INTEGER NOT NULL DEFAULT 0,"
    "  closed_at INTEGER NOT NULL DEFAULT 0,"
    "  resolution TEXT NOT NULL DEFAULT '' CHECK (length(CAST(resolution AS BLOB)) <= 1000),"
    "  must_resolve INTEGER NOT NULL DEFAULT 0 CHECK (must_resolve IN (0, 1)),"
    "  source TEXT NOT NULL CHECK (source IN ('direct', 'delivery_rating')),"
    "  opened_by INTEGER REFERENCES staff(id),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX complaints_site ON complaints (site_id, state, opened_at);"
    "CREATE INDEX complaints_handler ON complaints (handler_id, state);"
    "CREATE TABLE complaint_events ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('first_response', 'contact', 'progress', 'validity',"
    "    'escalation', 'close')),"
    "  text TEXT NOT NULL DEFAULT '' CHECK (length(CAST(text AS BLOB)) <= 1000),"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
    "  staff_id INTEGER REFERENCES staff(id),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);"
    "CREATE TABLE satisfaction ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  complaint_id INTEGER UNIQUE REFERENCES complaints(id),"
    "  order_id INTEGER UNIQUE REFERENCES orders(id),"
    "  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
    "  comment TEXT NOT NULL DEFAULT '' CHECK (length(CAST(comment AS BLOB)) <= 1000),"
    "  staff_id INTEGER REFERENCES staff(id),"
    "  at INTEGER NOT NULL,"
    "  CHECK ((complaint_id IS NULL) <> (order_id IS NULL))"
    ");"
    "CREATE INDEX satisfaction_site ON satisfaction (site_id, at);"

    /* the timer's once-only reports, the webhook outbox, text settings */
    "CREATE TABLE deadline_reports ("
    "  kind TEXT NOT NULL CHECK (kind IN ('complaint', 'conflict', 'appointment')),"
    "  ref_id INTEGER NOT NULL,"
    "  what TEXT NOT NULL CHECK (length(CAST(what AS BLOB)) BETWEEN 1 AND 64),"
    "  due_at INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, ref_id, what, due_at)"
    ") WITHOUT ROWID;"
    "CREATE TABLE webhook_outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  seq INTEGER NOT NULL UNIQUE,"
    "  payload TEXT NOT NULL CHECK (json_valid(payload)"
    "    AND length(CAST(payload AS BLOB)) <= 8192),"
    "  tries INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),"
    "  next_try_at INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped')),"
    "  last_error TEXT NOT NULL DEFAULT '' CHECK (length(CAST(last_error AS BLOB)) <= 1000),"
    "  created_at INTEGER NOT NULL,"
    "  done_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX webhook_outbox_site ON webhook_outbox (site_id, state, seq);"
    "CREATE TABLE site_texts ("
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  key TEXT NOT NULL CHECK (length(CAST(key AS BLOB)) BETWEEN 1 AND 64),"
    "  value TEXT NOT NULL CHECK (length(CAST(value AS BLOB)) <= 255),"
    "  PRIMARY KEY (site_id, key)"
    ") WITHOUT ROWID;";
// clang-format on

// clang-format off
/* Migration 4: the check-in rule's per-consultant figures in O(1) instead of counting the
 * day's visits on every check-in (issue 7). The day is the site's local day number, floor
 * division as in domain_day_start(); sites never change their offset. Triggers keep the
 * counts in the writer's transaction, whichever statement moves a visit. */
#define LOCAL_DAY(t) "(" t ") / 86400000 - ((" t ") % 86400000 < 0)"
#define VISIT_DAY(v) \
    "(SELECT " LOCAL_DAY(v ".arrived_at + utc_offset_min * 60000") \
    " FROM sites WHERE id = " v ".site_id)"
#define VISIT_LOAD_ADD(v, sign) \
    "INSERT INTO visit_load (consultant_id, day, waiting, serving) SELECT " v ".consultant_id, " \
    VISIT_DAY(v) ", " sign "(" v ".status = 'waiting'), " sign "(" v ".status = 'serving')" \
    " WHERE " v ".consultant_id IS NOT NULL AND " v ".status <> 'departed'" \
    " ON CONFLICT (consultant_id, day) DO UPDATE SET waiting = waiting + excluded.waiting," \
    " serving = serving + excluded.serving;"
/* Migration 4's triggers; migration 11 makes them again on the rebuilt visits. */
#define VISIT_LOAD_TRIGGERS \
    "CREATE TRIGGER visit_load_insert AFTER INSERT ON visits BEGIN " \
    VISIT_LOAD_ADD("NEW", "+") \
    " END;" \
    "CREATE TRIGGER visit_load_update AFTER UPDATE OF site_id, consultant_id, status, arrived_at" \
    "  ON visits BEGIN " \
    VISIT_LOAD_ADD("OLD", "-") \
    VISIT_LOAD_ADD("NEW", "+") \
    " END;" \
    "CREATE TRIGGER visit_load_delete AFTER DELETE ON visits BEGIN " \
    VISIT_LOAD_ADD("OLD", "-") \
    " END;"
static const char migration4_sql[] =
    "CREATE TABLE visit_load ("
    "  consultant_id INTEGER NOT NULL REFERENCES staff(id),"
    "  day INTEGER NOT NULL,"
    "  waiting INTEGER NOT NULL DEFAULT 0,"
    "  serving INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (consultant_id, day)"
    ") WITHOUT ROWID;"
    "INSERT INTO visit_load (consultant_id, day, waiting, serving)"
    "  SELECT v.consultant_id,"
    "    " LOCAL_DAY("v.arrived_at + s.utc_offset_min * 60000") ","
    "    sum(v.status = 'waiting'), sum(v.status = 'serving')"
    "  FROM visits v JOIN sites s ON s.id = v.site_id"
    "  WHERE v.consultant_id IS NOT NULL AND v.status <> 'departed'"
    "  GROUP BY 1, 2;"
    VISIT_LOAD_TRIGGERS;

static const char migration5_sql[] =
    "CREATE INDEX events_site_kind_at ON events (site_id, kind, at);";

/* Migration 6: analytics (issue 8; hub/ANALYTICS.md). The reports read orders, leads and
 * time-limit breaches by site and period; these indexes let each figure be one range scan
 * instead of a pass over the whole table. Review decisions (returns, supervisors) are read
 * from the audit trail by action and time, an order's reviewer by order and action;
 * overdue reports by time. */
static const char migration6_sql[] =
    "CREATE INDEX orders_site_delivered ON orders (site_id, delivered_at);"
    "CREATE INDEX orders_site_decided ON orders (site_id, initial_decided_at);"
    "CREATE INDEX leads_site_created ON leads (site_id, created_at);"
    "CREATE INDEX sla_breaches_at ON sla_breaches (at);"
    "CREATE INDEX audit_action_at ON audit (action, at);"
    "CREATE INDEX audit_entity_action ON audit (entity, entity_id, action);"
    "CREATE INDEX lead_overdue_reports_at ON lead_overdue_reports (at);"
    /* Lead assignment weighs each candidate's open leads: partial indexes keep that count to
     * the candidate's own open leads instead of every open lead of the group (a year of
     * leads made it most of the cost of creating one). */
    "CREATE INDEX leads_owner_open ON leads (owner_id) WHERE status = 'open';"
    "CREATE INDEX leads_telesales_unowned ON leads (telesales_id)"
    "  WHERE status = 'open' AND owner_id IS NULL;";

/* Migration 7: the kiosk fleet (issue 9; hub/FLEET.md). Health columns on devices, pairing
 * codes for kiosks enrolled from the screen, and remote commands with their results. */
static const char migration7_sql[] =
    "ALTER TABLE devices ADD COLUMN hostname TEXT NOT NULL DEFAULT ''"
    "  CHECK (" BYTES("hostname", 0, 64) ");"
    "ALTER TABLE devices ADD COLUMN version TEXT NOT NULL DEFAULT ''"
    "  CHECK (" BYTES("version", 0, 64) ");"
    "ALTER TABLE devices ADD COLUMN screen TEXT NOT NULL DEFAULT ''"
    "  CHECK (" BYTES("screen", 0, 32) ");"
    "ALTER TABLE devices ADD COLUMN started_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN frames INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN last_frame_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN online INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1));"
    "ALTER TABLE devices ADD COLUMN online_changed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN reconnect_day INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN reconnects INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN watchdog_restarts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN last_watchdog_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0"
    "  CHECK (maintenance IN (0, 1));"
    "ALTER TABLE devices ADD COLUMN config TEXT NOT NULL DEFAULT '{}'"
    "  CHECK (json_valid(config) AND length(config) <= 2048);"
    "CREATE TABLE pairings ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE CHECK (" BYTES("code", 4, 16) "),"
    "  claim_hash TEXT NOT NULL UNIQUE CHECK (length(claim_hash) = 64),"
    "  hostname TEXT NOT NULL DEFAULT '' CHECK (" BYTES("hostname", 0, 64) "),"
    "  version TEXT NOT NULL DEFAULT '' CHECK (" BYTES("version", 0, 64) "),"
    "  screen TEXT NOT NULL DEFAULT '' CHECK (" BYTES("screen", 0, 32) "),"
    "  peer TEXT NOT NULL DEFAULT '' CHECK (" BYTES("peer", 0, 64) "),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'done')),"
    "  device_id INTEGER REFERENCES devices(id),"
    "  approved_by TEXT NOT NULL DEFAULT '' CHECK (" BYTES("approved_by", 0, 64) "),"
    "  approved_at INTEGER NOT NULL DEFAULT 0,"
    "  done_at INTEGER NOT NULL DEFAULT 0,"
    "  CHECK ((state = 'pending') = (device_id IS NULL))"
    ");"
    "CREATE INDEX pairings_state ON pairings (state, expires_at);"
    "CREATE TABLE device_commands ("
    "  id INTEGER PRIMARY KEY,"
    "  device_id INTEGER NOT NULL REFERENCES devices(id),"
    "  action TEXT NOT NULL CHECK (action IN ('reload', 'identify', 'restart', 'screenshot')),"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'sent', 'done', 'failed')),"
    "  detail TEXT NOT NULL DEFAULT '' CHECK (" BYTES("detail", 0, 1000) "),"
    "  png BLOB CHECK (png IS NULL OR length(png) <= 8388608),"
    "  actor TEXT NOT NULL DEFAULT '' CHECK (" BYTES("actor", 0, 64) "),"
    "  created_at INTEGER NOT NULL,"
    "  done_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX device_commands_device ON device_commands (device_id, id);";

/* Migration 9: commands as a rowid table (BENCHMARKS.md). As a WITHOUT ROWID table keyed by
 * (device, command id), each ~1.5 KB result lived in the key's B-tree, whose cells spill to
 * an overflow page past ~1,000 bytes and whose leaves split every few inserts at one point per
 * device: 2 to 6 pages written per check-in. Now the rows are appended in arrival order and
 * only the small (device, command id) entries go into the index. */
static const char migration9_sql[] =
    "CREATE TABLE commands_new ("
    "  device_id INTEGER NOT NULL REFERENCES devices(id),"
    "  cmd_id TEXT NOT NULL CHECK (" BYTES("cmd_id", 1, 64) "),"
    "  type TEXT NOT NULL CHECK (" BYTES("type", 1, 64) "),"
    "  args_hash TEXT NOT NULL CHECK (length(args_hash) = 64),"
    "  result TEXT NOT NULL CHECK (json_valid(result)),"
    "  at INTEGER NOT NULL,"
    "  UNIQUE (device_id, cmd_id)"
    ");"
    "INSERT INTO commands_new (device_id, cmd_id, type, args_hash, result, at)"
    "  SELECT device_id, cmd_id, type, args_hash, result, at FROM commands ORDER BY at;"
    "DROP TABLE commands;"
    "ALTER TABLE commands_new RENAME TO commands;"
    "CREATE INDEX commands_at ON commands (at);";

/* Migration 10: fewer index pages per check-in (BENCHMARKS.md "Round 5"). Three indexes
 * served a handful of queries yet took an entry from every audit record and every event: a
 * check-in wrote 23 WAL frames, 4 of them to these. They become partial indexes over just the
 * rows those queries read: the review decisions' audit records are about orders
 * (store_analytics*.c SA_DECISION, REVIEWER) and the board reads only staff notifications by
 * kind (store_events_notify_recent). Every such query names the same condition literally, which is
 * what lets SQLite use a partial index. IF [NOT] EXISTS: tests make older files from a
 * current one by lowering user_version. */
static const char migration10_sql[] =
    "DROP INDEX IF EXISTS audit_action_at;"
    "DROP INDEX IF EXISTS audit_entity_action;"
    "DROP INDEX IF EXISTS events_site_kind_at;"
    "CREATE INDEX IF NOT EXISTS audit_order_action_at ON audit (action, at)"
    "  WHERE entity = 'order';"
    "CREATE INDEX IF NOT EXISTS audit_order_action ON audit (entity_id, action)"
    "  WHERE entity = 'order';"
    "CREATE INDEX IF NOT EXISTS events_notify ON events (site_id, at)"
    "  WHERE kind = 'staff.notify';";

/* Migration 8: personal data at rest (issue 6; hub/PRIVACY.md). customers is rebuilt so the
 * personal columns hold sealed BLOBs (privacy.h), found by a keyed phone hash; old rows are
 * copied in the clear with key_id NULL and sealed by the post step (store_migrate8_post,
 * which also masks the customers in old events and command results) in the same
 * transaction. An empty optional field is NULL.
 * The sealed length limits are the plain limits + PRIVACY_SEAL_OVERHEAD (41). */
static const char migration8_sql[] =
    "CREATE TABLE customers_new ("
    "  id INTEGER PRIMARY KEY,"
    "  key_id INTEGER UNIQUE,"
    "  phone_hash BLOB UNIQUE CHECK (phone_hash IS NULL OR length(phone_hash) = 32),"
    "  phone BLOB CHECK (phone IS NULL OR length(phone) <= 57),"
    "  name BLOB CHECK (name IS NULL OR length(name) <= 137),"
    "  gender TEXT NOT NULL CHECK (gender IN ('unknown', 'male', 'female')),"
    "  kind TEXT NOT NULL CHECK (kind IN ('individual', 'company')),"
    "  company_address BLOB CHECK (company_address IS NULL OR length(company_address) <= 1041),"
    "  legal_rep BLOB CHECK (legal_rep IS NULL OR length(legal_rep) <= 137),"
    "  business_scope TEXT NOT NULL DEFAULT '' CHECK (" BYTES("business_scope", 0, 1000) "),"
    "  contact_name BLOB CHECK (contact_name IS NULL OR length(contact_name) <= 137),"
    "  credit_rating TEXT NOT NULL DEFAULT '' CHECK (" BYTES("credit_rating", 0, 64) "),"
    "  credit_limit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit_fen >= 0),"
    "  consent_at INTEGER NOT NULL DEFAULT 0,"
    "  consent_version TEXT NOT NULL DEFAULT '' CHECK (" BYTES("consent_version", 0, 64) "),"
    "  consent_purpose TEXT NOT NULL DEFAULT '' CHECK (" BYTES("consent_purpose", 0, 64) "),"
    "  id_number BLOB CHECK (id_number IS NULL OR length(id_number) <= 105),"
    "  created_at INTEGER NOT NULL,"
    "  erased_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO customers_new (id, phone, name, gender, kind, company_address, legal_rep,"
    "  business_scope, contact_name, credit_rating, credit_limit_fen, consent_at,"
    "  consent_version, created_at)"
    "  SELECT id, CAST(phone AS BLOB), CAST(nullif(name, '') AS BLOB), gender, kind,"
    "  CAST(nullif(company_address, '') AS BLOB), CAST(nullif(legal_rep, '') AS BLOB),"
    "  business_scope, CAST(nullif(contact_name, '') AS BLOB), credit_rating,"
    "  credit_limit_fen, consent_at, consent_version, created_at FROM customers;"
    "DROP TABLE customers;"
    "ALTER TABLE customers_new RENAME TO customers;"
    "CREATE TABLE personal_access ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL CHECK (" BYTES("actor", 1, 71) "),"
    "  device_id INTEGER NOT NULL DEFAULT 0,"
    "  site_id INTEGER NOT NULL DEFAULT 0,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  what TEXT NOT NULL CHECK (" BYTES("what", 1, 64) ")"
    ");"
    "CREATE INDEX personal_access_customer ON personal_access (customer_id, at);"
    "CREATE INDEX personal_access_at ON personal_access (at);"
    /* a lead's name as typed is the customer's too: sealed under their key ('lead_name') */
    "ALTER TABLE leads ADD COLUMN name_sealed BLOB;";

#define VISITS_COLUMNS                                                                        \
    "id, site_id, customer_id, is_new, consultant_id, invited_by, assigned_by, status,"      \
    " arrived_at, served_at, departed_at, model_code, source, first_visit_said, device_id,"  \
    " appointment_id, grade_after, trade_in, auto_closed"
#define CUSTOMERS_COLUMNS                                                                     \
    "id, key_id, phone_hash, phone, name, gender, kind, company_address, legal_rep,"         \
    " business_scope, contact_name, credit_rating, credit_limit_fen, consent_at,"            \
    " consent_version, consent_purpose, id_number, created_at, erased_at"
/* Migration 11: the same tables, the same rows, CHECKs without IN lists of three or more.
 * SQLite tests such a list through a temporary b-tree that it builds and drops at every
 * INSERT: a visit's three and a customer's one were ~60,000 instructions and ~4 µs of each
 * check-in (tools/bench/BENCHMARKS.md round 8). The same tests written with = and OR need
 * none; they accept and refuse exactly the same values (NULL included: both forms give NULL,
 * which a CHECK lets pass, and NOT NULL refuses it first). visits and customers are rebuilt,
 * since SQLite cannot alter a CHECK; visits' indexes and migration 4's triggers are made
 * again. */
static const char migration11_sql[] =
    "CREATE TABLE visits_new ("
    "  id INTEGER PRIMARY KEY,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  is_new INTEGER NOT NULL CHECK (is_new IN (0, 1)),"
    "  consultant_id INTEGER REFERENCES staff(id),"
    "  invited_by INTEGER REFERENCES staff(id),"
    "  assigned_by TEXT NOT NULL CHECK (assigned_by = 'invited' OR assigned_by = 'owner'"
    "    OR assigned_by = 'rotation' OR assigned_by = 'busy_rotation' OR assigned_by = 'none'),"
    "  status TEXT NOT NULL CHECK (status = 'waiting' OR status = 'serving'"
    "    OR status = 'departed'),"
    "  arrived_at INTEGER NOT NULL,"
    "  served_at INTEGER NOT NULL DEFAULT 0,"
    "  departed_at INTEGER NOT NULL DEFAULT 0,"
    "  model_code TEXT REFERENCES models(code),"
    "  source TEXT CHECK (source IS NULL OR " BYTES("source", 1, 64) "),"
    "  first_visit_said INTEGER CHECK (first_visit_said IS NULL OR first_visit_said IN (0, 1)),"
    "  device_id INTEGER REFERENCES devices(id),"
    "  appointment_id INTEGER REFERENCES appointments(id),"
    "  grade_after TEXT CHECK (grade_after IS NULL OR grade_after = 'H' OR grade_after = 'A'"
    "    OR grade_after = 'B' OR grade_after = 'F' OR grade_after = 'L' OR grade_after = 'O'),"
    "  trade_in TEXT NOT NULL DEFAULT '' CHECK (length(CAST(trade_in AS BLOB)) <= 1000),"
    "  auto_closed INTEGER NOT NULL DEFAULT 0 CHECK (auto_closed IN (0, 1))"
    ");"
    "INSERT INTO visits_new SELECT " VISITS_COLUMNS " FROM visits;"
    "DROP TABLE visits;"
    "ALTER TABLE visits_new RENAME TO visits;"
    "CREATE INDEX visits_site_arrived ON visits (site_id, arrived_at);"
    "CREATE INDEX visits_consultant ON visits (consultant_id, status, arrived_at);"
    "CREATE INDEX visits_customer ON visits (customer_id);"
    VISIT_LOAD_TRIGGERS
    "CREATE TABLE customers_new ("
    "  id INTEGER PRIMARY KEY,"
    "  key_id INTEGER UNIQUE,"
    "  phone_hash BLOB UNIQUE CHECK (phone_hash IS NULL OR length(phone_hash) = 32),"
    "  phone BLOB CHECK (phone IS NULL OR length(phone) <= 57),"
    "  name BLOB CHECK (name IS NULL OR length(name) <= 137),"
    "  gender TEXT NOT NULL CHECK (gender = 'unknown' OR gender = 'male' OR gender = 'female'),"
    "  kind TEXT NOT NULL CHECK (kind IN ('individual', 'company')),"
    "  company_address BLOB CHECK (company_address IS NULL OR length(company_address) <= 1041),"
    "  legal_rep BLOB CHECK (legal_rep IS NULL OR length(legal_rep) <= 137),"
    "  business_scope TEXT NOT NULL DEFAULT '' CHECK (" BYTES("business_scope", 0, 1000) "),"
    "  contact_name BLOB CHECK (contact_name IS NULL OR length(contact_name) <= 137),"
    "  credit_rating TEXT NOT NULL DEFAULT '' CHECK (" BYTES("credit_rating", 0, 64) "),"
    "  credit_limit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit_fen >= 0),"
    "  consent_at INTEGER NOT NULL DEFAULT 0,"
    "  consent_version TEXT NOT NULL DEFAULT '' CHECK (" BYTES("consent_version", 0, 64) "),"
    "  consent_purpose TEXT NOT NULL DEFAULT '' CHECK (" BYTES("consent_purpose", 0, 64) "),"
    "  id_number BLOB CHECK (id_number IS NULL OR length(id_number) <= 105),"
    "  created_at INTEGER NOT NULL,"
    "  erased_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO customers_new SELECT " CUSTOMERS_COLUMNS " FROM customers;"
    "DROP TABLE customers;"
    "ALTER TABLE customers_new RENAME TO customers;";

/* Migration 12: events, commands and audit rebuilt without json_valid CHECKs, and audit without
 * AUTOINCREMENT (BENCHMARKS.md "Round 9"). SQLite parses the whole text again for each such
 * CHECK: with three JSON columns written per check-in that was 6 % of its instructions, for
 * text the hub's own printer (protocol/proto_print.c) wrote and the protocol's tests hold to be
 * JSON; the hub is the only writer. Audit ids come from the chain's head (store_audit.c),
 * never from SQLite, so AUTOINCREMENT only cost a sqlite_sequence write per record. Events
 * keep theirs (a seq is never reused, even when pruning empties the table), and the rebuilt
 * table takes over the old one's counter, which may be past the highest row left. The rows,
 * their ids and order, and the indexes are the same; on a large file this copies the three
 * tables once, inside the migration's transaction. */
static const char migration12_sql[] =
    "CREATE TABLE events_new ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  site_id INTEGER NOT NULL REFERENCES sites(id),"
    "  kind TEXT NOT NULL CHECK (" BYTES("kind", 1, 64) "),"
    "  at INTEGER NOT NULL,"
    "  data TEXT NOT NULL"
    ");"
    "INSERT INTO events_new (seq, site_id, kind, at, data)"
    "  SELECT seq, site_id, kind, at, data FROM events ORDER BY seq;"
    "DELETE FROM sqlite_sequence WHERE name = 'events_new';"
    "INSERT INTO sqlite_sequence (name, seq)"
    "  SELECT 'events_new', top FROM (SELECT max(seq) AS top FROM ("
    "    SELECT seq FROM sqlite_sequence WHERE name = 'events'"
    "    UNION ALL SELECT max(seq) FROM events_new)) WHERE top IS NOT NULL;"
    "DROP TABLE events;"
    "ALTER TABLE events_new RENAME TO events;"
    "CREATE INDEX events_notify ON events (site_id, at) WHERE kind = 'staff.notify';"
    "CREATE TABLE commands_new ("
    "  device_id INTEGER NOT NULL REFERENCES devices(id),"
    "  cmd_id TEXT NOT NULL CHECK (" BYTES("cmd_id", 1, 64) "),"
    "  type TEXT NOT NULL CHECK (" BYTES("type", 1, 64) "),"
    "  args_hash TEXT NOT NULL CHECK (length(args_hash) = 64),"
    "  result TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  UNIQUE (device_id, cmd_id)"
    ");"
    "INSERT INTO commands_new (device_id, cmd_id, type, args_hash, result, at)"
    "  SELECT device_id, cmd_id, type, args_hash, result, at FROM commands ORDER BY rowid;"
    "DROP TABLE commands;"
    "ALTER TABLE commands_new RENAME TO commands;"
    "CREATE INDEX commands_at ON commands (at);"
    "CREATE TABLE audit_new ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  site_id INTEGER NOT NULL DEFAULT 0,"
    "  actor TEXT NOT NULL CHECK (" BYTES("actor", 1, 64) "),"
    "  entity TEXT NOT NULL CHECK (" BYTES("entity", 1, 64) "),"
    "  entity_id TEXT NOT NULL CHECK (length(CAST(entity_id AS BLOB)) <= 64),"
    "  action TEXT NOT NULL CHECK (" BYTES("action", 1, 64) "),"
    "  before TEXT,"
    "  after TEXT,"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "INSERT INTO audit_new SELECT id, at, site_id, actor, entity, entity_id, action, before,"
    "  after, prev_hash, hash FROM audit ORDER BY id;"
    "DROP TABLE audit;"
    "ALTER TABLE audit_new RENAME TO audit;"
    "CREATE INDEX audit_entity ON audit (entity, entity_id, id);"
    "CREATE INDEX audit_order_action_at ON audit (action, at) WHERE entity = 'order';"
    "CREATE INDEX audit_order_action ON audit (entity_id, action) WHERE entity = 'order';";

static const struct migration migrations[] = {
    {1, "initial schema; older programs have none and refuse nothing (there were none)",
     "CREATE TABLE meta ("
     "  key TEXT PRIMARY KEY,"
     "  value TEXT NOT NULL"
     ") WITHOUT ROWID;"
     "INSERT INTO meta (key, value) VALUES ('hub_id', lower(hex(randomblob(16))));"
     "CREATE TABLE sites ("
     "  id INTEGER PRIMARY KEY,"
     "  code TEXT NOT NULL UNIQUE CHECK (" BYTES("code", 1, 64) "),"
     "  name TEXT NOT NULL CHECK (" BYTES("name", 1, 96) "),"
     "  utc_offset_min INTEGER NOT NULL CHECK (utc_offset_min BETWEEN -720 AND 840)"
     ");"
     "CREATE TABLE staff ("
     "  id INTEGER PRIMARY KEY,"
     "  site_id INTEGER NOT NULL REFERENCES sites(id),"
     "  staff_no TEXT NOT NULL UNIQUE CHECK (" BYTES("staff_no", 1, 64) "),"
     "  name TEXT NOT NULL CHECK (" BYTES("name", 1, 96) "),"
     "  role TEXT NOT NULL CHECK (role IN "
     "('reception','telesales','consultant','supervisor',"
     "    'manager','finance','service','marketing','admin')),"
     "  pin_hash TEXT NOT NULL CHECK (" BYTES("pin_hash", 1, 128) "),"
     "  active INTEGER NOT NULL DEFAULT 1 CHECK (active "
     "IN (0, 1)),"
     "  last_assigned_at INTEGER NOT NULL DEFAULT 0"
     ");"
     "CREATE INDEX staff_site ON staff (site_id, role);"
     "CREATE TABLE staff_duty ("
     "  staff_id INTEGER NOT NULL REFERENCES staff(id) ON "
     "DELETE CASCADE,"
     "  day TEXT NOT NULL CHECK (day GLOB "
     "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
     "  duty TEXT NOT NULL CHECK (duty IN ('on', 'rest')),"
     "  PRIMARY KEY (staff_id, day)"
     ") WITHOUT ROWID;"
     "CREATE TABLE staff_login_failures ("
     "  id INTEGER PRIMARY KEY,"
     "  staff_no TEXT NOT NULL CHECK (" BYTES("staff_no", 0, 64) "),"
     "  at INTEGER NOT NULL"
     ");"
     "CREATE INDEX staff_login_failures_no ON "
     "staff_login_failures (staff_no, at);"
     "CREATE TABLE devices ("
     "  id INTEGER PRIMARY KEY,"
     "  site_id INTEGER NOT NULL REFERENCES "
     "sites(id),"
     "  name TEXT NOT NULL CHECK (" BYTES("name", 1, 96) "),"
     "  mode TEXT NOT NULL CHECK (mode IN "
     "('reception', 'status', 'delivery', "
     "'board')),"
     "  token_hash TEXT NOT NULL UNIQUE "
     "CHECK (length(token_hash) = 64),"
     "  created_at INTEGER NOT NULL,"
     "  last_seen INTEGER NOT NULL "
     "DEFAULT 0,"
     "  client TEXT NOT NULL DEFAULT '' "
     "CHECK (" BYTES("client", 0, 64) "),"
     "  revoked_at INTEGER NOT "
     "NULL DEFAULT 0,"
     "  UNIQUE (site_id, name)"
     ");"
     "CREATE TABLE models ("
     "  id INTEGER PRIMARY KEY,"
     "  code TEXT NOT NULL UNIQUE "
     "CHECK (" BYTES("code", 1, 64) "),"
     "  name "
     "TEXT NOT "
     "NULL "
     "CHECK "
     "(" BYTES("name", 1, 96) "),"
     "  name_en TEXT NOT NULL DEFAULT '' CHECK (" BYTES("name_en", 0, 96) "),"
     "  price_fen INTEGER NOT NULL CHECK (price_fen >= 0)"
     ");"
     "CREATE TABLE customers ("
     "  id INTEGER PRIMARY KEY,"
     "  phone TEXT NOT NULL UNIQUE CHECK (" BYTES("phone", 1, 16) "),"
     "  name TEXT NOT NULL DEFAULT '' CHECK (" BYTES("name", 0, 96) "),"
     "  gender TEXT NOT NULL CHECK (gender IN ('unknown', 'male', 'female')),"
     "  kind TEXT NOT NULL CHECK (kind IN ('individual', 'company')),"
     "  company_address TEXT NOT NULL DEFAULT '' CHECK (" BYTES("company_address", 0, 1000) "),"
     "  legal_rep TEXT NOT NULL DEFAULT '' CHECK (" BYTES("legal_rep", 0, 96) "),"
     "  business_scope TEXT NOT NULL DEFAULT '' CHECK (" BYTES("business_scope", 0, 1000) "),"
     "  contact_name TEXT NOT NULL DEFAULT '' CHECK (" BYTES("contact_name", 0, 96) "),"
     "  credit_rating TEXT NOT NULL DEFAULT '' CHECK (" BYTES("credit_rating", 0, 64) "),"
     "  credit_limit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit_fen >= 0),"
     "  consent_at INTEGER NOT NULL DEFAULT 0,"
     "  consent_version TEXT NOT NULL DEFAULT '' CHECK (" BYTES("consent_version", 0, 64) "),"
     "  created_at INTEGER NOT NULL"
     ");"
     "CREATE TABLE leads ("
     "  id INTEGER PRIMARY KEY,"
     "  site_id INTEGER NOT NULL REFERENCES sites(id),"
     "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
     "  channel TEXT NOT NULL CHECK (" BYTES("channel", 1, 64) "),"
     "  model_code TEXT REFERENCES models(code),"
     "  budget_fen INTEGER NOT NULL DEFAULT 0 CHECK (budget_fen >= 0),"
     "  grade TEXT NOT NULL CHECK (grade IN ('H', 'A', 'B', 'F', 'L', 'O')),"
     "  owner_id INTEGER REFERENCES staff(id),"
     "  invited_by INTEGER REFERENCES staff(id),"
     "  created_at INTEGER NOT NULL,"
     "  flagged_invalid INTEGER NOT NULL DEFAULT 0 CHECK (flagged_invalid IN (0, 1))"
     ");"
     "CREATE INDEX leads_customer ON leads (customer_id, created_at);"
     "CREATE INDEX leads_owner ON leads (owner_id);"
     "CREATE TABLE visits ("
     "  id INTEGER PRIMARY KEY,"
     "  site_id INTEGER NOT NULL REFERENCES sites(id),"
     "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
     "  is_new INTEGER NOT NULL CHECK (is_new IN (0, 1)),"
     "  consultant_id INTEGER REFERENCES staff(id),"
     "  invited_by INTEGER REFERENCES staff(id),"
     "  assigned_by TEXT NOT NULL CHECK (assigned_by IN ('invited', 'owner', 'rotation',"
     "    'busy_rotation', 'none')),"
     "  status TEXT NOT NULL CHECK (status IN ('waiting', 'serving', 'departed')),"
     "  arrived_at INTEGER NOT NULL,"
     "  served_at INTEGER NOT NULL DEFAULT 0,"
     "  departed_at INTEGER NOT NULL DEFAULT 0,"
     "  model_code TEXT REFERENCES models(code),"
     "  source TEXT CHECK (source IS NULL OR " BYTES("source", 1, 64) "),"
     "  first_visit_said INTEGER CHECK (first_visit_said IS NULL OR first_visit_said IN (0, 1)),"
     "  device_id INTEGER REFERENCES devices(id)"
     ");"
     "CREATE INDEX visits_site_arrived ON visits (site_id, arrived_at);"
     "CREATE INDEX visits_consultant ON visits (consultant_id, status, arrived_at);"
     "CREATE INDEX visits_customer ON visits (customer_id);"
     "CREATE TABLE orders ("
     "  id INTEGER PRIMARY KEY,"
     "  site_id INTEGER NOT NULL REFERENCES sites(id),"
     "  order_no TEXT NOT NULL UNIQUE CHECK (" BYTES("order_no", 1, 32) "),"
     "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
     "  consultant_id INTEGER REFERENCES staff(id),"
     "  model_code TEXT NOT NULL REFERENCES models(code),"
     "  colour TEXT NOT NULL DEFAULT '' CHECK (" BYTES("colour", 0, 64) "),"
     "  quantity INTEGER NOT NULL CHECK (quantity >= 1),"
     "  unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),"
     "  total_fen INTEGER NOT NULL CHECK (total_fen >= 0),"
     "  payment TEXT NOT NULL CHECK (payment IN ('full', 'loan')),"
     "  paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),"
     "  stage TEXT NOT NULL CHECK (stage IN ('entered', 'reviewed', 'returned', 'approved',"
     "    'allocated', 'paid', 'ready', 'delivered', 'closed', 'cancelled')),"
     "  created_at INTEGER NOT NULL,"
     "  approved_at INTEGER NOT NULL DEFAULT 0,"
     "  allocated_at INTEGER NOT NULL DEFAULT 0,"
     "  paid_at INTEGER NOT NULL DEFAULT 0,"
     "  ready_at INTEGER NOT NULL DEFAULT 0,"
     "  delivered_at INTEGER NOT NULL DEFAULT 0,"
     "  updated_at INTEGER NOT NULL,"
     "  eta INTEGER NOT NULL DEFAULT 0,"
     "  delivery_at INTEGER NOT NULL DEFAULT 0,"
     "  delivery_place TEXT NOT NULL DEFAULT '' CHECK (" BYTES("delivery_place", 0, 96) "),"
     "  remarks TEXT NOT NULL DEFAULT '' CHECK (" BYTES("remarks", 0, 1000) ")"
     ");"
     "CREATE INDEX orders_site_stage ON orders (site_id, stage);"
     "CREATE INDEX orders_customer ON orders (customer_id);"
     "CREATE TABLE order_seq ("
     "  month TEXT PRIMARY KEY,"
     "  last INTEGER NOT NULL CHECK (last >= 0)"
     ") WITHOUT ROWID;"
     /*
     AUTOINCREMENT:
     a
     seq
     is
     never
     reused,
     even
     after
     the
     newest
     events
     are
     pruned;
     *
     clients
     keep
     seqs
     across
     reconnects
     */
     "CREATE TABLE events ("
     "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
     "  site_id INTEGER NOT NULL REFERENCES sites(id),"
     "  kind TEXT NOT NULL CHECK (" BYTES("kind", 1, 64) "),"
     "  at INTEGER NOT NULL,"
     "  data TEXT NOT NULL CHECK (json_valid(data))"
     ");"
     "CREATE TABLE commands ("
     "  device_id INTEGER NOT NULL REFERENCES devices(id),"
     "  cmd_id TEXT NOT NULL CHECK (" BYTES("cmd_id", 1, 64) "),"
     "  type TEXT NOT NULL CHECK (" BYTES("type", 1, 64) "),"
     "  args_hash TEXT NOT NULL CHECK (length(args_hash) = 64),"
     "  result TEXT NOT NULL CHECK (json_valid(result)),"
     "  at INTEGER NOT NULL,"
     "  PRIMARY KEY (device_id, cmd_id)"
     ") WITHOUT ROWID;"
     "CREATE INDEX commands_at ON commands (at);",
     false, NULL},
    {2,
     "order life cycle: new order columns (with defaults), inventory, payments, refunds, "
     "requests, notes, sign-offs, settings, time-limit breaches, audit; devices may be 'api'. "
     "A version-1 program refuses this database (newer schema)",
     migration2_sql, true, NULL},
    {3,
     "leads, reception, conflicts, complaints: new lead/staff/visit columns (with defaults), "
     "lead sources, assignments, follow-ups, overdue reports, appointments, conflicts, "
     "complaints and their events, satisfaction, deadline reports, webhook outbox, text "
     "settings. A version-2 program refuses this database (newer schema)",
     migration3_sql, false, NULL},
    {4,
     "per-consultant counts of waiting and serving visits by local day (visit_load), kept by "
     "triggers on visits. A version-3 program refuses this database (newer schema)",
     migration4_sql, false, NULL},
    {5,
     "an index of events by site, kind and time, so a board's snapshot reads today's "
     "notifications directly. A version-4 program refuses this database (newer schema)",
     migration5_sql, false, NULL},
    {6,
     "indexes for the reports (orders by site and delivery or review time, leads by site "
     "and creation time, breaches, audit decisions and overdue reports by time) and for "
     "lead assignment (open leads per holder). A version-5 program refuses this database "
     "(newer schema)",
     migration6_sql, false, NULL},
    {7,
     "kiosk fleet: device health and configuration columns (with defaults), pairing codes, "
     "remote commands. A version-6 program refuses this database (newer schema)",
     migration7_sql, false, NULL},
    {8,
     "personal data at rest: customers rebuilt with sealed personal columns, phone_hash, "
     "key_id, consent_purpose, id_number, erased_at; the personal access log. A version-7 "
     "program refuses this database (newer schema)",
     migration8_sql, true, store_migrate8_post},
    {9,
     "command ids: commands rebuilt as a rowid table with a unique (device, command id) "
     "index, the same columns. A version-8 program refuses this database (newer schema)",
     migration9_sql, false, NULL},
    {10,
     "review-decision and notification indexes made partial (order audit records, "
     "staff.notify events), the same queries. A version-9 program refuses this database "
     "(newer schema)",
     migration10_sql, false, NULL},
    {11,
     "visits and customers rebuilt with the same columns and rows, their CHECKs written "
     "without IN lists (the same values allowed). A version-10 program refuses this database "
     "(newer schema)",
     migration11_sql, true, NULL},
    {12,
     "events, commands and audit rebuilt with the same columns, rows and indexes, without "
     "json_valid CHECKs (the hub's printer writes that text), audit without AUTOINCREMENT (its "
     "ids come from the chain's head). A version-11 program refuses this database (newer "
     "schema)",
     migration12_sql, false, NULL},
};
// clang-format on

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

int store_schema_version(void)
{
    return migrations[N_MIGRATIONS - 1].version;
}

static int exec_sql(struct store *s, const char *sql, const char *what, struct proto_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    log_error("store", "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
    proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "%s failed: %s", what,
                    msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return -1;
}

/* Checks what the file is before touching it: ours, empty, foreign or from the future. */
static int check_identity(struct store *s, int64_t version, struct proto_error *err)
{
    int64_t app = 0, objects = 0;
    if (store_sql_int(s->db, "PRAGMA application_id", &app) ||
        store_sql_int(s->db, "SELECT count(*) FROM sqlite_master", &objects)) {
        log_error("store", "cannot read the schema: %s", sqlite3_errmsg(s->db));
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read the schema: %s",
                               sqlite3_errmsg(s->db));
    }
    if (version == 0 && objects == 0)
        return 0; /* a new, empty database */
    if (app != STORE_APPLICATION_ID) {
        log_error("store", "not a Showfloor database (application_id %lld)", (long long)app);
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "this SQLite file is not a Showfloor database");
    }
    if (version > store_schema_version()) {
        log_error("store", "database schema version %lld is newer than this program's (%d)",
                  (long long)version, store_schema_version());
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL,
                               "the database has schema version %lld, newer than this "
                               "program supports (%d); run a newer Showfloor",
                               (long long)version, store_schema_version());
    }
    return 0;
}

/* Every row PRAGMA foreign_key_check reports is a reference the migration broke. */
static int check_foreign_keys(struct store *s, const char *what, struct proto_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        log_error("store", "%s broke a reference: table %s row %lld", what,
                  (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "%s: foreign key check failed", what);
}

static int apply_one(struct store *s, const struct migration *m, struct proto_error *err)
{
    /* foreign_keys is a no-op inside a transaction: switch it off before BEGIN, and on
     * again whatever happens */
    if (m->rebuilds_referenced && exec_sql(s, "PRAGMA foreign_keys=OFF", "migration", err))
        return -1;
    int rc = -1;
    if (exec_sql(s, "BEGIN IMMEDIATE", "begin migration", err))
        goto out;
    /* re-read inside the write lock: another process may have migrated meanwhile */
    int64_t version = 0;
    if (store_sql_int(s->db, "PRAGMA user_version", &version)) {
        exec_sql(s, "ROLLBACK", "rollback migration", NULL);
        proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read user_version");
        goto out;
    }
    if (version >= m->version) {
        rc = exec_sql(s, "COMMIT", "commit migration", err);
        goto out;
    }
    char bump[96];
    snprintf(bump, sizeof bump, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, m->version);
    char what[48];
    snprintf(what, sizeof what, "migration %d", m->version);
    if (exec_sql(s, m->sql, what, err) || (m->post && m->post(s, err)) ||
        (m->rebuilds_referenced && check_foreign_keys(s, what, err)) ||
        exec_sql(s, bump, what, err) || exec_sql(s, "COMMIT", what, err)) {
        exec_sql(s, "ROLLBACK", "rollback migration", NULL);
        goto out;
    }
    log_info("store", "applied migration %d", m->version);
    rc = 0;
out:
    if (m->rebuilds_referenced) {
        struct proto_error e2;
        if (exec_sql(s, "PRAGMA foreign_keys=ON", "migration", &e2) && rc == 0) {
            if (err)
                *err = e2;
            rc = -1;
        }
    }
    return rc;
}

int store_migrations_check(struct store *s, struct proto_error *err)
{
    int64_t version = 0;
    if (store_sql_int(s->db, "PRAGMA user_version", &version))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read user_version: %s",
                               sqlite3_errmsg(s->db));
    return check_identity(s, version, err);
}

int store_migrations_apply(struct store *s, struct proto_error *err)
{
    int64_t version = 0;
    if (store_sql_int(s->db, "PRAGMA user_version", &version))
        return proto_error_set(err, PROTO_E_UNAVAILABLE, NULL, "cannot read user_version: %s",
                               sqlite3_errmsg(s->db));
    if (check_identity(s, version, err))
        return -1;
    for (size_t i = 0; i < N_MIGRATIONS; i++)
        if (migrations[i].version > version && apply_one(s, &migrations[i], err))
            return -1;
    return 0;
}

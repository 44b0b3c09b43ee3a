"""The admin CLI `showfloor`, as an IT person uses it: exit codes, messages, and that a
failed command changes nothing."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

CLI = os.environ.get("SHOWFLOOR_CLI", "showfloor")
ZERO_HASH = "0" * 64


def audit_chain_ok(db):
    """Recomputes the audit chain exactly as hub/STORE.md "Audit chain" documents it,
    independently of the C code: (ok, number of records, first bad id)."""
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT id, at, site_id, actor, entity, entity_id, action, before,"
                           " after, prev_hash, hash FROM audit ORDER BY id").fetchall()
        head = con.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0]
    prev_id, prev_hash = 0, ZERO_HASH
    for (rid, at, site, actor, entity, entity_id, action, before, after, prev, h) in rows:
        record = {"id": rid, "at": at, "site_id": site, "actor": actor, "entity": entity,
                  "entity_id": entity_id, "action": action, "before": before, "after": after}
        text = prev + "\n" + json.dumps(record, sort_keys=True, separators=(",", ":"),
                                        ensure_ascii=False)
        want = hashlib.blake2b(text.encode("utf-8"), digest_size=32).hexdigest()
        if rid != prev_id + 1 or prev != prev_hash or want != h:
            return False, prev_id, rid
        prev_id, prev_hash = rid, h
    if head != f"{prev_id} {prev_hash}":
        return False, prev_id, int(head.split()[0])
    return True, prev_id, 0


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "t.db")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args, db=True):
        argv = [CLI] + (["--db", self.db] if db else []) + list(args)
        return subprocess.run(argv, capture_output=True, text=True, timeout=120)

    def ok(self, *args):
        r = self.run_cli(*args)
        self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
        return r

    def count(self, table):
        with sqlite3.connect(self.db) as con:
            return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def setup_site(self):
        self.ok("site", "add", "--code", "SH01", "--name", "上海浦东店")
        self.ok("model", "add", "--code", "XH7", "--name", "星河 7", "--price-fen", "18980000")

    # 1. usage
    def test_01_help_and_version(self):
        r = self.run_cli("--help", db=False)
        self.assertEqual(r.returncode, 0)
        for word in ("device add", "demo-data", "staff add", "vehicle add", "audit verify",
                     "site set"):
            self.assertIn(word, r.stdout)
        r = self.run_cli("--version", db=False)
        self.assertEqual(r.returncode, 0)
        self.assertIn("showfloor.v1", r.stdout)

    def test_02_usage_errors_exit_2(self):
        for args in (["frobnicate"], ["site", "add", "--code", "X"], ["site", "add", "--bogus", "1"],
                     ["staff", "add", "--site", "SH01", "--no", "S1", "--name", "A",
                      "--role", "pilot", "--pin", "1234"],
                     ["staff", "add", "--site", "SH01", "--no", "S1", "--name", "A",
                      "--role", "consultant", "--pin", "12"],
                     ["device", "add", "--site", "SH01", "--mode", "kitchen", "--name", "K"],
                     ["device", "revoke"], ["duty", "set", "--staff", "S1", "--status", "maybe"]):
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
            self.assertTrue(r.stderr.strip(), f"{args} gave no message")

    def test_03_init_creates_and_is_idempotent(self):
        self.ok("init")
        self.ok("init")
        self.assertTrue(os.path.exists(self.db))

    def test_04_future_database_refused(self):
        self.ok("init")
        with sqlite3.connect(self.db) as con:
            con.execute("PRAGMA user_version = 9999")
        r = self.run_cli("site", "list")
        self.assertEqual(r.returncode, 1)
        self.assertIn("newer", r.stderr)

    def test_05_not_a_database_refused(self):
        with open(self.db, "wb") as f:
            f.write(b"this is not a database, it is a shopping list\n" * 50)
        r = self.run_cli("init")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.strip())

    # 2. organisation
    def test_10_site_staff_and_duplicates(self):
        self.setup_site()
        r = self.run_cli("site", "add", "--code", "SH01", "--name", "again")
        self.assertEqual(r.returncode, 1)
        self.ok("staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
                "--role", "consultant", "--pin", "1234")
        r = self.run_cli("staff", "add", "--site", "SH01", "--no", "S001", "--name", "又一个",
                         "--role", "consultant", "--pin", "1234")
        self.assertEqual(r.returncode, 1)
        r = self.run_cli("staff", "add", "--site", "NOPE", "--no", "S002", "--name", "李娜",
                         "--role", "consultant", "--pin", "1234")
        self.assertEqual(r.returncode, 1)
        self.assertIn("NOPE", r.stderr)
        out = self.ok("staff", "list").stdout
        self.assertIn("张伟", out)
        self.assertNotIn("李娜", out)
        with sqlite3.connect(self.db) as con:
            pin_hash = con.execute("SELECT pin_hash FROM staff").fetchone()[0]
        self.assertTrue(pin_hash.startswith("$argon2id$"), pin_hash)
        self.assertNotIn("1234", pin_hash)

    def test_11_duty(self):
        self.setup_site()
        self.ok("staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
                "--role", "consultant", "--pin", "1234")
        self.ok("duty", "set", "--staff", "S001", "--status", "rest", "--day", "2026-11-22")
        r = self.run_cli("duty", "set", "--staff", "S001", "--status", "on", "--day", "22/11/2026")
        self.assertEqual(r.returncode, 2)
        r = self.run_cli("duty", "set", "--staff", "NOBODY", "--status", "on")
        self.assertEqual(r.returncode, 1)

    # 3. devices
    def test_20_device_token_printed_once_and_stored_hashed(self):
        self.setup_site()
        r = self.ok("device", "add", "--site", "SH01", "--mode", "reception", "--name", "R1")
        token = r.stdout.strip()
        self.assertEqual(r.stdout, token + "\n", "stdout must carry only the token")
        self.assertGreaterEqual(len(token), 32)
        with sqlite3.connect(self.db) as con:
            rows = con.execute("SELECT * FROM devices").fetchall()
        self.assertEqual(len(rows), 1)
        self.assertNotIn(token, repr(rows))
        r2 = self.ok("device", "add", "--site", "SH01", "--mode", "board", "--name", "B1")
        self.assertNotEqual(r2.stdout.strip(), token)
        r = self.run_cli("device", "add", "--site", "SH01", "--mode", "board", "--name", "B1")
        self.assertEqual(r.returncode, 1, "device names are unique within a site")

    def test_21_revoke(self):
        self.setup_site()
        self.ok("device", "add", "--site", "SH01", "--mode", "reception", "--name", "R1")
        events_before = self.count("events")
        self.ok("device", "revoke", "--site", "SH01", "--name", "R1")
        self.assertEqual(self.count("events"), events_before + 1)
        r = self.run_cli("device", "revoke", "--site", "SH01", "--name", "R1")
        self.assertEqual(r.returncode, 1, "revoking twice is an error")
        self.assertEqual(self.count("events"), events_before + 1)
        r = self.run_cli("device", "revoke", "--id", "999")
        self.assertEqual(r.returncode, 1)
        out = self.ok("device", "list").stdout
        self.assertIn("revoked", out)

    # 4. orders
    def test_30_order_add(self):
        self.setup_site()
        r = self.ok("order", "add", "--site", "SH01", "--phone", "+86 138-1234-5678",
                    "--customer", "刘芳", "--gender", "female", "--model", "XH7",
                    "--stage", "allocated", "--payment", "loan")
        order_no = r.stdout.strip()
        self.assertRegex(order_no, r"^SF\d{4}-\d{4}$")
        with sqlite3.connect(self.db) as con:
            phone, = con.execute("SELECT phone FROM customers").fetchone()
            stage, total, paid = con.execute(
                "SELECT stage, total_fen, paid_fen FROM orders").fetchone()
        self.assertEqual(phone, "13812345678")
        self.assertEqual((stage, total), ("allocated", 18980000))
        self.assertLess(paid, total, "an allocated loan order has not all money in")
        r2 = self.ok("order", "add", "--site", "SH01", "--phone", "13812345678",
                     "--customer", "刘芳", "--model", "XH7")
        self.assertNotEqual(r2.stdout.strip(), order_no)
        self.assertEqual(self.count("customers"), 1, "one phone is one customer")

    def test_31_bad_order_changes_nothing(self):
        self.setup_site()
        before = (self.count("orders"), self.count("customers"), self.count("events"))
        for args, code in ((["--phone", "12345", "--customer", "刘芳", "--model", "XH7"], 1),
                           (["--phone", "13812345678", "--customer", "刘芳", "--model", "NOPE"], 1),
                           (["--phone", "13812345678", "--customer", "刘芳", "--model", "XH7",
                             "--stage", "teleported"], 2)):
            r = self.run_cli("order", "add", "--site", "SH01", *args)
            self.assertEqual(r.returncode, code, f"{args}: {r.stderr}")
            self.assertTrue(r.stderr.strip())
        self.assertEqual((self.count("orders"), self.count("customers"), self.count("events")),
                         before)

    # 5. demo data
    def test_40_demo_data(self):
        r = self.ok("demo-data", "--seed", "7")
        self.assertIn("S003 / 1003", r.stdout)
        self.assertEqual(self.count("leads"), 60)
        self.assertEqual(self.count("orders"), 20)
        self.assertGreaterEqual(self.count("staff"), 8)
        self.assertEqual(self.count("models"), 6)
        with sqlite3.connect(self.db) as con:
            stages = {s for (s,) in con.execute("SELECT DISTINCT stage FROM orders")}
            grades = {g for (g,) in con.execute("SELECT DISTINCT grade FROM leads")}
            roles = {r for (r,) in con.execute("SELECT DISTINCT role FROM staff")}
            phones = [p for (p,) in con.execute("SELECT phone FROM customers")]
        self.assertGreaterEqual(len(stages), 9)
        self.assertEqual(grades, set("HABFLO"))
        self.assertEqual(len(roles), 9)
        self.assertEqual(len(phones), len(set(phones)))
        for p in phones:
            self.assertRegex(p, r"^1[3-9]\d{9}$")
        events = self.count("events")
        r = self.run_cli("demo-data")
        self.assertEqual(r.returncode, 1, "demo data goes into a fresh database only")
        self.assertEqual(self.count("events"), events)

    def test_41_demo_data_deterministic(self):
        self.ok("demo-data", "--seed", "11")
        with sqlite3.connect(self.db) as con:
            first = con.execute("SELECT phone, name FROM customers ORDER BY id").fetchall()
        os.remove(self.db)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        self.ok("demo-data", "--seed", "11")
        with sqlite3.connect(self.db) as con:
            second = con.execute("SELECT phone, name FROM customers ORDER BY id").fetchall()
        self.assertEqual(first, second)


    # 6. inventory, site settings, audit trail (the order life cycle's direct commands)
    def audit_count(self):
        return self.count("audit")

    def test_50_vehicle_add_and_list(self):
        self.setup_site()
        before = self.audit_count()
        self.ok("vehicle", "add", "--site", "SH01", "--vin", "lsvau2180n2183294",
                "--model", "XH7", "--colour", "曜石黑")
        with sqlite3.connect(self.db) as con:
            row = con.execute("SELECT vin, model_code, colour, state, order_id"
                              " FROM vehicles").fetchone()
        self.assertEqual(row, ("LSVAU2180N2183294", "XH7", "曜石黑", "in_stock", None))
        self.assertEqual(self.audit_count(), before + 1, "a CLI write leaves an audit record")
        for args, code in ((["--vin", "LSVAU2180N218329I", "--model", "XH7"], 2),  # I
                           (["--vin", "LSVAU2180N21832", "--model", "XH7"], 2),    # short
                           (["--vin", "LSVAU2180N2183295", "--model", "NOPE"], 1),
                           (["--vin", "LSVAU2180N2183294", "--model", "XH7"], 1)):  # dup
            r = self.run_cli("vehicle", "add", "--site", "SH01", *args)
            self.assertEqual(r.returncode, code, f"{args}: {r.stderr}")
            self.assertTrue(r.stderr.strip())
        r = self.run_cli("vehicle", "add", "--site", "NOPE", "--vin", "LSVAU2180N2183296",
                         "--model", "XH7")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.count("vehicles"), 1)
        self.assertEqual(self.audit_count(), before + 1, "failed writes leave no record")
        out = self.ok("vehicle", "list").stdout
        self.assertIn("LSVAU2180N2183294", out)
        self.assertIn("in_stock", out)
        self.assertEqual(self.ok("vehicle", "list", "--state", "reserved").stdout, "")
        self.assertEqual(self.run_cli("vehicle", "list", "--state", "sold").returncode, 2)
        self.assertEqual(self.run_cli("vehicle", "fly").returncode, 2)

    def test_51_site_settings(self):
        self.setup_site()
        out = self.ok("site", "settings", "--site", "SH01").stdout
        self.assertRegex(out, r"initial_review_hours\s+4\s+\(default\)")
        self.assertRegex(out, r"close_hours\s+72\s+\(default\)")
        before = self.audit_count()
        self.ok("site", "set", "--site", "SH01", "--key", "initial_review_hours", "--value", "6")
        out = self.ok("site", "settings", "--site", "SH01").stdout
        self.assertRegex(out, r"initial_review_hours\s+6\n")
        self.assertEqual(self.audit_count(), before + 1)
        with sqlite3.connect(self.db) as con:
            b, a = con.execute("SELECT before, after FROM audit ORDER BY id DESC").fetchone()
        self.assertEqual(json.loads(b), {"value": 4, "default": True})
        self.assertEqual(json.loads(a), {"value": 6, "default": False})
        for args in (["--key", "lunch_hours", "--value", "1"],
                     ["--key", "close_hours", "--value", "0"],
                     ["--key", "close_hours", "--value", "soon"]):
            r = self.run_cli("site", "set", "--site", "SH01", *args)
            self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
            self.assertTrue(r.stderr.strip())
        r = self.run_cli("site", "set", "--site", "NOPE", "--key", "close_hours", "--value", "5")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.audit_count(), before + 1)
        self.assertIn("SH01", self.ok("site", "list").stdout)  # the other verbs still work
        self.assertEqual(self.run_cli("site", "bogus").returncode, 2)

    def test_52_audit_verify_and_tamper(self):
        self.setup_site()
        self.ok("vehicle", "add", "--site", "SH01", "--vin", "LSVAU2180N2183294", "--model", "XH7")
        self.ok("vehicle", "add", "--site", "SH01", "--vin", "LSVAU2180N2183295", "--model", "XH7")
        self.ok("site", "set", "--site", "SH01", "--key", "close_hours", "--value", "48")
        self.ok("order", "add", "--site", "SH01", "--phone", "13812345678", "--customer", "刘芳",
                "--model", "XH7", "--stage", "ready")
        n = self.audit_count()
        r = self.ok("audit", "verify")
        self.assertEqual(r.stdout.strip(), f"ok {n} records")
        self.assertEqual(audit_chain_ok(self.db), (True, n, 0), "layout as documented")
        out = self.ok("audit", "list", "--entity", "vehicle", "--id", "LSVAU2180N2183295").stdout
        self.assertIn("vehicle_add", out)
        # edit one byte of record 2 with the sqlite3 shell, as an intruder would
        edit = "UPDATE audit SET actor = 'clj' WHERE id = 2"
        if shutil.which("sqlite3"):
            subprocess.run(["sqlite3", self.db, edit], check=True)
        else:
            with sqlite3.connect(self.db) as con:
                con.execute(edit)
        r = self.run_cli("audit", "verify")
        self.assertEqual(r.returncode, 1)
        self.assertIn("record 2", r.stdout)
        self.assertFalse(audit_chain_ok(self.db)[0])
        with sqlite3.connect(self.db) as con:
            con.execute("UPDATE audit SET actor = 'cli' WHERE id = 2")
        self.ok("audit", "verify")
        with sqlite3.connect(self.db) as con:  # a deleted tail is noticed too
            con.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
        r = self.run_cli("audit", "verify")
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"record {n}", r.stdout)

    def test_53_order_add_consistent_sub_states(self):
        self.setup_site()
        no = self.ok("order", "add", "--site", "SH01", "--phone", "13812345678", "--customer",
                     "刘芳", "--model", "XH7", "--stage", "ready", "--payment", "loan").stdout.strip()
        with sqlite3.connect(self.db) as con:
            o = con.execute("SELECT id, vin, invoice_no, paid_fen, total_fen, prep_cleaning_at,"
                            " prep_inspection_at, prep_maintenance_at, doc_invoice_at, doc_coc_at,"
                            " doc_warranty_at, loan_contract_at, loan_disbursed_fen FROM orders"
                            " WHERE order_no = ?", (no,)).fetchone()
            paid = con.execute("SELECT sum(amount_fen) FROM payments WHERE order_id = ?",
                               (o[0],)).fetchone()[0]
            car = con.execute("SELECT state, order_id FROM vehicles WHERE vin = ?",
                              (o[1],)).fetchone()
        self.assertEqual(len(o[1]), 17)
        self.assertTrue(o[2])
        self.assertEqual(o[3], o[4])
        self.assertEqual(paid, o[3], "paid_fen is the sum of the payment rows")
        self.assertTrue(all(o[5:12]), o)
        self.assertGreater(o[12], 0)
        self.assertEqual(car, ("reserved", o[0]))

    def test_54_demo_data_covers_the_life_cycle(self):
        self.ok("demo-data", "--seed", "5")
        self.assertEqual(audit_chain_ok(self.db)[0], True)
        self.assertIn("ok ", self.ok("audit", "verify").stdout)
        con = sqlite3.connect(self.db)
        try:
            q = lambda sql, *a: con.execute(sql, a).fetchall()
            stages = {s for (s,) in q("SELECT stage FROM orders")}
            self.assertEqual(stages, {"entered", "reviewed", "returned", "approved", "allocated",
                                      "paid", "ready", "delivered", "closed", "cancelled"})
            # money: every order's paid_fen is the sum of its payments
            for oid, paid in q("SELECT id, paid_fen FROM orders"):
                s, = q("SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE order_id = ?",
                       oid)[0]
                self.assertEqual(s, paid, f"order {oid}")
            # ready and later: vehicle, invoice, all prep, full money, documents
            for row in q("SELECT order_no, vin, invoice_no, prep_cleaning_at, prep_inspection_at,"
                         " prep_maintenance_at, doc_invoice_at, doc_coc_at, doc_warranty_at,"
                         " paid_fen - total_fen FROM orders"
                         " WHERE stage IN ('ready', 'delivered', 'closed')"):
                self.assertTrue(all(row[1:9]), row)
                self.assertEqual(row[9], 0, row)
            # delivered: a sign-off and a delivered car
            n, = q("SELECT count(*) FROM orders o JOIN signoffs s ON s.order_id = o.id"
                   " JOIN vehicles v ON v.vin = o.vin AND v.state = 'delivered'"
                   " WHERE o.stage IN ('delivered', 'closed')")[0]
            self.assertEqual(n, 3)
            # reserved cars belong to open orders that name them
            for state, stage, vin, ovin in q("SELECT v.state, o.stage, v.vin, o.vin FROM"
                                             " vehicles v JOIN orders o ON o.id = v.order_id"
                                             " WHERE v.state = 'reserved'"):
                self.assertIn(stage, ("allocated", "paid", "ready"))
                self.assertEqual(vin, ovin)
            stock = dict(q("SELECT state, count(*) FROM vehicles GROUP BY state"))
            self.assertGreaterEqual(stock["in_stock"] + stock["reserved"], 8)
            self.assertGreater(stock["reserved"], 0)
            self.assertGreater(stock["in_stock"], 0)
            # a loan order mid-way: documents and bank approval, no contract yet
            self.assertTrue(q("SELECT 1 FROM orders WHERE payment = 'loan' AND stage = 'allocated'"
                              " AND loan_documents_at > 0 AND loan_approved_at > 0"
                              " AND loan_contract_at = 0"))
            # rejected at final review, edited and resubmitted
            self.assertTrue(q("SELECT 1 FROM orders WHERE stage = 'entered'"
                              " AND final_decided_at > 0 AND last_reason <> ''"
                              " AND entered_at > final_decided_at"))
            # an applied change with old and new values
            (changes,), = q("SELECT changes FROM order_requests WHERE kind = 'change'"
                            " AND state = 'applied'")
            colour = json.loads(changes)["colour"]
            self.assertNotEqual(colour["old"], colour["new"])
            self.assertTrue(q("SELECT 1 FROM orders WHERE colour = ?", colour["new"]))
            # cancelled with the paid money due back
            (due, paid), = q("SELECT refund_due_fen, paid_fen FROM orders"
                             " WHERE stage = 'cancelled'")
            self.assertGreater(due, 0)
            self.assertEqual(due, paid)
            # a time limit already missed: entered more than a day ago, never reviewed
            self.assertTrue(q("SELECT 1 FROM orders WHERE stage = 'entered'"
                              " AND initial_decided_at = 0 AND entered_at < ?",
                              int(__import__("time").time() * 1000) - 24 * 3600 * 1000))
        finally:
            con.close()


if __name__ == "__main__":
    unittest.main()

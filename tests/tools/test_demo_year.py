"""`showfloor demo-year`: a small simulated year (2 sites, 2,000 leads, 600 orders, ~20,000
events) checked from the raw tables with sqlite3: the counts asked for, every order stage and
time-limit kind the hub records, records shaped as the hub writes them (events, audit chain,
satisfaction, stock), determinism for a seed, the refusal of an existing file and of bad
options, and that `showfloor report monthly` runs on the result."""
import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

from test_cli import audit_chain_ok

CLI = os.environ.get("SHOWFLOOR_CLI", "showfloor")
SMALL = ["--sites", "2", "--leads", "2000", "--orders", "600", "--events", "20000"]


def generate(db, *extra):
    return subprocess.run([CLI, "demo-year", "--db", db] + SMALL + list(extra),
                          capture_output=True, text=True, timeout=600)


def fingerprint(db):
    """A hash of what the year consists of: every order's number, stage, money and times,
    every lead's status and grade, and the row count of each table."""
    h = hashlib.sha256()
    with sqlite3.connect(db) as con:
        for row in con.execute("SELECT order_no, stage, total_fen, paid_fen, created_at,"
                               " delivered_at, closed_at, cancelled_at FROM orders ORDER BY id"):
            h.update(repr(row).encode())
        for row in con.execute("SELECT status, grade, channel, created_at FROM leads"
                               " ORDER BY id"):
            h.update(repr(row).encode())
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for t in tables:
            h.update(f"{t}={con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}".encode())
    return h.hexdigest()


class DemoYearTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "year.db")
        cls.gen = generate(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def q(self, sql, *args):
        with sqlite3.connect(self.db) as con:
            return con.execute(sql, args).fetchall()

    def one(self, sql, *args):
        return self.q(sql, *args)[0][0]

    def test_01_generates_the_counts_asked_for(self):
        self.assertEqual(self.gen.returncode, 0, self.gen.stderr)
        self.assertIn("(0 refused)", self.gen.stdout)  # no planned request was refused
        self.assertEqual(self.one("SELECT count(*) FROM sites"), 2)
        self.assertEqual(self.one("SELECT count(*) FROM leads"), 2000)
        self.assertEqual(self.one("SELECT count(*) FROM orders"), 600)
        events = self.one("SELECT count(*) FROM events")
        self.assertIn(f"{events} events", self.gen.stdout)
        # the target steers optional activity; orders and leads bring a floor of their own
        self.assertGreater(events, 20000 * 0.9)
        self.assertLess(events, 20000 * 1.4)
        # one year, local (UTC+8) calendar 2026
        lo, hi = self.q("SELECT min(created_at), max(created_at) FROM leads")[0]
        self.assertGreaterEqual(lo, 1767196800000)  # 2026-01-01 00:00 +08:00
        self.assertLess(hi, 1798732800000)  # 2027-01-01 00:00 +08:00
        self.assertLess(self.one("SELECT max(at) FROM events"), 1798732800000)

    def test_02_the_life_cycle_is_all_there(self):
        stages = {s for (s,) in self.q("SELECT DISTINCT stage FROM orders")}
        self.assertTrue({"closed", "delivered", "cancelled"} <= stages, stages)
        # most orders of the year are finished; the ones of late December are still open
        closed = self.one("SELECT count(*) FROM orders WHERE stage = 'closed'")
        self.assertGreater(closed, 600 * 0.8)
        # some orders were sent back by the initial review (the hub's audit record says so)
        self.assertGreater(self.one("SELECT count(*) FROM audit WHERE action = 'order_review'"
                                    " AND after LIKE '%\"returned\"%'"), 0)
        kinds = {k for (k,) in self.q("SELECT DISTINCT kind FROM sla_breaches")}
        self.assertTrue({"initial_review", "final_review", "close"} <= kinds, kinds)
        statuses = dict(self.q("SELECT status, count(*) FROM leads GROUP BY status"))
        self.assertTrue({"converted", "lost", "invalid"} <= set(statuses), statuses)
        # every delivered order has its sign-off and its rating in the satisfaction figures
        delivered = self.one("SELECT count(*) FROM orders WHERE delivered_at > 0")
        self.assertEqual(self.one("SELECT count(*) FROM signoffs"), delivered)
        self.assertEqual(self.one("SELECT count(*) FROM satisfaction WHERE order_id IS NOT NULL"),
                         delivered)
        self.assertGreater(self.one("SELECT count(*) FROM visits"), 0)
        self.assertGreater(self.one("SELECT count(*) FROM complaints WHERE state = 'closed'"), 0)
        self.assertGreater(self.one("SELECT count(*) FROM payments WHERE kind ="
                                    " 'loan_disbursement'"), 0)
        self.assertGreater(self.one("SELECT count(*) FROM vehicles WHERE state = 'delivered'"), 0)
        self.assertEqual(self.one("SELECT count(*) FROM visits WHERE status <> 'departed'"), 0)

    def test_03_records_are_the_hubs(self):
        # orders were made by the core: order.created carries the full order, the audit
        # record of each creation names the consultant, conversion linked the lead
        self.assertEqual(self.one("SELECT count(*) FROM events WHERE kind = 'order.created'"), 600)
        ev = json.loads(self.one("SELECT data FROM events WHERE kind = 'order.created'"
                                 " ORDER BY seq LIMIT 1"))
        self.assertIn("order_no", ev["order"])
        self.assertIn("customer", ev["order"])
        actors = {a for (a,) in self.q("SELECT DISTINCT actor FROM audit WHERE action ="
                                       " 'order_create'")}
        self.assertTrue(actors and all(a.startswith("staff:S") for a in actors), actors)
        self.assertGreater(self.one("SELECT count(*) FROM leads WHERE status = 'converted'"
                                    " AND order_id IN (SELECT id FROM orders)"), 600 * 0.5)
        # events are in time order, as a hub appends them
        back = self.one("SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1"
                        " WHERE b.at < a.at - 3 * 3600 * 1000")
        self.assertEqual(back, 0)
        ok, n, bad = audit_chain_ok(self.db)
        self.assertTrue(ok, f"audit chain broken at {bad}")
        self.assertGreater(n, 1000)
        r = subprocess.run([CLI, "--db", self.db, "audit", "verify"], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_04_same_seed_same_year_other_seed_other_year(self):
        again = os.path.join(self.tmp.name, "again.db")
        other = os.path.join(self.tmp.name, "other.db")
        r = generate(again)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(fingerprint(again), fingerprint(self.db))
        r = generate(other, "--seed", "7")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotEqual(fingerprint(other), fingerprint(self.db))

    def test_05_refuses_an_existing_file(self):
        path = os.path.join(self.tmp.name, "exists.db")
        with open(path, "wb") as f:
            f.write(b"precious")
        r = generate(path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"precious")

    def test_06_refuses_bad_options(self):
        path = os.path.join(self.tmp.name, "bad.db")
        for args in (["--leads", "0"], ["--leads", "10", "--orders", "20"],
                     ["--sites", "99"], ["--year", "1999"], ["--colour", "red"]):
            r = subprocess.run([CLI, "demo-year", "--db", path] + args, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
            self.assertTrue(r.stderr.strip(), args)
            self.assertFalse(os.path.exists(path), args)  # nothing was created

    def test_07_monthly_report_runs_on_it(self):
        for fmt in ("csv", "html"):
            r = subprocess.run([CLI, "--db", self.db, "report", "monthly", "--from",
                                "2026-10-01", "--to", "2026-10-31", "--format", fmt],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertGreater(len(r.stdout), 1000)
        r = subprocess.run([CLI, "--db", self.db, "report", "monthly"], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()

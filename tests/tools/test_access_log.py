"""`showfloor access-log`, black-box: staff create and read an order through the real hub's
HTTP API (the CLI's `order create|get|list`), then access-log lists who read whose personal
data, by which request and when (newest first; --customer, --since, --limit, --json), and the
database holds the customer only masked in events and stored results and by id in the audit.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from hubtest import CLI, Hub, Site, api_cli  # noqa: E402

NAME = "欧阳娜娜"
PHONE = "13912345678"


class AccessLog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="showfloor-access-")
        cls.db = os.path.join(cls.tmp, "showfloor.db")
        site = Site(cls.db)
        token_file = os.path.join(cls.tmp, "api.token")
        with open(token_file, "w") as f:
            f.write(site.add_device("api", "CLI") + "\n")
        cls.t0 = int(time.time() * 1000)
        hub = Hub(cls.db, cls.tmp)
        try:
            def order(staff, pin, *args):
                p = api_cli(hub.port, token_file, staff, pin, "order", *args, "--json")
                assert p.returncode == 0, f"order {args}: {p.stderr}"
                return json.loads(p.stdout)

            created = order("S001", "1234", "create", "--phone", PHONE, "--customer", NAME,
                            "--gender", "female", "--model", "HX7", "--colour", "珍珠白",
                            "--quantity", "1", "--unit-price-fen", "18980000",
                            "--channel", "showroom", "--payment", "full")
            cls.created = created.get("data", created)["order"]
            cls.order_no = cls.created["order_no"]
            cls.got = order("S002", "2468", "get", cls.order_no)
            order("S001", "1234", "list")
        finally:
            code = hub.stop()
        assert code == 0, hub.log_text()[-4000:]
        with sqlite3.connect(cls.db) as con:
            cls.customer_id = con.execute("SELECT id FROM customers").fetchone()[0]
            cls.api_device = con.execute(
                "SELECT id FROM devices WHERE name = 'CLI'").fetchone()[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_cli(self, *args):
        return subprocess.run([CLI, "--db", self.db, "access-log", *args], capture_output=True,
                              text=True, timeout=60)

    def rows(self, *args):
        p = self.run_cli("--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_1_staff_reads_are_listed_newest_first(self):
        # the staff member who read the order saw the customer in the clear
        o = self.got.get("data", self.got)["order"]
        self.assertEqual(o["customer"]["name"], NAME)
        rows = self.rows()
        got = [(r["actor"], r["what"], r["customer_id"]) for r in rows]
        self.assertEqual(got, [("staff:S001", "order_list", self.customer_id),
                               ("staff:S002", "order_get", self.customer_id),
                               ("staff:S001", "order_create", self.customer_id)])
        now = int(time.time() * 1000)
        for r in rows:
            self.assertEqual(r["device_id"], self.api_device)
            self.assertTrue(self.t0 <= r["at"] <= now, r)
            self.assertRegex(r["at_iso"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertGreater(r["site_id"], 0)
        self.assertGreaterEqual(rows[0]["at"], rows[1]["at"])
        # no personal data in the log itself
        text = json.dumps(rows, ensure_ascii=False)
        self.assertNotIn(NAME, text)
        self.assertNotIn(PHONE, text)

    def test_2_table_output(self):
        p = self.run_cli()
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 4, p.stdout)
        self.assertTrue(lines[0].startswith("at (UTC)"), lines[0])
        self.assertIn("actor", lines[0])
        self.assertIn("staff:S002", lines[2])
        self.assertIn("order_get", lines[2])
        self.assertIn(str(self.customer_id), lines[2].split())

    def test_3_filters(self):
        self.assertEqual(len(self.rows("--customer", str(self.customer_id))), 3)
        self.assertEqual(self.rows("--customer", str(self.customer_id + 100)), [])
        self.assertEqual(len(self.rows("--since", "2000-01-01")), 3)
        self.assertEqual(self.rows("--since", "2999-12-31"), [])
        one = self.rows("--limit", "1")
        self.assertEqual([(r["what"]) for r in one], ["order_list"])
        p = self.run_cli("--customer", "999999")
        self.assertEqual(p.returncode, 0)
        self.assertIn("no reads of personal data", p.stderr)

    def test_4_bad_options_are_usage_errors(self):
        for args in (("--since", "2026-02-30"), ("--since", "yesterday"), ("--limit", "0"),
                     ("--customer", "abc"), ("--customer", "0"), ("--frobnicate",)):
            p = self.run_cli(*args)
            self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))
            self.assertEqual(p.stdout, "", args)

    def test_5_at_rest_masked_in_events_and_results_ids_in_the_audit(self):
        with sqlite3.connect(self.db) as con:
            events = " ".join(r[0] for r in con.execute("SELECT data FROM events"))
            results = " ".join(r[0] for r in con.execute("SELECT result FROM commands"))
            audit = " ".join((r[0] or "") + (r[1] or "") for r in con.execute(
                "SELECT before, after FROM audit WHERE entity = 'order'"))
        self.assertIn("order.created", " ".join(
            r[0] for r in sqlite3.connect(self.db).execute("SELECT kind FROM events")))
        for where, text in (("events", events), ("commands", results), ("audit", audit)):
            self.assertNotIn(NAME, text, where)
            self.assertNotIn(PHONE, text, where)
        self.assertIn("欧阳女士", events)
        self.assertIn("139****5678", events)
        self.assertIn("欧阳女士", results)
        self.assertIn('"customer":{"id":%d,"kind":"individual"}' % self.customer_id, audit)
        self.assertIn('"customer_name":"[personal]"', audit)


if __name__ == "__main__":
    unittest.main()

"""The admin CLI `showfloor`, as an IT person uses it: exit codes, messages, and that a
failed command changes nothing."""
import os
import sqlite3
import subprocess
import tempfile
import unittest

CLI = os.environ.get("SHOWFLOOR_CLI", "showfloor")


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
        for word in ("device add", "demo-data", "staff add"):
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


if __name__ == "__main__":
    unittest.main()

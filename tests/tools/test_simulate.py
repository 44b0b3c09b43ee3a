"""`showfloor simulate`, black-box: a real hub on a demo database, a compressed simulated
day through the hub's HTTP API, then the database says what happened: visits, orders moving
stages, a review sent back, a delivery, a complaint and a conflict ruling, each with its
events, every acknowledged command in the hub's command log, the audit chain intact, and the
simulator's own devices revoked. The same seed on a fresh database does the same number of
actions. Refusals: bad options (exit 2), no hub (exit 3), the hub going away mid-day (exit 3),
SIGINT (a summary and exit 0)."""
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from hubtest import CLI, Hub, cli  # noqa: E402

ACTIONS = re.compile(r"actions: (\d+) \(ok (\d+), refused (\d+)\)")


def demo_db(workdir, name):
    db = os.path.join(workdir, name)
    cli(db, "demo-data")
    return db


def simulate(db, port, *args, timeout=180):
    return subprocess.run([CLI, "--db", db, "simulate", "--hub", f"http://127.0.0.1:{port}",
                           *args], capture_output=True, text=True, timeout=timeout)


def actions(out):
    m = ACTIONS.search(out)
    assert m, out[-2000:]
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SimulatedDay(unittest.TestCase):
    """One simulated morning (2 h at 3600x, seed 7) on the demo dealership."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="showfloor-simulate-")
        cls.db = demo_db(cls.tmp.name, "day.db")
        with sqlite3.connect(cls.db) as con:
            cls.seq0 = con.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            cls.audit0 = con.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
        cls.hub = Hub(cls.db, cls.tmp.name)
        try:
            cls.run1 = simulate(cls.db, cls.hub.port, "--speed", "3600", "--duration", "2",
                                "--seed", "7")
        finally:
            cls.hub_code = cls.hub.stop()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rows(self, sql, *params):
        with sqlite3.connect(self.db) as con:
            return con.execute(sql, params).fetchall()

    def events(self, kind):
        return [json.loads(d) for (d,) in self.rows(
            "SELECT data FROM events WHERE seq > ? AND kind = ? ORDER BY seq", self.seq0, kind)]

    def audit(self, action):
        return [(json.loads(b) if b else None, json.loads(a) if a else None) for (b, a) in
                self.rows("SELECT before, after FROM audit WHERE id > ? AND action = ?",
                          self.audit0, action)]

    def test_01_runs_the_day_and_says_so(self):
        self.assertEqual(self.run1.returncode, 0, self.run1.stderr + self.run1.stdout[-3000:])
        self.assertEqual(self.hub_code, 0, self.hub.log_text()[-3000:])
        out = self.run1.stdout
        self.assertIn("seed 7", out)
        n, ok, refused = actions(out)
        self.assertGreaterEqual(n, 30)
        self.assertEqual(n, ok + refused)
        # one line per action, each starting with the simulated time of day
        lines = [ln for ln in out.splitlines() if re.match(r"^\d\d:\d\d  ", ln)]
        self.assertEqual(len(lines), n)
        self.assertTrue(lines[0].startswith("09:0"), lines[0])
        self.assertTrue(all("09:00" <= ln[:5] <= "11:00" for ln in lines), lines[-1])
        for word in ("check-in", "serve", "review", "delivery", "complaint", "ruling"):
            self.assertTrue(any(word in ln for ln in lines), word)

    def test_02_every_acknowledged_command_is_in_the_hubs_log(self):
        _, ok, _ = actions(self.run1.stdout)
        (logged,) = self.rows(
            "SELECT count(*) FROM commands WHERE device_id IN "
            "(SELECT id FROM devices WHERE name LIKE 'Simulator %')")[0]
        self.assertEqual(logged, ok)

    def test_03_visits_checked_in_served_and_gone(self):
        checked_in = self.events("visit.checked_in")
        self.assertGreaterEqual(len(checked_in), 3)
        statuses = [e["visit"]["status"] for e in self.events("visit.updated")]
        self.assertIn("serving", statuses)
        self.assertIn("departed", statuses)
        # customers new to the hub gave the kiosk's answers (model, source)
        self.assertTrue(any(e["visit"]["model"] and e["visit"]["source"] for e in checked_in))
        (served,) = self.rows("SELECT count(*) FROM visits WHERE served_at > 0 AND arrived_at >= "
                              "(SELECT min(at) FROM events WHERE seq > ?)", self.seq0)[0]
        self.assertGreaterEqual(served, 2)

    def test_04_orders_move_through_their_stages(self):
        created = self.events("order.created")
        self.assertGreaterEqual(len(created), 1)
        moves = set()
        for before, after in self.audit("order_review") + self.audit("order_approve") + \
                self.audit("order_deliver") + self.audit("order_ready"):
            if before and after and "stage" in before and "stage" in after:
                moves.add((before["stage"], after["stage"]))
        self.assertIn(("entered", "reviewed"), moves)
        self.assertIn(("ready", "delivered"), moves)
        self.assertGreaterEqual(len(self.events("order.updated")), 10)

    def test_05_a_review_returned_then_resubmitted(self):
        returned = [a for b, a in self.audit("order_review") if a and a.get("stage") == "returned"]
        self.assertGreaterEqual(len(returned), 1)
        self.assertGreaterEqual(len(self.audit("order_resubmit")), 1)
        stages = [e["order"]["stage"] for e in self.events("order.updated")]
        self.assertIn("returned", stages)

    def test_06_a_delivery_with_its_signed_record(self):
        rows = self.rows("SELECT o.stage, s.rating, length(s.hash) FROM signoffs s "
                         "JOIN orders o ON o.id = s.order_id WHERE s.at >= "
                         "(SELECT min(at) FROM events WHERE seq > ?)", self.seq0)
        self.assertGreaterEqual(len(rows), 1)
        for stage, rating, hash_len in rows:
            self.assertIn(stage, ("delivered", "closed"))
            self.assertIn(rating, (3, 4, 5))
            self.assertEqual(hash_len, 64)

    def test_07_a_complaint_opened_and_handled(self):
        opened = self.events("complaint.opened")
        self.assertEqual(len(opened), 1)
        cid = opened[0]["complaint"]["id"]
        (state, first_response, resolution) = self.rows(
            "SELECT state, first_response_at, resolution FROM complaints WHERE id = ?", cid)[0]
        self.assertEqual(state, "closed")
        self.assertTrue(resolution)
        self.assertGreater(first_response, 0)
        self.assertTrue(any(e["complaint"]["id"] == cid for e in self.events("complaint.updated")))

    def test_08_a_conflict_opened_and_ruled(self):
        ruled = self.events("conflict.ruled")
        self.assertEqual(len(ruled), 1)
        c = ruled[0]["conflict"]
        self.assertEqual(c["state"], "ruled")  # the log keeps it whole; screens get it masked
        opened = [e for e in self.events("conflict.opened") if e["conflict"]["id"] == c["id"]]
        self.assertEqual(len(opened), 1)
        (winner,) = self.rows("SELECT s.staff_no FROM conflicts c JOIN staff s "
                              "ON s.id = c.winner_id WHERE c.id = ?", c["id"])[0]
        self.assertEqual(winner, "S006")  # the consultant whose phone lead came first

    def test_09_devices_revoked_audit_intact(self):
        devices = self.rows("SELECT name, mode, revoked_at FROM devices "
                            "WHERE name LIKE 'Simulator %' ORDER BY id")
        self.assertEqual([(n, m) for n, m, _ in devices],
                         [("Simulator reception", "reception"), ("Simulator API", "api")])
        self.assertTrue(all(r > 0 for _, _, r in devices))
        self.assertRegex(cli(self.db, "audit", "verify"), r"^ok \d+ records")

    def test_10_same_seed_same_day(self):
        db2 = demo_db(self.tmp.name, "again.db")
        hub = Hub(db2, self.tmp.name)
        try:
            run2 = simulate(db2, hub.port, "--speed", "3600", "--duration", "2", "--seed", "7")
        finally:
            hub.stop()
        self.assertEqual(run2.returncode, 0, run2.stderr)
        self.assertEqual(actions(run2.stdout), actions(self.run1.stdout))
        strip = lambda out: [re.sub(r"SF\d{4}-|LSVF\d+|visit \d+|lead \d+|conflict \d+|complaint \d+",
                                    "", ln) for ln in out.splitlines() if ln[:2].isdigit()]
        self.assertEqual(strip(run2.stdout), strip(self.run1.stdout))


class Refusals(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="showfloor-simulate-")
        self.db = demo_db(self.tmp.name, "r.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_usage_errors_exit_2_and_change_nothing(self):
        before = os.path.getsize(self.db)
        port = free_port()
        for bad in (["--speed", "0"], ["--speed", "fast"], ["--duration", "30"],
                    ["--start", "25:00"], ["--seed", "-1"], ["--bogus"],
                    ["--reception-token-file", "/nonexistent"]):
            r = simulate(self.db, port, *bad)
            self.assertEqual(r.returncode, 2, f"{bad}: {r.stderr}")
            self.assertIn("simulate", r.stderr)
        self.assertEqual(os.path.getsize(self.db), before)
        with sqlite3.connect(self.db) as con:
            self.assertEqual(con.execute("SELECT count(*) FROM devices WHERE name LIKE "
                                         "'Simulator%'").fetchone()[0], 0)

    def test_no_hub_exits_3_before_touching_the_database(self):
        r = simulate(self.db, free_port(), "--speed", "3600", "--duration", "1")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("cannot reach the hub", r.stderr)
        self.assertIn("is showfloor-hub running?", r.stderr)
        with sqlite3.connect(self.db) as con:
            self.assertEqual(con.execute("SELECT count(*) FROM devices WHERE name LIKE "
                                         "'Simulator%'").fetchone()[0], 0)

    def test_token_files_and_the_hub_going_away(self):
        """Given token files, no device is enrolled; when the hub dies mid-day the simulator
        retries for --retry-for seconds, then exits 3 with a summary."""
        tokens = []
        for mode in ("reception", "api"):
            path = os.path.join(self.tmp.name, f"{mode}.token")
            with open(path, "w") as f:
                f.write(cli(self.db, "device", "add", "--site", "SH01", "--mode", mode,
                            "--name", f"Mine {mode}") + "\n")
            tokens.append(path)
        hub = Hub(self.db, self.tmp.name)
        p = subprocess.Popen([CLI, "--db", self.db, "simulate", "--hub",
                              f"http://127.0.0.1:{hub.port}", "--speed", "120", "--seed", "3",
                              "--retry-for", "2", "--reception-token-file", tokens[0],
                              "--api-token-file", tokens[1]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            first = p.stdout.readline()
            self.assertIn("simulating a day", first)
            self.assertRegex(p.stdout.readline(), r"^\d\d:\d\d  ")
            hub.stop()
            out, err = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            hub.stop()
        self.assertEqual(p.returncode, 3, err)
        self.assertIn("stopped answering", err)
        self.assertIn("summary:", out)
        with sqlite3.connect(self.db) as con:
            self.assertEqual(con.execute("SELECT count(*) FROM devices WHERE name LIKE "
                                         "'Simulator%'").fetchone()[0], 0)
            # the commands it sent went through the given devices
            self.assertGreater(con.execute(
                "SELECT count(*) FROM commands WHERE device_id IN (SELECT id FROM devices "
                "WHERE name LIKE 'Mine %')").fetchone()[0], 0)

    def test_sigint_stops_with_a_summary(self):
        hub = Hub(self.db, self.tmp.name)
        p = subprocess.Popen([CLI, "--db", self.db, "simulate", "--hub",
                              f"http://127.0.0.1:{hub.port}", "--speed", "60", "--seed", "5"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertIn("simulating a day", p.stdout.readline())
            self.assertRegex(p.stdout.readline(), r"^\d\d:\d\d  ")
            started = time.monotonic()
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=30)
            self.assertLess(time.monotonic() - started, 10)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            hub.stop()
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("stopped by a signal", out)
        self.assertIsNotNone(ACTIONS.search(out))
        with sqlite3.connect(self.db) as con:
            revoked = con.execute("SELECT revoked_at FROM devices WHERE name LIKE "
                                  "'Simulator%'").fetchall()
        self.assertEqual(len(revoked), 2)
        self.assertTrue(all(r > 0 for (r,) in revoked))


if __name__ == "__main__":
    unittest.main()

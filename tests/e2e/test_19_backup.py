"""19. Backups (issue 6): `showfloor backup` copies the database while the hub keeps
acknowledging commands, and the copy restores into a working database holding every command
acknowledged before the backup began; `showfloor restore` refuses while the hub runs and keeps
the database it replaces; the hub's scheduled backups ([backup] in the INI file) appear on
time and only the newest `keep` stay. hub/README.md "Backups" is the contract."""

import asyncio
import glob
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

import websockets

from hubtest import CLI, Client, Hub, KillCase, Site, _RUN, cli

SENDERS = 6
WINDOW = 4


def sql(db, query, *args):
    """Rows of a read-only query (the sqlite3 module is independent of our store)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def run_cli(db, *args):
    return subprocess.run([CLI, "--db", db, *args], capture_output=True, text=True, timeout=120)


class BackupWhileServing(KillCase):
    def stop_hub(self, h):
        code = h.stop()
        log = h.log_text()
        self.assertEqual(code, 0, log[-3000:])
        self.assertNotIn("ERROR: AddressSanitizer", log)
        self.assertNotIn("runtime error:", log)

    async def sender(self, hub, idx, acked, stop):
        """Keeps WINDOW check-ins in flight until stop; records (ack time, visit id)."""
        c = await Client.connect(hub.url)
        self.assertEqual((await c.auth(self.site.tokens["reception"]))["type"], "auth_ok")
        sent, n = set(), 0
        while True:
            while len(sent) < WINDOW and not stop.is_set():
                rid = f"b{_RUN}-{idx}-{n}"
                await c.send({"type": "checkin", "id": rid,
                              "args": {"phone": f"139{idx:02d}{n:06d}", "consent": True,
                                       "name": "王小明", "gender": "male"}})
                sent.add(rid)
                n += 1
            if not sent:
                break
            m = await c.recv(timeout=10)
            if m.get("type") != "result" or m.get("id") not in sent:
                continue
            sent.discard(m["id"])
            self.assertTrue(m["ok"], m)
            acked.append((time.monotonic(), m["data"]["visit"]["id"]))
        await c.close()

    async def test_19_1_backup_under_load_restores_every_acknowledged_command(self):
        hub = self.start_hub()
        acked, stop = [], asyncio.Event()
        tasks = [asyncio.create_task(self.sender(hub, i, acked, stop)) for i in range(SENDERS)]
        while len(acked) < 200:
            await asyncio.sleep(0.02)
            for t in tasks:
                if t.done():
                    t.result()
        out = os.path.join(self.tmp, "load.backup")
        # Slowed down to one page per step so commits keep landing during the copy.
        started = time.monotonic()
        acked_before = [v for _, v in acked]
        proc = await asyncio.create_subprocess_exec(
            CLI, "--db", self.db, "backup", "--out", out, "--step-pages", "1",
            "--sleep-ms", "3", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 120)
        finished = time.monotonic()
        self.assertEqual(proc.returncode, 0, stderr.decode())
        during = [v for t, v in acked if started < t < finished]
        stop.set()
        await asyncio.gather(*tasks)
        self.assertGreater(len(during), 0, "no command was acknowledged while the backup ran")
        print(f"\n19.1 figures: {len(acked_before)} check-ins acknowledged before the backup, "
              f"{len(during)} during its {int((finished - started) * 1000)} ms",
              file=sys.stderr)
        m = re.match(r"ok (\S+) bytes=(\d+) schema=(\d+) last_seq=(\d+) audit_records=(\d+)",
                     stdout.decode())
        self.assertIsNotNone(m, stdout.decode())
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        self.assertFalse(os.path.exists(out + ".tmp"))
        self.stop_hub(hub)

        fresh = os.path.join(self.tmp, "fresh", "restored.db")
        os.makedirs(os.path.dirname(fresh))
        # customers are sealed: the keys never travel in a backup, and without them the
        # restore is refused; an operator moving the installation copies them beside it
        p = run_cli(fresh, "restore", out)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("data key", p.stderr)
        for suffix in (".data-key", ".keystore"):
            shutil.copy2(self.db + suffix, fresh + suffix)
        p = run_cli(fresh, "restore", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("audit ok", p.stdout)
        self.assertEqual(sql(fresh, "PRAGMA integrity_check"), [("ok",)])
        stored = {r[0] for r in sql(fresh, "SELECT id FROM visits")}
        missing = [v for v in acked_before if v not in stored]
        self.assertEqual(missing, [], f"{len(missing)} of {len(acked_before)} check-ins "
                         "acknowledged before the backup began are not in it")
        # every visit in it was acknowledged (the senders waited for every answer)
        self.assertLessEqual(stored, {v for _, v in acked})
        self.assertEqual(cli(fresh, "audit", "verify").split()[0], "ok")
        # the restored database serves: a hub starts on it and answers
        h2 = self.start_hub(fresh)
        status, _, body = h2.http_get("/healthz")
        self.assertEqual(status, 200, body)
        self.assertGreaterEqual(int(re.search(r'"seq":(\d+)', body).group(1)), int(m.group(4)))
        self.stop_hub(h2)

    async def test_19_2_restore_refuses_a_running_hub_and_keeps_the_old_database(self):
        hub = self.start_hub()
        c = await Client.connect(hub.url)
        self.assertEqual((await c.auth(self.site.tokens["reception"]))["type"], "auth_ok")
        res = await c.request("checkin", {"phone": "13900000001", "consent": True})
        self.assertTrue(res["ok"], res)
        out = os.path.join(self.tmp, "one.backup")
        self.assertEqual(run_cli(self.db, "backup", "--out", out).returncode, 0)
        res = await c.request("checkin", {"phone": "13900000002", "consent": True})
        self.assertTrue(res["ok"], res)
        await c.close()
        before = sql(self.db, "SELECT count(*) FROM visits")[0][0]
        self.assertEqual(before, 2)

        p = run_cli(self.db, "restore", out)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("refused [in_use]", p.stderr)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM visits")[0][0], 2)
        self.assertEqual(glob.glob(self.db + ".restore-tmp*"), [])
        self.assertEqual(glob.glob(self.db + ".before-restore-*"), [])
        # the hub did not notice: it still serves
        self.assertEqual(hub.http_get("/healthz")[0], 200)
        self.stop_hub(hub)

        # bad files are refused with their code and change nothing
        junk = os.path.join(self.tmp, "junk.backup")
        with open(junk, "w") as f:
            f.write("not a database" * 20)
        for path, code in ((junk, "not_a_database"),
                           (os.path.join(self.tmp, "none.backup"), "missing")):
            p = run_cli(self.db, "restore", path, "--force")
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn(f"refused [{code}]", p.stderr)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM visits")[0][0], 2)

        p = run_cli(self.db, "restore", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        # the old database's WAL was folded into the kept copy, not left to be replayed
        self.assertFalse(os.path.exists(self.db + "-wal"))
        kept = glob.glob(self.db + ".before-restore-*")
        self.assertEqual(len(kept), 1, p.stdout)
        self.assertIn(kept[0], p.stdout)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM visits")[0][0], 1)
        self.assertEqual(sql(kept[0], "SELECT count(*) FROM visits")[0][0], 2)
        h2 = self.start_hub()
        self.assertEqual(h2.http_get("/healthz")[0], 200)
        self.stop_hub(h2)


class ScheduledBackups(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="showfloor-e2e-")
        self.db = os.path.join(self.tmp, "showfloor.db")
        self.site = Site(self.db)
        self.dir = os.path.join(self.tmp, "backups")
        self.hub = None

    def tearDown(self):
        if self.hub and self.hub.proc.poll() is None:
            self.hub.stop(signal.SIGKILL)
        if not os.environ.get("SHOWFLOOR_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def config(self, text):
        path = os.path.join(self.tmp, "hub.ini")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_19_3_scheduled_backups_with_retention(self):
        os.makedirs(self.dir)
        old = os.path.join(self.dir, "showfloor.db.20200101T000000.000Z.backup")
        others = [os.path.join(self.dir, n) for n in
                  ("notes.txt", "other.db.20200101T000000.000Z.backup")]
        for p in [old, *others]:
            with open(p, "w") as f:
                f.write("x")
        self.hub = Hub(self.db, self.tmp, config=self.config(
            f"[backup]\ndir = {self.dir}\ninterval_seconds = 1\nkeep = 2\n"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.hub.log_text().count("backup written") < 3:
            time.sleep(0.1)
        self.assertGreaterEqual(self.hub.log_text().count("backup written"), 3,
                                self.hub.log_text()[-2000:])
        code = self.hub.stop()
        log = self.hub.log_text()
        self.assertEqual(code, 0, log[-3000:])
        self.assertNotIn("runtime error:", log)
        ours = sorted(glob.glob(os.path.join(self.dir, "showfloor.db.*.backup")))
        self.assertEqual(len(ours), 2, ours)
        self.assertNotIn(old, ours)
        self.assertIn(f"removed {old}", log)
        for p in others:
            self.assertTrue(os.path.exists(p), p)  # not ours: never touched
        self.assertEqual(glob.glob(os.path.join(self.dir, "*.tmp*")), [])
        names = [os.path.basename(p) for p in ours]
        for n in names:
            self.assertRegex(n, r"^showfloor\.db\.\d{8}T\d{6}\.\d{3}Z\.backup$")
        for p in ours:
            self.assertEqual(os.stat(p).st_mode & 0o777, 0o600)
            r = run_cli(self.db, "backup", "--check", p)
            self.assertEqual(r.returncode, 0, r.stderr)
        fresh = os.path.join(self.tmp, "fresh.db")
        r = run_cli(fresh, "restore", ours[-1])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(cli(fresh, "audit", "verify").split()[0], "ok")
        # the restored database has the fixture's devices: the tokens still work
        self.assertEqual(sql(fresh, "SELECT count(*) FROM devices")[0][0],
                         sql(self.db, "SELECT count(*) FROM devices")[0][0])

    def test_19_4_bad_backup_settings_are_refused(self):
        for text, needle in (("[backup]\nkeep = 0\n", "keep"),
                             ("[backup]\ninterval_seconds = 0\n", "interval_seconds"),
                             ("[backup]\nevery = 3\n", "every")):
            p = subprocess.run([os.environ.get("SHOWFLOOR_HUB", "showfloor-hub"), "--db",
                                self.db, "--port", "0", "--config", self.config(text)],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn(needle, p.stderr)
        # a backup directory that cannot be created stops the hub at start (exit 1)
        blocker = os.path.join(self.tmp, "file")
        with open(blocker, "w") as f:
            f.write("x")
        p = subprocess.run([os.environ.get("SHOWFLOOR_HUB", "showfloor-hub"), "--db", self.db,
                            "--port", "0", "--config",
                            self.config(f"[backup]\ndir = {blocker}/sub\n")],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("backup directory", p.stderr)


if __name__ == "__main__":
    unittest.main()

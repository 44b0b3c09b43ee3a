"""`showfloor device` fleet verbs (issue 9; hub/FLEET.md), black-box: the real CLI and the
real hub on a real database, with Python websockets playing the kiosks. Pairing by code
(good, wrong, malformed, expired, used), the pending list, the fleet list, maintenance, mode
and configuration pushed to the kiosk's socket, remote identify/reload/screenshot round
trips, a command to an offline kiosk failing fast, a stopped hub timing out with a clear
message; and the systemd units and tools/install-kiosk.sh."""
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from hubtest import CLI, HUB, Client, Closed, HubCase, Site  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KIOSK = os.environ.get("SHOWFLOOR_KIOSK", "showfloor-kiosk")
CODE_RE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")
PAIRING_TTL_MS = 15 * 60 * 1000
FLEET_FIELDS = {"id", "name", "site", "mode", "online", "last_seen", "online_changed_at",
                "version", "hostname", "screen", "uptime_s", "last_frame_at", "reconnects_today",
                "watchdog_restarts", "last_watchdog_at", "maintenance", "revoked"}
PUSH_TIMEOUT = 5.0  # the hub notices a CLI commit within ~200 ms


def tiny_png(width, height):
    """A valid RGB PNG of the given size, written here so the test owns its bytes."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"".join(bytes((x * 40 % 256, y * 60 % 256, 200))
                                         for x in range(width))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class FleetCli(HubCase):
    """One hub on the Site fixture; the fixture's kiosks stand in for screens on the floor."""

    def cli(self, *args, env=None):
        return subprocess.run([CLI, "--db", self.db, *args], capture_output=True, text=True,
                              timeout=60, env=env)

    def ok(self, *args):
        p = self.cli(*args)
        self.assertEqual(p.returncode, 0, f"{args}: {p.stderr}")
        return p

    async def acli(self, *args):
        """The CLI run off the event loop, so a fake kiosk can answer meanwhile."""
        proc = await asyncio.create_subprocess_exec(
            CLI, "--db", self.db, *args, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        return proc

    async def finish(self, proc, timeout=40):
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
        return proc.returncode, out.decode(), err.decode()

    def sql(self, statement, *params):
        with sqlite3.connect(self.db) as con:
            return con.execute(statement, params).fetchall()

    def fleet(self, name):
        doc = json.loads(self.ok("device", "list", "--json").stdout)
        rows = [d for d in doc["devices"] if d["name"] == name]
        self.assertEqual(len(rows), 1, doc)
        return rows[0]

    async def kiosk(self, mode):
        """A fixture kiosk, authenticated and subscribed as a real one is."""
        c = await self.connect(mode)
        await self.subscribe(c)
        return c

    async def pair(self, hostname="kiosk-test"):
        """A kiosk without a token: hello, then `pair`; returns (client, pairing frame)."""
        c = await Client.connect(self.hub.url)
        await c.send({"type": "pair", "args": {"claim": secrets.token_hex(32),
                                               "hostname": hostname, "screen": "1280x720",
                                               "version": "0.9.0-test"}})
        return c, await c.recv_type("pairing")

    async def config_push(self, c, timeout=PUSH_TIMEOUT):
        m = await c.recv_type("device_config", timeout)
        self.assertIsInstance(m["config"], dict, m)
        return m["config"]

    async def no_config_push(self, c, seconds=1.0):
        with self.assertRaises(asyncio.TimeoutError):
            await c.recv_type("device_config", seconds)

    def audited(self, entity_id, action):
        return self.sql("SELECT count(*) FROM audit WHERE entity_id = ? AND action = ?",
                        entity_id, action)[0][0]

    # 1. pairing

    async def test_10_pending_lists_the_code(self):
        c, m = await self.pair("kiosk-pending")
        self.assertRegex(m["code"], CODE_RE)
        p = self.ok("device", "pending")
        line = [x for x in p.stdout.splitlines() if x.startswith(m["code"])]
        self.assertEqual(len(line), 1, p.stdout)
        self.assertIn("kiosk-pending", line[0])
        self.assertIn("1280x720", line[0])
        self.assertIn("0.9.0-test", line[0])
        self.assertRegex(line[0], r"1[45]m \d\ds$")  # expires in about 15 minutes
        rows = json.loads(self.ok("device", "pending", "--json").stdout)
        row = [r for r in rows if r["code"] == m["code"]][0]
        self.assertEqual((row["hostname"], row["screen"], row["version"]),
                         ("kiosk-pending", "1280x720", "0.9.0-test"))
        self.assertTrue(row["peer"], row)
        self.assertEqual(row["expires_at"], m["expires_at"])
        await c.close()

    async def test_11_approve_refusals_change_nothing(self):
        c, m = await self.pair("kiosk-refused")
        code = m["code"]
        devices = self.sql("SELECT count(*) FROM devices")[0][0]
        wrong = next(x for x in ("222222", "333333", "444444") if x != code)
        p = self.cli("device", "approve", wrong, "--site", "SH01", "--mode", "reception",
                     "--name", "Nope")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(f"no kiosk is showing pairing code {wrong}", p.stderr)
        self.assertIn("not_found", p.stderr)
        for bad, why in ((["AB1"], "malformed code"), ([code, "--mode", "api"], "api mode"),
                         ([code, "--mode", "kiosk"], "unknown mode"), ([], "no code")):
            with self.subTest(why):
                args = ["device", "approve", *bad, "--site", "SH01", "--name", "Nope"]
                if "--mode" not in bad:
                    args += ["--mode", "reception"]
                self.assertEqual(self.cli(*args).returncode, 2, why)
        p = self.cli("device", "approve", code, "--site", "XX99", "--mode", "reception",
                     "--name", "Nope")
        self.assertEqual(p.returncode, 1, p.stderr)
        p = self.cli("device", "approve", code, "--site", "SH01", "--mode", "reception",
                     "--name", "Reception 1")
        self.assertEqual(p.returncode, 1, "the name is taken")
        self.assertIn("invalid_state", p.stderr)
        # The CLI's clock 16 minutes ahead: the code shown has expired by then.
        env = dict(os.environ, SHOWFLOOR_CLOCK_OFFSET_MS=str(PAIRING_TTL_MS + 60_000))
        p = self.cli("device", "approve", code, "--site", "SH01", "--mode", "reception",
                     "--name", "Nope", env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("expired", p.stderr)
        self.assertIn("invalid_state", p.stderr)
        self.assertEqual(self.sql("SELECT count(*) FROM devices")[0][0], devices)
        self.assertIn(code, self.ok("device", "pending").stdout, "still waiting")
        self.assertEqual(self.audited("Nope", "device_approve"), 0)
        await c.close()

    async def test_12_approve_pairs_the_kiosk(self):
        c, m = await self.pair("kiosk-a")
        typed = m["code"][:3].lower() + "-" + m["code"][3:].lower()  # as a person types it
        p = self.ok("device", "approve", typed, "--site", "SH01", "--mode", "status",
                    "--name", "Kiosk A")
        self.assertIn("Kiosk A", p.stdout)
        self.assertIn(m["code"], p.stdout)
        paired = await c.recv_type("paired", PUSH_TIMEOUT)
        self.assertTrue(paired["token"])
        self.assertEqual(paired["device"]["name"], "Kiosk A")
        code, _ = await c.expect_close()
        self.assertEqual(code, 1000)
        k = await Client.connect(self.hub.url)
        ok = await k.auth(paired["token"])
        self.assertEqual(ok["type"], "auth_ok", ok)
        self.assertEqual(ok["device"]["config"]["mode"], "status", ok)
        await k.close()
        self.assertEqual(self.audited("Kiosk A", "device_approve"), 1)
        self.assertNotIn(m["code"], self.ok("device", "pending").stdout)
        p = self.cli("device", "approve", m["code"], "--site", "SH01", "--mode", "status",
                     "--name", "Kiosk B")
        self.assertEqual(p.returncode, 1, "a code pairs one kiosk only")
        self.assertIn("invalid_state", p.stderr)

    # 2. the fleet list

    async def test_20_list_shows_health(self):
        c = await self.kiosk("board")
        now = int(time.time() * 1000)
        res = await c.request("heartbeat", {
            "frames": 1234, "uptime_s": 3600, "last_frame_at": now, "screen": "1080x1920",
            "version": "9.9.9-test", "hostname": "kiosk-board", "watchdog_restarts": 2,
            "last_watchdog_at": now - 60_000})
        self.assertTrue(res["ok"], res)
        deadline = time.monotonic() + 12  # heartbeats are flushed every 5 s
        while True:
            row = self.fleet("Board 1")
            if row["version"] == "9.9.9-test" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        self.assertEqual(set(row) & FLEET_FIELDS, FLEET_FIELDS, row)
        self.assertEqual((row["mode"], row["online"], row["screen"], row["hostname"]),
                         ("board", True, "1080x1920", "kiosk-board"), row)
        self.assertEqual(row["watchdog_restarts"], 2)
        self.assertGreaterEqual(row["uptime_s"], 3600)
        table = self.ok("device", "list", "--site", "SH01").stdout
        line = [x for x in table.splitlines() if "Board 1" in x][0]
        for word in ("online", "9.9.9-test", "1080x1920", "s ago"):
            self.assertIn(word, line)
        never = [x for x in table.splitlines() if "Status 1" in x][0]
        self.assertIn("offline", never)
        self.assertIn("never", never)
        self.assertEqual(self.cli("device", "list", "--site", "XX99").returncode, 1)
        self.assertEqual(self.cli("device", "list", "--bogus").returncode, 2)
        await c.close()

    # 3. what a kiosk is told to be

    async def test_30_maintenance_reaches_the_kiosk(self):
        c = await self.kiosk("reception")
        self.ok("device", "maintenance", "Reception 1", "on", "--site", "SH01")
        self.assertIs((await self.config_push(c))["maintenance"], True)
        p = self.cli("device", "maintenance", "Reception 1", "on", "--site", "SH01")
        self.assertEqual(p.returncode, 1, "already on")
        self.assertIn("invalid_state", p.stderr)
        await self.no_config_push(c)
        self.assertIs(self.fleet("Reception 1")["maintenance"], True)
        self.ok("device", "maintenance", "Reception 1", "off", "--site", "SH01")
        self.assertIs((await self.config_push(c))["maintenance"], False)
        self.assertEqual(self.audited("Reception 1", "device_maintenance"), 2)
        self.assertEqual(self.cli("device", "maintenance", "Reception 1", "maybe", "--site",
                                  "SH01").returncode, 2)
        self.assertEqual(self.cli("device", "maintenance", "Nobody", "on", "--site",
                                  "SH01").returncode, 1)
        await c.close()

    async def test_31_config_pushed_and_validated(self):
        c = await self.kiosk("reception")
        self.ok("device", "config", "--site", "SH01", "--device", "Reception 1",
                "idle_timeout_s=120", "language=en")
        cfg = await self.config_push(c)
        while str(cfg["idle_timeout_s"]) != "120" or cfg["language"] != "en":
            cfg = await self.config_push(c)  # one push per key is allowed
        for bad, code in ((["idle_timeout_s=5"], "out_of_range"), (["colour=red"], "bad_field"),
                          (["offline_after_s=30"], "bad_field")):
            with self.subTest(bad):
                p = self.cli("device", "config", "--site", "SH01", "--device", "Reception 1",
                             *bad)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(code, p.stderr)
        show = json.loads(self.ok("device", "config", "--site", "SH01", "--device",
                                  "Reception 1", "--show", "--json").stdout)
        self.assertEqual(str(show["idle_timeout_s"]), "120", "a refused value changes nothing")
        # The site layer reaches every kiosk of the site.
        self.ok("device", "config", "--site", "SH01", "night_dim=22:00-07:00")
        while (await self.config_push(c)).get("night_dim") != "22:00-07:00":
            pass
        lines = self.ok("device", "config", "--site", "SH01", "--device", "Reception 1",
                        "--show").stdout.splitlines()
        source = {x.split()[0]: x.split()[-1] for x in lines if x.strip()}
        self.assertEqual((source["idle_timeout_s"], source["night_dim"],
                          source["burnin_shift_min"]), ("device", "site", "default"), lines)
        self.ok("device", "config", "--site", "SH01", "--device", "Reception 1",
                "--unset", "idle_timeout_s", "--unset", "language")
        cfg = await self.config_push(c)
        while cfg["language"] != "zh":
            cfg = await self.config_push(c)
        self.assertEqual(str(cfg["idle_timeout_s"]), "60")
        self.ok("device", "config", "--site", "SH01", "offline_after_s=30")
        self.ok("device", "config", "--site", "SH01", "--unset", "night_dim", "--unset",
                "offline_after_s")
        self.assertGreaterEqual(self.audited("SH01", "kiosk_config"), 3)
        self.assertGreaterEqual(self.audited("Reception 1", "device_config"), 2)
        for usage in ([], ["--show", "language=en"], ["language"], ["--json", "language=en"]):
            with self.subTest(usage):
                self.assertEqual(self.cli("device", "config", "--site", "SH01",
                                          *usage).returncode, 2)
        await c.close()

    async def test_32_mode_switch_reconnects_in_the_new_mode(self):
        c = await self.kiosk("delivery")
        self.ok("device", "mode", "Delivery 1", "board", "--site", "SH01")
        code, frames = await c.expect_close(PUSH_TIMEOUT + 5)
        pushed = [f for f in frames if f.get("type") == "device_config"]
        self.assertTrue(pushed and pushed[-1]["config"]["mode"] == "board", frames)
        k = await Client.connect(self.hub.url)
        ok = await k.auth(self.site.tokens["delivery"])
        self.assertEqual(ok["device"]["mode"], "board", ok)
        await k.close()
        p = self.cli("device", "mode", "Delivery 1", "board", "--site", "SH01")
        self.assertEqual(p.returncode, 1, "already a board")
        self.assertEqual(self.cli("device", "mode", "Delivery 1", "api", "--site",
                                  "SH01").returncode, 2)
        self.ok("device", "mode", "Delivery 1", "delivery", "--site", "SH01")
        self.assertEqual(self.audited("Delivery 1", "device_mode"), 2)

    # 4. remote commands

    async def test_40_identify_round_trip(self):
        c = await self.kiosk("reception")
        proc = await self.acli("device", "identify", "Reception 1", "--site", "SH01")
        ctl = await c.recv_type("control", PUSH_TIMEOUT)
        self.assertEqual(ctl["action"], "identify")
        res = await c.request("control_result", {"command_id": ctl["command_id"], "ok": True,
                                                 "detail": "flashed for 10 s"})
        self.assertTrue(res["ok"], res)
        rc, out, err = await self.finish(proc)
        self.assertEqual(rc, 0, err)
        self.assertIn("flashed for 10 s", out)
        state, = self.sql("SELECT state FROM device_commands WHERE id = ?", ctl["command_id"])[0]
        self.assertEqual(state, "done")
        self.assertEqual(self.audited("Reception 1", "device_command"), 1)
        await c.close()

    async def test_41_screenshot_round_trip(self):
        c = await self.kiosk("reception")
        png = tiny_png(4, 3)
        out_path = os.path.join(self.tmp, "shots", "reception.png")
        os.makedirs(os.path.dirname(out_path))
        proc = await self.acli("device", "screenshot", "Reception 1", "--site", "SH01",
                               "-o", out_path)
        ctl = await c.recv_type("control", PUSH_TIMEOUT)
        self.assertEqual(ctl["action"], "screenshot")
        half = len(png) // 2
        for i, part in enumerate((png[:half], png[half:])):
            res = await c.request("control_result", {
                "command_id": ctl["command_id"], "ok": True, "part": i,
                "data": base64.b64encode(part).decode(), "last": i == 1})
            self.assertTrue(res["ok"], res)
        rc, out, err = await self.finish(proc)
        self.assertEqual(rc, 0, err)
        with open(out_path, "rb") as f:
            self.assertEqual(f.read(), png)
        self.assertEqual(stat.S_IMODE(os.stat(out_path).st_mode), 0o644)
        self.assertIn(f"4x3, {len(png)} bytes", out)
        self.assertEqual(os.listdir(os.path.dirname(out_path)), ["reception.png"], "no tmp left")
        await c.close()

    async def test_42_failure_reported_by_the_kiosk(self):
        c = await self.kiosk("reception")
        proc = await self.acli("device", "reload", "Reception 1", "--site", "SH01")
        ctl = await c.recv_type("control", PUSH_TIMEOUT)
        self.assertEqual(ctl["action"], "reload")
        await c.request("control_result", {"command_id": ctl["command_id"], "ok": False,
                                           "detail": "theme file missing"})
        rc, _, err = await self.finish(proc)
        self.assertEqual(rc, 1)
        self.assertIn("theme file missing", err)
        await c.close()

    async def test_43_offline_kiosk_fails_fast(self):
        start = time.monotonic()
        p = self.cli("device", "identify", "Status 1", "--site", "SH01")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("offline", p.stderr)
        self.assertLess(time.monotonic() - start, 5, "no waiting for the timeout")

    async def test_44_refused_before_anything_is_queued(self):
        before = self.sql("SELECT count(*) FROM device_commands")[0][0]
        p = self.cli("device", "screenshot", "Reception 1", "--site", "SH01", "-o",
                     os.path.join(self.tmp, "no-such-dir", "x.png"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("no-such-dir", p.stderr)
        self.assertEqual(self.cli("device", "screenshot", "Reception 1", "--site",
                                  "SH01").returncode, 2, "-o is required")
        self.assertEqual(self.cli("device", "identify", "Reception 1", "--site", "SH01",
                                  "--wait", "0").returncode, 2)
        self.assertEqual(self.cli("device", "identify", "Nobody", "--site", "SH01").returncode, 1)
        self.assertEqual(self.sql("SELECT count(*) FROM device_commands")[0][0], before)


class NoHub(unittest.TestCase):
    """The database alone: a remote verb waits for a hub that is not running."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="showfloor-fleet-nohub-")
        self.db = os.path.join(self.tmp, "showfloor.db")
        Site(self.db)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_50_stopped_hub_times_out_clearly(self):
        start = time.monotonic()
        p = subprocess.run([CLI, "--db", self.db, "device", "identify", "Reception 1", "--site",
                            "SH01", "--wait", "1"], capture_output=True, text=True, timeout=30)
        took = time.monotonic() - start
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("did not deliver the command within 1 s", p.stderr)
        self.assertIn("is showfloor-hub running?", p.stderr)
        self.assertTrue(1 <= took < 10, took)
        with sqlite3.connect(self.db) as con:
            state, = con.execute("SELECT state FROM device_commands").fetchone()
        self.assertEqual(state, "failed", "a hub started later must not run it")


class Installation(unittest.TestCase):
    """The systemd units and the kiosk installer, checked without installing anything."""

    UNITS = os.path.join(ROOT, "tools", "systemd")

    def unit_text(self, name):
        with open(os.path.join(self.UNITS, name)) as f:
            return f.read()

    def test_60_units_verify(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            # Pointed at the binaries just built, so verify also checks they are executable.
            for name, binary, instance in (
                    ("showfloor-hub.service", HUB, "showfloor-hub.service"),
                    ("showfloor-kiosk@.service", KIOSK, "showfloor-kiosk@tty1.service")):
                text = self.unit_text(name).replace(
                    "/usr/local/bin/" + name.split("@")[0].split(".")[0], os.path.abspath(
                        shutil.which(binary) or binary))
                path = os.path.join(tmp, instance)
                with open(path, "w") as f:
                    f.write(text)
                p = subprocess.run([analyze, "verify", path], capture_output=True, text=True,
                                   timeout=60)
                with self.subTest(name):
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertNotIn(instance, p.stdout + p.stderr, "a warning about the unit")

    def test_61_units_say_what_the_issue_asks(self):
        hub = self.unit_text("showfloor-hub.service")
        for line in ("User=showfloor", "StateDirectory=showfloor", "Restart=on-failure",
                     "NoNewPrivileges=yes", "ProtectSystem=strict",
                     "ReadWritePaths=/var/lib/showfloor", "PrivateTmp=yes",
                     "WantedBy=multi-user.target"):
            self.assertIn("\n" + line + "\n", hub)
        kiosk = self.unit_text("showfloor-kiosk@.service")
        for line in ("User=showfloor-kiosk", "SupplementaryGroups=video input render",
                     "Environment=SDL_VIDEODRIVER=kmsdrm", "Conflicts=getty@%i.service",
                     "Restart=always", "TTYPath=/dev/%I", "WantedBy=multi-user.target"):
            self.assertIn("\n" + line + "\n", kiosk)
        # Every option the units pass exists in the programs' --help.
        for text, binary in ((hub, HUB), (kiosk, KIOSK)):
            start = [x for x in text.splitlines() if x.startswith("ExecStart=")][0]
            helptext = subprocess.run([binary, "--help"], capture_output=True, text=True,
                                      timeout=30).stdout
            for opt in re.findall(r"\s(--[a-z-]+)", start):
                self.assertIn(opt, helptext, f"{binary} has no {opt}")

    def test_62_install_kiosk_dry_run(self):
        script = os.path.join(ROOT, "tools", "install-kiosk.sh")
        p = subprocess.run([script, "--hub", "wss://hub.local:7420/", "--tty", "tty2",
                            "--dry-run"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        for step in ("tools/deps.sh", "--target showfloor-kiosk",
                     "/usr/local/bin/showfloor-kiosk", "showfloor-kiosk@.service",
                     "systemctl disable getty@tty2.service",
                     "systemctl enable showfloor-kiosk@tty2.service",
                     "SHOWFLOOR_HUB=wss://hub.local:7420/", "device approve CODE"):
            self.assertIn(step, p.stdout)
        self.assertTrue(re.search(r"^\+ (useradd|usermod) .*video,input,render", p.stdout,
                                  re.M), p.stdout)
        for bad in ([], ["--hub", "http://hub.local/"], ["--hub", "ws://h/", "--tty", "x"],
                    ["--hub", "ws://h/", "--bogus"]):
            with self.subTest(bad):
                r = subprocess.run([script, *bad, "--dry-run"], capture_output=True, text=True,
                                   timeout=30)
                self.assertEqual(r.returncode, 2, r.stderr)
        shellcheck = shutil.which("shellcheck")
        if shellcheck:
            r = subprocess.run([shellcheck, script], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    unittest.main()

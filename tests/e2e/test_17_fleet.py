"""17. The kiosk fleet (PROTOCOL.md "Kiosk fleet", hub/FLEET.md): a kiosk without a token pairs
by code and gets its token over the connection once the CLI approves it; a pairing session
gets nothing else and ends at the first frame it sends; wrong and expired codes are refused
by the CLI; heartbeats make a device online and silence past the site's limit makes it
offline (boards see both); remote commands reach the right socket and only that device may
answer them, screenshots arrive in parts; configuration changes are pushed and a mode change
makes the kiosk reconnect; GET /api/v1/devices is for admins and managers only."""

import asyncio
import base64
import os
import re
import secrets
import struct
import time
import unittest
import zlib

from hubtest import CLI, Api, Client, HubCase, Site, cli, http_call

CODE_RE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")
PAIRING_TTL_MS = 15 * 60 * 1000
CONFIG_KEYS = {"mode", "name", "site", "maintenance", "idle_timeout_s", "language", "theme",
               "night_dim", "burnin_shift_min", "offline_after_s"}
FLEET_KEYS = {"id", "name", "site", "mode", "online", "last_seen", "online_changed_at",
              "version", "hostname", "screen", "uptime_s", "last_frame_at", "reconnects_today",
              "watchdog_restarts", "last_watchdog_at", "maintenance", "revoked"}


def tiny_png(w, h):
    """A valid RGB PNG of w x h red pixels."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def b64_parts(data, n):
    """The base64 of data cut into n parts, each valid base64 on its own (cut at 4 chars)."""
    text = base64.b64encode(data).decode()
    step = -(-len(text) // n)
    step += -step % 4
    return [text[i:i + step] for i in range(0, len(text), step)]


class FleetSite(Site):
    """The e2e site plus an api device, an admin, a manager and a second site."""

    def __init__(self, db):
        super().__init__(db)
        self.tokens["api"] = self.add_device("api", "DMS 1")
        for no, name, role, pin in (("S010", "赵敏", "admin", "1010"),
                                    ("S011", "钱进", "manager", "1011")):
            cli(db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", pin)
        cli(db, "site", "add", "--code", "BJ01", "--name", "北京朝阳店", "--utc-offset", "480")
        cli(db, "device", "add", "--site", "BJ01", "--mode", "board", "--name", "Board BJ")


async def run_cli(db, *args, env_extra=None):
    """The CLI as a subprocess that does not block the event loop: (exit code, out, err)."""
    env = dict(os.environ)
    env.update(env_extra or {})
    p = await asyncio.create_subprocess_exec(CLI, "--db", db, *args, env=env,
                                             stdout=asyncio.subprocess.PIPE,
                                             stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(p.communicate(), 60)
    return p.returncode, out.decode().strip(), err.decode().strip()


class Fleet(HubCase):
    @classmethod
    def populate(cls, db):
        return FleetSite(db)

    async def pair(self, claim=None, hostname="kiosk-t", screen="1280x720"):
        """A tokenless kiosk: connects and sends pair; returns (client, first reply)."""
        c = await Client.connect(self.hub.url)
        await c.send({"type": "pair", "args": {"claim": claim or secrets.token_hex(32),
                                               "hostname": hostname, "screen": screen,
                                               "version": "0.1.0"}})
        return c, await c.recv()

    async def kiosk(self, name, mode="reception"):
        """A new kiosk device (added with the CLI), connected and authenticated."""
        token = self.site.add_device(mode, name)
        return await self.connect(token=token), token

    def fleet_row(self, name):
        import json
        rows = json.loads(cli(self.db, "device", "list", "--site", "SH01", "--json"))
        rows = rows["devices"] if isinstance(rows, dict) else rows
        return next(r for r in rows if r["name"] == name)

    # ---- pairing ----

    async def test_17_01_pair_shows_a_code_and_nothing_else(self):
        claim = secrets.token_hex(32)
        c, m = await self.pair(claim)
        self.assertEqual(m["type"], "pairing", m)
        self.assertRegex(m["code"], CODE_RE)
        self.assertAlmostEqual(m["expires_at"], int(time.time() * 1000) + PAIRING_TTL_MS,
                               delta=10_000)
        # the same claim on a new connection is shown the same code
        c2, m2 = await self.pair(claim)
        self.assertEqual(m2["code"], m["code"])
        # the code is waiting in the CLI's list
        self.assertIn(m["code"], cli(self.db, "device", "pending"))
        # a pairing session is sent no events and no results, even while the floor is busy
        rec = await self.connect("reception")
        res = await rec.request("checkin", {"phone": "13900001701", "name": "王先生",
                                            "gender": "male", "consent": True},
                                rid=rec.next_id())
        self.assertTrue(res["ok"], res)
        await c.expect_silence(1.0)
        # any frame from a kiosk waiting for pairing ends its session
        await c.send({"type": "ping", "id": "p1"})
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["closing"], frames)
        self.assertEqual(frames[0]["error"]["code"], "not_authenticated")
        self.assertEqual(code, 1008)
        await c2.close()
        await rec.close()

    async def test_17_02_approve_hands_the_token_over_the_connection(self):
        c, m = await self.pair(hostname="kiosk-approve")
        t0 = time.monotonic()
        out = cli(self.db, "device", "approve", m["code"].lower(), "--site", "SH01",
                  "--mode", "status", "--name", "Status Paired")
        self.assertIn("Status Paired", out)
        code, frames = await c.expect_close(timeout=5)
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertEqual([f["type"] for f in frames], ["paired"], frames)
        self.assertEqual(code, 1000)
        paired = frames[0]
        self.assertTrue(paired["token"])
        dev = paired["device"]
        self.assertEqual((dev["name"], dev["mode"], dev["site"]["code"]),
                         ("Status Paired", "status", "SH01"))
        self.assertEqual(set(dev["config"]), CONFIG_KEYS)
        # the token authenticates; auth_ok carries the configuration
        k = await Client.connect(self.hub.url)
        ok = await k.auth(paired["token"])
        self.assertEqual(ok["type"], "auth_ok", ok)
        self.assertEqual(ok["device"]["id"], dev["id"])
        cfg = ok["device"]["config"]
        self.assertEqual(set(cfg), CONFIG_KEYS)
        self.assertEqual((cfg["mode"], cfg["name"], cfg["site"], cfg["maintenance"]),
                         ("status", "Status Paired", "SH01", False))
        self.assertEqual(cfg["offline_after_s"], 60)
        await k.close()
        # the code is used up
        rc, _, err = await run_cli(self.db, "device", "approve", m["code"], "--site", "SH01",
                                   "--mode", "status", "--name", "Status Again")
        self.assertEqual(rc, 1, err)

    async def test_17_03_a_kiosk_away_at_approval_gets_its_token_on_its_next_pair(self):
        claim = secrets.token_hex(32)
        c, m = await self.pair(claim)
        await c.close()
        cli(self.db, "device", "approve", m["code"], "--site", "SH01", "--mode", "board",
            "--name", "Board Away")
        c, paired = await self.pair(claim)
        self.assertEqual(paired["type"], "paired", paired)
        self.assertEqual(paired["device"]["mode"], "board")
        code, _ = await c.expect_close()
        self.assertEqual(code, 1000)
        k = await self.connect(token=paired["token"])
        await k.close()
        # done: the same claim now starts a new pairing with a new code
        c, again = await self.pair(claim)
        self.assertEqual(again["type"], "pairing", again)
        self.assertNotEqual(again["code"], m["code"])
        await c.close()

    async def test_17_04_wrong_and_expired_codes_are_refused(self):
        rc, _, err = await run_cli(self.db, "device", "approve", "ZZZ222", "--site", "SH01",
                                   "--mode", "reception", "--name", "Nobody")
        self.assertEqual(rc, 1, err)
        self.assertIn("no kiosk is showing pairing code", err)
        rc, _, err = await run_cli(self.db, "device", "approve", "K0O1", "--site", "SH01",
                                   "--mode", "reception", "--name", "Nobody")
        self.assertIn(rc, (1, 2), err)
        c, m = await self.pair()
        # the CLI's clock 16 minutes ahead: the code has expired by then
        rc, _, err = await run_cli(self.db, "device", "approve", m["code"], "--site", "SH01",
                                   "--mode", "reception", "--name", "Too Late",
                                   env_extra={"SHOWFLOOR_CLOCK_OFFSET_MS": str(16 * 60 * 1000)})
        self.assertEqual(rc, 1, err)
        self.assertIn("expired", err)
        await c.expect_silence(0.5)  # nothing was approved: the kiosk still waits
        await c.close()

    async def test_17_05_bad_pair_frames_and_the_pairing_caps(self):
        c = await Client.connect(self.hub.url)
        await c.send({"type": "pair", "args": {"claim": "short"}})
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"], frames)
        self.assertIn(frames[0]["error"]["code"], ("bad_field", "too_long"))
        self.assertEqual(code, 1008)
        # a pair after auth is not a pairing
        rec = await self.connect("reception")
        await rec.send({"type": "pair", "args": {"claim": secrets.token_hex(32)}})
        res = await rec.recv_type("result")
        self.assertEqual(res["error"]["code"], "bad_message")
        await rec.close()
        # at most 5 kiosks wait for pairing from one address
        waiting = []
        for _ in range(5):
            k, m = await self.pair()
            self.assertEqual(m["type"], "pairing", m)
            waiting.append(k)
        k, m = await self.pair()
        self.assertEqual(m["type"], "auth_failed", m)
        self.assertEqual(m["error"]["code"], "rate_limited")
        code, _ = await k.expect_close()
        self.assertEqual(code, 1013)
        await waiting.pop().close()
        await asyncio.sleep(0.3)  # the hub has seen the close
        k, m = await self.pair()
        self.assertEqual(m["type"], "pairing", m)
        waiting.append(k)
        for k in waiting:
            await k.close()
        await asyncio.sleep(0.3)

    # ---- health ----

    async def test_17_06_heartbeats_make_a_device_online(self):
        k, _ = await self.kiosk("Reception HB")
        res = await k.request("heartbeat", {"frames": 1200, "uptime_s": 60,
                                            "last_frame_at": int(time.time() * 1000),
                                            "screen": "1920x1080", "version": "0.1.0",
                                            "hostname": "kiosk-hb", "watchdog_restarts": 2,
                                            "last_watchdog_at": int(time.time() * 1000) - 5000})
        self.assertTrue(res["ok"], res)
        self.assertEqual(res["data"], {"offline_after_s": 60})
        await asyncio.sleep(6)  # the fleet timer writes heartbeats every 5 s
        row = self.fleet_row("Reception HB")
        self.assertEqual(set(row), FLEET_KEYS)
        self.assertIs(row["online"], True)
        self.assertEqual((row["screen"], row["hostname"], row["version"]),
                         ("1920x1080", "kiosk-hb", "0.1.0"))
        self.assertEqual(row["watchdog_restarts"], 2)
        self.assertGreaterEqual(row["uptime_s"], 60)
        # an api client sends no heartbeats; nor does HTTP carry them
        api = Api(self.hub.port, self.site.tokens["api"])
        status, body = api.request("heartbeat", {"frames": 1, "uptime_s": 1})
        self.assertEqual((status, body["error"]["code"]), (400, "bad_message"), body)
        await k.close()

    async def test_17_07_silence_past_the_site_limit_makes_it_offline(self):
        board = await self.connect("board")
        await self.subscribe(board)
        await board.recv_type("snapshot")
        k, _ = await self.kiosk("Reception Quiet")
        cli(self.db, "device", "config", "--site", "SH01", "offline_after_s=10")
        m = await k.recv_type("device_config", timeout=3)
        self.assertEqual(m["config"]["offline_after_s"], 10)
        res = await k.request("heartbeat", {"frames": 10, "uptime_s": 5})
        self.assertEqual(res["data"], {"offline_after_s": 10})
        t0 = time.monotonic()

        def quiet(d):
            return d["device"]["name"] == "Reception Quiet"
        ev = await self.next_fleet_event(board, "device.offline", quiet, 25)
        took = time.monotonic() - t0
        self.assertGreaterEqual(took, 9.0, "not before the limit")
        self.assertLess(took, 10 + 5 + 3, "within the limit plus one timer period")
        self.assertEqual(set(ev["data"]["device"]), FLEET_KEYS)
        self.assertIs(ev["data"]["device"]["online"], False)
        self.assertIs(self.fleet_row("Reception Quiet")["online"], False)
        # the next heartbeat brings it back
        await k.request("heartbeat", {"frames": 20, "uptime_s": 20})
        ev = await self.next_fleet_event(board, "device.online", quiet, 8)
        self.assertIs(ev["data"]["device"]["online"], True)
        cli(self.db, "device", "config", "--site", "SH01", "--unset", "offline_after_s")
        await k.close()
        await board.close()

    async def next_fleet_event(self, c, kind, match, timeout):
        deadline = time.monotonic() + timeout
        while True:
            ev = await c.recv_type("event", max(0.01, deadline - time.monotonic()))
            if ev["kind"] == kind and match(ev["data"]):
                return ev

    # ---- remote commands ----

    async def test_17_08_identify_reaches_the_device_and_only_it_may_answer(self):
        a, _ = await self.kiosk("Reception A")
        b, _ = await self.kiosk("Reception B")
        task = asyncio.create_task(run_cli(self.db, "device", "identify", "Reception A",
                                           "--site", "SH01"))
        ctl = await a.recv_type("control", timeout=5)
        self.assertEqual(ctl["action"], "identify")
        cmd = ctl["command_id"]
        await b.expect_silence(0.3)  # the other kiosk is not told
        # another kiosk may not answer it
        res = await b.request("control_result", {"command_id": cmd, "ok": True})
        self.assertEqual(res["error"]["code"], "not_found", res)
        res = await a.request("control_result", {"command_id": cmd, "ok": True,
                                                 "detail": "flashed for 10 s"})
        self.assertTrue(res["ok"], res)
        rc, out, err = await task
        self.assertEqual(rc, 0, err)
        self.assertIn("done", out)
        # answered once only
        res = await a.request("control_result", {"command_id": cmd, "ok": True})
        self.assertEqual(res["error"]["code"], "invalid_state", res)
        await a.close()
        await b.close()

    async def test_17_09_screenshot_in_parts(self):
        k, _ = await self.kiosk("Status Shot", "status")
        png = tiny_png(64, 48)
        out_file = os.path.join(self.tmp, "shot.png")
        task = asyncio.create_task(run_cli(self.db, "device", "screenshot", "Status Shot",
                                           "--site", "SH01", "-o", out_file))
        ctl = await k.recv_type("control", timeout=5)
        self.assertEqual(ctl["action"], "screenshot")
        parts = b64_parts(png, 2)
        for i, part in enumerate(parts):
            res = await k.request("control_result", {"command_id": ctl["command_id"], "ok": True,
                                                     "part": i, "data": part,
                                                     "last": i == len(parts) - 1})
            self.assertTrue(res["ok"], res)
        rc, out, err = await task
        self.assertEqual(rc, 0, err)
        self.assertIn("64x48", out)
        with open(out_file, "rb") as f:
            self.assertEqual(f.read(), png)

        # parts out of order fail the command at once
        task = asyncio.create_task(run_cli(self.db, "device", "screenshot", "Status Shot",
                                           "--site", "SH01", "-o", out_file + "2"))
        ctl = await k.recv_type("control", timeout=5)
        cmd = ctl["command_id"]
        res = await k.request("control_result", {"command_id": cmd, "ok": True, "part": 1,
                                                 "data": parts[1], "last": True})
        self.assertEqual(res["error"]["code"], "invalid_state", res)
        res = await k.request("control_result", {"command_id": cmd, "ok": True, "part": 0,
                                                 "data": parts[0]})
        self.assertTrue(res["ok"], res)
        res = await k.request("control_result", {"command_id": cmd, "ok": True, "part": 2,
                                                 "data": parts[1], "last": True})
        self.assertEqual(res["error"]["code"], "invalid_state", res)
        rc, _, err = await task
        self.assertEqual(rc, 1, err)
        self.assertIn("screenshot", err)
        self.assertFalse(os.path.exists(out_file + "2"))

        # not a PNG
        task = asyncio.create_task(run_cli(self.db, "device", "screenshot", "Status Shot",
                                           "--site", "SH01", "-o", out_file + "3"))
        ctl = await k.recv_type("control", timeout=5)
        res = await k.request("control_result", {
            "command_id": ctl["command_id"], "ok": True, "part": 0, "last": True,
            "data": base64.b64encode(b"GIF89a not a png").decode()})
        self.assertEqual((res["error"]["code"], res["error"].get("field")), ("bad_field", "data"))
        rc, _, err = await task
        self.assertEqual(rc, 1, err)
        await k.close()

    async def test_17_10_a_command_to_an_offline_device_fails_fast(self):
        self.site.add_device("reception", "Reception Off")
        t0 = time.monotonic()
        rc, _, err = await run_cli(self.db, "device", "reload", "Reception Off", "--site", "SH01")
        self.assertEqual(rc, 1, err)
        self.assertIn("offline", err)
        self.assertLess(time.monotonic() - t0, 3.0)

    # ---- configuration ----

    async def test_17_11_maintenance_and_config_are_pushed(self):
        k, _ = await self.kiosk("Reception Maint")
        other, _ = await self.kiosk("Reception Other")
        cli(self.db, "device", "maintenance", "Reception Maint", "on", "--site", "SH01")
        m = await k.recv_type("device_config", timeout=3)
        self.assertEqual(set(m["config"]), CONFIG_KEYS)
        self.assertIs(m["config"]["maintenance"], True)
        await other.expect_silence(0.5)  # one device's change is pushed to it only
        cli(self.db, "device", "maintenance", "Reception Maint", "off", "--site", "SH01")
        m = await k.recv_type("device_config", timeout=3)
        self.assertIs(m["config"]["maintenance"], False)
        # a site-wide setting reaches every kiosk of the site
        cli(self.db, "device", "config", "--site", "SH01", "language=en")
        for c in (k, other):
            m = await c.recv_type("device_config", timeout=3)
            self.assertEqual(m["config"]["language"], "en")
        cli(self.db, "device", "config", "--site", "SH01", "--unset", "language")
        for c in (k, other):
            m = await c.recv_type("device_config", timeout=3)
            self.assertEqual(m["config"]["language"], "zh")
        # the connection stays up
        self.assertTrue((await k.request("ping"))["ok"])
        await k.close()
        await other.close()

    async def test_17_12_a_mode_change_makes_the_kiosk_reconnect(self):
        k, token = await self.kiosk("Kiosk Switch")
        cli(self.db, "device", "mode", "Kiosk Switch", "status", "--site", "SH01")
        code, frames = await k.expect_close(timeout=3)
        self.assertEqual([f["type"] for f in frames], ["device_config", "closing"], frames)
        self.assertEqual(frames[0]["config"]["mode"], "status")
        self.assertEqual(frames[1]["error"]["code"], "unavailable")
        self.assertEqual(code, 1000)
        k = await Client.connect(self.hub.url)
        ok = await k.auth(token)
        self.assertEqual(ok["device"]["mode"], "status")
        res = await k.request("order_lookup", {"order_no": "SF0000-0000", "phone_last4": "0000"})
        self.assertNotEqual(res.get("error", {}).get("code"), "forbidden", res)
        await k.close()

    # ---- the fleet over HTTP ----

    async def test_17_13_get_devices_for_admins_and_managers(self):
        k, _ = await self.kiosk("Board HTTP", "board")
        admin = Api(self.hub.port, self.site.tokens["api"])
        await asyncio.to_thread(admin.login, "S010", "1010")  # Argon2id: off the loop
        status, _, body = admin.get("/api/v1/devices")
        self.assertEqual(status, 200, body)
        names = {d["name"] for d in body["devices"]}
        self.assertIn("Board HTTP", names)
        self.assertIn("Board BJ", names)  # every site
        dms = next(d for d in body["devices"] if d["name"] == "DMS 1")
        self.assertEqual((dms["mode"], dms["online"]), ("api", False))  # no health reports
        self.assertTrue(all(set(d) == FLEET_KEYS for d in body["devices"]), body)
        self.assertIsInstance(body["now"], int)
        row = next(d for d in body["devices"] if d["name"] == "Board HTTP")
        self.assertIs(row["online"], True)
        status, _, body = admin.get("/api/v1/devices?site=BJ01")
        self.assertEqual(status, 200, body)
        self.assertEqual({d["name"] for d in body["devices"]}, {"Board BJ"})

        manager = Api(self.hub.port, self.site.tokens["api"])
        await asyncio.to_thread(manager.login, "S011", "1011")  # Argon2id: off the loop
        status, _, body = manager.get("/api/v1/devices")
        self.assertEqual(status, 200, body)
        self.assertTrue(body["devices"])
        self.assertEqual({d["site"] for d in body["devices"]}, {"SH01"})
        status, _, body = manager.get("/api/v1/devices?site=BJ01")
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)

        consultant = Api(self.hub.port, self.site.tokens["api"])
        await asyncio.to_thread(consultant.login, "S001", "1234")  # Argon2id: off the loop
        status, _, body = consultant.get("/api/v1/devices")
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)
        status, _, body = Api(self.hub.port, self.site.tokens["api"]).get("/api/v1/devices")
        self.assertEqual((status, body["error"]["code"]), (401, "staff_login_required"), body)
        status, _, body = http_call(self.hub.port, "GET", "/api/v1/devices", None,
                                    {"Authorization": f"Bearer {self.site.tokens['board']}"})
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)
        status, _, body = admin.get("/api/v1/devices?stage=x")
        self.assertEqual((status, body["error"]["code"]), (400, "unknown_field"), body)
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/devices", {},
                                    admin.headers())
        self.assertEqual(status, 405, body)
        await k.close()


if __name__ == "__main__":
    unittest.main()

"""8. The hub process: flags and INI file, refusing unsafe or broken configurations with exit
2, and a clean shutdown on SIGTERM that tells connected clients (hub/README.md)."""

import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import unittest

import websockets

from hubtest import HUB, SUBPROTOCOL, Client, Hub, HubCase, Site


def run_hub(*args, timeout=20):
    return subprocess.run([HUB, *args], capture_output=True, text=True, timeout=timeout)


class Flags(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="showfloor-e2e-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_ini(self, text):
        path = os.path.join(self.tmp, "hub.ini")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_8_1_help_and_version(self):
        p = run_hub("--help")
        self.assertEqual(p.returncode, 0)
        for flag in ("--config", "--listen", "--port", "--db", "--port-file", "--log-level"):
            self.assertIn(flag, p.stdout)
        p = run_hub("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"showfloor-hub \d+\.\d+\.\d+")

    def test_8_2_bad_usage_exits_2(self):
        for args in (["--no-such-flag"], ["--port", "http"], ["--port", "70000"],
                     ["--log-level", "loud"], ["extra"]):
            with self.subTest(args=args):
                p = run_hub(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertTrue(p.stderr.strip())

    def test_8_3_unknown_ini_key_is_an_error_naming_file_and_line(self):
        ini = self.write_ini("[hub]\nport = 0\n\nprot = 7420\n")
        p = run_hub("--config", ini)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"{ini}:4", p.stderr)
        self.assertIn("prot", p.stderr)

    def test_8_4_unknown_ini_section_is_an_error(self):
        ini = self.write_ini("[hub]\nport = 0\n[hbu]\nlisten = 127.0.0.1\n")
        p = run_hub("--config", ini)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"{ini}:4", p.stderr)

    def test_8_5_missing_config_file_is_an_error(self):
        p = run_hub("--config", os.path.join(self.tmp, "missing.ini"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("missing.ini", p.stderr)

    def test_8_6_plain_listening_off_loopback_is_refused(self):
        p = run_hub("--listen", "0.0.0.0", "--port", "0",
                    "--db", os.path.join(self.tmp, "x.db"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("TLS", p.stderr)

    def test_8_7_half_a_tls_configuration_is_refused(self):
        ini = self.write_ini("[tls]\ncert = /tmp/cert.pem\n")
        p = run_hub("--config", ini)
        self.assertEqual(p.returncode, 2)
        self.assertIn("key", p.stderr)

    def test_8_8_ini_settings_are_used_and_flags_override_them(self):
        db = os.path.join(self.tmp, "hub.db")
        Site(db)
        ini = self.write_ini(f"[hub]\nlisten = 127.0.0.1\nport = 1\ndatabase = /nonexistent/x.db\n"
                             f"log_level = warn\nstaff_idle_seconds = 60\nreplay_max = 10\n"
                             f"max_pending_events = 50\nmax_pending_bytes = 1048576\n"
                             f"[tls]\nallow_plain_remote = false\n")
        hub = Hub(db, self.tmp, config=ini)  # --db and --port 0 override the file
        try:
            status, _, _ = hub.http_get("/healthz")
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(hub.stop(), 0)


class Shutdown(HubCase):
    async def test_8_20_sigterm_closes_clients_with_1001_and_exits_0(self):
        c = await self.connect("board")
        await self.subscribe(c, 0)
        await c.recv_type("snapshot")
        pending = await Client.connect(self.hub.url)  # not yet authenticated
        self.hub.proc.send_signal(signal.SIGTERM)
        for cl in (c, pending):
            code, frames = await cl.expect_close()
            self.assertEqual(frames[-1]["type"], "closing", frames)
            self.assertEqual(frames[-1]["error"]["code"], "unavailable")
            self.assertEqual(code, 1001)
        self.assertEqual(self.hub.proc.wait(10), 0)


class Tls(HubCase):
    """With [tls] cert and key the same port speaks wss:// and https:// only."""

    hub_config = "[tls]\ncert = {tmp}/hub.crt\nkey = {tmp}/hub.key\n"

    @classmethod
    def populate(cls, db):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-keyout", os.path.join(cls.tmp, "hub.key"),
                        "-out", os.path.join(cls.tmp, "hub.crt")],
                       check=True, capture_output=True, timeout=60)
        return Site(db)

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=os.path.join(self.tmp, "hub.crt"))
        ctx.check_hostname = False  # the test certificate names localhost, we dial 127.0.0.1
        return ctx

    async def test_8_30_wss_handshake_and_auth(self):
        ws = await websockets.connect(f"wss://127.0.0.1:{self.hub.port}/", ssl=self.ssl_context(),
                                      subprotocols=[SUBPROTOCOL], ping_interval=None)
        c = Client(ws)
        self.assertEqual((await c.recv())["type"], "hello")
        ok = await c.auth(self.site.tokens["board"])
        self.assertEqual(ok["type"], "auth_ok", ok)
        await c.close()

    async def test_8_31_https_healthz(self):
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port, timeout=5,
                                           context=self.ssl_context())
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.read())["status"], "ok")
        conn.close()

    def test_8_32_listening_off_loopback_is_allowed_with_tls(self):
        db = os.path.join(self.tmp, "remote.db")
        Site(db)
        ini = os.path.join(self.tmp, "hub.ini")
        hub = Hub(db, self.tmp, ("--listen", "0.0.0.0"), config=ini)
        try:
            self.assertGreater(hub.port, 0)
        finally:
            self.assertEqual(hub.stop(), 0)


if __name__ == "__main__":
    unittest.main()

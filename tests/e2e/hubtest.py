"""Black-box test kit for showfloor-hub: starts the real hub binary on an ephemeral port with
a temporary database populated through the admin CLI, and talks showfloor.v1 to it with
Python's `websockets` (10.4, asyncio API). Shares no code with protocol/ on purpose: it is
a second, independent reading of protocol/PROTOCOL.md.

Environment: SHOWFLOOR_HUB and SHOWFLOOR_CLI name the binaries (CTest sets them).
"""

import asyncio
import datetime
import hashlib
import http.client
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import websockets
import websockets.exceptions
from websockets.frames import OP_TEXT

HUB = os.environ.get("SHOWFLOOR_HUB", "showfloor-hub")
CLI = os.environ.get("SHOWFLOOR_CLI", "showfloor")
SUBPROTOCOL = "showfloor.v1"
SITE_OFFSET_MIN = 480  # the test site is in China Standard Time
RECV_TIMEOUT = 5.0
# Command ids are idempotency keys per device and kept for days: never reuse one by accident.
_IDS = itertools.count(1)
_RUN = f"{os.getpid():x}"


def site_today():
    """The site's local calendar day (duty rosters are per local day)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return (now + datetime.timedelta(minutes=SITE_OFFSET_MIN)).strftime("%Y-%m-%d")


def now_ms():
    return int(time.time() * 1000)


class CliError(Exception):
    pass


def phone_hash(db, phone):
    """The keyed phone hash the store keeps instead of the phone (hub/privacy.h): BLAKE2b-256
    of the phone under crypto_kdf subkey 1 ("sfphone_") of the data key (SHOWFLOOR_DATA_KEY,
    else "<db>.data-key"): BLAKE2b keyed with the data key, salt = the subkey id (8 bytes
    little-endian, padded), personal = the context. Lets a test find a customer by phone."""
    env = os.environ.get("SHOWFLOOR_DATA_KEY")
    if env:
        key = bytes.fromhex(env.strip())
    else:
        with open(db + ".data-key", "rb") as f:
            key = f.read()
        if len(key) != 32:
            key = bytes.fromhex(key.decode().strip())
    sub = hashlib.blake2b(b"", key=key, digest_size=32,
                          salt=(1).to_bytes(8, "little") + bytes(8),
                          person=b"sfphone_" + bytes(8)).digest()
    return hashlib.blake2b(phone.encode(), key=sub, digest_size=32).digest()


def cli(db, *args, check=True):
    """Runs the admin CLI on db; returns stdout stripped. Raises CliError when check fails."""
    p = subprocess.run([CLI, "--db", db, *args], capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise CliError(f"showfloor {' '.join(args)} -> exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout.strip()


class Hub:
    """One showfloor-hub process on an ephemeral port."""

    def __init__(self, db, workdir, extra_args=(), config=None):
        self.db = db
        self.workdir = workdir
        self.port_file = os.path.join(workdir, f"port-{id(self)}")
        self.log_path = os.path.join(workdir, f"hub-{id(self)}.log")
        args = [HUB, "--db", db, "--port", "0", "--port-file", self.port_file,
                "--log-level", "debug", *extra_args]
        if config:
            args += ["--config", config]
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self._wait_port()
        self.url = f"ws://127.0.0.1:{self.port}/"

    def _wait_port(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise RuntimeError("hub did not write its port file in time:\n" + self.log_text())

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stops the hub; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def http_get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.getheader("Content-Type") or "", r.read().decode("utf-8")
        finally:
            conn.close()


class Closed(Exception):
    """The hub closed the connection; .code is the close status (None if none was sent)."""

    def __init__(self, code, reason=""):
        super().__init__(f"connection closed with {code} {reason}")
        self.code = code


class Client:
    """A showfloor.v1 client. recv() returns decoded frames; raw frames are kept in .raw."""

    def __init__(self, ws):
        self.ws = ws
        self.raw = []       # every text frame received, as sent by the hub
        self.pending = []   # frames read while waiting for something else
        self.hello = None

    @classmethod
    async def connect(cls, url, subprotocols=(SUBPROTOCOL,), read_hello=True):
        ws = await websockets.connect(url, subprotocols=list(subprotocols) or None,
                                      max_size=8 * 1024 * 1024, open_timeout=10,
                                      ping_interval=None)
        c = cls(ws)
        if read_hello:
            c.hello = await c.recv()
        return c

    async def send(self, obj):
        await self.ws.send(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))

    async def send_text_bytes(self, data):
        """A text frame holding arbitrary bytes (for invalid UTF-8)."""
        await self.ws.write_frame(True, OP_TEXT, data)

    async def _recv_raw(self, timeout):
        try:
            text = await asyncio.wait_for(self.ws.recv(), timeout)
        except websockets.exceptions.ConnectionClosed as e:
            raise Closed(e.rcvd.code if e.rcvd else None, e.rcvd.reason if e.rcvd else "")
        assert isinstance(text, str), "the hub must send text frames only"
        self.raw.append(text)
        return json.loads(text)

    async def recv(self, timeout=RECV_TIMEOUT):
        if self.pending:
            return self.pending.pop(0)
        return await self._recv_raw(timeout)

    async def recv_type(self, mtype, timeout=RECV_TIMEOUT):
        """Next frame of this type; frames of other types are kept for later recv()."""
        deadline = time.monotonic() + timeout
        for i, m in enumerate(self.pending):
            if m.get("type") == mtype:
                return self.pending.pop(i)
        while True:
            m = await self._recv_raw(max(0.01, deadline - time.monotonic()))
            if m.get("type") == mtype:
                return m
            self.pending.append(m)

    async def recv_event(self, kind, timeout=RECV_TIMEOUT):
        """The next event of `kind`; frames of other kinds stay pending, in order."""
        deadline = time.monotonic() + timeout
        for i, m in enumerate(self.pending):
            if m.get("type") == "event" and m.get("kind") == kind:
                return self.pending.pop(i)
        while True:
            m = await self._recv_raw(max(0.01, deadline - time.monotonic()))
            if m.get("type") == "event" and m.get("kind") == kind:
                return m
            self.pending.append(m)

    async def recv_visit_events(self, n, after=0):
        """The next n visit.* events, in seq order. Events of other kinds in between (a
        check-in also notifies staff) are skipped, but every event's seq must keep rising."""
        got, last = [], after
        while len(got) < n:
            ev = self.pending.pop(0) if self.pending else await self.recv()
            if ev.get("type") != "event":
                raise AssertionError(f"expected an event, got {ev}")
            if ev["seq"] <= last:
                raise AssertionError(f"seq {ev['seq']} after {last}: out of order or repeated")
            last = ev["seq"]
            if ev["kind"].startswith("visit."):
                got.append(ev)
        return got

    async def expect_only(self, kinds, seconds):
        """Asserts that for `seconds` nothing arrives but events of `kinds` (e.g. the
        staff.notify that follows a check-in's visit event)."""
        while self.pending:
            m = self.pending.pop(0)
            if m.get("type") != "event" or m.get("kind") not in kinds:
                raise AssertionError(f"unexpected frame {m}")
        while True:
            try:
                m = await self._recv_raw(seconds)
            except asyncio.TimeoutError:
                return
            if m.get("type") != "event" or m.get("kind") not in kinds:
                raise AssertionError(f"unexpected frame {m}")

    async def expect_silence(self, seconds):
        """Asserts that nothing arrives for `seconds`."""
        if self.pending:
            raise AssertionError(f"unexpected frame {self.pending[0]}")
        try:
            m = await self._recv_raw(seconds)
        except asyncio.TimeoutError:
            return
        raise AssertionError(f"unexpected frame {m}")

    def next_id(self):
        return f"t{_RUN}-{next(_IDS)}"

    async def request(self, mtype, args=None, rid=None, timeout=RECV_TIMEOUT):
        """Sends a request and returns its result frame; other frames stay queued."""
        rid = rid or self.next_id()
        msg = {"type": mtype, "id": rid}
        if args is not None:
            msg["args"] = args
        await self.send(msg)
        return await self.result(rid, timeout)

    async def result(self, rid, timeout=RECV_TIMEOUT):
        deadline = time.monotonic() + timeout
        for i, m in enumerate(self.pending):
            if m.get("type") == "result" and m.get("id") == rid:
                return self.pending.pop(i)
        while True:
            m = await self._recv_raw(max(0.01, deadline - time.monotonic()))
            if m.get("type") == "result" and m.get("id") == rid:
                return m
            self.pending.append(m)

    async def auth(self, token, client="hubtest/1"):
        await self.send({"type": "auth", "args": {"token": token, "client": client}})
        return await self.recv()

    async def expect_close(self, timeout=RECV_TIMEOUT):
        """Reads until the hub closes; returns (close code, frames read meanwhile)."""
        frames = list(self.pending)
        self.pending = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                frames.append(await self._recv_raw(max(0.01, deadline - time.monotonic())))
            except Closed as e:
                return e.code, frames

    async def close(self):
        await self.ws.close()


class Site:
    """The fixture data: one site SH01 with two consultants on duty, a model and devices."""

    DEVICES = {
        "reception": "Reception 1",
        "board": "Board 1",
        "status": "Status 1",
        "delivery": "Delivery 1",
    }

    def __init__(self, db, create_site=True):
        """create_site=False: the site SH01 exists already (demo-data); only add devices."""
        self.db = db
        self.tokens = {}
        if create_site:
            self._create_site()
        for mode, name in self.DEVICES.items():
            self.tokens[mode] = self.add_device(mode, name)

    def _create_site(self):
        db = self.db
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店",
            "--utc-offset", str(SITE_OFFSET_MIN))
        cli(db, "staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
            "--role", "consultant", "--pin", "1234")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S002", "--name", "李娜",
            "--role", "consultant", "--pin", "2468")
        for no in ("S001", "S002"):
            cli(db, "duty", "set", "--staff", no, "--day", site_today(), "--status", "on")
        cli(db, "model", "add", "--code", "HX7", "--name", "星河 7", "--name-en", "Xinghe 7",
            "--price-fen", "18980000")

    def add_device(self, mode, name):
        token = cli(self.db, "device", "add", "--site", "SH01", "--mode", mode, "--name", name)
        assert token and "\n" not in token, f"device add printed {token!r}"
        return token


class HubCase(unittest.IsolatedAsyncioTestCase):
    """One hub per test class on a fresh database with the Site fixture."""

    hub_args = ()
    hub_config = None  # INI text for --config, if any; "{tmp}" is the class's temp dir

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="showfloor-e2e-")
        cls.db = os.path.join(cls.tmp, "showfloor.db")
        cls.site = cls.populate(cls.db)
        config = None
        if cls.hub_config:
            config = os.path.join(cls.tmp, "hub.ini")
            with open(config, "w") as f:
                f.write(cls.hub_config.replace("{tmp}", cls.tmp))
        cls.hub = Hub(cls.db, cls.tmp, cls.hub_args, config=config)

    @classmethod
    def populate(cls, db):
        """Creates the test data; a class may override it."""
        return Site(db)

    @classmethod
    def tearDownClass(cls):
        code = cls.hub.stop()
        log = cls.hub.log_text()
        keep = os.environ.get("SHOWFLOOR_KEEP_TMP")
        if not keep:
            shutil.rmtree(cls.tmp, ignore_errors=True)
        # A sanitizer report or an unclean exit fails the class, even if every test passed.
        if code != 0 or "ERROR: AddressSanitizer" in log or "runtime error:" in log:
            raise AssertionError(f"hub exited with {code}; log:\n{log[-6000:]}")

    async def connect(self, mode="reception", token=None):
        """An authenticated client of the fixture device in `mode`."""
        c = await Client.connect(self.hub.url)
        ok = await c.auth(token or self.site.tokens[mode])
        self.assertEqual(ok["type"], "auth_ok", ok)
        return c

    async def subscribe(self, c, since=0):
        res = await c.request("subscribe", {"since": since})
        self.assertTrue(res["ok"], res)
        return res["data"]

    def assertError(self, res, code, field=None):
        self.assertEqual(res["type"], "result", res)
        self.assertIs(res["ok"], False, res)
        self.assertEqual(res["error"]["code"], code, res)
        self.assertIsInstance(res["error"]["message"], str)
        self.assertTrue(res["error"]["message"], res)
        if field is not None:
            self.assertEqual(res["error"].get("field"), field, res)


# ---- the HTTP API (PROTOCOL.md "HTTP API") ----

def http_call(port, method, path, body=None, headers=None, timeout=10):
    """One HTTP request to the hub. body: bytes, str, or an object sent as JSON.
    Returns (status, headers with lower-case names, JSON-decoded body or the text)."""
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body, ensure_ascii=False)
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        text = r.read().decode("utf-8")
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        try:
            return r.status, hdrs, json.loads(text)
        except ValueError:
            return r.status, hdrs, text
    finally:
        conn.close()


class Api:
    """A client of the hub's HTTP API with one device token and, after login(), a session."""

    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.session = None

    def headers(self, session=True):
        h = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if session and self.session:
            h["X-Showfloor-Session"] = self.session
        return h

    def login(self, staff_no, pin):
        """Logs in; returns the response body. Raises if the hub refuses."""
        status, _, body = http_call(self.port, "POST", "/api/v1/login",
                               {"staff_no": staff_no, "pin": pin}, self.headers(False))
        assert status == 200, (status, body)
        self.session = body["session"]
        return body

    def request(self, mtype, args=None, rid=None):
        """POSTs one protocol request; returns (HTTP status, result frame)."""
        msg = {"type": mtype, "id": rid or f"h{_RUN}-{next(_IDS)}"}
        if args is not None:
            msg["args"] = args
        status, _, body = http_call(self.port, "POST", "/api/v1/requests", msg, self.headers())
        return status, body

    def ok(self, mtype, args=None, rid=None):
        """A request that must succeed; returns its data."""
        status, res = self.request(mtype, args, rid)
        assert status == 200 and res.get("ok") is True, (mtype, status, res)
        return res["data"]

    def get(self, path):
        return http_call(self.port, "GET", path, None, self.headers())


def api_cli(port, token_file, staff, pin, *args, env=None):
    """Runs `showfloor --hub ... order ...` against a hub; returns the CompletedProcess."""
    cmd = [CLI, "--hub", f"http://127.0.0.1:{port}", "--token-file", token_file,
           "--staff", staff, "--pin", pin, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)


# ---- issue 4: staff logins, events by kind, a second hub with its clock moved, and a
# ---- webhook receiver (appended; nothing above changes) ----

DEMO_PINS = {"S001": "1001", "S002": "1002", "S003": "1003", "S004": "1004", "S005": "1005",
             "S006": "1006", "S007": "1007", "S008": "1008", "S009": "1009", "S010": "1010",
             "S011": "1011", "S012": "1012"}  # `showfloor demo-data`'s staff and their PINs


def staff_api(port, token, staff_no, pin):
    """An Api logged in as one staff member (each login is its own session)."""
    api = Api(port, token)
    api.login(staff_no, pin)
    return api


async def api_call(api, mtype, args=None, rid=None):
    """Api.request off the event loop (http.client blocks): (HTTP status, result frame)."""
    return await asyncio.to_thread(api.request, mtype, args, rid)


async def api_ok(api, mtype, args=None, rid=None):
    """A request over the HTTP API that must succeed; returns its data."""
    status, res = await api_call(api, mtype, args, rid)
    assert status == 200 and res.get("ok") is True, (mtype, args, status, res)
    return res["data"]


async def next_event(client, kind, match=None, timeout=RECV_TIMEOUT):
    """The next event of `kind` whose data satisfies match(data) (all when None), oldest
    first; events passed over are kept in client.skipped, where later calls look first."""
    deadline = time.monotonic() + timeout
    if not hasattr(client, "skipped"):
        client.skipped = []
    for i, ev in enumerate(client.skipped):  # passed over while waiting for another one
        if ev["kind"] == kind and (match is None or match(ev["data"])):
            return client.skipped.pop(i)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise asyncio.TimeoutError(f"no {kind} event within {timeout} s")
        try:
            ev = await client.recv_type("event", left)
        except asyncio.TimeoutError:
            raise asyncio.TimeoutError(f"no {kind} event within {timeout} s") from None
        if ev["kind"] == kind and (match is None or match(ev["data"])):
            return ev
        client.skipped.append(ev)


async def staff_notify(client, staff_no=None, kind=None, staff_id=None, timeout=RECV_TIMEOUT):
    """The next staff.notify event for that person (and of that kind, when given)."""
    def match(d):
        return ((staff_no is None or d.get("staff_no") == staff_no) and
                (staff_id is None or d.get("staff_id") == staff_id) and
                (kind is None or d.get("kind") == kind))
    return await next_event(client, "staff.notify", match, timeout)


def start_hub_ahead(db, tmp, offset_ms, check_seconds=1):
    """A second hub on the same database with its clock `offset_ms` ahead and its timer
    (core_tick) every `check_seconds`: what it records, the first hub fans out (as test_11
    does for order time limits). Stop it with stop_hub_checked()."""
    ini = os.path.join(tmp, f"ahead-{offset_ms}.ini")
    with open(ini, "w") as f:
        f.write(f"[hub]\nsla_check_seconds = {check_seconds}\n")
    old = os.environ.get("SHOWFLOOR_CLOCK_OFFSET_MS")
    os.environ["SHOWFLOOR_CLOCK_OFFSET_MS"] = str(offset_ms)
    try:
        return Hub(db, tmp, config=ini)
    finally:
        if old is None:
            del os.environ["SHOWFLOOR_CLOCK_OFFSET_MS"]
        else:
            os.environ["SHOWFLOOR_CLOCK_OFFSET_MS"] = old


def stop_hub_checked(hub):
    """Stops a hub; raises AssertionError on an unclean exit or a sanitizer report."""
    code = hub.stop()
    log = hub.log_text()
    if code != 0 or "ERROR: AddressSanitizer" in log or "runtime error:" in log:
        raise AssertionError(f"hub exited with {code}; log:\n{log[-4000:]}")


def metric(port, name, labels=None):
    """The value of one series in /metrics (0 when the series is absent)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()
    want = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
                   if labels else "")
    for line in text.splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    return 0.0


class WebhookReceiver:
    """A tiny HTTP server on 127.0.0.1 (port 0) in a thread, recording every POST as
    (monotonic time, path, lower-case headers, raw body). `plan(seq, attempt)` chooses the
    status to answer (attempt counts from 1 per seq); the default answers 200."""

    def __init__(self, plan=None):
        import http.server
        import threading
        self.posts = []
        self.plan = plan or (lambda seq, attempt: 200)
        self.lock = threading.Lock()
        recv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                hdrs = {k.lower(): v for k, v in self.headers.items()}
                try:
                    seq = json.loads(body).get("seq")
                except ValueError:
                    seq = None
                with recv.lock:
                    recv.posts.append((time.monotonic(), self.path, hdrs, body))
                    attempt = sum(1 for p in recv.posts if recv._seq(p) == seq)
                status = recv.plan(seq, attempt)
                text = b"{}" if 200 <= status < 300 else b'{"error":"planned"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/showfloor?token=abc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _seq(post):
        try:
            return json.loads(post[3]).get("seq")
        except ValueError:
            return None

    def bodies(self):
        """Every POST body decoded, in arrival order."""
        with self.lock:
            return [json.loads(p[3]) for p in self.posts]

    async def wait_for(self, pred, timeout=10.0):
        """Waits until pred(bodies) is true; returns the bodies."""
        deadline = time.monotonic() + timeout
        while True:
            b = self.bodies()
            if pred(b):
                return b
            if time.monotonic() > deadline:
                raise AssertionError(f"webhook receiver: condition not met; got {b}")
            await asyncio.sleep(0.05)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def refused_port():
    """A local TCP port with nothing listening (connections are refused)."""
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class KillCase(unittest.IsolatedAsyncioTestCase):
    """Tests that kill hubs: a demo site's database in a fresh directory, every hub started
    here killed at the end (SIGKILL: a test may have left one mid-crash), the directory
    removed unless SHOWFLOOR_KEEP_TMP is set."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="showfloor-e2e-")
        self.db = os.path.join(self.tmp, "showfloor.db")
        self.site = Site(self.db)
        self.hubs = []

    def tearDown(self):
        for h in self.hubs:
            if h.proc.poll() is None:
                h.stop(signal.SIGKILL)
        if not os.environ.get("SHOWFLOOR_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def start_hub(self, db=None):
        h = Hub(db or self.db, self.tmp)
        self.hubs.append(h)
        return h

    async def connect(self, hub):
        """A reception connection, authenticated."""
        c = await Client.connect(hub.url)
        ok = await c.auth(self.site.tokens["reception"])
        self.assertEqual(ok["type"], "auth_ok", ok)
        return c

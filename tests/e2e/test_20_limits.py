"""20. Limits the hub enforces itself (hub/README.md "Limits"): connections per peer address,
addresses blocked after repeated bad tokens, a per-connection request rate, the header
timeout against slowloris, and ping/pong so that a dead peer is dropped.

Every limit but the last two exempts loopback peers unless `guard_loopback = true`, which
this hub sets. Each test uses its own source address (127.0.0.x: Linux routes all of
127/8 to lo) so that one test's storm or flood does not limit another's clients."""

import asyncio
import base64
import json
import os
import socket
import struct
import time
import unittest

import websockets

from hubtest import SUBPROTOCOL, Client, HubCase

CAP = 20
FAIL_MAX = 3
BLOCK_S = 2
RATE = 5
BURST = 10
PING_S = 1
PING_TIMEOUT_S = 2
HEADER_S = 2


def raw_socket(src, port, timeout=5.0):
    """A TCP connection to the hub from source address `src`."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_by_peer(s, timeout):
    """True if the hub closes `s` (EOF or reset) within `timeout` seconds; what it sends
    meanwhile is read and dropped."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        s.settimeout(left)
        try:
            if not s.recv(4096):
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False


async def client_from(src, url, port):
    """A showfloor.v1 client (Python websockets: it answers pings) from address `src`."""
    sock = raw_socket(src, port)
    sock.setblocking(False)
    ws = await websockets.connect(url, sock=sock, subprotocols=[SUBPROTOCOL],
                                  open_timeout=5, ping_interval=None)
    c = Client(ws)
    c.hello = await c.recv()
    return c


def ws_frame(text):
    """One masked client text frame."""
    data = text.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    if len(data) < 126:
        head += bytes([0x80 | len(data)])
    else:
        head += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def read_frame(s):
    """One unmasked server frame: (opcode, payload)."""
    def exact(n):
        buf = b""
        while len(buf) < n:
            chunk = s.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
        return buf
    b0, b1 = exact(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", exact(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", exact(8))[0]
    return b0 & 0x0F, exact(n)


def raw_ws(src, port):
    """A WebSocket opened by hand, which never answers a ping: (socket, hello)."""
    s = raw_socket(src, port)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {SUBPROTOCOL}\r\n\r\n")
              .encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    op, payload = read_frame(s)
    assert op == 1, op
    return s, json.loads(payload)


class Limits(HubCase):
    hub_config = (
        "[hub]\n"
        "guard_loopback = true\n"
        f"max_connections_per_address = {CAP}\n"
        f"auth_fail_max = {FAIL_MAX}\n"
        "auth_fail_window_seconds = 30\n"
        f"auth_block_seconds = {BLOCK_S}\n"
        f"request_rate = {RATE}\n"
        f"request_burst = {BURST}\n"
        f"ping_interval_seconds = {PING_S}\n"
        f"ping_timeout_seconds = {PING_TIMEOUT_S}\n"
        f"header_timeout_seconds = {HEADER_S}\n"
    )

    async def test_20_1_flood_of_slow_sockets_is_capped_and_a_kiosk_still_gets_in(self):
        port = self.hub.port
        held = []
        try:
            # Slow sockets: half a request header each, never finished.
            for _ in range(CAP):
                s = raw_socket("127.0.0.2", port)
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                held.append(s)
            time.sleep(0.3)
            over = [raw_socket("127.0.0.2", port) for _ in range(CAP)]
            t0 = time.monotonic()
            refused = sum(closed_by_peer(s, 1.0) for s in over)
            for s in over:
                s.close()
            self.assertEqual(refused, CAP, "every socket over the cap is dropped at once")
            self.assertLess(time.monotonic() - t0, 1.5)
            # The cap held sockets are still open (the header timeout has not passed) ...
            self.assertFalse(closed_by_peer(held[0], 0.05))
            # ... and a kiosk from another address connects and authenticates within 2 s.
            t0 = time.monotonic()
            c = await client_from("127.0.0.1", self.hub.url, port)
            ok = await c.auth(self.site.tokens["reception"])
            took = time.monotonic() - t0
            self.assertEqual(ok["type"], "auth_ok", ok)
            self.assertLess(took, 2.0)
            print(f"\n20.1 {CAP} slow sockets held, {refused} over the cap refused; "
                  f"kiosk authenticated in {took * 1000:.0f} ms")
            await c.close()
            # Slowloris: the held sockets are closed at the header timeout.
            t0 = time.monotonic()
            self.assertTrue(all(closed_by_peer(s, HEADER_S + 3) for s in held))
            print(f"20.1 slow sockets closed by the header timeout "
                  f"{time.monotonic() - t0 + 0.3:.1f} s after opening at most")
            # Once they are gone the address may connect again.
            s = raw_socket("127.0.0.2", port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            self.assertIn(b"200", s.recv(4096))
            s.close()
        finally:
            for s in held:
                s.close()
        self.assertIn("connection refused peer=127.0.0.2", self.hub.log_text())

    async def test_20_2_trickled_header_is_cut_at_the_header_timeout(self):
        s = raw_socket("127.0.0.5", self.hub.port)
        t0 = time.monotonic()
        s.sendall(b"GET / HTTP/1.1\r\n")
        closed = False
        # One header byte every 0.3 s: progress, but never the end of the headers.
        while time.monotonic() - t0 < HEADER_S + 4:
            try:
                s.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            if closed_by_peer(s, 0.3):
                closed = True
                break
        took = time.monotonic() - t0
        s.close()
        self.assertTrue(closed, "a header trickled forever must be cut off")
        self.assertLess(took, HEADER_S + 2)
        print(f"\n20.2 trickled header cut after {took:.1f} s (header_timeout_seconds={HEADER_S})")

    async def test_20_3_bad_token_storm_blocks_the_address_then_it_is_lifted(self):
        url, port = self.hub.url, self.hub.port
        for i in range(FAIL_MAX):
            c = await client_from("127.0.0.3", url, port)
            res = await c.auth("not-a-token-%d" % i)
            self.assertEqual(res["type"], "auth_failed", res)
            self.assertEqual(res["error"]["code"], "auth_failed", res)
            await c.expect_close()
        # Blocked now: even the right token is refused, with rate_limited and 1013.
        c = await client_from("127.0.0.3", url, port)
        res = await c.auth(self.site.tokens["status"])
        self.assertEqual(res["type"], "auth_failed", res)
        self.assertEqual(res["error"]["code"], "rate_limited", res)
        code, _ = await c.expect_close()
        self.assertEqual(code, 1013)
        # Other addresses are not blocked.
        c = await client_from("127.0.0.1", url, port)
        self.assertEqual((await c.auth(self.site.tokens["status"]))["type"], "auth_ok")
        await c.close()
        # After the block the address gets in again.
        await asyncio.sleep(BLOCK_S + 0.3)
        c = await client_from("127.0.0.3", url, port)
        res = await c.auth(self.site.tokens["status"])
        self.assertEqual(res["type"], "auth_ok", res)
        await c.close()
        log = self.hub.log_text()
        self.assertEqual(log.count("address blocked peer=127.0.0.3"), 1, "logged once")

    async def test_20_3b_pin_guessing_blocks_staff_logins_from_the_address(self):
        url, port = self.hub.url, self.hub.port
        c = await client_from("127.0.0.8", url, port)
        self.assertEqual((await c.auth(self.site.tokens["delivery"]))["type"], "auth_ok")
        # wrong PINs spread over two staff numbers: no account reaches its own lockout
        for i in range(FAIL_MAX):
            res = await c.request("staff_login", {"staff_no": ("S001", "S002")[i % 2],
                                                  "pin": "9999"})
            self.assertEqual(res["error"]["code"], "staff_login_failed", res)
        # blocked now: even the right PIN is refused on this address, the connection stays
        res = await c.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertEqual(res["error"]["code"], "rate_limited", res)
        other = await client_from("127.0.0.1", url, port)
        self.assertEqual((await other.auth(self.site.tokens["delivery"]))["type"], "auth_ok")
        res = await other.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertTrue(res["ok"], res)
        await other.close()
        await asyncio.sleep(BLOCK_S + 0.3)
        res = await c.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertTrue(res["ok"], res)
        await c.close()

    async def test_20_4_request_rate_limit_answers_rate_limited_and_keeps_the_connection(self):
        c = await client_from("127.0.0.4", self.hub.url, self.hub.port)
        self.assertEqual((await c.auth(self.site.tokens["board"]))["type"], "auth_ok")
        n = 3 * BURST
        ids = [c.next_id() for _ in range(n)]
        for rid in ids:
            await c.send({"type": "ping", "id": rid})
        results = {}
        while len(results) < n:
            m = await c.recv()
            if m["type"] == "result":
                results[m["id"]] = m
        limited = [r for r in results.values() if not r["ok"]]
        for r in limited:
            self.assertEqual(r["error"]["code"], "rate_limited", r)
        # The burst passes, then about RATE per second: a few more at most in this short time.
        self.assertGreaterEqual(n - len(limited), BURST)
        self.assertLessEqual(n - len(limited), BURST + RATE)
        self.assertTrue(all(results[rid]["ok"] for rid in ids[:BURST]))
        print(f"\n20.4 {n} requests at once: {n - len(limited)} answered, "
              f"{len(limited)} rate_limited")
        # The connection is kept, and the bucket refills.
        await asyncio.sleep(1.0)
        res = await c.request("ping")
        self.assertTrue(res["ok"], res)
        await c.close()

    async def test_20_5_a_peer_that_never_answers_pings_is_dropped(self):
        port = self.hub.port
        s, hello = raw_ws("127.0.0.6", port)
        self.assertEqual(hello["type"], "hello")
        s.sendall(ws_frame(json.dumps({"type": "auth",
                                       "args": {"token": self.site.tokens["board"],
                                                "client": "deadpeer/1"}})))
        op, payload = read_frame(s)
        self.assertEqual(json.loads(payload)["type"], "auth_ok")
        t0 = time.monotonic()
        # A live client (websockets answers pings) on the same hub stays connected.
        live = await client_from("127.0.0.7", self.hub.url, port)
        self.assertEqual((await live.auth(self.site.tokens["status"]))["type"], "auth_ok")
        s.settimeout(PING_S + PING_TIMEOUT_S + 5)

        def read_until_dropped():
            pings = 0
            try:
                while True:
                    op, _ = read_frame(s)
                    if op == 0x9:
                        pings += 1
            except (ConnectionError, OSError):
                return pings, True

        # In a thread: the event loop must keep running so that the live client answers the
        # hub's pings meanwhile (a blocked loop would get it dropped too).
        pings, closed = await asyncio.to_thread(read_until_dropped)
        took = time.monotonic() - t0
        s.close()
        self.assertTrue(closed)
        self.assertGreaterEqual(pings, 1, "the hub pings before it gives up")
        self.assertLess(took, PING_S + PING_TIMEOUT_S + 2)
        print(f"\n20.5 silent peer pinged {pings}x and dropped after {took:.1f} s "
              f"(ping {PING_S} s + timeout {PING_TIMEOUT_S} s)")
        # The live client has answered the same pings and is still served.
        await asyncio.sleep(0.5)
        res = await live.request("ping")
        self.assertTrue(res["ok"], res)
        await live.close()


class DefaultsExemptLoopback(HubCase):
    """Without guard_loopback, loopback peers are not capped (tools/bench opens 10,000)."""

    hub_config = "[hub]\nmax_connections_per_address = 2\nrequest_rate = 1\nrequest_burst = 1\n"

    async def test_20_6_loopback_is_exempt_by_default(self):
        clients = [await self.connect("board") for _ in range(4)]
        for c in clients:
            for _ in range(3):
                res = await c.request("ping")
                self.assertTrue(res["ok"], res)
        for c in clients:
            await c.close()


if __name__ == "__main__":
    unittest.main()

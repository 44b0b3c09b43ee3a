"""25. Bad credentials on the HTTP API count per address as on the WebSocket (hub/README.md
"Limits"): bad bearer tokens, bad PINs on /api/v1/login and session tokens that name no
session block the address after auth_fail_max of them, every API request from it then gets
429 rate_limited (a good token too) until the block ends. WebSocket and HTTP failures share
one budget per address. The refusals show on /metrics.

The hub sets `guard_loopback = true`; each test uses its own source address (127.0.1.x:
Linux routes all of 127/8 to lo), so one test's block does not limit another's clients,
and each waits out its own block before it ends."""

import asyncio
import http.client
import json
import socket
import time
import unittest

import websockets

from hubtest import SUBPROTOCOL, Client, HubCase, Site, metric

FAIL_MAX = 3
BLOCK_S = 2
CAP = 8
RATE = 5
BURST = 5
BAD_SESSION = "0" * 64


def http_sync(src, port, method, path, body=None, headers=None):
    """One HTTP request to the hub from source address `src`: (status, JSON body)."""
    if body is not None:
        body = json.dumps(body).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(src, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, json.loads(r.read().decode())
    finally:
        conn.close()


async def http_from(src, port, method, path, body=None, headers=None):
    """http_sync off the event loop (a login's Argon2id takes a while; the loop keeps
    serving the WebSocket clients meanwhile)."""
    return await asyncio.to_thread(http_sync, src, port, method, path, body, headers)


def bearer(token, session=None):
    h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if session:
        h["X-Showfloor-Session"] = session
    return h


async def ws_from(src, url, port):
    """A showfloor.v1 client from address `src`, its hello read."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.bind((src, 0))
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    ws = await websockets.connect(url, sock=sock, subprotocols=[SUBPROTOCOL], open_timeout=5,
                                  ping_interval=None)
    c = Client(ws)
    c.hello = await c.recv()
    return c


class GuardHttp(HubCase):
    hub_config = (
        "[hub]\n"
        "guard_loopback = true\n"
        f"max_connections_per_address = {CAP}\n"
        f"auth_fail_max = {FAIL_MAX}\n"
        "auth_fail_window_seconds = 30\n"
        f"auth_block_seconds = {BLOCK_S}\n"
        f"request_rate = {RATE}\n"
        f"request_burst = {BURST}\n"
    )

    @classmethod
    def populate(cls, db):
        site = Site(db)
        site.tokens["api"] = site.add_device("api", "DMS 1")
        return site

    def m(self, name, **labels):
        return metric(self.hub.port, name, labels or None)

    async def ping(self, src, token=None):
        return await http_from(src, self.hub.port, "POST", "/api/v1/requests",
                         {"type": "ping", "id": f"p{time.monotonic_ns()}"},
                         bearer(token or self.site.tokens["api"]))

    async def login(self, src, staff_no, pin):
        return await http_from(src, self.hub.port, "POST", "/api/v1/login",
                         {"staff_no": staff_no, "pin": pin}, bearer(self.site.tokens["api"]))

    async def assertBlocked(self, src):
        status, body = await self.ping(src)
        self.assertEqual(status, 429, body)
        self.assertEqual(body["error"]["code"], "rate_limited", body)

    async def wait_out_block(self, src):
        await asyncio.sleep(BLOCK_S + 0.3)
        status, body = await self.ping(src)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["ok"], body)

    async def test_25_1_bad_bearer_tokens_block_the_address(self):
        src = "127.0.1.1"
        fails0 = self.m("showfloor_auth_failures_total", kind="http_token")
        blocks0 = self.m("showfloor_addresses_blocked_total")
        limited0 = self.m("showfloor_rate_limited_total", reason="address_blocked")
        for i in range(FAIL_MAX):
            status, body = await self.ping(src, token=f"not-a-token-{i}")
            self.assertEqual(status, 401, body)
            self.assertEqual(body["error"]["code"], "auth_failed", body)
        # Blocked now: the good token is refused too, on every route.
        await self.assertBlocked(src)
        status, body = await self.login(src, "S001", "1234")
        self.assertEqual((status, body["error"]["code"]), (429, "rate_limited"), body)
        # Another address is not.
        status, body = await self.ping("127.0.1.9")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="http_token"),
                         fails0 + FAIL_MAX)
        self.assertEqual(self.m("showfloor_addresses_blocked_total"), blocks0 + 1)
        self.assertEqual(self.m("showfloor_addresses_blocked"), 1)
        self.assertEqual(self.m("showfloor_rate_limited_total", reason="address_blocked"),
                         limited0 + 2)
        await self.wait_out_block(src)
        self.assertEqual(self.m("showfloor_addresses_blocked"), 0)
        self.assertEqual(self.hub.log_text().count("address blocked peer=127.0.1.1 "), 1,
                         "the block is logged once")

    async def test_25_2_bad_pins_on_login_block_the_address(self):
        src = "127.0.1.2"
        fails0 = self.m("showfloor_auth_failures_total", kind="http_pin")
        # wrong PINs spread over two staff numbers: no account reaches its own lockout
        for i in range(FAIL_MAX):
            status, body = await self.login(src, ("S001", "S002")[i % 2], "9999")
            self.assertEqual(status, 401, body)
            self.assertEqual(body["error"]["code"], "staff_login_failed", body)
        status, body = await self.login(src, "S001", "1234")
        self.assertEqual(status, 429, body)
        self.assertEqual(body["error"]["code"], "rate_limited", body)
        self.assertNotIn("session", body)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="http_pin"),
                         fails0 + FAIL_MAX)
        # The right PIN from another address logs in.
        status, body = await self.login("127.0.1.9", "S001", "1234")
        self.assertEqual(status, 200, body)
        await asyncio.sleep(BLOCK_S + 0.3)
        status, body = await self.login(src, "S001", "1234")
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["session"]), 64)

    async def test_25_3_unknown_session_tokens_block_the_address(self):
        src = "127.0.1.3"
        fails0 = self.m("showfloor_auth_failures_total", kind="http_session")
        for _ in range(FAIL_MAX):
            status, body = await http_from(src, self.hub.port, "GET", "/api/v1/orders", None,
                                           bearer(self.site.tokens["api"], BAD_SESSION))
            self.assertEqual(status, 401, body)
            self.assertEqual(body["error"]["code"], "session_expired", body)
        await self.assertBlocked(src)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="http_session"),
                         fails0 + FAIL_MAX)
        # A live session is not a failure: a logged-in client keeps going from another address.
        status, body = await self.login("127.0.1.9", "S001", "1234")
        self.assertEqual(status, 200, body)
        good = body["session"]
        for _ in range(FAIL_MAX + 1):
            status, body = await http_from("127.0.1.9", self.hub.port, "GET", "/api/v1/orders",
                                           None, bearer(self.site.tokens["api"], good))
            self.assertEqual(status, 200, body)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="http_session"),
                         fails0 + FAIL_MAX)
        await self.wait_out_block(src)

    async def test_25_4_websocket_and_http_failures_share_one_budget(self):
        src = "127.0.1.4"
        url, port = self.hub.url, self.hub.port
        tok0 = self.m("showfloor_auth_failures_total", kind="device_token")
        pin0 = self.m("showfloor_auth_failures_total", kind="staff_pin")
        # 1: a bad device token over the WebSocket
        c = await ws_from(src, url, port)
        res = await c.auth("not-a-token")
        self.assertEqual(res["error"]["code"], "auth_failed", res)
        await c.expect_close()
        # 2: a bad PIN over the WebSocket, on a connection that stays open
        kiosk = await ws_from(src, url, port)
        self.assertEqual((await kiosk.auth(self.site.tokens["delivery"]))["type"], "auth_ok")
        res = await kiosk.request("staff_login", {"staff_no": "S002", "pin": "9999"})
        self.assertEqual(res["error"]["code"], "staff_login_failed", res)
        # not blocked yet: HTTP still answers the good token
        status, body = await self.ping(src)
        self.assertEqual(status, 200, body)
        # 3: a bad bearer token over HTTP: the third failure, whatever the transport
        status, body = await self.ping(src, token="not-a-token")
        self.assertEqual(status, 401, body)
        await self.assertBlocked(src)
        res = await kiosk.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertEqual(res["error"]["code"], "rate_limited", res)
        c = await ws_from(src, url, port)
        res = await c.auth(self.site.tokens["status"])
        self.assertEqual(res["error"]["code"], "rate_limited", res)
        code, _ = await c.expect_close()
        self.assertEqual(code, 1013)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="device_token"), tok0 + 1)
        self.assertEqual(self.m("showfloor_auth_failures_total", kind="staff_pin"), pin0 + 1)
        self.assertEqual(self.hub.log_text().count("address blocked peer=127.0.1.4 "), 1)
        await self.wait_out_block(src)
        res = await kiosk.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertTrue(res["ok"], res)
        await kiosk.close()

    async def test_25_5_refused_connections_and_request_rate_are_counted(self):
        port = self.hub.port
        refused0 = self.m("showfloor_connections_refused_total")
        held, over = [], []
        try:
            for _ in range(CAP):
                s = socket.create_connection(("127.0.0.1", port), 5, ("127.0.1.5", 0))
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # half a header, held open
                held.append(s)
            await asyncio.sleep(0.3)
            for _ in range(3):
                s = socket.create_connection(("127.0.0.1", port), 5, ("127.0.1.5", 0))
                over.append(s)
                s.settimeout(2)
                try:
                    self.assertEqual(s.recv(16), b"", "dropped over the cap")
                except ConnectionResetError:
                    pass
        finally:
            for s in held + over:
                s.close()
        self.assertEqual(self.m("showfloor_connections_refused_total"), refused0 + 3)

        limited0 = self.m("showfloor_rate_limited_total", reason="request_rate")
        c = await ws_from("127.0.1.6", self.hub.url, port)
        self.assertEqual((await c.auth(self.site.tokens["board"]))["type"], "auth_ok")
        ids = [c.next_id() for _ in range(3 * BURST)]
        for rid in ids:
            await c.send({"type": "ping", "id": rid})
        results = {}
        while len(results) < len(ids):
            msg = await c.recv()
            if msg["type"] == "result":
                results[msg["id"]] = msg
        limited = sum(1 for r in results.values() if not r["ok"])
        self.assertGreater(limited, 0)
        self.assertEqual(self.m("showfloor_rate_limited_total", reason="request_rate"),
                         limited0 + limited)
        await c.close()
        print(f"\n25.5 3 connections over the cap counted; {limited} of {len(ids)} requests "
              f"rate_limited and counted")


if __name__ == "__main__":
    unittest.main()

"""10. The HTTP API on the hub's port (PROTOCOL.md "HTTP API"): device-token and staff-session
authentication, bodies decoded with every protocol rule, HTTP statuses by error code, the
mode table, idempotent commands, the GET shorthands with paging, fan-out of commands made
over HTTP to WebSocket subscribers, and the request counters in /metrics."""

import asyncio
import os
import socket
import time
import unittest

from hubtest import Api, HubCase, Site, cli, http_call


def order_args(phone, name="王小明", **over):
    args = {"phone": phone, "customer_name": name, "gender": "male", "model": "HX7",
            "colour": "珍珠白", "quantity": 1, "unit_price_fen": 18980000, "payment": "full",
            "channel": "showroom"}
    args.update(over)
    return args


def metric(text, series):
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


class ApiSite(Site):
    """The e2e site plus an `api` device (a DMS or the CLI) and a supervisor."""

    def __init__(self, db):
        super().__init__(db)
        self.tokens["api"] = self.add_device("api", "DMS 1")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S003", "--name", "王强",
            "--role", "supervisor", "--pin", "3579")


class HttpApi(HubCase):
    hub_config = "[hub]\napi_session_idle_seconds = 10\n"

    @classmethod
    def populate(cls, db):
        return ApiSite(db)

    def api(self, mode="api", login=("S001", "1234")):
        a = Api(self.hub.port, self.site.tokens[mode])
        if login:
            a.login(*login)
        return a

    def assertHttpError(self, status, body, want_status, code, field=None):
        self.assertEqual(status, want_status, body)
        err = body["error"]
        self.assertEqual(err["code"], code, body)
        self.assertTrue(err["message"], body)
        if field is not None:
            self.assertEqual(err.get("field"), field, body)

    # ---- authentication ----

    async def test_10_1_login_gives_a_session(self):
        a = Api(self.hub.port, self.site.tokens["api"])
        body = a.login("S001", "1234")
        self.assertRegex(body["session"], r"^[0-9a-f]{64}$")
        self.assertEqual(body["staff"]["staff_no"], "S001")
        self.assertEqual(body["staff"]["role"], "consultant")
        now = int(time.time() * 1000)
        # the session's own idle time (10 s in this hub's config), not a kiosk's
        self.assertAlmostEqual(body["expires_at"], now + 10_000, delta=5_000)
        b = Api(self.hub.port, self.site.tokens["api"])
        self.assertNotEqual(b.login("S001", "1234")["session"], body["session"])

    async def test_10_2_device_authentication_errors_are_401(self):
        path = "/api/v1/requests"
        ping = {"type": "ping", "id": "p1"}
        status, hdrs, body = http_call(self.hub.port, "POST", path, ping)
        self.assertHttpError(status, body, 401, "not_authenticated")
        self.assertIn("Bearer", hdrs.get("www-authenticate", ""))
        status, _, body = http_call(self.hub.port, "POST", path, ping,
                                    {"Authorization": "Bearer not-a-token"})
        self.assertHttpError(status, body, 401, "auth_failed")
        status, _, body = http_call(self.hub.port, "POST", path, ping,
                                    {"Authorization": "Basic dXNlcjpwYXNz"})
        self.assertHttpError(status, body, 401, "auth_failed")
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/login",
                                    {"staff_no": "S001", "pin": "9999"},
                                    {"Authorization": f"Bearer {self.site.tokens['api']}"})
        self.assertHttpError(status, body, 401, "staff_login_failed")

    async def test_10_3_staff_session_required_unknown_and_logged_out(self):
        a = self.api(login=None)
        status, res = a.request("order_list", {})
        self.assertEqual(status, 401, res)
        self.assertEqual(res["error"]["code"], "staff_login_required")
        a.session = "0" * 64
        status, res = a.request("order_list", {})
        self.assertEqual((status, res["error"]["code"]), (401, "session_expired"), res)
        a.session = "x" * 300  # not even a token
        status, res = a.request("order_list", {})
        self.assertEqual((status, res["error"]["code"]), (401, "session_expired"), res)

        a.login("S001", "1234")
        self.assertEqual(a.ok("order_list", {})["offset"], 0)
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/logout", None, a.headers())
        self.assertEqual((status, body), (200, {}))
        status, res = a.request("order_list", {})
        self.assertEqual((status, res["error"]["code"]), (401, "session_expired"), res)

    async def test_10_4_a_session_belongs_to_its_device(self):
        a = self.api()
        other = Api(self.hub.port, self.site.add_device("api", "DMS other"))
        other.session = a.session  # stolen session, different device token
        status, res = other.request("order_list", {})
        self.assertEqual((status, res["error"]["code"]), (401, "session_expired"), res)
        self.assertEqual(a.ok("order_list", {})["offset"], 0)  # still valid for its owner

    async def test_10_5_revoked_device_is_refused_and_its_sessions_die(self):
        token = self.site.add_device("api", "DMS revoked")
        a = Api(self.hub.port, token)
        a.login("S001", "1234")
        self.assertIn("orders", a.ok("order_list", {}))
        cli(self.db, "device", "revoke", "--site", "SH01", "--name", "DMS revoked")
        status, res = a.request("order_list", {})
        self.assertEqual(status, 401, res)
        self.assertEqual(res["error"]["code"], "device_revoked")
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/login",
                                    {"staff_no": "S001", "pin": "1234"}, a.headers(False))
        self.assertHttpError(status, body, 401, "device_revoked")

    async def test_10_6_session_expires_after_idle_time(self):
        a = self.api()
        self.assertIn("orders", a.ok("order_list", {}))
        await asyncio.sleep(5)
        self.assertIn("orders", a.ok("order_list", {}))  # use refreshes the idle time
        await asyncio.sleep(11)
        status, res = a.request("order_list", {})
        self.assertEqual((status, res["error"]["code"]), (401, "session_expired"), res)
        self.assertIn("expired", res["error"]["message"])

    # ---- bodies ----

    async def test_10_7_body_limits_and_decode_errors(self):
        a = self.api()
        h = a.headers()
        big = '{"type":"ping","id":"big","args":{"x":"' + "a" * 70000 + '"}}'
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/requests", big, h)
        self.assertHttpError(status, body, 413, "frame_too_large")
        # far beyond the limit: answered at once and closed, the body is not read at all
        with socket.create_connection(("127.0.0.1", self.hub.port), timeout=5) as s:
            s.sendall(b"POST /api/v1/requests HTTP/1.1\r\nHost: x\r\n"
                      b"Authorization: Bearer " + self.site.tokens["api"].encode() +
                      b"\r\nContent-Length: 20000000\r\n\r\n" + b"x" * 1000)
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        self.assertTrue(reply.startswith(b"HTTP/1.1 413 "), reply[:200])
        self.assertIn(b'"frame_too_large"', reply)

        status, _, res = http_call(self.hub.port, "POST", "/api/v1/requests",
                                   '{"type":"ping",', h)
        self.assertEqual(status, 400)
        self.assertEqual((res["type"], res["id"], res["ok"]), ("result", None, False))
        self.assertEqual(res["error"]["code"], "bad_json")
        status, res = a.request("order_list", {"limit": 500}, rid="r-range")
        self.assertEqual((status, res["id"]), (400, "r-range"))
        self.assertEqual((res["error"]["code"], res["error"]["field"]), ("out_of_range", "limit"))
        status, res = a.request("order_list", {"colour": "red"})
        self.assertEqual((status, res["error"]["code"]), (400, "unknown_field"), res)
        status, res = a.request("no_such_type", {})
        self.assertEqual((status, res["error"]["code"]), (400, "unknown_type"), res)
        status, _, res = http_call(self.hub.port, "POST", "/api/v1/requests",
                                   b'{"type":"ping","id":"u","args":{"x":"\xff"}}', h)
        self.assertEqual((status, res["error"]["code"]), (400, "bad_utf8"), res)
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/login", "[1,2]",
                                    a.headers(False))
        self.assertHttpError(status, body, 400, "bad_json")
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/login",
                                    {"staff_no": "S001"}, a.headers(False))
        self.assertHttpError(status, body, 400, "missing_field", "pin")

    async def test_10_8_chunked_bodies_and_wrong_methods(self):
        # The whole chunked request goes out in one write: the hub answers 411 as soon as it
        # sees the headers and closes, and a client still sending would get EPIPE instead.
        body = b'{"type":"ping","id":"c"}'
        req = (b"POST /api/v1/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Authorization: Bearer " + self.site.tokens["api"].encode() + b"\r\n"
               b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
               + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
        with socket.create_connection(("127.0.0.1", self.hub.port), timeout=5) as sock:
            sock.sendall(req)
            head = sock.recv(4096)
        self.assertTrue(head.startswith(b"HTTP/1.1 411"), head[:80])
        a = self.api(login=None)
        status, hdrs, body = http_call(self.hub.port, "GET", "/api/v1/requests", None,
                                       a.headers())
        self.assertEqual(status, 405, body)
        status, _, body = http_call(self.hub.port, "GET", "/api/v1/nothing", None, a.headers())
        self.assertHttpError(status, body, 404, "not_found")

    # ---- the mode table ----

    async def test_10_9_mode_rules_apply_as_on_the_websocket(self):
        a = self.api()
        status, res = a.request("checkin", {"phone": "13812340000", "consent": True})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"), res)
        status, res = a.request("order_lookup", {"order_no": "SF1", "phone_last4": "0000"})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"), res)
        status, res = a.request("subscribe", {"since": 0})
        self.assertEqual(status // 100, 4, res)
        self.assertIn(res["error"]["code"], ("forbidden", "bad_message"))
        self.assertIsInstance(a.ok("ping")["now"], int)
        # a reception kiosk's token may check in over HTTP, but not log staff in
        r = Api(self.hub.port, self.site.tokens["reception"])
        status, res = r.request("checkin", {"phone": "13812340001", "consent": True})
        self.assertEqual(status, 200, res)
        status, _, body = http_call(self.hub.port, "POST", "/api/v1/login",
                                    {"staff_no": "S001", "pin": "1234"}, r.headers(False))
        self.assertHttpError(status, body, 403, "forbidden")
        # a status kiosk looks orders up over HTTP exactly as over its socket: not_found is 404
        s = Api(self.hub.port, self.site.tokens["status"])
        status, res = s.request("order_lookup", {"order_no": "SF0000-0000", "phone_last4": "0000"})
        self.assertEqual((status, res["error"]["code"]), (404, "not_found"), res)

    # ---- commands ----

    async def test_10_10_idempotent_repeat_over_http(self):
        a = self.api()
        args = order_args("13900000010")
        s1, r1 = a.request("order_create", args, rid="dms-create-1")
        self.assertEqual(s1, 200, r1)
        s2, r2 = a.request("order_create", dict(reversed(list(args.items()))),
                           rid="dms-create-1")
        # a repeat returns the stored first result, which keeps the customer masked (the
        # stored results hold no personal data in the clear: hub/PRIVACY.md)
        c1, c2 = r1["data"]["order"].pop("customer"), r2["data"]["order"].pop("customer")
        self.assertEqual((s2, r2), (s1, r1), "a repeat returns the first result unchanged")
        self.assertEqual((c2["id"], c2["masked"], c2["phone"]), (c1["id"], True, "139****0010"))
        self.assertNotEqual(c2["name"], c1["name"])
        found = a.ok("order_list", {"q": r1["data"]["order"]["order_no"]})
        self.assertEqual(found["total"], 1)
        s3, r3 = a.request("order_create", order_args("13900000011"), rid="dms-create-1")
        self.assertEqual((s3, r3["error"]["code"]), (409, "id_reused"), r3)
        status, res = a.request("order_review",
                                {"order_no": r1["data"]["order"]["order_no"], "pass": True})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"), res)  # a consultant

    async def test_10_11_http_commands_fan_out_to_subscribers(self):
        board = await self.connect("board")
        await self.subscribe(board)
        await board.recv_type("snapshot")
        a = self.api()
        data = a.ok("order_create", order_args("13900000020", "赵敏", gender="female"))
        no = data["order"]["order_no"]
        ev = await board.recv_type("event")
        self.assertEqual(ev["kind"], "order.created", ev)
        self.assertEqual(ev["data"]["order"]["order_no"], no)
        self.assertEqual(ev["data"]["order"]["customer"]["phone"], "139****0020")
        sup = self.api(login=("S003", "3579"))
        sup.ok("order_review", {"order_no": no, "pass": False, "reason": "身份证复印件缺失"})
        ev = await board.recv_type("event")
        self.assertEqual((ev["kind"], ev["data"]["order"]["stage"]), ("order.updated", "returned"))
        await board.close()

    # ---- GET shorthands ----

    async def test_10_12_get_orders_with_paging_and_one_order(self):
        a = self.api()
        nos = [a.ok("order_create", order_args(f"1370000{i:04d}"))["order"]["order_no"]
               for i in range(3)]
        status, _, page = a.get("/api/v1/orders?limit=2&offset=0&stage=entered")
        self.assertEqual(status, 200, page)
        self.assertEqual((page["limit"], page["offset"], len(page["orders"])), (2, 0, 2))
        total = page["total"]
        self.assertGreaterEqual(total, 3)
        seen = [o["order_no"] for o in page["orders"]]
        status, _, rest = a.get(f"/api/v1/orders?limit=2&offset=2&stage=entered")
        seen += [o["order_no"] for o in rest["orders"]]
        while len(seen) < total:
            _, _, more = a.get(f"/api/v1/orders?limit=200&offset={len(seen)}&stage=entered")
            seen += [o["order_no"] for o in more["orders"]]
        self.assertEqual(len(seen), len(set(seen)), "pages must not overlap")
        self.assertTrue(set(nos) <= set(seen))
        status, _, one = a.get(f"/api/v1/orders?q={nos[1]}&stage=")
        self.assertEqual([o["order_no"] for o in one["orders"]], [nos[1]])

        status, _, got = a.get(f"/api/v1/orders/{nos[0]}")
        self.assertEqual(status, 200, got)
        self.assertEqual(got["order"]["order_no"], nos[0])
        self.assertEqual(got["order"]["customer"]["phone"], "13700000000")  # staff, unmasked
        self.assertIsInstance(got["audit"], list)
        status, _, body = a.get("/api/v1/orders/SF0000-9999")
        self.assertHttpError(status, body, 404, "not_found")
        status, _, body = a.get("/api/v1/orders?limit=abc")
        self.assertHttpError(status, body, 400, "bad_field", "limit")
        status, _, body = a.get("/api/v1/orders?limit=0")
        self.assertHttpError(status, body, 400, "out_of_range", "limit")
        status, _, body = a.get("/api/v1/orders?stage=nope")
        self.assertHttpError(status, body, 400, "bad_field", "stage")
        status, _, body = a.get("/api/v1/orders?colour=red")
        self.assertHttpError(status, body, 400, "unknown_field")
        a.session = None
        status, _, body = a.get("/api/v1/orders")
        self.assertHttpError(status, body, 401, "staff_login_required")

    async def test_10_13_metrics_count_http_requests(self):
        _, _, before = self.hub.http_get("/metrics")
        a = self.api()
        a.ok("ping")
        a.request("order_list", {"limit": 0})
        _, _, after = self.hub.http_get("/metrics")
        ok = 'showfloor_http_requests_total{path="/api/v1/requests",status="200"}'
        bad = 'showfloor_http_requests_total{path="/api/v1/requests",status="400"}'
        login = 'showfloor_http_requests_total{path="/api/v1/login",status="200"}'
        self.assertEqual(metric(after, ok), metric(before, ok) + 1)
        self.assertEqual(metric(after, bad), metric(before, bad) + 1)
        self.assertEqual(metric(after, login), metric(before, login) + 1)
        ping = 'showfloor_commands_total{type="ping",result="ok"}'
        self.assertEqual(metric(after, ping), metric(before, ping) + 1)
        self.assertIn("# TYPE showfloor_http_requests_total counter", after)


if __name__ == "__main__":
    unittest.main()

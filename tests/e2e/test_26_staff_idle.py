"""26. Staff logins end when idle, over real sockets (issue 6, "Staff": "staff sessions expire
when idle"; PROTOCOL.md "Orders": `session_expired` after idle expiry; "HTTP API").

The hub runs with staff_idle_seconds and api_session_idle_seconds at their minimum, 10 s.
In the same window:
- a delivery kiosk's WebSocket staff login left idle is refused with `session_expired` on
  its next staff command, and a new login works again;
- a second connection that sends a staff command every few seconds keeps its login (each
  request refreshes it);
- an HTTP API staff session left idle gets 401 `session_expired`; one in use stays valid."""

import asyncio
import time
import unittest

from hubtest import Api, HubCase, api_call

IDLE_S = 10
ACTIVE_EVERY_S = 4


class StaffIdle(HubCase):
    hub_config = f"[hub]\nstaff_idle_seconds = {IDLE_S}\napi_session_idle_seconds = {IDLE_S}\n"

    @classmethod
    def populate(cls, db):
        site = super().populate(db)
        site.tokens["api"] = site.add_device("api", "API 1")
        return site

    async def staff(self, mode):
        c = await self.connect(mode)
        res = await c.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertTrue(res["ok"], res)
        res = await c.request("order_list", {})
        self.assertTrue(res["ok"], res)
        return c

    async def test_26_1_idle_staff_logins_expire_and_active_ones_do_not(self):
        idle = await self.staff("delivery")
        active = await self.staff("board")
        api_idle = Api(self.hub.port, self.site.tokens["api"])
        api_active = Api(self.hub.port, self.site.tokens["api"])
        await asyncio.to_thread(api_idle.login, "S001", "1234")
        await asyncio.to_thread(api_active.login, "S001", "1234")
        t0 = time.monotonic()
        while time.monotonic() - t0 < IDLE_S + 1.5:
            await asyncio.sleep(ACTIVE_EVERY_S)
            res = await active.request("order_list", {})
            self.assertTrue(res["ok"], f"an active login lapsed: {res}")
            status, res = await api_call(api_active, "order_list", {})
            self.assertEqual(status, 200, res)
        took = time.monotonic() - t0

        res = await idle.request("order_list", {})
        self.assertError(res, "session_expired")
        status, res = await api_call(api_idle, "order_list", {})
        self.assertEqual(status, 401, res)
        self.assertError(res, "session_expired")
        # the connection stays, and a new login works at once
        res = await idle.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertTrue(res["ok"], res)
        self.assertTrue((await idle.request("order_list", {}))["ok"])
        await asyncio.to_thread(api_idle.login, "S001", "1234")
        status, res = await api_call(api_idle, "order_list", {})
        self.assertEqual(status, 200, res)
        self.assertIn("staff login expired", self.hub.log_text())
        print(f"\n26.1 idle {took:.1f} s (limit {IDLE_S} s): the idle WebSocket login and "
              f"HTTP session answered session_expired; logins used every {ACTIVE_EVERY_S} s "
              f"stayed valid")
        for c in (idle, active):
            await c.close()


if __name__ == "__main__":
    unittest.main()

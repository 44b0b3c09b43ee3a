"""9. Slow subscribers: a connection that stops reading is cut off with `closing`
(unavailable) once it has max_pending_events unsent events, without slowing anyone else,
and catches up exactly by resubscribing with its last seq (hub/README.md "Slow
subscribers", PROTOCOL.md "subscribe")."""

import socket
import time
import unittest

import websockets

from hubtest import SUBPROTOCOL, Client, HubCase

MAX_CHECKINS = 30000
# A batch makes 2 events per check-in (the visit and the consultant's staff.notify): fewer than
# max_pending_events per batch, so a burst of commits between two writes must not
# trip the limit for a subscriber that reads.
BATCH = 4


class SlowSubscriber(HubCase):
    hub_config = "[hub]\nmax_pending_events = 12\n"
    hub_args = ("--log-level", "info")  # thousands of requests: keep the log small

    async def stalled_client(self):
        """A board client whose socket buffers are tiny and which stops reading after
        one queued message, so the hub's writes back up quickly."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        sock.connect(("127.0.0.1", self.hub.port))
        ws = await websockets.connect(self.hub.url, sock=sock, subprotocols=[SUBPROTOCOL],
                                      max_queue=1, read_limit=2048, ping_interval=None,
                                      max_size=8 * 1024 * 1024)
        c = Client(ws)
        c.hello = await c.recv()
        ok = await c.auth(self.site.tokens["board"])
        self.assertEqual(ok["type"], "auth_ok")
        data = await self.subscribe(c, 0)
        await c.recv_type("snapshot")
        return c, data["seq"]

    async def test_9_1_stalled_subscriber_is_cut_off_then_resumes_without_gap(self):
        rec = await self.connect("reception")
        fast = await self.connect("board")
        await self.subscribe(fast, 0)
        await fast.recv_type("snapshot")
        slow, seq0 = await self.stalled_client()

        # Check-ins are pipelined in small batches to fill the kernel's socket buffers (several
        # MB on loopback) quickly; the stalled client's backlog then builds up in the hub.
        ids = []
        cut = False
        n = 0
        while n < MAX_CHECKINS and not cut:
            rids = []
            for _ in range(BATCH):
                rid = rec.next_id()
                await rec.send({"type": "checkin", "id": rid,
                                "args": {"phone": f"135{n:08d}", "consent": True}})
                rids.append(rid)
                n += 1
            for rid in rids:
                res = await rec.result(rid)
                self.assertIs(res["ok"], True, res)
                ids.append(res["data"]["visit"]["id"])
            for want in ids[-BATCH:]:  # the reader keeps up regardless
                ev = await fast.recv_event("visit.checked_in")
                self.assertEqual(ev["data"]["visit"]["id"], want)
            if n % (BATCH * 25) == 0:
                _, _, text = self.hub.http_get("/metrics")
                cut = "\nshowfloor_slow_subscribers_dropped_total 1\n" in text
        self.assertTrue(cut, "the stalled subscriber was never cut off")

        code, frames = await slow.expect_close(timeout=30)
        self.assertEqual(frames[-1]["type"], "closing", frames[-3:])
        self.assertEqual(frames[-1]["error"]["code"], "unavailable")
        self.assertEqual(code, 1013)
        events = [f for f in frames if f["type"] == "event"]
        visits = [e for e in events if e["kind"] == "visit.checked_in"]
        self.assertLess(len(visits), len(ids))
        last = events[-1]["seq"] if events else seq0

        again = await self.connect("board")
        data = await self.subscribe(again, last)
        self.assertEqual(data["mode"], "replay")
        replayed = await again.recv_visit_events(len(ids) - len(visits), after=last)
        got = [e["data"]["visit"]["id"] for e in visits + replayed]
        self.assertEqual(got, ids)
        await again.expect_only(("staff.notify",), 0.3)
        await again.close()
        await fast.close()
        await rec.close()


if __name__ == "__main__":
    unittest.main()

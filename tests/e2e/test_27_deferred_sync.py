"""27. Deferred sync (hub/STORE.md "Deferred sync"): the hub commits without waiting for the
disk and a thread of its own syncs the WAL, so nothing may leave the hub before that sync.
Each sync is made to take DELAY here (SHOWFLOOR_TEST_SYNC_DELAY_MS): every result of a
check-in, on a batch of concurrent senders or alone, every event a board gets for it, and
every HTTP answer must come at least DELAY after the request. The batches must have gone
through the sync thread at least once (showfloor_wal_syncs_total{by="thread"}), so the held
frames, not only the loop's own syncs, are what is tested.

A sync that fails (SHOWFLOOR_TEST_SYNC_FAIL_AFTER) stops the hub with a failure exit and
nothing answered; restarted, the hub takes the resent command once."""

import asyncio
import os
import time
import unittest

from hubtest import Api, Client, Hub, HubCase, KillCase, Site, _RUN

DELAY = 0.4  # seconds each WAL sync takes in this test
SENDERS = 6
ROUNDS_MAX = 6


def metric(text, series):
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{series} not in /metrics")


class DeferredSync(HubCase):
    @classmethod
    def setUpClass(cls):
        os.environ["SHOWFLOOR_TEST_SYNC_DELAY_MS"] = str(int(DELAY * 1000))
        try:
            super().setUpClass()
        finally:
            del os.environ["SHOWFLOOR_TEST_SYNC_DELAY_MS"]

    @classmethod
    def populate(cls, db):
        site = Site(db)
        cls.senders = [site.add_device("reception", f"Reception {i + 2}")
                       for i in range(SENDERS)]
        return site

    def thread_syncs(self):
        status, _, text = self.hub.http_get("/metrics")
        self.assertEqual(status, 200)
        return metric(text, 'showfloor_wal_syncs_total{by="thread"}')

    async def test_27_1_nothing_leaves_before_the_sync(self):
        board = await self.connect("board")
        await self.subscribe(board, 0)
        await board.recv_type("snapshot")
        recs = [await self.connect(token=t) for t in self.senders]
        n = 0
        for rnd in range(ROUNDS_MAX):
            # every sender at once: the hub reads them in one pass and commits them together
            sent = time.monotonic()
            rids = []
            for i, rec in enumerate(recs):
                rid = f"ds{_RUN}-{rnd}-{i}"
                await rec.send({"type": "checkin", "id": rid, "args": {
                    "phone": f"1390{rnd:02d}{i:05d}", "consent": True}})
                rids.append(rid)
            results = await asyncio.gather(*(rec.result(rid) for rec, rid in zip(recs, rids)))
            got = time.monotonic() - sent
            for res in results:
                self.assertIs(res["ok"], True, res)
            self.assertGreaterEqual(got, DELAY * 0.95, "a result came before its sync")
            for _ in results:
                await board.recv_event("visit.checked_in")
            self.assertGreaterEqual(time.monotonic() - sent, DELAY * 0.95)
            n += 1
            if self.thread_syncs() > 0 and rnd >= 1:
                break
        self.assertGreater(self.thread_syncs(), 0, "no batch went through the sync thread")

        # a lone check-in: the loop syncs it itself, and the result still waits for that
        sent = time.monotonic()
        res = await recs[0].request("checkin", {"phone": "13700000001", "consent": True})
        self.assertIs(res["ok"], True, res)
        self.assertGreaterEqual(time.monotonic() - sent, DELAY * 0.95)
        for c in (board, *recs):
            await c.close()

    async def test_27_2_http_answers_after_the_sync(self):
        api = Api(self.hub.port, self.site.tokens["reception"])
        sent = time.monotonic()
        data = await asyncio.to_thread(api.ok, "checkin",
                                       {"phone": "13700000002", "consent": True})
        self.assertIn("visit", data)
        self.assertGreaterEqual(time.monotonic() - sent, DELAY * 0.95)


class FailedSync(KillCase):
    async def test_27_3_a_failed_sync_stops_the_hub_unanswered(self):
        # one sync succeeds (the auth's last-seen write), the next fails: the check-in's
        os.environ["SHOWFLOOR_TEST_SYNC_FAIL_AFTER"] = "1"
        try:
            hub = self.start_hub()
        finally:
            del os.environ["SHOWFLOOR_TEST_SYNC_FAIL_AFTER"]
        rec = await self.connect(hub)
        args = {"phone": "13700000003", "consent": True}
        rid = f"fs{_RUN}"
        await rec.send({"type": "checkin", "id": rid, "args": args})
        with self.assertRaises(Exception):  # the connection drops; no result ever comes
            while True:
                msg = await rec.recv(timeout=10)
                self.assertNotEqual(msg.get("type"), "result", msg)
        self.assertNotEqual(hub.proc.wait(10), 0)
        self.assertIn("could not be synced", hub.log_text())
        hub.stop()
        hub = self.start_hub()
        rec = await self.connect(hub)
        res = await rec.request("checkin", args, rid=rid)
        self.assertIs(res["ok"], True, res)
        await rec.close()

if __name__ == "__main__":
    unittest.main()

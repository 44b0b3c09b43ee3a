"""12. Durability under group commit: check-ins arriving together share one transaction and
one fsync (hub/core_batch.c, hub/session_batch.c), and a result with ok:true is still sent
only after the commit (PROTOCOL.md "Requests and results"). The hub is killed with SIGKILL
while many check-ins are in flight; after a restart on the same database every check-in that
was acknowledged must be there: resending it with the same id returns the stored first
result (the same visit), never a new one."""

import asyncio
import json
import signal
import unittest

import websockets

from hubtest import Client, KillCase, _RUN

SENDERS = 16         # concurrent reception connections
WINDOW = 8           # commands each keeps in flight
ACKS_BEFORE_KILL = 300


class Durability(KillCase):
    @staticmethod
    async def checked_in(client, timeout=5.0):
        """The next visit.checked_in event; other kinds (staff notices, ...) are skipped."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise asyncio.TimeoutError("no visit.checked_in event")
            ev = await client.recv_type("event", left)
            if ev["kind"] == "visit.checked_in":
                return ev

    @staticmethod
    def command(sender, n):
        rid = f"d{_RUN}-{sender}-{n}"
        # a fresh mainland mobile per command: 13 + sender (2 digits) + n (7 digits)
        args = {"phone": f"13{sender:02d}{n:07d}", "consent": True, "name": "王小明",
                "gender": "male"}
        return rid, args

    async def sender(self, hub, idx, acked, stop):
        """Keeps WINDOW check-ins in flight until the hub dies; records each ok result."""
        c = await self.connect(hub)
        sent = {}
        n = 0
        try:
            while True:
                while len(sent) < WINDOW and not stop.is_set():
                    rid, args = self.command(idx, n)
                    n += 1
                    sent[rid] = args
                    await c.send({"type": "checkin", "id": rid, "args": args})
                m = await c.recv(timeout=10)
                if m.get("type") != "result" or m.get("id") not in sent:
                    continue
                args = sent.pop(m["id"])
                if m["ok"]:
                    acked[m["id"]] = (args, m["data"]["visit"])
                if stop.is_set() and not sent:
                    return
        except (websockets.exceptions.ConnectionClosed, ConnectionError, asyncio.TimeoutError,
                Exception) as e:  # the hub was killed under us: that is the point
            if not stop.is_set():
                raise AssertionError(f"sender {idx} failed before the kill: {e!r}")

    async def test_12_1_acknowledged_checkins_survive_sigkill(self):
        hub = self.start_hub()
        # The first check-in runs alone and teaches the hub that checkin is a command.
        c0 = await self.connect(hub)
        rid, args = self.command(99, 0)
        res = await c0.request("checkin", args, rid=rid)
        self.assertTrue(res["ok"], res)
        acked = {rid: (args, res["data"]["visit"])}
        stop = asyncio.Event()
        tasks = [asyncio.create_task(self.sender(hub, i, acked, stop)) for i in range(SENDERS)]
        for _ in range(400):
            if len(acked) >= ACKS_BEFORE_KILL or any(t.done() for t in tasks):
                break
            await asyncio.sleep(0.025)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()
        self.assertGreaterEqual(len(acked), ACKS_BEFORE_KILL, "check-ins too slow to test")
        # SIGKILL with commands in flight: no shutdown path, no last commit
        stop.set()
        hub.proc.send_signal(signal.SIGKILL)
        hub.proc.wait(10)
        await asyncio.gather(*tasks, return_exceptions=True)
        snapshot = dict(acked)

        hub2 = self.start_hub()
        # First, before anything is resent: the restarted hub's state has every acknowledged
        # visit (a board's snapshot lists today's visits).
        board = await Client.connect(hub2.url)
        self.assertEqual((await board.auth(self.site.tokens["board"]))["type"], "auth_ok")
        res = await board.request("subscribe", {"since": 0})
        self.assertTrue(res["ok"], res)
        snap = await board.recv_type("snapshot", timeout=10)
        stored = {v["id"]: v for v in snap["state"]["visits"]}
        missing = [rid for rid, (_, v) in snapshot.items() if v["id"] not in stored]
        self.assertEqual(missing, [], f"{len(missing)} of {len(snapshot)} acknowledged "
                         "check-ins are not in the database after SIGKILL")
        # Then each resent command returns its stored first result: the same visit, arrived
        # at the same time (a command run afresh would get a new arrival time).
        c = await self.connect(hub2)
        for rid, (args, visit) in snapshot.items():
            res = await c.request("checkin", args, rid=rid, timeout=10)
            self.assertTrue(res["ok"], res)
            self.assertEqual(res["data"]["visit"]["id"], visit["id"], rid)
            self.assertEqual(res["data"]["visit"]["arrived_at"], visit["arrived_at"],
                             f"{rid}: acknowledged, then run afresh after the restart")
        await board.close()
        await c.close()
        self.assertEqual(hub2.stop(), 0, hub2.log_text()[-3000:])


    async def test_12_2_a_failing_command_in_a_batch_undoes_only_itself(self):
        """Check-ins sent back to back land in one batch: the invalid ones fail alone (their
        savepoint is rolled back), the valid ones commit, a repeated id inside the batch gets
        the first result, and the board sees exactly the valid check-ins."""
        hub = self.start_hub()
        board = await Client.connect(hub.url)
        self.assertEqual((await board.auth(self.site.tokens["board"]))["type"], "auth_ok")
        self.assertTrue((await board.request("subscribe", {"since": 0}))["ok"])
        await board.recv_type("snapshot")
        c = await self.connect(hub)
        rid, args = self.command(98, 0)  # alone first: teaches the hub checkin is a command
        self.assertTrue((await c.request("checkin", args, rid=rid))["ok"])
        await self.checked_in(board)
        frames, good, bad = [], [], []
        for n in range(1, 41):
            rid, args = self.command(98, n)
            if n % 5 == 0:
                args = dict(args, phone="12345")  # invalid_phone
                bad.append(rid)
            else:
                good.append(rid)
            frames.append(json.dumps({"type": "checkin", "id": rid, "args": args}))
        frames.append(frames[0])  # the same id again, inside the same burst
        for f in frames:  # back to back, no await on results in between
            await c.ws.send(f)
        results = {}
        firsts = {}
        for _ in frames:
            m = await c.recv_type("result")
            if m["id"] in results:
                firsts[m["id"]] = m
            else:
                results[m["id"]] = m
        for rid in bad:
            self.assertIs(results[rid]["ok"], False, results[rid])
            self.assertEqual(results[rid]["error"]["code"], "invalid_phone")
        visits = set()
        for rid in good:
            self.assertIs(results[rid]["ok"], True, results[rid])
            visits.add(results[rid]["data"]["visit"]["id"])
        self.assertEqual(len(visits), len(good))
        dup = good[0]
        self.assertEqual(firsts[dup]["data"]["visit"]["id"], results[dup]["data"]["visit"]["id"])
        seen = []
        while len(seen) < len(good):
            seen.append((await self.checked_in(board))["data"]["visit"]["id"])
        self.assertEqual(sorted(seen), sorted(visits))
        with self.assertRaises(asyncio.TimeoutError):  # nothing for the failed ones, nor twice
            await self.checked_in(board, timeout=0.5)
        await c.close()
        await board.close()
        self.assertEqual(hub.stop(), 0, hub.log_text()[-3000:])


if __name__ == "__main__":
    unittest.main()

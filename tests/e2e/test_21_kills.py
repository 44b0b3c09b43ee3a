"""21. Many kills: the hub is killed with SIGKILL at a random moment while several reception
connections keep check-ins in flight, restarted on the same database, and killed again, K
times (SHOWFLOOR_KILLS, default 10; SHOWFLOOR_KILL_SEED repeats a run). After each kill,
with the hub down, the database itself is read:

- every acknowledged check-in is there, whole: its command row (with the visit id the client
  was told), its customer, one visit, one visit.checked_in event, its staff.notify events
  and one audit record;
- a check-in that was not acknowledged is all there or all absent, never in part (a visit
  without its event or audit record, a customer without a visit, ...);
- PRAGMA integrity_check is ok, foreign_key_check finds nothing, the visit_load counts match
  the visits, and `showfloor audit verify` walks the whole chain.

Each round then resends every command of the round before: acknowledged or not, each must
succeed once and only once (the stored result for those that committed, a fresh run for the
others), so nothing is lost and nothing is doubled across a kill."""

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

import websockets

from hubtest import CLI, KillCase, _RUN, phone_hash

KILLS = int(os.environ.get("SHOWFLOOR_KILLS", "10"))
SEED = int(os.environ.get("SHOWFLOOR_KILL_SEED", str(int(time.time()))))
SENDERS = 6      # concurrent reception connections per round
WINDOW = 4       # check-ins each keeps in flight
RESEND_WINDOW = 32
KILL_AFTER = (0.1, 0.8)  # seconds of sending before the kill, uniformly at random


class Round:
    """What one round sent and what the hub acknowledged."""

    def __init__(self, number):
        self.number = number
        self.sent = {}   # command id -> args
        self.acked = {}  # command id -> visit id the hub answered


class ManyKills(KillCase):
    def setUp(self):
        super().setUp()
        self.rng = random.Random(SEED)
        with sqlite3.connect(self.db) as con:
            self.device_id = con.execute("SELECT id FROM devices WHERE name = 'Reception 1'"
                                         ).fetchone()[0]

    @staticmethod
    def command(rnd, sender, n):
        rid = f"k{_RUN}-{rnd}-{sender}-{n}"
        # one fresh mainland mobile per command: 15 + round (3) + sender (1) + n (4)
        args = {"phone": f"15{rnd:03d}{sender:01d}{n:05d}", "consent": True,
                "name": "王小明", "gender": "male"}
        return rid, args

    async def sender(self, hub, idx, rnd, stop):
        """Keeps WINDOW check-ins in flight until the hub dies; records each ok result."""
        c = await self.connect(hub)
        inflight = set()
        n = 0
        try:
            while True:
                while len(inflight) < WINDOW and not stop.is_set():
                    rid, args = self.command(rnd.number, idx, n)
                    n += 1
                    rnd.sent[rid] = args
                    inflight.add(rid)
                    await c.send({"type": "checkin", "id": rid, "args": args})
                m = await c.recv(timeout=10)
                if m.get("type") != "result" or m.get("id") not in inflight:
                    continue
                inflight.discard(m["id"])
                if not m["ok"]:
                    raise AssertionError(f"check-in refused: {m}")
                rnd.acked[m["id"]] = m["data"]["visit"]["id"]
        except (websockets.exceptions.ConnectionClosed, ConnectionError, asyncio.TimeoutError,
                Exception) as e:
            if not stop.is_set():  # the hub died under us: that is the point; else a failure
                raise AssertionError(f"sender {idx} failed before the kill: {e!r}")

    async def resend(self, hub, prev):
        """Every command of the previous round, once more (RESEND_WINDOW in flight): each
        succeeds, and an acknowledged one answers with the visit it was first given."""
        c = await self.connect(hub)
        todo = list(prev.sent.items())
        inflight = set()
        while todo or inflight:
            while todo and len(inflight) < RESEND_WINDOW:
                rid, args = todo.pop()
                inflight.add(rid)
                await c.send({"type": "checkin", "id": rid, "args": args})
            m = await c.recv(timeout=10)
            if m.get("type") != "result" or m.get("id") not in inflight:
                continue
            inflight.discard(m["id"])
            self.assertTrue(m["ok"], m)
            if m["id"] in prev.acked:
                self.assertEqual(m["data"]["visit"]["id"], prev.acked[m["id"]],
                                 f"{m['id']}: acknowledged, then run afresh after the kill")
        await c.close()

    def check_round(self, rnd, marks):
        """Reads the database of a dead hub: see the module docstring. Each table is read
        once for the whole round (events and audit records from `marks` on), so a round costs
        the same however many came before; returns the marks for the next round."""
        con = sqlite3.connect(self.db)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            prefix = f"k{_RUN}-{rnd.number}-"
            commands = dict(con.execute(
                "SELECT cmd_id, json_extract(result, '$.visit.id') FROM commands WHERE "
                "device_id = ? AND substr(cmd_id, 1, ?) = ?",
                (self.device_id, len(prefix), prefix)))
            # phones are sealed: the round's phones are found by their keyed hashes
            con.execute("CREATE TEMP TABLE sent (h BLOB PRIMARY KEY, phone TEXT)")
            con.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?)",
                            [(phone_hash(self.db, a["phone"]), a["phone"])
                             for a in rnd.sent.values()])
            customers = dict(con.execute(
                "SELECT s.phone, c.id FROM sent s JOIN customers c ON c.phone_hash = s.h"))
            visits = {}
            for phone, vid in con.execute(
                    "SELECT s.phone, v.id FROM sent s JOIN customers c ON c.phone_hash = s.h"
                    " JOIN visits v ON v.customer_id = c.id"):
                visits.setdefault(phone, []).append(vid)
            checked_in = dict(con.execute(
                "SELECT json_extract(data, '$.visit.id'), count(*) FROM events WHERE seq > ? "
                "AND kind = 'visit.checked_in' GROUP BY 1", (marks[0],)))
            notices = dict(con.execute(
                "SELECT json_extract(data, '$.refs.visit_id'), count(*) FROM events WHERE "
                "seq > ? AND kind = 'staff.notify' GROUP BY 1", (marks[0],)))
            audits = dict(con.execute(
                "SELECT CAST(entity_id AS INTEGER), count(*) FROM audit WHERE id > ? AND "
                "entity = 'visit' AND action = 'checkin' GROUP BY 1", (marks[1],)))
            partial = []
            for rid, args in rnd.sent.items():
                phone = args["phone"]
                vs = visits.get(phone, [])
                vid = vs[0] if len(vs) == 1 else None
                state = (commands.get(rid), customers.get(phone), vs, checked_in.get(vid, 0),
                         notices.get(vid, 0), audits.get(vid, 0))
                whole = (rid in commands and phone in customers and vid is not None and
                         commands[rid] == vid and state[3] == 1 and state[4] >= 1 and
                         state[5] == 1)
                absent = rid not in commands and phone not in customers and not vs
                if rid in rnd.acked:
                    self.assertTrue(whole and vid == rnd.acked[rid],
                                    f"round {rnd.number}: acknowledged {rid} (visit "
                                    f"{rnd.acked[rid]}) not whole: (command's visit, customer,"
                                    f" visits, events, notices, audit) = {state}")
                elif not whole and not absent:
                    partial.append((rid, state))
            self.assertEqual(partial, [], f"round {rnd.number}: half-applied check-ins")
            # the visit_load triggers kept the per-consultant counts in step with the visits
            drift = con.execute(
                "SELECT count(*) FROM (SELECT consultant_id, status, count(*) AS n FROM visits "
                "WHERE consultant_id IS NOT NULL AND status IN ('waiting', 'serving') "
                "GROUP BY consultant_id, status) v WHERE v.n != (SELECT coalesce(sum(CASE "
                "v.status WHEN 'waiting' THEN l.waiting ELSE l.serving END), 0) FROM "
                "visit_load l WHERE l.consultant_id = v.consultant_id)").fetchone()[0]
            self.assertEqual(drift, 0, f"round {rnd.number}: visit_load differs from visits")
            marks = (con.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0],
                     con.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0])
        finally:
            con.close()
        p = subprocess.run([CLI, "--db", self.db, "audit", "verify"], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, f"round {rnd.number}: {p.stdout}{p.stderr}")
        self.assertTrue(p.stdout.startswith("ok "), p.stdout)
        return marks

    async def test_21_1_many_sigkills(self):
        print(f"\ntest_21: {KILLS} kills, SHOWFLOOR_KILL_SEED={SEED}", flush=True)
        prev = None
        marks = (0, 0)  # events seq and audit id already checked
        acked_total = unacked_total = sent_total = 0
        for number in range(KILLS):
            hub = self.start_hub()
            if prev:
                await self.resend(hub, prev)
            rnd = Round(number)
            stop = asyncio.Event()
            tasks = [asyncio.create_task(self.sender(hub, i, rnd, stop))
                     for i in range(SENDERS)]
            await asyncio.sleep(self.rng.uniform(*KILL_AFTER))
            for t in tasks:
                if t.done() and t.exception():
                    raise t.exception()
            stop.set()
            hub.proc.send_signal(signal.SIGKILL)  # no shutdown path, no last commit
            hub.proc.wait(10)
            hub.log.close()
            await asyncio.gather(*tasks, return_exceptions=True)
            log = hub.log_text()
            self.assertNotIn("ERROR: AddressSanitizer", log)
            self.assertNotIn("runtime error:", log)
            marks = await asyncio.to_thread(self.check_round, rnd, marks)
            acked_total += len(rnd.acked)
            unacked_total += len(rnd.sent) - len(rnd.acked)
            sent_total += len(rnd.sent)
            prev = rnd
        self.assertGreater(acked_total, KILLS, "too few check-ins acknowledged to test")
        # the last round's commands, resent once more, and a clean stop
        hub = self.start_hub()
        await self.resend(hub, prev)
        self.assertEqual(hub.stop(), 0, hub.log_text()[-3000:])
        with sqlite3.connect(self.db) as con:
            visits = con.execute("SELECT count(*) FROM visits").fetchone()[0]
        # every command of every round ran exactly once: one visit per phone sent
        self.assertEqual(visits, sent_total, "a check-in lost or doubled across the kills")
        print(f"test_21: {KILLS} kills, {acked_total} acknowledged before a kill, "
              f"{unacked_total} in flight at a kill, {visits} visits", flush=True)


if __name__ == "__main__":
    unittest.main()

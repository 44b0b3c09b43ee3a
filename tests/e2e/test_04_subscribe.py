"""4. Subscribe: snapshot or replay from the event log, then live events, with no gap and no
duplicate (PROTOCOL.md "subscribe", "Snapshot state by mode")."""

import unittest

from hubtest import HubCase

MODE_KEYS = {
    "reception": {"models", "visits"},
    "status": {"wall"},
    "delivery": {"deliveries"},
    "board": {"visits", "orders", "consultants"},
}


class Subscribe(HubCase):
    async def checkin(self, rec, phone):
        res = await rec.request("checkin", {"phone": phone, "consent": True})
        self.assertIs(res["ok"], True, res)
        return res["data"]["visit"]["id"]

    async def test_4_1_since_0_gives_a_snapshot_with_the_modes_keys(self):
        for mode, keys in MODE_KEYS.items():
            with self.subTest(mode=mode):
                c = await self.connect(mode)
                await c.send({"type": "subscribe", "id": "s-1", "args": {"since": 0}})
                res = await c.recv()
                # The result comes first, then the snapshot it announces.
                self.assertEqual(res["type"], "result", res)
                self.assertIs(res["ok"], True, res)
                self.assertEqual(res["data"]["mode"], "snapshot")
                snap = await c.recv()
                self.assertEqual(snap["type"], "snapshot")
                self.assertEqual(snap["seq"], res["data"]["seq"])
                state = snap["state"]
                self.assertTrue(keys <= set(state), (mode, sorted(state)))
                self.assertEqual(state["site"]["code"], "SH01")
                self.assertIsInstance(state["now"], int)
                for k in keys:
                    self.assertIsInstance(state[k], list)
                await c.close()

    async def test_4_2_reception_snapshot_lists_models(self):
        c = await self.connect("reception")
        await self.subscribe(c, 0)
        snap = await c.recv_type("snapshot")
        codes = [m["code"] for m in snap["state"]["models"]]
        self.assertIn("HX7", codes)
        await c.close()

    async def test_4_3_reconnect_with_since_replays_exactly_the_missed_events(self):
        rec = await self.connect("reception")
        await self.checkin(rec, "13811110000")  # so that the board's position is not 0
        board = await self.connect("board")
        data = await self.subscribe(board, 0)
        since = data["seq"]
        self.assertGreater(since, 0)
        await board.recv_type("snapshot")
        await board.close()

        missed = [await self.checkin(rec, p) for p in ("13811110001", "13811110002",
                                                       "13811110003")]
        board = await self.connect("board")
        data = await self.subscribe(board, since)
        self.assertEqual(data["mode"], "replay")
        self.assertGreater(data["seq"], since)
        got = await board.recv_visit_events(len(missed), after=since)
        for ev in got:
            self.assertLessEqual(ev["seq"], data["seq"])
        self.assertEqual([e["data"]["visit"]["id"] for e in got], missed)
        seqs = [e["seq"] for e in got]
        await board.expect_only(("staff.notify",), 0.5)

        # Live events continue right after the replay, once each.
        live = await self.checkin(rec, "13811110004")
        ev = (await board.recv_visit_events(1, after=seqs[-1]))[0]
        self.assertEqual(ev["data"]["visit"]["id"], live)
        await board.expect_only(("staff.notify",), 0.5)
        await board.close()
        await rec.close()

    async def test_4_4_since_equal_to_the_last_seq_replays_nothing(self):
        board = await self.connect("board")
        data = await self.subscribe(board, 0)
        await board.recv_type("snapshot")
        await board.close()
        board = await self.connect("board")
        again = await self.subscribe(board, data["seq"])
        self.assertEqual(again["mode"], "replay")
        self.assertEqual(again["seq"], data["seq"])
        await board.expect_silence(0.5)
        await board.close()

    async def test_4_5_since_beyond_the_last_seq_gives_a_snapshot(self):
        board = await self.connect("board")
        data = await self.subscribe(board, 10_000_000)
        self.assertEqual(data["mode"], "snapshot")
        snap = await board.recv_type("snapshot")
        self.assertEqual(snap["seq"], data["seq"])
        self.assertLess(data["seq"], 10_000_000)
        await board.close()

    async def test_4_6_second_subscribe_is_already_subscribed(self):
        c = await self.connect("delivery")
        await self.subscribe(c, 0)
        await c.recv_type("snapshot")
        res = await c.request("subscribe", {"since": 0})
        self.assertError(res, "already_subscribed")
        await c.expect_silence(0.3)
        await c.close()

    async def test_4_7_negative_since_is_rejected(self):
        c = await self.connect("board")
        res = await c.request("subscribe", {"since": -1})
        self.assertError(res, "out_of_range")
        await c.close()

    async def test_4_8_many_subscribers_each_get_every_event_once_in_order(self):
        rec = await self.connect("reception")
        boards = []
        for _ in range(5):
            b = await self.connect("board")
            await self.subscribe(b, 0)
            await b.recv_type("snapshot")
            boards.append(b)
        ids = [await self.checkin(rec, f"1371111{i:04d}") for i in range(10)]
        for b in boards:
            evs = await b.recv_visit_events(len(ids))
            self.assertEqual([e["data"]["visit"]["id"] for e in evs], ids)
            await b.expect_only(("staff.notify",), 0.2)
            await b.close()
        await rec.close()

    async def test_4_9_events_of_commands_appear_after_their_result(self):
        rec = await self.connect("reception")
        await self.subscribe(rec, 0)
        await rec.recv_type("snapshot")
        await rec.send({"type": "checkin", "id": "order-1",
                        "args": {"phone": "13822220000", "consent": True}})
        first = await rec.recv()
        self.assertEqual(first["type"], "result", first)
        ev = await rec.recv()
        self.assertEqual(ev["type"], "event")
        self.assertEqual(ev["kind"], "visit.checked_in")
        self.assertEqual(ev["data"]["visit"]["id"], first["data"]["visit"]["id"])
        await rec.close()


if __name__ == "__main__":
    unittest.main()

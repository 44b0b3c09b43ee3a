"""3. Check-in: the reception command, its result, assignment by rotation, the masked
visit.checked_in event pushed to a board, and command-id idempotency (PROTOCOL.md "checkin",
"Requests and results", "Objects")."""

import unittest

from hubtest import HubCase, now_ms

PHONE_1, NAME_1 = "13812341234", "王建国"
PHONE_2, NAME_2 = "13900005678", "刘芳"
PHONE_3 = "+86 137-0000-4321"


class Checkin(HubCase):
    """Tests run in name order and build on each other (one database per class)."""

    async def asyncSetUp(self):
        self.rec = await self.connect("reception")
        self.board = await self.connect("board")
        sub = await self.subscribe(self.board, 0)
        self.assertEqual(sub["mode"], "snapshot")
        snap = await self.board.recv_type("snapshot")
        self.seq0 = snap["seq"]

    async def asyncTearDown(self):
        await self.rec.close()
        await self.board.close()

    def assertMasked(self, raw, phone, name):
        self.assertNotIn(phone, raw)
        self.assertNotIn(phone[-8:], raw)  # not even most of it
        self.assertNotIn(name, raw)

    async def test_3_1_checkin_result_and_masked_event(self):
        res = await self.rec.request("checkin", {
            "phone": PHONE_1, "consent": True, "name": NAME_1, "gender": "male",
            "model": "HX7", "source": "walk_in", "first_visit": True}, rid="rec-1")
        self.assertIs(res["ok"], True, res)
        d = res["data"]
        self.assertEqual(d["customer"], {"name": "王先生", "new": True})
        self.assertIn(d["consultant"]["name"], ("张伟", "李娜"))
        self.assertIsInstance(d["consultant"]["id"], int)
        self.assertEqual(d["assigned_by"], "rotation")
        self.assertIsNone(d["invited_by"])
        self.assertEqual(d["queue_position"], 1)
        self.assertGreaterEqual(d["estimated_wait_min"], 1)
        v = d["visit"]
        self.assertIsInstance(v["id"], int)
        self.assertEqual(v["customer"]["phone"], "138****1234")
        self.assertEqual(v["customer"]["name"], "王先生")
        self.assertEqual(v["status"], "waiting")
        self.assertEqual(v["model"], "HX7")
        self.assertEqual(v["source"], "walk_in")
        self.assertLess(abs(v["arrived_at"] - now_ms()), 60_000)
        self.assertMasked(self.rec.raw[-1], PHONE_1, NAME_1)
        type(self).first = d

        ev = await self.board.recv_type("event")
        self.assertEqual(ev["kind"], "visit.checked_in")
        self.assertGreater(ev["seq"], self.seq0)
        self.assertIsInstance(ev["at"], int)
        self.assertEqual(ev["data"]["visit"]["id"], v["id"])
        self.assertEqual(ev["data"]["visit"]["customer"]["phone"], "138****1234")
        self.assertMasked(self.board.raw[-1], PHONE_1, NAME_1)

    async def test_3_2_second_customer_goes_to_the_other_consultant(self):
        res = await self.rec.request("checkin", {
            "phone": PHONE_2, "consent": True, "name": NAME_2, "gender": "female"},
            rid="rec-2")
        self.assertIs(res["ok"], True, res)
        d = res["data"]
        self.assertEqual(d["assigned_by"], "rotation")
        self.assertNotEqual(d["consultant"]["id"], self.first["consultant"]["id"])
        self.assertEqual(d["customer"], {"name": "刘女士", "new": True})
        self.assertEqual(d["visit"]["customer"]["phone"], "139****5678")
        ev = await self.board.recv_type("event")
        self.assertEqual(ev["data"]["visit"]["id"], d["visit"]["id"])
        self.assertMasked(self.board.raw[-1], PHONE_2, NAME_2)

    async def test_3_3_repeated_command_id_returns_the_first_result_and_no_event(self):
        args = {"phone": PHONE_1, "consent": True, "name": NAME_1, "gender": "male",
                "model": "HX7", "source": "walk_in", "first_visit": True}
        again = await self.rec.request("checkin", args, rid="rec-1")
        self.assertIs(again["ok"], True, again)
        self.assertEqual(again["data"], self.first)
        # A fresh command afterwards: its event must be the next one the board sees.
        res = await self.rec.request("checkin", {"phone": PHONE_3, "consent": True},
                                     rid="rec-3")
        self.assertIs(res["ok"], True, res)
        ev = await self.board.recv_event("visit.checked_in")
        self.assertEqual(ev["data"]["visit"]["id"], res["data"]["visit"]["id"])
        self.assertEqual(res["data"]["visit"]["customer"]["phone"], "137****4321")
        # The assigned consultant is notified (PROTOCOL.md staff.notify): same command.
        note = await self.board.recv_event("staff.notify")
        self.assertEqual(note["data"]["refs"]["visit_id"], res["data"]["visit"]["id"])
        self.assertEqual(note["seq"], ev["seq"] + 1)
        await self.board.expect_silence(0.5)

    async def test_3_4_same_id_with_other_args_is_id_reused(self):
        res = await self.rec.request("checkin", {"phone": PHONE_2, "consent": True},
                                     rid="rec-1")
        self.assertError(res, "id_reused")
        await self.board.expect_silence(0.5)

    async def test_3_5_invalid_phone(self):
        res = await self.rec.request("checkin", {"phone": "12345", "consent": True})
        self.assertError(res, "invalid_phone", field="phone")

    async def test_3_6_consent_is_required(self):
        res = await self.rec.request("checkin", {"phone": "13812349999", "consent": False})
        self.assertError(res, "consent_required")
        await self.board.expect_silence(0.5)

    async def test_3_7_unknown_model_is_bad_field(self):
        res = await self.rec.request("checkin", {"phone": "13812349999", "consent": True,
                                                 "model": "NOPE"})
        self.assertError(res, "bad_field")

    async def test_3_8_returning_customer_is_not_new(self):
        # Still in the showroom: the open visit comes back, nothing new is written.
        res = await self.rec.request("checkin", {"phone": "138 1234 1234", "consent": True},
                                     rid="rec-again")
        self.assertIs(res["ok"], True, res)
        self.assertIs(res["data"]["already_checked_in"], True)
        self.assertEqual(res["data"]["visit"]["id"], self.first["visit"]["id"])
        await self.board.expect_silence(0.3)
        # Once the consultant has seen them off, the next check-in is a returning visit.
        who = self.first["consultant"]["name"]
        no, pin = {"张伟": ("S001", "1234"), "李娜": ("S002", "2468")}[who]
        login = await self.board.request("staff_login", {"staff_no": no, "pin": pin})
        self.assertIs(login["ok"], True, login)
        dep = await self.board.request("visit_depart", {"visit_id": self.first["visit"]["id"]})
        self.assertIs(dep["ok"], True, dep)
        res = await self.rec.request("checkin", {"phone": "138 1234 1234", "consent": True},
                                     rid="rec-again-2")
        self.assertIs(res["ok"], True, res)
        self.assertIs(res["data"]["already_checked_in"], False)
        self.assertNotEqual(res["data"]["visit"]["id"], self.first["visit"]["id"])
        self.assertIs(res["data"]["customer"]["new"], False)
        self.assertEqual(res["data"]["customer"]["name"], "王先生")

    async def test_3_9_status_and_delivery_do_not_get_visit_events(self):
        st = await self.connect("status")
        await self.subscribe(st, 0)
        await st.recv_type("snapshot")
        dl = await self.connect("delivery")
        await self.subscribe(dl, 0)
        await dl.recv_type("snapshot")
        res = await self.rec.request("checkin", {"phone": "13612340000", "consent": True})
        self.assertIs(res["ok"], True, res)
        await self.board.recv_event("visit.checked_in")
        await st.expect_silence(0.5)
        note = await dl.recv_event("staff.notify")
        self.assertEqual(note["data"]["refs"]["visit_id"], res["data"]["visit"]["id"])
        await dl.expect_silence(0.1)
        await st.close()
        await dl.close()


if __name__ == "__main__":
    unittest.main()

"""13. Reception on the demo data (issue 4 "Done means"): a check-in at the reception kiosk for
each case — invited by telesales, a lead owned by a consultant, a new customer — puts a
staff.notify for the right person on the board within a second; the queue on the board moves
live through serve and depart; a customer already in the showroom today is not checked in
twice; a customer whose lead belongs to a consultant on rest opens a conflict (撞单) that the
supervisor sees at once and rules on exactly once (PROTOCOL.md "checkin", "Visits and
appointments", "Conflicts", "staff.notify")."""

import time
import unittest

from hubtest import (DEMO_PINS, HubCase, Site, api_call, api_ok, cli, next_event, now_ms,
                     staff_api, staff_notify)

# Demo staff (tools/cmd_demo.c): S002 telesales 陈静, S003..S006 consultants (S006 on rest
# today), S007 supervisor 赵敏. Phones on 147, a prefix the demo never draws.
P_INVITED, P_OWNED, P_NEW, P_CONFLICT = "14700000001", "14700000002", "14700000003", "14700000004"
P_ASKED = "14700000005"  # a new customer who answers the kiosk's questions (issue 5)
NAMES = {P_INVITED: "欧阳明", P_OWNED: "司马懿", P_NEW: "诸葛亮", P_CONFLICT: "上官婉"}
NOTIFY_WITHIN = 1.0


class DemoSite(Site):
    def __init__(self, db):
        cli(db, "init")
        cli(db, "demo-data", "--seed", "7")
        super().__init__(db, create_site=False)
        self.tokens["api"] = self.add_device("api", "Integration")


class Reception(HubCase):
    """Tests run in name order and build on each other (one demo database per class)."""

    @classmethod
    def populate(cls, db):
        return DemoSite(db)

    async def asyncSetUp(self):
        self.rec = await self.connect("reception")
        self.board = await self.connect("board")
        await self.subscribe(self.board)
        self.snapshot = (await self.board.recv_type("snapshot"))["state"]

    async def asyncTearDown(self):
        for c in (self.rec, self.board):
            for text in c.raw:
                for phone, name in NAMES.items():
                    self.assertNotIn(phone, text, "a kiosk never sees a full phone number")
                    self.assertNotIn(name, text, "a kiosk never sees a full name")
            await c.close()

    def staff(self, staff_no):
        return staff_api(self.hub.port, self.site.tokens["api"], staff_no, DEMO_PINS[staff_no])

    async def lead_for(self, staff_no, phone, channel="phone_in"):
        data = await api_ok(self.staff(staff_no), "lead_create", {
            "phone": phone, "channel": channel, "name": NAMES[phone], "gender": "male",
            "model": "XH7", "budget_fen": 20000000, "region": "浦东"})
        return data["lead"]

    async def checkin(self, phone):
        """Check-in at the kiosk: (result data, monotonic time it was sent)."""
        t0 = time.monotonic()
        res = await self.rec.request("checkin", {"phone": phone, "consent": True,
                                                 "model": "XH7", "source": "walk_in"})
        self.assertIs(res["ok"], True, res)
        return res["data"], t0

    async def lookup(self, phone):
        """checkin_lookup: the path the kiosk's screens take, nothing written."""
        res = await self.rec.request("checkin_lookup", {"phone": phone})
        self.assertIs(res["ok"], True, res)
        self.assertEqual(set(res["data"]), {"path", "already_checked_in"},
                         "the lookup names no one")
        return res["data"]["path"], res["data"]["already_checked_in"]

    async def test_13_0_lookup_tells_the_path_and_writes_nothing(self):
        self.assertEqual(await self.lookup(P_NEW), ("new", False))
        self.assertEqual(await self.lookup("+86 147-0000-0003"), ("new", False))
        with self.assertRaises(TimeoutError):
            ev = await next_event(self.board, "visit.checked_in", timeout=0.5)
            self.fail(f"a lookup checked someone in: {ev}")
        res = await self.rec.request("checkin_lookup", {"phone": "12345"})
        self.assertError(res, "invalid_phone", "phone")
        res = await self.rec.request("checkin_lookup", {})
        self.assertError(res, "missing_field", "phone")
        res = await self.board.request("checkin_lookup", {"phone": P_NEW})
        self.assertError(res, "forbidden")

    async def notified_in_time(self, t0, **who):
        ev = await staff_notify(self.board, timeout=NOTIFY_WITHIN + 1, **who)
        self.assertLess(time.monotonic() - t0, NOTIFY_WITHIN, f"staff.notify {who} too late")
        for k in ("staff_id", "staff_no", "kind", "text_zh", "text_en", "refs"):
            self.assertIn(k, ev["data"])
        return ev

    async def test_13_1_invited_customer_notifies_the_inviting_telesales(self):
        lead = await self.lead_for("S002", P_INVITED)
        self.assertEqual(lead["telesales"]["name"], "陈静", lead)
        ts_id = lead["telesales"]["id"]
        appt = (await api_ok(self.staff("S002"), "appointment_create",
                             {"lead_id": lead["id"], "at": now_ms() + 10 * 60_000,
                              "note": "试驾星河 7"}))["appointment"]
        self.assertEqual(await self.lookup(P_INVITED), ("invited", False))
        d, t0 = await self.checkin(P_INVITED)
        self.assertIs(d["already_checked_in"], False)
        self.assertEqual(d["invited_by"], {"id": ts_id, "name": "陈静"})
        self.assertEqual(d["visit"]["appointment_id"], appt["id"])
        self.assertIn({"id": ts_id, "name": "陈静", "reason": "invited_customer_arrived"},
                      d["notified"])
        ev = await self.notified_in_time(t0, staff_no="S002", kind="invited_customer_arrived")
        self.assertEqual(ev["data"]["staff_id"], ts_id)
        self.assertEqual(ev["data"]["refs"]["visit_id"], d["visit"]["id"])
        self.assertIn("欧阳先生", ev["data"]["text_zh"])  # masked, as everywhere on a kiosk
        # the consultant who will serve is told as well
        await self.notified_in_time(t0, staff_id=d["consultant"]["id"], kind="customer_arrived")
        shown = await next_event(self.board, "appointment.updated",
                                 lambda x: x["appointment"]["id"] == appt["id"] and
                                 x["appointment"]["status"] == "shown")
        self.assertEqual(shown["data"]["appointment"]["status"], "shown")
        self.assertEqual(shown["data"]["appointment"]["visit_id"], d["visit"]["id"])

    async def test_13_2_owned_lead_notifies_its_consultant(self):
        lead = await self.lead_for("S003", P_OWNED, channel="web_autohome")
        self.assertEqual(lead["owner"]["name"], "张伟", "a consultant who creates a lead owns it")
        self.assertEqual(await self.lookup(P_OWNED), ("owner", False))
        d, t0 = await self.checkin(P_OWNED)
        self.assertEqual(d["consultant"]["id"], lead["owner"]["id"],
                         "an owner on duty serves their own customer")
        self.assertIn({"id": lead["owner"]["id"], "name": "张伟",
                       "reason": "owned_customer_arrived"}, d["notified"])
        ev = await self.notified_in_time(t0, staff_no="S003", kind="owned_customer_arrived")
        self.assertEqual(ev["data"]["refs"]["visit_id"], d["visit"]["id"])
        self.assertEqual(ev["data"]["refs"]["lead_id"], lead["id"])
        self.assertEqual(len({n["id"] for n in d["notified"]}), len(d["notified"]),
                         "each person is told once")

    async def test_13_3_new_customer_goes_to_the_rotation_and_the_queue_shows_it(self):
        d, t0 = await self.checkin(P_NEW)
        self.assertIs(d["customer"]["new"], True)
        # the demo's consultants may all be busy: then the rotation still picks one
        self.assertIn(d["assigned_by"], ("rotation", "busy_rotation"))
        self.assertIsNone(d["invited_by"])
        self.assertNotEqual(d["consultant"]["name"], "刘洋", "S006 is on rest today")
        self.assertEqual([(n["id"], n["reason"]) for n in d["notified"]],
                         [(d["consultant"]["id"], "customer_arrived")])
        ev = await self.notified_in_time(t0, staff_id=d["consultant"]["id"],
                                         kind="customer_arrived")
        queued = await next_event(self.board, "visit.checked_in",
                                  lambda x: x["visit"]["id"] == d["visit"]["id"])
        self.assertEqual(queued["data"]["visit"]["status"], "waiting")
        self.assertLess(queued["seq"], ev["seq"] + 10)
        type(self).new_visit = d["visit"]["id"]
        type(self).new_consultant = ev["data"]["staff_no"]

    async def test_13_4_a_customer_already_here_today_is_not_checked_in_twice(self):
        self.assertEqual(await self.lookup(P_NEW), ("returning", True))
        d, _ = await self.checkin(P_NEW)
        self.assertIs(d["already_checked_in"], True)
        self.assertEqual(d["visit"]["id"], self.new_visit)
        self.assertEqual(d["visit"]["status"], "waiting")
        with self.assertRaises(TimeoutError):
            ev = await next_event(self.board, "visit.checked_in", timeout=0.7)
            self.fail(f"a second check-in was announced: {ev}")
        with self.assertRaises(TimeoutError):
            ev = await staff_notify(self.board, staff_no=self.new_consultant,
                                    kind="customer_arrived", timeout=0.3)
            self.fail(f"the consultant was told twice: {ev}")

    async def test_13_5_serve_and_depart_move_the_queue_live(self):
        api = self.staff(self.new_consultant)
        served = (await api_ok(api, "visit_serve", {"visit_id": self.new_visit}))["visit"]
        self.assertEqual(served["status"], "serving")
        ev = await next_event(self.board, "visit.updated",
                              lambda x: x["visit"]["id"] == self.new_visit)
        self.assertEqual(ev["data"]["visit"]["status"], "serving")
        self.assertIsInstance(ev["data"]["visit"]["served_at"], int)
        status, res = await api_call(api, "visit_serve", {"visit_id": self.new_visit})
        self.assertEqual((status, res["error"]["code"]), (409, "invalid_state"))
        left = (await api_ok(api, "visit_depart", {"visit_id": self.new_visit, "grade": "A",
                                                   "trade_in": "旧车置换"}))["visit"]
        self.assertEqual(left["status"], "departed")
        ev = await next_event(self.board, "visit.updated",
                              lambda x: x["visit"]["id"] == self.new_visit)
        self.assertEqual(ev["data"]["visit"]["status"], "departed")
        self.assertEqual(ev["data"]["visit"]["grade_after"], "A")
        # the visit is over: the next arrival is a new visit, a return (be-back) visit
        self.assertEqual(await self.lookup(P_NEW), ("returning", False))
        d, _ = await self.checkin(P_NEW)
        self.assertIs(d["already_checked_in"], False)
        self.assertNotEqual(d["visit"]["id"], self.new_visit)
        self.assertIs(d["customer"]["new"], False)

    async def test_13_6_conflict_reaches_the_supervisor_and_is_ruled_once(self):
        lead = await self.lead_for("S006", P_CONFLICT)
        self.assertEqual(lead["owner"]["name"], "刘洋")
        d, t0 = await self.checkin(P_CONFLICT)
        serving = d["consultant"]
        self.assertNotEqual(serving["id"], lead["owner"]["id"], "the owner is on rest")
        opened = await next_event(self.board, "conflict.opened", timeout=NOTIFY_WITHIN + 1)
        self.assertLess(time.monotonic() - t0, NOTIFY_WITHIN)
        c = opened["data"]["conflict"]
        self.assertEqual(c["status"], "open")
        self.assertEqual(c["lead_id"], lead["id"])
        roles = {cl["staff_id"]: cl["role"] for cl in c["claimants"]}
        self.assertEqual(roles, {lead["owner"]["id"]: "owner", serving["id"]: "serving"})
        owner_claim = [cl for cl in c["claimants"] if cl["role"] == "owner"][0]
        self.assertEqual(owner_claim["evidence"]["lead_created_at"], lead["created_at"])
        self.assertEqual(c["due_at"] - c["opened_at"], 24 * 3600 * 1000)
        await self.notified_in_time(t0, staff_no="S007", kind="conflict_opened")

        # who serves: the consultant the rotation picked (their staff_no from their notify)
        note = [e for e in getattr(self.board, "skipped", []) + self.board.pending
                if e.get("kind") == "staff.notify" and e["data"]["staff_id"] == serving["id"]]
        if not note:
            note = [await staff_notify(self.board, staff_id=serving["id"])]
        serving_no = note[-1]["data"]["staff_no"]

        sup = self.staff("S007")
        ruled = (await api_ok(sup, "conflict_rule", {"conflict_id": c["id"],
                                                     "winner": serving_no,
                                                     "reason": "客户指定由现场顾问跟进"}))
        self.assertEqual(ruled["conflict"]["state"], "ruled")
        self.assertEqual(ruled["conflict"]["winner"]["id"], serving["id"])
        ev = await next_event(self.board, "conflict.ruled",
                              lambda x: x["conflict"]["id"] == c["id"])
        self.assertNotIn("reason", ev["data"]["conflict"], "the board view has no reason")
        got = await api_ok(sup, "lead_get", {"lead_id": lead["id"]})
        self.assertEqual(got["lead"]["owner"]["id"], serving["id"], "ownership moved")
        self.assertEqual(got["assignments"][-1]["to"]["id"], serving["id"])
        # final: a second ruling, from a board kiosk with a supervisor login, is refused
        kiosk = await self.connect("board")
        res = await kiosk.request("staff_login", {"staff_no": "S007", "pin": DEMO_PINS["S007"]})
        self.assertIs(res["ok"], True, res)
        res = await kiosk.request("conflict_rule", {"conflict_id": c["id"], "winner": "S006",
                                                    "reason": "再议"})
        self.assertError(res, "invalid_state")
        await kiosk.close()
        # a consultant may not rule
        status, res = await api_call(self.staff("S003"), "conflict_rule", {
            "conflict_id": c["id"], "winner": "S003", "reason": "x"})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"))

    async def test_13_7_call_staff_tells_reception_staff_on_the_board(self):
        t0 = time.monotonic()
        res = await self.rec.request("call_staff", {"reason": "前台需要协助"})
        self.assertIs(res["ok"], True, res)
        self.assertGreaterEqual(res["data"]["notified"], 1)
        ev = await self.notified_in_time(t0, staff_no="S001", kind="staff_called")
        self.assertIn("前台需要协助", ev["data"]["text_zh"], "the reason is passed on")

    async def test_13_75_a_new_customers_answers_reach_the_visit(self):
        self.assertEqual(await self.lookup(P_ASKED), ("new", False))
        res = await self.rec.request("checkin", {
            "phone": P_ASKED, "consent": True, "model": "XH7", "source": "referral",
            "first_visit": True, "gender": "female", "name": "林"})
        self.assertIs(res["ok"], True, res)
        d = res["data"]
        self.assertEqual(d["customer"], {"name": "林女士", "new": True})
        self.assertEqual((d["visit"]["model"], d["visit"]["source"]), ("XH7", "referral"))
        self.assertGreaterEqual(d["queue_position"], 1)
        self.assertGreaterEqual(d["estimated_wait_min"], 1)
        ev = await next_event(self.board, "visit.checked_in",
                              lambda x: x["visit"]["id"] == d["visit"]["id"])
        self.assertEqual(ev["data"]["visit"]["customer"]["name"], "林女士")
        self.assertEqual(await self.lookup(P_ASKED), ("returning", True))
        res = await self.rec.request("checkin", {"phone": "14700000006", "consent": True,
                                                 "source": "newspaper"})
        self.assertError(res, "bad_field", "source")

    async def test_13_8_the_board_snapshot_carries_the_floor(self):
        st = self.snapshot
        for key in ("visits", "consultants", "notifications", "conflicts", "complaints",
                    "overdue", "appointments"):
            self.assertIn(key, st)
        self.assertTrue(st["notifications"], "today's staff.notify events are in the snapshot")
        seqs = [n["seq"] for n in st["notifications"]]
        self.assertEqual(seqs, sorted(seqs, reverse=True), "newest first")
        self.assertLessEqual(len(seqs), 20)


if __name__ == "__main__":
    unittest.main()

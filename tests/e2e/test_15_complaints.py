"""15. Complaints (PROTOCOL.md "Complaints", issue 4): opened on site at level 1 with a
supervisor as handler; the 10-minute first-response deadline breached on the hub's clock
escalates to level 2 (a manager) with a staff.notify; respond, validity, close and the
satisfaction survey; and a delivery rated 2 opens a must-resolve case for a manager at once."""

import unittest

from hubtest import (HubCase, Site, api_call, api_ok, cli, next_event, staff_api,
                     staff_notify, start_hub_ahead, stop_hub_checked)

MIN = 60 * 1000
PINS = {"S001": "1234", "S002": "2468", "S003": "3333", "S004": "4444", "V001": "6666",
        "R001": "7777"}
SIGNATURE = {"strokes": [[[0, 0, 0], [40, 12, 16], [80, 30, 33]], [[10, 50, 400]]]}
CHECKLIST = {k: True for k in ("vehicle_clean", "invoice", "coc", "warranty", "keys",
                               "accessories", "explained")}


class ComplaintSite(Site):
    def __init__(self, db):
        super().__init__(db)
        for no, name, role in (("S003", "王强", "supervisor"), ("S004", "刘芳", "manager"),
                               ("V001", "郑磊", "service"), ("R001", "周丽", "reception")):
            cli(db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", PINS[no])
        self.tokens["api"] = self.add_device("api", "Integration")


class Complaints(HubCase):
    """Tests run in name order on one hub and database."""

    @classmethod
    def populate(cls, db):
        return ComplaintSite(db)

    async def asyncSetUp(self):
        self.board = await self.connect("board")
        await self.subscribe(self.board)
        await self.board.recv_type("snapshot")

    async def asyncTearDown(self):
        for text in self.board.raw:
            for secret in ("13700001001", "吴用", "空调异响", "13700001002"):
                self.assertNotIn(secret, text, "no phone, name or summary on a kiosk")
        await self.board.close()

    def staff(self, no):
        return staff_api(self.hub.port, self.site.tokens["api"], no, PINS[no])

    async def open_complaint(self, phone, channel="on_site", by="V001"):
        data = await api_ok(self.staff(by), "complaint_open", {
            "phone": phone, "name": "吴用", "channel": channel, "kind": "service",
            "summary": "等候时间过长，空调异响无人处理"})
        return data["complaint"]

    async def test_15_1_open_on_site_starts_at_level_1_with_a_supervisor(self):
        c = await self.open_complaint("13700001001")
        self.assertEqual(c["level"], 1)
        self.assertEqual(c["handler"]["name"], "王强")
        self.assertEqual(c["status"], "open")
        self.assertEqual(c["validity"], "unknown")
        self.assertIs(c["must_resolve"], False)
        self.assertEqual(c["due"]["first_response"] - c["opened_at"], 10 * MIN)
        self.assertEqual(c["customer"]["phone"], "13700001001", "staff see it unmasked")
        ev = await next_event(self.board, "complaint.opened",
                              lambda d: d["complaint"]["id"] == c["id"])
        view = ev["data"]["complaint"]
        self.assertEqual(set(view["customer"]), {"name"})
        self.assertTrue(view["customer"]["name"].startswith("吴"), view)  # masked: 吴* / 吴先生
        self.assertNotIn("summary", view)
        await staff_notify(self.board, staff_no="S003", kind="complaint_assigned")
        type(self).on_site = c
        # a reception kiosk takes check-ins only: complaints come through staff logins
        rec = await self.connect("reception")
        res = await rec.request("complaint_open", {"phone": "13700001009", "channel": "on_site",
                                                   "kind": "service", "summary": "x"})
        self.assertError(res, "forbidden")
        await rec.close()

    async def test_15_2_a_breached_first_response_escalates_to_a_manager(self):
        c = self.on_site
        ahead = start_hub_ahead(self.db, self.tmp, 11 * MIN)
        try:
            ev = await next_event(self.board, "complaint.escalated",
                                  lambda d: d["complaint"]["id"] == c["id"], timeout=10)
            note = await staff_notify(self.board, staff_no="S004", kind="complaint_escalated",
                                      timeout=5)
        finally:
            stop_hub_checked(ahead)
        self.assertEqual((ev["data"]["from_level"], ev["data"]["to_level"]), (1, 2))
        self.assertEqual(ev["data"]["complaint"]["level"], 2)
        self.assertEqual(note["data"]["refs"]["complaint_id"], c["id"])
        # (breaches are the deadlines past at the reader's clock: this hub's is not ahead)
        got = (await api_ok(self.staff("S004"), "complaint_get",
                            {"complaint_id": c["id"]}))["complaint"]
        self.assertEqual(got["level"], 2)
        self.assertEqual(got["handler"]["name"], "刘芳")
        self.assertIsNone(got["first_response_at"])
        esc = [e for e in got["events"] if e["kind"] == "escalation"]
        self.assertEqual([e["level"] for e in esc], [2], got["events"])
        self.assertIn("first_response", esc[0]["text"], "the reason names the deadline")

    async def test_15_3_respond_close_and_survey(self):
        c = await self.open_complaint("13700001002", channel="call_centre")
        self.assertEqual(c["due"]["first_response"] - c["opened_at"], 120 * MIN)
        sup = self.staff("S003")
        r = (await api_ok(sup, "complaint_respond", {"complaint_id": c["id"],
                                                     "kind": "first_response",
                                                     "text": "已致电客户致歉"}))["complaint"]
        self.assertIsInstance(r["first_response_at"], int)
        self.assertIsNone(r["due"]["first_response"], "a deadline met is cleared")
        status, res = await api_call(sup, "complaint_validity", {"complaint_id": c["id"],
                                                                 "valid": False})
        self.assertEqual(status, 400, "an invalid complaint needs a reason")
        v = (await api_ok(sup, "complaint_validity", {"complaint_id": c["id"],
                                                      "valid": True}))["complaint"]
        self.assertEqual(v["validity"], "valid")
        done = (await api_ok(sup, "complaint_close", {"complaint_id": c["id"],
                                                      "resolution": "更换展厅空调滤网"}))
        self.assertEqual(done["complaint"]["status"], "closed")
        status, res = await api_call(sup, "complaint_respond", {
            "complaint_id": c["id"], "kind": "progress", "text": "x"})
        self.assertEqual((status, res["error"]["code"]), (409, "invalid_state"))
        status, res = await api_call(sup, "complaint_survey", {"complaint_id": c["id"],
                                                               "satisfaction": 4})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"), "service surveys")
        svc = self.staff("V001")
        s = (await api_ok(svc, "complaint_survey", {"complaint_id": c["id"], "satisfaction": 4,
                                                    "comment": "处理及时"}))["complaint"]
        self.assertEqual(s["status"], "surveyed")
        self.assertEqual(s["satisfaction"]["score"], 4, s)
        self.assertEqual(s["satisfaction"]["comment"], "处理及时")
        status, res = await api_call(svc, "complaint_survey", {"complaint_id": c["id"],
                                                               "satisfaction": 5})
        self.assertEqual((status, res["error"]["code"]), (409, "invalid_state"))
        got = (await api_ok(svc, "complaint_get", {"complaint_id": c["id"]}))["complaint"]
        self.assertEqual(got["satisfaction"]["score"], 4)
        self.assertEqual([e["kind"] for e in got["events"]],
                         ["first_response", "validity", "close"], got["events"])

    async def test_15_4_a_delivery_rated_2_opens_a_must_resolve_complaint(self):
        no = cli(self.db, "order", "add", "--site", "SH01", "--phone", "13700001003",
                 "--customer", "卢俊义", "--model", "HX7", "--stage", "ready", "--payment", "full",
                 "--consultant", "S001")
        await next_event(self.board, "order.created", timeout=5)  # the hub saw the CLI commit
        data = await api_ok(self.staff("S001"), "order_deliver", {
            "order_no": no, "checklist": CHECKLIST, "signature": SIGNATURE, "rating": 2,
            "comment": "交车等了两个小时"})
        self.assertEqual(data["order"]["stage"], "delivered")
        ev = await next_event(self.board, "complaint.opened",
                              lambda d: d["complaint"]["order_no"] == no, timeout=5)
        c = ev["data"]["complaint"]
        self.assertIs(c["must_resolve"], True)
        self.assertEqual(c["level"], 2)
        self.assertEqual(c["handler"]["name"], "刘芳")
        self.assertEqual((c["channel"], c["kind"]), ("on_site", "service"))
        listed = await api_ok(self.staff("S004"), "complaint_list", {"status": "open",
                                                                     "level": 2})
        self.assertIn(c["id"], [x["id"] for x in listed["complaints"]])
        # a good rating opens nothing
        no5 = cli(self.db, "order", "add", "--site", "SH01", "--phone", "13700001004",
                  "--customer", "林冲", "--model", "HX7", "--stage", "ready", "--payment",
                  "full", "--consultant", "S001")
        await api_ok(self.staff("S001"), "order_deliver", {
            "order_no": no5, "checklist": CHECKLIST, "signature": SIGNATURE, "rating": 5})
        with self.assertRaises(TimeoutError):
            await next_event(self.board, "complaint.opened",
                             lambda d: d["complaint"]["order_no"] == no5, timeout=1.0)


if __name__ == "__main__":
    unittest.main()

"""14. Leads (PROTOCOL.md "Leads", issue 4): created through the protocol and the HTTP API,
assigned by the rule (region, then model expertise, ...), deduplicated by phone keeping the
earliest creation time, followed up with the grade's cadence, reported overdue on the board
when the hub's clock passes the due time (once), handed back to telesales at month end, and
imported from a platform's CSV export — bad rows reported by line, nothing imported twice."""

import asyncio
import os
import re
import subprocess
import unittest

from hubtest import (CLI, HubCase, Site, api_call, api_ok, cli, next_event, now_ms,
                     staff_api, staff_notify, start_hub_ahead, stop_hub_checked)

DAY = 24 * 3600 * 1000
PINS = {"S001": "1234", "S002": "2468", "T001": "1111", "T002": "2222", "S003": "3333",
        "S004": "4444", "M001": "5555"}


class LeadSite(Site):
    """SH01 (two consultants on duty, model HX7) with two telesales, a supervisor, a manager,
    a marketing person and an api device."""

    def __init__(self, db):
        super().__init__(db)
        for no, name, role in (("T001", "孙丽", "telesales"), ("T002", "周杰", "telesales"),
                               ("S003", "王强", "supervisor"), ("S004", "刘芳", "manager"),
                               ("M001", "黄婷", "marketing")):
            cli(db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", PINS[no])
        cli(db, "model", "add", "--code", "HX9", "--name", "星河 9", "--price-fen", "25980000")
        self.tokens["api"] = self.add_device("api", "Integration")


class Leads(HubCase):
    """Tests run in name order on one hub and database."""

    @classmethod
    def populate(cls, db):
        return LeadSite(db)

    async def asyncSetUp(self):
        self.board = await self.connect("board")
        await self.subscribe(self.board)
        await self.board.recv_type("snapshot")

    async def asyncTearDown(self):
        await self.board.close()

    def staff(self, no):
        return staff_api(self.hub.port, self.site.tokens["api"], no, PINS[no])

    async def create(self, no, phone, **args):
        base = {"phone": phone, "channel": "web_autohome", "name": "钱多多", "gender": "male",
                "model": "HX7", "budget_fen": 20000000}
        return await api_ok(self.staff(no), "lead_create", {**base, **args})

    async def test_14_1_lead_create_through_the_protocol(self):
        c = await self.connect("board")
        res = await c.request("staff_login", {"staff_no": "T001", "pin": PINS["T001"]})
        self.assertIs(res["ok"], True, res)
        res = await c.request("lead_create", {
            "phone": "139 0000 1001", "channel": "phone_in", "name": "赵云", "gender": "male",
            "model": "HX7", "budget_fen": 18000000, "region": "浦东"})
        self.assertIs(res["ok"], True, res)
        lead = res["data"]["lead"]
        self.assertEqual(lead["status"], "open")
        self.assertEqual(lead["telesales"]["name"], "孙丽", "a telesales creator keeps the lead")
        self.assertEqual(lead["customer"]["phone"], "13900001001", "staff see it unmasked")
        self.assertEqual(lead["first_callback_due_at"] - lead["assigned_at"], DAY)
        self.assertLess(abs(lead["created_at"] - now_ms()), 60_000)
        self.assertIs(res["data"].get("merged"), False)
        ev = await next_event(self.board, "lead.created", lambda d: d["lead"]["id"] == lead["id"])
        self.assertEqual(ev["data"]["lead"]["customer"], {"name": "赵先生"})
        self.assertNotIn("13900001001", self.board.raw[-1])
        self.assertNotIn("赵云", self.board.raw[-1])
        # a reception kiosk may not create leads; a lead needs a staff login
        rec = await self.connect("reception")
        self.assertError(await rec.request("lead_create", {"phone": "13900001002",
                                                           "channel": "walk_in"}), "forbidden")
        await rec.close()
        other = await self.connect("board")
        self.assertError(await other.request("lead_create", {"phone": "13900001002",
                                                             "channel": "walk_in"}),
                         "staff_login_required")
        await other.close()
        await c.close()

    async def test_14_2_lead_create_through_the_http_api_and_the_assignment_rule(self):
        cli(self.db, "staff", "set", "--no", "T001", "--region", "浦东", "--models", "HX7",
            "--ability", "3")
        cli(self.db, "staff", "set", "--no", "T002", "--region", "闵行", "--models", "HX9",
            "--ability", "5")
        mk = self.staff("M001")
        a = (await api_ok(mk, "lead_create", {
            "phone": "13900002001", "channel": "web_yiche", "name": "马超", "model": "HX7",
            "budget_fen": 20000000, "region": "闵行"}))["lead"]
        self.assertEqual(a["telesales"]["name"], "周杰", "region match first")
        b = (await api_ok(mk, "lead_create", {
            "phone": "13900002002", "channel": "web_yiche", "name": "黄忠", "model": "HX7",
            "budget_fen": 20000000, "region": "浦东"}))["lead"]
        self.assertEqual(b["telesales"]["name"], "孙丽")
        c = (await api_ok(mk, "lead_create", {
            "phone": "13900002003", "channel": "web_yiche", "name": "魏延", "model": "HX9",
            "budget_fen": 30000000, "region": "嘉定"}))["lead"]
        self.assertEqual(c["telesales"]["name"], "周杰", "no region match: model expertise")
        got = await api_ok(mk, "lead_get", {"lead_id": a["id"]})
        self.assertEqual(got["assignments"][0]["by"], "rule")
        self.assertEqual(got["assignments"][0]["to"]["name"], "周杰")
        self.assertIsInstance(got["assignments"][0]["at"], int)
        # required fields missing: stored, flagged invalid, never deleted
        bad = (await api_ok(mk, "lead_create", {"phone": "13900002004",
                                                 "channel": "web_yiche"}))["lead"]
        self.assertEqual(bad["status"], "invalid")
        self.assertTrue(any(f in bad["invalid_reason"] for f in ("name", "model", "budget")),
                        bad["invalid_reason"])
        # an unusable phone cannot be a customer: refused
        status, res = await api_call(mk, "lead_create", {"phone": "12345", "channel": "web_yiche",
                                                         "name": "x"})
        self.assertEqual((status, res["error"]["code"]), (400, "invalid_phone"))

    async def test_14_3_duplicate_phone_merges_keeping_the_earliest_creation(self):
        t = now_ms()
        first = await self.create("T001", "13900003001", channel="phone_in",
                                  created_at=t - 3 * DAY)
        lead = first["lead"]
        self.assertIs(first["merged"], False)
        self.assertFalse(lead["region"])
        self.assertLessEqual(abs(lead["created_at"] - (t - 3 * DAY)), 1000)
        again = await self.create("T001", "139-0000-3001", channel="web_yiche",
                                  created_at=t - 5 * DAY, region="浦东")
        self.assertIs(again["merged"], True)
        self.assertEqual(again["lead"]["id"], lead["id"])
        self.assertLessEqual(abs(again["lead"]["created_at"] - (t - 5 * DAY)), 1000,
                             "the earliest creation time is kept")
        self.assertEqual(again["lead"]["region"], "浦东", "empty fields are filled")
        later = await self.create("T001", "13900003001", channel="referral",
                                  created_at=t - 1 * DAY)
        self.assertEqual(later["lead"]["id"], lead["id"])
        self.assertEqual(later["lead"]["created_at"], again["lead"]["created_at"])
        got = await api_ok(self.staff("T001"), "lead_get", {"lead_id": lead["id"]})
        self.assertEqual({s["channel"] for s in got["sources"]} | {got["lead"]["channel"]},
                         {"phone_in", "web_yiche", "referral"}, "every channel is recorded")
        # the platform's id makes it exact: the same external_ref is the same lead, unchanged
        x = await self.create("M001", "13900003002", external_ref="AH-77")
        y = await self.create("M001", "13900003099", external_ref="AH-77")
        self.assertIs(y["merged"], True)
        self.assertEqual(y["lead"]["id"], x["lead"]["id"])
        self.assertEqual(y["lead"]["customer"]["phone"], "13900003002")

    async def test_14_4_a_follow_up_sets_the_next_due_date_from_the_grade(self):
        api = self.staff("T001")
        lead = (await self.create("T001", "13900004001"))["lead"]
        cadence = {"H": 3 * DAY, "A": 7 * DAY, "B": 15 * DAY}
        for grade in ("H", "B"):
            got = (await api_ok(api, "lead_followup", {
                "lead_id": lead["id"], "way": "phone", "content": "介绍星河 7 配置",
                "feedback": "下周再联系", "grade": grade}))["lead"]
            self.assertEqual(got["grade"], grade)
            self.assertEqual(got["next_due_at"] - got["last_followup_at"], cadence[grade])
        await api_ok(api, "lead_grade", {"lead_id": lead["id"], "grade": "A"})
        got = (await api_ok(api, "lead_followup", {"lead_id": lead["id"], "way": "sms",
                                                   "content": "发送报价"}))["lead"]
        self.assertEqual(got["next_due_at"] - got["last_followup_at"], cadence["A"])
        full = await api_ok(api, "lead_get", {"lead_id": lead["id"]})
        self.assertEqual([f["way"] for f in full["followups"]], ["phone", "phone", "sms"])
        status, res = await api_call(api, "lead_followup", {"lead_id": lead["id"],
                                                            "way": "pigeon", "content": "x"})
        self.assertEqual(status, 400, res)
        # someone else's lead: a consultant who neither owns nor holds it may not
        status, res = await api_call(self.staff("S002"), "lead_followup", {
            "lead_id": lead["id"], "way": "phone", "content": "x"})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"))

    async def test_14_5_an_overdue_callback_is_pushed_to_the_board_once(self):
        lead = (await self.create("S001", "13900005001", name="孙权"))["lead"]
        owner = lead["owner"]
        self.assertEqual(owner["name"], "张伟")
        due = lead["first_callback_due_at"]
        ahead = start_hub_ahead(self.db, self.tmp, DAY + 3600 * 1000)
        try:
            ev = await next_event(self.board, "lead.overdue",
                                  lambda d: d["lead"]["id"] == lead["id"], timeout=10)
            note = await staff_notify(self.board, staff_no="S001", kind="lead_overdue",
                                      timeout=5)
            await asyncio.sleep(2.5)  # more ticks of the hub that is ahead
        finally:
            stop_hub_checked(ahead)
        self.assertEqual(ev["data"]["due_at"], due)
        self.assertEqual(ev["data"]["owner"]["id"], owner["id"])
        self.assertNotIn("孙权", self.board.raw[-1])
        self.assertEqual(note["data"]["refs"]["lead_id"], lead["id"])
        again = [e for e in self.board.pending + getattr(self.board, "skipped", [])
                 if e.get("kind") == "lead.overdue" and e["data"]["lead"]["id"] == lead["id"]]
        with self.assertRaises(TimeoutError):
            again.append(await next_event(self.board, "lead.overdue",
                                          lambda d: d["lead"]["id"] == lead["id"], timeout=0.5))
        self.assertEqual(again, [], "reported once per lead and due time")

    async def test_14_6_month_end_hands_b_l_f_back_to_telesales(self):
        api = self.staff("S002")
        ids = {}
        for grade, phone in (("H", "13900006001"), ("B", "13900006002"), ("L", "13900006003")):
            lead = (await self.create("S002", phone))["lead"]
            self.assertEqual(lead["owner"]["name"], "李娜")
            await api_ok(api, "lead_grade", {"lead_id": lead["id"], "grade": grade})
            ids[grade] = lead["id"]
        status, res = await api_call(api, "lead_month_end", {})
        self.assertEqual((status, res["error"]["code"]), (403, "forbidden"))
        data = await api_ok(self.staff("S003"), "lead_month_end", {})
        moved = {m["lead_id"]: m for m in data["moved"]}
        self.assertIn(ids["B"], moved)
        self.assertIn(ids["L"], moved)
        self.assertNotIn(ids["H"], moved, "H and A stay with the consultant")
        for g in ("B", "L"):
            m = moved[ids[g]]
            self.assertEqual(m["grade"], g)
            self.assertEqual(m["from"]["name"], "李娜")
            self.assertIn(m["to"]["name"], ("孙丽", "周杰"))
        self.assertIsInstance(data["kept"], int)
        h = await api_ok(api, "lead_get", {"lead_id": ids["H"]})
        self.assertEqual(h["lead"]["owner"]["name"], "李娜")

    def import_csv(self, path, *extra):
        p = subprocess.run([CLI, "--db", self.db, "lead", "import", path, "--site", "SH01",
                            *extra], capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout + p.stderr

    def summary(self, out):
        m = re.search(r"imported (\d+), merged (\d+), invalid (\d+) \(flagged\), refused (\d+)",
                      out)
        self.assertIsNotNone(m, out)
        return tuple(int(x) for x in m.groups())

    async def total_leads(self):
        return (await api_ok(self.staff("S003"), "lead_list", {"limit": 200}))["total"]

    async def test_14_7_csv_import_reports_bad_rows_and_imports_nothing_twice(self):
        path = os.path.join(self.tmp, "autohome.csv")
        rows = ["external_ref,name,phone,model,budget,channel,region,created_at",
                "AH-1001,钱多多,13900007001,HX7,200000,web_autohome,浦东,",
                "AH-1002,孙小美,12345,HX7,150000,web_autohome,浦东,",       # line 3: phone
                "AH-1003,,13900007003,HX7,150000,web_autohome,闵行,",        # line 4: no name
                "AH-1004,阿土伯,13900007004,HX9,300000,,闵行,",              # default channel
                ",钱多多,139-0000-7001,HX7,200000,web_yiche,浦东,"]          # line 6: merges
        with open(path, "w", encoding="utf-8-sig", newline="") as f:  # with a BOM
            f.write("\r\n".join(rows) + "\r\n")
        before = await self.total_leads()
        code, out = await asyncio.to_thread(self.import_csv, path, "--channel", "web_yiche")
        self.assertIn("line 3:", out)
        self.assertNotRegex(out, r"line [256]:", "good rows are not reported as bad")
        imported, merged, invalid, refused = self.summary(out)
        self.assertEqual((merged, invalid, refused), (1, 1, 1), out)
        after = await self.total_leads()
        self.assertEqual(after - before, 3, "two good rows and one flagged row are new leads")
        self.assertIn(imported, (2, 3), out)
        ev = await next_event(self.board, "lead.created", timeout=5)  # the hub saw the commit
        self.assertNotIn("13900007001", self.board.raw[-1])

        code2, out2 = await asyncio.to_thread(self.import_csv, path, "--channel", "web_yiche")
        self.assertIn("line 3:", out2, "still reported")
        imported2, _, _, refused2 = self.summary(out2)
        self.assertEqual((imported2, refused2), (0, 1), out2)
        self.assertEqual(await self.total_leads(), after, "nothing imported twice")
        self.assertEqual(code, code2)

        # a column the importer does not know: the file is refused as a whole
        bad = os.path.join(self.tmp, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("name,phone,model,budget,colour\n甲,13900007101,HX7,1,红\n")
        code3, out3 = await asyncio.to_thread(self.import_csv, bad)
        self.assertNotEqual(code3, 0)
        self.assertIn("colour", out3)
        self.assertEqual(await self.total_leads(), after)
        self.assertIsNotNone(ev)


if __name__ == "__main__":
    unittest.main()

"""18. The board's figures (issue 8; PROTOCOL.md "Board figures"): a board asks board_stats
and gets today's funnel, 14 trend days and the month's consultant league of its site,
matching what was done through the real reception kiosk protocol and the admin CLI (visits
checked in, orders created, one delivered with a rating); another site's work never counts;
an api device gets the same figures over HTTP; a reception or status device is refused."""

import asyncio
import datetime
import json
import os
import sqlite3
import unittest

from hubtest import HubCase, SITE_OFFSET_MIN, Site, api_cli, cli, http_call, site_today

PINS = {"S001": "1234", "S003": "3579", "S004": "4680", "S005": "5791"}
SIGNATURE = json.dumps({"strokes": [[[0, 0, 0], [40, 12, 16], [80, 30, 33]],
                                    [[10, 50, 400], [90, 52, 430]]]})
PRICE = 18980000
DAY_MS = 24 * 3600 * 1000


class StatsSite(Site):
    """The e2e site with the roles an order needs, an `api` device, and a second site whose
    work must never reach SH01's figures."""

    def __init__(self, db, tmp):
        super().__init__(db)
        for no, name, role in (("S003", "王强", "supervisor"), ("S004", "刘芳", "manager"),
                               ("S005", "陈静", "finance")):
            cli(db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", PINS[no])
        self.token_file = os.path.join(tmp, "api.token")
        with open(self.token_file, "w") as f:
            f.write(self.add_device("api", "CLI") + "\n")
        cli(db, "site", "add", "--code", "BJ01", "--name", "北京店",
            "--utc-offset", str(SITE_OFFSET_MIN))
        cli(db, "staff", "add", "--site", "BJ01", "--no", "S101", "--name", "赵云",
            "--role", "consultant", "--pin", "1111")
        cli(db, "duty", "set", "--staff", "S101", "--day", site_today(), "--status", "on")
        self.other_reception = cli(db, "device", "add", "--site", "BJ01", "--mode", "reception",
                                   "--name", "BJ Reception")


def local_midnight_ms():
    """UTC ms of the site's local midnight today."""
    day = datetime.datetime.strptime(site_today(), "%Y-%m-%d")
    start = day.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=SITE_OFFSET_MIN)))
    return int(start.timestamp() * 1000)


class BoardStats(HubCase):
    """Tests run in name order and build on each other (one database per class)."""

    @classmethod
    def populate(cls, db):
        return StatsSite(db, cls.tmp)

    async def asyncSetUp(self):
        self.board = await self.connect("board")

    async def asyncTearDown(self):
        await self.board.close()

    async def stats(self, client=None):
        res = await (client or self.board).request("board_stats")
        self.assertIs(res["ok"], True, res)
        return res["data"]

    async def order(self, staff, *args):
        p = await asyncio.to_thread(api_cli, self.hub.port, self.site.token_file, staff,
                                    PINS[staff], "order", *args, "--json")
        self.assertEqual(p.returncode, 0, f"order {' '.join(args)}: {p.stderr}")
        out = json.loads(p.stdout)
        return (out["data"] if "type" in out else out)["order"]

    async def create(self, phone, name):
        order = await self.order("S001", "create", "--phone", phone, "--customer", name,
                                 "--gender", "female", "--model", "HX7", "--colour", "珍珠白",
                                 "--quantity", "1", "--unit-price-fen", str(PRICE),
                                 "--channel", "showroom", "--payment", "full")
        return order["order_no"]

    def db_count(self, sql, *params):
        """An independent count straight from the hub's tables."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchone()[0]
        finally:
            con.close()

    def assertShape(self, data):
        self.assertEqual(set(data), {"day", "now", "today", "trend", "league"}, data)
        self.assertEqual(data["day"], site_today())
        self.assertEqual(set(data["today"]),
                         {"visits", "leads", "orders", "deliveries", "sales_fen"})
        trend = data["trend"]
        self.assertEqual(len(trend), 14)
        last = datetime.date.fromisoformat(site_today())
        want = [(last - datetime.timedelta(days=13 - i)).isoformat() for i in range(14)]
        self.assertEqual([d["day"] for d in trend], want, "14 days, oldest first, today last")
        for d in trend:
            self.assertEqual(set(d), {"day", "visits", "orders", "deliveries"})
        self.assertEqual({k: trend[-1][k] for k in ("visits", "orders", "deliveries")},
                         {k: data["today"][k] for k in ("visits", "orders", "deliveries")},
                         "today's trend day is today")
        self.assertLessEqual(len(data["league"]), 10)
        for row in data["league"]:
            self.assertEqual(set(row), {"staff_no", "name", "orders", "deliveries", "sales_fen",
                                        "rating_n", "rating_sum"})

    async def test_18_1_an_empty_day(self):
        data = await self.stats()
        self.assertShape(data)
        self.assertEqual(data["today"], {"visits": 0, "leads": 0, "orders": 0, "deliveries": 0,
                                         "sales_fen": 0})
        self.assertTrue(all(d["visits"] == d["orders"] == d["deliveries"] == 0
                            for d in data["trend"]))
        for row in data["league"]:
            self.assertEqual((row["orders"], row["deliveries"], row["sales_fen"]), (0, 0, 0))
        self.assertNotIn("S101", [r["staff_no"] for r in data["league"]], "another site's staff")

    async def test_18_2_figures_follow_what_was_done(self):
        rec = await self.connect("reception")
        for phone in ("13900000001", "13900000002", "13900000003"):
            res = await rec.request("checkin", {"phone": phone, "consent": True})
            self.assertIs(res["ok"], True, res)
        await rec.close()
        # the other site's visitor and order must not count for SH01
        other = await self.connect(token=self.site.other_reception)
        res = await other.request("checkin", {"phone": "13900000009", "consent": True})
        self.assertIs(res["ok"], True, res)
        await other.close()

        first = await self.create("13912345601", "欧阳娜娜")
        await self.create("13912345602", "司马光")
        await self.order("S003", "review", first, "--pass")
        await self.order("S004", "approve", first, "--approve")
        eta = str(int(datetime.datetime.now().timestamp() * 1000) + 10 * DAY_MS)
        await self.order("S003", "allocate", first, "--factory-eta", eta)
        await self.order("S003", "arrived", first, "--vin", "LSVAU2180N2183018")
        for step in ("cleaning", "inspection", "maintenance"):
            await self.order("S001", "prep", first, "--step", step)
        await self.order("S005", "pay", first, "--amount-fen", str(PRICE), "--kind", "balance",
                         "--reference", "POS-18001")
        await self.order("S005", "invoice", first, "--invoice-no", "INV-18-0001")
        handover = datetime.date.fromisoformat(site_today()) + datetime.timedelta(days=3)
        await self.order("S001", "ready", first, "--at", f"{handover.isoformat()} 14:30",
                         "--place", "交车区 1")
        done = await self.order("S001", "deliver", first, "--signature", SIGNATURE,
                                "--rating", "4")
        self.assertEqual(done["stage"], "delivered")

        data = await self.stats()
        self.assertShape(data)
        midnight = local_midnight_ms()
        leads = self.db_count("SELECT count(*) FROM leads l WHERE l.site_id = "
                              "(SELECT id FROM sites WHERE code = 'SH01') AND l.created_at >= ? "
                              "AND l.created_at < ?", midnight, midnight + DAY_MS)
        self.assertEqual(data["today"], {"visits": 3, "leads": leads, "orders": 2,
                                         "deliveries": 1, "sales_fen": 2 * PRICE})
        top = data["league"][0]
        self.assertEqual(top, {"staff_no": "S001", "name": "张伟", "orders": 2, "deliveries": 1,
                               "sales_fen": 2 * PRICE, "rating_n": 1, "rating_sum": 4})
        others = [r for r in data["league"] if r["staff_no"] != "S001"]
        self.assertTrue(all(r["orders"] == 0 for r in others), data["league"])
        self.assertNotIn("S101", [r["staff_no"] for r in data["league"]])
        self.assertEqual(sum(d["orders"] for d in data["trend"]), 2)

        # the other site's board sees its own day only
        token = cli(self.db, "device", "add", "--site", "BJ01", "--mode", "board",
                    "--name", "BJ Board")
        bj = await self.connect(token=token)
        bj_data = await self.stats(bj)
        await bj.close()
        self.assertEqual(bj_data["today"]["visits"], 1)
        self.assertEqual(bj_data["today"]["orders"], 0)

    async def test_18_3_api_device_gets_the_same_figures_over_http(self):
        ws = await self.stats()
        with open(self.site.token_file) as f:
            token = f.read().strip()
        status, _, body = await asyncio.to_thread(
            http_call, self.hub.port, "POST", "/api/v1/requests",
            {"type": "board_stats", "id": "t18-http-1"},
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        self.assertEqual(status, 200, body)
        self.assertIs(body["ok"], True, body)
        http = body["data"]
        self.assertShape(http)
        for key in ("day", "today", "trend", "league"):
            self.assertEqual(http[key], ws[key], key)

    async def test_18_4_other_modes_and_bad_args_are_refused(self):
        for mode in ("reception", "status", "delivery"):
            c = await self.connect(mode)
            res = await c.request("board_stats")
            await c.close()
            self.assertError(res, "forbidden")
        res = await self.board.request("board_stats", {"site": "BJ01"})
        self.assertError(res, "unknown_field")
        # a refused request changed nothing: the figures are as before
        data = await self.stats()
        self.assertEqual(data["today"]["orders"], 2)


if __name__ == "__main__":
    unittest.main()

"""The board and the report never disagree (issue 8): on the demo dealership, a board device
asks the real hub for board_stats through a real socket, and `showfloor report --format csv`
is run for the same local days; today's figures, the 14-day trend and the month-to-date
league table must be equal number for number.

The periods are taken from the board's own answer ("day"), so the test holds even if it runs
across midnight. Uses the e2e kit (tests/e2e/hubtest.py) for the hub and the client."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

import hubtest  # noqa: E402
from test_report import parse_csv  # noqa: E402


def fen(yuan):
    whole, cents = yuan.split(".")
    return int(whole) * 100 + int(cents)


class DemoBoard(hubtest.Site):
    """The demo dealership (demo-data) plus a board device at its site SH01."""

    DEVICES = {"board": "Agreement board"}

    def __init__(self, db):
        hubtest.cli(db, "init")
        hubtest.cli(db, "demo-data", "--seed", "3")
        super().__init__(db, create_site=False)


class BoardAgreesWithReport(hubtest.HubCase):
    @classmethod
    def populate(cls, db):
        return DemoBoard(db)

    def report(self, unit, first, last):
        out = hubtest.cli(self.db, "report", unit, "--site", "SH01", "--from", first,
                          "--to", last, "--format", "csv")
        return parse_csv(out if out.startswith("\ufeff") else "\ufeff" + out)

    async def board_stats(self):
        c = await self.connect("board")
        try:
            res = await c.request("board_stats")
        finally:
            await c.close()
        self.assertTrue(res["ok"], res)
        return res["data"]

    async def test_01_board_and_report_agree(self):
        stats = await self.board_stats()
        day = datetime.date.fromisoformat(stats["day"])

        # today: the local day [midnight, next midnight)
        k = {row[0]: row[2] for row in
             self.report("daily", str(day), str(day))["核心指标 Key figures"][1]}
        today = stats["today"]
        for key in ("visits", "leads", "orders", "deliveries"):
            self.assertEqual(today[key], int(k[key]), key)
        self.assertEqual(today["sales_fen"], fen(k["sales_yuan"]))
        self.assertGreater(today["visits"], 0, "the demo has visits today: a real comparison")

        # the trend: 14 local days, oldest first, today last (a 14-day weekly report is by day)
        rows = self.report("weekly", str(day - datetime.timedelta(days=13)),
                           str(day))["每日趋势 Trend by day"][1]
        self.assertEqual(len(stats["trend"]), 14)
        self.assertEqual(stats["trend"][-1]["day"], str(day))
        got = [(t["day"], t["visits"], t["orders"], t["deliveries"]) for t in stats["trend"]]
        want = [(r[0], int(r[1]), int(r[3]), int(r[4])) for r in rows]
        self.assertEqual(got, want)
        self.assertGreater(sum(t["orders"] for t in stats["trend"]), 0)

        # the league: consultants month to date, in the report's order, its first rows
        rows = self.report("monthly", str(day.replace(day=1)), str(day))[
            "销售顾问考核 Consultant assessment"][1]
        league = stats["league"]
        self.assertGreater(len(league), 0)
        self.assertEqual(len(league), min(10, len(rows)))
        for entry, row in zip(league, rows):
            with self.subTest(staff=entry["staff_no"]):
                self.assertEqual(entry["staff_no"], row[0])
                self.assertEqual(entry["name"], row[1])
                self.assertEqual(entry["orders"], int(row[3]))
                self.assertEqual(entry["deliveries"], int(row[6]))
                self.assertEqual(entry["sales_fen"], fen(row[8]))
                self.assertEqual(entry["rating_n"], int(row[14]))
                if entry["rating_n"]:
                    self.assertEqual(f"{entry['rating_sum'] / entry['rating_n']:.2f}", row[13])


if __name__ == "__main__":
    unittest.main()

"""`showfloor report` as a sales manager and an IT person use it: the periods, the refusals,
the CSV (BOM, RFC 4180, sections) and the HTML (self-contained, well formed, escaped), and
that every figure equals what the database holds, counted here in SQL straight from the raw
tables (hub/ANALYTICS.md's definitions), independently of the C code.

The clock is pinned (SHOWFLOOR_CLOCK_OFFSET_MS) to 2026-07-03 10:00 in UTC+8 so the demo
data, the default periods and the expected numbers are the same on every run."""
import csv
import datetime
import html.parser
import io
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import unittest

CLI = os.environ.get("SHOWFLOOR_CLI", "showfloor")
OFFSET_MIN = 480
TZ = datetime.timezone(datetime.timedelta(minutes=OFFSET_MIN))
NOW = datetime.datetime(2026, 7, 3, 10, 0, tzinfo=TZ)
DAY_MS = 86400000
BOM = "\ufeff"
NONE = "\u2014"


def day_ms(text):
    """UTC ms of the local midnight starting the day 'YYYY-MM-DD' (UTC+8)."""
    d = datetime.date.fromisoformat(text)
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp() * 1000)


def parse_csv(text):
    """{section title: (header, rows)} of a report CSV; checks the layout on the way."""
    assert text.startswith(BOM), "the CSV must start with a UTF-8 BOM"
    sections, block = {}, []
    for row in csv.reader(io.StringIO(text[1:], newline="")):
        if not row:
            if block:
                sections[block[0][0]] = (block[1], block[2:])
            block = []
            continue
        block.append(row)
    if block:
        sections[block[0][0]] = (block[1], block[2:])
    return sections


class Html(html.parser.HTMLParser):
    """Records the structure the tests check: open elements, svg depth, URLs, text."""

    VOID = {"meta", "br", "img", "hr", "link", "input", "rect", "line", "circle", "polyline",
            "polygon", "path"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs, self.text = [], [], [], [], []
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag == "svg":
            self.svgs += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "r.db")
        cls.env = dict(os.environ)
        # Pinning "now": the CLI adds this offset to the real clock.
        cls.env["SHOWFLOOR_CLOCK_OFFSET_MS"] = str(int(NOW.timestamp() * 1000)
                                                   - int(time.time() * 1000))
        cls.ok("init")
        cls.ok("demo-data", "--seed", "7")
        # A second site with its own orders, and a third with nothing at all.
        cls.ok("site", "add", "--code", "BJ01", "--name", "星河汽车 北京店")
        cls.ok("site", "add", "--code", "E&1", "--name", "Empty <&> \"店\" 'x'")
        for i, stage in enumerate(("entered", "delivered", "cancelled")):
            cls.ok("order", "add", "--site", "BJ01", "--phone", f"1390000{i:04d}",
                   "--customer", f"客户{i}", "--model", "XH7", "--stage", stage)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def run_cli(cls, *args):
        """Runs the CLI; stdout/stderr decoded as UTF-8 with line ends kept as written."""
        r = subprocess.run([CLI, "--db", cls.db, *args], capture_output=True, timeout=120,
                           env=cls.env)
        r.stdout, r.stderr = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")
        return r

    @classmethod
    def ok(cls, *args):
        r = cls.run_cli(*args)
        assert r.returncode == 0, f"{args}: exit {r.returncode}: {r.stderr}"
        return r

    def sql(self, query, *params):
        with sqlite3.connect(self.db) as con:
            return con.execute(query, params).fetchone()[0]

    def site_ids(self, code=None):
        with sqlite3.connect(self.db) as con:
            if code:
                return [con.execute("SELECT id FROM sites WHERE code = ?", (code,)).fetchone()[0]]
            return [r[0] for r in con.execute("SELECT id FROM sites")]

    def count(self, table, column, lo, hi, sites, extra="1"):
        marks = ",".join("?" * len(sites))
        return self.sql(f"SELECT count(*) FROM {table} WHERE site_id IN ({marks}) AND "
                        f"{column} >= ? AND {column} < ? AND {extra}", *sites, lo, hi)

    def csv_report(self, *args):
        r = self.ok("report", *args, "--format", "csv")
        return parse_csv(r.stdout)

    def kpis(self, sections):
        header, rows = sections["核心指标 Key figures"]
        self.assertEqual(len(header), 6)
        return {row[0]: row for row in rows}

    # 1. refusals: exit 2, a message naming the problem, nothing written
    def test_01_usage_errors(self):
        out = os.path.join(self.tmp.name, "never.html")
        cases = [
            (["report"], "daily, weekly or monthly"),
            (["report", "yearly"], "unknown report 'yearly'"),
            (["report", "daily", "--site", "NOPE"], "no site with code 'NOPE'"),
            (["report", "daily", "--from", "2026-02-30", "--to", "2026-03-01"],
             "--from '2026-02-30' is not a date"),
            (["report", "daily", "--from", "2026-03-01", "--to", "03/05/2026"],
             "--to '03/05/2026' is not a date"),
            (["report", "weekly", "--from", "2026-03-10", "--to", "2026-03-01"],
             "--from 2026-03-10 is after --to 2026-03-01"),
            (["report", "monthly", "--from", "2025-01-01", "--to", "2026-02-05"],
             "401 days; a report covers at most 400"),
            (["report", "daily", "--from", "2026-03-01"], "--from and --to go together"),
            (["report", "daily", "--format", "pdf"], "--format must be csv or html"),
            (["report", "daily", "--colour", "red"], "unknown option '--colour'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.run_cli(*args, "--out", out)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertFalse(os.path.exists(out))
        # exactly 400 days is allowed
        self.ok("report", "monthly", "--from", "2025-06-01", "--to", "2026-07-05",
                "--format", "csv")

    # 2. default periods in the site's local time
    def test_02_default_periods(self):
        for unit, start, end in (("daily", "2026-07-02", "2026-07-02"),
                                 ("weekly", "2026-06-22", "2026-06-28"),
                                 ("monthly", "2026-06-01", "2026-06-30")):
            with self.subTest(unit=unit):
                about = dict(self.csv_report(unit)["报告 Report"][1])
                self.assertEqual(about["报告 Report"], unit)
                self.assertEqual(about["开始日 From (inclusive)"], start)
                self.assertEqual(about["结束日 To (inclusive)"], end)
                self.assertEqual(about["生成时间 Generated (local)"][:16], "2026-07-03 10:00")

    # 3. the CSV's format: BOM, CRLF, RFC 4180 quoting, every section present
    def test_03_csv_format(self):
        r = self.ok("report", "monthly", "--format", "csv")
        raw = r.stdout.encode("utf-8")
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "every line ends in CRLF")
        sections = parse_csv(r.stdout)
        for title in ("报告 Report", "核心指标 Key figures", "每日趋势 Trend by day",
                      "订单按门店 Orders by site", "订单按区域 Orders by region",
                      "订单按车型 Orders by model", "订单按销售顾问 Orders by consultant",
                      "订单按来源 Orders by channel", "线索按渠道 Leads by channel",
                      "销售顾问考核 Consultant assessment",
                      "销售主管考核 Supervisor assessment"):
            self.assertIn(title, sections)
        for title, (header, rows) in sections.items():
            for row in rows:
                self.assertEqual(len(row), len(header), f"{title}: {row}")
        # a field with a comma is quoted
        self.assertIn('"时区 UTC offset, minutes",480', r.stdout)
        # money has two decimals, durations one
        k = self.kpis(sections)
        self.assertRegex(k["sales_yuan"][2], r"^\d+\.\d\d$")
        self.assertRegex(k["review_avg_h"][2], r"^(\d+\.\d|" + NONE + ")$")

    # 4. the figures equal the raw tables
    def check_figures(self, site, lo_day, hi_day):
        args = ["monthly", "--from", lo_day, "--to", hi_day] + (["--site", site] if site else [])
        sections = self.csv_report(*args)
        k = self.kpis(sections)
        lo, hi = day_ms(lo_day), day_ms(hi_day) + DAY_MS
        sites = self.site_ids(site)
        marks = ",".join("?" * len(sites))
        want = {
            "visits": self.count("visits", "arrived_at", lo, hi, sites),
            "leads": self.count("leads", "created_at", lo, hi, sites),
            "orders": self.count("orders", "created_at", lo, hi, sites),
            "orders_cancelled": self.count("orders", "created_at", lo, hi, sites,
                                           "stage = 'cancelled'"),
            "deliveries": self.count("orders", "delivered_at", lo, hi, sites),
            "complaints": self.count("complaints", "opened_at", lo, hi, sites),
        }
        for key, n in want.items():
            self.assertEqual(int(k[key][2]), n, key)
        sales = self.sql(f"SELECT ifnull(sum(total_fen), 0) FROM orders WHERE site_id IN "
                         f"({marks}) AND created_at >= ? AND created_at < ? AND "
                         f"stage <> 'cancelled'", *sites, lo, hi)
        self.assertEqual(k["sales_yuan"][2], f"{sales // 100}.{sales % 100:02d}")
        rating_n = self.count("satisfaction", "at", lo, hi, sites)
        rating_sum = self.sql(f"SELECT ifnull(sum(score), 0) FROM satisfaction WHERE site_id "
                              f"IN ({marks}) AND at >= ? AND at < ?", *sites, lo, hi)
        self.assertEqual(k["rating_avg"][3:5], [str(rating_sum), str(rating_n)])
        if rating_n:
            self.assertEqual(k["rating_avg"][2], f"{rating_sum / rating_n:.2f}")
        else:
            self.assertEqual(k["rating_avg"][2], NONE)
        # percentages carry their basis, and agree with it
        for key, num, den in (("conversion_pct", "leads_converted", "leads"),
                              ("followup_pct", "leads_followed", "leads"),
                              ("success_pct", "deliveries", "orders_cancelled")):
            n, d = int(k[num][2]), int(k[den][2])
            if key == "success_pct":  # delivered ÷ (delivered + cancelled)
                d += n
            self.assertEqual(k[key][3:5], [str(n), str(d)], key)
            self.assertEqual(k[key][2], f"{100 * n / d:.1f}" if d else NONE, key)
        # the trend: one row per local day, each day as the raw tables count it
        header, rows = sections["每日趋势 Trend by day"]
        days = (datetime.date.fromisoformat(hi_day) - datetime.date.fromisoformat(lo_day)).days
        self.assertEqual(len(rows), days + 1)
        for row in rows:
            a = day_ms(row[0])
            self.assertEqual(int(row[1]), self.count("visits", "arrived_at", a, a + DAY_MS, sites))
            self.assertEqual(int(row[2]), self.count("leads", "created_at", a, a + DAY_MS, sites))
            self.assertEqual(int(row[3]), self.count("orders", "created_at", a, a + DAY_MS, sites))
            self.assertEqual(int(row[4]),
                             self.count("orders", "delivered_at", a, a + DAY_MS, sites))
        self.assertEqual(sum(int(r[3]) for r in rows), want["orders"])
        # orders by model and by consultant, from the raw orders
        with sqlite3.connect(self.db) as con:
            by_model = dict(con.execute(
                f"SELECT model_code, count(*) FROM orders WHERE site_id IN ({marks}) AND "
                f"created_at >= ? AND created_at < ? GROUP BY 1", (*sites, lo, hi)).fetchall())
            by_staff = dict(con.execute(
                f"SELECT ifnull(s.staff_no, ''), count(*) FROM orders o LEFT JOIN staff s "
                f"ON s.id = o.consultant_id WHERE o.site_id IN ({marks}) AND o.created_at >= ? "
                f"AND o.created_at < ? GROUP BY 1", (*sites, lo, hi)).fetchall())
        got = {r[0]: int(r[2]) for r in sections["订单按车型 Orders by model"][1]}
        self.assertEqual(got, by_model)
        got = {r[0]: int(r[2]) for r in sections["订单按销售顾问 Orders by consultant"][1]}
        self.assertEqual(got, by_staff)
        return k

    def test_04_figures_match_the_database(self):
        every = self.check_figures(None, "2026-06-01", "2026-07-03")
        sh = self.check_figures("SH01", "2026-06-01", "2026-07-03")
        bj = self.check_figures("BJ01", "2026-06-01", "2026-07-03")
        self.assertGreater(int(sh["orders"][2]), 0)
        self.assertEqual(int(bj["orders"][2]), 3)
        self.assertEqual(int(bj["orders_cancelled"][2]), 1)
        for key in ("orders", "leads", "visits", "deliveries"):
            self.assertEqual(int(every[key][2]), int(sh[key][2]) + int(bj[key][2]), key)
        self.check_figures("SH01", "2026-06-15", "2026-06-21")

    # 5. a period with nothing in it: zeros, and "—" wherever a denominator is 0
    def test_05_empty_site_shows_dashes(self):
        k = self.kpis(self.csv_report("daily", "--site", "E&1"))
        self.assertEqual(k["orders"][2], "0")
        for key in ("conversion_pct", "followup_pct", "success_pct", "cycle_avg_h",
                    "review_avg_h", "rating_avg"):
            self.assertEqual(k[key][2], NONE, key)
        html = self.ok("report", "daily", "--site", "E&1").stdout
        self.assertIn(NONE, html)
        self.assertNotIn("nan", html.lower())

    # 6. the HTML: one well-formed, self-contained document, text escaped
    def test_06_html_self_contained(self):
        for args in (["monthly"], ["daily", "--site", "SH01"], ["weekly", "--site", "E&1"],
                     ["monthly", "--from", "2025-07-01", "--to", "2026-07-03"]):
            with self.subTest(args=args):
                text = self.ok("report", *args).stdout
                self.assertTrue(text.startswith("<!DOCTYPE html>"))
                p = Html()
                p.feed(text)
                p.close()
                self.assertEqual(p.errors, [])
                self.assertEqual(p.stack, [], "every element is closed")
                self.assertGreaterEqual(p.svgs, 2, "funnel and trend at least")
                self.assertNotIn("script", p.tags)
                self.assertNotIn("link", p.tags)
                self.assertNotIn("img", p.tags)
                for name, value in p.attrs:
                    self.assertNotIn(name, ("src", "href"), "no external resource")
                urls = re.findall(r"(?:https?:)?//[\w.-]+", text)
                self.assertEqual(set(urls), {"http://www.w3.org"}, "only the SVG namespace")
                self.assertIn('<html lang="zh-CN">', text)
                self.assertIn('<meta charset="utf-8">', text)
                self.assertIn("@page{size:A4", text)
                self.assertIn("break-after:page", text)
        text = self.ok("report", "daily", "--site", "E&1").stdout
        self.assertIn("Empty &lt;&amp;&gt; &quot;店&quot; &#39;x&#39; (E&amp;1)", text)
        self.assertNotIn("<&>", text)

    # 7. the HTML shows the same figures as the CSV
    def test_07_html_figures(self):
        k = self.kpis(self.csv_report("monthly", "--site", "SH01"))
        text = self.ok("report", "monthly", "--site", "SH01").stdout
        yuan, cents = k["sales_yuan"][2].split(".")
        self.assertIn(f"{int(yuan):,}.{cents}", text)
        conv = k["conversion_pct"]
        self.assertIn(f"converted ÷ leads = {conv[3]} / {conv[4]}", text)
        self.assertIn("销售月报", text)
        self.assertIn("2026-06-01 – 2026-06-30 (30 天 days)", text)

    # 8. --out writes the same bytes as stdout, atomically
    def test_08_out_file(self):
        out = os.path.join(self.tmp.name, "w.csv")
        self.ok("report", "weekly", "--format", "csv", "--out", out)
        with open(out, encoding="utf-8", newline="") as f:
            saved = f.read()
        printed = self.ok("report", "weekly", "--format", "csv").stdout
        strip = re.compile(r"生成时间 Generated \(local\),[^\r]*")
        self.assertEqual(strip.sub("", saved), strip.sub("", printed))
        self.assertEqual([n for n in os.listdir(self.tmp.name) if ".tmp" in n], [])
        r = self.run_cli("report", "weekly", "--out", os.path.join(self.tmp.name, "no", "x"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot create", r.stderr)

    # 9. a long range is drawn by week, and the daily report looks back 14 days
    def test_09_trend_buckets(self):
        s = self.csv_report("monthly", "--from", "2026-01-01", "--to", "2026-06-30")
        self.assertIn("每周趋势 Trend by week (from the day shown)", s)
        rows = s["每周趋势 Trend by week (from the day shown)"][1]
        self.assertEqual(rows[0][0], "2026-01-01")
        self.assertEqual(rows[1][0], "2026-01-05", "weeks start on Monday")
        self.assertEqual(len(rows), 27)
        rows = self.csv_report("daily")["每日趋势 Trend by day"][1]
        self.assertEqual([rows[0][0], rows[-1][0], len(rows)], ["2026-06-18", "2026-07-02", 15])


if __name__ == "__main__":
    unittest.main()

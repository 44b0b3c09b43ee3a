"""6. HTTP on the same port: /healthz, /metrics in the Prometheus text format, 404 for the
rest (PROTOCOL.md "HTTP on the same port", hub/README.md "Metrics")."""

import json
import re
import unittest

from hubtest import HubCase

SERIES = [
    "showfloor_build_info",
    'showfloor_connections{mode="reception"}',
    'showfloor_connections{mode="board"}',
    'showfloor_commands_total{type="checkin",result="ok"}',
    'showfloor_commands_total{type="ping",result="error"}',
    "showfloor_events_committed_total",
    "showfloor_events_sent_total",
    "showfloor_slow_subscribers_dropped_total",
    'showfloor_wal_checkpoints_total{by="thread"}',
    'showfloor_wal_checkpoints_total{by="loop"}',
    'showfloor_wal_syncs_total{by="thread"}',
    'showfloor_wal_syncs_total{by="loop"}',
    'showfloor_command_seconds_bucket{le="+Inf"}',
    "showfloor_command_seconds_sum",
    "showfloor_command_seconds_count",
    'showfloor_fanout_seconds_bucket{le="+Inf"}',
    "showfloor_fanout_seconds_count",
]


def metric(text, series):
    """Value of a series; a name without labels also matches a labelled sample of it."""
    for line in text.splitlines():
        if line.startswith(series + " ") or ("{" not in series and
                                             line.startswith(series + "{")):
            return float(line.split()[-1])
    raise AssertionError(f"{series} not in /metrics")


class Http(HubCase):
    async def test_6_1_healthz(self):
        status, ctype, body = self.hub.http_get("/healthz")
        self.assertEqual(status, 200)
        self.assertIn("application/json", ctype)
        h = json.loads(body)
        self.assertEqual(h["status"], "ok")
        self.assertIsInstance(h["seq"], int)
        self.assertRegex(h["version"], r"^\d+\.\d+\.\d+")

    async def test_6_2_metrics_has_the_documented_series(self):
        status, ctype, body = self.hub.http_get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn("text/plain", ctype)
        for s in SERIES:
            self.assertIsNotNone(metric(body, s), s)
        self.assertIn("# TYPE showfloor_command_seconds histogram", body)
        self.assertIn("# TYPE showfloor_commands_total counter", body)
        # Every sample line is "name{labels} value".
        for line in body.splitlines():
            if line and not line.startswith("#"):
                self.assertRegex(line, r'^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$', line)

    async def test_6_3_metrics_count_connections_commands_and_events(self):
        _, _, before = self.hub.http_get("/metrics")
        rec = await self.connect("reception")
        board = await self.connect("board")
        await self.subscribe(board, 0)
        await board.recv_type("snapshot")
        res = await rec.request("checkin", {"phone": "13855550000", "consent": True})
        self.assertIs(res["ok"], True, res)
        await board.recv_type("event")
        bad = await rec.request("checkin", {"phone": "1", "consent": True})
        self.assertIs(bad["ok"], False)
        _, _, after = self.hub.http_get("/metrics")
        self.assertEqual(metric(after, 'showfloor_connections{mode="reception"}'),
                         metric(before, 'showfloor_connections{mode="reception"}') + 1)
        self.assertEqual(metric(after, 'showfloor_connections{mode="board"}'),
                         metric(before, 'showfloor_connections{mode="board"}') + 1)
        ok = 'showfloor_commands_total{type="checkin",result="ok"}'
        err = 'showfloor_commands_total{type="checkin",result="error"}'
        self.assertEqual(metric(after, ok), metric(before, ok) + 1)
        self.assertEqual(metric(after, err), metric(before, err) + 1)
        for s in ("showfloor_events_committed_total", "showfloor_events_sent_total"):
            self.assertGreaterEqual(metric(after, s), metric(before, s) + 1, s)
        await rec.close()
        await board.close()

    async def test_6_4_unknown_path_is_404(self):
        for path in ("/", "/nope", "/healthz/x", "/metricsx"):
            with self.subTest(path=path):
                status, _, _ = self.hub.http_get(path)
                self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()

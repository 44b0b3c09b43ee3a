"""16. The staff-notification webhook (hub/README.md "Notifications and the webhook"): every
staff.notify is POSTed to the site's webhook_url as JSON, in seq order, one request in flight
per site; a failed try is retried with exponential backoff (1 s, 2 s, ...) until the receiver
answers 2xx, and the entry is then never sent again; a receiver that is down costs the
showroom nothing (check-ins answer as fast as ever) and gets the backlog, in order, once it is
back. /metrics counts tries by outcome."""

import asyncio
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import unittest

from hubtest import HubCase, WebhookReceiver, cli, metric, refused_port, staff_notify

KEYS = {"site", "seq", "staff_id", "staff_no", "kind", "text_zh", "text_en", "refs", "at"}


def set_webhook_url(db, url):
    cli(db, "site", "set", "--site", "SH01", "--key", "webhook_url", "--value", url)


class Webhook(HubCase):
    """Tests run in name order on one hub; each points the site at its own receiver. The hub
    runs with SSL_CERT_FILE naming a test certificate: OpenSSL's default CA store (what the
    hub verifies https receivers against) then trusts exactly that one."""

    @classmethod
    def setUpClass(cls):
        cls.certs_dir = certs = tempfile.mkdtemp(prefix="showfloor-tls-")
        cls.certs = {}
        for which, san in (("trusted", "DNS:localhost,IP:127.0.0.1"),
                           ("untrusted", "DNS:localhost,IP:127.0.0.1")):
            key, crt = os.path.join(certs, f"{which}.key"), os.path.join(certs, f"{which}.crt")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=localhost",
                            "-addext", f"subjectAltName={san}"], check=True, capture_output=True)
            cls.certs[which] = (crt, key)
        old = os.environ.get("SSL_CERT_FILE")
        os.environ["SSL_CERT_FILE"] = cls.certs["trusted"][0]
        try:
            super().setUpClass()
        finally:
            if old is None:
                del os.environ["SSL_CERT_FILE"]
            else:
                os.environ["SSL_CERT_FILE"] = old

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.certs_dir, ignore_errors=True)
        super().tearDownClass()

    async def asyncSetUp(self):
        self.rec = await self.connect("reception")
        self.board = await self.connect("board")
        await self.subscribe(self.board)
        await self.board.recv_type("snapshot")
        self.receivers = []

    async def asyncTearDown(self):
        await self.rec.close()
        await self.board.close()
        for r in self.receivers:
            r.close()

    def receiver(self, plan=None):
        r = WebhookReceiver(plan)
        self.receivers.append(r)
        set_webhook_url(self.db, r.url)
        return r

    async def checkin(self, phone, **extra):
        """A check-in that must succeed; returns (result data, its staff.notify events as the
        board saw them, seconds the result took)."""
        t0 = time.monotonic()
        res = await self.rec.request("checkin", {"phone": phone, "consent": True, **extra})
        took = time.monotonic() - t0
        self.assertIs(res["ok"], True, res)
        d = res["data"]
        notes = [await staff_notify(self.board, staff_id=n["id"], timeout=3)
                 for n in d["notified"]]
        return d, notes, took

    async def test_16_1_posts_arrive_in_seq_order_with_the_documented_json(self):
        r = self.receiver()
        seen = []
        for phone in ("13811110001", "13811110002", "13811110003"):
            _, notes, _ = await self.checkin(phone, name="赵六", gender="male")
            self.assertTrue(notes, "a check-in notifies the assigned consultant")
            seen += notes
        seqs = [ev["seq"] for ev in seen]
        bodies = await r.wait_for(lambda b: {x["seq"] for x in b} >= set(seqs))
        got = [b["seq"] for b in bodies]
        self.assertEqual(got, sorted(got), "one at a time, in seq order")
        self.assertEqual(len(got), len(set(got)), "each entry once")
        by_seq = {b["seq"]: b for b in bodies}
        for ev in seen:
            b = by_seq[ev["seq"]]
            self.assertEqual(set(b), KEYS, b)
            self.assertEqual(b["site"], "SH01")
            for k in ("staff_id", "staff_no", "kind", "text_zh", "text_en", "refs"):
                self.assertEqual(b[k], ev["data"][k], k)
            self.assertEqual(b["at"], ev["at"])
            self.assertIsInstance(b["refs"].get("visit_id"), int, b)
        for _, path, hdrs, raw in r.posts:
            self.assertEqual(path, "/hooks/showfloor?token=abc")
            self.assertTrue(hdrs["content-type"].startswith("application/json"), hdrs)
            seq = json.loads(raw)["seq"]
            self.assertEqual(hdrs["x-showfloor-delivery"], f"SH01-{seq}")
            self.assertIn("showfloor-hub/", hdrs["user-agent"])
            for secret in ("13811110001", "13811110002", "赵六"):
                self.assertNotIn(secret, raw.decode("utf-8"), "masked names only")
        self.assertGreaterEqual(
            metric(self.hub.port, "showfloor_webhook_deliveries_total", {"result": "delivered"}),
            len(seqs))

    async def test_16_2_a_failing_receiver_gets_the_entry_after_the_retries_exactly_once(self):
        first = {}

        def plan(seq, attempt):
            first.setdefault("seq", seq)
            return 500 if seq == first["seq"] and attempt <= 2 else 200

        r = self.receiver(plan)
        retries0 = metric(self.hub.port, "showfloor_webhook_deliveries_total", {"result": "retry"})
        _, notes, _ = await self.checkin("13811110004")
        _, later, _ = await self.checkin("13811110005")
        seq = notes[0]["seq"]
        await r.wait_for(lambda b: [x["seq"] for x in b].count(seq) >= 3, timeout=15)
        times = [p[0] for p in r.posts if r._seq(p) == seq]
        self.assertGreaterEqual(times[1] - times[0], 0.9, "first retry after about 1 s")
        self.assertGreaterEqual(times[2] - times[1], 1.9, "then about 2 s")
        self.assertLess(times[2] - times[0], 8, "backoff starts small")
        # the entries behind it waited (seq order) and follow once it is through
        want = [ev["seq"] for ev in notes[1:] + later]
        bodies = await r.wait_for(lambda b: {x["seq"] for x in b} >= set(want))
        order = [b["seq"] for b in bodies]
        self.assertEqual(order[:3], [seq, seq, seq], order)
        self.assertEqual(order[3:], sorted(order[3:]))
        await asyncio.sleep(2.5)  # longer than the next backoff step would be
        self.assertEqual([b["seq"] for b in r.bodies()].count(seq), 3,
                         "a delivered entry is never sent again")
        self.assertEqual(metric(self.hub.port, "showfloor_webhook_deliveries_total",
                                {"result": "retry"}) - retries0, 2)

    async def test_16_3_a_receiver_that_is_down_does_not_slow_check_ins(self):
        set_webhook_url(self.db, f"http://127.0.0.1:{refused_port()}/down")
        retries0 = metric(self.hub.port, "showfloor_webhook_deliveries_total", {"result": "retry"})
        backlog = []
        for i in range(5):
            d, notes, took = await self.checkin(f"1381111010{i}")
            self.assertLess(took, 0.5, f"check-in {i} took {took:.3f} s")
            backlog += [ev["seq"] for ev in notes]
        await asyncio.sleep(1.5)  # a few refused tries
        self.assertGreater(metric(self.hub.port, "showfloor_webhook_deliveries_total",
                                  {"result": "retry"}), retries0)
        # still fast while the hub keeps retrying
        _, notes, took = await self.checkin("13811110199")
        self.assertLess(took, 0.5)
        backlog += [ev["seq"] for ev in notes]
        # back up: the backlog arrives, in seq order, each entry once
        r = self.receiver()
        bodies = await r.wait_for(lambda b: {x["seq"] for x in b} >= set(backlog), timeout=20)
        got = [b["seq"] for b in bodies]
        self.assertEqual(got, sorted(got))
        self.assertEqual(len(got), len(set(got)))

    async def test_16_4_no_webhook_url_means_nothing_is_sent(self):
        r = WebhookReceiver()
        self.receivers.append(r)
        cli(self.db, "site", "set", "--site", "SH01", "--key", "webhook_url", "--value", "")
        await self.checkin("13811110301")
        await asyncio.sleep(1.0)
        self.assertEqual(r.posts, [])
        # and entries queued while no URL was set are not delivered later
        set_webhook_url(self.db, r.url)
        d, notes, _ = await self.checkin("13811110302")
        bodies = await r.wait_for(lambda b: any(x["seq"] == notes[0]["seq"] for x in b))
        self.assertTrue(all(b["seq"] >= notes[0]["seq"] for b in bodies), bodies)

    def tls_receiver(self, which):
        r = WebhookReceiver()
        self.receivers.append(r)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*self.certs[which])
        r.server.socket = ctx.wrap_socket(r.server.socket, server_side=True)
        return r

    async def test_16_5_https_receivers_are_verified_against_the_ca_store(self):
        retries0 = metric(self.hub.port, "showfloor_webhook_deliveries_total", {"result": "retry"})
        # a certificate no trusted CA signed: refused, nothing is sent
        bad = self.tls_receiver("untrusted")
        set_webhook_url(self.db, f"https://localhost:{bad.port}/tls")
        await self.checkin("13811110401")
        deadline = time.monotonic() + 5
        while metric(self.hub.port, "showfloor_webhook_deliveries_total",
                     {"result": "retry"}) == retries0 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        self.assertGreater(metric(self.hub.port, "showfloor_webhook_deliveries_total",
                                  {"result": "retry"}), retries0,
                           "a self-signed receiver must fail verification")
        self.assertEqual(bad.posts, [])
        # one the CA store trusts (the hub runs with SSL_CERT_FILE naming it), by host name
        good = self.tls_receiver("trusted")
        set_webhook_url(self.db, f"https://localhost:{good.port}/tls")
        _, notes, _ = await self.checkin("13811110402")
        await good.wait_for(lambda b: any(x["seq"] == notes[0]["seq"] for x in b), timeout=15)
        self.assertEqual(bad.posts, [])
        cli(self.db, "site", "set", "--site", "SH01", "--key", "webhook_url", "--value", "")

    async def test_16_6_metrics_list_every_outcome(self):
        for result in ("delivered", "retry", "failed"):
            status, _, text = self.hub.http_get("/metrics")
            self.assertEqual(status, 200)
            self.assertIn(f'showfloor_webhook_deliveries_total{{result="{result}"}}', text)
        self.assertIn("# TYPE showfloor_webhook_deliveries_total counter", text)


if __name__ == "__main__":
    unittest.main()

"""22. Erasure (issue 6, PROTOCOL.md "Personal data"): a customer erased through
`showfloor customer erase` leaves no readable trace of themselves in the database, its WAL,
the key store or its WAL (no phone digits, no name, no masked phone, none of the sealed
blobs or the wrapped key read before); `showfloor customer export` of another customer
still works; and a backup taken before the erasure, restored with the live key store, reads
the erased customer as erased and everyone else as before.

One hub on a fresh database with the Site fixture plus a manager and an `api` device.
"""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import unittest

from hubtest import CLI, Api, KillCase, api_ok, cli, refused_port, staff_api

PHONE_A = "13912345678"  # the customer to erase
NAME_A = "欧阳娜娜"
MASKED_A = "139****5678"
MASKED_NAME_A = "欧阳女士"  # how notifications and public screens named her
PHONE_B = "13887654321"  # a customer who stays
NAME_B = "司马光明"
MANAGER, MANAGER_PIN = "M001", "1357"


def raw(path):
    """The bytes of a file, b"" when it does not exist."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def query(path, sql, *args):
    """Rows of one query on a SQLite file, opened read-only and closed at once."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


class ErasureTest(KillCase):

    def setUp(self):
        super().setUp()
        cli(self.db, "staff", "add", "--site", "SH01", "--no", MANAGER, "--name", "赵经理",
            "--role", "manager", "--pin", MANAGER_PIN)
        self.api_token = self.site.add_device("api", "Back office")
        self.token_file = os.path.join(self.tmp, "api.token")
        with open(self.token_file, "w") as f:
            f.write(self.api_token + "\n")
        os.chmod(self.token_file, 0o600)

    def stop_hub(self, h):
        code = h.stop()
        log = h.log_text()
        self.assertEqual(code, 0, log[-4000:])
        self.assertNotIn("ERROR: AddressSanitizer", log)
        self.assertNotIn("runtime error:", log)

    def customer_cli(self, port, *args, stdin=subprocess.DEVNULL):
        """`showfloor customer ...` as the manager through the hub at port."""
        cmd = [CLI, "--hub", f"http://127.0.0.1:{port}", "--token-file", self.token_file,
               "--staff", MANAGER, "--pin", MANAGER_PIN, "customer", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=stdin)

    async def populate(self, hub):
        """Check-ins of A and B, an order and a lead of A; returns A's order number."""
        api = staff_api(hub.port, self.site.tokens["board"], "S001", "1234")
        rec = Api(hub.port, self.site.tokens["reception"])  # check-ins need no login
        for phone, name in ((PHONE_A, NAME_A), (PHONE_B, NAME_B)):
            await api_ok(rec, "checkin", {"phone": phone, "consent": True, "name": name,
                                          "gender": "female"})
        order = await api_ok(api, "order_create", {
            "phone": PHONE_A, "customer_name": NAME_A, "model": "HX7", "colour": "珍珠白",
            "quantity": 1, "unit_price_fen": 18980000, "payment": "full",
            "channel": "showroom"})
        await api_ok(api, "lead_create", {"phone": PHONE_A, "channel": "phone_in",
                                          "model": "HX7"})
        return order["order"]["order_no"]

    async def test_22_erasure_leaves_nothing_readable(self):
        hub = self.start_hub(self.db)
        order_no = await self.populate(hub)

        # the export names the customer; the CLI writes it for its owner only
        out = os.path.join(self.tmp, "a.json")
        p = self.customer_cli(hub.port, "export", PHONE_A, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        with open(out, encoding="utf-8") as f:
            export = json.load(f)
        a_id = export["customer"]["id"]
        self.assertEqual(export["customer"]["phone"], PHONE_A)
        self.assertEqual(export["customer"]["name"], NAME_A)
        self.assertIsNotNone(export["consent"]["at"])
        self.assertEqual(export["consent"]["purpose"], "checkin")  # ticked at the kiosk
        self.assertEqual([o["order_no"] for o in export["orders"]], [order_no])
        self.assertEqual(len(export["visits"]), 1)
        self.assertGreaterEqual(len(export["leads"]), 1)
        # by id, on stdout, the same customer
        p = self.customer_cli(hub.port, "export", "--id", str(a_id))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["customer"]["phone"], PHONE_A)
        # both exports are in the access log
        p = self.customer_cli(hub.port, "export", "--id", str(a_id))
        whats = [e["what"] for e in json.loads(p.stdout)["access_log"]]
        self.assertGreaterEqual(whats.count("customer_export"), 2, whats)

        # what the erasure must destroy, read before it
        (key_id, sealed_phone, sealed_name), = query(
            self.db, "SELECT key_id, phone, name FROM customers WHERE id = ?", a_id)
        self.assertIsNotNone(key_id)
        self.assertIsInstance(sealed_phone, bytes)
        self.assertNotIn(PHONE_A.encode(), sealed_phone)
        keystore = self.db + ".keystore"
        (wrapped,), = query(keystore, "SELECT wrapped FROM keys WHERE id = ?", key_id)
        self.assertGreaterEqual(len(wrapped), 32)
        (b_id,), = query(self.db, "SELECT id FROM customers WHERE id <> ? AND erased_at = 0",
                         a_id)

        # a backup before the erasure
        backup = os.path.join(self.tmp, "before.backup")
        cli(self.db, "backup", "--out", backup)

        wal_before = len(raw(self.db + "-wal"))
        self.assertGreater(wal_before, 0)
        # the masked forms are there before (events, a notification's text, stored results)
        held = raw(self.db) + raw(self.db + "-wal")
        self.assertIn(MASKED_NAME_A.encode("utf-8"), held)
        self.assertIn(MASKED_A.encode(), held)
        # erase: refused without --yes off a terminal, refused to a consultant, then done
        p = self.customer_cli(hub.port, "erase", PHONE_A, "--reason", "客户书面申请删除")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--yes", p.stderr)
        cmd = [CLI, "--hub", f"http://127.0.0.1:{hub.port}", "--token-file", self.token_file,
               "--staff", "S001", "--pin", "1234", "customer", "erase", PHONE_A, "--reason",
               "x", "--yes"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("forbidden", p.stderr)
        self.assertEqual(query(self.db, "SELECT erased_at FROM customers WHERE id = ?", a_id),
                         [(0,)])
        p = self.customer_cli(hub.port, "erase", PHONE_A, "--reason", "客户书面申请删除",
                              "--yes", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        res = json.loads(p.stdout)
        self.assertEqual(res["customer_id"], a_id)
        self.assertGreater(res["scrubbed"], 0)
        # the hub truncated its WAL after the commit (later requests, such as the CLI's
        # logout recording the device's last-seen time, may have started it again)
        self.assertLess(len(raw(self.db + "-wal")), wal_before)
        self.assertNotIn("checkpoint after an erasure deferred", hub.log_text())
        # a second erasure is refused
        p = self.customer_cli(hub.port, "erase", "--id", str(a_id), "--reason", "again", "--yes")
        self.assertEqual(p.returncode, 1)
        self.assertIn("invalid_state", p.stderr)
        # another customer's export still works, A's shows an erased record
        p = self.customer_cli(hub.port, "export", PHONE_B)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["customer"]["name"], NAME_B)
        p = self.customer_cli(hub.port, "export", "--id", str(a_id))
        erased = json.loads(p.stdout)["customer"]
        self.assertIsNone(erased["phone"])
        self.assertIsNone(erased["name"])
        self.assertEqual(erased["erased_at"], res["erased_at"])

        # the raw bytes: while the hub runs, and after it stopped
        needles = {
            "phone digits": PHONE_A.encode(),
            "name": NAME_A.encode("utf-8"),
            "masked phone": MASKED_A.encode(),
            "masked name": MASKED_NAME_A.encode("utf-8"),
            "sealed phone": sealed_phone,
            "sealed name": sealed_name,
            "wrapped key": wrapped,
        }
        files = [self.db, self.db + "-wal", keystore, keystore + "-wal"]

        def assert_clean(when):
            for path in files:
                data = raw(path)
                for what, needle in needles.items():
                    at = data.find(needle)
                    self.assertEqual(at, -1, f"{when}: {what} of the erased customer in "
                                             f"{os.path.basename(path)} at byte {at}: "
                                             f"{data[max(0, at - 300):at + 100]!r}")
        assert_clean("hub running")
        self.stop_hub(hub)
        assert_clean("hub stopped")
        # B's data is still there (sealed, so not in the clear either)
        self.assertNotIn(PHONE_B.encode(), raw(self.db))

        # restore the pre-erasure backup into a scratch path with the live keys
        scratch = os.path.join(self.tmp, "scratch")
        os.mkdir(scratch)
        sdb = os.path.join(scratch, "restored.db")
        shutil.copy(self.db + ".data-key", sdb + ".data-key")
        os.chmod(sdb + ".data-key", 0o600)
        shutil.copy(keystore, sdb + ".keystore")
        if os.path.exists(keystore + "-wal"):
            shutil.copy(keystore + "-wal", sdb + ".keystore-wal")
        p = subprocess.run([CLI, "--db", sdb, "restore", backup], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = dict((r[0], r[1:]) for r in query(
            sdb, "SELECT id, erased_at, phone IS NULL, name IS NULL, phone_hash IS NULL"
                 " FROM customers"))
        self.assertNotEqual(rows[a_id][0], 0, "the erased customer reads as erased")
        self.assertEqual(rows[a_id][1:], (1, 1, 1))
        self.assertEqual(rows[b_id], (0, 0, 0, 0))
        # through a hub on the restored copy: B readable by phone, A gone by phone, erased by id
        hub2 = self.start_hub(sdb)
        p = self.customer_cli(hub2.port, "export", PHONE_B)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["customer"]["name"], NAME_B)
        p = self.customer_cli(hub2.port, "export", PHONE_A)
        self.assertEqual(p.returncode, 1)
        self.assertIn("not_found", p.stderr)
        p = self.customer_cli(hub2.port, "export", "--id", str(a_id))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIsNone(json.loads(p.stdout)["customer"]["name"])
        self.stop_hub(hub2)
        # the sweep that completed the erasure on the restored copy took the masked forms out
        # too (notification texts included), though her name could no longer be read
        for path in (sdb, sdb + "-wal"):
            data = raw(path)
            for what, needle in (("masked name", MASKED_NAME_A.encode("utf-8")),
                                 ("masked phone", MASKED_A.encode())):
                self.assertEqual(data.find(needle), -1, f"restored copy: {what} in {path}")

    def test_22_cli_usage_and_unreachable_hub(self):
        port = refused_port()
        p = self.customer_cli(port, "export", PHONE_B)
        self.assertEqual(p.returncode, 3, p.stderr)
        p = self.customer_cli(port, "erase", PHONE_B, "--reason", "r", "--yes")
        self.assertEqual(p.returncode, 3, p.stderr)
        for args in (("export",), ("export", PHONE_B, "--id", "3"), ("erase", PHONE_B),
                     ("erase", "--id", "0", "--reason", "r"), ("export", PHONE_B, "--reason", "r"),
                     ("shred", PHONE_B)):
            p = self.customer_cli(port, *args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))


if __name__ == "__main__":
    unittest.main()

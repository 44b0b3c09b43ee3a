"""`showfloor delivery verify|pubkey`, black-box: an order is delivered through the CLI and
the hub's HTTP API, then its stored record is altered one byte at a time with the sqlite3
shell (dropping the trigger that refuses UPDATE, as anyone with the file could): every
change makes verify exit 1, the untouched record exits 0, and so does nothing but the
hub's own key."""
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from hubtest import CLI, Hub, Site, api_cli, cli  # noqa: E402

PINS = {"S001": "1234", "S003": "3579", "S004": "4680", "S005": "5791"}
PNG = "ab" * 32
SIGNATURE = json.dumps({"strokes": [[[0, 0, 0], [40, 12, 16]], [[10, 50, 400]]],
                        "png_sha256": PNG})
SQLITE3 = shutil.which("sqlite3")


def one_byte_changed(raw, json_text):
    """raw with one letter or digit from the middle on replaced; for a JSON column, one whose
    change leaves valid JSON (the schema CHECKs json_valid), so only the seal can tell."""
    for k in range(len(raw) // 2, len(raw)):
        c = chr(raw[k])
        if not (c.isascii() and c.isalnum()):
            continue
        new = ("1" if c != "1" else "2") if c.isdigit() else ("a" if c != "a" else "b")
        out = raw[:k] + new.encode() + raw[k + 1:]
        if json_text:
            try:
                json.loads(out.decode())
            except ValueError:
                continue
        return bytearray(out)
    raise AssertionError(f"nothing to change in {raw!r}")


class DeliveryVerify(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="showfloor-delivery-")
        cls.db = os.path.join(cls.tmp, "showfloor.db")
        site = Site(cls.db)
        for no, name, role in (("S003", "王强", "supervisor"), ("S004", "刘芳", "manager"),
                               ("S005", "陈静", "finance")):
            cli(cls.db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", PINS[no])
        token_file = os.path.join(cls.tmp, "api.token")
        with open(token_file, "w") as f:
            f.write(site.add_device("api", "CLI") + "\n")
        hub = Hub(cls.db, cls.tmp)
        try:
            cls.order_no = cls.deliver(hub.port, token_file)
        finally:
            code = hub.stop()
        assert code == 0, hub.log_text()[-4000:]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def deliver(port, token_file):
        def order(staff, *args):
            p = api_cli(port, token_file, staff, PINS[staff], "order", *args, "--json")
            assert p.returncode == 0, f"order {args}: {p.stderr}"
            out = json.loads(p.stdout)
            return (out["data"] if "type" in out else out)["order"]

        no = order("S001", "create", "--phone", "13912345678", "--customer", "欧阳娜娜",
                   "--gender", "female", "--model", "HX7", "--colour", "珍珠白",
                   "--quantity", "1", "--unit-price-fen", "18980000", "--channel", "showroom",
                   "--payment", "full")["order_no"]
        order("S003", "review", no, "--pass")
        order("S004", "approve", no, "--approve")
        eta = str(int(time.time() * 1000) + 10 * 24 * 3600 * 1000)
        order("S003", "allocate", no, "--factory-eta", eta)
        order("S003", "arrived", no, "--vin", "LSVAU2180N2183001")
        for step in ("cleaning", "inspection", "maintenance"):
            order("S001", "prep", no, "--step", step)
        order("S005", "pay", no, "--amount-fen", "18980000", "--kind", "balance",
              "--reference", "POS-1")
        order("S005", "invoice", no, "--invoice-no", "INV-1")
        order("S001", "ready", no, "--at", "2026-12-20 14:30", "--place", "交车区 1")
        got = order("S001", "deliver", no, "--signature", SIGNATURE, "--rating", "4",
                    "--comment", "很满意 thank you")
        assert got["stage"] == "delivered", got
        return no

    def run_cli(self, *args):
        return subprocess.run([CLI, "--db", self.db, *args], capture_output=True, text=True,
                              timeout=60)

    def verify(self, *extra):
        return self.run_cli("delivery", "verify", self.order_no, *extra)

    def sql(self, statement):
        """Runs SQL through the sqlite3 shell when installed (Python's module otherwise)."""
        if SQLITE3:
            p = subprocess.run([SQLITE3, self.db, statement], capture_output=True, text=True,
                               timeout=30)
            self.assertEqual(p.returncode, 0, p.stderr)
            return p.stdout.strip()
        with sqlite3.connect(self.db) as con:
            rows = con.execute(statement).fetchall()
        return "\n".join("|".join(str(v) for v in r) for r in rows)

    def test_1_key_file_beside_the_database_owner_only(self):
        key = self.db + ".signing-key"
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        with open(key) as f:
            seed = f.read().strip()
        with open(self.db, "rb") as f:
            stored = f.read()
        self.assertNotIn(seed.encode(), stored)  # neither the text nor the raw seed
        self.assertNotIn(bytes.fromhex(seed), stored)
        p = self.run_cli("delivery", "pubkey")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.strip(), r"^[0-9a-f]{64}$")

    def test_2_untouched_record_verifies(self):
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("ok " + self.order_no), p.stdout)
        p = self.run_cli("delivery", "verify", "NO-SUCH-ORDER")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(self.run_cli("delivery", "frobnicate").returncode, 2)

    def test_3_any_changed_byte_fails(self):
        self.sql("DROP TRIGGER IF EXISTS signoffs_never_updated")
        row = self.sql("SELECT id FROM signoffs")
        self.assertEqual(row, "1")
        columns = {"checklist": "text", "strokes": "text", "png_sha256": "text",
                   "comment": "text", "hash": "text", "at": "int", "rating": "int",
                   "staff_id": "int", "device_id": "int", "order_id": "int", "id": "int"}
        for col, kind in columns.items():
            with self.subTest(column=col):
                if kind == "int":
                    self.sql(f"UPDATE signoffs SET {col} = {col} + 1")
                    undo = f"UPDATE signoffs SET {col} = {col} - 1"
                else:
                    old = self.sql(f"SELECT hex({col}) FROM signoffs")
                    raw = one_byte_changed(bytes.fromhex(old), col in ("checklist", "strokes"))
                    self.sql(f"UPDATE signoffs SET {col} = CAST(x'{raw.hex()}' AS TEXT)")
                    undo = f"UPDATE signoffs SET {col} = CAST(x'{old}' AS TEXT)"
                p = self.verify()
                self.assertEqual(p.returncode, 1, f"{col} changed: {p.stdout}{p.stderr}")
                self.sql(undo)
                p = self.verify()
                self.assertEqual(p.returncode, 0, f"{col} restored: {p.stderr}")

        # the signature, in the delivery's audit record
        after = self.sql("SELECT hex(after) FROM audit WHERE action = 'order_deliver'")
        text = bytes.fromhex(after).decode()
        m = re.search(r'"sig":"([0-9a-f]{128})"', text)
        self.assertIsNotNone(m, text)
        sig = m.group(1)
        bad = sig[:40] + ("0" if sig[40] != "0" else "1") + sig[41:]
        changed = text.replace(sig, bad).encode().hex()
        self.sql(f"UPDATE audit SET after = CAST(x'{changed}' AS TEXT)"
                 " WHERE action = 'order_deliver'")
        p = self.verify()
        self.assertEqual(p.returncode, 1)
        self.assertIn("signature", p.stderr)
        self.sql(f"UPDATE audit SET after = CAST(x'{after}' AS TEXT)"
                 " WHERE action = 'order_deliver'")
        self.assertEqual(self.verify().returncode, 0)

    def test_4_wrong_or_loose_key_fails(self):
        other = os.path.join(self.tmp, "other.key")
        fd = os.open(other, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, (os.urandom(32).hex() + "\n").encode())
        os.close(fd)
        p = self.verify("--key", other)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Ed25519", p.stderr)
        # the hub's own key, but readable by others: refused before it is used
        loose = os.path.join(self.tmp, "loose.key")
        shutil.copyfile(self.db + ".signing-key", loose)
        os.chmod(loose, 0o644)
        p = self.verify("--key", loose)
        self.assertEqual(p.returncode, 1)
        self.assertIn("chmod 600", p.stderr)
        os.chmod(loose, 0o600)
        self.assertEqual(self.verify("--key", loose).returncode, 0)
        p = self.verify("--key", os.path.join(self.tmp, "missing.key"))
        self.assertEqual(p.returncode, 1)


if __name__ == "__main__":
    unittest.main()

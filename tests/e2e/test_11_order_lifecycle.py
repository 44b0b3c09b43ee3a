"""11. The order life cycle walked through the admin CLI (`showfloor order ...` over the HTTP
API) against a real hub, while a board kiosk sees every step live and a status kiosk sees
only the masked wall view: the full path with a failed review, an edit and a resubmission;
a loan order; a cancellation with a refund; and a breached time limit pushed to the board
when the clock moves (issue 3, "Done means")."""

import asyncio
import json
import os
import time
import unittest

from hubtest import Hub, HubCase, Site, api_cli, cli

PINS = {"S001": "1234", "S003": "3579", "S004": "4680", "S005": "5791"}
SIGNATURE = json.dumps({"strokes": [[[0, 0, 0], [40, 12, 16], [80, 30, 33]],
                                    [[10, 50, 400], [90, 52, 430]]]})
HOUR_MS = 3600 * 1000


class LifecycleSite(Site):
    """The e2e site with the roles an order needs and an `api` device for the CLI."""

    def __init__(self, db, tmp):
        super().__init__(db)
        for no, name, role in (("S003", "王强", "supervisor"), ("S004", "刘芳", "manager"),
                               ("S005", "陈静", "finance")):
            cli(db, "staff", "add", "--site", "SH01", "--no", no, "--name", name,
                "--role", role, "--pin", PINS[no])
        self.token_file = os.path.join(tmp, "api.token")
        with open(self.token_file, "w") as f:
            f.write(self.add_device("api", "CLI") + "\n")


class Lifecycle(HubCase):
    @classmethod
    def populate(cls, db):
        return LifecycleSite(db, cls.tmp)

    async def asyncSetUp(self):
        self.board = await self.connect("board")
        await self.subscribe(self.board)
        await self.board.recv_type("snapshot")
        self.status = await self.connect("status")
        await self.subscribe(self.status)
        await self.status.recv_type("snapshot")
        self.secrets = []  # full phone numbers and names that no kiosk may ever see

    async def asyncTearDown(self):
        for c in (self.board, self.status):
            for text in c.raw:
                for s in self.secrets:
                    self.assertNotIn(s, text, "unmasked personal data on a kiosk")
            await c.close()

    async def run_cli(self, staff, *args, port=None):
        return await asyncio.to_thread(api_cli, port or self.hub.port,
                                       self.site.token_file, staff, PINS[staff], "order", *args)

    async def order(self, staff, *args, port=None):
        """A CLI command that must succeed; returns the result data (--json)."""
        p = await self.run_cli(staff, *args, "--json", port=port)
        self.assertEqual(p.returncode, 0, f"order {' '.join(args)}: {p.stderr}")
        out = json.loads(p.stdout)
        return out["data"] if "type" in out else out

    async def step(self, staff, *args, stage, kind="order.updated"):
        """One command: the order reaches `stage`, the board is told with the full (masked)
        order and the status kiosk with the wall view only."""
        data = await self.order(staff, *args)
        order = data["order"]
        self.assertEqual(order["stage"], stage, args)
        # a command may announce several changes; the last one shows the committed state
        ev = await self.event(self.board, order["order_no"], kind,
                              updated_at=order["updated_at"], stage=stage)
        wall = await self.wall_event(order["order_no"], kind,
                                     ev["data"]["order"]["public_stage"])
        self.assertEqual(set(wall) - {"ref", "model", "public_stage", "delivery_at",
                                      "delivery_place"}, set(), wall)
        return order, wall

    async def event(self, client, order_no, kind, timeout=5, updated_at=None, stage=None):
        """The next event of `kind` about the order (at its `updated_at` and in `stage` when
        given: one command may announce a payment and then the stage it led to)."""
        deadline = time.monotonic() + timeout
        while True:
            ev = await client.recv_type("event", max(0.1, deadline - time.monotonic()))
            o = ev["data"].get("order") or {}
            if ev["kind"] == kind and (o.get("order_no") == order_no or
                                       ev["data"].get("order_no") == order_no) and \
                    (updated_at is None or o.get("updated_at") == updated_at) and \
                    (stage is None or o.get("stage") == stage):
                return ev

    async def wall_event(self, order_no, kind, public_stage, timeout=5):
        ref = "…" + order_no[-4:]
        deadline = time.monotonic() + timeout
        while True:
            ev = await self.status.recv_type("event", max(0.1, deadline - time.monotonic()))
            self.assertNotIn("order", ev["data"], "a status kiosk never gets the staff view")
            wall = ev["data"].get("wall", {})
            if ev["kind"] == kind and wall.get("ref") == ref and \
                    wall.get("public_stage") == public_stage:
                return wall

    async def create(self, phone, name, *extra):
        self.secrets += [phone, name]
        order, wall = await self.step(
            "S001", "create", "--phone", phone, "--customer", name, "--gender", "female",
            "--model", "HX7", "--colour", "珍珠白", "--quantity", "1", "--unit-price-fen",
            "18980000", "--channel", "showroom", *extra, stage="entered", kind="order.created")
        self.assertEqual(wall["public_stage"], "ordered")
        return order["order_no"]

    async def test_11_1_entry_to_closed_through_the_cli(self):
        no = await self.create("13912345678", "欧阳娜娜", "--payment", "full")
        p = await self.run_cli("S003", "review", no, "--fail")
        self.assertEqual(p.returncode, 1, "a failed review needs a reason: " + p.stderr)
        self.assertIn("reason", p.stderr)
        await self.step("S003", "review", no, "--fail", "--reason", "身份证复印件缺失",
                        stage="returned")
        order, _ = await self.step("S001", "edit", no, "--colour", "星空灰", stage="returned")
        self.assertEqual(order["colour"], "星空灰")
        await self.step("S001", "resubmit", no, stage="entered")
        await self.step("S003", "review", no, "--pass", stage="reviewed")
        p = await self.run_cli("S001", "approve", no, "--approve")
        self.assertEqual(p.returncode, 1, "a consultant may not approve")
        self.assertIn("forbidden", p.stderr)
        await self.step("S004", "approve", no, "--approve", stage="approved")
        eta = str(int(time.time() * 1000) + 10 * 24 * HOUR_MS)
        order, _ = await self.step("S003", "allocate", no, "--factory-eta", eta,
                                   stage="allocated")
        self.assertEqual(order["alloc_kind"], "factory")
        order, _ = await self.step("S003", "arrived", no, "--vin", "LSVAU2180N2183001",
                                   stage="allocated")
        self.assertEqual(order["vin"], "LSVAU2180N2183001")
        for step in ("cleaning", "inspection", "maintenance"):
            order, _ = await self.step("S001", "prep", no, "--step", step, stage="allocated")
            self.assertTrue(order[f"prep_{step}"])
        p = await self.run_cli("S001", "ready", no, "--at", "2026-12-20 14:30", "--place", "交车区 1")
        self.assertEqual(p.returncode, 1, "not ready before the money is in: " + p.stderr)
        self.assertIn("invalid_state", p.stderr)
        await self.step("S005", "pay", no, "--amount-fen", "18980000", "--kind", "balance",
                        "--reference", "POS-88001", stage="paid")
        order, _ = await self.step("S005", "invoice", no, "--invoice-no", "INV-2026-0001",
                                   stage="paid")
        self.assertEqual(order["invoice_no"], "INV-2026-0001")
        order, wall = await self.step("S001", "ready", no, "--at", "2026-12-20 14:30",
                                      "--place", "交车区 1", stage="ready")
        self.assertEqual(wall["delivery_place"], "交车区 1")
        self.assertEqual(wall["delivery_at"], 1797748200000)  # 14:30 China Standard Time
        self.assertEqual(wall["public_stage"], "ready")
        await self.step("S001", "deliver", no, "--signature", SIGNATURE, "--rating", "5",
                        stage="delivered")
        order, wall = await self.step("S004", "close", no, stage="closed")
        self.assertEqual(wall["public_stage"], "delivered")

        got = await self.order("S001", "get", no)
        actions = [a["action"] for a in got["audit"]]
        self.assertGreaterEqual(len(actions), 14, actions)
        self.assertIsNotNone(got["signoff"])
        page = await self.order("S001", "list", "--stage", "closed")
        self.assertIn(no, [o["order_no"] for o in page["orders"]])
        # the human summary names the order and its stage
        p = await self.run_cli("S001", "get", no)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(no, p.stdout)
        self.assertIn("closed", p.stdout)

    async def test_11_2_loan_order(self):
        no = await self.create("13812340001", "李雷", "--payment", "loan")
        await self.step("S003", "review", no, "--pass", stage="reviewed")
        await self.step("S004", "approve", no, "--approve", stage="approved")
        for step in ("documents", "bank_approved"):
            await self.step("S001", "loan", no, "--step", step, stage="approved")
        p = await self.run_cli("S001", "loan", no, "--step", "documents")
        self.assertEqual(p.returncode, 1, p.stderr)  # steps go in order, once each
        await self.step("S003", "allocate", no, "--factory-eta",
                        str(int(time.time() * 1000) + 20 * 24 * HOUR_MS), stage="allocated")
        await self.step("S001", "loan", no, "--step", "contract_signed", stage="allocated")
        await self.step("S005", "pay", no, "--amount-fen", "5694000", "--kind", "down_payment",
                        "--reference", "POS-90001", stage="allocated")
        p = await self.run_cli("S005", "pay", no, "--amount-fen", "99999999", "--kind",
                               "loan_disbursement", "--reference", "BANK-1")
        self.assertEqual(p.returncode, 1, "never more than the total: " + p.stderr)
        order, _ = await self.step("S005", "pay", no, "--amount-fen", "13286000", "--kind",
                                   "loan_disbursement", "--reference", "BANK-7781",
                                   stage="paid")
        self.assertEqual(order["paid_fen"], 18980000)

    async def test_11_3_cancellation_with_refund(self):
        no = await self.create("13812340002", "韩梅梅", "--payment", "full")
        await self.step("S003", "review", no, "--pass", stage="reviewed")
        await self.step("S004", "approve", no, "--approve", stage="approved")
        await self.step("S005", "pay", no, "--amount-fen", "500000", "--kind", "deposit",
                        "--reference", "POS-77001", stage="approved")
        await self.step("S001", "cancel", no, "--reason", "客户改买其他车型", stage="approved")
        await self.step("S003", "cancel-review", no, "--approve", "--needs-manager",
                        stage="approved")
        order, wall = await self.step("S004", "cancel-approve", no, "--approve",
                                      stage="cancelled")
        self.assertEqual(order["refund_due_fen"], 500000)
        self.assertEqual(wall["public_stage"], "cancelled")
        order, _ = await self.step("S005", "refund", no, "--amount-fen", "500000", "--reference",
                                   "RF-1", stage="cancelled")
        self.assertEqual(order["refunded_fen"], 500000)

    async def test_11_4_retry_with_the_same_command_id(self):
        no = await self.create("13812340003", "张三丰", "--payment", "full")
        p1 = await self.run_cli("S003", "review", no, "--pass", "--id", "cli-retry-1", "--json")
        p2 = await self.run_cli("S003", "review", no, "--pass", "--id", "cli-retry-1", "--json")
        self.assertEqual((p1.returncode, p2.returncode), (0, 0), p2.stderr)
        # the stored first result keeps the customer masked (hub/PRIVACY.md)
        o1, o2 = json.loads(p1.stdout), json.loads(p2.stdout)
        d1, d2 = (o.get("data", o)["order"] for o in (o1, o2))
        c1, c2 = d1.pop("customer"), d2.pop("customer")
        self.assertEqual(o1, o2, "a retry returns the first result")
        self.assertEqual((c2["id"], c2["phone"], c2["name"]), (c1["id"], "138****0003", "张女士"))
        self.assertIn("cli-retry-1", p1.stderr)
        p3 = await self.run_cli("S003", "review", no, "--fail", "--reason", "x", "--id",
                                "cli-retry-1")
        self.assertEqual(p3.returncode, 1)
        self.assertIn("id_reused", p3.stderr)

    async def test_11_5_cli_exit_codes(self):
        p = await self.run_cli("S001", "frobnicate")
        self.assertEqual(p.returncode, 2)
        p = await self.run_cli("S001", "get")
        self.assertEqual(p.returncode, 2)
        p = await self.run_cli("S001", "get", "SF0000-0000")
        self.assertEqual(p.returncode, 1)
        self.assertIn("not_found", p.stderr)
        p = await asyncio.to_thread(api_cli, self.hub.port, self.site.token_file, "S001", "0000",
                                    "order", "list")
        self.assertEqual(p.returncode, 1)
        self.assertIn("staff_login_failed", p.stderr)
        dead = "http://127.0.0.1:9"
        p = await asyncio.to_thread(api_cli, 9, self.site.token_file, "S001", "1234",
                                    "order", "list")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn(dead, p.stderr)

    async def test_11_6_breached_time_limit_reaches_the_board(self):
        no = await self.create("13812340004", "周芷若", "--payment", "full")
        # A second hub on the same database, its clock 5 hours ahead, past the 4 hours an
        # initial review may take; its timer records the breach and this hub pushes it.
        ini = os.path.join(self.tmp, "ahead.ini")
        with open(ini, "w") as f:
            f.write("[hub]\nsla_check_seconds = 1\n")
        os.environ["SHOWFLOOR_CLOCK_OFFSET_MS"] = str(5 * HOUR_MS)
        try:
            ahead = Hub(self.db, self.tmp, config=ini)
        finally:
            del os.environ["SHOWFLOOR_CLOCK_OFFSET_MS"]
        try:
            ev = await self.event(self.board, no, "order.sla_breached", timeout=10)
        finally:
            code = ahead.stop()
            log = ahead.log_text()
            self.assertEqual(code, 0, log[-3000:])
            self.assertNotIn("runtime error:", log)
            self.assertNotIn("ERROR: AddressSanitizer", log)
        self.assertEqual(ev["data"]["kind"], "initial_review", ev)
        self.assertIsInstance(ev["data"]["due_at"], int)
        got = await self.order("S001", "get", no)
        self.assertIn("initial_review", json.dumps(got["order"]["sla_breaches"]))


if __name__ == "__main__":
    unittest.main()

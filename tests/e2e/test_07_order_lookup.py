"""7. Order lookup on a status kiosk: the public view of an order, and one `not_found` for a
wrong number and a wrong phone tail alike (PROTOCOL.md "order_lookup", "PublicOrder")."""

import unittest

from hubtest import HubCase, Site, cli


class OrderLookup(HubCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_no = cli(cls.db, "order", "add", "--site", "SH01", "--phone", "13812341234",
                           "--customer", "刘芳", "--gender", "female", "--model", "HX7",
                           "--colour", "珍珠白", "--stage", "allocated", "--payment", "full",
                           "--total-fen", "18980000")

    async def asyncSetUp(self):
        self.c = await self.connect("status")

    async def asyncTearDown(self):
        await self.c.close()

    async def test_7_1_lookup_gives_the_public_order(self):
        self.assertTrue(self.order_no)
        res = await self.c.request("order_lookup",
                                   {"order_no": self.order_no, "phone_last4": "1234"})
        self.assertIs(res["ok"], True, res)
        o = res["data"]["order"]
        self.assertEqual(o["order_no"], self.order_no)
        self.assertEqual(o["customer_name"], "刘女士")
        self.assertEqual(o["model"], "星河 7")
        self.assertEqual(o["colour"], "珍珠白")
        self.assertEqual(o["public_stage"], "payment")
        stages = [t["stage"] for t in o["timeline"]]
        self.assertEqual(stages, ["ordered", "vehicle", "payment", "ready", "delivered"])
        states = [t["state"] for t in o["timeline"]]
        self.assertEqual(states, ["done", "done", "current", "todo", "todo"])
        self.assertIn("pay_balance", o["todo"])
        raw = self.c.raw[-1]
        self.assertNotIn("13812341234", raw)
        self.assertNotIn("刘芳", raw)

    async def test_7_2_wrong_phone_tail_is_not_found(self):
        res = await self.c.request("order_lookup",
                                   {"order_no": self.order_no, "phone_last4": "4321"})
        self.assertError(res, "not_found")

    async def test_7_3_unknown_order_is_the_same_not_found(self):
        wrong_tail = await self.c.request("order_lookup",
                                          {"order_no": self.order_no, "phone_last4": "0000"})
        unknown = await self.c.request("order_lookup",
                                       {"order_no": "SF0000-9999", "phone_last4": "1234"})
        self.assertError(unknown, "not_found")
        self.assertEqual(unknown["error"], wrong_tail["error"])

    async def test_7_4_phone_last4_must_be_four_digits(self):
        res = await self.c.request("order_lookup",
                                   {"order_no": self.order_no, "phone_last4": "12a4"})
        self.assertIs(res["ok"], False)
        self.assertEqual(res["error"].get("field"), "phone_last4", res)


class DemoData(HubCase):
    """The demo data set is served like any other: lookups against one of its orders."""

    @classmethod
    def populate(cls, db):
        cli(db, "init")
        cli(db, "demo-data", "--seed", "7")
        return Site(db, create_site=False)

    async def test_7_10_demo_board_snapshot_has_orders(self):
        c = await self.connect("board")
        await self.subscribe(c, 0)
        snap = await c.recv_type("snapshot")
        self.assertGreater(len(snap["state"]["orders"]), 0)
        for o in snap["state"]["orders"]:
            self.assertRegex(o["customer"]["phone"], r"\*{4}")
        await c.close()


if __name__ == "__main__":
    unittest.main()

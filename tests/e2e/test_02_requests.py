"""2. Requests: every request gets exactly one result; frames that cannot be decoded get the
documented error code, addressed by id when one could be read (PROTOCOL.md "Requests and
results", "Limits", "Error codes"); the mode table decides who may send what."""

import json
import unittest

import websockets.exceptions

from hubtest import HubCase, now_ms


class Requests(HubCase):
    async def asyncSetUp(self):
        self.c = await self.connect("reception")

    async def asyncTearDown(self):
        await self.c.close()

    async def test_2_1_ping_answers_with_the_hub_clock(self):
        res = await self.c.request("ping", rid="p-1")
        self.assertEqual(res["id"], "p-1")
        self.assertIs(res["ok"], True)
        self.assertIsInstance(res["data"]["now"], int)
        self.assertLess(abs(res["data"]["now"] - now_ms()), 60_000)

    async def test_2_2_malformed_json_gets_bad_json_with_null_id(self):
        await self.c.send('{"type":"ping","id":"x"')
        res = await self.c.recv()
        self.assertError(res, "bad_json")
        self.assertIsNone(res["id"])

    async def test_2_3_not_an_object_gets_bad_json(self):
        await self.c.send("[1,2,3]")
        self.assertError(await self.c.recv(), "bad_json")

    async def test_2_4_unknown_type_keeps_the_id(self):
        res = await self.c.request("teleport", {}, rid="u-1")
        self.assertError(res, "unknown_type")
        self.assertEqual(res["id"], "u-1")

    async def test_2_5_missing_field_names_the_field(self):
        res = await self.c.request("checkin", {"consent": True}, rid="m-1")
        self.assertError(res, "missing_field", field="phone")

    async def test_2_6_unknown_field_is_rejected(self):
        res = await self.c.request("ping", {"colour": "red"})
        self.assertError(res, "unknown_field")

    async def test_2_7_wrong_field_type_is_bad_field(self):
        res = await self.c.request("checkin", {"phone": 13812341234, "consent": True})
        self.assertError(res, "bad_field", field="phone")

    async def test_2_8_bad_request_id_is_bad_message(self):
        await self.c.send({"type": "ping", "id": "has space"})
        res = await self.c.recv()
        self.assertError(res, "bad_message")
        self.assertIsNone(res["id"])

    async def test_2_9_missing_type_is_bad_message(self):
        await self.c.send({"id": "nt-1"})
        self.assertError(await self.c.recv(), "bad_message")

    async def test_2_10_deep_nesting_is_too_deep(self):
        deep = {"a": 1}
        for _ in range(20):
            deep = {"a": deep}
        await self.c.send(json.dumps({"type": "ping", "id": "d-1", "args": deep}))
        self.assertError(await self.c.recv(), "too_deep")

    async def test_2_11_invalid_utf8_is_bad_utf8(self):
        await self.c.send_text_bytes(b'{"type":"ping","id":"b-1","args":{"x":"\xff\xfe"}}')
        self.assertError(await self.c.recv(), "bad_utf8")

    async def test_2_12_binary_frame_is_bad_message(self):
        await self.c.ws.send(b'{"type":"ping","id":"bin-1"}')
        self.assertError(await self.c.recv(), "bad_message")

    async def test_2_13_connection_survives_errors(self):
        await self.c.send("nonsense")
        self.assertError(await self.c.recv(), "bad_json")
        res = await self.c.request("ping")
        self.assertIs(res["ok"], True)

    async def test_2_14_fragmented_message_is_reassembled(self):
        await self.c.ws.send(['{"type":"ping",', '"id":"frag-1"', "}"])
        res = await self.c.result("frag-1")
        self.assertIs(res["ok"], True, res)

    async def test_2_15_message_just_under_the_limit_is_decoded(self):
        pad = "x" * (65536 - 200)
        res = await self.c.request("checkin", {"phone": "13812341234", "consent": True,
                                               "name": pad}, rid="big-1")
        self.assertError(res, "too_long", field="name")

    async def test_2_16_oversize_frame_closes_with_1009(self):
        big = json.dumps({"type": "ping", "id": "o-1", "args": {"pad": "x" * 70000}})
        await self.c.send(big)
        code, frames = await self.c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["closing"])
        self.assertEqual(frames[0]["error"]["code"], "frame_too_large")
        self.assertEqual(code, 1009)

    async def test_2_17_oversize_fragmented_message_closes_with_1009(self):
        try:
            await self.c.ws.send(['{"type":"ping","id":"o-2","args":{"pad":"'] +
                                 ["y" * 16000] * 5 + ['"}}'])
        except websockets.exceptions.ConnectionClosed:
            pass  # the hub may close before the last fragments are sent
        code, frames = await self.c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["closing"])
        self.assertEqual(frames[0]["error"]["code"], "frame_too_large")
        self.assertEqual(code, 1009)

    async def test_2_18_reception_may_not_look_up_orders(self):
        res = await self.c.request("order_lookup",
                                   {"order_no": "SF2611-0001", "phone_last4": "1234"})
        self.assertError(res, "forbidden")

    async def test_2_19_status_may_not_check_in(self):
        s = await self.connect("status")
        res = await s.request("checkin", {"phone": "13812341234", "consent": True})
        self.assertError(res, "forbidden")
        await s.close()

    async def test_2_20_reception_may_not_log_staff_in(self):
        res = await self.c.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertError(res, "forbidden")

    async def test_2_21_many_requests_each_get_one_result(self):
        ids = [f"many-{i}" for i in range(50)]
        for rid in ids:
            await self.c.send({"type": "ping", "id": rid})
        got = []
        for _ in ids:
            m = await self.c.recv()
            self.assertEqual(m["type"], "result")
            got.append(m["id"])
        self.assertEqual(sorted(got), sorted(ids))
        await self.c.expect_silence(0.3)


class StaffLogin(HubCase):
    async def test_2_30_board_staff_login_and_logout(self):
        c = await self.connect("board")
        res = await c.request("staff_login", {"staff_no": "S001", "pin": "1234"})
        self.assertIs(res["ok"], True, res)
        staff = res["data"]["staff"]
        self.assertEqual(staff["staff_no"], "S001")
        self.assertEqual(staff["name"], "张伟")
        self.assertEqual(staff["role"], "consultant")
        self.assertGreater(res["data"]["expires_at"], now_ms())
        res = await c.request("staff_logout")
        self.assertIs(res["ok"], True, res)
        self.assertEqual(res["data"], {})
        await c.close()

    async def test_2_31_wrong_pin_is_staff_login_failed(self):
        c = await self.connect("delivery")
        res = await c.request("staff_login", {"staff_no": "S002", "pin": "0000"})
        self.assertError(res, "staff_login_failed")
        await c.close()


if __name__ == "__main__":
    unittest.main()

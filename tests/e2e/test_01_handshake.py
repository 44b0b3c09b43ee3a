"""1. Handshake: the hub speaks first, the first client frame must authenticate, and nothing
else is answered before auth_ok (PROTOCOL.md "Phases")."""

import asyncio
import os
import time
import unittest

import websockets
import websockets.exceptions

from hubtest import Client, HubCase, now_ms


class Handshake(HubCase):
    async def test_1_1_hello_comes_first_with_its_fields(self):
        c = await Client.connect(self.hub.url, read_hello=False)
        hello = await c.recv()
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["hub"], "showfloor-hub")
        self.assertIsInstance(hello["version"], str)
        self.assertRegex(hello["version"], r"^\d+\.\d+\.\d+")
        self.assertEqual(hello["protocol"], 1)
        self.assertIsInstance(hello["hub_id"], str)
        self.assertTrue(hello["hub_id"])
        self.assertIsInstance(hello["now"], int)
        self.assertLess(abs(hello["now"] - now_ms()), 60_000)
        self.assertEqual(c.ws.subprotocol, "showfloor.v1")
        await c.close()

    async def test_1_2_hub_id_is_stable_for_the_database(self):
        a = await Client.connect(self.hub.url)
        b = await Client.connect(self.hub.url)
        self.assertEqual(a.hello["hub_id"], b.hello["hub_id"])
        await a.close()
        await b.close()

    async def test_1_3_auth_ok_describes_the_device(self):
        c = await Client.connect(self.hub.url)
        ok = await c.auth(self.site.tokens["reception"])
        self.assertEqual(ok["type"], "auth_ok", ok)
        self.assertIsInstance(ok["now"], int)
        dev = ok["device"]
        self.assertIsInstance(dev["id"], int)
        self.assertEqual(dev["name"], "Reception 1")
        self.assertEqual(dev["mode"], "reception")
        self.assertEqual(dev["site"]["code"], "SH01")
        self.assertEqual(dev["site"]["name"], "上海浦东店")
        self.assertIsInstance(dev["site"]["id"], int)
        res = await c.request("ping")
        self.assertTrue(res["ok"], res)
        await c.close()

    async def test_1_4_unknown_token_gets_auth_failed_and_close_1008(self):
        c = await Client.connect(self.hub.url)
        await c.send({"type": "auth", "args": {"token": "no-such-token"}})
        code, frames = await c.expect_close()
        self.assertEqual(len(frames), 1, frames)
        self.assertEqual(frames[0]["type"], "auth_failed")
        self.assertEqual(frames[0]["error"]["code"], "auth_failed")
        self.assertEqual(code, 1008)

    async def test_1_5_request_before_auth_is_refused(self):
        c = await Client.connect(self.hub.url)
        await c.send({"type": "ping", "id": "early"})
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "not_authenticated")
        self.assertEqual(code, 1008)

    async def test_1_6_undecodable_first_frame_gets_its_decode_error(self):
        c = await Client.connect(self.hub.url)
        await c.send("{not json")
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "bad_json")
        self.assertEqual(code, 1008)

    async def test_1_7_auth_with_a_missing_token_is_refused(self):
        c = await Client.connect(self.hub.url)
        await c.send({"type": "auth", "args": {}})
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "missing_field")
        self.assertEqual(code, 1008)

    async def test_1_8_binary_first_frame_is_refused(self):
        c = await Client.connect(self.hub.url)
        await c.ws.send(b'{"type":"auth","args":{"token":"x"}}')
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "bad_message")
        self.assertEqual(code, 1008)

    async def _refused(self, subprotocols):
        try:
            c = await Client.connect(self.hub.url, subprotocols=subprotocols, read_hello=False)
        except (websockets.exceptions.InvalidHandshake, ConnectionError, OSError):
            return
        # If the upgrade was answered at all, it must not be a showfloor.v1 session: the hub
        # closes it without a hello.
        code, frames = await c.expect_close()
        self.assertEqual(frames, [])

    async def test_1_9_client_without_the_subprotocol_is_refused(self):
        await self._refused(())

    async def test_1_10_client_with_another_subprotocol_is_refused(self):
        await self._refused(("chat.v2",))

    async def test_1_11_silent_client_is_closed_after_10_seconds(self):
        c = await Client.connect(self.hub.url)
        t0 = time.monotonic()
        code, frames = await c.expect_close(timeout=15)
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 9.0)
        self.assertLess(elapsed, 13.0)
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "not_authenticated")
        self.assertEqual(code, 1008)

    async def test_1_12_second_auth_after_auth_ok_is_an_error(self):
        c = await self.connect("board")
        await c.send({"type": "auth", "args": {"token": self.site.tokens["board"]}})
        res = await c.recv()
        self.assertEqual(res["type"], "result")
        self.assertIs(res["ok"], False)
        self.assertIsNone(res["id"])
        self.assertEqual(res["error"]["code"], "bad_message")
        await c.close()

    async def test_1_13_the_allocator_is_the_one_built_in(self):
        # mimalloc helps only if it is the malloc every library binds to (link order);
        # the hub checks at start and says so (README "Libraries")
        log = self.hub.log_text()
        if os.environ.get("SHOWFLOOR_MIMALLOC") == "ON":
            self.assertRegex(log, r"allocator: mimalloc \d+")
            self.assertNotIn("malloc is not its", log)
        else:
            self.assertIn("allocator: the C library's", log)


if __name__ == "__main__":
    unittest.main()

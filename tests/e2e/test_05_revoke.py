"""5. Revocation: revoking a device with the admin CLI drops its live connection at once
with `closing` device_revoked, and its token is refused from then on (PROTOCOL.md
"closing", ARCHITECTURE.md "Security model")."""

import time
import unittest

from hubtest import Client, HubCase, cli


class Revoke(HubCase):
    async def test_5_1_cli_revoke_drops_the_live_connection_within_a_second(self):
        token = self.site.add_device("reception", "Reception R")
        c = await self.connect(token=token)
        await self.subscribe(c, 0)
        await c.recv_type("snapshot")
        other = await self.connect("reception")  # another device is not affected

        cli(self.db, "device", "revoke", "--site", "SH01", "--name", "Reception R")
        t0 = time.monotonic()  # the revocation is committed once the CLI has returned
        code, frames = await c.expect_close(timeout=3)
        elapsed = time.monotonic() - t0
        self.assertLess(elapsed, 1.0, "the drop must come within ~250 ms of the commit")
        self.assertEqual(frames[-1]["type"], "closing", frames)
        self.assertEqual(frames[-1]["error"]["code"], "device_revoked")
        self.assertEqual(code, 1008)

        res = await other.request("ping")
        self.assertIs(res["ok"], True)
        await other.close()

    async def test_5_2_revoked_token_is_refused(self):
        token = self.site.add_device("board", "Board R")
        c = await self.connect(token=token)
        await c.close()
        cli(self.db, "device", "revoke", "--site", "SH01", "--name", "Board R")
        c = await Client.connect(self.hub.url)
        await c.send({"type": "auth", "args": {"token": token}})
        code, frames = await c.expect_close()
        self.assertEqual([f["type"] for f in frames], ["auth_failed"])
        self.assertEqual(frames[0]["error"]["code"], "device_revoked")
        self.assertEqual(code, 1008)

    async def test_5_3_all_connections_of_the_device_are_dropped(self):
        token = self.site.add_device("status", "Status R")
        a = await self.connect(token=token)
        b = await self.connect(token=token)  # not subscribed: dropped all the same
        await self.subscribe(a, 0)
        cli(self.db, "device", "revoke", "--site", "SH01", "--name", "Status R")
        for c in (a, b):
            code, frames = await c.expect_close(timeout=3)
            self.assertEqual(frames[-1]["type"], "closing")
            self.assertEqual(frames[-1]["error"]["code"], "device_revoked")
            self.assertEqual(code, 1008)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
"""A kiosk outlives its hub: a headless board kiosk is connected, the hub is stopped and
started again on the same port, a customer checks in while the kiosk is still backing
off, and the kiosk, once reconnected and resubscribed with its last seq, shows the new
customer (the replayed event). Exit 0 on success.

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest).
"""
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

import websockets

from kiosk_e2e import CLI, KIOSK, Hub, cli, token_file


async def checkin(url, token, phone, name):
    async with websockets.connect(url, subprotocols=["showfloor.v1"]) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "auth", "args": {"token": token}}))
        ok = json.loads(await ws.recv())
        assert ok["type"] == "auth_ok", ok
        await ws.send(json.dumps({"type": "checkin", "id": "rc-1", "args": {
            "phone": phone, "consent": True, "name": name, "gender": "female"}}))
        res = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert res["type"] == "result" and res["ok"], res


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "hub.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
            "--role", "consultant", "--pin", "1234")
        cli(db, "duty", "set", "--staff", "S001", "--status", "on")
        board_tok, _ = token_file(tmp, db, "SH01", "board", "board")
        _, rec_tok = token_file(tmp, db, "SH01", "reception", "reception")

        hub = Hub(tmp, db)
        port = hub.port
        script = os.path.join(tmp, "board.script")
        with open(script, "w") as f:
            f.write("expect_connected\nwait_text 刘女士\nquit\n")
        kiosk = subprocess.Popen([KIOSK, "--mode", "board", "--hub", f"ws://127.0.0.1:{port}/",
                                  "--token-file", board_tok, "--headless", "--script", script],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 15
        while hub.board_connections() < 1:
            if time.time() > deadline or kiosk.poll() is not None:
                sys.exit("the board kiosk never connected")
            time.sleep(0.1)

        hub.stop()  # the kiosk sees the drop and starts backing off
        time.sleep(0.3)
        hub = Hub(tmp, db, port=port)
        assert hub.port == port
        asyncio.run(checkin(f"ws://127.0.0.1:{port}/", rec_tok, "13912345678", "刘芳"))
        try:
            out, _ = kiosk.communicate(timeout=40)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
            hub.stop()
        if kiosk.returncode != 0:
            sys.exit(f"board kiosk did not show the customer after the reconnect "
                     f"(exit {kiosk.returncode}):\n{out}")
        print("kiosk reconnect ok")


if __name__ == "__main__":
    main()

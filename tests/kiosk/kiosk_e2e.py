#!/usr/bin/python3
"""End-to-end kiosk test: real hub, real admin CLI, headless kiosks driven by scripts.

1. A fresh database with one site, one consultant on duty, a reception and a board device.
2. The reception kiosk taps attract -> consent -> phone -> (a new customer: every question
   skipped; kiosk_reception.py answers them) -> done (screenshots of each step), calling
   staff on the way (the notice over the phone screen, digits kept).
3. The visit is checked at the hub with an independent client (Python websockets as a
   board device): the snapshot lists it, phone masked. A board kiosk then shows the
   customer's masked name (wait_text) and is screenshotted. The board's notifications hold
   the staff_called staff.notify of the call.
4. A second database with `showfloor demo-data`: each of the four modes runs headless at
   1280x720 and 1080x1920 and writes one screenshot per mode.

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest).
Screenshots go to --screens DIR (default ./screens) for people to look at.
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

HUB = os.environ["SHOWFLOOR_HUB"]
CLI = os.environ["SHOWFLOOR_CLI"]
KIOSK = os.environ["SHOWFLOOR_KIOSK"]


def cli(db, *args):
    r = subprocess.run([CLI, "--db", db, *args], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"showfloor {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def token_file(tmp, db, site, mode, name):
    tok = cli(db, "device", "add", "--site", site, "--mode", mode, "--name", name).strip()
    assert tok and "\n" not in tok, f"device add printed more than a token: {tok!r}"
    path = os.path.join(tmp, f"{name}.token")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(tok + "\n")
    return path, tok


class Hub:
    """showfloor-hub on `db`: on `port` (0: any), with `config` (INI text) when given."""

    def __init__(self, tmp, db, port=0, config=None):
        base = os.path.basename(db)
        self.port_file = os.path.join(tmp, f"port.{base}")
        if os.path.exists(self.port_file):
            os.remove(self.port_file)  # a previous hub's: do not read its port
        args = [HUB, "--db", db, "--port", str(port), "--port-file", self.port_file]
        if config is not None:
            ini = os.path.join(tmp, f"hub.{base}.ini")
            with open(ini, "w") as f:
                f.write(config)
            args += ["--config", ini]
        self.log = open(os.path.join(tmp, f"hub.{base}.log"), "a")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    self.url = f"ws://127.0.0.1:{self.port}/"
                    return
            if self.proc.poll() is not None:
                sys.exit(f"hub exited with {self.proc.returncode}")
            time.sleep(0.05)
        sys.exit("hub did not write its port file")

    def board_connections(self):
        """Authenticated board connections, from /metrics."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith('showfloor_connections{mode="board"}'):
                    return int(float(line.split()[-1]))
        return 0

    def stop(self):
        """SIGTERM (SIGKILL after 10 s); the exit code."""
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return self.proc.returncode


def kiosk(hub, mode, token, script_text, tmp, size="1280x720", name="k"):
    script = os.path.join(tmp, f"{name}.script")
    with open(script, "w") as f:
        f.write(script_text)
    r = subprocess.run([KIOSK, "--mode", mode, "--hub", hub.url, "--token-file", token,
                        "--headless", "--size", size, "--script", script],
                       capture_output=True, text=True, timeout=90)
    if r.returncode != 0:
        sys.exit(f"kiosk {name} ({mode} {size}) exited {r.returncode}:\n{r.stderr}")
    return r


async def board_snapshot(url, token):
    """An independent client: auth as a board device, subscribe from 0, read the snapshot."""
    async with websockets.connect(url, subprotocols=["showfloor.v1"]) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello", hello
        await ws.send(json.dumps({"type": "auth", "args": {"token": token}}))
        ok = json.loads(await ws.recv())
        assert ok["type"] == "auth_ok", ok
        await ws.send(json.dumps({"type": "subscribe", "id": "s1", "args": {"since": 0}}))
        while True:
            m = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if m["type"] == "snapshot":
                return m["state"]


def png_ok(path):
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screens", default="screens")
    opts = ap.parse_args()
    screens = os.path.abspath(opts.screens)
    os.makedirs(screens, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-e2e-") as tmp:
        # --- 1. a small store ---
        db = os.path.join(tmp, "e2e.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
            "--role", "consultant", "--pin", "1234")
        cli(db, "duty", "set", "--staff", "S001", "--status", "on")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S002", "--name", "李娜",
            "--role", "reception", "--pin", "2345")
        rec_tok, _ = token_file(tmp, db, "SH01", "reception", "Reception 1")
        board_tok, board_raw = token_file(tmp, db, "SH01", "board", "Board 1")
        hub = Hub(tmp, db)
        try:
            # --- 2. reception: attract -> consent -> phone -> done ---
            s = lambda n: os.path.join(screens, n)
            kiosk(hub, "reception", rec_tok, f"""
expect_connected
wait_screen reception.attract
wait_text 上海浦东店
screenshot {s('reception-1-attract.png')}
tap btn.checkin
wait_screen reception.consent
screenshot {s('reception-2-consent.png')}
tap btn.agree
wait_screen reception.phone
type 1391234
screenshot {s('reception-3-phone-typing.png')}
tap btn.call_staff
wait_text 已通知工作人员，请稍候
wait_text 139 1234
screenshot {s('reception-3b-call-staff.png')}
tap btn.call_staff
wait_text 已呼叫工作人员
type 5678
wait_text 139 1234 5678
screenshot {s('reception-4-phone.png')}
tap btn.submit
wait_screen reception.model
tap btn.skip
tap btn.skip
tap btn.skip
tap btn.skip
tap btn.skip
wait_screen reception.done
wait_text 张伟
screenshot {s('reception-5-done.png')}
tap btn.finish
wait_screen reception.attract
quit
""", tmp, name="reception")
            for n in ("1-attract", "2-consent", "3-phone-typing", "3b-call-staff", "4-phone",
                      "5-done"):
                png_ok(s(f"reception-{n}.png"))

            # --- 3. the visit exists at the hub, masked ---
            state = asyncio.run(board_snapshot(hub.url, board_raw))
            visits = [v for v in state["visits"] if v["customer"]["phone"] == "139****5678"]
            assert len(visits) == 1, f"visit not found at the hub: {state['visits']}"
            visit = visits[0]
            assert visit["consultant"]["name"] == "张伟", visit
            name = visit["customer"]["name"]
            assert "13912345678" not in json.dumps(state, ensure_ascii=False)
            # the call reached the reception staff member once, though tapped twice
            called = [n for n in state["notifications"] if n["kind"] == "staff_called"]
            assert len(called) == 1 and called[0]["staff_no"] == "S002", state["notifications"]
            kiosk(hub, "board", board_tok, f"""
expect_connected
wait_screen board.main
wait_text {name}
wait_text 张伟
screenshot {s('board-after-checkin.png')}
quit
""", tmp, name="board")
            png_ok(s("board-after-checkin.png"))
        finally:
            hub.stop()

        # --- 4. demo data: one screenshot per mode and orientation ---
        demo = os.path.join(tmp, "demo.db")
        cli(demo, "init")
        cli(demo, "demo-data", "--seed", "7")
        toks = {m: token_file(tmp, demo, "SH01", m, f"demo-{m}")[0]
                for m in ("reception", "status", "delivery", "board")}
        hub = Hub(tmp, demo)
        try:
            idle = {"reception": "reception.attract", "status": "status.wall",
                    "delivery": "delivery.list", "board": "board.main"}
            for size in ("1280x720", "1080x1920"):
                for mode, screen in idle.items():
                    out = s(f"demo-{mode}-{size}.png")
                    kiosk(hub, mode, toks[mode], f"""
expect_connected
wait_screen {screen}
sleep 300
screenshot {out}
quit
""", tmp, size=size, name=f"demo-{mode}")
                    png_ok(out)
        finally:
            hub.stop()
    print(f"kiosk e2e ok; screenshots in {screens}")


if __name__ == "__main__":
    main()

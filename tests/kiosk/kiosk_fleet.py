#!/usr/bin/python3
"""Kiosk fleet end to end: a real hub, the real CLI and real headless kiosks (issue 9).

1. For each language and size (zh/en x 1280x720/1080x1920) a kiosk starts with no token and no
   --mode: it shows a pairing code (the hub's pending list has it), `device approve` binds it
   and the kiosk comes up in the mode the CLI chose; the token file is 0600. Then, through the
   CLI: maintenance on (the out-of-order screen), a remote screenshot (a PNG of the kiosk's
   size that is the maintenance screen: dark pixels), identify (the name flashes), maintenance
   off (back to the mode), and on the first kiosk a mode switch (it reconnects as a board).
   Each screen is saved for people to look at.
2. The kiosk starts again with the saved token: no pairing, straight to its mode; a remote
   `device restart` re-executes the same process, which comes up and reconnects.
3. Watchdog: a script stalls the UI loop; the kiosk re-executes itself and the hub's fleet list
   counts the watchdog restart.

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest).
Screenshots go to --screens DIR (default ./screens).
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
import zlib

from kiosk_e2e import KIOSK, Hub, cli


def wait_for(what, pred, timeout=20, proc=None, log=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    detail = ""
    if log and os.path.exists(log):
        with open(log) as f:
            detail = "\nkiosk log:\n" + f.read()
    sys.exit(f"timed out waiting for {what}{detail}")


def png_info(path):
    """(width, height, mean red) of an 8-bit RGBA PNG, decoded with zlib only: independent
    of the kiosk's libpng. Only the red bytes are unfiltered (filters never mix channels)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[9] == 6 and body[12] == 0, "want 8-bit RGBA, no interlace"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, bpp = zlib.decompress(idat), 4 * w, 4
    assert len(raw) == h * (stride + 1), "truncated image data"
    prev, total = bytearray(stride), 0
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(0, stride, bpp):  # red only: each filter works within a channel
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ft == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        total += sum(line[0::4])
        prev = line
    return w, h, total / (w * h)


def fleet(db):
    return {d["name"]: d for d in json.loads(cli(db, "device", "list", "--json"))["devices"]}


def pending(db):
    return json.loads(cli(db, "device", "pending", "--json"))


def start_kiosk(hub, tmp, name, script, extra):
    path = os.path.join(tmp, f"{name}.script")
    with open(path, "w") as f:
        f.write(script)
    log = os.path.join(tmp, f"{name}.log")
    proc = subprocess.Popen([KIOSK, "--hub", hub.url, "--headless", "--script", path, *extra],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)
    return proc, log


def finish(proc, log, what):
    try:
        rc = proc.wait(40)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = "killed"
    if rc != 0:
        with open(log) as f:
            sys.exit(f"{what}: kiosk exited {rc}:\n{f.read()}")


def pair_and_drive(hub, db, tmp, screens, lang, size, idx):
    """Section 1 for one language and size."""
    name = f"Kiosk {lang} {size}"
    tag = f"{lang}-{size}"
    state = os.path.join(tmp, f"state-{tag}")
    mode = "reception" if idx % 2 == 0 else "status"
    idle = "reception.attract" if mode == "reception" else "status.wall"
    shot = lambda n: os.path.join(screens, f"fleet-{n}-{tag}.png")
    marks = {k: os.path.join(tmp, f"{tag}-{k}.png") for k in
             ("paired", "up", "maint", "ident", "back", "board")}
    switch = idx == 0
    script = f"""
wait_screen fleet.pairing
sleep 1200
screenshot {shot('1-pairing')}
screenshot {marks['paired']}
wait_screen {idle}
expect_connected
sleep 300
screenshot {marks['up']}
wait_screen fleet.maintenance
sleep 300
screenshot {shot('2-maintenance')}
screenshot {marks['maint']}
wait_screen fleet.identify
sleep 300
screenshot {shot('3-identify')}
screenshot {marks['ident']}
wait_screen {idle}
screenshot {marks['back']}
"""
    if switch:
        script += f"wait_screen board.main\nexpect_connected\nscreenshot {marks['board']}\n"
    script += "quit\n"
    proc, log = start_kiosk(hub, tmp, f"pair-{tag}", script,
                            ["--size", size, "--lang", lang, "--state-dir", state])
    exists = lambda k: (lambda: os.path.exists(marks[k]))

    # the pairing screen shows the code the hub has pending for this kiosk's host
    wait_for("the pairing screen", exists("paired"), proc=proc, log=log)
    codes = [p for p in pending(db) if p["screen"] == size]
    assert len(codes) == 1, codes
    code = codes[0]["code"]
    assert len(code) == 6 and code.isalnum() and code.upper() == code, code
    with open(log) as f:
        assert f"pairing code {code}" in f.read(), "the kiosk did not log the hub's code"
    assert not os.path.exists(os.path.join(state, "token"))
    cli(db, "device", "approve", code, "--site", "SH01", "--mode", mode, "--name", name)
    wait_for(f"{name} up in mode {mode}", exists("up"), proc=proc, log=log)
    tok = os.path.join(state, "token")
    assert stat.S_IMODE(os.stat(tok).st_mode) == 0o600, oct(os.stat(tok).st_mode)
    assert stat.S_IMODE(os.stat(os.path.join(state, "claim")).st_mode) == 0o600
    assert code not in [p["code"] for p in pending(db)], "the approved code is still pending"
    row = wait_for("a heartbeat", lambda: fleet(db)[name]["screen"] == size and fleet(db)[name])
    assert row["online"] and row["mode"] == mode, row

    # maintenance, then a remote screenshot of it
    cli(db, "device", "maintenance", name, "on", "--site", "SH01")
    wait_for("the maintenance screen", exists("maint"), proc=proc, log=log)
    out = os.path.join(tmp, f"remote-{tag}.png")
    cli(db, "device", "screenshot", name, "--site", "SH01", "-o", out)
    w, h, red = png_info(out)
    assert f"{w}x{h}" == size, (w, h, size)
    assert red < 90, f"the remote screenshot is not the dark maintenance screen (red {red})"
    cli(db, "device", "identify", name, "--site", "SH01")
    wait_for("the identify screen", exists("ident"), proc=proc, log=log)
    cli(db, "device", "maintenance", name, "off", "--site", "SH01")
    wait_for("back to the mode", exists("back"), timeout=25, proc=proc, log=log)
    if switch:
        cli(db, "device", "mode", name, "board", "--site", "SH01")
        wait_for("the mode switch", exists("board"), proc=proc, log=log)
    finish(proc, log, f"pairing {tag}")
    return name, state, mode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screens", default="screens")
    opts = ap.parse_args()
    screens = os.path.abspath(opts.screens)
    os.makedirs(screens, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-fleet-") as tmp:
        db = os.path.join(tmp, "fleet.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        hub = Hub(tmp, db)
        try:
            # --- 1. pairing, maintenance, screenshot, identify, mode switch ---
            runs = [pair_and_drive(hub, db, tmp, screens, lang, size, i)
                    for i, (lang, size) in enumerate(
                        [("zh", "1280x720"), ("en", "1080x1920"), ("en", "1280x720"),
                         ("zh", "1080x1920")])]
            print("pairing, maintenance, screenshot, identify, mode switch ok")

            # --- 2. the token is kept: the next start goes straight to the mode; a remote
            # restart re-executes the same process, which connects again ---
            name, state, _ = runs[1]
            mark = os.path.join(tmp, "again-up")
            proc, log = start_kiosk(hub, tmp, "again", "expect_connected\nwait_screen "
                                    f"status.wall\nscreenshot {mark}\nsleep 60000\n",
                                    ["--state-dir", state])
            try:
                wait_for("the kiosk with its saved token", lambda: os.path.exists(mark),
                         proc=proc, log=log)
                with open(log) as f:
                    assert "pairing code" not in f.read()
                assert pending(db) == [], pending(db)
                before = fleet(db)[name]["reconnects_today"]
                os.remove(mark)
                out = cli(db, "device", "restart", name, "--site", "SH01")
                assert "restarting" in out, out
                # the same process (execv), started again: it reaches its screen again
                wait_for("the restarted kiosk", lambda: os.path.exists(mark), proc=proc, log=log)
                assert proc.poll() is None
                wait_for("the reconnect counted",
                         lambda: fleet(db)[name]["reconnects_today"] > before)
            finally:
                proc.kill()
                proc.wait()
            with open(log) as f:
                assert "restarting at the hub's request" in f.read()
            print("restart with the saved token, remote restart ok")

            # --- 3. watchdog: a stalled UI loop re-executes the kiosk ---
            name, state, _ = runs[2]
            before = fleet(db)[name]["watchdog_restarts"]
            proc, log = start_kiosk(hub, tmp, "stall", "expect_connected\nstall 60\n",
                                    ["--state-dir", state, "--watchdog-seconds", "6"])
            try:
                row = wait_for("the hub to count a watchdog restart",
                               lambda: fleet(db)[name]["watchdog_restarts"] > before
                               and fleet(db)[name], timeout=45, proc=proc, log=log)
                assert proc.poll() is None, "the kiosk died instead of re-executing"
            finally:
                proc.kill()
                proc.wait()
            assert row["last_watchdog_at"], row
            with open(log) as f:
                text = f.read()
            assert "watchdog: the UI loop made no progress for 6 s; restarting" in text, text
            with open(os.path.join(state, "watchdog")) as f:
                assert int(f.read().split()[0]) >= 1
            print("watchdog ok")
        finally:
            hub.stop()
    print("kiosk fleet ok")


if __name__ == "__main__":
    main()

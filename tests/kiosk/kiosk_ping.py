#!/usr/bin/python3
"""The kiosk pings the hub (issue 6: a dead peer is noticed within 30 s on both sides). A
headless board kiosk reaches the hub through tests/e2e/faultproxy.py; once it is connected
the proxy holds both directions silently: the TCP connection stays up, nothing arrives and
nothing closes, as when a route dies. The kiosk must notice on its own (its PINGs go
unanswered), drop the connection, say why in its log and reconnect, within
DETECT_BOUND_S of the hold; once the proxy lets traffic through again the new connection
authenticates. The hub's own ping (15 s + 15 s by default) is set far off here so that only
the kiosk can notice. Exit 0 on success. Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI,
SHOWFLOOR_KIOSK (CTest).
"""
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

from faultproxy import DOWN, UP, FaultProxy  # noqa: E402
from kiosk_e2e import HUB, KIOSK, cli, token_file  # noqa: E402

DETECT_BOUND_S = 30  # kiosk/net.c: PING after 10 s idle, hang up 25 s after the last PONG
REASON = "the hub did not answer pings"


def start_hub(tmp, db):
    ini = os.path.join(tmp, "hub.ini")
    with open(ini, "w") as f:  # the hub must not be the one that notices
        f.write("[hub]\nping_interval_seconds = 600\nping_timeout_seconds = 600\n")
    port_file = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "hub.log"), "a")
    proc = subprocess.Popen([HUB, "--config", ini, "--db", db, "--port", "0",
                             "--port-file", port_file], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 15
    while time.time() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return proc, int(text)
        if proc.poll() is not None:
            sys.exit(f"hub exited with {proc.returncode}")
        time.sleep(0.05)
    sys.exit("hub did not write its port file")


def board_connections(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        for line in r.read().decode().splitlines():
            if line.startswith('showfloor_connections{mode="board"}'):
                return int(float(line.split()[-1]))
    return 0


def wait_for(pred, seconds, what):
    deadline = time.monotonic() + seconds
    while not pred():
        if time.monotonic() > deadline:
            sys.exit(f"timed out: {what}")
        time.sleep(0.1)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "hub.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        board_tok, _ = token_file(tmp, db, "SH01", "board", "board")
        hub, port = start_hub(tmp, db)
        proxy = FaultProxy(port)
        script = os.path.join(tmp, "board.script")
        with open(script, "w") as f:
            f.write("expect_connected\nsleep 100000\nquit\n")
        klog_path = os.path.join(tmp, "kiosk.log")
        klog = open(klog_path, "w")
        kiosk = subprocess.Popen([KIOSK, "--mode", "board",
                                  "--hub", f"ws://127.0.0.1:{proxy.port}/",
                                  "--token-file", board_tok, "--headless", "--script", script],
                                 stdout=klog, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: board_connections(port) == 1, 15, "the kiosk never connected")
            first = proxy.accepted
            time.sleep(1.0)  # settled: snapshot read, nothing in flight
            proxy.hold(UP)
            proxy.hold(DOWN)
            t0 = time.monotonic()
            # the kiosk gives up on the silent connection and opens a new one
            wait_for(lambda: proxy.accepted > first or kiosk.poll() is not None,
                     DETECT_BOUND_S + 5, f"the kiosk did not notice in {DETECT_BOUND_S + 5} s")
            took = time.monotonic() - t0
            if kiosk.poll() is not None:
                sys.exit(f"the kiosk exited with {kiosk.returncode}")
            proxy.release(UP)
            proxy.release(DOWN)
            # the kiosk's close reached the hub (the proxy passes the FIN on), and the new
            # connection authenticates: one board session, on a connection opened after
            wait_for(lambda: board_connections(port) == 1 and
                     any(n > first for n in proxy.open_links()), 15,
                     "the kiosk did not authenticate again after the hold")
            klog.flush()
            with open(klog_path) as f:
                log = f.read()
            if REASON not in log:
                sys.exit(f"the kiosk's log does not say why it reconnected:\n{log}")
            if took > DETECT_BOUND_S:
                sys.exit(f"the kiosk noticed the silent hub after {took:.1f} s, over "
                         f"{DETECT_BOUND_S} s")
            if took < 10:
                sys.exit(f"the kiosk reconnected after {took:.1f} s, before it could have pinged:"
                         f" something else dropped the connection\n{log}")
            print(f"kiosk ping ok: a silent hub noticed and the connection replaced "
                  f"{took:.1f} s after the hold (bound {DETECT_BOUND_S} s)")
        finally:
            kiosk.kill()
            kiosk.wait()
            klog.close()
            proxy.close()
            hub.terminate()
            hub.wait(10)


if __name__ == "__main__":
    main()

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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

from faultproxy import DOWN, UP, FaultProxy  # noqa: E402
from kiosk_e2e import KIOSK, Hub, cli, token_file  # noqa: E402

DETECT_BOUND_S = 30  # kiosk/net.c: PING after 10 s idle, hang up 25 s after the last PONG
REASON = "the hub did not answer pings"


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
        # the hub must not be the one that notices
        hub = Hub(tmp, db, config="[hub]\nping_interval_seconds = 600\n"
                  "ping_timeout_seconds = 600\n")
        proxy = FaultProxy(hub.port)
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
            wait_for(lambda: hub.board_connections() == 1, 15, "the kiosk never connected")
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
            wait_for(lambda: hub.board_connections() == 1 and
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
            hub.stop()


if __name__ == "__main__":
    main()

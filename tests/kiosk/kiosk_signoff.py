#!/usr/bin/python3
"""Delivery sign-off end to end: a headless delivery kiosk driven by injected taps and
pointer strokes against the real hub, checked at the hub by an independent client.

1. Sign-off: staff login -> the order -> every checklist item -> summary -> signature ->
   rating, comment and complaint -> order_deliver. At the hub (Python websockets as an api
   device, no code shared with protocol/): the order is delivered, its sign-off has the
   strokes, the checklist, the rating, the comment with the complaint marker, the PNG's
   SHA-256 and the record's hash.
2. Offline queue, exactly once across a crash: the hub is stopped before the submit, the
   kiosk says the sign-off is saved on it, the kiosk is killed with SIGKILL, the hub comes
   back, a new kiosk process (same state dir) resends it once the consultant logs in: one
   sign-off row at the hub, the queue empty. Then the queue file from before the resend is
   put back (the same command id again): the hub answers with the first result, still one
   sign-off row, one stored command, and the queue empties.

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest).
"""
import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import websockets

from kiosk_e2e import KIOSK, Hub, cli, token_file

ORDER_WALK = """
tap btn.login
type 001
tap btn.next
type 1234
tap btn.login_submit
wait_screen delivery.staff
tap delivery.open.{order}
wait_screen delivery.checklist
tap check.vehicle_clean
tap check.invoice
tap check.coc
tap check.warranty
tap check.keys
tap check.accessories
tap check.explained
tap btn.next
wait_screen delivery.summary
tap btn.sign
wait_screen delivery.sign
sign sig.pad
tap btn.next
wait_screen delivery.rating
tap rate.4
"""


def store(tmp):
    db = os.path.join(tmp, "hub.db")
    cli(db, "init")
    cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
    cli(db, "staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
        "--role", "consultant", "--pin", "1234")
    cli(db, "model", "add", "--code", "HX7", "--name", "星河 7", "--name-en", "Xinghe 7",
        "--price-fen", "18980000")
    order = cli(db, "order", "add", "--site", "SH01", "--phone", "13912345678",
                "--customer", "刘芳", "--gender", "female", "--model", "HX7",
                "--stage", "ready", "--consultant", "S001").split()[0]
    assert order.startswith("SF"), order
    dl_tok, _ = token_file(tmp, db, "SH01", "delivery", "bay")
    _, api_tok = token_file(tmp, db, "SH01", "api", "checker")
    return db, order, dl_tok, api_tok


def start_kiosk(hub_url, token, state, script_text, tmp, name):
    script = os.path.join(tmp, f"{name}.script")
    with open(script, "w") as f:
        f.write(script_text)
    log = open(os.path.join(tmp, f"{name}.log"), "w")
    return subprocess.Popen([KIOSK, "--mode", "delivery", "--hub", hub_url, "--token-file", token,
                             "--headless", "--state-dir", state, "--script", script],
                            stdout=log, stderr=subprocess.STDOUT)


def run_kiosk(hub_url, token, state, script_text, tmp, name, timeout=90):
    p = start_kiosk(hub_url, token, state, script_text, tmp, name)
    try:
        rc = p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = "timeout"
    if rc != 0:
        with open(os.path.join(tmp, f"{name}.log")) as f:
            sys.exit(f"kiosk {name} exited {rc}:\n{f.read()}")


async def order_get(url, token, order):
    """Independent client: api device, staff login, order_get."""
    async with websockets.connect(url, subprotocols=["showfloor.v1"]) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "auth", "args": {"token": token}}))
        assert json.loads(await ws.recv())["type"] == "auth_ok"
        await ws.send(json.dumps({"type": "staff_login", "id": "c1",
                                  "args": {"staff_no": "S001", "pin": "1234"}}))
        res = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert res["ok"], res
        await ws.send(json.dumps({"type": "order_get", "id": "c2", "args": {"order_no": order}}))
        res = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert res["ok"], res
        return res["data"]


def queue_rows(state):
    path = os.path.join(state, "signoffs.db")
    if not os.path.exists(path):
        return None
    con = sqlite3.connect(path, timeout=5)
    try:
        return con.execute("SELECT id, order_no, state FROM signoffs").fetchall()
    except sqlite3.OperationalError:
        return None  # not created yet
    finally:
        con.close()


def wait_for(what, pred, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    sys.exit(f"timed out waiting for {what}")


def hub_signoffs(db, order):
    con = sqlite3.connect(db, timeout=5)
    try:
        return con.execute("SELECT count(*) FROM signoffs s JOIN orders o ON o.id = s.order_id "
                           "WHERE o.order_no = ?", (order,)).fetchone()[0]
    finally:
        con.close()


def check_signoff(data, comment):
    assert data["order"]["stage"] == "delivered", data["order"]["stage"]
    so = data["signoff"]
    assert so, "no sign-off record at the hub"
    assert all(so["checklist"][k] is True for k in ("vehicle_clean", "invoice", "coc",
                                                    "warranty", "keys", "accessories",
                                                    "explained")), so["checklist"]
    strokes = so["strokes"]
    assert len(strokes) >= 1 and all(len(p) == 3 and all(isinstance(v, int) and v >= 0
                                                           for v in p)
                                      for s in strokes for p in s), "bad strokes"
    assert sum(len(s) for s in strokes) >= 10, "too little ink arrived"
    sha = so["png_sha256"]
    assert isinstance(sha, str) and len(sha) == 64 and int(sha, 16) >= 0, sha
    assert so["rating"] == 4, so["rating"]
    if comment is None:
        assert not so.get("comment"), so.get("comment")
    else:
        assert so["comment"] == comment, so["comment"]
    assert so["hash"], "the record has no hash"


def test_signoff(tmp):
    db, order, dl_tok, api_tok = store(tmp)
    hub = Hub(tmp, db)
    try:
        run_kiosk(hub.url, dl_tok, os.path.join(tmp, "state1"), "expect_connected\n" +
                  ORDER_WALK.format(order=order) + """
tap btn.comment
wait_screen delivery.comment
type_text on time
tap kb.done
wait_screen delivery.rating
tap btn.complaint
tap btn.submit
wait_screen delivery.done
wait_text 交车完成
quit
""", tmp, "signoff")
        data = asyncio.run(order_get(hub.url, api_tok, order))
        check_signoff(data, "[complaint] on time")
        assert queue_rows(os.path.join(tmp, "state1")) == [], "the queue kept a delivered row"
        assert hub_signoffs(db, order) == 1
    finally:
        hub.stop()
    print("sign-off flow ok")


def test_offline_exactly_once(tmp):
    db, order, dl_tok, api_tok = store(tmp)
    state = os.path.join(tmp, "state2")
    hub = Hub(tmp, db)
    marker = os.path.join(tmp, "at-rating.png")
    k1 = start_kiosk(hub.url, dl_tok, state, "expect_connected\n" +
                     ORDER_WALK.format(order=order) + f"""
screenshot {marker}
wait_text 正在重新连接
tap btn.submit
wait_screen delivery.done
wait_text 已保存在本机
sleep 60000
""", tmp, "offline1")
    try:
        wait_for("the kiosk at the rating screen", lambda: os.path.exists(marker))
        hub.stop()  # the hub goes away before the customer submits
        rows = wait_for("the sign-off in the kiosk's queue", lambda: queue_rows(state))
        assert len(rows) == 1 and rows[0][1] == order and rows[0][2] == 0, rows
        cmd_id = rows[0][0]
        time.sleep(0.5)
        assert k1.poll() is None, "the kiosk should still be showing the saved screen"
    finally:
        k1.send_signal(signal.SIGKILL)  # a crash or a power cut: no clean shutdown
        k1.wait(10)
    # what a crash leaves on disk, kept to replay the same command id later
    saved = os.path.join(tmp, "saved-queue")
    shutil.copytree(state, saved)
    assert hub_signoffs(db, order) == 0

    hub = Hub(tmp, db)
    try:
        k2 = start_kiosk(hub.url, dl_tok, state, """expect_connected
wait_screen delivery.list
wait_text 1 份交车签收已保存在本机
tap btn.login
type 001
tap btn.next
type 1234
tap btn.login_submit
wait_screen delivery.staff
sleep 60000
""", tmp, "offline2")
        try:
            wait_for("the queue to empty after the resend", lambda: queue_rows(state) == [])
        finally:
            k2.terminate()
            rc2 = k2.wait(10)
        assert rc2 == 0, f"kiosk 2 did not stop cleanly on SIGTERM: {rc2}"
        assert hub_signoffs(db, order) == 1, "not delivered exactly once"
        data = asyncio.run(order_get(hub.url, api_tok, order))
        check_signoff(data, None)

        # The same command id once more (the queue as it was before the resend).
        shutil.rmtree(state)
        shutil.copytree(saved, state)
        assert [r[0] for r in queue_rows(state)] == [cmd_id]
        k3 = start_kiosk(hub.url, dl_tok, state, """expect_connected
tap btn.login
type 001
tap btn.next
type 1234
tap btn.login_submit
wait_screen delivery.staff
sleep 60000
""", tmp, "offline3")
        try:
            wait_for("the replayed row to be answered", lambda: queue_rows(state) == [])
        finally:
            k3.terminate()
            rc3 = k3.wait(10)
        assert rc3 == 0, f"kiosk 3 did not stop cleanly on SIGTERM: {rc3}"
        assert hub_signoffs(db, order) == 1, "a replayed command id made a second sign-off"
        con = sqlite3.connect(db, timeout=5)
        try:
            n = con.execute("SELECT count(*) FROM commands WHERE cmd_id = ?",
                            (cmd_id,)).fetchone()[0]
        finally:
            con.close()
        assert n == 1, f"command {cmd_id} stored {n} times"
    finally:
        hub.stop()
    print("offline sign-off delivered exactly once across a kiosk crash")


def main():
    # SHOWFLOOR_KEEP=DIR keeps the logs, databases and scripts there for a post-mortem.
    keep = os.environ.get("SHOWFLOOR_KEEP")
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(keep)
    with tempfile.TemporaryDirectory(prefix="kiosk-signoff-") as tmpdir:
        tmp = keep or tmpdir
        os.makedirs(os.path.join(tmp, "a"))
        os.makedirs(os.path.join(tmp, "b"))
        test_signoff(os.path.join(tmp, "a"))
        test_offline_exactly_once(os.path.join(tmp, "b"))
    print("kiosk sign-off ok")


if __name__ == "__main__":
    main()

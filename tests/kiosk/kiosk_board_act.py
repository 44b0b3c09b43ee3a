#!/usr/bin/python3
"""The manager board acts (issue 5): a headless board kiosk against the real hub with the
demo dealership (`showfloor demo-data`), driven by taps only, checked in the hub's database.

1. A manager approves: "+N" on the review column opens the list of every order waiting, a
   reviewed order is tapped, S008 logs in on the keypads, the card names the order, Approve.
   The order is `approved` at the hub with an `order_approve` audit record by staff:S008, and
   an independent board client's snapshot shows it approved.
2. A supervisor sends an entered order back: Return, a reason chip, confirm. The order is
   `returned` with that reason, by staff:S007.
3. A consultant's login is accepted but the decision is refused: the hub's forbidden is shown
   in words, and the order, its audit trail and the event log are unchanged.
4. A supervisor rules a conflict: the claimant who served wins with a reason chip. The
   conflict is `ruled`, winner and reason recorded, the lead belongs to the winner.
5. Idle: with --idle-seconds 5 a login left on the card ends by itself (back to the floor)
   and the next tap starts from the staff number again.

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest). Screenshots of
each step go to --screens DIR as board-act-*.png.
"""
import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk_e2e import KIOSK, Hub, board_snapshot, cli, png_ok, token_file  # noqa: E402


def q(db, sql, *args):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def board(hub, token, text, tmp, name, idle=None, lang="zh"):
    """A headless board kiosk running `text`; at least a second after the last run (request
    ids carry the start second: two runs within one would reuse ids)."""
    time.sleep(1.1)
    script = os.path.join(tmp, f"{name}.script")
    with open(script, "w") as f:
        f.write(text)
    args = [KIOSK, "--mode", "board", "--hub", hub.url, "--token-file", token, "--headless",
            "--size", "1280x720", "--lang", lang, "--state-dir", os.path.join(tmp, "state"),
            "--script", script]
    if idle:
        args += ["--idle-seconds", str(idle)]
    r = subprocess.run(args, capture_output=True, text=True, timeout=90)
    if r.returncode != 0:
        sys.exit(f"board kiosk {name} exited {r.returncode}:\n{r.stderr}")


def login(staff_no, pin):
    return f"""wait_screen board.act.staff_no
type {staff_no[1:]}
tap btn.next
wait_screen board.act.pin
type {pin}
tap btn.login_submit
wait_screen board.act.card
"""


def order_state(db, order_no):
    return q(db, "SELECT stage, last_reason FROM orders WHERE order_no = ?", order_no)[0]


def audit_of(db, order_no):
    return q(db, "SELECT actor, action FROM audit WHERE entity = 'order' AND entity_id = ?"
                 " ORDER BY id", order_no)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screens", default="screens")
    opts = ap.parse_args()
    screens = os.path.abspath(opts.screens)
    os.makedirs(screens, exist_ok=True)
    s = lambda n: os.path.join(screens, f"board-act-{n}.png")
    with tempfile.TemporaryDirectory(prefix="kiosk-board-act-") as tmp:
        db = os.path.join(tmp, "demo.db")
        cli(db, "init")
        cli(db, "demo-data", "--seed", "2026")
        tok, raw = token_file(tmp, db, "SH01", "board", "Board act")
        reviewed = [r[0] for r in q(db, "SELECT order_no FROM orders WHERE stage = 'reviewed'"
                                        " ORDER BY id")]
        entered = [r[0] for r in q(db, "SELECT order_no FROM orders WHERE stage = 'entered'"
                                       " ORDER BY id")]
        assert len(reviewed) >= 1 and len(entered) >= 2, (reviewed, entered)
        hub = Hub(tmp, db)
        try:
            # --- 1. a manager approves an order from the list of every order waiting ---
            target = reviewed[-1]
            board(hub, tok, f"""expect_connected
wait_screen board.main
tap board.review_more
wait_screen board.act.pick
screenshot {s('1-pick')}
tap board.review.{target}
{login('S008', '1008')}wait_text {target}
wait_text 孙浩（销售经理）已登录
wait_text 待终审
screenshot {s('2-card')}
tap act.approve
wait_screen board.act.done
wait_text 已批准
screenshot {s('3-approved')}
tap btn.finish
wait_screen board.main
quit
""", tmp, "approve")
            assert order_state(db, target)[0] == "approved", order_state(db, target)
            assert audit_of(db, target)[-1] == ("staff:S008", "order_approve"), audit_of(db, target)
            state = asyncio.run(board_snapshot(hub.url, raw))
            seen = [o["stage"] for o in state["orders"] if o["order_no"] == target]
            assert seen == ["approved"], seen

            # --- 2. a supervisor sends an entered order back with a reason chip ---
            back = entered[0]
            board(hub, tok, f"""expect_connected
wait_screen board.main
tap board.review_more
tap board.review.{back}
{login('S007', '1007')}wait_text 待初审
tap act.reject
wait_screen board.act.reason
tap reason.0
screenshot {s('4-reason')}
tap act.confirm
wait_screen board.act.done
wait_text 已退回销售顾问
tap btn.finish
wait_screen board.main
quit
""", tmp, "return")
            assert order_state(db, back) == ("returned", "资料不全，请补齐"), order_state(db, back)
            assert audit_of(db, back)[-1] == ("staff:S007", "order_review"), audit_of(db, back)

            # --- 3. a consultant's PIN: the decision is refused, in words; nothing changes ---
            other = entered[1]
            before = (order_state(db, other), audit_of(db, other),
                      q(db, "SELECT max(seq) FROM events"))
            board(hub, tok, f"""expect_connected
wait_screen board.main
tap board.review_more
tap board.review.{other}
{login('S003', '1003')}tap act.approve
wait_screen board.act.done
wait_text 无权执行此操作
wait_text order_review needs the supervisor role
screenshot {s('5-refused')}
tap btn.finish
wait_screen board.main
quit
""", tmp, "refused")
            after = (order_state(db, other), audit_of(db, other),
                     q(db, "SELECT max(seq) FROM events"))
            assert after == before, (before, after)

            # --- 4. a supervisor rules a conflict for the consultant who served ---
            (cid,), = q(db, "SELECT id FROM conflicts WHERE state = 'open' ORDER BY id LIMIT 1")
            snap = asyncio.run(board_snapshot(hub.url, raw))
            cf = [c for c in snap["conflicts"] if c["id"] == cid][0]
            serving = [i for i, c in enumerate(cf["claimants"]) if c["role"] == "serving"][0]
            winner_no = cf["claimants"][serving]["staff_no"]
            board(hub, tok, f"""expect_connected
wait_screen board.main
tap board.rule.{cid}
{login('S007', '1007')}screenshot {s('6-conflict')}
tap act.winner.{serving}
wait_screen board.act.reason
tap reason.3
tap act.confirm
wait_screen board.act.done
wait_text 已裁定
screenshot {s('7-ruled')}
tap btn.finish
wait_screen board.main
quit
""", tmp, "rule")
            (state_, reason, winner, lead_owner), = q(
                db, """SELECT c.state, c.reason, s.staff_no, o.staff_no FROM conflicts c
                       JOIN staff s ON s.id = c.winner_id JOIN leads l ON l.id = c.lead_id
                       JOIN staff o ON o.id = l.owner_id WHERE c.id = ?""", cid)
            assert (state_, reason, winner, lead_owner) == (
                "ruled", "实际接待并促成", winner_no, winner_no), (state_, reason, winner)

            # --- 5. idle: a login left on the card ends by itself ---
            board(hub, tok, f"""expect_connected
wait_screen board.main
tap board.review_more
tap board.review.{entered[1]}
{login('S007', '1007')}sleep 6000
wait_screen board.main
tap board.review_more
tap board.review.{entered[1]}
wait_screen board.act.staff_no
quit
""", tmp, "idle", idle=5)
            assert order_state(db, entered[1])[0] == "entered"
        finally:
            hub.stop()
    for n in ("1-pick", "2-card", "3-approved", "4-reason", "5-refused", "6-conflict",
              "7-ruled"):
        png_ok(s(n))
    print("kiosk_board_act: approve, return, refusal, ruling and idle end checked at the hub")


if __name__ == "__main__":
    main()

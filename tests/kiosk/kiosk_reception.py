#!/usr/bin/python3
"""Reception's new-customer path end to end (issue 5): a headless reception kiosk against the
real hub, driven by taps only.

1. A new customer: attract -> consent -> phone -> (checkin_lookup says "new") -> model tile
   -> source chip -> first visit -> gender -> surname by pinyin -> done, which names the
   consultant, the queue position and the wait. The hub's visit carries every answer: read
   from the database (model_code, source, first_visit_said; the customer's name and gender)
   and from an independent board client (masked name, model, source).
2. Back and Cancel on a question screen: a second customer goes back from the source chips
   to the model tiles and to the phone, then cancels; nothing is written at the hub.
3. The same customer again (now checked in: a returning customer) and a customer who has
   visited before skip every question: phone -> done.
4. Idle reset on the name screen: with --idle-seconds 5 the kiosk returns to attract by
   itself; the next customer skips every question and the hub's visit has none of the
   earlier customer's answers (model, source, first visit, gender, surname).

Environment: SHOWFLOOR_HUB, SHOWFLOOR_CLI, SHOWFLOOR_KIOSK (set by CTest).
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
from kiosk_e2e import Hub, board_snapshot, cli, kiosk, png_ok, token_file  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from hubtest import phone_hash  # noqa: E402

NEW_PHONE, BACK_PHONE, OLD_PHONE, IDLE_PHONE = (
    "13912340001", "13912340002", "13912340003", "13912340004")


def db_rows(db, sql, *args):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


SEAL = 41  # bytes a sealed field adds to its text (hub/privacy.h)


def visits_of(db, phone):
    """(model, source, first_visit_said, sealed name's length or None, gender, consultant)."""
    return db_rows(db, """SELECT v.model_code, v.source, v.first_visit_said, length(c.name),
                                 c.gender, s.name
                          FROM visits v JOIN customers c ON c.id = v.customer_id
                          LEFT JOIN staff s ON s.id = v.consultant_id
                          WHERE c.phone_hash = ?""", phone_hash(db, phone))


def run_kiosk(*args, **kw):
    """kiosk_e2e.kiosk, at least a second after the previous run: request ids are
    k<device>-<boot>-<n> with boot in whole seconds, so two runs of one device within a
    second would reuse ids (the hub answers id_reused)."""
    time.sleep(1.1)
    return kiosk(*args, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screens", default="screens")
    opts = ap.parse_args()
    screens = os.path.abspath(opts.screens)
    os.makedirs(screens, exist_ok=True)
    s = lambda n: os.path.join(screens, n)
    with tempfile.TemporaryDirectory(prefix="kiosk-reception-") as tmp:
        db = os.path.join(tmp, "rec.db")
        cli(db, "init")
        cli(db, "site", "add", "--code", "SH01", "--name", "上海浦东店")
        cli(db, "staff", "add", "--site", "SH01", "--no", "S001", "--name", "张伟",
            "--role", "consultant", "--pin", "1234")
        cli(db, "duty", "set", "--staff", "S001", "--status", "on")
        cli(db, "model", "add", "--code", "XH7", "--name", "星河 7 SUV", "--price-fen",
            "18980000")
        cli(db, "model", "add", "--code", "XH9", "--name", "星河 9 MPV", "--price-fen",
            "25980000")
        rec_tok, _ = token_file(tmp, db, "SH01", "reception", "Reception 1")
        _, board_raw = token_file(tmp, db, "SH01", "board", "Board 1")
        hub = Hub(tmp, db)
        try:
            # --- 1. a new customer answers every question, by taps ---
            run_kiosk(hub, "reception", rec_tok, f"""
expect_connected
wait_screen reception.attract
tap btn.checkin
wait_screen reception.consent
tap btn.agree
wait_screen reception.phone
type {NEW_PHONE}
tap btn.submit
wait_screen reception.model
wait_text 星河 9 MPV
wait_text 25.98 万元起
screenshot {s('reception-new-1-model.png')}
tap model.XH9
wait_screen reception.source
tap source.referral
wait_screen reception.first_visit
tap first.yes
wait_screen reception.gender
tap gender.female
wait_screen reception.name
type_text lin
wait_text 林
screenshot {s('reception-new-2-name.png')}
tap cand.0
tap kb.done
wait_screen reception.done
wait_text 林女士
wait_text 张伟
wait_text 第 1 位
wait_text 分钟
screenshot {s('reception-new-3-done.png')}
tap btn.finish
wait_screen reception.attract
quit
""", tmp, name="reception-new")
            for n in ("1-model", "2-name", "3-done"):
                png_ok(s(f"reception-new-{n}.png"))
            rows = visits_of(db, NEW_PHONE)
            assert rows == [("XH9", "referral", 1, len("林".encode()) + SEAL, "female", "张伟")], rows
            state = asyncio.run(board_snapshot(hub.url, board_raw))
            seen = [v for v in state["visits"] if v["customer"]["phone"] == "139****0001"]
            assert len(seen) == 1, state["visits"]
            v = seen[0]
            assert (v["customer"]["name"], v["model"], v["source"]) == (
                "林女士", "XH9", "referral"), v
            assert v["customer"]["new"] is True, v

            # --- 2. Back and Cancel on the questions: nothing written ---
            run_kiosk(hub, "reception", rec_tok, f"""
expect_connected
tap btn.checkin
tap btn.agree
type {BACK_PHONE}
tap btn.submit
wait_screen reception.model
tap model.XH7
wait_screen reception.source
tap btn.back
wait_screen reception.model
wait_text ✓ 星河 7 SUV
tap btn.back
wait_screen reception.phone
wait_text 139 1234 0002
tap btn.submit
wait_screen reception.model
tap btn.skip
wait_screen reception.source
tap btn.cancel
wait_screen reception.attract
quit
""", tmp, name="reception-back")
            assert visits_of(db, BACK_PHONE) == [], "a cancelled check-in wrote a visit"
            assert db_rows(db, "SELECT count(*) FROM customers WHERE phone_hash = ?",
                           phone_hash(db, BACK_PHONE)) == [(0,)], "a lookup created a customer"

            # --- 3. returning customers skip the questions ---
            run_kiosk(hub, "reception", rec_tok, f"""
expect_connected
tap btn.checkin
tap btn.agree
type {NEW_PHONE}
tap btn.submit
wait_screen reception.done
wait_text 林女士
quit
""", tmp, name="reception-again")
            assert len(visits_of(db, NEW_PHONE)) == 1, "checked in twice"
            # a customer with an earlier, finished visit (moved to yesterday and departed in
            # the database: the hub reads visits from it on every check-in)
            run_kiosk(hub, "reception", rec_tok, f"""
expect_connected
tap btn.checkin
tap btn.agree
type {OLD_PHONE}
tap btn.submit
wait_screen reception.model
tap btn.skip
tap btn.skip
tap btn.skip
tap btn.skip
tap btn.skip
wait_screen reception.done
quit
""", tmp, name="reception-first")
            con = sqlite3.connect(db)
            con.execute("""UPDATE visits SET status = 'departed', departed_at = arrived_at + 1,
                           arrived_at = arrived_at - 86400000
                           WHERE customer_id = (SELECT id FROM customers WHERE phone_hash = ?)""",
                        (phone_hash(db, OLD_PHONE),))
            con.commit()
            con.close()
            run_kiosk(hub, "reception", rec_tok, f"""
expect_connected
tap btn.checkin
tap btn.agree
type {OLD_PHONE}
tap btn.submit
wait_screen reception.done
screenshot {s('reception-returning-done.png')}
quit
""", tmp, name="reception-returning")
            rows = visits_of(db, OLD_PHONE)
            assert len(rows) == 2, rows
            assert all(r[:3] == (None, None, None) for r in rows), rows

            # --- 4. idle on the name screen: back to attract, every answer gone ---
            script = os.path.join(tmp, "idle.script")
            with open(script, "w") as f:
                f.write(f"""expect_connected
tap btn.checkin
tap btn.agree
type {IDLE_PHONE}
tap btn.submit
wait_screen reception.model
tap model.XH7
tap source.auto_show
tap first.no
tap gender.male
wait_screen reception.name
type_text zhang
tap cand.0
wait_text 张
wait_screen reception.attract
tap btn.checkin
tap btn.agree
wait_screen reception.phone
type {IDLE_PHONE}
tap btn.submit
wait_screen reception.model
tap btn.skip
tap btn.skip
tap btn.skip
tap btn.skip
wait_screen reception.name
tap kb.done
wait_screen reception.done
quit
""")
            time.sleep(1.1)  # see run_kiosk
            r = subprocess.run([os.environ["SHOWFLOOR_KIOSK"], "--mode", "reception", "--hub",
                                hub.url, "--token-file", rec_tok, "--headless", "--size",
                                "1280x720", "--idle-seconds", "5", "--script", script],
                               capture_output=True, text=True, timeout=90)
            assert r.returncode == 0, r.stderr
            rows = visits_of(db, IDLE_PHONE)
            assert rows == [(None, None, None, None, "unknown", "张伟")], rows
        finally:
            hub.stop()
    print(f"kiosk reception ok; screenshots in {screens}")


if __name__ == "__main__":
    main()

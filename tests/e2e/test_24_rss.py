"""24. Hub memory stays bounded under clients that stop reading (issue 6, "Limits": "a
non-reading client is dropped and RSS stays flat").

Waves of NONREADERS board subscribers connect (tiny receive buffers), subscribe and then never
read again, while two reception connections keep check-ins flowing and one board reads every
event. The hub must cut each non-reader off at its bound (max_pending_events unsent events,
hub/README.md "Slow subscribers"), keep serving the reader, and its resident memory
(VmRSS from /proc/<pid>/status, sampled every 0.2 s) must stay flat.

The bound asserted: after the first wave (warm-up: SQLite's page cache, lws buffers, the
allocator's arenas), the hub's VmRSS grows by less than RSS_GROWTH_MAX_KB while at least
MIN_EVENT_MB of event frames go to the reader and WAVES more waves of non-readers are cut.
Why that figure: what the hub may hold for slow subscribers is bounded by max_pending_events
frames (shared between sessions) plus one queue entry per frame per session: 20 x 1,000
events of ~0.5 KB is ~1 MB at worst, and SQLite's page cache is bounded (the default 2 MB).
An unbounded queue instead grows by the event bytes times the non-readers (here hundreds of
MB), far past the limit."""

import asyncio
import base64
import json
import os
import socket
import struct
import time
import unittest

from hubtest import SUBPROTOCOL, Closed, HubCase, metric

NONREADERS = 20
WAVES = 3              # waves after the warm-up one
WAVE_SECONDS = 2.5
SENDERS = 2
WINDOW = 8
RSS_GROWTH_MAX_KB = 6 * 1024
MIN_EVENT_MB = 3.0


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def ws_frame(text):
    """One masked client text frame."""
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                            bytes([0x80 | 126]) + struct.pack("!H", n))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


async def read_frame(reader):
    """One unmasked server text frame's payload."""
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", await reader.readexactly(8))[0]
    return json.loads(await reader.readexactly(n))


async def nonreader(port, token, since):
    """A board that authenticates, subscribes from `since` (a replay: no snapshot of the
    thousands of waiting visits), then never reads again. Its receive buffer is tiny, so
    what the hub sends backs up in the hub."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    s.setblocking(False)
    await asyncio.get_running_loop().sock_connect(s, ("127.0.0.1", port))
    reader, writer = await asyncio.open_connection(sock=s, limit=2048)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {SUBPROTOCOL}\r\n\r\n")
                 .encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    assert (await read_frame(reader))["type"] == "hello"
    writer.write(ws_frame(json.dumps({"type": "auth", "args": {"token": token}})))
    assert (await read_frame(reader))["type"] == "auth_ok"
    writer.write(ws_frame(json.dumps({"type": "subscribe", "id": "s", "args": {"since": since}})))
    res = await read_frame(reader)
    assert res["type"] == "result" and res["ok"], res
    return writer


@unittest.skipIf(os.environ.get("SHOWFLOOR_SANITIZE"),
                 "ASan keeps freed memory in quarantine (hundreds of MB): RSS says nothing there")
class Rss(HubCase):
    hub_args = ("--log-level", "warn")  # tens of thousands of requests
    # The reading board may fall behind on this loaded machine; it must resume by replay:
    # a snapshot of a board holding every one of ~10,000 visits of one day would pass the
    # frame limit (no showroom has such a day; the test's floods do).
    hub_config = "[hub]\nreplay_max = 1000000\n"

    async def sender(self, idx, stop, acked):
        c = await self.connect("reception")
        inflight, n = set(), 0
        while not stop.is_set() or inflight:
            while len(inflight) < WINDOW and not stop.is_set():
                rid = c.next_id()
                await c.send({"type": "checkin", "id": rid,
                              "args": {"phone": f"137{idx}{n:07d}", "consent": True}})
                inflight.add(rid)
                n += 1
            m = await c.recv(timeout=10)
            if m.get("type") == "result" and m.get("id") in inflight:
                inflight.discard(m["id"])
                self.assertTrue(m["ok"], m)
                acked.append(m["data"]["visit"]["id"])
        await c.close()

    async def reader(self, stop, got):
        """The board that reads: counts every event frame and its bytes. Should the machine
        be so loaded that even it falls behind and is cut off, it resumes from its last seq
        as a kiosk does (counted in got["resumed"]); every event must still come once."""
        c = await self.connect("board")
        await self.subscribe(c, 0)
        snap = await c.recv_type("snapshot")
        last = snap["seq"]
        while True:
            try:
                m = await c._recv_raw(0.5)
            except asyncio.TimeoutError:
                if stop.is_set():
                    break
                continue
            except Closed:
                # 1013 for falling behind, or the same cut seen as a reset
                got["resumed"] += 1
                c = await self.connect("board")
                self.assertEqual((await self.subscribe(c, last))["mode"], "replay")
                continue
            if m.get("type") == "event":
                self.assertGreater(m["seq"], last)
                last = m["seq"]
                got["bytes"] += len(c.raw[-1])
                c.raw.clear()
                if m["kind"] == "visit.checked_in":
                    got["visits"].append(m["data"]["visit"]["id"])
        await c.close()

    async def test_24_1_non_reading_subscribers_are_cut_and_rss_stays_flat(self):
        pid = self.hub.proc.pid
        port = self.hub.port
        stop = asyncio.Event()
        acked, got = [], {"bytes": 0, "visits": [], "resumed": 0}
        reader = asyncio.create_task(self.reader(stop, got))
        senders = [asyncio.create_task(self.sender(i, stop, acked)) for i in range(SENDERS)]
        samples = []  # (t, rss kB)
        t0 = time.monotonic()

        async def sample(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                samples.append((time.monotonic() - t0, vm_rss_kb(pid)))
                await asyncio.sleep(0.2)

        base_dropped = await asyncio.to_thread(metric, port,
                                               "showfloor_slow_subscribers_dropped_total")
        warm_rss = warm_bytes = None
        waves = []
        for wave in range(WAVES + 1):
            _, _, health = await asyncio.to_thread(self.hub.http_get, "/healthz")
            since = json.loads(health)["seq"]
            writers = [await nonreader(port, self.site.tokens["board"], since)
                       for _ in range(NONREADERS)]
            want = base_dropped + NONREADERS * (wave + 1)
            w0 = time.monotonic()
            while True:
                await sample(0.4)
                dropped = await asyncio.to_thread(metric, port,
                                                  "showfloor_slow_subscribers_dropped_total")
                if dropped >= want:
                    break
                self.assertLess(time.monotonic() - w0, 30,
                                f"wave {wave}: {dropped - base_dropped} of {want - base_dropped}"
                                " non-readers cut so far")
            waves.append(time.monotonic() - w0)
            for w in writers:
                w.transport.abort()
            await sample(max(0.0, WAVE_SECONDS - (time.monotonic() - w0)))
            if wave == 0:
                warm_rss, warm_bytes = samples[-1][1], got["bytes"]
        stop.set()
        await asyncio.gather(*senders)
        await reader
        peak = max(kb for _, kb in samples if _ >= samples[0][0])
        after = [kb for t, kb in samples if t >= waves[0]]
        growth = max(after) - warm_rss
        event_mb = (got["bytes"] - warm_bytes) / 1e6
        # the reader kept receiving: every acknowledged check-in's event, once
        self.assertEqual(sorted(got["visits"]), sorted(acked))
        self.assertGreater(event_mb, MIN_EVENT_MB, "too few events to say anything")
        self.assertLess(growth, RSS_GROWTH_MAX_KB,
                        f"VmRSS grew {growth} kB after warm-up (samples: {samples})")
        print(f"\n24.1 {WAVES + 1} waves of {NONREADERS} non-readers, each cut off "
              f"({', '.join(f'{w:.1f}' for w in waves)} s to cut a wave); {len(acked)} check-ins,"
              f" {got['bytes'] / 1e6:.1f} MB of events to the reader ({event_mb:.1f} MB after "
              f"warm-up); VmRSS {samples[0][1]} kB at start, {warm_rss} kB after warm-up, "
              f"peak {peak} kB, final {samples[-1][1]} kB: growth after warm-up {growth} kB "
              f"(bound {RSS_GROWTH_MAX_KB} kB); the reader resumed {got['resumed']} times",
              flush=True)


if __name__ == "__main__":
    unittest.main()

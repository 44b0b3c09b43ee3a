"""A fault-injecting TCP proxy on loopback, for network-fault tests (issue 6): clients connect
to FaultProxy.port and their bytes are relayed to the real hub, unless the test says
otherwise. It can

- cut every connection at once (cut_all), with a TCP reset or a plain close;
- cut one connection after N more bytes in one direction (cut_after), which drops it in the
  middle of a WebSocket frame when N is smaller than the frame;
- delay every chunk in one direction (delay), or hold one direction silently (hold/release):
  nothing is forwarded but the connection stays up, as with a dead route or a frozen peer.

The proxy runs its own asyncio loop in a daemon thread, so the test's loop (and code that
blocks it) does not slow the relay. Every control method is safe to call from any thread.
Directions: "up" is client -> hub, "down" is hub -> client.
"""

import asyncio
import random
import socket
import struct
import threading

UP, DOWN = "up", "down"
_CHUNK = 65536


class _Link:
    """One proxied connection: the client's and the hub's streams, and its faults."""

    def __init__(self, number, client, hub):
        self.number = number
        self.streams = {UP: (client[0], hub[1]), DOWN: (hub[0], client[1])}
        self.writers = (client[1], hub[1])
        self.cut_after = {UP: None, DOWN: None}  # bytes still forwarded before the cut
        self.cut_reset = False  # the armed cut sends RST (else FIN after the partial bytes)
        self.sent = {UP: 0, DOWN: 0}
        self.closed = False

    def abort(self, reset=True):
        """Closes both sockets at once; reset=True makes the kernel send RST, not FIN."""
        if self.closed:
            return
        self.closed = True
        for w in self.writers:
            sock = w.get_extra_info("socket")
            if reset and sock is not None:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
            w.transport.abort()


class FaultProxy:
    """Listens on 127.0.0.1 (an ephemeral port, .port) and relays to target_port."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.links = {}  # number -> _Link, open connections only
        self.accepted = 0
        self.cuts = 0  # connections the proxy cut (cut_all and cut_after)
        self._numbers = 0
        self._delay = {UP: 0.0, DOWN: 0.0}
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._flow = self._call(self._make_gates())
        self._server = self._call(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]

    # ---- control (any thread) ----

    def _call(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def _run(self, fn, *args):
        """Runs fn(*args) on the proxy's loop and returns its result."""
        async def call():
            return fn(*args)
        return self._call(call())

    def close(self):
        """Stops listening and cuts every connection; the proxy cannot be used after."""
        async def stop():
            self._server.close()
            for link in list(self.links.values()):
                link.abort()
            self.links.clear()
        self._call(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

    def open_links(self):
        """Numbers of the connections open now."""
        return self._run(lambda: sorted(self.links))

    def cut_all(self, reset=True):
        """Cuts every open connection at once; returns how many."""
        def cut():
            n = 0
            for link in list(self.links.values()):
                if not link.closed:
                    link.abort(reset)
                    n += 1
            self.links.clear()
            self.cuts += n
            return n
        return self._run(cut)

    def cut_after(self, nbytes, direction, number=None, reset=False, rng=random):
        """Cuts a connection (`number`, or one chosen at random) once nbytes more bytes
        have gone in `direction`: the first nbytes are delivered, then FIN (or RST with
        reset=True) on both sides. Returns the link number, or None when none is open."""
        def arm():
            live = [n for n, lk in self.links.items() if not lk.closed]
            if not live:
                return None
            n = number if number in self.links else rng.choice(live)
            self.links[n].cut_after[direction] = nbytes
            self.links[n].cut_reset = reset
            return n
        return self._run(arm)

    def delay(self, direction, seconds):
        """Every chunk in `direction` waits `seconds` before it is forwarded (0: none)."""
        self._run(self._delay.__setitem__, direction, float(seconds))

    def hold(self, direction):
        """Stops forwarding in `direction` on every connection, new ones included; the
        connections stay open and nothing tells either side."""
        self._run(self._flow[direction].clear)

    def release(self, direction):
        self._run(self._flow[direction].set)

    def reset_faults(self):
        """Back to a plain relay: no hold, no delay, no armed cut."""
        def reset():
            for d in (UP, DOWN):
                self._flow[d].set()
                self._delay[d] = 0.0
            for link in self.links.values():
                link.cut_after = {UP: None, DOWN: None}
        self._run(reset)

    # ---- the relay (proxy loop) ----

    async def _make_gates(self):
        gates = {UP: asyncio.Event(), DOWN: asyncio.Event()}
        for g in gates.values():
            g.set()
        return gates

    async def _accept(self, reader, writer):
        try:
            hub = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._numbers += 1
        self.accepted += 1
        link = _Link(self._numbers, (reader, writer), hub)
        self.links[link.number] = link
        pumps = [asyncio.create_task(self._pump(link, d)) for d in (UP, DOWN)]
        done, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        # One side ended: give the other a moment to finish a close handshake, then end.
        if pending:
            await asyncio.wait(pending, timeout=2.0)
        for p in pending:
            p.cancel()
        link.abort(reset=False)
        self.links.pop(link.number, None)

    async def _pump(self, link, direction):
        reader, writer = link.streams[direction]
        try:
            while not link.closed:
                data = await reader.read(_CHUNK)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                await self._flow[direction].wait()
                if self._delay[direction] > 0:
                    await asyncio.sleep(self._delay[direction])
                if link.closed:
                    return
                left = link.cut_after[direction]
                if left is not None and len(data) >= left:
                    # The cut: what fits is forwarded, the rest never arrives.
                    if left:
                        writer.write(data[:left])  # the buffer is empty: sent right here
                    link.abort(link.cut_reset)
                    self.cuts += 1
                    self.links.pop(link.number, None)
                    return
                if left is not None:
                    link.cut_after[direction] = left - len(data)
                link.sent[direction] += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            return

"""A slow network for the browser tests: a TCP proxy on 127.0.0.1 that delivers every byte late.

Each chunk read from one side is written to the other side ``delay_s`` after it was read, in
order, in both directions, so a page loaded through ``DelayProxy.url`` sees a link whose round
trip is at least twice the delay (HTTP, WebSocket and polling alike). Threads only: one reader
and one writer per direction of each connection.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time

Chunk = tuple[float, bytes | None]


class DelayProxy:
    """Forward 127.0.0.1:<port> to 127.0.0.1:``target_port``, ``delay_s`` late each way."""

    def __init__(self, target_port: int, delay_s: float = 0.25) -> None:
        self.target_port = target_port
        self.delay_s = delay_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DelayProxy:
        """Accept connections in a background thread; returns the proxy."""
        threading.Thread(target=self._accept, name="delay-proxy", daemon=True).start()
        return self

    def close(self) -> None:
        """Stop accepting and cut every open connection."""
        with self._lock:
            self._closed = True
            sockets, self._sockets = self._sockets, []
        self._listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._closed:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            for sock in (client, upstream):
                # Small frames (a ping, an ack) must not wait for more data to coalesce with.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._pipe(client, upstream)
            self._pipe(upstream, client)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        """Copy ``source`` to ``sink``: each chunk leaves ``delay_s`` after it arrived."""
        chunks: queue.Queue[Chunk] = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                chunks.put((time.monotonic() + self.delay_s, data or None))
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = chunks.get()
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    if data is None:
                        sink.shutdown(socket.SHUT_WR)
                        return
                    sink.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

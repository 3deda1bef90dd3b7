"""Serving the app: Flask-SocketIO's own runner, except that under gevent the server is built here,
with a handler that sends at once and stands up to a slow, greedy or oversized client
(docs/security.md)."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask import Flask

from quiz.web import MAX_MESSAGE_BYTES

# A WebSocket frame, or a message of several frames, over this is refused from its header: a bit
# over engine.io's own limit, which would only apply after the whole frame had been read.
MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + 1024
CLOSE_TOO_BIG = 1009
CLOSE_PROTOCOL_ERROR = 1002
ENGINEIO_TYPES = "0123456"


@dataclass
class ConnectionLimits:
    """How long a request's headers may take, and how many connections one address may hold."""

    header_timeout_s: float
    per_address: int  # 0: no cap (a reverse proxy in front enforces its own)
    open: Counter[str] = field(default_factory=Counter)

    def admit(self, address: str) -> bool:
        """Count a new connection from ``address``; False (not counted) when it holds the cap."""
        if self.per_address and self.open[address] >= self.per_address:
            return False
        self.open[address] += 1
        return True

    def release(self, address: str) -> None:
        """Forget one closed connection of ``address``."""
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]


def refusal_response(limits: ConnectionLimits) -> bytes:
    """The whole HTTP answer to a connection over its address's cap: 503 with a code."""
    body = json.dumps(
        {
            "error": {
                "code": "too_many_connections",
                "message": f"此地址的连接数已达上限（{limits.per_address}），请稍后再试 / "
                f"this address already holds {limits.per_address} connections",
            }
        },
        ensure_ascii=False,
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 10\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def unmask(payload: bytes, mask: bytes) -> bytes:
    """A client frame's payload XORed with its 4-byte mask, as one big-integer XOR: the library's
    byte-by-byte loop took 50 ms a 64 KB frame."""
    size = len(payload)
    key = (mask * (size // 4 + 1))[:size]
    mixed = int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")
    return mixed.to_bytes(size, "big")


def serve(app: Flask, host: str, port: int) -> None:
    """Serve until stopped; under gevent with the limits of :func:`gevent_handler`.

    Flask-SocketIO's runner takes no handler class, so the gevent server is built here the same
    way it builds it.
    """
    socketio = app.extensions["leitai.hub"].socketio
    if app.config["ASYNC_MODE"] != "gevent":
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)
        return
    from gevent import pywsgi  # noqa: PLC0415 - gevent mode only

    limits = ConnectionLimits(
        header_timeout_s=float(app.config["HEADER_TIMEOUT_S"]),
        per_address=int(app.config["CONNECTIONS_PER_ADDRESS"]),
    )
    handler = gevent_handler(limits)
    pywsgi.WSGIServer((host, port), app, handler_class=handler, log=None).serve_forever()


def gevent_handler(limits: ConnectionLimits) -> type[Any]:
    """gevent-websocket's handler with five changes, each against one way to stall the server.

    - TCP_NODELAY: gevent writes a response's headers and body in two sends; with Nagle's
      algorithm on, the body waited for the client's delayed ACK (40 ms instead of 2-3 ms,
      benchmarks/practice_bench.py).
    - A connection over its address's cap gets a 503 at once (1,100 idle sockets of one client
      blocked every new connection).
    - A request's line and headers must arrive within ``header_timeout_s`` of the server
      waiting for them (so an idle keep-alive connection closes too); once they have, the
      request (a long poll, a WebSocket) runs without it.
    - A WebSocket frame or message over :data:`MAX_FRAME_BYTES` closes the connection (1009) from
      its header, before any of the payload is read.
    - Frames are unmasked and checked for UTF-8 at C speed, not byte by byte in Python.
    """
    import gevent  # noqa: PLC0415 - gevent mode only
    from geventwebsocket.exceptions import (  # type: ignore[import-untyped]  # noqa: PLC0415
        ProtocolError,
        WebSocketError,
    )
    from geventwebsocket.handler import WebSocketHandler  # type: ignore[import-untyped]  # noqa: PLC0415
    from geventwebsocket.websocket import Header, WebSocket  # type: ignore[import-untyped]  # noqa: PLC0415

    class BoundedWebSocket(WebSocket):  # type: ignore[misc]
        """A WebSocket that reads no frame or message over its limit."""

        __slots__ = ()  # the same layout as WebSocket's, so a WebSocket can become one
        limit: ClassVar[int] = MAX_FRAME_BYTES
        closed: bool  # WebSocket's slot

        def read_frame(self) -> tuple[Any, bytes]:
            """WebSocket.read_frame, refusing an oversized frame after its header."""
            header = Header.decode_header(self.stream)
            if header.flags:
                raise ProtocolError
            self.check_size(header)
            if not header.length:
                return header, b""
            try:
                payload = self.raw_read(header.length)
            except OSError:
                payload = b""
            if len(payload) != header.length:
                raise WebSocketError("Unexpected EOF reading frame payload")
            if header.mask:
                payload = unmask(payload, header.mask)
            return header, payload

        def validate_utf8(self, payload: bytes) -> None:
            """Nothing: read_message decodes every text message with Python's own UTF-8 decoder
            anyway, which refuses the same bytes (1007); the library's pure-Python check took
            0.18 s a 64 KB frame, and ran twice."""

        def check_size(self, header: Any) -> None:
            """Close with 1009 when this frame takes its message over the limit."""
            if header.opcode > self.OPCODE_BINARY:
                return  # a control frame: at most 125 bytes, checked by decode_header
            total = header.length
            if header.opcode == self.OPCODE_CONTINUATION:
                total += self.handler.message_bytes
            self.handler.message_bytes = total
            if total <= self.limit:
                return
            self.close_with(CLOSE_TOO_BIG, f"message over {self.limit} bytes")
            raise ProtocolError("frame too large")

        def receive(self) -> Any:
            """The next message; anything but an engine.io packet closes the connection (1002),
            since engine.io would raise on it outside any handler and log a traceback."""
            message = super().receive()
            if isinstance(message, str) and (not message or message[0] not in ENGINEIO_TYPES):
                self.close_with(CLOSE_PROTOCOL_ERROR, "not an engine.io packet")
                return None
            return message

        def close_with(self, code: int, reason: str) -> None:
            """Send a close frame with ``code`` (WebSocket.close sends none) and stop reading."""
            if not self.closed:
                with contextlib.suppress(WebSocketError):
                    self.send_frame(struct.pack("!H", code) + reason.encode(), self.OPCODE_CLOSE)
                self.closed = True  # type: ignore[misc]  # a slot of WebSocket's

    class GuardedHandler(WebSocketHandler):  # type: ignore[misc]
        message_bytes = 0
        header_timer: gevent.Timeout | None = None

        def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, *args, **kwargs)

        def handle(self) -> None:
            address = str(self.client_address[0])
            if not limits.admit(address):
                self.refuse()
                return
            try:
                super().handle()
            finally:
                limits.release(address)

        def refuse(self) -> None:
            """Answer 503 and close; the request is read out first (for at most a second), as
            closing on unread bytes resets the connection before the client reads the 503."""
            with contextlib.suppress(OSError):
                self.socket.sendall(refusal_response(limits))
                self.socket.shutdown(socket.SHUT_WR)
                self.socket.settimeout(1.0)
                deadline = time.monotonic() + 1.0
                while time.monotonic() < deadline and self.socket.recv(65536):
                    pass
            self.socket.close()

        def handle_one_request(self) -> Any:
            timer = gevent.Timeout(limits.header_timeout_s)
            self.header_timer = timer
            timer.start()
            try:
                return super().handle_one_request()
            except gevent.Timeout as fired:
                if fired is not timer:
                    raise
                return None  # close the connection, quietly: a slow client is no fault
            finally:
                timer.close()

        def read_request(self, raw_requestline: str) -> bool:
            try:
                return bool(super().read_request(raw_requestline))
            finally:
                if self.header_timer is not None:
                    self.header_timer.cancel()

        def upgrade_connection(self) -> Any:
            refused = super().upgrade_connection()
            websocket = self.environ.get("wsgi.websocket")
            if websocket is not None:
                # upgrade_connection builds a plain WebSocket and is too long to copy; the
                # subclass adds only methods, so the object can change class in place.
                websocket.__class__ = BoundedWebSocket
            return refused

    return GuardedHandler

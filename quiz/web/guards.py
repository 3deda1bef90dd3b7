"""What reaches the Socket.IO handlers: a well-formed packet, and an event of a known name with at
most one payload. Everything else is refused with a code (docs/protocol.md) and costs at most one
log line a connection a minute, never a traceback.

The checks sit in front of python-socketio's Engine.IO message handler, which would otherwise
raise on a malformed packet (logging a traceback and answering nothing), drop an unknown event
without a word, and call a handler with as many arguments as the client sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO
from socketio import packet  # type: ignore[import-untyped]

from quiz.web.limits import RateLimiter

log = logging.getLogger(__name__)

REFUSAL_EVENT = "refusal"
LOG_INTERVAL_S = 60.0
# Events a client may not send: python-socketio would run the connect handler again.
RESERVED = frozenset({"connect", "disconnect"})
Refusal = tuple[str, str]


class RefusalLog:
    """At most one log line per connection per interval; the next line counts those left out."""

    def __init__(self, interval_s: float = LOG_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._windows: dict[str, tuple[float, int]] = {}

    def refused(self, key: str, code: str, message: str) -> None:
        """Log a refusal of ``key``'s input unless it already had its line this interval."""
        now = time.monotonic()
        started, left_out = self._windows.get(key, (-self.interval_s, 0))
        if now - started < self.interval_s:
            self._windows[key] = (started, left_out + 1)
            return
        self._windows[key] = (now, 0)
        earlier = f" ({left_out} more refused before)" if left_out else ""
        log.warning("refused input from connection %s: %s: %s%s", key, code, message, earlier)

    def forget(self, key: str) -> None:
        """Drop a closed connection's window."""
        self._windows.pop(key, None)


def check_packet(pkt: packet.Packet, known: Callable[[str], bool]) -> Refusal | None:
    """Why a decoded Socket.IO packet is refused, or None when the library may have it."""
    if pkt.packet_type in (packet.CONNECT, packet.DISCONNECT):
        return None
    data = pkt.data
    if pkt.packet_type == packet.ACK:
        if isinstance(data, list) and len(data) <= 1:
            return None
        return "bad_frame", "an acknowledgement carries at most one value"
    if pkt.packet_type != packet.EVENT:
        return "bad_frame", "only JSON events, acknowledgements and connects are accepted"
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        return "bad_frame", "an event is a list: its name, then at most one payload"
    if data[0] in RESERVED or not known(data[0]):
        return "unknown_event", f"no event named {data[0][:40]!r}"
    if len(data) > 2:
        return "bad_payload", "an event carries one payload object"
    return None


class Guard:
    """The checks in front of one Socket.IO server's Engine.IO message handler."""

    def __init__(self, socketio: SocketIO) -> None:
        self.server = socketio.server
        self.handle = self.server.eio.handlers["message"]
        self.close = self.server.eio.handlers["disconnect"]
        self.log = RefusalLog()
        self.budget = RateLimiter(20, burst=20)

    def install(self) -> None:
        """Put the checks in front of the server's message and disconnect handlers."""
        self.server.eio.on("message", self.message)
        self.server.eio.on("disconnect", self.disconnect)

    def known(self, namespace: str) -> Callable[[str], bool]:
        """Whether an event name has a handler in ``namespace``."""
        handlers = self.server.handlers.get(namespace, {})
        return lambda name: name in handlers

    def message(self, eio_sid: str, data: Any) -> None:
        """Hand a checked message on; refuse anything else."""
        if not isinstance(data, str):
            self.refuse(eio_sid, None, ("bad_frame", "binary messages are not in the protocol"))
            return
        try:
            pkt = self.server.packet_class(encoded_packet=data)
        except Exception:  # any decoding fault, even a RecursionError, is the client's
            self.refuse(eio_sid, None, ("bad_frame", "not a Socket.IO packet of JSON"))
            return
        refusal = check_packet(pkt, self.known(pkt.namespace or "/"))
        if refusal is not None:
            self.refuse(eio_sid, pkt, refusal)
            return
        try:
            # Decoded again by the library: a few microseconds for the protocol's small events.
            self.handle(eio_sid, data)
        except Exception as error:  # handlers are guarded; this is the library on odd input
            self.refuse(eio_sid, pkt, ("bad_frame", f"not accepted ({type(error).__name__})"))

    def disconnect(self, eio_sid: str, *reason: Any) -> Any:
        """Forget a closed connection, then let the library close it."""
        self.log.forget(eio_sid)
        self.budget.forget(eio_sid)
        return self.close(eio_sid, *reason)

    def refuse(self, eio_sid: str, pkt: packet.Packet | None, refusal: Refusal) -> None:
        """Answer a refused input: its ack when it asked for one, else a ``refusal`` event."""
        code, message = refusal
        if not self.budget.allow(eio_sid):
            code, message = "rate_limited", "more than 20 refused inputs a second"
        self.log.refused(eio_sid, code, message)
        answer = {"ok": False, "code": code, "message": message}
        namespace = (pkt.namespace if pkt is not None else None) or "/"
        if pkt is not None and pkt.packet_type == packet.EVENT and pkt.id is not None:
            reply = self.server.packet_class(
                packet.ACK, namespace=namespace, data=[answer], id=pkt.id
            )
        else:
            reply = self.server.packet_class(
                packet.EVENT, namespace=namespace, data=[REFUSAL_EVENT, answer]
            )
        self.server.eio.send(eio_sid, reply.encode())

"""Per-device clock samples from server-initiated pings, in the core's sample form.

The server sends ``clock {id, server_ms}`` and the device's ack returns its own time. The server
measures the round trip itself (send to ack), so a device can make its link look slower but
never faster. A sample (server send S0, device time C, server receipt S1) is rewritten as the
core's (client send, server time, client receive) triple with the same offset and delay:
(C - d/2, (S0 + S1)/2, C + d/2) where d = S1 - S0.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque

Sample = tuple[int, int, int]
KEEP = 8


class DeviceClocks:
    """Recent ping samples of every connected device, by Socket.IO session id."""

    def __init__(self) -> None:
        self._samples: dict[str, deque[Sample]] = {}
        # Send times of unanswered pings, the newest few per device: a device that never
        # answers must not make the server remember every ping it was sent.
        self._pending: dict[str, dict[int, int]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def ping_sent(self, sid: str, server_ms: int) -> int:
        """Remember a ping's send time; returns the ping id to send."""
        ping_id = next(self._ids)
        with self._lock:
            pending = self._pending.setdefault(sid, {})
            pending[ping_id] = server_ms
            if len(pending) > KEEP:
                del pending[next(iter(pending))]
        return ping_id

    def pong(self, sid: str, ping_id: object, client_ms: object, received_ms: int) -> None:
        """Record a device's answer to a ping; malformed or unknown answers are dropped."""
        if not isinstance(ping_id, int) or not isinstance(client_ms, int | float):
            return
        with self._lock:
            sent = self._pending.get(sid, {}).pop(ping_id, None)
            if sent is None or received_ms < sent:
                return
            delay = received_ms - sent
            device = int(client_ms)
            sample = (device - delay // 2, (sent + received_ms) // 2, device + (delay - delay // 2))
            self._samples.setdefault(sid, deque(maxlen=KEEP)).append(sample)

    def samples(self, sid: str) -> tuple[Sample, ...]:
        """The device's recent samples, lowest delay first (empty before the first ping)."""
        with self._lock:
            return tuple(sorted(self._samples.get(sid, ()), key=lambda s: s[2] - s[0]))

    def forget(self, sid: str) -> None:
        """Drop a disconnected device's samples and unanswered pings."""
        with self._lock:
            self._samples.pop(sid, None)
            self._pending.pop(sid, None)

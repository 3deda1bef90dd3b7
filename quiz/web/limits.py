"""Rate limits for what a single client may send (a buzz flood must not drown a contest)."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """``rate`` actions per second per key on average, ``burst`` at once (a token bucket)."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True

    def spent(self, key: str) -> bool:
        """Whether ``key``'s bucket is empty now, without taking a token (so that only failures
        need to count, yet a spent key is refused before it tries again)."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            return min(self.burst, tokens + (now - last) * self.rate) < 1

    def forget(self, key: str) -> None:
        """Drop a key's bucket (its client went away)."""
        with self._lock:
            self._buckets.pop(key, None)

"""Who may try to sign in now: a hall's budget per address, and back-off per account and address.

A whole 支队 signs up together behind one NAT address, so the budget per address is large (120
sign-ups, guests and logins a minute by default; the host can change it on /host, and the value
is kept in the settings table). Guessing a password is slowed per (account, address) pair: five
wrong tries are free, then every wrong try doubles the wait, from 2 s up to 15 minutes, and a
right password resets it. A stranger at another address therefore cannot lock a player out. The
host's login backs off per address the same way. Counts live in each process's memory: behind
nginx's sticky sessions (docs/deploy.md) one address reaches one process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.errors import Refused
from quiz.storage.contest_repo import get_setting, set_setting

HALL_LIMIT_KEY = "hall_sign_ins_per_minute"
DEFAULT_PER_MINUTE = 120
MAX_PER_MINUTE = 100_000
FREE_FAILURES = 5
FIRST_WAIT_MS = 2_000
LONGEST_WAIT_MS = 15 * 60_000
# Past this many remembered keys the least recently touched are forgotten, so a flood of names
# or addresses cannot grow the process without bound.
MAX_KEYS = 10_000
# How long a process keeps the hall's limit before reading it again (another process may have
# changed it).
REREAD_MS = 2_000

Key = tuple[str, str]


class RateLimited(Refused):
    """A sign-in refused for now; ``retry_after_s`` is how long to wait (the Retry-After)."""

    def __init__(self, wait_ms: int, message: str) -> None:
        super().__init__("rate_limited", message)
        self.retry_after_s = max(1, -(-wait_ms // 1000))


def _bounded(table: dict[Key, tuple[float, float]], key: Key, value: tuple[float, float]) -> None:
    """Store ``value`` as the newest entry, forgetting the oldest past MAX_KEYS."""
    table.pop(key, None)
    table[key] = value
    while len(table) > MAX_KEYS:
        del table[next(iter(table))]


class SignInGuard:
    """The budget per address and the back-off per (account, address) of one process."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock_ms: Callable[[], int],
        default_per_minute: int = DEFAULT_PER_MINUTE,
    ) -> None:
        self.sessions = sessions
        self.clock_ms = clock_ms
        self.default_per_minute = default_per_minute
        self._budgets: dict[Key, tuple[float, float]] = {}  # (tokens, at)
        self._failures: dict[Key, tuple[float, float]] = {}  # (wrong tries, blocked until)
        self._limit: tuple[int, int] | None = None  # (per minute, read at)
        self._lock = threading.Lock()

    def per_minute(self) -> int:
        """The hall's sign-ins a minute per address: the host's setting, else the default."""
        now = self.clock_ms()
        with self._lock:
            if self._limit is not None and 0 <= now - self._limit[1] < REREAD_MS:
                return self._limit[0]
        with self.sessions() as session:
            stored = get_setting(session, HALL_LIMIT_KEY)
        value = int(stored) if stored is not None and stored.isdigit() else 0
        value = value or self.default_per_minute
        with self._lock:
            self._limit = (value, now)
        return value

    def set_per_minute(self, value: int) -> None:
        """Store the hall's limit (1 to 100,000 a minute) for every process."""
        if not 1 <= value <= MAX_PER_MINUTE:
            raise Refused("bad_field", f"每分钟次数应为 1 到 {MAX_PER_MINUTE}")
        with self.sessions.begin() as session:
            set_setting(session, HALL_LIMIT_KEY, str(value))
        with self._lock:
            self._limit = (value, self.clock_ms())

    def admit(self, address: str) -> None:
        """Take one sign-up, guest or login from ``address``'s budget, or raise RateLimited."""
        per_minute = self.per_minute()
        rate = per_minute / 60_000  # tokens a millisecond
        now = self.clock_ms()
        key = ("address", address)
        with self._lock:
            tokens, at = self._budgets.get(key, (per_minute, now))
            tokens = min(per_minute, tokens + max(0, now - at) * rate)
            if tokens < 1:
                _bounded(self._budgets, key, (tokens, now))
                raise RateLimited(
                    int((1 - tokens) / rate),
                    f"这个地址每分钟最多登录或注册 {per_minute} 次，请稍后再试",
                )
            _bounded(self._budgets, key, (tokens - 1, now))

    def before_password(self, key: Key) -> None:
        """Raise RateLimited while ``key`` (an account and an address) is backing off."""
        now = self.clock_ms()
        with self._lock:
            _, until = self._failures.get(key, (0, 0))
        if now < until:
            raise RateLimited(int(until - now), "密码错误次数过多，请稍后再试")

    def after_password(self, key: Key, right: bool) -> None:
        """A right password clears ``key``'s wrong tries; a wrong one may start a wait."""
        now = self.clock_ms()
        with self._lock:
            if right:
                self._failures.pop(key, None)
                return
            wrong = int(self._failures.get(key, (0, 0))[0]) + 1
            wait = 0
            if wrong >= FREE_FAILURES:
                wait = min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** min(30, wrong - FREE_FAILURES))
            _bounded(self._failures, key, (wrong, now + wait))

"""The daily challenge's set: the same questions for everyone on a day, drawn by the date."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence

DAILY_COUNT = 10
POINTS_PER_CORRECT = 10
# Nobody reads a question and answers it in under this: a faster run had the keys beforehand.
DAILY_FLOOR_MS = 2000


def daily_seed(day: dt.date) -> int:
    """A seed that depends on the date only (not on the process, the server or the clock)."""
    digest = hashlib.sha256(f"leitai-daily:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def pick_daily(candidates: Sequence[str], day: dt.date, count: int = DAILY_COUNT) -> list[str]:
    """``count`` of the named candidates drawn by the day's seed, whatever order they come in."""
    pool = sorted(set(candidates))
    return random.Random(daily_seed(day)).sample(pool, min(count, len(pool)))


def month_of(day: dt.date) -> str:
    """The leaderboard key of a day's month, e.g. '2026-11'."""
    return f"{day.year:04d}-{day.month:02d}"


def too_fast(elapsed_ms: int, count: int, floor_ms: int = DAILY_FLOOR_MS) -> bool:
    """Whether a run of ``count`` questions took under ``floor_ms`` a question: implausible
    without the keys, so the run is finished and scored but left off the boards."""
    return elapsed_ms < floor_ms * count

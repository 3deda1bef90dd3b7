"""NTP-style clock estimation from ping samples; pure, so the server logs samples and replays.

A sample is (t0, t1, t2): the client's send time, the server's time on receipt, the client's
receive time. If the server read its clock somewhere between send and receive, the true offset
(client minus server) lies in [theta - d/2, theta + d/2] with theta = (t0 + t2)/2 - t1 and
d = t2 - t0. Low-delay samples give narrow intervals, so the lowest-delay ones are kept and
their intervals intersected; jittery samples would only widen the bound.
"""

from __future__ import annotations

from collections.abc import Sequence

from quiz.engine.errors import ContestError
from quiz.engine.state import ClockEstimate

Sample = tuple[int, int, int]


class ClockSyncError(ContestError):
    """No usable ping sample (every one had a negative round trip)."""


def estimate_clock(samples: Sequence[Sample], keep: int = 4) -> ClockEstimate:
    """Offset and bound from the `keep` lowest-delay samples (intersection of their intervals)."""
    usable = sorted(
        ((t2 - t0, (t0 + t2) / 2 - t1) for t0, t1, t2 in samples if t2 >= t0),
        key=lambda pair: pair[0],
    )[:keep]
    if not usable:
        raise ClockSyncError("no ping sample with a non-negative round trip")
    low = max(theta - delay / 2 for delay, theta in usable)
    high = min(theta + delay / 2 for delay, theta in usable)
    best_delay, best_theta = usable[0]
    if low > high:
        # Intervals that do not meet mean drift or a lying sample: trust only the best one.
        low, high = best_theta - best_delay / 2, best_theta + best_delay / 2
    return ClockEstimate(
        offset_ms=round((low + high) / 2, 3),
        bound_ms=round((high - low) / 2, 3),
        rtt_ms=float(best_delay),
    )

"""Clock estimation: recovers a known offset within its bound, prefers low-delay samples."""

from __future__ import annotations

import random

import pytest

from quiz.engine.clocksync import ClockSyncError, estimate_clock


def ping(offset: float, up: float, down: float, server_at: int) -> tuple[int, int, int]:
    """A sample for a client whose clock reads server time + offset."""
    sent = server_at - up + offset
    return (round(sent), server_at, round(server_at + down + offset))


def test_symmetric_link_recovers_the_offset_exactly() -> None:
    samples = [ping(5_000, 50, 50, 1_000 * n) for n in range(5)]
    estimate = estimate_clock(samples)
    assert estimate.offset_ms == pytest.approx(5_000, abs=1)
    assert estimate.rtt_ms == 100


def test_true_offset_always_within_the_bound() -> None:
    rng = random.Random(11)
    for _ in range(200):
        offset = rng.uniform(-50_000, 50_000)
        samples = [
            ping(offset, 100 + rng.expovariate(1 / 30), 100 + rng.expovariate(1 / 30), 1000 * n)
            for n in range(8)
        ]
        estimate = estimate_clock(samples)
        assert abs(estimate.offset_ms - offset) <= estimate.bound_ms + 1


def test_a_delayed_sample_does_not_widen_the_estimate() -> None:
    good = [ping(200, 20, 20, 1000 * n) for n in range(4)]
    estimate = estimate_clock([*good, ping(200, 900, 20, 9000)])
    assert estimate.rtt_ms == 40
    assert estimate.bound_ms <= 20


def test_no_usable_sample_raises() -> None:
    with pytest.raises(ClockSyncError):
        estimate_clock([(100, 50, 90)])

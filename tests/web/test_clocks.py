"""Device clock samples from server pings, in the core's (client send, server, client receive)."""

from __future__ import annotations

from quiz.engine.clocksync import estimate_clock
from quiz.web.clocks import KEEP, DeviceClocks


def test_a_ping_becomes_a_sample_with_the_same_offset_and_delay() -> None:
    clocks = DeviceClocks()
    ping = clocks.ping_sent("phone", 10_000)
    clocks.pong("phone", ping, 15_040, 10_080)  # the device runs 5,000 ms ahead; 80 ms round trip
    [sample] = clocks.samples("phone")
    assert sample == (15_000, 10_040, 15_080)
    estimate = estimate_clock([sample])
    assert (estimate.offset_ms, estimate.bound_ms, estimate.rtt_ms) == (5_000, 40, 80)


def test_forged_unknown_or_malformed_answers_are_dropped() -> None:
    clocks = DeviceClocks()
    ping = clocks.ping_sent("phone", 10_000)
    clocks.pong("other", ping, 1, 10_010)  # another device cannot answer this ping
    clocks.pong("phone", "1", 1, 10_010)
    clocks.pong("phone", ping, "soon", 10_010)
    clocks.pong("phone", ping + 99, 1, 10_010)
    assert clocks.samples("phone") == ()
    clocks.pong("phone", ping, 10_005, 10_010)
    clocks.pong("phone", ping, 10_005, 10_010)  # a replayed answer counts once
    assert len(clocks.samples("phone")) == 1


def test_a_silent_device_does_not_grow_memory() -> None:
    clocks = DeviceClocks()
    ids = [clocks.ping_sent("mute", n) for n in range(1_000)]
    for old in ids[:-KEEP]:
        clocks.pong("mute", old, 0, 1_000)  # only the newest KEEP pings are remembered
    assert clocks.samples("mute") == ()
    for recent in ids[-KEEP:]:
        clocks.pong("mute", recent, 999, 1_001)
    assert len(clocks.samples("mute")) == KEEP
    clocks.forget("mute")
    assert clocks.samples("mute") == ()

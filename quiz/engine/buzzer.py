"""Buzzer arbitration: early-press fouls, corrected reaction times, and the ranking of a race.

`arrival` ranks by server arrival time. `compensated` ranks by reaction time: the client's
claim (pressed minus shown, both on its own clock, so the clock offset cancels) is trusted only
inside the interval its measured round trip allows: the time from arming to arrival, minus at
most the round trip plus a tolerance. A client that lies can gain at most that tolerance.
Ties fall to the earlier arrival, then to the order in which the server received the buzzes.
"""

from __future__ import annotations

from collections.abc import Sequence

from quiz.engine.rules import Fairness
from quiz.engine.state import BuzzRecord, ClockEstimate, RankedBuzz


def tolerance_ms(trust_margin_ms: int, clock: ClockEstimate | None) -> float:
    """How far a claim may stray: the template's margin plus the clock estimate's bound."""
    return trust_margin_ms + (clock.bound_ms if clock is not None else 0.0)


def pressed_early(
    at: int,
    armed_at: int,
    fairness: Fairness,
    clock: ClockEstimate | None,
    shown_ms: int | None,
    pressed_ms: int | None,
    trust_margin_ms: int,
) -> bool:
    """A foul: arrival before arming, or (compensated) a press before the arm was shown or sent."""
    if at < armed_at:
        return True
    if fairness != "compensated" or pressed_ms is None:
        return False
    if shown_ms is not None and pressed_ms < shown_ms:
        return True
    if clock is None:
        return False
    pressed_server = pressed_ms - clock.offset_ms
    return pressed_server < armed_at - tolerance_ms(trust_margin_ms, clock)


def corrected_reaction(
    at: int,
    armed_at: int,
    clock: ClockEstimate | None,
    shown_ms: int | None,
    pressed_ms: int | None,
    trust_margin_ms: int,
) -> int:
    """The reaction time used for ranking: the claim clamped to what the latency allows."""
    elapsed = at - armed_at
    rtt = clock.rtt_ms if clock is not None else 0.0
    if shown_ms is None or pressed_ms is None:
        return round(elapsed - rtt)
    low = elapsed - rtt - tolerance_ms(trust_margin_ms, clock)
    claim = pressed_ms - shown_ms
    return round(min(max(claim, low), elapsed))


def suspect_claim(
    at: int,
    armed_at: int,
    clock: ClockEstimate | None,
    shown_ms: int | None,
    pressed_ms: int | None,
    trust_margin_ms: int,
    min_reaction_ms: int,
) -> str | None:
    """Why a claim is physically impossible (a reason code), or None when it could be true.

    A claim is suspect when its reaction (pressed minus shown) is below the human floor, when the
    device says it showed the armed buzzer before the arm could reach it (server time, less the
    tolerance), or when it says it was pressed after the server had already received the buzz.
    """
    if shown_ms is None or pressed_ms is None:
        return None
    if pressed_ms - shown_ms < min_reaction_ms:
        return "reaction_below_floor"
    if clock is None:
        return None
    tolerance = tolerance_ms(trust_margin_ms, clock)
    if shown_ms - clock.offset_ms < armed_at - tolerance:
        return "shown_before_arm"
    if pressed_ms - clock.offset_ms > at + tolerance:
        return "pressed_after_arrival"
    return None


def rank_buzzes(buzzes: Sequence[BuzzRecord], fairness: Fairness) -> tuple[RankedBuzz, ...]:
    """Order a race's buzzes (exactly one first) with each margin behind the winner in ms."""
    if fairness == "compensated":
        ordered = sorted(buzzes, key=lambda b: (_reaction(b), b.at, b.order))
        first = _reaction(ordered[0]) if ordered else 0
        return tuple(
            RankedBuzz(team=b.team, margin_ms=_reaction(b) - first, reaction_ms=b.reaction_ms)
            for b in ordered
        )
    ordered = sorted(buzzes, key=lambda b: (b.at, b.order))
    first_at = ordered[0].at if ordered else 0
    return tuple(
        RankedBuzz(team=b.team, margin_ms=b.at - first_at, reaction_ms=None) for b in ordered
    )


def _reaction(buzz: BuzzRecord) -> int:
    """A compensated buzz always has a reaction; an arrival-mode one ranks by arrival instead."""
    return buzz.reaction_ms if buzz.reaction_ms is not None else buzz.at

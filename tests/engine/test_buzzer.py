"""Arbitration rules: early presses, the trusted reaction interval, one winner with margins."""

from __future__ import annotations

from quiz.engine.buzzer import corrected_reaction, pressed_early, rank_buzzes
from quiz.engine.state import BuzzRecord, ClockEstimate

CLOCK = ClockEstimate(offset_ms=10_000.0, bound_ms=5.0, rtt_ms=600.0)


def test_arrival_before_arming_is_a_foul_in_every_mode() -> None:
    assert pressed_early(999, 1000, "arrival", None, None, None, 100)
    assert pressed_early(999, 1000, "compensated", CLOCK, 1, 2, 100)
    assert not pressed_early(1000, 1000, "arrival", None, None, None, 100)


def test_compensated_press_before_the_arm_was_shown_is_a_foul() -> None:
    assert pressed_early(2000, 1000, "compensated", CLOCK, 11_500, 11_400, 100)


def test_compensated_press_before_arming_in_server_time_is_a_foul() -> None:
    # Pressed at server time 700 (client 10_700) though arming was at 1000: it only arrived late.
    assert pressed_early(1300, 1000, "compensated", CLOCK, None, 10_700, 100)
    assert not pressed_early(1300, 1000, "compensated", CLOCK, None, 11_050, 100)


def test_an_honest_claim_inside_the_interval_is_used_as_is() -> None:
    # Armed 1000, arrived 1900 on a 600 ms link: reaction can be 300 .. 900 minus tolerance.
    assert corrected_reaction(1900, 1000, CLOCK, 11_300, 11_500, 100) == 200


def test_a_claim_too_good_for_the_link_is_clamped() -> None:
    low = 1900 - 1000 - 600 - (100 + 5)
    assert corrected_reaction(1900, 1000, CLOCK, 11_300, 11_301, 100) == low


def test_a_claim_slower_than_the_arrival_allows_is_capped_at_the_elapsed_time() -> None:
    assert corrected_reaction(1900, 1000, CLOCK, 11_000, 13_000, 100) == 900


def test_without_claims_the_reaction_is_elapsed_minus_round_trip() -> None:
    assert corrected_reaction(1900, 1000, CLOCK, None, None, 100) == 300


def buzz(team: str, at: int, order: int, reaction: int | None = None) -> BuzzRecord:
    return BuzzRecord(team=team, player=None, at=at, order=order, reaction_ms=reaction)


def test_arrival_ranking_and_margins() -> None:
    ranking = rank_buzzes([buzz("b", 130, 1), buzz("a", 100, 0), buzz("c", 100, 2)], "arrival")
    assert [(r.team, r.margin_ms) for r in ranking] == [("a", 0), ("c", 0), ("b", 30)]


def test_compensated_ranking_breaks_ties_by_arrival_then_order() -> None:
    buzzes = [buzz("far", 900, 0, 250), buzz("near", 300, 1, 250), buzz("slow", 310, 2, 400)]
    ranking = rank_buzzes(buzzes, "compensated")
    assert [(r.team, r.margin_ms) for r in ranking] == [("near", 0), ("far", 0), ("slow", 150)]

"""Physically impossible buzz claims: marked in the host's evidence, handled by the template."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.engine.buzzer import suspect_claim
from quiz.engine.commands import ArmBuzzers, Buzz, OpenQuestion, StartRound, SyncClock, Tick
from quiz.engine.errors import RuleSetError
from quiz.engine.events import BuzzRaceDecided, FoulCommitted
from quiz.engine.state import ClockEstimate, ContestState
from quiz.engine.views import view
from tests.engine.factories import contest, rules, run

# Offset 0, bound 10 ms, round trip 20 ms: the tolerance is 100 + 10 ms.
CLOCK = ClockEstimate(offset_ms=0.0, bound_ms=10.0, rtt_ms=20.0)


def claim(shown: int | None, pressed: int | None, at: int = 1400, floor: int = 100) -> str | None:
    return suspect_claim(at, 1000, CLOCK, shown, pressed, 100, floor)


def test_a_human_claim_inside_the_physics_is_not_suspect() -> None:
    assert claim(1010, 1260) is None


def test_a_reaction_below_the_human_floor_is_suspect() -> None:
    assert claim(1299, 1300) == "reaction_below_floor"
    assert claim(1299, 1300, floor=0) is None


def test_showing_the_buzzer_before_the_arm_could_arrive_is_suspect() -> None:
    assert claim(880, 1260) == "shown_before_arm"
    assert claim(890, 1260) is None


def test_a_press_after_the_server_received_the_buzz_is_suspect() -> None:
    assert claim(1300, 1511) == "pressed_after_arrival"
    assert claim(1300, 1510) is None


def test_without_claims_or_clock_only_the_floor_can_be_checked() -> None:
    assert claim(None, 1300) is None
    assert suspect_claim(1400, 1000, None, 500, 1300, 100, 100) is None
    assert suspect_claim(1400, 1000, None, 1299, 1300, 100, 100) == "reaction_below_floor"


def race(**round_rules: Any) -> ContestState:
    state = contest(
        {"kind": "抢答", "fairness": "compensated", "questions": {"count": 4}, **round_rules}
    )
    state, _ = run(
        state,
        [
            StartRound(at=0),
            SyncClock(at=10, team="lhasa", samples=((0, 10, 20),)),
            SyncClock(at=10, team="ngari", samples=((0, 10, 20),)),
            OpenQuestion(at=100),
            ArmBuzzers(at=1000),
        ],
    )
    return state


LIAR = Buzz(at=1300, team="lhasa", shown_ms=1299, pressed_ms=1300)
HONEST = Buzz(at=1400, team="ngari", shown_ms=1010, pressed_ms=1260)


def evidence(state: ContestState, role: str = "host") -> list[dict[str, Any]]:
    question = view(state, role)["question"]
    return list(question["race"].get("evidence", []))


def test_by_default_a_suspect_claim_ranks_by_arrival_and_is_marked() -> None:
    state, events = run(race(), [LIAR, HONEST, Tick(at=3000)])
    decided = next(e for e in events if isinstance(e, BuzzRaceDecided))
    assert decided.winner == "ngari"
    marks = {b["team"]: (b["suspect"], b["reaction_ms"]) for b in evidence(state)}
    # No latency credit: the liar's reaction is its arrival 300 ms after arming.
    assert marks == {"lhasa": ("reaction_below_floor", 300), "ngari": (None, 270)}
    assert not any(isinstance(e, FoulCommitted) for e in events)


def test_the_foul_policy_fouls_a_suspect_claim_and_keeps_it_as_evidence() -> None:
    state, events = run(race(suspect_claim="foul"), [LIAR, HONEST, Tick(at=3000)])
    fouls = [e for e in events if isinstance(e, FoulCommitted)]
    assert [(f.team, f.penalty) for f in fouls] == [("lhasa", 10)]
    assert state.totals["lhasa"] == 90
    decided = next(e for e in events if isinstance(e, BuzzRaceDecided))
    assert [r.team for r in decided.ranking] == ["ngari"]
    assert [(b["team"], b["suspect"]) for b in evidence(state)] == [
        ("lhasa", "reaction_below_floor"),
        ("ngari", None),
    ]
    assert view(state, "team:lhasa")["you"]["locked_out"]


@pytest.mark.parametrize("role", ["screen", "audience", "team:ngari", "team:lhasa"])
def test_only_the_host_sees_the_evidence(role: str) -> None:
    state, _ = run(race(suspect_claim="foul"), [LIAR, HONEST, Tick(at=3000)])
    assert "evidence" not in view(state, role)["question"]["race"]


def test_the_floor_is_a_template_setting() -> None:
    state, _ = run(race(min_reaction_ms=0), [LIAR, HONEST, Tick(at=3000)])
    assert [b["suspect"] for b in evidence(state)] == [None, None]


def test_arrival_rounds_do_not_judge_claims() -> None:
    state, _ = run(race(fairness="arrival"), [LIAR])
    assert [b["suspect"] for b in evidence(state)] == [None]


def test_bad_claim_settings_are_refused_with_their_path() -> None:
    with pytest.raises(RuleSetError) as policy:
        rules({"kind": "抢答", "suspect_claim": "ban"})
    assert policy.value.path == ("rounds", 0, "suspect_claim")
    with pytest.raises(RuleSetError) as floor:
        rules({"kind": "抢答", "min_reaction_ms": -1})
    assert floor.value.path == ("rounds", 0, "min_reaction_ms")


@settings(max_examples=300, deadline=None)
@given(
    true_offset=st.integers(-3_600_000, 3_600_000),
    error=st.floats(-1.0, 1.0),
    bound=st.integers(0, 300),
    down=st.integers(0, 2_000),
    reaction=st.integers(100, 5_000),
    up=st.integers(0, 2_000),
)
def test_an_honest_device_is_never_suspect(
    true_offset: int, error: float, bound: int, down: int, reaction: int, up: int
) -> None:
    """Whatever its link, a device that tells the truth with a clock estimate inside its bound."""
    armed_at = 1_000_000
    shown = armed_at + down
    pressed = shown + reaction
    clock = ClockEstimate(offset_ms=true_offset + error * bound, bound_ms=bound, rtt_ms=down + up)
    reason = suspect_claim(
        pressed + up, armed_at, clock, shown + true_offset, pressed + true_offset, 100, 100
    )
    assert reason is None


@settings(max_examples=300, deadline=None)
@given(elapsed=st.integers(0, 5_000), claim=st.integers(0, 99), rtt=st.integers(0, 1_000))
def test_a_claim_below_the_floor_never_ranks_ahead_of_its_arrival(
    elapsed: int, claim: int, rtt: int
) -> None:
    """The liar's reaction is its whole arrival time: no latency credit, whatever it claims."""
    state = contest({"kind": "抢答", "fairness": "compensated", "questions": {"count": 2}})
    state, _ = run(
        state,
        [
            StartRound(at=0),
            SyncClock(at=10, team="lhasa", samples=((0, rtt // 2, rtt),)),
            OpenQuestion(at=100),
            ArmBuzzers(at=1000),
            Buzz(at=1000 + elapsed, team="lhasa", shown_ms=5_000, pressed_ms=5_000 + claim),
        ],
    )
    [record] = evidence(state)
    assert (record["suspect"], record["reaction_ms"]) == ("reaction_below_floor", elapsed)

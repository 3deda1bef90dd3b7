"""Round lifecycle: risk order and tiers, tie-breaks among the tied only, freezing, ending."""

from __future__ import annotations

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    ChooseTier,
    EndRound,
    Judge,
    OpenQuestion,
    PassQuestion,
    PromptAnswer,
    StartRound,
    Tick,
)
from quiz.engine.errors import NotPermitted, WrongPhase
from quiz.engine.events import BuzzIgnored, RoundEnded, StandingsFrozen
from quiz.engine.machine import apply
from tests.engine.factories import contest, run

RISK = {"kind": "风险", "answer_input": "spoken", "questions": {"count": 2}}


def test_risk_turns_go_lowest_score_first_and_a_tier_stakes_its_value() -> None:
    state, _ = run(
        contest(RISK),
        [
            AdjustScore(at=0, team="lhasa", delta=30, note="earlier rounds"),
            AdjustScore(at=0, team="shigatse", delta=10, note="earlier rounds"),
            StartRound(at=1),
        ],
    )
    assert state.round is not None
    assert state.round.order == ("ngari", "shigatse", "lhasa")
    with pytest.raises(NotPermitted, match="ngari's turn"):
        apply(state, ChooseTier(at=2, team="lhasa", points=30))
    with pytest.raises(NotPermitted, match="not offered"):
        apply(state, ChooseTier(at=2, team="ngari", points=25))
    state, _ = run(
        state,
        [
            ChooseTier(at=2, team="ngari", points=30),
            PromptAnswer(at=60_000),
            Judge(at=61_000, team="ngari", correct=False),
        ],
    )
    assert state.totals["ngari"] == 70
    state, _ = run(
        state,
        [
            ChooseTier(at=62_000, team="shigatse", points=20),
            PromptAnswer(at=62_001),
            Tick(at=62_001 + 60_000),
        ],
    )
    # A spoken answer is the host's to judge: time-up stops the clock and costs nothing yet.
    assert state.totals["shigatse"] == 110
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.step == "judging"
    state, _ = run(state, [Judge(at=200_000, team="shigatse", correct=False)])
    assert state.totals["shigatse"] == 90


def test_risk_pass_scores_nothing_and_the_last_turn_ends_the_round() -> None:
    state, events = run(
        contest(RISK),
        [
            StartRound(at=0),
            PassQuestion(at=1, team="lhasa"),
            ChooseTier(at=2, team="shigatse", points=10),
            PassQuestion(at=3, team="shigatse"),
            ChooseTier(at=4, team="ngari", points=10),
            PromptAnswer(at=5),
            Judge(at=6, team="ngari", correct=True),
        ],
    )
    assert state.totals == {"lhasa": 100, "shigatse": 100, "ngari": 110}
    assert isinstance(events[-1], RoundEnded)
    assert state.phase == "between_rounds"


def test_tiebreak_is_only_for_the_tied_teams_and_ends_when_the_tie_breaks() -> None:
    state, events = run(
        contest({"kind": "抢答"}, {"kind": "加赛"}),
        [
            AdjustScore(at=0, team="lhasa", delta=20, note="x"),
            AdjustScore(at=0, team="ngari", delta=20, note="x"),
            StartRound(at=1),
            EndRound(at=2),
            StartRound(at=3),
            OpenQuestion(at=4),
            ArmBuzzers(at=5),
            Buzz(at=6, team="shigatse"),
            Buzz(at=7, team="ngari"),
            Judge(at=8, team="ngari", correct=True),
        ],
    )
    assert BuzzIgnored(at=6, team="shigatse", reason="not_in_race") in events
    assert isinstance(events[-1], RoundEnded)
    assert events[-1].reason == "tie broken"
    assert state.totals == {"lhasa": 120, "shigatse": 100, "ngari": 120}
    assert state.tiebreak_totals["ngari"] == 10


def test_tiebreak_without_a_tie_ends_at_once() -> None:
    _state, events = run(
        contest({"kind": "加赛"}),
        [AdjustScore(at=0, team="lhasa", delta=5, note="x"), StartRound(at=1)],
    )
    assert events[-1] == RoundEnded(at=1, round_index=0, reason="no tie")


def test_standings_freeze_before_the_last_round_when_the_template_says_so() -> None:
    state, events = run(
        contest({"kind": "抢答"}, {"kind": "风险"}, freeze_before_last_round=True),
        [StartRound(at=0), EndRound(at=1), StartRound(at=2)],
    )
    assert StandingsFrozen(at=2) in events
    assert state.frozen_at == len(state.ledger)


def test_rounds_start_in_order_and_not_while_one_runs() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0)])
    with pytest.raises(WrongPhase, match="buzzer/idle"):
        apply(state, StartRound(at=1))
    state, _ = run(state, [EndRound(at=2)])
    with pytest.raises(NotPermitted, match="every round"):
        apply(state, StartRound(at=3))


def test_a_round_cannot_end_with_a_question_open() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    with pytest.raises(WrongPhase, match="buzzer/reading"):
        apply(state, EndRound(at=2))

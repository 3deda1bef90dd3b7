"""Scoring rules: speed points, team means, and the documented tie rule."""

from __future__ import annotations

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    Judge,
    OpenQuestion,
    ReplaceQuestion,
    StartRound,
    UndoJudgement,
)
from quiz.engine.scoring import ledger_totals, mean_points, speed_points, standings
from quiz.engine.state import ContestState
from tests.engine.factories import contest, run


def test_speed_points_range_from_all_to_half() -> None:
    assert speed_points(100, 0, 20_000) == 100
    assert speed_points(100, 10_000, 20_000) == 75
    assert speed_points(100, 20_000, 20_000) == 50
    assert speed_points(100, 99_000, 20_000) == 50
    assert speed_points(10, 1_000, 20_000) == 10


def test_mean_over_the_roster_rounds_half_up() -> None:
    assert mean_points([10, 10, 0], 3) == 7
    assert mean_points([10, 5], 4) == 4
    assert mean_points([], 0) == 0


def test_scores_start_at_the_base_and_equal_the_ledger_sum() -> None:
    state = contest({"kind": "抢答"})
    assert state.totals == {"lhasa": 100, "shigatse": 100, "ngari": 100}
    assert ledger_totals(state.ledger) == state.totals


def test_equal_scores_rank_by_who_reached_the_score_first() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [
            AdjustScore(at=1, team="ngari", delta=10, note="a"),
            AdjustScore(at=2, team="lhasa", delta=10, note="b"),
        ],
    )
    table = standings(state)
    assert [(s.team, s.score) for s in table] == [
        ("ngari", 110),
        ("lhasa", 110),
        ("shigatse", 100),
    ]
    assert table[1].tie_broken_by == "reached first"
    assert table[2].tie_broken_by is None


def test_frozen_standings_use_the_ledger_up_to_the_freeze() -> None:
    state, _ = run(contest({"kind": "抢答"}), [AdjustScore(at=1, team="ngari", delta=5, note="x")])
    frozen_at = len(state.ledger)
    state, _ = run(state, [AdjustScore(at=2, team="lhasa", delta=50, note="y")])
    assert standings(state, upto=frozen_at)[0].team == "ngari"
    assert standings(state)[0].team == "lhasa"


FOUR = ("lhasa", "shigatse", "ngari", "nyingchi")


def four_tied_at_120() -> tuple[ContestState, int]:
    """Every team at 120, lhasa first to get there; returns the state and the next free time."""
    state = contest({"kind": "抢答", "rebound": "none", "questions": {"count": 12}}, teams=FOUR)
    state, _ = run(state, [StartRound(at=0)])
    at = 1000
    for team in ("lhasa", "lhasa", "shigatse", "shigatse", "ngari", "ngari", "nyingchi"):
        state = buzzed_and_judged(state, at, team, correct=True)
        at += 1000
    return buzzed_and_judged(state, at, "nyingchi", correct=True), at + 1000


def buzzed_and_judged(state: ContestState, at: int, team: str, correct: bool) -> ContestState:
    state, _ = run(
        state,
        [
            OpenQuestion(at=at),
            ArmBuzzers(at=at + 10),
            Buzz(at=at + 20, team=team),
            Judge(at=at + 30, team=team, correct=correct),
        ],
    )
    return state


def test_a_pending_undo_keeps_the_time_the_team_first_held_its_score() -> None:
    state, at = four_tied_at_120()
    assert [s.team for s in standings(state)] == list(FOUR)
    held_since = standings(state)[0].reached_at
    state = buzzed_and_judged(state, at, "lhasa", correct=True)
    state, _ = run(state, [UndoJudgement(at=at + 40)])
    table = standings(state)
    assert [(s.team, s.score) for s in table][:2] == [("lhasa", 120), ("shigatse", 120)]
    assert table[0].reached_at == held_since == 2030
    assert table[1].tie_broken_by == "reached first"


@pytest.mark.parametrize("correct", [True, False])
def test_undo_then_the_same_judgement_gives_the_same_standings(correct: bool) -> None:
    state, at = four_tied_at_120()
    state = buzzed_and_judged(state, at, "lhasa", correct=correct)
    before = standings(state)
    state, _ = run(
        state,
        [UndoJudgement(at=at + 40), Judge(at=at + 5000, team="lhasa", correct=correct)],
    )
    assert standings(state) == before
    assert next(s for s in before if s.team == "lhasa").reached_at == at + 30


def test_a_judgement_changed_after_undo_reaches_its_score_when_it_is_made() -> None:
    state, at = four_tied_at_120()
    state = buzzed_and_judged(state, at, "lhasa", correct=True)
    state, _ = run(
        state, [UndoJudgement(at=at + 40), Judge(at=at + 5000, team="lhasa", correct=False)]
    )
    lhasa = next(s for s in standings(state) if s.team == "lhasa")
    assert (lhasa.score, lhasa.rank, lhasa.reached_at) == (110, 4, at + 5000)


def test_a_replaced_question_leaves_the_team_its_earlier_time() -> None:
    state, at = four_tied_at_120()
    state = buzzed_and_judged(state, at, "lhasa", correct=True)
    state, _ = run(state, [ReplaceQuestion(at=at + 40)])
    lhasa = standings(state)[0]
    assert (lhasa.team, lhasa.score, lhasa.reached_at) == ("lhasa", 120, 2030)

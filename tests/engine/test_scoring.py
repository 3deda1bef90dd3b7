"""Scoring rules: speed points, team means, and the documented tie rule."""

from __future__ import annotations

from quiz.engine.commands import AdjustScore
from quiz.engine.scoring import ledger_totals, mean_points, speed_points, standings
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

"""快问快答: windows, parallel lanes on the same questions, 过, reveal at the end."""

from __future__ import annotations

import pytest

from quiz.engine.commands import (
    Judge,
    PassQuestion,
    StartRound,
    StartWindow,
    SubmitAnswer,
    Tick,
    UndoJudgement,
)
from quiz.engine.errors import BadResponse, NotPermitted
from quiz.engine.events import AnswerRevealed, RapidWindowClosed, RoundEnded
from quiz.engine.machine import apply
from tests.engine.factories import bank, contest, run

RAPID = {"kind": "快问快答", "rapid_window_seconds": 60, "questions": {"count": 10}}


def lane_question(state, team: str) -> str:  # type: ignore[no-untyped-def]
    return next(lane.question_id for lane in state.round.rapid.lanes if lane.team == team)


def test_parallel_lanes_walk_the_same_questions_and_reveal_at_the_end() -> None:
    state, _ = run(
        contest({**RAPID, "mode": "all"}, questions=bank(20, "single")),
        [StartRound(at=0), StartWindow(at=10)],
    )
    first = lane_question(state, "lhasa")
    assert lane_question(state, "ngari") == first
    state, events = run(
        state,
        [
            SubmitAnswer(at=20, team="lhasa", response=1),
            SubmitAnswer(at=21, team="lhasa", response=0),
            PassQuestion(at=22, team="ngari"),
        ],
    )
    assert first not in state.revealed
    state, events = run(state, [Tick(at=60_010)])
    closed = [e for e in events if isinstance(e, RapidWindowClosed)]
    assert [(c.team, c.correct) for c in closed] == [("lhasa", 1), ("shigatse", 0), ("ngari", 0)]
    assert any(isinstance(e, AnswerRevealed) and e.question_id == first for e in events)
    assert isinstance(events[-1], RoundEnded)
    assert state.totals == {"lhasa": 110, "shigatse": 100, "ngari": 100}


def test_one_team_at_a_time_continues_with_unseen_questions() -> None:
    state, _ = run(
        contest(RAPID, questions=bank(20, "single")),
        [StartRound(at=0), StartWindow(at=10, team="ngari")],
    )
    seen = {lane_question(state, "ngari")}
    state, _ = run(state, [SubmitAnswer(at=11, team="ngari", response=1)])
    seen.add(lane_question(state, "ngari"))
    state, _ = run(state, [Tick(at=60_010), StartWindow(at=60_100)])
    assert state.round is not None
    assert state.round.rapid is not None
    assert state.round.rapid.lanes[0].team == "lhasa"
    assert lane_question(state, "lhasa") not in seen
    with pytest.raises(NotPermitted):
        apply(state, SubmitAnswer(at=60_200, team="ngari", response=1))


def test_a_lane_that_runs_out_of_questions_closes_early() -> None:
    _state, events = run(
        contest(
            {**RAPID, "questions": {"count": 2}}, questions=bank(20, "single"), teams=("a", "b")
        ),
        [
            StartRound(at=0),
            StartWindow(at=1, team="a"),
            PassQuestion(at=2, team="a"),
            PassQuestion(at=3, team="a"),
        ],
    )
    assert RapidWindowClosed(at=3, team="a", correct=0, served=2) in events


def test_a_wrong_shaped_answer_is_refused_and_the_lane_stays_on_its_question() -> None:
    state, _ = run(
        contest({**RAPID, "mode": "all"}, questions=bank(20, "single")),
        [StartRound(at=0), StartWindow(at=10)],
    )
    first = lane_question(state, "lhasa")
    for misshapen in ("一", 9, True, (0, 1)):
        with pytest.raises(BadResponse, match="takes one option index from 0 to"):
            apply(state, SubmitAnswer(at=20, team="lhasa", response=misshapen))
    after, _ = run(state, [SubmitAnswer(at=21, team="lhasa", response=1)])
    assert lane_question(state, "lhasa") == first
    assert lane_question(after, "lhasa") != first


def test_a_typed_answer_credits_its_member_and_keeps_them_when_re_judged() -> None:
    state, _ = run(
        contest(RAPID, questions=bank(20, "single"), teams=("a", "b")),
        [
            StartRound(at=0),
            StartWindow(at=1, team="a"),
            SubmitAnswer(at=2, team="a", player="a1", response=1),
            SubmitAnswer(at=3, team="a", player="a2", response=0),
            UndoJudgement(at=4),
            Judge(at=5, team="a", correct=True),
        ],
    )
    assert [(j.player, j.response, j.correct) for j in state.judgements] == [
        ("a1", 1, True),
        ("a2", 0, False),
        ("a2", 0, True),
    ]
    assert state.member_correct() == {"a1": 1, "a2": 1}

"""Host corrections: undo as a compensating event, manual adjustments, skip and replace."""

from __future__ import annotations

from typing import Any

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    Judge,
    OpenQuestion,
    ReplaceQuestion,
    SkipQuestion,
    StartRound,
    SubmitAnswer,
    UndoJudgement,
)
from quiz.engine.errors import NotPermitted
from quiz.engine.events import JudgementUndone, QuestionReplaced, ScoreChanged
from quiz.engine.machine import apply
from quiz.engine.scoring import ledger_totals
from quiz.engine.state import ContestState
from tests.engine.factories import bank, contest, run


def judged_wrong() -> ContestState:
    state, _ = run(
        contest({"kind": "抢答", "rebound": "none", "questions": {"count": 3}}),
        [
            StartRound(at=0),
            OpenQuestion(at=1),
            ArmBuzzers(at=2),
            Buzz(at=3, team="ngari"),
            Judge(at=4, team="ngari", correct=False),
        ],
    )
    return state


def test_undo_compensates_and_returns_the_answer_to_the_host() -> None:
    state = judged_wrong()
    ledger_size = len(state.ledger)
    state, events = run(state, [UndoJudgement(at=5)])
    assert events[0] == JudgementUndone(
        at=5, judgement_id=1, team="ngari", question_id=events[0].question_id
    )  # type: ignore[union-attr]
    assert isinstance(events[1], ScoreChanged)
    assert events[1].delta == 10
    assert len(state.ledger) == ledger_size + 1
    assert state.totals["ngari"] == 100 == ledger_totals(state.ledger)["ngari"]
    assert state.round is not None
    assert state.round.play is not None
    assert (state.round.play.step, state.round.play.answering) == ("judging", ("ngari",))
    state, _ = run(state, [Judge(at=6, team="ngari", correct=True)])
    assert state.totals["ngari"] == 110


def test_undo_is_gone_once_the_play_moves_on() -> None:
    state, _ = run(judged_wrong(), [OpenQuestion(at=10)])
    with pytest.raises(NotPermitted, match="moved on"):
        apply(state, UndoJudgement(at=11))


def test_undo_survives_a_manual_adjustment() -> None:
    state, _ = run(judged_wrong(), [AdjustScore(at=5, team="lhasa", delta=3, note="纪律")])
    state, _events = run(state, [UndoJudgement(at=6)])
    assert state.totals == {"lhasa": 103, "shigatse": 100, "ngari": 100}


def test_an_adjustment_needs_a_note() -> None:
    with pytest.raises(NotPermitted, match="note"):
        apply(judged_wrong(), AdjustScore(at=5, team="lhasa", delta=3, note=" "))


def test_replace_reverses_the_question_and_opens_a_reserve_for_the_same_teams() -> None:
    state = judged_wrong()
    old = state.question_start.question_id  # type: ignore[union-attr]
    reserve = state.plan[0].reserve_ids[0]
    state, events = run(state, [ReplaceQuestion(at=5)])
    assert events[0] == QuestionReplaced(at=5, old_question_id=old, new_question_id=reserve)
    assert state.totals["ngari"] == 100
    assert state.round is not None
    assert state.round.play is not None
    assert (state.round.play.question_id, state.round.play.step) == (reserve, "reading")
    assert len(state.round.queue) == 2


def test_replace_keeps_the_fouls() -> None:
    state, _ = run(
        contest({"kind": "抢答", "early_press": "foul"}),
        [StartRound(at=0), OpenQuestion(at=1), Buzz(at=2, team="lhasa"), ReplaceQuestion(at=3)],
    )
    assert state.totals["lhasa"] == 90
    assert state.round is not None
    assert state.round.fouls == {"lhasa": 1}


def test_skip_closes_without_score_or_reveal() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    question_id = state.round.play.question_id  # type: ignore[union-attr]
    state, _events = run(state, [SkipQuestion(at=2)])
    assert question_id not in state.revealed
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.outcome == "skipped"


def buzzed_and_right(**round_rules: Any) -> ContestState:
    state, _ = run(
        contest({"kind": "抢答", "questions": {"count": 3}, **round_rules}, questions=bank(20)),
        [
            StartRound(at=0),
            OpenQuestion(at=1),
            ArmBuzzers(at=2),
            Buzz(at=3, team="ngari", player="norbu"),
        ],
    )
    return state


def test_an_undone_judgement_credits_nobody_and_a_re_judgement_credits_the_buzzer() -> None:
    state, _ = run(buzzed_and_right(), [Judge(at=4, team="ngari", correct=True)])
    assert state.member_correct() == {"norbu": 1}
    state, _ = run(state, [UndoJudgement(at=5)])
    assert state.member_correct() == {}
    assert state.member_buzzes == {"norbu": 1}  # the press itself stands
    state, _ = run(state, [Judge(at=6, team="ngari", correct=True)])
    assert [(j.id, j.player) for j in state.judgements] == [(1, "norbu"), (2, "norbu")]
    assert state.member_correct() == {"norbu": 1}


def test_a_re_judged_typed_answer_stays_with_the_member_who_typed_it() -> None:
    state, _ = run(
        buzzed_and_right(answer_input="device"),
        [
            SubmitAnswer(at=4, team="ngari", player="yangzom", response=0),
            UndoJudgement(at=5),
            Judge(at=6, team="ngari", correct=True),
        ],
    )
    assert [(j.player, j.response, j.correct) for j in state.judgements] == [
        ("yangzom", 0, False),
        ("yangzom", 0, True),
    ]
    assert state.member_correct() == {"yangzom": 1}


def test_a_replaced_question_takes_its_credit_back() -> None:
    state, _ = run(
        buzzed_and_right(), [Judge(at=4, team="ngari", correct=True), ReplaceQuestion(at=5)]
    )
    assert state.member_correct() == {}
    assert state.member_buzzes == {"norbu": 1}

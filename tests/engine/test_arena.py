"""擂台: the defender holds, duels decide who falls, the pass token, the elimination ranking."""

from __future__ import annotations

import pytest

from quiz.engine.commands import (
    EndContest,
    Judge,
    OpenQuestion,
    PassQuestion,
    RevealPodium,
    StartRound,
    Tick,
)
from quiz.engine.errors import NotPermitted
from quiz.engine.events import DuelEnded, DuelStarted, TeamEliminated
from quiz.engine.state import ContestState
from tests.engine.factories import contest, run

ARENA = {"kind": "擂台", "answer_input": "spoken", "defender": "seat", "duel_length": 3}


def duel_question(state: ContestState, at: int, correct: bool) -> ContestState:
    state, _ = run(state, [OpenQuestion(at=at)])
    assert state.round is not None
    assert state.round.play is not None
    team = state.round.play.answering[0]
    state, _ = run(state, [Judge(at=at + 1, team=team, correct=correct)])
    return state


def test_a_duel_ends_early_once_decided_and_the_winner_takes_the_arena() -> None:
    state, events = run(contest(ARENA), [StartRound(at=0)])
    assert events[-1] == DuelStarted(at=0, defender="lhasa", challenger="shigatse")
    state = duel_question(state, 10, correct=False)  # lhasa misses
    state = duel_question(state, 20, correct=True)  # shigatse scores
    state, events = run(state, [OpenQuestion(at=30), Judge(at=31, team="lhasa", correct=False)])
    assert DuelEnded(at=31, winner="shigatse", loser="lhasa", points=(0, 1)) in events
    assert TeamEliminated(at=31, team="lhasa", place=3) in events
    assert DuelStarted(at=31, defender="shigatse", challenger="ngari") in events


def test_the_last_team_standing_wins_and_the_fallen_rank_by_when_they_fell() -> None:
    state, _ = run(contest(ARENA, final_ranking="arena"), [StartRound(at=0)])
    at = 10
    for correct in (True, False, True):  # lhasa 2 - 0 shigatse after two alternating questions
        state = duel_question(state, at, correct)
        at += 10
        if (
            state.round is not None
            and state.round.arena is not None
            and state.round.arena.challenger == "ngari"
        ):
            break
    for _ in range(3):
        state = duel_question(state, at, False)
        at += 10
    assert state.results[-1].placements == ("lhasa", "ngari", "shigatse")
    state, events = run(state, [EndContest(at=at), RevealPodium(at=at + 1)])
    assert state.podium == ("lhasa", "ngari", "shigatse")
    assert events[0].ranking == ("lhasa", "ngari", "shigatse")  # type: ignore[union-attr]


def test_the_defender_may_pass_once_and_the_challenger_answers() -> None:
    state, _ = run(contest(ARENA), [StartRound(at=0), OpenQuestion(at=1)])
    with pytest.raises(NotPermitted, match="only the defender"):
        run(state, [PassQuestion(at=2, team="shigatse")])
    state, _events = run(state, [PassQuestion(at=2, team="lhasa")])
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.answering == ("shigatse",)
    state, _ = run(state, [Judge(at=3, team="shigatse", correct=True), Tick(at=4)])
    state, _ = run(state, [OpenQuestion(at=5)])
    with pytest.raises(NotPermitted):
        run(state, [PassQuestion(at=6, team="lhasa")])

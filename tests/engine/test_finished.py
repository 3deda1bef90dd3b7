"""A finished contest is final: only the podium, time and a logged reopening move it on.

And between EndContest and RevealPodium no role but the host can learn the result.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    ChooseTier,
    Command,
    EndContest,
    EndRound,
    FreezeStandings,
    Judge,
    OpenQuestion,
    PassQuestion,
    Pause,
    PromptAnswer,
    ReopenContest,
    ReplaceQuestion,
    Resume,
    RevealPodium,
    SkipQuestion,
    StartRound,
    StartWindow,
    SubmitAnswer,
    SyncClock,
    Tick,
    UndoJudgement,
)
from quiz.engine.errors import ContestOver, NotPermitted, WrongPhase
from quiz.engine.events import ContestFinished, ContestReopened, Event, PodiumRevealed
from quiz.engine.machine import apply, replay
from quiz.engine.scoring import standings
from quiz.engine.state import ContestState
from quiz.engine.views import events_for, view
from tests.engine.factories import contest, run

NOT_HOST = ("screen", "audience", "team:lhasa", "team:shigatse", "team:ngari")

# Every command that could change a finished contest's result, made at a given time.
CHANGES: tuple[Callable[[int], Command], ...] = (
    lambda at: AdjustScore(at=at, team="ngari", delta=50, note="改判"),
    lambda at: UndoJudgement(at=at),
    lambda at: Judge(at=at, team="ngari", correct=True),
    lambda at: Buzz(at=at, team="ngari"),
    lambda at: SubmitAnswer(at=at, team="ngari", response=1),
    lambda at: PassQuestion(at=at, team="ngari"),
    lambda at: ChooseTier(at=at, team="ngari", points=10),
    lambda at: StartRound(at=at),
    lambda at: EndRound(at=at),
    lambda at: OpenQuestion(at=at),
    lambda at: PromptAnswer(at=at),
    lambda at: ArmBuzzers(at=at),
    lambda at: StartWindow(at=at),
    lambda at: SkipQuestion(at=at),
    lambda at: ReplaceQuestion(at=at),
    lambda at: Pause(at=at),
    lambda at: Resume(at=at),
    lambda at: FreezeStandings(at=at),
    lambda at: EndContest(at=at),
)


def played(winner: str = "lhasa") -> tuple[list[Command], ContestState, list[Event]]:
    """A one-question 抢答 contest that `winner` won, ended; the commands, state and events."""
    commands: list[Command] = [
        StartRound(at=0),
        OpenQuestion(at=1),
        ArmBuzzers(at=2),
        Buzz(at=3, team=winner),
        Judge(at=4, team=winner, correct=True),
        EndContest(at=5),
    ]
    state, events = run(contest({"kind": "抢答", "questions": {"count": 1}}), commands)
    return commands, state, events


def test_every_command_that_would_change_the_result_is_refused_with_code_finished() -> None:
    _, state, _ = played()
    assert state.phase == "finished"
    for make in CHANGES:
        command = make(10)
        with pytest.raises(ContestOver) as refused:
            apply(state, command)
        assert refused.value.code == "finished", command
        assert refused.value.reason_code == "finished"
        assert refused.value.command == type(command).__name__


def test_time_clock_samples_and_the_podium_are_still_accepted() -> None:
    _, state, _ = played()
    assert apply(state, Tick(at=10))[0] == state
    synced, _ = apply(state, SyncClock(at=11, team="ngari", samples=((11, 12, 13),)))
    assert synced.totals == state.totals
    revealed, events = apply(state, RevealPodium(at=12))
    assert events == (PodiumRevealed(at=12, places=("lhasa", "shigatse", "ngari")),)
    with pytest.raises(ContestOver):
        apply(revealed, AdjustScore(at=13, team="ngari", delta=50, note="改判"))


def test_only_a_finished_contest_reopens_and_only_with_a_note() -> None:
    _, state, _ = played()
    with pytest.raises(NotPermitted) as blank:
        apply(state, ReopenContest(at=10, note="  "))
    assert blank.value.code == "refused"
    assert blank.value.reason_code == "note_required"
    running, _ = run(contest({"kind": "抢答"}), [StartRound(at=0)])
    with pytest.raises(WrongPhase) as early:
        apply(running, ReopenContest(at=1, note="计分有误"))
    assert early.value.reason_code == "not_finished"


def test_a_reopened_contest_takes_a_correction_and_finishes_again_with_the_new_ranking() -> None:
    commands, state, _ = played()
    more: list[Command] = [
        RevealPodium(at=6),
        ReopenContest(at=7, note="  第 1 题改判给阿里支队 "),
        AdjustScore(at=8, team="ngari", delta=20, note="改判"),
        EndContest(at=9),
    ]
    state, events = run(state, more[:2])
    assert state.phase == "between_rounds"
    assert state.podium is None
    assert state.reopened_note == "第 1 题改判给阿里支队"
    assert events[-1] == ContestReopened(at=7, note="第 1 题改判给阿里支队")
    state, events = run(state, more[2:])
    assert events[-1] == ContestFinished(at=9, ranking=("ngari", "lhasa", "shigatse"))
    assert [s.team for s in standings(state)] == ["ngari", "lhasa", "shigatse"]
    # The reopening is a command like any other: replaying the log gives the same contest.
    setup, _ = run(contest({"kind": "抢答", "questions": {"count": 1}}), [])
    assert replay([*commands, *more], setup) == state


def test_no_role_but_the_host_can_tell_the_result_before_the_podium() -> None:
    _, lhasa_won, lhasa_events = played("lhasa")
    _, ngari_won, ngari_events = played("ngari")
    finished_lhasa, finished_ngari = lhasa_events[-1:], ngari_events[-1:]
    for role in NOT_HOST:
        # Two contests with opposite results look the same on every screen and phone.
        seen = view(lhasa_won, role)
        assert seen == view(ngari_won, role), role
        assert seen["phase"] == "finished"
        assert seen["ranking_sealed"] is True
        assert seen["standings"] == []
        assert seen["podium"] is None
        if role.startswith("team:"):
            assert seen["you"]["score"] is None
            assert seen["you"]["rank"] is None
        told = events_for(lhasa_won, finished_lhasa, role)
        assert told == events_for(ngari_won, finished_ngari, role)
        assert told == [{"kind": "ContestFinished", "at": 5, "ranking": []}]
        json.dumps(seen)
    host = view(lhasa_won, "host")
    assert host["ranking_sealed"] is False
    assert [s["team"] for s in host["standings"]] == ["lhasa", "shigatse", "ngari"]
    assert events_for(lhasa_won, finished_lhasa, "host")[0]["ranking"] == [
        "lhasa",
        "shigatse",
        "ngari",
    ]


def test_the_podium_unseals_the_ranking_and_a_reopening_is_told_to_every_role() -> None:
    _, state, _ = played("ngari")
    state, _ = run(state, [RevealPodium(at=6)])
    for role in NOT_HOST:
        seen = view(state, role)
        assert seen["ranking_sealed"] is False
        assert seen["standings"][0]["team"] == "ngari"
    state, events = run(state, [ReopenContest(at=7, note="计分有误")])
    for role in ("host", *NOT_HOST):
        assert events_for(state, events, role) == [
            {"kind": "ContestReopened", "at": 7, "note": "计分有误"}
        ]
        seen = view(state, role)
        assert seen["reopened_note"] == "计分有误"
        assert seen["phase"] == "between_rounds"
        assert seen["podium"] is None

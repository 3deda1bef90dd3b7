"""apply and replay: purity of the core, typed refusals, pause, podium, replay equals live."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    EndContest,
    EndRound,
    FreezeStandings,
    OpenQuestion,
    Pause,
    Resume,
    RevealPodium,
    SetUpContest,
    StartRound,
    Tick,
)
from quiz.engine.errors import CommandRefused, WrongPhase
from quiz.engine.events import BuzzIgnored
from quiz.engine.machine import apply, replay
from quiz.engine.selection import plan_contest
from quiz.engine.state import BLANK
from tests.engine.factories import bank, contest, rules, run


def test_the_core_imports_no_web_database_or_yaml_library() -> None:
    code = (
        "import sys, pkgutil, importlib, quiz.engine\n"
        "for m in pkgutil.iter_modules(quiz.engine.__path__):\n"
        "    importlib.import_module('quiz.engine.' + m.name)\n"
        "bad = {'flask', 'flask_socketio', 'sqlalchemy', 'yaml'} & set(sys.modules)\n"
        "print(sorted(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_commands_before_set_up_are_refused() -> None:
    with pytest.raises(WrongPhase, match="blank"):
        apply(BLANK, StartRound(at=0))


def test_set_up_is_refused_twice_and_errors_are_value_errors() -> None:
    state = contest({"kind": "抢答"})
    rule_set = rules({"kind": "抢答"})
    command = SetUpContest(
        at=0,
        contest_id="c",
        rules=rule_set,
        questions=bank(),
        plan=plan_contest(rule_set, bank(), 1),
    )
    with pytest.raises(ValueError, match="already set up") as caught:
        apply(state, command)
    assert isinstance(caught.value, CommandRefused)
    assert caught.value.phase == "lobby"


def test_pause_stops_and_shifts_every_timer() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=1000), Pause(at=2000)],
    )
    state, events = run(state, [Buzz(at=2500, team="lhasa"), Tick(at=50_000)])
    assert events[0] == BuzzIgnored(at=2500, team="lhasa", reason="paused")
    with pytest.raises(WrongPhase, match="paused"):
        apply(state, OpenQuestion(at=50_001))
    state, _ = run(state, [Resume(at=60_000)])
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.deadline == 1000 + 10_000 + 58_000
    state, events = run(state, [Buzz(at=60_100, team="lhasa")])
    assert "BuzzRaceDecided" in [type(e).__name__ for e in events]


def test_end_contest_podium_and_freeze() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [
            AdjustScore(at=0, team="ngari", delta=5, note="x"),
            FreezeStandings(at=1),
            AdjustScore(at=2, team="lhasa", delta=9, note="y"),
        ],
    )
    with pytest.raises(WrongPhase):
        apply(state, RevealPodium(at=3))
    state, _events = run(
        state, [StartRound(at=3), EndRound(at=4), EndContest(at=5), RevealPodium(at=6)]
    )
    assert state.podium == ("lhasa", "ngari", "shigatse")
    assert state.frozen_at is None


def test_replay_of_the_commands_equals_the_live_state() -> None:
    start = contest({"kind": "抢答"})
    commands = [
        StartRound(at=0),
        OpenQuestion(at=1),
        Buzz(at=2, team="lhasa"),
        ArmBuzzers(at=3),
        Buzz(at=4, team="ngari"),
        Tick(at=90_000),
    ]
    live, _ = run(start, commands)
    assert replay(commands, start) == live

"""Properties over random command streams: sum rule, one winner per race, replay, secrecy."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from quiz.engine.events import BuzzersArmed, BuzzRaceDecided, Event, ScoreChanged
from quiz.engine.machine import apply, replay
from quiz.engine.scoring import ledger_totals
from quiz.engine.serialization import state_from_json, state_to_json
from quiz.engine.state import ContestState
from quiz.engine.views import view
from tests.engine.factories import TEAMS, bank, contest
from tests.engine.test_legal import disagreements

START = contest(
    {
        "kind": "抢答",
        "answer_input": "device",
        "rebound": "all",
        "foul_limit": 2,
        "questions": {"count": 4},
    },
    {"kind": "抢答", "fairness": "compensated", "questions": {"count": 4}},
    {"kind": "风险", "questions": {"count": 2}},
    {"kind": "加赛"},
    questions=bank(80),
)
team = st.sampled_from(TEAMS)
step = st.integers(min_value=0, max_value=3000)
response = st.one_of(
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from(["1951", "一九五一", "x"]),
    st.lists(st.integers(0, 3), max_size=3).map(tuple),
)
command_parts = st.one_of(
    st.tuples(st.just("start"), step),
    st.tuples(st.just("end"), step),
    st.tuples(st.just("open"), step),
    st.tuples(st.just("arm"), step, st.integers(0, 3000)),
    st.tuples(st.just("buzz"), step, team, st.integers(0, 2000), st.integers(-200, 2000)),
    st.tuples(st.just("judge"), step, team, st.booleans()),
    st.tuples(st.just("submit"), step, team, response),
    st.tuples(st.just("prompt"), step),
    st.tuples(st.just("tier"), step, team, st.sampled_from([10, 20, 30])),
    st.tuples(st.just("pass"), step, team),
    st.tuples(st.just("undo"), step),
    st.tuples(st.just("adjust"), step, team, st.integers(-20, 20)),
    st.tuples(st.just("skip"), step),
    st.tuples(st.just("replace"), step),
    st.tuples(st.just("sync"), step, team, st.integers(0, 600)),
    st.tuples(st.just("tick"), st.integers(0, 40_000)),
)


def build(parts: list[tuple[Any, ...]]) -> list[Command]:
    commands: list[Command] = []
    at = 0
    for kind, delay, *rest in parts:
        at += delay
        match kind, rest:
            case "start", []:
                commands.append(StartRound(at=at))
            case "end", []:
                commands.append(EndRound(at=at))
            case "open", []:
                commands.append(OpenQuestion(at=at))
            case "arm", [countdown]:
                commands.append(ArmBuzzers(at=at, countdown_ms=countdown))
            case "buzz", [who, shown, reaction]:
                commands.append(Buzz(at=at, team=who, shown_ms=shown, pressed_ms=shown + reaction))
            case "judge", [who, correct]:
                commands.append(Judge(at=at, team=who, correct=correct))
            case "submit", [who, answer]:
                commands.append(SubmitAnswer(at=at, team=who, response=answer))
            case "prompt", []:
                commands.append(PromptAnswer(at=at))
            case "tier", [who, points]:
                commands.append(ChooseTier(at=at, team=who, points=points))
            case "pass", [who]:
                commands.append(PassQuestion(at=at, team=who))
            case "undo", []:
                commands.append(UndoJudgement(at=at))
            case "adjust", [who, delta]:
                commands.append(AdjustScore(at=at, team=who, delta=delta, note="p"))
            case "skip", []:
                commands.append(SkipQuestion(at=at))
            case "replace", []:
                commands.append(ReplaceQuestion(at=at))
            case "sync", [who, rtt]:
                commands.append(
                    SyncClock(at=at, team=who, samples=((at, at + rtt // 2, at + rtt),))
                )
            case "tick", []:
                commands.append(Tick(at=at))
            case "open_for", [who]:
                commands.append(OpenQuestion(at=at, team=who))
            case "window", [who]:
                commands.append(StartWindow(at=at, team=who))
            case "replace_by", [number]:
                commands.append(ReplaceQuestion(at=at, question_id=f"q{number:03d}"))
            case "pause", []:
                commands.append(Pause(at=at))
            case "resume", []:
                commands.append(Resume(at=at))
            case "freeze", []:
                commands.append(FreezeStandings(at=at))
            case "finish", []:
                commands.append(EndContest(at=at))
            case "podium", []:
                commands.append(RevealPodium(at=at))
    return commands


def accepted(
    commands: list[Command],
) -> tuple[ContestState, list[Command], list[tuple[Event, ...]]]:
    """Apply what the core accepts (as the server would store), skipping refusals."""
    state = START
    kept: list[Command] = []
    produced: list[tuple[Event, ...]] = []
    for command in commands:
        try:
            state, events = apply(state, command)
        except ValueError:
            continue
        kept.append(command)
        produced.append(events)
    return state, kept, produced


streams = st.lists(command_parts, min_size=1, max_size=60).map(build)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(streams)
def test_every_score_is_the_sum_of_its_score_events(commands: list[Command]) -> None:
    state, _, produced = accepted(commands)
    assert state.totals == ledger_totals(state.ledger)
    assert state.tiebreak_totals == {t: 0 for t in TEAMS} | ledger_totals(state.ledger, "tiebreak")
    changed = {t: 100 for t in TEAMS}
    for events in produced:
        for event in events:
            if isinstance(event, ScoreChanged) and event.bucket == "main":
                changed[event.team] += event.delta
                assert event.total == changed[event.team]
    assert changed == state.totals


@SETTINGS
@given(streams)
def test_every_race_has_exactly_one_winner(commands: list[Command]) -> None:
    _, _, produced = accepted(commands)
    armed = 0
    for events in produced:
        for event in events:
            if isinstance(event, BuzzersArmed):
                armed += 1
            if isinstance(event, BuzzRaceDecided):
                teams = [ranked.team for ranked in event.ranking]
                assert event.winner == teams[0]
                assert len(teams) == len(set(teams))
                assert event.ranking[0].margin_ms == 0
                assert all(ranked.margin_ms >= 0 for ranked in event.ranking)
    decided = sum(isinstance(e, BuzzRaceDecided) for events in produced for e in events)
    assert decided <= armed


@SETTINGS
@given(streams)
def test_replay_and_snapshot_equal_the_live_state(commands: list[Command]) -> None:
    state, kept, _ = accepted(commands)
    assert replay(kept, START) == state
    assert state_from_json(state_to_json(state)) == state


@SETTINGS
@given(streams)
def test_no_view_but_the_hosts_holds_an_unrevealed_answer(commands: list[Command]) -> None:
    state = START
    for command in commands:
        try:
            state, _ = apply(state, command)
        except ValueError:
            continue
        hidden = [q for qid, q in state.questions.items() if qid not in state.revealed]
        for role in ("screen", "audience", *(f"team:{t}" for t in TEAMS)):
            text = json.dumps(view(state, role), ensure_ascii=False)
            assert not any(q.explanation in text for q in hidden)
            assert not _answers_for(view(state, role), {q.id for q in hidden})


def _answers_for(data: Any, hidden: set[str]) -> bool:
    """Whether any question dict with a hidden id carries an answer."""
    if isinstance(data, dict):
        if data.get("id") in hidden and ("answer" in data or "explanation" in data):
            return True
        return any(_answers_for(value, hidden) for value in data.values())
    if isinstance(data, list):
        return any(_answers_for(item, hidden) for item in data)
    return False


# The other round kinds and modes, with short rapid-fire windows so that streams outlive them.
OTHER_START = contest(
    {"kind": "必答", "mode": "turn", "answer_input": "spoken", "questions": {"count": 3}},
    {"kind": "快问快答", "answer_input": "spoken", "rapid_window_seconds": 5},
    {"kind": "擂台", "answer_input": "spoken", "duel_length": 1, "questions": {"count": 4}},
    {"kind": "快问快答", "mode": "all", "rapid_window_seconds": 5, "questions": {"count": 6}},
    {"kind": "必答", "mode": "all", "questions": {"count": 2}},
    questions=bank(120),
)
host_parts = st.one_of(
    st.tuples(st.just("open_for"), step, team),
    st.tuples(st.just("window"), step, st.none() | team),
    st.tuples(st.just("replace_by"), step, st.integers(1, 120)),
    st.tuples(st.sampled_from(["pause", "resume", "freeze", "finish", "podium"]), step),
)


# Tried on each round's start, each kept when accepted: a question or window opens, then a race.
_OPENING: tuple[Command, ...] = (
    OpenQuestion(at=0),
    StartWindow(at=0),
    ChooseTier(at=0, team=TEAMS[0], points=10),
    ArmBuzzers(at=0),
    PromptAnswer(at=0),
    Buzz(at=1, team=TEAMS[1]),
)


def _starts(lobby: ContestState) -> list[ContestState]:
    """The lobby, each round's start and its opening moves: short streams reach every step."""
    assert lobby.rules is not None
    states = [lobby]
    state = lobby
    for _round in lobby.rules.rounds:
        if state.phase == "round":
            state, _ = apply(state, EndRound(at=0))
        state, _ = apply(state, StartRound(at=0))
        states.append(state)
        opened = state
        for command in _OPENING:
            try:
                opened, _ = apply(opened, command)
            except ValueError:
                continue
            states.append(opened)
    return states


host_streams = st.tuples(
    st.sampled_from([*_starts(START), *_starts(OTHER_START)]),
    st.lists(st.one_of(command_parts, host_parts), min_size=10, max_size=40).map(build),
)


@SETTINGS
@given(host_streams)
def test_the_hosts_legal_moves_are_what_apply_accepts(
    start_and_commands: tuple[ContestState, list[Command]],
) -> None:
    state, commands = start_and_commands
    for command in commands:
        # As the host's view says it (now), and when the next command comes, timers fired first.
        assert disagreements(state) == []
        assert disagreements(state, command.at) == []
        try:
            state, _ = apply(state, command)
        except ValueError:
            continue
    assert disagreements(state) == []

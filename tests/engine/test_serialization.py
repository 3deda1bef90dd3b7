"""JSON round trips of states, commands and events, and refusal of corrupted documents."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from quiz.engine.commands import COMMAND_TYPES, Buzz, SubmitAnswer, SyncClock
from quiz.engine.errors import DecodeError
from quiz.engine.events import EVENT_TYPES, BuzzRaceDecided
from quiz.engine.serialization import (
    command_from_dict,
    command_to_dict,
    event_from_dict,
    event_to_dict,
    state_from_json,
    state_to_json,
)
from quiz.engine.state import RankedBuzz
from tests.engine.factories import contest


def test_state_round_trips_exactly() -> None:
    state = contest({"kind": "风险"}, {"kind": "擂台"})
    assert state_from_json(state_to_json(state)) == state


@pytest.mark.parametrize(
    "command",
    [
        Buzz(at=5, team="a", shown_ms=1, pressed_ms=2),
        SubmitAnswer(at=1, team="a", response=(2, 0, 1)),
        SubmitAnswer(at=1, team="a", response=True),
        SubmitAnswer(at=1, team="a", response=1),
        SubmitAnswer(at=1, team="a", response="一九五一"),
        SyncClock(at=1, team="a", samples=((1, 2, 3), (4, 5, 6))),
    ],
)
def test_commands_round_trip_through_json(command: object) -> None:
    data = json.loads(json.dumps(command_to_dict(command)))  # type: ignore[arg-type]
    assert command_from_dict(data) == command


def test_every_command_kind_is_registered() -> None:
    assert len({cls.__name__ for cls in COMMAND_TYPES}) == len(COMMAND_TYPES)


def test_events_round_trip() -> None:
    event = BuzzRaceDecided(at=1, question_id="q", winner="a", ranking=(RankedBuzz("a", 0, 120),))
    assert event_from_dict(json.loads(json.dumps(event_to_dict(event)))) == event


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "Launch", "at": 1},
        {"kind": "Buzz", "at": "soon", "team": "a"},
        {"kind": "Buzz", "at": 1},
        {"kind": "Buzz", "at": 1, "team": "a", "colour": "red"},
        {"kind": "Buzz", "at": True, "team": "a"},
    ],
)
def test_bad_commands_raise_decode_errors(data: dict[str, object]) -> None:
    with pytest.raises(DecodeError):
        command_from_dict(data)


def test_a_corrupted_snapshot_is_refused() -> None:
    text = state_to_json(contest({"kind": "抢答"})).replace('"phase":"lobby"', '"phase":"party"')
    with pytest.raises(DecodeError, match="phase"):
        state_from_json(text)


def test_no_command_or_event_has_a_field_named_kind() -> None:
    # `kind` names the class in the JSON form; a field of that name would overwrite it.
    clashing = [
        cls.__name__
        for cls in (*COMMAND_TYPES, *EVENT_TYPES)
        if "kind" in {field.name for field in fields(cls)}
    ]
    assert clashing == []

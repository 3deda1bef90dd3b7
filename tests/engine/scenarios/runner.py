"""Play a scenario document through the core: its events, standings and refusals."""

from __future__ import annotations

from typing import Any

from quiz.engine.events import Event
from quiz.engine.machine import apply
from quiz.engine.scoring import standings
from quiz.engine.serialization import command_from_dict
from quiz.engine.state import ContestState
from tests.engine.factories import TEAMS, bank, contest


def start_state(scenario: dict[str, Any]) -> ContestState:
    """The set-up contest a scenario starts from."""
    rules = dict(scenario["rules"])
    teams = rules.pop("teams", list(TEAMS))
    return contest(
        *rules.pop("rounds"),
        teams=teams,
        questions=bank(scenario["bank"]["count"], scenario["bank"]["type"]),
        seed=scenario["seed"],
        **rules,
    )


def play_scenario(scenario: dict[str, Any]) -> tuple[list[Event], list[list[Any]], list[str]]:
    """Events of the accepted commands, [team, score, tiebreak] rows, and refusal class names."""
    state = start_state(scenario)
    events: list[Event] = []
    errors: list[str] = []
    for data in scenario["commands"]:
        entry = dict(data)
        expect_error = entry.pop("expect_error", False)
        command = command_from_dict(entry)
        try:
            state, produced = apply(state, command)
        except ValueError as error:
            if not expect_error:
                raise
            errors.append(type(error).__name__)
            continue
        if expect_error:
            raise AssertionError(f"{entry['kind']} at {entry['at']} should have been refused")
        events.extend(produced)
    table = [[s.team, s.score, s.tiebreak] for s in standings(state)]
    return events, table, errors

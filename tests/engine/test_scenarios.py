"""Golden scenarios: commands in, the recorded events, refusals and standings out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quiz.engine.serialization import event_to_dict
from tests.engine.scenarios.runner import play_scenario

FILES = sorted((Path(__file__).parent / "scenarios").glob("*.json"))


def test_there_is_a_scenario_for_every_round_kind() -> None:
    kinds = {
        round_rules["kind"]
        for path in FILES
        for round_rules in json.loads(path.read_text(encoding="utf-8"))["rules"]["rounds"]
    }
    assert kinds >= {"必答", "抢答", "风险", "快问快答", "擂台", "加赛", "PK"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_scenario(path: Path) -> None:
    scenario: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    events, standings, errors = play_scenario(scenario)
    assert errors == scenario["errors"]
    assert [event_to_dict(event) for event in events] == scenario["events"]
    assert standings == scenario["standings"]

"""Fairness simulation: equal teams on 10/150/600 ms links each win a third in compensated mode,
and a client that lies about its reaction time wins no more than its share."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

RACES = 3000


def load_simulation() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "engine_fairness.py"
    spec = importlib.util.spec_from_file_location("engine_fairness", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def simulation() -> ModuleType:
    return load_simulation()


def test_compensated_mode_gives_each_link_a_third(simulation: ModuleType) -> None:
    wins = simulation.simulate("compensated", races=RACES, seed=2024)
    assert sum(wins.values()) == RACES
    for team, count in wins.items():
        assert abs(count / RACES - 1 / 3) <= 0.05, (team, wins)


def test_arrival_mode_hands_the_races_to_the_nearest_team(simulation: ModuleType) -> None:
    wins = simulation.simulate("arrival", races=RACES, seed=2024)
    assert wins["lhasa"] / RACES > 0.9
    assert wins["ngari"] / RACES < 0.01


def test_without_a_reaction_floor_a_lying_client_wins_most_races(simulation: ModuleType) -> None:
    wins = simulation.simulate(
        "compensated", races=RACES, seed=2024, liar="lhasa", round_rules={"min_reaction_ms": 0}
    )
    assert wins["lhasa"] / RACES > 0.8, wins


@pytest.mark.parametrize("policy", ["arrival", "foul"])
@pytest.mark.parametrize("liar", ["lhasa", "ngari"])
def test_a_lying_client_wins_no_more_than_its_share(
    simulation: ModuleType, liar: str, policy: str
) -> None:
    wins = simulation.simulate(
        "compensated", races=RACES, seed=2024, liar=liar, round_rules={"suspect_claim": policy}
    )
    assert sum(wins.values()) == RACES
    assert wins[liar] / RACES <= 1 / 3 + 0.05, wins
    if policy == "foul":
        assert wins[liar] == 0, wins

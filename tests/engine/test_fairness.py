"""Fairness simulation: equal teams on 10/150/600 ms links each win a third in compensated mode."""

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

"""Reason codes: every refusal carries one, and every code the core can send is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quiz.engine import errors
from quiz.engine.commands import ArmBuzzers, Buzz, OpenQuestion, StartRound
from quiz.engine.errors import CommandRefused, NotPermitted, UnknownTeam, WrongPhase
from quiz.engine.machine import apply
from tests.engine.factories import contest, run

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "quiz" / "engine"


def documented_codes() -> set[str]:
    """The codes listed in docs/protocol.md under "Reason codes"."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text.split("## Reason codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))


def codes_in_engine() -> set[str]:
    """Every literal reason code the core passes to refuse/forbid or puts on a BuzzIgnored."""
    found: set[str] = set()
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("refuse", "forbid") and len(node.args) == 4:
                code = node.args[3]
                assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}"
                found.add(code.value)
            if name == "BuzzIgnored":
                for keyword in node.keywords:
                    if keyword.arg == "reason" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef) and func.name == "_ignore_reason":
                for ret in ast.walk(func):
                    returned = ret.value if isinstance(ret, ast.Return) else None
                    if isinstance(returned, ast.Constant) and returned.value is not None:
                        found.add(returned.value)
    return found


def test_every_reason_code_of_the_core_is_documented() -> None:
    defaults = {
        cls.default_reason
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, CommandRefused)
    }
    codes = codes_in_engine() | defaults | {"nothing_changed"}
    assert "buzzers_not_armed" in codes
    assert "already_armed" in codes
    assert codes - documented_codes() == set()


def test_a_refusal_names_its_reason_code_and_falls_back_to_its_class() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    state, _ = run(state, [ArmBuzzers(at=2)])
    with pytest.raises(WrongPhase) as caught:
        apply(state, ArmBuzzers(at=3))
    assert caught.value.reason_code == "already_armed"
    with pytest.raises(UnknownTeam) as unknown:
        apply(state, Buzz(at=4, team="nobody"))
    assert unknown.value.reason_code == "unknown_team"
    assert NotPermitted("X", "lobby", "no").reason_code == "not_allowed"
    assert WrongPhase("X", "lobby", "no").reason_code == "wrong_phase"

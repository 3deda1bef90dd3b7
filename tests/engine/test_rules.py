"""Rule sets from plain mappings: kind defaults, aliases, overrides, and errors with paths."""

from __future__ import annotations

from typing import Any

import pytest

from quiz.engine.errors import RuleSetError
from quiz.engine.rules import ruleset_from_mapping


def template(*rounds: dict[str, Any], **top: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "t",
        "teams": [{"id": "a"}, {"id": "b"}],
        "rounds": list(rounds) or [{"kind": "必答"}],
    }
    data.update(top)
    return data


def test_buzzer_defaults_follow_contest_rules() -> None:
    rules = ruleset_from_mapping(template({"kind": "抢答"})).rounds[0]
    assert (rules.kind, rules.points, rules.deduction) == ("buzzer", 10, 10)
    assert rules.answer_time_ms == 15_000
    assert rules.foul_penalties == (10,)
    assert rules.rebound == "once"
    assert rules.answer_input == "spoken"


def test_compulsory_defaults_have_no_deduction_and_need_the_prompt() -> None:
    rules = ruleset_from_mapping(template({"kind": "compulsory"})).rounds[0]
    assert (rules.deduction, rules.require_prompt, rules.mode) == (0, True, "turn")


def test_seconds_become_milliseconds_and_defaults_apply_to_every_round() -> None:
    data = template(
        {"kind": "抢答", "answer_seconds": 20},
        {"kind": "加赛"},
        defaults={"fairness": "compensated"},
    )
    first, second = ruleset_from_mapping(data).rounds
    assert first.answer_time_ms == 20_000
    assert (first.fairness, second.fairness) == ("compensated", "compensated")


def test_foul_escalation_repeats_the_last_step() -> None:
    rules = ruleset_from_mapping(template({"kind": "抢答", "foul_penalties": [10, 20]})).rounds[0]
    assert [rules.foul_penalty(n) for n in (1, 2, 3, 4)] == [10, 20, 20, 20]


def test_team_fields_and_seat_order() -> None:
    data = template(teams=[{"id": "x", "name": "甲", "players": ["p1"]}, {"id": "y"}])
    rule_set = ruleset_from_mapping(data)
    assert rule_set.team_ids() == ("x", "y")
    assert rule_set.teams[0].players == ("p1",)
    assert rule_set.teams[1].name == "y"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (
            template({"kind": "抢答"}, {"kind": "抢答"}, {"kind": "抢答", "points": "ten"}),
            ("rounds", 2, "points"),
        ),
        (template({"kind": "抢答", "rebound": "twice"}), ("rounds", 0, "rebound")),
        (template({"kind": "奇怪"}), ("rounds", 0, "kind")),
        (template({"kind": "必答", "mode": "buzz"}), ("rounds", 0, "mode")),
        (template({"kind": "必答", "colour": 1}), ("rounds", 0, "colour")),
        (template({"kind": "风险", "tiers": [10, 10]}), ("rounds", 0, "tiers")),
        (
            template({"kind": "必答", "questions": {"types": ["essay"]}}),
            ("rounds", 0, "questions", "types", 0),
        ),
        (template(teams=[{"id": "a"}, {"id": "a"}]), ("teams", 1, "id")),
        (template(teams=[{"id": "a"}]), ("teams",)),
        (
            template({"kind": "PK"}, teams=[{"id": "a"}, {"id": "b"}, {"id": "c"}]),
            ("rounds", 0, "kind"),
        ),
        (template(base_score=True), ("base_score",)),
        (template(rounds=[]), ("rounds",)),
        (template({"kind": "抢答", "early_press": "penalty"}), ("rounds", 0, "early_press")),
        (
            template({"kind": "抢答", "early_lockout_ms": 5001}),
            ("rounds", 0, "early_lockout_ms"),
        ),
        (template({"kind": "抢答", "early_lockout_ms": -1}), ("rounds", 0, "early_lockout_ms")),
    ],
)
def test_bad_values_raise_with_their_path(data: dict[str, Any], path: tuple[Any, ...]) -> None:
    with pytest.raises(RuleSetError) as caught:
        ruleset_from_mapping(data)
    assert caught.value.path == path
    assert isinstance(caught.value, ValueError)


def test_an_early_press_locks_the_buzzer_briefly_unless_the_template_says_foul() -> None:
    data = template(
        {"kind": "抢答"},
        {"kind": "抢答", "early_press": "foul"},
        {"kind": "抢答", "early_press": "ignore", "early_lockout_ms": 0},
    )
    rounds = ruleset_from_mapping(data).rounds
    assert [(r.early_press, r.early_lockout_ms) for r in rounds] == [
        ("lockout", 500),
        ("foul", 500),
        ("ignore", 0),
    ]

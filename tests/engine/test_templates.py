"""Template files: the shipped ones load, and errors carry file, line and column."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quiz.contests.templates import (
    TemplateError,
    load_template,
    parse_template,
    read_template,
    rule_problem,
    shipped_templates,
)
from quiz.engine import rules
from quiz.engine.rules import ruleset_from_mapping
from quiz.engine.selection import plan_contest
from tests.engine.factories import bank


def test_the_four_shipped_templates_load() -> None:
    templates = shipped_templates()
    assert set(templates) == {"classic", "cloud_pk_arena", "rapid_drill", "pk_1v1"}
    kinds = {name: [r.kind for r in read_template(path).rounds] for name, path in templates.items()}
    assert kinds["classic"] == ["compulsory", "buzzer", "risk", "tiebreak"]
    assert kinds["cloud_pk_arena"] == ["buzzer", "arena"]
    assert read_template(templates["cloud_pk_arena"]).rounds[1].fairness == "compensated"


@pytest.mark.parametrize("name", ["classic", "pk_1v1"])
def test_shipped_templates_plan_from_a_big_enough_bank(name: str) -> None:
    rules = read_template(shipped_templates()[name])
    plans = plan_contest(rules, bank(200), seed=1)
    assert len(plans) == len(rules.rounds)


def test_a_bad_value_is_reported_at_its_line_and_column() -> None:
    text = "name: t\nteams:\n  - id: a\n  - id: b\nrounds:\n  - kind: 抢答\n    rebound: twice\n"
    with pytest.raises(TemplateError) as caught:
        load_template(text, "t.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("t.yaml", 7, 14)
    assert problem.code == "template_not_choice"
    assert problem.text("en") == "rounds/0/rebound: expected one of none, once, all"
    assert problem.message == "模板中“rounds/0/rebound”只能是 none, once, all 之一"


def test_every_sentence_of_the_rules_core_has_a_code() -> None:
    """Each RuleSetError the core raises reads in Chinese: none falls back to template_rule."""
    source = Path(rules.__file__).read_text(encoding="utf-8")
    messages = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RuleSetError":
            argument = node.args[1]
            if isinstance(argument, ast.Constant):
                messages.append(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                # Every interpolated value stands in as a number, the one shape all patterns take.
                messages.append(
                    "".join(
                        part.value if isinstance(part, ast.Constant) else "1"
                        for part in argument.values
                    )
                )
    assert len(messages) >= 20
    for message in messages:
        problem = rule_problem("t.yaml", 1, 1, ("rounds", 0), message)
        assert problem.code != "template_rule", message
        assert re.search(r"[\u4e00-\u9fff]", problem.message), message


def test_a_sentence_no_pattern_knows_keeps_the_cores_words_in_english_only() -> None:
    problem = rule_problem("t.yaml", 2, 3, ("name",), "something new")
    assert problem.code == "template_rule"
    assert problem.text("en") == "name: something new"
    assert "something" not in problem.message


def test_malformed_yaml_is_reported_with_a_position() -> None:
    with pytest.raises(TemplateError) as caught:
        load_template("name: [unclosed\n", "bad.yaml")
    assert caught.value.problems[0].file == "bad.yaml"
    assert caught.value.problems[0].line >= 1


SILENT = "name: t\nteams:\n  - id: a\n  - id: b\nrounds:\n  - kind: 必答\n  - kind: 抢答\n"


def test_a_template_silent_on_option_order_shuffles_every_round() -> None:
    template = parse_template(SILENT, "t.yaml")
    assert [r.shuffle_options for r in template.rules.rounds] == [True, True]
    # The copy stored with a contest says so too, since the host's form rebuilds rules from it.
    assert template.data["defaults"] == {"shuffle_options": True}


def test_a_template_may_keep_bank_order_in_its_defaults_or_one_round() -> None:
    everywhere = load_template(
        SILENT.replace("rounds:", "defaults: {shuffle_options: false}\nrounds:"), "t.yaml"
    )
    assert [r.shuffle_options for r in everywhere.rounds] == [False, False]
    one = load_template(
        SILENT.replace("kind: 抢答", "kind: 抢答\n    shuffle_options: false"), "t.yaml"
    )
    assert [r.shuffle_options for r in one.rounds] == [True, False]


def test_the_core_default_stays_bank_order_for_old_logs() -> None:
    rules = ruleset_from_mapping(
        {"name": "t", "teams": [{"id": "a"}, {"id": "b"}], "rounds": [{"kind": "必答"}]}
    )
    assert rules.rounds[0].shuffle_options is False


def test_every_shipped_template_shuffles() -> None:
    for name, path in shipped_templates().items():
        assert all(r.shuffle_options for r in read_template(path).rounds), name

"""The per-question `shuffle` field: read, checked at its position, written back, in the schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml

from quiz.banks.loader import load_bank_text
from quiz.banks.model import question_to_dict
from quiz.resources import bundled_banks_dir
from quiz.storage.bank_repo import question_from_dict
from tests.helpers import bank_text, question

SCHEMA = json.loads((bundled_banks_dir() / "bank.schema.json").read_text(encoding="utf-8"))


def made(**fields: Any) -> dict[str, Any]:
    """A question with `fields`; `options=None` leaves the key out."""
    item = question(**fields)
    if item["options"] is None:
        del item["options"]
    return item


def loaded(**fields: Any) -> Any:
    return load_bank_text(bank_text(made(**fields)), "bank.yaml")


def schema_errors(**fields: Any) -> list[str]:
    document = yaml.safe_load(bank_text(made(**fields)))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [error.message for error in validator.iter_errors(document)]


def test_shuffle_defaults_to_true_and_false_is_kept_through_storage() -> None:
    default = loaded().bank.questions[0]
    assert default.shuffle is True
    assert "shuffle" not in question_to_dict(default)
    kept = loaded(options=["甲", "乙", "丙", "以上都是"], answer="以上都是", shuffle=False)
    item = kept.bank.questions[0]
    assert item.shuffle is False
    data = question_to_dict(item)
    assert data["shuffle"] is False
    assert list(data)[:5] == ["id", "type", "text", "options", "shuffle"]
    assert question_from_dict(data) == item


@pytest.mark.parametrize(
    ("fields", "message", "chinese"),
    [
        (
            {"shuffle": "no"},
            "shuffle should be true or false, not the text 'no'",
            "shuffle 应为 true 或 false，而不是文本“no”",
        ),
        (
            {"type": "truefalse", "options": None, "answer": True, "shuffle": False},
            "a truefalse question has no options to shuffle",
            "判断题没有选项，不能设置 shuffle：请删掉这一行",
        ),
    ],
)
def test_a_bad_shuffle_is_an_error_at_its_position(
    fields: dict[str, Any], message: str, chinese: str
) -> None:
    report = loaded(**fields)
    assert report.bank is None
    [problem] = report.problems
    assert problem.text("en") == message
    assert problem.message == chinese
    lines = bank_text(made(**fields)).splitlines()
    assert lines[problem.line - 1].strip().startswith("shuffle:")


def test_the_schema_takes_shuffle_where_the_validator_does() -> None:
    assert schema_errors(shuffle=False) == []
    assert schema_errors(shuffle="no")
    assert schema_errors(type="truefalse", options=None, answer=True, shuffle=False)

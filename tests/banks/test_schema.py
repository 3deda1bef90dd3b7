"""The published JSON Schema agrees with the validator on what it can express."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from quiz.banks.fields import LENGTH_LIMITS
from quiz.banks.loader import load_bank_file
from quiz.resources import bundled_banks_dir

SCHEMA = json.loads((bundled_banks_dir() / "bank.schema.json").read_text(encoding="utf-8"))
BAD = Path(__file__).with_name("bad")
# Faults a JSON Schema can express; the rest (ids, answers against options, ...) it cannot.
SCHEMA_FAULTS = [
    "bad-bank-header",
    "bad-status",
    "difficulty-as-text",
    "difficulty-out-of-range",
    "missing-answer",
    "missing-bank",
    "multiple-with-one-answer",
    "not-a-mapping",
    "option-read-as-boolean",
    "order-with-two-options",
    "points-negative",
    "question-id-not-text",
    "questions-empty",
    "reviewed-at-not-a-date",
    "single-with-two-answers",
    "too-many-options",
    "translation-unknown-language",
    "truefalse-text-answer",
    "truefalse-with-options",
    "unknown-key-typo",
    "unknown-type",
]


def as_json(value: Any) -> Any:
    """What an editor's YAML plugin hands the schema: dates are strings."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def schema_errors(path: Path) -> list[str]:
    document = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [error.message for error in validator.iter_errors(document)]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", SCHEMA_FAULTS)
def test_schema_rejects_what_the_validator_rejects(name: str) -> None:
    path = BAD / f"{name}.yaml"
    assert load_bank_file(str(path)).errors
    assert schema_errors(path)


def test_schema_accepts_the_bundled_banks() -> None:
    banks = sorted(bundled_banks_dir().glob("*.yaml"))
    assert banks
    for path in banks:
        assert schema_errors(path) == [], path


def _string_limits(node: Any, key: str | None = None) -> list[tuple[str, int]]:
    """(property, maxLength) of every limited string in the schema, by the property it is under."""
    found: list[tuple[str, int]] = []
    if isinstance(node, dict):
        if "maxLength" in node and key is not None:
            found.append((key, node["maxLength"]))
        for name, value in node.items():
            if name == "properties":
                for prop, sub in value.items():
                    found += _string_limits(sub, prop)
            elif name in ("anyOf", "oneOf", "items", "prefixItems", "additionalProperties"):
                found += _string_limits(value, key)
            elif isinstance(value, dict | list):
                found += _string_limits(value, None if name == "$defs" else key)
    elif isinstance(node, list):
        for item in node:
            found += _string_limits(item, key)
    return found


def test_the_schema_limits_text_lengths_as_the_validator_does() -> None:
    limits = _string_limits(SCHEMA)
    assert {key for key, _ in limits} == set(LENGTH_LIMITS)
    assert all(limit == LENGTH_LIMITS[key] for key, limit in limits)

"""The documentation's examples work as documented."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.banks.loader import load_bank_text
from quiz.engine.questions import QUESTION_TYPES

DOCS = Path(__file__).parent.parent / "docs"


def test_bank_format_example_is_a_valid_bank_using_every_type() -> None:
    text = (DOCS / "bank-format.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    report = load_bank_text(example.group(1), "bank-format.md example")
    assert report.problems == []
    assert report.bank is not None
    assert {question.type for question in report.bank.questions} == set(QUESTION_TYPES)

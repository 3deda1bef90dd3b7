"""The banks that ship with Leitai stay clean: no errors, no warnings, every type present."""

from __future__ import annotations

from collections import Counter

from quiz.banks.loader import validate_paths
from quiz.resources import bundled_banks_dir


def test_bundled_banks_validate_without_errors_or_warnings() -> None:
    reports = validate_paths([str(bundled_banks_dir())])
    assert [str(problem) for report in reports for problem in report.problems] == []
    assert all(report.bank is not None for report in reports)


def test_bundled_banks_use_every_type_and_difficulty() -> None:
    reports = validate_paths([str(bundled_banks_dir())])
    questions = [q for report in reports if report.bank for q in report.bank.questions]
    types = Counter(question.type for question in questions)
    assert set(types) == {"single", "multiple", "truefalse", "fill", "order"}
    assert {question.difficulty for question in questions} == {1, 2, 3, 4, 5}
    assert all(question.explanation and question.source for question in questions)

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


def test_the_three_contest_banks_are_full_and_reviewed() -> None:
    reports = {
        report.bank.id: report.bank
        for report in validate_paths([str(bundled_banks_dir())])
        if report.bank
    }
    contest_banks = [reports[name] for name in ("party-history", "tibet-history", "fire-rescue")]
    for bank in contest_banks:
        assert len(bank.questions) >= 200, bank.id
        assert bank.reviewed_by
        assert bank.reviewed_at is not None
    questions = [q for bank in reports.values() for q in bank.questions]
    assert all(question.status == "reviewed" for question in questions)
    types = Counter(q.type for bank in contest_banks for q in bank.questions)
    assert min(types.values()) >= 20, types

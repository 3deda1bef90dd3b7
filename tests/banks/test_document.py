"""A bank read from a non-text format reports each problem at the place recorded for it."""

from __future__ import annotations

from quiz.banks.document import MappedDocument, Place
from quiz.banks.validator import check_bank
from tests.helpers import question


def test_the_validator_reports_at_the_recorded_cell_or_its_row() -> None:
    bad = question(id="q-1", difficulty="very hard")
    document = MappedDocument(
        {
            "bank": {
                "id": "cells",
                "title": "表格题库",
                "language": "zh-CN",
                "version": 1,
                "authors": ["李"],
            },
            "questions": [question(id="q-0"), bad],
        },
        "题库.xlsx",
        {
            ("questions", 1): Place((3, 1), "题库.xlsx!题目!A3"),
            ("questions", 1, "difficulty"): Place((3, 12), "题库.xlsx!题目!L3"),
            ("questions", 1, "source"): Place((3, 11), "题库.xlsx!题目!K3"),
        },
    )
    bank, findings = check_bank(document)
    assert bank is None
    [problem] = findings.problems()
    assert problem.where == "题库.xlsx!题目!L3"
    assert str(problem).startswith("题库.xlsx!题目!L3: 错误: ")


def test_a_path_with_no_place_is_reported_at_its_nearest_ancestor_or_the_file() -> None:
    document = MappedDocument(
        None, "题库.docx", {("questions", 0): Place((12, 1), "题库.docx:段落 12:列 1")}
    )
    positions = document.positions([("questions", 0, "answer"), ("bank", "id")])
    assert positions == {("questions", 0, "answer"): (12, 1), ("bank", "id"): (1, 1)}
    assert document.place((12, 1)) == "题库.docx:段落 12:列 1"
    assert document.place((1, 1)) == "题库.docx"

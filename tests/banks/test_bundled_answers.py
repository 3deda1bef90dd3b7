"""What people type into the shipped fill-in questions is judged as a human judge would."""

from __future__ import annotations

from functools import cache

import pytest

from quiz.banks.loader import validate_paths
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question
from quiz.resources import bundled_banks_dir


@cache
def _bundled() -> dict[str, Question]:
    """Every shipped question by id, read the way `quiz validate` reads the banks."""
    reports = validate_paths([str(bundled_banks_dir())])
    return {q.id: q for report in reports if report.bank for q in report.bank.questions}


def _judged_right(question_id: str, typed: str) -> bool:
    question = _bundled()[question_id]
    return kind_of(question).is_correct(question, typed)


@pytest.mark.parametrize(
    ("question_id", "typed"),
    [
        ("tb-106", "3月28号"),
        ("tb-106", "三月二十八日"),
        ("tb-043", "9月9号"),
        ("tb-043", "1951年9月9日"),
        ("tb-043", "1951年9月9号"),
        ("tb-022", "第五世格达活佛"),
        ("tb-022", "五世格达活佛"),
        ("fr-081", "六类"),
        ("fr-081", "6类"),
        ("fr-081", "6"),
        ("fr-036", "报火警"),
        ("fr-036", "拨打119"),
        ("fr-036", "拨打119报警"),
        ("fr-055", "防火公约"),
        ("fr-055", "防火安全公约"),
        ("ph-026", "武汉"),
        ("ph-026", "汉口"),
    ],
)
def test_right_answers_as_people_type_them(question_id: str, typed: str) -> None:
    assert _judged_right(question_id, typed)


@pytest.mark.parametrize(
    ("question_id", "typed"),
    [
        ("tb-106", "3月29号"),
        ("tb-106", "3月28"),
        ("tb-043", "9月1号"),
        ("tb-043", "1950年9月9日"),
        ("tb-043", "10月26号"),
        ("tb-022", "第六世格达活佛"),
        ("tb-022", "第五世"),
        ("fr-081", "七类"),
        ("fr-081", "5类"),
        ("fr-036", "拨打120"),
        ("fr-036", "报告"),
        ("fr-055", "消防安全制度"),
        ("ph-026", "武昌"),
        ("ph-026", "长沙"),
    ],
)
def test_wrong_answers_stay_wrong(question_id: str, typed: str) -> None:
    assert not _judged_right(question_id, typed)


def test_retired_and_duplicate_questions_are_gone() -> None:
    # tb-166 asked a departure day the sources disagree on; tb-113 repeated tg-001.
    questions = _bundled()
    assert "tb-166" not in questions
    assert "tb-113" not in questions
    assert questions["tg-001"].text == "西藏自治区的首府是哪座城市？"

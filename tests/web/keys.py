"""The answer keys of the bundled banks, so live tests can answer right or wrong on purpose."""

from __future__ import annotations

from functools import cache
from typing import Any

from quiz.banks.loader import validate_paths
from quiz.engine.questions import Question
from quiz.resources import bundled_banks_dir


@cache
def bundled_questions() -> dict[str, Question]:
    """Every bundled question by "bank/question id" (the id a contest gives it)."""
    found: dict[str, Question] = {}
    for report in validate_paths([str(bundled_banks_dir())]):
        assert report.bank is not None, report.problems
        for question in report.bank.questions:
            found[f"{report.bank.id}/{question.id}"] = question
    return found


def right_answer(question: Question) -> Any:
    """A right response in the wire's form (indices for choices, true/false, or text)."""
    if question.type == "truefalse":
        return question.answer
    if question.type == "fill":
        return question.accepted_fill_answers()[0]
    if question.type == "single":
        return question.answer_indices()[0]
    return list(question.answer_indices())


def wrong_answer(question: Question) -> Any:
    """A response of the right shape that is wrong."""
    if question.type == "truefalse":
        return not question.answer
    if question.type == "fill":
        return "不是这个答案"
    if question.type == "single":
        return next(i for i in range(len(question.options)) if i != question.answer_indices()[0])
    if question.type == "multiple":
        chosen = set(question.answer_indices()) ^ {0}
        return sorted(chosen) or [1]
    return list(reversed(question.answer_indices()))

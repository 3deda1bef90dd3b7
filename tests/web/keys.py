"""The answer keys of the bundled banks, so live tests can answer right or wrong on purpose."""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache
from typing import Any

from quiz.banks.loader import validate_paths
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question, Response
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


def _wire(response: Response) -> Any:
    """A response as JSON carries it (tuples become lists)."""
    return list(response) if isinstance(response, tuple) else response


def right_answer(question: Question) -> Any:
    """A right response in the wire's form (indices for choices, true/false, or text)."""
    return _wire(kind_of(question).right_response(question))


def wrong_answer(question: Question) -> Any:
    """A response of the right shape that is wrong (the same one every time)."""
    return _wire(kind_of(question).wrong_response(question, random.Random(question.id)))


def as_shown(question: Question, shown: dict[str, Any]) -> Question:
    """The bank's question with its options in the order a view shows them (a contest may
    shuffle them): the key is option texts, so right_answer and wrong_answer follow."""
    return replace(question, options=tuple(shown["options"]))

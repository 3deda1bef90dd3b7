"""The question types: one kind module each, and the registry that finds a question's kind.

Adding a type: write its module (a QuestionKind subclass and its one instance, KIND), add it to
QUESTION_KINDS below and its name to QuestionType in quiz.engine.questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from quiz.engine.qtypes import fill, multiple, order, single, truefalse
from quiz.engine.qtypes.base import MAX_OPTIONS, BankEntry, OptionRule, QuestionKind

if TYPE_CHECKING:
    from quiz.engine.questions import Question

__all__ = ["MAX_OPTIONS", "QUESTION_KINDS", "BankEntry", "OptionRule", "QuestionKind", "kind_of"]

# The order is the order types are listed in messages and reports.
QUESTION_KINDS: Mapping[str, QuestionKind] = MappingProxyType(
    {
        kind.name: kind
        for kind in (single.KIND, multiple.KIND, truefalse.KIND, fill.KIND, order.KIND)
    }
)


def kind_of(question: Question) -> QuestionKind:
    """The kind of a question, by its type (a bank's types are checked when it is read)."""
    return QUESTION_KINDS[question.type]

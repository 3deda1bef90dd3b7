"""Questions as the core sees them, and the rule that judges a response to one.

A question is immutable data. Answers are kept in their canonical form: choice and order
answers as option texts (never letters), fill answers as the accepted texts. Responses from
players refer to options by index, so a translated screen and the original judge alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from quiz.engine.matching import fill_matches

QuestionType: TypeAlias = Literal["single", "multiple", "truefalse", "fill", "order"]
QUESTION_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "truefalse", "fill", "order")
Status: TypeAlias = Literal["draft", "reviewed"]
Answer: TypeAlias = bool | tuple[str, ...]
Response: TypeAlias = int | bool | str | tuple[int, ...]
LANGUAGES: tuple[str, ...] = ("en", "bo")


@dataclass(frozen=True, slots=True)
class Translation:
    """The text fields of a question in another language; None where not translated."""

    text: str | None = None
    options: tuple[str, ...] | None = None
    explanation: str | None = None
    answer: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a bank, with its answer in canonical form."""

    id: str
    type: QuestionType
    text: str
    answer: Answer
    explanation: str
    source: str
    difficulty: int
    tags: tuple[str, ...]
    status: Status
    options: tuple[str, ...] = ()
    points: int | None = None
    time_limit: int | None = None
    translations: dict[str, Translation] = field(default_factory=dict)

    def accepted_fill_answers(self) -> tuple[str, ...]:
        """Every accepted fill answer: the original ones, then those of each translation."""
        if self.type != "fill" or isinstance(self.answer, bool):
            return ()
        extra = tuple(
            text
            for translation in self.translations.values()
            for text in (translation.answer or ())
        )
        return self.answer + extra

    def answer_indices(self) -> tuple[int, ...]:
        """Indices of the answer's options (for choice and order questions), in answer order."""
        if isinstance(self.answer, bool) or self.type == "fill":
            return ()
        return tuple(self.options.index(text) for text in self.answer)


def is_correct(question: Question, response: Response) -> bool:
    """A response is right only when it has the shape the type asks for and matches the key."""
    match question.type:
        case "truefalse":
            return isinstance(response, bool) and response is question.answer
        case "fill":
            return isinstance(response, str) and fill_matches(
                response, question.accepted_fill_answers()
            )
        case "single":
            return (
                isinstance(response, int)
                and not isinstance(response, bool)
                and (response,) == question.answer_indices()
            )
        case "multiple":
            return (
                isinstance(response, tuple)
                and _is_index_tuple(response)
                and sorted(response) == sorted(question.answer_indices())
            )
        case "order":
            return _is_index_tuple(response) and response == question.answer_indices()


def _is_index_tuple(response: Response) -> bool:
    """A tuple of plain ints (bools are ints in Python and must not pass as indices)."""
    return isinstance(response, tuple) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in response
    )

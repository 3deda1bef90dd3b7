"""Questions as the core sees them, and the rule that judges a response to one.

A question is immutable data. Answers are kept in their canonical form: choice and order
answers as option texts (never letters), fill answers as the accepted texts. Responses from
players refer to options by index, so a translated screen and the original judge alike.
What differs between types lives in their kinds (quiz.engine.qtypes), which this module asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from quiz.engine.qtypes import kind_of

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
    # False keeps the options in bank order in every contest (e.g. a last option 以上都是).
    shuffle: bool = True

    def accepted_fill_answers(self) -> tuple[str, ...]:
        """Every accepted typed answer: the original ones, then those of each translation."""
        return kind_of(self).accepted_texts(self)

    def answer_indices(self) -> tuple[int, ...]:
        """Indices of the answer's options (for choice and order questions), in answer order."""
        return kind_of(self).answer_indices(self)


def is_correct(question: Question, response: Response) -> bool:
    """A response is right only when it has the shape the type asks for and matches the key."""
    return kind_of(question).is_correct(question, response)

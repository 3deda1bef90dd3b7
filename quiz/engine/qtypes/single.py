"""单选 single choice: exactly one option is right; the response is that option's index."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quiz.engine.qtypes.base import (
    BankEntry,
    OptionRule,
    QuestionKind,
    index_range,
    is_index,
    key_texts,
    option_indices,
)

if TYPE_CHECKING:
    from quiz.engine.questions import Answer, Question, Response


class Single(QuestionKind):
    """One right option among two to eight."""

    name = "single"
    label = "单选"
    options = OptionRule(required=True, minimum=2)

    def fits(self, question: Question, response: Response) -> bool:
        """One option index of this question."""
        return is_index(response) and 0 <= response < len(question.options)

    def wants(self, question: Question) -> str:
        """One index within the options."""
        return f"one option index {index_range(question)}"

    def matches_key(self, question: Question, response: Response) -> bool:
        """The index of the one right option."""
        return (response,) == option_indices(question)

    def right_response(self, question: Question) -> Response:
        """The right option's index."""
        return option_indices(question)[0]

    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """Any other option, at random."""
        right = option_indices(question)[0]
        return rng.choice([i for i in range(len(question.options)) if i != right])

    def answer_indices(self, question: Question) -> tuple[int, ...]:
        """The right option's index, alone."""
        return option_indices(question)

    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """One option, by text or letter; a list is refused with a pointer to `multiple`."""
        path = entry.at("answer")
        if isinstance(raw, list):
            entry.error(path, "single_answer_list", count=len(raw))
            return None
        chosen = entry.resolve(path, raw, options)
        return None if chosen is None else (chosen,)

    def answer_to_data(self, question: Question) -> Any:
        """The right option's text, not a one-item list."""
        return key_texts(question)[0]


KIND = Single()

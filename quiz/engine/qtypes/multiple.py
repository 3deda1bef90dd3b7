"""多选 multiple choice: two or more options are right; the response is the chosen indices."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quiz.engine.qtypes.base import (
    BankEntry,
    OptionRule,
    QuestionKind,
    index_range,
    is_index_tuple,
    key_texts,
    option_indices,
    read_option_list,
)

if TYPE_CHECKING:
    from quiz.engine.questions import Answer, Question, Response


class Multiple(QuestionKind):
    """At least two right options among two to eight; the order of choosing does not count."""

    name = "multiple"
    label = "多选"
    options = OptionRule(required=True, minimum=2)

    def fits(self, question: Question, response: Response) -> bool:
        """A non-empty tuple of different option indices of this question."""
        return (
            is_index_tuple(response)
            and 0 < len(set(response)) == len(response)
            and all(0 <= item < len(question.options) for item in response)
        )

    def wants(self, question: Question) -> str:
        """One or more different indices within the options."""
        return f"a list of one or more different option indices {index_range(question)}"

    def matches_key(self, question: Question, response: Response) -> bool:
        """Exactly the right options, in any order."""
        return is_index_tuple(response) and sorted(response) == sorted(option_indices(question))

    def right_response(self, question: Question) -> Response:
        """Every right option."""
        return option_indices(question)

    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """The right options with one option, drawn at random, added or dropped."""
        chosen = set(option_indices(question))
        # The key names at least two options, so dropping one still leaves a fitting response.
        chosen ^= {rng.randrange(len(question.options))}
        return tuple(sorted(chosen))

    def answer_indices(self, question: Question) -> tuple[int, ...]:
        """The right options' indices, in option order."""
        return option_indices(question)

    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """A list of at least two different options, kept in the order of the options."""
        chosen = read_option_list(entry, raw, options, "multiple_answer_not_list")
        if chosen is None:
            return None
        if len(chosen) < 2:
            entry.error(entry.at("answer"), "multiple_needs_two")
            return None
        return tuple(sorted(chosen, key=options.index))

    def answer_to_data(self, question: Question) -> Any:
        """The right options' texts, as a list."""
        return list(key_texts(question))


KIND = Multiple()

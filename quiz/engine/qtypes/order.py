"""排序 order: put every option in the right order; the response is the indices in that order."""

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


class Order(QuestionKind):
    """Three to eight options, all of which the answer lists in the right order."""

    name = "order"
    label = "排序"
    options = OptionRule(required=True, minimum=3)

    def fits(self, question: Question, response: Response) -> bool:
        """A permutation of the question's option indices."""
        return is_index_tuple(response) and sorted(response) == list(range(len(question.options)))

    def wants(self, question: Question) -> str:
        """Every index once, in the chosen order."""
        return f"a list of every option index {index_range(question)} once, in the chosen order"

    def matches_key(self, question: Question, response: Response) -> bool:
        """The options' indices in exactly the key's order."""
        return response == option_indices(question)

    def right_response(self, question: Question) -> Response:
        """The key's order."""
        return option_indices(question)

    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """The key's order with its first and last items swapped."""
        indices = list(option_indices(question))
        indices[0], indices[-1] = indices[-1], indices[0]
        return tuple(indices)

    def answer_indices(self, question: Question) -> tuple[int, ...]:
        """The options' indices in the right order."""
        return option_indices(question)

    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """A list naming every option once, in the right order."""
        chosen = read_option_list(entry, raw, options, "order_answer_not_list")
        if chosen is None:
            return None
        missing = [option for option in options if option not in chosen]
        if missing:
            entry.error(entry.at("answer"), "order_leaves_out", missing=" | ".join(missing))
            return None
        return tuple(chosen)

    def key_words(self, question: Question) -> str:
        """The options in the right order, joined by arrows."""
        return " → ".join(key_texts(question))

    def answer_to_data(self, question: Question) -> Any:
        """The options' texts in the right order."""
        return list(key_texts(question))


KIND = Order()

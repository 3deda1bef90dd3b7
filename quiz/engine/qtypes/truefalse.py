"""判断 true/false: a statement is right or wrong; the response is true or false."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quiz.engine.qtypes.base import BankEntry, QuestionKind

if TYPE_CHECKING:
    from quiz.engine.questions import Answer, Question, Response


class TrueFalse(QuestionKind):
    """A statement to judge; it has no options."""

    name = "truefalse"
    label = "判断"
    options = None

    def fits(self, question: Question, response: Response) -> bool:
        """True or false (never 0 or 1)."""
        return isinstance(response, bool)

    def wants(self, question: Question) -> str:
        """A boolean."""
        return "true or false"

    def matches_key(self, question: Question, response: Response) -> bool:
        """The key's truth value."""
        return response is question.answer

    def right_response(self, question: Question) -> Response:
        """The key."""
        return bool(question.answer)

    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """The opposite of the key."""
        return not question.answer

    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """A YAML boolean, nothing else (not the text '对')."""
        if isinstance(raw, bool):
            return raw
        entry.error(entry.at("answer"), "truefalse_answer_not_bool", **entry.describe(raw))
        return None

    def key_words(self, question: Question) -> str:
        """正确 or 错误."""
        return "正确" if question.answer is True else "错误"

    def answer_to_data(self, question: Question) -> Any:
        """The boolean itself."""
        return question.answer


KIND = TrueFalse()

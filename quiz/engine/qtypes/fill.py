"""填空 fill-in: the response is typed text, right when it matches an accepted answer.

Matching forgives width, case, spacing, punctuation and numerals (see quiz.engine.matching).
Options are optional: when present they are offered as suggestions, so the first accepted answer
must be one of them and no other option may match an accepted answer.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quiz.engine.matching import fill_matches, normalize_answer
from quiz.engine.qtypes.base import BankEntry, OptionRule, QuestionKind, key_texts

if TYPE_CHECKING:
    from quiz.engine.questions import Answer, Question, Response


class Fill(QuestionKind):
    """Typed text against one or more accepted answers, translations' answers included."""

    name = "fill"
    label = "填空"
    options = OptionRule(required=False, minimum=2)
    translated_answers = True

    def fits(self, question: Question, response: Response) -> bool:
        """Text that is not blank."""
        return isinstance(response, str) and bool(response.strip())

    def wants(self, question: Question) -> str:
        """Non-blank text."""
        return "a typed answer that is not blank"

    def matches_key(self, question: Question, response: Response) -> bool:
        """Text whose normal form equals that of an accepted answer."""
        return isinstance(response, str) and fill_matches(response, self.accepted_texts(question))

    def right_response(self, question: Question) -> Response:
        """The first accepted answer, as written."""
        return key_texts(question)[0]

    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """Punctuation only: it fits, but normalises to nothing, which matches no answer."""
        return "?"

    def accepted_texts(self, question: Question) -> tuple[str, ...]:
        """The original accepted answers, then those of each translation."""
        extra = tuple(
            text
            for translation in question.translations.values()
            for text in (translation.answer or ())
        )
        return key_texts(question) + extra

    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """One text or a list of them, none only punctuation; with options, the first accepted
        answer is an option and no other option matches any accepted answer."""
        path = entry.at("answer")
        accepted = entry.texts(path, raw, "field_answer")
        if accepted is None:
            return None
        normals = {normalize_answer(text) for text in accepted}
        if "" in normals:
            entry.error(path, "fill_answer_blank")
            return None
        if options:
            first = normalize_answer(accepted[0])
            matching = [i for i, option in enumerate(options) if normalize_answer(option) == first]
            if not matching:
                entry.error(path, "fill_first_not_option", answer=accepted[0])
                return None
            for index, option in enumerate(options):
                if index != matching[0] and normalize_answer(option) in normals:
                    entry.error(
                        entry.at("options", index), "fill_option_matches_answer", option=option
                    )
                    return None
        return accepted

    def answer_to_data(self, question: Question) -> Any:
        """The accepted answers, as a list."""
        return list(key_texts(question))


KIND = Fill()

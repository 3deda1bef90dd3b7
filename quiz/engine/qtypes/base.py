"""What a question type is: the one interface every type implements, and helpers they share.

A kind answers every type-specific question the rest of Leitai asks (how many options, what a
response looks like, whether it is right, what the PK bot answers, how the bank file writes the
answer), so a new type is one new module plus a line in the registry. Kinds are pure: standard
library and the engine's own matching only, because judging runs inside the contest core.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeGuard

if TYPE_CHECKING:
    from quiz.engine.questions import Answer, Question, Response

Keys = tuple[str | int, ...]
MAX_OPTIONS = 8


@dataclass(frozen=True, slots=True)
class OptionRule:
    """How many options a type takes, and whether a bank entry must list them at all."""

    required: bool
    minimum: int
    maximum: int = MAX_OPTIONS


class BankEntry(Protocol):
    """The bank validator's side of checking one entry: where a value is, and how to report."""

    def at(self, *keys: str | int) -> Keys:
        """The document path of a key of this entry, e.g. at("answer", 1)."""
        ...

    def error(self, path: Keys, code: str, **args: Any) -> None:
        """Record the error ``code`` (a key of quiz.texts' catalogue) at a path of the document;
        ``args`` are the plain values its text names, or what ``describe`` gave."""
        ...

    def describe(self, value: Any) -> Mapping[str, Any]:
        """How a value reads to a person, as the ``found`` and ``raw`` arguments of a message."""
        ...

    def resolve(self, path: Keys, value: Any, options: tuple[str, ...]) -> str | None:
        """An answer entry as an option's text (given by text or letter); None once reported."""
        ...

    def texts(self, path: Keys, value: Any, what: str) -> tuple[str, ...] | None:
        """One text or a non-empty list of them (``what`` names them: a term key); None once
        reported."""
        ...


class QuestionKind(ABC):
    """Everything that differs between question types; one instance per type is registered."""

    name: ClassVar[str]
    # The type's name for people (Chinese first): 单选, 填空, ... on sheets and pages.
    label: ClassVar[str]
    # None: the type has no options and a bank entry may not list any.
    options: ClassVar[OptionRule | None]
    # Whether a translation may add accepted answers (only typed answers have any to add).
    translated_answers: ClassVar[bool] = False

    @abstractmethod
    def fits(self, question: Question, response: Response) -> bool:
        """Whether a response has the shape this type asks for, be it right or wrong."""

    @abstractmethod
    def wants(self, question: Question) -> str:
        """The shape a response must have, as words for a refusal message."""

    @abstractmethod
    def matches_key(self, question: Question, response: Response) -> bool:
        """Whether a response that fits is the key; callers check `fits` first."""

    def is_correct(self, question: Question, response: Response) -> bool:
        """A response is right only when it fits the type and matches the key."""
        return self.fits(question, response) and self.matches_key(question, response)

    @abstractmethod
    def right_response(self, question: Question) -> Response:
        """A response that is judged right (what the PK bot gives when it knows the answer)."""

    @abstractmethod
    def wrong_response(self, question: Question, rng: random.Random) -> Response:
        """A response that fits but is judged wrong, drawn from `rng` where there is a choice."""

    def answer_indices(self, question: Question) -> tuple[int, ...]:
        """Indices of the answer's options in answer order; types answered by index override."""
        return ()

    def accepted_texts(self, question: Question) -> tuple[str, ...]:
        """Every accepted typed answer; only types answered by text have any."""
        return ()

    @abstractmethod
    def read_answer(self, entry: BankEntry, raw: Any, options: tuple[str, ...]) -> Answer | None:
        """A bank entry's answer in canonical form, or None after reporting why not."""

    @abstractmethod
    def answer_to_data(self, question: Question) -> Any:
        """The answer as a bank file writes it (the inverse of `read_answer`)."""

    def key_words(self, question: Question) -> str:
        """The key as a person reads it on a sheet: the answer texts, joined by ；."""
        return "；".join(key_texts(question))

    def refusal(self, question: Question) -> str:
        """The sentence that refuses a response of the wrong shape."""
        return f"{article(self.name)} {self.name} question takes {self.wants(question)}"


def article(word: str) -> str:
    """'an' before a vowel sound, else 'a' (good enough for the names of the types)."""
    return "an" if word[:1] in "aeio" else "a"


def is_index(value: object) -> TypeGuard[int]:
    """A plain int: bools are ints in Python and must never pass as option indices."""
    return type(value) is int


def is_index_tuple(value: object) -> TypeGuard[tuple[int, ...]]:
    """A tuple of plain ints."""
    return isinstance(value, tuple) and all(is_index(item) for item in value)


def index_range(question: Question) -> str:
    """The valid option indices of a question, as words."""
    return f"from 0 to {len(question.options) - 1}"


def key_texts(question: Question) -> tuple[str, ...]:
    """The answer's texts (options, or accepted texts); empty for a true/false answer."""
    return () if isinstance(question.answer, bool) else question.answer


def option_indices(question: Question) -> tuple[int, ...]:
    """The indices of the options the answer names, in answer order."""
    return tuple(question.options.index(text) for text in key_texts(question))


def read_option_list(
    entry: BankEntry, raw: Any, options: tuple[str, ...], not_list: str
) -> list[str] | None:
    """A list answer of distinct options (by text or letter), or None after reporting why not
    (``not_list`` is the code for an answer that is no list)."""
    path = entry.at("answer")
    if not isinstance(raw, list):
        entry.error(path, not_list, **entry.describe(raw))
        return None
    resolved = [entry.resolve((*path, index), item, options) for index, item in enumerate(raw)]
    chosen: list[str] = []
    for item in resolved:
        if item is None:
            return None
        chosen.append(item)
    for index, item in enumerate(chosen):
        if item in chosen[:index]:
            entry.error((*path, index), "answer_repeated", answer=item)
            return None
    return chosen

"""Texts a person reads about a file's problems, in Chinese and English, by stable code.

A :class:`quiz.yamlsource.Problem` holds a code and its arguments, never a sentence; the
sentence is rendered here, in the language of the page or terminal that shows it, so one
finding reads the same in the CLI, the upload page and the docs. Each catalogue module maps a
code to its two templates (``str.format`` fields named after the arguments); arguments that
are themselves words to translate (a field's name, "the answer") are :class:`Term` values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, NamedTuple, TypeAlias

from quiz.texts import core, formats

Language: TypeAlias = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


class Term(NamedTuple):
    """A word or phrase inside a message that is itself translated (a key of ``TERMS``)."""

    key: str


ArgValue: TypeAlias = str | int | Term
Args: TypeAlias = tuple[tuple[str, ArgValue], ...]

MESSAGES: dict[str, tuple[str, str]] = {**core.MESSAGES, **formats.MESSAGES}
TERMS: dict[str, tuple[str, str]] = {**core.TERMS, **formats.TERMS}
# Codes and terms rendered without a catalogue entry; the test session fails if any appear.
UNKNOWN: set[str] = set()


def args_of(values: Mapping[str, ArgValue]) -> Args:
    """Arguments as the hashable tuple a frozen problem stores."""
    return tuple(values.items())


def term(key: str, language: Language) -> str:
    """A term in ``language``; an unknown key reads as itself (a test keeps them all known)."""
    pair = TERMS.get(key)
    if pair is None:
        UNKNOWN.add(f"term {key}")
        return key
    return pair[LANGUAGES.index(language)]


def render(code: str, args: Args, language: Language = "zh") -> str:
    """The sentence for ``code`` in ``language``, with its arguments filled in."""
    pair = MESSAGES.get(code)
    plain = {name: value for name, value in args if not isinstance(value, Term)}
    # A term may name the message's plain arguments (文本“{raw}”), so it is filled in with them.
    values = {
        name: term(value.key, language).format(**plain) if isinstance(value, Term) else value
        for name, value in args
    }
    if pair is None:
        UNKNOWN.add(f"code {code}")
        # Unknown codes are a defect caught by tests; a person still sees what was found.
        return " ".join([code, *(f"{name}={value}" for name, value in values.items())])
    return pair[LANGUAGES.index(language)].format(**values)


def language_from_environment(environ: Mapping[str, str] = os.environ) -> Language:
    """The terminal's language: English when the locale says so, otherwise Chinese."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"

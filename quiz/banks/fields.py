"""Checks on single values of a hand-written document, each reported at the value's path.

Findings are collected with paths, not positions, and turned into ``file:line:col`` only at the
end (see :class:`Findings`), so a clean file never pays for position tracking.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quiz.yamlsource import Located, Path, Problem, Severity

MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a path; ``on_key`` points at the mapping key rather than its value."""

    path: Path
    severity: Severity
    message: str
    on_key: bool = False


class Findings:
    """The findings of one document, resolved to positions in a single pass when done."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.items: list[Finding] = []

    def error(self, path: Path, message: str, *, on_key: bool = False) -> None:
        """Record an error at ``path``."""
        self.items.append(Finding(path, "error", message, on_key))

    def warning(self, path: Path, message: str) -> None:
        """Record a warning at ``path``."""
        self.items.append(Finding(path, "warning", message))

    @property
    def has_errors(self) -> bool:
        """Whether any error (loading problems included) was found."""
        return any(item.severity == "error" for item in self.items) or any(
            problem.severity == "error" for problem in self.located.problems
        )

    def problems(self) -> list[Problem]:
        """Every finding with its file, line and column, in the order of the file."""
        value_paths = [item.path for item in self.items if not item.on_key]
        key_paths = [item.path for item in self.items if item.on_key]
        values = self.located.positions(value_paths) if value_paths else {}
        keys = self.located.positions(key_paths, of_keys=True) if key_paths else {}
        found = list(self.located.problems)
        for item in self.items:
            line, column = (keys if item.on_key else values)[item.path]
            found.append(Problem(self.located.filename, line, column, item.severity, item.message))
        return sorted(found, key=lambda problem: (problem.line, problem.column))


def describe(value: Any) -> str:
    """How a value reads to a person, for messages: 'the text "x"', 'a list', 'true'."""
    if isinstance(value, bool):
        # YAML 1.1 reads yes/no/on/off as booleans, which surprises authors.
        return f"{'true' if value else 'false'} (yes/no/on/off are read as true/false)"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"the number {value}"


def article(word: str) -> str:
    """'an' before a vowel sound, else 'a' (good enough for the words of our messages)."""
    return "an" if word[:1] in "aeio" else "a"


def as_text(findings: Findings, path: Path, value: Any, what: str) -> str | None:
    """Text as written; a whole number is taken as its digits, anything else is an error."""
    if isinstance(value, str):
        if value.strip():
            return value.strip()
        findings.error(path, f"{what} is empty")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    hint = "; put it in quotes" if isinstance(value, bool | float | dt.date) else ""
    findings.error(path, f"{what} should be text, not {describe(value)}{hint}")
    return None


def as_whole_number(
    findings: Findings, path: Path, value: Any, what: str, low: int, high: int | None
) -> int | None:
    """A whole number within [low, high]; bools and text are errors."""
    if not isinstance(value, int) or isinstance(value, bool):
        findings.error(path, f"{what} should be a whole number, not {describe(value)}")
        return None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"{low} or more"
        findings.error(path, f"{what} should be {bound}, not {value}")
        return None
    return value


def as_text_list(
    findings: Findings, path: Path, value: Any, what: str, *, minimum: int = 0
) -> tuple[str, ...] | None:
    """A list of texts (whole numbers taken as text) with at least ``minimum`` entries."""
    if not isinstance(value, list):
        findings.error(path, f"{what} should be a list, not {describe(value)}")
        return None
    if len(value) < minimum:
        findings.error(
            path, f"{what} needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}"
        )
        return None
    texts = [
        as_text(findings, (*path, index), item, f"entry {index + 1} of {what}")
        for index, item in enumerate(value)
    ]
    if any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text is not None)


def as_one_or_more_texts(
    findings: Findings, path: Path, value: Any, what: str
) -> tuple[str, ...] | None:
    """One text, or a list of at least one; either way a tuple of texts."""
    if isinstance(value, list):
        return as_text_list(findings, path, value, what, minimum=1)
    text = as_text(findings, path, value, what)
    return None if text is None else (text,)


def check_keys(
    findings: Findings,
    path: Path,
    mapping: Mapping[Any, Any],
    required: Iterable[str],
    optional: Iterable[str],
    what: str,
) -> None:
    """Every required key present and no unknown key, with a suggestion for misspellings."""
    allowed = [*required, *optional]
    for key in required:
        if key not in mapping:
            findings.error(path, f"{what} is missing '{key}'")
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            findings.error((*path, key), f"unknown key '{key}' in {what}{hint}", on_key=True)


def as_mapping(findings: Findings, path: Path, value: Any, what: str) -> dict[Any, Any] | None:
    """A mapping, or an error saying what was found instead."""
    if isinstance(value, dict):
        return value
    findings.error(path, f"{what} should be a mapping (key: value lines), not {describe(value)}")
    return None

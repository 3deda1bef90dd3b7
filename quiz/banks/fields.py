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

from quiz.banks.document import Document
from quiz.yamlsource import MAX_PROBLEMS, Path, Problem, Severity

MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a path; ``on_key`` points at the mapping key rather than its value."""

    path: Path
    severity: Severity
    message: str
    on_key: bool = False
    code: str | None = None


class Findings:
    """The findings of one document, resolved to positions in a single pass when done.

    Only the first :data:`MAX_PROBLEMS` (with the loader's) are kept; the rest are counted in
    :attr:`unlisted`, and :attr:`errors` counts every error, kept or not.
    """

    def __init__(self, located: Document) -> None:
        self.located = located
        self.items: list[Finding] = []
        self.errors = sum(problem.severity == "error" for problem in located.problems)
        self.errors += located.unlisted  # the loader counts only errors past its cap
        self.unlisted = located.unlisted

    @property
    def full(self) -> bool:
        """Whether further findings are only counted (so callers may skip costly hints)."""
        return len(self.items) + len(self.located.problems) >= MAX_PROBLEMS

    def error(
        self, path: Path, message: str, *, on_key: bool = False, code: str | None = None
    ) -> None:
        """Record an error at ``path``."""
        self.errors += 1
        self._add(Finding(path, "error", message, on_key, code))

    def warning(self, path: Path, message: str) -> None:
        """Record a warning at ``path``."""
        self._add(Finding(path, "warning", message))

    def _add(self, finding: Finding) -> None:
        if self.full:
            self.unlisted += 1
        else:
            self.items.append(finding)

    @property
    def has_errors(self) -> bool:
        """Whether any error (loading problems included) was found."""
        return self.errors > 0

    def problems(self) -> list[Problem]:
        """The kept findings with their file, line and column, in the order of the file."""
        value_paths = [item.path for item in self.items if not item.on_key]
        key_paths = [item.path for item in self.items if item.on_key]
        values = self.located.positions(value_paths) if value_paths else {}
        keys = self.located.positions(key_paths, of_keys=True) if key_paths else {}
        found = list(self.located.problems)
        for item in self.items:
            line, column = (keys if item.on_key else values)[item.path]
            found.append(
                Problem(
                    self.located.filename,
                    line,
                    column,
                    item.severity,
                    item.message,
                    item.code,
                    self.located.place((line, column)),
                )
            )
        return sorted(found, key=lambda problem: (problem.line, problem.column))


# The longest text each field may hold, by the field's key (the last text key of its path);
# docs/bank-format.md lists them. A question read aloud in a hall is a few hundred characters; a
# 5-million-character one was once imported, and every page showing it stalled.
LENGTH_LIMITS = {
    "title": 200,
    "description": 2000,
    "authors": 100,
    "reviewed_by": 100,
    "text": 1000,
    "options": 200,
    "answer": 200,
    "explanation": 2000,
    "source": 500,
    "tags": 50,
}
DEFAULT_LIMIT = 200
_LABELS = {
    "title": "标题",
    "description": "说明",
    "authors": "作者",
    "reviewed_by": "审核人",
    "text": "题干",
    "options": "选项",
    "answer": "答案",
    "explanation": "解析",
    "source": "出处",
    "tags": "标签",
}


def _field(path: Path) -> str | None:
    """The field a path's text belongs to: its last key (list indices skipped)."""
    return next((part for part in reversed(path) if isinstance(part, str)), None)


def length_limit(path: Path) -> int:
    """The most characters the text at ``path`` may hold."""
    return LENGTH_LIMITS.get(_field(path) or "", DEFAULT_LIMIT)


def field_label(path: Path) -> str:
    """The field's name in Chinese, for messages (the key itself for an unlisted one)."""
    name = _field(path) or ""
    return _LABELS.get(name, name)


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


def as_text(
    findings: Findings, path: Path, value: Any, what: str, limit: int | None = None
) -> str | None:
    """Text as written, at most ``limit`` characters (default: the limit of the path's field);
    a whole number is taken as its digits, anything else is an error."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            findings.error(path, f"{what} is empty")
            return None
        most = limit if limit is not None else length_limit(path)
        if len(text) > most:
            findings.error(
                path,
                f"{field_label(path)}有 {len(text):,} 个字符，超过 {most:,} 的上限",
                code="text_too_long",
            )
            return None
        return text
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
            # difflib is slow; a file already past the problem cap only gets its keys counted.
            close = [] if findings.full else difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            findings.error((*path, key), f"unknown key '{key}' in {what}{hint}", on_key=True)


def as_mapping(findings: Findings, path: Path, value: Any, what: str) -> dict[Any, Any] | None:
    """A mapping, or an error saying what was found instead."""
    if isinstance(value, dict):
        return value
    findings.error(path, f"{what} should be a mapping (key: value lines), not {describe(value)}")
    return None

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
from quiz.texts import Args, ArgValue, Term
from quiz.yamlsource import MAX_PROBLEMS, Path, Problem, Severity

MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a path; ``on_key`` points at the mapping key rather than its value."""

    path: Path
    severity: Severity
    code: str
    args: Args = ()
    on_key: bool = False


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
        self, path: Path, code: str, args: Args = (), *, on_key: bool = False, **more: ArgValue
    ) -> None:
        """Record an error ``code`` at ``path``, with ``args`` and ``more`` for its text."""
        self.errors += 1
        self._add(Finding(path, "error", code, (*args, *more.items()), on_key))

    def warning(self, path: Path, code: str, args: Args = (), **more: ArgValue) -> None:
        """Record a warning ``code`` at ``path``."""
        self._add(Finding(path, "warning", code, (*args, *more.items())))

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
                    item.code,
                    item.args,
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


def _field(path: Path) -> str | None:
    """The field a path's text belongs to: its last key (list indices skipped)."""
    return next((part for part in reversed(path) if isinstance(part, str)), None)


def length_limit(path: Path) -> int:
    """The most characters the text at ``path`` may hold."""
    return LENGTH_LIMITS.get(_field(path) or "", DEFAULT_LIMIT)


def field_term(path: Path) -> Args:
    """The field of ``path`` as the ``field`` argument: a term for a known field (标题, the
    title), the key itself for another one."""
    name = _field(path) or ""
    if name in LENGTH_LIMITS:
        return (("field", Term(f"field_{name}")),)
    return (("field", Term("field_other")), ("key", name))


def named(key: str, **args: ArgValue) -> Args:
    """The ``what`` argument of a message: the term ``key`` (with the fields its text names)."""
    return (("what", Term(key)), *args.items())


def describe(value: Any) -> Args:
    """How a value reads to a person, as the ``found`` term with the ``raw`` text it quotes:
    文本“x” / the text 'x', 列表 / a list, true (yes/no/on/off ...)."""
    if isinstance(value, bool):
        # YAML 1.1 reads yes/no/on/off as booleans, which surprises authors.
        kind, raw = "value_bool", "true" if value else "false"
    elif value is None:
        kind, raw = "value_none", ""
    elif isinstance(value, str):
        kind, raw = "value_text", value
    elif isinstance(value, dict):
        kind, raw = "value_mapping", ""
    elif isinstance(value, list):
        kind, raw = "value_list", ""
    elif isinstance(value, dt.date):
        kind, raw = "value_date", value.isoformat()
    else:
        kind, raw = "value_number", str(value)
    return (("found", Term(kind)), ("raw", raw))


def as_text(
    findings: Findings,
    path: Path,
    value: Any,
    what: Args,
    limit: int | None = None,
    *,
    entry: int | None = None,
) -> str | None:
    """Text as written, at most ``limit`` characters (default: the limit of the path's field);
    a whole number is taken as its digits, anything else is an error. ``entry`` numbers an
    item of the list ``what`` names."""
    place: Args = (*what, ("entry", entry)) if entry is not None else what
    suffix = "_entry" if entry is not None else ""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            findings.error(path, f"text_empty{suffix}", place)
            return None
        most = limit if limit is not None else length_limit(path)
        if len(text) > most:
            findings.error(
                path,
                "text_too_long",
                field_term(path),
                length=f"{len(text):,}",
                limit=f"{most:,}",
            )
            return None
        return text
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    quote = "_quote" if isinstance(value, bool | float | dt.date) else ""
    findings.error(path, f"value_not_text{suffix}{quote}", (*place, *describe(value)))
    return None


def as_whole_number(
    findings: Findings, path: Path, value: Any, what: Args, low: int, high: int | None
) -> int | None:
    """A whole number within [low, high]; bools and text are errors."""
    if not isinstance(value, int) or isinstance(value, bool):
        findings.error(path, "not_whole_number", (*what, *describe(value)))
        return None
    if high is not None and not low <= value <= high:
        findings.error(path, "number_out_of_range", what, low=low, high=high, value=value)
        return None
    if value < low:
        findings.error(path, "number_too_small", what, low=low, value=value)
        return None
    return value


def as_text_list(
    findings: Findings, path: Path, value: Any, what: Args, *, minimum: int = 0
) -> tuple[str, ...] | None:
    """A list of texts (whole numbers taken as text) with at least ``minimum`` entries."""
    if not isinstance(value, list):
        findings.error(path, "not_list", (*what, *describe(value)))
        return None
    if len(value) < minimum:
        findings.error(path, "list_too_short", what, minimum=minimum)
        return None
    texts = [
        as_text(findings, (*path, index), item, what, entry=index + 1)
        for index, item in enumerate(value)
    ]
    if any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text is not None)


def as_one_or_more_texts(
    findings: Findings, path: Path, value: Any, what: Args
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
    what: Args,
) -> None:
    """Every required key present and no unknown key, with a suggestion for misspellings."""
    allowed = [*required, *optional]
    for key in required:
        if key not in mapping:
            findings.error(path, "missing_key", what, key=key)
    for key in mapping:
        if key not in allowed:
            # difflib is slow; a file already past the problem cap only gets its keys counted.
            close = [] if findings.full else difflib.get_close_matches(str(key), allowed, n=1)
            if close:
                findings.error(
                    (*path, key),
                    "unknown_key_suggest",
                    what,
                    on_key=True,
                    key=str(key),
                    suggestion=close[0],
                )
            else:
                findings.error((*path, key), "unknown_key", what, on_key=True, key=str(key))


def as_mapping(findings: Findings, path: Path, value: Any, what: Args) -> dict[Any, Any] | None:
    """A mapping, or an error saying what was found instead."""
    if isinstance(value, dict):
        return value
    findings.error(path, "not_mapping", (*what, *describe(value)))
    return None

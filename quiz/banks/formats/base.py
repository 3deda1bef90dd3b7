"""What every bank format gives back, and what it must offer to be registered."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from quiz.banks.model import Bank
from quiz.texts import ArgValue, Language, args_of, render
from quiz.yamlsource import MAX_PROBLEMS, Path, Position, Problem


class UsageError(ValueError):
    """What was asked cannot be done at all (a missing path, no bank files, an unknown format):
    a code of quiz.texts and its arguments, and the file it concerns if one; ``str()`` gives
    the English text, for logs."""

    def __init__(self, code: str, *, subject: str | None = None, **args: ArgValue) -> None:
        self.code = code
        self.subject = subject
        self.arguments = args_of(args)
        super().__init__(self.text("en"))

    def text(self, language: Language = "zh") -> str:
        """The sentence a person reads, in ``language``, after the file's name if there is one."""
        sentence = render(self.code, self.arguments, language)
        return f"{self.subject}: {sentence}" if self.subject else sentence


class UnknownFormat(UsageError):
    """No registered format has the name asked for, or claims the file's extension."""


class SourcePositions(Protocol):
    """Where the values of a file that was read are, so later checks can point into the file."""

    def positions(self, paths: Collection[Path]) -> dict[Path, Position]:
        """Line and column of each path's value (of its nearest existing ancestor if absent)."""
        ...

    def place(self, position: Position) -> str | None:
        """How a person finds ``position`` (a cell, a paragraph), or None for ``file:line:col``."""
        ...


@dataclass(slots=True)
class FileReport:
    """What reading found in one file; ``bank`` is set only when there is no error.

    ``located`` is set whenever ``bank`` is: checks across files (near-duplicate questions)
    place their warnings with it. ``problems`` keeps the first ``MAX_PROBLEMS``; ``unlisted``
    counts the rest.
    """

    path: str
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    located: SourcePositions | None = None
    unlisted: int = 0

    def add(self, problem: Problem) -> None:
        """Keep a problem found after reading, or only count it once the report is full."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.unlisted += 1
        else:
            self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file unusable."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop the file from loading."""
        return [problem for problem in self.problems if problem.severity == "warning"]


class BankFormat(Protocol):
    """One file format banks are read from and written to; one module implements each."""

    @property
    def name(self) -> str:
        """What ``--format`` calls it: lower-case, unique among formats."""
        ...

    @property
    def extensions(self) -> tuple[str, ...]:
        """The file name endings it claims, lower-case with the dot (``.yaml``)."""
        ...

    def read(self, data: bytes, filename: str) -> FileReport:
        """The bank in ``data`` and every problem, each at its place; never raises for bad data."""
        ...

    def write(self, bank: Bank) -> bytes:
        """The bank as a file of this format that ``read`` turns back into an equal bank."""
        ...

"""What every bank format gives back, and what it must offer to be registered."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from quiz.banks.model import Bank
from quiz.yamlsource import Path, Position, Problem


class UsageError(ValueError):
    """What was asked cannot be done at all: a missing path, no bank files, an unknown format."""


class UnknownFormat(UsageError):
    """No registered format has the name asked for, or claims the file's extension."""

    def __init__(self, filename: str | None, reason: str) -> None:
        super().__init__(f"{filename}: {reason}" if filename else reason)
        self.reason = reason


class SourcePositions(Protocol):
    """Where the values of a file that was read are, so later checks can point into the file."""

    def positions(self, paths: Collection[Path]) -> dict[Path, Position]:
        """Line and column of each path's value (of its nearest existing ancestor if absent)."""
        ...


@dataclass(slots=True)
class FileReport:
    """What reading found in one file; ``bank`` is set only when there is no error.

    ``located`` is set whenever ``bank`` is: checks across files (near-duplicate questions)
    place their warnings with it.
    """

    path: str
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    located: SourcePositions | None = None

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

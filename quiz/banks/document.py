"""What the validator reads, whatever the file format: plain data shaped like a YAML bank,
the problems found while reading it, and where each value came from.

A YAML file is a :class:`quiz.yamlsource.Located`. Formats whose places are not lines of text
(a spreadsheet's cells, a Word document's paragraphs) build a :class:`MappedDocument`: the same
plain data, with each value's place recorded as it was read, so the one validator reports every
problem at the cell or paragraph a person can find.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from quiz.yamlsource import Path, Position, Problem


class Document(Protocol):
    """A bank read from a file, ready for :func:`quiz.banks.validator.check_bank`."""

    data: Any
    filename: str
    problems: list[Problem]
    unlisted: int

    def positions(self, paths: Collection[Path], *, of_keys: bool = False) -> dict[Path, Position]:
        """The position of each path's value (or of its nearest recorded ancestor)."""
        ...

    def place(self, position: Position) -> str | None:
        """How a person finds ``position`` in the file, or None for ``file:line:col``."""
        ...


@dataclass(frozen=True, slots=True)
class Place:
    """Where one value was read: an order for sorting, and the text a person looks for.

    Positions must be unique within a file, because a problem finds its label by its position:
    a workbook numbers its sheets' rows on, e.g. ``(sheet * 1_000_000 + row, column)``.
    """

    position: Position
    label: str


@dataclass(slots=True)
class MappedDocument:
    """Plain bank data with the place of each value recorded while reading it.

    ``places`` maps a path (``("questions", 3, "answer")``) to where its value was read; a path
    with no entry is reported at its nearest recorded ancestor, and the file's start otherwise.
    Keys have no places of their own: ``of_keys`` gives the value's place.
    """

    data: Any
    filename: str
    places: dict[Path, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0
    _labels: dict[Position, str] = field(default_factory=dict, repr=False)

    def positions(self, paths: Collection[Path], *, of_keys: bool = False) -> dict[Path, Position]:
        """Each path's recorded position, or its nearest recorded ancestor's, or (1, 1)."""
        return {path: self._place_of(path).position for path in paths}

    def place(self, position: Position) -> str | None:
        """The label recorded for ``position`` (the file's name when none was)."""
        if len(self._labels) != len(self.places):
            self._labels = {place.position: place.label for place in self.places.values()}
        return self._labels.get(position, self.filename)

    def _place_of(self, path: Path) -> Place:
        for end in range(len(path), -1, -1):
            found = self.places.get(path[:end])
            if found is not None:
                return found
        return Place((1, 1), self.filename)

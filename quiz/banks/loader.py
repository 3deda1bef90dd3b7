"""Reading bank files: from paths or text to validated banks and their problems."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quiz.banks.model import Bank
from quiz.banks.similarity import near_duplicates
from quiz.banks.validator import check_bank
from quiz.yamlsource import (
    MAX_BYTES,
    Located,
    Problem,
    YamlSourceError,
    decode_source,
    load_yaml,
    read_source,
)

BANK_SUFFIXES = (".yaml", ".yml")


class UsageError(ValueError):
    """The paths given cannot be validated at all (missing, or no bank files in them)."""


@dataclass(slots=True)
class FileReport:
    """What validation found in one file; ``bank`` is set only when there is no error."""

    path: str
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    located: Located | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file unusable."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop the file from loading."""
        return [problem for problem in self.problems if problem.severity == "warning"]


def load_bank_text(text: str, filename: str) -> FileReport:
    """Validate the text of one bank file; every problem names ``filename``, line and column."""
    try:
        located = load_yaml(text, filename)
    except YamlSourceError as error:
        return FileReport(filename, None, error.problems)
    bank, findings = check_bank(located)
    return FileReport(filename, bank, findings.problems(), located)


def load_bank_bytes(raw: bytes, filename: str, max_bytes: int = MAX_BYTES) -> FileReport:
    """Validate uploaded bytes: size and encoding first, then the bank itself."""
    try:
        text = decode_source(raw, filename, max_bytes)
    except YamlSourceError as error:
        return FileReport(filename, None, error.problems)
    return load_bank_text(text, filename)


def load_bank_file(path: str, max_bytes: int = MAX_BYTES) -> FileReport:
    """Validate one bank file on disk, refusing oversized and non-UTF-8 files before parsing."""
    try:
        text = read_source(path, max_bytes)
    except YamlSourceError as error:
        return FileReport(path, None, error.problems)
    return load_bank_text(text, path)


def find_bank_files(paths: Iterable[str]) -> list[str]:
    """Files named directly, plus every *.yaml/*.yml below named folders, in a stable order."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, subfolders, files in os.walk(path):
                subfolders.sort()
                found.extend(
                    os.path.join(folder, name)
                    for name in sorted(files)
                    if name.endswith(BANK_SUFFIXES)
                )
        elif os.path.exists(path):
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError("no bank files (*.yaml, *.yml) in " + ", ".join(paths))
    return found


def validate_paths(paths: Sequence[str], max_bytes: int = MAX_BYTES) -> list[FileReport]:
    """Validate files and folders, then warn on near-duplicate questions across all of them."""
    reports = [load_bank_file(path, max_bytes) for path in find_bank_files(paths)]
    add_near_duplicate_warnings(reports)
    return reports


def add_near_duplicate_warnings(reports: Sequence[FileReport]) -> None:
    """Warn at the later of each pair of nearly identical questions, naming the earlier."""
    entries = [
        (report, index)
        for report in reports
        if report.bank is not None
        for index in range(len(report.bank.questions))
    ]
    texts = []
    for report, index in entries:
        assert report.bank is not None
        question = report.bank.questions[index]
        texts.append(" ".join((question.text, *question.options)))
    pairs = near_duplicates(texts)
    if not pairs:
        return
    wanted: dict[int, list[tuple[str | int, ...]]] = {}
    for pair in pairs:
        for entry in (pair.first, pair.second):
            wanted.setdefault(id(entries[entry][0]), []).append(("questions", entries[entry][1]))
    positions = {
        id(report): report.located.positions(wanted[id(report)])
        for report in reports
        if id(report) in wanted and report.located is not None
    }
    for pair in pairs:
        (first_report, first_index), (second_report, second_index) = (
            entries[pair.first],
            entries[pair.second],
        )
        assert first_report.bank is not None
        assert second_report.bank is not None
        first_id = first_report.bank.questions[first_index].id
        second_id = second_report.bank.questions[second_index].id
        first_line = positions[id(first_report)][("questions", first_index)][0]
        line, column = positions[id(second_report)][("questions", second_index)]
        second_report.problems.append(
            Problem(
                second_report.path,
                line,
                column,
                "warning",
                f"question '{second_id}' is nearly the same as '{first_id}' "
                f"({first_report.path}:{first_line}), {pair.likeness:.0%} alike",
            )
        )
    for report in reports:
        report.problems.sort(key=lambda problem: (problem.line, problem.column))

"""Reading bank files from paths: choosing the files, then reading each in its format."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from quiz.banks.formats import (
    FileReport,
    UsageError,
    format_for,
    known_extensions,
    read_bank,
)
from quiz.banks.formats import read_bank as load_bank_bytes
from quiz.banks.formats.yaml_format import read_text as load_bank_text
from quiz.banks.similarity import near_duplicates
from quiz.texts import args_of
from quiz.yamlsource import MAX_BYTES, Problem, unreadable

__all__ = [
    "FileReport",
    "UsageError",
    "add_near_duplicate_warnings",
    "find_bank_files",
    "load_bank_bytes",
    "load_bank_file",
    "load_bank_text",
    "validate_paths",
]


def load_bank_file(
    path: str, max_bytes: int = MAX_BYTES, *, format_name: str | None = None
) -> FileReport:
    """Read one bank file on disk, refusing an oversized file before reading all of it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return FileReport(path, None, [unreadable(path, error)])
    return read_bank(data, path, format_name=format_name, max_bytes=max_bytes)


def find_bank_files(paths: Iterable[str], format_name: str | None = None) -> list[str]:
    """Files named directly, plus every file of a bank format below named folders, in order.

    With ``format_name`` folders are searched for that format's files only and files named
    directly are read as it; without, a file named directly needs an extension a format claims.
    """
    extensions = known_extensions(format_name)
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, subfolders, files in os.walk(path):
                subfolders.sort()
                found.extend(
                    os.path.join(folder, name)
                    for name in sorted(files)
                    if os.path.splitext(name)[1].lower() in extensions
                )
        elif os.path.exists(path):
            # Choosing now makes a name no format claims a usage error before any file is read.
            format_for(path, format_name)
            found.append(path)
        else:
            raise UsageError("no_such_path", path=path)
    if not found:
        patterns = ", ".join(f"*{extension}" for extension in extensions)
        raise UsageError("no_bank_files", patterns=patterns, paths=", ".join(paths))
    return found


def validate_paths(
    paths: Sequence[str], max_bytes: int = MAX_BYTES, *, format_name: str | None = None
) -> list[FileReport]:
    """Validate files and folders, then warn on near-duplicate questions across all of them."""
    reports = [
        load_bank_file(path, max_bytes, format_name=format_name)
        for path in find_bank_files(paths, format_name)
    ]
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
        first_position = positions[id(first_report)][("questions", first_index)]
        line, column = positions[id(second_report)][("questions", second_index)]
        # A workbook or Word file names its cell or paragraph; a YAML file its line.
        assert first_report.located is not None
        assert second_report.located is not None
        first_where = first_report.located.place(first_position) or (
            f"{first_report.path}:{first_position[0]}"
        )
        second_report.add(
            Problem(
                second_report.path,
                line,
                column,
                "warning",
                "near_duplicate",
                args_of(
                    {
                        "question": second_id,
                        "first": first_id,
                        "first_where": first_where,
                        "likeness": round(pair.likeness * 100),
                    }
                ),
                place=second_report.located.place((line, column)),
            )
        )
    for report in reports:
        report.problems.sort(key=lambda problem: (problem.line, problem.column))

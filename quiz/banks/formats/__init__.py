"""Bank file formats behind one interface, chosen by a file's extension or by name.

Every place that reads or writes a bank file (the command line, folder scans, uploads) goes
through :func:`read_bank` / :func:`format_for`, so a new format is one module implementing
:class:`BankFormat` plus one entry in :data:`REGISTRY`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from quiz.banks.formats.aiken_format import AikenFormat
from quiz.banks.formats.base import (
    BankFormat,
    FileReport,
    SourcePositions,
    UnknownFormat,
    UsageError,
)
from quiz.banks.formats.csv_format import CsvFormat
from quiz.banks.formats.docx_format import DocxFormat
from quiz.banks.formats.gift_format import GiftFormat
from quiz.banks.formats.moodle_xml_format import MoodleXmlFormat
from quiz.banks.formats.text_format import TextFormat
from quiz.banks.formats.xlsx_format import XlsxFormat
from quiz.banks.formats.yaml_format import YamlFormat
from quiz.texts import ArgValue, Term, args_of
from quiz.yamlsource import MAX_BYTES, Problem

__all__ = [
    "DEFAULT_FORMAT",
    "REGISTRY",
    "BankFormat",
    "FileReport",
    "FormatRegistry",
    "SourcePositions",
    "UnknownFormat",
    "UsageError",
    "format_for",
    "format_named",
    "known_extensions",
    "read_bank",
]

DEFAULT_FORMAT = "yaml"


class FormatRegistry:
    """The formats known, each found by its name or by any of the extensions it claims."""

    def __init__(self, formats: Iterable[BankFormat] = ()) -> None:
        self._by_name: dict[str, BankFormat] = {}
        self._by_extension: dict[str, BankFormat] = {}
        for bank_format in formats:
            self.register(bank_format)

    def register(self, bank_format: BankFormat) -> None:
        """Add a format; its name and each extension must be new, so no choice is ambiguous."""
        if bank_format.name in self._by_name:
            raise ValueError(f"a bank format named '{bank_format.name}' is already registered")
        for extension in bank_format.extensions:
            if extension != extension.lower() or not extension.startswith("."):
                raise ValueError(f"extension '{extension}' must be lower-case and start with '.'")
            if extension in self._by_extension:
                owner = self._by_extension[extension].name
                raise ValueError(f"'{extension}' files are already read by the {owner} format")
        self._by_name[bank_format.name] = bank_format
        self._by_extension.update(dict.fromkeys(bank_format.extensions, bank_format))

    @property
    def formats(self) -> tuple[BankFormat, ...]:
        """Every format, in the order registered."""
        return tuple(self._by_name.values())

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every extension some format claims, in the order registered."""
        return tuple(self._by_extension)

    def named(self, name: str) -> BankFormat:
        """The format called ``name``; any other name is an :class:`UnknownFormat`."""
        if name not in self._by_name:
            raise self._unknown("fmt_format_not_named", name)
        return self._by_name[name]

    def for_filename(self, filename: str) -> BankFormat:
        """The format claiming the file's extension, in any letter case."""
        extension = os.path.splitext(filename)[1].lower()
        if not extension:
            raise self._unknown("fmt_format_no_extension", os.path.basename(filename), filename)
        if extension not in self._by_extension:
            raise self._unknown("fmt_format_extension", extension, filename)
        return self._by_extension[extension]

    def _unknown(self, reason: str, value: str, filename: str | None = None) -> UnknownFormat:
        """Why no format reads a file (``unknown_format``), naming the formats there are."""
        return UnknownFormat(
            "unknown_format",
            subject=filename,
            reason=Term(reason),
            value=value,
            known=self._known(),
        )

    def _known(self) -> str:
        return ", ".join(
            f"{bank_format.name} ({', '.join(bank_format.extensions)})"
            for bank_format in self._by_name.values()
        )


REGISTRY = FormatRegistry(
    [
        YamlFormat(),
        XlsxFormat(),
        CsvFormat(),
        DocxFormat(),
        TextFormat(),
        GiftFormat(),
        AikenFormat(),
        MoodleXmlFormat(),
    ]
)


def format_named(name: str) -> BankFormat:
    """The registered format called ``name``; an unknown name is a usage error listing them."""
    return REGISTRY.named(name)


def format_for(filename: str, name: str | None = None) -> BankFormat:
    """The format named, else the one claiming ``filename``'s extension; else a usage error."""
    return REGISTRY.named(name) if name is not None else REGISTRY.for_filename(filename)


def known_extensions(name: str | None = None) -> tuple[str, ...]:
    """The extensions folder scans look for: the named format's, else every format's."""
    return REGISTRY.named(name).extensions if name is not None else REGISTRY.extensions


def read_bank(
    data: bytes, filename: str, *, format_name: str | None = None, max_bytes: int = MAX_BYTES
) -> FileReport:
    """Read one bank file's bytes in the format chosen as :func:`format_for` does.

    Nothing about the data or its name raises: an unknown format or extension, an oversized
    file and every fault inside it come back as problems, each with its line and column.
    """
    try:
        bank_format = format_for(filename, format_name)
    except UnknownFormat as unknown:
        problem = Problem(filename, 1, 1, "error", unknown.code, unknown.arguments)
        return FileReport(filename, None, [problem])
    if len(data) > max_bytes:
        args: dict[str, ArgValue] = {
            "what": Term("fmt_the_file"),
            "size": _megabytes(len(data)),
            "limit": _megabytes(max_bytes),
        }
        problem = Problem(filename, 1, 1, "error", "file_too_large", args_of(args))
        return FileReport(filename, None, [problem])
    return bank_format.read(data, filename)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"

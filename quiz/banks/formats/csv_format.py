"""CSV banks (docs/bank-format.md, "Excel and CSV"): the 题目 sheet's columns, after an optional
block of bank information, in UTF-8 (with or without a BOM), GBK or GB18030.

Places read ``题库.csv:行 7:列 D``: the row as a spreadsheet numbers it, and the column's letter.
"""

from __future__ import annotations

import csv
import io
import re

from quiz.banks.document import Place
from quiz.banks.formats.base import FileReport
from quiz.banks.formats.tabular import (
    FORMULA_START,
    Reading,
    Table,
    bank_document,
    column_letter,
    names_stem,
)
from quiz.banks.formats.tabular_rows import info_rows, rows_of
from quiz.banks.model import Bank
from quiz.banks.validator import check_bank
from quiz.texts import Term

_DELIMITERS = (",", "\t", ";")
# Excel's "Unicode text" is UTF-16 with a BOM; Chinese Excel's plain CSV is GBK (GB18030 is its
# superset, so one decoder reads both).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_APOSTROPHE = re.compile(r"^'(?='*[=+\-@])")


class CsvFormat:
    """Banks as CSV text with the 题目 sheet's columns; written as UTF-8 with a BOM for Excel."""

    name = "csv"
    extensions = (".csv",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Every problem at its row and column; the encoding is found, never asked for."""
        reading = Reading(filename)
        text = _decode(reading, data)
        if text is None:
            return FileReport(filename, None, reading.problems)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        except csv.Error:
            # The csv module's reason is English and names no cell: say what causes it.
            reading.report(Place((1, 1), filename), "error", "bad_csv")
            return FileReport(filename, None, reading.problems)

        def place(row: int, column: int) -> Place:
            return Place((row, column + 1), f"{filename}:行 {row}:列 {column_letter(column)}")

        numbered = [
            (number, [_APOSTROPHE.sub("", cell.strip()) for cell in cells])
            for number, cells in enumerate(rows, start=1)
        ]
        for _, cells in numbered:
            while cells and not cells[-1]:
                cells.pop()
        header = next(
            (index for index, (_, cells) in enumerate(numbered) if names_stem(cells)),
            len(numbered),
        )
        info = Table("题库信息", numbered[:header], place)
        questions = Table("题目", numbered[header:], place)
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        document = bank_document(reading, info, questions, stem)
        if reading.unreadable:
            return FileReport(filename, None, reading.sorted(), None, reading.unlisted)
        bank, findings = check_bank(document)
        return FileReport(filename, bank, findings.problems(), document, findings.unlisted)

    def write(self, bank: Bank) -> bytes:
        """The bank information block, an empty row, then the question table; UTF-8 with BOM."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for rows in (info_rows(bank), [[]], rows_of(bank)):
            writer.writerows([_guarded(cell) for cell in row] for row in rows)
        return out.getvalue().encode("utf-8-sig")


def _guarded(text: str) -> str:
    """A cell Excel would run as a formula (``=``, ``+``, ``-``, ``@``) gets a leading ``'``."""
    return "'" + text if FORMULA_START.match(text) else text


def _decode(reading: Reading, data: bytes) -> str | None:
    start = Place((1, 1), reading.filename)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if data.startswith(b"PK\x03\x04"):
        reason = Term("fmt_is_workbook")
        reading.report(start, "error", "not_text", reason=reason, extension=".csv")
        return None
    if b"\x00" in data:
        reason = Term("fmt_has_nul")
        reading.report(start, "error", "not_text", reason=reason, extension=".csv")
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    reading.report(start, "error", "unknown_encoding", fix=Term("fmt_fix_csv"))
    return None


def _delimiter(text: str) -> str:
    """The separator the first lines use most: Excel writes ``,``; some locales ``;`` or tab."""
    head = "\n".join(text.splitlines()[:5])
    return max(_DELIMITERS, key=head.count)

"""Plain-text banks (.txt) in the 题库 dialect, in UTF-8 (with or without BOM), GBK or GB18030."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from quiz.banks.formats.base import FileReport
from quiz.banks.formats.dialect import Line, read_report
from quiz.banks.formats.dialect_writer import bank_lines
from quiz.banks.model import Bank
from quiz.texts import Term, args_of
from quiz.yamlsource import Problem

# What Chinese editors save besides UTF-8; limiting the guess to these keeps a short GBK file
# from being taken for Korean (cp949), which charset-normalizer otherwise prefers.
_CHINESE_ENCODINGS = ["gb18030", "big5"]
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str | None:
    """The text of a text file: by its BOM, else UTF-8, else the likeliest Chinese encoding;
    None when no encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
    return None if best is None else str(best)


def read_text(text: str, filename: str) -> FileReport:
    """Read dialect text; places are ``file:line:col``."""
    lines = (Line(number, line) for number, line in enumerate(text.splitlines(), start=1))
    return read_report(lines, filename, lambda line, column: f"{filename}:{line}:{column}")


class TextFormat:
    """Banks as plain text in the 题库 dialect (docs/bank-format.md, "Word and text banks")."""

    name = "txt"
    extensions = (".txt",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Decode the bytes (the encoding detected), then read the dialect."""
        text = decode_text(data)
        if text is None or "\x00" in text:
            # UTF-16 text holds NUL bytes, so the check is on the decoded text: a NUL there is
            # a binary file (a .doc or a workbook renamed), not a bank.
            binary = text is not None or b"\x00" in data
            code, args = (
                ("not_text", args_of({"reason": Term("fmt_binary"), "extension": ".txt"}))
                if binary
                else ("unknown_encoding", args_of({"fix": Term("fmt_fix_txt")}))
            )
            problem = Problem(filename, 1, 1, "error", code, args, f"{filename}:1:1")
            return FileReport(filename, None, [problem])
        return read_text(text, filename)

    def write(self, bank: Bank) -> bytes:
        """The bank as UTF-8 text (with a BOM, so that Windows Notepad shows it right)."""
        text = "\n".join(line.text for line in bank_lines(bank)) + "\n"
        return codecs.BOM_UTF8 + text.encode("utf-8")

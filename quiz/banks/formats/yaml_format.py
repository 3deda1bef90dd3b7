"""YAML banks (format v1, docs/bank-format.md): the form banks are written and reviewed in."""

from __future__ import annotations

from quiz.banks.export import bank_to_yaml
from quiz.banks.formats.base import FileReport
from quiz.banks.model import Bank
from quiz.banks.validator import check_bank
from quiz.yamlsource import YamlSourceError, decode_source, load_yaml


def read_text(text: str, filename: str) -> FileReport:
    """Validate the text of one YAML bank; every problem names ``filename``, line and column."""
    try:
        located = load_yaml(text, filename)
    except YamlSourceError as error:
        return FileReport(filename, None, error.problems)
    bank, findings = check_bank(located)
    return FileReport(filename, bank, findings.problems(), located, findings.unlisted)


class YamlFormat:
    """Banks as UTF-8 YAML documents (a BOM is allowed), written back in canonical form."""

    name = "yaml"
    extensions = (".yaml", ".yml")

    def read(self, data: bytes, filename: str) -> FileReport:
        """Refuse non-UTF-8 data at the first bad byte, then validate the bank in it."""
        try:
            # The size limit is the caller's to apply (read_bank): it may allow more than the
            # default, so decoding must not refuse by size again.
            text = decode_source(data, filename, max_bytes=len(data))
        except YamlSourceError as error:
            return FileReport(filename, None, error.problems)
        return read_text(text, filename)

    def write(self, bank: Bank) -> bytes:
        """The bank as canonical UTF-8 YAML, answers as option texts, in the documented order."""
        return bank_to_yaml(bank).encode("utf-8")

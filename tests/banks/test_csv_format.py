"""CSV banks: every encoding Chinese Excel and WPS save in, the bank information block, the
corpus of bad files, formulas kept inert, and export then import giving the same bank."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from quiz.banks.formats import format_for, read_bank
from quiz.banks.formats.csv_format import CsvFormat
from quiz.banks.model import Bank
from quiz.resources import bundled_banks_dir
from tests.banks.sheets import (
    BAD,
    HEADER,
    INFO,
    ROWS,
    csv_bytes,
    expected,
    without_translations,
    writable,
)
from tests.banks.test_export import banks

BAD_CSV = sorted(BAD.glob("*.csv"))
# 䶮 is in GB18030 but not in GBK: a file with it can only have been saved as GB18030.
GB18030_ONLY = "䶮"


@pytest.mark.parametrize("path", BAD_CSV, ids=lambda path: path.stem)
def test_bad_csv_gets_exactly_its_messages(path: Path) -> None:
    report = read_bank(path.read_bytes(), path.name)
    wanted = expected(path)
    assert [str(problem) for problem in report.problems] == wanted
    english = [problem.line_text("en") for problem in report.problems]
    assert english == expected(path, "en")
    assert (report.bank is None) == any(": 错误: " in line for line in wanted)


def read(data: bytes, name: str = "题库.csv") -> Bank:
    report = CsvFormat().read(data, name)
    assert report.errors == [], [str(problem) for problem in report.problems]
    assert report.bank is not None
    return report.bank


def organiser_rows(stem: str = "中共一大最后一天的会议在哪里举行？") -> list[list[object]]:
    first = [ROWS[0][0], ROWS[0][1], stem, *ROWS[0][3:]]
    return [*INFO[1:], [], HEADER, first, *ROWS[1:]]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)],
)
def test_every_encoding_excel_saves_in_reads_the_same_bank(encoding: str, bom: bool) -> None:
    bank = read(csv_bytes(organiser_rows(), encoding, bom=bom))
    assert bank == read(csv_bytes(organiser_rows(), "utf-8"))
    assert (bank.id, bank.title, bank.version, bank.authors) == (
        "fire-sheet",
        "消防知识（表格）",
        2,
        ("张三", "李四"),
    )
    assert [question.type for question in bank.questions] == [
        "single",
        "multiple",
        "truefalse",
        "fill",
        "order",
    ]


def test_a_gb18030_file_is_not_misread_as_gbk() -> None:
    stem = f"{GB18030_ONLY}字怎么读？"
    bank = read(csv_bytes(organiser_rows(stem), "gb18030"))
    assert bank.questions[0].text == stem


def test_excels_unicode_text_tab_separated_utf16_reads_too() -> None:
    text = "\r\n".join(
        "\t".join("" if cell is None else str(cell) for cell in row) for row in organiser_rows()
    )
    bank = read(text.encode("utf-16"))
    assert len(bank.questions) == 5


def test_without_a_bank_block_the_title_is_the_file_name_and_the_id_is_asked_for() -> None:
    report = CsvFormat().read(csv_bytes([HEADER, *ROWS]), "班组题库.csv")
    assert report.bank is None
    messages = [problem.message for problem in report.errors]
    assert messages == [
        "“bank:”部分缺少“id”：请补上这一项",
        "“bank:”部分缺少“authors”：请补上这一项",
    ]
    assert {problem.where for problem in report.errors} == {"班组题库.csv:行 1:列 A"}


def test_a_cell_excel_would_run_as_a_formula_is_written_inert_and_read_back() -> None:
    report = read_bank((bundled_banks_dir() / "tibet-geography.yaml").read_bytes(), "t.yaml")
    assert report.bank is not None
    bank = without_translations(report.bank)
    risky = dataclasses.replace(bank.questions[0], text="=HYPERLINK(1)", source="'-5 ℃")
    bank = dataclasses.replace(bank, questions=(risky, *bank.questions[1:]))
    data = CsvFormat().write(bank)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK(1)" in data
    assert b"''-5" in data
    assert read(data) == bank


@pytest.mark.parametrize("name", ["fire-rescue", "party-history", "tibet-history"])
def test_a_bundled_bank_exported_and_imported_is_unchanged(name: str) -> None:
    report = read_bank((bundled_banks_dir() / f"{name}.yaml").read_bytes(), f"{name}.yaml")
    assert report.bank is not None
    bank = without_translations(report.bank)
    assert read(CsvFormat().write(bank)) == bank


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks().map(without_translations).filter(writable))
def test_any_bank_a_csv_file_can_carry_comes_back_unchanged(bank: Bank) -> None:
    assert read(CsvFormat().write(bank)) == bank


def test_csv_files_are_read_as_csv_whatever_the_letter_case() -> None:
    assert isinstance(format_for("题库.CSV"), CsvFormat)

"""Excel banks: workbooks as organisers fill them in, the template, the corpus of bad ones, and
export then import giving the same bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from quiz.banks.formats import format_for, read_bank, xlsx_format
from quiz.banks.formats.tabular_rows import TEMPLATE_BANK
from quiz.banks.formats.xlsx_format import XlsxFormat
from quiz.banks.model import Bank
from quiz.cli import main
from quiz.engine.questions import QUESTION_TYPES
from quiz.resources import bundled_banks_dir
from quiz.yamlsource import MAX_PROBLEMS
from tests.banks.sheets import (
    BAD,
    INFO,
    ROWS,
    expected,
    with_saved_values,
    without_translations,
    workbook,
    writable,
)
from tests.banks.test_export import banks

BAD_WORKBOOKS = sorted(BAD.glob("*.xlsx"))


@pytest.mark.parametrize("path", BAD_WORKBOOKS, ids=lambda path: path.stem)
def test_bad_workbook_gets_exactly_its_messages(path: Path) -> None:
    report = read_bank(path.read_bytes(), path.name)
    wanted = expected(path)
    assert [str(problem) for problem in report.problems] == wanted
    english = [problem.line_text("en") for problem in report.problems]
    assert english == expected(path, "en")
    assert (report.bank is None) == any(": 错误: " in line for line in wanted)


def test_the_corpus_has_a_file_for_every_code_a_table_reports() -> None:
    codes = {
        code
        for path in BAD.glob("*.expected")
        for code in re.findall(r"\[(\w+)\]$", path.read_text(encoding="utf-8"), re.M)
    }
    documented = set(
        re.findall(
            r"^\| `(\w+)` \|", (Path("docs/bank-format.md")).read_text(encoding="utf-8"), re.M
        )
    )
    tabular_codes = {
        "merged_cells",
        "hidden_row",
        "hidden_column",
        "missing_sheet",
        "duplicate_header",
        "unknown_shuffle",
        "bad_csv",
        "formula_without_value",
        "image_in_cell",
        "cell_error_value",
        "missing_answer",
        "answer_letter_no_option",
        "unknown_type",
        "missing_type",
        "unknown_header",
        "missing_column",
        "no_header_row",
        "duplicate_stem",
        "option_gap",
        "unknown_difficulty",
        "unknown_status",
        "bad_truefalse_answer",
        "old_excel_file",
        "not_a_workbook",
        "not_text",
        "unknown_encoding",
    }
    assert tabular_codes <= codes
    assert tabular_codes <= documented


def read(data: bytes, name: str = "题库.xlsx") -> Bank:
    report = XlsxFormat().read(data, name)
    assert report.errors == [], [str(problem) for problem in report.problems]
    assert report.bank is not None
    return report.bank


def test_an_organisers_workbook_reads_with_every_value_in_its_own_words() -> None:
    bank = read(workbook())
    assert (bank.id, bank.title, bank.version, bank.authors) == (
        "fire-sheet",
        "消防知识（表格）",
        2,
        ("张三", "李四"),
    )
    single, multiple, truefalse, fill, order = bank.questions
    assert (single.type, single.answer, single.difficulty, single.tags) == (
        "single",
        ("嘉兴南湖",),
        1,
        ("党史", "一大"),
    )
    assert multiple.answer == ("对党忠诚", "纪律严明", "赴汤蹈火", "竭诚为民")
    assert (truefalse.answer, truefalse.options, truefalse.difficulty) == (True, (), 2)
    assert fill.answer == ("1951年", "1951")
    assert order.answer == ("中共一大召开", "新中国成立", "西藏自治区成立", "青藏铁路通车")
    assert order.difficulty == 5
    assert {question.status for question in bank.questions} == {"draft"}


def test_forgiving_headers_numbers_full_width_letters_and_a_title_row() -> None:
    header = ["编 号", "题目类型", "试题", "选项Ａ", "选项 B", "C", "选项D", "正确答案*"]
    header += ["答案解析", "来源", "难易程度", "知识点", "审核状态", "分值", "限时(秒)"]
    rows = [
        [
            "q1",
            "单选",
            "西藏和平解放是哪一年？",
            1949,
            1950,
            1951,
            1959,
            "Ｃ",
            "1951年5月23日签订协议。",
            "白皮书",
            3,
            "和平解放",
            "已审核",
            10,
            30,
        ],
        [None] * 4,  # an empty row between questions is skipped quietly
        [
            "q2",
            "判断",
            "授旗仪式在2018年举行。",
            "正确",
            "错误",
            None,
            None,
            "A",
            "2018年11月9日。",
            "新华社",
            "较难",
            "消防改革、训词",
            None,
            None,
            None,
        ],
        [
            "q3",
            "多选题",
            "哪些是训词？",
            "对党忠诚",
            "纪律严明",
            "赴汤蹈火",
            None,
            "a、c",
            "训词十六字。",
            "新华社",
            "困难",
            "训词",
            "草稿",
            None,
            None,
        ],
    ]

    def title_and_formula(book: Workbook) -> None:
        sheet = book["题目"]
        sheet.merge_cells("A1:O1")  # a merged title line above the header is not the bank's
        sheet["I3"] = '=CONCAT("1951年","5月23日签订协议。")'

    info = [*INFO, ["审核人", "王五"], ["审核日期", "2026/11/29"]]
    above = [["2026 年消防知识题库"]]
    data = workbook(rows, header=header, info=info, above=above, edit=title_and_formula)
    bank = read(with_saved_values(data, {"I3": "1951年5月23日签订协议。"}))
    first, second, third = bank.questions
    assert first.options == ("1949", "1950", "1951", "1959")
    assert (first.answer, first.difficulty, first.status, first.points, first.time_limit) == (
        ("1951",),
        3,
        "reviewed",
        10,
        30,
    )
    assert first.explanation == "1951年5月23日签订协议。"
    assert (second.type, second.answer, second.options, second.tags) == (
        "truefalse",
        True,
        (),
        ("消防改革", "训词"),
    )
    assert third.answer == ("对党忠诚", "赴汤蹈火")
    assert bank.reviewed_by == ("王五",)
    assert str(bank.reviewed_at) == "2026-11-29"


def test_a_workbook_without_a_bank_sheet_is_told_what_the_bank_lacks() -> None:
    def drop_info(book: Workbook) -> None:
        del book["题库信息"]

    report = XlsxFormat().read(workbook(edit=drop_info), "班组题库.xlsx")
    assert report.bank is None
    assert [problem.where for problem in report.errors] == ["班组题库.xlsx"] * 2
    assert all(problem.message.startswith("“bank:”部分缺少") for problem in report.errors)


def test_every_problem_is_listed_up_to_the_cap_and_the_rest_counted() -> None:
    first = ROWS[0]
    rows = [[f"q{n}", "单选题", f"第{n}题？", *first[3:7], None, *first[8:]] for n in range(250)]
    report = XlsxFormat().read(workbook(rows), "空答案.xlsx")
    assert len(report.problems) == MAX_PROBLEMS
    assert report.unlisted == 50
    assert report.problems[0].where == "空答案.xlsx!题目!H2"
    assert {problem.code for problem in report.problems} == {"missing_answer"}


def test_the_template_validates_cleanly_and_offers_drop_downs(tmp_path: Path) -> None:
    target = tmp_path / "题库模板.xlsx"
    assert main(["template", "xlsx", "-o", str(target)]) == 0
    assert read(target.read_bytes(), target.name) == TEMPLATE_BANK
    assert sorted({question.type for question in TEMPLATE_BANK.questions}) == sorted(QUESTION_TYPES)
    book = load_workbook(target)
    assert book.sheetnames == ["说明", "题库信息", "题目"]
    sheet = book["题目"]
    header = [cell.value for cell in sheet[1]]
    lists = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
    }
    type_column = "B"
    difficulty_column = chr(ord("A") + header.index("难度"))
    assert lists[f"{type_column}2"] == '"单选题,多选题,判断题,填空题,排序题"'
    assert lists[f"{difficulty_column}2"] == '"容易,较易,中等,较难,困难"'
    assert main(["validate", str(target)]) == 0


@pytest.mark.parametrize("name", ["fire-rescue", "party-history", "tibet-geography"])
def test_a_bundled_bank_exported_and_imported_is_unchanged(name: str) -> None:
    report = read_bank((bundled_banks_dir() / f"{name}.yaml").read_bytes(), f"{name}.yaml")
    assert report.bank is not None
    bank = without_translations(report.bank)
    assert read(XlsxFormat().write(bank)) == bank


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks().map(without_translations).filter(writable))
def test_any_bank_a_workbook_can_carry_comes_back_unchanged(bank: Bank) -> None:
    assert read(XlsxFormat().write(bank)) == bank


def test_xlsx_files_are_read_as_workbooks_whatever_the_letter_case() -> None:
    assert format_for("题库.XLSX").name == "xlsx"
    assert isinstance(format_for("a.xlsx"), XlsxFormat)


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xlsx_format, "MAX_UNPACKED_BYTES", 10_000)
    [problem] = XlsxFormat().read(workbook(), "炸弹.xlsx").problems
    assert (problem.where, problem.code) == ("炸弹.xlsx", "file_too_large")
    assert problem.message == "工作簿解压后有 0 MB，超过 0 MB 的上限"
    assert problem.text("en") == "Unpacked, the workbook is 0 MB; the limit is 0 MB"


def test_quiz_export_writes_a_stored_bank_as_a_workbook_by_its_extension(tmp_path: Path) -> None:
    database = ["--database", f"sqlite:///{tmp_path / 'db.sqlite3'}"]
    source = bundled_banks_dir() / "tibet-geography.yaml"
    assert main(["import", str(source), *database]) == 0
    target = tmp_path / "导出.xlsx"
    assert main(["export", "tibet-geography", "-o", str(target), *database]) == 0
    report = read_bank(source.read_bytes(), source.name)
    assert report.bank is not None
    assert read(target.read_bytes()) == without_translations(report.bank)

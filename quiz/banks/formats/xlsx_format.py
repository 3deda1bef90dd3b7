"""Excel workbooks (``.xlsx``, docs/bank-format.md "Excel and CSV"), and the template organisers
fill in: a 说明 sheet, a 题库信息 sheet and a 题目 sheet with one row per question.

What a workbook can hide from the eye is reported at its cell (``题库.xlsx!题目!D7``): merged
cells, hidden rows and columns, formulas with no saved value, pictures, error values.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from quiz.banks.document import Place
from quiz.banks.formats.base import FileReport
from quiz.banks.formats.tabular import (
    DIFFICULTY_WORDS,
    INFO_SHEET,
    QUESTION_SHEET,
    STATUS_WORDS,
    TYPE_WORDS,
    Note,
    Reading,
    Table,
    bank_document,
    cell_text,
    column_letter,
    normal_word,
)
from quiz.banks.formats.tabular_rows import info_rows, question_header, rows_of
from quiz.banks.model import Bank
from quiz.banks.validator import check_bank
from quiz.texts import ArgValue, Term, args_of
from quiz.yamlsource import Severity

GUIDE_SHEET = "说明"
# A workbook's parts are compressed; a few megabytes can unpack to gigabytes ("zip bomb").
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_ROWS_PER_SHEET = 1_000_000  # orders problems sheet by sheet; Excel has 1,048,576 rows
_SHEET_NAMES = {
    "info": (INFO_SHEET, "信息", "bank"),
    "questions": (QUESTION_SHEET, "试题", "题库题目", "questions"),
}
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the .xls (and .doc) container


class XlsxFormat:
    """Banks as Excel workbooks in the documented layout, read with openpyxl."""

    name = "xlsx"
    extensions = (".xlsx",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Every problem of the workbook at its cell, then the validator's, each at its cell."""
        reading = Reading(filename)
        book = _open(reading, data)
        if book is None:
            return FileReport(filename, None, reading.problems)
        formulas, values = book
        sheets = {normal_word(name): name for name in formulas.sheetnames}
        chosen = {
            role: next((sheets[normal_word(n)] for n in names if normal_word(n) in sheets), None)
            for role, names in _SHEET_NAMES.items()
        }
        info = chosen["info"]
        questions = chosen["questions"] or next(
            (name for name in formulas.sheetnames if name not in (info, GUIDE_SHEET)), None
        )
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        tables = {
            name: _table(formulas, values, name, filename)
            for name in (info, questions)
            if name is not None
        }
        document = bank_document(
            reading,
            tables.get(info) if info else None,
            tables.get(questions) if questions else None,
            stem,
        )
        if questions is None:
            reading.report(
                Place((1, 1), filename),
                "error",
                "missing_sheet",
                sheet=QUESTION_SHEET,
            )
        if reading.unreadable or questions is None:
            return FileReport(filename, None, reading.sorted(), None, reading.unlisted)
        bank, findings = check_bank(document)
        return FileReport(filename, bank, findings.problems(), document, findings.unlisted)

    def write(self, bank: Bank) -> bytes:
        """The bank as a workbook: guide, bank information and questions, with drop-downs."""
        return workbook_bytes(bank)


def _open(reading: Reading, data: bytes) -> tuple[Any, Callable[[], Any]] | None:
    """The workbook with its formulas, and a loader of the values Excel saved for them."""
    start = Place((1, 1), reading.filename)
    if data.startswith(_OLD_EXCEL):
        reading.report(start, "error", "old_excel_file")
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        reading.report(start, "error", "not_a_workbook", reason=Term("fmt_not_zip_xlsx"))
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        reading.report(
            start,
            "error",
            "file_too_large",
            what=Term("fmt_unpacked_workbook"),
            size=f"{unpacked // 2**20} MB",
            limit=f"{MAX_UNPACKED_BYTES // 2**20} MB",
        )
        return None
    try:
        formulas = load_workbook(io.BytesIO(data), rich_text=False)
    except Exception:  # openpyxl raises many kinds of error for a damaged package
        reading.report(start, "error", "not_a_workbook", reason=Term("fmt_damaged_xlsx"))
        return None

    @functools.cache
    def values() -> Any:
        # A second, slower reading, only for a workbook that has formulas.
        return load_workbook(io.BytesIO(data), data_only=True)

    return formulas, values


def _table(formulas: Any, values: Callable[[], Any], name: str, filename: str) -> Table:
    """One sheet's cell texts, with notes on what the eye cannot see in it."""
    sheet: Worksheet = formulas[name]
    index = formulas.sheetnames.index(name)

    def place(row: int, column: int) -> Place:
        label = f"{filename}!{name}!{column_letter(column)}{row}"
        return Place(((index + 1) * _ROWS_PER_SHEET + row, column + 1), label)

    def note(row: int, column: int, severity: Severity, code: str, /, **args: ArgValue) -> None:
        notes.append(Note(row, place(row, column), severity, code, args_of(args)))
        if severity == "error":
            spoiled.add(row)

    def saved(row: int, column: int) -> Any:
        return values()[name].cell(row, column).value

    notes: list[Note] = []
    spoiled: set[int] = set()
    rows: list[tuple[int, list[str]]] = []
    for cells in sheet.iter_rows():
        texts = [_cell(cell, saved, note) for cell in cells]
        while texts and not texts[-1]:
            texts.pop()
        rows.append((cells[0].row or 0, texts))
    _hidden(sheet, {row for row, texts in rows if texts}, note)
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col).value
        note(
            merged.min_row,
            merged.min_col - 1,
            "error",
            "merged_cells",
            cells=merged.coord,
            content=Term("fmt_merged_content" if top is not None else "fmt_merged_empty"),
            text=cell_text(top),
        )
        spoiled.update(range(merged.min_row, merged.max_row + 1))
    for image in getattr(sheet, "_images", []):
        start = getattr(image.anchor, "_from", None)
        row, column = (start.row + 1, start.col) if start is not None else (1, 0)
        note(row, column, "error", "image_in_cell", kind=Term("fmt_picture"))
    return Table(name, rows, place, notes, frozenset(spoiled))


def _cell(cell: Any, saved: Callable[[int, int], Any], note: Any) -> str:
    """A cell's text: a formula's saved value; pictures, errors and unsaved formulas noted."""
    if cell.data_type == "f":
        formula = str(getattr(cell.value, "text", cell.value))
        if "DISPIMG" in formula.upper():  # how WPS stores a picture placed in a cell
            kind = Term("fmt_picture_in_cell")
            note(cell.row, cell.column - 1, "error", "image_in_cell", kind=kind)
            return ""
        value = saved(cell.row, cell.column)
        if value is None:
            note(cell.row, cell.column - 1, "error", "formula_without_value", formula=formula)
            return ""
        return cell_text(value)
    if cell.data_type == "e":
        note(cell.row, cell.column - 1, "error", "cell_error_value", value=str(cell.value))
        return ""
    return cell_text(cell.value)


def _hidden(sheet: Worksheet, filled: set[int], note: Any) -> None:
    """Hidden rows and columns are read like any other, with one warning per run of them;
    empty hidden rows (Excel can hide every unused row) are not worth one."""
    runs: list[list[int]] = []
    hidden = (n for n, size in sheet.row_dimensions.items() if size.hidden and n in filled)
    for number in sorted(hidden):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        rows = str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"
        note(run[0], 0, "warning", "hidden_row", rows=rows)
    for size in sheet.column_dimensions.values():
        if size.hidden and size.min:
            last = max(size.max or size.min, size.min)
            names = column_letter(size.min - 1)
            if last > size.min:
                names += f"–{column_letter(last - 1)}"
            note(1, size.min - 1, "warning", "hidden_column", columns=names)


GUIDE = [
    "如何填写这个题库模板",
    "1. 在“题库信息”工作表填写题库编号（小写字母、数字和连字符，如 fire-basics）、标题、作者等。",
    "2. 在“题目”工作表每行填写一道题；第一行是列名，不要改动。示例行演示了每种题型，可删除。",
    "3. 题型从下拉列表选择：单选题、多选题、判断题、填空题、排序题。",
    "4. 选项依次填在 选项A、选项B……，从 A 起连续填写；判断题不填选项。",
    "5. 答案：选择题写字母（B 或 ABD）；判断题写 正确/错误（对/错、√/× 也可）；"
    "填空题写所有可接受的答案，用“；”或“|”分隔；排序题按正确顺序写字母（BCAD）。",
    "6. 难度从下拉列表选择（容易、较易、中等、较难、困难），空着算中等；状态空着算草稿。",
    "7. 标签可写多个，用“；”“，”或“、”分隔。题号空着时按题干自动生成。",
    "8. 不要合并单元格、不要插入图片；隐藏的行也会被读取。",
    "9. 填好后在题库管理页面上传，或运行 quiz validate 题库.xlsx 检查。",
]


def workbook_bytes(bank: Bank) -> bytes:
    """A workbook of the bank in the documented layout, as a person would fill in the template."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    info = book.create_sheet(INFO_SHEET)
    _fill(info, info_rows(bank), widths=[14, 60])
    questions = book.create_sheet(QUESTION_SHEET)
    header = question_header()
    _fill(questions, rows_of(bank), widths=[_width(title) for title in header])
    questions.freeze_panes = "D2"
    _drop_down(questions, header.index("题型"), [words[0] for words in TYPE_WORDS.values()])
    _drop_down(questions, header.index("难度"), [words[0] for words in DIFFICULTY_WORDS.values()])
    _drop_down(questions, header.index("状态"), [words[0] for words in STATUS_WORDS.values()])
    _drop_down(questions, header.index("打乱选项"), ["是", "否"])
    book.active = 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(title: str) -> int:
    return {"题干": 50, "解析": 40, "出处": 24, "标签": 16}.get(title, 12)


def _fill(sheet: Worksheet, rows: Any, widths: list[int]) -> None:
    header_fill = PatternFill("solid", fgColor="FFE8E0D0")
    for row_number, row in enumerate(rows, start=1):
        for column, text in enumerate(row, start=1):
            if not text:
                continue
            cell = sheet.cell(row_number, column, text)
            # Text stays text: a stem starting with = must not become a formula.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row_number == 1:
                cell.font = Font(bold=True)
                cell.fill = header_fill
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column - 1)].width = width


def _drop_down(sheet: Worksheet, column: int, words: list[str]) -> None:
    letter = column_letter(column)
    choice = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
    choice.error = "请从下拉列表中选择"
    choice.add(f"{letter}2:{letter}5000")
    sheet.add_data_validation(choice)

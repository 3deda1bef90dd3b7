"""Workbooks and CSV files shaped as organisers write them, built with openpyxl; and the corpus
of bad ones in tabular_bad/ (rebuild it with ``python -m tests.banks.sheets``).

Each bad file has a ``.expected`` beside it: the problems ``quiz validate`` prints for it in
Chinese; ``.en.expected`` has the same lines in English (``--lang en``).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image

from quiz.banks.model import Bank
from quiz.texts import Language

BAD = Path(__file__).with_name("tabular_bad")
HEADER = [
    "题号",
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "解析",
    "出处",
    "难度",
    "标签",
    "状态",
]
INFO: list[list[Any]] = [
    ["项目", "内容"],
    ["题库编号", "fire-sheet"],
    ["标题", "消防知识（表格）"],
    ["语言", "zh-CN"],
    ["版本", 2],
    ["作者", "张三、李四"],
]
ROWS: list[list[Any]] = [
    [
        "q1",
        "单选题",
        "中共一大最后一天的会议在哪里举行？",
        "上海",
        "嘉兴南湖",
        "北京",
        "广州",
        "B",
        "因巡捕搜查转移到嘉兴南湖。",
        "《中国共产党简史》",
        "容易",
        "党史；一大",
        "草稿",
    ],
    [
        "q2",
        "多选题",
        "以下哪些内容出自授旗训词？",
        "对党忠诚",
        "纪律严明",
        "赴汤蹈火",
        "竭诚为民",
        "ABCD",
        "训词共十六个字。",
        "新华社 2018-11-09 电",
        "中等",
        "训词",
        "草稿",
    ],
    [
        "q3",
        "判断题",
        "西藏百万农奴解放纪念日是每年的3月28日。",
        None,
        None,
        None,
        None,
        "对",
        "2009年设立。",
        "西藏自治区人大决定",
        "较易",
        "纪念日",
        "草稿",
    ],
    [
        "q4",
        "填空题",
        "和平解放西藏办法的协议于____年签订。",
        None,
        None,
        None,
        None,
        "1951年｜1951",
        "1951年5月23日签订。",
        "白皮书（2021）",
        "中等",
        "和平解放",
        "草稿",
    ],
    [
        "q5",
        "排序题",
        "按时间先后排列下列事件。",
        "西藏自治区成立",
        "中共一大召开",
        "新中国成立",
        "青藏铁路通车",
        "BCAD",
        "1921、1949、1965、2006。",
        "《简史》",
        "困难",
        "时间线",
        "草稿",
    ],
]


# Separators split lists and answers in a cell, and U+FFFE/U+FFFF cannot be stored in XML.
_UNWRITABLE = re.compile(r"[；;|｜，,、\ufffe\uffff]")


def expected(path: Path, language: Language = "zh") -> list[str]:
    """The problems a bad file of the corpus is reported with, one a line, as printed in
    ``language``: ``.expected`` holds the Chinese lines, ``.en.expected`` the English ones."""
    suffix = ".expected" if language == "zh" else ".en.expected"
    return path.with_name(path.name + suffix).read_text(encoding="utf-8").splitlines()


def without_translations(bank: Bank) -> Bank:
    """The bank as a workbook carries it: a table has no column for translations."""
    questions = tuple(dataclasses.replace(question, translations={}) for question in bank.questions)
    return dataclasses.replace(bank, translations={}, questions=questions)


def writable(bank: Bank) -> bool:
    """Whether a table can carry every text of the bank (no separator or XML-less character)."""
    texts = [bank.title, bank.description, *bank.authors, *bank.reviewed_by, *bank.tags]
    for question in bank.questions:
        answers = [] if isinstance(question.answer, bool) else list(question.answer)
        texts += [question.text, question.explanation, question.source, *question.tags]
        texts += [*question.options, *answers]
    return not any(_UNWRITABLE.search(text) for text in texts)


def workbook(
    rows: list[list[Any]] | None = None,
    *,
    header: list[str] | None = None,
    info: list[list[Any]] | None = None,
    above: list[list[Any]] | None = None,
    edit: Callable[[Workbook], None] | None = None,
) -> bytes:
    """A workbook with a 说明, a 题库信息 and a 题目 sheet; ``above`` are rows before the header."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "说明"
    guide.append(["按模板填写"])
    sheet = book.create_sheet("题库信息")
    for row in INFO if info is None else info:
        sheet.append(row)
    questions = book.create_sheet("题目")
    for row in [*(above or []), header or HEADER, *(ROWS if rows is None else rows)]:
        questions.append(row)
    if edit is not None:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_saved_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook as Excel saves it: each formula cell named (``D3``) with its computed text."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = part.decode("utf-8")
                for ref, value in values.items():
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v></v></c>',
                        rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v></c>',
                        text,
                    )
                part = text.encode("utf-8")
            target.writestr(item, part)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", *, bom: bool = False) -> bytes:
    """Rows as a CSV file in ``encoding``, as Excel's 另存为 writes one."""
    import csv  # noqa: PLC0415

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        ["" if cell is None else cell for cell in row] for row in rows
    )
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def _picture() -> Image:
    from PIL import Image as Picture  # noqa: PLC0415

    buffer = io.BytesIO()
    Picture.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return Image(buffer)


def _sheet(book: Workbook, name: str = "题目") -> Any:
    return book[name]


def _row(index: int, **changes: Any) -> list[Any]:
    """One of ROWS with cells replaced, by header name."""
    row = list(ROWS[index]) + [None] * (len(HEADER) - len(ROWS[index]))
    for name, value in changes.items():
        row[HEADER.index(name)] = value
    return row


def _merge(book: Workbook) -> None:
    _sheet(book).merge_cells("B3:B4")


def _hide(book: Workbook) -> None:
    _sheet(book).row_dimensions[4].hidden = True


def _formula(book: Workbook) -> None:
    _sheet(book)["C3"] = '="以下哪些内容"&"出自授旗训词？"'


def _wps_picture(book: Workbook) -> None:
    _sheet(book)["C2"] = '=DISPIMG("ID_8F2C4B",1)'


def _floating_picture(book: Workbook) -> None:
    _sheet(book).add_image(_picture(), "D4")


def _hide_run(book: Workbook) -> None:
    for row in (4, 5, 6):  # the empty row 4 is not worth a warning; 5-6 are
        _sheet(book).row_dimensions[row].hidden = True


def _hide_column(book: Workbook) -> None:
    _sheet(book).column_dimensions["I"].hidden = True


def _only_guide(book: Workbook) -> None:
    del book["题目"]
    del book["题库信息"]


def _error_value(book: Workbook) -> None:
    _sheet(book)["D2"] = "#N/A"


# name -> the file's bytes; every file is a bank that would be fine but for its one fault.
CORPUS: dict[str, Callable[[], bytes]] = {
    "merged-cells.xlsx": lambda: workbook(edit=_merge),
    "hidden-row.xlsx": lambda: workbook(edit=_hide),
    "formula-without-value.xlsx": lambda: workbook(edit=_formula),
    "hidden-column.xlsx": lambda: workbook(edit=_hide_column),
    "no-question-sheet.xlsx": lambda: workbook(edit=_only_guide),
    "picture-in-cell-wps.xlsx": lambda: workbook(edit=_wps_picture),
    "floating-picture.xlsx": lambda: workbook(edit=_floating_picture),
    "error-value.xlsx": lambda: workbook(edit=_error_value),
    "missing-answer.xlsx": lambda: workbook([_row(0, 答案=None), *ROWS[1:]]),
    "answer-letter-no-option.xlsx": lambda: workbook([_row(0, 答案="E"), _row(1, 答案="A、F")]),
    "unknown-type.xlsx": lambda: workbook([_row(0, 题型="问答题"), _row(1, 题型=None), *ROWS[2:]]),
    "unknown-header.xlsx": lambda: workbook(header=[*HEADER, "备注"]),
    "missing-column.xlsx": lambda: workbook(header=["题号", "题型", "题干", "选项A", "选项B"]),
    "no-header-row.xlsx": lambda: workbook(header=["编号", "类别", "内容"]),
    "duplicate-stem.xlsx": lambda: workbook([*ROWS, _row(0, 题号="q6")]),
    "option-gap.xlsx": lambda: workbook([_row(0, 选项B=None)]),
    "unknown-difficulty.xlsx": lambda: workbook([_row(0, 难度="很难", 状态="通过")]),
    "truefalse-answer.xlsx": lambda: workbook([_row(2, 答案="不对")]),
    "many-faults.xlsx": lambda: workbook(
        [_row(0, 答案="Z"), _row(1, 答案=None), [], _row(2, 题型="简答"), _row(3, 解析=None)],
        edit=_hide_run,
    ),
    "old-excel.xlsx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "not-a-workbook.xlsx": lambda: bytes("题号,题型,题干\n", "utf-8"),
    "gbk-missing-answer.csv": lambda: csv_bytes(
        [*INFO[1:], [], HEADER, _row(0, 答案=None), *ROWS[1:]], "gbk"
    ),
    "answer-letter-no-option.csv": lambda: csv_bytes([*INFO[1:], [], HEADER, _row(0, 答案="Ｅ")]),
    "workbook-named-csv.csv": workbook,
    "unknown-encoding.csv": lambda: b"id,text\r\nCaf\xe9,cr\xe8me\r\n",
    "duplicate-header.xlsx": lambda: workbook(header=[*HEADER, "正确答案"]),
    "unknown-shuffle.xlsx": lambda: workbook(
        [[*ROWS[0], None, None, "随便"]], header=[*HEADER, "分值", "限时（秒）", "打乱选项"]
    ),
    "cell-too-long.csv": lambda: csv_bytes(
        [*INFO[1:], [], HEADER, ["q1", "单选题", "x" * 140_000]]
    ),
    "unknown-header.csv": lambda: csv_bytes([*INFO[1:], ["题库名"], [], [*HEADER, "备注"], *ROWS]),
}


def build_corpus() -> None:
    """Write every bad file of the corpus (the ``.expected`` files are written by hand)."""
    for name, make in CORPUS.items():
        (BAD / name).write_bytes(make())


if __name__ == "__main__":
    build_corpus()

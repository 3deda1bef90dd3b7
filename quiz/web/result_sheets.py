"""Results as sheets: the tables with Chinese headers that the CSV files, the XLSX 成绩单 and the
print page share, and the XLSX workbook itself. What the tables hold is decided in
quiz/app/results.py; this module only lays it out."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from quiz.app.results import Results

STANDINGS_HEADERS = (
    "名次",
    "队伍",
    "队伍代码",
    "基础分",
    "答题得分",
    "总分",
    "加赛分",
    "犯规次数",
    "名次依据代码",
    "名次依据",
)
LEDGER_HEADERS = (
    "序号",
    "时间",
    "轮次",
    "轮次名称",
    "题号",
    "题目版本",
    "队伍",
    "队伍代码",
    "原因代码",
    "原因",
    "计入",
    "分值",
    "备注",
)
MEMBER_HEADERS = ("队伍", "队员", "队员代码", "抢答次数", "答对题数")
QUESTION_HEADERS = ("序号", "轮次", "轮次名称", "题号", "题目版本", "题型", "题目", "答案")
SIGNATURES = ("主持人", "裁判长", "记分员")
# Text that a spreadsheet reads as the start of a formula (OWASP, "CSV injection"): a team named
# "=cmd|' /C calc'!A0" would run a command when the CSV is opened in Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet runs: text that starts like a formula gets a leading "'"
    (OWASP's advice, shown by Excel as plain text); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def standings_table(results: Results) -> list[list[Any]]:
    """The standings CSV and sheet: Chinese headers, then one row per team in announced order."""
    return [
        list(STANDINGS_HEADERS),
        *(
            [
                s["rank"],
                s["name"],
                s["team"],
                s["base"],
                s["earned"],
                s["score"],
                s["tiebreak"],
                s["fouls"],
                s["rank_code"],
                s["rank_text"],
            ]
            for s in results.standings
        ),
    ]


def ledger_table(results: Results) -> list[list[Any]]:
    """The ledger CSV: Chinese headers, then every score change with its bucket."""
    return [
        list(LEDGER_HEADERS),
        *(
            [
                r["seq"],
                r["at"],
                "" if r["round"] is None else r["round"],
                r["round_name"],
                r["question_id"],
                r["question_version"],
                r["name"],
                r["team"],
                r["reason"],
                r["reason_text"],
                r["bucket_text"],
                r["points"],
                r["note"],
            ]
            for r in results.ledger
        ),
    ]


def rounds_table(results: Results) -> list[list[Any]]:
    """各轮得分: one row per team (announced order); the 总分 columns add up to 总分."""
    header = ["队伍", *(column.header for column in results.rounds), "总分", "加赛分"]
    return [
        header,
        *(
            [
                s["name"],
                *(column.points.get(s["team"], 0) for column in results.rounds),
                s["score"],
                s["tiebreak"],
            ]
            for s in results.standings
        ),
    ]


def members_table(results: Results) -> list[list[Any]]:
    """队员: each member's accepted buzzes and correct answers."""
    return [
        list(MEMBER_HEADERS),
        *(
            [m["team_name"], m["name"], m["player"], m["buzzes"], m["correct"]]
            for m in results.members
        ),
    ]


def questions_table(results: Results) -> list[list[Any]]:
    """题目: the questions asked with their key and bank version."""
    return [
        list(QUESTION_HEADERS),
        *(
            [
                q["number"],
                "" if q["round"] is None else q["round"],
                q["round_name"],
                q["question_id"],
                q["question_version"],
                q["type"],
                q["text"],
                q["key"],
            ]
            for q in results.questions
        ),
    ]


def workbook(results: Results) -> bytes:
    """The official 成绩单 as XLSX: 总成绩 (with title, date, venue and signature lines),
    各轮得分, 队员, 题目; every text a string cell, never a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "总成绩"
    contest = results.contest
    sheet.append([f"{contest.title} 成绩单"])
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.append(["赛制", results.label])
    sheet.append(["比赛代码", contest.code])
    sheet.append(["日期", results.date])
    line = Border(bottom=Side(style="thin"))
    for label, value in (
        ("地点", results.venue),
        ("主办单位", contest.organiser),
        ("主持人", contest.host_name),
    ):
        sheet.append([label, value])
        if not value:
            # Not given: an underlined blank to fill in by hand on the printed sheet.
            sheet[f"B{sheet.max_row}"].border = line
    sheet.append(["排名方式", results.ranked_by_text])
    sheet.append([])
    _table(sheet, standings_table(results))
    sheet.append([])
    for role in SIGNATURES:
        sheet.append([f"{role}（签字）", "", "", "日期", ""])
        # Blank cells underlined: the lines the signer writes on.
        for column in ("B", "C", "E"):
            sheet[f"{column}{sheet.max_row}"].border = line
    for name, rows in (
        ("各轮得分", rounds_table(results)),
        ("队员", members_table(results)),
        ("题目", questions_table(results)),
    ):
        extra = book.create_sheet(name)
        extra.append([f"{contest.title} · {name}"])
        extra["A1"].font = Font(bold=True, size=14)
        extra.append([])
        _table(extra, rows)
    for each in book.worksheets:
        for cells in each.iter_rows():
            for cell in cells:
                # openpyxl stores any text starting with "=" as a formula; no cell here is one.
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Worksheet, rows: list[list[Any]]) -> None:
    """Append a table with a bold header row and columns wide enough for Chinese text."""
    header_row = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for column, title in enumerate(rows[0], start=1):
        width = max(len(str(title)), *(len(str(row[column - 1])) for row in rows)) * 2 + 2
        letter = get_column_letter(column)
        current = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = min(max(width, current, 8), 60)

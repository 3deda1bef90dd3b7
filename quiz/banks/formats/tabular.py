"""Banks as tables (docs/bank-format.md, "Excel and CSV"): rows of cells to bank data and back.

The workbook and CSV formats only turn their files into :class:`Table`s of cell texts and back;
this module reads the Chinese headers, types, answers and bank information the same way for
both, records each value's cell, and reports what only a table can get wrong (an unknown
header, an answer letter with no option) as coded problems for :class:`MappedDocument`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quiz.banks.document import MappedDocument, Place
from quiz.banks.formats.dialect_words import split_list
from quiz.engine.matching import normalize_answer
from quiz.engine.qtypes import MAX_OPTIONS
from quiz.texts import Args, ArgValue, Term, args_of
from quiz.yamlsource import MAX_PROBLEMS, Path, Problem, Severity

LETTERS = "ABCDEFGH"[:MAX_OPTIONS]
INFO_SHEET = "题库信息"
QUESTION_SHEET = "题目"

# Each field's written header first, then the synonyms organisers' own sheets use.
QUESTION_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("题号", "编号", "试题编号", "题目编号", "序号", "id"),
    "type": ("题型", "类型", "题目类型", "试题类型", "type"),
    "text": ("题干", "题目", "试题", "问题", "题目内容", "试题内容", "text", "question"),
    **{
        f"option:{letter}": (f"选项{letter}", letter.lower(), f"option{letter.lower()}")
        for letter in LETTERS
    },
    "answer": ("答案", "正确答案", "参考答案", "标准答案", "answer"),
    "explanation": ("解析", "答案解析", "试题解析", "explanation"),
    "source": ("出处", "来源", "依据", "source"),
    "difficulty": ("难度", "难易度", "难易程度", "difficulty"),
    "tags": ("标签", "知识点", "分类", "tags"),
    "status": ("状态", "审核状态", "status"),
    "points": ("分值", "分数", "points"),
    "time_limit": ("限时（秒）", "限时", "时限", "答题时间", "time_limit"),
    "shuffle": ("打乱选项", "选项乱序", "shuffle"),
}
INFO_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("题库编号", "编号", "id"),
    "title": ("标题", "题库名称", "名称", "title"),
    "description": ("说明", "简介", "description"),
    "language": ("语言", "language"),
    "version": ("版本", "version"),
    "authors": ("作者", "编写人", "authors"),
    "reviewed_by": ("审核人", "reviewed_by"),
    "reviewed_at": ("审核日期", "reviewed_at"),
    "tags": ("标签", "tags"),
}
# A key/value table may start with a row naming its two columns.
INFO_COLUMN_NAMES = ("项目", "字段", "内容", "key")
TYPE_WORDS = {
    "single": ("单选题", "单选", "单项选择题"),
    "multiple": ("多选题", "多选", "多项选择题"),
    "truefalse": ("判断题", "判断", "是非题"),
    "fill": ("填空题", "填空"),
    "order": ("排序题", "排序"),
}
DIFFICULTY_WORDS = {
    1: ("容易", "简单", "易"),
    2: ("较易",),
    3: ("中等", "一般", "中"),
    4: ("较难",),
    5: ("困难", "难"),
}
STATUS_WORDS = {"draft": ("草稿", "待审核", "未审核"), "reviewed": ("已审核", "已审")}
TRUE_WORDS = ("正确", "对", "是", "√", "✓", "✔", "true", "t", "yes", "y")
FALSE_WORDS = ("错误", "错", "否", "×", "✗", "✘", "x", "false", "f", "no", "n")
SHUFFLE_WORDS = {
    True: ("是", "打乱", "true", "yes"),
    False: ("否", "固定", "不打乱", "false", "no"),
}
# Fill answers may hold commas (1,000); lists of names and tags (split_list) split at them too.
ANSWER_SEPARATORS = re.compile(r"[；;|｜]")
_LETTER_NOISE = re.compile(r"[\s,，、;；|｜/]")
_BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")
# Formats whose cells a spreadsheet evaluates write these with a leading ' (as Excel does).
FORMULA_START = re.compile(r"^'*[=+\-@]")


def normal_word(text: str) -> str:
    """A header or keyword as compared: half-width, lower-case, no spaces, marks or ``*``."""
    return re.sub(r"[\s*:：_\-]", "", unicodedata.normalize("NFKC", text)).lower()


def _lookup(table: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {normal_word(word): key for key, words in table.items() for word in words}


_QUESTION_KEYS = _lookup(QUESTION_HEADERS)
_INFO_KEYS = _lookup(INFO_HEADERS)
_TYPES = {**_lookup(TYPE_WORDS), **{name: name for name in TYPE_WORDS}}
_DIFFICULTIES = {**_lookup(DIFFICULTY_WORDS), **{str(level): level for level in range(1, 6)}}
_STATUSES = {**_lookup(STATUS_WORDS), "draft": "draft", "reviewed": "reviewed"}
_TRUTH = _lookup({True: TRUE_WORDS, False: FALSE_WORDS})
_SHUFFLE = _lookup(SHUFFLE_WORDS)


def header_key(text: str, keys: dict[str, str]) -> str | None:
    """The field a header names, forgiving width, spaces and a bracketed unit (``限时（秒）``)."""
    word = normal_word(text)
    return keys.get(word) or keys.get(normal_word(_BRACKETED.sub("", text)))


def names_stem(cells: list[str]) -> bool:
    """Whether a row is a question table's header row: it names the 题干 and two more columns
    (a bank information row such as 标题 | 题目 names one at most)."""
    keys = {header_key(cell, _QUESTION_KEYS) for cell in cells if cell} - {None}
    return "text" in keys and len(keys) >= 3


@dataclass(frozen=True, slots=True)
class Note:
    """A problem a container found in a row, reported unless the row is above the header."""

    row: int
    place: Place
    severity: Severity
    code: str
    args: Args = ()


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet's cell texts (stripped; ``""`` when empty), rows numbered from 1.

    ``place(row, column)`` names a cell (columns from 0).
    """

    name: str
    rows: list[tuple[int, list[str]]]
    place: Callable[[int, int], Place]
    # Problems the file's container found (a merged cell, a hidden row), by row: those above a
    # question table's header row (a merged title line) are not the bank's and are dropped.
    notes: list[Note] = field(default_factory=list)
    # Rows whose cells cannot be trusted (merged, a formula with no value): not read further,
    # so their one fault is not reported again as an empty cell.
    spoiled: frozenset[int] = frozenset()


@functools.cache
@functools.cache
def column_letter(column: int) -> str:
    """A column's spreadsheet name from its index (0 is ``A``, 26 is ``AA``)."""
    name = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def cell_text(value: Any) -> str:
    """A cell's value as text: numbers typed in text cells (a year 1951) read as their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Reading:
    """The problems of one file as they are found, kept to :data:`MAX_PROBLEMS`."""

    filename: str
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0
    # Set when the questions cannot be read at all (no header row): the validator is not run,
    # since every question-level message would only repeat that.
    unreadable: bool = False

    def sorted(self) -> list[Problem]:
        """The problems in the order of the file (as the validator's are)."""
        return sorted(self.problems, key=lambda problem: (problem.line, problem.column))

    def report(self, place: Place, severity: Severity, code: str, /, **args: ArgValue) -> None:
        """Keep a coded problem at ``place``, or count an error once the list is full."""
        if len(self.problems) < MAX_PROBLEMS:
            line, column = place.position
            self.problems.append(
                Problem(self.filename, line, column, severity, code, args_of(args), place.label)
            )
        elif severity == "error":
            # Findings counts these as errors, so warnings past the cap are only dropped.
            self.unlisted += 1

    def note(self, note: Note) -> None:
        """Keep a problem a container noted."""
        self.report(note.place, note.severity, note.code, **dict(note.args))


def bank_document(
    reading: Reading, info: Table | None, questions: Table | None, stem: str
) -> MappedDocument:
    """The bank data of an information table and a question table, each value's cell recorded."""
    places: dict[Path, Place] = {}
    header = _read_info(reading, info, places, stem)
    data: dict[str, Any] = {"bank": header}
    if questions is not None:
        data["questions"] = _QuestionReader(reading, questions, places).read()
    return MappedDocument(data, reading.filename, places, reading.problems, reading.unlisted)


def _read_info(
    reading: Reading, table: Table | None, places: dict[Path, Place], stem: str
) -> dict[str, Any]:
    # A missing title is the file's name; language and version have documented defaults.
    header: dict[str, Any] = {"title": stem, "language": "zh-CN", "version": 1}
    if table is None:
        return header
    for note in table.notes:
        reading.note(note)
    if table.rows:
        places["bank",] = table.place(table.rows[0][0], 0)
    for row, cells in table.rows:
        if row in table.spoiled:
            continue
        key_text = cells[0] if cells else ""
        column, value = next(
            ((column, text) for column, text in enumerate(cells) if column and text), (1, "")
        )
        if not key_text or normal_word(key_text) in INFO_COLUMN_NAMES:
            continue
        key = header_key(key_text, _INFO_KEYS)
        if key is None:
            reading.report(
                table.place(row, 0),
                "warning",
                "unknown_header",
                what=Term("fmt_info_item"),
                text=key_text,
                unit=Term("fmt_row"),
            )
            continue
        if not value:
            continue
        places["bank", key] = table.place(row, column)
        if key in ("authors", "reviewed_by", "tags"):
            header[key] = split_list(value)
        elif key == "version":
            header[key] = int(value) if value.isdigit() else value
        elif key == "reviewed_at":
            header[key] = _date(value)
        else:
            header[key] = value
    return header


def _date(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        return text  # the validator names what a date should look like


def split_answers(text: str) -> list[str]:
    """A cell's fill answers or option texts, separated by ；;|."""
    return [part.strip() for part in ANSWER_SEPARATORS.split(text) if part.strip()]


def answer_letters(text: str) -> str | None:
    """``B``, ``ABD``, ``A、B``, full-width ``ＡＢ`` or ``ab`` as upper-case letters; else None.

    One letter is any of A-Z (``Z`` is a letter with no option); several must all be A-H, so
    that an answer such as ``BEIJING`` is not taken for letters.
    """
    letters = _LETTER_NOISE.sub("", unicodedata.normalize("NFKC", text)).upper()
    if len(letters) == 1 and "A" <= letters <= "Z":
        return letters
    return letters if letters and all(letter in LETTERS for letter in letters) else None


class _QuestionReader:
    """Reads the question table: finds the header row, then one question per non-empty row."""

    def __init__(self, reading: Reading, table: Table, places: dict[Path, Place]) -> None:
        self.reading = reading
        self.table = table
        self.places = places
        self.columns: dict[str, int] = {}
        self.stems: dict[str, int] = {}
        self.ids: set[str] = set()

    def report(
        self, row: int, column: int, severity: Severity, code: str, /, **args: ArgValue
    ) -> None:
        self.reading.report(self.table.place(row, column), severity, code, **args)

    def read(self) -> list[dict[str, Any]]:
        header_at = self._header()
        first = self.table.rows[header_at][0] if header_at is not None else 0
        for note in self.table.notes:
            if note.row >= first:
                self.reading.note(note)
        if header_at is None:
            return []
        questions: list[dict[str, Any]] = []
        for row, cells in self.table.rows[header_at + 1 :]:
            if any(cells) and row not in self.table.spoiled:  # empty rows are skipped quietly
                question = self._question(row, cells, len(questions))
                if question is not None:
                    questions.append(question)
        return questions

    def _header(self) -> int | None:
        """Index of the header row (the first naming 题干): rows above it are a title, unread."""
        for index, (row, cells) in enumerate(self.table.rows):
            if not names_stem(cells):
                continue
            keys = [header_key(text, _QUESTION_KEYS) if text else None for text in cells]
            self.places["questions",] = self.table.place(row, 0)
            for column, (text, key) in enumerate(zip(cells, keys, strict=True)):
                if key is None and text:
                    self.report(
                        row,
                        column,
                        "warning",
                        "unknown_header",
                        what=Term("fmt_column_header"),
                        text=text,
                        unit=Term("fmt_column"),
                    )
                elif key is not None and key in self.columns:
                    self.report(
                        row,
                        column,
                        "error",
                        "duplicate_header",
                        text=text,
                        column=column_letter(self.columns[key]),
                    )
                elif key is not None:
                    self.columns[key] = column
            for key, name in (("type", "题型"), ("answer", "答案")):
                if key not in self.columns:
                    self.report(row, 0, "error", "missing_column", name=name)
            if {"type", "answer"} <= self.columns.keys():
                return index
            self.reading.unreadable = True
            return None
        self.reading.unreadable = True
        where = self.table.place(self.table.rows[0][0], 0) if self.table.rows else None
        self.reading.report(
            where or self.table.place(1, 0),
            "error",
            "no_header_row",
            sheet=self.table.name,
        )
        return None

    def _cell(self, cells: list[str], key: str) -> str:
        column = self.columns.get(key)
        return cells[column] if column is not None and column < len(cells) else ""

    def _question(self, row: int, cells: list[str], index: int) -> dict[str, Any] | None:
        path: Path = ("questions", index)
        self.places[path] = self.table.place(row, 0)
        for key, column in self.columns.items():
            if not key.startswith("option:"):
                self.places[(*path, key)] = self.table.place(row, column)
        type_text = self._cell(cells, "type")
        question_type = _TYPES.get(normal_word(type_text))
        if question_type is None:
            column = self.columns["type"]
            if type_text:
                words = "、".join(words[0] for words in TYPE_WORDS.values())
                self.report(row, column, "error", "unknown_type", text=type_text, words=words)
            else:
                self.report(row, column, "error", "missing_type", row=row)
            return None  # the type decides how the rest of the row reads
        question: dict[str, Any] = {"id": self._id(cells), "type": question_type}
        for key in ("text", "explanation", "source"):
            if text := self._cell(cells, key):
                question[key] = text
        options = self._options(row, cells, path)
        self._check_stem(row, question.get("text", ""), options)
        if question_type == "truefalse" and {_TRUTH.get(normal_word(t)) for t in options} == {
            True,
            False,
        }:
            # 正确/错误 written out as options A and B, as many templates do: the answer may be
            # their letter, and the question keeps no options.
            question["answer"] = self._answer(row, cells, question_type, options)
            options = []
        else:
            question["answer"] = self._answer(row, cells, question_type, options)
        if options:
            question["options"] = options
        question["difficulty"] = self._word(row, cells, "difficulty", _DIFFICULTIES, 3)
        question["status"] = self._word(row, cells, "status", _STATUSES, "draft")
        if tags := split_list(self._cell(cells, "tags")):
            question["tags"] = tags
        for key in ("points", "time_limit"):
            if text := self._cell(cells, key):
                question[key] = int(text) if text.isdigit() else text
        if text := self._cell(cells, "shuffle"):
            question["shuffle"] = self._word(row, cells, "shuffle", _SHUFFLE, True)
        return question

    def _id(self, cells: list[str]) -> str:
        """The 题号 as written; when empty, one made from the stem, stable across row moves."""
        written = self._cell(cells, "id")
        if written:
            return written
        digest = hashlib.sha1(self._cell(cells, "text").encode("utf-8")).hexdigest()
        made, suffix = f"q-{digest[:10]}", 1
        while made in self.ids:
            suffix += 1
            made = f"q-{digest[:10]}-{suffix}"
        self.ids.add(made)
        return made

    def _check_stem(self, row: int, text: str, options: list[str]) -> None:
        """The same stem with the same options (in any order) twice is a copy left in; the same
        stem alone is not (排序题 often share 按时间先后排列下列事件)."""
        if not normalize_answer(text):
            return
        normal = "\n".join([normalize_answer(text), *sorted(map(normalize_answer, options))])
        if normal in self.stems:
            self.report(
                row,
                self.columns["text"],
                "warning",
                "duplicate_stem",
                text=_short(text),
                row=self.stems[normal],
            )
        else:
            self.stems[normal] = row

    def _options(self, row: int, cells: list[str], path: Path) -> list[str]:
        filled = [
            (letter, column, cells[column])
            for letter in LETTERS
            if (column := self.columns.get(f"option:{letter}")) is not None
            and column < len(cells)
            and cells[column]
        ]
        if not filled:
            return []
        last = LETTERS.index(filled[-1][0])
        if len(filled) <= last:
            present = {letter for letter, _, _ in filled}
            missing = next(letter for letter in LETTERS[:last] if letter not in present)
            first = self.columns.get(f"option:{missing}", filled[0][1])
            self.report(
                row,
                first,
                "error",
                "option_gap",
                missing=missing,
                last=filled[-1][0],
            )
        options = [text for _, _, text in filled]
        self.places[(*path, "options")] = self.table.place(row, filled[0][1])
        for index, (_, column, _) in enumerate(filled):
            self.places[(*path, "options", index)] = self.table.place(row, column)
        return options

    def _answer(self, row: int, cells: list[str], question_type: str, options: list[str]) -> Any:
        text = self._cell(cells, "answer")
        column = self.columns["answer"]
        if not text:
            self.report(
                row,
                column,
                "error",
                "missing_answer",
                number=row,
                unit=Term("fmt_unit_row"),
                text=_short(self._cell(cells, "text")),
            )
            return _stand_in(question_type, options)
        if question_type == "truefalse":
            letter = answer_letters(text) or ""
            if len(letter) == 1 and 0 <= LETTERS.find(letter) < len(options):
                text = options[LETTERS.index(letter)]
            truth = _TRUTH.get(normal_word(text))
            if truth is None:
                self.report(row, column, "error", "bad_truefalse_answer", text=text)
                return True
            return truth
        if question_type == "fill":
            return split_answers(text)
        pieces = split_answers(text)
        if pieces and all(piece in options for piece in pieces):
            return pieces[0] if question_type == "single" and len(pieces) == 1 else pieces
        letters = answer_letters(text)
        if letters is None or not options:
            return text if question_type == "single" else pieces
        beyond = [letter for letter in letters if LETTERS.find(letter) not in range(len(options))]
        if beyond:
            self.report(
                row,
                column,
                "error",
                "answer_letter_no_option",
                text=text,
                letters="、".join(dict.fromkeys(beyond)),
                last=LETTERS[len(options) - 1],
            )
            return _stand_in(question_type, options)
        chosen = [options[LETTERS.index(letter)] for letter in letters]
        return chosen[0] if question_type == "single" and len(chosen) == 1 else chosen

    def _word(
        self, row: int, cells: list[str], key: str, words: dict[str, Any], default: Any
    ) -> Any:
        """A difficulty, status or shuffle word as its value; blank is the documented default."""
        text = self._cell(cells, key)
        if not text:
            return default
        found = words.get(normal_word(text))
        if found is None:
            hint: dict[str, ArgValue] = {"text": text, "words": _WORD_HINTS[key]}
            if key == "shuffle":
                hint["field"] = Term("fmt_shuffle_column")
            self.report(row, self.columns[key], "error", f"unknown_{key}", **hint)
            return default
        return found


# The words each field is written with (the file's own words, so the same in both languages).
_WORD_HINTS = {
    "difficulty": "容易、较易、中等、较难、困难",
    "status": "草稿、已审核",
    "shuffle": "是、否",
}


def _stand_in(question_type: str, options: list[str]) -> Any:
    """A valid answer for a row whose own answer was already reported, so it is not reported
    twice; the file has an error, so the stand-in is never imported."""
    if question_type == "truefalse":
        return True
    if question_type == "multiple":
        return options[:2]
    if question_type == "order":
        return list(options)
    return options[0] if options else "?"


def _short(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[:most] + "…"

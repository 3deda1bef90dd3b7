"""The words and patterns of the 题库 dialect (docs/bank-format.md, "Word and text banks"),
and how single values written in it are read. Patterns run on a width-folded line (:func:`fold`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from quiz.banks.validator import NO_SOURCE
from quiz.engine.qtypes import MAX_OPTIONS

LETTERS = "ABCDEFGH"[:MAX_OPTIONS]
DEFAULT_LANGUAGE = "zh-CN"
DEFAULT_TAG = "未分类"
DEFAULT_EXPLANATION = "（无解析）"
DEFAULT_SOURCE = NO_SOURCE
DEFAULT_DIFFICULTY = 3
TYPE_WORDS = {
    "single": "单选题",
    "multiple": "多选题",
    "truefalse": "判断题",
    "fill": "填空题",
    "order": "排序题",
}
# Heading words as found in the field; "choice" is a 选择题 section: single or multiple by answer.
HEADING_TYPES = {
    "单选题": "single",
    "单项选择题": "single",
    "单选": "single",
    "多选题": "multiple",
    "多项选择题": "multiple",
    "多选": "multiple",
    "判断题": "truefalse",
    "是非题": "truefalse",
    "判断": "truefalse",
    "填空题": "fill",
    "填空": "fill",
    "排序题": "order",
    "排序": "order",
    "选择题": "choice",
    "不定项选择题": "choice",
}
HEADER_KEYS = {
    "题库编号": "id",
    "编号": "id",
    "标题": "title",
    "题库名称": "title",
    "名称": "title",
    "说明": "description",
    "简介": "description",
    "语言": "language",
    "版本": "version",
    "作者": "authors",
    "审核人": "reviewed_by",
    "审核日期": "reviewed_at",
    "标签": "tags",
    "状态": "status",
}
QUESTION_KEYS = {
    "答案": "answer",
    "正确答案": "answer",
    "参考答案": "answer",
    "解析": "explanation",
    "答案解析": "explanation",
    "解释": "explanation",
    "难度": "difficulty",
    "出处": "source",
    "来源": "source",
    "依据": "source",
    "标签": "tags",
    "知识点": "tags",
    "状态": "status",
    "分值": "points",
    "分数": "points",
    "限时": "time_limit",
    "时限": "time_limit",
    "选项顺序": "shuffle",
    "打乱选项": "shuffle",
}
TRUE_WORDS = frozenset({"正确", "对", "√", "✓", "✔", "T", "TRUE"})
FALSE_WORDS = frozenset({"错误", "错", "×", "✗", "✘", "F", "FALSE"})
# Only under a 判断题 heading: as an inferred answer, 是 or 否 is more likely a fill answer.
LOOSE_TRUTH = {"是": True, "否": False}
# The words the Excel and CSV layout accepts too, so an organiser learns one vocabulary.
STATUS_WORDS = {
    **dict.fromkeys(("草稿", "待审核", "未审核", "draft"), "draft"),
    **dict.fromkeys(("已审核", "已审", "reviewed"), "reviewed"),
}
DIFFICULTY_WORDS = {
    **dict.fromkeys(("容易", "简单", "易"), 1),
    "较易": 2,
    **dict.fromkeys(("中等", "一般", "中"), 3),
    "较难": 4,
    **dict.fromkeys(("困难", "难"), 5),
}
SHUFFLE_WORDS = {
    **dict.fromkeys(("固定", "不打乱", "否"), False),
    **dict.fromkeys(("打乱", "是"), True),
}
LIST_SEPARATORS = re.compile(r"[、,;，；|｜]")
FILL_SEPARATORS = re.compile(r"[;|；｜]")
NUMERALS = "零一二三四五六七八九"

# Patterns run on the folded line: （ ） ． ： ； become ( ) . : ; but 、 and 【 】 stay.
HEADING = re.compile(
    r"\s*(?:(?P<numeral>[一二三四五六七八九十]+)\s*[、.]|第(?P<part>[一二三四五六七八九十]+)(?:部分|节|章|大题)\s*)?"
    r"\s*(?:【\s*|\(\s*)?(?P<word>" + "|".join(sorted(HEADING_TYPES, key=len, reverse=True)) + r")"
    r"\s*(?:】|\))?\s*(?:\([^)]*\))?\s*:?\s*"
)
STEM = re.compile(r"\s*(?:\(\s*(?P<paren>\d+)\s*\)|(?P<number>\d+)\s*[.、](?!\d))\s*")
OPTION = re.compile(r"\s*(?:\(\s*(?P<paren>[A-Z])\s*\)|(?P<letter>[A-Z])\s*[.、])\s*")
FIELD = re.compile(
    r"\s*(?:【\s*(?P<bracketed>[^】\s]{1,8})\s*】|(?P<key>[\u4e00-\u9fff]{1,6})\s*:)\s*"
)
ID_MARKER = re.compile(r"【\s*题号\s*:?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9._-]{0,63})\s*】")
# Another option on the same line starts after a space or a Chinese character: "A．冷却 B．窒息",
# "A．冷却B．窒息" (so an option's own text cannot hold a capital letter and a full stop).
NEXT_OPTION = re.compile(r"(?<=[\s\u0080-\uffff])(?:\(\s*[A-Z]\s*\)|[A-Z]\s*[.、])")
BLANK = re.compile(r"_{2,}|\(\s*\)")
ARROW = re.compile(r"\s*(?:→|->|>)\s*")
_LETTER_GAPS = re.compile(r"[\s、,/]+")


def fold(text: str) -> str:
    """Full-width ASCII and the ideographic space as their half-width forms, one for one."""
    return text.translate(_FOLD)


_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def header_value(key: str, text: str) -> Any:
    """A header line's value in the shape the validator expects (bad values left as text)."""
    if key in ("authors", "reviewed_by", "tags"):
        return split_list(text)
    if key == "version":
        return whole_number(text)
    if key == "reviewed_at":
        try:
            return dt.date.fromisoformat(fold(text).strip())
        except ValueError:
            return text
    return text


def split_list(text: str) -> list[str]:
    """The items of a list field (tags, authors), split at any separator, blanks dropped."""
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


def whole_number(text: str) -> Any:
    """Digits (full-width too) as a number; anything else left as text for the validator."""
    folded = fold(text).strip()
    return int(folded) if folded.isascii() and folded.isdigit() else text


def difficulty_of(text: str) -> int | None:
    """Digits (the validator checks the range), a word or stars; None for anything else."""
    folded = fold(text).strip()
    if folded and set(folded) <= {"★", "☆"}:
        return folded.count("★")
    if folded.isascii() and folded.isdigit():
        return int(folded)
    return DIFFICULTY_WORDS.get(folded)


def truth_of(raw: str, *, loose: bool) -> bool | None:
    """A 判断题 answer word as true or false (是/否 only when ``loose``), else None."""
    word = raw.upper()
    if loose and word in LOOSE_TRUTH:
        return LOOSE_TRUTH[word]
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def letters_of(raw: str) -> list[str] | None:
    """Option letters of an answer (``B``, ``ABD``, ``A、B``, ``B→C→A``), or None."""
    upper = raw.upper()
    pieces = ARROW.split(upper) if ARROW.search(upper) else [_LETTER_GAPS.sub("", upper)]
    joined = "".join(pieces)
    if not joined or any(len(piece) != 1 for piece in pieces if len(pieces) > 1):
        return None
    if not all(letter in LETTERS for letter in joined):
        return None
    return list(joined)


def generated_id(bank_id: str, section: int | None, number: int, used: set[str]) -> str:
    """The id of a question with no 【题号】 marker: bank, section numeral and number, with a
    suffix only when a repeated number would give an id already used."""
    base = f"{bank_id}-{number:03d}" if section is None else f"{bank_id}-{section}-{number:03d}"
    candidate, copy = base, 1
    while candidate in used:
        copy += 1
        candidate = f"{base}-{copy}"
    return candidate


def numeral_value(numeral: str) -> int:
    """一 .. 九十九 as a number (section headings go no further)."""
    if "十" not in numeral:
        return NUMERALS.index(numeral[-1])
    tens, _, units = numeral.partition("十")
    return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(units) if units else 0)


def indent(text: str) -> int:
    """How many spaces a text starts with."""
    return len(text) - len(text.lstrip())


def quote(text: str, most: int = 40) -> str:
    """A text as messages quote it: spaces collapsed, cut at ``most`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def known_words(words: dict[str, Any]) -> str:
    """The first word for each meaning, as a hint: 容易、较易、中等、较难、困难."""
    seen: dict[Any, str] = {}
    for word, meaning in words.items():
        seen.setdefault(meaning, word)
    return "、".join(seen.values())

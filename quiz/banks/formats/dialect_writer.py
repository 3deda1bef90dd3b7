"""Writing a bank in the 题库 dialect that :mod:`quiz.banks.formats.dialect` reads back.

One line per entry: the front block, a heading each time the type changes (numbered 一、二、…,
stems numbered from 1 in each section), options one per line, then 答案 and the field lines.
A question's id is written as a 【题号】 marker only when reading would not generate it anyway.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from quiz.banks.formats.dialect_words import LETTERS, TYPE_WORDS, generated_id
from quiz.banks.model import Bank
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question

_NUMERALS = "零一二三四五六七八九"
_STATUS = {"draft": "草稿", "reviewed": "已审核"}


@dataclass(frozen=True, slots=True)
class OutLine:
    """One written line; a heading is set apart by the formats that can (a Word heading)."""

    text: str
    heading: bool = False


def bank_lines(bank: Bank) -> list[OutLine]:
    """The bank as dialect lines; translations are not carried (docs/bank-format.md)."""
    statuses = Counter(question.status for question in bank.questions)
    default_status = "reviewed" if statuses["reviewed"] > statuses["draft"] else "draft"
    lines = [OutLine(text) for text in _front(bank, default_status)]
    section, number = 0, 0
    used: set[str] = set()
    previous_type = None
    for question in bank.questions:
        if question.type != previous_type:
            section, number, previous_type = section + 1, 0, question.type
            lines.append(OutLine(""))
            lines.append(OutLine(f"{_numeral(section)}{TYPE_WORDS[question.type]}", heading=True))
        number += 1
        marker = ""
        if question.id != generated_id(bank.id, section, number, used):
            marker = f"【题号 {question.id}】"
        used.add(question.id)
        lines.append(OutLine(""))
        lines.extend(OutLine(text) for text in _question(question, number, marker, default_status))
    return lines


def _front(bank: Bank, default_status: str) -> list[str]:
    lines = [f"题库编号：{bank.id}", f"标题：{bank.title}"]
    if bank.description:
        lines.append(f"说明：{bank.description}")
    lines += [f"语言：{bank.language}", f"版本：{bank.version}", f"作者：{'、'.join(bank.authors)}"]
    if bank.reviewed_by:
        lines.append(f"审核人：{'、'.join(bank.reviewed_by)}")
    if bank.reviewed_at is not None:
        lines.append(f"审核日期：{bank.reviewed_at.isoformat()}")
    if bank.tags:
        lines.append(f"标签：{'、'.join(bank.tags)}")
    if default_status != "draft":
        lines.append(f"状态：{_STATUS[default_status]}")
    return lines


def _question(question: Question, number: int, marker: str, default_status: str) -> list[str]:
    first, *rest = question.text.split("\n")
    lines = [f"{number}. {first}{marker}", *rest]
    lines += [f"{LETTERS[index]}. {option}" for index, option in enumerate(question.options)]
    lines.append(f"答案：{_answer(question)}")
    explanation, *more = question.explanation.split("\n")
    lines += [f"解析：{explanation}", *more]
    lines += [
        f"难度：{question.difficulty}",
        f"出处：{question.source}",
        f"标签：{'、'.join(question.tags)}",
    ]
    if question.status != default_status:
        lines.append(f"状态：{_STATUS[question.status]}")
    if question.points is not None:
        lines.append(f"分值：{question.points}")
    if question.time_limit is not None:
        lines.append(f"限时：{question.time_limit}")
    if not question.shuffle:
        lines.append("选项顺序：固定")
    return lines


def _answer(question: Question) -> str:
    if question.type == "truefalse":
        return "正确" if question.answer is True else "错误"
    if question.type == "fill":
        return "；".join(kind_of(question).answer_to_data(question))
    return "".join(LETTERS[index] for index in question.answer_indices())


def _numeral(section: int) -> str:
    """一、 .. 九十九、 as the reader numbers sections; past that the heading's order does."""
    if section > 99:
        return ""
    tens, units = divmod(section, 10)
    words = (_NUMERALS[tens] if tens > 1 else "") + ("十" if tens else "")
    return words + (_NUMERALS[units] if units else "") + "、"

"""A bank as table rows, the inverse of :mod:`quiz.banks.formats.tabular`'s reading: the words
and letters an organiser would type, so that writing then reading gives the same bank. Also the
example bank ``quiz template`` writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from quiz.banks.formats.tabular import (
    DIFFICULTY_WORDS,
    FALSE_WORDS,
    INFO_HEADERS,
    LETTERS,
    QUESTION_HEADERS,
    SHUFFLE_WORDS,
    STATUS_WORDS,
    TRUE_WORDS,
    TYPE_WORDS,
    answer_letters,
)
from quiz.banks.model import Bank
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question, QuestionType


def question_header() -> list[str]:
    """The question table's header row, in the order the template writes it."""
    return [words[0] for words in QUESTION_HEADERS.values()]


def info_rows(bank: Bank) -> list[list[str]]:
    """The bank information table: one row per field, with a row naming the two columns."""
    values = {
        "id": bank.id,
        "title": bank.title,
        "description": bank.description,
        "language": bank.language,
        "version": str(bank.version),
        "authors": "；".join(bank.authors),
        "reviewed_by": "；".join(bank.reviewed_by),
        "reviewed_at": bank.reviewed_at.isoformat() if bank.reviewed_at else "",
        "tags": "；".join(bank.tags),
    }
    return [["项目", "内容"]] + [[INFO_HEADERS[key][0], value] for key, value in values.items()]


def question_row(question: Question) -> list[str]:
    """One question as the cells of its row, under :func:`question_header`."""
    options = list(question.options) + [""] * (len(LETTERS) - len(question.options))
    shuffle = "" if question.shuffle else SHUFFLE_WORDS[False][0]
    return [
        question.id,
        TYPE_WORDS[question.type][0],
        question.text,
        *options,
        _answer_text(question),
        question.explanation,
        question.source,
        DIFFICULTY_WORDS[question.difficulty][0],
        "；".join(question.tags),
        STATUS_WORDS[question.status][0],
        "" if question.points is None else str(question.points),
        "" if question.time_limit is None else str(question.time_limit),
        shuffle,
    ]


def _answer_text(question: Question) -> str:
    """Letters (``B``, ``ABD``) unless an option reads as letters, then the option texts."""
    if question.type == "truefalse":
        return TRUE_WORDS[0] if question.answer is True else FALSE_WORDS[0]
    answer = kind_of(question).answer_to_data(question)
    texts = [answer] if isinstance(answer, str) else list(answer)
    if question.type == "fill" or any(answer_letters(option) for option in question.options):
        return "；".join(texts)
    return "".join(LETTERS[question.options.index(text)] for text in texts)


def rows_of(bank: Bank) -> Iterable[list[str]]:
    """The question table of a bank: its header row, then one row per question."""
    yield question_header()
    for question in bank.questions:
        yield question_row(question)


def _example(
    question_id: str,
    question_type: QuestionType,
    text: str,
    answer: bool | tuple[str, ...],
    options: tuple[str, ...] = (),
) -> Question:
    return Question(
        id=question_id,
        type=question_type,
        text=text,
        answer=answer,
        explanation="（解析：一两句话讲清这个知识点。）",
        source="（出处：可以查证的文件或书籍）",
        difficulty=2,
        tags=("示例",),
        status="draft",
        options=options,
    )


# What `quiz template FORMAT` writes: one example question of each type, which validates cleanly.
TEMPLATE_BANK = Bank(
    id="my-bank",
    title="我的题库",
    description="把示例行换成自己的题目。",
    language="zh-CN",
    version=1,
    authors=("张三",),
    questions=(
        _example(
            "q1",
            "single",
            "国家综合性消防救援队伍授旗仪式在哪一年举行？",
            options=("2016年", "2017年", "2018年", "2019年"),
            answer=("2018年",),
        ),
        _example(
            "q2",
            "multiple",
            "以下哪些内容出自授旗训词？",
            options=("对党忠诚", "纪律严明", "赴汤蹈火", "竭诚为民"),
            answer=("对党忠诚", "纪律严明", "赴汤蹈火", "竭诚为民"),
        ),
        _example("q3", "truefalse", "西藏百万农奴解放纪念日是每年的3月28日。", answer=True),
        _example(
            "q4",
            "fill",
            "西藏和平解放的协议于____年5月23日在北京签订。",
            answer=("1951年", "1951"),
        ),
        _example(
            "q5",
            "order",
            "按时间先后排列下列事件。",
            options=("西藏自治区成立", "中共一大召开", "中华人民共和国成立", "青藏铁路全线通车"),
            answer=("中共一大召开", "中华人民共和国成立", "西藏自治区成立", "青藏铁路全线通车"),
        ),
    ),
)

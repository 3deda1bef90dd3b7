"""Plain-text banks in the 题库 dialect: the dialects found in the field, encodings, ids, places,
the corpus of bad files, and export then import giving the same bank."""

from __future__ import annotations

import dataclasses
import re
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks.formats import format_for, read_bank
from quiz.banks.formats.dialect_words import DEFAULT_EXPLANATION, DEFAULT_SOURCE, DEFAULT_TAG
from quiz.banks.formats.text_format import TextFormat
from quiz.banks.loader import load_bank_file
from quiz.banks.model import Bank
from quiz.cli import main
from quiz.engine.matching import normalize_answer
from quiz.engine.questions import Question
from quiz.resources import bundled_banks_dir
from quiz.texts.formats import MESSAGES

BAD = Path(__file__).with_name("dialect_bad")
BAD_FILES = sorted(BAD.glob("*.txt"))
DOCS = Path(__file__).parents[2] / "docs" / "bank-format.md"

FIELD_FILE = """\
消防安全知识竞赛题库
题库编号：fire-field
作者：张三、李四
审核人：王五
状态：草稿

一、单项选择题（每题2分，共4分）
1、扑救电气火灾，首先应（　）。
A．切断电源　B．用水扑救　C．打开门窗　D．离开现场
答案：A
解析：先断电，防止触电。
难度：较易
出处：《消防法》
标签：电气火灾，灭火
（2）火警电话是（　）。
(A)110
(B)119
（C）120
【答案】Ｂ
二、多选题
1．下列属于灭火基本方法的有
A、冷却 B、窒息 C、隔离 D、化学抑制
【答案】A、B、C、D
第三部分 判断题
1. 灭火器应定期检查。
答案：√
2. 油锅起火可以用水浇灭。
答案：错
四、填空题
1. 西藏和平解放于____年。
答案：1951年｜1951
五、排序题
1. 按时间先后排列。
A. 西藏自治区成立
B. 中共一大召开
C. 中华人民共和国成立
答案：B→C→A
"""


def read_text(text: str, filename: str = "field.txt", encoding: str = "utf-8") -> Bank:
    report = TextFormat().read(text.encode(encoding), filename)
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank is not None
    return report.bank


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda path: path.stem)
def test_bad_file_gets_exactly_its_messages_at_its_places(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    report = read_bank(path.read_bytes(), path.name)
    assert [str(problem) for problem in report.problems] == expected
    english = path.with_suffix(".en.expected").read_text(encoding="utf-8").splitlines()
    assert [problem.line_text("en") for problem in report.problems] == english
    assert (report.bank is None) == any(" 错误: " in line for line in expected)


def test_the_corpus_covers_every_dialect_code_the_docs_list() -> None:
    # Only the dialect's own codes: the validator's (bad_bank_id…) are documented with it.
    produced = {
        code
        for path in BAD_FILES
        for code in re.findall(r"\[(\w+)\]$", path.with_suffix(".expected").read_text(), re.M)
    } & MESSAGES.keys()
    section = DOCS.read_text(encoding="utf-8").split("### What the dialect reports")[1]
    documented = set(re.findall(r"^\| `(\w+)` \|", section.split("\n## ")[0], re.M))
    assert documented == produced | {"not_docx", "file_too_large"}  # tested with Word files
    assert len(BAD_FILES) >= 20


def test_the_dialects_found_in_the_field_read_as_one_bank() -> None:
    bank = read_text(FIELD_FILE.replace("\n", "\r\n"), encoding="gbk")
    assert (bank.id, bank.title, bank.authors, bank.reviewed_by) == (
        "fire-field",
        "消防安全知识竞赛题库",
        ("张三", "李四"),
        ("王五",),
    )
    by_id = {question.id: question for question in bank.questions}
    assert list(by_id) == [
        "fire-field-1-001",
        "fire-field-1-002",
        "fire-field-2-001",
        "fire-field-3-001",
        "fire-field-3-002",
        "fire-field-4-001",
        "fire-field-5-001",
    ]
    first = by_id["fire-field-1-001"]
    assert first.type == "single"
    assert first.options == ("切断电源", "用水扑救", "打开门窗", "离开现场")
    assert first.answer == ("切断电源",)
    assert (first.explanation, first.difficulty, first.source) == (
        "先断电，防止触电。",
        2,
        "《消防法》",
    )
    assert first.tags == ("电气火灾", "灭火")
    assert by_id["fire-field-1-002"].answer == ("119",)
    assert by_id["fire-field-2-001"].answer == ("冷却", "窒息", "隔离", "化学抑制")
    assert [by_id[f"fire-field-3-00{n}"].answer for n in (1, 2)] == [True, False]
    assert by_id["fire-field-4-001"].answer == ("1951年", "1951")
    assert by_id["fire-field-5-001"].answer == (
        "中共一大召开",
        "中华人民共和国成立",
        "西藏自治区成立",
    )
    unsaid = by_id["fire-field-3-001"]
    assert (unsaid.explanation, unsaid.source, unsaid.tags, unsaid.difficulty) == (
        DEFAULT_EXPLANATION,
        DEFAULT_SOURCE,
        (DEFAULT_TAG,),
        3,
    )
    # 状态 in the front block is every question's status unless a question says otherwise.
    assert {question.status for question in bank.questions} == {"draft"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_every_encoding_chinese_editors_save_reads_the_same(encoding: str) -> None:
    assert read_text(FIELD_FILE, encoding=encoding) == read_text(FIELD_FILE)


def test_without_headings_the_type_comes_from_the_answer() -> None:
    bank = read_text(
        "题库编号：guess\n作者：甲\n"
        "1. 选一个\nA. 甲 B. 乙\n答案：B\n"
        "2. 选几个\nA. 甲 B. 乙 C. 丙\n答案：AC\n"
        "3. 排一排\nA. 甲 B. 乙 C. 丙\n答案：C→A→B\n"
        "4. 对不对\n答案：对\n"
        "5. 填一填____\n答案：甲；乙\n"
        "6. 选一个\nA. 甲 B. 乙\n答案：乙\n"
    )
    assert [(q.type, q.answer) for q in bank.questions] == [
        ("single", ("乙",)),
        ("multiple", ("甲", "丙")),
        ("order", ("丙", "甲", "乙")),
        ("truefalse", True),
        ("fill", ("甲", "乙")),
        ("single", ("乙",)),
    ]
    assert [q.id for q in bank.questions] == [f"guess-00{n}" for n in range(1, 7)]


def test_a_truefalse_section_written_as_choices_drops_its_options() -> None:
    bank = read_text(
        "题库编号：tf\n作者：甲\n一、判断题\n1. 灭火器要定期检查。\nA．正确 B．错误\n答案：A\n"
        "2. 油锅起火可以用水浇灭。\nA. 对\nB. 错\n答案：B\n3. 电梯可用于火场逃生。\n答案：否\n"
    )
    assert [(q.type, q.options, q.answer) for q in bank.questions] == [
        ("truefalse", (), True),
        ("truefalse", (), False),
        ("truefalse", (), False),
    ]


def test_ids_come_from_a_marker_or_stay_stable_while_numbering_does() -> None:
    text = (
        "题库编号：ids\n作者：甲\n一、判断题\n1. 第一句。【题号 ph-001】\n答案：对\n"
        "2. 第二句。\n答案：错\n二、判断题\n1. 第三句。\n答案：对\n"
    )
    bank = read_text(text)
    assert [(q.id, q.text) for q in bank.questions] == [
        ("ph-001", "第一句。"),
        ("ids-1-002", "第二句。"),
        ("ids-2-001", "第三句。"),
    ]
    edited = read_text(text.replace("第二句。", "第二句，改过了。").replace("对", "错"))
    assert [q.id for q in edited.questions] == [q.id for q in bank.questions]


def test_a_title_line_and_the_file_name_give_the_header_defaults() -> None:
    bank = read_text("作者：甲\n1. 对不对\n答案：对\n", filename="fire-basics.txt")
    assert (bank.id, bank.title, bank.language, bank.version) == (
        "fire-basics",
        "fire-basics",
        "zh-CN",
        1,
    )
    report = TextFormat().read("1. 对不对\n答案：对\n".encode(), "题库.txt")
    assert [problem.code for problem in report.errors] == ["header_missing", "header_missing"]
    assert "文件名“题库”也不能作编号" in report.errors[0].message


def test_a_question_can_carry_points_time_status_and_fixed_order() -> None:
    [question] = read_text(
        "题库编号：more\n作者：甲\n一、单选题\n1. 选一个\nA. 甲\nB. 以上都是\n答案：B\n"
        "分值：20\n限时：30秒\n状态：已审核\n选项顺序：固定\n难度：★★★★\n出处：《消防法》\n"
        "解析：第一段\n第二段\n"
    ).questions
    assert (question.points, question.time_limit, question.status, question.shuffle) == (
        20,
        30,
        "reviewed",
        False,
    )
    assert (question.difficulty, question.explanation) == (4, "第一段\n第二段")


def test_the_writer_uses_the_dialect_it_reads() -> None:
    bank = read_text(FIELD_FILE)
    written = TextFormat().write(bank).decode("utf-8-sig")
    assert written.startswith("题库编号：fire-field\n标题：消防安全知识竞赛题库\n")
    assert "\n一、单选题\n\n1. 扑救电气火灾，首先应（　）。\nA. 切断电源\nB. 用水扑救\n" in written
    assert "\n五、排序题\n\n1. 按时间先后排列。\nA. 西藏自治区成立\n" in written
    assert "答案：BCA\n" in written
    assert "【题号" not in written  # every id is the one reading generates
    assert read_text(written) == bank


def without_translations(bank: Bank) -> Bank:
    questions = tuple(dataclasses.replace(q, translations={}) for q in bank.questions)
    return dataclasses.replace(bank, translations={}, questions=questions)


@pytest.mark.parametrize("path", sorted(bundled_banks_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_banks_come_back_equal_but_for_translations(path: Path) -> None:
    bank = load_bank_file(str(path)).bank
    assert bank is not None
    text_format = format_for("out.txt")
    report = text_format.read(text_format.write(bank), "out.txt")
    assert report.problems == []
    assert report.bank == without_translations(bank)


# Texts the dialect can carry: no separators of lists (、，；|), no colons that would start a
# field, no capital letter that could start an option, no 【 】 of a marker, no line breaks.
SAFE = st.sampled_from(
    list("消防救援火灾灭器材安全知识西藏拉萨高原一二三四五年月日的了是在abcxyz0123456789？。 ")
)
safe_texts = st.text(SAFE, min_size=1, max_size=12).filter(
    lambda text: text == text.strip() and normalize_answer(text) != ""
)


def distinct(low: int) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(safe_texts, min_size=low, max_size=6, unique_by=normalize_answer).map(tuple)


@st.composite
def dialect_questions(draw: st.DrawFn, question_id: str) -> Question:
    question_type = draw(st.sampled_from(["single", "multiple", "truefalse", "fill", "order"]))
    options: tuple[str, ...] = ()
    answer: bool | tuple[str, ...]
    if question_type == "truefalse":
        answer = draw(st.booleans())
    elif question_type == "fill":
        answer = draw(distinct(1))
        if draw(st.booleans()):
            # Offered as choices: the first accepted answer, then options matching none.
            accepted = {normalize_answer(text) for text in answer}
            wrong = [text for text in draw(distinct(1)) if normalize_answer(text) not in accepted]
            options = (answer[0], *wrong) if wrong else ()
    else:
        options = draw(distinct(3 if question_type == "order" else 2))
        if question_type == "single":
            answer = (draw(st.sampled_from(options)),)
        elif question_type == "multiple":
            picked = draw(st.sets(st.sampled_from(options), min_size=2))
            answer = tuple(option for option in options if option in picked)
        else:
            answer = tuple(draw(st.permutations(options)))
    return Question(
        id=question_id,
        type=question_type,
        text=draw(safe_texts),
        answer=answer,
        explanation=draw(safe_texts),
        source=draw(safe_texts),
        difficulty=draw(st.integers(1, 5)),
        tags=tuple(draw(st.lists(safe_texts, min_size=1, max_size=3))),
        status=draw(st.sampled_from(["draft", "reviewed"])),
        options=options,
        points=draw(st.none() | st.integers(0, 1000)),
        time_limit=draw(st.none() | st.integers(1, 600)),
        shuffle=question_type == "truefalse" or draw(st.booleans()),
    )


@st.composite
def dialect_banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(1, 6))
    return Bank(
        id="b-" + uuid.uuid4().hex[:10],
        title=draw(safe_texts),
        description=draw(st.just("") | safe_texts),
        language="zh-CN",
        version=draw(st.integers(1, 99)),
        authors=tuple(draw(st.lists(safe_texts, min_size=1, max_size=2))),
        reviewed_by=tuple(draw(st.lists(safe_texts, max_size=2))),
        tags=tuple(draw(st.lists(safe_texts, max_size=2))),
        questions=tuple(draw(dialect_questions(f"q{index}")) for index in range(count)),
    )


@settings(max_examples=60)
@given(dialect_banks())
def test_any_bank_the_dialect_can_carry_comes_back_equal(bank: Bank) -> None:
    report = TextFormat().read(TextFormat().write(bank), "out.txt")
    assert report.errors == []
    assert report.bank == bank


def test_quiz_validate_reads_a_text_bank(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "题库.TXT"
    path.write_bytes(FIELD_FILE.encode("gb18030"))
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == "1 个文件，7 道题：0 个错误，0 个警告\n"

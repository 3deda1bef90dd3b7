"""GIFT banks: a file as Moodle writes it, escapes, the comment fields, the bad-file corpus, and
a bank exported and read back coming back equal for every type."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks.formats import format_for, read_bank
from quiz.banks.formats.exchange import (
    DEFAULT_AUTHOR,
    DEFAULT_EXPLANATION,
    DEFAULT_SOURCE,
)
from quiz.banks.formats.gift_format import GiftFormat, escape, unescape
from quiz.banks.loader import load_bank_file
from quiz.banks.model import Bank
from quiz.cli import main
from quiz.engine.matching import normalize_answer
from quiz.engine.questions import Question
from quiz.resources import bundled_banks_dir

BAD = Path(__file__).with_name("moodle_bad")

MOODLE_FILE = """\
// question: 1  name: 扑救电气火灾
$CATEGORY: $course$/top/Default for 消防救援/电气火灾

// [tag:电气] [tag:灭火]
::电气火灾 01::[html]<p>扑救电气火灾，首先应<b>？</b></p>{
\t=切断电源#对，先断电。
\t~用水扑救#会触电。
\t~打开门窗
}

::multi::下列属于灭火基本方法的有{~%50%冷却 ~%50%窒息 ~%-100%浇油}

// 以下是判断题
灭火器应定期检查。{T}

::tf2::油锅起火可以用水浇灭。{FALSE#不对#油比水轻，会溅出燃烧。}

::year::西藏和平解放于{=1951年 =1951}年5月23日。

::escapes::比例 1\\:1，等号\\=，波浪\\~，井号\\#，括号\\{\\}，换行\\n第二行{
=对 ~错####解析\\: 全部转义。}
"""


def read(text: str, filename: str = "moodle.gift") -> Bank:
    report = GiftFormat().read(text.encode("utf-8"), filename)
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank is not None
    return report.bank


def test_a_file_as_moodle_writes_it_reads_as_one_bank() -> None:
    bank = read(MOODLE_FILE)
    assert (bank.id, bank.title, bank.language, bank.version, bank.authors) == (
        "moodle",
        "moodle",
        "zh-CN",
        1,
        (DEFAULT_AUTHOR,),
    )
    by_id = {question.id: question for question in bank.questions}
    assert list(by_id) == ["01", "multi", "moodle-003", "tf2", "year", "escapes"]
    first = by_id["01"]
    assert (first.type, first.text, first.options, first.answer) == (
        "single",
        "扑救电气火灾，首先应？",
        ("切断电源", "用水扑救", "打开门窗"),
        ("切断电源",),
    )
    # Moodle's tags, then the category's last level a person named.
    assert first.tags == ("电气", "灭火", "电气火灾")
    assert first.explanation == "对，先断电。"
    assert (first.source, first.difficulty, first.status) == (DEFAULT_SOURCE, 3, "draft")
    assert by_id["multi"].answer == ("冷却", "窒息")
    assert by_id["multi"].type == "multiple"
    assert by_id["moodle-003"].answer is True
    assert by_id["moodle-003"].explanation == DEFAULT_EXPLANATION
    assert (by_id["tf2"].answer, by_id["tf2"].explanation) == (False, "油比水轻，会溅出燃烧。")
    year = by_id["year"]
    assert (year.type, year.text, year.answer) == (
        "fill",
        "西藏和平解放于____年5月23日。",
        ("1951年", "1951"),
    )
    escaped = by_id["escapes"]
    assert escaped.text == "比例 1:1，等号=，波浪~，井号#，括号{}，换行\n第二行"
    assert escaped.explanation == "解析: 全部转义。"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_windows_line_ends_and_chinese_encodings_read_the_same(encoding: str) -> None:
    data = MOODLE_FILE.replace("\n", "\r\n").encode(encoding)
    assert GiftFormat().read(data, "moodle.gift").bank == read(MOODLE_FILE)


def test_escape_and_unescape_are_inverse_for_every_special_character() -> None:
    text = "a\\b:c=d~e#f{g}h\ni\\n"
    assert unescape(escape(text)) == text
    assert escape("1:1") == "1\\:1"


def test_the_header_and_fields_moodle_lacks_ride_in_comment_lines() -> None:
    bank = read(
        "// bank: fire-gift\n// title: 消防 GIFT\n// authors: 张三、李四\n"
        "// reviewed_by: 王五\n// reviewed_at: 2026-11-29\n// version: 3\n\n"
        "// source: 《消防法》\n// difficulty: 4\n// status: reviewed\n// points: 20\n"
        "// time_limit: 30\n// shuffle: false\n// option: 119\n// option: 110\n"
        "::q1::火警电话是____。{=119}\n"
    )
    assert (bank.id, bank.title, bank.authors, bank.reviewed_by, bank.version) == (
        "fire-gift",
        "消防 GIFT",
        ("张三", "李四"),
        ("王五",),
        3,
    )
    [question] = bank.questions
    assert (question.source, question.difficulty, question.status) == ("《消防法》", 4, "reviewed")
    assert (question.points, question.time_limit, question.shuffle) == (20, 30, False)
    assert question.options == ("119", "110")


def test_an_order_question_is_a_matching_of_items_to_places() -> None:
    [question] = read(
        "::o::按时间先后排列。{=西藏自治区成立 -> 3 =中共一大 -> 1 =新中国 -> 2}\n"
    ).questions
    assert question.type == "order"
    assert question.options == ("西藏自治区成立", "中共一大", "新中国")
    assert question.answer == ("中共一大", "新中国", "西藏自治区成立")


def test_an_arrow_in_a_choice_is_only_text() -> None:
    bank = read("::c::哪个顺序对？{=甲->乙 ~乙->甲}\n")
    [question] = bank.questions
    assert (question.type, question.options, question.answer) == (
        "single",
        ("甲->乙", "乙->甲"),
        ("甲->乙",),
    )
    assert read(GiftFormat().write(bank).decode("utf-8")) == bank


@pytest.mark.parametrize("path", sorted(BAD.glob("*.gift")), ids=lambda path: path.stem)
def test_bad_file_gets_exactly_its_messages_at_its_places(path: Path) -> None:
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8").splitlines()
    report = read_bank(path.read_bytes(), path.name)
    assert [str(problem) for problem in report.problems] == expected
    english = path.with_name(path.name + ".en.expected").read_text(encoding="utf-8")
    assert [problem.line_text("en") for problem in report.problems] == english.splitlines()
    assert (report.bank is None) == any(" 错误: " in line for line in expected)


def without_translations(bank: Bank) -> Bank:
    questions = tuple(dataclasses.replace(q, translations={}) for q in bank.questions)
    return dataclasses.replace(bank, translations={}, questions=questions)


@pytest.mark.parametrize("path", sorted(bundled_banks_dir().glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("extension", [".gift", ".xml"])
def test_bundled_banks_come_back_equal_but_for_translations(path: Path, extension: str) -> None:
    bank = load_bank_file(str(path)).bank
    assert bank is not None
    bank_format = format_for("out" + extension)
    report = bank_format.read(bank_format.write(bank), "out" + extension)
    assert report.problems == []
    assert report.bank == without_translations(bank)


# Any character a bank may hold but controls, line separators and the non-characters XML
# forbids; lists in the header are joined by 、 so their items hold no list separator.
ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
)
texts = st.text(ALPHABET, min_size=1, max_size=16).filter(lambda text: text == text.strip())
choosable = texts.filter(lambda text: normalize_answer(text) != "")
answerable = choosable.filter(lambda text: "->" not in text)
names = texts.filter(lambda text: not set(text) & set("、,;，；"))
tag_texts = texts.filter(lambda text: "]" not in text)


def distinct(
    low: int, texts: st.SearchStrategy[str] = answerable
) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts, min_size=low, max_size=6, unique_by=normalize_answer).map(tuple)


@st.composite
def exchange_questions(draw: st.DrawFn, question_id: str) -> Question:
    """A question of any type, every field the Moodle formats carry set at random."""
    question_type = draw(st.sampled_from(["single", "multiple", "truefalse", "fill", "order"]))
    options: tuple[str, ...] = ()
    answer: bool | tuple[str, ...]
    if question_type == "truefalse":
        answer = draw(st.booleans())
    elif question_type == "fill":
        answer = draw(distinct(1))
        if draw(st.booleans()):
            accepted = {normalize_answer(text) for text in answer}
            wrong = [text for text in draw(distinct(1)) if normalize_answer(text) not in accepted]
            options = (answer[0], *wrong) if wrong else ()
    else:
        # An arrow is only text in a choice; in an order item it would read as a place.
        options = draw(
            distinct(3, answerable) if question_type == "order" else distinct(2, choosable)
        )
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
        text=draw(texts),
        answer=answer,
        explanation=draw(texts),
        source=draw(texts),
        difficulty=draw(st.integers(1, 5)),
        tags=tuple(draw(st.lists(tag_texts, min_size=1, max_size=3))),
        status=draw(st.sampled_from(["draft", "reviewed"])),
        options=options,
        points=draw(st.none() | st.integers(0, 1000)),
        time_limit=draw(st.none() | st.integers(1, 600)),
        shuffle=question_type == "truefalse" or draw(st.booleans()),
    )


@st.composite
def exchange_banks(draw: st.DrawFn) -> Bank:
    """A bank with every header field the Moodle formats carry set at random."""
    count = draw(st.integers(1, 5))
    return Bank(
        id="b-" + uuid.uuid4().hex[:10],
        title=draw(texts),
        description=draw(st.just("") | texts),
        language=draw(st.sampled_from(["zh-CN", "en", "bo"])),
        version=draw(st.integers(1, 99)),
        authors=tuple(draw(st.lists(names, min_size=1, max_size=2))),
        reviewed_by=tuple(draw(st.lists(names, max_size=2))),
        tags=tuple(draw(st.lists(names, max_size=2))),
        questions=tuple(draw(exchange_questions(f"q{index}")) for index in range(count)),
    )


@settings(max_examples=80)
@given(exchange_banks())
def test_any_bank_gift_can_carry_comes_back_equal(bank: Bank) -> None:
    report = GiftFormat().read(GiftFormat().write(bank), "out.gift")
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank == bank


def test_quiz_validate_reads_a_gift_bank(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "题库.GIFT"
    path.write_text(MOODLE_FILE, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == "1 个文件，6 道题：0 个错误，0 个警告\n"

"""Bank format v1 rules: the corpus of bad banks, and the forms a good bank may take."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.banks.loader import load_bank_bytes, load_bank_file, load_bank_text
from quiz.banks.validator import NO_SOURCE
from quiz.engine.questions import Translation
from tests.helpers import bank_text, question

BAD = Path(__file__).with_name("bad")
BAD_FILES = sorted(BAD.glob("*.yaml"))


def test_the_corpus_covers_many_faults() -> None:
    assert len(BAD_FILES) >= 40


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda path: path.stem)
def test_bad_bank_gets_exactly_its_messages(path: Path) -> None:
    """A bad bank's problems, line for line, in English (.expected) and Chinese (.zh.expected)."""
    report = load_bank_file(str(path))
    for language, suffix in (("en", ".expected"), ("zh", ".zh.expected")):
        expected = path.with_name(path.stem + suffix).read_text(encoding="utf-8").splitlines()
        produced = [
            problem.line_text(language).removeprefix(f"{path}:") for problem in report.problems
        ]
        assert produced == [line.removeprefix(f"{path.name}:") for line in expected]
    assert report.bank is None


def test_a_problem_prints_in_chinese_by_default() -> None:
    [problem] = load_bank_file(str(BAD / "answer-not-among-options.yaml")).problems
    assert problem.message == "答案“1922年”不在选项中：请写选项原文或字母 A–D"
    assert str(problem).endswith(".yaml:12:13: 错误: " + problem.message + " [answer_not_option]")


def good(**fields: Any) -> Any:
    report = load_bank_text(bank_text(question(**fields)), "good.yaml")
    assert report.errors == [], report.errors
    assert report.bank is not None
    return report.bank.questions[0]


def test_single_answer_by_text_or_letter_is_stored_as_text() -> None:
    assert good(answer="B").answer == ("1921年",)
    assert good(answer="1921年").answer == ("1921年",)


def test_option_text_wins_over_letter() -> None:
    loaded = good(options=["B", "A", "C"], answer="A")
    assert loaded.answer == ("A",)


def test_whole_numbers_are_taken_as_text() -> None:
    loaded = good(options=[1919, 1921, 1927], answer=1921, tags=[1921])
    assert loaded.options == ("1919", "1921", "1927")
    assert loaded.answer == ("1921",)
    assert loaded.tags == ("1921",)


def test_multiple_answer_is_kept_in_option_order() -> None:
    loaded = good(type="multiple", answer=["D", "B"])
    assert loaded.answer == ("1921年", "1949年")


def test_order_answer_keeps_the_sequence() -> None:
    loaded = good(type="order", answer=["C", "A", "D", "B"])
    assert loaded.answer == ("1927年", "1919年", "1949年", "1921年")


def test_truefalse_and_fill() -> None:
    assert good(type="truefalse", answer=False, options=None).answer is False
    fill = good(type="fill", answer=["1921年", "1921"], options=None)
    assert fill.answer == ("1921年", "1921")
    assert good(type="fill", answer="1921年").options == ("1919年", "1921年", "1927年", "1949年")


def test_translations_are_kept() -> None:
    loaded = good(
        type="fill",
        options=None,
        answer="1921年",
        translations={"en": {"text": "Which year?", "answer": ["1921"]}, "bo": {"text": "ལོ།"}},
    )
    assert loaded.translations == {
        "en": Translation(text="Which year?", answer=("1921",)),
        "bo": Translation(text="ལོ།"),
    }
    assert loaded.accepted_fill_answers() == ("1921年", "1921")


def test_questions_reviewed_without_reviewer_get_a_warning() -> None:
    report = load_bank_text(bank_text(question(status="reviewed")), "w.yaml")
    assert report.bank is not None
    assert [problem.code for problem in report.warnings] == ["reviewed_without_reviewer"]
    assert [problem.text("en") for problem in report.warnings] == [
        "1 questions are reviewed but the bank names no reviewer (reviewed_by)"
    ]
    assert report.warnings[0].message == "有 1 道题已审核，但题库没有写审核人（reviewed_by）"


def test_every_problem_of_a_file_is_reported() -> None:
    text = bank_text(
        question(id="a", difficulty=9),
        question(id="b", answer="Z"),
        question(id="c", status="done"),
    )
    messages = [problem.message for problem in load_bank_text(text, "m.yaml").errors]
    assert len(messages) == 3


def test_oversized_upload_is_refused_before_parsing() -> None:
    report = load_bank_bytes(b"x" * 2048, "big.yaml", max_bytes=1024)
    assert report.bank is None
    assert report.errors[0].code == "file_too_large"
    assert report.errors[0].text("en") == "The file is 0.0 MB; the limit is 0.0 MB"
    assert report.errors[0].message == "文件有 0.0 MB，超过 0.0 MB 的上限"


def test_utf8_bom_is_accepted() -> None:
    report = load_bank_bytes(b"\xef\xbb\xbf" + bank_text().encode(), "bom.yaml")
    assert report.errors == []


@pytest.mark.parametrize(
    ("fields", "path_text", "label", "limit"),
    [
        ({"text": "问" * 1001}, "text", "题干", 1000),
        ({"explanation": "解" * 2001}, "explanation", "解析", 2000),
        ({"source": "源" * 501}, "source", "出处", 500),
        ({"tags": ["建党", "标" * 51]}, "标" * 51, "标签", 50),
        ({"options": ["1919年", "1921年", "选" * 201, "1949年"]}, "选" * 201, "选项", 200),
        ({"translations": {"en": {"text": "x" * 1001}}}, "x" * 1001, "题干", 1000),
    ],
)
def test_every_text_field_has_a_length_limit_reported_where_it_is(
    fields: dict[str, Any], path_text: str, label: str, limit: int
) -> None:
    text = bank_text(question(**fields))
    report = load_bank_text(text, "long.yaml")
    assert report.bank is None
    [problem] = report.errors
    length = limit + 1
    assert problem.code == "text_too_long"
    assert problem.message == f"{label}有 {length:,} 个字符，超过 {limit:,} 的上限：请缩短"
    line = next(n for n, row in enumerate(text.splitlines(), 1) if path_text in row)
    assert problem.line == line
    assert str(problem).endswith("的上限：请缩短 [text_too_long]")


def test_a_text_at_its_limit_is_accepted() -> None:
    assert good(text="问" * 1000, explanation="解" * 2000).text == "问" * 1000


def test_a_bank_header_text_has_a_limit_too() -> None:
    report = load_bank_text(bank_text(title="题" * 201), "long.yaml")
    assert [(p.line, p.column, p.code) for p in report.errors] == [(3, 10, "text_too_long")]


def test_a_bank_past_the_question_limit_is_refused_as_a_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("quiz.banks.validator.MAX_QUESTIONS", 2)
    questions = [question(id=f"q{n}") for n in range(3)]
    [problem] = load_bank_text(bank_text(*questions), "many.yaml").errors
    assert (problem.code, problem.line) == ("too_many_questions", 9)  # the first question
    assert problem.message == "题库有 3 道题，超过每个题库 2 道的上限：请拆成几个题库"


def test_problems_past_the_cap_are_counted_not_listed() -> None:
    questions = [question(id=f"q{n}", colour="红") for n in range(250)]
    report = load_bank_text(bank_text(*questions), "noisy.yaml")
    assert report.bank is None
    assert len(report.problems) == 200
    assert report.unlisted == 50
    assert all("unknown key 'colour'" in problem.text("en") for problem in report.problems)
    assert all("未知的键“colour”" in problem.message for problem in report.problems)


def test_a_reviewed_question_names_its_source() -> None:
    for status, errors in (("draft", []), ("reviewed", ["reviewed_without_source"])):
        report = load_bank_text(
            bank_text(question(source=NO_SOURCE, status=status), reviewed_by=["审"]), "s.yaml"
        )
        assert [problem.code for problem in report.errors] == errors

"""Aiken banks: single-choice questions, the header from the file name, the bad-file corpus,
export refusing what Aiken cannot say, and `quiz export -o` by extension for the Moodle formats."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks.formats import read_bank
from quiz.banks.formats.aiken_format import AikenFormat
from quiz.banks.formats.exchange import (
    DEFAULT_AUTHOR,
    DEFAULT_EXPLANATION,
    DEFAULT_SOURCE,
    DEFAULT_TAG,
    CannotCarry,
)
from quiz.banks.model import Bank
from quiz.cli import main
from quiz.engine.matching import normalize_answer
from quiz.engine.questions import Question
from tests.helpers import bank_text, question

BAD = Path(__file__).with_name("moodle_bad")

AIKEN_FILE = """\
扑救电气火灾，首先应？
A. 切断电源
B. 用水扑救
C) 打开门窗
ANSWER: A

火警电话是
多少？
A) 110
B) 119
ANSWER: B
"""


def test_single_choice_questions_read_with_documented_defaults() -> None:
    report = AikenFormat().read(AIKEN_FILE.encode("gb18030"), "fire-basics.aiken")
    assert report.problems == []
    bank = report.bank
    assert bank is not None
    assert (bank.id, bank.title, bank.language, bank.version, bank.authors) == (
        "fire-basics",
        "fire-basics",
        "zh-CN",
        1,
        (DEFAULT_AUTHOR,),
    )
    first, second = bank.questions
    assert (first.id, first.type, first.options, first.answer) == (
        "fire-basics-001",
        "single",
        ("切断电源", "用水扑救", "打开门窗"),
        ("切断电源",),
    )
    assert (first.explanation, first.source, first.tags, first.difficulty, first.status) == (
        DEFAULT_EXPLANATION,
        DEFAULT_SOURCE,
        (DEFAULT_TAG,),
        3,
        "draft",
    )
    assert (second.id, second.text, second.answer) == (
        "fire-basics-002",
        "火警电话是 多少？",
        ("119",),
    )


def test_a_file_name_that_is_no_id_gives_a_stable_hashed_one() -> None:
    first = AikenFormat().read(AIKEN_FILE.encode(), "消防题库.aiken").bank
    again = AikenFormat().read(AIKEN_FILE.encode(), "消防题库.aiken").bank
    assert first is not None
    assert again is not None
    assert first.id == again.id
    assert first.id.startswith("bank-")
    assert first.title == "消防题库"


@pytest.mark.parametrize("path", sorted(BAD.glob("*.aiken")), ids=lambda path: path.stem)
def test_bad_file_gets_exactly_its_messages_at_its_places(path: Path) -> None:
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8").splitlines()
    report = read_bank(path.read_bytes(), path.name)
    assert [str(problem) for problem in report.problems] == expected
    english = path.with_name(path.name + ".en.expected").read_text(encoding="utf-8")
    assert [problem.line_text("en") for problem in report.problems] == english.splitlines()
    assert (report.bank is None) == any(" 错误: " in line for line in expected)


def test_writing_a_type_aiken_cannot_say_is_refused_naming_the_questions() -> None:
    bank = AikenFormat().read(AIKEN_FILE.encode(), "fire.aiken").bank
    assert bank is not None
    truefalse = Question(
        "tf-1", "truefalse", "对吗？", True, "是。", "书", 1, ("标签",), "draft", shuffle=True
    )
    with pytest.raises(CannotCarry) as refused:
        AikenFormat().write(dataclasses.replace(bank, questions=(*bank.questions, truefalse)))
    assert refused.value.text("zh") == (
        "Aiken 只能表示单选题，这些题无法写入：tf-1（共 1 道）；"
        "请导出为 .gift、.xml 或 .yaml，或先去掉这些题"
    )
    assert refused.value.text("en") == (
        "Aiken can carry only single-choice questions; these questions cannot be written: tf-1 "
        "(1 in all); export as .gift, .xml or .yaml, or remove these questions first"
    )


# One-line texts that cannot be taken for an option ("A. …") or the answer line.
line_texts = st.text(
    st.sampled_from(
        list("消防救援火灾灭器材安全知识西藏拉萨高原一二三年月日的了是在abcxyz0189？。 .)")
    ),
    min_size=1,
    max_size=14,
).filter(lambda text: text == text.strip() and normalize_answer(text) != "")


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            line_texts,
            st.lists(line_texts, min_size=2, max_size=8, unique_by=normalize_answer),
            st.integers(0, 7),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_single_choice_question_comes_back_equal(
    drawn: list[tuple[str, list[str], int]],
) -> None:
    template = AikenFormat().read(AIKEN_FILE.encode(), "round.aiken").bank
    assert template is not None
    questions = tuple(
        dataclasses.replace(
            template.questions[0],
            id=f"round-{index:03d}",
            text=text,
            options=tuple(options),
            answer=(options[pick % len(options)],),
        )
        for index, (text, options, pick) in enumerate(drawn, start=1)
    )
    bank = dataclasses.replace(template, questions=questions)
    assert AikenFormat().read(AikenFormat().write(bank), "round.aiken").bank == bank


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("extension", [".gift", ".xml"])
def test_export_by_extension_then_import_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    isolated_environment: Path,
    extension: str,
) -> None:
    source = tmp_path / "sample.yaml"
    source.write_text(
        bank_text(question(id="a"), question(id="b", type="truefalse", options=None, answer=True)),
        encoding="utf-8",
    )
    assert run(capsys, "import", str(source))[0] == 0
    exported = tmp_path / f"out{extension}"
    assert run(capsys, "export", "sample", "-o", str(exported))[0] == 0
    assert run(capsys, "import", str(exported))[1].endswith("未变 2，停用 0\n")


def test_export_to_aiken_of_a_bank_with_other_types_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    source = tmp_path / "sample.yaml"
    source.write_text(
        bank_text(question(id="a"), question(id="b", type="truefalse", options=None, answer=True)),
        encoding="utf-8",
    )
    assert run(capsys, "import", str(source))[0] == 0
    code, _, err = run(capsys, "export", "sample", "-o", str(tmp_path / "out.aiken"))
    assert code == 2
    assert "Aiken can carry only single-choice questions;" in err
    assert ": b (1 in all);" in err
    assert not (tmp_path / "out.aiken").exists()


def test_aiken_carries_only_what_it_can(tmp_path: Path) -> None:
    bank = AikenFormat().read(AIKEN_FILE.encode(), "fire.aiken").bank
    assert isinstance(bank, Bank)
    written = AikenFormat().write(bank).decode("utf-8")
    assert written.startswith(
        "扑救电气火灾，首先应？\nA. 切断电源\nB. 用水扑救\nC. 打开门窗\nANSWER: A\n"
    )

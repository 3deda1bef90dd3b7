"""Moodle XML banks: an export as Moodle writes it, HTML to text, names to ids, the refused DTD
attacks (billion laughs, XXE), the bad-file corpus, and every type coming back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from quiz.banks.formats import read_bank
from quiz.banks.formats.exchange import DEFAULT_EXPLANATION, DEFAULT_TAG
from quiz.banks.formats.moodle_xml_format import MoodleXmlFormat
from quiz.banks.model import Bank
from quiz.cli import main
from tests.banks.test_gift_format import exchange_banks

BAD = Path(__file__).with_name("moodle_bad")

MOODLE_EXPORT = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/默认/消防知识</text>
    </category>
    <info format="moodle_auto_format">
      <text>消防知识题</text>
    </info>
    <idnumber></idnumber>
  </question>
<!-- question: 101  -->
  <question type="multichoice">
    <name>
      <text>电气火灾 Q1</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">扑救电气火灾，首先应&nbsp;<b>？</b>
<br></p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>先断电，防止触电。</p><script>alert(1)</script>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>0</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>切断电源</p>]]></text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>用水扑救</p>]]></text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <tags>
      <tag><text>电气</text></tag>
    </tags>
  </question>
  <question type="multichoice">
    <name><text>灭火方法</text></name>
    <questiontext format="html"><text>下列属于灭火基本方法的有</text></questiontext>
    <single>false</single>
    <answer fraction="50" format="html"><text>冷却</text></answer>
    <answer fraction="50" format="html"><text>窒息</text></answer>
    <answer fraction="-100" format="html"><text>浇油</text></answer>
  </question>
  <question type="truefalse">
    <name><text>extinguisher-check</text></name>
    <questiontext format="moodle_auto_format"><text>灭火器应定期检查。</text></questiontext>
    <answer fraction="0" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>year</text></name>
    <questiontext format="html"><text><![CDATA[西藏和平解放于____年。]]></text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>1951年</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>1951</text></answer>
  </question>
  <question type="ordering">
    <name><text>timeline</text></name>
    <questiontext format="html"><text>按时间先后排列。</text></questiontext>
    <answer fraction="1.0000000" format="moodle_auto_format"><text>中共一大召开</text></answer>
    <answer fraction="2.0000000" format="moodle_auto_format"><text>新中国成立</text></answer>
    <answer fraction="3.0000000" format="moodle_auto_format"><text>西藏自治区成立</text></answer>
  </question>
</quiz>
"""


def read(data: bytes, filename: str = "moodle-export.xml") -> Bank:
    report = MoodleXmlFormat().read(data, filename)
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank is not None
    return report.bank


def test_an_export_as_moodle_writes_it_reads_as_one_bank() -> None:
    bank = read(MOODLE_EXPORT.encode("utf-8"))
    assert (bank.id, bank.title) == ("moodle-export", "moodle-export")
    by_id = {question.id: question for question in bank.questions}
    assert list(by_id) == ["Q1", "moodle-export-002", "extinguisher-check", "year", "timeline"]
    first = by_id["Q1"]
    assert (first.type, first.text, first.options, first.answer, first.shuffle) == (
        "single",
        "扑救电气火灾，首先应 ？",
        ("切断电源", "用水扑救"),
        ("切断电源",),
        False,
    )
    # HTML becomes its text: tags and scripts dropped, entities decoded.
    assert first.explanation == "先断电，防止触电。"
    assert first.tags == ("电气", "消防知识")
    multiple = by_id["moodle-export-002"]
    assert (multiple.type, multiple.answer, multiple.tags) == (
        "multiple",
        ("冷却", "窒息"),
        ("消防知识",),
    )
    assert by_id["extinguisher-check"].answer is False
    assert by_id["extinguisher-check"].explanation == DEFAULT_EXPLANATION
    assert by_id["year"].answer == ("1951年", "1951")
    timeline = by_id["timeline"]
    assert (timeline.type, timeline.answer) == (
        "order",
        ("中共一大召开", "新中国成立", "西藏自治区成立"),
    )


def test_a_file_declared_gbk_reads_as_its_utf8_twin() -> None:
    declared = MOODLE_EXPORT.replace('encoding="UTF-8"', 'encoding="GBK"')
    assert read(declared.encode("gbk")) == read(MOODLE_EXPORT.encode("utf-8"))


def test_without_a_category_questions_get_the_default_tag() -> None:
    data = MOODLE_EXPORT.replace("$course$/top/默认/消防知识", "$course$/top").encode()
    bank = read(data)
    assert bank.questions[1].tags == (DEFAULT_TAG,)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_a_doctype_is_refused_before_any_entity_is_expanded_or_file_read(name: str) -> None:
    report = read_bank((BAD / name).read_bytes(), name)
    assert report.bank is None
    assert [(problem.code, problem.line) for problem in report.problems] == [("xml_dtd", 2)]
    assert "lol" not in str(report.problems)
    assert "root:" not in str(report.problems)


@pytest.mark.parametrize("path", sorted(BAD.glob("*.xml")), ids=lambda path: path.stem)
def test_bad_file_gets_exactly_its_messages_at_its_places(path: Path) -> None:
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8").splitlines()
    report = read_bank(path.read_bytes(), path.name)
    assert [str(problem) for problem in report.problems] == expected
    english = path.with_name(path.name + ".en.expected").read_text(encoding="utf-8")
    assert [problem.line_text("en") for problem in report.problems] == english.splitlines()
    assert (report.bank is None) == any(" 错误: " in line for line in expected)


def test_the_writer_is_moodle_xml_with_the_rest_in_leitai_elements() -> None:
    bank = read(MOODLE_EXPORT.encode("utf-8"))
    written = MoodleXmlFormat().write(bank).decode("utf-8")
    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <bank>\n')
    assert '<question type="ordering">' in written
    assert '<questiontext format="plain_text">' in written
    assert "<leitai>" in written
    assert read(written.encode("utf-8")) == bank


@settings(max_examples=80)
@given(exchange_banks())
def test_any_bank_comes_back_equal_but_for_translations(bank: Bank) -> None:
    report = MoodleXmlFormat().read(MoodleXmlFormat().write(bank), "out.xml")
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank == bank


def test_quiz_validate_reads_a_moodle_xml_bank(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "moodle.xml"
    path.write_text(MOODLE_EXPORT, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == "1 个文件，5 道题：0 个错误，0 个警告\n"

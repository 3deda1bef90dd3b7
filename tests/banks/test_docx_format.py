"""Word banks in the 题库 dialect: documents as Word users type them (automatic numbering,
full-width punctuation, options on one line, answers in 【】, tables), places by paragraph and
table cell, files that are not Word documents, and export then import giving the same bank."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from hypothesis import given, settings

from quiz.banks.formats import docx_format, format_for, read_bank
from quiz.banks.formats.dialect_words import DEFAULT_EXPLANATION
from quiz.banks.formats.docx_format import DocxFormat
from quiz.banks.formats.text_format import TextFormat
from quiz.banks.loader import load_bank_file, validate_paths
from quiz.banks.model import Bank
from quiz.cli import main
from quiz.resources import bundled_banks_dir
from tests.banks.test_text_format import dialect_banks, without_translations
from tests.helpers import bank_text, question


def saved(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def new_list(document: Document, number_format: str, pattern: str) -> str:
    """A list definition as Word writes one (an abstract numbering and a num); its numId."""
    numbering = document.part.numbering_part.element
    ids = [int(element.get(f"{{{W}}}numId")) for element in numbering.iterchildren(f"{{{W}}}num")]
    num_id = str(max(ids, default=0) + 1)
    abstract = str(1000 + int(num_id))
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract}"><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{pattern}"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract}"/></w:num>'
        )
    )
    return num_id


def numbered(paragraph: Paragraph, num_id: str) -> Paragraph:
    """Put a paragraph in a list, as clicking Word's numbering button does."""
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def field_document() -> Document:
    """A bank typed in Word: a title, header lines, auto-numbered headings and stems, a table."""
    document = docx.Document()
    document.add_paragraph("消防安全知识竞赛题库")
    document.add_paragraph("题库编号：word-field")
    document.add_paragraph("作者：张三、李四")
    sections = new_list(document, "chineseCounting", "%1、")
    numbered(document.add_paragraph("单项选择题（每题2分）"), sections)
    stems = new_list(document, "decimal", "%1.")
    numbered(document.add_paragraph("扑救电气火灾，首先应（　）。"), stems)
    document.add_paragraph("A．切断电源　　B．用水扑救　　C．打开门窗　　D．离开现场")
    document.add_paragraph("【答案】A")
    numbered(document.add_paragraph("火警电话是（　）。"), stems)
    document.add_paragraph("A．110\nB．119\nC．120")  # Shift+Enter between the options
    document.add_paragraph("【答案】Ｂ")
    document.add_paragraph("解析：119 是火警电话。")
    numbered(document.add_paragraph("判断题"), sections)
    stems = new_list(document, "decimal", "%1.")
    numbered(document.add_paragraph("灭火器应定期检查。"), stems)
    document.add_paragraph("答案：√")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "2. 油锅起火可以用水浇灭。"
    table.cell(1, 0).text = "答案：×"
    table.cell(1, 1).text = "难度：1"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "出处：《家庭防火常识》"
    document.add_paragraph("填空题", style="List Number")
    return document


def read(data: bytes, filename: str = "题库.docx") -> Bank:
    report = DocxFormat().read(data, filename)
    assert report.errors == [], [str(problem) for problem in report.errors]
    assert report.bank is not None
    return report.bank


def test_a_bank_typed_in_word_reads_with_its_numbering_and_tables() -> None:
    document = field_document()
    last = document.paragraphs[-1]
    last.style = document.styles["Normal"]
    last.text = "3．西藏和平解放于____年。"  # typed, not Word's numbering
    document.add_paragraph("答案：错")
    bank = read(saved(document))
    assert (bank.id, bank.title, bank.authors) == (
        "word-field",
        "消防安全知识竞赛题库",
        ("张三", "李四"),
    )
    assert [(q.id, q.type, q.text) for q in bank.questions] == [
        ("word-field-1-001", "single", "扑救电气火灾，首先应（　）。"),
        ("word-field-1-002", "single", "火警电话是（　）。"),
        ("word-field-2-001", "truefalse", "灭火器应定期检查。"),
        ("word-field-2-002", "truefalse", "油锅起火可以用水浇灭。"),
        ("word-field-2-003", "truefalse", "西藏和平解放于____年。"),
    ]
    first, second, _, in_table, _ = bank.questions
    assert first.options == ("切断电源", "用水扑救", "打开门窗", "离开现场")
    assert (second.options, second.answer) == (("110", "119", "120"), ("119",))
    assert (first.explanation, second.explanation) == (DEFAULT_EXPLANATION, "119 是火警电话。")
    assert (in_table.answer, in_table.difficulty, in_table.source) == (False, 1, "《家庭防火常识》")


def test_problems_are_placed_by_paragraph_and_by_table_cell() -> None:
    document = field_document()
    document.paragraphs[6].text = "【答案】E"  # the first question's answer
    document.tables[0].cell(1, 0).text = "答案：B"
    report = DocxFormat().read(saved(document), "题库.docx")
    assert [(problem.where, problem.code) for problem in report.problems] == [
        ("题库.docx:段落 7:列 5", "answer_letter_no_option"),
        ("题库.docx:表格 1:第 2 行第 1 格第 1 段:列 4", "type_mismatch"),
        ("题库.docx:段落 15:列 1", "number_repeated"),  # Word shows "1." again: a new list
        ("题库.docx:段落 15:列 1", "missing_answer"),
    ]
    assert str(report.problems[3]) == (
        "题库.docx:段落 15:列 1: 错误: 第 1 题没有答案：“填空题” [missing_answer]"
    )
    assert report.bank is None


def test_a_list_numbered_stem_is_placed_in_its_own_text() -> None:
    document = docx.Document()
    document.add_paragraph("题库编号：places")
    document.add_paragraph("作者：甲")
    document.add_paragraph("灭火器应定期检查。", style="List Number")
    document.add_paragraph("答案：对\n难度：很难")
    [problem] = DocxFormat().read(saved(document), "places.docx").problems
    assert problem.where == "places.docx:段落 4:列 9"  # after the soft break, in the paragraph


def test_tracked_changes_read_as_word_shows_them_and_content_controls_are_opened() -> None:
    document = docx.Document()
    document.add_paragraph("题库编号：tracked")
    document.add_paragraph("作者：甲")
    document.add_paragraph("1. 火警电话是？")
    document.add_paragraph("A. 110 B. 119")
    answer = document.add_paragraph("答案：")
    revision = f'{nsdecls("w")} w:author="甲" w:date="2026-12-01T08:00:00Z"'
    answer._p.append(
        parse_xml(f'<w:del w:id="1" {revision}><w:r><w:delText>A</w:delText></w:r></w:del>')
    )
    answer._p.append(parse_xml(f'<w:ins w:id="2" {revision}><w:r><w:t>B</w:t></w:r></w:ins>'))
    body = document.element.body
    body.insert(
        len(body) - 1,  # before the section properties, which end a body
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>解析：119 是火警电话。</w:t>"
            "</w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    [question] = read(saved(document)).questions
    assert (question.answer, question.explanation) == (("119",), "119 是火警电话。")


def test_an_empty_list_paragraph_takes_its_number_as_word_shows_it() -> None:
    document = docx.Document()
    for text, style in [
        ("题库编号：gaps", "Normal"),
        ("作者：甲", "Normal"),
        ("灭火器应定期检查。", "List Number"),
        ("答案：对", "Normal"),
        ("", "List Number"),  # Word shows "2." on an empty line here
        ("电梯可用于火场逃生。", "List Number"),
        ("答案：错", "Normal"),
    ]:
        document.add_paragraph(text, style=style)
    report = DocxFormat().read(saved(document), "gaps.docx")
    assert [str(problem) for problem in report.problems] == [
        "gaps.docx:段落 6:列 1: 警告: "
        "题号跳过了：应为 2，这里是 3：“3. 电梯可用于火场逃生。” [number_gap]"
    ]
    assert report.bank is not None
    assert [question.id for question in report.bank.questions] == ["gaps-001", "gaps-003"]


def broken_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><not-closed>")
    return out.getvalue()


def entity_bomb() -> bytes:
    """A document whose XML defines entities that expand to a billion characters."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><w:document {nsdecls("w")}>'
        "<w:body><w:p><w:r><w:t>1. &a9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return with_part(saved(docx.Document()), "word/document.xml", body.encode())


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


def merged_from_nowhere() -> bytes:
    """A table whose top row continues a vertical merge from a row that is not there."""
    document = docx.Document()
    cell = document.add_table(rows=2, cols=2).rows[0]._tr.tc_lst[1]
    cell.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))
    return saved(document)


def workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


NOT_DOCX = "这不是 .docx 文件（旧版 .doc 或 WPS 文件请在 Word/WPS 中另存为 .docx）"
DAMAGED = "这个 .docx 文件已损坏或不是 Word 文档，请在 Word/WPS 中打开后重新保存"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0 an old .doc file", NOT_DOCX),
        (b"", NOT_DOCX),
        (broken_zip(), DAMAGED),
        (workbook(), DAMAGED),
        (entity_bomb(), DAMAGED),
        (merged_from_nowhere(), DAMAGED),
    ],
    ids=["doc", "empty", "broken-zip", "workbook", "entity-bomb", "merged-from-nowhere"],
)
def test_a_file_that_is_not_a_word_document_is_one_problem(data: bytes, message: str) -> None:
    report = read_bank(data, "题库.docx")
    [problem] = report.problems
    assert (problem.where, problem.severity, problem.code) == ("题库.docx", "error", "not_docx")
    assert problem.message == message
    assert problem.text("en").startswith("This ")
    assert report.bank is None


def test_a_document_that_unpacks_too_large_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = saved(field_document())
    monkeypatch.setattr(docx_format, "MAX_UNPACKED", 10_000)
    [problem] = DocxFormat().read(data, "题库.docx").problems
    assert problem.code == "file_too_large"
    assert problem.message == "文件解压后有 0 MB，超过 0 MB 的上限"
    assert problem.text("en") == "Unpacked, the file is 0 MB; the limit is 0 MB"


def test_the_written_document_uses_word_headings_and_one_paragraph_a_line() -> None:
    bank = (
        TextFormat()
        .read("题库编号：out\n作者：甲\n一、判断题\n1. 对不对？\n答案：对\n".encode(), "out.txt")
        .bank
    )
    assert bank is not None
    document = docx.Document(io.BytesIO(DocxFormat().write(bank)))
    shown = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]
    assert ("Heading 2", "一、判断题") in shown
    assert ("Normal", "1. 对不对？") in shown
    assert ("Normal", "答案：正确") in shown
    assert read(DocxFormat().write(bank), "out.docx") == bank


@pytest.mark.parametrize("path", sorted(bundled_banks_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_banks_come_back_equal_but_for_translations(path: Path) -> None:
    bank = load_bank_file(str(path)).bank
    assert bank is not None
    docx_bank = format_for("导出.DOCX")
    report = docx_bank.read(docx_bank.write(bank), "导出.docx")
    assert report.problems == []
    assert report.bank == without_translations(bank)


@settings(max_examples=25)
@given(dialect_banks())
def test_any_bank_the_dialect_can_carry_comes_back_equal(bank: Bank) -> None:
    assert read(DocxFormat().write(bank), "out.docx") == bank


def test_quiz_export_writes_word_that_imports_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_environment: Path
) -> None:
    source = tmp_path / "sample.yaml"
    tf = question(id="b", type="truefalse", options=None, answer=True)
    source.write_text(bank_text(question(id="a"), tf), encoding="utf-8")
    assert main(["import", str(source)]) == 0
    exported = tmp_path / "导出.docx"
    assert main(["export", "sample", "-o", str(exported)]) == 0
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0
    assert capsys.readouterr().out.endswith("新增 0，修改 0，未变 2，停用 0\n")


def test_near_duplicates_across_word_files_are_placed_at_their_paragraphs(tmp_path: Path) -> None:
    paths = []
    for bank_id in ("one", "two"):
        document = docx.Document()
        for text in (f"题库编号：{bank_id}", "作者：甲", "1. 灭火器要定期检查压力表。", "答案：对"):
            document.add_paragraph(text)
        path = tmp_path / f"{bank_id}.docx"
        path.write_bytes(saved(document))
        paths.append(str(path))
    first, second = validate_paths(paths)
    assert first.problems == []
    [warning] = second.problems
    assert warning.where == f"{paths[1]}:段落 3:列 1"
    assert warning.message == (
        f"题目“two-001”与“one-001”（{paths[0]}:段落 3:列 1）几乎相同，相似度 100%"
    )
